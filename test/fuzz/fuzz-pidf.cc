/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// libFuzzer target: PIDF presence documents. Any accepted document must encode and decode.

#include "ns3/pidf-codec.h"

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    auto doc = ns3::PidfCodec::Decode(std::string(reinterpret_cast<const char*>(data), size));
    if (doc && !ns3::PidfCodec::Decode(ns3::PidfCodec::Encode(doc.GetValue())))
    {
        std::abort();
    }
    return 0;
}
