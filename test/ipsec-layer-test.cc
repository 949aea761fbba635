/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// End-to-end tests of the IPsec layer in real ns-3 stacks: ordinary applications over ESP,
// AH, IPComp, transport and tunnel mode; inbound enforcement; a link attacker that replays
// and tampers; wire sizes against the RFC formulas.

#include "ipsec-test-fixture.h"

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/crypto-cost-model.h"
#include "ns3/csma-module.h"
#include "ns3/internet-module.h"
#include "ns3/ipsec-helper.h"
#include "ns3/network-module.h"

#include <cstdio>
#include <fstream>
#include <functional>
#include <gtest/gtest.h>
#include <map>

using namespace ns3;

using namespace presec_test;

// --- data plane: ordinary applications over every protection -----------------------------

struct Protection
{
    const char* name;
    std::string sas;
    std::string action;
    uint8_t wireProtocol; // outermost protocol on the wire
};

class IpsecProtectionTest
    : public IpsecLayerTest,
      public ::testing::WithParamInterface<std::tuple<Protection, const char*>>
{
};

std::vector<Protection>
AllProtections()
{
    std::string cbc = std::string("-E aes-cbc ") + kAesKey + " -A hmac-sha1 " + kSha1Key;
    std::string sha1 = std::string("-A hmac-sha1 ") + kSha1Key;
    return {
        {"EspTransport", SaPair("esp", cbc), "ipsec esp/transport//require", 50},
        {"EspTunnel", SaPair("esp", cbc, "tunnel"), "", 50}, // policies: ProtectParam
        {"Ah", SaPair("ah", sha1), "ipsec ah/transport//require", 51},
        {"AhEsp",
         SaPair("esp", cbc) + SaPair("ah", sha1),
         "ipsec esp/transport//require ah/transport//require",
         51},
        {"IpcompEsp",
         SaPair("ipcomp", "-C deflate") + SaPair("esp", cbc),
         "ipsec ipcomp/transport//use esp/transport//require",
         50},
    };
}

namespace
{

void
ProtectParam(const Segment& s, const Protection& p)
{
    if (std::string(p.name) == "EspTunnel")
    {
        // Tunnel endpoints differ per direction, so the policies are written out.
        const std::string ab = "esp/tunnel/192.168.1.1-192.168.1.2/require;\n";
        const std::string ba = "esp/tunnel/192.168.1.2-192.168.1.1/require;\n";
        s.Load(0,
               p.sas + "spdadd 192.168.1.1 192.168.1.2 any -P out ipsec " + ab +
                   "spdadd 192.168.1.2 192.168.1.1 any -P in ipsec " + ba);
        s.Load(1,
               p.sas + "spdadd 192.168.1.2 192.168.1.1 any -P out ipsec " + ba +
                   "spdadd 192.168.1.1 192.168.1.2 any -P in ipsec " + ab);
        return;
    }
    Protect(s, p.action, p.sas);
}

} // namespace

TEST_P(IpsecProtectionTest, UdpEchoCompletes)
{
    const auto& [prot, mode] = GetParam();
    Segment s(2, mode);
    ProtectParam(s, prot);
    std::unique_ptr<std::map<uint8_t, uint32_t>> tx(CountTxProtocols(s.nodes.Get(0)));
    EXPECT_EQ(RunEcho(s, 10, 500), 10u);
    EXPECT_EQ((*tx)[prot.wireProtocol], 10u);
    EXPECT_EQ((*tx)[17], 0u) << "no UDP may leave in clear";
    EXPECT_EQ(s.Layer(0)->GetTotalDrops(), 0u);
    EXPECT_EQ(s.Layer(1)->GetTotalDrops(), 0u);
    EXPECT_EQ(s.Layer(1)->GetStats().protectedRxPackets, 10u);
}

