/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Topology: one CSMA segment per network; a router node with one interface on every segment
// (address .1); every terminal has one CSMA interface on EVERY segment (address .(index+2)),
// all but the current one down and without their address (a down interface that kept its
// address would still be picked as source by the presence agent's route lookup). A move at
// time t: Ipv4::SetDown(old) + RemoveAddress, AddAddress + Ipv4::SetUp(new), the
// default route re-added via the router on the new segment (the abstract, deterministic
// attachment switch). The terminals' PresenceAgents see the address change through their
// Ipv4ListRouting watcher.
//
// SecurePeerApplication keys its sessions by the peer's address and has no handover, so the
// runner splits the run into "generations" at every move and every session end: each
// generation installs a fresh SecurePeerApplication on every terminal (stopping the previous
// one) and re-Connects every session active in it from the caller to the callee's current
// address. A session's stats are the sums over its generations.

#include "scenario-runner.h"

#include "accept-as-is-decision-model.h"
#include "always-maximum-decision-model.h"
#include "crypto-cost-model.h"
#include "human-user-decision-model.h"
#include "ipsec-layer.h"
#include "location-aware-decision-model.h"
#include "secure-peer-application.h"

#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/internet-module.h"
#include "ns3/ipsec-helper.h"
#include "ns3/network-module.h"
#include "ns3/presence-agent-helper.h"
#include "ns3/secure-peer-helper.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <set>
#include <sstream>
#include <sys/stat.h>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("ScenarioRunner");

namespace
{

bool
IsSignalingPort(uint16_t p)
{
    return p == 5060 || p == 500 || p == 4500;
}

/// Ports of a UDP or TCP segment (packet starting with the L4 header).
bool
L4Ports(Ptr<const Packet> p, uint8_t proto, uint16_t& sp, uint16_t& dp)
{
    if (proto == 17 && p->GetSize() >= 8)
    {
        UdpHeader u;
        p->PeekHeader(u);
        sp = u.GetSourcePort();
        dp = u.GetDestinationPort();
        return true;
    }
    if (proto == 6 && p->GetSize() >= 20)
    {
        TcpHeader t;
        p->PeekHeader(t);
        sp = t.GetSourcePort();
        dp = t.GetDestinationPort();
        return true;
    }
    return false;
}

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

Ptr<UserDecisionModel>
MakeModel(const std::string& name, double errorProbability, int64_t stream)
{
    Ptr<UserDecisionModel> m;
    if (name == "AcceptAsIs")
    {
        m = CreateObject<AcceptAsIsDecisionModel>();
    }
    else if (name == "AlwaysMaximum")
    {
        m = CreateObject<AlwaysMaximumDecisionModel>();
    }
    else if (name == "HumanUser")
    {
        m = CreateObject<HumanUserDecisionModel>();
        m->SetAttribute("ErrorProbability", DoubleValue(errorProbability));
    }
    else
    {
        m = CreateObject<LocationAwareDecisionModel>();
    }
    m->AssignStreams(stream);
    return m;
}

std::string
Num(double v)
{
    std::ostringstream o;
    o << std::fixed << std::setprecision(6) << v;
    return o.str();
}

std::string
Quote(const std::string& s)
{
    std::string o = "\"";
    for (char c : s)
    {
        if (c == '"' || c == '\\')
        {
            o += '\\';
            o += c;
        }
        else if (static_cast<unsigned char>(c) < 0x20)
        {
            char b[8];
            std::snprintf(b, sizeof(b), "\\u%04x", unsigned(c));
            o += b;
        }
        else
        {
            o += c;
        }
    }
    return o + "\"";
}

/// Minimal JSON object with sorted keys.
class JObj
{
  public:
    JObj& Set(const std::string& k, const std::string& rawValue)
    {
        m_v[k] = rawValue;
        return *this;
    }

    JObj& Str(const std::string& k, const std::string& v)
    {
        return Set(k, Quote(v));
    }

    JObj& U(const std::string& k, uint64_t v)
    {
        return Set(k, std::to_string(v));
    }

    JObj& D(const std::string& k, double v)
    {
        return Set(k, Num(v));
    }

    JObj& B(const std::string& k, bool v)
    {
        return Set(k, v ? "true" : "false");
    }

