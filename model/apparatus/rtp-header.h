/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_RTP_HEADER_H
#define PRESEC_RTP_HEADER_H

#include "ns3/header.h"
#include "ns3/nstime.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

class Packet;

/**
 * \ingroup presec-apparatus
 * The RTP fixed header (RFC 3550 section 5.1) the sessions' voice packets carry: 12 bytes,
 * version 2, no CSRC, no extension, as a SIP phone sends it; tshark dissects it as RTP
 * (heuristic rtp_udp). The one-way delay is measured with RtpSendTimeTag
 * (rtp-send-time-tag.h), which is not on the wire (the simulation's clocks are one clock).
 *
 * A header built by the setters is the 12-byte form. Read accepts any well-formed RTP header
 * and names what is wrong with a malformed one; it keeps the first byte's padding, extension
 * and CSRC-count bits, the marker and the bytes after the fixed part (CSRCs, a header
 * extension) as they came, so a parsed header serializes back to the bytes it was read from
 * (as a relay or a pcap rewriter needs).
 */
class RtpHeader : public Header
{
  public:
    /** RTP payload type 0: PCMU, an 8 kHz clock (RFC 3551). */
    static constexpr uint8_t PAYLOAD_PCMU = 0;
    /// The fixed header's size (RFC 3550 5.1, without CSRCs).
    static constexpr uint32_t FIXED_SIZE = 12;

    /** \return the TypeId */
    static TypeId GetTypeId();
    /** \return the TypeId of this instance */
    TypeId GetInstanceTypeId() const override;
    /** \param os the stream printed to */
    void Print(std::ostream& os) const override;
    /** \return the size in bytes on the wire */
    uint32_t GetSerializedSize() const override;
    /** \param start where the header is written */
    void Serialize(Buffer::Iterator start) const override;
    /**
     * \param start where the header begins
     * \return the bytes read: the header's length, 0 when the bytes are no RTP header
     */
    uint32_t Deserialize(Buffer::Iterator start) override;

    /**
     * Parse a header from received bytes.
     * \param b the bytes (the UDP payload)
     * \param n how many
     * \param[out] error why they are no RTP header, when the result is 0
     * \return the header's length (fixed header, CSRCs and extension), or 0
     */
    uint32_t Read(const uint8_t* b, uint32_t n, std::string& error);

    /**
     * Parse the header at the start of a packet, copying only the header's bytes, in
     * GetLength's steps: a voice packet copies 12 bytes (to the stack), whatever its payload.
     * \param p the packet (the UDP payload)
     * \param[out] error why they are no RTP header, when the result is 0
     * \return the header's length, or 0
     */
    uint32_t ReadFrom(const Packet& p, std::string& error);

    /**
     * How long a header is, as far as its first bytes tell: the fixed part, the CSRCs, the
     * extension's header and then the extension; a reader copies that many and asks again
     * until the answer stays (at most three steps).
     * \param b the first bytes
     * \param n how many
     * \return the header's length so far known (at least FIXED_SIZE)
     */
    static uint32_t GetLength(const uint8_t* b, uint32_t n);

    /** \param pt the payload type (7 bits) */
    void SetPayloadType(uint8_t pt);
    /** \return the payload type */
    uint8_t GetPayloadType() const;
    /** \param marker the marker bit (RFC 3551: the first packet of a talkspurt) */
    void SetMarker(bool marker);
    /** \return the marker bit */
    bool GetMarker() const;
    /** \param seq the sequence number */
    void SetSequenceNumber(uint16_t seq);
    /** \return the sequence number */
    uint16_t GetSequenceNumber() const;
    /** \param ts the RTP timestamp (media clock) */
    void SetTimestamp(uint32_t ts);
    /** \return the RTP timestamp */
    uint32_t GetTimestamp() const;
    /** \param ssrc the synchronization source */
    void SetSsrc(uint32_t ssrc);
    /** \return the synchronization source */
    uint32_t GetSsrc() const;

    /**
     * Extend a 16-bit sequence number to 32 bits (RFC 3550 appendix A.1): the value closest
     * to the highest extended number seen so far.
     * \param seq the received sequence number
     * \param highest the highest extended sequence number received before
     * \return the extended sequence number
     */
    static uint32_t ExtendSequence(uint16_t seq, uint32_t highest);

  private:
    uint8_t m_first{0x80};               //!< version 2, padding, extension and CSRC-count bits
    bool m_marker{false};                //!< marker bit
    uint8_t m_payloadType{PAYLOAD_PCMU}; //!< payload type
    uint16_t m_seq{0};                   //!< sequence number
    uint32_t m_timestamp{0};             //!< media timestamp
    uint32_t m_ssrc{0};                  //!< synchronization source
    std::vector<uint8_t> m_rest;         //!< CSRCs and extension as read; empty when built
};

} // namespace ns3

#endif // PRESEC_RTP_HEADER_H
