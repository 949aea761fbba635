/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "campaign-executor.h"

#include "campaign-folder.h"
#include "campaign-process.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unistd.h>

namespace ns3
{
namespace campaign
{

namespace fs = std::filesystem;

namespace
{

/// One attempt in a fresh temporary folder; returns presec-run's exit status.
int
Attempt(const std::string& runner, const RunSpec& run, const std::string& tmp)
{
    std::error_code ec;
    fs::remove_all(tmp, ec);
    fs::create_directories(tmp, ec);
    if (ec)
    {
        throw CampaignError(tmp + ": cannot create (" + ec.message() + ")");
    }
    // presec-run writes into its working directory (--out=.), so no file of a run depends on
    // where the results folder is: two campaigns give byte-identical run folders.
    std::vector<std::string> argv{runner, run.command[0], "--out=."};
    argv.insert(argv.end(), run.command.begin() + 1, run.command.end());
    WriteFileAtomically(tmp + "/command.txt", ShellQuote(argv) + "\n");
    int status = Spawn(argv, tmp, tmp + "/stdout.txt", tmp + "/stderr.txt");
    if (status == 0 && !fs::exists(tmp + "/summary.json", ec))
    {
        std::ofstream(tmp + "/stderr.txt", std::ios::app)
            << "presec-sweep: presec-run exited 0 but wrote no summary.json\n";
        status = 125;
    }
    return status;
}

/// Move the finished temporary folder into place (the rename is the completion).
void
Publish(const std::string& tmp, const std::string& final)
{
    std::error_code ec;
    fs::remove_all(final, ec);
    fs::rename(tmp, final, ec);
    if (ec)
    {
        throw CampaignError(final + ": cannot move the run's results into place (" + ec.message() +
                            ")");
    }
}

} // namespace

bool
ExecuteRun(const std::string& runner, const RunSpec& run, const std::string& dir)
{
    if (StateOf(dir, run) == RunState::DONE)
    {
        return true;
    }
    std::string tmp = dir + "/runs/.tmp/" + run.id;
    int status = 0;
    for (unsigned attempt = 1; attempt <= 2; ++attempt)
    {
        status = Attempt(runner, run, tmp);
        nlohmann::json marker;
        marker["format"] = kFormat;
        marker["run_id"] = run.id;
        marker["rngrun"] = run.rngRun;
        if (status == 0)
        {
            WriteFileAtomically(tmp + "/run.json", marker.dump(2) + "\n");
            Publish(tmp, RunDir(dir, run));
            return true;
        }
        std::cerr << "presec-sweep: run " << run.id << " failed (exit status " << status << ")"
                  << (attempt == 1 ? ", retrying\n" : ", giving up\n");
        if (attempt == 2)
        {
            marker["exit_status"] = status;
            marker["attempts"] = attempt;
            WriteFileAtomically(tmp + "/failed.json", marker.dump(2) + "\n");
            Publish(tmp, RunDir(dir, run));
        }
    }
    return false;
}

void
RunLocal(const std::string& campaignFile,
         const std::vector<RunSpec>& runs,
         const std::string& dir,
         unsigned jobs)
{
    std::vector<const RunSpec*> todo;
    for (const auto& r : runs)
    {
        if (StateOf(dir, r) != RunState::DONE)
        {
            todo.push_back(&r);
        }
    }
    size_t pending = todo.size();
    // Guided chunks: each job takes 1/(2 jobs) of what is left, at least one run, so the
    // first chunks are long (few processes, GNU parallel mostly asleep) and the last ones
    // single runs (the cores finish together).
    std::string list;
    for (size_t i = 0; i < todo.size();)
    {
        size_t size = std::max<size_t>(1, (todo.size() - i) / (2 * std::max(jobs, 1U)));
        for (size_t k = 0; k < size; ++k, ++i)
        {
            list += (k ? "," : "") + todo[i]->id;
        }
        list += "\n";
    }
    std::cerr << "presec-sweep: " << runs.size() << " runs, " << runs.size() - pending
              << " already done, " << pending << " to run on " << jobs << " job(s)\n";
    if (pending == 0)
    {
        return;
    }
    std::string listFile = dir + "/pending.txt";
    WriteFileAtomically(listFile, list);
    std::vector<std::string> self{SelfPath(), campaignFile, "--out=" + dir};
    std::string parallel = FindOnPath("parallel");
    if (parallel.empty())
    {
        std::cerr << "presec-sweep: GNU parallel not found (Debian package parallel); running "
                     "the runs one after the other\n";
        for (const auto& r : runs)
        {
            if (StateOf(dir, r) != RunState::DONE)
            {
                auto argv = self;
                argv.push_back("--run=" + r.id);
                Spawn(argv, "", "", "");
            }
        }
        return;
    }
    // -q: the command's words are passed as they are, not re-read by a shell. Failed runs are
    // retried inside --run, and parallel's exit status (the number of failed jobs) is not
    // needed: each run's folder says how it ended.
    std::vector<std::string> argv{parallel, "--will-cite"};
    if (isatty(STDERR_FILENO))
    {
        // The bar and the ETA redraw a terminal line; into a log file they would repeat it.
        argv.insert(argv.end(), {"--bar", "--eta"});
    }
    argv.insert(argv.end(), {"-j", std::to_string(jobs), "-q", "-a", listFile});
    argv.insert(argv.end(), self.begin(), self.end());
    argv.push_back("--run={}");
    int status = Spawn(argv, "", "", "");
    if (status == 127 || status == 255)
    {
        throw CampaignError("GNU parallel could not run the campaign (exit status " +
                            std::to_string(status) + ")");
    }
}

unsigned
TaskCount(size_t runs, unsigned chunk)
{
    return static_cast<unsigned>((runs + chunk - 1) / chunk);
}

unsigned
FitChunk(size_t runs, unsigned chunk, unsigned maxArraySize)
{
    chunk = std::max(chunk, 1U);
    maxArraySize = std::max(maxArraySize, 1U);
    if (TaskCount(runs, chunk) > maxArraySize)
    {
        chunk = static_cast<unsigned>((runs + maxArraySize - 1) / maxArraySize);
    }
    return chunk;
}

unsigned
SlurmMaxArraySize()
{
    const unsigned kDefault = 1001; // Slurm's default MaxArraySize
    std::string scontrol = FindOnPath("scontrol");
    std::string timeout = FindOnPath("timeout");
    if (scontrol.empty() || timeout.empty())
    {
        return kDefault;
    }
    char name[] = "/tmp/presec-sweep-scontrol-XXXXXX";
    int fd = mkstemp(name);
    if (fd < 0)
    {
        return kDefault;
    }
    close(fd);
    int status = Spawn({timeout, "10", scontrol, "show", "config"}, "", name, "/dev/null");
    std::string text;
    try
    {
        text = ReadFile(name);
    }
    catch (const CampaignError&)
    {
    }
    unlink(name);
    if (status != 0)
    {
        return kDefault;
    }
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line))
    {
        std::istringstream words(line);
        std::string key;
        std::string eq;
        unsigned long value = 0;
        if (words >> key >> eq >> value && key == "MaxArraySize" && eq == "=" && value > 0)
        {
            return static_cast<unsigned>(std::min<unsigned long>(value, 4000001));
        }
    }
    return kDefault;
}

