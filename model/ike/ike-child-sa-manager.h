/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_IKE_CHILD_SA_MANAGER_H
#define PRESEC_IKE_CHILD_SA_MANAGER_H

#include "ike-child-sa.h"

#include "ns3/callback.h"
#include "ns3/ipsec-algorithms.h"
#include "ns3/nstime.h"

#include <map>
#include <set>
#include <vector>

namespace ns3
{

class KeyManagementSapProvider;
class UniformRandomVariable;

/**
 * \ingroup presec-ike
 * The Child SA pairs of one IkeAgent and their life in the IPsec layer, which it reaches only
 * through the KeyManagementSapProvider: keys (KEYMAT, RFC 7296 §2.17) and lifetimes when a pair
 * is installed, the responder's deferred outbound SA (it goes live when the peer's first
 * packet arrives on the inbound twin, or after a delay), re-key bookkeeping (replaced pairs,
 * their successors), removal one by one or with their IKE SA (§1.4.1), and MOBIKE's
 * re-addressing (SPIs kept). It sends nothing: the exchanges are IkeAgent's.
 */
class IkeChildSaManager
{
  public:
    /** Lifetimes of the pairs (the IkeAgent attributes of the same names). */
    struct Lifetimes
    {
        Time soft;                 //!< ChildSoftLifetime (0: none)
        Time hard;                 //!< ChildHardLifetime (0: none)
        uint64_t softBytes{0};     //!< ChildSoftLifetimeBytes (0: none)
        uint64_t hardBytes{0};     //!< ChildHardLifetimeBytes (0: none)
        Time rekeyMargin;          //!< RekeyMargin: random advance of the re-keying end's soft time
        uint32_t replayWindow{64}; //!< ReplayWindow of the SAs
        Time responderOutboundDelay; //!< ResponderOutboundDelay (0: no deferral)
    };

    /**
     * \param sap the IPsec layer's calls down (outlives this object while attached; null:
     *        detached, nothing is installed)
     */
    void SetSap(KeyManagementSapProvider* sap);

    /**
     * \param enc the ESP cipher of the pairs
     * \param integ their integrity algorithm (AH; ESP without AEAD)
     * \param life lifetimes and the rest
     * \param rng random stream of the re-key margin
     */
    void Configure(EncryptionAlgorithm enc,
                   AuthenticationAlgorithm integ,
                   const Lifetimes& life,
                   Ptr<UniformRandomVariable> rng);

    /**
     * \param cb called with the peer when a deferred outbound SA goes live (the pair is
     *        usable for sending only then)
     */
    void SetOutboundLiveCallback(Callback<void, Ipv4Address> cb);

    /**
     * Build and install a pair: keys from KEYMAT = prf+(SK_d, [g^ir] | Ni | Nr).
     * \param ikeSpi the local SPI of its IKE SA
     * \param local our address
     * \param peer the peer's
     * \param spec what it protects
     * \param spiIn our inbound SPI
     * \param spiOut our outbound SPI
     * \param skD the IKE SA's SK_d
     * \param gir the exchange's own DH shared secret (PFS), or empty
     * \param ni the initiator's nonce of the exchange
     * \param nr the responder's nonce of the exchange
     * \param weInitiated this end sent the request (it re-keys first)
     * \param deferOutbound responder: hold the outbound SA back (ResponderOutboundDelay > 0)
     * \return the child's id
     */
    uint64_t Install(uint64_t ikeSpi,
                     Ipv4Address local,
                     Ipv4Address peer,
                     const IkeChildSpec& spec,
                     uint32_t spiIn,
                     uint32_t spiOut,
                     const std::vector<uint8_t>& skD,
                     const std::vector<uint8_t>& gir,
                     const std::vector<uint8_t>& ni,
                     const std::vector<uint8_t>& nr,
                     bool weInitiated,
                     bool deferOutbound);

    /**
     * Responder, once its answer left: install the held-back outbound SA after
     * ResponderOutboundDelay unless the peer's first packet comes sooner.
     * \param id the child
     */
    void ArmDeferredOutbound(uint64_t id);

