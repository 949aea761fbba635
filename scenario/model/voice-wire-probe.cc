/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "voice-wire-probe.h"

#include "ns3/ah-transform.h"
#include "ns3/csma-net-device.h"
#include "ns3/esp-transform.h"
#include "ns3/ethernet-header.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/llc-snap-header.h"
#include "ns3/rtp-send-time-tag.h"
#include "ns3/udp-header.h"
#include "ns3/udp-l4-protocol.h"
#include "ns3/wifi-mac-header.h"
#include "ns3/wifi-mac.h"
#include "ns3/wifi-net-device.h"
#include "ns3/wifi-mac-trailer.h"

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
    if (DynamicCast<CsmaNetDevice>(device))
    {
        // CsmaNetDevice fires MacTx with the whole frame (header and trailer added).
        return device->TraceConnectWithoutContext(
            "MacTx",
            Callback<void, Ptr<const Packet>>(
                [this](Ptr<const Packet> p) { Sent(p, true, 0); }));
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
    Ptr<Packet> p = frame->Copy();
    if (ethernet)
    {
        EthernetHeader eth(false);
        if (p->GetSize() < eth.GetSerializedSize() || !p->RemoveHeader(eth) ||
            eth.GetLengthType() != Ipv4L3Protocol::PROT_NUMBER)
        {
            return;
        }
    }
    else
    {
        LlcSnapHeader llc;
        if (p->GetSize() < llc.GetSerializedSize() || !p->RemoveHeader(llc) ||
            llc.GetType() != Ipv4L3Protocol::PROT_NUMBER)
        {
            return;
        }
    }
    Ipv4Header ip;
    if (p->GetSize() < ip.GetSerializedSize() || !p->RemoveHeader(ip))
    {
        return;
    }
    RtpSendTimeTag tag;
    bool voice = p->PeekPacketTag(tag);
    if (!voice && ip.GetProtocol() == UdpL4Protocol::PROT_NUMBER &&
        ip.GetFragmentOffset() == 0 && p->GetSize() >= 8)
    {
        UdpHeader udp;
        p->PeekHeader(udp);
        voice = udp.GetDestinationPort() == m_dataPort;
    }
    if (voice)
    {
        const uint8_t proto = ip.GetProtocol();
        m_frame(ip.GetDestination(),
                frame->GetSize() + framing,
                proto == EspTransform::PROT_NUMBER || proto == AhTransform::PROT_NUMBER);
    }
}

} // namespace ns3
