/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_HANDOVER_PROBE_H
#define PRESEC_HANDOVER_PROBE_H

#include "scenario-topology.h"

#include "ns3/exposure-monitor.h"
#include "ns3/ipv4-address.h"
#include "ns3/node.h"
#include "ns3/ptr.h"
#include "ns3/scenario-results.h"
#include "ns3/scenario.h"
#include "ns3/secure-peer-application.h"

#include <cstdint>
#include <set>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-scenario
 * Breaks every move of a scenario run down into the steps of its hand-over, from the events
 * of each layer, in causal order:
 *
 * 1. detect: the last voice packet the mover received before it left → its link went down
 *    (Wi-Fi: the station lost its AP after the missed beacons; wired: detached);
 * 2. link: → its link is up on the new network (associated; attached);
 * 3. address: → it has its address there (a DHCP lease; a fixed address at once);
 * 4. presence: → a session peer received a NOTIFY from the mover's new address;
 * 5. decision: → the last decision applied (step 507) at the mover or a peer;
 * 6. SA setup: → the last child SA pair IKE installed at the mover or a peer;
 * 7. resume: → the first voice packet the mover receives on its new address.
 *
 * A step that was over before the one before it (MOBIKE moves the SAs before the presence
 * update; a decision with nothing to change) counts zero, and one that did not happen too, so
 * the parts add up to the interruption: the time from the last voice packet before the move
 * to the first after it, at the mover. The voice packets lost meanwhile come from the RTP
 * sequence numbers (the same stream before and after), an independent view of the same gap.
 * Signalling bytes: the SIP and IKE messages the mover and its peers sent while it lasted.
 */
class HandoverProbe
{
  public:
    /**
     * \param scenario the scenario (moves, sessions)
     * \param monitor owners of addresses
     * \param results where the breakdowns go (ScenarioRunResult::handovers)
     */
    HandoverProbe(const Scenario& scenario,
                  Ptr<ExposureMonitor> monitor,
                  ScenarioRunResult& results);

    /**
     * A terminal's link event (ScenarioTopology's LinkCallback).
     * \param i terminal index
     * \param e the event
     */
    void Link(size_t i, ScenarioTopology::LinkEvent e);
    /**
     * A voice packet arrived.
     * \param receiver terminal index
     * \param sender the sender's terminal index (-1: none)
     * \param seq its sequence number
     */
    void VoiceReceived(size_t receiver, int sender, uint32_t seq);
    /**
     * Follow a terminal's presence and IKE agents (once they are installed).
     * \param i terminal index
     * \param node its node
     */
    void WatchAgents(size_t i, Ptr<Node> node);
    /**
     * Follow an application's decisions.
     * \param i terminal index
     * \param app one of its SecurePeerApplications
     */
    void WatchApplication(size_t i, Ptr<SecurePeerApplication> app);
    /// At the end of the run: the breakdowns into the results.
    void Finish();

  private:
    /// One move's events (seconds; -1: not yet).
    struct Record
    {
        size_t terminal{0};     //!< the mover
        double at{0};           //!< the move's time
        double lastVoice{-1};   //!< last voice packet before the link went down
        double down{-1};        //!< link down
        double up{-1};          //!< link up on the new network
        double address{-1};     //!< address there
        double presence{-1};    //!< a peer got the NOTIFY
        double decision{-1};    //!< last decision applied
        double sa{-1};          //!< last SA pair installed
        double firstVoice{-1};  //!< first voice packet after
        int lastSender{-1};     //!< who sent the last packet before
        uint32_t lastSeq{0};    //!< its sequence number
        int64_t lost{-1};       //!< voice packets lost in between (-1: unknown)
        uint64_t signalling{0}; //!< SIP and IKE bytes sent meanwhile
    };

    /**
     * \param i terminal index
     * \return its move in progress (started, voice not yet back), or null
     */
    Record* Open(size_t i);
    /**
     * A peer-side event: for every open move of the terminal and of its session peers.
     * \param i the terminal where it happened
     * \param apply what to do with a record
     */
    template <typename F>
    void ForOpenMoves(size_t i, F apply);

    const Scenario& m_sc;                  //!< the scenario
    Ptr<ExposureMonitor> m_monitor;        //!< owners of addresses
    ScenarioRunResult& m_res;              //!< the results
    std::vector<Record> m_records;         //!< one per move, in the scenario's move order
    std::vector<std::vector<size_t>> m_of; //!< per terminal: its records, in time order
    std::vector<std::set<size_t>> m_peers; //!< per terminal: its session peers
    std::vector<double> m_lastVoice;       //!< per terminal: last voice packet received
    std::vector<int> m_lastSender;         //!< per terminal: its sender
    std::vector<uint32_t> m_lastSeq;       //!< per terminal: its sequence number
};

} // namespace ns3

#endif // PRESEC_HANDOVER_PROBE_H
