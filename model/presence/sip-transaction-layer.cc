/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "sip-transaction-layer.h"

#include "ns3/assert.h"
#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/simulator.h"

#include <sstream>
#include <vector>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SipTransactionLayer");

namespace
{

/// The InetSocketAddress of an address and port, as the traces name peers.
Address
ToAddress(Ipv4Address a, uint16_t port)
{
    return InetSocketAddress(a, port);
}

/// Call a trace callback unless it is null.
template <typename... Args, typename... Given>
void
Report(const Callback<void, Args...>& cb, Given&&... args)
{
    if (!cb.IsNull())
    {
        cb(args...);
    }
}

/// Whether a client transaction still waits for its final response.
bool
IsWaiting(const SipClientTransaction& tx)
{
    return tx.GetState() == SipClientTransaction::State::TRYING ||
           tx.GetState() == SipClientTransaction::State::PROCEEDING;
}

} // namespace

SipTransactionLayer::SipTransactionLayer(SipServerTransactionUser* user,
                                         SipTransport* transport,
                                         SipBuilder* builder)
    : SipDropCounter(m_stats.badMessages),
      m_user(user),
      m_transport(transport),
      m_builder(builder)
{
    NS_LOG_FUNCTION(this);
}

SipTransactionLayer::~SipTransactionLayer()
{
    NS_LOG_FUNCTION(this);
}

void
SipTransactionLayer::Start(const SipTimerValues& timers, uint32_t tcpThreshold)
{
    NS_LOG_FUNCTION(this);
    m_timers = timers;
    m_tcpThreshold = tcpThreshold;
    m_serverTx = SipServerTransactionTable(Timers(false));
}

void
SipTransactionLayer::Stop()
{
    NS_LOG_FUNCTION(this);
    for (auto& [key, t] : m_clientTx)
    {
        t.timerE.Cancel();
        t.timerF.Cancel();
        t.timerK.Cancel();
    }
    m_clientTx.clear();
}

void
SipTransactionLayer::SetObserver(const Observer& observer)
{
    m_observer = observer;
}

size_t
SipTransactionLayer::GetNClientTransactions() const
{
    return m_clientTx.size();
}

const SipTransactionLayer::Stats&
SipTransactionLayer::GetStats() const
{
    return m_stats;
}

SipTimerValues
SipTransactionLayer::Timers(bool reliable) const
{
    SipTimerValues t = m_timers;
    t.reliable = reliable;
    return t;
}

// ---------------------------------------------------------------------------------------------
// Server transactions

void
SipTransactionLayer::ReceiveRequest(const SipMessage& request,
                                    const SipOrigin& origin,
                                    uint32_t size)
{
    NS_LOG_FUNCTION(this << request.GetMethod() << origin.address);
    Time now = Simulator::Now();
    m_serverTx.Purge(now);
    auto verdict = m_serverTx.OnRequest(request, now);
    if (verdict.retransmission)
    {
        ++m_stats.absorbedRequests;
        if (!verdict.response.empty())
        {
            NS_LOG_LOGIC("re-sending the cached response to " << origin.address);
            ++m_stats.responsesResent;
            m_transport->SendBack(verdict.response, origin);
        }
        return;
    }
    ++m_stats.requestsReceived;
    if (origin.tcp)
    {
        ++m_stats.tcpMessagesReceived;
    }
    Report(m_observer.requestReceived, request, ToAddress(origin.address, origin.port), size);
    m_user->ReceiveRequest(request, origin, size);
}

void
SipTransactionLayer::RespondToRefused(const SipMessage& request,
                                      const SipMessage& response,
                                      const SipOrigin& origin)
{
    SendResponse(request, response, origin);
}

void
SipTransactionLayer::SendResponse(const SipMessage& request,
                                  const SipMessage& answer,
                                  const SipOrigin& origin)
{
    SipMessage response = answer;
    // RFC 3261 section 18.2.1: the top Via says where the request really came from when its
    // sent-by host differs (a NAT, a wrong address), and the response goes there.
    std::vector<SipVia> vias = response.GetVias();
    std::ostringstream source;
    source << origin.address;
    if (!vias.empty() && vias.front().host != source.str() && !vias.front().params.Has("received"))
    {
        vias.front().params.Set("received", source.str());
        response.RemoveHeader("Via");
        for (auto v = vias.rbegin(); v != vias.rend(); ++v)
        {
            response.PushVia(*v);
        }
    }
    m_serverTx.OnResponse(request, response, Simulator::Now());
    std::string wire = response.Serialize();
    m_transport->SendBack(wire, origin);
    ++m_stats.responsesSent;
    Report(m_observer.responseSent, response, ToAddress(origin.address, origin.port), wire.size());
}

