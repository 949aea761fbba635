/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_SCENARIO_RESULTS_H
#define PRESEC_SCENARIO_RESULTS_H

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ns3
{

/** One timeline sample of a terminal (taken every ScenarioRunOptions::sampleInterval). */
struct ScenarioSample
{
    double time{0};            //!< simulation time (s)
    std::string network;       //!< network it is attached to
    bool trusted{false};       //!< whether that network is trusted
    int policyLevel{0};        //!< strongest outbound SPD protection: 0 none, 1 AH or ESP, 2 both
    std::string policy;        //!< the same as text: none, ah, esp, esp+ah (+ipcomp)
    uint64_t exposureBytes{0}; //!< cumulative clear data bytes to/from it seen by the taps
    double cpuBusySeconds{0};  //!< cumulative crypto busy time (s)
};

/** Per-terminal results. */
struct ScenarioTerminalResult
{
    std::string name;                      //!< terminal
    std::string decision;                  //!< decision model used
    std::vector<std::string> path;         //!< networks visited, in order
    uint64_t exposureBytes{0};             //!< clear data bytes to/from it seen by the taps
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
    double cpuEnergyJ{0};                  //!< busy time x the profile's active power (J)
    double radioEnergyJ{0};       //!< Wi-Fi radio energy (ns-3 WifiRadioEnergyModel; 0 on csma)
    double batteryPercent{0};     //!< both, as a share of the terminal's battery (%)
    uint32_t decisions{0};        //!< decision model calls
    uint64_t protectedTxBytes{0}; //!< inner bytes sent protected (encrypted/authenticated)
    uint64_t protectedRxBytes{0}; //!< inner bytes received protected and verified
    double exposureWindowS{0}; //!< summed over stays on untrusted nets: arrival → last clear data
    double maxExposureWindowS{0};         //!< the longest of those windows
    std::vector<ScenarioSample> timeline; //!< samples over time (empty when disabled)
    uint32_t ikeHandovers{0};             //!< IKE agent's hand-overs (IkeAgent::Stats::handovers)
    uint32_t ikeAddressUpdates{0};        //!< UPDATE_SA_ADDRESSES exchanges (MOBIKE)
    uint64_t ikeHandoverMessages{0};      //!< IKE messages sent and received during hand-overs
    uint64_t ikeHandoverBytes{0};         //!< their IKE bytes
    /// Wi-Fi associations with an AP the run had not planned (a move its path and hand-over
    /// breakdown miss; 0 when the plan held)
    uint32_t unplannedAssociations{0};
    double ikeTimeToProtectionS{-1}; //!< mean: new address to the first protected packet
                                     //!< received on it (-1: none)
    double maxTimeToProtectionS{-1}; //!< longest arrival on an untrusted net → first encrypted ESP
                                     //!< packet to/from it seen there (stays without any do
                                     //!< not count; -1: none; not in the outputs)
};

/** Per-session results. */
struct ScenarioSessionResult
{
    std::string caller;        //!< caller
    std::string callee;        //!< callee
    uint64_t sent{0};          //!< voice packets sent (both directions)
    uint64_t received{0};      //!< voice packets received (both directions)
    double meanDelayMs{0};     //!< mean one-way delay
    uint64_t exposureBytes{0}; //!< clear data bytes of the pair seen by the taps
    double firstExposure{-1};  //!< first time such bytes were seen (-1: never)
    double lastExposure{-1};   //!< last time
    std::string traffic;       //!< voip, bulk or none
    uint64_t lost{0};          //!< voice packets missing in the received sequence (both dirs)
    double jitterMs{0};        //!< RFC 3550 interarrival jitter at the end, mean of both dirs
    double setupLatencyMs{-1}; //!< first Connect → first voice packet at the caller (-1: never)
    uint64_t bulkBytes{0};     //!< bulk: TCP bytes received by the callee
    // Voice as heard (voip): the worse direction by R; -1 where there was no voice.
    std::string codec;            //!< codec and ptime, e.g. "G.711/20"
    double mouthToEarMs{-1};      //!< packetization + lookahead + mean playout delay
    double voiceLossPercent{-1};  //!< due packets not played (network and late)
    uint64_t lateLost{0};         //!< packets that missed their playout time (both dirs)
    double burstRatio{-1};        //!< G.107 BurstR of the loss pattern
    double rFactor{-1};           //!< G.107 R
    double mos{-1};               //!< G.107 Annex B MOS
    double wireKbps{-1};          //!< measured: voice frame bytes × packet rate, mean of dirs
    double wireKbpsClear{-1};     //!< the same over the frames sent in the clear
    double wireKbpsProtected{-1}; //!< the same over the frames ESP or AH protected
};

/** One move's hand-over, broken down (HandoverProbe); times in ms, -1: not measured. */
struct ScenarioHandoverResult
{
    std::string terminal;        //!< the mover
    double at{0};                //!< the move's time (s)
    std::string from;            //!< network left
    std::string to;              //!< network joined
    double linkDownS{-1};        //!< when its link went down (s)
    double linkUpS{-1};          //!< when it was up on the new network (s)
    double interruptionMs{-1};   //!< last voice packet before → first after, at the mover
    double detectMs{0};          //!< → link down
    double linkMs{0};            //!< → link up on the new network
    double addressMs{0};         //!< → address there
    double presenceMs{0};        //!< → a peer got the NOTIFY from the new address
    double decisionMs{0};        //!< → the last decision applied
    double saMs{0};              //!< → the last SA pair installed
    double resumeMs{0};          //!< → the first voice packet
    int64_t lostPackets{-1};     //!< voice packets lost to the mover meanwhile (RTP sequence)
    uint64_t signallingBytes{0}; //!< SIP and IKE bytes the mover and its peers sent meanwhile
};

/** One security policy as the patent's policy form shows it (FIG. 8, fields 710-720). */
struct ScenarioPolicyForm
{
    std::string direction;   //!< out or in (715)
    std::string source;      //!< address[/prefix][port] (710, 711)
    std::string destination; //!< the same (712, 713)
    std::string upper;       //!< upper-layer protocol (714)
    std::string action;      //!< ipsec, none or discard (716)
    std::string protocols;   //!< the bundle, e.g. esp+ah (717), "-" without IPsec
    std::string mode;        //!< transport or tunnel (718)
    std::string level;       //!< require, use, ... (720)
};

/** One decision and the screens the user saw (FIG. 8, 9) and what was registered (FIG. 13). */
struct ScenarioDecisionRecord
{
    std::string terminal;                     //!< who decided
    double timeS{0};                          //!< when the model was asked (before its think time)
    std::string entity;                       //!< FIG. 9: the peer's presentity
    std::string address;                      //!< FIG. 9: its address
    std::string user;                         //!< FIG. 9: its user
    std::string location;                     //!< FIG. 9: the location it declares
    std::string network;                      //!< where it really is (our classification)
    bool trusted{false};                      //!< whether that counts as safe
    std::string timestamp;                    //!< FIG. 9: the document's time
    std::vector<ScenarioPolicyForm> proposal; //!< FIG. 8: the peer's policy, our side
    std::string verdict;                      //!< accept, modify or refuse
    std::string reason;                       //!< the model's one line
    double thinkMs{0};                        //!< the user's think time
    std::vector<ScenarioPolicyForm> registered; //!< FIG. 13: what it registers
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
    uint64_t protectedBytes{0};     //!< encrypted ESP IP payload bytes seen (AH around it too)
    uint64_t protectedPackets{0};   //!< their packets
    uint64_t expectedClearBytes{0}; //!< independent: senders' PlainTx data bytes to/from here
    bool tampered{false};           //!< a tamperer sits on it
    uint64_t tamperedProtected{0};  //!< ESP/AH frames it changed
    uint64_t tamperedClear{0};      //!< clear data frames it changed (all accepted)
    /// frames its LAN dropped, by reason (switched networks: SwitchedEthernetChannel's and its
    /// stations' drop reasons; empty elsewhere)
    std::map<std::string, uint64_t> lanDrops;
};

/** Everything a run produced. */
struct ScenarioRunResult
{
    std::string scenario;                          //!< name
    std::string decision;                          //!< override or "per-terminal"
    uint64_t seed{1};                              //!< RNG run number used
    double duration{0};                            //!< seconds simulated
    std::vector<ScenarioTerminalResult> terminals; //!< in file order
    std::vector<ScenarioSessionResult> sessions;   //!< in file order
    std::vector<ScenarioNetworkResult> networks;   //!< in file order
    std::vector<ScenarioHandoverResult> handovers; //!< one per move, in time order
    std::vector<ScenarioDecisionRecord> decisions; //!< the first MAX_DECISION_SCREENS decisions
                                                   //!< (the report's screens, summary.json's
                                                   //!< "decisions", decisions.csv)
    static constexpr size_t MAX_DECISION_SCREENS = 1000; //!< bounds memory on large runs
    std::vector<std::string> decisionLog;                //!< all decision logs, prefixed
    bool plain{false};                                   //!< a baseline run without presec
    uint64_t tamperDetected{0};  //!< bad-icv drops at all terminals (only tamperers cause them)
    uint64_t simulatorEvents{0}; //!< events the simulator ran (the benchmarks' unit of work;
                                 //!< not in the files)
    /** \return summary.json text (nlohmann::json: sorted keys, times and rates rounded to
     *          six decimals, no wall-clock data) */
    std::string ToJson() const;
    /** \return terminals.csv text */
    std::string ToCsv() const;
    /** \return sessions.csv text */
    std::string SessionsCsv() const;
    /** \return handovers.csv text (one row per move) */
    std::string HandoversCsv() const;
    /** \return timeline.csv text (one row per terminal and sample) */
    std::string TimelineCsv() const;
    /** \return decisions.csv text (one row per recorded decision: the screens' fields, the
     *          policies as "direction source > destination upper action protocols/mode/level",
     *          several joined by " | "; fields with a comma or quote quoted, RFC 4180) */
    std::string DecisionsCsv() const;
    /** \return tampered ESP/AH frames not caught by an ICV check (must be 0) */
    uint64_t TamperedAccepted() const;
    /** \return clear data bytes seen by all taps (untrusted networks and eavesdropped ones) */
    uint64_t TotalExposure() const;
};

/**
 * \ingroup presec-scenario
 * Writes a run's results as files.
 */
class ScenarioResultsWriter
{
  public:
    /**
     * Write summary.json (ScenarioRunResult::ToJson), terminals.csv, sessions.csv,
     * timeline.csv, handovers.csv, decisions.csv and decisions.log into dir (created with its
     * parents).
     * \param result the results
     * \param dir the directory
     * \return empty, or an error
     */
    static std::string Write(const ScenarioRunResult& result, const std::string& dir);
};

} // namespace ns3

#endif // PRESEC_SCENARIO_RESULTS_H
