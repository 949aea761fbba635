/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_PCAP_CAPTURE_READER_H
#define PRESEC_PCAP_CAPTURE_READER_H

#include "ns3/nstime.h"

#include <cstdint>
#include <string>
#include <vector>

struct pcap; // libpcap's pcap_t, kept out of this header so users need no libpcap headers

namespace ns3
{

/**
 * \ingroup presec-ipsec
 * One frame of a capture, with its IPv4 packet when it carries one.
 */
struct CapturedFrame
{
    /** What the frame holds. */
    enum class Content : uint8_t
    {
        OTHER,     //!< not IPv4 (ARP, IPv6, too short for a link header, ...)
        IPV4,      //!< a whole IPv4 packet, in ipv4
        TRUNCATED, //!< IPv4, captured shorter than its total length (snap length)
        MALFORMED, //!< IPv4 ethertype or version, but no valid IPv4 header
    };

    uint64_t number{0};              //!< 1-based frame number in the file
    Time timestamp;                  //!< capture time (since the epoch, as the file has it)
    Content content{Content::OTHER}; //!< what the frame holds
    std::vector<uint8_t> ipv4;       //!< IPV4: the packet (link layer and trailer removed);
                                     //!< TRUNCATED, MALFORMED: the bytes from where it starts
};

/**
 * \ingroup presec-ipsec
 * Reads a packet capture (pcap or pcapng, through libpcap) frame by frame and takes the IPv4
 * packets out of their link layer: Ethernet (link type 1, also behind 802.1Q tags) or raw IP
 * (LINKTYPE_RAW 101 / DLT_RAW 12, LINKTYPE_IPV4 228). Only what is needed to find the IPv4
 * packet is checked here (version, header length, total length against what was captured);
 * everything above IPv4 is left to the stack the packets are fed to.
 *
 * Every failure (missing file, not a capture, truncated file, other link type, a timestamp
 * outside 1970-2106) is an error message naming the file, never an abort.
 *
 * \code
 *   PcapCaptureReader reader;
 *   std::string error = reader.Open("a.pcap");
 *   CapturedFrame f;
 *   while (error.empty() && reader.Next(f, error))
 *   {
 *       if (f.content == CapturedFrame::Content::IPV4) { ... }
 *   }
 * \endcode
 */
class PcapCaptureReader
{
  public:
    PcapCaptureReader();
    ~PcapCaptureReader();

    PcapCaptureReader(const PcapCaptureReader&) = delete;
    PcapCaptureReader& operator=(const PcapCaptureReader&) = delete;

    /**
     * Open a capture file (closing any open one).
     * \param path the file
     * \return empty on success, else "path: message"
     */
    std::string Open(const std::string& path);

    /**
     * Read the next frame.
     * \param[out] frame the frame, on success
     * \param[out] error "path: frame N: message" when the file is damaged, else unchanged
     * \return true if a frame was read; false at the end of the file or on an error
     */
    bool Next(CapturedFrame& frame, std::string& error);

    /** \return the link type of the open file (DLT_ value as libpcap reports it), or -1 */
    int GetLinkType() const;

    /** \return the path of the open file */
    const std::string& GetPath() const;

    /**
     * \param linkType a DLT_ value
     * \return true if frames of this link type can be read
     */
    static bool IsSupportedLinkType(int linkType);

  private:
    /** Close the open file, if any. */
    void Close();

    /**
     * Find the IPv4 packet in a frame of the open file's link type.
     * \param data the captured bytes
     * \param length their number
     * \param[out] frame gets content and ipv4
     */
    void ExtractIpv4(const uint8_t* data, uint32_t length, CapturedFrame& frame) const;

    struct pcap* m_pcap{nullptr}; //!< the open capture
    std::string m_path;           //!< its path
    int m_linkType{-1};           //!< its link type
    uint64_t m_frames{0};         //!< frames read so far
};

} // namespace ns3

#endif // PRESEC_PCAP_CAPTURE_READER_H
