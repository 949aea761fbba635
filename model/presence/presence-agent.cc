/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "presence-agent.h"

#include "pidf-codec.h"
#include "ns3/policy-set.h"
#include "sip-parser.h"
#include "ns3/text-util.h"

#include "ns3/abort.h"
#include "ns3/assert.h"
#include "ns3/boolean.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-list-routing.h"
#include "ns3/ipv4-route.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/output-stream-wrapper.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <sstream>

namespace ns3
{

using text::Lower;
using text::Trim;

NS_LOG_COMPONENT_DEFINE("PresenceAgent");

NS_OBJECT_ENSURE_REGISTERED(PresenceAddressWatcher);
NS_OBJECT_ENSURE_REGISTERED(PresenceAgent);

namespace
{

/// "sip:user@host:port;params" -> host and port (5060 when absent); host must be IPv4.
bool
ParseSipTarget(const std::string& uri, Ipv4Address& address, uint16_t& port)
{
    size_t colon = uri.find(':');
    if (colon == std::string::npos)
    {
        return false;
    }
    std::string scheme = Lower(uri.substr(0, colon));
    if (scheme != "sip" && scheme != "sips")
    {
        return false;
    }
    std::string rest = uri.substr(colon + 1);
    rest = rest.substr(0, rest.find_first_of(";?>"));
    size_t at = rest.rfind('@');
    std::string hostPort = at == std::string::npos ? rest : rest.substr(at + 1);
    size_t pc = hostPort.find(':');
    std::string host = hostPort.substr(0, pc);
    port = 5060;
    if (pc != std::string::npos)
    {
        std::string p = hostPort.substr(pc + 1);
        if (p.empty() || p.size() > 5 ||
            !std::all_of(p.begin(), p.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
            std::stoul(p) > 65535 || std::stoul(p) == 0)
        {
            return false;
        }
        port = static_cast<uint16_t>(std::stoul(p));
    }
    return ParseIpv4Address(host, address);
}

std::string
HostUri(Ipv4Address address, uint16_t port, const std::string& user = "")
{
    std::ostringstream os;
    os << "sip:";
    if (!user.empty())
    {
        os << user << "@";
    }
    os << address;
    if (port != 5060)
    {
        os << ":" << port;
    }
    return os.str();
}

/// A document without the parts that change on every evaluation (the timestamp).
PresenceDocument
Comparable(PresenceDocument d)
{
    d.timestamp.clear();
    return d;
}

/// Finds the Content-Length of a header block (long or compact name, possibly folded over
/// several lines, RFC 3261 section 7.3.1); -1 when absent, -2 when malformed.
int64_t
FindContentLength(const std::string& headers)
{
    // Unfold first: a line starting with SP or HT continues the one before.
    std::vector<std::string> lines;
    size_t pos = 0;
    while (pos <= headers.size())
    {
        size_t eol = headers.find('\n', pos);
        std::string line =
            headers.substr(pos, eol == std::string::npos ? std::string::npos : eol - pos);
        pos = eol == std::string::npos ? headers.size() + 1 : eol + 1;
        if (!line.empty() && line.back() == '\r')
        {
            line.pop_back();
        }
        if (!lines.empty() && !line.empty() && (line[0] == ' ' || line[0] == '\t'))
        {
            lines.back() += " " + Trim(line);
        }
        else
        {
            lines.push_back(line);
        }
    }
    int64_t found = -1;
    for (const std::string& line : lines)
    {
        size_t colon = line.find(':');
        if (colon == std::string::npos)
        {
            continue;
        }
        std::string name = Lower(Trim(line.substr(0, colon)));
        if (name != "content-length" && name != "l")
        {
            continue;
        }
        std::string value = Trim(line.substr(colon + 1));
        if (value.empty() || value.size() > 9 ||
            !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
        {
            return -2;
        }
        if (found >= 0)
        {
            return -2; // two of them: the framing cannot be trusted
        }
        found = std::stoll(value);
    }
    return found;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// PresenceAddressWatcher

TypeId
PresenceAddressWatcher::GetTypeId()
{
    static TypeId tid = TypeId("ns3::PresenceAddressWatcher")
                            .SetParent<Ipv4RoutingProtocol>()
                            .SetGroupName("Presec")
                            .AddConstructor<PresenceAddressWatcher>();
    return tid;
}

PresenceAddressWatcher::PresenceAddressWatcher()
{
    NS_LOG_FUNCTION(this);
}

PresenceAddressWatcher::~PresenceAddressWatcher()
{
    NS_LOG_FUNCTION(this);
}

void
PresenceAddressWatcher::SetChangeCallback(Callback<void> cb)
{
    m_changed = cb;
}

Ptr<Ipv4Route>
PresenceAddressWatcher::RouteOutput(Ptr<Packet> /* p */,
                                    const Ipv4Header& /* header */,
                                    Ptr<NetDevice> /* oif */,
                                    Socket::SocketErrno& sockerr)
{
    sockerr = Socket::ERROR_NOROUTETOHOST;
    return nullptr;
}

bool
PresenceAddressWatcher::RouteInput(Ptr<const Packet> /* p */,
                                   const Ipv4Header& /* header */,
                                   Ptr<const NetDevice> /* idev */,
                                   UnicastForwardCallback /* ucb */,
                                   MulticastForwardCallback /* mcb */,
                                   LocalDeliverCallback /* lcb */,
                                   ErrorCallback /* ecb */)
{
    return false;
}

void
PresenceAddressWatcher::NotifyInterfaceUp(uint32_t interface)
{
    NS_LOG_FUNCTION(this << interface);
    if (!m_changed.IsNull())
    {
        m_changed();
    }
}

void
PresenceAddressWatcher::NotifyInterfaceDown(uint32_t interface)
{
    NS_LOG_FUNCTION(this << interface);
    if (!m_changed.IsNull())
    {
        m_changed();
    }
}

void
PresenceAddressWatcher::NotifyAddAddress(uint32_t interface, Ipv4InterfaceAddress address)
{
    NS_LOG_FUNCTION(this << interface << address);
    if (!m_changed.IsNull())
    {
        m_changed();
    }
}

void
PresenceAddressWatcher::NotifyRemoveAddress(uint32_t interface, Ipv4InterfaceAddress address)
{
    NS_LOG_FUNCTION(this << interface << address);
    if (!m_changed.IsNull())
    {
        m_changed();
    }
}

void
PresenceAddressWatcher::SetIpv4(Ptr<Ipv4> ipv4)
{
    m_ipv4 = ipv4;
}

void
PresenceAddressWatcher::PrintRoutingTable(Ptr<OutputStreamWrapper> stream, Time::Unit) const
{
    *stream->GetStream() << "PresenceAddressWatcher: no routes (listens for address changes)"
                         << std::endl;
}

void
PresenceAddressWatcher::DoDispose()
{
    m_ipv4 = nullptr;
    m_changed = Callback<void>();
    Ipv4RoutingProtocol::DoDispose();
}

// ---------------------------------------------------------------------------------------------
// PresenceAgent::Stats

uint32_t
PresenceAgent::Stats::GetNBad(const std::string& reason) const
{
    auto it = badMessages.find(reason);
    return it == badMessages.end() ? 0 : it->second;
}

uint32_t
PresenceAgent::Stats::GetNBad() const
{
    uint32_t n = 0;
    for (const auto& [reason, count] : badMessages)
    {
        n += count;
    }
    return n;
}

void
PresenceAgent::Stats::Print(std::ostream& os) const
{
    os << "requests sent " << requestsSent << ", received " << requestsReceived
       << "; responses sent " << responsesSent << " (+" << responsesResent << " re-sent), received "
       << responsesReceived << "; NOTIFY sent " << notifiesSent << ", received " << notifiesReceived
       << " (" << notifiesAccepted << " accepted); retransmissions " << retransmissions
       << "; absorbed " << absorbedRequests << "; timeouts " << timeouts << "; transport errors "
       << transportErrors << "; TCP messages sent " << tcpMessagesSent << ", received "
       << tcpMessagesReceived << "; refused " << subscriptionsRefused << "; own changes "
       << ownPresenceChanges << "; target refreshes " << targetRefreshes << "; MESSAGE sent "
       << messagesSent << ", received " << messagesReceived << "; idle TCP closed "
       << tcpIdleClosed;
    for (const auto& [reason, count] : badMessages)
    {
        os << "; " << reason << ": " << count;
    }
}

// ---------------------------------------------------------------------------------------------
// PresenceAgent

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
      m_db(CreateObject<PresenceDatabase>())
{
    NS_LOG_FUNCTION(this);
}

PresenceAgent::~PresenceAgent()
{
    NS_LOG_FUNCTION(this);
}

void
PresenceAgent::DoDispose()
{
    NS_LOG_FUNCTION(this);
    if (m_running)
    {
        StopApplication();
    }
    if (m_watcher)
    {
        m_watcher->SetChangeCallback(Callback<void>());
        m_watcher = nullptr;
    }
    DisconnectSpd();
    m_db = nullptr;
    m_spd = nullptr;
    m_authorize = AuthorizationCallback();
    m_watcherEnded = WatcherEndedCallback();
    m_messageHandlers.clear();
    m_messageResults.clear();
    m_subscriber = SubscriberCallback();
    Application::DoDispose();
}

void
PresenceAgent::SetPresenceDatabase(Ptr<PresenceDatabase> db)
{
    NS_ASSERT_MSG(db, "PresenceAgent needs a presence database");
    m_db = db;
    if (m_ownKnown)
    {
        m_db->SetOwn(m_own, m_ownAddresses.empty() ? Ipv4Address() : m_ownAddresses.front());
    }
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
    if (m_running)
    {
        ConnectSpd();
        NotifyWatchers();
    }
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
    return m_classifier;
}

void
PresenceAgent::SetAuthorizationCallback(AuthorizationCallback cb)
{
    m_authorize = cb;
}

void
PresenceAgent::SetWatcherEndedCallback(WatcherEndedCallback cb)
{
    m_watcherEnded = cb;
}

void
PresenceAgent::SetSubscriberCallback(SubscriberCallback cb)
{
    m_subscriber = cb;
}

const PresenceAgent::Stats&
PresenceAgent::GetStats() const
{
    return m_stats;
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
    return m_watchers.size();
}

size_t
PresenceAgent::GetNSubscriptions() const
{
    return m_subscriptions.size();
}

size_t
PresenceAgent::GetNClientTransactions() const
{
    return m_clientTx.size();
}

PresenceDocument
PresenceAgent::GetOwnPresence() const
{
    return m_own;
}

void
PresenceAgent::SetLocationPrefixes(std::string text)
{
    NS_LOG_FUNCTION(this << text);
    LocationClassifier classifier;
    std::istringstream in(text);
    std::string item;
    while (std::getline(in, item, ';'))
    {
        item = Trim(item);
        if (item.empty())
        {
            continue;
        }
        size_t eq = item.find('=');
        NS_ABORT_MSG_IF(eq == std::string::npos,
                        "PresenceAgent::LocationPrefixes: '" << item
                                                             << "' is not prefix=label, e.g. "
                                                                "192.168.1.0/24=office");
        std::string prefix = Trim(item.substr(0, eq));
        std::string label = Trim(item.substr(eq + 1));
        NS_ABORT_MSG_IF(
            label.empty() || std::any_of(label.begin(),
                                         label.end(),
                                         [](unsigned char c) {
                                             return std::isspace(c) || c == '<' || c == '>' ||
                                                    c == '&' || c == '=' || c < 0x20;
                                         }),
            "PresenceAgent::LocationPrefixes: bad label '" << label << "' in '" << item << "'");
        std::optional<PlaceType> placeType = PlaceTypeFromToken(label);
        if (!placeType && label == "home")
        {
            placeType = PlaceType::RESIDENCE;
        }
        auto added =
            classifier.AddPrefix(prefix, label, true, placeType.value_or(PlaceType::UNKNOWN));
        NS_ABORT_MSG_IF(!added,
                        "PresenceAgent::LocationPrefixes: " << added.GetError() << " in '" << item
                                                            << "'");
    }
    m_classifier = classifier;
    m_prefixesText = text;
    if (m_running)
    {
        ScheduleOwnUpdate();
    }
}

std::string
PresenceAgent::GetLocationPrefixes() const
{
    return m_prefixesText;
}

namespace
{

/// A URI as compared by AllowedSubscribers: no angle brackets or parameters, lower-case scheme,
/// `pres:` read as `sip:` (a presentity's SUBSCRIBE comes From its SIP AOR, RFC 3856 section 4).
std::string
NormaliseUri(const std::string& text)
{
    std::string uri = Trim(text);
    if (!uri.empty() && uri.front() == '<')
    {
        uri = uri.substr(1, uri.find('>') - 1);
    }
    uri = uri.substr(0, uri.find_first_of(";?"));
    size_t colon = uri.find(':');
    if (colon == std::string::npos)
    {
        return uri;
    }
    std::string scheme = Lower(uri.substr(0, colon));
    return (scheme == "pres" ? "sip" : scheme) + uri.substr(colon);
}

} // namespace

void
PresenceAgent::SetAllowedSubscribers(std::string text)
{
    NS_LOG_FUNCTION(this << text);
    bool any = false;
    std::vector<Ipv4Prefix> nets;
    std::vector<std::string> uris;
    std::istringstream in(text);
    std::string item;
    while (std::getline(in, item, ','))
    {
        item = Trim(item);
        if (item.empty())
        {
            continue;
        }
        if (item == "any")
        {
            any = true;
            continue;
        }
        if (item.find(':') != std::string::npos)
        {
            std::string uri = NormaliseUri(item);
            std::string scheme = uri.substr(0, uri.find(':'));
            NS_ABORT_MSG_IF(scheme != "sip" && scheme != "sips" && scheme != "tel",
                            "PresenceAgent::AllowedSubscribers: '"
                                << item << "' is not a sip:, sips:, pres: or tel: URI");
            uris.push_back(uri);
            continue;
        }
        auto prefix = Ipv4Prefix::Parse(item);
        NS_ABORT_MSG_IF(!prefix,
                        "PresenceAgent::AllowedSubscribers: '"
                            << item << "' is neither `any`, a URI nor an IPv4 host or prefix ("
                            << prefix.GetError() << ")");
        nets.push_back(prefix.GetValue());
    }
    NS_ABORT_MSG_IF(!any && nets.empty() && uris.empty(),
                    "PresenceAgent::AllowedSubscribers: empty; write `any` to allow everyone");
    m_allowAny = any;
    m_allowedNets = std::move(nets);
    m_allowedUris = std::move(uris);
    m_allowedText = text;
}

std::string
PresenceAgent::GetAllowedSubscribers() const
{
    return m_allowedText;
}

bool
PresenceAgent::IsAllowed(Ipv4Address address, const std::string& uri) const
{
    if (m_allowAny)
    {
        return true;
    }
    std::string normalised = NormaliseUri(uri);
    return std::any_of(m_allowedNets.begin(),
                       m_allowedNets.end(),
                       [address](const Ipv4Prefix& p) { return p.Contains(address); }) ||
           std::find(m_allowedUris.begin(), m_allowedUris.end(), normalised) != m_allowedUris.end();
}

SipTimerValues
PresenceAgent::Timers(bool reliable) const
{
    SipTimerValues t;
    t.t1 = m_t1;
    t.t2 = m_t2;
    t.t4 = m_t4;
    t.reliable = reliable;
    return t;
}

Address
PresenceAgent::ToAddress(Ipv4Address a, uint16_t port) const
{
    return InetSocketAddress(a, port);
}

// ---------------------------------------------------------------------------------------------
// Start and stop

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
    m_base = *base;
    std::string entity = GetEntity();
    std::string rest = entity;
    size_t colon = rest.find(':');
    if (colon != std::string::npos && Lower(rest.substr(0, colon)) == "pres")
    {
        rest = rest.substr(colon + 1);
    }
    else if (colon != std::string::npos && Lower(rest.substr(0, colon)) == "sip")
    {
        rest = rest.substr(colon + 1);
    }
    m_aor = "sip:" + rest;
    size_t at = rest.find('@');
    m_userPart = at == std::string::npos ? "" : rest.substr(0, at);
    // The Request-URI check accepts only what SipNameAddr parses.
    NS_ABORT_MSG_IF(!SipNameAddr::Parse("<" + m_aor + ">"),
                    "PresenceAgent::Entity: '" << entity << "' does not give a SIP URI");

    m_serverTx = SipServerTransactionTable(Timers(false));

    m_udp = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    NS_ABORT_MSG_IF(m_udp->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_port)) != 0,
                    "PresenceAgent: cannot bind UDP port " << m_port);
    m_udp->SetRecvCallback(MakeCallback(&PresenceAgent::HandleUdpRead, this));

    m_tcpListen = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
    NS_ABORT_MSG_IF(m_tcpListen->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_port)) != 0,
                    "PresenceAgent: cannot bind TCP port " << m_port);
    m_tcpListen->Listen();
    m_tcpListen->SetAcceptCallback(MakeCallback(&PresenceAgent::AcceptTcp, this),
                                   MakeCallback(&PresenceAgent::NewTcp, this));

