/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_CAMPAIGN_FOLDER_H
#define PRESEC_CAMPAIGN_FOLDER_H

// The results folder of a campaign: its manifest (format version and campaign hash) and the
// state of each run folder.
//
//   DIR/campaign.json             manifest
//   DIR/runs/<run-id>/run.json    completion marker of a finished run (written last)
//   DIR/runs/<run-id>/failed.json a run that failed twice: exit status, attempts
//   DIR/runs/.tmp/<run-id>        a run in progress (renamed into place when it ends)

#include "campaign.h"

#include <string>
#include <vector>

namespace ns3
{
namespace campaign
{

/// Format of campaign.json and run.json; bumped whenever a file's meaning changes.
extern const char* const kFormat;

/** Where a run stands. */
enum class RunState
{
    PENDING, //!< not run yet, or interrupted
    DONE,    //!< finished: its run.json exists
    FAILED   //!< failed after its retry: its failed.json exists
};

/**
 * \param dir the results folder
 * \param run a run
 * \return its folder
 */
std::string RunDir(const std::string& dir, const RunSpec& run);

/**
 * \param dir the results folder
 * \param run a run
 * \return its state
 */
RunState StateOf(const std::string& dir, const RunSpec& run);

/**
 * \param c the campaign
 * \param runs its expansion
 * \return a hash of everything that determines its results: the runs' command lines, the
 *         metrics and the scenario file's bytes
 * \throws CampaignError when the scenario cannot be read
 */
std::string CampaignHash(const Campaign& c, const std::vector<RunSpec>& runs);

/**
 * Make the results folder, or check that it holds results of this campaign written by this
 * version of the tool (a rerun resumes it).
 * \param c the campaign
 * \param runs its expansion
 * \param dir the folder
 * \throws CampaignError naming DIR/campaign.json when it belongs to another campaign or format
 */
void PrepareFolder(const Campaign& c, const std::vector<RunSpec>& runs, const std::string& dir);

/**
 * Hold the results folder for one local campaign: an exclusive flock(2) on DIR/.lock, released
 * when the process ends however it ends (a killed campaign leaves no stale lock).
 * \param dir the folder (prepared)
 * \throws CampaignError naming the folder when another presec-sweep holds it
 */
void LockFolder(const std::string& dir);

/**
 * Check an existing results folder without writing (--collect).
 * \param c the campaign
 * \param runs its expansion
 * \param dir the folder
 * \throws CampaignError when it is missing or belongs to another campaign or format
 */
void CheckFolder(const Campaign& c, const std::vector<RunSpec>& runs, const std::string& dir);

} // namespace campaign
} // namespace ns3

#endif // PRESEC_CAMPAIGN_FOLDER_H
