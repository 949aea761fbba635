/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_SIP_TRANSACTION_H
#define PRESEC_SIP_TRANSACTION_H

#include "sip-message.h"

#include "ns3/nstime.h"

#include <cstdint>
#include <map>
#include <queue>
#include <string>

namespace ns3
{

/**
 * \ingroup presec-presence
 * SIP timer values (RFC 3261 §17.1.1.1, Table 4).
 */
struct SipTimerValues
{
    Time t1{MilliSeconds(500)}; //!< round-trip estimate; Timer E starts here, F = 64·T1
    Time t2{Seconds(4)};        //!< cap of the non-INVITE retransmit interval
    Time t4{Seconds(5)};        //!< longest time a message lives in the network; Timer K
    bool reliable{false};       //!< TCP/SCTP: no retransmissions, Timers K and J are zero
};

/**
 * \ingroup presec-presence
 * The non-INVITE client transaction of RFC 3261 §17.1.2 as a pure state machine: it keeps
 * no sockets and schedules nothing. Its owner sends the request, schedules Timer E (after
 * NextRetransmitDelay) and Timer F (at GetTimeoutTime) with the ns-3 Simulator and reports
 * what happens:
 *
 * \code
 *   tx.Start(now); send(); schedule E in tx.NextRetransmitDelay(), F at tx.GetTimeoutTime()
 *   on E: if (tx.OnTimerE(now)) { send(); schedule E in tx.NextRetransmitDelay(); }
 *   on F: tx.OnTimerF(now)                      -> timed out, tell the TU (408 equivalent)
 *   on response: tx.OnResponse(code, now)       -> true: pass it to the TU
 *                then, when completed, schedule K in tx.GetTimerKDelay()
 * \endcode
 *
 * Over UDP the request is sent at 0, then again at 0.5, 1.5, 3.5, 7.5, 11.5, … s (intervals
 * 0.5, 1, 2, 4, 4, … s) until a final response or Timer F at 32 s.
 */
class SipClientTransaction
{
  public:
    /** States of RFC 3261 Figure 6, plus the time before Start. */
    enum class State : uint8_t
    {
        IDLE,       //!< not started
        TRYING,     //!< sent, nothing heard
        PROCEEDING, //!< a provisional response heard
        COMPLETED,  //!< final response heard; absorbing retransmitted responses until Timer K
        TERMINATED, //!< done (Timer K fired, or Timer F timed the request out)
    };

    /** \param timers T1, T2, T4 and the transport kind */
    explicit SipClientTransaction(const SipTimerValues& timers = {});

    /**
     * The request has been sent for the first time: enter Trying.
     * \param now the current time
     */
    void Start(Time now);

    /**
     * \return how long after the last (re)transmission Timer E fires: T1, 2·T1, … capped at
     *         T2 (T2 once Proceeding); Time(0) when no retransmission is pending (reliable
     *         transport, Completed, Terminated, Idle)
     */
    Time NextRetransmitDelay() const;

    /** \return the absolute time Timer E fires next; Time(0) when none is pending */
    Time GetNextRetransmitTime() const;

    /**
     * Timer E fired.
     * \param now the current time
     * \return true when the request must be sent again (then NextRetransmitDelay is the next
     *         interval); false when the transaction is no longer Trying/Proceeding or timed out
     */
    bool OnTimerE(Time now);

    /** \return the Timer F deadline, start + 64·T1 (32 s with the default T1) */
    Time GetTimeoutTime() const;

    /**
     * \param now the current time
     * \return true when Trying or Proceeding and Timer F has expired (now ≥ start + 64·T1)
     */
    bool IsTimedOut(Time now) const;

    /**
     * Timer F fired: if still waiting for a final response, terminate as timed out.
     * \param now the current time
     * \return true when this timed the transaction out
     */
    bool OnTimerF(Time now);

    /**
     * A 1xx arrived.
     * \param now the current time
     * \return true when it is to be passed to the TU (Trying or Proceeding)
     */
    bool OnProvisionalResponse(Time now);

    /**
     * A final response (2xx–6xx) arrived: enter Completed and start Timer K (T4 over UDP,
     * zero over a reliable transport, which terminates at once).
     * \param now the current time
     * \return true for the first final response (pass it to the TU); false for a
     *         retransmission absorbed in Completed, or when already Terminated
     */
    bool OnFinalResponse(Time now);

