/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Two- and three-node simulations of the presence exchange (PresenceAgent over CSMA and
// point-to-point links with the real ns-3 IPv4 stack).

#include "ns3/boolean.h"
#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/internet-apps-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/node-addresses.h"
#include "ns3/pidf-codec.h"
#include "ns3/point-to-point-module.h"
#include "ns3/policy-set.h"
#include "ns3/presence-agent-helper.h"
#include "ns3/presence-agent.h"
#include "ns3/simple-filter-codec.h"
#include "ns3/simple-filter.h"
#include "ns3/sip-parser.h"

#include <cstdio>
#include <functional>
#include <gtest/gtest.h>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

using namespace ns3;

namespace
{

const Ipv4Address kA("192.168.1.1");
const Ipv4Address kB("192.168.1.2");
const Ipv4Address kC("192.168.1.3");

/// One callback invocation of PresenceAgent::PresenceCallback.
struct Result
{
    Time at;
    Ipv4Address peer;
    PresenceDocument doc;
    std::vector<SecurityPolicy> policies;
    bool ok{false};
    std::string error;
};

/// Collects callback invocations.
struct Results
{
    std::vector<Result> list;

    PresenceAgent::PresenceCallback Callback()
    {
        return PresenceAgent::PresenceCallback([this](Ipv4Address peer,
                                                      const PresenceDocument& doc,
                                                      const std::vector<SecurityPolicy>& pol,
                                                      bool ok,
                                                      std::string error) {
            list.push_back({Simulator::Now(), peer, doc, pol, ok, error});
        });
    }
};

/// A SIP-level message log of one agent's traces.
struct MessageLog
{
    struct Entry
    {
        Time at;
        std::string what;
        SipMessage message;
        uint32_t size;
    };

    std::vector<Entry> entries;
    uint32_t retransmissions{0};
    uint32_t timeouts{0};
    std::vector<std::string> bad; //!< "reason|status"

    void Connect(Ptr<PresenceAgent> agent)
    {
        for (const char* name : {"RequestSent",
                                 "RequestReceived",
                                 "ResponseSent",
                                 "ResponseReceived",
                                 "NotifySent",
                                 "NotifyReceived"})
        {
            std::string what = name;
            agent->TraceConnectWithoutContext(
                name,
                ns3::Callback<void, const SipMessage&, const Address&, uint32_t>(
                    [this, what](const SipMessage& m, const Address&, uint32_t size) {
                        entries.push_back({Simulator::Now(), what, m, size});
                    }));
        }
        agent->TraceConnectWithoutContext(
            "Retransmission",
            ns3::Callback<void, const SipMessage&, const Address&, uint32_t>(
                [this](const SipMessage&, const Address&, uint32_t) { ++retransmissions; }));
        agent->TraceConnectWithoutContext(
            "Timeout",
            ns3::Callback<void, const SipMessage&, const Address&>(
                [this](const SipMessage&, const Address&) { ++timeouts; }));
        agent->TraceConnectWithoutContext("BadMessage",
                                          ns3::Callback<void,
                                                        const std::string&,
                                                        const Address&,
                                                        const std::string&,
                                                        const std::string&,
                                                        uint16_t>([this](const std::string&,
                                                                         const Address&,
                                                                         const std::string& reason,
                                                                         const std::string&,
                                                                         uint16_t status) {
                                              bad.push_back(reason + "|" + std::to_string(status));
                                          }));
    }

    /// First entry of a kind whose message satisfies pred.
    const Entry* Find(const std::string& what,
                      const std::function<bool(const SipMessage&)>& pred = nullptr) const
    {
        for (const auto& e : entries)
        {
            if (e.what == what && (!pred || pred(e.message)))
            {
                return &e;
            }
        }
        return nullptr;
    }

    size_t Count(const std::string& what) const
    {
        size_t n = 0;
        for (const auto& e : entries)
        {
            n += e.what == what;
        }
        return n;
    }
};

/// FIG. 5 / FIG. 8 policy as apparatus 10 (192.168.1.1) registers it.
SecurityPolicy
Fig5Policy()
{
    SecurityPolicy p;
    p.source = AddressRange::Host(kA);
    p.destination = AddressRange::Host(kB);
    p.upper = *UpperProtocol::FromName("udp");
    p.direction = PolicyDirection::OUT;
    p.action = PolicyAction::NONE;
    return p;
}

/// Add B's policy for peer A (B's own point of view): udp in and out, \p action.
void
AddPeerPolicy(Ptr<SecurityPolicyDatabase> spd,
              PolicyAction action,
              const std::vector<IpsecRequest>& requests = {})
{
    SecurityPolicy out;
    out.source = AddressRange::Host(kB);
    out.destination = AddressRange::Host(kA);
    out.upper = *UpperProtocol::FromName("udp");
    out.direction = PolicyDirection::OUT;
    out.action = action;
    out.requests = requests;
    spd->Add(out);
    SecurityPolicy in = out;
    std::swap(in.source, in.destination);
    in.direction = PolicyDirection::IN;
    spd->Add(in);
}

/// B's SPD for peer A (B's own point of view): udp in and out, none.
Ptr<SecurityPolicyDatabase>
PeerSpd()
{
    auto spd = CreateObject<SecurityPolicyDatabase>();
    AddPeerPolicy(spd, PolicyAction::NONE);
    return spd;
}

IpsecRequest
Request(IpsecProtocol proto, IpsecLevel level)
{
    IpsecRequest r;
    r.protocol = proto;
    r.mode = IpsecMode::TRANSPORT;
    r.level = level;
    r.endpointFieldWritten = true;
    return r;
}

/// Replace B's policy for A (B's point of view) by udp in and out protected with \p requests.
void
ProtectPeer(Ptr<SecurityPolicyDatabase> spd, const std::vector<IpsecRequest>& requests)
{
    spd->Clear();
    AddPeerPolicy(spd, PolicyAction::IPSEC, requests);
}

/// A LAN of n nodes 192.168.1.1.. with the internet stack and agents on the first `agents`.
struct Lan
{
    NodeContainer nodes;
    NetDeviceContainer devices;
    ApplicationContainer apps;
    CsmaHelper csma;

    explicit Lan(uint32_t n, uint32_t agents = 2)
    {
        nodes.Create(n);
        csma.SetChannelAttribute("DataRate", StringValue("100Mbps"));
        csma.SetChannelAttribute("Delay", TimeValue(MicroSeconds(50)));
        devices = csma.Install(nodes);
        InternetStackHelper().Install(nodes);
        Ipv4AddressHelper ip("192.168.1.0", "255.255.255.0");
        ip.Assign(devices);
        InstallAgents(nodes, agents, apps);
    }

    static void InstallAgents(NodeContainer& nodes, uint32_t agents, ApplicationContainer& apps)
    {
        PresenceAgentHelper helper;
        helper.SetAttribute("LocationPrefixes",
                            StringValue("192.168.1.0/24=office;10.8.0.0/16=home"));
        helper.SetEntityPattern("pres:node%n@example.com");
        NodeContainer withAgent;
        for (uint32_t i = 0; i < agents; ++i)
        {
            withAgent.Add(nodes.Get(i));
        }
        apps = helper.Install(withAgent);
        helper.AssignStreams(withAgent, 100);
        apps.Start(Seconds(0));
        // A is the requester (apparatus 10), B the patent's peer 11-1.
        apps.Get(0)->SetAttribute("Entity", StringValue("pres:alice@example.com"));
        apps.Get(0)->SetAttribute("UserName", StringValue("Alice"));
        if (agents > 1)
        {
            apps.Get(1)->SetAttribute("Entity", StringValue("pres:peerA@example.com"));
            apps.Get(1)->SetAttribute("UserName", StringValue("John"));
        }
    }

    Ptr<PresenceAgent> Agent(uint32_t i) const
    {
        return DynamicCast<PresenceAgent>(apps.Get(i));
    }
};

/// Two agents on a Lan: A (apparatus 10) asks, B (peer 11-1, PeerSpd()) answers; both logged.
class PresenceAgentPair : public ::testing::Test
{
  protected:
    PresenceAgentPair()
    {
        b->SetSecurityPolicyDatabase(PeerSpd());
        logA.Connect(a);
        logB.Connect(b);
    }

    Lan lan{2};
    Ptr<PresenceAgent> a{lan.Agent(0)};
    Ptr<PresenceAgent> b{lan.Agent(1)};
    MessageLog logA;
    MessageLog logB;
    Results results; //!< A's presence callbacks
};

/// True when the program is on PATH.
bool
HaveProgram(const std::string& name)
{
    return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

/// Runs a command and returns its standard output.
std::string
Capture(const std::string& command)
{
    std::string out;
    FILE* f = popen(command.c_str(), "r");
    if (!f)
    {
        return out;
    }
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
    {
        out.append(buf, n);
    }
    pclose(f);
    return out;
}

size_t
CountLines(const std::string& s)
{
    size_t n = 0;
    for (char c : s)
    {
        n += c == '\n';
    }
    return n;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Patent FIG. 3 steps 502-504: A fetches B's presence and policy.

TEST_F(PresenceAgentPair, FetchReturnsPatentFig5PresenceAndPolicy)
{
    Simulator::Schedule(Seconds(1), [&]() { a->Fetch(kB, results.Callback()); });
    Simulator::Stop(Seconds(10));
    Simulator::Run();

    ASSERT_EQ(results.list.size(), 1U);
    const Result& r = results.list[0];
    EXPECT_TRUE(r.ok) << r.error;
    EXPECT_EQ(r.peer, kB);
    EXPECT_LT(r.at, Seconds(1.1));
    // Presence (FIG. 5 lines 527-530, FIG. 9).
    EXPECT_EQ(r.doc.entity, "pres:peerA@example.com");
    EXPECT_EQ(r.doc.user, "John");
    EXPECT_EQ(r.doc.location, "office");
    EXPECT_EQ(r.doc.placeType, PlaceType::OFFICE);
    EXPECT_EQ(r.doc.addresses, std::vector<Ipv4Address>{kB});
    EXPECT_EQ(r.doc.basic, BasicStatus::OPEN);
    EXPECT_EQ(r.doc.contact, "sip:peerA@192.168.1.2");
    EXPECT_EQ(r.doc.timestamp.substr(0, 19), "2002-09-28T10:49:30");
    // Policy (FIG. 5 lines 520-526): B's own entries for A, both directions ...
    ASSERT_EQ(r.policies.size(), 2U);
    EXPECT_EQ(r.policies, b->GetOfferedPolicies(kA));
    EXPECT_EQ(r.policies[0].direction, PolicyDirection::OUT);
    EXPECT_EQ(r.policies[0].source.address, kB);
    EXPECT_EQ(r.policies[0].destination.address, kA);
    EXPECT_EQ(r.policies[1].direction, PolicyDirection::IN);
    // ... which, seen from A, hold the FIG. 5 entry 192.168.1.1 -> 192.168.1.2 udp out none.
    auto mirrored = PolicySet::Mirror(r.policies);
    ASSERT_EQ(mirrored.size(), 2U);
    EXPECT_EQ(mirrored[1], Fig5Policy());
    EXPECT_EQ(mirrored[0].direction, PolicyDirection::IN);
    EXPECT_EQ(mirrored[0].source.address, kB);

    // FIG. 6: A's presence database entry, address from the packet source.
    auto entry = a->GetPresenceDatabase()->Lookup("pres:peerA@example.com");
    ASSERT_TRUE(entry.has_value());
    EXPECT_EQ(entry->address, kB);
    EXPECT_EQ(entry->user, "John");
    EXPECT_EQ(entry->location, "office");
    EXPECT_EQ(entry->document, r.doc);
    // B's own entry.
    auto own = b->GetPresenceDatabase()->GetOwn();
    ASSERT_TRUE(own.has_value());
    EXPECT_EQ(own->location, "office");
    EXPECT_EQ(b->GetPresenceDatabase()->GetN(), 0U);

    // The one-shot subscription is gone on both sides.
    EXPECT_EQ(a->GetNSubscriptions(), 0U);
    EXPECT_EQ(b->GetNWatchers(), 0U);
    EXPECT_EQ(logA.retransmissions + logB.retransmissions, 0U);
    EXPECT_EQ(a->GetStats().GetNBad() + b->GetStats().GetNBad(), 0U);

    // The messages and their sizes on the wire (UDP payload).
    auto* subscribe = logA.Find("RequestSent");
    auto* ok = logB.Find("ResponseSent",
                         [](const SipMessage& m) { return m.GetCSeq()->method == "SUBSCRIBE"; });
    auto* notify = logB.Find("NotifySent");
    auto* notifyOk = logA.Find("ResponseSent");
    ASSERT_TRUE(subscribe && ok && notify && notifyOk);
    EXPECT_EQ(subscribe->message.GetMethod(), "SUBSCRIBE");
    EXPECT_EQ(subscribe->message.GetExpires(), 0U);
    EXPECT_EQ(ok->message.GetStatusCode(), 200);
    EXPECT_EQ(notify->message.GetSubscriptionState()->ToString(), "terminated;reason=timeout");
    EXPECT_EQ(notify->message.GetTopVia()->transport, "UDP");
    EXPECT_EQ(notifyOk->message.GetStatusCode(), 200);
    std::cout << "[ size     ] SUBSCRIBE " << subscribe->size << " B, 200 OK (SUBSCRIBE) "
              << ok->size << " B, NOTIFY (FIG. 5 presence, policy in+out) " << notify->size
              << " B (PIDF body " << notify->message.GetBody().size() << " B), 200 OK (NOTIFY) "
              << notifyOk->size << " B" << std::endl;
    EXPECT_GT(subscribe->size, 250U);
    EXPECT_LT(subscribe->size, 450U);
    EXPECT_GT(ok->size, 180U);
    EXPECT_LT(ok->size, 350U);
    EXPECT_GT(notify->size, 900U);
    EXPECT_LT(notify->size, 1300U); // fits the UDP rule of RFC 3261 section 18.1.1
    EXPECT_EQ(subscribe->size, subscribe->message.Serialize().size());

    Simulator::Destroy();
}

// Patent FIG. 4 (boxes 412, 413): the requester asks for presence only or the policy only,
// as an RFC 4660 filter in its SUBSCRIBE; the notifier sends just that, and a change of what
// was left out sends no NOTIFY.

TEST(PresenceAgent, Fig4ChoiceFiltersWhatTheNotifierSends)
{
    Lan lan(3, 3);
    Ptr<PresenceAgent> a = lan.Agent(0);
    Ptr<PresenceAgent> b = lan.Agent(1);
    Ptr<PresenceAgent> c = lan.Agent(2);
    auto spd = PeerSpd();
    // B's entries for C: as for A (udp none both ways).
    auto forA = PeerSpd();
    for (const auto& e : forA->GetEntries(PolicyDirection::OUT))
    {
        SecurityPolicy p = e;
        (p.source.address == kA ? p.source : p.destination) = AddressRange::Host(kC);
        spd->Add(p);
    }
    for (const auto& e : forA->GetEntries(PolicyDirection::IN))
    {
        SecurityPolicy p = e;
        (p.source.address == kA ? p.source : p.destination) = AddressRange::Host(kC);
        spd->Add(p);
    }
    b->SetSecurityPolicyDatabase(spd);
    MessageLog logA;
    MessageLog logB;
    MessageLog logC;
    logA.Connect(a);
    logB.Connect(b);
    logC.Connect(c);
    Results presenceOnly; // A: box 413 only
    Results policyOnly;   // C: box 412 only
    Simulator::Schedule(Seconds(1), [&]() {
        a->Subscribe(kB,
                     Seconds(100),
                     presenceOnly.Callback(),
                     MakeRequestFilter(RequestedInfo::PRESENCE));
        c->Subscribe(kB,
                     Seconds(100),
                     policyOnly.Callback(),
                     MakeRequestFilter(RequestedInfo::POLICY));
    });
    // B's policy for both changes at 3 s (only C hears of it), its location at 5 s (only A
    // hears of it).
    Simulator::Schedule(Seconds(3), [&]() {
        for (Ipv4Address peer : {kA, kC})
        {
            SecurityPolicy tcp;
            tcp.source = AddressRange::Host(kB);
            tcp.destination = AddressRange::Host(peer);
            tcp.upper = *UpperProtocol::FromName("tcp");
            tcp.direction = PolicyDirection::OUT;
            tcp.action = PolicyAction::DISCARD;
            spd->Add(tcp);
        }
    });
    Simulator::Schedule(Seconds(5), [&]() { b->SetLocation("cafe"); });
    Simulator::Stop(Seconds(8));
    Simulator::Run();

    // The SUBSCRIBEs carry the filter; the 200s accept it.
    for (const MessageLog* log : {&logA, &logC})
    {
        auto* sub = log->Find("RequestSent",
                              [](const SipMessage& m) { return m.GetMethod() == "SUBSCRIBE"; });
        ASSERT_TRUE(sub);
        EXPECT_EQ(sub->message.GetHeader("Content-Type").value_or(""),
                  SimpleFilterCodec::CONTENT_TYPE);
        EXPECT_TRUE(SimpleFilterCodec::Decode(sub->message.GetBody()));
    }
    EXPECT_EQ(a->GetStats().filtersSent, 1U);
    EXPECT_EQ(b->GetStats().filteredSubscriptions, 2U);
    EXPECT_EQ(a->GetStats().GetNBad() + b->GetStats().GetNBad() + c->GetStats().GetNBad(), 0U);

    // A: presence, no policy; the policy change sent nothing, the move one NOTIFY.
    ASSERT_EQ(presenceOnly.list.size(), 2U);
    for (const auto& r : presenceOnly.list)
    {
        EXPECT_TRUE(r.ok) << r.error;
        EXPECT_EQ(r.doc.user, "John");
        EXPECT_TRUE(r.policies.empty());
        EXPECT_TRUE(r.doc.policies.empty());
        EXPECT_EQ(r.doc.placeType.has_value(), true);
    }
    EXPECT_EQ(presenceOnly.list[0].doc.location, "office");
    EXPECT_EQ(presenceOnly.list[1].doc.location, "cafe");
    EXPECT_GE(presenceOnly.list[1].at, Seconds(5));
    for (const auto& e : logA.entries)
    {
        if (e.what == "NotifyReceived")
        {
            EXPECT_EQ(e.message.GetBody().find("urn:presec:params:xml:ns:spd"), std::string::npos);
        }
    }

    // C: the policy with its addresses and time stamp, no user, location or place; the
    // policy change one NOTIFY, the move none.
    ASSERT_EQ(policyOnly.list.size(), 2U);
    for (const auto& r : policyOnly.list)
    {
        EXPECT_TRUE(r.ok) << r.error;
        EXPECT_TRUE(r.doc.user.empty());
        EXPECT_TRUE(r.doc.location.empty());
        EXPECT_FALSE(r.doc.placeType.has_value());
        EXPECT_TRUE(r.doc.contact.empty());
        EXPECT_EQ(r.doc.addresses, std::vector<Ipv4Address>{kB});
        EXPECT_FALSE(r.doc.timestamp.empty());
        EXPECT_FALSE(r.policies.empty());
    }
    EXPECT_EQ(policyOnly.list[1].policies.size(), policyOnly.list[0].policies.size() + 1);
    EXPECT_GE(policyOnly.list[1].at, Seconds(3));
    EXPECT_LT(policyOnly.list[1].at, Seconds(3.1));
    EXPECT_EQ(logB.Count("NotifySent"), 4U);
    auto* toA = logA.Find("NotifyReceived");
    auto* toC = logC.Find("NotifyReceived");
    ASSERT_TRUE(toA && toC);
    std::cout << "[ size     ] first NOTIFY, presence only: " << toA->size << " B (PIDF body "
              << toA->message.GetBody().size() << " B); policy only: " << toC->size
              << " B (PIDF body " << toC->message.GetBody().size() << " B)" << std::endl;
    Simulator::Destroy();
}

// RFC 6665 section 4.2.1.2: a refresh is followed by a NOTIFY, even when it arrives while
// the NOTIFY of a change is still in flight and nothing changes after it.

TEST_F(PresenceAgentPair, RefreshDuringANotifyInFlightStillGetsItsNotify)
{
    Simulator::Schedule(Seconds(1), [&]() { a->Subscribe(kB, Seconds(100), results.Callback()); });
    // B's NOTIFY of the move leaves at 3 s; A's refresh, sent a microsecond later, reaches B
    // before A's 200 to that NOTIFY does.
    Simulator::Schedule(Seconds(3), [&]() { b->SetLocation("cafe"); });
    Simulator::Schedule(Seconds(3) + MicroSeconds(1),
                        [&]() { EXPECT_EQ(a->Refresh(kB, Seconds(100)), 1U); });
    Simulator::Stop(Seconds(5));
    Simulator::Run();

    auto at = [](const MessageLog& log, const std::string& what, const std::string& method) {
        std::vector<Time> t;
        for (const auto& e : log.entries)
        {
            if (e.what == what && e.message.GetCSeq() && e.message.GetCSeq()->method == method)
            {
                t.push_back(e.at);
            }
        }
        return t;
    };
    auto refreshIn = at(logB, "RequestReceived", "SUBSCRIBE");
    ASSERT_EQ(refreshIn.size(), 2U);
    auto notifyOkIn = at(logB, "ResponseReceived", "NOTIFY");
    ASSERT_EQ(notifyOkIn.size(), 3U);
    EXPECT_LT(refreshIn[1], notifyOkIn[1]) << "the refresh must meet the NOTIFY in flight";
    // Subscribe, move, refresh: three NOTIFYs, the last after the refresh.
    auto notifies = at(logB, "NotifySent", "NOTIFY");
    ASSERT_EQ(notifies.size(), 3U);
    EXPECT_GT(notifies[2], refreshIn[1]);
    EXPECT_LT(notifies[2], Seconds(3.01));
    ASSERT_EQ(results.list.size(), 3U);
    EXPECT_EQ(results.list[2].doc.location, "cafe");
    Simulator::Destroy();
}

namespace
{

/// ESP and AH, both required: as the default policy each way, a NOTIFY offering it is larger
/// than TcpThreshold.
SecurityPolicy
EspAhRequired()
{
    SecurityPolicy def;
    def.action = PolicyAction::IPSEC;
    def.requests = {Request(IpsecProtocol::ESP, IpsecLevel::REQUIRE),
                    Request(IpsecProtocol::AH, IpsecLevel::REQUIRE)};
    return def;
}

/// \return an SPD with EspAhRequired as the default policy each way
Ptr<SecurityPolicyDatabase>
EspAhRequiredSpd()
{
    auto spd = CreateObject<SecurityPolicyDatabase>();
    spd->SetDefaultPolicy(PolicyDirection::OUT, EspAhRequired());
    spd->SetDefaultPolicy(PolicyDirection::IN, EspAhRequired());
    return spd;
}

} // namespace

// Every edit of the SPD reaches the watchers, not only entries added or removed: emptied, the
// SPD offers its no-match action (bypass); with a default policy, that policy.

TEST(PresenceAgent, ClearAndDefaultPoliciesOfTheSpdAreNotified)
{
    Lan lan(2);
    Ptr<PresenceAgent> a = lan.Agent(0);
    Ptr<PresenceAgent> b = lan.Agent(1);
    auto spd = CreateObject<SecurityPolicyDatabase>();
    AddPeerPolicy(spd, PolicyAction::DISCARD);
    b->SetSecurityPolicyDatabase(spd);
    Results results;
    Simulator::Schedule(Seconds(1), [&]() { a->Subscribe(kB, Seconds(100), results.Callback()); });
    Simulator::Schedule(Seconds(3), [&]() { spd->Clear(); });
    Simulator::Schedule(Seconds(5), [&]() {
        spd->SetDefaultPolicy(PolicyDirection::OUT, EspAhRequired());
        spd->SetDefaultPolicy(PolicyDirection::IN, EspAhRequired());
    });
    Simulator::Stop(Seconds(8));
    Simulator::Run();

    ASSERT_EQ(results.list.size(), 3U);
    auto actions = [](const std::vector<SecurityPolicy>& policies) {
        std::vector<PolicyAction> out;
        for (const auto& p : policies)
        {
            out.push_back(p.action);
        }
        return out;
    };
    using V = std::vector<PolicyAction>;
    EXPECT_EQ(actions(results.list[0].policies), (V{PolicyAction::DISCARD, PolicyAction::DISCARD}));
    EXPECT_EQ(actions(results.list[1].policies), (V{PolicyAction::NONE, PolicyAction::NONE}));
    EXPECT_GE(results.list[1].at, Seconds(3));
    EXPECT_LT(results.list[1].at, Seconds(3.1));
    EXPECT_EQ(actions(results.list[2].policies), (V{PolicyAction::IPSEC, PolicyAction::IPSEC}));
    EXPECT_EQ(results.list[2].policies[0].requests.size(), 2U);
    EXPECT_GE(results.list[2].at, Seconds(5));
    EXPECT_LT(results.list[2].at, Seconds(5.1));
    Simulator::Destroy();
}

// The default security policy is offered to a requester without an SPD entry; a NOTIFY
// larger than TcpThreshold goes over TCP.

TEST(PresenceAgent, DefaultPolicyAndLargeNotifyOverTcp)
{
    Lan lan(2);
    Ptr<PresenceAgent> a = lan.Agent(0);
    Ptr<PresenceAgent> b = lan.Agent(1);
    auto spd = EspAhRequiredSpd();
    SecurityPolicy def = EspAhRequired();
    // Entries for another peer must not be offered to A.
    SecurityPolicy other;
    other.source = AddressRange::Host(kB);
    other.destination = AddressRange::Host(Ipv4Address("192.168.1.77"));
    other.direction = PolicyDirection::OUT;
    other.action = PolicyAction::DISCARD;
    spd->Add(other);
    b->SetSecurityPolicyDatabase(spd);
    MessageLog logB;
    logB.Connect(b);
    Results results;
    Simulator::Schedule(Seconds(1), [&]() { a->Fetch(kB, results.Callback()); });
    Simulator::Stop(Seconds(10));
    Simulator::Run();

    ASSERT_EQ(results.list.size(), 1U);
    const Result& r = results.list[0];
    ASSERT_TRUE(r.ok) << r.error;
    ASSERT_EQ(r.policies.size(), 2U);
    for (const auto& p : r.policies)
    {
        EXPECT_EQ(p.action, PolicyAction::IPSEC);
        EXPECT_EQ(p.requests, def.requests);
        EXPECT_EQ(p.upper.number, UpperProtocol::ANY);
    }
    EXPECT_EQ(r.policies[0].source.address, kB);
    EXPECT_EQ(r.policies[0].destination.address, kA);
    EXPECT_EQ(r.policies[1].source.address, kA);
    EXPECT_EQ(r.policies[1].direction, PolicyDirection::IN);

    auto* notify = logB.Find("NotifySent");
    ASSERT_NE(notify, nullptr);
    std::cout << "[ size     ] NOTIFY with the default policy (esp+ah require, in+out): "
              << notify->size << " B -> " << notify->message.GetTopVia()->transport << std::endl;
    EXPECT_GT(notify->size, 1300U);
    EXPECT_EQ(notify->message.GetTopVia()->transport, "TCP");
    EXPECT_GE(b->GetStats().tcpMessagesSent, 1U);
    EXPECT_GE(a->GetStats().tcpMessagesReceived, 1U);
    EXPECT_EQ(b->GetStats().transportErrors, 0U);
    EXPECT_EQ(b->GetNWatchers(), 0U);
    EXPECT_EQ(b->GetNClientTransactions(), 0U); // reliable transport: no Timer K
    Simulator::Destroy();
}

// RFC 3261 section 18.1.1: large requests to one destination share a TCP connection. Three
// fetches 2 s apart: three NOTIFYs over TCP on one connection, which B closes when it has been
// idle for half TcpIdleTimeout (before A's end would close it); then a fourth opens a new one.
TEST(PresenceAgent, LargeRequestsToOnePeerShareATcpConnection)
{
    Lan lan(2);
    Ptr<PresenceAgent> a = lan.Agent(0);
    Ptr<PresenceAgent> b = lan.Agent(1);
    b->SetSecurityPolicyDatabase(EspAhRequiredSpd());
    Results results;
    for (double at : {1.0, 3.0, 5.0, 40.0})
    {
        Simulator::Schedule(Seconds(at), [&]() { a->Fetch(kB, results.Callback()); });
    }
    uint32_t openedBy30 = 0;
    uint32_t idleClosedBy30 = 0;
    Simulator::Schedule(Seconds(30), [&]() {
        openedBy30 = b->GetStats().tcpConnectionsOpened;
        idleClosedBy30 = b->GetStats().tcpIdleClosed;
    });
    Simulator::Stop(Seconds(45));
    Simulator::Run();
    ASSERT_EQ(results.list.size(), 4U);
    for (const auto& r : results.list)
    {
        EXPECT_TRUE(r.ok) << r.error;
    }
    EXPECT_EQ(b->GetStats().tcpMessagesSent, 4U);
    EXPECT_EQ(openedBy30, 1U) << "the first three NOTIFYs share one connection";
    EXPECT_EQ(idleClosedBy30, 1U) << "idle from about 5 s, closed at about 21 s";
    EXPECT_EQ(b->GetStats().tcpConnectionsOpened, 2U);
    EXPECT_EQ(b->GetStats().transportErrors, 0U);
    Simulator::Destroy();
}

// Issue item 5 and the subscription: B moves to a public address; A's subscription gets a
// NOTIFY with the new location; then A unsubscribes.

TEST(PresenceAgent, SubscriptionNotifiesAddressChangeAndUnsubscribe)
{
    Lan lan(2);
    Ptr<PresenceAgent> a = lan.Agent(0);
    Ptr<PresenceAgent> b = lan.Agent(1);
    b->SetSecurityPolicyDatabase(PeerSpd());
    std::vector<PresenceDocument> changes;
    b->TraceConnectWithoutContext("PresenceChanged",
                                  ns3::Callback<void, const PresenceDocument&>(
                                      [&](const PresenceDocument& d) { changes.push_back(d); }));
    Results results;
    const Ipv4Address moved("133.134.10.10");
    Simulator::Schedule(Seconds(1), [&]() { a->Subscribe(kB, Seconds(600), results.Callback()); });
    Simulator::Schedule(Seconds(3), [&]() {
        // The move: the old address goes, a public one comes (as a DHCP client would do).
        Ptr<Ipv4> ipv4 = lan.nodes.Get(1)->GetObject<Ipv4>();
        uint32_t i = ipv4->GetInterfaceForDevice(lan.devices.Get(1));
        ipv4->RemoveAddress(i, kB);
        ipv4->AddAddress(i, Ipv4InterfaceAddress(moved, Ipv4Mask("255.255.255.0")));
        Ipv4StaticRoutingHelper sr;
        sr.GetStaticRouting(ipv4)->AddNetworkRouteTo(Ipv4Address("192.168.1.0"),
                                                     Ipv4Mask("255.255.255.0"),
                                                     i);
        Ptr<Ipv4> ipv4a = lan.nodes.Get(0)->GetObject<Ipv4>();
        sr.GetStaticRouting(ipv4a)->AddNetworkRouteTo(Ipv4Address("133.134.10.0"),
                                                      Ipv4Mask("255.255.255.0"),
                                                      1);
    });
    Simulator::Schedule(Seconds(5), [&]() {
        EXPECT_EQ(b->GetNWatchers(), 1U);
        EXPECT_EQ(a->GetNSubscriptions(), 1U);
        EXPECT_EQ(a->Unsubscribe(kB), 1U);
    });
    Simulator::Stop(Seconds(10));
    Simulator::Run();

    ASSERT_EQ(results.list.size(), 3U);
    for (const auto& r : results.list)
    {
        EXPECT_TRUE(r.ok) << r.error;
        EXPECT_EQ(r.peer, kB);
    }
    EXPECT_EQ(results.list[0].doc.location, "office");
    EXPECT_LT(results.list[0].at, Seconds(1.1));
    // The NOTIFY after the move, within milliseconds of it.
    const Result& after = results.list[1];
    EXPECT_GE(after.at, Seconds(3));
    EXPECT_LT(after.at, Seconds(3.1));
    EXPECT_EQ(after.doc.location, "external");
    EXPECT_FALSE(after.doc.placeType.has_value());
    EXPECT_EQ(after.doc.addresses, std::vector<Ipv4Address>{moved});
    EXPECT_EQ(after.doc.contact, "sip:peerA@133.134.10.10");
    // B has no SPD entry for A's policy from 133.134.10.10 any more... it still has the
    // entries keyed on A's address, so the policy is unchanged.
    EXPECT_EQ(after.policies.size(), 2U);
    // The database follows the packet source (patent FIG. 6 field 621).
    auto entry = a->GetPresenceDatabase()->Lookup("pres:peerA@example.com");
    ASSERT_TRUE(entry.has_value());
    EXPECT_EQ(entry->address, moved);
    EXPECT_EQ(entry->location, "external");
    // Unsubscribe: terminal NOTIFY to the new address.
    EXPECT_GE(results.list[2].at, Seconds(5));
    EXPECT_LT(results.list[2].at, Seconds(5.1));
    EXPECT_EQ(a->GetNSubscriptions(), 0U);
    EXPECT_EQ(b->GetNWatchers(), 0U);
    // One own change at B (remove + add coalesced into one judgement).
    ASSERT_EQ(changes.size(), 2U); // initial evaluation at start, then the move
    EXPECT_EQ(changes[1].location, "external");
    EXPECT_EQ(b->GetStats().ownPresenceChanges, 1U);
    EXPECT_EQ(b->GetOwnPresence().location, "external");
    Simulator::Destroy();
}

// Manual location, SPD changes and expiry of a subscription.

TEST(PresenceAgent, LocationPolicyChangeAndExpiry)
{
    Lan lan(2);
    Ptr<PresenceAgent> a = lan.Agent(0);
    Ptr<PresenceAgent> b = lan.Agent(1);
    auto spd = PeerSpd();
    b->SetSecurityPolicyDatabase(spd);
    MessageLog logB;
    logB.Connect(b);
    // Without refreshes, to see the subscription run out (see the test after this one).
    a->SetAttribute("RefreshSubscriptions", BooleanValue(false));
    Results results;
    Simulator::Schedule(Seconds(1), [&]() { a->Subscribe(kB, Seconds(10), results.Callback()); });
    Simulator::Schedule(Seconds(3), [&]() { b->SetLocation("cafe"); });
    Simulator::Schedule(Seconds(4), [&]() {
        // The user registers a stronger policy for A (patent step 508): two entries at once,
        // one NOTIFY.
        ProtectPeer(spd, {Request(IpsecProtocol::ESP, IpsecLevel::REQUIRE)});
    });
    Simulator::Schedule(Seconds(6), [&]() {
        b->SetPolicyChanged(); // nothing changed: no NOTIFY
        b->SetLocation("cafe");
    });
    Simulator::Stop(Seconds(20));
    Simulator::Run();

    ASSERT_EQ(results.list.size(), 4U);
    EXPECT_EQ(results.list[0].doc.location, "office");
    EXPECT_EQ(results.list[1].doc.location, "cafe");
    EXPECT_EQ(results.list[1].doc.placeType, PlaceType::CAFE);
    EXPECT_GE(results.list[1].at, Seconds(3));
    EXPECT_EQ(results.list[2].doc.location, "cafe");
    ASSERT_EQ(results.list[2].policies.size(), 2U);
    EXPECT_EQ(results.list[2].policies[0].action, PolicyAction::IPSEC);
    EXPECT_GE(results.list[2].at, Seconds(4));
    EXPECT_LT(results.list[2].at, Seconds(4.1));
    // Expiry after 10 s: the terminal NOTIFY.
    EXPECT_GE(results.list[3].at, Seconds(11));
    EXPECT_LT(results.list[3].at, Seconds(11.1));
    EXPECT_TRUE(results.list[3].ok);
    EXPECT_EQ(logB.Count("NotifySent"), 4U);
    std::cout << "[ size     ] NOTIFYs of a subscription (office / cafe / esp-require in+out / "
                 "terminated):";
    for (const auto& e : logB.entries)
    {
        if (e.what == "NotifySent")
        {
            std::cout << " " << e.size << " B " << e.message.GetTopVia()->transport;
        }
    }
    std::cout << std::endl;
    const MessageLog::Entry* last = nullptr;
    for (const auto& e : logB.entries)
    {
        if (e.what == "NotifySent")
        {
            last = &e;
        }
    }
    ASSERT_NE(last, nullptr);
    EXPECT_EQ(last->message.GetSubscriptionState()->state, "terminated");
    EXPECT_EQ(b->GetNWatchers(), 0U);
    EXPECT_EQ(a->GetNSubscriptions(), 0U);
    Simulator::Destroy();
}

// The remaining duration a NOTIFY states is rounded down: rounded up, NOTIFYs at 3 s and 4 s of
// a 10 s subscription pushed the subscriber's refresh (at 0.9 of what they said is left) past
// the notifier's end at 11 s, and the subscription died unrefreshed.

TEST_F(PresenceAgentPair, RefreshComesBeforeTheEndAfterLateNotifies)
{
    Simulator::Schedule(Seconds(1), [&]() { a->Subscribe(kB, Seconds(10), results.Callback()); });
    Simulator::Schedule(Seconds(3), [&]() { b->SetLocation("cafe"); });
    Simulator::Schedule(Seconds(4), [&]() { b->SetLocation("hotel"); });
    Simulator::Stop(Seconds(15));
    Simulator::Run();

    std::vector<Time> subscribes;
    for (const auto& e : logA.entries)
    {
        if (e.what == "RequestSent" && e.message.GetMethod() == "SUBSCRIBE")
        {
            subscribes.push_back(e.at);
        }
    }
    ASSERT_GE(subscribes.size(), 2U);
    EXPECT_GT(subscribes[1], Seconds(10));
    EXPECT_LT(subscribes[1], Seconds(11)) << "the refresh must reach B before it ends at 11 s";
    for (const auto& e : logB.entries)
    {
        if (e.what == "NotifySent")
        {
            EXPECT_EQ(e.message.GetSubscriptionState()->state, "active");
        }
        if (e.what == "NotifySent" && e.at < Seconds(10))
        {
            // Never more than is left of the 10 s granted at about 1.02 s.
            EXPECT_LE(e.message.GetSubscriptionState()->GetExpires().value_or(99),
                      (Seconds(11.02) - e.at).GetSeconds());
        }
    }
    EXPECT_EQ(a->GetNSubscriptions(), 1U);
    EXPECT_EQ(b->GetNWatchers(), 1U);
    Simulator::Destroy();
}

// Retransmissions carry the exchange over a link that loses 30 % of the packets.

TEST(PresenceAgent, CompletesOverThirtyPercentLoss)
{
    RngSeedManager::SetSeed(7);
    RngSeedManager::SetRun(1);
    NodeContainer nodes;
    nodes.Create(2);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
    p2p.SetChannelAttribute("Delay", TimeValue(MilliSeconds(5)));
    NetDeviceContainer devices = p2p.Install(nodes);
    for (uint32_t i = 0; i < 2; ++i)
    {
        auto em = CreateObject<RateErrorModel>();
        em->SetAttribute("ErrorUnit", EnumValue(RateErrorModel::ERROR_UNIT_PACKET));
        em->SetAttribute("ErrorRate", DoubleValue(0.3));
        em->AssignStreams(10 + i);
        devices.Get(i)->SetAttribute("ReceiveErrorModel", PointerValue(em));
    }
    InternetStackHelper().Install(nodes);
    Ipv4AddressHelper ip("192.168.1.0", "255.255.255.0");
    ip.Assign(devices);
    ApplicationContainer apps;
    Lan::InstallAgents(nodes, 2, apps);
    auto a = DynamicCast<PresenceAgent>(apps.Get(0));
    auto b = DynamicCast<PresenceAgent>(apps.Get(1));
    b->SetSecurityPolicyDatabase(PeerSpd());
    MessageLog logA;
    MessageLog logB;
    logA.Connect(a);
    logB.Connect(b);
    Results results;
    const int kFetches = 10;
    for (int i = 0; i < kFetches; ++i)
    {
        Simulator::Schedule(Seconds(1 + i), [&]() { a->Fetch(kB, results.Callback()); });
    }
    Simulator::Stop(Seconds(60));
    Simulator::Run();

    ASSERT_EQ(results.list.size(), size_t(kFetches));
    Time worst;
    for (const auto& r : results.list)
    {
        EXPECT_TRUE(r.ok) << r.error;
        EXPECT_EQ(r.doc.user, "John");
        EXPECT_EQ(r.policies.size(), 2U);
    }
    uint32_t retx = logA.retransmissions + logB.retransmissions;
    std::cout << "[ loss     ] 10 fetches over 30 % loss: " << logA.retransmissions
              << " SUBSCRIBE and " << logB.retransmissions << " NOTIFY retransmissions, "
              << a->GetStats().responsesResent + b->GetStats().responsesResent
              << " cached responses re-sent, " << a->GetStats().absorbedRequests << "+"
              << b->GetStats().absorbedRequests << " duplicates absorbed" << std::endl;
    EXPECT_GT(retx, 0U);
    EXPECT_EQ(a->GetStats().retransmissions + b->GetStats().retransmissions, retx);
    EXPECT_EQ(logA.timeouts + logB.timeouts, 0U);
    EXPECT_EQ(a->GetStats().GetNBad(), 0U);
    EXPECT_EQ(b->GetStats().GetNBad(), 0U);
    EXPECT_EQ(b->GetNWatchers(), 0U);
    EXPECT_EQ(a->GetNSubscriptions(), 0U);
    // A's database holds the one peer, once.
    EXPECT_EQ(a->GetPresenceDatabase()->GetN(), 1U);
    Simulator::Destroy();
}

// A peer without an agent: the SUBSCRIBE is retransmitted 10 times and times out at
// exactly 64*T1 = 32 s.

TEST(PresenceAgent, SilentPeerTimesOutAfterExactly32Seconds)
{
    Lan lan(3, 1); // only A runs an agent
    Ptr<PresenceAgent> a = lan.Agent(0);
    MessageLog logA;
    logA.Connect(a);
    Results results;
    std::vector<Time> sends;
    a->TraceConnectWithoutContext("Retransmission",
                                  ns3::Callback<void, const SipMessage&, const Address&, uint32_t>(
                                      [&](const SipMessage&, const Address&, uint32_t) {
                                          sends.push_back(Simulator::Now());
                                      }));
    Simulator::Schedule(Seconds(1), [&]() { a->Fetch(kC, results.Callback()); });
    Simulator::Stop(Seconds(60));
    Simulator::Run();

    ASSERT_EQ(results.list.size(), 1U);
    EXPECT_FALSE(results.list[0].ok);
    EXPECT_EQ(results.list[0].error, "timeout");
    EXPECT_EQ(results.list[0].peer, kC);
    EXPECT_EQ(results.list[0].at, Seconds(33)); // exactly start + 64*T1
    EXPECT_EQ(logA.timeouts, 1U);
    // Timer E: 0.5, 1, 2, 4, 4, ... s after the first transmission.
    std::vector<Time> expected;
    for (double t : {1.5, 2.5, 4.5, 8.5, 12.5, 16.5, 20.5, 24.5, 28.5, 32.5})
    {
        expected.push_back(Seconds(t));
    }
    EXPECT_EQ(sends, expected);
    EXPECT_EQ(a->GetStats().retransmissions, 10U);
    EXPECT_EQ(a->GetNSubscriptions(), 0U);
    EXPECT_EQ(a->GetNClientTransactions(), 0U);
    EXPECT_EQ(a->GetPresenceDatabase()->GetN(), 0U);
    Simulator::Destroy();
}

// The own location follows a DHCP lease (DhcpClient adds the address; the agent hears it
// through its Ipv4ListRouting watcher and the NewLease trace, coalesced into one change).

TEST(PresenceAgent, DhcpLeaseUpdatesOwnPresence)
{
    NodeContainer nodes;
    nodes.Create(2);
    CsmaHelper csma;
    NetDeviceContainer devices = csma.Install(nodes);
    InternetStackHelper().Install(nodes);
    DhcpHelper dhcp;
    dhcp.SetClientAttribute("Collect", TimeValue(MilliSeconds(10)));
    ApplicationContainer server = dhcp.InstallDhcpServer(devices.Get(0),
                                                         kA,
                                                         Ipv4Address("192.168.1.0"),
                                                         Ipv4Mask("/24"),
                                                         Ipv4Address("192.168.1.10"),
                                                         Ipv4Address("192.168.1.20"));
    server.Start(Seconds(0));
    ApplicationContainer client = dhcp.InstallDhcpClient(devices.Get(1));
    client.Start(Seconds(0.5));
    ApplicationContainer apps;
    Lan::InstallAgents(nodes, 2, apps);
    auto a = DynamicCast<PresenceAgent>(apps.Get(0));
    auto b = DynamicCast<PresenceAgent>(apps.Get(1));
    std::vector<std::pair<Time, PresenceDocument>> changes;
    b->TraceConnectWithoutContext(
        "PresenceChanged",
        ns3::Callback<void, const PresenceDocument&>(
            [&](const PresenceDocument& d) { changes.emplace_back(Simulator::Now(), d); }));
    std::vector<Time> leases;
    client.Get(0)->TraceConnectWithoutContext(
        "NewLease",
        ns3::Callback<void, const Ipv4Address&>(
            [&](const Ipv4Address&) { leases.push_back(Simulator::Now()); }));
    Results results;
    Simulator::Schedule(Seconds(3), [&]() {
        ASSERT_FALSE(b->GetOwnPresence().addresses.empty());
        a->Fetch(b->GetOwnPresence().addresses.front(), results.Callback());
    });
    Simulator::Stop(Seconds(5));
    Simulator::Run();

    ASSERT_EQ(leases.size(), 1U);
    ASSERT_EQ(changes.size(), 2U);
    // At start: no address yet.
    EXPECT_EQ(changes[0].first, Seconds(0));
    EXPECT_EQ(changes[0].second.basic, BasicStatus::CLOSED);
    EXPECT_TRUE(changes[0].second.addresses.empty());
    EXPECT_EQ(changes[0].second.location, "");
    // With the lease, in the same instant.
    EXPECT_EQ(changes[1].first, leases[0]);
    EXPECT_EQ(changes[1].second.basic, BasicStatus::OPEN);
    EXPECT_EQ(changes[1].second.addresses, std::vector<Ipv4Address>{Ipv4Address("192.168.1.10")});
    EXPECT_EQ(changes[1].second.location, "office");
    EXPECT_EQ(b->GetStats().ownPresenceChanges, 1U);
    ASSERT_EQ(results.list.size(), 1U);
    EXPECT_TRUE(results.list[0].ok) << results.list[0].error;
    EXPECT_EQ(results.list[0].doc.location, "office");
    Simulator::Destroy();
}

// A laptop docked while its Wi-Fi still holds a lease elsewhere: the dock carries the default
// route, so its address is the primary one, named first and classified, whatever the
// interface order (the radio's interface comes first).

TEST(PresenceAgent, ThePrimaryAddressIsTheDefaultRoutesSource)
{
    Lan lan(2);
    Ptr<Node> node = lan.nodes.Get(1);
    Ptr<PresenceAgent> b = lan.Agent(1);
    NetDeviceContainer dock = CsmaHelper().Install(NodeContainer(node));
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    Ptr<Ipv4StaticRouting> rt = Ipv4StaticRoutingHelper().GetStaticRouting(ipv4);
    const Ipv4Address office("192.168.1.2");
    const Ipv4Address home("10.8.0.5");
    auto removeDefaultRoutes = [rt]() {
        for (uint32_t r = rt->GetNRoutes(); r-- > 0;)
        {
            if (rt->GetRoute(r).IsDefault())
            {
                rt->RemoveRoute(r);
            }
        }
    };
    rt->SetDefaultRoute(Ipv4Address("192.168.1.1"), 1);
    Simulator::Schedule(Seconds(2), [&]() {
        // Docking: an address on the second interface and the default route through it.
        int32_t i = ipv4->AddInterface(dock.Get(0));
        ipv4->AddAddress(i, Ipv4InterfaceAddress(home, Ipv4Mask("/16")));
        ipv4->SetUp(i);
        removeDefaultRoutes(); // the radio's
        rt->SetDefaultRoute(Ipv4Address("10.8.0.1"), i);
    });
    std::vector<PresenceDocument> changes;
    b->TraceConnectWithoutContext("PresenceChanged",
                                  ns3::Callback<void, const PresenceDocument&>(
                                      [&](const PresenceDocument& d) { changes.push_back(d); }));
    Simulator::Schedule(Seconds(1), [&]() {
        EXPECT_EQ(NodeAddresses::CollectPrimaryFirst(node), std::vector<Ipv4Address>{office});
        EXPECT_EQ(b->GetOwnPresence().location, "office");
    });
    Simulator::Stop(Seconds(3));
    Simulator::Run();

    EXPECT_EQ(NodeAddresses::Collect(node), (std::vector<Ipv4Address>{office, home}));
    EXPECT_EQ(NodeAddresses::CollectPrimaryFirst(node), (std::vector<Ipv4Address>{home, office}));
    ASSERT_FALSE(changes.empty());
    const PresenceDocument& docked = changes.back();
    EXPECT_EQ(docked.addresses, (std::vector<Ipv4Address>{home, office}));
    EXPECT_EQ(docked.location, "home");
    EXPECT_EQ(docked.contact, "sip:peerA@10.8.0.5");
    // Without a default route, interface order.
    removeDefaultRoutes();
    EXPECT_EQ(NodeAddresses::CollectPrimaryFirst(node), (std::vector<Ipv4Address>{office, home}));
    Simulator::Destroy();
}

// A notifier that vanishes: the subscription ends locally at its expiry (plus 64*T1 for the
// terminal NOTIFY), and an unsubscribe that times out ends it at once.

TEST(PresenceAgent, VanishedNotifierEndsSubscriptionsLocally)
{
    Lan lan(3);
    Ptr<PresenceAgent> a = lan.Agent(0);
    Ptr<PresenceAgent> b = lan.Agent(1);
    // A third agent on C, to be unsubscribed from after it stopped.
    ApplicationContainer third = PresenceAgentHelper().Install(lan.nodes.Get(2));
    auto c = DynamicCast<PresenceAgent>(third.Get(0));
    b->SetStopTime(Seconds(2));
    c->SetStopTime(Seconds(2));
    // This test is about a subscription that runs out, so A refreshes only when told to.
    a->SetAttribute("RefreshSubscriptions", BooleanValue(false));
    Results fromB;
    Results fromC;
    Simulator::Schedule(Seconds(1), [&]() {
        a->Subscribe(kB, Seconds(20), fromB.Callback());
        a->Subscribe(kC, Seconds(600), fromC.Callback());
    });
    Simulator::Schedule(Seconds(3), [&]() {
        EXPECT_EQ(a->Refresh(kB, Seconds(20)), 1U); // times out, subscription kept
        EXPECT_EQ(a->Unsubscribe(kC), 1U);          // times out, subscription ended
    });
    Simulator::Stop(Seconds(80));
    Simulator::Run();

    ASSERT_EQ(fromC.list.size(), 2U);
    EXPECT_TRUE(fromC.list[0].ok);
    EXPECT_FALSE(fromC.list[1].ok);
    EXPECT_EQ(fromC.list[1].error, "unsubscribe: timeout");
    EXPECT_EQ(fromC.list[1].at, Seconds(35));
    ASSERT_EQ(fromB.list.size(), 2U);
    EXPECT_TRUE(fromB.list[0].ok);
    EXPECT_FALSE(fromB.list[1].ok);
    EXPECT_EQ(fromB.list[1].error, "expired");
    // 20 s from the NOTIFY (at ~1 s), plus 64*T1.
    EXPECT_GT(fromB.list[1].at, Seconds(53));
    EXPECT_LT(fromB.list[1].at, Seconds(53.1));
    EXPECT_EQ(a->GetNSubscriptions(), 0U);
    EXPECT_EQ(a->GetStats().timeouts, 2U);
    Simulator::Destroy();
}

// A refused subscription reaches the callback as its status.

TEST(PresenceAgent, RefusedSubscriptionReports403)
{
    Lan lan(2);
    Ptr<PresenceAgent> a = lan.Agent(0);
    Ptr<PresenceAgent> b = lan.Agent(1);
    std::vector<std::string> asked;
    b->SetAuthorizationCallback(
        PresenceAgent::AuthorizationCallback([&](Ipv4Address from, const std::string& uri) {
            asked.push_back(uri);
            return from != kA;
        }));
    Results results;
    Simulator::Schedule(Seconds(1), [&]() { a->Fetch(kB, results.Callback()); });
    Simulator::Stop(Seconds(5));
    Simulator::Run();
    ASSERT_EQ(results.list.size(), 1U);
    EXPECT_FALSE(results.list[0].ok);
    EXPECT_EQ(results.list[0].error, "403 Forbidden");
    EXPECT_EQ(asked, std::vector<std::string>{"sip:alice@example.com"});
    EXPECT_EQ(b->GetStats().subscriptionsRefused, 1U);
    EXPECT_EQ(a->GetNSubscriptions(), 0U);
    EXPECT_EQ(a->GetPresenceDatabase()->GetN(), 0U);
    Simulator::Destroy();
}

// tshark dissects the pcap as SIP with an XML (PIDF) body.

TEST(PresenceAgent, PcapDissectsAsSipWithXmlBody)
{
    char dirTemplate[] = "/tmp/presec-pa-XXXXXX";
    ASSERT_NE(mkdtemp(dirTemplate), nullptr);
    std::string prefix = std::string(dirTemplate) + "/presence";
    {
        Lan lan(2);
        Ptr<PresenceAgent> a = lan.Agent(0);
        Ptr<PresenceAgent> b = lan.Agent(1);
        b->SetSecurityPolicyDatabase(PeerSpd());
        lan.csma.EnablePcap(prefix, lan.devices.Get(0), false);
        Results results;
        Simulator::Schedule(Seconds(1), [&]() { a->Fetch(kB, results.Callback()); });
        Simulator::Stop(Seconds(5));
        Simulator::Run();
        ASSERT_EQ(results.list.size(), 1U);
        EXPECT_TRUE(results.list[0].ok);
        Simulator::Destroy(); // closes the pcap file
    }
    std::string file = prefix + "-0-0.pcap"; // node 0, device 0 (the CSMA device)
    ASSERT_EQ(access(file.c_str(), R_OK), 0) << file;
    if (!HaveProgram("tshark"))
    {
        GTEST_SKIP() << "tshark is not installed; pcap written to " << file;
    }
    std::string tshark = "tshark -n -r " + file + " 2>/dev/null ";
    std::string notify = Capture(tshark + "-Y 'sip.Method == \"NOTIFY\"' -T fields -e sip.Method");
    EXPECT_EQ(notify, "NOTIFY\n");
    std::string subscribe =
        Capture(tshark + "-Y 'sip.Method == \"SUBSCRIBE\"' -T fields -e sip.Method");
    EXPECT_EQ(subscribe, "SUBSCRIBE\n");
    std::string ok = Capture(tshark + "-Y 'sip.Status-Code == 200' -T fields -e sip.Status-Code");
    EXPECT_EQ(ok, "200\n200\n");
    // The body is dissected as XML: generic XML fields and the PIDF (presence.dtd) fields.
    std::string xml =
        Capture(tshark + "-Y 'xml.tag contains \"presence\"' -T fields -e sip.Method");
    EXPECT_EQ(xml, "NOTIFY\n");
    std::string entity = Capture(
        tshark + "-Y 'presence.entity == \"pres:peerA@example.com\"' -T fields -e sip.Method");
    EXPECT_EQ(entity, "NOTIFY\n");
    std::string policy =
        Capture(tshark + "-Y 'xml.attribute contains \"192.168.1.1\"' -T fields -e "
                         "sip.Method");
    EXPECT_EQ(CountLines(policy), 1U);
    std::remove(file.c_str());
    rmdir(dirTemplate);
}

// ---------------------------------------------------------------------------------------------
// Bad input: at least 30 malformed messages, each with its response status or drop reason,
// and neither database touched.

namespace
{

/// A request written by hand.
struct RawRequest
{
    std::string startLine;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    bool contentLength{true};

    RawRequest& Set(const std::string& name, const std::string& value)
    {
        for (auto& h : headers)
        {
            if (h.first == name)
            {
                h.second = value;
                return *this;
            }
        }
        headers.emplace_back(name, value);
        return *this;
    }

    RawRequest& Remove(const std::string& name)
    {
        headers.erase(std::remove_if(headers.begin(),
                                     headers.end(),
                                     [&](const auto& h) { return h.first == name; }),
                      headers.end());
        return *this;
    }

    RawRequest& Add(const std::string& name, const std::string& value)
    {
        headers.emplace_back(name, value);
        return *this;
    }

    std::string Text() const
    {
        std::string s = startLine + "\r\n";
        for (const auto& h : headers)
        {
            s += h.first + ": " + h.second + "\r\n";
        }
        if (contentLength)
        {
            s += "Content-Length: " + std::to_string(body.size()) + "\r\n";
        }
        return s + "\r\n" + body;
    }
};

/// The dialog A holds with B, learnt from the traces.
struct Dialog
{
    std::string callId;
    std::string aTag;
    std::string bTag;
    std::string body; //!< the PIDF B sent
};

RawRequest
Subscribe(int i)
{
    RawRequest r;
    r.startLine = "SUBSCRIBE sip:192.168.1.2 SIP/2.0";
    r.headers = {{"Via", "SIP/2.0/UDP 192.168.1.3:40000;branch=z9hG4bKcase" + std::to_string(i)},
                 {"Max-Forwards", "70"},
                 {"From", "<sip:mallory@example.com>;tag=m" + std::to_string(i)},
                 {"To", "<sip:192.168.1.2>"},
                 {"Call-ID", "case" + std::to_string(i) + "@192.168.1.3"},
                 {"CSeq", "1 SUBSCRIBE"},
                 {"Contact", "<sip:mallory@192.168.1.3:40000>"},
                 {"Event", "presence"},
                 {"Accept", "application/pidf+xml"},
                 {"Expires", "0"}};
    return r;
}

RawRequest
Method(int i, const std::string& method)
{
    RawRequest r = Subscribe(i);
    r.startLine = method + " sip:192.168.1.2 SIP/2.0";
    r.Set("CSeq", "1 " + method);
    r.Remove("Event").Remove("Accept").Remove("Expires");
    return r;
}

/// A NOTIFY forged inside A's real dialog with B, sent to A.
RawRequest
DialogNotify(int i, const Dialog& d, const std::string& body, const std::string& type)
{
    RawRequest r;
    r.startLine = "NOTIFY sip:alice@192.168.1.1 SIP/2.0";
    r.headers = {{"Via", "SIP/2.0/UDP 192.168.1.3:40000;branch=z9hG4bKcase" + std::to_string(i)},
                 {"Max-Forwards", "70"},
                 {"From", "<sip:peerA@example.com>;tag=" + d.bTag},
                 {"To", "<sip:alice@example.com>;tag=" + d.aTag},
                 {"Call-ID", d.callId},
                 {"CSeq", std::to_string(100 + i) + " NOTIFY"},
                 {"Contact", "<sip:peerA@192.168.1.2>"},
                 {"Event", "presence"},
                 {"Subscription-State", "active;expires=500"}};
    if (!type.empty())
    {
        r.Add("Content-Type", type);
    }
    r.body = body;
    return r;
}

std::string
Pidf(const std::string& inner, const std::string& attrs = "entity=\"pres:peerA@example.com\"")
{
    return "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" " + attrs + ">" + inner + "</presence>";
}

const char* const kTuple = "<tuple id=\"t1\"><status><basic>open</basic></status></tuple>";

/// One malformed input and what it must produce.
struct BadCase
{
    std::string name;
    int target; //!< 0 = A, 1 = B
    std::function<std::string(int, const Dialog&)> make;
    uint16_t status; //!< expected response status, 0 = dropped
    std::string reason;
};

std::vector<BadCase>
BadCases()
{
    using PA = PresenceAgent;
    const std::string pidf = "application/pidf+xml";
    std::vector<BadCase> c;
    auto toB = [&](std::string name,
                   std::function<RawRequest(int)> f,
                   uint16_t status,
                   std::string reason) {
        c.push_back({name, 1, [f](int i, const Dialog&) { return f(i).Text(); }, status, reason});
    };
    auto toA = [&](std::string name,
                   std::function<RawRequest(int, const Dialog&)> f,
                   uint16_t status,
                   std::string reason) {
        c.push_back(
            {name, 0, [f](int i, const Dialog& d) { return f(i, d).Text(); }, status, reason});
    };
    auto raw = [&](std::string name,
                   int target,
                   std::string text,
                   uint16_t status,
                   std::string reason) {
        c.push_back({name, target, [text](int, const Dialog&) { return text; }, status, reason});
    };

    // Not SIP at all.
    raw("plain text", 1, "hello world\r\n\r\n", 0, PA::NOT_SIP_REASON);
    raw("binary junk", 1, std::string("\x00\x01\xff\xfe junk \x7f", 12), 0, PA::NOT_SIP_REASON);
    raw("HTTP request", 1, "GET / HTTP/1.1\r\nHost: b\r\n\r\n", 0, PA::NOT_SIP_REASON);
    toB(
        "SIP/3.0",
        [](int i) {
            auto r = Subscribe(i);
            r.startLine = "SUBSCRIBE sip:192.168.1.2 SIP/3.0";
            return r;
        },
        0,
        PA::UNSUPPORTED_VERSION_REASON);
    // Missing headers a response needs: dropped.
    toB(
        "no Via",
        [](int i) { return Subscribe(i).Remove("Via"); },
        0,
        PA::UNANSWERABLE_REASON);
    toB(
        "no From",
        [](int i) { return Subscribe(i).Remove("From"); },
        0,
        PA::UNANSWERABLE_REASON);
    toB(
        "no To",
        [](int i) { return Subscribe(i).Remove("To"); },
        0,
        PA::UNANSWERABLE_REASON);
    toB(
        "no Call-ID",
        [](int i) { return Subscribe(i).Remove("Call-ID"); },
        0,
        PA::UNANSWERABLE_REASON);
    toB(
        "no CSeq",
        [](int i) { return Subscribe(i).Remove("CSeq"); },
        0,
        PA::UNANSWERABLE_REASON);
    toB(
        "bad CSeq",
        [](int i) { return Subscribe(i).Set("CSeq", "one SUBSCRIBE"); },
        0,
        PA::UNANSWERABLE_REASON);
    // Other malformed requests: 400.
    toB(
        "no Max-Forwards",
        [](int i) { return Subscribe(i).Remove("Max-Forwards"); },
        400,
        PA::MALFORMED_REQUEST_REASON);
    toB(
        "bad Max-Forwards",
        [](int i) { return Subscribe(i).Set("Max-Forwards", "300"); },
        400,
        PA::MALFORMED_REQUEST_REASON);
    toB(
        "no From tag",
        [](int i) { return Subscribe(i).Set("From", "<sip:mallory@example.com>"); },
        400,
        PA::MALFORMED_REQUEST_REASON);
    toB(
        "branch without cookie",
        [](int i) {
            return Subscribe(i).Set("Via",
                                    "SIP/2.0/UDP 192.168.1.3:40000;branch=old" + std::to_string(i));
        },
        400,
        PA::MALFORMED_REQUEST_REASON);
    toB(
        "CSeq method mismatch",
        [](int i) { return Subscribe(i).Set("CSeq", "1 NOTIFY"); },
        400,
        PA::MALFORMED_REQUEST_REASON);
    toB(
        "header name with spaces",
        [](int i) { return Subscribe(i).Add("Bogus header line", "x"); },
        400,
        PA::MALFORMED_REQUEST_REASON);
    toB(
        "header line without colon",
        [](int i) { return Subscribe(i).Add("Subject", "x\r\nNoColonHere"); },
        400,
        PA::MALFORMED_REQUEST_REASON);
    toB(
        "control character",
        [](int i) { return Subscribe(i).Add("Subject", std::string("a\x01z")); },
        400,
        PA::MALFORMED_REQUEST_REASON);
    toB(
        "Content-Length too large",
        [](int i) {
            auto r = Subscribe(i);
            r.contentLength = false;
            r.Add("Content-Length", "500");
            return r;
        },
        400,
        PA::MALFORMED_REQUEST_REASON);
    toB(
        "two Content-Lengths",
        [](int i) {
            auto r = Subscribe(i);
            r.Add("Content-Length", "0");
            return r;
        },
        400,
        PA::MALFORMED_REQUEST_REASON);
    toB(
        "no Event",
        [](int i) { return Subscribe(i).Remove("Event"); },
        400,
        PA::MALFORMED_REQUEST_REASON);
    toB(
        "two Events",
        [](int i) { return Subscribe(i).Add("Event", "presence"); },
        400,
        PA::MALFORMED_REQUEST_REASON);
    toB(
        "no Contact",
        [](int i) { return Subscribe(i).Remove("Contact"); },
        400,
        PA::MALFORMED_REQUEST_REASON);
    toB(
        "bad Expires",
        [](int i) { return Subscribe(i).Set("Expires", "soon"); },
        400,
        PA::MALFORMED_REQUEST_REASON);
    toB(
        "NOTIFY without Subscription-State",
        [](int i) {
            auto r = Subscribe(i);
            r.startLine = "NOTIFY sip:192.168.1.2 SIP/2.0";
            r.Set("CSeq", "1 NOTIFY").Remove("Accept").Remove("Expires");
            return r;
        },
        400,
        PA::MALFORMED_REQUEST_REASON);
    // Methods and event packages.
    toB(
        "Request-URI of another user",
        [](int i) {
            auto r = Subscribe(i);
            r.startLine = "SUBSCRIBE sip:carol@example.org SIP/2.0";
            return r;
        },
        404,
        PA::NOT_FOUND_REASON);
    toB(
        "Request-URI of another host",
        [](int i) {
            auto r = Subscribe(i);
            r.startLine = "SUBSCRIBE sip:192.168.1.9 SIP/2.0";
            return r;
        },
        404,
        PA::NOT_FOUND_REASON);
    toB(
        "unknown method",
        [](int i) { return Method(i, "FROBNICATE"); },
        501,
        PA::METHOD_NOT_IMPLEMENTED_REASON);
    toB(
        "INVITE",
        [](int i) { return Method(i, "INVITE"); },
        405,
        PA::METHOD_NOT_ALLOWED_REASON);
    toB(
        "MESSAGE",
        [](int i) {
            auto r = Method(i, "MESSAGE");
            r.Add("Content-Type", "text/plain");
            r.body = "hi";
            return r;
        },
        405,
        PA::METHOD_NOT_ALLOWED_REASON);
    toB(
        "Event dialog",
        [](int i) { return Subscribe(i).Set("Event", "dialog"); },
        489,
        PA::BAD_EVENT_REASON);
    toB(
        "Event Presence",
        [](int i) { return Subscribe(i).Set("Event", "Presence"); },
        489,
        PA::BAD_EVENT_REASON);
    toB(
        "Accept text/plain",
        [](int i) { return Subscribe(i).Set("Accept", "text/plain"); },
        406,
        PA::NOT_ACCEPTABLE_REASON);
    // RFC 4660 filters in the SUBSCRIBE body: wrong type 415, bad document 400, unusable 488.
    auto filtered = [](int i, const std::string& type, const std::string& body) {
        auto r = Subscribe(i);
        r.Add("Content-Type", type);
        r.body = body;
        return r;
    };
    const std::string fs = "<filter-set xmlns=\"urn:ietf:params:xml:ns:simple-filter\">";
    toB(
        "filter as text/plain",
        [=](int i) { return filtered(i, "text/plain", fs + "<filter id=\"1\"/></filter-set>"); },
        415,
        PA::UNSUPPORTED_MEDIA_REASON);
    toB(
        "filter not well-formed",
        [=](int i) { return filtered(i, SimpleFilterCodec::CONTENT_TYPE, fs + "<filter id="); },
        400,
        PA::BAD_FILTER_REASON);
    toB(
        "filter without id",
        [=](int i) {
            return filtered(i, SimpleFilterCodec::CONTENT_TYPE, fs + "<filter/></filter-set>");
        },
        400,
        PA::BAD_FILTER_REASON);
    toB(
        "filter with a trigger",
        [=](int i) {
            return filtered(i,
                            SimpleFilterCodec::CONTENT_TYPE,
                            fs + "<filter id=\"1\"><trigger><changed>x</changed></trigger>"
                                 "</filter></filter-set>");
        },
        488,
        PA::UNSUPPORTED_FILTER_REASON);
    toB(
        "filter XPath with an unbound prefix",
        [=](int i) {
            return filtered(i,
                            SimpleFilterCodec::CONTENT_TYPE,
                            fs + "<filter id=\"1\"><what><include>/zz:presence</include></what>"
                                 "</filter></filter-set>");
        },
        488,
        PA::UNSUPPORTED_FILTER_REASON);
    toB(
        "SUBSCRIBE in unknown dialog",
        [](int i) { return Subscribe(i).Set("To", "<sip:192.168.1.2>;tag=deadbeef"); },
        481,
        PA::NO_SUBSCRIPTION_REASON);
    toB(
        "huge message",
        [](int i) {
            auto r = Subscribe(i);
            r.Add("X-Padding", std::string(20000, 'x'));
            return r;
        },
        513,
        PA::TOO_LARGE_REASON);
    // Responses are never answered.
    raw("response without Call-ID",
        1,
        "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.168.1.2:5060;branch=z9hG4bKx\r\nFrom: "
        "<sip:a@b>;tag=1\r\n"
        "To: <sip:c@d>;tag=2\r\nCSeq: 1 SUBSCRIBE\r\nContent-Length: 0\r\n\r\n",
        0,
        PA::MALFORMED_RESPONSE_REASON);
    raw("stray response",
        1,
        "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.168.1.2:5060;branch=z9hG4bKstray\r\nFrom: "
        "<sip:a@b>;tag=1\r\n"
        "To: <sip:c@d>;tag=2\r\nCall-ID: stray\r\nCSeq: 1 SUBSCRIBE\r\nContent-Length: 0\r\n\r\n",
        0,
        PA::UNMATCHED_RESPONSE_REASON);

    // NOTIFYs to A inside its real dialog with B: bad bodies.
    toA(
        "NOTIFY text/plain",
        [=](int i, const Dialog& d) { return DialogNotify(i, d, d.body, "text/plain"); },
        415,
        PA::UNSUPPORTED_MEDIA_REASON);
    toA(
        "NOTIFY application/xml",
        [=](int i, const Dialog& d) { return DialogNotify(i, d, d.body, "application/xml"); },
        415,
        PA::UNSUPPORTED_MEDIA_REASON);
    toA(
        "NOTIFY gzip",
        [=](int i, const Dialog& d) {
            return DialogNotify(i, d, d.body, pidf).Add("Content-Encoding", "gzip");
        },
        415,
        PA::UNSUPPORTED_MEDIA_REASON);
    toA(
        "NOTIFY body without Content-Type",
        [=](int i, const Dialog& d) { return DialogNotify(i, d, d.body, ""); },
        400,
        PA::MALFORMED_REQUEST_REASON);
    toA(
        "PIDF not well-formed",
        [=](int i, const Dialog& d) {
            return DialogNotify(i,
                                d,
                                "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" "
                                "entity=\"pres:x@y\"><tuple id=\"t1\">",
                                pidf);
        },
        400,
        PA::BAD_PIDF_REASON);
    toA(
        "PIDF truncated",
        [=](int i, const Dialog& d) {
            return DialogNotify(i, d, d.body.substr(0, d.body.size() / 2), pidf);
        },
        400,
        PA::BAD_PIDF_REASON);
    toA(
        "PIDF wrong namespace",
        [=](int i, const Dialog& d) {
            return DialogNotify(
                i,
                d,
                "<presence xmlns=\"urn:example:not-pidf\" entity=\"pres:peerA@example.com\">" +
                    std::string(kTuple) + "</presence>",
                pidf);
        },
        400,
        PA::BAD_PIDF_REASON);
    toA(
        "PIDF no namespace",
        [=](int i, const Dialog& d) {
            return DialogNotify(i,
                                d,
                                "<presence entity=\"pres:peerA@example.com\">" +
                                    std::string(kTuple) + "</presence>",
                                pidf);
        },
        400,
        PA::BAD_PIDF_REASON);
    toA(
        "PIDF without entity",
        [=](int i, const Dialog& d) { return DialogNotify(i, d, Pidf(kTuple, ""), pidf); },
        400,
        PA::BAD_PIDF_REASON);
    toA(
        "PIDF without tuple",
        [=](int i, const Dialog& d) { return DialogNotify(i, d, Pidf(""), pidf); },
        400,
        PA::BAD_PIDF_REASON);
    toA(
        "PIDF without basic",
        [=](int i, const Dialog& d) {
            return DialogNotify(i, d, Pidf("<tuple id=\"t1\"><status/></tuple>"), pidf);
        },
        400,
        PA::BAD_PIDF_REASON);
    toA(
        "PIDF basic maybe",
        [=](int i, const Dialog& d) {
            return DialogNotify(
                i,
                d,
                Pidf("<tuple id=\"t1\"><status><basic>maybe</basic></status></tuple>"),
                pidf);
        },
        400,
        PA::BAD_PIDF_REASON);
    toA(
        "PIDF two tuples",
        [=](int i, const Dialog& d) {
            return DialogNotify(
                i,
                d,
                Pidf(std::string(kTuple) +
                     "<tuple id=\"t2\"><status><basic>open</basic></status></tuple>"),
                pidf);
        },
        400,
        PA::BAD_PIDF_REASON);
    toA(
        "PIDF mustUnderstand",
        [=](int i, const Dialog& d) {
            return DialogNotify(
                i,
                d,
                Pidf(std::string(kTuple) +
                     "<x:secret xmlns:x=\"urn:example:x\" mustUnderstand=\"true\"/>"),
                pidf);
        },
        400,
        PA::BAD_PIDF_REASON);
    toA(
        "PIDF nested 40 deep",
        [=](int i, const Dialog& d) {
            std::string open, close;
            for (int k = 0; k < 40; ++k)
            {
                open += "<x:n xmlns:x=\"urn:example:x\">";
                close += "</x:n>";
            }
            return DialogNotify(i, d, Pidf(std::string(kTuple) + open + close), pidf);
        },
        400,
        PA::BAD_PIDF_REASON);
    toA(
        "PIDF entity expansion",
        [=](int i, const Dialog& d) {
            return DialogNotify(
                i,
                d,
                "<?xml version=\"1.0\"?><!DOCTYPE presence [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b "
                "\"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>" +
                    Pidf(std::string(
                        "<tuple "
                        "id=\"t1\"><status><basic>open</basic></status><note>&c;</note></tuple>")),
                pidf);
        },
        400,
        PA::BAD_PIDF_REASON);
    toA(
        "PIDF huge",
        [=](int i, const Dialog& d) {
            return DialogNotify(
                i,
                d,
                Pidf(std::string(kTuple) + "<note>" + std::string(30000, 'n') + "</note>"),
                pidf);
        },
        513,
        PA::TOO_LARGE_REASON);
    toA(
        "PIDF bad timestamp",
        [=](int i, const Dialog& d) {
            return DialogNotify(i,
                                d,
                                Pidf("<tuple "
                                     "id=\"t1\"><status><basic>open</basic></"
                                     "status><timestamp>yesterday</timestamp></tuple>"),
                                pidf);
        },
        400,
        PA::BAD_PIDF_REASON);
    // RFC 3261 section 8.2.2.3: an extension the agent lacks is refused, not ignored.
    toB(
        "Require unknown extensions",
        [](int i) { return Subscribe(i).Set("Require", "100rel, foo"); },
        420,
        PA::BAD_EXTENSION_REASON);
    // RFC 3261 section 12.2.2: an in-dialog request older than the dialog's last one; a
    // refresh in A's dialog with B with the CSeq of A's first SUBSCRIBE, and a NOTIFY to A.
    c.push_back({"SUBSCRIBE refresh CSeq not newer",
                 1,
                 [](int i, const Dialog& d) {
                     RawRequest r = Subscribe(i);
                     r.Set("From", "<sip:alice@example.com>;tag=" + d.aTag);
                     r.Set("To", "<sip:192.168.1.2>;tag=" + d.bTag);
                     r.Set("Call-ID", d.callId);
                     r.Set("Expires", "3600");
                     return r.Text();
                 },
                 500,
                 PA::CSEQ_ORDER_REASON});
    toA(
        "NOTIFY CSeq not newer",
        [=](int i, const Dialog& d) {
            auto r = DialogNotify(i, d, d.body, pidf);
            r.Set("CSeq", "1 NOTIFY");
            return r;
        },
        500,
        PA::CSEQ_ORDER_REASON);
    // NOTIFYs outside any dialog.
    toA(
        "NOTIFY wrong Call-ID",
        [=](int i, const Dialog& d) {
            auto r = DialogNotify(i, d, d.body, pidf);
            r.Set("Call-ID", "nosuchcall");
            return r;
        },
        481,
        PA::NO_SUBSCRIPTION_REASON);
    toA(
        "NOTIFY wrong From tag",
        [=](int i, const Dialog& d) {
            auto r = DialogNotify(i, d, d.body, pidf);
            r.Set("From", "<sip:peerA@example.com>;tag=forged");
            return r;
        },
        481,
        PA::NO_SUBSCRIPTION_REASON);
    return c;
}

} // namespace

TEST(PresenceAgent, MalformedInputGetsTheRightResponseAndLeavesDatabasesAlone)
{
    Lan lan(3); // A and B run agents; C injects
    Ptr<PresenceAgent> a = lan.Agent(0);
    Ptr<PresenceAgent> b = lan.Agent(1);
    b->SetSecurityPolicyDatabase(PeerSpd());
    MessageLog logA;
    MessageLog logB;
    logA.Connect(a);
    logB.Connect(b);

    // A real subscription, so forged NOTIFYs can hit A's dialog.
    Results results;
    Dialog dialog;
    Simulator::Schedule(Seconds(1), [&]() { a->Subscribe(kB, Seconds(3600), results.Callback()); });

    // The injector on C.
    Ptr<Socket> c = Socket::CreateSocket(lan.nodes.Get(2), UdpSocketFactory::GetTypeId());
    ASSERT_EQ(c->Bind(InetSocketAddress(Ipv4Address::GetAny(), 40000)), 0);
    std::vector<std::pair<Time, uint16_t>> responses;
    c->SetRecvCallback(ns3::Callback<void, Ptr<Socket>>([&](Ptr<Socket> s) {
        Ptr<Packet> p;
        while ((p = s->Recv()))
        {
            std::string text(p->GetSize(), '\0');
            p->CopyData(reinterpret_cast<uint8_t*>(&text[0]), text.size());
            if (text.rfind("SIP/2.0 ", 0) == 0)
            {
                responses.emplace_back(Simulator::Now(), SipParser::GetStatusCode(text.substr(8)));
            }
        }
    }));

    std::vector<BadCase> cases = BadCases();
    ASSERT_GE(cases.size(), 30U);
    PresenceEntry entryBefore;
    std::vector<std::string> failures;
    const Time start = Seconds(3);
    const Time gap = MilliSeconds(200);
    // The dialog of A's newest subscription, from its SUBSCRIBE and B's first NOTIFY in it
    // (forged NOTIFYs only ever use a dialog captured before), and A's database entry then.
    auto capture = [&]() {
        const MessageLog::Entry* sub = nullptr;
        for (const auto& e : logA.entries)
        {
            if (e.what == "RequestSent" && e.message.GetMethod() == "SUBSCRIBE")
            {
                sub = &e;
            }
        }
        ASSERT_TRUE(sub);
        std::string callId = *sub->message.GetCallId();
        auto* notify = logA.Find("NotifyReceived", [&](const SipMessage& m) {
            return m.GetCallId() && *m.GetCallId() == callId;
        });
        ASSERT_TRUE(notify);
        dialog.callId = callId;
        dialog.aTag = sub->message.GetFrom()->GetTag();
        dialog.bTag = notify->message.GetFrom()->GetTag();
        dialog.body = notify->message.GetBody();
        auto e = a->GetPresenceDatabase()->Lookup("pres:peerA@example.com");
        ASSERT_TRUE(e.has_value());
        entryBefore = *e;
    };
    Simulator::Schedule(start - MilliSeconds(10), capture);
    // A NOTIFY that A refuses (bad body) ends A's subscription, as it ends the notifier's
    // (RFC 6665 section 4.2.2): A subscribes again before the next case.
    uint32_t resubscribed = 0;
    for (size_t i = 0; i < cases.size(); ++i)
    {
        Time at = start + gap * i;
        auto counts = std::make_shared<std::pair<uint32_t, size_t>>();
        Simulator::Schedule(at, [&, i, counts]() {
            const BadCase& bc = cases[i];
            Ptr<PresenceAgent> target = bc.target == 0 ? a : b;
            counts->first = target->GetStats().GetNBad(bc.reason);
            counts->second = responses.size();
            std::string text = bc.make(int(i), dialog);
            c->SendTo(Create<Packet>(reinterpret_cast<const uint8_t*>(text.data()), text.size()),
                      0,
                      InetSocketAddress(bc.target == 0 ? kA : kB, 5060));
        });
        Simulator::Schedule(at + gap / 2, [&, i, counts]() {
            const BadCase& bc = cases[i];
            Ptr<PresenceAgent> target = bc.target == 0 ? a : b;
            std::string got;
            uint32_t now = target->GetStats().GetNBad(bc.reason);
            if (now != counts->first + 1)
            {
                got += " counter '" + bc.reason + "' moved by " +
                       std::to_string(int(now) - int(counts->first));
            }
            size_t n = responses.size() - counts->second;
            if (bc.status == 0 && n != 0)
            {
                got +=
                    " answered " + std::to_string(responses.back().second) + " but must be dropped";
            }
            if (bc.status != 0 && (n != 1 || responses.back().second != bc.status))
            {
                got += " expected " + std::to_string(bc.status) + ", got " + std::to_string(n) +
                       " responses" +
                       (n ? " (last " + std::to_string(responses.back().second) + ")" : "");
            }
            if (!got.empty())
            {
                failures.push_back(std::to_string(i) + " " + bc.name + ":" + got);
            }
            if (a->GetNSubscriptions() == 0)
            {
                ++resubscribed;
                a->Subscribe(kB, Seconds(3600), results.Callback());
                Simulator::Schedule(gap * 2 / 5, capture);
            }
        });
    }
    Time end = start + gap * cases.size();
    Simulator::Stop(end + Seconds(1));
    Simulator::Run();

    for (const auto& f : failures)
    {
        ADD_FAILURE() << f;
    }
    // A's database: still the entry of the one good NOTIFY, untouched by all bad ones.
    EXPECT_EQ(a->GetPresenceDatabase()->GetN(), 1U);
    auto after = a->GetPresenceDatabase()->Lookup("pres:peerA@example.com");
    ASSERT_TRUE(after.has_value());
    EXPECT_EQ(after->document, entryBefore.document);
    EXPECT_EQ(after->address, entryBefore.address);
    EXPECT_EQ(after->updated, entryBefore.updated);
    EXPECT_EQ(b->GetPresenceDatabase()->GetN(), 0U);
    // Every bad body in the dialog ended A's subscription (one failure each) and A subscribed
    // again (one good NOTIFY each); nothing else ended one.
    size_t inDialogBodies = 0;
    for (const auto& bc : cases)
    {
        inDialogBodies +=
            bc.target == 0 && (bc.status == 415 || bc.reason == PresenceAgent::BAD_PIDF_REASON);
    }
    EXPECT_EQ(resubscribed, inDialogBodies);
    ASSERT_EQ(results.list.size(), 1 + resubscribed + inDialogBodies);
    size_t badPidf = 0;
    size_t good = 0;
    for (const auto& r : results.list)
    {
        if (r.ok)
        {
            ++good;
            continue;
        }
        badPidf += r.error.rfind("bad PIDF: ", 0) == 0;
        EXPECT_TRUE(r.error.rfind("bad PIDF: ", 0) == 0 || r.error.rfind("415 ", 0) == 0)
            << r.error;
    }
    EXPECT_EQ(good, 1 + resubscribed);
    EXPECT_GT(badPidf, 10U);
    // A holds only its newest subscription; B still holds the ended ones' watchers, since the
    // refusals went to C (B learns of each at its next NOTIFY there: 481).
    EXPECT_EQ(a->GetNSubscriptions(), 1U);
    EXPECT_EQ(b->GetNWatchers(), 1U + resubscribed);
    std::cout << "[ bad      ] " << cases.size() << " malformed inputs; A: ";
    a->GetStats().Print(std::cout);
    std::cout << std::endl << "[ bad      ] B: ";
    b->GetStats().Print(std::cout);
    std::cout << std::endl;
    EXPECT_EQ(a->GetStats().GetNBad() + b->GetStats().GetNBad(), cases.size());
    EXPECT_EQ(logA.bad.size() + logB.bad.size(), cases.size());
    c->Close();
    Simulator::Destroy();
}

// ---------------------------------------------------------------------------------------------
// Configuration.

// A notifier whose 200 to SUBSCRIBE carries no Expires and whose NOTIFY's
// Subscription-State gives no expiry either (both RFC 6665 violations): the subscription
// still ends, at the latest when what was asked for runs out, instead of living forever.
TEST(PresenceAgent, SubscriptionWithoutAnyExpiryEndsWhenTheAskedDurationRunsOut)
{
    Lan lan(2, 1); // A runs an agent; B is a hand-written notifier
    Ptr<PresenceAgent> a = lan.Agent(0);
    a->SetAttribute("RefreshSubscriptions", BooleanValue(false)); // about running out
    Ptr<Socket> b = Socket::CreateSocket(lan.nodes.Get(1), UdpSocketFactory::GetTypeId());
    ASSERT_EQ(b->Bind(InetSocketAddress(Ipv4Address::GetAny(), 5060)), 0);
    auto header = [](const std::string& text, const std::string& name) {
        size_t at = text.find("\r\n" + name + ":");
        if (at == std::string::npos)
        {
            return std::string();
        }
        size_t start = text.find_first_not_of(' ', at + 3 + name.size());
        return text.substr(start, text.find("\r\n", start) - start);
    };
    auto send = [b](const std::string& text, const Address& to) {
        b->SendTo(Create<Packet>(reinterpret_cast<const uint8_t*>(text.data()), text.size()),
                  0,
                  to);
    };
    int subscribes = 0;
    b->SetRecvCallback(ns3::Callback<void, Ptr<Socket>>([&](Ptr<Socket> sock) {
        Address from;
        while (Ptr<Packet> p = sock->RecvFrom(from))
        {
            std::string text(p->GetSize(), '\0');
            p->CopyData(reinterpret_cast<uint8_t*>(&text[0]), text.size());
            if (text.rfind("SUBSCRIBE ", 0) != 0)
            {
                continue;
            }
            ++subscribes;
            std::string to = header(text, "To") + ";tag=nolimit";
            send("SIP/2.0 200 OK\r\nVia: " + header(text, "Via") +
                     "\r\nFrom: " + header(text, "From") + "\r\nTo: " + to + "\r\nCall-ID: " +
                     header(text, "Call-ID") + "\r\nCSeq: " + header(text, "CSeq") +
                     "\r\nContact: <sip:peerA@192.168.1.2:5060>\r\nContent-Length: 0\r\n\r\n",
                 from);
            RawRequest n;
            n.startLine = "NOTIFY sip:alice@192.168.1.1 SIP/2.0";
            n.headers = {{"Via", "SIP/2.0/UDP 192.168.1.2:5060;branch=z9hG4bKnolimit"},
                         {"Max-Forwards", "70"},
                         {"From", to},
                         {"To", header(text, "From")},
                         {"Call-ID", header(text, "Call-ID")},
                         {"CSeq", "1 NOTIFY"},
                         {"Contact", "<sip:peerA@192.168.1.2:5060>"},
                         {"Event", "presence"},
                         {"Subscription-State", "active"},
                         {"Content-Type", "application/pidf+xml"}};
            n.body = Pidf(kTuple);
            send(n.Text(), from);
        }
    }));
    Results results;
    Simulator::Schedule(Seconds(1), [&]() { a->Subscribe(kB, Seconds(60), results.Callback()); });
    uint32_t midway = 0;
    Simulator::Schedule(Seconds(50), [&]() { midway = a->GetNSubscriptions(); });
    Simulator::Stop(Seconds(200));
    Simulator::Run();
    EXPECT_EQ(subscribes, 1);
    EXPECT_EQ(midway, 1u) << "ended before the asked duration";
    EXPECT_EQ(a->GetNSubscriptions(), 0u) << "a subscription without any expiry never ended";
    ASSERT_FALSE(results.list.empty());
    EXPECT_EQ(results.list.back().error, "expired");
    EXPECT_GE(results.list.back().at, Seconds(61));
    b->Close();
    Simulator::Destroy();
}

TEST(PresenceAgent, LocationPrefixesAttribute)
{
    auto agent = CreateObject<PresenceAgent>();
    agent->SetAttribute("LocationPrefixes",
                        StringValue(" 192.168.1.0/24=office ; 10.8.0.0/16=home;;"));
    LocationClassifier& c = agent->GetLocationClassifier();
    EXPECT_EQ(c.GetNPrefixes(), 2U);
    EXPECT_EQ(c.Classify(Ipv4Address("192.168.1.9")).label, "office");
    EXPECT_EQ(c.Classify(Ipv4Address("192.168.1.9")).placeType, PlaceType::OFFICE);
    EXPECT_EQ(c.Classify(Ipv4Address("10.8.3.4")).label, "home");
    EXPECT_EQ(c.Classify(Ipv4Address("10.8.3.4")).placeType, PlaceType::RESIDENCE);
    EXPECT_EQ(c.Classify(Ipv4Address("10.9.0.1")).label, "private");
    EXPECT_EQ(c.Classify(Ipv4Address("100.64.0.1")).label, "private");
    EXPECT_EQ(c.Classify(Ipv4Address("127.0.0.1")).label, "private");
    EXPECT_EQ(c.Classify(Ipv4Address("133.134.10.10")).label, "external");
    StringValue text;
    agent->GetAttribute("LocationPrefixes", text);
    EXPECT_EQ(text.Get(), " 192.168.1.0/24=office ; 10.8.0.0/16=home;;");

    EXPECT_DEATH(agent->SetAttribute("LocationPrefixes", StringValue("192.168.1.5/24=office")),
                 "host bits set");
    EXPECT_DEATH(agent->SetAttribute("LocationPrefixes", StringValue("192.168.1.0/24")),
                 "is not prefix=label");
    EXPECT_DEATH(agent->SetAttribute("LocationPrefixes", StringValue("192.168.1.0/33=x")),
                 "bad prefix length");
    EXPECT_DEATH(agent->SetAttribute("LocationPrefixes", StringValue("10.0.0.0/8=")), "bad label");
    EXPECT_EQ(PresenceAgentHelper::ExpandPattern("pres:n%n-%i@x%%", 7, 2), "pres:n7-2@x%");
}

// Agents given the same LocationPrefixes share the parsed table; one agent's change to its
// classifier stays its own, and a later agent still gets the text's prefixes.
TEST(PresenceAgent, AgentsWithTheSamePrefixesKeepTheirOwnClassifier)
{
    const std::string text = "192.168.1.0/24=office;10.8.0.0/16=home";
    auto a = CreateObject<PresenceAgent>();
    auto b = CreateObject<PresenceAgent>();
    a->SetAttribute("LocationPrefixes", StringValue(text));
    b->SetAttribute("LocationPrefixes", StringValue(text));
    a->GetLocationClassifier().AddPrefix("10.8.0.0/16", "hotel", false, PlaceType::HOTEL);
    EXPECT_EQ(a->GetLocationClassifier().Classify(Ipv4Address("10.8.3.4")).label, "hotel");
    EXPECT_EQ(b->GetLocationClassifier().Classify(Ipv4Address("10.8.3.4")).label, "home");
    auto c = CreateObject<PresenceAgent>();
    c->SetAttribute("LocationPrefixes", StringValue(text));
    EXPECT_EQ(c->GetLocationClassifier().Classify(Ipv4Address("10.8.3.4")).label, "home");
    EXPECT_EQ(c->GetLocationClassifier().GetNPrefixes(), 2u);
}

TEST(PresenceAgent, OfferedPolicyFollowsSpdFirstMatchAndDefaults)
{
    Lan lan(2);
    Ptr<PresenceAgent> b = lan.Agent(1);
    // No SPD at all: nothing offered.
    EXPECT_TRUE(b->GetOfferedPolicies(kA).empty());
    auto spd = CreateObject<SecurityPolicyDatabase>();
    // Aggregated to the node (as IpsecHelper does): found without SetSecurityPolicyDatabase.
    lan.nodes.Get(1)->AggregateObject(spd);
    EXPECT_EQ(b->GetSecurityPolicyDatabase(), spd);
    // Nothing but the no-match action.
    spd->SetNoMatchAction(PolicyAction::DISCARD);
    auto offered = b->GetOfferedPolicies(kA);
    ASSERT_EQ(offered.size(), 2U);
    EXPECT_EQ(offered[0].action, PolicyAction::DISCARD);
    EXPECT_EQ(offered[0].source, AddressRange::Host(kB));
    EXPECT_EQ(offered[0].destination, AddressRange::Host(kA));
    // A wildcard entry for any protocol decides before the default policy; a udp-only one and
    // the SIP bypass do not count as the default.
    SecurityPolicy sip;
    sip.source = AddressRange::Prefix(Ipv4Address("0.0.0.0"), 0);
    sip.source.port = 5060;
    sip.destination = AddressRange::Prefix(Ipv4Address("0.0.0.0"), 0);
    sip.upper = *UpperProtocol::FromName("udp");
    sip.direction = PolicyDirection::OUT;
    sip.priority = -10;
    spd->Add(sip);
    SecurityPolicy wide;
    wide.source = AddressRange::Prefix(Ipv4Address("0.0.0.0"), 0);
    wide.destination = AddressRange::Prefix(Ipv4Address("192.168.0.0"), 16);
    wide.direction = PolicyDirection::OUT;
    wide.action = PolicyAction::IPSEC;
    wide.requests = {Request(IpsecProtocol::ESP, IpsecLevel::USE)};
    wide.priority = 100;
    spd->Add(wide);
    SecurityPolicy def;
    def.action = PolicyAction::NONE;
    spd->SetDefaultPolicy(PolicyDirection::IN, def);
    offered = b->GetOfferedPolicies(kA);
    ASSERT_EQ(offered.size(), 2U);
    EXPECT_EQ(offered[0].action, PolicyAction::IPSEC);
    EXPECT_EQ(offered[0].requests, wide.requests);
    EXPECT_EQ(offered[0].destination, AddressRange::Host(kA));
    EXPECT_EQ(offered[1].direction, PolicyDirection::IN);
    EXPECT_EQ(offered[1].action, PolicyAction::NONE);
    // Per-requester entries win, in SPD order, only for that requester.
    auto peer = PeerSpd()->GetEntries(PolicyDirection::OUT).front();
    peer.priority = 5;
    spd->Add(peer);
    offered = b->GetOfferedPolicies(kA);
    ASSERT_EQ(offered.size(), 2U);
    EXPECT_EQ(offered[0], peer);
    EXPECT_EQ(offered[1].action, PolicyAction::NONE); // inbound: still the default
    auto forC = b->GetOfferedPolicies(kC);
    EXPECT_EQ(forC[0].action, PolicyAction::IPSEC);
    // Mirroring twice is the identity.
    EXPECT_EQ(PolicySet::Mirror(PolicySet::Mirror(offered)), offered);
    Simulator::Destroy();
}

// Page-mode MESSAGE (RFC 3428): handled by body type, answered with the handler's status, 415
// for other types, 405 without any handler, 408 when nobody answers within Timer F.
TEST(PresenceAgent, MessageGoesToTheHandlerOfItsBodyType)
{
    Lan lan(3, 2);
    Ptr<PresenceAgent> a = lan.Agent(0);
    Ptr<PresenceAgent> b = lan.Agent(1);
    std::vector<std::pair<Ipv4Address, std::string>> got;
    b->SetMessageHandler(
        "Application/X-Test",
        PresenceAgent::MessageHandler([&got](Ipv4Address from, const std::string& body) {
            got.emplace_back(from, body);
            return uint16_t(body == "ok" ? 200 : 400);
        }));
    std::vector<std::pair<Time, uint16_t>> results;
    auto send = [&](Time at, Ipv4Address to, std::string type, std::string body) {
        Simulator::Schedule(at, [&results, a, to, type, body]() {
            a->SendMessage(to,
                           type,
                           body,
                           PresenceAgent::MessageResultCallback([&results](uint16_t s) {
                               results.emplace_back(Simulator::Now(), s);
                           }));
        });
    };
    send(Seconds(1), kB, "application/x-test", "ok");
    send(Seconds(2), kB, "application/x-test;charset=utf-8", "bad");
    send(Seconds(3), kB, "text/plain", "hi");
    send(Seconds(4), kC, "application/x-test", "ok");
    Simulator::Schedule(Seconds(5), [b]() {
        b->SetMessageHandler("application/x-test", PresenceAgent::MessageHandler());
    });
    send(Seconds(6), kB, "application/x-test", "ok");
    Simulator::Stop(Seconds(60));
    Simulator::Run();

    ASSERT_EQ(results.size(), 5u);
    EXPECT_EQ(results[0].second, 200);
    EXPECT_EQ(results[1].second, 400);
    EXPECT_EQ(results[2].second, 415);
    EXPECT_EQ(results[3].second, 405);        // after the handler went, at 6 s
    EXPECT_EQ(results[4].second, 408);        // kC runs no agent
    EXPECT_EQ(results[4].first, Seconds(36)); // 4 s + 64*T1
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0], std::make_pair(kA, std::string("ok")));
    EXPECT_EQ(got[1].second, "bad");
    EXPECT_EQ(b->GetStats().messagesReceived, 2u);
    EXPECT_EQ(a->GetStats().messagesSent, 5u);
    EXPECT_EQ(b->GetStats().GetNBad(PresenceAgent::BAD_BODY_REASON), 1u);
    EXPECT_EQ(b->GetStats().GetNBad(PresenceAgent::UNSUPPORTED_MEDIA_REASON), 1u);
    EXPECT_EQ(b->GetStats().GetNBad(PresenceAgent::METHOD_NOT_ALLOWED_REASON), 1u);
    EXPECT_EQ(a->GetNClientTransactions(), 0u);
    Simulator::Destroy();
}

// A subscription lasts until Unsubscribe: the subscriber refreshes it at 0.9 of the granted
// duration (it once ran out silently after Expires).
TEST(PresenceAgent, SubscriptionIsRefreshedUntilUnsubscribed)
{
    Lan lan(2);
    Ptr<PresenceAgent> a = lan.Agent(0);
    Ptr<PresenceAgent> b = lan.Agent(1);
    std::vector<Time> subscribes;
    a->TraceConnectWithoutContext("RequestSent",
                                  ns3::Callback<void, const SipMessage&, const Address&, uint32_t>(
                                      [&](const SipMessage& m, const Address&, uint32_t) {
                                          if (m.GetMethod() == "SUBSCRIBE")
                                          {
                                              subscribes.push_back(Simulator::Now());
                                          }
                                      }));
    Results fromB;
    Simulator::Schedule(Seconds(1), [&]() { a->Subscribe(kB, Seconds(20), fromB.Callback()); });
    size_t alive = 0;
    Simulator::Schedule(Seconds(100), [&]() {
        alive = a->GetNSubscriptions() + b->GetNWatchers();
        EXPECT_EQ(a->Unsubscribe(kB), 1U);
    });
    Simulator::Stop(Seconds(110));
    Simulator::Run();
    EXPECT_EQ(alive, 2U) << "the subscription ran out";
    // The first SUBSCRIBE at 1 s, refreshes every 18 s (0.9 * 20), the unsubscribe at 100 s.
    ASSERT_EQ(subscribes.size(), 7U);
    for (size_t i = 1; i + 1 < subscribes.size(); ++i)
    {
        Time gap = subscribes[i] - subscribes[i - 1];
        EXPECT_GT(gap, Seconds(17.9));
        EXPECT_LT(gap, Seconds(18.1));
    }
    EXPECT_EQ(a->GetNSubscriptions(), 0U);
    EXPECT_EQ(b->GetNWatchers(), 0U);
    EXPECT_EQ(a->GetStats().timeouts, 0U);
    Simulator::Destroy();
}

// Over TCP: a folded Content-Length (RFC 3261 section 7.3.1) frames like any other, so the
// connection survives and the next request on it is served; an accepted connection left idle
// is closed after TcpIdleTimeout.
TEST(PresenceAgent, TcpFramesFoldedContentLengthAndClosesIdleConnections)
{
    Lan lan(3, 2); // C (192.168.1.3) is a hand-written TCP client
    Ptr<PresenceAgent> b = lan.Agent(1);
    Ptr<Socket> c = Socket::CreateSocket(lan.nodes.Get(2), TcpSocketFactory::GetTypeId());
    std::string received;
    Time closedAt = Seconds(-1);
    c->SetRecvCallback(ns3::Callback<void, Ptr<Socket>>([&received](Ptr<Socket> s) {
        while (Ptr<Packet> p = s->Recv())
        {
            std::string chunk(p->GetSize(), '\0');
            p->CopyData(reinterpret_cast<uint8_t*>(&chunk[0]), chunk.size());
            received += chunk;
        }
    }));
    c->SetCloseCallbacks(
        ns3::Callback<void, Ptr<Socket>>([&closedAt](Ptr<Socket>) { closedAt = Simulator::Now(); }),
        ns3::Callback<void, Ptr<Socket>>(
            [&closedAt](Ptr<Socket>) { closedAt = Simulator::Now(); }));
    Simulator::Schedule(Seconds(1), [c]() { c->Connect(InetSocketAddress(kB, 5060)); });
    Simulator::Schedule(Seconds(2), [c]() {
        RawRequest folded =
            Subscribe(1).Set("Via", "SIP/2.0/TCP 192.168.1.3:40000;branch=z9hG4bKf1");
        folded.contentLength = false;
        folded.Add("Content-Length", "\r\n   0"); // value on a continuation line
        RawRequest plain =
            Subscribe(2).Set("Via", "SIP/2.0/TCP 192.168.1.3:40000;branch=z9hG4bKf2");
        std::string both = folded.Text() + plain.Text();
        c->Send(Create<Packet>(reinterpret_cast<const uint8_t*>(both.data()), both.size()));
    });
    Simulator::Stop(Seconds(60));
    Simulator::Run();
    EXPECT_EQ(b->GetStats().GetNBad(PresenceAgent::TCP_FRAMING_REASON), 0u);
    EXPECT_EQ(b->GetStats().requestsReceived, 2u);
    size_t oks = 0;
    for (size_t at = received.find("SIP/2.0 200"); at != std::string::npos;
         at = received.find("SIP/2.0 200", at + 1))
    {
        ++oks;
    }
    EXPECT_EQ(oks, 2u) << received;
    // Nothing arrived after 2 s: B closes the connection at 2 s + TcpIdleTimeout (32 s).
    EXPECT_GE(closedAt, Seconds(34));
    EXPECT_LT(closedAt, Seconds(34.1));
    EXPECT_EQ(b->GetStats().tcpIdleClosed, 1u);
    Simulator::Destroy();
}

// RFC 3261 section 18.2.1: a request whose Via names another host than its source address is
// answered with `received` set to the source, and an out-of-dialog request for someone else
// gets 404.
namespace
{

/// A UDP socket on port 40000 of a node that sends hand-written requests to B and keeps the
/// responses it gets back.
struct RawClient
{
    Ptr<Socket> socket;
    std::vector<std::string> responses;

    explicit RawClient(Ptr<Node> node)
        : socket(Socket::CreateSocket(node, UdpSocketFactory::GetTypeId()))
    {
        NS_ABORT_IF(socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), 40000)) != 0);
        socket->SetRecvCallback(ns3::Callback<void, Ptr<Socket>>([this](Ptr<Socket> s) {
            while (Ptr<Packet> p = s->Recv())
            {
                std::string text(p->GetSize(), '\0');
                p->CopyData(reinterpret_cast<uint8_t*>(&text[0]), text.size());
                if (text.rfind("SIP/2.0 ", 0) == 0)
                {
                    responses.push_back(text);
                }
            }
        }));
    }

    void Send(const RawRequest& r)
    {
        std::string text = r.Text();
        socket->SendTo(Create<Packet>(reinterpret_cast<const uint8_t*>(text.data()), text.size()),
                       0,
                       InetSocketAddress(kB, 5060));
    }
};

} // namespace

