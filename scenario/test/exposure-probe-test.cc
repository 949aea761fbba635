/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * What the eavesdropper reads: AH, ESP with NULL encryption, IPComp and IPIP authenticate,
 * compress or carry, they do not hide, so the data under them is exposure; encrypted ESP is
 * not. The sender's count of what it let out readable agrees. Real SAs, real
 * CSMA, a promiscuous station of ExposureMonitorHelper on the segment.
 */

#include "../../test/ipsec-test-fixture.h"

#include "ns3/csma-channel.h"
#include "ns3/exposure-monitor-helper.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-header.h"
#include "ns3/scenario-runner.h"
#include "ns3/scenario.h"
#include "ns3/socket.h"
#include "ns3/udp-socket-factory.h"

#include <gtest/gtest.h>
#include <string>
#include <vector>

using namespace ns3;
using namespace presec_test;

namespace
{

/// One arrangement between .1 and .2: its SAs and node 0's outbound / inbound actions.
struct Case
{
    const char* name;
    std::string sas;
    std::string out;
    std::string in;
    bool hidden; //!< an eavesdropper cannot read the data
};

std::vector<Case>
Cases()
{
    const std::string cbc = std::string("-E aes-cbc ") + kAesKey + " -A hmac-sha1 " + kSha1Key;
    const std::string null = std::string("-E null -A hmac-sha1 ") + kSha1Key;
    const std::string sha1 = std::string("-A hmac-sha1 ") + kSha1Key;
    const std::string t01 = "/tunnel/192.168.1.1-192.168.1.2/require";
    const std::string t10 = "/tunnel/192.168.1.2-192.168.1.1/require";
    return {
        {"plain", "", "", "", false},
        {"esp-cbc",
         SaPair("esp", cbc),
         "ipsec esp/transport//require",
         "ipsec esp/transport//require",
         true},
        {"esp-null",
         SaPair("esp", null),
         "ipsec esp/transport//require",
         "ipsec esp/transport//require",
         false},
        {"esp-null-tunnel",
         SaPair("esp", null, "tunnel"),
         "ipsec esp" + t01,
         "ipsec esp" + t10,
         false},
        {"esp-cbc-tunnel",
         SaPair("esp", cbc, "tunnel"),
         "ipsec esp" + t01,
         "ipsec esp" + t10,
         true},
        {"ah",
         SaPair("ah", sha1),
         "ipsec ah/transport//require",
         "ipsec ah/transport//require",
         false},
        {"ah-tunnel", SaPair("ah", sha1, "tunnel"), "ipsec ah" + t01, "ipsec ah" + t10, false},
        {"esp-cbc+ah",
         SaPair("esp", cbc) + SaPair("ah", sha1),
         "ipsec esp/transport//require ah/transport//require",
         "ipsec esp/transport//require ah/transport//require",
         true},
        {"esp-null+ah",
         SaPair("esp", null) + SaPair("ah", sha1),
         "ipsec esp/transport//require ah/transport//require",
         "ipsec esp/transport//require ah/transport//require",
         false},
        {"ipcomp",
         SaPair("ipcomp", "-C deflate"),
         "ipsec ipcomp/transport//require",
         "ipsec ipcomp/transport//require",
         false},
        {"ipcomp+ah",
         SaPair("ipcomp", "-C deflate") + SaPair("ah", sha1),
         "ipsec ipcomp/transport//require ah/transport//require",
         "ipsec ipcomp/transport//require ah/transport//require",
         false},
        {"ipcomp+esp-null",
         SaPair("ipcomp", "-C deflate") + SaPair("esp", null),
         "ipsec ipcomp/transport//require esp/transport//require",
         "ipsec ipcomp/transport//require esp/transport//require",
         false},
        {"ipcomp+esp-cbc",
         SaPair("ipcomp", "-C deflate") + SaPair("esp", cbc),
         "ipsec ipcomp/transport//require esp/transport//require",
         "ipsec ipcomp/transport//require esp/transport//require",
         true},
    };
}

/// What the monitor counted on the segment after n datagrams of `bytes` from .1 to .2.
struct Seen
{
    ExposureMonitor::NetworkStats net;
    uint32_t received{0};
    uint64_t senderReadableBytes{0}; //!< .1's PlainTx and ReadableTx: what it let out readable
    bool senderCompressed{false};    //!< IPComp shrank what .1 sent
};

Seen
SendAndWatch(const Case& c, bool tellSas, uint32_t n, uint32_t bytes)
{
    Segment s(2);
    s.LoadPair(c.sas, c.out, c.in);
    ExposureMonitorHelper exposure;
    Ptr<ExposureMonitor> monitor = exposure.GetMonitor();
    const uint32_t net = monitor->AddNetwork(false);
    monitor->SetTerminals(2);
    monitor->AddAddress(Ipv4Address("192.168.1.1"), 0);
    monitor->AddAddress(Ipv4Address("192.168.1.2"), 1);
    exposure.InstallCsma(net, DynamicCast<CsmaChannel>(s.devices.Get(0)->GetChannel()));
    if (tellSas)
    {
        exposure.SetEspSas(s.nodes);
    }
    Seen seen;
    uint64_t* readable = &seen.senderReadableBytes;
    auto count = Callback<void, Ptr<const Packet>, const Ipv4Header&>(
        [readable](Ptr<const Packet> p, const Ipv4Header&) { *readable += p->GetSize(); });
    s.Layer(0)->TraceConnectWithoutContext("PlainTx", count);
    s.Layer(0)->TraceConnectWithoutContext("ReadableTx", count);
    Ptr<Socket> rx = Socket::CreateSocket(s.nodes.Get(1), UdpSocketFactory::GetTypeId());
    rx->Bind(InetSocketAddress(Ipv4Address::GetAny(), 40000));
    uint32_t* received = &seen.received;
    rx->SetRecvCallback(Callback<void, Ptr<Socket>>([received](Ptr<Socket> socket) {
        while (socket->Recv())
        {
            ++*received;
        }
    }));
    Ptr<Socket> tx = Socket::CreateSocket(s.nodes.Get(0), UdpSocketFactory::GetTypeId());
    for (uint32_t k = 0; k < n; ++k)
    {
        Simulator::Schedule(Seconds(0.5) + MilliSeconds(20) * k, [tx, bytes]() {
            tx->SendTo(Create<Packet>(bytes), 0, InetSocketAddress("192.168.1.2", 40000));
        });
    }
    Simulator::Stop(Seconds(2));
    Simulator::Run();
    seen.net = monitor->GetNetworkStats(net);
    seen.senderCompressed = s.Layer(0)->GetStats().compressionSavedTxBytes > 0;
    Simulator::Destroy();
    return seen;
}

} // namespace

