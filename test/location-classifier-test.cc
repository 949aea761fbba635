/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/location-classifier.h"

#include <gtest/gtest.h>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

using Source = LocationClass::Source;

/// The configuration of the tests: an office LAN with a lab inside it, a home VPN pool.
LocationClassifier
Configured()
{
    LocationClassifier c;
    EXPECT_TRUE(c.AddPrefix("192.168.1.0/24", "office", true, PlaceType::OFFICE));
    EXPECT_TRUE(c.AddPrefix("192.168.1.128/25", "lab", false, PlaceType::OFFICE));
    EXPECT_TRUE(c.AddPrefix("10.8.0.0/16", "home", true, PlaceType::RESIDENCE));
    EXPECT_TRUE(c.AddPrefix("133.134.10.0/24", "partner", false, PlaceType::OTHER));
    return c;
}

struct Case
{
    const char* address;
    const char* label;
    bool trusted;
    PlaceType placeType;
    Source source;
    const char* prefix; //!< the prefix that decided
};

} // namespace

TEST(LocationClassifier, Table)
{
    const std::vector<Case> table{
        // Configured prefixes, longest first.
        {"192.168.1.1", "office", true, PlaceType::OFFICE, Source::CONFIGURED, "192.168.1.0/24"},
        {"192.168.1.2", "office", true, PlaceType::OFFICE, Source::CONFIGURED, "192.168.1.0/24"},
        {"192.168.1.127", "office", true, PlaceType::OFFICE, Source::CONFIGURED, "192.168.1.0/24"},
        {"192.168.1.128", "lab", false, PlaceType::OFFICE, Source::CONFIGURED, "192.168.1.128/25"},
        {"192.168.1.255", "lab", false, PlaceType::OFFICE, Source::CONFIGURED, "192.168.1.128/25"},
        {"10.8.0.1", "home", true, PlaceType::RESIDENCE, Source::CONFIGURED, "10.8.0.0/16"},
        {"10.8.255.254", "home", true, PlaceType::RESIDENCE, Source::CONFIGURED, "10.8.0.0/16"},
        // A configured public prefix beats the public default.
        {"133.134.10.10",
         "partner",
         false,
         PlaceType::OTHER,
         Source::CONFIGURED,
         "133.134.10.0/24"},
        // RFC 1918.
        {"192.168.2.1", "private", false, PlaceType::UNKNOWN, Source::PRIVATE, "192.168.0.0/16"},
        {"10.9.0.1", "private", false, PlaceType::UNKNOWN, Source::PRIVATE, "10.0.0.0/8"},
        {"10.0.0.0", "private", false, PlaceType::UNKNOWN, Source::PRIVATE, "10.0.0.0/8"},
        {"172.16.0.1", "private", false, PlaceType::UNKNOWN, Source::PRIVATE, "172.16.0.0/12"},
        {"172.31.255.255", "private", false, PlaceType::UNKNOWN, Source::PRIVATE, "172.16.0.0/12"},
        // RFC 6598 shared space, loopback, link-local.
        {"100.64.0.1", "private", false, PlaceType::UNKNOWN, Source::PRIVATE, "100.64.0.0/10"},
        {"100.127.255.255", "private", false, PlaceType::UNKNOWN, Source::PRIVATE, "100.64.0.0/10"},
        {"127.0.0.1", "private", false, PlaceType::UNKNOWN, Source::PRIVATE, "127.0.0.0/8"},
        {"169.254.10.20", "private", false, PlaceType::UNKNOWN, Source::PRIVATE, "169.254.0.0/16"},
        // Just outside the private blocks, and plainly public.
        {"172.15.255.255", "external", false, PlaceType::UNKNOWN, Source::PUBLIC, "0.0.0.0/0"},
        {"172.32.0.0", "external", false, PlaceType::UNKNOWN, Source::PUBLIC, "0.0.0.0/0"},
        {"100.63.255.255", "external", false, PlaceType::UNKNOWN, Source::PUBLIC, "0.0.0.0/0"},
        {"100.128.0.0", "external", false, PlaceType::UNKNOWN, Source::PUBLIC, "0.0.0.0/0"},
        {"192.169.0.1", "external", false, PlaceType::UNKNOWN, Source::PUBLIC, "0.0.0.0/0"},
        {"169.255.0.1", "external", false, PlaceType::UNKNOWN, Source::PUBLIC, "0.0.0.0/0"},
        {"11.0.0.1", "external", false, PlaceType::UNKNOWN, Source::PUBLIC, "0.0.0.0/0"},
        {"133.134.11.10", "external", false, PlaceType::UNKNOWN, Source::PUBLIC, "0.0.0.0/0"},
        {"8.8.8.8", "external", false, PlaceType::UNKNOWN, Source::PUBLIC, "0.0.0.0/0"},
    };
    LocationClassifier c = Configured();
    EXPECT_EQ(c.GetNPrefixes(), 4u);
    for (const auto& t : table)
    {
        SCOPED_TRACE(t.address);
        LocationClass got = c.Classify(Ipv4Address(t.address));
        EXPECT_EQ(got.label, t.label);
        EXPECT_EQ(got.trusted, t.trusted);
        EXPECT_EQ(got.placeType, t.placeType);
        EXPECT_EQ(got.source, t.source);
        EXPECT_EQ(got.prefix.ToString(), t.prefix);
        EXPECT_EQ(LocationClassifier::IsPrivate(Ipv4Address(t.address)),
                  t.source == Source::PRIVATE ||
                      (t.source == Source::CONFIGURED && std::string(t.label) != "partner"));
    }
}

