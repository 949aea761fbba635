/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "accept-as-is-decision-model.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("AcceptAsIsDecisionModel");

NS_OBJECT_ENSURE_REGISTERED(AcceptAsIsDecisionModel);

TypeId
AcceptAsIsDecisionModel::GetTypeId()
{
    static TypeId tid = TypeId("ns3::AcceptAsIsDecisionModel")
                            .SetParent<UserDecisionModel>()
                            .SetGroupName("Presec")
                            .AddConstructor<AcceptAsIsDecisionModel>();
    return tid;
}

AcceptAsIsDecisionModel::AcceptAsIsDecisionModel()
{
    NS_LOG_FUNCTION(this);
}

AcceptAsIsDecisionModel::~AcceptAsIsDecisionModel()
{
    NS_LOG_FUNCTION(this);
}

Decision
AcceptAsIsDecisionModel::DoDecide(const DecisionContext& ctx)
{
    NS_LOG_FUNCTION(this << ctx.peer.entity);
    // The location is not even looked at: that is the point of this baseline.
    return Accept(ctx, "conventional apparatus: peer's proposal registered as is");
}

} // namespace ns3
