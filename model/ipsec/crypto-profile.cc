/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "crypto-profile.h"

#include "ns3/log.h"
#include "ns3/text-util.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <functional>
#include <ostream>
#include <set>
#include <sstream>

namespace ns3
{

using text::Lower;
using text::Trim;

NS_LOG_COMPONENT_DEFINE("CryptoProfile");

namespace
{

/// Largest number a profile file may hold. Far above any real figure (an RSA-4096 signature
/// on a 400 MHz core is ~1e9 cycles), yet small enough that cycles * bytes cannot overflow
/// the uint64_t cycle counts of CryptoCostModel for any packet size.
constexpr double kMaxValue = 1e12;

const char* const kKeyOperationTokens[kKeyOperationCount] = {"x25519",
                                                             "ffdh-2048",
                                                             "rsa2048-sign",
                                                             "rsa2048-verify",
                                                             "ecdsa-p256-sign",
                                                             "ecdsa-p256-verify"};

/// Shortest decimal text that reads back to exactly the same double (std::to_chars), so a
/// saved profile reloads equal and stays readable ("4.1", not "4.0999999999999996").
std::string
FormatNumber(double v)
{
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof(buf), v);
    return std::string(buf, r.ptr);
}

// ---------------------------------------------------------------------------------------
// Figures behind the built-in profiles. Sources (see /work/shared/notes/standards-facts.md,
// "Crypto cost figures"):
//  [S1] `openssl speed -evp` (OpenSSL 3.0) on a 2.3 GHz Xeon with AES-NI ("this machine
//       kind"): bytes per second at 16 B and 16 KiB buffers, key operations in µs.
//  [S2] cycles/byte quoted in OpenSSL's perlasm modules (aesni-x86_64.pl, aesv8-armx.pl,
//       sha1/sha256-armv8.pl, chacha-armv8.pl, poly1305-armv8.pl, poly1305-armv4.pl,
//       chacha-armv4.pl, ghash-armv4.pl).
//  [S3] FreeS/WAN performance notes (Pentium II): IP stack ≈ 5 cycles/byte, IPsec without
//       crypto ≈ 11, HMAC-SHA1 adds ≈ 24, 3DES adds ≈ 116.
//  [S4] published cycles/byte for 2000s embedded cores: XScale PXA250 AES-128 ≈ 42,
//       SHA-256 ≈ 35; ARMv4 SHA-1 ≈ 21.
// Every figure not traceable to these is marked ESTIMATE where it is set.
// ---------------------------------------------------------------------------------------

/// A straight line through two `openssl speed` points: cycles(n) = perPacket + perByte * n.
struct LinearFit
{
    double perPacket; //!< intercept, cycles
    double perByte;   //!< slope, cycles per byte
};

/// Fit the line through two throughput measurements.
/// \param hz clock of the measurement
/// \param n1 small buffer size \param rate1 its throughput, bytes/s
/// \param n2 large buffer size \param rate2 its throughput, bytes/s
constexpr LinearFit
FitSpeed(double hz, double n1, double rate1, double n2, double rate2)
{
    double c1 = n1 / rate1 * hz;
    double c2 = n2 / rate2 * hz;
    double slope = (c2 - c1) / (n2 - n1);
    return LinearFit{std::max(0.0, c1 - slope * n1), slope};
}

constexpr double kXeonHz = 2.3e9; // [S1] clock of the openssl speed run

// [S1] two-point fits. openssl speed counts 1000-byte kilobytes, so "MB/s" is 1e6 B/s.
// constexpr: no static-initialisation order issue if a profile is built during start-up.
constexpr LinearFit kX86Cbc = FitSpeed(kXeonHz, 16, 684e6, 16384, 1.57e9);     // 30 + 1.46/B
constexpr LinearFit kX86Gcm = FitSpeed(kXeonHz, 16, 28.6e6, 16384, 3.23e9);    // 1277 + 0.63/B
constexpr LinearFit kX86Chacha = FitSpeed(kXeonHz, 16, 131e6, 16384, 2.84e9);  // 268 + 0.79/B
constexpr LinearFit kX86Sha1 = FitSpeed(kXeonHz, 16, 41.7e6, 16384, 1.12e9);   // 850 + 2.00/B
constexpr LinearFit kX86Sha256 = FitSpeed(kXeonHz, 16, 42.3e6, 16384, 1.34e9); // 843 + 1.67/B

/// HMAC's fixed part is two compression blocks (inner padding block, outer hash; the
/// ipad/opad states are precomputed once per SA) plus the library's call overhead. The x86
/// fit gives the total; subtracting the 2 x 64 bytes at the fitted slope leaves the overhead
/// (≈ 590 cycles), which the ARM profiles scale by their IPC factor.
double
HmacCallOverhead(const LinearFit& fit)
{
    return std::max(0.0, fit.perPacket - 128 * fit.perByte);
}

/// AES-256 runs 14 rounds where AES-128 runs 10: scale the AES share of a cost by 1.4.
constexpr double kAes256Rounds = 14.0 / 10.0;

/// IPsec framing without crypto, shared by the non-free profiles. [S3] gives IPsec ≈ 11
/// cycles/byte against ≈ 5 for the plain IP stack, so the IPsec part is ≈ 6 cycles/byte at
/// the (MTU-sized) packets measured. That cost is mostly per packet (SPD/SAD lookup, header
/// construction, sequence numbers, replay window), so we split it: one extra pass over the
/// data (≈ 1 cycle/byte, ESTIMATE) and the rest fixed, 1500 * (6 - 1) = 7500 cycles, which
/// reproduces 6 cycles/byte at 1500 bytes while charging small (SIP-sized) packets mostly a
/// fixed cost. [S3] is a Pentium II figure; cycle counts of such control-path code move far
/// less between cores than crypto does, so the same values serve every profile.
constexpr double kIpsecCyclesPerPacket = 7500;
constexpr double kIpsecCyclesPerByte = 1.0;

void
SetCost(CryptoProfile& p, EncryptionAlgorithm a, double enc, double dec, double fixed)
{
    p.Cost(a) = AlgorithmCost{enc, dec, fixed};
}

void
SetCost(CryptoProfile& p, AuthenticationAlgorithm a, double cpb, double fixed)
{
    // Verifying an HMAC recomputes it and compares 12-16 bytes: same cost both ways.
    p.Cost(a) = AlgorithmCost{cpb, cpb, fixed};
}

void
SetKeyMicroseconds(CryptoProfile& p, KeyOperation op, double us, double hz, double factor)
{
    p.KeyCycles(op) = us * 1e-6 * hz * factor;
}

CryptoProfile
MakeX86()
{
    CryptoProfile p;
    p.name = "x86-64-aesni";
    p.description = "x86-64 with AES-NI/PCLMULQDQ, OpenSSL 3.0: per-byte from OpenSSL perlasm "
                    "notes and openssl speed -evp fits on a 2.3 GHz Xeon; per-packet from the "
                    "16 B / 16 KiB fits; IPsec framing from FreeS/WAN (6 c/B at 1500 B)";
    p.frequencyHz = kXeonHz;
    // ESTIMATE: one core of a 2.3 GHz Xeon E5-2670 v3 at load, its TDP over its cores
    // (120 W, 12 cores; Intel ARK).
    p.activePowerW = 10;

    // [S2] aesni-x86_64.pl: CBC encryption is serial (each block waits for the previous
    // one) ≈ 4.1 cycles/byte; CBC decryption is parallel ≈ 1.3. Note [S1]'s 16 KiB figure on
    // this machine kind is 1.46 c/B at the nominal clock, i.e. turbo makes it faster than
    // the perlasm figure: run presec-calibrate for the host at hand.
    SetCost(p, EncryptionAlgorithm::AES_128_CBC, 4.1, 1.3, kX86Cbc.perPacket);
    // ESTIMATE: round count scaling of the AES-128 figures.
    SetCost(p,
            EncryptionAlgorithm::AES_256_CBC,
            4.1 * kAes256Rounds,
            1.3 * kAes256Rounds,
            kX86Cbc.perPacket);
    // [S1] fit: 0.634 c/B, matching [S2]'s 0.63 (Skylake; Haswell 1.0). The large fixed part
    // is per-message GCM setup (J0 encryption, length block, tag) plus EVP call overhead.
    SetCost(p,
            EncryptionAlgorithm::AES_128_GCM_16,
            kX86Gcm.perByte,
            kX86Gcm.perByte,
            kX86Gcm.perPacket);
    // ESTIMATE: about 60% of stitched AES-GCM time is AES on AES-NI cores, so 40% more
    // rounds cost ≈ 25% more.
    SetCost(p,
            EncryptionAlgorithm::AES_256_GCM_16,
            kX86Gcm.perByte * 1.25,
            kX86Gcm.perByte * 1.25,
            kX86Gcm.perPacket);
    // [S1] 3DES 25.9 MB/s at 2.3 GHz = 88.8 c/B. Fixed part: ESTIMATE, as AES-CBC.
    SetCost(p,
            EncryptionAlgorithm::TRIPLE_DES_CBC,
            kXeonHz / 25.9e6,
            kXeonHz / 25.9e6,
            kX86Cbc.perPacket);
    // [S1] fit: 0.79 c/B for ChaCha20 and Poly1305 together, inside [S2]'s ChaCha20 range
    // 0.6 (AVX-512) - 1.2 (AVX2) with Poly1305 interleaved.
    SetCost(p,
            EncryptionAlgorithm::CHACHA20_POLY1305,
            kX86Chacha.perByte,
            kX86Chacha.perByte,
            kX86Chacha.perPacket);
    // [S1] fits of openssl speed hmac(sha1) / hmac(sha256).
    SetCost(p, AuthenticationAlgorithm::HMAC_SHA1_96, kX86Sha1.perByte, kX86Sha1.perPacket);
    SetCost(p, AuthenticationAlgorithm::HMAC_SHA256_128, kX86Sha256.perByte, kX86Sha256.perPacket);

    p.ipsecCyclesPerPacket = kIpsecCyclesPerPacket;
    p.ipsecCyclesPerByte = kIpsecCyclesPerByte;
    // ESTIMATE: zlib deflate at the default level runs at ≈ 50-100 MB/s on such cores for
    // text (≈ 25-45 c/B at 2.3 GHz), inflate at ≈ 300-500 MB/s (≈ 5-8 c/B). Per packet,
    // Linux's IPComp resets the deflate stream, which clears its hash-head table (64 KiB:
    // crypto/deflate.c uses window 2^11 and memLevel MAX_MEM_LEVEL, which the kernel's
    // zconf.h sets to 8): ≈ 5000 cycles; resetting inflate is cheap, but a dynamic-Huffman
    // block makes it build its decoding tables: ≈ 1000 cycles.
    // presec-calibrate measures all four with the same zlib parameters.
    p.deflateCyclesPerPacket = 5000;
    p.deflateCyclesPerByte = 40;
    p.inflateCyclesPerPacket = 1000;
    p.inflateCyclesPerByte = 6;

    // [S1] openssl speed: X25519 36 µs; FFDH-2048 436 µs; RSA-2048 sign 380 µs / verify
    // 17 µs; ECDSA-P256 sign 22 µs / verify 69 µs, at 2.3 GHz.
    SetKeyMicroseconds(p, KeyOperation::X25519, 36, kXeonHz, 1);
    SetKeyMicroseconds(p, KeyOperation::FFDH_2048, 436, kXeonHz, 1);
    SetKeyMicroseconds(p, KeyOperation::RSA2048_SIGN, 380, kXeonHz, 1);
    SetKeyMicroseconds(p, KeyOperation::RSA2048_VERIFY, 17, kXeonHz, 1);
    SetKeyMicroseconds(p, KeyOperation::ECDSA_P256_SIGN, 22, kXeonHz, 1);
    SetKeyMicroseconds(p, KeyOperation::ECDSA_P256_VERIFY, 69, kXeonHz, 1);
    return p;
}

/// An ARM profile borrows the x86 per-packet (call overhead) figures scaled by how many more
/// cycles an in-order core needs for the same control code (ESTIMATE), and the x86 key
/// operation cycles scaled separately for bignum (RSA, FFDH) and elliptic-curve code.
struct ArmScaling
{
    double ipc;    //!< per-packet overhead factor vs the x86 fits
    double bignum; //!< RSA / FFDH cycle factor vs x86
    double curve;  //!< X25519 / ECDSA cycle factor vs x86
};

void
SetArmCommon(CryptoProfile& p, const CryptoProfile& x86, const ArmScaling& s)
{
    for (std::size_t i = 0; i < kEncryptionAlgorithmCount; ++i)
    {
        p.encryption[i].cyclesPerPacket = x86.encryption[i].cyclesPerPacket * s.ipc;
    }
    p.ipsecCyclesPerPacket = kIpsecCyclesPerPacket;
    p.ipsecCyclesPerByte = kIpsecCyclesPerByte;
    p.deflateCyclesPerPacket = x86.deflateCyclesPerPacket * s.ipc;
    p.inflateCyclesPerPacket = x86.inflateCyclesPerPacket * s.ipc;
    p.deflateCyclesPerByte = x86.deflateCyclesPerByte * s.ipc;
    p.inflateCyclesPerByte = x86.inflateCyclesPerByte * s.ipc;
    for (auto op :
         {KeyOperation::RSA2048_SIGN, KeyOperation::RSA2048_VERIFY, KeyOperation::FFDH_2048})
    {
        p.KeyCycles(op) = x86.KeyCycles(op) * s.bignum;
    }
    for (auto op :
         {KeyOperation::X25519, KeyOperation::ECDSA_P256_SIGN, KeyOperation::ECDSA_P256_VERIFY})
    {
        p.KeyCycles(op) = x86.KeyCycles(op) * s.curve;
    }
}

/// HMAC fixed cost on another core: two compression blocks at that core's rate plus the x86
/// call overhead scaled by the IPC factor.
double
HmacFixed(double cyclesPerByte, const LinearFit& x86Fit, double ipc)
{
    return 128 * cyclesPerByte + HmacCallOverhead(x86Fit) * ipc;
}

CryptoProfile
MakeCortexA53()
{
    const CryptoProfile x86 = MakeX86();
    // ESTIMATE: a dual-issue in-order core needs about twice the cycles of a wide
    // out-of-order Xeon for call overhead; bignum code suffers more (slow 64-bit umulh) than
    // curve code.
    const ArmScaling s{2, 8, 5};
    CryptoProfile p;
    p.name = "cortex-a53-ce";
    p.description = "ARM Cortex-A53 (AArch64, crypto extensions), OpenSSL: per-byte from "
                    "OpenSSL perlasm notes; per-packet, 3DES, IPComp and key operations are "
                    "estimates scaled from x86-64-aesni";
    // Raspberry Pi 3 Model B clock; the cycle figures do not depend on it.
    p.frequencyHz = 1.2e9;
    // ESTIMATE: one A53 core of a Raspberry Pi 3 Model B at 1.2 GHz under load: the board
    // draws about 1.5 W more with four cores busy than idle (published bench measurements).
    p.activePowerW = 0.4;
    SetArmCommon(p, x86, s);

    // [S2] aesv8-armx.pl: CBC encrypt 1.32 (the A53 pipelines the serial chain well), CBC
    // decrypt 1.29, CTR 1.46 (notes: ≈ 1.3 / 1.3 / 1.4).
    auto& cbc = p.Cost(EncryptionAlgorithm::AES_128_CBC);
    cbc.encryptCyclesPerByte = 1.3;
    cbc.decryptCyclesPerByte = 1.3;
    auto& cbc256 = p.Cost(EncryptionAlgorithm::AES_256_CBC);
    cbc256.encryptCyclesPerByte = 1.3 * kAes256Rounds; // ESTIMATE: round count
    cbc256.decryptCyclesPerByte = 1.3 * kAes256Rounds;
    // [S2] GCM ≈ CTR 1.4 + GHASH (PMULL) 1.0 = 2.4.
    auto& gcm = p.Cost(EncryptionAlgorithm::AES_128_GCM_16);
    gcm.encryptCyclesPerByte = 2.4;
    gcm.decryptCyclesPerByte = 2.4;
    auto& gcm256 = p.Cost(EncryptionAlgorithm::AES_256_GCM_16);
    gcm256.encryptCyclesPerByte = 1.4 * kAes256Rounds + 1.0; // ESTIMATE: CTR part scaled
    gcm256.decryptCyclesPerByte = 1.4 * kAes256Rounds + 1.0;
    // ESTIMATE: no 3DES figure for the A53; [S3] has 3DES ≈ 116 c/B on a Pentium II and
    // [S1] 89 c/B on a Xeon, table-driven DES gains nothing from the crypto extensions, and an
    // in-order core does not beat either: 120.
    auto& des = p.Cost(EncryptionAlgorithm::TRIPLE_DES_CBC);
    des.encryptCyclesPerByte = 120;
    des.decryptCyclesPerByte = 120;
    // [S2] chacha-armv8.pl: ChaCha20 4.1-4.7 c/B on the A53 (midpoint 4.4);
    // poly1305-armv8.pl: Poly1305 1.47 c/B (NEON). The AEAD runs both.
    auto& chacha = p.Cost(EncryptionAlgorithm::CHACHA20_POLY1305);
    chacha.encryptCyclesPerByte = 4.4 + 1.47;
    chacha.decryptCyclesPerByte = 4.4 + 1.47;
    // [S2] sha1-armv8.pl ≈ 2.2, sha256-armv8.pl 2.38 (SHA-256 hardware) c/B.
    SetCost(p, AuthenticationAlgorithm::HMAC_SHA1_96, 2.2, HmacFixed(2.2, kX86Sha1, s.ipc));
    SetCost(p, AuthenticationAlgorithm::HMAC_SHA256_128, 2.4, HmacFixed(2.4, kX86Sha256, s.ipc));
    return p;
}

CryptoProfile
MakeXscale()
{
    const CryptoProfile x86 = MakeX86();
    // ESTIMATE: single-issue ARMv5TE core, 32-bit limbs (four times the limb products of
    // 64-bit code) and a multi-cycle multiplier.
    const ArmScaling s{3, 25, 20};
    CryptoProfile p;
    p.name = "xscale-pxa250";
    p.description = "Intel XScale PXA250 (ARMv5TE, 400 MHz), 2000s handheld: AES/SHA per-byte "
                    "from published figures; GCM, ChaCha20-Poly1305, 3DES, per-packet, IPComp "
                    "and key operations are estimates";
    p.frequencyHz = 400e6; // the PXA250's usual top clock
    // ESTIMATE: the PXA250 core in run mode at 400 MHz (Intel PXA250 electrical
    // specifications: a few hundred mW at 1.3 V).
    p.activePowerW = 0.4;
    SetArmCommon(p, x86, s);

    // [S4] AES-128 ≈ 42 c/B (table-driven: decryption costs the same).
    for (auto a : {EncryptionAlgorithm::AES_128_CBC, EncryptionAlgorithm::AES_256_CBC})
    {
        double scale = a == EncryptionAlgorithm::AES_256_CBC ? kAes256Rounds : 1.0; // ESTIMATE
        p.Cost(a).encryptCyclesPerByte = 42 * scale;
        p.Cost(a).decryptCyclesPerByte = 42 * scale;
    }
    // ESTIMATE: CTR ≈ AES + GHASH with 4-bit tables, which ghash-armv4.pl puts at "< 40
    // cycles" per byte on a single-issue core (23.5 measured on the dual-issue Cortex-A8).
    for (auto a : {EncryptionAlgorithm::AES_128_GCM_16, EncryptionAlgorithm::AES_256_GCM_16})
    {
        double scale = a == EncryptionAlgorithm::AES_256_GCM_16 ? kAes256Rounds : 1.0;
        p.Cost(a).encryptCyclesPerByte = 42 * scale + 40;
        p.Cost(a).decryptCyclesPerByte = 42 * scale + 40;
    }
    // ESTIMATE: [S3]'s 116 c/B for 3DES on a Pentium II, +30% for the narrower core.
    auto& des = p.Cost(EncryptionAlgorithm::TRIPLE_DES_CBC);
    des.encryptCyclesPerByte = 150;
    des.decryptCyclesPerByte = 150;
    // ESTIMATE from the nearest in-order integer-only cores in [S2]: ChaCha20 19.3 c/B
    // (Cortex-A5, chacha-armv4.pl) + Poly1305 7.78 c/B (ARM11, poly1305-armv4.pl).
    auto& chacha = p.Cost(EncryptionAlgorithm::CHACHA20_POLY1305);
    chacha.encryptCyclesPerByte = 19.3 + 7.78;
    chacha.decryptCyclesPerByte = 19.3 + 7.78;
    // [S4] SHA-1 ≈ 21 (ARMv4), SHA-256 ≈ 35 c/B.
    SetCost(p, AuthenticationAlgorithm::HMAC_SHA1_96, 21, HmacFixed(21, kX86Sha1, s.ipc));
    SetCost(p, AuthenticationAlgorithm::HMAC_SHA256_128, 35, HmacFixed(35, kX86Sha256, s.ipc));
    return p;
}

CryptoProfile
MakeFree()
{
    CryptoProfile p;
    p.name = "free";
    p.description = "zero cost: IPsec processing takes no simulated time";
    p.frequencyHz = 1e9; // any positive clock; every cost is zero
    return p;
}

/// One numeric key of the file format and the field it sets.
struct NumericKey
{
    std::string key;                              //!< the key text
    std::function<double&(CryptoProfile&)> field; //!< the field it sets
    bool positive;                                //!< must be > 0 (not just >= 0)
    bool required{true};                          //!< must be written in a profile without base
};

const std::vector<NumericKey>&
NumericKeys()
{
    static const std::vector<NumericKey> keys = [] {
        std::vector<NumericKey> k;
        k.push_back(
            {"frequency_hz", [](CryptoProfile& p) -> double& { return p.frequencyHz; }, true});
        // Optional: profiles written before it (and host calibrations) have no power figure.
        k.push_back({"active_power_w",
                     [](CryptoProfile& p) -> double& { return p.activePowerW; },
                     false,
                     false});
        // NULL encryption and no integrity cost nothing by definition: no keys.
        for (std::size_t i = 1; i < kEncryptionAlgorithmCount; ++i)
        {
            std::string base =
                "encryption." + ProfileToken(static_cast<EncryptionAlgorithm>(i)) + ".";
            k.push_back(
                {base + "encrypt_cycles_per_byte",
                 [i](CryptoProfile& p) -> double& { return p.encryption[i].encryptCyclesPerByte; },
                 false});
            k.push_back(
                {base + "decrypt_cycles_per_byte",
                 [i](CryptoProfile& p) -> double& { return p.encryption[i].decryptCyclesPerByte; },
                 false});
            k.push_back(
                {base + "cycles_per_packet",
                 [i](CryptoProfile& p) -> double& { return p.encryption[i].cyclesPerPacket; },
                 false});
        }
        for (std::size_t i = 1; i < kAuthenticationAlgorithmCount; ++i)
        {
            std::string base =
                "authentication." + ProfileToken(static_cast<AuthenticationAlgorithm>(i)) + ".";
            k.push_back({base + "encrypt_cycles_per_byte",
                         [i](CryptoProfile& p) -> double& {
                             return p.authentication[i].encryptCyclesPerByte;
                         },
                         false});
            k.push_back({base + "decrypt_cycles_per_byte",
                         [i](CryptoProfile& p) -> double& {
                             return p.authentication[i].decryptCyclesPerByte;
                         },
                         false});
            k.push_back(
                {base + "cycles_per_packet",
                 [i](CryptoProfile& p) -> double& { return p.authentication[i].cyclesPerPacket; },
                 false});
        }
        k.push_back({"ipsec.cycles_per_packet",
                     [](CryptoProfile& p) -> double& { return p.ipsecCyclesPerPacket; },
                     false});
        k.push_back({"ipsec.cycles_per_byte",
                     [](CryptoProfile& p) -> double& { return p.ipsecCyclesPerByte; },
                     false});
        k.push_back({"ipcomp.deflate_cycles_per_packet",
                     [](CryptoProfile& p) -> double& { return p.deflateCyclesPerPacket; },
                     false});
        k.push_back({"ipcomp.deflate_cycles_per_byte",
                     [](CryptoProfile& p) -> double& { return p.deflateCyclesPerByte; },
                     false});
        k.push_back({"ipcomp.inflate_cycles_per_packet",
                     [](CryptoProfile& p) -> double& { return p.inflateCyclesPerPacket; },
                     false});
        k.push_back({"ipcomp.inflate_cycles_per_byte",
                     [](CryptoProfile& p) -> double& { return p.inflateCyclesPerByte; },
                     false});
        for (std::size_t i = 0; i < kKeyOperationCount; ++i)
        {
            k.push_back({std::string("key.") + kKeyOperationTokens[i] + ".cycles",
                         [i](CryptoProfile& p) -> double& { return p.keyOperationCycles[i]; },
                         false});
        }
        return k;
    }();
    return keys;
}

const NumericKey*
FindNumericKey(const std::string& key)
{
    for (const auto& k : NumericKeys())
    {
        if (k.key == key)
        {
            return &k;
        }
    }
    return nullptr;
}

/// Round to `digits` significant digits, but never below whole cycles for counts of 1000 or
/// more.
double
RoundSignificant(double v, int digits)
{
    if (v == 0 || !std::isfinite(v))
    {
        return v;
    }
    if (std::fabs(v) >= 1000)
    {
        return std::round(v);
    }
    int exponent = static_cast<int>(std::floor(std::log10(std::fabs(v))));
    // Scale by a power of ten (exact up to 1e22), round, scale back: the division by an
    // exact power of ten gives the double nearest to the decimal, which prints short.
    int shift = digits - 1 - exponent;
    if (shift > 22)
    {
        return v; // tiny values: leave alone rather than lose them
    }
    if (shift >= 0)
    {
        double scale = std::pow(10.0, shift);
        return std::round(v * scale) / scale;
    }
    double scale = std::pow(10.0, -shift);
    return std::round(v / scale) * scale;
}

} // namespace

