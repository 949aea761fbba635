/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Simulation cost of the IPsec layer: the same 2-node UDP flow (default 1,000,000 packets of
// 160 bytes) run four ways in one process, wall-clock timed:
//   plain    ns-3 without presec
//   bypass   presec installed, every packet matches a `none` policy
//   modeled  ESP AES-GCM-16, modeled crypto (exact sizes, keyed tag)
//   real     ESP AES-GCM-16, OpenSSL crypto
// The four run interleaved, several rounds in rotating order (round r starts at configuration
// r mod 4), so a machine whose speed drifts (shared cores, turbo, other builds) slows every
// configuration alike. Each round's ratio to that round's plain run is printed, and the median
// of those ratios is judged against the targets: bypass <= 1.05x plain, modeled <= 1.25x,
// real <= 1.35x. Exit status 1 if a target fails or a packet is lost.
//
//   ./presec bench ipsec-overhead [--packets=N] [--rounds=R]

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/internet-module.h"
#include "ns3/ipsec-helper.h"
#include "ns3/network-module.h"
#include "ns3/ns3-attribute-text.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <iomanip>
#include <iostream>
#include <vector>

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
    // ARP's request jitter (up to 10 ms) would drop the first few hundred packets, a different
    // number per configuration; without it the flow starts after one round trip, loss-free.
    Config::SetDefault("ns3::ArpL3Protocol::RequestJitter",
                       StringValue("ns3::ConstantRandomVariable[Constant=0.0]"));
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

/**
 * \param v values (copied: sorted here)
 * \return their median
 */
double
Median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

} // namespace

int
main(int argc, char* argv[])
{
    uint32_t packets = 1000000;
    uint32_t rounds = 5;
    CommandLine cmd(__FILE__);
    cmd.AddValue("packets", "packets per configuration and round", packets);
    cmd.AddValue("rounds", "rounds of the four configurations, in rotating order", rounds);
    std::string only;
    cmd.AddValue("only", "run just this configuration once (for a profiler)", only);
    if (!ns3text::ParseCommandLine(cmd, argc, argv))
    {
        return 1;
    }
    if (!only.empty())
    {
        auto [seconds, received] = Run(only, packets);
        std::cout << only << " " << seconds << " s, received " << received << "/" << packets
                  << "\n";
        return received == packets ? 0 : 1;
    }

    const std::array<const char*, 4> modes = {"plain", "bypass", "modeled", "real"};
    const std::array<double, 4> targets = {1.0, 1.05, 1.25, 1.35};
    std::vector<std::array<double, 4>> wall(rounds);
    bool lost = false;
    std::cout << std::fixed << std::setprecision(3);
    for (uint32_t r = 0; r < rounds; ++r)
    {
        std::cout << "round " << r + 1 << ":";
        for (size_t k = 0; k < modes.size(); ++k)
        {
            size_t m = (r + k) % modes.size();
            auto [seconds, received] = Run(modes[m], packets);
            wall[r][m] = seconds;
            std::cout << "  " << modes[m] << " " << seconds << " s";
            if (received != packets)
            {
                std::cout << " (received " << received << "/" << packets << ")";
                lost = true;
            }
        }
        std::cout << std::endl; // a round at a time, for whoever watches a long run
    }

    std::cout << "\nratio to plain, per round, and the median:\n";
    bool pass = !lost;
    for (size_t m = 1; m < modes.size(); ++m)
    {
        std::vector<double> ratios;
        std::cout << std::left << std::setw(8) << modes[m] << std::right;
        for (uint32_t r = 0; r < rounds; ++r)
        {
            ratios.push_back(wall[r][m] / wall[r][0]);
            std::cout << " " << ratios.back();
        }
        double median = Median(ratios);
        bool ok = median <= targets[m];
        pass = pass && ok;
        std::cout << "  median " << median << "x  target <= " << std::setprecision(2) << targets[m]
                  << "x  " << (ok ? "PASS" : "FAIL") << std::setprecision(3) << "\n";
    }
    std::vector<double> plain;
    for (uint32_t r = 0; r < rounds; ++r)
    {
        plain.push_back(wall[r][0]);
    }
    std::cout << "plain median " << Median(plain) << " s for " << packets << " packets ("
              << Median(plain) / packets * 1e9 << " ns/packet)"
              << (lost ? "; packets were lost" : "") << "\n";
    return pass ? 0 : 1;
}
