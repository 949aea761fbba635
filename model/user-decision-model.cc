/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "user-decision-model.h"

#include "setkey-parser.h"

#include "ns3/boolean.h"
#include "ns3/log.h"
#include "ns3/trace-source-accessor.h"

#include <algorithm>
#include <utility>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("UserDecisionModel");

NS_OBJECT_ENSURE_REGISTERED(UserDecisionModel);

namespace
{

/// The requests of a bundle: one per protocol, transport mode, written as setkey writes them.
std::vector<IpsecRequest>
MakeRequests(const std::vector<IpsecProtocol>& protocols, IpsecLevel level)
{
    std::vector<IpsecRequest> requests;
    for (IpsecProtocol p : protocols)
    {
        IpsecRequest r;
        r.protocol = p;
        r.mode = IpsecMode::TRANSPORT;
        r.level = level;
        // `esp/transport//require`: the empty endpoint field is written whenever a level
        // follows, so the policy equals what SetkeyParser reads back from its own print.
        r.endpointFieldWritten = true;
        requests.push_back(r);
    }
    return requests;
}

/// One policy between two hosts, any upper protocol.
SecurityPolicy
MakePolicy(Ipv4Address src, Ipv4Address dst, PolicyDirection dir)
{
    SecurityPolicy p;
    p.source = AddressRange::Host(src);
    p.destination = AddressRange::Host(dst);
    p.direction = dir;
    p.action = PolicyAction::NONE;
    return p;
}

/// Give \p policy exactly this protection (clear text when \p protocols is empty).
void
Protect(SecurityPolicy& policy, const std::vector<IpsecProtocol>& protocols, IpsecLevel level)
{
    policy.action = protocols.empty() ? PolicyAction::NONE : PolicyAction::IPSEC;
    policy.requests = MakeRequests(protocols, level);
}

} // namespace

std::string
ToString(DecisionVerdict v)
{
    switch (v)
    {
    case DecisionVerdict::ACCEPT:
        return "accept";
    case DecisionVerdict::MODIFY:
        return "modify";
    case DecisionVerdict::REFUSE:
        return "refuse";
    }
    return "?";
}

Ipv4Address
DecisionContext::GetPeerAddress() const
{
    if (peerAddress != Ipv4Address::GetAny() || peer.addresses.empty())
    {
        return peerAddress;
    }
    return peer.addresses.front();
}

std::ostream&
operator<<(std::ostream& os, const Decision& decision)
{
    os << ToString(decision.verdict) << " after " << decision.thinkTime.As(Time::S) << ": "
       << decision.reason;
    if (decision.needsNegotiation)
    {
        os << " [lowers: negotiate first]";
    }
    for (const SecurityPolicy& p : decision.policies)
    {
        os << "\n    " << SetkeyParser::Print(p);
    }
    return os;
}

void
UserDecisionModel::Stats::Print(std::ostream& os) const
{
    os << "decisions " << nDecisions << " accepted " << nAccepted << " modified " << nModified
       << " refused " << nRefused << " invalid-proposals " << nInvalidProposals
       << " need-negotiation " << nNeedNegotiation;
}

TypeId
UserDecisionModel::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::UserDecisionModel")
            .SetParent<Object>()
            .SetGroupName("Presec")
            .AddAttribute("RefuseInvalidProposal",
                          "Refuse a peer whose proposal could not be parsed, without asking the "
                          "model. When false the model decides with an empty proposal.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&UserDecisionModel::m_refuseInvalid),
                          MakeBooleanChecker())
            .AddTraceSource("Decided",
                            "A decision was taken (after the base class fixed it up).",
                            MakeTraceSourceAccessor(&UserDecisionModel::m_decidedTrace),
                            "ns3::UserDecisionModel::DecidedTracedCallback");
    return tid;
}

UserDecisionModel::UserDecisionModel()
    : m_refuseInvalid(true)
{
    NS_LOG_FUNCTION(this);
}

UserDecisionModel::~UserDecisionModel()
{
    NS_LOG_FUNCTION(this);
}

void
UserDecisionModel::DoDispose()
{
    NS_LOG_FUNCTION(this);
    Object::DoDispose();
}

