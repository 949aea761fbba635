/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// libFuzzer target: campaign files. Any input gives a campaign (which then expands, and whose
// metric paths are walked through a summary.json) or a "file:line: message" error, never a
// crash.

#include "campaign-aggregate.h"
#include "campaign.h"

#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace ns3::campaign;
    try
    {
        Campaign c = ParseCampaignString(std::string(reinterpret_cast<const char*>(data), size),
                                         "fuzz.xml",
                                         "/campaigns");
        // Bounded by the parser's limit on runs; keep a single input fast.
        size_t runs = c.replications;
        for (const auto& p : c.parameters)
        {
            runs *= p.values.size();
        }
        static const nlohmann::json summary = nlohmann::json::parse(
            R"({"duration_s": 35, "terminals": [{"exposure_bytes": 1, "cpu_busy_s": 0.5},
                {"exposure_bytes": 2, "decision": "x", "a": [[1, 2], {"b": 3}]}]})");
        for (const auto& m : c.metrics)
        {
            try
            {
                ExtractMetric(summary, m);
            }
            catch (const CampaignError&)
            {
            }
        }
        if (runs <= 10000)
        {
            auto expanded = Expand(c);
            if (expanded.size() != runs)
            {
                std::abort();
            }
        }
    }
    catch (const CampaignError& e)
    {
        if (std::string(e.what()).rfind("fuzz.xml:", 0) != 0)
        {
            std::abort(); // an error must name the file and line
        }
    }
    return 0;
}
