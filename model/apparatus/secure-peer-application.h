/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_SECURE_PEER_APPLICATION_H
#define PRESEC_SECURE_PEER_APPLICATION_H

#include "lowering-message.h"
#include "lowering-negotiator.h"
#include "peer-session.h"
#include "peer-traffic.h"
#include "sa-provisioner.h"

#include "ns3/address.h"
#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/presence-agent.h"
#include "ns3/presence-document.h"
#include "ns3/ptr.h"
#include "ns3/random-variable-stream.h"
#include "ns3/security-policy-database.h"
#include "ns3/security-policy.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"
#include "ns3/user-decision-model.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ns3
{

class IkeAgent;

class IpsecLayer;
class SipMessage;

/**
 * \ingroup presec-apparatus
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
 *  - 509/510 the session is established and VoIP-like traffic (RTP, fixed interval and
 *    payload) starts towards the peer's DataPort; 511 first packet from the peer; 512
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
 *
 * The work is split in pieces: one PeerSession per peer (the state machine above and its
 * timers), an SaProvisioner (the SAs a registered policy needs; only the requester asks the
 * IkeAgent), a LoweringNegotiator (the lowering MESSAGE exchange) and PeerTraffic (voice
 * socket, bulk transfers). This class wires them to the node's PresenceAgent, decision model,
 * SPD and IkeAgent, finds sessions by address or id, and keeps the counters.
 */
class SecurePeerApplication : public Application,
                              private PeerSessionUser,
                              private PeerSessionJudge,
                              private PeerTrafficUser,
                              private LoweringNegotiatorUser
{
    /// Calls the DoXxx methods of PresenceSapUser.
    friend class MemberPresenceSapUser<SecurePeerApplication>;

  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    SecurePeerApplication();
    ~SecurePeerApplication() override;

    /** State of a session with one peer. */
    using SessionState = PeerSessionState;

    /** Per-session counters. */
    using SessionStats = PeerSessionStats;

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
        uint32_t resolved{0};           //!< Connect by AOR: the registrar named an address
        uint32_t unresolved{0};         //!< Connect by AOR: no address (404, timeout, …)
        uint32_t malformedVoice{0};     //!< datagrams on DataPort dropped (PeerTraffic::Stats)
    };

    /**
     * Start a session with a peer (step 501), now. The application must be running. A session
     * that was refused or failed is replaced; one in progress is kept (logged).
     * \param peer the peer's address
     */
    void Connect(Ipv4Address peer);

    /**
     * Start a session with a peer named by its presentity / address of record: the node's
     * PresenceAgent asks its Registrar where the AOR is now (PresenceAgent::Resolve, a
     * SipRegistrar redirect), then this proceeds as Connect(Ipv4Address) with that address.
     * A failure to resolve (no Registrar, 404, timeout) is logged and counted
     * (Stats::unresolved); nothing starts.
     * \param aor e.g. sip:bob@example.com, pres:bob@example.com or tel:+81-3-1234-5678
     */
    void Connect(const std::string& aor);

    /**
     * Connect(const std::string&) for a literal, so that a string literal is an AOR and
     * not an Ipv4Address.
     * \param aor the AOR
     */
    void Connect(const char* aor)
    {
        Connect(std::string(aor));
    }

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
     * Schedule Connect(aor) at an absolute simulation time (the AOR is resolved then).
     * \param aor the peer's AOR
     * \param at when
     */
    void ConnectAt(const std::string& aor, Time at);

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

    /**
     * The traffic of a particular peer's sessions (as requester and as responder): overrides
     * the Traffic and BulkBytes attributes for that peer, so a terminal can talk with one
     * peer and transfer a file to another at once. Keyed by the peer's presentity, as
     * SetPeerContext. Set it before the application starts (the TCP receiver for bulk
     * transfers opens then).
     * \param entity the peer's presentity
     * \param traffic voip, bulk or none
     * \param bulkBytes bytes of the TCP transfer with bulk (requester side)
     * \param voice with voip, the codec's packets (none: the VoipInterval and VoipPayload
     *        attributes, payload type PCMU)
     */
    void SetPeerTraffic(const std::string& entity,
                        const std::string& traffic,
                        uint64_t bulkBytes,
                        std::optional<VoiceFormat> voice = std::nullopt);

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
     * Use a fixed random stream for the voice clocks' phases (VoicePhase).
     * \param stream the first stream index
     * \return the number of streams used (1)
     */
    int64_t AssignStreams(int64_t stream);

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
     * PresenceSapUser: our address or location changed.
     * \param doc our presence
     */
    void DoOwnPresenceChanged(const PresenceDocument& doc);
    /**
     * \param id a session id
     * \return the session, or null
     */
    PeerSession* FindSession(uint64_t id);
    /**
     * \param id a session id
     * \return the session, or nullptr
     */
    const PeerSession* FindSession(uint64_t id) const;
    /**
     * PresenceSapUser: the agent accepted a new subscription; a responder session
     * starts. Fetches, refreshes and refused subscriptions never get here.
     * \param peer the subscriber's address
     * \param uri its From URI
     */
    void DoSubscriberArrived(Ipv4Address peer, const std::string& uri);
    /**
     * The node's IkeAgent installed a child SA pair with a peer.
     * \param peer the peer
     */
    void OnChildInstalled(Ipv4Address peer);
    /**
     * The SA negotiations of the session with a peer ended.
     * \param peer the session's peer when they started
     * \param ok success
     */
    void SaDone(Ipv4Address peer, bool ok);
    // PeerTrafficUser: data arrived, handed to the sender's session.
    void VoiceReceived(Ipv4Address peer, uint16_t seq, Time delay) override;
    void BulkReceived(Ipv4Address peer, uint32_t bytes) override;
    /** Let go of the agents' callbacks and stop every session's timers (stop, disposal). */
    void Unwire();
    /**
     * Cancel the timers of a session and of its pieces.
     * \param s the session
     */
    void CancelTimers(PeerSession& s);
    /**
     * Schedule a Connect at an absolute time; cancelled when the application stops.
     * \param at when
     * \param connect the call
     */
    void ScheduleConnect(Time at, std::function<void()> connect);
    /**
     * End a session and release what it holds (see Disconnect).
     * \param peer the peer
     * \param why for the log
     */
    void ReleaseSession(Ipv4Address peer, const std::string& why);
    /**
     * PresenceSapUser: a subscription from a peer ended; the peer ended its session.
     * \param peer the subscriber
     * \param reason why it ended
     */
    void DoWatcherEnded(Ipv4Address peer, const std::string& reason);

    // PeerSessionUser
    bool IsRunning() const override;
    PeerSessionConfig GetSessionConfig(const std::string& peerEntity) const override;
    void Log(uint32_t step, const std::string& text) override;
    void Count(Counter what) override;
    void PolicyChanged() override;
    void MoveSession(Ipv4Address from, Ipv4Address to) override;
    void SessionEstablished(Ipv4Address peer) override;
    void SessionDurationPassed(Ipv4Address peer) override;
    Time DrawVoicePhase(Time interval) override;

    // PeerSessionJudge
    std::string ClassifyPeer(Ipv4Address peer) const override;
    bool IsTrusted(const std::string& label) const override;
    Ipv4Address OwnAddressFor(Ipv4Address peer) const override;
    DecisionContext MakeContext(const PeerSession& s,
                                const std::vector<SecurityPolicy>& proposal) const override;
    Decision Decide(const DecisionContext& ctx) override;
    std::vector<SecurityPolicy> GetOfferedPolicies(Ipv4Address peer) const override;

    // LoweringNegotiatorUser
    void LoweringLog(const std::string& line) override;
    uint64_t LoweringSessionAt(Ipv4Address peer) const override;
    std::optional<Ipv4Address> LoweringPeerOf(uint64_t session) const override;
    void LoweringEnded(uint64_t session,
                       bool accepted,
                       const std::vector<SecurityPolicy>& lowered) override;
    std::optional<Decision> JudgeLowering(Ipv4Address peer,
                                          const LoweringRequest& request) override;
    void LoweringAccepted(uint64_t session,
                          const LoweringRequest& request,
                          const Decision& decision) override;

    // Attributes.
    Ptr<UserDecisionModel> m_model; //!< DecisionModel
    std::string m_relationship;     //!< Relationship
    std::string m_purpose;          //!< Purpose
    std::map<std::string, std::pair<std::string, std::string>>
        m_peerContext; //!< entity → (relationship, purpose), from SetPeerContext

    /// A peer's traffic, from SetPeerTraffic.
    struct PeerTrafficEntry
    {
        std::string traffic;              //!< voip, bulk or none
        uint64_t bulkBytes{0};            //!< bulk: bytes to send
        std::optional<VoiceFormat> voice; //!< voip: its format (none: the attributes')
    };

    std::map<std::string, PeerTrafficEntry> m_peerTraffic; //!< entity → its traffic
    std::string m_trustedText;                             //!< TrustedLocations
    std::string m_traffic;                                 //!< Traffic
    bool m_bulkReceiver{false};             //!< the data plane accepts TCP transfers (set at start)
    uint16_t m_dataPort;                    //!< DataPort
    uint8_t m_voiceTos{0xb8};               //!< VoiceTos
    Ptr<RandomVariableStream> m_voicePhase; //!< VoicePhase
    Time m_voipInterval;                    //!< VoipInterval
    uint32_t m_voipPayload;                 //!< VoipPayload
    uint64_t m_bulkBytes;                   //!< BulkBytes
    Time m_sessionDuration;                 //!< SessionDuration (0: until stop)
    Time m_subscriptionExpires;             //!< SubscriptionExpires
    Time m_reevalMinInterval;               //!< ReevaluationMinInterval
    Time m_negotiationTimeout;              //!< NegotiationTimeout
    Time m_responderSaWait;                 //!< ResponderSaWait
    std::string m_onNoAnswer;               //!< OnNoAnswer
    int m_request{0};                       //!< Request (a RequestedInfo)

    // State.
    Ptr<PresenceAgent> m_agent; //!< the node's presence agent
    MemberPresenceSapUser<SecurePeerApplication> m_presenceUser{this}; //!< what it tells us
    Ptr<IkeAgent> m_ike;               //!< the node's IKE agent, if it runs one
    Ptr<IpsecLayer> m_ipsec;           //!< the node's IPsec layer (may be null)
    Ptr<SecurityPolicyDatabase> m_spd; //!< the SPD policies go to
    // A voice packet received reads the data plane's user, the session map and VoipRx:
    // together (see PeerTraffic's members).
    PeerTraffic m_dataPlane;                                   //!< voice socket and bulk transfers
    std::map<Ipv4Address, PeerSession> m_sessions;             //!< by peer
    TracedCallback<Ipv4Address, Time, uint16_t> m_voipRxTrace; //!< VoipRx
    bool m_running{false};                                     //!< between start and stop
    SaProvisioner m_sa;                                        //!< the SAs the sessions need
    LoweringNegotiator m_lowering;               //!< the sessions' lowering negotiations
    std::map<Ipv4Address, SessionStats> m_ended; //!< counters of the last ended session, by peer
    std::vector<std::string> m_log;              //!< decision log
    std::vector<EventId> m_connectEvents;        //!< ConnectAt events
    uint64_t m_nextSessionId{1};                 //!< id of the next session
    mutable Stats m_stats; //!< counters (the pieces' own are copied in by GetStats)

    TracedCallback<uint32_t, std::string> m_stepTrace;                      //!< Step
    TracedCallback<std::string> m_logTrace;                                 //!< LogLine
    TracedCallback<Ipv4Address> m_establishedTrace;                         //!< SessionEstablished
    TracedCallback<const DecisionContext&, const Decision&> m_decidedTrace; //!< Decided
};

} // namespace ns3

#endif // PRESEC_SECURE_PEER_APPLICATION_H
