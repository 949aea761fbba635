/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_ESP_TRAILER_H
#define PRESEC_ESP_TRAILER_H

#include "ns3/trailer.h"

#include <array>
#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-ipsec
 * The back of an ESP packet (RFC 4303 §2.4 - §2.8): padding, pad length, next header and the
 * Integrity Check Value.
 *
 * \verbatim
   | Payload ... | Padding (0-255 bytes: 1, 2, 3, ...) | Pad Length | Next Header | ICV ... |
   \endverbatim
 *
 * With real encryption the padding, pad length and next header are ciphertext, so the real
 * mode writes them as payload bytes; the modeled mode, which leaves them in clear, uses this
 * trailer. The ICV length is not on the wire: call SetIcvSize before Deserialize. Deserialize
 * trusts the pad length field, so check it against the packet length first.
 */
class EspTrailer : public Trailer
{
  public:
    /** Largest ICV supported, in bytes. */
    static constexpr uint8_t MAX_ICV_BYTES = 32;

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    EspTrailer();

    /**
     * \param length number of padding bytes (written as 1, 2, 3, ... per RFC 4303 §2.4)
     */
    void SetPadLength(uint8_t length);
    /** \return the number of padding bytes */
    uint8_t GetPadLength() const;

    /** \param nextHeader the protocol of the payload (4 for a tunnelled IPv4 packet) */
    void SetNextHeader(uint8_t nextHeader);
    /** \return the protocol of the payload */
    uint8_t GetNextHeader() const;

    /**
     * Set the ICV length (the ICV bytes become zero), as needed before Deserialize.
     * \param size 0 .. MAX_ICV_BYTES
     */
    void SetIcvSize(uint8_t size);
    /** \return the ICV length */
    uint8_t GetIcvSize() const;

    /**
     * \param icv the ICV bytes
     * \param size 0 .. MAX_ICV_BYTES
     */
    void SetIcv(const uint8_t* icv, uint8_t size);
    /** \return the ICV bytes (GetIcvSize() of them) */
    const uint8_t* GetIcvData() const;
    /** \return a copy of the ICV */
    std::vector<uint8_t> GetIcv() const;

    /** \return true if the last Deserialize found the padding bytes 1, 2, 3, ... */
    bool IsPaddingValid() const;

    /** \return the TypeId of this instance */
    TypeId GetInstanceTypeId() const override;
    /** \return the size in bytes on the wire */
    uint32_t GetSerializedSize() const override;
    /** \param end the end of the buffer; the trailer is written before it */
    void Serialize(Buffer::Iterator end) const override;
    /**
     * \param end the end of the buffer; the trailer is read before it
     * \return the number of bytes read
     */
    uint32_t Deserialize(Buffer::Iterator end) override;
    /** \param os the stream printed to */
    void Print(std::ostream& os) const override;

  private:
    uint8_t m_padLength{0};                     //!< padding bytes
    uint8_t m_nextHeader{0};                    //!< next header
    uint8_t m_icvSize{0};                       //!< ICV length
    bool m_paddingValid{true};                  //!< padding was 1, 2, 3, ...
    std::array<uint8_t, MAX_ICV_BYTES> m_icv{}; //!< ICV
};

} // namespace ns3

#endif // PRESEC_ESP_TRAILER_H
