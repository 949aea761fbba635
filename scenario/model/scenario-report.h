/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_SCENARIO_REPORT_H
#define PRESEC_SCENARIO_REPORT_H

#include "scenario-results.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-scenario
 * Options of ScenarioReport::Write.
 */
struct ScenarioReportOptions
{
    /** Timeline figures for the first N terminals of the first run (0: none). */
    uint32_t timelineTerminals{8};
    /** Render PNGs with gnuplot; false: only the .plt scripts and their data. */
    bool render{true};
    /** The gnuplot program: a name looked up in PATH, or a path. */
    std::string gnuplot{"gnuplot"};
    /** gnuplot terminal for the PNGs: "pngcairo" or "png". */
    std::string terminal{"pngcairo"};
    /**
     * At most this many terminal rows and this many session rows per run in the page (0:
     * all); the CSV files of ScenarioRunner::WriteOutputs hold every row.
     */
    uint32_t tableRows{0};
    /** Page title (empty: "presec report: <scenario>"). */
    std::string title;
    /**
     * Per run (same order as the runs; may be shorter): a directory, relative to the report
     * directory, holding that run's ScenarioRunner::WriteOutputs files; the page links them.
     * "." or "" for the report directory itself; leave the vector empty for no links.
     */
    std::vector<std::string> outputLinks;
};

/**
 * \ingroup presec-scenario
 * What ScenarioReport::Write did besides succeeding or failing.
 */
struct ScenarioReportInfo
{
    bool rendered{false};           //!< every figure got its PNG
    std::string note;               //!< why not (gnuplot missing or failing); empty otherwise
    std::vector<std::string> files; //!< files written, relative to the report directory
    uint32_t figures{0};            //!< figures (.plt scripts) written
};

/**
 * \ingroup presec-scenario
 * Plots and an HTML report of one or more scenario runs.
 *
 * Write() puts into the report directory:
 *  - `plots/timeline-NNN.plt` and `.dat` (and `.png` once rendered): per terminal (the first
 *    ScenarioReportOptions::timelineTerminals of the first run that have timeline samples), a
 *    four-panel figure over time: network (step line, the network names as y tics, trusted
 *    and untrusted samples marked), policy level (0 none, 1 AH or ESP, 2 both), cumulative
 *    exposure bytes and cumulative crypto CPU busy time (ms). With several runs every run is
 *    a line of its own (terminals are matched by name).
 *  - `plots/compare.plt`, `.dat` (`.png`), only when two runs or more are given (one per
 *    decision model, e.g. from `presec-run --compare`): total exposure bytes, total CPU busy
 *    seconds, IPsec overhead and signalling bytes, mismatch drops, and exposure against CPU
 *    and against bytes, per run.
 *  - `index.html`: self-contained (relative links only, inline CSS): the title with the
 *    scenario, seed and duration, an overview row per run, the figures, per run the terminal,
 *    session and network tables and the decision log (in a collapsible block). Every text
 *    from the scenario is HTML-escaped; in the gnuplot scripts it is reduced to a safe
 *    character set.
 *
 * The scripts and data are written through ns-3's Gnuplot classes (stats module); the PNGs
 * by running gnuplot (fork/exec, no shell, in the plots directory, on file names the report
 * generates). A missing or failing gnuplot is not an error: the scripts stay, the page and
 * ScenarioReportInfo::note say so.
 *
 * An earlier report's figure files in `plots/` (timeline-N and compare .plt, .dat, .png) are
 * removed first, so the directory holds exactly this report's figures; other files stay.
 *
 * The output is deterministic: the same runs and options give byte-identical files (no
 * time stamps, fixed ordering, C-locale numbers). gnuplot's pngcairo PNGs are
 * byte-identical between renders on the same machine (they carry no time stamp); other
 * gnuplot or cairo versions and fonts may draw differently.
 */
class ScenarioReport
{
  public:
    /**
     * Write the report.
     * \param runs the runs (at least one); the first gives the title and the terminals
     * \param dir the report directory (created with its parents)
     * \param options options
     * \param info when not null: rendering outcome and the files written
     * \return empty, or an error (no run, a directory or file that cannot be written, a bad
     *         option); a missing gnuplot is not an error
     */
    static std::string Write(const std::vector<ScenarioRunResult>& runs,
                             const std::string& dir,
                             const ScenarioReportOptions& options = ScenarioReportOptions(),
                             ScenarioReportInfo* info = nullptr);

    /**
     * \param s any text
     * \return s with & < > " ' replaced by entities and control characters other than
     *         newline and tab by U+FFFD
     */
    static std::string HtmlEscape(const std::string& s);

    /**
     * \param s any text
     * \return s reduced to a character set that is safe inside a double-quoted gnuplot
     *         string (ASCII letters and digits, space and _.,:+-/()=<>%[]!?*&' ; anything
     *         else, quotes, backslashes, backquotes, @, $, ; and # included, becomes '?'), at
     *         most 60 characters (the terminals are noenhanced: _ prints as it is)
     */
    static std::string GnuplotText(const std::string& s);
};

} // namespace ns3

#endif // PRESEC_SCENARIO_REPORT_H
