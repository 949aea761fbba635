/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// MTU as Linux does it under IPsec: TCP segments sized from the link MTU minus the SA
// bundle's overhead (xfrm_state_mtu), so that nothing fragments and goodput is what the
// header arithmetic says; a DF datagram that no longer fits is dropped and its sender told.

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/ipsec-helper.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <gtest/gtest.h>

using namespace ns3;

namespace
{

const std::string kCbc = "-E aes-cbc 0x00112233445566778899aabbccddeeff -A hmac-sha1 "
                         "0x0011223344556677889900112233445566778899";
const std::string kSha1 = "-A hmac-sha1 0x0011223344556677889900112233445566778899";

/// Two nodes on a 10 Mbit/s point-to-point link (MTU 1500), AH+ESP transport both ways.
struct Link
{
    NodeContainer nodes;
    NetDeviceContainer devices;
    Ipv4InterfaceContainer interfaces;

    Link()
    {
        nodes.Create(2);
        PointToPointHelper p2p;
        p2p.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
        p2p.SetChannelAttribute("Delay", TimeValue(MilliSeconds(1)));
        devices = p2p.Install(nodes);
        InternetStackHelper().Install(nodes);
        interfaces = Ipv4AddressHelper("10.1.1.0", "255.255.255.0").Assign(devices);
        IpsecHelper().Install(nodes);
        std::string sas;
        for (auto [from, to, spi] : {std::tuple{"10.1.1.1", "10.1.1.2", 0x1000},
                                     std::tuple{"10.1.1.2", "10.1.1.1", 0x2000}})
        {
            sas += std::string("add ") + from + " " + to + " esp " + std::to_string(spi + 1) +
                   " -r 8 " + kCbc + ";\nadd " + from + " " + to + " ah " +
                   std::to_string(spi + 2) + " -r 8 " + kSha1 + ";\n";
        }
        const std::string bundle = "ipsec esp/transport//require ah/transport//require;\n";
        for (uint32_t i = 0; i < 2; ++i)
        {
            std::string self = i == 0 ? "10.1.1.1" : "10.1.1.2";
            std::string peer = i == 0 ? "10.1.1.2" : "10.1.1.1";
            std::string text = sas + "spdadd " + self + " " + peer + " any -P out " + bundle +
                               "spdadd " + peer + " " + self + " any -P in " + bundle;
            EXPECT_EQ(IpsecHelper::LoadSetkey(nodes.Get(i), text), "");
        }
    }
};

/// ESP (AES-CBC, HMAC-SHA1-96) + AH (HMAC-SHA1-96) bytes around an upper-layer segment,
/// written out from RFC 4303 and RFC 4302.
uint32_t
BundleOverhead(uint32_t segment)
{
    uint32_t pad = (16 - (segment + 2) % 16) % 16;
    uint32_t esp = 8 + 16 + pad + 2 + 12; // header, IV, padding, pad length + next, ICV
    uint32_t ah = 12 + 12;                // header, ICV
    return esp + ah;
}

} // namespace

