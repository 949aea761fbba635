/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_IKE_SA_H
#define PRESEC_IKE_SA_H

#include "ike-child-sa.h"
#include "ike-header.h"

#include "ns3/callback.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"

#include <array>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <vector>

namespace ns3
{

/** Outcome callback of an IKE request: (success, peer). */
typedef Callback<void, bool, Ipv4Address> IkeDoneCallback;

/** The datagrams of one IKE message as sent: one, or its RFC 7383 fragments. */
typedef std::vector<Ptr<Packet>> IkeDatagrams;

/**
 * \ingroup presec-ike
 * The reassembly of a message of the peer's that arrives in RFC 7383 fragments (§2.6), each
 * verified and decrypted before it is added: the pieces are kept by Fragment Number until
 * all Total Fragments are there. A fragment of another message starts over (window size 1:
 * the peer has moved on); one with a larger Total Fragments than the kept ones too (the
 * sender fragmented the message again, smaller); one with a smaller one is refused.
 */
class IkeReassembly
{
  public:
    /** What became of a fragment. */
    enum class Outcome : uint8_t
    {
        KEPT,          //!< kept; more are missing
        REPEATED,      //!< that piece is kept already (a retransmission)
        SMALLER_TOTAL, //!< refused: fewer Total Fragments than the pieces kept
        COMPLETE,      //!< the last missing piece: Take() the message
    };

    /**
     * \param messageId the fragment's message ID
     * \param number its Fragment Number (1..total)
     * \param total its Total Fragments
     * \param nextPayload its SKF payload's next payload (fragment 1: the first inner one)
     * \param piece its decrypted piece of the inner payloads
     * \return what became of it
     */
    Outcome Add(uint32_t messageId,
                uint16_t number,
                uint16_t total,
                uint8_t nextPayload,
                std::vector<uint8_t> piece);

    /**
     * After COMPLETE: the inner payloads in order, and forget them.
     * \param firstPayload set to the first inner payload's type
     * \return the inner payloads' bytes
     */
    std::vector<uint8_t> Take(uint8_t& firstPayload);

    /** \return the Total Fragments of the message being put together (0: none) */
    uint16_t GetTotal() const;

  private:
    uint32_t m_messageId{0};                           //!< the message's ID
    uint16_t m_total{0};                               //!< Total Fragments (0: none)
    uint8_t m_firstPayload{0};                         //!< first inner payload (fragment 1)
    std::map<uint16_t, std::vector<uint8_t>> m_pieces; //!< decrypted pieces by number
};

/**
 * \ingroup presec-ike
 * A request this end makes under an IKE SA, queued or in flight: a new or re-keyed Child SA
 * (IKE_AUTH, CREATE_CHILD_SA), a Delete, a MOBIKE address update or a liveness check
 * (INFORMATIONAL).
 */
struct IkeRequest
{
    IkeChildSpec spec;              //!< the child asked for
    IkeDoneCallback done;           //!< outcome callback
    Time start;                     //!< when it was asked for
    uint64_t rekeyOf{0};            //!< id of the child being re-keyed (0: a new child)
    uint32_t spiIn{0};              //!< our inbound SPI, once chosen
    std::vector<uint8_t> nonce;     //!< Ni of CREATE_CHILD_SA
    std::vector<uint8_t> kePublic;  //!< KEi of CREATE_CHILD_SA with PFS
    bool isDelete{false};           //!< an INFORMATIONAL Delete instead of a new child
    bool deleteIke{false};          //!< that Delete names the IKE SA
    std::vector<uint64_t> deleting; //!< children named in that Delete (preset: only those)
    bool isUpdate{false};           //!< an UPDATE_SA_ADDRESSES (MOBIKE) instead
    Ipv4Address oldLocal;           //!< update: the addresses the children had
    Ipv4Address oldPeer;            //!< update: the peer's old address
    bool isLiveness{false};         //!< an empty INFORMATIONAL: is the peer alive (§2.4)?
};

/**
 * \ingroup presec-ike
 * One IKE SA (RFC 7296 §1): who and where, the keys, and the exchange state it owns — the
 * two message-ID windows of §2.3 (window size 1: one request of ours outstanding, one
 * request of the peer's answered at a time), the retransmission of our outstanding request
 * with exponential back-off (§2.1), the cached response for a repeated request of the peer,
 * and the queue of our requests waiting their turn. What the messages carry is IkeAgent's.
 */
class IkeSa
{
  public:
    /** Where the IKE SA's own exchanges are. */
    enum class State : uint8_t
    {
        INIT_SENT,   //!< initiator: IKE_SA_INIT request sent
        INIT_DONE,   //!< responder: IKE_SA_INIT answered
        AUTH_SENT,   //!< initiator: IKE_AUTH request sent
        ESTABLISHED, //!< authenticated
    };

