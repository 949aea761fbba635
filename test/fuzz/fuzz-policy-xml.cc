/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// libFuzzer target: policy XML. Any accepted document must serialise and re-parse equal.

#include "ns3/security-policy-xml.h"

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    auto parsed =
        ns3::SecurityPolicyXml::Parse(std::string(reinterpret_cast<const char*>(data), size));
    if (parsed)
    {
        auto again =
            ns3::SecurityPolicyXml::Parse(ns3::SecurityPolicyXml::Serialize(parsed.GetValue()));
        if (!again || again.GetValue() != parsed.GetValue())
        {
            std::abort();
        }
    }
    return 0;
}
