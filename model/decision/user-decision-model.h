/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_USER_DECISION_MODEL_H
#define PRESEC_USER_DECISION_MODEL_H

#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/policy-set.h"
#include "ns3/presence-document.h"
#include "ns3/protection-strength.h"
#include "ns3/security-policy.h"
#include "ns3/simple-filter.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-decision
 * What a user makes of the peer's proposed security policy (patent FIG. 3 steps 506–508).
 */
enum class DecisionVerdict : uint8_t
{
    ACCEPT, //!< register the peer's proposal unchanged (push "register", FIG. 8 button 835)
    MODIFY, //!< register a partly changed policy (FIG. 10 step 608, FIG. 13)
    REFUSE, //!< do not communicate with this peer; nothing is registered
};

/** \return `accept`, `modify` or `refuse` */
std::string ToString(DecisionVerdict v);

/**
 * \ingroup presec-decision
 * Everything the user sees when judging a peer (patent FIG. 8 and FIG. 9 side by side), plus
 * what the user knows that no screen shows: who the peer is to them and why they talk.
 *
 * The application fills it; decision models only read it.
 */
struct DecisionContext
{
    // --- the peer, as its presence document says (FIG. 9) ---
    PresenceDocument peer; //!< entity, addresses, user, location label, place type, timestamp
    /**
     * The address the peer's response came from (FIG. 6 item 621). Left at 0.0.0.0 it is taken
     * from peer.addresses (see GetPeerAddress).
     */
    Ipv4Address peerAddress{Ipv4Address::GetAny()};
    /**
     * Where the peer really is: our classification of its address (LocationClassifier), the
     * one source of trust. peer.location is only what the peer declares about itself.
     */
    std::string peerNetwork;
    /// Whether peerNetwork counts as safe (the application's TrustedLocations).
    bool peerTrusted{false};
    /// The user's own name for the peer's user (FIG. 9 relabelling); empty: none given.
    std::string userLabel;
    /// The user's own name for the peer's location (FIG. 9 relabelling); empty: none given.
    std::string locationLabel;

    // --- the peer's proposal (FIG. 8), exactly as the peer states it ---
    /**
     * The peer's policies towards us, from the *peer's* point of view: its `out` policy for
     * packets peer → us (source: the peer), its `in` policy for packets us → peer (source:
     * us). OurView() turns it to our side, ready to change and register.
     */
    std::vector<SecurityPolicy> peerProposal;
    /**
     * What step 501 asked for (FIG. 4). Without the policy (PRESENCE), proposal is our own
     * default as the peer would state it; without the presence (POLICY), peer carries no
     * user, location or place.
     */
    RequestedInfo requested{RequestedInfo::BOTH};
    bool proposalValid{true};  //!< false when the peer's policy could not be parsed
    std::string proposalError; //!< with !proposalValid: why (for the decision log)

    // --- ourselves ---
    Ipv4Address ownAddress{Ipv4Address::GetAny()}; //!< our address towards the peer
    std::string ownLocation;                       //!< our location label, e.g. "office"
    bool ownTrusted{false};                        //!< our own network counts as safe
    PlaceType ownPlaceType{PlaceType::UNKNOWN};    //!< where we are

    // --- what only the user knows (patent: relationship and purpose of the session) ---
    std::string relationship{"unknown"}; //!< family, friend, acquaintance, colleague, unknown
    std::string purpose{"unknown"};      //!< business, private, advertising, unknown

    /** \return peerAddress, or else the first of peer.addresses, or else 0.0.0.0 */
    Ipv4Address GetPeerAddress() const;

    /**
     * The peer's proposal from *our* point of view: our `out` policy towards the peer and our
     * `in` policy for packets from it (PolicySet::OurView of peerProposal between
     * GetPeerAddress() and ownAddress). A direction the peer proposed nothing for appears as
     * an explicit clear policy, so both directions can be raised. UserDecisionModel::Accept
     * registers exactly this.
     * \return policies from our point of view
     */
    std::vector<SecurityPolicy> OurView() const;
};

