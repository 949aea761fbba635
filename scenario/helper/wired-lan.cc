/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "wired-lan.h"

#include "exposure-monitor-helper.h"

#include "ns3/csma-net-device.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4.h"
#include "ns3/switched-ethernet-net-device.h"
#include "ns3/trace-helper.h"

namespace ns3
{

WiredLan::WiredLan(bool switched, DataRate rate, Time delay)
    : m_switched(switched)
{
    m_csma.SetChannelAttribute("DataRate", DataRateValue(rate));
    m_csma.SetChannelAttribute("Delay", TimeValue(delay));
    if (switched)
    {
        m_switch = CreateObjectWithAttributes<SwitchedEthernetChannel>("DataRate",
                                                                       DataRateValue(rate),
                                                                       "Delay",
                                                                       TimeValue(delay));
    }
}

NetDeviceContainer
WiredLan::Build(const NodeContainer& nodes, int64_t& stream)
{
    NetDeviceContainer d;
    if (!m_switched)
    {
        d = m_csma.Install(nodes);
        stream += m_csma.AssignStreams(d, stream);
        m_hub = DynamicCast<CsmaChannel>(d.Get(0)->GetChannel());
        return d;
    }
    for (uint32_t k = 0; k < nodes.GetN(); ++k)
    {
        d.Add(AddPort(nodes.Get(k)));
    }
    return d;
}

Ptr<NetDevice>
WiredLan::AddPort(Ptr<Node> station)
{
    auto dev = CreateObject<SwitchedEthernetNetDevice>();
    dev->SetAddress(Mac48Address::Allocate());
    station->AddDevice(dev);
    dev->Attach(m_switch);
    return dev;
}

Ptr<NetDevice>
WiredLan::AddStation(Ptr<Node> node, int64_t& stream)
{
    if (!m_switched)
    {
        NetDeviceContainer d = m_csma.Install(node, m_hub);
        stream += m_csma.AssignStreams(d, stream);
        return d.Get(0);
    }
    return AddPort(node);
}

std::vector<Ipv4Address>
WiredLan::AddHosts(const NodeContainer& stations,
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
WiredLan::InstallProbe(ExposureMonitorHelper& exposure, uint32_t network, bool mirrored)
{
    if (!m_switched)
    {
        exposure.InstallCsma(network, m_hub);
        return;
    }
    if (mirrored)
    {
        exposure.InstallSwitchMirror(network, m_switch);
        return;
    }
    // A station on a port of its own: what the switch floods to it is all it sees.
    exposure.InstallSniffer(network, AddPort(CreateObject<Node>()));
}

void
WiredLan::EnablePcap(const std::string& file, Ptr<NetDevice> gateway)
{
    if (!m_switched)
    {
        m_csma.EnablePcap(file, gateway, true, true);
        return;
    }
    PcapHelper().HookDefaultSink<SwitchedEthernetChannel>(
        m_switch,
        "Ingress",
        PcapHelper().CreateFile(file, std::ios::out, PcapHelper::DLT_EN10MB));
}

void
WiredLan::Detach(Ptr<NetDevice> device)
{
    if (m_switched)
    {
        m_switch->Detach(DynamicCast<SwitchedEthernetNetDevice>(device));
    }
    else
    {
        m_hub->Detach(DynamicCast<CsmaNetDevice>(device));
    }
}

void
WiredLan::Reattach(Ptr<NetDevice> device)
{
    if (m_switched)
    {
        m_switch->Reattach(DynamicCast<SwitchedEthernetNetDevice>(device));
    }
    else
    {
        m_hub->Reattach(DynamicCast<CsmaNetDevice>(device));
    }
}

std::map<std::string, uint64_t>
WiredLan::GetDrops() const
{
    std::map<std::string, uint64_t> drops;
    if (!m_switched)
    {
        return drops;
    }
    drops = m_switch->GetStats().drops;
    for (std::size_t k = 0; k < m_switch->GetNDevices(); ++k)
    {
        auto dev = DynamicCast<SwitchedEthernetNetDevice>(m_switch->GetDevice(k));
        for (const auto& [reason, n] : dev->GetStats().drops)
        {
            drops[reason] += n;
        }
    }
    return drops;
}

Ptr<SwitchedEthernetChannel>
WiredLan::GetSwitch() const
{
    return m_switch;
}

} // namespace ns3
