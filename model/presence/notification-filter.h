/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_NOTIFICATION_FILTER_H
#define PRESEC_NOTIFICATION_FILTER_H

#include "simple-filter.h"

#include "ns3/parse-result.h"

#include <string>

namespace ns3
{

/**
 * \ingroup presec-presence
 * The notifier's side of RFC 4660: whether it can honour a subscriber's filter set, and the
 * notification body it leaves.
 *
 * A filter applies when it is enabled, not a removal, and names no resource, the resource
 * (its `uri` equal to the document's entity or to the notifier's own URI) or its `domain`.
 * Each applying filter keeps what its `<include>`s select (everything when it has none):
 * selected elements with their content and their ancestors; then its `<exclude>`s take away
 * what they select. The body keeps the union over the filters. An XPath selector is evaluated
 * by libxml2 with the set's namespace bindings; a `namespace` selector names every element of
 * that namespace. A kept `<tuple>` keeps its `<status>`, which PIDF requires. When no filter
 * applies, the document goes out whole.
 */
class NotificationFilter
{
  public:
    /**
     * Whether a notifier can apply \p set (RFC 4660 section 3.2: else 488): no `<trigger>`
     * (presec's notifier sends on every change), and every XPath selector an XPath 1.0
     * expression whose prefixes are bound and whose value is a node set.
     * \param set a decoded filter set
     * \return empty when supported, else why not
     */
    static std::string CheckSupported(const SimpleFilterSet& set);

    /**
     * \param set a filter set CheckSupported accepted
     * \param document a PIDF document (PidfCodec::Encode)
     * \param resourceUri the notifier's own URI (besides the document's entity)
     * \return the filtered document, or why it could not be filtered
     */
    static ParseResult<std::string> Apply(const SimpleFilterSet& set,
                                          const std::string& document,
                                          const std::string& resourceUri);
};

} // namespace ns3

#endif // PRESEC_NOTIFICATION_FILTER_H
