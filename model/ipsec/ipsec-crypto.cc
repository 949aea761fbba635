/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ipsec-crypto.h"

#include "ns3/abort.h"
#include "ns3/assert.h"
#include "ns3/log.h"

#include <array>
#include <cstring>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <xxhash.h>

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

/** The MAC implementations, fetched once (an implicit fetch costs a provider lookup). */
struct MacTable
{
    EVP_MAC* hmac{EVP_MAC_fetch(nullptr, "HMAC", nullptr)};       //!< HMAC
    EVP_MAC* siphash{EVP_MAC_fetch(nullptr, "SIPHASH", nullptr)}; //!< SipHash

    ~MacTable()
    {
        EVP_MAC_free(hmac);
        EVP_MAC_free(siphash);
    }
};

/**
 * \param name "HMAC" or "SIPHASH"
 * \return a context of that MAC, with \p params set
 * \param params its parameters (digest, output size)
 */
EVP_MAC_CTX*
NewMacContext(const char* name, const OSSL_PARAM* params)
{
    static const MacTable table;
    EVP_MAC* mac = std::strcmp(name, "HMAC") == 0 ? table.hmac : table.siphash;
    EVP_MAC_CTX* ctx = mac != nullptr ? EVP_MAC_CTX_new(mac) : nullptr;
    NS_ABORT_MSG_IF(ctx == nullptr || EVP_MAC_CTX_set_params(ctx, params) <= 0,
                    "OpenSSL " << name << " unavailable with the parameters presec needs");
    return ctx;
}

/** \return a SIPHASH context with a 64-bit output (2 and 4 rounds are the defaults) */
EVP_MAC_CTX*
NewSipHash64()
{
    size_t outSize = 8;
    OSSL_PARAM params[] = {OSSL_PARAM_construct_size_t("size", &outSize),
                           OSSL_PARAM_construct_end()};
    return NewMacContext("SIPHASH", params);
}

/**
 * \return this thread's context for IpsecCrypto's static functions: it re-keys when a call
 * brings another key, which costs what the per-call set-up always cost.
 */
