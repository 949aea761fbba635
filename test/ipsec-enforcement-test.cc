/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Inbound enforcement without holes (RFC 4301 §5.2, Linux __xfrm_policy_check): every packet
// accepted under an IPsec policy was verified by SAs bound to its source, in the mode, order,
// reqid and tunnel endpoints the policy names; signalling bypass only at local endpoints;
// IPComp tunnels, ICMP errors, QoS fields, levels and sizes as Linux does them.

#include "ipsec-test-fixture.h"

#include "ns3/ecn-tunnel.h"
#include "ns3/pcap-file.h"

#include <cstdio>
#include <unistd.h>

using namespace ns3;
using namespace presec_test;

namespace
{

const std::string kCbc = std::string("-E aes-cbc ") + kAesKey + " -A hmac-sha1 " + kSha1Key;

/// A UDP socket on `node` that counts what it receives on `port`.
struct Receiver
{
    Ptr<Socket> socket;
    uint32_t packets{0};
    uint32_t taggedTos{0}; //!< received packets still carrying a SocketIpTosTag

    Receiver(Ptr<Node> node, uint16_t port)
    {
        socket = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
        socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), port));
        socket->SetAllowBroadcast(true);
        socket->SetRecvCallback(MakeCallback(&Receiver::Read, this));
    }

    void Read(Ptr<Socket> s)
    {
        while (Ptr<Packet> p = s->Recv())
        {
            ++packets;
            SocketIpTosTag tos;
            if (p->PeekPacketTag(tos))
            {
                ++taggedTos;
            }
        }
    }
};

/// Send `count` UDP datagrams of `size` bytes from `node` (bound to `bindAddress`:`bindPort`,
/// which need not be the node's own address: that is how a spoofer sends) to `to`:`port`,
/// 20 ms apart from 0.5 s. Random payloads do not compress.
Ptr<Socket>
SendDatagrams(Ptr<Node> node,
              Ipv4Address bindAddress,
              uint16_t bindPort,
              Ipv4Address to,
              uint16_t port,
              uint32_t count,
              uint32_t size,
              uint8_t tos = 0)
{
    Ptr<Socket> s = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
    s->Bind(InetSocketAddress(bindAddress, bindPort));
    s->SetAllowBroadcast(true);
    auto rng = CreateObject<UniformRandomVariable>();
    for (uint32_t i = 0; i < count; ++i)
    {
        std::vector<uint8_t> payload(size);
        for (auto& b : payload)
        {
            b = static_cast<uint8_t>(rng->GetInteger(0, 255));
        }
        Simulator::Schedule(Seconds(0.5) + MilliSeconds(20 * i), [s, payload, to, port, tos]() {
            InetSocketAddress address(to, port);
            address.SetTos(tos); // ns-3's SendTo takes the TOS from the address
            s->SendTo(Create<Packet>(payload.data(), payload.size()), 0, address);
        });
    }
    return s;
}

void
RunFor(Time stop = Seconds(3))
{
    Simulator::Stop(stop);
    Simulator::Run();
}

const Ipv4Address kA("192.168.1.1");
const Ipv4Address kB("192.168.1.2");
const Ipv4Address kC("192.168.1.3");

} // namespace

// --- SA <-> policy binding --------------------------------------------------------------------

class SpoofTest : public IpsecLayerTest,
                  public ::testing::WithParamInterface<std::tuple<const char*, const char*>>
{
};

