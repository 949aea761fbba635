/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Runs a mobility scenario (scenarios/*.xml) and reports what each decision model left
// exposed and what it cost.
//
//   presec-run <scenario.xml> [--decision=LocationAware] [--seed=N] [--duration=S]
//              [--out=results/x] [--pcap=1] [--compare] [--plain] [--report=0]
//              [--handover=1]
//
// With --out the run also writes plots (gnuplot) and index.html tying them, the summary and
// the decision log together (ScenarioReport); --report=0 leaves them out.
//
// --compare runs the scenario once per built-in decision model (and once without presec as
// the baseline) and prints one row each; with --out every run gets its own sub-directory.

#include "ns3/command-line.h"
#include "ns3/scenario-report.h"
#include "ns3/scenario-runner.h"
#include "ns3/scenario.h"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

/// Totals over the terminals of one run (one row of the comparison).
struct Totals
{
    uint64_t exposure{0};
    double windowS{0};
    double cpuMs{0};
    uint64_t overhead{0};
    uint64_t signaling{0};
    uint64_t protectedTx{0};
    uint64_t plainTx{0};
    uint64_t drops{0};
    uint64_t lost{0};
    double jitterMs{0};
};

Totals
Sum(const ScenarioRunResult& r)
{
    Totals t;
    t.exposure = r.TotalExposure();
    for (const auto& x : r.terminals)
    {
        t.windowS += x.exposureWindowS;
        t.cpuMs += x.cpuBusySeconds * 1e3;
        t.overhead += x.overheadBytes;
        t.signaling += x.signalingBytes;
        t.protectedTx += x.protectedTxPackets;
        t.plainTx += x.plainTxPackets;
        t.drops += x.mismatchDrops;
    }
    for (const auto& s : r.sessions)
    {
        t.lost += s.lost;
        t.jitterMs = std::max(t.jitterMs, s.jitterMs);
    }
    return t;
}

void
PrintRun(const ScenarioRunResult& r)
{
    std::printf("scenario %s, decision %s, seed %llu, %.1f s\n",
                r.scenario.c_str(),
                r.decision.c_str(),
                (unsigned long long)r.seed,
                r.duration);
    std::printf("%-10s %-28s %12s %9s %8s %10s %10s %10s\n",
                "terminal",
                "path",
                "exposure_B",
                "window_s",
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
        std::printf("%-10s %-28s %12llu %9.2f %8llu %10.3f %10llu %10llu\n",
                    t.name.c_str(),
                    path.c_str(),
                    (unsigned long long)t.exposureBytes,
                    t.exposureWindowS,
                    (unsigned long long)t.mismatchDrops,
                    t.cpuBusySeconds * 1e3,
                    (unsigned long long)t.protectedTxPackets,
                    (unsigned long long)t.plainTxPackets);
    }
    for (const auto& s : r.sessions)
    {
        std::printf("session %s->%s (%s): sent %llu received %llu lost %llu, delay %.3f ms, "
                    "jitter %.3f ms, setup %.1f ms, exposure %llu B\n",
                    s.caller.c_str(),
                    s.callee.c_str(),
                    s.traffic.c_str(),
                    (unsigned long long)s.sent,
                    (unsigned long long)s.received,
                    (unsigned long long)s.lost,
                    s.meanDelayMs,
                    s.jitterMs,
                    s.setupLatencyMs,
                    (unsigned long long)s.exposureBytes);
    }
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string scenario;
    std::string decision;
    uint32_t seed = 0;
    double duration = 0;
    double sample = 1.0;
    std::string out;
    bool compare = false;
    bool plain = false;
    bool handover = false;
    bool pcap = false;
    bool mobike = false;
    bool report = true;
    CommandLine cmd(__FILE__);
    cmd.Usage("presec-run <scenario.xml> [options]");
    cmd.AddValue("scenario", "scenario XML file", scenario);
    cmd.AddValue("decision",
                 "override: LocationAware|AcceptAsIs|AlwaysMaximum|HumanUser",
                 decision);
    cmd.AddValue("seed", "override the scenario seed (0: keep)", seed);
    cmd.AddValue("duration", "override the duration in seconds (0: keep)", duration);
    cmd.AddValue("out",
                 "output directory (summary.json, terminals.csv, sessions.csv, timeline.csv, "
                 "decisions.log)",
                 out);
    cmd.AddValue("sample", "seconds between timeline samples (0: none)", sample);
    cmd.AddValue("mobike",
                 "wifi: IKE agents negotiate MOBIKE (RFC 4555), SAs move with the terminal",
                 mobike);
    cmd.AddValue("pcap", "write pcaps of every network and the esp_sa file into --out", pcap);
    cmd.AddValue("plain", "run the baseline without presec", plain);
    cmd.AddValue("handover",
                 "csma: one application per terminal across moves (its hand-over) instead of "
                 "restarting at every move; wifi scenarios always do this",
                 handover);
    cmd.AddValue("report", "with --out: plots (gnuplot) and index.html in --out", report);
    cmd.AddValue("compare", "run once per decision model (and the baseline) and compare", compare);
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
    if (sc.HasWifi() && sc.HasCsma())
    {
        // The runner cannot build mixed topologies yet (ScenarioRunner aborts on them).
        std::cerr << scenario << ": mixes csma and wifi networks; presec-run runs all-csma or "
                  << "all-wifi scenarios only\n";
        return 1;
    }
    if (!decision.empty() && decision != "LocationAware" && decision != "AcceptAsIs" &&
        decision != "AlwaysMaximum" && decision != "HumanUser")
    {
        std::cerr << "presec-run: unknown decision model '" << decision << "'\n";
        return 2;
    }
    if (pcap && out.empty())
    {
        std::cerr << "presec-run: --pcap needs --out\n";
        return 2;
    }
    ScenarioRunOptions opt;
    opt.seed = seed;
    opt.duration = duration;
    opt.sampleInterval = sample;
    opt.restartAtMoves = !handover;
    opt.mobike = mobike;
    opt.progress = true;

    // One run per entry: (decision, plain).
    std::vector<std::pair<std::string, bool>> runs;
    if (compare)
    {
        for (const char* d : {"AcceptAsIs", "AlwaysMaximum", "LocationAware", "HumanUser"})
        {
            runs.emplace_back(d, false);
        }
        runs.emplace_back("plain", true);
    }
    else
    {
        runs.emplace_back(decision, plain);
    }
    if (compare)
    {
        std::printf("%-14s %12s %9s %10s %11s %11s %10s %10s %9s %7s %9s\n",
                    "decision",
                    "exposure_B",
                    "window_s",
                    "cpu_ms",
                    "overhead_B",
                    "signaling_B",
                    "protected",
                    "plain",
                    "mismatch",
                    "lost",
                    "jitter_ms");
    }
    std::vector<ScenarioRunResult> reported;
    std::vector<std::string> links;
    for (const auto& [d, isPlain] : runs)
    {
        opt.decision = isPlain ? "" : d;
        opt.plain = isPlain;
        std::string dir = compare && !out.empty() ? out + "/" + d : out;
        if (!dir.empty())
        {
            std::error_code ec;
            std::filesystem::create_directories(dir, ec);
            if (ec)
            {
                std::cerr << "presec-run: cannot create " << dir << ": " << ec.message() << "\n";
                return 1;
            }
        }
        opt.pcapPrefix = pcap ? dir + "/" + sc.name : "";
        ScenarioRunResult r = ScenarioRunner::Run(sc, opt);
        if (!dir.empty())
        {
            std::string e = ScenarioRunner::WriteOutputs(r, dir);
            if (!e.empty())
            {
                std::cerr << e << "\n";
                return 1;
            }
        }
        if (report && !out.empty())
        {
            reported.push_back(r);
            links.push_back(compare ? d : ".");
        }
        if (!compare)
        {
            PrintRun(r);
            continue;
        }
        Totals t = Sum(r);
        std::printf("%-14s %12llu %9.2f %10.3f %11llu %11llu %10llu %10llu %9llu %7llu %9.3f\n",
                    d.c_str(),
                    (unsigned long long)t.exposure,
                    t.windowS,
                    t.cpuMs,
                    (unsigned long long)t.overhead,
                    (unsigned long long)t.signaling,
                    (unsigned long long)t.protectedTx,
                    (unsigned long long)t.plainTx,
                    (unsigned long long)t.drops,
                    (unsigned long long)t.lost,
                    t.jitterMs);
    }
    if (report && !out.empty())
    {
        ScenarioReportOptions ro;
        ro.outputLinks = links;
        ScenarioReportInfo info;
        std::string e = ScenarioReport::Write(reported, out, ro, &info);
        if (!e.empty())
        {
            std::cerr << e << "\n";
            return 1;
        }
        std::cerr << "presec-run: report " << out << "/index.html"
                  << (info.note.empty() ? std::string() : " (" + info.note + ")") << "\n";
    }
    return 0;
}
