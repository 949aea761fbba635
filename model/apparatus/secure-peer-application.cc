/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "secure-peer-application.h"

#include "ns3/ike-agent.h"
#include "ns3/ipsec-layer.h"
#include "ns3/location-aware-decision-model.h"
#include "lowering-message.h"
#include "ns3/policy-set.h"
#include "ns3/setkey-parser.h"
#include "ns3/sip-message.h"

#include "ns3/bulk-send-application.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/packet-sink.h"
#include "ns3/packet.h"
#include "ns3/pointer.h"
#include "ns3/seq-ts-header.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SecurePeerApplication");

NS_OBJECT_ENSURE_REGISTERED(SecurePeerApplication);

namespace
{

/// Where a peer's presence says it is now: `current` while the peer still has it, else the
/// host of its PIDF contact if that is one of its addresses, else its first address.
Ipv4Address
CurrentAddress(const PresenceDocument& doc, Ipv4Address current)
{
    const auto& a = doc.addresses;
    if (a.empty() || std::find(a.begin(), a.end(), current) != a.end())
    {
        return current;
    }
    // "sip:user@192.0.2.1:5060;params" -> 192.0.2.1
    std::string host = doc.contact.substr(doc.contact.find(':') + 1);
    host = host.substr(host.find('@') + 1);
    host = host.substr(0, host.find_first_of(":;>?"));
    Ipv4Address contact;
    if (ParseIpv4Address(host, contact) && std::find(a.begin(), a.end(), contact) != a.end())
    {
        return contact;
    }
    return a.front();
}

} // namespace

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
                            "A voice packet arrived: peer, one-way delay.",
                            MakeTraceSourceAccessor(&SecurePeerApplication::m_voipRxTrace),
                            "ns3::SecurePeerApplication::VoipRxTracedCallback");
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
SecurePeerApplication::DoDispose()
{
    if (m_ike)
    {
        m_ike->SetChildInstalledCallback(IkeAgent::ChildInstalledCallback());
    }
    if (m_agent)
    {
        m_agent->SetSubscriberCallback(PresenceAgent::SubscriberCallback());
        m_agent->SetWatcherEndedCallback(PresenceAgent::WatcherEndedCallback());
        m_agent->SetMessageHandler(LoweringCodec::CONTENT_TYPE, PresenceAgent::MessageHandler());
    }
    for (auto& [peer, s] : m_sessions)
    {
        s.CancelTimers();
    }
    for (auto& e : m_connectEvents)
    {
        e.Cancel();
    }
    m_sessions.clear();
    m_model = nullptr;
    m_agent = nullptr;
    m_ipsec = nullptr;
    m_spd = nullptr;
    m_socket = nullptr;
    Application::DoDispose();
}

std::string
SecurePeerApplication::ToString(SessionState s)
{
    switch (s)
    {
    case SessionState::SUBSCRIBING:
        return "subscribing";
    case SessionState::DECIDING:
        return "deciding";
    case SessionState::NEGOTIATING:
        return "negotiating";
    case SessionState::ESTABLISHED:
        return "established";
    case SessionState::REFUSED:
        return "refused";
    case SessionState::FAILED:
        return "failed";
    case SessionState::ENDED:
        return "ended";
    }
    return "?";
}

void
SecurePeerApplication::StartApplication()
{
    NS_LOG_FUNCTION(this);
    Ptr<Node> node = GetNode();
    for (uint32_t i = 0; i < node->GetNApplications(); ++i)
    {
        if (Ptr<PresenceAgent> a = DynamicCast<PresenceAgent>(node->GetApplication(i)))
        {
            m_agent = a;
            break;
        }
    }
    NS_ABORT_MSG_IF(!m_agent,
                    "SecurePeerApplication: node " << node->GetId() << " has no PresenceAgent");
    for (uint32_t i = 0; i < node->GetNApplications(); ++i)
    {
        if (Ptr<IkeAgent> ike = DynamicCast<IkeAgent>(node->GetApplication(i)))
        {
            m_ike = ike; // optional: without it, SAs must be configured (setkey `add`)
            m_ike->SetChildInstalledCallback(
                MakeCallback(&SecurePeerApplication::OnChildInstalled, this));
            break;
        }
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
    m_agent->SetSubscriberCallback(MakeCallback(&SecurePeerApplication::OnSubscriber, this));
    m_agent->SetWatcherEndedCallback(MakeCallback(&SecurePeerApplication::OnWatcherEnded, this));
    m_agent->SetMessageHandler(LoweringCodec::CONTENT_TYPE,
                               MakeCallback(&SecurePeerApplication::OnLoweringMessage, this));
    m_agent->TraceConnectWithoutContext(
        "PresenceChanged",
        MakeCallback(&SecurePeerApplication::OnOwnPresenceChanged, this));
    if (m_traffic == "bulk" && !m_bulkSink)
    {
        // ns-3's own receiver; it is added at run time, so Node schedules its start.
        auto sink = CreateObject<PacketSink>();
        sink->SetAttribute("Protocol", TypeIdValue(TcpSocketFactory::GetTypeId()));
        sink->SetAttribute("Local",
                           AddressValue(InetSocketAddress(Ipv4Address::GetAny(), m_dataPort)));
        sink->TraceConnectWithoutContext("Rx",
                                         MakeCallback(&SecurePeerApplication::BulkReceived, this));
        node->AddApplication(sink);
        m_bulkSink = sink;
    }
    m_socket = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
    m_socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_dataPort));
    m_socket->SetRecvCallback(MakeCallback(&SecurePeerApplication::HandleRead, this));
    m_running = true;
}

