/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * presec-calibrate: measure this host's crypto costs with OpenSSL and write a CryptoProfile
 * file for CryptoCostModel's ProfileFile attribute.
 *
 * For every ESP cipher and integrity algorithm it times encryption and decryption (ICV
 * computation and verification) of 64, 1500 and 16384-byte buffers through EVP, the way an
 * ESP implementation calls it per packet (new IV, 8 bytes of AAD for AEADs, tag handling),
 * converts seconds to cycles with the CPU clock and fits cycles = perPacket + perByte * n
 * through the 64 and 16384-byte points; the 1500-byte point checks the line. It also times
 * the IKE key operations and, when built with zlib (PRESEC_HAVE_ZLIB), IPComp's deflate and
 * inflate with Linux's parameters. The IPsec framing cost cannot be measured here and is
 * taken from the base profile.
 *
 * Each case runs for a time budget (0.12 s, --quick 0.004 s) in growing batches; the
 * fastest per-operation time of the batches is kept, which filters out interference from
 * other processes on a shared machine.
 *
 * Usage: presec-calibrate [--quick] [--ghz G] [--budget S] [--base NAME] [--name NAME]
 *                         [-o FILE]
 * Without -o the profile goes to stdout and the comparison table to stderr.
 */

#include "ns3/crypto-profile.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/opensslv.h>
#include <openssl/params.h>

#ifdef PRESEC_HAVE_ZLIB
#include <zlib.h>
#endif

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <functional>
#include <iomanip>
#include <iostream>
#include <limits>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

/// Buffer sizes: a small SIP-like packet, an MTU-sized one, a large one for the slope.
const std::vector<uint32_t> kSizes = {64, 1500, 16384};
/// IPComp sizes: deflate's cost per byte grows with the input (hash chains fill up), so fit
/// over the packet sizes IPComp really sees (it never compresses more than one packet).
const std::vector<uint32_t> kIpcompSizes = {64, 512, 1500};

struct Options
{
    bool quick{false};                //!< tiny budget, for tests
    double ghz{0};                    //!< clock override
    double budget{-1};                //!< seconds per case (-1 = default)
    std::string base{"x86-64-aesni"}; //!< profile for what is not measured
    std::string name;                 //!< profile name (default from the CPU)
    std::string output;               //!< profile file (empty = stdout)
};

[[noreturn]] void
Fail(const std::string& message)
{
    std::cerr << "presec-calibrate: " << message << "\n";
    unsigned long e;
    while ((e = ERR_get_error()) != 0)
    {
        char buf[256];
        ERR_error_string_n(e, buf, sizeof(buf));
        std::cerr << "  openssl: " << buf << "\n";
    }
    std::exit(2);
}

/// Abort with a message unless ok. Takes a C string so that calls inside timed loops build
/// no std::string (an allocation per call would be measured as crypto cost).
void
Check(bool ok, const char* what)
{
    if (!ok)
    {
        Fail(std::string(what) + " failed");
    }
}

/// The first value of a "key : value" line of /proc/cpuinfo, or empty.
std::string
CpuInfo(const std::string& key)
{
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line))
    {
        auto colon = line.find(':');
        if (colon == std::string::npos)
        {
            continue;
        }
        std::string k = line.substr(0, colon);
        k.erase(k.find_last_not_of(" \t") + 1);
        if (k == key)
        {
            auto v = line.substr(colon + 1);
            v.erase(0, v.find_first_not_of(" \t"));
            return v;
        }
    }
    return "";
}

/**
 * Seconds per call of op: batches of growing size until the budget is spent; the fastest
 * batch (per call) wins. Batches shorter than 20 µs are ignored (timer granularity)
 * unless no batch gets that long.
 */
double
SecondsPerOp(const std::function<void()>& op, double budget)
{
    using Clock = std::chrono::steady_clock;
    op(); // warm caches and lazy initialisation
    const auto begin = Clock::now();
    const double target = budget / 8;
    double best = std::numeric_limits<double>::infinity();
    double bestShort = best;
    uint64_t batch = 1;
    do
    {
        auto t0 = Clock::now();
        for (uint64_t i = 0; i < batch; ++i)
        {
            op();
        }
        double dt = std::chrono::duration<double>(Clock::now() - t0).count();
        double perOp = dt / static_cast<double>(batch);
        if (dt >= 20e-6)
        {
            best = std::min(best, perOp);
        }
        else
        {
            bestShort = std::min(bestShort, perOp);
        }
        if (dt < target && batch < (uint64_t{1} << 40))
        {
            batch *= 2;
        }
    } while (std::chrono::duration<double>(Clock::now() - begin).count() < budget);
    return std::isfinite(best) ? best : bestShort;
}

