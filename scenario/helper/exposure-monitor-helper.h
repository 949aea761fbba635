/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_EXPOSURE_MONITOR_HELPER_H
#define PRESEC_EXPOSURE_MONITOR_HELPER_H

#include "ns3/csma-helper.h"
#include "ns3/exposure-monitor.h"
#include "ns3/exposure-probe.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"

#include <cstdint>
#include <vector>

namespace ns3
{

class CsmaChannel;
class SwitchedEthernetChannel;

/**
 * \ingroup presec-scenario
 * Installs exposure probes on networks and hands out their monitor, as FlowMonitorHelper
 * does for flow probes: one ExposureMonitor per helper, created on first use, and one
 * ExposureProbe per eavesdropped network. Keep the helper for as long as the simulation runs.
 *
 * \code
 *   ExposureMonitorHelper exposure;
 *   Ptr<ExposureMonitor> monitor = exposure.GetMonitor();
 *   uint32_t net = monitor->AddNetwork(false);
 *   exposure.InstallCsma(net, channel);
 *   stream += exposure.AssignStreams(stream);
 * \endcode
 */
class ExposureMonitorHelper
{
  public:
    /** \return the monitor (created on the first call) */
    Ptr<ExposureMonitor> GetMonitor();
    /**
     * A promiscuous station on a CSMA segment (a node of its own) and its probe.
     * \param network the network's index in the monitor
     * \param channel the segment
     * \return the probe
     */
    Ptr<ExposureProbe> InstallCsma(uint32_t network, Ptr<CsmaChannel> channel);
    /**
     * A probe on the air of a Wi-Fi access point.
     * \param network the network's index in the monitor
     * \param ap the access point's WifiNetDevice
     * \return the probe
     */
    Ptr<ExposureProbe> InstallWifiAp(uint32_t network, Ptr<NetDevice> ap);
    /**
     * A probe on the mirror (SPAN) port of a switch: it sees every frame entering the switch.
     * \param network the network's index in the monitor
     * \param sw the switch
     * \return the probe
     */
    Ptr<ExposureProbe> InstallSwitchMirror(uint32_t network, Ptr<SwitchedEthernetChannel> sw);
    /**
     * A probe on a station that is already cabled (a switch port of its own): what its
     * device's PromiscSniffer trace shows.
     * \param network the network's index in the monitor
     * \param sniffer the station's device
     * \return the probe
     */
    Ptr<ExposureProbe> InstallSniffer(uint32_t network, Ptr<NetDevice> sniffer);
    /**
     * Fixed random streams for the CSMA stations installed so far (their back-off).
     * \param stream the first stream
     * \return the number of streams used
     */
    int64_t AssignStreams(int64_t stream);

    /**
     * Let the probes, installed and to come, read the ESP SAs of these nodes (their
     * IpsecLayers' SADs), so ESP with NULL encryption counts as what it carries. An SA is
     * looked up once per (SPI, destination) and remembered.
     * \param nodes the nodes whose SAs an eavesdropper could know (nodes without an
     *        IpsecLayer are skipped)
     */
    void SetEspSas(NodeContainer nodes);

  private:
    Ptr<ExposureMonitor> m_monitor; //!< the monitor
    CsmaHelper m_csma;              //!< builds the CSMA stations
    NetDeviceContainer m_stations;  //!< CSMA stations installed
    /// The probes: the helper keeps them (their traces hold plain pointers to them), as
    /// FlowMonitorHelper keeps its monitor; the probes hold the monitor, not the reverse.
    std::vector<Ptr<ExposureProbe>> m_probes;
    ExposureProbe::EspSaLookup m_espSas; //!< given to every probe (null: none)
};

} // namespace ns3

#endif // PRESEC_EXPOSURE_MONITOR_HELPER_H
