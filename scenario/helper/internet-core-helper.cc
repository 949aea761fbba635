/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "internet-core-helper.h"

#include "ns3/error-model.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4.h"
#include "ns3/point-to-point-net-device.h"
#include "ns3/pointer.h"
#include "ns3/static-route-cache.h"
#include "ns3/string.h"
#include "ns3/weak-host-routing.h"

namespace ns3
{

namespace
{

/// Mask of a prefix length.
Ipv4Mask
MaskOf(uint8_t length)
{
    return Ipv4Mask(~uint32_t(0) << (32 - length));
}

} // namespace

InternetCoreHelper::InternetCoreHelper(const Scenario& scenario)
    : m_sc(scenario),
      m_access(scenario.networks.size())
{
}

void
InternetCoreHelper::SetCore(Ptr<Node> core)
{
    NS_ABORT_MSG_IF(m_core, "InternetCoreHelper: the core is set already");
    m_core = core;
}

void
InternetCoreHelper::SetAccessRouter(size_t net, Ptr<Node> router)
{
    NS_ABORT_MSG_IF(!m_sc.networks.at(net).hasAccess,
                    "InternetCoreHelper: network " << net << " has no access link");
    m_access[net] = router;
}

InternetCoreHelper::Link
InternetCoreHelper::Connect(Ptr<Node> parent,
                            Ptr<Node> child,
                            uint64_t down,
                            uint64_t up,
                            double delay,
                            double loss,
                            int64_t& stream)
{
    m_p2p.SetChannelAttribute("Delay", TimeValue(Seconds(delay)));
    Link link;
    link.devices = m_p2p.Install(parent, child);
    // One rate per direction: a device's DataRate is the rate it sends at.
    link.devices.Get(0)->SetAttribute("DataRate", DataRateValue(DataRate(down)));
    link.devices.Get(1)->SetAttribute("DataRate", DataRateValue(DataRate(up)));
    if (loss > 0)
    {
        for (uint32_t k = 0; k < 2; ++k)
        {
            Ptr<RateErrorModel> em = CreateObject<RateErrorModel>();
            em->SetUnit(RateErrorModel::ERROR_UNIT_PACKET);
            em->SetRate(loss);
            stream += em->AssignStreams(stream);
            link.devices.Get(k)->SetAttribute("ReceiveErrorModel", PointerValue(em));
        }
    }
    // A /30 of 100.64.0.0/10 (the parser keeps scenario prefixes out of it).
    Ipv4Address base(Ipv4Address("100.64.0.0").Get() + 4 * m_nextLink++);
    NS_ABORT_MSG_IF(m_nextLink > (1U << 20), "InternetCoreHelper: more than 2^20 links");
    Ipv4AddressHelper ip(base, Ipv4Mask("255.255.255.252"));
    Ipv4InterfaceContainer ifc = ip.Assign(link.devices);
    link.parentAddress = ifc.GetAddress(0);
    link.childAddress = ifc.GetAddress(1);
    if (parent == m_core && m_coreAddress == Ipv4Address::GetAny())
    {
        m_coreAddress = link.parentAddress;
    }
    return link;
}

void
InternetCoreHelper::Build(InternetStackHelper& stack, int64_t& stream)
{
    NodeContainer routers; // those created here
    if (!m_core)
    {
        m_core = CreateObject<Node>();
        routers.Add(m_core);
    }
    m_site.resize(m_sc.sites.size());
    m_siteLink.resize(m_sc.sites.size());
    m_accessLink.resize(m_sc.networks.size());
    for (auto& s : m_site)
    {
        s = CreateObject<Node>();
        routers.Add(s);
    }
    for (size_t j = 0; j < m_sc.networks.size(); ++j)
    {
        if (m_sc.networks[j].hasAccess && !m_access[j])
        {
            m_access[j] = CreateObject<Node>();
            routers.Add(m_access[j]);
        }
    }
    stack.Install(routers);
    for (auto it = routers.Begin(); it != routers.End(); ++it)
    {
        // A router with an interface and a route per network: ns-3's weak-host check and
        // static lookup walk them all for every packet it forwards.
        WeakHostRouting::Install(*it);
        StaticRouteCache::Install(*it);
    }
    // Fixed streams (see CsmaScenarioTopology::Build).
    stream += stack.AssignStreams(routers, stream);
    for (size_t k = 0; k < m_site.size(); ++k)
    {
        const auto& s = m_sc.sites[k];
        m_siteLink[k] = Connect(m_core, m_site[k], s.rate, s.rate, s.delay, 0, stream);
    }
    for (size_t j = 0; j < m_sc.networks.size(); ++j)
    {
        const auto& n = m_sc.networks[j];
        if (n.hasAccess)
        {
            Ptr<Node> parent = n.site.empty() ? m_core : m_site[size_t(m_sc.FindSite(n.site))];
            m_accessLink[j] = Connect(parent,
                                      m_access[j],
                                      n.accessDown,
                                      n.accessUp,
                                      n.accessDelay,
                                      n.accessLoss,
                                      stream);
        }
    }
}

void
InternetCoreHelper::PopulateRoutes()
{
    Ipv4StaticRoutingHelper srh;
    auto routing = [&](Ptr<Node> node) { return srh.GetStaticRouting(node->GetObject<Ipv4>()); };
    auto ifOf = [](Ptr<NetDevice> dev) {
        return uint32_t(dev->GetNode()->GetObject<Ipv4>()->GetInterfaceForDevice(dev));
    };
    for (size_t k = 0; k < m_site.size(); ++k)
    {
        const auto& s = m_sc.sites[k];
        const Link& up = m_siteLink[k];
        routing(m_site[k])->SetDefaultRoute(up.parentAddress, ifOf(up.devices.Get(1)));
        if (s.hasPrefix)
        {
            routing(m_core)->AddNetworkRouteTo(s.prefix,
                                               MaskOf(s.prefixLength),
                                               up.childAddress,
                                               ifOf(up.devices.Get(0)));
        }
    }
    for (size_t j = 0; j < m_sc.networks.size(); ++j)
    {
        const auto& n = m_sc.networks[j];
        int k = n.site.empty() ? -1 : m_sc.FindSite(n.site);
        if (n.hasAccess)
        {
            const Link& link = m_accessLink[j];
            routing(m_access[j])->SetDefaultRoute(link.parentAddress, ifOf(link.devices.Get(1)));
            Ptr<Node> parent = k < 0 ? m_core : m_site[size_t(k)];
            routing(parent)->AddNetworkRouteTo(n.prefix,
                                               MaskOf(n.prefixLength),
                                               link.childAddress,
                                               ifOf(link.devices.Get(0)));
        }
        if (k >= 0 && !m_sc.sites[size_t(k)].hasPrefix)
        {
            // The core reaches the network through the site's router.
            const Link& up = m_siteLink[size_t(k)];
            routing(m_core)->AddNetworkRouteTo(n.prefix,
                                               MaskOf(n.prefixLength),
                                               up.childAddress,
                                               ifOf(up.devices.Get(0)));
        }
    }
}

Ptr<Node>
InternetCoreHelper::GetCore() const
{
    return m_core;
}

Ptr<Node>
InternetCoreHelper::GetGateway(size_t net) const
{
    if (m_access.at(net))
    {
        return m_access[net];
    }
    const auto& n = m_sc.networks[net];
    return n.site.empty() ? m_core : m_site[size_t(m_sc.FindSite(n.site))];
}

Ipv4Address
InternetCoreHelper::GetCoreAddress() const
{
    return m_coreAddress;
}

NetDeviceContainer
InternetCoreHelper::GetAccessLink(size_t net) const
{
    NS_ABORT_MSG_IF(!m_access.at(net), "network " << net << " has no access link");
    return m_accessLink[net].devices;
}

void
InternetCoreHelper::EnablePcap(const std::string& prefix)
{
    for (size_t j = 0; j < m_access.size(); ++j)
    {
        if (m_access[j])
        {
            m_p2p.EnablePcap(prefix + "-access-" + m_sc.networks[j].name + ".pcap",
                             m_accessLink[j].devices.Get(1),
                             true,
                             true);
        }
    }
    for (size_t k = 0; k < m_site.size(); ++k)
    {
        m_p2p.EnablePcap(prefix + "-site-" + m_sc.sites[k].name + ".pcap",
                         m_siteLink[k].devices.Get(1),
                         true,
                         true);
    }
}

} // namespace ns3