class ExposureReadingTest : public IpsecLayerTest
{
};

TEST_F(ExposureReadingTest, WhatOnlyAuthenticatesOrCarriesIsReadThrough)
{
    const uint32_t n = 10;
    const uint32_t bytes = 100;
    for (const Case& c : Cases())
    {
        SCOPED_TRACE(c.name);
        Seen seen = SendAndWatch(c, true, n, bytes);
        EXPECT_EQ(seen.received, n);
        if (c.hidden)
        {
            EXPECT_EQ(seen.net.clearDataBytes, 0u);
            EXPECT_EQ(seen.net.protectedPackets, n);
        }
        else
        {
            // The UDP segment, as it would be counted without the wrapping (IPComp inflated).
            EXPECT_EQ(seen.net.clearDataBytes, uint64_t(n) * (8 + bytes));
            EXPECT_EQ(seen.net.clearDataPackets, n);
            EXPECT_EQ(seen.net.protectedPackets, 0u);
        }
        // The sender's own count agrees with the eavesdropper's (expected_clear_bytes).
        EXPECT_EQ(seen.senderReadableBytes, seen.net.clearDataBytes);
        if (std::string(c.name).rfind("ipcomp", 0) == 0)
        {
            EXPECT_TRUE(seen.senderCompressed); // the zeros did shrink on the wire
        }
    }
}

TEST_F(ExposureReadingTest, IpcompBelowItsThresholdGoesOutInClearAndIsCounted)
{
    // 40 bytes of UDP payload: below deflate's threshold, sent without an IPComp header.
    for (const Case& c : Cases())
    {
        if (std::string(c.name) != "ipcomp")
        {
            continue;
        }
        Seen seen = SendAndWatch(c, true, 4, 40);
        EXPECT_EQ(seen.received, 4u);
        EXPECT_FALSE(seen.senderCompressed);
        EXPECT_EQ(seen.net.clearDataBytes, 4u * (8 + 40));
        EXPECT_EQ(seen.senderReadableBytes, seen.net.clearDataBytes);
    }
}

