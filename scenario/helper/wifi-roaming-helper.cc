/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "wifi-roaming-helper.h"

#include "ns3/abort.h"
#include "ns3/arp-cache.h"
#include "ns3/boolean.h"
#include "ns3/constant-position-mobility-model.h"
#include "ns3/csma-channel.h"
#include "ns3/csma-helper.h"
#include "ns3/data-rate.h"
#include "ns3/dhcp-client.h"
#include "ns3/dhcp-helper.h"
#include "ns3/dhcp-server.h"
#include "ns3/double.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-interface.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/ssid.h"
#include "ns3/uinteger.h"
#include "ns3/waypoint-mobility-model.h"
#include "ns3/wifi-helper.h"
#include "ns3/wifi-mac-helper.h"
#include "ns3/wifi-mac.h"
#include "ns3/wifi-net-device.h"
#include "ns3/yans-wifi-helper.h"

#include <cmath>
#include <sstream>
#include <tuple>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WifiRoamingHelper");

namespace
{

/// "a.b.c.d/len" -> network address and mask; aborts on bad text.
std::pair<Ipv4Address, Ipv4Mask>
ParsePrefix(const std::string& text, const std::string& what)
{
    size_t slash = text.find('/');
    NS_ABORT_MSG_IF(slash == std::string::npos || slash + 1 >= text.size(),
                    "WifiRoamingHelper: " << what << " '" << text
                                          << "' is not a prefix like 192.168.1.0/24");
    std::string len = text.substr(slash + 1);
    NS_ABORT_MSG_IF(len.find_first_not_of("0123456789") != std::string::npos ||
                        std::stoul(len) < 8 || std::stoul(len) > 30,
                    "WifiRoamingHelper: " << what << " '" << text
                                          << "': prefix length must be 8 to 30");
    Ipv4Address address(text.substr(0, slash).c_str());
    Ipv4Mask mask(("/" + len).c_str());
    NS_ABORT_MSG_IF(address.CombineMask(mask) != address,
                    "WifiRoamingHelper: " << what << " '" << text << "' has host bits set");
    return {address, mask};
}

/// The n-th address of a prefix.
Ipv4Address
Host(Ipv4Address prefix, uint32_t n)
{
    return Ipv4Address(prefix.Get() + n);
}

/// "a.b.c.d/len".
std::string
PrefixText(Ipv4Address prefix, Ipv4Mask mask)
{
    std::ostringstream os;
    os << prefix << "/" << mask.GetPrefixLength();
    return os.str();
}

} // namespace

void
WifiRoamingHelper::DeepenArpQueue(Ptr<Node> node, Ptr<NetDevice> device)
{
    Ptr<Ipv4L3Protocol> l3 = node->GetObject<Ipv4L3Protocol>();
    int32_t i = l3->GetInterfaceForDevice(device);
    if (i >= 0 && l3->GetInterface(i)->GetArpCache())
    {
        l3->GetInterface(i)->GetArpCache()->SetAttribute("PendingQueueSize", UintegerValue(100));
    }
}

namespace
{

/// Add an interface for a device, give it an address and bring it up.
uint32_t
AddInterface(Ptr<Node> node, Ptr<NetDevice> device, Ipv4Address address, Ipv4Mask mask)
{
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    uint32_t i = ipv4->AddInterface(device);
    ipv4->AddAddress(i, Ipv4InterfaceAddress(address, mask));
    ipv4->SetUp(i);
    WifiRoamingHelper::DeepenArpQueue(node, device);
    return i;
}

/// Install the Internet stack on a node that has none.
void
EnsureInternet(Ptr<Node> node)
{
    if (!node->GetObject<Ipv4>())
    {
        InternetStackHelper().Install(node);
    }
}

/// Store an attribute setting, replacing an earlier one of the same name.
void
Remember(std::vector<std::pair<std::string, Ptr<AttributeValue>>>& list,
         const std::string& name,
         const AttributeValue& value)
{
    for (auto& [n, v] : list)
    {
        if (n == name)
        {
            v = value.Copy();
            return;
        }
    }
    list.emplace_back(name, value.Copy());
}

} // namespace

