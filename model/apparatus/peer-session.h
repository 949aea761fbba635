/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_PEER_SESSION_H
#define PRESEC_PEER_SESSION_H

#include "peer-traffic.h"
#include "spd-registration.h"

#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "ns3/presence-document.h"
#include "ns3/ptr.h"
#include "ns3/security-policy-database.h"
#include "ns3/security-policy.h"
#include "ns3/user-decision-model.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

class LoweringNegotiator;
class PeerSession;
class SaProvisioner;

/** \ingroup presec State of a session with one peer (SecurePeerApplication::SessionState). */
enum class PeerSessionState : uint8_t
{
    SUBSCRIBING, //!< waiting for the peer's first NOTIFY
    DECIDING,    //!< the user is looking at the screens (think time)
    NEGOTIATING, //!< lowered policy registered, waiting for the peer's answer
    ESTABLISHED, //!< policies registered, traffic running
    REFUSED,     //!< refused (by us), nothing registered
    FAILED,      //!< the peer did not answer and OnNoAnswer is refuse
    ENDED,       //!< the session duration passed
};

/** \ingroup presec Per-session counters (SecurePeerApplication::SessionStats). */
struct PeerSessionStats
{
    uint32_t received{0};          //!< data packets received
    uint32_t lost{0};              //!< gaps in the received sequence numbers
    Time delaySum{Seconds(0)};     //!< sum of one-way delays of received packets
    uint32_t sent{0};              //!< data packets sent
    uint64_t bulkBytesReceived{0}; //!< Traffic bulk: TCP bytes received from the peer
};

/** \ingroup presec What a session reads of its application's attributes, when it needs it. */
struct PeerSessionConfig
{
    // The voice fields first: each packet sent reads them (PeerSession::SendData).
    uint16_t dataPort{0};                       //!< DataPort
    uint8_t voiceTos{0};                        //!< VoiceTos
    VoiceFormat voice;                          //!< VoipInterval, VoipPayload, or the peer's
    std::string traffic;                        //!< Traffic: voip, bulk or none
    uint64_t bulkBytes{0};                      //!< BulkBytes
    Time sessionDuration;                       //!< SessionDuration (0: until stop)
    Time reevalMinInterval;                     //!< ReevaluationMinInterval
    Time negotiationTimeout;                    //!< NegotiationTimeout
    std::string onNoAnswer;                     //!< OnNoAnswer
    RequestedInfo request{RequestedInfo::BOTH}; //!< Request (patent FIG. 4)
};

/**
 * \ingroup presec-apparatus
 * What a PeerSession asks of the application it belongs to (the user side of the pair, as
 * ns-3 LTE's SAP user classes): the node-wide things a session does not own.
 */
class PeerSessionUser
{
  public:
    /** Application-wide events a session counts (SecurePeerApplication::Stats fields). */
    enum Counter
    {
        REEVALUATION,        //!< a decision on a later NOTIFY
        REGISTRATION,        //!< an SPD (re)registration
        ESTABLISHED,         //!< a session reached 509
        REFUSED_BY_US,       //!< a REFUSE verdict
        NO_ANSWER,           //!< a subscription failed before any NOTIFY
        HANDOVER,            //!< a session moved to a peer's new address
        OWN_ADDRESS_CHANGE,  //!< registrations followed our address
        LOCATION_MISMATCH,   //!< a declared location our classifier denies
        OUTDATED_IGNORED,    //!< an outdated document ignored
        SKIPPED_NEGOTIATION, //!< a lowering sent without asking
    };

    virtual ~PeerSessionUser() = default;

    /** \return whether the application runs */
    virtual bool IsRunning() const = 0;
    /**
     * \param peerEntity the peer's presentity (empty while unknown)
     * \return the attributes a session with that peer reads (its own traffic, if it has one)
     */
    virtual PeerSessionConfig GetSessionConfig(const std::string& peerEntity) const = 0;
    /**
     * Where a new voice stream's clock ticks (drawn once per stream).
     * \param interval the stream's packet interval
     * \return the delay from now to its first tick, in [0, interval)
     */
    virtual Time DrawVoicePhase(Time interval) = 0;
    /**
     * Log a step line.
     * \param step the step number (0: no step)
     * \param text the text
     */
    virtual void Log(uint32_t step, const std::string& text) = 0;
    /**
     * Count an application-wide event.
     * \param what the event
     */
    virtual void Count(Counter what) = 0;
    /** Our answer to the peer changed: have the presence agent NOTIFY it. */
    virtual void PolicyChanged() = 0;
    /**
     * Hand-over: the session is to be found under a new address (an earlier session there
     * is dropped).
     * \param from the old address
     * \param to the new one
     */
    virtual void MoveSession(Ipv4Address from, Ipv4Address to) = 0;
    /**
     * A session reached step 509.
     * \param peer its peer
     */
    virtual void SessionEstablished(Ipv4Address peer) = 0;
    /**
     * The session duration passed: end and release the session (this object goes away).
     * \param peer its peer
     */
    virtual void SessionDurationPassed(Ipv4Address peer) = 0;
};

