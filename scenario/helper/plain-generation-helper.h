/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_PLAIN_GENERATION_HELPER_H
#define PRESEC_PLAIN_GENERATION_HELPER_H

#include "session-generation-helper.h"

#include "ns3/nstime.h"
#include "ns3/random-variable-stream.h"

#include <array>
#include <set>

namespace ns3
{

/**
 * \ingroup presec-scenario
 * The generations of the baseline (no IPsec, presence or SecurePeerApplication): voice as
 * UdpClient (SeqTs, SecurePeerApplication's default interval and size) both ways to a
 * UdpServer, bulk as BulkSend to a PacketSink, on SecurePeerApplication's data port, started
 * when the presec run would Connect. On Wi-Fi they start once both ends have a lease.
 */
class PlainGenerationHelper : public SessionGenerationHelper
{
  public:
    /**
     * \param scenario the scenario
     * \param topology the built topology (it must outlive the run)
     * \param stats the session measurements (it must outlive the run)
     */
    PlainGenerationHelper(const Scenario& scenario,
                          const ScenarioTopology& topology,
                          ScenarioSessionStats& stats);
    /// A UdpServer and a PacketSink on every terminal, counting into the session stats.
    void InstallSinks();

  private:
    void InstallGeneration(const Component& c, size_t g, double from, double to) override;
    /**
     * The senders of one session.
     * \param s session index
     * \param a the caller
     * \param cc the callee
     * \param addrA the caller's address
     * \param addrC the callee's address
     * \param start start time (relative to now when called during the run)
     * \param stop stop time (likewise)
     * \param phase voice: each direction's start after start (caller's, callee's)
     * \return whether it is a voice session (bulk: false)
     */
    bool InstallSenders(size_t s,
                        size_t a,
                        size_t cc,
                        Ipv4Address addrA,
                        Ipv4Address addrC,
                        Time start,
                        Time stop,
                        std::array<Time, 2> phase);
    /**
     * \param s session index
     * \return voice: a start phase per direction within the packet interval; bulk: none
     */
    std::array<Time, 2> DrawPhases(size_t s);

    std::set<size_t> m_bulkStarted;     //!< bulk sessions whose one transfer is installed
    Ptr<UniformRandomVariable> m_phase; //!< each voice direction's start phase
};

} // namespace ns3

#endif // PRESEC_PLAIN_GENERATION_HELPER_H
