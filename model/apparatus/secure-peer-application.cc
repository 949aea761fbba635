/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "secure-peer-application.h"

#include "ns3/enum.h"
#include "ns3/ike-agent.h"
#include "ns3/ipsec-layer.h"
#include "ns3/location-aware-decision-model.h"
#include "ns3/log.h"
#include "ns3/node-addresses.h"
#include "ns3/node-applications.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/pointer.h"
#include "ns3/policy-set.h"
#include "ns3/simple-filter.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/text-util.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <boost/algorithm/string.hpp>
#include <cstdio>
#include <iterator>
#include <sstream>
#include <utility>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SecurePeerApplication");

NS_OBJECT_ENSURE_REGISTERED(SecurePeerApplication);

TypeId
SecurePeerApplication::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::SecurePeerApplication")
            .SetParent<Application>()
            .SetGroupName("Presec")
            .AddConstructor<SecurePeerApplication>()
            .AddAttribute("DecisionModel",
                          "The user judging peers' policies (null: LocationAwareDecisionModel).",
                          PointerValue(),
                          MakePointerAccessor(&SecurePeerApplication::m_model),
                          MakePointerChecker<UserDecisionModel>())
            .AddAttribute("Relationship",
                          "Who the peers are to the user (family, friend, colleague, ...).",
                          StringValue("unknown"),
                          MakeStringAccessor(&SecurePeerApplication::m_relationship),
                          MakeStringChecker())
            .AddAttribute("Purpose",
                          "Why the user talks to the peers (business, private, ...).",
                          StringValue("unknown"),
                          MakeStringAccessor(&SecurePeerApplication::m_purpose),
                          MakeStringChecker())
            .AddAttribute("TrustedLocations",
                          "Comma-separated location labels counted as trusted networks.",
                          StringValue("office,home,private"),
                          MakeStringAccessor(&SecurePeerApplication::m_trustedText),
                          MakeStringChecker())
            .AddAttribute("Traffic",
                          "Traffic of an established session: voip (G.711-like both ways), "
                          "bulk (a TCP transfer of BulkBytes from the requester) or none.",
                          StringValue("voip"),
                          MakeStringAccessor(&SecurePeerApplication::m_traffic),
                          MakeStringChecker())
            .AddAttribute("BulkBytes",
                          "Bytes of the TCP transfer with Traffic bulk.",
                          UintegerValue(1000000),
                          MakeUintegerAccessor(&SecurePeerApplication::m_bulkBytes),
                          MakeUintegerChecker<uint64_t>())
            .AddAttribute("DataPort",
                          "UDP port the voice packets go to (and are received on).",
                          UintegerValue(40000),
                          MakeUintegerAccessor(&SecurePeerApplication::m_dataPort),
                          MakeUintegerChecker<uint16_t>())
            .AddAttribute("VoiceTos",
                          "IP TOS byte of the voice packets: DSCP EF (46) by default, as RFC 4594 "
                          "marks telephony; IPsec copies it to the outer header.",
                          UintegerValue(0xb8),
                          MakeUintegerAccessor(&SecurePeerApplication::m_voiceTos),
                          MakeUintegerChecker<uint8_t>())
            .AddAttribute("VoipInterval",
                          "Time between voice packets.",
                          TimeValue(MilliSeconds(20)),
                          MakeTimeAccessor(&SecurePeerApplication::m_voipInterval),
                          MakeTimeChecker())
            .AddAttribute("VoipPayload",
                          "UDP payload of a voice packet in bytes (at least 12).",
                          UintegerValue(160),
                          MakeUintegerAccessor(&SecurePeerApplication::m_voipPayload),
                          MakeUintegerChecker<uint32_t>(12))
            .AddAttribute("VoicePhase",
                          "Where a voice stream's packet clock ticks within its interval, as a "
                          "fraction of it (drawn once per stream): the first packet leaves at "
                          "the first tick after the session is established and every later one "
                          "on a tick of the same clock (a hand-over does not move them), as a "
                          "phone's audio clock runs on. Calls answered at round times would "
                          "otherwise all send in the same instant. 0: the first tick when the "
                          "session is established.",
                          StringValue("ns3::ConstantRandomVariable[Constant=0]"),
                          MakePointerAccessor(&SecurePeerApplication::m_voicePhase),
                          MakePointerChecker<RandomVariableStream>())
            .AddAttribute("SessionDuration",
                          "How long the traffic of a session lasts; 0: until the application "
                          "stops.",
                          TimeValue(Seconds(0)),
                          MakeTimeAccessor(&SecurePeerApplication::m_sessionDuration),
                          MakeTimeChecker())
            .AddAttribute("SubscriptionExpires",
                          "Duration of the presence subscription to a peer.",
                          TimeValue(Seconds(3600)),
                          MakeTimeAccessor(&SecurePeerApplication::m_subscriptionExpires),
                          MakeTimeChecker())
            .AddAttribute("ReevaluationMinInterval",
                          "Least time between two decisions on the same peer.",
                          TimeValue(Seconds(5)),
                          MakeTimeAccessor(&SecurePeerApplication::m_reevalMinInterval),
                          MakeTimeChecker())
            .AddAttribute("NegotiationTimeout",
                          "How long a lowered policy waits for the peer's consent before the "
                          "peer counts as refusing.",
                          TimeValue(Seconds(10)),
                          MakeTimeAccessor(&SecurePeerApplication::m_negotiationTimeout),
                          MakeTimeChecker())
            .AddAttribute("ResponderSaWait",
                          "How long a responder waits for the SAs its requester negotiates "
                          "before its traffic starts anyway (and is dropped, counted, for "
                          "want of an SA). Only the requester asks its IKE agent for SAs.",
                          TimeValue(Seconds(5)),
                          MakeTimeAccessor(&SecurePeerApplication::m_responderSaWait),
                          MakeTimeChecker())
            .AddAttribute("OnNoAnswer",
                          "When the peer never answers: refuse (no traffic) or default "
                          "(register our own default policy and proceed).",
                          StringValue("refuse"),
                          MakeStringAccessor(&SecurePeerApplication::m_onNoAnswer),
                          MakeStringChecker())
            .AddAttribute("Request",
                          "What step 501 asks the peer for (patent FIG. 4, boxes 412 and 413): "
                          "both, presence (the policy left out) or policy (user and location "
                          "left out), sent as an RFC 4660 filter in the SUBSCRIBE. Without the "
                          "policy, the decision starts from our own default.",
                          EnumValue(static_cast<int>(RequestedInfo::BOTH)),
                          MakeEnumAccessor(&SecurePeerApplication::m_request),
                          MakeEnumChecker(static_cast<int>(RequestedInfo::BOTH),
                                          "both",
                                          static_cast<int>(RequestedInfo::PRESENCE),
                                          "presence",
                                          static_cast<int>(RequestedInfo::POLICY),
                                          "policy"))
            .AddTraceSource("Step",
                            "A step of the procedure (patent FIG. 3 / FIG. 10 numbering).",
                            MakeTraceSourceAccessor(&SecurePeerApplication::m_stepTrace),
                            "ns3::SecurePeerApplication::StepTracedCallback")
            .AddTraceSource("LogLine",
                            "A line of the decision log.",
                            MakeTraceSourceAccessor(&SecurePeerApplication::m_logTrace),
                            "ns3::SecurePeerApplication::LogTracedCallback")
            .AddTraceSource("SessionEstablished",
                            "A session reached step 509.",
                            MakeTraceSourceAccessor(&SecurePeerApplication::m_establishedTrace),
                            "ns3::SecurePeerApplication::PeerTracedCallback")
            .AddTraceSource("VoipRx",
                            "A voice packet arrived: peer, one-way delay, RTP sequence number.",
                            MakeTraceSourceAccessor(&SecurePeerApplication::m_voipRxTrace),
                            "ns3::SecurePeerApplication::VoipRxTracedCallback")
            .AddTraceSource("Decided",
                            "The decision model decided: what it was shown (the screens of "
                            "FIG. 8 and 9) and what it decided (FIG. 13), before think time.",
                            MakeTraceSourceAccessor(&SecurePeerApplication::m_decidedTrace),
                            "ns3::SecurePeerApplication::DecidedTracedCallback");
    return tid;
}

