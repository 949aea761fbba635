/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "security-policy-database.h"

#include "ns3/abort.h"
#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/trace-source-accessor.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SecurityPolicyDatabase");

NS_OBJECT_ENSURE_REGISTERED(SecurityPolicyDatabase);

TypeId
SecurityPolicyDatabase::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::SecurityPolicyDatabase")
            .SetParent<Object>()
            .SetGroupName("Presec")
            .AddConstructor<SecurityPolicyDatabase>()
            .AddAttribute("NoMatchAction",
                          "What happens to a packet no entry and no default policy matches: "
                          "bypass (Linux's behaviour) or discard (RFC 4301's).",
                          EnumValue(static_cast<int>(PolicyAction::NONE)),
                          MakeEnumAccessor(&SecurityPolicyDatabase::SetNoMatchActionValue,
                                           &SecurityPolicyDatabase::GetNoMatchActionValue),
                          MakeEnumChecker(static_cast<int>(PolicyAction::NONE),
                                          "bypass",
                                          static_cast<int>(PolicyAction::DISCARD),
                                          "discard"))
            .AddTraceSource("PolicyAdded",
                            "An entry was added to the database.",
                            MakeTraceSourceAccessor(&SecurityPolicyDatabase::m_addedTrace),
                            "ns3::SecurityPolicyDatabase::PolicyTracedCallback")
            .AddTraceSource("PolicyRemoved",
                            "An entry was removed from the database.",
                            MakeTraceSourceAccessor(&SecurityPolicyDatabase::m_removedTrace),
                            "ns3::SecurityPolicyDatabase::PolicyTracedCallback");
    return tid;
}

SecurityPolicyDatabase::SecurityPolicyDatabase()
    : m_noMatch(PolicyAction::NONE)
{
    NS_LOG_FUNCTION(this);
}

SecurityPolicyDatabase::~SecurityPolicyDatabase()
{
    NS_LOG_FUNCTION(this);
}

bool
SecurityPolicyDatabase::RanksBefore(const Entry* a, const Entry* b)
{
    return a->priority != b->priority ? a->priority < b->priority : a->id < b->id;
}

SecurityPolicyDatabase::List&
SecurityPolicyDatabase::GetList(PolicyDirection direction)
{
    return direction == PolicyDirection::IN ? m_in
                                            : (direction == PolicyDirection::FWD ? m_fwd : m_out);
}

const SecurityPolicyDatabase::List&
SecurityPolicyDatabase::GetList(PolicyDirection direction) const
{
    return direction == PolicyDirection::IN ? m_in
                                            : (direction == PolicyDirection::FWD ? m_fwd : m_out);
}

std::vector<const SecurityPolicyDatabase::Entry*>&
SecurityPolicyDatabase::BucketOf(List& list, const Entry& entry)
{
    const SecurityPolicy& p = entry.policy;
    if (p.destination.IsHost())
    {
        return list.byDestination[p.destination.address.Get()];
    }
    if (p.source.IsHost())
    {
        return list.bySource[p.source.address.Get()];
    }
    return list.wildcard;
}

SecurityPolicyDatabase::EntryId
SecurityPolicyDatabase::Add(const SecurityPolicy& policy)
{
    NS_LOG_FUNCTION(this << policy);
    List& list = GetList(policy.direction);
    EntryId id = m_nextId++;
    // unordered_map nodes never move, so the index may hold plain pointers.
    const Entry& entry =
        list.entries.emplace(id, Entry{policy, policy.GetPriority(), id}).first->second;
    auto& bucket = BucketOf(list, entry);
    bucket.insert(std::upper_bound(bucket.begin(), bucket.end(), &entry, RanksBefore), &entry);
    m_addedTrace(policy, id);
    return id;
}

bool
SecurityPolicyDatabase::Remove(EntryId id)
{
    NS_LOG_FUNCTION(this << id);
    for (List* list : {&m_in, &m_out, &m_fwd})
    {
        auto it = list->entries.find(id);
        if (it == list->entries.end())
        {
            continue;
        }
        const Entry& entry = it->second;
        auto& bucket = BucketOf(*list, entry);
        bucket.erase(std::find(bucket.begin(), bucket.end(), &entry));
        if (bucket.empty() && &bucket != &list->wildcard)
        {
            // Keep the hash maps from growing with departed peers.
            if (entry.policy.destination.IsHost())
            {
                list->byDestination.erase(entry.policy.destination.address.Get());
            }
            else
            {
                list->bySource.erase(entry.policy.source.address.Get());
            }
        }
        SecurityPolicy removed = entry.policy;
        list->entries.erase(it);
        m_removedTrace(removed, id);
        return true;
    }
    return false;
}

