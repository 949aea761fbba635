/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "wifi-scenario-topology.h"

#include "ns3/background-load-helper.h"
#include "ns3/basic-energy-source-helper.h"
#include "ns3/dhcp-client.h"
#include "ns3/double.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/limited-broadcast-steering.h"
#include "ns3/log.h"
#include "ns3/mobility-model.h"
#include "ns3/pointer.h"
#include "ns3/string.h"
#include "ns3/wifi-helper.h"
#include "ns3/wifi-mac.h"
#include "ns3/wifi-net-device.h"
#include "ns3/wifi-radio-energy-model-helper.h"
#include "ns3/wired-attachment-helper.h"
#include "ns3/yans-wifi-helper.h"

#include <algorithm>
#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WifiScenarioTopology");

bool
WifiScenarioTopology::HasFixedAddresses() const
{
    return false;
}

void
WifiScenarioTopology::ChooseCorePrefix()
{
    // Private, never leaves the simulation.
    for (const char* core : {"192.168.255.0/24", "10.255.255.0/24", "172.31.255.0/24"})
    {
        ScenarioNetwork probe;
        std::string c(core);
        probe.prefix = Ipv4Address(c.substr(0, c.find('/')).c_str());
        probe.prefixLength = 24;
        bool clash = false;
        for (const auto& n : m_sc.networks)
        {
            clash |= n.Contains(probe.prefix) || probe.Contains(n.prefix);
        }
        for (const auto& site : m_sc.sites)
        {
            // A site's prefix holds its networks; the core segment must not hide in it.
            ScenarioNetwork covering;
            covering.prefix = site.prefix;
            covering.prefixLength = site.prefixLength;
            clash |= site.hasPrefix && covering.Contains(probe.prefix);
        }
        if (!clash)
        {
            m_roaming.SetCorePrefix(core);
            break;
        }
    }
}

