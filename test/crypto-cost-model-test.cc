/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/boolean.h"
#include "ns3/crypto-cost-model.h"
#include "ns3/crypto-profile.h"
#include "ns3/double.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipsec-helper.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <tuple>
#include <unistd.h>
#include <vector>

using namespace ns3;

namespace
{

/// Every test runs its own simulation; Destroy resets the clock to zero for the next.
class CryptoCostModelTest : public ::testing::Test
{
  protected:
    void TearDown() override
    {
        Simulator::Destroy();
    }

    /// A model at 1 GHz, so one cycle is exactly one nanosecond.
    static Ptr<CryptoCostModel> MakeModel(const std::string& profile = "x86-64-aesni")
    {
        return CreateObjectWithAttributes<CryptoCostModel>("Profile",
                                                           StringValue(profile),
                                                           "Frequency",
                                                           DoubleValue(1e9));
    }
};

/// A scratch file removed at the end of the test.
class TempFile
{
  public:
    explicit TempFile(const std::string& content = "")
    {
        char name[] = "/tmp/presec-profile-XXXXXX";
        int fd = mkstemp(name);
        EXPECT_GE(fd, 0);
        close(fd);
        m_path = name;
        std::ofstream(m_path) << content;
    }

    /**
     * A file named after `stem`, for death tests: their child runs the test's body again and
     * dies before its destructors, so with a fixed name it rewrites the parent's file (which
     * the parent removes) instead of leaving one of its own behind.
     */
    TempFile(const std::string& content, const std::string& stem)
        : m_path(::testing::TempDir() + "presec-profile-" + stem)
    {
        std::ofstream(m_path) << content;
    }

    ~TempFile()
    {
        std::remove(m_path.c_str());
    }

    const std::string& Path() const
    {
        return m_path;
    }

  private:
    std::string m_path;
};

std::string
ProfileText(const CryptoProfile& p)
{
    std::ostringstream os;
    p.Write(os);
    return os.str();
}

/// Text of the x86 profile with the line starting with `key` removed.
std::string
X86TextWithout(const std::string& key)
{
    std::istringstream in(ProfileText(*CryptoProfile::GetBuiltin("x86-64-aesni")));
    std::string line;
    std::string out;
    while (std::getline(in, line))
    {
        if (line.rfind(key, 0) != 0)
        {
            out += line + "\n";
        }
    }
    return out;
}

} // namespace

// ---- the single-server queue ------------------------------------------------------------

TEST_F(CryptoCostModelTest, TwoJobsAtTheSameInstantQueue)
{
    auto m = MakeModel();
    Time first;
    Time second;
    Simulator::Schedule(MilliSeconds(1), [&] {
        first = m->Reserve(3000);
        second = m->Reserve(5000);
    });
    Simulator::Run();
    EXPECT_EQ(first, NanoSeconds(3000));
    // The second job waits for the first: its delay is the sum.
    EXPECT_EQ(second, NanoSeconds(8000));
    EXPECT_EQ(m->GetBusyUntil(), MilliSeconds(1) + NanoSeconds(8000));
}

TEST_F(CryptoCostModelTest, IdleEngineDoesNotQueue)
{
    auto m = MakeModel();
    std::vector<Time> delays;
    for (int i = 1; i <= 3; ++i)
    {
        Simulator::Schedule(MilliSeconds(i), [&] { delays.push_back(m->Reserve(4000)); });
    }
    Simulator::Run();
    ASSERT_EQ(delays.size(), 3u);
    for (const auto& d : delays)
    {
        EXPECT_EQ(d, NanoSeconds(4000));
    }
}

TEST_F(CryptoCostModelTest, PartialOverlapWaitsOnlyForTheRest)
{
    auto m = MakeModel();
    Time second;
    Simulator::Schedule(MicroSeconds(0), [&] { m->Reserve(10000); });
    Simulator::Schedule(MicroSeconds(4), [&] { second = m->Reserve(10000); });
    Simulator::Run();
    // 6 µs left of the first job, then 10 µs of its own.
    EXPECT_EQ(second, MicroSeconds(16));
}

