/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "sip-transaction.h"

#include "ns3/assert.h"
#include "ns3/log.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SipTransaction");

// ---------------------------------------------------------------------------------------------
// SipClientTransaction

SipClientTransaction::SipClientTransaction(const SipTimerValues& timers)
    : m_timers(timers)
{
}

void
SipClientTransaction::Start(Time now)
{
    NS_LOG_FUNCTION(this << now);
    NS_ASSERT_MSG(m_state == State::IDLE, "transaction started twice");
    m_state = State::TRYING;
    m_start = now;
    m_lastSend = now;
    m_interval = m_timers.t1;
}

Time
SipClientTransaction::NextRetransmitDelay() const
{
    bool waiting = m_state == State::TRYING || m_state == State::PROCEEDING;
    return waiting && !m_timers.reliable ? m_interval : Time(0);
}

Time
SipClientTransaction::GetNextRetransmitTime() const
{
    Time d = NextRetransmitDelay();
    return d.IsZero() ? Time(0) : m_lastSend + d;
}

bool
SipClientTransaction::OnTimerE(Time now)
{
    NS_LOG_FUNCTION(this << now);
    if (NextRetransmitDelay().IsZero() || IsTimedOut(now))
    {
        return false;
    }
    ++m_retransmissions;
    m_lastSend = now;
    // §17.1.2.2: doubling up to T2 while Trying; T2 flat once Proceeding.
    m_interval = m_state == State::TRYING ? std::min(2 * m_interval, m_timers.t2) : m_timers.t2;
    return true;
}

Time
SipClientTransaction::GetTimeoutTime() const
{
    return m_start + 64 * m_timers.t1;
}

bool
SipClientTransaction::IsTimedOut(Time now) const
{
    bool waiting = m_state == State::TRYING || m_state == State::PROCEEDING;
    return m_timedOut || (waiting && now >= GetTimeoutTime());
}

bool
SipClientTransaction::OnTimerF(Time now)
{
    NS_LOG_FUNCTION(this << now);
    if (m_timedOut || !IsTimedOut(now))
    {
        return false;
    }
    m_state = State::TERMINATED;
    m_timedOut = true;
    return true;
}

bool
SipClientTransaction::OnProvisionalResponse(Time now)
{
    NS_LOG_FUNCTION(this << now);
    if (m_state != State::TRYING && m_state != State::PROCEEDING)
    {
        return false;
    }
    m_state = State::PROCEEDING;
    return true;
}

bool
SipClientTransaction::OnFinalResponse(Time now)
{
    NS_LOG_FUNCTION(this << now);
    if (m_state != State::TRYING && m_state != State::PROCEEDING)
    {
        // Completed absorbs retransmitted final responses; Terminated ignores everything.
        return false;
    }
    m_completedAt = now;
    m_state = m_timers.reliable ? State::TERMINATED : State::COMPLETED;
    return true;
}

bool
SipClientTransaction::OnResponse(uint16_t statusCode, Time now)
{
    return statusCode < 200 ? OnProvisionalResponse(now) : OnFinalResponse(now);
}

Time
SipClientTransaction::GetTimerKDelay() const
{
    return m_timers.reliable ? Time(0) : m_timers.t4;
}

void
SipClientTransaction::OnTimerK(Time now)
{
    NS_LOG_FUNCTION(this << now);
    if (m_state == State::COMPLETED)
    {
        m_state = State::TERMINATED;
    }
}

bool
SipClientTransaction::IsTerminated(Time now) const
{
    switch (m_state)
    {
    case State::TERMINATED:
        return true;
    case State::COMPLETED:
        return now >= m_completedAt + GetTimerKDelay();
    case State::TRYING:
    case State::PROCEEDING:
        return IsTimedOut(now);
    case State::IDLE:
    default:
        return false;
    }
}

SipClientTransaction::State
SipClientTransaction::GetState() const
{
    return m_state;
}

bool
SipClientTransaction::HasTimedOut() const
{
    return m_timedOut;
}

uint32_t
SipClientTransaction::GetRetransmissions() const
{
    return m_retransmissions;
}

std::string
SipClientTransaction::MatchKey(const SipMessage& message)
{
    auto via = message.GetTopVia();
    auto cseq = message.GetCSeq();
    if (!via || via->GetBranch().empty() || !cseq)
    {
        return "";
    }
    return via->GetBranch() + "|" + cseq->method;
}

// ---------------------------------------------------------------------------------------------
// SipServerTransactionTable

SipServerTransactionTable::SipServerTransactionTable(const SipTimerValues& timers)
    : m_timers(timers)
{
}

SipServerTransactionTable::Verdict
SipServerTransactionTable::OnRequest(const SipMessage& request, Time now)
{
    Verdict v;
    std::string key = MatchKey(request);
    if (key.empty())
    {
        return v;
    }
    auto it = m_table.find(key);
    if (it != m_table.end() && now < it->second.expires)
    {
        NS_LOG_LOGIC("absorbed retransmission " << key);
        v.retransmission = true;
        v.response = it->second.response;
        return v;
    }
    // A request that arrives before a response gets the same lifetime Timer J would give.
    m_table[key] = Entry{"", now + 64 * m_timers.t1};
    Schedule(key, now + 64 * m_timers.t1);
    return v;
}

void
SipServerTransactionTable::OnResponse(const SipMessage& request,
                                      const SipMessage& response,
                                      Time now)
{
    std::string key = MatchKey(request);
    if (key.empty())
    {
        return;
    }
    auto& e = m_table[key];
    e.response = response.Serialize();
    if (response.GetStatusCode() >= 200)
    {
        // Timer J (§17.2.2): 64·T1 over UDP, zero over a reliable transport.
        e.expires = now + (m_timers.reliable ? Time(0) : 64 * m_timers.t1);
        Schedule(key, e.expires);
    }
    else if (e.expires < now + 64 * m_timers.t1)
    {
        e.expires = now + 64 * m_timers.t1;
        Schedule(key, e.expires);
    }
}

void
SipServerTransactionTable::Schedule(const std::string& key, Time expires)
{
    m_expiries.emplace(expires, key);
}

size_t
SipServerTransactionTable::Purge(Time now)
{
    size_t n = 0;
    while (!m_expiries.empty() && m_expiries.top().first <= now)
    {
        auto it = m_table.find(m_expiries.top().second);
        if (it != m_table.end() && now >= it->second.expires)
        {
            m_table.erase(it);
            ++n;
        }
        m_expiries.pop();
    }
    return n;
}

size_t
SipServerTransactionTable::GetSize() const
{
    return m_table.size();
}

std::string
SipServerTransactionTable::MatchKey(const SipMessage& request)
{
    auto via = request.GetTopVia();
    if (!via || via->GetBranch().empty() || request.GetMethod().empty())
    {
        return "";
    }
    std::string method = request.GetMethod() == "ACK" ? "INVITE" : request.GetMethod();
    return via->GetBranch() + "|" + via->GetSentBy() + "|" + method;
}

} // namespace ns3
