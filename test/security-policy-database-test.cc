/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/enum.h"
#include "ns3/security-policy-database.h"
#include "ns3/string.h"

#include <gtest/gtest.h>
#include <random>

using namespace ns3;

namespace
{

SecurityPolicy
MakePolicy(const std::string& src,
           uint8_t srcLen,
           const std::string& dst,
           uint8_t dstLen,
           PolicyAction action,
           PolicyDirection dir = PolicyDirection::OUT)
{
    SecurityPolicy p;
    p.source = AddressRange::Prefix(Ipv4Address(src.c_str()), srcLen);
    p.destination = AddressRange::Prefix(Ipv4Address(dst.c_str()), dstLen);
    p.direction = dir;
    p.action = action;
    if (action == PolicyAction::IPSEC)
    {
        IpsecRequest r;
        r.level = IpsecLevel::REQUIRE;
        p.requests.push_back(r);
    }
    return p;
}

PacketSelector
Udp(const std::string& src, const std::string& dst, uint16_t sport = 1000, uint16_t dport = 2000)
{
    return PacketSelector{Ipv4Address(src.c_str()), Ipv4Address(dst.c_str()), 17, sport, dport};
}

} // namespace

TEST(SecurityPolicyDatabase, FirstMatchInInsertionOrder)
{
    auto spd = CreateObject<SecurityPolicyDatabase>();
    spd->Add(MakePolicy("10.0.0.0", 8, "0.0.0.0", 0, PolicyAction::DISCARD));
    spd->Add(MakePolicy("10.1.0.0", 16, "0.0.0.0", 0, PolicyAction::IPSEC));
    // The broader entry came first, so it shadows the narrower one.
    EXPECT_EQ(spd->Decide(PolicyDirection::OUT, Udp("10.1.2.3", "1.2.3.4")), PolicyAction::DISCARD);
}

TEST(SecurityPolicyDatabase, PriorityBeatsInsertionOrder)
{
    auto spd = CreateObject<SecurityPolicyDatabase>();
    spd->Add(MakePolicy("0.0.0.0", 0, "192.168.1.2", 32, PolicyAction::IPSEC));
    auto bypass = MakePolicy("0.0.0.0", 0, "0.0.0.0", 0, PolicyAction::NONE);
    bypass.priority = -5;
    spd->Add(bypass);
    EXPECT_EQ(spd->Decide(PolicyDirection::OUT, Udp("192.168.1.1", "192.168.1.2")),
              PolicyAction::NONE);
    auto entries = spd->GetEntries(PolicyDirection::OUT);
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[0].GetPriority(), -5);
}

TEST(SecurityPolicyDatabase, WildcardEarlierThanHostEntryWins)
{
    // The index must not let a host entry jump ahead of an earlier wildcard entry.
    auto spd = CreateObject<SecurityPolicyDatabase>();
    spd->Add(MakePolicy("0.0.0.0", 0, "192.168.0.0", 16, PolicyAction::DISCARD));
    spd->Add(MakePolicy("0.0.0.0", 0, "192.168.1.2", 32, PolicyAction::IPSEC));
    EXPECT_EQ(spd->Decide(PolicyDirection::OUT, Udp("1.1.1.1", "192.168.1.2")),
              PolicyAction::DISCARD);
    // ... and a host entry earlier than a wildcard wins over it.
    auto spd2 = CreateObject<SecurityPolicyDatabase>();
    spd2->Add(MakePolicy("0.0.0.0", 0, "192.168.1.2", 32, PolicyAction::IPSEC));
    spd2->Add(MakePolicy("0.0.0.0", 0, "192.168.0.0", 16, PolicyAction::DISCARD));
    EXPECT_EQ(spd2->Decide(PolicyDirection::OUT, Udp("1.1.1.1", "192.168.1.2")),
              PolicyAction::IPSEC);
}

TEST(SecurityPolicyDatabase, DirectionsAreSeparate)
{
    auto spd = CreateObject<SecurityPolicyDatabase>();
    spd->Add(MakePolicy("0.0.0.0", 0, "0.0.0.0", 0, PolicyAction::DISCARD, PolicyDirection::IN));
    EXPECT_EQ(spd->Decide(PolicyDirection::IN, Udp("1.1.1.1", "2.2.2.2")), PolicyAction::DISCARD);
    EXPECT_EQ(spd->Lookup(PolicyDirection::OUT, Udp("1.1.1.1", "2.2.2.2")), nullptr);
}