TEST_F(ExposureReadingTest, WithoutTheSasEspCountsAsHidden)
{
    // Modeled crypto leaves every ESP body in clear: nothing on the wire tells NULL from
    // AES, so without the SAs the probe cannot read ESP (and AH it still reads).
    for (const Case& c : Cases())
    {
        if (std::string(c.name) != "esp-null" && std::string(c.name) != "ah")
        {
            continue;
        }
        SCOPED_TRACE(c.name);
        Seen seen = SendAndWatch(c, false, 4, 60);
        const bool esp = std::string(c.name) == "esp-null";
        EXPECT_EQ(seen.net.protectedPackets, esp ? 4u : 0u);
        EXPECT_EQ(seen.net.clearDataBytes, esp ? 0u : 4u * (8 + 60));
    }
}

namespace
{

/// One untrusted network's monitor, whose terminals are 10.0.0.1 and 10.0.0.2, and its probe.
struct Tap
{
    Ptr<ExposureMonitor> monitor{CreateObject<ExposureMonitor>()};
    uint32_t net{monitor->AddNetwork(false)};
    Ptr<ExposureProbe> probe{CreateObject<ExposureProbe>(monitor, net)};

    Tap()
    {
        monitor->SetTerminals(2);
        monitor->AddAddress(Ipv4Address("10.0.0.1"), 0);
        monitor->AddAddress(Ipv4Address("10.0.0.2"), 1);
    }

    const ExposureMonitor::NetworkStats& Stats() const
    {
        return monitor->GetNetworkStats(net);
    }

    /**
     * \param protocol the IP protocol
     * \param body what follows the header
     * \param fragmentOffset in bytes (a multiple of 8)
     * \return an IPv4 packet from .1 to .2
     */
    static Ptr<Packet> Ipv4(uint8_t protocol,
                            const std::vector<uint8_t>& body,
                            uint16_t fragmentOffset = 0)
    {
        Ptr<Packet> p = Create<Packet>(body.data(), uint32_t(body.size()));
        Ipv4Header h;
        h.SetSource(Ipv4Address("10.0.0.1"));
        h.SetDestination(Ipv4Address("10.0.0.2"));
        h.SetProtocol(protocol);
        h.SetPayloadSize(uint16_t(body.size()));
        h.SetFragmentOffset(fragmentOffset);
        p->AddHeader(h);
        return p;
    }
};

} // namespace

TEST_F(ExposureReadingTest, BrokenWrappingsAreNotRead)
{
    Tap tap;
    tap.probe->SetEspSaLookup(
        ExposureProbe::EspSaLookup([](uint32_t, Ipv4Address, ExposureProbe::EspSaView& v) {
            v.encrypts = false;
            v.icvBytes = 12;
            return true;
        }));
    // ESP-NULL whose pad length runs past its body, AH whose length runs past the packet,
    // AH announcing a non-IPv4 inner header, a chain of AH deeper than any bundle.
    std::vector<uint8_t> esp(8 + 8 + 2 + 12, 0);
    esp[8 + 8] = 200; // pad length
    esp[8 + 8 + 1] = 17;
    tap.probe->Classify(Tap::Ipv4(50, esp));
    tap.probe->Classify(Tap::Ipv4(51, {17, 40, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1}));
    std::vector<uint8_t> ahIpip(12 + 20, 0);
    ahIpip[0] = 4;
    ahIpip[1] = 1;
    ahIpip[12] = 0x65; // version 6
    tap.probe->Classify(Tap::Ipv4(51, ahIpip));
    std::vector<uint8_t> chain;
    for (int k = 0; k < 8; ++k)
    {
        chain.insert(chain.end(), {uint8_t(k == 7 ? 17 : 51), 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1});
    }
    chain.insert(chain.end(), {0x9c, 0x40, 0x9c, 0x40, 0, 8, 0, 0}); // UDP 40000 -> 40000
    tap.probe->Classify(Tap::Ipv4(51, chain));
    EXPECT_EQ(tap.Stats().clearDataPackets, 0u);
    EXPECT_EQ(tap.Stats().protectedPackets, 0u);
    // The same chain three deep is read (the bound is above any SA bundle).
    std::vector<uint8_t> shallow(chain.end() - 3 * 12 - 8, chain.end());
    tap.probe->Classify(Tap::Ipv4(51, shallow));
    EXPECT_EQ(tap.Stats().clearDataPackets, 1u);
    EXPECT_EQ(tap.Stats().clearDataBytes, 8u);
}