    std::string Text(int indent) const
    {
        std::string pad(indent + 2, ' ');
        std::string o = "{";
        bool first = true;
        for (const auto& [k, v] : m_v)
        {
            o += (first ? "\n" : ",\n") + pad + Quote(k) + ": " + v;
            first = false;
        }
        return o + (m_v.empty() ? "}" : "\n" + std::string(indent, ' ') + "}");
    }

  private:
    std::map<std::string, std::string> m_v;
};

std::string
JArr(const std::vector<std::string>& items, int indent)
{
    if (items.empty())
    {
        return "[]";
    }
    std::string pad(indent + 2, ' ');
    std::string o = "[";
    for (size_t i = 0; i < items.size(); ++i)
    {
        o += (i ? ",\n" : "\n") + pad + items[i];
    }
    return o + "\n" + std::string(indent, ' ') + "]";
}

} // namespace

uint64_t
ScenarioRunResult::TotalExposure() const
{
    uint64_t t = 0;
    for (const auto& n : networks)
    {
        if (!n.trusted)
        {
            t += n.clearDataBytes;
        }
    }
    return t;
}

std::string
ScenarioRunResult::ToJson() const
{
    std::vector<std::string> ts;
    for (const auto& t : terminals)
    {
        JObj d;
        for (const auto& [k, v] : t.drops)
        {
            d.U(k, v);
        }
        std::vector<std::string> path;
        for (const auto& p : t.path)
        {
            path.push_back(Quote(p));
        }
        JObj o;
        o.Str("name", t.name)
            .Str("decision", t.decision)
            .Set("path", JArr(path, 6))
            .U("exposure_bytes", t.exposureBytes)
            .U("exposure_packets", t.exposurePackets)
            .U("protected_tx_packets", t.protectedTxPackets)
            .U("plain_tx_packets", t.plainTxPackets)
            .U("protected_rx_packets", t.protectedRxPackets)
            .U("plain_rx_packets", t.plainRxPackets)
            .U("ipsec_overhead_bytes", t.overheadBytes)
            .U("signaling_bytes", t.signalingBytes)
            .U("mismatch_drops", t.mismatchDrops)
            .Set("drops", d.Text(6))
            .D("cpu_busy_s", t.cpuBusySeconds)
            .U("decisions", t.decisions);
        ts.push_back(o.Text(4));
    }
    std::vector<std::string> ss;
    for (const auto& s : sessions)
    {
        JObj o;
        o.Str("caller", s.caller)
            .Str("callee", s.callee)
            .U("voip_sent", s.sent)
            .U("voip_received", s.received)
            .D("voip_mean_delay_ms", s.meanDelayMs)
            .U("exposure_bytes", s.exposureBytes)
            .D("first_exposure_s", s.firstExposure)
            .D("last_exposure_s", s.lastExposure);
        ss.push_back(o.Text(4));
    }
    std::vector<std::string> ns;
    for (const auto& n : networks)
    {
        JObj o;
        o.Str("name", n.name)
            .B("trusted", n.trusted)
            .B("sniffed", n.sniffed)
            .U("clear_data_bytes", n.clearDataBytes)
            .U("clear_data_packets", n.clearDataPackets)
            .U("signaling_bytes", n.signalingBytes)
            .U("protected_bytes", n.protectedBytes)
            .U("protected_packets", n.protectedPackets)
            .U("expected_clear_bytes", n.expectedClearBytes);
        ns.push_back(o.Text(4));
    }
    JObj root;
    root.Str("scenario", scenario)
        .Str("decision", decision)
        .U("seed", seed)
        .D("duration_s", duration)
        .U("total_exposure_bytes", TotalExposure())
        .Set("terminals", JArr(ts, 2))
        .Set("sessions", JArr(ss, 2))
        .Set("networks", JArr(ns, 2));
    return root.Text(0) + "\n";
}