std::string
WriteSlurmScript(const std::string& campaignFile,
                 const Campaign& c,
                 const std::vector<RunSpec>& runs,
                 const std::string& dir,
                 unsigned chunk)
{
    std::error_code ec;
    fs::create_directories(dir + "/slurm", ec);
    unsigned tasks = TaskCount(runs.size(), chunk);
    std::ostringstream s;
    s << "#!/bin/bash\n"
      << "# Campaign " << c.name << ": " << runs.size() << " runs in " << tasks
      << " array tasks of " << chunk << " run(s); written by presec-sweep --slurm.\n"
      << "# After the array: presec-sweep " << ShellQuote({campaignFile, "--out=" + dir})
      << " --collect\n"
      << "#SBATCH --job-name=" << ShellQuote({"presec-" + c.name}) << "\n"
      << "#SBATCH --array=0-" << tasks - 1 << "\n"
      << "#SBATCH --ntasks=1\n"
      << "#SBATCH --cpus-per-task=1\n"
      << "#SBATCH --output=" << dir << "/slurm/%A_%a.out\n";
    if (const char* runner = std::getenv("PRESEC_SWEEP_RUNNER"); runner && *runner)
    {
        // The nodes run what this invocation would have run, whatever sbatch exports.
        s << "export PRESEC_SWEEP_RUNNER="
          << ShellQuote({fs::absolute(runner).lexically_normal().string()}) << "\n";
    }
    // The tasks of this array share their runs through claims in a folder of the array's own
    // (a resubmission starts afresh; finished runs are skipped anyway).
    s << "exec " << ShellQuote({SelfPath(), campaignFile, "--out=" + dir})
      << " --task=\"$SLURM_ARRAY_TASK_ID\" --chunk=" << chunk
      << " --claims=" << ShellQuote({dir + "/slurm/claims-"}) << "\"$SLURM_ARRAY_JOB_ID\"\n";
    std::string path = dir + "/sweep.sbatch";
    WriteFileAtomically(path, s.str());
    fs::permissions(path, fs::perms::owner_exec, fs::perm_options::add, ec);
    return path;
}

