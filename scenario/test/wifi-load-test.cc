/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * Other users of a Wi-Fi network (issue 15, deliverable 1: "other cafe guests"): stations
 * around the cafe's AP contend for its air with the call, so voice delay and jitter grow with
 * their offered rate; bad background elements are file:line errors. (Their fixed addresses and
 * the DHCP pool: WifiRoaming.FixedStationsHoldTheTopOfThePrefixAndDhcpLeasesTheRest.)
 */

#include "scenario-test-util.h"

#include "ns3/scenario-runner.h"
#include "ns3/scenario.h"

#include <gtest/gtest.h>
#include <iostream>
#include <string>

using namespace ns3;

namespace
{

/// Alice in the office, Bob in the cafe, a 6 s call; the cafe's guests offer `rate` each way.
std::string
Cafe(const std::string& background)
{
    return "<scenario name=\"cafe-load\" duration=\"8\" seed=\"1\">\n"
           "<network name=\"office\" prefix=\"192.168.1.0/24\" trusted=\"true\" medium=\"wifi\"\n"
           "         position=\"0,0\"/>\n"
           "<network name=\"cafe\" prefix=\"133.134.10.0/24\" trusted=\"false\" "
           "label=\"external\"\n"
           "         medium=\"wifi\" position=\"40,0\"/>\n"
           "<terminal name=\"alice\" network=\"office\"/>\n"
           "<terminal name=\"bob\" network=\"cafe\"/>\n"
           "<session caller=\"alice\" callee=\"bob\" start=\"2\"/>\n" +
           background + "</scenario>\n";
}

ScenarioRunResult
RunCafe(const std::string& xml)
{
    return presec_test::RunXml(xml, "cafe-load.xml");
}

} // namespace

TEST(WifiLoad, TheCafesGuestsMakeDelayAndJitterThatGrowWithTheirRate)
{
    std::vector<double> jitter;
    std::vector<double> delay;
    for (const char* rate : {"", "4Mbps", "8Mbps", "12Mbps"})
    {
        std::string bg = *rate
                             ? std::string("<background network=\"cafe\" stations=\"4\" rate=\"") +
                                   rate + "\" size=\"1000\"/>\n"
                             : "";
        ScenarioRunResult r = RunCafe(Cafe(bg));
        ASSERT_EQ(r.sessions.size(), 1u);
        const auto& s = r.sessions[0];
        std::cout << "guests " << (*rate ? rate : "none") << ": delay " << s.meanDelayMs
                  << " ms, jitter " << s.jitterMs << " ms, lost " << s.lost << " of " << s.sent
                  << ", R " << s.rFactor << "\n";
        jitter.push_back(s.jitterMs);
        delay.push_back(s.meanDelayMs);
        // The call goes on: the guests load the air, they do not take it.
        EXPECT_GT(s.received, s.sent * 9 / 10) << rate;
    }
    for (size_t k = 1; k < jitter.size(); ++k)
    {
        EXPECT_GT(jitter[k], jitter[k - 1]) << "step " << k;
        EXPECT_GT(delay[k], delay[k - 1]) << "step " << k;
    }
}

TEST(WifiLoad, BadBackgroundsAreFileLineErrors)
{
    auto error = [](const std::string& bg) {
        return presec_test::ParseError(Cafe(bg + "\n"), "cafe-load.xml");
    };
    EXPECT_EQ(error("<background network=\"cafe\" stations=\"2\" rate=\"1Mbps\"/>"), "(parsed)");
    EXPECT_EQ(error("<background network=\"cafe\" stations=\"2\" load=\"0.5\"/>"),
              "cafe-load.xml:9: background on a wifi network takes rate= (its offered bit rate), "
              "not load=");
    EXPECT_EQ(error("<background network=\"cafe\" stations=\"2\"/>"),
              "cafe-load.xml:9: <background> needs attribute 'rate'");
    EXPECT_EQ(error("<background network=\"cafe\" stations=\"2\" rate=\"200Mbps\"/>"),
              "cafe-load.xml:9: rate must be in (0, 100Mbps]");
    EXPECT_EQ(error("<background network=\"cafe\" stations=\"2\" rate=\"fast\"/>").substr(0, 16),
              "cafe-load.xml:9:");
    // A /29 has 5 host addresses: the DHCP server keeps 2 beside the guests.
    std::string small = Cafe("<background network=\"cafe\" stations=\"4\" rate=\"1Mbps\"/>\n");
    small.replace(small.find("133.134.10.0/24"), 15, "133.134.10.0/29");
    EXPECT_EQ(presec_test::ParseError(small, "cafe-load.xml").substr(0, 60),
              "cafe-load.xml:5: network 'cafe' (133.134.10.0/29) has room f");
}
