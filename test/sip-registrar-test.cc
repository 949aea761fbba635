/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// SipRegistrar (RFC 3261 REGISTER, location service, redirect) and its client in
// PresenceAgent (SipRegistration), and SecurePeerApplication::Connect by AOR across a move.

#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/internet-module.h"
#include "ns3/ipsec-helper.h"
#include "ns3/network-module.h"
#include "ns3/presence-agent-helper.h"
#include "ns3/secure-peer-application.h"
#include "ns3/secure-peer-helper.h"
#include "ns3/sip-registrar-helper.h"

#include <gtest/gtest.h>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

const std::string kBob = "sip:bob@example.com";

/// A registrar (node 0, 192.168.1.1) and terminals (192.168.1.2 …) on one CSMA link.
struct RegistrarLan
{
    NodeContainer nodes;
    NetDeviceContainer devices;
    ApplicationContainer registrar;
    ApplicationContainer agents;

    /**
     * \param terminals terminals with a PresenceAgent registering with the registrar
     * \param expires their RegisterExpires
     * \param maxExpires the registrar's MaxExpires
     */
    RegistrarLan(uint32_t terminals, Time expires, uint32_t maxExpires)
    {
        nodes.Create(1 + terminals);
        CsmaHelper csma;
        csma.SetChannelAttribute("DataRate", StringValue("100Mbps"));
        csma.SetChannelAttribute("Delay", TimeValue(MicroSeconds(50)));
        devices = csma.Install(nodes);
        InternetStackHelper().Install(nodes);
        Ipv4AddressHelper ip("192.168.1.0", "255.255.255.0");
        ip.Assign(devices);
        SipRegistrarHelper rh;
        rh.SetAttribute("MaxExpires", UintegerValue(maxExpires));
        registrar = rh.Install(nodes.Get(0));
        registrar.Start(Seconds(0));
        PresenceAgentHelper ph;
        ph.SetAttribute("Registrar", Ipv4AddressValue("192.168.1.1"));
        ph.SetAttribute("RegisterExpires", TimeValue(expires));
        ph.SetEntityPattern("pres:node%n@example.com");
        NodeContainer t;
        for (uint32_t i = 1; i <= terminals; ++i)
        {
            t.Add(nodes.Get(i));
        }
        agents = ph.Install(t);
        ph.AssignStreams(t, 100);
        agents.Start(Seconds(0.5));
        if (terminals > 0)
        {
            agents.Get(0)->SetAttribute("Entity", StringValue("pres:bob@example.com"));
        }
    }

    ~RegistrarLan()
    {
        Simulator::Destroy();
    }

    /// A node without an agent at 192.168.1.2 (only with no terminals), for raw SIP.
    Ptr<Node> AddHost()
    {
        Ptr<Node> node = CreateObject<Node>();
        InternetStackHelper().Install(node);
        Ptr<CsmaChannel> channel = DynamicCast<CsmaChannel>(devices.Get(0)->GetChannel());
        NetDeviceContainer dev = CsmaHelper().Install(node, channel);
        Ipv4AddressHelper ip("192.168.1.0", "255.255.255.0", "0.0.0.2");
        ip.Assign(dev);
        return node;
    }

    Ptr<SipRegistrar> Registrar() const
    {
        return DynamicCast<SipRegistrar>(registrar.Get(0));
    }

    Ptr<PresenceAgent> Agent(uint32_t i) const
    {
        return DynamicCast<PresenceAgent>(agents.Get(i));
    }
};

/// A UDP socket on a node that sends raw SIP text and keeps what comes back.
struct RawSip
{
    Ptr<Socket> socket;
    std::vector<std::string> received;

    explicit RawSip(Ptr<Node> node)
    {
        socket = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
        socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), 5070));
        socket->SetRecvCallback(Callback<void, Ptr<Socket>>([this](Ptr<Socket> s) {
            Ptr<Packet> p;
            while ((p = s->Recv()))
            {
                std::string text(p->GetSize(), '\0');
                p->CopyData(reinterpret_cast<uint8_t*>(text.data()), text.size());
                received.push_back(text);
            }
        }));
    }

    void Send(const std::string& text, Ipv4Address to)
    {
        Ptr<Packet> p = Create<Packet>(reinterpret_cast<const uint8_t*>(text.data()), text.size());
        socket->SendTo(p, 0, InetSocketAddress(to, 5060));
    }
};

