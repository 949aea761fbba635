/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * The Internet core (issue 15): networks reach a core router through access links and site
 * links, so a call between two networks takes the configured path delay plus transmission
 * times; background load on the cafe's access link makes jitter, growing with the load; loss
 * on an access link loses that share of the voice; bad input is a file:line error.
 */

#include "scenario-test-util.h"

#include "ns3/scenario-runner.h"
#include "ns3/scenario.h"

#include <cmath>
#include <gtest/gtest.h>
#include <iostream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

/**
 * An unprotected call between a (office, in site hq) and b (cafe) over the core, ending a
 * second before the scenario (so no voice packet is in flight at the end).
 * \param cafeExtra more attributes of the cafe network
 * \param more more elements
 * \param duration simulated seconds
 */
ScenarioRunResult
RunOverCore(const std::string& cafeExtra, const std::string& more = "", double duration = 8)
{
    std::string xml =
        "<scenario name=\"core\" duration=\"" + std::to_string(duration) +
        "\" seed=\"1\">\n"
        "<site name=\"hq\" delay=\"5ms\" prefix=\"192.168.0.0/16\"/>\n"
        "<network name=\"office\" prefix=\"192.168.1.0/24\" trusted=\"true\" site=\"hq\"\n"
        "         access-rate=\"100Mbps\" access-delay=\"2ms\"/>\n"
        "<network name=\"cafe\" prefix=\"10.2.0.0/24\" trusted=\"false\" label=\"cafe\"\n"
        "         access-rate=\"16Mbps/1Mbps\" access-delay=\"15ms\" " +
        cafeExtra +
        "/>\n"
        "<terminal name=\"a\" network=\"office\" decision=\"AcceptAsIs\"/>\n"
        "<terminal name=\"b\" network=\"cafe\" decision=\"AcceptAsIs\"/>\n"
        "<session caller=\"a\" callee=\"b\" start=\"1\" duration=\"" +
        std::to_string(duration - 2) + "\"/>\n" + more + "</scenario>\n";
    return presec_test::RunXml(xml, "core.xml");
}

/**
 * An unprotected 6 s call between a (office) and b (cafe, a wifi network 60 m from the
 * office's AP when the office is wifi too).
 * \param office the office network's medium and link attributes
 * \param cafe the cafe network's link attributes
 * \param more more elements (sites)
 */
ScenarioRunResult
RunWithWifiCafe(const std::string& office, const std::string& cafe, const std::string& more = "")
{
    std::string xml =
        "<scenario name=\"wifi-core\" duration=\"8\" seed=\"1\">\n" + more +
        "<network name=\"office\" prefix=\"192.168.1.0/24\" trusted=\"true\" " + office +
        "/>\n"
        "<network name=\"cafe\" prefix=\"10.2.0.0/24\" trusted=\"false\" label=\"cafe\"\n"
        "         medium=\"wifi\" position=\"60,0\" " +
        cafe +
        "/>\n"
        "<terminal name=\"a\" network=\"office\" decision=\"AcceptAsIs\"/>\n"
        "<terminal name=\"b\" network=\"cafe\" decision=\"AcceptAsIs\"/>\n"
        "<session caller=\"a\" callee=\"b\" start=\"1\" duration=\"6\"/>\n"
        "</scenario>\n";
    return presec_test::RunXml(xml, "wifi-core.xml");
}

/// Seconds to send BYTES at RATE bit/s.
double
Tx(double bytes, double rate)
{
    return bytes * 8 / rate;
}

} // namespace

