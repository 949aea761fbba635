/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_CSMA_LAN_H
#define PRESEC_CSMA_LAN_H

#include "ns3/bridge-net-device.h"
#include "ns3/csma-channel.h"
#include "ns3/csma-helper.h"
#include "ns3/ipv4-address.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/pcap-file-wrapper.h"

#include <string>
#include <vector>

namespace ns3
{

class ExposureMonitorHelper;

/**
 * \ingroup presec-scenario
 * One wired network of a scenario, as a hub or as a switch: on a hub every device shares one
 * CSMA segment (every frame reaches every station); on a switch each station has a CSMA link
 * of its own to a port of a BridgeNetDevice on a node of its own (frames go to their
 * destination's port, broadcasts and unknown destinations to all). Both scenario topologies
 * (all-CSMA and mixed media) build their wired networks with it.
 *
 * A station's device sends on its own channel (device->GetChannel()): a terminal that leaves
 * the network detaches from it there (CsmaAttachmentHelper), on a hub and a switch alike.
 */
class CsmaLan
{
  public:
    /**
     * \param csma makes the segments and links (rate, delay)
     * \param switched a switch rather than a hub
     */
    CsmaLan(const CsmaHelper& csma, bool switched);

    /**
     * Connects the nodes.
     * \param nodes the gateway first, then the stations
     * \param stream the next random stream (advanced)
     * \return their devices, in the nodes' order
     */
    NetDeviceContainer Build(const NodeContainer& nodes, int64_t& stream);

    /**
     * Connects one more station after Build (background guests, a registrar); a switch takes
     * ports until the simulation runs.
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
     * segment; on a switch, the mirror port (every port's traffic) when \p mirrored, else a
     * port of its own (what the switch floods).
     * \param exposure the monitor's helper
     * \param network the network's index in the monitor
     * \param mirrored a mirror port (switch only)
     * \param stream the next random stream (advanced)
     */
    void InstallProbe(ExposureMonitorHelper& exposure,
                      uint32_t network,
                      bool mirrored,
                      int64_t& stream);

    /**
     * Writes the network's frames to an Ethernet pcap. On a hub: the segment, as the gateway's
     * promiscuous device hears it. On a switch, where the gateway's port carries only its own
     * frames and broadcasts: every frame as it enters the switch, from any port, as a mirror
     * port of all ingress traffic shows it (each frame once, station-to-station frames too).
     * \param file the pcap's name
     * \param gateway the gateway's device on this network
     */
    void EnablePcap(const std::string& file, Ptr<NetDevice> gateway);

  private:
    /**
     * A link from a new port of the switch to the station.
     * \param station the station
     * \param stream the next random stream (advanced)
     * \return the station's device
     */
    Ptr<NetDevice> AddPort(Ptr<Node> station, int64_t& stream);

    CsmaHelper m_csma;             //!< makes segments and links
    bool m_switched;               //!< switch or hub
    Ptr<CsmaChannel> m_hub;        //!< the hub's segment
    Ptr<Node> m_switch;            //!< the switch's node
    Ptr<BridgeNetDevice> m_bridge; //!< the switch
    NetDeviceContainer m_ports;    //!< the switch's ports
    Ptr<PcapFileWrapper> m_pcap;   //!< the switch's ingress pcap, when enabled
};

} // namespace ns3

#endif // PRESEC_CSMA_LAN_H
