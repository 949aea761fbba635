/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Known answers for the IKEv2 key schedule (RFC 7296 §2.13-§2.17, §2.23). The PRF is checked
// against the published vectors of RFC 4868; everything built on it against values computed
// independently of this code, with Python 3's hmac and hashlib modules (inputs given with
// each test; prf+ written there directly from RFC 7296 §2.13).

#include "ns3/ike-key-schedule.h"

#include <cstdint>
#include <gtest/gtest.h>
#include <string>
#include <vector>

using namespace ns3;
using namespace ns3::ikev2;

namespace
{

using Bytes = std::vector<uint8_t>;

/// Lower-case hex of bytes, as Python's bytes.hex() prints them.
std::string
ToHex(const Bytes& v)
{
    static const char* const digits = "0123456789abcdef";
    std::string s;
    for (uint8_t b : v)
    {
        s += digits[b >> 4];
        s += digits[b & 0xf];
    }
    return s;
}

/// start, start + 1, ... (mod 256), n bytes: Python's bytes((start + i) & 0xff for i in ...).
Bytes
Seq(uint8_t start, size_t n)
{
    Bytes out(n);
    for (size_t i = 0; i < n; ++i)
    {
        out[i] = static_cast<uint8_t>(start + i);
    }
    return out;
}

Bytes
Text(const std::string& s)
{
    return Bytes(s.begin(), s.end());
}

// ---------------------------------------------------------------------------------------
// RFC 4868 §2.7.1: PRF-HMAC-SHA-256/384/512 test cases (the inputs of RFC 4231's test cases
// 1-4, 6 and 7), results copied from the RFC.

struct Rfc4868Case
{
    Bytes key;
    Bytes data;
    std::string sha256;
    std::string sha384;
    std::string sha512;
};

std::vector<Rfc4868Case>
Rfc4868Cases()
{
    return {
        {Bytes(20, 0x0b),
         Text("Hi There"),
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
         "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
         "faea9ea9076ede7f4af152e8b2fa9cb6",
         "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
         "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"},
        {Text("Jefe"),
         Text("what do ya want for nothing?"),
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
         "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
         "8e2240ca5e69e2c78b3239ecfab21649",
         "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
         "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"},
        {Bytes(20, 0xaa),
         Bytes(50, 0xdd),
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
         "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b"
         "2a5ab39dc13814b94e3ab6e101a34f27",
         "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
         "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb"},
        {Seq(0x01, 25),
         Bytes(50, 0xcd),
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
         "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e"
         "6801dd23c4a7d679ccf8a386c674cffb",
         "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
         "a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd"},
        {Bytes(131, 0xaa),
         Text("Test Using Larger Than Block-Size Key - Hash Key First"),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
         "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
         "0c2ef6ab4030fe8296248df163f44952",
         "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
         "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"},
        {Bytes(131, 0xaa),
         Text("This is a test using a larger than block-size key and a larger than block-size "
              "data. The key needs to be hashed before being used by the HMAC algorithm."),
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
         "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5"
         "a678cc31e799176d3860e6110c46523e",
         "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944"
         "b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58"},
    };
}

/// Check a PRF against one column of the RFC 4868 test cases.
void
ExpectRfc4868(PrfAlgorithm alg, std::string Rfc4868Case::*expected)
{
    int n = 0;
    for (const auto& c : Rfc4868Cases())
    {
        SCOPED_TRACE("PRF test case " + std::to_string(++n));
        EXPECT_EQ(ToHex(Prf(alg, c.key, c.data)), c.*expected);
    }
}

// ---------------------------------------------------------------------------------------
// Inputs of the IKE SA tests below, as given to Python:
//   Ni = Seq(0x10, 32), Nr = Seq(0x30, 32), g^ir = Seq(0x80, 32) (an X25519 shared
//   secret's size, the default group), SPIi = 0x0123456789abcdef, SPIr = 0xfedcba9876543210.

const Bytes kNi = Seq(0x10, 32);
const Bytes kNr = Seq(0x30, 32);
const Bytes kGir = Seq(0x80, 32);
constexpr uint64_t kSpiI = 0x0123456789abcdefULL;
constexpr uint64_t kSpiR = 0xfedcba9876543210ULL;

/// Check SKEYSEED and the seven SK_* (in the order of RFC 7296 §2.14) for kNi, kNr, kGir and
/// the SPIs.
void
ExpectIkeSaKeys(PrfAlgorithm alg,
                const IkeSaKeyLengths& lengths,
                const std::string& skeyseed,
                const std::vector<std::string>& sk)
{
    Bytes seed = Skeyseed(alg, kNi, kNr, kGir);
    EXPECT_EQ(ToHex(seed), skeyseed);
    IkeSaKeys k = DeriveIkeSaKeys(alg, seed, kNi, kNr, kSpiI, kSpiR, lengths);
    const Bytes* got[] = {&k.skD, &k.skAi, &k.skAr, &k.skEi, &k.skEr, &k.skPi, &k.skPr};
    const char* names[] = {"SK_d", "SK_ai", "SK_ar", "SK_ei", "SK_er", "SK_pi", "SK_pr"};
    ASSERT_EQ(sk.size(), 7u);
    for (size_t i = 0; i < 7; ++i)
    {
        SCOPED_TRACE(names[i]);
        EXPECT_EQ(ToHex(*got[i]), sk[i]);
    }
}

} // namespace

