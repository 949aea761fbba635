/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "callback-decision-model.h"

#include "ns3/log.h"

#include <utility>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("CallbackDecisionModel");

NS_OBJECT_ENSURE_REGISTERED(CallbackDecisionModel);

TypeId
CallbackDecisionModel::GetTypeId()
{
    static TypeId tid = TypeId("ns3::CallbackDecisionModel")
                            .SetParent<UserDecisionModel>()
                            .SetGroupName("Presec")
                            .AddConstructor<CallbackDecisionModel>();
    return tid;
}

CallbackDecisionModel::CallbackDecisionModel()
{
    NS_LOG_FUNCTION(this);
}

CallbackDecisionModel::CallbackDecisionModel(DecideFunction function)
    : m_function(std::move(function))
{
    NS_LOG_FUNCTION(this);
}

CallbackDecisionModel::~CallbackDecisionModel()
{
    NS_LOG_FUNCTION(this);
}

void
CallbackDecisionModel::DoDispose()
{
    NS_LOG_FUNCTION(this);
    // A lambda may hold Ptrs (to this model, to nodes): drop it to break reference cycles.
    m_function = nullptr;
    UserDecisionModel::DoDispose();
}

void
CallbackDecisionModel::SetDecideFunction(DecideFunction function)
{
    NS_LOG_FUNCTION(this);
    m_function = std::move(function);
}

void
CallbackDecisionModel::SetDecideCallback(Callback<Decision, const DecisionContext&> callback)
{
    NS_LOG_FUNCTION(this);
    if (callback.IsNull())
    {
        m_function = nullptr;
        return;
    }
    m_function = [callback](const DecisionContext& ctx) { return callback(ctx); };
}

bool
CallbackDecisionModel::HasDecideFunction() const
{
    return static_cast<bool>(m_function);
}

Decision
CallbackDecisionModel::DoDecide(const DecisionContext& ctx)
{
    NS_LOG_FUNCTION(this << ctx.peer.entity);
    if (!m_function)
    {
        NS_LOG_WARN("CallbackDecisionModel without a function: refusing " << ctx.peer.entity);
        return Refuse("CallbackDecisionModel: no decide function set");
    }
    return m_function(ctx);
}

} // namespace ns3
