/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "session-generation-helper.h"

#include "ns3/simulator.h"

#include <algorithm>
#include <map>
#include <set>

namespace ns3
{

SessionGenerationHelper::SessionGenerationHelper(const Scenario& scenario,
                                                 const ScenarioTopology& topology,
                                                 ScenarioSessionStats& stats)
    : m_sc(scenario),
      m_topology(topology),
      m_stats(stats)
{
}

void
SessionGenerationHelper::SetRestartAtMoves(bool restart)
{
    m_restart = restart;
}

std::vector<SessionGenerationHelper::Component>
SessionGenerationHelper::Components(const Scenario& scenario)
{
    size_t t = scenario.terminals.size();
    std::vector<size_t> parent(t);
    for (size_t i = 0; i < t; ++i)
    {
        parent[i] = i;
    }
    std::function<size_t(size_t)> root = [&](size_t x) {
        return parent[x] == x ? x : parent[x] = root(parent[x]);
    };
    for (const auto& s : scenario.sessions)
    {
        size_t a = root(size_t(scenario.FindTerminal(s.caller)));
        size_t b = root(size_t(scenario.FindTerminal(s.callee)));
        parent[std::max(a, b)] = std::min(a, b);
    }
    std::map<size_t, Component> byRoot;
    for (size_t i = 0; i < t; ++i)
    {
        byRoot[root(i)].members.push_back(i);
    }
    for (size_t s = 0; s < scenario.sessions.size(); ++s)
    {
        byRoot[root(size_t(scenario.FindTerminal(scenario.sessions[s].caller)))].sessions.push_back(
            s);
    }
    std::vector<Component> out;
    for (auto& [r, c] : byRoot)
    {
        out.push_back(std::move(c));
    }
    return out;
}

void
SessionGenerationHelper::Install()
{
    for (const auto& c : Components(m_sc))
    {
        // The component's run is cut at every move of a member and every end of one of its
        // sessions; a terminal without sessions gets one application for the whole run.
        std::set<double> bounds{0.0, m_sc.duration};
        if (!c.sessions.empty())
        {
            for (size_t i : c.members)
            {
                const auto& path = m_topology.GetPath(i);
                for (size_t k = 1; m_restart && k < path.size(); ++k)
                {
                    bounds.insert(path[k].first);
                }
            }
            for (size_t s : c.sessions)
            {
                const auto& ss = m_sc.sessions[s];
                if (ss.duration > 0 && ss.start + ss.duration < m_sc.duration)
                {
                    bounds.insert(ss.start + ss.duration);
                }
            }
        }
        std::vector<double> b(bounds.begin(), bounds.end());
        for (size_t g = 0; g + 1 < b.size(); ++g)
        {
            InstallGeneration(c, g, b[g], b[g + 1]);
        }
    }
}

void
SessionGenerationHelper::WhenAddressed(size_t s,
                                       size_t a,
                                       size_t cc,
                                       double to,
                                       std::function<void(Ipv4Address, Ipv4Address)> action)
{
    Ipv4Address addrA = m_topology.AddrHere(a);
    Ipv4Address addrC = m_topology.AddrHere(cc);
    if (addrA == Ipv4Address::GetAny() || addrC == Ipv4Address::GetAny())
    {
        // Not (yet) leased: try again shortly.
        if (Simulator::Now().GetSeconds() + 0.05 < to)
        {
            Simulator::Schedule(MilliSeconds(50), [this, s, a, cc, to, action]() {
                WhenAddressed(s, a, cc, to, action);
            });
        }
        return;
    }
    m_stats.Connected(s);
    action(addrA, addrC);
}

} // namespace ns3