// ---- ciphers ----------------------------------------------------------------------------

struct CipherSpec
{
    EncryptionAlgorithm algorithm; //!< the profile entry
    const char* evpName;           //!< OpenSSL name
    bool aead;                     //!< AEAD: 12-byte nonce, 8 bytes AAD, 16-byte tag
};

const CipherSpec kCiphers[] = {
    {EncryptionAlgorithm::AES_128_CBC, "AES-128-CBC", false},
    {EncryptionAlgorithm::AES_256_CBC, "AES-256-CBC", false},
    {EncryptionAlgorithm::AES_128_GCM_16, "AES-128-GCM", true},
    {EncryptionAlgorithm::AES_256_GCM_16, "AES-256-GCM", true},
    {EncryptionAlgorithm::TRIPLE_DES_CBC, "DES-EDE3-CBC", false},
    {EncryptionAlgorithm::CHACHA20_POLY1305, "ChaCha20-Poly1305", true},
};

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

/// A cipher context keyed once, as an SA is; each packet sets a new IV.
CipherCtx
MakeCipherCtx(EVP_CIPHER* cipher, bool aead, bool encrypt)
{
    CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    Check(ctx != nullptr, "EVP_CIPHER_CTX_new");
    std::vector<unsigned char> key(EVP_CIPHER_get_key_length(cipher), 0x42);
    Check(EVP_CipherInit_ex(ctx.get(), cipher, nullptr, nullptr, nullptr, encrypt) == 1,
          "EVP_CipherInit_ex");
    if (aead)
    {
        // ESP's AEAD nonce is 4 bytes of salt + the 8-byte IV (RFC 4106, RFC 7634).
        Check(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_IVLEN, 12, nullptr) == 1,
              "set IV length");
    }
    Check(EVP_CipherInit_ex(ctx.get(), nullptr, nullptr, key.data(), nullptr, encrypt) == 1,
          "set key");
    if (!aead)
    {
        EVP_CIPHER_CTX_set_padding(ctx.get(), 0); // ESP pads itself
    }
    return ctx;
}

/// One packet through the cipher. For decryption `tag` is the tag to check.
bool
CipherPacket(EVP_CIPHER_CTX* ctx,
             bool aead,
             const unsigned char* in,
             unsigned char* out,
             int n,
             unsigned char* tag)
{
    static const unsigned char iv[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    static const unsigned char aad[8] = {0, 0, 0x10, 0x01, 0, 0, 0, 1}; // SPI, sequence
    int len = 0;
    if (EVP_CipherInit_ex(ctx, nullptr, nullptr, nullptr, iv, -1) != 1)
    {
        return false;
    }
    if (aead && EVP_CipherUpdate(ctx, nullptr, &len, aad, sizeof(aad)) != 1)
    {
        return false;
    }
    if (EVP_CipherUpdate(ctx, out, &len, in, n) != 1)
    {
        return false;
    }
    bool encrypting = EVP_CIPHER_CTX_is_encrypting(ctx) == 1;
    if (aead && !encrypting && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, 16, tag) != 1)
    {
        return false;
    }
    int tail = 0;
    if (EVP_CipherFinal_ex(ctx, out + len, &tail) != 1)
    {
        return false;
    }
    return !aead || !encrypting || EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, 16, tag) == 1;
}

// ---- measurements -----------------------------------------------------------------------

/// One measured point.
struct Point
{
    uint32_t bytes; //!< buffer size actually processed
    double cycles;  //!< cycles per call
};

/// A fitted line and how well it predicts the middle point.
struct Line
{
    double perPacket{0};  //!< intercept, cycles
    double perByte{0};    //!< slope, cycles per byte
    double checkError{0}; //!< relative error at the middle size
};

