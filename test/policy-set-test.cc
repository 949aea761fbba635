/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/callback-decision-model.h"
#include "ns3/policy-set.h"
#include "ns3/setkey-parser.h"

#include <gtest/gtest.h>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

// We are A (.1), the peer is B (.2). A peer's policies are written from its own point of view.
SecurityPolicy
Policy(const std::string& setkey)
{
    ParseResult<SecurityPolicy> r = SetkeyParser::ParsePolicy(setkey);
    EXPECT_TRUE(r.IsOk()) << setkey << ": " << r.Describe();
    return r.IsOk() ? r.GetValue() : SecurityPolicy();
}

/// B requires ESP for UDP from A and nothing for anything else (its view: `in`).
std::vector<SecurityPolicy>
PeerRequiringUdpEsp()
{
    return {Policy("spdadd 10.0.0.1 10.0.0.2 udp -P in ipsec esp/transport//require"),
            Policy("spdadd 10.0.0.1 10.0.0.2 any -P in none"),
            Policy("spdadd 10.0.0.2 10.0.0.1 any -P out none")};
}

} // namespace

TEST(PolicySetTest, LoweringUdpToClearAgainstAPeerRequiringUdpEspIsFound)
{
    // Our weakest `out` entry (clear) is no weaker than the peer's weakest `in` entry (clear),
    // so comparing the weakest entries of each side, as the decision check once did, finds
    // nothing; entry by entry, our UDP goes out clear where the peer requires ESP.
    std::vector<SecurityPolicy> ours = {Policy("spdadd 10.0.0.1 10.0.0.2 udp -P out none"),
                                        Policy("spdadd 10.0.0.1 10.0.0.2 any -P out none"),
                                        Policy("spdadd 10.0.0.2 10.0.0.1 any -P in none")};
    std::vector<SecurityPolicy> peer = PeerRequiringUdpEsp();
    EXPECT_EQ(PolicySet::Strength(ours, PolicyDirection::OUT),
              PolicySet::Strength(peer, PolicyDirection::IN));
    auto found = PolicySet::Lowerings(ours, peer);
    ASSERT_EQ(found.size(), 1u);
    ASSERT_TRUE(found[0].ours.has_value());
    EXPECT_EQ(*found[0].ours, ours[0]);
    EXPECT_EQ(found[0].peers, peer[0]);

    // Only the catch-all: it sends UDP clear too.
    std::vector<SecurityPolicy> catchAll = {Policy("spdadd 10.0.0.1 10.0.0.2 any -P out none")};
    EXPECT_TRUE(PolicySet::Lowers(catchAll, peer));
}

TEST(PolicySetTest, MeetingOrRaisingThePeersEntriesIsNoLowering)
{
    std::vector<SecurityPolicy> peer = PeerRequiringUdpEsp();
    // As proposed: UDP protected first, the rest clear (the catch-all never sees UDP).
    EXPECT_FALSE(PolicySet::Lowers(PolicySet::Mirror(peer), peer));
    // Everything raised to ESP+AH.
    std::vector<SecurityPolicy> raised = {
        Policy("spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport//require "
               "ah/transport//require")};
    EXPECT_FALSE(PolicySet::Lowers(raised, peer));
    EXPECT_TRUE(PolicySet::Raises(raised, peer));
    // Another host's traffic does not overlap the peer's entries.
    std::vector<SecurityPolicy> elsewhere = {Policy("spdadd 10.0.0.1 10.0.0.9 udp -P out none"),
                                             Policy("spdadd 10.0.0.1 10.0.0.2 any -P out ipsec "
                                                    "esp/transport//require")};
    EXPECT_FALSE(PolicySet::Lowers(elsewhere, peer));
}

