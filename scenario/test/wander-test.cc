/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * Random waypoint within an area (issue 15, deliverable 4): the waypoints are uniform in the
 * area and walked at the speed with the pause; the RNG run draws them; the terminal changes AP
 * where its path leaves one AP's reach and enters another's, as the Wi-Fi simulation itself
 * shows (association and loss of the AP at the planned places); bad wanders are file:line
 * errors.
 */

#include "scenario-test-util.h"

#include "ns3/random-waypoint-plan.h"
#include "ns3/scenario-runner.h"
#include "ns3/scenario.h"

#include <cmath>
#include <gtest/gtest.h>
#include <string>

using namespace ns3;
using presec_test::LogHas;

namespace
{

/// APs 40 m apart (reach 20 m); Bob wanders around both at 2 m/s, pausing 1 s.
const char* const kWander =
    "<scenario name=\"wander\" duration=\"60\" seed=\"3\">\n"
    "<network name=\"office\" prefix=\"192.168.1.0/24\" trusted=\"true\" medium=\"wifi\"\n"
    "         position=\"0,0\"/>\n"
    "<network name=\"cafe\" prefix=\"133.134.10.0/24\" trusted=\"false\" label=\"external\"\n"
    "         medium=\"wifi\" position=\"40,0\"/>\n"
    "<terminal name=\"alice\" network=\"office\" decision=\"LocationAware\"/>\n"
    "<terminal name=\"bob\" network=\"office\" decision=\"LocationAware\"/>\n"
    "<session caller=\"alice\" callee=\"bob\" start=\"2\"/>\n"
    "<wander terminal=\"bob\" from=\"3\" until=\"58\" area=\"-15,-12;55,12\" speed=\"2\"\n"
    "        pause=\"1\"/>\n"
    "</scenario>\n";

Scenario
Parse(const std::string& xml)
{
    auto p = ScenarioParser::ParseString(xml, "wander.xml");
    EXPECT_TRUE(p.IsOk()) << p.GetError();
    return p.IsOk() ? p.GetValue() : Scenario{};
}

} // namespace

TEST(RandomWaypoint, TheWaypointsAreUniformInTheAreaWalkedAtTheSpeedWithThePause)
{
    std::string xml = kWander;
    xml.replace(xml.find("duration=\"60\""), 13, "duration=\"90000\"");
    xml.replace(xml.find("until=\"58\""), 10, "until=\"89000\"");
    Scenario sc = Parse(xml);
    ASSERT_EQ(sc.wanders.size(), 1u);
    ScenarioRunner::PlanWanders(sc, 7);
    const auto& wa = sc.wanders[0];
    ASSERT_GT(wa.legs.size(), 1000u);
    double sx = 0;
    double sy = 0;
    double px = 0; // Bob's spot at the office AP
    double py = 2;
    for (size_t k = 0; k + 1 < wa.legs.size(); ++k)
    {
        const auto& leg = wa.legs[k];
        ASSERT_GE(leg.x, -15);
        ASSERT_LE(leg.x, 55);
        ASSERT_GE(leg.y, -12);
        ASSERT_LE(leg.y, 12);
        // The next leg sets off after the walk at 2 m/s and the 1 s pause.
        double walk = std::hypot(leg.x - px, leg.y - py) / 2;
        ASSERT_NEAR(wa.legs[k + 1].depart - leg.depart, walk + 1, 1e-9);
        sx += leg.x;
        sy += leg.y;
        px = leg.x;
        py = leg.y;
    }
    EXPECT_DOUBLE_EQ(wa.legs.front().depart, 3);
    double n = double(wa.legs.size() - 1);
    EXPECT_NEAR(sx / n, 20, 70 * 0.02); // uniform: the mean is the centre
    EXPECT_NEAR(sy / n, 0, 24 * 0.02);
    // The last leg ends at until, wherever Bob is then.
    EXPECT_LE(wa.legs.back().depart, 89000);
}