Line
FitLine(const std::vector<Point>& p)
{
    // Through the smallest and largest sizes: the small one pins the fixed cost, the large
    // one the per-byte cost; neither is polluted much by the other.
    const Point& a = p.front();
    const Point& b = p.back();
    Line l;
    l.perByte = std::max(0.0, (b.cycles - a.cycles) / (b.bytes - a.bytes));
    l.perPacket = std::max(0.0, a.cycles - l.perByte * a.bytes);
    const Point& m = p[p.size() / 2];
    double predicted = l.perPacket + l.perByte * m.bytes;
    l.checkError = predicted / m.cycles - 1;
    return l;
}

struct Measurement
{
    std::string label;         //!< e.g. "aes-128-cbc encrypt"
    std::vector<Point> points; //!< per size
    Line line;                 //!< fit
};

class Calibrator
{
  public:
    Calibrator(double hz, double budget)
        : m_hz(hz),
          m_budget(budget)
    {
    }

    /// Measure an operation over the sizes; op(n) processes n bytes.
    Measurement Sizes(const std::string& label,
                      const std::function<void(uint32_t)>& op,
                      uint32_t block = 1,
                      const std::vector<uint32_t>& sizes = kSizes)
    {
        Measurement m;
        m.label = label;
        for (uint32_t size : sizes)
        {
            uint32_t n = (size + block - 1) / block * block; // CBC needs whole blocks
            double s = SecondsPerOp([&] { op(n); }, m_budget);
            m.points.push_back(Point{n, s * m_hz});
        }
        m.line = FitLine(m.points);
        m_all.push_back(m);
        return m;
    }

    /// Measure a fixed operation; returns cycles per call.
    double Once(const std::string& label, const std::function<void()>& op)
    {
        double cycles = SecondsPerOp(op, m_budget) * m_hz;
        Measurement m;
        m.label = label;
        m.points.push_back(Point{0, cycles});
        m_all.push_back(m);
        return cycles;
    }

    /** \return everything measured, in order */
    const std::vector<Measurement>& All() const
    {
        return m_all;
    }

  private:
    double m_hz;
    double m_budget;
    std::vector<Measurement> m_all;
};

void
MeasureCiphers(Calibrator& cal, CryptoProfile& profile)
{
    std::vector<unsigned char> plain(20000);
    for (size_t i = 0; i < plain.size(); ++i)
    {
        plain[i] = static_cast<unsigned char>(i * 131 + 7);
    }
    std::vector<unsigned char> out(plain.size() + 64);
    for (const auto& spec : kCiphers)
    {
        EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, spec.evpName, nullptr);
        Check(cipher != nullptr, spec.evpName);
        uint32_t block = static_cast<uint32_t>(EVP_CIPHER_get_block_size(cipher));
        auto enc = MakeCipherCtx(cipher, spec.aead, true);
        auto dec = MakeCipherCtx(cipher, spec.aead, false);
        const std::string token = ProfileToken(spec.algorithm);
        const std::string encLabel = token + " encrypt";
        const std::string decLabel = token + " decrypt";

        unsigned char tag[16] = {0};
        auto me = cal.Sizes(
            encLabel,
            [&](uint32_t n) {
                Check(CipherPacket(enc.get(), spec.aead, plain.data(), out.data(), n, tag),
                      encLabel.c_str());
            },
            block);
        // Decrypt genuine ciphertext so that AEAD tags verify (a failing tag check would
        // skip nothing, but the measurement should be of the success path).
        std::vector<unsigned char> cipherText(plain.size() + 64);
        uint32_t cipherTextBytes = 0;
        unsigned char goodTag[16] = {0};
        auto md = cal.Sizes(
            decLabel,
            [&](uint32_t n) {
                // The tag depends on the size: refresh ciphertext and tag when it changes.
                if (cipherTextBytes != n)
                {
                    Check(CipherPacket(enc.get(),
                                       spec.aead,
                                       plain.data(),
                                       cipherText.data(),
                                       n,
                                       goodTag),
                          encLabel.c_str());
                    cipherTextBytes = n;
                }
                unsigned char t[16];
                std::memcpy(t, goodTag, sizeof(t));
                Check(CipherPacket(dec.get(), spec.aead, cipherText.data(), out.data(), n, t),
                      decLabel.c_str());
            },
            block);
        auto& cost = profile.Cost(spec.algorithm);
        cost.encryptCyclesPerByte = me.line.perByte;
        cost.decryptCyclesPerByte = md.line.perByte;
        // One fixed cost per algorithm in the profile: the mean of the two directions.
        cost.cyclesPerPacket = (me.line.perPacket + md.line.perPacket) / 2;
        EVP_CIPHER_free(cipher);
    }
}

