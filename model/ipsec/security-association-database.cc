/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "security-association-database.h"

#include "ns3/assert.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/trace-source-accessor.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SecurityAssociationDatabase");

NS_OBJECT_ENSURE_REGISTERED(SecurityAssociationDatabase);

TypeId
SecurityAssociationDatabase::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::SecurityAssociationDatabase")
            .SetParent<Object>()
            .SetGroupName("Presec")
            .AddConstructor<SecurityAssociationDatabase>()
            .AddTraceSource("SaAdded",
                            "An SA was added.",
                            MakeTraceSourceAccessor(&SecurityAssociationDatabase::m_addedTrace),
                            "ns3::SecurityAssociationDatabase::SaTracedCallback")
            .AddTraceSource("SaRemoved",
                            "An SA was removed (explicitly or at its hard lifetime).",
                            MakeTraceSourceAccessor(&SecurityAssociationDatabase::m_removedTrace),
                            "ns3::SecurityAssociationDatabase::SaTracedCallback")
            .AddTraceSource(
                "SoftExpired",
                "An SA reached a soft lifetime (time, bytes or sequence numbers): a re-key is "
                "due.",
                MakeTraceSourceAccessor(&SecurityAssociationDatabase::m_softExpiredTrace),
                "ns3::SecurityAssociationDatabase::SaTracedCallback")
            .AddTraceSource(
                "HardExpired",
                "An SA reached a hard lifetime (time, bytes, or its sequence numbers are used "
                "up); it is removed right after this trace.",
                MakeTraceSourceAccessor(&SecurityAssociationDatabase::m_hardExpiredTrace),
                "ns3::SecurityAssociationDatabase::SaTracedCallback");
    return tid;
}

SecurityAssociationDatabase::SecurityAssociationDatabase()
{
    NS_LOG_FUNCTION(this);
}

SecurityAssociationDatabase::~SecurityAssociationDatabase()
{
    NS_LOG_FUNCTION(this);
    // Without a Dispose, SAs held elsewhere (an IKE agent's) must not call back into us.
    for (auto& [key, slot] : m_sas)
    {
        slot.sa->SetExpiryNotifier(nullptr);
    }
}

void
SecurityAssociationDatabase::DoDispose()
{
    Clear();
    Object::DoDispose();
}

bool
SecurityAssociationDatabase::Add(Ptr<SecurityAssociation> sa)
{
    NS_LOG_FUNCTION(this << sa->ToString());
    std::string refused =
        SecurityAssociation::CheckIntegrity(sa->protocol, sa->encryption, sa->authentication);
    if (!refused.empty())
    {
        NS_LOG_WARN("SA " << sa->ToString() << " refused: " << refused);
        return false;
    }
    if (sa->protocol == IpsecProtocol::IPCOMP)
    {
        sa->replayWindow = 0; // no ICV, no sequence number: nothing to check (RFC 4303 §1)
    }
    Key key{sa->spi, sa->destination.Get(), sa->protocol};
    Remove(sa->spi, sa->destination, sa->protocol);
    sa->SetCreationTime(Simulator::Now());
    Slot slot{sa, m_nextOrder++, EventId(), EventId()};
    if (!sa->lifetime.softTime.IsZero())
    {
        slot.softEvent = Simulator::Schedule(sa->lifetime.softTime,
                                             &SecurityAssociationDatabase::Expire,
                                             this,
                                             key);
    }
    if (!sa->lifetime.hardTime.IsZero())
    {
        slot.hardEvent = Simulator::Schedule(sa->lifetime.hardTime,
                                             &SecurityAssociationDatabase::Expire,
                                             this,
                                             key);
    }
    sa->SetExpiryNotifier(
        [this, key](const SecurityAssociation& changed) { OnExpiry(key, changed); });
    const Slot& stored = m_sas.emplace(key, slot).first->second;
    m_outbound[OutboundKeyOf(*sa)].push_back(&stored); // the newest is last
    m_addedTrace(sa);
    if (sa->GetState() == SaState::HARD_EXPIRED)
    {
        OnExpiry(key, *sa); // used up before it came here: it does not stay
    }
    return true;
}

