/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ike-proposals.h"

#include "ns3/crypto-profile.h"
#include "ns3/ipsec-crypto.h"

namespace ns3
{

IkeProposals::IkeProposals(EncryptionAlgorithm enc, AuthenticationAlgorithm integ, uint16_t group)
    : m_enc(enc),
      m_integ(integ),
      m_group(group)
{
}

uint16_t
IkeProposals::Group() const
{
    return m_group;
}

EncryptionAlgorithm
IkeProposals::Encryption() const
{
    return m_enc;
}

AuthenticationAlgorithm
IkeProposals::Integrity() const
{
    return m_integ;
}

uint32_t
IkeProposals::GroupSize(uint16_t group)
{
    switch (group)
    {
    case ike::DH_CURVE25519:
        return 32;
    case ike::DH_MODP_2048:
        return 256;
    default:
        return 0;
    }
}

KeyOperation
IkeProposals::DhOperation(uint16_t group)
{
    return group == ike::DH_CURVE25519 ? KeyOperation::X25519 : KeyOperation::FFDH_2048;
}

IkeProposal
IkeProposals::IkeSa() const
{
    IkeProposal p;
    p.number = 1;
    p.protocolId = ike::PROTO_IKE;
    p.transforms = {{ike::TRANSFORM_ENCR, ike::ENCR_AES_CBC, 128},
                    {ike::TRANSFORM_PRF, ike::PRF_HMAC_SHA1, std::nullopt},
                    {ike::TRANSFORM_INTEG, ike::AUTH_HMAC_SHA1_96, std::nullopt},
                    {ike::TRANSFORM_DH, m_group, std::nullopt}};
    return p;
}

std::optional<IkeProposal>
IkeProposals::ChooseIkeSa(const std::vector<IkeProposal>& offered) const
{
    for (const auto& p : offered)
    {
        const IkeTransform* dh = p.Find(ike::TRANSFORM_DH);
        if (p.protocolId != ike::PROTO_IKE || dh == nullptr || GroupSize(dh->id) == 0)
        {
            continue;
        }
        IkeProposal mine = IkeSa();
        mine.transforms.back().id = dh->id;
        bool ok = true;
        for (const auto& t : mine.transforms)
        {
            const IkeTransform* o = p.Find(t.type);
            ok = ok && o != nullptr && *o == t;
        }
        if (ok)
        {
            mine.number = p.number;
            return mine;
        }
    }
    return std::nullopt;
}

bool
IkeProposals::IsOwnIkeSa(const IkeProposal& answer) const
{
    return answer.transforms == IkeSa().transforms;
}

IkeProposal
IkeProposals::Child(const IkeChildSpec& spec, uint32_t spi, bool pfs) const
{
    IkeProposal p;
    p.number = 1;
    p.protocolId = spec.proto == IpsecProtocol::AH ? ike::PROTO_AH : ike::PROTO_ESP;
    p.spi = ike::Be32(spi);
    if (spec.proto == IpsecProtocol::ESP)
    {
        IkeTransform t{ike::TRANSFORM_ENCR, 0, std::nullopt};
        switch (m_enc)
        {
        case EncryptionAlgorithm::NULL_ENC:
            t.id = ike::ENCR_NULL;
            break;
        case EncryptionAlgorithm::AES_128_CBC:
        case EncryptionAlgorithm::AES_256_CBC:
            t.id = ike::ENCR_AES_CBC;
            t.keyLength = m_enc == EncryptionAlgorithm::AES_128_CBC ? 128 : 256;
            break;
        case EncryptionAlgorithm::AES_128_GCM_16:
        case EncryptionAlgorithm::AES_256_GCM_16:
            t.id = ike::ENCR_AES_GCM_16;
            t.keyLength = m_enc == EncryptionAlgorithm::AES_128_GCM_16 ? 128 : 256;
            break;
        case EncryptionAlgorithm::TRIPLE_DES_CBC:
            t.id = ike::ENCR_3DES;
            break;
        case EncryptionAlgorithm::CHACHA20_POLY1305:
            t.id = ike::ENCR_CHACHA20_POLY1305;
            break;
        }
        p.transforms.push_back(t);
    }
    if (m_integ != AuthenticationAlgorithm::NONE &&
        (spec.proto == IpsecProtocol::AH || !IpsecCrypto::IsAead(m_enc)))
    {
        p.transforms.push_back({ike::TRANSFORM_INTEG,
                                m_integ == AuthenticationAlgorithm::HMAC_SHA1_96
                                    ? ike::AUTH_HMAC_SHA1_96
                                    : ike::AUTH_HMAC_SHA2_256_128,
                                std::nullopt});
    }
    if (pfs)
    {
        p.transforms.push_back({ike::TRANSFORM_DH, m_group, std::nullopt});
    }
    p.transforms.push_back({ike::TRANSFORM_ESN, ike::ESN_NONE, std::nullopt});
    return p;
}

std::string
IkeProposals::AcceptChild(const IkeProposal& p, IkeChildSpec& spec, uint16_t& dh) const
{
    if (p.protocolId != ike::PROTO_ESP && p.protocolId != ike::PROTO_AH)
    {
        return "protocol " + std::to_string(p.protocolId);
    }
    if (p.spi.size() != 4 || p.GetSpi32() < 0x100)
    {
        return "SPI";
    }
    spec.proto = p.protocolId == ike::PROTO_ESP ? IpsecProtocol::ESP : IpsecProtocol::AH;
    IkeProposal mine = Child(spec, p.GetSpi32(), false);
    for (uint8_t type : {ike::TRANSFORM_ENCR, ike::TRANSFORM_INTEG, ike::TRANSFORM_ESN})
    {
        const IkeTransform* a = p.Find(type);
        const IkeTransform* b = mine.Find(type);
        if ((a == nullptr) != (b == nullptr) || (a != nullptr && !(*a == *b)))
        {
            return "transform type " + std::to_string(type);
        }
    }
    // Our own configuration may be unable to make this child (aes-cbc with integrity null).
    std::string refused = SecurityAssociation::CheckIntegrity(spec.proto, m_enc, m_integ);
    if (!refused.empty())
    {
        return refused;
    }
    const IkeTransform* d = p.Find(ike::TRANSFORM_DH);
    dh = d != nullptr ? d->id : 0;
    return dh == 0 || GroupSize(dh) != 0 ? "" : "DH group " + std::to_string(dh);
}

} // namespace ns3
