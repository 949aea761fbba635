/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * Terminals that walk and hand-overs broken down (issue 15, deliverables 4 and 7): a
 * terminal walking from the office AP to the cafe AP loses the office AP where its coverage
 * ends, associates with the cafe AP, gets a cafe lease; the breakdown's parts add up to the
 * interruption, which the voice packets lost meanwhile confirm; bad walks are file:line
 * errors.
 */

#include "scenario-test-util.h"

#include "ns3/handover-chart.h"
#include "ns3/scenario-runner.h"
#include "ns3/scenario.h"

#include <cmath>
#include <gtest/gtest.h>
#include <string>

using namespace ns3;
using presec_test::LogHas;

namespace
{

/// APs 40 m apart (reach: half of that); Bob walks at 2 m/s from the office to the cafe.
const char* const kWalk =
    "<scenario name=\"walk\" duration=\"30\" seed=\"1\">\n"
    "<network name=\"office\" prefix=\"192.168.1.0/24\" trusted=\"true\" medium=\"wifi\"\n"
    "         position=\"0,0\"/>\n"
    "<network name=\"cafe\" prefix=\"133.134.10.0/24\" trusted=\"false\" label=\"external\"\n"
    "         medium=\"wifi\" position=\"40,0\"/>\n"
    "<terminal name=\"alice\" network=\"office\" decision=\"LocationAware\"/>\n"
    "<terminal name=\"bob\" network=\"office\" decision=\"LocationAware\"/>\n"
    "<session caller=\"alice\" callee=\"bob\" start=\"2\"/>\n"
    "<move terminal=\"bob\" at=\"5\" network=\"cafe\" speed=\"2\"/>\n"
    "</scenario>\n";

/// Three APs 40 m apart in a row (reach 20 m); Bob walks from a to b round m's AP.
const char* const kWalkRoundM =
    "<scenario name=\"x\" duration=\"20\" seed=\"1\">\n"
    "<network name=\"a\" prefix=\"10.1.0.0/24\" trusted=\"true\" medium=\"wifi\" "
    "position=\"0,0\"/>\n"
    "<network name=\"m\" prefix=\"10.2.0.0/24\" trusted=\"true\" medium=\"wifi\" "
    "position=\"40,0\"/>\n"
    "<network name=\"b\" prefix=\"10.3.0.0/24\" trusted=\"false\" medium=\"wifi\" "
    "position=\"80,0\"/>\n"
    "<terminal name=\"alice\" network=\"a\" decision=\"LocationAware\"/>\n"
    "<terminal name=\"bob\" network=\"a\" decision=\"LocationAware\"/>\n"
    "<session caller=\"alice\" callee=\"bob\" start=\"1\"/>\n"
    "<move terminal=\"bob\" at=\"3\" network=\"b\" speed=\"8\" via=\"40,30\"/>\n"
    "</scenario>\n";

} // namespace