TEST(IkeKeySchedule, PrfSizes)
{
    EXPECT_EQ(PrfSize(PrfAlgorithm::HMAC_SHA1), 20u);
    EXPECT_EQ(PrfSize(PrfAlgorithm::HMAC_SHA2_256), 32u);
    EXPECT_EQ(PrfSize(PrfAlgorithm::HMAC_SHA2_384), 48u);
    EXPECT_EQ(PrfSize(PrfAlgorithm::HMAC_SHA2_512), 64u);
}

TEST(IkeKeySchedule, PrfHmacSha256MatchesRfc4868)
{
    ExpectRfc4868(PrfAlgorithm::HMAC_SHA2_256, &Rfc4868Case::sha256);
}

TEST(IkeKeySchedule, PrfHmacSha384MatchesRfc4868)
{
    ExpectRfc4868(PrfAlgorithm::HMAC_SHA2_384, &Rfc4868Case::sha384);
}

TEST(IkeKeySchedule, PrfHmacSha512MatchesRfc4868)
{
    ExpectRfc4868(PrfAlgorithm::HMAC_SHA2_512, &Rfc4868Case::sha512);
}

TEST(IkeKeySchedule, PrfPlusIteratesThePrf)
{
    // Python: prf+ of RFC 7296 §2.13 over hmac.new(K, T + S + bytes([n]), hash).
    // HMAC-SHA1, K = 0x0b * 20, S = "Hi There", 50 bytes: three PRF outputs, the last cut.
    EXPECT_EQ(ToHex(PrfPlus(PrfAlgorithm::HMAC_SHA1, Bytes(20, 0x0b), Text("Hi There"), 50)),
              "29e6e7119ecc3640f21fd6bd787a4a512a309f870712afe9b04b22bc233fa36f1766a675"
              "0ea37cb074047bec7a361429df72");
    // HMAC-SHA-256, K = Seq(0x00, 32), S = Seq(0xa0, 16), 100 bytes: four outputs.
    EXPECT_EQ(ToHex(PrfPlus(PrfAlgorithm::HMAC_SHA2_256, Seq(0x00, 32), Seq(0xa0, 16), 100)),
              "1913658977a9444c4da4969db023d5f1a6ec8a124bc1413652b8425bb08dada19c3074a3"
              "95843784d076bd33551934793fda17bee3251cf40207bb0a008a48158500adde62a08e29"
              "57906a27bc47fa96e94eb5415cbe0f64c499182788122ad2e9ec9464");
    // A shorter request is a prefix of the longer one.
    Bytes full = PrfPlus(PrfAlgorithm::HMAC_SHA1, Bytes(20, 0x0b), Text("Hi There"), 50);
    EXPECT_EQ(PrfPlus(PrfAlgorithm::HMAC_SHA1, Bytes(20, 0x0b), Text("Hi There"), 7),
              Bytes(full.begin(), full.begin() + 7));
    EXPECT_TRUE(PrfPlus(PrfAlgorithm::HMAC_SHA1, Bytes(20, 0x0b), Text("Hi There"), 0).empty());
}

