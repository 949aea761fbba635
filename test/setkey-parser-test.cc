/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "setkey-parser.h"

#include <cstdint>
#include <fstream>
#include <gtest/gtest.h>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

/**
 * The normal form of the round-trip property: white-space runs become one blank, the ends are
 * trimmed, a blank before ';' is dropped and a missing final ';' is added.
 */
std::string
Normalise(const std::string& text)
{
    auto isBlank = [](char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    };
    std::string out;
    bool pendingBlank = false;
    for (char c : text)
    {
        if (isBlank(c))
        {
            pendingBlank = !out.empty();
            continue;
        }
        if (pendingBlank && c != ';')
        {
            out += ' ';
        }
        pendingBlank = false;
        out += c;
    }
    if (out.empty() || out.back() != ';')
    {
        out += ';';
    }
    return out;
}

/// Parse a line that must be valid; fails the test (and returns a default policy) otherwise.
SecurityPolicy
MustParse(const std::string& line)
{
    auto r = SetkeyParser::ParsePolicy(line);
    EXPECT_TRUE(r.IsOk()) << line << "\n  -> " << r.Describe();
    return r.IsOk() ? r.GetValue() : SecurityPolicy();
}

/// Valid statements covering every grammar form; each must round-trip.
const std::vector<std::string> kValidLines = {
    "spdadd 192.168.1.1 192.168.1.2 udp -P out none;",
    "spdadd 192.168.1.2 192.168.1.1 udp -P in none;",
    "spdadd 10.0.0.0/8 10.1.0.0/16 any -P out discard;",
    "spdadd 0.0.0.0/0 0.0.0.0/0 any -P in discard",
    "spdadd 10.0.0.1[5060] 10.0.0.2[any] udp -P out none;",
    "spdadd 10.0.0.0/24[80] 10.0.1.0/24[0] tcp -P out none;",
    "spdadd 10.0.0.7/24 10.0.0.8/32 tcp -P out none;",
    "spdadd 255.255.255.255/32[65535] 0.0.0.0/0[any] 255 -P in none;",
    "spdadd 1.2.3.4 5.6.7.8 0 -P out none;",
    "spdadd 1.2.3.4 5.6.7.8 17 -P out none;",
    "spdadd 1.2.3.4 5.6.7.8 icmp -P out none;",
    "spdadd 1.2.3.4 5.6.7.8 gre -P out none;",
    "spdadd 1.2.3.4 5.6.7.8 esp -P out none;",
    "spdadd 1.2.3.4 5.6.7.8 ah -P out none;",
    "spdadd 1.2.3.4 5.6.7.8 sctp -P out none;",
    "spdadd 1.2.3.4 5.6.7.8 ipcomp -P out none;",
    "spdadd -4 1.2.3.4 5.6.7.8 any -P out none;",
    "spdadd -n 1.2.3.4 5.6.7.8 any -P out none;",
    "spdadd -4n 1.2.3.4 5.6.7.8 any -P out none;",
    "spdadd -4 -n 1.2.3.4 5.6.7.8 any -P out none;",
    "spdadd 1.2.3.4 5.6.7.8 any -P out prio 0 none;",
    "spdadd 1.2.3.4 5.6.7.8 any -P out prio -10 none;",
    "spdadd 1.2.3.4 5.6.7.8 any -P in prio 2147483647 discard;",
    "spdadd 1.2.3.4 5.6.7.8 any -P in prio -2147483648 ipsec esp/transport//use;",
    "spdadd 1.2.3.4 5.6.7.8 any -P out ipsec esp/transport;",
    "spdadd 1.2.3.4 5.6.7.8 any -P out ipsec esp/transport/;",
    "spdadd 1.2.3.4 5.6.7.8 any -P out ipsec esp/transport//require;",
    "spdadd 1.2.3.4 5.6.7.8 any -P out ipsec ah/transport//default;",
    "spdadd 1.2.3.4 5.6.7.8 any -P out ipsec ipcomp/transport//use;",
    "spdadd 1.2.3.4 5.6.7.8 any -P out ipsec esp/transport//unique;",
    "spdadd 1.2.3.4 5.6.7.8 any -P out ipsec esp/transport//unique:1;",
    "spdadd 1.2.3.4 5.6.7.8 any -P out ipsec esp/transport//unique:32767;",
    "spdadd 1.2.3.4 5.6.7.8 any -P out ipsec esp/tunnel/9.9.9.1-9.9.9.2;",
    "spdadd 1.2.3.4 5.6.7.8 any -P out ipsec esp/tunnel/9.9.9.1-9.9.9.2/require;",
    "spdadd 1.2.3.4 5.6.7.8 any -P out ipsec esp/transport//require ah/transport//require;",
    "spdadd 1.2.3.4 5.6.7.8 any -P out ipsec ipcomp/tunnel/9.9.9.1-9.9.9.2/use "
    "esp/tunnel/9.9.9.1-9.9.9.2/require ah/transport//unique:5 esp/transport;",
    "spdadd -4n 0.0.0.0/0[500] 0.0.0.0/0[500] udp -P in prio -10 ipsec esp/transport/;",
    "spdadd 10.0.11.41/32[21] 10.0.11.33/32[any] any -P out ipsec "
    "esp/tunnel/192.168.0.1-192.168.1.2/require ;",
    // Lay-out that normalises away: tabs, line breaks, blank before ';', no ';'.
    "  spdadd\t1.2.3.4   5.6.7.8 any\n\t-P out   ipsec esp/transport//require  ;  ",
    "spdadd 1.2.3.4 5.6.7.8 any -P out none",
};

