/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_PRESENCE_NOTIFIER_H
#define PRESEC_PRESENCE_NOTIFIER_H

#include "location-classifier.h"
#include "presence-document.h"
#include "presence-endpoint.h"
#include "simple-filter.h"
#include "sip-builder.h"
#include "sip-transaction-layer.h"

#include "ns3/callback.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"
#include "ns3/security-policy-database.h"
#include "ns3/security-policy.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-presence
 * The notifier half of PresenceAgent (RFC 6665 section 4.2, RFC 3856): answers SUBSCRIBEs
 * (AllowedSubscribers and the authorization callback decide, else 403; Expires 0 is a
 * one-shot fetch), keeps a watcher per subscription until it expires or is ended, and
 * NOTIFYs it the own presence with the policy offered to it whenever that changes, one
 * NOTIFY in flight per dialog (RFC 6665 section 4.2.2). The offered policy is read from
 * the SPD (GetOfferedPolicies); the SPD tells the notifier of every edit (its edit
 * listener), which triggers the check of the watchers.
 *
 * Rate control (RFC 3856 section 6.4, RFC 6665 section 4.2.2): a change that comes sooner
 * than the minimum interval after the last NOTIFY to a watcher waits until the interval has
 * passed; changes meanwhile are coalesced into that one NOTIFY, which carries the state of
 * its moment. The first NOTIFY, the NOTIFY after a refresh and the terminal NOTIFY are sent
 * at once. At most MaxWatchers subscriptions are held; a new one beyond that is answered
 * 503 with Retry-After (RFC 3261 sections 21.5.4 and 20.33), a fetch is still answered.
 */
class PresenceNotifier : public PresenceTransactionUser
{
  public:
    /** See PresenceAgent::AuthorizationCallback. */
    typedef Callback<bool, Ipv4Address, const std::string&> AuthorizationCallback;
    /** Told of each new subscription accepted: (subscriber, From URI);
     * PresenceSapUser::SubscriberArrived. */
    typedef Callback<void, Ipv4Address, const std::string&> SubscriberCallback;
    /** Told that an announced subscription ended: (subscriber, reason);
     * PresenceSapUser::WatcherEnded. */
    typedef Callback<void, Ipv4Address, const std::string&> WatcherEndedCallback;

    /** Counters, in the manner of QueueDisc::Stats. */
    struct Stats
    {
        uint32_t subscriptionsRefused{0};  //!< SUBSCRIBEs answered 403
        uint32_t subscriptionsOverCap{0};  //!< new subscriptions answered 503 (MaxWatchers)
        uint32_t filteredSubscriptions{0}; //!< SUBSCRIBEs accepted with an RFC 4660 filter
        /// changes folded into a NOTIFY already waiting for the minimum interval
        uint32_t notifiesCoalesced{0};
        /// bad input by reason (SipDropReason)
        std::map<std::string, uint32_t> badMessages;
    };

    /**
     * \param transactions the transaction layer below
     * \param builder builds requests and responses
     * \param endpoint the agent's identity, addresses, presence and SPD
     */
    PresenceNotifier(SipTransactionLayer* transactions,
                     SipBuilder* builder,
                     PresenceEndpoint* endpoint);
    ~PresenceNotifier() override = default;

    /** Retry-After of the 503 to a subscription beyond MaxWatchers, in seconds. */
    static constexpr uint32_t OVER_CAP_RETRY_AFTER = 60;

    /**
     * \param defaultExpires granted when a SUBSCRIBE has no Expires
     * \param maxExpires longest subscription granted
     * \param minNotifyInterval least time between two NOTIFYs of a change to a watcher; 0: none
     * \param maxWatchers most subscriptions held at once
     */
    void Configure(uint32_t defaultExpires,
                   uint32_t maxExpires,
                   Time minNotifyInterval,
                   uint32_t maxWatchers);

    /** Start: listen to the SPD's edits. */
    void Start();

    /** Forget every watcher without NOTIFYing it; disconnect from the SPD. */
    void Stop();

    /** Drop the callbacks and the SPD connection (ns-3 disposal). */
    void Dispose();

