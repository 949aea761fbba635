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

SecurityPolicyDatabase::Candidate
SecurityPolicyDatabase::Candidate::Of(const Entry& e)
{
    const SecurityPolicy& p = e.policy;
    auto mask = [](const AddressRange& r) {
        return r.prefixLength == 0 ? 0u : 0xffffffffu << (32 - r.prefixLength);
    };
    Candidate c{};
    c.sourceMask = mask(p.source);
    c.sourceNet = p.source.address.Get() & c.sourceMask;
    c.destinationMask = mask(p.destination);
    c.destinationNet = p.destination.address.Get() & c.destinationMask;
    c.anySourcePort = !p.source.port.has_value();
    c.sourcePort = p.source.port.value_or(0);
    c.anyDestinationPort = !p.destination.port.has_value();
    c.destinationPort = p.destination.port.value_or(0);
    c.protocol = static_cast<int16_t>(p.upper.number);
    c.priority = e.priority;
    c.id = e.id;
    c.entry = &e;
    return c;
}

size_t
SecurityPolicyDatabase::HostIndex::Probe(uint32_t key) const
{
    const size_t mask = m_slots.size() - 1;
    size_t i = Home(key);
    while (m_slots[i].bucket != 0 && m_slots[i].key != key)
    {
        i = (i + 1) & mask;
    }
    return i;
}

const SecurityPolicyDatabase::Bucket*
SecurityPolicyDatabase::HostIndex::Find(uint32_t key) const
{
    if (m_used == 0)
    {
        return nullptr;
    }
    const Slot& slot = m_slots[Probe(key)];
    return slot.bucket != 0 ? &m_buckets[slot.bucket - 1] : nullptr;
}

SecurityPolicyDatabase::Bucket&
SecurityPolicyDatabase::HostIndex::Get(uint32_t key)
{
    if ((m_used + 1) * 2 > m_slots.size())
    {
        Grow();
    }
    Slot& slot = m_slots[Probe(key)];
    if (slot.bucket == 0)
    {
        uint32_t b;
        if (!m_free.empty())
        {
            b = m_free.back();
            m_free.pop_back();
        }
        else
        {
            b = static_cast<uint32_t>(m_buckets.size());
            m_buckets.emplace_back();
        }
        slot = Slot{key, b + 1};
        ++m_used;
    }
    return m_buckets[slot.bucket - 1];
}

void
SecurityPolicyDatabase::HostIndex::Erase(uint32_t key)
{
    if (m_used == 0)
    {
        return;
    }
    const size_t mask = m_slots.size() - 1;
    size_t i = Probe(key);
    if (m_slots[i].bucket == 0)
    {
        return;
    }
    m_buckets[m_slots[i].bucket - 1].clear();
    m_free.push_back(m_slots[i].bucket - 1);
    --m_used;
    // Backward-shift deletion: pull later members of the probe run into the hole, so that
    // no tombstones accumulate as peers come and go.
    for (size_t j = (i + 1) & mask; m_slots[j].bucket != 0; j = (j + 1) & mask)
    {
        size_t home = Home(m_slots[j].key);
        // The slot at j may move to i only if its home is not cyclically in (i, j].
        bool homeBetween = i <= j ? (home > i && home <= j) : (home > i || home <= j);
        if (!homeBetween)
        {
            m_slots[i] = m_slots[j];
            i = j;
        }
    }
    m_slots[i] = Slot{};
}

void
SecurityPolicyDatabase::HostIndex::Clear()
{
    m_slots.clear();
    m_shift = 32;
    m_used = 0;
    m_buckets.clear();
    m_free.clear();
}

void
SecurityPolicyDatabase::HostIndex::Grow()
{
    std::vector<Slot> old = std::move(m_slots);
    size_t size = old.empty() ? 16 : old.size() * 2;
    m_slots.assign(size, Slot{});
    m_shift = 32;
    for (size_t s = size; s > 1; s >>= 1)
    {
        --m_shift;
    }
    for (const Slot& slot : old)
    {
        if (slot.bucket != 0)
        {
            m_slots[Probe(slot.key)] = slot;
        }
    }
}