void
SecurityPolicyDatabase::Clear()
{
    NS_LOG_FUNCTION(this);
    for (List* list : {&m_in, &m_out, &m_fwd})
    {
        list->entries.clear();
        list->byDestination.clear();
        list->bySource.clear();
        list->wildcard.clear();
    }
}

void
SecurityPolicyDatabase::SetDefaultPolicy(PolicyDirection direction, const SecurityPolicy& policy)
{
    NS_LOG_FUNCTION(this << ToString(direction) << policy);
    GetList(direction).defaultPolicy = policy;
}

void
SecurityPolicyDatabase::ClearDefaultPolicy(PolicyDirection direction)
{
    GetList(direction).defaultPolicy.reset();
}

std::optional<SecurityPolicy>
SecurityPolicyDatabase::GetDefaultPolicy(PolicyDirection direction) const
{
    return GetList(direction).defaultPolicy;
}

const SecurityPolicyDatabase::Entry*
SecurityPolicyDatabase::FirstMatch(const std::vector<const Entry*>& candidates,
                                   const PacketSelector& s)
{
    for (const Entry* e : candidates)
    {
        if (e->policy.Matches(s.source, s.destination, s.protocol, s.sourcePort, s.destinationPort))
        {
            return e;
        }
    }
    return nullptr;
}

const SecurityPolicy*
SecurityPolicyDatabase::Lookup(PolicyDirection direction, const PacketSelector& selector) const
{
    const List& list = GetList(direction);
    // A host-range entry can only match a packet carrying that very address, so the
    // candidates are: the destination bucket, the source bucket and the wildcard list.
    // Each is in rank order; the best-ranked of their first matches is the first match
    // of the whole ordered list.
    const Entry* best = FirstMatch(list.wildcard, selector);
    auto consider = [&](const std::unordered_map<uint32_t, std::vector<const Entry*>>& index,
                        Ipv4Address key) {
        auto it = index.find(key.Get());
        if (it == index.end())
        {
            return;
        }
        const Entry* e = FirstMatch(it->second, selector);
        if (e != nullptr && (best == nullptr || RanksBefore(e, best)))
        {
            best = e;
        }
    };
    consider(list.byDestination, selector.destination);
    consider(list.bySource, selector.source);
    if (best != nullptr)
    {
        return &best->policy;
    }
    return list.defaultPolicy ? &*list.defaultPolicy : nullptr;
}

std::vector<const SecurityPolicyDatabase::Entry*>
SecurityPolicyDatabase::InRankOrder(const List& list)
{
    std::vector<const Entry*> all;
    all.reserve(list.entries.size());
    for (const auto& [id, entry] : list.entries)
    {
        all.push_back(&entry);
    }
    std::sort(all.begin(), all.end(), RanksBefore);
    return all;
}

const SecurityPolicy*
SecurityPolicyDatabase::LookupLinear(PolicyDirection direction,
                                     const PacketSelector& selector) const
{
    const List& list = GetList(direction);
    const Entry* e = FirstMatch(InRankOrder(list), selector);
    if (e != nullptr)
    {
        return &e->policy;
    }
    return list.defaultPolicy ? &*list.defaultPolicy : nullptr;
}

PolicyAction
SecurityPolicyDatabase::Decide(PolicyDirection direction, const PacketSelector& selector) const
{
    const SecurityPolicy* p = Lookup(direction, selector);
    return p != nullptr ? p->action : m_noMatch;
}

std::vector<SecurityPolicy>
SecurityPolicyDatabase::GetEntries(PolicyDirection direction) const
{
    std::vector<SecurityPolicy> out;
    for (const Entry* e : InRankOrder(GetList(direction)))
    {
        out.push_back(e->policy);
    }
    return out;
}

size_t
SecurityPolicyDatabase::GetN() const
{
    return m_in.entries.size() + m_out.entries.size() + m_fwd.entries.size();
}

void
SecurityPolicyDatabase::SetNoMatchAction(PolicyAction action)
{
    NS_ABORT_MSG_IF(action == PolicyAction::IPSEC, "NoMatchAction must be bypass or discard");
    m_noMatch = action;
}

PolicyAction
SecurityPolicyDatabase::GetNoMatchAction() const
{
    return m_noMatch;
}

void
SecurityPolicyDatabase::SetNoMatchActionValue(int action)
{
    SetNoMatchAction(static_cast<PolicyAction>(action));
}

int
SecurityPolicyDatabase::GetNoMatchActionValue() const
{
    return static_cast<int>(m_noMatch);
}

} // namespace ns3
