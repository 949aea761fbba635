/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/lowering-message.h"
#include "ns3/setkey-parser.h"

#include <gtest/gtest.h>
#include <string>

using namespace ns3;

namespace
{

const std::string kNs = LoweringCodec::NAMESPACE;
const std::string kSpd = "urn:presec:params:xml:ns:spd";

SecurityPolicy
Policy(const std::string& setkey)
{
    auto r = SetkeyParser::ParsePolicy(setkey);
    EXPECT_TRUE(r.IsOk()) << setkey;
    return r.IsOk() ? r.GetValue() : SecurityPolicy();
}

} // namespace

TEST(LoweringCodecTest, RequestsAndAnswersRoundTrip)
{
    LoweringRequest request{
        18446744073709551615ull,
        {Policy("spdadd 10.0.0.1 10.0.0.2 udp -P out none"),
         Policy("spdadd 10.0.0.2 10.0.0.1 any -P in ipsec esp/transport//require")}};
    std::string xml = LoweringCodec::Encode(request);
    EXPECT_NE(xml.find("id=\"18446744073709551615\""), std::string::npos) << xml;
    auto back = LoweringCodec::Decode(xml);
    ASSERT_TRUE(back) << back.Describe();
    ASSERT_TRUE(std::holds_alternative<LoweringRequest>(back.GetValue()));
    EXPECT_EQ(std::get<LoweringRequest>(back.GetValue()), request);

    for (bool accepted : {true, false})
    {
        LoweringAnswer answer{7, accepted, accepted ? "" : "never below esp & <ah>"};
        auto a = LoweringCodec::Decode(LoweringCodec::Encode(answer));
        ASSERT_TRUE(a) << a.Describe();
        ASSERT_TRUE(std::holds_alternative<LoweringAnswer>(a.GetValue()));
        EXPECT_EQ(std::get<LoweringAnswer>(a.GetValue()), answer);
    }
}

struct BadLowering
{
    const char* name;
    std::string xml;
    std::string error; //!< substring of Describe()
};

class LoweringCodecBad : public testing::TestWithParam<BadLowering>
{
};

TEST_P(LoweringCodecBad, IsRefusedWithTheReason)
{
    auto r = LoweringCodec::Decode(GetParam().xml);
    ASSERT_FALSE(r);
    EXPECT_NE(r.Describe().find(GetParam().error), std::string::npos) << r.Describe();
}

INSTANTIATE_TEST_SUITE_P(
    Table,
    LoweringCodecBad,
    testing::Values(
        BadLowering{"Empty", "", "empty document"},
        BadLowering{"NotXml", "accept 7", "line 1: malformed XML"},
        BadLowering{"Dtd", "<!DOCTYPE x>\n<x/>", "DTD"},
        BadLowering{"OtherNamespace",
                    "<lowering xmlns=\"urn:other\" id=\"1\"/>",
                    "not in namespace"},
        BadLowering{"OtherRoot", "<hello xmlns=\"" + kNs + "\" id=\"1\"/>", "expected <lowering>"},
        BadLowering{"NoId",
                    "<lowering-answer xmlns=\"" + kNs + "\" verdict=\"accept\"/>",
                    "without id"},
        BadLowering{"ZeroId",
                    "<lowering-answer xmlns=\"" + kNs + "\" id=\"0\" verdict=\"accept\"/>",
                    "bad id '0'"},
        BadLowering{"LeadingZero",
                    "<lowering-answer xmlns=\"" + kNs + "\" id=\"07\" verdict=\"accept\"/>",
                    "bad id"},
        BadLowering{"IdOverflow",
                    "<lowering-answer xmlns=\"" + kNs +
                        "\" id=\"18446744073709551616\" verdict=\"accept\"/>",
                    "bad id"},
        BadLowering{"NoVerdict",
                    "<lowering-answer xmlns=\"" + kNs + "\" id=\"3\"/>",
                    "verdict must be"},
        BadLowering{"BadVerdict",
                    "<lowering-answer xmlns=\"" + kNs + "\" id=\"3\" verdict=\"maybe\"/>",
                    "verdict must be"},
        BadLowering{"TwoLineReason",
                    "<lowering-answer xmlns=\"" + kNs +
                        "\" id=\"3\" verdict=\"refuse\">a\nb"
                        "</lowering-answer>",
                    "more than one line"},
        BadLowering{"ElementInAnswer",
                    "<lowering-answer xmlns=\"" + kNs +
                        "\" id=\"3\" verdict=\"refuse\"><b/>"
                        "</lowering-answer>",
                    "holds an element"},
        BadLowering{"RequestWithoutPolicies",
                    "<lowering xmlns=\"" + kNs + "\" id=\"3\"/>",
                    "without <policies>"},
        BadLowering{"RequestWithText",
                    "<lowering xmlns=\"" + kNs + "\" id=\"3\">x</lowering>",
                    "text in <lowering>"},
        BadLowering{"RequestWithTwoElements",
                    "<lowering xmlns=\"" + kNs + "\" id=\"3\">\n<sp:policies xmlns:sp=\"" + kSpd +
                        "\"/>\n<sp:policies xmlns:sp=\"" + kSpd + "\"/></lowering>",
                    "line 3: <lowering> holds more than one element"},
        BadLowering{"BadPolicy",
                    "<lowering xmlns=\"" + kNs + "\" id=\"3\">\n<sp:policies xmlns:sp=\"" + kSpd +
                        "\">\n<sp:policy/></sp:policies></lowering>",
                    "line 3"},
        BadLowering{"TooLarge",
                    "<lowering-answer xmlns=\"" + kNs + "\" id=\"3\" verdict=\"refuse\">" +
                        std::string(70000, 'x') + "</lowering-answer>",
                    "too large"}),
    [](const testing::TestParamInfo<BadLowering>& info) { return std::string(info.param.name); });