TEST(InternetCore, OneWayDelayIsThePathDelayPlusTransmissionTimes)
{
    ScenarioRunResult r = RunOverCore("");
    ASSERT_EQ(r.sessions.size(), 1u);
    const auto& s = r.sessions[0];
    ASSERT_GT(s.received, 500u);
    EXPECT_EQ(s.lost, 0u);
    // A voice packet: G.711 at 20 ms, 172 bytes of UDP payload (RTP 12 and 160), UDP 8, IPv4 20; on
    // CSMA Ethernet 14 + FCS 4, on point-to-point PPP 2. Unprotected (AcceptAsIs, no policy).
    const double ip = 172 + 8 + 20;
    const double eth = ip + 18;
    const double ppp = ip + 2;
    // Propagation: office CSMA 50 us, office access 2 ms, hq site link 5 ms, cafe access
    // 15 ms, cafe CSMA 50 us.
    const double prop = 50e-6 + 2e-3 + 5e-3 + 15e-3 + 50e-6;
    // Transmission: both CSMA segments at 100 Mb/s, the site link at 10 Gb/s, the office's
    // access link at 100 Mb/s each way, the cafe's at 16 Mb/s down and 1 Mb/s up.
    const double common = 2 * Tx(eth, 100e6) + Tx(ppp, 10e9) + Tx(ppp, 100e6);
    const double aToB = prop + common + Tx(ppp, 16e6);
    const double bToA = prop + common + Tx(ppp, 1e6);
    const double expectedMs = (aToB + bToA) / 2 * 1e3;
    std::cout << "mean one-way delay " << s.meanDelayMs << " ms, path " << expectedMs << " ms\n";
    EXPECT_NEAR(s.meanDelayMs, expectedMs, 0.05 * expectedMs)
        << "expected " << expectedMs << " ms (a to b " << aToB * 1e3 << ", b to a " << bToA * 1e3
        << ")";
    // Nothing else loads the path: no queueing, so no jitter to speak of.
    EXPECT_LT(s.jitterMs, 0.05);
}

TEST(InternetCore, BackgroundLoadMakesJitterThatGrowsWithTheLoad)
{
    std::vector<double> jitter;
    for (double load : {0.3, 0.6, 0.85})
    {
        ScenarioRunResult r = RunOverCore("",
                                          "<background network=\"cafe\" stations=\"4\" load=\"" +
                                              std::to_string(load) +
                                              "\" size=\"1000\"/>\n"
                                              "<eavesdropper network=\"cafe\"/>\n");
        ASSERT_EQ(r.sessions.size(), 1u);
        jitter.push_back(r.sessions[0].jitterMs);
        std::cout << "load " << load << ": jitter " << r.sessions[0].jitterMs << " ms, delay "
                  << r.sessions[0].meanDelayMs << " ms, lost " << r.sessions[0].lost << "\n";
        EXPECT_GT(r.sessions[0].jitterMs, 0.05) << "load " << load;
        // The background stations' datagrams are nobody's exposure: what the cafe's
        // eavesdropper counts as clear data is exactly what a and b sent in clear.
        ASSERT_EQ(r.networks.size(), 2u);
        EXPECT_EQ(r.networks[1].clearDataBytes, r.networks[1].expectedClearBytes);
        EXPECT_GT(r.networks[1].clearDataBytes, 0u);
    }
    EXPECT_GT(jitter[1], jitter[0]);
    EXPECT_GT(jitter[2], jitter[1]);
}

TEST(InternetCore, AccessLossLosesThatShareOfTheVoice)
{
    ScenarioRunResult r = RunOverCore("access-loss=\"0.05\"", "", 12);
    ASSERT_EQ(r.sessions.size(), 1u);
    const auto& s = r.sessions[0];
    // Each voice packet crosses the cafe's access link once, in one direction or the other.
    double share = double(s.sent - s.received) / double(s.sent);
    EXPECT_GT(share, 0.03);
    EXPECT_LT(share, 0.07);
    // The receivers see the losses as gaps in the RTP sequence: all but, per direction, a
    // lost last packet and those still on their way at the end (the one-way delay's worth).
    EXPECT_LE(s.received + s.lost, s.sent);
    uint32_t trailing = 2 * (1 + uint32_t(std::ceil(s.meanDelayMs / 20.0)));
    EXPECT_GE(s.received + s.lost + trailing, s.sent);
}

