/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_IPCOMP_HEADER_H
#define PRESEC_IPCOMP_HEADER_H

#include "ns3/header.h"

#include <cstdint>

namespace ns3
{

/**
 * \ingroup presec-ipsec
 * The IP Payload Compression header (RFC 3173 §2.2).
 *
 * \verbatim
    0                   1                   2                   3
    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |  Next Header  |     Flags     | Compression Parameter Index   |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   \endverbatim
 */
class IpcompHeader : public Header
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    IpcompHeader();

    /** \param nextHeader the protocol of the compressed payload */
    void SetNextHeader(uint8_t nextHeader);
    /** \return the protocol of the compressed payload */
    uint8_t GetNextHeader() const;

    /** \param flags the Flags field (reserved, 0 on send) */
    void SetFlags(uint8_t flags);
    /** \return the Flags field */
    uint8_t GetFlags() const;

    /** \param cpi the Compression Parameter Index */
    void SetCpi(uint16_t cpi);
    /** \return the Compression Parameter Index */
    uint16_t GetCpi() const;

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
    uint8_t m_nextHeader{0}; //!< next header
    uint8_t m_flags{0};      //!< flags
    uint16_t m_cpi{0};       //!< CPI
};

} // namespace ns3

#endif // PRESEC_IPCOMP_HEADER_H
