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
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

using namespace ns3;

namespace
{

/// office-to-cafe.xml with LocationAware everywhere (a parse error fails the test).
ScenarioRunResult
OfficeToCafe()
{
    auto p = ScenarioParser::ParseFile(std::string(PRESEC_SCENARIO_DIR) + "/office-to-cafe.xml");
    EXPECT_TRUE(p.IsOk()) << p.GetError();
    if (!p)
    {
        return {};
    }
    ScenarioRunOptions o;
    o.decision = "LocationAware";
    return ScenarioRunner::Run(p.GetValue(), o);
}

} // namespace

TEST(DecisionScreens, EveryDecisionKeepsTheScreensItsUserSaw)
{
    ScenarioRunResult r = OfficeToCafe();
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

// The same records in the result files: summary.json's "decisions" and decisions.csv, a row
// each, with the screens' fields (a researcher's analysis reads them, not the page).
TEST(DecisionScreens, SummaryJsonAndDecisionsCsvCarryEveryRecordedDecision)
{
    ScenarioRunResult r = OfficeToCafe();
    ASSERT_GT(r.decisions.size(), 1u);

    nlohmann::json j = nlohmann::json::parse(r.ToJson());
    ASSERT_EQ(j["decisions"].size(), r.decisions.size());
    size_t raised = 0;
    for (size_t k = 0; k < r.decisions.size(); ++k)
    {
        const auto& d = j["decisions"][k];
        EXPECT_EQ(d["terminal"], r.decisions[k].terminal);
        EXPECT_EQ(d["verdict"], r.decisions[k].verdict);
        EXPECT_EQ(d["proposed"].size(), r.decisions[k].proposal.size());
        EXPECT_EQ(d["registered"].size(), r.decisions[k].registered.size());
        if (d["terminal"] == "alice" && d["network"] == "external")
        {
            ++raised;
            EXPECT_EQ(d["entity"], "pres:bob@example.com");
            EXPECT_EQ(d["trusted"], false);
            EXPECT_EQ(d["verdict"], "modify");
            EXPECT_EQ(d["proposed"][0]["action"], "none");
            EXPECT_EQ(d["registered"][0]["action"], "ipsec");
            EXPECT_EQ(d["registered"][0]["protocols"], "esp+ah");
        }
    }
    EXPECT_GE(raised, 1u);

    std::istringstream csv(r.DecisionsCsv());
    std::string line;
    ASSERT_TRUE(std::getline(csv, line));
    EXPECT_EQ(line.rfind("terminal,time_s,entity,address,user,location,network,trusted,", 0), 0u);
    size_t rows = 0;
    size_t raisedRows = 0;
    while (std::getline(csv, line))
    {
        ++rows;
        if (line.rfind("alice,", 0) == 0 && line.find(",external,0,") != std::string::npos)
        {
            ++raisedRows;
            EXPECT_NE(line.find(",modify,"), std::string::npos) << line;
            EXPECT_NE(line.find(" ipsec esp+ah/"), std::string::npos) << line;
        }
    }
    EXPECT_EQ(rows, r.decisions.size());
    EXPECT_EQ(raisedRows, raised);

    // A model's reason with a comma or a quote stays one field (RFC 4180).
    ScenarioRunResult q;
    q.decisions.emplace_back();
    q.decisions[0].terminal = "t";
    q.decisions[0].reason = "raised, the peer is on a \"cafe\"";
    EXPECT_NE(q.DecisionsCsv().find(",\"raised, the peer is on a \"\"cafe\"\"\","),
              std::string::npos)
        << q.DecisionsCsv();
}
