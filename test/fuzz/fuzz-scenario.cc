/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// libFuzzer target: scenario files. Any input gives a scenario or a "line: message" error.

#include "ns3/scenario.h"

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    auto scenario =
        ns3::ScenarioParser::ParseString(std::string(reinterpret_cast<const char*>(data), size));
    if (!scenario && scenario.GetError().empty())
    {
        std::abort(); // a failure must say why
    }
    return 0;
}
