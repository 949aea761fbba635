/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Expansion: every combination times every replication, stable ids, presec-run arguments.

#include "campaign-executor.h"
#include "campaign.h"

#include <gtest/gtest.h>
#include <set>

using namespace ns3::campaign;

namespace
{

Campaign
Sample()
{
    return ParseCampaignString(
        R"(<campaign name="c" scenario="/s/office.xml" replications="3" first-run="7">
  <arg value="--duration=10"/>
  <parameter name="decision" values="LocationAware AlwaysMaximum"/>
  <parameter name="terminal:bob:cpu" values="xscale-pxa250 x86-64-aesni"/>
  <parameter name="decision-attr:Seed" values="4"/>
  <metric name="d" path="duration"/>
</campaign>)",
        "c.xml",
        "/");
}

} // namespace

TEST(CampaignExpansion, EveryCombinationAndReplication)
{
    auto runs = Expand(Sample());
    ASSERT_EQ(runs.size(), 12U);
    std::set<std::string> ids;
    for (size_t i = 0; i < runs.size(); ++i)
    {
        EXPECT_EQ(runs[i].index, i);
        EXPECT_EQ(runs[i].config, i / 3);
        EXPECT_EQ(runs[i].rngRun, 7 + i % 3);
        ids.insert(runs[i].id);
    }
    EXPECT_EQ(ids.size(), 12U) << "run ids must be unique";
    // The first parameter varies slowest.
    EXPECT_EQ(runs[0].values, (std::vector<std::string>{"LocationAware", "xscale-pxa250", "4"}));
    EXPECT_EQ(runs[3].values, (std::vector<std::string>{"LocationAware", "x86-64-aesni", "4"}));
    EXPECT_EQ(runs[6].values, (std::vector<std::string>{"AlwaysMaximum", "xscale-pxa250", "4"}));
    EXPECT_EQ(ConfigLabel(Sample(), runs[6].values),
              "decision=AlwaysMaximum terminal:bob:cpu=xscale-pxa250 decision-attr:Seed=4");
}

TEST(CampaignExpansion, CommandLine)
{
    auto runs = Expand(Sample());
    EXPECT_EQ(runs[4].command,
              (std::vector<std::string>{"/s/office.xml",
                                        "--RngRun=8",
                                        "--duration=10",
                                        "--decision=LocationAware",
                                        "--set=terminal:bob:cpu=x86-64-aesni",
                                        "--decision-attr=Seed=4"}));
}

TEST(CampaignExpansion, StableIds)
{
    // Known values: the id must not change between versions, runs or machines (a resumed
    // campaign finds its runs by id). Single-valued parameters are only in the hash.
    auto runs = Expand(Sample());
    EXPECT_EQ(runs[0].id.substr(0, runs[0].id.size() - 8),
              "decision=LocationAware_terminal-bob-cpu=xscale-pxa250_run=7_");
    EXPECT_EQ(runs[0].id, Expand(Sample())[0].id);
    EXPECT_EQ(Hex(StableHash(""), 16), "cbf29ce484222325");  // FNV-1a offset basis
    EXPECT_EQ(Hex(StableHash("a"), 16), "af63dc4c8601ec8c"); // FNV-1a test vector
    // Values that sanitize alike still get different ids.
    Campaign c = ParseCampaignString(R"(<campaign name="c" scenario="s">
  <parameter name="terminal:bob:cpu" values="a:b a-b"/><metric name="d" path="d"/></campaign>)",
                                     "c.xml",
                                     "/");
    auto two = Expand(c);
    ASSERT_EQ(two.size(), 2U);
    EXPECT_NE(two[0].id, two[1].id);
}

TEST(CampaignExpansion, NoParameters)
{
    Campaign c = ParseCampaignString(
        R"(<campaign name="c" scenario="s" replications="2"><metric name="d" path="d"/></campaign>)",
        "c.xml",
        "/");
    auto runs = Expand(c);
    ASSERT_EQ(runs.size(), 2U);
    EXPECT_EQ(runs[1].id.substr(0, 6), "run=2_");
    EXPECT_EQ(ConfigLabel(c, runs[0].values), "all");
}

TEST(CampaignExpansion, SlurmChunksFitMaxArraySize)
{
    EXPECT_EQ(TaskCount(20, 1), 20U);
    EXPECT_EQ(TaskCount(20, 6), 4U);
    EXPECT_EQ(FitChunk(20, 1, 1001), 1U);
    EXPECT_EQ(FitChunk(20, 0, 1001), 1U);
    // 5000 runs, default MaxArraySize 1001: indices 0..1000 at most.
    unsigned chunk = FitChunk(5000, 1, 1001);
    EXPECT_EQ(chunk, 5U);
    EXPECT_LE(TaskCount(5000, chunk), 1001U);
    EXPECT_EQ(FitChunk(5000, 10, 1001), 10U); // already fits
    EXPECT_EQ(FitChunk(1002, 1, 1001), 2U);
    EXPECT_EQ(TaskCount(1002, 2), 501U);
}
