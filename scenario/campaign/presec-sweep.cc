/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// presec-sweep: runs a campaign of presec-run runs and aggregates their metrics (issue 14).
//
//   presec-sweep CAMPAIGN.xml [--out=DIR] [--jobs=N]         local runs (GNU parallel), aggregate
//   presec-sweep CAMPAIGN.xml --out=DIR --slurm [--chunk=N]   write (and submit) a job array
//   presec-sweep CAMPAIGN.xml --out=DIR --collect             aggregate after the array
//   presec-sweep CAMPAIGN.xml --out=DIR --task=K [--chunk=N] [--claims=FOLDER]
//                                                            the runs of array task K (with
//                                                            claims: shared with the others)
//   presec-sweep CAMPAIGN.xml --out=DIR --run=ID[,ID...]      these runs, one after the other
//   presec-sweep CAMPAIGN.xml --list                          run ids and command lines
//
// Exit status: 0 every run done and aggregated; 1 some runs failed (reported, excluded from
// the aggregate, which is written); 2 bad input (options, campaign file, results folder) or
// sbatch refused the job array;
// 3 runs not finished (--collect before the array ended, or an interrupted local campaign).

#include "campaign-aggregate.h"
#include "campaign-executor.h"
#include "campaign-folder.h"
#include "campaign-process.h"
#include "campaign-report.h"
#include "campaign.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <thread>
#include <unistd.h>

using namespace ns3::campaign;

namespace
{

const char* const kUsage =
    "usage: presec-sweep CAMPAIGN.xml [--out=DIR] [--jobs=N]\n"
    "       presec-sweep CAMPAIGN.xml --out=DIR --slurm [--chunk=N] [--no-submit]\n"
    "       presec-sweep CAMPAIGN.xml --out=DIR --collect\n"
    "       presec-sweep CAMPAIGN.xml --out=DIR --task=K [--chunk=N] [--claims=FOLDER]\n"
    "       presec-sweep CAMPAIGN.xml --out=DIR --run=RUN_ID[,RUN_ID...]\n"
    "       presec-sweep CAMPAIGN.xml --list\n"
    "DIR defaults to ./<campaign name>. Exit status: 0 all runs done, 1 some runs failed\n"
    "(excluded from the aggregate), 2 bad input, 3 runs not finished.\n";

struct Options
{
    std::string campaign;
    std::string out;
    unsigned jobs{0};
    unsigned chunk{1};
    bool slurm{false};
    bool collect{false};
    bool list{false};
    bool submit{true};
    bool task{false};
    unsigned taskIndex{0};
    std::string claims;
    std::string run;
};

unsigned
Number(const std::string& option, const std::string& text, unsigned low)
{
    unsigned v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || v < low)
    {
        throw CampaignError(option + "=" + text + ": a whole number from " + std::to_string(low) +
                            " expected");
    }
    return v;
}

Options
ParseOptions(int argc, char** argv)
{
    Options o;
    for (int i = 1; i < argc; ++i)
    {
        std::string a = argv[i];
        auto eq = a.find('=');
        std::string key = a.substr(0, eq);
        std::string value = eq == std::string::npos ? "" : a.substr(eq + 1);
        bool hasValue = eq != std::string::npos;
        if (a == "-h" || a == "--help")
        {
            std::cout << kUsage;
            std::exit(0);
        }
        else if (key == "--out" && hasValue && !value.empty())
        {
            o.out = value;
        }
        else if (key == "--jobs" && hasValue)
        {
            o.jobs = Number(key, value, 1);
        }
        else if (key == "--chunk" && hasValue)
        {
            o.chunk = Number(key, value, 1);
        }
        else if (key == "--task" && hasValue)
        {
            o.task = true;
            o.taskIndex = Number(key, value, 0);
        }
        else if (key == "--claims" && hasValue && !value.empty())
        {
            o.claims = value;
        }
        else if (key == "--run" && hasValue && !value.empty())
        {
            o.run = value;
        }
        else if (a == "--slurm")
        {
            o.slurm = true;
        }
        else if (a == "--no-submit")
        {
            o.submit = false;
        }
        else if (a == "--collect")
        {
            o.collect = true;
        }
        else if (a == "--list")
        {
            o.list = true;
        }
        else if (a.rfind("--", 0) != 0 && o.campaign.empty())
        {
            o.campaign = a;
        }
        else
        {
            throw CampaignError("unknown or incomplete argument '" + a + "'\n" + kUsage);
        }
    }
    if (o.campaign.empty())
    {
        throw CampaignError(std::string("no campaign file given\n") + kUsage);
    }
    if (o.slurm + o.collect + o.list + o.task + !o.run.empty() > 1)
    {
        throw CampaignError("--slurm, --collect, --task, --run and --list exclude each other");
    }
    if (!o.claims.empty() && !o.task)
    {
        throw CampaignError("--claims needs --task");
    }
    return o;
}