    /** \param cb decides on each new subscription; null accepts all */
    void SetAuthorizationCallback(AuthorizationCallback cb);

    /** \param cb told of new subscriptions (not fetches); null for none */
    void SetSubscriberCallback(SubscriberCallback cb);

    /** \param cb told when an announced subscription ends; null for none */
    void SetWatcherEndedCallback(WatcherEndedCallback cb);

    /**
     * Set AllowedSubscribers; bad text aborts naming the item.
     * \param text `any`, or a comma-separated list of URIs and IPv4 hosts or prefixes
     */
    void SetAllowedSubscribers(const std::string& text);

    /** \return AllowedSubscribers as set */
    std::string GetAllowedSubscribers() const;

    /**
     * New subscription, refresh or unsubscribe.
     * \param request the SUBSCRIBE
     * \param origin where it came from
     */
    void ReceiveSubscribe(const SipMessage& request, const SipOrigin& origin);

    /** The SPD in use may be another one: listen to its edits and NOTIFY on a change. */
    void SpdReplaced();

    /** NOTIFY every watcher whose document changed. */
    void NotifyWatchers();

    /**
     * See PresenceAgent::GetOfferedPolicies.
     * \param requester the requester's address
     * \return outbound entries, then inbound entries
     */
    std::vector<SecurityPolicy> GetOfferedPolicies(Ipv4Address requester) const;

    /** \return subscriptions held for watchers */
    size_t GetNWatchers() const;

    /** \return the counters */
    const Stats& GetStats() const;

    /**
     * The NOTIFY transaction ended.
     * \param key the watcher
     * \param response the final response, or null
     * \param failure why there is none
     */
    void ClientTransactionEnded(const std::string& key,
                                const SipMessage* response,
                                const std::string& failure) override;

  private:
    /** A subscription held for a watcher. */
    struct Watcher
    {
        std::string callId;          //!< Call-ID
        std::string localTag;        //!< our tag (To of the SUBSCRIBE)
        std::string remoteTag;       //!< the subscriber's From tag
        std::string remoteUri;       //!< the subscriber's URI (From)
        std::string remoteTarget;    //!< the subscriber's Contact
        std::string eventId;         //!< Event id parameter
        uint32_t remoteCseq{0};      //!< CSeq of the subscriber's last SUBSCRIBE
        Ipv4Address requester;       //!< source address of the SUBSCRIBE (selects the policy)
        Ipv4Address target;          //!< where NOTIFYs go
        uint16_t targetPort{0};      //!< their port
        uint32_t cseq{0};            //!< last NOTIFY CSeq
        Time expiresAt;              //!< end of the subscription
        EventId expiryEvent;         //!< its timer
        bool terminating{false};     //!< the next NOTIFY is the terminal one
        std::string terminateReason; //!< its reason
        bool terminalSent{false};    //!< the terminal NOTIFY is in flight
        bool inFlight{false};        //!< a NOTIFY awaits its final response
        bool pending{false};         //!< something changed while a NOTIFY was in flight
        bool pendingAtOnce{false};   //!< the pending NOTIFY answers a refresh (not throttled)
        bool sentOnce{false};        //!< a NOTIFY has been sent
        PresenceDocument lastSent;   //!< what the last NOTIFY carried (timestamp cleared)
        Time lastSentAt;             //!< when the last NOTIFY was sent
        EventId throttleEvent;       //!< the NOTIFY waiting for the minimum interval
        PresenceDocument deferred;   //!< the state it was last told of (timestamp cleared)
        bool announced{false};       //!< the SubscriberCallback was told of it
        /// RFC 4660 filter from the SUBSCRIBE body; null: the whole document
        std::shared_ptr<const SimpleFilterSet> filter;
        std::string resourceUri; //!< the URI subscribed to (To), which a filter may name
    };