namespace
{

/// Claim a run for a task: true when this task got it.
bool
Claim(const std::string& claims, const RunSpec& run, unsigned task)
{
    // O_EXCL: exactly one task gets the run, also on NFS (v3 and later).
    int fd = ::open((claims + "/" + run.id).c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0)
    {
        if (errno == EEXIST)
        {
            return false;
        }
        throw CampaignError("cannot claim run " + run.id + " in " + claims + ": " +
                            std::strerror(errno));
    }
    // Which task took it: for the record (and the tests).
    std::string who = std::to_string(task) + "\n";
    bool written = ::write(fd, who.data(), who.size()) == ssize_t(who.size());
    ::close(fd);
    if (!written)
    {
        throw CampaignError("cannot write the claim of run " + run.id + " in " + claims);
    }
    return true;
}

} // namespace

unsigned
RunTask(const std::string& runner,
        const std::vector<RunSpec>& runs,
        const std::string& dir,
        unsigned task,
        unsigned chunk,
        const std::string& claims)
{
    unsigned tasks = chunk == 0 ? 0 : TaskCount(runs.size(), chunk);
    if (task >= tasks)
    {
        throw CampaignError("--task=" + std::to_string(task) + ": the campaign has " +
                            std::to_string(tasks) + " tasks of " + std::to_string(chunk) +
                            " run(s) (0 to " + std::to_string(tasks - 1) + ")");
    }
    unsigned failed = 0;
    size_t first = static_cast<size_t>(task) * chunk;
    if (claims.empty())
    {
        size_t end = std::min(runs.size(), first + chunk);
        for (size_t i = first; i < end; ++i)
        {
            failed += ExecuteRun(runner, runs[i], dir) ? 0 : 1;
        }
        return failed;
    }
    std::error_code ec;
    fs::create_directories(claims, ec);
    if (ec)
    {
        throw CampaignError("cannot create the claims folder " + claims + ": " + ec.message());
    }
    for (size_t k = 0; k < runs.size(); ++k)
    {
        const RunSpec& run = runs[(first + k) % runs.size()];
        if (StateOf(dir, run) != RunState::DONE && Claim(claims, run, task))
        {
            failed += ExecuteRun(runner, run, dir) ? 0 : 1;
        }
    }
    return failed;
}

} // namespace campaign
} // namespace ns3
