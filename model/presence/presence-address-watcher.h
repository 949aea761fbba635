/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_PRESENCE_ADDRESS_WATCHER_H
#define PRESEC_PRESENCE_ADDRESS_WATCHER_H

#include "ns3/callback.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"
#include "ns3/socket.h"

#include <cstdint>

namespace ns3
{

class Ipv4;

/**
 * \ingroup presec-presence
 * A routing protocol that routes nothing and only listens: put at the lowest priority into a
 * node's Ipv4ListRouting, it hears Ipv4L3Protocol's NotifyAddAddress / NotifyRemoveAddress /
 * NotifyInterfaceUp / NotifyInterfaceDown, which is how ns-3.37 tells anyone that an address
 * changed (it has no trace source for it). PresenceAgent installs one per node.
 */
class PresenceAddressWatcher : public Ipv4RoutingProtocol
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    PresenceAddressWatcher();
    ~PresenceAddressWatcher() override;

    /**
     * \param cb called (synchronously) after every address or interface state change of the
     *        node; a null callback disarms the watcher
     */
    void SetChangeCallback(Callback<void> cb);

    // Ipv4RoutingProtocol: never routes anything.
    /**
     * Never a route: the next protocol of the list decides.
     * \param p the packet
     * \param header its header
     * \param oif the requested output interface
     * \param sockerr set to ERROR_NOROUTETOHOST
     * \return null
     */
    Ptr<Ipv4Route> RouteOutput(Ptr<Packet> p,
                               const Ipv4Header& header,
                               Ptr<NetDevice> oif,
                               Socket::SocketErrno& sockerr) override;
    /**
     * Never delivers nor forwards: the next protocol of the list decides.
     * \param p the packet
     * \param header its header
     * \param idev the input device
     * \param ucb unicast forwarding
     * \param mcb multicast forwarding
     * \param lcb local delivery
     * \param ecb error
     * \return false
     */
    bool RouteInput(Ptr<const Packet> p,
                    const Ipv4Header& header,
                    Ptr<const NetDevice> idev,
                    UnicastForwardCallback ucb,
                    MulticastForwardCallback mcb,
                    LocalDeliverCallback lcb,
                    ErrorCallback ecb) override;
    /**
     * An interface went up: call the change callback.
     * \param interface its index
     */
    void NotifyInterfaceUp(uint32_t interface) override;
    /**
     * An interface went down: call the change callback.
     * \param interface its index
     */
    void NotifyInterfaceDown(uint32_t interface) override;
    /**
     * An address was added: call the change callback.
     * \param interface the interface
     * \param address the address
     */
    void NotifyAddAddress(uint32_t interface, Ipv4InterfaceAddress address) override;
    /**
     * An address was removed: call the change callback.
     * \param interface the interface
     * \param address the address
     */
    void NotifyRemoveAddress(uint32_t interface, Ipv4InterfaceAddress address) override;
    /**
     * \param ipv4 the node's IPv4
     */
    void SetIpv4(Ptr<Ipv4> ipv4) override;
    /**
     * Prints that it routes nothing.
     * \param stream where to
     * \param unit time unit (unused)
     */
    void PrintRoutingTable(Ptr<OutputStreamWrapper> stream,
                           Time::Unit unit = Time::S) const override;

  protected:
    /** Release references (ns-3 Object disposal). */
    void DoDispose() override;

  private:
    Ptr<Ipv4> m_ipv4;         //!< the node's IPv4
    Callback<void> m_changed; //!< what to call on a change
};

} // namespace ns3

#endif // PRESEC_PRESENCE_ADDRESS_WATCHER_H
