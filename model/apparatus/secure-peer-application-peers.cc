/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// SecurePeerApplication's per-peer settings: who a peer is to the user, the traffic of its
// sessions, and the configuration a session reads.

#include "secure-peer-application.h"

#include "ns3/abort.h"

namespace ns3
{

void
SecurePeerApplication::SetPeerContext(const std::string& entity,
                                      const std::string& relationship,
                                      const std::string& purpose)
{
    m_peerContext[entity] = {relationship, purpose};
}

void
SecurePeerApplication::SetPeerTraffic(const std::string& entity,
                                      const std::string& traffic,
                                      uint64_t bulkBytes)
{
    NS_ABORT_MSG_UNLESS(traffic == "voip" || traffic == "bulk" || traffic == "none",
                        "SetPeerTraffic: traffic '" << traffic << "' is none of voip|bulk|none");
    NS_ABORT_MSG_IF(m_running && traffic == "bulk" && !m_bulkReceiver,
                    "SetPeerTraffic: bulk traffic must be set before the application starts");
    m_peerTraffic[entity] = {traffic, bulkBytes};
}

PeerSessionConfig
SecurePeerApplication::GetSessionConfig(const std::string& peerEntity) const
{
    auto own = m_peerTraffic.find(peerEntity);
    bool mine = !peerEntity.empty() && own != m_peerTraffic.end();
    return PeerSessionConfig{mine ? own->second.first : m_traffic,
                             mine ? own->second.second : m_bulkBytes,
                             m_dataPort,
                             m_voiceTos,
                             m_voipInterval,
                             m_voipPayload,
                             m_sessionDuration,
                             m_reevalMinInterval,
                             m_negotiationTimeout,
                             m_onNoAnswer,
                             static_cast<RequestedInfo>(m_request)};
}

} // namespace ns3