/// A REGISTER from 192.168.1.2:5070 with the given To and Contact header values.
std::string
Register(const std::string& to,
         const std::string& contact,
         const std::string& branch,
         const std::string& extra = "",
         uint32_t cseq = 1,
         const std::string& callId = "")
{
    std::string s = "REGISTER sip:192.168.1.1 SIP/2.0\r\n"
                    "Via: SIP/2.0/UDP 192.168.1.2:5070;branch=z9hG4bK" +
                    branch + "\r\nMax-Forwards: 70\r\nFrom: <" + to + ">;tag=abc\r\nTo: <" + to +
                    ">\r\nCall-ID: " + (callId.empty() ? "raw-" + branch : callId) +
                    "\r\nCSeq: " + std::to_string(cseq) + " REGISTER\r\n";
    if (!contact.empty())
    {
        s += "Contact: " + contact + "\r\n";
    }
    return s + extra + "Content-Length: 0\r\n\r\n";
}

} // namespace

TEST(SipRegistrarTest, CanonicalAor)
{
    EXPECT_EQ(SipRegistrar::CanonicalAor("sip:bob@Example.COM"), "sip:bob@example.com");
    EXPECT_EQ(SipRegistrar::CanonicalAor("<pres:bob@example.com;x=y>"), "sip:bob@example.com");
    EXPECT_EQ(SipRegistrar::CanonicalAor("sips:bob@example.com:5061"), "sip:bob@example.com");
    EXPECT_EQ(SipRegistrar::CanonicalAor("tel:+81-3-1234-5678"), "tel:+81312345678");
    EXPECT_EQ(SipRegistrar::CanonicalAor("tel:+81.3.(1234).5678;phone-context=x"),
              "tel:+81312345678");
    EXPECT_EQ(SipRegistrar::CanonicalAor("sip:example.com"), "");
    EXPECT_EQ(SipRegistrar::CanonicalAor("sip:@example.com"), "");
    EXPECT_EQ(SipRegistrar::CanonicalAor("mailto:bob@example.com"), "");
    EXPECT_EQ(SipRegistrar::CanonicalAor("tel:+"), "");
    EXPECT_EQ(SipRegistrar::CanonicalAor("tel:+81x3"), "");
    EXPECT_EQ(SipRegistrar::CanonicalAor("bob"), "");
}

// REGISTER at start, refresh before expiry (MaxExpires caps the lifetime), and unregister
// (expires 0) when the agent stops.
TEST(SipRegistrarTest, RegisterRefreshAndUnregister)
{
    RegistrarLan lan(2, Seconds(3600), 20);
    Ptr<SipRegistrar> r = lan.Registrar();
    std::vector<std::pair<std::string, uint32_t>> changes;
    r->TraceConnectWithoutContext(
        "BindingChanged",
        Callback<void, const std::string&, const std::string&, uint32_t>(
            [&](const std::string& aor, const std::string& c, uint32_t e) {
                changes.emplace_back(aor + " " + c, e);
            }));
    size_t at1 = 0;
    bool registeredAt1 = false;
    Simulator::Schedule(Seconds(1), [&]() {
        at1 = r->GetNBindings();
        registeredAt1 = lan.Agent(0)->IsRegistered();
        auto b = r->GetBindings(kBob);
        ASSERT_EQ(b.size(), 1U);
        EXPECT_EQ(b[0].address, Ipv4Address("192.168.1.2"));
        EXPECT_EQ(b[0].contact, "sip:bob@192.168.1.2");
        EXPECT_EQ(b[0].expiry - b[0].updated, Seconds(20)); // MaxExpires caps 3600 s
        EXPECT_EQ(r->Lookup("pres:node2@EXAMPLE.com").value_or(Ipv4Address()),
                  Ipv4Address("192.168.1.3"));
    });
    size_t at50 = 0;
    Simulator::Schedule(Seconds(50), [&]() { at50 = r->GetNBindings(); });
    lan.agents.Get(0)->SetStopTime(Seconds(60));
    Simulator::Stop(Seconds(62));
    Simulator::Run();

    EXPECT_EQ(at1, 2U);
    EXPECT_TRUE(registeredAt1);
    EXPECT_EQ(at50, 2U); // still bound 30 s after the 20 s lifetime: refreshed
    const auto& s = r->GetStats();
    // Refreshed at 0.9 * 20 s: 18.5, 36.5, 54.5 s for each agent.
    EXPECT_EQ(s.bindingsAdded, 2U);
    EXPECT_EQ(s.bindingsRefreshed, 6U);
    EXPECT_EQ(s.bindingsExpired, 0U);
    EXPECT_EQ(s.bindingsRemoved, 1U); // bob unregistered when stopped
    EXPECT_TRUE(r->GetBindings(kBob).empty());
    EXPECT_EQ(r->GetNBindings(), 1U);
    ASSERT_FALSE(changes.empty());
    EXPECT_EQ(changes.back(), std::make_pair(kBob + " sip:bob@192.168.1.2", 0U));
    EXPECT_EQ(lan.Agent(1)->GetStats().registered, 4U);
    EXPECT_EQ(lan.Agent(0)->GetStats().registersSent, 5U); // 1 + 3 refreshes + removal
}