    m_running = true;

    // Address changes: Ipv4ListRouting tells every member protocol.
    Ptr<Ipv4> ipv4 = GetNode()->GetObject<Ipv4>();
    Ptr<Ipv4ListRouting> list = DynamicCast<Ipv4ListRouting>(ipv4->GetRoutingProtocol());
    if (list)
    {
        if (!m_watcher)
        {
            m_watcher = CreateObject<PresenceAddressWatcher>();
            list->AddRoutingProtocol(m_watcher, std::numeric_limits<int16_t>::min());
        }
        m_watcher->SetChangeCallback(MakeCallback(&PresenceAgent::ScheduleOwnUpdate, this));
    }
    else if (m_pollInterval.IsStrictlyPositive())
    {
        NS_LOG_WARN("node " << GetNode()->GetId()
                            << ": routing is not an Ipv4ListRouting; checking addresses every "
                            << m_pollInterval.As(Time::S));
        m_pollEvent = Simulator::Schedule(m_pollInterval, &PresenceAgent::PollAddresses, this);
    }
    else
    {
        NS_LOG_WARN("node " << GetNode()->GetId()
                            << ": routing is not an Ipv4ListRouting; address changes are only "
                               "seen through DhcpClient and NotifyAddressChanged()");
    }
    // DhcpClient's traces, found by TypeId name so presec needs no link to internet-apps.
    for (uint32_t i = 0; i < GetNode()->GetNApplications(); ++i)
    {
        Ptr<Application> app = GetNode()->GetApplication(i);
        if (app->GetInstanceTypeId().GetName() == "ns3::DhcpClient")
        {
            app->TraceConnectWithoutContext("NewLease",
                                            MakeCallback(&PresenceAgent::OnDhcpEvent, this));
            app->TraceConnectWithoutContext("ExpireLease",
                                            MakeCallback(&PresenceAgent::OnDhcpEvent, this));
            m_dhcpClients.push_back(app);
        }
    }
    ConnectSpd();
    UpdateOwnPresence();
}

void
PresenceAgent::StopApplication()
{
    NS_LOG_FUNCTION(this);
    m_running = false;
    for (auto& [key, t] : m_clientTx)
    {
        t.timerE.Cancel();
        t.timerF.Cancel();
        t.timerK.Cancel();
    }
    m_clientTx.clear();
    m_messageResults.clear();
    for (auto& [key, s] : m_subscriptions)
    {
        s.timerN.Cancel();
        s.expiry.Cancel();
    }
    m_subscriptions.clear();
    for (auto& [key, w] : m_watchers)
    {
        w.expiryEvent.Cancel();
    }
    m_watchers.clear();
    m_ownUpdateEvent.Cancel();
    m_watcherCheckEvent.Cancel();
    m_pollEvent.Cancel();
    if (m_watcher)
    {
        m_watcher->SetChangeCallback(Callback<void>());
    }
    for (auto& app : m_dhcpClients)
    {
        app->TraceDisconnectWithoutContext("NewLease",
                                           MakeCallback(&PresenceAgent::OnDhcpEvent, this));
        app->TraceDisconnectWithoutContext("ExpireLease",
                                           MakeCallback(&PresenceAgent::OnDhcpEvent, this));
    }
    m_dhcpClients.clear();
    DisconnectSpd();
    auto tcp = m_tcp;
    m_tcp.clear();
    for (auto& [socket, conn] : tcp)
    {
        socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        socket->SetCloseCallbacks(MakeNullCallback<void, Ptr<Socket>>(),
                                  MakeNullCallback<void, Ptr<Socket>>());
        socket->SetConnectCallback(MakeNullCallback<void, Ptr<Socket>>(),
                                   MakeNullCallback<void, Ptr<Socket>>());
        socket->Close();
    }
    if (m_udp)
    {
        m_udp->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        m_udp->Close();
        m_udp = nullptr;
    }
    if (m_tcpListen)
    {
        m_tcpListen->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                       MakeNullCallback<void, Ptr<Socket>, const Address&>());
        m_tcpListen->Close();
        m_tcpListen = nullptr;
    }
}

