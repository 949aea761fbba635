/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_IKE_PROPOSALS_H
#define PRESEC_IKE_PROPOSALS_H

#include "ike-child-sa.h"
#include "ike-header.h"
#include "ike-key-schedule.h"

#include "ns3/ipsec-algorithms.h"

#include <optional>
#include <string>
#include <vector>

namespace ns3
{

enum class KeyOperation : uint8_t;

/**
 * \ingroup presec-ike
 * The SA payload proposals of one IkeAgent (RFC 7296 §3.3): its IKE SA suite (ENCR_AES_CBC-128,
 * PRF_HMAC_SHA1, AUTH_HMAC_SHA1_96 and the configured DH group) and its Child SA suite (the
 * configured ESP cipher and integrity), what it offers and what it accepts. One proposal per
 * SA payload; the responder's choice must equal the offer transform by transform.
 */
class IkeProposals
{
  public:
    /// PRF of the IKE SA suite (PRF_HMAC_SHA1): SKEYSEED, SK_*, AUTH and Child SA KEYMAT.
    static constexpr ikev2::PrfAlgorithm PRF = ikev2::PrfAlgorithm::HMAC_SHA1;
    /// Key lengths of the IKE SA suite: PRF_HMAC_SHA1, AUTH_HMAC_SHA1_96, ENCR_AES_CBC-128.
    static constexpr ikev2::IkeSaKeyLengths KEY_LENGTHS{20, 20, 16};

    /**
     * \param enc the Child SAs' cipher (ESP)
     * \param integ the Child SAs' integrity (AH, and ESP without an AEAD cipher)
     * \param group the DH group number of the IKE SA and of PFS
     */
    IkeProposals(EncryptionAlgorithm enc, AuthenticationAlgorithm integ, uint16_t group);

    /** \return our IKE SA proposal */
    IkeProposal IkeSa() const;

    /**
     * Responder: choose from the initiator's IKE SA proposals the one we support (any
     * supported DH group).
     * \param offered the SA payload's proposals
     * \return our answer, numbered as the chosen proposal, or nothing (NO_PROPOSAL_CHOSEN)
     */
    std::optional<IkeProposal> ChooseIkeSa(const std::vector<IkeProposal>& offered) const;

    /**
     * Initiator: is the responder's answer our own proposal?
     * \param answer the proposal of the IKE_SA_INIT response
     * \return true if its transforms are ours
     */
    bool IsOwnIkeSa(const IkeProposal& answer) const;

    /**
     * \param spec what the child protects
     * \param spi our inbound SPI
     * \param pfs with a DH transform
     * \return our child proposal
     */
    IkeProposal Child(const IkeChildSpec& spec, uint32_t spi, bool pfs) const;

    /**
     * Check a child proposal against ours.
     * \param p the proposal
     * \param spec what is asked for (out: the protocol)
     * \param dh out: the DH group of the proposal, 0 for none
     * \return empty if acceptable, else why not
     */
    std::string AcceptChild(const IkeProposal& p, IkeChildSpec& spec, uint16_t& dh) const;

    /** \return the DH group number configured */
    uint16_t Group() const;

    /** \return the Child SAs' cipher */
    EncryptionAlgorithm Encryption() const;

    /** \return the Child SAs' integrity algorithm */
    AuthenticationAlgorithm Integrity() const;

    /** \param group a group number \return bytes of its public value (0: unsupported) */
    static uint32_t GroupSize(uint16_t group);

    /** \param group a group number \return its key operation (CPU cost) */
    static KeyOperation DhOperation(uint16_t group);

  private:
    EncryptionAlgorithm m_enc;       //!< child cipher
    AuthenticationAlgorithm m_integ; //!< child integrity
    uint16_t m_group;                //!< DH group
};

} // namespace ns3

#endif // PRESEC_IKE_PROPOSALS_H