TEST(IpsecMtu, BulkTcpUnderAhEspDoesNotFragmentAndReachesTheArithmeticGoodput)
{
    // The application asks for the plain-Ethernet segment size (1500 - 20 - 20 - 12 for the
    // timestamp option): under AH+ESP, such segments would each leave as two fragments.
    Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(1448));
    // A receive window (45 segments) far above the path's bandwidth-delay product but below
    // the link queue (100 packets): the link stays busy and no loss recovery blurs the rate.
    Config::SetDefault("ns3::TcpSocket::RcvBufSize", UintegerValue(65536));
    Link link;
    uint32_t fragments = 0;
    uint32_t packets = 0;
    link.nodes.Get(0)->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
        "Tx",
        Callback<void, Ptr<const Packet>, Ptr<Ipv4>, uint32_t>(
            [&](Ptr<const Packet> p, Ptr<Ipv4>, uint32_t) {
                Ipv4Header h;
                p->PeekHeader(h);
                ++packets;
                if (!h.IsLastFragment() || h.GetFragmentOffset() != 0)
                {
                    ++fragments;
                }
            }));
    PacketSinkHelper sink("ns3::TcpSocketFactory", InetSocketAddress(Ipv4Address::GetAny(), 5000));
    ApplicationContainer sinkApp = sink.Install(link.nodes.Get(1));
    BulkSendHelper bulk("ns3::TcpSocketFactory",
                        InetSocketAddress(link.interfaces.GetAddress(1), 5000));
    ApplicationContainer bulkApp = bulk.Install(link.nodes.Get(0));
    bulkApp.Start(Seconds(0.5));
    Ptr<PacketSink> rx = DynamicCast<PacketSink>(sinkApp.Get(0));
    uint64_t at2 = 0;
    uint64_t at6 = 0;
    Simulator::Schedule(Seconds(2), [&]() { at2 = rx->GetTotalRx(); });
    Simulator::Schedule(Seconds(6), [&]() { at6 = rx->GetTotalRx(); });
    Simulator::Stop(Seconds(6.01));
    Simulator::Run();

    Ptr<Socket> socket = DynamicCast<BulkSendApplication>(bulkApp.Get(0))->GetSocket();
    UintegerValue mss;
    socket->GetAttribute("SegmentSize", mss);
    Simulator::Destroy();
    Config::Reset();

    EXPECT_GT(packets, 1000u);
    EXPECT_EQ(fragments, 0u);
    // The largest segment that fits: 1500 = IPv4 20 + AH/ESP overhead + TCP 32 + payload.
    uint32_t expectedMss = 0;
    for (uint32_t m = 1448; m > 0; --m)
    {
        if (20 + BundleOverhead(m + 32) + m + 32 <= 1500)
        {
            expectedMss = m;
            break;
        }
    }
    EXPECT_EQ(mss.Get(), expectedMss);
    // Each segment costs PPP 2 + IPv4 20 + AH/ESP + TCP 32 + payload on the 10 Mbit/s wire.
    double wire = 2 + 20 + BundleOverhead(expectedMss + 32) + 32 + expectedMss;
    double predicted = 10e6 / 8 * expectedMss / wire; // bytes per second
    double measured = (at6 - at2) / 4.0;
    EXPECT_NEAR(measured / predicted, 1.0, 0.01)
        << "measured " << measured << " B/s, predicted " << predicted << " B/s";
}

TEST(IpsecMtu, DontFragmentDatagramThatNoLongerFitsIsDroppedAndItsSenderTold)
{
    Link link;
    Ptr<Socket> s = Socket::CreateSocket(link.nodes.Get(0), UdpSocketFactory::GetTypeId());
    s->SetAttribute("MtuDiscover", BooleanValue(true));
    s->Bind();
    uint32_t reportedMtu = 0;
    uint32_t reports = 0;
    s->SetAttribute("IcmpCallback",
                    CallbackValue(Callback<void, Ipv4Address, uint8_t, uint8_t, uint8_t, uint32_t>(
                        [&](Ipv4Address, uint8_t, uint8_t type, uint8_t code, uint32_t info) {
                            if (type == 3 && code == 4)
                            {
                                ++reports;
                                reportedMtu = info;
                            }
                        })));
    uint32_t received = 0;
    Ptr<Socket> r = Socket::CreateSocket(link.nodes.Get(1), UdpSocketFactory::GetTypeId());
    r->Bind(InetSocketAddress(Ipv4Address::GetAny(), 9));
    r->SetRecvCallback(Callback<void, Ptr<Socket>>([&](Ptr<Socket> sock) {
        while (sock->Recv())
        {
            ++received;
        }
    }));
    InetSocketAddress to(link.interfaces.GetAddress(1), 9);
    // 1472 B fits a 1500-byte MTU in clear; 1300 B still fits under AH+ESP.
    Simulator::Schedule(Seconds(1), [&]() { s->SendTo(Create<Packet>(1472), 0, to); });
    Simulator::Schedule(Seconds(2), [&]() { s->SendTo(Create<Packet>(1300), 0, to); });
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    Ptr<IpsecLayer> layer = link.nodes.Get(0)->GetObject<IpsecLayer>();
    EXPECT_EQ(layer->GetDrops(IpsecDropReason::FRAGMENTATION_NEEDED), 1u);
    EXPECT_EQ(received, 1u);
    EXPECT_EQ(reports, 1u);
    // The MTU left for a datagram: IPv4 20 + the largest segment that fits once protected.
    uint32_t segment = 1480;
    while (20 + BundleOverhead(segment) + segment > 1500)
    {
        --segment;
    }
    EXPECT_EQ(reportedMtu, 20 + segment);
    Simulator::Destroy();
}
