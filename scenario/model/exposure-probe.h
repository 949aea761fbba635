/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_EXPOSURE_PROBE_H
#define PRESEC_EXPOSURE_PROBE_H

#include "ns3/callback.h"
#include "ns3/ipv4-address.h"
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
 * device's traces, it classifies every IPv4 packet crossing the network by what an eavesdropper
 * can read of it, and reports it to an ExposureMonitor:
 *  - ESP (50) with an encrypting SA: protected;
 *  - what AH (51), ESP with NULL encryption (RFC 2410) and IPIP (4) wrap is read through them,
 *    as Wireshark does (its ESP NULL heuristics or esp_sa table): they authenticate, they do
 *    not hide; the packet is what it carries;
 *  - UDP or TCP to or from SIP (5060) or IKE (500, 4500): signalling;
 *  - DHCP (UDP 67/68): nothing (the network's own service, not the terminals' data);
 *  - any other UDP or TCP segment, or IPComp (108), which anyone can inflate: clear data,
 *    counted as the segment's bytes (those it would have without the wrapping).
 * Whether an ESP SA encrypts is not on the wire (modeled crypto leaves every body in clear):
 * SetEspSaLookup gives the probe the SAs; without one, or for an SA it does not know, ESP
 * counts as protected. A fragment other than the first holds no header to read: ESP counts as
 * protected; AH, IPComp and IPIP as clear data.
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

    /** What an eavesdropper knows of an ESP SA (Wireshark's esp_sa table holds as much). */
    struct EspSaView
    {
        bool encrypts{true};  //!< false: NULL encryption, the payload is in clear
        uint32_t icvBytes{0}; //!< the ICV's size, which ends the packet
    };

    /**
     * Finds the ESP SA of an SPI and destination address.
     * \return whether the SA is known; when it is, the view is filled in
     */
    typedef Callback<bool, uint32_t, Ipv4Address, EspSaView&> EspSaLookup;

    /**
     * Tell the probe the SAs (ExposureMonitorHelper::SetEspSas does it for nodes).
     * \param lookup finds an ESP SA by SPI and destination
     */
    void SetEspSaLookup(EspSaLookup lookup);

    /**
     * Classify an IPv4 packet seen on the network and report it to the monitor (what the
     * Attach* traces do with each packet; public for other capture sources and the fuzzer).
     * \param p the packet, its IPv4 header first (consumed: headers are removed)
     */
    void Classify(Ptr<Packet> p);

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

    /** What a packet shows an eavesdropper, once its readable wrappings are opened. */
    struct Reading
    {
        Segment what{Segment::OTHER}; //!< what it carries, when readable
        bool encrypted{false};        //!< it ends in an encrypting ESP SA
        Ipv4Address source;           //!< the innermost header read (IPIP: the inner one)
        Ipv4Address destination;      //!< idem
        uint32_t bytes{0};            //!< the readable segment's size
    };

    /**
     * Opens AH, ESP without encryption, IPComp (inflated) and IPIP, down to what they carry.
     * \param p the packet after an IP header (or a wrapping), trimmed to its payload
     * \param protocol the protocol number that announced it
     * \param whole the IP packet is not a fragment
     * \param r where the addresses are on entry and the reading is written
     * \param depth wrappings opened so far (bounded: a crafted chain cannot recurse far)
     */
    void Read(Ptr<Packet> p, uint8_t protocol, bool whole, Reading& r, uint32_t depth) const;

    Ptr<ExposureMonitor> m_monitor; //!< where to report
    uint32_t m_network{0};          //!< the network's index
    Mac48Address m_apMac;           //!< Wi-Fi: the access point's address
    EspSaLookup m_espSa;            //!< finds ESP SAs (null: every ESP SA encrypts)
    /// Wi-Fi: IP packets seen recently, (src, dst, proto, id) → time (s).
    std::map<std::tuple<uint32_t, uint32_t, uint8_t, uint16_t>, double> m_seen;
};

} // namespace ns3

#endif // PRESEC_EXPOSURE_PROBE_H
