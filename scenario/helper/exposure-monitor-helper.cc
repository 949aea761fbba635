/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "exposure-monitor-helper.h"

#include "ns3/csma-channel.h"
#include "ns3/node.h"
#include "ns3/switched-ethernet-channel.h"

namespace ns3
{

Ptr<ExposureMonitor>
ExposureMonitorHelper::GetMonitor()
{
    if (!m_monitor)
    {
        m_monitor = CreateObject<ExposureMonitor>();
    }
    return m_monitor;
}

Ptr<ExposureProbe>
ExposureMonitorHelper::InstallCsma(uint32_t network, Ptr<CsmaChannel> channel)
{
    Ptr<Node> station = CreateObject<Node>();
    NetDeviceContainer d = m_csma.Install(station, channel);
    m_stations.Add(d);
    return InstallSniffer(network, d.Get(0));
}

Ptr<ExposureProbe>
ExposureMonitorHelper::InstallSniffer(uint32_t network, Ptr<NetDevice> sniffer)
{
    auto probe = CreateObject<ExposureProbe>(GetMonitor(), network);
    probe->AttachEthernet(sniffer);
    m_probes.push_back(probe);
    return probe;
}

Ptr<ExposureProbe>
ExposureMonitorHelper::InstallWifiAp(uint32_t network, Ptr<NetDevice> ap)
{
    auto probe = CreateObject<ExposureProbe>(GetMonitor(), network);
    probe->AttachWifiAp(ap);
    m_probes.push_back(probe);
    return probe;
}

Ptr<ExposureProbe>
ExposureMonitorHelper::InstallSwitchMirror(uint32_t network, Ptr<SwitchedEthernetChannel> sw)
{
    auto probe = CreateObject<ExposureProbe>(GetMonitor(), network);
    probe->AttachSwitchMirror(sw);
    m_probes.push_back(probe);
    return probe;
}

int64_t
ExposureMonitorHelper::AssignStreams(int64_t stream)
{
    return m_csma.AssignStreams(m_stations, stream);
}

} // namespace ns3
