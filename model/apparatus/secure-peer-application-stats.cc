/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// SecurePeerApplication's counters and what it tells of its sessions: the pieces count what
// they do, the application shows it all.

#include "secure-peer-application.h"

namespace ns3
{

const SecurePeerApplication::Stats&
SecurePeerApplication::GetStats() const
{
    // The pieces count what they do; the application's counters show it all.
    const auto& lowering = m_lowering.GetStats();
    m_stats.negotiations = lowering.requests;
    m_stats.accepted = lowering.accepted;
    m_stats.refused = lowering.refused;
    m_stats.loweringsAccepted = lowering.peerAccepted;
    m_stats.loweringsRefused = lowering.peerRefused;
    m_stats.saNegotiations = m_sa.GetStats().negotiations;
    m_stats.malformedVoice = m_dataPlane.GetStats().malformedVoice;
    return m_stats;
}

SecurePeerApplication::SessionStats
SecurePeerApplication::GetSessionStats(Ipv4Address peer) const
{
    auto it = m_sessions.find(peer);
    if (it == m_sessions.end())
    {
        auto ended = m_ended.find(peer);
        return ended == m_ended.end() ? SessionStats() : ended->second;
    }
    return it->second.GetStats();
}

bool
SecurePeerApplication::HasSession(Ipv4Address peer) const
{
    return m_sessions.count(peer) > 0;
}

SecurePeerApplication::SessionState
SecurePeerApplication::GetSessionState(Ipv4Address peer) const
{
    auto it = m_sessions.find(peer);
    if (it != m_sessions.end())
    {
        return it->second.GetState();
    }
    return m_ended.count(peer) ? SessionState::ENDED : SessionState::FAILED;
}

std::vector<SecurityPolicy>
SecurePeerApplication::GetRegisteredPolicies(Ipv4Address peer) const
{
    auto it = m_sessions.find(peer);
    return it == m_sessions.end() ? std::vector<SecurityPolicy>{} : it->second.GetRegistered();
}

} // namespace ns3
