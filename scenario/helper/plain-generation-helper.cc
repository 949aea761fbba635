/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "plain-generation-helper.h"

#include "ns3/abort.h"
#include "ns3/bulk-send-helper.h"
#include "ns3/inet-socket-address.h"
#include "ns3/packet-sink-helper.h"
#include "ns3/secure-peer-application.h"
#include "ns3/seq-ts-header.h"
#include "ns3/simulator.h"
#include "ns3/udp-client-server-helper.h"
#include "ns3/udp-server.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

namespace
{

/// SecurePeerApplication's default DataPort (voice and bulk).
constexpr uint16_t kDataPort = 40000;

/// The TOS SecurePeerApplication marks its voice with (VoiceTos as configured; DSCP EF by
/// default): the baseline's voice carries the same, so stacks and queues treat both runs' alike.
uint8_t
ConfiguredVoiceTos()
{
    TypeId::AttributeInformation info;
    NS_ABORT_IF(!SecurePeerApplication::GetTypeId().LookupAttributeByName("VoiceTos", &info));
    return uint8_t(DynamicCast<const UintegerValue>(info.initialValue)->Get());
}

} // namespace

PlainGenerationHelper::PlainGenerationHelper(const Scenario& scenario,
                                             const ScenarioTopology& topology,
                                             ScenarioSessionStats& stats)
    : SessionGenerationHelper(scenario, topology, stats),
      m_phase(CreateObject<UniformRandomVariable>())
{
    m_phase->SetStream(VOICE_PHASE_STREAM);
}

void
PlainGenerationHelper::InstallSinks()
{
    const NodeContainer& terms = m_topology.GetTerminals();
    ScenarioSessionStats* stats = &m_stats;
    for (size_t i = 0; i < m_sc.terminals.size(); ++i)
    {
        Ptr<UdpServer> server = CreateObject<UdpServer>();
        server->SetAttribute("Port", UintegerValue(kDataPort));
        terms.Get(i)->AddApplication(server);
        server->SetStartTime(Seconds(0));
        server->TraceConnectWithoutContext(
            "RxWithAddresses",
            Callback<void, Ptr<const Packet>, const Address&, const Address&>(
                [stats, i](Ptr<const Packet> p, const Address& from, const Address&) {
                    SeqTsHeader h;
                    if (p->GetSize() < h.GetSerializedSize())
                    {
                        return;
                    }
                    p->PeekHeader(h);
                    stats->VoiceReceived(i,
                                         InetSocketAddress::ConvertFrom(from).GetIpv4(),
                                         Simulator::Now() - h.GetTs(),
                                         h.GetSeq());
                }));
        PacketSinkHelper sink("ns3::TcpSocketFactory",
                              InetSocketAddress(Ipv4Address::GetAny(), kDataPort));
        ApplicationContainer c = sink.Install(terms.Get(i));
        c.Start(Seconds(0));
        c.Get(0)->TraceConnectWithoutContext(
            "Rx",
            Callback<void, Ptr<const Packet>, const Address&>(
                [stats, i](Ptr<const Packet> p, const Address& from) {
                    stats->BulkReceived(i,
                                        InetSocketAddress::ConvertFrom(from).GetIpv4(),
                                        p->GetSize());
                }));
    }
}

