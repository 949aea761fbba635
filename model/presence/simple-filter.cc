/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "simple-filter.h"

#include "pidf-codec.h"

#include "ns3/security-policy-xml.h"

namespace ns3
{

std::string
ToString(RequestedInfo what)
{
    switch (what)
    {
    case RequestedInfo::BOTH:
        return "both";
    case RequestedInfo::PRESENCE:
        return "presence";
    case RequestedInfo::POLICY:
        return "policy";
    }
    return "both";
}

std::optional<RequestedInfo>
RequestedInfoFromString(const std::string& text)
{
    for (RequestedInfo r : {RequestedInfo::BOTH, RequestedInfo::PRESENCE, RequestedInfo::POLICY})
    {
        if (text == ToString(r))
        {
            return r;
        }
    }
    return std::nullopt;
}

SimpleFilterSet
MakeRequestFilter(RequestedInfo what)
{
    SimpleFilterSet set;
    if (what == RequestedInfo::BOTH)
    {
        return set;
    }
    set.package = "presence";
    SimpleFilter f;
    f.id = ToString(what);
    if (what == RequestedInfo::PRESENCE)
    {
        f.exclude.push_back({FilterSelectorType::NAMESPACE, SecurityPolicyXml::NAMESPACE});
    }
    else
    {
        set.nsBindings = {{"pidf", PidfCodec::PIDF_NAMESPACE},
                          {"ps", PidfCodec::PRESEC_NAMESPACE},
                          {"sp", SecurityPolicyXml::NAMESPACE}};
        // The policy is bound to the addresses it names and the time it was stated (FIG. 5
        // lines 520-529); the user, location and place are what the requester did not ask for.
        for (const char* path : {"/pidf:presence/pidf:tuple/ps:presec/ps:address",
                                 "/pidf:presence/pidf:tuple/ps:presec/sp:policies",
                                 "/pidf:presence/pidf:tuple/pidf:timestamp"})
        {
            f.include.push_back({FilterSelectorType::XPATH, path});
        }
    }
    set.filters.push_back(f);
    return set;
}

} // namespace ns3
