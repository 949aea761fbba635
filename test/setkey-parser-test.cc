/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/setkey-parser.h"

#include <algorithm>
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
    {"spdadd 1.2.3.4 5.6.7.8 any -P fw none", "expected direction in, out or fwd, found 'fw'", 31},
    {"spdadd 1.2.3.4 5.6.7.8 any -P OUT none", "in, out or fwd", 31},
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

/// A uniform pick in [0, n).
std::size_t
Pick(std::mt19937& rng, std::size_t n)
{
    return static_cast<std::size_t>(std::uniform_int_distribution<std::size_t>(0, n - 1)(rng));
}

/**
 * Apply 1..4 random mutations to a line: replace or insert any byte, delete or duplicate a
 * run, insert a grammar piece, truncate.
 */
void
Mutate(std::string& s, std::mt19937& rng, const std::vector<std::string>& pieces)
{
    const int mutations = 1 + static_cast<int>(Pick(rng, 4));
    for (int m = 0; m < mutations; ++m)
    {
        const std::size_t at = s.empty() ? 0 : Pick(rng, s.size() + 1);
        switch (Pick(rng, 6))
        {
        case 0: // replace a byte with any byte
            if (!s.empty())
            {
                s[Pick(rng, s.size())] = static_cast<char>(Pick(rng, 256));
            }
            break;
        case 1: // insert any byte
            s.insert(at, 1, static_cast<char>(Pick(rng, 256)));
            break;
        case 2: // delete a run
            if (!s.empty())
            {
                s.erase(Pick(rng, s.size()), 1 + Pick(rng, 8));
            }
            break;
        case 3: // insert a grammar piece
            s.insert(at, pieces[Pick(rng, pieces.size())]);
            break;
        case 4: // duplicate a run
            if (!s.empty())
            {
                const std::size_t from = Pick(rng, s.size());
                s.insert(at, s.substr(from, 1 + Pick(rng, 12)));
            }
            break;
        default: // truncate
            s.resize(at);
            break;
        }
    }
}

// --- `add` statements ---

const std::string kK16 = "00112233445566778899aabbccddeeff"; //!< 16-byte hex key
const std::string kK20 = kK16 + "01234567";                  //!< 20 bytes
const std::string kK24 = kK16 + "0123456789abcdef";          //!< 24 bytes
const std::string kK32 = kK16 + kK16;                        //!< 32 bytes
const std::string kK36 = kK32 + "cafebabe";                  //!< 36 bytes

const std::string kSa = "add 10.0.0.1 10.0.0.2 esp 0x1000"; // 32 characters
const std::string kSha1 = " -A hmac-sha1 0x" + kK20;        // 56 characters
/// The shortest ESP algorithm presec accepts: null encryption with an ICV (64 characters).
const std::string kNullSha1 = " -E null" + kSha1;

