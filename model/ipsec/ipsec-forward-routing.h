/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_IPSEC_FORWARD_ROUTING_H
#define PRESEC_IPSEC_FORWARD_ROUTING_H

#include "ns3/ipv4-routing-decorator.h"

namespace ns3
{

class IpsecLayer;

/**
 * \ingroup presec-ipsec
 * The forwarding hook of a security gateway (patent FIG. 7, tunnel endpoint 719): a
 * decorator around a node's routing protocol that hands every packet the routing decides to
 * forward to the IpsecLayer (fwd-policy check, then tunnel-mode protection or plain
 * forwarding) instead of straight to Ipv4L3Protocol's forwarding.
 *
 * ns-3.37 forwards in Ipv4L3Protocol's private, non-virtual IpForward; the unicast-forward
 * callback that RouteInput receives is the one place a module can take forwarded packets,
 * hence a decorator (Ipv4RoutingDecorator). Everything else is passed to the wrapped
 * protocol unchanged. Helpers that look for Ipv4StaticRouting or Ipv4ListRouting through
 * Ipv4::GetRoutingProtocol do not see through the decorator: set up routes before
 * IpsecLayer::Install, or on GetInner().
 */
class IpsecForwardRouting : public Ipv4RoutingDecorator
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    IpsecForwardRouting();

    /**
     * \param layer the node's IPsec layer
     * \param inner the routing protocol that decides the routes
     */
    IpsecForwardRouting(Ptr<IpsecLayer> layer, Ptr<Ipv4RoutingProtocol> inner);

    /**
     * The wrapped protocol's decision, with \p ucb replaced by IpsecLayer::Forward.
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

  protected:
    /** Release references (ns-3 Object disposal). */
    void DoDispose() override;

  private:
    Ptr<IpsecLayer> m_layer; //!< the node's IPsec layer
};

} // namespace ns3

#endif // PRESEC_IPSEC_FORWARD_ROUTING_H