TEST(Handover, AWalkChangesApWhereCoverageEndsAndItsPartsAddUp)
{
    auto p = ScenarioParser::ParseString(kWalk, "walk.xml");
    ASSERT_TRUE(p.IsOk()) << p.GetError();
    ScenarioRunResult r = ScenarioRunner::Run(p.GetValue(), ScenarioRunOptions{});
    ASSERT_EQ(r.handovers.size(), 1u);
    const auto& h = r.handovers[0];
    EXPECT_EQ(h.terminal, "bob");
    EXPECT_EQ(h.from, "office");
    EXPECT_EQ(h.to, "cafe");
    // Bob walks from (0, 2) along y = 2: he leaves the office AP's 20 m when x > 19.90
    // (t = 14.95 s) and loses it after the missed beacons (3 × 102.4 ms, then the probe).
    const double leaves = 5 + std::sqrt(20.0 * 20 - 4) / 2;
    const double enters = 5 + (40 - std::sqrt(20.0 * 20 - 4)) / 2;
    EXPECT_GT(h.linkDownS, leaves);
    EXPECT_LT(h.linkDownS, leaves + 0.6);
    // Where he was then: out of the office AP's reach.
    double x = 2 * (h.linkDownS - 5);
    EXPECT_GT(std::hypot(x, 2), 20);
    // He associates with the cafe AP once he is in its reach.
    EXPECT_GE(h.linkUpS, enters);
    EXPECT_LT(h.linkUpS, h.linkDownS + 0.2);
    EXPECT_EQ(r.terminals[1].path, (std::vector<std::string>{"office", "cafe"}));
    EXPECT_TRUE(LogHas(r, "bob", "-> 133.134.10.")) << "no cafe lease";
    // The parts add up to the interruption (within 1 ms).
    ASSERT_GT(h.interruptionMs, 0);
    double sum =
        h.detectMs + h.linkMs + h.addressMs + h.presenceMs + h.decisionMs + h.saMs + h.resumeMs;
    EXPECT_NEAR(sum, h.interruptionMs, 1.0);
    EXPECT_NEAR(h.linkMs, (h.linkUpS - h.linkDownS) * 1e3, 1e-6);
    EXPECT_GT(h.addressMs, 0); // DHCP takes its exchange
    // Independently: the voice packets lost meanwhile (RTP sequence numbers), one every 20 ms.
    ASSERT_GE(h.lostPackets, 0);
    EXPECT_NEAR(double(h.lostPackets + 1) * 20, h.interruptionMs, 25);
    EXPECT_GT(h.signallingBytes, 0u); // DHCP is not signalling; SIP and IKE are
}

TEST(Handover, EveryMoveOfAShippedScenarioIsBrokenDown)
{
    auto p =
        ScenarioParser::ParseFile(std::string(PRESEC_SCENARIO_DIR) + "/docked-office-to-cafe.xml");
    ASSERT_TRUE(p.IsOk()) << p.GetError();
    ScenarioRunResult r = ScenarioRunner::Run(p.GetValue(), ScenarioRunOptions{});
    ASSERT_EQ(r.handovers.size(), 2u);
    for (const auto& h : r.handovers)
    {
        SCOPED_TRACE(h.from + " -> " + h.to);
        ASSERT_GT(h.interruptionMs, 0);
        EXPECT_NEAR(h.detectMs + h.linkMs + h.addressMs + h.presenceMs + h.decisionMs + h.saMs +
                        h.resumeMs,
                    h.interruptionMs,
                    1.0);
        EXPECT_GE(h.linkUpS, h.linkDownS);
    }
    // Docking is at once: no link or address time. The dock's default route makes its address
    // the primary one at once, although the radio keeps the cafe lease until it misses three
    // beacons (~300 ms): presence, decision and the call follow the dock, not the radio.
    EXPECT_EQ(r.handovers[1].linkMs, 0);
    EXPECT_EQ(r.handovers[1].addressMs, 0);
    EXPECT_LT(r.handovers[1].decisionMs, 5);
    EXPECT_LT(r.handovers[1].interruptionMs, 50);
    EXPECT_EQ(r.handovers[1].lostPackets, 0);
    EXPECT_GT(r.handovers[0].linkMs, 0); // undocking: the association takes time
}

TEST(Handover, BadWalksAreFileLineErrors)
{
    auto error = [](const std::string& move) {
        return presec_test::ParseError(presec_test::TwoApsAndALan(move), "walk.xml");
    };
    EXPECT_EQ(
        error("<move terminal=\"t\" at=\"5\" network=\"b\" speed=\"1.4\" via=\"20,5; 30,5\"/>"),
        "(parsed)");
    EXPECT_EQ(error("<move terminal=\"t\" at=\"5\" network=\"b\" speed=\"0\"/>"),
              "walk.xml:7: speed must be in (0, 100] m/s");
    EXPECT_EQ(error("<move terminal=\"t\" at=\"5\" network=\"b\" via=\"1,1\"/>"),
              "walk.xml:7: via needs a speed (a walk)");
    EXPECT_EQ(error("<move terminal=\"t\" at=\"5\" network=\"b\" speed=\"1\" via=\"1,1;x\"/>"),
              "walk.xml:7: bad via point 'x' (expected x,y in metres)");
    EXPECT_EQ(error("<move terminal=\"t\" at=\"5\" network=\"c\" speed=\"1\"/>"),
              "walk.xml:7: a walk (speed) goes from one wifi network to another ('a' to 'c')");
}

