/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_CRYPTO_PROFILE_H
#define PRESEC_CRYPTO_PROFILE_H

#include "ipsec-algorithms.h"

#include "ns3/parse-result.h"
#include "ns3/security-policy.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-ipsec
 * A public-key operation whose CPU cost the IKE model charges.
 *
 * One operation is one call of the primitive as `openssl speed` times it: a Diffie-Hellman
 * "derive" (one scalar multiplication or one modular exponentiation), one signature or one
 * verification. Generating an ephemeral key pair costs about as much as a derive, so one side
 * of a DH exchange is two X25519 (or two FFDH_2048) operations.
 */
enum class KeyOperation : uint8_t
{
    X25519,            //!< RFC 7748 scalar multiplication (IKEv2 group 31)
    FFDH_2048,         //!< 2048-bit MODP modular exponentiation (RFC 3526 group 14)
    RSA2048_SIGN,      //!< RSA-2048 private-key operation (PKCS#1 signature)
    RSA2048_VERIFY,    //!< RSA-2048 public-key operation, e = 65537
    ECDSA_P256_SIGN,   //!< ECDSA signature on NIST P-256
    ECDSA_P256_VERIFY, //!< ECDSA verification on NIST P-256
};

/** Number of KeyOperation values. */
constexpr std::size_t kKeyOperationCount = 6;
/** Number of EncryptionAlgorithm values. */
constexpr std::size_t kEncryptionAlgorithmCount = 7;
/** Number of AuthenticationAlgorithm values. */
constexpr std::size_t kAuthenticationAlgorithmCount = 3;

/**
 * \param op an operation
 * \return its profile-file token (e.g. `x25519`, `rsa2048-sign`)
 */
std::string ToString(KeyOperation op);

/**
 * \param a an algorithm
 * \return its profile-file token: the display name in lower case (e.g. `aes-128-gcm-16`)
 */
std::string ProfileToken(EncryptionAlgorithm a);

/**
 * \param a an algorithm
 * \return its profile-file token: the display name in lower case (e.g. `hmac-sha1-96`)
 */
std::string ProfileToken(AuthenticationAlgorithm a);

/**
 * \ingroup presec-ipsec
 * CPU cost of one symmetric algorithm: a linear model cycles = fixed + perByte * bytes.
 *
 * For an integrity algorithm "encrypt" is computing the ICV on an outbound packet and
 * "decrypt" is recomputing and comparing it on an inbound one.
 */
struct AlgorithmCost
{
    double encryptCyclesPerByte{0}; //!< outbound (encrypt / compute ICV), cycles per byte
    double decryptCyclesPerByte{0}; //!< inbound (decrypt / verify ICV), cycles per byte
    double cyclesPerPacket{0};      //!< fixed cost per packet (IV, tag, call overhead)

    /**
     * \param outbound true for encrypt / compute, false for decrypt / verify
     * \param bytes bytes processed
     * \return cycles
     */
    double Cycles(bool outbound, uint32_t bytes) const;

    /** \param other another cost \return true if every figure is equal */
    bool operator==(const AlgorithmCost& other) const;
};

/**
 * \ingroup presec-ipsec
 * CPU cost figures of one processor and crypto library, in cycles.
 *
 * Costs are in cycles so that one profile serves CPUs of the same kind at different clock
 * rates; CryptoCostModel turns cycles into time with the node's frequency. frequencyHz
 * records the clock at which the figures were measured (and is the default clock).
 *
 * Profiles come from the built-in table (GetBuiltin), from a text file (Load / Parse) or from
 * the presec-calibrate tool, which measures the host with OpenSSL and writes such a file.
 *
 * File format: one `key = value` per line; blank lines and lines starting with `#` are
 * ignored; numbers may be followed by a `# comment`; text values (name, description) take
 * the rest of the line literally. Keys:
 *  - `base = <built-in name>`: optional, and only as the first key; every key not given
 *    keeps the built-in's value. Without `base` every cost key is required.
 *  - `name` (always required), `description` (one line, optional), `frequency_hz`,
 *    `active_power_w` (optional, 0 when absent: the CPU's power while busy, for energy)
 *  - `encryption.<alg>.encrypt_cycles_per_byte`, `.decrypt_cycles_per_byte`,
 *    `.cycles_per_packet` for `<alg>` in aes-128-cbc, aes-256-cbc, aes-128-gcm-16,
 *    aes-256-gcm-16, 3des-cbc, chacha20-poly1305 (NULL encryption costs nothing);
 *  - `authentication.<alg>.…` likewise for hmac-sha1-96, hmac-sha256-128;
 *  - `ipsec.cycles_per_packet`, `ipsec.cycles_per_byte` (AH/ESP/IPComp processing without
 *    the crypto itself);
 *  - `ipcomp.deflate_cycles_per_packet`, `ipcomp.deflate_cycles_per_byte`,
 *    `ipcomp.inflate_cycles_per_packet`, `ipcomp.inflate_cycles_per_byte`;
 *  - `key.<op>.cycles` for `<op>` in x25519, ffdh-2048, rsa2048-sign, rsa2048-verify,
 *    ecdsa-p256-sign, ecdsa-p256-verify.
 * Numbers are decimal, finite and >= 0 (frequency_hz > 0), at most 1e12.
 */
