/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ipsec-crypto.h"

#include "ns3/abort.h"
#include "ns3/assert.h"
#include "ns3/log.h"

#include <array>
#include <cstring>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpsecCrypto");

namespace
{

constexpr int kAlgorithmCount = 7; //!< number of EncryptionAlgorithm values

/**
 * OpenSSL cipher objects, fetched once: an implicit fetch on every EVP_*Init call costs a
 * provider lookup per packet in OpenSSL 3.
 */
struct CipherTable
{
    std::array<EVP_CIPHER*, kAlgorithmCount> mode{}; //!< the ESP cipher (CBC or AEAD)
    std::array<EVP_CIPHER*, kAlgorithmCount> ecb{};  //!< raw block cipher for IV derivation

    CipherTable()
    {
        const char* const modeNames[kAlgorithmCount] = {nullptr,
                                                        "AES-128-CBC",
                                                        "AES-256-CBC",
                                                        "AES-128-GCM",
                                                        "AES-256-GCM",
                                                        "DES-EDE3-CBC",
                                                        "ChaCha20-Poly1305"};
        const char* const ecbNames[kAlgorithmCount] =
            {nullptr, "AES-128-ECB", "AES-256-ECB", nullptr, nullptr, "DES-EDE3-ECB", nullptr};
        for (int i = 0; i < kAlgorithmCount; ++i)
        {
            if (modeNames[i] != nullptr)
            {
                mode[i] = EVP_CIPHER_fetch(nullptr, modeNames[i], nullptr);
            }
            if (ecbNames[i] != nullptr)
            {
                ecb[i] = EVP_CIPHER_fetch(nullptr, ecbNames[i], nullptr);
            }
        }
    }

    ~CipherTable()
    {
        for (int i = 0; i < kAlgorithmCount; ++i)
        {
            EVP_CIPHER_free(mode[i]);
            EVP_CIPHER_free(ecb[i]);
        }
    }
};

/**
 * \param a an algorithm
 * \param ecb true for the raw block cipher
 * \return the fetched cipher
 */
const EVP_CIPHER*
GetCipher(EncryptionAlgorithm a, bool ecb)
{
    static const CipherTable table;
    const EVP_CIPHER* c = ecb ? table.ecb[static_cast<int>(a)] : table.mode[static_cast<int>(a)];
    NS_ABORT_MSG_IF(c == nullptr, "OpenSSL has no cipher for " << ToString(a));
    return c;
}

/** One cipher context per thread, reused: allocating one per packet is measurable. */
struct ContextHolder
{
    EVP_CIPHER_CTX* ctx{EVP_CIPHER_CTX_new()}; //!< the context

    ~ContextHolder()
    {
        EVP_CIPHER_CTX_free(ctx);
    }
};

/** \return this thread's cipher context */
EVP_CIPHER_CTX*
Context()
{
    thread_local ContextHolder holder;
    NS_ABORT_MSG_IF(holder.ctx == nullptr, "EVP_CIPHER_CTX_new failed");
    return holder.ctx;
}

/**
 * HMAC contexts per thread, one per digest, with the digest set once: the one-shot HMAC()
 * fetches the MAC and the digest on every call, which doubles the cost of a small packet.
 */
struct MacHolder
{
    EVP_MAC* mac{EVP_MAC_fetch(nullptr, "HMAC", nullptr)}; //!< the HMAC implementation
    std::array<EVP_MAC_CTX*, 3> ctx{};                     //!< per AuthenticationAlgorithm

    MacHolder()
    {
        NS_ABORT_MSG_IF(mac == nullptr, "OpenSSL has no HMAC");
        const char* const digests[] = {nullptr, "SHA1", "SHA256"};
        for (size_t i = 1; i < ctx.size(); ++i)
        {
            ctx[i] = EVP_MAC_CTX_new(mac);
            OSSL_PARAM params[] = {
                OSSL_PARAM_construct_utf8_string("digest", const_cast<char*>(digests[i]), 0),
                OSSL_PARAM_construct_end()};
            NS_ABORT_MSG_IF(ctx[i] == nullptr || EVP_MAC_CTX_set_params(ctx[i], params) <= 0,
                            "OpenSSL HMAC-" << digests[i] << " unavailable");
        }
    }

