/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_AH_TRANSFORM_H
#define PRESEC_AH_TRANSFORM_H

#include "ipsec-crypto.h"
#include "ipsec-transform-result.h"
#include "security-association.h"

#include "ns3/ipv4-address.h"
#include "ns3/packet.h"

#include <cstdint>

namespace ns3
{

/**
 * \ingroup presec-ipsec
 * The AH packet transform (RFC 4302) for IPv4 without options.
 *
 * The ICV covers (§3.3.3.1.1.1): the IPv4 header with its mutable fields zeroed (TOS, flags
 * and fragment offset, TTL, checksum) and its immutable ones as sent (version/IHL 0x45, total
 * length = 20 + AH packet size, identification, protocol 51, source, destination); then the
 * AH header with a zero ICV; then the payload. The outer IPv4 header the caller sends must
 * therefore carry exactly the \p src, \p dst and \p identification given here, no options,
 * and be sent unfragmented or reassembled before Unprotect.
 *
 * Real mode: truncated HMAC (RFC 2404, RFC 4868). Modeled mode: IpsecCrypto::ModeledTag over
 * the same bytes. The payload is never transformed, so the inner packet keeps its headers and
 * tags in both modes.
 */
class AhTransform
{
  public:
    /** IP protocol number of AH. */
    static constexpr uint8_t PROT_NUMBER = 51;

    /**
     * Protect a packet. Takes the next sequence number from the SA and counts the payload
     * bytes against its lifetime.
     * \param inner the payload (an L4 segment, or an IPv4 packet in tunnel mode)
     * \param nextHeader its protocol (4 for a tunnelled IPv4 packet)
     * \param src source address of the outer IPv4 header
     * \param dst destination address of the outer IPv4 header
     * \param identification identification field of the outer IPv4 header
     * \param sa the outbound SA (its integrity algorithm and key)
     * \param mode modeled or real crypto
     * \return the packet starting with the AH header and nextHeader 51; or a drop with
     *         SA_EXPIRED or SEQUENCE_EXHAUSTED
     */
    static TransformResult Protect(Ptr<const Packet> inner,
                                   uint8_t nextHeader,
                                   Ipv4Address src,
                                   Ipv4Address dst,
                                   uint16_t identification,
                                   SecurityAssociation& sa,
                                   CryptoMode mode);

    /**
     * Verify and strip AH: length and Payload Len, anti-replay, ICV; only then advance the
     * replay window and count the bytes.
     * \param packet the packet starting with the AH header
     * \param src source address of the IPv4 header it arrived with
     * \param dst destination address of that header
     * \param identification identification field of that header
     * \param sa the inbound SA
     * \param mode modeled or real crypto
     * \return the payload and its protocol; or a drop with SA_EXPIRED, MALFORMED, REPLAYED,
     *         TOO_OLD or BAD_ICV
     */
    static TransformResult Unprotect(Ptr<const Packet> packet,
                                     Ipv4Address src,
                                     Ipv4Address dst,
                                     uint16_t identification,
                                     SecurityAssociation& sa,
                                     CryptoMode mode);

    /**
     * \param ah a packet starting with an AH header
     * \return its SPI, or 0 when it is shorter than 8 bytes
     */
    static uint32_t PeekSpi(Ptr<const Packet> ah);

    /**
     * Bytes AH adds: 12 + the ICV padded to a multiple of 4.
     * \param sa the SA
     * \return the overhead in bytes
     */
    static uint32_t Overhead(const SecurityAssociation& sa);
};

} // namespace ns3

#endif // PRESEC_AH_TRANSFORM_H
