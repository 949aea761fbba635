/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * Energy per terminal (issue 15): the CPU's IPsec energy is its busy time times the profile's
 * active power, so AlwaysMaximum spends more than LocationAware on office-to-cafe by the ratio
 * of their busy times; a Wi-Fi terminal's radio energy comes from ns-3's energy framework;
 * both are a share of the terminal's battery.
 */

#include "ns3/crypto-profile.h"
#include "ns3/scenario-runner.h"
#include "ns3/scenario.h"

#include <gtest/gtest.h>
#include <sstream>
#include <string>

using namespace ns3;

namespace
{

ScenarioRunResult
RunFile(const std::string& file, const std::string& decision, double duration)
{
    auto p = ScenarioParser::ParseFile(std::string(PRESEC_SCENARIO_DIR) + "/" + file);
    EXPECT_TRUE(p.IsOk()) << p.GetError();
    if (!p)
    {
        return {};
    }
    ScenarioRunOptions o;
    o.decision = decision;
    o.duration = duration;
    return ScenarioRunner::Run(p.GetValue(), o);
}

double
Sum(const ScenarioRunResult& r, double ScenarioTerminalResult::*field)
{
    double s = 0;
    for (const auto& t : r.terminals)
    {
        s += t.*field;
    }
    return s;
}

} // namespace

TEST(Energy, AlwaysMaximumSpendsMoreCpuEnergyByTheRatioOfBusyTimes)
{
    double power = CryptoProfile::GetBuiltin("x86-64-aesni")->activePowerW;
    ASSERT_GT(power, 0);
    ScenarioRunResult la = RunFile("office-to-cafe.xml", "LocationAware", 0);
    ScenarioRunResult am = RunFile("office-to-cafe.xml", "AlwaysMaximum", 0);
    ASSERT_EQ(la.terminals.size(), 2u);
    ASSERT_EQ(am.terminals.size(), 2u);
    for (const ScenarioRunResult* r : {&la, &am})
    {
        for (const auto& t : r->terminals)
        {
            EXPECT_GT(t.cpuBusySeconds, 0) << t.name;
            EXPECT_DOUBLE_EQ(t.cpuEnergyJ, t.cpuBusySeconds * power) << t.name;
            EXPECT_EQ(t.radioEnergyJ, 0) << t.name << ": csma has no radio model";
            EXPECT_DOUBLE_EQ(t.batteryPercent, t.cpuEnergyJ / (50 * 3600) * 100) << t.name;
        }
    }
    double busyLa = Sum(la, &ScenarioTerminalResult::cpuBusySeconds);
    double busyAm = Sum(am, &ScenarioTerminalResult::cpuBusySeconds);
    double energyLa = Sum(la, &ScenarioTerminalResult::cpuEnergyJ);
    double energyAm = Sum(am, &ScenarioTerminalResult::cpuEnergyJ);
    // AlwaysMaximum protects the office half of the call too.
    EXPECT_GT(energyAm, 1.5 * energyLa);
    EXPECT_NEAR(energyAm / energyLa, busyAm / busyLa, 1e-9);
}

TEST(Energy, WifiRadioEnergyComesFromTheEnergyFramework)
{
    const double duration = 10;
    ScenarioRunResult r = RunFile("wifi-office-to-cafe.xml", "", duration);
    ASSERT_FALSE(r.terminals.empty());
    for (const auto& t : r.terminals)
    {
        // WifiRadioEnergyModel's currents (sleep 33 mA ... transmit 380 mA) at the basic
        // source's 3 V: the radio spent between the two for the whole run.
        EXPECT_GT(t.radioEnergyJ, duration * 0.033 * 3) << t.name;
        EXPECT_LT(t.radioEnergyJ, duration * 0.380 * 3) << t.name;
        EXPECT_NEAR(t.batteryPercent, (t.cpuEnergyJ + t.radioEnergyJ) / (50 * 3600) * 100, 1e-12)
            << t.name;
    }
}

TEST(Energy, ProfilePowerAndBatteryAreCheckedInput)
{
    auto with = CryptoProfile::Parse("base = cortex-a53-ce\nname = slow\nactive_power_w = 2.5\n");
    ASSERT_TRUE(with.IsOk()) << with.GetError();
    EXPECT_DOUBLE_EQ(with.GetValue().activePowerW, 2.5);
    auto negative = CryptoProfile::Parse("base = cortex-a53-ce\nname = x\nactive_power_w = -1\n");
    EXPECT_FALSE(negative.IsOk());
    // Written out and read back, the power survives.
    std::ostringstream out;
    with.GetValue().Write(out);
    auto back = CryptoProfile::Parse(out.str());
    ASSERT_TRUE(back.IsOk()) << back.GetError();
    EXPECT_EQ(back.GetValue(), with.GetValue());
    auto bad = ScenarioParser::ParseString(
        "<scenario name=\"x\" duration=\"10\">\n"
        "<network name=\"n\" prefix=\"10.1.0.0/24\" trusted=\"false\"/>\n"
        "<terminal name=\"a\" network=\"n\" battery-wh=\"0\"/>\n</scenario>\n",
        "b.xml");
    EXPECT_EQ(bad.GetError(), "b.xml:3: battery-wh must be in (0, 10000] watt-hours");
}
