/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// SPD lookup cost against database size. Each database holds N per-peer entries (one host
// each, as the apparatus registers them) plus the usual handful of wildcard entries (SIP and
// IKE bypass, a default). Target: the 10,000-entry lookup costs at most 2x the 10-entry one.
//
//   ./presec bench spd

#include "ns3/security-policy-database.h"

#include <benchmark/benchmark.h>
#include <random>

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

void
BM_SpdLookup(benchmark::State& state)
{
    int peers = static_cast<int>(state.range(0));
    auto spd = MakeDatabase(peers);
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

} // namespace

BENCHMARK(BM_SpdLookup)->Arg(10)->Arg(1000)->Arg(10000);
BENCHMARK(BM_SpdLookupLinear)->Arg(10)->Arg(1000)->Arg(10000);
BENCHMARK_MAIN();
