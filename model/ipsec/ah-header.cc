/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ah-header.h"

#include "ns3/assert.h"
#include "ns3/log.h"

#include <algorithm>
#include <cstring>
#include <iomanip>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("AhHeader");

NS_OBJECT_ENSURE_REGISTERED(AhHeader);

TypeId
AhHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::AhHeader")
                            .SetParent<Header>()
                            .SetGroupName("Presec")
                            .AddConstructor<AhHeader>();
    return tid;
}

TypeId
AhHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

AhHeader::AhHeader()
{
    NS_LOG_FUNCTION(this);
}

void
AhHeader::SetNextHeader(uint8_t nextHeader)
{
    m_nextHeader = nextHeader;
}

uint8_t
AhHeader::GetNextHeader() const
{
    return m_nextHeader;
}

uint8_t
AhHeader::GetPayloadLength() const
{
    return static_cast<uint8_t>(GetSerializedSize() / 4 - 2);
}

void
AhHeader::SetReserved(uint16_t reserved)
{
    m_reserved = reserved;
}

uint16_t
AhHeader::GetReserved() const
{
    return m_reserved;
}

void
AhHeader::SetSpi(uint32_t spi)
{
    m_spi = spi;
}

uint32_t
AhHeader::GetSpi() const
{
    return m_spi;
}

void
AhHeader::SetSequenceNumber(uint32_t seq)
{
    m_sequence = seq;
}

uint32_t
AhHeader::GetSequenceNumber() const
{
    return m_sequence;
}

void
AhHeader::SetIcvSize(uint32_t size)
{
    NS_ASSERT_MSG(size <= MAX_ICV_BYTES, "AH ICV of " << size << " bytes");
    m_icvSize = (size + 3) & ~3u; // IPv4 alignment, RFC 4302 §3.3.3.2.1
    m_icv.fill(0);
}

void
AhHeader::SetIcv(const uint8_t* icv, uint32_t size)
{
    SetIcvSize(size);
    if (size > 0)
    {
        std::memcpy(m_icv.data(), icv, size);
    }
}

uint32_t
AhHeader::GetIcvSize() const
{
    return m_icvSize;
}

const uint8_t*
AhHeader::GetIcvData() const
{
    return m_icv.data();
}

std::vector<uint8_t>
AhHeader::GetIcv() const
{
    return std::vector<uint8_t>(m_icv.begin(), m_icv.begin() + m_icvSize);
}

uint32_t
AhHeader::GetSerializedSize() const
{
    return 12 + m_icvSize;
}

void
AhHeader::Serialize(Buffer::Iterator start) const
{
    start.WriteU8(m_nextHeader);
    start.WriteU8(GetPayloadLength());
    start.WriteHtonU16(m_reserved);
    start.WriteHtonU32(m_spi);
    start.WriteHtonU32(m_sequence);
    start.Write(m_icv.data(), m_icvSize);
}

uint32_t
AhHeader::Deserialize(Buffer::Iterator start)
{
    m_nextHeader = start.ReadU8();
    uint32_t words = start.ReadU8() + 2u;
    m_reserved = start.ReadNtohU16();
    m_spi = start.ReadNtohU32();
    m_sequence = start.ReadNtohU32();
    // A Payload Len below 1 cannot describe even the fixed part; read no ICV then.
    uint32_t field = words * 4 > 12 ? words * 4 - 12 : 0;
    m_icvSize = std::min(field, MAX_ICV_BYTES);
    m_icv.fill(0);
    start.Read(m_icv.data(), m_icvSize);
    start.Next(field - m_icvSize);
    return 12 + field;
}

void
AhHeader::Print(std::ostream& os) const
{
    std::ios_base::fmtflags flags = os.flags();
    char fill = os.fill();
    os << "next=" << +m_nextHeader << " len=" << +GetPayloadLength() << " spi=0x" << std::hex
       << std::setfill('0') << std::setw(8) << m_spi << std::dec << " seq=" << m_sequence;
    if (m_icvSize > 0)
    {
        os << " icv=" << std::hex;
        for (uint32_t k = 0; k < m_icvSize; ++k)
        {
            os << std::setw(2) << +m_icv[k];
        }
    }
    os.flags(flags);
    os.fill(fill);
}

} // namespace ns3