// ---------------------------------------------------------------------------------------------
// Bad input

const char*
PresenceAgent::ReasonForStatus(uint16_t status)
{
    switch (status)
    {
    case 513:
        return TOO_LARGE_REASON;
    case 505:
        return UNSUPPORTED_VERSION_REASON;
    case 405:
        return METHOD_NOT_ALLOWED_REASON;
    case 501:
        return METHOD_NOT_IMPLEMENTED_REASON;
    case 489:
        return BAD_EVENT_REASON;
    case 415:
        return UNSUPPORTED_MEDIA_REASON;
    case 406:
        return NOT_ACCEPTABLE_REASON;
    case 481:
        return NO_SUBSCRIPTION_REASON;
    default:
        return MALFORMED_REQUEST_REASON;
    }
}

void
PresenceAgent::Bad(const std::string& text,
                   const Origin& origin,
                   const std::string& reason,
                   const std::string& detail,
                   uint16_t status)
{
    NS_LOG_WARN(
        "node " << GetNode()->GetId() << ": bad message from " << origin.address << ":"
                << origin.port << ": " << reason << " (" << detail << "), "
                << (status == 0 ? std::string("dropped") : "answered " + std::to_string(status)));
    ++m_stats.badMessages[reason];
    m_badMessageTrace(text, ToAddress(origin.address, origin.port), reason, detail, status);
}

// ---------------------------------------------------------------------------------------------
// Receiving

void
PresenceAgent::HandleUdpRead(Ptr<Socket> socket)
{
    Address from;
    Ptr<Packet> p;
    while ((p = socket->RecvFrom(from)))
    {
        if (!m_running)
        {
            return;
        }
        if (p->GetSize() == 0 || !InetSocketAddress::IsMatchingType(from))
        {
            continue;
        }
        std::string text(p->GetSize(), '\0');
        p->CopyData(reinterpret_cast<uint8_t*>(&text[0]), p->GetSize());
        InetSocketAddress inet = InetSocketAddress::ConvertFrom(from);
        Origin origin{inet.GetIpv4(), inet.GetPort(), nullptr};
        HandleMessage(text, origin);
    }
}

void
PresenceAgent::HandleMessage(const std::string& text, const Origin& origin)
{
    NS_LOG_FUNCTION(this << origin.address << origin.port << text.size());
    // A keep-alive (RFC 5626: CRLF) is not a message.
    if (text.find_first_not_of("\r\n") == std::string::npos)
    {
        return;
    }
    SipParserOptions options;
    options.maxMessageSize = m_maxMessageSize;
    options.requireContentLength = origin.tcp != nullptr;
    if (!m_messageHandlers.empty())
    {
        options.supportedMethods.push_back("MESSAGE");
    }
    auto parsed = SipParser::Parse(text, options);
    if (!parsed)
    {
        auto e = SipParser::GetError(parsed);
        HandleParseFailure(text, origin, e.status, e.reason);
        return;
    }
    const SipMessage& m = parsed.GetValue();
    if (m.IsResponse())
    {
        HandleResponse(m, origin, text.size());
    }
    else
    {
        HandleRequest(m, origin, text.size());
    }
}

void
PresenceAgent::HandleParseFailure(const std::string& text,
                                  const Origin& origin,
                                  uint16_t status,
                                  const std::string& detail)
{
    std::string full = std::to_string(status) + " " + detail;
    auto best = SipParser::ParseBestEffort(text);
    if (!best)
    {
        Bad(text,
            origin,
            status == 505 ? UNSUPPORTED_VERSION_REASON
                          : (status == 513 ? TOO_LARGE_REASON : NOT_SIP_REASON),
            full,
            0);
        return;
    }
    if (best->IsResponse())
    {
        Bad(text, origin, MALFORMED_RESPONSE_REASON, full, 0); // never answered
        return;
    }
    if (!SipBuilder::CanAnswer(*best))
    {
        Bad(text, origin, UNANSWERABLE_REASON, full, 0);
        return;
    }
    SipParseError error{status, detail};
    SipMessage response = m_builder.Error(*best, error);
    Bad(text, origin, ReasonForStatus(status), full, status);
    SendResponse(*best, response, origin);
}

void
PresenceAgent::HandleRequest(const SipMessage& request, const Origin& origin, uint32_t size)
{
    NS_LOG_FUNCTION(this << request.GetMethod() << origin.address);
    Time now = Simulator::Now();
    m_serverTx.Purge(now);
    auto verdict = m_serverTx.OnRequest(request, now);
    if (verdict.retransmission)
    {
        ++m_stats.absorbedRequests;
        if (!verdict.response.empty())
        {
            NS_LOG_LOGIC("re-sending the cached response to " << origin.address);
            ++m_stats.responsesResent;
            SendWire(verdict.response, origin);
        }
        return;
    }
    ++m_stats.requestsReceived;
    if (origin.tcp)
    {
        ++m_stats.tcpMessagesReceived;
    }
    Address from = ToAddress(origin.address, origin.port);
    m_requestReceivedTrace(request, from, size);
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
        Bad(request.Serialize(), origin, BAD_EXTENSION_REASON, "Require: " + list, 420);
        SendResponse(request, response, origin);
        return;
    }
    if (request.GetTo()->GetTag().empty() && !IsOurUri(request.GetRequestUri()))
    {
        Bad(request.Serialize(), origin, NOT_FOUND_REASON, request.GetRequestUri(), 404);
        SendResponse(request, m_builder.Error(request, 404), origin);
        return;
    }
    if (request.GetMethod() == "SUBSCRIBE")
    {
        HandleSubscribe(request, origin);
    }
    else if (request.GetMethod() == "MESSAGE")
    {
        HandleMessageRequest(request, origin);
    }
    else if (request.GetMethod() == "NOTIFY")
    {
        ++m_stats.notifiesReceived;
        m_notifyReceivedTrace(request, from, size);
        HandleNotify(request, origin);
    }
    else
    {
        // SipParser only lets the supported methods through.
        SipMessage response = m_builder.Error(request, 501);
        Bad(request.Serialize(), origin, METHOD_NOT_IMPLEMENTED_REASON, request.GetMethod(), 501);
        SendResponse(request, response, origin);
    }
}

void
PresenceAgent::HandleResponse(const SipMessage& response, const Origin& origin, uint32_t size)
{
    NS_LOG_FUNCTION(this << response.GetStatusCode() << origin.address);
    std::string key = SipClientTransaction::MatchKey(response);
    auto it = m_clientTx.find(key);
    if (it == m_clientTx.end())
    {
        Bad(response.Serialize(),
            origin,
            UNMATCHED_RESPONSE_REASON,
            std::to_string(response.GetStatusCode()) + " for " + key,
            0);
        return;
    }
    ++m_stats.responsesReceived;
    if (origin.tcp)
    {
        ++m_stats.tcpMessagesReceived;
    }
    m_responseReceivedTrace(response, ToAddress(origin.address, origin.port), size);
    ClientTx& t = it->second;
    Time now = Simulator::Now();
    if (!t.tx.OnResponse(response.GetStatusCode(), now))
    {
        NS_LOG_LOGIC("absorbed response " << response.GetStatusCode() << " for " << key);
        return;
    }
    if (response.GetStatusCode() < 200)
    {
        return;
    }
    FinishClientTx(key, &response, "");
}

// ---------------------------------------------------------------------------------------------
// Client transactions

void
PresenceAgent::StartClientTx(const SipMessage& request,
                             Ipv4Address peer,
                             uint16_t port,
                             bool tcp,
                             TxKind kind,
                             const std::string& owner)
{
    std::string key = SipClientTransaction::MatchKey(request);
    NS_LOG_FUNCTION(this << request.GetMethod() << peer << port << tcp << key);
    NS_ASSERT_MSG(!key.empty() && m_clientTx.count(key) == 0, "bad or duplicate transaction");
    ClientTx t;
    t.tx = SipClientTransaction(Timers(tcp));
    t.request = request;
    t.wire = request.Serialize();
    t.peer = peer;
    t.port = port;
    t.kind = kind;
    t.owner = owner;
    Time now = Simulator::Now();
    if (tcp)
    {
        t.tcp = OpenTcp(peer, port);
        TcpSend(t.tcp, t.wire);
        ++m_stats.tcpMessagesSent;
    }
    else
    {
        m_udp->SendTo(
            Create<Packet>(reinterpret_cast<const uint8_t*>(t.wire.data()), t.wire.size()),
            0,
            ToAddress(peer, port));
    }
    t.tx.Start(now);
    t.timerF =
        Simulator::Schedule(t.tx.GetTimeoutTime() - now, &PresenceAgent::OnTimerF, this, key);
    if (!t.tx.NextRetransmitDelay().IsZero())
    {
        t.timerE =
            Simulator::Schedule(t.tx.NextRetransmitDelay(), &PresenceAgent::OnTimerE, this, key);
    }
    uint32_t size = t.wire.size();
    auto& stored = m_clientTx.emplace(key, std::move(t)).first->second;
    ++m_stats.requestsSent;
    Address to = ToAddress(peer, port);
    m_requestSentTrace(stored.request, to, size);
    if (kind == TxKind::NOTIFY)
    {
        ++m_stats.notifiesSent;
        m_notifySentTrace(stored.request, to, size);
    }
}

void
PresenceAgent::OnTimerE(std::string key)
{
    auto it = m_clientTx.find(key);
    if (it == m_clientTx.end())
    {
        return;
    }
    ClientTx& t = it->second;
    if (!t.tx.OnTimerE(Simulator::Now()))
    {
        return;
    }
    NS_LOG_LOGIC("retransmitting " << t.request.GetMethod() << " to " << t.peer << " ("
                                   << t.tx.GetRetransmissions() << ")");
    m_udp->SendTo(Create<Packet>(reinterpret_cast<const uint8_t*>(t.wire.data()), t.wire.size()),
                  0,
                  ToAddress(t.peer, t.port));
    ++m_stats.retransmissions;
    m_retransmissionTrace(t.request, ToAddress(t.peer, t.port), t.tx.GetRetransmissions());
    t.timerE = Simulator::Schedule(t.tx.NextRetransmitDelay(), &PresenceAgent::OnTimerE, this, key);
}

