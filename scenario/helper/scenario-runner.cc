/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Topology (the abstract, deterministic attachment switch): one CSMA segment per network with
// a router (address .1 on every segment); every terminal has one CSMA interface on each network
// it ever visits (host numbers .2 upwards in order of first arrival). On all but the current
// one the interface is down, has no address (a down interface that kept its address would
// still be picked as source by the presence agent's route lookup) and the device is detached
// from the channel (so a segment does not deliver its frames to terminals that are
// elsewhere). A move at time t: the old interface down, its address removed, the device
// detached; the new device reattached, its address added, the interface up, the default route
// re-pointed at the router of the new segment. The terminals' PresenceAgents see the address
// change through their Ipv4ListRouting watcher.
//
// The run is cut into "generations": terminals linked by sessions form a component, and at
// every end of one of its sessions each member gets a fresh SecurePeerApplication (the
// previous one stops) and every active session of the component is re-Connected from the
// caller to the callee's current address. Components are independent. A session's stats are
// the sums over its generations. Moves are carried by the application's hand-over (one
// SecurePeerApplication per terminal across its moves, as a real terminal's), unless
// ScenarioRunOptions::restartAtMoves (csma) cuts a generation at every move of a member too,
// as before the application had a hand-over; the baseline always does.
//
// Wi-Fi (every network medium="wifi"): WifiRoamingHelper builds one access point per network
// at its position (DHCP server leasing the prefix, .1 the gateway), a static wired core whose
// router is the runner's router, and one shared channel; each AP's reach is cut at half the
// smallest distance between APs (at most 50 m), so a terminal loses its AP when it moves. The
// terminals are stations (DhcpClient, WaypointMobilityModel) standing at their start network;
// a move at t makes the terminal jump (1 km/s) to the spot next to the new AP, where it
// reassociates and gets a lease: addresses are learnt from the DhcpClients' NewLease traces.
// No generations at moves (one application per terminal, hand-over); SAs by IKE (IkeAgent on
// every terminal) since the addresses are not known in advance. A network's tap counts what
// crosses its AP's air (the AP PHY's monitor traces: data frames the AP sends, and data frames
// to it), every IP packet once (retransmissions and the AP's relay between two of its stations
// are seen once), classified as on CSMA. DHCP (UDP 67/68) is neither data nor signalling.
//
// Baseline (ScenarioRunOptions::plain): the same topology, moves, taps and generations with
// no IPsec, presence or SecurePeerApplication; voice as UdpClient/UdpServer, bulk as
// BulkSend/PacketSink, the same sizes and intervals.
//
// The pieces: CsmaScenarioTopology / WifiScenarioTopology (nodes, addresses, moves),
// ScenarioSecurityHelper (IPsec, SAs, presence agents), PresecGenerationHelper /
// PlainGenerationHelper (the generations), ScenarioSessionStats and ScenarioResultsCollector.
// This file only wires them, in the order that fixes the random streams and the events.

#include "scenario-runner.h"

#include "csma-scenario-topology.h"
#include "decision-screens.h"
#include "handover-probe.h"
#include "plain-generation-helper.h"
#include "presec-generation-helper.h"
#include "scenario-results-collector.h"
#include "scenario-security-helper.h"
#include "scenario-session-stats.h"
#include "wifi-roaming-helper.h"
#include "wifi-scenario-topology.h"

#include "ns3/core-module.h"
#include "ns3/exposure-monitor-helper.h"
#include "ns3/ipsec-helper.h"
#include "ns3/random-waypoint-plan.h"
#include "ns3/tamper-error-model.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("ScenarioRunner");

namespace
{

/// One run of one scenario: wires the topology, the security, the generations, the taps and
/// the results collection together, in an order that fixes the random streams and events.
class ScenarioSimulation
{
  public:
    ScenarioSimulation(const Scenario& sc, const ScenarioRunOptions& opt);
    ScenarioRunResult Execute();

  private:
    void BuildTopology();
    void AddTerminalResults();
    void InstallProbes();
    void InstallTamperers();
    void Progress();
    void Collect();

