/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * What the user saw (issue 15, deliverable 10): every decision of a run keeps the patent's
 * screens (FIG. 9 presence, FIG. 8 proposed policy, FIG. 13 registered with its changes), and
 * the report lists the decisions as a timeline linked to them.
 */

#include "ns3/decision-screen-report.h"
#include "ns3/scenario-runner.h"
#include "ns3/scenario.h"

#include <gtest/gtest.h>
#include <string>

using namespace ns3;

TEST(DecisionScreens, EveryDecisionKeepsTheScreensItsUserSaw)
{
    auto p = ScenarioParser::ParseFile(std::string(PRESEC_SCENARIO_DIR) + "/office-to-cafe.xml");
    ASSERT_TRUE(p.IsOk()) << p.GetError();
    ScenarioRunOptions o;
    o.decision = "LocationAware";
    ScenarioRunResult r = ScenarioRunner::Run(p.GetValue(), o);
    uint32_t decisions = 0;
    for (const auto& t : r.terminals)
    {
        decisions += t.decisions;
    }
    ASSERT_EQ(r.decisions.size(), decisions); // one record per decision model call
    // Alice judges Bob after his move to the cafe: the presence screen shows his cafe address
    // and declared location; she raises the clear proposal to ESP+AH.
    auto it = std::find_if(r.decisions.begin(), r.decisions.end(), [](const auto& d) {
        return d.terminal == "alice" && d.network == "external";
    });
    ASSERT_NE(it, r.decisions.end());
    EXPECT_GE(it->timeS, 30.0);
    EXPECT_EQ(it->entity, "pres:bob@example.com");
    EXPECT_EQ(it->address.rfind("133.134.10.", 0), 0u);
    EXPECT_EQ(it->user, "Bob");
    EXPECT_EQ(it->location, "external");
    EXPECT_FALSE(it->trusted);
    EXPECT_EQ(it->verdict, "modify");
    ASSERT_EQ(it->proposal.size(), 2u);
    ASSERT_EQ(it->registered.size(), 2u);
    for (size_t k = 0; k < 2; ++k)
    {
        EXPECT_EQ(it->proposal[k].action, "none");
        EXPECT_EQ(it->registered[k].action, "ipsec");
        EXPECT_EQ(it->registered[k].protocols, "esp+ah");
        EXPECT_EQ(it->registered[k].source, it->proposal[k].source); // selectors kept
    }
    // The report: a timeline row linked to the screens, the changed fields marked, the
    // unchanged ones not.
    std::string html = DecisionScreenReport::Html(r.decisions, 1, 0);
    size_t k = size_t(it - r.decisions.begin()) + 1;
    std::string anchor = "decision-1-" + std::to_string(k);
    EXPECT_NE(html.find("<a href=\"#" + anchor + "\">"), std::string::npos);
    size_t screens = html.find("<details id=\"" + anchor + "\">");
    ASSERT_NE(screens, std::string::npos);
    std::string mine = html.substr(screens, html.find("</details>", screens) - screens);
    EXPECT_NE(mine.find("<td class=\"changed\">esp+ah</td>"), std::string::npos);
    EXPECT_EQ(mine.find("<td class=\"changed\">any</td>"), std::string::npos);
    EXPECT_NE(mine.find("<th>location</th><td>external</td>"), std::string::npos);
    // A decision that accepted as is marks nothing.
    auto same = std::find_if(r.decisions.begin(), r.decisions.end(), [](const auto& d) {
        return d.verdict == "accept";
    });
    ASSERT_NE(same, r.decisions.end());
    EXPECT_EQ(DecisionScreenReport::Html({*same}, 1, 0).find("class=\"changed\""),
              std::string::npos);
}
