/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_PRESENCE_AGENT_H
#define PRESEC_PRESENCE_AGENT_H

#include "location-classifier.h"
#include "own-presence-monitor.h"
#include "presence-address-watcher.h"
#include "presence-database.h"
#include "presence-document.h"
#include "presence-endpoint.h"
#include "presence-notifier.h"
#include "presence-sap.h"
#include "presence-subscriber.h"
#include "sip-builder.h"
#include "sip-drop-reason.h"
#include "sip-message.h"
#include "sip-pager.h"
#include "sip-registration.h"
#include "sip-transaction-layer.h"
#include "sip-transaction.h"
#include "sip-transport.h"

#include "ns3/address.h"
#include "ns3/application.h"
#include "ns3/callback.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"
#include "ns3/random-variable-stream.h"
#include "ns3/security-policy-database.h"
#include "ns3/security-policy.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-presence
 * The presence exchange of one apparatus (patent FIG. 1: peer-to-peer communication block
 * 200 with the presence information processing unit 401), as an ns-3 Application speaking
 * SIP (RFC 3261) presence (RFC 3856 / RFC 6665) over UDP port 5060, and TCP for messages
 * larger than TcpThreshold (RFC 3261 §18.1.1).
 *
 * **Server (notifier) side.** A SUBSCRIBE is answered with 200 OK and a NOTIFY carrying the
 * agent's presence as PIDF (PidfCodec), including the security policy it applies to the
 * requester (patent FIG. 3 step 503): the SPD entries for the requester's IP address if there
 * are any, else its default policy including protocol-specific entries (see
 * GetOfferedPolicies). Expires 0 is a one-shot fetch
 * (NOTIFY with `Subscription-State: terminated;reason=timeout`); Expires > 0 keeps a watcher
 * until expiry, NOTIFYing it again whenever what it would receive changes (own address, own
 * location, the SPD); a refresh inside the dialog updates the expiry, Expires 0 ends it.
 * Only one NOTIFY per dialog is outstanding at a time (RFC 6665 §4.2.2); a NOTIFY that times
 * out or is refused ends the subscription. MinNotifyInterval throttles the NOTIFYs of changes
 * to a watcher (RFC 3856 §6.4); MaxWatchers caps the subscriptions held, a new one beyond it
 * gets 503 with Retry-After.
 *
 * **Client (subscriber) side.** Fetch() and Subscribe() send a SUBSCRIBE to a peer's port;
 * each accepted NOTIFY is answered 200, registered in the PresenceDatabase under the packet's
 * source address (patent FIG. 6 field 621) and handed to the PresenceCallback. A NOTIFY with
 * a bad body gets 400 or 415, the callback gets ok = false with the reason, and the database
 * is not touched. Failures reach the callback as ok = false with "timeout" (Timer F, or Timer
 * N of RFC 6665 when no NOTIFY follows a 2xx), "NNN Reason" for an error response,
 * "expired" when the subscription ran out without a terminal NOTIFY,
 * "bad PIDF: …", "415 …", "terminated: <reason>" or "transport error: …". A document older
 * than the one stored (RFC 3863 §6, e.g. a late retransmission) is delivered with ok = true
 * and a note in the error text; the database keeps the newer one.
 *
 * **Transactions.** Requests are retransmitted by SipClientTransaction over UDP (T1 = 500 ms
 * doubling to T2 = 4 s, Timer F = 64·T1 = 32 s); retransmitted requests are absorbed with
 * SipServerTransactionTable and answered with the cached response. Responses go back to the
 * packet's source address and port (symmetric response, as RFC 3581 rport) or over the TCP
 * connection the request came on.
 *
 * **Own location** (patent: presence information processing unit 401 updating the location
 * on movement). The agent watches the node's IPv4 addresses without polling: it adds a
 * PresenceAddressWatcher to the node's Ipv4ListRouting (InternetStackHelper's default), so
 * every AddAddress / RemoveAddress / SetUp / SetDown — including those a DhcpClient makes —
 * reaches it; it also listens to the NewLease / ExpireLease traces of DhcpClient applications
 * present on the node at start, and NotifyAddressChanged() can be called by hand. Changes in
 * one instant are coalesced. Only when the node's routing protocol is not an Ipv4ListRouting
 * does the agent fall back to checking every AddressPollInterval (0 = never). The primary
 * address (the source of the default route; without one, the first address of the first up,
 * non-loopback interface) is classified with LocationClassifier (configured
 * LocationPrefixes first, then private / public); a location set with
 * SetLocation() holds until the addresses change.
 *
 * **Moving** (e.g. Wi-Fi roaming with a new DHCP lease). When the own address changes, the
 * agent first refreshes, from the new address, every established subscription whose source
 * address towards the notifier changed (an in-dialog SUBSCRIBE, RFC 6665's target refresh:
 * the notifier then NOTIFYs the new address, with the policy it offers that address), then
 * NOTIFYs its watchers (the NOTIFY's Contact and the PIDF contact name the new address). While
 * the node has no address at all (between losing the old network and the new lease) watchers
 * are not NOTIFYed, since nothing could reach them; they get the presence once an address is
 * back. A refresh that changes a watcher's target drops a NOTIFY still in flight to the old
 * target instead of letting it time out and end the subscription.
 *
 * Malformed input never aborts: it is answered with the status the parser or decoder names
 * where a response can be routed (400, 405, 406, 415, 481, 489, 501, 513), else dropped; both
 * are counted per reason (Stats::badMessages) and traced (BadMessage).
 *
 * The SIP packets must bypass the SPD (IpsecLayer's BypassPorts includes 5060 by default).
 *
 * **Layers** (RFC 3261 section 5: transport, transaction, transaction user). The agent is
 * the ns-3 Application that owns and wires them; each talks only to its neighbours' small
 * interfaces, in the manner of LTE's SAP provider/user pairs: SipTransport (sockets, TCP
 * framing, parsing; hands up through SipTransportUser) under SipTransactionLayer
 * (retransmission and absorption; hands new requests to the agent as SipServerTransactionUser,
 * which dispatches them by method, and tells each SipClientTransactionUser how its requests
 * ended), under the transaction users PresenceSubscriber, PresenceNotifier and SipPager
 * (which ask the agent, as PresenceEndpoint, who and where it is). OwnPresenceMonitor tells
 * the agent (OwnPresenceMonitorUser) when the own presence changed. Each layer keeps its own
 * Stats and drop function (SipDropCounter); GetStats() sums them.
 *
 * Limits: no authentication (anyone who knows a dialog's Call-ID and tags can NOTIFY into
 * it; AllowedSubscribers and SetAuthorizationCallback only filter new subscriptions); one
 * transaction per outgoing TCP connection (opened for the request, closed after
 * its final response); no SIP proxies or DNS: peers are addressed by IPv4 address and port,
 * which a SipRegistrar named by the Registrar attribute can give for an AOR (Resolve; the
 * agent keeps its own AOR registered there through SipRegistration).
 */
class PresenceAgent : public Application,
                      private SipServerTransactionUser,
                      private PresenceEndpoint,
                      private OwnPresenceMonitorUser
{
  public:
    /**
     * What the application learns about a peer: the peer address it asked about, the
     * document (empty on failure), the policy the peer offers (its own point of view, see
     * GetOfferedPolicies; PolicySet::Mirror turns it into the requester's), success, and the reason
     * of a failure.
     */
    typedef PresenceSubscriber::PresenceCallback PresenceCallback;

    /**
     * Decides whether a subscription is accepted: (requester address, From URI); false
     * answers 403.
     */
    typedef Callback<bool, Ipv4Address, const std::string&> AuthorizationCallback;

    /**
     * Takes the body of a MESSAGE (RFC 3428) of one content type: called with the sender's
     * address and the body, it returns the status to answer (200 when taken; 400 for a body
     * it cannot read).
     */
    typedef Callback<uint16_t, Ipv4Address, const std::string&> MessageHandler;

    /**
     * Told how a MESSAGE this agent sent ended: its final status, or 408 when no response
     * came in time (Timer F) or 503 when the transport failed.
     */
    typedef Callback<void, uint16_t> MessageResultCallback;
    /**
     * Told where an AOR is now (Resolve): success, the address, the reason of a failure
     * ("404 Not Found", "timeout", "no registrar", …).
     */
    typedef SipRegistration::ResolveCallback ResolveCallback;

    /**
     * Signature of RequestSent, RequestReceived, ResponseSent, ResponseReceived, NotifySent
     * and NotifyReceived.
     * \param message the SIP message
     * \param peer the remote InetSocketAddress
     * \param size bytes on the wire (the UDP payload, or the bytes written to TCP)
     */
    typedef void (*MessageTracedCallback)(const SipMessage& message,
                                          const Address& peer,
                                          uint32_t size);

    /**
     * Signature of Retransmission.
     * \param request the request sent again
     * \param peer where to
     * \param count retransmissions of it so far
     */
    typedef void (*RetransmissionTracedCallback)(const SipMessage& request,
                                                 const Address& peer,
                                                 uint32_t count);

    /**
     * Signature of Timeout (Timer F).
     * \param request the request that got no final response
     * \param peer where it was sent
     */
    typedef void (*TimeoutTracedCallback)(const SipMessage& request, const Address& peer);

    /**
     * Signature of BadMessage.
     * \param text the message as received
     * \param peer where from
     * \param reason the counter it was counted under (one of the *_REASON constants)
     * \param detail what exactly was wrong
     * \param status the status answered, 0 when dropped
     */
    typedef void (*BadMessageTracedCallback)(const std::string& text,
                                             const Address& peer,
                                             const std::string& reason,
                                             const std::string& detail,
                                             uint16_t status);

    /**
     * Signature of PresenceChanged.
     * \param doc the own presence after the change (without policies)
     */
    typedef void (*PresenceTracedCallback)(const PresenceDocument& doc);

    /// \name Reasons bad input is counted under (Stats::badMessages keys)
    /// @{
    /// How the PresenceCallback's error starts for an outdated document (still ok = true).
    static constexpr const char* OUTDATED_NOTE = PresenceSubscriber::OUTDATED_NOTE;
    static constexpr const char* NOT_SIP_REASON = SipDropReason::NOT_SIP; //!< not parseable as SIP
    /// out-of-dialog request whose Request-URI names neither our AOR nor one of our addresses
    static constexpr const char* NOT_FOUND_REASON = SipDropReason::NOT_FOUND;
    static constexpr const char* TOO_LARGE_REASON =
        SipDropReason::TOO_LARGE; //!< over MaxMessageSize (513)
    static constexpr const char* MALFORMED_REQUEST_REASON =
        SipDropReason::MALFORMED_REQUEST; //!< a request the parser refused (400)
    static constexpr const char* UNANSWERABLE_REASON =
        SipDropReason::UNANSWERABLE; //!< a malformed request too broken to answer
    static constexpr const char* MALFORMED_RESPONSE_REASON =
        SipDropReason::MALFORMED_RESPONSE; //!< a malformed response (dropped)
    static constexpr const char* UNMATCHED_RESPONSE_REASON =
        SipDropReason::UNMATCHED_RESPONSE; //!< a response to no transaction of ours
    static constexpr const char* UNSUPPORTED_VERSION_REASON =
        SipDropReason::UNSUPPORTED_VERSION; //!< not SIP/2.0 (505)
    static constexpr const char* METHOD_NOT_ALLOWED_REASON =
        SipDropReason::METHOD_NOT_ALLOWED; //!< a method not allowed here (405)
    static constexpr const char* METHOD_NOT_IMPLEMENTED_REASON =
        SipDropReason::METHOD_NOT_IMPLEMENTED; //!< a method not implemented (501)
    static constexpr const char* BAD_EVENT_REASON =
        SipDropReason::BAD_EVENT; //!< an event package other than presence (489)
    static constexpr const char* NOT_ACCEPTABLE_REASON =
        SipDropReason::NOT_ACCEPTABLE; //!< Accept without application/pidf+xml (406)
    static constexpr const char* UNSUPPORTED_MEDIA_REASON =
        SipDropReason::UNSUPPORTED_MEDIA; //!< a body that is not PIDF (415)
    static constexpr const char* BAD_BODY_REASON =
        SipDropReason::BAD_BODY; //!< inconsistent body headers (400)
    static constexpr const char* BAD_PIDF_REASON =
        SipDropReason::BAD_PIDF; //!< a PIDF document that does not decode (400)
    static constexpr const char* BAD_FILTER_REASON =
        SipDropReason::BAD_FILTER; //!< an RFC 4661 filter that does not decode (400)
    static constexpr const char* UNSUPPORTED_FILTER_REASON =
        SipDropReason::UNSUPPORTED_FILTER; //!< a filter the notifier cannot apply (488)
    static constexpr const char* NO_SUBSCRIPTION_REASON =
        SipDropReason::NO_SUBSCRIPTION; //!< an in-dialog request for no dialog of ours (481)
    static constexpr const char* TCP_FRAMING_REASON =
        SipDropReason::TCP_FRAMING; //!< Content-Length framing lost on TCP
    static constexpr const char* BAD_EXTENSION_REASON =
        SipDropReason::BAD_EXTENSION; //!< Require names an extension the agent lacks (420)
    static constexpr const char* CSEQ_ORDER_REASON =
        SipDropReason::CSEQ_ORDER; //!< an in-dialog request not newer than the last one (500)

    /// @}

    /** Counters, in the manner of QueueDisc::Stats. */
    struct Stats
    {
        uint32_t requestsSent{0};          //!< requests sent (first transmissions)
        uint32_t requestsReceived{0};      //!< well-formed requests received (not absorbed copies)
        uint32_t responsesSent{0};         //!< responses sent (not counting cached re-sends)
        uint32_t responsesResent{0};       //!< cached responses re-sent to retransmitted requests
        uint32_t responsesReceived{0};     //!< well-formed responses received
        uint32_t notifiesSent{0};          //!< NOTIFYs sent
        uint32_t notifiesReceived{0};      //!< well-formed NOTIFYs received
        uint32_t notifiesAccepted{0};      //!< NOTIFYs whose document was accepted
        uint32_t retransmissions{0};       //!< request retransmissions (Timer E)
        uint32_t absorbedRequests{0};      //!< retransmitted requests absorbed
        uint32_t timeouts{0};              //!< client transactions ended by Timer F
        uint32_t transportErrors{0};       //!< client transactions ended by a TCP failure
        uint32_t tcpMessagesSent{0};       //!< messages sent over TCP
        uint32_t tcpMessagesReceived{0};   //!< messages received over TCP
        uint32_t subscriptionsRefused{0};  //!< SUBSCRIBEs answered 403
        uint32_t subscriptionsOverCap{0};  //!< new subscriptions answered 503 (MaxWatchers)
        uint32_t notifiesCoalesced{0};     //!< changes folded into a NOTIFY held back (rate)
        uint32_t ownPresenceChanges{0};    //!< changes of the own presence
        uint32_t targetRefreshes{0};       //!< SUBSCRIBE refreshes sent because our address moved
        uint32_t messagesSent{0};          //!< MESSAGEs sent
        uint32_t messagesReceived{0};      //!< MESSAGEs handed to a handler
        uint32_t tcpIdleClosed{0};         //!< TCP connections closed for idleness
        uint32_t tcpConnectionsOpened{0};  //!< TCP connections opened for requests
        uint32_t registersSent{0};         //!< REGISTERs sent to the registrar
        uint32_t registered{0};            //!< REGISTERs the registrar accepted
        uint32_t resolutions{0};           //!< AOR lookups (Resolve)
        uint32_t resolveFailures{0};       //!< lookups that gave no address
        uint32_t filtersSent{0};           //!< subscriptions asked with an RFC 4660 filter
        uint32_t filteredSubscriptions{0}; //!< SUBSCRIBEs accepted with a filter
        /// bad input by reason (the *_REASON constants)
        std::map<std::string, uint32_t> badMessages;

        /**
         * \param reason a reason
         * \return how many messages were counted under it
         */
        uint32_t GetNBad(const std::string& reason) const;

        /** \return all bad messages */
        uint32_t GetNBad() const;

        /**
         * \param os the stream to print to
         */
        void Print(std::ostream& os) const;
    };

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    PresenceAgent();
    ~PresenceAgent() override;

    /**
     * Share a presence database (the agent creates its own otherwise).
     * \param db the database
     */
    void SetPresenceDatabase(Ptr<PresenceDatabase> db);

    /** \return the presence database */
    Ptr<PresenceDatabase> GetPresenceDatabase() const;

    /**
     * Set the SPD the offered policy is read from. Without one, the SecurityPolicyDatabase
     * aggregated to the node (IpsecHelper puts it there) is used; with neither, no policy
     * is offered. Every edit of the SPD (its entries, default policies, no-match action)
     * NOTIFYs the watchers whose offered policy it changed.
     * \param spd the database
     */
    void SetSecurityPolicyDatabase(Ptr<SecurityPolicyDatabase> spd);

    /** \return the SPD in use (set, or aggregated to the node), possibly null */
    Ptr<SecurityPolicyDatabase> GetSecurityPolicyDatabase() const override;

    /** \return the classifier judging the own address (LocationPrefixes fills it) */
    LocationClassifier& GetLocationClassifier();

    /**
     * \param cb decides on each new subscription; null accepts all
     */
    void SetAuthorizationCallback(AuthorizationCallback cb);

    /**
     * \param user told of our presence changes, new subscribers and ended watchers (one
     *        user: the apparatus); null for none. It must outlive the agent or be unset.
     */
    void SetPresenceSapUser(PresenceSapUser* user);

    /**
     * Accept MESSAGE requests with bodies of this type (case-insensitive, parameters
     * ignored). Without any handler MESSAGE is answered 405 like any method the agent does
     * not serve; with handlers, other body types get 415 with Accept listing the handled ones.
     * \param contentType e.g. LoweringCodec::CONTENT_TYPE
     * \param handler the handler; a null callback removes it
     */
    void SetMessageHandler(const std::string& contentType, MessageHandler handler);

    /**
     * Send a page-mode MESSAGE (RFC 3428) to a peer's SIP port, outside any dialog, over UDP
     * (TCP above TcpThreshold), retransmitted as any non-INVITE request.
     * \param peer the peer's address
     * \param contentType the body's media type
     * \param body the body
     * \param cb told the outcome (may be null)
     */
    void SendMessage(Ipv4Address peer,
                     const std::string& contentType,
                     const std::string& body,
                     MessageResultCallback cb);

    /**
     * Ask the Registrar where an AOR is now (OPTIONS; the SipRegistrar redirects with 302
     * and the AOR's current Contact). The callback fires once, also on failure (no
     * Registrar, 404, timeout). The application must be running.
     * \param aor the AOR, e.g. sip:bob@example.com or tel:+81-3-1234-5678
     * \param cb the callback
     */
    void Resolve(const std::string& aor, ResolveCallback cb);

    /** \return whether the Registrar holds our current Contact (RFC 3261 REGISTER) */
    bool IsRegistered() const;

    /** \return the AOR registered: the Aor attribute, else the SIP AOR of the Entity */
    std::string GetAor() const;

    /**
     * Ask a peer once for its presence and policy (FIG. 3 step 502): SUBSCRIBE with
     * Expires 0. The callback fires once. The application must be running.
     * \param peer the peer's address (its agent listens on the same Port)
     * \param cb the callback
     */
    void Fetch(Ipv4Address peer, PresenceCallback cb);

    /**
     * Subscribe to a peer's presence: the callback fires for every NOTIFY until the
     * subscription ends. The application must be running. The subscription follows a peer
     * that moves (the Contact of its NOTIFYs becomes the target of later requests), but the
     * callback, Refresh() and Unsubscribe() keep naming it by the address given here.
     * \param peer the peer's address
     * \param expires the requested duration (whole seconds; 0 behaves as Fetch)
     * \param cb the callback
     * \param filter what to ask for (RFC 4660 filter, e.g. MakeRequestFilter for the patent's
     *        FIG. 4 choice); empty: presence and policy
     */
    void Subscribe(Ipv4Address peer,
                   Time expires,
                   PresenceCallback cb,
                   const SimpleFilterSet& filter = SimpleFilterSet());

    /**
     * Refresh the established subscriptions to a peer (SUBSCRIBE inside the dialog).
     * \param peer the address given to Subscribe
     * \param expires the new duration; zero unsubscribes
     * \return the number of subscriptions refreshed
     */
    uint32_t Refresh(Ipv4Address peer, Time expires);

    /**
     * End the subscriptions to a peer: SUBSCRIBE with Expires 0 inside the dialog; the
     * peer's final NOTIFY reaches the callback.
     * \param peer the address given to Subscribe
     * \return the number of subscriptions ended
     */
    uint32_t Unsubscribe(Ipv4Address peer);

    /**
     * Set the own location by hand (the patent lets a moving user enter it); it holds until
     * the addresses change or ClearLocation(). Watchers are NOTIFYed.
     * \param label location label, e.g. "cafe"
     * \param placeType RPID place type; by default the RFC 4589 token equal to the label
     */
    void SetLocation(const std::string& label, std::optional<PlaceType> placeType = std::nullopt);

    /** Go back to the classified location. */
    void ClearLocation();

    /** The offered policy may have changed: NOTIFY the watchers for which it did. */
    void SetPolicyChanged();

    /** The node's addresses may have changed: re-evaluate (coalesced to the current instant). */
    void NotifyAddressChanged();

    /** \return the own presence as last evaluated, without policies */
    PresenceDocument GetOwnPresence() const;

    /**
     * The policy this agent offers a requester (patent: the SPD entry for the requester's IP
     * address if registered, else the default policy), from this agent's own point of view:
     * per direction, the SPD entries whose destination (out) or source (in) is exactly the
     * requester's host address, in SPD order. For a direction without such entries, the
     * default: every SPD entry that selects traffic between the two hosts, in first-match
     * order and narrowed to the two hosts (ports and upper protocol kept, priority dropped so
     * the requester registers them in this order ahead of its own defaults), protocol- and
     * port-specific ones included (a default `udp ... require esp` is offered for UDP), down
     * to the first that decides all such traffic; when none does, one more entry for any
     * protocol with the default policy's protection, else the NoMatchAction. Exemptions of the
     * signalling ports (action none on port 5060, the agent's own port, 500 or 4500) are left
     * out: both ends let that traffic bypass anyway (IpsecLayer's BypassPorts).
     * \param requester the requester's address
     * \return outbound entries, then inbound entries
     */
    std::vector<SecurityPolicy> GetOfferedPolicies(Ipv4Address requester) const;

    /** \return subscriptions held for watchers (server side) */
    size_t GetNWatchers() const;

    /** \return subscriptions and fetches in progress (client side) */
    size_t GetNSubscriptions() const;

    /** \return client transactions in progress or absorbing responses */
    size_t GetNClientTransactions() const;

    /** \return the counters */
    const Stats& GetStats() const;

    /** \return the SIP port */
    uint16_t GetPort() const override;

    /** \return the entity URI in use (derived from the node id when the attribute is empty) */
    std::string GetEntity() const;

    /**
     * \param stream first stream index to use
     * \return the number of streams used (1)
     */
    int64_t AssignStreams(int64_t stream);

  protected:
    /** Release references (ns-3 Object disposal). */
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;

    // SipServerTransactionUser: the transaction user core, dispatching by method.
    void ReceiveRequest(const SipMessage& request, const SipOrigin& origin, uint32_t size) override;

    // PresenceEndpoint: who and where this agent is, for its transaction users.
    Ipv4Address LocalAddressFor(Ipv4Address peer) const override;
    std::string ContactUri(Ipv4Address local) const override;
    SipRequestParams NewRequestParams(Ipv4Address local) override;
    PresenceDocument GetStampedPresence() const override;
    bool HasAddress() const override;

    // OwnPresenceMonitorUser
    void OwnPresenceChanged(const PresenceDocument& doc, bool first) override;

    /**
     * Count bad input refused here (not by a layer) and report it.
     * \param text the message
     * \param origin where from
     * \param reason counter name
     * \param detail what was wrong
     * \param status the status answered, 0 when dropped
     */
    void Drop(const std::string& text,
              const SipOrigin& origin,
              const std::string& reason,
              const std::string& detail,
              uint16_t status);

    /**
     * Every layer's bad input ends here: logged and traced (BadMessage).
     * \param text the message
     * \param origin where from
     * \param reason counter name
     * \param detail what was wrong
     * \param status the status answered, 0 when dropped
     */
    void ReportBad(const std::string& text,
                   const SipOrigin& origin,
                   const std::string& reason,
                   const std::string& detail,
                   uint16_t status);

    /**
     * LocationPrefixes setter; aborts on bad text.
     * \param text the prefixes
     */
    void SetLocationPrefixes(std::string text);
    /**
     * \return LocationPrefixes as set
     */
    std::string GetLocationPrefixes() const;

    /**
     * Attribute setter of AllowedSubscribers; bad text aborts naming the item.
     * \param text `any`, or a comma-separated list of URIs and IPv4 hosts or prefixes
     */
    void SetAllowedSubscribers(std::string text);

    /** \return AllowedSubscribers as set */
    std::string GetAllowedSubscribers() const;

    /** Connect the layers' observers to the trace sources. */
    void ConnectObservers();

    // Attributes.
    uint16_t m_port;                       //!< SIP port (UDP and TCP)
    std::string m_entity;                  //!< presentity URI; empty: derived from the node id
    std::string m_userName;                //!< current user (FIG. 5 line 527)
    uint32_t m_defaultExpires;             //!< granted when a SUBSCRIBE has no Expires
    uint32_t m_maxExpires;                 //!< longest subscription granted
    Time m_minNotifyInterval;              //!< MinNotifyInterval attribute
    uint32_t m_maxWatchers{1000};          //!< MaxWatchers attribute
    uint32_t m_tcpThreshold;               //!< requests larger than this go over TCP
    uint32_t m_maxMessageSize;             //!< larger messages get 513
    Time m_t1;                             //!< T1
    Time m_t2;                             //!< T2
    Time m_t4;                             //!< T4
    Time m_pollInterval;                   //!< fallback address check period; 0 = never
    std::string m_timestampBase;           //!< wall-clock time at simulation time 0
    bool m_refreshSubscriptions{true};     //!< RefreshSubscriptions attribute
    Time m_tcpIdleTimeout{Seconds(32)};    //!< TcpIdleTimeout attribute
    Ipv4Address m_registrar;               //!< Registrar attribute; any for none
    std::string m_registerAor;             //!< Aor attribute
    Time m_registerExpires{Seconds(3600)}; //!< RegisterExpires attribute

    // State.
    Ptr<UniformRandomVariable> m_rng;  //!< id source
    SipBuilder m_builder;              //!< message factory, shared by the layers
    Ptr<PresenceDatabase> m_db;        //!< presence database
    Ptr<SecurityPolicyDatabase> m_spd; //!< SPD set by the user
    bool m_running{false};             //!< between start and stop
    std::string m_aor;                 //!< our SIP address of record
    std::string m_userPart;            //!< user part of the AOR
    Stats m_counts;                    //!< what the agent itself counts
    mutable Stats m_stats;             //!< the totals over all layers, as last asked for

    // The layers, bottom up; each talks to its neighbours through their interfaces.
    SipTransport m_transport;           //!< sockets, framing, parsing
    SipTransactionLayer m_transactions; //!< retransmission and absorption
    PresenceSubscriber m_subscriber;    //!< the subscriptions we made
    PresenceNotifier m_notifier;        //!< the watchers of our presence
    SipPager m_pager;                   //!< page-mode MESSAGE
    SipRegistration m_registration;     //!< REGISTER and AOR lookups
    OwnPresenceMonitor m_monitor;       //!< own addresses and location

    // Trace sources.
    TracedCallback<const SipMessage&, const Address&, uint32_t> m_requestSentTrace; //!< RequestSent
    TracedCallback<const SipMessage&, const Address&, uint32_t>
        m_requestReceivedTrace; //!< RequestReceived
    TracedCallback<const SipMessage&, const Address&, uint32_t>
        m_responseSentTrace; //!< ResponseSent
    TracedCallback<const SipMessage&, const Address&, uint32_t>
        m_responseReceivedTrace; //!< ResponseReceived
    TracedCallback<const SipMessage&, const Address&, uint32_t> m_notifySentTrace; //!< NotifySent
    TracedCallback<const SipMessage&, const Address&, uint32_t>
        m_notifyReceivedTrace; //!< NotifyReceived
    TracedCallback<const SipMessage&, const Address&, uint32_t>
        m_retransmissionTrace;                                        //!< Retransmission
    TracedCallback<const SipMessage&, const Address&> m_timeoutTrace; //!< Timeout
    TracedCallback<const std::string&,
                   const Address&,
                   const std::string&,
                   const std::string&,
                   uint16_t>
        m_badMessageTrace;                                          //!< BadMessage
    TracedCallback<const PresenceDocument&> m_presenceChangedTrace; //!< PresenceChanged
    PresenceSapUser* m_sapUser{nullptr};                            //!< the apparatus, or none
};

} // namespace ns3

#endif // PRESEC_PRESENCE_AGENT_H