void
WifiScenarioTopology::Build(int64_t& stream)
{
    SetPaths();
    m_roaming.SetCoverageRadius(m_sc.GetWifiReach());
    ChooseCorePrefix();
    for (const auto& n : m_sc.networks)
    {
        // An AP with an access link is its network's access router: InternetCoreHelper links
        // it to the core (or its site's router) instead of the core segment.
        if (n.IsWifi() && n.hasAccess)
        {
            m_roaming.AddUplinkedNetwork(n.name, n.PrefixText(), Vector(n.x, n.y, 0));
        }
        else if (n.IsWifi())
        {
            m_roaming.AddNetwork(n.name, n.PrefixText(), Vector(n.x, n.y, 0));
        }
    }
    m_router = m_roaming.GetCoreRouter();
    m_terms.Create(m_t);
    InternetStackHelper stack;
    stack.Install(m_terms);
    NetDeviceContainer wifiDevs;
    for (size_t j = 0; j < m_n; ++j)
    {
        if (m_sc.networks[j].IsWifi())
        {
            wifiDevs.Add(m_roaming.GetApDevice(m_sc.networks[j].name));
        }
    }
    // Each station's radio draws from a battery of the terminal's capacity (ns-3's energy
    // framework: WifiRadioEnergyModel's default currents for 802.11 states, 3 V supply).
    // Terminals that only ever dock to wired networks have no radio.
    m_radioEnergy.resize(m_t);
    std::vector<bool> hasRadio(m_t, false);
    for (size_t i = 0; i < m_t; ++i)
    {
        for (const auto& step : m_path[i])
        {
            hasRadio[i] = hasRadio[i] || m_sc.networks[step.second].IsWifi();
        }
        if (!hasRadio[i])
        {
            continue;
        }
        size_t start = m_path[i].front().second;
        NetDeviceContainer sta =
            m_sc.networks[start].IsWifi()
                ? m_roaming.Install(NodeContainer(m_terms.Get(i)), m_sc.networks[start].name)
                : m_roaming.Install(NodeContainer(m_terms.Get(i)), DockOf(start));
        wifiDevs.Add(sta);
        BasicEnergySourceHelper battery;
        battery.Set("BasicEnergySourceInitialEnergyJ",
                    DoubleValue(m_sc.terminals[i].batteryWh * 3600));
        EnergySourceContainer sources = battery.Install(m_terms.Get(i));
        m_radioEnergy[i] = WifiRadioEnergyModelHelper().Install(sta.Get(0), sources.Get(0)).Get(0);
    }
    // Fixed streams (see CsmaScenarioTopology::Build): stacks, Wi-Fi, the core's CSMA, DHCP
    // clients.
    NodeContainer infra(m_router);
    NetDeviceContainer coreDevs;
    for (size_t j = 0; j < m_n; ++j)
    {
        if (m_sc.networks[j].IsWifi())
        {
            infra.Add(m_roaming.GetAccessPoint(m_sc.networks[j].name));
        }
    }
    for (auto it = infra.Begin(); it != infra.End(); ++it)
    {
        for (uint32_t d = 0; d < (*it)->GetNDevices(); ++d)
        {
            if (DynamicCast<CsmaNetDevice>((*it)->GetDevice(d)))
            {
                coreDevs.Add((*it)->GetDevice(d));
            }
        }
    }
    NodeContainer all(infra);
    all.Add(m_terms);
    stream += stack.AssignStreams(all, stream);
    stream += WifiHelper().AssignStreams(wifiDevs, stream);
    stream += CsmaHelper().AssignStreams(coreDevs, stream);
    // The Internet core, if the scenario has one, around the Wi-Fi core's router (after the
    // streams above, so scenarios without it keep theirs).
    m_core = std::make_unique<InternetCoreHelper>(m_sc);
    m_core->SetCore(m_router);
    for (size_t j = 0; j < m_n; ++j)
    {
        if (m_sc.networks[j].IsWifi() && m_sc.networks[j].hasAccess)
        {
            m_core->SetAccessRouter(j, m_roaming.GetAccessPoint(m_sc.networks[j].name));
        }
    }
    m_core->Build(stack, stream);
    m_walkEnd.assign(m_t, Seconds(0));
    m_walkingTo.assign(m_t, -1);
    m_nextStep.assign(m_t, 1);
    m_unplanned.assign(m_t, 0);
    for (size_t i = 0; i < m_t; ++i)
    {
        if (!hasRadio[i])
        {
            continue;
        }
        Ptr<DhcpClient> dhcp = m_roaming.GetDhcpClient(m_terms.Get(i));
        stream += dhcp->AssignStreams(stream);
        // A terminal that docks too: its radio's DHCP broadcasts stay off the wired LAN.
        if (std::any_of(m_path[i].begin(), m_path[i].end(), [this](const auto& step) {
                return !m_sc.networks[step.second].IsWifi();
            }))
        {
            LimitedBroadcastSteering::Install(m_terms.Get(i));
        }
        dhcp->TraceConnectWithoutContext(
            "NewLease",
            Callback<void, const Ipv4Address&>([this, i](const Ipv4Address& a) {
                m_monitor->AddAddress(a, uint32_t(i));
                m_addrHistory[i].insert(a.Get());
                NotifyLink(i, LinkEvent::ADDRESS);
            }));
        Ptr<WifiMac> mac = DynamicCast<WifiNetDevice>(dhcp->GetDhcpClientNetDevice())->GetMac();
        mac->TraceConnectWithoutContext(
            "Assoc",
            Callback<void, Mac48Address>([this, i](Mac48Address ap) { Associated(i, ap); }));
        mac->TraceConnectWithoutContext("DeAssoc",
                                        Callback<void, Mac48Address>([this, i](Mac48Address) {
                                            NotifyLink(i, LinkEvent::DOWN);
                                        }));
    }
    BuildWired(stream);
    if (!m_sc.registrar.empty())
    {
        BuildRegistrar(*m_wired[size_t(m_sc.FindNetwork(m_sc.registrar))], stream);
    }
    m_core->PopulateRoutes();
    BuildBackground(stream);
    for (size_t i = 0; i < m_t; ++i)
    {
        Arrive(i, m_path[i].front().second);
    }
}

