/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_CAMPAIGN_PROCESS_H
#define PRESEC_CAMPAIGN_PROCESS_H

// Child processes of the sweep tool (presec-run, GNU parallel, sbatch, scontrol, gnuplot),
// started without a shell so no argument is ever re-parsed.

#include <string>
#include <vector>

namespace ns3
{
namespace campaign
{

/**
 * Run a program and wait for it.
 * \param argv the program (a path, or a name looked up on PATH) and its arguments
 * \param cwd the working directory ("" keeps ours)
 * \param stdoutFile where its standard output goes ("" keeps ours)
 * \param stderrFile where its standard error goes ("" keeps ours)
 * \return its exit status, 128 + the signal that killed it, or 127 when it could not start
 */
int Spawn(const std::vector<std::string>& argv,
          const std::string& cwd,
          const std::string& stdoutFile,
          const std::string& stderrFile);

/**
 * \param name a program name
 * \return its path on PATH, or "" when it is not there
 */
std::string FindOnPath(const std::string& name);

/** \return the folder of the running executable (presec-run is looked up there) */
std::string SelfDir();

/** \return the absolute path of the running executable */
std::string SelfPath();

/**
 * \param path a file
 * \return its bytes
 * \throws CampaignError when it cannot be read
 */
std::string ReadFile(const std::string& path);

/**
 * Write a file whole: to a temporary name first, then renamed, so a reader (or a rerun after
 * a kill) never sees half of it.
 * \param path the file
 * \param text its bytes
 * \throws CampaignError when it cannot be written
 */
void WriteFileAtomically(const std::string& path, const std::string& text);

/**
 * \param argv a command line
 * \return it as one line a shell would read back the same (single quotes where needed)
 */
std::string ShellQuote(const std::vector<std::string>& argv);

} // namespace campaign
} // namespace ns3

#endif // PRESEC_CAMPAIGN_PROCESS_H
