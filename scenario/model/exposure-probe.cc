/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "exposure-probe.h"

#include "exposure-monitor.h"

#include "ns3/ethernet-header.h"
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
ExposureProbe::Classify(Ptr<Packet> p)
{
    Ipv4Header ip;
    p->RemoveHeader(ip);
    uint32_t payload = ip.GetPayloadSize();
    uint8_t proto = ip.GetProtocol();
    if (proto == 50 || proto == 51)
    {
        m_monitor->ReportProtected(m_network, ip.GetSource(), ip.GetDestination(), payload);
        return;
    }
    // IPComp alone (108) hides nothing: anyone can inflate it, so it counts as clear data
    // (its ports are inside the compressed data; signalling is never compressed here).
    Segment what = proto == 108 ? Segment::DATA : ClassifySegment(p, proto);
    if (what == Segment::SIGNALING)
    {
        m_monitor->ReportSignaling(m_network, payload);
    }
    else if (what == Segment::DATA)
    {
        m_monitor->ReportClearData(m_network, ip.GetSource(), ip.GetDestination(), payload);
    }
}

} // namespace ns3
