/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ipv4-routing-decorator.h"

#include "ns3/ipv4-list-routing.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/output-stream-wrapper.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("Ipv4RoutingDecorator");

NS_OBJECT_ENSURE_REGISTERED(Ipv4RoutingDecorator);

TypeId
Ipv4RoutingDecorator::GetTypeId()
{
    static TypeId tid = TypeId("ns3::Ipv4RoutingDecorator")
                            .SetParent<Ipv4RoutingProtocol>()
                            .SetGroupName("Presec")
                            .AddConstructor<Ipv4RoutingDecorator>();
    return tid;
}

Ipv4RoutingDecorator::Ipv4RoutingDecorator() = default;

Ipv4RoutingDecorator::Ipv4RoutingDecorator(Ptr<Ipv4RoutingProtocol> inner)
    : m_inner(inner)
{
}

void
Ipv4RoutingDecorator::DoDispose()
{
    m_inner = nullptr;
    m_ipv4 = nullptr;
    Ipv4RoutingProtocol::DoDispose();
}

Ptr<Ipv4RoutingProtocol>
Ipv4RoutingDecorator::GetInner() const
{
    return m_inner;
}

bool
Ipv4RoutingDecorator::AddToListRouting(Ptr<Node> node,
                                       Ptr<Ipv4RoutingProtocol> protocol,
                                       int16_t priority)
{
    Ptr<Ipv4> ipv4 = node ? node->GetObject<Ipv4>() : nullptr;
    Ptr<Ipv4ListRouting> list =
        ipv4 ? DynamicCast<Ipv4ListRouting>(ipv4->GetRoutingProtocol()) : nullptr;
    if (!list)
    {
        return false;
    }
    list->AddRoutingProtocol(protocol, priority);
    return true;
}

Ptr<Ipv4>
Ipv4RoutingDecorator::GetIpv4() const
{
    return m_ipv4;
}

void
Ipv4RoutingDecorator::AddressesChanged()
{
}

Ptr<Ipv4Route>
Ipv4RoutingDecorator::RouteOutput(Ptr<Packet> p,
                                  const Ipv4Header& header,
                                  Ptr<NetDevice> oif,
                                  Socket::SocketErrno& sockerr)
{
    if (!m_inner)
    {
        sockerr = Socket::ERROR_NOROUTETOHOST;
        return nullptr;
    }
    return m_inner->RouteOutput(p, header, oif, sockerr);
}

bool
Ipv4RoutingDecorator::RouteInput(Ptr<const Packet> p,
                                 const Ipv4Header& header,
                                 Ptr<const NetDevice> idev,
                                 UnicastForwardCallback ucb,
                                 MulticastForwardCallback mcb,
                                 LocalDeliverCallback lcb,
                                 ErrorCallback ecb)
{
    return m_inner && m_inner->RouteInput(p, header, idev, ucb, mcb, lcb, ecb);
}

void
Ipv4RoutingDecorator::NotifyInterfaceUp(uint32_t interface)
{
    NS_LOG_FUNCTION(this << interface);
    if (m_inner)
    {
        m_inner->NotifyInterfaceUp(interface);
    }
    AddressesChanged();
}

void
Ipv4RoutingDecorator::NotifyInterfaceDown(uint32_t interface)
{
    NS_LOG_FUNCTION(this << interface);
    if (m_inner)
    {
        m_inner->NotifyInterfaceDown(interface);
    }
    AddressesChanged();
}

void
Ipv4RoutingDecorator::NotifyAddAddress(uint32_t interface, Ipv4InterfaceAddress address)
{
    NS_LOG_FUNCTION(this << interface << address);
    if (m_inner)
    {
        m_inner->NotifyAddAddress(interface, address);
    }
    AddressesChanged();
}

void
Ipv4RoutingDecorator::NotifyRemoveAddress(uint32_t interface, Ipv4InterfaceAddress address)
{
    NS_LOG_FUNCTION(this << interface << address);
    if (m_inner)
    {
        m_inner->NotifyRemoveAddress(interface, address);
    }
    AddressesChanged();
}

void
Ipv4RoutingDecorator::SetIpv4(Ptr<Ipv4> ipv4)
{
    NS_LOG_FUNCTION(this << ipv4);
    m_ipv4 = ipv4;
}

void
Ipv4RoutingDecorator::PrintRoutingTable(Ptr<OutputStreamWrapper> stream, Time::Unit unit) const
{
    if (m_inner)
    {
        m_inner->PrintRoutingTable(stream, unit);
        return;
    }
    *stream->GetStream() << GetInstanceTypeId().GetName()
                         << ": no routes (listens for address changes)" << std::endl;
}

} // namespace ns3
