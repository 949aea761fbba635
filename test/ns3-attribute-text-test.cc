/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/data-rate.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/global-value.h"
#include "ns3/integer.h"
#include "ns3/ipsec-layer.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv6-address.h"
#include "ns3/mac16-address.h"
#include "ns3/mac48-address.h"
#include "ns3/mac64-address.h"
#include "ns3/ns3-attribute-text.h"
#include "ns3/object-factory.h"
#include "ns3/pointer.h"
#include "ns3/queue-size.h"
#include "ns3/random-variable-stream.h"
#include "ns3/string.h"
#include "ns3/vector.h"

#include <gtest/gtest.h>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

/// An enum global value (ns-3.37's core has none), for the command line's global values.
GlobalValue g_testEnum("PresecTestEnum",
                       "an enum global value for ns3-attribute-text-test",
                       EnumValue(1),
                       MakeEnumChecker(1, "one", 2, "two"));

/// CheckCommandLine over \p args, argv[0] first.
std::string
Check(std::vector<std::string> args)
{
    std::vector<char*> argv;
    for (auto& a : args)
    {
        argv.push_back(a.data());
    }
    return ns3text::CheckCommandLine(int(argv.size()), argv.data());
}

Ptr<const AttributeChecker>
CheckerOf(TypeId tid, const std::string& name)
{
    TypeId::AttributeInformation info;
    EXPECT_TRUE(tid.LookupAttributeByName(name, &info)) << name;
    return info.checker;
}

} // namespace

TEST(Ns3AttributeText, EnumNamesAreCheckedAgainstTheCheckersList)
{
    auto crypto = CheckerOf(IpsecLayer::GetTypeId(), "CryptoMode");
    EXPECT_EQ(ns3text::CheckEnumName(*crypto, "modeled"), "");
    EXPECT_EQ(ns3text::CheckEnumName(*crypto, "real"), "");
    for (std::string bad : {"Real", "", "modeled|real", "real|", "|", "mode", "realx"})
    {
        EXPECT_EQ(ns3text::CheckEnumName(*crypto, bad), "not one of modeled|real") << bad;
    }
    // Not an enum: left to its own checker.
    EXPECT_EQ(ns3text::CheckEnumName(*CheckerOf(IpsecLayer::GetTypeId(), "BypassPorts"), "x"), "");
}

TEST(Ns3AttributeText, AttributeTextIsCheckedWhole)
{
    EXPECT_EQ(ns3text::CheckAttributeText("ns3::IpsecLayer::CryptoMode", "real"), "");
    EXPECT_EQ(ns3text::CheckAttributeText("ns3::IpsecLayer::CryptoMode", "fast"),
              "bad value 'fast' for ns3::IpsecLayer::CryptoMode: not one of modeled|real");
    EXPECT_EQ(ns3text::CheckAttributeText("ns3::IpsecLayer::Crypto", "real"),
              "unknown attribute ns3::IpsecLayer::Crypto");
    EXPECT_EQ(ns3text::CheckAttributeText("ns3::NoSuchType::CryptoMode", "real"),
              "unknown attribute ns3::NoSuchType::CryptoMode");
    EXPECT_EQ(ns3text::CheckAttributeText("CryptoMode", "real"), "unknown attribute CryptoMode");
    EXPECT_EQ(ns3text::CheckAttributeText("ns3::TcpSocket::SegmentSize", "1000"), "");
    EXPECT_EQ(ns3text::CheckAttributeText("ns3::PresenceAgent::T1", "250ms"), "");
    // Texts ns-3.37's readers abort on (text left over, an unknown unit) are refused first.
    EXPECT_EQ(ns3text::CheckAttributeText("ns3::TcpSocket::SegmentSize", "big"),
              "bad value 'big' for ns3::TcpSocket::SegmentSize: not an unsigned integer");
    EXPECT_EQ(ns3text::CheckAttributeText("ns3::TcpSocket::SegmentSize", "10 "),
              "bad value '10 ' for ns3::TcpSocket::SegmentSize: not an unsigned integer");
    EXPECT_EQ(ns3text::CheckAttributeText("ns3::PresenceAgent::T1", "2 parsecs"),
              "bad value '2 parsecs' for ns3::PresenceAgent::T1: not a time (a number and s, "
              "ms, us, ns, ps, fs, min, h, d or y)");
    EXPECT_NE(ns3text::CheckAttributeText("ns3::PresenceAgent::T1", "1e999s"), "");
    // In the type's syntax but out of the checker's range: the checker's refusal.
    EXPECT_EQ(ns3text::CheckAttributeText("ns3::TcpSocket::SegmentSize", "4294967296")
                  .rfind("bad value '4294967296' for ns3::TcpSocket::SegmentSize (", 0),
              0u);
}