void
MeasureMacs(Calibrator& cal, CryptoProfile& profile)
{
    struct MacSpec
    {
        AuthenticationAlgorithm algorithm;
        const char* digest;
        size_t icvBytes;
    };

    const MacSpec specs[] = {{AuthenticationAlgorithm::HMAC_SHA1_96, "SHA1", 12},
                             {AuthenticationAlgorithm::HMAC_SHA256_128, "SHA256", 16}};
    std::vector<unsigned char> data(20000, 0x5a);
    EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    Check(mac != nullptr, "fetching HMAC");
    for (const auto& spec : specs)
    {
        EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
        Check(ctx != nullptr, "EVP_MAC_CTX_new");
        OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
                                                                const_cast<char*>(spec.digest),
                                                                0),
                               OSSL_PARAM_construct_end()};
        unsigned char key[32];
        std::memset(key, 0x17, sizeof(key));
        Check(EVP_MAC_init(ctx,
                           key,
                           spec.algorithm == AuthenticationAlgorithm::HMAC_SHA1_96 ? 20 : 32,
                           params) == 1,
              "EVP_MAC_init");
        unsigned char icv[64];
        unsigned char expected[64] = {0};
        // Re-initialising with no key reuses the precomputed ipad/opad state, as an SA does.
        auto compute = [&](uint32_t n) {
            size_t len = 0;
            Check(EVP_MAC_init(ctx, nullptr, 0, nullptr) == 1 &&
                      EVP_MAC_update(ctx, data.data(), n) == 1 &&
                      EVP_MAC_final(ctx, icv, &len, sizeof(icv)) == 1,
                  "HMAC");
        };
        std::string token = ProfileToken(spec.algorithm);
        auto mc = cal.Sizes(token + " compute", compute);
        volatile int mismatches = 0;
        auto mv = cal.Sizes(token + " verify", [&](uint32_t n) {
            compute(n);
            mismatches = mismatches + (CRYPTO_memcmp(icv, expected, spec.icvBytes) != 0);
        });
        auto& cost = profile.Cost(spec.algorithm);
        cost.encryptCyclesPerByte = mc.line.perByte;
        cost.decryptCyclesPerByte = mv.line.perByte;
        cost.cyclesPerPacket = (mc.line.perPacket + mv.line.perPacket) / 2;
        EVP_MAC_CTX_free(ctx);
    }
    EVP_MAC_free(mac);
}

#ifdef PRESEC_HAVE_ZLIB
/// Presence-like text (SIP/PIDF), which is what IPComp would see in this project.
std::string
SampleText(size_t n)
{
    std::string s;
    unsigned x = 12345;
    for (int i = 0; s.size() < n; ++i)
    {
        x = x * 1103515245 + 12345;
        std::ostringstream t;
        t << "<tuple id=\"t" << std::hex << (x >> 8) << std::dec << "\"><status><basic>"
          << ((x >> 3) & 1 ? "open" : "closed") << "</basic></status><contact priority=\"0."
          << (x % 10) << "\">sip:user" << i << "@example.com</contact><timestamp>2024-05-0"
          << (i % 9 + 1) << "T1" << (x % 10) << ":0" << (x % 7) << ":00Z</timestamp></tuple>\n";
        s += t.str();
    }
    s.resize(n);
    return s;
}