    /**
     * Dispatches to OnProvisionalResponse or OnFinalResponse.
     * \param statusCode the response's code
     * \param now the current time
     * \return whether to pass it to the TU
     */
    bool OnResponse(uint16_t statusCode, Time now);

    /** \return Timer K's duration: T4 over UDP, 0 over a reliable transport */
    Time GetTimerKDelay() const;

    /**
     * Timer K fired: leave Completed.
     * \param now the current time
     */
    void OnTimerK(Time now);

    /**
     * \param now the current time
     * \return true when Terminated, or when Timer K or Timer F would have fired by now
     */
    bool IsTerminated(Time now) const;

    /** \return the state as last driven (timers are not evaluated; see IsTerminated) */
    State GetState() const;

    /** \return true when Timer F ended the transaction */
    bool HasTimedOut() const;

    /** \return retransmissions so far (not counting the first transmission) */
    uint32_t GetRetransmissions() const;

    /**
     * The key matching a response to its client transaction (RFC 3261 §17.1.3): top Via
     * branch and CSeq method. Also works on the request itself.
     * \param message a request or response
     * \return "branch|METHOD", or "" when Via branch or CSeq is missing
     */
    static std::string MatchKey(const SipMessage& message);

  private:
    SipTimerValues m_timers;       //!< timer values
    State m_state{State::IDLE};    //!< current state
    Time m_start;                  //!< first transmission
    Time m_lastSend;               //!< latest (re)transmission
    Time m_interval;               //!< current Timer E interval
    Time m_completedAt;            //!< arrival of the first final response
    uint32_t m_retransmissions{0}; //!< retransmissions so far
    bool m_timedOut{false};        //!< Timer F ended it
};

/**
 * \ingroup presec-presence
 * Server-side duplicate-request absorption for non-INVITE server transactions
 * (RFC 3261 §17.2.2, §17.2.3): a retransmitted request is recognised by its top Via branch,
 * sent-by and method; it is absorbed while the TU works on it and answered with the last
 * response sent. An entry lives until Timer J (64·T1 over UDP, 0 over a reliable transport)
 * after its final response; entries never answered expire 64·T1 after arrival.
 */
class SipServerTransactionTable
{
  public:
    /** What to do with an arriving request. */
    struct Verdict
    {
        bool retransmission{false}; //!< seen before: do not pass it to the TU
        std::string response;       //!< the response to resend; empty to stay silent
    };

    /** \param timers T1 and the transport kind (Timer J) */
    explicit SipServerTransactionTable(const SipTimerValues& timers = {});

    /**
     * A request arrived. A new one is recorded (pass it to the TU); a retransmission is not.
     * \param request the request
     * \param now the current time
     * \return the verdict; a request without a usable key is always new and not recorded
     */
    Verdict OnRequest(const SipMessage& request, Time now);

    /**
     * The TU answered: remember the response for retransmissions. A final response starts
     * Timer J.
     * \param request the request answered
     * \param response the response as sent
     * \param now the current time
     */
    void OnResponse(const SipMessage& request, const SipMessage& response, Time now);

    /**
     * Drops entries whose time has passed.
     * \param now the current time
     * \return how many were dropped
     */
    size_t Purge(Time now);

    /** \return entries held */
    size_t GetSize() const;

    /**
     * RFC 3261 §17.2.3 matching key: top Via branch, sent-by and method (ACK matches INVITE).
     * \param request a request
     * \return "branch|sent-by|METHOD", or "" when the top Via or its branch is missing
     */
    static std::string MatchKey(const SipMessage& request);

  private:
    /** One remembered transaction. */
    struct Entry
    {
        std::string response; //!< last response sent, serialised; empty before the first
        Time expires;         //!< when the entry may go
    };

    /**
     * Record when an entry may go, for Purge.
     * \param key the entry
     * \param expires its time
     */
    void Schedule(const std::string& key, Time expires);

    SipTimerValues m_timers;              //!< timer values
    std::map<std::string, Entry> m_table; //!< by MatchKey
    /// (time, key) of every expiry set, earliest first; stale pairs (the entry's time moved
    /// or it went) are skipped, so Purge costs the entries it drops, not the table size.
    std::priority_queue<std::pair<Time, std::string>,
                        std::vector<std::pair<Time, std::string>>,
                        std::greater<>>
        m_expiries;
};

} // namespace ns3

#endif // PRESEC_SIP_TRANSACTION_H