bool
PlainGenerationHelper::InstallSenders(size_t s,
                                      size_t a,
                                      size_t cc,
                                      Ipv4Address addrA,
                                      Ipv4Address addrC,
                                      Time start,
                                      Time stop,
                                      std::array<Time, 2> phase)
{
    const auto& ss = m_sc.sessions[s];
    const NodeContainer& terms = m_topology.GetTerminals();
    if (ss.traffic == "bulk")
    {
        // One transfer per session: generations cut at other sessions' ends must not send the
        // file again.
        if (m_bulkStarted.count(s))
        {
            return false;
        }
        m_bulkStarted.insert(s);
        BulkSendHelper bulk("ns3::TcpSocketFactory", InetSocketAddress(addrC, kDataPort));
        bulk.SetAttribute("MaxBytes", UintegerValue(ss.bulkBytes));
        ApplicationContainer ac = bulk.Install(terms.Get(a));
        ac.Start(start);
        ac.Stop(stop);
        return false;
    }
    // UdpClient's 12-byte SeqTsHeader stands where RTP's 12-byte header is: the same sizes.
    VoiceFormat voice = ss.GetVoiceFormat();
    const uint8_t tos = ConfiguredVoiceTos();
    for (int dir = 0; dir < 2; ++dir)
    {
        // A connected UdpSocketImpl takes its TOS from the address it connects to.
        InetSocketAddress to(dir ? addrA : addrC, kDataPort);
        to.SetTos(tos);
        UdpClientHelper client(to);
        client.SetAttribute("MaxPackets", UintegerValue(0xFFFFFFFF));
        client.SetAttribute("Interval", TimeValue(voice.interval));
        client.SetAttribute("PacketSize", UintegerValue(voice.bytes));
        ApplicationContainer ac = client.Install(terms.Get(dir ? cc : a));
        ac.Start(start + phase[dir]);
        ac.Stop(stop);
    }
    return true;
}

std::array<Time, 2>
PlainGenerationHelper::DrawPhases(size_t s)
{
    // Each direction starts at a phase of its own within the packet interval, as two phones'
    // clocks do: calls started on the same interval boundary would otherwise send in lockstep
    // (in the campus, every caller at the same instant), queueing and deferring on the shared
    // half-duplex links as no real network does. The presec run's sessions draw theirs too
    // (SecurePeerApplication's VoicePhase).
    const auto& ss = m_sc.sessions[s];
    if (ss.traffic == "bulk")
    {
        return {Time(0), Time(0)};
    }
    double interval = ss.GetVoiceFormat().interval.GetSeconds();
    return {Seconds(m_phase->GetValue(0, interval)), Seconds(m_phase->GetValue(0, interval))};
}

void
PlainGenerationHelper::InstallGeneration(const Component& c, size_t, double from, double to)
{
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
        std::array<Time, 2> phase = DrawPhases(s);
        if (!m_topology.HasFixedAddresses())
        {
            // Addresses from DHCP: start when both ends have one (application times are then
            // relative to now); the setup latency (until the caller hears the callee) counts
            // from then, so the callee sends at once (the leases' timing spreads the calls).
            phase[1] = Time(0);
            m_stats.PlanConnect(s, at);
            Simulator::Schedule(Seconds(at), [this, s, a, cc, to, phase]() {
                WhenAddressed(s,
                              a,
                              cc,
                              to,
                              [this, s, a, cc, to, phase](Ipv4Address x, Ipv4Address y) {
                                  Time stop = Seconds(to - Simulator::Now().GetSeconds());
                                  if (InstallSenders(s, a, cc, x, y, Seconds(0), stop, phase))
                                  {
                                      m_stats.StartPlainGeneration(s);
                                      Simulator::Schedule(stop - NanoSeconds(1), [this, s]() {
                                          m_stats.EndPlainGeneration(s);
                                      });
                                  }
                              });
            });
            continue;
        }
        Ipv4Address addrA = m_topology.AddrOf(a, m_topology.NetAt(a, from));
        Ipv4Address addrC = m_topology.AddrOf(cc, m_topology.NetAt(cc, from));
        // The setup latency (until the caller hears the callee) counts from the callee's first
        // packet, as it does without a phase.
        m_stats.PlanConnect(s, at + phase[1].GetSeconds());
        if (!InstallSenders(s, a, cc, addrA, addrC, Seconds(at), Seconds(to), phase))
        {
            continue;
        }
        Simulator::Schedule(Seconds(at) - NanoSeconds(1),
                            [this, s]() { m_stats.StartPlainGeneration(s); });
        Simulator::Schedule(Seconds(to) - NanoSeconds(1),
                            [this, s]() { m_stats.EndPlainGeneration(s); });
    }
}

} // namespace ns3
