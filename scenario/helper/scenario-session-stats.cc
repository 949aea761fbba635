/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "scenario-session-stats.h"

#include "ns3/e-model.h"
#include "ns3/rtp-header.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>

namespace ns3
{

namespace
{

/// One key for an ordered pair of terminal indices (-1: none).
uint64_t
Key(int a, int b)
{
    return (uint64_t(uint32_t(a)) << 32) | uint32_t(b);
}

} // namespace

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
        m_caller.push_back(a);
        m_callee.push_back(b);
        m_sessionOf[Key(a, b)] = s;
        m_sessionOf[Key(b, a)] = s;
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
    for (size_t s = 0; s < n; ++s)
    {
        m_playout.emplace_back(m_sc.sessions[s].jitterBufferMs);
        m_playout.emplace_back(m_sc.sessions[s].jitterBufferMs);
        if (m_sc.sessions[s].traffic == "voip")
        {
            m_res.sessions[s].codec =
                m_sc.sessions[s].codec + "/" + std::to_string(int(m_sc.sessions[s].ptimeMs));
        }
    }
    m_streamStarted.assign(n, {false, false});
    m_extSeq.assign(n, {0, 0});
    m_wireBytes.assign(n, {});
    m_wireFrames.assign(n, {});
}

void
ScenarioSessionStats::AttachWireProbes(const NodeContainer& terminals)
{
    // Clear voice goes to SecurePeerApplication's DataPort, which the baseline uses too.
    TypeId::AttributeInformation info;
    SecurePeerApplication::GetTypeId().LookupAttributeByName("DataPort", &info);
    auto port = uint16_t(DynamicCast<const UintegerValue>(info.initialValue)->Get());
    for (size_t i = 0; i < terminals.GetN(); ++i)
    {
        m_wire.push_back(std::make_unique<VoiceWireProbe>(
            port,
            VoiceWireProbe::FrameCallback(
                [this, i](Ipv4Address to, uint32_t bytes, bool protectedFrame) {
                    WireFrame(i, to, bytes, protectedFrame);
                })));
        Ptr<Node> node = terminals.Get(i);
        for (uint32_t d = 0; d < node->GetNDevices(); ++d)
        {
            m_wire.back()->Attach(node->GetDevice(d));
        }
    }
}

void
ScenarioSessionStats::WireFrame(size_t i, Ipv4Address to, uint32_t bytes, bool protectedFrame)
{
    int found = FindSession(int(i), m_monitor->GetOwner(to));
    if (found < 0)
    {
        return;
    }
    // Direction 0: towards the callee, so sent by the caller.
    int dir = m_caller[found] == int(i) ? 0 : 1;
    m_wireBytes[found][dir][protectedFrame] += bytes;
    ++m_wireFrames[found][dir][protectedFrame];
}

int
ScenarioSessionStats::FindSession(int a, int b) const
{
    auto it = m_sessionOf.find(Key(a, b));
    return it == m_sessionOf.end() ? -1 : int(it->second);
}

void
ScenarioSessionStats::SetVoiceCallback(VoiceCallback cb)
{
    m_voiceCallback = cb;
}

void
ScenarioSessionStats::VoiceReceived(size_t receiver, Ipv4Address from, Time delay, uint32_t seq)
{
    int sender = m_monitor->GetOwner(from); // once per packet: a hash lookup
    if (!m_voiceCallback.IsNull())
    {
        m_voiceCallback(receiver, sender, seq);
    }
    int found = FindSession(sender, int(receiver));
    if (found < 0)
    {
        return;
    }
    size_t s = size_t(found);
    auto& r = m_res.sessions[s];
    // Direction 0: towards the callee.
    int dir = m_callee[s] == int(receiver) ? 0 : 1;
    m_jitter[s][dir].Add(delay.GetSeconds());
    // Sequence numbers wrap at 2^16 (RTP): extend them against the highest so far.
    auto seq16 = uint16_t(seq);
    uint32_t ext =
        m_streamStarted[s][dir] ? RtpHeader::ExtendSequence(seq16, m_extSeq[s][dir]) : seq16;
    m_streamStarted[s][dir] = true;
    m_extSeq[s][dir] = std::max(m_extSeq[s][dir], ext);
    m_playout[2 * s + dir].Arrived(ext, delay.GetSeconds() * 1e3);
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
    for (int dir = 0; dir < 2; ++dir)
    {
        m_playout[2 * s + dir].NewStream();
        m_streamStarted[s][dir] = false;
        m_extSeq[s][dir] = 0;
    }
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
        if (m_sc.sessions[s].traffic == "voip")
        {
            FinishVoice(s);
        }
    }
}

void
ScenarioSessionStats::FinishVoice(size_t s)
{
    const ScenarioSession& ss = m_sc.sessions[s];
    const VoiceCodec codec = VoiceCodec::Find(ss.codec).value_or(VoiceCodec::GetAll().front());
    auto& r = m_res.sessions[s];
    for (int dir = 0; dir < 2; ++dir)
    {
        VoicePlayout::Summary v = m_playout[2 * s + dir].Summarize();
        r.lateLost += v.late;
        if (v.played == 0)
        {
            continue; // nothing heard this way: no rating
        }
        double ta = ss.ptimeMs + codec.lookaheadMs + v.playoutDelayMs;
        double rating = EModel::Rating(codec, ta, v.LossPercent(), v.burstRatio);
        if (r.rFactor < 0 || rating < r.rFactor)
        {
            r.rFactor = rating;
            r.mos = EModel::Mos(rating);
            r.mouthToEarMs = ta;
            r.voiceLossPercent = v.LossPercent();
            r.burstRatio = v.burstRatio;
        }
    }
    // Mean frame size × the codec's packet rate, averaged over the directions that sent such
    // frames: over all the call's frames, its clear ones, its protected ones.
    auto rate = [&](bool clear, bool prot) {
        double kbps = 0;
        int dirs = 0;
        for (int dir = 0; dir < 2; ++dir)
        {
            uint64_t bytes =
                (clear ? m_wireBytes[s][dir][0] : 0) + (prot ? m_wireBytes[s][dir][1] : 0);
            uint64_t frames =
                (clear ? m_wireFrames[s][dir][0] : 0) + (prot ? m_wireFrames[s][dir][1] : 0);
            if (frames > 0)
            {
                kbps += double(bytes) / double(frames) * 8 / ss.ptimeMs;
                ++dirs;
            }
        }
        return dirs ? kbps / dirs : -1.0;
    };
    r.wireKbps = rate(true, true);
    r.wireKbpsClear = rate(true, false);
    r.wireKbpsProtected = rate(false, true);
}

} // namespace ns3
