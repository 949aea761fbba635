/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "exposure-probe.h"

#include "exposure-monitor.h"

#include "ns3/ethernet-header.h"
#include "ns3/ipcomp-transform.h"
#include "ns3/ipv4-header.h"
#include "ns3/llc-snap-header.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/wifi-mac-header.h"
#include "ns3/wifi-net-device.h"
#include "ns3/wifi-phy.h"

#include <iterator>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("ExposureProbe");
NS_OBJECT_ENSURE_REGISTERED(ExposureProbe);

TypeId
ExposureProbe::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::ExposureProbe").SetParent<Object>().SetGroupName("PresecScenario");
    return tid;
}

ExposureProbe::ExposureProbe(Ptr<ExposureMonitor> monitor, uint32_t network)
    : m_monitor(monitor),
      m_network(network)
{
}

ExposureProbe::Segment
ExposureProbe::ClassifySegment(Ptr<const Packet> segment, uint8_t protocol)
{
    // UDP and TCP both begin with the source and the destination port: four bytes copied
    // (deserialising a header costs several times more, for every packet sent in clear).
    const bool udp = protocol == 17 && segment->GetSize() >= 8;
    const bool tcp = protocol == 6 && segment->GetSize() >= 20;
    if (!udp && !tcp)
    {
        return Segment::OTHER;
    }
    uint8_t ports[4];
    segment->CopyData(ports, sizeof(ports));
    const uint16_t sp = (ports[0] << 8) | ports[1];
    const uint16_t dp = (ports[2] << 8) | ports[3];
    if (udp && (sp == 67 || sp == 68 || dp == 67 || dp == 68))
    {
        return Segment::DHCP;
    }
    auto signaling = [](uint16_t p) { return p == 5060 || p == 500 || p == 4500; };
    return signaling(sp) || signaling(dp) ? Segment::SIGNALING : Segment::DATA;
}

void
ExposureProbe::DoDispose()
{
    m_monitor = nullptr;
    Object::DoDispose();
}

void
ExposureProbe::AttachEthernet(Ptr<NetDevice> sniffer)
{
    NS_LOG_FUNCTION(this << sniffer);
    sniffer->TraceConnectWithoutContext("PromiscSniffer",
                                        MakeCallback(&ExposureProbe::EthernetFrame, this));
}

void
ExposureProbe::AttachSwitchMirror(Ptr<Object> sw)
{
    NS_LOG_FUNCTION(this << sw);
    bool ok = sw->TraceConnectWithoutContext("Ingress",
                                             MakeCallback(&ExposureProbe::EthernetFrame, this));
    NS_ABORT_MSG_IF(!ok, "ExposureProbe::AttachSwitchMirror: not a switch (no Ingress trace)");
}

void
ExposureProbe::AttachWifiAp(Ptr<NetDevice> ap)
{
    NS_LOG_FUNCTION(this << ap);
    Ptr<WifiNetDevice> dev = DynamicCast<WifiNetDevice>(ap);
    NS_ABORT_MSG_IF(!dev, "ExposureProbe::AttachWifiAp: not a WifiNetDevice");
    m_apMac = Mac48Address::ConvertFrom(dev->GetAddress());
    Ptr<WifiPhy> phy = dev->GetPhy();
    phy->TraceConnectWithoutContext(
        "MonitorSnifferTx",
        Callback<void, Ptr<const Packet>, uint16_t, WifiTxVector, MpduInfo, uint16_t>(
            [this](Ptr<const Packet> p, uint16_t, WifiTxVector, MpduInfo, uint16_t) {
                WifiFrame(p, true);
            }));
    phy->TraceConnectWithoutContext("MonitorSnifferRx",
                                    Callback<void,
                                             Ptr<const Packet>,
                                             uint16_t,
                                             WifiTxVector,
                                             MpduInfo,
                                             SignalNoiseDbm,
                                             uint16_t>([this](Ptr<const Packet> p,
                                                              uint16_t,
                                                              WifiTxVector,
                                                              MpduInfo,
                                                              SignalNoiseDbm,
                                                              uint16_t) { WifiFrame(p, false); }));
}

void
ExposureProbe::EthernetFrame(Ptr<const Packet> frame)
{
    if (frame->GetSize() < 14 + 20)
    {
        return;
    }
    Ptr<Packet> p = frame->Copy();
    EthernetHeader eth(false);
    p->RemoveHeader(eth);
    if (eth.GetLengthType() != 0x0800)
    {
        return;
    }
    Classify(p);
}

void
ExposureProbe::WifiFrame(Ptr<const Packet> mpdu, bool tx)
{
    Ptr<Packet> p = mpdu->Copy();
    WifiMacHeader h;
    if (p->GetSize() < h.GetSerializedSize())
    {
        return;
    }
    p->RemoveHeader(h);
    if (!h.IsData() || !h.HasData())
    {
        return;
    }
    bool ours = tx ? (h.IsFromDs() && h.GetAddr2() == m_apMac)
                   : (h.IsToDs() && !h.IsFromDs() && h.GetAddr1() == m_apMac);
    if (!ours || p->GetSize() < 8 + 20)
    {
        return;
    }
    LlcSnapHeader llc;
    p->RemoveHeader(llc);
    if (llc.GetType() != 0x0800)
    {
        return;
    }
    Ipv4Header ip;
    p->PeekHeader(ip);
    double now = Simulator::Now().GetSeconds();
    auto key = std::make_tuple(ip.GetSource().Get(),
                               ip.GetDestination().Get(),
                               ip.GetProtocol(),
                               ip.GetIdentification());
    auto it = m_seen.find(key);
    if (it != m_seen.end() && now - it->second < 1.0)
    {
        return;
    }
    m_seen[key] = now;
    if (m_seen.size() > 8192)
    {
        for (auto e = m_seen.begin(); e != m_seen.end();)
        {
            e = now - e->second >= 1.0 ? m_seen.erase(e) : std::next(e);
        }
    }
    Classify(p);
}

