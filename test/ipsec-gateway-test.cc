/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Security gateways (patent FIG. 7, tunnel endpoint 719): an office gateway tunnels its
// subnet's traffic to the remote site's gateway in ESP tunnel mode, the remote gateway
// decapsulates and forwards it in clear on its LAN, and its fwd policy drops clear packets
// that claim to come from the protected subnet.

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/ike-agent-helper.h"
#include "ns3/ike-agent.h"
#include "ns3/internet-module.h"
#include "ns3/ipsec-helper.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <gtest/gtest.h>

using namespace ns3;

namespace
{

const std::string kKeys = "-E aes-cbc 0x00112233445566778899aabbccddeeff -A hmac-sha1 "
                          "0x0011223344556677889900112233445566778899";

/// H1 10.1.1.2 -p2p- GW1 10.1.1.1 | 172.16.0.1 -csma- 172.16.0.2 GW2 | 10.2.2.1 -p2p- H2 10.2.2.2,
/// and X 172.16.0.3, a stranger on the middle segment.
struct Sites
{
    Ptr<Node> h1 = CreateObject<Node>();
    Ptr<Node> gw1 = CreateObject<Node>();
    Ptr<Node> gw2 = CreateObject<Node>();
    Ptr<Node> h2 = CreateObject<Node>();
    Ptr<Node> x = CreateObject<Node>();

    /// \param crypto the layers' CryptoMode \param staticSas load GW1-GW2 SAs and policies
    explicit Sites(const std::string& crypto, bool staticSas = true)
    {
        InternetStackHelper().Install(NodeContainer(h1, gw1, gw2, h2, x));
        PointToPointHelper p2p;
        CsmaHelper csma;
        Ipv4AddressHelper a("10.1.1.0", "255.255.255.0", "0.0.0.1");
        Ipv4InterfaceContainer site1 = a.Assign(p2p.Install(gw1, h1)); // GW1 .1, H1 .2
        a.SetBase("10.2.2.0", "255.255.255.0", "0.0.0.1");
        a.Assign(p2p.Install(gw2, h2));
        a.SetBase("172.16.0.0", "255.255.255.0", "0.0.0.1");
        a.Assign(csma.Install(NodeContainer(gw1, gw2, x)));
        // Routes first: the gateways' forwarding hook wraps the routing protocol.
        Ipv4GlobalRoutingHelper::PopulateRoutingTables();
        IpsecHelper gateways;
        gateways.SetLayerAttribute("ProtectForwarded", BooleanValue(true));
        gateways.SetLayerAttribute("CryptoMode", StringValue(crypto));
        gateways.Install(NodeContainer(gw1, gw2));
        IpsecHelper hosts;
        hosts.Install(NodeContainer(h1, h2, x));
        if (!staticSas)
        {
            return;
        }
        std::string sas = "add 172.16.0.1 172.16.0.2 esp 0x1001 -m tunnel -r 8 " + kKeys +
                          ";\nadd 172.16.0.2 172.16.0.1 esp 0x2001 -m tunnel -r 8 " + kKeys + ";\n";
        auto site = [](const std::string& self,
                       const std::string& peer,
                       const std::string& selfNet,
                       const std::string& peerNet) {
            return "spdadd " + selfNet + " " + peerNet + " any -P out ipsec esp/tunnel/" + self +
                   "-" + peer + "/require;\nspdadd " + peerNet + " " + selfNet +
                   " any -P fwd ipsec esp/tunnel/" + peer + "-" + self + "/require;\n";
        };
        EXPECT_EQ(IpsecHelper::LoadSetkey(
                      gw1,
                      sas + site("172.16.0.1", "172.16.0.2", "10.1.1.0/24", "10.2.2.0/24")),
                  "");
        EXPECT_EQ(IpsecHelper::LoadSetkey(
                      gw2,
                      sas + site("172.16.0.2", "172.16.0.1", "10.2.2.0/24", "10.1.1.0/24")),
                  "");
    }

