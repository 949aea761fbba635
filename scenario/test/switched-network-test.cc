/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * Switched csma networks (issue 15): a learning switch sends unicast to the destination's
 * port only, so an eavesdropper on a port of its own reads none of the call between two other
 * stations, while one on the mirror port reads all of it; terminals still move in and out.
 */

#include "scenario-test-util.h"

#include "ns3/config.h"
#include "ns3/exposure-probe.h"
#include "ns3/packet.h"
#include "ns3/pcap-capture-reader.h"
#include "ns3/scenario-runner.h"
#include "ns3/scenario.h"
#include "ns3/switched-ethernet-channel.h"
#include "ns3/tcp-header.h"
#include "ns3/udp-header.h"
#include "ns3/uinteger.h"

#include <gtest/gtest.h>
#include <map>
#include <string>

using namespace ns3;

namespace
{

/// An unprotected call on "lan" (wiring WIRING, eavesdropper EAVESDROPPER), b moving to the
/// hub "cafe" at MOVE (0: no move).
ScenarioRunResult
RunLan(const std::string& wiring,
       const std::string& eavesdropper,
       double move = 0,
       const ScenarioRunOptions& options = ScenarioRunOptions{})
{
    std::string xml =
        "<scenario name=\"switched\" duration=\"6\" seed=\"1\">\n"
        "<network name=\"lan\" prefix=\"10.1.0.0/24\" trusted=\"false\" wiring=\"" +
        wiring +
        "\"/>\n"
        "<network name=\"cafe\" prefix=\"10.2.0.0/24\" trusted=\"false\" label=\"cafe\"/>\n"
        "<terminal name=\"a\" network=\"lan\" decision=\"AcceptAsIs\"/>\n"
        "<terminal name=\"b\" network=\"lan\" decision=\"AcceptAsIs\"/>\n"
        "<session caller=\"a\" callee=\"b\" start=\"1\"/>\n" +
        eavesdropper + "\n" +
        (move > 0 ? "<move terminal=\"b\" at=\"" + std::to_string(move) + "\" network=\"cafe\"/>\n"
                  : std::string()) +
        "</scenario>\n";
    return presec_test::RunXml(xml, "switched.xml", options);
}

/// Voice frames (UDP to the data port) in a pcap, per source IPv4 address.
std::map<uint32_t, int>
VoiceFramesBySource(const std::string& file)
{
    std::map<uint32_t, int> count;
    PcapCaptureReader reader;
    std::string error = reader.Open(file);
    EXPECT_EQ(error, "");
    CapturedFrame f;
    while (error.empty() && reader.Next(f, error))
    {
        if (f.content == CapturedFrame::Content::IPV4 && f.ipv4.size() >= 28 && f.ipv4[9] == 17)
        {
            const size_t udp = (f.ipv4[0] & 0x0f) * 4;
            if (((f.ipv4[udp + 2] << 8) | f.ipv4[udp + 3]) == 40000)
            {
                ++count[(uint32_t(f.ipv4[12]) << 24) | (uint32_t(f.ipv4[13]) << 16) |
                        (uint32_t(f.ipv4[14]) << 8) | f.ipv4[15]];
            }
        }
    }
    EXPECT_EQ(error, "");
    return count;
}

} // namespace

TEST(SwitchedNetwork, OwnPortReadsNoUnicastMirrorPortReadsAll)
{
    ScenarioRunResult hub = RunLan("hub", "");
    ScenarioRunResult own = RunLan("switch", "<eavesdropper network=\"lan\"/>");
    ScenarioRunResult mirror = RunLan("switch", "<eavesdropper network=\"lan\" port=\"mirror\"/>");
    ASSERT_EQ(hub.networks.size(), 2u);
    ASSERT_EQ(own.networks.size(), 2u);
    ASSERT_EQ(mirror.networks.size(), 2u);

    // The call went through the switch in both switched runs, unprotected.
    for (const ScenarioRunResult* r : {&own, &mirror})
    {
        ASSERT_EQ(r->sessions.size(), 1u);
        EXPECT_GT(r->sessions[0].sent, 400u);
        EXPECT_GE(r->sessions[0].received, r->sessions[0].sent - 2);
        EXPECT_GT(r->networks[0].expectedClearBytes, 0u);
    }
    const auto& h = hub.networks[0];
    EXPECT_GT(h.clearDataBytes, 60000u) << "on a hub the eavesdropper reads the call";
    EXPECT_GT(h.signalingBytes, 0u);
    // Own port: the switch sends it broadcasts and unknown unicast only; the call, the SIP
    // exchange before it and everything to the router are unicast to learnt ports.
    EXPECT_EQ(own.networks[0].clearDataBytes, 0u);
    EXPECT_EQ(own.networks[0].clearDataPackets, 0u);
    EXPECT_EQ(own.networks[0].signalingBytes, 0u);
    EXPECT_EQ(own.TotalExposure(), 0u);
    // Mirror port: every frame entering the switch, once, as on the hub.
    EXPECT_EQ(mirror.networks[0].clearDataBytes, h.clearDataBytes);
    EXPECT_EQ(mirror.networks[0].clearDataPackets, h.clearDataPackets);
    EXPECT_EQ(mirror.networks[0].signalingBytes, h.signalingBytes);
    EXPECT_EQ(mirror.networks[0].clearDataBytes, mirror.networks[0].expectedClearBytes);
}