void
SecurePeerApplication::StopApplication()
{
    NS_LOG_FUNCTION(this);
    m_running = false;
    if (m_ike)
    {
        m_ike->SetChildInstalledCallback(IkeAgent::ChildInstalledCallback());
    }
    for (auto& [peer, s] : m_sessions)
    {
        s.CancelTimers();
    }
    if (m_agent)
    {
        m_agent->SetSubscriberCallback(PresenceAgent::SubscriberCallback());
        m_agent->SetWatcherEndedCallback(PresenceAgent::WatcherEndedCallback());
        m_agent->SetMessageHandler(LoweringCodec::CONTENT_TYPE, PresenceAgent::MessageHandler());
        m_agent->TraceDisconnectWithoutContext(
            "PresenceChanged",
            MakeCallback(&SecurePeerApplication::OnOwnPresenceChanged, this));
    }
    if (m_socket)
    {
        m_socket->Close();
        m_socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        m_socket = nullptr;
    }
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

void
SecurePeerApplication::CrossCheckLocation(const Session& s)
{
    std::string network = ClassifyPeer(s.peer);
    if (s.doc.location.empty() || s.doc.location == network)
    {
        return;
    }
    ++m_stats.locationMismatches;
    std::ostringstream o;
    o << "peer declares location '" << s.doc.location << "' from " << s.peer
      << ", which we classify as '" << network << "': its label is not believed";
    Log(0, o.str());
}

bool
SecurePeerApplication::IsTrusted(const std::string& label) const
{
    std::stringstream ss(m_trustedText);
    std::string item;
    while (std::getline(ss, item, ','))
    {
        item.erase(0, item.find_first_not_of(" \t"));
        item.erase(item.find_last_not_of(" \t") + 1);
        if (!item.empty() && item == label)
        {
            return true;
        }
    }
    return false;
}

Ipv4Address
SecurePeerApplication::OwnAddressFor(Ipv4Address peer) const
{
    Ptr<Ipv4> ipv4 = GetNode()->GetObject<Ipv4>();
    if (!ipv4)
    {
        return Ipv4Address::GetAny();
    }
    if (Ptr<Ipv4RoutingProtocol> rp = ipv4->GetRoutingProtocol())
    {
        Ipv4Header h;
        h.SetDestination(peer);
        Socket::SocketErrno err;
        Ptr<Ipv4Route> route = rp->RouteOutput(Create<Packet>(), h, nullptr, err);
        if (route)
        {
            return route->GetSource();
        }
    }
    for (uint32_t i = 0; i < ipv4->GetNInterfaces(); ++i)
    {
        for (uint32_t j = 0; j < ipv4->GetNAddresses(i); ++j)
        {
            Ipv4Address a = ipv4->GetAddress(i, j).GetLocal();
            if (a != Ipv4Address::GetLoopback())
            {
                return a;
            }
        }
    }
    return Ipv4Address::GetAny();
}

void
SecurePeerApplication::Connect(Ipv4Address peer)
{
    NS_LOG_FUNCTION(this << peer);
    NS_ABORT_MSG_IF(!m_running, "SecurePeerApplication::Connect: not running");
    if (auto it = m_sessions.find(peer);
        it != m_sessions.end() &&
        (it->second.state == SessionState::REFUSED || it->second.state == SessionState::FAILED))
    {
        ReleaseSession(peer, "replaced by a new session");
    }
    if (m_sessions.count(peer))
    {
        Log(
            0,
            "already in session with " + [&] {
                std::ostringstream o;
                o << peer;
                return o.str();
            }());
        return;
    }
    StartSession(peer, false);
}

void
SecurePeerApplication::ConnectAt(Ipv4Address peer, Time at)
{
    Time delay = at > Simulator::Now() ? at - Simulator::Now() : Seconds(0);
    m_connectEvents.push_back(
        Simulator::Schedule(delay, &SecurePeerApplication::Connect, this, peer));
}

void
SecurePeerApplication::SetPeerContext(const std::string& entity,
                                      const std::string& relationship,
                                      const std::string& purpose)
{
    m_peerContext[entity] = {relationship, purpose};
}

void
SecurePeerApplication::StartSession(Ipv4Address peer, bool responder)
{
    if (!m_running || m_sessions.count(peer))
    {
        return;
    }
    Session& s = m_sessions[peer];
    s.id = m_nextSessionId++;
    s.peer = peer;
    s.responder = responder;
    if (responder && m_ike)
    {
        m_ike->SetPassive(peer, true); // the requester asks for the SAs both need
    }
    std::ostringstream o;
    if (responder)
    {
        o << "responder: " << peer << " subscribed to us; request presence of " << peer;
    }
    else
    {
        o << "request presence of " << peer;
    }
    Log(501, o.str());
    // The callback names the session, not the address: the address may move.
    uint64_t id = s.id;
    m_agent->Subscribe(
        peer,
        m_subscriptionExpires,
        PresenceAgent::PresenceCallback([this, id](Ipv4Address,
                                                   const PresenceDocument& doc,
                                                   const std::vector<SecurityPolicy>& policies,
                                                   bool ok,
                                                   std::string error) {
            OnPresence(id, doc, policies, ok, std::move(error));
        }));
}

void
SecurePeerApplication::Session::CancelTimers()
{
    for (EventId* e :
         {&saWaitEvent, &decisionEvent, &reevalEvent, &negotiationTimeout, &sendEvent, &endEvent})
    {
        e->Cancel();
    }
    for (EventId& e : answerEvents)
    {
        e.Cancel();
    }
}

SecurePeerApplication::Session*
SecurePeerApplication::FindSession(uint64_t id)
{
    for (auto& [peer, s] : m_sessions)
    {
        if (s.id == id)
        {
            return &s;
        }
    }
    return nullptr;
}

void
SecurePeerApplication::OnSubscriber(Ipv4Address peer, const std::string& /* uri */)
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
    Session* found = FindSession(id);
    if (!m_running || !found)
    {
        return;
    }
    Session& s = *found;
    Ipv4Address peer = s.peer;
    std::ostringstream o;
    if (!ok)
    {
        if (s.everNotified)
        {
            o << "subscription to " << peer << " ended: " << error << "; registered policies kept";
            Log(0, o.str());
            return;
        }
        ++m_stats.noAnswer;
        o << "no answer from " << peer << ": " << error;
        Log(0, o.str());
        if (m_onNoAnswer == "default")
        {
            Log(0, "outcome: no answer, falling back to our own default policy");
            Register(s, m_agent->GetOfferedPolicies(peer), " (own default)");
            Proceed(s);
        }
        else
        {
            s.state = SessionState::FAILED;
            Log(0, "outcome: no answer, refused (no communication)");
        }
        return;
    }
    if (s.everNotified && error.rfind(PresenceAgent::OUTDATED_NOTE, 0) == 0)
    {
        // RFC 3863 section 6: an older document than the one we acted on says nothing new.
        std::ostringstream a;
        a << "ignored: an outdated presence document from " << peer
          << " (older than the one registered)";
        Log(0, a.str());
        ++m_stats.outdatedIgnored;
        return;
    }
    s.doc = doc;
    s.proposal = policies;
    CrossCheckLocation(s);
    bool first = !s.everNotified;
    s.everNotified = true;
    if (Ipv4Address now = CurrentAddress(doc, peer); !first && now != peer)
    {
        FollowPeer(s, now);
        peer = now;
    }
    {
        std::ostringstream r;
        r << "registered presence of " << peer << " in the presence database (entity " << doc.entity
          << ", location " << doc.location << ")";
        if (!error.empty())
        {
            r << " [" << error << "]";
        }
        Log(504, r.str());
    }
    switch (s.state)
    {
    case SessionState::SUBSCRIBING:
        if (first)
        {
            DecideNow(s, false);
        }
        break;
    case SessionState::DECIDING:
        s.reevalPending = true; // checked once the decision in progress is applied
        break;
    case SessionState::NEGOTIATING:
        s.reevalPending = true; // a NOTIFY is no answer: looked at once the negotiation ends
        break;
    case SessionState::ESTABLISHED:
        if (s.pendingDecision)
        {
            s.reevalPending = true;
        }
        else
        {
            HandleUpdate(s);
        }
        break;
    case SessionState::REFUSED:
    case SessionState::FAILED:
    case SessionState::ENDED:
        Log(0, "ignored: no session in progress");
        break;
    }
}

