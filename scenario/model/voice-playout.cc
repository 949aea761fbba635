/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "voice-playout.h"

#include <algorithm>

namespace ns3
{

namespace
{

/// A stream longer than this many packets (over 5 hours at 10 ms) is not followed further:
/// a bound on memory against a sequence number far off.
constexpr uint32_t kMaxStream = 1u << 21;

/// Pattern counts of one stream.
struct Pattern
{
    uint64_t expected{0}; //!< due
    uint64_t played{0};   //!< played
    uint64_t late{0};     //!< late
    uint64_t okToLoss{0}; //!< played → lost
    uint64_t okNext{0};   //!< played → any
    uint64_t lossToOk{0}; //!< lost → played
    uint64_t lossNext{0}; //!< lost → any
};

template <typename F>
Pattern
Count(const std::vector<F>& fate, F played, F late)
{
    Pattern c;
    c.expected = fate.size();
    for (size_t i = 0; i < fate.size(); ++i)
    {
        bool ok = fate[i] == played;
        c.played += ok;
        c.late += fate[i] == late;
        if (i + 1 < fate.size())
        {
            bool nextOk = fate[i + 1] == played;
            (ok ? c.okNext : c.lossNext) += 1;
            if (ok && !nextOk)
            {
                ++c.okToLoss;
            }
            if (!ok && nextOk)
            {
                ++c.lossToOk;
            }
        }
    }
    return c;
}

} // namespace

VoicePlayout::VoicePlayout(double bufferMs)
    : m_bufferMs(bufferMs)
{
}

void
VoicePlayout::NewStream()
{
    CloseStream();
}

void
VoicePlayout::CloseStream()
{
    Pattern c = Count(m_fate, PLAYED, LATE);
    m_expected += c.expected;
    m_played += c.played;
    m_late += c.late;
    m_okToLoss += c.okToLoss;
    m_okNext += c.okNext;
    m_lossToOk += c.lossToOk;
    m_lossNext += c.lossNext;
    m_fate.clear();
    m_anchored = false;
    m_lastSeq = 0;
}

void
VoicePlayout::Arrived(uint32_t seq, double delayMs)
{
    if (seq >= kMaxStream)
    {
        return;
    }
    if (!m_anchored || seq >= m_lastSeq + RESYNC_GAP + 1)
    {
        m_anchored = true;
        m_playoutMs = delayMs + m_bufferMs;
    }
    m_lastSeq = std::max(m_lastSeq, seq);
    if (seq >= m_fate.size())
    {
        m_fate.resize(seq + 1, MISSING);
    }
    if (m_fate[seq] != MISSING)
    {
        return; // a duplicate: the first copy decided
    }
    if (delayMs <= m_playoutMs)
    {
        m_fate[seq] = PLAYED;
        m_playoutSum += m_playoutMs;
    }
    else
    {
        m_fate[seq] = LATE;
    }
}

double
VoicePlayout::Summary::LossPercent() const
{
    return expected ? 100.0 * double(expected - played) / double(expected) : 0;
}

VoicePlayout::Summary
VoicePlayout::Summarize() const
{
    Pattern now = Count(m_fate, PLAYED, LATE);
    Summary s;
    s.expected = m_expected + now.expected;
    s.played = m_played + now.played;
    s.late = m_late + now.late;
    s.playoutDelayMs = s.played ? m_playoutSum / double(s.played) : 0;
    double okNext = double(m_okNext + now.okNext);
    double lossNext = double(m_lossNext + now.lossNext);
    double p = okNext > 0 ? double(m_okToLoss + now.okToLoss) / okNext : 0;
    double q = lossNext > 0 ? double(m_lossToOk + now.lossToOk) / lossNext : 1;
    s.burstRatio = p + q > 0 && s.played < s.expected ? std::max(1.0, 1 / (p + q)) : 1;
    return s;
}

} // namespace ns3