/// The bytes of a hex string (no 0x).
std::vector<uint8_t>
Bytes(const std::string& hex)
{
    std::vector<uint8_t> out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    {
        out.push_back(static_cast<uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    }
    return out;
}

/// The bytes of a text (a quoted key).
std::vector<uint8_t>
TextBytes(const std::string& text)
{
    return std::vector<uint8_t>(text.begin(), text.end());
}

/// Parse an `add` line that must be valid; fails the test (and returns a default SA) otherwise.
SecurityAssociation
MustParseSa(const std::string& line, SetkeySaForm* form = nullptr)
{
    auto r = SetkeyParser::ParseSa(line, form);
    EXPECT_TRUE(r.IsOk()) << line << "\n  -> " << r.Describe();
    return r.IsOk() ? r.GetValue() : SecurityAssociation();
}

/// Every parameter of two SAs (SecurityAssociation has no operator==: it also holds state).
::testing::AssertionResult
SameSa(const SecurityAssociation& a, const SecurityAssociation& b)
{
    if (a.spi == b.spi && a.source == b.source && a.destination == b.destination &&
        a.protocol == b.protocol && a.mode == b.mode && a.encryption == b.encryption &&
        a.authentication == b.authentication && a.encryptionKey == b.encryptionKey &&
        a.authenticationKey == b.authenticationKey && a.reqid == b.reqid &&
        a.replayWindow == b.replayWindow && a.lifetime.softBytes == b.lifetime.softBytes &&
        a.lifetime.hardBytes == b.lifetime.hardBytes &&
        a.lifetime.softTime == b.lifetime.softTime && a.lifetime.hardTime == b.lifetime.hardTime)
    {
        return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure()
           << "SAs differ:\n  " << SetkeyParser::PrintSa(a) << " (window " << a.replayWindow
           << ")\n  " << SetkeyParser::PrintSa(b) << " (window " << b.replayWindow << ")";
}

/// Same written form.
bool
SameForm(const SetkeySaForm& a, const SetkeySaForm& b)
{
    return a.options == b.options && a.modeAny == b.modeAny && a.rawCpi == b.rawCpi;
}

/// Valid `add` statements covering every form; each must survive print and parse.
const std::vector<std::string> kValidSaLines = {
    "add 10.0.0.1 10.0.0.2 esp 0x1000 -E aes-cbc 0x" + kK16 + kSha1 + ";",
    "add 10.0.0.1 10.0.0.2 esp 4096 -m transport -E aes-cbc 0x" + kK32 + " -A hmac-sha1 0x" + kK20 +
        ";",
    "add -4n 10.0.0.1 10.0.0.2 esp 0x00001001 -m tunnel -r 4 -u 1 -E rijndael-cbc "
    "\"0123456789abcdef\" -A hmac-sha256 0x" +
        kK32 + ";",
    "add -4 -n 192.168.1.1 133.134.10.10 esp 256 -m any -E aes-gcm-16 0x" + kK20 + ";",
    "add 192.168.1.1 133.134.10.10 esp 4294967295 -E aes-gcm-16 0x" + kK36,
    "add 1.2.3.4 5.6.7.8 esp 0xFFFFFFFF -E 3des-cbc 0x" + kK24 + " -A hmac-sha2-256 0x" + kK32 +
        ";",
    "add 1.2.3.4 5.6.7.8 esp 0x10001 -E chacha20-poly1305 0x" + kK36 + ";",
    "add 1.2.3.4 5.6.7.8 esp 0x10001" + kNullSha1 + ";",
    "add 1.2.3.4 5.6.7.8 esp 0x10001 -E null \"\" -A hmac-sha256 0x" + kK32 + ";",
    "add 1.2.3.4 5.6.7.8 esp 0x10001 -E null -A hmac-sha1 \"12341234123412341234\";",
    "add 1.2.3.4 5.6.7.8 esp 0x10001 -bs 1000 -bh 2000 -ls 30 -lh 60 -r 0 -u 32767 -m tunnel" +
        kNullSha1 + ";",
    "add 1.2.3.4 5.6.7.8 esp 0x10001 -r 536870911 -lh 4294967295 -bh 18446744073709551615" +
        kNullSha1 + ";",
    "add 1.2.3.4 5.6.7.8 ah 0x1000 -A hmac-sha1 0x" + kK20 + ";",
    "add 1.2.3.4 5.6.7.8 ah 123456 -m transport -r 8 -A hmac-sha256 0x" + kK32 + ";",
    "add 1.2.3.4 5.6.7.8 ipcomp 1 -C deflate;",
    "add 1.2.3.4 5.6.7.8 ipcomp 0x1000 -r 4 -C deflate;",
    "add 1.2.3.4 5.6.7.8 ipcomp 0xffff -m tunnel -C deflate -R;",
    "add 1.2.3.4 5.6.7.8 esp 0x1000 -E aes-cbc \"a#b c;d'e\\f|g~h!\"" + kSha1 + ";",
    "  add\t1.2.3.4\n 5.6.7.8  esp 0x1000\n\t-E null\n -A hmac-sha1 0x" + kK20 + " ;  ",
};

const std::vector<BadLine> kBadSaLines = {
    {std::string(), "expected add statement, found end of input", 1},
    {"spdadd 1.2.3.4 5.6.7.8 any -P out none", "expected add statement, found 'spdadd'", 1},
    {"ADD 10.0.0.1 10.0.0.2 esp 0x1000 -E null", "expected add statement, found 'ADD'", 1},
    {"add", "expected source address, found end of input", 4},
    {"add myhost 10.0.0.2 esp 0x1000 -E null", "expected source address, found 'myhost'", 5},
    {"add 10.0.0.1 10.0.0.300 esp 0x1000 -E null", "address octet 0..255, found '300'", 21},
    {"add 10.0.0.1/32 10.0.0.2 esp 0x1000 -E null",
     "expected end of the address (an SA takes no prefix length or port), found '/'",
     13},
    {"add 10.0.0.1 10.0.0.2[500] esp 0x1000 -E null",
     "an SA takes no prefix length or port), found '['",
     22},
    {"add 10.0.0.1 fe80::2 esp 0x1000 -E null", "IPv6 is not supported", 14},
    {"add -6 10.0.0.1 10.0.0.2 esp 0x1000 -E null", "IPv6 is not supported", 6},
    {"add 10.0.0.1 10.0.0.2 tcp 0x1000 -A tcp-md5 \"secret\"", "unsupported SA protocol 'tcp'", 23},
    {std::string("add 10.0.0.1 10.0.0.2 ah-old 0x1000 -A hmac-sha1 0x") + kK20,
     "unsupported SA protocol 'ah-old'",
     23},
    {"add 10.0.0.1 10.0.0.2 0x1000 -E null",
     "expected SA protocol esp, ah or ipcomp, found '0x1000'",
     23},
    {"add 10.0.0.1 10.0.0.2 esp 255 -E null",
     "expected SPI 256..4294967295 (decimal or 0x hex; 0..255 are reserved), found '255'",
     27},
    {"add 10.0.0.1 10.0.0.2 esp 0x0ff -E null", "SPI 256..4294967295", 27},
    {"add 10.0.0.1 10.0.0.2 esp 4294967296 -E null", "SPI 256..4294967295", 27},
    {"add 10.0.0.1 10.0.0.2 esp 0x123456789 -E null", "found '0x123456789'", 27},
    {"add 10.0.0.1 10.0.0.2 esp 01000 -E null", "SPI 256..4294967295", 27},
    {"add 10.0.0.1 10.0.0.2 esp 0X1000 -E null", "SPI 256..4294967295", 27},
    {"add 10.0.0.1 10.0.0.2 esp -E null",
     "SPI 256..4294967295 (decimal or 0x hex; 0..255 are reserved), found '-E'",
     27},
    {"add 10.0.0.1 10.0.0.2 esp 0x10g0 -E null",
     "SPI 256..4294967295 (decimal or 0x hex; 0..255 are reserved), found '0x10g0'",
     27},
    {kSa + "g0 -E null", "expected blank or ';', found 'g0'", 33},
    {"add 10.0.0.1 10.0.0.2 ipcomp 0 -C deflate",
     "expected CPI 1..65535 (decimal or 0x hex), found '0'",
     30},
    {"add 10.0.0.1 10.0.0.2 ipcomp 0x10000 -C deflate", "CPI 1..65535", 30},
    {kSa + " -m", "expected mode transport, tunnel or any, found end of input", 36},
    {kSa + " -m both -E null", "expected mode transport, tunnel or any, found 'both'", 37},
    {kSa + " -r 536870912 -E null",
     "expected replay window size in bytes 0..536870911 (8 packets per byte), found '536870912'",
     37},
    {kSa + " -r -1 -E null", "replay window size in bytes", 37},
    {kSa + " -u 0 -E null", "expected reqid 1..32767, found '0'", 37},
    {kSa + " -u 32768 -E null", "reqid 1..32767", 37},
    {kSa + " -lh 4294967296 -E null",
     "expected lifetime in seconds 0..4294967295, found '4294967296'",
     38},
    {kSa + " -ls 1.5 -E null", "expected blank or ';', found '.5'", 39},
    {kSa + " -bh 18446744073709551616 -E null", "lifetime in bytes 0..18446744073709551615", 38},
    {kSa + " -r 8 -u 1 -r 16 -E null",
     "duplicate extension -r (each extension may be given once)",
     44},
    {kSa + " -m tunnel -m any -E null", "duplicate extension -m", 44},
    {kSa + " -f random-pad -E null",
     "unsupported extension -f (ESP padding and sequence-number options are not modelled)",
     34},
    {kSa + " -f nocyclic-seq -E null", "unsupported extension -f", 34},
    {kSa + " -ctx 1 1 \"system_u\" -E null",
     "unsupported extension -ctx (security labels are not modelled)",
     34},
    {kSa + " -natt 10.0.0.1 -E null",
     "unsupported extension -natt (NAT traversal is not modelled)",
     34},
    {kSa + " -x -E null",
     "expected extension or algorithm -E ealgo key [-A aalgo key], found '-x'",
     34},
    {kSa + " -A hmac-sha1 0x" + kK20,
     "expected extension or algorithm -E ealgo key [-A aalgo key], found '-A'",
     34},
    {kSa + ";", "expected extension or algorithm -E ealgo key [-A aalgo key], found ';'", 33},
    {kSa + " -E",
     "expected encryption algorithm aes-cbc, aes-gcm-16, 3des-cbc, chacha20-poly1305 or null, "
     "found end of input",
     36},
    {kSa + " -E \"key\"", "expected encryption algorithm", 37},
    {kSa + " -E des-cbc 0x3ffe05014819ffff",
     "unsupported encryption algorithm 'des-cbc' (presec supports aes-cbc, aes-gcm-16, 3des-cbc, "
     "chacha20-poly1305 and null)",
     37},
    {kSa + " -E aes-ctr 0x" + kK20, "unsupported encryption algorithm 'aes-ctr'", 37},
    {kSa + " -E aes-cbc",
     "expected key (0x and hex digits, or a \"quoted string\"), found end of input",
     44},
    {kSa + " -E aes-cbc -A hmac-sha1 0x" + kK20,
     "expected key (0x and hex digits, or a \"quoted string\"), found '-A'",
     45},
    {kSa + " -E aes-cbc 0x0011", "key for aes-cbc must be 16 or 32 bytes, got 2", 45},
    {kSa + " -E rijndael-cbc 0x" + kK24, "key for rijndael-cbc must be 16 or 32 bytes, got 24", 50},
    {kSa + " -E aes-cbc 0x" + kK16.substr(0, 31),
     "a hex key needs an even number of digits, got 31",
     45},
    {kSa + " -E aes-cbc 0x",
     "expected key (0x and hex digits, or a \"quoted string\"), found '0x'",
     45},
    {kSa + " -E aes-cbc \"0123456789abcdef",
     "expected '\"' closing the key (a quoted key is printable ASCII on one line), found end of "
     "input",
     62},
    {kSa + " -E aes-cbc \"0123456789abcde\xc3\xa9\"",
     "closing the key (a quoted key is printable ASCII on one line), found byte 0xc3",
     61},
    {kSa + " -E aes-cbc \"0123456789abcdef\nx\"", "closing the key", 62},
    {kSa + " -E aes-cbc 0x" + kK16 + "zz", "expected blank or ';', found 'zz'", 79},
    {kSa + " -E aes-gcm-16 0x" + kK16, "key for aes-gcm-16 must be 20 or 36 bytes, got 16", 48},
    {kSa + " -E 3des-cbc 0x" + kK16, "key for 3des-cbc must be 24 bytes, got 16", 46},
    {kSa + " -E chacha20-poly1305 0x" + kK32,
     "key for chacha20-poly1305 must be 36 bytes, got 32",
     55},
    {kSa + " -E null 0x00", "key for null must be empty, got 1 byte", 42},
    {kSa + " -E null \"abc\"", "key for null must be empty, got 3 bytes", 42},
    {kSa + " -E aes-gcm-16 0x" + kK20 + " -A hmac-sha1 0x" + kK20,
     "aes-gcm-16 is an AEAD cipher with its own integrity check; it takes no -A",
     91},
    {kSa + " -E chacha20-poly1305 0x" + kK36 + " -A null",
     "chacha20-poly1305 is an AEAD cipher",
     130},
    {kSa + " -E aes-cbc 0x" + kK16 + " -A hmac-md5 \"authentication!!\"",
     "unsupported authentication algorithm 'hmac-md5' (presec supports hmac-sha1, hmac-sha256 and "
     "null)",
     83},
    {kSa + " -E aes-cbc 0x" + kK16 + " -A hmac-sha1 0x" + kK16,
     "key for hmac-sha1 must be 20 bytes, got 16",
     93},
    {kSa + " -E aes-cbc 0x" + kK16 + " -A hmac-sha1",
     "expected key (0x and hex digits, or a \"quoted string\"), found end of input",
     92},
    {kSa + " -E aes-cbc 0x" + kK16 + " -A",
     "expected authentication algorithm hmac-sha1, hmac-sha256 or null, found end of input",
     82},
    {std::string("add 10.0.0.1 10.0.0.2 ah 0x1000 -E aes-cbc 0x") + kK16,
     "expected extension or algorithm -A aalgo key, found '-E'",
     33},
    {std::string("add 10.0.0.1 10.0.0.2 ah 0x1000 -A hmac-sha256 0x") + kK20,
     "key for hmac-sha256 must be 32 bytes, got 20",
     48},
    {std::string("add 10.0.0.1 10.0.0.2 ah 0x1000 -A hmac-sha1 0x") + kK20 + " -E null",
     "expected ';' or end of input, found '-E'",
     89},
    {"add 10.0.0.1 10.0.0.2 ipcomp 0x1000 -C lzs",
     "unsupported compression algorithm 'lzs' (presec supports deflate)",
     40},
    {"add 10.0.0.1 10.0.0.2 ipcomp 0x1000 -C",
     "expected compression algorithm deflate, found end of input",
     39},
    {"add 10.0.0.1 10.0.0.2 ipcomp 0x1000 -E null",
     "expected extension or algorithm -C deflate [-R], found '-E'",
     37},
    {"add 10.0.0.1 10.0.0.2 ipcomp 0x1000 -C deflate -R -R",
     "expected ';' or end of input, found '-R'",
     51},
    {kSa + kNullSha1 + " -m tunnel", "extension -m must come before the algorithm", 98},
    {kSa + kNullSha1 + " -lh 10", "extension -lh must come before the algorithm", 98},
    {kSa + kNullSha1 + kSha1, "expected ';' or end of input, found '-A'", 98},
    {kSa + kNullSha1 + " -R", "expected ';' or end of input, found '-R'", 98},
    {kSa + kNullSha1 + "; x", "expected end of input, found 'x'", 99},
    {kSa + kNullSha1 + " # comment", "expected ';' or end of input, found '#'", 98},
    // Integrity: ESP needs an AEAD cipher or -A, AH an -A other than null (RFC 4303 §3.2).
    {kSa + " -E null",
     "esp SA without integrity: null is not an AEAD cipher and the authentication algorithm is "
     "null or missing",
     34},
    {kSa + " -E aes-cbc 0x" + kK16, "esp SA without integrity: aes-cbc is not an AEAD", 34},
    {kSa + " -m tunnel -r 4 -E 3des-cbc 0x" + kK24, "esp SA without integrity: 3des-cbc", 49},
    {kSa + " -E aes-cbc 0x" + kK16 + " -A null", "esp SA without integrity", 83},
    {kSa + " -E null \"\" -A null \"\"", "esp SA without integrity", 48},
    {"add 10.0.0.1 10.0.0.2 ah 0x1000 -A null",
     "ah SA with null authentication: AH is an integrity check",
     36},
    {"add 10.0.0.1 10.0.0.2 ah 0x1000 -r 8 -A null \"\";", "ah SA with null authentication", 41},
};

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
    int accepted = 0;
    for (int i = 0; i < 20000; ++i)
    {
        std::string s = kValidLines[Pick(rng, kValidLines.size())];
        Mutate(s, rng, pieces);

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
        EXPECT_TRUE(r.GetValue().associations.empty());
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
        {"flush;\ndelete 10.0.0.1 10.0.0.2 esp 0x1000;\n", "unsupported statement 'delete'", 2, 1},
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
        {";",
         "expected statement add, spdadd, flush or spdflush, or end of input, found ';'",
         1,
         1},
        {"flush;;", "found ';'", 1, 7},
        {"spdadd 1.2.3.4 # source\n  5.6.7.8 any\n  -P fw none;",
         "in, out or fwd, found 'fw'",
         3,
         6},
        {"flush; # ok\n\nspdadd 1.2.3.4 5.6.7.8 any -P out ipsec esp/tunnel//require;",
         "tunnel endpoints src-dst",
         3,
         52},
        {"flush;\nspdadd 1.2.3.4 fe80::2 any -P out none;", "IPv6 is not supported", 2, 16},
        {"spdflush;\n10.0.0.1;", "expected statement add, spdadd, flush or spdflush", 2, 1},
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

TEST(SetkeySa, EspStatementWithEveryField)
{
    SetkeySaForm form;
    auto sa = MustParseSa("add 10.0.0.1 10.0.0.2 esp 0x1000 -m transport -r 8 -u 5 -lh 3600 "
                          "-ls 3000 -bh 1000000 -bs 900000 -E aes-cbc 0x" +
                              kK16 + " -A hmac-sha1 0x" + kK20 + ";",
                          &form);
    EXPECT_EQ(sa.source, Ipv4Address("10.0.0.1"));
    EXPECT_EQ(sa.destination, Ipv4Address("10.0.0.2"));
    EXPECT_EQ(sa.protocol, IpsecProtocol::ESP);
    EXPECT_EQ(sa.spi, 0x1000u);
    EXPECT_EQ(sa.mode, IpsecMode::TRANSPORT);
    EXPECT_EQ(sa.replayWindow, 64u) << "-r counts bytes of the bitmap: 8 packets each";
    EXPECT_EQ(sa.reqid, 5u);
    EXPECT_EQ(sa.lifetime.hardTime, Seconds(3600));
    EXPECT_EQ(sa.lifetime.softTime, Seconds(3000));
    EXPECT_EQ(sa.lifetime.hardBytes, 1000000u);
    EXPECT_EQ(sa.lifetime.softBytes, 900000u);
    EXPECT_EQ(sa.encryption, EncryptionAlgorithm::AES_128_CBC);
    EXPECT_EQ(sa.encryptionKey, Bytes(kK16));
    EXPECT_EQ(sa.authentication, AuthenticationAlgorithm::HMAC_SHA1_96);
    EXPECT_EQ(sa.authenticationKey, Bytes(kK20));
    EXPECT_FALSE(form.modeAny);
    EXPECT_FALSE(form.rawCpi);
    EXPECT_EQ(form.options, "");
    // The state is fresh.
    EXPECT_EQ(sa.GetLastSequenceNumber(), 0u);
    EXPECT_EQ(sa.GetState(), SaState::MATURE);
    EXPECT_EQ(SetkeyParser::PrintSa(sa, form),
              "add 10.0.0.1 10.0.0.2 esp 0x1000 -m transport -r 8 -u 5 -lh 3600 -ls 3000 "
              "-bh 1000000 -bs 900000 -E aes-cbc 0x" +
                  kK16 + " -A hmac-sha1 0x" + kK20 + ";");
}

TEST(SetkeySa, DefaultsFollowSetkey)
{
    SetkeySaForm form;
    auto sa = MustParseSa(kSa + kNullSha1, &form);
    EXPECT_EQ(sa.mode, IpsecMode::TRANSPORT);
    EXPECT_TRUE(form.modeAny) << "setkey's default mode is any";
    EXPECT_EQ(sa.replayWindow, 0u) << "setkey(8): no -r, no replay check";
    EXPECT_EQ(sa.reqid, 0u);
    EXPECT_TRUE(sa.lifetime.hardTime.IsZero());
    EXPECT_TRUE(sa.lifetime.softTime.IsZero());
    EXPECT_EQ(sa.lifetime.hardBytes, 0u);
    EXPECT_EQ(sa.lifetime.softBytes, 0u);
    EXPECT_EQ(sa.encryption, EncryptionAlgorithm::NULL_ENC);
    EXPECT_TRUE(sa.encryptionKey.empty());
    EXPECT_EQ(sa.authentication, AuthenticationAlgorithm::HMAC_SHA1_96);
    EXPECT_EQ(SetkeyParser::PrintSa(sa, form),
              "add 10.0.0.1 10.0.0.2 esp 0x1000 -m any -E null -A hmac-sha1 0x" + kK20 + ";");
    // The form pointer is optional, and untouched on failure.
    EXPECT_TRUE(SetkeyParser::ParseSa(kSa + kNullSha1).IsOk());
    SetkeySaForm untouched;
    untouched.options = "kept";
    EXPECT_FALSE(SetkeyParser::ParseSa("add 10.0.0.1 10.0.0.2 esp 1 -E null", &untouched).IsOk());
    EXPECT_EQ(untouched.options, "kept");
}

TEST(SetkeySa, SpiAndCpiForms)
{
    const std::vector<std::pair<std::string, uint32_t>> spis = {
        {"256", 256},
        {"4096", 4096},
        {"4294967295", 4294967295u},
        {"0x100", 256},
        {"0x1000", 0x1000},
        {"0x00001000", 0x1000},
        {"0xDeadBeef", 0xdeadbeef},
        {"0xffffffff", 0xffffffff},
    };
    for (const auto& [text, value] : spis)
    {
        EXPECT_EQ(MustParseSa("add 1.2.3.4 5.6.7.8 esp " + text + kNullSha1).spi, value) << text;
        EXPECT_EQ(MustParseSa("add 1.2.3.4 5.6.7.8 ah " + text + kSha1).spi, value) << text;
    }
    for (const auto& [text, value] :
         std::vector<std::pair<std::string, uint32_t>>{{"1", 1},
                                                       {"2", 2},
                                                       {"255", 255},
                                                       {"0x4", 4},
                                                       {"65535", 65535},
                                                       {"0xffff", 65535}})
    {
        auto sa = MustParseSa("add 1.2.3.4 5.6.7.8 ipcomp " + text + " -C deflate");
        EXPECT_EQ(sa.spi, value) << text;
        EXPECT_EQ(sa.protocol, IpsecProtocol::IPCOMP);
    }
}

TEST(SetkeySa, ExtensionsInAnyOrder)
{
    const std::string algorithm = " -E aes-cbc 0x" + kK16 + kSha1;
    const std::vector<std::string> extensions =
        {"-m tunnel", "-r 32", "-u 7", "-lh 60", "-ls 50", "-bh 5000", "-bs 4000"};
    const auto reference =
        MustParseSa(kSa + " -m tunnel -r 32 -u 7 -lh 60 -ls 50 -bh 5000 -bs 4000" + algorithm);
    EXPECT_EQ(reference.mode, IpsecMode::TUNNEL);
    EXPECT_EQ(reference.replayWindow, 256u);
    EXPECT_EQ(reference.reqid, 7u);
    EXPECT_EQ(reference.lifetime.hardTime, Seconds(60));
    EXPECT_EQ(reference.lifetime.softTime, Seconds(50));
    EXPECT_EQ(reference.lifetime.hardBytes, 5000u);
    EXPECT_EQ(reference.lifetime.softBytes, 4000u);
    std::vector<std::size_t> order = {0, 1, 2, 3, 4, 5, 6};
    std::mt19937 rng(4303);
    for (int i = 0; i < 30; ++i)
    {
        std::shuffle(order.begin(), order.end(), rng);
        std::string line = kSa;
        for (std::size_t k : order)
        {
            line += " " + extensions[k];
        }
        EXPECT_TRUE(SameSa(MustParseSa(line + algorithm), reference)) << line;
    }
    // Each alone.
    SetkeySaForm form;
    EXPECT_EQ(MustParseSa(kSa + " -m transport" + algorithm, &form).mode, IpsecMode::TRANSPORT);
    EXPECT_FALSE(form.modeAny);
    EXPECT_EQ(MustParseSa(kSa + " -m any" + algorithm, &form).mode, IpsecMode::TRANSPORT);
    EXPECT_TRUE(form.modeAny);
    EXPECT_EQ(MustParseSa(kSa + " -m tunnel" + algorithm, &form).mode, IpsecMode::TUNNEL);
    EXPECT_FALSE(form.modeAny);
    EXPECT_EQ(MustParseSa(kSa + " -r 0" + algorithm).replayWindow, 0u);
    EXPECT_EQ(MustParseSa(kSa + " -r 1" + algorithm).replayWindow, 8u);
    EXPECT_EQ(MustParseSa(kSa + " -r 536870911" + algorithm).replayWindow, 4294967288u);
    EXPECT_EQ(MustParseSa(kSa + " -u 1" + algorithm).reqid, 1u);
    EXPECT_EQ(MustParseSa(kSa + " -u 32767" + algorithm).reqid, 32767u);
    EXPECT_EQ(MustParseSa(kSa + " -lh 4294967295" + algorithm).lifetime.hardTime,
              Seconds(4294967295.0));
    EXPECT_TRUE(MustParseSa(kSa + " -ls 0" + algorithm).lifetime.softTime.IsZero());
    EXPECT_EQ(MustParseSa(kSa + " -bh 18446744073709551615" + algorithm).lifetime.hardBytes,
              std::numeric_limits<uint64_t>::max());
    EXPECT_EQ(MustParseSa(kSa + " -bs 1" + algorithm).lifetime.softBytes, 1u);
    // Options before the addresses are kept as written.
    MustParseSa("add -4 -n 1.2.3.4 5.6.7.8 esp 256" + kNullSha1, &form);
    EXPECT_EQ(form.options, "-4 -n");
}

TEST(SetkeySa, EncryptionAlgorithmsAndKeyLengths)
{
    struct Case
    {
        std::string spec;
        EncryptionAlgorithm algorithm;
        std::vector<uint8_t> key;
    };

    const std::vector<Case> cases = {
        {"-E aes-cbc 0x" + kK16, EncryptionAlgorithm::AES_128_CBC, Bytes(kK16)},
        {"-E aes-cbc 0x" + kK32, EncryptionAlgorithm::AES_256_CBC, Bytes(kK32)},
        {"-E rijndael-cbc 0x" + kK16, EncryptionAlgorithm::AES_128_CBC, Bytes(kK16)},
        {"-E aes-cbc \"0123456789abcdef\"",
         EncryptionAlgorithm::AES_128_CBC,
         TextBytes("0123456789abcdef")},
        {"-E aes-cbc 0x" + kK16.substr(0, 30) + "EF",
         EncryptionAlgorithm::AES_128_CBC,
         Bytes(kK16.substr(0, 30) + "ef")},
        {"-E aes-gcm-16 0x" + kK20, EncryptionAlgorithm::AES_128_GCM_16, Bytes(kK20)},
        {"-E aes-gcm-16 0x" + kK36, EncryptionAlgorithm::AES_256_GCM_16, Bytes(kK36)},
        {"-E 3des-cbc 0x" + kK24, EncryptionAlgorithm::TRIPLE_DES_CBC, Bytes(kK24)},
        {"-E 3des-cbc \"testtest12341234testtest\"",
         EncryptionAlgorithm::TRIPLE_DES_CBC,
         TextBytes("testtest12341234testtest")},
        {"-E chacha20-poly1305 0x" + kK36, EncryptionAlgorithm::CHACHA20_POLY1305, Bytes(kK36)},
        {"-E null", EncryptionAlgorithm::NULL_ENC, {}},
        {"-E null \"\"", EncryptionAlgorithm::NULL_ENC, {}},
    };
    for (const auto& c : cases)
    {
        // An AEAD cipher is its own integrity check; any other needs -A.
        const bool aead = GetProperties(c.algorithm).aeadIcvBytes != 0;
        const std::string alone = kSa + " " + c.spec + ";";
        EXPECT_EQ(SetkeyParser::ParseSa(alone).IsOk(), aead) << alone;
        const std::string line = kSa + " " + c.spec + (aead ? "" : kSha1) + ";";
        auto sa = MustParseSa(line);
        EXPECT_EQ(sa.encryption, c.algorithm) << line;
        EXPECT_EQ(sa.encryptionKey, c.key) << line;
        EXPECT_EQ(sa.encryptionKey.size(), GetProperties(sa.encryption).keyBytes) << line;
        EXPECT_EQ(sa.authentication,
                  aead ? AuthenticationAlgorithm::NONE : AuthenticationAlgorithm::HMAC_SHA1_96)
            << line;
    }
}

TEST(SetkeySa, AuthenticationAlgorithms)
{
    struct Case
    {
        std::string line;
        IpsecProtocol protocol;
        AuthenticationAlgorithm algorithm;
        std::vector<uint8_t> key;
    };

    const std::string ah = "add 10.0.0.1 10.0.0.2 ah 0x1000";
    const std::string esp = kSa + " -E aes-cbc 0x" + kK16;
    const std::vector<Case> cases = {
        {ah + " -A hmac-sha1 0x" + kK20,
         IpsecProtocol::AH,
         AuthenticationAlgorithm::HMAC_SHA1_96,
         Bytes(kK20)},
        {ah + " -A hmac-sha1 \"AH SA configuration!\"",
         IpsecProtocol::AH,
         AuthenticationAlgorithm::HMAC_SHA1_96,
         TextBytes("AH SA configuration!")},
        {ah + " -A hmac-sha256 0x" + kK32,
         IpsecProtocol::AH,
         AuthenticationAlgorithm::HMAC_SHA256_128,
         Bytes(kK32)},
        {ah + " -A hmac-sha2-256 0x" + kK32,
         IpsecProtocol::AH,
         AuthenticationAlgorithm::HMAC_SHA256_128,
         Bytes(kK32)},
        {esp + " -A hmac-sha1 0x" + kK20,
         IpsecProtocol::ESP,
         AuthenticationAlgorithm::HMAC_SHA1_96,
         Bytes(kK20)},
        {esp + " -A hmac-sha2-256 0x" + kK32,
         IpsecProtocol::ESP,
         AuthenticationAlgorithm::HMAC_SHA256_128,
         Bytes(kK32)},
        {kSa + " -E aes-gcm-16 0x" + kK20, IpsecProtocol::ESP, AuthenticationAlgorithm::NONE, {}},
    };
    for (const auto& c : cases)
    {
        auto sa = MustParseSa(c.line);
        EXPECT_EQ(sa.protocol, c.protocol) << c.line;
        EXPECT_EQ(sa.authentication, c.algorithm) << c.line;
        EXPECT_EQ(sa.authenticationKey, c.key) << c.line;
        if (c.protocol == IpsecProtocol::AH)
        {
            EXPECT_EQ(sa.encryption, EncryptionAlgorithm::NULL_ENC) << c.line;
            EXPECT_TRUE(sa.encryptionKey.empty()) << c.line;
        }
    }
}

TEST(SetkeySa, IpcompAndRawCpi)
{
    SetkeySaForm form;
    auto sa = MustParseSa("add 10.0.0.1 10.0.0.2 ipcomp 0x4000 -m tunnel -C deflate -R;", &form);
    EXPECT_EQ(sa.protocol, IpsecProtocol::IPCOMP);
    EXPECT_EQ(sa.spi, 0x4000u);
    EXPECT_EQ(sa.mode, IpsecMode::TUNNEL);
    EXPECT_TRUE(form.rawCpi);
    EXPECT_EQ(SetkeyParser::PrintSa(sa, form),
              "add 10.0.0.1 10.0.0.2 ipcomp 0x4000 -m tunnel -C deflate -R;");
    MustParseSa("add 10.0.0.1 10.0.0.2 ipcomp 2 -C deflate", &form);
    EXPECT_FALSE(form.rawCpi);
}

TEST(SetkeySa, QuotedKeysKeepEveryPrintableCharacter)
{
    const std::string text = "a#b c;d'e\\f|g~h!"; // 16 bytes: a, #, b, ' ', c, ;, ...
    ASSERT_EQ(text.size(), 16u);
    auto sa = MustParseSa(kSa + " -E aes-cbc \"" + text + "\"" + kSha1 + ";");
    EXPECT_EQ(sa.encryptionKey, TextBytes(text));
    // In a file, '#' and ';' inside the quotes are part of the key, not a comment or an end.
    auto script = SetkeyParser::ParseScript("flush; # start\n" + kSa + " -E aes-cbc \"" + text +
                                            "\"" + kSha1 + "; # the key has a # in it\nspdflush;");
    ASSERT_TRUE(script.IsOk()) << script.Describe();
    ASSERT_EQ(script.GetValue().associations.size(), 1u);
    EXPECT_EQ(script.GetValue().associations[0].encryptionKey, TextBytes(text));
    EXPECT_TRUE(script.GetValue().spdflush);
}

TEST(SetkeySa, ManualPageExamples)
{
    const auto lines = ReadLines(PRESEC_TEST_DATA "/setkey-manual-add.txt");
    int statements = 0;
    int accepted = 0;
    for (std::size_t i = 0; i < lines.size(); ++i)
    {
        const std::string& line = lines[i];
        if (line.empty() || line[0] == '#')
        {
            continue;
        }
        ASSERT_EQ(line.rfind("add ", 0), 0u) << "statement expected: " << line;
        ASSERT_LT(i + 1, lines.size()) << "no expectation after " << line;
        const std::string& expect = lines[++i];
        ASSERT_EQ(expect.rfind("=> ", 0), 0u) << "expectation expected: " << expect;
        ++statements;
        auto r = SetkeyParser::ParseSa(line);
        if (expect == "=> ok")
        {
            ASSERT_TRUE(r.IsOk()) << line << "\n  -> " << r.Describe();
            ++accepted;
            SetkeySaForm form;
            SetkeyParser::ParseSa(line, &form);
            auto again = SetkeyParser::ParseSa(SetkeyParser::PrintSa(r.GetValue(), form));
            ASSERT_TRUE(again.IsOk()) << again.Describe();
            EXPECT_TRUE(SameSa(again.GetValue(), r.GetValue()));
            continue;
        }
        const std::size_t colon = expect.find(": ");
        ASSERT_NE(colon, std::string::npos) << expect;
        const unsigned column = static_cast<unsigned>(std::stoul(expect.substr(3, colon - 3)));
        const std::string message = expect.substr(colon + 2);
        ASSERT_FALSE(r.IsOk()) << "accepted: " << line;
        EXPECT_NE(r.GetError().find(message), std::string::npos)
            << line << "\n  got: " << r.GetError() << "\n  want: " << message;
        EXPECT_EQ(r.GetColumn(), column) << line << "\n  -> " << r.Describe();
        // The same statement inside a file fails at the same place.
        auto script = SetkeyParser::ParseScript("flush;\n" + line + "\n");
        ASSERT_FALSE(script.IsOk());
        EXPECT_EQ(script.GetLine(), 2u);
        EXPECT_EQ(script.GetColumn(), column);
    }
    EXPECT_EQ(statements, 12);
    EXPECT_EQ(accepted, 2);
}

TEST(SetkeySa, PrintThenParseGivesTheSameSa)
{
    for (const auto& line : kValidSaLines)
    {
        SetkeySaForm form;
        auto r = SetkeyParser::ParseSa(line, &form);
        ASSERT_TRUE(r.IsOk()) << line << "\n  -> " << r.Describe();
        const std::string printed = SetkeyParser::PrintSa(r.GetValue(), form);
        EXPECT_EQ(printed, Normalise(printed)) << "PrintSa is canonical: " << printed;
        SetkeySaForm againForm;
        auto again = SetkeyParser::ParseSa(printed, &againForm);
        ASSERT_TRUE(again.IsOk()) << printed << "\n  -> " << again.Describe();
        EXPECT_TRUE(SameSa(again.GetValue(), r.GetValue())) << line;
        EXPECT_TRUE(SameForm(againForm, form)) << line;
        EXPECT_EQ(SetkeyParser::PrintSa(again.GetValue(), againForm), printed) << "fixed point";
        // A file of the printed statement holds the same SA.
        auto script = SetkeyParser::ParseScript(printed);
        ASSERT_TRUE(script.IsOk()) << script.Describe();
        ASSERT_EQ(script.GetValue().associations.size(), 1u);
        EXPECT_TRUE(SameSa(script.GetValue().associations[0], r.GetValue()));
        EXPECT_TRUE(SameForm(script.GetValue().associationForms[0], form));
    }
}

TEST(SetkeySa, PrintOfBuiltSas)
{
    SecurityAssociation sa;
    sa.spi = 0x2001;
    sa.source = Ipv4Address("192.168.1.1");
    sa.destination = Ipv4Address("133.134.10.10");
    sa.protocol = IpsecProtocol::ESP;
    sa.encryption = EncryptionAlgorithm::AES_256_GCM_16;
    sa.encryptionKey = Bytes(kK36);
    sa.reqid = 3;
    // replayWindow keeps its default of 64 packets: -r 8
    EXPECT_EQ(SetkeyParser::PrintSa(sa),
              "add 192.168.1.1 133.134.10.10 esp 0x2001 -m transport -r 8 -u 3 -E aes-gcm-16 0x" +
                  kK36 + ";");
    auto back = SetkeyParser::ParseSa(SetkeyParser::PrintSa(sa));
    ASSERT_TRUE(back.IsOk()) << back.Describe();
    EXPECT_TRUE(SameSa(back.GetValue(), sa));

    SecurityAssociation ah;
    ah.source = Ipv4Address("10.0.0.1");
    ah.destination = Ipv4Address("10.0.0.2");
    ah.spi = 300;
    ah.protocol = IpsecProtocol::AH;
    ah.mode = IpsecMode::TUNNEL;
    ah.authentication = AuthenticationAlgorithm::HMAC_SHA256_128;
    ah.authenticationKey = Bytes(kK32);
    ah.replayWindow = 0;
    ah.lifetime.hardTime = Seconds(120);
    ah.lifetime.softBytes = 77;
    EXPECT_EQ(SetkeyParser::PrintSa(ah),
              "add 10.0.0.1 10.0.0.2 ah 0x12c -m tunnel -lh 120 -bs 77 -A hmac-sha2-256 0x" + kK32 +
                  ";");
    back = SetkeyParser::ParseSa(SetkeyParser::PrintSa(ah));
    ASSERT_TRUE(back.IsOk()) << back.Describe();
    EXPECT_TRUE(SameSa(back.GetValue(), ah));

    // What setkey cannot say is rounded up: a window of 100 packets is 13 bytes (104 packets),
    // 1.5 s is 2 s.
    SecurityAssociation odd;
    odd.source = Ipv4Address("10.0.0.1");
    odd.destination = Ipv4Address("10.0.0.2");
    odd.spi = 0x3000;
    odd.replayWindow = 100;
    odd.lifetime.softTime = MilliSeconds(1500);
    EXPECT_EQ(SetkeyParser::PrintSa(odd),
              "add 10.0.0.1 10.0.0.2 esp 0x3000 -m transport -r 13 -ls 2 -E null;");

    // An SA that ParseSa would refuse still prints, and the text says why.
    SecurityAssociation wrong = odd;
    wrong.replayWindow = 64;
    wrong.lifetime = SaLifetime();
    wrong.encryption = EncryptionAlgorithm::AES_128_CBC; // no key
    const std::string printed = SetkeyParser::PrintSa(wrong);
    EXPECT_EQ(printed, "add 10.0.0.1 10.0.0.2 esp 0x3000 -m transport -r 8 -E aes-cbc \"\";");
    auto refused = SetkeyParser::ParseSa(printed);
    ASSERT_FALSE(refused.IsOk());
    EXPECT_NE(refused.GetError().find("key for aes-cbc must be 16 or 32 bytes, got 0"),
              std::string::npos)
        << refused.GetError();

    SetkeySaForm any;
    any.modeAny = true;
    any.options = "-n";
    SecurityAssociation ipcomp = odd;
    ipcomp.lifetime = SaLifetime();
    ipcomp.spi = 2;
    ipcomp.protocol = IpsecProtocol::IPCOMP;
    ipcomp.replayWindow = 0;
    EXPECT_EQ(SetkeyParser::PrintSa(ipcomp, any),
              "add -n 10.0.0.1 10.0.0.2 ipcomp 0x2 -m any -C deflate;");
    ipcomp.mode = IpsecMode::TUNNEL; // a tunnel SA is never printed as any
    EXPECT_EQ(SetkeyParser::PrintSa(ipcomp, any),
              "add -n 10.0.0.1 10.0.0.2 ipcomp 0x2 -m tunnel -C deflate;");
}

TEST(SetkeySa, MalformedLinesFailWithMessageAndColumn)
{
    ASSERT_GE(kBadSaLines.size(), 20u);
    for (const auto& bad : kBadSaLines)
    {
        auto r = SetkeyParser::ParseSa(bad.text);
        ASSERT_FALSE(r.IsOk()) << "accepted: " << bad.text;
        EXPECT_NE(r.GetError().find(bad.message), std::string::npos)
            << bad.text << "\n  got: " << r.GetError() << "\n  want: " << bad.message;
        EXPECT_EQ(r.GetColumn(), bad.column) << bad.text << "\n  -> " << r.Describe();
        EXPECT_EQ(r.GetLine(), 1u) << bad.text;
    }
}

TEST(SetkeySa, HugeInputsDoNotCrash)
{
    const std::size_t mega = 1 << 20;
    auto longKey = SetkeyParser::ParseSa(kSa + " -E aes-cbc 0x" + std::string(mega, 'a'));
    ASSERT_FALSE(longKey.IsOk());
    EXPECT_EQ(longKey.GetError(),
              "key for aes-cbc must be 16 or 32 bytes, got " + std::to_string(mega / 2));
    EXPECT_EQ(longKey.GetColumn(), 45u);

    auto longQuote = SetkeyParser::ParseSa(kSa + " -E aes-cbc \"" + std::string(mega, 'k'));
    ASSERT_FALSE(longQuote.IsOk());
    EXPECT_EQ(longQuote.GetColumn(), 46u + mega);

    auto longSpi = SetkeyParser::ParseSa("add 1.2.3.4 5.6.7.8 esp 0x" + std::string(mega, '0'));
    ASSERT_FALSE(longSpi.IsOk());
    EXPECT_EQ(longSpi.GetColumn(), 25u);
    EXPECT_LT(longSpi.GetError().size(), 200u);

    auto blanks =
        SetkeyParser::ParseSa("add" + std::string(mega, ' ') + "1.2.3.4 5.6.7.8 esp 256 " +
                              std::string(mega, '\t') + "-E null" + kSha1 + ";");
    ASSERT_TRUE(blanks.IsOk()) << blanks.Describe();

    std::string many = "flush;\n";
    for (int i = 0; i < 2000; ++i)
    {
        many += "add 10.0.0.1 10.0.0.2 esp " + std::to_string(256 + i) + kNullSha1 + ";\n";
    }
    auto script = SetkeyParser::ParseScript(many);
    ASSERT_TRUE(script.IsOk()) << script.Describe();
    ASSERT_EQ(script.GetValue().associations.size(), 2000u);
    EXPECT_EQ(script.GetValue().associations[1999].spi, 2255u);
}

TEST(SetkeySa, MutatedLinesNeverCrashAndValidOnesRoundTrip)
{
    std::mt19937 rng(4303);
    const std::vector<std::string> pieces = {" ",
                                             "\"",
                                             ";",
                                             "#",
                                             "\n",
                                             "\t",
                                             "-",
                                             std::string(1, '\0'),
                                             "\xff",
                                             "0x",
                                             "0x1000",
                                             "255",
                                             "256",
                                             "65536",
                                             "4294967296",
                                             "00",
                                             "::1",
                                             "esp",
                                             "ah",
                                             "ipcomp",
                                             "tcp",
                                             "-m",
                                             "transport",
                                             "tunnel",
                                             "any",
                                             "-r",
                                             "-u",
                                             "-lh",
                                             "-ls",
                                             "-bh",
                                             "-bs",
                                             "-f",
                                             "-E",
                                             "-A",
                                             "-C",
                                             "-R",
                                             "aes-cbc",
                                             "aes-gcm-16",
                                             "null",
                                             "hmac-sha1",
                                             "hmac-sha2-256",
                                             "deflate",
                                             "\"\"",
                                             kK16,
                                             kK20,
                                             "-4",
                                             "-6",
                                             "add",
                                             "1.2.3.4"};
    int accepted = 0;
    for (int i = 0; i < 20000; ++i)
    {
        std::string s = kValidSaLines[Pick(rng, kValidSaLines.size())];
        Mutate(s, rng, pieces);
        SetkeySaForm form;
        auto r = SetkeyParser::ParseSa(s, &form);
        if (r.IsOk())
        {
            ++accepted;
            const std::string printed = SetkeyParser::PrintSa(r.GetValue(), form);
            SetkeySaForm againForm;
            auto again = SetkeyParser::ParseSa(printed, &againForm);
            ASSERT_TRUE(again.IsOk())
                << "input: " << s << "\nprinted: " << printed << "\n  -> " << again.Describe();
            ASSERT_TRUE(SameSa(again.GetValue(), r.GetValue())) << "input: " << s;
            ASSERT_TRUE(SameForm(againForm, form)) << "input: " << s;
            ASSERT_EQ(SetkeyParser::PrintSa(again.GetValue(), againForm), printed) << s;
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
    EXPECT_GT(accepted, 100);
}

TEST(SetkeyScript, MixedStatementsInFileOrderWithLineNumbers)
{
    const std::string text =
        "# static SAs and policies between 192.168.1.1 and 133.134.10.10\n" // 1
        "add 10.9.9.9 10.9.9.8 esp 0x9999 -E aes-gcm-16 0x" +
        kK20 +
        ";   # dropped by the flush below\n"
        "flush;\n"
        "spdadd 10.9.9.9 10.9.9.8 any -P out none;   # dropped by the spdflush below\n"
        "spdflush;\n" // 5
        "add 192.168.1.1 133.134.10.10 esp 0x1001 -m transport -r 8\n"
        "    -E aes-cbc 0x" +
        kK16 +
        "\n"
        "    -A hmac-sha1 \"12341234123412341234\" ;\n"
        "add 133.134.10.10 192.168.1.1 esp 0x1002\n"
        "    -E aes-cbc 0x" +
        kK16 + kSha1 +
        " ; # inbound\n" // 10
        "spdadd 192.168.1.1 133.134.10.10 udp -P out ipsec esp/transport//require;\n"
        "add 192.168.1.1 133.134.10.10 ah 0x2001 -A hmac-sha2-256 0x" +
        kK32 +
        ";\n"
        "spdadd 133.134.10.10 192.168.1.1 udp -P in ipsec esp/transport//require;\n"
        "add 192.168.1.1 133.134.10.10 ipcomp 0x4000 -C deflate -R;\n";
    auto r = SetkeyParser::ParseScript(text);
    ASSERT_TRUE(r.IsOk()) << r.Describe();
    const auto& s = r.GetValue();
    EXPECT_TRUE(s.flush);
    EXPECT_TRUE(s.spdflush);
    ASSERT_EQ(s.policies.size(), 2u);
    EXPECT_EQ(s.policies[0].direction, PolicyDirection::OUT);
    EXPECT_EQ(s.policies[1].direction, PolicyDirection::IN);
    ASSERT_EQ(s.associations.size(), 4u);
    ASSERT_EQ(s.associationForms.size(), 4u);
    EXPECT_EQ(s.associations[0].spi, 0x1001u);
    EXPECT_EQ(s.associations[0].replayWindow, 64u);
    EXPECT_EQ(s.associations[0].authenticationKey, TextBytes("12341234123412341234"));
    EXPECT_FALSE(s.associationForms[0].modeAny);
    EXPECT_EQ(s.associations[1].spi, 0x1002u);
    EXPECT_EQ(s.associations[1].source, Ipv4Address("133.134.10.10"));
    EXPECT_TRUE(s.associationForms[1].modeAny);
    EXPECT_EQ(s.associations[2].protocol, IpsecProtocol::AH);
    EXPECT_EQ(s.associations[3].protocol, IpsecProtocol::IPCOMP);
    EXPECT_TRUE(s.associationForms[3].rawCpi);

    // A flush at the end leaves no SA; a spdflush at the end no policy.
    auto late = SetkeyParser::ParseScript(text + "flush;\nspdflush;");
    ASSERT_TRUE(late.IsOk()) << late.Describe();
    EXPECT_TRUE(late.GetValue().associations.empty());
    EXPECT_TRUE(late.GetValue().associationForms.empty());
    EXPECT_TRUE(late.GetValue().policies.empty());

    struct BadScript
    {
        std::string text;
        std::string message;
        unsigned line;
        unsigned column;
    };

    const std::vector<BadScript> cases = {
        {"flush;\nspdflush;\nadd 10.0.0.1 10.0.0.2 esp 255 -E null;", "SPI 256..4294967295", 3, 27},
        {"flush;\nadd 10.0.0.1 10.0.0.2 esp 0x1000\n    -E des-cbc 0x3ffe05014819ffff\n"
         "    -A hmac-md5 \"authentication!!\" ;",
         "unsupported encryption algorithm 'des-cbc'",
         3,
         8},
        {kSa + kNullSha1 + "\nadd 10.0.0.1 10.0.0.2 esp 0x1001" + kNullSha1 + ";",
         "expected ';', found 'add'",
         2,
         1},
        {"spdadd 1.2.3.4 5.6.7.8 any -P out none;\nadd 10.0.0.1 10.0.0.2 esp 0x1000 # comment\n"
         "  -E aes-cbc 0x0011;",
         "key for aes-cbc must be 16 or 32 bytes, got 2",
         3,
         14},
        {"add 10.0.0.1 10.0.0.2 esp 0x1000 -E aes-cbc \"0123456789abcdef\n\";",
         "'\"' closing the key",
         1,
         62},
        {kSa + kNullSha1 + " -m any;", "must come before the algorithm", 1, 98},
        {"flush;\nadd 10.0.0.1 10.0.0.2 esp 0x1000\n    -E aes-cbc 0x" + kK16 + " ;",
         "esp SA without integrity",
         3,
         5},
        {"flush;\n\n  add 10.0.0.1 10.0.0.2 tcp 0x1000 -A tcp-md5 \"BGP\";",
         "unsupported SA protocol 'tcp'",
         3,
         25},
        {"add 10.0.0.1 10.0.0.2 ipcomp 0x1000 -C deflate -R",
         "expected ';', found end of input",
         1,
         50},
    };
    for (const auto& c : cases)
    {
        auto bad = SetkeyParser::ParseScript(c.text);
        ASSERT_FALSE(bad.IsOk()) << c.text;
        EXPECT_NE(bad.GetError().find(c.message), std::string::npos)
            << c.text << "\n  got: " << bad.GetError();
        EXPECT_EQ(bad.GetLine(), c.line) << c.text << "\n  -> " << bad.Describe();
        EXPECT_EQ(bad.GetColumn(), c.column) << c.text << "\n  -> " << bad.Describe();
    }
}
