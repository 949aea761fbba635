/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "esp-transform.h"

#include "esp-header.h"

#include "ns3/abort.h"
#include "ns3/log.h"

#include <vector>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EspTransform");

namespace
{

/** Domain of IpsecCrypto::ModeledTag for the ESP ICV. */
constexpr uint8_t kDomainIcv = 1;
/** Domain of IpsecCrypto::ModeledTag for the modeled IV. */
constexpr uint8_t kDomainIv = 2;

/**
 * \param sa an SA
 * \return true if its integrity algorithm is applied (not with AEAD ciphers)
 */
bool
UsesHmac(const SecurityAssociation& sa)
{
    return !IpsecCrypto::IsAead(sa.encryption) &&
           sa.authentication != AuthenticationAlgorithm::NONE;
}

/**
 * Abort on keys OpenSSL would read out of bounds or that no peer could match.
 * \param sa the SA
 */
void
CheckKeys(const SecurityAssociation& sa)
{
    sa.CheckKeySize("ESP",
                    ToString(sa.encryption),
                    GetProperties(sa.encryption).keyBytes,
                    sa.encryptionKey);
    if (UsesHmac(sa))
    {
        sa.CheckKeySize("ESP",
                        ToString(sa.authentication),
                        GetProperties(sa.authentication).keyBytes,
                        sa.authenticationKey);
    }
}

/**
 * Write the explicit IV of a packet.
 * \param sa the SA
 * \param mode crypto mode
 * \param header SPI || sequence, 8 bytes
 * \param iv where to write GetIvSize(sa) bytes
 */
void
MakeIv(const SecurityAssociation& sa, CryptoMode mode, const uint8_t* header, uint8_t* iv)
{
    uint32_t ivSize = GetProperties(sa.encryption).ivBytes;
    if (ivSize == 0)
    {
        return;
    }
    if (mode == CryptoMode::MODELED)
    {
        sa.GetCryptoContext().ModeledTag(sa.encryptionKey.data(),
                                         sa.encryptionKey.size(),
                                         kDomainIv,
                                         header,
                                         8,
                                         iv,
                                         ivSize);
    }
    else if (IpsecCrypto::IsCbc(sa.encryption))
    {
        uint8_t block[EspHeader::MAX_IV_BYTES] = {};
        std::copy(header, header + 8, block);
        sa.GetCryptoContext().EncryptBlock(sa.encryption, sa.encryptionKey.data(), block, iv);
    }
    else
    {
        // 64-bit counter = the sequence number (RFC 4106 §3.1, RFC 7634 §2).
        std::fill(iv, iv + 4, 0);
        std::copy(header + 4, header + 8, iv + 4);
    }
}

/**
 * Compute the ICV that is not produced by an AEAD cipher itself: the HMAC (real mode) or the
 * modeled tag (modeled mode, also standing in for the AEAD tag).
 * \param sa the SA
 * \param mode crypto mode
 * \param data header, IV and (cipher)text through the next header byte
 * \param size its length
 * \param icv where to write EspTransform::GetIcvSize(sa) bytes
 */
void
ComputeIcv(const SecurityAssociation& sa,
           CryptoMode mode,
           const uint8_t* data,
           uint32_t size,
           uint8_t* icv)
{
    const uint32_t icvSize = EspTransform::GetIcvSize(sa);
    if (icvSize == 0)
    {
        return;
    }
    // The modeled tag stands in for the AEAD tag too, keyed as the cipher is.
    NS_ASSERT(mode == CryptoMode::MODELED || UsesHmac(sa));
    const bool aeadModel = mode == CryptoMode::MODELED && IpsecCrypto::IsAead(sa.encryption);
    sa.ComputeIcv(mode,
                  aeadModel ? sa.encryptionKey : sa.authenticationKey,
                  kDomainIcv,
                  data,
                  size,
                  icv,
                  icvSize);
}

} // namespace

uint32_t
EspTransform::GetIvSize(const SecurityAssociation& sa)
{
    return GetProperties(sa.encryption).ivBytes;
}

uint32_t
EspTransform::GetIcvSize(const SecurityAssociation& sa)
{
    const EncryptionProperties& enc = GetProperties(sa.encryption);
    if (enc.aeadIcvBytes > 0)
    {
        return enc.aeadIcvBytes;
    }
    return GetProperties(sa.authentication).icvBytes;
}