Decision
UserDecisionModel::Decide(const DecisionContext& ctx)
{
    NS_LOG_FUNCTION(this << ctx.peer.entity << ctx.proposal.size() << ctx.proposalValid);
    Decision d;
    if (!ctx.proposalValid)
    {
        m_stats.nInvalidProposals++;
    }
    if (!ctx.proposalValid && m_refuseInvalid)
    {
        // A proposal we cannot read cannot be judged, and registering a guess could make the
        // peer discard everything we send; the user would not press "register" either.
        d = Refuse("peer's proposal unreadable: " +
                   (ctx.proposalError.empty() ? std::string("no detail") : ctx.proposalError));
    }
    else
    {
        d = DoDecide(ctx);
    }

    // The verdict is derived from what is registered, so the decision log cannot claim an
    // accept that changed the policy (or a modify that changed nothing).
    if (d.verdict == DecisionVerdict::REFUSE)
    {
        d.policies.clear();
        d.needsNegotiation = false;
    }
    else
    {
        std::vector<SecurityPolicy> mirrored = Mirror(ctx.proposal);
        DecisionVerdict derived =
            d.policies == mirrored ? DecisionVerdict::ACCEPT : DecisionVerdict::MODIFY;
        if (derived != d.verdict)
        {
            NS_LOG_LOGIC(GetInstanceTypeId().GetName() << " said " << ToString(d.verdict)
                                                       << ", policies say " << ToString(derived));
            d.verdict = derived;
        }
        // Patent: a packet protected more than the peer requires is accepted; one protected
        // less is discarded by the peer, so lowering needs negotiation first.
        d.needsNegotiation =
            ctx.proposalValid && !ctx.proposal.empty() &&
            Strength(d.policies, PolicyDirection::OUT) < Strength(mirrored, PolicyDirection::OUT);
    }

    // One line in the log, whatever a model wrote.
    std::replace(d.reason.begin(), d.reason.end(), '\n', ' ');
    std::replace(d.reason.begin(), d.reason.end(), '\r', ' ');
    if (d.reason.empty())
    {
        d.reason = ToString(d.verdict);
    }
    if (d.thinkTime.IsStrictlyNegative())
    {
        d.thinkTime = Seconds(0);
    }

    m_stats.nDecisions++;
    switch (d.verdict)
    {
    case DecisionVerdict::ACCEPT:
        m_stats.nAccepted++;
        break;
    case DecisionVerdict::MODIFY:
        m_stats.nModified++;
        break;
    case DecisionVerdict::REFUSE:
        m_stats.nRefused++;
        break;
    }
    m_stats.nNeedNegotiation += d.needsNegotiation ? 1 : 0;

    NS_LOG_INFO(GetInstanceTypeId().GetName() << " " << ctx.peer.entity << ": " << d.reason);
    m_decidedTrace(ctx, d);
    return d;
}

const UserDecisionModel::Stats&
UserDecisionModel::GetStats() const
{
    return m_stats;
}

int64_t
UserDecisionModel::AssignStreams(int64_t stream)
{
    NS_LOG_FUNCTION(this << stream);
    return 0;
}

std::vector<SecurityPolicy>
UserDecisionModel::Mirror(const std::vector<SecurityPolicy>& peerView)
{
    std::vector<SecurityPolicy> ours = peerView;
    for (SecurityPolicy& p : ours)
    {
        // Selectors name packets by their real source and destination, and tunnel endpoints
        // name the SA between the two hosts: both are the same seen from either end. Only the
        // direction changes. (Swapping the addresses too would give an `in` policy whose source
        // is ourselves, which no received packet matches.)
        p.direction =
            p.direction == PolicyDirection::OUT ? PolicyDirection::IN : PolicyDirection::OUT;
    }
    return ours;
}

std::vector<SecurityPolicy>
UserDecisionModel::MakeProtected(Ipv4Address peer,
                                 Ipv4Address own,
                                 const std::vector<IpsecProtocol>& protocols,
                                 IpsecLevel level)
{
    std::vector<SecurityPolicy> pair = MakeClear(peer, own);
    for (SecurityPolicy& p : pair)
    {
        Protect(p, protocols, level);
    }
    return pair;
}

std::vector<SecurityPolicy>
UserDecisionModel::MakeClear(Ipv4Address peer, Ipv4Address own)
{
    return {MakePolicy(own, peer, PolicyDirection::OUT),
            MakePolicy(peer, own, PolicyDirection::IN)};
}

