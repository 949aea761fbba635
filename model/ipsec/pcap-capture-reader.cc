/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pcap-capture-reader.h"

#include "ns3/log.h"

#include <pcap/pcap.h>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("PcapCaptureReader");

namespace
{

constexpr uint16_t kEthertypeIpv4 = 0x0800;
constexpr uint16_t kEthertypeVlan = 0x8100; // 802.1Q
constexpr uint16_t kEthertypeQinQ = 0x88a8; // 802.1ad
constexpr uint32_t kEthernetHeader = 14;
constexpr uint32_t kIpv4MinHeader = 20;
constexpr int64_t kMaxSeconds = 0xffffffffLL; // classic pcap's range

uint16_t
ReadU16(const uint8_t* p)
{
    return static_cast<uint16_t>((p[0] << 8) | p[1]);
}

} // namespace

PcapCaptureReader::PcapCaptureReader()
{
    NS_LOG_FUNCTION(this);
}

PcapCaptureReader::~PcapCaptureReader()
{
    NS_LOG_FUNCTION(this);
    Close();
}

void
PcapCaptureReader::Close()
{
    if (m_pcap)
    {
        pcap_close(m_pcap);
        m_pcap = nullptr;
    }
    m_linkType = -1;
    m_frames = 0;
}

bool
PcapCaptureReader::IsSupportedLinkType(int linkType)
{
    // libpcap maps LINKTYPE_RAW (101) in the file to DLT_RAW (12); DLT_IPV4 is 228 in both.
    return linkType == DLT_EN10MB || linkType == DLT_RAW || linkType == DLT_IPV4;
}

std::string
PcapCaptureReader::Open(const std::string& path)
{
    NS_LOG_FUNCTION(this << path);
    Close();
    m_path = path;
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    // Nanosecond timestamps whatever the file holds (libpcap scales microsecond files).
    m_pcap =
        pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (!m_pcap)
    {
        return path + ": not a readable pcap or pcapng capture: " + errbuf;
    }
    m_linkType = pcap_datalink(m_pcap);
    if (!IsSupportedLinkType(m_linkType))
    {
        const char* name = pcap_datalink_val_to_name(m_linkType);
        std::string error = path + ": link type " + std::to_string(m_linkType) + " (" +
                            (name ? name : "unknown") +
                            ") is not supported; captures must be Ethernet (1) or raw IPv4 "
                            "(101, 12 or 228)";
        Close();
        return error;
    }
    return "";
}

bool
PcapCaptureReader::Next(CapturedFrame& frame, std::string& error)
{
    NS_LOG_FUNCTION(this);
    if (!m_pcap)
    {
        error = m_path + ": no capture open";
        return false;
    }
    struct pcap_pkthdr* header = nullptr;
    const u_char* data = nullptr;
    int status = pcap_next_ex(m_pcap, &header, &data);
    if (status == PCAP_ERROR_BREAK)
    {
        return false; // end of file
    }
    if (status != 1)
    {
        error = m_path + ": frame " + std::to_string(m_frames + 1) + ": " + pcap_geterr(m_pcap);
        return false;
    }
    ++m_frames;
    // Classic pcap holds 32-bit unsigned seconds, pcapng 64-bit ones; ns-3's nanosecond Time
    // ends in 2262, so a time past 2106 (or before 1970) is a damaged file, not a capture.
    const auto sec = static_cast<int64_t>(header->ts.tv_sec);
    const auto nsec = static_cast<int64_t>(header->ts.tv_usec);
    if (sec < 0 || sec > kMaxSeconds || nsec < 0 || nsec > kMaxSeconds)
    {
        error = m_path + ": frame " + std::to_string(m_frames) + ": timestamp " +
                std::to_string(sec) + " s + " + std::to_string(nsec) + " ns is outside 1970-2106";
        return false;
    }
    frame.number = m_frames;
    frame.timestamp = NanoSeconds(sec * 1000000000 + nsec);
    ExtractIpv4(data, header->caplen, frame);
    return true;
}

void
PcapCaptureReader::ExtractIpv4(const uint8_t* data, uint32_t length, CapturedFrame& frame) const
{
    frame.content = CapturedFrame::Content::OTHER;
    frame.ipv4.clear();
    uint32_t offset = 0;
    if (m_linkType == DLT_EN10MB)
    {
        if (length < kEthernetHeader)
        {
            return;
        }
        uint16_t ethertype = ReadU16(data + 12);
        offset = kEthernetHeader;
        while ((ethertype == kEthertypeVlan || ethertype == kEthertypeQinQ) && length >= offset + 4)
        {
            ethertype = ReadU16(data + offset + 2);
            offset += 4;
        }
        if (ethertype != kEthertypeIpv4)
        {
            return;
        }
    }
    else if (length == 0 || (data[0] >> 4) != 4)
    {
        return; // raw IP: IPv6 or nothing
    }
    const uint8_t* ip = data + offset;
    const uint32_t avail = length - offset;
    frame.ipv4.assign(ip, ip + avail);
    if (avail < kIpv4MinHeader || (ip[0] >> 4) != 4)
    {
        frame.content = CapturedFrame::Content::MALFORMED;
        return;
    }
    const uint32_t headerLength = (ip[0] & 0x0f) * 4u;
    const uint32_t totalLength = ReadU16(ip + 2);
    if (headerLength < kIpv4MinHeader || totalLength < headerLength)
    {
        frame.content = CapturedFrame::Content::MALFORMED;
        return;
    }
    if (avail < totalLength)
    {
        frame.content = CapturedFrame::Content::TRUNCATED;
        return;
    }
    frame.ipv4.resize(totalLength); // drop Ethernet padding and any FCS
    frame.content = CapturedFrame::Content::IPV4;
}

int
PcapCaptureReader::GetLinkType() const
{
    return m_linkType;
}

const std::string&
PcapCaptureReader::GetPath() const
{
    return m_path;
}

} // namespace ns3