std::string
Runner()
{
    const char* env = std::getenv("PRESEC_SWEEP_RUNNER"); // a test may put a fake here
    // Absolute: each run starts in its own folder.
    std::string runner = std::filesystem::absolute(env && *env ? env : SelfDir() + "/presec-run")
                             .lexically_normal()
                             .string();
    if (access(runner.c_str(), X_OK) != 0)
    {
        throw CampaignError(runner + ": presec-run not found next to presec-sweep (build it)");
    }
    return runner;
}

/// Aggregate and report; the exit status of the campaign.
int
Finish(const Campaign& c, const std::vector<RunSpec>& runs, const std::string& dir)
{
    Aggregate a = Collect(c, runs, dir);
    if (a.pending > 0)
    {
        std::cerr << "presec-sweep: " << a.pending << " of " << runs.size()
                  << " runs not finished, nothing aggregated; rerun to resume. First:";
        unsigned shown = 0;
        for (const auto& r : a.runs)
        {
            if (r.state == RunState::PENDING && shown++ < 5)
            {
                std::cerr << " " << r.run->id;
            }
        }
        std::cerr << "\n";
        return 3;
    }
    WriteAggregate(c, a, dir);
    std::string report = WriteReport(c, a, dir);
    for (const auto& r : a.runs)
    {
        if (r.state == RunState::FAILED)
        {
            std::cerr << "presec-sweep: run " << r.run->id << " FAILED (exit status "
                      << r.exitStatus << ", tried twice)\n  command (in " << RunDir(dir, *r.run)
                      << "): " << r.command << "\n  stderr:\n"
                      << r.stderrTail
                      << (r.stderrTail.empty() || r.stderrTail.back() == '\n' ? "" : "\n");
        }
    }
    std::cout << "campaign " << c.name << ": " << a.done << " of " << runs.size() << " runs done";
    if (a.failed)
    {
        std::cout << ", " << a.failed << " runs failed, excluded from the aggregate";
    }
    std::cout << "\n  " << dir << "/summary.csv\n  " << dir << "/runs.csv\n  " << dir
              << "/campaign.sqlite\n  " << report << "\n";
    return a.failed ? 1 : 0;
}

