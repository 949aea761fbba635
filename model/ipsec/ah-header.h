/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_AH_HEADER_H
#define PRESEC_AH_HEADER_H

#include "ns3/header.h"

#include <array>
#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-ipsec
 * The IP Authentication Header (RFC 4302 §2).
 *
 * \verbatim
    0                   1                   2                   3
    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   | Next Header   |  Payload Len  |          RESERVED             |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                 Security Parameters Index (SPI)               |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                    Sequence Number Field                      |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                Integrity Check Value-ICV (variable)           |
   \endverbatim
 *
 * Payload Len is the header length in 32-bit words minus 2 (4 with HMAC-SHA1-96). On IPv4 the
 * ICV field is padded with zeros to a multiple of 4 bytes (§3.3.3.2.1). Deserialize takes the
 * ICV length from Payload Len; it keeps at most MAX_ICV_BYTES of it, so check the field against
 * the packet first.
 */
class AhHeader : public Header
{
  public:
    /** Largest ICV field kept, in bytes. */
    static constexpr uint32_t MAX_ICV_BYTES = 64;

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    AhHeader();

    /** \param nextHeader the protocol after the AH (4 for a tunnelled IPv4 packet) */
    void SetNextHeader(uint8_t nextHeader);
    /** \return the protocol after the AH */
    uint8_t GetNextHeader() const;

    /** \return the Payload Len field: header length in 32-bit words minus 2 */
    uint8_t GetPayloadLength() const;

    /** \param reserved the RESERVED field (0 on send, RFC 4302 §2.3) */
    void SetReserved(uint16_t reserved);
    /** \return the RESERVED field */
    uint16_t GetReserved() const;

    /** \param spi the Security Parameters Index */
    void SetSpi(uint32_t spi);
    /** \return the Security Parameters Index */
    uint32_t GetSpi() const;

    /** \param seq the sequence number */
    void SetSequenceNumber(uint32_t seq);
    /** \return the sequence number */
    uint32_t GetSequenceNumber() const;

    /**
     * Set the ICV; the field on the wire is padded with zeros to a multiple of 4 bytes.
     * \param icv the ICV bytes (may be null when \p size is 0)
     * \param size 0 .. MAX_ICV_BYTES
     */
    void SetIcv(const uint8_t* icv, uint32_t size);
    /**
     * Set a zero ICV of the given length (the form the ICV is computed over).
     * \param size 0 .. MAX_ICV_BYTES
     */
    void SetIcvSize(uint32_t size);
    /** \return the ICV field length (including any padding) */
    uint32_t GetIcvSize() const;
    /** \return the ICV field bytes */
    const uint8_t* GetIcvData() const;
    /** \return a copy of the ICV field */
    std::vector<uint8_t> GetIcv() const;

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
    uint8_t m_nextHeader{0};                    //!< next header
    uint16_t m_reserved{0};                     //!< reserved field
    uint32_t m_spi{0};                          //!< SPI
    uint32_t m_sequence{0};                     //!< sequence number
    uint32_t m_icvSize{0};                      //!< ICV field length, a multiple of 4
    std::array<uint8_t, MAX_ICV_BYTES> m_icv{}; //!< ICV field
};

} // namespace ns3

#endif // PRESEC_AH_HEADER_H
