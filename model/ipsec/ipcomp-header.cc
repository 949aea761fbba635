/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ipcomp-header.h"

#include "ns3/log.h"

#include <iomanip>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpcompHeader");

NS_OBJECT_ENSURE_REGISTERED(IpcompHeader);

TypeId
IpcompHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IpcompHeader")
                            .SetParent<Header>()
                            .SetGroupName("Presec")
                            .AddConstructor<IpcompHeader>();
    return tid;
}

TypeId
IpcompHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

IpcompHeader::IpcompHeader()
{
    NS_LOG_FUNCTION(this);
}

void
IpcompHeader::SetNextHeader(uint8_t nextHeader)
{
    m_nextHeader = nextHeader;
}

uint8_t
IpcompHeader::GetNextHeader() const
{
    return m_nextHeader;
}

void
IpcompHeader::SetFlags(uint8_t flags)
{
    m_flags = flags;
}

uint8_t
IpcompHeader::GetFlags() const
{
    return m_flags;
}

void
IpcompHeader::SetCpi(uint16_t cpi)
{
    m_cpi = cpi;
}

uint16_t
IpcompHeader::GetCpi() const
{
    return m_cpi;
}

uint32_t
IpcompHeader::GetSerializedSize() const
{
    return 4;
}

void
IpcompHeader::Serialize(Buffer::Iterator start) const
{
    start.WriteU8(m_nextHeader);
    start.WriteU8(m_flags);
    start.WriteHtonU16(m_cpi);
}

uint32_t
IpcompHeader::Deserialize(Buffer::Iterator start)
{
    m_nextHeader = start.ReadU8();
    m_flags = start.ReadU8();
    m_cpi = start.ReadNtohU16();
    return 4;
}

void
IpcompHeader::Print(std::ostream& os) const
{
    std::ios_base::fmtflags flags = os.flags();
    char fill = os.fill();
    os << "next=" << +m_nextHeader << " flags=" << +m_flags << " cpi=0x" << std::hex
       << std::setfill('0') << std::setw(4) << m_cpi;
    os.flags(flags);
    os.fill(fill);
}

} // namespace ns3