TEST_P(SpoofTest, ThirdNodeWithItsOwnSaCannotPassAsThePeer)
{
    // C holds an ESP SA with A and uses it to send with B's source address (tunnel mode: B's
    // inner address). A requires ESP from B. B's own packets must still pass.
    const auto& [crypto, mode] = GetParam();
    bool tunnel = std::string(mode) == "tunnel";
    Segment s(3, crypto);
    std::string m = std::string(" -m ") + mode + " -r 8 ";
    std::string bToA = "add 192.168.1.2 192.168.1.1 esp 0x2001" + m + kCbc + ";\n";
    std::string cToA = "add 192.168.1.3 192.168.1.1 esp 0x3001" + m + kCbc + ";\n";
    std::string inFromB =
        tunnel ? "esp/tunnel/192.168.1.2-192.168.1.1/require" : "esp/transport//require";
    std::string inFromC =
        tunnel ? "esp/tunnel/192.168.1.3-192.168.1.1/require" : "esp/transport//require";
    s.Load(0,
           bToA + cToA + "spdadd 192.168.1.2 192.168.1.1 any -P in ipsec " + inFromB +
               ";\nspdadd 192.168.1.3 192.168.1.1 any -P in ipsec " + inFromC + ";\n");
    s.Load(1, bToA + "spdadd 192.168.1.2 192.168.1.1 any -P out ipsec " + inFromB + ";\n");
    // C's SAD entry carries B's address as source in transport mode (the SPI is C's SA at A),
    // so C's stack applies it to the spoofed packets.
    std::string cSa = tunnel ? cToA : "add 192.168.1.2 192.168.1.1 esp 0x3001" + m + kCbc + ";\n";
    s.Load(2, cSa + "spdadd 192.168.1.2 192.168.1.1 any -P out ipsec " + inFromC + ";\n");

    Receiver rx(s.nodes.Get(0), 9);
    auto legit = SendDatagrams(s.nodes.Get(1), kB, 7000, kA, 9, 10, 100);
    auto spoof = SendDatagrams(s.nodes.Get(2), kB, 7001, kA, 9, 10, 100);
    RunFor();
    EXPECT_EQ(s.Layer(2)->GetStats().protectedTxPackets, 10u) << "C did send, protected";
    EXPECT_EQ(rx.packets, 10u) << "only B's own packets";
    EXPECT_EQ(s.Layer(0)->GetStats().protectedRxPackets, 10u);
    IpsecDropReason reason =
        tunnel ? IpsecDropReason::PROTECTION_MISMATCH : IpsecDropReason::SA_SELECTOR_MISMATCH;
    EXPECT_EQ(s.Layer(0)->GetDrops(reason), 10u);
    EXPECT_EQ(s.Layer(0)->GetTotalDrops(), 10u);
}

INSTANTIATE_TEST_SUITE_P(CryptoAndMode,
                         SpoofTest,
                         ::testing::Combine(::testing::Values("modeled", "real"),
                                            ::testing::Values("transport", "tunnel")));

TEST_F(IpsecLayerTest, SpoofedOuterSourceOfATunnelIsASelectorMismatch)
{
    // C sends in its own tunnel SA but writes B's address on the outer header too.
    Segment s(3);
    std::string cToA = "add 192.168.1.3 192.168.1.1 esp 0x3001 -m tunnel " + kCbc + ";\n";
    s.Load(0,
           cToA + "spdadd 192.168.1.2 192.168.1.1 any -P in ipsec "
                  "esp/tunnel/192.168.1.3-192.168.1.1/require;\n");
    s.Load(2,
           "add 192.168.1.2 192.168.1.1 esp 0x3001 -m tunnel " + kCbc +
               ";\nspdadd 192.168.1.2 192.168.1.1 any -P out ipsec "
               "esp/tunnel/192.168.1.2-192.168.1.1/require;\n");
    Receiver rx(s.nodes.Get(0), 9);
    auto spoof = SendDatagrams(s.nodes.Get(2), kB, 7001, kA, 9, 5, 100);
    RunFor();
    EXPECT_EQ(rx.packets, 0u);
    EXPECT_EQ(s.Layer(0)->GetDrops(IpsecDropReason::SA_SELECTOR_MISMATCH), 5u);
}

TEST_F(IpsecLayerTest, UniqueReqidMustMatch)
{
    // `unique:5`: only the SA with reqid 5 satisfies the policy, another ESP SA does not.
    for (uint32_t reqid : {5u, 6u})
    {
        Segment s(2);
        std::string sa = "add 192.168.1.2 192.168.1.1 esp 0x2001 -u " + std::to_string(reqid) +
                         " " + kCbc + ";\n";
        s.Load(0, sa + "spdadd 192.168.1.2 192.168.1.1 any -P in ipsec esp/transport//unique:5;\n");
        s.Load(1,
               sa + "spdadd 192.168.1.2 192.168.1.1 any -P out ipsec esp/transport//unique:" +
                   std::to_string(reqid) + ";\n");
        Receiver rx(s.nodes.Get(0), 9);
        auto tx = SendDatagrams(s.nodes.Get(1), kB, 7000, kA, 9, 4, 100);
        RunFor();
        EXPECT_EQ(rx.packets, reqid == 5 ? 4u : 0u) << "reqid " << reqid;
        EXPECT_EQ(s.Layer(0)->GetDrops(IpsecDropReason::PROTECTION_MISMATCH), reqid == 5 ? 0u : 4u);
        Simulator::Destroy();
    }
}

