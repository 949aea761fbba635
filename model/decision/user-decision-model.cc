/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "user-decision-model.h"

#include "ns3/boolean.h"
#include "ns3/log.h"
#include "ns3/setkey-parser.h"
#include "ns3/trace-source-accessor.h"

#include <algorithm>
#include <utility>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("UserDecisionModel");

NS_OBJECT_ENSURE_REGISTERED(UserDecisionModel);

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
    NS_LOG_FUNCTION(this << ctx.peer.entity << ctx.peerProposal.size() << ctx.proposalValid);
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
        // Nothing proposed for a direction means clear text, so the mirror with or without
        // OurView's explicit clear policies is the proposal unchanged.
        bool unchanged =
            d.policies == ctx.OurView() || d.policies == PolicySet::Mirror(ctx.peerProposal);
        DecisionVerdict derived = unchanged ? DecisionVerdict::ACCEPT : DecisionVerdict::MODIFY;
        if (derived != d.verdict)
        {
            NS_LOG_LOGIC(GetInstanceTypeId().GetName() << " said " << ToString(d.verdict)
                                                       << ", policies say " << ToString(derived));
            d.verdict = derived;
        }
        // Patent: a packet protected more than the peer requires is accepted; one protected
        // less is discarded by the peer, so lowering needs negotiation first. Compared entry
        // by entry: lowering only UDP matters even when TCP was clear all along.
        d.needsNegotiation = ctx.proposalValid && !ctx.peerProposal.empty() &&
                             PolicySet::Lowers(d.policies, ctx.peerProposal);
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
DecisionContext::OurView() const
{
    return PolicySet::OurView(peerProposal, GetPeerAddress(), ownAddress);
}

Decision
UserDecisionModel::Accept(const DecisionContext& ctx, const std::string& reason)
{
    Decision d;
    d.verdict = DecisionVerdict::ACCEPT;
    d.policies = ctx.OurView();
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
