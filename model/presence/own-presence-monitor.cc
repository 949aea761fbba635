/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "own-presence-monitor.h"

#include "presence-endpoint.h"

#include "ns3/abort.h"
#include "ns3/ipv4-list-routing.h"
#include "ns3/ipv4-route.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/node-addresses.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/text-util.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <optional>
#include <sstream>
#include <utility>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("OwnPresenceMonitor");

OwnPresenceMonitor::OwnPresenceMonitor(OwnPresenceMonitorUser* user)
    : m_user(user)
{
    NS_LOG_FUNCTION(this);
}

OwnPresenceMonitor::~OwnPresenceMonitor()
{
    NS_LOG_FUNCTION(this);
}

void
OwnPresenceMonitor::Start(Ptr<Node> node, const Identity& identity)
{
    NS_LOG_FUNCTION(this << node);
    m_node = node;
    m_identity = identity;
    m_running = true;
    // Address changes: Ipv4ListRouting tells every member protocol.
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    Ptr<Ipv4ListRouting> list = DynamicCast<Ipv4ListRouting>(ipv4->GetRoutingProtocol());
    if (list)
    {
        if (!m_watcher)
        {
            m_watcher = CreateObject<PresenceAddressWatcher>();
            list->AddRoutingProtocol(m_watcher, std::numeric_limits<int16_t>::min());
        }
        m_watcher->SetChangeCallback(MakeCallback(&OwnPresenceMonitor::ScheduleUpdate, this));
    }
    else if (m_identity.pollInterval.IsStrictlyPositive())
    {
        NS_LOG_WARN("node " << node->GetId()
                            << ": routing is not an Ipv4ListRouting; checking addresses every "
                            << m_identity.pollInterval.As(Time::S));
        m_pollEvent = Simulator::Schedule(m_identity.pollInterval, &OwnPresenceMonitor::Poll, this);
    }
    else
    {
        NS_LOG_WARN("node " << node->GetId()
                            << ": routing is not an Ipv4ListRouting; address changes are only "
                               "seen through DhcpClient and NotifyAddressChanged()");
    }
    // DhcpClient's traces, found by TypeId name so presec needs no link to internet-apps.
    for (uint32_t i = 0; i < node->GetNApplications(); ++i)
    {
        Ptr<Application> app = node->GetApplication(i);
        if (app->GetInstanceTypeId().GetName() == "ns3::DhcpClient")
        {
            app->TraceConnectWithoutContext("NewLease",
                                            MakeCallback(&OwnPresenceMonitor::OnDhcpEvent, this));
            app->TraceConnectWithoutContext("ExpireLease",
                                            MakeCallback(&OwnPresenceMonitor::OnDhcpEvent, this));
            m_dhcpClients.push_back(app);
        }
    }
    Update();
}

void
OwnPresenceMonitor::Stop()
{
    NS_LOG_FUNCTION(this);
    m_running = false;
    m_updateEvent.Cancel();
    m_pollEvent.Cancel();
    if (m_watcher)
    {
        m_watcher->SetChangeCallback(Callback<void>());
    }
    for (auto& app : m_dhcpClients)
    {
        app->TraceDisconnectWithoutContext("NewLease",
                                           MakeCallback(&OwnPresenceMonitor::OnDhcpEvent, this));
        app->TraceDisconnectWithoutContext("ExpireLease",
                                           MakeCallback(&OwnPresenceMonitor::OnDhcpEvent, this));
    }
    m_dhcpClients.clear();
}

void
OwnPresenceMonitor::Dispose()
{
    if (m_watcher)
    {
        m_watcher->SetChangeCallback(Callback<void>());
        m_watcher = nullptr;
    }
    m_db = nullptr;
    m_node = nullptr;
}

void
OwnPresenceMonitor::SetPresenceDatabase(Ptr<PresenceDatabase> db)
{
    m_db = db;
    if (m_known)
    {
        m_db->SetOwn(m_own, m_addresses.empty() ? Ipv4Address() : m_addresses.front());
    }
}

namespace
{

/**
 * Parses LocationPrefixes text ("prefix=label;…"); aborts on bad text.
 * \param text the attribute's value
 * \return a classifier with those prefixes
 */
LocationClassifier
ParseLocationPrefixes(const std::string& text)
{
    LocationClassifier classifier;
    std::istringstream in(text);
    std::string item;
    while (std::getline(in, item, ';'))
    {
        item = text::Trim(item);
        if (item.empty())
        {
            continue;
        }
        size_t eq = item.find('=');
        NS_ABORT_MSG_IF(eq == std::string::npos,
                        "PresenceAgent::LocationPrefixes: '" << item
                                                             << "' is not prefix=label, e.g. "
                                                                "192.168.1.0/24=office");
        std::string prefix = text::Trim(item.substr(0, eq));
        std::string label = text::Trim(item.substr(eq + 1));
        NS_ABORT_MSG_IF(
            label.empty() || std::any_of(label.begin(),
                                         label.end(),
                                         [](unsigned char c) {
                                             return std::isspace(c) || c == '<' || c == '>' ||
                                                    c == '&' || c == '=' || c < 0x20;
                                         }),
            "PresenceAgent::LocationPrefixes: bad label '" << label << "' in '" << item << "'");
        std::optional<PlaceType> placeType = PlaceTypeFromToken(label);
        if (!placeType && label == "home")
        {
            placeType = PlaceType::RESIDENCE;
        }
        auto added =
            classifier.AddPrefix(prefix, label, true, placeType.value_or(PlaceType::UNKNOWN));
        NS_ABORT_MSG_IF(!added,
                        "PresenceAgent::LocationPrefixes: " << added.GetError() << " in '" << item
                                                            << "'");
    }
    return classifier;
}

} // namespace

