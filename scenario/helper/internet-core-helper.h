/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_INTERNET_CORE_HELPER_H
#define PRESEC_INTERNET_CORE_HELPER_H

#include "ns3/ipv4-address.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/point-to-point-helper.h"
#include "ns3/scenario.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

class InternetStackHelper;

/**
 * \ingroup presec-scenario
 * The Internet between a scenario's networks: a core router, a router per site linked to it,
 * and an access router per network with an access link (point-to-point, the scenario's rate
 * each way, delay and loss), linked to its site's router or to the core. A network without an
 * access link has its gateway on its site's router, or on the core router.
 *
 * The routes form a tree: an access router's default route leads to its parent; a site router
 * holds a route per access-linked network of the site and a default route to the core; the
 * core holds one route per site with a prefix, else one per network of the site, and one per
 * access-linked network outside sites. So the core's table grows with the sites, not with the
 * networks, when sites have prefixes. Link addresses are /30s from 100.64.0.0/10.
 *
 * Without access links and sites (Scenario::HasCore false) it builds the core router only: every
 * network's gateway is on it, as in a LAN.
 *
 * Routers that exist already can stand in (SetCore, SetAccessRouter): the Wi-Fi topology's
 * core router is the core, and a Wi-Fi network's access point is its access router.
 */
class InternetCoreHelper
{
  public:
    /**
     * \param scenario the scenario (kept by reference: it must outlive this object)
     */
    explicit InternetCoreHelper(const Scenario& scenario);

    /**
     * Use a node that exists already as the core router instead of creating one. Call before
     * Build.
     * \param core the router (with an Internet stack and its streams assigned)
     */
    void SetCore(Ptr<Node> core);
    /**
     * Use a node that exists already as a network's access router (it holds the network's
     * gateway address, e.g. a Wi-Fi access point) instead of creating one. Call before Build.
     * \param net a network index with an access link
     * \param router the router (with an Internet stack and its streams assigned)
     */
    void SetAccessRouter(size_t net, Ptr<Node> router);
    /**
     * Create the routers not set already (with Internet stacks), the links and their
     * addresses.
     * \param stack the stack helper
     * \param stream the first fixed random stream; advanced past those used
     */
    void Build(InternetStackHelper& stack, int64_t& stream);
    /**
     * Static routes of every router. Call after every network's gateway interface has its
     * address.
     */
    void PopulateRoutes();

    /// \return the core router
    Ptr<Node> GetCore() const;
    /**
     * \param net a network index
     * \return the node that holds the network's gateway address (.1)
     */
    Ptr<Node> GetGateway(size_t net) const;
    /// \return an address of the core router (its first link's, or Any without links)
    Ipv4Address GetCoreAddress() const;
    /**
     * \param net a network index with an access link
     * \return its access link's devices: [0] on the parent side (sends towards the network),
     *         [1] on the access router
     */
    NetDeviceContainer GetAccessLink(size_t net) const;
    /**
     * Pcap of every access and site link, on the side away from the core.
     * \param prefix file name prefix (PREFIX-access-NET.pcap, PREFIX-site-SITE.pcap)
     */
    void EnablePcap(const std::string& prefix);

  private:
    /// One point-to-point link and its /30.
    struct Link
    {
        NetDeviceContainer devices; //!< [0] parent side, [1] child side
        Ipv4Address parentAddress;  //!< address of devices[0]
        Ipv4Address childAddress;   //!< address of devices[1]
    };

    /**
     * \param parent the node towards the core
     * \param child the node away from it
     * \param down rate parent to child (bit/s)
     * \param up rate child to parent (bit/s)
     * \param delay one-way delay (s)
     * \param loss packet loss ratio, each direction
     * \param stream advanced past the streams of the loss models
     * \return the link
     */
    Link Connect(Ptr<Node> parent,
                 Ptr<Node> child,
                 uint64_t down,
                 uint64_t up,
                 double delay,
                 double loss,
                 int64_t& stream);

    const Scenario& m_sc;                             //!< the scenario
    PointToPointHelper m_p2p;                         //!< the links
    Ptr<Node> m_core;                                 //!< the core router
    std::vector<Ptr<Node>> m_site;                    //!< per site: its router
    std::vector<Link> m_siteLink;                     //!< per site: its link to the core
    std::vector<Ptr<Node>> m_access;                  //!< per network: its access router, or null
    std::vector<Link> m_accessLink;                   //!< per network: its access link (if any)
    uint32_t m_nextLink{0};                           //!< /30s handed out
    Ipv4Address m_coreAddress{Ipv4Address::GetAny()}; //!< the core's end of its first link
};

} // namespace ns3

#endif // PRESEC_INTERNET_CORE_HELPER_H
