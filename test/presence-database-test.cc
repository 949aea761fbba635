/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/boolean.h"
#include "ns3/location-classifier.h"
#include "ns3/pidf-codec.h"
#include "ns3/presence-database.h"
#include "ns3/simulator.h"

#include <gtest/gtest.h>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

SecurityPolicy
PatentPolicy()
{
    SecurityPolicy p;
    p.source = AddressRange::Host(Ipv4Address("192.168.1.1"));
    p.destination = AddressRange::Host(Ipv4Address("192.168.1.2"));
    p.upper = *UpperProtocol::FromName("udp");
    p.direction = PolicyDirection::OUT;
    p.action = PolicyAction::NONE;
    return p;
}

/// Peer apparatus 11-1 of the patent, at simulation time \p t after 2002-09-28T10:49:29Z.
PresenceDocument
PeerA(Time t = Seconds(0))
{
    PresenceDocument d;
    d.entity = "pres:peerA@example.com";
    d.timestamp = MakeTimestamp(*ParseRfc3339("2002-09-28T10:49:29Z"), t);
    d.placeType = PlaceType::OFFICE;
    d.addresses = {Ipv4Address("192.168.1.2")};
    d.user = "John";
    d.location = "office";
    d.policies = {PatentPolicy()};
    return d;
}

/// Records the database's trace sources.
struct TraceLog
{
    std::vector<std::string> events; //!< "added:<entity>", "updated:<entity>:<user>", ...

    void Connect(Ptr<PresenceDatabase> db)
    {
        db->TraceConnectWithoutContext(
            "EntryAdded",
            Callback<void, const PresenceEntry&>(
                [this](const PresenceEntry& e) { events.push_back("added:" + e.entity); }));
        db->TraceConnectWithoutContext(
            "EntryUpdated",
            Callback<void, const PresenceEntry&>([this](const PresenceEntry& e) {
                events.push_back("updated:" + e.entity + ":" + e.user + "@" + e.location);
            }));
        db->TraceConnectWithoutContext(
            "EntryRemoved",
            Callback<void, const PresenceEntry&>(
                [this](const PresenceEntry& e) { events.push_back("removed:" + e.entity); }));
    }
};

} // namespace

// FIG. 5 response -> PIDF -> decode -> FIG. 6 entry 600-1.
TEST(PresenceDatabase, PatentFigure6Entry)
{
    auto decoded = PidfCodec::Decode(PidfCodec::Encode(PeerA()));
    ASSERT_TRUE(decoded) << decoded.Describe();
    auto db = CreateObject<PresenceDatabase>();
    // Field 621 is the packet's source address, not anything the document claims.
    EXPECT_EQ(db->Register(decoded.GetValue(), Ipv4Address("192.168.1.2")),
              PresenceDatabase::Outcome::ADDED);
    auto e = db->Lookup("pres:peerA@example.com");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->entity, "pres:peerA@example.com");    // 620
    EXPECT_EQ(e->address, Ipv4Address("192.168.1.2")); // 621
    EXPECT_EQ(e->user, "John");                        // 622
    EXPECT_EQ(e->location, "office");                  // 623
    EXPECT_EQ(e->timestamp, "2002-09-28T10:49:29Z");   // 624
    EXPECT_EQ(e->placeType, PlaceType::OFFICE);
    ASSERT_EQ(e->document.policies.size(), 1u);
    EXPECT_EQ(e->document.policies[0], PatentPolicy());
    EXPECT_EQ(db->GetN(), 1u);
    EXPECT_EQ(db->GetEntities(), std::vector<std::string>{"pres:peerA@example.com"});
}

TEST(PresenceDatabase, RegisterUpdateRemoveAndTraces)
{
    auto db = CreateObject<PresenceDatabase>();
    TraceLog log;
    log.Connect(db);

    EXPECT_EQ(db->Update(PeerA(), Ipv4Address("192.168.1.2")),
              PresenceDatabase::Outcome::NOT_FOUND);
    EXPECT_EQ(db->Register(PeerA(), Ipv4Address("192.168.1.2")), PresenceDatabase::Outcome::ADDED);

    // The peer roams (second embodiment): new source address, new location.
    PresenceDocument moved = PeerA(Seconds(60));
    moved.location = "external";
    moved.placeType = PlaceType::PUBLIC;
    moved.addresses = {Ipv4Address("133.134.10.10")};
    EXPECT_EQ(db->Update(moved, Ipv4Address("133.134.10.10")), PresenceDatabase::Outcome::UPDATED);
    auto e = db->Lookup("pres:peerA@example.com");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->address, Ipv4Address("133.134.10.10"));
    EXPECT_EQ(e->location, "external");
    EXPECT_EQ(e->placeType, PlaceType::PUBLIC);
    EXPECT_EQ(e->timestamp, "2002-09-28T10:50:29Z");

    // Register of a known entity updates it.
    EXPECT_EQ(db->Register(PeerA(Seconds(120)), Ipv4Address("192.168.1.2")),
              PresenceDatabase::Outcome::UPDATED);

    PresenceDocument nobody;
    EXPECT_EQ(db->Register(nobody, Ipv4Address("10.0.0.1")), PresenceDatabase::Outcome::REJECTED);

    EXPECT_TRUE(db->Remove("pres:peerA@example.com"));
    EXPECT_FALSE(db->Remove("pres:peerA@example.com"));
    EXPECT_FALSE(db->Lookup("pres:peerA@example.com"));
    EXPECT_EQ(db->GetN(), 0u);

    const std::vector<std::string> expected{
        "added:pres:peerA@example.com",
        "updated:pres:peerA@example.com:John@external",
        "updated:pres:peerA@example.com:John@office",
        "removed:pres:peerA@example.com",
    };
    EXPECT_EQ(log.events, expected);
}