bool
SecurityAssociationDatabase::Remove(uint32_t spi, Ipv4Address destination, IpsecProtocol protocol)
{
    auto it = m_sas.find(Key{spi, destination.Get(), protocol});
    if (it == m_sas.end())
    {
        return false;
    }
    Slot slot = it->second;
    slot.softEvent.Cancel();
    slot.hardEvent.Cancel();
    slot.sa->SetExpiryNotifier(nullptr);
    // The SA's selector fields are fixed once it is added (SecurityAssociation's contract).
    Unindex(it);
    m_removedTrace(slot.sa);
    if (m_kmUser != nullptr)
    {
        m_kmUser->SaRemoved(slot.sa);
    }
    return true;
}

void
SecurityAssociationDatabase::SetKeyManagementSapUser(KeyManagementSapUser* user)
{
    m_kmUser = user;
}

bool
SecurityAssociationDatabase::Readdress(uint32_t spi,
                                       Ipv4Address destination,
                                       IpsecProtocol protocol,
                                       Ipv4Address newSource,
                                       Ipv4Address newDestination)
{
    NS_LOG_FUNCTION(this << spi << destination << newSource << newDestination);
    auto it = m_sas.find(Key{spi, destination.Get(), protocol});
    if (it == m_sas.end())
    {
        return false;
    }
    Slot slot = it->second;
    Time soft = slot.softEvent.IsRunning() ? Simulator::GetDelayLeft(slot.softEvent) : Time(-1);
    Time hard = slot.hardEvent.IsRunning() ? Simulator::GetDelayLeft(slot.hardEvent) : Time(-1);
    slot.softEvent.Cancel();
    slot.hardEvent.Cancel();
    Unindex(it);
    Ptr<SecurityAssociation> sa = slot.sa;
    sa->source = newSource;
    sa->destination = newDestination;
    Key key{spi, newDestination.Get(), protocol};
    Remove(spi, newDestination, protocol); // an SA already there would be replaced by Add too
    if (!soft.IsNegative())
    {
        slot.softEvent = Simulator::Schedule(soft, &SecurityAssociationDatabase::Expire, this, key);
    }
    if (!hard.IsNegative())
    {
        slot.hardEvent = Simulator::Schedule(hard, &SecurityAssociationDatabase::Expire, this, key);
    }
    sa->SetExpiryNotifier(
        [this, key](const SecurityAssociation& changed) { OnExpiry(key, changed); });
    const Slot& stored = m_sas.insert_or_assign(key, slot).first->second;
    // Keep the insertion order among the SAs of the new selector (newest last).
    std::vector<const Slot*>& v = m_outbound[OutboundKeyOf(*sa)];
    auto pos =
        std::find_if(v.begin(), v.end(), [&](const Slot* s) { return s->order > stored.order; });
    v.insert(pos, &stored);
    return true;
}

void
SecurityAssociationDatabase::Clear()
{
    while (!m_sas.empty())
    {
        const Key& k = m_sas.begin()->first;
        Remove(std::get<0>(k), Ipv4Address(std::get<1>(k)), std::get<2>(k));
    }
}

void
SecurityAssociationDatabase::Expire(Key key)
{
    NS_LOG_FUNCTION(this);
    auto it = m_sas.find(key);
    if (it == m_sas.end())
    {
        return;
    }
    Ptr<SecurityAssociation> sa = it->second.sa;
    m_inTimeEvent = true;
    sa->UpdateState(Simulator::Now());
    m_inTimeEvent = false;
}