    Scenario m_sc;
    ScenarioRunOptions m_opt;
    ScenarioRunResult m_res;
    size_t m_n{0};                                       //!< networks
    size_t m_t{0};                                       //!< terminals
    std::map<size_t, Ptr<TamperErrorModel>> m_tamperers; //!< per network
    int64_t m_stream{10000};
    uint64_t m_run{1}; //!< RNG run number: the options' seed, else the scenario's
    std::chrono::steady_clock::time_point m_wallStart;
    bool m_progressShown{false};
    bool m_wifi{false};                                    //!< a Wi-Fi network (DHCP, IKE)
    bool m_restart{true};                                  //!< generations cut at moves
    ExposureMonitorHelper m_exposure;                      //!< the eavesdroppers' probes
    Ptr<ExposureMonitor> m_monitor;                        //!< what they saw
    std::unique_ptr<ScenarioTopology> m_topology;          //!< nodes and moves
    std::unique_ptr<ScenarioSessionStats> m_stats;         //!< per-session measurements
    std::unique_ptr<HandoverProbe> m_handovers;            //!< per-move breakdowns
    std::unique_ptr<DecisionScreens> m_screens;            //!< the decisions' screens
    std::unique_ptr<ScenarioSecurityHelper> m_security;    //!< presec only
    std::unique_ptr<PresecGenerationHelper> m_presec;      //!< presec only
    std::unique_ptr<PlainGenerationHelper> m_plain;        //!< baseline only
    std::unique_ptr<ScenarioResultsCollector> m_collector; //!< samples and counters
};

ScenarioSimulation::ScenarioSimulation(const Scenario& sc, const ScenarioRunOptions& opt)
    : m_sc(sc),
      m_opt(opt)
{
    m_run = opt.seed.value_or(m_sc.seed);
    if (opt.duration > 0)
    {
        m_sc.duration = opt.duration;
    }
    ScenarioRunner::PlanWanders(m_sc, m_run);
    m_sc.moves.erase(
        std::remove_if(m_sc.moves.begin(),
                       m_sc.moves.end(),
                       [this](const ScenarioMove& m) { return m.at >= m_sc.duration; }),
        m_sc.moves.end());
    m_n = m_sc.networks.size();
    m_t = m_sc.terminals.size();
    m_wifi = m_sc.HasWifi();
    m_restart = m_opt.plain || (!m_wifi && m_opt.restartAtMoves);
    m_monitor = m_exposure.GetMonitor();
    for (const auto& n : m_sc.networks)
    {
        m_monitor->AddNetwork(n.trusted);
    }
    m_monitor->SetTerminals(uint32_t(m_t));
    if (m_wifi)
    {
        m_topology = std::make_unique<WifiScenarioTopology>(m_sc, m_monitor);
    }
    else
    {
        m_topology = std::make_unique<CsmaScenarioTopology>(m_sc, m_monitor);
    }
    m_stats = std::make_unique<ScenarioSessionStats>(m_sc, m_monitor, m_res, m_opt.plain);
    m_handovers = std::make_unique<HandoverProbe>(m_sc, m_monitor, m_res);
    m_collector = std::make_unique<ScenarioResultsCollector>(m_sc, *m_topology, m_monitor, m_res);
}

void
ScenarioSimulation::BuildTopology()
{
    m_topology->Build(m_stream);
    if (Ptr<SipRegistrar> registrar = m_topology->GetRegistrar())
    {
        registrar->TraceConnectWithoutContext(
            "BindingChanged",
            Callback<void, const std::string&, const std::string&, uint32_t>(
                [this](const std::string& aor, const std::string& contact, uint32_t expires) {
                    std::ostringstream o;
                    o << "[registrar] " << Simulator::Now().GetSeconds() << " s: " << aor << " -> "
                      << contact << " (" << expires << " s)";
                    m_res.decisionLog.push_back(o.str());
                }));
    }
    AddTerminalResults();
    if (!m_opt.pcapPrefix.empty())
    {
        m_topology->EnablePcap(m_opt.pcapPrefix);
    }
}

void
ScenarioSimulation::AddTerminalResults()
{
    for (size_t i = 0; i < m_t; ++i)
    {
        m_res.terminals.push_back({});
        auto& r = m_res.terminals.back();
        r.name = m_sc.terminals[i].name;
        r.decision = m_opt.plain
                         ? "plain"
                         : (m_opt.decision.empty() ? m_sc.terminals[i].decision : m_opt.decision);
        for (const auto& step : m_topology->GetPath(i))
        {
            r.path.push_back(m_sc.networks[step.second].name);
        }
    }
}

void
ScenarioSimulation::InstallProbes()
{
    for (const auto& n : m_sc.networks)
    {
        ScenarioNetworkResult r;
        r.name = n.name;
        r.trusted = n.trusted;
        r.sniffed =
            !n.trusted || std::find(m_sc.eavesdroppers.begin(), m_sc.eavesdroppers.end(), n.name) !=
                              m_sc.eavesdroppers.end();
        m_res.networks.push_back(r);
    }
    for (size_t j = 0; j < m_n; ++j)
    {
        if (m_res.networks[j].sniffed)
        {
            m_topology->InstallProbe(m_exposure, j);
        }
    }
    m_stream += m_exposure.AssignStreams(m_stream);
    // What an eavesdropper's esp_sa table would hold: ESP with NULL encryption is read through.
    m_exposure.SetEspSas(m_topology->GetTerminals());
}

void
ScenarioSimulation::InstallTamperers()
{
    // The attacker changes frames as they arrive at any station of the segment: the router
    // (uplink) and every terminal device on it (downlink, terminal to terminal).
    for (const auto& t : m_sc.tamperers)
    {
        size_t j = size_t(m_sc.FindNetwork(t.network));
        auto model = CreateObject<TamperErrorModel>();
        model->SetAttribute("Probability", DoubleValue(t.probability));
        m_stream += model->AssignStreams(m_stream);
        m_topology->SetReceiveErrorModel(j, model);
        m_tamperers[j] = model;
        m_res.networks[j].tampered = true;
    }
}

void
ScenarioSimulation::Progress()
{
    // Wall-clock time only decides whether a line is printed; it never reaches the results.
    double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - m_wallStart).count();
    double now = Simulator::Now().GetSeconds();
    if (wall > 2.0)
    {
        std::fprintf(stderr,
                     "\rpresec-run: %s %.0f/%.0f s simulated (%3.0f%%), %.0f s elapsed ",
                     m_sc.name.c_str(),
                     now,
                     m_sc.duration,
                     100.0 * now / m_sc.duration,
                     wall);
        m_progressShown = true;
    }
    double step = std::max(1.0, m_sc.duration / 100.0);
    if (now + step < m_sc.duration)
    {
        Simulator::Schedule(Seconds(step), &ScenarioSimulation::Progress, this);
    }
}

