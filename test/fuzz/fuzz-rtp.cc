/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// libFuzzer target: RTP headers as the voice receiver reads them. An accepted header lies
// within the input, the packet readers (ReadFrom, Deserialize through PeekHeader) give the
// same answer as Read on the bytes, it serializes back to exactly the bytes it was read from,
// and its fields, set on a new header, serialize and read back equal.

#include "ns3/packet.h"
#include "ns3/rtp-header.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    ns3::RtpHeader h;
    std::string error;
    uint32_t n = h.Read(data, uint32_t(std::min<size_t>(size, UINT32_MAX)), error);
    auto packet = ns3::Create<ns3::Packet>(data, uint32_t(std::min<size_t>(size, UINT32_MAX)));
    std::string readFromError;
    ns3::RtpHeader fromPacket;
    ns3::RtpHeader peeked;
    if (fromPacket.ReadFrom(*packet, readFromError) != n || readFromError != error ||
        packet->PeekHeader(peeked) != n ||
        (n != 0 && (fromPacket.GetSequenceNumber() != h.GetSequenceNumber() ||
                    peeked.GetSsrc() != h.GetSsrc())))
    {
        std::abort();
    }
    if (n == 0)
    {
        if (error.empty())
        {
            std::abort(); // a refusal names its reason
        }
        return 0;
    }
    if (n > size)
    {
        std::abort();
    }
    auto again = ns3::Create<ns3::Packet>();
    again->AddHeader(h);
    std::vector<uint8_t> written(again->GetSize());
    again->CopyData(written.data(), written.size());
    if (written.size() != n || !std::equal(written.begin(), written.end(), data))
    {
        std::abort();
    }
    ns3::RtpHeader out;
    out.SetMarker(h.GetMarker());
    out.SetPayloadType(h.GetPayloadType());
    out.SetSequenceNumber(h.GetSequenceNumber());
    out.SetTimestamp(h.GetTimestamp());
    out.SetSsrc(h.GetSsrc());
    auto p = ns3::Create<ns3::Packet>();
    p->AddHeader(out);
    std::vector<uint8_t> b(p->GetSize());
    p->CopyData(b.data(), b.size());
    ns3::RtpHeader back;
    if (back.Read(b.data(), uint32_t(b.size()), error) != 12 ||
        back.GetSequenceNumber() != h.GetSequenceNumber() ||
        back.GetTimestamp() != h.GetTimestamp() || back.GetSsrc() != h.GetSsrc() ||
        back.GetPayloadType() != h.GetPayloadType() || back.GetMarker() != h.GetMarker())
    {
        std::abort();
    }
    return 0;
}