DecisionContext
SecurePeerApplication::MakeContext(const Session& s,
                                   const std::vector<SecurityPolicy>& proposal) const
{
    DecisionContext ctx;
    ctx.peer = s.doc;
    ctx.peerAddress = s.peer;
    ctx.peerNetwork = ClassifyPeer(s.peer);
    ctx.peerTrusted = IsTrusted(ctx.peerNetwork);
    if (auto entry = m_agent->GetPresenceDatabase()->Lookup(s.doc.entity))
    {
        ctx.userLabel = entry->userOverride.value_or("");
        ctx.locationLabel = entry->locationOverride.value_or("");
    }
    ctx.proposal = proposal;
    ctx.ownAddress = OwnAddressFor(s.peer);
    PresenceDocument own = m_agent->GetOwnPresence();
    ctx.ownLocation = own.location;
    ctx.ownTrusted = IsTrusted(own.location);
    ctx.ownPlaceType = own.placeType.value_or(PlaceType::UNKNOWN);
    ctx.relationship = m_relationship;
    ctx.purpose = m_purpose;
    auto pc = m_peerContext.find(s.doc.entity);
    if (pc != m_peerContext.end())
    {
        ctx.relationship = pc->second.first;
        ctx.purpose = pc->second.second;
    }
    return ctx;
}

void
SecurePeerApplication::DecideNow(Session& s, bool reevaluation)
{
    if (!m_model)
    {
        m_model = CreateObject<LocationAwareDecisionModel>();
    }
    DecisionContext ctx = MakeContext(s, s.proposal);

    std::ostringstream o;
    o << "shown: entity " << s.doc.entity << " ip " << s.peer << " user " << s.doc.user
      << " location " << s.doc.location
      << (ctx.peerNetwork != s.doc.location ? " (network " + ctx.peerNetwork + ")" : "")
      << (ctx.peerTrusted ? " (trusted)" : " (untrusted)") << " time " << s.doc.timestamp
      << "; own location " << ctx.ownLocation << (ctx.ownTrusted ? " (trusted)" : " (untrusted)")
      << "; policy: " << PolicySet::ToText(s.proposal);
    if (!ctx.userLabel.empty() || !ctx.locationLabel.empty())
    {
        o << "; our names: user " << (ctx.userLabel.empty() ? s.doc.user : ctx.userLabel)
          << ", location " << (ctx.locationLabel.empty() ? s.doc.location : ctx.locationLabel);
    }
    Log(505, o.str());

    Decision d = m_model->Decide(ctx);
    ++m_stats.decisions;
    if (reevaluation)
    {
        ++m_stats.reevaluations;
    }
    s.decidedLocation = ctx.peerNetwork;
    s.decidedTrusted = ctx.peerTrusted;
    s.decidedOwnLocation = ctx.ownLocation;
    s.decidedProposal = s.proposal;
    s.lastDecision = Simulator::Now();
    s.pendingDecision = true;
    std::ostringstream l;
    l << "decided: " << ns3::ToString(d.verdict) << " -- " << d.reason;
    if (d.needsNegotiation)
    {
        l << " (lowers the peer's requirement: needs negotiation)";
    }
    if (d.thinkTime > Seconds(0))
    {
        l << " (think time " << d.thinkTime.GetSeconds() << " s)";
    }
    Log(506, l.str());
    if (s.state == SessionState::SUBSCRIBING)
    {
        s.state = SessionState::DECIDING;
    }
    s.decision = d;
    s.decisionEvent =
        Simulator::Schedule(d.thinkTime, &SecurePeerApplication::ApplyDecision, this, s.peer, d);
}

