/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_PRESENCE_SUBSCRIBER_H
#define PRESEC_PRESENCE_SUBSCRIBER_H

#include "presence-database.h"
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
#include "ns3/security-policy.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-presence
 * The subscriber half of PresenceAgent (RFC 6665 section 4.1, RFC 3856): sends SUBSCRIBEs
 * (fetches with Expires 0, subscriptions, refreshes at 0.9 of the granted duration,
 * unsubscribes, target refreshes after our own address moved), runs Timer N and the local
 * end of each subscription, and takes the NOTIFYs they bring: each accepted document is
 * registered in the PresenceDatabase under the packet's source address and handed to the
 * subscription's callback. See PresenceAgent for the outcomes the callback is told.
 */
class PresenceSubscriber : public PresenceTransactionUser
{
  public:
    /** What a subscription tells its owner (PresenceAgent::PresenceCallback says what). */
    typedef Callback<void,
                     Ipv4Address,
                     const PresenceDocument&,
                     const std::vector<SecurityPolicy>&,
                     bool,
                     std::string>
        PresenceCallback;

    /** How the callback's error starts for an outdated document (still ok = true). */
    static constexpr const char* OUTDATED_NOTE = "outdated";

    /** Counters, in the manner of QueueDisc::Stats. */
    struct Stats
    {
        uint32_t notifiesAccepted{0}; //!< NOTIFYs whose document was accepted
        uint32_t targetRefreshes{0};  //!< SUBSCRIBE refreshes sent because our address moved
        uint32_t filtersSent{0};      //!< subscriptions asked with an RFC 4660 filter
        /// bad input by reason (SipDropReason)
        std::map<std::string, uint32_t> badMessages;
    };

    /**
     * \param transactions the transaction layer below
     * \param builder builds requests and responses
     * \param endpoint the agent's identity and addresses
     */
    PresenceSubscriber(SipTransactionLayer* transactions,
                       SipBuilder* builder,
                       PresenceEndpoint* endpoint);
    ~PresenceSubscriber() override = default;

    /**
     * \param t1 SIP timer T1 (Timer N and the grace after a subscription's end are 64*T1)
     * \param refresh whether subscriptions are refreshed before they run out
     */
    void Configure(Time t1, bool refresh);

    /** \param db where accepted documents are registered */
    void SetPresenceDatabase(Ptr<PresenceDatabase> db);

    /**
     * Create a subscription (or a fetch) and send its SUBSCRIBE.
     * \param peer the peer
     * \param expires seconds (0: fetch)
     * \param cb the callback
     * \param filter what to ask for (RFC 4660); empty: everything
     */
    void Subscribe(Ipv4Address peer,
                   uint32_t expires,
                   PresenceCallback cb,
                   const SimpleFilterSet& filter = SimpleFilterSet());

    /**
     * Refresh the established subscriptions to a peer (SUBSCRIBE inside the dialog).
     * \param peer the address given to Subscribe
     * \param expires the new duration in seconds; zero unsubscribes
     * \return the number of subscriptions refreshed
     */
    uint32_t Refresh(Ipv4Address peer, uint32_t expires);

    /**
     * Our address towards a notifier changed (we moved): refresh the subscription from the
     * new address, so that the notifier's NOTIFYs, and the policy it offers us, follow
     * (RFC 6665 section 4.1.2.1: a refreshing SUBSCRIBE is a target refresh request).
     */
    void RefreshMovedSubscriptions();

    /**
     * Check, register and hand over a NOTIFY.
     * \param request the NOTIFY
     * \param origin where it came from
     */
    void ReceiveNotify(const SipMessage& request, const SipOrigin& origin);

    /** Forget every subscription without calling the callbacks. */
    void Stop();

    /** \return subscriptions and fetches in progress */
    size_t GetNSubscriptions() const;

    /** \return the counters */
    const Stats& GetStats() const;

    /**
     * The SUBSCRIBE transaction ended.
     * \param key the subscription
     * \param response the final response, or null
     * \param failure why there is none
     */
    void ClientTransactionEnded(const std::string& key,
                                const SipMessage* response,
                                const std::string& failure) override;

  private:
    /** A subscription or fetch this agent made. */
    struct Subscription
    {
        Ipv4Address peer;                   //!< the address the application gave
        Ipv4Address target;                 //!< where requests go (updated by the peer's Contact)
        uint16_t targetPort{0};             //!< its port
        Ipv4Address local;                  //!< our address in the last SUBSCRIBE (its Contact)
        uint32_t expires{0};                //!< the duration asked for (seconds; 0: a fetch)
        std::string remoteUri;              //!< To URI
        std::string requestUri;             //!< remote target URI
        std::string callId;                 //!< Call-ID
        std::string localTag;               //!< our From tag
        std::string remoteTag;              //!< the notifier's tag, once known
        uint32_t cseq{1};                   //!< next CSeq
        bool notified{false};               //!< a NOTIFY has been accepted
        PresenceCallback callback;          //!< the application's callback
        EventId timerN;                     //!< RFC 6665 Timer N (no NOTIFY after SUBSCRIBE)
        EventId expiry;                     //!< local end when no terminal NOTIFY comes
        EventId refresh;                    //!< the next refresh (RefreshSubscriptions)
        bool unsubscribing{false};          //!< an Expires 0 SUBSCRIBE was sent in the dialog
        std::optional<uint32_t> remoteCseq; //!< CSeq of the notifier's last NOTIFY
        std::string filter; //!< RFC 4661 body of the dialog-creating SUBSCRIBE; empty: none
    };

    /**
     * Send a SUBSCRIBE for a subscription.
     * \param key the subscription
     * \param expires seconds
     */
    void SendSubscribe(const std::string& key, uint32_t expires);
    /**
     * Follow the remote target a message's Contact names (RFC 6665).
     * \param s the subscription
     * \param message a 2xx or a NOTIFY
     */
    static void UpdateTarget(Subscription& s, const SipMessage& message);
    /**
     * RFC 6665 Timer N: no NOTIFY came.
     * \param key the subscription
     */
    void OnTimerN(std::string key);
    /**
     * (Re)arm the local end of a subscription: the duration the notifier last stated plus
     * 64*T1 for its terminal NOTIFY to arrive.
     * \param key the subscription
     * \param seconds the duration stated
     */
    void ArmExpiry(const std::string& key, uint32_t seconds);
    /**
     * The notifier stayed silent past the end of the subscription.
     * \param key the subscription
     */
    void OnExpired(std::string key);
    /**
     * Remove a subscription and call its callback.
     * \param key the subscription
     * \param doc the last document (empty on failure)
     * \param ok success
     * \param error the reason of a failure
     */
    void End(const std::string& key,
             const PresenceDocument& doc,
             bool ok,
             const std::string& error);

    Time m_t1{MilliSeconds(500)};                        //!< T1
    bool m_refresh{true};                                //!< refresh before the end
    Ptr<PresenceDatabase> m_db;                          //!< where documents go
    std::map<std::string, Subscription> m_subscriptions; //!< by "Call-ID|local tag"
    Stats m_stats;                                       //!< counters
};

} // namespace ns3

#endif // PRESEC_PRESENCE_SUBSCRIBER_H
