/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_WIFI_ROAMING_HELPER_H
#define PRESEC_WIFI_ROAMING_HELPER_H

#include "ns3/attribute.h"
#include "ns3/csma-channel.h"
#include "ns3/dhcp-client.h"
#include "ns3/dhcp-server.h"
#include "ns3/ipv4-address.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/node.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"
#include "ns3/vector.h"
#include "ns3/yans-wifi-channel.h"

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec
 * Builds Wi-Fi networks that terminals roam between, the way a user moves between the office,
 * home and a cafe, and gets a new address by DHCP in each.
 *
 * Each network (AddNetwork) is one access point node at a fixed position: the AP's Wi-Fi
 * interface has the first address of the network's prefix, runs a DhcpServer for the prefix
 * (the AP is the gateway it hands out) and routes between the Wi-Fi and a wired core: one
 * CSMA segment (CorePrefix, 192.168.255.0/24 by default) with a core router (.1) and every
 * AP (.2, .3, ...). Routes are static (ns-3's global routing aborts on DHCP interfaces): each
 * AP has its default route to the core router, the core router a route per network. A network
 * may also have a wired LAN at its AP (AddWiredLan) for fixed hosts (InstallWiredHost). ns-3
 * has no NAT: private addresses are routed as they are.
 *
 * Terminals (Install) get a Wi-Fi station device, a DhcpClient and a WaypointMobilityModel;
 * Walk() moves them to another network's AP. All APs share one channel (ns-3.37's station
 * only scans its current channel) and each announces its network name as SSID; stations use
 * the wildcard SSID, so they associate with whichever AP they hear. Hand-over is break before
 * make: the station leaves its AP after MaxMissedBeacons missed beacons, scans, associates
 * with the AP it hears, and the DhcpClient (restarted on link up) gets the new lease.
 *
 * Defaults tuned for short outages (measured on ns-3.37: about 0.4 s from losing the AP to the
 * new lease, against about 6 s with ns-3's defaults): StaWifiMac ActiveProbing true and
 * MaxMissedBeacons 3, DhcpClient Collect 10 ms. 802.11a, IdealWifiManager, log-distance loss;
 * SetCoverageRadius() cuts each AP's reach at a fixed distance, for scenarios whose hand-over
 * must happen at a known place. Every interface the helper makes queues up to 100 packets
 * while ARP resolves a neighbour (Linux's unres_qlen; ns-3's default of 3 drops part of the
 * burst a terminal sends and is sent right after its new lease: SIP refreshes, NOTIFYs, IKE,
 * voice).
 *
 * Install the Internet stack (or let the helper do it) before, and IpsecHelper after, the
 * helper's Install and InstallWiredHost: the IPsec layer hooks the interfaces present then.
 */
class WifiRoamingHelper
{
  public:
    WifiRoamingHelper();

    /**
     * Cut every AP's reach at a distance (RangePropagationLossModel after the log-distance
     * loss). Call before the first AddNetwork.
     * \param meters the radius; 0 (the default) leaves the reach to the radio
     */
    void SetCoverageRadius(double meters);

    /**
     * Prefix of the wired core segment. Call before the first AddNetwork.
     * \param prefix e.g. "192.168.255.0/24"
     */
    void SetCorePrefix(const std::string& prefix);

    /**
     * Set an attribute of the terminals' StaWifiMac (defaults here: ActiveProbing true,
     * MaxMissedBeacons 3).
     * \param name the attribute
     * \param value its value
     */
    void SetStaMacAttribute(const std::string& name, const AttributeValue& value);

    /**
     * Set an attribute of the terminals' DhcpClient (default here: Collect 10 ms).
     * \param name the attribute
     * \param value its value
     */
    void SetDhcpClientAttribute(const std::string& name, const AttributeValue& value);

    /**
     * Set an attribute of the DhcpServer of networks added afterwards.
     * \param name the attribute
     * \param value its value
     */
    void SetDhcpServerAttribute(const std::string& name, const AttributeValue& value);

    /**
     * Add a Wi-Fi network: a new AP node at a position, address .1 of the prefix on Wi-Fi,
     * leasing the rest of the prefix by DHCP, connected to the core.
     * \param name network name: the AP's SSID and the location label in
     *        GetLocationPrefixes()
     * \param prefix the network's prefix, e.g. "192.168.1.0/24"
     * \param apPosition where the AP stands
     * \return the AP node
     */
    Ptr<Node> AddNetwork(const std::string& name,
                         const std::string& prefix,
                         const Vector& apPosition);
    /**
     * Add a Wi-Fi network whose AP is not on the core segment, as AddNetwork otherwise: the
     * caller links the AP to the core router and routes (e.g. InternetCoreHelper's access
     * link, with the AP as the network's access router). It has no wired LAN.
     * \param name network name (SSID, location label)
     * \param prefix the network's prefix
     * \param apPosition where the AP stands
     * \return the AP node
     */
    Ptr<Node> AddUplinkedNetwork(const std::string& name,
                                 const std::string& prefix,
                                 const Vector& apPosition);

    /**
     * Give a network a wired LAN: a CSMA segment at its AP (address .1 of the prefix, the
     * hosts' gateway), routed through the core like the Wi-Fi side.
     * \param network a network added before
     * \param prefix the LAN's prefix, e.g. "192.168.0.0/24"
     */
    void AddWiredLan(const std::string& network, const std::string& prefix);

    /**
     * Make nodes roaming terminals: a Wi-Fi station device (interface up, no address until
     * the lease), a DhcpClient started at time 0, and a WaypointMobilityModel standing next to
     * the AP of a network. Nodes without an Internet stack get one.
     * \param terminals the nodes
     * \param network where they start
     * \return their Wi-Fi devices
     */
    NetDeviceContainer Install(NodeContainer terminals, const std::string& network);
    /**
     * As Install(terminals, network), the terminals standing at a position (out of every
     * AP's reach, a terminal docked to a wired network).
     * \param terminals the nodes
     * \param position where they stand
     * \return their Wi-Fi devices
     */
    NetDeviceContainer Install(NodeContainer terminals, const Vector& position);

    /**
     * Attach a host to a network's wired LAN with the next free fixed address; its default
     * route points at the AP. A node without an Internet stack gets one.
     * \param host the node
     * \param network a network with a wired LAN
     * \return the host's address
     */
    Ipv4Address InstallWiredHost(Ptr<Node> host, const std::string& network);

    /**
     * \param ap where an AP stands
     * \return the spot next to it where terminals stand (Install, Walk)
     */
    static Vector SpotNear(const Vector& ap);

    /**
     * Walk a terminal in a straight line to the spot next to a network's AP.
     * \param terminal a node given to Install
     * \param network where to
     * \param start when it sets off (not before its previous walk ended)
     * \param speed metres per second
     * \return the time it arrives
     */
    Time Walk(Ptr<Node> terminal, const std::string& network, Time start, double speed);
    /**
     * Walk a terminal in a straight line to a position.
     * \param terminal a node given to Install
     * \param to where to
     * \param start when it sets off (not before its previous walk ended)
     * \param speed metres per second
     * \return the time it arrives
     */
    Time WalkTo(Ptr<Node> terminal, const Vector& to, Time start, double speed);

    /**
     * Let a device's ARP cache hold 100 packets for a neighbour being resolved, as Linux does
     * (unres_qlen), instead of ns-3's 3: a terminal that has just arrived is sent a burst at
     * once (its SIP refreshes and NOTIFYs, IKE, voice), and its gateway, and the gateway's way
     * to the core, must resolve it without dropping the burst. The helper does this on every
     * interface it makes.
     * \param node the node
     * \param device one of its devices with an IPv4 interface
     */
    static void DeepenArpQueue(Ptr<Node> node, Ptr<NetDevice> device);
    /**
     * \return "prefix=name;..." for every network and wired LAN, the form of
     *         PresenceAgent's LocationPrefixes attribute
     */
    std::string GetLocationPrefixes() const;

    /**
     * \param address an address
     * \return the name of the network (Wi-Fi or wired LAN) it belongs to, or ""
     */
    std::string GetNetworkOf(Ipv4Address address) const;

    /**
     * \param network a network
     * \return its AP node
     */
    Ptr<Node> GetAccessPoint(const std::string& network) const;

    /**
     * \param network a network
     * \return the AP's Wi-Fi device
     */
    Ptr<NetDevice> GetApDevice(const std::string& network) const;

    /** \return the core router (null before the first AddNetwork) */
    Ptr<Node> GetCoreRouter() const;
    /** \return the core router's address on the core segment */
    Ipv4Address GetCoreRouterAddress() const;

    /**
     * Make a node a station that stays on one network (another user of its AP, a cafe's
     * guest): a Wi-Fi station device that joins only that AP (its SSID), standing at a
     * position, with the highest free address of the prefix, which the network's DhcpServer
     * then no longer leases, and a default route to the AP. Call before the simulation starts.
     * A node without an Internet stack gets one.
     * \param node the node
     * \param network a network added before
     * \param position where it stands
     * \return its address
     */
    Ipv4Address InstallFixedStation(Ptr<Node> node,
                                    const std::string& network,
                                    const Vector& position);

    /**
     * \param terminal a node given to Install
     * \return its DhcpClient
     */
    Ptr<DhcpClient> GetDhcpClient(Ptr<Node> terminal) const;

  private:
    /** One network. */
    struct Network
    {
        std::string name;           //!< name, SSID, location label
        Ipv4Address prefix;         //!< Wi-Fi prefix
        Ipv4Mask mask;              //!< its mask
        Vector position;            //!< AP position
        Ptr<Node> ap;               //!< the AP node
        Ptr<NetDevice> apDevice;    //!< its Wi-Fi device
        Ipv4Address coreAddress;    //!< its address on the core (Any: uplinked, not on the core)
        Ptr<CsmaChannel> lan;       //!< wired LAN (null: none)
        Ipv4Address lanPrefix;      //!< LAN prefix
        Ipv4Mask lanMask;           //!< LAN mask
        uint32_t nextLanHost{2};    //!< next host number on the LAN
        Ptr<DhcpServer> dhcpServer; //!< leases the prefix
        uint32_t fixedStations{0};  //!< stations with fixed addresses at the prefix's top
    };

    /** Create the core router, the core segment and the Wi-Fi channel. */
    void BuildCore();
    /**
     * A new network's AP node (stack, position), the core built first if need be.
     * \param name network name
     * \param prefix its prefix
     * \param apPosition where the AP stands
     * \return the network, not yet in the list
     */
    Network NewAp(const std::string& name, const std::string& prefix, const Vector& apPosition);
    /**
     * The Wi-Fi side of a new network's AP (SSID, DHCP server), then the network joins the
     * list.
     * \param n the network
     * \return its AP node
     */
    Ptr<Node> FinishAp(Network n);
    /**
     * \param name a network name
     * \return the network; aborts when there is none
     */
    const Network& Find(const std::string& name) const;
    /**
     * \param name a network name
     * \return the network; aborts when there is none
     */
    Network& Find(const std::string& name);
    /**
     * \param network a network
     * \return the spot next to its AP where terminals stand
     */
    static Vector SpotAt(const Network& network);

    double m_coverage{0};     //!< coverage radius (0: radio)
    Ipv4Address m_corePrefix; //!< core prefix
    Ipv4Mask m_coreMask;      //!< its mask
    std::vector<std::pair<std::string, Ptr<AttributeValue>>> m_staMac; //!< StaWifiMac attributes
    std::vector<std::pair<std::string, Ptr<AttributeValue>>> m_client; //!< DhcpClient attributes
    std::vector<std::pair<std::string, Ptr<AttributeValue>>> m_server; //!< DhcpServer attributes
    Ptr<Node> m_core;                                                  //!< core router
    Ptr<CsmaChannel> m_coreChannel;                                    //!< core segment
    Ptr<YansWifiChannel> m_wifiChannel;                                //!< the shared Wi-Fi channel
    std::vector<Network> m_networks;                                   //!< in order of AddNetwork
    std::map<uint32_t, Vector> m_lastSpot;      //!< node id -> where its last walk ends
    std::map<uint32_t, Time> m_lastArrival;     //!< node id -> when its last walk ends
    std::map<uint32_t, Ptr<DhcpClient>> m_dhcp; //!< node id -> its DhcpClient
};

} // namespace ns3

#endif // PRESEC_WIFI_ROAMING_HELPER_H
