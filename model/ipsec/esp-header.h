/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_ESP_HEADER_H
#define PRESEC_ESP_HEADER_H

#include "ns3/header.h"

#include <array>
#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-ipsec
 * The clear-text front of an ESP packet (RFC 4303 §2): SPI, sequence number and the
 * explicit IV that the cipher carries at the start of the payload data.
 *
 * \verbatim
    0                   1                   2                   3
    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |               Security Parameters Index (SPI)                 |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                      Sequence Number                          |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                 IV (0, 8 or 16 bytes) ...                     |
   \endverbatim
 *
 * The IV length is not on the wire: it follows from the SA, so call SetIvSize before
 * Deserialize.
 */
class EspHeader : public Header
{
  public:
    /** Largest explicit IV supported (AES-CBC), in bytes. */
    static constexpr uint8_t MAX_IV_BYTES = 16;

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    EspHeader();

    /** \param spi the Security Parameters Index */
    void SetSpi(uint32_t spi);
    /** \return the Security Parameters Index */
    uint32_t GetSpi() const;

    /** \param seq the sequence number */
    void SetSequenceNumber(uint32_t seq);
    /** \return the sequence number */
    uint32_t GetSequenceNumber() const;

    /**
     * Set the IV length (the IV bytes become zero), as needed before Deserialize.
     * \param size 0 .. MAX_IV_BYTES
     */
    void SetIvSize(uint8_t size);
    /** \return the IV length */
    uint8_t GetIvSize() const;

    /**
     * Set the IV and its length.
     * \param iv the IV bytes
     * \param size 0 .. MAX_IV_BYTES
     */
    void SetIv(const uint8_t* iv, uint8_t size);
    /** \return the IV bytes (GetIvSize() of them) */
    const uint8_t* GetIvData() const;
    /** \return a copy of the IV */
    std::vector<uint8_t> GetIv() const;

    /** \return the TypeId of this instance */
    TypeId GetInstanceTypeId() const override;
    /** \return the size in bytes on the wire */
    uint32_t GetSerializedSize() const override;
    /** \param start where the header is written */
    void Serialize(Buffer::Iterator start) const override;
    /**
     * \param start where the header is read from
     * \return the number of bytes read
     */
    uint32_t Deserialize(Buffer::Iterator start) override;
    /** \param os the stream printed to */
    void Print(std::ostream& os) const override;

  private:
    uint32_t m_spi{0};                        //!< SPI
    uint32_t m_sequence{0};                   //!< sequence number
    uint8_t m_ivSize{0};                      //!< IV length
    std::array<uint8_t, MAX_IV_BYTES> m_iv{}; //!< IV (fixed storage: no allocation per packet)
};

} // namespace ns3

#endif // PRESEC_ESP_HEADER_H
