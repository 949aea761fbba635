/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "static-route-cache.h"

#include "ns3/abort.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/log.h"

#include <limits>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("StaticRouteCache");

NS_OBJECT_ENSURE_REGISTERED(StaticRouteCache);

TypeId
StaticRouteCache::GetTypeId()
{
    static TypeId tid = TypeId("ns3::StaticRouteCache")
                            .SetParent<Ipv4RoutingDecorator>()
                            .SetGroupName("Presec")
                            .AddConstructor<StaticRouteCache>();
    return tid;
}

StaticRouteCache::StaticRouteCache()
{
    NS_LOG_FUNCTION(this);
}

StaticRouteCache::~StaticRouteCache()
{
    NS_LOG_FUNCTION(this);
}

Ptr<StaticRouteCache>
StaticRouteCache::Install(Ptr<Node> node)
{
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    auto cache = CreateObject<StaticRouteCache>();
    cache->m_static = ipv4 ? Ipv4StaticRoutingHelper().GetStaticRouting(ipv4) : nullptr;
    // Behind WeakHostRouting (the highest priority), in front of everything else.
    NS_ABORT_MSG_IF(!cache->m_static ||
                        !AddToListRouting(node, cache, std::numeric_limits<int16_t>::max() - 1),
                    "StaticRouteCache: node " << node->GetId()
                                              << " has no Ipv4ListRouting with static routing");
    return cache;
}

bool
StaticRouteCache::RouteInput(Ptr<const Packet> p,
                             const Ipv4Header& header,
                             Ptr<const NetDevice> /* idev */,
                             UnicastForwardCallback ucb,
                             MulticastForwardCallback /* mcb */,
                             LocalDeliverCallback /* lcb */,
                             ErrorCallback /* ecb */)
{
    Ipv4Address dst = header.GetDestination();
    if (!m_static || dst.IsMulticast() || dst.IsBroadcast())
    {
        return false;
    }
    if (m_static->GetNRoutes() != m_nRoutes)
    {
        Flush();
        m_nRoutes = m_static->GetNRoutes();
    }
    auto it = m_routes.find(dst.Get());
    if (it == m_routes.end())
    {
        Ipv4Header h;
        h.SetDestination(dst);
        Socket::SocketErrno err;
        it = m_routes.emplace(dst.Get(), m_static->RouteOutput(nullptr, h, nullptr, err)).first;
    }
    if (!it->second)
    {
        return false;
    }
    NS_LOG_LOGIC("forwarding to " << dst << " via " << it->second->GetGateway());
    ucb(it->second, p, header);
    return true;
}

void
StaticRouteCache::Flush()
{
    m_routes.clear();
}

size_t
StaticRouteCache::GetNCached() const
{
    return m_routes.size();
}

void
StaticRouteCache::AddressesChanged()
{
    Flush();
}

void
StaticRouteCache::DoDispose()
{
    m_routes.clear();
    m_static = nullptr;
    Ipv4RoutingDecorator::DoDispose();
}

} // namespace ns3
