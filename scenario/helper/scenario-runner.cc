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
// SecurePeerApplication keys its sessions by the peer's address and has no handover, so the
// runner cuts the run into "generations": terminals linked by sessions form a component, and
// at every move of a member and every end of one of its sessions each member gets a fresh
// SecurePeerApplication (the previous one stops) and every active session of the component
// is re-Connected from the caller to the callee's current address. Components are
// independent, so a move restarts only the applications of the terminals it concerns. A
// session's stats are the sums over its generations.
//
// With ScenarioRunOptions::restartAtMoves false (csma) the generations are cut at session ends
// only: one SecurePeerApplication per terminal across its moves, relying on its hand-over.
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

#include "scenario-runner.h"

#include "ns3/applications-module.h"
#include "ns3/boolean.h"
#include "ns3/core-module.h"
#include "ns3/crypto-cost-model.h"
#include "ns3/csma-attachment-helper.h"
#include "ns3/csma-module.h"
#include "ns3/decision-model-factory.h"
#include "ns3/exposure-monitor-helper.h"
#include "ns3/ike-agent-helper.h"
#include "ns3/ike-agent.h"
#include "ns3/internet-module.h"
#include "ns3/ipsec-helper.h"
#include "ns3/ipsec-layer.h"
#include "ns3/mobility-module.h"
#include "ns3/network-module.h"
#include "ns3/node-applications.h"
#include "ns3/presence-agent-helper.h"
#include "ns3/secure-peer-application.h"
#include "ns3/secure-peer-helper.h"
#include "ns3/sip-registrar-helper.h"
#include "ns3/tamper-error-model.h"
#include "ns3/wifi-module.h"
#include "ns3/wifi-roaming-helper.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <iomanip>
#include <set>
#include <sstream>
#include <tuple>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("ScenarioRunner");

namespace
{

/// SecurePeerApplication's default DataPort (voice and bulk), used by the baseline too.
constexpr uint16_t kDataPort = 40000;

std::string
Hex(uint64_t seed, size_t bytes)
{
    std::string out = "0x";
    uint64_t x = seed * 0x9E3779B97F4A7C15ULL + 0x1234567;
    char buf[3];
    for (size_t i = 0; i < bytes; ++i)
    {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        std::snprintf(buf, sizeof(buf), "%02x", unsigned(x & 0xff));
        out += buf;
    }
    return out;
}

std::string
AddrText(Ipv4Address a)
{
    std::ostringstream o;
    a.Print(o);
    return o.str();
}

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

namespace
{

/// RFC 3550 (6.4.1) interarrival jitter estimate of one direction of a session.
struct JitterEstimator
{
    bool have{false}; //!< a previous transit time is known
    double prev{0};   //!< previous transit time (s)
    double j{0};      //!< the estimate (s)

    void Add(double transit)
    {
        if (have)
        {
            j += (std::abs(transit - prev) - j) / 16.0;
        }
        prev = transit;
        have = true;
    }
};

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

/// One run of one scenario: the topology, the apparatus, the taps and the bookkeeping.
class ScenarioSimulation
{
  public:
    ScenarioSimulation(const Scenario& sc, const ScenarioRunOptions& opt);
    ScenarioRunResult Execute();

  private:
    /// Terminals linked by sessions share generations (see the top of the file).
    struct Component
    {
        std::vector<size_t> members;  //!< terminals, ascending
        std::vector<size_t> sessions; //!< sessions, ascending
    };

    void BuildTopology();
    void BuildWifiTopology();
    void AddTerminalResults();
    void ScheduleMoves();
    void Move(size_t i, size_t from, size_t to);
    void InstallSecurity();
    void InstallPlainSinks();
    void InstallProbes();
    void InstallTamperers();
    void ConnectWhenAddressed(size_t s,
                              Ptr<SecurePeerApplication> caller,
                              size_t callee,
                              double to);
    void StartPlainWhenAddressed(size_t s, size_t a, size_t cc, double to);
    void StartPlainSession(size_t s,
                           size_t a,
                           size_t cc,
                           Ipv4Address addrA,
                           Ipv4Address addrC,
                           double at,
                           double to);
    std::vector<Component> Components() const;
    void InstallGenerations(const Component& c);
    void InstallPresecGeneration(const Component& c, size_t g, double from, double to);
    void InstallPlainGeneration(const Component& c, size_t g, double from, double to);
    void VoiceReceived(size_t receiver, Ipv4Address from, Time delay, uint32_t seq);
    void Sample();
    void Progress();
    void Collect();

    Ipv4Address AddrOf(size_t i, size_t net) const;
    std::string EntityOf(size_t i) const;
    size_t NetAt(size_t i, double t) const;
    int OwnerOf(Ipv4Address a) const;
    int NetOf(Ipv4Address a) const;
    Ipv4Address CurrentAddr(size_t i) const;
    Ipv4Address AddrHere(size_t i) const;

