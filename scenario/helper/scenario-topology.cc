/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "scenario-topology.h"

#include "wired-lan.h"

#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4.h"
#include "ns3/simulator.h"
#include "ns3/sip-registrar-helper.h"

#include <algorithm>

namespace ns3
{

ScenarioTopology::ScenarioTopology(const Scenario& scenario, Ptr<ExposureMonitor> monitor)
    : m_sc(scenario),
      m_monitor(monitor),
      m_n(scenario.networks.size()),
      m_t(scenario.terminals.size())
{
    m_addrHistory.resize(m_t);
    for (size_t j = 0; j < m_n; ++j)
    {
        const auto& n = m_sc.networks[j];
        uint32_t mask = n.prefixLength == 0 ? 0 : ~uint32_t(0) << (32 - n.prefixLength);
        uint32_t first = n.prefix.Get() & mask;
        m_byPrefix.push_back({first, first | ~mask, int(j)});
    }
    std::sort(m_byPrefix.begin(), m_byPrefix.end(), [](const auto& x, const auto& y) {
        return x.first < y.first;
    });
}

void
ScenarioTopology::SetPaths()
{
    m_path.resize(m_t);
    m_moves.resize(m_t);
    for (size_t i = 0; i < m_t; ++i)
    {
        m_path[i].push_back({0, size_t(m_sc.FindNetwork(m_sc.terminals[i].network))});
    }
    for (const auto& m : m_sc.moves)
    {
        size_t i = size_t(m_sc.FindTerminal(m.terminal));
        m_path[i].push_back({m.at, size_t(m_sc.FindNetwork(m.network))});
        m_moves[i].push_back(&m);
    }
    m_current.resize(m_t);
}

void
ScenarioTopology::Arrive(size_t i, size_t net)
{
    m_current[i] = net;
    m_monitor->Arrive(uint32_t(i), uint32_t(net));
}

void
ScenarioTopology::PlanMove(size_t, size_t)
{
}

void
ScenarioTopology::PlanRest(size_t)
{
}

bool
ScenarioTopology::DoMove(size_t, size_t, size_t)
{
    return true;
}

const ScenarioMove&
ScenarioTopology::MoveOf(size_t i, size_t k) const
{
    return *m_moves[i].at(k - 1);
}

void
ScenarioTopology::SetLinkCallback(LinkCallback cb)
{
    m_link = cb;
}

void
ScenarioTopology::NotifyLink(size_t i, LinkEvent e) const
{
    if (!m_link.IsNull())
    {
        m_link(i, e);
    }
}

void
ScenarioTopology::SetReceiveErrorModel(size_t net, Ptr<TamperErrorModel>)
{
    NS_ABORT_MSG("scenario runner: a tamperer needs a csma network ('" << m_sc.networks[net].name
                                                                       << "' is not)");
}

double
ScenarioTopology::GetRadioEnergy(size_t /* i */) const
{
    return 0;
}

std::map<std::string, uint64_t>
ScenarioTopology::GetLanDrops(size_t /* net */) const
{
    return {};
}

uint32_t
ScenarioTopology::GetUnplannedAssociations(size_t /* i */) const
{
    return 0;
}

Ipv4Address
ScenarioTopology::AddrOf(size_t, size_t) const
{
    NS_ABORT_MSG("scenario runner: the addresses come from DHCP");
    return Ipv4Address::GetAny();
}

void
ScenarioTopology::ScheduleMoves()
{
    for (size_t i = 0; i < m_t; ++i)
    {
        for (size_t k = 1; k < m_path[i].size(); ++k)
        {
            PlanMove(i, k);
            Simulator::Schedule(Seconds(m_path[i][k].first),
                                &ScenarioTopology::Move,
                                this,
                                i,
                                m_path[i][k - 1].second,
                                m_path[i][k].second);
        }
        PlanRest(i);
    }
}

void
ScenarioTopology::Move(size_t i, size_t from, size_t to)
{
    if (DoMove(i, from, to))
    {
        Arrive(i, to);
    }
}

const NodeContainer&
ScenarioTopology::GetTerminals() const
{
    return m_terms;
}

Ptr<SipRegistrar>
ScenarioTopology::GetRegistrar() const
{
    return m_registrar;
}

Ipv4Address
ScenarioTopology::GetRegistrarAddress() const
{
    return m_registrarAddr;
}

const std::vector<ScenarioTopology::Step>&
ScenarioTopology::GetPath(size_t i) const
{
    return m_path[i];
}

size_t
ScenarioTopology::GetNetwork(size_t i) const
{
    return m_current[i];
}

const std::set<uint32_t>&
ScenarioTopology::GetAddressHistory(size_t i) const
{
    return m_addrHistory[i];
}

std::set<size_t>
ScenarioTopology::GetVisited(size_t i) const
{
    std::set<size_t> out;
    for (const auto& step : m_path[i])
    {
        out.insert(step.second);
    }
    return out;
}

size_t
ScenarioTopology::NetAt(size_t i, double t) const
{
    size_t n = m_path[i].front().second;
    for (const auto& [at, net] : m_path[i])
    {
        if (at <= t)
        {
            n = net;
        }
    }
    return n;
}

int
ScenarioTopology::NetOf(Ipv4Address a) const
{
    uint32_t x = a.Get();
    auto it = std::upper_bound(m_byPrefix.begin(),
                               m_byPrefix.end(),
                               x,
                               [](uint32_t v, const PrefixRange& r) { return v < r.first; });
    if (it == m_byPrefix.begin())
    {
        return -1;
    }
    --it;
    return x <= it->last ? it->network : -1;
}

Ipv4Address
ScenarioTopology::CurrentAddr(size_t i) const
{
    Ptr<Ipv4> ipv4 = m_terms.Get(i)->GetObject<Ipv4>();
    for (uint32_t k = 1; k < ipv4->GetNInterfaces(); ++k)
    {
        if (!ipv4->IsUp(k))
        {
            continue;
        }
        for (uint32_t a = 0; a < ipv4->GetNAddresses(k); ++a)
        {
            Ipv4Address x = ipv4->GetAddress(k, a).GetLocal();
            if (x != Ipv4Address::GetAny() && !x.IsLocalhost())
            {
                return x;
            }
        }
    }
    return Ipv4Address::GetAny();
}

Ipv4Address
ScenarioTopology::AddrHere(size_t i) const
{
    Ipv4Address a = CurrentAddr(i);
    return m_sc.networks[m_current[i]].Contains(a) ? a : Ipv4Address::GetAny();
}

void
ScenarioTopology::BuildRegistrar(WiredLan& lan, int64_t& stream)
{
    // At the prefix's last host address.
    size_t j = size_t(m_sc.FindNetwork(m_sc.registrar));
    const auto& net = m_sc.networks[j];
    Ptr<Node> node = CreateObject<Node>();
    InternetStackHelper stack;
    stack.Install(node);
    stream += stack.AssignStreams(NodeContainer(node), stream);
    NetDeviceContainer d(lan.AddStation(node, stream));
    Ipv4Mask mask(~uint32_t(0) << (32 - net.prefixLength));
    uint32_t last = (uint32_t(1) << (32 - net.prefixLength)) - 2;
    m_registrarAddr = Ipv4Address(net.prefix.Get() + last);
    NS_ABORT_MSG_IF(m_monitor->GetOwner(m_registrarAddr) >= 0,
                    "scenario runner: no free address for the registrar on " << net.name);
    Ipv4AddressHelper rip(net.prefix, mask, Ipv4Address(last));
    rip.Assign(d);
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    Ipv4StaticRoutingHelper().GetStaticRouting(ipv4)->SetDefaultRoute(
        Ipv4Address(net.prefix.Get() + 1),
        ipv4->GetInterfaceForDevice(d.Get(0)));
    m_registrar = DynamicCast<SipRegistrar>(SipRegistrarHelper().Install(node).Get(0));
    m_registrar->AssignStreams(stream++);
    m_registrar->SetStartTime(Seconds(0));
}

} // namespace ns3