// The network's pcap on a switch is its ingress mirror: the call between two stations, which
// never reaches the router's port, is in it, each frame once, as on the hub's segment.
TEST(SwitchedNetwork, ThePcapHoldsEveryFrameEnteringTheSwitchOnce)
{
    auto voice = [](const std::string& wiring) {
        ScenarioRunOptions o;
        o.plain = true;
        presec_test::ScratchDir dir("presec-switched-pcap");
        o.pcapPrefix = dir.Path() + "/" + wiring;
        ScenarioRunResult r = RunLan(wiring, "", 0, o);
        EXPECT_EQ(r.sessions.size(), 1u);
        return std::make_pair(VoiceFramesBySource(o.pcapPrefix + "-lan.pcap"), r);
    };
    auto [hub, hubRun] = voice("hub");
    auto [sw, swRun] = voice("switch");
    ASSERT_EQ(hub.size(), 2u) << "both directions on the hub's segment";
    ASSERT_EQ(sw.size(), 2u) << "both directions through the switch";
    EXPECT_EQ(sw, hub);
    int frames = 0;
    for (const auto& [source, n] : sw)
    {
        EXPECT_GT(n, 200);
        frames += n;
    }
    // Once each: no more frames than the call received (both directions), none lost here.
    EXPECT_EQ(uint64_t(frames), swRun.sessions[0].received);
}

TEST(SwitchedNetwork, TerminalLeavesTheSwitchForAHubAndTheCallGoesOn)
{
    ScenarioRunResult r = RunLan("switch", "", 3.5);
    ASSERT_EQ(r.sessions.size(), 1u);
    ASSERT_EQ(r.networks.size(), 2u);
    // Unprotected after the move too (AcceptAsIs): the cafe's hub shows the rest of the call.
    EXPECT_GT(r.networks[1].clearDataBytes, 20000u);
    // The sniffer's own port sees only what the caller still sent to b's old address after
    // b left, before b's NOTIFY told it of the move: the switch forgot b's port and floods
    // those frames (unknown unicast), as a real one does. A voice packet or two.
    EXPECT_LE(r.networks[0].clearDataBytes, 2 * 180u)
        << "lan is switched, its sniffer on its own port";
    EXPECT_GT(r.sessions[0].received, r.sessions[0].sent * 9 / 10);
}

TEST(SwitchedNetwork, BadWiringAndMirrorAreFileLineErrors)
{
    struct Case
    {
        std::string network;
        std::string eavesdropper;
        std::string message;
    };

    for (const Case& c : std::vector<Case>{
             {"wiring=\"star\"",
              "",
              "bad.xml:2: bad value 'star' for 'wiring' (expected hub|switch)"},
             {"wiring=\"switch\" medium=\"wifi\" position=\"0,0\"",
              "",
              "bad.xml:2: wiring=\"switch\" needs a csma network ('lan' is wifi)"},
             {"",
              "<eavesdropper network=\"lan\" port=\"mirror\"/>",
              "bad.xml:5: port=\"mirror\" needs a switched network ('lan' has no "
              "wiring=\"switch\")"},
             {"wiring=\"switch\"",
              "<eavesdropper network=\"lan\" port=\"span\"/>",
              "bad.xml:5: bad value 'span' for 'port' (expected own|mirror)"},
         })
    {
        std::string xml = "<scenario name=\"bad\" duration=\"6\">\n"
                          "<network name=\"lan\" prefix=\"10.1.0.0/24\" trusted=\"false\" " +
                          c.network +
                          "/>\n"
                          "<terminal name=\"a\" network=\"lan\"/>\n"
                          "<terminal name=\"b\" network=\"lan\"/>\n" +
                          c.eavesdropper + "\n</scenario>\n";
        auto p = ScenarioParser::ParseString(xml, "bad.xml");
        ASSERT_FALSE(p.IsOk()) << c.network << c.eavesdropper;
        EXPECT_EQ(p.GetError(), c.message);
    }
}