// A binding that is not refreshed runs out at its expiry.
TEST(SipRegistrarTest, UnrefreshedBindingExpires)
{
    RegistrarLan lan(1, Seconds(10), 3600);
    Ptr<SipRegistrar> r = lan.Registrar();
    size_t at5 = 0;
    Simulator::Schedule(Seconds(5), [&]() {
        at5 = r->GetNBindings();
        // The terminal loses its network: nothing can refresh the binding.
        Ptr<Ipv4> ipv4 = lan.nodes.Get(1)->GetObject<Ipv4>();
        ipv4->SetDown(ipv4->GetInterfaceForDevice(lan.devices.Get(1)));
    });
    size_t at10 = 0;
    Simulator::Schedule(Seconds(10.4), [&]() { at10 = r->GetNBindings(); });
    Simulator::Stop(Seconds(12));
    Simulator::Run();
    EXPECT_EQ(at5, 1U);
    EXPECT_EQ(at10, 1U); // registered at 0.5 s for 10 s
    EXPECT_EQ(r->GetNBindings(), 0U);
    EXPECT_EQ(r->GetStats().bindingsExpired, 1U);
    EXPECT_FALSE(r->Lookup(kBob).has_value());
}

// Raw REGISTERs (from a node without an agent): a removal by Contact *, and the bad ones
// answered 400 and counted.
TEST(SipRegistrarTest, BadRegisterGets400AndIsCounted)
{
    RegistrarLan lan(0, Seconds(3600), 3600);
    Ptr<SipRegistrar> r = lan.Registrar();
    RawSip raw(lan.AddHost());
    const std::string good = "<sip:carol@192.168.1.2:5070>;expires=100";
    Simulator::Schedule(Seconds(1), [&]() {
        raw.Send(Register("sip:carol@example.com", good, "1"), "192.168.1.1");
    });
    Simulator::Schedule(Seconds(2), [&]() {
        raw.Send(Register("sip:example.com", good, "2"), "192.168.1.1");
        raw.Send(Register("sip:dave@example.com", "<sip:dave@host.example>", "3"), "192.168.1.1");
        raw.Send(Register("sip:dave@example.com", "*", "4"), "192.168.1.1");
        raw.Send(Register("sip:dave@example.com", "<sip:dave@192.168.1.2>;expires=soon", "5"),
                 "192.168.1.1");
    });
    size_t carolAt3 = 0;
    Simulator::Schedule(Seconds(3), [&]() {
        carolAt3 = r->GetBindings("sip:carol@example.com").size();
        raw.Send(Register("sip:carol@example.com", "*", "6", "Expires: 0\r\n"), "192.168.1.1");
    });
    Simulator::Stop(Seconds(5));
    Simulator::Run();

    ASSERT_EQ(raw.received.size(), 6U);
    EXPECT_EQ(raw.received[0].rfind("SIP/2.0 200", 0), 0U) << raw.received[0];
    EXPECT_NE(raw.received[0].find("<sip:carol@192.168.1.2:5070>;expires=100"), std::string::npos)
        << raw.received[0];
    for (size_t i = 1; i < 5; ++i)
    {
        EXPECT_EQ(raw.received[i].rfind("SIP/2.0 400", 0), 0U) << raw.received[i];
    }
    EXPECT_EQ(raw.received[5].rfind("SIP/2.0 200", 0), 0U) << raw.received[5];
    EXPECT_EQ(carolAt3, 1U);
    EXPECT_EQ(r->GetNBindings(), 0U);
    const auto& s = r->GetStats();
    auto bad = s.badMessages.find(SipDropReason::BAD_REGISTER);
    ASSERT_NE(bad, s.badMessages.end());
    EXPECT_EQ(bad->second, 4U);
    EXPECT_EQ(s.registers, 2U);
    EXPECT_EQ(s.bindingsRemoved, 1U);
}