    Ptr<IpsecLayer> Layer(Ptr<Node> n) const
    {
        return n->GetObject<IpsecLayer>();
    }
};

/// UDP datagrams from `node` (bound to `from`) to `to`:9, 10 ms apart from 1 s.
Ptr<Socket>
Send(Ptr<Node> node, Ipv4Address from, Ipv4Address to, uint32_t count)
{
    Ptr<Socket> s = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
    s->Bind(InetSocketAddress(from, 7000));
    for (uint32_t i = 0; i < count; ++i)
    {
        Simulator::Schedule(Seconds(1) + MilliSeconds(10 * i), [s, to]() {
            s->SendTo(Create<Packet>(200), 0, InetSocketAddress(to, 9));
        });
    }
    return s;
}

/// Counts what a UDP socket on port 9 of `node` receives.
struct Sink
{
    Ptr<Socket> socket;
    uint32_t packets{0};

    explicit Sink(Ptr<Node> node)
    {
        socket = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
        socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), 9));
        socket->SetRecvCallback(Callback<void, Ptr<Socket>>([this](Ptr<Socket> s) {
            while (s->Recv())
            {
                ++packets;
            }
        }));
    }
};

} // namespace

class GatewayTest : public ::testing::TestWithParam<const char*>
{
  protected:
    void TearDown() override
    {
        Simulator::Destroy();
    }
};

TEST_P(GatewayTest, SubnetTrafficIsTunnelledBetweenGatewaysAndDeliveredInClear)
{
    Sites s(GetParam());
    // What GW1 puts on the middle segment (interface 2): ESP from gateway to gateway only.
    std::map<std::tuple<uint8_t, uint32_t, uint32_t>, uint32_t> middle;
    s.gw1->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
        "Tx",
        Callback<void, Ptr<const Packet>, Ptr<Ipv4>, uint32_t>(
            [&middle](Ptr<const Packet> p, Ptr<Ipv4>, uint32_t iface) {
                Ipv4Header h;
                p->PeekHeader(h);
                if (iface == 2)
                {
                    ++middle[{h.GetProtocol(), h.GetSource().Get(), h.GetDestination().Get()}];
                }
            }));
    Sink h2(s.h2);
    Sink h1(s.h1);
    auto there = Send(s.h1, Ipv4Address("10.1.1.2"), Ipv4Address("10.2.2.2"), 20);
    auto back = Send(s.h2, Ipv4Address("10.2.2.2"), Ipv4Address("10.1.1.2"), 20);
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    EXPECT_EQ(h2.packets, 20u);
    EXPECT_EQ(h1.packets, 20u);
    std::tuple<uint8_t, uint32_t, uint32_t> tunnel{50,
                                                   Ipv4Address("172.16.0.1").Get(),
                                                   Ipv4Address("172.16.0.2").Get()};
    EXPECT_EQ(middle[tunnel], 20u);
    uint32_t other = 0;
    for (const auto& [key, n] : middle)
    {
        other += key == tunnel ? 0 : n;
    }
    EXPECT_EQ(other, 0u) << "nothing else, and nothing in clear, between the sites";
    EXPECT_EQ(s.Layer(s.gw1)->GetStats().protectedTxPackets, 20u);
    EXPECT_EQ(s.Layer(s.gw2)->GetStats().forwardedPackets, 40u) << "20 each way";
    EXPECT_EQ(s.Layer(s.h2)->GetStats().plainRxPackets, 20u) << "H2 needs no IPsec";
    EXPECT_EQ(s.Layer(s.gw1)->GetTotalDrops() + s.Layer(s.gw2)->GetTotalDrops(), 0u);
}

TEST_P(GatewayTest, ClearPacketFromTheProtectedSubnetIsDroppedByTheFwdPolicy)
{
    // X, on the middle segment, sends in clear with a site-1 source address.
    Sites s(GetParam());
    Sink h2(s.h2);
    auto spoof = Send(s.x, Ipv4Address("10.1.1.2"), Ipv4Address("10.2.2.2"), 10);
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    EXPECT_EQ(h2.packets, 0u);
    EXPECT_EQ(s.Layer(s.gw2)->GetDrops(IpsecDropReason::PLAIN_UNDER_REQUIRE), 10u);
    EXPECT_EQ(s.Layer(s.gw2)->GetStats().forwardedPackets, 0u);
}

