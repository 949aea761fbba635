/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_SCENARIO_SECURITY_HELPER_H
#define PRESEC_SCENARIO_SECURITY_HELPER_H

#include "scenario-topology.h"

#include "ns3/scenario-results.h"

#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-scenario
 * The security of every terminal of a scenario run, before its SecurePeerApplications: the
 * IPsec layer (the terminal's CPU profile), the SAs (manual, ESP and AH both ways, for every
 * pair of terminals with a session and every pair of networks the two visit; by IKE when the
 * addresses come from DHCP), the default policy, the presence agents, and the count of clear
 * bytes the taps should see.
 */
class ScenarioSecurityHelper
{
  public:
    /**
     * \param scenario the scenario
     * \param topology the built topology (it must outlive the run)
     * \param results where the counters go (it must outlive the run)
     */
    ScenarioSecurityHelper(const Scenario& scenario,
                           const ScenarioTopology& topology,
                           ScenarioRunResult& results);
    /**
     * \param prefix non-empty: real ciphertext, and (manual SAs) the Wireshark esp_sa file
     *        named from it
     */
    void SetPcapPrefix(const std::string& prefix);
    /**
     * \param mobike with IKE: the agents negotiate MOBIKE
     */
    void SetMobike(bool mobike);
    /**
     * Install everything on the topology's terminals.
     * \param stream the next stream number; advanced past the streams used
     */
    void Install(int64_t& stream);
    /// Copy the expected clear byte counts into the results (at the end of the run).
    void Collect();
    /**
     * \param terminal a terminal
     * \return its presentity (default: pres:\<name\>\@presec.example)
     */
    static std::string EntityOf(const ScenarioTerminal& terminal);
    /**
     * \param i terminal index
     * \return its default policy as setkey text (empty: none)
     */
    const std::string& GetDefaultSpd(size_t i) const;
    /// \return the labels of the trusted networks, comma-separated
    const std::string& GetTrustedLabels() const;

  private:
    /**
     * \return setkey text per terminal: the manual SAs
     */
    std::vector<std::string> ManualSas() const;
    /// The presence agents.
    void InstallAgents();
    /// The expected clear byte counters.
    void ConnectCounters();
    /**
     * \param sniffed per network, whether it is sniffed
     * \return per terminal, whether its clear data may cross a sniffed network (it or a
     *         session peer may stand on one)
     */
    std::vector<bool> MayReachSniffed(const std::vector<bool>& sniffed) const;

    const Scenario& m_sc;                       //!< the scenario
    const ScenarioTopology& m_topology;         //!< the terminals
    ScenarioRunResult& m_res;                   //!< the counters
    std::string m_pcapPrefix;                   //!< see SetPcapPrefix
    bool m_mobike{false};                       //!< see SetMobike
    std::vector<std::string> m_defaultSpd;      //!< per terminal, setkey text
    std::string m_trustedLabels;                //!< see GetTrustedLabels
    std::vector<uint64_t> m_expectedClearBytes; //!< per network, until Collect
};

} // namespace ns3

#endif // PRESEC_SCENARIO_SECURITY_HELPER_H