TEST_P(IpsecProtectionTest, TcpBulkCompletes)
{
    const auto& [prot, mode] = GetParam();
    Segment s(2, mode);
    ProtectParam(s, prot);
    std::unique_ptr<std::map<uint8_t, uint32_t>> tx(CountTxProtocols(s.nodes.Get(0)));
    EXPECT_EQ(RunBulk(s, 200000), 200000u);
    EXPECT_EQ((*tx)[6], 0u) << "no TCP may leave in clear";
    EXPECT_GT((*tx)[prot.wireProtocol], 100u);
    EXPECT_EQ(s.Layer(1)->GetTotalDrops(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Protections,
                         IpsecProtectionTest,
                         ::testing::Combine(::testing::ValuesIn(AllProtections()),
                                            ::testing::Values("modeled", "real")),
                         [](const ::testing::TestParamInfo<IpsecProtectionTest::ParamType>& info) {
                             return std::string(std::get<0>(info.param).name) + "_" +
                                    std::get<1>(info.param);
                         });

// --- wire sizes: the RFC formulas for a 38-byte inner UDP packet --------------------------

struct WireCase
{
    const char* name;
    std::string sas;
    std::string action;
    uint32_t added; // bytes added to the 38-byte inner UDP packet
};

class IpsecWireSizeTest : public IpsecLayerTest, public ::testing::WithParamInterface<WireCase>
{
};

TEST_P(IpsecWireSizeTest, MatchesRfcFormula)
{
    const WireCase& c = GetParam();
    Segment s(2);
    Protect(s, c.action, c.sas);
    std::vector<uint32_t> sizes;
    std::unique_ptr<std::map<uint8_t, uint32_t>> tx(CountTxProtocols(s.nodes.Get(0), &sizes));
    // UdpEchoClient payload 30 + UDP header 8 = 38 bytes of inner packet.
    EXPECT_EQ(RunEcho(s, 1, 30), 1u);
    ASSERT_EQ(sizes.size(), 1u);
    EXPECT_EQ(sizes[0], 20u + 38u + c.added);
}

INSTANTIATE_TEST_SUITE_P(
    Rfc,
    IpsecWireSizeTest,
    ::testing::Values(
        WireCase{"NullSha1",
                 SaPair("esp", std::string("-E null -A hmac-sha1 ") + kSha1Key),
                 "ipsec esp/transport//require",
                 22},
        WireCase{"AesCbcSha1",
                 SaPair("esp", std::string("-E aes-cbc ") + kAesKey + " -A hmac-sha1 " + kSha1Key),
                 "ipsec esp/transport//require",
                 46},
        WireCase{
            "Aes256Cbc",
            SaPair("esp", std::string("-E aes-cbc ") + kAes256Key + " -A hmac-sha1 " + kSha1Key),
            "ipsec esp/transport//require",
            46},
        WireCase{"AesGcm16",
                 SaPair("esp", std::string("-E aes-gcm-16 ") + kGcmKey),
                 "ipsec esp/transport//require",
                 34},
        WireCase{"Chacha20Poly1305",
                 SaPair("esp", std::string("-E chacha20-poly1305 ") + kChachaKey),
                 "ipsec esp/transport//require",
                 34},
        WireCase{"AhSha1",
                 SaPair("ah", std::string("-A hmac-sha1 ") + kSha1Key),
                 "ipsec ah/transport//require",
                 24},
        WireCase{"AhEsp",
                 SaPair("esp", std::string("-E aes-cbc ") + kAesKey + " -A hmac-sha1 " + kSha1Key) +
                     SaPair("ah", std::string("-A hmac-sha1 ") + kSha1Key),
                 "ipsec esp/transport//require ah/transport//require",
                 46 + 24}),
    [](const ::testing::TestParamInfo<WireCase>& info) { return std::string(info.param.name); });

TEST_F(IpsecLayerTest, TunnelModeAddsTwentyBytes)
{
    Segment s(2);
    std::string sas = SaPair("esp", std::string("-E aes-gcm-16 ") + kGcmKey, "tunnel");
    s.Load(0,
           sas + "spdadd 192.168.1.1 192.168.1.2 any -P out ipsec "
                 "esp/tunnel/192.168.1.1-192.168.1.2/require;\n");
    s.Load(1,
           sas + "spdadd 192.168.1.1 192.168.1.2 any -P in ipsec "
                 "esp/tunnel/192.168.1.1-192.168.1.2/require;\n"
                 "spdadd 192.168.1.2 192.168.1.1 any -P out none;\n");
    std::vector<uint32_t> sizes;
    std::unique_ptr<std::map<uint8_t, uint32_t>> tx(CountTxProtocols(s.nodes.Get(0), &sizes));
    EXPECT_EQ(RunEcho(s, 1, 30), 1u);
    ASSERT_EQ(sizes.size(), 1u);
    EXPECT_EQ(sizes[0], 20u + 20u + 38u + 34u);
}

// --- inbound enforcement --------------------------------------------------------------------

TEST_F(IpsecLayerTest, SenderNoneReceiverRequireIsDroppedAndCounted)
{
    // The patent's core problem: the sender's policy does not satisfy the receiver's.
    Segment s(2);
    std::string sas =
        SaPair("esp", std::string("-E aes-cbc ") + kAesKey + " -A hmac-sha1 " + kSha1Key);
    s.Load(0, sas + PolicyPair("192.168.1.1", "192.168.1.2", "none"));
    s.Load(1, sas + PolicyPair("192.168.1.2", "192.168.1.1", "ipsec esp/transport//require"));
    EXPECT_EQ(RunEcho(s, 5, 100), 0u);
    EXPECT_EQ(s.Layer(1)->GetDrops(IpsecDropReason::PLAIN_UNDER_REQUIRE), 5u);
    EXPECT_EQ(s.Layer(1)->GetTotalDrops(), 5u);
}

TEST_F(IpsecLayerTest, UseAcceptsClearAndProtected)
{
    Segment s(2);
    std::string sas =
        SaPair("esp", std::string("-E aes-cbc ") + kAesKey + " -A hmac-sha1 " + kSha1Key);
    // A sends in clear (no policy), B's inbound says use: accepted; B replies protected if it
    // has an SA (it does), and A accepts protected traffic under its bypass policy.
    s.Load(0, sas);
    s.Load(1, sas + PolicyPair("192.168.1.2", "192.168.1.1", "ipsec esp/transport//use"));
    EXPECT_EQ(RunEcho(s, 5, 100), 5u);
    EXPECT_EQ(s.Layer(1)->GetStats().plainRxPackets, 5u);
    EXPECT_EQ(s.Layer(1)->GetStats().protectedTxPackets, 5u);
    EXPECT_EQ(s.Layer(0)->GetStats().protectedRxPackets, 5u);
}

TEST_F(IpsecLayerTest, UseWithoutSaSendsClear)
{
    Segment s(2);
    s.Load(0, PolicyPair("192.168.1.1", "192.168.1.2", "ipsec esp/transport//use"));
    std::unique_ptr<std::map<uint8_t, uint32_t>> tx(CountTxProtocols(s.nodes.Get(0)));
    EXPECT_EQ(RunEcho(s, 3, 100), 3u);
    EXPECT_EQ((*tx)[17], 3u);
    EXPECT_EQ(s.Layer(0)->GetStats().plainTxPackets, 3u);
    EXPECT_EQ(s.Layer(0)->GetStats().bypassTxPackets, 0u); // clear, but not signalling
    EXPECT_EQ(s.Layer(1)->GetStats().bypassRxPackets, 0u);
}

TEST_F(IpsecLayerTest, RequireWithoutSaDropsAndAsksForOne)
{
    Segment s(2);
    s.Load(0, PolicyPair("192.168.1.1", "192.168.1.2", "ipsec esp/transport//require"));
    int acquires = 0;
    s.Layer(0)->TraceConnectWithoutContext(
        "Acquire",
        Callback<void, const SecurityPolicy&, const IpsecRequest&, const PacketSelector&>(
            [&acquires](const SecurityPolicy&, const IpsecRequest&, const PacketSelector&) {
                ++acquires;
            }));
    EXPECT_EQ(RunEcho(s, 3, 100), 0u);
    EXPECT_EQ(s.Layer(0)->GetDrops(IpsecDropReason::NO_SA), 3u);
    EXPECT_EQ(acquires, 3);
}

TEST_F(IpsecLayerTest, DiscardBothWays)
{
    Segment s(2);
    s.Load(0, "spdadd 192.168.1.1 192.168.1.2 udp -P out discard;\n");
    EXPECT_EQ(RunEcho(s, 2, 100), 0u);
    EXPECT_EQ(s.Layer(0)->GetDrops(IpsecDropReason::POLICY_DISCARD), 2u);
    Simulator::Destroy();

    Segment t(2);
    t.Load(1, "spdadd 192.168.1.1 192.168.1.2 udp -P in discard;\n");
    EXPECT_EQ(RunEcho(t, 2, 100), 0u);
    EXPECT_EQ(t.Layer(1)->GetDrops(IpsecDropReason::POLICY_DISCARD), 2u);
}

TEST_F(IpsecLayerTest, WrongProtectionIsAMismatch)
{
    // A protects with AH, B requires ESP.
    Segment s(2);
    std::string sas = SaPair("ah", std::string("-A hmac-sha1 ") + kSha1Key);
    s.Load(0, sas + PolicyPair("192.168.1.1", "192.168.1.2", "ipsec ah/transport//require"));
    s.Load(1, sas + PolicyPair("192.168.1.2", "192.168.1.1", "ipsec esp/transport//require"));
    EXPECT_EQ(RunEcho(s, 4, 100), 0u);
    EXPECT_EQ(s.Layer(1)->GetDrops(IpsecDropReason::PROTECTION_MISMATCH), 4u);
}

TEST_F(IpsecLayerTest, SignallingPortsAlwaysBypass)
{
    // Even under discard-everything, SIP on 5060 passes (the apparatus must be able to talk).
    Segment s(2);
    s.Load(0, "spdadd 0.0.0.0/0 0.0.0.0/0 any -P out discard;\n");
    s.Load(1, "spdadd 0.0.0.0/0 0.0.0.0/0 any -P in discard;\n");
    EXPECT_EQ(RunEcho(s, 2, 100, Seconds(3), 5060), 2u);
    // Counted as signalling both ways at both ends: the client's flow to the peer's port,
    // the service's own port; 100 bytes of payload + 8 of UDP each.
    for (uint32_t n : {0u, 1u})
    {
        const IpsecLayer::Stats& st = s.Layer(n)->GetStats();
        EXPECT_EQ(st.bypassTxPackets, 2u) << n;
        EXPECT_EQ(st.bypassTxBytes, 216u) << n;
        EXPECT_EQ(st.bypassRxPackets, 2u) << n;
        EXPECT_EQ(st.bypassRxBytes, 216u) << n;
        EXPECT_EQ(st.plainTxBytes, st.bypassTxBytes) << n;
    }
}

TEST_F(IpsecLayerTest, EightBypassPortsAreHeldAndNineRefused)
{
    // The layer keeps its signalling ports inside itself (a line it reads for every packet):
    // eight, the last of them in sorted order still bypasses; a ninth is refused by name.
    Segment s(2);
    s.Load(0, "spdadd 0.0.0.0/0 0.0.0.0/0 any -P out discard;\n");
    s.Load(1, "spdadd 0.0.0.0/0 0.0.0.0/0 any -P in discard;\n");
    for (uint32_t n : {0u, 1u})
    {
        s.Layer(n)->SetAttribute("BypassPorts", StringValue("7,6,5,4,3,2,1,6000"));
    }
    EXPECT_EQ(RunEcho(s, 2, 100, Seconds(3), 6000), 2u);
    EXPECT_EQ(s.Layer(1)->GetStats().bypassRxPackets, 2u);
    EXPECT_EQ(s.Layer(0)->GetTotalDrops(), 0u);
    EXPECT_DEATH(s.Layer(0)->SetAttribute("BypassPorts", StringValue("1,2,3,4,5,6,7,8,9")),
                 "9 ports in '1,2,3,4,5,6,7,8,9', at most 8");
}

namespace
{

/// A UDP socket of node `node` on `port` that counts what it receives and sends 100-byte
/// datagrams when told.
struct Port
{
    const Segment& segment;
    Ptr<Socket> socket;
    uint32_t received{0};

    Port(const Segment& s, uint32_t node, uint16_t port)
        : segment(s),
          socket(Socket::CreateSocket(s.nodes.Get(node), UdpSocketFactory::GetTypeId()))
    {
        socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), port));
        socket->SetRecvCallback(MakeCallback(&Port::Read, this));
    }

    /// A datagram to node `to`'s port `port`, now.
    void Send(uint32_t to, uint16_t port)
    {
        socket->SendTo(Create<Packet>(100),
                       0,
                       InetSocketAddress(segment.interfaces.GetAddress(to), port));
    }

    void Read(Ptr<Socket> s)
    {
        while (s->Recv())
        {
            ++received;
        }
    }
};

