/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_IPV4_ROUTING_DECORATOR_H
#define PRESEC_IPV4_ROUTING_DECORATOR_H

#include "ns3/ipv4-routing-protocol.h"
#include "ns3/node.h"

namespace ns3
{

/**
 * \ingroup presec-common
 * A routing protocol that passes every call to a wrapped one, or, without one, routes
 * nothing (a member of an Ipv4ListRouting that only listens). ns-3.37 offers a module two
 * ways into IPv4 that these build on: the unicast-forward callback RouteInput receives (the
 * only place to take forwarded packets; IpsecForwardRouting) and the Notify calls
 * Ipv4L3Protocol makes on address and interface changes (it has no trace source for them;
 * PresenceAddressWatcher). Subclasses override only what they change.
 */
class Ipv4RoutingDecorator : public Ipv4RoutingProtocol
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /** Without a wrapped protocol: routes nothing. */
    Ipv4RoutingDecorator();

    /** \param inner the protocol that decides the routes */
    explicit Ipv4RoutingDecorator(Ptr<Ipv4RoutingProtocol> inner);

    /** \return the wrapped protocol, or null */
    Ptr<Ipv4RoutingProtocol> GetInner() const;

    /**
     * Adds \p protocol to \p node's Ipv4ListRouting (the Install of the subclasses).
     * \param node the node
     * \param protocol the protocol to add
     * \param priority its priority in the list (higher: asked first)
     * \return false when the node has no IPv4 or its routing is no Ipv4ListRouting
     */
    static bool AddToListRouting(Ptr<Node> node,
                                 Ptr<Ipv4RoutingProtocol> protocol,
                                 int16_t priority);

    /**
     * The wrapped protocol's route; without one none (ERROR_NOROUTETOHOST).
     * \param p the packet
     * \param header its IPv4 header
     * \param oif the requested output device, or nullptr
     * \param sockerr set on failure
     * \return the route, or nullptr
     */
    Ptr<Ipv4Route> RouteOutput(Ptr<Packet> p,
                               const Ipv4Header& header,
                               Ptr<NetDevice> oif,
                               Socket::SocketErrno& sockerr) override;
    /**
     * The wrapped protocol's decision; without one false (the next protocol decides).
     * \param p the packet
     * \param header its IPv4 header
     * \param idev the input device
     * \param ucb unicast forwarding
     * \param mcb multicast forwarding
     * \param lcb local delivery
     * \param ecb routing error
     * \return true if the packet was handled
     */
    bool RouteInput(Ptr<const Packet> p,
                    const Ipv4Header& header,
                    Ptr<const NetDevice> idev,
                    UnicastForwardCallback ucb,
                    MulticastForwardCallback mcb,
                    LocalDeliverCallback lcb,
                    ErrorCallback ecb) override;
    /** Passed on, then AddressesChanged. \param interface the interface index */
    void NotifyInterfaceUp(uint32_t interface) override;
    /** Passed on, then AddressesChanged. \param interface the interface index */
    void NotifyInterfaceDown(uint32_t interface) override;
    /**
     * Passed on, then AddressesChanged.
     * \param interface the interface index
     * \param address the address added
     */
    void NotifyAddAddress(uint32_t interface, Ipv4InterfaceAddress address) override;
    /**
     * Passed on, then AddressesChanged.
     * \param interface the interface index
     * \param address the address removed
     */
    void NotifyRemoveAddress(uint32_t interface, Ipv4InterfaceAddress address) override;
    /**
     * Kept; not passed on: a wrapped protocol already has the node's Ipv4 (routing protocols
     * refuse a second SetIpv4), so Ipv4::SetRoutingProtocol's call ends here.
     * \param ipv4 the node's Ipv4
     */
    void SetIpv4(Ptr<Ipv4> ipv4) override;
    /**
     * The wrapped protocol's table, or a line saying there are no routes.
     * \param stream where to print
     * \param unit the time unit
     */
    void PrintRoutingTable(Ptr<OutputStreamWrapper> stream,
                           Time::Unit unit = Time::S) const override;

  protected:
    /** Release references (ns-3 Object disposal). */
    void DoDispose() override;

    /** Called (synchronously) after each address or interface change; does nothing here. */
    virtual void AddressesChanged();

    /** \return the node's Ipv4 (SetIpv4), or null */
    Ptr<Ipv4> GetIpv4() const;

  private:
    Ptr<Ipv4RoutingProtocol> m_inner; //!< the protocol decorated, or null
    Ptr<Ipv4> m_ipv4;                 //!< the node's IPv4
};

} // namespace ns3

#endif // PRESEC_IPV4_ROUTING_DECORATOR_H