TEST(Handover, AWalkThroughAThirdApsReachIsAFileLineError)
{
    // Three APs in a row, 40 m apart: each reaches 20 m.
    auto error = [](const std::string& move) {
        return presec_test::ParseError("<scenario name=\"x\" duration=\"30\">\n"
                                       "<network name=\"a\" prefix=\"10.1.0.0/24\" "
                                       "trusted=\"true\" medium=\"wifi\" position=\"0,0\"/>\n"
                                       "<network name=\"m\" prefix=\"10.2.0.0/24\" "
                                       "trusted=\"true\" medium=\"wifi\" position=\"40,0\"/>\n"
                                       "<network name=\"b\" prefix=\"10.3.0.0/24\" "
                                       "trusted=\"false\" medium=\"wifi\" position=\"80,0\"/>\n"
                                       "<terminal name=\"t\" network=\"a\"/>\n" +
                                           move + "\n</scenario>\n",
                                       "walk.xml");
    };
    const std::string tail = "(its reach: 20 m, and 2 m of margin): the terminal would associate "
                             "there on the way; walk via points around it, or move to 'm' first";
    EXPECT_EQ(error("<move terminal=\"t\" at=\"5\" network=\"b\" speed=\"1.4\"/>"),
              "walk.xml:6: the walk from 'a' to 'b' passes 0 m from 'm''s AP " + tail);
    // Around it, but not far enough: 18.6 m from m's AP on the first leg.
    EXPECT_EQ(error("<move terminal=\"t\" at=\"5\" network=\"b\" speed=\"1.4\" via=\"40,21\"/>"),
              "walk.xml:6: the walk from 'a' to 'b' passes 18.6 m from 'm''s AP " + tail);
    // Far enough round: 24 m.
    EXPECT_EQ(error("<move terminal=\"t\" at=\"5\" network=\"b\" speed=\"1.4\" via=\"40,30\"/>"),
              "(parsed)");
    // Stopping at m on the way is two moves, both fine.
    EXPECT_EQ(error("<move terminal=\"t\" at=\"5\" network=\"m\" speed=\"1.4\"/>\n"
                    "<move terminal=\"t\" at=\"25\" network=\"b\" speed=\"1.4\"/>"),
              "(parsed)");
    // A jump is no walk: it passes at 1 km/s, before the station has lost its AP.
    EXPECT_EQ(error("<move terminal=\"t\" at=\"5\" network=\"b\"/>"), "(parsed)");
}

TEST(Handover, AWalkAroundAThirdApsReachHandsOverOnce)
{
    // As above, the walk from a to b round m's AP: it passes 24.6 m from it (reach 20 m), so
    // the station never hears m, and its one hand-over goes from a to b.
    ScenarioRunResult r = presec_test::RunXml(kWalkRoundM, "walk.xml");
    ASSERT_EQ(r.handovers.size(), 1u);
    EXPECT_EQ(r.handovers[0].from, "a");
    EXPECT_EQ(r.handovers[0].to, "b");
    EXPECT_EQ(r.terminals[1].path, (std::vector<std::string>{"a", "b"}));
    EXPECT_TRUE(LogHas(r, "bob", "-> 10.3.")) << "no lease from b";
    EXPECT_FALSE(LogHas(r, "bob", "-> 10.2.")) << "a lease from m";
    EXPECT_EQ(r.terminals[1].unplannedAssociations, 0u);
}

