/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// The voice traffic's RTP header: its wire form, the delay it measures, sequence extension
// and the refusal of malformed headers.

#include "ns3/packet.h"
#include "ns3/rtp-header.h"

#include <gtest/gtest.h>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

std::vector<uint8_t>
Bytes(const RtpHeader& h)
{
    auto p = Create<Packet>();
    p->AddHeader(h);
    std::vector<uint8_t> b(p->GetSize());
    p->CopyData(b.data(), b.size());
    return b;
}

} // namespace

TEST(RtpHeaderTest, WireFormRoundTrip)
{
    RtpHeader h;
    h.SetSequenceNumber(0xfffe);
    h.SetTimestamp(160 * 7);
    h.SetSsrc(0x11223344);
    h.SetAbsSendTime(Seconds(1.5));
    auto b = Bytes(h);
    ASSERT_EQ(b.size(), 20u);
    EXPECT_EQ(b[0], 0x90); // version 2, extension, no CSRC
    EXPECT_EQ(b[1], RtpHeader::PAYLOAD_PCMU);
    EXPECT_EQ(b[12], 0xbe); // RFC 8285 one-byte header profile
    EXPECT_EQ(b[13], 0xde);
    EXPECT_EQ(b[16], (RtpHeader::ABS_SEND_TIME_ID << 4) | 2);
    // 1.5 s in 6.18 fixed point
    EXPECT_EQ((b[17] << 16) | (b[18] << 8) | b[19], int(1.5 * (1 << 18)));
    RtpHeader r;
    std::string error;
    ASSERT_EQ(r.Read(b.data(), uint32_t(b.size()), error), 20u) << error;
    EXPECT_EQ(r.GetSequenceNumber(), 0xfffe);
    EXPECT_EQ(r.GetTimestamp(), 160u * 7);
    EXPECT_EQ(r.GetSsrc(), 0x11223344u);
    EXPECT_TRUE(r.HasAbsSendTime());
}

TEST(RtpHeaderTest, DelayFromAbsSendTimeAcrossTheWrap)
{
    RtpHeader h;
    h.SetAbsSendTime(Seconds(10.000123));
    EXPECT_NEAR(h.GetDelay(Seconds(10.001623)).GetSeconds(), 0.0015, 2e-6);
    // abs-send-time wraps every 64 s: sent just before, received just after.
    h.SetAbsSendTime(Seconds(127.9995));
    EXPECT_NEAR(h.GetDelay(Seconds(128.0007)).GetSeconds(), 0.0012, 2e-6);
}

TEST(RtpHeaderTest, SequenceExtension)
{
    EXPECT_EQ(RtpHeader::ExtendSequence(3, 0), 3u);
    EXPECT_EQ(RtpHeader::ExtendSequence(5, 65530), 65541u);     // wrapped forward
    EXPECT_EQ(RtpHeader::ExtendSequence(65530, 65541), 65530u); // a late one from before
    EXPECT_EQ(RtpHeader::ExtendSequence(100, 70000), 65636u);
    EXPECT_EQ(RtpHeader::ExtendSequence(65535, 2), 65535u);
}

TEST(RtpHeaderTest, OtherElementsAndCsrcsAreRead)
{
    // Two CSRCs, then a one-byte extension: padding, element 1 (2 bytes), abs-send-time.
    std::vector<uint8_t> b{0x92, 0x08, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0,
                           3,    0xbe, 0xde, 0x00, 0x02, 0x00, 0x11, 0xaa, 0xbb, 0x32, 0x00,
                           0x00, 0x40, 'x'};
    RtpHeader r;
    std::string error;
    EXPECT_EQ(r.Read(b.data(), uint32_t(b.size()), error), 32u) << error;
    EXPECT_EQ(r.GetPayloadType(), 8);
    EXPECT_TRUE(r.HasAbsSendTime());
    EXPECT_EQ(r.GetAbsSendTime(), 0x40u);
}

TEST(RtpHeaderTest, MalformedHeadersNameTheirFault)
{
    struct Case
    {
        std::vector<uint8_t> bytes;
        std::string error;
    };
    std::vector<Case> cases{
        {{0x80, 0, 0, 1}, "shorter than the 12-byte RTP header"},
        {{0x40, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1}, "RTP version 1, not 2"},
        {{0x83, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 9}, "the CSRC list runs past the end"},
        {{0x90, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xbe, 0xde}, "the header extension runs past"},
        {{0x90, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xbe, 0xde, 0, 2, 0x32, 0, 0, 0},
         "the header extension runs past"},
        {{0x90, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xbe, 0xde, 0, 1, 0, 0, 0x3f, 0},
         "extension element 3 runs past the end"},
    };
    for (const auto& c : cases)
    {
        RtpHeader r;
        std::string error;
        EXPECT_EQ(r.Read(c.bytes.data(), uint32_t(c.bytes.size()), error), 0u) << c.error;
        EXPECT_NE(error.find(c.error), std::string::npos) << error;
    }
}