std::string
ToString(KeyOperation op)
{
    return kKeyOperationTokens[static_cast<std::size_t>(op)];
}

std::string
ProfileToken(EncryptionAlgorithm a)
{
    return Lower(ToString(a));
}

std::string
ProfileToken(AuthenticationAlgorithm a)
{
    return Lower(ToString(a));
}

double
AlgorithmCost::Cycles(bool outbound, uint32_t bytes) const
{
    return cyclesPerPacket + (outbound ? encryptCyclesPerByte : decryptCyclesPerByte) * bytes;
}

bool
AlgorithmCost::operator==(const AlgorithmCost& other) const
{
    return encryptCyclesPerByte == other.encryptCyclesPerByte &&
           decryptCyclesPerByte == other.decryptCyclesPerByte &&
           cyclesPerPacket == other.cyclesPerPacket;
}

AlgorithmCost&
CryptoProfile::Cost(EncryptionAlgorithm a)
{
    return encryption[static_cast<std::size_t>(a)];
}

const AlgorithmCost&
CryptoProfile::Cost(EncryptionAlgorithm a) const
{
    return encryption[static_cast<std::size_t>(a)];
}

AlgorithmCost&
CryptoProfile::Cost(AuthenticationAlgorithm a)
{
    return authentication[static_cast<std::size_t>(a)];
}

