/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "presence-subscriber.h"

#include "pidf-codec.h"
#include "simple-filter-codec.h"
#include "sip-parser.h"

#include "ns3/assert.h"
#include "ns3/log.h"
#include "ns3/simulator.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("PresenceSubscriber");

PresenceSubscriber::PresenceSubscriber(SipTransactionLayer* transactions,
                                       SipBuilder* builder,
                                       PresenceEndpoint* endpoint)
    : PresenceTransactionUser(transactions, builder, endpoint, m_stats.badMessages)
{
    NS_LOG_FUNCTION(this);
}

void
PresenceSubscriber::Configure(Time t1, bool refresh)
{
    m_t1 = t1;
    m_refresh = refresh;
}

void
PresenceSubscriber::SetPresenceDatabase(Ptr<PresenceDatabase> db)
{
    m_db = db;
}

size_t
PresenceSubscriber::GetNSubscriptions() const
{
    return m_subscriptions.size();
}

const PresenceSubscriber::Stats&
PresenceSubscriber::GetStats() const
{
    return m_stats;
}

void
PresenceSubscriber::Stop()
{
    NS_LOG_FUNCTION(this);
    for (auto& [key, s] : m_subscriptions)
    {
        s.timerN.Cancel();
        s.expiry.Cancel();
    }
    m_subscriptions.clear();
}

void
PresenceSubscriber::Subscribe(Ipv4Address peer,
                              uint32_t expires,
                              PresenceCallback cb,
                              const SimpleFilterSet& filter)
{
    NS_LOG_FUNCTION(this << peer << expires);
    Subscription s;
    s.peer = peer;
    s.target = peer;
    s.targetPort = m_endpoint->GetPort();
    s.remoteUri = PresenceEndpoint::HostUri(peer, m_endpoint->GetPort());
    s.requestUri = s.remoteUri;
    s.callId = m_builder->GetIdGenerator().NewCallId("");
    s.localTag = m_builder->GetIdGenerator().NewTag();
    s.callback = cb;
    s.expires = expires;
    if (!filter.IsEmpty())
    {
        s.filter = SimpleFilterCodec::Encode(filter);
        ++m_stats.filtersSent;
    }
    std::string key = s.callId + "|" + s.localTag;
    m_subscriptions.emplace(key, s);
    SendSubscribe(key, expires);
    // RFC 6665 Timer N: a NOTIFY must follow within 64*T1 (scheduled after Timer F so a
    // silent peer is reported by Timer F).
    auto it = m_subscriptions.find(key);
    if (it != m_subscriptions.end())
    {
        it->second.timerN =
            Simulator::Schedule(64 * m_t1, &PresenceSubscriber::OnTimerN, this, key);
    }
}

void
PresenceSubscriber::SendSubscribe(const std::string& key, uint32_t expires)
{
    auto it = m_subscriptions.find(key);
    NS_ASSERT(it != m_subscriptions.end());
    Subscription& s = it->second;
    Ipv4Address local = m_endpoint->LocalAddressFor(s.target);
    s.local = local;
    SipRequestParams p = m_endpoint->NewRequestParams(local);
    p.remoteUri = s.remoteUri;
    p.requestUri = s.requestUri;
    p.callId = s.callId;
    p.localTag = s.localTag;
    p.remoteTag = s.remoteTag;
    p.cseq = s.cseq++;
    if (expires == 0 && !s.remoteTag.empty())
    {
        s.unsubscribing = true;
    }
    // RFC 4660 section 3.2: the filter goes with the SUBSCRIBE that creates the dialog (and
    // with a new one after a 481); refreshes without a body keep it in place.
    std::string filter = s.remoteTag.empty() ? s.filter : std::string();
    m_transactions->SendRequest(
        p,
        [this, expires, filter](const SipRequestParams& q) {
            return m_builder->Subscribe(q, expires, filter);
        },
        s.target,
        s.targetPort,
        this,
        key);
}

uint32_t
PresenceSubscriber::Refresh(Ipv4Address peer, uint32_t expires)
{
    NS_LOG_FUNCTION(this << peer << expires);
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
        m_subscriptions[key].expires = expires;
        SendSubscribe(key, expires);
    }
    return keys.size();
}

void
PresenceSubscriber::RefreshMovedSubscriptions()
{
    NS_LOG_FUNCTION(this);
    std::vector<std::string> keys;
    for (const auto& [key, s] : m_subscriptions)
    {
        // Established subscriptions (not fetches, not ending) whose source address moved.
        Ipv4Address local = m_endpoint->LocalAddressFor(s.target);
        if (!s.remoteTag.empty() && !s.unsubscribing && s.expires > 0 &&
            local != Ipv4Address::GetAny() && local != s.local)
        {
            keys.push_back(key);
        }
    }
    for (const auto& key : keys)
    {
        const Subscription& s = m_subscriptions[key];
        NS_LOG_INFO("moved from " << s.local << ", refreshing the subscription to " << s.target);
        ++m_stats.targetRefreshes;
        SendSubscribe(key, s.expires);
    }
}

void
PresenceSubscriber::UpdateTarget(Subscription& s, const SipMessage& message)
{
    if (auto contact = message.GetContact())
    {
        Ipv4Address a;
        uint16_t port;
        if (PresenceEndpoint::ParseSipTarget(contact->uri, a, port))
        {
            s.target = a;
            s.targetPort = port;
            s.requestUri = contact->uri;
        }
    }
}

