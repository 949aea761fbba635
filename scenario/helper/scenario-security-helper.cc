/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "scenario-security-helper.h"

#include "ns3/boolean.h"
#include "ns3/exposure-probe.h"
#include "ns3/ike-agent-helper.h"
#include "ns3/ipsec-helper.h"
#include "ns3/ipsec-layer.h"
#include "ns3/ipv4-address.h"
#include "ns3/presence-agent-helper.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <set>
#include <sstream>

namespace ns3
{

namespace
{

/// Deterministic key material: bytes hex digits from seed.
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

} // namespace

ScenarioSecurityHelper::ScenarioSecurityHelper(const Scenario& scenario,
                                               const ScenarioTopology& topology,
                                               ScenarioRunResult& results)
    : m_sc(scenario),
      m_topology(topology),
      m_res(results)
{
}

void
ScenarioSecurityHelper::SetPcapPrefix(const std::string& prefix)
{
    m_pcapPrefix = prefix;
}

void
ScenarioSecurityHelper::SetMobike(bool mobike)
{
    m_mobike = mobike;
}

std::string
ScenarioSecurityHelper::EntityOf(const ScenarioTerminal& terminal)
{
    return terminal.entity.empty() ? "pres:" + terminal.name + "@presec.example" : terminal.entity;
}

const std::string&
ScenarioSecurityHelper::GetDefaultSpd(size_t i) const
{
    return m_defaultSpd[i];
}

const std::string&
ScenarioSecurityHelper::GetTrustedLabels() const
{
    return m_trustedLabels;
}

std::vector<std::string>
ScenarioSecurityHelper::ManualSas() const
{
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
    std::vector<std::string> setkey(m_sc.terminals.size());
    for (const auto& [a, b] : pairs)
    {
        for (size_t na : m_topology.GetVisited(a))
        {
            for (size_t nb : m_topology.GetVisited(b))
            {
                std::string A = AddrText(m_topology.AddrOf(a, na));
                std::string B = AddrText(m_topology.AddrOf(b, nb));
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
    return setkey;
}

void
ScenarioSecurityHelper::Install(int64_t& stream)
{
    const NodeContainer& terms = m_topology.GetTerminals();
    size_t t = m_sc.terminals.size();
    for (size_t i = 0; i < t; ++i)
    {
        IpsecHelper ipsec;
        const auto& terminal = m_sc.terminals[i];
        if (terminal.cpuProfile)
        {
            ipsec.SetCostModel(*terminal.cpuProfile);
        }
        else
        {
            ipsec.SetCostModel(terminal.cpu);
        }
        // The results read busy time, never utilisation over an interval: the default history
        // (a busy period per protected packet, up to a million per node) grew campus-10000's
        // memory with every protected call.
        ipsec.SetCostModelAttribute("MaxHistory", UintegerValue(1));
        if (!m_pcapPrefix.empty())
        {
            // Real ciphertext, so Wireshark can decrypt the pcaps with the esp_sa file.
            ipsec.SetLayerAttribute("CryptoMode", StringValue("real"));
        }
        ipsec.Install(terms.Get(i));
    }
    std::vector<std::string> setkey(t);
    if (m_topology.HasFixedAddresses())
    {
        setkey = ManualSas();
    }
    else
    {
        // Addresses come from DHCP: IKE negotiates the SAs.
        IkeAgentHelper ike;
        ike.SetAttribute("EncryptionAlgorithm", StringValue("aes-cbc"));
        ike.SetAttribute("IntegrityAlgorithm", StringValue("hmac-sha1"));
        ike.SetAttribute("Mobike", BooleanValue(m_mobike));
        ike.Install(terms).Start(Seconds(0));
        stream += IkeAgentHelper::AssignStreams(terms, stream);
    }
    m_defaultSpd.resize(t);
    for (size_t i = 0; i < t; ++i)
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
        std::string err = IpsecHelper::LoadSetkey(terms.Get(i), setkey[i]);
        NS_ABORT_MSG_IF(!err.empty(), "scenario runner: generated setkey rejected: " << err);
    }
    if (!m_pcapPrefix.empty() && m_topology.HasFixedAddresses())
    {
        IpsecHelper::WriteWiresharkEspSa(m_pcapPrefix + "-esp_sa", terms);
    }
    InstallAgents();
    ConnectCounters();
}

void
ScenarioSecurityHelper::InstallAgents()
{
    const NodeContainer& terms = m_topology.GetTerminals();
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
    if (m_topology.GetRegistrar())
    {
        agents.SetAttribute("Registrar", Ipv4AddressValue(m_topology.GetRegistrarAddress()));
    }
    ApplicationContainer agentApps = agents.Install(terms);
    for (size_t i = 0; i < m_sc.terminals.size(); ++i)
    {
        const auto& t = m_sc.terminals[i];
        agentApps.Get(i)->SetAttribute("Entity", StringValue(EntityOf(t)));
        agentApps.Get(i)->SetAttribute("UserName", StringValue(t.user));
    }
    agents.AssignStreams(terms, 100);
    agentApps.Start(Seconds(0));
}

std::vector<bool>
ScenarioSecurityHelper::MayReachSniffed(const std::vector<bool>& sniffed) const
{
    // A terminal may stand on a sniffed network if its path says so, or if it has a radio
    // (a Wi-Fi network on its path) and a sniffed network is Wi-Fi: on Wi-Fi it associates
    // with the AP it hears best, wherever the path says it is.
    bool sniffedWifi = false;
    for (size_t n = 0; n < sniffed.size(); ++n)
    {
        sniffedWifi = sniffedWifi || (sniffed[n] && m_sc.networks[n].IsWifi());
    }
    const size_t count = m_sc.terminals.size();
    std::vector<bool> there(count, false);
    for (size_t i = 0; i < count; ++i)
    {
        for (const auto& step : m_topology.GetPath(i))
        {
            const size_t n = step.second;
            there[i] = there[i] || sniffed[n] || (sniffedWifi && m_sc.networks[n].IsWifi());
        }
    }
    // Data flows only within sessions: its sender is one of the two ends.
    std::vector<bool> watched = there;
    for (const auto& session : m_sc.sessions)
    {
        const int a = m_sc.FindTerminal(session.caller);
        const int b = m_sc.FindTerminal(session.callee);
        if (a >= 0 && b >= 0 && (there[a] || there[b]))
        {
            watched[a] = true;
            watched[b] = true;
        }
    }
    return watched;
}

void
ScenarioSecurityHelper::ConnectCounters()
{
    // The terminals' signalling bytes are their layers' bypass counters (the results
    // collector reads them); a per-packet trace is needed only for the independent count of
    // clear data on sniffed networks, on the terminals whose data may cross one.
    std::vector<bool> sniffed;
    for (const auto& n : m_res.networks)
    {
        sniffed.push_back(n.sniffed);
    }
    // The counts stay here until Collect: TCP sockets still send while Simulator::Destroy
    // disposes of them, after the run.
    m_expectedClearBytes.assign(m_res.networks.size(), 0);
    std::vector<uint64_t>* expected = &m_expectedClearBytes;
    const NodeContainer& terms = m_topology.GetTerminals();
    const ScenarioTopology* topology = &m_topology;
    std::vector<bool> watched = MayReachSniffed(sniffed);
    for (size_t i = 0; i < m_sc.terminals.size(); ++i)
    {
        if (!watched[i])
        {
            continue;
        }
        Ptr<IpsecLayer> layer = terms.Get(i)->GetObject<IpsecLayer>();
        // What leaves readable: in clear, or under IPsec that does not encrypt (AH, ESP-NULL,
        // IPComp).
        auto counter = [expected, sniffed, topology]() {
            return Callback<void, Ptr<const Packet>, const Ipv4Header&>(
                // The last flow's networks are kept: a voice flow asks 50 times a second.
                [expected,
                 sniffed,
                 topology,
                 flow = std::array<uint32_t, 2>{0, 0},
                 nets = std::array<int, 2>{-1, -1}](Ptr<const Packet> p,
                                                    const Ipv4Header& h) mutable {
                    if (flow[0] != h.GetSource().Get() || flow[1] != h.GetDestination().Get())
                    {
                        flow = {h.GetSource().Get(), h.GetDestination().Get()};
                        nets = {topology->NetOf(h.GetSource()),
                                topology->NetOf(h.GetDestination())};
                    }
                    auto onSniffed = [&sniffed](int n) { return n >= 0 && sniffed[n]; };
                    const int src = nets[0];
                    const int dst = nets[1];
                    // Only what could be exposed is classified (most packets are not).
                    if ((!onSniffed(src) && !onSniffed(dst)) ||
                        ExposureProbe::ClassifySegment(p, h.GetProtocol()) !=
                            ExposureProbe::Segment::DATA)
                    {
                        return; // as the probes: only the terminals' data
                    }
                    // Once per network the packet is on (both ends may share one).
                    for (int n : {src, dst == src ? -1 : dst})
                    {
                        if (onSniffed(n))
                        {
                            (*expected)[n] += p->GetSize();
                        }
                    }
                });
        };
        layer->TraceConnectWithoutContext("PlainTx", counter());
        layer->TraceConnectWithoutContext("ReadableTx", counter());
    }
}

void
ScenarioSecurityHelper::Collect()
{
    for (size_t n = 0; n < m_expectedClearBytes.size(); ++n)
    {
        m_res.networks[n].expectedClearBytes = m_expectedClearBytes[n];
    }
}

} // namespace ns3