std::string
ScenarioRunResult::ToCsv() const
{
    std::ostringstream o;
    o << "terminal,decision,path,exposure_bytes,exposure_packets,protected_tx,plain_tx,"
         "protected_rx,plain_rx,overhead_bytes,signaling_bytes,mismatch_drops,cpu_busy_ms,"
         "decisions\n";
    for (const auto& t : terminals)
    {
        std::string path;
        for (const auto& p : t.path)
        {
            path += (path.empty() ? "" : ">") + p;
        }
        o << t.name << "," << t.decision << "," << path << "," << t.exposureBytes << ","
          << t.exposurePackets << "," << t.protectedTxPackets << "," << t.plainTxPackets << ","
          << t.protectedRxPackets << "," << t.plainRxPackets << "," << t.overheadBytes << ","
          << t.signalingBytes << "," << t.mismatchDrops << "," << Num(t.cpuBusySeconds * 1e3) << ","
          << t.decisions << "\n";
    }
    return o.str();
}

ScenarioRunResult
ScenarioRunner::Run(const Scenario& scIn, const ScenarioRunOptions& opt)
{
    Scenario sc = scIn;
    if (opt.seed)
    {
        sc.seed = opt.seed;
    }
    if (opt.duration > 0)
    {
        sc.duration = opt.duration;
    }
    sc.moves.erase(std::remove_if(sc.moves.begin(),
                                  sc.moves.end(),
                                  [&](const ScenarioMove& m) { return m.at >= sc.duration; }),
                   sc.moves.end());
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(sc.seed);

    const size_t N = sc.networks.size();
    const size_t T = sc.terminals.size();
    ScenarioRunResult res;
    res.scenario = sc.name;
    res.decision = opt.decision.empty() ? "per-terminal" : opt.decision;
    res.seed = sc.seed;
    res.duration = sc.duration;

    auto addrOf = [&](size_t term, size_t net) {
        return Ipv4Address(sc.networks[net].prefix.Get() + uint32_t(term) + 2);
    };
    auto routerAddr = [&](size_t net) { return Ipv4Address(sc.networks[net].prefix.Get() + 1); };
    // Which terminal owns an address (-1: none).
    auto ownerOf = [&](Ipv4Address a) -> int {
        for (size_t j = 0; j < N; ++j)
        {
            if (sc.networks[j].Contains(a))
            {
                uint32_t host = a.Get() - sc.networks[j].prefix.Get();
                if (host >= 2 && host - 2 < T)
                {
                    return int(host - 2);
                }
            }
        }
        return -1;
    };
    auto netOf = [&](Ipv4Address a) -> int {
        for (size_t j = 0; j < N; ++j)
        {
            if (sc.networks[j].Contains(a))
            {
                return int(j);
            }
        }
        return -1;
    };

    // Nodes and segments.
    Ptr<Node> router = CreateObject<Node>();
    NodeContainer terms;
    terms.Create(T);
    CsmaHelper csma;
    csma.SetChannelAttribute("DataRate", StringValue("100Mbps"));
    csma.SetChannelAttribute("Delay", TimeValue(MicroSeconds(50)));
    std::vector<Ptr<CsmaChannel>> channels;
    std::vector<std::vector<Ptr<NetDevice>>> termDev(T, std::vector<Ptr<NetDevice>>(N));
    NodeContainer all(router);
    all.Add(terms);
    InternetStackHelper stack;
    std::vector<NetDeviceContainer> segDevs;
    for (size_t j = 0; j < N; ++j)
    {
        NetDeviceContainer d = csma.Install(all);
        channels.push_back(DynamicCast<CsmaChannel>(d.Get(0)->GetChannel()));
        segDevs.push_back(d);
        for (size_t i = 0; i < T; ++i)
        {
            termDev[i][j] = d.Get(i + 1);
        }
    }
    stack.Install(all);
    // Fixed streams everywhere: auto-assigned stream numbers keep counting across runs in one
    // process, which would make a second run with the same seed differ.
    int64_t fixedStream = 10000;
    fixedStream += stack.AssignStreams(all, fixedStream);
    for (size_t j = 0; j < N; ++j)
    {
        fixedStream += csma.AssignStreams(segDevs[j], fixedStream);
    }
    for (size_t j = 0; j < N; ++j)
    {
        uint32_t mask = ~uint32_t(0) << (32 - sc.networks[j].prefixLength);
        Ipv4AddressHelper ip(sc.networks[j].prefix, Ipv4Mask(mask), "0.0.0.1");
        ip.Assign(segDevs[j]);
    }

    // Current network per terminal, and the move events.
    Ipv4StaticRoutingHelper srh;
    std::vector<size_t> current(T);
    for (size_t i = 0; i < T; ++i)
    {
        current[i] = size_t(sc.FindNetwork(sc.terminals[i].network));
        res.terminals.push_back({});
        res.terminals[i].name = sc.terminals[i].name;
        res.terminals[i].decision = opt.decision.empty() ? sc.terminals[i].decision : opt.decision;
        res.terminals[i].path.push_back(sc.terminals[i].network);
        Ptr<Ipv4> ipv4 = terms.Get(i)->GetObject<Ipv4>();
        for (size_t j = 0; j < N; ++j)
        {
            if (j != current[i])
            {
                // Detached: no address (so no route or source selection can use it), down.
                int32_t ifc = ipv4->GetInterfaceForDevice(termDev[i][j]);
                ipv4->RemoveAddress(ifc, 0);
                ipv4->SetDown(ifc);
            }
        }
        srh.GetStaticRouting(ipv4)->SetDefaultRoute(
            routerAddr(current[i]),
            ipv4->GetInterfaceForDevice(termDev[i][current[i]]));
    }
    // Network of each terminal over time (for addresses per generation).
    std::vector<std::vector<std::pair<double, size_t>>> timeline(T);
    for (size_t i = 0; i < T; ++i)
    {
        timeline[i].push_back({0, current[i]});
    }
    for (const auto& m : sc.moves)
    {
        size_t i = size_t(sc.FindTerminal(m.terminal));
        size_t to = size_t(sc.FindNetwork(m.network));
        size_t from = timeline[i].back().second;
        timeline[i].push_back({m.at, to});
        res.terminals[i].path.push_back(m.network);
        Ptr<Node> node = terms.Get(i);
        Ptr<NetDevice> oldDev = termDev[i][from];
        Ptr<NetDevice> newDev = termDev[i][to];
        Ipv4Address gw = routerAddr(to);
        uint32_t mask = ~uint32_t(0) << (32 - sc.networks[to].prefixLength);
        Ipv4InterfaceAddress newAddr(addrOf(i, to), Ipv4Mask(mask));
        Simulator::Schedule(Seconds(m.at), [node, oldDev, newDev, gw, newAddr]() {
            Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
            Ipv4StaticRoutingHelper h;
            Ptr<Ipv4StaticRouting> rt = h.GetStaticRouting(ipv4);
            int32_t oldIf = ipv4->GetInterfaceForDevice(oldDev);
            int32_t newIf = ipv4->GetInterfaceForDevice(newDev);
            ipv4->SetDown(oldIf);
            while (ipv4->GetNAddresses(oldIf) > 0)
            {
                ipv4->RemoveAddress(oldIf, 0);
            }
            ipv4->AddAddress(newIf, newAddr);
            ipv4->SetUp(newIf);
            for (uint32_t r = rt->GetNRoutes(); r-- > 0;)
            {
                if (rt->GetRoute(r).IsDefault())
                {
                    rt->RemoveRoute(r);
                }
            }
            rt->SetDefaultRoute(gw, ipv4->GetInterfaceForDevice(newDev));
        });
    }
    auto netAt = [&](size_t i, double t) {
        size_t n = timeline[i].front().second;
        for (const auto& [at, net] : timeline[i])
        {
            if (at <= t)
            {
                n = net;
            }
        }
        return n;
    };

    // IPsec, SAs and default policies.
    for (size_t i = 0; i < T; ++i)
    {
        IpsecHelper ipsec;
        ipsec.SetCostModel(sc.terminals[i].cpu);
        ipsec.Install(terms.Get(i));
    }
    uint64_t spi = 0x10000;
    std::vector<std::string> setkey(T);
    for (size_t a = 0; a < T; ++a)
    {
        for (size_t b = a + 1; b < T; ++b)
        {
            for (size_t na = 0; na < N; ++na)
            {
                for (size_t nb = 0; nb < N; ++nb)
                {
                    std::string A = AddrText(addrOf(a, na));
                    std::string B = AddrText(addrOf(b, nb));
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
    }
    std::vector<std::string> defaultSpd(T);
    for (size_t i = 0; i < T; ++i)
    {
        const std::string& dp = sc.terminals[i].defaultPolicy;
        if (dp != "none")
        {
            std::string req = dp == "esp" ? "esp/transport//require"
                                          : "esp/transport//require ah/transport//require";
            defaultSpd[i] = "spdadd 0.0.0.0/0 0.0.0.0/0 any -P out ipsec " + req + ";\n" +
                            "spdadd 0.0.0.0/0 0.0.0.0/0 any -P in ipsec " + req + ";\n";
            setkey[i] += defaultSpd[i];
        }
        std::string err = IpsecHelper::LoadSetkey(terms.Get(i), setkey[i]);
        NS_ABORT_MSG_IF(!err.empty(), "scenario runner: generated setkey rejected: " << err);
    }

    // Presence agents.
    std::string prefixes;
    std::string trustedLabels;
    for (const auto& n : sc.networks)
    {
        prefixes += (prefixes.empty() ? "" : ";") + n.PrefixText() + "=" + n.label;
        if (n.trusted)
        {
            trustedLabels += (trustedLabels.empty() ? "" : ",") + n.label;
        }
    }
    PresenceAgentHelper agents;
    agents.SetAttribute("LocationPrefixes", StringValue(prefixes));
    ApplicationContainer agentApps = agents.Install(terms);
    for (size_t i = 0; i < T; ++i)
    {
        const auto& t = sc.terminals[i];
        agentApps.Get(i)->SetAttribute(
            "Entity",
            StringValue(t.entity.empty() ? "pres:" + t.name + "@presec.example" : t.entity));
        agentApps.Get(i)->SetAttribute("UserName", StringValue(t.user));
    }
    agents.AssignStreams(terms, 100);
    agentApps.Start(Seconds(0));

    // Traces: plain tx (independent exposure count, signalling bytes).
    std::vector<ScenarioNetworkResult>& nres = res.networks;
    for (const auto& n : sc.networks)
    {
        ScenarioNetworkResult r;
        r.name = n.name;
        r.trusted = n.trusted;
        r.sniffed =
            !n.trusted || std::find(sc.eavesdroppers.begin(), sc.eavesdroppers.end(), n.name) !=
                              sc.eavesdroppers.end();
        nres.push_back(r);
    }
    for (size_t i = 0; i < T; ++i)
    {
        Ptr<IpsecLayer> layer = terms.Get(i)->GetObject<IpsecLayer>();
        layer->TraceConnectWithoutContext(
            "PlainTx",
            Callback<void, Ptr<const Packet>, const Ipv4Header&>(
                [&res, &nres, &netOf, i](Ptr<const Packet> p, const Ipv4Header& h) {
                    uint16_t sp = 0;
                    uint16_t dp = 0;
                    if (!L4Ports(p, h.GetProtocol(), sp, dp))
                    {
                        return;
                    }
                    if (IsSignalingPort(sp) || IsSignalingPort(dp))
                    {
                        res.terminals[i].signalingBytes += p->GetSize();
                        return;
                    }
                    std::set<int> nets{netOf(h.GetSource()), netOf(h.GetDestination())};
                    for (int n : nets)
                    {
                        if (n >= 0 && nres[n].sniffed)
                        {
                            nres[n].expectedClearBytes += p->GetSize();
                        }
                    }
                }));
    }

    // Sniffers.
    std::vector<Ptr<Node>> sniffers;
    std::map<std::pair<int, int>, size_t> sessionOf;
    for (size_t s = 0; s < sc.sessions.size(); ++s)
    {
        int a = sc.FindTerminal(sc.sessions[s].caller);
        int b = sc.FindTerminal(sc.sessions[s].callee);
        sessionOf[{a, b}] = s;
        sessionOf[{b, a}] = s;
        res.sessions.push_back({});
        res.sessions[s].caller = sc.sessions[s].caller;
        res.sessions[s].callee = sc.sessions[s].callee;
    }
    for (size_t j = 0; j < N; ++j)
    {
        if (!nres[j].sniffed)
        {
            continue;
        }
        Ptr<Node> sn = CreateObject<Node>();
        sniffers.push_back(sn);
        NetDeviceContainer d = csma.Install(sn, channels[j]);
        fixedStream += csma.AssignStreams(d, fixedStream);
        d.Get(0)->TraceConnectWithoutContext(
            "PromiscSniffer",
            Callback<void, Ptr<const Packet>>(
                [&res, &nres, &ownerOf, &sessionOf, j](Ptr<const Packet> frame) {
                    Ptr<Packet> p = frame->Copy();
                    EthernetHeader eth(false);
                    if (p->GetSize() < 14)
                    {
                        return;
                    }
                    p->RemoveHeader(eth);
                    if (eth.GetLengthType() != 0x0800)
                    {
                        return;
                    }
                    Ipv4Header ip;
                    p->RemoveHeader(ip);
                    uint32_t payload = ip.GetPayloadSize();
                    uint8_t proto = ip.GetProtocol();
                    if (proto == 50 || proto == 51)
                    {
                        nres[j].protectedBytes += payload;
                        ++nres[j].protectedPackets;
                        return;
                    }
                    uint16_t sp = 0;
                    uint16_t dp = 0;
                    if (!L4Ports(p, proto, sp, dp))
                    {
                        return;
                    }
                    if (IsSignalingPort(sp) || IsSignalingPort(dp))
                    {
                        nres[j].signalingBytes += payload;
                        return;
                    }
                    nres[j].clearDataBytes += payload;
                    ++nres[j].clearDataPackets;
                    int a = ownerOf(ip.GetSource());
                    int b = ownerOf(ip.GetDestination());
                    for (int t : std::set<int>{a, b})
                    {
                        if (t >= 0)
                        {
                            res.terminals[t].exposureBytes += payload;
                            ++res.terminals[t].exposurePackets;
                        }
                    }
                    auto it = sessionOf.find({a, b});
                    if (it != sessionOf.end())
                    {
                        auto& s = res.sessions[it->second];
                        double now = Simulator::Now().GetSeconds();
                        s.exposureBytes += payload;
                        if (s.firstExposure < 0)
                        {
                            s.firstExposure = now;
                        }
                        s.lastExposure = now;
                    }
                }));
    }

    // Generations of SecurePeerApplications.
    std::set<double> bounds{0.0, sc.duration};
    for (const auto& m : sc.moves)
    {
        bounds.insert(m.at);
    }
    for (const auto& s : sc.sessions)
    {
        if (s.duration > 0 && s.start + s.duration < sc.duration)
        {
            bounds.insert(s.start + s.duration);
        }
    }
    std::vector<double> b(bounds.begin(), bounds.end());
    // A stopped SecurePeerApplication leaves its registrations in the SPD (and the presence
    // agent would offer them to the next generation's peers): at every boundary the SPD is
    // reset to the terminal's default policy.
    for (size_t g = 1; g + 1 < b.size(); ++g)
    {
        for (size_t i = 0; i < T; ++i)
        {
            Ptr<Node> node = terms.Get(i);
            std::string spd = defaultSpd[i];
            Simulator::Schedule(Seconds(b[g]), [node, spd]() {
                node->GetObject<IpsecLayer>()->GetSpd()->Clear();
                if (!spd.empty())
                {
                    IpsecHelper::LoadSetkey(node, spd);
                }
            });
        }
    }
    std::vector<std::vector<Ptr<SecurePeerApplication>>> gens;
    int64_t stream = 1000;
    for (size_t g = 0; g + 1 < b.size(); ++g)
    {
        double start = b[g] + 0.01;
        double stop = b[g + 1];
        std::vector<Ptr<SecurePeerApplication>> apps(T);
        for (size_t i = 0; i < T; ++i)
        {
            const auto& t = sc.terminals[i];
            // Relationship and purpose are per application: the first session of the
            // terminal gives them. Traffic: voip when any of its sessions has voice.
            std::string rel = "unknown";
            std::string purpose = "unknown";
            bool first = true;
            std::string traffic = "none";
            for (const auto& s : sc.sessions)
            {
                if (s.caller == t.name || s.callee == t.name)
                {
                    if (first)
                    {
                        rel = s.relationship;
                        purpose = s.purpose;
                        first = false;
                    }
                    if (s.traffic == "voip")
                    {
                        traffic = "voip";
                    }
                }
            }
            SecurePeerHelper h;
            h.SetAttribute(
                "DecisionModel",
                PointerValue(MakeModel(res.terminals[i].decision, t.errorProbability, stream)));
            stream += 10;
            h.SetAttribute("Relationship", StringValue(rel));
            h.SetAttribute("Purpose", StringValue(purpose));
            h.SetAttribute("Traffic", StringValue(traffic));
            h.SetAttribute("TrustedLocations", StringValue(trustedLabels));
            ApplicationContainer c = h.Install(terms.Get(i));
            c.Start(Seconds(start));
            c.Stop(Seconds(stop));
            apps[i] = DynamicCast<SecurePeerApplication>(c.Get(0));
        }
        for (size_t s = 0; s < sc.sessions.size(); ++s)
        {
            const auto& ss = sc.sessions[s];
            double end = ss.duration > 0 ? ss.start + ss.duration : sc.duration;
            if (ss.start >= stop || end <= b[g])
            {
                continue;
            }
            size_t a = size_t(sc.FindTerminal(ss.caller));
            size_t c = size_t(sc.FindTerminal(ss.callee));
            double at = std::max(ss.start, start + 0.01);
            if (at >= stop)
            {
                continue;
            }
            apps[a]->ConnectAt(addrOf(c, netAt(c, b[g])), Seconds(at));
            // Collect the generation's session stats just before it stops.
            Ptr<SecurePeerApplication> pa = apps[a];
            Ptr<SecurePeerApplication> pc = apps[c];
            Ipv4Address addrA = addrOf(a, netAt(a, b[g]));
            Ipv4Address addrC = addrOf(c, netAt(c, b[g]));
            Simulator::Schedule(Seconds(stop) - NanoSeconds(1), [&res, s, pa, pc, addrA, addrC]() {
                auto x = pa->GetSessionStats(addrC);
                auto y = pc->GetSessionStats(addrA);
                auto& r = res.sessions[s];
                r.sent += x.sent + y.sent;
                r.received += x.received + y.received;
                r.meanDelayMs += (x.delaySum + y.delaySum).GetSeconds() * 1e3;
            });
        }
        gens.push_back(apps);
    }

    Simulator::Stop(Seconds(sc.duration));
    Simulator::Run();

    for (auto& s : res.sessions)
    {
        s.meanDelayMs = s.received ? s.meanDelayMs / double(s.received) : 0;
    }
    for (size_t i = 0; i < T; ++i)
    {
        auto& r = res.terminals[i];
        Ptr<IpsecLayer> layer = terms.Get(i)->GetObject<IpsecLayer>();
        const IpsecCounters& c = layer->GetCounters();
        r.protectedTxPackets = c.protectedTxPackets;
        r.plainTxPackets = c.plainTxPackets;
        r.protectedRxPackets = c.protectedRxPackets;
        r.plainRxPackets = c.plainRxPackets;
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
        Ptr<CryptoCostModel> cost = terms.Get(i)->GetObject<CryptoCostModel>();
        r.cpuBusySeconds = cost ? cost->GetBusyTime().GetSeconds() : 0;
        for (size_t g = 0; g < gens.size(); ++g)
        {
            r.decisions += gens[g][i]->GetStats().decisions;
            for (const auto& line : gens[g][i]->GetDecisionLog())
            {
                res.decisionLog.push_back("[" + r.name + " gen " + std::to_string(g) + "] " + line);
            }
        }
    }
    Simulator::Destroy();
    return res;
}

std::string
ScenarioRunner::WriteOutputs(const ScenarioRunResult& r, const std::string& dir)
{
    std::string path;
    for (size_t i = 0; i <= dir.size(); ++i)
    {
        if (i == dir.size() || dir[i] == '/')
        {
            path = dir.substr(0, i);
            if (!path.empty())
            {
                mkdir(path.c_str(), 0755);
            }
        }
    }
    auto write = [&](const std::string& name, const std::string& text) -> std::string {
        std::ofstream o(dir + "/" + name, std::ios::binary);
        o << text;
        return o ? "" : "cannot write " + dir + "/" + name;
    };
    std::string log;
    for (const auto& l : r.decisionLog)
    {
        log += l + "\n";
    }
    std::string e = write("summary.json", r.ToJson());
    if (e.empty())
    {
        e = write("terminals.csv", r.ToCsv());
    }
    if (e.empty())
    {
        e = write("decisions.log", log);
    }
    return e;
}

} // namespace ns3