/// Under discard-everything inbound at node 0, node 1 sends from `fromPort` to node 0's
/// `toPort` at 1 s and again at 3 s; `change` runs at 2 s. The first datagram must be
/// dropped and the second let through as signalling: the layer's kept answer for the
/// selector must not outlive the change.
void
ExpectDroppedThenBypassed(uint16_t fromPort,
                          uint16_t toPort,
                          const std::function<void(const Segment&, Port& receiver)>& change)
{
    Segment s(2);
    s.Load(0, "spdadd 0.0.0.0/0 0.0.0.0/0 any -P in discard;\n");
    Port receiver(s, 0, toPort);
    Port sender(s, 1, fromPort);
    Simulator::Schedule(Seconds(1), &Port::Send, &sender, 0, toPort);
    Simulator::Schedule(Seconds(2), [&]() { change(s, receiver); });
    Simulator::Schedule(Seconds(3), &Port::Send, &sender, 0, toPort);
    Simulator::Stop(Seconds(4));
    Simulator::Run();
    EXPECT_EQ(receiver.received, 1u);
    EXPECT_EQ(s.Layer(0)->GetTotalDrops(), 1u);
    EXPECT_EQ(s.Layer(0)->GetStats().bypassRxPackets, 1u);
}

} // namespace

TEST_F(IpsecLayerTest, AKeptBypassAnswerFollowsANewSignallingFlow)
{
    // Node 1's signalling service (5060) writes to node 0's port 7000 before node 0 wrote to
    // it: no reply on a known connection, dropped. Once node 0 has written 7000 → 5060, the
    // same datagram is such a reply and bypasses.
    ExpectDroppedThenBypassed(5060, 7000, [](const Segment&, Port& client) {
        client.Send(1, 5060);
    });
}

