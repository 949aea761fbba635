/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "exposure-monitor.h"

#include "ns3/log.h"
#include "ns3/simulator.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("ExposureMonitor");
NS_OBJECT_ENSURE_REGISTERED(ExposureMonitor);

TypeId
ExposureMonitor::GetTypeId()
{
    static TypeId tid = TypeId("ns3::ExposureMonitor")
                            .SetParent<Object>()
                            .SetGroupName("PresecScenario")
                            .AddConstructor<ExposureMonitor>();
    return tid;
}

uint32_t
ExposureMonitor::AddNetwork(bool trusted)
{
    m_trusted.push_back(trusted);
    m_networks.emplace_back();
    return uint32_t(m_networks.size() - 1);
}

void
ExposureMonitor::SetTerminals(uint32_t n)
{
    m_terminals.assign(n, TerminalStats());
    m_stays.assign(n, Stay());
}

void
ExposureMonitor::AddAddress(Ipv4Address address, uint32_t terminal)
{
    m_owner[address.Get()] = int(terminal);
}

int
ExposureMonitor::GetOwner(Ipv4Address address) const
{
    auto it = m_owner.find(address.Get());
    return it == m_owner.end() ? -1 : it->second;
}

void
ExposureMonitor::AddSession(uint32_t a, uint32_t b, uint32_t session)
{
    m_sessionOf[{int(a), int(b)}] = session;
    m_sessionOf[{int(b), int(a)}] = session;
    if (m_sessions.size() <= session)
    {
        m_sessions.resize(session + 1);
    }
}

void
ExposureMonitor::Arrive(uint32_t terminal, uint32_t network)
{
    NS_LOG_FUNCTION(this << terminal << network);
    EndStay(terminal);
    Stay& s = m_stays.at(terminal);
    s.network = int(network);
    s.start = Simulator::Now().GetSeconds();
}

void
ExposureMonitor::EndStays()
{
    for (uint32_t i = 0; i < m_stays.size(); ++i)
    {
        EndStay(i);
    }
}

void
ExposureMonitor::EndStay(uint32_t terminal)
{
    Stay& s = m_stays.at(terminal);
    if (s.network >= 0 && !m_trusted[s.network] && s.lastClear >= 0)
    {
        double w = s.lastClear - s.start;
        TerminalStats& r = m_terminals[terminal];
        r.exposureWindowS += w;
        r.maxExposureWindowS = std::max(r.maxExposureWindowS, w);
    }
    s.lastClear = -1;
    s.protectedSeen = false;
}

bool
ExposureMonitor::StaysUntrusted(int terminal, uint32_t network) const
{
    return terminal >= 0 && m_stays[terminal].network == int(network) && !m_trusted[network];
}

void
ExposureMonitor::ReportProtected(uint32_t network,
                                 Ipv4Address src,
                                 Ipv4Address dst,
                                 uint32_t payload)
{
    NetworkStats& net = m_networks.at(network);
    net.protectedBytes += payload;
    ++net.protectedPackets;
    int a = GetOwner(src);
    int b = GetOwner(dst);
    for (int t : {a, b == a ? -1 : b}) // each terminal once; no allocation per packet
    {
        if (StaysUntrusted(t, network) && !m_stays[t].protectedSeen)
        {
            m_stays[t].protectedSeen = true;
            TerminalStats& r = m_terminals[t];
            r.maxTimeToProtectionS =
                std::max(r.maxTimeToProtectionS, Simulator::Now().GetSeconds() - m_stays[t].start);
        }
    }
}

void
ExposureMonitor::ReportSignaling(uint32_t network, uint32_t payload)
{
    m_networks.at(network).signalingBytes += payload;
}

void
ExposureMonitor::ReportClearData(uint32_t network,
                                 Ipv4Address src,
                                 Ipv4Address dst,
                                 uint32_t payload)
{
    int a = GetOwner(src);
    int b = GetOwner(dst);
    if (a < 0 && b < 0)
    {
        // Other users' traffic (background load): not the terminals' exposure.
        return;
    }
    NetworkStats& net = m_networks.at(network);
    net.clearDataBytes += payload;
    ++net.clearDataPackets;
    double now = Simulator::Now().GetSeconds();
    for (int t : {a, b == a ? -1 : b})
    {
        if (t >= 0)
        {
            m_terminals[t].exposureBytes += payload;
            ++m_terminals[t].exposurePackets;
            if (StaysUntrusted(t, network))
            {
                m_stays[t].lastClear = now;
            }
        }
    }
    auto it = m_sessionOf.find({a, b});
    if (it != m_sessionOf.end())
    {
        SessionStats& s = m_sessions[it->second];
        s.exposureBytes += payload;
        if (s.firstExposure < 0)
        {
            s.firstExposure = now;
        }
        s.lastExposure = now;
    }
}

const ExposureMonitor::NetworkStats&
ExposureMonitor::GetNetworkStats(uint32_t network) const
{
    return m_networks.at(network);
}

const ExposureMonitor::TerminalStats&
ExposureMonitor::GetTerminalStats(uint32_t terminal) const
{
    return m_terminals.at(terminal);
}

ExposureMonitor::SessionStats
ExposureMonitor::GetSessionStats(uint32_t session) const
{
    return session < m_sessions.size() ? m_sessions[session] : SessionStats();
}

} // namespace ns3