SecurePeerApplication::SecurePeerApplication()
    : m_dataPort(40000),
      m_voipInterval(MilliSeconds(20)),
      m_voipPayload(160),
      m_sessionDuration(Seconds(0)),
      m_subscriptionExpires(Seconds(3600)),
      m_reevalMinInterval(Seconds(5)),
      m_negotiationTimeout(Seconds(10))
{
    NS_LOG_FUNCTION(this);
}

SecurePeerApplication::~SecurePeerApplication()
{
    NS_LOG_FUNCTION(this);
}

void
SecurePeerApplication::Unwire()
{
    if (m_ike)
    {
        m_ike->SetChildInstalledCallback(IkeAgent::ChildInstalledCallback());
    }
    for (auto& [peer, s] : m_sessions)
    {
        CancelTimers(s);
    }
    if (m_agent)
    {
        m_agent->SetPresenceSapUser(nullptr);
        m_lowering.Stop();
    }
}

void
SecurePeerApplication::DoDispose()
{
    Unwire();
    m_lowering.Dispose();
    m_sa.Dispose();
    for (auto& e : m_connectEvents)
    {
        e.Cancel();
    }
    m_sessions.clear();
    m_model = nullptr;
    m_agent = nullptr;
    m_ipsec = nullptr;
    m_spd = nullptr;
    m_dataPlane.Dispose();
    Application::DoDispose();
}

