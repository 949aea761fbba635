/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_BACKGROUND_LOAD_HELPER_H
#define PRESEC_BACKGROUND_LOAD_HELPER_H

#include "ns3/application-container.h"
#include "ns3/ipv4-address.h"
#include "ns3/node-container.h"
#include "ns3/nstime.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-scenario
 * Background load on an access link (or a Wi-Fi network's air): each station receives a
 * Poisson stream of UDP datagrams
 * from a server beyond the link and sends one to it; together the streams offer a share of
 * the link's rate in each direction. The streams' rates count the bytes the link carries
 * (payload, UDP, IPv4 and the point-to-point header), so load 0.8 means 80% of the link busy.
 * Datagrams go to the discard port (9), where a PacketSink takes them.
 */
class BackgroundLoadHelper
{
  public:
    /// UDP port of the sinks.
    static constexpr uint16_t kPort = 9;

    /**
     * \param payload UDP payload bytes per datagram
     * \param load offered load, share of the rate, each direction (0, 1]
     * \param down the link's rate towards the stations (bit/s)
     * \param up the link's rate from the stations (bit/s)
     * \param linkHeader bytes the link adds to each IPv4 packet in the rates (2: PPP; 0: the
     *        rates are IP-level bit rates, as a Wi-Fi network's background rate)
     */
    BackgroundLoadHelper(uint32_t payload,
                         double load,
                         uint64_t down,
                         uint64_t up,
                         uint32_t linkHeader = 2);

    /**
     * A sink on the discard port of each node (the server needs one, once).
     * \param nodes the nodes
     * \param stop when the sinks stop
     */
    static void InstallSink(const NodeContainer& nodes, Time stop);

    /**
     * Install the streams, and sinks on the stations.
     * \param server the node beyond the link (with a sink of its own: InstallSink)
     * \param serverAddress its address
     * \param stations the stations (addressed, routed)
     * \param stationAddresses their addresses, in the same order
     * \param start when the streams start
     * \param stop when the streams stop
     * \param stream the first random stream; advanced past those used
     * \return the sending applications
     */
    ApplicationContainer Install(Ptr<Node> server,
                                 Ipv4Address serverAddress,
                                 const NodeContainer& stations,
                                 const std::vector<Ipv4Address>& stationAddresses,
                                 Time start,
                                 Time stop,
                                 int64_t& stream) const;

    /**
     * \param rate a link rate (bit/s)
     * \param stations the streams sharing the load
     * \return the mean gap between one stream's datagrams
     */
    Time MeanInterval(uint64_t rate, uint32_t stations) const;

  private:
    uint32_t m_payload;    //!< UDP payload bytes
    double m_load;         //!< offered load
    uint64_t m_down;       //!< rate towards the stations
    uint64_t m_up;         //!< rate from the stations
    uint32_t m_linkHeader; //!< link header bytes counted in the rates
};

} // namespace ns3

#endif // PRESEC_BACKGROUND_LOAD_HELPER_H
