/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_SCENARIO_RUNNER_H
#define PRESEC_SCENARIO_RUNNER_H

#include "scenario.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ns3
{

/** Overrides for one run. */
struct ScenarioRunOptions
{
    std::string decision; //!< non-empty: every terminal uses this decision model
    uint32_t seed{0};     //!< non-zero: overrides the scenario's seed
    double duration{0};   //!< > 0: overrides the scenario's duration
};

/** Per-terminal results. */
struct ScenarioTerminalResult
{
    std::string name;                      //!< terminal
    std::string decision;                  //!< decision model used
    std::vector<std::string> path;         //!< networks visited, in order
    uint64_t exposureBytes{0};             //!< clear data bytes to/from it seen on untrusted nets
    uint64_t exposurePackets{0};           //!< their packets
    uint64_t protectedTxPackets{0};        //!< IpsecLayer counters
    uint64_t plainTxPackets{0};            //!< IpsecLayer counters
    uint64_t protectedRxPackets{0};        //!< IpsecLayer counters
    uint64_t plainRxPackets{0};            //!< IpsecLayer counters
    uint64_t overheadBytes{0};             //!< IPsec overhead sent
    uint64_t signalingBytes{0};            //!< SIP/IKE bytes sent (L4 size)
    uint64_t mismatchDrops{0};             //!< plain-under-require + protection-mismatch
    std::map<std::string, uint64_t> drops; //!< by reason (non-zero only)
    double cpuBusySeconds{0};              //!< CryptoCostModel busy time
    uint32_t decisions{0};                 //!< decision model calls
};

/** Per-session results. */
struct ScenarioSessionResult
{
    std::string caller;        //!< caller
    std::string callee;        //!< callee
    uint64_t sent{0};          //!< voice packets sent (both directions)
    uint64_t received{0};      //!< voice packets received (both directions)
    double meanDelayMs{0};     //!< mean one-way delay
    uint64_t exposureBytes{0}; //!< clear data bytes of the pair seen on untrusted nets
    double firstExposure{-1};  //!< first time such bytes were seen (-1: never)
    double lastExposure{-1};   //!< last time
};

/** Per-network eavesdropper results. */
struct ScenarioNetworkResult
{
    std::string name;               //!< network
    bool trusted{false};            //!< trusted
    bool sniffed{false};            //!< a sniffer was attached (every untrusted or listed net)
    uint64_t clearDataBytes{0};     //!< readable UDP/TCP payload bytes (not signalling)
    uint64_t clearDataPackets{0};   //!< their packets
    uint64_t signalingBytes{0};     //!< SIP/IKE IP payload bytes seen
    uint64_t protectedBytes{0};     //!< ESP/AH IP payload bytes seen
    uint64_t protectedPackets{0};   //!< their packets
    uint64_t expectedClearBytes{0}; //!< independent: senders' PlainTx data bytes to/from here
};

/** Everything a run produced. */
struct ScenarioRunResult
{
    std::string scenario;                          //!< name
    std::string decision;                          //!< override or "per-terminal"
    uint32_t seed{1};                              //!< seed used
    double duration{0};                            //!< seconds simulated
    std::vector<ScenarioTerminalResult> terminals; //!< in file order
    std::vector<ScenarioSessionResult> sessions;   //!< in file order
    std::vector<ScenarioNetworkResult> networks;   //!< in file order
    std::vector<std::string> decisionLog;          //!< all decision logs, prefixed
    /** \return summary.json text (sorted keys, no wall-clock data) */
    std::string ToJson() const;
    /** \return terminals.csv text */
    std::string ToCsv() const;
    /** \return total exposure bytes over all untrusted networks */
    uint64_t TotalExposure() const;
};

/**
 * Builds and runs the simulation of a Scenario (deterministic attachment switch, see the
 * .cc file for the topology) and collects its metrics. Calls Simulator::Destroy at the end.
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
     * Write summary.json, terminals.csv and decisions.log into dir (created).
     * \param result the results
     * \param dir the directory
     * \return empty, or an error
     */
    static std::string WriteOutputs(const ScenarioRunResult& result, const std::string& dir);
};

} // namespace ns3

#endif // PRESEC_SCENARIO_RUNNER_H
