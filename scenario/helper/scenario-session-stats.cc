/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "scenario-session-stats.h"

#include "ns3/simulator.h"

#include <algorithm>
#include <cmath>

namespace ns3
{

void
ScenarioSessionStats::JitterEstimator::Add(double transit)
{
    if (have)
    {
        j += (std::abs(transit - prev) - j) / 16.0;
    }
    prev = transit;
    have = true;
}

ScenarioSessionStats::ScenarioSessionStats(const Scenario& scenario,
                                           Ptr<ExposureMonitor> monitor,
                                           ScenarioRunResult& results,
                                           bool plain)
    : m_sc(scenario),
      m_monitor(monitor),
      m_res(results),
      m_plain(plain)
{
}

void
ScenarioSessionStats::AddSessions()
{
    size_t n = m_sc.sessions.size();
    for (size_t s = 0; s < n; ++s)
    {
        const auto& ss = m_sc.sessions[s];
        int a = m_sc.FindTerminal(ss.caller);
        int b = m_sc.FindTerminal(ss.callee);
        m_sessionOf[{a, b}] = s;
        m_sessionOf[{b, a}] = s;
        m_monitor->AddSession(uint32_t(a), uint32_t(b), uint32_t(s));
        m_res.sessions.push_back({});
        m_res.sessions[s].caller = ss.caller;
        m_res.sessions[s].callee = ss.callee;
        m_res.sessions[s].traffic = ss.traffic;
    }
    m_jitter.resize(n);
    m_firstConnect.assign(n, -1.0);
    m_connected.assign(n, false);
    m_maxSeq.assign(n, {0, 0});
    m_rxGen.assign(n, {0, 0});
}

int
ScenarioSessionStats::FindSession(int a, int b) const
{
    auto it = m_sessionOf.find({a, b});
    return it == m_sessionOf.end() ? -1 : int(it->second);
}

void
ScenarioSessionStats::VoiceReceived(size_t receiver, Ipv4Address from, Time delay, uint32_t seq)
{
    int found = FindSession(m_monitor->GetOwner(from), int(receiver));
    if (found < 0)
    {
        return;
    }
    size_t s = size_t(found);
    auto& r = m_res.sessions[s];
    // Direction 0: towards the callee.
    int dir = m_sc.FindTerminal(r.callee) == int(receiver) ? 0 : 1;
    m_jitter[s][dir].Add(delay.GetSeconds());
    if (m_plain)
    {
        ++r.received;
        r.meanDelayMs += delay.GetSeconds() * 1e3;
        ++m_rxGen[s][dir];
        m_maxSeq[s][dir] = std::max(m_maxSeq[s][dir], seq + 1);
    }
    if (dir == 1 && r.setupLatencyMs < 0 && m_firstConnect[s] >= 0)
    {
        r.setupLatencyMs = (Simulator::Now().GetSeconds() - m_firstConnect[s]) * 1e3;
    }
}

void
ScenarioSessionStats::BulkReceived(size_t receiver, Ipv4Address from, uint32_t bytes)
{
    int s = FindSession(m_monitor->GetOwner(from), int(receiver));
    if (s >= 0)
    {
        m_res.sessions[s].bulkBytes += bytes;
    }
}

void
ScenarioSessionStats::PlanConnect(size_t s, double at)
{
    if (m_firstConnect[s] < 0)
    {
        m_firstConnect[s] = at;
    }
}

void
ScenarioSessionStats::Connected(size_t s)
{
    if (!m_connected[s])
    {
        m_connected[s] = true;
        m_firstConnect[s] = Simulator::Now().GetSeconds();
    }
}

void
ScenarioSessionStats::CutJitter(size_t s)
{
    m_jitter[s][0].have = false;
    m_jitter[s][1].have = false;
}

void
ScenarioSessionStats::AddGeneration(size_t s,
                                    const SecurePeerApplication::SessionStats& caller,
                                    const SecurePeerApplication::SessionStats& callee)
{
    auto& r = m_res.sessions[s];
    r.sent += caller.sent + callee.sent;
    r.received += caller.received + callee.received;
    r.lost += caller.lost + callee.lost;
    r.bulkBytes += callee.bulkBytesReceived;
    r.meanDelayMs += (caller.delaySum + callee.delaySum).GetSeconds() * 1e3;
    CutJitter(s);
}

void
ScenarioSessionStats::StartPlainGeneration(size_t s)
{
    m_maxSeq[s] = {0, 0};
    m_rxGen[s] = {0, 0};
    CutJitter(s);
}

void
ScenarioSessionStats::EndPlainGeneration(size_t s)
{
    auto& r = m_res.sessions[s];
    for (int dir = 0; dir < 2; ++dir)
    {
        r.sent += m_maxSeq[s][dir];
        r.lost += m_maxSeq[s][dir] - m_rxGen[s][dir];
    }
}

void
ScenarioSessionStats::Finish()
{
    for (size_t s = 0; s < m_res.sessions.size(); ++s)
    {
        auto& r = m_res.sessions[s];
        r.meanDelayMs = r.received ? r.meanDelayMs / double(r.received) : 0;
        r.jitterMs = (m_jitter[s][0].j + m_jitter[s][1].j) / 2 * 1e3;
    }
}

} // namespace ns3