/**
 * \ingroup presec-apparatus
 * What a PeerSession asks before it decides (the other user side of the pair): where the
 * peer is by our classifier, what we offer, what the user sees, and the user's decision.
 * Kept apart from PeerSessionUser, which hears what happens to sessions, so a session's
 * judgement is one small interface.
 */
class PeerSessionJudge
{
  public:
    virtual ~PeerSessionJudge() = default;

    /**
     * \param peer a peer's address
     * \return its location label by our classifier
     */
    virtual std::string ClassifyPeer(Ipv4Address peer) const = 0;
    /**
     * \param label a location label
     * \return whether it is trusted
     */
    virtual bool IsTrusted(const std::string& label) const = 0;
    /**
     * \param peer a peer
     * \return our source address towards it
     */
    virtual Ipv4Address OwnAddressFor(Ipv4Address peer) const = 0;
    /**
     * What the user sees of a session (FIG. 8 and FIG. 9).
     * \param s the session
     * \param proposal the peer policies to judge (its view)
     * \return the context
     */
    virtual DecisionContext MakeContext(const PeerSession& s,
                                        const std::vector<SecurityPolicy>& proposal) const = 0;
    /**
     * Run the decision model (counted).
     * \param ctx what the user sees
     * \return the decision
     */
    virtual Decision Decide(const DecisionContext& ctx) = 0;
    /**
     * \param peer a peer
     * \return our own default policy towards it
     */
    virtual std::vector<SecurityPolicy> GetOfferedPolicies(Ipv4Address peer) const = 0;
};

/**
 * \ingroup presec-apparatus
 * One session with one peer: the state machine of the patent's steps 501–512 (requester)
 * and 601–612 (responder) after the SUBSCRIBE, with its timers. Its presence, decisions,
 * registrations in the SPD, lowering negotiation (LoweringNegotiator), SAs (SaProvisioner)
 * and voice traffic; what is node-wide it tells its PeerSessionUser, and its judgement
 * (location, offer, screens, decision) it asks of its PeerSessionJudge.
 */
class PeerSession
{
  public:
    /** What the application shares with its sessions. */
    struct Pieces
    {
        Ptr<SecurityPolicyDatabase> spd; //!< where policies are registered (may be null)
        SaProvisioner* sa;               //!< the SAs registrations need
        LoweringNegotiator* lowering;    //!< asks peers to accept lowerings
        PeerTraffic* traffic;            //!< the voice socket and bulk transfers
        PeerSessionJudge* judge;         //!< classifies, offers, shows and decides
    };

    /**
     * \param id stable identity (the address moves)
     * \param peer the peer's address
     * \param responder started by the peer's SUBSCRIBE
     * \param user the application
     * \param pieces what the application shares with its sessions
     */
    PeerSession(uint64_t id,
                Ipv4Address peer,
                bool responder,
                PeerSessionUser* user,
                const Pieces& pieces);

    /**
     * \param s a state
     * \return its name
     */
    static std::string ToString(PeerSessionState s);

    /** \return the session's id */
    uint64_t GetId() const;
    /** \return the peer's address */
    Ipv4Address GetPeer() const;
    /** \return whether the peer started the session */
    bool IsResponder() const;
    /** \return the state */
    PeerSessionState GetState() const;
    /** \return whether a NOTIFY has arrived */
    bool HasPresence() const;
    /** \return the peer's last presence document */
    const PresenceDocument& GetDocument() const;
    /** \return what we registered (our view) */
    const std::vector<SecurityPolicy>& GetRegistered() const;
    /** \return the counters (with the losses) */
    PeerSessionStats GetStats() const;

    /**
     * The agent's PresenceCallback (steps 504–506, later NOTIFYs, failures).
     * \param doc the peer's document
     * \param policies its policies (its point of view)
     * \param ok success
     * \param error why not
     */
    void OnPresence(const PresenceDocument& doc,
                    const std::vector<SecurityPolicy>& policies,
                    bool ok,
                    const std::string& error);
    /**
     * Our presence changed: registrations follow our address, a new own location has the
     * peer judged again.
     * \param doc our presence
     */
    void OnOwnPresenceChanged(const PresenceDocument& doc);
    /**
     * Our lowering request ended.
     * \param accepted the peer's verdict
     * \param lowered what it asked to register (our view)
     */
    void OnLoweringEnded(bool accepted, const std::vector<SecurityPolicy>& lowered);
    /**
     * We accepted the peer's lowering request.
     * \param request its policies (its view)
     * \param registered what the user decided (our view)
     */
    void OnPeerLoweringAccepted(const std::vector<SecurityPolicy>& request,
                                const std::vector<SecurityPolicy>& registered);
    /**
     * The SA negotiations (or the wait) for this session ended.
     * \param ok success
     */
    void OnSaDone(bool ok);
    /** The IKE agent installed a child SA pair with the peer. */
    void OnChildInstalled();
    /**
     * A voice packet arrived (step 511 for the first).
     * \param rtpSeq its RTP sequence number (extended here to count losses)
     * \param delay its one-way delay
     */
    void OnVoiceReceived(uint16_t rtpSeq, Time delay);
    /**
     * Traffic bulk: bytes arrived from the peer.
     * \param bytes how many
     */
    void OnBulkReceived(uint32_t bytes);
    /** Cancel every timer (it ends, moves away or the application stops). */
    void CancelTimers();
    /** Remove what the session registered from the SPD. */
    void RemoveRegistrations();