// RFC 3261 section 10.3 step 7: a REGISTER of the same Call-ID with an older CSeq (a late
// copy) does not touch the binding; a query (no Contact) lists the bindings; a newer CSeq
// removes.
TEST(SipRegistrarTest, StaleCSeqIsIgnoredAndQueryListsBindings)
{
    RegistrarLan lan(0, Seconds(3600), 3600);
    Ptr<SipRegistrar> r = lan.Registrar();
    RawSip raw(lan.AddHost());
    const std::string aor = "sip:erin@example.com";
    const std::string contact = "<sip:erin@192.168.1.2:5070>";
    Simulator::Schedule(Seconds(1), [&]() {
        raw.Send(Register(aor, contact + ";expires=100", "1", "", 5, "c1"), "192.168.1.1");
    });
    Simulator::Schedule(Seconds(2), [&]() {
        raw.Send(Register(aor, contact + ";expires=0", "2", "", 4, "c1"), "192.168.1.1");
        raw.Send(Register(aor, "", "3", "", 6, "c1"), "192.168.1.1");
    });
    size_t at3 = 0;
    Time updatedAt3;
    Simulator::Schedule(Seconds(3), [&]() {
        at3 = r->GetBindings(aor).size();
        updatedAt3 = at3 ? r->GetBindings(aor)[0].updated : Seconds(-1);
        raw.Send(Register(aor, contact + ";expires=0", "4", "", 7, "c1"), "192.168.1.1");
    });
    Simulator::Stop(Seconds(4));
    Simulator::Run();
    ASSERT_EQ(raw.received.size(), 4U);
    EXPECT_EQ(at3, 1U);
    EXPECT_LT(updatedAt3, Seconds(2)); // neither the stale REGISTER nor the query touched it
    EXPECT_NE(raw.received[2].find("<sip:erin@192.168.1.2:5070>;expires="), std::string::npos)
        << raw.received[2];
    EXPECT_EQ(raw.received[3].find("Contact:"), std::string::npos) << raw.received[3];
    EXPECT_EQ(r->GetNBindings(), 0U);
    EXPECT_EQ(r->GetStats().bindingsRemoved, 1U);
    EXPECT_EQ(r->GetStats().registers, 4U);
}