TEST_F(ExposureReadingTest, IpcompThatDoesNotInflateIsNotRead)
{
    Tap tap;
    // Next header UDP, CPI 0x1001, then bytes that are no deflate stream (block type 3).
    tap.probe->Classify(Tap::Ipv4(108, {17, 0, 0x10, 0x01, 0xff, 0xff, 0xff, 0xff}));
    // A header and nothing to inflate.
    tap.probe->Classify(Tap::Ipv4(108, {17, 0, 0x10}));
    EXPECT_EQ(tap.Stats().clearDataPackets, 0u);
    EXPECT_EQ(tap.Stats().protectedPackets, 0u);
}

TEST_F(ExposureReadingTest, FragmentsAfterTheFirstCountByTheirProtocol)
{
    Tap tap;
    for (uint8_t protocol : {50, 51, 108, 4})
    {
        tap.probe->Classify(Tap::Ipv4(protocol, std::vector<uint8_t>(400), 1480));
    }
    // ESP's rest is hidden; what AH, IPComp and IPIP wrap is read (400 bytes each).
    EXPECT_EQ(tap.Stats().protectedPackets, 1u);
    EXPECT_EQ(tap.Stats().clearDataPackets, 3u);
    EXPECT_EQ(tap.Stats().clearDataBytes, 3u * 400);
}

namespace
{

/**
 * office-to-cafe, shortened: both terminals LocationAware with RaiseTo as given.
 * \param raiseTo esp, ah or esp+ah
 * \return Bob's exposure bytes (he moves to the untrusted cafe at 5 s)
 */
uint64_t
BobsExposureRaisingTo(const std::string& raiseTo)
{
    std::string terminal = "decision=\"LocationAware\" default-policy=\"none\"><attribute "
                           "name=\"RaiseTo\" value=\"" +
                           raiseTo + "\"/></terminal>\n";
    std::string xml = "<scenario name=\"o2c\" duration=\"12\" seed=\"1\">\n"
                      "<network name=\"office\" prefix=\"192.168.1.0/24\" trusted=\"true\" "
                      "label=\"office\"/>\n"
                      "<network name=\"cafe\" prefix=\"133.134.10.0/24\" trusted=\"false\" "
                      "label=\"external\"/>\n"
                      "<terminal name=\"alice\" network=\"office\" " +
                      terminal + "<terminal name=\"bob\" network=\"office\" " + terminal +
                      "<session caller=\"alice\" callee=\"bob\" start=\"1\" traffic=\"voip\"/>\n"
                      "<move terminal=\"bob\" at=\"5\" network=\"cafe\"/>\n"
                      "<eavesdropper network=\"cafe\"/>\n</scenario>\n";
    auto p = ScenarioParser::ParseString(xml, "o2c.xml");
    EXPECT_TRUE(p.IsOk()) << p.GetError();
    if (!p)
    {
        return 0;
    }
    ScenarioRunResult r = ScenarioRunner::Run(p.GetValue(), ScenarioRunOptions());
    EXPECT_GT(r.sessions.at(0).received, 100u); // the call went on at the cafe
    // The senders' own count of what they let out readable (PlainTx, ReadableTx).
    EXPECT_EQ(r.networks.at(1).clearDataBytes, r.networks.at(1).expectedClearBytes);
    return r.terminals.at(1).exposureBytes;
}

} // namespace

TEST(ExposureReading, RaisingToAhAloneLeavesTheCallReadableAtTheCafe)
{
    EXPECT_EQ(BobsExposureRaisingTo("esp+ah"), 0u);
    EXPECT_EQ(BobsExposureRaisingTo("esp"), 0u);
    // AH authenticates the voice and hides none of it: about 6 s of G.711 both ways.
    EXPECT_GT(BobsExposureRaisingTo("ah"), 2u * 250u * (8 + 12 + 160));
}