void
MeasureIpcomp(Calibrator& cal, CryptoProfile& profile)
{
    // Linux crypto/deflate.c: level Z_DEFAULT_COMPRESSION, raw deflate with a 2^11 window,
    // memLevel MAX_MEM_LEVEL (8 in the kernel's zconf.h); each packet resets the stream and
    // compresses with Z_FINISH.
    const std::string text = SampleText(20000);
    z_stream d{};
    Check(deflateInit2(&d, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -11, 8, Z_DEFAULT_STRATEGY) == Z_OK,
          "deflateInit2");
    z_stream f{};
    Check(inflateInit2(&f, -11) == Z_OK, "inflateInit2");
    std::vector<unsigned char> packed(deflateBound(&d, text.size()) + 64);
    std::vector<unsigned char> unpacked(text.size() + 64);
    uLong packedLen = 0;

    auto compress = [&](uint32_t n) {
        deflateReset(&d);
        d.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
        d.avail_in = n;
        d.next_out = packed.data();
        d.avail_out = static_cast<uInt>(packed.size());
        Check(deflate(&d, Z_FINISH) == Z_STREAM_END, "deflate");
        packedLen = d.total_out;
    };
    auto md = cal.Sizes("ipcomp deflate", compress, 1, kIpcompSizes);
    uint32_t last = 0;
    auto mi = cal.Sizes(
        "ipcomp inflate",
        [&](uint32_t n) {
            if (n != last)
            {
                compress(n);
                last = n;
            }
            inflateReset(&f);
            f.next_in = packed.data();
            f.avail_in = static_cast<uInt>(packedLen);
            f.next_out = unpacked.data();
            f.avail_out = static_cast<uInt>(unpacked.size());
            Check(inflate(&f, Z_FINISH) == Z_STREAM_END && f.total_out == n, "inflate");
        },
        1,
        kIpcompSizes);
    profile.deflateCyclesPerByte = md.line.perByte;
    profile.inflateCyclesPerByte = mi.line.perByte;
    profile.deflateCyclesPerPacket = md.line.perPacket;
    profile.inflateCyclesPerPacket = mi.line.perPacket;
    deflateEnd(&d);
    inflateEnd(&f);
}
#endif

// ---- key operations ---------------------------------------------------------------------

using Pkey = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)>;

Pkey
GenerateDh(const char* group)
{
    PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, "DH", nullptr), &EVP_PKEY_CTX_free);
    EVP_PKEY* key = nullptr;
    if (ctx && EVP_PKEY_keygen_init(ctx.get()) == 1 &&
        EVP_PKEY_CTX_set_group_name(ctx.get(), group) == 1)
    {
        EVP_PKEY_keygen(ctx.get(), &key);
    }
    return Pkey(key, &EVP_PKEY_free);
}

/// Cycles of one Diffie-Hellman derive between two fresh keys.
double
MeasureDerive(Calibrator& cal, const std::string& label, EVP_PKEY* mine, EVP_PKEY* peer)
{
    PkeyCtx ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, mine, nullptr), &EVP_PKEY_CTX_free);
    Check(ctx && EVP_PKEY_derive_init(ctx.get()) == 1 &&
              EVP_PKEY_derive_set_peer(ctx.get(), peer) == 1,
          label.c_str());
    std::vector<unsigned char> secret(512);
    return cal.Once(label, [&] {
        size_t len = secret.size();
        Check(EVP_PKEY_derive(ctx.get(), secret.data(), &len) == 1, label.c_str());
    });
}

/// Cycles of one signature and one verification (SHA-256 digest) with a key.
std::pair<double, double>
MeasureSignature(Calibrator& cal, const std::string& label, EVP_PKEY* key)
{
    const std::string signLabel = label + " sign";
    const std::string verifyLabel = label + " verify";
    unsigned char digest[32];
    std::memset(digest, 0x33, sizeof(digest));
    PkeyCtx sctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr), &EVP_PKEY_CTX_free);
    Check(sctx && EVP_PKEY_sign_init(sctx.get()) == 1 &&
              EVP_PKEY_CTX_set_signature_md(sctx.get(), EVP_sha256()) == 1,
          signLabel.c_str());
    std::vector<unsigned char> sig(1024);
    size_t sigLen = sig.size();
    Check(EVP_PKEY_sign(sctx.get(), sig.data(), &sigLen, digest, sizeof(digest)) == 1,
          signLabel.c_str());
    std::vector<unsigned char> scratch(sig.size());
    double sign = cal.Once(signLabel, [&] {
        size_t len = scratch.size();
        Check(EVP_PKEY_sign(sctx.get(), scratch.data(), &len, digest, sizeof(digest)) == 1,
              signLabel.c_str());
    });
    PkeyCtx vctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr), &EVP_PKEY_CTX_free);
    Check(vctx && EVP_PKEY_verify_init(vctx.get()) == 1 &&
              EVP_PKEY_CTX_set_signature_md(vctx.get(), EVP_sha256()) == 1,
          verifyLabel.c_str());
    double verify = cal.Once(verifyLabel, [&] {
        Check(EVP_PKEY_verify(vctx.get(), sig.data(), sigLen, digest, sizeof(digest)) == 1,
              verifyLabel.c_str());
    });
    return {sign, verify};
}