void
SecurePeerApplication::ApplyDecision(Ipv4Address peer, Decision d)
{
    auto it = m_sessions.find(peer);
    if (!m_running || it == m_sessions.end())
    {
        return;
    }
    Session& s = it->second;
    s.pendingDecision = false;
    bool answering = s.answeringLowering;
    s.answeringLowering = false;
    bool first = s.state == SessionState::DECIDING;

    if (d.verdict == DecisionVerdict::REFUSE)
    {
        ++m_stats.refusedByUs;
        if (first)
        {
            Log(507, "refused: nothing registered, no communication with this peer");
            s.state = SessionState::REFUSED;
            return;
        }
        Log(507, "refused the peer's change: registered policies kept");
        if (answering)
        {
            m_agent->SetPolicyChanged();
        }
    }
    else
    {
        std::vector<SecurityPolicy> mirrored = PolicySet::Mirror(s.proposal);
        bool keptStronger = answering && !PolicySet::SameStrength(d.policies, mirrored) &&
                            PolicySet::AtLeast(d.policies, mirrored, PolicyDirection::OUT) &&
                            PolicySet::AtLeast(d.policies, mirrored, PolicyDirection::IN);
        // The peer may have raised its requirement while the user was thinking: what we
        // register must then be negotiated as well.
        bool needs = d.needsNegotiation || PolicySet::Lowers(d.policies, s.proposal);
        if (needs && d.skipsNegotiation)
        {
            ++m_stats.skippedNegotiations;
            Log(0, "negotiation skipped by the user: sending under a policy the peer may discard");
            needs = false;
        }
        if (needs && !(s.state == SessionState::ESTABLISHED && keptStronger))
        {
            // Nothing lower is registered before the peer agrees: until then a session in
            // progress keeps sending under what is registered, a new one waits.
            Log(507, "registration held: the policy lowers the peer's requirement");
            StartNegotiation(s, d.policies);
            return;
        }
        Log(507, "registration instructed");
        if (!first && PolicySet::SameStrength(d.policies, s.registered))
        {
            Log(508, "unchanged: registered policies kept");
        }
        else
        {
            Register(s, d.policies, "");
        }
        if (keptStronger)
        {
            Log(0, "negotiation: refused the peer's lowering, keeping stronger");
            m_agent->SetPolicyChanged();
        }
        if (s.state != SessionState::ESTABLISHED)
        {
            Proceed(s);
        }
    }
    if (s.reevalPending && s.state == SessionState::ESTABLISHED)
    {
        s.reevalPending = false;
        HandleUpdate(s);
    }
}

void
SecurePeerApplication::StartNegotiation(Session& s, const std::vector<SecurityPolicy>& lowered)
{
    ++m_stats.negotiations;
    s.loweringId = m_nextLoweringId++;
    s.lowered = lowered;
    if (s.state != SessionState::ESTABLISHED)
    {
        s.state = SessionState::NEGOTIATING;
    }
    std::ostringstream o;
    o << "negotiation: asking the peer to accept our lower policy (request " << s.loweringId
      << "): " << PolicySet::ToText(lowered);
    Log(0, o.str());
    s.negotiationTimeout.Cancel();
    s.negotiationTimeout = Simulator::Schedule(m_negotiationTimeout,
                                               &SecurePeerApplication::NegotiationTimedOut,
                                               this,
                                               s.id,
                                               s.loweringId);
    uint64_t session = s.id;
    uint64_t request = s.loweringId;
    m_agent->SendMessage(
        s.peer,
        LoweringCodec::CONTENT_TYPE,
        LoweringCodec::Encode(LoweringRequest{request, lowered}),
        PresenceAgent::MessageResultCallback([this, session, request](uint16_t st) {
            if (st >= 300)
            {
                EndNegotiation(session,
                               request,
                               false,
                               "the request was answered " + std::to_string(st));
            }
        }));
}

void
SecurePeerApplication::EndNegotiation(uint64_t sessionId,
                                      uint64_t request,
                                      bool accepted,
                                      const std::string& why)
{
    Session* found = FindSession(sessionId);
    if (!m_running || !found || found->loweringId != request || request == 0)
    {
        return; // answered already, or a stale answer
    }
    Session& s = *found;
    s.negotiationTimeout.Cancel();
    s.loweringId = 0;
    std::vector<SecurityPolicy> lowered = std::move(s.lowered);
    s.lowered.clear();
    if (accepted)
    {
        ++m_stats.accepted;
        Log(0, "negotiation: peer accepted" + (why.empty() ? std::string() : " (" + why + ")"));
        Register(s, lowered, " (lowering accepted by the peer)");
    }
    else
    {
        ++m_stats.refused;
        Log(0, "negotiation: peer refused, keeping stronger (" + why + ")");
        Register(s, PolicySet::Mirror(s.proposal), " (peer's requirement)");
    }
    if (s.state != SessionState::ESTABLISHED)
    {
        Proceed(s);
    }
    if (s.reevalPending && s.state == SessionState::ESTABLISHED && !s.pendingDecision)
    {
        s.reevalPending = false;
        HandleUpdate(s);
    }
}

