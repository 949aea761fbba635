/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "node-addresses.h"

#include "ns3/ipv4-header.h"
#include "ns3/ipv4-route.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/ipv4.h"
#include "ns3/node.h"
#include "ns3/packet.h"

#include <algorithm>

namespace ns3
{

std::vector<Ipv4Address>
NodeAddresses::Collect(Ptr<Node> node)
{
    std::vector<Ipv4Address> out;
    Ptr<Ipv4> ipv4 = node ? node->GetObject<Ipv4>() : nullptr;
    if (!ipv4)
    {
        return out;
    }
    for (uint32_t i = 0; i < ipv4->GetNInterfaces(); ++i)
    {
        if (!ipv4->IsUp(i))
        {
            continue;
        }
        for (uint32_t j = 0; j < ipv4->GetNAddresses(i); ++j)
        {
            Ipv4Address a = ipv4->GetAddress(i, j).GetLocal();
            if (a.IsLocalhost() || a == Ipv4Address::GetAny() || a.IsBroadcast() ||
                (a.Get() >> 24) == 127)
            {
                continue;
            }
            out.push_back(a);
        }
    }
    return out;
}

std::vector<Ipv4Address>
NodeAddresses::CollectPrimaryFirst(Ptr<Node> node)
{
    std::vector<Ipv4Address> out = Collect(node);
    // 0.0.0.0 matches no link's prefix: only a default route reaches it.
    Ipv4Address primary = SourceFor(node, Ipv4Address::GetZero());
    auto it = std::find(out.begin(), out.end(), primary);
    if (it != out.end())
    {
        std::rotate(out.begin(), it, it + 1);
    }
    return out;
}

Ipv4Address
NodeAddresses::SourceFor(Ptr<Node> node, Ipv4Address peer)
{
    Ptr<Ipv4> ipv4 = node ? node->GetObject<Ipv4>() : nullptr;
    if (ipv4 && ipv4->GetRoutingProtocol())
    {
        Ipv4Header h;
        h.SetDestination(peer);
        h.SetProtocol(17); // as a UDP datagram (SIP, IKE, voice) would be routed
        Socket::SocketErrno err;
        Ptr<Ipv4Route> route =
            ipv4->GetRoutingProtocol()->RouteOutput(Create<Packet>(), h, nullptr, err);
        if (route && route->GetSource() != Ipv4Address::GetAny())
        {
            return route->GetSource();
        }
    }
    std::vector<Ipv4Address> addrs = Collect(node);
    return addrs.empty() ? Ipv4Address::GetAny() : addrs.front();
}

} // namespace ns3
