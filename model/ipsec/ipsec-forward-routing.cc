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
                            .SetParent<Ipv4RoutingDecorator>()
                            .SetGroupName("Presec")
                            .AddConstructor<IpsecForwardRouting>();
    return tid;
}

IpsecForwardRouting::IpsecForwardRouting() = default;

IpsecForwardRouting::IpsecForwardRouting(Ptr<IpsecLayer> layer, Ptr<Ipv4RoutingProtocol> inner)
    : Ipv4RoutingDecorator(inner),
      m_layer(layer)
{
}

void
IpsecForwardRouting::DoDispose()
{
    m_layer = nullptr;
    Ipv4RoutingDecorator::DoDispose();
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
    return Ipv4RoutingDecorator::RouteInput(p, header, idev, forward, mcb, lcb, ecb);
}

} // namespace ns3