TEST_F(CryptoCostModelTest, BusyTimeJobsAndTraces)
{
    auto m = MakeModel();
    using JobList = std::vector<std::tuple<uint64_t, Time, Time>>;
    JobList jobs;
    m->TraceConnectWithoutContext(
        "Job",
        MakeBoundCallback(
            +[](JobList* v, uint64_t c, Time s, Time d) { v->emplace_back(c, s, d); },
            &jobs));
    Time lastTraced;
    m->TraceConnectWithoutContext("BusyTime",
                                  MakeBoundCallback(
                                      +[](Time* last, Time, Time now) { *last = now; },
                                      &lastTraced));
    Simulator::Schedule(MicroSeconds(10), [&] {
        m->Reserve(1000);
        m->Reserve(2000);
    });
    Simulator::Schedule(MicroSeconds(100), [&] { m->Reserve(500); });
    Simulator::Run();

    EXPECT_EQ(m->GetBusyTime(), NanoSeconds(3500));
    EXPECT_EQ(lastTraced, NanoSeconds(3500));
    EXPECT_EQ(m->GetJobs(), 3u);
    EXPECT_EQ(m->GetCycles(), 3500u);
    ASSERT_EQ(jobs.size(), 3u);
    // The queued job starts when the first ends, not when it was booked.
    EXPECT_EQ(std::get<0>(jobs[1]), 2000u);
    EXPECT_EQ(std::get<1>(jobs[1]), MicroSeconds(11));
    EXPECT_EQ(std::get<2>(jobs[1]), MicroSeconds(2));
    EXPECT_EQ(std::get<1>(jobs[2]), MicroSeconds(100));

    m->ResetStatistics();
    EXPECT_EQ(m->GetBusyTime(), Time(0));
    EXPECT_EQ(m->GetJobs(), 0u);
}

TEST_F(CryptoCostModelTest, Utilization)
{
    auto m = MakeModel();
    // Two back-to-back jobs (one busy period, 0..3 µs) and one at 10..11 µs.
    Simulator::Schedule(Time(0), [&] {
        m->Reserve(1000);
        m->Reserve(2000);
    });
    Simulator::Schedule(MicroSeconds(10), [&] { m->Reserve(1000); });
    Simulator::Run();
    EXPECT_DOUBLE_EQ(m->GetUtilization(Time(0), MicroSeconds(20)), 4.0 / 20);
    EXPECT_DOUBLE_EQ(m->GetUtilization(MicroSeconds(2), MicroSeconds(10)), 1.0 / 8);
    EXPECT_DOUBLE_EQ(m->GetUtilization(MicroSeconds(10), MicroSeconds(11)), 1.0);
    EXPECT_DOUBLE_EQ(m->GetUtilization(MicroSeconds(4), MicroSeconds(9)), 0.0);
    EXPECT_DOUBLE_EQ(m->GetUtilization(MicroSeconds(5), MicroSeconds(5)), 0.0);
}

TEST_F(CryptoCostModelTest, HistoryIsBounded)
{
    auto m = MakeModel();
    m->SetAttribute("MaxHistory", UintegerValue(2));
    for (int i = 0; i < 4; ++i)
    {
        Simulator::Schedule(MicroSeconds(10 * i), [&] { m->Reserve(1000); });
    }
    Simulator::Run();
    // Only the last two periods (20..21, 30..31 µs) are kept.
    EXPECT_DOUBLE_EQ(m->GetUtilization(Time(0), MicroSeconds(40)), 2.0 / 40);
    EXPECT_EQ(m->GetBusyTime(), MicroSeconds(4)); // the total is not affected
}

TEST_F(CryptoCostModelTest, DoublingTheFrequencyHalvesDelays)
{
    auto slow = MakeModel();
    auto fast = MakeModel();
    fast->SetAttribute("Frequency", DoubleValue(2e9));
    Time a1;
    Time a2;
    Time b1;
    Time b2;
    Simulator::Schedule(MilliSeconds(1), [&] {
        a1 = slow->ProcessPacket(IpsecProtocol::ESP,
                                 EncryptionAlgorithm::AES_128_CBC,
                                 AuthenticationAlgorithm::HMAC_SHA1_96,
                                 true,
                                 1400);
        a2 = slow->ProcessKeyOperation(KeyOperation::RSA2048_SIGN);
        b1 = fast->ProcessPacket(IpsecProtocol::ESP,
                                 EncryptionAlgorithm::AES_128_CBC,
                                 AuthenticationAlgorithm::HMAC_SHA1_96,
                                 true,
                                 1400);
        b2 = fast->ProcessKeyOperation(KeyOperation::RSA2048_SIGN);
    });
    Simulator::Run();
    ASSERT_GT(a1, Time(0));
    // One nanosecond of rounding per job at most.
    EXPECT_NEAR(b1.GetDouble() * 2, a1.GetDouble(), 2.0);
    EXPECT_NEAR(b2.GetDouble() * 2, a2.GetDouble(), 4.0);
}

