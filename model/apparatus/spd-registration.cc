/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "spd-registration.h"

namespace ns3
{

SpdRegistration::SpdRegistration(Ptr<SecurityPolicyDatabase> spd)
    : m_spd(spd)
{
}

bool
SpdRegistration::HasSpd() const
{
    return m_spd != nullptr;
}

void
SpdRegistration::Install(const std::vector<SecurityPolicy>& policies)
{
    if (m_spd)
    {
        Remove();
        m_ids.clear();
        for (const auto& p : policies)
        {
            m_ids.push_back(m_spd->Add(p));
        }
    }
    m_policies = policies;
}

void
SpdRegistration::Remove()
{
    if (m_spd)
    {
        for (auto id : m_ids)
        {
            m_spd->Remove(id);
        }
    }
}

const std::vector<SecurityPolicy>&
SpdRegistration::GetPolicies() const
{
    return m_policies;
}

} // namespace ns3
