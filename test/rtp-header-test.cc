/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// The voice traffic's RTP header: its wire form, the send time beside it, sequence extension
// and the refusal of malformed headers.

#include "ns3/packet.h"
#include "ns3/rtp-header.h"
#include "ns3/rtp-send-time-tag.h"

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

/// Two CSRCs, then a header extension of two words (RFC 8285 one-byte elements), then 'x'.
std::vector<uint8_t>
CsrcsAndExtension()
{
    return {0x92, 0x08, 0x00, 0x01, 0,    0,    0,    0,    0,    0,    0,
            1,    0,    0,    0,    2,    0,    0,    0,    3,    0xbe, 0xde,
            0x00, 0x02, 0x00, 0x11, 0xaa, 0xbb, 0x32, 0x00, 0x00, 0x40, 'x'};
}

} // namespace

TEST(RtpHeaderTest, WireFormRoundTrip)
{
    RtpHeader h;
    h.SetSequenceNumber(0xfffe);
    h.SetTimestamp(160 * 7);
    h.SetSsrc(0x11223344);
    auto b = Bytes(h);
    ASSERT_EQ(b.size(), 12u);
    EXPECT_EQ(b[0], 0x80); // version 2, no padding, no extension, no CSRC
    EXPECT_EQ(b[1], RtpHeader::PAYLOAD_PCMU);
    EXPECT_EQ((b[2] << 8) | b[3], 0xfffe);
    EXPECT_EQ(b[7], 160 * 7 % 256);
    EXPECT_EQ(b[8], 0x11);
    RtpHeader r;
    std::string error;
    ASSERT_EQ(r.Read(b.data(), uint32_t(b.size()), error), 12u) << error;
    EXPECT_EQ(r.GetSequenceNumber(), 0xfffe);
    EXPECT_EQ(r.GetTimestamp(), 160u * 7);
    EXPECT_EQ(r.GetSsrc(), 0x11223344u);
}

TEST(RtpHeaderTest, SendTimeTagTravelsWithCopies)
{
    auto p = Create<Packet>(148);
    p->AddHeader(RtpHeader());
    p->AddPacketTag(RtpSendTimeTag(NanoSeconds(1234567)));
    Ptr<Packet> q = p->Copy();
    RtpSendTimeTag t;
    ASSERT_TRUE(q->PeekPacketTag(t));
    EXPECT_EQ(t.GetSent(), NanoSeconds(1234567));
    EXPECT_EQ(q->GetSize(), 160u); // not on the wire
}

TEST(RtpHeaderTest, SequenceExtension)
{
    EXPECT_EQ(RtpHeader::ExtendSequence(3, 0), 3u);
    EXPECT_EQ(RtpHeader::ExtendSequence(5, 65530), 65541u);     // wrapped forward
    EXPECT_EQ(RtpHeader::ExtendSequence(65530, 65541), 65530u); // a late one from before
    EXPECT_EQ(RtpHeader::ExtendSequence(100, 70000), 65636u);
    EXPECT_EQ(RtpHeader::ExtendSequence(65535, 2), 65535u);
}

TEST(RtpHeaderTest, CsrcsAndExtensionAreSkipped)
{
    std::vector<uint8_t> b = CsrcsAndExtension();
    RtpHeader r;
    std::string error;
    EXPECT_EQ(r.Read(b.data(), uint32_t(b.size()), error), 32u) << error;
    EXPECT_EQ(r.GetPayloadType(), 8);
    EXPECT_EQ(r.GetSequenceNumber(), 1);
}