TEST_F(CryptoCostModelTest, DefaultFrequencyIsTheProfiles)
{
    auto m = CreateObject<CryptoCostModel>();
    EXPECT_EQ(m->GetProfile().name, "x86-64-aesni");
    EXPECT_DOUBLE_EQ(m->GetEffectiveFrequency(), 2.3e9);
    Time d;
    Simulator::Schedule(Time(0), [&] { d = m->ProcessKeyOperation(KeyOperation::X25519); });
    Simulator::Run();
    // The source figure: X25519 36 µs at 2.3 GHz.
    EXPECT_EQ(d, MicroSeconds(36));
    m->SetAttribute("Profile", StringValue("xscale-pxa250"));
    EXPECT_DOUBLE_EQ(m->GetEffectiveFrequency(), 400e6);
}

TEST_F(CryptoCostModelTest, DisabledModelCostsNothing)
{
    auto m = MakeModel();
    m->SetAttribute("Enabled", BooleanValue(false));
    Time d1;
    Time d2;
    Time d3;
    Simulator::Schedule(MilliSeconds(1), [&] {
        d1 = m->Reserve(1000000);
        d2 = m->ProcessPacket(IpsecProtocol::ESP,
                              EncryptionAlgorithm::TRIPLE_DES_CBC,
                              AuthenticationAlgorithm::HMAC_SHA256_128,
                              true,
                              1500);
        d3 = m->ProcessKeyOperation(KeyOperation::FFDH_2048);
    });
    Simulator::Run();
    EXPECT_EQ(d1, Time(0));
    EXPECT_EQ(d2, Time(0));
    EXPECT_EQ(d3, Time(0));
    EXPECT_EQ(m->GetBusyTime(), Time(0));
    EXPECT_EQ(m->GetJobs(), 0u);
    EXPECT_EQ(m->GetBytesProcessed(), 0u);
}

TEST_F(CryptoCostModelTest, FreeProfileCostsNothing)
{
    auto m = MakeModel("free");
    Time d;
    Simulator::Schedule(Time(0), [&] {
        d = m->ProcessPacket(IpsecProtocol::ESP,
                             EncryptionAlgorithm::AES_256_GCM_16,
                             AuthenticationAlgorithm::NONE,
                             false,
                             9000);
    });
    Simulator::Run();
    EXPECT_EQ(d, Time(0));
    EXPECT_EQ(m->GetBytesProcessed(), 9000u);
}

