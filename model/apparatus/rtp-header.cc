/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "rtp-header.h"

#include "ns3/packet.h"

#include <algorithm>
#include <boost/container/small_vector.hpp>
#include <cstdlib>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(RtpHeader);

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
    os << "RTP pt=" << unsigned(m_payloadType) << (m_marker ? " M" : "") << " seq=" << m_seq
       << " ts=" << m_timestamp << " ssrc=0x" << std::hex << m_ssrc << std::dec;
}

uint32_t
RtpHeader::GetSerializedSize() const
{
    return FIXED_SIZE + uint32_t(m_rest.size());
}

void
RtpHeader::Serialize(Buffer::Iterator i) const
{
    i.WriteU8(m_first);
    i.WriteU8((m_marker ? 0x80 : 0) | (m_payloadType & 0x7f));
    i.WriteHtonU16(m_seq);
    i.WriteHtonU32(m_timestamp);
    i.WriteHtonU32(m_ssrc);
    if (!m_rest.empty())
    {
        i.Write(m_rest.data(), uint32_t(m_rest.size()));
    }
}

namespace
{

/// A header's bytes: on the stack up to the fixed part and 15 CSRCs (a voice packet's 12 bytes
/// never touch the heap), on the heap only for a header extension.
using HeaderBytes = boost::container::small_vector<uint8_t, RtpHeader::FIXED_SIZE + 15 * 4>;

/**
 * Copy a header's bytes into b in GetLength's steps (at most three: the fixed part, the CSRCs
 * and the extension's header, the extension), never past the size.
 * \param size the bytes there are
 * \param b where they are copied
 * \param copy copies the first n bytes to a pointer
 * \return how many were copied
 */
template <typename Copy>
uint32_t
CopyHeader(uint32_t size, HeaderBytes& b, Copy copy)
{
    uint32_t have = 0;
    for (uint32_t want = RtpHeader::FIXED_SIZE; want > have && have < size;
         want = RtpHeader::GetLength(b.data(), have))
    {
        have = std::min(want, size);
        b.resize(have);
        copy(b.data(), have);
    }
    return have;
}

} // namespace

uint32_t
RtpHeader::Deserialize(Buffer::Iterator start)
{
    HeaderBytes b;
    uint32_t n = CopyHeader(start.GetRemainingSize(), b, [start](uint8_t* to, uint32_t count) {
        Buffer::Iterator i = start;
        i.Read(to, count);
    });
    std::string error;
    return Read(b.data(), n, error);
}

uint32_t
RtpHeader::ReadFrom(const Packet& p, std::string& error)
{
    HeaderBytes b;
    uint32_t n =
        CopyHeader(p.GetSize(), b, [&p](uint8_t* to, uint32_t count) { p.CopyData(to, count); });
    return Read(b.data(), n, error);
}

uint32_t
RtpHeader::GetLength(const uint8_t* b, uint32_t n)
{
    if (n < FIXED_SIZE)
    {
        return FIXED_SIZE;
    }
    uint32_t length = FIXED_SIZE + 4u * (b[0] & 0x0f);
    if ((b[0] & 0x10) != 0)
    {
        // A header extension (RFC 3550 5.3.1): its second word counts its 32-bit words.
        if (n < length + 4)
        {
            return length + 4;
        }
        length += 4 + 4u * ((b[length + 2] << 8) | b[length + 3]);
    }
    return length;
}

uint32_t
RtpHeader::Read(const uint8_t* b, uint32_t n, std::string& error)
{
    if (n < FIXED_SIZE)
    {
        error = "shorter than the 12-byte RTP header";
        return 0;
    }
    if ((b[0] >> 6) != 2)
    {
        error = "RTP version " + std::to_string(b[0] >> 6) + ", not 2";
        return 0;
    }
    const uint32_t length = GetLength(b, n);
    if (n < length)
    {
        error = n < FIXED_SIZE + 4u * (b[0] & 0x0f) ? "the CSRC list runs past the end"
                                                    : "the header extension runs past the end";
        return 0;
    }
    m_first = b[0];
    m_marker = (b[1] & 0x80) != 0;
    m_payloadType = b[1] & 0x7f;
    m_seq = (b[2] << 8) | b[3];
    m_timestamp = (uint32_t(b[4]) << 24) | (b[5] << 16) | (b[6] << 8) | b[7];
    m_ssrc = (uint32_t(b[8]) << 24) | (b[9] << 16) | (b[10] << 8) | b[11];
    m_rest.assign(b + FIXED_SIZE, b + length);
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
RtpHeader::SetMarker(bool marker)
{
    m_marker = marker;
}

bool
RtpHeader::GetMarker() const
{
    return m_marker;
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
