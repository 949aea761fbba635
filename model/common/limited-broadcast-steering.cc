/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "limited-broadcast-steering.h"

#include "ns3/abort.h"
#include "ns3/ipv4-route.h"
#include "ns3/log.h"
#include "ns3/udp-l4-protocol.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("LimitedBroadcastSteering");

NS_OBJECT_ENSURE_REGISTERED(LimitedBroadcastSteering);

TypeId
LimitedBroadcastSteering::GetTypeId()
{
    static TypeId tid = TypeId("ns3::LimitedBroadcastSteering")
                            .SetParent<Object>()
                            .SetGroupName("Presec")
                            .AddConstructor<LimitedBroadcastSteering>();
    return tid;
}

Ptr<LimitedBroadcastSteering>
LimitedBroadcastSteering::Install(Ptr<Node> node)
{
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    NS_ABORT_MSG_IF(!ipv4, "LimitedBroadcastSteering: node " << node->GetId() << " has no Ipv4");
    Ptr<IpL4Protocol> udp = ipv4->GetProtocol(UdpL4Protocol::PROT_NUMBER);
    NS_ABORT_MSG_IF(!udp, "LimitedBroadcastSteering: node " << node->GetId() << " has no UDP");
    auto steering = CreateObject<LimitedBroadcastSteering>();
    steering->m_ipv4 = ipv4;
    steering->m_next = udp->GetDownTarget();
    udp->SetDownTarget(MakeCallback(&LimitedBroadcastSteering::Send, steering.operator->()));
    node->AggregateObject(steering);
    return steering;
}

const LimitedBroadcastSteering::Stats&
LimitedBroadcastSteering::GetStats() const
{
    return m_stats;
}

void
LimitedBroadcastSteering::DoDispose()
{
    m_ipv4 = nullptr;
    m_next = IpL4Protocol::DownTargetCallback();
    Object::DoDispose();
}

void
LimitedBroadcastSteering::Send(Ptr<Packet> p,
                               Ipv4Address source,
                               Ipv4Address destination,
                               uint8_t protocol,
                               Ptr<Ipv4Route> route)
{
    if (!route && source.IsAny() && destination.IsBroadcast())
    {
        int32_t found = -1;
        uint32_t count = 0;
        for (uint32_t i = 0; i < m_ipv4->GetNInterfaces(); ++i)
        {
            // An interface that is down (a pulled cable's placeholder 0.0.0.0) does not count.
            if (m_ipv4->IsUp(i) && m_ipv4->GetNAddresses(i) > 0 &&
                m_ipv4->GetAddress(i, 0).GetLocal().IsAny())
            {
                found = int32_t(i);
                ++count;
            }
        }
        if (count == 1)
        {
            route = Create<Ipv4Route>();
            route->SetDestination(destination);
            route->SetGateway(Ipv4Address::GetAny());
            route->SetSource(source);
            route->SetOutputDevice(m_ipv4->GetNetDevice(uint32_t(found)));
            ++m_stats.steered;
        }
        else
        {
            ++m_stats.left;
        }
    }
    m_next(p, source, destination, protocol, route);
}

} // namespace ns3