TEST_F(CryptoCostModelTest, PacketCostComposition)
{
    const auto p = *CryptoProfile::GetBuiltin("x86-64-aesni");
    const uint32_t n = 1000;
    double framing = p.ipsecCyclesPerPacket + p.ipsecCyclesPerByte * n;
    const auto& cbc = p.Cost(EncryptionAlgorithm::AES_128_CBC);
    const auto& sha = p.Cost(AuthenticationAlgorithm::HMAC_SHA1_96);
    EXPECT_DOUBLE_EQ(p.PacketCycles(IpsecProtocol::ESP,
                                    EncryptionAlgorithm::AES_128_CBC,
                                    AuthenticationAlgorithm::HMAC_SHA1_96,
                                    true,
                                    n),
                     framing + cbc.cyclesPerPacket + cbc.encryptCyclesPerByte * n +
                         sha.cyclesPerPacket + sha.encryptCyclesPerByte * n);
    // Decryption of CBC is parallel, hence cheaper than encryption on AES-NI.
    EXPECT_LT(p.PacketCycles(IpsecProtocol::ESP,
                             EncryptionAlgorithm::AES_128_CBC,
                             AuthenticationAlgorithm::HMAC_SHA1_96,
                             false,
                             n),
              p.PacketCycles(IpsecProtocol::ESP,
                             EncryptionAlgorithm::AES_128_CBC,
                             AuthenticationAlgorithm::HMAC_SHA1_96,
                             true,
                             n));
    // AH ignores the encryption algorithm.
    EXPECT_DOUBLE_EQ(p.PacketCycles(IpsecProtocol::AH,
                                    EncryptionAlgorithm::TRIPLE_DES_CBC,
                                    AuthenticationAlgorithm::HMAC_SHA1_96,
                                    true,
                                    n),
                     framing + sha.cyclesPerPacket + sha.encryptCyclesPerByte * n);
    // IPComp: deflating costs more than inflating.
    EXPECT_DOUBLE_EQ(p.PacketCycles(IpsecProtocol::IPCOMP,
                                    EncryptionAlgorithm::NULL_ENC,
                                    AuthenticationAlgorithm::NONE,
                                    true,
                                    n),
                     framing + p.deflateCyclesPerPacket + p.deflateCyclesPerByte * n);
    EXPECT_DOUBLE_EQ(p.PacketCycles(IpsecProtocol::IPCOMP,
                                    EncryptionAlgorithm::AES_128_CBC,
                                    AuthenticationAlgorithm::HMAC_SHA1_96,
                                    false,
                                    n),
                     framing + p.inflateCyclesPerPacket + p.inflateCyclesPerByte * n);
    EXPECT_GT(p.PacketCycles(IpsecProtocol::IPCOMP,
                             EncryptionAlgorithm::NULL_ENC,
                             AuthenticationAlgorithm::NONE,
                             true,
                             n),
              p.PacketCycles(IpsecProtocol::IPCOMP,
                             EncryptionAlgorithm::NULL_ENC,
                             AuthenticationAlgorithm::NONE,
                             false,
                             n));
}

TEST_F(CryptoCostModelTest, ProcessPacketCountsBytes)
{
    auto m = MakeModel();
    Simulator::Schedule(Time(0), [&] {
        m->ProcessPacket(IpsecProtocol::ESP,
                         EncryptionAlgorithm::AES_128_GCM_16,
                         AuthenticationAlgorithm::NONE,
                         true,
                         400);
        m->ProcessPacket(IpsecProtocol::AH,
                         EncryptionAlgorithm::NULL_ENC,
                         AuthenticationAlgorithm::HMAC_SHA256_128,
                         false,
                         600);
    });
    Simulator::Run();
    EXPECT_EQ(m->GetBytesProcessed(), 1000u);
    EXPECT_EQ(m->GetJobs(), 2u);
}

// ---- built-in profiles ----------------------------------------------------------------

TEST(CryptoProfile, BuiltinsExistAndUnknownDoesNot)
{
    for (const auto& name : CryptoProfile::GetBuiltinNames())
    {
        auto p = CryptoProfile::GetBuiltin(name);
        ASSERT_TRUE(p) << name;
        EXPECT_EQ(p->name, name);
        EXPECT_GT(p->frequencyHz, 0);
        EXPECT_FALSE(p->description.empty());
    }
    EXPECT_FALSE(CryptoProfile::GetBuiltin("pentium-ii"));
}

TEST(CryptoProfile, XscaleIsSlowerThanX86ForAes)
{
    auto x86 = *CryptoProfile::GetBuiltin("x86-64-aesni");
    auto xs = *CryptoProfile::GetBuiltin("xscale-pxa250");
    auto a53 = *CryptoProfile::GetBuiltin("cortex-a53-ce");
    for (auto a : {EncryptionAlgorithm::AES_128_CBC,
                   EncryptionAlgorithm::AES_128_GCM_16,
                   EncryptionAlgorithm::AES_256_GCM_16})
    {
        // Per cycle and, more so, in seconds at each profile's own clock.
        double cx = x86.Cost(a).Cycles(true, 1500);
        double cs = xs.Cost(a).Cycles(true, 1500);
        EXPECT_GT(cs, 5 * cx) << ToString(a);
        EXPECT_GT(cs / xs.frequencyHz, cx / x86.frequencyHz) << ToString(a);
        // AES hardware on the A53 keeps it well ahead of the XScale.
        EXPECT_LT(a53.Cost(a).Cycles(true, 1500), cs) << ToString(a);
    }
}