WifiRoamingHelper::WifiRoamingHelper()
{
    SetCorePrefix("192.168.255.0/24");
    SetStaMacAttribute("ActiveProbing", BooleanValue(true));
    SetStaMacAttribute("MaxMissedBeacons", UintegerValue(3));
    SetDhcpClientAttribute("Collect", TimeValue(MilliSeconds(10)));
}

void
WifiRoamingHelper::SetCoverageRadius(double meters)
{
    NS_ABORT_MSG_IF(m_wifiChannel, "WifiRoamingHelper: set the coverage before AddNetwork");
    NS_ABORT_MSG_IF(meters < 0, "WifiRoamingHelper: negative coverage radius");
    m_coverage = meters;
}

void
WifiRoamingHelper::SetCorePrefix(const std::string& prefix)
{
    NS_ABORT_MSG_IF(m_core, "WifiRoamingHelper: set the core prefix before AddNetwork");
    std::tie(m_corePrefix, m_coreMask) = ParsePrefix(prefix, "core prefix");
}

void
WifiRoamingHelper::SetStaMacAttribute(const std::string& name, const AttributeValue& value)
{
    Remember(m_staMac, name, value);
}

void
WifiRoamingHelper::SetDhcpClientAttribute(const std::string& name, const AttributeValue& value)
{
    Remember(m_client, name, value);
}

void
WifiRoamingHelper::SetDhcpServerAttribute(const std::string& name, const AttributeValue& value)
{
    Remember(m_server, name, value);
}

void
WifiRoamingHelper::BuildCore()
{
    m_core = CreateObject<Node>();
    InternetStackHelper().Install(m_core);
    m_coreChannel = CreateObject<CsmaChannel>();
    m_coreChannel->SetAttribute("DataRate", DataRateValue(DataRate("1Gbps")));
    m_coreChannel->SetAttribute("Delay", TimeValue(MicroSeconds(100)));
    Ptr<NetDevice> dev = CsmaHelper().Install(m_core, m_coreChannel).Get(0);
    AddInterface(m_core, dev, Host(m_corePrefix, 1), m_coreMask);

    YansWifiChannelHelper channel = YansWifiChannelHelper::Default();
    if (m_coverage > 0)
    {
        channel.AddPropagationLoss("ns3::RangePropagationLossModel",
                                   "MaxRange",
                                   DoubleValue(m_coverage));
    }
    m_wifiChannel = channel.Create();
}

WifiRoamingHelper::Network
WifiRoamingHelper::NewAp(const std::string& name,
                         const std::string& prefix,
                         const Vector& apPosition)
{
    NS_ABORT_MSG_IF(name.empty() || name.size() > 32,
                    "WifiRoamingHelper: a network name (its SSID) has 1 to 32 characters");
    for (const auto& n : m_networks)
    {
        NS_ABORT_MSG_IF(n.name == name, "WifiRoamingHelper: network '" << name << "' added twice");
    }
    if (!m_core)
    {
        BuildCore();
    }
    Network n;
    n.name = name;
    std::tie(n.prefix, n.mask) = ParsePrefix(prefix, "network '" + name + "'");
    n.position = apPosition;
    n.ap = CreateObject<Node>();
    InternetStackHelper().Install(n.ap);
    auto still = CreateObject<ConstantPositionMobilityModel>();
    still->SetPosition(apPosition);
    n.ap->AggregateObject(still);
    n.coreAddress = Ipv4Address::GetAny();
    return n;
}

Ptr<Node>
WifiRoamingHelper::AddNetwork(const std::string& name,
                              const std::string& prefix,
                              const Vector& apPosition)
{
    NS_LOG_FUNCTION(this << name << prefix << apPosition);
    Network n = NewAp(name, prefix, apPosition);
    // Wired side: the core segment, default route to the core router, which routes back.
    Ptr<NetDevice> coreDev = CsmaHelper().Install(n.ap, m_coreChannel).Get(0);
    n.coreAddress = Host(m_corePrefix, 2 + m_networks.size());
    uint32_t coreIf = AddInterface(n.ap, coreDev, n.coreAddress, m_coreMask);
    Ipv4StaticRoutingHelper routing;
    routing.GetStaticRouting(n.ap->GetObject<Ipv4>())
        ->SetDefaultRoute(Host(m_corePrefix, 1), coreIf);
    routing.GetStaticRouting(m_core->GetObject<Ipv4>())
        ->AddNetworkRouteTo(n.prefix, n.mask, n.coreAddress, 1);
    return FinishAp(n);
}

