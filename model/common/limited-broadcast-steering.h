/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_LIMITED_BROADCAST_STEERING_H
#define PRESEC_LIMITED_BROADCAST_STEERING_H

#include "ns3/ip-l4-protocol.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv4.h"
#include "ns3/node.h"
#include "ns3/object.h"
#include "ns3/packet.h"

#include <cstdint>

namespace ns3
{

/**
 * \ingroup presec-common
 * Sends a UDP limited broadcast from 0.0.0.0 out of the interface that has no address yet,
 * not out of every interface.
 *
 * ns-3's UdpSocketImpl sends a limited broadcast once per interface (only the bound one for a
 * socket bound to a device), from that interface's first address, without a route; a
 * DhcpClient's Discover goes from 0.0.0.0, the address it gives its interface until it has a
 * lease. Ipv4L3Protocol::Send then sends a route-less limited broadcast from 0.0.0.0 out of
 * every interface (ns-3.37, and still in 3.48), so a docked terminal's radio's Discover also
 * leaves by its wired interface, onto the office LAN and its pcap. Installed on such a
 * multi-homed node, this gives that datagram a route through the one interface that is up
 * and whose address is 0.0.0.0 (what the socket meant); with none or several such interfaces
 * it leaves ns-3's behaviour as it is. It wraps UDP's down target, so install it before the IPsec
 * layer (which then wraps it) or after, as the node's wiring requires.
 */
class LimitedBroadcastSteering : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /** Counters. */
    struct Stats
    {
        uint64_t steered{0}; //!< datagrams given the address-less interface's route
        uint64_t left{0};    //!< from 0.0.0.0 with no or several address-less interfaces
    };

    /**
     * Wraps \p node's UDP down target and aggregates the steering to the node.
     * \param node a node with the internet stack
     * \return the steering installed
     */
    static Ptr<LimitedBroadcastSteering> Install(Ptr<Node> node);

    /** \return the counters */
    const Stats& GetStats() const;

  protected:
    /** Drops the stack and the wrapped target. */
    void DoDispose() override;

  private:
    /**
     * UDP's down target.
     * \param p the datagram
     * \param source its source address
     * \param destination its destination address
     * \param protocol the protocol number
     * \param route its route, null for a limited broadcast
     */
    void Send(Ptr<Packet> p,
              Ipv4Address source,
              Ipv4Address destination,
              uint8_t protocol,
              Ptr<Ipv4Route> route);

    Ptr<Ipv4> m_ipv4;                        //!< the node's stack
    IpL4Protocol::DownTargetCallback m_next; //!< UDP's target before
    Stats m_stats;                           //!< counters
};

} // namespace ns3

#endif // PRESEC_LIMITED_BROADCAST_STEERING_H
