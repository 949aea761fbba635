/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * Mixed media (issue 15, deliverable 3): a terminal docked at a wired (csma) office walks out
 * to a cafe's Wi-Fi in a call and comes back; its application follows its addresses (fixed on
 * the dock, a lease in the cafe), the cafe's air sees what the decision model chose, and the
 * call goes on after each move. Mixing refuses what only the all-csma topology builds.
 */

#include "scenario-test-util.h"

#include "ns3/scenario-runner.h"
#include "ns3/scenario.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <string>

using namespace ns3;
using presec_test::LogHas;

namespace
{

/**
 * Bob, docked at the office next to Alice, is in the cafe from 8 s to 18 s of a call.
 * \param decision every terminal's decision model
 */
ScenarioRunResult
RunDocked(const std::string& decision)
{
    auto p = ScenarioParser::ParseString(
        "<scenario name=\"docked\" duration=\"26\" seed=\"1\">\n"
        "<network name=\"office\" prefix=\"192.168.1.0/24\" trusted=\"true\"/>\n"
        "<network name=\"cafe\" prefix=\"133.134.10.0/24\" trusted=\"false\" label=\"external\"\n"
        "         medium=\"wifi\" position=\"0,0\"/>\n"
        "<terminal name=\"alice\" network=\"office\"/>\n"
        "<terminal name=\"bob\" network=\"office\"/>\n"
        "<session caller=\"alice\" callee=\"bob\" start=\"2\" duration=\"23\"/>\n"
        "<move terminal=\"bob\" at=\"8\" network=\"cafe\"/>\n"
        "<move terminal=\"bob\" at=\"18\" network=\"office\"/>\n"
        "</scenario>\n",
        "docked.xml");
    EXPECT_TRUE(p.IsOk()) << p.GetError();
    ScenarioRunOptions o;
    o.decision = decision;
    o.sampleInterval = 1;
    return ScenarioRunner::Run(p.GetValue(), o);
}

} // namespace

TEST(MixedMedia, ADockedTerminalRoamsToCafeWifiAndBack)
{
    ScenarioRunResult r = RunDocked("LocationAware");
    ASSERT_EQ(r.terminals.size(), 2u);
    const auto& bob = r.terminals[1];
    EXPECT_EQ(bob.path, (std::vector<std::string>{"office", "cafe", "office"}));
    // The dock's fixed address (.3: Alice is .2), then a cafe lease, then the dock again.
    EXPECT_TRUE(LogHas(r, "bob", "our address moved: 192.168.1.3 -> 133.134.10."))
        << "no cafe lease";
    EXPECT_TRUE(LogHas(r, "bob", "-> 192.168.1.3")) << "not back on the dock";
    // Only Bob has a radio, and it spent energy; Alice never leaves the wire.
    EXPECT_GT(bob.radioEnergyJ, 0);
    EXPECT_EQ(r.terminals[0].radioEnergyJ, 0);
    // The cafe's air (sniffed: untrusted) carries protected voice and no clear data.
    const auto& cafe = r.networks[1];
    EXPECT_TRUE(cafe.sniffed);
    EXPECT_GT(cafe.protectedPackets, 100u);
    EXPECT_EQ(cafe.clearDataBytes, 0u);
    // The call goes on in each of the three stays: voice arrives at 50 packets/s both ways,
    // less two hand-overs.
    const auto& s = r.sessions[0];
    EXPECT_GT(s.received, s.sent * 9 / 10);
    ASSERT_FALSE(bob.timeline.empty());
    EXPECT_GT(s.rFactor, 50);
}

TEST(MixedMedia, AcceptAsIsLeavesTheCallClearOnTheCafesAir)
{
    ScenarioRunResult r = RunDocked("AcceptAsIs");
    const auto& cafe = r.networks[1];
    EXPECT_GT(cafe.clearDataPackets, 100u);
    // Independent count: the senders' IpsecLayer PlainTx data bytes to/from cafe addresses.
    // What Alice sends to Bob's cafe lease after he docked (until his application tells her
    // his dock address) never reaches the cafe's air: a few packets at most.
    EXPECT_LE(cafe.clearDataBytes, cafe.expectedClearBytes);
    EXPECT_GE(cafe.clearDataBytes + 10 * 180, cafe.expectedClearBytes);
    EXPECT_EQ(r.networks[0].clearDataBytes, 0u); // the trusted office is not sniffed
    EXPECT_FALSE(r.networks[0].sniffed);
}

TEST(MixedMedia, WhatOnlyAllCsmaScenariosBuildIsRefused)
{
    auto error = [](const std::string& office, const std::string& more = "") {
        return presec_test::ParseError(
            "<scenario name=\"x\" duration=\"10\">\n"
            "<network name=\"office\" prefix=\"10.1.0.0/24\" trusted=\"true\" " +
                office +
                "/>\n"
                "<network name=\"cafe\" prefix=\"10.2.0.0/24\" trusted=\"false\" medium=\"wifi\" "
                "position=\"0,0\"/>\n"
                "<terminal name=\"a\" network=\"office\"/>\n" +
                more + "</scenario>\n",
            "mixed.xml");
    };
    EXPECT_EQ(error(""), "(parsed)");
    EXPECT_EQ(error("wiring=\"switch\""),
              "mixed.xml:2: network 'office': wiring=\"switch\" needs an all-csma scenario (this "
              "one has wifi networks)");
    // Access links are built (InternetCoreHelper around the Wi-Fi core's router); guests on a
    // csma network are not.
    EXPECT_EQ(error("access-rate=\"10Mbps\""), "(parsed)");
    EXPECT_EQ(error("access-rate=\"10Mbps\"",
                    "<background network=\"office\" stations=\"2\" load=\"0.5\"/>\n"),
              "mixed.xml:5: background on csma network 'office' needs an all-csma scenario (this "
              "one has wifi networks)");
    EXPECT_EQ(error("", "<registrar network=\"office\"/>\n"),
              "mixed.xml:5: a registrar needs an all-csma scenario (this one has wifi networks)");
}