TEST(PresenceAgent, ResponsesCarryReceivedAndForeignRequestUrisGet404)
{
    Lan lan(3, 2);
    RawClient client(lan.nodes.Get(2));
    std::vector<std::string>& responses = client.responses;
    auto send = [&client](const RawRequest& r) { client.Send(r); };
    // One at a time: ns-3's ARP queue holds only three packets while it resolves.
    Simulator::Schedule(Seconds(1), [&]() {
        send(Subscribe(1).Set("Via", "SIP/2.0/UDP 10.9.9.9:40000;branch=z9hG4bKnat1"));
    });
    Simulator::Schedule(Seconds(1.5), [&]() {
        RawRequest own = Subscribe(2);
        own.startLine = "SUBSCRIBE sip:peerA@example.com SIP/2.0"; // B's AOR
        send(own);
    });
    Simulator::Schedule(Seconds(2), [&]() {
        RawRequest other = Subscribe(3);
        other.startLine = "SUBSCRIBE sip:someone@example.com SIP/2.0";
        send(other);
    });
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    ASSERT_EQ(responses.size(), 3u);
    EXPECT_EQ(responses[0].rfind("SIP/2.0 200", 0), 0u) << responses[0];
    EXPECT_NE(responses[0].find("branch=z9hG4bKnat1;received=192.168.1.3"), std::string::npos)
        << responses[0];
    EXPECT_EQ(responses[1].rfind("SIP/2.0 200", 0), 0u) << responses[1];
    EXPECT_EQ(responses[1].find("received="), std::string::npos) << responses[1];
    EXPECT_EQ(responses[2].rfind("SIP/2.0 404", 0), 0u) << responses[2];
    EXPECT_EQ(lan.Agent(1)->GetStats().GetNBad(PresenceAgent::NOT_FOUND_REASON), 1u);
    Simulator::Destroy();
}