void
MeasureKeyOperations(Calibrator& cal, CryptoProfile& profile)
{
    Pkey a(EVP_PKEY_Q_keygen(nullptr, nullptr, "X25519"), &EVP_PKEY_free);
    Pkey b(EVP_PKEY_Q_keygen(nullptr, nullptr, "X25519"), &EVP_PKEY_free);
    Check(a && b, "X25519 keygen");
    profile.KeyCycles(KeyOperation::X25519) = MeasureDerive(cal, "x25519", a.get(), b.get());

    // IKEv2 group 14 is RFC 3526's 2048-bit MODP group; OpenSSL 3 knows it as modp_2048
    // (`openssl speed ffdh2048` uses RFC 7919's ffdhe2048, the same size).
    Pkey da = GenerateDh("modp_2048");
    Pkey db = GenerateDh("modp_2048");
    if (!da || !db)
    {
        ERR_clear_error();
        da = GenerateDh("ffdhe2048");
        db = GenerateDh("ffdhe2048");
    }
    Check(da && db, "FFDH-2048 keygen");
    profile.KeyCycles(KeyOperation::FFDH_2048) =
        MeasureDerive(cal, "ffdh-2048", da.get(), db.get());

    Pkey rsa(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048}), &EVP_PKEY_free);
    Check(rsa != nullptr, "RSA-2048 keygen");
    auto [rs, rv] = MeasureSignature(cal, "rsa2048", rsa.get());
    profile.KeyCycles(KeyOperation::RSA2048_SIGN) = rs;
    profile.KeyCycles(KeyOperation::RSA2048_VERIFY) = rv;

    Pkey ec(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"), &EVP_PKEY_free);
    Check(ec != nullptr, "P-256 keygen");
    auto [es, ev] = MeasureSignature(cal, "ecdsa-p256", ec.get());
    profile.KeyCycles(KeyOperation::ECDSA_P256_SIGN) = es;
    profile.KeyCycles(KeyOperation::ECDSA_P256_VERIFY) = ev;
}

// ---- output -----------------------------------------------------------------------------

std::string
Fixed(double v, int digits)
{
    std::ostringstream os;
    os << std::fixed << std::setprecision(digits) << v;
    return os.str();
}

void
WriteMeasurements(std::ostream& os, const std::vector<Measurement>& all, double hz)
{
    os << "# Raw measurements (cycles per call at " << Fixed(hz / 1e9, 3)
       << " GHz; fit through the smallest and largest size, 'check' = its error at the middle "
          "one):\n";
    for (const auto& m : all)
    {
        os << "#   " << std::left << std::setw(28) << m.label << std::right;
        if (m.points.size() == 1)
        {
            os << Fixed(m.points[0].cycles, 0)
               << " cycles = " << Fixed(m.points[0].cycles / hz * 1e6, 1) << " us\n";
            continue;
        }
        for (const auto& p : m.points)
        {
            os << p.bytes << " B: " << Fixed(p.cycles, 0) << "  ";
        }
        os << "-> " << Fixed(m.line.perPacket, 0) << " + " << Fixed(m.line.perByte, 3)
           << "/B, check " << std::showpos << Fixed(m.line.checkError * 100, 1) << std::noshowpos
           << "%\n";
    }
}

