/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_ECN_TUNNEL_H
#define PRESEC_ECN_TUNNEL_H

#include "ns3/ipv4-header.h"

#include <optional>

namespace ns3
{

/**
 * \ingroup presec-ipsec
 * ECN of the outer header when a tunnel encapsulates a packet (RFC 6040 §4.1, normal mode,
 * as Linux's XFRM does): the inner ECN is copied, except that CE becomes ECT(0), so a
 * congestion mark is not counted twice when the outer header is marked again.
 * \param inner the inner header's ECN
 * \return the outer header's ECN
 */
inline Ipv4Header::EcnType
EncapsulateEcn(Ipv4Header::EcnType inner)
{
    return inner == Ipv4Header::ECN_CE ? Ipv4Header::ECN_ECT0 : inner;
}

/**
 * \ingroup presec-ipsec
 * ECN of the inner header when a tunnel decapsulates a packet (RFC 6040 §4.2, Figure 4).
 * \param inner the arriving inner header's ECN
 * \param outer the arriving outer header's ECN
 * \return the inner header's new ECN, or empty when the packet must be dropped (a CE mark on
 *         the outer header of a Not-ECT inner packet: the congestion signal cannot be passed on)
 */
inline std::optional<Ipv4Header::EcnType>
DecapsulateEcn(Ipv4Header::EcnType inner, Ipv4Header::EcnType outer)
{
    if (inner == Ipv4Header::ECN_NotECT)
    {
        if (outer == Ipv4Header::ECN_CE)
        {
            return std::nullopt;
        }
        return Ipv4Header::ECN_NotECT;
    }
    if (outer == Ipv4Header::ECN_CE || inner == Ipv4Header::ECN_CE)
    {
        return Ipv4Header::ECN_CE;
    }
    if (outer == Ipv4Header::ECN_ECT1)
    {
        return Ipv4Header::ECN_ECT1; // ECT(0) inner, ECT(1) outer: ECT(1)
    }
    return inner;
}

} // namespace ns3

#endif // PRESEC_ECN_TUNNEL_H
