/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_IKE_KEY_SCHEDULE_H
#define PRESEC_IKE_KEY_SCHEDULE_H

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-ike
 * The IKEv2 key schedule (RFC 7296 §2.13-§2.17, §2.23) as pure functions over byte strings:
 * the PRF and prf+, SKEYSEED and the SK_* keys of the IKE SA, the KEYMAT of a child SA, the
 * octets an AUTH payload covers and the pre-shared-key AUTH value, and the NAT detection
 * hash. Nothing here keeps state or touches the simulator; IkeAgent supplies the inputs and
 * stores the results.
 */
namespace ikev2
{

/**
 * \ingroup presec-ike
 * The HMAC-based PRFs of IKEv2; the values are the IANA transform IDs (transform type 2).
 * For all of them the preferred key length is the output length (RFC 7296 §2.13), and
 * nonces are used in full in SKEYSEED (§2.14).
 */
enum class PrfAlgorithm : uint16_t
{
    HMAC_SHA1 = 2,     //!< PRF_HMAC_SHA1 (RFC 2104), 20 bytes
    HMAC_SHA2_256 = 5, //!< PRF_HMAC_SHA2_256 (RFC 4868), 32 bytes
    HMAC_SHA2_384 = 6, //!< PRF_HMAC_SHA2_384 (RFC 4868), 48 bytes
    HMAC_SHA2_512 = 7, //!< PRF_HMAC_SHA2_512 (RFC 4868), 64 bytes
};

/**
 * \ingroup presec-ike
 * \param alg a PRF
 * \return bytes of its output, also its preferred key length
 */
uint32_t PrfSize(PrfAlgorithm alg);

/**
 * \ingroup presec-ike
 * prf(K, S): the HMAC of S keyed with K.
 * \param alg the PRF
 * \param key K
 * \param data S
 * \return PrfSize(alg) bytes
 */
std::vector<uint8_t> Prf(PrfAlgorithm alg,
                         const std::vector<uint8_t>& key,
                         const std::vector<uint8_t>& data);

/**
 * \ingroup presec-ike
 * prf+ of RFC 7296 §2.13: T1 | T2 | T3 | ..., where T1 = prf(K, S | 0x01) and
 * Tn = prf(K, Tn-1 | S | n) with n a single octet. Aborts when more than 255 PRF outputs
 * would be needed.
 * \param alg the PRF
 * \param key K
 * \param seed S
 * \param length bytes wanted (at most 255 * PrfSize(alg))
 * \return the first length bytes of the stream
 */
std::vector<uint8_t> PrfPlus(PrfAlgorithm alg,
                             const std::vector<uint8_t>& key,
                             const std::vector<uint8_t>& seed,
                             uint32_t length);

/**
 * \ingroup presec-ike
 * SKEYSEED = prf(Ni | Nr, g^ir) (RFC 7296 §2.14).
 * \param alg the IKE SA's PRF
 * \param ni the initiator's nonce
 * \param nr the responder's nonce
 * \param gir the Diffie-Hellman shared secret
 * \return SKEYSEED, PrfSize(alg) bytes
 */
std::vector<uint8_t> Skeyseed(PrfAlgorithm alg,
                              const std::vector<uint8_t>& ni,
                              const std::vector<uint8_t>& nr,
                              const std::vector<uint8_t>& gir);

/**
 * \ingroup presec-ike
 * Key lengths of an IKE SA's suite, in bytes.
 */
struct IkeSaKeyLengths
{
    uint32_t prf;   //!< SK_d, SK_pi, SK_pr: the PRF's preferred key length
    uint32_t integ; //!< SK_ai, SK_ar: the integrity algorithm's key
    uint32_t encr;  //!< SK_ei, SK_er: the encryption algorithm's key (and salt, if any)
};

/**
 * \ingroup presec-ike
 * The seven keys of an IKE SA (RFC 7296 §2.14).
 */
struct IkeSaKeys
{
    std::vector<uint8_t> skD;  //!< SK_d: child SA (and IKE SA re-key) key material
    std::vector<uint8_t> skAi; //!< SK_ai: integrity, initiator to responder
    std::vector<uint8_t> skAr; //!< SK_ar: integrity, responder to initiator
    std::vector<uint8_t> skEi; //!< SK_ei: encryption, initiator to responder
    std::vector<uint8_t> skEr; //!< SK_er: encryption, responder to initiator
    std::vector<uint8_t> skPi; //!< SK_pi: the initiator's AUTH payload
    std::vector<uint8_t> skPr; //!< SK_pr: the responder's AUTH payload
};

/**
 * \ingroup presec-ike
 * {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr} = prf+(SKEYSEED, Ni | Nr | SPIi |
 * SPIr), taken in that order (RFC 7296 §2.14).
 * \param alg the IKE SA's PRF
 * \param skeyseed SKEYSEED (see Skeyseed)
 * \param ni the initiator's nonce
 * \param nr the responder's nonce
 * \param spiI the initiator's IKE SPI
 * \param spiR the responder's IKE SPI
 * \param lengths key lengths of the suite
 * \return the keys
 */
IkeSaKeys DeriveIkeSaKeys(PrfAlgorithm alg,
                          const std::vector<uint8_t>& skeyseed,
                          const std::vector<uint8_t>& ni,
                          const std::vector<uint8_t>& nr,
                          uint64_t spiI,
                          uint64_t spiR,
                          const IkeSaKeyLengths& lengths);

/**
 * \ingroup presec-ike
 * KEYMAT = prf+(SK_d, [g^ir (new)] | Ni | Nr) (RFC 7296 §2.17). The caller splits it: the
 * initiator-to-responder keys come first, encryption before integrity.
 * \param alg the IKE SA's PRF
 * \param skD SK_d of the IKE SA
 * \param gir the shared secret of the exchange's own Diffie-Hellman (PFS), or empty
 * \param ni the initiator's nonce (of this exchange)
 * \param nr the responder's nonce (of this exchange)
 * \param length bytes wanted
 * \return KEYMAT
 */
std::vector<uint8_t> ChildKeymat(PrfAlgorithm alg,
                                 const std::vector<uint8_t>& skD,
                                 const std::vector<uint8_t>& gir,
                                 const std::vector<uint8_t>& ni,
                                 const std::vector<uint8_t>& nr,
                                 uint32_t length);

/**
 * \ingroup presec-ike
 * The octets an AUTH payload covers (RFC 7296 §2.15): RealMessage | Nonce of the other side
 * | prf(SK_p, RestOfIDPayload). For the initiator: its IKE_SA_INIT request, Nr, SK_pi and
 * IDi; for the responder: its IKE_SA_INIT response, Ni, SK_pr and IDr.
 * \param alg the IKE SA's PRF
 * \param realMessage the signer's IKE_SA_INIT message, from the IKE header on
 * \param peerNonce the nonce of the other side
 * \param skP the signer's SK_pi or SK_pr
 * \param restOfIdPayload the signer's ID payload without its generic payload header
 * \return the signed octets
 */
std::vector<uint8_t> SignedOctets(PrfAlgorithm alg,
                                  const std::vector<uint8_t>& realMessage,
                                  const std::vector<uint8_t>& peerNonce,
                                  const std::vector<uint8_t>& skP,
                                  const std::vector<uint8_t>& restOfIdPayload);

/**
 * \ingroup presec-ike
 * AUTH data of the Shared Key Message Integrity Code method (RFC 7296 §2.15):
 * prf(prf(Shared Secret, "Key Pad for IKEv2"), \<SignedOctets\>).
 * \param alg the IKE SA's PRF
 * \param sharedSecret the pre-shared key
 * \param signedOctets see SignedOctets
 * \return PrfSize(alg) bytes
 */
std::vector<uint8_t> AuthPsk(PrfAlgorithm alg,
                             const std::vector<uint8_t>& sharedSecret,
                             const std::vector<uint8_t>& signedOctets);

/**
 * \ingroup presec-ike
 * Data of NAT_DETECTION_SOURCE_IP / NAT_DETECTION_DESTINATION_IP (RFC 7296 §2.23):
 * SHA-1(SPIi | SPIr | IP | Port), all in network byte order.
 * \param spiI the initiator's IKE SPI
 * \param spiR the responder's IKE SPI (0 in the IKE_SA_INIT request)
 * \param address the IP address, 4 or 16 bytes
 * \param port the UDP port
 * \return 20 bytes
 */
std::vector<uint8_t> NatDetectionHash(uint64_t spiI,
                                      uint64_t spiR,
                                      const std::vector<uint8_t>& address,
                                      uint16_t port);

/**
 * \ingroup presec-ike
 * The simulation's stand-in for a Diffie-Hellman shared secret: both ends know both public
 * values, so both compute g^ir = prf+(HMAC-SHA1, "presec-modeled-dh", KEi | KEr). Not part
 * of RFC 7296; the public values are random bytes, not group elements.
 * \param keI the initiator's public value
 * \param keR the responder's public value
 * \param length bytes of the group's shared secret
 * \return the modeled g^ir
 */
std::vector<uint8_t> ModeledSharedSecret(const std::vector<uint8_t>& keI,
                                         const std::vector<uint8_t>& keR,
                                         uint32_t length);

} // namespace ikev2
} // namespace ns3

#endif // PRESEC_IKE_KEY_SCHEDULE_H
