/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ipsec-tag.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(IpsecTag);

TypeId
IpsecTag::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::IpsecTag").SetParent<Tag>().SetGroupName("Presec").AddConstructor<IpsecTag>();
    return tid;
}

TypeId
IpsecTag::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
IpsecTag::GetSerializedSize() const
{
    return 4 + 1 + m_applied.size() * 18;
}

void
IpsecTag::Serialize(TagBuffer i) const
{
    i.WriteU32(m_nodeId);
    i.WriteU8(static_cast<uint8_t>(m_applied.size()));
    for (const Applied& a : m_applied)
    {
        i.WriteU8(static_cast<uint8_t>(a.protocol));
        i.WriteU8(static_cast<uint8_t>(a.mode));
        i.WriteU32(a.spi);
        i.WriteU32(a.reqid);
        i.WriteU32(a.saSource.Get());
        i.WriteU32(a.saDestination.Get());
    }
}

void
IpsecTag::Deserialize(TagBuffer i)
{
    m_nodeId = i.ReadU32();
    uint8_t n = i.ReadU8();
    m_applied.clear();
    for (uint8_t k = 0; k < n && k < MAX_APPLIED; ++k)
    {
        Applied a;
        a.protocol = static_cast<IpsecProtocol>(i.ReadU8());
        a.mode = static_cast<IpsecMode>(i.ReadU8());
        a.spi = i.ReadU32();
        a.reqid = i.ReadU32();
        a.saSource = Ipv4Address(i.ReadU32());
        a.saDestination = Ipv4Address(i.ReadU32());
        m_applied.push_back(a);
    }
}

void
IpsecTag::Print(std::ostream& os) const
{
    os << "node=" << m_nodeId;
    for (const Applied& a : m_applied)
    {
        os << " " << ToString(a.protocol) << "/" << ToString(a.mode) << "/0x" << std::hex << a.spi
           << std::dec << "/" << a.saSource << "-" << a.saDestination;
    }
}

void
IpsecTag::SetNodeId(uint32_t nodeId)
{
    m_nodeId = nodeId;
}

uint32_t
IpsecTag::GetNodeId() const
{
    return m_nodeId;
}

void
IpsecTag::Add(const Applied& applied)
{
    if (m_applied.size() < MAX_APPLIED)
    {
        m_applied.push_back(applied);
    }
}

const IpsecTag::AppliedList&
IpsecTag::GetApplied() const
{
    return m_applied;
}

} // namespace ns3