TEST_F(IpsecLayerTest, AKeptBypassAnswerFollowsNewSignallingPorts)
{
    // A flow dropped under discard-everything passes once its port becomes a signalling port.
    ExpectDroppedThenBypassed(6000, 6000, [](const Segment& s, Port&) {
        s.Layer(0)->SetAttribute("BypassPorts", StringValue("500,4500,5060,6000"));
    });
}

// --- attacks on the link --------------------------------------------------------------------

namespace
{

/// A receive error model that flips one byte of every ESP/AH frame's payload.
class Tamperer : public ErrorModel
{
  public:
    uint32_t tampered{0};

  private:
    bool DoCorrupt(Ptr<Packet> p) override
    {
        std::vector<uint8_t> b(p->GetSize());
        p->CopyData(b.data(), b.size());
        // Ethernet II header (14 bytes), then IPv4: ethertype 0x0800, protocol at 14 + 9.
        if (b.size() < 14 + 20 + 24 || b[12] != 0x08 || b[13] != 0x00 ||
            (b[23] != 50 && b[23] != 51))
        {
            return false;
        }
        b[14 + 20 + 20] ^= 0x01; // past SPI and sequence: IV, ICV or payload
        Ptr<Packet> modified = Create<Packet>(b.data(), b.size());
        *p = *modified;
        ++tampered;
        return false;
    }

    void DoReset() override
    {
    }
};

} // namespace

class IpsecAttackTest : public IpsecLayerTest, public ::testing::WithParamInterface<const char*>
{
};

TEST_P(IpsecAttackTest, TamperedPacketsAreAllRejected)
{
    Segment s(2, GetParam());
    Protect(s,
            "ipsec esp/transport//require",
            SaPair("esp", std::string("-E aes-cbc ") + kAesKey + " -A hmac-sha1 " + kSha1Key));
    auto tamperer = CreateObject<Tamperer>();
    s.devices.Get(1)->SetAttribute("ReceiveErrorModel", PointerValue(tamperer));
    EXPECT_EQ(RunEcho(s, 10, 200), 0u);
    EXPECT_EQ(tamperer->tampered, 10u);
    EXPECT_EQ(s.Layer(1)->GetDrops(IpsecDropReason::BAD_ICV), 10u);
}

