/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// The patent's two embodiments: apparatus 10 at 192.168.1.1 (office) asks a peer for its
// presence and security policy, decides with the LocationAwareDecisionModel, registers the
// policy and talks VoIP with it. Embodiment 1 (FIG. 3): peer 11-1 at 192.168.1.2, in the
// office too. Embodiment 2 (FIG. 10): peer 11-2 at 133.134.10.10, external.
//
//   ./presec run patent-embodiment [--embodiment=1|2] [--duration=5] [--verbose=1]
//
// Prints both nodes' decision logs and per-node IPsec counters (protected vs clear packets).

#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/internet-module.h"
#include "ns3/ipsec-helper.h"
#include "ns3/ipsec-layer.h"
#include "ns3/network-module.h"
#include "ns3/ns3-attribute-text.h"
#include "ns3/presence-agent-helper.h"
#include "ns3/secure-peer-application.h"
#include "ns3/secure-peer-helper.h"

#include <iostream>
#include <sstream>
#include <string>

using namespace ns3;

namespace
{

/// Static SAs (esp and ah, both directions) between a and b.
std::string
Sas(const std::string& a, const std::string& b)
{
    return "add " + a + " " + b +
           " esp 0x1001 -m transport -r 8 -E aes-cbc 0x00112233445566778899aabbccddeeff "
           "-A hmac-sha1 0x0011223344556677889900112233445566778899;\n"
           "add " +
           b + " " + a +
           " esp 0x2001 -m transport -r 8 -E aes-cbc 0xffeeddccbbaa99887766554433221100 "
           "-A hmac-sha1 0x9988776655443322110099887766554433221100;\n"
           "add " +
           a + " " + b +
           " ah 0x1002 -m transport -r 8 -A hmac-sha256 "
           "0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f;\n"
           "add " +
           b + " " + a +
           " ah 0x2002 -m transport -r 8 -A hmac-sha256 "
           "0x1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100;\n";
}

/// \return \p a in dotted decimal
std::string
ToString(Ipv4Address a)
{
    std::ostringstream os;
    os << a;
    return os.str();
}

void
PrintNode(const std::string& name, Ptr<Node> node, Ptr<SecurePeerApplication> app, Ipv4Address peer)
{
    std::cout << "=== " << name << " decision log ===\n";
    for (const auto& line : app->GetDecisionLog())
    {
        std::cout << "  " << line << "\n";
    }
    const IpsecLayer::Stats& c = node->GetObject<IpsecLayer>()->GetStats();
    auto st = app->GetSessionStats(peer);
    std::cout << "=== " << name << " IPsec counters ===\n"
              << "  protected tx " << c.protectedTxPackets << " rx " << c.protectedRxPackets
              << " | clear tx " << c.plainTxPackets << " rx " << c.plainRxPackets << " | drops "
              << node->GetObject<IpsecLayer>()->GetTotalDrops() << "\n"
              << "  voice sent " << st.sent << " received " << st.received << " lost " << st.lost;
    if (st.received)
    {
        std::cout << " mean delay " << (st.delaySum / st.received).GetMicroSeconds() << " us";
    }
    std::cout << "\n";
}

} // namespace

int
main(int argc, char* argv[])
{
    int embodiment = 1;
    double duration = 5;
    bool verbose = false;
    CommandLine cmd(__FILE__);
    cmd.AddValue("embodiment",
                 "1: the peer in the office (FIG. 3), 2: external (FIG. 10)",
                 embodiment);
    cmd.AddValue("duration", "simulated seconds after the request", duration);
    cmd.AddValue("verbose", "log SecurePeerApplication", verbose);
    if (!ns3text::ParseCommandLine(cmd, argc, argv))
    {
        return 1;
    }
    if (embodiment != 1 && embodiment != 2)
    {
        std::cerr << "--embodiment=" << embodiment << ": 1 or 2 expected\n";
        return 2;
    }
    const bool external = embodiment == 2;
    if (verbose)
    {
        LogComponentEnable("SecurePeerApplication", LOG_LEVEL_INFO);
    }

    const Ipv4Address apparatus("192.168.1.1");
    const Ipv4Address peer(external ? "133.134.10.10" : "192.168.1.2");

    NodeContainer nodes;
    nodes.Create(2);
    CsmaHelper csma;
    csma.SetChannelAttribute("DataRate", StringValue("100Mbps"));
    csma.SetChannelAttribute("Delay", TimeValue(MicroSeconds(50)));
    NetDeviceContainer devs = csma.Install(nodes);
    InternetStackHelper().Install(nodes);
    if (external)
    {
        // Two subnets on one link, with host routes both ways (the patent's Internet 3 reduced
        // to a wire: only the addresses and their location labels matter here).
        Ipv4AddressHelper ipA("192.168.1.0", "255.255.255.0");
        ipA.Assign(NetDeviceContainer(devs.Get(0)));
        Ipv4AddressHelper ipB("133.134.10.0", "255.255.255.0", "0.0.0.10");
        ipB.Assign(NetDeviceContainer(devs.Get(1)));
        Ipv4StaticRoutingHelper srh;
        srh.GetStaticRouting(nodes.Get(0)->GetObject<Ipv4>())->AddHostRouteTo(peer, 1);
        srh.GetStaticRouting(nodes.Get(1)->GetObject<Ipv4>())->AddHostRouteTo(apparatus, 1);
    }
    else
    {
        Ipv4AddressHelper ip("192.168.1.0", "255.255.255.0");
        ip.Assign(devs);
    }
    IpsecHelper ipsec;
    ipsec.Install(nodes);
    for (uint32_t i = 0; i < 2; ++i)
    {
        std::string error =
            IpsecHelper::LoadSetkey(nodes.Get(i), Sas("192.168.1.1", ToString(peer)));
        NS_ABORT_MSG_IF(!error.empty(), error);
    }

    PresenceAgentHelper agents;
    agents.SetAttribute("LocationPrefixes",
                        StringValue("192.168.1.0/24=office;133.134.10.0/24=external"));
    ApplicationContainer agentApps = agents.Install(nodes);
    agentApps.Get(0)->SetAttribute("Entity", StringValue("pres:apparatus10@example.com"));
    agentApps.Get(0)->SetAttribute("UserName", StringValue("User9"));
    agentApps.Get(1)->SetAttribute(
        "Entity",
        StringValue(external ? "pres:peerB@example.com" : "pres:peerA@example.com"));
    agentApps.Get(1)->SetAttribute("UserName", StringValue("John"));
    agents.AssignStreams(nodes, 1);
    agentApps.Start(Seconds(0));

    SecurePeerHelper peers;
    peers.SetAttribute("Relationship", StringValue("colleague"));
    peers.SetAttribute("Purpose", StringValue("business"));
    ApplicationContainer apps = peers.Install(nodes);
    apps.Start(Seconds(0.1));
    auto a = DynamicCast<SecurePeerApplication>(apps.Get(0));
    auto b = DynamicCast<SecurePeerApplication>(apps.Get(1));
    a->ConnectAt(peer, Seconds(1));

    Simulator::Stop(Seconds(1 + duration));
    Simulator::Run();
    PrintNode("apparatus 10 (192.168.1.1)", nodes.Get(0), a, peer);
    PrintNode(std::string(external ? "peer 11-2 (" : "peer 11-1 (") + ToString(peer) + ")",
              nodes.Get(1),
              b,
              apparatus);
    Simulator::Destroy();
    return 0;
}