TEST(IkeKeySchedule, PrfPlusStopsAt255Outputs)
{
    // The counter is one octet: 255 outputs at most.
    EXPECT_EQ(PrfPlus(PrfAlgorithm::HMAC_SHA1, Bytes(20, 1), Bytes(4, 2), 255 * 20).size(),
              255u * 20);
    EXPECT_DEATH(PrfPlus(PrfAlgorithm::HMAC_SHA1, Bytes(20, 1), Bytes(4, 2), 255 * 20 + 1),
                 "prf\\+");
}

TEST(IkeKeySchedule, IkeSaKeysHmacSha1X25519)
{
    // The default suite: PRF_HMAC_SHA1, AUTH_HMAC_SHA1_96 (20-byte keys), ENCR_AES_CBC-128.
    // Python: SKEYSEED = hmac(Ni + Nr, g^ir, sha1); prf+(SKEYSEED, Ni + Nr +
    // struct.pack('>QQ', SPIi, SPIr), 132) cut 20/20/20/16/16/20/20.
    ExpectIkeSaKeys(PrfAlgorithm::HMAC_SHA1,
                    {20, 20, 16},
                    "3a2f00aa8a217d8c339c09357f28092fb3017ce0",
                    {"c5d1f334f48c2f3c42d3ae90fccfbdfbad761529",
                     "c7b9d176749288ad49f7b9c8718bd1eda8098f4c",
                     "9f1f8a378af801cc3eecdc9ebe1059c472f22f92",
                     "d972921e5a45a294ce2a1cf29d800029",
                     "d734471e28f7dcfd5f82f7fcea5a97ef",
                     "daf49de17a52c7037652ccd30492c24dfb78ffdc",
                     "fc9c2ca4f3da4d76808dbd85be848aecba0148b3"});
}

TEST(IkeKeySchedule, IkeSaKeysHmacSha256)
{
    // PRF_HMAC_SHA2_256, 32-byte integrity and encryption keys (224 bytes: seven outputs).
    ExpectIkeSaKeys(PrfAlgorithm::HMAC_SHA2_256,
                    {32, 32, 32},
                    "5f306bc5fc1b25af8daad384581d16d7d6080928e12e5510d2ad3ef83d3bf541",
                    {"1c9a9db455ae5156101736d3c8491095c633f86258c79513c421e3ea07c95bf9",
                     "f121075ca0c83bccaa7cdcca49cb3737884c2db567292c16e83b47c76d31159b",
                     "bf28820f50530b67f646e79facc361c90c01add50a37c1551d4ba29747a0c8b3",
                     "61df837386ed5874221c02b42911073deefb5b8e9894a57c8b87b1f27a7b2c8c",
                     "5be01c4b617882d0fa6758e318d9aa76fa73df9b14d64bd5e6660934531cbe99",
                     "4f4657fe4534489d7f5bf155dfcaa5fdeb6dbea365ff3080e9a691bbacce30a8",
                     "f2c231bb5b16c71df89b957525466c262fa6744043fda07246837d11c5fd73d1"});
}