// --- the mode that happened -------------------------------------------------------------------

TEST_F(IpsecLayerTest, TransportSaCarryingIpipIsDropped)
{
    // B wraps its packets in IPIP (an IPComp tunnel that does not compress them) inside ESP
    // transport; A has the ESP SA but no IPComp tunnel: the IPIP must not pass as a tunnel.
    Segment s(2);
    std::string esp = "add 192.168.1.2 192.168.1.1 esp 0x2001 " + kCbc + ";\n";
    s.Load(0,
           esp + "spdadd 192.168.1.2 192.168.1.1 any -P in ipsec "
                 "esp/tunnel/192.168.1.2-192.168.1.1/require;\n");
    s.Load(1,
           esp + "add 192.168.1.2 192.168.1.1 ipcomp 0x4001 -m tunnel -C deflate;\n" +
               "spdadd 192.168.1.2 192.168.1.1 any -P out ipsec "
               "ipcomp/tunnel/192.168.1.2-192.168.1.1/use esp/transport//require;\n");
    Receiver rx(s.nodes.Get(0), 9);
    auto tx = SendDatagrams(s.nodes.Get(1), kB, 7000, kA, 9, 6, 40); // below IPComp's threshold
    RunFor();
    EXPECT_EQ(s.Layer(1)->GetStats().protectedTxPackets, 6u);
    EXPECT_EQ(rx.packets, 0u);
    EXPECT_EQ(s.Layer(0)->GetDrops(IpsecDropReason::MODE_MISMATCH), 6u);
}

TEST_F(IpsecLayerTest, TunnelSaCarryingUdpIsDropped)
{
    // A's SA 0x2001 is a tunnel SA; B uses the same SPI and keys in transport mode.
    Segment s(2);
    s.Load(0,
           "add 192.168.1.2 192.168.1.1 esp 0x2001 -m tunnel " + kCbc +
               ";\nspdadd 192.168.1.2 192.168.1.1 any -P in ipsec "
               "esp/tunnel/192.168.1.2-192.168.1.1/require;\n");
    s.Load(1,
           "add 192.168.1.2 192.168.1.1 esp 0x2001 " + kCbc +
               ";\nspdadd 192.168.1.2 192.168.1.1 any -P out ipsec esp/transport//require;\n");
    Receiver rx(s.nodes.Get(0), 9);
    auto tx = SendDatagrams(s.nodes.Get(1), kB, 7000, kA, 9, 5, 100);
    RunFor();
    EXPECT_EQ(rx.packets, 0u);
    EXPECT_EQ(s.Layer(0)->GetDrops(IpsecDropReason::MODE_MISMATCH), 5u);
}

TEST_F(IpsecLayerTest, PlainIpipWithoutIpcompTunnelIsDropped)
{
    // An IPComp tunnel at B, none at A: B's uncompressed packets leave as plain IPIP.
    Segment s(2);
    s.Load(1,
           "add 192.168.1.2 192.168.1.1 ipcomp 0x4001 -m tunnel -C deflate;\n"
           "spdadd 192.168.1.2 192.168.1.1 any -P out ipsec "
           "ipcomp/tunnel/192.168.1.2-192.168.1.1/require;\n");
    Receiver rx(s.nodes.Get(0), 9);
    auto tx = SendDatagrams(s.nodes.Get(1), kB, 7000, kA, 9, 5, 40);
    RunFor();
    EXPECT_EQ(rx.packets, 0u);
    EXPECT_EQ(s.Layer(0)->GetDrops(IpsecDropReason::NO_IPIP_STATE), 5u);
}

// --- IPComp tunnels deliver what they leave uncompressed ------------------------------------

class IpcompTunnelTest : public IpsecLayerTest, public ::testing::WithParamInterface<bool>
{
};

