/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// libFuzzer target: RuleTable decision rule documents (RulesFile). Any input gives rules or an
// error; accepted rules are within the table's limits and name the lines they came from.

#include "ns3/rule-table-decision-model.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string xml(reinterpret_cast<const char*>(data), size);
    auto rules = ns3::RuleTableDecisionModel::ParseRules(xml);
    if (!rules)
    {
        if (rules.GetError().empty())
        {
            std::abort(); // a failure must say why
        }
        return 0;
    }
    const auto lines = size_t(std::count(xml.begin(), xml.end(), '\n')) + 1;
    if (rules.GetValue().size() > ns3::RuleTableDecisionModel::MAX_RULES)
    {
        std::abort();
    }
    for (const auto& rule : rules.GetValue())
    {
        if (rule.line == 0 || rule.line > lines)
        {
            std::abort();
        }
    }
    return 0;
}