void
ScenarioSimulation::Collect()
{
    for (const auto& [j, model] : m_tamperers)
    {
        m_res.networks[j].tamperedProtected = model->GetTamperedProtected();
        m_res.networks[j].tamperedClear = model->GetTamperedClear();
    }
    m_stats->Finish();
    m_handovers->Finish();
    m_collector->Collect();
    if (m_security)
    {
        m_security->Collect();
    }
    if (m_presec)
    {
        m_presec->CollectDecisions();
    }
    if (m_opt.sampleInterval > 0)
    {
        m_collector->Sample(); // the state at the end
    }
    if (m_wifi && !m_opt.plain && !m_opt.pcapPrefix.empty())
    {
        // IKE made the SAs during the run.
        IpsecHelper::WriteWiresharkEspSa(m_opt.pcapPrefix + "-esp_sa", m_topology->GetTerminals());
    }
}

ScenarioRunResult
ScenarioSimulation::Execute()
{
    m_wallStart = std::chrono::steady_clock::now();
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(m_run);
    m_res.scenario = m_sc.name;
    m_res.plain = m_opt.plain;
    m_res.decision =
        m_opt.plain ? "plain" : (m_opt.decision.empty() ? "per-terminal" : m_opt.decision);
    m_res.seed = m_run;
    m_res.duration = m_sc.duration;
    m_stats->AddSessions();

    BuildTopology();
    m_stats->AttachWireProbes(m_topology->GetTerminals());
    m_topology->SetLinkCallback(MakeCallback(&HandoverProbe::Link, m_handovers.get()));
    m_stats->SetVoiceCallback(MakeCallback(&HandoverProbe::VoiceReceived, m_handovers.get()));
    InstallProbes();
    InstallTamperers();
    m_topology->ScheduleMoves();
    SessionGenerationHelper* generations = nullptr;
    if (m_opt.plain)
    {
        m_plain = std::make_unique<PlainGenerationHelper>(m_sc, *m_topology, *m_stats);
        m_plain->InstallSinks();
        generations = m_plain.get();
    }
    else
    {
        m_security = std::make_unique<ScenarioSecurityHelper>(m_sc, *m_topology, m_res);
        m_security->SetPcapPrefix(m_opt.pcapPrefix);
        m_security->SetMobike(m_opt.mobike);
        m_security->Install(m_stream);
        for (size_t i = 0; i < m_t; ++i)
        {
            m_handovers->WatchAgents(i, m_topology->GetTerminals().Get(i));
        }
        m_presec = std::make_unique<PresecGenerationHelper>(m_sc,
                                                            m_opt,
                                                            *m_topology,
                                                            *m_security,
                                                            *m_stats,
                                                            m_res);
        std::vector<std::string> names;
        for (const auto& t : m_sc.terminals)
        {
            names.push_back(t.name);
        }
        m_screens = std::make_unique<DecisionScreens>(names, m_res);
        m_presec->SetAppCallback(
            PresecGenerationHelper::AppCallback([this](size_t i, Ptr<SecurePeerApplication> app) {
                m_handovers->WatchApplication(i, app);
                m_screens->Watch(i, app);
            }));
        generations = m_presec.get();
    }
    generations->SetRestartAtMoves(m_restart);
    generations->Install();
    if (m_opt.sampleInterval > 0)
    {
        m_collector->StartSampling(m_opt.sampleInterval);
    }
    if (m_opt.progress)
    {
        Simulator::Schedule(Seconds(0), &ScenarioSimulation::Progress, this);
    }
    Simulator::Stop(Seconds(m_sc.duration));
    Simulator::Run();
    Collect();
    m_res.simulatorEvents = Simulator::GetEventCount();
    Simulator::Destroy();
    if (m_progressShown)
    {
        std::fprintf(stderr, "\n");
    }
    return m_res;
}

} // namespace

