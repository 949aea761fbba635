/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "presec-generation-helper.h"

#include "ns3/decision-model-factory.h"
#include "ns3/ipsec-helper.h"
#include "ns3/ipsec-layer.h"
#include "ns3/pointer.h"
#include "ns3/secure-peer-helper.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <iomanip>
#include <map>
#include <sstream>
#include <utility>

namespace ns3
{

namespace
{

/// A decision model by name (alias or TypeId) with its attributes; a model with an
/// ErrorProbability attribute (HumanUser) gets the terminal's error-probability first, so an
/// explicit <attribute name="ErrorProbability"> wins.
Ptr<UserDecisionModel>
MakeModel(const std::string& name,
          const DecisionModelFactory::Attributes& attributes,
          double errorProbability,
          int64_t stream)
{
    DecisionModelFactory::Attributes all;
    auto tid = DecisionModelFactory::Lookup(name);
    NS_ABORT_MSG_IF(!tid, "scenario runner: " << tid.GetError());
    TypeId::AttributeInformation info;
    if (tid.GetValue().LookupAttributeByName("ErrorProbability", &info))
    {
        std::ostringstream p;
        p << std::setprecision(17) << errorProbability;
        all.emplace_back("ErrorProbability", p.str());
    }
    all.insert(all.end(), attributes.begin(), attributes.end());
    std::string e = DecisionModelFactory::Check(name, all);
    NS_ABORT_MSG_IF(!e.empty(), "scenario runner: " << e);
    Ptr<UserDecisionModel> m = DecisionModelFactory::Create(name, all);
    m->AssignStreams(stream);
    return m;
}

} // namespace

PresecGenerationHelper::PresecGenerationHelper(const Scenario& scenario,
                                               const ScenarioRunOptions& options,
                                               const ScenarioTopology& topology,
                                               const ScenarioSecurityHelper& security,
                                               ScenarioSessionStats& stats,
                                               ScenarioRunResult& results)
    : SessionGenerationHelper(scenario, topology, stats),
      m_opt(options),
      m_security(security),
      m_res(results)
{
    m_apps.resize(scenario.terminals.size());
    m_appLabel.resize(scenario.terminals.size());
}

Ptr<SecurePeerApplication>
PresecGenerationHelper::InstallApp(const Component& c, size_t i, size_t g, double start, double to)
{
    const auto& t = m_sc.terminals[i];
    // The terminal's first session gives the application's defaults: relationship, purpose
    // and traffic (each session's own are set per peer: SetPeerContext, SetPeerTraffic).
    std::string rel = "unknown";
    std::string purpose = "unknown";
    std::string traffic = "none";
    uint64_t bulkBytes = 0;
    for (size_t s : c.sessions)
    {
        const auto& ss = m_sc.sessions[s];
        if (ss.caller == t.name || ss.callee == t.name)
        {
            rel = ss.relationship;
            purpose = ss.purpose;
            traffic = ss.traffic;
            bulkBytes = ss.bulkBytes;
            break;
        }
    }
    SecurePeerHelper h;
    h.SetAttribute("Relationship", StringValue(rel));
    h.SetAttribute("Purpose", StringValue(purpose));
    h.SetAttribute("Traffic", StringValue(traffic));
    if (traffic == "bulk")
    {
        h.SetAttribute("BulkBytes", UintegerValue(bulkBytes));
    }
    h.SetAttribute("TrustedLocations", StringValue(m_security.GetTrustedLabels()));
    h.SetAttribute("Request", StringValue(t.request));
    // Each voice stream at a phase of its own, as in the baseline (PlainGenerationHelper).
    h.SetAttribute("VoicePhase", StringValue("ns3::UniformRandomVariable[Min=0|Max=1]"));
    ApplicationContainer ac = h.Install(m_topology.GetTerminals().Get(i));
    ac.Start(Seconds(start));
    ac.Stop(Seconds(to));
    Ptr<SecurePeerApplication> app = DynamicCast<SecurePeerApplication>(ac.Get(0));
    // A model object per application (the terminal's kind, its own random stream).
    app->SetAttribute("DecisionModel",
                      PointerValue(MakeModel(m_res.terminals[i].decision,
                                             m_opt.decision.empty() ? t.decisionAttributes
                                                                    : m_opt.decisionAttributes,
                                             t.errorProbability,
                                             m_modelStream)));
    m_modelStream += 10;
    m_phaseStream += app->AssignStreams(m_phaseStream);
    ScenarioSessionStats* stats = &m_stats;
    app->TraceConnectWithoutContext("VoipRx",
                                    Callback<void, Ipv4Address, Time, uint16_t>(
                                        [stats, i](Ipv4Address peer, Time delay, uint16_t seq) {
                                            stats->VoiceReceived(i, peer, delay, seq);
                                        }));
    m_apps[i].push_back(app);
    m_appLabel[i].push_back("gen " + std::to_string(g));
    if (!m_appCallback.IsNull())
    {
        m_appCallback(i, app);
    }
    return app;
}

void
PresecGenerationHelper::SetAppCallback(AppCallback cb)
{
    m_appCallback = cb;
}

void
PresecGenerationHelper::InstallGeneration(const Component& c, size_t g, double from, double to)
{
    // A stopped SecurePeerApplication leaves its registrations in the SPD (and the presence
    // agent would offer them to the next generation's peers): the SPD goes back to the
    // terminal's default policy.
    if (g > 0)
    {
        for (size_t i : c.members)
        {
            Ptr<Node> node = m_topology.GetTerminals().Get(i);
            std::string spd = m_security.GetDefaultSpd(i);
            Simulator::Schedule(Seconds(from), [node, spd]() {
                node->GetObject<IpsecLayer>()->GetSpd()->Clear();
                if (!spd.empty())
                {
                    IpsecHelper::LoadSetkey(node, spd);
                }
            });
        }
    }
    double start = from + 0.01;
    std::map<size_t, Ptr<SecurePeerApplication>> apps;
    for (size_t i : c.members)
    {
        apps[i] = InstallApp(c, i, g, start, to);
    }
    // Relationship, purpose and traffic of each session, for both ends (by presentity), so
    // each session has its own whatever else the two terminals do.
    for (size_t s : c.sessions)
    {
        const auto& ss = m_sc.sessions[s];
        size_t a = size_t(m_sc.FindTerminal(ss.caller));
        size_t b = size_t(m_sc.FindTerminal(ss.callee));
        for (auto [self, peer] : {std::pair{a, b}, std::pair{b, a}})
        {
            std::string entity = ScenarioSecurityHelper::EntityOf(m_sc.terminals[peer]);
            apps[self]->SetPeerContext(entity, ss.relationship, ss.purpose);
            apps[self]->SetPeerTraffic(entity, ss.traffic, ss.bulkBytes, ss.GetVoiceFormat());
        }
    }
    for (size_t s : c.sessions)
    {
        const auto& ss = m_sc.sessions[s];
        double end = ss.duration > 0 ? ss.start + ss.duration : m_sc.duration;
        double at = std::max(ss.start, start + 0.01);
        if (ss.start >= to || end <= from || at >= to)
        {
            continue;
        }
        size_t a = size_t(m_sc.FindTerminal(ss.caller));
        size_t cc = size_t(m_sc.FindTerminal(ss.callee));
        m_stats.PlanConnect(s, at);
        Ptr<SecurePeerApplication> pa = apps[a];
        Ptr<SecurePeerApplication> pc = apps[cc];
        if (!m_restart)
        {
            // The addresses are those of the moment (DHCP, moves): connect to the callee's
            // current one; the stats are under whichever address the peer has at the end.
            Simulator::Schedule(Seconds(at), [this, s, pa, a, cc, to]() {
                WhenAddressed(s, a, cc, to, [pa](Ipv4Address, Ipv4Address c) { pa->Connect(c); });
            });
            Simulator::Schedule(Seconds(to) - NanoSeconds(1), [this, s, pa, pc, a, cc]() {
                // Each end's session with the other, under the last address it had that
                // carried anything (voice, or a transfer's bytes: no packet counter moves).
                auto last = [this](Ptr<SecurePeerApplication> app, size_t peer) {
                    SecurePeerApplication::SessionStats found;
                    for (uint32_t addr : m_topology.GetAddressHistory(peer))
                    {
                        auto z = app->GetSessionStats(Ipv4Address(addr));
                        if (z.sent || z.received || z.bulkBytesReceived)
                        {
                            found = z;
                        }
                    }
                    return found;
                };
                m_stats.AddGeneration(s, last(pa, cc), last(pc, a));
            });
            continue;
        }
        Ipv4Address addrA = m_topology.AddrOf(a, m_topology.NetAt(a, from));
        Ipv4Address addrC = m_topology.AddrOf(cc, m_topology.NetAt(cc, from));
        pa->ConnectAt(addrC, Seconds(at));
        // Collect the generation's session stats just before it stops.
        Simulator::Schedule(Seconds(to) - NanoSeconds(1), [this, s, pa, pc, addrA, addrC]() {
            m_stats.AddGeneration(s, pa->GetSessionStats(addrC), pc->GetSessionStats(addrA));
        });
    }
}

void
PresecGenerationHelper::CollectDecisions()
{
    for (size_t i = 0; i < m_apps.size(); ++i)
    {
        auto& r = m_res.terminals[i];
        for (size_t k = 0; k < m_apps[i].size(); ++k)
        {
            r.decisions += m_apps[i][k]->GetStats().decisions;
            for (const auto& line : m_apps[i][k]->GetDecisionLog())
            {
                m_res.decisionLog.push_back("[" + r.name + " " + m_appLabel[i][k] + "] " + line);
            }
        }
    }
}

} // namespace ns3
