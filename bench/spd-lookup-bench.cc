/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// SPD lookup cost against database size. Each database holds N per-peer entries (one host
// each, as the apparatus registers them) plus the usual handful of wildcard entries (SIP and
// IKE bypass, a default). Google Benchmark's table first; then the judged figure: the 10-,
// 1,000- and 10,000-entry databases timed interleaved, several rounds in rotating order, and
// the median over rounds of (10,000-entry time / 10-entry time). Target: <= 1.2x. Exit
// status 1 if it fails.
//
//   ./presec bench spd [--rounds=R] [--lookups=N] [Google Benchmark options]

#include "ns3/security-policy-database.h"

#include <algorithm>
#include <array>
#include <benchmark/benchmark.h>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iomanip>
#include <iostream>
#include <random>
#include <string>

using namespace ns3;

namespace
{

Ptr<SecurityPolicyDatabase>
MakeDatabase(int peers)
{
    auto spd = CreateObject<SecurityPolicyDatabase>();
    Ipv4Address self("192.168.1.1");
    for (uint16_t port : {5060, 500})
    {
        SecurityPolicy bypass;
        bypass.source = AddressRange::Prefix(Ipv4Address::GetAny(), 0);
        bypass.destination = AddressRange::Prefix(Ipv4Address::GetAny(), 0);
        bypass.destination.port = port;
        bypass.upper.number = 17;
        bypass.priority = -10;
        spd->Add(bypass);
    }
    for (int i = 0; i < peers; ++i)
    {
        SecurityPolicy p;
        p.source = AddressRange::Host(self);
        p.destination = AddressRange::Host(Ipv4Address((10u << 24) + 1 + i));
        p.upper.number = 17;
        p.action = i % 2 ? PolicyAction::NONE : PolicyAction::IPSEC;
        if (p.action == PolicyAction::IPSEC)
        {
            IpsecRequest r;
            r.level = IpsecLevel::REQUIRE;
            p.requests.push_back(r);
        }
        spd->Add(p);
    }
    SecurityPolicy def;
    def.source = AddressRange::Prefix(Ipv4Address::GetAny(), 0);
    def.destination = AddressRange::Prefix(Ipv4Address::GetAny(), 0);
    def.priority = 100;
    spd->Add(def);
    return spd;
}

/// 4096 outbound selectors to random peers of a database of \p peers.
std::vector<PacketSelector>
MakePackets(int peers)
{
    std::mt19937 rng(1);
    std::vector<PacketSelector> packets;
    for (int i = 0; i < 4096; ++i)
    {
        packets.push_back(PacketSelector{Ipv4Address("192.168.1.1"),
                                         Ipv4Address((10u << 24) + 1 + rng() % peers),
                                         17,
                                         40000,
                                         40000});
    }
    return packets;
}

void
BM_SpdLookup(benchmark::State& state)
{
    int peers = static_cast<int>(state.range(0));
    auto spd = MakeDatabase(peers);
    std::vector<PacketSelector> packets = MakePackets(peers);
    size_t k = 0;
    for (auto _ : state)
    {
        benchmark::DoNotOptimize(spd->Lookup(PolicyDirection::OUT, packets[k++ & 4095]));
    }
    state.SetLabel(std::to_string(spd->GetN()) + " entries");
}

void
BM_SpdLookupLinear(benchmark::State& state)
{
    int peers = static_cast<int>(state.range(0));
    auto spd = MakeDatabase(peers);
    PacketSelector s{Ipv4Address("192.168.1.1"), Ipv4Address((10u << 24) + peers), 17, 1, 1};
    for (auto _ : state)
    {
        benchmark::DoNotOptimize(spd->LookupLinear(PolicyDirection::OUT, s));
    }
}

/// Seconds for \p lookups lookups in \p spd, cycling through \p packets.
double
TimeLookups(const SecurityPolicyDatabase& spd,
            const std::vector<PacketSelector>& packets,
            uint32_t lookups)
{
    auto start = std::chrono::steady_clock::now();
    for (uint32_t k = 0; k < lookups; ++k)
    {
        benchmark::DoNotOptimize(spd.Lookup(PolicyDirection::OUT, packets[k & 4095]));
    }
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// The judged comparison; \return true if it passes.
bool
InterleavedRatio(uint32_t rounds, uint32_t lookups)
{
    const std::array<int, 3> sizes = {10, 1000, 10000};
    std::array<Ptr<SecurityPolicyDatabase>, 3> spds;
    std::array<std::vector<PacketSelector>, 3> packets;
    for (size_t i = 0; i < sizes.size(); ++i)
    {
        spds[i] = MakeDatabase(sizes[i]);
        packets[i] = MakePackets(sizes[i]);
        TimeLookups(*spds[i], packets[i], lookups / 10); // warm caches and the branch predictor
    }
    std::cout << std::fixed << std::setprecision(2) << "\n"
              << lookups << " lookups per database and round, ns/lookup:\n";
    std::vector<double> ratios1000;
    std::vector<double> ratios10000;
    for (uint32_t r = 0; r < rounds; ++r)
    {
        std::array<double, 3> t{};
        std::cout << "round " << r + 1 << ":";
        for (size_t k = 0; k < sizes.size(); ++k)
        {
            size_t i = (r + k) % sizes.size();
            t[i] = TimeLookups(*spds[i], packets[i], lookups);
            std::cout << "  " << spds[i]->GetN() << " entries " << t[i] / lookups * 1e9;
        }
        ratios1000.push_back(t[1] / t[0]);
        ratios10000.push_back(t[2] / t[0]);
        std::cout << "  ratios " << ratios1000.back() << " " << ratios10000.back() << "\n";
    }
    auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        size_t n = v.size();
        return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    };
    double m = median(ratios10000);
    bool ok = m <= 1.2;
    std::cout << "median ratio to the 10-entry lookup: 1,000 entries " << median(ratios1000)
              << "x; 10,000 entries " << m << "x  target <= 1.20x  " << (ok ? "PASS" : "FAIL")
              << "\n";
    return ok;
}

} // namespace

BENCHMARK(BM_SpdLookup)->Arg(10)->Arg(1000)->Arg(10000);
BENCHMARK(BM_SpdLookupLinear)->Arg(10)->Arg(1000)->Arg(10000);

int
main(int argc, char** argv)
{
    // Our own options first; Google Benchmark rejects what it does not know.
    uint32_t rounds = 7;
    uint32_t lookups = 2000000;
    std::vector<char*> rest;
    for (int i = 0; i < argc; ++i)
    {
        if (std::strncmp(argv[i], "--rounds=", 9) == 0)
        {
            rounds = static_cast<uint32_t>(std::strtoul(argv[i] + 9, nullptr, 10));
        }
        else if (std::strncmp(argv[i], "--lookups=", 10) == 0)
        {
            lookups = static_cast<uint32_t>(std::strtoul(argv[i] + 10, nullptr, 10));
        }
        else
        {
            rest.push_back(argv[i]);
        }
    }
    int n = static_cast<int>(rest.size());
    benchmark::Initialize(&n, rest.data());
    if (benchmark::ReportUnrecognizedArguments(n, rest.data()))
    {
        return 2;
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return InterleavedRatio(std::max(rounds, 1u), std::max(lookups, 4096u)) ? 0 : 1;
}