    /** How a request of the peer's fits the window (§2.3). */
    enum class PeerRequest : uint8_t
    {
        NEW,           //!< the next one expected
        REPEAT,        //!< the last one answered: resend the cached response
        OUT_OF_WINDOW, //!< anything else
    };

    // --- who and where, keys (set by the exchanges) ---
    uint64_t localSpi{0};          //!< our SPI (the agent's key)
    uint64_t spiI{0};              //!< initiator's SPI
    uint64_t spiR{0};              //!< responder's SPI
    bool initiator{false};         //!< we are the original initiator
    Ipv4Address peer;              //!< the other end
    Ipv4Address local;             //!< our address towards it
    State state{State::INIT_SENT}; //!< where the exchanges are
    uint16_t dhGroup{0};           //!< negotiated group
    std::vector<uint8_t> ni;       //!< Ni of IKE_SA_INIT
    std::vector<uint8_t> nr;       //!< Nr of IKE_SA_INIT
    std::vector<uint8_t> keLocal;  //!< our KE public value
    std::vector<uint8_t> msg1;     //!< IKE_SA_INIT request as sent
    std::vector<uint8_t> msg2;     //!< IKE_SA_INIT response as sent
    std::vector<uint8_t> skD;      //!< SK_d
    IkeSkKeys keysI;               //!< SK_ei / SK_ai
    IkeSkKeys keysR;               //!< SK_er / SK_ar
    std::vector<uint8_t> skPi;     //!< SK_pi
    std::vector<uint8_t> skPr;     //!< SK_pr
    Time start;                    //!< when the IKE SA was asked for / first seen
    Time established;              //!< when it was authenticated
    std::vector<uint8_t> peerId;   //!< the peer's authenticated ID (type, data)
    EventId halfOpenEvent;         //!< responder: give up waiting for IKE_AUTH; initiator: give up
                                   //!< on an IKE_SA_INIT error notify (InitErrorWait)
    uint16_t initErrorHint{0};     //!< initiator: error notify type of an unauthenticated
                                   //!< IKE_SA_INIT response (RFC 7296 §2.21.1), 0 = none
    // mobility (ike-mobility.cc)
    bool mobike{false};     //!< both ends sent MOBIKE_SUPPORTED in IKE_AUTH
    bool localGone{false};  //!< our address went away; waiting for the update (MOBIKE)
    EventId localGoneEvent; //!< give up waiting: delete locally
    // fragmentation (RFC 7383)
    bool fragmentation{false};               //!< both ends sent IKEV2_FRAGMENTATION_SUPPORTED
    std::array<IkeReassembly, 2> reassembly; //!< [0] a request of the peer's, [1] a response
    // liveness (ike-liveness.cc)
    Time lastHeard;             //!< the last authenticated message or protected packet from the
                                //!< peer (a packet: as of the check that counted it)
    uint64_t inboundPackets{0}; //!< packets on the child SAs' inbound SAs at the last check
    EventId livenessEvent;      //!< the next check

    // --- our requests ---
    std::optional<IkeRequest> current; //!< the request in flight (or being prepared)
    std::deque<IkeRequest> queue;      //!< requests waiting their turn

    /** \return true if established, no request in flight and the address is ours */
    bool IsIdle() const;

    /**
     * Take the next queued request as the current one, when idle.
     * \return true if there was one
     */
    bool TakeNext();