void
SecurePeerApplication::NegotiationTimedOut(uint64_t sessionId, uint64_t request)
{
    EndNegotiation(sessionId, request, false, "no answer in time");
}

uint16_t
SecurePeerApplication::OnLoweringMessage(Ipv4Address from, const std::string& body)
{
    auto decoded = LoweringCodec::Decode(body);
    if (!decoded)
    {
        std::ostringstream o;
        o << "unreadable lowering message from " << from << ": " << decoded.Describe();
        Log(0, o.str());
        return 400;
    }
    if (!m_running)
    {
        return 480; // Temporarily Unavailable
    }
    if (const auto* answer = std::get_if<LoweringAnswer>(&decoded.GetValue()))
    {
        if (auto it = m_sessions.find(from);
            it != m_sessions.end() && it->second.loweringId == answer->id)
        {
            Simulator::ScheduleNow(&SecurePeerApplication::EndNegotiation,
                                   this,
                                   it->second.id,
                                   answer->id,
                                   answer->accepted,
                                   answer->reason);
            return 200;
        }
        std::ostringstream o;
        o << "lowering answer " << answer->id << " from " << from << " matches no request";
        Log(0, o.str());
        return 200; // delivered; it simply came too late
    }
    const auto& request = std::get<LoweringRequest>(decoded.GetValue());
    // Not from inside the agent's receive path.
    Simulator::ScheduleNow(&SecurePeerApplication::JudgeLowering, this, from, request);
    return 200;
}

void
SecurePeerApplication::JudgeLowering(Ipv4Address peer, LoweringRequest request)
{
    auto it = m_sessions.find(peer);
    if (!m_running || it == m_sessions.end() || !it->second.everNotified)
    {
        AnswerLowering(peer,
                       request,
                       UserDecisionModel::Refuse("no session"),
                       "no session with you");
        return;
    }
    Session& s = it->second;
    std::ostringstream o;
    o << "peer asks to lower its requirement (request " << request.id
      << "): " << PolicySet::ToText(request.policies);
    Log(0, o.str());
    DecisionContext ctx = MakeContext(s, request.policies);
    Decision d = m_model->Decide(ctx);
    ++m_stats.decisions;
    ++m_stats.reevaluations;
    // Only answers still being thought about are kept: a long session does not collect them.
    s.answerEvents.erase(std::remove_if(s.answerEvents.begin(),
                                        s.answerEvents.end(),
                                        [](const EventId& e) { return !e.IsRunning(); }),
                         s.answerEvents.end());
    s.answerEvents.push_back(Simulator::Schedule(d.thinkTime,
                                                 &SecurePeerApplication::AnswerLowering,
                                                 this,
                                                 peer,
                                                 request,
                                                 d,
                                                 std::string()));
}

void
SecurePeerApplication::AnswerLowering(Ipv4Address peer,
                                      LoweringRequest request,
                                      Decision d,
                                      std::string why)
{
    // Accepted when what the user registers asks no more of the peer than it offers.
    bool accepted = d.verdict != DecisionVerdict::REFUSE &&
                    !PolicySet::Lowers(request.policies, d.policies) && why.empty();
    auto it = m_sessions.find(peer);
    if (accepted && m_running && it != m_sessions.end())
    {
        Session& s = it->second;
        s.proposal = request.policies;
        s.decidedProposal = request.policies;
        Register(s, d.policies, " (peer's lowering accepted)");
    }
    ++(accepted ? m_stats.loweringsAccepted : m_stats.loweringsRefused);
    std::string reason = why.empty() ? d.reason : why;
    std::ostringstream o;
    o << "negotiation: " << (accepted ? "accepted" : "refused") << " the peer's lowering (request "
      << request.id << "): " << reason;
    Log(0, o.str());
    if (m_running)
    {
        m_agent->SendMessage(peer,
                             LoweringCodec::CONTENT_TYPE,
                             LoweringCodec::Encode(LoweringAnswer{request.id, accepted, reason}),
                             PresenceAgent::MessageResultCallback());
    }
}

void
SecurePeerApplication::HandleUpdate(Session& s)
{
    std::string network = ClassifyPeer(s.peer);
    bool trusted = IsTrusted(network);
    if (network != s.decidedLocation || trusted != s.decidedTrusted)
    {
        Log(0, "peer moved: " + s.decidedLocation + " -> " + network + ", judging again");
        Reevaluate(s.peer);
        return;
    }
    std::vector<SecurityPolicy> mirrored = PolicySet::Mirror(s.proposal);
    if (PolicySet::SameStrength(mirrored, s.registered))
    {
        Log(0, "peer policy as strong as ours: no change");
        return;
    }
    if (PolicySet::SameStrength(mirrored, PolicySet::Mirror(s.decidedProposal)))
    {
        // What we registered differs from the peer's policy by our own (or our user's)
        // choice; the peer has not changed anything since.
        Log(0, "peer policy unchanged since our decision: no change");
        return;
    }
    if (PolicySet::AtLeast(mirrored, s.registered, PolicyDirection::OUT) &&
        PolicySet::AtLeast(mirrored, s.registered, PolicyDirection::IN))
    {
        Register(s, mirrored, " (peer raised)");
        return;
    }
    Log(0, "peer lowers its policy: judging again");
    s.answeringLowering = true;
    Reevaluate(s.peer);
}

