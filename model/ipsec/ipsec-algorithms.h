/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_IPSEC_ALGORITHMS_H
#define PRESEC_IPSEC_ALGORITHMS_H

#include <cstdint>
#include <optional>
#include <string>

namespace ns3
{

/**
 * \ingroup presec-ipsec
 * ESP encryption algorithms (RFC 4303 transforms).
 */
enum class EncryptionAlgorithm : uint8_t
{
    NULL_ENC,          //!< RFC 2410, no confidentiality
    AES_128_CBC,       //!< RFC 3602, 16-byte key
    AES_256_CBC,       //!< RFC 3602, 32-byte key
    AES_128_GCM_16,    //!< RFC 4106, 16-byte key + 4-byte salt, 16-byte ICV
    AES_256_GCM_16,    //!< RFC 4106, 32-byte key + 4-byte salt, 16-byte ICV
    TRIPLE_DES_CBC,    //!< RFC 2451, 24-byte key
    CHACHA20_POLY1305, //!< RFC 7634, 32-byte key + 4-byte salt, 16-byte ICV
};

/**
 * \ingroup presec-ipsec
 * Integrity algorithms for ESP and AH.
 */
enum class AuthenticationAlgorithm : uint8_t
{
    NONE,            //!< no separate integrity (AEAD ciphers bring their own)
    HMAC_SHA1_96,    //!< RFC 2404, 20-byte key, 12-byte ICV
    HMAC_SHA256_128, //!< RFC 4868, 32-byte key, 16-byte ICV
};

/**
 * \ingroup presec-ipsec
 * Wire properties of an encryption algorithm, as RFC 4303 sizes them.
 */
struct EncryptionProperties
{
    const char* setkeyName;    //!< name in setkey `-E` (e.g. `aes-cbc`)
    const char* wiresharkName; //!< name in Wireshark's esp_sa table
    uint8_t keyBytes;          //!< key length including any salt
    uint8_t ivBytes;           //!< explicit IV carried in each packet
    uint8_t blockBytes;        //!< payload alignment (pad to this, at least 4)
    uint8_t aeadIcvBytes;      //!< ICV of an AEAD cipher, 0 for others
};

/**
 * \ingroup presec-ipsec
 * Wire properties of an authentication algorithm.
 */
struct AuthenticationProperties
{
    const char* setkeyName;    //!< name in setkey `-A` (e.g. `hmac-sha1`)
    const char* wiresharkName; //!< name in Wireshark's esp_sa table
    uint8_t keyBytes;          //!< key length
    uint8_t icvBytes;          //!< truncated ICV length on the wire
};

/**
 * \param a an algorithm
 * \return its wire properties
 */
const EncryptionProperties& GetProperties(EncryptionAlgorithm a);

/**
 * \param a an algorithm
 * \return its wire properties
 */
const AuthenticationProperties& GetProperties(AuthenticationAlgorithm a);

/**
 * Look up a setkey encryption name (`null`, `aes-cbc`, `rijndael-cbc`, `aes-gcm-16`,
 * `3des-cbc`, `chacha20-poly1305`). AES key size follows from the key length.
 * \param name the name
 * \param keyBytes the key length given (chooses AES-128 or AES-256)
 * \return the algorithm, or empty when unknown
 */
std::optional<EncryptionAlgorithm> EncryptionFromSetkeyName(const std::string& name,
                                                            size_t keyBytes);

/**
 * Look up a setkey authentication name (`hmac-sha1`, `hmac-sha256`, `null`).
 * \param name the name
 * \return the algorithm, or empty when unknown
 */
std::optional<AuthenticationAlgorithm> AuthenticationFromSetkeyName(const std::string& name);

/**
 * \param a an algorithm
 * \return a short display name (e.g. `AES-128-GCM-16`)
 */
std::string ToString(EncryptionAlgorithm a);

/**
 * \param a an algorithm
 * \return a short display name (e.g. `HMAC-SHA1-96`)
 */
std::string ToString(AuthenticationAlgorithm a);

} // namespace ns3

#endif // PRESEC_IPSEC_ALGORITHMS_H