const AlgorithmCost&
CryptoProfile::Cost(AuthenticationAlgorithm a) const
{
    return authentication[static_cast<std::size_t>(a)];
}

double&
CryptoProfile::KeyCycles(KeyOperation op)
{
    return keyOperationCycles[static_cast<std::size_t>(op)];
}

double
CryptoProfile::KeyCycles(KeyOperation op) const
{
    return keyOperationCycles[static_cast<std::size_t>(op)];
}

double
CryptoProfile::PacketCycles(IpsecProtocol proto,
                            EncryptionAlgorithm enc,
                            AuthenticationAlgorithm auth,
                            bool outbound,
                            uint32_t bytes) const
{
    double cycles = ipsecCyclesPerPacket + ipsecCyclesPerByte * bytes;
    switch (proto)
    {
    case IpsecProtocol::ESP:
        cycles += Cost(enc).Cycles(outbound, bytes);
        cycles += Cost(auth).Cycles(outbound, bytes);
        break;
    case IpsecProtocol::AH:
        cycles += Cost(auth).Cycles(outbound, bytes);
        break;
    case IpsecProtocol::IPCOMP:
        cycles += outbound ? deflateCyclesPerPacket + deflateCyclesPerByte * bytes
                           : inflateCyclesPerPacket + inflateCyclesPerByte * bytes;
        break;
    }
    return cycles;
}

