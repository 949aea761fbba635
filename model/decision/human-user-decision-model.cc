/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "human-user-decision-model.h"

#include "location-aware-decision-model.h"

#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/pointer.h"
#include "ns3/string.h"
#include "ns3/trace-source-accessor.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("HumanUserDecisionModel");

NS_OBJECT_ENSURE_REGISTERED(HumanUserDecisionModel);

TypeId
HumanUserDecisionModel::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::HumanUserDecisionModel")
            .SetParent<UserDecisionModel>()
            .SetGroupName("Presec")
            .AddConstructor<HumanUserDecisionModel>()
            .AddAttribute("Model",
                          "The model whose decisions the person means to take. Null: a "
                          "LocationAwareDecisionModel with default attributes.",
                          PointerValue(),
                          MakePointerAccessor(&HumanUserDecisionModel::m_model),
                          MakePointerChecker<UserDecisionModel>())
            .AddAttribute("ThinkTime",
                          "Seconds the person looks at the screens before deciding (negative "
                          "samples count as 0).",
                          StringValue("ns3::UniformRandomVariable[Min=2.0|Max=8.0]"),
                          MakePointerAccessor(&HumanUserDecisionModel::m_thinkTime),
                          MakePointerChecker<RandomVariableStream>())
            .AddAttribute("ErrorProbability",
                          "Probability that the person fails to carry through a raise the "
                          "wrapped model decided.",
                          DoubleValue(0.05),
                          MakeDoubleAccessor(&HumanUserDecisionModel::m_errorProbability),
                          MakeDoubleChecker<double>(0.0, 1.0))
            .AddAttribute("ErrorKind",
                          "What a slip registers: the proposal as is, clear text, or either.",
                          EnumValue(HumanUserDecisionModel::EITHER),
                          MakeEnumAccessor(&HumanUserDecisionModel::m_errorKind),
                          MakeEnumChecker(HumanUserDecisionModel::ACCEPT_AS_IS,
                                          "accept-as-is",
                                          HumanUserDecisionModel::CLEAR,
                                          "clear",
                                          HumanUserDecisionModel::EITHER,
                                          "either"))
            .AddTraceSource("HumanError",
                            "The person registered something other than what the wrapped "
                            "model decided.",
                            MakeTraceSourceAccessor(&HumanUserDecisionModel::m_errorTrace),
                            "ns3::HumanUserDecisionModel::HumanErrorTracedCallback");
    return tid;
}

HumanUserDecisionModel::HumanUserDecisionModel()
    : m_errorProbability(0.05),
      m_errorKind(EITHER),
      m_slip(CreateObject<UniformRandomVariable>()),
      m_errors(0),
      m_opportunities(0)
{
    NS_LOG_FUNCTION(this);
}

HumanUserDecisionModel::~HumanUserDecisionModel()
{
    NS_LOG_FUNCTION(this);
}

void
HumanUserDecisionModel::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_model = nullptr;
    m_thinkTime = nullptr;
    m_slip = nullptr;
    UserDecisionModel::DoDispose();
}

void
HumanUserDecisionModel::SetModel(Ptr<UserDecisionModel> model)
{
    NS_LOG_FUNCTION(this << model);
    m_model = model;
}

Ptr<UserDecisionModel>
HumanUserDecisionModel::GetModel() const
{
    if (!m_model)
    {
        m_model = CreateObject<LocationAwareDecisionModel>();
    }
    return m_model;
}

uint32_t
HumanUserDecisionModel::GetErrors() const
{
    return m_errors;
}

uint32_t
HumanUserDecisionModel::GetErrorOpportunities() const
{
    return m_opportunities;
}

int64_t
HumanUserDecisionModel::AssignStreams(int64_t stream)
{
    NS_LOG_FUNCTION(this << stream);
    int64_t used = 0;
    if (m_thinkTime)
    {
        m_thinkTime->SetStream(stream + used++);
    }
    m_slip->SetStream(stream + used++);
    return used + GetModel()->AssignStreams(stream + used);
}

Decision
HumanUserDecisionModel::DoDecide(const DecisionContext& ctx)
{
    NS_LOG_FUNCTION(this << ctx.peer.entity);
    Decision intended = GetModel()->Decide(ctx);
    Time think = m_thinkTime ? Seconds(std::max(0.0, m_thinkTime->GetValue())) : Seconds(0);

    Decision actual = intended;
    if (intended.verdict != DecisionVerdict::REFUSE &&
        PolicySet::Raises(intended.policies, ctx.peerProposal))
    {
        m_opportunities++;
        if (m_slip->GetValue() < m_errorProbability)
        {
            bool acceptAsIs =
                m_errorKind == ACCEPT_AS_IS || (m_errorKind == EITHER && m_slip->GetValue() < 0.5);
            if (acceptAsIs)
            {
                actual = Accept(
                    ctx,
                    "human error: registered the proposal as is (meant: " + intended.reason + ")");
            }
            else
            {
                actual =
                    Modify(PolicySet::SetTo(ctx.OurView(), {}),
                           "human error: registered clear text (meant: " + intended.reason + ")");
            }
            // The slip is made without realising it: nobody asks the peer.
            actual.skipsNegotiation = true;
            m_errors++;
            NS_LOG_INFO("slip with " << ctx.peer.entity << ": " << actual.reason);
            m_errorTrace(ctx, intended, actual);
        }
    }
    actual.thinkTime = intended.thinkTime + think;
    return actual;
}

} // namespace ns3