TEST(PolicySetTest, FirstMatchOrderDecidesWhichPairsCount)
{
    // The peer's catch-all comes first: its UDP entry is never consulted, so it requires ESP
    // for UDP as for everything.
    std::vector<SecurityPolicy> peer = {
        Policy("spdadd 10.0.0.1 10.0.0.2 any -P in ipsec esp/transport//require"),
        Policy("spdadd 10.0.0.1 10.0.0.2 udp -P in none")};
    std::vector<SecurityPolicy> udpClear = {
        Policy("spdadd 10.0.0.1 10.0.0.2 udp -P out none"),
        Policy("spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport//require")};
    EXPECT_TRUE(PolicySet::Lowers(udpClear, peer));
    // A priority puts the peer's UDP entry first after all: then clear UDP is what it wants.
    peer[1] = Policy("spdadd 10.0.0.1 10.0.0.2 udp -P in prio -10 none");
    EXPECT_FALSE(PolicySet::Lowers(udpClear, peer));
    // Our own earlier entry decides UDP: the clear catch-all behind it lowers only the rest.
    std::vector<SecurityPolicy> tcpClear = {
        Policy("spdadd 10.0.0.1 10.0.0.2 udp -P out ipsec esp/transport//require"),
        Policy("spdadd 10.0.0.1 10.0.0.2 any -P out none")};
    auto found = PolicySet::Lowerings(tcpClear, peer);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(*found[0].ours, tcpClear[1]);
}

TEST(PolicySetTest, APeerEntryNoneOfOursCoversIsComparedWithClearText)
{
    std::vector<SecurityPolicy> peer = {
        Policy("spdadd 10.0.0.1 10.0.0.2 any -P in ipsec esp/transport//require")};
    std::vector<SecurityPolicy> onlyTcp = {
        Policy("spdadd 10.0.0.1 10.0.0.2 tcp -P out ipsec esp/transport//require")};
    auto found = PolicySet::Lowerings(onlyTcp, peer);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_FALSE(found[0].ours.has_value()); // UDP, ICMP... leave under no entry of ours
    EXPECT_TRUE(PolicySet::Lowers({}, peer));
    EXPECT_FALSE(PolicySet::Lowers({}, {Policy("spdadd 10.0.0.1 10.0.0.2 any -P in none")}));
}

TEST(PolicySetTest, OverlapAndCoverFollowPrefixesPortsAndProtocols)
{
    SecurityPolicy net = Policy("spdadd 10.0.0.0/24 10.0.0.2 any -P out none");
    SecurityPolicy host = Policy("spdadd 10.0.0.1 10.0.0.2[5060] udp -P out none");
    SecurityPolicy other = Policy("spdadd 10.0.1.1 10.0.0.2 any -P out none");
    SecurityPolicy port = Policy("spdadd 10.0.0.1 10.0.0.2[4000] udp -P out none");
    SecurityPolicy tcp = Policy("spdadd 10.0.0.1 10.0.0.2 tcp -P out none");
    EXPECT_TRUE(PolicySet::Overlap(net, host));
    EXPECT_TRUE(PolicySet::Covers(net, host));
    EXPECT_FALSE(PolicySet::Covers(host, net));
    EXPECT_FALSE(PolicySet::Overlap(net, other));
    EXPECT_FALSE(PolicySet::Overlap(host, port));
    EXPECT_FALSE(PolicySet::Overlap(host, tcp));
    EXPECT_TRUE(PolicySet::Overlap(net, tcp));
}

TEST(PolicySetTest, DecideFlagsAUdpLoweringAndNotARaise)
{
    DecisionContext ctx;
    ctx.peerAddress = Ipv4Address("10.0.0.2");
    ctx.ownAddress = Ipv4Address("10.0.0.1");
    ctx.peerProposal = PeerRequiringUdpEsp();
    // The user sends everything clear: UDP is lowered.
    auto lower = CreateObject<CallbackDecisionModel>([](const DecisionContext& c) {
        return UserDecisionModel::Modify(PolicySet::SetTo(c.OurView(), {}), "all clear");
    });
    Decision d = lower->Decide(ctx);
    EXPECT_TRUE(d.needsNegotiation) << d;
    // The user raises everything to ESP: no negotiation.
    auto raise = CreateObject<CallbackDecisionModel>([](const DecisionContext& c) {
        return UserDecisionModel::Modify(PolicySet::RaiseTo(c.OurView(), {IpsecProtocol::ESP}),
                                         "all esp");
    });
    d = raise->Decide(ctx);
    EXPECT_FALSE(d.needsNegotiation) << d;
    EXPECT_EQ(d.verdict, DecisionVerdict::MODIFY);
}
