/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// The routers' shortcuts past ns-3.37's per-packet walks. WeakHostRouting: a router on the
// strong host model plus one table lookup delivers what the weak model delivers (its other
// interfaces' addresses and subnet broadcasts) and forwards the rest. StaticRouteCache:
// forwards as Ipv4StaticRouting does, and sees the table change.

#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/static-route-cache.h"
#include "ns3/weak-host-routing.h"

#include <gtest/gtest.h>
#include <map>

using namespace ns3;

namespace
{

const uint16_t kPort = 9000;

/// A router between three LANs 10.0.j.0/24 (router .1, one host .2 each); every node
/// counts the UDP datagrams reaching port kPort, by destination address.
struct ThreeLans
{
    NodeContainer router;
    NodeContainer hosts;
    std::vector<Ipv4Address> routerAddr;
    std::vector<Ipv4Address> hostAddr;
    std::map<uint32_t, std::map<uint32_t, int>> got; //!< node id -> destination -> datagrams
    Ptr<WeakHostRouting> weak;
    Ptr<StaticRouteCache> cache;

    explicit ThreeLans(bool installWeak, bool installCache = false)
    {
        router.Create(1);
        hosts.Create(3);
        InternetStackHelper stack;
        stack.Install(router);
        stack.Install(hosts);
        if (installWeak)
        {
            weak = WeakHostRouting::Install(router.Get(0));
        }
        if (installCache)
        {
            cache = StaticRouteCache::Install(router.Get(0));
        }
        for (uint32_t j = 0; j < 3; ++j)
        {
            NetDeviceContainer d = CsmaHelper().Install(NodeContainer(router.Get(0), hosts.Get(j)));
            std::string net = "10.0." + std::to_string(j) + ".0";
            Ipv4InterfaceContainer ifc = Ipv4AddressHelper(net.c_str(), "255.255.255.0").Assign(d);
            routerAddr.push_back(ifc.GetAddress(0));
            hostAddr.push_back(ifc.GetAddress(1));
            Ipv4StaticRoutingHelper()
                .GetStaticRouting(hosts.Get(j)->GetObject<Ipv4>())
                ->SetDefaultRoute(ifc.GetAddress(0), 1);
        }
        NodeContainer all(router, hosts);
        for (auto it = all.Begin(); it != all.End(); ++it)
        {
            Ptr<Socket> s = Socket::CreateSocket(*it, UdpSocketFactory::GetTypeId());
            s->Bind(InetSocketAddress(Ipv4Address::GetAny(), kPort));
            s->SetAllowBroadcast(true);
            s->SetRecvPktInfo(true);
            uint32_t id = (*it)->GetId();
            s->SetRecvCallback(Callback<void, Ptr<Socket>>([this, id](Ptr<Socket> sock) {
                while (Ptr<Packet> p = sock->Recv())
                {
                    Ipv4PacketInfoTag info;
                    NS_ABORT_IF(!p->RemovePacketTag(info));
                    ++got[id][info.GetAddress().Get()];
                }
            }));
        }
    }

    /// Host 0 sends one datagram to \p to at \p at seconds.
    void SendFromHost0(double at, Ipv4Address to)
    {
        Simulator::Schedule(Seconds(at), [this, to]() {
            Ptr<Socket> s = Socket::CreateSocket(hosts.Get(0), UdpSocketFactory::GetTypeId());
            s->SetAllowBroadcast(true);
            s->SendTo(Create<Packet>(100), 0, InetSocketAddress(to, kPort));
            s->Close();
        });
    }

    int Got(Ptr<Node> node, Ipv4Address to)
    {
        return got[node->GetId()][to.Get()];
    }
};

} // namespace

TEST(WeakHostRouting, TheRouterTakesItsOtherInterfacesAddressesAndForwardsTheRest)
{
    ThreeLans net(true);
    net.SendFromHost0(1.0, net.routerAddr[0]);         // the interface it arrives on
    net.SendFromHost0(1.1, net.routerAddr[2]);         // another interface
    net.SendFromHost0(1.2, Ipv4Address("10.0.1.255")); // another subnet's broadcast
    net.SendFromHost0(1.3, net.hostAddr[2]);           // through the router
    net.SendFromHost0(1.4, net.hostAddr[1]);           // through the router
    Simulator::Stop(Seconds(3));
    Simulator::Run();

    Ptr<Node> r = net.router.Get(0);
    EXPECT_EQ(net.Got(r, net.routerAddr[0]), 1);
    EXPECT_EQ(net.Got(r, net.routerAddr[2]), 1);
    EXPECT_EQ(net.Got(r, Ipv4Address("10.0.1.255")), 1);
    EXPECT_EQ(net.Got(net.hosts.Get(2), net.hostAddr[2]), 1);
    EXPECT_EQ(net.Got(net.hosts.Get(1), net.hostAddr[1]), 1);
    EXPECT_EQ(net.Got(net.hosts.Get(1), Ipv4Address("10.0.1.255")), 0); // not forwarded
    BooleanValue weakEs;
    r->GetObject<Ipv4L3Protocol>()->GetAttribute("WeakEsModel", weakEs);
    EXPECT_FALSE(weakEs.Get());
    EXPECT_TRUE(net.weak->IsLocal(net.routerAddr[1]));
    EXPECT_FALSE(net.weak->IsLocal(net.hostAddr[1]));
    Simulator::Destroy();
}