/// A line that must fail, the piece of message expected, and the column of the offence.
struct BadLine
{
    std::string text;    //!< the input
    std::string message; //!< a substring of the error
    unsigned column;     //!< 1-based column of the offending character
};

const std::string kHead = "spdadd 1.2.3.4 5.6.7.8 any -P out"; // 33 characters

const std::vector<BadLine> kBadLines = {
    {"", "expected spdadd statement, found end of input", 1},
    {"   ", "expected spdadd statement, found end of input", 4},
    {"add 1.2.3.4 5.6.7.8 esp 0x1000;", "expected spdadd statement, found 'add'", 1},
    {"SPDADD 1.2.3.4 5.6.7.8 any -P out none", "found 'SPDADD'", 1},
    {"spdaddx 1.2.3.4 5.6.7.8 any -P out none", "expected spdadd statement", 1},
    {"spdadd", "expected source address range, found end of input", 7},
    {"spdadd 1.2.3.300 5.6.7.8 any -P out none", "expected address octet 0..255, found '300'", 14},
    {"spdadd 256.2.3.4 5.6.7.8 any -P out none", "address octet 0..255", 8},
    {"spdadd 01.2.3.4 5.6.7.8 any -P out none", "address octet 0..255", 8},
    {"spdadd 1.2.3 5.6.7.8 any -P out none", "expected '.'", 13},
    {"spdadd 1.2.3.4.5 5.6.7.8 any -P out none", "end of the IPv4 address (4 octets)", 15},
    {"spdadd 1.2.3.4x 5.6.7.8 any -P out none", "expected blank or ';', found 'x'", 15},
    {"spdadd 1.2.3.4/33 5.6.7.8 any -P out none", "expected prefix length 0..32, found '33'", 16},
    {"spdadd 1.2.3.4/ 5.6.7.8 any -P out none", "prefix length 0..32, found white space", 16},
    {"spdadd 1.2.3.4[65536] 5.6.7.8 any -P out none", "port 0..65535 or any, found '65536'", 16},
    {"spdadd 1.2.3.4[99999999999999999999] 5.6.7.8 any -P out none", "port 0..65535", 16},
    {"spdadd 1.2.3.4[] 5.6.7.8 any -P out none", "port 0..65535 or any, found ']'", 16},
    {"spdadd 1.2.3.4[80 5.6.7.8 any -P out none", "expected ']', found white space", 18},
    {"spdadd 1.2.3.4 5.6.7.8/40 any -P out none", "prefix length 0..32, found '40'", 24},
    {"spdadd 1.2.3.4 myhost any -P out none",
     "expected destination address range, found 'myhost'",
     16},
    {"spdadd 1.2.3.4 fe80::1 any -P out none", "IPv6 is not supported", 16},
    {"spdadd ::/0 ::/0 icmp6 135,0 -P in none", "IPv6 is not supported", 8},
    {"spdadd -6 1.2.3.4 5.6.7.8 any -P out none", "IPv6 is not supported", 9},
    {"spdadd -46n 1.2.3.4 5.6.7.8 any -P out none", "IPv6 is not supported", 10},
    {"spdadd -4x 1.2.3.4 5.6.7.8 any -P out none", "option letters 4, 6 or n, found '4x'", 9},
    {"spdadd -P 1.2.3.4 5.6.7.8 any -P out none", "option letters 4, 6 or n, found 'P'", 9},
    {"spdadd 1.2.3.4 5.6.7.8 bogus -P out none",
     "expected upper-layer protocol (a protocol name, a number 0..255 or any), found 'bogus'",
     24},
    {"spdadd 1.2.3.4 5.6.7.8 256 -P out none", "upper-layer protocol", 24},
    {"spdadd 1.2.3.4 5.6.7.8 UDP -P out none", "upper-layer protocol", 24},
    {"spdadd 1.2.3.4 5.6.7.8 017 -P out none", "upper-layer protocol", 24},
    {"spdadd 1.2.3.4 5.6.7.8 17abc -P out none", "expected blank or ';', found 'abc'", 26},
    {"spdadd 1.2.3.4 5.6.7.8 any out none", "expected -P, found 'out'", 28},
    {"spdadd 1.2.3.4 5.6.7.8 any -p out none", "expected -P, found '-p'", 28},
    {"spdadd 1.2.3.4 5.6.7.8 any -P fwd none", "expected direction in or out, found 'fwd'", 31},
    {"spdadd 1.2.3.4 5.6.7.8 any -P OUT none", "in or out", 31},
    {kHead, "expected action discard, none or ipsec, found end of input", 34},
    {kHead + " drop", "action discard, none or ipsec, found 'drop'", 35},
    {kHead + " priority 5 none", "action discard, none or ipsec, found 'priority'", 35},
    {kHead + " prio none", "expected priority (a signed 32-bit integer), found 'none'", 40},
    {kHead + " prio 2147483648 none", "priority (a signed 32-bit integer)", 40},
    {kHead + " prio -2147483649 none", "priority (a signed 32-bit integer)", 40},
    {kHead + " prio +5 none", "priority (a signed 32-bit integer)", 40},
    {kHead + " prio -0 none", "priority (a signed 32-bit integer)", 40},
    {"spdadd 1.2.3.4 5.6.7.8 any -P in prio 5", "action discard, none or ipsec", 40},
    {kHead + " discard esp/transport//require", "discard and none take no IPsec rules", 43},
    {kHead + " none ah/transport//use", "discard and none take no IPsec rules", 40},
    {kHead + " ipsec", "expected IPsec rule protocol/mode/src-dst/level, found end of input", 40},
    {kHead + " ipsec foo/transport//require",
     "IPsec rule protocol/mode/src-dst/level, found 'foo'",
     41},
    {kHead + " ipsec esp", "expected '/', found end of input", 44},
    {kHead + " ipsec esp/transprt//require", "mode transport or tunnel, found 'transprt'", 45},
    {kHead + " ipsec esp/tunnel//require", "expected tunnel endpoints src-dst, found '/'", 52},
    {kHead + " ipsec esp/tunnel", "expected '/', found end of input", 51},
    {kHead + " ipsec esp/tunnel/1.1.1.1/require", "'-' between the tunnel endpoints", 59},
    {kHead + " ipsec esp/tunnel/1.1.1.1-2.2.2/require", "expected '.'", 65},
    {kHead + " ipsec esp/tunnel/1.1.1.1-fe80::1/require", "IPv6 is not supported", 60},
    {kHead + " ipsec esp/tunnel/1.1.1.1-2.2.2.2[4500]/require", "blank or ';', found '['", 67},
    {kHead + " ipsec esp/transport/1.1.1.1-2.2.2.2/require",
     "transport mode takes no endpoints",
     55},
    {kHead + " ipsec esp/transport/require", "transport mode takes no endpoints", 55},
    {kHead + " ipsec esp/transport//required",
     "level default, use, require or unique[:id], found 'required'",
     56},
    {kHead + " ipsec esp/transport//", "level default, use, require or unique[:id]", 56},
    {kHead + " ipsec esp/transport//unique:0", "policy identifier 1..32767, found '0'", 63},
    {kHead + " ipsec esp/transport//unique:32768", "policy identifier 1..32767", 63},
    {kHead + " ipsec esp/transport//unique:", "policy identifier 1..32767, found end of input", 63},
    {kHead + " ipsec esp/transport//require/", "expected blank or ';', found '/'", 63},
    {kHead + " ipsec esp/transport//require x", "expected ';' or end of input, found 'x'", 64},
    {kHead + " none ; x", "expected end of input, found 'x'", 42},
    {kHead + " none;;", "expected end of input, found ';'", 40},
    {kHead + " none\x01", "expected ';' or end of input, found byte 0x01", 39},
    {kHead + " none # comment", "expected ';' or end of input, found '#'", 40},
};

