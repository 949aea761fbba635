/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// libFuzzer target: attribute text that programs hand to ns-3 (command-line arguments, one per
// input line, and the input as an NS_ATTRIBUTE_DEFAULT list). Any input gives "" or a message;
// a value the check lets through for a type it knows does not stop ns-3's reader (an abort is a
// crash here), and an enum name it lets through is one ns-3 turns into a valid value. Each line
// is also read directly as every value type the check knows (ns-3's MAC and Address readers
// throw, its vector readers abort): where the check passes it, ns-3's reader must return.

#include "ns3/address.h"
#include "ns3/data-rate.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/integer.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv6-address.h"
#include "ns3/mac16-address.h"
#include "ns3/mac48-address.h"
#include "ns3/mac64-address.h"
#include "ns3/ns3-attribute-text.h"
#include "ns3/nstime.h"
#include "ns3/object-factory.h"
#include "ns3/pointer.h"
#include "ns3/queue-size.h"
#include "ns3/random-variable-stream.h"
#include "ns3/string.h"
#include "ns3/type-id.h"
#include "ns3/uinteger.h"
#include "ns3/vector.h"

#include <cstdint>
#include <cstdlib>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace
{

using namespace ns3;

/// The value types whose text ns3text::CheckValueText checks (or that refuse bad text safely).
const std::set<std::string>&
Known()
{
    static const std::set<std::string> types = {
        "EnumValue",         "DoubleValue",       "IntegerValue",     "UintegerValue",
        "TimeValue",         "DataRateValue",     "BooleanValue",     "StringValue",
        "Ipv4AddressValue",  "Ipv4MaskValue",     "Ipv6AddressValue", "Mac48AddressValue",
        "Mac16AddressValue", "Mac64AddressValue", "AddressValue",     "Vector3DValue",
        "Vector2DValue",     "BoxValue",          "RectangleValue",   "QueueSizeValue"};
    return types;
}

/// A checker of each value type the check reads (those of the libraries linked here).
const std::vector<Ptr<const AttributeChecker>>&
Checkers()
{
    static const std::vector<Ptr<const AttributeChecker>> checkers = {
        MakeDoubleChecker<double>(),
        MakeIntegerChecker<int64_t>(),
        MakeUintegerChecker<uint64_t>(),
        MakeTimeChecker(),
        MakeDataRateChecker(),
        MakeIpv4AddressChecker(),
        MakeIpv4MaskChecker(),
        MakeIpv6AddressChecker(),
        MakeMac48AddressChecker(),
        MakeMac16AddressChecker(),
        MakeMac64AddressChecker(),
        MakeAddressChecker(),
        MakeVectorChecker(),
        MakeVector2DChecker(),
        MakeQueueSizeChecker(),
        MakePointerChecker<RandomVariableStream>(),
        MakeObjectFactoryChecker()};
    return checkers;
}

} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string input(reinterpret_cast<const char*>(data), size);
    std::vector<std::string> args{"fuzz"};
    std::istringstream lines(input);
    for (std::string line; std::getline(lines, line);)
    {
        args.push_back(line);
    }
    std::vector<char*> argv;
    for (auto& a : args)
    {
        argv.push_back(a.data());
    }
    for (size_t i = 1; i < args.size(); ++i)
    {
        for (const auto& checker : Checkers())
        {
            if (ns3text::CheckValueText(*checker, args[i]).empty())
            {
                checker->Create()->DeserializeFromString(args[i], checker);
            }
        }
    }
    const std::string e = ns3text::CheckCommandLine(int(argv.size()), argv.data());
    if (!e.empty() && e.rfind("argument ", 0) != 0)
    {
        std::abort(); // a refusal names the argument
    }
    // Each option as a one-item defaults list, read by ns-3 where the check passed it.
    for (size_t i = 1; i < args.size(); ++i)
    {
        std::string item = args[i];
        if (item.empty() || item[0] != '-')
        {
            continue;
        }
        item.erase(0, item.rfind("--", 0) == 0 ? 2 : 1);
        const size_t eq = item.find('=');
        const size_t sep = item.rfind("::", eq);
        TypeId tid;
        TypeId::AttributeInformation info;
        if (eq == std::string::npos || item.find(';') != std::string::npos ||
            sep == std::string::npos || !TypeId::LookupByNameFailSafe(item.substr(0, sep), &tid) ||
            !tid.LookupAttributeByName(item.substr(sep + 2, eq - sep - 2), &info) ||
            !Known().count(ns3text::ValueTypeName(*info.checker)) ||
            !ns3text::CheckAttributeDefaults(item).empty())
        {
            continue; // not a checked "name=value" of a type the check knows
        }
        Ptr<AttributeValue> v = info.checker->CreateValidValue(StringValue(item.substr(eq + 1)));
        if (!v && dynamic_cast<const EnumChecker*>(PeekPointer(info.checker)) != nullptr)
        {
            std::abort();
        }
    }
    return 0;
}
