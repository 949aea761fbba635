/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_IKE_AGENT_H
#define PRESEC_IKE_AGENT_H

#include "ike-protocol-user.h"
#include "ike-protocol.h"

#include "ns3/application.h"
#include "ns3/callback.h"
#include "ns3/event-id.h"
#include "ns3/ipsec-algorithms.h"
#include "ns3/ipv4-address.h"
#include "ns3/key-management-sap.h"
#include "ns3/nstime.h"
#include "ns3/security-association.h"
#include "ns3/security-policy.h"
#include "ns3/traced-callback.h"

#include <array>
#include <deque>
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ns3
{

class Socket;
class Packet;
class Address;
class UniformRandomVariable;
class IpsecLayer;
class CryptoCostModel;
class AddressWatcher;
class Ipv4Header;
struct PacketSelector;
enum class KeyOperation : uint8_t;

/**
 * \ingroup presec-ike
 * An IKEv2-like key-exchange daemon (RFC 7296) for one node: it negotiates child SAs with
 * peers over UDP port 500 and installs them into the node's SecurityAssociationDatabase
 * (the patent's "negotiation between the individual communication apparatus").
 *
 * Exchanges:
 *  - IKE_SA_INIT (34) and IKE_AUTH (35): Initiate() — or, with AutoInitiate, the IpsecLayer's
 *    Acquire trace (a `require` policy without SA) — creates an IKE SA and the first child SA
 *    pair in two round trips. Each agent installs into its own node's SAD: the initiator
 *    both SAs when the IKE_AUTH answer arrives; the responder its inbound SA when it
 *    answers, its outbound SA when the first packet arrives on that inbound SA (the
 *    initiator has installed by then) or after ResponderOutboundDelay — so no packet is
 *    sent under an SPI the initiator does not know yet (as strongSwan delays the
 *    responder's outbound SA). A further Initiate() to a peer with an IKE SA uses
 *    CREATE_CHILD_SA.
 *  - CREATE_CHILD_SA (36): re-key. The SAD's SoftExpired trace starts a re-key; the new SA
 *    pair is installed next to the old one (FindOutbound prefers the newest), and the end
 *    that initiated the re-key deletes the old pair with an INFORMATIONAL Delete as soon as
 *    the new one is installed (RFC 7296 §2.8, as strongSwan does): it stops sending on the
 *    old outbound SA at once and keeps the old inbound SA until the Delete is answered; the
 *    other end takes its new outbound SA into use when the Delete arrives. Soft expiry of
 *    either SA of a pair starts the re-key, whatever its cause: time (ChildSoftLifetime),
 *    bytes (ChildSoftLifetimeBytes) or sequence numbers running out
 *    (SecurityAssociation::SOFT_SEQUENCE_LIMIT). The end that negotiated a child re-keys it
 *    at the soft lifetime; the other end's SAs get their soft lifetimes (time and bytes)
 *    half-way to the hard ones, so it only steps in when the first did not. Simultaneous
 *    re-keys of one child (RFC 7296 §2.8.1): both exchanges complete; the new pair created
 *    with the lowest of the four nonces is redundant and the end that initiated it deletes
 *    it; the end that initiated the other new pair deletes the old one. A TEMPORARY_FAILURE
 *    answer to a re-key is retried after RetransmitTimeout.
 *  - INFORMATIONAL (37): DeleteChildSas() sends Delete payloads for the child SAs shared
 *    with a peer (an empty INFORMATIONAL is a liveness check); both ends remove the SAs.
 *    DeleteIkeSa() sends a Delete of the IKE SA. Closing an IKE SA — by a Delete sent and
 *    answered, a Delete received, a failure (retransmissions exhausted) or an INITIAL_CONTACT —
 *    removes every child SA negotiated under it from the SAD (RFC 7296 §1.4.1); an
 *    authenticated IKE_AUTH request with INITIAL_CONTACT closes the other IKE SAs with the same
 *    identity that were established before it began (RFC 7296 §2.4), without a Delete.
 *  - Liveness (RFC 7296 §2.4, ike-liveness.cc): with DpdDelay > 0, an IKE SA that has heard
 *    nothing from its peer for DpdDelay — no authenticated IKE message and no packet on the
 *    inbound SAs of its children (the packet counts are read at each check, so a packet
 *    counts as heard at the check that sees it) — sends an empty INFORMATIONAL request
 *    unless a request of its own is already under way; both tell whether the peer is
 *    alive. A request whose retransmissions are exhausted fails the IKE SA as always; for a
 *    liveness check the reason is "dead-peer" (Stats::deadPeers). Both ends check.
 *
 * Wire format (see IkeHeader, IkePayload, IkeMessage): real RFC 7296 encoding, so tshark
 * dissects it. IKE SA suite ENCR_AES_CBC-128 / PRF_HMAC_SHA1 / AUTH_HMAC_SHA1_96 and the DH
 * group of DhGroup; SK payloads really are AES-CBC encrypted and HMAC-SHA1-96 protected with
 * the derived SK_e / SK_a. Message sizes (IKE bytes; +28 on the wire) with one proposal,
 * 32-byte nonces and ID_IPV4_ADDR identities:
 *
 *  | message                          | X25519 | MODP-2048 |
 *  |----------------------------------|--------|-----------|
 *  | IKE_SA_INIT request              | 208    | 432       |
 *  | IKE_SA_INIT response (psk)       | 208    | 432       |
 *  | IKE_SA_INIT response (cert)      | 233    | 457       |  (+ CERTREQ)
 *  | IKE_AUTH request (psk)           | 236    |           |
 *  | IKE_AUTH response (psk)          | 204    |           |
 *  | IKE_AUTH request (rsa-cert)      | 1500   |           |  (1000-byte certificate)
 *  | IKE_AUTH response (rsa-cert)     | 1452   |           |
 *  | IKE_AUTH request (ecdsa-cert)    | 860    |           |  (560-byte certificate)
 *  | IKE_AUTH response (ecdsa-cert)   | 812    |           |
 *  | CREATE_CHILD_SA request/response | 204    |           |  (re-key or new child, no PFS)
 *  | CREATE_CHILD_SA with PFS         | 252    | 476       |
 *  | CREATE_CHILD_SA, tunnel mode     | 188    |           |
 *  | INFORMATIONAL, Delete of 2 SPIs  | 92     |           |  (empty: 76)
 *
 * (ESP with aes-gcm-16 in transport mode; other child algorithms may move a message by one
 * 16-byte cipher block. The rsa-cert IKE_AUTH request, 1528 bytes on the wire, is
 * IP-fragmented on a 1500-byte MTU unless both ends have Fragmentation on.)
 *
 * Fragmentation (RFC 7383, ike-fragmentation.cc; Fragmentation attribute, off by default so
 * the sizes above stay): each IKE_SA_INIT message carries N(IKEV2_FRAGMENTATION_SUPPORTED)
 * (+8 bytes); on an IKE SA both ends announced it on, a protected message larger than a
 * datagram of FragmentSize (1280, IPv4 and UDP headers included) allows goes as SKF
 * fragments, each encrypted and protected on its own (64 bytes of header, fields, IV and ICV
 * around 16-byte blocks: 1248 + rest for the rsa-cert IKE_AUTH request). A receiver checks
 * each fragment's ICV before it keeps the piece (IkeReassembly) and processes the message
 * when all are there. A lost fragment costs the whole message: the requester retransmits
 * all fragments; a repeated request makes the responder resend its response only on
 * fragment 1 (§2.6.1). A fragment with fewer Total Fragments than those kept is dropped
 * ("fragment"); one with more starts the message over.
 *
 * What is modeled rather than computed: Diffie-Hellman public values are random bytes of
 * the group's size and the shared secret is a PRF of both; certificates are opaque bytes
 * derived from the identity (every agent trusts the same modeled CA); signatures are PRF
 * outputs of the signer's identity and the signed octets. The pre-shared-key AUTH is the
 * real RFC 7296 §2.15 computation, so mismatching keys fail. Key material (SKEYSEED, SK_*,
 * KEYMAT) follows RFC 7296 §2.14 / §2.17 with HMAC-SHA1 (the ikev2 functions of
 * ike-key-schedule.h), so it is reproducible from the random streams (AssignStreams).
 *
 * CPU: every DH key generation or derivation, signature and verification is booked on the
 * node's CryptoCostModel (if aggregated) with ProcessKeyOperation, and the message or the SA
 * installation that depends on it waits for the returned delay.
 *
 * Reliability (RFC 7296 §2.1): the initiator of an exchange retransmits after
 * RetransmitTimeout, doubling it each time, MaxRetransmits times, then fails ("timeout").
 * A responder answers a repeated request with its cached response. Malformed datagrams,
 * unknown SPIs, unexpected message IDs and failed integrity checks are dropped and counted.
 *
 * Mobility (ike-mobility.cc): the agent watches the node's addresses (an AddressWatcher in
 * its Ipv4ListRouting, as the presence monitor does). An IKE SA whose local address went away
 * sends nothing more: without MOBIKE it is deleted locally with its child SAs (a Delete cannot
 * leave from an address that is gone) and the next need negotiates from the new address; the
 * application's FollowPeer() does the same for an IKE SA with a peer that moved. With the
 * Mobike attribute on both ends (N(MOBIKE_SUPPORTED) in IKE_AUTH, RFC 4555 §3.3) the original
 * initiator moves the IKE SA and its child SAs (SPIs kept, SAD entries re-addressed) with one
 * INFORMATIONAL exchange carrying N(UPDATE_SA_ADDRESSES) and NAT detection payloads of the new
 * addresses (RFC 4555 §3.5), whether its own address or the peer's changed (the peer's new
 * address comes from the application, FollowPeer); a responder whose address changed cannot
 * update and waits (MobikeWait) for the initiator's update, then deletes locally. Each move is
 * measured in Stats::handovers (IKE messages and bytes, time to the first protected packet on
 * the new address).
 *
 * Structure: this Application holds the socket, the attributes, the API and the trace sources;
 * the protocol is IkeProtocol's (its exchanges, IkeSa, IkeProposals, IkeChildSaManager), which
 * reaches the IPsec layer through the KeyManagementSap pair (doc/ike.rst, "Structure").
 *
 * Not modeled: IKE SA re-key and lifetime, cookies, NAT traversal (NAT-D is sent, not
 * checked; MOBIKE's NAT-D is checked and only logged), path-MTU discovery for fragmentation
 * (FragmentSize is fixed), EAP, configuration payloads, IPComp negotiation, several
 * proposals.
 */
class IkeAgent : public Application
{
  public:
    /** Authentication of the peers. */
    typedef IkeProtocol::AuthMethod AuthMethod;

    /** Diffie-Hellman group of the IKE SA (and of PFS). */
    enum class DhGroup : uint8_t
    {
        X25519,   //!< group 31, 32-byte public values
        MODP2048, //!< group 14, 256-byte public values
    };

    /** Result callback of Initiate: (success, peer). */
    typedef IkeDoneCallback DoneCallback;

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    // Drop reasons of received datagrams (Stats::dropsByReason, the Drop trace): IkeProtocol's.
    static constexpr const char* MALFORMED_DROP = IkeProtocol::MALFORMED_DROP; //!< see there
    static constexpr const char* UNKNOWN_EXCHANGE_DROP =
        IkeProtocol::UNKNOWN_EXCHANGE_DROP;                                        //!< see there
    static constexpr const char* UNKNOWN_SPI_DROP = IkeProtocol::UNKNOWN_SPI_DROP; //!< see there
    static constexpr const char* UNEXPECTED_DROP = IkeProtocol::UNEXPECTED_DROP;   //!< see there
    static constexpr const char* INTEGRITY_DROP = IkeProtocol::INTEGRITY_DROP;     //!< see there
    static constexpr const char* BAD_MESSAGE_ID_DROP =
        IkeProtocol::BAD_MESSAGE_ID_DROP;                                        //!< see there
    static constexpr const char* STALE_INIT_DROP = IkeProtocol::STALE_INIT_DROP; //!< see there
    static constexpr const char* UNAUTHENTICATED_ERROR_DROP =
        IkeProtocol::UNAUTHENTICATED_ERROR_DROP;                             //!< see there
    static constexpr const char* FRAGMENT_DROP = IkeProtocol::FRAGMENT_DROP; //!< see there
    /// Failed reason: a liveness check went unanswered (DpdDelay)
    static constexpr const char* DEAD_PEER = IkeProtocol::DEAD_PEER;

    /** The counters (IkeProtocol::Stats). */
    typedef IkeProtocol::Stats Stats;

    IkeAgent();
    ~IkeAgent() override;

    /**
     * Negotiate a child SA pair with a peer: IKE_SA_INIT + IKE_AUTH when there is no IKE SA
     * with it yet, else CREATE_CHILD_SA. The peer must run an IkeAgent.
     * \param peer the peer's address (also the SA endpoint; the tunnel endpoint in tunnel mode)
     * \param proto esp or ah (ipcomp is not negotiated)
     * \param mode transport or tunnel
     * \param done called once with the outcome (may be null)
     */
    void Initiate(Ipv4Address peer,
                  IpsecProtocol proto,
                  IpsecMode mode,
                  DoneCallback done = DoneCallback());

    /**
     * Called when a child SA pair with a peer is installed, on either side, and again when a
     * responder takes its outbound SA into use (ResponderOutboundDelay): (peer).
     */
    typedef Callback<void, Ipv4Address> ChildInstalledCallback;

    /**
     * Make the agent answer a peer but never start exchanges with it on its own (no
     * initiation on Acquire): the peer's side asks for the SAs both need (the apparatus'
     * requester; RFC 7296 lets either side initiate, presec has one ask per need).
     * \param peer the peer
     * \param passive true to stay passive towards it, false to undo
     */
    void SetPassive(Ipv4Address peer, bool passive);

    /**
     * \param peer a peer
     * \return true if the agent is passive towards it
     */
    bool IsPassive(Ipv4Address peer) const;

    /**
     * Set the user's callback for installed child SAs (one user: the application that
     * provisions SAs waits on it instead of watching the SAD).
     * \param cb the callback (null: none)
     */
    void SetChildInstalledCallback(ChildInstalledCallback cb);

    /**
     * Delete every child SA pair shared with a peer: an INFORMATIONAL exchange with Delete
     * payloads (RFC 7296 §1.4.1); both ends remove the SAs. With no child SAs the exchange
     * is an empty INFORMATIONAL, a liveness check. The IKE SA stays.
     * \param peer the peer (an established IKE SA with it is needed)
     * \param done called once with the outcome (may be null)
     */
    void DeleteChildSas(Ipv4Address peer, DoneCallback done = DoneCallback());

    /**
     * Delete the IKE SA with a peer: an INFORMATIONAL exchange with a Delete payload for the
     * IKE SA (RFC 7296 §1.4.1). Both ends close the IKE SA and remove its child SAs.
     * \param peer the peer (an established IKE SA with it is needed)
     * \param done called once with the outcome (may be null)
     */
    void DeleteIkeSa(Ipv4Address peer, DoneCallback done = DoneCallback());

    /** \return the counters */
    const Stats& GetStats() const;

    /**
     * The application learnt that a peer moved (its presence names a new address). With an
     * established MOBIKE IKE SA of which we are the original initiator, an UPDATE_SA_ADDRESSES
     * exchange (RFC 4555 §3.5) moves it and its child SAs (SPIs kept) to the new address;
     * \p done follows. Otherwise the IKE SA with the old address is deleted locally with its
     * child SAs (a Delete cannot reach an address that is gone) and nothing is sent: the
     * caller negotiates from scratch with the new address.
     * \param from the peer's old address
     * \param to its new address
     * \param done called once with the outcome of the update (only when true is returned)
     * \return true if an address update started
     */
    bool FollowPeer(Ipv4Address from, Ipv4Address to, DoneCallback done = DoneCallback());

    /**
     * \param peer a peer
     * \return true if the IKE SA with it negotiated MOBIKE (both sent MOBIKE_SUPPORTED)
     */
    bool IsMobike(Ipv4Address peer) const;

    /**
     * \param peer a peer
     * \return true if an established IKE SA with it exists
     */
    bool HasIkeSa(Ipv4Address peer) const;

    /** \return the number of child SA pairs this agent knows (replaced ones included) */
    uint32_t GetNChildSas() const;

    /**
     * Assign a fixed random variable stream number.
     * \param stream first stream index
     * \return the number of streams used (1)
     */
    int64_t AssignStreams(int64_t stream);

    /**
     * Signature of MessageSent / MessageReceived.
     * \param exchangeType 34..37
     * \param size IKE message bytes
     * \param peer the other end
     * \param response true for a response
     */
    typedef void (*MessageTracedCallback)(uint8_t exchangeType,
                                          uint32_t size,
                                          Ipv4Address peer,
                                          bool response);

    /**
     * Signature of SaEstablished.
     * \param peer the other end
     * \param spiIn SPI of the new inbound SA
     * \param spiOut SPI of the new outbound SA
     * \param setupTime from the request (Initiate / Acquire / first message received) to
     *        installation
     */
    typedef void (*EstablishedTracedCallback)(Ipv4Address peer,
                                              uint32_t spiIn,
                                              uint32_t spiOut,
                                              Time setupTime);

    /**
     * Signature of Rekeyed. After a simultaneous re-key (RFC 7296 §2.8.1) it has fired for
     * both new pairs on each end; the redundant one is deleted right after.
     * \param peer the other end
     * \param oldSpiIn inbound SPI of the replaced pair
     * \param newSpiIn inbound SPI of the new pair
     * \param newSpiOut outbound SPI of the new pair
     */
    typedef void (*RekeyedTracedCallback)(Ipv4Address peer,
                                          uint32_t oldSpiIn,
                                          uint32_t newSpiIn,
                                          uint32_t newSpiOut);

    /**
     * Signature of Failed.
     * \param peer the other end
     * \param reason e.g. `timeout`, `authentication-failed`, `no-proposal-chosen`,
     *        `no-integrity` (the configured child algorithms give ESP or AH no ICV)
     */
    typedef void (*FailedTracedCallback)(Ipv4Address peer, const std::string& reason);

    /**
     * Signature of Drop.
     * \param packet the datagram
     * \param from its sender
     * \param reason `malformed`, `unknown-exchange`, `unknown-spi`, `unexpected`,
     *        `bad-message-id`, `integrity`, `stale-init`
     */
    typedef void (*DropTracedCallback)(Ptr<const Packet> packet,
                                       Ipv4Address from,
                                       const std::string& reason);

  protected:
    /** Release references (ns-3 Object disposal). */
    void DoDispose() override;

  private:
    friend class MemberIkeProtocolUser<IkeAgent>;

    void StartApplication() override;
    void StopApplication() override;

    /** \param s `psk`, `rsa-cert` or `ecdsa-cert` (aborts otherwise) */
    void SetAuthentication(std::string s);
    /** \return the Authentication attribute */
    std::string GetAuthentication() const;
    /** \param s `x25519` or `modp2048` (aborts otherwise) */
    void SetDhGroup(std::string s);
    /** \return the DhGroup attribute */
    std::string GetDhGroup() const;
    /** \param s a setkey encryption name (aborts when unknown) */
    void SetEncryptionName(std::string s);
    /** \return the EncryptionAlgorithm attribute */
    std::string GetEncryptionName() const;
    /** \param s a setkey authentication name (aborts when unknown) */
    void SetIntegrityName(std::string s);
    /** \return the IntegrityAlgorithm attribute */
    std::string GetIntegrityName() const;

    /** Make sure the socket, the engine and the connections exist. \return false if impossible */
    bool EnsureRunning();
    /** Close the socket and disconnect (stop, dispose). */
    void Disconnect();
    /** Socket receive callback. \param socket the socket */
    void HandleRead(Ptr<Socket> socket);
    /** Install the address watcher (EnsureRunning). */
    void WatchAddresses();
    /** The node's addresses changed (AddressWatcher): tell the engine. */
    void OnAddressesChanged();
    /**
     * ProtectedTx sink (measurement): the hand-over's first protected packet sent.
     * \param p the packet
     * \param h its outer header
     */
    void OnProtectedTx(Ptr<const Packet> p, const Ipv4Header& h);
    /**
     * ProtectedRx sink (measurement): the hand-over's first protected packet received.
     * \param p the packet
     * \param h its header
     */
    void OnProtectedRx(Ptr<const Packet> p, const Ipv4Header& h);

    // --- IkeProtocolUser: the engine's needs and news ---
    /** \param p a message \param peer where to: out of the socket */
    void DoSend(Ptr<Packet> p, Ipv4Address peer);
    /**
     * MessageSent / MessageReceived.
     * \param sent sent, else received
     * \param type exchange
     * \param size bytes
     * \param peer other end
     * \param response a response
     */
    void DoMessageSeen(bool sent,
                       IkeExchangeType type,
                       uint32_t size,
                       Ipv4Address peer,
                       bool response);
    /**
     * SaEstablished.
     * \param peer other end
     * \param spiIn inbound SPI
     * \param spiOut outbound SPI
     * \param setupTime setup time
     */
    void DoEstablished(Ipv4Address peer, uint32_t spiIn, uint32_t spiOut, Time setupTime);
    /**
     * Rekeyed.
     * \param peer other end
     * \param oldSpiIn old inbound SPI
     * \param newSpiIn new inbound SPI
     * \param newSpiOut new outbound SPI
     */
    void DoRekeyed(Ipv4Address peer, uint32_t oldSpiIn, uint32_t newSpiIn, uint32_t newSpiOut);
    /** Failed. \param peer other end \param reason why */
    void DoFailed(Ipv4Address peer, const std::string& reason);
    /** Drop. \param p datagram \param from sender \param reason why */
    void DoDropped(Ptr<const Packet> p, Ipv4Address from, const std::string& reason);
    /** The user's ChildInstalledCallback. \param peer the peer */
    void DoChildUsable(Ipv4Address peer);

    // --- attributes ---
    AuthMethod m_auth{AuthMethod::PSK}; //!< Authentication
    DhGroup m_dh{DhGroup::X25519};      //!< DhGroup
    std::string m_psk;                  //!< PreSharedKey
    std::string m_encName;              //!< EncryptionAlgorithm attribute
    uint32_t m_encKeyBits{128};         //!< EncryptionKeyLength attribute
    std::string m_integName;            //!< IntegrityAlgorithm attribute
    Time m_softLifetime;                //!< ChildSoftLifetime
    Time m_hardLifetime;                //!< ChildHardLifetime
    uint64_t m_softBytes{0};            //!< ChildSoftLifetimeBytes
    uint64_t m_hardBytes{0};            //!< ChildHardLifetimeBytes
    Time m_rekeyMargin;                 //!< RekeyMargin
    bool m_pfs{false};                  //!< Pfs
    Time m_rto;                         //!< RetransmitTimeout
    uint32_t m_maxRetransmits{4};       //!< MaxRetransmits
    Time m_initErrorWait;               //!< InitErrorWait
    bool m_autoInitiate{false};         //!< AutoInitiate
    uint32_t m_certSize{0};             //!< CertificateSize (0: per method)
    uint32_t m_nonceSize{32};           //!< NonceSize
    Time m_responderOutboundDelay;      //!< ResponderOutboundDelay
    Time m_halfOpenTimeout;             //!< HalfOpenTimeout
    uint32_t m_replayWindow{64};        //!< ReplayWindow
    bool m_mobike{false};               //!< Mobike
    Time m_mobikeWait;                  //!< MobikeWait
    Time m_dpdDelay;                    //!< DpdDelay
    bool m_fragmentation;               //!< Fragmentation
    uint32_t m_fragmentSize;            //!< FragmentSize

    // --- state ---
    IkeProtocol m_protocol;                               //!< the engine
    MemberIkeProtocolUser<IkeAgent> m_protocolUser{this}; //!< what the engine calls
    ChildInstalledCallback m_childInstalled; //!< the user's callback (SetChildInstalledCallback)
    Ptr<Socket> m_socket;                    //!< UDP 500
    Ptr<IpsecLayer> m_layer;                 //!< the node's IPsec layer
    Ptr<UniformRandomVariable> m_rng;        //!< SPIs, nonces, KE values, IVs
    bool m_running{false};                   //!< socket open, engine started
    bool m_stopped{false};                   //!< StopApplication ran
    Ptr<AddressWatcher> m_watcher;           //!< address changes of the node

    TracedCallback<uint8_t, uint32_t, Ipv4Address, bool> m_sentTrace;         //!< MessageSent
    TracedCallback<uint8_t, uint32_t, Ipv4Address, bool> m_receivedTrace;     //!< MessageReceived
    TracedCallback<Ipv4Address, uint32_t, uint32_t, Time> m_establishedTrace; //!< SaEstablished
    TracedCallback<Ipv4Address, uint32_t, uint32_t, uint32_t> m_rekeyedTrace; //!< Rekeyed
    TracedCallback<Ipv4Address, const std::string&> m_failedTrace;            //!< Failed
    TracedCallback<Ptr<const Packet>, Ipv4Address, const std::string&> m_dropTrace; //!< Drop
};

} // namespace ns3

#endif // PRESEC_IKE_AGENT_H
