/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_SIMPLE_FILTER_CODEC_H
#define PRESEC_SIMPLE_FILTER_CODEC_H

#include "simple-filter.h"

#include "ns3/parse-result.h"

#include <cstddef>
#include <string>

namespace ns3
{

/**
 * \ingroup presec-presence
 * Encoder and strict decoder of RFC 4661 event notification filters
 * (`application/simple-filter+xml`), the body of a filtered SUBSCRIBE (RFC 4660):
 *
 *     <filter-set xmlns="urn:ietf:params:xml:ns:simple-filter" package="presence">
 *       <ns-bindings>
 *         <ns-binding prefix="sp" urn="urn:presec:params:xml:ns:spd"/>
 *       </ns-bindings>
 *       <filter id="policy">
 *         <what>
 *           <include type="xpath">/pidf:presence/pidf:tuple/ps:presec/sp:policies</include>
 *           <exclude type="namespace">urn:ietf:params:xml:ns:pidf:rpid</exclude>
 *         </what>
 *       </filter>
 *     </filter-set>
 *
 * Decode follows RFC 4661's schema: `<ns-bindings>` at most once and first; every filter
 * has an `id` unique in the set; `remove` and `enabled` are booleans; `<what>` at most once,
 * holding `<include>` and `<exclude>` of type `xpath` (default) or `namespace`; `<trigger>`
 * elements are counted (the notifier decides whether it supports them). Elements of other
 * namespaces are ignored (the schema's extension points); unknown elements or attributes of
 * the filter namespace, stray text, duplicate prefixes, empty selectors and oversized input
 * are errors naming the line. Whether an XPath expression is one the notifier can evaluate is
 * NotificationFilter's business, not the codec's.
 */
class SimpleFilterCodec
{
  public:
    /// The RFC 4661 namespace.
    static constexpr const char* NAMESPACE = "urn:ietf:params:xml:ns:simple-filter";
    /// The media type of the SUBSCRIBE body (RFC 4661 section 7).
    static constexpr const char* CONTENT_TYPE = "application/simple-filter+xml";
    /// Largest document decoded: a filter set is a few hundred bytes.
    static constexpr size_t MAX_DOCUMENT_SIZE = 16 * 1024;
    /// Deepest element nesting decoded.
    static constexpr unsigned MAX_DEPTH = 16;
    /// Most filters in a set.
    static constexpr size_t MAX_FILTERS = 16;
    /// Most `<include>` plus `<exclude>` in one filter.
    static constexpr size_t MAX_SELECTORS = 32;
    /// Longest selector text (an XPath expression or a namespace URI).
    static constexpr size_t MAX_SELECTOR_LENGTH = 1024;

    /**
     * \param set a filter set
     * \return it as `application/simple-filter+xml`, without XML declaration
     */
    static std::string Encode(const SimpleFilterSet& set);

    /**
     * \param xml the body of a SUBSCRIBE
     * \return the filter set, or the first error with its line
     */
    static ParseResult<SimpleFilterSet> Decode(const std::string& xml);
};

} // namespace ns3

#endif // PRESEC_SIMPLE_FILTER_CODEC_H
