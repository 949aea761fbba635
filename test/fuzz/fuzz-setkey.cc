/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// libFuzzer target: setkey text. Any accepted policy must print and re-parse to itself; any
// accepted SA has an integrity check (ESP AEAD or -A, AH not null), no window if IPComp, and
// prints to a statement that parses back.

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
        const auto& sas = script.GetValue().associations;
        for (size_t i = 0; i < sas.size(); ++i)
        {
            const ns3::SecurityAssociation& sa = sas[i];
            if (!ns3::SecurityAssociation::CheckIntegrity(sa.protocol,
                                                          sa.encryption,
                                                          sa.authentication)
                     .empty() ||
                (sa.protocol == ns3::IpsecProtocol::IPCOMP && sa.replayWindow != 0))
            {
                std::abort(); // an SA without integrity, or a window without ICV, got through
            }
            auto again = ns3::SetkeyParser::ParseSa(
                ns3::SetkeyParser::PrintSa(sa, script.GetValue().associationForms[i]));
            if (!again || again.GetValue().spi != sa.spi ||
                again.GetValue().replayWindow != sa.replayWindow ||
                again.GetValue().authentication != sa.authentication)
            {
                std::abort(); // PrintSa wrote what ParseSa refuses or reads differently
            }
        }
    }
    ns3::SetkeyParser::ParsePolicy(text);
    ns3::SetkeyParser::ParseSa(text);
    return 0;
}
