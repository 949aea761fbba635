/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ipsec-forward-routing.h"

#include "ipsec-layer.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpsecForwardRouting");

NS_OBJECT_ENSURE_REGISTERED(IpsecForwardRouting);

TypeId
IpsecForwardRouting::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IpsecForwardRouting")
                            .SetParent<Ipv4RoutingProtocol>()
                            .SetGroupName("Presec")
                            .AddConstructor<IpsecForwardRouting>();
    return tid;
}

IpsecForwardRouting::IpsecForwardRouting() = default;

IpsecForwardRouting::IpsecForwardRouting(Ptr<IpsecLayer> layer, Ptr<Ipv4RoutingProtocol> inner)
    : m_layer(layer),
      m_inner(inner)
{
}

void
IpsecForwardRouting::DoDispose()
{
    m_layer = nullptr;
    m_inner = nullptr;
    Ipv4RoutingProtocol::DoDispose();
}

Ptr<Ipv4RoutingProtocol>
IpsecForwardRouting::GetInner() const
{
    return m_inner;
}

Ptr<Ipv4Route>
IpsecForwardRouting::RouteOutput(Ptr<Packet> p,
                                 const Ipv4Header& header,
                                 Ptr<NetDevice> oif,
                                 Socket::SocketErrno& sockerr)
{
    return m_inner->RouteOutput(p, header, oif, sockerr);
}

bool
IpsecForwardRouting::RouteInput(Ptr<const Packet> p,
                                const Ipv4Header& header,
                                Ptr<const NetDevice> idev,
                                UnicastForwardCallback ucb,
                                MulticastForwardCallback mcb,
                                LocalDeliverCallback lcb,
                                ErrorCallback ecb)
{
    NS_LOG_FUNCTION(this << p << header);
    Ptr<IpsecLayer> layer = m_layer;
    UnicastForwardCallback forward(
        [layer, ucb](Ptr<Ipv4Route> route, Ptr<const Packet> packet, const Ipv4Header& h) {
            layer->Forward(ucb, route, packet, h);
        });
    return m_inner->RouteInput(p, header, idev, forward, mcb, lcb, ecb);
}

void
IpsecForwardRouting::NotifyInterfaceUp(uint32_t interface)
{
    m_inner->NotifyInterfaceUp(interface);
}

void
IpsecForwardRouting::NotifyInterfaceDown(uint32_t interface)
{
    m_inner->NotifyInterfaceDown(interface);
}

void
IpsecForwardRouting::NotifyAddAddress(uint32_t interface, Ipv4InterfaceAddress address)
{
    m_inner->NotifyAddAddress(interface, address);
}

void
IpsecForwardRouting::NotifyRemoveAddress(uint32_t interface, Ipv4InterfaceAddress address)
{
    m_inner->NotifyRemoveAddress(interface, address);
}

void
IpsecForwardRouting::SetIpv4(Ptr<Ipv4> ipv4)
{
    // The wrapped protocol already has the node's Ipv4 (routing protocols refuse a second
    // SetIpv4), so Ipv4::SetRoutingProtocol's call ends here.
    NS_LOG_FUNCTION(this << ipv4);
}

void
IpsecForwardRouting::PrintRoutingTable(Ptr<OutputStreamWrapper> stream, Time::Unit unit) const
{
    m_inner->PrintRoutingTable(stream, unit);
}

} // namespace ns3
