/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_IKE_PROTOCOL_H
#define PRESEC_IKE_PROTOCOL_H

#include "ike-child-sa-manager.h"
#include "ike-header.h"
#include "ike-proposals.h"
#include "ike-protocol-user.h"
#include "ike-sa.h"

#include "ns3/ipsec-algorithms.h"
#include "ns3/ipv4-address.h"
#include "ns3/key-management-sap.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"

#include <array>
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ns3
{

class Node;
class Packet;
class UniformRandomVariable;
class CryptoCostModel;
class Ipv4Header;
struct PacketSelector;
enum class KeyOperation : uint8_t;

/**
 * \ingroup presec-ike
 * The IKEv2 protocol engine of one node (RFC 7296, RFC 4555): its IKE SAs (IkeSa, each with
 * its own exchange state), the exchanges run on them (IKE_SA_INIT and IKE_AUTH in
 * ike-auth-exchanges.cc, CREATE_CHILD_SA in ike-child-exchanges.cc, INFORMATIONAL in
 * ike-informational-exchanges.cc, MOBIKE in ike-mobility.cc), with the proposals
 * (IkeProposals), the key schedule (ike-key-schedule.h), the traffic selectors
 * (ike-traffic-selectors.h) and the Child SAs (IkeChildSaManager) as parts of their own. It
 * reaches the IPsec layer only through the KeyManagementSap pair and its host application
 * (IkeAgent, which has the socket, the attributes and the trace sources) only through
 * IkeProtocolUser. IkeAgent's documentation describes the behaviour.
 */
class IkeProtocol
{
  public:
    /** Authentication of the peers. */
    enum class AuthMethod : uint8_t
    {
        PSK,        //!< pre-shared key (AUTH method 2)
        RSA_CERT,   //!< RSA-2048 certificates and signatures (AUTH method 1)
        ECDSA_CERT, //!< ECDSA P-256 certificates and signatures (AUTH method 9)
    };

    /** Result callback of a request: (success, peer). */
    typedef IkeDoneCallback DoneCallback;

    /** What the engine is configured with (IkeAgent's attributes of the same names). */
    struct Config
    {
        AuthMethod auth{AuthMethod::PSK}; //!< Authentication
        uint16_t dhGroup{0};              //!< DhGroup (IKE group number)
        std::string psk;                  //!< PreSharedKey
        EncryptionAlgorithm enc{EncryptionAlgorithm::AES_128_GCM_16}; //!< child cipher
        AuthenticationAlgorithm integ{AuthenticationAlgorithm::NONE}; //!< child integrity
        IkeChildSaManager::Lifetimes life; //!< Child SA lifetimes and the rest
        bool pfs{false};                   //!< Pfs
        Time rto;                          //!< RetransmitTimeout
        uint32_t maxRetransmits{4};        //!< MaxRetransmits
        Time initErrorWait;                //!< InitErrorWait
        bool autoInitiate{false};          //!< AutoInitiate
        uint32_t certSize{0};              //!< CertificateSize (0: per method)
        uint32_t nonceSize{32};            //!< NonceSize
        Time halfOpenTimeout;              //!< HalfOpenTimeout
        bool mobike{false};                //!< Mobike
        Time mobikeWait;                   //!< MobikeWait
        Time dpdDelay;                     //!< DpdDelay (0: no liveness checks)
        bool fragmentation{false};         //!< Fragmentation (RFC 7383)
        uint32_t fragmentSize{1280};       //!< FragmentSize (largest IP datagram of a fragment)
    };

    // Drop reasons of received datagrams (Stats::dropsByReason, the Drop trace), named as
    // ns-3 queue discs name theirs.
    static constexpr const char* MALFORMED_DROP = "malformed";               //!< does not parse
    static constexpr const char* UNKNOWN_EXCHANGE_DROP = "unknown-exchange"; //!< exchange type
    static constexpr const char* UNKNOWN_SPI_DROP = "unknown-spi";       //!< no IKE SA for the SPIs
    static constexpr const char* UNEXPECTED_DROP = "unexpected";         //!< not in this state
    static constexpr const char* INTEGRITY_DROP = "integrity";           //!< SK payload ICV fails
    static constexpr const char* BAD_MESSAGE_ID_DROP = "bad-message-id"; //!< out of window
    /// an IKE_SA_INIT request again for an IKE SA already past IKE_SA_INIT (or whose answer is
    /// still being computed): nothing to answer from the cache
    static constexpr const char* STALE_INIT_DROP = "stale-init";
    /// an IKE_SA_INIT response carrying an error notify: unauthenticated, possibly forged
    /// (RFC 7296 §2.21.1), so only a hint; the request keeps being retransmitted and the IKE
    /// SA fails with it only if no genuine response comes (InitErrorWait, or retransmissions
    /// exhausted)
    static constexpr const char* UNAUTHENTICATED_ERROR_DROP = "unauthenticated-error";

    /// a fragment that does not fit the message being reassembled (RFC 7383 §2.6)
    static constexpr const char* FRAGMENT_DROP = "fragment";

    /// Failed reason of an IKE SA closed because a liveness check went unanswered (§2.4)
    static constexpr const char* DEAD_PEER = "dead-peer";

    /**
     * Counters of one node's IKE. Arrays are indexed by ExchangeIndex (IKE_SA_INIT = 0 ..
     * INFORMATIONAL = 3); bytes are IKE message bytes (the UDP payload; +28 on the wire).
     * Every datagram received is either processed (messagesReceived) or dropped under a
     * named reason (dropsByReason): datagramsReceived == TotalReceived() + drops.
     */
    struct Stats
    {
        uint64_t datagramsReceived{0}; //!< datagrams read from the socket (processed or dropped)
        std::array<uint64_t, IKE_EXCHANGE_TYPE_COUNT> messagesSent{};     //!< incl. retransmissions
        std::array<uint64_t, IKE_EXCHANGE_TYPE_COUNT> bytesSent{};        //!< incl. retransmissions
        std::array<uint64_t, IKE_EXCHANGE_TYPE_COUNT> messagesReceived{}; //!< processed ones
        std::array<uint64_t, IKE_EXCHANGE_TYPE_COUNT> bytesReceived{};    //!< processed ones
        uint64_t retransmissions{0}; //!< requests sent again after a timeout
        uint64_t responsesResent{0}; //!< cached responses sent again for a repeated request
        uint64_t established{0};     //!< child SA pairs installed by IKE_AUTH or a new child
        uint64_t rekeys{0};          //!< child SA pairs installed by a re-key
        uint64_t rekeyCollisions{0}; //!< simultaneous re-keys of a child (RFC 7296 §2.8.1)
        uint64_t collisionsLost{0};  //!< of those, own new pair redundant (deleted here)
        uint64_t staleIkeSas{0};     //!< IKE SAs closed on an INITIAL_CONTACT (RFC 7296 §2.4)
        uint64_t failures{0};        //!< Failed trace firings
        uint64_t drops{0};           //!< received datagrams discarded (all reasons)
        std::map<std::string, uint64_t> dropsByReason; //!< drops per reason

        /**
         * One hand-over as this agent saw it: our address changed (a new address after one
         * went away) or the application told it the peer moved (FollowPeer).
         */
        struct Handover
        {
            Time start;             //!< the new address appeared / FollowPeer
            Ipv4Address address;    //!< the new address (ours, or the peer's)
            bool ownAddress{false}; //!< our address changed (else the peer's)
            bool mobike{false};     //!< an UPDATE_SA_ADDRESSES exchange moved an IKE SA
            uint64_t messages{0};   //!< IKE messages sent and received since start
            uint64_t bytes{0};      //!< their IKE bytes
            Time toProtection{-1};  //!< start to the first protected packet sent or
                                    //!< received on the new address (negative: none yet)
        };

        std::vector<Handover> handovers; //!< in order
        uint64_t addressUpdates{0};      //!< UPDATE_SA_ADDRESSES exchanges completed (MOBIKE)
        uint64_t ikeSasDroppedOnMove{0}; //!< IKE SAs deleted locally: an address went away
        uint64_t livenessChecks{0};      //!< empty INFORMATIONAL requests started (DpdDelay)
        uint64_t deadPeers{0};           //!< IKE SAs closed: a liveness check went unanswered

        /** \param t an exchange \return messages sent of it */
        uint64_t Sent(IkeExchangeType t) const
        {
            return messagesSent[ExchangeIndex(t)];
        }

        /** \param t an exchange \return messages received of it */
        uint64_t Received(IkeExchangeType t) const
        {
            return messagesReceived[ExchangeIndex(t)];
        }

        /** \return all messages sent */
        uint64_t TotalSent() const;
        /** \return all messages received */
        uint64_t TotalReceived() const;
        /** \param reason a drop reason \return drops for it */
        uint64_t Drops(const std::string& reason) const;
    };

    /**
     * Start: attach to the node, its IPsec layer and the host.
     * \param node the node (its id for logs, its routes for source addresses)
     * \param km the IPsec layer's calls down
     * \param cost the node's CPU model (may be null)
     * \param rng SPIs, nonces, KE values, IVs
     * \param config the configuration
     * \return the IPsec layer's notifications for the host to register
     */
    KeyManagementSapUser* Start(Ptr<Node> node,
                                KeyManagementSapProvider* km,
                                Ptr<CryptoCostModel> cost,
                                Ptr<UniformRandomVariable> rng,
                                const Config& config);

    /** \param user the host application (before anything else; it outlives the engine) */
    void SetUser(IkeProtocolUser* user);

    /** Stop: cancel every timer; nothing is sent any more. */
    void Stop();

    /** Forget everything (disposal). */
    void Dispose();

    /**
     * Process one datagram.
     * \param p the datagram
     * \param from its sender
     * \param local the address it was sent to
     */
    void Receive(Ptr<Packet> p, Ipv4Address from, Ipv4Address local);

    /**
     * The node's addresses changed (its AddressWatcher).
     * \param now the node's addresses now
     */
    void AddressesChanged(const std::vector<Ipv4Address>& now);

    /**
     * A protected packet went out or came in: the first on the new address closes the open
     * hand-over.
     * \param ours our end of it
     * \param theirs the peer's end
     */
    void CloseHandover(Ipv4Address ours, Ipv4Address theirs);

    /**
     * As IkeAgent::Initiate.
     * \param peer see there
     * \param proto see there
     * \param mode see there
     * \param done see there
     */
    void Initiate(Ipv4Address peer,
                  IpsecProtocol proto,
                  IpsecMode mode,
                  DoneCallback done = DoneCallback());

    /**
     * As IkeAgent::SetPassive.
     * \param peer see there
     * \param passive see there
     */
    void SetPassive(Ipv4Address peer, bool passive);

    /**
     * As IkeAgent::IsPassive.
     * \param peer see there
     * \return see there
     */
    bool IsPassive(Ipv4Address peer) const;

    /**
     * As IkeAgent::DeleteChildSas.
     * \param peer see there
     * \param done see there
     */
    void DeleteChildSas(Ipv4Address peer, DoneCallback done = DoneCallback());

    /**
     * As IkeAgent::DeleteIkeSa.
     * \param peer see there
     * \param done see there
     */
    void DeleteIkeSa(Ipv4Address peer, DoneCallback done = DoneCallback());

    /**
     * As IkeAgent::GetStats.
     * \return see there
     */
    const Stats& GetStats() const;

    /**
     * As IkeAgent::FollowPeer.
     * \param from see there
     * \param to see there
     * \param done see there
     * \return see there
     */
    bool FollowPeer(Ipv4Address from, Ipv4Address to, DoneCallback done = DoneCallback());

    /**
     * As IkeAgent::IsMobike.
     * \param peer see there
     * \return see there
     */
    bool IsMobike(Ipv4Address peer) const;

    /**
     * As IkeAgent::HasIkeSa.
     * \param peer see there
     * \return see there
     */
    bool HasIkeSa(Ipv4Address peer) const;

    /**
     * As IkeAgent::GetNChildSas.
     * \return see there
     */
    uint32_t GetNChildSas() const;

  private:
    friend class MemberKeyManagementSapUser<IkeProtocol>;

    /// Our requests under an IKE SA (ike-sa.h).
    typedef IkeRequest ChildRequest;
    /// The state of an IKE SA.
    typedef IkeSa::State IkeState;

    // --- mobility (ike-mobility.cc) ---
    /**
     * Delete an IKE SA and its child SAs locally, without a word to the peer: stop its
     * retransmissions, fail its requests.
     * \param localSpi the IKE SA
     * \param reason why (log, Failed trace of the requests)
     */
    void DropIkeSaLocally(uint64_t localSpi, const std::string& reason);
    /**
     * Our address of a MOBIKE IKE SA went away: the initiator updates from the new address
     * when there is one, the responder waits for the initiator's update.
     * \param ike the IKE SA
     */
    void OnLocalAddressGone(IkeSa& ike);
    /**
     * Start an UPDATE_SA_ADDRESSES exchange (initiator, MOBIKE).
     * \param ike the IKE SA
     * \param local our new address
     * \param peer the peer's (new) address
     * \param done outcome callback
     */
    void StartAddressUpdate(IkeSa& ike, Ipv4Address local, Ipv4Address peer, DoneCallback done);
    /** \param ike an IKE SA with an update current: send the INFORMATIONAL */
    void SendAddressUpdate(IkeSa& ike);
    /**
     * \param msg a decrypted INFORMATIONAL request
     * \return true if it carries N(UPDATE_SA_ADDRESSES)
     */
    static bool IsAddressUpdate(const IkeMessage& msg);
    /**
     * Responder: move the IKE SA and its children to the addresses of the request, answer.
     * \param ike the IKE SA
     * \param msg the request
     * \param from its source
     * \param local its destination
     */
    void HandleAddressUpdate(IkeSa& ike,
                             const IkeMessage& msg,
                             Ipv4Address from,
                             Ipv4Address local);
    /** Initiator: the update was answered. \param ike the IKE SA */
    void FinishAddressUpdate(IkeSa& ike);
    /**
     * Add our MOBIKE_SUPPORTED notify to an IKE_AUTH message (Mobike attribute).
     * \param m the message
     */
    void AddMobikeSupported(IkeMessage& m) const;
    /**
     * Note whether the peer's IKE_AUTH message announced MOBIKE.
     * \param ike the IKE SA
     * \param msg the message
     */
    void NoteMobikeSupported(IkeSa& ike, const IkeMessage& msg) const;

    // --- fragmentation (ike-fragmentation.cc) ---
    /**
     * Add our IKEV2_FRAGMENTATION_SUPPORTED notify to an IKE_SA_INIT message (Fragmentation
     * attribute; a responder only when the request had it).
     * \param m the message
     * \param request the request being answered (null: m is the request)
     */
    void AddFragmentationSupported(IkeMessage& m, const IkeMessage* request) const;
    /**
     * Note whether fragmentation is on for the IKE SA: both ends announced it.
     * \param ike the IKE SA
     * \param msg the peer's IKE_SA_INIT message
     */
    void NoteFragmentationSupported(IkeSa& ike, const IkeMessage& msg) const;
    /**
     * A fragment (SKF) arrived on an IKE SA: verify and decrypt it, keep its piece, and when
     * it completes its message turn \p msg into that message (RFC 7383 §2.6). A fragment of
     * the request last answered resends the response if it is fragment 1 (§2.6.1).
     * \param ike the IKE SA
     * \param msg the parsed fragment; the whole message when true is returned
     * \param raw its bytes
     * \param p it, for the drop trace
     * \param from the sender
     * \param counted counts the datagram as received (once)
     * \return true if \p msg is now a whole message to process
     */
    bool TakeFragment(IkeSa& ike,
                      IkeMessage& msg,
                      const std::vector<uint8_t>& raw,
                      Ptr<Packet> p,
                      Ipv4Address from,
                      const std::function<void()>& counted);

    // --- liveness (ike-liveness.cc) ---
    /**
     * Schedule the IKE SA's next liveness check, DpdDelay after the last thing heard from
     * the peer (nothing with DpdDelay 0).
     * \param ike an established IKE SA
     */
    void ArmLiveness(IkeSa& ike);
    /**
     * The liveness timer fired: if nothing came from the peer for DpdDelay (no authenticated
     * IKE message, no packet on the child SAs' inbound SAs) and no request of ours is under
     * way, queue an empty INFORMATIONAL request; re-arm.
     * \param localSpi the IKE SA
     */
    void CheckLiveness(uint64_t localSpi);
    /** \param ike an IKE SA with a liveness check current: send the empty INFORMATIONAL */
    void SendLivenessCheck(IkeSa& ike);

    /**
     * Start a child negotiation.
     * \param peer the peer
     * \param request what and how
     */
    void Request(Ipv4Address peer, ChildRequest request);

    /** \param ike an IKE SA: start its next queued CREATE_CHILD_SA if it is idle */
    void Pump(IkeSa& ike);

    /** \param ike an initiator IKE SA: send IKE_SA_INIT */
    void SendSaInit(IkeSa& ike);

    /**
     * Send IKE_AUTH (after the IKE_SA_INIT response).
     * \param localSpi the IKE SA
     */
    void SendAuth(uint64_t localSpi);

    /** \param ike an IKE SA with current set: send CREATE_CHILD_SA */
    void SendCreateChild(IkeSa& ike);

    /**
     * Queue a Delete request on the IKE SA with a peer (or report failure at once).
     * \param peer the peer
     * \param deleteIke true: the IKE SA itself; false: its child SAs
     * \param done called once with the outcome (may be null)
     */
    void QueueDelete(Ipv4Address peer, bool deleteIke, DoneCallback done);

    /** \param ike an IKE SA with a Delete request current: send INFORMATIONAL */
    void SendDelete(IkeSa& ike);

    /**
     * Queue an INFORMATIONAL Delete of some children (unless already being deleted).
     * \param ike the IKE SA
     * \param children the children
     */
    void QueueChildDelete(IkeSa& ike, const std::vector<uint64_t>& children);

    /**
     * Initiator: the answer's traffic selectors were not within the proposal; delete the
     * pair just installed and fail the request.
     * \param ike the IKE SA
     * \param childId the pair
     */
    void RefuseWidenedTs(IkeSa& ike, uint64_t childId);

    /**
     * After a re-key of a child completed on this end (as initiator or responder): delete
     * the old pair if this end initiated the surviving re-key (RFC 7296 §2.8), and resolve
     * a simultaneous re-key by the nonces (§2.8.1).
     * \param ike the IKE SA
     * \param oldId the re-keyed child
     */
    void FinishRekey(IkeSa& ike, uint64_t oldId);

    /**
     * Forget an IKE SA: remove its child SAs from the SAD (RFC 7296 §1.4.1), fail its child
     * requests (done callbacks), cancel its timers.
     * \param localSpi the IKE SA
     */
    void CloseIkeSa(uint64_t localSpi);

    /**
     * \param msg an IKE_SA_INIT request
     * \param raw its bytes
     * \param from the sender
     * \param local our address
     */
    void HandleSaInitRequest(const IkeMessage& msg,
                             const std::vector<uint8_t>& raw,
                             Ipv4Address from,
                             Ipv4Address local);
    /**
     * \param ike the IKE SA
     * \param msg the IKE_SA_INIT response
     * \param raw its bytes
     */
    void HandleSaInitResponse(IkeSa& ike, const IkeMessage& msg, const std::vector<uint8_t>& raw);
    /** \param ike the IKE SA \param msg the decrypted IKE_AUTH request */
    void HandleAuthRequest(IkeSa& ike, const IkeMessage& msg);
    /** \param ike the IKE SA \param msg the decrypted IKE_AUTH response */
    void HandleAuthResponse(IkeSa& ike, const IkeMessage& msg);
    /** \param ike the IKE SA \param msg the decrypted CREATE_CHILD_SA request */
    void HandleCreateChildRequest(IkeSa& ike, const IkeMessage& msg);
    /** \param ike the IKE SA \param msg the decrypted CREATE_CHILD_SA response */
    void HandleCreateChildResponse(IkeSa& ike, const IkeMessage& msg);
    /** \param ike the IKE SA \param msg the decrypted INFORMATIONAL request */
    void HandleInformationalRequest(IkeSa& ike, const IkeMessage& msg);
    /** \param ike the IKE SA \param msg the decrypted INFORMATIONAL response */
    void HandleInformationalResponse(IkeSa& ike, const IkeMessage& msg);

    /**
     * Fill in the header's SPIs and flags and serialise (SK-protected when msg.encrypted); an
     * IKE_SA_INIT message is kept for AUTH.
     * \param ike the IKE SA
     * \param msg the message (message ID set by the caller)
     * \param response a response
     * \return the packet, or its RFC 7383 fragments (both ends support them and it is
     *         larger than FragmentSize allows)
     */
    IkeDatagrams Serialize(IkeSa& ike, IkeMessage& msg, bool response);

    /**
     * Install a pair negotiated under an IKE SA (IkeChildSaManager::Install with its keys and
     * addresses; the responder's outbound SA held back).
     * \param ike the IKE SA
     * \param spec what it protects
     * \param spiIn our inbound SPI
     * \param spiOut our outbound SPI
     * \param gir the exchange's DH secret (PFS) or empty
     * \param ni the exchange's initiator nonce
     * \param nr the exchange's responder nonce
     * \param weInitiated this end sent the request
     * \return the child's id
     */
    uint64_t InstallChild(const IkeSa& ike,
                          const IkeChildSpec& spec,
                          uint32_t spiIn,
                          uint32_t spiOut,
                          const std::vector<uint8_t>& gir,
                          const std::vector<uint8_t>& ni,
                          const std::vector<uint8_t>& nr,
                          bool weInitiated);

    /**
     * Install the pair our request asked for, once the answer came: null when the answer's
     * selectors were wider than proposed (then RefuseWidenedTs deleted it).
     * \param ike the IKE SA (its request current)
     * \param spiOut the peer's SPI
     * \param gir the exchange's DH secret (PFS) or empty
     * \param ni the exchange's initiator nonce
     * \param nr the exchange's responder nonce
     * \param tsOk the selectors of the answer were acceptable
     * \return the child's id, or 0
     */
    uint64_t InstallAnswered(IkeSa& ike,
                             uint32_t spiOut,
                             const std::vector<uint8_t>& gir,
                             const std::vector<uint8_t>& ni,
                             const std::vector<uint8_t>& nr,
                             bool tsOk);

    /**
     * Send a request and arm its retransmission.
     * \param ike the IKE SA
     * \param msg the message (header fields other than length are set here)
     * \param delay CPU delay before it leaves
     */
    void SendRequest(IkeSa& ike, IkeMessage msg, Time delay);

    /**
     * Send a response to the peer's current request (and cache it).
     * \param ike the IKE SA
     * \param msg the message
     * \param delay CPU delay before it leaves
     * \param then run after it left (may be empty)
     */
    void SendResponse(IkeSa& ike, IkeMessage msg, Time delay, std::function<void()> then = {});

    /**
     * Hand a packet to the socket and count it.
     * \param p the message
     * \param peer where to
     * \param type its exchange
     * \param response true for a response
     */
    void Transmit(Ptr<Packet> p, Ipv4Address peer, IkeExchangeType type, bool response);

    /**
     * Transmit each datagram of a message (its fragments).
     * \param d the datagrams
     * \param peer where to
     * \param type its exchange
     * \param response true for a response
     */
    void Transmit(const IkeDatagrams& d, Ipv4Address peer, IkeExchangeType type, bool response);

    /** \param localSpi the IKE SA whose request timed out */
    void Retransmit(uint64_t localSpi);

    /**
     * Give up an IKE SA: fire Failed, then CloseIkeSa (child SAs removed, requests failed).
     * \param localSpi the IKE SA
     * \param reason why
     */
    void FailIkeSa(uint64_t localSpi, const std::string& reason);

    /**
     * Finish the child request in flight.
     * \param ike the IKE SA
     * \param ok success
     * \param reason failure reason (for Failed)
     */
    void FinishCurrent(IkeSa& ike, bool ok, const std::string& reason);

    /**
     * Count and trace a dropped datagram.
     * \param p the datagram
     * \param from its sender
     * \param reason why
     * \param detail more, for the log
     */
    void DropPacket(Ptr<const Packet> p,
                    Ipv4Address from,
                    const std::string& reason,
                    const std::string& detail);

    // --- negotiation pieces ---
    /** \return the proposals (EnsureRunning made them) */
    const IkeProposals& Proposals() const;
    /**
     * Check a child proposal against ours, logging why it is refused.
     * \param p the proposal
     * \param spec what is asked for (out: the protocol)
     * \param dh out: its DH group, 0 for none
     * \return true if acceptable
     */
    bool AcceptChildProposal(const IkeProposal& p, IkeChildSpec& spec, uint16_t& dh) const;
    /** \return the SPD's fwd and in policies, which narrow a tunnel child's selectors */
    std::vector<SecurityPolicy> TunnelPolicies() const;
    /** \return the AUTH method number configured */
    uint8_t AuthMethodNumber() const;
    /** \return bytes of our certificate (cert methods) */
    uint32_t CertificateSize() const;
    /**
     * Book public-key operations on the CPU.
     * \param ops the operations, in order
     * \return the delay until the last completes
     */
    Time Charge(std::initializer_list<KeyOperation> ops);
    /** \return sign operation of the configured method */
    KeyOperation SignOperation() const;
    /** \return verify operation of the configured method */
    KeyOperation VerifyOperation() const;

    /** \param n count \return n random bytes */
    std::vector<uint8_t> RandomBytes(uint32_t n);
    /** \return a fresh IKE SPI not in use */
    uint64_t NewIkeSpi();
    /**
     * \param local our address
     * \param proto the protocol
     * \return a fresh child SPI unused in the SAD and in pending children
     */
    uint32_t NewChildSpi(Ipv4Address local, IpsecProtocol proto);
    /**
     * Modeled DH shared secret (ikev2::ModeledSharedSecret of the group's size).
     * \param keI initiator's public value
     * \param keR responder's public value
     * \param group the group
     * \return g^ir
     */
    static std::vector<uint8_t> SharedSecret(const std::vector<uint8_t>& keI,
                                             const std::vector<uint8_t>& keR,
                                             uint16_t group);
    /**
     * Derive SKEYSEED and SK_* (RFC 7296 §2.14, ikev2::Skeyseed and ikev2::DeriveIkeSaKeys)
     * and store the keys in the IKE SA.
     * \param ike the IKE SA (nonces, SPIs set)
     * \param gir the shared secret
     */
    static void DeriveIkeKeys(IkeSa& ike, const std::vector<uint8_t>& gir);
    /**
     * \param ike the IKE SA
     * \param sentByInitiator whose keys
     * \return the SK keys of that sender
     */
    static const IkeSkKeys& KeysOf(const IkeSa& ike, bool sentByInitiator);
    /**
     * Compute AUTH data over the signer's octets (ikev2::SignedOctets): ikev2::AuthPsk for
     * the pre-shared key, a modeled signature otherwise.
     * \param ike the IKE SA
     * \param byInitiator whose AUTH
     * \param idPayload the signer's ID payload
     * \param method AUTH method number
     * \return the data
     */
    std::vector<uint8_t> ComputeAuth(const IkeSa& ike,
                                     bool byInitiator,
                                     const IkePayload& idPayload,
                                     uint8_t method) const;
    /**
     * \param idPayload an ID payload
     * \param size bytes
     * \return the modeled certificate of that identity
     */
    static std::vector<uint8_t> ModeledCertificate(const IkePayload& idPayload, uint32_t size);
    /**
     * Verify the peer's AUTH (and CERT).
     * \param ike the IKE SA
     * \param msg the message with ID, AUTH (and CERT)
     * \param peerIsInitiator the peer is the IKE initiator
     * \return empty, or the failure reason
     */
    std::string VerifyPeerAuth(const IkeSa& ike, const IkeMessage& msg, bool peerIsInitiator) const;
    /**
     * \param local our address
     * \param byInitiator IDi instead of IDr
     * \return our ID payload
     */
    static IkePayload IdPayload(Ipv4Address local, bool byInitiator);
    /**
     * NAT_DETECTION_*_IP data: ikev2::NatDetectionHash of an address and the IKE port.
     * \param spiI initiator SPI
     * \param spiR responder SPI
     * \param addr address
     * \return 20 bytes
     */
    static std::vector<uint8_t> NatHash(uint64_t spiI, uint64_t spiR, Ipv4Address addr);

    // --- the IPsec layer's notifications (KeyManagementSapUser) ---
    /**
     * An outbound packet needs an SA (AutoInitiate).
     * \param policy the policy
     * \param request the request without SA
     * \param selector the packet
     */
    void DoAcquire(const SecurityPolicy& policy,
                   const IpsecRequest& request,
                   const PacketSelector& selector);
    /** \param sa an SA that reached its soft lifetime: re-key its pair */
    void DoSoftExpired(Ptr<const SecurityAssociation> sa);
    /** \param sa an SA that left the SAD */
    void DoSaRemoved(Ptr<const SecurityAssociation> sa);
    /** A protected packet was accepted: held-back outbound SAs may go live. */
    void DoProtectedReceived();

    /**
     * \param peer an address
     * \return our address towards it (route lookup), or any
     */
    Ipv4Address LocalAddressFor(Ipv4Address peer) const;
    /**
     * \param peer a peer
     * \param anyState also IKE SAs still negotiating
     * \return the IKE SA with it, or nullptr
     */
    IkeSa* FindIkeSa(Ipv4Address peer, bool anyState);

    /**
     * Open a hand-over record.
     * \param address the new address
     * \param own ours (else the peer's)
     */
    void OpenHandover(Ipv4Address address, bool own);
    /**
     * Count an IKE message, sent or received, into the stats, the open hand-over and the
     * host's trace.
     * \param sent sent, else received
     * \param type its exchange
     * \param size its bytes
     * \param peer the other end
     * \param response a response
     */
    void CountMessage(bool sent,
                      IkeExchangeType type,
                      uint32_t size,
                      Ipv4Address peer,
                      bool response);
    /**
     * The host's callback for a pair usable for sending.
     * \param peer the peer
     */
    void NotifyChildUsable(Ipv4Address peer);
    /** \return the node */
    Ptr<Node> GetNode() const;

    Config m_cfg;                                           //!< configuration
    Ptr<Node> m_node;                                       //!< the node
    KeyManagementSapProvider* m_km{nullptr};                //!< the IPsec layer's calls down
    MemberKeyManagementSapUser<IkeProtocol> m_kmUser{this}; //!< the IPsec layer's notifications
    Ptr<CryptoCostModel> m_cost;                            //!< the node's CPU model (may be null)
    Ptr<UniformRandomVariable> m_rng;                       //!< SPIs, nonces, KE values, IVs
    IkeProtocolUser* m_user{nullptr};                       //!< the host
    bool m_running{false};                                  //!< started and not stopped
    bool m_stopped{false};                                  //!< Stop ran
    std::set<Ipv4Address> m_passive;                        //!< peers only answered (SetPassive)
    std::map<uint64_t, IkeSa> m_ikeSas;                     //!< by local SPI
    IkeChildSaManager m_childSas;                           //!< the child SA pairs
    std::optional<IkeProposals> m_proposals;                //!< what we offer and accept
    Stats m_stats;                                          //!< counters
    std::vector<Ipv4Address> m_addresses; //!< the node's addresses at the last change
    bool m_addressLost{false};            //!< an address went away; the next new one hands over
    std::optional<size_t> m_openHandover; //!< index into m_stats.handovers
};

/**
 * \param m a method
 * \return `psk`, `rsa-cert` or `ecdsa-cert`
 */
std::string ToString(IkeProtocol::AuthMethod m);

} // namespace ns3

#endif // PRESEC_IKE_PROTOCOL_H
