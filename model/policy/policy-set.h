/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_POLICY_SET_H
#define PRESEC_POLICY_SET_H

#include "protection-strength.h"
#include "security-policy.h"

#include "ns3/ipv4-address.h"

#include <optional>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-policy
 * The algebra of the policy sets two peers exchange and register: turning the peer's view into
 * ours, raising and setting protection, comparing strength, and the lowering check that decides
 * whether a change must be negotiated with the peer first.
 *
 * A policy set is an ordered list of SPD entries (first match wins within a direction), as
 * registered for one peer. "Our view" is what we register; "the peer's view" is the same
 * entries as the peer registers them (its `out` is our `in`). Selectors always name real
 * packet sources and destinations, so only the direction differs between the two views.
 *
 * Used by decision models (UserDecisionModel), by the application that registers and
 * negotiates (SecurePeerApplication) and by the presence agent that offers policies.
 */
class PolicySet
{
  public:
    /**
     * Turn policies from one side's point of view into the other's: `out` becomes `in` and
     * `in` becomes `out`. Selectors stay (they name the packets' real source and destination)
     * and so do tunnel endpoints (the same SA seen from both ends). Registered as they are, the
     * mirrored policies protect exactly as the other side asked.
     * \param view policies from one side
     * \return the same policies as the other side registers them
     */
    static std::vector<SecurityPolicy> Mirror(const std::vector<SecurityPolicy>& view);

    /**
     * The peer's proposal in our point of view, to start changing it from: Mirror(proposal),
     * plus the MakeClear(peer, own) policy of each direction the peer proposed nothing for
     * (nothing registered means clear text), so both directions can be raised.
     * \param proposal the peer's policies, from its point of view
     * \param peer the peer's address
     * \param own our address towards the peer
     * \return policies from our point of view
     */
    static std::vector<SecurityPolicy> OurView(const std::vector<SecurityPolicy>& proposal,
                                               Ipv4Address peer,
                                               Ipv4Address own);

    /**
     * The policy pair protecting all traffic with the peer (any upper protocol, transport mode).
     * \param peer the peer's address
     * \param own our address
     * \param protocols e.g. {IpsecProtocol::ESP, IpsecProtocol::AH}; bundled in this order
     * \param level e.g. IpsecLevel::REQUIRE
     * \return {our out policy to the peer, our in policy from the peer}
     */
    static std::vector<SecurityPolicy> MakeProtected(Ipv4Address peer,
                                                     Ipv4Address own,
                                                     const std::vector<IpsecProtocol>& protocols,
                                                     IpsecLevel level = IpsecLevel::REQUIRE);

    /**
     * The policy pair sending and receiving all traffic with the peer in clear (action none).
     * \param peer the peer's address
     * \param own our address
     * \return {our out policy to the peer, our in policy from the peer}
     */
    static std::vector<SecurityPolicy> MakeClear(Ipv4Address peer, Ipv4Address own);

    /**
     * Partly change policies as the patent's user does: every policy that protects less than
     * \p protocols at \p level gets exactly that protection (transport mode); its selectors
     * stay, and policies already as strong or stronger stay as they are.
     * \param policies policies from our point of view
     * \param protocols services to guarantee at least
     * \param level level of the new requests
     * \return the raised policies
     */
    static std::vector<SecurityPolicy> RaiseTo(std::vector<SecurityPolicy> policies,
                                               const std::vector<IpsecProtocol>& protocols,
                                               IpsecLevel level = IpsecLevel::REQUIRE);

    /**
     * Give every policy exactly the protection \p protocols at \p level, stronger or weaker than
     * before (selectors stay). Lowering a policy may need negotiation with the peer.
     * \param policies policies from our point of view
     * \param protocols services; empty means clear text (action none)
     * \param level level of the new requests
     * \return the changed policies
     */
    static std::vector<SecurityPolicy> SetTo(std::vector<SecurityPolicy> policies,
                                             const std::vector<IpsecProtocol>& protocols,
                                             IpsecLevel level = IpsecLevel::REQUIRE);

    /**
     * Replace a host address in selectors and tunnel endpoints (a peer or we moved).
     * \param policies the policies
     * \param from the old address
     * \param to the new address
     * \return the policies naming \p to where they named \p from
     */
    static std::vector<SecurityPolicy> Readdress(std::vector<SecurityPolicy> policies,
                                                 Ipv4Address from,
                                                 Ipv4Address to);

