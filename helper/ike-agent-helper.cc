/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ike-agent-helper.h"

#include "ns3/log.h"
#include "ns3/node-applications.h"
#include "ns3/node.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IkeAgentHelper");

IkeAgentHelper::IkeAgentHelper()
{
    m_factory.SetTypeId(IkeAgent::GetTypeId());
}

void
IkeAgentHelper::SetAttribute(const std::string& name, const AttributeValue& value)
{
    m_factory.Set(name, value);
}

ApplicationContainer
IkeAgentHelper::Install(NodeContainer nodes) const
{
    ApplicationContainer apps;
    for (uint32_t i = 0; i < nodes.GetN(); ++i)
    {
        apps.Add(Install(nodes.Get(i)));
    }
    return apps;
}

ApplicationContainer
IkeAgentHelper::Install(Ptr<Node> node) const
{
    NS_LOG_FUNCTION(this << node->GetId());
    Ptr<IkeAgent> agent = m_factory.Create<IkeAgent>();
    node->AddApplication(agent);
    return ApplicationContainer(agent);
}

int64_t
IkeAgentHelper::AssignStreams(NodeContainer nodes, int64_t stream)
{
    int64_t current = stream;
    for (uint32_t i = 0; i < nodes.GetN(); ++i)
    {
        Ptr<Node> node = nodes.Get(i);
        for (uint32_t j = 0; j < node->GetNApplications(); ++j)
        {
            if (Ptr<IkeAgent> agent = DynamicCast<IkeAgent>(node->GetApplication(j)))
            {
                current += agent->AssignStreams(current);
            }
        }
    }
    return current - stream;
}

Ptr<IkeAgent>
IkeAgentHelper::GetAgent(Ptr<Node> node)
{
    return FindApplication<IkeAgent>(node);
}

} // namespace ns3
