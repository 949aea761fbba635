/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// libFuzzer target: lowering MESSAGE bodies. Any accepted body must encode and decode equal.

#include "ns3/lowering-message.h"

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    auto parsed =
        ns3::LoweringCodec::Decode(std::string(reinterpret_cast<const char*>(data), size));
    if (parsed)
    {
        auto again = ns3::LoweringCodec::Decode(ns3::LoweringCodec::Encode(parsed.GetValue()));
        if (!again || !(again.GetValue() == parsed.GetValue()))
        {
            std::abort();
        }
    }
    return 0;
}