void
WifiScenarioTopology::BuildBackground(int64_t& stream)
{
    if (m_sc.backgrounds.empty())
    {
        return;
    }
    Time stop = Seconds(m_sc.duration);
    BackgroundLoadHelper::InstallSink(NodeContainer(m_router), stop);
    InternetStackHelper stack;
    for (const auto& b : m_sc.backgrounds)
    {
        const size_t j = size_t(m_sc.FindNetwork(b.network));
        const auto& net = m_sc.networks[j];
        NodeContainer stations;
        stations.Create(b.stations);
        stack.Install(stations);
        stream += stack.AssignStreams(stations, stream);
        std::vector<Ipv4Address> addresses;
        if (!net.IsWifi())
        {
            // Wired guests after the terminals' host numbers (the parser checked the room),
            // their load a share of the network's access link, as in the all-CSMA topology.
            addresses =
                m_wired[j]->AddHosts(stations, net.prefix, net.prefixLength, m_nextHost[j], stream);
            BackgroundLoadHelper(b.size, b.load, net.accessDown, net.accessUp)
                .Install(m_router,
                         m_roaming.GetCoreRouterAddress(),
                         stations,
                         addresses,
                         Seconds(0),
                         stop,
                         stream);
            continue;
        }
        NetDeviceContainer devices;
        for (uint32_t k = 0; k < b.stations; ++k)
        {
            // Around the AP, 3 m away: the guests' tables.
            double angle = 2 * M_PI * (double(k) + 0.5) / double(b.stations);
            Vector at(net.x + 3 * std::cos(angle), net.y + 3 * std::sin(angle), 0);
            addresses.push_back(m_roaming.InstallFixedStation(stations.Get(k), net.name, at));
            Ptr<Node> node = stations.Get(k);
            devices.Add(node->GetDevice(node->GetNDevices() - 1));
        }
        stream += WifiHelper().AssignStreams(devices, stream);
        // The rate is the IP-level bit rate each way, all stations together.
        BackgroundLoadHelper(b.size, 1.0, b.rate, b.rate, 0)
            .Install(m_router,
                     m_roaming.GetCoreRouterAddress(),
                     stations,
                     addresses,
                     Seconds(1),
                     stop,
                     stream);
    }
}

Vector
WifiScenarioTopology::DockOf(size_t net) const
{
    // 100 km from the APs (whose reach is cut at 50 m at most), a spot per network.
    return Vector(1e5 + 100.0 * double(net), 1e5, 0);
}

Ipv4InterfaceAddress
WifiScenarioTopology::WiredAddress(size_t i, size_t net) const
{
    const auto& n = m_sc.networks[net];
    return Ipv4InterfaceAddress(Ipv4Address(n.prefix.Get() + m_docks[i].at(net).second),
                                Ipv4Mask(~uint32_t(0) << (32 - n.prefixLength)));
}

