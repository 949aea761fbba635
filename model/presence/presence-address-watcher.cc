/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "presence-address-watcher.h"

#include "ns3/ipv4-route.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/output-stream-wrapper.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("PresenceAddressWatcher");

NS_OBJECT_ENSURE_REGISTERED(PresenceAddressWatcher);

TypeId
PresenceAddressWatcher::GetTypeId()
{
    static TypeId tid = TypeId("ns3::PresenceAddressWatcher")
                            .SetParent<Ipv4RoutingProtocol>()
                            .SetGroupName("Presec")
                            .AddConstructor<PresenceAddressWatcher>();
    return tid;
}

PresenceAddressWatcher::PresenceAddressWatcher()
{
    NS_LOG_FUNCTION(this);
}

PresenceAddressWatcher::~PresenceAddressWatcher()
{
    NS_LOG_FUNCTION(this);
}

void
PresenceAddressWatcher::SetChangeCallback(Callback<void> cb)
{
    m_changed = cb;
}

Ptr<Ipv4Route>
PresenceAddressWatcher::RouteOutput(Ptr<Packet> /* p */,
                                    const Ipv4Header& /* header */,
                                    Ptr<NetDevice> /* oif */,
                                    Socket::SocketErrno& sockerr)
{
    sockerr = Socket::ERROR_NOROUTETOHOST;
    return nullptr;
}

bool
PresenceAddressWatcher::RouteInput(Ptr<const Packet> /* p */,
                                   const Ipv4Header& /* header */,
                                   Ptr<const NetDevice> /* idev */,
                                   UnicastForwardCallback /* ucb */,
                                   MulticastForwardCallback /* mcb */,
                                   LocalDeliverCallback /* lcb */,
                                   ErrorCallback /* ecb */)
{
    return false;
}

void
PresenceAddressWatcher::NotifyInterfaceUp(uint32_t interface)
{
    NS_LOG_FUNCTION(this << interface);
    if (!m_changed.IsNull())
    {
        m_changed();
    }
}

void
PresenceAddressWatcher::NotifyInterfaceDown(uint32_t interface)
{
    NS_LOG_FUNCTION(this << interface);
    if (!m_changed.IsNull())
    {
        m_changed();
    }
}

void
PresenceAddressWatcher::NotifyAddAddress(uint32_t interface, Ipv4InterfaceAddress address)
{
    NS_LOG_FUNCTION(this << interface << address);
    if (!m_changed.IsNull())
    {
        m_changed();
    }
}

void
PresenceAddressWatcher::NotifyRemoveAddress(uint32_t interface, Ipv4InterfaceAddress address)
{
    NS_LOG_FUNCTION(this << interface << address);
    if (!m_changed.IsNull())
    {
        m_changed();
    }
}

void
PresenceAddressWatcher::SetIpv4(Ptr<Ipv4> ipv4)
{
    m_ipv4 = ipv4;
}

void
PresenceAddressWatcher::PrintRoutingTable(Ptr<OutputStreamWrapper> stream, Time::Unit) const
{
    *stream->GetStream() << "PresenceAddressWatcher: no routes (listens for address changes)"
                         << std::endl;
}

void
PresenceAddressWatcher::DoDispose()
{
    m_ipv4 = nullptr;
    m_changed = Callback<void>();
    Ipv4RoutingProtocol::DoDispose();
}

} // namespace ns3
