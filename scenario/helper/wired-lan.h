/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_WIRED_LAN_H
#define PRESEC_WIRED_LAN_H

#include "ns3/csma-channel.h"
#include "ns3/csma-helper.h"
#include "ns3/data-rate.h"
#include "ns3/ipv4-address.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/switched-ethernet-channel.h"

#include <map>
#include <string>
#include <vector>

namespace ns3
{

class ExposureMonitorHelper;

/**
 * \ingroup presec-scenario
 * One wired network of a scenario, as a hub or as a switch: on a hub every device shares one
 * CSMA segment (every frame reaches every station); on a switch each station has a
 * full-duplex link of its own to a learning switch (SwitchedEthernetChannel: frames go to
 * their destination's port, broadcasts and unknown destinations to every port). Both scenario
 * topologies (all-CSMA and mixed media) build their wired networks with it.
 *
 * A terminal that leaves the network pulls its cable here (Detach: off the hub's segment, or
 * its switch port down); WiredAttachmentHelper does the IP side.
 */
class WiredLan
{
  public:
    /**
     * \param switched a switch rather than a hub
     * \param rate the hub's rate, or each switch link's
     * \param delay the hub's propagation delay, or each switch link's
     */
    explicit WiredLan(bool switched,
                      DataRate rate = DataRate("100Mbps"),
                      Time delay = MicroSeconds(50));

    /**
     * Connects the nodes.
     * \param nodes the gateway first, then the stations
     * \param stream the next random stream (advanced)
     * \return their devices, in the nodes' order
     */
    NetDeviceContainer Build(const NodeContainer& nodes, int64_t& stream);

    /**
     * Connects one more station after Build (background guests, a registrar).
     * \param node the station
     * \param stream the next random stream (advanced)
     * \return its device
     */
    Ptr<NetDevice> AddStation(Ptr<Node> node, int64_t& stream);

    /**
     * Stations of a network's own (background guests) after Build: each with AddStation, the
     * next host number's address and a default route through the network's .1.
     * \param stations nodes with an Internet stack
     * \param prefix the network's prefix
     * \param prefixLength its length
     * \param nextHost the next free host number; advanced
     * \param stream the next random stream (advanced)
     * \return their addresses
     */
    std::vector<Ipv4Address> AddHosts(const NodeContainer& stations,
                                      Ipv4Address prefix,
                                      uint8_t prefixLength,
                                      uint32_t& nextHost,
                                      int64_t& stream);

    /**
     * Puts the network's exposure probe where an eavesdropper would listen: on a hub, the
     * segment; on a switch, the mirror port (every frame entering the switch) when
     * \p mirrored, else a port of its own (what the switch floods).
     * \param exposure the monitor's helper
     * \param network the network's index in the monitor
     * \param mirrored a mirror port (switch only)
     */
    void InstallProbe(ExposureMonitorHelper& exposure, uint32_t network, bool mirrored);

    /**
     * Writes the network's frames to an Ethernet pcap. On a hub: the segment, as the gateway's
     * promiscuous device hears it. On a switch, where the gateway's port carries only its own
     * frames and broadcasts: every frame as it enters the switch, from any port, as a mirror
     * port of all ingress traffic shows it (each frame once, station-to-station frames too).
     * \param file the pcap's name
     * \param gateway the gateway's device on this network
     */
    void EnablePcap(const std::string& file, Ptr<NetDevice> gateway);

    /**
     * Pull a station's cable: it neither sends nor receives on this network.
     * \param device its device here
     */
    void Detach(Ptr<NetDevice> device);

    /**
     * Plug a station's cable back in.
     * \param device its device here
     */
    void Reattach(Ptr<NetDevice> device);

    /**
     * \return the frames the switch and its stations' devices dropped so far, by reason
     *         (empty on a hub)
     */
    std::map<std::string, uint64_t> GetDrops() const;

    /** \return the switch (null on a hub) */
    Ptr<SwitchedEthernetChannel> GetSwitch() const;

  private:
    /**
     * A link from a new port of the switch to the station.
     * \param station the station
     * \return the station's device
     */
    Ptr<NetDevice> AddPort(Ptr<Node> station);

    CsmaHelper m_csma;                     //!< makes the hub's segment
    bool m_switched;                       //!< switch or hub
    Ptr<CsmaChannel> m_hub;                //!< the hub's segment
    Ptr<SwitchedEthernetChannel> m_switch; //!< the switch and its links
};

} // namespace ns3

#endif // PRESEC_WIRED_LAN_H
