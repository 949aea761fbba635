/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Runs a mobility scenario (scenarios/*.xml) and reports what each decision model left
// exposed and what it cost.
//
//   presec-run <scenario.xml> [--decision=LocationAware] [--seed=N] [--duration=S]
//              [--out=results/x] [--compare]

#include "ns3/command-line.h"
#include "ns3/scenario-runner.h"
#include "ns3/scenario.h"

#include <cstdio>
#include <iostream>
#include <string>

using namespace ns3;

int
main(int argc, char* argv[])
{
    std::string scenario;
    std::string decision;
    uint32_t seed = 0;
    double duration = 0;
    std::string out;
    bool compare = false;
    CommandLine cmd(__FILE__);
    cmd.Usage("presec-run <scenario.xml> [options]");
    cmd.AddValue("scenario", "scenario XML file", scenario);
    cmd.AddValue("decision",
                 "override: LocationAware|AcceptAsIs|AlwaysMaximum|HumanUser",
                 decision);
    cmd.AddValue("seed", "override the scenario seed (0: keep)", seed);
    cmd.AddValue("duration", "override the duration in seconds (0: keep)", duration);
    cmd.AddValue("out", "output directory for summary.json, terminals.csv, decisions.log", out);
    cmd.AddValue("compare", "run once per decision model and compare", compare);
    cmd.AddNonOption("path", "scenario XML file", scenario);
    cmd.Parse(argc, argv);
    if (scenario.empty())
    {
        std::cerr << "presec-run: no scenario given\n";
        return 2;
    }
    auto parsed = ScenarioParser::ParseFile(scenario);
    if (!parsed)
    {
        std::cerr << parsed.GetError() << "\n";
        return 1;
    }
    const Scenario& sc = parsed.GetValue();
    if (!decision.empty() && decision != "LocationAware" && decision != "AcceptAsIs" &&
        decision != "AlwaysMaximum" && decision != "HumanUser")
    {
        std::cerr << "presec-run: unknown decision model '" << decision << "'\n";
        return 2;
    }
    ScenarioRunOptions opt;
    opt.seed = seed;
    opt.duration = duration;
    char line[512];
    if (compare)
    {
        std::printf("%-14s %14s %12s %12s %12s %12s %10s\n",
                    "decision",
                    "exposure_B",
                    "cpu_ms",
                    "overhead_B",
                    "protected",
                    "plain",
                    "drops");
        for (const char* d : {"AcceptAsIs", "AlwaysMaximum", "LocationAware", "HumanUser"})
        {
            opt.decision = d;
            ScenarioRunResult r = ScenarioRunner::Run(sc, opt);
            double cpu = 0;
            uint64_t ov = 0, prot = 0, plain = 0, drops = 0;
            for (const auto& t : r.terminals)
            {
                cpu += t.cpuBusySeconds * 1e3;
                ov += t.overheadBytes;
                prot += t.protectedTxPackets;
                plain += t.plainTxPackets;
                drops += t.mismatchDrops;
            }
            std::printf("%-14s %14llu %12.3f %12llu %12llu %12llu %10llu\n",
                        d,
                        (unsigned long long)r.TotalExposure(),
                        cpu,
                        (unsigned long long)ov,
                        (unsigned long long)prot,
                        (unsigned long long)plain,
                        (unsigned long long)drops);
            if (!out.empty())
            {
                std::string e = ScenarioRunner::WriteOutputs(r, out + "/" + d);
                if (!e.empty())
                {
                    std::cerr << e << "\n";
                    return 1;
                }
            }
        }
        return 0;
    }
    opt.decision = decision;
    ScenarioRunResult r = ScenarioRunner::Run(sc, opt);
    if (!out.empty())
    {
        std::string e = ScenarioRunner::WriteOutputs(r, out);
        if (!e.empty())
        {
            std::cerr << e << "\n";
            return 1;
        }
    }
    std::printf("scenario %s, decision %s, seed %u, %.1f s\n",
                r.scenario.c_str(),
                r.decision.c_str(),
                r.seed,
                r.duration);
    std::printf("%-10s %-28s %12s %8s %10s %10s %10s\n",
                "terminal",
                "path",
                "exposure_B",
                "mismatch",
                "cpu_ms",
                "protected",
                "plain");
    for (const auto& t : r.terminals)
    {
        std::string path;
        for (const auto& p : t.path)
        {
            path += (path.empty() ? "" : ">") + p;
        }
        std::snprintf(line,
                      sizeof(line),
                      "%-10s %-28s %12llu %8llu %10.3f %10llu %10llu\n",
                      t.name.c_str(),
                      path.c_str(),
                      (unsigned long long)t.exposureBytes,
                      (unsigned long long)t.mismatchDrops,
                      t.cpuBusySeconds * 1e3,
                      (unsigned long long)t.protectedTxPackets,
                      (unsigned long long)t.plainTxPackets);
        std::cout << line;
    }
    for (const auto& s : r.sessions)
    {
        std::printf("session %s->%s: voip sent %llu received %llu mean delay %.3f ms, exposure "
                    "%llu B\n",
                    s.caller.c_str(),
                    s.callee.c_str(),
                    (unsigned long long)s.sent,
                    (unsigned long long)s.received,
                    s.meanDelayMs,
                    (unsigned long long)s.exposureBytes);
    }
    return 0;
}