void
SecurityAssociationDatabase::OnExpiry(Key key, const SecurityAssociation& sa)
{
    NS_LOG_FUNCTION(this << sa.ToString());
    auto it = m_sas.find(key);
    if (it == m_sas.end() || PeekPointer(it->second.sa) != &sa)
    {
        return; // a copy of an SA of this database, not the SA itself
    }
    bool hard = sa.GetState() == SaState::HARD_EXPIRED;
    if (m_inTimeEvent)
    {
        Report(key, it->second.sa, hard);
        return;
    }
    // Reached while a packet is processed: report once that processing is over.
    Simulator::ScheduleNow(&SecurityAssociationDatabase::Report,
                           Ptr<SecurityAssociationDatabase>(this),
                           key,
                           it->second.sa,
                           hard);
}

void
SecurityAssociationDatabase::Report(Key key, Ptr<SecurityAssociation> sa, bool hard)
{
    auto it = m_sas.find(key);
    if (it == m_sas.end() || it->second.sa != sa)
    {
        return; // removed or replaced meanwhile
    }
    NS_LOG_INFO((hard ? "hard" : "soft")
                << " expiry of " << sa->ToString() << " after " << sa->GetBytes() << " bytes, "
                << sa->GetLastSequenceNumber() << " sent");
    if (hard)
    {
        m_hardExpiredTrace(sa);
        Remove(sa->spi, sa->destination, sa->protocol);
    }
    else
    {
        m_softExpiredTrace(sa);
        if (m_kmUser != nullptr)
        {
            m_kmUser->SoftExpired(sa);
        }
    }
}

Ptr<SecurityAssociation>
SecurityAssociationDatabase::FindInbound(uint32_t spi,
                                         Ipv4Address destination,
                                         IpsecProtocol protocol) const
{
    auto it = m_sas.find(Key{spi, destination.Get(), protocol});
    return it == m_sas.end() ? nullptr : it->second.sa;
}

Ptr<SecurityAssociation>
SecurityAssociationDatabase::FindOutbound(Ipv4Address source,
                                          Ipv4Address destination,
                                          IpsecProtocol protocol,
                                          IpsecMode mode,
                                          uint32_t reqid) const
{
    auto index = m_outbound.find(OutboundKey{source.Get(), destination.Get(), protocol, mode});
    if (index == m_outbound.end())
    {
        return nullptr;
    }
    // Newest first: the first usable candidate is the one a scan by insertion order would pick.
    const std::vector<const Slot*>& candidates = index->second;
    for (auto it = candidates.rbegin(); it != candidates.rend(); ++it)
    {
        const SecurityAssociation& sa = *(*it)->sa;
        if ((reqid == 0 || sa.reqid == reqid) && sa.GetState() != SaState::HARD_EXPIRED)
        {
            return (*it)->sa;
        }
    }
    return nullptr;
}

std::vector<Ptr<SecurityAssociation>>
SecurityAssociationDatabase::GetAll() const
{
    std::vector<Ptr<SecurityAssociation>> all;
    for (const auto& [key, slot] : m_sas)
    {
        all.push_back(slot.sa);
    }
    return all;
}

void
SecurityAssociationDatabase::Unindex(std::map<Key, Slot>::iterator it)
{
    auto index = m_outbound.find(OutboundKeyOf(*it->second.sa));
    NS_ASSERT_MSG(index != m_outbound.end(), "SA selectors changed after Add");
    if (index != m_outbound.end())
    {
        std::vector<const Slot*>& v = index->second;
        v.erase(std::remove(v.begin(), v.end(), &it->second), v.end());
        if (v.empty())
        {
            m_outbound.erase(index);
        }
    }
    m_sas.erase(it);
}

SecurityAssociationDatabase::OutboundKey
SecurityAssociationDatabase::OutboundKeyOf(const SecurityAssociation& sa)
{
    return OutboundKey{sa.source.Get(), sa.destination.Get(), sa.protocol, sa.mode};
}

size_t
SecurityAssociationDatabase::GetN() const
{
    return m_sas.size();
}

} // namespace ns3
