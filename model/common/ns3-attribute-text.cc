/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3-attribute-text.h"

#include "ns3/data-rate.h"
#include "ns3/enum.h"
#include "ns3/global-value.h"
#include "ns3/object.h"
#include "ns3/pointer.h"
#include "ns3/string.h"
#include "ns3/text-util.h"
#include "ns3/type-id.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <vector>

namespace ns3
{
namespace ns3text
{

std::string
ValueTypeName(const AttributeChecker& checker)
{
    std::string type = checker.GetValueTypeName();
    return type.rfind("ns3::", 0) == 0 ? type.substr(5) : type;
}

std::string
CheckEnumName(const AttributeChecker& checker, const std::string& value)
{
    if (dynamic_cast<const EnumChecker*>(&checker) == nullptr)
    {
        return "";
    }
    const std::string names = checker.GetUnderlyingTypeInformation();
    // The names as the checker lists them, '|' between: a value holding '|' matches none.
    if (value.find('|') != std::string::npos ||
        ("|" + names + "|").find("|" + value + "|") == std::string::npos)
    {
        return "not one of " + names;
    }
    return "";
}

namespace
{

/// Whether ns-3's reader of a plain value type (ATTRIBUTE_VALUE_IMPLEMENT and the number
/// types: `iss >> value`, aborting unless the whole text was read) reads \p text whole.
template <typename T>
bool
ReadsWhole(const std::string& text)
{
    std::istringstream iss(text);
    T v{};
    iss >> v;
    return iss.eof() && !iss.fail();
}

/// A Time as ns-3 reads it (Time(std::string) aborts on an unknown unit and on a number
/// std::stod refuses): a decimal number and an optional unit.
bool
ReadsTime(const std::string& text)
{
    static const std::set<std::string> units =
        {"", "s", "ms", "us", "ns", "ps", "fs", "min", "h", "d", "y"};
    size_t unit = text.find_first_not_of("+-0123456789.eE");
    std::string number = text.substr(0, unit);
    if (number.empty() || !units.count(unit == std::string::npos ? "" : text.substr(unit)))
    {
        return false;
    }
    char* end = nullptr;
    errno = 0;
    double v = std::strtod(number.c_str(), &end);
    return *end == '\0' && errno == 0 && std::isfinite(v);
}

/// \p text split at every \p sep (empty parts kept).
std::vector<std::string>
SplitAt(const std::string& text, char sep)
{
    std::vector<std::string> parts;
    std::istringstream in(text);
    std::string part;
    while (std::getline(in, part, sep))
    {
        parts.push_back(part);
    }
    if (text.empty() || text.back() == sep)
    {
        parts.emplace_back();
    }
    return parts;
}

/// Whether \p text is \p n numbers with \p sep between, as ns-3 reads vectors ("1:2:3"),
/// boxes and rectangles ("0|10|0|10"): its readers abort on text left over.
bool
ReadsNumbers(const std::string& text, size_t n, char sep)
{
    std::vector<std::string> parts = SplitAt(text, sep);
    if (parts.size() != n)
    {
        return false;
    }
    for (const auto& x : parts)
    {
        if (x.empty() || std::isspace(static_cast<unsigned char>(x.front())) ||
            !ReadsWhole<double>(x))
        {
            return false;
        }
    }
    return true;
}

/// Whether \p text is \p n hexadecimal bytes (one or two digits each) with ':' between. ns-3's
/// MAC and Address readers call std::stoul on each part, which throws on anything else (an
/// exception nothing catches: the program terminates).
bool
ReadsHexBytes(const std::string& text, size_t n)
{
    if (n == 0)
    {
        return text.empty();
    }
    std::vector<std::string> parts = SplitAt(text, ':');
    if (parts.size() != n)
    {
        return false;
    }
    for (const auto& x : parts)
    {
        if (x.empty() || x.size() > 2 ||
            x.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
        {
            return false;
        }
    }
    return true;
}

template <size_t N>
bool
ReadsMac(const std::string& text)
{
    return ReadsHexBytes(text, N);
}

/// An Address as ns-3 prints it: type, length (at most Address::MAX_SIZE, 20; ns-3.37 writes
/// past its buffer above that) and the bytes: "02-06-00:00:00:00:00:01".
bool
ReadsAddress(const std::string& text)
{
    std::vector<std::string> parts = SplitAt(text, '-');
    if (parts.size() != 3 || !ReadsHexBytes(parts[0], 1) || !ReadsHexBytes(parts[1], 1))
    {
        return false;
    }
    size_t len = std::stoul(parts[1], nullptr, 16);
    return len <= 20 && ReadsHexBytes(parts[2], len);
}

/// Whether ns-3's `iss >> word` reads \p text whole (no white space) and inet_pton sees all of
/// it (no NUL).
bool
IsOneWord(const std::string& text)
{
    return std::none_of(text.begin(), text.end(), [](char c) {
        return c == '\0' || std::isspace(static_cast<unsigned char>(c));
    });
}

/// A dotted quad: ns-3.37's reader (AsciiToIpv4Host) turns any other text into some address
/// without a word (its checks are asserts).
bool
ReadsIpv4(const std::string& text)
{
    in_addr a;
    return IsOneWord(text) && inet_pton(AF_INET, text.c_str(), &a) == 1;
}

/// A dotted quad or "/n" with n at most 32 (ns-3.37 shifts by 32 - n unchecked).
bool
ReadsIpv4Mask(const std::string& text)
{
    if (!text.empty() && text.front() == '/')
    {
        std::string n = text.substr(1);
        return !n.empty() && n.size() <= 2 &&
               n.find_first_not_of("0123456789") == std::string::npos && std::stoul(n) <= 32;
    }
    return ReadsIpv4(text);
}

bool
ReadsIpv6(const std::string& text)
{
    in6_addr a;
    return IsOneWord(text) && inet_pton(AF_INET6, text.c_str(), &a) == 1;
}

/// A queue size as ns-3.37 reads it: a number and a unit (p, B and their multiples), one word
/// (its reader aborts on text left over), within 32 bits (it casts without a check).
bool
ReadsQueueSize(const std::string& text)
{
    static const std::map<std::string, double> units = {{"B", 1},
                                                        {"kB", 1e3},
                                                        {"KB", 1e3},
                                                        {"KiB", 1024},
                                                        {"MB", 1e6},
                                                        {"MiB", 1048576},
                                                        {"p", 1},
                                                        {"kp", 1e3},
                                                        {"Kp", 1e3},
                                                        {"Kip", 1024},
                                                        {"Mp", 1e6},
                                                        {"Mip", 1048576}};
    size_t n = text.find_first_not_of("0123456789.");
    if (n == 0 || n == std::string::npos || !units.count(text.substr(n)) ||
        !ReadsWhole<double>(text.substr(0, n)))
    {
        return false;
    }
    return std::stod(text.substr(0, n)) * units.at(text.substr(n)) <= 4294967295.0;
}

template <size_t N, char Sep>
bool
ReadsNumbersOf(const std::string& text)
{
    return ReadsNumbers(text, N, Sep);
}

} // namespace

std::string
CheckObjectText(TypeId base, const std::string& value, const AttributeTextCheck& checkAttribute)
{
    // What ns-3's ObjectFactory reader takes: one word, at most one [...] at its end (it reads
    // up to the first ']': lists cannot nest).
    const std::string& v = value;
    size_t open = v.find('[');
    if (!IsOneWord(v))
    {
        return "no blanks allowed in '" + v + "'";
    }
    if (std::count(v.begin(), v.end(), '[') > 1 || std::count(v.begin(), v.end(), ']') > 1 ||
        (open == std::string::npos) != (v.find(']') == std::string::npos) ||
        (open != std::string::npos && v.back() != ']'))
    {
        return "'" + v + "' is not Type or Type[Name=Value|...] (no nesting)";
    }
    std::string type = v.substr(0, open);
    TypeId tid;
    if (!TypeId::LookupByNameFailSafe(type, &tid))
    {
        return "unknown TypeId '" + type + "'";
    }
    if (base == TypeId())
    {
        base = Object::GetTypeId();
    }
    if (!tid.IsChildOf(base) && tid != base)
    {
        return "'" + type + "' is not a " + base.GetName();
    }
    if (!tid.HasConstructor())
    {
        return "'" + type + "' cannot be created: no constructor";
    }
    if (open == std::string::npos)
    {
        return "";
    }
    std::string inner = v.substr(open + 1, v.size() - open - 2);
    if (inner.empty())
    {
        return "";
    }
    for (const auto& item : text::SplitOutsideBrackets(inner, '|'))
    {
        size_t eq = item.find('=');
        if (eq == std::string::npos)
        {
            return "'" + item + "' in '" + v + "' is not Name=Value";
        }
        const std::string name = item.substr(0, eq);
        const std::string text = item.substr(eq + 1);
        std::string e;
        if (checkAttribute)
        {
            e = checkAttribute(tid, name, text);
        }
        else if (TypeId::AttributeInformation info; !tid.LookupAttributeByName(name, &info))
        {
            e = "unknown attribute '" + name + "' of " + type;
        }
        else if (std::string why = CheckValueText(*info.checker, text); !why.empty())
        {
            e = "bad value '" + text + "' for " + name + " of " + type + ": " + why;
        }
        if (!e.empty())
        {
            return e;
        }
    }
    return "";
}

std::string
CheckValueText(const AttributeChecker& checker, const std::string& value)
{
    if (std::string e = CheckEnumName(checker, value); !e.empty())
    {
        return e;
    }
    if (auto pointer = dynamic_cast<const PointerChecker*>(&checker))
    {
        return CheckObjectText(pointer->GetPointeeTypeId(), value);
    }
    if (ValueTypeName(checker) == "ObjectFactoryValue")
    {
        return CheckObjectText(TypeId(), value);
    }

    struct Reader
    {
        bool (*reads)(const std::string&);
        const char* what;
    };

    static const std::map<std::string, Reader> readers = {
        {"DoubleValue", {&ReadsWhole<double>, "not a number"}},
        {"IntegerValue", {&ReadsWhole<int64_t>, "not an integer"}},
        {"UintegerValue", {&ReadsWhole<uint64_t>, "not an unsigned integer"}},
        {"TimeValue",
         {&ReadsTime, "not a time (a number and s, ms, us, ns, ps, fs, min, h, d or y)"}},
        {"DataRateValue",
         {&ReadsWhole<DataRate>, "not a data rate (a number and bps, kbps, Mbps, ...)"}},
        {"Ipv4AddressValue", {&ReadsIpv4, "not an IPv4 address (a.b.c.d)"}},
        {"Ipv4MaskValue", {&ReadsIpv4Mask, "not an IPv4 mask (a.b.c.d or /0 to /32)"}},
        {"Ipv6AddressValue", {&ReadsIpv6, "not an IPv6 address"}},
        {"Mac48AddressValue", {&ReadsMac<6>, "not a MAC-48 address (six hex bytes, ':' between)"}},
        {"Mac16AddressValue",
         {&ReadsMac<2>, "not a 16-bit MAC address (two hex bytes, ':' between)"}},
        {"Mac64AddressValue",
         {&ReadsMac<8>, "not a 64-bit MAC address (eight hex bytes, ':' between)"}},
        {"AddressValue",
         {&ReadsAddress, "not an address (type-length-bytes in hex, as 02-06-00:00:00:00:00:01)"}},
        {"Vector3DValue", {&ReadsNumbersOf<3, ':'>, "not a vector (x:y:z)"}},
        {"Vector2DValue", {&ReadsNumbersOf<2, ':'>, "not a vector (x:y)"}},
        {"BoxValue", {&ReadsNumbersOf<6, '|'>, "not a box (xMin|xMax|yMin|yMax|zMin|zMax)"}},
        {"RectangleValue", {&ReadsNumbersOf<4, '|'>, "not a rectangle (xMin|xMax|yMin|yMax)"}},
        {"QueueSizeValue",
         {&ReadsQueueSize,
          "not a queue size (a number and p, kp, Kip, Mp, Mip, B, kB, KiB, MB "
          "or MiB, at most 4294967295)"}},
    };
    auto r = readers.find(ValueTypeName(checker));
    return r != readers.end() && !r->second.reads(value) ? r->second.what : "";
}

namespace
{

/// The attribute Config::SetDefault would set for \p fullName (as it splits it), if any.
bool
FindAttribute(const std::string& fullName, TypeId::AttributeInformation* info)
{
    const size_t pos = fullName.rfind("::");
    TypeId tid;
    return pos != std::string::npos &&
           TypeId::LookupByNameFailSafe(fullName.substr(0, pos), &tid) &&
           tid.LookupAttributeByName(fullName.substr(pos + 2), info);
}

/// "" or the message for a value ns-3 would abort on or read past its list for.
std::string
CheckTextOf(const std::string& fullName, const std::string& value)
{
    TypeId::AttributeInformation info;
    std::string e = FindAttribute(fullName, &info) ? CheckValueText(*info.checker, value) : "";
    if (e.empty())
    {
        for (auto g = GlobalValue::Begin(); g != GlobalValue::End() && e.empty(); ++g)
        {
            if ((*g)->GetName() == fullName)
            {
                e = CheckValueText(*(*g)->GetChecker(), value);
            }
        }
    }
    return e.empty() ? "" : "bad value '" + value + "' for " + fullName + ": " + e;
}

} // namespace

std::string
CheckAttributeText(const std::string& fullName, const std::string& value)
{
    TypeId::AttributeInformation info;
    if (!FindAttribute(fullName, &info))
    {
        return "unknown attribute " + fullName;
    }
    std::string e = CheckTextOf(fullName, value);
    if (e.empty() && !info.checker->CreateValidValue(StringValue(value)))
    {
        e = "bad value '" + value + "' for " + fullName + " (" + info.help + ")";
    }
    return e;
}

std::string
CheckAttributeDefaults(const std::string& list)
{
    // Split as ns-3.37's EnvDictionary does: ';' between items, the first '=' in each.
    std::istringstream items(list);
    for (std::string item; std::getline(items, item, ';');)
    {
        const size_t eq = item.find('=');
        if (eq == std::string::npos)
        {
            continue;
        }
        if (std::string e = CheckTextOf(item.substr(0, eq), item.substr(eq + 1)); !e.empty())
        {
            return "NS_ATTRIBUTE_DEFAULT: " + e;
        }
    }
    return "";
}

std::string
CheckCommandLine(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i)
    {
        // CommandLine's reading of an option: "--" or "-", then name[=value].
        std::string a = argv[i] != nullptr ? argv[i] : "";
        if (a.rfind("--", 0) == 0)
        {
            a.erase(0, 2);
        }
        else if (a.rfind('-', 0) == 0)
        {
            a.erase(0, 1);
        }
        else
        {
            continue;
        }
        const size_t eq = a.find('=');
        if (eq == std::string::npos)
        {
            continue;
        }
        std::string e = CheckTextOf(a.substr(0, eq), a.substr(eq + 1));
        if (!e.empty())
        {
            return "argument " + std::string(argv[i]) + ": " + e;
        }
    }
    const char* defaults = std::getenv("NS_ATTRIBUTE_DEFAULT");
    return defaults != nullptr ? CheckAttributeDefaults(defaults) : "";
}

bool
ParseCommandLine(CommandLine& cmd, int argc, char** argv)
{
    const std::string e = CheckCommandLine(argc, argv);
    if (!e.empty())
    {
        const std::string program = argc > 0 && argv[0] != nullptr ? argv[0] : "program";
        std::cerr << program.substr(program.rfind('/') + 1) << ": " << e << "\n";
        return false;
    }
    cmd.Parse(argc, argv);
    return true;
}

} // namespace ns3text
} // namespace ns3
