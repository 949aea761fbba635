/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "campaign-report.h"

#include "campaign-process.h"

#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>

namespace ns3
{
namespace campaign
{

namespace
{

std::string
Html(const std::string& s)
{
    std::string out;
    for (char ch : s)
    {
        switch (ch)
        {
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '&':
            out += "&amp;";
            break;
        case '"':
            out += "&quot;";
            break;
        default:
            out += ch;
        }
    }
    return out;
}

/// A gnuplot string literal.
std::string
Gp(const std::string& s)
{
    std::string out = "\"";
    for (char ch : s)
    {
        if (ch == '"' || ch == '\\')
        {
            out += '\\';
        }
        out += ch;
    }
    return out + "\"";
}

/// A file name part from any text.
std::string
Slug(const std::string& s)
{
    std::string out;
    for (char ch : s)
    {
        out += std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' ? ch : '_';
    }
    return out;
}

/// "x mean low high" with an undefined interval drawn as a bar of zero length.
std::string
Point(double x, const SampleSummary& s)
{
    std::ostringstream o;
    auto num = [](double v) { return std::isnan(v) ? std::string("NaN") : FormatNumber(v); };
    o << x << ' ' << num(s.mean) << ' ' << num(std::isnan(s.ciLow) ? s.mean : s.ciLow) << ' '
      << num(std::isnan(s.ciHigh) ? s.mean : s.ciHigh) << '\n';
    return o.str();
}

/// One plot to draw: its file stem, title, x tics and series of points.
struct Plot
{
    std::string stem;
    std::string title;
    std::string metric;
    std::vector<std::string> xtics;
    std::vector<std::pair<std::string, std::string>> series; // title, data lines
};

std::vector<Plot>
Plots(const Campaign& c, const Aggregate& a)
{
    std::vector<size_t> swept;
    for (size_t i = 0; i < c.parameters.size(); ++i)
    {
        if (c.parameters[i].values.size() > 1)
        {
            swept.push_back(i);
        }
    }
    std::vector<Plot> plots;
    for (size_t m = 0; m < c.metrics.size(); ++m)
    {
        const std::string& metric = c.metrics[m].name;
        Plot byConfig;
        byConfig.stem = Slug(metric) + "-by-config";
        byConfig.title = metric + " per configuration (mean, 95% CI)";
        byConfig.metric = metric;
        std::string data;
        for (size_t k = 0; k < a.configs.size(); ++k)
        {
            byConfig.xtics.push_back(ConfigLabel(c, a.configs[k].values));
            data += Point(static_cast<double>(k), a.configs[k].metrics[m]);
        }
        byConfig.series.emplace_back(metric, data);
        plots.push_back(byConfig);
        if (swept.size() < 2)
        {
            continue; // the plot per configuration is already the plot per parameter
        }
        for (size_t p : swept)
        {
            Plot plot;
            plot.stem = Slug(metric) + "-by-" + Slug(c.parameters[p].name);
            plot.title = metric + " per " + c.parameters[p].name + " (mean, 95% CI)";
            plot.metric = metric;
            plot.xtics = c.parameters[p].values;
            // One series per combination of the other parameters' values.
            std::map<std::string, size_t> seriesOf;
            for (const auto& cr : a.configs)
            {
                std::string other;
                for (size_t q : swept)
                {
                    if (q != p)
                    {
                        other +=
                            (other.empty() ? "" : " ") + c.parameters[q].name + "=" + cr.values[q];
                    }
                }
                auto [it, fresh] = seriesOf.emplace(other, plot.series.size());
                if (fresh)
                {
                    plot.series.emplace_back(other, "");
                }
                size_t x = 0;
                while (c.parameters[p].values[x] != cr.values[p])
                {
                    ++x;
                }
                plot.series[it->second].second += Point(static_cast<double>(x), cr.metrics[m]);
            }
            plots.push_back(plot);
        }
    }
    return plots;
}

/// The gnuplot script drawing every plot with error bars; data files written beside it.
std::string
Script(const std::vector<Plot>& plots, const std::string& reportDir)
{
    std::ostringstream gp;
    gp << "# Written by presec-sweep: each metric's mean with its 95% CI as error bars.\n"
       << "set terminal svg size 900,480 noenhanced font 'sans,11' background '#ffffff'\n"
       << "set datafile missing 'NaN'\n"
       << "set grid ytics\nset key outside right top\nset xtics rotate by -25\n"
       << "set bmargin 8\nset offsets 0.5, 0.5, 0, 0\n";
    for (const auto& plot : plots)
    {
        std::string dataFile = "data/" + plot.stem + ".dat";
        std::string data;
        for (size_t s = 0; s < plot.series.size(); ++s)
        {
            data += (s ? "\n\n" : "") + plot.series[s].second;
        }
        WriteFileAtomically(reportDir + "/" + dataFile, data);
        gp << "\nset output 'plots/" << plot.stem << ".svg'\n"
           << "set title " << Gp(plot.title) << "\nset ylabel " << Gp(plot.metric)
           << "\nset xtics (";
        for (size_t i = 0; i < plot.xtics.size(); ++i)
        {
            gp << (i ? ", " : "") << Gp(plot.xtics[i]) << " " << i;
        }
        gp << ")\nplot ";
        double n = static_cast<double>(plot.series.size());
        for (size_t s = 0; s < plot.series.size(); ++s)
        {
            double offset = (static_cast<double>(s) - (n - 1) / 2) * 0.08;
            gp << (s ? ", \\\n     " : "") << "'" << dataFile << "' index " << s << " using ($1+("
               << offset << ")):2:3:4 with yerrorbars pointtype 7 title "
               << Gp(plot.series[s].first);
        }
        gp << "\n";
    }
    return gp.str();
}

std::string
FailedRuns(const Aggregate& a)
{
    std::ostringstream h;
    if (a.failed == 0)
    {
        return "<p>All " + std::to_string(a.done) + " runs done.</p>\n";
    }
    h << "<p class=\"warn\" id=\"failed\">" << a.failed
      << " runs failed, excluded from the aggregate.</p>\n<table>\n"
      << "<tr><th>run</th><th>exit status</th><th>command</th><th>stderr (tail)</th></tr>\n";
    for (const auto& r : a.runs)
    {
        if (r.state == RunState::FAILED)
        {
            h << "<tr><td>" << Html(r.run->id) << "</td><td>" << r.exitStatus << "</td><td><code>"
              << Html(r.command) << "</code></td><td><pre>" << Html(r.stderrTail)
              << "</pre></td></tr>\n";
        }
    }
    h << "</table>\n";
    return h.str();
}

std::string
SummaryTable(const Campaign& c, const Aggregate& a)
{
    std::ostringstream h;
    h << "<table>\n<tr><th>configuration</th><th>metric</th><th>n</th><th>mean</th><th>sd</th>"
      << "<th>95% CI</th><th>failed</th></tr>\n";
    for (const auto& cr : a.configs)
    {
        for (size_t m = 0; m < c.metrics.size(); ++m)
        {
            const auto& s = cr.metrics[m];
            h << "<tr><td>" << Html(ConfigLabel(c, cr.values)) << "</td><td>"
              << Html(c.metrics[m].name) << "</td><td>" << s.n << "</td><td>"
              << FormatNumber(s.mean) << "</td><td>" << FormatNumber(s.sd) << "</td><td>"
              << (std::isnan(s.ciLow)
                      ? std::string("undefined")
                      : "[" + FormatNumber(s.ciLow) + ", " + FormatNumber(s.ciHigh) + "]")
              << "</td><td>" << cr.failed << "</td></tr>\n";
        }
    }
    h << "</table>\n";
    return h.str();
}

} // namespace

std::string
WriteReport(const Campaign& c, const Aggregate& a, const std::string& dir)
{
    namespace fs = std::filesystem;
    std::string report = dir + "/report";
    std::error_code ec;
    fs::remove_all(report, ec);
    fs::create_directories(report + "/plots", ec);
    fs::create_directories(report + "/data", ec);
    if (ec)
    {
        throw CampaignError(report + ": cannot create (" + ec.message() + ")");
    }
    auto plots = Plots(c, a);
    WriteFileAtomically(report + "/plots.gp", Script(plots, report));
    std::string gnuplot = FindOnPath("gnuplot");
    std::string plotNote;
    if (gnuplot.empty())
    {
        plotNote = "<p class=\"warn\">No plots: gnuplot is not installed.</p>\n";
    }
    else if (Spawn({gnuplot, "plots.gp"}, report, "/dev/null", report + "/gnuplot.log") != 0)
    {
        plotNote = "<p class=\"warn\">gnuplot failed: see gnuplot.log.</p>\n";
    }
    std::ostringstream h;
    h << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<title>Campaign " << Html(c.name) << "</title>\n<style>\n"
      << "body{font-family:sans-serif;margin:2em;max-width:75em}"
      << "table{border-collapse:collapse;margin:1em 0}"
      << "td,th{border:1px solid #bbb;padding:.2em .5em;text-align:left;vertical-align:top}"
      << ".warn{color:#a00;font-weight:bold}img{max-width:100%}pre{margin:0}\n"
      << "</style>\n</head>\n<body>\n<h1>Campaign " << Html(c.name) << "</h1>\n"
      << "<p>Scenario <code>" << Html(c.scenario) << "</code>: " << a.configs.size()
      << " configurations &times; " << c.replications << " replications (RngRun " << c.firstRun
      << " to " << c.firstRun + c.replications - 1 << ") = " << a.runs.size() << " runs.</p>\n"
      << FailedRuns(a) << "<h2>Plots</h2>\n"
      << "<p>Each point is the mean over the replications; the error bars are the 95% "
         "Student-t confidence interval of the mean (none with a single run).</p>\n"
      << plotNote;
    std::string metric;
    for (const auto& plot : plots)
    {
        if (plot.metric != metric)
        {
            metric = plot.metric;
            h << "<h3>" << Html(metric) << "</h3>\n";
        }
        h << "<figure><img class=\"plot\" src=\"plots/" << Html(plot.stem) << ".svg\" alt=\""
          << Html(plot.title) << "\"><figcaption>" << Html(plot.title)
          << "</figcaption></figure>\n";
    }
    h << "<h2>Summary</h2>\n"
      << SummaryTable(c, a)
      << "<p>Also in <a href=\"../summary.csv\">summary.csv</a>, <a href=\"../runs.csv\">"
         "runs.csv</a> and campaign.sqlite.</p>\n</body>\n</html>\n";
    WriteFileAtomically(report + "/index.html", h.str());
    return report + "/index.html";
}

} // namespace campaign
} // namespace ns3
