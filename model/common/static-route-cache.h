/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_STATIC_ROUTE_CACHE_H
#define PRESEC_STATIC_ROUTE_CACHE_H

#include "ns3/ipv4-routing-decorator.h"
#include "ns3/ipv4-static-routing.h"
#include "ns3/node.h"

#include <cstdint>
#include <unordered_map>

namespace ns3
{

/**
 * \ingroup presec-common
 * A router's forwarding decisions, remembered per destination.
 *
 * ns-3.37's Ipv4StaticRouting looks every forwarded packet up by walking its whole table
 * (each entry's prefix length counted bit by bit): on campus-1000's router about 14,000
 * instructions per packet, a tenth of a run. Install() puts this protocol in front of the
 * node's Ipv4StaticRouting in its Ipv4ListRouting; it forwards a unicast packet along the route
 * the static routing gives its destination (asked once, through RouteOutput, which performs
 * the same lookup) and keeps the answer until the node's addresses or interfaces change or the
 * static table's size does. Local delivery is decided before it (Ipv4ListRouting, or a
 * WeakHostRouting placed first); multicast and broadcast go on to the static routing, and so
 * does a destination without a route (the next protocol may know one).
 *
 * A route replaced by another in one step (removed and added between two packets, the table's
 * size unchanged) would not be seen: install it on routers whose tables are built before the
 * run, as the scenario topologies do, or call Flush() after such a change.
 */
class StaticRouteCache : public Ipv4RoutingDecorator
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    StaticRouteCache();
    ~StaticRouteCache() override;

    /**
     * Adds a StaticRouteCache to \p node's Ipv4ListRouting, in front of its Ipv4StaticRouting
     * and behind a WeakHostRouting.
     * \param node a node with the internet stack, Ipv4ListRouting and Ipv4StaticRouting
     * \return the protocol added
     */
    static Ptr<StaticRouteCache> Install(Ptr<Node> node);

    /**
     * Forwards a unicast packet along its destination's remembered route.
     * \param p the packet
     * \param header its IPv4 header
     * \param idev the input device
     * \param ucb unicast forwarding
     * \param mcb multicast forwarding (unused)
     * \param lcb local delivery (unused)
     * \param ecb routing error (unused)
     * \return true if forwarded
     */
    bool RouteInput(Ptr<const Packet> p,
                    const Ipv4Header& header,
                    Ptr<const NetDevice> idev,
                    UnicastForwardCallback ucb,
                    MulticastForwardCallback mcb,
                    LocalDeliverCallback lcb,
                    ErrorCallback ecb) override;

    /** Forgets every remembered route. */
    void Flush();

    /** \return the number of destinations remembered */
    size_t GetNCached() const;

  protected:
    /** Addresses or interfaces changed: the routes may have. */
    void AddressesChanged() override;
    /** Drops the routes and the static routing. */
    void DoDispose() override;

  private:
    Ptr<Ipv4StaticRouting> m_static;                       //!< whose routes it remembers
    uint32_t m_nRoutes{0};                                 //!< its table's size when filled
    std::unordered_map<uint32_t, Ptr<Ipv4Route>> m_routes; //!< by destination; null: none
};

} // namespace ns3

#endif // PRESEC_STATIC_ROUTE_CACHE_H
