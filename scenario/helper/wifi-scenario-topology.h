/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_WIFI_SCENARIO_TOPOLOGY_H
#define PRESEC_WIFI_SCENARIO_TOPOLOGY_H

#include "scenario-topology.h"
#include "wifi-roaming-helper.h"
#include "wired-lan.h"

#include "ns3/csma-channel.h"
#include "ns3/csma-helper.h"
#include "ns3/csma-net-device.h"
#include "ns3/device-energy-model.h"
#include "ns3/internet-core-helper.h"
#include "ns3/ipv4-interface-address.h"
#include "ns3/mac48-address.h"
#include "ns3/nstime.h"

#include <map>
#include <memory>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-scenario
 * The topology of every scenario with a Wi-Fi network: WifiRoamingHelper's access points
 * (one per Wi-Fi network, at its position, reach cut at half the smallest distance between
 * APs, at most 50 m), its wired core, and the terminals as stations that jump (1 km/s) to the
 * next AP at every move and learn their addresses by DHCP.
 *
 * Access links and sites (InternetCoreHelper) stand around the Wi-Fi core's router: a Wi-Fi
 * network with an access link has its AP as the access router, off the core segment.
 *
 * Mixed media: a csma network is a hub or a switch (WiredLan) on its gateway (its .1: the core
 * router, its site's router or its access router), and a terminal that visits it has a wired
 * device there with a fixed address (.2 upwards, in order of first
 * arrival), attached while it is on that network (docked) and detached otherwise
 * (WiredAttachmentHelper). A terminal that also visits Wi-Fi networks has its station too:
 * while docked it stands at its network's dock, out of every AP's reach, so the radio is
 * unassociated and only the wired interface has an address and the default route; moving to
 * a Wi-Fi network it undocks and goes to the AP (association, then a lease); moving back it
 * docks at once and its radio loses the AP.
 */
class WifiScenarioTopology : public ScenarioTopology
{
  public:
    using ScenarioTopology::ScenarioTopology;

    void Build(int64_t& stream) override;
    void InstallProbe(ExposureMonitorHelper& exposure, size_t net) override;
    std::map<std::string, uint64_t> GetLanDrops(size_t net) const override;
    void EnablePcap(const std::string& prefix) override;
    bool HasFixedAddresses() const override;
    double GetRadioEnergy(size_t i) const override;
    uint32_t GetUnplannedAssociations(size_t i) const override;
    void SetReceiveErrorModel(size_t net, Ptr<TamperErrorModel> model) override;

  private:
    void PlanMove(size_t i, size_t k) override;
    void PlanRest(size_t i) override;
    bool DoMove(size_t i, size_t from, size_t to) override;
    /**
     * A station associated with an AP.
     * \param i terminal index
     * \param bssid the AP
     */
    void Associated(size_t i, Mac48Address bssid);
    /// A core prefix that no network uses.
    void ChooseCorePrefix();
    /**
     * The csma networks: a hub each on the core router, a wired device with a fixed address
     * for every terminal that visits it.
     * \param stream the next stream number; advanced
     */
    void BuildWired(int64_t& stream);
    /**
     * Other users of the networks (<background>): on a Wi-Fi network stations with fixed
     * addresses around its AP, exchanging Poisson streams with the core router from 1 s on; on
     * a csma network wired stations after the terminals' host numbers, loading its access link
     * from the start, as in the all-CSMA topology.
     * \param stream the next stream number; advanced
     */
    void BuildBackground(int64_t& stream);
    /**
     * \param net a csma network
     * \return where its docked terminals' radios are: out of every AP's reach
     */
    Vector DockOf(size_t net) const;
    /**
     * \param i terminal index
     * \param net a csma network it visits
     * \return its address there
     */
    Ipv4InterfaceAddress WiredAddress(size_t i, size_t net) const;

    WifiRoamingHelper m_roaming; //!< APs, core, stations
    /// Access links and sites around the Wi-Fi core's router (none without them).
    std::unique_ptr<InternetCoreHelper> m_core;
    std::vector<Time> m_walkEnd; //!< end of each terminal's last jump
    /// Per terminal: its radio's energy model.
    std::vector<Ptr<DeviceEnergyModel>> m_radioEnergy;
    std::vector<std::unique_ptr<WiredLan>> m_wired; //!< per network: hub or switch (null: Wi-Fi)
    std::vector<uint32_t> m_nextHost;               //!< per csma network: the next free host number
    std::vector<Ptr<NetDevice>> m_wiredRouter;      //!< per network: the core router's device
    /// Per terminal: its wired device and host number on each csma network it visits.
    std::vector<std::map<size_t, std::pair<Ptr<NetDevice>, uint32_t>>> m_docks;
    std::vector<int> m_walkingTo;      //!< per terminal: the network a walk goes to (-1: none)
    std::vector<size_t> m_nextStep;    //!< per terminal: the path step its next move makes
    std::vector<uint32_t> m_unplanned; //!< per terminal: associations with unplanned APs
};

} // namespace ns3

#endif // PRESEC_WIFI_SCENARIO_TOPOLOGY_H
