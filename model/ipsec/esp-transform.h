/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_ESP_TRANSFORM_H
#define PRESEC_ESP_TRANSFORM_H

#include "ipsec-crypto.h"
#include "ipsec-transform-result.h"
#include "security-association.h"

#include "ns3/packet.h"

#include <cstdint>

namespace ns3
{

/**
 * \ingroup presec-ipsec
 * The ESP packet transform (RFC 4303): builds and checks the bytes that follow the IPv4
 * header of an ESP packet. Stateless apart from the SA it is given.
 *
 * Wire layout: EspHeader (SPI, sequence, IV) | payload | padding 1, 2, 3, ... | pad length |
 * next header | ICV. The payload is padded so that payload + 2 is a multiple of the cipher's
 * block size (4 for stream and AEAD ciphers and NULL).
 *
 * - CBC ciphers: the IV is the SA's cipher applied to SPI || sequence (unpredictable without
 *   the key, as RFC 3602 §3 requires, yet reproducible run to run); ICV = truncated HMAC over
 *   header, IV and ciphertext (encrypt-then-MAC).
 * - AES-GCM and ChaCha20-Poly1305: IV = the 64-bit sequence number, which RFC 4106 §3.1
 *   allows (unique per key); nonce = salt || IV; AAD = SPI || sequence (RFC 4106 §5,
 *   RFC 7634 §2.1); the SA's integrity algorithm is ignored (AEAD brings its own ICV, and
 *   RFC 4106 §3 forbids adding one).
 * - NULL: payload in clear, ICV = HMAC (RFC 2410).
 *
 * In CryptoMode::MODELED the bytes and sizes are laid out identically but the payload stays in
 * clear, the IV is a keyed hash of SPI and sequence, and the ICV is
 * IpsecCrypto::ModeledTag over exactly the bytes the real ICV covers (for AEAD, keyed with the
 * cipher key). The inner packet's headers and byte tags survive in that mode.
 *
 * Keys must have the lengths of GetProperties() in real mode (checked; a wrong length aborts,
 * as it is a configuration error). Both ends must use the same mode.
 */
class EspTransform
{
  public:
    /** IP protocol number of ESP. */
    static constexpr uint8_t PROT_NUMBER = 50;

    /**
     * Protect a packet. Takes the next sequence number from the SA and counts the inner
     * bytes against its lifetime.
     * \param inner the packet to protect (transport mode: the L4 segment; tunnel mode: the
     *        inner IPv4 packet with its header)
     * \param nextHeader protocol of \p inner (e.g. 17, or 4 for a tunnelled IPv4 packet)
     * \param sa the outbound SA
     * \param mode modeled or real crypto
     * \return the packet starting with the ESP header and nextHeader 50; or a drop with
     *         SA_EXPIRED (hard lifetime over) or SEQUENCE_EXHAUSTED
     */
    static TransformResult Protect(Ptr<const Packet> inner,
                                   uint8_t nextHeader,
                                   SecurityAssociation& sa,
                                   CryptoMode mode);

    /**
     * Verify and strip ESP, in the order of RFC 4303 §3.4: length, anti-replay, ICV,
     * decryption, padding; only a packet that passes all of them advances the replay window
     * and counts against the lifetime.
     * \param esp the packet starting with the ESP header
     * \param sa the inbound SA, found by the SPI (see PeekSpi)
     * \param mode modeled or real crypto (as the sender's)
     * \return the inner packet and its protocol; or a drop with SA_EXPIRED, MALFORMED,
     *         REPLAYED, TOO_OLD or BAD_ICV
     */
    static TransformResult Unprotect(Ptr<const Packet> esp,
                                     SecurityAssociation& sa,
                                     CryptoMode mode);

    /**
     * \param esp a packet starting with an ESP header
     * \return its SPI, or 0 (a reserved SPI, RFC 4303 §2.1) when it is shorter than 4 bytes
     */
    static uint32_t PeekSpi(Ptr<const Packet> esp);

    /**
     * \param esp a packet starting with an ESP header
     * \return its sequence number, or 0 when it is shorter than 8 bytes
     */
    static uint32_t PeekSequenceNumber(Ptr<const Packet> esp);

    /**
     * Bytes ESP adds: 8 + IV + pad + 2 + ICV with pad = (-(innerSize + 2)) mod block size.
     * \param sa the SA
     * \param innerSize the size of the packet to protect
     * \return the overhead in bytes
     */
    static uint32_t Overhead(const SecurityAssociation& sa, uint32_t innerSize);

    /**
     * \param sa the SA
     * \param innerSize the size of the packet to protect
     * \return the number of padding bytes
     */
    static uint32_t GetPadSize(const SecurityAssociation& sa, uint32_t innerSize);

    /**
     * \param sa the SA
     * \return the explicit IV length
     */
    static uint32_t GetIvSize(const SecurityAssociation& sa);

    /**
     * \param sa the SA
     * \return the ICV length (the AEAD tag, or the truncated HMAC, or 0)
     */
    static uint32_t GetIcvSize(const SecurityAssociation& sa);

    /**
     * \param sa the SA
     * \return the alignment of payload + 2 (cipher block size, at least 4)
     */
    static uint32_t GetBlockSize(const SecurityAssociation& sa);
};

} // namespace ns3

#endif // PRESEC_ESP_TRANSFORM_H
