/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "voice-wire-probe.h"

#include "ns3/ah-transform.h"
#include "ns3/csma-net-device.h"
#include "ns3/esp-transform.h"
#include "ns3/ethernet-header.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/llc-snap-header.h"
#include "ns3/rtp-send-time-tag.h"
#include "ns3/switched-ethernet-net-device.h"
#include "ns3/udp-l4-protocol.h"
#include "ns3/wifi-mac-header.h"
#include "ns3/wifi-mac-trailer.h"
#include "ns3/wifi-mac.h"
#include "ns3/wifi-net-device.h"

#include <algorithm>

namespace ns3
{

VoiceWireProbe::VoiceWireProbe(uint16_t dataPort, FrameCallback frame)
    : m_dataPort(dataPort),
      m_frame(frame)
{
}

uint32_t
VoiceWireProbe::WifiFraming()
{
    WifiMacHeader h;
    h.SetType(WIFI_MAC_QOSDATA);
    return h.GetSize() + WIFI_MAC_FCS_LENGTH;
}

bool
VoiceWireProbe::Attach(Ptr<NetDevice> device)
{
    if (DynamicCast<CsmaNetDevice>(device) || DynamicCast<SwitchedEthernetNetDevice>(device))
    {
        // Both fire MacTx with the whole frame (header and trailer added).
        return device->TraceConnectWithoutContext(
            "MacTx",
            Callback<void, Ptr<const Packet>>([this](Ptr<const Packet> p) { Sent(p, true, 0); }));
    }
    if (auto wifi = DynamicCast<WifiNetDevice>(device))
    {
        uint32_t framing = WifiFraming();
        return wifi->GetMac()->TraceConnectWithoutContext(
            "MacTx",
            Callback<void, Ptr<const Packet>>(
                [this, framing](Ptr<const Packet> p) { Sent(p, false, framing); }));
    }
    return false;
}

void
VoiceWireProbe::Sent(Ptr<const Packet> frame, bool ethernet, uint32_t framing)
{
    // The few fields it needs, read from the frame's first bytes: copying every frame and
    // removing its headers cost more than the rest of the voice path's bookkeeping.
    static const uint32_t kEthernet = EthernetHeader(false).GetSerializedSize();
    static const uint32_t kLlcSnap = LlcSnapHeader().GetSerializedSize();
    const uint32_t link = ethernet ? kEthernet : kLlcSnap;
    uint8_t b[14 + 60 + 4]; // the longer link header, IPv4 with options, UDP ports
    const uint32_t n = frame->CopyData(b, std::min<uint32_t>(sizeof(b), frame->GetSize()));
    const uint8_t* ip = b + link;
    if (n < link + 20 || ((b[link - 2] << 8) | b[link - 1]) != Ipv4L3Protocol::PROT_NUMBER ||
        (ip[0] >> 4) != 4 || (ip[0] & 0x0f) < 5)
    {
        return; // the type field (Ethernet II or SNAP) ends the link header
    }
    const uint32_t ihl = (ip[0] & 0x0f) * 4u;
    const uint8_t proto = ip[9];
    const bool firstFragment = ((ip[6] & 0x1f) << 8 | ip[7]) == 0;
    RtpSendTimeTag tag;
    bool voice = frame->PeekPacketTag(tag);
    if (!voice && proto == UdpL4Protocol::PROT_NUMBER && firstFragment && n >= link + ihl + 4)
    {
        voice = ((ip[ihl + 2] << 8) | ip[ihl + 3]) == m_dataPort;
    }
    if (voice)
    {
        Ipv4Address destination(uint32_t(ip[16]) << 24 | uint32_t(ip[17]) << 16 |
                                uint32_t(ip[18]) << 8 | ip[19]);
        m_frame(destination,
                frame->GetSize() + framing,
                proto == EspTransform::PROT_NUMBER || proto == AhTransform::PROT_NUMBER);
    }
}

} // namespace ns3