CryptoProfile
CryptoProfile::Rounded(int significantDigits) const
{
    int digits = std::clamp(significantDigits, 1, 17);
    CryptoProfile copy = *this;
    for (const auto& k : NumericKeys())
    {
        k.field(copy) = RoundSignificant(k.field(copy), digits);
    }
    return copy;
}

bool
CryptoProfile::operator==(const CryptoProfile& other) const
{
    return name == other.name && description == other.description &&
           frequencyHz == other.frequencyHz && activePowerW == other.activePowerW &&
           encryption == other.encryption && authentication == other.authentication &&
           ipsecCyclesPerPacket == other.ipsecCyclesPerPacket &&
           ipsecCyclesPerByte == other.ipsecCyclesPerByte &&
           deflateCyclesPerPacket == other.deflateCyclesPerPacket &&
           inflateCyclesPerPacket == other.inflateCyclesPerPacket &&
           deflateCyclesPerByte == other.deflateCyclesPerByte &&
           inflateCyclesPerByte == other.inflateCyclesPerByte &&
           keyOperationCycles == other.keyOperationCycles;
}

bool
CryptoProfile::operator!=(const CryptoProfile& other) const
{
    return !(*this == other);
}

std::optional<CryptoProfile>
CryptoProfile::GetBuiltin(const std::string& name)
{
    std::optional<CryptoProfile> p;
    if (name == "x86-64-aesni")
    {
        p = MakeX86();
    }
    else if (name == "cortex-a53-ce")
    {
        p = MakeCortexA53();
    }
    else if (name == "xscale-pxa250")
    {
        p = MakeXscale();
    }
    else if (name == "free")
    {
        p = MakeFree();
    }
    if (p)
    {
        // The derived figures (fits, scalings) carry float noise such as 5.739999999999999;
        // the sources have 2-3 significant digits, so 4 lose nothing and keep files readable.
        p = p->Rounded(4);
    }
    return p;
}