/// All lines of a file.
std::vector<std::string>
ReadLines(const std::string& path)
{
    std::ifstream in(path);
    EXPECT_TRUE(in.good()) << "cannot open " << path;
    std::vector<std::string> lines;
    std::string line;
    while (std::getline(in, line))
    {
        lines.push_back(line);
    }
    return lines;
}

} // namespace

TEST(SetkeyParser, HostRangesAndUpperName)
{
    auto p = MustParse("spdadd 192.168.1.1 133.134.10.10 udp -P out none;");
    EXPECT_EQ(p.source.address, Ipv4Address("192.168.1.1"));
    EXPECT_EQ(p.source.prefixLength, 32);
    EXPECT_FALSE(p.source.prefixWritten);
    EXPECT_FALSE(p.source.port.has_value());
    EXPECT_FALSE(p.source.portWritten);
    EXPECT_EQ(p.destination.address, Ipv4Address("133.134.10.10"));
    EXPECT_EQ(p.upper.number, 17);
    EXPECT_FALSE(p.upper.numeric);
    EXPECT_EQ(p.direction, PolicyDirection::OUT);
    EXPECT_EQ(p.action, PolicyAction::NONE);
    EXPECT_TRUE(p.requests.empty());
    EXPECT_FALSE(p.priority.has_value());
    EXPECT_EQ(p.options, "");
}

TEST(SetkeyParser, PrefixAndPortForms)
{
    auto p = MustParse("spdadd 10.0.0.0/8[5060] 10.1.2.3[any] tcp -P in discard");
    EXPECT_EQ(p.source.address, Ipv4Address("10.0.0.0"));
    EXPECT_EQ(p.source.prefixLength, 8);
    EXPECT_TRUE(p.source.prefixWritten);
    ASSERT_TRUE(p.source.port.has_value());
    EXPECT_EQ(*p.source.port, 5060);
    EXPECT_TRUE(p.source.portWritten);
    EXPECT_EQ(p.destination.prefixLength, 32);
    EXPECT_FALSE(p.destination.prefixWritten);
    EXPECT_FALSE(p.destination.port.has_value()); // [any]
    EXPECT_TRUE(p.destination.portWritten);
    EXPECT_EQ(p.direction, PolicyDirection::IN);
    EXPECT_EQ(p.action, PolicyAction::DISCARD);

    auto q = MustParse("spdadd 0.0.0.0/0 10.0.0.1/32[65535] any -P out none");
    EXPECT_EQ(q.source.prefixLength, 0);
    EXPECT_TRUE(q.source.prefixWritten);
    EXPECT_TRUE(q.destination.prefixWritten);
    EXPECT_EQ(q.destination.prefixLength, 32);
    EXPECT_EQ(q.destination.port.value_or(0), 65535);
}

