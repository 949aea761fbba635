/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_IPSEC_CRYPTO_H
#define PRESEC_IPSEC_CRYPTO_H

#include "ipsec-algorithms.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

// OpenSSL's context types (<openssl/types.h> names them EVP_CIPHER_CTX and EVP_MAC_CTX).
struct evp_cipher_ctx_st;
struct evp_mac_ctx_st;

namespace ns3
{

/**
 * \ingroup presec-ipsec
 * How the IPsec transforms treat payload bytes.
 *
 * Both modes put exactly the same number of bytes on the wire (IV, padding and ICV are all
 * present), so sizes, fragmentation and timing do not depend on the mode.
 */
enum class CryptoMode : uint8_t
{
    MODELED, //!< payload left in clear; ICVs are a fast keyed 64-bit tag (detects tampering)
    REAL,    //!< OpenSSL ciphers and HMACs; Wireshark decrypts and verifies the packets
};

/**
 * \param m a mode
 * \return `modeled` or `real`
 */
std::string ToString(CryptoMode m);

/**
 * \ingroup presec-ipsec
 * OpenSSL state for one key set (one SA, or one thread for IpsecCrypto's static functions):
 * cipher and MAC contexts keyed once and reused, so a packet costs an IV set-up instead of a
 * key schedule, and no allocation.
 *
 * Each context remembers the algorithm and key it was keyed with and re-keys when a call
 * passes different ones, so results never depend on what was cached: every method returns
 * exactly what IpsecCrypto's function of the same name returns. Not copyable; not thread-safe
 * (the simulator runs one thread).
 */
class IpsecCryptoContext
{
  public:
    IpsecCryptoContext();
    ~IpsecCryptoContext();

    /** Not copyable: owns OpenSSL contexts. */
    IpsecCryptoContext(const IpsecCryptoContext&) = delete;
    /**
     * Not copyable.
     * \return never
     */
    IpsecCryptoContext& operator=(const IpsecCryptoContext&) = delete;

    /**
     * As IpsecCrypto::EncryptBlock.
     * \param a a CBC algorithm
     * \param key its key
     * \param in one block
     * \param out the encrypted block
     */
    void EncryptBlock(EncryptionAlgorithm a, const uint8_t* key, const uint8_t* in, uint8_t* out);

    /**
     * As IpsecCrypto::CbcEncrypt and IpsecCrypto::CbcDecrypt: one CBC pass over \p data in
     * place.
     * \param a a CBC algorithm
     * \param key its key
     * \param iv the IV (one block)
     * \param data the data
     * \param size its length, a multiple of the block size
     * \param encrypt true to encrypt, false to decrypt
     */
    void Cbc(EncryptionAlgorithm a,
             const uint8_t* key,
             const uint8_t* iv,
             uint8_t* data,
             uint32_t size,
             bool encrypt);

    /**
     * As IpsecCrypto::AeadSeal.
     * \param a an AEAD algorithm
     * \param key its key, salt included
     * \param iv the 8-byte explicit IV
     * \param aad additional authenticated data
     * \param aadSize its length
     * \param data the data
     * \param size its length
     * \param tag where to write the 16-byte ICV
     */
    void AeadSeal(EncryptionAlgorithm a,
                  const uint8_t* key,
                  const uint8_t* iv,
                  const uint8_t* aad,
                  uint32_t aadSize,
                  uint8_t* data,
                  uint32_t size,
                  uint8_t* tag);

    /**
     * As IpsecCrypto::AeadOpen.
     * \param a an AEAD algorithm
     * \param key its key, salt included
     * \param iv the 8-byte explicit IV
     * \param aad additional authenticated data
     * \param aadSize its length
     * \param data the data
     * \param size its length
     * \param tag the received 16-byte ICV
     * \return false if the tag does not verify
     */
    bool AeadOpen(EncryptionAlgorithm a,
                  const uint8_t* key,
                  const uint8_t* iv,
                  const uint8_t* aad,
                  uint32_t aadSize,
                  uint8_t* data,
                  uint32_t size,
                  const uint8_t* tag);

    /**
     * As IpsecCrypto::Hmac.
     * \param a an integrity algorithm other than NONE
     * \param key the key
     * \param keySize its length
     * \param data the covered data
     * \param size its length
     * \param icv where to write GetProperties(a).icvBytes bytes
     */
    void Hmac(AuthenticationAlgorithm a,
              const uint8_t* key,
              uint32_t keySize,
              const uint8_t* data,
              uint32_t size,
              uint8_t* icv);

    /**
     * As IpsecCrypto::SipHash24.
     * \param k0 first key word
     * \param k1 second key word
     * \param data the data
     * \param size its length
     * \return the hash
     */
    uint64_t SipHash24(uint64_t k0, uint64_t k1, const uint8_t* data, uint32_t size);

