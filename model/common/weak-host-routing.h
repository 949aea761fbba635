/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_WEAK_HOST_ROUTING_H
#define PRESEC_WEAK_HOST_ROUTING_H

#include "ns3/ipv4-routing-decorator.h"
#include "ns3/node.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-common
 * The weak host model (RFC 1122 section 3.3.4.2) for a router, at the cost of one lookup.
 *
 * ns-3.37's Ipv4L3Protocol implements the weak model (WeakEsModel, the default) by walking
 * every address of every interface for each packet it receives, and Ipv4ListRouting and
 * Ipv4StaticRouting each ask once: on a router with 45 interfaces that is about 12,000
 * instructions per forwarded packet, a tenth of a campus run. Install() turns the node to the
 * strong model (only the receiving interface's addresses are checked) and puts this protocol
 * first in the node's Ipv4ListRouting, where it delivers locally what is addressed to any other
 * interface's address or subnet broadcast (the weak model's answer) from a sorted table kept
 * up to date by the address and interface notifications. Everything else goes on to the
 * next protocol. Ipv4ListRouting checks forwarding on the receiving interface before it asks
 * any protocol, so Install() belongs on nodes that forward on every interface (routers).
 */
class WeakHostRouting : public Ipv4RoutingDecorator
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    WeakHostRouting();
    ~WeakHostRouting() override;

    /**
     * Turns \p node's IPv4 to the strong model and adds a WeakHostRouting first in its
     * Ipv4ListRouting.
     * \param node a node with the internet stack and Ipv4ListRouting
     * \return the protocol added
     */
    static Ptr<WeakHostRouting> Install(Ptr<Node> node);

    /**
     * Local delivery of unicast packets addressed to another interface of this node.
     * \param p the packet
     * \param header its IPv4 header
     * \param idev the input device
     * \param ucb unicast forwarding (unused)
     * \param mcb multicast forwarding (unused)
     * \param lcb local delivery
     * \param ecb routing error (unused)
     * \return true if delivered here
     */
    bool RouteInput(Ptr<const Packet> p,
                    const Ipv4Header& header,
                    Ptr<const NetDevice> idev,
                    UnicastForwardCallback ucb,
                    MulticastForwardCallback mcb,
                    LocalDeliverCallback lcb,
                    ErrorCallback ecb) override;

    /** \param ipv4 the node's IPv4; reads its addresses */
    void SetIpv4(Ptr<Ipv4> ipv4) override;

    /**
     * \param address an IPv4 address
     * \return whether it is one of the node's addresses or subnet broadcasts
     */
    bool IsLocal(Ipv4Address address) const;

  protected:
    /** Rebuilds the table from the node's interfaces. */
    void AddressesChanged() override;

  private:
    std::vector<uint32_t> m_local; //!< sorted: every interface's addresses and broadcasts
};

} // namespace ns3

#endif // PRESEC_WEAK_HOST_ROUTING_H
