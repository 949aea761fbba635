/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Scale benchmark (issue 6): campus-1000.xml — 1,000 terminals, 10% moving, VoIP, 60 simulated
// seconds — run twice in one process, first without presec (the same topology, moves, taps
// and traffic: ScenarioRunOptions::plain) and then with it. Prints both wall times, their
// ratio and the process's peak resident set size, and per run the simulator's events and the
// wall time per event (the cost of the work, apart from how much work there is). Targets:
// ratio <= 1.5, peak RSS <= 2 GiB; --check=1 makes a missed target the exit status.
// --plain-only=1 runs the baseline alone (bench/campus-wiring.sh: hubs against switches).
//
//   presec-bench-campus [--scenario=scenarios/campus-1000.xml] [--duration=S] [--check=1]
//                       [--plain-only=1]

#include "ns3/command-line.h"
#include "ns3/scenario-runner.h"
#include "ns3/scenario.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <sys/resource.h>

using namespace ns3;

namespace
{

double
PeakRssMiB()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss / 1024.0; // Linux: KiB
}

/// Runs once and returns the wall time in seconds.
double
TimedRun(const Scenario& sc, const ScenarioRunOptions& opt, ScenarioRunResult& result)
{
    auto t0 = std::chrono::steady_clock::now();
    result = ScenarioRunner::Run(sc, opt);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string path = std::string(PRESEC_SCENARIO_DIR) + "/campus-1000.xml";
    double duration = 0;
    bool check = false;
    bool plainOnly = false;
    CommandLine cmd(__FILE__);
    cmd.AddValue("scenario", "scenario file", path);
    cmd.AddValue("duration", "override the duration (0: keep)", duration);
    cmd.AddValue("check", "exit 1 when a target is missed", check);
    cmd.AddValue("plain-only", "run the baseline only", plainOnly);
    cmd.Parse(argc, argv);
    auto parsed = ScenarioParser::ParseFile(path);
    if (!parsed)
    {
        std::fprintf(stderr, "%s\n", parsed.GetError().c_str());
        return 2;
    }
    const Scenario& sc = parsed.GetValue();
    ScenarioRunOptions opt;
    opt.duration = duration;
    opt.sampleInterval = 0; // the timeline is for plots, not for the comparison
    opt.progress = true;

    ScenarioRunResult plain;
    opt.plain = true;
    double tPlain = TimedRun(sc, opt, plain);
    double rssPlain = PeakRssMiB();
    std::printf("scenario %s: %zu terminals, %zu sessions, %zu moves, %.0f simulated s\n",
                sc.name.c_str(),
                sc.terminals.size(),
                sc.sessions.size(),
                sc.moves.size(),
                plain.duration);
    auto rx = [](const ScenarioRunResult& r) {
        uint64_t n = 0;
        for (const auto& s : r.sessions)
        {
            n += s.received;
        }
        return (unsigned long long)n;
    };
    auto events = [](const ScenarioRunResult& r, double wall) {
        std::printf("         %llu events, %.0f per simulated s, %.0f ns wall per event\n",
                    (unsigned long long)r.simulatorEvents,
                    double(r.simulatorEvents) / r.duration,
                    wall * 1e9 / double(std::max<uint64_t>(r.simulatorEvents, 1)));
    };
    std::printf("plain  : %8.2f s wall, %10llu voice packets received, peak RSS so far %7.1f MiB\n",
                tPlain,
                rx(plain),
                rssPlain);
    events(plain, tPlain);
    if (plainOnly)
    {
        return 0;
    }
    ScenarioRunResult presec;
    opt.plain = false;
    double tPresec = TimedRun(sc, opt, presec);
    double rss = PeakRssMiB();
    double ratio = tPresec / tPlain;
    std::printf("presec : %8.2f s wall, %10llu voice packets received, exposure %llu B\n",
                tPresec,
                rx(presec),
                (unsigned long long)presec.TotalExposure());
    events(presec, tPresec);
    std::printf("ratio presec/plain %.3f (target <= 1.5), peak RSS %.1f MiB (target <= 2048)\n",
                ratio,
                rss);
    bool ok = ratio <= 1.5 && rss <= 2048;
    return check && !ok ? 1 : 0;
}