// Lookups: a registered AOR (also by tel:) resolves, an unknown one gets 404.
TEST(SipRegistrarTest, ResolveByAor)
{
    RegistrarLan lan(2, Seconds(3600), 3600);
    lan.agents.Get(1)->SetAttribute("Aor", StringValue("tel:+81-3-1234-5678"));

    struct Outcome
    {
        bool ok{false};
        Ipv4Address address;
        std::string reason;
        bool called{false};
    };

    std::vector<Outcome> out(3);
    auto cb = [&](size_t i) {
        return PresenceAgent::ResolveCallback(
            [&out, i](bool ok, Ipv4Address a, const std::string& why) {
                out[i] = {ok, a, why, true};
            });
    };
    Simulator::Schedule(Seconds(2), [&]() {
        lan.Agent(1)->Resolve(kBob, cb(0));
        lan.Agent(0)->Resolve("tel:+81312345678", cb(1));
        lan.Agent(0)->Resolve("sip:nobody@example.com", cb(2));
    });
    Simulator::Stop(Seconds(4));
    Simulator::Run();
    ASSERT_TRUE(out[0].called && out[1].called && out[2].called);
    EXPECT_TRUE(out[0].ok) << out[0].reason;
    EXPECT_EQ(out[0].address, Ipv4Address("192.168.1.2"));
    EXPECT_TRUE(out[1].ok) << out[1].reason;
    EXPECT_EQ(out[1].address, Ipv4Address("192.168.1.3"));
    EXPECT_FALSE(out[2].ok);
    EXPECT_EQ(out[2].reason, "404 Not Found");
    const auto& s = lan.Registrar()->GetStats();
    EXPECT_EQ(s.lookups, 3U);
    EXPECT_EQ(s.redirects, 2U);
    EXPECT_EQ(s.notFound, 1U);
    EXPECT_EQ(lan.Agent(0)->GetStats().resolveFailures, 1U);
}

namespace
{

/// Caller A (10.1.1.2), registrar G (10.0.0.2) and callee B (10.1.2.2, later 10.1.3.2) on
/// four CSMA networks joined by router R.
struct MovingCallee
{
    NodeContainer nodes; // R, G, A, B
    NetDeviceContainer nets[4];
    ApplicationContainer agents; // A, B
    ApplicationContainer apps;   // A, B
    Ptr<SipRegistrar> registrar;

    MovingCallee()
    {
        nodes.Create(4);
        InternetStackHelper().Install(nodes);
        CsmaHelper csma;
        csma.SetChannelAttribute("DataRate", StringValue("100Mbps"));
        csma.SetChannelAttribute("Delay", TimeValue(MicroSeconds(50)));
        const char* nets0[] = {"10.0.0.0", "10.1.1.0", "10.1.2.0", "10.1.3.0"};
        uint32_t host[] = {1, 2, 3, 3};
        Ipv4StaticRoutingHelper sr;
        for (int i = 0; i < 4; ++i)
        {
            nets[i] = csma.Install(NodeContainer(nodes.Get(0), nodes.Get(host[i])));
            Ipv4AddressHelper ip(nets0[i], "255.255.255.0");
            if (i < 3)
            {
                ip.Assign(nets[i]);
            }
            else
            {
                ip.Assign(NetDeviceContainer(nets[i].Get(0))); // B's side waits for the move
            }
            if (i < 3)
            {
                Ptr<Ipv4> ipv4 = nodes.Get(host[i])->GetObject<Ipv4>();
                sr.GetStaticRouting(ipv4)->SetDefaultRoute(
                    Ipv4Address(Ipv4Address(nets0[i]).Get() + 1),
                    ipv4->GetInterfaceForDevice(nets[i].Get(1)));
            }
        }
        registrar = DynamicCast<SipRegistrar>(SipRegistrarHelper().Install(nodes.Get(1)).Get(0));
        registrar->SetStartTime(Seconds(0));
        NodeContainer terminals(nodes.Get(2), nodes.Get(3));
        IpsecHelper().Install(terminals);
        PresenceAgentHelper ph;
        ph.SetAttribute("Registrar", Ipv4AddressValue("10.0.0.2"));
        ph.SetEntityPattern("pres:node%n@example.com");
        agents = ph.Install(terminals);
        ph.AssignStreams(terminals, 100);
        agents.Get(1)->SetAttribute("Entity", StringValue("pres:bob@example.com"));
        agents.Start(Seconds(0));
        SecurePeerHelper helper;
        apps = helper.Install(terminals);
        apps.Start(Seconds(0.1));
    }

    ~MovingCallee()
    {
        Simulator::Destroy();
    }