    /**
     * A refresh or unsubscribe inside an existing dialog.
     * \param request the SUBSCRIBE
     * \param origin where it came from
     * \param expires the duration granted
     * \param target where NOTIFYs go now
     * \param targetPort their port
     * \param filter a new filter from the request's body; null keeps the one in place
     */
    void RefreshWatcher(const SipMessage& request,
                        const SipOrigin& origin,
                        uint32_t expires,
                        Ipv4Address target,
                        uint16_t targetPort,
                        std::shared_ptr<const SimpleFilterSet> filter);
    /**
     * Start the subscription's duration, or end it at once for Expires 0.
     * \param w the watcher
     * \param key its key
     * \param expires the duration granted
     */
    void ArmExpiry(Watcher& w, const std::string& key, uint32_t expires);
    /**
     * Send (or queue) a NOTIFY to a watcher now, whatever the minimum interval.
     * \param key the watcher
     */
    void SendNotify(const std::string& key);
    /**
     * The state offered to a watcher may have changed: NOTIFY it if so, at once or, within the
     * minimum interval after the last NOTIFY, when that has passed (RFC 3856 section 6.4).
     * \param key the watcher
     */
    void NotifyChange(const std::string& key);
    /**
     * The minimum interval after the last NOTIFY to a watcher has passed.
     * \param key the watcher
     */
    void ThrottleEnded(std::string key);
    /** \return the subscriptions held (fetches and ending ones not counted) */
    size_t CountSubscriptions() const;
    /**
     * A subscription expired: send the terminal NOTIFY.
     * \param key the watcher
     */
    void ExpireWatcher(std::string key);
    /**
     * Forget a watcher.
     * \param key the watcher
     */
    void RemoveWatcher(const std::string& key);
    /**
     * \param w a watcher
     * \return the own presence with a fresh timestamp and the policy offered to the watcher,
     *         narrowed by its filter
     */
    PresenceDocument DocumentFor(const Watcher& w) const;
    /**
     * Read a SUBSCRIBE's filter body (RFC 4660 section 3.2); answer and count a bad one.
     * \param request the SUBSCRIBE
     * \param origin where it came from
     * \param filter set to the decoded filter; untouched when the request has no body
     * \return false when the request was answered with an error
     */
    bool ReadFilter(const SipMessage& request,
                    const SipOrigin& origin,
                    std::shared_ptr<const SimpleFilterSet>& filter);
    /**
     * \param e an SPD entry
     * \return true if it only exempts signalling (action none on the SIP or IKE ports), which
     *         GetOfferedPolicies leaves out
     */
    bool IsSignallingExemption(const SecurityPolicy& e) const;
    /**
     * \param address the subscriber's source address
     * \param uri its From URI
     * \return true if AllowedSubscribers lets it subscribe
     */
    bool IsAllowed(Ipv4Address address, const std::string& uri) const;
    /** Listen to the SPD's edits (AddEditListener). */
    void ConnectSpd();
    /** Stop listening to the SPD's edits. */
    void DisconnectSpd();
    /** The SPD was edited (its edit listener): check the watchers at the end of the instant. */
    void OnSpdEdited();

    uint32_t m_defaultExpires{3600};            //!< granted when a SUBSCRIBE has no Expires
    uint32_t m_maxExpires{86400};               //!< longest subscription granted
    Time m_minNotifyInterval;                   //!< least time between NOTIFYs of changes
    uint32_t m_maxWatchers{1000};               //!< most subscriptions held at once
    bool m_running{false};                      //!< between Start and Stop
    std::string m_allowedText{"any"};           //!< AllowedSubscribers as set
    bool m_allowAny{true};                      //!< AllowedSubscribers is `any`
    std::vector<Ipv4Prefix> m_allowedNets;      //!< allowed subscriber addresses
    std::vector<std::string> m_allowedUris;     //!< allowed subscriber URIs, normalised
    AuthorizationCallback m_authorize;          //!< subscription filter
    SubscriberCallback m_subscriber;            //!< told of new subscriptions
    WatcherEndedCallback m_watcherEnded;        //!< told of ended subscriptions
    Ptr<SecurityPolicyDatabase> m_spdConnected; //!< SPD whose edits are listened to
    EventId m_checkEvent;                       //!< coalesced SPD change check
    std::map<std::string, Watcher> m_watchers;  //!< by "Call-ID|local|remote tag"
    Stats m_stats;                              //!< counters
};

} // namespace ns3

#endif // PRESEC_PRESENCE_NOTIFIER_H