TEST(SetkeyParser, HostBitsBeyondPrefixAreKeptAsWritten)
{
    auto p = MustParse("spdadd 10.0.0.7/24 10.0.0.8 any -P out none");
    EXPECT_EQ(p.source.address, Ipv4Address("10.0.0.7"));
    EXPECT_EQ(p.source.prefixLength, 24);
    EXPECT_TRUE(p.source.ContainsAddress(Ipv4Address("10.0.0.200")));
    EXPECT_EQ(SetkeyParser::Print(p), "spdadd 10.0.0.7/24 10.0.0.8 any -P out none;");
}

TEST(SetkeyParser, UpperSpecForms)
{
    auto any = MustParse("spdadd 1.2.3.4 5.6.7.8 any -P out none").upper;
    EXPECT_EQ(any.number, UpperProtocol::ANY);
    EXPECT_FALSE(any.numeric);
    auto num = MustParse("spdadd 1.2.3.4 5.6.7.8 17 -P out none").upper;
    EXPECT_EQ(num.number, 17);
    EXPECT_TRUE(num.numeric);
    auto zero = MustParse("spdadd 1.2.3.4 5.6.7.8 0 -P out none").upper;
    EXPECT_EQ(zero.number, 0);
    EXPECT_TRUE(zero.numeric);
    auto top = MustParse("spdadd 1.2.3.4 5.6.7.8 255 -P out none").upper;
    EXPECT_EQ(top.number, 255);
    for (const char* name : {"icmp", "tcp", "udp", "gre", "esp", "ah", "icmp6", "ipcomp", "sctp"})
    {
        auto u = MustParse(std::string("spdadd 1.2.3.4 5.6.7.8 ") + name + " -P out none").upper;
        EXPECT_EQ(u, *UpperProtocol::FromName(name)) << name;
        EXPECT_EQ(u.ToString(), name);
    }
}

TEST(SetkeyParser, Options)
{
    EXPECT_EQ(MustParse("spdadd -4 1.2.3.4 5.6.7.8 any -P out none").options, "-4");
    EXPECT_EQ(MustParse("spdadd -n 1.2.3.4 5.6.7.8 any -P out none").options, "-n");
    EXPECT_EQ(MustParse("spdadd -4n 1.2.3.4 5.6.7.8 any -P out none").options, "-4n");
    EXPECT_EQ(MustParse("spdadd   -4 \t -n 1.2.3.4 5.6.7.8 any -P out none").options, "-4 -n");
    auto p = MustParse("spdadd -n4 1.2.3.4 5.6.7.8 any -P out none");
    EXPECT_EQ(SetkeyParser::Print(p), "spdadd -n4 1.2.3.4 5.6.7.8 any -P out none;");
}

TEST(SetkeyParser, Ipv6IsRefusedWithColumn)
{
    for (const auto& [text, column] : std::vector<std::pair<std::string, unsigned>>{
             {"spdadd -6 1.2.3.4 5.6.7.8 any -P out none", 9},
             {"spdadd -4 -n6 1.2.3.4 5.6.7.8 any -P out none", 13},
             {"spdadd 2001:db8::1 5.6.7.8 any -P out none", 8},
             {"spdadd 1.2.3.4 ::1 any -P out none", 16},
             {"spdadd ::ffff:1.2.3.4 5.6.7.8 any -P out none", 8},
             {kHead + " ipsec esp/tunnel/fe80::1-1.1.1.1/require", 52},
         })
    {
        auto r = SetkeyParser::ParsePolicy(text);
        ASSERT_FALSE(r.IsOk()) << text;
        EXPECT_EQ(r.GetError(), "IPv6 is not supported (presec models the IPv4 stack)") << text;
        EXPECT_EQ(r.GetLine(), 1u) << text;
        EXPECT_EQ(r.GetColumn(), column) << text;
    }
}

TEST(SetkeyParser, DirectionAndPriority)
{
    auto in = MustParse("spdadd 1.2.3.4 5.6.7.8 any -P in none");
    EXPECT_EQ(in.direction, PolicyDirection::IN);
    EXPECT_FALSE(in.priority.has_value());
    EXPECT_EQ(in.GetPriority(), 0);
    auto neg = MustParse("spdadd 1.2.3.4 5.6.7.8 any -P out prio -10 none");
    EXPECT_EQ(neg.priority, std::optional<int32_t>(-10));
    auto zero = MustParse("spdadd 1.2.3.4 5.6.7.8 any -P out prio 0 none");
    EXPECT_EQ(zero.priority, std::optional<int32_t>(0)); // written 0 is kept distinct from none
    EXPECT_NE(zero, MustParse("spdadd 1.2.3.4 5.6.7.8 any -P out none"));
    EXPECT_EQ(MustParse(kHead + " prio 2147483647 none").priority,
              std::numeric_limits<int32_t>::max());
    EXPECT_EQ(MustParse(kHead + " prio -2147483648 none").priority,
              std::numeric_limits<int32_t>::min());
}

