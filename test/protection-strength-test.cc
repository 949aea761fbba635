/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/protection-strength.h"

#include <gtest/gtest.h>

using namespace ns3;

namespace
{

SecurityPolicy
Ipsec(std::initializer_list<std::pair<IpsecProtocol, IpsecLevel>> requests,
      IpsecMode mode = IpsecMode::TRANSPORT)
{
    SecurityPolicy p;
    p.action = PolicyAction::IPSEC;
    for (const auto& [proto, level] : requests)
    {
        IpsecRequest r;
        r.protocol = proto;
        r.level = level;
        r.mode = mode;
        p.requests.push_back(r);
    }
    return p;
}

SecurityPolicy
Plain(PolicyAction a)
{
    SecurityPolicy p;
    p.action = a;
    return p;
}

constexpr auto AH = IpsecProtocol::AH;
constexpr auto ESP = IpsecProtocol::ESP;
constexpr auto IPCOMP = IpsecProtocol::IPCOMP;
constexpr auto USE = IpsecLevel::USE;
constexpr auto REQ = IpsecLevel::REQUIRE;

} // namespace

// From weakest to strongest; each entry must be strictly stronger than the previous one.
TEST(ProtectionStrength, ChainIsStrictlyIncreasing)
{
    std::vector<SecurityPolicy> chain = {
        Plain(PolicyAction::NONE),
        Ipsec({{IPCOMP, USE}}),
        Ipsec({{AH, USE}}),
        Ipsec({{ESP, USE}}),
        Ipsec({{ESP, USE}, {AH, USE}}),
        Ipsec({{IPCOMP, REQ}}),
        Ipsec({{AH, REQ}}),
        Ipsec({{AH, REQ}, {ESP, USE}}),
        Ipsec({{ESP, REQ}}),
        Ipsec({{ESP, REQ}}, IpsecMode::TUNNEL),
        Ipsec({{ESP, IpsecLevel::UNIQUE}}),
        Ipsec({{ESP, REQ}, {AH, REQ}}),
        Plain(PolicyAction::DISCARD),
    };
    for (size_t i = 0; i < chain.size(); ++i)
    {
        for (size_t j = 0; j < chain.size(); ++j)
        {
            int expected = i < j ? -1 : (i == j ? 0 : 1);
            EXPECT_EQ(ProtectionStrength::Compare(chain[i], chain[j]), expected)
                << i << " vs " << j << ": " << ProtectionStrength(chain[i]) << " / "
                << ProtectionStrength(chain[j]);
        }
    }
}

TEST(ProtectionStrength, EqualIgnoresSelectorsAndOrder)
{
    auto a = Ipsec({{ESP, REQ}, {AH, REQ}});
    auto b = Ipsec({{AH, REQ}, {ESP, REQ}});
    b.destination = AddressRange::Host(Ipv4Address("192.168.1.2"));
    b.direction = PolicyDirection::IN;
    EXPECT_TRUE(ProtectionStrength(a) == ProtectionStrength(b));
    // An unwritten level is the default level, which ranks as use.
    auto def = Ipsec({{ESP, USE}});
    def.requests[0].level.reset();
    EXPECT_EQ(ProtectionStrength::Compare(def, Ipsec({{ESP, USE}})), 0);
    EXPECT_LT(ProtectionStrength(def), ProtectionStrength(Ipsec({{ESP, REQ}})));
}

TEST(ProtectionStrength, Describe)
{
    EXPECT_EQ(ProtectionStrength(Plain(PolicyAction::NONE)).ToString(), "none");
    EXPECT_EQ(ProtectionStrength(Ipsec({{ESP, REQ}, {AH, REQ}})).ToString(),
              "ipsec require:esp+ah use:-");
    EXPECT_EQ(ProtectionStrength(Ipsec({{ESP, IpsecLevel::UNIQUE}}, IpsecMode::TUNNEL)).ToString(),
              "ipsec require:esp use:- unique tunnel");
}