TEST(InternetCore, BadInputIsAFileLineError)
{
    auto parse = [](const std::string& net, const std::string& more = "") {
        return ScenarioParser::ParseString(
            "<scenario name=\"x\" duration=\"10\">\n" + more +
                "<network name=\"n\" prefix=\"10.1.0.0/24\" trusted=\"false\" " + net +
                "/>\n"
                "<terminal name=\"a\" network=\"n\"/>\n</scenario>\n",
            "bad.xml");
    };
    auto error = [&](const std::string& net, const std::string& more = "") {
        auto p = parse(net, more);
        return p.IsOk() ? std::string("(parsed)") : p.GetError();
    };
    EXPECT_TRUE(parse("access-rate=\"16Mbps/1Mbps\" access-delay=\"1.5ms\" access-loss=\"0.01\""))
        << error("access-rate=\"16Mbps/1Mbps\" access-delay=\"1.5ms\" access-loss=\"0.01\"");
    EXPECT_EQ(error("access-delay=\"5ms\""), "bad.xml:2: access-delay needs access-rate");
    EXPECT_EQ(error("access-rate=\"16Mbit\""),
              "bad.xml:2: bad value '16Mbit' for 'access-rate' (expected a number and "
              "bps|kbps|Mbps|Gbps)");
    EXPECT_EQ(error("access-rate=\"1Mbps\" access-delay=\"5 ms\""),
              "bad.xml:2: bad value '5 ms' for 'access-delay' (expected a number and s|ms|us)");
    EXPECT_EQ(error("access-rate=\"1Mbps\" access-loss=\"1\""),
              "bad.xml:2: access-loss must be in [0, 1)");
    EXPECT_EQ(error("access-rate=\"500bps\""),
              "bad.xml:2: 'access-rate' of '500bps' is below 1kbps");
    EXPECT_EQ(error("site=\"nowhere\""), "bad.xml:2: unknown site 'nowhere'");
    EXPECT_EQ(error("site=\"s\"", "<site name=\"s\" delay=\"1ms\" prefix=\"10.2.0.0/16\"/>\n"),
              "bad.xml:3: network 'n' (10.1.0.0/24) is not inside site 's's prefix");
    EXPECT_EQ(error("site=\"s\"", "<site name=\"s\" delay=\"1ms\" rate=\"fast\"/>\n"),
              "bad.xml:2: bad value 'fast' for 'rate' (expected a number and bps|kbps|Mbps|Gbps)");
    EXPECT_EQ(error("access-rate=\"1Mbps\"",
                    "<network name=\"cgn\" prefix=\"100.64.1.0/24\" trusted=\"false\"/>\n"),
              "bad.xml:2: prefix 100.64.1.0/24 overlaps the core's link addresses 100.64.0.0/10");
    EXPECT_EQ(
        error("access-rate=\"1Mbps\"", "<background network=\"n\" stations=\"2\" load=\"1.2\"/>\n"),
        "bad.xml:2: load must be in (0, 1] (a share of the access link's rate; 1.2 is above "
        "100%)");
    EXPECT_EQ(error("", "<background network=\"n\" stations=\"2\" load=\"0.5\"/>\n"),
              "bad.xml:2: background load needs a network with an access link ('n' has no "
              "access-rate) or a wifi network");
    EXPECT_EQ(error("access-rate=\"1Mbps\"",
                    "<background network=\"n\" stations=\"2\" rate=\"1Mbps\"/>\n"),
              "bad.xml:2: rate= is for wifi networks; on 'n' the background's load= is a share of "
              "its access link");
    EXPECT_EQ(error("access-rate=\"1Mbps\"",
                    "<background network=\"n\" stations=\"2\" load=\"0.5\" size=\"9000\"/>\n"),
              "bad.xml:2: size must be an integer in 64..1472 (UDP payload bytes)");
    EXPECT_EQ(error("medium=\"wifi\" position=\"0,0\" access-rate=\"1Mbps\""), "(parsed)");
    EXPECT_EQ(
        error("medium=\"wifi\" position=\"0,0\" site=\"s\"", "<site name=\"s\" delay=\"1ms\"/>\n"),
        "bad.xml:3: wifi network 'n' in site 's' needs access-rate (its AP links to the "
        "site's router)");
    // Room for the terminal and the background stations: a /30 has one host left after .1.
    EXPECT_EQ(
        ScenarioParser::ParseString(
            "<scenario name=\"x\" duration=\"10\">\n"
            "<network name=\"n\" prefix=\"10.1.0.0/29\" trusted=\"false\" access-rate=\"1Mbps\"/>\n"
            "<terminal name=\"a\" network=\"n\"/>\n"
            "<background network=\"n\" stations=\"5\" load=\"0.5\"/>\n</scenario>\n",
            "bad.xml")
            .GetError(),
        "bad.xml:2: network 'n' (10.1.0.0/29) has room for 5 terminals and background "
        "stations, 1 + 5 use it");
}

