/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "handover-chart.h"

#include "ns3/scenario-report.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace ns3
{

namespace
{

/// The parts in causal order, with their colours (colour-blind safe, Okabe-Ito).
struct Part
{
    const char* name;                   //!< legend
    const char* colour;                 //!< CSS colour
    double ScenarioHandoverResult::*ms; //!< its duration
};

const Part kParts[] = {
    {"detect", "#999999", &ScenarioHandoverResult::detectMs},
    {"link", "#E69F00", &ScenarioHandoverResult::linkMs},
    {"address", "#56B4E9", &ScenarioHandoverResult::addressMs},
    {"presence", "#009E73", &ScenarioHandoverResult::presenceMs},
    {"decision", "#F0E442", &ScenarioHandoverResult::decisionMs},
    {"SA setup", "#0072B2", &ScenarioHandoverResult::saMs},
    {"resume", "#CC79A7", &ScenarioHandoverResult::resumeMs},
};

std::string
Ms(double v)
{
    char b[32];
    std::snprintf(b, sizeof b, "%.1f", v);
    return b;
}

} // namespace

std::string
HandoverChart::Html(const std::vector<ScenarioHandoverResult>& handovers, size_t maxRows)
{
    if (handovers.empty())
    {
        return "";
    }
    size_t rows = maxRows == 0 ? handovers.size() : std::min(maxRows, handovers.size());
    double scale = 1;
    for (size_t k = 0; k < rows; ++k)
    {
        scale = std::max(scale, handovers[k].interruptionMs);
    }
    std::ostringstream o;
    o << "<h3>Hand-overs</h3>\n<p>";
    for (const auto& p : kParts)
    {
        o << "<span class=\"swatch\" style=\"background:" << p.colour << "\"></span> " << p.name
          << " ";
    }
    o << "(bars to one scale: " << Ms(scale) << " ms is the full width)</p>\n"
      << "<table class=\"handovers\">\n<thead><tr><th>terminal</th><th>at (s)</th>"
         "<th>move</th><th>interruption (ms)</th><th>breakdown</th><th>lost pkts</th>"
         "<th>signalling (B)</th></tr></thead>\n<tbody>\n";
    for (size_t k = 0; k < rows; ++k)
    {
        const ScenarioHandoverResult& h = handovers[k];
        o << "<tr><td>" << ScenarioReport::HtmlEscape(h.terminal) << "</td><td class=\"n\">"
          << Ms(h.at) << "</td><td>" << ScenarioReport::HtmlEscape(h.from) << " &rarr; "
          << ScenarioReport::HtmlEscape(h.to) << "</td><td class=\"n\">"
          << (h.interruptionMs < 0 ? std::string("-") : Ms(h.interruptionMs))
          << "</td><td style=\"width:24em\"><div style=\"display:flex;height:1em\">";
        for (const auto& p : kParts)
        {
            double v = h.*p.ms;
            if (v <= 0)
            {
                continue;
            }
            o << "<div title=\"" << p.name << " " << Ms(v)
              << " ms\" style=\"background:" << p.colour << ";width:" << Ms(100 * v / scale)
              << "%\"></div>";
        }
        o << "</div></td><td class=\"n\">"
          << (h.lostPackets < 0 ? std::string("-") : std::to_string(h.lostPackets))
          << "</td><td class=\"n\">" << h.signallingBytes << "</td></tr>\n";
    }
    o << "</tbody>\n</table>\n";
    if (rows < handovers.size())
    {
        o << "<p>The first " << rows << " of " << handovers.size()
          << " hand-overs; handovers.csv has them all.</p>\n";
    }
    return o.str();
}

} // namespace ns3
