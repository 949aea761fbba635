/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_VOICE_WIRE_PROBE_H
#define PRESEC_VOICE_WIRE_PROBE_H

#include "ns3/callback.h"
#include "ns3/ipv4-address.h"
#include "ns3/net-device.h"
#include "ns3/packet.h"
#include "ns3/ptr.h"

#include <cstdint>

namespace ns3
{

/**
 * \ingroup presec-scenario
 * Measures what a terminal's voice costs on the wire: every frame a terminal's device sends
 * that carries a voice packet, with its size as the link transmits it (headers, IPsec, link
 * framing), so the wire bit rate of a call is measured, not computed.
 *
 * A frame carries voice when its packet has an RtpSendTimeTag (SecurePeerApplication's RTP;
 * packet tags follow it through the IPsec transforms) or, in the clear, is UDP to the data
 * port (the baseline's UdpClient). Sizes: on CSMA the whole Ethernet frame as the device's
 * MacTx trace has it (header and FCS); on Wi-Fi the MAC's MacTx packet (LLC/SNAP and IP)
 * plus the QoS data MAC header and the FCS the MAC adds. PHY preambles and inter-frame
 * spaces are time, not bytes, and are not counted. A frame is protected when its outer IPv4
 * packet is ESP or AH (IPComp alone compresses, it does not protect).
 */
class VoiceWireProbe
{
  public:
    /**
     * A voice frame was sent: the IPv4 destination of its (outer) packet, bytes on the wire,
     * and whether IPsec protects it (ESP or AH outermost).
     */
    typedef Callback<void, Ipv4Address, uint32_t, bool> FrameCallback;

    /**
     * \param dataPort the UDP port of clear voice
     * \param frame called per voice frame
     */
    VoiceWireProbe(uint16_t dataPort, FrameCallback frame);

    /**
     * Listen to a device's transmissions. CSMA and Wi-Fi devices; others are ignored.
     * \param device a terminal's device
     * \return whether it is listened to
     */
    bool Attach(Ptr<NetDevice> device);

    /** \return Wi-Fi: the bytes the MAC adds to a MacTx packet (QoS data header, FCS) */
    static uint32_t WifiFraming();

  private:
    /**
     * A frame from a device.
     * \param frame the packet: an Ethernet frame, or LLC/SNAP and IPv4
     * \param ethernet whether it starts with an Ethernet header (else LLC/SNAP)
     * \param framing bytes the link adds beyond the packet
     */
    void Sent(Ptr<const Packet> frame, bool ethernet, uint32_t framing);

    uint16_t m_dataPort;   //!< clear voice's UDP port
    FrameCallback m_frame; //!< where frames go
};

} // namespace ns3

#endif // PRESEC_VOICE_WIRE_PROBE_H