// RFC 3261 section 11.2: a UA answers OPTIONS with what it takes (it answered 405 before).
TEST(PresenceAgent, OptionsIsAnsweredWithWhatTheAgentTakes)
{
    Lan lan(3, 2);
    RawClient client(lan.nodes.Get(2));
    Ptr<PresenceAgent> b = lan.Agent(1);
    // One at a time: ns-3's ARP queue holds only three packets while it resolves.
    Simulator::Schedule(Seconds(1), [&client]() { client.Send(Method(1, "OPTIONS")); });
    Simulator::Schedule(Seconds(1.5), [b]() {
        b->SetMessageHandler("text/plain",
                             PresenceAgent::MessageHandler(
                                 [](Ipv4Address, const std::string&) { return uint16_t(200); }));
    });
    Simulator::Schedule(Seconds(2), [&client]() { client.Send(Method(2, "OPTIONS")); });
    Simulator::Schedule(Seconds(2.5), [&client]() { client.Send(Method(3, "INVITE")); });
    Simulator::Stop(Seconds(3));
    Simulator::Run();

    ASSERT_EQ(client.responses.size(), 3u);
    const std::string& first = client.responses[0];
    EXPECT_EQ(first.rfind("SIP/2.0 200 OK\r\n", 0), 0u) << first;
    EXPECT_NE(first.find("\r\nAllow: SUBSCRIBE, NOTIFY, OPTIONS\r\n"), std::string::npos) << first;
    EXPECT_NE(first.find("\r\nAccept: application/pidf+xml\r\n"), std::string::npos) << first;
    EXPECT_NE(first.find("\r\nAllow-Events: presence\r\n"), std::string::npos) << first;
    EXPECT_NE(first.find("\r\nCSeq: 1 OPTIONS\r\n"), std::string::npos) << first;
    EXPECT_NE(first.find("<sip:192.168.1.2>;tag="), std::string::npos) << first; // To gets a tag
    const std::string& second = client.responses[1];
    EXPECT_EQ(second.rfind("SIP/2.0 200 OK\r\n", 0), 0u) << second;
    EXPECT_NE(second.find("\r\nAllow: SUBSCRIBE, NOTIFY, OPTIONS, MESSAGE\r\n"), std::string::npos)
        << second;
    const std::string& third = client.responses[2];
    EXPECT_EQ(third.rfind("SIP/2.0 405 ", 0), 0u) << third;
    EXPECT_NE(third.find("\r\nAllow: SUBSCRIBE, NOTIFY, OPTIONS, MESSAGE\r\n"), std::string::npos)
        << third;
    EXPECT_EQ(b->GetStats().GetNBad(PresenceAgent::METHOD_NOT_ALLOWED_REASON), 1u); // the INVITE
    EXPECT_EQ(b->GetStats().GetNBad(), 1u);
    Simulator::Destroy();
}