    /**
     * As IpsecCrypto::ModeledTag; the folded key of each (key, domain) is kept.
     * \param key the key
     * \param keySize its length
     * \param domain separates uses of one key
     * \param data the covered data
     * \param size its length
     * \param out where to write the tag
     * \param outSize its length
     */
    void ModeledTag(const uint8_t* key,
                    uint32_t keySize,
                    uint8_t domain,
                    const uint8_t* data,
                    uint32_t size,
                    uint8_t* out,
                    uint32_t outSize);

  private:
    /** Largest key any context is keyed with (AES-256 or ChaCha20 key + 4-byte salt). */
    static constexpr uint32_t MAX_KEY_BYTES = 36;

    /** A cipher context and the algorithm and key it is keyed with. */
    struct Cipher
    {
        evp_cipher_ctx_st* ctx{nullptr}; //!< created on first use
        int algorithm{-1};               //!< EncryptionAlgorithm keyed, -1 for none
        uint8_t key[MAX_KEY_BYTES]{};    //!< key keyed
    };

    /**
     * Make \p c an ECB, CBC or AEAD context for \p a and \p key, re-keying only on a change.
     * \param c the slot
     * \param a the algorithm
     * \param key its key (GetProperties(a).keyBytes bytes)
     * \param ecb true for the raw block cipher
     * \param encrypt true to encrypt
     * \return the context, keyed, without an IV
     */
    evp_cipher_ctx_st* Keyed(Cipher& c,
                             EncryptionAlgorithm a,
                             const uint8_t* key,
                             bool ecb,
                             bool encrypt);

    /**
     * What AeadSeal and AeadOpen share: nonce, additional data, and \p data in place; the
     * caller finishes (the tag out or in).
     * \param a an AEAD algorithm
     * \param key its key, salt included
     * \param iv the 8-byte explicit IV
     * \param aad additional authenticated data
     * \param aadSize its length
     * \param data the data
     * \param size its length
     * \param encrypt true to seal
     * \param end set to where the final step writes (after what the update wrote)
     * \return the context, ready for its final step
     */
    evp_cipher_ctx_st* AeadUpdate(EncryptionAlgorithm a,
                                  const uint8_t* key,
                                  const uint8_t* iv,
                                  const uint8_t* aad,
                                  uint32_t aadSize,
                                  uint8_t* data,
                                  uint32_t size,
                                  bool encrypt,
                                  uint8_t*& end);

    /** An HMAC context and the key it is keyed with. */
    struct Mac
    {
        evp_mac_ctx_st* ctx{nullptr}; //!< created on first use, digest set
        std::vector<uint8_t> key;     //!< key keyed
        bool keyed{false};            //!< ctx holds \c key
    };

    /** The folded modeled-tag key of one (key, domain). */
    struct TagKey
    {
        std::vector<uint8_t> key; //!< the key given
        int domain{-1};           //!< the domain, -1 for an unused slot
        uint64_t k0{0};           //!< first folded word (SipHash of the key)
        uint64_t k1{0};           //!< second folded word (SipHash of the key)
        /// XXH3's secret, expanded from k0 || k1 once: a packet costs one XXH3 pass.
        std::array<uint8_t, 192> secret{};
    };

    Cipher m_encrypt;                //!< CBC or AEAD encryption
    Cipher m_decrypt;                //!< CBC or AEAD decryption
    Cipher m_block;                  //!< ECB for CBC IV derivation
    std::array<Mac, 3> m_hmac;       //!< per AuthenticationAlgorithm
    evp_mac_ctx_st* m_sip{nullptr};  //!< SIPHASH, 64-bit output
    std::array<TagKey, 3> m_tagKeys; //!< ESP uses two (ICV, IV), AH one
    size_t m_nextTagKey{0};          //!< slot the next new (key, domain) replaces
};

/**
 * \ingroup presec-ipsec
 * Crypto primitives of the IPsec transforms: OpenSSL (libcrypto EVP) for the real
 * algorithms, and the cheap keyed tag of the modeled mode.
 *
 * All functions work on caller-owned contiguous buffers so that a transform can use one
 * reusable scratch buffer per packet. Keys must have the lengths of GetProperties(); AEAD keys
 * carry the 4-byte salt at the end (RFC 4106 §8.1, RFC 7634 §4). OpenSSL failures other than
 * an AEAD tag mismatch are programming errors and abort.
 *
 * These static functions run on one IpsecCryptoContext per thread, which re-keys whenever the
 * key changes; the transforms use their SA's own context instead, so a packet only sets its IV.
 */
class IpsecCrypto
{
  public:
    /** Largest ICV any supported algorithm produces, in bytes. */
    static constexpr uint32_t MAX_ICV_BYTES = 32;

    /**
     * \param a an encryption algorithm
     * \return true for AES-GCM and ChaCha20-Poly1305
     */
    static bool IsAead(EncryptionAlgorithm a);

    /**
     * \param a an encryption algorithm
     * \return true for the CBC ciphers (AES-CBC, 3DES-CBC)
     */
    static bool IsCbc(EncryptionAlgorithm a);

