/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_LOWERING_MESSAGE_H
#define PRESEC_LOWERING_MESSAGE_H

#include "ns3/parse-result.h"
#include "ns3/security-policy.h"

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-apparatus
 * A request to lower the protection the peer requires of us (the patent's negotiation before
 * a lowered policy is used): the policies we would register, from our point of view.
 */
struct LoweringRequest
{
    uint64_t id{0};                       //!< names the request; the answer repeats it (> 0)
    std::vector<SecurityPolicy> policies; //!< what we would register, our view

    /**
     * \param other another request
     * \return equality of id and policies
     */
    bool operator==(const LoweringRequest& other) const;
};

/**
 * \ingroup presec-apparatus
 * The peer's user's answer to a LoweringRequest.
 */
struct LoweringAnswer
{
    uint64_t id{0};       //!< the request answered
    bool accepted{false}; //!< true: the peer registered a policy our lowered one satisfies
    std::string reason;   //!< one line from the peer's decision log

    /**
     * \param other another answer
     * \return equality of all fields
     */
    bool operator==(const LoweringAnswer& other) const;
};

/** Either message of the lowering exchange. */
using LoweringMessage = std::variant<LoweringRequest, LoweringAnswer>;

/**
 * \ingroup presec-apparatus
 * The body of the SIP MESSAGEs (RFC 3428) of the lowering exchange, as XML in presec's own
 * namespace, with the policies as SecurityPolicyXml writes them:
 *
 *     <lowering xmlns="urn:presec:params:xml:ns:lowering" id="7">
 *       <sp:policies xmlns:sp="urn:presec:params:xml:ns:spd">...</sp:policies>
 *     </lowering>
 *     <lowering-answer xmlns="urn:presec:params:xml:ns:lowering" id="7"
 *                      verdict="refuse">never below esp</lowering-answer>
 *
 * Decode refuses anything else with a message naming the line: another root or namespace, a
 * missing, zero or non-decimal id, a verdict other than accept/refuse, a request without
 * exactly one policies element, a reason longer than MAX_REASON bytes or with a line break,
 * a document larger than MAX_DOCUMENT_SIZE (see xml_support::ReadDocument for the rest).
 */
class LoweringCodec
{
  public:
    /** The MESSAGE body type. */
    static constexpr const char* CONTENT_TYPE = "application/presec-lowering+xml";
    /** The namespace URI of the root elements. */
    static constexpr const char* NAMESPACE = "urn:presec:params:xml:ns:lowering";
    /** Largest document Decode accepts, in bytes. */
    static constexpr size_t MAX_DOCUMENT_SIZE = 64 * 1024;
    /** Longest reason accepted, in bytes. */
    static constexpr size_t MAX_REASON = 1024;

    /**
     * \param message a request or an answer
     * \return the XML text
     */
    static std::string Encode(const LoweringMessage& message);

    /**
     * \param xml the text
     * \return the message, or an error naming the line and the problem
     */
    static ParseResult<LoweringMessage> Decode(const std::string& xml);
};

} // namespace ns3

#endif // PRESEC_LOWERING_MESSAGE_H