TEST(RandomWaypoint, TheRngRunDrawsThePath)
{
    Scenario a = Parse(kWander);
    Scenario b = a;
    Scenario c = a;
    ScenarioRunner::PlanWanders(a, 3);
    ScenarioRunner::PlanWanders(b, 3);
    ScenarioRunner::PlanWanders(c, 4);
    ASSERT_FALSE(a.wanders[0].legs.empty());
    EXPECT_EQ(a.wanders[0].legs.size(), b.wanders[0].legs.size());
    EXPECT_EQ(a.wanders[0].legs[0].x, b.wanders[0].legs[0].x);
    EXPECT_NE(a.wanders[0].legs[0].x, c.wanders[0].legs[0].x);
    // Planning again replaces the moves it made.
    size_t moves = a.moves.size();
    ScenarioRunner::PlanWanders(a, 3);
    EXPECT_EQ(a.moves.size(), moves);
}

TEST(RandomWaypoint, TheTerminalChangesApWhereItsPathCrossesCoverage)
{
    Scenario sc = Parse(kWander);
    Scenario plan = sc;
    ScenarioRunner::PlanWanders(plan, sc.seed);
    ASSERT_GE(plan.moves.size(), 2u) << "this run's path should cross between the APs";
    const double reach = sc.GetWifiReach();
    ASSERT_DOUBLE_EQ(reach, 20);
    auto where = [&](double t) { return RandomWaypointPlan::PositionAt(plan, 0, 0, 2, t); };
    auto ap = [&](const std::string& n) {
        const auto& net = sc.networks[size_t(sc.FindNetwork(n))];
        return std::make_pair(net.x, net.y);
    };
    auto distance = [&](std::pair<double, double> p, std::pair<double, double> q) {
        return std::hypot(p.first - q.first, p.second - q.second);
    };

    ScenarioRunResult r = ScenarioRunner::Run(sc, ScenarioRunOptions{});
    ASSERT_EQ(r.handovers.size(), plan.moves.size());
    std::vector<std::string> path{"office"};
    for (size_t k = 0; k < plan.moves.size(); ++k)
    {
        const auto& h = r.handovers[k];
        SCOPED_TRACE("move " + std::to_string(k) + ": " + h.from + " -> " + h.to);
        EXPECT_EQ(h.terminal, "bob");
        EXPECT_EQ(h.to, plan.moves[k].network);
        EXPECT_DOUBLE_EQ(h.at, plan.moves[k].at);
        path.push_back(h.to);
        // Wi-Fi itself: it lost the old AP out of its reach, after it left it ...
        ASSERT_GT(h.linkDownS, h.at);
        EXPECT_GT(distance(where(h.linkDownS), ap(h.from)), reach);
        // ... and associated with the new one inside its reach (2 m/s: 0.2 m per 100 ms).
        ASSERT_GT(h.linkUpS, h.linkDownS);
        EXPECT_LE(distance(where(h.linkUpS), ap(h.to)), reach);
        ASSERT_GT(h.interruptionMs, 0);
        EXPECT_NEAR(h.detectMs + h.linkMs + h.addressMs + h.presenceMs + h.decisionMs + h.saMs +
                        h.resumeMs,
                    h.interruptionMs,
                    1.0);
    }
    EXPECT_EQ(r.terminals[1].path, path);
    EXPECT_EQ(r.terminals[1].unplannedAssociations, 0u) << "Wi-Fi went where the plan did not";
    EXPECT_TRUE(LogHas(r, "bob", "-> 133.134.10.")) << "no cafe lease";
    // The call survives the wander.
    ASSERT_EQ(r.sessions.size(), 1u);
    EXPECT_GT(r.sessions[0].received, r.sessions[0].sent * 9 / 10);
}

