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

#include "ns3/scenario-runner.h"
#include "ns3/scenario.h"

#include <gtest/gtest.h>
#include <string>

using namespace ns3;

namespace
{

/// An unprotected call on "lan" (wiring WIRING, eavesdropper EAVESDROPPER), b moving to the
/// hub "cafe" at MOVE (0: no move).
ScenarioRunResult
RunLan(const std::string& wiring, const std::string& eavesdropper, double move = 0)
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
    return presec_test::RunXml(xml, "switched.xml");
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

TEST(SwitchedNetwork, TerminalLeavesTheSwitchForAHubAndTheCallGoesOn)
{
    ScenarioRunResult r = RunLan("switch", "", 3.5);
    ASSERT_EQ(r.sessions.size(), 1u);
    ASSERT_EQ(r.networks.size(), 2u);
    // Unprotected after the move too (AcceptAsIs): the cafe's hub shows the rest of the call.
    EXPECT_GT(r.networks[1].clearDataBytes, 20000u);
    EXPECT_EQ(r.networks[0].clearDataBytes, 0u) << "lan is switched, its sniffer on its own port";
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
