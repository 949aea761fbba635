/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "esp-header.h"

#include "ns3/assert.h"
#include "ns3/log.h"

#include <cstring>
#include <iomanip>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EspHeader");

NS_OBJECT_ENSURE_REGISTERED(EspHeader);

TypeId
EspHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::EspHeader")
                            .SetParent<Header>()
                            .SetGroupName("Presec")
                            .AddConstructor<EspHeader>();
    return tid;
}

TypeId
EspHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

EspHeader::EspHeader()
{
    NS_LOG_FUNCTION(this);
}

void
EspHeader::SetSpi(uint32_t spi)
{
    m_spi = spi;
}

uint32_t
EspHeader::GetSpi() const
{
    return m_spi;
}

void
EspHeader::SetSequenceNumber(uint32_t seq)
{
    m_sequence = seq;
}

uint32_t
EspHeader::GetSequenceNumber() const
{
    return m_sequence;
}

void
EspHeader::SetIvSize(uint8_t size)
{
    NS_ASSERT_MSG(size <= MAX_IV_BYTES, "ESP IV of " << +size << " bytes");
    m_ivSize = size;
    m_iv.fill(0);
}

uint8_t
EspHeader::GetIvSize() const
{
    return m_ivSize;
}

void
EspHeader::SetIv(const uint8_t* iv, uint8_t size)
{
    SetIvSize(size);
    if (size > 0)
    {
        std::memcpy(m_iv.data(), iv, size);
    }
}

const uint8_t*
EspHeader::GetIvData() const
{
    return m_iv.data();
}

std::vector<uint8_t>
EspHeader::GetIv() const
{
    return std::vector<uint8_t>(m_iv.begin(), m_iv.begin() + m_ivSize);
}

uint32_t
EspHeader::GetSerializedSize() const
{
    return 8 + m_ivSize;
}

void
EspHeader::Serialize(Buffer::Iterator start) const
{
    start.WriteHtonU32(m_spi);
    start.WriteHtonU32(m_sequence);
    start.Write(m_iv.data(), m_ivSize);
}

uint32_t
EspHeader::Deserialize(Buffer::Iterator start)
{
    m_spi = start.ReadNtohU32();
    m_sequence = start.ReadNtohU32();
    start.Read(m_iv.data(), m_ivSize);
    return GetSerializedSize();
}

void
EspHeader::Print(std::ostream& os) const
{
    std::ios_base::fmtflags flags = os.flags();
    char fill = os.fill();
    os << "spi=0x" << std::hex << std::setfill('0') << std::setw(8) << m_spi << std::dec
       << " seq=" << m_sequence;
    if (m_ivSize > 0)
    {
        os << " iv=" << std::hex;
        for (uint8_t i = 0; i < m_ivSize; ++i)
        {
            os << std::setw(2) << +m_iv[i];
        }
    }
    os.flags(flags);
    os.fill(fill);
}

} // namespace ns3
