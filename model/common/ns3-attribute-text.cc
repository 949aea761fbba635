/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3-attribute-text.h"

#include "ns3/data-rate.h"
#include "ns3/enum.h"
#include "ns3/global-value.h"
#include "ns3/string.h"
#include "ns3/type-id.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

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

} // namespace

std::string
CheckValueText(const AttributeChecker& checker, const std::string& value)
{
    if (std::string e = CheckEnumName(checker, value); !e.empty())
    {
        return e;
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
