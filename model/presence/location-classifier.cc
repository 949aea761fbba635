/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "location-classifier.h"

#include "ns3/log.h"

#include <algorithm>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("LocationClassifier");

namespace
{

uint32_t
MaskBits(uint8_t length)
{
    // Shifting a 32-bit value by 32 is undefined, hence the special case.
    return length == 0 ? 0 : 0xffffffffu << (32 - length);
}

/// The private / local blocks, as (network, length).
const std::pair<uint32_t, uint8_t> kPrivateBlocks[] = {
    {0x0a000000, 8},  // 10.0.0.0/8, RFC 1918
    {0xac100000, 12}, // 172.16.0.0/12, RFC 1918
    {0xc0a80000, 16}, // 192.168.0.0/16, RFC 1918
    {0x64400000, 10}, // 100.64.0.0/10, RFC 6598 shared address space
    {0x7f000000, 8},  // 127.0.0.0/8, loopback
    {0xa9fe0000, 16}, // 169.254.0.0/16, link-local
};

} // namespace

bool
Ipv4Prefix::Contains(Ipv4Address address) const
{
    uint32_t mask = MaskBits(length);
    return (address.Get() & mask) == (network.Get() & mask);
}

std::string
Ipv4Prefix::ToString() const
{
    std::ostringstream os;
    os << network << '/' << unsigned(length);
    return os.str();
}

ParseResult<Ipv4Prefix>
Ipv4Prefix::Parse(const std::string& text)
{
    using R = ParseResult<Ipv4Prefix>;
    size_t slash = text.find('/');
    std::string addr = text.substr(0, slash);
    Ipv4Prefix p;
    p.length = 32;
    if (slash != std::string::npos)
    {
        std::string len = text.substr(slash + 1);
        if (len.empty() || len.size() > 2 ||
            !std::all_of(len.begin(), len.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
            (len.size() == 2 && len[0] == '0') || std::stoi(len) > 32)
        {
            return R::Fail("bad prefix length '" + len + "' in '" + text + "' (0..32)",
                           0,
                           unsigned(slash + 2));
        }
        p.length = uint8_t(std::stoi(len));
    }
    if (!ParseIpv4Address(addr, p.network))
    {
        return R::Fail("bad IPv4 address '" + addr + "' in '" + text + "'", 0, 1);
    }
    if ((p.network.Get() & ~MaskBits(p.length)) != 0)
    {
        return R::Fail(
            "host bits set in '" + text + "' (network would be " +
                Ipv4Prefix{Ipv4Address(p.network.Get() & MaskBits(p.length)), p.length}.ToString() +
                ")",
            0,
            1);
    }
    return R::Ok(p);
}

bool
Ipv4Prefix::operator==(const Ipv4Prefix& other) const
{
    return network == other.network && length == other.length;
}

LocationClassifier::LocationClassifier()
    : m_rules(std::make_shared<std::vector<Rule>>())
{
    NS_LOG_FUNCTION(this);
    SetPrivateClass("private", false, PlaceType::UNKNOWN);
    SetPublicClass("external", false, PlaceType::UNKNOWN);
}

void
LocationClassifier::AddPrefix(const Ipv4Prefix& prefix,
                              const std::string& label,
                              bool trusted,
                              PlaceType placeType)
{
    NS_LOG_FUNCTION(this << prefix.ToString() << label << trusted);
    RemovePrefix(prefix);
    Rule rule{prefix, label, trusted, placeType};
    auto& rules = MutableRules();
    // Kept longest first so the first match is the longest match.
    auto pos = std::find_if(rules.begin(), rules.end(), [&](const Rule& r) {
        return r.prefix.length < prefix.length;
    });
    rules.insert(pos, rule);
}

std::vector<LocationClassifier::Rule>&
LocationClassifier::MutableRules()
{
    if (m_rules.use_count() > 1)
    {
        m_rules = std::make_shared<std::vector<Rule>>(*m_rules);
    }
    return *m_rules;
}

ParseResult<Ipv4Prefix>
LocationClassifier::AddPrefix(const std::string& prefix,
                              const std::string& label,
                              bool trusted,
                              PlaceType placeType)
{
    auto parsed = Ipv4Prefix::Parse(prefix);
    if (parsed)
    {
        AddPrefix(parsed.GetValue(), label, trusted, placeType);
    }
    else
    {
        NS_LOG_WARN("prefix refused: " << parsed.GetError());
    }
    return parsed;
}

bool
LocationClassifier::RemovePrefix(const Ipv4Prefix& prefix)
{
    auto has = [&](const Rule& r) { return r.prefix == prefix; };
    if (std::none_of(m_rules->begin(), m_rules->end(), has))
    {
        return false;
    }
    auto& rules = MutableRules();
    rules.erase(std::find_if(rules.begin(), rules.end(), has));
    return true;
}

void
LocationClassifier::Clear()
{
    m_rules = std::make_shared<std::vector<Rule>>();
}

size_t
LocationClassifier::GetNPrefixes() const
{
    return m_rules->size();
}

void
LocationClassifier::SetPrivateClass(const std::string& label, bool trusted, PlaceType placeType)
{
    m_private = LocationClass{label, trusted, placeType, LocationClass::Source::PRIVATE, {}};
}

void
LocationClassifier::SetPublicClass(const std::string& label, bool trusted, PlaceType placeType)
{
    m_public = LocationClass{label, trusted, placeType, LocationClass::Source::PUBLIC, {}};
}

LocationClass
LocationClassifier::Classify(Ipv4Address address) const
{
    for (const auto& r : *m_rules)
    {
        if (r.prefix.Contains(address))
        {
            NS_LOG_LOGIC(address << " in " << r.prefix.ToString() << ": " << r.label);
            return LocationClass{r.label,
                                 r.trusted,
                                 r.placeType,
                                 LocationClass::Source::CONFIGURED,
                                 r.prefix};
        }
    }
    for (const auto& [net, len] : kPrivateBlocks)
    {
        Ipv4Prefix block{Ipv4Address(net), len};
        if (block.Contains(address))
        {
            LocationClass c = m_private;
            c.prefix = block;
            return c;
        }
    }
    return m_public;
}

bool
LocationClassifier::IsPrivate(Ipv4Address address)
{
    return std::any_of(std::begin(kPrivateBlocks), std::end(kPrivateBlocks), [&](const auto& b) {
        return Ipv4Prefix{Ipv4Address(b.first), b.second}.Contains(address);
    });
}

} // namespace ns3
