/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_IPSEC_CRYPTO_H
#define PRESEC_IPSEC_CRYPTO_H

#include "ipsec-algorithms.h"

#include <cstdint>
#include <string>

namespace ns3
{

/**
 * \ingroup presec
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
 * \ingroup presec
 * Crypto primitives of the IPsec transforms: OpenSSL (libcrypto EVP) for the real
 * algorithms, and the cheap keyed tag of the modeled mode.
 *
 * All functions work on caller-owned contiguous buffers so that a transform can use one
 * reusable scratch buffer per packet. Keys must have the lengths of GetProperties(); AEAD keys
 * carry the 4-byte salt at the end (RFC 4106 §8.1, RFC 7634 §4). OpenSSL failures other than
 * an AEAD tag mismatch are programming errors and abort.
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
     * SipHash-2-4 (Aumasson and Bernstein), a keyed 64-bit hash.
     * \param k0 first key word
     * \param k1 second key word
     * \param data the data
     * \param size its length
     * \return the hash
     */
    static uint64_t SipHash24(uint64_t k0, uint64_t k1, const uint8_t* data, uint32_t size);

    /**
     * XXH64 (Collet), a fast non-cryptographic 64-bit hash.
     * \param data the data
     * \param size its length
     * \param seed the seed
     * \return the hash, equal to the reference XXH64(data, size, seed)
     */
    static uint64_t Xxh64(const uint8_t* data, uint32_t size, uint64_t seed);

    /**
     * The modeled mode's ICV: XXH64 of the data seeded from \p key (any length), then
     * SipHash-2-4 of that under the key folded to 128 bits, expanded to \p outSize bytes. Not
     * a cryptographic MAC, but any accidental or deliberate change to the covered bytes
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
