/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Shared by the scenario tests: what a run's decision log says, what the parser says.

#ifndef PRESEC_SCENARIO_TEST_SCENARIO_TEST_UTIL_H
#define PRESEC_SCENARIO_TEST_SCENARIO_TEST_UTIL_H

#include "ns3/scenario-results.h"
#include "ns3/scenario.h"

#include <algorithm>
#include <string>

namespace presec_test
{

/**
 * \param r a run's results
 * \param who a terminal
 * \param text a piece of a line
 * \return whether one of the terminal's decision log lines holds the text
 */
inline bool
LogHas(const ns3::ScenarioRunResult& r, const std::string& who, const std::string& text)
{
    return std::any_of(r.decisionLog.begin(), r.decisionLog.end(), [&](const std::string& l) {
        return l.rfind("[" + who + " ", 0) == 0 && l.find(text) != std::string::npos;
    });
}

/**
 * \param xml a scenario text
 * \param file the name its errors carry
 * \return the parser's error, or "(parsed)"
 */
inline std::string
ParseError(const std::string& xml, const std::string& file)
{
    auto p = ns3::ScenarioParser::ParseString(xml, file);
    return p.IsOk() ? std::string("(parsed)") : p.GetError();
}

} // namespace presec_test

#endif // PRESEC_SCENARIO_TEST_SCENARIO_TEST_UTIL_H
