/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ike-sa.h"

#include "ns3/simulator.h"

#include <algorithm>

namespace ns3
{

bool
IkeSa::IsIdle() const
{
    return state == State::ESTABLISHED && !m_outstanding && !current && !localGone;
}

bool
IkeSa::TakeNext()
{
    if (!IsIdle() || queue.empty())
    {
        return false;
    }
    current = std::move(queue.front());
    queue.pop_front();
    return true;
}

std::vector<IkeRequest>
IkeSa::TakeAllRequests()
{
    std::vector<IkeRequest> all;
    if (current)
    {
        all.push_back(std::move(*current));
        current.reset();
    }
    for (auto& r : queue)
    {
        all.push_back(std::move(r));
    }
    queue.clear();
    return all;
}

bool
IkeSa::IsRekeying(uint64_t id) const
{
    return (current && !current->isDelete && current->rekeyOf == id) ||
           std::any_of(queue.begin(), queue.end(), [id](const IkeRequest& r) {
               return !r.isDelete && r.rekeyOf == id;
           });
}

uint32_t
IkeSa::TakeMessageId()
{
    return m_nextMessageId++;
}

void
IkeSa::StartRequest(uint32_t id, IkeExchangeType type, IkeDatagrams p, Time rto)
{
    m_outstanding = true;
    m_outstandingId = id;
    m_outstandingType = type;
    m_outstandingPacket = std::move(p);
    m_retransmits = 0;
    m_timeout = rto;
}

bool
IkeSa::HasOutstanding() const
{
    return m_outstanding;
}

bool
IkeSa::IsOutstanding(uint32_t id) const
{
    return m_outstanding && m_outstandingId == id;
}

bool
IkeSa::Answers(uint32_t id, IkeExchangeType type) const
{
    return IsOutstanding(id) && m_outstandingType == type;
}

IkeExchangeType
IkeSa::OutstandingType() const
{
    return m_outstandingType;
}

namespace
{

/// \param d datagrams \return copies of them
IkeDatagrams
CopyOf(const IkeDatagrams& d)
{
    IkeDatagrams c;
    for (const auto& p : d)
    {
        c.push_back(p->Copy());
    }
    return c;
}

} // namespace

IkeDatagrams
IkeSa::OutstandingCopy() const
{
    return CopyOf(m_outstandingPacket);
}

void
IkeSa::EndRequest()
{
    m_outstanding = false;
    m_outstandingPacket.clear();
    m_retransmitEvent.Cancel();
}

void
IkeSa::ArmRetransmission(std::function<void()> f)
{
    m_retransmitEvent.Cancel();
    m_retransmitEvent = Simulator::Schedule(m_timeout, std::move(f));
}

void
IkeSa::HoldRetransmission()
{
    m_retransmitEvent.Cancel();
}

bool
IkeSa::BackOff(uint32_t maxRetransmits)
{
    if (m_retransmits >= maxRetransmits)
    {
        return false;
    }
    ++m_retransmits;
    m_timeout = m_timeout * 2;
    return true;
}

uint32_t
IkeSa::Retransmissions() const
{
    return m_retransmits;
}

void
IkeSa::AnsweredInit()
{
    m_expectedPeerId = 1;
    m_answered = true;
    m_lastResponseId = 0;
    m_lastResponse.clear();
}

IkeSa::PeerRequest
IkeSa::CheckPeerRequest(uint32_t id) const
{
    if (m_answered && id == m_lastResponseId)
    {
        return PeerRequest::REPEAT;
    }
    return id == m_expectedPeerId ? PeerRequest::NEW : PeerRequest::OUT_OF_WINDOW;
}

void
IkeSa::AcceptPeerRequest(uint32_t id)
{
    m_expectedPeerId = id + 1;
    m_answered = true;
    m_lastResponseId = id;
    m_lastResponse.clear();
}

uint32_t
IkeSa::ResponseId() const
{
    return m_lastResponseId;
}

void
IkeSa::CacheResponse(uint32_t id, IkeDatagrams p)
{
    if (m_answered && m_lastResponseId == id)
    {
        m_lastResponse = std::move(p);
    }
}

IkeDatagrams
IkeSa::CachedResponse() const
{
    return CopyOf(m_lastResponse);
}

void
IkeSa::CancelTimers()
{
    m_retransmitEvent.Cancel();
    halfOpenEvent.Cancel();
    localGoneEvent.Cancel();
    livenessEvent.Cancel();
}

IkeReassembly::Outcome
IkeReassembly::Add(uint32_t messageId,
                   uint16_t number,
                   uint16_t total,
                   uint8_t nextPayload,
                   std::vector<uint8_t> piece)
{
    if (m_total == 0 || messageId != m_messageId || total > m_total)
    {
        m_pieces.clear();
        m_messageId = messageId;
        m_total = total;
    }
    else if (total < m_total)
    {
        return Outcome::SMALLER_TOTAL;
    }
    if (m_pieces.count(number) != 0)
    {
        return Outcome::REPEATED;
    }
    if (number == 1)
    {
        m_firstPayload = nextPayload;
    }
    m_pieces[number] = std::move(piece);
    return m_pieces.size() < m_total ? Outcome::KEPT : Outcome::COMPLETE;
}

std::vector<uint8_t>
IkeReassembly::Take(uint8_t& firstPayload)
{
    std::vector<uint8_t> all;
    for (const auto& [number, bytes] : m_pieces)
    {
        all.insert(all.end(), bytes.begin(), bytes.end());
    }
    firstPayload = m_firstPayload;
    m_pieces.clear();
    m_total = 0;
    return all;
}

uint16_t
IkeReassembly::GetTotal() const
{
    return m_total;
}

} // namespace ns3