IpsecCryptoContext&
ThreadContext()
{
    thread_local IpsecCryptoContext context;
    return context;
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

/**
 * \param v a value
 * \param out where to write its 8 bytes, little-endian (SipHash's key and word order)
 */
void
WriteLe64(uint64_t v, uint8_t* out)
{
    for (int j = 0; j < 8; ++j)
    {
        out[j] = static_cast<uint8_t>(v >> (8 * j));
    }
}

/**
 * \param p 8 bytes
 * \return them read little-endian
 */
uint64_t
ReadLe64(const uint8_t* p)
{
    uint64_t v = 0;
    for (int j = 7; j >= 0; --j)
    {
        v = v << 8 | p[j];
    }
    return v;
}

/** The splitmix64 finaliser: a bijective 64-bit mixer used to expand a tag. */
inline uint64_t
Mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/**
 * Hash with a SIPHASH context that EVP_MAC_init has keyed or restarted.
 * \param ctx the context
 * \param data the data
 * \param size its length
 * \return the 64-bit hash (SipHash's output bytes read little-endian)
 */
uint64_t
SipHashFinish(EVP_MAC_CTX* ctx, const uint8_t* data, uint32_t size)
{
    Check(EVP_MAC_update(ctx, data, size), "SIPHASH update");
    uint8_t out[8];
    size_t outSize = 0;
    Check(EVP_MAC_final(ctx, out, &outSize, sizeof(out)), "SIPHASH final");
    NS_ABORT_MSG_IF(outSize != sizeof(out), "SIPHASH gave " << outSize << " bytes");
    return ReadLe64(out);
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

IpsecCryptoContext::IpsecCryptoContext() = default;

IpsecCryptoContext::~IpsecCryptoContext()
{
    EVP_CIPHER_CTX_free(m_encrypt.ctx);
    EVP_CIPHER_CTX_free(m_decrypt.ctx);
    EVP_CIPHER_CTX_free(m_block.ctx);
    for (Mac& m : m_hmac)
    {
        EVP_MAC_CTX_free(m.ctx);
    }
    EVP_MAC_CTX_free(m_sip);
}

EVP_CIPHER_CTX*
IpsecCryptoContext::Keyed(Cipher& c,
                          EncryptionAlgorithm a,
                          const uint8_t* key,
                          bool ecb,
                          bool encrypt)
{
    const uint32_t keyBytes = GetProperties(a).keyBytes;
    NS_ASSERT(keyBytes <= MAX_KEY_BYTES);
    if (c.ctx == nullptr)
    {
        c.ctx = EVP_CIPHER_CTX_new();
        NS_ABORT_MSG_IF(c.ctx == nullptr, "EVP_CIPHER_CTX_new failed");
    }
    // An AEAD key's salt is not part of the cipher key, but comparing it too is harmless.
    if (c.algorithm != static_cast<int>(a) || std::memcmp(c.key, key, keyBytes) != 0)
    {
        Check(EVP_CipherInit_ex2(c.ctx, GetCipher(a, ecb), key, nullptr, encrypt ? 1 : 0, nullptr),
              "cipher key set-up");
        if (!IpsecCrypto::IsAead(a))
        {
            // ESP pads itself. AEAD modes never pad, and a no-padding flag would make OpenSSL
            // set it again on every IV-only init.
            EVP_CIPHER_CTX_set_padding(c.ctx, 0);
        }
        c.algorithm = static_cast<int>(a);
        std::memcpy(c.key, key, keyBytes);
    }
    return c.ctx;
}

void
IpsecCryptoContext::EncryptBlock(EncryptionAlgorithm a,
                                 const uint8_t* key,
                                 const uint8_t* in,
                                 uint8_t* out)
{
    NS_ASSERT(IpsecCrypto::IsCbc(a));
    // ECB keeps no state between blocks: the keyed context needs no re-init per block.
    EVP_CIPHER_CTX* ctx = Keyed(m_block, a, key, true, true);
    int outl = 0;
    Check(EVP_EncryptUpdate(ctx, out, &outl, in, GetProperties(a).blockBytes), "ECB update");
}

void
IpsecCryptoContext::Cbc(EncryptionAlgorithm a,
                        const uint8_t* key,
                        const uint8_t* iv,
                        uint8_t* data,
                        uint32_t size,
                        bool encrypt)
{
    NS_LOG_FUNCTION(this << static_cast<int>(a) << size << encrypt);
    NS_ASSERT(IpsecCrypto::IsCbc(a) && size % GetProperties(a).blockBytes == 0);
    if (size == 0)
    {
        return;
    }
    EVP_CIPHER_CTX* ctx = Keyed(encrypt ? m_encrypt : m_decrypt, a, key, false, encrypt);
    // -1: the direction the context was keyed for.
    Check(EVP_CipherInit_ex2(ctx, nullptr, nullptr, iv, -1, nullptr), "CBC IV");
    EVP_CIPHER_CTX_set_padding(ctx, 0); // cheap, and Final must never add a block
    int outl = 0;
    Check(EVP_CipherUpdate(ctx, data, &outl, data, static_cast<int>(size)), "CBC update");
    int fin = 0;
    Check(EVP_CipherFinal_ex(ctx, data + outl, &fin), "CBC final");
}

evp_cipher_ctx_st*
IpsecCryptoContext::AeadUpdate(EncryptionAlgorithm a,
                               const uint8_t* key,
                               const uint8_t* iv,
                               const uint8_t* aad,
                               uint32_t aadSize,
                               uint8_t* data,
                               uint32_t size,
                               bool encrypt,
                               uint8_t*& end)
{
    NS_LOG_FUNCTION(this << static_cast<int>(a) << size << encrypt);
    NS_ASSERT(IpsecCrypto::IsAead(a));
    uint8_t nonce[12];
    MakeNonce(a, key, iv, nonce);
    EVP_CIPHER_CTX* ctx = Keyed(encrypt ? m_encrypt : m_decrypt, a, key, false, encrypt);
    Check(EVP_CipherInit_ex2(ctx, nullptr, nullptr, nonce, -1, nullptr), "AEAD nonce");
    int outl = 0;
    Check(EVP_CipherUpdate(ctx, nullptr, &outl, aad, static_cast<int>(aadSize)), "AEAD aad");
    end = data;
    if (size > 0)
    {
        Check(EVP_CipherUpdate(ctx, data, &outl, data, static_cast<int>(size)), "AEAD update");
        end = data + outl;
    }
    return ctx;
}

void
IpsecCryptoContext::AeadSeal(EncryptionAlgorithm a,
                             const uint8_t* key,
                             const uint8_t* iv,
                             const uint8_t* aad,
                             uint32_t aadSize,
                             uint8_t* data,
                             uint32_t size,
                             uint8_t* tag)
{
    uint8_t* end = nullptr;
    EVP_CIPHER_CTX* ctx = AeadUpdate(a, key, iv, aad, aadSize, data, size, true, end);
    int fin = 0;
    Check(EVP_EncryptFinal_ex(ctx, end, &fin), "AEAD final");
    // Parameters straight to the provider: the ctrl call is translated into the same
    // parameters through a table search, which cost more than the cipher on short packets.
    OSSL_PARAM params[] = {OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG,
                                                             tag,
                                                             GetProperties(a).aeadIcvBytes),
                           OSSL_PARAM_construct_end()};
    Check(EVP_CIPHER_CTX_get_params(ctx, params), "AEAD get tag");
}

bool
IpsecCryptoContext::AeadOpen(EncryptionAlgorithm a,
                             const uint8_t* key,
                             const uint8_t* iv,
                             const uint8_t* aad,
                             uint32_t aadSize,
                             uint8_t* data,
                             uint32_t size,
                             const uint8_t* tag)
{
    uint8_t* end = nullptr;
    EVP_CIPHER_CTX* ctx = AeadUpdate(a, key, iv, aad, aadSize, data, size, false, end);
    // As in AeadSeal: the parameter directly, not through the ctrl translation.
    OSSL_PARAM params[] = {OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG,
                                                             const_cast<uint8_t*>(tag),
                                                             GetProperties(a).aeadIcvBytes),
                           OSSL_PARAM_construct_end()};
    Check(EVP_CIPHER_CTX_set_params(ctx, params), "AEAD set tag");
    int fin = 0;
    return EVP_DecryptFinal_ex(ctx, end, &fin) > 0;
}