std::string
SecurePeerApplication::ToString(SessionState s)
{
    return PeerSession::ToString(s);
}

void
SecurePeerApplication::StartApplication()
{
    NS_LOG_FUNCTION(this);
    Ptr<Node> node = GetNode();
    m_agent = FindApplication<PresenceAgent>(node);
    NS_ABORT_MSG_IF(!m_agent,
                    "SecurePeerApplication: node " << node->GetId() << " has no PresenceAgent");
    m_ike = FindApplication<IkeAgent>(node); // optional: without it, SAs come from setkey `add`
    if (m_ike)
    {
        m_ike->SetChildInstalledCallback(
            MakeCallback(&SecurePeerApplication::OnChildInstalled, this));
    }
    m_ipsec = node->GetObject<IpsecLayer>();
    m_spd = m_agent->GetSecurityPolicyDatabase();
    if (!m_spd && m_ipsec)
    {
        m_spd = m_ipsec->GetSpd();
    }
    if (!m_model)
    {
        m_model = CreateObject<LocationAwareDecisionModel>();
    }
    m_sa.Configure(
        m_ike,
        m_ipsec,
        m_responderSaWait,
        MakeCallback(&SecurePeerApplication::SaDone, this),
        SaProvisioner::LogCallback([this](const std::string& l) { Log(0, l); }),
        SaProvisioner::SourceCallback([this](Ipv4Address p) { return OwnAddressFor(p); }));
    m_agent->SetPresenceSapUser(&m_presenceUser);
    m_lowering.Start(m_agent, this);
    // The TCP receiver, if any session may bring a bulk transfer.
    m_bulkReceiver = m_traffic == "bulk" ||
                     std::any_of(m_peerTraffic.begin(), m_peerTraffic.end(), [](const auto& p) {
                         return p.second.traffic == "bulk";
                     });
    m_dataPlane.Start(node, m_dataPort, m_bulkReceiver, this);
    m_running = true;
}

void
SecurePeerApplication::StopApplication()
{
    NS_LOG_FUNCTION(this);
    m_running = false;
    Unwire();
    m_dataPlane.Stop();
}

void
SecurePeerApplication::Log(uint32_t step, const std::string& text)
{
    char t[64];
    std::snprintf(t, sizeof t, "t=%.3fs ", Simulator::Now().GetSeconds());
    std::string line = t;
    if (step)
    {
        line += std::to_string(step) + " ";
    }
    line += text;
    NS_LOG_INFO("node " << GetNode()->GetId() << ": " << line);
    m_log.push_back(line);
    if (step)
    {
        m_stepTrace(step, text);
    }
    m_logTrace(line);
}

std::string
SecurePeerApplication::ClassifyPeer(Ipv4Address peer) const
{
    return m_agent->GetLocationClassifier().Classify(peer).label;
}

bool
SecurePeerApplication::IsTrusted(const std::string& label) const
{
    std::vector<std::string> items;
    boost::split(items, m_trustedText, boost::is_any_of(","));
    return !label.empty() && std::any_of(items.begin(), items.end(), [&label](const auto& i) {
        return text::Trim(i) == label;
    });
}

Ipv4Address
SecurePeerApplication::OwnAddressFor(Ipv4Address peer) const
{
    return NodeAddresses::SourceFor(GetNode(), peer);
}

