/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "exposure-monitor-helper.h"

#include "ns3/csma-channel.h"
#include "ns3/esp-transform.h"
#include "ns3/ipsec-layer.h"
#include "ns3/node.h"
#include "ns3/switched-ethernet-channel.h"

#include <memory>
#include <unordered_map>

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
    probe->SetEspSaLookup(m_espSas);
    m_probes.push_back(probe);
    return probe;
}

Ptr<ExposureProbe>
ExposureMonitorHelper::InstallWifiAp(uint32_t network, Ptr<NetDevice> ap)
{
    auto probe = CreateObject<ExposureProbe>(GetMonitor(), network);
    probe->AttachWifiAp(ap);
    probe->SetEspSaLookup(m_espSas);
    m_probes.push_back(probe);
    return probe;
}

Ptr<ExposureProbe>
ExposureMonitorHelper::InstallSwitchMirror(uint32_t network, Ptr<SwitchedEthernetChannel> sw)
{
    auto probe = CreateObject<ExposureProbe>(GetMonitor(), network);
    probe->AttachSwitchMirror(sw);
    probe->SetEspSaLookup(m_espSas);
    m_probes.push_back(probe);
    return probe;
}

int64_t
ExposureMonitorHelper::AssignStreams(int64_t stream)
{
    return m_csma.AssignStreams(m_stations, stream);
}

void
ExposureMonitorHelper::SetEspSas(NodeContainer nodes)
{
    // SPIs are unique per destination, and a packet's SA exists at its sender before the
    // packet is on the wire: a found SA is remembered, an unknown one asked again.
    auto known = std::make_shared<std::unordered_map<uint64_t, ExposureProbe::EspSaView>>();
    m_espSas = ExposureProbe::EspSaLookup(
        [nodes, known](uint32_t spi, Ipv4Address destination, ExposureProbe::EspSaView& view) {
            const uint64_t key = (uint64_t(spi) << 32) | destination.Get();
            if (auto it = known->find(key); it != known->end())
            {
                view = it->second;
                return true;
            }
            for (auto n = nodes.Begin(); n != nodes.End(); ++n)
            {
                Ptr<IpsecLayer> layer = (*n)->GetObject<IpsecLayer>();
                Ptr<SecurityAssociation> sa =
                    layer ? layer->GetSad()->FindInbound(spi, destination, IpsecProtocol::ESP)
                          : nullptr;
                if (sa)
                {
                    view.encrypts = sa->encryption != EncryptionAlgorithm::NULL_ENC;
                    view.icvBytes = EspTransform::GetIcvSize(*sa);
                    known->emplace(key, view);
                    return true;
                }
            }
            return false;
        });
    for (auto& probe : m_probes)
    {
        probe->SetEspSaLookup(m_espSas);
    }
}

} // namespace ns3