// A parsed header writes back what it was read from: the CSRCs, the extension, the marker and
// the first byte's bits, and says so in its size (a Header whose Serialize wrote fewer bytes
// than GetSerializedSize would leave stale bytes in the packet).
TEST(RtpHeaderTest, AParsedHeaderSerializesToTheBytesItWasReadFrom)
{
    std::vector<uint8_t> b = CsrcsAndExtension();
    b[1] |= 0x80; // marker
    b[0] |= 0x20; // padding bit
    RtpHeader r;
    std::string error;
    ASSERT_EQ(r.Read(b.data(), uint32_t(b.size()), error), 32u) << error;
    EXPECT_TRUE(r.GetMarker());
    EXPECT_EQ(r.GetSerializedSize(), 32u);
    EXPECT_EQ(Bytes(r), std::vector<uint8_t>(b.begin(), b.begin() + 32));

    r.SetSequenceNumber(9); // a relay renumbering keeps the rest
    auto out = Bytes(r);
    EXPECT_EQ(out[3], 9);
    EXPECT_EQ(std::vector<uint8_t>(out.begin() + 12, out.end()),
              std::vector<uint8_t>(b.begin() + 12, b.begin() + 32));

    RtpHeader built;
    built.SetMarker(true);
    EXPECT_EQ(Bytes(built)[1], 0x80 | RtpHeader::PAYLOAD_PCMU);
    EXPECT_EQ(Bytes(built).size(), 12u);
}

// A reader that copies only a header's bytes asks GetLength after each copy: the fixed part,
// then the CSRCs and the extension's header, then the extension.
TEST(RtpHeaderTest, LengthIsKnownInThreeSteps)
{
    std::vector<uint8_t> b = CsrcsAndExtension();
    std::vector<uint32_t> asked;
    uint32_t have = 0;
    for (uint32_t want = RtpHeader::FIXED_SIZE; want > have;
         want = RtpHeader::GetLength(b.data(), have))
    {
        have = want;
        asked.push_back(want);
    }
    EXPECT_EQ(asked, (std::vector<uint32_t>{12, 24, 32}));
    EXPECT_EQ(RtpHeader::GetLength(b.data(), 5), RtpHeader::FIXED_SIZE); // too short to tell
    b[0] = 0x80;                                                         // no CSRC, no extension
    EXPECT_EQ(RtpHeader::GetLength(b.data(), uint32_t(b.size())), 12u);
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
    };
    for (const auto& c : cases)
    {
        RtpHeader r;
        std::string error;
        EXPECT_EQ(r.Read(c.bytes.data(), uint32_t(c.bytes.size()), error), 0u) << c.error;
        EXPECT_NE(error.find(c.error), std::string::npos) << error;
    }
}

// A packet's header is read in GetLength's steps, by the voice socket (ReadFrom) and by
// ns-3's PeekHeader (Deserialize) alike, whatever the extension's length (RFC 3550 5.3.1: up
// to 65,535 words); a header cut short is refused by both.
TEST(RtpHeaderTest, PacketsAreReadInStepsWhateverTheExtension)
{
    std::vector<uint8_t> b{0x90, 0x08, 0x00, 0x07, 0, 0, 0, 0, 0, 0, 0, 1, 0xbe, 0xde, 0x01, 0x2c};
    b.resize(b.size() + 300 * 4, 0); // an extension of 300 words (padding elements)
    b.push_back('x');
    auto p = Create<Packet>(b.data(), uint32_t(b.size()));
    RtpHeader r;
    std::string error;
    EXPECT_EQ(r.ReadFrom(*p, error), 16u + 1200u) << error;
    EXPECT_EQ(r.GetSequenceNumber(), 7);
    RtpHeader peeked;
    EXPECT_EQ(p->PeekHeader(peeked), 16u + 1200u);
    EXPECT_EQ(peeked.GetPayloadType(), 8);

    auto cut = Create<Packet>(b.data(), 16 + 1199); // one byte of the extension missing
    EXPECT_EQ(r.ReadFrom(*cut, error), 0u);
    EXPECT_NE(error.find("the header extension runs past"), std::string::npos) << error;
    EXPECT_EQ(cut->PeekHeader(peeked), 0u);
    auto tiny = Create<Packet>(b.data(), 5);
    EXPECT_EQ(r.ReadFrom(*tiny, error), 0u);
    EXPECT_NE(error.find("shorter than"), std::string::npos) << error;
    EXPECT_EQ(tiny->PeekHeader(peeked), 0u);
}