ScenarioRunResult
ScenarioRunner::Run(const Scenario& scenario, const ScenarioRunOptions& options)
{
    ScenarioSimulation sim(scenario, options);
    return sim.Execute();
}

std::string
ScenarioRunner::WriteOutputs(const ScenarioRunResult& r, const std::string& dir)
{
    return ScenarioResultsWriter::Write(r, dir);
}

void
ScenarioRunner::PlanWanders(Scenario& sc, uint64_t run)
{
    // Each wander on a stream of its own, far above the streams the topology and the
    // applications take (10000 upwards); Execute sets the run again.
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(run);
    sc.wanders.erase(std::remove_if(sc.wanders.begin(),
                                    sc.wanders.end(),
                                    [&sc](const auto& w) { return w.from >= sc.duration; }),
                     sc.wanders.end());
    for (size_t w = 0; w < sc.wanders.size(); ++w)
    {
        ScenarioWander& wa = sc.wanders[w];
        wa.until = std::min(wa.until, sc.duration);
        std::string start = sc.terminals[size_t(sc.FindTerminal(wa.terminal))].network;
        for (const auto& m : sc.moves)
        {
            start = (m.terminal == wa.terminal && m.wander < 0) ? m.network : start;
        }
        const ScenarioNetwork& net = sc.networks[size_t(sc.FindNetwork(start))];
        Vector spot = WifiRoamingHelper::SpotNear(Vector(net.x, net.y, 0));
        Ptr<UniformRandomVariable> uniform = CreateObject<UniformRandomVariable>();
        uniform->SetStream((int64_t(1) << 40) + int64_t(w));
        RandomWaypointPlan::Expand(sc, w, spot.x, spot.y, uniform);
    }
}

} // namespace ns3
