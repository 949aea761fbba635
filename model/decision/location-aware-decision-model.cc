/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "location-aware-decision-model.h"

#include "ns3/boolean.h"
#include "ns3/log.h"
#include "ns3/string.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("LocationAwareDecisionModel");

NS_OBJECT_ENSURE_REGISTERED(LocationAwareDecisionModel);

namespace
{

/// "'external' (untrusted)" for the reason line; the label may be missing from a document.
std::string
Where(const std::string& label, bool trusted)
{
    return "'" + (label.empty() ? std::string("?") : label) + "' (" +
           (trusted ? "trusted" : "untrusted") + ")";
}

} // namespace

TypeId
LocationAwareDecisionModel::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::LocationAwareDecisionModel")
            .SetParent<UserDecisionModel>()
            .SetGroupName("Presec")
            .AddConstructor<LocationAwareDecisionModel>()
            .AddAttribute("RaiseTo",
                          "Services every policy gets at least (level require) when the peer or "
                          "we are on an untrusted network: esp, ah or esp+ah.",
                          StringValue("esp+ah"),
                          MakeStringAccessor(&LocationAwareDecisionModel::SetRaiseTo,
                                             &LocationAwareDecisionModel::GetRaiseTo),
                          MakeStringChecker())
            .AddAttribute("AllowLowering",
                          "Set exactly RaiseTo on untrusted and clear text on trusted networks, "
                          "even where the peer proposed more (the peer must then be told).",
                          BooleanValue(false),
                          MakeBooleanAccessor(&LocationAwareDecisionModel::m_allowLowering),
                          MakeBooleanChecker());
    return tid;
}

LocationAwareDecisionModel::LocationAwareDecisionModel()
    : m_raiseTo{IpsecProtocol::ESP, IpsecProtocol::AH},
      m_allowLowering(false)
{
    NS_LOG_FUNCTION(this);
}

LocationAwareDecisionModel::~LocationAwareDecisionModel()
{
    NS_LOG_FUNCTION(this);
}

bool
LocationAwareDecisionModel::SetRaiseTo(std::string services)
{
    NS_LOG_FUNCTION(this << services);
    std::optional<std::vector<IpsecProtocol>> parsed = PolicySet::ParseServices(services);
    if (!parsed)
    {
        // Returning false makes SetAttribute abort and SetAttributeFailSafe return false.
        NS_LOG_ERROR("RaiseTo: '" << services << "' is not esp, ah or esp+ah");
        return false;
    }
    m_raiseTo = *parsed;
    return true;
}

std::string
LocationAwareDecisionModel::GetRaiseTo() const
{
    return PolicySet::ServicesToString(m_raiseTo);
}

Decision
LocationAwareDecisionModel::DoDecide(const DecisionContext& ctx)
{
    NS_LOG_FUNCTION(this << ctx.peer.entity << ctx.peerTrusted << ctx.ownTrusted);
    std::string situation = "peer " + Where(ctx.peer.location, ctx.peerTrusted) + ", own " +
                            Where(ctx.ownLocation, ctx.ownTrusted);

    if (ctx.peerTrusted && ctx.ownTrusted)
    {
        if (m_allowLowering)
        {
            return Modify(PolicySet::SetTo(ctx.OurView(), {}),
                          situation + ": clear text is enough");
        }
        // First embodiment: both inside private networks, the light policy is fine.
        return Accept(ctx, situation + ": proposal accepted as is");
    }

    // Second embodiment: someone is out on a network an outsider can listen on.
    std::string target = PolicySet::ServicesToString(m_raiseTo) + " require";
    if (m_allowLowering)
    {
        return Modify(PolicySet::SetTo(ctx.OurView(), m_raiseTo), situation + ": set to " + target);
    }
    std::vector<SecurityPolicy> ours = PolicySet::RaiseTo(ctx.OurView(), m_raiseTo);
    if (!PolicySet::Raises(ours, ctx.peerProposal))
    {
        return Accept(ctx, situation + ": proposal already at least " + target);
    }
    return Modify(ours, situation + ": raised to at least " + target);
}

} // namespace ns3