// What the switch drops reaches the results by reason: three guests loading a switched
// office's access link collide at the router's port when it holds one frame only; with the
// default 100 nothing is dropped.
TEST(SwitchedNetwork, TheSwitchsDropsAreInTheResultsByReason)
{
    auto run = []() {
        return presec_test::RunXml(
            "<scenario name=\"guests\" duration=\"6\" seed=\"1\">\n"
            "<network name=\"office\" prefix=\"10.1.0.0/24\" trusted=\"true\" wiring=\"switch\" "
            "access-rate=\"2Mbps\"/>\n"
            "<network name=\"cafe\" prefix=\"10.2.0.0/24\" trusted=\"false\"/>\n"
            "<terminal name=\"a\" network=\"office\"/>\n"
            "<terminal name=\"b\" network=\"cafe\"/>\n"
            "<session caller=\"a\" callee=\"b\" start=\"1\"/>\n"
            "<background network=\"office\" stations=\"3\" load=\"0.8\" size=\"1000\"/>\n"
            "</scenario>\n",
            "guests.xml");
    };
    ScenarioRunResult roomy = run();
    ASSERT_EQ(roomy.networks.size(), 2u);
    EXPECT_TRUE(roomy.networks[0].lanDrops.empty());
    EXPECT_TRUE(roomy.networks[1].lanDrops.empty()) << "a hub reports none";

    Config::SetDefault("ns3::SwitchedEthernetChannel::MaxPortQueue", UintegerValue(1));
    ScenarioRunResult tight = run();
    Config::Reset();
    ASSERT_EQ(tight.networks.size(), 2u);
    const auto& drops = tight.networks[0].lanDrops;
    ASSERT_EQ(drops.size(), 1u);
    EXPECT_EQ(drops.begin()->first, SwitchedEthernetChannel::PORT_QUEUE_FULL);
    EXPECT_GT(drops.begin()->second, 0u);
    std::cout << "port queue of 1: " << drops.begin()->second << " frames dropped\n";
}

// What a probe and the clear-bytes counter call a segment, from its ports: SIP and IKE are
// signalling (UDP or TCP), DHCP is its own, the rest is data; too short or neither UDP nor
// TCP is other.
TEST(ExposureProbeTest, SegmentsAreClassifiedByTheirPorts)
{
    auto segment = [](auto header, uint16_t sp, uint16_t dp) {
        auto p = Create<Packet>(20);
        header.SetSourcePort(sp);
        header.SetDestinationPort(dp);
        p->AddHeader(header);
        return p;
    };
    auto udp = [&segment](uint16_t sp, uint16_t dp) { return segment(UdpHeader(), sp, dp); };
    auto tcp = [&segment](uint16_t sp, uint16_t dp) { return segment(TcpHeader(), sp, dp); };
    using S = ExposureProbe::Segment;
    EXPECT_EQ(ExposureProbe::ClassifySegment(udp(5060, 41000), 17), S::SIGNALING);
    EXPECT_EQ(ExposureProbe::ClassifySegment(udp(500, 500), 17), S::SIGNALING);
    EXPECT_EQ(ExposureProbe::ClassifySegment(udp(41000, 4500), 17), S::SIGNALING);
    EXPECT_EQ(ExposureProbe::ClassifySegment(udp(68, 67), 17), S::DHCP);
    EXPECT_EQ(ExposureProbe::ClassifySegment(udp(16384, 16386), 17), S::DATA);
    EXPECT_EQ(ExposureProbe::ClassifySegment(tcp(41000, 5060), 6), S::SIGNALING);
    EXPECT_EQ(ExposureProbe::ClassifySegment(tcp(41000, 5001), 6), S::DATA);
    EXPECT_EQ(ExposureProbe::ClassifySegment(tcp(67, 68), 6), S::DATA); // DHCP is UDP only
    EXPECT_EQ(ExposureProbe::ClassifySegment(Create<Packet>(7), 17), S::OTHER);
    EXPECT_EQ(ExposureProbe::ClassifySegment(Create<Packet>(19), 6), S::OTHER);
    EXPECT_EQ(ExposureProbe::ClassifySegment(udp(5060, 5060), 1), S::OTHER);
}