// ---------------------------------------------------------------------------------------------
// Rate control and the watcher cap (RFC 3856 section 6.4, RFC 6665 section 4.2.2, RFC 3261
// section 21.5.4).

namespace
{

/// What B sent A's subscription while its policy for A changed.
struct NotifyRun
{
    std::vector<Result> results;     //!< A's callback
    std::vector<Time> notifies;      //!< B's NOTIFYs, when sent
    std::vector<std::string> states; //!< their Subscription-State
    PresenceAgent::Stats stats;      //!< B's counters at the end
    size_t watchersLeft{0};          //!< B's watchers at the end
};

/// A subscribes to B at 1 s; B's policy for A changes at the given times (seconds) to the
/// given protection; A unsubscribes at \p unsubscribeAt.
NotifyRun
RunPolicyChanges(Time minNotifyInterval,
                 const std::vector<std::pair<double, IpsecRequest>>& changes,
                 double unsubscribeAt)
{
    Lan lan(2);
    Ptr<PresenceAgent> a = lan.Agent(0);
    Ptr<PresenceAgent> b = lan.Agent(1);
    b->SetAttribute("MinNotifyInterval", TimeValue(minNotifyInterval));
    auto spd = PeerSpd();
    b->SetSecurityPolicyDatabase(spd);
    MessageLog logB;
    logB.Connect(b);
    Results results;
    Simulator::Schedule(Seconds(1), [&]() { a->Subscribe(kB, Seconds(600), results.Callback()); });
    for (const auto& [at, request] : changes)
    {
        IpsecRequest r = request;
        Simulator::Schedule(Seconds(at), [spd, r]() { ProtectPeer(spd, {r}); });
    }
    Simulator::Schedule(Seconds(unsubscribeAt), [&]() { EXPECT_EQ(a->Unsubscribe(kB), 1U); });
    Simulator::Stop(Seconds(unsubscribeAt + 20));
    Simulator::Run();
    NotifyRun run;
    run.results = results.list;
    for (const auto& e : logB.entries)
    {
        if (e.what == "NotifySent")
        {
            run.notifies.push_back(e.at);
            run.states.push_back(e.message.GetSubscriptionState()->state);
        }
    }
    run.stats = b->GetStats();
    run.watchersLeft = b->GetNWatchers();
    Simulator::Destroy();
    return run;
}

/// \return the protection of the outbound entry a NOTIFY offered, e.g. "esp/require"
std::string
Protection(const Result& r)
{
    if (r.policies.empty() || r.policies[0].requests.empty())
    {
        return "none";
    }
    const IpsecRequest& q = r.policies[0].requests[0];
    return std::string(q.protocol == IpsecProtocol::ESP ? "esp" : "ah") + "/" +
           (q.level == IpsecLevel::REQUIRE ? "require" : "use");
}

const std::vector<std::pair<double, IpsecRequest>> kThreeChanges{
    {2, Request(IpsecProtocol::ESP, IpsecLevel::REQUIRE)},
    {3, Request(IpsecProtocol::AH, IpsecLevel::REQUIRE)},
    {4, Request(IpsecProtocol::ESP, IpsecLevel::USE)},
};

/// Counts what PresenceSapUser is told.
struct SapLog : public PresenceSapUser
{
    std::vector<Ipv4Address> arrived;