TEST_P(IpsecAttackTest, ReplayedPacketsAreAllRejected)
{
    // A third station on the segment records A's protected packets and sends them again.
    Segment s(3, GetParam());
    Protect(s,
            "ipsec esp/transport//require",
            SaPair("esp", std::string("-E aes-cbc ") + kAesKey + " -A hmac-sha1 " + kSha1Key));
    Ptr<NetDevice> attacker = s.devices.Get(2);
    Address victim = s.devices.Get(1)->GetAddress();
    uint32_t replayed = 0;
    s.nodes.Get(0)->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
        "Tx",
        Callback<void, Ptr<const Packet>, Ptr<Ipv4>, uint32_t>(
            [&](Ptr<const Packet> p, Ptr<Ipv4>, uint32_t) {
                Ipv4Header h;
                p->PeekHeader(h);
                if (h.GetProtocol() == 50)
                {
                    Ptr<Packet> copy = p->Copy();
                    Simulator::Schedule(MilliSeconds(5), [attacker, copy, victim, &replayed]() {
                        attacker->Send(copy, victim, 0x0800);
                        ++replayed;
                    });
                }
            }));
    uint32_t served = 0;
    UdpEchoServerHelper server(9);
    ApplicationContainer srv = server.Install(s.nodes.Get(1));
    srv.Get(0)->TraceConnectWithoutContext(
        "Rx",
        Callback<void, Ptr<const Packet>>([&served](Ptr<const Packet>) { ++served; }));
    UdpEchoClientHelper client(s.interfaces.GetAddress(1), 9);
    client.SetAttribute("MaxPackets", UintegerValue(10));
    client.SetAttribute("Interval", TimeValue(MilliSeconds(20)));
    client.Install(s.nodes.Get(0)).Start(Seconds(0.5));
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    EXPECT_EQ(replayed, 10u);
    EXPECT_EQ(served, 10u) << "each original served once, no replay served";
    EXPECT_EQ(s.Layer(1)->GetDrops(IpsecDropReason::REPLAYED), 10u);
}

INSTANTIATE_TEST_SUITE_P(CryptoModes, IpsecAttackTest, ::testing::Values("modeled", "real"));

// --- cost model: a busy CPU adds latency ----------------------------------------------------

TEST_F(IpsecLayerTest, SlowCpuAddsLatency)
{
    auto rtt = [](const std::string& profile) {
        NodeContainer nodes;
        nodes.Create(2);
        CsmaHelper csma;
        NetDeviceContainer devs = csma.Install(nodes);
        InternetStackHelper().Install(nodes);
        Ipv4InterfaceContainer ifs = Ipv4AddressHelper("192.168.1.0", "255.255.255.0").Assign(devs);
        IpsecHelper ipsec;
        ipsec.SetCostModel(profile);
        ipsec.Install(nodes);
        std::string sas =
            SaPair("esp", std::string("-E aes-cbc ") + kAesKey + " -A hmac-sha1 " + kSha1Key);
        EXPECT_EQ(
            IpsecHelper::LoadSetkey(
                nodes.Get(0),
                sas + PolicyPair("192.168.1.1", "192.168.1.2", "ipsec esp/transport//require")),
            "");
        EXPECT_EQ(
            IpsecHelper::LoadSetkey(
                nodes.Get(1),
                sas + PolicyPair("192.168.1.2", "192.168.1.1", "ipsec esp/transport//require")),
            "");
        UdpEchoServerHelper server(9);
        server.Install(nodes.Get(1));
        UdpEchoClientHelper client(ifs.GetAddress(1), 9);
        // Two packets: the second one's round trip has no ARP resolution or CSMA backoff in it.
        client.SetAttribute("MaxPackets", UintegerValue(2));
        client.SetAttribute("Interval", TimeValue(Seconds(1)));
        client.SetAttribute("PacketSize", UintegerValue(1000));
        ApplicationContainer app = client.Install(nodes.Get(0));
        app.Start(Seconds(1));
        Time sent;
        Time received;
        app.Get(0)->TraceConnectWithoutContext(
            "Tx",
            Callback<void, Ptr<const Packet>>(
                [&sent](Ptr<const Packet>) { sent = Simulator::Now(); }));
        app.Get(0)->TraceConnectWithoutContext(
            "Rx",
            Callback<void, Ptr<const Packet>>(
                [&received](Ptr<const Packet>) { received = Simulator::Now(); }));
        Simulator::Stop(Seconds(4));
        Simulator::Run();
        Simulator::Destroy();
        return received - sent;
    };
    Time fast = rtt("free");
    Time x86 = rtt("x86-64-aesni");
    Time xscale = rtt("xscale-pxa250");
    EXPECT_GT(fast, Time(0));
    EXPECT_GT(x86, fast);
    EXPECT_GT(xscale, x86 + MicroSeconds(100)) << "four ~1 KB crypto jobs at ~60 c/B, 400 MHz";
}

// Regression: a packet IPComp makes smaller used to wrap the unsigned overhead counter
// (ipsec-two-nodes with the ipcomp policies printed "+1537597811616 B IPsec overhead").
TEST_F(IpsecLayerTest, CompressionSavingsDoNotWrapTheOverheadCounter)
{
    Segment s(2);
    Protect(s, "ipsec ipcomp/transport//require", SaPair("ipcomp", "-C deflate"));
    EXPECT_EQ(RunEcho(s, 10, 1000), 10u);
    const IpsecLayer::Stats& c = s.Layer(0)->GetStats();
    EXPECT_EQ(c.protectedTxPackets, 10u);
    EXPECT_GT(c.compressionSavedTxBytes, 10u * 500);
    EXPECT_LT(c.overheadTxBytes, c.protectedTxBytes);
}

// --- nesting depth (found by test/fuzz/fuzz-ipsec-path.cc) ----------------------------------

