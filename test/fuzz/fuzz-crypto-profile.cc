/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// libFuzzer target: crypto profile files (presec-calibrate's format, cpu="file:..."). Any
// input gives a profile or an error naming its line; an accepted profile written out parses
// back to an equal profile (the Write/Parse contract of CryptoProfile).

#include "ns3/crypto-profile.h"

#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    auto parsed = ns3::CryptoProfile::Parse(std::string(reinterpret_cast<const char*>(data), size));
    if (!parsed)
    {
        if (parsed.GetError().empty())
        {
            std::abort(); // a failure must say why
        }
        return 0;
    }
    std::ostringstream written;
    parsed.GetValue().Write(written);
    auto again = ns3::CryptoProfile::Parse(written.str());
    if (!again || again.GetValue() != parsed.GetValue())
    {
        std::abort();
    }
    return 0;
}