Ptr<Node>
WifiRoamingHelper::AddUplinkedNetwork(const std::string& name,
                                      const std::string& prefix,
                                      const Vector& apPosition)
{
    NS_LOG_FUNCTION(this << name << prefix << apPosition);
    return FinishAp(NewAp(name, prefix, apPosition));
}

Ptr<Node>
WifiRoamingHelper::FinishAp(Network n)
{
    // Wi-Fi side: the AP announces the network's name; the DhcpServer leases the prefix.
    WifiHelper wifi;
    wifi.SetStandard(WIFI_STANDARD_80211a);
    YansWifiPhyHelper phy;
    phy.SetChannel(m_wifiChannel);
    WifiMacHelper mac;
    mac.SetType("ns3::ApWifiMac", "Ssid", SsidValue(Ssid(n.name)));
    n.apDevice = wifi.Install(phy, mac, n.ap).Get(0);
    DhcpHelper dhcp;
    for (const auto& [attr, value] : m_server)
    {
        dhcp.SetServerAttribute(attr, *value);
    }
    Ipv4Address gateway = Host(n.prefix, 1);
    Ipv4Address last(n.prefix.Get() | ~n.mask.Get());
    ApplicationContainer server = dhcp.InstallDhcpServer(n.apDevice,
                                                         gateway,
                                                         n.prefix,
                                                         n.mask,
                                                         Host(n.prefix, 2),
                                                         Ipv4Address(last.Get() - 1),
                                                         gateway);
    server.Start(Seconds(0));
    n.dhcpServer = DynamicCast<DhcpServer>(server.Get(0));
    DeepenArpQueue(n.ap, n.apDevice);
    m_networks.push_back(n);
    return n.ap;
}

void
WifiRoamingHelper::AddWiredLan(const std::string& network, const std::string& prefix)
{
    NS_LOG_FUNCTION(this << network << prefix);
    Network& n = Find(network);
    NS_ABORT_MSG_IF(n.lan, "WifiRoamingHelper: network '" << network << "' has a wired LAN");
    NS_ABORT_MSG_IF(n.coreAddress == Ipv4Address::GetAny(),
                    "WifiRoamingHelper: network '" << network
                                                   << "' is uplinked: its caller routes, so "
                                                      "it has no wired LAN here");
    std::tie(n.lanPrefix, n.lanMask) = ParsePrefix(prefix, "wired LAN of '" + network + "'");
    n.lan = CreateObject<CsmaChannel>();
    n.lan->SetAttribute("DataRate", DataRateValue(DataRate("100Mbps")));
    n.lan->SetAttribute("Delay", TimeValue(MicroSeconds(50)));
    Ptr<NetDevice> dev = CsmaHelper().Install(n.ap, n.lan).Get(0);
    AddInterface(n.ap, dev, Host(n.lanPrefix, 1), n.lanMask);
    Ipv4StaticRoutingHelper()
        .GetStaticRouting(m_core->GetObject<Ipv4>())
        ->AddNetworkRouteTo(n.lanPrefix, n.lanMask, n.coreAddress, 1);
}

NetDeviceContainer
WifiRoamingHelper::Install(NodeContainer terminals, const std::string& network)
{
    return Install(terminals, SpotAt(Find(network)));
}