TEST(RandomWaypoint, BadWandersAreFileLineErrors)
{
    auto error = [](const std::string& body) {
        return presec_test::ParseError(presec_test::TwoApsAndALan(body), "wander.xml");
    };
    EXPECT_EQ(error("<wander terminal=\"t\" from=\"1\" until=\"20\" area=\"-5,-5;45,5\"/>"),
              "(parsed)");
    EXPECT_EQ(error("<wander terminal=\"t\" from=\"1\" until=\"20\" area=\"100,100;200,200\"/>"),
              "wander.xml:7: the area holds no Wi-Fi network's access point");
    EXPECT_EQ(error("<wander terminal=\"t\" from=\"1\" until=\"20\" area=\"0,0\"/>"),
              "wander.xml:7: area needs two corners (x,y;x,y)");
    EXPECT_EQ(error("<wander terminal=\"t\" from=\"1\" until=\"20\" area=\"0,0;y,1\"/>"),
              "wander.xml:7: bad via point 'y,1' (expected x,y in metres)");
    EXPECT_EQ(error("<wander terminal=\"t\" from=\"1\" until=\"20\" area=\"0,0;0,10\"/>"),
              "wander.xml:7: the area must be at least 1 m by 1 m");
    EXPECT_EQ(error("<wander terminal=\"t\" from=\"20\" until=\"20\" area=\"-5,-5;45,5\"/>"),
              "wander.xml:7: a wander needs 0 < from < until <= duration (30)");
    EXPECT_EQ(error("<wander terminal=\"t\" from=\"1\" until=\"20\" area=\"-5,-5;45,5\" "
                    "speed=\"0\"/>"),
              "wander.xml:7: speed must be in (0, 100] m/s");
    EXPECT_EQ(error("<wander terminal=\"t\" from=\"1\" until=\"20\" area=\"-5,-5;45,5\" "
                    "pause=\"-1\"/>"),
              "wander.xml:7: pause must be in [0, the scenario's duration] s");
    EXPECT_EQ(error("<wander terminal=\"z\" from=\"1\" until=\"20\" area=\"-5,-5;45,5\"/>"),
              "wander.xml:7: unknown terminal 'z'");
    EXPECT_EQ(error("<wander terminal=\"t\" from=\"1\" until=\"20\" area=\"-5,-5;45,5\"/>\n"
                    "<wander terminal=\"t\" from=\"21\" until=\"25\" area=\"-5,-5;45,5\"/>"),
              "wander.xml:8: terminal 't' already wanders");
    EXPECT_EQ(error("<wander terminal=\"t\" from=\"1\" until=\"20\" area=\"-5,-5;45,5\"/>\n"
                    "<move terminal=\"t\" at=\"25\" network=\"b\"/>"),
              "wander.xml:8: terminal 't' wanders from 1 (line 7): its moves must come before");
    EXPECT_EQ(error("<wander terminal=\"d\" from=\"1\" until=\"20\" area=\"-5,-5;45,5\"/>"),
              "wander.xml:7: a wander starts on a wifi network (terminal 'd' is on 'c' at 1)");
    // A day at 100 m/s in a 1 m square: too many legs to draw.
    auto busy = ScenarioParser::ParseString(kWander,
                                            "wander.xml",
                                            {"scenario:duration=100000",
                                             "wander:bob:until=99000",
                                             "wander:bob:area=0,-1;1,0",
                                             "wander:bob:speed=100",
                                             "wander:bob:pause=0"});
    ASSERT_FALSE(busy.IsOk());
    EXPECT_EQ(busy.GetError().rfind("wander.xml:10: the wander would walk more than 1,000,000 "
                                    "legs (a larger area, a lower speed or a pause)",
                                    0),
              0u)
        << busy.GetError();
    // --set reaches a wander by its terminal, and the same rules apply.
    auto slower = ScenarioParser::ParseString(kWander, "wander.xml", {"wander:bob:speed=1"});
    ASSERT_TRUE(slower.IsOk()) << slower.GetError();
    EXPECT_EQ(slower.GetValue().wanders[0].speed, 1);
    auto bad = ScenarioParser::ParseString(kWander, "wander.xml", {"wander:bob:speed=200"});
    ASSERT_FALSE(bad.IsOk());
    EXPECT_EQ(bad.GetError().rfind("wander.xml:10: speed must be in (0, 100] m/s", 0), 0u)
        << bad.GetError();
}