TEST_P(GatewayTest, IkeNegotiatedTunnelFromATerminalCarriesTheSubnetBehindTheGateway)
{
    // Terminal X 172.16.0.3 reaches H2 in 10.2.2.0/24 behind GW2 172.16.0.2. No SA is
    // loaded: X's out policy raises an Acquire, IKE negotiates a tunnel-mode child with
    // TSi = X, TSr = the subnet (GW2 narrows to its fwd policy), GW2 decapsulates and
    // forwards in clear, and H2's echoes go back through the tunnel.
    Sites s(GetParam(), false);
    const std::string x = "172.16.0.3";
    const std::string gw = "172.16.0.2";
    const std::string net = "10.2.2.0/24";
    ASSERT_EQ(IpsecHelper::LoadSetkey(s.x,
                                      "spdadd " + x + " " + net + " any -P out ipsec esp/tunnel/" +
                                          x + "-" + gw + "/require;\nspdadd " + net + " " + x +
                                          " any -P in ipsec esp/tunnel/" + gw + "-" + x +
                                          "/require;\n"),
              "");
    // GW2's policy is narrower than what X asks for: the subnet only, and UDP only.
    ASSERT_EQ(IpsecHelper::LoadSetkey(s.gw2,
                                      "spdadd " + net + " " + x + " any -P out ipsec esp/tunnel/" +
                                          gw + "-" + x + "/require;\nspdadd " + x + " " + net +
                                          " udp -P fwd ipsec esp/tunnel/" + x + "-" + gw +
                                          "/require;\n"),
              "");
    ASSERT_EQ(s.Layer(s.x)->GetSad()->GetN() + s.Layer(s.gw2)->GetSad()->GetN(), 0u);
    s.Layer(s.x)->SetAttribute("CryptoMode", StringValue(GetParam())); // as the gateway's
    IkeAgentHelper ike;
    ApplicationContainer agents = ike.Install(NodeContainer(s.x, s.gw2));
    IkeAgentHelper::AssignStreams(NodeContainer(s.x, s.gw2), 10);
    IkeAgentHelper::GetAgent(s.x)->SetAttribute("AutoInitiate", BooleanValue(true));
    agents.Start(Seconds(0));

    // H2 echoes what it gets and notes the source it sees.
    std::vector<Ipv4Address> seenAtH2;
    Ptr<Socket> echo = Socket::CreateSocket(s.h2, UdpSocketFactory::GetTypeId());
    echo->Bind(InetSocketAddress(Ipv4Address::GetAny(), 9));
    echo->SetRecvCallback(Callback<void, Ptr<Socket>>([&seenAtH2](Ptr<Socket> sock) {
        Address from;
        while (Ptr<Packet> p = sock->RecvFrom(from))
        {
            seenAtH2.push_back(InetSocketAddress::ConvertFrom(from).GetIpv4());
            sock->SendTo(p, 0, from);
        }
    }));
    uint32_t replies = 0;
    Ptr<Socket> terminal = Send(s.x, Ipv4Address("172.16.0.3"), Ipv4Address("10.2.2.2"), 20);
    terminal->SetRecvCallback(Callback<void, Ptr<Socket>>([&replies](Ptr<Socket> sock) {
        while (sock->Recv())
        {
            ++replies;
        }
    }));
    // What X puts on the segment: ESP to GW2 (tunnel mode: outer X -> GW2), IKE, no
    // clear datagram to the subnet.
    uint32_t espToGw = 0;
    uint32_t clearToSubnet = 0;
    s.x->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
        "Tx",
        Callback<void, Ptr<const Packet>, Ptr<Ipv4>, uint32_t>(
            [&](Ptr<const Packet> p, Ptr<Ipv4>, uint32_t) {
                Ipv4Header h;
                p->PeekHeader(h);
                if (h.GetProtocol() == 50 && h.GetSource() == Ipv4Address("172.16.0.3") &&
                    h.GetDestination() == Ipv4Address("172.16.0.2"))
                {
                    ++espToGw;
                }
                if (Ipv4Mask("255.255.255.0").IsMatch(h.GetDestination(), Ipv4Address("10.2.2.0")))
                {
                    ++clearToSubnet;
                }
            }));
    Simulator::Stop(Seconds(3));
    Simulator::Run();

    Ptr<IkeAgent> agent = IkeAgentHelper::GetAgent(s.x);
    EXPECT_EQ(agent->GetStats().established, 1u);
    EXPECT_EQ(s.Layer(s.x)->GetSad()->GetN(), 2u);
    EXPECT_EQ(s.Layer(s.gw2)->GetSad()->GetN(), 2u);
    // The first datagram raised the Acquire (and was dropped, as Linux does); the rest went
    // through the tunnel and came back.
    EXPECT_GE(seenAtH2.size(), 18u);
    EXPECT_EQ(replies, seenAtH2.size());
    for (Ipv4Address a : seenAtH2)
    {
        EXPECT_EQ(a, Ipv4Address("172.16.0.3")) << "H2 sees the terminal, not the gateway";
    }
    EXPECT_EQ(espToGw, seenAtH2.size());
    EXPECT_EQ(clearToSubnet, 0u);
    EXPECT_EQ(s.Layer(s.x)->GetStats().protectedTxPackets, seenAtH2.size());
    EXPECT_EQ(s.Layer(s.x)->GetStats().protectedRxPackets, replies);
    EXPECT_EQ(s.Layer(s.gw2)->GetStats().forwardedPackets, 2 * seenAtH2.size());
    EXPECT_EQ(s.Layer(s.h2)->GetStats().plainRxPackets, seenAtH2.size()) << "H2 needs no IPsec";
    EXPECT_EQ(s.Layer(s.x)->GetDrops(IpsecDropReason::NO_SA), 20 - seenAtH2.size())
        << "only datagrams sent before the SAs were there";
    EXPECT_EQ(s.Layer(s.x)->GetTotalDrops(), 20 - seenAtH2.size());
    EXPECT_EQ(s.Layer(s.gw2)->GetTotalDrops(), 0u);
    echo->Close();
    terminal->Close();
}