TEST(WeakHostRouting, AnAddressAddedLaterIsLocalAndARemovedOneIsNot)
{
    ThreeLans net(true);
    Ptr<Ipv4> ipv4 = net.router.Get(0)->GetObject<Ipv4>();
    Simulator::Schedule(Seconds(0.5), [ipv4]() {
        ipv4->AddAddress(3, Ipv4InterfaceAddress("10.0.9.1", "255.255.255.0"));
        ipv4->RemoveAddress(2, 0); // 10.0.1.1
    });
    net.SendFromHost0(1.0, Ipv4Address("10.0.9.1"));
    Simulator::Stop(Seconds(3));
    Simulator::Run();

    EXPECT_EQ(net.Got(net.router.Get(0), Ipv4Address("10.0.9.1")), 1);
    EXPECT_TRUE(net.weak->IsLocal(Ipv4Address("10.0.9.1")));
    EXPECT_FALSE(net.weak->IsLocal(net.routerAddr[1]));
    Simulator::Destroy();
}

// The reference: ns-3's own weak model (no WeakHostRouting) gives the same deliveries.
TEST(WeakHostRouting, DeliversWhatNs3sWeakModelDelivers)
{
    for (bool installWeak : {false, true})
    {
        ThreeLans net(installWeak);
        net.SendFromHost0(1.0, net.routerAddr[2]);
        net.SendFromHost0(1.1, Ipv4Address("10.0.2.255"));
        net.SendFromHost0(1.2, net.hostAddr[2]);
        Simulator::Stop(Seconds(3));
        Simulator::Run();
        Ptr<Node> r = net.router.Get(0);
        EXPECT_EQ(net.Got(r, net.routerAddr[2]), 1) << installWeak;
        EXPECT_EQ(net.Got(r, Ipv4Address("10.0.2.255")), 1) << installWeak;
        EXPECT_EQ(net.Got(net.hosts.Get(2), net.hostAddr[2]), 1) << installWeak;
        EXPECT_EQ(net.Got(net.hosts.Get(2), Ipv4Address("10.0.2.255")), 0) << installWeak;
        Simulator::Destroy();
    }
}

TEST(StaticRouteCache, ForwardsAsTheStaticRoutingDoesAndRemembersEachDestination)
{
    for (bool installCache : {false, true})
    {
        ThreeLans net(true, installCache);
        net.SendFromHost0(1.0, net.hostAddr[1]);
        net.SendFromHost0(1.1, net.hostAddr[2]);
        net.SendFromHost0(1.2, net.hostAddr[2]);
        net.SendFromHost0(1.3, net.routerAddr[2]);       // local: not the cache's
        net.SendFromHost0(1.4, Ipv4Address("10.0.7.9")); // no route
        Simulator::Stop(Seconds(3));
        Simulator::Run();
        EXPECT_EQ(net.Got(net.hosts.Get(1), net.hostAddr[1]), 1) << installCache;
        EXPECT_EQ(net.Got(net.hosts.Get(2), net.hostAddr[2]), 2) << installCache;
        EXPECT_EQ(net.Got(net.router.Get(0), net.routerAddr[2]), 1) << installCache;
        if (installCache)
        {
            EXPECT_EQ(net.cache->GetNCached(), 3u); // two hosts, and the one without a route
        }
        Simulator::Destroy();
    }
}

// A route added during the run changes the table's size: the cache starts over and the new,
// longer prefix wins, as in Ipv4StaticRouting.
TEST(StaticRouteCache, ARouteAddedDuringTheRunIsFollowed)
{
    ThreeLans net(true, true);
    Ptr<Ipv4StaticRouting> rt =
        Ipv4StaticRoutingHelper().GetStaticRouting(net.router.Get(0)->GetObject<Ipv4>());
    // 10.0.5.0/24 lives behind host 2 (a router of its own would, here host 2 just counts).
    Simulator::Schedule(Seconds(0.5), [rt, &net]() {
        rt->AddNetworkRouteTo("10.0.5.0", "255.255.255.0", net.hostAddr[2], 3);
    });
    net.SendFromHost0(1.0, Ipv4Address("10.0.5.7")); // to host 2's MAC, not its address
    Simulator::Schedule(Seconds(1.5), [rt, &net]() {
        rt->AddNetworkRouteTo("10.0.5.7", "255.255.255.255", net.hostAddr[1], 2);
    });
    net.SendFromHost0(2.0, Ipv4Address("10.0.5.7"));
    Ptr<Node> h1 = net.hosts.Get(1);
    Ptr<Node> h2 = net.hosts.Get(2);
    uint32_t atHost1 = 0;
    uint32_t atHost2 = 0;
    // Hosts that do not forward drop what is not theirs: count it at IP's receive trace.
    h1->GetObject<Ipv4>()->SetAttribute("IpForward", BooleanValue(false));
    h2->GetObject<Ipv4>()->SetAttribute("IpForward", BooleanValue(false));
    h1->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
        "Rx",
        MakeCallback(+[](uint32_t* n, Ptr<const Packet>, Ptr<Ipv4>, uint32_t) {
            ++*n;
        }).Bind(&atHost1));
    h2->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
        "Rx",
        MakeCallback(+[](uint32_t* n, Ptr<const Packet>, Ptr<Ipv4>, uint32_t) {
            ++*n;
        }).Bind(&atHost2));
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    EXPECT_EQ(atHost2, 1u); // the /24 at 1 s
    EXPECT_EQ(atHost1, 1u); // the /32 at 2 s
    Simulator::Destroy();
}