    void OwnPresenceChanged(const PresenceDocument&) override
    {
    }

    void SubscriberArrived(Ipv4Address subscriber, const std::string&) override
    {
        arrived.push_back(subscriber);
    }

    void WatcherEnded(Ipv4Address, const std::string&) override
    {
    }
};

} // namespace

// Three changes within MinNotifyInterval: one NOTIFY with the last of them, when the interval
// after the previous NOTIFY has passed. A later change is NOTIFYed at once; the terminal
// NOTIFY is not held back by a waiting one and carries the state of its moment.
TEST(PresenceAgent, ChangesWithinMinNotifyIntervalAreCoalescedIntoOneNotify)
{
    auto changes = kThreeChanges;
    changes.emplace_back(20, Request(IpsecProtocol::AH, IpsecLevel::USE));      // at once
    changes.emplace_back(21, Request(IpsecProtocol::ESP, IpsecLevel::REQUIRE)); // held back
    NotifyRun run = RunPolicyChanges(Seconds(5), changes, 22);

    ASSERT_EQ(run.notifies.size(), 4U);
    ASSERT_EQ(run.results.size(), 4U);
    // The coalesced NOTIFY: exactly one, no earlier than 5 s after the first.
    EXPECT_GE(run.notifies[1], run.notifies[0] + Seconds(5));
    EXPECT_LT(run.notifies[1], run.notifies[0] + Seconds(5.01));
    EXPECT_EQ(Protection(run.results[0]), "none");
    EXPECT_EQ(Protection(run.results[1]), "esp/use") << "not the last state";
    EXPECT_EQ(run.stats.notifiesCoalesced, 2U);
    // Long after the last NOTIFY: at once.
    EXPECT_GE(run.notifies[2], Seconds(20));
    EXPECT_LT(run.notifies[2], Seconds(20.1));
    EXPECT_EQ(Protection(run.results[2]), "ah/use");
    // The unsubscribe at 22 s: the terminal NOTIFY at once, with the change of 21 s; the
    // NOTIFY that waited for 25 s is not sent.
    EXPECT_GE(run.notifies[3], Seconds(22));
    EXPECT_LT(run.notifies[3], Seconds(22.1));
    EXPECT_EQ(run.states[3], "terminated");
    EXPECT_EQ(Protection(run.results[3]), "esp/require");
    EXPECT_EQ(run.watchersLeft, 0U);
}