TEST_P(IpcompTunnelTest, IncompressibleVoiceIsAllDelivered)
{
    // G.711 voice (172-byte random RTP payloads: deflate cannot shrink them) through
    // ipcomp/tunnel, alone or under ESP transport (strongSwan's IPComp bundle).
    bool withEsp = GetParam();
    Segment s(2, "real");
    std::string sas = "add 192.168.1.2 192.168.1.1 ipcomp 0x4001 -m tunnel -C deflate;\n";
    std::string policy = "ipcomp/tunnel/192.168.1.2-192.168.1.1/use";
    if (withEsp)
    {
        sas += "add 192.168.1.2 192.168.1.1 esp 0x2001 -r 8 " + kCbc + ";\n";
        policy += " esp/transport//require";
    }
    s.Load(0, sas + "spdadd 192.168.1.2 192.168.1.1 any -P in ipsec " + policy + ";\n");
    s.Load(1, sas + "spdadd 192.168.1.2 192.168.1.1 any -P out ipsec " + policy + ";\n");
    Receiver rx(s.nodes.Get(0), 40000);
    auto tx = SendDatagrams(s.nodes.Get(1), kB, 40000, kA, 40000, 100, 172);
    RunFor();
    EXPECT_EQ(rx.packets, 100u);
    EXPECT_EQ(s.Layer(0)->GetStats().ipcompUncompressedRxPackets, 100u);
    EXPECT_EQ(s.Layer(0)->GetTotalDrops(), 0u);
}

INSTANTIATE_TEST_SUITE_P(AloneOrUnderEsp, IpcompTunnelTest, ::testing::Values(false, true));

// --- no bypass by accident --------------------------------------------------------------------

TEST_F(IpsecLayerTest, ClearDatagramFromPort5060ToAnApplicationIsChecked)
{
    Segment s(2);
    s.Load(0, "spdadd 192.168.1.2 192.168.1.1 any -P in ipsec esp/transport//require;\n");
    Receiver rx(s.nodes.Get(0), 9);
    auto tx = SendDatagrams(s.nodes.Get(1), kB, 5060, kA, 9, 5, 100);
    RunFor();
    EXPECT_EQ(rx.packets, 0u);
    EXPECT_EQ(s.Layer(0)->GetDrops(IpsecDropReason::PLAIN_UNDER_REQUIRE), 5u);
}

TEST_F(IpsecLayerTest, ClearBroadcastUnderWildcardRequireIsChecked)
{
    Segment s(2);
    s.Load(0, "spdadd 0.0.0.0/0 0.0.0.0/0 any -P in ipsec esp/transport//require;\n");
    Receiver rx(s.nodes.Get(0), 9);
    auto tx = SendDatagrams(s.nodes.Get(1), kB, 7000, Ipv4Address("192.168.1.255"), 9, 5, 100);
    RunFor();
    EXPECT_EQ(rx.packets, 0u);
    EXPECT_EQ(s.Layer(0)->GetDrops(IpsecDropReason::PLAIN_UNDER_REQUIRE), 5u);
}

TEST_F(IpsecLayerTest, SignallingServiceStillBypassesAtItsLocalPort)
{
    // The contrast: the same clear datagrams to the local SIP port pass under require.
    Segment s(2);
    s.Load(0, "spdadd 192.168.1.2 192.168.1.1 any -P in ipsec esp/transport//require;\n");
    Receiver rx(s.nodes.Get(0), 5060);
    auto tx = SendDatagrams(s.nodes.Get(1), kB, 7000, kA, 5060, 5, 100);
    RunFor();
    EXPECT_EQ(rx.packets, 5u);
}

// --- bundle order and extra tunnels (Linux xfrm_policy_ok, secpath_has_nontransport) -------

TEST_F(IpsecLayerTest, BundleOrderIsEnforced)
{
    // A requires IP|AH|ESP (`esp ah`); B sends IP|ESP|AH (`ah esp`).
    Segment s(2);
    std::string sas = "add 192.168.1.2 192.168.1.1 esp 0x2001 " + kCbc +
                      ";\nadd 192.168.1.2 192.168.1.1 ah 0x2002 -A hmac-sha1 " + kSha1Key + ";\n";
    s.Load(0,
           sas + "spdadd 192.168.1.2 192.168.1.1 any -P in ipsec esp/transport//require "
                 "ah/transport//require;\n");
    s.Load(1,
           sas + "spdadd 192.168.1.2 192.168.1.1 any -P out ipsec ah/transport//require "
                 "esp/transport//require;\n");
    Receiver rx(s.nodes.Get(0), 9);
    auto tx = SendDatagrams(s.nodes.Get(1), kB, 7000, kA, 9, 5, 100);
    RunFor();
    EXPECT_EQ(rx.packets, 0u);
    EXPECT_EQ(s.Layer(0)->GetDrops(IpsecDropReason::PROTECTION_MISMATCH), 5u);
}