TEST(CryptoProfile, X86OrderingsFromTheSources)
{
    auto p = *CryptoProfile::GetBuiltin("x86-64-aesni");
    const auto& cbc = p.Cost(EncryptionAlgorithm::AES_128_CBC);
    const auto& gcm = p.Cost(EncryptionAlgorithm::AES_128_GCM_16);
    // GCM is parallel, CBC encryption is serial: per byte GCM is cheaper.
    EXPECT_LT(gcm.encryptCyclesPerByte, cbc.encryptCyclesPerByte);
    EXPECT_LT(cbc.decryptCyclesPerByte, cbc.encryptCyclesPerByte);
    // CBC+HMAC-SHA1 costs more than GCM alone for an MTU-sized packet.
    double cbcSha1 = p.PacketCycles(IpsecProtocol::ESP,
                                    EncryptionAlgorithm::AES_128_CBC,
                                    AuthenticationAlgorithm::HMAC_SHA1_96,
                                    true,
                                    1400);
    double gcmOnly = p.PacketCycles(IpsecProtocol::ESP,
                                    EncryptionAlgorithm::AES_128_GCM_16,
                                    AuthenticationAlgorithm::NONE,
                                    true,
                                    1400);
    EXPECT_LT(gcmOnly, cbcSha1);
    // 3DES is an order of magnitude slower than AES.
    EXPECT_GT(p.Cost(EncryptionAlgorithm::TRIPLE_DES_CBC).encryptCyclesPerByte,
              10 * cbc.encryptCyclesPerByte);
    EXPECT_GT(p.Cost(EncryptionAlgorithm::AES_256_CBC).encryptCyclesPerByte,
              cbc.encryptCyclesPerByte);
    // Public-key orderings.
    EXPECT_LT(p.KeyCycles(KeyOperation::X25519), p.KeyCycles(KeyOperation::FFDH_2048));
    EXPECT_LT(p.KeyCycles(KeyOperation::RSA2048_VERIFY), p.KeyCycles(KeyOperation::RSA2048_SIGN));
    EXPECT_LT(p.KeyCycles(KeyOperation::ECDSA_P256_SIGN),
              p.KeyCycles(KeyOperation::ECDSA_P256_VERIFY));
    EXPECT_LT(p.KeyCycles(KeyOperation::ECDSA_P256_SIGN), p.KeyCycles(KeyOperation::RSA2048_SIGN));
    // The cited microsecond figures survive the conversion to cycles.
    EXPECT_NEAR(p.KeyCycles(KeyOperation::FFDH_2048) / p.frequencyHz, 436e-6, 1e-9);
    EXPECT_NEAR(p.KeyCycles(KeyOperation::RSA2048_VERIFY) / p.frequencyHz, 17e-6, 1e-9);
}

TEST(CryptoProfile, FitsReproduceTheOpensslSpeedPoints)
{
    auto p = *CryptoProfile::GetBuiltin("x86-64-aesni");
    // 16-byte HMAC-SHA1 at 41.7 MB/s and 16 KiB at 1.12 GB/s, 2.3 GHz.
    const auto& sha1 = p.Cost(AuthenticationAlgorithm::HMAC_SHA1_96);
    // Built-in figures are rounded to 4 significant digits: allow 0.1%.
    auto near = [](double got, double want) { return std::fabs(got / want - 1) < 1e-3; };
    EXPECT_PRED2(near, sha1.Cycles(true, 16), 16 / 41.7e6 * 2.3e9);
    EXPECT_PRED2(near, sha1.Cycles(true, 16384), 16384 / 1.12e9 * 2.3e9);
    const auto& gcm = p.Cost(EncryptionAlgorithm::AES_128_GCM_16);
    EXPECT_PRED2(near, gcm.Cycles(true, 16), 16 / 28.6e6 * 2.3e9);
    EXPECT_PRED2(near, gcm.Cycles(true, 16384), 16384 / 3.23e9 * 2.3e9);
    EXPECT_PRED2(near,
                 p.Cost(EncryptionAlgorithm::TRIPLE_DES_CBC).encryptCyclesPerByte,
                 2.3e9 / 25.9e6);
}

