/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_LOWERING_NEGOTIATOR_H
#define PRESEC_LOWERING_NEGOTIATOR_H

#include "lowering-message.h"

#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"
#include "ns3/security-policy.h"
#include "ns3/user-decision-model.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{

class PresenceAgent;

/**
 * \ingroup presec-apparatus
 * What a LoweringNegotiator asks of the application that owns the sessions (the user side of
 * the pair, as ns-3 LTE's SAP user classes).
 */
class LoweringNegotiatorUser
{
  public:
    virtual ~LoweringNegotiatorUser() = default;

    /**
     * A line for the decision log.
     * \param line the text
     */
    virtual void LoweringLog(const std::string& line) = 0;

    /**
     * \param peer an address
     * \return the id of the session with the peer at that address (0: none)
     */
    virtual uint64_t LoweringSessionAt(Ipv4Address peer) const = 0;

    /**
     * \param session a session's id
     * \return the address its peer has now (it follows the peer's moves), or nothing when
     *         the session is gone
     */
    virtual std::optional<Ipv4Address> LoweringPeerOf(uint64_t session) const = 0;

    /**
     * Our request ended: the session registers the lowered policy or the peer's requirement.
     * \param session the session
     * \param accepted the peer's verdict
     * \param lowered what the request asked to register (our view)
     */
    virtual void LoweringEnded(uint64_t session,
                               bool accepted,
                               const std::vector<SecurityPolicy>& lowered) = 0;

    /**
     * Let the user model judge a peer's request.
     * \param peer the peer
     * \param request its request
     * \return the user's decision, or nothing when no session can judge it
     */
    virtual std::optional<Decision> JudgeLowering(Ipv4Address peer,
                                                  const LoweringRequest& request) = 0;

    /**
     * We accept a peer's request: register what the user decided.
     * \param session the session the request came in (it may have moved since)
     * \param request its request
     * \param decision the user's decision on it
     */
    virtual void LoweringAccepted(uint64_t session,
                                  const LoweringRequest& request,
                                  const Decision& decision) = 0;
};

/**
 * \ingroup presec-apparatus
 * The lowering negotiation of the sessions of one application: a LoweringRequest (in a SIP
 * MESSAGE through the PresenceAgent, LoweringCodec bodies) names what we would register;
 * nothing is registered until the peer's LoweringAnswer, a failed delivery or the timeout
 * (a refusal) ends it. The peer's requests are judged by the user (think time included) and
 * answered. Sessions are named by their stable id.
 */
class LoweringNegotiator
{
  public:
    /** Counters (QueueDisc style). */
    struct Stats
    {
        uint32_t requests{0};     //!< our requests sent
        uint32_t accepted{0};     //!< of them, accepted by the peer
        uint32_t refused{0};      //!< of them, refused (or unanswered)
        uint32_t peerAccepted{0}; //!< the peer's requests we accepted
        uint32_t peerRefused{0};  //!< the peer's requests we refused
    };

    /**
     * Take the MESSAGEs of LoweringCodec::CONTENT_TYPE from the agent.
     * \param agent the node's presence agent
     * \param user the owner of the sessions
     */
    void Start(Ptr<PresenceAgent> agent, LoweringNegotiatorUser* user);

    /** Give the MESSAGE handler back; requests and answers in flight are ignored. */
    void Stop();

    /** Stop, cancel every timer and drop the agent (application disposal). */
    void Dispose();

    /**
     * Ask the peer to accept a lowered policy.
     * \param session the session
     * \param peer its peer
     * \param lowered what we would register (our view)
     * \param timeout how long the peer has to answer
     */
    void Ask(uint64_t session,
             Ipv4Address peer,
             const std::vector<SecurityPolicy>& lowered,
             Time timeout);

    /**
     * Stop the session's timers: the timeout of its request and its answers being thought
     * about.
     * \param session the session
     */
    void CancelTimers(uint64_t session);

    /**
     * Forget a session (it ended or was dropped).
     * \param session the session
     */
    void Forget(uint64_t session);

    /** \return the counters */
    const Stats& GetStats() const;

  private:
    /**
     * The agent's MESSAGE handler.
     * \param from the sender
     * \param body the body
     * \return the SIP status to answer (400 for an unreadable body)
     */
    uint16_t Receive(Ipv4Address from, const std::string& body);

    /**
     * Our request ended.
     * \param session the session
     * \param request the request it answers (stale ones are ignored)
     * \param accepted the peer's verdict
     * \param why the peer's reason, or what happened instead of an answer
     */
    void End(uint64_t session, uint64_t request, bool accepted, const std::string& why);

    /**
     * Let the user judge the peer's request and answer after the think time.
     * \param peer the peer
     * \param request its request
     */
    void Judge(Ipv4Address peer, LoweringRequest request);

    /**
     * Register what the user decided if it satisfies the lowered policy, and answer: to the
     * session's peer where it is now (it may have moved while the user thought), or to the
     * request's source when the session is gone.
     * \param session the session the request came in (0: none)
     * \param peer the request's source
     * \param request its request
     * \param d the user's decision on it
     * \param why non-empty: refuse for this reason without looking at \p d
     */
    void Answer(uint64_t session,
                Ipv4Address peer,
                LoweringRequest request,
                Decision d,
                std::string why);

    /** One session's side of the exchange. */
    struct Exchange
    {
        uint64_t request{0};                 //!< our request in flight (0: none)
        std::vector<SecurityPolicy> lowered; //!< what it asks to register (our view)
        EventId timeout;                     //!< end of the wait for the answer
        std::vector<EventId> answers;        //!< answers to the peer's requests, thinking
    };

    Ptr<PresenceAgent> m_agent;               //!< sends and receives the MESSAGEs
    LoweringNegotiatorUser* m_user{nullptr};  //!< the owner of the sessions
    bool m_active{false};                     //!< between Start and Stop
    uint64_t m_nextRequest{1};                //!< id of our next request
    std::map<uint64_t, Exchange> m_exchanges; //!< by session id
    Stats m_stats;                            //!< counters
};

} // namespace ns3

#endif // PRESEC_LOWERING_NEGOTIATOR_H
