/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "presence-database.h"

#include "ns3/boolean.h"
#include "ns3/log.h"
#include "ns3/simulator.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("PresenceDatabase");

NS_OBJECT_ENSURE_REGISTERED(PresenceDatabase);

TypeId
PresenceDatabase::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::PresenceDatabase")
            .SetParent<Object>()
            .SetGroupName("Presec")
            .AddConstructor<PresenceDatabase>()
            .AddAttribute("IgnoreOutdated",
                          "Ignore a document whose timestamp is older than the stored one "
                          "(RFC 3863 section 6, replay protection).",
                          BooleanValue(true),
                          MakeBooleanAccessor(&PresenceDatabase::m_ignoreOutdated),
                          MakeBooleanChecker())
            .AddTraceSource("EntryAdded",
                            "A peer entry was added.",
                            MakeTraceSourceAccessor(&PresenceDatabase::m_addedTrace),
                            "ns3::PresenceDatabase::EntryTracedCallback")
            .AddTraceSource("EntryUpdated",
                            "A peer entry was updated by its peer or relabelled by the user.",
                            MakeTraceSourceAccessor(&PresenceDatabase::m_updatedTrace),
                            "ns3::PresenceDatabase::EntryTracedCallback")
            .AddTraceSource("EntryRemoved",
                            "A peer entry was removed.",
                            MakeTraceSourceAccessor(&PresenceDatabase::m_removedTrace),
                            "ns3::PresenceDatabase::EntryTracedCallback");
    return tid;
}

PresenceDatabase::PresenceDatabase()
    : m_ignoreOutdated(true)
{
    NS_LOG_FUNCTION(this);
}

PresenceDatabase::~PresenceDatabase()
{
    NS_LOG_FUNCTION(this);
}

void
PresenceDatabase::Refresh(PresenceEntry& e)
{
    e.entity = e.document.entity;
    e.user = e.userOverride.value_or(e.document.user);
    e.location = e.locationOverride.value_or(e.document.location);
    e.placeType = e.document.placeType;
    e.timestamp = e.document.timestamp;
    e.updated = Simulator::Now();
}

PresenceDatabase::Outcome
PresenceDatabase::Store(const PresenceDocument& doc, Ipv4Address source, bool mayAdd)
{
    if (doc.entity.empty())
    {
        NS_LOG_WARN("document without entity ignored");
        return Outcome::REJECTED;
    }
    auto it = m_entries.find(doc.entity);
    if (it == m_entries.end())
    {
        if (!mayAdd)
        {
            return Outcome::NOT_FOUND;
        }
        PresenceEntry entry;
        entry.document = doc;
        entry.address = source;
        Refresh(entry);
        it = m_entries.emplace(doc.entity, std::move(entry)).first;
        NS_LOG_INFO("added " << doc.entity << " at " << source);
        m_addedTrace(it->second);
        return Outcome::ADDED;
    }
    PresenceEntry& entry = it->second;
    if (m_ignoreOutdated)
    {
        // Only comparable timestamps count; a missing or unreadable one cannot be outdated.
        auto incoming = ParseRfc3339(doc.timestamp);
        auto stored = ParseRfc3339(entry.document.timestamp);
        if (incoming && stored && *incoming < *stored)
        {
            NS_LOG_INFO("outdated document for " << doc.entity << " (" << doc.timestamp << " < "
                                                 << entry.document.timestamp << ")");
            return Outcome::OUTDATED;
        }
    }
    entry.document = doc;
    entry.address = source;
    Refresh(entry);
    NS_LOG_INFO("updated " << doc.entity << " at " << source);
    m_updatedTrace(entry);
    return Outcome::UPDATED;
}

PresenceDatabase::Outcome
PresenceDatabase::Register(const PresenceDocument& doc, Ipv4Address source)
{
    NS_LOG_FUNCTION(this << doc.entity << source);
    return Store(doc, source, true);
}