uint32_t
EspTransform::GetBlockSize(const SecurityAssociation& sa)
{
    return std::max<uint32_t>(GetProperties(sa.encryption).blockBytes, 4);
}

uint32_t
EspTransform::GetPadSize(const SecurityAssociation& sa, uint32_t innerSize)
{
    uint32_t block = GetBlockSize(sa);
    return (block - (innerSize + 2) % block) % block;
}

uint32_t
EspTransform::Overhead(const SecurityAssociation& sa, uint32_t innerSize)
{
    return 8 + GetIvSize(sa) + GetPadSize(sa, innerSize) + 2 + GetIcvSize(sa);
}

uint32_t
EspTransform::PeekSpi(Ptr<const Packet> esp)
{
    return PeekBe32(esp, 0);
}

uint32_t
EspTransform::PeekSequenceNumber(Ptr<const Packet> esp)
{
    return PeekBe32(esp, 4);
}

TransformResult
EspTransform::Protect(Ptr<const Packet> inner,
                      uint8_t nextHeader,
                      SecurityAssociation& sa,
                      CryptoMode mode)
{
    NS_LOG_FUNCTION(inner << +nextHeader << sa.spi << ToString(mode));
    if (sa.GetState() == SaState::HARD_EXPIRED)
    {
        return TransformResult::Dropped(IpsecDropReason::SA_EXPIRED);
    }
    if (mode == CryptoMode::REAL)
    {
        CheckKeys(sa);
    }
    std::optional<uint32_t> seq = sa.NextSequenceNumber();
    if (!seq)
    {
        NS_LOG_LOGIC("SA 0x" << std::hex << sa.spi << std::dec
                             << " exhausted its sequence numbers");
        return TransformResult::Dropped(IpsecDropReason::SEQUENCE_EXHAUSTED);
    }

    const uint32_t innerSize = inner->GetSize();
    const uint32_t ivSize = GetIvSize(sa);
    const uint32_t headerSize = 8 + ivSize;
    const uint32_t padSize = GetPadSize(sa, innerSize);
    const uint32_t bodySize = innerSize + padSize + 2;
    const uint32_t icvSize = GetIcvSize(sa);

    uint8_t* buf = TransformScratch(headerSize + bodySize + icvSize);
    uint8_t* iv = buf + 8;
    uint8_t* body = buf + headerSize;
    uint8_t* icv = body + bodySize;
    WriteBe32(buf, sa.spi);
    WriteBe32(buf + 4, *seq);
    MakeIv(sa, mode, buf, iv);
    inner->CopyData(body, innerSize);
    for (uint32_t k = 0; k < padSize; ++k)
    {
        body[innerSize + k] = static_cast<uint8_t>(k + 1); // RFC 4303 §2.4 default padding
    }
    body[innerSize + padSize] = static_cast<uint8_t>(padSize);
    body[innerSize + padSize + 1] = nextHeader;

    if (mode == CryptoMode::REAL && IpsecCrypto::IsAead(sa.encryption))
    {
        sa.GetCryptoContext()
            .AeadSeal(sa.encryption, sa.encryptionKey.data(), iv, buf, 8, body, bodySize, icv);
    }
    else
    {
        if (mode == CryptoMode::REAL && IpsecCrypto::IsCbc(sa.encryption))
        {
            sa.GetCryptoContext()
                .Cbc(sa.encryption, sa.encryptionKey.data(), iv, body, bodySize, true);
        }
        ComputeIcv(sa, mode, buf, headerSize + bodySize, icv);
    }

    EspHeader header;
    header.SetSpi(sa.spi);
    header.SetSequenceNumber(*seq);
    header.SetIv(iv, static_cast<uint8_t>(ivSize));
    // Both modes put the same bytes on the wire after the header; the modeled body is just
    // left in clear (its tag still covers it). Built from the scratch buffer in one piece,
    // which is also cheaper than copying the inner packet and adding a trailer to it.
    Ptr<Packet> p = PacketWithTagsOf(inner, body, bodySize + icvSize);
    p->AddHeader(header);
    sa.CountBytes(innerSize);
    NS_LOG_LOGIC("ESP spi=0x" << std::hex << sa.spi << std::dec << " seq=" << *seq << " "
                              << innerSize << " -> " << p->GetSize() << " bytes");
    return TransformResult::Ok(p, PROT_NUMBER);
}