TEST(SetkeyParser, IpsecRuleWrittenForms)
{
    struct Form
    {
        std::string rule;
        IpsecProtocol protocol;
        IpsecMode mode;
        bool endpointFieldWritten;
        std::optional<IpsecLevel> level;
        uint32_t uniqueId;
    };

    const std::vector<Form> forms = {
        {"esp/transport", IpsecProtocol::ESP, IpsecMode::TRANSPORT, false, std::nullopt, 0},
        {"esp/transport/", IpsecProtocol::ESP, IpsecMode::TRANSPORT, true, std::nullopt, 0},
        {"esp/transport//require",
         IpsecProtocol::ESP,
         IpsecMode::TRANSPORT,
         true,
         IpsecLevel::REQUIRE,
         0},
        {"ah/transport//default",
         IpsecProtocol::AH,
         IpsecMode::TRANSPORT,
         true,
         IpsecLevel::DEFAULT,
         0},
        {"ipcomp/transport//use",
         IpsecProtocol::IPCOMP,
         IpsecMode::TRANSPORT,
         true,
         IpsecLevel::USE,
         0},
        {"esp/transport//unique",
         IpsecProtocol::ESP,
         IpsecMode::TRANSPORT,
         true,
         IpsecLevel::UNIQUE,
         0},
        {"ah/transport//unique:42",
         IpsecProtocol::AH,
         IpsecMode::TRANSPORT,
         true,
         IpsecLevel::UNIQUE,
         42},
        {"esp/tunnel/10.0.0.1-10.0.0.2",
         IpsecProtocol::ESP,
         IpsecMode::TUNNEL,
         true,
         std::nullopt,
         0},
        {"esp/tunnel/10.0.0.1-10.0.0.2/unique:32767",
         IpsecProtocol::ESP,
         IpsecMode::TUNNEL,
         true,
         IpsecLevel::UNIQUE,
         32767},
    };
    for (const auto& f : forms)
    {
        const std::string line = kHead + " ipsec " + f.rule + ";";
        auto p = MustParse(line);
        ASSERT_EQ(p.action, PolicyAction::IPSEC) << line;
        ASSERT_EQ(p.requests.size(), 1u) << line;
        const auto& r = p.requests[0];
        EXPECT_EQ(r.protocol, f.protocol) << line;
        EXPECT_EQ(r.mode, f.mode) << line;
        EXPECT_EQ(r.endpointFieldWritten, f.endpointFieldWritten) << line;
        EXPECT_EQ(r.level, f.level) << line;
        EXPECT_EQ(r.uniqueId, f.uniqueId) << line;
        EXPECT_EQ(r.GetLevel(), f.level.value_or(IpsecLevel::DEFAULT)) << line;
        if (f.mode == IpsecMode::TUNNEL)
        {
            EXPECT_EQ(r.tunnelSource, Ipv4Address("10.0.0.1"));
            EXPECT_EQ(r.tunnelDestination, Ipv4Address("10.0.0.2"));
        }
        EXPECT_EQ(SetkeyParser::Print(p), line);
    }
}

TEST(SetkeyParser, BundleOfRulesKeepsOrder)
{
    auto p = MustParse("spdadd 192.168.1.1 133.134.10.10 udp -P out ipsec esp/transport//require "
                       "ah/transport//require;");
    ASSERT_EQ(p.requests.size(), 2u);
    EXPECT_EQ(p.requests[0].protocol, IpsecProtocol::ESP);
    EXPECT_EQ(p.requests[1].protocol, IpsecProtocol::AH);
    EXPECT_EQ(p.requests[0].level, IpsecLevel::REQUIRE);
    EXPECT_EQ(p.requests[1].level, IpsecLevel::REQUIRE);

    auto q = MustParse(kHead + " ipsec ipcomp/tunnel/1.1.1.1-2.2.2.2/use esp/tunnel/1.1.1.1-"
                               "2.2.2.2/require ah/transport//unique:9");
    ASSERT_EQ(q.requests.size(), 3u);
    EXPECT_EQ(q.requests[0].protocol, IpsecProtocol::IPCOMP);
    EXPECT_EQ(q.requests[1].mode, IpsecMode::TUNNEL);
    EXPECT_EQ(q.requests[2].uniqueId, 9u);
}

TEST(SetkeyParser, TrailingSemicolonIsOptional)
{
    EXPECT_EQ(MustParse(kHead + " none"), MustParse(kHead + " none;"));
    EXPECT_EQ(MustParse(kHead + " none"), MustParse(kHead + " none ;  "));
    EXPECT_EQ(MustParse(kHead + " none"), MustParse(" \t" + kHead + "\n none\n;\n"));
}

TEST(SetkeyParser, RoundTripOfValidLines)
{
    for (const auto& line : kValidLines)
    {
        auto r = SetkeyParser::ParsePolicy(line);
        ASSERT_TRUE(r.IsOk()) << line << "\n  -> " << r.Describe();
        const std::string printed = SetkeyParser::Print(r.GetValue());
        EXPECT_EQ(Normalise(printed), Normalise(line));
        EXPECT_EQ(printed, Normalise(printed)) << "Print is already canonical";
        auto again = SetkeyParser::ParsePolicy(printed);
        ASSERT_TRUE(again.IsOk()) << printed;
        EXPECT_EQ(again.GetValue(), r.GetValue()) << printed;
    }
}

