/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Simulation cost of the IPsec layer: the same 2-node UDP flow (default 1,000,000 packets of
// 160 bytes) run four ways in one process, wall-clock timed:
//   plain    ns-3 without presec
//   bypass   presec installed, every packet matches a `none` policy
//   modeled  ESP AES-GCM-16, modeled crypto (exact sizes, keyed tag)
//   real     ESP AES-GCM-16, OpenSSL crypto
// Targets: bypass <= 1.10x plain, modeled <= 1.5x plain.
//
//   ./presec bench ipsec-overhead [--packets=N]

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/internet-module.h"
#include "ns3/ipsec-helper.h"
#include "ns3/network-module.h"

#include <chrono>
#include <iomanip>
#include <iostream>

using namespace ns3;

namespace
{

const char* const kSas = "add 192.168.1.1 192.168.1.2 esp 0x1001 -m transport -r 8 "
                         "-E aes-gcm-16 0x00112233445566778899aabbccddeeff01020304;\n"
                         "add 192.168.1.2 192.168.1.1 esp 0x2001 -m transport -r 8 "
                         "-E aes-gcm-16 0x00112233445566778899aabbccddeeff01020304;\n";

/// Run one configuration; returns wall seconds and the packets received.
std::pair<double, uint64_t>
Run(const std::string& mode, uint32_t packets)
{
    NodeContainer nodes;
    nodes.Create(2);
    CsmaHelper csma;
    csma.SetChannelAttribute("DataRate", StringValue("1Gbps"));
    NetDeviceContainer devices = csma.Install(nodes);
    InternetStackHelper().Install(nodes);
    Ipv4InterfaceContainer ifs = Ipv4AddressHelper("192.168.1.0", "255.255.255.0").Assign(devices);
    if (mode != "plain")
    {
        IpsecHelper ipsec;
        ipsec.SetLayerAttribute("CryptoMode", StringValue(mode == "real" ? "real" : "modeled"));
        ipsec.Install(nodes);
        std::string action = mode == "bypass" ? "none" : "ipsec esp/transport//require";
        std::string a =
            std::string(kSas) + "spdadd 192.168.1.1 192.168.1.2 udp -P out " + action + ";\n";
        std::string b =
            std::string(kSas) + "spdadd 192.168.1.1 192.168.1.2 udp -P in " + action + ";\n";
        NS_ABORT_UNLESS(IpsecHelper::LoadSetkey(nodes.Get(0), a).empty());
        NS_ABORT_UNLESS(IpsecHelper::LoadSetkey(nodes.Get(1), b).empty());
    }
    UdpServerHelper server(4000);
    ApplicationContainer serverApp = server.Install(nodes.Get(1));
    UdpClientHelper client(ifs.GetAddress(1), 4000);
    client.SetAttribute("MaxPackets", UintegerValue(packets));
    client.SetAttribute("Interval", TimeValue(MicroSeconds(20)));
    client.SetAttribute("PacketSize", UintegerValue(160));
    client.Install(nodes.Get(0)).Start(Seconds(0.1));
    Simulator::Stop(Seconds(0.2) + MicroSeconds(20) * packets);

    auto start = std::chrono::steady_clock::now();
    Simulator::Run();
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    uint64_t received = DynamicCast<UdpServer>(serverApp.Get(0))->GetReceived();
    Simulator::Destroy();
    return {wall, received};
}

} // namespace

int
main(int argc, char* argv[])
{
    uint32_t packets = 1000000;
    CommandLine cmd(__FILE__);
    cmd.AddValue("packets", "packets per configuration", packets);
    cmd.Parse(argc, argv);

    std::cout << std::fixed << std::setprecision(3);
    double plain = 0;
    for (const char* mode : {"plain", "bypass", "modeled", "real"})
    {
        auto [wall, received] = Run(mode, packets);
        if (plain == 0)
        {
            plain = wall;
        }
        std::cout << std::left << std::setw(8) << mode << " " << wall << " s  " << std::setw(7)
                  << wall / plain << "x plain  received " << received << "/" << packets << "\n";
    }
    return 0;
}
