/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_IPCOMP_TRANSFORM_H
#define PRESEC_IPCOMP_TRANSFORM_H

#include "ipsec-transform-result.h"
#include "security-association.h"

#include "ns3/packet.h"

#include <cstdint>

namespace ns3
{

/**
 * \ingroup presec-ipsec
 * The IPComp packet transform (RFC 3173) with the DEFLATE algorithm (RFC 2394): raw deflate,
 * no zlib header, each datagram compressed on its own. Compression is real in every crypto
 * mode, since sizes depend on it.
 *
 * The sender compresses with a 2 KiB window (zlib windowBits 11) because Linux inflates IPComp
 * with that window; the receiver accepts any window. The CPI is the low 16 bits of the SA's
 * SPI. Only packets that were compressed count against the SA's lifetime, on both sides.
 */
class IpcompTransform
{
  public:
    /** IP protocol number of IPComp. */
    static constexpr uint8_t PROT_NUMBER = 108;

    /** Smallest payload Linux tries to compress with deflate (net/xfrm/xfrm_algo.c). */
    static constexpr uint32_t DEFAULT_THRESHOLD = 90;

    /** Largest payload Unprotect inflates; more is refused as a decompression bomb. */
    static constexpr uint32_t MAX_INFLATED_BYTES = 65535;

    /**
     * Compress a packet if it is worth it: payloads below \p thresholdBytes, and payloads
     * that would not shrink with the 4-byte header, are returned unchanged without a header
     * (RFC 3173 §2.2).
     * \param inner the payload
     * \param nextHeader its protocol
     * \param sa the IPComp SA (CPI = low 16 bits of its SPI)
     * \param thresholdBytes smallest payload to try
     * \return the packet starting with the IPComp header and nextHeader 108, or \p inner
     *         (a copy) with \p nextHeader; or a drop with SA_EXPIRED
     */
    static TransformResult Protect(Ptr<const Packet> inner,
                                   uint8_t nextHeader,
                                   SecurityAssociation& sa,
                                   uint32_t thresholdBytes = DEFAULT_THRESHOLD);

    /**
     * Strip the IPComp header and inflate.
     * \param packet the packet starting with the IPComp header
     * \param sa the IPComp SA
     * \return the payload and its protocol; or a drop with SA_EXPIRED, MALFORMED (shorter than
     *         the header) or DECOMPRESSION_FAILED (bad data, truncated stream, or more than
     *         MAX_INFLATED_BYTES)
     */
    static TransformResult Unprotect(Ptr<const Packet> packet, SecurityAssociation& sa);

    /**
     * Strip the IPComp header and inflate, without an SA: what anyone on the link can do
     * (IPComp hides nothing; an eavesdropper reads through it).
     * \param packet the packet starting with the IPComp header
     * \return the payload and its protocol; or a drop with MALFORMED (shorter than the header)
     *         or DECOMPRESSION_FAILED (bad data, truncated stream, or more than
     *         MAX_INFLATED_BYTES)
     */
    static TransformResult Inflate(Ptr<const Packet> packet);

    /**
     * \param packet a packet starting with an IPComp header
     * \return its CPI, or 0 when it is shorter than 4 bytes
     */
    static uint16_t PeekCpi(Ptr<const Packet> packet);

    /**
     * \param sa an IPComp SA
     * \return its CPI
     */
    static uint16_t GetCpi(const SecurityAssociation& sa);
};

} // namespace ns3

#endif // PRESEC_IPCOMP_TRANSFORM_H