void
PresenceAgent::OnTimerF(std::string key)
{
    auto it = m_clientTx.find(key);
    if (it == m_clientTx.end())
    {
        return;
    }
    if (!it->second.tx.OnTimerF(Simulator::Now()))
    {
        return;
    }
    NS_LOG_INFO("node " << GetNode()->GetId() << ": " << it->second.request.GetMethod() << " to "
                        << it->second.peer << " timed out");
    ++m_stats.timeouts;
    m_timeoutTrace(it->second.request, ToAddress(it->second.peer, it->second.port));
    FinishClientTx(key, nullptr, "timeout");
}

void
PresenceAgent::OnTimerK(std::string key)
{
    auto it = m_clientTx.find(key);
    if (it != m_clientTx.end())
    {
        it->second.tx.OnTimerK(Simulator::Now());
        m_clientTx.erase(it);
    }
}

void
PresenceAgent::FinishClientTx(const std::string& key,
                              const SipMessage* response,
                              const std::string& failure)
{
    auto it = m_clientTx.find(key);
    NS_ASSERT(it != m_clientTx.end());
    ClientTx& t = it->second;
    t.timerE.Cancel();
    t.timerF.Cancel();
    TxKind kind = t.kind;
    std::string owner = t.owner;
    Ptr<Socket> tcp = t.tcp;
    if (response && !tcp && !t.tx.GetTimerKDelay().IsZero())
    {
        // Completed: absorb retransmitted responses until Timer K.
        t.timerK = Simulator::Schedule(t.tx.GetTimerKDelay(), &PresenceAgent::OnTimerK, this, key);
    }
    else
    {
        m_clientTx.erase(it);
    }
    if (tcp)
    {
        // One transaction per connection: done with it.
        CloseTcp(tcp);
    }
    switch (kind)
    {
    case TxKind::SUBSCRIBE:
        OnSubscribeResult(owner, response, failure);
        break;
    case TxKind::NOTIFY:
        OnNotifyResult(owner, response, failure);
        break;
    case TxKind::MESSAGE:
        OnMessageResult(owner, response, failure);
        break;
    }
}

void
PresenceAgent::SendResponse(const SipMessage& request,
                            const SipMessage& answer,
                            const Origin& origin)
{
    SipMessage response = answer;
    // RFC 3261 section 18.2.1: the top Via says where the request really came from when its
    // sent-by host differs (a NAT, a wrong address), and the response goes there.
    std::vector<SipVia> vias = response.GetVias();
    std::ostringstream source;
    source << origin.address;
    if (!vias.empty() && vias.front().host != source.str() && !vias.front().params.Has("received"))
    {
        vias.front().params.Set("received", source.str());
        response.RemoveHeader("Via");
        for (auto v = vias.rbegin(); v != vias.rend(); ++v)
        {
            response.PushVia(*v);
        }
    }
    m_serverTx.OnResponse(request, response, Simulator::Now());
    std::string wire = response.Serialize();
    SendWire(wire, origin);
    ++m_stats.responsesSent;
    m_responseSentTrace(response, ToAddress(origin.address, origin.port), wire.size());
}

void
PresenceAgent::SendWire(const std::string& wire, const Origin& origin)
{
    if (origin.tcp)
    {
        if (m_tcp.count(origin.tcp) != 0)
        {
            TcpSend(origin.tcp, wire);
            ++m_stats.tcpMessagesSent;
        }
        return;
    }
    if (m_udp)
    {
        m_udp->SendTo(Create<Packet>(reinterpret_cast<const uint8_t*>(wire.data()), wire.size()),
                      0,
                      ToAddress(origin.address, origin.port));
    }
}

// ---------------------------------------------------------------------------------------------
// Client side: SUBSCRIBE and the NOTIFYs it brings

void
PresenceAgent::Fetch(Ipv4Address peer, PresenceCallback cb)
{
    NS_LOG_FUNCTION(this << peer);
    StartSubscription(peer, 0, cb);
}

void
PresenceAgent::Subscribe(Ipv4Address peer, Time expires, PresenceCallback cb)
{
    NS_LOG_FUNCTION(this << peer << expires);
    NS_ABORT_MSG_IF(expires.IsStrictlyNegative(), "PresenceAgent::Subscribe: negative expiry");
    double seconds = std::ceil(expires.GetSeconds());
    StartSubscription(peer, static_cast<uint32_t>(std::min<double>(seconds, 0xFFFFFFFFu)), cb);
}

void
PresenceAgent::StartSubscription(Ipv4Address peer, uint32_t expires, PresenceCallback cb)
{
    NS_ABORT_MSG_IF(!m_running,
                    "PresenceAgent on node " << GetNode()->GetId()
                                             << ": Fetch/Subscribe while not running");
    ClientSubscription s;
    s.peer = peer;
    s.target = peer;
    s.targetPort = m_port;
    s.remoteUri = HostUri(peer, m_port);
    s.requestUri = s.remoteUri;
    s.callId = m_builder.GetIdGenerator().NewCallId("");
    s.localTag = m_builder.GetIdGenerator().NewTag();
    s.callback = cb;
    s.expires = expires;
    std::string key = s.callId + "|" + s.localTag;
    m_subscriptions.emplace(key, s);
    SendSubscribe(key, expires);
    // RFC 6665 Timer N: a NOTIFY must follow within 64*T1 (scheduled after Timer F so a
    // silent peer is reported by Timer F).
    auto it = m_subscriptions.find(key);
    if (it != m_subscriptions.end())
    {
        it->second.timerN = Simulator::Schedule(64 * m_t1, &PresenceAgent::OnTimerN, this, key);
    }
}

void
PresenceAgent::SendSubscribe(const std::string& key, uint32_t expires)
{
    auto it = m_subscriptions.find(key);
    NS_ASSERT(it != m_subscriptions.end());
    ClientSubscription& s = it->second;
    Ipv4Address local = LocalAddressFor(s.target);
    s.local = local;
    SipRequestParams p;
    p.localUri = m_aor;
    p.remoteUri = s.remoteUri;
    p.requestUri = s.requestUri;
    p.contactUri = ContactUri(local);
    std::ostringstream host;
    host << local;
    p.sentByHost = host.str();
    p.sentByPort = m_port;
    p.branch = m_builder.GetIdGenerator().NewBranch();
    p.callId = s.callId;
    p.localTag = s.localTag;
    p.remoteTag = s.remoteTag;
    p.cseq = s.cseq++;
    if (expires == 0 && !s.remoteTag.empty())
    {
        s.unsubscribing = true;
    }
    SipMessage request = m_builder.Subscribe(p, expires);
    bool tcp = request.Serialize().size() > m_tcpThreshold;
    if (tcp)
    {
        p.transport = "TCP";
        request = m_builder.Subscribe(p, expires);
    }
    StartClientTx(request, s.target, s.targetPort, tcp, TxKind::SUBSCRIBE, key);
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
    uint32_t seconds =
        static_cast<uint32_t>(std::min<double>(std::ceil(expires.GetSeconds()), 0xFFFFFFFFu));
    std::vector<std::string> keys;
    for (const auto& [key, s] : m_subscriptions)
    {
        if (s.peer == peer && !s.remoteTag.empty() && !s.unsubscribing)
        {
            keys.push_back(key);
        }
    }
    for (const auto& key : keys)
    {
        m_subscriptions[key].expires = seconds;
        SendSubscribe(key, seconds);
    }
    return keys.size();
}

uint32_t
PresenceAgent::Unsubscribe(Ipv4Address peer)
{
    return Refresh(peer, Time(0));
}

void
PresenceAgent::RefreshMovedSubscriptions()
{
    NS_LOG_FUNCTION(this);
    std::vector<std::string> keys;
    for (const auto& [key, s] : m_subscriptions)
    {
        // Established subscriptions (not fetches, not ending) whose source address moved.
        Ipv4Address local = LocalAddressFor(s.target);
        if (!s.remoteTag.empty() && !s.unsubscribing && s.expires > 0 &&
            local != Ipv4Address::GetAny() && local != s.local)
        {
            keys.push_back(key);
        }
    }
    for (const auto& key : keys)
    {
        const ClientSubscription& s = m_subscriptions[key];
        NS_LOG_INFO("node " << GetNode()->GetId() << ": moved from " << s.local
                            << ", refreshing the subscription to " << s.target);
        ++m_stats.targetRefreshes;
        SendSubscribe(key, s.expires);
    }
}

void
PresenceAgent::OnSubscribeResult(const std::string& key,
                                 const SipMessage* response,
                                 const std::string& failure)
{
    auto it = m_subscriptions.find(key);
    if (it == m_subscriptions.end())
    {
        return; // already ended (e.g. its NOTIFY arrived and the fetch is done)
    }
    ClientSubscription& s = it->second;
    uint16_t code = response ? response->GetStatusCode() : 408;
    std::string error =
        response ? std::to_string(code) + " " + response->GetReasonPhrase() : failure;
    if (code >= 300)
    {
        // RFC 6665 section 4.1.2.2: a failed refresh ends the subscription only for these
        // codes; otherwise (a timeout among them) it lasts until its known expiry. An
        // unsubscribe that fails ends it here: there is no one left to say so.
        static const std::vector<uint16_t>
            kFatal{404, 405, 410, 416, 480, 481, 482, 483, 484, 485, 489, 501, 604};
        bool fatal = std::find(kFatal.begin(), kFatal.end(), code) != kFatal.end();
        if (!s.notified || fatal || s.unsubscribing)
        {
            EndSubscription(key,
                            PresenceDocument(),
                            false,
                            (s.unsubscribing && s.notified ? "unsubscribe: " : "") + error);
        }
        else
        {
            NS_LOG_INFO("refresh of " << key << " failed (" << error << "); kept until expiry");
        }
        return;
    }
    if (s.remoteTag.empty())
    {
        auto to = response->GetTo();
        if (to)
        {
            s.remoteTag = to->GetTag();
        }
    }
    if (auto contact = response->GetContact())
    {
        Ipv4Address a;
        uint16_t port;
        if (ParseSipTarget(contact->uri, a, port))
        {
            s.target = a;
            s.targetPort = port;
            s.requestUri = contact->uri;
        }
    }
    if (s.unsubscribing)
    {
        ArmSubscriptionExpiry(key, 0); // the terminal NOTIFY is due now
    }
    else if (auto granted = response->GetExpires(); granted && *granted > 0)
    {
        ArmSubscriptionExpiry(key, *granted);
    }
    else if (!granted && s.expires > 0)
    {
        // RFC 6665 section 4.1.2.1: the 2xx must say how long the subscription lasts. One
        // that does not cannot last longer than asked; without this, and with no expiry in
        // Subscription-State either, it would never end.
        ArmSubscriptionExpiry(key, s.expires);
    }
}