// The patent's judgement: a private address means "inside the office", anything else
// "external" (FIG. 9 vs FIG. 11).
TEST(LocationClassifier, PatentJudgement)
{
    LocationClassifier c;
    c.SetPrivateClass("office", true, PlaceType::OFFICE);
    LocationClass peer1 = c.Classify(Ipv4Address("192.168.1.2"));
    EXPECT_EQ(peer1.label, "office");
    EXPECT_TRUE(peer1.trusted);
    EXPECT_EQ(peer1.placeType, PlaceType::OFFICE);
    LocationClass peer2 = c.Classify(Ipv4Address("133.134.10.10"));
    EXPECT_EQ(peer2.label, "external");
    EXPECT_FALSE(peer2.trusted);

    c.SetPublicClass("internet", false, PlaceType::PUBLIC);
    EXPECT_EQ(c.Classify(Ipv4Address("133.134.10.10")).label, "internet");
    EXPECT_EQ(c.Classify(Ipv4Address("133.134.10.10")).placeType, PlaceType::PUBLIC);

    // Defaults: private space is not trusted (a hotel NAT is private too).
    LocationClassifier d;
    EXPECT_EQ(d.Classify(Ipv4Address("192.168.1.2")).label, "private");
    EXPECT_FALSE(d.Classify(Ipv4Address("192.168.1.2")).trusted);
}

TEST(LocationClassifier, ReplaceRemoveClear)
{
    LocationClassifier c = Configured();
    // Same prefix again replaces the rule.
    ASSERT_TRUE(c.AddPrefix("192.168.1.0/24", "head office", true, PlaceType::OFFICE));
    EXPECT_EQ(c.GetNPrefixes(), 4u);
    EXPECT_EQ(c.Classify(Ipv4Address("192.168.1.2")).label, "head office");
    // Removing the /25 exposes the /24 under it.
    auto lab = Ipv4Prefix::Parse("192.168.1.128/25");
    ASSERT_TRUE(lab);
    EXPECT_TRUE(c.RemovePrefix(lab.GetValue()));
    EXPECT_FALSE(c.RemovePrefix(lab.GetValue()));
    EXPECT_EQ(c.Classify(Ipv4Address("192.168.1.200")).label, "head office");
    // A /0 catches everything not more specific, private space included.
    c.AddPrefix(Ipv4Prefix{Ipv4Address("0.0.0.0"), 0}, "anywhere", false, PlaceType::UNKNOWN);
    EXPECT_EQ(c.Classify(Ipv4Address("10.1.1.1")).label, "anywhere");
    EXPECT_EQ(c.Classify(Ipv4Address("10.8.1.1")).label, "home");
    // A refused prefix adds nothing.
    auto bad = c.AddPrefix("192.168.1.5/24", "typo", true, PlaceType::OFFICE);
    EXPECT_FALSE(bad);
    EXPECT_EQ(c.GetNPrefixes(), 4u);
    c.Clear();
    EXPECT_EQ(c.GetNPrefixes(), 0u);
    EXPECT_EQ(c.Classify(Ipv4Address("192.168.1.2")).source, Source::PRIVATE);
}

