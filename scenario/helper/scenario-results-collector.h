/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_SCENARIO_RESULTS_COLLECTOR_H
#define PRESEC_SCENARIO_RESULTS_COLLECTOR_H

#include "scenario-topology.h"

#include "ns3/exposure-monitor.h"
#include "ns3/scenario-results.h"

namespace ns3
{

/**
 * \ingroup presec-scenario
 * Reads a scenario run's state into its results: the timeline samples (network, strongest
 * outbound protection, exposure and CPU of every terminal) during the run, and at its end
 * what the exposure monitor, the IPsec layers, the IKE agents and the CPU cost models counted.
 */
class ScenarioResultsCollector
{
  public:
    /**
     * \param scenario the scenario
     * \param topology the built topology (it must outlive the run)
     * \param monitor the exposure monitor
     * \param results where the results go (it must outlive the run)
     */
    ScenarioResultsCollector(const Scenario& scenario,
                             const ScenarioTopology& topology,
                             Ptr<ExposureMonitor> monitor,
                             ScenarioRunResult& results);
    /**
     * Sample from time 0 on, every interval seconds until the end of the run.
     * \param interval seconds between samples
     */
    void StartSampling(double interval);
    /// One timeline sample of every terminal, now.
    void Sample();
    /// After the run: the sessions', networks' and terminals' counters.
    void Collect();

  private:
    /// The terminals' counters (after the monitor ended the stays).
    void CollectTerminals();

    const Scenario& m_sc;               //!< the scenario
    const ScenarioTopology& m_topology; //!< the terminals
    Ptr<ExposureMonitor> m_monitor;     //!< what the eavesdroppers saw
    ScenarioRunResult& m_res;           //!< the results
    double m_interval{0};               //!< seconds between samples
};

} // namespace ns3

#endif // PRESEC_SCENARIO_RESULTS_COLLECTOR_H
