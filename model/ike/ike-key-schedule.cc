/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ike-key-schedule.h"

#include "ns3/abort.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <string>

namespace ns3
{
namespace ikev2
{

namespace
{

const EVP_MD*
Digest(PrfAlgorithm alg)
{
    switch (alg)
    {
    case PrfAlgorithm::HMAC_SHA1:
        return EVP_sha1();
    case PrfAlgorithm::HMAC_SHA2_256:
        return EVP_sha256();
    case PrfAlgorithm::HMAC_SHA2_384:
        return EVP_sha384();
    case PrfAlgorithm::HMAC_SHA2_512:
        return EVP_sha512();
    }
    NS_ABORT_MSG("ikev2: unknown PRF " << static_cast<uint16_t>(alg));
    return nullptr;
}

void
Append(std::vector<uint8_t>& out, const std::vector<uint8_t>& part)
{
    out.insert(out.end(), part.begin(), part.end());
}

void
AppendU64(std::vector<uint8_t>& out, uint64_t x)
{
    for (int shift = 56; shift >= 0; shift -= 8)
    {
        out.push_back(static_cast<uint8_t>(x >> shift));
    }
}

/// The next n bytes of a key stream, from off on.
std::vector<uint8_t>
Take(const std::vector<uint8_t>& stream, size_t& off, uint32_t n)
{
    std::vector<uint8_t> v(stream.begin() + off, stream.begin() + off + n);
    off += n;
    return v;
}

} // namespace

uint32_t
PrfSize(PrfAlgorithm alg)
{
    return static_cast<uint32_t>(EVP_MD_get_size(Digest(alg)));
}

std::vector<uint8_t>
Prf(PrfAlgorithm alg, const std::vector<uint8_t>& key, const std::vector<uint8_t>& data)
{
    std::vector<uint8_t> out(PrfSize(alg));
    unsigned int len = 0;
    static const uint8_t empty = 0;
    HMAC(Digest(alg),
         key.empty() ? &empty : key.data(),
         static_cast<int>(key.size()),
         data.empty() ? &empty : data.data(),
         data.size(),
         out.data(),
         &len);
    NS_ABORT_MSG_IF(len != out.size(), "ikev2: HMAC failed");
    return out;
}

std::vector<uint8_t>
PrfPlus(PrfAlgorithm alg,
        const std::vector<uint8_t>& key,
        const std::vector<uint8_t>& seed,
        uint32_t length)
{
    NS_ABORT_MSG_IF(length > 255 * PrfSize(alg),
                    "ikev2: prf+ cannot produce " << length << " bytes (RFC 7296 §2.13)");
    std::vector<uint8_t> out;
    std::vector<uint8_t> t;
    for (uint32_t n = 1; out.size() < length; ++n)
    {
        std::vector<uint8_t> in = t;
        Append(in, seed);
        in.push_back(static_cast<uint8_t>(n));
        t = Prf(alg, key, in);
        Append(out, t);
    }
    out.resize(length);
    return out;
}

std::vector<uint8_t>
Skeyseed(PrfAlgorithm alg,
         const std::vector<uint8_t>& ni,
         const std::vector<uint8_t>& nr,
         const std::vector<uint8_t>& gir)
{
    std::vector<uint8_t> nonces = ni;
    Append(nonces, nr);
    return Prf(alg, nonces, gir);
}

IkeSaKeys
DeriveIkeSaKeys(PrfAlgorithm alg,
                const std::vector<uint8_t>& skeyseed,
                const std::vector<uint8_t>& ni,
                const std::vector<uint8_t>& nr,
                uint64_t spiI,
                uint64_t spiR,
                const IkeSaKeyLengths& lengths)
{
    std::vector<uint8_t> seed = ni;
    Append(seed, nr);
    AppendU64(seed, spiI);
    AppendU64(seed, spiR);
    std::vector<uint8_t> k =
        PrfPlus(alg, skeyseed, seed, 3 * lengths.prf + 2 * lengths.integ + 2 * lengths.encr);
    size_t off = 0;
    IkeSaKeys keys;
    keys.skD = Take(k, off, lengths.prf);
    keys.skAi = Take(k, off, lengths.integ);
    keys.skAr = Take(k, off, lengths.integ);
    keys.skEi = Take(k, off, lengths.encr);
    keys.skEr = Take(k, off, lengths.encr);
    keys.skPi = Take(k, off, lengths.prf);
    keys.skPr = Take(k, off, lengths.prf);
    return keys;
}

std::vector<uint8_t>
ChildKeymat(PrfAlgorithm alg,
            const std::vector<uint8_t>& skD,
            const std::vector<uint8_t>& gir,
            const std::vector<uint8_t>& ni,
            const std::vector<uint8_t>& nr,
            uint32_t length)
{
    std::vector<uint8_t> seed = gir;
    Append(seed, ni);
    Append(seed, nr);
    return PrfPlus(alg, skD, seed, length);
}

std::vector<uint8_t>
SignedOctets(PrfAlgorithm alg,
             const std::vector<uint8_t>& realMessage,
             const std::vector<uint8_t>& peerNonce,
             const std::vector<uint8_t>& skP,
             const std::vector<uint8_t>& restOfIdPayload)
{
    std::vector<uint8_t> octets = realMessage;
    Append(octets, peerNonce);
    Append(octets, Prf(alg, skP, restOfIdPayload));
    return octets;
}

std::vector<uint8_t>
AuthPsk(PrfAlgorithm alg,
        const std::vector<uint8_t>& sharedSecret,
        const std::vector<uint8_t>& signedOctets)
{
    static const std::string pad = "Key Pad for IKEv2";
    return Prf(alg,
               Prf(alg, sharedSecret, std::vector<uint8_t>(pad.begin(), pad.end())),
               signedOctets);
}

std::vector<uint8_t>
NatDetectionHash(uint64_t spiI, uint64_t spiR, const std::vector<uint8_t>& address, uint16_t port)
{
    std::vector<uint8_t> in;
    AppendU64(in, spiI);
    AppendU64(in, spiR);
    Append(in, address);
    in.push_back(static_cast<uint8_t>(port >> 8));
    in.push_back(static_cast<uint8_t>(port & 0xff));
    std::vector<uint8_t> out(20);
    unsigned int len = 0;
    EVP_Digest(in.data(), in.size(), out.data(), &len, EVP_sha1(), nullptr);
    return out;
}

std::vector<uint8_t>
ModeledSharedSecret(const std::vector<uint8_t>& keI,
                    const std::vector<uint8_t>& keR,
                    uint32_t length)
{
    static const std::string key = "presec-modeled-dh";
    std::vector<uint8_t> seed = keI;
    Append(seed, keR);
    return PrfPlus(PrfAlgorithm::HMAC_SHA1,
                   std::vector<uint8_t>(key.begin(), key.end()),
                   seed,
                   length);
}

} // namespace ikev2
} // namespace ns3