TEST(InternetCore, AWifiCafeBehindItsAccessLinkAddsThatLinksDelay)
{
    const std::string office = "medium=\"wifi\" position=\"0,0\"";
    ScenarioRunResult lan = RunWithWifiCafe(office, "");
    ScenarioRunResult dsl =
        RunWithWifiCafe(office, "access-rate=\"16Mbps/1Mbps\" access-delay=\"15ms\"");
    ASSERT_EQ(lan.sessions.size(), 1u);
    ASSERT_EQ(dsl.sessions.size(), 1u);
    for (const auto* r : {&lan, &dsl})
    {
        // b's lease comes from the cafe's AP either way (it is the cafe's access router now).
        EXPECT_GT(r->sessions[0].received, 550u);
    }
    // Unprotected G.711 at 20 ms: 200 bytes of IPv4. The cafe's AP leaves the Wi-Fi core's
    // CSMA segment (1 Gb/s, 100 us; Ethernet 18 bytes) for its DSL line (PPP 2 bytes, 15 ms,
    // 16 Mb/s down and 1 Mb/s up); the air is the same.
    const double ip = 200;
    const double lineS = 15e-3 + (Tx(ip + 2, 16e6) + Tx(ip + 2, 1e6)) / 2;
    const double segmentS = 100e-6 + Tx(ip + 18, 1e9);
    const double expectedMs = (lineS - segmentS) * 1e3;
    double addedMs = dsl.sessions[0].meanDelayMs - lan.sessions[0].meanDelayMs;
    std::cout << "cafe AP on the core segment " << lan.sessions[0].meanDelayMs
              << " ms, behind its DSL line " << dsl.sessions[0].meanDelayMs << " ms: " << addedMs
              << " ms added, " << expectedMs << " expected\n";
    EXPECT_NEAR(addedMs, expectedMs, 0.01 * expectedMs);
}

TEST(InternetCore, AMixedScenarioReachesTheCoreFromBothMedia)
{
    // The wired office in site hq behind its fibre, the Wi-Fi cafe behind its DSL line.
    ScenarioRunResult r =
        RunWithWifiCafe("site=\"hq\" access-rate=\"100Mbps\" access-delay=\"2ms\"",
                        "access-rate=\"16Mbps/1Mbps\" access-delay=\"15ms\"",
                        "<site name=\"hq\" delay=\"5ms\" prefix=\"192.168.0.0/16\"/>\n");
    ASSERT_EQ(r.sessions.size(), 1u);
    const auto& s = r.sessions[0];
    ASSERT_GT(s.sent, 550u);
    EXPECT_GE(double(s.received), 0.99 * double(s.sent));
    // The wired part of the path as in OneWayDelayIsThePathDelayPlusTransmissionTimes, less
    // the cafe's CSMA segment; the cafe's air adds a little on top.
    const double ip = 200;
    const double prop = 50e-6 + 2e-3 + 5e-3 + 15e-3;
    const double common = Tx(ip + 18, 100e6) + Tx(ip + 2, 10e9) + Tx(ip + 2, 100e6);
    const double wiredMs = (prop + common + (Tx(ip + 2, 16e6) + Tx(ip + 2, 1e6)) / 2) * 1e3;
    std::cout << "mean one-way delay " << s.meanDelayMs << " ms, wired path " << wiredMs << " ms\n";
    EXPECT_GT(s.meanDelayMs, wiredMs);
    EXPECT_LT(s.meanDelayMs, wiredMs + 1.0) << "more than a millisecond on the cafe's air";
}

TEST(InternetCore, TheWifiCafesGuestsLoadItsDslLine)
{
    // The guests' streams go to and from the core router, so they share the cafe's 1 Mb/s
    // uplink with Bob's voice: queueing there makes jitter that the air alone does not.
    const std::string office = "medium=\"wifi\" position=\"0,0\"";
    const std::string dsl = "access-rate=\"16Mbps/1Mbps\" access-delay=\"15ms\"";
    std::vector<double> jitter;
    for (const char* rate : {"", "300kbps", "600kbps"})
    {
        std::string guests =
            *rate ? std::string("<background network=\"cafe\" stations=\"4\" rate=\"") + rate +
                        "\"/>\n"
                  : "";
        ScenarioRunResult r = RunWithWifiCafe(office, dsl, guests);
        ASSERT_EQ(r.sessions.size(), 1u);
        std::cout << "guests " << (*rate ? rate : "none") << ": delay " << r.sessions[0].meanDelayMs
                  << " ms, jitter " << r.sessions[0].jitterMs << " ms\n";
        jitter.push_back(r.sessions[0].jitterMs);
    }
    EXPECT_GT(jitter[1], jitter[0] + 0.1);
    EXPECT_GT(jitter[2], jitter[1]);
}