PresenceDatabase::Outcome
PresenceDatabase::Update(const PresenceDocument& doc, Ipv4Address source)
{
    NS_LOG_FUNCTION(this << doc.entity << source);
    return Store(doc, source, false);
}

bool
PresenceDatabase::Remove(const std::string& entity)
{
    NS_LOG_FUNCTION(this << entity);
    auto it = m_entries.find(entity);
    if (it == m_entries.end())
    {
        return false;
    }
    PresenceEntry removed = std::move(it->second);
    m_entries.erase(it);
    m_removedTrace(removed);
    return true;
}

void
PresenceDatabase::Clear()
{
    NS_LOG_FUNCTION(this);
    while (!m_entries.empty())
    {
        Remove(m_entries.begin()->first);
    }
}

bool
PresenceDatabase::Relabel(const std::string& entity,
                          const std::string& user,
                          const std::string& location)
{
    NS_LOG_FUNCTION(this << entity << user << location);
    auto it = m_entries.find(entity);
    if (it == m_entries.end())
    {
        return false;
    }
    if (!user.empty())
    {
        it->second.userOverride = user;
    }
    if (!location.empty())
    {
        it->second.locationOverride = location;
    }
    Refresh(it->second);
    m_updatedTrace(it->second);
    return true;
}

bool
PresenceDatabase::ClearRelabel(const std::string& entity)
{
    NS_LOG_FUNCTION(this << entity);
    auto it = m_entries.find(entity);
    if (it == m_entries.end())
    {
        return false;
    }
    it->second.userOverride.reset();
    it->second.locationOverride.reset();
    Refresh(it->second);
    m_updatedTrace(it->second);
    return true;
}

std::optional<PresenceEntry>
PresenceDatabase::Lookup(const std::string& entity) const
{
    auto it = m_entries.find(entity);
    if (it == m_entries.end())
    {
        return std::nullopt;
    }
    return it->second;
}

std::optional<PresenceEntry>
PresenceDatabase::LookupByAddress(Ipv4Address address) const
{
    // Two passes: the observed source address is better evidence than a reported one.
    for (bool reported : {false, true})
    {
        const PresenceEntry* best = nullptr;
        for (const auto& [entity, e] : m_entries)
        {
            bool match = !reported ? e.address == address
                                   : std::find(e.document.addresses.begin(),
                                               e.document.addresses.end(),
                                               address) != e.document.addresses.end();
            if (match && (best == nullptr || best->updated < e.updated))
            {
                best = &e;
            }
        }
        if (best != nullptr)
        {
            return *best;
        }
    }
    return std::nullopt;
}

size_t
PresenceDatabase::GetN() const
{
    return m_entries.size();
}

std::vector<std::string>
PresenceDatabase::GetEntities() const
{
    std::vector<std::string> out;
    out.reserve(m_entries.size());
    for (const auto& [entity, e] : m_entries)
    {
        out.push_back(entity);
    }
    return out;
}

void
PresenceDatabase::SetOwn(const PresenceDocument& doc, Ipv4Address address)
{
    NS_LOG_FUNCTION(this << doc.entity << address);
    PresenceEntry e;
    e.document = doc;
    e.address = address;
    Refresh(e);
    m_own = std::move(e);
}

std::optional<PresenceEntry>
PresenceDatabase::GetOwn() const
{
    return m_own;
}

std::string
ToString(PresenceDatabase::Outcome o)
{
    switch (o)
    {
    case PresenceDatabase::Outcome::ADDED:
        return "ADDED";
    case PresenceDatabase::Outcome::UPDATED:
        return "UPDATED";
    case PresenceDatabase::Outcome::OUTDATED:
        return "OUTDATED";
    case PresenceDatabase::Outcome::NOT_FOUND:
        return "NOT_FOUND";
    case PresenceDatabase::Outcome::REJECTED:
        return "REJECTED";
    }
    return "?";
}

} // namespace ns3