TEST(SecurityPolicyDatabase, SelectorsPortsAndProtocol)
{
    auto spd = CreateObject<SecurityPolicyDatabase>();
    auto sip = MakePolicy("0.0.0.0", 0, "0.0.0.0", 0, PolicyAction::NONE);
    sip.destination.port = 5060;
    sip.upper.number = 17;
    spd->Add(sip);
    spd->Add(MakePolicy("0.0.0.0", 0, "0.0.0.0", 0, PolicyAction::DISCARD));
    EXPECT_EQ(spd->Decide(PolicyDirection::OUT, Udp("1.1.1.1", "2.2.2.2", 7, 5060)),
              PolicyAction::NONE);
    EXPECT_EQ(spd->Decide(PolicyDirection::OUT, Udp("1.1.1.1", "2.2.2.2", 7, 5061)),
              PolicyAction::DISCARD);
    PacketSelector tcp = Udp("1.1.1.1", "2.2.2.2", 7, 5060);
    tcp.protocol = 6;
    EXPECT_EQ(spd->Decide(PolicyDirection::OUT, tcp), PolicyAction::DISCARD);
}

TEST(SecurityPolicyDatabase, DefaultPolicyThenNoMatchAction)
{
    auto spd = CreateObject<SecurityPolicyDatabase>();
    spd->Add(MakePolicy("0.0.0.0", 0, "192.168.1.2", 32, PolicyAction::NONE));
    auto unknown = Udp("192.168.1.1", "133.134.10.10");
    EXPECT_EQ(spd->Lookup(PolicyDirection::OUT, unknown), nullptr);
    EXPECT_EQ(spd->Decide(PolicyDirection::OUT, unknown), PolicyAction::NONE); // Linux bypass
    spd->SetAttribute("NoMatchAction", StringValue("discard"));
    EXPECT_EQ(spd->Decide(PolicyDirection::OUT, unknown), PolicyAction::DISCARD); // RFC 4301
    spd->SetDefaultPolicy(PolicyDirection::OUT,
                          MakePolicy("0.0.0.0", 0, "0.0.0.0", 0, PolicyAction::IPSEC));
    EXPECT_EQ(spd->Decide(PolicyDirection::OUT, unknown), PolicyAction::IPSEC);
    // The per-peer entry still comes before the default.
    EXPECT_EQ(spd->Decide(PolicyDirection::OUT, Udp("192.168.1.1", "192.168.1.2")),
              PolicyAction::NONE);
    spd->ClearDefaultPolicy(PolicyDirection::OUT);
    EXPECT_EQ(spd->Decide(PolicyDirection::OUT, unknown), PolicyAction::DISCARD);
}

TEST(SecurityPolicyDatabase, RemoveAndTraces)
{
    auto spd = CreateObject<SecurityPolicyDatabase>();
    int added = 0;
    int removed = 0;
    spd->TraceConnectWithoutContext(
        "PolicyAdded",
        Callback<void, const SecurityPolicy&, SecurityPolicyDatabase::EntryId>(
            [&added](const SecurityPolicy&, SecurityPolicyDatabase::EntryId) { ++added; }));
    spd->TraceConnectWithoutContext(
        "PolicyRemoved",
        Callback<void, const SecurityPolicy&, SecurityPolicyDatabase::EntryId>(
            [&removed](const SecurityPolicy&, SecurityPolicyDatabase::EntryId) { ++removed; }));
    auto a = spd->Add(MakePolicy("0.0.0.0", 0, "192.168.1.2", 32, PolicyAction::DISCARD));
    spd->Add(MakePolicy("192.168.1.1", 32, "0.0.0.0", 0, PolicyAction::IPSEC));
    EXPECT_EQ(spd->GetN(), 2u);
    EXPECT_EQ(spd->Decide(PolicyDirection::OUT, Udp("192.168.1.1", "192.168.1.2")),
              PolicyAction::DISCARD);
    EXPECT_TRUE(spd->Remove(a));
    EXPECT_FALSE(spd->Remove(a));
    EXPECT_EQ(spd->Decide(PolicyDirection::OUT, Udp("192.168.1.1", "192.168.1.2")),
              PolicyAction::IPSEC);
    EXPECT_EQ(added, 2);
    EXPECT_EQ(removed, 1);
    spd->Clear();
    EXPECT_EQ(spd->GetN(), 0u);
    EXPECT_EQ(spd->Lookup(PolicyDirection::OUT, Udp("192.168.1.1", "192.168.1.2")), nullptr);
}

