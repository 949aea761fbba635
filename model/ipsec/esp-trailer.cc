/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "esp-trailer.h"

#include "ns3/assert.h"
#include "ns3/log.h"

#include <cstring>
#include <iomanip>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EspTrailer");

NS_OBJECT_ENSURE_REGISTERED(EspTrailer);

TypeId
EspTrailer::GetTypeId()
{
    static TypeId tid = TypeId("ns3::EspTrailer")
                            .SetParent<Trailer>()
                            .SetGroupName("Presec")
                            .AddConstructor<EspTrailer>();
    return tid;
}

TypeId
EspTrailer::GetInstanceTypeId() const
{
    return GetTypeId();
}

EspTrailer::EspTrailer()
{
    NS_LOG_FUNCTION(this);
}

void
EspTrailer::SetPadLength(uint8_t length)
{
    m_padLength = length;
}

uint8_t
EspTrailer::GetPadLength() const
{
    return m_padLength;
}

void
EspTrailer::SetNextHeader(uint8_t nextHeader)
{
    m_nextHeader = nextHeader;
}

uint8_t
EspTrailer::GetNextHeader() const
{
    return m_nextHeader;
}

void
EspTrailer::SetIcvSize(uint8_t size)
{
    NS_ASSERT_MSG(size <= MAX_ICV_BYTES, "ESP ICV of " << +size << " bytes");
    m_icvSize = size;
    m_icv.fill(0);
}

uint8_t
EspTrailer::GetIcvSize() const
{
    return m_icvSize;
}

void
EspTrailer::SetIcv(const uint8_t* icv, uint8_t size)
{
    SetIcvSize(size);
    if (size > 0)
    {
        std::memcpy(m_icv.data(), icv, size);
    }
}

const uint8_t*
EspTrailer::GetIcvData() const
{
    return m_icv.data();
}

std::vector<uint8_t>
EspTrailer::GetIcv() const
{
    return std::vector<uint8_t>(m_icv.begin(), m_icv.begin() + m_icvSize);
}

bool
EspTrailer::IsPaddingValid() const
{
    return m_paddingValid;
}

uint32_t
EspTrailer::GetSerializedSize() const
{
    return m_padLength + 2u + m_icvSize;
}

void
EspTrailer::Serialize(Buffer::Iterator end) const
{
    // ns-3 hands trailers the end of the buffer.
    Buffer::Iterator i = end;
    i.Prev(GetSerializedSize());
    for (uint32_t k = 1; k <= m_padLength; ++k)
    {
        i.WriteU8(static_cast<uint8_t>(k));
    }
    i.WriteU8(m_padLength);
    i.WriteU8(m_nextHeader);
    i.Write(m_icv.data(), m_icvSize);
}

uint32_t
EspTrailer::Deserialize(Buffer::Iterator end)
{
    // The pad length sits just before the next header, which sits just before the ICV;
    // only after reading it is the start of the trailer known.
    Buffer::Iterator i = end;
    i.Prev(m_icvSize + 2u);
    m_padLength = i.ReadU8();
    m_nextHeader = i.ReadU8();
    i.Read(m_icv.data(), m_icvSize);
    i = end;
    i.Prev(GetSerializedSize());
    m_paddingValid = true;
    for (uint32_t k = 1; k <= m_padLength; ++k)
    {
        m_paddingValid = m_paddingValid && i.ReadU8() == k;
    }
    return GetSerializedSize();
}

void
EspTrailer::Print(std::ostream& os) const
{
    std::ios_base::fmtflags flags = os.flags();
    char fill = os.fill();
    os << "pad=" << +m_padLength << " next=" << +m_nextHeader;
    if (m_icvSize > 0)
    {
        os << " icv=" << std::hex << std::setfill('0');
        for (uint8_t k = 0; k < m_icvSize; ++k)
        {
            os << std::setw(2) << +m_icv[k];
        }
    }
    os.flags(flags);
    os.fill(fill);
}

} // namespace ns3
