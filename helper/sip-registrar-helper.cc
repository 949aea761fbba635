/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "sip-registrar-helper.h"

#include "ns3/node.h"

namespace ns3
{

SipRegistrarHelper::SipRegistrarHelper()
{
    m_factory.SetTypeId(SipRegistrar::GetTypeId());
}

void
SipRegistrarHelper::SetAttribute(const std::string& name, const AttributeValue& value)
{
    m_factory.Set(name, value);
}

ApplicationContainer
SipRegistrarHelper::Install(NodeContainer nodes) const
{
    ApplicationContainer apps;
    for (auto it = nodes.Begin(); it != nodes.End(); ++it)
    {
        apps.Add(Install(*it));
    }
    return apps;
}

ApplicationContainer
SipRegistrarHelper::Install(Ptr<Node> node) const
{
    Ptr<SipRegistrar> registrar = m_factory.Create<SipRegistrar>();
    node->AddApplication(registrar);
    return ApplicationContainer(registrar);
}

} // namespace ns3