TEST(Handover, AnAssociationTheRunDidNotPlanIsCounted)
{
    // The same walk straight through m's AP, which the parser refuses (a wander's short pass
    // could still do it): the station associates with m on the way, the apparatus follows
    // its lease, and the run counts what its path and breakdown miss.
    auto p = ScenarioParser::ParseString(kWalkRoundM, "walk.xml");
    ASSERT_TRUE(p.IsOk()) << p.GetError();
    Scenario sc = p.GetValue();
    ASSERT_EQ(sc.moves.size(), 1u);
    sc.moves[0].via.clear();
    ScenarioRunResult r = ScenarioRunner::Run(sc, ScenarioRunOptions{});
    EXPECT_TRUE(LogHas(r, "bob", "-> 10.2.")) << "no lease from m";
    EXPECT_EQ(r.terminals[1].unplannedAssociations, 1u);
    EXPECT_EQ(r.terminals[0].unplannedAssociations, 0u);
    EXPECT_NE(r.ToJson().find("\"unplanned_associations\": 1"), std::string::npos);
}

TEST(Handover, ClearDataOnAnApTheRunDidNotPlanIsCountedBySendersToo)
{
    // As above, with a sniffer on m and the voice left in clear: the senders' count of clear
    // data (independent of the sniffer) must include what crossed m, though no path has m.
    auto p = ScenarioParser::ParseString(kWalkRoundM, "walk.xml");
    ASSERT_TRUE(p.IsOk()) << p.GetError();
    Scenario sc = p.GetValue();
    sc.moves[0].via.clear();
    sc.networks[2].trusted = true; // b: no path crosses a sniffed network
    sc.eavesdroppers.push_back("m");
    ScenarioRunOptions o;
    o.decision = "AcceptAsIs";
    ScenarioRunResult r = ScenarioRunner::Run(sc, o);
    ASSERT_EQ(r.terminals[1].unplannedAssociations, 1u);
    const auto& m = r.networks[1];
    ASSERT_TRUE(m.sniffed);
    EXPECT_GT(m.clearDataBytes, 0u);
    // What was sent to m's address after Bob left it is counted by its senders only: lost.
    EXPECT_LE(m.clearDataBytes, m.expectedClearBytes);
    EXPECT_GE(m.clearDataBytes + r.sessions[0].lost * 180, m.expectedClearBytes);
}

TEST(Handover, TheReportDrawsOneStackedBarPerMoveToOneScale)
{
    std::vector<ScenarioHandoverResult> hs(2);
    hs[0].terminal = "b<o>b";
    hs[0].interruptionMs = 400;
    hs[0].linkMs = 100;
    hs[0].saMs = 300;
    hs[0].lostPackets = 19;
    hs[1].terminal = "carol";
    hs[1].interruptionMs = 200;
    hs[1].decisionMs = 200;
    std::string html = HandoverChart::Html(hs, 0);
    // The longest interruption is the full width; parts are shares of it; none is drawn
    // for a part that took no time.
    EXPECT_NE(html.find("title=\"link 100.0 ms\" style=\"background:#E69F00;width:25.0%\""),
              std::string::npos);
    EXPECT_NE(html.find("title=\"SA setup 300.0 ms\" style=\"background:#0072B2;width:75.0%\""),
              std::string::npos);
    EXPECT_NE(html.find("title=\"decision 200.0 ms\" style=\"background:#F0E442;width:50.0%\""),
              std::string::npos);
    EXPECT_EQ(html.find("title=\"address"), std::string::npos);
    EXPECT_NE(html.find("b&lt;o&gt;b"), std::string::npos);
    EXPECT_EQ(html.find("b<o>b"), std::string::npos);
    EXPECT_NE(HandoverChart::Html(hs, 1).find("The first 1 of 2 hand-overs"), std::string::npos);
    EXPECT_EQ(HandoverChart::Html({}, 0), "");
}