void
SecurePeerApplication::Reevaluate(Ipv4Address peer)
{
    auto it = m_sessions.find(peer);
    if (!m_running || it == m_sessions.end())
    {
        return;
    }
    Session& s = it->second;
    if (s.pendingDecision)
    {
        s.reevalPending = true;
        return;
    }
    Time earliest = s.lastDecision + m_reevalMinInterval;
    if (Simulator::Now() < earliest)
    {
        if (!s.reevalEvent.IsRunning())
        {
            s.reevalEvent = Simulator::Schedule(earliest - Simulator::Now(),
                                                &SecurePeerApplication::Reevaluate,
                                                this,
                                                peer);
        }
        return;
    }
    s.reevalEvent.Cancel();
    DecideNow(s, true);
}

void
SecurePeerApplication::Register(Session& s,
                                const std::vector<SecurityPolicy>& policies,
                                const std::string& why)
{
    if (!m_spd)
    {
        Log(0, "no SPD on this node: nothing registered");
        s.registered = policies;
        return;
    }
    for (auto id : s.ids)
    {
        m_spd->Remove(id);
    }
    s.ids.clear();
    for (const auto& p : policies)
    {
        s.ids.push_back(m_spd->Add(p));
    }
    s.registered = policies;
    ++m_stats.registrations;
    for (const auto& p : policies)
    {
        Log(508, "registered" + why + ": " + SetkeyParser::Print(p));
    }
    if (Ipv4Address own = OwnAddressFor(s.peer); own != Ipv4Address::GetAny())
    {
        s.ownAddress = own;
    }
    if (s.state == SessionState::ESTABLISHED && m_ike)
    {
        StartSaSetup(s); // a raise or a move in mid-session may need new SAs
    }
}

void
SecurePeerApplication::FollowPeer(Session& s, Ipv4Address to)
{
    Ipv4Address from = s.peer;
    ++m_stats.handovers;
    std::ostringstream o;
    o << "peer moved to a new address: " << from << " -> " << to << ", the session follows";
    Log(0, o.str());
    if (auto stale = m_sessions.find(to); stale != m_sessions.end())
    {
        // An older session with whoever had that address before: it is over.
        Session& old = stale->second;
        old.CancelTimers();
        for (auto id : old.ids)
        {
            if (m_spd)
            {
                m_spd->Remove(id);
            }
        }
        m_sessions.erase(stale);
        Log(0, "an earlier session with that address was dropped");
    }
    // Re-key the session; the element itself (and `s`) stays where it is.
    auto node = m_sessions.extract(from);
    node.key() = to;
    m_sessions.insert(std::move(node));
    s.peer = to;
    s.proposal = PolicySet::Readdress(s.proposal, from, to);
    s.decidedProposal = PolicySet::Readdress(s.decidedProposal, from, to);
    s.decision.policies = PolicySet::Readdress(s.decision.policies, from, to);
    // Pending events name the old address: schedule them again for the new one.
    auto again = [](EventId& e, const std::function<EventId(Time)>& schedule) {
        if (e.IsRunning())
        {
            Time left = Simulator::GetDelayLeft(e);
            e.Cancel();
            e = schedule(left);
        }
    };
    again(s.sendEvent, [this, to](Time left) {
        return Simulator::Schedule(left, &SecurePeerApplication::SendData, this, to);
    });
    again(s.endEvent, [this, to](Time left) {
        return Simulator::Schedule(left, &SecurePeerApplication::EndSession, this, to);
    });
    again(s.reevalEvent, [this, to](Time left) {
        return Simulator::Schedule(left, &SecurePeerApplication::Reevaluate, this, to);
    });
    again(s.decisionEvent, [this, to, &s](Time left) {
        return Simulator::Schedule(left,
                                   &SecurePeerApplication::ApplyDecision,
                                   this,
                                   to,
                                   s.decision);
    });
    // SAs under negotiation are for the old address; the registration below asks for new ones.
    s.saPending = 0;
    s.saReady = false;
    s.saWaitEvent.Cancel();
    if (s.responder && m_ike)
    {
        m_ike->SetPassive(from, false);
        m_ike->SetPassive(to, true);
    }
    if (!s.registered.empty())
    {
        Register(s, PolicySet::Readdress(s.registered, from, to), " (peer moved)");
    }
}

void
SecurePeerApplication::FollowOwnAddress(Session& s, Ipv4Address own)
{
    Ipv4Address from = s.ownAddress;
    ++m_stats.ownAddressChanges;
    std::ostringstream o;
    o << "our address moved: " << from << " -> " << own << ", registrations follow";
    Log(0, o.str());
    s.proposal = PolicySet::Readdress(s.proposal, from, own);
    s.decidedProposal = PolicySet::Readdress(s.decidedProposal, from, own);
    s.decision.policies = PolicySet::Readdress(s.decision.policies, from, own);
    s.saPending = 0; // negotiations from the old address are void
    s.saReady = false;
    s.saWaitEvent.Cancel();
    Register(s, PolicySet::Readdress(s.registered, from, own), " (own address moved)");
}

void
SecurePeerApplication::OnOwnPresenceChanged(const PresenceDocument& doc)
{
    if (!m_running)
    {
        return;
    }
    for (auto& [peer, s] : m_sessions)
    {
        Ipv4Address own = OwnAddressFor(peer);
        if (own == Ipv4Address::GetAny())
        {
            continue; // no address (yet): nothing can follow
        }
        if (!s.registered.empty() && s.ownAddress != Ipv4Address::GetAny() && own != s.ownAddress)
        {
            FollowOwnAddress(s, own);
        }
        if (s.state == SessionState::ESTABLISHED && doc.location != s.decidedOwnLocation)
        {
            Log(0, "we moved: " + s.decidedOwnLocation + " -> " + doc.location + ", judging again");
            Reevaluate(peer);
        }
    }
}

