/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Metrics out of summary.json, and a results folder: aggregated, failures excluded, folders of
// another version or campaign refused with the file or run named.

#include "campaign-aggregate.h"
#include "campaign-folder.h"
#include "campaign-process.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace ns3::campaign;
namespace fs = std::filesystem;

namespace
{

const nlohmann::json kSummary = nlohmann::json::parse(R"({
  "duration": 60, "decision": "LocationAware",
  "terminals": [{"name": "alice", "exposure_bytes": 10, "cpu_busy_s": 0.5},
                {"name": "bob", "exposure_bytes": 30, "cpu_busy_s": 1.5}]})");

Metric
M(const std::string& path, Reduce r)
{
    Metric m;
    m.name = "m";
    m.path = path;
    m.reduce = r;
    return m;
}

std::string
ErrorOf(const std::string& path, Reduce r)
{
    try
    {
        ExtractMetric(kSummary, M(path, r));
    }
    catch (const CampaignError& e)
    {
        return e.what();
    }
    return "";
}

/// A results folder with the campaign's runs faked: run.json and a summary.json.
struct Folder
{
    std::string dir;
    Campaign c;
    std::vector<RunSpec> runs;

    explicit Folder(const std::string& name)
    {
        dir = (fs::temp_directory_path() / ("presec-campaign-test-" + name)).string();
        fs::remove_all(dir);
        fs::create_directories(dir);
        WriteFileAtomically(dir + "/s.xml", "<scenario/>");
        c = ParseCampaignString(R"(<campaign name="c" scenario="s.xml" replications="3">
  <parameter name="decision" values="A B"/>
  <metric name="exposure" path="terminals[*].exposure_bytes" reduce="sum"/>
</campaign>)",
                                "c.xml",
                                dir);
        runs = Expand(c);
        PrepareFolder(c, runs, dir);
    }

    void Done(size_t i, double exposure)
    {
        std::string d = RunDir(dir, runs[i]);
        fs::create_directories(d);
        nlohmann::json s;
        s["terminals"] = {{{"exposure_bytes", exposure}}};
        WriteFileAtomically(d + "/summary.json", s.dump());
        nlohmann::json m{{"format", kFormat}, {"run_id", runs[i].id}};
        WriteFileAtomically(d + "/run.json", m.dump());
    }

    void Failed(size_t i)
    {
        std::string d = RunDir(dir, runs[i]);
        fs::create_directories(d);
        WriteFileAtomically(d + "/stderr.txt", "msg: unknown cpu profile 'z80'\n");
        WriteFileAtomically(d + "/command.txt", "presec-run s.xml --set=terminal:bob:cpu=z80\n");
        WriteFileAtomically(d + "/failed.json", R"({"exit_status": 1})");
    }

    ~Folder()
    {
        fs::remove_all(dir);
    }
};

} // namespace

TEST(CampaignAggregate, Paths)
{
    EXPECT_DOUBLE_EQ(ExtractMetric(kSummary, M("duration", Reduce::SINGLE)), 60);
    EXPECT_DOUBLE_EQ(ExtractMetric(kSummary, M("terminals[*].exposure_bytes", Reduce::SUM)), 40);
    EXPECT_DOUBLE_EQ(ExtractMetric(kSummary, M("terminals[*].cpu_busy_s", Reduce::MEAN)), 1);
    EXPECT_DOUBLE_EQ(ExtractMetric(kSummary, M("terminals[*].cpu_busy_s", Reduce::MAX)), 1.5);
    EXPECT_DOUBLE_EQ(ExtractMetric(kSummary, M("terminals[*].cpu_busy_s", Reduce::MIN)), 0.5);
    EXPECT_DOUBLE_EQ(ExtractMetric(kSummary, M("terminals[1].exposure_bytes", Reduce::SINGLE)), 30);
    EXPECT_NE(ErrorOf("nothing", Reduce::SINGLE).find("no key 'nothing'"), std::string::npos);
    EXPECT_NE(ErrorOf("decision", Reduce::SINGLE).find("not a number"), std::string::npos);
    EXPECT_NE(ErrorOf("terminals[*].exposure_bytes", Reduce::SINGLE).find("selects 2 numbers"),
              std::string::npos);
    EXPECT_NE(ErrorOf("terminals[5].exposure_bytes", Reduce::SINGLE).find("no element 5"),
              std::string::npos);
    EXPECT_NE(ErrorOf("duration[*]", Reduce::SUM).find("not an array"), std::string::npos);
}