    Scenario m_sc;
    ScenarioRunOptions m_opt;
    ScenarioRunResult m_res;
    size_t m_n{0}; //!< networks
    size_t m_t{0}; //!< terminals
    CsmaHelper m_csma;
    Ptr<Node> m_router;
    Ptr<SipRegistrar> m_registrar; //!< the scenario's registrar, or null
    Ipv4Address m_registrarAddr;   //!< its address
    NodeContainer m_terms;
    std::vector<Ptr<CsmaChannel>> m_channels;
    std::vector<Ptr<NetDevice>> m_routerDev;
    std::map<size_t, Ptr<TamperErrorModel>> m_tamperers;         //!< per network
    std::vector<std::map<size_t, Ptr<CsmaNetDevice>>> m_termDev; //!< per terminal, per network
    std::vector<std::map<size_t, uint32_t>> m_host;              //!< host number per network
    std::vector<std::vector<std::pair<double, size_t>>> m_path;  //!< (time, network)
    std::vector<size_t> m_current;                               //!< network now
    std::vector<bool> m_connected;         //!< per session: Connect called (no-restart runs)
    std::vector<std::string> m_defaultSpd; //!< setkey text
    std::map<std::pair<int, int>, size_t> m_sessionOf;           //!< (a, b) → session
    std::vector<std::array<JitterEstimator, 2>> m_jitter;        //!< per session, per direction
    std::vector<double> m_firstConnect;                          //!< per session (-1)
    std::vector<std::array<uint32_t, 2>> m_maxSeq;               //!< plain: per generation
    std::vector<std::array<uint32_t, 2>> m_rxGen;                //!< plain: per generation
    std::vector<std::vector<Ptr<SecurePeerApplication>>> m_apps; //!< per terminal, in order
    std::vector<std::vector<std::string>> m_appLabel;            //!< "gen g" per app
    std::string m_trustedLabels;
    int64_t m_stream{10000};
    int64_t m_modelStream{1000};
    uint64_t m_run{1}; //!< RNG run number: the options' seed, else the scenario's
    std::chrono::steady_clock::time_point m_wallStart;
    bool m_progressShown{false};
    bool m_wifi{false};                            //!< an all-wifi scenario
    bool m_restart{true};                          //!< generations cut at moves
    WifiRoamingHelper m_roaming;                   //!< wifi: APs, core, stations
    std::vector<Time> m_walkEnd;                   //!< wifi: end of each terminal's last jump
    std::vector<std::set<uint32_t>> m_addrHistory; //!< every address a terminal had
    ExposureMonitorHelper m_exposure;              //!< the eavesdroppers' probes
    Ptr<ExposureMonitor> m_monitor;                //!< what they saw
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
    m_sc.moves.erase(
        std::remove_if(m_sc.moves.begin(),
                       m_sc.moves.end(),
                       [this](const ScenarioMove& m) { return m.at >= m_sc.duration; }),
        m_sc.moves.end());
    m_n = m_sc.networks.size();
    m_t = m_sc.terminals.size();
    m_wifi = m_sc.HasWifi();
    NS_ABORT_MSG_IF(m_wifi && m_sc.HasCsma(),
                    "scenario runner: " << m_sc.name
                                        << " mixes csma and wifi networks (not supported yet)");
    m_restart = m_opt.plain || (!m_wifi && m_opt.restartAtMoves);
    m_addrHistory.resize(m_t);
    m_monitor = m_exposure.GetMonitor();
    for (const auto& n : m_sc.networks)
    {
        m_monitor->AddNetwork(n.trusted);
    }
    m_monitor->SetTerminals(uint32_t(m_t));
    m_connected.assign(m_sc.sessions.size(), false);
}

Ipv4Address
ScenarioSimulation::CurrentAddr(size_t i) const
{
    Ptr<Ipv4> ipv4 = m_terms.Get(i)->GetObject<Ipv4>();
    for (uint32_t k = 1; k < ipv4->GetNInterfaces(); ++k)
    {
        if (!ipv4->IsUp(k))
        {
            continue;
        }
        for (uint32_t a = 0; a < ipv4->GetNAddresses(k); ++a)
        {
            Ipv4Address x = ipv4->GetAddress(k, a).GetLocal();
            if (x != Ipv4Address::GetAny() && !x.IsLocalhost())
            {
                return x;
            }
        }
    }
    return Ipv4Address::GetAny();
}

std::string
ScenarioSimulation::EntityOf(size_t i) const
{
    const auto& t = m_sc.terminals[i];
    return t.entity.empty() ? "pres:" + t.name + "@presec.example" : t.entity;
}

Ipv4Address
ScenarioSimulation::AddrOf(size_t i, size_t net) const
{
    return Ipv4Address(m_sc.networks[net].prefix.Get() + m_host[i].at(net));
}

size_t
ScenarioSimulation::NetAt(size_t i, double t) const
{
    size_t n = m_path[i].front().second;
    for (const auto& [at, net] : m_path[i])
    {
        if (at <= t)
        {
            n = net;
        }
    }
    return n;
}

int
ScenarioSimulation::OwnerOf(Ipv4Address a) const
{
    return m_monitor->GetOwner(a);
}

int
ScenarioSimulation::NetOf(Ipv4Address a) const
{
    for (size_t j = 0; j < m_n; ++j)
    {
        if (m_sc.networks[j].Contains(a))
        {
            return int(j);
        }
    }
    return -1;
}

void
ScenarioSimulation::BuildTopology()
{
    // Where each terminal goes, and its host number on every network it visits (.2 upwards in
    // order of first arrival; the parser checked that they fit in the prefix).
    m_path.resize(m_t);
    m_host.resize(m_t);
    m_termDev.resize(m_t);
    if (m_wifi)
    {
        BuildWifiTopology();
        return;
    }
    std::vector<uint32_t> nextHost(m_n, 2);
    auto visit = [&](size_t i, size_t j) {
        if (!m_host[i].count(j))
        {
            m_host[i][j] = nextHost[j]++;
        }
    };
    for (size_t i = 0; i < m_t; ++i)
    {
        size_t j = size_t(m_sc.FindNetwork(m_sc.terminals[i].network));
        m_path[i].push_back({0, j});
        visit(i, j);
    }
    for (const auto& m : m_sc.moves)
    {
        size_t i = size_t(m_sc.FindTerminal(m.terminal));
        size_t j = size_t(m_sc.FindNetwork(m.network));
        m_path[i].push_back({m.at, j});
        visit(i, j);
    }

    m_router = CreateObject<Node>();
    m_terms.Create(m_t);
    m_csma.SetChannelAttribute("DataRate", StringValue("100Mbps"));
    m_csma.SetChannelAttribute("Delay", TimeValue(MicroSeconds(50)));
    NodeContainer all(m_router);
    all.Add(m_terms);
    InternetStackHelper stack;
    stack.Install(all);
    // Fixed streams everywhere: auto-assigned stream numbers keep counting across runs in one
    // process, which would make a second run with the same seed differ.
    m_stream += stack.AssignStreams(all, m_stream);
    Ipv4StaticRoutingHelper srh;
    for (size_t j = 0; j < m_n; ++j)
    {
        // One CSMA segment per network, with the router and every terminal that ever visits.
        NodeContainer onNet(m_router);
        std::vector<size_t> who;
        for (size_t i = 0; i < m_t; ++i)
        {
            if (m_host[i].count(j))
            {
                onNet.Add(m_terms.Get(i));
                who.push_back(i);
            }
        }
        NetDeviceContainer d = m_csma.Install(onNet);
        m_stream += m_csma.AssignStreams(d, m_stream);
        m_channels.push_back(DynamicCast<CsmaChannel>(d.Get(0)->GetChannel()));
        m_routerDev.push_back(d.Get(0));
        const auto& net = m_sc.networks[j];
        Ipv4Mask mask(~uint32_t(0) << (32 - net.prefixLength));
        Ipv4AddressHelper ip(net.prefix, mask, "0.0.0.1");
        ip.Assign(NetDeviceContainer(d.Get(0)));
        for (size_t k = 0; k < who.size(); ++k)
        {
            size_t i = who[k];
            m_termDev[i][j] = DynamicCast<CsmaNetDevice>(d.Get(k + 1));
            Ipv4AddressHelper hip(net.prefix, mask, Ipv4Address(m_host[i][j]));
            hip.Assign(NetDeviceContainer(d.Get(k + 1)));
            m_monitor->AddAddress(AddrOf(i, j), uint32_t(i));
            m_addrHistory[i].insert(AddrOf(i, j).Get());
        }
    }
    if (!m_sc.registrar.empty())
    {
        // The registrar: one more host on its segment, at the prefix's last host address.
        size_t j = size_t(m_sc.FindNetwork(m_sc.registrar));
        const auto& net = m_sc.networks[j];
        Ptr<Node> node = CreateObject<Node>();
        stack.Install(node);
        m_stream += stack.AssignStreams(NodeContainer(node), m_stream);
        NetDeviceContainer d = m_csma.Install(node, m_channels[j]);
        m_stream += m_csma.AssignStreams(d, m_stream);
        Ipv4Mask mask(~uint32_t(0) << (32 - net.prefixLength));
        uint32_t last = (uint32_t(1) << (32 - net.prefixLength)) - 2;
        m_registrarAddr = Ipv4Address(net.prefix.Get() + last);
        NS_ABORT_MSG_IF(OwnerOf(m_registrarAddr) >= 0,
                        "scenario runner: no free address for the registrar on " << net.name);
        Ipv4AddressHelper rip(net.prefix, mask, Ipv4Address(last));
        rip.Assign(d);
        Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
        srh.GetStaticRouting(ipv4)->SetDefaultRoute(Ipv4Address(net.prefix.Get() + 1),
                                                    ipv4->GetInterfaceForDevice(d.Get(0)));
        m_registrar = DynamicCast<SipRegistrar>(SipRegistrarHelper().Install(node).Get(0));
        m_registrar->AssignStreams(m_stream++);
        m_registrar->SetStartTime(Seconds(0));
        m_registrar->TraceConnectWithoutContext(
            "BindingChanged",
            Callback<void, const std::string&, const std::string&, uint32_t>(
                [this](const std::string& aor, const std::string& contact, uint32_t expires) {
                    std::ostringstream o;
                    o << "[registrar] " << Simulator::Now().GetSeconds() << " s: " << aor << " -> "
                      << contact << " (" << expires << " s)";
                    m_res.decisionLog.push_back(o.str());
                }));
    }
    // Detach every terminal from the networks it is not on: no address (so no route or
    // source selection can use it), interface down, device off the channel (so the channel
    // does not deliver every frame to terminals that are elsewhere).
    m_current.resize(m_t);
    for (size_t i = 0; i < m_t; ++i)
    {
        m_current[i] = m_path[i].front().second;
        m_monitor->Arrive(uint32_t(i), uint32_t(m_current[i]));
        Ptr<Ipv4> ipv4 = m_terms.Get(i)->GetObject<Ipv4>();
        for (const auto& [j, dev] : m_termDev[i])
        {
            if (j != m_current[i])
            {
                int32_t ifc = ipv4->GetInterfaceForDevice(dev);
                ipv4->RemoveAddress(ifc, 0);
                ipv4->SetDown(ifc);
                m_channels[j]->Detach(dev);
            }
        }
        srh.GetStaticRouting(ipv4)->SetDefaultRoute(
            Ipv4Address(m_sc.networks[m_current[i]].prefix.Get() + 1),
            ipv4->GetInterfaceForDevice(m_termDev[i][m_current[i]]));
    }
    AddTerminalResults();
    if (!m_opt.pcapPrefix.empty())
    {
        for (size_t j = 0; j < m_n; ++j)
        {
            m_csma.EnablePcap(m_opt.pcapPrefix + "-" + m_sc.networks[j].name + ".pcap",
                              m_routerDev[j],
                              true,
                              true);
        }
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
        r.path.push_back(m_sc.terminals[i].network);
    }
}

void
ScenarioSimulation::BuildWifiTopology()
{
    for (size_t i = 0; i < m_t; ++i)
    {
        m_path[i].push_back({0, size_t(m_sc.FindNetwork(m_sc.terminals[i].network))});
    }
    for (const auto& m : m_sc.moves)
    {
        size_t i = size_t(m_sc.FindTerminal(m.terminal));
        m_path[i].push_back({m.at, size_t(m_sc.FindNetwork(m.network))});
    }
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
    // A core prefix that no network uses (private; never leaves the simulation).
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
    for (size_t i = 0; i < m_t; ++i)
    {
        wifiDevs.Add(m_roaming.Install(NodeContainer(m_terms.Get(i)), m_sc.terminals[i].network));
    }
    // Fixed streams (see BuildTopology): stacks, Wi-Fi, the core's CSMA, DHCP clients.
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
    m_stream += stack.AssignStreams(all, m_stream);
    m_stream += WifiHelper().AssignStreams(wifiDevs, m_stream);
    m_stream += m_csma.AssignStreams(coreDevs, m_stream);
    m_walkEnd.assign(m_t, Seconds(0));
    for (size_t i = 0; i < m_t; ++i)
    {
        Ptr<DhcpClient> dhcp = m_roaming.GetDhcpClient(m_terms.Get(i));
        m_stream += dhcp->AssignStreams(m_stream);
        dhcp->TraceConnectWithoutContext(
            "NewLease",
            Callback<void, const Ipv4Address&>([this, i](const Ipv4Address& a) {
                m_monitor->AddAddress(a, uint32_t(i));
                m_addrHistory[i].insert(a.Get());
            }));
    }
    m_current.resize(m_t);
    for (size_t i = 0; i < m_t; ++i)
    {
        m_current[i] = m_path[i].front().second;
        m_monitor->Arrive(uint32_t(i), uint32_t(m_current[i]));
    }
    AddTerminalResults();
    if (!m_opt.pcapPrefix.empty())
    {
        YansWifiPhyHelper phy;
        phy.SetPcapDataLinkType(WifiPhyHelper::DLT_IEEE802_11_RADIO);
        for (size_t j = 0; j < m_n; ++j)
        {
            phy.EnablePcap(m_opt.pcapPrefix + "-" + m_sc.networks[j].name + ".pcap",
                           m_roaming.GetApDevice(m_sc.networks[j].name),
                           true,
                           true);
        }
    }
}

void
ScenarioSimulation::ScheduleMoves()
{
    for (size_t i = 0; i < m_t; ++i)
    {
        for (size_t k = 1; k < m_path[i].size(); ++k)
        {
            size_t from = m_path[i][k - 1].second;
            size_t to = m_path[i][k].second;
            m_res.terminals[i].path.push_back(m_sc.networks[to].name);
            if (m_wifi)
            {
                // The jump is planned now (waypoints are added before the run).
                Time start = std::max(Seconds(m_path[i][k].first), m_walkEnd[i]);
                m_walkEnd[i] =
                    m_roaming.Walk(m_terms.Get(i), m_sc.networks[to].name, start, 1000.0);
            }
            Simulator::Schedule(Seconds(m_path[i][k].first),
                                &ScenarioSimulation::Move,
                                this,
                                i,
                                from,
                                to);
        }
    }
}

void
ScenarioSimulation::Move(size_t i, size_t from, size_t to)
{
    if (m_wifi)
    {
        // The station jumps (see ScheduleMoves); association and lease follow by themselves.
        m_current[i] = to;
        m_monitor->Arrive(uint32_t(i), uint32_t(to));
        return;
    }
    const auto& net = m_sc.networks[to];
    CsmaAttachmentHelper::Detach(m_termDev[i][from], m_channels[from]);
    CsmaAttachmentHelper::Attach(
        m_termDev[i][to],
        m_channels[to],
        Ipv4InterfaceAddress(AddrOf(i, to), Ipv4Mask(~uint32_t(0) << (32 - net.prefixLength))),
        Ipv4Address(net.prefix.Get() + 1));
    m_current[i] = to;
    m_monitor->Arrive(uint32_t(i), uint32_t(to));
}

void
ScenarioSimulation::InstallSecurity()
{
    for (size_t i = 0; i < m_t; ++i)
    {
        IpsecHelper ipsec;
        ipsec.SetCostModel(m_sc.terminals[i].cpu);
        if (!m_opt.pcapPrefix.empty())
        {
            // Real ciphertext, so Wireshark can decrypt the pcaps with the esp_sa file.
            ipsec.SetLayerAttribute("CryptoMode", StringValue("real"));
        }
        ipsec.Install(m_terms.Get(i));
    }
    // Manual SAs (ESP and AH both ways) for every pair that has a session, on every pair of
    // networks the two visit: the decision models then choose among protections that work.
    std::set<std::pair<size_t, size_t>> pairs;
    for (const auto& s : m_sc.sessions)
    {
        size_t a = size_t(m_sc.FindTerminal(s.caller));
        size_t b = size_t(m_sc.FindTerminal(s.callee));
        pairs.insert({std::min(a, b), std::max(a, b)});
    }
    uint64_t spi = 0x10000;
    std::vector<std::string> setkey(m_t);
    if (m_wifi)
    {
        // Addresses come from DHCP: IKE negotiates the SAs.
        pairs.clear();
        IkeAgentHelper ike;
        ike.SetAttribute("EncryptionAlgorithm", StringValue("aes-cbc"));
        ike.SetAttribute("IntegrityAlgorithm", StringValue("hmac-sha1"));
        ike.SetAttribute("Mobike", BooleanValue(m_opt.mobike));
        ike.Install(m_terms).Start(Seconds(0));
        m_stream += IkeAgentHelper::AssignStreams(m_terms, m_stream);
    }
    for (const auto& [a, b] : pairs)
    {
        for (const auto& [na, ha] : m_host[a])
        {
            for (const auto& [nb, hb] : m_host[b])
            {
                std::string A = AddrText(AddrOf(a, na));
                std::string B = AddrText(AddrOf(b, nb));
                std::ostringstream o;
                for (int dir = 0; dir < 2; ++dir)
                {
                    const std::string& s = dir ? B : A;
                    const std::string& d = dir ? A : B;
                    ++spi;
                    o << "add " << s << " " << d << " esp 0x" << std::hex << spi << std::dec
                      << " -m transport -r 8 -E aes-cbc " << Hex(spi, 16) << " -A hmac-sha1 "
                      << Hex(spi + 7, 20) << ";\n";
                    ++spi;
                    o << "add " << s << " " << d << " ah 0x" << std::hex << spi << std::dec
                      << " -m transport -r 8 -A hmac-sha256 " << Hex(spi, 32) << ";\n";
                }
                setkey[a] += o.str();
                setkey[b] += o.str();
            }
        }
    }
    m_defaultSpd.resize(m_t);
    for (size_t i = 0; i < m_t; ++i)
    {
        const std::string& dp = m_sc.terminals[i].defaultPolicy;
        if (dp != "none")
        {
            std::string req = dp == "esp" ? "esp/transport//require"
                                          : "esp/transport//require ah/transport//require";
            m_defaultSpd[i] = "spdadd 0.0.0.0/0 0.0.0.0/0 any -P out ipsec " + req + ";\n" +
                              "spdadd 0.0.0.0/0 0.0.0.0/0 any -P in ipsec " + req + ";\n";
            setkey[i] += m_defaultSpd[i];
        }
        std::string err = IpsecHelper::LoadSetkey(m_terms.Get(i), setkey[i]);
        NS_ABORT_MSG_IF(!err.empty(), "scenario runner: generated setkey rejected: " << err);
    }
    if (!m_opt.pcapPrefix.empty() && !m_wifi)
    {
        IpsecHelper::WriteWiresharkEspSa(m_opt.pcapPrefix + "-esp_sa", m_terms);
    }

    // Presence agents.
    std::string prefixes;
    for (const auto& n : m_sc.networks)
    {
        prefixes += (prefixes.empty() ? "" : ";") + n.PrefixText() + "=" + n.label;
        if (n.trusted)
        {
            m_trustedLabels += (m_trustedLabels.empty() ? "" : ",") + n.label;
        }
    }
    PresenceAgentHelper agents;
    agents.SetAttribute("LocationPrefixes", StringValue(prefixes));
    if (m_registrar)
    {
        agents.SetAttribute("Registrar", Ipv4AddressValue(m_registrarAddr));
    }
    ApplicationContainer agentApps = agents.Install(m_terms);
    for (size_t i = 0; i < m_t; ++i)
    {
        const auto& t = m_sc.terminals[i];
        agentApps.Get(i)->SetAttribute(
            "Entity",
            StringValue(t.entity.empty() ? "pres:" + t.name + "@presec.example" : t.entity));
        agentApps.Get(i)->SetAttribute("UserName", StringValue(t.user));
    }
    agents.AssignStreams(m_terms, 100);
    agentApps.Start(Seconds(0));

    // Signalling bytes, and the independent count of clear bytes the taps should see.
    for (size_t i = 0; i < m_t; ++i)
    {
        Ptr<IpsecLayer> layer = m_terms.Get(i)->GetObject<IpsecLayer>();
        layer->TraceConnectWithoutContext(
            "PlainTx",
            Callback<void, Ptr<const Packet>, const Ipv4Header&>(
                [this, i](Ptr<const Packet> p, const Ipv4Header& h) {
                    auto what = ExposureProbe::ClassifySegment(p, h.GetProtocol());
                    if (what == ExposureProbe::Segment::SIGNALING)
                    {
                        m_res.terminals[i].signalingBytes += p->GetSize();
                    }
                    if (what != ExposureProbe::Segment::DATA)
                    {
                        return; // as the probes: only the terminals' data
                    }
                    std::set<int> nets{NetOf(h.GetSource()), NetOf(h.GetDestination())};
                    for (int n : nets)
                    {
                        if (n >= 0 && m_res.networks[n].sniffed)
                        {
                            m_res.networks[n].expectedClearBytes += p->GetSize();
                        }
                    }
                }));
    }
}

void
ScenarioSimulation::InstallPlainSinks()
{
    for (size_t i = 0; i < m_t; ++i)
    {
        Ptr<UdpServer> server = CreateObject<UdpServer>();
        server->SetAttribute("Port", UintegerValue(kDataPort));
        m_terms.Get(i)->AddApplication(server);
        server->SetStartTime(Seconds(0));
        server->TraceConnectWithoutContext(
            "RxWithAddresses",
            Callback<void, Ptr<const Packet>, const Address&, const Address&>(
                [this, i](Ptr<const Packet> p, const Address& from, const Address&) {
                    SeqTsHeader h;
                    if (p->GetSize() < h.GetSerializedSize())
                    {
                        return;
                    }
                    p->PeekHeader(h);
                    VoiceReceived(i,
                                  InetSocketAddress::ConvertFrom(from).GetIpv4(),
                                  Simulator::Now() - h.GetTs(),
                                  h.GetSeq());
                }));
        PacketSinkHelper sink("ns3::TcpSocketFactory",
                              InetSocketAddress(Ipv4Address::GetAny(), kDataPort));
        ApplicationContainer c = sink.Install(m_terms.Get(i));
        c.Start(Seconds(0));
        c.Get(0)->TraceConnectWithoutContext(
            "Rx",
            Callback<void, Ptr<const Packet>, const Address&>(
                [this, i](Ptr<const Packet> p, const Address& from) {
                    int a = OwnerOf(InetSocketAddress::ConvertFrom(from).GetIpv4());
                    auto it = m_sessionOf.find({a, int(i)});
                    if (it != m_sessionOf.end())
                    {
                        m_res.sessions[it->second].bulkBytes += p->GetSize();
                    }
                }));
    }
}

void
ScenarioSimulation::VoiceReceived(size_t receiver, Ipv4Address from, Time delay, uint32_t seq)
{
    int a = OwnerOf(from);
    auto it = m_sessionOf.find({a, int(receiver)});
    if (it == m_sessionOf.end())
    {
        return;
    }
    size_t s = it->second;
    auto& r = m_res.sessions[s];
    // Direction 0: towards the callee.
    int dir = m_sc.FindTerminal(r.callee) == int(receiver) ? 0 : 1;
    m_jitter[s][dir].Add(delay.GetSeconds());
    if (m_opt.plain)
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
        if (!m_res.networks[j].sniffed)
        {
            continue;
        }
        if (m_wifi)
        {
            m_exposure.InstallWifiAp(uint32_t(j), m_roaming.GetApDevice(m_sc.networks[j].name));
        }
        else
        {
            m_exposure.InstallCsma(uint32_t(j), m_channels[j]);
        }
    }
    m_stream += m_exposure.AssignStreams(m_stream);
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
        m_routerDev[j]->SetAttribute("ReceiveErrorModel", PointerValue(model));
        for (size_t i = 0; i < m_t; ++i)
        {
            auto it = m_termDev[i].find(j);
            if (it != m_termDev[i].end())
            {
                it->second->SetAttribute("ReceiveErrorModel", PointerValue(model));
            }
        }
        m_tamperers[j] = model;
        m_res.networks[j].tampered = true;
    }
}

