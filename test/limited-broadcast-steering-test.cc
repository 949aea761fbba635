/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// LimitedBroadcastSteering: a multi-homed node's broadcast from 0.0.0.0 (a DHCP Discover)
// leaves by the interface without an address only, not by every interface as ns-3's
// Ipv4L3Protocol sends it.

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/limited-broadcast-steering.h"
#include "ns3/network-module.h"

#include <gtest/gtest.h>
#include <vector>

using namespace ns3;

namespace
{

/// A node with a wired-like interface (10.0.0.1/24), a radio-like one without an address yet
/// (0.0.0.0/0, as DhcpClient leaves it) and an undocked wired one (down, with the placeholder
/// 0.0.0.0/0), each on a channel of its own; a socket bound to the second sends a limited
/// broadcast from 0.0.0.0. Returns the IPv4 packets sent per interface (0: loopback, 1: the
/// addressed one, 2: the address-less one, 3: the one that is down).
std::vector<uint32_t>
BroadcastFromAnAddresslessInterface(bool steer, uint32_t& steered)
{
    Ptr<Node> node = CreateObject<Node>();
    InternetStackHelper().Install(node);
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    std::vector<Ptr<SimpleNetDevice>> devs;
    for (int k = 0; k < 3; ++k)
    {
        auto dev = CreateObject<SimpleNetDevice>();
        dev->SetAddress(Mac48Address::Allocate());
        dev->SetChannel(CreateObject<SimpleChannel>());
        node->AddDevice(dev);
        uint32_t i = ipv4->AddInterface(dev);
        ipv4->AddAddress(i,
                         k == 0 ? Ipv4InterfaceAddress("10.0.0.1", "255.255.255.0")
                                : Ipv4InterfaceAddress(Ipv4Address::GetAny(), Ipv4Mask("/0")));
        if (k < 2)
        {
            ipv4->SetUp(i);
        }
        devs.push_back(dev);
    }
    Ptr<LimitedBroadcastSteering> steering;
    if (steer)
    {
        steering = LimitedBroadcastSteering::Install(node);
    }
    std::vector<uint32_t> sent(ipv4->GetNInterfaces(), 0);
    ipv4->TraceConnectWithoutContext(
        "Tx",
        Callback<void, Ptr<const Packet>, Ptr<Ipv4>, uint32_t>(
            [&sent](Ptr<const Packet>, Ptr<Ipv4>, uint32_t i) { ++sent.at(i); }));
    Ptr<Socket> s = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
    s->SetAllowBroadcast(true);
    s->BindToNetDevice(devs[1]);
    s->Bind(InetSocketAddress(Ipv4Address::GetAny(), 68));
    Simulator::Schedule(Seconds(1), [s]() {
        s->SendTo(Create<Packet>(300), 0, InetSocketAddress(Ipv4Address::GetBroadcast(), 67));
    });
    Simulator::Run();
    steered = steering ? uint32_t(steering->GetStats().steered) : 0;
    Simulator::Destroy();
    return sent;
}

} // namespace

TEST(LimitedBroadcastSteering, ADiscoverFromAnAddresslessRadioStaysOffTheWiredInterface)
{
    uint32_t steered = 0;
    // ns-3 alone: out of every interface, loopback included (what the steering is for; if a
    // later ns-3 stops doing so, this says the steering may go).
    EXPECT_EQ(BroadcastFromAnAddresslessInterface(false, steered),
              (std::vector<uint32_t>{1, 1, 1, 0}));
    EXPECT_EQ(BroadcastFromAnAddresslessInterface(true, steered),
              (std::vector<uint32_t>{0, 0, 1, 0}));
    EXPECT_EQ(steered, 1u);
}