void
OwnPresenceMonitor::SetLocationPrefixes(const std::string& text)
{
    NS_LOG_FUNCTION(this << text);
    // Every agent of a scenario is given the same text: parse it once and let the classifiers
    // share the table (LocationClassifier copies on write).
    thread_local std::optional<std::pair<std::string, LocationClassifier>> last;
    if (!last || last->first != text)
    {
        last.emplace(text, ParseLocationPrefixes(text));
    }
    m_classifier = last->second;
    m_prefixesText = text;
    if (m_running)
    {
        ScheduleUpdate();
    }
}

std::string
OwnPresenceMonitor::GetLocationPrefixes() const
{
    return m_prefixesText;
}

LocationClassifier&
OwnPresenceMonitor::GetLocationClassifier()
{
    return m_classifier;
}

PresenceDocument
OwnPresenceMonitor::GetOwnPresence() const
{
    return m_own;
}

PresenceDocument
OwnPresenceMonitor::GetStampedPresence() const
{
    PresenceDocument doc = m_own;
    doc.timestamp = MakeTimestamp(m_identity.base, Simulator::Now());
    return doc;
}

bool
OwnPresenceMonitor::HasAddress() const
{
    return !m_addresses.empty();
}

const OwnPresenceMonitor::Stats&
OwnPresenceMonitor::GetStats() const
{
    return m_stats;
}

void
OwnPresenceMonitor::NotifyAddressChanged()
{
    NS_LOG_FUNCTION(this);
    ScheduleUpdate();
}

void
OwnPresenceMonitor::OnDhcpEvent(const Ipv4Address& address)
{
    NS_LOG_FUNCTION(this << address);
    ScheduleUpdate();
}

void
OwnPresenceMonitor::ScheduleUpdate()
{
    if (m_running && !m_updateEvent.IsRunning())
    {
        // A move is usually a RemoveAddress and an AddAddress: judge once, after both.
        m_updateEvent = Simulator::ScheduleNow(&OwnPresenceMonitor::Update, this);
    }
}

void
OwnPresenceMonitor::Poll()
{
    if (!m_running)
    {
        return;
    }
    if (NodeAddresses::CollectPrimaryFirst(m_node) != m_addresses)
    {
        Update();
    }
    m_pollEvent = Simulator::Schedule(m_identity.pollInterval, &OwnPresenceMonitor::Poll, this);
}

void
OwnPresenceMonitor::SetLocation(const std::string& label, std::optional<PlaceType> placeType)
{
    NS_LOG_FUNCTION(this << label);
    m_override = std::make_pair(label, placeType ? placeType : PlaceTypeFromToken(label));
    if (m_running)
    {
        Update();
    }
}

void
OwnPresenceMonitor::ClearLocation()
{
    NS_LOG_FUNCTION(this);
    m_override.reset();
    if (m_running)
    {
        Update();
    }
}

void
OwnPresenceMonitor::Update()
{
    NS_LOG_FUNCTION(this);
    std::vector<Ipv4Address> addrs = NodeAddresses::CollectPrimaryFirst(m_node);
    if (m_known && addrs != m_addresses && m_override)
    {
        NS_LOG_INFO("node " << m_node->GetId() << " moved: manual location '" << m_override->first
                            << "' dropped");
        m_override.reset();
    }
    PresenceDocument doc;
    doc.entity = m_identity.entity;
    doc.basic = addrs.empty() ? BasicStatus::CLOSED : BasicStatus::OPEN;
    doc.addresses = addrs;
    doc.user = m_identity.userName;
    if (!addrs.empty())
    {
        doc.contact =
            PresenceEndpoint::HostUri(addrs.front(), m_identity.port, m_identity.userPart);
    }
    if (m_override)
    {
        doc.location = m_override->first;
        doc.placeType = m_override->second;
    }
    else if (!addrs.empty())
    {
        LocationClass c = m_classifier.Classify(addrs.front());
        doc.location = c.label;
        if (c.placeType != PlaceType::UNKNOWN)
        {
            doc.placeType = c.placeType;
        }
    }
    bool changed = !m_known || doc != m_own;
    bool first = !m_known;
    m_own = doc;
    m_addresses = addrs;
    m_known = true;
    PresenceDocument stored = doc;
    stored.timestamp = MakeTimestamp(m_identity.base, Simulator::Now());
    m_db->SetOwn(stored, addrs.empty() ? Ipv4Address() : addrs.front());
    if (!changed)
    {
        return;
    }
    NS_LOG_INFO("node " << m_node->GetId() << ": own presence " << doc);
    if (!first)
    {
        ++m_stats.ownPresenceChanges;
    }
    m_user->OwnPresenceChanged(stored, first);
}

} // namespace ns3