namespace
{

/// IPComp with a stored (uncompressed) deflate block: anyone can build it, there is no ICV.
std::vector<uint8_t>
IpcompStored(const std::vector<uint8_t>& inner, uint8_t nextHeader, uint16_t cpi)
{
    std::vector<uint8_t> p{nextHeader,
                           0,
                           static_cast<uint8_t>(cpi >> 8),
                           static_cast<uint8_t>(cpi),
                           1, // BFINAL, stored
                           static_cast<uint8_t>(inner.size()),
                           static_cast<uint8_t>(inner.size() >> 8),
                           static_cast<uint8_t>(~inner.size()),
                           static_cast<uint8_t>(~inner.size() >> 8)};
    p.insert(p.end(), inner.begin(), inner.end());
    return p;
}

/// A UDP datagram to port 7000 inside `layers` nested IPComp headers.
std::vector<uint8_t>
NestedIpcomp(uint32_t layers)
{
    std::vector<uint8_t> p{0x9c, 0x40, 0x1b, 0x58, 0, 12, 0, 0, 'n', 'e', 's', 't'};
    uint8_t next = 17;
    for (uint32_t k = 0; k < layers; ++k)
    {
        p = IpcompStored(p, next, 0x1001);
        next = 108;
    }
    return p;
}

} // namespace

TEST_F(IpsecLayerTest, NestedProtectionsAreBoundedAsXfrmMaxDepth)
{
    // IPComp carries no ICV, so anyone can nest it. Each layer used to cost a recursion
    // (ReceiveProtected -> DeliverInner -> ReceiveProtected) and a copy of the packet: 7000
    // layers in one 63 KB packet overflowed the stack. Now a packet carries at most
    // IpsecTag::MAX_APPLIED protections, as Linux allows XFRM_MAX_DEPTH.
    Segment s(2);
    s.Load(1,
           SaPair("ipcomp", "-C deflate") +
               "spdadd 192.168.1.1 192.168.1.2 udp -P in ipsec ipcomp/transport//use;\n");
    Ptr<Node> b = s.nodes.Get(1);
    uint32_t received = 0;
    Ptr<Socket> socket = Socket::CreateSocket(b, UdpSocketFactory::GetTypeId());
    ASSERT_EQ(socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), 7000)), 0);
    socket->SetRecvCallback(Callback<void, Ptr<Socket>>([&received](Ptr<Socket> sk) {
        while (sk->Recv())
        {
            ++received;
        }
    }));
    Ptr<NetDevice> from = s.devices.Get(0);
    Ptr<NetDevice> to = s.devices.Get(1);
    auto deliver = [&](uint32_t layers, double at) {
        std::vector<uint8_t> bytes = NestedIpcomp(layers);
        Ptr<Packet> p = Create<Packet>(bytes.data(), bytes.size());
        Ipv4Header ip;
        ip.SetSource(Ipv4Address("192.168.1.1"));
        ip.SetDestination(Ipv4Address("192.168.1.2"));
        ip.SetProtocol(108);
        ip.SetTtl(64);
        ip.SetPayloadSize(p->GetSize());
        p->AddHeader(ip);
        // As the device hands a frame to IPv4 (a 63 KB frame: as if reassembled).
        Simulator::Schedule(Seconds(at), [b, p, from, to]() {
            b->GetObject<Ipv4L3Protocol>()->Receive(to,
                                                    p,
                                                    0x0800,
                                                    from->GetAddress(),
                                                    to->GetAddress(),
                                                    NetDevice::PACKET_HOST);
        });
    };
    deliver(IpsecTag::MAX_APPLIED, 1);     // the deepest accepted
    deliver(IpsecTag::MAX_APPLIED + 1, 2); // one too many
    deliver(7000, 3);                      // used to overflow the stack
    Simulator::Run();
    EXPECT_EQ(received, 1u);
    EXPECT_EQ(s.Layer(1)->GetStats().protectedRxPackets, 1u);
    EXPECT_EQ(s.Layer(1)->GetDrops(IpsecDropReason::MALFORMED), 2u);
    EXPECT_EQ(s.Layer(1)->GetTotalDrops(), 2u);
}

// --- integrity where replay protection is claimed ------------------------------------------

TEST_F(IpsecLayerTest, SetkeyFileWithoutIntegrityIsRefusedNamingTheStatement)
{
    NodeContainer nodes;
    nodes.Create(1);
    InternetStackHelper().Install(nodes);
    IpsecHelper().Install(nodes);
    const std::string path = ::testing::TempDir() + "presec-no-integrity.setkey";
    const std::string good = "add 10.0.0.1 10.0.0.2 esp 0x1001 -m transport -r 8\n"
                             "    -E aes-gcm-16 0x00112233445566778899aabbccddeeff01020304;\n";
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"add 10.0.0.2 10.0.0.1 esp 0x2001 -m transport -r 8\n"
         "    -E aes-cbc 0x00112233445566778899aabbccddeeff;\n",
         "line 5, column 5: esp SA without integrity: aes-cbc is not an AEAD cipher"},
        {"add 10.0.0.2 10.0.0.1 esp 0x2001 -E null -A null;\n",
         "line 4, column 45: esp SA without integrity: null"},
        {"add 10.0.0.2 10.0.0.1 ah 0x2002 -r 4 -A null \"\";\n",
         "line 4, column 41: ah SA with null authentication"},
    };
    for (const auto& [statement, message] : cases)
    {
        {
            std::ofstream out(path);
            out << "flush;\n" << good << statement;
        }
        const std::string error = IpsecHelper::LoadSetkeyFile(nodes.Get(0), path);
        EXPECT_EQ(error.rfind(path + ": " + message, 0), 0u) << error;
        EXPECT_EQ(nodes.Get(0)->GetObject<IpsecLayer>()->GetSad()->GetN(), 0u)
            << "nothing of a refused file is loaded";
    }
    // The same file with an ICV loads.
    {
        std::ofstream out(path);
        out << "flush;\n"
            << good
            << "add 10.0.0.2 10.0.0.1 esp 0x2001 -E aes-cbc 0x00112233445566778899aabbccddeeff\n"
               "    -A hmac-sha1 0x0011223344556677889900112233445566778899;\n";
    }
    EXPECT_EQ(IpsecHelper::LoadSetkeyFile(nodes.Get(0), path), "");
    EXPECT_EQ(nodes.Get(0)->GetObject<IpsecLayer>()->GetSad()->GetN(), 2u);
    std::remove(path.c_str());
}

