/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_WIFI_SCENARIO_TOPOLOGY_H
#define PRESEC_WIFI_SCENARIO_TOPOLOGY_H

#include "scenario-topology.h"
#include "wifi-roaming-helper.h"

#include "ns3/device-energy-model.h"
#include "ns3/nstime.h"

namespace ns3
{

/**
 * \ingroup presec-scenario
 * The all-Wi-Fi topology: WifiRoamingHelper's access points (one per network, at its
 * position, reach cut at half the smallest distance between APs, at most 50 m), its wired
 * core, and the terminals as stations that jump (1 km/s) to the next AP at every move and
 * learn their addresses by DHCP.
 */
class WifiScenarioTopology : public ScenarioTopology
{
  public:
    using ScenarioTopology::ScenarioTopology;

    void Build(int64_t& stream) override;
    void InstallProbe(ExposureMonitorHelper& exposure, size_t net, int64_t& stream) override;
    void EnablePcap(const std::string& prefix) override;
    bool HasFixedAddresses() const override;
    double GetRadioEnergy(size_t i) const override;

  private:
    void PlanMove(size_t i, size_t k) override;
    /// A core prefix that no network uses.
    void ChooseCorePrefix();

    WifiRoamingHelper m_roaming; //!< APs, core, stations
    std::vector<Time> m_walkEnd; //!< end of each terminal's last jump
    /// Per terminal: its radio's energy model.
    std::vector<Ptr<DeviceEnergyModel>> m_radioEnergy;
};

} // namespace ns3

#endif // PRESEC_WIFI_SCENARIO_TOPOLOGY_H