TEST_P(GatewayTest, GatewayRefusesATunnelForASubnetOutsideItsPolicy)
{
    // GW2 protects 10.2.2.0/24 for X only in its policy for another subnet: the traffic
    // selectors do not intersect, GW2 answers TS_UNACCEPTABLE and nothing is installed.
    Sites s(GetParam(), false);
    ASSERT_EQ(IpsecHelper::LoadSetkey(s.x,
                                      "spdadd 172.16.0.3 10.2.2.0/24 any -P out ipsec "
                                      "esp/tunnel/172.16.0.3-172.16.0.2/require;\n"),
              "");
    ASSERT_EQ(IpsecHelper::LoadSetkey(s.gw2,
                                      "spdadd 172.16.0.3 10.9.9.0/24 any -P fwd ipsec "
                                      "esp/tunnel/172.16.0.3-172.16.0.2/require;\n"),
              "");
    s.Layer(s.x)->SetAttribute("CryptoMode", StringValue(GetParam()));
    IkeAgentHelper ike;
    ApplicationContainer agents = ike.Install(NodeContainer(s.x, s.gw2));
    IkeAgentHelper::AssignStreams(NodeContainer(s.x, s.gw2), 10);
    IkeAgentHelper::GetAgent(s.x)->SetAttribute("AutoInitiate", BooleanValue(true));
    agents.Start(Seconds(0));
    std::vector<std::string> failures;
    IkeAgentHelper::GetAgent(s.x)->TraceConnectWithoutContext(
        "Failed",
        Callback<void, Ipv4Address, const std::string&>(
            [&failures](Ipv4Address, const std::string& why) { failures.push_back(why); }));
    Sink h2(s.h2);
    auto terminal = Send(s.x, Ipv4Address("172.16.0.3"), Ipv4Address("10.2.2.2"), 5);
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    ASSERT_FALSE(failures.empty());
    EXPECT_EQ(failures[0], "ts-unacceptable");
    EXPECT_EQ(h2.packets, 0u);
    EXPECT_EQ(s.Layer(s.x)->GetSad()->GetN(), 0u);
    EXPECT_EQ(s.Layer(s.gw2)->GetSad()->GetN(), 0u);
    terminal->Close();
}

INSTANTIATE_TEST_SUITE_P(CryptoModes, GatewayTest, ::testing::Values("modeled", "real"));
