/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_CAMPAIGN_EXECUTOR_H
#define PRESEC_CAMPAIGN_EXECUTOR_H

// Running a campaign's runs: one run (presec-run in its own folder, retried once), all pending
// runs on this machine through GNU parallel, or a Slurm job array of chunks of runs.

#include "campaign.h"

#include <string>
#include <vector>

namespace ns3
{
namespace campaign
{

/**
 * Run one run unless it is done: presec-run writes into DIR/runs/.tmp/<id>, which is renamed
 * to DIR/runs/<id> with its run.json marker once presec-run succeeded; a failure is retried
 * once, then the folder keeps stderr.txt and failed.json.
 * \param runner the presec-run executable
 * \param run the run
 * \param dir the results folder (prepared)
 * \return true when the run is done
 */
bool ExecuteRun(const std::string& runner, const RunSpec& run, const std::string& dir);

/**
 * Every pending run on this machine: GNU parallel (progress bar and ETA) calls
 * "presec-sweep CAMPAIGN --out=DIR --run=ID,ID,..." for each guided chunk of them (each
 * 1/(2 jobs) of the runs left, at least one); without parallel, one after the other.
 * \param campaignFile the campaign file (absolute)
 * \param runs its expansion
 * \param dir the results folder (absolute, prepared)
 * \param jobs runs at a time
 */
void RunLocal(const std::string& campaignFile,
              const std::vector<RunSpec>& runs,
              const std::string& dir,
              unsigned jobs);

/**
 * \param runs a campaign's runs
 * \param chunk runs per task
 * \return the number of tasks
 */
unsigned TaskCount(size_t runs, unsigned chunk);

/**
 * \param runs a campaign's runs
 * \param chunk runs per task, as asked
 * \param maxArraySize Slurm's MaxArraySize
 * \return the chunk size, raised until the tasks fit the array (indices below maxArraySize)
 */
unsigned FitChunk(size_t runs, unsigned chunk, unsigned maxArraySize);

/** \return Slurm's MaxArraySize from "scontrol show config", or its default 1001 */
unsigned SlurmMaxArraySize();

/**
 * Write DIR/sweep.sbatch: a job array, one task per chunk of runs; the tasks share the runs
 * through claims (RunTask) in DIR/slurm/claims-JOBID.
 * \param campaignFile the campaign file (absolute)
 * \param c the campaign
 * \param runs its expansion
 * \param dir the results folder (absolute, prepared)
 * \param chunk runs per task (fitted)
 * \return the script's path
 */
std::string WriteSlurmScript(const std::string& campaignFile,
                             const Campaign& c,
                             const std::vector<RunSpec>& runs,
                             const std::string& dir,
                             unsigned chunk);

/**
 * The runs of one array task, one after the other.
 *
 * Without claims, the task runs its own chunk. With a claims folder (shared by the tasks of
 * one array), the tasks share the work: a task takes the runs from its chunk's first on,
 * wrapping around, and runs each run that no task has claimed yet (a claim is a file created
 * with O_EXCL in the folder). A task on a fast CPU or node then takes over what a slow one
 * has not started, as GNU parallel's queue does locally; with equal speeds each task runs its
 * own chunk.
 * \param runner the presec-run executable
 * \param runs the campaign's expansion
 * \param dir the results folder
 * \param task the task index
 * \param chunk runs per task
 * \param claims the claims folder (created if missing), or empty for the task's chunk only
 * \return the number of its runs that failed
 * \throws CampaignError when the task index is beyond the last chunk, or the claims folder
 *         cannot be created
 */
unsigned RunTask(const std::string& runner,
                 const std::vector<RunSpec>& runs,
                 const std::string& dir,
                 unsigned task,
                 unsigned chunk,
                 const std::string& claims = "");

} // namespace campaign
} // namespace ns3

#endif // PRESEC_CAMPAIGN_EXECUTOR_H
