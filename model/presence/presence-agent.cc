/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "presence-agent.h"

#include "ns3/abort.h"
#include "ns3/assert.h"
#include "ns3/boolean.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/node-addresses.h"
#include "ns3/node.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/text-util.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace ns3
{

using text::Lower;

NS_LOG_COMPONENT_DEFINE("PresenceAgent");

NS_OBJECT_ENSURE_REGISTERED(PresenceAgent);

namespace
{

/// A duration as the whole seconds SIP's Expires carries, rounded up.
uint32_t
WholeSeconds(Time t)
{
    return static_cast<uint32_t>(std::min<double>(std::ceil(t.GetSeconds()), 0xFFFFFFFFu));
}

} // namespace

TypeId
PresenceAgent::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::PresenceAgent")
            .SetParent<Application>()
            .SetGroupName("Presec")
            .AddConstructor<PresenceAgent>()
            .AddAttribute("Port",
                          "UDP and TCP port of the SIP presence exchange (also the peers' port).",
                          UintegerValue(5060),
                          MakeUintegerAccessor(&PresenceAgent::m_port),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("Entity",
                          "Presentity URI of this apparatus, e.g. pres:alice@example.com; empty "
                          "means pres:node<id>@presec.invalid.",
                          StringValue(""),
                          MakeStringAccessor(&PresenceAgent::m_entity),
                          MakeStringChecker())
            .AddAttribute("UserName",
                          "Current user of the apparatus, announced in the presence document.",
                          StringValue(""),
                          MakeStringAccessor(&PresenceAgent::m_userName),
                          MakeStringChecker())
            .AddAttribute("DefaultExpires",
                          "Seconds granted to a SUBSCRIBE without Expires (RFC 3856: 3600).",
                          UintegerValue(3600),
                          MakeUintegerAccessor(&PresenceAgent::m_defaultExpires),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("RefreshSubscriptions",
                          "Refresh each subscription at 0.9 of the duration its 2xx (or last "
                          "refresh) granted, so it lasts until Unsubscribe (RFC 6665 section "
                          "4.1.2.1); false: it ends when the granted duration runs out.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&PresenceAgent::m_refreshSubscriptions),
                          MakeBooleanChecker())
            .AddAttribute("TcpIdleTimeout",
                          "An accepted TCP connection on which nothing arrives for this long "
                          "is closed (RFC 5626 section 4.4.1 lets a server close idle "
                          "connections); 0 keeps them open.",
                          TimeValue(Seconds(32)),
                          MakeTimeAccessor(&PresenceAgent::m_tcpIdleTimeout),
                          MakeTimeChecker())
            .AddAttribute("MaxExpires",
                          "Longest subscription granted, in seconds.",
                          UintegerValue(86400),
                          MakeUintegerAccessor(&PresenceAgent::m_maxExpires),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("MinNotifyInterval",
                          "Least time between two NOTIFYs of a change to the same watcher "
                          "(RFC 3856 section 6.4 recommends 5 s; RFC 6665 section 4.2.2 rate "
                          "control): changes sooner than this after the last NOTIFY are "
                          "coalesced into one NOTIFY with the latest state once it has passed. "
                          "The first NOTIFY, the one after a refresh and the terminal one are "
                          "never delayed. 0: every change is NOTIFYed at once.",
                          TimeValue(Time(0)),
                          MakeTimeAccessor(&PresenceAgent::m_minNotifyInterval),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("MaxWatchers",
                          "Most subscriptions held at once; a new one beyond this is answered "
                          "503 Service Unavailable with Retry-After (RFC 3261 sections 21.5.4 "
                          "and 20.33) and starts nothing. Refreshes and fetches (Expires 0) "
                          "are still answered.",
                          UintegerValue(1000),
                          MakeUintegerAccessor(&PresenceAgent::m_maxWatchers),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("TcpThreshold",
                          "Requests larger than this many bytes are sent over TCP "
                          "(RFC 3261 section 18.1.1).",
                          UintegerValue(1300),
                          MakeUintegerAccessor(&PresenceAgent::m_tcpThreshold),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("MaxMessageSize",
                          "Largest SIP message accepted, in bytes; larger ones get 513.",
                          UintegerValue(16384),
                          MakeUintegerAccessor(&PresenceAgent::m_maxMessageSize),
                          MakeUintegerChecker<uint32_t>(512, 65535))
            .AddAttribute("AllowedSubscribers",
                          "Who may subscribe or fetch: `any`, or a comma-separated list of "
                          "presentity/AOR URIs (sip:, sips:, pres:, tel:; compared without "
                          "parameters, scheme case-insensitive, pres: as sip:) and IPv4 hosts "
                          "or prefixes "
                          "(192.168.1.0/24) matched against the request's source address. "
                          "Anyone else gets 403 Forbidden and starts nothing. Bad text aborts.",
                          StringValue("any"),
                          MakeStringAccessor(&PresenceAgent::SetAllowedSubscribers,
                                             &PresenceAgent::GetAllowedSubscribers),
                          MakeStringChecker())
            .AddAttribute("LocationPrefixes",
                          "Labelled prefixes for the own location, e.g. "
                          "\"192.168.1.0/24=office;10.8.0.0/16=home\". The RPID place type is "
                          "the RFC 4589 token equal to the label (home: residence); configured "
                          "networks count as trusted. Bad text aborts.",
                          StringValue(""),
                          MakeStringAccessor(&PresenceAgent::SetLocationPrefixes,
                                             &PresenceAgent::GetLocationPrefixes),
                          MakeStringChecker())
            .AddAttribute("T1",
                          "SIP timer T1, the round-trip estimate (RFC 3261 section 17).",
                          TimeValue(MilliSeconds(500)),
                          MakeTimeAccessor(&PresenceAgent::m_t1),
                          MakeTimeChecker(MilliSeconds(1)))
            .AddAttribute("T2",
                          "SIP timer T2, the cap of the non-INVITE retransmission interval.",
                          TimeValue(Seconds(4)),
                          MakeTimeAccessor(&PresenceAgent::m_t2),
                          MakeTimeChecker(MilliSeconds(1)))
            .AddAttribute("T4",
                          "SIP timer T4, how long retransmitted responses are absorbed.",
                          TimeValue(Seconds(5)),
                          MakeTimeAccessor(&PresenceAgent::m_t4),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("AddressPollInterval",
                          "Fallback only: when the node's routing protocol is not an "
                          "Ipv4ListRouting the agent cannot hear address changes and checks "
                          "them this often (0: never).",
                          TimeValue(Time(0)),
                          MakeTimeAccessor(&PresenceAgent::m_pollInterval),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("Registrar",
                          "Address of the SipRegistrar the agent REGISTERs its AOR with "
                          "(RFC 3261 section 10) and asks where AORs are (Resolve); 0.0.0.0: "
                          "none.",
                          Ipv4AddressValue(Ipv4Address::GetAny()),
                          MakeIpv4AddressAccessor(&PresenceAgent::m_registrar),
                          MakeIpv4AddressChecker())
            .AddAttribute("Aor",
                          "Address of record to register, a sip: or tel: URI; empty: the SIP "
                          "AOR of the Entity (pres:bob@example.com registers "
                          "sip:bob@example.com).",
                          StringValue(""),
                          MakeStringAccessor(&PresenceAgent::m_registerAor),
                          MakeStringChecker())
            .AddAttribute("RegisterExpires",
                          "Binding lifetime asked of the Registrar (whole seconds); the "
                          "binding is refreshed at 0.9 of what the registrar grants and "
                          "registered again at once when the own address changes.",
                          TimeValue(Seconds(3600)),
                          MakeTimeAccessor(&PresenceAgent::m_registerExpires),
                          MakeTimeChecker(Seconds(1)))
            .AddAttribute("TimestampBase",
                          "Wall-clock time (RFC 3339) at simulation time 0, for PIDF timestamps.",
                          StringValue("2002-09-28T10:49:29Z"),
                          MakeStringAccessor(&PresenceAgent::m_timestampBase),
                          MakeStringChecker())
            .AddTraceSource("RequestSent",
                            "A request was sent (first transmission).",
                            MakeTraceSourceAccessor(&PresenceAgent::m_requestSentTrace),
                            "ns3::PresenceAgent::MessageTracedCallback")
            .AddTraceSource("RequestReceived",
                            "A well-formed new request was received.",
                            MakeTraceSourceAccessor(&PresenceAgent::m_requestReceivedTrace),
                            "ns3::PresenceAgent::MessageTracedCallback")
            .AddTraceSource("ResponseSent",
                            "A response was sent.",
                            MakeTraceSourceAccessor(&PresenceAgent::m_responseSentTrace),
                            "ns3::PresenceAgent::MessageTracedCallback")
            .AddTraceSource("ResponseReceived",
                            "A well-formed response was received.",
                            MakeTraceSourceAccessor(&PresenceAgent::m_responseReceivedTrace),
                            "ns3::PresenceAgent::MessageTracedCallback")
            .AddTraceSource("NotifySent",
                            "A NOTIFY was sent (first transmission).",
                            MakeTraceSourceAccessor(&PresenceAgent::m_notifySentTrace),
                            "ns3::PresenceAgent::MessageTracedCallback")
            .AddTraceSource("NotifyReceived",
                            "A well-formed NOTIFY was received (before its body is checked).",
                            MakeTraceSourceAccessor(&PresenceAgent::m_notifyReceivedTrace),
                            "ns3::PresenceAgent::MessageTracedCallback")
            .AddTraceSource("Retransmission",
                            "A request was sent again (Timer E).",
                            MakeTraceSourceAccessor(&PresenceAgent::m_retransmissionTrace),
                            "ns3::PresenceAgent::RetransmissionTracedCallback")
            .AddTraceSource("Timeout",
                            "A request got no final response (Timer F).",
                            MakeTraceSourceAccessor(&PresenceAgent::m_timeoutTrace),
                            "ns3::PresenceAgent::TimeoutTracedCallback")
            .AddTraceSource("BadMessage",
                            "Bad input was answered with an error or dropped.",
                            MakeTraceSourceAccessor(&PresenceAgent::m_badMessageTrace),
                            "ns3::PresenceAgent::BadMessageTracedCallback")
            .AddTraceSource(
                "PresenceChanged",
                "The own presence was evaluated and differs from before (also once at start).",
                MakeTraceSourceAccessor(&PresenceAgent::m_presenceChangedTrace),
                "ns3::PresenceAgent::PresenceTracedCallback");
    return tid;
}

PresenceAgent::PresenceAgent()
    : m_port(5060),
      m_defaultExpires(3600),
      m_maxExpires(86400),
      m_tcpThreshold(1300),
      m_maxMessageSize(16384),
      m_t1(MilliSeconds(500)),
      m_t2(Seconds(4)),
      m_t4(Seconds(5)),
      m_rng(CreateObject<UniformRandomVariable>()),
      m_builder(m_rng),
      m_db(CreateObject<PresenceDatabase>()),
      m_transport(&m_transactions, &m_builder),
      m_transactions(this, &m_transport, &m_builder),
      m_subscriber(&m_transactions, &m_builder, this),
      m_notifier(&m_transactions, &m_builder, this),
      m_pager(&m_transactions, &m_builder, this),
      m_registration(&m_transactions, &m_builder, this),
      m_monitor(this)
{
    NS_LOG_FUNCTION(this);
    m_subscriber.SetPresenceDatabase(m_db);
    m_monitor.SetPresenceDatabase(m_db);
    m_transport.SetExtraMethods({"OPTIONS"});
    ConnectObservers();
}

PresenceAgent::~PresenceAgent()
{
    NS_LOG_FUNCTION(this);
}

void
PresenceAgent::ConnectObservers()
{
    // The layers report through callbacks into the trace sources; nothing steers them.
    SipDropCallback drop = MakeCallback(&PresenceAgent::ReportBad, this);
    m_transport.SetDropCallback(drop);
    m_transactions.SetDropCallback(drop);
    m_subscriber.SetDropCallback(drop);
    m_notifier.SetDropCallback(drop);
    m_pager.SetDropCallback(drop);
    m_registration.SetDropCallback(drop);
    typedef TracedCallback<const SipMessage&, const Address&, uint32_t> MessageTrace;
    auto to = [](MessageTrace* trace) {
        return SipTransactionLayer::MessageCallback(
            [trace](const SipMessage& m, const Address& a, uint32_t n) { (*trace)(m, a, n); });
    };
    SipTransactionLayer::Observer observer;
    observer.requestSent = to(&m_requestSentTrace);
    observer.requestReceived = to(&m_requestReceivedTrace);
    observer.responseSent = to(&m_responseSentTrace);
    observer.responseReceived = to(&m_responseReceivedTrace);
    observer.notifySent = to(&m_notifySentTrace);
    observer.retransmission = to(&m_retransmissionTrace);
    observer.timeout = Callback<void, const SipMessage&, const Address&>(
        [this](const SipMessage& m, const Address& a) { m_timeoutTrace(m, a); });
    m_transactions.SetObserver(observer);
}

void
PresenceAgent::DoDispose()
{
    NS_LOG_FUNCTION(this);
    if (m_running)
    {
        m_registration.Stop(false); // no REGISTER while the simulation goes away
        StopApplication();
    }
    m_monitor.Dispose();
    m_notifier.Dispose();
    m_pager.Dispose();
    m_subscriber.SetPresenceDatabase(nullptr);
    m_db = nullptr;
    m_spd = nullptr;
    Application::DoDispose();
}

void
PresenceAgent::SetPresenceDatabase(Ptr<PresenceDatabase> db)
{
    NS_ASSERT_MSG(db, "PresenceAgent needs a presence database");
    m_db = db;
    m_subscriber.SetPresenceDatabase(db);
    m_monitor.SetPresenceDatabase(db);
}

Ptr<PresenceDatabase>
PresenceAgent::GetPresenceDatabase() const
{
    return m_db;
}

void
PresenceAgent::SetSecurityPolicyDatabase(Ptr<SecurityPolicyDatabase> spd)
{
    NS_LOG_FUNCTION(this << spd);
    m_spd = spd;
    m_notifier.SpdReplaced();
}

Ptr<SecurityPolicyDatabase>
PresenceAgent::GetSecurityPolicyDatabase() const
{
    if (m_spd)
    {
        return m_spd;
    }
    Ptr<Node> node = GetNode();
    return node ? node->GetObject<SecurityPolicyDatabase>() : nullptr;
}

LocationClassifier&
PresenceAgent::GetLocationClassifier()
{
    return m_monitor.GetLocationClassifier();
}

void
PresenceAgent::SetAuthorizationCallback(AuthorizationCallback cb)
{
    m_notifier.SetAuthorizationCallback(cb);
}

void
PresenceAgent::SetPresenceSapUser(PresenceSapUser* user)
{
    m_sapUser = user;
    if (!user)
    {
        m_notifier.SetSubscriberCallback(PresenceNotifier::SubscriberCallback());
        m_notifier.SetWatcherEndedCallback(PresenceNotifier::WatcherEndedCallback());
        return;
    }
    m_notifier.SetSubscriberCallback(PresenceNotifier::SubscriberCallback(
        [user](Ipv4Address peer, const std::string& uri) { user->SubscriberArrived(peer, uri); }));
    m_notifier.SetWatcherEndedCallback(PresenceNotifier::WatcherEndedCallback(
        [user](Ipv4Address peer, const std::string& why) { user->WatcherEnded(peer, why); }));
}

uint16_t
PresenceAgent::GetPort() const
{
    return m_port;
}

std::string
PresenceAgent::GetEntity() const
{
    if (!m_entity.empty())
    {
        return m_entity;
    }
    Ptr<Node> node = GetNode();
    return "pres:node" + std::to_string(node ? node->GetId() : 0) + "@presec.invalid";
}

int64_t
PresenceAgent::AssignStreams(int64_t stream)
{
    m_rng->SetStream(stream);
    return 1;
}

size_t
PresenceAgent::GetNWatchers() const
{
    return m_notifier.GetNWatchers();
}

size_t
PresenceAgent::GetNSubscriptions() const
{
    return m_subscriber.GetNSubscriptions();
}

size_t
PresenceAgent::GetNClientTransactions() const
{
    return m_transactions.GetNClientTransactions();
}

PresenceDocument
PresenceAgent::GetOwnPresence() const
{
    return m_monitor.GetOwnPresence();
}

void
PresenceAgent::SetLocationPrefixes(std::string text)
{
    m_monitor.SetLocationPrefixes(text);
}

std::string
PresenceAgent::GetLocationPrefixes() const
{
    return m_monitor.GetLocationPrefixes();
}

void
PresenceAgent::SetAllowedSubscribers(std::string text)
{
    m_notifier.SetAllowedSubscribers(text);
}

std::string
PresenceAgent::GetAllowedSubscribers() const
{
    return m_notifier.GetAllowedSubscribers();
}

// ---------------------------------------------------------------------------------------------
// Start and stop: wiring the layers

void
PresenceAgent::StartApplication()
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_IF(!GetNode()->GetObject<Ipv4>(),
                    "PresenceAgent needs an IPv4 stack on node " << GetNode()->GetId());
    auto base = ParseRfc3339(m_timestampBase);
    NS_ABORT_MSG_IF(!base,
                    "PresenceAgent::TimestampBase: '" << m_timestampBase
                                                      << "' is not an RFC 3339 date-time");
    std::string entity = GetEntity();
    std::string rest = entity;
    size_t colon = rest.find(':');
    if (colon != std::string::npos &&
        (Lower(rest.substr(0, colon)) == "pres" || Lower(rest.substr(0, colon)) == "sip"))
    {
        rest = rest.substr(colon + 1);
    }
    m_aor = "sip:" + rest;
    size_t at = rest.find('@');
    m_userPart = at == std::string::npos ? "" : rest.substr(0, at);
    // The Request-URI check accepts only what SipNameAddr parses.
    NS_ABORT_MSG_IF(!SipNameAddr::Parse("<" + m_aor + ">"),
                    "PresenceAgent::Entity: '" << entity << "' does not give a SIP URI");

    SipTimerValues timers;
    timers.t1 = m_t1;
    timers.t2 = m_t2;
    timers.t4 = m_t4;
    m_transactions.Start(timers, m_tcpThreshold);
    m_transport.Configure(m_maxMessageSize, m_tcpIdleTimeout);
    m_transport.SetMessageSupported(m_pager.HasHandlers());
    m_transport.Start(GetNode(), m_port);
    m_subscriber.Configure(m_t1, m_refreshSubscriptions);
    m_notifier.Configure(m_defaultExpires, m_maxExpires, m_minNotifyInterval, m_maxWatchers);
    m_running = true;
    m_notifier.Start();
    OwnPresenceMonitor::Identity identity;
    identity.entity = entity;
    identity.userName = m_userName;
    identity.userPart = m_userPart;
    identity.port = m_port;
    identity.base = *base;
    identity.pollInterval = m_pollInterval;
    m_monitor.Start(GetNode(), identity);
    m_registration.Configure(m_registrar, m_port, GetAor(), WholeSeconds(m_registerExpires));
    m_registration.Start();
}

void
PresenceAgent::StopApplication()
{
    NS_LOG_FUNCTION(this);
    m_running = false;
    m_registration.Stop(); // unregisters before the transactions are forgotten
    m_transactions.Stop();
    m_pager.Stop();
    m_subscriber.Stop();
    m_notifier.Stop();
    m_monitor.Stop();
    m_transport.Stop();
}

// ---------------------------------------------------------------------------------------------
// Bad input

void
PresenceAgent::Drop(const std::string& text,
                    const SipOrigin& origin,
                    const std::string& reason,
                    const std::string& detail,
                    uint16_t status)
{
    ++m_counts.badMessages[reason];
    ReportBad(text, origin, reason, detail, status);
}

void
PresenceAgent::ReportBad(const std::string& text,
                         const SipOrigin& origin,
                         const std::string& reason,
                         const std::string& detail,
                         uint16_t status)
{
    NS_LOG_WARN(
        "node " << GetNode()->GetId() << ": bad message from " << origin.address << ":"
                << origin.port << ": " << reason << " (" << detail << "), "
                << (status == 0 ? std::string("dropped") : "answered " + std::to_string(status)));
    m_badMessageTrace(text, InetSocketAddress(origin.address, origin.port), reason, detail, status);
}

// ---------------------------------------------------------------------------------------------
// The transaction user core: what every request goes through, then dispatch by method

void
PresenceAgent::ReceiveRequest(const SipMessage& request, const SipOrigin& origin, uint32_t size)
{
    NS_LOG_FUNCTION(this << request.GetMethod() << origin.address);
    // RFC 3261 section 8.2.2.3: the agent implements no SIP extension, so every option tag
    // a request requires is unsupported: 420, listed in Unsupported.
    if (std::vector<std::string> required = request.GetHeaderValues("Require"); !required.empty())
    {
        std::string list;
        for (const std::string& tag : required)
        {
            list += (list.empty() ? "" : ", ") + tag;
        }
        SipMessage response = m_builder.Error(request, 420);
        response.SetHeader("Unsupported", list);
        Drop(request.Serialize(), origin, BAD_EXTENSION_REASON, "Require: " + list, 420);
        m_transactions.SendResponse(request, response, origin);
        return;
    }
    if (request.GetTo()->GetTag().empty() &&
        !IsUriOf(request.GetRequestUri(), m_aor, m_userPart, NodeAddresses::Collect(GetNode())))
    {
        Drop(request.Serialize(), origin, NOT_FOUND_REASON, request.GetRequestUri(), 404);
        m_transactions.SendResponse(request, m_builder.Error(request, 404), origin);
        return;
    }
    if (request.GetMethod() == "SUBSCRIBE")
    {
        m_notifier.ReceiveSubscribe(request, origin);
    }
    else if (request.GetMethod() == "MESSAGE")
    {
        m_pager.ReceiveMessage(request, origin);
    }
    else if (request.GetMethod() == "OPTIONS")
    {
        // RFC 3261 section 11.2: what this agent takes, as it would answer a SUBSCRIBE.
        SipMessage response = m_builder.Capabilities(request);
        response.SetHeader("Accept", "application/pidf+xml");
        response.SetHeader("Allow-Events", "presence");
        m_transactions.SendResponse(request, response, origin);
    }
    else if (request.GetMethod() == "NOTIFY")
    {
        ++m_counts.notifiesReceived;
        m_notifyReceivedTrace(request, InetSocketAddress(origin.address, origin.port), size);
        m_subscriber.ReceiveNotify(request, origin);
    }
    else
    {
        // SipParser only lets the supported methods through.
        SipMessage response = m_builder.Error(request, 501);
        Drop(request.Serialize(), origin, METHOD_NOT_IMPLEMENTED_REASON, request.GetMethod(), 501);
        m_transactions.SendResponse(request, response, origin);
    }
}

// ---------------------------------------------------------------------------------------------
// Client side (PresenceSubscriber)

void
PresenceAgent::Fetch(Ipv4Address peer, PresenceCallback cb)
{
    NS_LOG_FUNCTION(this << peer);
    Subscribe(peer, Time(0), cb);
}

void
PresenceAgent::Subscribe(Ipv4Address peer,
                         Time expires,
                         PresenceCallback cb,
                         const SimpleFilterSet& filter)
{
    NS_LOG_FUNCTION(this << peer << expires);
    NS_ABORT_MSG_IF(expires.IsStrictlyNegative(), "PresenceAgent::Subscribe: negative expiry");
    NS_ABORT_MSG_IF(!m_running,
                    "PresenceAgent on node " << GetNode()->GetId()
                                             << ": Fetch/Subscribe while not running");
    m_subscriber.Subscribe(peer, WholeSeconds(expires), cb, filter);
}

uint32_t
PresenceAgent::Refresh(Ipv4Address peer, Time expires)
{
    NS_LOG_FUNCTION(this << peer << expires);
    NS_ABORT_MSG_IF(expires.IsStrictlyNegative(), "PresenceAgent::Refresh: negative expiry");
    if (!m_running)
    {
        return 0;
    }
    return m_subscriber.Refresh(peer, WholeSeconds(expires));
}

uint32_t
PresenceAgent::Unsubscribe(Ipv4Address peer)
{
    return Refresh(peer, Time(0));
}

// ---------------------------------------------------------------------------------------------
// Server side (PresenceNotifier)

void
PresenceAgent::SetPolicyChanged()
{
    NS_LOG_FUNCTION(this);
    if (m_running)
    {
        m_notifier.NotifyWatchers();
    }
}

std::vector<SecurityPolicy>
PresenceAgent::GetOfferedPolicies(Ipv4Address requester) const
{
    return m_notifier.GetOfferedPolicies(requester);
}

// ---------------------------------------------------------------------------------------------
// Page-mode MESSAGE (SipPager)

void
PresenceAgent::SetMessageHandler(const std::string& contentType, MessageHandler handler)
{
    m_pager.SetMessageHandler(contentType, handler);
    m_transport.SetMessageSupported(m_pager.HasHandlers());
}

void
PresenceAgent::SendMessage(Ipv4Address peer,
                           const std::string& contentType,
                           const std::string& body,
                           MessageResultCallback cb)
{
    NS_ABORT_MSG_IF(!m_running, "PresenceAgent::SendMessage: not running");
    m_pager.Send(peer, contentType, body, cb);
}

// ---------------------------------------------------------------------------------------------
// Own presence (OwnPresenceMonitor)

void
PresenceAgent::NotifyAddressChanged()
{
    m_monitor.NotifyAddressChanged();
}

void
PresenceAgent::SetLocation(const std::string& label, std::optional<PlaceType> placeType)
{
    m_monitor.SetLocation(label, placeType);
}

void
PresenceAgent::ClearLocation()
{
    m_monitor.ClearLocation();
}

void
PresenceAgent::OwnPresenceChanged(const PresenceDocument& doc, bool first)
{
    m_presenceChangedTrace(doc);
    if (m_sapUser)
    {
        m_sapUser->OwnPresenceChanged(doc);
    }
    if (!first && m_monitor.HasAddress())
    {
        // Refresh first: the notifiers then learn our new address before our NOTIFYs reach
        // them, and answer at the new address.
        m_subscriber.RefreshMovedSubscriptions();
    }
    m_notifier.NotifyWatchers();
    // RFC 3261 section 10.2.4 (re-registration on a Contact change): the registrar must
    // name the new address to callers at once.
    m_registration.AddressChanged();
}

// ---------------------------------------------------------------------------------------------
// Registration and AOR lookup (SipRegistration)

void
PresenceAgent::Resolve(const std::string& aor, ResolveCallback cb)
{
    NS_LOG_FUNCTION(this << aor);
    NS_ABORT_MSG_IF(!m_running, "PresenceAgent::Resolve: not running");
    m_registration.Resolve(aor, cb);
}

bool
PresenceAgent::IsRegistered() const
{
    return m_registration.IsRegistered();
}

std::string
PresenceAgent::GetAor() const
{
    if (!m_registerAor.empty())
    {
        return m_registerAor;
    }
    std::string rest = GetEntity();
    size_t colon = rest.find(':');
    if (colon != std::string::npos &&
        (Lower(rest.substr(0, colon)) == "pres" || Lower(rest.substr(0, colon)) == "sip"))
    {
        rest = rest.substr(colon + 1);
    }
    return "sip:" + rest;
}

// ---------------------------------------------------------------------------------------------
// PresenceEndpoint

Ipv4Address
PresenceAgent::LocalAddressFor(Ipv4Address peer) const
{
    return NodeAddresses::SourceFor(GetNode(), peer);
}

std::string
PresenceAgent::ContactUri(Ipv4Address local) const
{
    return HostUri(local, m_port, m_userPart);
}

SipRequestParams
PresenceAgent::NewRequestParams(Ipv4Address local)
{
    SipRequestParams p;
    p.localUri = m_aor;
    p.contactUri = ContactUri(local);
    std::ostringstream host;
    host << local;
    p.sentByHost = host.str();
    p.sentByPort = m_port;
    p.branch = m_builder.GetIdGenerator().NewBranch();
    return p;
}

PresenceDocument
PresenceAgent::GetStampedPresence() const
{
    return m_monitor.GetStampedPresence();
}

bool
PresenceAgent::HasAddress() const
{
    return m_monitor.HasAddress();
}

} // namespace ns3
