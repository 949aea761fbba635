/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "scenario-results-collector.h"

#include "ns3/crypto-cost-model.h"
#include "ns3/ike-agent.h"
#include "ns3/ipsec-layer.h"
#include "ns3/node-applications.h"
#include "ns3/simulator.h"

#include <tuple>

namespace ns3
{

namespace
{

/// Strongest outbound protection in an SPD: level 0/1/2 and its text.
std::pair<int, std::string>
OutboundProtection(Ptr<const SecurityPolicyDatabase> spd)
{
    int best = 0;
    std::string text = "none";
    for (const auto& p : spd->GetEntries(PolicyDirection::OUT))
    {
        if (p.action != PolicyAction::IPSEC)
        {
            continue;
        }
        bool esp = false;
        bool ah = false;
        bool comp = false;
        for (const auto& r : p.requests)
        {
            esp |= r.protocol == IpsecProtocol::ESP;
            ah |= r.protocol == IpsecProtocol::AH;
            comp |= r.protocol == IpsecProtocol::IPCOMP;
        }
        int level = int(esp) + int(ah);
        if (level > best)
        {
            best = level;
            text = esp && ah ? "esp+ah" : (esp ? "esp" : "ah");
            text += comp ? "+ipcomp" : "";
        }
    }
    return {best, text};
}

} // namespace

ScenarioResultsCollector::ScenarioResultsCollector(const Scenario& scenario,
                                                   const ScenarioTopology& topology,
                                                   Ptr<ExposureMonitor> monitor,
                                                   ScenarioRunResult& results)
    : m_sc(scenario),
      m_topology(topology),
      m_monitor(monitor),
      m_res(results)
{
}

void
ScenarioResultsCollector::StartSampling(double interval)
{
    m_interval = interval;
    Simulator::Schedule(Seconds(0), &ScenarioResultsCollector::Sample, this);
}

void
ScenarioResultsCollector::Sample()
{
    double now = Simulator::Now().GetSeconds();
    const NodeContainer& terms = m_topology.GetTerminals();
    for (size_t i = 0; i < m_sc.terminals.size(); ++i)
    {
        const auto& net = m_sc.networks[m_topology.GetNetwork(i)];
        ScenarioSample x;
        x.time = now;
        x.network = net.name;
        x.trusted = net.trusted;
        x.policy = "none";
        Ptr<IpsecLayer> layer = terms.Get(i)->GetObject<IpsecLayer>();
        if (layer)
        {
            std::tie(x.policyLevel, x.policy) = OutboundProtection(layer->GetSpd());
        }
        x.exposureBytes = m_monitor->GetTerminalStats(uint32_t(i)).exposureBytes;
        Ptr<CryptoCostModel> cost = terms.Get(i)->GetObject<CryptoCostModel>();
        x.cpuBusySeconds = cost ? cost->GetBusyTime().GetSeconds() : 0;
        m_res.terminals[i].timeline.push_back(x);
    }
    double next = now + m_interval;
    if (next < m_sc.duration - 1e-9)
    {
        Simulator::Schedule(Seconds(m_interval), &ScenarioResultsCollector::Sample, this);
    }
}

void
ScenarioResultsCollector::Collect()
{
    for (size_t s = 0; s < m_res.sessions.size(); ++s)
    {
        auto& r = m_res.sessions[s];
        ExposureMonitor::SessionStats e = m_monitor->GetSessionStats(uint32_t(s));
        r.exposureBytes = e.exposureBytes;
        r.firstExposure = e.firstExposure;
        r.lastExposure = e.lastExposure;
    }
    for (size_t j = 0; j < m_sc.networks.size(); ++j)
    {
        const ExposureMonitor::NetworkStats& e = m_monitor->GetNetworkStats(uint32_t(j));
        auto& r = m_res.networks[j];
        r.clearDataBytes = e.clearDataBytes;
        r.clearDataPackets = e.clearDataPackets;
        r.signalingBytes = e.signalingBytes;
        r.protectedBytes = e.protectedBytes;
        r.protectedPackets = e.protectedPackets;
        r.lanDrops = m_topology.GetLanDrops(j);
    }
    m_monitor->EndStays();
    CollectTerminals();
}

void
ScenarioResultsCollector::CollectTerminals()
{
    const NodeContainer& terms = m_topology.GetTerminals();
    for (size_t i = 0; i < m_sc.terminals.size(); ++i)
    {
        auto& r = m_res.terminals[i];
        const ExposureMonitor::TerminalStats& e = m_monitor->GetTerminalStats(uint32_t(i));
        r.exposureBytes = e.exposureBytes;
        r.exposurePackets = e.exposurePackets;
        r.exposureWindowS = e.exposureWindowS;
        r.maxExposureWindowS = e.maxExposureWindowS;
        r.maxTimeToProtectionS = e.maxTimeToProtectionS;
        if (Ptr<IpsecLayer> layer = terms.Get(i)->GetObject<IpsecLayer>())
        {
            const IpsecLayer::Stats& c = layer->GetStats();
            r.protectedTxPackets = c.protectedTxPackets;
            r.plainTxPackets = c.plainTxPackets;
            r.protectedRxPackets = c.protectedRxPackets;
            r.plainRxPackets = c.plainRxPackets;
            r.protectedTxBytes = c.protectedTxBytes;
            r.protectedRxBytes = c.protectedRxBytes;
            r.overheadBytes = c.overheadTxBytes;
            r.signalingBytes = c.bypassTxBytes; // SIP and IKE: the bypassing services
            for (int k = 0; k < IPSEC_DROP_REASON_COUNT; ++k)
            {
                if (c.drops[k])
                {
                    r.drops[ToString(static_cast<IpsecDropReason>(k))] = c.drops[k];
                }
            }
            r.mismatchDrops = c.drops[int(IpsecDropReason::PLAIN_UNDER_REQUIRE)] +
                              c.drops[int(IpsecDropReason::PROTECTION_MISMATCH)];
            m_res.tamperDetected += c.drops[int(IpsecDropReason::BAD_ICV)];
        }
        if (Ptr<IkeAgent> ike = FindApplication<IkeAgent>(terms.Get(i)))
        {
            const IkeAgent::Stats& st = ike->GetStats();
            double sum = 0;
            uint32_t n = 0;
            for (const auto& h : st.handovers)
            {
                ++r.ikeHandovers;
                r.ikeHandoverMessages += h.messages;
                r.ikeHandoverBytes += h.bytes;
                if (!h.toProtection.IsNegative())
                {
                    sum += h.toProtection.GetSeconds();
                    ++n;
                }
            }
            r.ikeAddressUpdates = st.addressUpdates;
            r.ikeTimeToProtectionS = n > 0 ? sum / n : -1;
        }
        Ptr<CryptoCostModel> cost = terms.Get(i)->GetObject<CryptoCostModel>();
        r.cpuBusySeconds = cost ? cost->GetBusyTime().GetSeconds() : 0;
        // The CPU draws its active power while busy with IPsec (the profile's figure, at its
        // clock); the radio's energy comes from ns-3's energy framework.
        r.cpuEnergyJ = cost ? r.cpuBusySeconds * cost->GetProfile().activePowerW : 0;
        r.radioEnergyJ = m_topology.GetRadioEnergy(i);
        r.unplannedAssociations = m_topology.GetUnplannedAssociations(i);
        r.batteryPercent =
            (r.cpuEnergyJ + r.radioEnergyJ) / (m_sc.terminals[i].batteryWh * 3600) * 100;
    }
}

} // namespace ns3
