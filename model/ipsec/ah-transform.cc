/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ah-transform.h"

#include "ah-header.h"

#include "ns3/abort.h"
#include "ns3/log.h"

#include <cstring>
#include <vector>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("AhTransform");

namespace
{

/** Domain of IpsecCrypto::ModeledTag for the AH ICV (distinct from ESP's). */
constexpr uint8_t kDomainIcv = 3;

/** Size of the IPv4 header the ICV covers (no options). */
constexpr uint32_t kIpv4HeaderSize = 20;

/**
 * \param sa an SA
 * \return the ICV length before IPv4 alignment
 */
uint32_t
IcvSize(const SecurityAssociation& sa)
{
    return GetProperties(sa.authentication).icvBytes;
}

/**
 * Write the IPv4 header as the AH ICV sees it: mutable fields zero (RFC 4302 §3.3.3.1.1.1).
 * \param out 20 bytes
 * \param totalLength the IPv4 total length
 * \param identification the identification field
 * \param src source
 * \param dst destination
 */
void
WriteCoveredIpv4Header(uint8_t* out,
                       uint32_t totalLength,
                       uint16_t identification,
                       Ipv4Address src,
                       Ipv4Address dst)
{
    std::memset(out, 0, kIpv4HeaderSize);
    out[0] = 0x45; // version 4, IHL 5: options are not supported
    out[2] = static_cast<uint8_t>(totalLength >> 8);
    out[3] = static_cast<uint8_t>(totalLength);
    out[4] = static_cast<uint8_t>(identification >> 8);
    out[5] = static_cast<uint8_t>(identification);
    out[9] = AhTransform::PROT_NUMBER;
    src.Serialize(out + 12);
    dst.Serialize(out + 16);
}

/**
 * Abort on a key length that no peer could match.
 * \param sa the SA
 */
void
CheckKey(const SecurityAssociation& sa)
{
    if (sa.authentication != AuthenticationAlgorithm::NONE)
    {
        sa.CheckKeySize("AH",
                        ToString(sa.authentication),
                        GetProperties(sa.authentication).keyBytes,
                        sa.authenticationKey);
    }
}

} // namespace

uint32_t
AhTransform::Overhead(const SecurityAssociation& sa)
{
    return 12 + ((IcvSize(sa) + 3) & ~3u);
}

uint32_t
AhTransform::PeekSpi(Ptr<const Packet> ah)
{
    return PeekBe32(ah, 4);
}

TransformResult
AhTransform::Protect(Ptr<const Packet> inner,
                     uint8_t nextHeader,
                     Ipv4Address src,
                     Ipv4Address dst,
                     uint16_t identification,
                     SecurityAssociation& sa,
                     CryptoMode mode)
{
    NS_LOG_FUNCTION(inner << +nextHeader << src << dst << identification << sa.spi
                          << ToString(mode));
    if (sa.GetState() == SaState::HARD_EXPIRED)
    {
        return TransformResult::Dropped(IpsecDropReason::SA_EXPIRED);
    }
    if (mode == CryptoMode::REAL)
    {
        CheckKey(sa);
    }
    std::optional<uint32_t> seq = sa.NextSequenceNumber();
    if (!seq)
    {
        NS_LOG_LOGIC("SA 0x" << std::hex << sa.spi << std::dec
                             << " exhausted its sequence numbers");
        return TransformResult::Dropped(IpsecDropReason::SEQUENCE_EXHAUSTED);
    }

    AhHeader header;
    header.SetNextHeader(nextHeader);
    header.SetSpi(sa.spi);
    header.SetSequenceNumber(*seq);
    header.SetIcvSize(IcvSize(sa));
    const uint32_t innerSize = inner->GetSize();
    const uint32_t ahSize = header.GetSerializedSize();
    const uint32_t coveredSize = kIpv4HeaderSize + ahSize + innerSize;

    uint8_t* buf = TransformScratch(coveredSize + IcvSize(sa));
    WriteCoveredIpv4Header(buf, kIpv4HeaderSize + ahSize + innerSize, identification, src, dst);
    // The AH header with a zero ICV, written in place (as AhHeader::Serialize would).
    uint8_t* ah = buf + kIpv4HeaderSize;
    std::memset(ah, 0, ahSize);
    ah[0] = nextHeader;
    ah[1] = header.GetPayloadLength();
    WriteBe32(ah + 4, sa.spi);
    WriteBe32(ah + 8, *seq);
    inner->CopyData(buf + kIpv4HeaderSize + ahSize, innerSize);
    uint8_t* icv = buf + coveredSize;
    sa.ComputeIcv(mode, sa.authenticationKey, kDomainIcv, buf, coveredSize, icv, IcvSize(sa));
    header.SetIcv(icv, IcvSize(sa));

    Ptr<Packet> p = inner->Copy();
    p->AddHeader(header);
    sa.CountBytes(innerSize);
    NS_LOG_LOGIC("AH spi=0x" << std::hex << sa.spi << std::dec << " seq=" << *seq << " "
                             << innerSize << " -> " << p->GetSize() << " bytes");
    return TransformResult::Ok(p, PROT_NUMBER);
}

