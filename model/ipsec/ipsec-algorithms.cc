/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ipsec-algorithms.h"

namespace ns3
{

namespace
{

// Sizes: RFC 2410, 3602, 4106, 2451, 7634 (encryption); RFC 2404, 4868 (integrity).
// Wireshark names: the esp_sa UAT of Wireshark 4.0.
const EncryptionProperties kEncryption[] = {
    {"null", "NULL", 0, 0, 4, 0},
    {"aes-cbc", "AES-CBC [RFC3602]", 16, 16, 16, 0},
    {"aes-cbc", "AES-CBC [RFC3602]", 32, 16, 16, 0},
    {"aes-gcm-16", "AES-GCM with 16 octet ICV [RFC4106]", 20, 8, 4, 16},
    {"aes-gcm-16", "AES-GCM with 16 octet ICV [RFC4106]", 36, 8, 4, 16},
    {"3des-cbc", "TripleDES-CBC [RFC2451]", 24, 8, 8, 0},
    {"chacha20-poly1305", "ChaCha20/Poly1305 [RFC7634]", 36, 8, 4, 16},
};

const AuthenticationProperties kAuthentication[] = {
    {"null", "NULL", 0, 0},
    {"hmac-sha1", "HMAC-SHA-1-96 [RFC2404]", 20, 12},
    {"hmac-sha256", "HMAC-SHA-256-128 [RFC4868]", 32, 16},
};

const char* const kEncryptionDisplay[] = {"NULL",
                                          "AES-128-CBC",
                                          "AES-256-CBC",
                                          "AES-128-GCM-16",
                                          "AES-256-GCM-16",
                                          "3DES-CBC",
                                          "ChaCha20-Poly1305"};

const char* const kAuthenticationDisplay[] = {"none", "HMAC-SHA1-96", "HMAC-SHA256-128"};

} // namespace

const EncryptionProperties&
GetProperties(EncryptionAlgorithm a)
{
    return kEncryption[static_cast<int>(a)];
}

const AuthenticationProperties&
GetProperties(AuthenticationAlgorithm a)
{
    return kAuthentication[static_cast<int>(a)];
}

std::optional<EncryptionAlgorithm>
EncryptionFromSetkeyName(const std::string& name, size_t keyBytes)
{
    if (name == "null")
    {
        return EncryptionAlgorithm::NULL_ENC;
    }
    if (name == "aes-cbc" || name == "rijndael-cbc")
    {
        return keyBytes == 32 ? EncryptionAlgorithm::AES_256_CBC : EncryptionAlgorithm::AES_128_CBC;
    }
    if (name == "aes-gcm-16")
    {
        return keyBytes == 36 ? EncryptionAlgorithm::AES_256_GCM_16
                              : EncryptionAlgorithm::AES_128_GCM_16;
    }
    if (name == "3des-cbc")
    {
        return EncryptionAlgorithm::TRIPLE_DES_CBC;
    }
    if (name == "chacha20-poly1305")
    {
        return EncryptionAlgorithm::CHACHA20_POLY1305;
    }
    return std::nullopt;
}

std::optional<AuthenticationAlgorithm>
AuthenticationFromSetkeyName(const std::string& name)
{
    for (int i = 0; i < 3; ++i)
    {
        if (name == kAuthentication[i].setkeyName)
        {
            return static_cast<AuthenticationAlgorithm>(i);
        }
    }
    return std::nullopt;
}

std::string
ToString(EncryptionAlgorithm a)
{
    return kEncryptionDisplay[static_cast<int>(a)];
}

std::string
ToString(AuthenticationAlgorithm a)
{
    return kAuthenticationDisplay[static_cast<int>(a)];
}

} // namespace ns3