struct CryptoProfile
{
    std::string name;        //!< short name, e.g. `x86-64-aesni`
    std::string description; //!< one line: what was measured and where the figures come from
    double frequencyHz{1e9}; //!< clock at which the cycle figures were taken
    double activePowerW{0};  //!< power of the CPU while it does IPsec work (0: unknown)

    /** Per EncryptionAlgorithm (indexed by its value); NULL_ENC stays zero. */
    std::array<AlgorithmCost, kEncryptionAlgorithmCount> encryption{};
    /** Per AuthenticationAlgorithm (indexed by its value); NONE stays zero. */
    std::array<AlgorithmCost, kAuthenticationAlgorithmCount> authentication{};

    double ipsecCyclesPerPacket{0};   //!< IPsec processing per packet, crypto excluded
    double ipsecCyclesPerByte{0};     //!< IPsec processing per byte, crypto excluded
    double deflateCyclesPerPacket{0}; //!< IPComp compression, fixed (stream reset)
    double deflateCyclesPerByte{0};   //!< IPComp compression, per input byte
    double inflateCyclesPerPacket{0}; //!< IPComp decompression, fixed
    double inflateCyclesPerByte{0};   //!< IPComp decompression, per output byte

    /** Per KeyOperation (indexed by its value), cycles per operation. */
    std::array<double, kKeyOperationCount> keyOperationCycles{};

    /** \param a an algorithm \return its cost (mutable) */
    AlgorithmCost& Cost(EncryptionAlgorithm a);
    /** \param a an algorithm \return its cost */
    const AlgorithmCost& Cost(EncryptionAlgorithm a) const;
    /** \param a an algorithm \return its cost (mutable) */
    AlgorithmCost& Cost(AuthenticationAlgorithm a);
    /** \param a an algorithm \return its cost */
    const AlgorithmCost& Cost(AuthenticationAlgorithm a) const;
    /** \param op an operation \return its cycles (mutable) */
    double& KeyCycles(KeyOperation op);
    /** \param op an operation \return its cycles */
    double KeyCycles(KeyOperation op) const;

    /**
     * Cycles to process one packet.
     *
     * Every protocol pays the IPsec framing cost (ipsec.*). ESP adds the encryption and, if
     * not NONE, the integrity algorithm over `bytes`; AH adds only the integrity algorithm
     * (`enc` is ignored); IPComp adds deflate (outbound) or inflate (inbound) and ignores
     * both algorithms.
     *
     * \param proto ah, esp or ipcomp
     * \param enc the ESP encryption algorithm
     * \param auth the integrity algorithm
     * \param outbound true when protecting, false when checking / removing protection
     * \param bytes bytes the algorithms run over (the payload for ESP, the packet for AH,
     *        the uncompressed payload for IPComp)
     * \return cycles
     */
    double PacketCycles(IpsecProtocol proto,
                        EncryptionAlgorithm enc,
                        AuthenticationAlgorithm auth,
                        bool outbound,
                        uint32_t bytes) const;

    /**
     * A copy with every number rounded to a few significant digits (cycle counts of 1000 or
     * more to whole cycles): measured and derived figures carry noise far above 1e-4, and
     * rounded files are easier to read and compare.
     * \param significantDigits digits to keep (1-17)
     * \return the rounded copy
     */
    CryptoProfile Rounded(int significantDigits = 4) const;

    /** \param other another profile \return true if every field is equal */
    bool operator==(const CryptoProfile& other) const;
    /** \param other another profile \return true if some field differs */
    bool operator!=(const CryptoProfile& other) const;

    /**
     * \param name `x86-64-aesni`, `cortex-a53-ce`, `xscale-pxa250` or `free`
     * \return the built-in profile, or empty when the name is unknown
     */
    static std::optional<CryptoProfile> GetBuiltin(const std::string& name);

    /** \return the names of the built-in profiles */
    static std::vector<std::string> GetBuiltinNames();

    /**
     * Parse profile text (format above). Never aborts: every problem is a failure naming
     * the line.
     * \param text the text
     * \return the profile or the first error
     */
    static ParseResult<CryptoProfile> Parse(const std::string& text);

    /**
     * Read and parse a profile file.
     * \param path the file
     * \return the profile or the first error (including "cannot open")
     */
    static ParseResult<CryptoProfile> Load(const std::string& path);

    /**
     * Write every key in the file format; Parse reads it back to an equal profile (numbers
     * are written in their shortest exact form).
     * \param os the stream
     */
    void Write(std::ostream& os) const;

    /**
     * Write the profile to a file.
     * \param path the file
     * \return true on success
     */
    bool Save(const std::string& path) const;
};

} // namespace ns3

#endif // PRESEC_CRYPTO_PROFILE_H
