/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "csma-scenario-topology.h"

#include "ns3/background-load-helper.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4.h"
#include "ns3/pointer.h"
#include "ns3/string.h"
#include "ns3/wifi-roaming-helper.h"
#include "ns3/wired-attachment-helper.h"

namespace ns3
{

Ipv4Address
CsmaScenarioTopology::AddrOf(size_t i, size_t net) const
{
    return Ipv4Address(m_sc.networks[net].prefix.Get() + m_host[i].at(net));
}

bool
CsmaScenarioTopology::HasFixedAddresses() const
{
    return true;
}

void
CsmaScenarioTopology::Build(int64_t& stream)
{
    // Where each terminal goes, and its host number on every network it visits (.2 upwards in
    // order of first arrival; the parser checked that they fit in the prefix).
    SetPaths();
    m_host.resize(m_t);
    m_termDev.resize(m_t);
    std::vector<uint32_t> nextHost(m_n, 2);
    auto visit = [&](size_t i, size_t j) {
        if (!m_host[i].count(j))
        {
            m_host[i][j] = nextHost[j]++;
        }
    };
    for (size_t i = 0; i < m_t; ++i)
    {
        visit(i, m_path[i].front().second);
    }
    for (const auto& m : m_sc.moves)
    {
        visit(size_t(m_sc.FindTerminal(m.terminal)), size_t(m_sc.FindNetwork(m.network)));
    }

    // Fixed streams everywhere: auto-assigned stream numbers keep counting across runs in one
    // process, which would make a second run with the same seed differ.
    InternetStackHelper stack;
    m_core = std::make_unique<InternetCoreHelper>(m_sc);
    m_core->Build(stack, stream);
    m_router = m_core->GetCore();
    m_terms.Create(m_t);
    stack.Install(m_terms);
    stream += stack.AssignStreams(m_terms, stream);
    for (size_t j = 0; j < m_n; ++j)
    {
        // One CSMA segment per network, with the router and every terminal that ever visits;
        // or, switched, a link of its own from each of them to the switch.
        m_lans.emplace_back(m_sc.networks[j].switched);
        NodeContainer onNet(m_core->GetGateway(j));
        std::vector<size_t> who;
        for (size_t i = 0; i < m_t; ++i)
        {
            if (m_host[i].count(j))
            {
                onNet.Add(m_terms.Get(i));
                who.push_back(i);
            }
        }
        NetDeviceContainer d = m_lans[j].Build(onNet, stream);
        m_routerDev.push_back(d.Get(0));
        const auto& net = m_sc.networks[j];
        Ipv4Mask mask(~uint32_t(0) << (32 - net.prefixLength));
        Ipv4AddressHelper ip(net.prefix, mask, "0.0.0.1");
        ip.Assign(NetDeviceContainer(d.Get(0)));
        WifiRoamingHelper::DeepenArpQueue(m_core->GetGateway(j), d.Get(0));
        for (size_t k = 0; k < who.size(); ++k)
        {
            size_t i = who[k];
            m_termDev[i][j] = d.Get(k + 1);
            Ipv4AddressHelper hip(net.prefix, mask, Ipv4Address(m_host[i][j]));
            hip.Assign(NetDeviceContainer(d.Get(k + 1)));
            // Linux's unres_qlen, not ns-3's 3 (WifiRoamingHelper::DeepenArpQueue): a terminal
            // that first needs its router after a peer moved sends a burst (SIP, IKE, voice).
            WifiRoamingHelper::DeepenArpQueue(m_terms.Get(i), d.Get(k + 1));
            m_monitor->AddAddress(AddrOf(i, j), uint32_t(i));
            m_addrHistory[i].insert(AddrOf(i, j).Get());
        }
    }
    if (!m_sc.registrar.empty())
    {
        BuildRegistrar(m_lans[size_t(m_sc.FindNetwork(m_sc.registrar))], stream);
    }
    m_core->PopulateRoutes();
    BuildBackground(stack, nextHost, stream);
    // Detach every terminal from the networks it is not on: no address (so no route or
    // source selection can use it), interface down, device off the channel (so the channel
    // does not deliver every frame to terminals that are elsewhere).
    Ipv4StaticRoutingHelper srh;
    for (size_t i = 0; i < m_t; ++i)
    {
        Arrive(i, m_path[i].front().second);
        Ptr<Ipv4> ipv4 = m_terms.Get(i)->GetObject<Ipv4>();
        for (const auto& [j, dev] : m_termDev[i])
        {
            if (j != m_current[i])
            {
                WiredAttachmentHelper::Detach(dev, m_lans[j]);
            }
        }
        srh.GetStaticRouting(ipv4)->SetDefaultRoute(
            Ipv4Address(m_sc.networks[m_current[i]].prefix.Get() + 1),
            ipv4->GetInterfaceForDevice(m_termDev[i][m_current[i]]));
    }
}

void
CsmaScenarioTopology::BuildBackground(InternetStackHelper& stack,
                                      std::vector<uint32_t>& nextHost,
                                      int64_t& stream)
{
    if (m_sc.backgrounds.empty())
    {
        return;
    }
    Time stop = Seconds(m_sc.duration);
    BackgroundLoadHelper::InstallSink(NodeContainer(m_router), stop);
    for (const auto& b : m_sc.backgrounds)
    {
        // Stations after the terminals' host numbers (the parser checked that they fit).
        size_t j = size_t(m_sc.FindNetwork(b.network));
        const auto& net = m_sc.networks[j];
        NodeContainer stations;
        stations.Create(b.stations);
        stack.Install(stations);
        stream += stack.AssignStreams(stations, stream);
        std::vector<Ipv4Address> addresses =
            m_lans[j].AddHosts(stations, net.prefix, net.prefixLength, nextHost[j], stream);
        BackgroundLoadHelper(b.size, b.load, net.accessDown, net.accessUp)
            .Install(m_router,
                     m_core->GetCoreAddress(),
                     stations,
                     addresses,
                     Seconds(0),
                     stop,
                     stream);
    }
}

bool
CsmaScenarioTopology::DoMove(size_t i, size_t from, size_t to)
{
    const auto& net = m_sc.networks[to];
    WiredAttachmentHelper::Detach(m_termDev[i][from], m_lans[from]);
    NotifyLink(i, LinkEvent::DOWN);
    WiredAttachmentHelper::Attach(
        m_termDev[i][to],
        m_lans[to],
        Ipv4InterfaceAddress(AddrOf(i, to), Ipv4Mask(~uint32_t(0) << (32 - net.prefixLength))),
        Ipv4Address(net.prefix.Get() + 1));
    NotifyLink(i, LinkEvent::UP);
    NotifyLink(i, LinkEvent::ADDRESS);
    return true;
}

void
CsmaScenarioTopology::InstallProbe(ExposureMonitorHelper& exposure, size_t net)
{
    m_lans[net].InstallProbe(exposure, uint32_t(net), m_sc.networks[net].mirrored);
}

std::map<std::string, uint64_t>
CsmaScenarioTopology::GetLanDrops(size_t net) const
{
    return m_lans[net].GetDrops();
}

void
CsmaScenarioTopology::EnablePcap(const std::string& prefix)
{
    m_core->EnablePcap(prefix);
    for (size_t j = 0; j < m_n; ++j)
    {
        m_lans[j].EnablePcap(prefix + "-" + m_sc.networks[j].name + ".pcap", m_routerDev[j]);
    }
}

void
CsmaScenarioTopology::SetReceiveErrorModel(size_t net, Ptr<TamperErrorModel> model)
{
    m_routerDev[net]->SetAttribute("ReceiveErrorModel", PointerValue(model));
    for (size_t i = 0; i < m_t; ++i)
    {
        auto it = m_termDev[i].find(net);
        if (it != m_termDev[i].end())
        {
            it->second->SetAttribute("ReceiveErrorModel", PointerValue(model));
        }
    }
}

} // namespace ns3