    ~MacHolder()
    {
        for (auto c : ctx)
        {
            EVP_MAC_CTX_free(c);
        }
        EVP_MAC_free(mac);
    }
};

/**
 * \param a an integrity algorithm other than NONE
 * \return this thread's HMAC context for it
 */
EVP_MAC_CTX*
MacContext(AuthenticationAlgorithm a)
{
    thread_local MacHolder holder;
    return holder.ctx[static_cast<int>(a)];
}

/**
 * Abort on an OpenSSL failure that only a programming error can cause.
 * \param ok the call's return value
 * \param what the call
 */
void
Check(int ok, const char* what)
{
    NS_ABORT_MSG_IF(ok <= 0, "OpenSSL " << what << " failed");
}

/**
 * Build the 12-byte AEAD nonce: salt (last 4 key bytes) || explicit IV.
 * \param a the algorithm
 * \param key its key, salt included
 * \param iv the 8-byte IV
 * \param nonce where to write 12 bytes
 */
void
MakeNonce(EncryptionAlgorithm a, const uint8_t* key, const uint8_t* iv, uint8_t* nonce)
{
    std::memcpy(nonce, key + GetProperties(a).keyBytes - 4, 4);
    std::memcpy(nonce + 4, iv, 8);
}

inline uint64_t
Rotl(uint64_t x, int b)
{
    return (x << b) | (x >> (64 - b));
}

inline uint64_t
ReadLe64(const uint8_t* p)
{
    // Byte by byte so the result does not depend on host byte order; compilers turn this
    // into one load on little-endian hosts.
    return uint64_t(p[0]) | uint64_t(p[1]) << 8 | uint64_t(p[2]) << 16 | uint64_t(p[3]) << 24 |
           uint64_t(p[4]) << 32 | uint64_t(p[5]) << 40 | uint64_t(p[6]) << 48 |
           uint64_t(p[7]) << 56;
}

/** The splitmix64 finaliser: a bijective 64-bit mixer used to expand a tag. */
inline uint64_t
Mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

} // namespace

std::string
ToString(CryptoMode m)
{
    return m == CryptoMode::REAL ? "real" : "modeled";
}

bool
IpsecCrypto::IsAead(EncryptionAlgorithm a)
{
    return GetProperties(a).aeadIcvBytes > 0;
}

bool
IpsecCrypto::IsCbc(EncryptionAlgorithm a)
{
    return a == EncryptionAlgorithm::AES_128_CBC || a == EncryptionAlgorithm::AES_256_CBC ||
           a == EncryptionAlgorithm::TRIPLE_DES_CBC;
}

void
IpsecCrypto::EncryptBlock(EncryptionAlgorithm a,
                          const uint8_t* key,
                          const uint8_t* in,
                          uint8_t* out)
{
    NS_ASSERT(IsCbc(a));
    EVP_CIPHER_CTX* ctx = Context();
    Check(EVP_EncryptInit_ex2(ctx, GetCipher(a, true), key, nullptr, nullptr), "ECB init");
    EVP_CIPHER_CTX_set_padding(ctx, 0);
    int outl = 0;
    Check(EVP_EncryptUpdate(ctx, out, &outl, in, GetProperties(a).blockBytes), "ECB update");
}

void
IpsecCrypto::CbcEncrypt(EncryptionAlgorithm a,
                        const uint8_t* key,
                        const uint8_t* iv,
                        uint8_t* data,
                        uint32_t size)
{
    NS_LOG_FUNCTION(static_cast<int>(a) << size);
    NS_ASSERT(IsCbc(a) && size % GetProperties(a).blockBytes == 0);
    if (size == 0)
    {
        return;
    }
    EVP_CIPHER_CTX* ctx = Context();
    Check(EVP_EncryptInit_ex2(ctx, GetCipher(a, false), key, iv, nullptr), "CBC init");
    EVP_CIPHER_CTX_set_padding(ctx, 0);
    int outl = 0;
    Check(EVP_EncryptUpdate(ctx, data, &outl, data, static_cast<int>(size)), "CBC update");
    int fin = 0;
    Check(EVP_EncryptFinal_ex(ctx, data + outl, &fin), "CBC final");
}

void
IpsecCrypto::CbcDecrypt(EncryptionAlgorithm a,
                        const uint8_t* key,
                        const uint8_t* iv,
                        uint8_t* data,
                        uint32_t size)
{
    NS_LOG_FUNCTION(static_cast<int>(a) << size);
    NS_ASSERT(IsCbc(a) && size % GetProperties(a).blockBytes == 0);
    if (size == 0)
    {
        return;
    }
    EVP_CIPHER_CTX* ctx = Context();
    Check(EVP_DecryptInit_ex2(ctx, GetCipher(a, false), key, iv, nullptr), "CBC init");
    EVP_CIPHER_CTX_set_padding(ctx, 0);
    int outl = 0;
    Check(EVP_DecryptUpdate(ctx, data, &outl, data, static_cast<int>(size)), "CBC update");
    int fin = 0;
    Check(EVP_DecryptFinal_ex(ctx, data + outl, &fin), "CBC final");
}