NetDeviceContainer
WifiRoamingHelper::Install(NodeContainer terminals, const Vector& position)
{
    NS_LOG_FUNCTION(this << position);
    NS_ABORT_MSG_IF(!m_wifiChannel, "WifiRoamingHelper::Install: add a network first");
    WifiHelper wifi;
    wifi.SetStandard(WIFI_STANDARD_80211a);
    YansWifiPhyHelper phy;
    phy.SetChannel(m_wifiChannel);
    WifiMacHelper mac;
    mac.SetType("ns3::StaWifiMac", "Ssid", SsidValue(Ssid())); // wildcard: any of our APs
    DhcpHelper dhcp;
    for (const auto& [attr, value] : m_client)
    {
        dhcp.SetClientAttribute(attr, *value);
    }
    NetDeviceContainer devices;
    for (auto it = terminals.Begin(); it != terminals.End(); ++it)
    {
        Ptr<Node> node = *it;
        NS_ABORT_MSG_IF(node->GetObject<MobilityModel>(),
                        "WifiRoamingHelper: node " << node->GetId() << " already has mobility");
        EnsureInternet(node);
        auto walker = CreateObject<WaypointMobilityModel>();
        walker->AddWaypoint(Waypoint(Seconds(0), position));
        node->AggregateObject(walker);
        m_lastSpot[node->GetId()] = position;
        m_lastArrival[node->GetId()] = Seconds(0);

        Ptr<NetDevice> dev = wifi.Install(phy, mac, node).Get(0);
        Ptr<WifiMac> staMac = DynamicCast<WifiNetDevice>(dev)->GetMac();
        for (const auto& [attr, value] : m_staMac)
        {
            staMac->SetAttribute(attr, *value);
        }
        ApplicationContainer client = dhcp.InstallDhcpClient(dev);
        client.Start(Seconds(0));
        DeepenArpQueue(node, dev);
        m_dhcp[node->GetId()] = DynamicCast<DhcpClient>(client.Get(0));
        devices.Add(dev);
    }
    return devices;
}

Ipv4Address
WifiRoamingHelper::InstallFixedStation(Ptr<Node> node,
                                       const std::string& network,
                                       const Vector& position)
{
    NS_LOG_FUNCTION(this << node << network << position);
    Network& n = Find(network);
    NS_ABORT_MSG_IF(node->GetObject<MobilityModel>(),
                    "WifiRoamingHelper: node " << node->GetId() << " already has mobility");
    // From the top of the prefix down; the DhcpServer builds its pool when it starts, so
    // lowering its last address now keeps these out of it.
    Ipv4Address last(n.prefix.Get() | ~n.mask.Get());
    Ipv4Address address(last.Get() - 1 - n.fixedStations);
    Ipv4Address poolEnd(address.Get() - 1);
    NS_ABORT_MSG_IF(poolEnd.Get() <= Host(n.prefix, 2).Get(),
                    "WifiRoamingHelper: network '" << network << "' has no room left to lease");
    n.dhcpServer->SetAttribute("LastAddress", Ipv4AddressValue(poolEnd));
    ++n.fixedStations;

    EnsureInternet(node);
    auto standing = CreateObject<ConstantPositionMobilityModel>();
    standing->SetPosition(position);
    node->AggregateObject(standing);
    WifiHelper wifi;
    wifi.SetStandard(WIFI_STANDARD_80211a);
    YansWifiPhyHelper phy;
    phy.SetChannel(m_wifiChannel);
    WifiMacHelper mac;
    mac.SetType("ns3::StaWifiMac", "Ssid", SsidValue(Ssid(n.name))); // its AP only
    Ptr<NetDevice> dev = wifi.Install(phy, mac, node).Get(0);
    Ptr<WifiMac> staMac = DynamicCast<WifiNetDevice>(dev)->GetMac();
    for (const auto& [attr, value] : m_staMac)
    {
        staMac->SetAttribute(attr, *value);
    }
    uint32_t i = AddInterface(node, dev, address, n.mask);
    Ipv4StaticRoutingHelper()
        .GetStaticRouting(node->GetObject<Ipv4>())
        ->SetDefaultRoute(Host(n.prefix, 1), i);
    DeepenArpQueue(node, dev);
    return address;
}

Ipv4Address
WifiRoamingHelper::InstallWiredHost(Ptr<Node> host, const std::string& network)
{
    NS_LOG_FUNCTION(this << host << network);
    Network& n = Find(network);
    NS_ABORT_MSG_IF(!n.lan, "WifiRoamingHelper: network '" << network << "' has no wired LAN");
    EnsureInternet(host);
    Ptr<NetDevice> dev = CsmaHelper().Install(host, n.lan).Get(0);
    Ipv4Address address = Host(n.lanPrefix, n.nextLanHost++);
    NS_ABORT_MSG_IF(address.CombineMask(n.lanMask) != n.lanPrefix,
                    "WifiRoamingHelper: the wired LAN of '" << network << "' is full");
    uint32_t i = AddInterface(host, dev, address, n.lanMask);
    Ipv4StaticRoutingHelper()
        .GetStaticRouting(host->GetObject<Ipv4>())
        ->SetDefaultRoute(Host(n.lanPrefix, 1), i);
    return address;
}

