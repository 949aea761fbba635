/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_OWN_PRESENCE_MONITOR_H
#define PRESEC_OWN_PRESENCE_MONITOR_H

#include "location-classifier.h"
#include "presence-address-watcher.h"
#include "presence-database.h"
#include "presence-document.h"

#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/node.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-presence
 * Who is told when the own presence changed (the user half of OwnPresenceMonitor's SAP;
 * PresenceAgent implements it).
 */
class OwnPresenceMonitorUser
{
  public:
    virtual ~OwnPresenceMonitorUser() = default;

    /**
     * The own presence was evaluated and differs from before (also once at start).
     * \param doc the own presence, timestamped, without policies
     * \param first whether this is the first evaluation since start
     */
    virtual void OwnPresenceChanged(const PresenceDocument& doc, bool first) = 0;
};

/**
 * \ingroup presec-presence
 * The own presence of PresenceAgent (patent: presence information processing unit 401
 * updating the location on movement): watches the node's IPv4 addresses without polling
 * (a PresenceAddressWatcher in the node's Ipv4ListRouting, the NewLease / ExpireLease traces
 * of DhcpClient applications present at start, or by hand with NotifyAddressChanged();
 * polling every AddressPollInterval only without an Ipv4ListRouting), coalesces the
 * changes of one instant, classifies the primary address (NodeAddresses::CollectPrimaryFirst:
 * the default route's source, first in the document) with the LocationClassifier, and keeps
 * the result in the PresenceDatabase. A location set by hand holds until the addresses
 * change. A change of the default route alone, with no address change, is not seen.
 */
class OwnPresenceMonitor
{
  public:
    /** Counters, in the manner of QueueDisc::Stats. */
    struct Stats
    {
        uint32_t ownPresenceChanges{0}; //!< changes of the own presence (after the first)
    };

    /** \param user told of every change */
    explicit OwnPresenceMonitor(OwnPresenceMonitorUser* user);
    ~OwnPresenceMonitor();

    OwnPresenceMonitor(const OwnPresenceMonitor&) = delete;
    OwnPresenceMonitor& operator=(const OwnPresenceMonitor&) = delete;

    /** What the own presence document names besides the addresses and the location. */
    struct Identity
    {
        std::string entity;         //!< presentity URI
        std::string userName;       //!< current user
        std::string userPart;       //!< user part of the AOR (for the contact)
        uint16_t port{5060};        //!< SIP port (for the contact)
        Rfc3339Time base;           //!< wall-clock time at simulation time 0
        Time pollInterval{Time(0)}; //!< fallback address check period; 0: never
    };

    /**
     * Start watching the node's addresses and evaluate the own presence once.
     * \param node the node
     * \param identity what else the document names
     */
    void Start(Ptr<Node> node, const Identity& identity);

    /** Stop watching. */
    void Stop();

    /** Detach from the node's routing for good (ns-3 disposal). */
    void Dispose();

    /** \param db where the own presence is kept */
    void SetPresenceDatabase(Ptr<PresenceDatabase> db);

    /**
     * LocationPrefixes; aborts on bad text.
     * \param text the prefixes, e.g. "192.168.1.0/24=office;10.8.0.0/16=home"
     */
    void SetLocationPrefixes(const std::string& text);

    /** \return LocationPrefixes as set */
    std::string GetLocationPrefixes() const;

    /** \return the classifier judging the own address */
    LocationClassifier& GetLocationClassifier();

    /** The node's addresses may have changed: re-evaluate at the end of the current instant. */
    void NotifyAddressChanged();

    /**
     * Set the own location by hand; it holds until the addresses change or ClearLocation().
     * \param label location label
     * \param placeType RPID place type; by default the RFC 4589 token equal to the label
     */
    void SetLocation(const std::string& label, std::optional<PlaceType> placeType);

    /** Go back to the classified location. */
    void ClearLocation();

    /** \return the own presence as last evaluated, without policies or timestamp */
    PresenceDocument GetOwnPresence() const;

    /** \return the own presence with a fresh timestamp */
    PresenceDocument GetStampedPresence() const;

    /** \return whether the node had an address at the last evaluation */
    bool HasAddress() const;

    /** \return the counters */
    const Stats& GetStats() const;

  private:
    /** Re-evaluate the own presence at the end of the current instant. */
    void ScheduleUpdate();
    /** Re-evaluate the own presence now; tell the user on a change. */
    void Update();
    /** Fallback periodic address check. */
    void Poll();
    /**
     * A DhcpClient got or lost a lease.
     * \param address the address
     */
    void OnDhcpEvent(const Ipv4Address& address);

    OwnPresenceMonitorUser* m_user;              //!< told of changes
    Ptr<Node> m_node;                            //!< the node, while started
    Identity m_identity;                         //!< what the document names
    bool m_running{false};                       //!< between Start and Stop
    bool m_known{false};                         //!< evaluated once
    std::string m_prefixesText;                  //!< LocationPrefixes as set
    LocationClassifier m_classifier;             //!< own location judgement
    Ptr<PresenceDatabase> m_db;                  //!< where the own presence is kept
    PresenceDocument m_own;                      //!< own presence, no policies or timestamp
    std::vector<Ipv4Address> m_addresses;        //!< addresses it was built from
    Ptr<PresenceAddressWatcher> m_watcher;       //!< address change listener
    std::vector<Ptr<Application>> m_dhcpClients; //!< DhcpClients whose traces are connected
    std::optional<std::pair<std::string, std::optional<PlaceType>>> m_override; //!< SetLocation
    EventId m_updateEvent; //!< coalesced update
    EventId m_pollEvent;   //!< fallback address check
    Stats m_stats;         //!< counters
};

} // namespace ns3

#endif // PRESEC_OWN_PRESENCE_MONITOR_H