void
ExposureProbe::SetEspSaLookup(EspSaLookup lookup)
{
    m_espSa = lookup;
}

void
ExposureProbe::Classify(Ptr<Packet> p)
{
    Ipv4Header ip;
    p->RemoveHeader(ip);
    const uint32_t payload = ip.GetPayloadSize();
    if (p->GetSize() > payload)
    {
        p->RemoveAtEnd(p->GetSize() - payload); // Ethernet padding (ESP's trailer is at the end)
    }
    Reading r;
    r.source = ip.GetSource();
    r.destination = ip.GetDestination();
    const bool whole = ip.IsLastFragment() && ip.GetFragmentOffset() == 0;
    if (ip.GetFragmentOffset() != 0)
    {
        // No header of its own: its protocol is all there is. ESP hides it; what AH, IPComp
        // and IPIP carry is readable (its ports are in the first fragment).
        const uint8_t proto = ip.GetProtocol();
        r.encrypted = proto == 50;
        r.what =
            proto == 51 || proto == 108 || proto == 4 ? Segment::DATA : ClassifySegment(p, proto);
        r.bytes = p->GetSize();
    }
    else
    {
        Read(p, ip.GetProtocol(), whole, r, 0);
    }
    if (r.encrypted)
    {
        m_monitor->ReportProtected(m_network, ip.GetSource(), ip.GetDestination(), payload);
    }
    else if (r.what == Segment::SIGNALING)
    {
        m_monitor->ReportSignaling(m_network, payload);
    }
    else if (r.what == Segment::DATA)
    {
        m_monitor->ReportClearData(m_network, r.source, r.destination, r.bytes);
    }
}

void
ExposureProbe::Read(Ptr<Packet> p, uint8_t protocol, bool whole, Reading& r, uint32_t depth) const
{
    const uint32_t size = p->GetSize();
    r.bytes = size;
    if (depth > 4)
    {
        return; // wrappings nested deeper than any SA bundle: not read
    }
    switch (protocol)
    {
    case 50: { // ESP: SPI, sequence number, [IV], payload, padding, pad length, next header, ICV
        uint8_t spi[4];
        EspSaView sa;
        if (size < 8 || p->CopyData(spi, 4) != 4 || m_espSa.IsNull() ||
            !m_espSa((uint32_t(spi[0]) << 24) | (spi[1] << 16) | (spi[2] << 8) | spi[3],
                     r.destination,
                     sa) ||
            sa.encrypts)
        {
            r.encrypted = true;
            return;
        }
        if (!whole)
        {
            // NULL encryption, the trailer in a later fragment: readable, not parsable.
            r.what = Segment::DATA;
            r.bytes = size - 8;
            return;
        }
        uint8_t trailer[2];
        if (size < 8 + 2 + sa.icvBytes)
        {
            return;
        }
        Ptr<Packet> tail = p->CreateFragment(size - sa.icvBytes - 2, 2);
        tail->CopyData(trailer, 2);
        const uint32_t padded = size - 8 - sa.icvBytes - 2;
        if (trailer[0] > padded)
        {
            return;
        }
        Ptr<Packet> inner = p->CreateFragment(8, padded - trailer[0]);
        Read(inner, trailer[1], whole, r, depth + 1);
        return;
    }
    case 51: { // AH: next header, payload length in 32-bit words minus 2
        uint8_t h[2];
        if (size < 12 || p->CopyData(h, 2) != 2 || (h[1] + 2u) * 4u > size)
        {
            return;
        }
        p->RemoveAtStart((h[1] + 2u) * 4u);
        Read(p, h[0], whole, r, depth + 1);
        return;
    }
    case 4: { // IPIP: the inner packet's header is as readable as the outer one
        uint8_t first = 0;
        if (size < 20 || p->CopyData(&first, 1) != 1 || (first >> 4) != 4 ||
            (first & 0x0f) * 4u < 20 || (first & 0x0f) * 4u > size)
        {
            return;
        }
        Ipv4Header inner;
        if (p->RemoveHeader(inner) == 0 || inner.GetPayloadSize() > p->GetSize())
        {
            return;
        }
        p->RemoveAtEnd(p->GetSize() - inner.GetPayloadSize());
        r.source = inner.GetSource();
        r.destination = inner.GetDestination();
        Read(p,
             inner.GetProtocol(),
             inner.IsLastFragment() && inner.GetFragmentOffset() == 0,
             r,
             depth + 1);
        return;
    }
    case IpcompTransform::PROT_NUMBER: {
        // IPComp hides nothing: inflated, it is read as the segment it compressed (the sender
        // counts that size too). A first fragment's stream is cut short: readable in part,
        // counted as it is; a stream that does not inflate is not read, as a broken AH.
        if (!whole)
        {
            r.what = Segment::DATA;
            return;
        }
        TransformResult inner = IpcompTransform::Inflate(p);
        if (!inner.IsDropped())
        {
            Read(inner.packet, inner.nextHeader, whole, r, depth + 1);
        }
        return;
    }
    default:
        r.what = ClassifySegment(p, protocol);
        return;
    }
}

} // namespace ns3