// The edit listeners hear every kind of edit, after it is made, and no more once removed.
TEST(SecurityPolicyDatabase, EditListenersHearEveryEditAfterItIsMade)
{
    auto spd = CreateObject<SecurityPolicyDatabase>();
    const auto flow = Udp("192.168.1.1", "192.168.1.2");
    std::vector<PolicyAction> seen; // the SPD's answer for flow, as each listener call saw it
    int other = 0;

    struct Listener
    {
        Ptr<SecurityPolicyDatabase> spd;
        PacketSelector flow;
        std::vector<PolicyAction>* seen;

        void Edited()
        {
            seen->push_back(spd->Decide(PolicyDirection::OUT, flow));
        }
    } listener{spd, flow, &seen};

    const Callback<void> cb = MakeCallback(&Listener::Edited, &listener);
    spd->AddEditListener(cb);
    spd->AddEditListener(Callback<void>([&other]() { ++other; }));

    auto id = spd->Add(MakePolicy("0.0.0.0", 0, "192.168.1.2", 32, PolicyAction::DISCARD));
    EXPECT_FALSE(spd->Remove(id + 100)); // no such entry: no edit
    EXPECT_TRUE(spd->Remove(id));
    spd->SetDefaultPolicy(PolicyDirection::OUT,
                          MakePolicy("0.0.0.0", 0, "0.0.0.0", 0, PolicyAction::IPSEC));
    spd->ClearDefaultPolicy(PolicyDirection::OUT);
    spd->SetNoMatchAction(PolicyAction::DISCARD);
    spd->Add(MakePolicy("0.0.0.0", 0, "192.168.1.2", 32, PolicyAction::NONE));
    spd->Clear();
    const std::vector<PolicyAction> expected{PolicyAction::DISCARD,  // added
                                             PolicyAction::NONE,     // removed: no match, bypass
                                             PolicyAction::IPSEC,    // the default
                                             PolicyAction::NONE,     // default gone
                                             PolicyAction::DISCARD,  // no-match action
                                             PolicyAction::NONE,     // the entry
                                             PolicyAction::DISCARD}; // cleared
    EXPECT_EQ(seen, expected);
    EXPECT_EQ(other, 7);

    spd->RemoveEditListener(cb);
    spd->Add(MakePolicy("0.0.0.0", 0, "192.168.1.2", 32, PolicyAction::NONE));
    EXPECT_EQ(seen.size(), expected.size()) << "removed: not told";
    EXPECT_EQ(other, 8) << "the other listener stays";
}

