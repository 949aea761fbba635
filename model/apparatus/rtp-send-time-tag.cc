/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "rtp-send-time-tag.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(RtpSendTimeTag);

RtpSendTimeTag::RtpSendTimeTag(Time sent)
    : m_sent(sent)
{
}

TypeId
RtpSendTimeTag::GetTypeId()
{
    static TypeId tid = TypeId("ns3::RtpSendTimeTag")
                            .SetParent<Tag>()
                            .SetGroupName("Presec")
                            .AddConstructor<RtpSendTimeTag>();
    return tid;
}

TypeId
RtpSendTimeTag::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
RtpSendTimeTag::GetSerializedSize() const
{
    return 8;
}

void
RtpSendTimeTag::Serialize(TagBuffer i) const
{
    i.WriteU64(uint64_t(m_sent.GetTimeStep()));
}

void
RtpSendTimeTag::Deserialize(TagBuffer i)
{
    m_sent = TimeStep(i.ReadU64());
}

void
RtpSendTimeTag::Print(std::ostream& os) const
{
    os << "sent=" << m_sent;
}

Time
RtpSendTimeTag::GetSent() const
{
    return m_sent;
}

} // namespace ns3
