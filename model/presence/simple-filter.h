/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_SIMPLE_FILTER_H
#define PRESEC_SIMPLE_FILTER_H

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-presence
 * How a `<include>` or `<exclude>` names content (RFC 4661 section 3.4): an XPath 1.0
 * location path over the notification document, or a whole XML namespace.
 */
enum class FilterSelectorType : uint8_t
{
    XPATH,     //!< `type="xpath"` (the default)
    NAMESPACE, //!< `type="namespace"`: every element in that namespace
};

/**
 * \ingroup presec-presence
 * One `<include>` or `<exclude>` of a filter's `<what>`.
 */
struct FilterSelector
{
    FilterSelectorType type{FilterSelectorType::XPATH}; //!< how value is read
    std::string value; //!< the XPath expression or the namespace URI

    /** \param o another selector \return whether both are the same */
    bool operator==(const FilterSelector& o) const
    {
        return type == o.type && value == o.value;
    }
};

/**
 * \ingroup presec-presence
 * One `<filter>` of a filter set (RFC 4661 section 3.2): which part of the resource's state
 * the notifications carry.
 */
struct SimpleFilter
{
    std::string id;     //!< `id`, unique in the set (required)
    std::string uri;    //!< `uri`: the resource it is for; empty: the one subscribed to
    std::string domain; //!< `domain`: resources of that domain; empty: none named
    bool enabled{true}; //!< `enabled="false"` keeps the filter but does not apply it
    bool remove{false}; //!< `remove="true"`: withdraw the filter with this id
    std::vector<FilterSelector> include; //!< `<what><include>`: content to keep; none: everything
    std::vector<FilterSelector> exclude; //!< `<what><exclude>`: content to leave out
    /// Number of `<trigger>` elements (content-change conditions, RFC 4661 section 3.5).
    uint32_t triggers{0};

    /** \param o another filter \return whether both are the same */
    bool operator==(const SimpleFilter& o) const
    {
        return id == o.id && uri == o.uri && domain == o.domain && enabled == o.enabled &&
               remove == o.remove && include == o.include && exclude == o.exclude &&
               triggers == o.triggers;
    }
};

/**
 * \ingroup presec-presence
 * An RFC 4661 `<filter-set>`: what a subscriber asks a notifier to send (RFC 4660), carried in
 * the SUBSCRIBE body as `application/simple-filter+xml` (SimpleFilterCodec). An empty set
 * (no filters) asks for everything and is sent as no body at all.
 */
struct SimpleFilterSet
{
    std::string package; //!< `package`: the event package it is written for; empty: not said
    /// `<ns-bindings>`: prefix and namespace URI pairs the XPath expressions use.
    std::vector<std::pair<std::string, std::string>> nsBindings;
    std::vector<SimpleFilter> filters; //!< the filters, in document order

    /** \return whether the set has no filter */
    bool IsEmpty() const
    {
        return filters.empty();
    }

    /** \param o another set \return whether both are the same */
    bool operator==(const SimpleFilterSet& o) const
    {
        return package == o.package && nsBindings == o.nsBindings && filters == o.filters;
    }
};

/**
 * \ingroup presec-presence
 * What a requester asks the peer for at step 501 (patent FIG. 4, check boxes 412 and 413).
 */
enum class RequestedInfo : uint8_t
{
    BOTH,     //!< presence and security policy (no filter)
    PRESENCE, //!< presence only: user, location, place (the policy left out)
    POLICY,   //!< security policy only (with the addresses and time stamp it is bound to)
};

/**
 * \param what a choice
 * \return `both`, `presence` or `policy`
 */
std::string ToString(RequestedInfo what);

/**
 * \param text `both`, `presence` or `policy`
 * \return the choice, or empty for other text
 */
std::optional<RequestedInfo> RequestedInfoFromString(const std::string& text);

/**
 * The filter a subscriber sends for a FIG. 4 choice: none for BOTH; for PRESENCE, an exclude
 * of the policy namespace; for POLICY, includes of the policies, the addresses and the time
 * stamp (the tuple's `<status>` comes along as PIDF requires it).
 * \param what the choice
 * \return the filter set (empty for BOTH)
 */
SimpleFilterSet MakeRequestFilter(RequestedInfo what);

} // namespace ns3

#endif // PRESEC_SIMPLE_FILTER_H
