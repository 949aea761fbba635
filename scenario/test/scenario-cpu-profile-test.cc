/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * cpu="file:PATH" in a scenario (issue 15): a calibrated profile file is read relative to the
 * scenario, drives the terminals' CryptoCostModel, and a faulty file is a "file:line" error.
 */

#include "scenario-test-util.h"

#include "ns3/crypto-profile.h"
#include "ns3/scenario-runner.h"
#include "ns3/scenario.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <string>

using namespace ns3;

namespace
{

namespace fs = std::filesystem;

/// A folder with a scenario whose two terminals use cpu=CPU, and any profile files.
class ProfileFolder
{
  public:
    ProfileFolder()
        : m_scratch("presec-cpu")
    {
        fs::create_directories(Dir() / "profiles");
    }

    /// Write profiles/NAME with TEXT.
    void Profile(const std::string& name, const std::string& text) const
    {
        std::ofstream(Dir() / "profiles" / name) << text;
    }

    /// Write the scenario (terminal b's cpu on line 5) and return its path.
    std::string Scenario(const std::string& cpu) const
    {
        fs::path p = Dir() / "scenario.xml";
        std::ofstream f(p);
        f << "<scenario name=\"cpu\" duration=\"20\" seed=\"1\">\n"
          << "<network name=\"office\" prefix=\"192.168.1.0/24\" trusted=\"true\"/>\n"
          << "<network name=\"cafe\" prefix=\"133.134.10.0/24\" trusted=\"false\"/>\n"
          << "<terminal name=\"a\" network=\"office\" cpu=\"" << cpu << "\"/>\n"
          << "<terminal name=\"b\" network=\"office\" cpu=\"" << cpu << "\"/>\n"
          << "<session caller=\"a\" callee=\"b\" start=\"1\"/>\n"
          << "<move terminal=\"b\" at=\"10\" network=\"cafe\"/>\n"
          << "</scenario>\n";
        return p.string();
    }

  private:
    fs::path Dir() const
    {
        return m_scratch.Path();
    }

    presec_test::ScratchDir m_scratch; //!< removed with the folder's files
};

/// Crypto busy seconds of both terminals after running the scenario at PATH.
double
BusySeconds(const std::string& path)
{
    auto p = ScenarioParser::ParseFile(path);
    EXPECT_TRUE(p.IsOk()) << p.GetError();
    if (!p)
    {
        return -1;
    }
    ScenarioRunResult r = ScenarioRunner::Run(p.GetValue(), ScenarioRunOptions{});
    double busy = 0;
    for (const auto& t : r.terminals)
    {
        busy += t.cpuBusySeconds;
    }
    return busy;
}

} // namespace

TEST(ScenarioCpuProfile, FileProfileDrivesTheCostModel)
{
    ProfileFolder f;
    // The built-in profile written out whole, and one that is the same CPU at half the clock.
    const CryptoProfile xscale = *CryptoProfile::GetBuiltin("xscale-pxa250");
    std::ostringstream whole;
    xscale.Write(whole);
    f.Profile("xscale.profile", whole.str());
    f.Profile("half.profile",
              "base = xscale-pxa250\nname = xscale-half-clock\nfrequency_hz = " +
                  std::to_string(xscale.frequencyHz / 2) + "\n");

    auto p = ScenarioParser::ParseFile(f.Scenario("file:profiles/half.profile"));
    ASSERT_TRUE(p.IsOk()) << p.GetError();
    ASSERT_TRUE(p.GetValue().terminals[1].cpuProfile.has_value());
    EXPECT_EQ(p.GetValue().terminals[1].cpuProfile->name, "xscale-half-clock");
    EXPECT_EQ(p.GetValue().terminals[1].cpu, "file:profiles/half.profile");

    double builtin = BusySeconds(f.Scenario("xscale-pxa250"));
    double fromFile = BusySeconds(f.Scenario("file:profiles/xscale.profile"));
    double half = BusySeconds(f.Scenario("file:profiles/half.profile"));
    ASSERT_GT(builtin, 0) << "the call is protected in the cafe: the CPU must work";
    EXPECT_DOUBLE_EQ(fromFile, builtin);
    // Half the clock, twice the time for every job (the later packets of a busier engine
    // shift a little: 2%).
    EXPECT_NEAR(half / builtin, 2.0, 0.04);
}

TEST(ScenarioCpuProfile, FaultyProfileFileIsAFileLineError)
{
    ProfileFolder f;
    f.Profile("typo.profile", "base = xscale-pxa250\nname = typo\nfrequncy_hz = 4e8\n");
    auto p = ScenarioParser::ParseFile(f.Scenario("file:profiles/typo.profile"));
    ASSERT_FALSE(p.IsOk());
    EXPECT_NE(p.GetError().find("scenario.xml:4: cpu: "), std::string::npos) << p.GetError();
    EXPECT_NE(p.GetError().find("typo.profile:3:1: unknown key 'frequncy_hz'"), std::string::npos)
        << p.GetError();

    p = ScenarioParser::ParseFile(f.Scenario("file:profiles/missing.profile"));
    ASSERT_FALSE(p.IsOk());
    EXPECT_NE(p.GetError().find("scenario.xml:4: cpu: no profile file '"), std::string::npos)
        << p.GetError();

    p = ScenarioParser::ParseFile(f.Scenario("file:profiles"));
    ASSERT_FALSE(p.IsOk()) << "a folder is no profile";
    EXPECT_NE(p.GetError().find("no profile file"), std::string::npos) << p.GetError();

    p = ScenarioParser::ParseFile(f.Scenario("file:"));
    ASSERT_FALSE(p.IsOk());
    EXPECT_NE(p.GetError().find("scenario.xml:4: cpu=\"file:\" needs a path"), std::string::npos)
        << p.GetError();

    p = ScenarioParser::ParseFile(f.Scenario("pentium"));
    ASSERT_FALSE(p.IsOk());
    EXPECT_NE(p.GetError().find("bad value 'pentium' for 'cpu' (expected x86-64-aesni|"),
              std::string::npos)
        << p.GetError();
    EXPECT_NE(p.GetError().find("|file:PATH)"), std::string::npos) << p.GetError();
}