void
PresenceAgent::ArmSubscriptionExpiry(const std::string& key, uint32_t seconds)
{
    auto it = m_subscriptions.find(key);
    if (it == m_subscriptions.end())
    {
        return;
    }
    ClientSubscription& s = it->second;
    s.expiry.Cancel();
    s.expiry = Simulator::Schedule(Seconds(seconds) + 64 * m_t1,
                                   &PresenceAgent::OnSubscriptionExpired,
                                   this,
                                   key);
    s.refresh.Cancel();
    if (m_refreshSubscriptions && seconds > 0 && s.expires > 0 && !s.unsubscribing)
    {
        // Well before the end, so that a lost refresh is retransmitted in time (Timer F is
        // 32 s; for short durations 0.9 is what is left).
        s.refresh = Simulator::Schedule(Seconds(0.9 * seconds), [this, key]() {
            auto at = m_subscriptions.find(key);
            if (at != m_subscriptions.end() && !at->second.unsubscribing)
            {
                SendSubscribe(key, at->second.expires);
            }
        });
    }
}

void
PresenceAgent::OnSubscriptionExpired(std::string key)
{
    NS_LOG_INFO("subscription " << key << " ran out without a terminal NOTIFY");
    EndSubscription(key, PresenceDocument(), false, "expired");
}

void
PresenceAgent::OnTimerN(std::string key)
{
    auto it = m_subscriptions.find(key);
    if (it == m_subscriptions.end() || it->second.notified)
    {
        return;
    }
    NS_LOG_INFO("no NOTIFY for " << key << " within 64*T1");
    EndSubscription(key, PresenceDocument(), false, "timeout");
}

void
PresenceAgent::EndSubscription(const std::string& key,
                               const PresenceDocument& doc,
                               bool ok,
                               const std::string& error)
{
    auto it = m_subscriptions.find(key);
    if (it == m_subscriptions.end())
    {
        return;
    }
    it->second.timerN.Cancel();
    it->second.expiry.Cancel();
    it->second.refresh.Cancel();
    PresenceCallback cb = it->second.callback;
    Ipv4Address peer = it->second.peer;
    m_subscriptions.erase(it);
    if (!cb.IsNull())
    {
        cb(peer, doc, doc.policies, ok, error);
    }
}

bool
PresenceAgent::AcceptInDialogCSeq(const SipMessage& request,
                                  const Origin& origin,
                                  std::optional<uint32_t>& last)
{
    // RFC 3261 section 12.2.2: an in-dialog request must be newer than the last one (a
    // retransmission never gets here: the server transaction absorbs it).
    uint32_t cseq = request.GetCSeq()->number;
    if (last && cseq <= *last)
    {
        Bad(request.Serialize(),
            origin,
            CSEQ_ORDER_REASON,
            request.GetMethod() + " CSeq " + std::to_string(cseq) + " after " +
                std::to_string(*last),
            500);
        SendResponse(request, m_builder.Error(request, 500), origin);
        return false;
    }
    last = cseq;
    return true;
}

void
PresenceAgent::HandleNotify(const SipMessage& request, const Origin& origin)
{
    NS_LOG_FUNCTION(this << origin.address);
    std::string callId = *request.GetCallId();
    std::string localTag = request.GetTo()->GetTag();
    std::string remoteTag = request.GetFrom()->GetTag();
    auto it = m_subscriptions.find(callId + "|" + localTag);
    if (it == m_subscriptions.end() ||
        (!it->second.remoteTag.empty() && it->second.remoteTag != remoteTag))
    {
        SipMessage response = m_builder.Error(request, 481);
        Bad(request.Serialize(),
            origin,
            NO_SUBSCRIPTION_REASON,
            "NOTIFY for unknown dialog " + callId,
            481);
        SendResponse(request, response, origin);
        return;
    }
    std::string key = it->first;
    if (!AcceptInDialogCSeq(request, origin, it->second.remoteCseq))
    {
        return;
    }
    auto state = *request.GetSubscriptionState();
    bool terminated = state.state == "terminated";

    // Body checks: content type first (RFC 3261 section 8.2.3), then the document itself.
    if (auto e = SipParser::CheckBody(request))
    {
        SipMessage response = m_builder.Error(request, *e);
        Bad(request.Serialize(),
            origin,
            e->status == 415 ? UNSUPPORTED_MEDIA_REASON : BAD_BODY_REASON,
            e->ToString(),
            e->status);
        SendResponse(request, response, origin);
        // RFC 6665 section 4.2.2: the notifier ends the subscription on this failure
        // response, so the subscriber must not keep it either.
        EndSubscription(key, PresenceDocument(), false, e->ToString());
        return;
    }
    if (request.GetBody().empty())
    {
        SendResponse(request, m_builder.Ok(request), origin);
        it->second.remoteTag = remoteTag;
        if (terminated)
        {
            EndSubscription(key,
                            PresenceDocument(),
                            false,
                            "terminated: " + state.GetReason() + " (no document)");
        }
        return;
    }
    auto decoded = PidfCodec::Decode(request.GetBody());
    if (!decoded)
    {
        std::string detail = decoded.Describe();
        SipMessage response = m_builder.Error(request, 400, "Bad PIDF Document");
        Bad(request.Serialize(), origin, BAD_PIDF_REASON, detail, 400);
        SendResponse(request, response, origin);
        EndSubscription(key, PresenceDocument(), false, "bad PIDF: " + detail);
        return;
    }
    PresenceDocument doc = decoded.TakeValue();
    ClientSubscription& s = it->second;
    s.remoteTag = remoteTag;
    s.notified = true;
    s.timerN.Cancel();
    if (auto contact = request.GetContact())
    {
        Ipv4Address a;
        uint16_t port;
        if (ParseSipTarget(contact->uri, a, port))
        {
            s.target = a; // RFC 6665: the NOTIFY refreshes the remote target
            s.targetPort = port;
            s.requestUri = contact->uri;
        }
    }
    if (!terminated && !s.unsubscribing)
    {
        if (auto left = state.GetExpires())
        {
            ArmSubscriptionExpiry(key, *left);
        }
    }
    // Patent FIG. 6: field 621 is the source address of the packet.
    auto outcome = m_db->Register(doc, origin.address);
    SendResponse(request, m_builder.Ok(request), origin);
    // An OUTDATED document (RFC 3863 section 6: older than the stored one, e.g. a late
    // retransmission) is still the peer's genuine answer: ok, with a note.
    bool ok = outcome != PresenceDatabase::Outcome::REJECTED;
    std::string error;
    if (outcome == PresenceDatabase::Outcome::OUTDATED)
    {
        error = std::string(OUTDATED_NOTE) + ": the presence database keeps a newer document";
    }
    else if (!ok)
    {
        error = "document " + ToString(outcome);
    }
    if (ok)
    {
        ++m_stats.notifiesAccepted;
    }
    if (terminated)
    {
        EndSubscription(key, doc, ok, error);
        return;
    }
    PresenceCallback cb = s.callback;
    Ipv4Address peer = s.peer;
    if (!cb.IsNull())
    {
        cb(peer, doc, doc.policies, ok, error);
    }
}

// ---------------------------------------------------------------------------------------------
// Server side: SUBSCRIBE and the NOTIFYs it asks for

void
PresenceAgent::HandleSubscribe(const SipMessage& request, const Origin& origin)
{
    NS_LOG_FUNCTION(this << origin.address);
    if (auto e = SipParser::CheckAccept(request))
    {
        SipMessage response = m_builder.Error(request, *e);
        Bad(request.Serialize(), origin, NOT_ACCEPTABLE_REASON, e->ToString(), e->status);
        SendResponse(request, response, origin);
        return;
    }
    SipNameAddr from = *request.GetFrom();
    SipNameAddr to = *request.GetTo();
    std::string callId = *request.GetCallId();
    uint32_t expires = std::min(request.GetExpires().value_or(m_defaultExpires), m_maxExpires);
    Ipv4Address target = origin.address;
    uint16_t targetPort = origin.port;
    std::string remoteTarget = request.GetContact()->uri;
    {
        Ipv4Address a;
        uint16_t port;
        if (ParseSipTarget(remoteTarget, a, port))
        {
            target = a;
            targetPort = port;
        }
    }
    Ipv4Address local = LocalAddressFor(origin.address);

    if (!to.GetTag().empty())
    {
        // Refresh or unsubscribe inside an existing dialog.
        std::string key = callId + "|" + to.GetTag() + "|" + from.GetTag();
        auto it = m_watchers.find(key);
        if (it == m_watchers.end() || it->second.terminating)
        {
            SipMessage response = m_builder.Error(request, 481);
            Bad(request.Serialize(),
                origin,
                NO_SUBSCRIPTION_REASON,
                "SUBSCRIBE for unknown dialog " + callId,
                481);
            SendResponse(request, response, origin);
            return;
        }
        Watcher& w = it->second;
        std::optional<uint32_t> last = w.remoteCseq;
        if (!AcceptInDialogCSeq(request, origin, last))
        {
            return;
        }
        w.remoteCseq = *last;
        if (w.inFlight && (target != w.target || targetPort != w.targetPort))
        {
            AbandonNotify(key); // it goes to where the subscriber was
        }
        w.requester = origin.address;
        w.target = target;
        w.targetPort = targetPort;
        w.remoteTarget = remoteTarget;
        SipMessage response = m_builder.Ok(request, ContactUri(local));
        response.SetExpires(expires);
        SendResponse(request, response, origin);
        w.expiryEvent.Cancel();
        if (expires == 0)
        {
            w.terminating = true;
            w.terminateReason = "timeout";
        }
        else
        {
            w.expiresAt = Simulator::Now() + Seconds(expires);
            w.expiryEvent =
                Simulator::Schedule(Seconds(expires), &PresenceAgent::ExpireWatcher, this, key);
        }
        // RFC 6665 section 4.2.1.2: a successful refresh is followed by a NOTIFY.
        SendWatcherNotify(key);
        return;
    }

    if (!IsAllowed(origin.address, from.uri) ||
        (!m_authorize.IsNull() && !m_authorize(origin.address, from.uri)))
    {
        ++m_stats.subscriptionsRefused;
        SendResponse(request, m_builder.Error(request, 403), origin);
        return;
    }
    Watcher w;
    w.callId = callId;
    w.localTag = m_builder.GetIdGenerator().NewTag();
    w.remoteTag = from.GetTag();
    w.remoteUri = from.uri;
    w.remoteTarget = remoteTarget;
    w.eventId = request.GetEvent()->GetId();
    w.remoteCseq = request.GetCSeq()->number;
    w.requester = origin.address;
    w.target = target;
    w.targetPort = targetPort;
    std::string key = callId + "|" + w.localTag + "|" + w.remoteTag;
    SipMessage response = m_builder.Ok(request, ContactUri(local), w.localTag);
    response.SetExpires(expires);
    SendResponse(request, response, origin);
    if (expires == 0)
    {
        w.terminating = true;
        w.terminateReason = "timeout";
    }
    else
    {
        w.expiresAt = Simulator::Now() + Seconds(expires);
        w.expiryEvent =
            Simulator::Schedule(Seconds(expires), &PresenceAgent::ExpireWatcher, this, key);
    }
    m_watchers.emplace(key, std::move(w));
    NS_LOG_INFO("node " << GetNode()->GetId() << ": " << (expires == 0 ? "fetch" : "subscription")
                        << " from " << origin.address << " (" << from.uri << ")");
    SendWatcherNotify(key);
    if (expires > 0 && !m_subscriber.IsNull())
    {
        if (auto w = m_watchers.find(key); w != m_watchers.end())
        {
            w->second.announced = true;
        }
        m_subscriber(origin.address, from.uri); // a fetch is answered and nothing else
    }
}