// Copies share the prefix table until one changes it: a change through one copy is never
// seen by another.
TEST(LocationClassifier, CopiesAreIndependent)
{
    LocationClassifier a = Configured();
    LocationClassifier b = a;
    ASSERT_TRUE(b.AddPrefix("172.16.0.0/12", "depot", true, PlaceType::OTHER));
    EXPECT_EQ(a.GetNPrefixes(), 4u);
    EXPECT_EQ(b.GetNPrefixes(), 5u);
    EXPECT_EQ(a.Classify(Ipv4Address("172.16.1.1")).label, "private");
    EXPECT_EQ(b.Classify(Ipv4Address("172.16.1.1")).label, "depot");

    LocationClassifier c = a;
    auto office = Ipv4Prefix::Parse("192.168.1.0/24");
    ASSERT_TRUE(office);
    EXPECT_TRUE(a.RemovePrefix(office.GetValue()));
    EXPECT_EQ(a.Classify(Ipv4Address("192.168.1.2")).label, "private");
    EXPECT_EQ(c.Classify(Ipv4Address("192.168.1.2")).label, "office");
    EXPECT_EQ(b.Classify(Ipv4Address("192.168.1.2")).label, "office");

    c.Clear();
    EXPECT_EQ(b.GetNPrefixes(), 5u);
    EXPECT_EQ(a.GetNPrefixes(), 3u);
}

TEST(LocationClassifier, PrefixParsing)
{
    struct Good
    {
        const char* text;
        const char* network;
        unsigned length;
    };

    for (const Good& g : std::vector<Good>{{"192.168.1.0/24", "192.168.1.0", 24},
                                           {"10.0.0.0/8", "10.0.0.0", 8},
                                           {"0.0.0.0/0", "0.0.0.0", 0},
                                           {"1.2.3.4", "1.2.3.4", 32},
                                           {"1.2.3.4/32", "1.2.3.4", 32},
                                           {"100.64.0.0/10", "100.64.0.0", 10},
                                           {"255.255.255.255/32", "255.255.255.255", 32}})
    {
        SCOPED_TRACE(g.text);
        auto p = Ipv4Prefix::Parse(g.text);
        ASSERT_TRUE(p) << p.Describe();
        EXPECT_EQ(p.GetValue().network, Ipv4Address(g.network));
        EXPECT_EQ(p.GetValue().length, g.length);
    }
    EXPECT_EQ(Ipv4Prefix::Parse("1.2.3.4").GetValue().ToString(), "1.2.3.4/32");

    struct Bad
    {
        const char* text;
        const char* expected;
    };

    for (const Bad& b : std::vector<Bad>{{"192.168.1.0/33", "bad prefix length '33'"},
                                         {"192.168.1.0/", "bad prefix length ''"},
                                         {"192.168.1.0/-1", "bad prefix length '-1'"},
                                         {"192.168.1.0/08", "bad prefix length '08'"},
                                         {"192.168.1.0/2 4", "bad prefix length"},
                                         {"192.168.1.0/24/5", "bad prefix length '24/5'"},
                                         {"192.168.1.5/24", "host bits set"},
                                         {"10.8.0.0/8", "network would be 10.0.0.0/8"},
                                         {"256.1.1.0/24", "bad IPv4 address '256.1.1.0'"},
                                         {"1.2.3/24", "bad IPv4 address '1.2.3'"},
                                         {"a.b.c.d/8", "bad IPv4 address"},
                                         {"01.2.3.4/32", "bad IPv4 address"},
                                         {" 1.2.3.4/32", "bad IPv4 address"},
                                         {"", "bad IPv4 address ''"},
                                         {"/24", "bad IPv4 address ''"},
                                         {"2001:db8::/32", "bad"}})
    {
        SCOPED_TRACE(b.text);
        auto p = Ipv4Prefix::Parse(b.text);
        ASSERT_FALSE(p);
        EXPECT_NE(p.GetError().find(b.expected), std::string::npos) << p.GetError();
    }
}

TEST(LocationClassifier, PrefixContains)
{
    Ipv4Prefix all{Ipv4Address("0.0.0.0"), 0};
    EXPECT_TRUE(all.Contains(Ipv4Address("255.255.255.255")));
    Ipv4Prefix host = Ipv4Prefix::Parse("192.168.1.2/32").GetValue();
    EXPECT_TRUE(host.Contains(Ipv4Address("192.168.1.2")));
    EXPECT_FALSE(host.Contains(Ipv4Address("192.168.1.3")));
    Ipv4Prefix net = Ipv4Prefix::Parse("172.16.0.0/12").GetValue();
    EXPECT_TRUE(net.Contains(Ipv4Address("172.31.0.1")));
    EXPECT_FALSE(net.Contains(Ipv4Address("172.32.0.1")));
    EXPECT_EQ(net, (Ipv4Prefix{Ipv4Address("172.16.0.0"), 12}));
}