TEST_F(IpsecLayerTest, AnSpdEditReachesTheNextPacketOfARunningFlow)
{
    // The layer keeps its last SPD answer per direction (a flow asks the same question for
    // every packet); every edit of the SPD must end it, at once, both ways.
    Segment s(2);
    Ptr<SecurityPolicyDatabase> spd0 = s.Layer(0)->GetSpd();
    Ptr<SecurityPolicyDatabase> spd1 = s.Layer(1)->GetSpd();
    SecurityPolicyDatabase::EntryId out = 0;
    // Echo requests leave every 20 ms from 0.5 s: 30 of them. 0.75–0.95 s: node 0 discards
    // them on the way out (10); 1.05–1.25 s node 1 discards them on the way in (10; its
    // default in-policy changes, an edit that is no entry).
    Simulator::Schedule(Seconds(0.75), [&]() {
        SecurityPolicy p;
        p.source.prefixLength = 0; // any
        p.destination.prefixLength = 0;
        p.direction = PolicyDirection::OUT;
        p.action = PolicyAction::DISCARD;
        out = spd0->Add(p);
    });
    Simulator::Schedule(Seconds(0.95), [&]() { EXPECT_TRUE(spd0->Remove(out)); });
    Simulator::Schedule(Seconds(1.05), [&]() {
        SecurityPolicy p;
        p.action = PolicyAction::DISCARD;
        spd1->SetDefaultPolicy(PolicyDirection::IN, p);
    });
    Simulator::Schedule(Seconds(1.25), [&]() { spd1->ClearDefaultPolicy(PolicyDirection::IN); });
    EXPECT_EQ(RunEcho(s, 50, 100, Seconds(3)), 30u);
    EXPECT_EQ(s.Layer(0)->GetDrops(IpsecDropReason::POLICY_DISCARD), 10u);
    EXPECT_EQ(s.Layer(1)->GetDrops(IpsecDropReason::POLICY_DISCARD), 10u);
}

namespace
{

/**
 * One UDP datagram, then 100 of 1400 bytes from .1 to .2 at once under ESP (AES-CBC,
 * HMAC-SHA1): .2 checks and decrypts on a 400 MHz XScale (about 240 us a packet) while the
 * segment brings one every 170 us (118 us on the wire and the 50 us propagation ns-3's CSMA
 * waits out), so its crypto backlog grows.
 * \param maxBacklog .2's CryptoCostModel MaxBacklog
 * \param received where the datagrams .2's socket got are counted
 * \return .2's IPsec layer, after the run
 */
Ptr<IpsecLayer>
FloodASlowReceiver(uint32_t maxBacklog, uint32_t& received)
{
    IpsecHelper slow;
    slow.SetCostModel("xscale-pxa250");
    slow.SetCostModelAttribute("MaxBacklog", UintegerValue(maxBacklog));
    Segment s({IpsecHelper(), slow});
    Protect(s,
            "ipsec esp/transport//require",
            SaPair("esp", std::string("-E aes-cbc ") + kAesKey + " -A hmac-sha1 " + kSha1Key));
    Ptr<Socket> rx = Socket::CreateSocket(s.nodes.Get(1), UdpSocketFactory::GetTypeId());
    rx->Bind(InetSocketAddress(Ipv4Address::GetAny(), 9));
    uint32_t* count = &received;
    rx->SetRecvCallback(Callback<void, Ptr<Socket>>([count](Ptr<Socket> s) {
        while (s->Recv())
        {
            ++*count;
        }
    }));
    Ptr<Socket> tx = Socket::CreateSocket(s.nodes.Get(0), UdpSocketFactory::GetTypeId());
    // One datagram first, so the burst does not wait on ARP (which queues 3).
    Simulator::Schedule(Seconds(0.5), [tx]() {
        tx->SendTo(Create<Packet>(100), 0, InetSocketAddress("192.168.1.2", 9));
    });
    Simulator::Schedule(Seconds(1), [tx]() {
        for (int i = 0; i < 100; ++i)
        {
            tx->SendTo(Create<Packet>(1400), 0, InetSocketAddress("192.168.1.2", 9));
        }
    });
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    return s.Layer(1);
}

} // namespace