TransformResult
EspTransform::Unprotect(Ptr<const Packet> esp, SecurityAssociation& sa, CryptoMode mode)
{
    NS_LOG_FUNCTION(esp << sa.spi << ToString(mode));
    if (sa.GetState() == SaState::HARD_EXPIRED)
    {
        return TransformResult::Dropped(IpsecDropReason::SA_EXPIRED);
    }
    if (mode == CryptoMode::REAL)
    {
        CheckKeys(sa);
    }
    const uint32_t size = esp->GetSize();
    const uint32_t headerSize = 8 + GetIvSize(sa);
    const uint32_t icvSize = GetIcvSize(sa);
    if (size < headerSize + 2 + icvSize)
    {
        NS_LOG_LOGIC("ESP packet of " << size << " bytes is too short");
        return TransformResult::Dropped(IpsecDropReason::MALFORMED);
    }
    const uint32_t bodySize = size - headerSize - icvSize;
    if (IpsecCrypto::IsCbc(sa.encryption) && bodySize % GetBlockSize(sa) != 0)
    {
        NS_LOG_LOGIC("ESP ciphertext of " << bodySize << " bytes is not whole blocks");
        return TransformResult::Dropped(IpsecDropReason::MALFORMED);
    }

    uint8_t* buf = TransformScratch(size + icvSize);
    esp->CopyData(buf, size);
    const uint32_t seq = ReadBe32(buf + 4);
    switch (sa.CheckReplay(seq))
    {
    case ReplayCheck::REPLAYED:
        NS_LOG_LOGIC("ESP seq " << seq << " replayed");
        return TransformResult::Dropped(IpsecDropReason::REPLAYED);
    case ReplayCheck::TOO_OLD:
        NS_LOG_LOGIC("ESP seq " << seq << " left of the window");
        return TransformResult::Dropped(IpsecDropReason::TOO_OLD);
    case ReplayCheck::OK:
        break;
    }

    uint8_t* iv = buf + 8;
    uint8_t* body = buf + headerSize;
    const uint8_t* icv = body + bodySize;
    if (mode == CryptoMode::REAL && IpsecCrypto::IsAead(sa.encryption))
    {
        if (!sa.GetCryptoContext()
                 .AeadOpen(sa.encryption, sa.encryptionKey.data(), iv, buf, 8, body, bodySize, icv))
        {
            NS_LOG_LOGIC("ESP seq " << seq << ": AEAD tag mismatch");
            return TransformResult::Dropped(IpsecDropReason::BAD_ICV);
        }
    }
    else
    {
        uint8_t* expected = buf + size;
        ComputeIcv(sa, mode, buf, headerSize + bodySize, expected);
        if (!IpsecCrypto::Equal(expected, icv, icvSize))
        {
            NS_LOG_LOGIC("ESP seq " << seq << ": ICV mismatch");
            return TransformResult::Dropped(IpsecDropReason::BAD_ICV);
        }
        if (mode == CryptoMode::REAL && IpsecCrypto::IsCbc(sa.encryption))
        {
            sa.GetCryptoContext()
                .Cbc(sa.encryption, sa.encryptionKey.data(), iv, body, bodySize, false);
        }
    }

    const uint8_t padSize = body[bodySize - 2];
    const uint8_t nextHeader = body[bodySize - 1];
    if (padSize > bodySize - 2)
    {
        NS_LOG_LOGIC("ESP pad length " << +padSize << " exceeds the payload");
        return TransformResult::Dropped(IpsecDropReason::MALFORMED);
    }
    const uint32_t innerSize = bodySize - 2 - padSize;
    for (uint32_t k = 0; k < padSize; ++k)
    {
        if (body[innerSize + k] != k + 1)
        {
            // RFC 4303 §2.4: the receiver may check the default padding; a wrong value here
            // means a wrong key or a broken sender, since the ICV passed.
            NS_LOG_LOGIC("ESP padding byte " << k << " is not " << k + 1);
            return TransformResult::Dropped(IpsecDropReason::MALFORMED);
        }
    }

    sa.AcceptSequence(seq);
    sa.CountBytes(innerSize);
    Ptr<Packet> inner = PacketWithTagsOf(esp, body, innerSize);
    NS_LOG_LOGIC("ESP spi=0x" << std::hex << sa.spi << std::dec << " seq=" << seq
                              << " next=" << +nextHeader << " " << innerSize << " bytes");
    return TransformResult::Ok(inner, nextHeader);
}

} // namespace ns3
