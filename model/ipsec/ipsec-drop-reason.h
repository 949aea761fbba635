/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_IPSEC_DROP_REASON_H
#define PRESEC_IPSEC_DROP_REASON_H

#include <cstdint>
#include <string>

namespace ns3
{

/**
 * \ingroup presec-ipsec
 * Why the IPsec layer dropped a packet. Each reason has its own counter and is reported by
 * the layer's Drop trace, as ns-3 queue discs report drop reasons.
 */
enum class IpsecDropReason : uint8_t
{
    POLICY_DISCARD,       //!< the matching policy says discard (or no match, discard)
    NO_SA,                //!< outbound: ipsec policy at level require/unique, no usable SA
    PLAIN_UNDER_REQUIRE,  //!< inbound: clear packet where the policy requires protection
    PROTECTION_MISMATCH,  //!< inbound: protected, but not as the policy demands
    UNKNOWN_SPI,          //!< inbound: no SA for the SPI
    BAD_ICV,              //!< inbound: integrity check failed
    REPLAYED,             //!< inbound: sequence number already seen
    TOO_OLD,              //!< inbound: sequence number left of the anti-replay window
    MALFORMED,            //!< inbound: truncated or inconsistent header or trailer
    SEQUENCE_EXHAUSTED,   //!< outbound: the SA's sequence number would cycle
    SA_EXPIRED,           //!< the SA's hard lifetime has passed
    DECOMPRESSION_FAILED, //!< inbound: IPComp payload did not inflate
    SA_SELECTOR_MISMATCH, //!< inbound: the verifying SA's source is not the packet's (spoofed)
    MODE_MISMATCH,        //!< inbound: IPIP in a transport SA, or a tunnel SA without IPIP
    NO_IPIP_STATE,        //!< inbound: IPIP without an IPComp tunnel SA from its source
    MESSAGE_TOO_LONG,     //!< outbound: the protected datagram would exceed 65,535 bytes
    ECN_CE_NOT_ECT,       //!< inbound: tunnel outer header CE over a Not-ECT inner (RFC 6040)
    FRAGMENTATION_NEEDED, //!< outbound: a DF datagram does not fit the MTU once protected
    CRYPTO_BACKLOG,       //!< inbound: the crypto engine's backlog is full (CPU overloaded)
};

/** Number of IpsecDropReason values. */
constexpr int IPSEC_DROP_REASON_COUNT = 19;

/**
 * \param r a reason
 * \return its kebab-case name, e.g. `bad-icv`
 */
inline std::string
ToString(IpsecDropReason r)
{
    static const char* const names[IPSEC_DROP_REASON_COUNT] = {"policy-discard",
                                                               "no-sa",
                                                               "plain-under-require",
                                                               "protection-mismatch",
                                                               "unknown-spi",
                                                               "bad-icv",
                                                               "replayed",
                                                               "too-old",
                                                               "malformed",
                                                               "sequence-exhausted",
                                                               "sa-expired",
                                                               "decompression-failed",
                                                               "sa-selector-mismatch",
                                                               "mode-mismatch",
                                                               "no-ipip-state",
                                                               "emsgsize",
                                                               "ecn-ce-not-ect",
                                                               "fragmentation-needed",
                                                               "crypto-backlog"};
    return names[static_cast<int>(r)];
}

} // namespace ns3

#endif // PRESEC_IPSEC_DROP_REASON_H