    /// B leaves 10.1.2.0/24 and comes up on 10.1.3.0/24.
    void Move()
    {
        Ptr<Ipv4> ipv4 = nodes.Get(3)->GetObject<Ipv4>();
        uint32_t old = ipv4->GetInterfaceForDevice(nets[2].Get(1));
        ipv4->RemoveAddress(old, Ipv4Address("10.1.2.2"));
        ipv4->SetDown(old);
        int32_t i = ipv4->AddInterface(nets[3].Get(1));
        ipv4->AddAddress(i, Ipv4InterfaceAddress("10.1.3.2", "255.255.255.0"));
        ipv4->SetUp(i);
        Ipv4StaticRoutingHelper().GetStaticRouting(ipv4)->SetDefaultRoute("10.1.3.1", i);
    }

    Ptr<SecurePeerApplication> App(uint32_t i) const
    {
        return DynamicCast<SecurePeerApplication>(apps.Get(i));
    }

    Ptr<PresenceAgent> Agent(uint32_t i) const
    {
        return DynamicCast<PresenceAgent>(agents.Get(i));
    }

    std::string LogText(uint32_t i) const
    {
        std::string out;
        for (const auto& l : App(i)->GetDecisionLog())
        {
            out += l + "\n";
        }
        return out;
    }
};

} // namespace

// The check: calls by AOR through the registrar reach a peer after it moved
// networks. Before the move the call reaches B's old address; B moves (re-REGISTER from the
// new address); the next call by AOR reaches the new one.
TEST(SipRegistrarTest, CallByAorReachesPeerAfterItMoved)
{
    MovingCallee t;
    const Ipv4Address oldB("10.1.2.2");
    const Ipv4Address newB("10.1.3.2");
    const Ipv4Address a("10.1.1.2");
    SecurePeerApplication::SessionState before = SecurePeerApplication::SessionState::FAILED;
    Ipv4Address boundBefore;
    Simulator::Schedule(Seconds(1), [&]() {
        boundBefore = t.registrar->Lookup(kBob).value_or(Ipv4Address());
        t.App(0)->Connect(kBob);
    });
    Simulator::Schedule(Seconds(3), [&]() {
        before = t.App(0)->GetSessionState(oldB);
        t.App(0)->Disconnect(oldB);
    });
    Simulator::Schedule(Seconds(10), [&]() { t.Move(); });
    Ipv4Address boundAfter;
    size_t bindingsAfter = 0;
    Simulator::Schedule(Seconds(11), [&]() {
        boundAfter = t.registrar->Lookup(kBob).value_or(Ipv4Address());
        bindingsAfter = t.registrar->GetBindings(kBob).size();
    });
    t.App(0)->ConnectAt(std::string(kBob), Seconds(12));
    // An AOR nobody registered: counted, nothing starts.
    t.App(0)->ConnectAt(std::string("sip:nobody@example.com"), Seconds(12));
    Simulator::Stop(Seconds(15));
    Simulator::Run();
    SCOPED_TRACE("A:\n" + t.LogText(0) + "B:\n" + t.LogText(1));

    EXPECT_EQ(boundBefore, oldB);
    EXPECT_EQ(before, SecurePeerApplication::SessionState::ESTABLISHED);
    EXPECT_EQ(boundAfter, newB);
    EXPECT_EQ(bindingsAfter, 1U); // the re-REGISTER removed the old Contact
    EXPECT_EQ(t.App(0)->GetSessionState(newB), SecurePeerApplication::SessionState::ESTABLISHED);
    EXPECT_FALSE(t.App(0)->HasSession(oldB));
    EXPECT_EQ(t.App(1)->GetSessionState(a), SecurePeerApplication::SessionState::ESTABLISHED);
    EXPECT_GT(t.App(0)->GetSessionStats(newB).received, 10U);
    const auto& s = t.App(0)->GetStats();
    EXPECT_EQ(s.resolved, 2U);
    EXPECT_EQ(s.unresolved, 1U);
    EXPECT_EQ(s.sessionsEstablished, 2U);
    EXPECT_GE(t.Agent(1)->GetStats().registersSent, 2U);
    EXPECT_TRUE(t.Agent(1)->IsRegistered());
}
