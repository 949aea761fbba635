/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_PIDF_CODEC_H
#define PRESEC_PIDF_CODEC_H

#include "presence-document.h"

#include "ns3/parse-result.h"

#include <cstddef>
#include <string>

namespace ns3
{

/**
 * \ingroup presec-presence
 * Encoder and strict decoder of presec presence documents as PIDF (RFC 3863,
 * `application/pidf+xml`), built on libxml2's tree API.
 *
 * The encoded form, written without XML declaration (UTF-8 is the default) and without white
 * space between elements (shown indented here):
 *
 *     <presence xmlns="urn:ietf:params:xml:ns:pidf" entity="pres:peerA@example.com">
 *       <tuple id="t1">
 *         <status><basic>open</basic></status>
 *         <ps:presec xmlns:ps="urn:presec:params:xml:ns:presence">
 *           <ps:address>192.168.1.2</ps:address>
 *           <ps:user>John</ps:user>
 *           <ps:location>office</ps:location>
 *           <sp:policies xmlns:sp="urn:presec:params:xml:ns:spd">...</sp:policies>
 *         </ps:presec>
 *         <contact>sip:peerA@192.168.1.2</contact>
 *         <note>...</note>
 *         <timestamp>2002-09-28T10:49:29Z</timestamp>
 *       </tuple>
 *       <dm:person xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model"
 *                  xmlns:rp="urn:ietf:params:xml:ns:pidf:rpid"
 *                  xmlns:lt="urn:ietf:params:xml:ns:location-type" id="pt1">
 *         <rp:place-type><lt:office/></rp:place-type>
 *         <rp:sphere><rp:work/></rp:sphere>
 *       </dm:person>
 *     </presence>
 *
 * presec's extension sits in the tuple's extension slot (between `<status>` and
 * `<contact>`); RPID data sits in a RFC 4479 `<dm:person>` after the tuple. Elements that are
 * empty in the PresenceDocument are left out; the patent's FIG. 5 document with one policy,
 * contact, place type and sphere is 792 bytes, so a SIP NOTIFY carrying it (about 400 bytes
 * of headers) fits in 1300 bytes (RFC 3261 §18.1.1).
 *
 * Decode accepts what RFC 3863's schema accepts, narrowed to presec's profile:
 *  - exactly one `<tuple>`, whose `<status>` has a `<basic>` of `open` or `closed`;
 *  - strict child order (schema order), no duplicates of single elements, no stray text, no
 *    attributes the schemas do not define, tuple and person ids that are NCNames;
 *  - elements of unknown namespaces are ignored (RFC 3863 §4.2.3), but one carrying
 *    `mustUnderstand="true"` or `"1"` (in the PIDF namespace or unqualified) is an error:
 *    presec refuses the document rather than act on part of it;
 *  - presec and policy elements anywhere but their own place are errors;
 *  - unknown RFC 4589 tokens in `<place-type>` become PlaceType::OTHER with the token kept;
 *  - no DTD, no entity expansion, no network, at most MAX_DOCUMENT_SIZE bytes and
 *    MAX_DEPTH levels of elements.
 * Errors carry the 1-based source line where libxml2 knows it.
 */
class PidfCodec
{
  public:
    /** PIDF namespace (RFC 3863). */
    static constexpr const char* PIDF_NAMESPACE = "urn:ietf:params:xml:ns:pidf";
    /** PIDF data model namespace (RFC 4479). */
    static constexpr const char* DATA_MODEL_NAMESPACE = "urn:ietf:params:xml:ns:pidf:data-model";
    /** RPID namespace (RFC 4480). */
    static constexpr const char* RPID_NAMESPACE = "urn:ietf:params:xml:ns:pidf:rpid";
    /** Location types namespace (RFC 4589). */
    static constexpr const char* LOCATION_TYPE_NAMESPACE = "urn:ietf:params:xml:ns:location-type";
    /** presec's presence extension namespace. */
    static constexpr const char* PRESEC_NAMESPACE = "urn:presec:params:xml:ns:presence";

    /** Largest document Decode accepts, in bytes. */
    static constexpr size_t MAX_DOCUMENT_SIZE = 64 * 1024;
    /** Deepest element nesting Decode accepts (the root is level 1). */
    static constexpr unsigned MAX_DEPTH = 32;

    /**
     * Encode a document. Strings are written as given (characters XML cannot carry are
     * replaced by U+FFFD); Decode checks what Encode does not, e.g. that the entity is a URI.
     * \param doc the document
     * \return UTF-8 XML without XML declaration and without insignificant white space
     */
    static std::string Encode(const PresenceDocument& doc);

    /**
     * Decode a document strictly; never aborts, whatever the input.
     * \param xml the text
     * \return the document, or an error naming the problem (and its line when known)
     */
    static ParseResult<PresenceDocument> Decode(const std::string& xml);
};

} // namespace ns3

#endif // PRESEC_PIDF_CODEC_H
