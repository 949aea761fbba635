/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_CAMPAIGN_H
#define PRESEC_CAMPAIGN_H

// A campaign file (issue 14): one scenario, the parameters to sweep and their values, the
// number of replications and the metrics to aggregate; and its expansion into runs.

#include <stdexcept>
#include <string>
#include <vector>

namespace ns3
{
namespace campaign
{

/**
 * Bad input of the sweep tool: a campaign file, a results folder, a run. The message names
 * the file and line, or the run, so the user knows what to fix.
 */
class CampaignError : public std::runtime_error
{
  public:
    /**
     * \param message what is wrong, and where
     */
    explicit CampaignError(const std::string& message)
        : std::runtime_error(message)
    {
    }
};

/** One swept parameter: how it reaches presec-run and the values it takes. */
struct Parameter
{
    std::string name;                //!< "decision", "decision-attr:K" or "element:name:key"
    std::vector<std::string> values; //!< in the file's order
    unsigned line{0};                //!< where it is declared
};

/** How the numbers a metric path selects become one value per run. */
enum class Reduce
{
    SUM,   //!< their sum
    MEAN,  //!< their mean
    MAX,   //!< the largest
    MIN,   //!< the smallest
    SINGLE //!< exactly one number is expected
};

/** One metric of interest, read from each run's summary.json. */
struct Metric
{
    std::string name;              //!< column name in the outputs
    std::string path;              //!< e.g. "terminals[*].exposure_bytes"
    Reduce reduce{Reduce::SINGLE}; //!< how several numbers become one
    unsigned line{0};              //!< where it is declared
};

/** A parsed campaign file. */
struct Campaign
{
    std::string file;                  //!< the campaign file as given
    std::string name;                  //!< names the default output folder
    std::string scenario;              //!< absolute or relative to the working directory
    std::vector<std::string> args;     //!< fixed presec-run arguments (the arg elements)
    unsigned replications{1};          //!< runs per configuration
    unsigned firstRun{1};              //!< RngRun of the first replication
    std::vector<Parameter> parameters; //!< swept, outermost first
    std::vector<Metric> metrics;       //!< aggregated
};

/** One run of a campaign: a configuration and a replication. */
struct RunSpec
{
    std::string id;                   //!< stable: the same on every invocation and machine
    unsigned index{0};                //!< position in the expansion order
    unsigned config{0};               //!< index of its configuration
    std::vector<std::string> values;  //!< one per parameter
    unsigned rngRun{0};               //!< --RngRun
    std::vector<std::string> command; //!< presec-run's arguments after the program
};

/**
 * Parse a campaign file.
 * \param path the file
 * \return the campaign; the scenario path is resolved against the file's folder
 * \throws CampaignError naming path:line
 */
Campaign ParseCampaignFile(const std::string& path);

/**
 * Parse campaign text (what the fuzz target and the tests call).
 * \param xml the text
 * \param file the name used in messages
 * \param baseDir folder relative scenario paths are resolved against
 * \return the campaign
 * \throws CampaignError naming file:line
 */
Campaign ParseCampaignString(const std::string& xml,
                             const std::string& file,
                             const std::string& baseDir);

/**
 * Expand a campaign: every combination of parameter values (the first parameter varies
 * slowest) times every replication.
 * \param c the campaign
 * \return the runs, in a fixed order
 */
std::vector<RunSpec> Expand(const Campaign& c);

/**
 * \param c the campaign
 * \param values a configuration's parameter values
 * \return a readable label, "name=value name=value"
 */
std::string ConfigLabel(const Campaign& c, const std::vector<std::string>& values);

/**
 * 64-bit FNV-1a: a hash that is the same on every machine and compiler (std::hash is not).
 * \param text the bytes
 * \return the hash
 */
unsigned long long StableHash(const std::string& text);

/**
 * \param value a hash
 * \param digits hex digits kept
 * \return the lowest digits, zero-padded
 */
std::string Hex(unsigned long long value, unsigned digits);

/**
 * \param reduce a reduction
 * \return its name in campaign files
 */
std::string ReduceName(Reduce reduce);

} // namespace campaign
} // namespace ns3

#endif // PRESEC_CAMPAIGN_H