TEST(PresenceDatabase, OutdatedDocumentsIgnored)
{
    auto db = CreateObject<PresenceDatabase>();
    TraceLog log;
    log.Connect(db);
    ASSERT_EQ(db->Register(PeerA(Seconds(10)), Ipv4Address("192.168.1.2")),
              PresenceDatabase::Outcome::ADDED);
    // A replayed older document changes nothing (RFC 3863 §6) ...
    PresenceDocument old = PeerA(Seconds(5));
    old.location = "external";
    EXPECT_EQ(db->Register(old, Ipv4Address("6.6.6.6")), PresenceDatabase::Outcome::OUTDATED);
    EXPECT_EQ(db->Update(old, Ipv4Address("6.6.6.6")), PresenceDatabase::Outcome::OUTDATED);
    EXPECT_EQ(db->Lookup("pres:peerA@example.com")->location, "office");
    EXPECT_EQ(db->Lookup("pres:peerA@example.com")->address, Ipv4Address("192.168.1.2"));
    // ... the same instant written with an offset is not older ...
    PresenceDocument same = PeerA(Seconds(10));
    same.timestamp = "2002-09-28T19:49:39+09:00";
    EXPECT_EQ(db->Register(same, Ipv4Address("192.168.1.2")), PresenceDatabase::Outcome::UPDATED);
    // ... nor is a document without a timestamp.
    PresenceDocument undated = PeerA();
    undated.timestamp.clear();
    EXPECT_EQ(db->Register(undated, Ipv4Address("192.168.1.2")),
              PresenceDatabase::Outcome::UPDATED);
    EXPECT_EQ(log.events.size(), 3u);

    // With the check off, the older document is taken.
    db->SetAttribute("IgnoreOutdated", BooleanValue(false));
    EXPECT_EQ(db->Register(PeerA(Seconds(20)), Ipv4Address("192.168.1.2")),
              PresenceDatabase::Outcome::UPDATED);
    EXPECT_EQ(db->Register(old, Ipv4Address("6.6.6.6")), PresenceDatabase::Outcome::UPDATED);
    EXPECT_EQ(db->Lookup("pres:peerA@example.com")->location, "external");
}

// Patent FIG. 9 text: the user renames the peer's user and location; later updates from the
// peer keep the user's names until they are cleared.
TEST(PresenceDatabase, RelabelSurvivesUpdates)
{
    auto db = CreateObject<PresenceDatabase>();
    TraceLog log;
    log.Connect(db);
    EXPECT_FALSE(db->Relabel("pres:nobody@example.com", "x", "y"));
    EXPECT_FALSE(db->ClearRelabel("pres:nobody@example.com"));
    ASSERT_EQ(db->Register(PeerA(), Ipv4Address("192.168.1.2")), PresenceDatabase::Outcome::ADDED);

    EXPECT_TRUE(db->Relabel("pres:peerA@example.com", "Johnny (sales)", "Osaka office"));
    auto e = db->Lookup("pres:peerA@example.com");
    EXPECT_EQ(e->user, "Johnny (sales)");
    EXPECT_EQ(e->location, "Osaka office");
    EXPECT_EQ(e->document.user, "John"); // what the peer said is kept

    PresenceDocument later = PeerA(Seconds(30));
    later.location = "external";
    ASSERT_EQ(db->Register(later, Ipv4Address("133.134.10.10")),
              PresenceDatabase::Outcome::UPDATED);
    e = db->Lookup("pres:peerA@example.com");
    EXPECT_EQ(e->user, "Johnny (sales)");
    EXPECT_EQ(e->location, "Osaka office");
    EXPECT_EQ(e->document.location, "external");
    EXPECT_EQ(e->address, Ipv4Address("133.134.10.10"));
    EXPECT_EQ(e->timestamp, "2002-09-28T10:49:59Z");

    // An empty argument leaves that field's relabelling alone.
    EXPECT_TRUE(db->Relabel("pres:peerA@example.com", "", "on the road"));
    e = db->Lookup("pres:peerA@example.com");
    EXPECT_EQ(e->user, "Johnny (sales)");
    EXPECT_EQ(e->location, "on the road");

    EXPECT_TRUE(db->ClearRelabel("pres:peerA@example.com"));
    e = db->Lookup("pres:peerA@example.com");
    EXPECT_EQ(e->user, "John");
    EXPECT_EQ(e->location, "external");
    EXPECT_FALSE(e->userOverride);
    EXPECT_FALSE(e->locationOverride);

    const std::vector<std::string> expected{
        "added:pres:peerA@example.com",
        "updated:pres:peerA@example.com:Johnny (sales)@Osaka office",
        "updated:pres:peerA@example.com:Johnny (sales)@Osaka office",
        "updated:pres:peerA@example.com:Johnny (sales)@on the road",
        "updated:pres:peerA@example.com:John@external",
    };
    EXPECT_EQ(log.events, expected);

    // Removing the entry forgets the relabelling too.
    EXPECT_TRUE(db->Remove("pres:peerA@example.com"));
    ASSERT_EQ(db->Register(PeerA(Seconds(40)), Ipv4Address("192.168.1.2")),
              PresenceDatabase::Outcome::ADDED);
    EXPECT_EQ(db->Lookup("pres:peerA@example.com")->user, "John");
}

