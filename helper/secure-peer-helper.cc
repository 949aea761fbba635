/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "secure-peer-helper.h"

#include "ns3/abort.h"
#include "ns3/node.h"
#include "ns3/pointer.h"

namespace ns3
{

SecurePeerHelper::SecurePeerHelper()
{
    m_factory.SetTypeId(SecurePeerApplication::GetTypeId());
}

void
SecurePeerHelper::SetAttribute(const std::string& name, const AttributeValue& value)
{
    NS_ABORT_MSG_IF(name == "DecisionModel",
                    "SecurePeerHelper: DecisionModel would be one object shared by every "
                    "application; use SetDecisionModel(type, attributes...) for one per node");
    m_factory.Set(name, value);
}

ApplicationContainer
SecurePeerHelper::Install(NodeContainer nodes) const
{
    ApplicationContainer apps;
    for (auto it = nodes.Begin(); it != nodes.End(); ++it)
    {
        apps.Add(Install(*it));
    }
    return apps;
}

ApplicationContainer
SecurePeerHelper::Install(Ptr<Node> node) const
{
    Ptr<SecurePeerApplication> app = m_factory.Create<SecurePeerApplication>();
    if (m_modelFactory.IsTypeIdSet())
    {
        app->SetAttribute("DecisionModel", PointerValue(m_modelFactory.Create()));
    }
    node->AddApplication(app);
    return ApplicationContainer(app);
}

} // namespace ns3