TEST(CampaignAggregate, FailedRunExcluded)
{
    Folder f("failed");
    for (size_t i = 0; i < 6; ++i)
    {
        if (i == 4)
        {
            f.Failed(i);
        }
        else
        {
            f.Done(i, static_cast<double>(10 * (i + 1)));
        }
    }
    Aggregate a = Collect(f.c, f.runs, f.dir);
    EXPECT_EQ(a.done, 5U);
    EXPECT_EQ(a.failed, 1U);
    EXPECT_EQ(a.pending, 0U);
    ASSERT_EQ(a.configs.size(), 2U);
    EXPECT_EQ(a.configs[0].metrics[0].n, 3U);
    EXPECT_DOUBLE_EQ(a.configs[0].metrics[0].mean, 20);
    EXPECT_EQ(a.configs[1].metrics[0].n, 2U); // run 4 excluded: 40 and 60
    EXPECT_DOUBLE_EQ(a.configs[1].metrics[0].mean, 50);
    EXPECT_EQ(a.configs[1].failed, 1U);
    EXPECT_EQ(a.runs[4].exitStatus, 1);
    EXPECT_NE(a.runs[4].stderrTail.find("z80"), std::string::npos);
    WriteAggregate(f.c, a, f.dir);
    std::string summary = ReadFile(f.dir + "/summary.csv");
    // The interval's digits are the statistics test's business.
    EXPECT_EQ(summary.substr(0, summary.find('\n') + 1),
              "config,decision,metric,n,mean,sd,ci95_low,ci95_high,failed_runs\n");
    EXPECT_NE(summary.find("decision=A,A,exposure,3,20,10,-4.84137711750"), std::string::npos)
        << summary;
    EXPECT_NE(summary.find("decision=B,B,exposure,2,50,14.142135623730951,"), std::string::npos);
    EXPECT_NE(ReadFile(f.dir + "/runs.csv").find(",failed,"), std::string::npos);
    EXPECT_TRUE(fs::exists(f.dir + "/campaign.sqlite"));
}

TEST(CampaignAggregate, PendingRunsCounted)
{
    Folder f("pending");
    f.Done(0, 1);
    Aggregate a = Collect(f.c, f.runs, f.dir);
    EXPECT_EQ(a.done, 1U);
    EXPECT_EQ(a.pending, 5U);
}

TEST(CampaignAggregate, OtherVersionRefused)
{
    Folder f("version");
    f.Done(0, 1);
    WriteFileAtomically(RunDir(f.dir, f.runs[0]) + "/run.json",
                        R"({"format": "presec-sweep/0", "run_id": ")" + f.runs[0].id + "\"}");
    try
    {
        Collect(f.c, f.runs, f.dir);
        FAIL() << "accepted";
    }
    catch (const CampaignError& e)
    {
        std::string m = e.what();
        EXPECT_NE(m.find("run " + f.runs[0].id + ": "), std::string::npos) << m;
        EXPECT_NE(m.find("another version"), std::string::npos) << m;
    }
    // The manifest of another format or campaign.
    WriteFileAtomically(f.dir + "/campaign.json", R"({"format": "presec-sweep/0"})");
    try
    {
        PrepareFolder(f.c, f.runs, f.dir);
        FAIL() << "accepted";
    }
    catch (const CampaignError& e)
    {
        EXPECT_NE(std::string(e.what()).find(f.dir + "/campaign.json: results written by another "
                                                     "version"),
                  std::string::npos)
            << e.what();
    }
    WriteFileAtomically(f.dir + "/campaign.json",
                        nlohmann::json{{"format", kFormat}, {"campaign_hash", "0"}}.dump());
    EXPECT_THROW(PrepareFolder(f.c, f.runs, f.dir), CampaignError);
    WriteFileAtomically(f.dir + "/campaign.json", "{not json");
    EXPECT_THROW(CheckFolder(f.c, f.runs, f.dir), CampaignError);
}

TEST(CampaignAggregate, DamagedSummaryNamesTheRun)
{
    Folder f("damaged");
    f.Done(2, 1);
    WriteFileAtomically(RunDir(f.dir, f.runs[2]) + "/summary.json", "{\"terminals\": [");
    try
    {
        Collect(f.c, f.runs, f.dir);
        FAIL() << "accepted";
    }
    catch (const CampaignError& e)
    {
        EXPECT_NE(std::string(e.what()).find("run " + f.runs[2].id + ": "), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("summary.json: not valid JSON"), std::string::npos);
    }
}

TEST(CampaignAggregate, Numbers)
{
    EXPECT_EQ(FormatNumber(0.1), "0.1");
    EXPECT_EQ(FormatNumber(1e300), "1e+300");
    EXPECT_EQ(FormatNumber(std::nan("")), "");
}