TEST_F(IpsecLayerTest, BundleInTheRightOrderPasses)
{
    Segment s(2);
    std::string sas = "add 192.168.1.2 192.168.1.1 esp 0x2001 " + kCbc +
                      ";\nadd 192.168.1.2 192.168.1.1 ah 0x2002 -A hmac-sha1 " + kSha1Key + ";\n";
    std::string policy = "ipsec esp/transport//require ah/transport//require;\n";
    s.Load(0, sas + "spdadd 192.168.1.2 192.168.1.1 any -P in " + policy);
    s.Load(1, sas + "spdadd 192.168.1.2 192.168.1.1 any -P out " + policy);
    Receiver rx(s.nodes.Get(0), 9);
    auto tx = SendDatagrams(s.nodes.Get(1), kB, 7000, kA, 9, 5, 100);
    RunFor();
    EXPECT_EQ(rx.packets, 5u);
}

TEST_F(IpsecLayerTest, ExtraTunnelLayerIsRejected)
{
    // A requires ESP transport only; B adds an ESP tunnel around it.
    Segment s(2);
    std::string sas = "add 192.168.1.2 192.168.1.1 esp 0x2001 " + kCbc +
                      ";\nadd 192.168.1.2 192.168.1.1 esp 0x2002 -m tunnel " + kCbc + ";\n";
    s.Load(0, sas + "spdadd 192.168.1.2 192.168.1.1 any -P in ipsec esp/transport//require;\n");
    s.Load(1,
           sas + "spdadd 192.168.1.2 192.168.1.1 any -P out ipsec esp/transport//require "
                 "esp/tunnel/192.168.1.2-192.168.1.1/require;\n");
    Receiver rx(s.nodes.Get(0), 9);
    auto tx = SendDatagrams(s.nodes.Get(1), kB, 7000, kA, 9, 5, 100);
    RunFor();
    EXPECT_EQ(rx.packets, 0u);
    EXPECT_EQ(s.Layer(0)->GetDrops(IpsecDropReason::PROTECTION_MISMATCH), 5u);
}

// --- levels -----------------------------------------------------------------------------------

TEST_F(IpsecLayerTest, LevelDefaultIsUseInKameAndMandatoryInLinux)
{
    for (const char* semantics : {"kame", "linux"})
    {
        Segment s(2);
        s.Layer(1)->SetAttribute("LevelSemantics", StringValue(semantics));
        // No SA: `default` sends clear under KAME, drops (and asks for an SA) under Linux.
        s.Load(1, "spdadd 192.168.1.2 192.168.1.1 any -P out ipsec esp/transport//default;\n");
        Receiver rx(s.nodes.Get(0), 9);
        auto tx = SendDatagrams(s.nodes.Get(1), kB, 7000, kA, 9, 3, 100);
        RunFor();
        bool kame = std::string(semantics) == "kame";
        EXPECT_EQ(rx.packets, kame ? 3u : 0u) << semantics;
        EXPECT_EQ(s.Layer(1)->GetDrops(IpsecDropReason::NO_SA), kame ? 0u : 3u) << semantics;
        Simulator::Destroy();
    }
}

// --- smaller faults ---------------------------------------------------------------------------

