/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_LOCATION_CLASSIFIER_H
#define PRESEC_LOCATION_CLASSIFIER_H

#include "presence-document.h"

#include "ns3/ipv4-address.h"
#include "ns3/parse-result.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-presence
 * An IPv4 prefix `a.b.c.d/len`.
 */
struct Ipv4Prefix
{
    Ipv4Address network{Ipv4Address::GetAny()}; //!< network address (host bits zero)
    uint8_t length{0};                          //!< prefix length, 0..32

    /**
     * \param address an address
     * \return true if \p address lies in the prefix
     */
    bool Contains(Ipv4Address address) const;

    /** \return `a.b.c.d/len` */
    std::string ToString() const;

    /**
     * Parse `a.b.c.d/len` (a bare address means /32). The address must be a strict dotted
     * quad and have no bits set past the prefix length, so typos such as 192.168.1.5/24 are
     * caught rather than silently widened.
     * \param text the text
     * \return the prefix, or an error
     */
    static ParseResult<Ipv4Prefix> Parse(const std::string& text);

    /**
     * \param other another prefix
     * \return true if network and length are equal
     */
    bool operator==(const Ipv4Prefix& other) const;
};

/**
 * \ingroup presec-presence
 * What LocationClassifier concludes about an address.
 */
struct LocationClass
{
    /** Which rule decided. */
    enum class Source : uint8_t
    {
        CONFIGURED, //!< a configured prefix
        PRIVATE,    //!< private / local address space (RFC 1918, RFC 6598, loopback, link-local)
        PUBLIC,     //!< anything else
    };

    std::string label;                       //!< e.g. "office", "home", "private", "external"
    bool trusted{false};                     //!< whether the network counts as safe
    PlaceType placeType{PlaceType::UNKNOWN}; //!< RPID place type to announce
    Source source{Source::PUBLIC};           //!< the rule that decided
    Ipv4Prefix prefix;                       //!< the prefix that matched
};

/**
 * \ingroup presec-presence
 * Judges where an apparatus is from its IPv4 address, as the patent's presence information
 * processing unit does with a care-of address: configured, labelled prefixes first (longest
 * prefix wins), then private address space, then everything else as public ("external").
 *
 * Private space is 10/8, 172.16/12, 192.168/16 (RFC 1918), 100.64/10 (RFC 6598 shared
 * space), 127/8 (loopback) and 169.254/16 (link-local). Private space is not trusted by
 * default: a hotel or carrier NAT is private too. The patent's simpler judgement
 * ("private network = inside the office") is SetPrivateClass("office", true, OFFICE).
 *
 * Copies share their prefix table until one of them changes it (copy on write): every
 * terminal of a campus holds the same few dozen prefixes.
 */
class LocationClassifier
{
  public:
    /** Private space labelled "private", public "external"; neither trusted. */
    LocationClassifier();

    /**
     * Add (or replace) a labelled prefix.
     * \param prefix the prefix
     * \param label location label, e.g. "office"
     * \param trusted whether the network counts as safe
     * \param placeType RPID place type, e.g. PlaceType::OFFICE
     */
    void AddPrefix(const Ipv4Prefix& prefix,
                   const std::string& label,
                   bool trusted,
                   PlaceType placeType = PlaceType::UNKNOWN);

    /**
     * Add (or replace) a labelled prefix given as text.
     * \param prefix `a.b.c.d/len`
     * \param label location label
     * \param trusted whether the network counts as safe
     * \param placeType RPID place type
     * \return the prefix added, or why \p prefix was refused (nothing is added then)
     */
    ParseResult<Ipv4Prefix> AddPrefix(const std::string& prefix,
                                      const std::string& label,
                                      bool trusted,
                                      PlaceType placeType = PlaceType::UNKNOWN);

    /**
     * \param prefix a configured prefix
     * \return true if it was configured and is now removed
     */
    bool RemovePrefix(const Ipv4Prefix& prefix);

    /** Remove all configured prefixes. */
    void Clear();

    /** \return the number of configured prefixes */
    size_t GetNPrefixes() const;

    /**
     * Set what private addresses not covered by a configured prefix classify as.
     * \param label location label
     * \param trusted whether private space counts as safe
     * \param placeType RPID place type
     */
    void SetPrivateClass(const std::string& label, bool trusted, PlaceType placeType);

    /**
     * Set what public addresses not covered by a configured prefix classify as.
     * \param label location label
     * \param trusted whether public space counts as safe (normally false)
     * \param placeType RPID place type
     */
    void SetPublicClass(const std::string& label, bool trusted, PlaceType placeType);

    /**
     * \param address an address
     * \return its class
     */
    LocationClass Classify(Ipv4Address address) const;

    /**
     * \param address an address
     * \return true if it is in private / local space (see the class description)
     */
    static bool IsPrivate(Ipv4Address address);

  private:
    /** One configured prefix. */
    struct Rule
    {
        Ipv4Prefix prefix;   //!< the prefix
        std::string label;   //!< its label
        bool trusted;        //!< trusted or not
        PlaceType placeType; //!< place type
    };

    /** \return the prefix table, copied first if another classifier shares it */
    std::vector<Rule>& MutableRules();

    std::shared_ptr<std::vector<Rule>> m_rules; //!< configured prefixes, longest first; shared
    LocationClass m_private;                    //!< class of unconfigured private addresses
    LocationClass m_public;                     //!< class of unconfigured public addresses
};

} // namespace ns3

#endif // PRESEC_LOCATION_CLASSIFIER_H
