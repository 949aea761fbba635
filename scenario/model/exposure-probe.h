/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_EXPOSURE_PROBE_H
#define PRESEC_EXPOSURE_PROBE_H

#include "ns3/mac48-address.h"
#include "ns3/object.h"
#include "ns3/packet.h"

#include <cstdint>
#include <map>
#include <tuple>

namespace ns3
{

class ExposureMonitor;
class NetDevice;

/**
 * \ingroup presec-scenario
 * The eavesdropper of one network, in the manner of ns-3's Ipv4FlowProbe: attached to a
 * device's traces, it classifies every IPv4 packet crossing the network and reports it to an
 * ExposureMonitor:
 *  - ESP (50) or AH (51): protected;
 *  - UDP or TCP to or from SIP (5060) or IKE (500, 4500): signalling;
 *  - DHCP (UDP 67/68): nothing (the network's own service, not the terminals' data);
 *  - any other UDP or TCP segment, or IPComp (108) alone, which anyone can inflate: clear
 *    data.
 *
 * Ethernet: a promiscuous station on a hub's segment (AttachEthernet) sees every frame once; on
 * a switched network that station has a port of its own and sees only what the switch sends
 * it (broadcasts, unknown unicast), while a mirror port (AttachSwitchMirror: the switch's
 * Ingress trace) sees every frame entering the switch, once. Wi-Fi
 * (AttachWifiAp): what crosses the access point's air, from its PHY's monitor traces, data
 * frames the AP sends (from the DS) and data frames sent to it (to the DS); every IP packet
 * counts once (retransmissions and the AP's relay between two of its stations are seen
 * twice, so a packet seen again within a second is skipped).
 */
class ExposureProbe : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /**
     * \param monitor where to report
     * \param network the network's index in the monitor
     */
    ExposureProbe(Ptr<ExposureMonitor> monitor, uint32_t network);

    /** What a UDP or TCP segment carries, by its ports. */
    enum class Segment
    {
        OTHER,     //!< neither UDP nor TCP, or too short
        DHCP,      //!< UDP 67/68: the network's own service
        SIGNALING, //!< SIP (5060) or IKE (500, 4500)
        DATA,      //!< anything else: the terminals' data
    };

    /**
     * \param segment a packet starting with its L4 header
     * \param protocol the IP protocol number
     * \return what it carries
     */
    static Segment ClassifySegment(Ptr<const Packet> segment, uint8_t protocol);

    /**
     * Listen to a station's PromiscSniffer trace (whole Ethernet frames): a CsmaNetDevice on a
     * hub, a SwitchedEthernetNetDevice on a port of a switch.
     * \param sniffer the device
     */
    void AttachEthernet(Ptr<NetDevice> sniffer);
    /**
     * A mirror (SPAN) port of a switch's ingress: its Ingress trace, every frame once, whole.
     * \param sw the switch (a SwitchedEthernetChannel)
     */
    void AttachSwitchMirror(Ptr<Object> sw);
    /**
     * Listen to the air of a Wi-Fi access point (its PHY's MonitorSnifferTx/Rx traces).
     * \param ap the access point's WifiNetDevice
     */
    void AttachWifiAp(Ptr<NetDevice> ap);

  protected:
    /** Drops the monitor. */
    void DoDispose() override;

  private:
    /** \param frame an Ethernet frame seen on the segment */
    void EthernetFrame(Ptr<const Packet> frame);
    /**
     * \param mpdu a Wi-Fi MPDU on the air
     * \param tx the AP sends it (else it receives it)
     */
    void WifiFrame(Ptr<const Packet> mpdu, bool tx);
    /** \param p an IPv4 packet (header first): classified and reported */
    void Classify(Ptr<Packet> p);

    Ptr<ExposureMonitor> m_monitor; //!< where to report
    uint32_t m_network{0};          //!< the network's index
    Mac48Address m_apMac;           //!< Wi-Fi: the access point's address
    /// Wi-Fi: IP packets seen recently, (src, dst, proto, id) → time (s).
    std::map<std::tuple<uint32_t, uint32_t, uint8_t, uint16_t>, double> m_seen;
};

} // namespace ns3

#endif // PRESEC_EXPOSURE_PROBE_H