TEST(SetkeyParser, PrintOfBuiltPolicies)
{
    SecurityPolicy p;
    p.source = AddressRange::Host(Ipv4Address("192.168.1.1"));
    p.destination = AddressRange::Prefix(Ipv4Address("133.134.10.77"), 24); // masked by Prefix
    p.destination.port = 40000;                                             // not flagged
    p.upper = *UpperProtocol::FromName("udp");
    p.direction = PolicyDirection::OUT;
    p.action = PolicyAction::IPSEC;
    IpsecRequest esp;
    esp.level = IpsecLevel::REQUIRE; // endpoint field not flagged, yet needed before the level
    p.requests.push_back(esp);
    IpsecRequest tunnel;
    tunnel.protocol = IpsecProtocol::AH;
    tunnel.mode = IpsecMode::TUNNEL;
    tunnel.tunnelSource = Ipv4Address("10.0.0.1");
    tunnel.tunnelDestination = Ipv4Address("10.0.0.2");
    p.requests.push_back(tunnel);
    p.priority = 7;
    EXPECT_EQ(SetkeyParser::Print(p),
              "spdadd 192.168.1.1 133.134.10.0/24[40000] udp -P out prio 7 ipsec "
              "esp/transport//require ah/tunnel/10.0.0.1-10.0.0.2;");

    AddressRange unflagged; // prefix 16 set without the written flag still prints
    unflagged.address = Ipv4Address("10.1.0.0");
    unflagged.prefixLength = 16;
    SecurityPolicy q;
    q.source = unflagged;
    q.destination = AddressRange::Host(Ipv4Address("10.2.0.1"));
    EXPECT_EQ(SetkeyParser::Print(q), "spdadd 10.1.0.0/16 10.2.0.1 any -P out none;");

    std::ostringstream os;
    os << p;
    EXPECT_EQ(os.str(), SetkeyParser::Print(p));
}

TEST(SetkeyParser, MalformedLinesFailWithMessageAndColumn)
{
    ASSERT_GE(kBadLines.size(), 35u);
    for (const auto& bad : kBadLines)
    {
        auto r = SetkeyParser::ParsePolicy(bad.text);
        ASSERT_FALSE(r.IsOk()) << "accepted: " << bad.text;
        EXPECT_NE(r.GetError().find(bad.message), std::string::npos)
            << bad.text << "\n  got: " << r.GetError() << "\n  want: " << bad.message;
        EXPECT_EQ(r.GetColumn(), bad.column) << bad.text << "\n  -> " << r.Describe();
        EXPECT_EQ(r.GetLine(), 1u) << bad.text;
    }
}

TEST(SetkeyParser, ErrorOnLaterLineOfOneStatement)
{
    auto r = SetkeyParser::ParsePolicy("spdadd 1.2.3.4\n 5.6.7.8 any\n  -P in ipsec esp/tunnel");
    ASSERT_FALSE(r.IsOk());
    EXPECT_EQ(r.GetLine(), 3u);
    EXPECT_EQ(r.GetColumn(), 25u);
    EXPECT_EQ(r.Describe(), "line 3, column 25: expected '/', found end of input");
}

TEST(SetkeyParser, HugeAndBinaryInputsDoNotCrash)
{
    const std::size_t mega = 1 << 20;

    auto letters = SetkeyParser::ParsePolicy(std::string(mega, 'a'));
    ASSERT_FALSE(letters.IsOk());
    EXPECT_EQ(letters.GetColumn(), 1u);
    EXPECT_LT(letters.GetError().size(), 200u) << "the quoted token is shortened";

    auto digits = SetkeyParser::ParsePolicy("spdadd " + std::string(mega, '9'));
    ASSERT_FALSE(digits.IsOk());
    EXPECT_EQ(digits.GetColumn(), 8u);

    auto farError = SetkeyParser::ParsePolicy("spdadd" + std::string(mega, ' ') + "x");
    ASSERT_FALSE(farError.IsOk());
    EXPECT_EQ(farError.GetColumn(), 7u + mega);

    // A valid policy a megabyte long: blanks between the tokens and a long bundle.
    std::string bundle = "spdadd" + std::string(mega / 2, ' ') + "1.2.3.4 5.6.7.8 any -P out ipsec";
    std::size_t rules = 0;
    while (bundle.size() < 2 * mega)
    {
        bundle += " esp/transport//require";
        ++rules;
    }
    auto big = SetkeyParser::ParsePolicy(bundle);
    ASSERT_TRUE(big.IsOk()) << big.Describe();
    EXPECT_EQ(big.GetValue().requests.size(), rules);

    std::string allBytes;
    for (int b = 0; b < 256; ++b)
    {
        allBytes += static_cast<char>(b);
    }
    EXPECT_FALSE(SetkeyParser::ParsePolicy(allBytes).IsOk());
    EXPECT_FALSE(SetkeyParser::ParseScript(allBytes).IsOk());
    auto nul = SetkeyParser::ParsePolicy(std::string("spdadd 1.2.3.4\0 5.6.7.8", 23));
    ASSERT_FALSE(nul.IsOk());
    EXPECT_EQ(nul.GetColumn(), 15u);
    EXPECT_NE(nul.GetError().find("byte 0x00"), std::string::npos) << nul.GetError();

    auto highBytes = SetkeyParser::ParsePolicy("spdadd \xff\xfe 5.6.7.8 any -P out none");
    ASSERT_FALSE(highBytes.IsOk());
    EXPECT_EQ(highBytes.GetColumn(), 8u);
    EXPECT_NE(highBytes.GetError().find("byte 0xff"), std::string::npos);

    auto script = SetkeyParser::ParseScript("#" + std::string(mega, 'x') + "\nflush;");
    ASSERT_TRUE(script.IsOk()) << script.Describe();
    EXPECT_TRUE(script.GetValue().flush);
}

