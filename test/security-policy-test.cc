/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/security-policy.h"

#include <gtest/gtest.h>

using namespace ns3;

TEST(AddressRange, PrefixContainment)
{
    auto net = AddressRange::Prefix(Ipv4Address("192.168.1.77"), 24);
    EXPECT_EQ(net.address, Ipv4Address("192.168.1.0"));
    EXPECT_TRUE(net.ContainsAddress(Ipv4Address("192.168.1.200")));
    EXPECT_FALSE(net.ContainsAddress(Ipv4Address("192.168.2.1")));
    auto all = AddressRange::Prefix(Ipv4Address("0.0.0.0"), 0);
    EXPECT_TRUE(all.ContainsAddress(Ipv4Address("255.255.255.255")));
    auto host = AddressRange::Host(Ipv4Address("10.0.0.1"));
    EXPECT_TRUE(host.IsHost());
    EXPECT_FALSE(host.ContainsAddress(Ipv4Address("10.0.0.2")));
}

TEST(AddressRange, Ports)
{
    AddressRange r;
    EXPECT_TRUE(r.ContainsPort(0));
    EXPECT_TRUE(r.ContainsPort(5060));
    r.port = 5060;
    EXPECT_TRUE(r.ContainsPort(5060));
    EXPECT_FALSE(r.ContainsPort(5061));
}

TEST(UpperProtocol, NamesAndNumbers)
{
    auto udp = UpperProtocol::FromName("udp");
    ASSERT_TRUE(udp.has_value());
    EXPECT_EQ(udp->number, 17);
    EXPECT_EQ(udp->ToString(), "udp");
    EXPECT_TRUE(udp->Matches(17));
    EXPECT_FALSE(udp->Matches(6));
    EXPECT_FALSE(UpperProtocol::FromName("bogus").has_value());
    UpperProtocol n;
    n.number = 17;
    n.numeric = true;
    EXPECT_EQ(n.ToString(), "17");
    EXPECT_FALSE(n == *udp); // same protocol, different written form
    UpperProtocol any;
    EXPECT_TRUE(any.Matches(132));
    EXPECT_EQ(any.ToString(), "any");
}

TEST(SecurityPolicy, MatchesAllSelectors)
{
    SecurityPolicy p;
    p.source = AddressRange::Host(Ipv4Address("192.168.1.1"));
    p.destination = AddressRange::Prefix(Ipv4Address("133.134.10.0"), 24);
    p.destination.port = 40000;
    p.upper.number = 17;
    Ipv4Address a("192.168.1.1");
    Ipv4Address b("133.134.10.10");
    EXPECT_TRUE(p.Matches(a, b, 17, 1, 40000));
    EXPECT_FALSE(p.Matches(a, b, 6, 1, 40000));
    EXPECT_FALSE(p.Matches(a, b, 17, 1, 40001));
    EXPECT_FALSE(p.Matches(b, a, 17, 1, 40000));
    EXPECT_EQ(p.GetPriority(), 0);
    p.priority = -3;
    EXPECT_EQ(p.GetPriority(), -3);
}

TEST(SecurityPolicy, EnumNames)
{
    EXPECT_EQ(ToString(PolicyDirection::IN), "in");
    EXPECT_EQ(ToString(PolicyAction::DISCARD), "discard");
    EXPECT_EQ(ToString(IpsecProtocol::IPCOMP), "ipcomp");
    EXPECT_EQ(ToString(IpsecMode::TUNNEL), "tunnel");
    EXPECT_EQ(ToString(IpsecLevel::UNIQUE), "unique");
}