void
IpsecCryptoContext::Hmac(AuthenticationAlgorithm a,
                         const uint8_t* key,
                         uint32_t keySize,
                         const uint8_t* data,
                         uint32_t size,
                         uint8_t* icv)
{
    NS_LOG_FUNCTION(this << static_cast<int>(a) << size);
    NS_ASSERT(a != AuthenticationAlgorithm::NONE);
    Mac& m = m_hmac[static_cast<int>(a)];
    if (m.ctx == nullptr)
    {
        const char* const digests[] = {nullptr, "SHA1", "SHA256"};
        OSSL_PARAM params[] = {
            OSSL_PARAM_construct_utf8_string("digest",
                                             const_cast<char*>(digests[static_cast<int>(a)]),
                                             0),
            OSSL_PARAM_construct_end()};
        m.ctx = NewMacContext("HMAC", params);
    }
    if (m.keyed && m.key.size() == keySize && std::memcmp(m.key.data(), key, keySize) == 0)
    {
        // Same key: OpenSSL restarts from the stored inner and outer pads.
        Check(EVP_MAC_init(m.ctx, nullptr, 0, nullptr), "HMAC init");
    }
    else
    {
        Check(EVP_MAC_init(m.ctx, key, keySize, nullptr), "HMAC key set-up");
        m.key.assign(key, key + keySize);
        m.keyed = true;
    }
    Check(EVP_MAC_update(m.ctx, data, size), "HMAC update");
    uint8_t full[EVP_MAX_MD_SIZE];
    size_t fullSize = 0;
    Check(EVP_MAC_final(m.ctx, full, &fullSize, sizeof(full)), "HMAC final");
    std::memcpy(icv, full, GetProperties(a).icvBytes);
}

uint64_t
IpsecCryptoContext::SipHash24(uint64_t k0, uint64_t k1, const uint8_t* data, uint32_t size)
{
    if (m_sip == nullptr)
    {
        m_sip = NewSipHash64();
    }
    // SipHash's key set-up is four XORs: giving the key each time costs nothing and keeps one
    // context for every key this context sees.
    uint8_t key[16];
    WriteLe64(k0, key);
    WriteLe64(k1, key + 8);
    Check(EVP_MAC_init(m_sip, key, sizeof(key), nullptr), "SIPHASH init");
    return SipHashFinish(m_sip, data, size);
}

