/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "csma-lan.h"

#include "exposure-monitor-helper.h"

#include "ns3/bridge-helper.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4.h"
#include "ns3/trace-helper.h"

namespace ns3
{

CsmaLan::CsmaLan(const CsmaHelper& csma, bool switched)
    : m_csma(csma),
      m_switched(switched)
{
}

NetDeviceContainer
CsmaLan::Build(const NodeContainer& nodes, int64_t& stream)
{
    NetDeviceContainer d;
    if (!m_switched)
    {
        d = m_csma.Install(nodes);
        stream += m_csma.AssignStreams(d, stream);
        m_hub = DynamicCast<CsmaChannel>(d.Get(0)->GetChannel());
        return d;
    }
    m_switch = CreateObject<Node>();
    for (uint32_t k = 0; k < nodes.GetN(); ++k)
    {
        d.Add(AddPort(nodes.Get(k), stream));
    }
    m_bridge = DynamicCast<BridgeNetDevice>(BridgeHelper().Install(m_switch, m_ports).Get(0));
    return d;
}

Ptr<NetDevice>
CsmaLan::AddPort(Ptr<Node> station, int64_t& stream)
{
    // A link of its own: the switch's port first, the station's device second.
    NetDeviceContainer link = m_csma.Install(NodeContainer(m_switch, station));
    stream += m_csma.AssignStreams(link, stream);
    m_ports.Add(link.Get(0));
    if (m_pcap)
    {
        PcapHelper().HookDefaultSink<NetDevice>(link.Get(0), "MacPromiscRx", m_pcap);
    }
    return link.Get(1);
}

Ptr<NetDevice>
CsmaLan::AddStation(Ptr<Node> node, int64_t& stream)
{
    if (!m_switched)
    {
        NetDeviceContainer d = m_csma.Install(node, m_hub);
        stream += m_csma.AssignStreams(d, stream);
        return d.Get(0);
    }
    Ptr<NetDevice> dev = AddPort(node, stream);
    m_bridge->AddBridgePort(m_ports.Get(m_ports.GetN() - 1));
    return dev;
}

std::vector<Ipv4Address>
CsmaLan::AddHosts(const NodeContainer& stations,
                  Ipv4Address prefix,
                  uint8_t prefixLength,
                  uint32_t& nextHost,
                  int64_t& stream)
{
    Ipv4Mask mask(~uint32_t(0) << (32 - prefixLength));
    Ipv4StaticRoutingHelper srh;
    std::vector<Ipv4Address> addresses;
    for (uint32_t k = 0; k < stations.GetN(); ++k)
    {
        Ptr<Node> node = stations.Get(k);
        NetDeviceContainer d(AddStation(node, stream));
        addresses.push_back(
            Ipv4AddressHelper(prefix, mask, Ipv4Address(nextHost++)).Assign(d).GetAddress(0));
        Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
        srh.GetStaticRouting(ipv4)->SetDefaultRoute(Ipv4Address(prefix.Get() + 1),
                                                    ipv4->GetInterfaceForDevice(d.Get(0)));
    }
    return addresses;
}

void
CsmaLan::InstallProbe(ExposureMonitorHelper& exposure,
                      uint32_t network,
                      bool mirrored,
                      int64_t& stream)
{
    if (!m_switched)
    {
        exposure.InstallCsma(network, m_hub);
        return;
    }
    if (mirrored)
    {
        exposure.InstallSwitchMirror(network, m_ports);
        return;
    }
    // A station on a port of its own: what the switch floods to it is all it sees.
    NetDeviceContainer port = m_csma.Install(m_switch);
    stream += m_csma.AssignStreams(port, stream);
    m_ports.Add(port.Get(0));
    m_bridge->AddBridgePort(port.Get(0));
    exposure.InstallCsma(network, DynamicCast<CsmaChannel>(port.Get(0)->GetChannel()));
}

void
CsmaLan::EnablePcap(const std::string& file, Ptr<NetDevice> gateway)
{
    if (!m_switched)
    {
        m_csma.EnablePcap(file, gateway, true, true);
        return;
    }
    // A bridge port is promiscuous: MacPromiscRx has every frame the station sent, header
    // included, once.
    m_pcap = PcapHelper().CreateFile(file, std::ios::out, PcapHelper::DLT_EN10MB);
    for (auto it = m_ports.Begin(); it != m_ports.End(); ++it)
    {
        PcapHelper().HookDefaultSink<NetDevice>(*it, "MacPromiscRx", m_pcap);
    }
}

} // namespace ns3