    /**
     * Encrypt one cipher block with the raw block cipher (ECB), used to derive CBC IVs
     * (NIST SP 800-38A appendix C: the forward cipher applied to a nonce).
     * \param a a CBC algorithm
     * \param key its key
     * \param in one block (16 bytes for AES, 8 for 3DES)
     * \param out the encrypted block
     */
    static void EncryptBlock(EncryptionAlgorithm a,
                             const uint8_t* key,
                             const uint8_t* in,
                             uint8_t* out);

    /**
     * CBC-encrypt in place without padding (ESP pads itself).
     * \param a a CBC algorithm
     * \param key its key
     * \param iv the IV (one block)
     * \param data the data
     * \param size its length, a multiple of the block size
     */
    static void CbcEncrypt(EncryptionAlgorithm a,
                           const uint8_t* key,
                           const uint8_t* iv,
                           uint8_t* data,
                           uint32_t size);

    /**
     * CBC-decrypt in place without padding.
     * \param a a CBC algorithm
     * \param key its key
     * \param iv the IV (one block)
     * \param data the data
     * \param size its length, a multiple of the block size
     */
    static void CbcDecrypt(EncryptionAlgorithm a,
                           const uint8_t* key,
                           const uint8_t* iv,
                           uint8_t* data,
                           uint32_t size);

    /**
     * AEAD-encrypt in place. Nonce = salt (last 4 key bytes) || 8-byte IV (RFC 4106 §4,
     * RFC 7634 §2).
     * \param a an AEAD algorithm
     * \param key its key, salt included
     * \param iv the 8-byte explicit IV
     * \param aad additional authenticated data (ESP: SPI || sequence number)
     * \param aadSize its length
     * \param data the data
     * \param size its length
     * \param tag where to write the 16-byte ICV
     */
    static void AeadSeal(EncryptionAlgorithm a,
                         const uint8_t* key,
                         const uint8_t* iv,
                         const uint8_t* aad,
                         uint32_t aadSize,
                         uint8_t* data,
                         uint32_t size,
                         uint8_t* tag);

    /**
     * AEAD-decrypt in place and verify the tag.
     * \param a an AEAD algorithm
     * \param key its key, salt included
     * \param iv the 8-byte explicit IV
     * \param aad additional authenticated data
     * \param aadSize its length
     * \param data the data
     * \param size its length
     * \param tag the received 16-byte ICV
     * \return false if the tag does not verify (data is then undefined)
     */
    static bool AeadOpen(EncryptionAlgorithm a,
                         const uint8_t* key,
                         const uint8_t* iv,
                         const uint8_t* aad,
                         uint32_t aadSize,
                         uint8_t* data,
                         uint32_t size,
                         const uint8_t* tag);

    /**
     * Truncated HMAC (RFC 2404, RFC 4868).
     * \param a an integrity algorithm other than NONE
     * \param key the key
     * \param keySize its length
     * \param data the covered data
     * \param size its length
     * \param icv where to write GetProperties(a).icvBytes bytes
     */
    static void Hmac(AuthenticationAlgorithm a,
                     const uint8_t* key,
                     uint32_t keySize,
                     const uint8_t* data,
                     uint32_t size,
                     uint8_t* icv);

    /**
     * SipHash-2-4 (Aumasson and Bernstein), a keyed 64-bit hash, computed by OpenSSL's
     * `SIPHASH` MAC.
     * \param k0 first key word (the key's first 8 bytes, little-endian)
     * \param k1 second key word
     * \param data the data
     * \param size its length
     * \return the hash
     */
    static uint64_t SipHash24(uint64_t k0, uint64_t k1, const uint8_t* data, uint32_t size);

    /**
     * The modeled mode's ICV: XXH3 (libxxhash) of the data seeded from \p key (any length),
     * then SipHash-2-4 of that under the key folded to 128 bits, expanded to \p outSize bytes.
     * Not a cryptographic MAC, but any accidental or deliberate change to the covered bytes
     * changes it with probability about 1 - 2^-64, at a fraction of the cost of an HMAC.
     * \param key the key (the SA's integrity key, or its cipher key for AEAD)
     * \param keySize its length
     * \param domain separates uses of one key (ICV, IV derivation, ...)
     * \param data the covered data
     * \param size its length
     * \param out where to write the tag
     * \param outSize its length
     */
    static void ModeledTag(const uint8_t* key,
                           uint32_t keySize,
                           uint8_t domain,
                           const uint8_t* data,
                           uint32_t size,
                           uint8_t* out,
                           uint32_t outSize);

    /**
     * Compare without data-dependent timing (for ICVs).
     * \param a first buffer
     * \param b second buffer
     * \param size bytes to compare
     * \return true if equal
     */
    static bool Equal(const uint8_t* a, const uint8_t* b, uint32_t size);
};

} // namespace ns3

#endif // PRESEC_IPSEC_CRYPTO_H
