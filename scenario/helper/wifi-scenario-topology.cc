/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "wifi-scenario-topology.h"

#include "ns3/basic-energy-source-helper.h"
#include "ns3/csma-helper.h"
#include "ns3/csma-net-device.h"
#include "ns3/dhcp-client.h"
#include "ns3/double.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/wifi-helper.h"
#include "ns3/wifi-radio-energy-model-helper.h"
#include "ns3/yans-wifi-helper.h"

#include <algorithm>
#include <cmath>

namespace ns3
{

bool
WifiScenarioTopology::HasFixedAddresses() const
{
    return false;
}

void
WifiScenarioTopology::ChooseCorePrefix()
{
    // Private, never leaves the simulation.
    for (const char* core : {"192.168.255.0/24", "10.255.255.0/24", "172.31.255.0/24"})
    {
        ScenarioNetwork probe;
        std::string c(core);
        probe.prefix = Ipv4Address(c.substr(0, c.find('/')).c_str());
        probe.prefixLength = 24;
        bool clash = false;
        for (const auto& n : m_sc.networks)
        {
            clash |= n.Contains(probe.prefix) || probe.Contains(n.prefix);
        }
        if (!clash)
        {
            m_roaming.SetCorePrefix(core);
            break;
        }
    }
}

void
WifiScenarioTopology::Build(int64_t& stream)
{
    SetPaths();
    // Reach: half the smallest distance between two APs (the parser keeps them >= 10 m
    // apart), at most 50 m.
    double reach = 50;
    for (size_t a = 0; a < m_n; ++a)
    {
        for (size_t b = a + 1; b < m_n; ++b)
        {
            const auto& x = m_sc.networks[a];
            const auto& y = m_sc.networks[b];
            reach = std::min(reach, std::hypot(x.x - y.x, x.y - y.y) / 2);
        }
    }
    m_roaming.SetCoverageRadius(reach);
    ChooseCorePrefix();
    for (const auto& n : m_sc.networks)
    {
        m_roaming.AddNetwork(n.name, n.PrefixText(), Vector(n.x, n.y, 0));
    }
    m_router = m_roaming.GetCoreRouter();
    m_terms.Create(m_t);
    InternetStackHelper stack;
    stack.Install(m_terms);
    NetDeviceContainer wifiDevs;
    for (size_t j = 0; j < m_n; ++j)
    {
        wifiDevs.Add(m_roaming.GetApDevice(m_sc.networks[j].name));
    }
    // Each station's radio draws from a battery of the terminal's capacity (ns-3's energy
    // framework: WifiRadioEnergyModel's default currents for 802.11 states, 3 V supply).
    m_radioEnergy.resize(m_t);
    for (size_t i = 0; i < m_t; ++i)
    {
        NetDeviceContainer sta =
            m_roaming.Install(NodeContainer(m_terms.Get(i)), m_sc.terminals[i].network);
        wifiDevs.Add(sta);
        BasicEnergySourceHelper battery;
        battery.Set("BasicEnergySourceInitialEnergyJ",
                    DoubleValue(m_sc.terminals[i].batteryWh * 3600));
        EnergySourceContainer sources = battery.Install(m_terms.Get(i));
        m_radioEnergy[i] = WifiRadioEnergyModelHelper().Install(sta.Get(0), sources.Get(0)).Get(0);
    }
    // Fixed streams (see CsmaScenarioTopology::Build): stacks, Wi-Fi, the core's CSMA, DHCP
    // clients.
    NodeContainer infra(m_router);
    NetDeviceContainer coreDevs;
    for (size_t j = 0; j < m_n; ++j)
    {
        infra.Add(m_roaming.GetAccessPoint(m_sc.networks[j].name));
    }
    for (auto it = infra.Begin(); it != infra.End(); ++it)
    {
        for (uint32_t d = 0; d < (*it)->GetNDevices(); ++d)
        {
            if (DynamicCast<CsmaNetDevice>((*it)->GetDevice(d)))
            {
                coreDevs.Add((*it)->GetDevice(d));
            }
        }
    }
    NodeContainer all(infra);
    all.Add(m_terms);
    stream += stack.AssignStreams(all, stream);
    stream += WifiHelper().AssignStreams(wifiDevs, stream);
    stream += CsmaHelper().AssignStreams(coreDevs, stream);
    m_walkEnd.assign(m_t, Seconds(0));
    for (size_t i = 0; i < m_t; ++i)
    {
        Ptr<DhcpClient> dhcp = m_roaming.GetDhcpClient(m_terms.Get(i));
        stream += dhcp->AssignStreams(stream);
        dhcp->TraceConnectWithoutContext(
            "NewLease",
            Callback<void, const Ipv4Address&>([this, i](const Ipv4Address& a) {
                m_monitor->AddAddress(a, uint32_t(i));
                m_addrHistory[i].insert(a.Get());
            }));
    }
    for (size_t i = 0; i < m_t; ++i)
    {
        Arrive(i, m_path[i].front().second);
    }
}

double
WifiScenarioTopology::GetRadioEnergy(size_t i) const
{
    return m_radioEnergy.at(i) ? m_radioEnergy[i]->GetTotalEnergyConsumption() : 0;
}

void
WifiScenarioTopology::PlanMove(size_t i, size_t k)
{
    // The jump is planned before the run (waypoints); association and lease follow by
    // themselves.
    Time start = std::max(Seconds(m_path[i][k].first), m_walkEnd[i]);
    m_walkEnd[i] =
        m_roaming.Walk(m_terms.Get(i), m_sc.networks[m_path[i][k].second].name, start, 1000.0);
}

void
WifiScenarioTopology::InstallProbe(ExposureMonitorHelper& exposure,
                                   size_t net,
                                   int64_t& /* stream */)
{
    exposure.InstallWifiAp(uint32_t(net), m_roaming.GetApDevice(m_sc.networks[net].name));
}

void
WifiScenarioTopology::EnablePcap(const std::string& prefix)
{
    YansWifiPhyHelper phy;
    phy.SetPcapDataLinkType(WifiPhyHelper::DLT_IEEE802_11_RADIO);
    for (size_t j = 0; j < m_n; ++j)
    {
        phy.EnablePcap(prefix + "-" + m_sc.networks[j].name + ".pcap",
                       m_roaming.GetApDevice(m_sc.networks[j].name),
                       true,
                       true);
    }
}

} // namespace ns3