TEST(Ns3AttributeText, ValueTextOfNumbersAndRates)
{
    EXPECT_EQ(ns3text::CheckValueText(*MakeDataRateChecker(), "10Mbps"), "");
    EXPECT_EQ(ns3text::CheckValueText(*MakeDataRateChecker(), "10Mbps!"),
              "not a data rate (a number and bps, kbps, Mbps, ...)");
    EXPECT_EQ(ns3text::CheckValueText(*MakeDoubleChecker<double>(), "0.5"), "");
    EXPECT_EQ(ns3text::CheckValueText(*MakeDoubleChecker<double>(), "0.5x"), "not a number");
    EXPECT_EQ(ns3text::CheckValueText(*MakeIntegerChecker<int32_t>(), "-3"), "");
    EXPECT_EQ(ns3text::CheckValueText(*MakeIntegerChecker<int32_t>(), "--3"), "not an integer");
    // Types it does not know are left to their checkers.
    EXPECT_EQ(ns3text::CheckValueText(*MakeStringChecker(), "any text"), "");
}

TEST(Ns3AttributeText, AddressesAndVectorsAreCheckedBeforeNs3ThrowsOrGuesses)
{
    // ns-3.37's MAC and Address readers call std::stoul (it throws: the program terminates),
    // its IPv4 reader makes some address of any text: refused here with what was expected.
    const std::string mac = "not a MAC-48 address (six hex bytes, ':' between)";
    EXPECT_EQ(ns3text::CheckValueText(*MakeMac48AddressChecker(), "00:00:00:00:00:0a"), "");
    EXPECT_EQ(ns3text::CheckValueText(*MakeMac48AddressChecker(), "AA:bb:0:1:2:ff"), "");
    for (std::string bad : {"zz",
                            "",
                            "00:00:00:00:00",
                            "00:00:00:00:00:00:00",
                            "00:00:00:00:00:",
                            "000:00:00:00:00:00",
                            "00:00:00:00:00:0g",
                            "00 00:00:00:00:00"})
    {
        EXPECT_EQ(ns3text::CheckValueText(*MakeMac48AddressChecker(), bad), mac) << bad;
    }
    EXPECT_EQ(ns3text::CheckValueText(*MakeMac16AddressChecker(), "00:01"), "");
    EXPECT_NE(ns3text::CheckValueText(*MakeMac16AddressChecker(), "00:01:02"), "");
    EXPECT_EQ(ns3text::CheckValueText(*MakeMac64AddressChecker(), "0:1:2:3:4:5:6:7"), "");
    EXPECT_NE(ns3text::CheckValueText(*MakeMac64AddressChecker(), "0:1:2:3:4:5:6"), "");

    // An Address as ns-3 prints it; a length above 20 would write past ns-3.37's buffer.
    Address a = Mac48Address("00:00:00:00:00:01");
    std::ostringstream printed;
    printed << a;
    EXPECT_EQ(ns3text::CheckValueText(*MakeAddressChecker(), printed.str()), "") << printed.str();
    EXPECT_EQ(ns3text::CheckValueText(*MakeAddressChecker(), "00-00-"), "");
    for (std::string bad : {"zz",
                            "02-06-00:00:00:00:00",
                            "02-15-00",
                            "02-06",
                            "-06-0:0:0:0:0:0",
                            "02-06-00:00:00:00:00:01-"})
    {
        EXPECT_NE(ns3text::CheckValueText(*MakeAddressChecker(), bad), "") << bad;
    }

    EXPECT_EQ(ns3text::CheckValueText(*MakeIpv4AddressChecker(), "10.0.0.1"), "");
    for (std::string bad : {"1.2.3.x", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1..2.3", ""})
    {
        EXPECT_EQ(ns3text::CheckValueText(*MakeIpv4AddressChecker(), bad),
                  "not an IPv4 address (a.b.c.d)")
            << bad;
    }
    EXPECT_EQ(ns3text::CheckValueText(*MakeIpv4MaskChecker(), "255.255.0.0"), "");
    EXPECT_EQ(ns3text::CheckValueText(*MakeIpv4MaskChecker(), "/24"), "");
    EXPECT_EQ(ns3text::CheckValueText(*MakeIpv4MaskChecker(), "/32"), "");
    for (std::string bad : {"/33", "/", "/2x", "/-1", "/999"})
    {
        EXPECT_NE(ns3text::CheckValueText(*MakeIpv4MaskChecker(), bad), "") << bad;
    }
    EXPECT_EQ(ns3text::CheckValueText(*MakeIpv6AddressChecker(), "2001:db8::1"), "");
    EXPECT_EQ(ns3text::CheckValueText(*MakeIpv6AddressChecker(), "2001:db8::g"),
              "not an IPv6 address");
    // inet_pton stops at a NUL, ns-3's reader at white space (and aborts on what is left).
    EXPECT_NE(ns3text::CheckValueText(*MakeIpv6AddressChecker(), std::string("::\0x", 4)), "");
    EXPECT_NE(ns3text::CheckValueText(*MakeIpv4AddressChecker(), std::string("1.2.3.4\0x", 9)), "");
    EXPECT_NE(ns3text::CheckValueText(*MakeIpv4AddressChecker(), "1.2.3.4 x"), "");

    // Vectors: ns-3 aborts on text left over.
    EXPECT_EQ(ns3text::CheckValueText(*MakeVectorChecker(), "1:2.5:-3"), "");
    EXPECT_EQ(ns3text::CheckValueText(*MakeVector2DChecker(), "1:2"), "");
    for (std::string bad : {"1:2:3x", "1:2", "1:2:3:4", "1::3", "a:b:c", "1:2: 3"})
    {
        EXPECT_EQ(ns3text::CheckValueText(*MakeVectorChecker(), bad), "not a vector (x:y:z)")
            << bad;
    }
    EXPECT_EQ(ns3text::CheckValueText(*MakeVector2DChecker(), "1:2:3"), "not a vector (x:y)");

    // Queue sizes: ns-3 aborts on text left over, casts a number beyond 32 bits unchecked.
    for (std::string good : {"100p", "1.5KiB", "10MB", "4294967295B"})
    {
        EXPECT_EQ(ns3text::CheckValueText(*MakeQueueSizeChecker(), good), "") << good;
    }
    for (std::string bad : {"10p x", "big", "10", "p", "1.2.3p", "4294967296B", "5000MB", "10 p"})
    {
        EXPECT_NE(ns3text::CheckValueText(*MakeQueueSizeChecker(), bad), "") << bad;
    }
}

TEST(Ns3AttributeText, ObjectsAreCheckedWithoutMakingThem)
{
    // ns-3.37 makes a pointer's object from the text: an unknown or empty type name, a bracket
    // without its pair or a type without a constructor crashed the program, a bad value inside
    // the brackets aborted in its reader.
    auto rv = MakePointerChecker<RandomVariableStream>();
    EXPECT_EQ(ns3text::CheckValueText(*rv, "ns3::UniformRandomVariable"), "");
    EXPECT_EQ(ns3text::CheckValueText(*rv, "ns3::UniformRandomVariable[Min=1|Max=2]"), "");
    EXPECT_EQ(ns3text::CheckValueText(*rv, "ns3::UniformRandomVariable[]"), "");
    EXPECT_EQ(ns3text::CheckValueText(*rv, "ns3::Nope"), "unknown TypeId 'ns3::Nope'");
    EXPECT_EQ(ns3text::CheckValueText(*rv, ""), "unknown TypeId ''");
    EXPECT_EQ(ns3text::CheckValueText(*rv, "ns3::UniformRandomVariable[Min=x]"),
              "bad value 'x' for Min of ns3::UniformRandomVariable: not a number");
    EXPECT_EQ(ns3text::CheckValueText(*rv, "ns3::UniformRandomVariable[Mix=1]"),
              "unknown attribute 'Mix' of ns3::UniformRandomVariable");
    EXPECT_EQ(ns3text::CheckValueText(*rv, "ns3::UniformRandomVariable[Min]"),
              "'Min' in 'ns3::UniformRandomVariable[Min]' is not Name=Value");
    for (std::string bad : {"ns3::UniformRandomVariable[Min=1",
                            "ns3::UniformRandomVariable]",
                            "ns3::UniformRandomVariable[Min=1]x",
                            "ns3::A[B=ns3::C[D=1]]"})
    {
        EXPECT_EQ(ns3text::CheckValueText(*rv, bad),
                  "'" + bad + "' is not Type or Type[Name=Value|...] (no nesting)");
    }
    EXPECT_EQ(ns3text::CheckValueText(*rv, "ns3::UniformRandomVariable [Min=1]"),
              "no blanks allowed in 'ns3::UniformRandomVariable [Min=1]'");
    EXPECT_EQ(ns3text::CheckValueText(*rv, "ns3::RandomVariableStream"),
              "'ns3::RandomVariableStream' cannot be created: no constructor");
    EXPECT_EQ(ns3text::CheckValueText(*rv, "ns3::IpsecLayer"),
              "'ns3::IpsecLayer' is not a ns3::RandomVariableStream");
    // An object factory's type may be any Object with a constructor.
    auto factory = MakeObjectFactoryChecker();
    EXPECT_EQ(ns3text::CheckValueText(*factory, "ns3::IpsecLayer[CryptoMode=real]"), "");
    EXPECT_EQ(ns3text::CheckValueText(*factory, "ns3::IpsecLayer[CryptoMode=fast]"),
              "bad value 'fast' for CryptoMode of ns3::IpsecLayer: not one of modeled|real");
    EXPECT_EQ(ns3text::CheckValueText(*factory, "ns3::Nope"), "unknown TypeId 'ns3::Nope'");
}

TEST(Ns3AttributeText, DefaultsListIsSplitAsNs3Does)
{
    EXPECT_EQ(ns3text::CheckAttributeDefaults(""), "");
    EXPECT_EQ(ns3text::CheckAttributeDefaults(";;=;x;ns3::IpsecLayer::LevelSemantics=linux;"), "");
    // Unknown names and values out of range are ns-3's to refuse (it does so safely).
    EXPECT_EQ(ns3text::CheckAttributeDefaults(
                  "ns3::NoSuchType::X=1;ns3::TcpSocket::SegmentSize=99999999999"),
              "");
    EXPECT_EQ(ns3text::CheckAttributeDefaults("ns3::TcpSocket::SegmentSize=z"),
              "NS_ATTRIBUTE_DEFAULT: bad value 'z' for ns3::TcpSocket::SegmentSize: not an "
              "unsigned integer");
    EXPECT_EQ(ns3text::CheckAttributeDefaults(
                  "ns3::TcpSocket::SegmentSize=1000;ns3::IpsecLayer::LevelSemantics=bsd"),
              "NS_ATTRIBUTE_DEFAULT: bad value 'bsd' for ns3::IpsecLayer::LevelSemantics: not one "
              "of kame|linux");
    // The first '=' ends the name, as in ns-3's EnvDictionary.
    EXPECT_EQ(ns3text::CheckAttributeDefaults("ns3::IpsecLayer::CryptoMode=real=1"),
              "NS_ATTRIBUTE_DEFAULT: bad value 'real=1' for ns3::IpsecLayer::CryptoMode: not one "
              "of modeled|real");
}

TEST(Ns3AttributeText, CommandLineAttributesAndGlobalsAreChecked)
{
    EXPECT_EQ(Check({"prog"}), "");
    EXPECT_EQ(Check({"prog",
                     "scenario.xml",
                     "--ns3::IpsecLayer::CryptoMode=real",
                     "-ns3::IpsecLayer::LevelSemantics=linux",
                     "--duration=3",
                     "--PresecTestEnum=two",
                     "--help"}),
              "");
    EXPECT_EQ(Check({"prog", "a.xml", "--ns3::IpsecLayer::CryptoMode=fast"}),
              "argument --ns3::IpsecLayer::CryptoMode=fast: bad value 'fast' for "
              "ns3::IpsecLayer::CryptoMode: not one of modeled|real");
    EXPECT_EQ(Check({"prog", "-ns3::IpsecLayer::CryptoMode="}),
              "argument -ns3::IpsecLayer::CryptoMode=: bad value '' for "
              "ns3::IpsecLayer::CryptoMode: not one of modeled|real");
    EXPECT_EQ(Check({"prog", "--PresecTestEnum=three"}),
              "argument --PresecTestEnum=three: bad value 'three' for PresecTestEnum: not one of "
              "one|two");
    EXPECT_EQ(Check({"prog", "--ns3::PresenceAgent::T1=fast"}),
              "argument --ns3::PresenceAgent::T1=fast: bad value 'fast' for "
              "ns3::PresenceAgent::T1: not a time (a number and s, ms, us, ns, ps, fs, min, h, d "
              "or y)");
    EXPECT_EQ(Check({"prog", "--RngRun=7x"}),
              "argument --RngRun=7x: bad value '7x' for RngRun: not an unsigned integer");
    // Not options: CommandLine takes them as non-option arguments.
    EXPECT_EQ(Check({"prog", "ns3::IpsecLayer::CryptoMode=fast"}), "");
}

TEST(Ns3AttributeText, ParseCommandLineParsesOnlyWhatPassed)
{
    uint32_t n = 1;
    std::vector<std::string> good{"prog", "--n=5"};
    std::vector<std::string> bad{"prog", "--n=7", "--ns3::IpsecLayer::CryptoMode=Real"};
    for (auto* args : {&bad, &good})
    {
        CommandLine cmd;
        cmd.AddValue("n", "a number", n);
        std::vector<char*> argv;
        for (auto& a : *args)
        {
            argv.push_back(a.data());
        }
        testing::internal::CaptureStderr();
        bool parsed = ns3text::ParseCommandLine(cmd, int(argv.size()), argv.data());
        std::string err = testing::internal::GetCapturedStderr();
        EXPECT_EQ(parsed, args == &good);
        EXPECT_EQ(n, args == &good ? 5u : 1u);
        EXPECT_EQ(err,
                  args == &good ? ""
                                : "prog: argument --ns3::IpsecLayer::CryptoMode=Real: bad value "
                                  "'Real' for ns3::IpsecLayer::CryptoMode: not one of "
                                  "modeled|real\n");
    }
}
