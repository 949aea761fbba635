/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Security gateways (the patent's tunnel endpoint 719, FIG. 7): two office sites whose
// gateways tunnel each site's subnet to the other in ESP, and a roaming terminal in a cafe
// that tunnels to its home gateway. Hosts run no IPsec policy of their own.
//
//   H1 10.1.1.2 -- GW1 10.1.1.1 | 172.16.0.1 --+-- 172.16.0.2 GW2 | 10.2.2.1 -- H2 10.2.2.2
//                                              |
//                                              +-- 172.16.0.3 cafe router | 10.3.3.1 -- T 10.3.3.2
//
// Prints what each echo flow delivered, what crossed the middle segment by protocol, and the
// gateways' IPsec counters; exits 1 if an echo went missing or clear data crossed the middle.
//
//   ./presec run security-gateway [--crypto=real] [--echoes=N]

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/internet-module.h"
#include "ns3/ipsec-helper.h"
#include "ns3/network-module.h"
#include "ns3/ns3-attribute-text.h"
#include "ns3/point-to-point-module.h"

#include <iostream>
#include <map>

using namespace ns3;

namespace
{

const std::string kKeys = " -r 8 -E aes-cbc 0x00112233445566778899aabbccddeeff -A hmac-sha1 "
                          "0x0011223344556677889900112233445566778899;\n";

/// An ESP tunnel SA pair between two endpoints.
std::string
TunnelSas(const std::string& a, const std::string& b, int spi)
{
    return "add " + a + " " + b + " esp " + std::to_string(spi) + " -m tunnel" + kKeys + "add " +
           b + " " + a + " esp " + std::to_string(spi + 1) + " -m tunnel" + kKeys;
}

/// Traffic between `selfNet` and `peerNet` in a tunnel between `self` and `peer`, seen from
/// the gateway `self`: out protected, forwarded-in only if it came through the tunnel.
std::string
GatewayPolicies(const std::string& self,
                const std::string& peer,
                const std::string& selfNet,
                const std::string& peerNet)
{
    return "spdadd " + selfNet + " " + peerNet + " any -P out ipsec esp/tunnel/" + self + "-" +
           peer + "/require;\nspdadd " + peerNet + " " + selfNet + " any -P fwd ipsec esp/tunnel/" +
           peer + "-" + self + "/require;\n";
}

/// A UDP echo flow from `client` to `server`; returns the client application.
Ptr<Application>
Echo(Ptr<Node> client, Ptr<Node> server, Ipv4Address to, uint16_t port, uint32_t count)
{
    UdpEchoServerHelper s(port);
    s.Install(server).Start(Seconds(0));
    UdpEchoClientHelper c(to, port);
    c.SetAttribute("MaxPackets", UintegerValue(count));
    c.SetAttribute("Interval", TimeValue(MilliSeconds(50)));
    c.SetAttribute("PacketSize", UintegerValue(172));
    ApplicationContainer app = c.Install(client);
    app.Start(Seconds(1));
    return app.Get(0);
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string crypto = "modeled";
    uint32_t echoes = 20;
    CommandLine cmd(__FILE__);
    cmd.AddValue("crypto", "modeled or real", crypto);
    cmd.AddValue("echoes", "echo requests per flow", echoes);
    if (!ns3text::ParseCommandLine(cmd, argc, argv))
    {
        return 1;
    }
    if (std::string e = ns3text::CheckAttributeText("ns3::IpsecLayer::CryptoMode", crypto);
        !e.empty())
    {
        std::cerr << "--crypto=" << crypto << ": " << e << "\n";
        return 1;
    }

    Ptr<Node> h1 = CreateObject<Node>();
    Ptr<Node> gw1 = CreateObject<Node>();
    Ptr<Node> gw2 = CreateObject<Node>();
    Ptr<Node> h2 = CreateObject<Node>();
    Ptr<Node> cafe = CreateObject<Node>();
    Ptr<Node> t = CreateObject<Node>();
    InternetStackHelper().Install(NodeContainer(NodeContainer(h1, gw1, gw2, h2), cafe, t));
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    Ipv4AddressHelper a("10.1.1.0", "255.255.255.0");
    a.Assign(p2p.Install(gw1, h1));
    a.SetBase("10.2.2.0", "255.255.255.0");
    a.Assign(p2p.Install(gw2, h2));
    a.SetBase("10.3.3.0", "255.255.255.0");
    a.Assign(p2p.Install(cafe, t));
    a.SetBase("172.16.0.0", "255.255.255.0");
    NetDeviceContainer middle = CsmaHelper().Install(NodeContainer(gw1, gw2, cafe));
    a.Assign(middle);
    // Routes before IPsec: the gateways' forwarding hook wraps their routing protocol.
    Ipv4GlobalRoutingHelper::PopulateRoutingTables();

    IpsecHelper gateways;
    gateways.SetLayerAttribute("ProtectForwarded", BooleanValue(true));
    gateways.SetLayerAttribute("CryptoMode", StringValue(crypto));
    gateways.Install(NodeContainer(gw1, gw2));
    IpsecHelper others;
    others.SetLayerAttribute("CryptoMode", StringValue(crypto));
    others.Install(NodeContainer(h1, h2, cafe, t));

    std::string sites = TunnelSas("172.16.0.1", "172.16.0.2", 0x1001);
    std::string roaming = TunnelSas("10.3.3.2", "172.16.0.1", 0x3001);
    NS_ABORT_UNLESS(
        IpsecHelper::LoadSetkey(
            gw1,
            sites + roaming +
                GatewayPolicies("172.16.0.1", "172.16.0.2", "10.1.1.0/24", "10.2.2.0/24") +
                GatewayPolicies("172.16.0.1", "10.3.3.2", "10.1.1.0/24", "10.3.3.2"))
            .empty());
    NS_ABORT_UNLESS(
        IpsecHelper::LoadSetkey(
            gw2,
            sites + GatewayPolicies("172.16.0.2", "172.16.0.1", "10.2.2.0/24", "10.1.1.0/24"))
            .empty());
    // The terminal is its own tunnel endpoint: in and out, not fwd.
    NS_ABORT_UNLESS(IpsecHelper::LoadSetkey(t,
                                            roaming +
                                                "spdadd 10.3.3.2 10.1.1.0/24 any -P out ipsec "
                                                "esp/tunnel/10.3.3.2-172.16.0.1/require;\n"
                                                "spdadd 10.1.1.0/24 10.3.3.2 any -P in ipsec "
                                                "esp/tunnel/172.16.0.1-10.3.3.2/require;\n")
                        .empty());

    // What crosses the middle segment (an eavesdropper's view), by IP protocol.
    std::map<uint8_t, uint32_t> seen;
    Ptr<CsmaNetDevice> gw2Middle = DynamicCast<CsmaNetDevice>(middle.Get(1));
    gw2Middle->SetPromiscReceiveCallback([&seen](Ptr<NetDevice>,
                                                 Ptr<const Packet> p,
                                                 uint16_t type,
                                                 const Address&,
                                                 const Address&,
                                                 NetDevice::PacketType) {
        Ipv4Header h;
        if (type == 0x0800 && p->PeekHeader(h) != 0)
        {
            ++seen[h.GetProtocol()];
        }
        return true;
    });

    uint32_t siteReplies = 0;
    uint32_t roamingReplies = 0;
    Echo(h1, h2, Ipv4Address("10.2.2.2"), 9, echoes)
        ->TraceConnectWithoutContext(
            "Rx",
            Callback<void, Ptr<const Packet>>([&](Ptr<const Packet>) { ++siteReplies; }));
    Echo(t, h1, Ipv4Address("10.1.1.2"), 10, echoes)
        ->TraceConnectWithoutContext(
            "Rx",
            Callback<void, Ptr<const Packet>>([&](Ptr<const Packet>) { ++roamingReplies; }));
    Simulator::Stop(Seconds(1) + MilliSeconds(50 * echoes) + Seconds(1));
    Simulator::Run();

    std::cout << "site 1 -> site 2 echoes: " << siteReplies << "/" << echoes << "\n"
              << "cafe terminal -> site 1 echoes: " << roamingReplies << "/" << echoes << "\n"
              << "middle segment, IP packets by protocol:";
    uint32_t clearData = 0;
    for (const auto& [proto, n] : seen)
    {
        std::cout << " " << +proto << ":" << n;
        clearData += proto == 17 || proto == 6 ? n : 0;
    }
    std::cout << "\n";
    for (auto [name, node] : {std::pair{"GW1", gw1}, std::pair{"GW2", gw2}})
    {
        const IpsecLayer::Stats& c = node->GetObject<IpsecLayer>()->GetStats();
        std::cout << name << ": tunnelled " << c.protectedTxPackets << ", protected to itself "
                  << c.protectedRxPackets << ", forwarded " << c.forwardedPackets << ", drops "
                  << node->GetObject<IpsecLayer>()->GetTotalDrops() << "\n";
    }
    Simulator::Destroy();
    return siteReplies == echoes && roamingReplies == echoes && clearData == 0 ? 0 : 1;
}