TEST(IkeKeySchedule, ChildKeymat)
{
    // HMAC-SHA1, SK_d = Seq(0x90, 20), 72 bytes: two sets of AES-128-CBC + HMAC-SHA1 keys,
    // four PRF outputs, the last cut.
    Bytes skD = Seq(0x90, 20);
    // The IKE_AUTH child: prf+(SK_d, Ni | Nr) with the IKE SA's nonces.
    EXPECT_EQ(ToHex(ChildKeymat(PrfAlgorithm::HMAC_SHA1, skD, {}, kNi, kNr, 72)),
              "89859513f7ec94481fc23b8909430422dc46c68750e0660fd4940f32f5aee021ba4c6ccf"
              "b4b0d4a6c92892e53200a15090a4f5f6d27f29c4f0a5ada7e866217ed865a2424c3416a1");
    // CREATE_CHILD_SA with PFS: prf+(SK_d, g^ir (new) | Ni | Nr), g^ir = Seq(0xc0, 32),
    // Ni = Seq(0x50, 32), Nr = Seq(0x70, 32).
    EXPECT_EQ(ToHex(ChildKeymat(PrfAlgorithm::HMAC_SHA1,
                                skD,
                                Seq(0xc0, 32),
                                Seq(0x50, 32),
                                Seq(0x70, 32),
                                72)),
              "739e1b0ac0b188b751173fef951e605d10b14331baad1efef8cffa21a8d31ac69df9147e"
              "aef066a9a3304382e8df208527210ed0d2627eaa0a4bd3c40b65cce2078db331e375de6b");
}

TEST(IkeKeySchedule, SignedOctetsAndPskAuth)
{
    // The initiator's AUTH: RealMessage1 = Seq(0xe0, 40), the responder's nonce Nr,
    // SK_pi = Seq(0xa0, 20), IDi = ID_IPV4_ADDR 10.0.0.1 (RestOfIDPayload 01 000000 0a000001),
    // shared secret "presec-test-secret". Python: maced = hmac(SK_pi, id, sha1);
    // AUTH = hmac(hmac(psk, b"Key Pad for IKEv2", sha1), msg1 + Nr + maced, sha1).
    Bytes msg1 = Seq(0xe0, 40);
    Bytes idBody = {0x01, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x01};
    Bytes octets = SignedOctets(PrfAlgorithm::HMAC_SHA1, msg1, kNr, Seq(0xa0, 20), idBody);
    EXPECT_EQ(ToHex(octets), ToHex(msg1) + ToHex(kNr) + "1f466c913cbcd5565136a383a9b6c539821c04cf");
    EXPECT_EQ(ToHex(AuthPsk(PrfAlgorithm::HMAC_SHA1, Text("presec-test-secret"), octets)),
              "0ebc37de015971c88768d552b8c61feb2d838ef2");
    // Another key, another AUTH.
    EXPECT_EQ(ToHex(AuthPsk(PrfAlgorithm::HMAC_SHA1, Text("presec-test-secreT"), octets)),
              "751cc2da57b8bf4704cf5c32e0b85bdd694566e5");
}

TEST(IkeKeySchedule, NatDetectionHash)
{
    // Python: hashlib.sha1(struct.pack('>QQ', SPIi, SPIr) + ip + struct.pack('>H', port)).
    // The IKE_SA_INIT request (SPIr 0) from 192.0.2.1:500.
    EXPECT_EQ(ToHex(NatDetectionHash(kSpiI, 0, {192, 0, 2, 1}, 500)),
              "9426429034924268452f8e3ff79fb69e2a8d71eb");
    // Both SPIs, 198.51.100.7:4500.
    EXPECT_EQ(ToHex(NatDetectionHash(kSpiI, kSpiR, {198, 51, 100, 7}, 4500)),
              "7bf4a701ea63f3769d66764e8eb91237b4895c03");
}

TEST(IkeKeySchedule, ModeledSharedSecret)
{
    // Python: prf+ with HMAC-SHA1, K = b"presec-modeled-dh", S = Seq(0x01, 32) +
    // Seq(0x21, 32), 32 bytes.
    EXPECT_EQ(ToHex(ModeledSharedSecret(Seq(0x01, 32), Seq(0x21, 32), 32)),
              "4edf8af83e726df79aa3e5993a7587ff63e93e9dd53cbd70583b1511a3ee5054");
    // The order matters: both ends pass (KEi, KEr).
    EXPECT_NE(ModeledSharedSecret(Seq(0x21, 32), Seq(0x01, 32), 32),
              ModeledSharedSecret(Seq(0x01, 32), Seq(0x21, 32), 32));
}