bool
SipTransactionLayer::AcceptInDialogCSeq(const SipMessage& request,
                                        const SipOrigin& origin,
                                        std::optional<uint32_t>& last)
{
    // RFC 3261 section 12.2.2: an in-dialog request must be newer than the last one (a
    // retransmission never gets here: the server transaction absorbs it).
    uint32_t cseq = request.GetCSeq()->number;
    if (last && cseq <= *last)
    {
        Drop(request.Serialize(),
             origin,
             SipDropReason::CSEQ_ORDER,
             request.GetMethod() + " CSeq " + std::to_string(cseq) + " after " +
                 std::to_string(*last),
             500);
        SendResponse(request, m_builder->Error(request, 500), origin);
        return false;
    }
    last = cseq;
    return true;
}

// ---------------------------------------------------------------------------------------------
// Client transactions

void
SipTransactionLayer::SendRequest(SipRequestParams params,
                                 const RequestBuilder& build,
                                 Ipv4Address peer,
                                 uint16_t port,
                                 SipClientTransactionUser* user,
                                 const std::string& owner)
{
    SipMessage request = build(params);
    bool tcp = request.Serialize().size() > m_tcpThreshold;
    if (tcp)
    {
        params.transport = "TCP";
        request = build(params);
    }
    StartClientTx(request, peer, port, tcp, user, owner);
}

void
SipTransactionLayer::StartClientTx(const SipMessage& request,
                                   Ipv4Address peer,
                                   uint16_t port,
                                   bool tcp,
                                   SipClientTransactionUser* user,
                                   const std::string& owner)
{
    std::string key = SipClientTransaction::MatchKey(request);
    NS_LOG_FUNCTION(this << request.GetMethod() << peer << port << tcp << key);
    NS_ASSERT_MSG(!key.empty() && m_clientTx.count(key) == 0, "bad or duplicate transaction");
    ClientTx t;
    t.tx = SipClientTransaction(Timers(tcp));
    t.request = request;
    t.wire = request.Serialize();
    t.peer = peer;
    t.port = port;
    t.user = user;
    t.owner = owner;
    Time now = Simulator::Now();
    if (tcp)
    {
        t.tcp = m_transport->Connect(peer, port);
        m_transport->SendOnConnection(t.tcp, t.wire);
    }
    else
    {
        m_transport->SendDatagram(t.wire, peer, port);
    }
    t.tx.Start(now);
    t.timerF =
        Simulator::Schedule(t.tx.GetTimeoutTime() - now, &SipTransactionLayer::OnTimerF, this, key);
    if (!t.tx.NextRetransmitDelay().IsZero())
    {
        t.timerE = Simulator::Schedule(t.tx.NextRetransmitDelay(),
                                       &SipTransactionLayer::OnTimerE,
                                       this,
                                       key);
    }
    uint32_t size = t.wire.size();
    auto& stored = m_clientTx.emplace(key, std::move(t)).first->second;
    ++m_stats.requestsSent;
    Address to = ToAddress(peer, port);
    Report(m_observer.requestSent, stored.request, to, size);
    if (stored.request.GetMethod() == "NOTIFY")
    {
        ++m_stats.notifiesSent;
        Report(m_observer.notifySent, stored.request, to, size);
    }
}

void
SipTransactionLayer::OnTimerE(std::string key)
{
    auto it = m_clientTx.find(key);
    if (it == m_clientTx.end())
    {
        return;
    }
    ClientTx& t = it->second;
    if (!t.tx.OnTimerE(Simulator::Now()))
    {
        return;
    }
    NS_LOG_LOGIC("retransmitting " << t.request.GetMethod() << " to " << t.peer << " ("
                                   << t.tx.GetRetransmissions() << ")");
    m_transport->SendDatagram(t.wire, t.peer, t.port);
    ++m_stats.retransmissions;
    Report(m_observer.retransmission,
           t.request,
           ToAddress(t.peer, t.port),
           t.tx.GetRetransmissions());
    t.timerE =
        Simulator::Schedule(t.tx.NextRetransmitDelay(), &SipTransactionLayer::OnTimerE, this, key);
}