// ---------------------------------------------------------------------------------------------
// Page-mode MESSAGE (RFC 3428)

void
PresenceAgent::SetMessageHandler(const std::string& contentType, MessageHandler handler)
{
    NS_LOG_FUNCTION(this << contentType);
    std::string type = Lower(Trim(contentType.substr(0, contentType.find(';'))));
    if (handler.IsNull())
    {
        m_messageHandlers.erase(type);
    }
    else
    {
        m_messageHandlers[type] = handler;
    }
    std::vector<std::string> allowed{"SUBSCRIBE", "NOTIFY"};
    if (!m_messageHandlers.empty())
    {
        allowed.push_back("MESSAGE");
    }
    m_builder.SetAllowedMethods(allowed);
}

void
PresenceAgent::SendMessage(Ipv4Address peer,
                           const std::string& contentType,
                           const std::string& body,
                           MessageResultCallback cb)
{
    NS_LOG_FUNCTION(this << peer << contentType << body.size());
    NS_ABORT_MSG_IF(!m_running, "PresenceAgent::SendMessage: not running");
    Ipv4Address local = LocalAddressFor(peer);
    SipRequestParams p;
    p.localUri = m_aor;
    p.remoteUri = HostUri(peer, m_port);
    std::ostringstream host;
    host << local;
    p.sentByHost = host.str();
    p.sentByPort = m_port;
    p.branch = m_builder.GetIdGenerator().NewBranch();
    SipMessage request = m_builder.Message(p, contentType, body);
    bool tcp = request.Serialize().size() > m_tcpThreshold;
    if (tcp)
    {
        p.transport = "TCP";
        request = m_builder.Message(p, contentType, body);
    }
    std::string key = SipClientTransaction::MatchKey(request);
    m_messageResults[key] = cb;
    ++m_stats.messagesSent;
    StartClientTx(request, peer, m_port, tcp, TxKind::MESSAGE, key);
}

void
PresenceAgent::HandleMessageRequest(const SipMessage& request, const Origin& origin)
{
    NS_LOG_FUNCTION(this << origin.address);
    auto type = request.GetContentType();
    std::string name = type ? Lower(type->type + "/" + type->subtype) : "";
    auto handler = m_messageHandlers.find(name);
    if (handler == m_messageHandlers.end())
    {
        // An unsupported body type is refused with 415 listing the handled ones (RFC 3261
        // section 21.4.13).
        std::string accept;
        for (const auto& [t, h] : m_messageHandlers)
        {
            accept += (accept.empty() ? "" : ", ") + t;
        }
        SipMessage response = m_builder.Error(request, 415);
        response.SetHeader("Accept", accept);
        Bad(request.Serialize(),
            origin,
            UNSUPPORTED_MEDIA_REASON,
            "MESSAGE body " + (name.empty() ? std::string("without type") : name),
            415);
        SendResponse(request, response, origin);
        return;
    }
    ++m_stats.messagesReceived;
    uint16_t status = handler->second(origin.address, request.GetBody());
    if (status < 200 || status > 699)
    {
        status = 500; // a handler bug must still end the transaction
    }
    if (status >= 300)
    {
        Bad(request.Serialize(), origin, BAD_BODY_REASON, "MESSAGE body " + name, status);
        SendResponse(request, m_builder.Error(request, status), origin);
        return;
    }
    SendResponse(request, m_builder.Response(request, status), origin);
}

void
PresenceAgent::OnMessageResult(const std::string& key,
                               const SipMessage* response,
                               const std::string& failure)
{
    auto it = m_messageResults.find(key);
    if (it == m_messageResults.end())
    {
        return;
    }
    MessageResultCallback cb = it->second;
    m_messageResults.erase(it);
    // RFC 3261 section 8.1.3.1: a timeout counts as 408, a transport error as 503.
    uint16_t status = response ? response->GetStatusCode() : failure == "timeout" ? 408 : 503;
    NS_LOG_LOGIC("MESSAGE " << key << " ended " << status << " " << failure);
    if (!cb.IsNull())
    {
        cb(status);
    }
}

PresenceDocument
PresenceAgent::DocumentFor(Ipv4Address requester) const
{
    PresenceDocument doc = m_own;
    doc.timestamp = MakeTimestamp(m_base, Simulator::Now());
    doc.policies = GetOfferedPolicies(requester);
    return doc;
}

void
PresenceAgent::SendWatcherNotify(const std::string& key)
{
    auto it = m_watchers.find(key);
    if (it == m_watchers.end())
    {
        return;
    }
    Watcher& w = it->second;
    if (w.inFlight)
    {
        w.pending = true; // RFC 6665 section 4.2.2: one NOTIFY at a time per dialog
        return;
    }
    PresenceDocument doc = DocumentFor(w.requester);
    SipSubscriptionState state;
    if (w.terminating)
    {
        state = SipSubscriptionState::Terminated(w.terminateReason);
        w.terminalSent = true;
    }
    else
    {
        Time left = w.expiresAt - Simulator::Now();
        state = SipSubscriptionState::Active(
            static_cast<uint32_t>(std::max(0.0, std::ceil(left.GetSeconds()))));
    }
    Ipv4Address local = LocalAddressFor(w.target);
    SipRequestParams p;
    p.localUri = m_aor;
    p.remoteUri = w.remoteUri;
    p.requestUri = w.remoteTarget;
    p.contactUri = ContactUri(local);
    std::ostringstream host;
    host << local;
    p.sentByHost = host.str();
    p.sentByPort = m_port;
    p.branch = m_builder.GetIdGenerator().NewBranch();
    p.callId = w.callId;
    p.localTag = w.localTag;
    p.remoteTag = w.remoteTag;
    p.cseq = ++w.cseq;
    p.eventId = w.eventId;
    std::string body = PidfCodec::Encode(doc);
    SipMessage notify = m_builder.Notify(p, state, body);
    bool tcp = notify.Serialize().size() > m_tcpThreshold;
    if (tcp)
    {
        p.transport = "TCP";
        notify = m_builder.Notify(p, state, body);
    }
    w.inFlight = true;
    w.pending = false;
    w.sentOnce = true;
    w.lastSent = Comparable(doc);
    StartClientTx(notify, w.target, w.targetPort, tcp, TxKind::NOTIFY, key);
}

void
PresenceAgent::OnNotifyResult(const std::string& key,
                              const SipMessage* response,
                              const std::string& failure)
{
    auto it = m_watchers.find(key);
    if (it == m_watchers.end())
    {
        return;
    }
    Watcher& w = it->second;
    w.inFlight = false;
    if (!response || response->GetStatusCode() >= 300)
    {
        // RFC 6665 section 4.2.2: a NOTIFY that fails ends the subscription.
        NS_LOG_INFO("node " << GetNode()->GetId() << ": NOTIFY to " << w.target << " failed ("
                            << (response ? std::to_string(response->GetStatusCode()) : failure)
                            << "), subscription removed");
        RemoveWatcher(key);
        return;
    }
    if (w.terminalSent)
    {
        RemoveWatcher(key);
        return;
    }
    if (w.pending)
    {
        w.pending = false;
        if (w.terminating || Comparable(DocumentFor(w.requester)) != w.lastSent)
        {
            SendWatcherNotify(key);
        }
    }
}

void
PresenceAgent::AbandonNotify(const std::string& key)
{
    for (auto it = m_clientTx.begin(); it != m_clientTx.end(); ++it)
    {
        ClientTx& t = it->second;
        bool waiting = t.tx.GetState() == SipClientTransaction::State::TRYING ||
                       t.tx.GetState() == SipClientTransaction::State::PROCEEDING;
        if (t.kind == TxKind::NOTIFY && t.owner == key && waiting)
        {
            NS_LOG_INFO("node " << GetNode()->GetId() << ": NOTIFY to " << t.peer
                                << " abandoned, the subscriber moved");
            t.timerE.Cancel();
            t.timerF.Cancel();
            t.timerK.Cancel();
            Ptr<Socket> tcp = t.tcp;
            m_clientTx.erase(it);
            if (tcp)
            {
                CloseTcp(tcp);
            }
            break;
        }
    }
    auto w = m_watchers.find(key);
    if (w != m_watchers.end())
    {
        w->second.inFlight = false;
    }
}

void
PresenceAgent::ExpireWatcher(std::string key)
{
    auto it = m_watchers.find(key);
    if (it == m_watchers.end() || it->second.terminating)
    {
        return;
    }
    NS_LOG_INFO("node " << GetNode()->GetId() << ": subscription " << key << " expired");
    it->second.terminating = true;
    it->second.terminateReason = "timeout";
    SendWatcherNotify(key);
}

void
PresenceAgent::RemoveWatcher(const std::string& key)
{
    auto it = m_watchers.find(key);
    if (it == m_watchers.end())
    {
        return;
    }
    it->second.expiryEvent.Cancel();
    bool announced = it->second.announced;
    Ipv4Address requester = it->second.requester;
    std::string reason =
        it->second.terminateReason.empty() ? "NOTIFY failed" : it->second.terminateReason;
    m_watchers.erase(it);
    if (announced && !m_watcherEnded.IsNull())
    {
        m_watcherEnded(requester, reason);
    }
}