TEST(PresenceDatabase, LookupByAddress)
{
    auto db = CreateObject<PresenceDatabase>();
    PresenceDocument b;
    b.entity = "pres:peerB@example.com";
    b.addresses = {Ipv4Address("10.0.0.7"), Ipv4Address("192.168.1.2")};

    // Updates happen at different simulation times so "most recent" means something.
    Simulator::Schedule(Seconds(1), [&] { db->Register(PeerA(), Ipv4Address("192.168.1.2")); });
    Simulator::Schedule(Seconds(2), [&] { db->Register(b, Ipv4Address("172.16.0.9")); });
    Simulator::Run();

    // Source address beats a reported one.
    auto e = db->LookupByAddress(Ipv4Address("192.168.1.2"));
    ASSERT_TRUE(e);
    EXPECT_EQ(e->entity, "pres:peerA@example.com");
    EXPECT_EQ(e->updated, Seconds(1));
    // Reported addresses are searched second.
    e = db->LookupByAddress(Ipv4Address("10.0.0.7"));
    ASSERT_TRUE(e);
    EXPECT_EQ(e->entity, "pres:peerB@example.com");
    EXPECT_EQ(db->LookupByAddress(Ipv4Address("172.16.0.9"))->entity, "pres:peerB@example.com");
    EXPECT_FALSE(db->LookupByAddress(Ipv4Address("8.8.8.8")));

    // Two entries behind one address (a NAT): the more recently updated wins.
    Simulator::Schedule(Seconds(1),
                        [&] { db->Register(PeerA(Seconds(3)), Ipv4Address("172.16.0.9")); });
    Simulator::Run();
    e = db->LookupByAddress(Ipv4Address("172.16.0.9"));
    ASSERT_TRUE(e);
    EXPECT_EQ(e->entity, "pres:peerA@example.com");
    EXPECT_EQ(e->updated, Seconds(3));
    Simulator::Destroy();

    db->Clear();
    EXPECT_EQ(db->GetN(), 0u);
    EXPECT_FALSE(db->LookupByAddress(Ipv4Address("172.16.0.9")));
}

TEST(PresenceDatabase, OwnEntryIsSeparate)
{
    auto db = CreateObject<PresenceDatabase>();
    EXPECT_FALSE(db->GetOwn());

    // The own location comes from the classifier judging the (care-of) address.
    LocationClassifier classifier;
    ASSERT_TRUE(classifier.AddPrefix("192.168.1.0/24", "office", true, PlaceType::OFFICE));
    Ipv4Address own("192.168.1.1");
    LocationClass where = classifier.Classify(own);
    PresenceDocument me;
    me.entity = "pres:self@example.com";
    me.user = "Alice";
    me.location = where.label;
    me.placeType = where.placeType;
    me.addresses = {own};
    db->SetOwn(me, own);

    auto e = db->GetOwn();
    ASSERT_TRUE(e);
    EXPECT_EQ(e->entity, "pres:self@example.com");
    EXPECT_EQ(e->location, "office");
    EXPECT_EQ(e->placeType, PlaceType::OFFICE);
    EXPECT_EQ(e->address, own);
    EXPECT_EQ(db->GetN(), 0u);
    EXPECT_FALSE(db->Lookup("pres:self@example.com"));
    EXPECT_FALSE(db->LookupByAddress(own));
    db->Clear();
    EXPECT_TRUE(db->GetOwn());

    // Moving to a public network changes the judgement.
    Ipv4Address away("133.134.10.10");
    where = classifier.Classify(away);
    me.location = where.label;
    me.placeType = where.placeType;
    me.addresses = {away};
    db->SetOwn(me, away);
    EXPECT_EQ(db->GetOwn()->location, "external");
    EXPECT_EQ(db->GetOwn()->address, away);
    EXPECT_FALSE(where.trusted);
}

TEST(PresenceDatabase, OutcomeNames)
{
    EXPECT_EQ(ToString(PresenceDatabase::Outcome::ADDED), "ADDED");
    EXPECT_EQ(ToString(PresenceDatabase::Outcome::OUTDATED), "OUTDATED");
    EXPECT_EQ(ToString(PresenceDatabase::Outcome::NOT_FOUND), "NOT_FOUND");
}
