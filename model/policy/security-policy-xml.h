/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_SECURITY_POLICY_XML_H
#define PRESEC_SECURITY_POLICY_XML_H

#include "security-policy.h"

#include "ns3/parse-result.h"

#include <string>
#include <vector>

struct _xmlNode; // libxml2's node; kept out of this header's includes

namespace ns3
{

/**
 * \ingroup presec-policy
 * XML form of security policies, in presec's own namespace, built and read with libxml2.
 * This is the form carried inside presence (PIDF) documents.
 *
 *     <sp:policies xmlns:sp="urn:presec:params:xml:ns:spd">
 *       <sp:policy dir="out" src="192.168.1.1/32" dst="192.168.1.2/32" proto="udp"
 *                  action="ipsec">
 *         <sp:rule proto="esp" mode="transport" level="require"/>
 *       </sp:policy>
 *     </sp:policies>
 *
 * Attributes keep the setkey written form (ports, prefixes, names) so XML and setkey text
 * convert into each other without loss.
 */
class SecurityPolicyXml
{
  public:
    /** The namespace URI of the policy elements. */
    static constexpr const char* NAMESPACE = "urn:presec:params:xml:ns:spd";

    /** Largest document Parse accepts, in bytes. */
    static constexpr size_t MAX_DOCUMENT_SIZE = 256 * 1024;

    /**
     * Serialise policies as a stand-alone `<policies>` document.
     * \param policies the entries
     * \return the XML text (UTF-8, no XML declaration)
     */
    static std::string Serialize(const std::vector<SecurityPolicy>& policies);

    /**
     * Parse a stand-alone `<policies>` document.
     * \param xml the text
     * \return the entries, or an error naming the line and the problem
     */
    static ParseResult<std::vector<SecurityPolicy>> Parse(const std::string& xml);

    /**
     * Append a `<policies>` element (with its namespace declaration) under \p parent.
     * \param parent a libxml2 element
     * \param policies the entries
     * \return the new element
     */
    static _xmlNode* AppendTo(_xmlNode* parent, const std::vector<SecurityPolicy>& policies);

    /**
     * Read a `<policies>` element.
     * \param element a libxml2 element in NAMESPACE named `policies`
     * \return the entries, or an error
     */
    static ParseResult<std::vector<SecurityPolicy>> ReadFrom(const _xmlNode* element);
};

} // namespace ns3

#endif // PRESEC_SECURITY_POLICY_XML_H
