/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_IPSEC_TRANSFORM_RESULT_H
#define PRESEC_IPSEC_TRANSFORM_RESULT_H

#include "ipsec-drop-reason.h"

#include "ns3/assert.h"
#include "ns3/packet.h"
#include "ns3/ptr.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-ipsec
 * Outcome of one ESP, AH or IPComp transform.
 *
 * Protect: \c packet is what goes behind the IPv4 header and \c nextHeader is the protocol
 * number to put in that header (50, 51, 108, or the inner protocol when IPComp leaves the
 * packet as it was), so transforms chain (IPComp, then ESP, then AH).
 * Unprotect: \c packet is the inner packet and \c nextHeader the protocol found inside.
 * On a drop, \c packet is null and \c drop says why.
 */
struct TransformResult
{
    Ptr<Packet> packet;                  //!< the output packet, null when dropped
    uint8_t nextHeader{0};               //!< protocol number of \c packet
    std::optional<IpsecDropReason> drop; //!< set when the packet must be dropped

    /** \return true if the transform dropped the packet */
    bool IsDropped() const
    {
        return drop.has_value();
    }

    /**
     * \param reason why the packet is dropped
     * \return a result carrying only the reason
     */
    static TransformResult Dropped(IpsecDropReason reason)
    {
        TransformResult r;
        r.drop = reason;
        return r;
    }

    /**
     * \param packet the output packet
     * \param nextHeader its protocol number
     * \return a successful result
     */
    static TransformResult Ok(Ptr<Packet> packet, uint8_t nextHeader)
    {
        TransformResult r;
        r.packet = packet;
        r.nextHeader = nextHeader;
        return r;
    }
};

/**
 * \ingroup presec-ipsec
 * \param p a packet
 * \return true if it carries any packet tag: a cheap test that spares the tag-list search of
 *         RemovePacketTag on the many packets that carry none
 */
inline bool
HasPacketTags(Ptr<const Packet> p)
{
    return p->GetPacketTagIterator().HasNext();
}

/**
 * \ingroup presec-ipsec
 * Make a packet from bytes that carries the packet tags of another packet.
 *
 * Transforms that rewrite the bytes (encryption, compression) use this so that packet tags
 * (socket TTL tags, flow or probe tags) survive as they would in the kernel's skb; byte tags
 * cannot follow rewritten bytes and are not carried.
 *
 * \param tagSource the packet whose packet tags are kept
 * \param data the new content
 * \param size its length
 * \return the new packet
 */
inline Ptr<Packet>
PacketWithTagsOf(Ptr<const Packet> tagSource, const uint8_t* data, uint32_t size)
{
    if (!HasPacketTags(tagSource))
    {
        return Create<Packet>(data, size); // the common case: nothing to carry
    }
    // A copy emptied of its bytes keeps the packet tag list; appending the new bytes to it is
    // cheaper than re-creating each tag through its TypeId.
    Ptr<Packet> p = tagSource->Copy();
    p->RemoveAtStart(p->GetSize());
    p->AddAtEnd(Create<Packet>(data, size));
    return p;
}

/**
 * \ingroup presec-ipsec
 * The transforms' working buffer: one per thread, grown as needed and reused, so a packet
 * costs no allocation. A transform is done with it before it returns (the packet it returns
 * owns its bytes), so the ESP, AH and IPComp transforms can share it.
 * \param size bytes needed
 * \return the buffer, at least \p size bytes
 */
inline uint8_t*
TransformScratch(uint32_t size)
{
    thread_local std::vector<uint8_t> buffer;
    if (buffer.size() < size)
    {
        buffer.resize(size);
    }
    return buffer.data();
}

/**
 * \ingroup presec-ipsec
 * \param p where to write 4 bytes
 * \param v the value, written in network byte order
 */
inline void
WriteBe32(uint8_t* p, uint32_t v)
{
    p[0] = static_cast<uint8_t>(v >> 24);
    p[1] = static_cast<uint8_t>(v >> 16);
    p[2] = static_cast<uint8_t>(v >> 8);
    p[3] = static_cast<uint8_t>(v);
}

/**
 * \ingroup presec-ipsec
 * \param p 4 bytes in network byte order
 * \return their value
 */
inline uint32_t
ReadBe32(const uint8_t* p)
{
    return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3];
}

/**
 * \ingroup presec-ipsec
 * \param packet a packet
 * \param offset where the field starts
 * \return the 32-bit field in network byte order at \p offset, 0 if the packet is shorter
 */
inline uint32_t
PeekBe32(Ptr<const Packet> packet, uint32_t offset)
{
    uint8_t b[8];
    NS_ASSERT(offset + 4 <= sizeof(b));
    if (packet->GetSize() < offset + 4)
    {
        return 0;
    }
    packet->CopyData(b, offset + 4);
    return ReadBe32(b + offset);
}

} // namespace ns3

#endif // PRESEC_IPSEC_TRANSFORM_RESULT_H
