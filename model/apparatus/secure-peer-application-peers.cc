/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// SecurePeerApplication's per-peer settings: who a peer is to the user, the traffic of its
// sessions (and where their voice clocks tick), and the configuration a session reads.

#include "secure-peer-application.h"

#include "ns3/abort.h"
#include "ns3/random-variable-stream.h"
#include "ns3/rtp-header.h"

#include <algorithm>

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
                                      uint64_t bulkBytes,
                                      std::optional<VoiceFormat> voice)
{
    NS_ABORT_MSG_UNLESS(traffic == "voip" || traffic == "bulk" || traffic == "none",
                        "SetPeerTraffic: traffic '" << traffic << "' is none of voip|bulk|none");
    NS_ABORT_MSG_IF(m_running && traffic == "bulk" && !m_bulkReceiver,
                    "SetPeerTraffic: bulk traffic must be set before the application starts");
    NS_ABORT_MSG_IF(voice && (voice->bytes < RtpHeader().GetSerializedSize() ||
                              !voice->interval.IsStrictlyPositive() || voice->clockRate == 0),
                    "SetPeerTraffic: a voice format needs an RTP header, an interval and a clock");
    m_peerTraffic[entity] = {traffic, bulkBytes, voice};
}

PeerSessionConfig
SecurePeerApplication::GetSessionConfig(const std::string& peerEntity) const
{
    auto own = m_peerTraffic.find(peerEntity);
    bool mine = !peerEntity.empty() && own != m_peerTraffic.end();
    VoiceFormat attributes;
    attributes.interval = m_voipInterval;
    attributes.bytes = m_voipPayload;
    PeerSessionConfig c;
    c.dataPort = m_dataPort;
    c.voiceTos = m_voiceTos;
    c.voice = mine && own->second.voice ? *own->second.voice : attributes;
    c.traffic = mine ? own->second.traffic : m_traffic;
    c.bulkBytes = mine ? own->second.bulkBytes : m_bulkBytes;
    c.sessionDuration = m_sessionDuration;
    c.reevalMinInterval = m_reevalMinInterval;
    c.negotiationTimeout = m_negotiationTimeout;
    c.onNoAnswer = m_onNoAnswer;
    c.request = static_cast<RequestedInfo>(m_request);
    return c;
}

Time
SecurePeerApplication::DrawVoicePhase(Time interval)
{
    double f = std::clamp(m_voicePhase->GetValue(), 0.0, 1.0);
    return std::min(Time::From(int64_t(f * interval.GetTimeStep())), interval - TimeStep(1));
}

int64_t
SecurePeerApplication::AssignStreams(int64_t stream)
{
    m_voicePhase->SetStream(stream);
    return 1;
}

} // namespace ns3