std::vector<ScenarioSimulation::Component>
ScenarioSimulation::Components() const
{
    std::vector<size_t> parent(m_t);
    for (size_t i = 0; i < m_t; ++i)
    {
        parent[i] = i;
    }
    std::function<size_t(size_t)> root = [&](size_t x) {
        return parent[x] == x ? x : parent[x] = root(parent[x]);
    };
    for (const auto& s : m_sc.sessions)
    {
        size_t a = root(size_t(m_sc.FindTerminal(s.caller)));
        size_t b = root(size_t(m_sc.FindTerminal(s.callee)));
        parent[std::max(a, b)] = std::min(a, b);
    }
    std::map<size_t, Component> byRoot;
    for (size_t i = 0; i < m_t; ++i)
    {
        byRoot[root(i)].members.push_back(i);
    }
    for (size_t s = 0; s < m_sc.sessions.size(); ++s)
    {
        byRoot[root(size_t(m_sc.FindTerminal(m_sc.sessions[s].caller)))].sessions.push_back(s);
    }
    std::vector<Component> out;
    for (auto& [r, c] : byRoot)
    {
        out.push_back(std::move(c));
    }
    return out;
}

void
ScenarioSimulation::InstallGenerations(const Component& c)
{
    // The component's run is cut at every move of a member and every end of one of its
    // sessions; a terminal without sessions gets one application for the whole run.
    std::set<double> bounds{0.0, m_sc.duration};
    if (!c.sessions.empty())
    {
        for (size_t i : c.members)
        {
            for (size_t k = 1; m_restart && k < m_path[i].size(); ++k)
            {
                bounds.insert(m_path[i][k].first);
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
        if (m_opt.plain)
        {
            InstallPlainGeneration(c, g, b[g], b[g + 1]);
        }
        else
        {
            InstallPresecGeneration(c, g, b[g], b[g + 1]);
        }
    }
}

void
ScenarioSimulation::InstallPresecGeneration(const Component& c, size_t g, double from, double to)
{
    // A stopped SecurePeerApplication leaves its registrations in the SPD (and the presence
    // agent would offer them to the next generation's peers): the SPD goes back to the
    // terminal's default policy.
    if (g > 0)
    {
        for (size_t i : c.members)
        {
            Ptr<Node> node = m_terms.Get(i);
            std::string spd = m_defaultSpd[i];
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
        const auto& t = m_sc.terminals[i];
        // Traffic is per application: the terminal's first session gives it (and the default
        // relationship and purpose; each session's own are set per peer below).
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
        h.SetAttribute("TrustedLocations", StringValue(m_trustedLabels));
        h.SetAttribute("Request", StringValue(t.request));
        ApplicationContainer ac = h.Install(m_terms.Get(i));
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
        app->TraceConnectWithoutContext(
            "VoipRx",
            Callback<void, Ipv4Address, Time>(
                [this, i](Ipv4Address peer, Time delay) { VoiceReceived(i, peer, delay, 0); }));
        apps[i] = app;
        m_apps[i].push_back(app);
        m_appLabel[i].push_back("gen " + std::to_string(g));
    }
    // Relationship and purpose of each session, for both ends (by presentity).
    for (size_t s : c.sessions)
    {
        const auto& ss = m_sc.sessions[s];
        size_t a = size_t(m_sc.FindTerminal(ss.caller));
        size_t b = size_t(m_sc.FindTerminal(ss.callee));
        apps[a]->SetPeerContext(EntityOf(b), ss.relationship, ss.purpose);
        apps[b]->SetPeerContext(EntityOf(a), ss.relationship, ss.purpose);
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
        if (m_firstConnect[s] < 0)
        {
            m_firstConnect[s] = at;
        }
        if (!m_restart)
        {
            // The addresses are those of the moment (DHCP, moves): connect to the callee's
            // current one; the stats are under whichever address the peer has at the end.
            Ptr<SecurePeerApplication> pa = apps[a];
            Ptr<SecurePeerApplication> pc = apps[cc];
            Simulator::Schedule(Seconds(at),
                                [this, s, pa, cc, to]() { ConnectWhenAddressed(s, pa, cc, to); });
            Simulator::Schedule(Seconds(to) - NanoSeconds(1), [this, s, pa, pc, a, cc]() {
                SecurePeerApplication::SessionStats x;
                SecurePeerApplication::SessionStats y;
                for (uint32_t addr : m_addrHistory[cc])
                {
                    auto z = pa->GetSessionStats(Ipv4Address(addr));
                    if (z.sent || z.received)
                    {
                        x = z;
                    }
                }
                for (uint32_t addr : m_addrHistory[a])
                {
                    auto z = pc->GetSessionStats(Ipv4Address(addr));
                    if (z.sent || z.received)
                    {
                        y = z;
                    }
                }
                auto& r = m_res.sessions[s];
                r.sent += x.sent + y.sent;
                r.received += x.received + y.received;
                r.lost += x.lost + y.lost;
                r.bulkBytes += y.bulkBytesReceived;
                r.meanDelayMs += (x.delaySum + y.delaySum).GetSeconds() * 1e3;
                m_jitter[s][0].have = false;
                m_jitter[s][1].have = false;
            });
            continue;
        }
        Ipv4Address addrA = AddrOf(a, NetAt(a, from));
        Ipv4Address addrC = AddrOf(cc, NetAt(cc, from));
        apps[a]->ConnectAt(addrC, Seconds(at));
        // Collect the generation's session stats just before it stops.
        Ptr<SecurePeerApplication> pa = apps[a];
        Ptr<SecurePeerApplication> pc = apps[cc];
        Simulator::Schedule(Seconds(to) - NanoSeconds(1), [this, s, pa, pc, addrA, addrC]() {
            auto x = pa->GetSessionStats(addrC);
            auto y = pc->GetSessionStats(addrA);
            auto& r = m_res.sessions[s];
            r.sent += x.sent + y.sent;
            r.received += x.received + y.received;
            r.lost += x.lost + y.lost;
            r.bulkBytes += y.bulkBytesReceived;
            r.meanDelayMs += (x.delaySum + y.delaySum).GetSeconds() * 1e3;
            m_jitter[s][0].have = false;
            m_jitter[s][1].have = false;
        });
    }
}

void
ScenarioSimulation::InstallPlainGeneration(const Component& c, size_t, double from, double to)
{
    // The same sessions without presec: voice as UdpClient (SeqTs, the same interval and
    // size as SecurePeerApplication's defaults) both ways, bulk as BulkSend; started when the
    // presec run would Connect.
    double start = from + 0.01;
    for (size_t s : c.sessions)
    {
        const auto& ss = m_sc.sessions[s];
        double end = ss.duration > 0 ? ss.start + ss.duration : m_sc.duration;
        double at = std::max(ss.start, start + 0.01);
        if (ss.start >= to || end <= from || at >= to || ss.traffic == "none")
        {
            continue;
        }
        size_t a = size_t(m_sc.FindTerminal(ss.caller));
        size_t cc = size_t(m_sc.FindTerminal(ss.callee));
        if (m_firstConnect[s] < 0)
        {
            m_firstConnect[s] = at;
        }
        if (m_wifi)
        {
            // Addresses from DHCP: start when both ends have one.
            Simulator::Schedule(Seconds(at),
                                [this, s, a, cc, to]() { StartPlainWhenAddressed(s, a, cc, to); });
            continue;
        }
        Ipv4Address addrA = AddrOf(a, NetAt(a, from));
        Ipv4Address addrC = AddrOf(cc, NetAt(cc, from));
        if (ss.traffic == "bulk")
        {
            BulkSendHelper bulk("ns3::TcpSocketFactory", InetSocketAddress(addrC, kDataPort));
            bulk.SetAttribute("MaxBytes", UintegerValue(ss.bulkBytes));
            ApplicationContainer ac = bulk.Install(m_terms.Get(a));
            ac.Start(Seconds(at));
            ac.Stop(Seconds(to));
            continue;
        }
        for (int dir = 0; dir < 2; ++dir)
        {
            UdpClientHelper client(dir ? addrA : addrC, kDataPort);
            client.SetAttribute("MaxPackets", UintegerValue(0xFFFFFFFF));
            client.SetAttribute("Interval", TimeValue(MilliSeconds(20)));
            client.SetAttribute("PacketSize", UintegerValue(160));
            ApplicationContainer ac = client.Install(m_terms.Get(dir ? cc : a));
            ac.Start(Seconds(at));
            ac.Stop(Seconds(to));
        }
        Simulator::Schedule(Seconds(at) - NanoSeconds(1), [this, s]() {
            m_maxSeq[s] = {0, 0};
            m_rxGen[s] = {0, 0};
            m_jitter[s][0].have = false;
            m_jitter[s][1].have = false;
        });
        Simulator::Schedule(Seconds(to) - NanoSeconds(1), [this, s]() {
            auto& r = m_res.sessions[s];
            for (int dir = 0; dir < 2; ++dir)
            {
                // What the receiver can tell: the highest sequence number seen + 1 were sent
                // (packets still in flight at the cut count as lost, as for presec).
                r.sent += m_maxSeq[s][dir];
                r.lost += m_maxSeq[s][dir] - m_rxGen[s][dir];
            }
        });
    }
}

/// The terminal's address on the network it is on now (Any while it has none there: a Wi-Fi
/// terminal keeps its old lease until it notices that it lost its AP).
Ipv4Address
ScenarioSimulation::AddrHere(size_t i) const
{
    Ipv4Address a = CurrentAddr(i);
    return m_sc.networks[m_current[i]].Contains(a) ? a : Ipv4Address::GetAny();
}

void
ScenarioSimulation::ConnectWhenAddressed(size_t s,
                                         Ptr<SecurePeerApplication> caller,
                                         size_t callee,
                                         double to)
{
    size_t a = size_t(m_sc.FindTerminal(m_sc.sessions[s].caller));
    Ipv4Address c = AddrHere(callee);
    if (c == Ipv4Address::GetAny() || AddrHere(a) == Ipv4Address::GetAny())
    {
        // Not (yet) leased: try again shortly.
        if (Simulator::Now().GetSeconds() + 0.05 < to)
        {
            Simulator::Schedule(MilliSeconds(50), [this, s, caller, callee, to]() {
                ConnectWhenAddressed(s, caller, callee, to);
            });
        }
        return;
    }
    if (!m_connected[s])
    {
        // Setup latency counts from the Connect itself, not from the wait for the leases.
        m_connected[s] = true;
        m_firstConnect[s] = Simulator::Now().GetSeconds();
    }
    caller->Connect(c);
}

void
ScenarioSimulation::StartPlainWhenAddressed(size_t s, size_t a, size_t cc, double to)
{
    double now = Simulator::Now().GetSeconds();
    Ipv4Address addrA = AddrHere(a);
    Ipv4Address addrC = AddrHere(cc);
    if (addrA == Ipv4Address::GetAny() || addrC == Ipv4Address::GetAny())
    {
        if (now + 0.05 < to)
        {
            Simulator::Schedule(MilliSeconds(50),
                                [this, s, a, cc, to]() { StartPlainWhenAddressed(s, a, cc, to); });
        }
        return;
    }
    if (!m_connected[s])
    {
        m_connected[s] = true;
        m_firstConnect[s] = now;
    }
    StartPlainSession(s, a, cc, addrA, addrC, now, to);
}

void
ScenarioSimulation::StartPlainSession(size_t s,
                                      size_t a,
                                      size_t cc,
                                      Ipv4Address addrA,
                                      Ipv4Address addrC,
                                      double at,
                                      double to)
{
    // Called during the run: application times are relative to now (= at).
    const auto& ss = m_sc.sessions[s];
    Time stop = Seconds(to - at);
    if (ss.traffic == "bulk")
    {
        BulkSendHelper bulk("ns3::TcpSocketFactory", InetSocketAddress(addrC, kDataPort));
        bulk.SetAttribute("MaxBytes", UintegerValue(ss.bulkBytes));
        ApplicationContainer ac = bulk.Install(m_terms.Get(a));
        ac.Start(Seconds(0));
        ac.Stop(stop);
        return;
    }
    for (int dir = 0; dir < 2; ++dir)
    {
        UdpClientHelper client(dir ? addrA : addrC, kDataPort);
        client.SetAttribute("MaxPackets", UintegerValue(0xFFFFFFFF));
        client.SetAttribute("Interval", TimeValue(MilliSeconds(20)));
        client.SetAttribute("PacketSize", UintegerValue(160));
        ApplicationContainer ac = client.Install(m_terms.Get(dir ? cc : a));
        ac.Start(Seconds(0));
        ac.Stop(stop);
    }
    m_maxSeq[s] = {0, 0};
    m_rxGen[s] = {0, 0};
    m_jitter[s][0].have = false;
    m_jitter[s][1].have = false;
    Simulator::Schedule(stop - NanoSeconds(1), [this, s]() {
        auto& r = m_res.sessions[s];
        for (int dir = 0; dir < 2; ++dir)
        {
            r.sent += m_maxSeq[s][dir];
            r.lost += m_maxSeq[s][dir] - m_rxGen[s][dir];
        }
    });
}

void
ScenarioSimulation::Sample()
{
    double now = Simulator::Now().GetSeconds();
    for (size_t i = 0; i < m_t; ++i)
    {
        ScenarioSample x;
        x.time = now;
        x.network = m_sc.networks[m_current[i]].name;
        x.trusted = m_sc.networks[m_current[i]].trusted;
        x.policy = "none";
        Ptr<IpsecLayer> layer = m_terms.Get(i)->GetObject<IpsecLayer>();
        if (layer)
        {
            std::tie(x.policyLevel, x.policy) = OutboundProtection(layer->GetSpd());
        }
        x.exposureBytes = m_monitor->GetTerminalStats(uint32_t(i)).exposureBytes;
        Ptr<CryptoCostModel> cost = m_terms.Get(i)->GetObject<CryptoCostModel>();
        x.cpuBusySeconds = cost ? cost->GetBusyTime().GetSeconds() : 0;
        m_res.terminals[i].timeline.push_back(x);
    }
    double next = now + m_opt.sampleInterval;
    if (next < m_sc.duration - 1e-9)
    {
        Simulator::Schedule(Seconds(m_opt.sampleInterval), &ScenarioSimulation::Sample, this);
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
    for (auto& s : m_res.sessions)
    {
        s.meanDelayMs = s.received ? s.meanDelayMs / double(s.received) : 0;
    }
    for (size_t s = 0; s < m_res.sessions.size(); ++s)
    {
        auto& r = m_res.sessions[s];
        r.jitterMs = (m_jitter[s][0].j + m_jitter[s][1].j) / 2 * 1e3;
        ExposureMonitor::SessionStats e = m_monitor->GetSessionStats(uint32_t(s));
        r.exposureBytes = e.exposureBytes;
        r.firstExposure = e.firstExposure;
        r.lastExposure = e.lastExposure;
    }
    for (size_t j = 0; j < m_n; ++j)
    {
        const ExposureMonitor::NetworkStats& e = m_monitor->GetNetworkStats(uint32_t(j));
        auto& r = m_res.networks[j];
        r.clearDataBytes = e.clearDataBytes;
        r.clearDataPackets = e.clearDataPackets;
        r.signalingBytes = e.signalingBytes;
        r.protectedBytes = e.protectedBytes;
        r.protectedPackets = e.protectedPackets;
    }
    m_monitor->EndStays();
    for (size_t i = 0; i < m_t; ++i)
    {
        auto& r = m_res.terminals[i];
        const ExposureMonitor::TerminalStats& e = m_monitor->GetTerminalStats(uint32_t(i));
        r.exposureBytes = e.exposureBytes;
        r.exposurePackets = e.exposurePackets;
        r.exposureWindowS = e.exposureWindowS;
        r.maxExposureWindowS = e.maxExposureWindowS;
        r.maxTimeToProtectionS = e.maxTimeToProtectionS;
        if (Ptr<IpsecLayer> layer = m_terms.Get(i)->GetObject<IpsecLayer>())
        {
            const IpsecLayer::Stats& c = layer->GetStats();
            r.protectedTxPackets = c.protectedTxPackets;
            r.plainTxPackets = c.plainTxPackets;
            r.protectedRxPackets = c.protectedRxPackets;
            r.plainRxPackets = c.plainRxPackets;
            r.protectedTxBytes = c.protectedTxBytes;
            r.protectedRxBytes = c.protectedRxBytes;
            r.overheadBytes = c.overheadTxBytes;
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
        if (Ptr<IkeAgent> ike = FindApplication<IkeAgent>(m_terms.Get(i)))
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
        Ptr<CryptoCostModel> cost = m_terms.Get(i)->GetObject<CryptoCostModel>();
        r.cpuBusySeconds = cost ? cost->GetBusyTime().GetSeconds() : 0;
        for (size_t k = 0; k < m_apps[i].size(); ++k)
        {
            r.decisions += m_apps[i][k]->GetStats().decisions;
            for (const auto& line : m_apps[i][k]->GetDecisionLog())
            {
                m_res.decisionLog.push_back("[" + r.name + " " + m_appLabel[i][k] + "] " + line);
            }
        }
    }
    if (m_opt.sampleInterval > 0)
    {
        Sample(); // the state at the end
    }
    if (m_wifi && !m_opt.plain && !m_opt.pcapPrefix.empty())
    {
        // IKE made the SAs during the run.
        IpsecHelper::WriteWiresharkEspSa(m_opt.pcapPrefix + "-esp_sa", m_terms);
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
    for (size_t s = 0; s < m_sc.sessions.size(); ++s)
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
    m_jitter.resize(m_sc.sessions.size());
    m_firstConnect.assign(m_sc.sessions.size(), -1.0);
    m_maxSeq.assign(m_sc.sessions.size(), {0, 0});
    m_rxGen.assign(m_sc.sessions.size(), {0, 0});
    m_apps.resize(m_t);
    m_appLabel.resize(m_t);

    BuildTopology();
    InstallProbes();
    InstallTamperers();
    ScheduleMoves();
    if (m_opt.plain)
    {
        InstallPlainSinks();
    }
    else
    {
        InstallSecurity();
    }
    for (const auto& c : Components())
    {
        InstallGenerations(c);
    }
    if (m_opt.sampleInterval > 0)
    {
        Simulator::Schedule(Seconds(0), &ScenarioSimulation::Sample, this);
    }
    if (m_opt.progress)
    {
        Simulator::Schedule(Seconds(0), &ScenarioSimulation::Progress, this);
    }
    Simulator::Stop(Seconds(m_sc.duration));
    Simulator::Run();
    Collect();
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

} // namespace ns3