void
PresenceSubscriber::ClientTransactionEnded(const std::string& key,
                                           const SipMessage* response,
                                           const std::string& failure)
{
    auto it = m_subscriptions.find(key);
    if (it == m_subscriptions.end())
    {
        return; // already ended (e.g. its NOTIFY arrived and the fetch is done)
    }
    Subscription& s = it->second;
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
            End(key,
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
    UpdateTarget(s, *response);
    if (s.unsubscribing)
    {
        ArmExpiry(key, 0); // the terminal NOTIFY is due now
    }
    else if (auto granted = response->GetExpires(); granted && *granted > 0)
    {
        ArmExpiry(key, *granted);
    }
    else if (!granted && s.expires > 0)
    {
        // RFC 6665 section 4.1.2.1: the 2xx must say how long the subscription lasts. One
        // that does not cannot last longer than asked; without this, and with no expiry in
        // Subscription-State either, it would never end.
        ArmExpiry(key, s.expires);
    }
}

void
PresenceSubscriber::ArmExpiry(const std::string& key, uint32_t seconds)
{
    NS_LOG_FUNCTION(this << key << seconds);
    auto it = m_subscriptions.find(key);
    if (it == m_subscriptions.end())
    {
        return;
    }
    Subscription& s = it->second;
    s.expiry.Cancel();
    s.expiry = Simulator::Schedule(Seconds(seconds) + 64 * m_t1,
                                   &PresenceSubscriber::OnExpired,
                                   this,
                                   key);
    s.refresh.Cancel();
    if (m_refresh && seconds > 0 && s.expires > 0 && !s.unsubscribing)
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
PresenceSubscriber::OnExpired(std::string key)
{
    NS_LOG_INFO("subscription " << key << " ran out without a terminal NOTIFY");
    End(key, PresenceDocument(), false, "expired");
}

void
PresenceSubscriber::OnTimerN(std::string key)
{
    auto it = m_subscriptions.find(key);
    if (it == m_subscriptions.end() || it->second.notified)
    {
        return;
    }
    NS_LOG_INFO("no NOTIFY for " << key << " within 64*T1");
    End(key, PresenceDocument(), false, "timeout");
}

void
PresenceSubscriber::End(const std::string& key,
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

void
PresenceSubscriber::ReceiveNotify(const SipMessage& request, const SipOrigin& origin)
{
    NS_LOG_FUNCTION(this << origin.address);
    std::string callId = *request.GetCallId();
    std::string localTag = request.GetTo()->GetTag();
    std::string remoteTag = request.GetFrom()->GetTag();
    auto it = m_subscriptions.find(callId + "|" + localTag);
    if (it == m_subscriptions.end() ||
        (!it->second.remoteTag.empty() && it->second.remoteTag != remoteTag))
    {
        SipMessage response = m_builder->Error(request, 481);
        Drop(request.Serialize(),
             origin,
             SipDropReason::NO_SUBSCRIPTION,
             "NOTIFY for unknown dialog " + callId,
             481);
        m_transactions->SendResponse(request, response, origin);
        return;
    }
    std::string key = it->first;
    if (!m_transactions->AcceptInDialogCSeq(request, origin, it->second.remoteCseq))
    {
        return;
    }
    auto state = *request.GetSubscriptionState();
    bool terminated = state.state == "terminated";

    // Body checks: content type first (RFC 3261 section 8.2.3), then the document itself.
    if (auto e = SipParser::CheckBody(request))
    {
        SipMessage response = m_builder->Error(request, *e);
        Drop(request.Serialize(),
             origin,
             e->status == 415 ? SipDropReason::UNSUPPORTED_MEDIA : SipDropReason::BAD_BODY,
             e->ToString(),
             e->status);
        m_transactions->SendResponse(request, response, origin);
        // RFC 6665 section 4.2.2: the notifier ends the subscription on this failure
        // response, so the subscriber must not keep it either.
        End(key, PresenceDocument(), false, e->ToString());
        return;
    }
    if (request.GetBody().empty())
    {
        m_transactions->SendResponse(request, m_builder->Ok(request), origin);
        it->second.remoteTag = remoteTag;
        if (terminated)
        {
            End(key,
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
        SipMessage response = m_builder->Error(request, 400, "Bad PIDF Document");
        Drop(request.Serialize(), origin, SipDropReason::BAD_PIDF, detail, 400);
        m_transactions->SendResponse(request, response, origin);
        End(key, PresenceDocument(), false, "bad PIDF: " + detail);
        return;
    }
    PresenceDocument doc = decoded.TakeValue();
    Subscription& s = it->second;
    s.remoteTag = remoteTag;
    s.notified = true;
    s.timerN.Cancel();
    UpdateTarget(s, request); // RFC 6665: the NOTIFY refreshes the remote target
    if (!terminated && !s.unsubscribing)
    {
        if (auto left = state.GetExpires())
        {
            ArmExpiry(key, *left);
        }
    }
    // Patent FIG. 6: field 621 is the source address of the packet.
    auto outcome = m_db->Register(doc, origin.address);
    m_transactions->SendResponse(request, m_builder->Ok(request), origin);
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
        End(key, doc, ok, error);
        return;
    }
    PresenceCallback cb = s.callback;
    Ipv4Address peer = s.peer;
    if (!cb.IsNull())
    {
        cb(peer, doc, doc.policies, ok, error);
    }
}

} // namespace ns3
