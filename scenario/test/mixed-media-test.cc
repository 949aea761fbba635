/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * Mixed media (issue 15, deliverable 3): a terminal docked at a wired (csma) office walks out
 * to a cafe's Wi-Fi in a call and comes back; its application follows its addresses (fixed on
 * the dock, a lease in the cafe), the cafe's air sees what the decision model chose, and the
 * call goes on after each move. The wired networks are hubs or switches, with guests, as in
 * all-csma scenarios, and a registrar may stand on one.
 */

#include "scenario-test-util.h"

#include "ns3/scenario-runner.h"
#include "ns3/scenario.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <iostream>
#include <string>

using namespace ns3;
using presec_test::LogHas;

namespace
{

/**
 * Bob, docked at the office next to Alice, is in the cafe from 8 s to 18 s of a call.
 * \param decision every terminal's decision model
 * \param wiring the office's wiring
 * \param more elements to add
 */
ScenarioRunResult
RunDocked(const std::string& decision,
          const std::string& wiring = "hub",
          const std::string& more = "")
{
    auto p = ScenarioParser::ParseString(
        "<scenario name=\"docked\" duration=\"26\" seed=\"1\">\n"
        "<network name=\"office\" prefix=\"192.168.1.0/24\" trusted=\"true\" wiring=\"" +
            wiring +
            "\"/>\n"
            "<network name=\"cafe\" prefix=\"133.134.10.0/24\" trusted=\"false\" "
            "label=\"external\"\n"
            "         medium=\"wifi\" position=\"0,0\"/>\n"
            "<terminal name=\"alice\" network=\"office\"/>\n"
            "<terminal name=\"bob\" network=\"office\"/>\n"
            "<session caller=\"alice\" callee=\"bob\" start=\"2\" duration=\"23\"/>\n"
            "<move terminal=\"bob\" at=\"8\" network=\"cafe\"/>\n"
            "<move terminal=\"bob\" at=\"18\" network=\"office\"/>\n" +
            more + "</scenario>\n",
        "docked.xml");
    EXPECT_TRUE(p.IsOk()) << p.GetError();
    ScenarioRunOptions o;
    o.decision = decision;
    o.sampleInterval = 1;
    return ScenarioRunner::Run(p.GetValue(), o);
}

/**
 * A call between a and b docked at an untrusted (so sniffed) office, unprotected, beside a
 * Wi-Fi cafe.
 * \param wiring the office's wiring
 * \param eavesdropper an eavesdropper element, or nothing
 */
ScenarioRunResult
RunOffice(const std::string& wiring, const std::string& eavesdropper)
{
    return presec_test::RunXml(
        "<scenario name=\"office\" duration=\"6\" seed=\"1\">\n"
        "<network name=\"office\" prefix=\"10.1.0.0/24\" trusted=\"false\" wiring=\"" +
            wiring +
            "\"/>\n"
            "<network name=\"cafe\" prefix=\"10.2.0.0/24\" trusted=\"false\" medium=\"wifi\" "
            "position=\"0,0\"/>\n"
            "<terminal name=\"a\" network=\"office\" decision=\"AcceptAsIs\"/>\n"
            "<terminal name=\"b\" network=\"office\" decision=\"AcceptAsIs\"/>\n"
            "<session caller=\"a\" callee=\"b\" start=\"1\"/>\n" +
            eavesdropper + "</scenario>\n",
        "office.xml");
}

} // namespace

