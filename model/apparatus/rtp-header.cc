/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "rtp-header.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <vector>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(RtpHeader);

namespace
{
constexpr uint32_t kFixed = 12;          // RFC 3550 5.1, without CSRCs
constexpr uint16_t kOneByteProfile = 0xBEDE; // RFC 8285 4.2
constexpr double kAbsUnit = 1.0 / (1 << 18); // abs-send-time: 6.18 fixed point seconds
constexpr uint32_t kAbsWrap = 1u << 24;
} // namespace

TypeId
RtpHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::RtpHeader")
                            .SetParent<Header>()
                            .SetGroupName("Presec")
                            .AddConstructor<RtpHeader>();
    return tid;
}

TypeId
RtpHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
RtpHeader::Print(std::ostream& os) const
{
    os << "RTP pt=" << unsigned(m_payloadType) << " seq=" << m_seq << " ts=" << m_timestamp
       << " ssrc=0x" << std::hex << m_ssrc << std::dec;
    if (m_hasAbsSendTime)
    {
        os << " abs-send-time=" << m_absSendTime * kAbsUnit << "s";
    }
}

uint32_t
RtpHeader::GetSerializedSize() const
{
    return m_length;
}

void
RtpHeader::Serialize(Buffer::Iterator i) const
{
    i.WriteU8(0x80 | 0x10); // version 2, no padding, extension, no CSRC
    i.WriteU8(m_payloadType & 0x7f);
    i.WriteHtonU16(m_seq);
    i.WriteHtonU32(m_timestamp);
    i.WriteHtonU32(m_ssrc);
    i.WriteHtonU16(kOneByteProfile);
    i.WriteHtonU16(1); // one 32-bit word of elements
    i.WriteU8((ABS_SEND_TIME_ID << 4) | (3 - 1));
    i.WriteU8((m_absSendTime >> 16) & 0xff);
    i.WriteU8((m_absSendTime >> 8) & 0xff);
    i.WriteU8(m_absSendTime & 0xff);
}

uint32_t
RtpHeader::Deserialize(Buffer::Iterator start)
{
    // At most the fixed header, 15 CSRCs and a header extension of 255 words are read.
    uint32_t n = std::min<uint32_t>(start.GetRemainingSize(), kFixed + 60 + 4 + 1020);
    std::vector<uint8_t> b(n);
    start.Read(b.data(), n);
    std::string error;
    return Read(b.data(), n, error);
}

uint32_t
RtpHeader::Read(const uint8_t* b, uint32_t n, std::string& error)
{
    if (n < kFixed)
    {
        error = "shorter than the 12-byte RTP header";
        return 0;
    }
    if ((b[0] >> 6) != 2)
    {
        error = "RTP version " + std::to_string(b[0] >> 6) + ", not 2";
        return 0;
    }
    uint32_t length = kFixed + 4u * (b[0] & 0x0f);
    if (n < length)
    {
        error = "the CSRC list runs past the end";
        return 0;
    }
    bool absSendTime = false;
    uint32_t abs = 0;
    if (b[0] & 0x10)
    {
        if (n < length + 4)
        {
            error = "the header extension runs past the end";
            return 0;
        }
        uint16_t profile = (b[length] << 8) | b[length + 1];
        uint32_t end = length + 4 + 4u * ((b[length + 2] << 8) | b[length + 3]);
        if (n < end)
        {
            error = "the header extension runs past the end";
            return 0;
        }
        for (uint32_t i = length + 4; profile == kOneByteProfile && i < end;)
        {
            uint8_t id = b[i] >> 4;
            if (b[i] == 0) // padding between elements
            {
                ++i;
                continue;
            }
            if (id == 15) // reserved: stop processing (RFC 8285 4.2)
            {
                break;
            }
            uint32_t len = (b[i] & 0x0f) + 1u;
            if (i + 1 + len > end)
            {
                error = "extension element " + std::to_string(id) + " runs past the end";
                return 0;
            }
            if (id == ABS_SEND_TIME_ID && len == 3)
            {
                absSendTime = true;
                abs = (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3];
            }
            i += 1 + len;
        }
        length = end;
    }
    m_payloadType = b[1] & 0x7f;
    m_seq = (b[2] << 8) | b[3];
    m_timestamp = (uint32_t(b[4]) << 24) | (b[5] << 16) | (b[6] << 8) | b[7];
    m_ssrc = (uint32_t(b[8]) << 24) | (b[9] << 16) | (b[10] << 8) | b[11];
    m_hasAbsSendTime = absSendTime;
    m_absSendTime = abs;
    m_length = length;
    return length;
}

void
RtpHeader::SetPayloadType(uint8_t pt)
{
    m_payloadType = pt & 0x7f;
}

uint8_t
RtpHeader::GetPayloadType() const
{
    return m_payloadType;
}

void
RtpHeader::SetSequenceNumber(uint16_t seq)
{
    m_seq = seq;
}

uint16_t
RtpHeader::GetSequenceNumber() const
{
    return m_seq;
}

void
RtpHeader::SetTimestamp(uint32_t ts)
{
    m_timestamp = ts;
}

uint32_t
RtpHeader::GetTimestamp() const
{
    return m_timestamp;
}

void
RtpHeader::SetSsrc(uint32_t ssrc)
{
    m_ssrc = ssrc;
}

uint32_t
RtpHeader::GetSsrc() const
{
    return m_ssrc;
}

void
RtpHeader::SetAbsSendTime(Time t)
{
    // Rounded to the nearest unit, so the measured delay is off by at most half a unit (1.9 us).
    auto units = uint64_t(t.GetSeconds() / kAbsUnit + 0.5);
    m_absSendTime = uint32_t(units % kAbsWrap);
    m_hasAbsSendTime = true;
    m_length = kFixed + 8;
}

bool
RtpHeader::HasAbsSendTime() const
{
    return m_hasAbsSendTime;
}

uint32_t
RtpHeader::GetAbsSendTime() const
{
    return m_absSendTime;
}

Time
RtpHeader::GetDelay(Time now) const
{
    double nowUnits = now.GetSeconds() / kAbsUnit;
    double sent = m_absSendTime;
    double wrapped = std::fmod(nowUnits, double(kAbsWrap));
    double d = wrapped - sent;
    if (d < 0)
    {
        d += kAbsWrap;
    }
    return Seconds(d * kAbsUnit);
}

uint32_t
RtpHeader::ExtendSequence(uint16_t seq, uint32_t highest)
{
    // The candidate in highest's cycle, or the one before or after, whichever is closest.
    int64_t base = int64_t(highest & 0xffff0000u) | seq;
    int64_t best = base;
    for (int64_t c : {base - 0x10000, base + 0x10000})
    {
        if (c >= 0 && c <= int64_t(UINT32_MAX) &&
            std::llabs(c - int64_t(highest)) < std::llabs(best - int64_t(highest)))
        {
            best = c;
        }
    }
    return uint32_t(best);
}

} // namespace ns3
