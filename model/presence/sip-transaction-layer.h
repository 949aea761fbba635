/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_SIP_TRANSACTION_LAYER_H
#define PRESEC_SIP_TRANSACTION_LAYER_H

#include "sip-builder.h"
#include "sip-drop-reason.h"
#include "sip-message.h"
#include "sip-transaction.h"
#include "sip-transport.h"

#include "ns3/address.h"
#include "ns3/callback.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/ptr.h"
#include "ns3/socket.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace ns3
{

/**
 * \ingroup presec-presence
 * The transaction user that serves requests (PresenceAgent): what SipTransactionLayer hands
 * up once a request is known to be new.
 */
class SipServerTransactionUser
{
  public:
    virtual ~SipServerTransactionUser() = default;

    /**
     * A new (not retransmitted) request arrived; answer it with
     * SipTransactionLayer::SendResponse.
     * \param request the request
     * \param origin where it came from
     * \param size its size on the wire
     */
    virtual void ReceiveRequest(const SipMessage& request,
                                const SipOrigin& origin,
                                uint32_t size) = 0;
};

/**
 * \ingroup presec-presence
 * A transaction user that sends requests (subscriber, notifier, pager): told how each of its
 * client transactions ended.
 */
class SipClientTransactionUser
{
  public:
    virtual ~SipClientTransactionUser() = default;

    /**
     * A client transaction ended.
     * \param owner the key the user gave when starting it
     * \param response the final response, or null
     * \param failure why there is none ("timeout", "transport error: …")
     */
    virtual void ClientTransactionEnded(const std::string& owner,
                                        const SipMessage* response,
                                        const std::string& failure) = 0;
};

/**
 * \ingroup presec-presence
 * The SIP transaction layer (RFC 3261 section 17) of PresenceAgent, between SipTransport and
 * the transaction users: non-INVITE client transactions (SipClientTransaction with Timers E,
 * F and K, one TCP connection per transaction) and server transactions (retransmitted
 * requests absorbed by SipServerTransactionTable and answered with the cached response).
 * It also picks the transport of a request (RFC 3261 section 18.1.1) and checks the CSeq
 * order inside a dialog (section 12.2.2), both shared by every transaction user.
 */
class SipTransactionLayer : public SipTransportUser, public SipDropCounter
{
  public:
    /** Counters, in the manner of QueueDisc::Stats. */
    struct Stats
    {
        uint32_t requestsSent{0};        //!< requests sent (first transmissions)
        uint32_t requestsReceived{0};    //!< new requests received
        uint32_t responsesSent{0};       //!< responses sent (not counting cached re-sends)
        uint32_t responsesResent{0};     //!< cached responses re-sent to retransmitted requests
        uint32_t responsesReceived{0};   //!< responses matched to a transaction
        uint32_t notifiesSent{0};        //!< NOTIFYs sent
        uint32_t retransmissions{0};     //!< request retransmissions (Timer E)
        uint32_t absorbedRequests{0};    //!< retransmitted requests absorbed
        uint32_t timeouts{0};            //!< client transactions ended by Timer F
        uint32_t transportErrors{0};     //!< client transactions ended by a TCP failure
        uint32_t tcpMessagesReceived{0}; //!< new requests and matched responses over TCP
        /// bad input by reason (SipDropReason)
        std::map<std::string, uint32_t> badMessages;
    };

    /** A message and where it went or came from, with its size on the wire. */
    typedef Callback<void, const SipMessage&, const Address&, uint32_t> MessageCallback;

    /**
     * What the layer reports for tracing (PresenceAgent's trace sources); null members are
     * skipped. Observation only: nothing here steers the layer.
     */
    struct Observer
    {
        MessageCallback requestSent;      //!< first transmission of a request
        MessageCallback requestReceived;  //!< a new request
        MessageCallback responseSent;     //!< a response (not a cached re-send)
        MessageCallback responseReceived; //!< a response matched to a transaction
        MessageCallback notifySent;       //!< first transmission of a NOTIFY
        MessageCallback retransmission;   //!< Timer E; the size is the count so far
        Callback<void, const SipMessage&, const Address&> timeout; //!< Timer F
    };

    /** Builds a request from its parameters (one SipBuilder method). */
    typedef std::function<SipMessage(const SipRequestParams&)> RequestBuilder;

    /**
     * \param user who serves new requests
     * \param transport the transport below
     * \param builder builds error responses
     */
    SipTransactionLayer(SipServerTransactionUser* user,
                        SipTransport* transport,
                        SipBuilder* builder);
    ~SipTransactionLayer() override;

    SipTransactionLayer(const SipTransactionLayer&) = delete;
    SipTransactionLayer& operator=(const SipTransactionLayer&) = delete;

    /**
     * Start with fresh server transactions.
     * \param timers T1, T2 and T4 (the transport kind is set per transaction)
     * \param tcpThreshold requests larger than this many bytes go over TCP
     */
    void Start(const SipTimerValues& timers, uint32_t tcpThreshold);

    /** Forget every client transaction without telling their users. */
    void Stop();

    /** \param observer what to report to */
    void SetObserver(const Observer& observer);

    /**
     * Build a request (over TCP when larger than the threshold: its Via then says TCP) and
     * start its client transaction.
     * \param params the request's parameters
     * \param build how to build it
     * \param peer destination
     * \param port destination port
     * \param user told how it ends
     * \param owner the user's key for it
     */
    void SendRequest(SipRequestParams params,
                     const RequestBuilder& build,
                     Ipv4Address peer,
                     uint16_t port,
                     SipClientTransactionUser* user,
                     const std::string& owner);

    /**
     * Drop the client transaction of a user's owner still waiting for its final response
     * (its destination is stale), without telling the user.
     * \param user the user
     * \param owner the user's key
     */
    void Abandon(SipClientTransactionUser* user, const std::string& owner);

    /**
     * Send a response and remember it for retransmitted requests. Its top Via gets a
     * `received` parameter when the request came from another address than its sent-by.
     * \param request the request answered
     * \param answer the response as built
     * \param origin where the request came from
     */
    void SendResponse(const SipMessage& request, const SipMessage& answer, const SipOrigin& origin);

    /**
     * RFC 3261 section 12.2.2: an in-dialog request must carry a CSeq above the dialog's last;
     * one that does not is answered 500 and counted (SipDropReason::CSEQ_ORDER).
     * \param request the request
     * \param origin where it came from
     * \param last the dialog's last remote CSeq (empty: none yet); updated when accepted
     * \return true if the request may go on
     */
    bool AcceptInDialogCSeq(const SipMessage& request,
                            const SipOrigin& origin,
                            std::optional<uint32_t>& last);

    /** \return client transactions in progress or absorbing responses */
    size_t GetNClientTransactions() const;

    /** \return the counters */
    const Stats& GetStats() const;

    // SipTransportUser
    void ReceiveRequest(const SipMessage& request, const SipOrigin& origin, uint32_t size) override;
    void ReceiveResponse(const SipMessage& response,
                         const SipOrigin& origin,
                         uint32_t size) override;
    void RespondToRefused(const SipMessage& request,
                          const SipMessage& response,
                          const SipOrigin& origin) override;
    void ConnectionFailed(Ptr<Socket> socket, const std::string& reason) override;

  private:
    /** One outstanding request. */
    struct ClientTx
    {
        SipClientTransaction tx;                 //!< state machine
        SipMessage request;                      //!< the request
        std::string wire;                        //!< as sent
        Ipv4Address peer;                        //!< destination
        uint16_t port{0};                        //!< destination port
        Ptr<Socket> tcp;                         //!< TCP connection, null for UDP
        SipClientTransactionUser* user{nullptr}; //!< told how it ends
        std::string owner;                       //!< the user's key
        EventId timerE;                          //!< retransmission
        EventId timerF;                          //!< timeout
        EventId timerK;                          //!< end of response absorption
    };

    /**
     * Send a request and start its client transaction (Timers E and F).
     * \param request the request
     * \param peer destination
     * \param port destination port
     * \param tcp whether to use TCP
     * \param user told how it ends
     * \param owner the user's key
     */
    void StartClientTx(const SipMessage& request,
                       Ipv4Address peer,
                       uint16_t port,
                       bool tcp,
                       SipClientTransactionUser* user,
                       const std::string& owner);
    /**
     * Timer E: retransmit.
     * \param key the transaction
     */
    void OnTimerE(std::string key);
    /**
     * Timer F: time out.
     * \param key the transaction
     */
    void OnTimerF(std::string key);
    /**
     * Timer K: forget the transaction.
     * \param key the transaction
     */
    void OnTimerK(std::string key);
    /**
     * A client transaction ended: tell its user.
     * \param key the transaction
     * \param response the final response, or null
     * \param failure why there is none
     */
    void FinishClientTx(const std::string& key,
                        const SipMessage* response,
                        const std::string& failure);
    /**
     * \param reliable TCP
     * \return the timer values
     */
    SipTimerValues Timers(bool reliable) const;

    SipServerTransactionUser* m_user;           //!< serves new requests
    SipTransport* m_transport;                  //!< below
    SipBuilder* m_builder;                      //!< error responses
    SipTimerValues m_timers;                    //!< T1, T2, T4
    uint32_t m_tcpThreshold{1300};              //!< requests larger than this go over TCP
    SipServerTransactionTable m_serverTx;       //!< request absorption
    std::map<std::string, ClientTx> m_clientTx; //!< by SipClientTransaction::MatchKey
    Observer m_observer;                        //!< traces
    Stats m_stats;                              //!< counters
};

} // namespace ns3

#endif // PRESEC_SIP_TRANSACTION_LAYER_H
