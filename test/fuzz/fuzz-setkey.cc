/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// libFuzzer target: setkey text. Any accepted policy must print and re-parse to itself.

#include "ns3/setkey-parser.h"

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    std::string text(reinterpret_cast<const char*>(data), size);
    auto script = ns3::SetkeyParser::ParseScript(text);
    if (script)
    {
        for (const auto& p : script.GetValue().policies)
        {
            auto again = ns3::SetkeyParser::ParsePolicy(ns3::SetkeyParser::Print(p));
            if (!again || again.GetValue() != p)
            {
                std::abort(); // the printer and the parser disagree
            }
        }
    }
    ns3::SetkeyParser::ParsePolicy(text);
    ns3::SetkeyParser::ParseSa(text);
    return 0;
}