TEST(SetkeyParser, MutatedLinesNeverCrashAndValidOnesRoundTrip)
{
    std::mt19937 rng(20240607);
    const std::vector<std::string> pieces = {" ",           "/",
                                             "-",           "[",
                                             "]",           ":",
                                             ";",           ".",
                                             "#",           "\n",
                                             "\t",          std::string(1, '\0'),
                                             "\xff",        "any",
                                             "-P",          "prio",
                                             "in",          "out",
                                             "fwd",         "ipsec",
                                             "none",        "discard",
                                             "esp",         "ah",
                                             "ipcomp",      "transport",
                                             "tunnel",      "require",
                                             "unique:",     "use",
                                             "default",     "-4",
                                             "-6",          "-n",
                                             "::1",         "999999999999",
                                             "-2147483648", "2147483648",
                                             "65536",       "256",
                                             "33",          "0",
                                             "00",          "1.2.3.4",
                                             "10.0.0.0/8",  "1.1.1.1-2.2.2.2",
                                             "[any]",       "spdadd",
                                             "flush"};
    auto pick = [&rng](std::size_t n) {
        return static_cast<std::size_t>(std::uniform_int_distribution<std::size_t>(0, n - 1)(rng));
    };

    int accepted = 0;
    for (int i = 0; i < 20000; ++i)
    {
        std::string s = kValidLines[pick(kValidLines.size())];
        const int mutations = 1 + static_cast<int>(pick(4));
        for (int m = 0; m < mutations; ++m)
        {
            const std::size_t at = s.empty() ? 0 : pick(s.size() + 1);
            switch (pick(6))
            {
            case 0: // replace a byte with any byte
                if (!s.empty())
                {
                    s[pick(s.size())] = static_cast<char>(pick(256));
                }
                break;
            case 1: // insert any byte
                s.insert(at, 1, static_cast<char>(pick(256)));
                break;
            case 2: // delete a run
                if (!s.empty())
                {
                    s.erase(pick(s.size()), 1 + pick(8));
                }
                break;
            case 3: // insert a grammar piece
                s.insert(at, pieces[pick(pieces.size())]);
                break;
            case 4: // duplicate a run
                if (!s.empty())
                {
                    const std::size_t from = pick(s.size());
                    s.insert(at, s.substr(from, 1 + pick(12)));
                }
                break;
            default: // truncate
                s.resize(at);
                break;
            }
        }

        auto r = SetkeyParser::ParsePolicy(s);
        if (r.IsOk())
        {
            ++accepted;
            const std::string printed = SetkeyParser::Print(r.GetValue());
            auto again = SetkeyParser::ParsePolicy(printed);
            ASSERT_TRUE(again.IsOk()) << "input: " << s << "\nprinted: " << printed;
            ASSERT_EQ(again.GetValue(), r.GetValue()) << "input: " << s;
            ASSERT_EQ(Normalise(printed), Normalise(s)) << "input: " << s;
        }
        else
        {
            ASSERT_FALSE(r.GetError().empty()) << s;
            ASSERT_GE(r.GetLine(), 1u) << s;
            ASSERT_GE(r.GetColumn(), 1u) << s;
            ASSERT_LE(r.GetColumn(), s.size() + 1) << s;
        }
        auto script = SetkeyParser::ParseScript(s);
        if (!script.IsOk())
        {
            ASSERT_GE(script.GetLine(), 1u) << s;
            ASSERT_GE(script.GetColumn(), 1u) << s;
        }
    }
    // The mutations must leave some lines valid, or the round-trip half tested nothing.
    EXPECT_GT(accepted, 100);
}

TEST(SetkeyParser, ManualPageExamplesRoundTrip)
{
    int statements = 0;
    for (const auto& line : ReadLines(PRESEC_TEST_DATA "/setkey-manual-spdadd.txt"))
    {
        if (line.empty() || line[0] == '#')
        {
            continue;
        }
        ++statements;
        auto r = SetkeyParser::ParsePolicy(line);
        ASSERT_TRUE(r.IsOk()) << line << "\n  -> " << r.Describe();
        EXPECT_EQ(Normalise(SetkeyParser::Print(r.GetValue())), Normalise(line));
    }
    EXPECT_GE(statements, 1);
}