TEST_F(IpsecLayerTest, PortUnreachableForAProtectedDatagramIsProtected)
{
    // A `udp`-only policy: the ICMP error quoting the decrypted UDP header must not leave in
    // clear (Linux protects it as the flow it quotes).
    Segment s(2);
    std::string sas = SaPair("esp", kCbc);
    std::string policyA =
        "spdadd 192.168.1.1 192.168.1.2 udp -P out ipsec esp/transport//require;\n"
        "spdadd 192.168.1.2 192.168.1.1 udp -P in ipsec esp/transport//require;\n";
    s.Load(0, sas + policyA);
    std::string policyB =
        "spdadd 192.168.1.2 192.168.1.1 udp -P out ipsec esp/transport//require;\n"
        "spdadd 192.168.1.1 192.168.1.2 udp -P in ipsec esp/transport//require;\n";
    s.Load(1, sas + policyB);
    std::unique_ptr<std::map<uint8_t, uint32_t>> txB(CountTxProtocols(s.nodes.Get(1)));
    uint32_t icmpErrors = 0;
    s.Layer(1)->TraceConnectWithoutContext(
        "ProtectedTx",
        Callback<void, Ptr<const Packet>, const Ipv4Header&>(
            [&icmpErrors](Ptr<const Packet>, const Ipv4Header&) { ++icmpErrors; }));
    auto tx = SendDatagrams(s.nodes.Get(0), kA, 7000, kB, 9, 4, 100); // nobody listens on 9
    RunFor();
    EXPECT_EQ(s.Layer(1)->GetStats().protectedRxPackets, 4u);
    EXPECT_EQ((*txB)[1], 0u) << "no clear ICMP left B";
    EXPECT_EQ(icmpErrors, 4u) << "the port unreachables left in ESP";
    EXPECT_EQ((*txB)[50], 4u);
}

TEST_F(IpsecLayerTest, AcquireHandlerMayEditTheSpd)
{
    // A handler that flushes the SPD (as a key manager may) must not leave the layer with a
    // dangling policy: run under ASan this would be a use after free.
    Segment s(2);
    s.Load(1,
           "spdadd 192.168.1.2 192.168.1.1 any -P out ipsec esp/transport//use "
           "ah/transport//use;\n");
    Ptr<SecurityPolicyDatabase> spd = s.Layer(1)->GetSpd();
    uint32_t acquires = 0;
    s.Layer(1)->TraceConnectWithoutContext(
        "Acquire",
        Callback<void, const SecurityPolicy&, const IpsecRequest&, const PacketSelector&>(
            [&](const SecurityPolicy& p, const IpsecRequest&, const PacketSelector&) {
                ++acquires;
                EXPECT_EQ(p.requests.size(), 2u);
                spd->Clear();
            }));
    Receiver rx(s.nodes.Get(0), 9);
    auto tx = SendDatagrams(s.nodes.Get(1), kB, 7000, kA, 9, 2, 100);
    RunFor();
    EXPECT_EQ(acquires, 2u) << "both requests of the first packet; the second has no policy";
    EXPECT_EQ(rx.packets, 2u);
}

TEST_F(IpsecLayerTest, ProtectedSendAfterDisposeIsHarmless)
{
    // A slow CPU delays the protected send; the layer is disposed meanwhile.
    NodeContainer nodes;
    nodes.Create(2);
    CsmaHelper csma;
    NetDeviceContainer devs = csma.Install(nodes);
    InternetStackHelper().Install(nodes);
    Ipv4AddressHelper("192.168.1.0", "255.255.255.0").Assign(devs);
    IpsecHelper ipsec;
    ipsec.SetCostModel("xscale-pxa250");
    ipsec.Install(nodes);
    ASSERT_EQ(IpsecHelper::LoadSetkey(nodes.Get(1),
                                      "add 192.168.1.2 192.168.1.1 esp 0x2001 " + kCbc +
                                          ";\nspdadd 192.168.1.2 192.168.1.1 any -P out ipsec "
                                          "esp/transport//require;\n"),
              "");
    Ptr<IpsecLayer> layer = nodes.Get(1)->GetObject<IpsecLayer>();
    auto tx = SendDatagrams(nodes.Get(1), kB, 7000, kA, 9, 1, 1400);
    Simulator::Schedule(Seconds(0.5) + NanoSeconds(1), [layer]() { layer->Dispose(); });
    RunFor();
    EXPECT_EQ(layer->GetStats().protectedTxPackets, 1u);
}

// --- QoS and header fields --------------------------------------------------------------------

TEST(EcnTunnel, EncapsulationCopiesEcnExceptCe)
{
    EXPECT_EQ(EncapsulateEcn(Ipv4Header::ECN_NotECT), Ipv4Header::ECN_NotECT);
    EXPECT_EQ(EncapsulateEcn(Ipv4Header::ECN_ECT0), Ipv4Header::ECN_ECT0);
    EXPECT_EQ(EncapsulateEcn(Ipv4Header::ECN_ECT1), Ipv4Header::ECN_ECT1);
    EXPECT_EQ(EncapsulateEcn(Ipv4Header::ECN_CE), Ipv4Header::ECN_ECT0);
}

