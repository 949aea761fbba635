/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "lowering-negotiator.h"

#include "ns3/log.h"
#include "ns3/policy-set.h"
#include "ns3/presence-agent.h"
#include "ns3/simulator.h"

#include <algorithm>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("LoweringNegotiator");

void
LoweringNegotiator::Start(Ptr<PresenceAgent> agent, LoweringNegotiatorUser* user)
{
    m_agent = agent;
    m_user = user;
    m_active = true;
    m_agent->SetMessageHandler(LoweringCodec::CONTENT_TYPE,
                               MakeCallback(&LoweringNegotiator::Receive, this));
}

void
LoweringNegotiator::Stop()
{
    m_active = false;
    if (m_agent)
    {
        m_agent->SetMessageHandler(LoweringCodec::CONTENT_TYPE, PresenceAgent::MessageHandler());
    }
}

void
LoweringNegotiator::Dispose()
{
    Stop();
    for (auto& [session, e] : m_exchanges)
    {
        CancelTimers(session);
    }
    m_exchanges.clear();
    m_agent = nullptr;
}

void
LoweringNegotiator::Ask(uint64_t session,
                        Ipv4Address peer,
                        const std::vector<SecurityPolicy>& lowered,
                        Time timeout)
{
    ++m_stats.requests;
    Exchange& e = m_exchanges[session];
    e.request = m_nextRequest++;
    e.lowered = lowered;
    std::ostringstream o;
    o << "negotiation: asking the peer to accept our lower policy (request " << e.request
      << "): " << PolicySet::ToText(lowered);
    m_user->LoweringLog(o.str());
    uint64_t request = e.request;
    e.timeout.Cancel();
    e.timeout = Simulator::Schedule(timeout,
                                    &LoweringNegotiator::End,
                                    this,
                                    session,
                                    request,
                                    false,
                                    std::string("no answer in time"));
    m_agent->SendMessage(
        peer,
        LoweringCodec::CONTENT_TYPE,
        LoweringCodec::Encode(LoweringRequest{request, lowered}),
        PresenceAgent::MessageResultCallback([this, session, request](uint16_t st) {
            if (st >= 300)
            {
                End(session, request, false, "the request was answered " + std::to_string(st));
            }
        }));
}

void
LoweringNegotiator::End(uint64_t session, uint64_t request, bool accepted, const std::string& why)
{
    auto it = m_exchanges.find(session);
    if (!m_active || it == m_exchanges.end() || it->second.request != request || request == 0)
    {
        return; // answered already, or a stale answer
    }
    Exchange& e = it->second;
    e.timeout.Cancel();
    e.request = 0;
    std::vector<SecurityPolicy> lowered = std::move(e.lowered);
    e.lowered.clear();
    if (accepted)
    {
        ++m_stats.accepted;
        m_user->LoweringLog("negotiation: peer accepted" +
                            (why.empty() ? std::string() : " (" + why + ")"));
    }
    else
    {
        ++m_stats.refused;
        m_user->LoweringLog("negotiation: peer refused, keeping stronger (" + why + ")");
    }
    m_user->LoweringEnded(session, accepted, lowered);
}

uint16_t
LoweringNegotiator::Receive(Ipv4Address from, const std::string& body)
{
    auto decoded = LoweringCodec::Decode(body);
    if (!decoded)
    {
        std::ostringstream o;
        o << "unreadable lowering message from " << from << ": " << decoded.Describe();
        m_user->LoweringLog(o.str());
        return 400;
    }
    if (!m_active)
    {
        return 480; // Temporarily Unavailable
    }
    if (const auto* answer = std::get_if<LoweringAnswer>(&decoded.GetValue()))
    {
        uint64_t session = m_user->LoweringSessionAt(from);
        auto it = m_exchanges.find(session);
        uint64_t current = it == m_exchanges.end() ? 0 : it->second.request;
        if (session != 0 && current == answer->id)
        {
            Simulator::ScheduleNow(&LoweringNegotiator::End,
                                   this,
                                   session,
                                   answer->id,
                                   answer->accepted,
                                   answer->reason);
            return 200;
        }
        std::ostringstream o;
        o << "lowering answer " << answer->id << " from " << from << " matches no request";
        m_user->LoweringLog(o.str());
        return 200; // delivered; it simply came too late
    }
    const auto& request = std::get<LoweringRequest>(decoded.GetValue());
    // Not from inside the agent's receive path.
    Simulator::ScheduleNow(&LoweringNegotiator::Judge, this, from, request);
    return 200;
}

void
LoweringNegotiator::Judge(Ipv4Address peer, LoweringRequest request)
{
    std::optional<Decision> d = m_active ? m_user->JudgeLowering(peer, request) : std::nullopt;
    const uint64_t session = m_active ? m_user->LoweringSessionAt(peer) : 0;
    if (!d)
    {
        Answer(session,
               peer,
               request,
               UserDecisionModel::Refuse("no session"),
               "no session with you");
        return;
    }
    // Only answers still being thought about are kept: a long session does not collect them.
    auto& answers = m_exchanges[session].answers;
    answers.erase(std::remove_if(answers.begin(),
                                 answers.end(),
                                 [](const EventId& e) { return !e.IsRunning(); }),
                  answers.end());
    answers.push_back(Simulator::Schedule(d->thinkTime,
                                          &LoweringNegotiator::Answer,
                                          this,
                                          session,
                                          peer,
                                          request,
                                          *d,
                                          std::string()));
}

void
LoweringNegotiator::Answer(uint64_t session,
                           Ipv4Address peer,
                           LoweringRequest request,
                           Decision d,
                           std::string why)
{
    // Accepted when what the user registers asks no more of the peer than it offers.
    bool accepted = d.verdict != DecisionVerdict::REFUSE &&
                    !PolicySet::Lowers(request.policies, d.policies) && why.empty();
    if (accepted && m_active)
    {
        m_user->LoweringAccepted(session, request, d);
    }
    // The peer may have moved while our user thought: the session knows where it is now.
    std::optional<Ipv4Address> now =
        session != 0 && m_active ? m_user->LoweringPeerOf(session) : std::nullopt;
    const Ipv4Address to = now ? *now : peer;
    ++(accepted ? m_stats.peerAccepted : m_stats.peerRefused);
    std::string reason = why.empty() ? d.reason : why;
    std::ostringstream o;
    o << "negotiation: " << (accepted ? "accepted" : "refused") << " the peer's lowering (request "
      << request.id << "): " << reason;
    m_user->LoweringLog(o.str());
    if (m_active)
    {
        m_agent->SendMessage(to,
                             LoweringCodec::CONTENT_TYPE,
                             LoweringCodec::Encode(LoweringAnswer{request.id, accepted, reason}),
                             PresenceAgent::MessageResultCallback());
    }
}

void
LoweringNegotiator::CancelTimers(uint64_t session)
{
    if (auto it = m_exchanges.find(session); it != m_exchanges.end())
    {
        it->second.timeout.Cancel();
        for (EventId& e : it->second.answers)
        {
            e.Cancel();
        }
    }
}

void
LoweringNegotiator::Forget(uint64_t session)
{
    CancelTimers(session);
    m_exchanges.erase(session);
}

const LoweringNegotiator::Stats&
LoweringNegotiator::GetStats() const
{
    return m_stats;
}

} // namespace ns3
