/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Wi-Fi roaming: Alice's laptop is in a call with Bob, a colleague at his office desktop, when
// she walks from the office access point (192.168.1.0/24) to the cafe next door, whose AP
// hands out public addresses (133.134.10.0/24). The laptop re-associates and gets a new
// address by DHCP; its presence says "cafe" now; Bob's apparatus follows the call to the new
// address and, judging the cafe untrusted, protects it.
//
//   ./presec run wifi-roaming [--decision=AcceptAsIs] [--speed=1.4] [--verbose=1]
//
// --decision takes any registered decision model, by alias or TypeId name (as scenario files).
//
// Prints the laptop's Wi-Fi and address changes, its presence location, the policy Bob's SPD
// holds for the laptop before and after, and what crossed the cafe's air in clear.

#include "ns3/core-module.h"
#include "ns3/decision-model-factory.h"
#include "ns3/dhcp-client.h"
#include "ns3/ike-agent-helper.h"
#include "ns3/internet-module.h"
#include "ns3/ipsec-helper.h"
#include "ns3/ipsec-layer.h"
#include "ns3/network-module.h"
#include "ns3/ns3-attribute-text.h"
#include "ns3/presence-agent-helper.h"
#include "ns3/secure-peer-application.h"
#include "ns3/secure-peer-helper.h"
#include "ns3/setkey-parser.h"
#include "ns3/wifi-mac.h"
#include "ns3/wifi-net-device.h"
#include "ns3/wifi-roaming-helper.h"

#include <iomanip>
#include <iostream>

using namespace ns3;

namespace
{

/// A line of the story, with the simulation time.
std::ostream&
At()
{
    return std::cout << std::fixed << std::setprecision(3) << "t=" << Simulator::Now().GetSeconds()
                     << "s ";
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string decision = "LocationAware";
    double speed = 1.4; // m/s, walking
    bool verbose = false;
    CommandLine cmd(__FILE__);
    cmd.AddValue("decision",
                 "both users' decision model: an alias (LocationAware, AcceptAsIs, ...) or a "
                 "TypeId name",
                 decision);
    cmd.AddValue("speed", "Alice's walking speed in m/s", speed);
    cmd.AddValue("verbose", "print both decision logs at the end", verbose);
    if (!ns3text::ParseCommandLine(cmd, argc, argv))
    {
        return 1;
    }
    if (std::string error = DecisionModelFactory::Check(decision, {}); !error.empty())
    {
        std::cerr << "--decision=" << decision << ": " << error << "\n";
        return 2;
    }

    // 1. The networks: the office AP with Bob's wired LAN, the cafe AP 60 m away. Each AP
    //    reaches 40 m, so Alice is in range of the cafe when she loses the office.
    WifiRoamingHelper roaming;
    roaming.SetCoverageRadius(40);
    roaming.AddNetwork("office", "192.168.1.0/24", Vector(0, 0, 0));
    roaming.AddWiredLan("office", "192.168.10.0/24");
    roaming.AddNetwork("cafe", "133.134.10.0/24", Vector(60, 0, 0));

    // 2. Alice's laptop starts at the office AP and walks to the cafe 5 s into the call;
    //    Bob's desktop sits on the office LAN.
    Ptr<Node> laptop = CreateObject<Node>();
    Ptr<Node> desktop = CreateObject<Node>();
    NodeContainer both(laptop, desktop);
    Ptr<NetDevice> wifi = roaming.Install(laptop, "office").Get(0);
    Ipv4Address bob = roaming.InstallWiredHost(desktop, "office");
    Time arrival = roaming.Walk(laptop, "cafe", Seconds(6), speed);

    // 3. presec on both: IPsec layer, IKE for the SAs, presence agents that know the networks'
    //    names, and the apparatus with the users' decision model.
    IpsecHelper().Install(both);
    IkeAgentHelper ike;
    ike.SetAttribute("EncryptionAlgorithm", StringValue("aes-cbc"));
    ike.SetAttribute("IntegrityAlgorithm", StringValue("hmac-sha1")); // AH needs one
    ike.Install(both).Start(Seconds(0));
    PresenceAgentHelper agentHelper;
    agentHelper.SetAttribute("LocationPrefixes", StringValue(roaming.GetLocationPrefixes()));
    ApplicationContainer agents = agentHelper.Install(both);
    agents.Get(0)->SetAttribute("Entity", StringValue("pres:alice@example.com"));
    agents.Get(1)->SetAttribute("Entity", StringValue("pres:bob@example.com"));
    agents.Start(Seconds(0));
    SecurePeerHelper peers;
    peers.SetAttribute("Relationship", StringValue("colleague"));
    ApplicationContainer apps = peers.Install(both);
    for (uint32_t i = 0; i < 2; ++i)
    {
        apps.Get(i)->SetAttribute("DecisionModel",
                                  PointerValue(DecisionModelFactory::Create(decision, {})));
    }
    apps.Start(Seconds(0.1));
    auto alice = DynamicCast<SecurePeerApplication>(apps.Get(0));
    auto bobApp = DynamicCast<SecurePeerApplication>(apps.Get(1));

    // 4. What to watch: Wi-Fi association, DHCP leases, Alice's presence, Bob's SPD.
    Ipv4Address aliceAddress;
    Time lostAp(-1);
    Time newLease(-1);
    Ptr<WifiMac> mac = DynamicCast<WifiNetDevice>(wifi)->GetMac();
    mac->TraceConnectWithoutContext("Assoc", Callback<void, Mac48Address>([](Mac48Address ap) {
                                        At() << "laptop: associated with AP " << ap << "\n";
                                    }));
    mac->TraceConnectWithoutContext("DeAssoc",
                                    Callback<void, Mac48Address>([&lostAp](Mac48Address ap) {
                                        lostAp = Simulator::Now();
                                        At() << "laptop: lost AP " << ap << "\n";
                                    }));
    roaming.GetDhcpClient(laptop)->TraceConnectWithoutContext(
        "NewLease",
        Callback<void, const Ipv4Address&>([&](const Ipv4Address& a) {
            if (aliceAddress != Ipv4Address())
            {
                newLease = Simulator::Now();
            }
            aliceAddress = a;
            At() << "laptop: DHCP lease " << a << " (" << roaming.GetNetworkOf(a) << ")\n";
        }));
    agents.Get(0)->TraceConnectWithoutContext(
        "PresenceChanged",
        Callback<void, const PresenceDocument&>([](const PresenceDocument& d) {
            if (!d.location.empty())
            {
                At() << "laptop: presence location " << d.location << "\n";
            }
        }));
    Ptr<SecurityPolicyDatabase> bobSpd = desktop->GetObject<IpsecLayer>()->GetSpd();
    bobSpd->TraceConnectWithoutContext(
        "PolicyAdded",
        Callback<void, const SecurityPolicy&, uint64_t>([](const SecurityPolicy& p, uint64_t) {
            if (p.direction == PolicyDirection::OUT)
            {
                At() << "Bob's SPD: " << SetkeyParser::Print(p) << "\n";
            }
        }));
    bobApp->TraceConnectWithoutContext("LogLine", Callback<void, std::string>([](std::string l) {
                                           if (l.find("peer moved to a new address") !=
                                               std::string::npos)
                                           {
                                               std::cout << l << " (Bob)\n";
                                           }
                                       }));
    // The cafe's air: voice to Alice in clear, or protected.
    uint64_t clear = 0;
    uint64_t protectedPackets = 0;
    Time firstProtected(-1);
    roaming.GetAccessPoint("cafe")->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
        "Tx",
        Callback<void, Ptr<const Packet>, Ptr<Ipv4>, uint32_t>(
            [&](Ptr<const Packet> p, Ptr<Ipv4>, uint32_t) {
                Ptr<Packet> q = p->Copy();
                Ipv4Header ip;
                q->RemoveHeader(ip);
                UdpHeader udp;
                if (ip.GetProtocol() == 17 && q->PeekHeader(udp) &&
                    udp.GetDestinationPort() == 40000)
                {
                    ++clear;
                }
                else if (ip.GetProtocol() == 50 || ip.GetProtocol() == 51)
                {
                    ++protectedPackets;
                    if (firstProtected.IsNegative())
                    {
                        firstProtected = Simulator::Now();
                    }
                }
            }));