// The index must give exactly the linear first-match answer. Random policy sets mix host
// entries (indexed) with prefixes and wildcards, priorities, ports and protocols, drawn
// from small pools so that overlaps are common.
TEST(SecurityPolicyDatabase, IndexAgreesWithLinearScan)
{
    std::mt19937 rng(20261124);
    auto pick = [&rng](int n) { return static_cast<int>(rng() % n); };
    auto host = [&](void) {
        return Ipv4Address((10u << 24) | (0u << 16) | (static_cast<uint32_t>(pick(4)) << 8) |
                           static_cast<uint32_t>(1 + pick(12)));
    };
    const uint8_t lens[] = {32, 32, 32, 24, 16, 0};
    const int protos[] = {UpperProtocol::ANY, UpperProtocol::ANY, 6, 17};
    const uint16_t ports[] = {5060, 80};
    int decided = 0;
    int indexedHits = 0;
    for (int set = 0; set < 2000; ++set)
    {
        auto spd = CreateObject<SecurityPolicyDatabase>();
        int n = 1 + pick(40);
        for (int i = 0; i < n; ++i)
        {
            SecurityPolicy p;
            p.direction = pick(2) ? PolicyDirection::IN : PolicyDirection::OUT;
            p.source = AddressRange::Prefix(host(), lens[pick(6)]);
            p.destination = AddressRange::Prefix(host(), lens[pick(6)]);
            p.upper.number = protos[pick(4)];
            if (pick(4) == 0)
            {
                p.source.port = ports[pick(2)];
            }
            if (pick(4) == 0)
            {
                p.destination.port = ports[pick(2)];
            }
            if (pick(3) == 0)
            {
                p.priority = pick(5) - 2;
            }
            p.action = static_cast<PolicyAction>(pick(3));
            spd->Add(p);
        }
        if (pick(5) == 0)
        {
            spd->SetDefaultPolicy(PolicyDirection::OUT, SecurityPolicy{});
        }
        for (int k = 0; k < 25; ++k)
        {
            PacketSelector s{host(),
                             host(),
                             static_cast<uint8_t>(pick(2) ? 17 : 6),
                             pick(2) ? ports[pick(2)] : uint16_t(1234),
                             pick(2) ? ports[pick(2)] : uint16_t(4321)};
            auto dir = pick(2) ? PolicyDirection::IN : PolicyDirection::OUT;
            const SecurityPolicy* fast = spd->Lookup(dir, s);
            const SecurityPolicy* slow = spd->LookupLinear(dir, s);
            ASSERT_EQ(fast, slow) << "set " << set << " probe " << k;
            decided += fast != nullptr ? 1 : 0;
            indexedHits +=
                (fast != nullptr && (fast->destination.IsHost() || fast->source.IsHost())) ? 1 : 0;
        }
    }
    // The random sets must actually exercise both the index and the scan.
    EXPECT_GT(decided, 10000);
    EXPECT_GT(indexedHits, 2000);
}

// Peers come and go: the host index grows, and removals shift later slots back into the
// hole. Addresses from a small /22 collide in the table often. After every change the index
// must still give the linear answer, and an emptied database must hold nothing.
TEST(SecurityPolicyDatabase, IndexAgreesWithLinearScanThroughChurn)
{
    std::mt19937 rng(20261203);
    auto spd = CreateObject<SecurityPolicyDatabase>();
    std::vector<std::pair<SecurityPolicyDatabase::EntryId, uint32_t>> live;
    auto peer = [&rng]() { return (10u << 24) | (rng() % 1024); };
    int hits = 0;
    for (int step = 0; step < 6000; ++step)
    {
        if (live.empty() || rng() % 3 != 0)
        {
            SecurityPolicy p;
            p.direction = PolicyDirection::OUT;
            uint32_t a = peer();
            p.source = AddressRange::Host(Ipv4Address("192.168.1.1"));
            p.destination = AddressRange::Host(Ipv4Address(a));
            p.upper.number = rng() % 2 ? 17 : UpperProtocol::ANY;
            p.action = rng() % 2 ? PolicyAction::NONE : PolicyAction::DISCARD;
            live.emplace_back(spd->Add(p), a);
        }
        else
        {
            size_t k = rng() % live.size();
            ASSERT_TRUE(spd->Remove(live[k].first));
            live.erase(live.begin() + static_cast<long>(k));
        }
        for (int probe = 0; probe < 4; ++probe)
        {
            // Half the probes aim at a live peer, half anywhere in the pool.
            uint32_t a = !live.empty() && rng() % 2 ? live[rng() % live.size()].second : peer();
            PacketSelector s{Ipv4Address("192.168.1.1"), Ipv4Address(a), 17, 1000, 2000};
            const SecurityPolicy* fast = spd->Lookup(PolicyDirection::OUT, s);
            ASSERT_EQ(fast, spd->LookupLinear(PolicyDirection::OUT, s)) << "step " << step;
            hits += fast != nullptr ? 1 : 0;
        }
    }
    EXPECT_GT(hits, 8000);
    EXPECT_GT(live.size(), 500u);
    for (const auto& [id, address] : live)
    {
        ASSERT_TRUE(spd->Remove(id));
    }
    for (uint32_t a = 0; a < 1024; ++a)
    {
        PacketSelector s{Ipv4Address("192.168.1.1"), Ipv4Address((10u << 24) | a), 17, 1, 2};
        ASSERT_EQ(spd->Lookup(PolicyDirection::OUT, s), nullptr) << a;
    }
}
