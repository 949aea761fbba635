/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Shared by the scenario tests: what a run's decision log says, what the parser says, a run of a
// scenario text, a scratch directory for a run's files.

#ifndef PRESEC_SCENARIO_TEST_SCENARIO_TEST_UTIL_H
#define PRESEC_SCENARIO_TEST_SCENARIO_TEST_UTIL_H

#include "ns3/scenario-results.h"
#include "ns3/scenario-runner.h"
#include "ns3/scenario.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
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
 * A directory of the test's own under the temporary directory (a unique name, so concurrent
 * suites do not share it), removed with what it holds when the test is done with it.
 */
class ScratchDir
{
  public:
    /**
     * \param stem the start of the directory's name
     */
    explicit ScratchDir(const std::string& stem)
    {
        std::string name = ::testing::TempDir() + stem + "-XXXXXX";
        if (mkdtemp(name.data()) != nullptr)
        {
            m_path = name;
        }
        EXPECT_FALSE(m_path.empty()) << "mkdtemp " << name;
    }

    ~ScratchDir()
    {
        std::error_code ignored;
        std::filesystem::remove_all(m_path, ignored);
    }

    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;

    /** \return the directory's path, without a trailing slash */
    const std::string& Path() const
    {
        return m_path;
    }

  private:
    std::string m_path; //!< created by mkdtemp; empty if that failed
};

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