void
PresenceAgent::NotifyWatchers()
{
    if (m_ownAddresses.empty())
    {
        // No address, no route: nothing could be sent. The watchers are told once an address
        // is back (their last NOTIFY is compared with the presence then).
        return;
    }
    std::vector<std::string> keys;
    for (const auto& [key, w] : m_watchers)
    {
        if (!w.terminating && w.sentOnce)
        {
            keys.push_back(key);
        }
    }
    for (const auto& key : keys)
    {
        auto it = m_watchers.find(key);
        if (it == m_watchers.end())
        {
            continue;
        }
        if (Comparable(DocumentFor(it->second.requester)) != it->second.lastSent)
        {
            SendWatcherNotify(key);
        }
    }
}

void
PresenceAgent::SetPolicyChanged()
{
    NS_LOG_FUNCTION(this);
    if (m_running)
    {
        NotifyWatchers();
    }
}

// ---------------------------------------------------------------------------------------------
// The offered policy

bool
PresenceAgent::IsOurUri(const std::string& uri) const
{
    size_t colon = uri.find(':');
    std::string scheme = Lower(uri.substr(0, colon));
    if (colon == std::string::npos || (scheme != "sip" && scheme != "sips" && scheme != "pres"))
    {
        return false;
    }
    std::string rest = uri.substr(colon + 1);
    rest = rest.substr(0, rest.find_first_of(";?"));
    size_t at = rest.rfind('@');
    std::string user = at == std::string::npos ? "" : rest.substr(0, at);
    std::string host = at == std::string::npos ? rest : rest.substr(at + 1);
    host = host.substr(0, host.find(':'));
    Ipv4Address address;
    if (ParseIpv4Address(host, address))
    {
        std::vector<Ipv4Address> own = CollectAddresses();
        return (user.empty() || user == m_userPart) &&
               std::find(own.begin(), own.end(), address) != own.end();
    }
    std::string aor = m_aor.substr(m_aor.find(':') + 1);
    size_t aorAt = aor.rfind('@');
    std::string domain = aorAt == std::string::npos ? aor : aor.substr(aorAt + 1);
    return user == m_userPart && Lower(host) == Lower(domain);
}

bool
PresenceAgent::IsSignallingExemption(const SecurityPolicy& e) const
{
    if (e.action != PolicyAction::NONE)
    {
        return false;
    }
    for (const AddressRange* r : {&e.source, &e.destination})
    {
        if (r->port &&
            (*r->port == m_port || *r->port == 5060 || *r->port == 500 || *r->port == 4500))
        {
            return true;
        }
    }
    return false;
}

std::vector<SecurityPolicy>
PresenceAgent::GetOfferedPolicies(Ipv4Address requester) const
{
    std::vector<SecurityPolicy> out;
    Ptr<SecurityPolicyDatabase> spd = GetSecurityPolicyDatabase();
    if (!spd)
    {
        return out;
    }
    Ipv4Address local = LocalAddressFor(requester);
    for (PolicyDirection dir : {PolicyDirection::OUT, PolicyDirection::IN})
    {
        bool found = false;
        for (const auto& e : spd->GetEntries(dir))
        {
            const AddressRange& peerSide = dir == PolicyDirection::OUT ? e.destination : e.source;
            if (peerSide.IsHost() && peerSide.address == requester)
            {
                out.push_back(e);
                found = true;
            }
        }
        if (found)
        {
            continue;
        }
        // The default: what the SPD applies to traffic between the two hosts.
        SecurityPolicy between;
        between.source = AddressRange::Host(dir == PolicyDirection::OUT ? local : requester);
        between.destination = AddressRange::Host(dir == PolicyDirection::OUT ? requester : local);
        between.direction = dir;
        bool decided = false;
        for (const auto& e : spd->GetEntries(dir))
        {
            if (!PolicySet::Overlap(e, between) || IsSignallingExemption(e))
            {
                continue;
            }
            SecurityPolicy p = e;
            for (auto [range, host] : {std::pair{&p.source, &between.source},
                                       std::pair{&p.destination, &between.destination}})
            {
                range->address = host->address;
                range->prefixLength = 32;
                range->prefixWritten = false;
            }
            p.priority.reset();
            out.push_back(p);
            if (PolicySet::Covers(e, between))
            {
                decided = true; // nothing after it is ever consulted for these two hosts
                break;
            }
        }
        if (decided)
        {
            continue;
        }
        SecurityPolicy p = between;
        if (auto fallback = spd->GetDefaultPolicy(dir))
        {
            p.action = fallback->action;
            p.requests = fallback->requests;
        }
        else
        {
            p.action = spd->GetNoMatchAction();
        }
        out.push_back(p);
    }
    return out;
}

void
PresenceAgent::ConnectSpd()
{
    Ptr<SecurityPolicyDatabase> spd = GetSecurityPolicyDatabase();
    if (spd == m_spdConnected)
    {
        return;
    }
    DisconnectSpd();
    if (spd)
    {
        spd->TraceConnectWithoutContext("PolicyAdded",
                                        MakeCallback(&PresenceAgent::OnSpdChanged, this));
        spd->TraceConnectWithoutContext("PolicyRemoved",
                                        MakeCallback(&PresenceAgent::OnSpdChanged, this));
        m_spdConnected = spd;
    }
}

void
PresenceAgent::DisconnectSpd()
{
    if (m_spdConnected)
    {
        m_spdConnected->TraceDisconnectWithoutContext(
            "PolicyAdded",
            MakeCallback(&PresenceAgent::OnSpdChanged, this));
        m_spdConnected->TraceDisconnectWithoutContext(
            "PolicyRemoved",
            MakeCallback(&PresenceAgent::OnSpdChanged, this));
        m_spdConnected = nullptr;
    }
}

void
PresenceAgent::OnSpdChanged(const SecurityPolicy& /* policy */, uint64_t /* id */)
{
    ScheduleWatcherCheck();
}

void
PresenceAgent::ScheduleWatcherCheck()
{
    if (m_running && !m_watcherCheckEvent.IsRunning())
    {
        // Several entries are usually added at once: one check at the end of the instant.
        m_watcherCheckEvent = Simulator::ScheduleNow(&PresenceAgent::NotifyWatchers, this);
    }
}

// ---------------------------------------------------------------------------------------------
// Own presence

void
PresenceAgent::NotifyAddressChanged()
{
    NS_LOG_FUNCTION(this);
    ScheduleOwnUpdate();
}

void
PresenceAgent::OnDhcpEvent(const Ipv4Address& address)
{
    NS_LOG_FUNCTION(this << address);
    ScheduleOwnUpdate();
}

void
PresenceAgent::ScheduleOwnUpdate()
{
    if (m_running && !m_ownUpdateEvent.IsRunning())
    {
        // A move is usually a RemoveAddress and an AddAddress: judge once, after both.
        m_ownUpdateEvent = Simulator::ScheduleNow(&PresenceAgent::UpdateOwnPresence, this);
    }
}

void
PresenceAgent::PollAddresses()
{
    if (!m_running)
    {
        return;
    }
    if (CollectAddresses() != m_ownAddresses)
    {
        UpdateOwnPresence();
    }
    m_pollEvent = Simulator::Schedule(m_pollInterval, &PresenceAgent::PollAddresses, this);
}

void
PresenceAgent::SetLocation(const std::string& label, std::optional<PlaceType> placeType)
{
    NS_LOG_FUNCTION(this << label);
    m_locationOverride = std::make_pair(label, placeType ? placeType : PlaceTypeFromToken(label));
    if (m_running)
    {
        UpdateOwnPresence();
    }
}

void
PresenceAgent::ClearLocation()
{
    NS_LOG_FUNCTION(this);
    m_locationOverride.reset();
    if (m_running)
    {
        UpdateOwnPresence();
    }
}

std::vector<Ipv4Address>
PresenceAgent::CollectAddresses() const
{
    std::vector<Ipv4Address> out;
    Ptr<Ipv4> ipv4 = GetNode()->GetObject<Ipv4>();
    if (!ipv4)
    {
        return out;
    }
    for (uint32_t i = 0; i < ipv4->GetNInterfaces(); ++i)
    {
        if (!ipv4->IsUp(i))
        {
            continue;
        }
        for (uint32_t j = 0; j < ipv4->GetNAddresses(i); ++j)
        {
            Ipv4Address a = ipv4->GetAddress(i, j).GetLocal();
            if (a.IsLocalhost() || a == Ipv4Address::GetAny() || a.IsBroadcast() ||
                (a.Get() >> 24) == 127)
            {
                continue;
            }
            out.push_back(a);
        }
    }
    return out;
}

void
PresenceAgent::UpdateOwnPresence()
{
    NS_LOG_FUNCTION(this);
    std::vector<Ipv4Address> addrs = CollectAddresses();
    if (m_ownKnown && addrs != m_ownAddresses && m_locationOverride)
    {
        NS_LOG_INFO("node " << GetNode()->GetId() << " moved: manual location '"
                            << m_locationOverride->first << "' dropped");
        m_locationOverride.reset();
    }
    PresenceDocument doc;
    doc.entity = GetEntity();
    doc.basic = addrs.empty() ? BasicStatus::CLOSED : BasicStatus::OPEN;
    doc.addresses = addrs;
    doc.user = m_userName;
    if (!addrs.empty())
    {
        doc.contact = ContactUri(addrs.front());
    }
    if (m_locationOverride)
    {
        doc.location = m_locationOverride->first;
        doc.placeType = m_locationOverride->second;
    }
    else if (!addrs.empty())
    {
        LocationClass c = m_classifier.Classify(addrs.front());
        doc.location = c.label;
        if (c.placeType != PlaceType::UNKNOWN)
        {
            doc.placeType = c.placeType;
        }
    }
    bool changed = !m_ownKnown || doc != m_own;
    bool first = !m_ownKnown;
    m_own = doc;
    m_ownAddresses = addrs;
    m_ownKnown = true;
    PresenceDocument stored = doc;
    stored.timestamp = MakeTimestamp(m_base, Simulator::Now());
    m_db->SetOwn(stored, addrs.empty() ? Ipv4Address() : addrs.front());
    if (!changed)
    {
        return;
    }
    NS_LOG_INFO("node " << GetNode()->GetId() << ": own presence " << doc);
    if (!first)
    {
        ++m_stats.ownPresenceChanges;
    }
    m_presenceChangedTrace(stored);
    if (!first && !addrs.empty())
    {
        // Refresh first: the notifiers then learn our new address before our NOTIFYs reach
        // them, and answer at the new address.
        RefreshMovedSubscriptions();
    }
    NotifyWatchers();
}