TransformResult
AhTransform::Unprotect(Ptr<const Packet> packet,
                       Ipv4Address src,
                       Ipv4Address dst,
                       uint16_t identification,
                       SecurityAssociation& sa,
                       CryptoMode mode)
{
    NS_LOG_FUNCTION(packet << src << dst << identification << sa.spi << ToString(mode));
    if (sa.GetState() == SaState::HARD_EXPIRED)
    {
        return TransformResult::Dropped(IpsecDropReason::SA_EXPIRED);
    }
    if (mode == CryptoMode::REAL)
    {
        CheckKey(sa);
    }
    const uint32_t size = packet->GetSize();
    const uint32_t icvSize = IcvSize(sa);
    const uint32_t ahSize = Overhead(sa);
    if (size < 12)
    {
        NS_LOG_LOGIC("AH packet of " << size << " bytes is too short");
        return TransformResult::Dropped(IpsecDropReason::MALFORMED);
    }
    uint8_t* buf = TransformScratch(kIpv4HeaderSize + size + icvSize);
    uint8_t* ah = buf + kIpv4HeaderSize;
    packet->CopyData(ah, size);
    if ((ah[1] + 2u) * 4 != ahSize || size < ahSize)
    {
        // RFC 4302 §3.4.4 leaves a Payload Len that disagrees with the SA's ICV to the
        // ICV check; refusing it here keeps the ICV comparison within the packet.
        NS_LOG_LOGIC("AH Payload Len " << +ah[1] << " does not fit the SA or the packet");
        return TransformResult::Dropped(IpsecDropReason::MALFORMED);
    }
    const uint32_t seq = ReadBe32(ah + 8);
    switch (sa.CheckReplay(seq))
    {
    case ReplayCheck::REPLAYED:
        NS_LOG_LOGIC("AH seq " << seq << " replayed");
        return TransformResult::Dropped(IpsecDropReason::REPLAYED);
    case ReplayCheck::TOO_OLD:
        NS_LOG_LOGIC("AH seq " << seq << " left of the window");
        return TransformResult::Dropped(IpsecDropReason::TOO_OLD);
    case ReplayCheck::OK:
        break;
    }

    // Keep the received ICV aside and zero its field (padding included), as the sender did.
    uint8_t received[AhHeader::MAX_ICV_BYTES];
    std::memcpy(received, ah + 12, icvSize);
    std::memset(ah + 12, 0, ahSize - 12);
    WriteCoveredIpv4Header(buf, kIpv4HeaderSize + size, identification, src, dst);
    uint8_t* expected = buf + kIpv4HeaderSize + size;
    sa.ComputeIcv(mode,
                  sa.authenticationKey,
                  kDomainIcv,
                  buf,
                  kIpv4HeaderSize + size,
                  expected,
                  icvSize);
    if (!IpsecCrypto::Equal(expected, received, icvSize))
    {
        NS_LOG_LOGIC("AH seq " << seq << ": ICV mismatch");
        return TransformResult::Dropped(IpsecDropReason::BAD_ICV);
    }

    const uint8_t nextHeader = ah[0];
    const uint32_t innerSize = size - ahSize;
    sa.AcceptSequence(seq);
    sa.CountBytes(innerSize);
    NS_LOG_LOGIC("AH spi=0x" << std::hex << sa.spi << std::dec << " seq=" << seq
                             << " next=" << +nextHeader << " " << innerSize << " bytes");
    return TransformResult::Ok(packet->CreateFragment(ahSize, innerSize), nextHeader);
}

} // namespace ns3