std::vector<std::string>
CryptoProfile::GetBuiltinNames()
{
    return {"x86-64-aesni", "cortex-a53-ce", "xscale-pxa250", "free"};
}

ParseResult<CryptoProfile>
CryptoProfile::Parse(const std::string& text)
{
    using Result = ParseResult<CryptoProfile>;
    CryptoProfile profile;
    profile.name.clear();
    std::set<std::string> seen;
    bool haveBase = false;

    std::istringstream in(text);
    std::string raw;
    unsigned lineNo = 0;
    while (std::getline(in, raw))
    {
        ++lineNo;
        std::string line = Trim(raw);
        if (line.empty() || line[0] == '#')
        {
            continue;
        }
        // Columns refer to the untrimmed line so an editor can jump to them.
        auto lead = static_cast<unsigned>(raw.find_first_not_of(" \t\r\f\v"));
        // A carriage return (or another control character) inside a value could not be
        // written back: the format's text values are one printable line.
        auto control = std::find_if(line.begin(), line.end(), [](char c) {
            return c != '\t' && std::iscntrl(static_cast<unsigned char>(c));
        });
        if (control != line.end())
        {
            return Result::Fail("control character in the line",
                                lineNo,
                                lead + 1 + static_cast<unsigned>(control - line.begin()));
        }
        auto eq = line.find('=');
        if (eq == std::string::npos)
        {
            return Result::Fail("expected 'key = value'", lineNo, lead + 1);
        }
        std::string key = Trim(line.substr(0, eq));
        std::string rest = line.substr(eq + 1);
        auto valueOffset = rest.find_first_not_of(" \t\r\f\v");
        std::string value = Trim(rest);
        unsigned valueColumn =
            lead + static_cast<unsigned>(eq) + 2 +
            static_cast<unsigned>(valueOffset == std::string::npos ? 0 : valueOffset);
        if (key.empty())
        {
            return Result::Fail("missing key before '='", lineNo, lead + 1);
        }
        if (!seen.insert(key).second)
        {
            return Result::Fail("duplicate key '" + key + "'", lineNo, lead + 1);
        }
        if (key == "base")
        {
            if (seen.size() != 1)
            {
                return Result::Fail("'base' must be the first key", lineNo, lead + 1);
            }
            auto builtin = GetBuiltin(value);
            if (!builtin)
            {
                return Result::Fail("unknown built-in profile '" + value + "' for 'base'",
                                    lineNo,
                                    valueColumn);
            }
            profile = *builtin;
            haveBase = true;
            continue;
        }
        if (key == "name")
        {
            if (value.empty())
            {
                return Result::Fail("empty value for 'name'", lineNo, valueColumn);
            }
            profile.name = value;
            continue;
        }
        if (key == "description")
        {
            profile.description = value;
            continue;
        }
        const NumericKey* nk = FindNumericKey(key);
        if (nk == nullptr)
        {
            return Result::Fail("unknown key '" + key + "'", lineNo, lead + 1);
        }
        // A number may carry a trailing comment.
        std::string number = Trim(value.substr(0, value.find('#')));
        if (number.empty())
        {
            return Result::Fail("missing value for '" + key + "'", lineNo, valueColumn);
        }
        double v = 0;
        auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), v);
        // from_chars accepts "nan" and "inf"; a cost must be a finite number.
        if (ec != std::errc() || ptr != number.data() + number.size() || !std::isfinite(v))
        {
            return Result::Fail("bad number '" + number + "' for '" + key + "'",
                                lineNo,
                                valueColumn);
        }
        if (v < 0)
        {
            return Result::Fail("negative value for '" + key + "'", lineNo, valueColumn);
        }
        if (nk->positive && v == 0)
        {
            return Result::Fail("'" + key + "' must be > 0", lineNo, valueColumn);
        }
        if (v > kMaxValue)
        {
            return Result::Fail("value too large for '" + key + "' (at most 1e12)",
                                lineNo,
                                valueColumn);
        }
        nk->field(profile) = v;
    }

    if (seen.count("name") == 0)
    {
        return Result::Fail("missing key 'name'");
    }
    if (!haveBase)
    {
        // Without a base every figure must be written: a forgotten key silently costing
        // zero cycles would make a slow CPU look free.
        for (const auto& k : NumericKeys())
        {
            if (k.required && seen.count(k.key) == 0)
            {
                return Result::Fail("missing key '" + k.key + "'");
            }
        }
    }
    NS_LOG_DEBUG("parsed crypto profile " << profile.name);
    return Result::Ok(profile);
}