void
IpsecCrypto::AeadSeal(EncryptionAlgorithm a,
                      const uint8_t* key,
                      const uint8_t* iv,
                      const uint8_t* aad,
                      uint32_t aadSize,
                      uint8_t* data,
                      uint32_t size,
                      uint8_t* tag)
{
    NS_LOG_FUNCTION(static_cast<int>(a) << size);
    NS_ASSERT(IsAead(a));
    uint8_t nonce[12];
    MakeNonce(a, key, iv, nonce);
    EVP_CIPHER_CTX* ctx = Context();
    Check(EVP_EncryptInit_ex2(ctx, GetCipher(a, false), key, nonce, nullptr), "AEAD init");
    int outl = 0;
    Check(EVP_EncryptUpdate(ctx, nullptr, &outl, aad, static_cast<int>(aadSize)), "AEAD aad");
    if (size > 0)
    {
        Check(EVP_EncryptUpdate(ctx, data, &outl, data, static_cast<int>(size)), "AEAD update");
    }
    int fin = 0;
    Check(EVP_EncryptFinal_ex(ctx, data + (size > 0 ? outl : 0), &fin), "AEAD final");
    Check(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, GetProperties(a).aeadIcvBytes, tag),
          "AEAD get tag");
}

bool
IpsecCrypto::AeadOpen(EncryptionAlgorithm a,
                      const uint8_t* key,
                      const uint8_t* iv,
                      const uint8_t* aad,
                      uint32_t aadSize,
                      uint8_t* data,
                      uint32_t size,
                      const uint8_t* tag)
{
    NS_LOG_FUNCTION(static_cast<int>(a) << size);
    NS_ASSERT(IsAead(a));
    uint8_t nonce[12];
    MakeNonce(a, key, iv, nonce);
    uint8_t tagCopy[16];
    std::memcpy(tagCopy, tag, sizeof(tagCopy)); // the ctrl call takes a non-const pointer
    EVP_CIPHER_CTX* ctx = Context();
    Check(EVP_DecryptInit_ex2(ctx, GetCipher(a, false), key, nonce, nullptr), "AEAD init");
    int outl = 0;
    Check(EVP_DecryptUpdate(ctx, nullptr, &outl, aad, static_cast<int>(aadSize)), "AEAD aad");
    if (size > 0)
    {
        Check(EVP_DecryptUpdate(ctx, data, &outl, data, static_cast<int>(size)), "AEAD update");
    }
    Check(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, GetProperties(a).aeadIcvBytes, tagCopy),
          "AEAD set tag");
    int fin = 0;
    return EVP_DecryptFinal_ex(ctx, data + (size > 0 ? outl : 0), &fin) > 0;
}

void
IpsecCrypto::Hmac(AuthenticationAlgorithm a,
                  const uint8_t* key,
                  uint32_t keySize,
                  const uint8_t* data,
                  uint32_t size,
                  uint8_t* icv)
{
    NS_LOG_FUNCTION(static_cast<int>(a) << size);
    NS_ASSERT(a != AuthenticationAlgorithm::NONE);
    EVP_MAC_CTX* ctx = MacContext(a);
    Check(EVP_MAC_init(ctx, key, keySize, nullptr), "HMAC init");
    Check(EVP_MAC_update(ctx, data, size), "HMAC update");
    uint8_t full[EVP_MAX_MD_SIZE];
    size_t fullSize = 0;
    Check(EVP_MAC_final(ctx, full, &fullSize, sizeof(full)), "HMAC final");
    std::memcpy(icv, full, GetProperties(a).icvBytes);
}

uint64_t
IpsecCrypto::SipHash24(uint64_t k0, uint64_t k1, const uint8_t* data, uint32_t size)
{
    uint64_t v0 = 0x736f6d6570736575ULL ^ k0;
    uint64_t v1 = 0x646f72616e646f6dULL ^ k1;
    uint64_t v2 = 0x6c7967656e657261ULL ^ k0;
    uint64_t v3 = 0x7465646279746573ULL ^ k1;
    auto round = [&]() {
        v0 += v1;
        v1 = Rotl(v1, 13);
        v1 ^= v0;
        v0 = Rotl(v0, 32);
        v2 += v3;
        v3 = Rotl(v3, 16);
        v3 ^= v2;
        v0 += v3;
        v3 = Rotl(v3, 21);
        v3 ^= v0;
        v2 += v1;
        v1 = Rotl(v1, 17);
        v1 ^= v2;
        v2 = Rotl(v2, 32);
    };
    uint32_t whole = size & ~7u;
    for (uint32_t i = 0; i < whole; i += 8)
    {
        uint64_t m = ReadLe64(data + i);
        v3 ^= m;
        round();
        round();
        v0 ^= m;
    }
    uint64_t last = uint64_t(size & 0xff) << 56;
    for (uint32_t i = 0; i < (size & 7u); ++i)
    {
        last |= uint64_t(data[whole + i]) << (8 * i);
    }
    v3 ^= last;
    round();
    round();
    v0 ^= last;
    v2 ^= 0xff;
    round();
    round();
    round();
    round();
    return v0 ^ v1 ^ v2 ^ v3;
}

