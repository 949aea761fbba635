/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// libFuzzer target: SIP datagrams. Any accepted message must serialise and parse again.

#include "ns3/sip-parser.h"

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    auto msg = ns3::SipParser::Parse(std::string(reinterpret_cast<const char*>(data), size));
    if (msg && !ns3::SipParser::Parse(msg.GetValue().Serialize()))
    {
        std::abort();
    }
    ns3::SipParser::ParseBestEffort(std::string(reinterpret_cast<const char*>(data), size));
    return 0;
}