TEST(EcnTunnel, DecapsulationFollowsRfc6040Figure4)
{
    using E = Ipv4Header;
    const E::EcnType order[4] = {E::ECN_NotECT, E::ECN_ECT0, E::ECN_ECT1, E::ECN_CE};
    // Rows: arriving inner; columns: arriving outer (Not-ECT, ECT(0), ECT(1), CE); 9 = drop.
    const int table[4][4] = {
        {E::ECN_NotECT, E::ECN_NotECT, E::ECN_NotECT, 9},
        {E::ECN_ECT0, E::ECN_ECT0, E::ECN_ECT1, E::ECN_CE},
        {E::ECN_ECT1, E::ECN_ECT1, E::ECN_ECT1, E::ECN_CE},
        {E::ECN_CE, E::ECN_CE, E::ECN_CE, E::ECN_CE},
    };
    for (int i = 0; i < 4; ++i)
    {
        for (int o = 0; o < 4; ++o)
        {
            auto r = DecapsulateEcn(order[i], order[o]);
            if (table[i][o] == 9)
            {
                EXPECT_FALSE(r.has_value()) << i << "," << o;
            }
            else
            {
                ASSERT_TRUE(r.has_value()) << i << "," << o;
                EXPECT_EQ(*r, table[i][o]) << i << "," << o;
            }
        }
    }
}

namespace
{

/// Marks CE on the outer header of every ESP frame it receives (a congested router would).
class CeMarker : public ErrorModel
{
  private:
    bool DoCorrupt(Ptr<Packet> p) override
    {
        std::vector<uint8_t> b(p->GetSize());
        p->CopyData(b.data(), b.size());
        if (b.size() < 14 + 20 || b[12] != 0x08 || b[13] != 0x00 || b[14 + 9] != 50)
        {
            return false;
        }
        b[14 + 1] |= 0x03; // checksums are off in these tests
        *p = *Create<Packet>(b.data(), b.size());
        return false;
    }

    void DoReset() override
    {
    }
};

} // namespace

class EcnTunnelEndToEnd : public IpsecLayerTest, public ::testing::WithParamInterface<uint8_t>
{
};

TEST_P(EcnTunnelEndToEnd, OuterCeReachesTheInnerHeaderOrDropsNotEct)
{
    uint8_t tos = GetParam(); // the inner packet's TOS (DSCP EF | ECN)
    Segment s(2);
    std::string sa = "add 192.168.1.2 192.168.1.1 esp 0x2001 -m tunnel " + kCbc + ";\n";
    std::string policy = "ipsec esp/tunnel/192.168.1.2-192.168.1.1/require;\n";
    s.Load(0, sa + "spdadd 192.168.1.2 192.168.1.1 any -P in " + policy);
    s.Load(1, sa + "spdadd 192.168.1.2 192.168.1.1 any -P out " + policy);
    std::vector<uint8_t> outerTos;
    s.nodes.Get(1)->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
        "Tx",
        Callback<void, Ptr<const Packet>, Ptr<Ipv4>, uint32_t>(
            [&outerTos](Ptr<const Packet> p, Ptr<Ipv4>, uint32_t) {
                Ipv4Header h;
                p->PeekHeader(h);
                if (h.GetProtocol() == 50)
                {
                    outerTos.push_back(h.GetTos());
                }
            }));
    std::vector<uint8_t> innerTos;
    s.nodes.Get(0)->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
        "Rx",
        Callback<void, Ptr<const Packet>, Ptr<Ipv4>, uint32_t>(
            [&innerTos](Ptr<const Packet> p, Ptr<Ipv4>, uint32_t) {
                Ipv4Header h;
                p->PeekHeader(h);
                if (h.GetProtocol() == 17)
                {
                    innerTos.push_back(h.GetTos());
                }
            }));
    s.devices.Get(0)->SetAttribute("ReceiveErrorModel", PointerValue(CreateObject<CeMarker>()));
    Receiver rx(s.nodes.Get(0), 9);
    auto tx = SendDatagrams(s.nodes.Get(1), kB, 7000, kA, 9, 3, 100, tos);
    RunFor();
    ASSERT_EQ(outerTos.size(), 3u);
    for (uint8_t t : outerTos)
    {
        EXPECT_EQ(t >> 2, tos >> 2) << "DSCP copied to the outer header";
        EXPECT_EQ(t & 3, EncapsulateEcn(static_cast<Ipv4Header::EcnType>(tos & 3)));
    }
    if ((tos & 3) == Ipv4Header::ECN_NotECT)
    {
        EXPECT_EQ(rx.packets, 0u);
        EXPECT_EQ(s.Layer(0)->GetDrops(IpsecDropReason::ECN_CE_NOT_ECT), 3u);
    }
    else
    {
        EXPECT_EQ(rx.packets, 3u);
        ASSERT_EQ(innerTos.size(), 3u);
        for (uint8_t t : innerTos)
        {
            EXPECT_EQ(t, (tos & 0xfc) | Ipv4Header::ECN_CE);
        }
    }
}

