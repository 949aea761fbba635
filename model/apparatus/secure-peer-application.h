/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_SECURE_PEER_APPLICATION_H
#define PRESEC_SECURE_PEER_APPLICATION_H

#include "lowering-message.h"
#include "ns3/presence-agent.h"
#include "ns3/presence-document.h"
#include "ns3/security-policy-database.h"
#include "ns3/security-policy.h"
#include "ns3/user-decision-model.h"

#include "ns3/address.h"
#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace ns3
{

class IkeAgent;

class IpsecLayer;
class SipMessage;

/**
 * \ingroup presec
 * The patent's apparatus procedure on one node (FIG. 3 steps 501–510, FIG. 10 steps 601–612),
 * symmetric: every node runs one, the node that calls Connect() is the requester, the other
 * answers as responder (it subscribes back when the requester's SUBSCRIBE arrives, so each
 * side sees the other's policy and judges it with its own UserDecisionModel).
 *
 *  - 501 Connect(): subscribe to the peer's presence (PresenceAgent::Subscribe).
 *  - 504 the agent registered the peer's presence in the PresenceDatabase; 505 it is "shown"
 *    (logged) with the peer's proposal; 506 the decision model decides; after its think time
 *    507/508 the decided policies replace the ones this application registered earlier for
 *    the peer in the node's SPD.
 *  - Lowering (Decision::needsNegotiation): the session waits (no traffic) until a NOTIFY of
 *    the peer shows that its inbound requirement is met by our outbound policy (accepted), or
 *    a NOTIFY shows it still requires more, or NegotiationTimeout passes (refused: the mirrored
 *    peer proposal is registered instead).
 *  - 509/510 the session is established and VoIP-like traffic (SeqTsHeader, fixed interval
 *    and payload) starts towards the peer's DataPort; 511 first packet from the peer; 512
 *    end of the session.
 *  - Later NOTIFYs: a peer that moved (its location label or trust changed) is judged again;
 *    otherwise a mirrored proposal at least as strong as what is registered is registered
 *    (a raise, no negotiation), a weaker one is judged again. Re-evaluations are rate
 *    limited (ReevaluationMinInterval). Refusing a peer's lowering request calls
 *    PresenceAgent::SetPolicyChanged() so the peer gets an answer. With an IkeAgent, a
 *    registration in mid-session negotiates the SAs it needs (packets that need them are
 *    dropped as no-sa until then).
 *  - Hand-over. A peer whose presence no longer lists the address the session uses has a
 *    new one (e.g. a DHCP lease on another network): the session moves to the address its
 *    presence names (the PIDF contact, else its first address): the SPD entries registered
 *    for the old address are replaced by the same entries for the new one, the voice goes
 *    there, and SAs the registered policy needs at the new address are negotiated (with an
 *    IkeAgent); the location change then has the peer judged again as above. When our own
 *    address changes, our registrations follow it, and when our own location changes the
 *    peer is judged again (an untrusted network on our side may call for more protection).
 *    The PresenceAgent refreshes our subscriptions from the new address, so the peers' NOTIFYs
 *    and offered policies follow us too.
 */
class SecurePeerApplication : public Application
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    SecurePeerApplication();
    ~SecurePeerApplication() override;

    /** State of a session with one peer. */
    enum class SessionState : uint8_t
    {
        SUBSCRIBING, //!< waiting for the peer's first NOTIFY
        DECIDING,    //!< the user is looking at the screens (think time)
        NEGOTIATING, //!< lowered policy registered, waiting for the peer's answer
        ESTABLISHED, //!< policies registered, traffic running
        REFUSED,     //!< refused (by us), nothing registered
        FAILED,      //!< the peer did not answer and OnNoAnswer is refuse
        ENDED,       //!< the session duration passed
    };

    /** Per-session counters. */
    struct SessionStats
    {
        uint32_t sent{0};              //!< data packets sent
        uint32_t received{0};          //!< data packets received
        uint32_t lost{0};              //!< gaps in the received sequence numbers
        Time delaySum{Seconds(0)};     //!< sum of one-way delays of received packets
        uint64_t bulkBytesReceived{0}; //!< Traffic bulk: TCP bytes received from the peer
    };

    /** Application-wide counters. */
    struct Stats
    {
        uint32_t negotiations{0};        //!< lowering negotiations started
        uint32_t accepted{0};            //!< of them, accepted by the peer
        uint32_t refused{0};             //!< of them, refused by the peer (stronger kept)
        uint32_t loweringsAccepted{0};   //!< the peer's lowering requests we accepted
        uint32_t loweringsRefused{0};    //!< the peer's lowering requests we refused
        uint32_t skippedNegotiations{0}; //!< lowerings sent without asking (human slips)
        uint32_t saNegotiations{0};      //!< child SA negotiations started with IKE
        uint32_t decisions{0};           //!< decision model calls
        uint32_t registrations{0};       //!< SPD (re)registrations
        uint32_t reevaluations{0};       //!< decisions on later NOTIFYs
        uint32_t sessionsEstablished{0}; //!< sessions that reached 509
        uint32_t refusedByUs{0};         //!< REFUSE verdicts (session stopped)
        uint32_t noAnswer{0};            //!< subscriptions that failed before any NOTIFY
        uint32_t handovers{0};           //!< sessions moved to a peer's new address
        uint32_t ownAddressChanges{0};   //!< sessions whose registrations followed our address
        uint32_t locationMismatches{0}; //!< documents whose declared location our classifier denies
        uint32_t outdatedIgnored{0};    //!< outdated documents ignored (RFC 3863 section 6)
    };

    /**
     * Start a session with a peer (step 501), now. The application must be running. A session
     * that was refused or failed is replaced; one in progress is kept (logged).
     * \param peer the peer's address
     */
    void Connect(Ipv4Address peer);

    /**
     * End the session with a peer (step 512) and release everything it holds: its presence
     * subscription is ended (SUBSCRIBE Expires 0), its SPD entries are removed, the IKE agent
     * deletes the child SAs with the peer (INFORMATIONAL Delete), its timers are cancelled and
     * the session is forgotten; Connect may start a new one. The peer's application ends its
     * side when our subscription to it ends. Nothing happens without a session.
     * \param peer the peer's address
     */
    void Disconnect(Ipv4Address peer);

    /**
     * Schedule Connect(peer) at an absolute simulation time.
     * \param peer the peer's address
     * \param at when
     */
    void ConnectAt(Ipv4Address peer, Time at);

    /**
     * Who a particular peer is to the user and why they talk: overrides the Relationship and
     * Purpose attributes for that peer's sessions (as requester and as responder). Keyed by
     * the peer's presentity, so it survives the peer's moves.
     * \param entity the peer's presentity, as its presence document states it
     * \param relationship e.g. family, colleague
     * \param purpose e.g. private, business
     */
    void SetPeerContext(const std::string& entity,
                        const std::string& relationship,
                        const std::string& purpose);

    /** \return every line logged so far */
    std::vector<std::string> GetDecisionLog() const;

    /** \return the counters */
    const Stats& GetStats() const;

    /**
     * \param peer a peer
     * \return the session counters: of the session in progress, else of the last session
     *         with that address that ended, else zero
     */
    SessionStats GetSessionStats(Ipv4Address peer) const;

    /**
     * \param peer a peer
     * \return whether a session exists with it
     */
    bool HasSession(Ipv4Address peer) const;

    /**
     * \param peer a peer
     * \return its session state (ENDED when the last session with it ended, FAILED when there
     *         never was one)
     */
    SessionState GetSessionState(Ipv4Address peer) const;

    /**
     * \param peer a peer
     * \return the policies this application registered for it (our point of view)
     */
    std::vector<SecurityPolicy> GetRegisteredPolicies(Ipv4Address peer) const;

    /** \return the decision model in use */
    Ptr<UserDecisionModel> GetDecisionModel() const;

    /**
     * \param s a state
     * \return its name
     */
    static std::string ToString(SessionState s);

  protected:
    /** Release references (ns-3 Object disposal). */
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;

    /** One peer. */
    struct Session
    {
        uint64_t id{0};                                //!< stable identity (the address moves)
        Ipv4Address peer;                              //!< its address
        bool responder{false};                         //!< started by the peer's SUBSCRIBE
        SessionState state{SessionState::SUBSCRIBING}; //!< state
        bool everNotified{false};                      //!< a NOTIFY has arrived
        PresenceDocument doc;                          //!< the peer's last presence
        std::vector<SecurityPolicy> proposal;          //!< its last proposal (its point of view)
        std::string decidedLocation;                   //!< peer location label at the last decision
        std::vector<SecurityPolicy> decidedProposal;   //!< the peer proposal last decided on
        bool decidedTrusted{false};                    //!< peer trust at the last decision
        std::string decidedOwnLocation;                //!< own location at the last decision
        Ipv4Address ownAddress{Ipv4Address::GetAny()}; //!< own address at the last registration
        std::vector<SecurityPolicy> registered;        //!< what we registered (our view)
        std::vector<SecurityPolicyDatabase::EntryId> ids; //!< their SPD handles
        bool pendingDecision{false};                      //!< a decision is scheduled or thinking
        Time lastDecision{Seconds(-1e6)};                 //!< when the model last decided
        EventId decisionEvent;                            //!< applying a decision after think time
        Decision decision;                                //!< the decision it applies
        EventId reevalEvent;                              //!< rate-limited re-evaluation
        EventId negotiationTimeout;                       //!< end of a negotiation
        EventId saWaitEvent;                 //!< responder: end of the wait for the requester's SAs
        bool reevalPending{false};           //!< a NOTIFY waits for the rate limit
        bool answeringLowering{false};       //!< this decision judges a peer lowering
        uint64_t loweringId{0};              //!< our lowering request in flight (0: none)
        std::vector<SecurityPolicy> lowered; //!< what it asks to register (our view)
        std::vector<EventId> answerEvents;   //!< answers to the peer's lowerings, thinking

        /** Cancel every timer of the session (it ends, moves away or the application stops). */
        void CancelTimers();
        bool saReady{false};   //!< the SAs the registered policy needs exist (or cannot be made)
        uint32_t saPending{0}; //!< SA negotiations under way
        EventId sendEvent;     //!< next data packet
        EventId endEvent;      //!< end of the session
        uint32_t seq{0};       //!< next sequence number
        bool firstRx{true};    //!< no data received yet
        uint32_t maxSeq{0};    //!< highest sequence number received
        SessionStats stats;    //!< counters
    };

    /**
     * Create the session and send the SUBSCRIBE.
     * \param peer the peer
     * \param responder started by the peer
     */
    void StartSession(Ipv4Address peer, bool responder);
    /**
     * The agent's PresenceCallback for one session.
     * \param id the session
     * \param doc the peer's document
     * \param policies its policies (its point of view)
     * \param ok success
     * \param error why not
     */
    void OnPresence(uint64_t id,
                    const PresenceDocument& doc,
                    const std::vector<SecurityPolicy>& policies,
                    bool ok,
                    std::string error);
    /**
     * The agent's PresenceChanged trace: our address or location changed.
     * \param doc our presence
     */
    void OnOwnPresenceChanged(const PresenceDocument& doc);
    /**
     * Hand-over: move a session to the peer's new address (registrations, traffic, SAs).
     * \param s the session
     * \param to the new address
     */
    void FollowPeer(Session& s, Ipv4Address to);
    /**
     * Our address changed: move the session's registrations to it.
     * \param s the session
     * \param own our new address towards the peer
     */
    void FollowOwnAddress(Session& s, Ipv4Address own);
    /**
     * \param id a session id
     * \return the session, or null
     */
    Session* FindSession(uint64_t id);
    /**
     * The agent accepted a new subscription (its SubscriberCallback): a responder session
     * starts. Fetches, refreshes and refused subscriptions never get here.
     * \param peer the subscriber's address
     * \param uri its From URI
     */
    void OnSubscriber(Ipv4Address peer, const std::string& uri);
    /**
     * Run the decision model on the session's latest presence (steps 505–506) and schedule
     * its application.
     * \param s the session
     * \param reevaluation a decision on a later NOTIFY
     */
    void DecideNow(Session& s, bool reevaluation);
    /**
     * Steps 507/508 after the think time.
     * \param peer the peer
     * \param decision the decision
     */
    void ApplyDecision(Ipv4Address peer, Decision decision);
    /**
     * A NOTIFY on an established session.
     * \param s the session
     */
    void HandleUpdate(Session& s);
    /**
     * Rate-limited re-evaluation.
     * \param peer the peer
     */
    void Reevaluate(Ipv4Address peer);
    /**
     * Ask the peer to accept a lowered policy (a LoweringRequest in a SIP MESSAGE); nothing
     * is registered until it answers.
     * \param s the session
     * \param lowered what we would register (our view)
     */
    void StartNegotiation(Session& s, const std::vector<SecurityPolicy>& lowered);

    /**
     * A lowering negotiation ended: register the lowered policy, or the peer's requirement.
     * \param sessionId the session
     * \param request the request it answers (stale ones are ignored)
     * \param accepted the peer's verdict
     * \param why the peer's reason, or what happened instead of an answer
     */
    void EndNegotiation(uint64_t sessionId,
                        uint64_t request,
                        bool accepted,
                        const std::string& why);

    /**
     * NegotiationTimeout passed without an answer: counts as a refusal.
     * \param sessionId the session
     * \param request the request
     */
    void NegotiationTimedOut(uint64_t sessionId, uint64_t request);

    /**
     * The agent's MESSAGE handler for lowering requests and answers.
     * \param from the sender
     * \param body the body
     * \return the SIP status to answer (400 for an unreadable body)
     */
    uint16_t OnLoweringMessage(Ipv4Address from, const std::string& body);

    /**
     * Let the user model judge the peer's lowering request (think time included).
     * \param peer the peer
     * \param request its request
     */
    void JudgeLowering(Ipv4Address peer, LoweringRequest request);

    /**
     * Register what the user decided if it satisfies the lowered policy, and answer.
     * \param peer the peer
     * \param request its request
     * \param d the user's decision on it
     * \param why non-empty: refuse for this reason without looking at \p d
     */
    void AnswerLowering(Ipv4Address peer, LoweringRequest request, Decision d, std::string why);

    /**
     * What the user sees of a session (FIG. 8 and FIG. 9).
     * \param s the session
     * \param proposal the peer policies to judge (its view)
     * \return the context
     */
    DecisionContext MakeContext(const Session& s,
                                const std::vector<SecurityPolicy>& proposal) const;
    /**
     * Register policies for a peer, replacing ours (step 508).
     * \param s the session
     * \param policies our view
     * \param why annotation for the log
     */
    void Register(Session& s, const std::vector<SecurityPolicy>& policies, const std::string& why);
    /**
     * Traffic bulk: a TCP transfer of BulkBytes to the peer (requester side only).
     * \param peer the peer
     */
    void StartBulk(Ipv4Address peer);
    /**
     * Traffic bulk: bytes arrived at our TCP receiver.
     * \param p the data
     * \param from the sender
     */
    void BulkReceived(Ptr<const Packet> p, const Address& from);

    /**
     * Before the first data packet: negotiate, with the node's IkeAgent, every SA that the
     * registered policy requires and the SAD lacks (SA establishment before step 509).
     * \param s the session
     * \return true if negotiations were started (Proceed runs again when they end)
     */
    bool StartSaSetup(Session& s);
    /**
     * \param s a session
     * \return the transport SAs its registered outbound policy requires and the SAD lacks
     */
    std::vector<IpsecRequest> MissingSas(const Session& s) const;
    /**
     * The node's IkeAgent installed a child SA pair with a peer: a responder waiting for its
     * requester's SAs proceeds once none is missing.
     * \param peer the peer
     */
    void OnChildInstalled(Ipv4Address peer);
    /**
     * One SA negotiation ended.
     * \param peer the session's peer
     * \param ok success
     */
    void SaDone(Ipv4Address peer, bool ok);
    /**
     * Steps 509/510: start the traffic.
     * \param s the session
     */
    void Proceed(Session& s);
    /**
     * Send one data packet.
     * \param peer the peer
     */
    void SendData(Ipv4Address peer);
    /**
     * End the session (512).
     * \param peer the peer
     */
    void EndSession(Ipv4Address peer);

    /**
     * End a session and release what it holds (see Disconnect).
     * \param peer the peer
     * \param why for the log
     */
    void ReleaseSession(Ipv4Address peer, const std::string& why);

    /**
     * The agent says a subscription from a peer ended: the peer ended its session.
     * \param peer the subscriber
     * \param reason why it ended
     */
    void OnWatcherEnded(Ipv4Address peer, const std::string& reason);
    /**
     * Data arrived.
     * \param socket the socket
     */
    void HandleRead(Ptr<Socket> socket);
    /**
     * \param peer a peer
     * \return our source address towards it
     */
    Ipv4Address OwnAddressFor(Ipv4Address peer) const;
    /**
     * \param peer a peer's address
     * \return its location label by our classifier (the agent's LocationClassifier)
     */
    std::string ClassifyPeer(Ipv4Address peer) const;

    /**
     * Log (and count) a peer whose declared location our classifier contradicts.
     * \param s the session, with the peer's latest document
     */
    void CrossCheckLocation(const Session& s);

    /**
     * \param label a location label
     * \return whether it is trusted
     */
    bool IsTrusted(const std::string& label) const;
    /**
     * Log a step line and fire Step.
     * \param step the step number (0: no step)
     * \param text the text
     */
    void Log(uint32_t step, const std::string& text);

    // Attributes.
    Ptr<UserDecisionModel> m_model; //!< DecisionModel
    std::string m_relationship;     //!< Relationship
    std::string m_purpose;          //!< Purpose
    std::map<std::string, std::pair<std::string, std::string>>
        m_peerContext;          //!< entity → (relationship, purpose), from SetPeerContext
    std::string m_trustedText;  //!< TrustedLocations
    std::string m_traffic;      //!< Traffic
    uint16_t m_dataPort;        //!< DataPort
    uint8_t m_voiceTos{0xb8};   //!< VoiceTos
    Time m_voipInterval;        //!< VoipInterval
    uint32_t m_voipPayload;     //!< VoipPayload
    uint64_t m_bulkBytes;       //!< BulkBytes
    Time m_sessionDuration;     //!< SessionDuration (0: until stop)
    Time m_subscriptionExpires; //!< SubscriptionExpires
    Time m_reevalMinInterval;   //!< ReevaluationMinInterval
    Time m_negotiationTimeout;  //!< NegotiationTimeout
    Time m_responderSaWait;     //!< ResponderSaWait
    std::string m_onNoAnswer;   //!< OnNoAnswer

    // State.
    Ptr<PresenceAgent> m_agent;                  //!< the node's presence agent
    Ptr<IkeAgent> m_ike;                         //!< the node's IKE agent, if it runs one
    Ptr<IpsecLayer> m_ipsec;                     //!< the node's IPsec layer (may be null)
    Ptr<SecurityPolicyDatabase> m_spd;           //!< the SPD policies go to
    Ptr<Socket> m_socket;                        //!< data socket
    Ptr<Application> m_bulkSink;                 //!< Traffic bulk: the TCP receiver
    bool m_running{false};                       //!< between start and stop
    std::map<Ipv4Address, Session> m_sessions;   //!< by peer
    std::map<Ipv4Address, SessionStats> m_ended; //!< counters of the last ended session, by peer
    std::vector<std::string> m_log;              //!< decision log
    std::vector<EventId> m_connectEvents;        //!< ConnectAt events
    uint64_t m_nextSessionId{1};                 //!< id of the next session
    uint64_t m_nextLoweringId{1};                //!< id of the next lowering request
    Stats m_stats;                               //!< counters

    TracedCallback<uint32_t, std::string> m_stepTrace; //!< Step
    TracedCallback<std::string> m_logTrace;            //!< LogLine
    TracedCallback<Ipv4Address> m_establishedTrace;    //!< SessionEstablished
    TracedCallback<Ipv4Address, Time> m_voipRxTrace;   //!< VoipRx
};

} // namespace ns3

#endif // PRESEC_SECURE_PEER_APPLICATION_H