void
SipTransactionLayer::OnTimerF(std::string key)
{
    auto it = m_clientTx.find(key);
    if (it == m_clientTx.end())
    {
        return;
    }
    if (!it->second.tx.OnTimerF(Simulator::Now()))
    {
        return;
    }
    NS_LOG_INFO(it->second.request.GetMethod() << " to " << it->second.peer << " timed out");
    ++m_stats.timeouts;
    Report(m_observer.timeout, it->second.request, ToAddress(it->second.peer, it->second.port));
    FinishClientTx(key, nullptr, "timeout");
}

void
SipTransactionLayer::OnTimerK(std::string key)
{
    auto it = m_clientTx.find(key);
    if (it != m_clientTx.end())
    {
        it->second.tx.OnTimerK(Simulator::Now());
        m_clientTx.erase(it);
    }
}

void
SipTransactionLayer::ReceiveResponse(const SipMessage& response,
                                     const SipOrigin& origin,
                                     uint32_t size)
{
    NS_LOG_FUNCTION(this << response.GetStatusCode() << origin.address);
    std::string key = SipClientTransaction::MatchKey(response);
    auto it = m_clientTx.find(key);
    if (it == m_clientTx.end())
    {
        Drop(response.Serialize(),
             origin,
             SipDropReason::UNMATCHED_RESPONSE,
             std::to_string(response.GetStatusCode()) + " for " + key,
             0);
        return;
    }
    ++m_stats.responsesReceived;
    if (origin.tcp)
    {
        ++m_stats.tcpMessagesReceived;
    }
    Report(m_observer.responseReceived, response, ToAddress(origin.address, origin.port), size);
    ClientTx& t = it->second;
    if (!t.tx.OnResponse(response.GetStatusCode(), Simulator::Now()))
    {
        NS_LOG_LOGIC("absorbed response " << response.GetStatusCode() << " for " << key);
        return;
    }
    if (response.GetStatusCode() < 200)
    {
        return;
    }
    FinishClientTx(key, &response, "");
}

void
SipTransactionLayer::FinishClientTx(const std::string& key,
                                    const SipMessage* response,
                                    const std::string& failure)
{
    auto it = m_clientTx.find(key);
    NS_ASSERT(it != m_clientTx.end());
    ClientTx& t = it->second;
    t.timerE.Cancel();
    t.timerF.Cancel();
    SipClientTransactionUser* user = t.user;
    std::string owner = t.owner;
    Ptr<Socket> tcp = t.tcp;
    if (response && !tcp && !t.tx.GetTimerKDelay().IsZero())
    {
        // Completed: absorb retransmitted responses until Timer K. Nothing is sent again, so
        // the request and its wire form go now (campus-1000: about 4 MB in its first seconds).
        t.timerK =
            Simulator::Schedule(t.tx.GetTimerKDelay(), &SipTransactionLayer::OnTimerK, this, key);
        t.request = SipMessage();
        std::string().swap(t.wire);
    }
    else
    {
        m_clientTx.erase(it);
    }
    // A TCP connection stays for the next requests to that destination (the transport closes
    // it when idle).
    user->ClientTransactionEnded(owner, response, failure);
}

void
SipTransactionLayer::Abandon(SipClientTransactionUser* user, const std::string& owner)
{
    for (auto it = m_clientTx.begin(); it != m_clientTx.end(); ++it)
    {
        ClientTx& t = it->second;
        if (t.user == user && t.owner == owner && IsWaiting(t.tx))
        {
            NS_LOG_INFO(t.request.GetMethod() << " to " << t.peer << " abandoned");
            t.timerE.Cancel();
            t.timerF.Cancel();
            t.timerK.Cancel();
            // Its TCP connection may carry other transactions: the transport closes it idle.
            m_clientTx.erase(it);
            return;
        }
    }
}

void
SipTransactionLayer::ConnectionFailed(Ptr<Socket> socket, const std::string& reason)
{
    NS_LOG_FUNCTION(this << socket << reason);
    std::vector<std::string> failed;
    for (auto& [key, t] : m_clientTx)
    {
        if (t.tcp == socket && IsWaiting(t.tx))
        {
            failed.push_back(key);
        }
    }
    for (const auto& key : failed)
    {
        auto it = m_clientTx.find(key);
        if (it == m_clientTx.end())
        {
            continue;
        }
        it->second.tcp = nullptr; // already gone
        ++m_stats.transportErrors;
        // RFC 3261 section 8.1.3.1: a transport error is treated as a 503.
        FinishClientTx(key, nullptr, "transport error: " + reason);
    }
}

} // namespace ns3
