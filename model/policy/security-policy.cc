/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "security-policy.h"

#include "setkey-parser.h"

#include <array>
#include <utility>

namespace ns3
{

namespace
{

/// Protocol names setkey understands as upperspec, with their IP protocol numbers.
const std::array<std::pair<const char*, int>, 10> kProtocolNames{{
    {"any", UpperProtocol::ANY},
    {"icmp", 1},
    {"tcp", 6},
    {"udp", 17},
    {"gre", 47},
    {"esp", 50},
    {"ah", 51},
    {"icmp6", 58},
    {"ipcomp", 108},
    {"sctp", 132},
}};

} // namespace

bool
AddressRange::ContainsAddress(Ipv4Address addr) const
{
    // This runs for every candidate policy of every packet: hosts and wildcards, the usual
    // ranges, need no call into ns-3's (logged) address accessors.
    if (prefixLength == 32)
    {
        return addr == address;
    }
    if (prefixLength == 0)
    {
        return true;
    }
    uint32_t bits = 0xffffffffu << (32 - prefixLength);
    return ((addr.Get() ^ address.Get()) & bits) == 0;
}

bool
AddressRange::ContainsPort(uint16_t p) const
{
    return !port.has_value() || *port == p;
}

bool
AddressRange::IsHost() const
{
    return prefixLength == 32;
}

Ipv4Mask
AddressRange::GetMask() const
{
    // Ipv4Mask("/0") is all zeros; build from the length to avoid text round trips.
    uint32_t bits = prefixLength == 0 ? 0 : (0xffffffffu << (32 - prefixLength));
    return Ipv4Mask(bits);
}

AddressRange
AddressRange::Host(Ipv4Address addr)
{
    AddressRange r;
    r.address = addr;
    r.prefixLength = 32;
    return r;
}

AddressRange
AddressRange::Prefix(Ipv4Address addr, uint8_t len)
{
    AddressRange r;
    r.prefixLength = len;
    r.address = addr.CombineMask(r.GetMask());
    r.prefixWritten = true;
    return r;
}

bool
AddressRange::operator==(const AddressRange& o) const
{
    return address == o.address && prefixLength == o.prefixLength &&
           prefixWritten == o.prefixWritten && port == o.port && portWritten == o.portWritten;
}

IpsecLevel
IpsecRequest::GetLevel() const
{
    return level.value_or(IpsecLevel::DEFAULT);
}

bool
IpsecRequest::operator==(const IpsecRequest& o) const
{
    return protocol == o.protocol && mode == o.mode && tunnelSource == o.tunnelSource &&
           tunnelDestination == o.tunnelDestination && level == o.level && uniqueId == o.uniqueId &&
           endpointFieldWritten == o.endpointFieldWritten;
}

bool
UpperProtocol::Matches(uint8_t protocol) const
{
    return number == ANY || number == protocol;
}

std::string
UpperProtocol::ToString() const
{
    if (!numeric)
    {
        for (const auto& [name, num] : kProtocolNames)
        {
            if (num == number)
            {
                return name;
            }
        }
    }
    return number == ANY ? "any" : std::to_string(number);
}

std::optional<UpperProtocol>
UpperProtocol::FromName(const std::string& name)
{
    for (const auto& [n, num] : kProtocolNames)
    {
        if (name == n)
        {
            UpperProtocol u;
            u.number = num;
            return u;
        }
    }
    return std::nullopt;
}

bool
UpperProtocol::operator==(const UpperProtocol& o) const
{
    return number == o.number && numeric == o.numeric;
}

int32_t
SecurityPolicy::GetPriority() const
{
    return priority.value_or(0);
}

bool
SecurityPolicy::Matches(Ipv4Address src,
                        Ipv4Address dst,
                        uint8_t protocol,
                        uint16_t srcPort,
                        uint16_t dstPort) const
{
    return upper.Matches(protocol) && source.ContainsAddress(src) &&
           destination.ContainsAddress(dst) && source.ContainsPort(srcPort) &&
           destination.ContainsPort(dstPort);
}

bool
SecurityPolicy::operator==(const SecurityPolicy& o) const
{
    return source == o.source && destination == o.destination && upper == o.upper &&
           direction == o.direction && action == o.action && requests == o.requests &&
           priority == o.priority && options == o.options;
}

bool
SecurityPolicy::operator!=(const SecurityPolicy& o) const
{
    return !(*this == o);
}

std::string
ToString(PolicyDirection d)
{
    switch (d)
    {
    case PolicyDirection::IN:
        return "in";
    case PolicyDirection::OUT:
        return "out";
    case PolicyDirection::FWD:
        return "fwd";
    }
    return "out";
}

std::string
ToString(PolicyAction a)
{
    switch (a)
    {
    case PolicyAction::DISCARD:
        return "discard";
    case PolicyAction::NONE:
        return "none";
    case PolicyAction::IPSEC:
        return "ipsec";
    }
    return "?";
}

std::string
ToString(IpsecProtocol p)
{
    switch (p)
    {
    case IpsecProtocol::AH:
        return "ah";
    case IpsecProtocol::ESP:
        return "esp";
    case IpsecProtocol::IPCOMP:
        return "ipcomp";
    }
    return "?";
}

std::string
ToString(IpsecMode m)
{
    return m == IpsecMode::TUNNEL ? "tunnel" : "transport";
}

std::string
ToString(IpsecLevel l)
{
    switch (l)
    {
    case IpsecLevel::DEFAULT:
        return "default";
    case IpsecLevel::USE:
        return "use";
    case IpsecLevel::REQUIRE:
        return "require";
    case IpsecLevel::UNIQUE:
        return "unique";
    }
    return "?";
}

std::ostream&
operator<<(std::ostream& os, const SecurityPolicy& policy)
{
    return os << SetkeyParser::Print(policy);
}

} // namespace ns3