void
WriteComparison(std::ostream& os, const CryptoProfile& measured, const CryptoProfile& base)
{
    auto ratio = [](double a, double b) { return b > 0 ? Fixed(a / b, 2) : std::string("-"); };
    os << "Comparison with built-in '" << base.name << "' (ratio = measured / built-in, in "
       << "cycles):\n";
    os << std::left << std::setw(22) << "algorithm" << std::right << std::setw(10) << "enc c/B"
       << std::setw(9) << "built-in" << std::setw(7) << "ratio" << std::setw(10) << "dec c/B"
       << std::setw(9) << "built-in" << std::setw(7) << "ratio" << std::setw(10) << "c/packet"
       << std::setw(9) << "built-in" << std::setw(7) << "ratio"
       << "\n";
    auto row = [&](const std::string& name, const AlgorithmCost& m, const AlgorithmCost& b) {
        os << std::left << std::setw(22) << name << std::right << std::setw(10)
           << Fixed(m.encryptCyclesPerByte, 2) << std::setw(9) << Fixed(b.encryptCyclesPerByte, 2)
           << std::setw(7) << ratio(m.encryptCyclesPerByte, b.encryptCyclesPerByte) << std::setw(10)
           << Fixed(m.decryptCyclesPerByte, 2) << std::setw(9) << Fixed(b.decryptCyclesPerByte, 2)
           << std::setw(7) << ratio(m.decryptCyclesPerByte, b.decryptCyclesPerByte) << std::setw(10)
           << Fixed(m.cyclesPerPacket, 0) << std::setw(9) << Fixed(b.cyclesPerPacket, 0)
           << std::setw(7) << ratio(m.cyclesPerPacket, b.cyclesPerPacket) << "\n";
    };
    for (const auto& spec : kCiphers)
    {
        row(ProfileToken(spec.algorithm), measured.Cost(spec.algorithm), base.Cost(spec.algorithm));
    }
    for (auto a : {AuthenticationAlgorithm::HMAC_SHA1_96, AuthenticationAlgorithm::HMAC_SHA256_128})
    {
        row(ProfileToken(a), measured.Cost(a), base.Cost(a));
    }
    // IPComp has a fixed cost per direction: one row each (the "dec" columns stay empty).
    row("ipcomp deflate",
        AlgorithmCost{measured.deflateCyclesPerByte, 0, measured.deflateCyclesPerPacket},
        AlgorithmCost{base.deflateCyclesPerByte, 0, base.deflateCyclesPerPacket});
    row("ipcomp inflate",
        AlgorithmCost{measured.inflateCyclesPerByte, 0, measured.inflateCyclesPerPacket},
        AlgorithmCost{base.inflateCyclesPerByte, 0, base.inflateCyclesPerPacket});
    os << std::left << std::setw(22) << "key operation" << std::right << std::setw(12) << "cycles"
       << std::setw(12) << "built-in" << std::setw(7) << "ratio" << std::setw(10) << "us here"
       << "\n";
    for (std::size_t i = 0; i < kKeyOperationCount; ++i)
    {
        auto op = static_cast<KeyOperation>(i);
        os << std::left << std::setw(22) << ToString(op) << std::right << std::setw(12)
           << Fixed(measured.KeyCycles(op), 0) << std::setw(12) << Fixed(base.KeyCycles(op), 0)
           << std::setw(7) << ratio(measured.KeyCycles(op), base.KeyCycles(op)) << std::setw(10)
           << Fixed(measured.KeyCycles(op) / measured.frequencyHz * 1e6, 1) << "\n";
    }
}

void
Usage()
{
    std::cerr << "usage: presec-calibrate [--quick] [--ghz G] [--budget SECONDS] [--base NAME]\n"
                 "                        [--name NAME] [-o FILE]\n"
                 "  --quick     0.004 s per case (about 1 s in all) instead of 0.12 s\n"
                 "  --ghz G     CPU clock in GHz (default: 'cpu MHz' of /proc/cpuinfo)\n"
                 "  --budget S  seconds per measured case\n"
                 "  --base NAME built-in profile supplying what is not measured "
                 "(default x86-64-aesni)\n"
                 "  --name NAME profile name (default host-<cpu>)\n"
                 "  -o FILE     write the profile there (default stdout)\n";
}

double
ParsePositive(const char* text, const char* option)
{
    char* end = nullptr;
    double v = std::strtod(text, &end);
    if (end == text || *end != '\0' || !(v > 0) || !std::isfinite(v))
    {
        Fail(std::string("bad value '") + text + "' for " + option);
    }
    return v;
}

Options
ParseOptions(int argc, char** argv)
{
    Options o;
    for (int i = 1; i < argc; ++i)
    {
        std::string a = argv[i];
        auto value = [&]() -> const char* {
            if (i + 1 >= argc)
            {
                Usage();
                Fail("missing value for " + a);
            }
            return argv[++i];
        };
        if (a == "--quick")
        {
            o.quick = true;
        }
        else if (a == "--ghz")
        {
            o.ghz = ParsePositive(value(), "--ghz");
        }
        else if (a == "--budget")
        {
            o.budget = ParsePositive(value(), "--budget");
        }
        else if (a == "--base")
        {
            o.base = value();
        }
        else if (a == "--name")
        {
            o.name = value();
        }
        else if (a == "-o" || a == "--output")
        {
            o.output = value();
        }
        else if (a == "-h" || a == "--help")
        {
            Usage();
            std::exit(0);
        }
        else
        {
            Usage();
            Fail("unknown option " + a);
        }
    }
    return o;
}

} // namespace