INSTANTIATE_TEST_SUITE_P(InnerTos, EcnTunnelEndToEnd, ::testing::Values(0xb8, 0xba, 0xb9, 0xbb));

TEST_F(IpsecLayerTest, DscpEfReachesTheOuterHeaderInThePcapAndTheTagIsConsumed)
{
    for (const char* mode : {"transport", "tunnel"})
    {
        bool tunnel = std::string(mode) == "tunnel";
        std::string prefix = "/tmp/presec-dscp-" + std::to_string(getpid()) + "-" + mode;
        {
            Segment s(2);
            std::string sa = std::string("add 192.168.1.2 192.168.1.1 esp 0x2001 -m ") + mode +
                             " " + kCbc + ";\n";
            std::string policy = tunnel ? "ipsec esp/tunnel/192.168.1.2-192.168.1.1/require;\n"
                                        : "ipsec esp/transport//require;\n";
            s.Load(0, sa + "spdadd 192.168.1.2 192.168.1.1 any -P in " + policy);
            s.Load(1, sa + "spdadd 192.168.1.2 192.168.1.1 any -P out " + policy);
            CsmaHelper().EnablePcap(prefix + ".pcap", s.devices.Get(1), true, true);
            Receiver rx(s.nodes.Get(0), 40000);
            auto tx = SendDatagrams(s.nodes.Get(1), kB, 40000, kA, 40000, 5, 172, 0xb8);
            RunFor();
            Simulator::Destroy();
            EXPECT_EQ(rx.packets, 5u);
            EXPECT_EQ(rx.taggedTos, 0u) << "the sender's TOS tag did not travel with the packet";
        } // the devices (and so the pcap writer) are gone: the file is complete
        std::string file = prefix + ".pcap";
        PcapFile pcap;
        pcap.Open(file, std::ios::in);
        ASSERT_FALSE(pcap.Fail()) << file;
        uint32_t esp = 0;
        for (;;)
        {
            uint8_t buf[2048];
            uint32_t sec;
            uint32_t usec;
            uint32_t incl;
            uint32_t orig;
            uint32_t read;
            pcap.Read(buf, sizeof(buf), sec, usec, incl, orig, read);
            if (pcap.Eof() || pcap.Fail())
            {
                break;
            }
            if (read >= 34 && buf[12] == 0x08 && buf[13] == 0x00 && buf[23] == 50)
            {
                ++esp;
                EXPECT_EQ(buf[15], 0xb8) << mode << ": DSCP EF on the outer header";
            }
        }
        pcap.Close();
        std::remove(file.c_str());
        EXPECT_EQ(esp, 5u) << mode;
    }
}

TEST_F(IpsecLayerTest, OversizedDatagramIsAnEmsgsizeDrop)
{
    Segment s(2);
    std::string sa = "add 192.168.1.2 192.168.1.1 esp 0x2001 -m tunnel " + kCbc + ";\n";
    s.Load(1,
           sa + "spdadd 192.168.1.2 192.168.1.1 any -P out ipsec "
                "esp/tunnel/192.168.1.2-192.168.1.1/require;\n");
    Receiver rx(s.nodes.Get(0), 9);
    // The largest UDP payload ns-3 sends (65,507 B): fits in a clear datagram, not once
    // tunnelled and in ESP.
    auto tx = SendDatagrams(s.nodes.Get(1), kB, 7000, kA, 9, 1, 65507);
    RunFor();
    EXPECT_EQ(s.Layer(1)->GetDrops(IpsecDropReason::MESSAGE_TOO_LONG), 1u);
    EXPECT_EQ(s.Layer(1)->GetStats().protectedTxPackets, 0u);
}
