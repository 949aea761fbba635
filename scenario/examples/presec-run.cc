/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Runs a mobility scenario (scenarios/*.xml) and reports what each decision model left
// exposed and what it cost.
//
//   presec-run <scenario.xml> [--decision=MODEL] [--decision-attr=Name=Value]
//              [--RngRun=N] [--seed=N] [--set=element:name:key=value] [--duration=S]
//              [--out=DIR] [--pcap=1] [--compare] [--plain] [--report=0] [--handover=0]
//
// ns-3's replication convention: the scenario's seed is the default run number; --RngRun=N
// (or NS_GLOBAL_VALUE="RngRun=N") overrides it; --seed=N is an older spelling that --RngRun
// beats when both are given. Without --out the results go to the working directory (as SEM
// expects of a run).
//
// --decision takes any registered UserDecisionModel by TypeId name (ns3::MyDecisionModel) or
// a built-in's alias (LocationAware, ...); --decision-attr=Name=Value sets its attributes
// (repeatable, or comma-separated). --set changes an attribute of the scenario file before it
// is checked (repeatable, or comma-separated), e.g. --set=terminal:bob:cpu=xscale-pxa250.
//
// The run also writes plots (gnuplot) and index.html tying them, the summary and the decision
// log together (ScenarioReport) into the output directory; --report=0 leaves them out.
//
// --compare runs the scenario once per built-in decision model (and --decision's model when
// it is none of them, and once without presec as the baseline) and prints one row each;
// every run writes into its own sub-directory of the output directory.

#include "ns3/command-line.h"
#include "ns3/decision-model-factory.h"
#include "ns3/ns3-attribute-text.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/scenario-report.h"
#include "ns3/scenario-runner.h"
#include "ns3/scenario.h"
#include "ns3/text-util.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <unistd.h>
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

/// --set values, in order (the option is repeatable).
std::vector<std::string> g_sets;
/// --decision-attr values, in order (the option is repeatable).
std::string g_decisionAttrs;

bool
AddSet(std::string value)
{
    if (value == "none")
    {
        return true;
    }
    for (const auto& item : text::SplitOutsideBrackets(value, ','))
    {
        g_sets.push_back(item);
    }
    return true;
}

bool
AddDecisionAttr(std::string value)
{
    if (value == "none")
    {
        return true;
    }
    g_decisionAttrs += (g_decisionAttrs.empty() ? "" : ",") + value;
    return true;
}

/// \return whether the run number was given the ns-3 way: --RngRun=N (-RngRun=N) on the
/// command line or RngRun=N in the NS_GLOBAL_VALUE environment variable. (Its value is
/// RngSeedManager::GetRun() either way; only whether it was given is not kept by ns-3.)
/// \param bad set to a command-line argument whose value is not a whole number (ns-3 would
/// abort on it)
bool
RngRunGiven(int argc, char* argv[], std::string& bad)
{
    bool given = false;
    for (int i = 1; i < argc; ++i)
    {
        std::string a = argv[i];
        size_t b = a.find_first_not_of('-');
        size_t eq = a.find('=');
        if (b != 0 && b != std::string::npos && a.compare(b, eq - b, "RngRun") == 0)
        {
            given = true;
            std::string v = eq == std::string::npos ? "" : a.substr(eq + 1);
            if (v.empty() || v.size() > 19 ||
                v.find_first_not_of("0123456789") != std::string::npos)
            {
                bad = a;
            }
        }
    }
    const char* env = std::getenv("NS_GLOBAL_VALUE");
    for (const auto& item : text::SplitOutsideBrackets(env ? env : "", ';'))
    {
        given = given || item.substr(0, item.find('=')) == "RngRun";
    }
    return given;
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string scenario = "scenarios/office-to-cafe.xml";
    std::string decision = "per-terminal";
    uint64_t seed = 0;
    double duration = 0;
    double sample = 1.0;
    std::string out = ".";
    bool compare = false;
    bool plain = false;
    bool handover = true;
    bool pcap = false;
    bool mobike = false;
    bool report = true;
    CommandLine cmd(__FILE__);
    cmd.Usage("presec-run <scenario.xml> [options]");
    cmd.AddValue("scenario", "scenario XML file (or the first program argument)", scenario);
    cmd.AddValue("decision",
                 "every terminal uses this decision model, a TypeId name or alias (per-terminal: "
                 "each terminal's own; available: " +
                     DecisionModelFactory::DescribeAvailable() + ")",
                 decision);
    cmd.AddValue("decision-attr",
                 "an attribute of --decision's model, Name=Value (repeatable, or "
                 "comma-separated; none: no attributes)",
                 MakeCallback(&AddDecisionAttr),
                 "none");
    cmd.AddValue("seed",
                 "run number, as --RngRun (0: keep the scenario's seed; --RngRun wins when both "
                 "are given)",
                 seed);
    cmd.AddValue("set",
                 "override a scenario attribute: element:name:key=value (scenario:key=value), "
                 "e.g. terminal:bob:cpu=xscale-pxa250 (repeatable, or comma-separated; none: no "
                 "change)",
                 MakeCallback(&AddSet),
                 "none");
    cmd.AddValue("duration", "override the duration in seconds (0: keep)", duration);
    cmd.AddValue("out",
                 "output directory (summary.json, terminals.csv, sessions.csv, timeline.csv, "
                 "decisions.log, and the report; created)",
                 out);
    cmd.AddValue("sample", "seconds between timeline samples (0: none)", sample);
    cmd.AddValue("mobike",
                 "wifi: IKE agents negotiate MOBIKE (RFC 4555), SAs move with the terminal",
                 mobike);
    cmd.AddValue("pcap",
                 "write pcaps of every network and the esp_sa file into the output directory",
                 pcap);
    cmd.AddValue("plain", "run the baseline without presec", plain);
    cmd.AddValue("handover",
                 "csma: one application per terminal across moves (its hand-over); 0: a fresh "
                 "one at every move (the generations); wifi scenarios always hand over",
                 handover);
    cmd.AddValue("report", "plots (gnuplot) and index.html in the output directory", report);
    cmd.AddValue("compare",
                 "run once per built-in decision model (and --decision's, and the baseline) and "
                 "compare",
                 compare);
    cmd.AddNonOption("path", "scenario XML file", scenario);
    std::string badRun;
    const bool runGiven = RngRunGiven(argc, argv, badRun);
    if (!badRun.empty())
    {
        std::cerr << "presec-run: " << badRun << ": the run number must be a whole number\n";
        return 2;
    }
    if (!ns3text::ParseCommandLine(cmd, argc, argv))
    {
        return 1;
    }
    if (decision == "per-terminal")
    {
        decision.clear();
    }
    if (scenario.empty())
    {
        std::cerr << "presec-run: no scenario given\n";
        return 2;
    }
    auto parsed = ScenarioParser::ParseFile(scenario, g_sets);
    if (!parsed)
    {
        std::cerr << parsed.GetError() << "\n";
        return 1;
    }
    const Scenario& sc = parsed.GetValue();
    DecisionModelFactory::Attributes decisionAttrs;
    std::string e = DecisionModelFactory::ParseAssignments(g_decisionAttrs, decisionAttrs);
    if (!e.empty() || (!decisionAttrs.empty() && decision.empty()))
    {
        std::cerr << "presec-run: --decision-attr: "
                  << (e.empty() ? "needs --decision (the model it belongs to)" : e) << "\n";
        return 2;
    }
    if (!decision.empty())
    {
        e = DecisionModelFactory::Check(decision, decisionAttrs);
        if (!e.empty())
        {
            std::cerr << "presec-run: --decision: " << e << "\n";
            return 2;
        }
    }
    ScenarioRunOptions opt;
    // The run number: --RngRun (or NS_GLOBAL_VALUE), else --seed, else the scenario's seed.
    if (runGiven)
    {
        opt.seed = RngSeedManager::GetRun();
    }
    else if (seed != 0)
    {
        opt.seed = seed;
    }
    opt.decisionAttributes = decisionAttrs;
    opt.duration = duration;
    opt.sampleInterval = sample;
    opt.restartAtMoves = !handover;
    opt.mobike = mobike;
    // The progress line is for a person at a terminal: in a sweep (stderr to a file) it would
    // make stderr.txt depend on wall-clock speed, and two runs of one seed would differ.
    opt.progress = isatty(STDERR_FILENO) != 0;
    const std::string base = out.empty() ? "." : out;

    // One run per entry: (decision, plain).
    std::vector<std::pair<std::string, bool>> runs;
    if (compare)
    {
        std::vector<std::string> builtins{"AcceptAsIs",
                                          "AlwaysMaximum",
                                          "LocationAware",
                                          "HumanUser"};
        bool own = !decision.empty();
        for (const auto& d : builtins)
        {
            runs.emplace_back(d, false);
            own =
                own && DecisionModelFactory::Resolve(d) != DecisionModelFactory::Resolve(decision);
        }
        if (own)
        {
            runs.emplace_back(decision, false);
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
        // --decision-attr belongs to --decision's model only.
        bool named = !decision.empty() &&
                     DecisionModelFactory::Resolve(d) == DecisionModelFactory::Resolve(decision);
        opt.decisionAttributes = named ? decisionAttrs : DecisionModelFactory::Attributes{};
        std::string dir = compare ? base + "/" + d : base;
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
        e = ScenarioRunner::WriteOutputs(r, dir);
        if (!e.empty())
        {
            std::cerr << e << "\n";
            return 1;
        }
        if (report)
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
    if (report)
    {
        ScenarioReportOptions ro;
        ro.outputLinks = links;
        ScenarioReportInfo info;
        std::string e = ScenarioReport::Write(reported, base, ro, &info);
        if (!e.empty())
        {
            std::cerr << e << "\n";
            return 1;
        }
        std::cerr << "presec-run: report " << base << "/index.html"
                  << (info.note.empty() ? std::string() : " (" + info.note + ")") << "\n";
    }
    return 0;
}