// MinNotifyInterval 0: every change is NOTIFYed when it happens.
TEST(PresenceAgent, WithoutMinNotifyIntervalEveryChangeIsNotified)
{
    NotifyRun run = RunPolicyChanges(Time(0), kThreeChanges, 10);

    ASSERT_EQ(run.notifies.size(), 5U);
    ASSERT_EQ(run.results.size(), 5U);
    const std::vector<std::string> expected{"esp/require", "ah/require", "esp/use"};
    for (size_t i = 0; i < kThreeChanges.size(); ++i)
    {
        Time at = Seconds(kThreeChanges[i].first);
        EXPECT_GE(run.notifies[i + 1], at);
        EXPECT_LT(run.notifies[i + 1], at + Seconds(0.1));
        EXPECT_EQ(Protection(run.results[i + 1]), expected[i]);
    }
    EXPECT_EQ(run.states[4], "terminated");
    EXPECT_EQ(run.stats.notifiesCoalesced, 0U);
}

// MaxWatchers 2: a third subscription gets 503 with Retry-After and starts nothing, and the
// subscriber does not retry on its own; a fetch and a refresh are still answered; once a
// watcher is gone a new subscription is accepted.
TEST(PresenceAgent, SubscriptionBeyondMaxWatchersGets503WithRetryAfter)
{
    Lan lan(4, 4);
    Ptr<PresenceAgent> a = lan.Agent(0);
    Ptr<PresenceAgent> b = lan.Agent(1);
    Ptr<PresenceAgent> c = lan.Agent(2);
    Ptr<PresenceAgent> d = lan.Agent(3);
    const Ipv4Address kD("192.168.1.4");
    b->SetAttribute("MaxWatchers", UintegerValue(2));
    SapLog sap;
    b->SetPresenceSapUser(&sap);
    MessageLog logB;
    logB.Connect(b);
    Results fromA;
    Results fromC;
    Results fromD;
    uint32_t dSubscribes = 0;
    d->TraceConnectWithoutContext("RequestSent",
                                  ns3::Callback<void, const SipMessage&, const Address&, uint32_t>(
                                      [&](const SipMessage& m, const Address&, uint32_t) {
                                          dSubscribes += m.GetMethod() == "SUBSCRIBE";
                                      }));
    std::vector<size_t> watchers;
    auto countWatchers = [&]() { watchers.push_back(b->GetNWatchers()); };
    Simulator::Schedule(Seconds(1), [&]() { a->Subscribe(kB, Seconds(600), fromA.Callback()); });
    Simulator::Schedule(Seconds(1.5), [&]() { c->Subscribe(kB, Seconds(600), fromC.Callback()); });
    Simulator::Schedule(Seconds(2), [&]() { d->Subscribe(kB, Seconds(600), fromD.Callback()); });
    Simulator::Schedule(Seconds(2.5), countWatchers);
    Simulator::Schedule(Seconds(3), [&]() { d->Fetch(kB, fromD.Callback()); });
    Simulator::Schedule(Seconds(3.5), countWatchers);
    Simulator::Schedule(Seconds(4), [&]() { EXPECT_EQ(a->Refresh(kB, Seconds(600)), 1U); });
    Simulator::Schedule(Seconds(4.5), countWatchers);
    Simulator::Schedule(Seconds(5), [&]() { EXPECT_EQ(c->Unsubscribe(kB), 1U); });
    Simulator::Schedule(Seconds(5.5), countWatchers);
    Simulator::Schedule(Seconds(6), [&]() { d->Subscribe(kB, Seconds(600), fromD.Callback()); });
    Simulator::Schedule(Seconds(6.5), countWatchers);
    // Past Retry-After: a subscriber that retried on its own would have done so by now.
    Simulator::Stop(Seconds(200));
    Simulator::Run();

    EXPECT_EQ(watchers, (std::vector<size_t>{2, 2, 2, 1, 2}));
    std::vector<uint16_t> statuses;
    std::string retryAfter;
    for (const auto& e : logB.entries)
    {
        if (e.what == "ResponseSent" && e.message.GetCSeq()->method == "SUBSCRIBE")
        {
            statuses.push_back(e.message.GetStatusCode());
            if (e.message.GetStatusCode() == 503)
            {
                retryAfter = e.message.GetHeader("Retry-After").value_or("");
            }
        }
    }
    // A, C, D (over the cap), D's fetch, A's refresh, C's unsubscribe, D again.
    EXPECT_EQ(statuses, (std::vector<uint16_t>{200, 200, 503, 200, 200, 200, 200}));
    EXPECT_EQ(retryAfter, "60");
    EXPECT_EQ(b->GetStats().subscriptionsOverCap, 1U);
    EXPECT_EQ(b->GetStats().subscriptionsRefused, 0U);
    // The refused subscription started no session: only the accepted ones were announced.
    EXPECT_EQ(sap.arrived, (std::vector<Ipv4Address>{kA, kC, kD}));
    // D: the 503 ends the attempt and reports it; the fetch and the later subscription work.
    ASSERT_EQ(fromD.list.size(), 3U);
    EXPECT_FALSE(fromD.list[0].ok);
    EXPECT_EQ(fromD.list[0].error, "503 Service Unavailable");
    EXPECT_TRUE(fromD.list[1].ok) << fromD.list[1].error;
    EXPECT_TRUE(fromD.list[2].ok) << fromD.list[2].error;
    EXPECT_EQ(dSubscribes, 3U);
    EXPECT_EQ(d->GetNSubscriptions(), 1U);
    // A's refresh at the cap was followed by a NOTIFY (RFC 6665 section 4.2.1.2).
    ASSERT_EQ(fromA.list.size(), 2U);
    EXPECT_TRUE(fromA.list[1].ok);
    EXPECT_GE(fromA.list[1].at, Seconds(4));
    b->SetPresenceSapUser(nullptr);
    Simulator::Destroy();
}