    /** \return the current and queued requests, emptied out of the IKE SA */
    std::vector<IkeRequest> TakeAllRequests();

    /**
     * \param id a child being re-keyed
     * \return true if a re-key of it is current or queued
     */
    bool IsRekeying(uint64_t id) const;

    // --- the window of our requests (§2.1, §2.3) ---
    /** \return the message ID of our next request (taken) */
    uint32_t TakeMessageId();

    /**
     * A request left (or is about to): it is outstanding until its response, resent by
     * Retransmit.
     * \param id its message ID
     * \param type its exchange
     * \param p it, as sent (its fragments)
     * \param rto the first retransmission timeout
     */
    void StartRequest(uint32_t id, IkeExchangeType type, IkeDatagrams p, Time rto);

    /** \return true if a request of ours awaits its response */
    bool HasOutstanding() const;

    /**
     * \param id a message ID
     * \return true if it is our outstanding request's
     */
    bool IsOutstanding(uint32_t id) const;

    /**
     * \param id a response's message ID
     * \param type its exchange
     * \return true if it answers our outstanding request
     */
    bool Answers(uint32_t id, IkeExchangeType type) const;

    /** \return the outstanding request's exchange */
    IkeExchangeType OutstandingType() const;

    /** \return a copy of the outstanding request, to send (again) */
    IkeDatagrams OutstandingCopy() const;

    /** The outstanding request was answered (or abandoned): stop retransmitting it. */
    void EndRequest();

    /**
     * Schedule the next transmission of the outstanding request after the current timeout.
     * \param f what to run then
     */
    void ArmRetransmission(std::function<void()> f);

    /** Stop the retransmission timer (the request stays outstanding, unsent). */
    void HoldRetransmission();

    /**
     * Back off before a retransmission: double the timeout.
     * \param maxRetransmits the limit
     * \return false if the limit is reached (give up)
     */
    bool BackOff(uint32_t maxRetransmits);

    /** \return retransmissions of the outstanding request so far */
    uint32_t Retransmissions() const;

    // --- the window of the peer's requests (§2.3) ---
    /**
     * The peer's first request was IKE_SA_INIT (message ID 0), answered here.
     */
    void AnsweredInit();

    /**
     * \param id a request's message ID
     * \return where it fits
     */
    PeerRequest CheckPeerRequest(uint32_t id) const;

    /**
     * Accept the peer's next request: its response is now the one being prepared.
     * \param id its message ID
     */
    void AcceptPeerRequest(uint32_t id);

    /** \return the message ID of the peer's request being answered */
    uint32_t ResponseId() const;

    /**
     * Keep the response to a request of the peer's, for a repeat of it.
     * \param id the request's message ID
     * \param p the response as sent (its fragments)
     */
    void CacheResponse(uint32_t id, IkeDatagrams p);

    /** \return a copy of the cached response (empty while it is being computed) */
    IkeDatagrams CachedResponse() const;

    /** Cancel every timer of the IKE SA (close, stop). */
    void CancelTimers();

  private:
    // requests we send
    uint32_t m_nextMessageId{0}; //!< ID of our next request
    bool m_outstanding{false};   //!< a request awaits its response
    uint32_t m_outstandingId{0}; //!< its message ID
    IkeExchangeType m_outstandingType{IkeExchangeType::IKE_SA_INIT}; //!< its exchange
    IkeDatagrams m_outstandingPacket;                                //!< it, for retransmission
    uint32_t m_retransmits{0}; //!< retransmissions of it so far
    Time m_timeout;            //!< current retransmission timeout
    EventId m_retransmitEvent; //!< next retransmission
    // requests we answer
    uint32_t m_expectedPeerId{0}; //!< ID of the peer's next request
    bool m_answered{false};       //!< m_lastResponseId is valid
    uint32_t m_lastResponseId{0}; //!< ID of the last request answered
    IkeDatagrams m_lastResponse;  //!< its response (empty while being computed)
};

} // namespace ns3

#endif // PRESEC_IKE_SA_H
