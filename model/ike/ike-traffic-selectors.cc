/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ike-traffic-selectors.h"

#include <algorithm>

namespace ns3
{
namespace ikev2
{

IkeTrafficSelector
PolicyTs(const AddressRange& range, const UpperProtocol& upper)
{
    IkeTrafficSelector ts;
    uint32_t mask = range.GetMask().Get();
    ts.startAddress = Ipv4Address(range.address.Get() & mask);
    ts.endAddress = Ipv4Address((range.address.Get() & mask) | ~mask);
    ts.ipProtocol = upper.number == UpperProtocol::ANY ? 0 : uint8_t(upper.number);
    if (range.port)
    {
        ts.startPort = *range.port;
        ts.endPort = *range.port;
    }
    return ts;
}

std::optional<IkeTrafficSelector>
IntersectTs(const IkeTrafficSelector& a, const IkeTrafficSelector& b)
{
    if (a.ipProtocol != 0 && b.ipProtocol != 0 && a.ipProtocol != b.ipProtocol)
    {
        return std::nullopt;
    }
    IkeTrafficSelector ts;
    ts.ipProtocol = a.ipProtocol != 0 ? a.ipProtocol : b.ipProtocol;
    ts.startPort = std::max(a.startPort, b.startPort);
    ts.endPort = std::min(a.endPort, b.endPort);
    ts.startAddress = Ipv4Address(std::max(a.startAddress.Get(), b.startAddress.Get()));
    ts.endAddress = Ipv4Address(std::min(a.endAddress.Get(), b.endAddress.Get()));
    if (ts.startPort > ts.endPort || ts.startAddress.Get() > ts.endAddress.Get())
    {
        return std::nullopt;
    }
    return ts;
}

IkePayload
RequestTs(const IkeChildSpec& spec, Ipv4Address local, Ipv4Address peer, bool initiatorTs)
{
    Ipv4Address addr = initiatorTs ? local : peer;
    IkeTrafficSelector ts = spec.mode == IpsecMode::TRANSPORT ? IkeTrafficSelector::Host(addr)
                                                              : IkeTrafficSelector::Any();
    if (spec.mode == IpsecMode::TUNNEL && spec.tsLocal && spec.tsRemote)
    {
        ts = initiatorTs ? *spec.tsLocal : *spec.tsRemote;
    }
    return IkePayload::MakeTs(!initiatorTs, {ts});
}

bool
NarrowTs(const std::vector<SecurityPolicy>& policies,
         Ipv4Address local,
         Ipv4Address peer,
         IkeChildSpec& spec,
         const IkePayload& tsi,
         const IkePayload& tsr)
{
    if (tsi.selectors.empty() || tsr.selectors.empty())
    {
        return false;
    }
    spec.tsRemote = tsi.selectors[0];
    spec.tsLocal = tsr.selectors[0];
    if (spec.mode != IpsecMode::TUNNEL)
    {
        return true;
    }
    bool any = false;
    for (const SecurityPolicy& p : policies)
    {
        if (p.action != PolicyAction::IPSEC)
        {
            continue;
        }
        for (const IpsecRequest& q : p.requests)
        {
            if (q.mode != IpsecMode::TUNNEL || q.protocol != spec.proto || q.tunnelSource != peer ||
                q.tunnelDestination != local)
            {
                continue;
            }
            any = true;
            auto i = IntersectTs(tsi.selectors[0], PolicyTs(p.source, p.upper));
            auto r = IntersectTs(tsr.selectors[0], PolicyTs(p.destination, p.upper));
            if (i && r)
            {
                spec.tsRemote = *i;
                spec.tsLocal = *r;
                return true;
            }
        }
    }
    return !any;
}

bool
IsWithin(const IkeTrafficSelector& inner, const IkeTrafficSelector& outer)
{
    return (outer.ipProtocol == 0 || outer.ipProtocol == inner.ipProtocol) &&
           outer.startPort <= inner.startPort && inner.endPort <= outer.endPort &&
           outer.startAddress.Get() <= inner.startAddress.Get() &&
           inner.endAddress.Get() <= outer.endAddress.Get();
}

bool
TakeResponseTs(IkeChildSpec& spec, const IkeMessage& msg)
{
    const IkePayload* tsi = msg.Find(IkePayloadType::TSI);
    const IkePayload* tsr = msg.Find(IkePayloadType::TSR);
    if (spec.mode != IpsecMode::TUNNEL || tsi == nullptr || tsr == nullptr ||
        tsi->selectors.empty() || tsr->selectors.empty())
    {
        return true;
    }
    IkeTrafficSelector local = spec.tsLocal.value_or(IkeTrafficSelector::Any());
    IkeTrafficSelector remote = spec.tsRemote.value_or(IkeTrafficSelector::Any());
    if (!IsWithin(tsi->selectors[0], local) || !IsWithin(tsr->selectors[0], remote))
    {
        return false;
    }
    spec.tsLocal = tsi->selectors[0];
    spec.tsRemote = tsr->selectors[0];
    return true;
}

} // namespace ikev2
} // namespace ns3
