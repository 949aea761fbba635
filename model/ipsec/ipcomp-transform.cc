/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ipcomp-transform.h"

#include "ipcomp-header.h"

#include "ns3/abort.h"
#include "ns3/log.h"

#include <vector>
#include <zlib.h>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpcompTransform");

namespace
{

/** Raw deflate (negative windowBits) with Linux's IPComp window of 2^11 bytes. */
constexpr int kDeflateWindowBits = -11;
/** Raw inflate accepting any window. */
constexpr int kInflateWindowBits = -15;

/**
 * zlib streams kept per thread and reset per packet: deflateInit allocates about 20 KiB
 * (more for inflate's window), too much to repeat for every datagram.
 */
struct Streams
{
    z_stream deflater{}; //!< compressor
    z_stream inflater{}; //!< decompressor

    Streams()
    {
        NS_ABORT_MSG_IF(deflateInit2(&deflater,
                                     Z_DEFAULT_COMPRESSION,
                                     Z_DEFLATED,
                                     kDeflateWindowBits,
                                     8,
                                     Z_DEFAULT_STRATEGY) != Z_OK,
                        "zlib deflateInit2 failed");
        NS_ABORT_MSG_IF(inflateInit2(&inflater, kInflateWindowBits) != Z_OK,
                        "zlib inflateInit2 failed");
    }

    ~Streams()
    {
        deflateEnd(&deflater);
        inflateEnd(&inflater);
    }
};

/** \return this thread's zlib streams */
Streams&
GetStreams()
{
    thread_local Streams streams;
    return streams;
}

} // namespace

uint16_t
IpcompTransform::GetCpi(const SecurityAssociation& sa)
{
    return static_cast<uint16_t>(sa.spi & 0xffff);
}

uint16_t
IpcompTransform::PeekCpi(Ptr<const Packet> packet)
{
    uint8_t b[4];
    if (packet->GetSize() < sizeof(b))
    {
        return 0;
    }
    packet->CopyData(b, sizeof(b));
    return static_cast<uint16_t>((b[2] << 8) | b[3]);
}

TransformResult
IpcompTransform::Protect(Ptr<const Packet> inner,
                         uint8_t nextHeader,
                         SecurityAssociation& sa,
                         uint32_t thresholdBytes)
{
    NS_LOG_FUNCTION(inner << +nextHeader << sa.spi << thresholdBytes);
    if (sa.GetState() == SaState::HARD_EXPIRED)
    {
        return TransformResult::Dropped(IpsecDropReason::SA_EXPIRED);
    }
    const uint32_t innerSize = inner->GetSize();
    if (innerSize < thresholdBytes || innerSize <= 5)
    {
        NS_LOG_LOGIC("IPComp: " << innerSize << " bytes, below the threshold");
        return TransformResult::Ok(inner->Copy(), nextHeader);
    }
    // Worth sending only if header + data is smaller than the original (RFC 3173 §2.2), so
    // give deflate no more room than that: running out of it means "send uncompressed".
    const uint32_t limit = innerSize - 4 - 1;
    uint8_t* in = TransformScratch(innerSize + limit);
    uint8_t* out = in + innerSize;
    inner->CopyData(in, innerSize);
    z_stream& z = GetStreams().deflater;
    deflateReset(&z);
    z.next_in = in;
    z.avail_in = innerSize;
    z.next_out = out;
    z.avail_out = limit;
    int ret = deflate(&z, Z_FINISH);
    if (ret != Z_STREAM_END)
    {
        NS_LOG_LOGIC("IPComp: " << innerSize << " bytes do not shrink, sent uncompressed");
        return TransformResult::Ok(inner->Copy(), nextHeader);
    }
    const uint32_t compressedSize = static_cast<uint32_t>(z.total_out);

    IpcompHeader header;
    header.SetNextHeader(nextHeader);
    header.SetCpi(GetCpi(sa));
    Ptr<Packet> p = PacketWithTagsOf(inner, out, compressedSize);
    p->AddHeader(header);
    sa.CountBytes(innerSize);
    NS_LOG_LOGIC("IPComp cpi=0x" << std::hex << GetCpi(sa) << std::dec << " " << innerSize << " -> "
                                 << p->GetSize() << " bytes");
    return TransformResult::Ok(p, PROT_NUMBER);
}

TransformResult
IpcompTransform::Unprotect(Ptr<const Packet> packet, SecurityAssociation& sa)
{
    NS_LOG_FUNCTION(packet << sa.spi);
    if (sa.GetState() == SaState::HARD_EXPIRED)
    {
        return TransformResult::Dropped(IpsecDropReason::SA_EXPIRED);
    }
    TransformResult r = Inflate(packet);
    if (!r.IsDropped())
    {
        sa.CountBytes(r.packet->GetSize());
    }
    return r;
}

TransformResult
IpcompTransform::Inflate(Ptr<const Packet> packet)
{
    const uint32_t size = packet->GetSize();
    if (size < 4)
    {
        return TransformResult::Dropped(IpsecDropReason::MALFORMED);
    }
    uint8_t* in = TransformScratch(size + MAX_INFLATED_BYTES);
    uint8_t* out = in + size;
    packet->CopyData(in, size);
    const uint8_t nextHeader = in[0];

    z_stream& z = GetStreams().inflater;
    inflateReset(&z);
    z.next_in = in + 4;
    z.avail_in = size - 4;
    z.next_out = out;
    z.avail_out = MAX_INFLATED_BYTES;
    int ret = inflate(&z, Z_FINISH);
    // Z_STREAM_END with all input used is the only success: Z_BUF_ERROR means a truncated
    // stream or an output past the cap, Z_DATA_ERROR a corrupt one.
    if (ret != Z_STREAM_END || z.avail_in != 0)
    {
        NS_LOG_LOGIC("IPComp: inflate failed (" << ret << ", " << z.avail_in << " bytes left, "
                                                << z.total_out << " out)");
        return TransformResult::Dropped(IpsecDropReason::DECOMPRESSION_FAILED);
    }
    const uint32_t innerSize = static_cast<uint32_t>(z.total_out);
    NS_LOG_LOGIC("IPComp " << size << " -> " << innerSize << " bytes, next=" << +nextHeader);
    return TransformResult::Ok(PacketWithTagsOf(packet, out, innerSize), nextHeader);
}

} // namespace ns3