    /**
     * The protection of a set of policies: that of its weakest policy (a session is as exposed
     * as its weakest direction). An empty set is clear text: nothing registered means bypass.
     * \param policies the policies
     * \return the strength
     */
    static ProtectionStrength Strength(const std::vector<SecurityPolicy>& policies);

    /**
     * The protection of the weakest policy of one direction (clear when there is none).
     * \param policies the policies
     * \param direction the direction to look at
     * \return the strength
     */
    static ProtectionStrength Strength(const std::vector<SecurityPolicy>& policies,
                                       PolicyDirection direction);

    /**
     * The strength of a protection, to compare policies with: e.g.
     * `Strength(d.policies) >= Strength({IpsecProtocol::ESP}, IpsecLevel::REQUIRE)`.
     * \param protocols services (empty: clear text)
     * \param level level of the requests
     * \return the strength
     */
    static ProtectionStrength Strength(const std::vector<IpsecProtocol>& protocols,
                                       IpsecLevel level);

    /**
     * \param a policies
     * \param b policies
     * \return true if the weakest entries of both directions are equally strong
     */
    static bool SameStrength(const std::vector<SecurityPolicy>& a,
                             const std::vector<SecurityPolicy>& b);

    /**
     * \param a policies
     * \param b policies
     * \param direction the direction to compare
     * \return true if the weakest entry of \p a in \p direction is at least as strong as
     *         that of \p b
     */
    static bool AtLeast(const std::vector<SecurityPolicy>& a,
                        const std::vector<SecurityPolicy>& b,
                        PolicyDirection direction);

    /**
     * \param ours policies from our point of view
     * \param peerView the peer's proposal, from its point of view
     * \return true if, in some direction, \p ours protects more than the proposal
     */
    static bool Raises(const std::vector<SecurityPolicy>& ours,
                       const std::vector<SecurityPolicy>& peerView);

    /**
     * One place where we would send less protection than the peer requires.
     */
    struct Lowering
    {
        /// Our `out` entry, or empty when none of ours covers the peer's entry (clear text).
        std::optional<SecurityPolicy> ours;
        SecurityPolicy peers; //!< the peer's `in` entry (its view) we fall short of
    };

    /**
     * The lowering check, selector by selector: each of our `out` entries is compared with
     * every `in` entry of the peer whose selectors overlap it, in first-match order on both
     * sides (a pair whose common traffic an earlier entry of either side already decides is
     * skipped). Our entry is a lowering where it protects less than the peer's. A peer entry
     * that none of ours covers is compared with clear text (nothing registered is bypass).
     *
     * Lowering UDP to clear text against a peer that requires ESP for UDP and nothing for TCP
     * is found, although our weakest entry is no weaker than the peer's weakest.
     * \param ours policies from our point of view
     * \param peerView the peer's policies, from its point of view
     * \return every lowering; empty when the peer accepts all we send
     */
    static std::vector<Lowering> Lowerings(const std::vector<SecurityPolicy>& ours,
                                           const std::vector<SecurityPolicy>& peerView);

    /**
     * \param ours policies from our point of view
     * \param peerView the peer's policies, from its point of view
     * \return true if Lowerings() finds any: the peer would discard some of what we send
     */
    static bool Lowers(const std::vector<SecurityPolicy>& ours,
                       const std::vector<SecurityPolicy>& peerView);

    /**
     * \param a a policy
     * \param b a policy
     * \return true if some packet matches the selectors of both (direction ignored)
     */
    static bool Overlap(const SecurityPolicy& a, const SecurityPolicy& b);

    /**
     * \param outer a policy
     * \param inner a policy
     * \return true if every packet matching the selectors of \p inner matches \p outer's
     */
    static bool Covers(const SecurityPolicy& outer, const SecurityPolicy& inner);

    /**
     * Parse a set of services as written in attributes and rule files: `esp`, `ah`, `esp+ah`
     * or `ah+esp` (both give ESP then AH: ESP inside, AH authenticating the whole packet).
     * \param text the text
     * \return the protocols, or empty for anything else
     */
    static std::optional<std::vector<IpsecProtocol>> ParseServices(const std::string& text);

    /**
     * \param protocols services
     * \return `esp`, `ah`, `esp+ah`, ... (`none` when empty)
     */
    static std::string ServicesToString(const std::vector<IpsecProtocol>& protocols);

    /**
     * Policies as setkey statements, joined by ` | ` (`(none)` when empty), for logs.
     * \param policies the policies
     * \return the text
     */
    static std::string ToText(const std::vector<SecurityPolicy>& policies);
};

} // namespace ns3

#endif // PRESEC_POLICY_SET_H
