/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "policy-set.h"

#include "setkey-parser.h"

#include <algorithm>
#include <iterator>

namespace ns3
{

namespace
{

/// The requests of a bundle: one per protocol, transport mode, written as setkey writes them.
std::vector<IpsecRequest>
MakeRequests(const std::vector<IpsecProtocol>& protocols, IpsecLevel level)
{
    std::vector<IpsecRequest> requests;
    for (IpsecProtocol p : protocols)
    {
        IpsecRequest r;
        r.protocol = p;
        r.mode = IpsecMode::TRANSPORT;
        r.level = level;
        // `esp/transport//require`: the empty endpoint field is written whenever a level
        // follows, so the policy equals what SetkeyParser reads back from its own print.
        r.endpointFieldWritten = true;
        requests.push_back(r);
    }
    return requests;
}

/// One policy between two hosts, any upper protocol.
SecurityPolicy
MakePolicy(Ipv4Address src, Ipv4Address dst, PolicyDirection dir)
{
    SecurityPolicy p;
    p.source = AddressRange::Host(src);
    p.destination = AddressRange::Host(dst);
    p.direction = dir;
    p.action = PolicyAction::NONE;
    return p;
}

/// Give \p policy exactly this protection (clear text when \p protocols is empty).
void
Protect(SecurityPolicy& policy, const std::vector<IpsecProtocol>& protocols, IpsecLevel level)
{
    policy.action = protocols.empty() ? PolicyAction::NONE : PolicyAction::IPSEC;
    policy.requests = MakeRequests(protocols, level);
}

/// The intersection of two address ranges (prefix and port), if any.
std::optional<AddressRange>
Intersect(const AddressRange& a, const AddressRange& b)
{
    const AddressRange& wide = a.prefixLength <= b.prefixLength ? a : b;
    const AddressRange& narrow = a.prefixLength <= b.prefixLength ? b : a;
    if (!wide.ContainsAddress(narrow.address))
    {
        return std::nullopt;
    }
    if (a.port && b.port && *a.port != *b.port)
    {
        return std::nullopt;
    }
    AddressRange r = narrow;
    r.port = a.port ? a.port : b.port;
    return r;
}

/// Whether every address and port of \p inner lies in \p outer.
bool
RangeCovers(const AddressRange& outer, const AddressRange& inner)
{
    return outer.prefixLength <= inner.prefixLength && outer.ContainsAddress(inner.address) &&
           (!outer.port || (inner.port && *inner.port == *outer.port));
}

/// The packets both policies select, as a selector-only policy, if any.
std::optional<SecurityPolicy>
Intersect(const SecurityPolicy& a, const SecurityPolicy& b)
{
    auto src = Intersect(a.source, b.source);
    auto dst = Intersect(a.destination, b.destination);
    bool anyA = a.upper.number == UpperProtocol::ANY;
    bool anyB = b.upper.number == UpperProtocol::ANY;
    if (!src || !dst || (!anyA && !anyB && a.upper.number != b.upper.number))
    {
        return std::nullopt;
    }
    SecurityPolicy x;
    x.source = *src;
    x.destination = *dst;
    x.upper = anyA ? b.upper : a.upper;
    return x;
}

/// The entries of one direction in first-match order (priority, then list order).
std::vector<const SecurityPolicy*>
InRankOrder(const std::vector<SecurityPolicy>& policies, PolicyDirection direction)
{
    std::vector<const SecurityPolicy*> out;
    for (const SecurityPolicy& p : policies)
    {
        if (p.direction == direction)
        {
            out.push_back(&p);
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const SecurityPolicy* a, const SecurityPolicy* b) {
        return a->GetPriority() < b->GetPriority();
    });
    return out;
}

/// Whether one of the first \p n entries of \p list covers \p x (and so decides it).
bool
DecidedEarlier(const std::vector<const SecurityPolicy*>& list, size_t n, const SecurityPolicy& x)
{
    return std::any_of(list.begin(), list.begin() + n, [&x](const SecurityPolicy* e) {
        return PolicySet::Covers(*e, x);
    });
}

} // namespace

std::vector<SecurityPolicy>
PolicySet::Mirror(const std::vector<SecurityPolicy>& view)
{
    std::vector<SecurityPolicy> other = view;
    for (SecurityPolicy& p : other)
    {
        // Swapping the addresses too would give an `in` policy whose source is ourselves,
        // which no received packet matches.
        p.direction =
            p.direction == PolicyDirection::OUT ? PolicyDirection::IN : PolicyDirection::OUT;
    }
    return other;
}

std::vector<SecurityPolicy>
PolicySet::OurView(const std::vector<SecurityPolicy>& proposal, Ipv4Address peer, Ipv4Address own)
{
    std::vector<SecurityPolicy> ours = Mirror(proposal);
    // A direction the peer proposed nothing for is sent or received in clear; an explicit
    // clear policy for it lets RaiseTo protect both directions.
    for (const SecurityPolicy& clear : MakeClear(peer, own))
    {
        bool present = std::any_of(ours.begin(), ours.end(), [&clear](const SecurityPolicy& p) {
            return p.direction == clear.direction;
        });
        if (!present)
        {
            ours.push_back(clear);
        }
    }
    return ours;
}

std::vector<SecurityPolicy>
PolicySet::MakeProtected(Ipv4Address peer,
                         Ipv4Address own,
                         const std::vector<IpsecProtocol>& protocols,
                         IpsecLevel level)
{
    std::vector<SecurityPolicy> pair = MakeClear(peer, own);
    for (SecurityPolicy& p : pair)
    {
        Protect(p, protocols, level);
    }
    return pair;
}

std::vector<SecurityPolicy>
PolicySet::MakeClear(Ipv4Address peer, Ipv4Address own)
{
    return {MakePolicy(own, peer, PolicyDirection::OUT),
            MakePolicy(peer, own, PolicyDirection::IN)};
}

std::vector<SecurityPolicy>
PolicySet::RaiseTo(std::vector<SecurityPolicy> policies,
                   const std::vector<IpsecProtocol>& protocols,
                   IpsecLevel level)
{
    ProtectionStrength target = Strength(protocols, level);
    for (SecurityPolicy& p : policies)
    {
        if (ProtectionStrength(p) < target)
        {
            Protect(p, protocols, level);
        }
    }
    return policies;
}

std::vector<SecurityPolicy>
PolicySet::SetTo(std::vector<SecurityPolicy> policies,
                 const std::vector<IpsecProtocol>& protocols,
                 IpsecLevel level)
{
    for (SecurityPolicy& p : policies)
    {
        Protect(p, protocols, level);
    }
    return policies;
}

std::vector<SecurityPolicy>
PolicySet::Readdress(std::vector<SecurityPolicy> policies, Ipv4Address from, Ipv4Address to)
{
    for (SecurityPolicy& p : policies)
    {
        for (AddressRange* r : {&p.source, &p.destination})
        {
            if (r->IsHost() && r->address == from)
            {
                r->address = to;
            }
        }
        for (IpsecRequest& q : p.requests)
        {
            for (Ipv4Address* a : {&q.tunnelSource, &q.tunnelDestination})
            {
                if (*a == from)
                {
                    *a = to;
                }
            }
        }
    }
    return policies;
}

ProtectionStrength
PolicySet::Strength(const std::vector<SecurityPolicy>& policies)
{
    if (policies.empty())
    {
        return ProtectionStrength(SecurityPolicy());
    }
    ProtectionStrength weakest(policies.front());
    for (const SecurityPolicy& p : policies)
    {
        weakest = std::min(weakest, ProtectionStrength(p));
    }
    return weakest;
}

ProtectionStrength
PolicySet::Strength(const std::vector<SecurityPolicy>& policies, PolicyDirection direction)
{
    std::vector<SecurityPolicy> selected;
    std::copy_if(policies.begin(),
                 policies.end(),
                 std::back_inserter(selected),
                 [direction](const SecurityPolicy& p) { return p.direction == direction; });
    return Strength(selected);
}

ProtectionStrength
PolicySet::Strength(const std::vector<IpsecProtocol>& protocols, IpsecLevel level)
{
    SecurityPolicy p;
    Protect(p, protocols, level);
    return ProtectionStrength(p);
}

bool
PolicySet::SameStrength(const std::vector<SecurityPolicy>& a, const std::vector<SecurityPolicy>& b)
{
    return Strength(a, PolicyDirection::OUT) == Strength(b, PolicyDirection::OUT) &&
           Strength(a, PolicyDirection::IN) == Strength(b, PolicyDirection::IN);
}

bool
PolicySet::AtLeast(const std::vector<SecurityPolicy>& a,
                   const std::vector<SecurityPolicy>& b,
                   PolicyDirection direction)
{
    return Strength(a, direction) >= Strength(b, direction);
}

bool
PolicySet::Raises(const std::vector<SecurityPolicy>& ours,
                  const std::vector<SecurityPolicy>& peerView)
{
    std::vector<SecurityPolicy> mirrored = Mirror(peerView);
    for (PolicyDirection dir : {PolicyDirection::OUT, PolicyDirection::IN})
    {
        if (Strength(ours, dir) > Strength(mirrored, dir))
        {
            return true;
        }
    }
    return false;
}

bool
PolicySet::Overlap(const SecurityPolicy& a, const SecurityPolicy& b)
{
    return Intersect(a, b).has_value();
}

bool
PolicySet::Covers(const SecurityPolicy& outer, const SecurityPolicy& inner)
{
    return RangeCovers(outer.source, inner.source) &&
           RangeCovers(outer.destination, inner.destination) &&
           (outer.upper.number == UpperProtocol::ANY || outer.upper.number == inner.upper.number);
}

std::vector<PolicySet::Lowering>
PolicySet::Lowerings(const std::vector<SecurityPolicy>& ours,
                     const std::vector<SecurityPolicy>& peerView)
{
    // What we send is decided by our `out` entries, what the peer accepts of it by its `in`
    // entries; both lists are first-match, so a pair only counts for the traffic that neither
    // side's earlier entries already decide.
    std::vector<const SecurityPolicy*> sent = InRankOrder(ours, PolicyDirection::OUT);
    std::vector<const SecurityPolicy*> required = InRankOrder(peerView, PolicyDirection::IN);
    std::vector<Lowering> found;
    for (size_t j = 0; j < required.size(); ++j)
    {
        const SecurityPolicy& theirs = *required[j];
        if (DecidedEarlier(required, j, theirs))
        {
            continue; // shadowed: never consulted
        }
        bool covered = false;
        for (size_t i = 0; i < sent.size() && !covered; ++i)
        {
            std::optional<SecurityPolicy> common = Intersect(*sent[i], theirs);
            if (!common || DecidedEarlier(required, j, *common) || DecidedEarlier(sent, i, *common))
            {
                continue;
            }
            if (ProtectionStrength(*sent[i]) < ProtectionStrength(theirs))
            {
                found.push_back({*sent[i], theirs});
            }
            covered = Covers(*sent[i], theirs);
        }
        if (!covered && ProtectionStrength(SecurityPolicy()) < ProtectionStrength(theirs))
        {
            found.push_back({std::nullopt, theirs}); // part of it leaves in clear
        }
    }
    return found;
}

bool
PolicySet::Lowers(const std::vector<SecurityPolicy>& ours,
                  const std::vector<SecurityPolicy>& peerView)
{
    return !Lowerings(ours, peerView).empty();
}

std::optional<std::vector<IpsecProtocol>>
PolicySet::ParseServices(const std::string& text)
{
    if (text == "esp")
    {
        return std::vector<IpsecProtocol>{IpsecProtocol::ESP};
    }
    if (text == "ah")
    {
        return std::vector<IpsecProtocol>{IpsecProtocol::AH};
    }
    if (text == "esp+ah" || text == "ah+esp")
    {
        return std::vector<IpsecProtocol>{IpsecProtocol::ESP, IpsecProtocol::AH};
    }
    return std::nullopt;
}

std::string
PolicySet::ServicesToString(const std::vector<IpsecProtocol>& protocols)
{
    if (protocols.empty())
    {
        return "none";
    }
    std::string s;
    for (IpsecProtocol p : protocols)
    {
        s += (s.empty() ? "" : "+") + ToString(p);
    }
    return s;
}

std::string
PolicySet::ToText(const std::vector<SecurityPolicy>& policies)
{
    if (policies.empty())
    {
        return "(none)";
    }
    std::string out;
    for (const auto& p : policies)
    {
        out += (out.empty() ? "" : " | ") + SetkeyParser::Print(p);
    }
    return out;
}

} // namespace ns3