/**
 * \ingroup presec-decision
 * The outcome of a decision: what to register, how long the user took, and why.
 */
struct Decision
{
    DecisionVerdict verdict{DecisionVerdict::ACCEPT}; //!< accept, modify or refuse
    /**
     * The policies to register, from *our* point of view: our `out` policy towards the peer and
     * our `in` policy for packets from it. Empty with REFUSE.
     */
    std::vector<SecurityPolicy> policies;
    Time thinkTime{Seconds(0)}; //!< how long the user looked at the screens before deciding
    std::string reason;         //!< one line for the decision log, e.g. "peer external: raised"
    /**
     * Set by UserDecisionModel::Decide: one of our `out` entries protects less than an `in`
     * entry of the peer's proposal that selects the same packets (PolicySet::Lowers), so the
     * peer would discard what we send unless we negotiate first (the patent's lowering case).
     * Raising is not flagged, as in the patent; note though that a raised `in` policy discards what
     * the peer still sends in clear until the peer learns of it (the application's business, e.g.
     * by offering the peer our registered policy).
     */
    bool needsNegotiation{false};
    /**
     * Set by a model that acts without asking the peer, as a careless human does
     * (HumanUserDecisionModel's slips): the application registers the policy and sends at
     * once even when needsNegotiation is set, so the peer may discard what it receives — the
     * problem the patent sets out to solve, made measurable.
     */
    bool skipsNegotiation{false};
};

/**
 * Print a decision: verdict, think time and reason on one line, then each policy as a setkey
 * `spdadd` statement on its own indented line.
 * \param os the stream
 * \param decision the decision
 * \return the stream
 */
std::ostream& operator<<(std::ostream& os, const Decision& decision);

/**
 * \ingroup presec-decision
 * The user of a presec apparatus, judging the security policy a peer proposes in the light of
 * the peer's presence (patent FIG. 3 and FIG. 10): accept it, change part of it, or refuse.
 *
 * This is the interface to implement for a new kind of user. Subclass it and override
 * DoDecide(); the helpers below and PolicySet's policy algebra build the usual policies so a
 * model stays a few lines long:
 *
 *     Decision DoDecide(const DecisionContext& ctx) override
 *     {
 *         if (ctx.peerTrusted)
 *         {
 *             return Accept(ctx, "peer on a trusted network");
 *         }
 *         return Modify(PolicySet::RaiseTo(ctx.OurView(), {IpsecProtocol::ESP}),
 *                       "peer untrusted");
 *     }
 *
 * What you want, and what to write in DoDecide (or in a function given to
 * DecisionModelFactory::Register, for a model without a class of its own). ESP and AH stand for
 * IpsecProtocol::ESP and IpsecProtocol::AH; every Modify and Accept takes a reason for the log.
 *
 * | you want to                     | write                                                 |
 * |---------------------------------|-------------------------------------------------------|
 * | register the proposal unchanged | `return Accept(ctx, "why");`                          |
 * | not talk to this peer at all    | `return Refuse("why");`                               |
 * | at least ESP, keep stronger     | `Modify(PolicySet::RaiseTo(ctx.OurView(), {ESP}), …)` |
 * | exactly ESP+AH both ways        | `Modify(PolicySet::SetTo(ctx.OurView(), {ESP, AH}), …)` |
 * | clear text (a lowering)         | `Modify(PolicySet::SetTo(ctx.OurView(), {}), …)`      |
 * | where the peer really is        | `ctx.peerNetwork`, `ctx.peerTrusted`                  |
 * | what the peer says of itself    | `ctx.peer.location`, `ctx.peer.user`                  |
 * | where we are                    | `ctx.ownLocation`, `ctx.ownTrusted`                   |
 * | who the peer is, why they talk  | `ctx.relationship`, `ctx.purpose`                     |
 * | how strong the proposal is      | `PolicySet::Strength(ctx.OurView())`                  |
 * | take time, as a person does     | set `thinkTime` on the Decision you return            |
 * | a knob for scenario files       | an Attribute in GetTypeId                             |
 * | random behaviour                | a RandomVariableStream; override AssignStreams        |
 * | try it on made-up peers         | DecisionContextBuilder                                |
 * | run it in a scenario            | `decision="ns3::YourModel"` or `--decision=…`         |
 *
 * The base class does the work common to all models (as QueueDisc does for queue disciplines):
 *  - a proposal that could not be parsed is refused before DoDecide is called (attribute
 *    RefuseInvalidProposal);
 *  - the verdict is made to agree with the policies: ACCEPT exactly when they are the
 *    peer's proposal unchanged (ctx.OurView(), or its mirror without the clear policies
 *    OurView adds), MODIFY otherwise; REFUSE registers nothing;
 *  - the reason is made one line; the needsNegotiation flag is computed;
 *  - counters (GetStats) and the "Decided" trace source see every decision.
 *
 * Decision models know nothing of packets or simulation events: the application asks, waits
 * Decision::thinkTime, and registers Decision::policies.
 */