Ipv4Address
PresenceAgent::LocalAddressFor(Ipv4Address peer) const
{
    Ptr<Ipv4> ipv4 = GetNode()->GetObject<Ipv4>();
    if (ipv4 && ipv4->GetRoutingProtocol())
    {
        Ipv4Header h;
        h.SetDestination(peer);
        h.SetProtocol(17);
        Socket::SocketErrno err;
        Ptr<Ipv4Route> route =
            ipv4->GetRoutingProtocol()->RouteOutput(Create<Packet>(), h, nullptr, err);
        if (route && route->GetSource() != Ipv4Address::GetAny())
        {
            return route->GetSource();
        }
    }
    std::vector<Ipv4Address> addrs = CollectAddresses();
    return addrs.empty() ? Ipv4Address::GetAny() : addrs.front();
}

std::string
PresenceAgent::ContactUri(Ipv4Address local) const
{
    return HostUri(local, m_port, m_userPart);
}

// ---------------------------------------------------------------------------------------------
// TCP (RFC 3261 section 18: stream framing by Content-Length)

Ptr<Socket>
PresenceAgent::OpenTcp(Ipv4Address peer, uint16_t port)
{
    NS_LOG_FUNCTION(this << peer << port);
    Ptr<Socket> s = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
    s->Bind();
    s->SetConnectCallback(MakeCallback(&PresenceAgent::TcpConnected, this),
                          MakeCallback(&PresenceAgent::TcpConnectFailed, this));
    s->SetRecvCallback(MakeCallback(&PresenceAgent::HandleTcpRead, this));
    s->SetCloseCallbacks(MakeCallback(&PresenceAgent::TcpNormalClose, this),
                         MakeCallback(&PresenceAgent::TcpErrorClose, this));
    s->SetSendCallback(MakeCallback(&PresenceAgent::TcpSendReady, this));
    TcpConnection c;
    c.peer = peer;
    c.port = port;
    m_tcp[s] = c;
    s->Connect(InetSocketAddress(peer, port));
    return s;
}

void
PresenceAgent::TcpSend(Ptr<Socket> socket, const std::string& data)
{
    auto it = m_tcp.find(socket);
    if (it == m_tcp.end())
    {
        return;
    }
    it->second.tx += data;
    FlushTcp(socket);
}

void
PresenceAgent::FlushTcp(Ptr<Socket> socket)
{
    auto it = m_tcp.find(socket);
    if (it == m_tcp.end() || !it->second.connected)
    {
        return;
    }
    std::string& tx = it->second.tx;
    while (!tx.empty())
    {
        uint32_t n = std::min<uint32_t>(tx.size(), socket->GetTxAvailable());
        if (n == 0)
        {
            break; // TcpSendReady continues
        }
        int sent = socket->Send(Create<Packet>(reinterpret_cast<const uint8_t*>(tx.data()), n), 0);
        if (sent <= 0)
        {
            break;
        }
        tx.erase(0, sent);
    }
}

void
PresenceAgent::CloseTcp(Ptr<Socket> socket)
{
    auto it = m_tcp.find(socket);
    if (it == m_tcp.end())
    {
        return;
    }
    it->second.idle.Cancel();
    m_tcp.erase(it);
    socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
    socket->SetCloseCallbacks(MakeNullCallback<void, Ptr<Socket>>(),
                              MakeNullCallback<void, Ptr<Socket>>());
    socket->SetConnectCallback(MakeNullCallback<void, Ptr<Socket>>(),
                               MakeNullCallback<void, Ptr<Socket>>());
    socket->SetSendCallback(MakeNullCallback<void, Ptr<Socket>, uint32_t>());
    // Not from inside the socket's own callback chain.
    Simulator::ScheduleNow([socket]() { socket->Close(); });
}

bool
PresenceAgent::AcceptTcp(Ptr<Socket> /* socket */, const Address& /* from */)
{
    return m_running;
}

void
PresenceAgent::ArmTcpIdle(Ptr<Socket> socket)
{
    auto it = m_tcp.find(socket);
    if (it == m_tcp.end() || m_tcpIdleTimeout.IsZero())
    {
        return;
    }
    it->second.idle.Cancel();
    it->second.idle = Simulator::Schedule(m_tcpIdleTimeout, [this, socket]() {
        auto at = m_tcp.find(socket);
        if (at == m_tcp.end())
        {
            return;
        }
        NS_LOG_INFO("node " << GetNode()->GetId() << ": TCP connection from " << at->second.peer
                            << " idle for " << m_tcpIdleTimeout.As(Time::S) << ", closed");
        ++m_stats.tcpIdleClosed;
        CloseTcp(socket);
    });
}

void
PresenceAgent::NewTcp(Ptr<Socket> socket, const Address& from)
{
    NS_LOG_FUNCTION(this << socket << from);
    TcpConnection c;
    c.connected = true;
    if (InetSocketAddress::IsMatchingType(from))
    {
        c.peer = InetSocketAddress::ConvertFrom(from).GetIpv4();
        c.port = InetSocketAddress::ConvertFrom(from).GetPort();
    }
    m_tcp[socket] = c;
    socket->SetRecvCallback(MakeCallback(&PresenceAgent::HandleTcpRead, this));
    socket->SetCloseCallbacks(MakeCallback(&PresenceAgent::TcpNormalClose, this),
                              MakeCallback(&PresenceAgent::TcpErrorClose, this));
    socket->SetSendCallback(MakeCallback(&PresenceAgent::TcpSendReady, this));
    ArmTcpIdle(socket);
}

void
PresenceAgent::TcpConnected(Ptr<Socket> socket)
{
    NS_LOG_FUNCTION(this << socket);
    auto it = m_tcp.find(socket);
    if (it == m_tcp.end())
    {
        return;
    }
    it->second.connected = true;
    FlushTcp(socket);
}

void
PresenceAgent::TcpConnectFailed(Ptr<Socket> socket)
{
    TcpFailure(socket, "TCP connection failed");
}

void
PresenceAgent::TcpSendReady(Ptr<Socket> socket, uint32_t /* available */)
{
    FlushTcp(socket);
}

void
PresenceAgent::TcpNormalClose(Ptr<Socket> socket)
{
    NS_LOG_FUNCTION(this << socket);
    if (m_tcp.count(socket) != 0)
    {
        TcpFailure(socket, "TCP connection closed by the peer");
        socket->Close();
    }
}

void
PresenceAgent::TcpErrorClose(Ptr<Socket> socket)
{
    TcpFailure(socket, "TCP connection reset");
}

void
PresenceAgent::TcpFailure(Ptr<Socket> socket, const std::string& reason)
{
    NS_LOG_FUNCTION(this << socket << reason);
    m_tcp.erase(socket);
    std::vector<std::string> failed;
    for (auto& [key, t] : m_clientTx)
    {
        bool waiting = t.tx.GetState() == SipClientTransaction::State::TRYING ||
                       t.tx.GetState() == SipClientTransaction::State::PROCEEDING;
        if (t.tcp == socket && waiting)
        {
            failed.push_back(key);
        }
    }
    for (const auto& key : failed)
    {
        auto it = m_clientTx.find(key);
        if (it == m_clientTx.end())
        {
            continue;
        }
        it->second.tcp = nullptr; // already gone
        ++m_stats.transportErrors;
        // RFC 3261 section 8.1.3.1: a transport error is treated as a 503.
        FinishClientTx(key, nullptr, "transport error: " + reason);
    }
}

void
PresenceAgent::HandleTcpRead(Ptr<Socket> socket)
{
    auto it = m_tcp.find(socket);
    Ptr<Packet> p;
    while ((p = socket->Recv()))
    {
        if (it == m_tcp.end() || p->GetSize() == 0)
        {
            continue;
        }
        std::string chunk(p->GetSize(), '\0');
        p->CopyData(reinterpret_cast<uint8_t*>(&chunk[0]), p->GetSize());
        it->second.rx += chunk;
    }
    if (it != m_tcp.end())
    {
        ArmTcpIdle(socket);
        FrameTcp(socket);
    }
}

void
PresenceAgent::FrameTcp(Ptr<Socket> socket)
{
    while (true)
    {
        auto it = m_tcp.find(socket);
        if (it == m_tcp.end() || !m_running)
        {
            return;
        }
        std::string& rx = it->second.rx;
        Origin origin{it->second.peer, it->second.port, socket};
        size_t start = rx.find_first_not_of("\r\n");
        if (start == std::string::npos)
        {
            rx.clear();
            return;
        }
        rx.erase(0, start);
        size_t crlf = rx.find("\r\n\r\n");
        size_t lf = rx.find("\n\n");
        size_t end = std::min(crlf, lf);
        size_t sepLen = end == crlf ? 4 : 2;
        if (end == std::string::npos)
        {
            if (rx.size() > m_maxMessageSize)
            {
                Bad(rx.substr(0, 256), origin, TOO_LARGE_REASON, "header section too long", 0);
                CloseTcp(socket);
            }
            return;
        }
        int64_t length = FindContentLength(rx.substr(0, end));
        if (length == -2)
        {
            // Framing lost: answer if possible and drop the connection.
            std::string text = rx.substr(0, end + sepLen);
            auto best = SipParser::ParseBestEffort(text);
            uint16_t status = 0;
            if (best && best->IsRequest() && SipBuilder::CanAnswer(*best))
            {
                status = 400;
                SipMessage response =
                    m_builder.Error(*best, 400, "Malformed or Duplicate Content-Length");
                SendResponse(*best, response, origin);
            }
            Bad(text, origin, TCP_FRAMING_REASON, "malformed Content-Length on TCP", status);
            CloseTcp(socket);
            return;
        }
        size_t total = end + sepLen + static_cast<size_t>(std::max<int64_t>(length, 0));
        if (total > m_maxMessageSize)
        {
            std::string text = rx.substr(0, end + sepLen);
            auto best = SipParser::ParseBestEffort(text);
            uint16_t status = 0;
            if (best && best->IsRequest() && SipBuilder::CanAnswer(*best))
            {
                status = 513;
                SendResponse(*best, m_builder.Error(*best, 513), origin);
            }
            Bad(text,
                origin,
                TOO_LARGE_REASON,
                std::to_string(total) + " bytes announced on TCP",
                status);
            CloseTcp(socket);
            return;
        }
        if (rx.size() < total)
        {
            return; // wait for the rest
        }
        std::string message = rx.substr(0, total);
        rx.erase(0, total);
        HandleMessage(message, origin);
    }
}

} // namespace ns3
