/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// TamperErrorModel: an active attacker on the receiver's link. Every protected packet it
// changes must be caught by the integrity check (and none accepted); clear packets it changes
// are accepted, which is the point of the comparison.

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/internet-module.h"
#include "ns3/ipsec-drop-reason.h"
#include "ns3/ipsec-helper.h"
#include "ns3/ipsec-layer.h"
#include "ns3/network-module.h"
#include "ns3/tamper-error-model.h"

#include <gtest/gtest.h>

using namespace ns3;

namespace
{

struct Result
{
    uint32_t served{0};
    uint64_t tamperedProtected{0};
    uint64_t tamperedClear{0};
    uint64_t badIcv{0};
};

/// 200 UDP echo requests from .1 to .2 under the given policy; the tamperer sits on .2's link.
Result
RunEcho(const std::string& action, const std::string& cryptoMode, double probability)
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(7);
    NodeContainer nodes;
    nodes.Create(2);
    CsmaHelper csma;
    NetDeviceContainer dev = csma.Install(nodes);
    InternetStackHelper().Install(nodes);
    Ipv4InterfaceContainer ifs = Ipv4AddressHelper("192.168.1.0", "255.255.255.0").Assign(dev);
    IpsecHelper ipsec;
    ipsec.SetLayerAttribute("CryptoMode", StringValue(cryptoMode));
    ipsec.Install(nodes);
    std::string sas = "add 192.168.1.1 192.168.1.2 esp 0x1001 -m transport -r 8 -E aes-cbc "
                      "0x000102030405060708090a0b0c0d0e0f -A hmac-sha1 "
                      "0x101112131415161718191a1b1c1d1e1f20212223;\n"
                      "add 192.168.1.2 192.168.1.1 esp 0x2001 -m transport -r 8 -E aes-cbc "
                      "0x000102030405060708090a0b0c0d0e0f -A hmac-sha1 "
                      "0x101112131415161718191a1b1c1d1e1f20212223;\n";
    for (uint32_t i = 0; i < 2; ++i)
    {
        std::string self = i ? "192.168.1.2" : "192.168.1.1";
        std::string peer = i ? "192.168.1.1" : "192.168.1.2";
        std::string text = sas + "spdadd " + self + " " + peer + " any -P out " + action +
                           ";\nspdadd " + peer + " " + self + " any -P in " + action + ";\n";
        EXPECT_EQ(IpsecHelper::LoadSetkey(nodes.Get(i), text), "");
    }
    auto tamperer = CreateObject<TamperErrorModel>();
    tamperer->SetAttribute("Probability", DoubleValue(probability));
    tamperer->AssignStreams(1);
    dev.Get(1)->SetAttribute("ReceiveErrorModel", PointerValue(tamperer));
    Result r;
    UdpEchoServerHelper server(9);
    ApplicationContainer srv = server.Install(nodes.Get(1));
    srv.Get(0)->TraceConnectWithoutContext(
        "Rx",
        Callback<void, Ptr<const Packet>>([&r](Ptr<const Packet>) { ++r.served; }));
    UdpEchoClientHelper client(ifs.GetAddress(1), 9);
    client.SetAttribute("MaxPackets", UintegerValue(200));
    client.SetAttribute("Interval", TimeValue(MilliSeconds(5)));
    client.SetAttribute("PacketSize", UintegerValue(120));
    client.Install(nodes.Get(0)).Start(Seconds(0.5));
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    r.tamperedProtected = tamperer->GetTamperedProtected();
    r.tamperedClear = tamperer->GetTamperedClear();
    r.badIcv = nodes.Get(1)->GetObject<IpsecLayer>()->GetDrops(IpsecDropReason::BAD_ICV);
    Simulator::Destroy();
    return r;
}

} // namespace

class TamperTest : public ::testing::TestWithParam<const char*>
{
};

TEST_P(TamperTest, EveryTamperedProtectedPacketIsDetected)
{
    Result r = RunEcho("ipsec esp/transport//require", GetParam(), 0.3);
    EXPECT_GT(r.tamperedProtected, 20u);
    EXPECT_EQ(r.tamperedClear, 0u);
    EXPECT_EQ(r.badIcv, r.tamperedProtected) << "a tampered packet was accepted";
    EXPECT_EQ(r.served + r.tamperedProtected, 200u);
}

TEST_P(TamperTest, TamperedClearPacketsAreAccepted)
{
    Result r = RunEcho("none", GetParam(), 0.3);
    EXPECT_GT(r.tamperedClear, 20u);
    EXPECT_EQ(r.tamperedProtected, 0u);
    EXPECT_EQ(r.badIcv, 0u);
    EXPECT_EQ(r.served, 200u) << "without integrity protection every changed packet is served";
}

TEST_P(TamperTest, ProbabilityZeroChangesNothing)
{
    Result r = RunEcho("ipsec esp/transport//require", GetParam(), 0.0);
    EXPECT_EQ(r.tamperedProtected + r.tamperedClear, 0u);
    EXPECT_EQ(r.served, 200u);
}

INSTANTIATE_TEST_SUITE_P(CryptoModes, TamperTest, ::testing::Values("modeled", "real"));
