/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Campaign files: a good one parses; each bad one is an error naming file:line.

#include "campaign.h"

#include <gtest/gtest.h>

using namespace ns3::campaign;

namespace
{

const char* const kGood = R"(<?xml version="1.0"?>
<campaign name="decision-cpu" scenario="../office-to-cafe.xml" replications="5" first-run="3">
  <arg value="--duration=10"/>
  <parameter name="decision" values="LocationAware  AlwaysMaximum"/>
  <parameter name="terminal:bob:cpu" values="xscale-pxa250 x86-64-aesni"/>
  <metric name="exposure_bytes" path="terminals[*].exposure_bytes" reduce="sum"/>
  <metric name="duration" path="duration"/>
</campaign>
)";

/// The error of parsing \p xml, or "" when it parses.
std::string
ErrorOf(const std::string& xml)
{
    try
    {
        ParseCampaignString(xml, "c.xml", "/base/dir");
    }
    catch (const CampaignError& e)
    {
        return e.what();
    }
    return "";
}

/// A campaign around \p body.
std::string
With(const std::string& body)
{
    return "<campaign name=\"c\" scenario=\"s.xml\">\n" + body + "\n</campaign>\n";
}

} // namespace

TEST(CampaignParser, GoodFile)
{
    Campaign c = ParseCampaignString(kGood, "c.xml", "/base/campaigns");
    EXPECT_EQ(c.name, "decision-cpu");
    EXPECT_EQ(c.scenario, "/base/office-to-cafe.xml");
    EXPECT_EQ(c.replications, 5U);
    EXPECT_EQ(c.firstRun, 3U);
    ASSERT_EQ(c.parameters.size(), 2U);
    EXPECT_EQ(c.parameters[0].name, "decision");
    EXPECT_EQ(c.parameters[0].values, (std::vector<std::string>{"LocationAware", "AlwaysMaximum"}));
    EXPECT_EQ(c.parameters[1].line, 5U);
    ASSERT_EQ(c.metrics.size(), 2U);
    EXPECT_EQ(c.metrics[0].reduce, Reduce::SUM);
    EXPECT_EQ(c.metrics[1].reduce, Reduce::SINGLE);
    EXPECT_EQ(c.args, (std::vector<std::string>{"--duration=10"}));
}

TEST(CampaignParser, AbsoluteScenarioKept)
{
    Campaign c = ParseCampaignString(
        "<campaign name=\"c\" scenario=\"/x/s.xml\"><metric name=\"d\" path=\"duration\"/>"
        "</campaign>",
        "c.xml",
        "/base");
    EXPECT_EQ(c.scenario, "/x/s.xml");
}

TEST(CampaignParser, ErrorsNameFileAndLine)
{
    const std::string metric = "<metric name=\"d\" path=\"duration\"/>";

    struct Case
    {
        std::string xml;
        std::string expected; // a part of the message, "c.xml:LINE: ..." included
    };

    std::vector<Case> cases{
        {"", "c.xml:1: the campaign file is empty"},
        {"<campaign", "c.xml:1: "},
        {"<campaign name=\"c\" scenario=\"s.xml\">\n<metric name=\"d\" path=\"duration\">\n",
         "c.xml:3: "},
        {"<!DOCTYPE campaign [<!ENTITY a \"b\">]><campaign/>", "may not have a DTD"},
        {"<scenario/>", "c.xml:1: the root element must be <campaign>"},
        {"<campaign scenario=\"s.xml\">" + metric + "</campaign>", "needs a name="},
        {"<campaign name=\"c\">" + metric + "</campaign>", "needs a scenario="},
        {"<campaign name=\"a b\" scenario=\"s\">" + metric + "</campaign>", "may hold only"},
        {"<campaign name=\"c\" scenario=\"s\" replications=\"0\">" + metric + "</campaign>",
         "replications=\"0\" is not a whole number from 1"},
        {"<campaign name=\"c\" scenario=\"s\" replications=\"5x\">" + metric + "</campaign>",
         "replications=\"5x\""},
        {"<campaign name=\"c\" scenario=\"s\" colour=\"red\">" + metric + "</campaign>",
         "has no attribute 'colour'"},
        {With(""), "c.xml:1: a campaign needs at least one <metric>"},
        {With(metric + "\n<parametre name=\"decision\" values=\"A\"/>"),
         "c.xml:3: unknown element <parametre>"},
        {With(metric + "\n<parameter name=\"decision\" values=\" \"/>"),
         "c.xml:3: <parameter> needs at least one value"},
        {With(metric + "\n<parameter name=\"decision\" values=\"A B A\"/>"),
         "c.xml:3: value 'A' is listed twice"},
        {With(metric + "\n<parameter name=\"cpu\" values=\"A\"/>"),
         "c.xml:3: parameter 'cpu' is none of"},
        {With(metric + "\n<parameter name=\"terminal:bob:\" values=\"A\"/>"),
         "c.xml:3: parameter 'terminal:bob:'"},
        {With(metric + "\n<parameter name=\"a:b:c:d\" values=\"A\"/>"), "c.xml:3: parameter"},
        {With(metric + "\n<parameter name=\"decision\" values=\"A\"/>\n"
                       "<parameter name=\"decision\" values=\"B\"/>"),
         "c.xml:4: parameter 'decision' is declared twice"},
        {With("<metric name=\"d\" path=\"terminals[x].a\"/>"), "c.xml:2: path 'terminals[x].a'"},
        {With("<metric name=\"d\" path=\"a..b\"/>"), "c.xml:2: path 'a..b'"},
        {With("<metric name=\"d\" path=\"a.\"/>"), "c.xml:2: path 'a.'"},
        {With("<metric name=\"d\" path=\"a[*\"/>"), "c.xml:2: path"},
        {With("<metric name=\"d\" path=\"d\" reduce=\"median\"/>"), "c.xml:2: reduce=\"median\""},
        {With(metric + "\n" + metric), "c.xml:3: metric 'd' is declared twice"},
        {With(metric + "\n<arg value=\"--out=x\"/>"), "c.xml:3: <arg value=\"--out=x\"> must be"},
        {With(metric + "\n<arg value=\"duration=3\"/>"), "c.xml:3: <arg"},
        {With(metric + "\n<parameter name=\"decision\" values=\"A\"><x/></parameter>"),
         "c.xml:3: <parameter> has no child elements"},
    };
    for (const auto& k : cases)
    {
        std::string error = ErrorOf(k.xml);
        EXPECT_NE(error.find(k.expected), std::string::npos)
            << "input:\n"
            << k.xml << "\nerror: " << error << "\nexpected: " << k.expected;
    }
}

TEST(CampaignParser, TooManyRuns)
{
    std::string values;
    for (int i = 0; i < 1001; ++i)
    {
        values += "v" + std::to_string(i) + " ";
    }
    std::string xml = "<campaign name=\"c\" scenario=\"s\" replications=\"1000\">\n"
                      "<parameter name=\"decision\" values=\"" +
                      values + "\"/><metric name=\"d\" path=\"d\"/></campaign>";
    EXPECT_NE(ErrorOf(xml).find("c.xml:2: the campaign expands into more than 1000000 runs"),
              std::string::npos)
        << ErrorOf(xml);
}

TEST(CampaignParser, MissingFile)
{
    try
    {
        ParseCampaignFile("/nonexistent/campaign.xml");
        FAIL() << "no error";
    }
    catch (const CampaignError& e)
    {
        EXPECT_STREQ(e.what(), "/nonexistent/campaign.xml: cannot read the campaign file");
    }
}