Time
WifiRoamingHelper::Walk(Ptr<Node> terminal, const std::string& network, Time start, double speed)
{
    return WalkTo(terminal, SpotAt(Find(network)), start, speed);
}

Time
WifiRoamingHelper::WalkTo(Ptr<Node> terminal, const Vector& to, Time start, double speed)
{
    NS_LOG_FUNCTION(this << terminal << to << start << speed);
    Ptr<WaypointMobilityModel> walker = terminal->GetObject<WaypointMobilityModel>();
    auto spot = m_lastSpot.find(terminal->GetId());
    NS_ABORT_MSG_IF(!walker || spot == m_lastSpot.end(),
                    "WifiRoamingHelper::Walk: node " << terminal->GetId()
                                                     << " was not installed as a terminal");
    NS_ABORT_MSG_IF(speed <= 0, "WifiRoamingHelper::Walk: the speed must be positive");
    Time& lastArrival = m_lastArrival[terminal->GetId()];
    NS_ABORT_MSG_IF(start < lastArrival,
                    "WifiRoamingHelper::Walk: node " << terminal->GetId() << " is still walking at "
                                                     << start.As(Time::S));
    Vector from = spot->second;
    Time arrival = start + Seconds(CalculateDistance(from, to) / speed);
    if (start > lastArrival)
    {
        walker->AddWaypoint(Waypoint(start, from)); // stands still until then
    }
    walker->AddWaypoint(Waypoint(arrival, to));
    spot->second = to;
    lastArrival = arrival;
    return arrival;
}

std::string
WifiRoamingHelper::GetLocationPrefixes() const
{
    std::string out;
    for (const auto& n : m_networks)
    {
        out += (out.empty() ? "" : ";") + PrefixText(n.prefix, n.mask) + "=" + n.name;
        if (n.lan)
        {
            out += ";" + PrefixText(n.lanPrefix, n.lanMask) + "=" + n.name;
        }
    }
    return out;
}

std::string
WifiRoamingHelper::GetNetworkOf(Ipv4Address address) const
{
    for (const auto& n : m_networks)
    {
        if (address.CombineMask(n.mask) == n.prefix ||
            (n.lan && address.CombineMask(n.lanMask) == n.lanPrefix))
        {
            return n.name;
        }
    }
    return "";
}

Ptr<Node>
WifiRoamingHelper::GetAccessPoint(const std::string& network) const
{
    return Find(network).ap;
}

Ptr<NetDevice>
WifiRoamingHelper::GetApDevice(const std::string& network) const
{
    return Find(network).apDevice;
}

Ptr<Node>
WifiRoamingHelper::GetCoreRouter() const
{
    return m_core;
}

Ipv4Address
WifiRoamingHelper::GetCoreRouterAddress() const
{
    return Host(m_corePrefix, 1);
}

Ptr<DhcpClient>
WifiRoamingHelper::GetDhcpClient(Ptr<Node> terminal) const
{
    auto it = m_dhcp.find(terminal->GetId());
    return it == m_dhcp.end() ? nullptr : it->second;
}

const WifiRoamingHelper::Network&
WifiRoamingHelper::Find(const std::string& name) const
{
    for (const auto& n : m_networks)
    {
        if (n.name == name)
        {
            return n;
        }
    }
    NS_ABORT_MSG("WifiRoamingHelper: no network named '" << name << "'");
    return m_networks.front(); // not reached
}

WifiRoamingHelper::Network&
WifiRoamingHelper::Find(const std::string& name)
{
    return const_cast<Network&>(static_cast<const WifiRoamingHelper*>(this)->Find(name));
}

Vector
WifiRoamingHelper::SpotAt(const Network& network)
{
    return SpotNear(network.position);
}

Vector
WifiRoamingHelper::SpotNear(const Vector& ap)
{
    // A couple of metres from the AP, like a desk or a cafe table.
    return Vector(ap.x, ap.y + 2, ap.z);
}

} // namespace ns3