void
WifiScenarioTopology::BuildWired(int64_t& stream)
{
    m_wired.resize(m_n);
    m_wiredRouter.assign(m_n, nullptr);
    m_docks.resize(m_t);
    // Host numbers .2 upwards in order of first arrival (start networks, then moves).
    m_nextHost.assign(m_n, 2);
    std::vector<std::vector<size_t>> visitors(m_n);
    auto visit = [&](size_t i, size_t j) {
        if (!m_sc.networks[j].IsWifi() && !m_docks[i].count(j))
        {
            m_docks[i][j] = {nullptr, m_nextHost[j]++};
            visitors[j].push_back(i);
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
    for (size_t j = 0; j < m_n; ++j)
    {
        const auto& net = m_sc.networks[j];
        if (net.IsWifi())
        {
            continue;
        }
        NodeContainer onNet(m_core->GetGateway(j));
        for (size_t i : visitors[j])
        {
            onNet.Add(m_terms.Get(i));
        }
        m_wired[j] = std::make_unique<WiredLan>(net.switched);
        NetDeviceContainer d = m_wired[j]->Build(onNet, stream);
        m_wiredRouter[j] = d.Get(0);
        Ipv4Mask mask(~uint32_t(0) << (32 - net.prefixLength));
        Ipv4AddressHelper(net.prefix, mask, "0.0.0.1").Assign(NetDeviceContainer(d.Get(0)));
        for (size_t k = 0; k < visitors[j].size(); ++k)
        {
            size_t i = visitors[j][k];
            auto& dock = m_docks[i][j];
            dock.first = d.Get(k + 1);
            Ipv4AddressHelper(net.prefix, mask, Ipv4Address(dock.second))
                .Assign(NetDeviceContainer(dock.first));
            m_monitor->AddAddress(WiredAddress(i, j).GetLocal(), uint32_t(i));
            m_addrHistory[i].insert(WiredAddress(i, j).GetLocal().Get());
        }
        // As on the Wi-Fi side: a docked terminal's first packets through the router (it may
        // never have needed it before) wait for ARP instead of being dropped after 3.
        for (uint32_t k = 0; k < d.GetN(); ++k)
        {
            WifiRoamingHelper::DeepenArpQueue(onNet.Get(k), d.Get(k));
        }
    }
    // Docked where it starts, detached from every other wired network.
    for (size_t i = 0; i < m_t; ++i)
    {
        size_t start = m_path[i].front().second;
        for (const auto& [j, dock] : m_docks[i])
        {
            WiredAttachmentHelper::Detach(dock.first, *m_wired[j], true);
        }
        if (!m_sc.networks[start].IsWifi())
        {
            DoMove(i, start, start);
        }
    }
}

bool
WifiScenarioTopology::DoMove(size_t i, size_t from, size_t to)
{
    if (from == to)
    {
        // Docked at the start.
        WiredAttachmentHelper::Attach(m_docks[i].at(to).first,
                                      *m_wired[to],
                                      WiredAddress(i, to),
                                      Ipv4Address(m_sc.networks[to].prefix.Get() + 1));
        return true;
    }
    const ScenarioMove& move = MoveOf(i, m_nextStep[i]++);
    if (!m_sc.networks[from].IsWifi())
    {
        WiredAttachmentHelper::Detach(m_docks[i].at(from).first, *m_wired[from], true);
        NotifyLink(i, LinkEvent::DOWN);
    }
    if (!m_sc.networks[to].IsWifi())
    {
        if (m_sc.networks[from].IsWifi())
        {
            NotifyLink(i, LinkEvent::DOWN); // it leaves the AP for the dock
        }
        WiredAttachmentHelper::Attach(m_docks[i].at(to).first,
                                      *m_wired[to],
                                      WiredAddress(i, to),
                                      Ipv4Address(m_sc.networks[to].prefix.Get() + 1));
        NotifyLink(i, LinkEvent::UP);
        NotifyLink(i, LinkEvent::ADDRESS);
    }
    if (move.speed > 0)
    {
        m_walkingTo[i] = int(to); // on the new network when it associates there
        return false;
    }
    return true;
}

void
WifiScenarioTopology::Associated(size_t i, Mac48Address bssid)
{
    NotifyLink(i, LinkEvent::UP);
    auto isAp = [this, &bssid](size_t net) {
        return m_sc.networks[net].IsWifi() &&
               m_roaming.GetApDevice(m_sc.networks[net].name)->GetAddress() == Address(bssid);
    };
    if (m_walkingTo[i] >= 0 && isAp(size_t(m_walkingTo[i])))
    {
        Arrive(i, size_t(m_walkingTo[i]));
        m_walkingTo[i] = -1;
        return;
    }
    if (!isAp(GetNetwork(i)))
    {
        // Neither where it is nor where it walks to: the parser keeps walks out of other
        // APs' reach and plans a wander's coverage changes, but a short pass may still do it.
        // The apparatus follows the lease; the run's path and breakdown do not: counted.
        ++m_unplanned.at(i);
        NS_LOG_WARN("terminal " << m_sc.terminals[i].name << " associated with " << bssid
                                << ", an AP the run did not plan for it now");
    }
}

std::map<std::string, uint64_t>
WifiScenarioTopology::GetLanDrops(size_t net) const
{
    return m_wired[net] ? m_wired[net]->GetDrops() : std::map<std::string, uint64_t>{};
}

uint32_t
WifiScenarioTopology::GetUnplannedAssociations(size_t i) const
{
    return i < m_unplanned.size() ? m_unplanned[i] : 0;
}

void
WifiScenarioTopology::SetReceiveErrorModel(size_t net, Ptr<TamperErrorModel> model)
{
    if (m_sc.networks[net].IsWifi())
    {
        ScenarioTopology::SetReceiveErrorModel(net, model); // refused
        return;
    }
    m_wiredRouter[net]->SetAttribute("ReceiveErrorModel", PointerValue(model));
    for (size_t i = 0; i < m_t; ++i)
    {
        if (auto it = m_docks[i].find(net); it != m_docks[i].end())
        {
            it->second.first->SetAttribute("ReceiveErrorModel", PointerValue(model));
        }
    }
}

double
WifiScenarioTopology::GetRadioEnergy(size_t i) const
{
    return m_radioEnergy.at(i) ? m_radioEnergy[i]->GetTotalEnergyConsumption() : 0;
}

void
WifiScenarioTopology::PlanMove(size_t i, size_t k)
{
    // The jump is planned before the run (waypoints); association and lease follow by
    // themselves. Docking and undocking take a millisecond, whatever the distance.
    if (!m_radioEnergy[i])
    {
        return; // no radio: wired networks only
    }
    Time start = std::max(Seconds(m_path[i][k].first), m_walkEnd[i]);
    const auto& from = m_sc.networks[m_path[i][k - 1].second];
    const auto& to = m_sc.networks[m_path[i][k].second];
    const ScenarioMove& move = MoveOf(i, k);
    if (move.wander >= 0)
    {
        return; // a coverage change on a wander: its legs are planned by PlanRest
    }
    if (move.speed > 0)
    {
        // A walk: through the via points to the spot at the new AP.
        Time t = start;
        for (const auto& [x, y] : move.via)
        {
            t = m_roaming.WalkTo(m_terms.Get(i), Vector(x, y, 0), t, move.speed);
        }
        m_walkEnd[i] = m_roaming.Walk(m_terms.Get(i), to.name, t, move.speed);
        return;
    }
    if (from.IsWifi() && to.IsWifi())
    {
        m_walkEnd[i] = m_roaming.Walk(m_terms.Get(i), to.name, start, 1000.0);
        return;
    }
    Vector spot = to.IsWifi() ? WifiRoamingHelper::SpotNear(Vector(to.x, to.y, 0))
                              : DockOf(m_path[i][k].second);
    double distance =
        CalculateDistance(from.IsWifi() ? WifiRoamingHelper::SpotNear(Vector(from.x, from.y, 0))
                                        : DockOf(m_path[i][k - 1].second),
                          spot);
    m_walkEnd[i] = m_roaming.WalkTo(m_terms.Get(i), spot, start, std::max(1000.0, distance / 1e-3));
}

void
WifiScenarioTopology::PlanRest(size_t i)
{
    // The wander's legs, after the terminal's moves (the parser keeps them before it).
    for (const auto& wa : m_sc.wanders)
    {
        if (m_sc.terminals[i].name != wa.terminal)
        {
            continue;
        }
        for (const WanderLeg& leg : wa.legs)
        {
            Time start = std::max(Seconds(leg.depart), m_walkEnd[i]);
            m_walkEnd[i] =
                m_roaming.WalkTo(m_terms.Get(i), Vector(leg.x, leg.y, 0), start, wa.speed);
        }
    }
}

void
WifiScenarioTopology::InstallProbe(ExposureMonitorHelper& exposure, size_t net)
{
    if (!m_sc.networks[net].IsWifi())
    {
        m_wired[net]->InstallProbe(exposure, uint32_t(net), m_sc.networks[net].mirrored);
        return;
    }
    exposure.InstallWifiAp(uint32_t(net), m_roaming.GetApDevice(m_sc.networks[net].name));
}

void
WifiScenarioTopology::EnablePcap(const std::string& prefix)
{
    YansWifiPhyHelper phy;
    phy.SetPcapDataLinkType(WifiPhyHelper::DLT_IEEE802_11_RADIO);
    for (size_t j = 0; j < m_n; ++j)
    {
        if (!m_sc.networks[j].IsWifi())
        {
            m_wired[j]->EnablePcap(prefix + "-" + m_sc.networks[j].name + ".pcap",
                                   m_wiredRouter[j]);
            continue;
        }
        phy.EnablePcap(prefix + "-" + m_sc.networks[j].name + ".pcap",
                       m_roaming.GetApDevice(m_sc.networks[j].name),
                       true,
                       true);
    }
    m_core->EnablePcap(prefix);
}

} // namespace ns3