void
SecurePeerApplication::Connect(Ipv4Address peer)
{
    NS_LOG_FUNCTION(this << peer);
    NS_ABORT_MSG_IF(!m_running, "SecurePeerApplication::Connect: not running");
    if (SessionState st = GetSessionState(peer);
        HasSession(peer) && (st == SessionState::REFUSED || st == SessionState::FAILED))
    {
        ReleaseSession(peer, "replaced by a new session");
    }
    if (HasSession(peer))
    {
        std::ostringstream o;
        o << "already in session with " << peer;
        Log(0, o.str());
        return;
    }
    StartSession(peer, false);
}

void
SecurePeerApplication::ConnectAt(Ipv4Address peer, Time at)
{
    ScheduleConnect(at, [this, peer]() { Connect(peer); });
}

void
SecurePeerApplication::ScheduleConnect(Time at, std::function<void()> connect)
{
    Time delay = at > Simulator::Now() ? at - Simulator::Now() : Seconds(0);
    m_connectEvents.push_back(Simulator::Schedule(delay, connect));
}

void
SecurePeerApplication::Connect(const std::string& aor)
{
    NS_LOG_FUNCTION(this << aor);
    NS_ABORT_MSG_IF(!m_running, "SecurePeerApplication::Connect: not running");
    Log(0, "resolve " + aor);
    m_agent->Resolve(aor,
                     PresenceAgent::ResolveCallback(
                         [this, aor](bool ok, Ipv4Address address, const std::string& reason) {
                             if (!ok)
                             {
                                 ++m_stats.unresolved;
                                 Log(0, "cannot resolve " + aor + ": " + reason);
                                 return;
                             }
                             ++m_stats.resolved;
                             std::ostringstream o;
                             o << aor << " is at " << address;
                             Log(0, o.str());
                             if (m_running)
                             {
                                 Connect(address);
                             }
                         }));
}

void
SecurePeerApplication::ConnectAt(const std::string& aor, Time at)
{
    ScheduleConnect(at, [this, aor]() { Connect(aor); });
}

void
SecurePeerApplication::StartSession(Ipv4Address peer, bool responder)
{
    if (!m_running || m_sessions.count(peer))
    {
        return;
    }
    uint64_t id = m_nextSessionId++;
    PeerSession::Pieces pieces{m_spd,
                               &m_sa,
                               &m_lowering,
                               &m_dataPlane,
                               static_cast<PeerSessionJudge*>(this)};
    m_sessions.try_emplace(peer, id, peer, responder, static_cast<PeerSessionUser*>(this), pieces);
    m_sa.Open(id, peer, responder);
    auto request = static_cast<RequestedInfo>(m_request);
    std::ostringstream o;
    if (responder)
    {
        o << "responder: " << peer << " subscribed to us; ";
    }
    o << "request "
      << (request == RequestedInfo::BOTH       ? "presence and security policy"
          : request == RequestedInfo::PRESENCE ? "presence"
                                               : "security policy")
      << " of " << peer;
    Log(501, o.str());
    // The callback names the session, not the address: the address may move.
    m_agent->Subscribe(
        peer,
        m_subscriptionExpires,
        PresenceAgent::PresenceCallback(
            [this, id](Ipv4Address,
                       const PresenceDocument& doc,
                       const std::vector<SecurityPolicy>& policies,
                       bool ok,
                       std::string error) { OnPresence(id, doc, policies, ok, std::move(error)); }),
        MakeRequestFilter(request));
}

void
SecurePeerApplication::CancelTimers(PeerSession& s)
{
    s.CancelTimers();
    m_sa.CancelTimers(s.GetId());
    m_lowering.CancelTimers(s.GetId());
}

const PeerSession*
SecurePeerApplication::FindSession(uint64_t id) const
{
    for (const auto& [peer, s] : m_sessions)
    {
        if (s.GetId() == id)
        {
            return &s;
        }
    }
    return nullptr;
}

PeerSession*
SecurePeerApplication::FindSession(uint64_t id)
{
    return const_cast<PeerSession*>(std::as_const(*this).FindSession(id));
}

void
SecurePeerApplication::DoSubscriberArrived(Ipv4Address peer, const std::string& /* uri */)
{
    if (!m_running || m_sessions.count(peer))
    {
        return;
    }
    // Not from inside the agent's receive path.
    Simulator::ScheduleNow(&SecurePeerApplication::StartSession, this, peer, true);
}

