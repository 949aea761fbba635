/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_CAMPAIGN_AGGREGATE_H
#define PRESEC_CAMPAIGN_AGGREGATE_H

// Every run's metrics, read from its summary.json, and their statistics per configuration,
// written to DIR/campaign.sqlite, DIR/runs.csv and DIR/summary.csv.

#include "campaign-folder.h"
#include "campaign-statistics.h"
#include "campaign.h"

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace ns3
{
namespace campaign
{

/** One run's outcome. */
struct RunResult
{
    const RunSpec* run{nullptr};       //!< the run
    RunState state{RunState::PENDING}; //!< how it ended
    std::vector<double> metrics;       //!< one per campaign metric, when done
    int exitStatus{0};                 //!< presec-run's, when failed
    std::string command;               //!< its command line
    std::string stderrTail;            //!< last lines of its stderr, when failed
};

/** The statistics of one configuration. */
struct ConfigResult
{
    unsigned config{0};                 //!< its index
    std::vector<std::string> values;    //!< its parameter values
    std::vector<SampleSummary> metrics; //!< one per campaign metric, over its done runs
    unsigned failed{0};                 //!< its failed runs, excluded
};

/** A campaign's aggregate. */
struct Aggregate
{
    std::vector<RunResult> runs;       //!< in expansion order
    std::vector<ConfigResult> configs; //!< in configuration order
    unsigned done{0};                  //!< runs aggregated
    unsigned failed{0};                //!< runs failed, excluded
    unsigned pending{0};               //!< runs not finished
};

/**
 * One metric of one run.
 * \param summary the run's summary.json
 * \param metric the metric
 * \return its value
 * \throws CampaignError when the path selects no number (or several for reduce="single")
 */
double ExtractMetric(const nlohmann::json& summary, const Metric& metric);

/**
 * Read every run's state and metrics.
 * \param c the campaign
 * \param runs its expansion
 * \param dir the results folder
 * \return the aggregate
 * \throws CampaignError naming the run whose results are damaged or from another version
 */
Aggregate Collect(const Campaign& c, const std::vector<RunSpec>& runs, const std::string& dir);

/**
 * Write DIR/runs.csv, DIR/summary.csv and DIR/campaign.sqlite.
 * \param c the campaign
 * \param a its aggregate
 * \param dir the results folder
 * \throws CampaignError when a file cannot be written
 */
void WriteAggregate(const Campaign& c, const Aggregate& a, const std::string& dir);

/**
 * \param v a number
 * \return the shortest text that reads back as the same double; "" for NaN
 */
std::string FormatNumber(double v);

} // namespace campaign
} // namespace ns3

#endif // PRESEC_CAMPAIGN_AGGREGATE_H