bool
SecurePeerApplication::StartSaSetup(Session& s)
{
    if (s.saPending > 0)
    {
        return true;
    }
    s.saReady = true;
    if (!m_ipsec)
    {
        return false;
    }
    std::vector<IpsecRequest> missing = MissingSas(s);
    if (missing.empty())
    {
        return false;
    }
    if (!m_ike)
    {
        Log(0,
            "no SA for the registered policy and no IKE agent: packets are dropped (no-sa) "
            "until SAs exist");
        return false;
    }
    if (s.responder)
    {
        // One ask per need: the requester negotiates, our agent answers and installs
        // (OnChildInstalled). Before the first packet we wait for that; in mid-session
        // (a move) traffic goes on and what has no SA yet is dropped and counted.
        if (s.state == SessionState::ESTABLISHED)
        {
            Log(0, "SAs missing: the requester negotiates them");
            return false;
        }
        s.saReady = false;
        ++s.saPending;
        Log(0, "waiting for the SAs the requester negotiates");
        Ipv4Address peer = s.peer;
        s.saWaitEvent = Simulator::Schedule(m_responderSaWait, [this, peer]() {
            Log(0, "no SAs from the requester in time: traffic starts without");
            SaDone(peer, false);
        });
        return true;
    }
    // One at a time: the first builds the IKE SA, the next ones use CREATE_CHILD_SA on it.
    const IpsecRequest& r = missing.front();
    s.saReady = false;
    ++s.saPending;
    ++m_stats.saNegotiations;
    std::ostringstream o;
    o << "SA negotiation (IKEv2) with " << s.peer << ": " << ns3::ToString(r.protocol) << "/"
      << ns3::ToString(r.mode);
    Log(0, o.str());
    Ipv4Address peer = s.peer;
    m_ike->Initiate(
        peer,
        r.protocol,
        r.mode,
        IkeAgent::DoneCallback([this, peer](bool ok, Ipv4Address) { SaDone(peer, ok); }));
    return true;
}

std::vector<IpsecRequest>
SecurePeerApplication::MissingSas(const Session& s) const
{
    std::vector<IpsecRequest> missing;
    Ipv4Address own = OwnAddressFor(s.peer);
    for (const auto& p : s.registered)
    {
        if (p.direction != PolicyDirection::OUT || p.action != PolicyAction::IPSEC)
        {
            continue;
        }
        for (const auto& r : p.requests)
        {
            bool strong = r.GetLevel() == IpsecLevel::REQUIRE || r.GetLevel() == IpsecLevel::UNIQUE;
            if (strong && r.protocol != IpsecProtocol::IPCOMP && r.mode == IpsecMode::TRANSPORT &&
                !m_ipsec->GetSad()->FindOutbound(own, s.peer, r.protocol, r.mode))
            {
                missing.push_back(r);
            }
        }
    }
    return missing;
}

void
SecurePeerApplication::OnChildInstalled(Ipv4Address peer)
{
    auto it = m_sessions.find(peer);
    if (!m_running || it == m_sessions.end())
    {
        return;
    }
    Session& s = it->second;
    if (!s.responder || !s.saWaitEvent.IsRunning() || !MissingSas(s).empty())
    {
        return; // not waiting, or the requester has more to negotiate
    }
    s.saWaitEvent.Cancel();
    SaDone(peer, true);
}

void
SecurePeerApplication::SaDone(Ipv4Address peer, bool ok)
{
    auto it = m_sessions.find(peer);
    if (!m_running || it == m_sessions.end())
    {
        return;
    }
    Session& s = it->second;
    if (s.saPending > 0)
    {
        --s.saPending;
    }
    Log(0, ok ? "SA negotiation done" : "SA negotiation failed: packets need an SA");
    if (s.saPending == 0 && s.state == SessionState::ESTABLISHED)
    {
        if (ok)
        {
            StartSaSetup(s); // the next missing one, if any
        }
        return;
    }
    if (s.saPending == 0)
    {
        // After a success, Proceed looks for the next missing SA; after a failure it goes on
        // without (the IPsec layer then drops, and counts, what has no SA).
        s.saReady = !ok;
        Proceed(s);
    }
}

void
SecurePeerApplication::Proceed(Session& s)
{
    if (s.state == SessionState::ESTABLISHED)
    {
        return;
    }
    if (!s.saReady && StartSaSetup(s))
    {
        return; // SaDone proceeds
    }
    bool wasNegotiating = s.state == SessionState::NEGOTIATING;
    s.state = SessionState::ESTABLISHED;
    if (wasNegotiating && s.seq > 0)
    {
        Log(0, "traffic resumed");
    }
    else
    {
        ++m_stats.sessionsEstablished;
        std::ostringstream o;
        o << "session established with " << s.peer;
        Log(509, o.str());
        m_establishedTrace(s.peer);
        if (m_traffic == "bulk")
        {
            if (s.responder)
            {
                Log(510, "peer-to-peer communication started: receiving the peer's TCP transfer");
            }
            else
            {
                std::ostringstream t;
                t << "peer-to-peer communication started: TCP transfer of " << m_bulkBytes
                  << " B to " << s.peer << ":" << m_dataPort;
                Log(510, t.str());
                StartBulk(s.peer);
            }
        }
        else if (m_traffic == "voip")
        {
            std::ostringstream t;
            t << "peer-to-peer communication started: voip to " << s.peer << ":" << m_dataPort
              << " every " << m_voipInterval.GetMilliSeconds() << " ms, " << m_voipPayload << " B";
            Log(510, t.str());
        }
        else
        {
            Log(510, "peer-to-peer communication started (no traffic generated)");
        }
        if (m_sessionDuration > Seconds(0))
        {
            s.endEvent = Simulator::Schedule(m_sessionDuration,
                                             &SecurePeerApplication::EndSession,
                                             this,
                                             s.peer);
        }
    }
    if (m_traffic == "voip" && !s.sendEvent.IsRunning())
    {
        s.sendEvent = Simulator::ScheduleNow(&SecurePeerApplication::SendData, this, s.peer);
    }
}