TEST_F(IpsecLayerTest, ABundlesLayersAreUnprotectedBackToBack)
{
    // .1 sends .3 one datagram under ESP inside AH, .2 a small one under ESP just after. On
    // .3's slow CPU the small one arrives while the bundle's AH is still being checked: as in
    // Linux's xfrm_input, the bundle's ESP follows its AH at once, so the bundle is delivered
    // first (one layer at a time, the small datagram took the CPU between them).
    IpsecHelper slow;
    slow.SetCostModel("xscale-pxa250");
    Segment s({IpsecHelper(), IpsecHelper(), slow});
    std::string cbc = std::string("-E aes-cbc ") + kAesKey + " -A hmac-sha1 " + kSha1Key;
    std::string sha1 = std::string("-A hmac-sha1 ") + kSha1Key;
    std::string bundleSas = "add 192.168.1.1 192.168.1.3 esp 0x1001 -m transport " + cbc +
                            ";\nadd 192.168.1.1 192.168.1.3 ah 0x1002 -m transport " + sha1 + ";\n";
    std::string espSas = "add 192.168.1.2 192.168.1.3 esp 0x2001 -m transport " + cbc + ";\n";
    std::string bundle = "ipsec esp/transport//require ah/transport//require";
    std::string esp = "ipsec esp/transport//require";
    s.Load(0, bundleSas + "spdadd 192.168.1.1 192.168.1.3 any -P out " + bundle + ";\n");
    s.Load(1, espSas + "spdadd 192.168.1.2 192.168.1.3 any -P out " + esp + ";\n");
    s.Load(2,
           bundleSas + espSas + "spdadd 192.168.1.1 192.168.1.3 any -P in " + bundle +
               ";\nspdadd 192.168.1.2 192.168.1.3 any -P in " + esp + ";\n");

    std::vector<std::pair<uint32_t, Time>> delivered; // payload size, time
    Ptr<Socket> rx = Socket::CreateSocket(s.nodes.Get(2), UdpSocketFactory::GetTypeId());
    rx->Bind(InetSocketAddress(Ipv4Address::GetAny(), 9));
    rx->SetRecvCallback(Callback<void, Ptr<Socket>>([&delivered](Ptr<Socket> sock) {
        while (Ptr<Packet> p = sock->Recv())
        {
            delivered.emplace_back(p->GetSize(), Simulator::Now());
        }
    }));
    std::map<uint32_t, Time> arrived; // frame size at .3's device, time
    s.devices.Get(2)->TraceConnectWithoutContext(
        "MacRx",
        Callback<void, Ptr<const Packet>>(
            [&arrived](Ptr<const Packet> p) { arrived.emplace(p->GetSize(), Simulator::Now()); }));
    std::vector<Time> jobEnds; // .3's crypto jobs
    s.nodes.Get(2)->GetObject<CryptoCostModel>()->TraceConnectWithoutContext(
        "Job",
        Callback<void, uint64_t, Time, Time>([&jobEnds](uint64_t, Time start, Time duration) {
            jobEnds.push_back(start + duration);
        }));
    Ptr<Socket> tx1 = Socket::CreateSocket(s.nodes.Get(0), UdpSocketFactory::GetTypeId());
    Ptr<Socket> tx2 = Socket::CreateSocket(s.nodes.Get(1), UdpSocketFactory::GetTypeId());
    InetSocketAddress to("192.168.1.3", 9);
    // ARP first, so the two datagrams leave when sent.
    Simulator::Schedule(Seconds(0.5), [&]() {
        tx1->SendTo(Create<Packet>(7), 0, to);
        tx2->SendTo(Create<Packet>(7), 0, to);
    });
    Simulator::Schedule(Seconds(1), [&]() {
        delivered.clear();
        arrived.clear();
        jobEnds.clear();
        tx1->SendTo(Create<Packet>(1200), 0, to);
    });
    Simulator::Schedule(Seconds(1) + MicroSeconds(20),
                        [&]() { tx2->SendTo(Create<Packet>(10), 0, to); });
    Simulator::Stop(Seconds(2));
    Simulator::Run();
    Simulator::Destroy();

    ASSERT_EQ(arrived.size(), 2u);
    ASSERT_EQ(jobEnds.size(), 3u);
    Time bundleIn = arrived.rbegin()->second; // the larger frame
    Time smallIn = arrived.begin()->second;
    ASSERT_GT(smallIn, bundleIn);
    ASSERT_LT(smallIn, jobEnds[0]) << "the small datagram must arrive while AH is checked";
    ASSERT_EQ(delivered.size(), 2u);
    EXPECT_EQ(delivered[0].first, 1200u) << "the bundle's ESP waited behind the other packet";
    EXPECT_EQ(delivered[0].second, jobEnds[1]) << "delivered when its second layer is done";
    EXPECT_EQ(delivered[1].first, 10u);
    EXPECT_EQ(delivered[1].second, jobEnds[2]);
}

TEST_F(IpsecLayerTest, AnOverloadedReceiverDropsWhatItsCryptoBacklogCannotTake)
{
    uint32_t received = 0;
    Ptr<IpsecLayer> layer = FloodASlowReceiver(10, received);
    const uint64_t dropped = layer->GetDrops(IpsecDropReason::CRYPTO_BACKLOG);
    Simulator::Destroy();
    EXPECT_GT(dropped, 0u);
    EXPECT_EQ(received + dropped, 101u); // each datagram delivered or counted, none lost
    EXPECT_EQ(layer->GetTotalDrops(), dropped);

    // Without a bound the same flood is only delay.
    received = 0;
    layer = FloodASlowReceiver(0, received);
    EXPECT_EQ(layer->GetTotalDrops(), 0u);
    Simulator::Destroy();
    EXPECT_EQ(received, 101u);
}
