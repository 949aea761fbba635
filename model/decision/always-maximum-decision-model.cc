/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "always-maximum-decision-model.h"

#include "ns3/boolean.h"
#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("AlwaysMaximumDecisionModel");

NS_OBJECT_ENSURE_REGISTERED(AlwaysMaximumDecisionModel);

TypeId
AlwaysMaximumDecisionModel::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::AlwaysMaximumDecisionModel")
            .SetParent<UserDecisionModel>()
            .SetGroupName("Presec")
            .AddConstructor<AlwaysMaximumDecisionModel>()
            .AddAttribute("Unique",
                          "Use level unique (each policy bound to its own SA) instead of require.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&AlwaysMaximumDecisionModel::m_unique),
                          MakeBooleanChecker());
    return tid;
}

AlwaysMaximumDecisionModel::AlwaysMaximumDecisionModel()
    : m_unique(false)
{
    NS_LOG_FUNCTION(this);
}

AlwaysMaximumDecisionModel::~AlwaysMaximumDecisionModel()
{
    NS_LOG_FUNCTION(this);
}

Decision
AlwaysMaximumDecisionModel::DoDecide(const DecisionContext& ctx)
{
    NS_LOG_FUNCTION(this << ctx.peer.entity);
    IpsecLevel level = m_unique ? IpsecLevel::UNIQUE : IpsecLevel::REQUIRE;
    // Raise rather than replace: a peer asking for even more (tunnel, unique) gets it, and
    // lowering would make the peer discard our packets.
    std::vector<SecurityPolicy> ours =
        PolicySet::RaiseTo(ctx.OurView(), {IpsecProtocol::ESP, IpsecProtocol::AH}, level);
    return Modify(ours, "always maximum: esp+ah " + ToString(level) + " whatever the location");
}

} // namespace ns3