void
SecurePeerApplication::OnPresence(uint64_t id,
                                  const PresenceDocument& doc,
                                  const std::vector<SecurityPolicy>& policies,
                                  bool ok,
                                  std::string error)
{
    NS_LOG_FUNCTION(this << id << ok << error);
    PeerSession* s = FindSession(id);
    if (m_running && s)
    {
        s->OnPresence(doc, policies, ok, error);
    }
}

void
SecurePeerApplication::DoOwnPresenceChanged(const PresenceDocument& doc)
{
    if (!m_running)
    {
        return;
    }
    for (auto& [peer, s] : m_sessions)
    {
        s.OnOwnPresenceChanged(doc);
    }
}

void
SecurePeerApplication::MoveSession(Ipv4Address from, Ipv4Address to)
{
    if (auto stale = m_sessions.find(to); stale != m_sessions.end())
    {
        // An older session with whoever had that address before: it is over.
        CancelTimers(stale->second);
        stale->second.RemoveRegistrations();
        m_sa.Forget(stale->second.GetId());
        m_lowering.Forget(stale->second.GetId());
        m_sessions.erase(stale);
        Log(0, "an earlier session with that address was dropped");
    }
    // Re-key the session; the element itself stays where it is.
    auto node = m_sessions.extract(from);
    node.key() = to;
    m_sessions.insert(std::move(node));
}

void
SecurePeerApplication::OnChildInstalled(Ipv4Address peer)
{
    auto it = m_sessions.find(peer);
    if (m_running && it != m_sessions.end())
    {
        it->second.OnChildInstalled();
    }
}

void
SecurePeerApplication::SaDone(Ipv4Address peer, bool ok)
{
    auto it = m_sessions.find(peer);
    if (m_running && it != m_sessions.end())
    {
        it->second.OnSaDone(ok);
    }
}

DecisionContext
SecurePeerApplication::MakeContext(const PeerSession& s,
                                   const std::vector<SecurityPolicy>& proposal) const
{
    DecisionContext ctx;
    ctx.peer = s.GetDocument();
    ctx.peerAddress = s.GetPeer();
    ctx.peerNetwork = ClassifyPeer(s.GetPeer());
    ctx.peerTrusted = IsTrusted(ctx.peerNetwork);
    if (auto entry = m_agent->GetPresenceDatabase()->Lookup(s.GetDocument().entity))
    {
        ctx.userLabel = entry->userOverride.value_or("");
        ctx.locationLabel = entry->locationOverride.value_or("");
    }
    ctx.peerProposal = proposal;
    ctx.requested = static_cast<RequestedInfo>(m_request);
    ctx.ownAddress = OwnAddressFor(s.GetPeer());
    PresenceDocument own = m_agent->GetOwnPresence();
    ctx.ownLocation = own.location;
    ctx.ownTrusted = IsTrusted(own.location);
    ctx.ownPlaceType = own.placeType.value_or(PlaceType::UNKNOWN);
    ctx.relationship = m_relationship;
    ctx.purpose = m_purpose;
    auto pc = m_peerContext.find(s.GetDocument().entity);
    if (pc != m_peerContext.end())
    {
        ctx.relationship = pc->second.first;
        ctx.purpose = pc->second.second;
    }
    return ctx;
}

Decision
SecurePeerApplication::Decide(const DecisionContext& ctx)
{
    if (!m_model)
    {
        m_model = CreateObject<LocationAwareDecisionModel>();
    }
    Decision d = m_model->Decide(ctx);
    ++m_stats.decisions;
    m_decidedTrace(ctx, d);
    return d;
}

bool
SecurePeerApplication::IsRunning() const
{
    return m_running;
}

void
SecurePeerApplication::Count(Counter what)
{
    // Indexed by PeerSessionUser::Counter.
    static uint32_t Stats::*const field[] = {&Stats::reevaluations,
                                             &Stats::registrations,
                                             &Stats::sessionsEstablished,
                                             &Stats::refusedByUs,
                                             &Stats::noAnswer,
                                             &Stats::handovers,
                                             &Stats::ownAddressChanges,
                                             &Stats::locationMismatches,
                                             &Stats::outdatedIgnored,
                                             &Stats::skippedNegotiations};
    static_assert(std::size(field) == SKIPPED_NEGOTIATION + 1, "one field per Counter");
    ++(m_stats.*field[what]);
}

