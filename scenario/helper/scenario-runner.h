/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_SCENARIO_RUNNER_H
#define PRESEC_SCENARIO_RUNNER_H

#include "ns3/scenario-results.h"
#include "ns3/scenario.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{

/** Overrides for one run. */
struct ScenarioRunOptions
{
    std::string decision; //!< non-empty: every terminal uses this decision model (an alias
                          //!< or a TypeId name, see DecisionModelFactory)
    DecisionModelFactory::Attributes decisionAttributes; //!< with decision: its attributes
    std::optional<uint64_t> seed; //!< RNG run number (RngSeedManager::SetRun); unset: the
                                  //!< scenario's seed
    double duration{0};           //!< > 0: overrides the scenario's duration
    bool plain{false};          //!< the same topology, moves and traffic without presec (baseline)
    double sampleInterval{1.0}; //!< seconds between timeline samples (<= 0: no timeline)
    std::string pcapPrefix;     //!< non-empty: pcap of every network (WiredLan::EnablePcap)
                                //!< and the Wireshark esp_sa file, named from this prefix
    bool progress{false};       //!< a progress line on stderr once the run takes over 2 s
    bool restartAtMoves{false}; //!< csma: fresh SecurePeerApplications at every move (the
                                //!< "generations", as before the application had a
                                //!< hand-over); false: one per terminal and session span,
                                //!< carried by its hand-over, as a real terminal's. Ignored
                                //!< (false) for wifi scenarios; the baseline always restarts.
    bool mobike{false};         //!< wifi: the IKE agents negotiate MOBIKE (IkeAgent::Mobike):
                                //!< SAs move with a terminal instead of being negotiated anew
};

/**
 * Builds and runs the simulation of a Scenario (all-csma: deterministic attachment switch;
 * with Wi-Fi: WifiRoamingHelper access points, DHCP and mobility, csma networks docked on its
 * core; see the .cc file for the topology) and collects its metrics. Calls Simulator::Destroy
 * at the end.
 */
class ScenarioRunner
{
  public:
    /**
     * \param scenario the scenario
     * \param options overrides
     * \return the results
     */
    static ScenarioRunResult Run(const Scenario& scenario, const ScenarioRunOptions& options);
    /**
     * Write summary.json, terminals.csv, sessions.csv, timeline.csv and decisions.log into
     * dir (created): ScenarioResultsWriter::Write.
     * \param result the results
     * \param dir the directory
     * \return empty, or an error
     */
    static std::string WriteOutputs(const ScenarioRunResult& result, const std::string& dir);
    /**
     * Draw every wander's legs for an RNG run and add its coverage changes to the moves, as
     * Run does before it builds anything (RandomWaypointPlan; each wander on a stream of its
     * own). Wanders starting at or after the duration are dropped, the rest end by it.
     * \param scenario the scenario, changed
     * \param run the RNG run
     */
    static void PlanWanders(Scenario& scenario, uint64_t run);
};

} // namespace ns3

#endif // PRESEC_SCENARIO_RUNNER_H