std::vector<SecurityPolicy>
UserDecisionModel::OurView(const DecisionContext& ctx)
{
    std::vector<SecurityPolicy> ours = Mirror(ctx.proposal);
    // A direction the peer proposed nothing for is sent or received in clear; an explicit
    // clear policy for it lets RaiseTo protect both directions.
    for (const SecurityPolicy& clear : MakeClear(ctx.GetPeerAddress(), ctx.ownAddress))
    {
        bool present = std::any_of(ours.begin(), ours.end(), [&clear](const SecurityPolicy& p) {
            return p.direction == clear.direction;
        });
        if (!present)
        {
            ours.push_back(clear);
        }
    }
    return ours;
}

std::vector<SecurityPolicy>
UserDecisionModel::RaiseTo(std::vector<SecurityPolicy> policies,
                           const std::vector<IpsecProtocol>& protocols,
                           IpsecLevel level)
{
    ProtectionStrength target = Strength(protocols, level);
    for (SecurityPolicy& p : policies)
    {
        if (ProtectionStrength(p) < target)
        {
            Protect(p, protocols, level);
        }
    }
    return policies;
}

std::vector<SecurityPolicy>
UserDecisionModel::SetTo(std::vector<SecurityPolicy> policies,
                         const std::vector<IpsecProtocol>& protocols,
                         IpsecLevel level)
{
    for (SecurityPolicy& p : policies)
    {
        Protect(p, protocols, level);
    }
    return policies;
}

ProtectionStrength
UserDecisionModel::Strength(const std::vector<SecurityPolicy>& policies)
{
    if (policies.empty())
    {
        return ProtectionStrength(SecurityPolicy());
    }
    ProtectionStrength weakest(policies.front());
    for (const SecurityPolicy& p : policies)
    {
        weakest = std::min(weakest, ProtectionStrength(p));
    }
    return weakest;
}

ProtectionStrength
UserDecisionModel::Strength(const std::vector<SecurityPolicy>& policies, PolicyDirection direction)
{
    std::vector<SecurityPolicy> selected;
    std::copy_if(policies.begin(),
                 policies.end(),
                 std::back_inserter(selected),
                 [direction](const SecurityPolicy& p) { return p.direction == direction; });
    return Strength(selected);
}

ProtectionStrength
UserDecisionModel::Strength(const std::vector<IpsecProtocol>& protocols, IpsecLevel level)
{
    SecurityPolicy p;
    Protect(p, protocols, level);
    return ProtectionStrength(p);
}

bool
UserDecisionModel::Raises(const std::vector<SecurityPolicy>& ours,
                          const std::vector<SecurityPolicy>& peerView)
{
    std::vector<SecurityPolicy> mirrored = Mirror(peerView);
    for (PolicyDirection dir : {PolicyDirection::OUT, PolicyDirection::IN})
    {
        if (Strength(ours, dir) > Strength(mirrored, dir))
        {
            return true;
        }
    }
    return false;
}

std::optional<std::vector<IpsecProtocol>>
UserDecisionModel::ParseServices(const std::string& text)
{
    if (text == "esp")
    {
        return std::vector<IpsecProtocol>{IpsecProtocol::ESP};
    }
    if (text == "ah")
    {
        return std::vector<IpsecProtocol>{IpsecProtocol::AH};
    }
    if (text == "esp+ah" || text == "ah+esp")
    {
        return std::vector<IpsecProtocol>{IpsecProtocol::ESP, IpsecProtocol::AH};
    }
    return std::nullopt;
}

std::string
UserDecisionModel::ServicesToString(const std::vector<IpsecProtocol>& protocols)
{
    if (protocols.empty())
    {
        return "none";
    }
    std::string s;
    for (IpsecProtocol p : protocols)
    {
        s += (s.empty() ? "" : "+") + ToString(p);
    }
    return s;
}

Decision
UserDecisionModel::Accept(const DecisionContext& ctx, const std::string& reason)
{
    Decision d;
    d.verdict = DecisionVerdict::ACCEPT;
    d.policies = Mirror(ctx.proposal);
    d.reason = reason;
    return d;
}

Decision
UserDecisionModel::Modify(std::vector<SecurityPolicy> policies, const std::string& reason)
{
    Decision d;
    d.verdict = DecisionVerdict::MODIFY;
    d.policies = std::move(policies);
    d.reason = reason;
    return d;
}

Decision
UserDecisionModel::Refuse(const std::string& reason)
{
    Decision d;
    d.verdict = DecisionVerdict::REFUSE;
    d.reason = reason;
    return d;
}

} // namespace ns3