  private:
    /**
     * Run the decision model on the latest presence (steps 505–506) and schedule its
     * application.
     * \param reevaluation a decision on a later NOTIFY
     */
    void DecideNow(bool reevaluation);
    /**
     * Steps 507/508 after the think time.
     * \param d the decision
     */
    void ApplyDecision(Decision d);
    /** A NOTIFY on an established session. */
    void HandleUpdate();
    /**
     * Re-evaluation, at most once per ReevaluationMinInterval, which bounds churn, not safety:
     * a move to a less trusted place (ours or the peer's) is judged at once, since raising
     * protection needs no one's consent and waiting leaves the data exposed meanwhile.
     * \param lessTrusted the move made our or the peer's side less trusted than at the last
     *        decision
     */
    void Reevaluate(bool lessTrusted = false);
    /**
     * Register policies for the peer, replacing ours (step 508).
     * \param policies our view
     * \param why annotation for the log
     */
    void Register(const std::vector<SecurityPolicy>& policies, const std::string& why);
    /**
     * Hand-over: move to the peer's new address (registrations, traffic, SAs).
     * \param to the new address
     */
    void FollowPeer(Ipv4Address to);
    /**
     * Replace an address in the peer's proposals and the decision being thought about.
     * \param from the old address
     * \param to the new one
     */
    void Readdress(Ipv4Address from, Ipv4Address to);
    /**
     * Our address changed: move the registrations to it.
     * \param own our new address towards the peer
     */
    void FollowOwnAddress(Ipv4Address own);
    /** Log (and count) a declared location our classifier contradicts. */
    void CrossCheckLocation();
    /**
     * Negotiate the SAs the registered policy needs.
     * \return true if negotiations were started (OnSaDone follows)
     */
    bool StartSaSetup();
    /** Steps 509/510: start the traffic. */
    void Proceed();
    /** Send one voice packet. */
    void SendData();

    // What each voice packet reads and writes, first and together: a session lives in its
    // application's map node, whose first cache line the receiver's lookup reads anyway, so
    // the receive side's fields come first (that line), then the send side's (the next
    // two). With a thousand terminals every session's turn comes after thousands of others,
    // and each further line a packet touches is a cache miss.
    bool m_firstRx{true};                                    //!< no data received yet
    PeerSessionState m_state{PeerSessionState::SUBSCRIBING}; //!< state
    uint32_t m_maxSeq{0};                                    //!< highest sequence number received
    PeerSessionStats m_stats;   //!< counters (the receive side's first)
    PeerTraffic* m_traffic;     //!< the voice socket and bulk transfers
    Ipv4Address m_peer;         //!< the peer's address
    uint32_t m_seq{0};          //!< next sequence number
    uint32_t m_ssrc{0};         //!< our stream's RTP SSRC
    EventId m_sendEvent;        //!< next data packet
    PeerSessionConfig m_config; //!< read when established (data plane)

    uint64_t m_id;                                   //!< stable identity
    bool m_responder;                                //!< started by the peer's SUBSCRIBE
    PeerSessionUser* m_user;                         //!< the application
    PeerSessionJudge* m_judge;                       //!< the application's judgement
    SpdRegistration m_registration;                  //!< what we registered in the SPD
    SaProvisioner* m_sa;                             //!< the SAs registrations need
    LoweringNegotiator* m_lowering;                  //!< asks the peer to accept lowerings
    bool m_everNotified{false};                      //!< a NOTIFY has arrived
    PresenceDocument m_doc;                          //!< the peer's last presence
    std::vector<SecurityPolicy> m_proposal;          //!< its last proposal (its point of view)
    std::string m_decidedLocation;                   //!< peer location label at the last decision
    std::vector<SecurityPolicy> m_decidedProposal;   //!< the peer proposal last decided on
    bool m_decidedTrusted{false};                    //!< peer trust at the last decision
    std::string m_decidedOwnLocation;                //!< own location at the last decision
    Ipv4Address m_ownAddress{Ipv4Address::GetAny()}; //!< own address at the last registration
    bool m_pendingDecision{false};                   //!< a decision is scheduled or thinking
    Time m_lastDecision{Seconds(-1e6)};              //!< when the model last decided
    EventId m_decisionEvent;                         //!< applying a decision after think time
    Decision m_decision;                             //!< the decision it applies
    EventId m_reevalEvent;                           //!< rate-limited re-evaluation
    bool m_reevalPending{false};                     //!< a NOTIFY waits for the rate limit
    bool m_answeringLowering{false};                 //!< this decision judges a peer lowering
    EventId m_endEvent;                              //!< end of the session
};

} // namespace ns3

#endif // PRESEC_PEER_SESSION_H