int
main(int argc, char** argv)
{
    Options opt = ParseOptions(argc, argv);
    auto base = CryptoProfile::GetBuiltin(opt.base);
    if (!base)
    {
        Fail("unknown base profile '" + opt.base + "'");
    }

    std::string cpu = CpuInfo("model name");
    double hz = opt.ghz * 1e9;
    if (hz <= 0)
    {
        // "cpu MHz" is the current clock of the first core; on a VM it is the nominal one.
        // Turbo makes the real clock higher, so cycles/byte come out lower than the core's
        // true figures; the time per byte, which is what the model uses, stays right as long
        // as Frequency is left at the profile's.
        std::string mhz = CpuInfo("cpu MHz");
        char* end = nullptr;
        double v = std::strtod(mhz.c_str(), &end);
        if (mhz.empty() || !(v > 0))
        {
            Fail("cannot read 'cpu MHz' from /proc/cpuinfo; give --ghz");
        }
        hz = v * 1e6;
    }
    double budget = opt.budget > 0 ? opt.budget : (opt.quick ? 0.004 : 0.12);

    CryptoProfile profile = *base;
    std::string tidyCpu = cpu.empty() ? "unknown" : cpu;
    if (opt.name.empty())
    {
        // "host-" and the CPU model as a token: "AMD EPYC" -> host-amd-epyc.
        std::string n = "host";
        for (char c : tidyCpu)
        {
            bool alnum = std::isalnum(static_cast<unsigned char>(c)) != 0;
            if (alnum)
            {
                n += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            }
            else if (n.back() != '-')
            {
                n += '-';
            }
        }
        if (n.back() == '-')
        {
            n.pop_back();
        }
        if (n.size() > 4 && n[4] != '-')
        {
            n.insert(4, "-");
        }
        profile.name = n;
    }
    else
    {
        profile.name = opt.name;
    }
    profile.frequencyHz = hz;

    // Open the output before spending seconds measuring: a bad path should fail at once.
    std::ofstream out;
    if (!opt.output.empty())
    {
        out.open(opt.output, std::ios::binary | std::ios::trunc);
        if (!out)
        {
            Fail("cannot write " + opt.output);
        }
    }

    auto started = std::chrono::steady_clock::now();
    Calibrator cal(hz, budget);
    MeasureCiphers(cal, profile);
    MeasureMacs(cal, profile);
#ifdef PRESEC_HAVE_ZLIB
    MeasureIpcomp(cal, profile);
    const char* ipcompNote = "";
#else
    const char* ipcompNote = ", ipcomp.*";
#endif
    MeasureKeyOperations(cal, profile);
    double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    // Timing noise is percent-level: four significant digits say all there is to say.
    profile = profile.Rounded(4);

    char date[32];
    std::time_t now = std::time(nullptr);
    std::strftime(date, sizeof(date), "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
    profile.description = "measured by presec-calibrate on " + tidyCpu + " at " +
                          Fixed(hz / 1e9, 3) + " GHz, " + OpenSSL_version(OPENSSL_VERSION) + ", " +
                          date + ", " + Fixed(budget, 3) + " s per case; ipsec.*" + ipcompNote +
                          " from " + base->name;

    std::ostringstream file;
    file << "# Written by presec-calibrate in " << Fixed(elapsed, 1) << " s.\n";
    WriteMeasurements(file, cal.All(), hz);
    file << "#\n";
    profile.Write(file);

    std::ostream& table = opt.output.empty() ? std::cerr : std::cout;
    if (opt.output.empty())
    {
        std::cout << file.str();
    }
    else
    {
        out << file.str();
        out.flush();
        if (!out)
        {
            Fail("cannot write " + opt.output);
        }
        table << "wrote " << opt.output << "\n";
    }
    // Read the file format back: the tool must never write what the model cannot load.
    auto reread = CryptoProfile::Parse(file.str());
    if (!reread || reread.GetValue() != profile)
    {
        Fail("internal error: the written profile does not read back (" + reread.Describe() + ")");
    }
    WriteComparison(table, profile, *base);
    table << "measured in " << Fixed(elapsed, 1) << " s at " << Fixed(hz / 1e9, 3) << " GHz\n";
    return 0;
}