void
SecurePeerApplication::StartBulk(Ipv4Address peer)
{
    auto bulk = CreateObject<BulkSendApplication>();
    bulk->SetAttribute("Protocol", TypeIdValue(TcpSocketFactory::GetTypeId()));
    bulk->SetAttribute("Remote", AddressValue(InetSocketAddress(peer, m_dataPort)));
    bulk->SetAttribute("MaxBytes", UintegerValue(m_bulkBytes));
    bulk->SetStartTime(Seconds(0));
    GetNode()->AddApplication(bulk);
}

void
SecurePeerApplication::BulkReceived(Ptr<const Packet> p, const Address& from)
{
    auto it = m_sessions.find(InetSocketAddress::ConvertFrom(from).GetIpv4());
    if (it != m_sessions.end())
    {
        it->second.stats.bulkBytesReceived += p->GetSize();
    }
}

void
SecurePeerApplication::SendData(Ipv4Address peer)
{
    auto it = m_sessions.find(peer);
    if (!m_running || it == m_sessions.end() || !m_socket)
    {
        return;
    }
    Session& s = it->second;
    if (s.state != SessionState::ESTABLISHED)
    {
        return;
    }
    SeqTsHeader h;
    h.SetSeq(s.seq++);
    uint32_t size =
        m_voipPayload > h.GetSerializedSize() ? m_voipPayload - h.GetSerializedSize() : 0;
    Ptr<Packet> p = Create<Packet>(size);
    p->AddHeader(h);
    // ns-3's UdpSocketImpl::SendTo takes the TOS from the address, not from the socket.
    InetSocketAddress to(peer, m_dataPort);
    to.SetTos(m_voiceTos);
    if (m_socket->SendTo(p, 0, to) >= 0)
    {
        ++s.stats.sent;
    }
    s.sendEvent = Simulator::Schedule(m_voipInterval, &SecurePeerApplication::SendData, this, peer);
}

void
SecurePeerApplication::EndSession(Ipv4Address peer)
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
SecurePeerApplication::OnWatcherEnded(Ipv4Address peer, const std::string& reason)
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
    Session& s = it->second;
    s.CancelTimers();
    std::ostringstream o;
    o << "session with " << peer << " ended (" << why << "): sent " << s.stats.sent << ", received "
      << s.stats.received;
    Log(512, o.str());
    m_ended[peer] = GetSessionStats(peer);
    if (m_spd)
    {
        for (auto id : s.ids)
        {
            m_spd->Remove(id);
        }
    }
    if (m_ike)
    {
        m_ike->SetPassive(peer, false);
        m_ike->DeleteChildSas(peer);
    }
    if (m_running)
    {
        m_agent->Unsubscribe(peer);
    }
    m_sessions.erase(it);
}

void
SecurePeerApplication::HandleRead(Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> p = socket->RecvFrom(from))
    {
        if (!InetSocketAddress::IsMatchingType(from))
        {
            continue;
        }
        Ipv4Address peer = InetSocketAddress::ConvertFrom(from).GetIpv4();
        auto it = m_sessions.find(peer);
        if (it == m_sessions.end() || p->GetSize() < SeqTsHeader().GetSerializedSize())
        {
            continue;
        }
        Session& s = it->second;
        SeqTsHeader h;
        p->RemoveHeader(h);
        Time delay = Simulator::Now() - h.GetTs();
        if (s.firstRx)
        {
            s.firstRx = false;
            s.maxSeq = h.GetSeq();
            std::ostringstream o;
            o << "first voice packet from " << peer << " (delay " << delay.GetMicroSeconds()
              << " us)";
            Log(511, o.str());
        }
        s.maxSeq = std::max(s.maxSeq, h.GetSeq());
        ++s.stats.received;
        s.stats.delaySum += delay;
        m_voipRxTrace(peer, delay);
    }
}

std::vector<std::string>
SecurePeerApplication::GetDecisionLog() const
{
    return m_log;
}

const SecurePeerApplication::Stats&
SecurePeerApplication::GetStats() const
{
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
    SessionStats st = it->second.stats;
    if (!it->second.firstRx)
    {
        uint64_t expected = uint64_t(it->second.maxSeq) + 1;
        st.lost = expected > st.received ? uint32_t(expected - st.received) : 0;
    }
    return st;
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
        return it->second.state;
    }
    return m_ended.count(peer) ? SessionState::ENDED : SessionState::FAILED;
}

std::vector<SecurityPolicy>
SecurePeerApplication::GetRegisteredPolicies(Ipv4Address peer) const
{
    auto it = m_sessions.find(peer);
    return it == m_sessions.end() ? std::vector<SecurityPolicy>{} : it->second.registered;
}

Ptr<UserDecisionModel>
SecurePeerApplication::GetDecisionModel() const
{
    return m_model;
}

} // namespace ns3