TEST(CryptoProfile, FreeIsZero)
{
    auto p = *CryptoProfile::GetBuiltin("free");
    for (auto proto : {IpsecProtocol::AH, IpsecProtocol::ESP, IpsecProtocol::IPCOMP})
    {
        EXPECT_EQ(p.PacketCycles(proto,
                                 EncryptionAlgorithm::TRIPLE_DES_CBC,
                                 AuthenticationAlgorithm::HMAC_SHA256_128,
                                 true,
                                 1500),
                  0.0);
    }
    for (std::size_t i = 0; i < kKeyOperationCount; ++i)
    {
        EXPECT_EQ(p.KeyCycles(static_cast<KeyOperation>(i)), 0.0);
    }
}

// ---- profile files --------------------------------------------------------------------

TEST(CryptoProfileFile, RoundTripOfEveryBuiltin)
{
    for (const auto& name : CryptoProfile::GetBuiltinNames())
    {
        auto p = *CryptoProfile::GetBuiltin(name);
        TempFile f;
        ASSERT_TRUE(p.Save(f.Path()));
        auto back = CryptoProfile::Load(f.Path());
        ASSERT_TRUE(back) << name << ": " << back.Describe();
        EXPECT_EQ(back.GetValue(), p) << name;
    }
}

TEST(CryptoProfileFile, RoundTripOfAwkwardNumbers)
{
    auto p = *CryptoProfile::GetBuiltin("free");
    p.name = "odd";
    p.description = "values # with a hash sign, kept literally";
    p.frequencyHz = 1.0 / 3.0;
    p.Cost(EncryptionAlgorithm::AES_128_CBC).encryptCyclesPerByte = 0.1 + 0.2;
    p.Cost(AuthenticationAlgorithm::HMAC_SHA1_96).cyclesPerPacket = 1e12;
    p.KeyCycles(KeyOperation::X25519) = 5e-324; // smallest denormal
    auto back = CryptoProfile::Parse(ProfileText(p));
    ASSERT_TRUE(back) << back.Describe();
    EXPECT_EQ(back.GetValue(), p);
}

TEST(CryptoProfileFile, CommentsBlankLinesAndBase)
{
    auto r = CryptoProfile::Parse("# measured by hand\n"
                                  "\n"
                                  "  base = xscale-pxa250   \n"
                                  "name = my-pda\r\n"
                                  "frequency_hz = 206e6   # StrongARM SA-1110\n"
                                  "key.x25519.cycles = 1.5e7\n");
    ASSERT_TRUE(r) << r.Describe();
    auto xs = *CryptoProfile::GetBuiltin("xscale-pxa250");
    const auto& p = r.GetValue();
    EXPECT_EQ(p.name, "my-pda");
    EXPECT_DOUBLE_EQ(p.frequencyHz, 206e6);
    EXPECT_DOUBLE_EQ(p.KeyCycles(KeyOperation::X25519), 1.5e7);
    // Everything else comes from the base.
    EXPECT_EQ(p.Cost(EncryptionAlgorithm::AES_128_CBC), xs.Cost(EncryptionAlgorithm::AES_128_CBC));
    EXPECT_EQ(p.KeyCycles(KeyOperation::RSA2048_SIGN), xs.KeyCycles(KeyOperation::RSA2048_SIGN));
}

struct MalformedCase
{
    const char* label;    //!< what is wrong
    std::string text;     //!< the file
    const char* expected; //!< substring of the error
    unsigned line;        //!< expected line (0 = none)
};

class CryptoProfileMalformed : public ::testing::TestWithParam<MalformedCase>
{
};

TEST_P(CryptoProfileMalformed, IsRejectedWithLineAndMessage)
{
    const auto& c = GetParam();
    auto r = CryptoProfile::Parse(c.text);
    ASSERT_FALSE(r) << c.label;
    EXPECT_NE(r.GetError().find(c.expected), std::string::npos)
        << c.label << ": got \"" << r.Describe() << "\"";
    EXPECT_EQ(r.GetLine(), c.line) << c.label << ": " << r.Describe();
    // It also fails the same way from a file.
    TempFile f(c.text);
    auto fromFile = CryptoProfile::Load(f.Path());
    EXPECT_FALSE(fromFile);
    EXPECT_EQ(fromFile.GetError(), r.GetError());
}

const std::string kHead = "base = x86-64-aesni\nname = t\n"; // two valid lines