void
IpsecCryptoContext::ModeledTag(const uint8_t* key,
                               uint32_t keySize,
                               uint8_t domain,
                               const uint8_t* data,
                               uint32_t size,
                               uint8_t* out,
                               uint32_t outSize)
{
    TagKey* tk = nullptr;
    for (TagKey& t : m_tagKeys)
    {
        if (t.domain == domain && t.key.size() == keySize &&
            (keySize == 0 || std::memcmp(t.key.data(), key, keySize) == 0))
        {
            tk = &t;
            break;
        }
    }
    if (tk == nullptr)
    {
        // Fold a key of any length into 128 bits with SipHash (the domain byte makes tags for
        // different purposes under one key unrelated), then expand them into XXH3's secret.
        // The per-packet work is then one XXH3 pass: SipHash through OpenSSL's EVP_MAC costs
        // more per call (~80 ns) than XXH3 over a whole packet.
        tk = &m_tagKeys[m_nextTagKey];
        m_nextTagKey = (m_nextTagKey + 1) % m_tagKeys.size();
        tk->key.assign(key, key + keySize);
        tk->domain = domain;
        tk->k0 = SipHash24(0x0123456789abcdefULL ^ domain, 0xfedcba9876543210ULL, key, keySize);
        tk->k1 = SipHash24(0x243f6a8885a308d3ULL, 0x13198a2e03707344ULL ^ domain, key, keySize);
        for (size_t i = 0; i < tk->secret.size(); i += 8)
        {
            uint64_t w = Mix64(tk->k0 + (i / 8 + 1) * 0x9e3779b97f4a7c15ULL) ^
                         Mix64(tk->k1 ^ (i / 8) * 0xc2b2ae3d27d4eb4fULL);
            WriteLe64(w, tk->secret.data() + i);
        }
    }
    static_assert(sizeof(TagKey::secret) >= XXH3_SECRET_SIZE_MIN, "XXH3 secret too short");
    XXH128_hash_t h = XXH3_128bits_withSecret(data, size, tk->secret.data(), tk->secret.size());
    for (uint32_t i = 0; i < outSize; i += 8)
    {
        uint64_t block = i == 0   ? h.high64
                         : i == 8 ? h.low64
                                  : Mix64((h.low64 + (i / 8) * 0x9e3779b97f4a7c15ULL) ^ tk->k1);
        for (uint32_t j = 0; j < 8 && i + j < outSize; ++j)
        {
            out[i + j] = static_cast<uint8_t>(block >> (56 - 8 * j));
        }
    }
}

void
IpsecCrypto::EncryptBlock(EncryptionAlgorithm a,
                          const uint8_t* key,
                          const uint8_t* in,
                          uint8_t* out)
{
    ThreadContext().EncryptBlock(a, key, in, out);
}

void
IpsecCrypto::CbcEncrypt(EncryptionAlgorithm a,
                        const uint8_t* key,
                        const uint8_t* iv,
                        uint8_t* data,
                        uint32_t size)
{
    ThreadContext().Cbc(a, key, iv, data, size, true);
}

void
IpsecCrypto::CbcDecrypt(EncryptionAlgorithm a,
                        const uint8_t* key,
                        const uint8_t* iv,
                        uint8_t* data,
                        uint32_t size)
{
    ThreadContext().Cbc(a, key, iv, data, size, false);
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
    ThreadContext().AeadSeal(a, key, iv, aad, aadSize, data, size, tag);
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
    return ThreadContext().AeadOpen(a, key, iv, aad, aadSize, data, size, tag);
}

void
IpsecCrypto::Hmac(AuthenticationAlgorithm a,
                  const uint8_t* key,
                  uint32_t keySize,
                  const uint8_t* data,
                  uint32_t size,
                  uint8_t* icv)
{
    ThreadContext().Hmac(a, key, keySize, data, size, icv);
}

uint64_t
IpsecCrypto::SipHash24(uint64_t k0, uint64_t k1, const uint8_t* data, uint32_t size)
{
    return ThreadContext().SipHash24(k0, k1, data, size);
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
    ThreadContext().ModeledTag(key, keySize, domain, data, size, out, outSize);
}

bool
IpsecCrypto::Equal(const uint8_t* a, const uint8_t* b, uint32_t size)
{
    return size == 0 || CRYPTO_memcmp(a, b, size) == 0;
}

} // namespace ns3