TEST(MixedMedia, ADockedTerminalRoamsToCafeWifiAndBack)
{
    for (const char* wiring : {"hub", "switch"})
    {
        SCOPED_TRACE(wiring);
        ScenarioRunResult r = RunDocked("LocationAware", wiring);
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

// As in an all-csma scenario (SwitchedNetwork.OwnPortReadsNoUnicastMirrorPortReadsAll): on a
// switched office an eavesdropper on a port of its own reads none of the call between two other
// stations, one on the mirror port reads all of it, as much as on a hub.
TEST(MixedMedia, ASwitchedOfficeShowsItsOwnPortNothingAndItsMirrorPortAll)
{
    ScenarioRunResult hub = RunOffice("hub", "");
    ScenarioRunResult own = RunOffice("switch", "<eavesdropper network=\"office\"/>\n");
    ScenarioRunResult mirror =
        RunOffice("switch", "<eavesdropper network=\"office\" port=\"mirror\"/>\n");
    for (const ScenarioRunResult* r : {&hub, &own, &mirror})
    {
        ASSERT_EQ(r->sessions.size(), 1u);
        ASSERT_EQ(r->networks.size(), 2u);
        EXPECT_GT(r->sessions[0].sent, 200u);
        EXPECT_GE(r->sessions[0].received, r->sessions[0].sent - 2);
    }
    EXPECT_GT(hub.networks[0].clearDataBytes, 30000u);
    EXPECT_EQ(hub.networks[0].clearDataBytes, hub.networks[0].expectedClearBytes);
    EXPECT_EQ(own.networks[0].clearDataBytes, 0u);
    EXPECT_EQ(own.networks[0].signalingBytes, 0u);
    EXPECT_EQ(mirror.networks[0].clearDataBytes, hub.networks[0].clearDataBytes);
    EXPECT_EQ(mirror.networks[0].signalingBytes, hub.networks[0].signalingBytes);
}

// Guests on the office's wire load its access link: the call from the office to the cafe's
// Wi-Fi, which crosses it, gets jitter it does not have without them.
TEST(MixedMedia, GuestsOnAWiredOfficeLoadItsAccessLink)
{
    auto run = [](const std::string& background) {
        return presec_test::RunXml(
            "<scenario name=\"guests\" duration=\"8\" seed=\"1\">\n"
            "<network name=\"office\" prefix=\"10.1.0.0/24\" trusted=\"true\" wiring=\"switch\" "
            "access-rate=\"2Mbps\" access-delay=\"5ms\"/>\n"
            "<network name=\"cafe\" prefix=\"10.2.0.0/24\" trusted=\"false\" medium=\"wifi\" "
            "position=\"0,0\"/>\n"
            "<terminal name=\"a\" network=\"office\"/>\n"
            "<terminal name=\"b\" network=\"cafe\"/>\n"
            "<session caller=\"a\" callee=\"b\" start=\"2\"/>\n" +
                background + "</scenario>\n",
            "guests.xml");
    };
    ScenarioRunResult quiet = run("");
    ScenarioRunResult loaded =
        run("<background network=\"office\" stations=\"3\" load=\"0.8\" size=\"1000\"/>\n");
    ASSERT_EQ(quiet.sessions.size(), 1u);
    ASSERT_EQ(loaded.sessions.size(), 1u);
    EXPECT_GT(quiet.sessions[0].received, 200u);
    EXPECT_GT(loaded.sessions[0].received, 200u);
    std::cout << "jitter quiet " << quiet.sessions[0].jitterMs << " ms, loaded "
              << loaded.sessions[0].jitterMs << " ms; delay " << quiet.sessions[0].meanDelayMs
              << " / " << loaded.sessions[0].meanDelayMs << " ms\n";
    EXPECT_GT(loaded.sessions[0].jitterMs, quiet.sessions[0].jitterMs + 0.1);
    EXPECT_GT(loaded.sessions[0].meanDelayMs, quiet.sessions[0].meanDelayMs);
}

// A registrar on the (switched) office: Bob registers at his dock address, again at his cafe
// lease when he walks out (the dock's Contact removed), and at the dock when he comes back.
TEST(MixedMedia, TheRegistrarFollowsADockedTerminalToTheCafeAndBack)
{
    ScenarioRunResult r = RunDocked("AcceptAsIs", "switch", "<registrar network=\"office\"/>\n");
    std::string bob;
    for (const auto& l : r.decisionLog)
    {
        if (l.rfind("[registrar]", 0) == 0 && l.find("sip:bob@") != std::string::npos)
        {
            bob += l + "\n";
        }
    }
    size_t dock = bob.find("-> sip:bob@192.168.1.3 (3600 s)");
    size_t cafe = bob.find("-> sip:bob@133.134.10.");
    ASSERT_NE(dock, std::string::npos) << bob;
    ASSERT_NE(cafe, std::string::npos) << bob;
    EXPECT_LT(dock, cafe) << bob;
    EXPECT_NE(bob.find("-> sip:bob@192.168.1.3 (0 s)"), std::string::npos) << bob;
    EXPECT_NE(bob.find("-> sip:bob@192.168.1.3 (3600 s)", cafe), std::string::npos)
        << "not registered at the dock again\n"
        << bob;
    EXPECT_GT(r.sessions[0].received, r.sessions[0].sent * 9 / 10);
}

TEST(MixedMedia, WhatEachNetworkCanHoldIsChecked)
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
    EXPECT_EQ(error("wiring=\"switch\""), "(parsed)");
    EXPECT_EQ(error("access-rate=\"10Mbps\""), "(parsed)");
    EXPECT_EQ(error("access-rate=\"10Mbps\"",
                    "<background network=\"office\" stations=\"2\" load=\"0.5\"/>\n"),
              "(parsed)");
    EXPECT_EQ(error("", "<registrar network=\"office\"/>\n"), "(parsed)");
    EXPECT_EQ(error("", "<registrar network=\"cafe\"/>\n"),
              "mixed.xml:5: a registrar needs a csma network ('cafe' is wifi)");
}

TEST(MixedMedia, ARegistrarNeedsAnAddressLeft)
{
    // A /29 has 5 host addresses beside its .1: four terminals and the registrar fit, five do
    // not.
    auto error = [](int terminals) {
        std::string xml = "<scenario name=\"x\" duration=\"10\">\n"
                          "<network name=\"office\" prefix=\"10.1.0.0/29\" trusted=\"true\"/>\n"
                          "<network name=\"cafe\" prefix=\"10.2.0.0/24\" trusted=\"false\" "
                          "medium=\"wifi\" position=\"0,0\"/>\n"
                          "<registrar network=\"office\"/>\n";
        for (int i = 0; i < terminals; ++i)
        {
            xml += "<terminal name=\"t" + std::to_string(i) + "\" network=\"office\"/>\n";
        }
        return presec_test::ParseError(xml + "</scenario>\n", "small.xml");
    };
    EXPECT_EQ(error(4), "(parsed)");
    EXPECT_EQ(error(5),
              "small.xml:4: network 'office' (10.1.0.0/29) has no address left for the registrar: "
              "5 terminals and 0 background stations use its 5 addresses");
}
