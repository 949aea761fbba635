/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "handover-probe.h"

#include "ns3/ike-agent.h"
#include "ns3/inet-socket-address.h"
#include "ns3/node-applications.h"
#include "ns3/presence-agent.h"
#include "ns3/rtp-header.h"
#include "ns3/simulator.h"

#include <algorithm>
#include <cmath>

namespace ns3
{

HandoverProbe::HandoverProbe(const Scenario& scenario,
                             Ptr<ExposureMonitor> monitor,
                             ScenarioRunResult& results)
    : m_sc(scenario),
      m_monitor(monitor),
      m_res(results)
{
    size_t t = m_sc.terminals.size();
    m_of.resize(t);
    m_peers.resize(t);
    m_lastVoice.assign(t, -1);
    m_lastSender.assign(t, -1);
    m_lastSeq.assign(t, 0);
    for (const auto& m : m_sc.moves)
    {
        Record r;
        r.terminal = size_t(m_sc.FindTerminal(m.terminal));
        r.at = m.at;
        m_of[r.terminal].push_back(m_records.size());
        m_records.push_back(r);
    }
    for (const auto& s : m_sc.sessions)
    {
        auto a = size_t(m_sc.FindTerminal(s.caller));
        auto b = size_t(m_sc.FindTerminal(s.callee));
        m_peers[a].insert(b);
        m_peers[b].insert(a);
    }
}

HandoverProbe::Record*
HandoverProbe::Open(size_t i)
{
    double now = Simulator::Now().GetSeconds();
    Record* open = nullptr;
    for (size_t r : m_of[i])
    {
        if (m_records[r].at <= now)
        {
            open = &m_records[r];
        }
    }
    return open && open->firstVoice < 0 ? open : nullptr;
}

template <typename F>
void
HandoverProbe::ForOpenMoves(size_t i, F apply)
{
    if (Record* r = Open(i))
    {
        apply(*r);
    }
    for (size_t p : m_peers[i])
    {
        if (Record* r = Open(p))
        {
            apply(*r);
        }
    }
}

void
HandoverProbe::Link(size_t i, ScenarioTopology::LinkEvent e)
{
    Record* r = Open(i);
    if (!r)
    {
        return;
    }
    double now = Simulator::Now().GetSeconds();
    switch (e)
    {
    case ScenarioTopology::LinkEvent::DOWN:
        if (r->down < 0)
        {
            r->down = now;
            r->lastVoice = m_lastVoice[i];
            r->lastSender = m_lastSender[i];
            r->lastSeq = m_lastSeq[i];
        }
        break;
    case ScenarioTopology::LinkEvent::UP:
        if (r->down >= 0 && r->up < 0)
        {
            r->up = now;
        }
        break;
    case ScenarioTopology::LinkEvent::ADDRESS:
        if (r->up >= 0 && r->address < 0)
        {
            r->address = now;
        }
        break;
    }
}

void
HandoverProbe::VoiceReceived(size_t receiver, int sender, uint32_t seq)
{
    double now = Simulator::Now().GetSeconds();
    if (Record* r = Open(receiver); r && r->address >= 0)
    {
        r->firstVoice = now;
        if (sender == r->lastSender && r->lastVoice >= 0)
        {
            // The same RTP stream on both sides of the gap (16-bit numbers, extended).
            uint32_t ext = RtpHeader::ExtendSequence(uint16_t(seq), r->lastSeq);
            r->lost = ext > r->lastSeq ? int64_t(ext - r->lastSeq - 1) : -1;
        }
    }
    bool sameStream = m_lastSender[receiver] == sender && m_lastVoice[receiver] >= 0;
    m_lastSeq[receiver] =
        sameStream ? RtpHeader::ExtendSequence(uint16_t(seq), m_lastSeq[receiver]) : seq;
    m_lastVoice[receiver] = now;
    m_lastSender[receiver] = sender;
}

void
HandoverProbe::WatchAgents(size_t i, Ptr<Node> node)
{
    auto signalling = [this, i](uint32_t bytes) {
        ForOpenMoves(i, [bytes](Record& r) {
            if (r.down >= 0)
            {
                r.signalling += bytes;
            }
        });
    };
    if (Ptr<PresenceAgent> agent = FindApplication<PresenceAgent>(node))
    {
        auto sent = [signalling](const SipMessage&, const Address&, uint32_t size) {
            signalling(size);
        };
        for (const char* trace : {"RequestSent", "ResponseSent", "NotifySent"})
        {
            agent->TraceConnectWithoutContext(
                trace,
                Callback<void, const SipMessage&, const Address&, uint32_t>(sent));
        }
        agent->TraceConnectWithoutContext(
            "NotifyReceived",
            Callback<void, const SipMessage&, const Address&, uint32_t>(
                [this, i](const SipMessage&, const Address& from, uint32_t) {
                    // A peer hears from the mover: the mover's move, once it has its address.
                    int mover =
                        InetSocketAddress::IsMatchingType(from)
                            ? m_monitor->GetOwner(InetSocketAddress::ConvertFrom(from).GetIpv4())
                            : -1;
                    if (mover < 0 || !m_peers[i].count(size_t(mover)))
                    {
                        return;
                    }
                    if (Record* r = Open(size_t(mover)); r && r->address >= 0 && r->presence < 0)
                    {
                        r->presence = Simulator::Now().GetSeconds();
                    }
                }));
    }
    if (Ptr<IkeAgent> ike = FindApplication<IkeAgent>(node))
    {
        ike->TraceConnectWithoutContext(
            "MessageSent",
            Callback<void, uint8_t, uint32_t, Ipv4Address, bool>(
                [signalling](uint8_t, uint32_t size, Ipv4Address, bool) { signalling(size); }));
        ike->TraceConnectWithoutContext("SaEstablished",
                                        Callback<void, Ipv4Address, uint32_t, uint32_t, Time>(
                                            [this, i](Ipv4Address, uint32_t, uint32_t, Time) {
                                                double now = Simulator::Now().GetSeconds();
                                                ForOpenMoves(i, [now](Record& r) {
                                                    if (r.address >= 0)
                                                    {
                                                        r.sa = now;
                                                    }
                                                });
                                            }));
    }
}

void
HandoverProbe::WatchApplication(size_t i, Ptr<SecurePeerApplication> app)
{
    app->TraceConnectWithoutContext(
        "Step",
        Callback<void, uint32_t, std::string>([this, i](uint32_t step, std::string) {
            if (step != 507)
            {
                return;
            }
            double now = Simulator::Now().GetSeconds();
            ForOpenMoves(i, [now](Record& r) {
                if (r.address >= 0)
                {
                    r.decision = now;
                }
            });
        }));
}

void
HandoverProbe::Finish()
{
    // One record per move, in the scenario's order (sorted by time).
    for (size_t k = 0; k < m_records.size(); ++k)
    {
        const Record& r = m_records[k];
        const ScenarioMove& m = m_sc.moves[k];
        ScenarioHandoverResult h;
        h.terminal = m.terminal;
        h.at = m.at;
        h.to = m.network;
        // The network before: the terminal's start, or its previous move's.
        h.from = m_sc.terminals[r.terminal].network;
        for (size_t p = 0; p < k; ++p)
        {
            if (m_sc.moves[p].terminal == m.terminal)
            {
                h.from = m_sc.moves[p].network;
            }
        }
        h.lostPackets = r.lost;
        h.linkDownS = r.down;
        h.linkUpS = r.up;
        h.signallingBytes = r.signalling;
        double start = r.lastVoice >= 0 ? r.lastVoice : r.down;
        if (start >= 0)
        {
            // Each step ends at its event, no earlier than the step before and no later than
            // the voice's return (or, without it, the last event seen).
            const double events[] = {r.down, r.up, r.address, r.presence, r.decision, r.sa};
            double end = r.firstVoice;
            if (end < 0)
            {
                end = *std::max_element(std::begin(events), std::end(events));
            }
            double* parts[] =
                {&h.detectMs, &h.linkMs, &h.addressMs, &h.presenceMs, &h.decisionMs, &h.saMs};
            double t = start;
            for (size_t e = 0; e < 6; ++e)
            {
                double next = events[e] < 0 ? t : std::clamp(events[e], t, std::max(t, end));
                *parts[e] = (next - t) * 1e3;
                t = next;
            }
            h.resumeMs = r.firstVoice >= 0 ? (r.firstVoice - t) * 1e3 : 0;
            if (r.firstVoice >= 0 && r.lastVoice >= 0)
            {
                h.interruptionMs = (r.firstVoice - r.lastVoice) * 1e3;
            }
        }
        m_res.handovers.push_back(h);
    }
}

} // namespace ns3