INSTANTIATE_TEST_SUITE_P(
    Files,
    CryptoProfileMalformed,
    ::testing::Values(
        MalformedCase{"no equals sign", kHead + "frequency_hz 2e9\n", "expected 'key = value'", 3},
        MalformedCase{"unknown key", kHead + "frequency = 2e9\n", "unknown key 'frequency'", 3},
        MalformedCase{"misspelt algorithm",
                      kHead + "encryption.aes-cbc.encrypt_cycles_per_byte = 1\n",
                      "unknown key",
                      3},
        MalformedCase{"NULL encryption has no key",
                      kHead + "encryption.null.cycles_per_packet = 1\n",
                      "unknown key",
                      3},
        MalformedCase{"letters", kHead + "frequency_hz = fast\n", "bad number 'fast'", 3},
        MalformedCase{"trailing junk", kHead + "ipsec.cycles_per_byte = 6c/B\n", "bad number", 3},
        MalformedCase{"hex", kHead + "ipsec.cycles_per_byte = 0x10\n", "bad number", 3},
        MalformedCase{"plus sign", kHead + "ipsec.cycles_per_byte = +6\n", "bad number", 3},
        MalformedCase{"decimal comma", kHead + "ipsec.cycles_per_byte = 6,5\n", "bad number", 3},
        MalformedCase{"nan", kHead + "key.x25519.cycles = nan\n", "bad number 'nan'", 3},
        MalformedCase{"infinity", kHead + "key.x25519.cycles = inf\n", "bad number 'inf'", 3},
        MalformedCase{"overflowing exponent",
                      kHead + "key.x25519.cycles = 1e999\n",
                      "bad number",
                      3},
        MalformedCase{"negative", kHead + "ipcomp.deflate_cycles_per_byte = -40\n", "negative", 3},
        MalformedCase{"zero clock", kHead + "frequency_hz = 0\n", "'frequency_hz' must be > 0", 3},
        MalformedCase{"too large", kHead + "key.rsa2048-sign.cycles = 2e12\n", "too large", 3},
        MalformedCase{"empty number",
                      kHead + "ipsec.cycles_per_packet =   # later\n",
                      "missing value for 'ipsec.cycles_per_packet'",
                      3},
        MalformedCase{"duplicate", kHead + "name = again\n", "duplicate key 'name'", 3},
        MalformedCase{"no key", kHead + " = 5\n", "missing key before '='", 3},
        MalformedCase{"empty name", "base = free\nname =\n", "empty value for 'name'", 2},
        MalformedCase{"base not first",
                      "name = t\nbase = free\n",
                      "'base' must be the first key",
                      2},
        MalformedCase{"unknown base",
                      "base = pentium\nname = t\n",
                      "unknown built-in profile 'pentium'",
                      1},
        MalformedCase{"no name", "base = free\n", "missing key 'name'", 0},
        MalformedCase{"missing figure without base",
                      X86TextWithout("key.ecdsa-p256-verify.cycles"),
                      "missing key 'key.ecdsa-p256-verify.cycles'",
                      0},
        MalformedCase{"binary garbage",
                      std::string("\x7f"
                                  "ELF\x01\x02\x00\x00",
                                  8),
                      "control character in the line",
                      1},
        MalformedCase{"empty file", "", "missing key 'name'", 0}));

TEST(CryptoProfileFile, ColumnPointsAtTheValue)
{
    auto r = CryptoProfile::Parse("base = free\nname = t\n  frequency_hz =  x\n");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.GetLine(), 3u);
    EXPECT_EQ(r.GetColumn(), 19u);
    EXPECT_EQ(r.Describe(), "line 3, column 19: bad number 'x' for 'frequency_hz'");
}

TEST(CryptoProfileFile, AControlCharacterInsideALineIsRefused)
{
    // Found by the crypto-profile fuzz target: a carriage return inside the name was accepted,
    // and Write (one-line values) wrote a space back, so the file did not read back equal.
    auto r = CryptoProfile::Parse("base = free\nname = a\rb\n");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.Describe(), "line 2, column 9: control character in the line");
    // The line ending of a CRLF file is not inside the line.
    EXPECT_TRUE(CryptoProfile::Parse("base = free\r\nname = ab\r\n"));
    EXPECT_TRUE(CryptoProfile::Parse("base = free\nname = a\tb\n")); // a tab is text
}

TEST(CryptoProfileFile, MissingFile)
{
    auto r = CryptoProfile::Load("/nonexistent/presec/profile.txt");
    ASSERT_FALSE(r);
    EXPECT_NE(r.GetError().find("cannot open"), std::string::npos);
}