    // The longest silence in the voice Alice hears: the outage as she notices it.
    Time lastVoice(-1);
    Time gapStart(0);
    Time gap(0);
    alice->TraceConnectWithoutContext(
        "VoipRx",
        Callback<void, Ipv4Address, Time, uint16_t>([&](Ipv4Address, Time, uint16_t) {
            Time now = Simulator::Now();
            if (!lastVoice.IsNegative() && now - lastVoice > gap)
            {
                gap = now - lastVoice;
                gapStart = lastVoice;
            }
            lastVoice = now;
        }));

    // 5. Bob calls Alice once her laptop has an address.
    Simulator::Schedule(Seconds(1), [&]() {
        At() << "Bob (" << bob << ", office LAN) calls Alice at " << aliceAddress << "\n";
        bobApp->Connect(aliceAddress);
    });
    Simulator::Stop(arrival + Seconds(3));
    Simulator::Run();

    std::cout << "\nAlice walked at " << speed << " m/s and reached the cafe at "
              << arrival.GetSeconds() << " s.\n";
    // The outage as Alice hears it, and where it goes.
    Time resumed = gapStart + gap;
    std::cout << "voice to Alice silent for " << gap.GetMilliSeconds()
              << " ms (t=" << gapStart.GetSeconds() << "s to " << resumed.GetSeconds() << "s)";
    if (!lostAp.IsNegative() && !newLease.IsNegative() && lostAp > gapStart)
    {
        std::cout << ": " << (lostAp - gapStart).GetMilliSeconds()
                  << " ms until the laptop gives up the office AP (missed beacons), "
                  << (newLease - lostAp).GetMilliSeconds()
                  << " ms to associate with the cafe AP and get the lease, "
                  << (resumed - newLease).GetMilliSeconds()
                  << " ms to move the call (and negotiate SAs)";
    }
    std::cout << "\n";
    if (!firstProtected.IsNegative())
    {
        std::cout << "first protected packet to the cafe address at t="
                  << firstProtected.GetSeconds() << "s\n";
    }
    std::cout << "Bob's policy for Alice at the cafe (" << aliceAddress << "): ";
    bool any = false;
    for (const auto& p : bobSpd->GetEntries(PolicyDirection::OUT))
    {
        if (p.destination.IsHost() && p.destination.address == aliceAddress)
        {
            std::cout << SetkeyParser::Print(p) << "\n";
            any = true;
        }
    }
    if (!any)
    {
        std::cout << "(none registered)\n";
    }
    std::cout << "voice to Alice over the cafe's air: " << protectedPackets << " protected, "
              << clear << " in clear\n";
    if (verbose)
    {
        for (auto [name, app] : {std::make_pair("Alice", alice), std::make_pair("Bob", bobApp)})
        {
            std::cout << "\n=== " << name << "'s decision log ===\n";
            for (const auto& line : app->GetDecisionLog())
            {
                std::cout << "  " << line << "\n";
            }
        }
    }
    Simulator::Destroy();
    return 0;
}