ParseResult<CryptoProfile>
CryptoProfile::Load(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        return ParseResult<CryptoProfile>::Fail("cannot open '" + path + "'");
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad())
    {
        return ParseResult<CryptoProfile>::Fail("cannot read '" + path + "'");
    }
    return Parse(text.str());
}

void
CryptoProfile::Write(std::ostream& os) const
{
    // A line break would end the value early; the format has one-line text values.
    auto oneLine = [](std::string s) {
        std::replace(s.begin(), s.end(), '\n', ' ');
        std::replace(s.begin(), s.end(), '\r', ' ');
        return s;
    };
    os << "# presec crypto profile (see model/ipsec/crypto-profile.h for the format)\n";
    os << "name = " << oneLine(name) << "\n";
    os << "description = " << oneLine(description) << "\n";
    CryptoProfile copy = *this; // NumericKey reaches fields through a mutable reference
    std::string group;
    for (const auto& k : NumericKeys())
    {
        // Blank lines between groups: per algorithm, then ipsec, ipcomp, key operations.
        auto cut = k.key.rfind("key.", 0) == 0 ? 3 : k.key.rfind('.');
        std::string g = cut == std::string::npos ? "" : k.key.substr(0, cut);
        if (g != group && !g.empty())
        {
            os << "\n";
            group = g;
        }
        os << k.key << " = " << FormatNumber(k.field(copy)) << "\n";
    }
}

bool
CryptoProfile::Save(const std::string& path) const
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out)
    {
        NS_LOG_WARN("cannot write crypto profile to " << path);
        return false;
    }
    Write(out);
    out.flush();
    return static_cast<bool>(out);
}

} // namespace ns3