TEST(SetkeyScript, CommentsFlushesAndMultiLineStatements)
{
    const std::string text = "# presec test\n"
                             "flush;\n"
                             "spdflush ; # clear the SPD\n"
                             "\n"
                             "spdadd 192.168.1.1 192.168.1.2 udp # the peer\n"
                             "    -P out none;\n"
                             "spdadd 192.168.1.2 192.168.1.1 udp -P in\n"
                             "    ipsec esp/transport//require\n"
                             "          ah/transport//require ;\n"
                             "# spdadd 9.9.9.9 9.9.9.9 any -P out bogus; (commented out)\n"
                             "spdadd -4 0.0.0.0/0[500] 0.0.0.0/0[500] udp -P out prio -10 none;";
    auto r = SetkeyParser::ParseScript(text);
    ASSERT_TRUE(r.IsOk()) << r.Describe();
    const auto& s = r.GetValue();
    EXPECT_TRUE(s.flush);
    EXPECT_TRUE(s.spdflush);
    ASSERT_EQ(s.policies.size(), 3u);
    EXPECT_EQ(SetkeyParser::Print(s.policies[0]),
              "spdadd 192.168.1.1 192.168.1.2 udp -P out none;");
    EXPECT_EQ(s.policies[1].requests.size(), 2u);
    EXPECT_EQ(s.policies[2].options, "-4");
    EXPECT_EQ(s.policies[2].priority, std::optional<int32_t>(-10));
}

TEST(SetkeyScript, EmptyAndCommentOnlyScripts)
{
    for (const std::string text : {"", "   \n\t\n", "# nothing\n# here", "#"})
    {
        auto r = SetkeyParser::ParseScript(text);
        ASSERT_TRUE(r.IsOk()) << r.Describe();
        EXPECT_TRUE(r.GetValue().policies.empty());
        EXPECT_FALSE(r.GetValue().flush);
        EXPECT_FALSE(r.GetValue().spdflush);
    }
    auto onlyFlush = SetkeyParser::ParseScript("flush;");
    ASSERT_TRUE(onlyFlush.IsOk());
    EXPECT_TRUE(onlyFlush.GetValue().flush);
    EXPECT_FALSE(onlyFlush.GetValue().spdflush);
}

TEST(SetkeyScript, ErrorsCarryLineAndColumn)
{
    struct BadScript
    {
        std::string text;
        std::string message;
        unsigned line;
        unsigned column;
    };

    const std::vector<BadScript> cases = {
        {"flush;\nadd 10.0.0.1 10.0.0.2 esp 0x1000 -E null \"\";\n",
         "unsupported statement 'add'",
         2,
         1},
        {"# c\nflush;\n  spddelete 1.2.3.4 5.6.7.8 any -P out;",
         "unsupported statement 'spddelete'",
         3,
         3},
        {"get 1.2.3.4 5.6.7.8 ah 123456 ;", "unsupported statement 'get'", 1, 1},
        {"spdflush;\n\n   dump esp;", "unsupported statement 'dump'", 3, 4},
        {"spdadd 1.2.3.4 5.6.7.8 any -P out none\nspdadd 1.2.3.4 5.6.7.8 any -P in none;",
         "expected ';', found 'spdadd'",
         2,
         1},
        {"flush", "expected ';', found end of input", 1, 6},
        {"flush esp;", "expected ';', found 'esp'", 1, 7},
        {";", "expected statement spdadd, flush or spdflush, or end of input, found ';'", 1, 1},
        {"flush;;", "found ';'", 1, 7},
        {"spdadd 1.2.3.4 # source\n  5.6.7.8 any\n  -P fwd none;", "in or out, found 'fwd'", 3, 6},
        {"flush; # ok\n\nspdadd 1.2.3.4 5.6.7.8 any -P out ipsec esp/tunnel//require;",
         "tunnel endpoints src-dst",
         3,
         52},
        {"flush;\nspdadd 1.2.3.4 fe80::2 any -P out none;", "IPv6 is not supported", 2, 16},
        {"spdflush;\n10.0.0.1;", "expected statement spdadd, flush or spdflush", 2, 1},
    };
    for (const auto& c : cases)
    {
        auto r = SetkeyParser::ParseScript(c.text);
        ASSERT_FALSE(r.IsOk()) << c.text;
        EXPECT_NE(r.GetError().find(c.message), std::string::npos)
            << c.text << "\n  got: " << r.GetError();
        EXPECT_EQ(r.GetLine(), c.line) << c.text << "\n  -> " << r.Describe();
        EXPECT_EQ(r.GetColumn(), c.column) << c.text << "\n  -> " << r.Describe();
    }
}

TEST(SetkeyScript, PatentFigure7Scenario)
{
    std::ifstream in(PRESEC_TEST_DATA "/../../scenarios/policies/patent-fig7.setkey");
    if (!in)
    {
        GTEST_SKIP() << "scenario file not found next to the test data";
    }
    std::stringstream text;
    text << in.rdbuf();
    auto r = SetkeyParser::ParseScript(text.str());
    ASSERT_TRUE(r.IsOk()) << r.Describe();
    ASSERT_EQ(r.GetValue().policies.size(), 10u);
    const auto& voice = r.GetValue().policies[2];
    EXPECT_EQ(SetkeyParser::Print(voice),
              "spdadd 192.168.1.1 133.134.10.10 udp -P out ipsec esp/transport//require "
              "ah/transport//require;");
}
