/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_CSMA_SCENARIO_TOPOLOGY_H
#define PRESEC_CSMA_SCENARIO_TOPOLOGY_H

#include "scenario-topology.h"
#include "wired-lan.h"

#include "ns3/csma-channel.h"
#include "ns3/csma-helper.h"
#include "ns3/csma-net-device.h"
#include "ns3/internet-core-helper.h"

#include <map>
#include <memory>

namespace ns3
{

class InternetStackHelper;

/**
 * \ingroup presec-scenario
 * The all-CSMA topology: one CSMA segment per network with the router (.1 on every segment),
 * every terminal with one device on each network it ever visits (host numbers .2 upwards in
 * order of first arrival), attached to one at a time (WiredAttachmentHelper); the registrar,
 * if any, at the last host address of its segment.
 */
class CsmaScenarioTopology : public ScenarioTopology
{
  public:
    using ScenarioTopology::ScenarioTopology;

    void Build(int64_t& stream) override;
    void InstallProbe(ExposureMonitorHelper& exposure, size_t net) override;
    std::map<std::string, uint64_t> GetLanDrops(size_t net) const override;
    void EnablePcap(const std::string& prefix) override;
    void SetReceiveErrorModel(size_t net, Ptr<TamperErrorModel> model) override;
    Ipv4Address AddrOf(size_t i, size_t net) const override;
    bool HasFixedAddresses() const override;

  private:
    bool DoMove(size_t i, size_t from, size_t to) override;
    /**
     * Background stations and their load (Scenario::backgrounds).
     * \param stack the stack helper
     * \param nextHost per network: the next free host number; advanced
     * \param stream the next stream number; advanced
     */
    void BuildBackground(InternetStackHelper& stack,
                         std::vector<uint32_t>& nextHost,
                         int64_t& stream);

    std::unique_ptr<InternetCoreHelper> m_core;              //!< the routers between the networks
    std::vector<WiredLan> m_lans;                            //!< per network: its hub or switch
    std::vector<Ptr<NetDevice>> m_routerDev;                 //!< per network
    std::vector<std::map<size_t, Ptr<NetDevice>>> m_termDev; //!< per terminal, per network
    std::vector<std::map<size_t, uint32_t>> m_host;          //!< host number per network
};

} // namespace ns3

#endif // PRESEC_CSMA_SCENARIO_TOPOLOGY_H