int
Slurm(const Options& o,
      const std::string& campaignFile,
      const Campaign& c,
      const std::vector<RunSpec>& runs,
      const std::string& dir)
{
    unsigned maxArray = SlurmMaxArraySize();
    unsigned chunk = FitChunk(runs.size(), o.chunk, maxArray);
    if (chunk != o.chunk)
    {
        std::cerr << "presec-sweep: chunk raised to " << chunk << " runs so the "
                  << TaskCount(runs.size(), chunk) << " tasks fit MaxArraySize " << maxArray
                  << "\n";
    }
    std::string script = WriteSlurmScript(campaignFile, c, runs, dir, chunk);
    std::cout << script << ": " << TaskCount(runs.size(), chunk) << " array tasks of " << chunk
              << " run(s)\n";
    std::string sbatch = FindOnPath("sbatch");
    if (!o.submit || sbatch.empty())
    {
        std::cout << (sbatch.empty() ? "sbatch not found: " : "") << "submit it with: sbatch "
                  << script << "\n";
        return 0;
    }
    std::string out = dir + "/slurm/submit.out";
    std::string err = dir + "/slurm/submit.err";
    int status = Spawn({sbatch, "--parsable", script}, dir, out, err);
    if (status != 0)
    {
        throw CampaignError("sbatch --parsable " + script + " failed (exit status " +
                            std::to_string(status) + "): " + ReadFile(err) +
                            "the script is written; submit it by hand once Slurm answers");
    }
    std::string id = ReadFile(out);
    id = id.substr(0, id.find_first_of(";\n"));
    WriteFileAtomically(dir + "/slurm/job-id", id + "\n");
    std::cout << "submitted job array " << id << "; when it has finished: presec-sweep "
              << ShellQuote({campaignFile, "--out=" + dir}) << " --collect\n";
    return 0;
}

int
Main(int argc, char** argv)
{
    Options o = ParseOptions(argc, argv);
    namespace fs = std::filesystem;
    std::string campaignFile = fs::absolute(o.campaign).lexically_normal().string();
    Campaign c = ParseCampaignFile(o.campaign);
    std::vector<RunSpec> runs = Expand(c);
    std::string dir = fs::absolute(o.out.empty() ? c.name : o.out).lexically_normal().string();
    while (dir.size() > 1 && dir.back() == '/')
    {
        dir.pop_back();
    }
    if (o.list)
    {
        std::string runner = Runner();
        for (const auto& r : runs)
        {
            std::vector<std::string> argv{runner, r.command[0], "--out=."};
            argv.insert(argv.end(), r.command.begin() + 1, r.command.end());
            std::cout << r.id << "\t" << ShellQuote(argv) << "\n";
        }
        return 0;
    }
    if (o.collect)
    {
        CheckFolder(c, runs, dir);
        return Finish(c, runs, dir);
    }
    PrepareFolder(c, runs, dir);
    if (!o.run.empty())
    {
        // A comma-separated list (the local executor's chunks): every id is checked first.
        std::vector<const RunSpec*> chosen;
        for (size_t from = 0; from <= o.run.size();)
        {
            size_t to = std::min(o.run.find(',', from), o.run.size());
            std::string id = o.run.substr(from, to - from);
            auto it = std::find_if(runs.begin(), runs.end(), [&](const RunSpec& r) {
                return r.id == id;
            });
            if (it == runs.end())
            {
                throw CampaignError("--run=" + id + ": no such run in " + o.campaign +
                                    " (presec-sweep " + o.campaign + " --list)");
            }
            chosen.push_back(&*it);
            from = to + 1;
        }
        bool ok = true;
        for (const RunSpec* r : chosen)
        {
            ok = ExecuteRun(Runner(), *r, dir) && ok;
        }
        return ok ? 0 : 1;
    }
    if (o.task)
    {
        return RunTask(Runner(), runs, dir, o.taskIndex, o.chunk, o.claims) ? 1 : 0;
    }
    if (o.slurm)
    {
        return Slurm(o, campaignFile, c, runs, dir);
    }
    Runner(); // fail before starting parallel
    LockFolder(dir);
    unsigned jobs = o.jobs ? o.jobs : std::max(1U, std::thread::hardware_concurrency());
    RunLocal(campaignFile, runs, dir, jobs);
    return Finish(c, runs, dir);
}

} // namespace

int
main(int argc, char** argv)
{
    try
    {
        return Main(argc, argv);
    }
    catch (const CampaignError& e)
    {
        std::cerr << "presec-sweep: " << e.what() << "\n";
        return 2;
    }
    catch (const std::exception& e)
    {
        std::cerr << "presec-sweep: " << e.what() << "\n";
        return 2;
    }
}