SecurityPolicyDatabase::Bucket&
SecurityPolicyDatabase::BucketOf(List& list, const Entry& entry)
{
    const SecurityPolicy& p = entry.policy;
    if (p.destination.IsHost())
    {
        return list.byDestination.Get(p.destination.address.Get());
    }
    if (p.source.IsHost())
    {
        return list.bySource.Get(p.source.address.Get());
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
    Bucket& bucket = BucketOf(list, entry);
    Candidate c = Candidate::Of(entry);
    bucket.insert(
        std::upper_bound(bucket.begin(),
                         bucket.end(),
                         c,
                         [](const Candidate& a, const Candidate& b) { return a.RanksBefore(b); }),
        c);
    Edited();
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
        Bucket& bucket = BucketOf(*list, entry);
        bucket.erase(std::find_if(bucket.begin(), bucket.end(), [&](const Candidate& c) {
            return c.entry == &entry;
        }));
        if (bucket.empty() && &bucket != &list->wildcard)
        {
            // Keep the hash maps from growing with departed peers.
            if (entry.policy.destination.IsHost())
            {
                list->byDestination.Erase(entry.policy.destination.address.Get());
            }
            else
            {
                list->bySource.Erase(entry.policy.source.address.Get());
            }
        }
        SecurityPolicy removed = entry.policy;
        list->entries.erase(it);
        Edited();
        m_removedTrace(removed, id);
        return true;
    }
    return false;
}

void
SecurityPolicyDatabase::AddEditListener(Callback<void> cb)
{
    m_editListeners.push_back(cb);
}

void
SecurityPolicyDatabase::RemoveEditListener(Callback<void> cb)
{
    m_editListeners.erase(std::remove_if(m_editListeners.begin(),
                                         m_editListeners.end(),
                                         [&cb](const Callback<void>& l) { return l.IsEqual(cb); }),
                          m_editListeners.end());
}

void
SecurityPolicyDatabase::Edited()
{
    // A copy: a listener may add or remove listeners.
    const std::vector<Callback<void>> listeners = m_editListeners;
    for (const auto& l : listeners)
    {
        l();
    }
}

void
SecurityPolicyDatabase::Clear()
{
    NS_LOG_FUNCTION(this);
    for (List* list : {&m_in, &m_out, &m_fwd})
    {
        list->entries.clear();
        list->byDestination.Clear();
        list->bySource.Clear();
        list->wildcard.clear();
    }
    Edited();
}

void
SecurityPolicyDatabase::SetDefaultPolicy(PolicyDirection direction, const SecurityPolicy& policy)
{
    NS_LOG_FUNCTION(this << ToString(direction) << policy);
    GetList(direction).defaultPolicy = policy;
    Edited();
}

void
SecurityPolicyDatabase::ClearDefaultPolicy(PolicyDirection direction)
{
    GetList(direction).defaultPolicy.reset();
    Edited();
}

std::optional<SecurityPolicy>
SecurityPolicyDatabase::GetDefaultPolicy(PolicyDirection direction) const
{
    return GetList(direction).defaultPolicy;
}

const SecurityPolicyDatabase::Candidate*
SecurityPolicyDatabase::FirstMatch(const Bucket& candidates,
                                   const PacketSelector& s,
                                   uint32_t source,
                                   uint32_t destination)
{
    for (const Candidate& c : candidates)
    {
        if (c.Matches(s, source, destination))
        {
            return &c;
        }
    }
    return nullptr;
}

const SecurityPolicy*
SecurityPolicyDatabase::Lookup(PolicyDirection direction, const PacketSelector& selector) const
{
    const List& list = GetList(direction);
    const uint32_t source = selector.source.Get();
    const uint32_t destination = selector.destination.Get();
    // A host-range entry can only match a packet carrying that very address, so the
    // candidates are: the destination bucket, the source bucket and the wildcard list.
    // Each is in rank order; the best-ranked of their first matches is the first match
    // of the whole ordered list.
    const Candidate* best = FirstMatch(list.wildcard, selector, source, destination);
    auto consider = [&](const HostIndex& index, uint32_t key) {
        const Bucket* bucket = index.Find(key);
        if (bucket == nullptr)
        {
            return;
        }
        const Candidate* c = FirstMatch(*bucket, selector, source, destination);
        if (c != nullptr && (best == nullptr || c->RanksBefore(*best)))
        {
            best = c;
        }
    };
    consider(list.byDestination, destination);
    consider(list.bySource, source);
    if (best != nullptr)
    {
        return &best->entry->policy;
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
    const uint32_t source = selector.source.Get();
    const uint32_t destination = selector.destination.Get();
    for (const Entry* e : InRankOrder(list))
    {
        if (Candidate::Of(*e).Matches(selector, source, destination))
        {
            return &e->policy;
        }
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
    Edited();
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
