/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "protection-strength.h"

#include <sstream>

namespace ns3
{

namespace
{

const char* const kServiceNames[] = {"-", "ipcomp", "ah", "esp", "esp+ah"};

} // namespace

int
ProtectionStrength::ServiceRank(bool ah, bool esp, bool ipcomp)
{
    if (esp && ah)
    {
        return 4;
    }
    if (esp)
    {
        return 3;
    }
    if (ah)
    {
        return 2;
    }
    return ipcomp ? 1 : 0;
}

ProtectionStrength::ProtectionStrength(const SecurityPolicy& policy)
    : m_key{}
{
    switch (policy.action)
    {
    case PolicyAction::NONE:
        m_key[0] = 0;
        return;
    case PolicyAction::DISCARD:
        m_key[0] = 2;
        return;
    case PolicyAction::IPSEC:
        m_key[0] = 1;
        break;
    }
    bool guaranteed[3] = {false, false, false}; // ah, esp, ipcomp
    bool offered[3] = {false, false, false};
    int unique = 0;
    int tunnel = 0;
    for (const IpsecRequest& r : policy.requests)
    {
        IpsecLevel level = r.GetLevel();
        bool strong = level == IpsecLevel::REQUIRE || level == IpsecLevel::UNIQUE;
        (strong ? guaranteed : offered)[static_cast<int>(r.protocol)] = true;
        unique += level == IpsecLevel::UNIQUE ? 1 : 0;
        tunnel += r.mode == IpsecMode::TUNNEL ? 1 : 0;
    }
    m_key[1] = ServiceRank(guaranteed[0], guaranteed[1], guaranteed[2]);
    m_key[2] = ServiceRank(offered[0], offered[1], offered[2]);
    m_key[3] = unique > 0 ? 1 : 0;
    m_key[4] = tunnel > 0 ? 1 : 0;
}

int
ProtectionStrength::Compare(const ProtectionStrength& other) const
{
    for (size_t i = 0; i < m_key.size(); ++i)
    {
        if (m_key[i] != other.m_key[i])
        {
            return m_key[i] < other.m_key[i] ? -1 : 1;
        }
    }
    return 0;
}

int
ProtectionStrength::Compare(const SecurityPolicy& a, const SecurityPolicy& b)
{
    return ProtectionStrength(a).Compare(ProtectionStrength(b));
}

std::string
ProtectionStrength::ToString() const
{
    static const char* const actions[] = {"none", "ipsec", "discard"};
    std::ostringstream os;
    os << actions[m_key[0]];
    if (m_key[0] == 1)
    {
        os << " require:" << kServiceNames[m_key[1]] << " use:" << kServiceNames[m_key[2]]
           << (m_key[3] != 0 ? " unique" : "") << (m_key[4] != 0 ? " tunnel" : "");
    }
    return os.str();
}

bool
operator<(const ProtectionStrength& a, const ProtectionStrength& b)
{
    return a.Compare(b) < 0;
}

bool
operator>(const ProtectionStrength& a, const ProtectionStrength& b)
{
    return a.Compare(b) > 0;
}

bool
operator==(const ProtectionStrength& a, const ProtectionStrength& b)
{
    return a.Compare(b) == 0;
}

bool
operator!=(const ProtectionStrength& a, const ProtectionStrength& b)
{
    return a.Compare(b) != 0;
}

bool
operator<=(const ProtectionStrength& a, const ProtectionStrength& b)
{
    return a.Compare(b) <= 0;
}

bool
operator>=(const ProtectionStrength& a, const ProtectionStrength& b)
{
    return a.Compare(b) >= 0;
}

std::ostream&
operator<<(std::ostream& os, const ProtectionStrength& s)
{
    return os << s.ToString();
}

} // namespace ns3