    /** \param id a child: put its held-back outbound SA into the SAD now */
    void InstallOutbound(uint64_t id);

    /** A protected packet was accepted: held-back outbound SAs whose twin was used go live. */
    void ProtectedReceived();

    /**
     * Stop sending on a pair (a Delete is on its way, RFC 7296 §1.4.1): its outbound SA
     * leaves the SAD (or is never installed); the inbound SA stays for what is in flight.
     * \param id the child
     */
    void StopSending(uint64_t id);

    /** \param id a child: remove its SAs and forget it */
    void Remove(uint64_t id);

    /**
     * Remove every pair negotiated under an IKE SA (RFC 7296 §1.4.1).
     * \param ikeSpi the IKE SA's local SPI
     */
    void RemoveChildrenOf(uint64_t ikeSpi);

    /**
     * Move the pairs of an IKE SA to new addresses, SPIs kept (MOBIKE).
     * \param ikeSpi the IKE SA's local SPI
     * \param local our new address
     * \param peer the peer's new address
     */
    void Readdress(uint64_t ikeSpi, Ipv4Address local, Ipv4Address peer);

    /** \param sa an SA that left the SAD: forget the pairs with no SA left */
    void SaRemoved(Ptr<const SecurityAssociation> sa);

    /** \param id a child \return it, or nullptr */
    IkeChildSa* Find(uint64_t id);

    /**
     * \param ikeSpi the local SPI of the IKE SA the peer names it under
     * \param spiOut our outbound SPI (the peer's inbound one, as it names it)
     * \param proto the protocol
     * \return the pair, or nullptr
     */
    IkeChildSa* FindByOutboundSpi(uint64_t ikeSpi, uint32_t spiOut, IpsecProtocol proto);

    /** \param sa one of our SAs \return its pair, or nullptr */
    IkeChildSa* FindBySa(const SecurityAssociation* sa);

    /**
     * \param oldId a re-keyed child
     * \param ikeSpi the IKE SA
     * \return the pairs created by re-keying it under that IKE SA (two after a collision)
     */
    std::vector<uint64_t> SuccessorsOf(uint64_t oldId, uint64_t ikeSpi) const;

    /**
     * \param oldId a re-keyed child
     * \return its successors whose outbound SA is still held back
     */
    std::vector<uint64_t> HeldBackSuccessorsOf(uint64_t oldId) const;

    /**
     * \param ikeSpi the local SPI of an IKE SA
     * \return the pairs negotiated under it that still have an inbound SA
     */
    std::vector<uint64_t> OfIkeSa(uint64_t ikeSpi) const;

    /**
     * \param peer a peer
     * \param proto a protocol
     * \param mode a mode
     * \return true if a pair of that kind with it exists and is not replaced
     */
    bool HasCurrentPair(Ipv4Address peer, IpsecProtocol proto, IpsecMode mode) const;

    /** \param spi an SPI \return true if one of our pairs receives on it */
    bool IsInboundSpi(uint32_t spi) const;

    /** \return the number of pairs (replaced ones included) */
    uint32_t GetN() const;

    /** Cancel every timer (stop). */
    void CancelTimers();

    /** Forget every pair without touching the SAD (disposal). */
    void Clear();

  private:
    KeyManagementSapProvider* m_sap{nullptr};                       //!< the IPsec layer
    EncryptionAlgorithm m_enc{EncryptionAlgorithm::AES_128_GCM_16}; //!< ESP cipher
    AuthenticationAlgorithm m_integ{AuthenticationAlgorithm::NONE}; //!< integrity
    Lifetimes m_life;                                               //!< lifetimes and the rest
    Ptr<UniformRandomVariable> m_rng;                               //!< re-key margin
    Callback<void, Ipv4Address> m_outboundLive; //!< a held-back outbound SA went live
    std::map<uint64_t, IkeChildSa> m_children;  //!< by id
    std::set<uint64_t> m_heldBack;              //!< children whose outbound SA waits
    uint64_t m_nextId{1};                       //!< id counter
};

} // namespace ns3

#endif // PRESEC_IKE_CHILD_SA_MANAGER_H
