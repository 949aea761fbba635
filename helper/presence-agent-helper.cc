/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "presence-agent-helper.h"

#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/string.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("PresenceAgentHelper");

PresenceAgentHelper::PresenceAgentHelper()
{
    m_factory.SetTypeId(PresenceAgent::GetTypeId());
}

void
PresenceAgentHelper::SetAttribute(const std::string& name, const AttributeValue& value)
{
    m_factory.Set(name, value);
}

void
PresenceAgentHelper::SetEntityPattern(const std::string& pattern)
{
    m_pattern = pattern;
}

std::string
PresenceAgentHelper::ExpandPattern(const std::string& pattern, uint32_t nodeId, uint32_t index)
{
    std::string out;
    for (size_t i = 0; i < pattern.size(); ++i)
    {
        if (pattern[i] == '%' && i + 1 < pattern.size())
        {
            char c = pattern[i + 1];
            if (c == 'n' || c == 'i' || c == '%')
            {
                out += c == 'n' ? std::to_string(nodeId)
                                : (c == 'i' ? std::to_string(index) : std::string("%"));
                ++i;
                continue;
            }
        }
        out += pattern[i];
    }
    return out;
}

Ptr<PresenceAgent>
PresenceAgentHelper::InstallPriv(Ptr<Node> node, uint32_t index) const
{
    NS_LOG_FUNCTION(this << node->GetId() << index);
    Ptr<PresenceAgent> agent = m_factory.Create<PresenceAgent>();
    if (!m_pattern.empty())
    {
        agent->SetAttribute("Entity", StringValue(ExpandPattern(m_pattern, node->GetId(), index)));
    }
    node->AddApplication(agent);
    return agent;
}

ApplicationContainer
PresenceAgentHelper::Install(NodeContainer nodes) const
{
    ApplicationContainer apps;
    for (uint32_t i = 0; i < nodes.GetN(); ++i)
    {
        apps.Add(InstallPriv(nodes.Get(i), i));
    }
    return apps;
}

ApplicationContainer
PresenceAgentHelper::Install(Ptr<Node> node) const
{
    return ApplicationContainer(InstallPriv(node, 0));
}

int64_t
PresenceAgentHelper::AssignStreams(NodeContainer nodes, int64_t stream) const
{
    int64_t current = stream;
    for (uint32_t i = 0; i < nodes.GetN(); ++i)
    {
        Ptr<Node> node = nodes.Get(i);
        for (uint32_t j = 0; j < node->GetNApplications(); ++j)
        {
            if (Ptr<PresenceAgent> agent = DynamicCast<PresenceAgent>(node->GetApplication(j)))
            {
                current += agent->AssignStreams(current);
            }
        }
    }
    return current - stream;
}

} // namespace ns3