uint64_t
IpsecCrypto::Xxh64(const uint8_t* data, uint32_t size, uint64_t seed)
{
    constexpr uint64_t p1 = 0x9e3779b185ebca87ULL;
    constexpr uint64_t p2 = 0xc2b2ae3d27d4eb4fULL;
    constexpr uint64_t p3 = 0x165667b19e3779f9ULL;
    constexpr uint64_t p4 = 0x85ebca77c2b2ae63ULL;
    constexpr uint64_t p5 = 0x27d4eb2f165667c5ULL;
    auto round = [](uint64_t acc, uint64_t lane) { return Rotl(acc + lane * p2, 31) * p1; };
    auto merge = [&](uint64_t h, uint64_t acc) { return (h ^ round(0, acc)) * p1 + p4; };
    const uint8_t* p = data;
    const uint8_t* end = data + size;
    uint64_t h;
    if (size >= 32)
    {
        uint64_t v1 = seed + p1 + p2;
        uint64_t v2 = seed + p2;
        uint64_t v3 = seed;
        uint64_t v4 = seed - p1;
        for (; p + 32 <= end; p += 32)
        {
            v1 = round(v1, ReadLe64(p));
            v2 = round(v2, ReadLe64(p + 8));
            v3 = round(v3, ReadLe64(p + 16));
            v4 = round(v4, ReadLe64(p + 24));
        }
        h = Rotl(v1, 1) + Rotl(v2, 7) + Rotl(v3, 12) + Rotl(v4, 18);
        h = merge(merge(merge(merge(h, v1), v2), v3), v4);
    }
    else
    {
        h = seed + p5;
    }
    h += size;
    for (; p + 8 <= end; p += 8)
    {
        h = Rotl(h ^ round(0, ReadLe64(p)), 27) * p1 + p4;
    }
    if (p + 4 <= end)
    {
        uint64_t w =
            uint64_t(p[0]) | uint64_t(p[1]) << 8 | uint64_t(p[2]) << 16 | uint64_t(p[3]) << 24;
        h = Rotl(h ^ (w * p1), 23) * p2 + p3;
        p += 4;
    }
    for (; p < end; ++p)
    {
        h = Rotl(h ^ (*p * p5), 11) * p1;
    }
    h ^= h >> 33;
    h *= p2;
    h ^= h >> 29;
    h *= p3;
    h ^= h >> 32;
    return h;
}

void
IpsecCrypto::ModeledTag(const uint8_t* key,
                        uint32_t keySize,
                        uint8_t domain,
                        const uint8_t* data,
                        uint32_t size,
                        uint8_t* out,
                        uint32_t outSize)
{
    // Fold a key of any length into SipHash's 128-bit key; the domain byte makes tags for
    // different purposes under one key unrelated.
    uint64_t k0 = SipHash24(0x0123456789abcdefULL ^ domain, 0xfedcba9876543210ULL, key, keySize);
    uint64_t k1 = SipHash24(0x243f6a8885a308d3ULL, 0x13198a2e03707344ULL ^ domain, key, keySize);
    // XXH64 does the bulk at about 0.1 cycle/byte; SipHash of its result under the full key
    // keeps the tag keyed by all 128 bits.
    uint64_t bulk = Xxh64(data, size, k0);
    uint8_t bulkBytes[8];
    for (int j = 0; j < 8; ++j)
    {
        bulkBytes[j] = static_cast<uint8_t>(bulk >> (8 * j));
    }
    uint64_t h = SipHash24(k0, k1, bulkBytes, sizeof(bulkBytes));
    for (uint32_t i = 0; i < outSize; i += 8)
    {
        uint64_t block = i == 0 ? h : Mix64((h + (i / 8) * 0x9e3779b97f4a7c15ULL) ^ k1);
        for (uint32_t j = 0; j < 8 && i + j < outSize; ++j)
        {
            out[i + j] = static_cast<uint8_t>(block >> (56 - 8 * j));
        }
    }
}

bool
IpsecCrypto::Equal(const uint8_t* a, const uint8_t* b, uint32_t size)
{
    return size == 0 || CRYPTO_memcmp(a, b, size) == 0;
}

} // namespace ns3
