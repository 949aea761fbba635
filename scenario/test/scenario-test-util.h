/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Shared by the scenario tests: what a run's decision log says, what the parser says, a run of a
// scenario text.

#ifndef PRESEC_SCENARIO_TEST_SCENARIO_TEST_UTIL_H
#define PRESEC_SCENARIO_TEST_SCENARIO_TEST_UTIL_H

#include "ns3/scenario-results.h"
#include "ns3/scenario-runner.h"
#include "ns3/scenario.h"

#include <algorithm>
#include <gtest/gtest.h>
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

/**
 * Parse a scenario text (a parse error fails the test) and run it.
 * \param xml the scenario text
 * \param file the name its errors carry
 * \param options the run's options
 * \return the results (empty when it does not parse)
 */
inline ns3::ScenarioRunResult
RunXml(const std::string& xml,
       const std::string& file,
       const ns3::ScenarioRunOptions& options = ns3::ScenarioRunOptions{})
{
    auto p = ns3::ScenarioParser::ParseString(xml, file);
    EXPECT_TRUE(p.IsOk()) << p.GetError();
    if (!p)
    {
        return {};
    }
    return ns3::ScenarioRunner::Run(p.GetValue(), options);
}

/**
 * Two Wi-Fi networks 40 m apart (a trusted, b not) and a csma network c, terminal t on a and d
 * on c, on lines 1-6: an element appended is on line 7 (tests of moves and wanders).
 * \param body elements to append
 * \return the scenario text
 */
inline std::string
TwoApsAndALan(const std::string& body)
{
    return "<scenario name=\"x\" duration=\"30\">\n"
           "<network name=\"a\" prefix=\"10.1.0.0/24\" trusted=\"true\" medium=\"wifi\" "
           "position=\"0,0\"/>\n"
           "<network name=\"b\" prefix=\"10.2.0.0/24\" trusted=\"false\" medium=\"wifi\" "
           "position=\"40,0\"/>\n"
           "<network name=\"c\" prefix=\"10.3.0.0/24\" trusted=\"true\"/>\n"
           "<terminal name=\"t\" network=\"a\"/>\n"
           "<terminal name=\"d\" network=\"c\"/>\n" +
           body + "\n</scenario>\n";
}

} // namespace presec_test

#endif // PRESEC_SCENARIO_TEST_SCENARIO_TEST_UTIL_H
