/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_RTP_SEND_TIME_TAG_H
#define PRESEC_RTP_SEND_TIME_TAG_H

#include "ns3/nstime.h"
#include "ns3/tag.h"

namespace ns3
{

/**
 * \ingroup presec-apparatus
 * The send time of a voice packet, carried beside it through the simulation (a packet tag,
 * not bytes on the wire; the IPsec transforms keep packet tags) so that the receiver measures
 * the one-way delay exactly, as FlowMonitor does.
 */
class RtpSendTimeTag : public Tag
{
  public:
    RtpSendTimeTag() = default;
    /** \param sent the send time */
    explicit RtpSendTimeTag(Time sent);
    /** \return the TypeId */
    static TypeId GetTypeId();
    /** \return the TypeId of this instance */
    TypeId GetInstanceTypeId() const override;
    /** \return the tag's size */
    uint32_t GetSerializedSize() const override;
    /** \param i where the tag is written */
    void Serialize(TagBuffer i) const override;
    /** \param i where the tag is read from */
    void Deserialize(TagBuffer i) override;
    /** \param os the stream printed to */
    void Print(std::ostream& os) const override;
    /** \return the send time */
    Time GetSent() const;

  private:
    Time m_sent; //!< send time
};

} // namespace ns3

#endif // PRESEC_RTP_SEND_TIME_TAG_H