std::vector<SecurityPolicy>
SecurePeerApplication::GetOfferedPolicies(Ipv4Address peer) const
{
    return m_agent->GetOfferedPolicies(peer);
}

void
SecurePeerApplication::PolicyChanged()
{
    m_agent->SetPolicyChanged();
}

void
SecurePeerApplication::SessionEstablished(Ipv4Address peer)
{
    m_establishedTrace(peer);
}

void
SecurePeerApplication::VoiceReceived(Ipv4Address peer, uint16_t seq, Time delay)
{
    if (auto it = m_sessions.find(peer); it != m_sessions.end())
    {
        it->second.OnVoiceReceived(seq, delay);
        m_voipRxTrace(peer, delay, seq);
    }
}

void
SecurePeerApplication::BulkReceived(Ipv4Address peer, uint32_t bytes)
{
    if (auto it = m_sessions.find(peer); it != m_sessions.end())
    {
        it->second.OnBulkReceived(bytes);
    }
}

void
SecurePeerApplication::LoweringLog(const std::string& line)
{
    Log(0, line);
}

uint64_t
SecurePeerApplication::LoweringSessionAt(Ipv4Address peer) const
{
    auto it = m_sessions.find(peer);
    return it == m_sessions.end() ? 0 : it->second.GetId();
}

std::optional<Ipv4Address>
SecurePeerApplication::LoweringPeerOf(uint64_t session) const
{
    const PeerSession* s = FindSession(session);
    return s ? std::optional<Ipv4Address>(s->GetPeer()) : std::nullopt;
}

void
SecurePeerApplication::LoweringEnded(uint64_t session,
                                     bool accepted,
                                     const std::vector<SecurityPolicy>& lowered)
{
    if (PeerSession* s = FindSession(session))
    {
        s->OnLoweringEnded(accepted, lowered);
    }
}

std::optional<Decision>
SecurePeerApplication::JudgeLowering(Ipv4Address peer, const LoweringRequest& request)
{
    auto it = m_sessions.find(peer);
    if (!m_running || it == m_sessions.end() || !it->second.HasPresence())
    {
        return std::nullopt;
    }
    std::ostringstream o;
    o << "peer asks to lower its requirement (request " << request.id
      << "): " << PolicySet::ToText(request.policies);
    Log(0, o.str());
    Decision d = Decide(MakeContext(it->second, request.policies));
    ++m_stats.reevaluations;
    return d;
}

void
SecurePeerApplication::LoweringAccepted(uint64_t session,
                                        const LoweringRequest& request,
                                        const Decision& decision)
{
    if (PeerSession* s = m_running ? FindSession(session) : nullptr)
    {
        s->OnPeerLoweringAccepted(request.policies, decision.policies);
    }
}

void
SecurePeerApplication::SessionDurationPassed(Ipv4Address peer)
{
    ReleaseSession(peer, "the session duration passed");
}

void
SecurePeerApplication::Disconnect(Ipv4Address peer)
{
    NS_LOG_FUNCTION(this << peer);
    ReleaseSession(peer, "ended by the user");
}

void
SecurePeerApplication::DoWatcherEnded(Ipv4Address peer, const std::string& reason)
{
    if (m_running && m_sessions.count(peer))
    {
        // Not from inside the agent's receive path.
        Simulator::ScheduleNow(&SecurePeerApplication::ReleaseSession,
                               this,
                               peer,
                               "the peer ended its subscription (" + reason + ")");
    }
}

void
SecurePeerApplication::ReleaseSession(Ipv4Address peer, const std::string& why)
{
    auto it = m_sessions.find(peer);
    if (it == m_sessions.end())
    {
        return;
    }
    PeerSession& s = it->second;
    CancelTimers(s);
    PeerSessionStats st = s.GetStats();
    std::ostringstream o;
    o << "session with " << peer << " ended (" << why << "): sent " << st.sent << ", received "
      << st.received;
    Log(512, o.str());
    m_ended[peer] = st;
    s.RemoveRegistrations();
    m_sa.Release(s.GetId(), peer);
    m_lowering.Forget(s.GetId());
    if (m_running)
    {
        m_agent->Unsubscribe(peer);
    }
    m_sessions.erase(it);
}

std::vector<std::string>
SecurePeerApplication::GetDecisionLog() const
{
    return m_log;
}

Ptr<UserDecisionModel>
SecurePeerApplication::GetDecisionModel() const
{
    return m_model;
}

} // namespace ns3