// ---- attributes -----------------------------------------------------------------------

TEST_F(CryptoCostModelTest, ProfileFileAttributeOverridesProfile)
{
    auto custom = *CryptoProfile::GetBuiltin("cortex-a53-ce");
    custom.name = "from-file";
    TempFile f(ProfileText(custom));
    auto m = CreateObjectWithAttributes<CryptoCostModel>("Profile",
                                                         StringValue("free"),
                                                         "ProfileFile",
                                                         StringValue(f.Path()));
    EXPECT_EQ(m->GetProfile(), custom);
    StringValue name;
    m->GetAttribute("Profile", name);
    EXPECT_EQ(name.Get(), "from-file");
}

TEST_F(CryptoCostModelTest, LoadProfileFileFailureKeepsTheProfile)
{
    auto m = MakeModel("cortex-a53-ce");
    TempFile f("name = broken\nfrequency_hz = -1\n");
    auto r = m->LoadProfileFile(f.Path());
    EXPECT_FALSE(r);
    EXPECT_EQ(r.GetLine(), 2u);
    EXPECT_EQ(m->GetProfile().name, "cortex-a53-ce");
}

TEST_F(CryptoCostModelTest, UnknownProfileNameAborts)
{
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_DEATH(CreateObjectWithAttributes<CryptoCostModel>("Profile", StringValue("pentium-ii")),
                 "unknown built-in profile 'pentium-ii'");
}

TEST_F(CryptoCostModelTest, BadProfileFileAttributeAbortsWithTheParserMessage)
{
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    TempFile f("name = x\nbogus = 1\n", "bad-attribute");
    EXPECT_DEATH(CreateObjectWithAttributes<CryptoCostModel>("ProfileFile", StringValue(f.Path())),
                 "line 2, column 1: unknown key 'bogus'");
}

TEST_F(CryptoCostModelTest, IpsecHelperPassesCostModelAttributes)
{
    NodeContainer nodes;
    nodes.Create(1);
    InternetStackHelper().Install(nodes);
    IpsecHelper ipsec;
    ipsec.SetCostModel("x86-64-aesni");
    ipsec.SetCostModelAttribute("Frequency", DoubleValue(1e9));
    ipsec.SetCostModelAttribute("MaxHistory", UintegerValue(2));
    ipsec.Install(nodes.Get(0));
    Ptr<CryptoCostModel> m = nodes.Get(0)->GetObject<CryptoCostModel>();
    ASSERT_TRUE(m);
    EXPECT_EQ(m->GetProfile().name, "x86-64-aesni");
    // Three 1 µs jobs 10 µs apart: only the last two periods are kept.
    for (int i = 0; i < 3; ++i)
    {
        Simulator::Schedule(MicroSeconds(10 * i), [m] { m->Reserve(1000); });
    }
    Simulator::Run();
    EXPECT_EQ(m->GetBusyTime(), MicroSeconds(3));
    EXPECT_DOUBLE_EQ(m->GetUtilization(Time(0), MicroSeconds(30)), 2.0 / 30);
}

TEST_F(CryptoCostModelTest, AFullBacklogRefusesUntilAJobIsDone)
{
    auto m = MakeModel();
    m->SetAttribute("MaxBacklog", UintegerValue(3));
    std::vector<bool> full;
    Simulator::Schedule(MicroSeconds(1), [&] {
        for (int i = 0; i < 3; ++i)
        {
            full.push_back(m->IsBacklogFull());
            m->Reserve(10000); // 10 us each: done at 11, 21, 31 us
        }
        full.push_back(m->IsBacklogFull());
    });
    Simulator::Schedule(MicroSeconds(20), [&] { full.push_back(m->IsBacklogFull()); });
    Simulator::Schedule(MicroSeconds(21), [&] { full.push_back(m->IsBacklogFull()); });
    Simulator::Run();
    EXPECT_EQ(full, (std::vector<bool>{false, false, false, true, false, false}));
    // 20 us: the first job is done, two are left; without a bound it is never full.
    m->SetAttribute("MaxBacklog", UintegerValue(0));
    for (int i = 0; i < 5000; ++i)
    {
        m->Reserve(10000);
    }
    EXPECT_FALSE(m->IsBacklogFull());
}
