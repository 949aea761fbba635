/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "decision-screen-report.h"

#include "ns3/scenario-report.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace ns3
{

namespace
{

std::string
Esc(const std::string& s)
{
    return ScenarioReport::HtmlEscape(s);
}

std::string
Num(double v, int decimals)
{
    char b[32];
    std::snprintf(b, sizeof b, "%.*f", decimals, v);
    return b;
}

/// The form's columns, in FIG. 8's order.
const std::pair<const char*, std::string ScenarioPolicyForm::*> kFields[] = {
    {"direction", &ScenarioPolicyForm::direction},
    {"source", &ScenarioPolicyForm::source},
    {"destination", &ScenarioPolicyForm::destination},
    {"upper protocol", &ScenarioPolicyForm::upper},
    {"action", &ScenarioPolicyForm::action},
    {"protocols", &ScenarioPolicyForm::protocols},
    {"mode", &ScenarioPolicyForm::mode},
    {"level", &ScenarioPolicyForm::level},
};

/**
 * A policy form: one row per policy; with \p before, the fields that differ from the policy
 * of the same direction there are highlighted (a policy with no counterpart: all of them).
 */
std::string
PolicyTable(const std::vector<ScenarioPolicyForm>& forms,
            const std::vector<ScenarioPolicyForm>* before)
{
    std::ostringstream o;
    if (forms.empty())
    {
        return "<p>(none: no communication)</p>\n";
    }
    o << "<table class=\"policy\"><thead><tr>";
    for (const auto& [name, field] : kFields)
    {
        o << "<th>" << name << "</th>";
    }
    o << "</tr></thead><tbody>\n";
    for (const auto& f : forms)
    {
        const ScenarioPolicyForm* was = nullptr;
        if (before)
        {
            auto it = std::find_if(before->begin(), before->end(), [&f](const auto& b) {
                return b.direction == f.direction;
            });
            was = it == before->end() ? nullptr : &*it;
        }
        o << "<tr>";
        for (const auto& [name, field] : kFields)
        {
            bool changed = before && (!was || was->*field != f.*field);
            o << (changed ? "<td class=\"changed\">" : "<td>") << Esc(f.*field) << "</td>";
        }
        o << "</tr>\n";
    }
    o << "</tbody></table>\n";
    return o.str();
}

} // namespace

const char*
DecisionScreenReport::Css()
{
    return ".screens { display: flex; flex-wrap: wrap; gap: 1em; align-items: flex-start; }\n"
           ".screen { border: 2px solid #777; border-radius: 4px; padding: 0.3em 0.6em; "
           "background: #fbfbfb; }\n"
           ".screen h4 { margin: 0.2em 0; font-size: 0.9em; }\n"
           "td.changed { background: #ffd27a; font-weight: bold; }\n";
}

std::string
DecisionScreenReport::Html(const std::vector<ScenarioDecisionRecord>& decisions,
                           size_t run,
                           size_t maxRows)
{
    if (decisions.empty())
    {
        return "";
    }
    size_t rows = maxRows == 0 ? decisions.size() : std::min(maxRows, decisions.size());
    auto anchor = [run](size_t k) {
        return "decision-" + std::to_string(run) + "-" + std::to_string(k + 1);
    };
    std::ostringstream o;
    o << "<h3>Decisions and the user's screens</h3>\n"
      << "<table class=\"decisions\"><thead><tr><th>time (s)</th><th>terminal</th>"
         "<th>peer</th><th>peer is on</th><th>verdict</th><th>think (ms)</th>"
         "<th>screens</th></tr></thead><tbody>\n";
    for (size_t k = 0; k < rows; ++k)
    {
        const auto& d = decisions[k];
        o << "<tr><td class=\"n\">" << Num(d.timeS, 3) << "</td><td>" << Esc(d.terminal)
          << "</td><td>" << Esc(d.entity) << "</td><td>" << Esc(d.network)
          << (d.trusted ? " (trusted)" : " (untrusted)") << "</td><td>" << Esc(d.verdict)
          << "</td><td class=\"n\">" << Num(d.thinkMs, 0) << "</td><td><a href=\"#" << anchor(k)
          << "\">FIG. 9, 8, 13</a></td></tr>\n";
    }
    o << "</tbody></table>\n";
    for (size_t k = 0; k < rows; ++k)
    {
        const auto& d = decisions[k];
        o << "<details id=\"" << anchor(k) << "\"><summary>" << Num(d.timeS, 3)
          << " s: " << Esc(d.terminal) << " decides on " << Esc(d.entity) << " — " << Esc(d.verdict)
          << "</summary>\n<div class=\"screens\">\n"
          << "<div class=\"screen\"><h4>Presence (FIG. 9)</h4><table>"
          << "<tr><th>entity</th><td>" << Esc(d.entity) << "</td></tr>"
          << "<tr><th>IP address</th><td>" << Esc(d.address) << "</td></tr>"
          << "<tr><th>user</th><td>" << Esc(d.user) << "</td></tr>"
          << "<tr><th>location</th><td>" << Esc(d.location) << "</td></tr>"
          << "<tr><th>time</th><td>" << Esc(d.timestamp) << "</td></tr>"
          << "</table></div>\n"
          << "<div class=\"screen\"><h4>Proposed policy (FIG. 8)</h4>"
          << PolicyTable(d.proposal, nullptr) << "</div>\n"
          << "<div class=\"screen\"><h4>Registered (FIG. 13; changes marked)</h4>"
          << PolicyTable(d.registered, &d.proposal) << "<p>" << Esc(d.reason)
          << "</p></div>\n</div>\n</details>\n";
    }
    if (rows < decisions.size())
    {
        o << "<p>The first " << rows << " of " << decisions.size() << " decisions.</p>\n";
    }
    return o.str();
}

} // namespace ns3
