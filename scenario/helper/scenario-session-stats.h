/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_SCENARIO_SESSION_STATS_H
#define PRESEC_SCENARIO_SESSION_STATS_H

#include "ns3/exposure-monitor.h"
#include "ns3/ipv4-address.h"
#include "ns3/node-container.h"
#include "ns3/nstime.h"
#include "ns3/scenario-results.h"
#include "ns3/scenario.h"
#include "ns3/secure-peer-application.h"
#include "ns3/voice-playout.h"
#include "ns3/voice-wire-probe.h"

#include <array>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-scenario
 * The per-session measurements of a scenario run that span its generations: jitter (RFC 3550
 * estimate per direction), setup latency, the baseline's own loss counters, the sums of the
 * SecurePeerApplications' session stats, and voice as the listener hears it (a VoicePlayout
 * per direction, the E-model's R and MOS) and as the wire carries it (VoiceWireProbe on the
 * terminals' devices). Writes into the run's ScenarioSessionResults.
 */
class ScenarioSessionStats
{
  public:
    /**
     * \param scenario the scenario
     * \param monitor the exposure monitor (owner of an address)
     * \param results the run's results (it must outlive the run)
     * \param plain a baseline run: delays and losses counted here
     */
    ScenarioSessionStats(const Scenario& scenario,
                         Ptr<ExposureMonitor> monitor,
                         ScenarioRunResult& results,
                         bool plain);
    /// Register every session of the scenario (results, monitor and lookup), in order.
    void AddSessions();
    /**
     * Measure the voice frames the terminals send (call after the topology is built).
     * \param terminals the terminals, in scenario order
     */
    void AttachWireProbes(const NodeContainer& terminals);
    /// Told of every voice packet: receiver index, sender index (-1: not a terminal's address),
    /// sequence number.
    typedef Callback<void, size_t, int, uint32_t> VoiceCallback;
    /** \param cb told of every voice packet from now on (a probe) */
    void SetVoiceCallback(VoiceCallback cb);
    /**
     * A voice packet arrived.
     * \param receiver terminal index
     * \param from its source address
     * \param delay its one-way delay
     * \param seq its sequence number (RTP's, or the baseline's SeqTsHeader's)
     */
    void VoiceReceived(size_t receiver, Ipv4Address from, Time delay, uint32_t seq);
    /**
     * Baseline bulk bytes arrived.
     * \param receiver terminal index
     * \param from the source address
     * \param bytes how many
     */
    void BulkReceived(size_t receiver, Ipv4Address from, uint32_t bytes);
    /**
     * A generation plans its Connect (the first one counts for the setup latency).
     * \param s session index
     * \param at time in seconds
     */
    void PlanConnect(size_t s, double at);
    /**
     * A Connect that waited for the leases happens now: the setup latency counts from the
     * first of these, not from the wait.
     * \param s session index
     */
    void Connected(size_t s);
    /**
     * A presec generation ends: add both ends' session stats.
     * \param s session index
     * \param caller the caller's stats of the session
     * \param callee the callee's
     */
    void AddGeneration(size_t s,
                       const SecurePeerApplication::SessionStats& caller,
                       const SecurePeerApplication::SessionStats& callee);
    /**
     * A baseline generation starts: fresh counters.
     * \param s session index
     */
    void StartPlainGeneration(size_t s);
    /**
     * A baseline generation ends: what the receivers can tell, the highest sequence number
     * seen + 1 were sent (packets still in flight at the cut count as lost, as for presec).
     * \param s session index
     */
    void EndPlainGeneration(size_t s);
    /// At the end of the run: mean delay and jitter into the results.
    void Finish();

  private:
    /// RFC 3550 (6.4.1) interarrival jitter estimate of one direction of a session.
    struct JitterEstimator
    {
        bool have{false}; //!< a previous transit time is known
        double prev{0};   //!< previous transit time (s)
        double j{0};      //!< the estimate (s)

        /// \param transit one more transit time (s)
        void Add(double transit);
    };

    /**
     * \param a terminal index (-1: none)
     * \param b terminal index
     * \return the session between them, or -1
     */
    int FindSession(int a, int b) const;
    /**
     * No jitter across a cut (a generation's end); the voice streams start again.
     * \param s session index
     */
    void CutJitter(size_t s);
    /**
     * A voice frame left terminal i.
     * \param i the sender
     * \param to the frame's IPv4 destination
     * \param bytes its size on the wire
     * \param protectedFrame whether ESP or AH protects it
     */
    void WireFrame(size_t i, Ipv4Address to, uint32_t bytes, bool protectedFrame);
    /**
     * The E-model figures of a voice session, from the worse of its two directions.
     * \param s session index
     */
    void FinishVoice(size_t s);

    const Scenario& m_sc;           //!< the scenario
    Ptr<ExposureMonitor> m_monitor; //!< owners of addresses
    ScenarioRunResult& m_res;       //!< the results
    bool m_plain;                   //!< a baseline run
    /// Key(a, b) → session: looked up per voice packet, so hashed.
    std::unordered_map<uint64_t, size_t> m_sessionOf;
    std::vector<int> m_caller;                            //!< per session: caller index
    std::vector<int> m_callee;                            //!< per session: callee index
    std::vector<std::array<JitterEstimator, 2>> m_jitter; //!< per session, per direction
    std::vector<double> m_firstConnect;                   //!< per session (-1)
    std::vector<bool> m_connected;                        //!< per session: Connect happened
    std::vector<std::array<uint32_t, 2>> m_maxSeq;        //!< plain: per generation
    std::vector<std::array<uint32_t, 2>> m_rxGen;         //!< plain: per generation
    std::vector<VoicePlayout> m_playout;                  //!< per session: 2 s + direction
    std::vector<std::array<bool, 2>> m_streamStarted;     //!< per session: a packet arrived
    std::vector<std::array<uint32_t, 2>> m_extSeq;        //!< per session: highest extended seq
    /// Per session, direction and protection (0 clear, 1 protected): voice frame bytes.
    std::vector<std::array<std::array<uint64_t, 2>, 2>> m_wireBytes;
    /// Per session, direction and protection: voice frames.
    std::vector<std::array<std::array<uint64_t, 2>, 2>> m_wireFrames;
    std::vector<std::unique_ptr<VoiceWireProbe>> m_wire; //!< per terminal
    VoiceCallback m_voiceCallback;                       //!< told of voice packets
};

} // namespace ns3

#endif // PRESEC_SCENARIO_SESSION_STATS_H
