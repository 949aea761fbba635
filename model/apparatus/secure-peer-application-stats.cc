/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// SecurePeerApplication's counters: the pieces count what they do, the application shows it all.

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

} // namespace ns3