class UserDecisionModel : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    UserDecisionModel();
    ~UserDecisionModel() override;

    /**
     * Judge a peer's proposal.
     * \param ctx what the user sees and knows
     * \return the decision (policies from our point of view)
     */
    Decision Decide(const DecisionContext& ctx);

    /**
     * Counters of the decisions taken so far, by outcome.
     */
    struct Stats
    {
        uint32_t nDecisions{0};        //!< decisions taken
        uint32_t nAccepted{0};         //!< ACCEPT verdicts
        uint32_t nModified{0};         //!< MODIFY verdicts
        uint32_t nRefused{0};          //!< REFUSE verdicts
        uint32_t nInvalidProposals{0}; //!< contexts with an unparsable proposal
        uint32_t nNeedNegotiation{0};  //!< decisions with needsNegotiation set

        /**
         * Print the counters on one line.
         * \param os the stream
         */
        void Print(std::ostream& os) const;
    };

    /** \return the counters */
    const Stats& GetStats() const;

    /**
     * Assign fixed random variable streams to the random variables the model uses.
     * \param stream first stream index to use
     * \return the number of streams assigned (0 for deterministic models)
     */
    virtual int64_t AssignStreams(int64_t stream);

    /**
     * TracedCallback signature of the Decided trace.
     * \param ctx what the model was given
     * \param decision what it decided
     */
    typedef void (*DecidedTracedCallback)(const DecisionContext& ctx, const Decision& decision);

    // ---- helpers for writing models (static: usable from scripts and tests too). The policy
    // algebra itself (RaiseTo, SetTo, Strength, Mirror...) is PolicySet's. ----

    /**
     * \param ctx the context
     * \param reason why
     * \return an ACCEPT registering ctx.OurView(), the peer's proposal unchanged
     */
    static Decision Accept(const DecisionContext& ctx, const std::string& reason);

    /**
     * \param policies policies from our point of view
     * \param reason why
     * \return a MODIFY registering \p policies
     */
    static Decision Modify(std::vector<SecurityPolicy> policies, const std::string& reason);

    /**
     * \param reason why
     * \return a REFUSE
     */
    static Decision Refuse(const std::string& reason);

  protected:
    /** Release references (ns-3 Object disposal). */
    void DoDispose() override;

    /**
     * Decide. Implement this in a new model. Called only with a valid proposal unless the
     * RefuseInvalidProposal attribute is false.
     * \param ctx what the user sees and knows
     * \return the decision; the base class fixes up the verdict (see the class description)
     */
    virtual Decision DoDecide(const DecisionContext& ctx) = 0;

  private:
    bool m_refuseInvalid; //!< RefuseInvalidProposal attribute
    Stats m_stats;        //!< counters

    /// Every decision, after the base class fixed it up.
    TracedCallback<const DecisionContext&, const Decision&> m_decidedTrace;
};

} // namespace ns3

#endif // PRESEC_USER_DECISION_MODEL_H
