/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "weak-host-routing.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/log.h"

#include <algorithm>
#include <limits>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WeakHostRouting");

NS_OBJECT_ENSURE_REGISTERED(WeakHostRouting);

TypeId
WeakHostRouting::GetTypeId()
{
    static TypeId tid = TypeId("ns3::WeakHostRouting")
                            .SetParent<Ipv4RoutingDecorator>()
                            .SetGroupName("Presec")
                            .AddConstructor<WeakHostRouting>();
    return tid;
}

WeakHostRouting::WeakHostRouting()
{
    NS_LOG_FUNCTION(this);
}

WeakHostRouting::~WeakHostRouting()
{
    NS_LOG_FUNCTION(this);
}

Ptr<WeakHostRouting>
WeakHostRouting::Install(Ptr<Node> node)
{
    Ptr<Ipv4L3Protocol> ipv4 = node->GetObject<Ipv4L3Protocol>();
    NS_ABORT_MSG_IF(!ipv4, "WeakHostRouting: node " << node->GetId() << " has no IPv4");
    auto routing = CreateObject<WeakHostRouting>();
    NS_ABORT_MSG_IF(!AddToListRouting(node, routing, std::numeric_limits<int16_t>::max()),
                    "WeakHostRouting: node " << node->GetId() << " has no Ipv4ListRouting");
    ipv4->SetAttribute("WeakEsModel", BooleanValue(false));
    return routing;
}

bool
WeakHostRouting::RouteInput(Ptr<const Packet> p,
                            const Ipv4Header& header,
                            Ptr<const NetDevice> idev,
                            UnicastForwardCallback /* ucb */,
                            MulticastForwardCallback /* mcb */,
                            LocalDeliverCallback lcb,
                            ErrorCallback /* ecb */)
{
    Ipv4Address dst = header.GetDestination();
    if (lcb.IsNull() || dst.IsMulticast() || dst.IsBroadcast() || !IsLocal(dst))
    {
        return false; // the strong check before this one saw the rest
    }
    NS_LOG_LOGIC("local delivery of " << dst << " (another interface's address)");
    lcb(p, header, uint32_t(GetIpv4()->GetInterfaceForDevice(idev)));
    return true;
}

void
WeakHostRouting::SetIpv4(Ptr<Ipv4> ipv4)
{
    Ipv4RoutingDecorator::SetIpv4(ipv4);
    AddressesChanged();
}

bool
WeakHostRouting::IsLocal(Ipv4Address address) const
{
    return std::binary_search(m_local.begin(), m_local.end(), address.Get());
}

void
WeakHostRouting::AddressesChanged()
{
    m_local.clear();
    Ptr<Ipv4> ipv4 = GetIpv4();
    if (!ipv4)
    {
        return;
    }
    // As Ipv4L3Protocol::IsDestinationAddress: every interface, up or down.
    for (uint32_t j = 0; j < ipv4->GetNInterfaces(); ++j)
    {
        for (uint32_t i = 0; i < ipv4->GetNAddresses(j); ++i)
        {
            Ipv4InterfaceAddress a = ipv4->GetAddress(j, i);
            m_local.push_back(a.GetLocal().Get());
            m_local.push_back(a.GetBroadcast().Get());
        }
    }
    std::sort(m_local.begin(), m_local.end());
    m_local.erase(std::unique(m_local.begin(), m_local.end()), m_local.end());
}

} // namespace ns3
