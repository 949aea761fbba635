/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "presence-notifier.h"

#include "notification-filter.h"
#include "pidf-codec.h"
#include "simple-filter-codec.h"
#include "sip-parser.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/policy-set.h"
#include "ns3/simulator.h"
#include "ns3/text-util.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace ns3
{

using text::Lower;
using text::Trim;

NS_LOG_COMPONENT_DEFINE("PresenceNotifier");

namespace
{

/// A document without the parts that change on every evaluation (the timestamp).
PresenceDocument
Comparable(PresenceDocument d)
{
    d.timestamp.clear();
    return d;
}

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

PresenceNotifier::PresenceNotifier(SipTransactionLayer* transactions,
                                   SipBuilder* builder,
                                   PresenceEndpoint* endpoint)
    : PresenceTransactionUser(transactions, builder, endpoint, m_stats.badMessages)
{
    NS_LOG_FUNCTION(this);
}

void
PresenceNotifier::Configure(uint32_t defaultExpires,
                            uint32_t maxExpires,
                            Time minNotifyInterval,
                            uint32_t maxWatchers)
{
    m_defaultExpires = defaultExpires;
    m_maxExpires = maxExpires;
    m_minNotifyInterval = minNotifyInterval;
    m_maxWatchers = maxWatchers;
}

void
PresenceNotifier::Start()
{
    NS_LOG_FUNCTION(this);
    m_running = true;
    ConnectSpd();
}

void
PresenceNotifier::Stop()
{
    NS_LOG_FUNCTION(this);
    m_running = false;
    for (auto& [key, w] : m_watchers)
    {
        w.expiryEvent.Cancel();
        w.throttleEvent.Cancel();
    }
    m_watchers.clear();
    m_checkEvent.Cancel();
    DisconnectSpd();
}

void
PresenceNotifier::Dispose()
{
    DisconnectSpd();
    m_authorize = AuthorizationCallback();
    m_subscriber = SubscriberCallback();
    m_watcherEnded = WatcherEndedCallback();
}

void
PresenceNotifier::SetAuthorizationCallback(AuthorizationCallback cb)
{
    m_authorize = cb;
}

void
PresenceNotifier::SetSubscriberCallback(SubscriberCallback cb)
{
    m_subscriber = cb;
}

void
PresenceNotifier::SetWatcherEndedCallback(WatcherEndedCallback cb)
{
    m_watcherEnded = cb;
}

size_t
PresenceNotifier::GetNWatchers() const
{
    return m_watchers.size();
}

size_t
PresenceNotifier::CountSubscriptions() const
{
    return std::count_if(m_watchers.begin(), m_watchers.end(), [](const auto& kv) {
        return !kv.second.terminating;
    });
}

const PresenceNotifier::Stats&
PresenceNotifier::GetStats() const
{
    return m_stats;
}

// ---------------------------------------------------------------------------------------------
// Who may subscribe

void
PresenceNotifier::SetAllowedSubscribers(const std::string& text)
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
PresenceNotifier::GetAllowedSubscribers() const
{
    return m_allowedText;
}

bool
PresenceNotifier::IsAllowed(Ipv4Address address, const std::string& uri) const
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

// ---------------------------------------------------------------------------------------------
// SUBSCRIBE

void
PresenceNotifier::ReceiveSubscribe(const SipMessage& request, const SipOrigin& origin)
{
    NS_LOG_FUNCTION(this << origin.address);
    if (auto e = SipParser::CheckAccept(request))
    {
        SipMessage response = m_builder->Error(request, *e);
        Drop(request.Serialize(), origin, SipDropReason::NOT_ACCEPTABLE, e->ToString(), e->status);
        m_transactions->SendResponse(request, response, origin);
        return;
    }
    std::shared_ptr<const SimpleFilterSet> filter;
    if (!ReadFilter(request, origin, filter))
    {
        return;
    }
    SipNameAddr from = *request.GetFrom();
    uint32_t expires = std::min(request.GetExpires().value_or(m_defaultExpires), m_maxExpires);
    Ipv4Address target = origin.address;
    uint16_t targetPort = origin.port;
    {
        Ipv4Address a;
        uint16_t port;
        if (PresenceEndpoint::ParseSipTarget(request.GetContact()->uri, a, port))
        {
            target = a;
            targetPort = port;
        }
    }
    if (!request.GetTo()->GetTag().empty())
    {
        RefreshWatcher(request, origin, expires, target, targetPort, filter);
        return;
    }
    if (!IsAllowed(origin.address, from.uri) ||
        (!m_authorize.IsNull() && !m_authorize(origin.address, from.uri)))
    {
        ++m_stats.subscriptionsRefused;
        m_transactions->SendResponse(request, m_builder->Error(request, 403), origin);
        return;
    }
    if (expires > 0 && CountSubscriptions() >= m_maxWatchers)
    {
        // RFC 3261 section 21.5.4: overloaded; Retry-After (section 20.33) says when to ask
        // again. A fetch costs no lasting state and is still answered.
        NS_LOG_INFO("subscription from " << origin.address << " refused: " << m_maxWatchers
                                         << " watchers held");
        ++m_stats.subscriptionsOverCap;
        SipMessage response = m_builder->Error(request, 503);
        response.SetHeader("Retry-After", std::to_string(OVER_CAP_RETRY_AFTER));
        m_transactions->SendResponse(request, response, origin);
        return;
    }
    Ipv4Address local = m_endpoint->LocalAddressFor(origin.address);
    Watcher w;
    w.callId = *request.GetCallId();
    w.localTag = m_builder->GetIdGenerator().NewTag();
    w.remoteTag = from.GetTag();
    w.remoteUri = from.uri;
    w.remoteTarget = request.GetContact()->uri;
    w.eventId = request.GetEvent()->GetId();
    w.remoteCseq = request.GetCSeq()->number;
    w.requester = origin.address;
    w.target = target;
    w.targetPort = targetPort;
    w.filter = filter;
    w.resourceUri = request.GetTo()->uri;
    m_stats.filteredSubscriptions += filter ? 1 : 0;
    std::string key = w.callId + "|" + w.localTag + "|" + w.remoteTag;
    SipMessage response = m_builder->Ok(request, m_endpoint->ContactUri(local), w.localTag);
    response.SetExpires(expires);
    m_transactions->SendResponse(request, response, origin);
    ArmExpiry(w, key, expires);
    m_watchers.emplace(key, std::move(w));
    NS_LOG_INFO((expires == 0 ? "fetch" : "subscription")
                << " from " << origin.address << " (" << from.uri << ")");
    SendNotify(key);
    if (expires > 0 && !m_subscriber.IsNull())
    {
        if (auto it = m_watchers.find(key); it != m_watchers.end())
        {
            it->second.announced = true;
        }
        m_subscriber(origin.address, from.uri); // a fetch is answered and nothing else
    }
}

void
PresenceNotifier::RefreshWatcher(const SipMessage& request,
                                 const SipOrigin& origin,
                                 uint32_t expires,
                                 Ipv4Address target,
                                 uint16_t targetPort,
                                 std::shared_ptr<const SimpleFilterSet> filter)
{
    std::string callId = *request.GetCallId();
    std::string key = callId + "|" + request.GetTo()->GetTag() + "|" + request.GetFrom()->GetTag();
    auto it = m_watchers.find(key);
    if (it == m_watchers.end() || it->second.terminating)
    {
        SipMessage response = m_builder->Error(request, 481);
        Drop(request.Serialize(),
             origin,
             SipDropReason::NO_SUBSCRIPTION,
             "SUBSCRIBE for unknown dialog " + callId,
             481);
        m_transactions->SendResponse(request, response, origin);
        return;
    }
    Watcher& w = it->second;
    std::optional<uint32_t> last = w.remoteCseq;
    if (!m_transactions->AcceptInDialogCSeq(request, origin, last))
    {
        return;
    }
    w.remoteCseq = *last;
    if (w.inFlight && (target != w.target || targetPort != w.targetPort))
    {
        // The NOTIFY in flight goes to where the subscriber was: drop it rather than let it
        // time out and end the subscription.
        NS_LOG_INFO("NOTIFY to " << w.target << " abandoned, the subscriber moved");
        m_transactions->Abandon(this, key);
        w.inFlight = false;
    }
    w.requester = origin.address;
    w.target = target;
    w.targetPort = targetPort;
    w.remoteTarget = request.GetContact()->uri;
    if (filter)
    {
        w.filter = filter; // RFC 4660 section 3.2: a refresh without a body keeps the filter
    }
    Ipv4Address local = m_endpoint->LocalAddressFor(origin.address);
    SipMessage response = m_builder->Ok(request, m_endpoint->ContactUri(local));
    response.SetExpires(expires);
    m_transactions->SendResponse(request, response, origin);
    w.expiryEvent.Cancel();
    ArmExpiry(w, key, expires);
    // RFC 6665 section 4.2.1.2: a successful refresh is followed by a NOTIFY.
    SendNotify(key);
}

void
PresenceNotifier::ArmExpiry(Watcher& w, const std::string& key, uint32_t expires)
{
    if (expires == 0)
    {
        w.terminating = true;
        w.terminateReason = "timeout";
    }
    else
    {
        w.expiresAt = Simulator::Now() + Seconds(expires);
        w.expiryEvent =
            Simulator::Schedule(Seconds(expires), &PresenceNotifier::ExpireWatcher, this, key);
    }
}

// ---------------------------------------------------------------------------------------------
// NOTIFY

bool
PresenceNotifier::ReadFilter(const SipMessage& request,
                             const SipOrigin& origin,
                             std::shared_ptr<const SimpleFilterSet>& filter)
{
    if (request.GetBody().empty())
    {
        return true;
    }
    auto refuse = [&](const char* reason, const std::string& detail, uint16_t status) {
        SipMessage response = m_builder->Error(request, status);
        if (status == 415)
        {
            response.SetHeader("Accept", SimpleFilterCodec::CONTENT_TYPE);
        }
        Drop(request.Serialize(), origin, reason, detail, status);
        m_transactions->SendResponse(request, response, origin);
        return false;
    };
    if (auto e = SipParser::CheckBody(request, SimpleFilterCodec::CONTENT_TYPE))
    {
        return refuse(e->status == 415 ? SipDropReason::UNSUPPORTED_MEDIA : SipDropReason::BAD_BODY,
                      e->ToString(),
                      e->status);
    }
    auto decoded = SimpleFilterCodec::Decode(request.GetBody());
    if (!decoded)
    {
        return refuse(SipDropReason::BAD_FILTER, decoded.Describe(), 400);
    }
    // RFC 4660 section 3.2: a filter the notifier cannot apply is refused with 488.
    if (std::string why = NotificationFilter::CheckSupported(decoded.GetValue()); !why.empty())
    {
        return refuse(SipDropReason::UNSUPPORTED_FILTER, why, 488);
    }
    filter = std::make_shared<const SimpleFilterSet>(decoded.TakeValue());
    return true;
}

PresenceDocument
PresenceNotifier::DocumentFor(const Watcher& w) const
{
    PresenceDocument doc = m_endpoint->GetStampedPresence();
    doc.policies = GetOfferedPolicies(w.requester);
    if (!w.filter)
    {
        return doc;
    }
    auto filtered = NotificationFilter::Apply(*w.filter, PidfCodec::Encode(doc), w.resourceUri);
    auto decoded = filtered ? PidfCodec::Decode(filtered.GetValue())
                            : ParseResult<PresenceDocument>::Fail(filtered.GetError());
    if (decoded)
    {
        return decoded.TakeValue();
    }
    // The filter leaves what presec's PIDF profile cannot carry (say, a place type without
    // its value): send only what PIDF requires rather than anything the filter took away.
    NS_LOG_WARN("filter of " << w.remoteUri << " leaves no presec document (" << decoded.GetError()
                             << "): only the status is sent");
    PresenceDocument minimal;
    minimal.entity = doc.entity;
    minimal.tupleId = doc.tupleId;
    minimal.basic = doc.basic;
    minimal.timestamp = doc.timestamp;
    return minimal;
}

void
PresenceNotifier::SendNotify(const std::string& key)
{
    auto it = m_watchers.find(key);
    if (it == m_watchers.end())
    {
        return;
    }
    Watcher& w = it->second;
    w.throttleEvent.Cancel(); // this NOTIFY (or the pending one) carries the latest state
    if (w.inFlight)
    {
        w.pending = true; // RFC 6665 section 4.2.2: one NOTIFY at a time per dialog
        w.pendingAtOnce = true;
        return;
    }
    PresenceDocument doc = DocumentFor(w);
    SipSubscriptionState state;
    if (w.terminating)
    {
        state = SipSubscriptionState::Terminated(w.terminateReason);
        w.terminalSent = true;
    }
    else
    {
        Time left = w.expiresAt - Simulator::Now();
        // Rounded down: rounding up promised the subscriber time we do not hold, and its
        // refresh at 0.9 of that came after the subscription had ended.
        state = SipSubscriptionState::Active(
            static_cast<uint32_t>(std::max(0.0, std::floor(left.GetSeconds()))));
    }
    SipRequestParams p = m_endpoint->NewRequestParams(m_endpoint->LocalAddressFor(w.target));
    p.remoteUri = w.remoteUri;
    p.requestUri = w.remoteTarget;
    p.callId = w.callId;
    p.localTag = w.localTag;
    p.remoteTag = w.remoteTag;
    p.cseq = ++w.cseq;
    p.eventId = w.eventId;
    std::string body = PidfCodec::Encode(doc);
    w.inFlight = true;
    w.pending = false;
    w.pendingAtOnce = false;
    w.sentOnce = true;
    w.lastSent = Comparable(doc);
    w.lastSentAt = Simulator::Now();
    m_transactions->SendRequest(
        p,
        [this, state, body](const SipRequestParams& q) {
            return m_builder->Notify(q, state, body);
        },
        w.target,
        w.targetPort,
        this,
        key);
}

void
PresenceNotifier::ClientTransactionEnded(const std::string& key,
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
        NS_LOG_INFO("NOTIFY to " << w.target << " failed ("
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
        bool atOnce = w.terminating || w.pendingAtOnce;
        w.pending = false;
        w.pendingAtOnce = false;
        if (!atOnce)
        {
            NotifyChange(key);
        }
        else
        {
            // Owed whatever the content: RFC 6665 section 4.2.1.2 (a refresh) or the
            // terminal NOTIFY.
            SendNotify(key);
        }
    }
}

void
PresenceNotifier::NotifyChange(const std::string& key)
{
    auto it = m_watchers.find(key);
    if (it == m_watchers.end())
    {
        return;
    }
    Watcher& w = it->second;
    if (w.inFlight)
    {
        w.pending = true; // decided when the NOTIFY in flight ends
        return;
    }
    PresenceDocument doc = Comparable(DocumentFor(w));
    if (doc == w.lastSent)
    {
        w.throttleEvent.Cancel(); // back to what the watcher knows: nothing to tell
        return;
    }
    if (w.throttleEvent.IsRunning())
    {
        if (doc != w.deferred)
        {
            ++m_stats.notifiesCoalesced; // the waiting NOTIFY carries this one too
            w.deferred = doc;
        }
        return;
    }
    Time due = w.lastSentAt + m_minNotifyInterval;
    if (m_minNotifyInterval.IsStrictlyPositive() && due > Simulator::Now())
    {
        // RFC 3856 section 6.4, RFC 6665 section 4.2.2: not more often than the interval.
        w.deferred = doc;
        w.throttleEvent = Simulator::Schedule(due - Simulator::Now(),
                                              &PresenceNotifier::ThrottleEnded,
                                              this,
                                              key);
        return;
    }
    SendNotify(key);
}

void
PresenceNotifier::ThrottleEnded(std::string key)
{
    auto it = m_watchers.find(key);
    if (it == m_watchers.end() || it->second.terminating || !m_endpoint->HasAddress())
    {
        return; // without an address NotifyWatchers tells the watchers once one is back
    }
    if (Comparable(DocumentFor(it->second)) != it->second.lastSent)
    {
        SendNotify(key);
    }
}

void
PresenceNotifier::ExpireWatcher(std::string key)
{
    auto it = m_watchers.find(key);
    if (it == m_watchers.end() || it->second.terminating)
    {
        return;
    }
    NS_LOG_INFO("subscription " << key << " expired");
    it->second.terminating = true;
    it->second.terminateReason = "timeout";
    SendNotify(key);
}

void
PresenceNotifier::RemoveWatcher(const std::string& key)
{
    auto it = m_watchers.find(key);
    if (it == m_watchers.end())
    {
        return;
    }
    it->second.expiryEvent.Cancel();
    it->second.throttleEvent.Cancel();
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
PresenceNotifier::NotifyWatchers()
{
    if (!m_endpoint->HasAddress())
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
        NotifyChange(key);
    }
}

// ---------------------------------------------------------------------------------------------
// The offered policy

bool
PresenceNotifier::IsSignallingExemption(const SecurityPolicy& e) const
{
    if (e.action != PolicyAction::NONE)
    {
        return false;
    }
    for (const AddressRange* r : {&e.source, &e.destination})
    {
        if (r->port && (*r->port == m_endpoint->GetPort() || *r->port == 5060 || *r->port == 500 ||
                        *r->port == 4500))
        {
            return true;
        }
    }
    return false;
}

std::vector<SecurityPolicy>
PresenceNotifier::GetOfferedPolicies(Ipv4Address requester) const
{
    std::vector<SecurityPolicy> out;
    Ptr<SecurityPolicyDatabase> spd = m_endpoint->GetSecurityPolicyDatabase();
    if (!spd)
    {
        return out;
    }
    Ipv4Address local = m_endpoint->LocalAddressFor(requester);
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
PresenceNotifier::SpdReplaced()
{
    if (m_running)
    {
        ConnectSpd();
        NotifyWatchers();
    }
}

void
PresenceNotifier::ConnectSpd()
{
    Ptr<SecurityPolicyDatabase> spd = m_endpoint->GetSecurityPolicyDatabase();
    if (spd == m_spdConnected)
    {
        return;
    }
    DisconnectSpd();
    if (spd)
    {
        spd->AddEditListener(MakeCallback(&PresenceNotifier::OnSpdEdited, this));
        m_spdConnected = spd;
    }
}

void
PresenceNotifier::DisconnectSpd()
{
    if (m_spdConnected)
    {
        m_spdConnected->RemoveEditListener(MakeCallback(&PresenceNotifier::OnSpdEdited, this));
        m_spdConnected = nullptr;
    }
}

void
PresenceNotifier::OnSpdEdited()
{
    if (m_running && !m_checkEvent.IsRunning())
    {
        // Several entries are usually added at once: one check at the end of the instant (a
        // watcher whose offered policy did not change gets no NOTIFY: NotifyChange compares).
        m_checkEvent = Simulator::ScheduleNow(&PresenceNotifier::NotifyWatchers, this);
    }
}

} // namespace ns3
