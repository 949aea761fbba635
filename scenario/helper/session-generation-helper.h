/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_SESSION_GENERATION_HELPER_H
#define PRESEC_SESSION_GENERATION_HELPER_H

#include "scenario-session-stats.h"
#include "scenario-topology.h"

#include "ns3/ipv4-address.h"
#include "ns3/scenario-results.h"
#include "ns3/scenario.h"

#include <functional>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-scenario
 * The sessions' traffic of a scenario run, cut into "generations": terminals linked by
 * sessions form a component, whose run is cut at every move of a member (unless the
 * applications hand over) and at every end of one of its sessions; each generation gets its
 * own applications. PresecGenerationHelper (SecurePeerApplications) and PlainGenerationHelper
 * (the baseline) fill in one generation.
 */
class SessionGenerationHelper
{
  public:
    /// Terminals linked by sessions: they share generations.
    struct Component
    {
        std::vector<size_t> members;  //!< terminals, ascending
        std::vector<size_t> sessions; //!< sessions, ascending
    };

    /**
     * \param scenario the scenario
     * \param topology the built topology (it must outlive the run)
     * \param stats the session measurements (it must outlive the run)
     */
    SessionGenerationHelper(const Scenario& scenario,
                            const ScenarioTopology& topology,
                            ScenarioSessionStats& stats);
    virtual ~SessionGenerationHelper() = default;

    /**
     * \param restart cut the generations at moves too (default true)
     */
    void SetRestartAtMoves(bool restart);
    /// Install the generations of every component, in order.
    void Install();
    /**
     * \param scenario the scenario
     * \return its components, by smallest member
     */
    static std::vector<Component> Components(const Scenario& scenario);

  protected:
    /**
     * Install one generation of a component.
     * \param c the component
     * \param g generation number (0 first)
     * \param from its start (s)
     * \param to its end (s)
     */
    virtual void InstallGeneration(const Component& c, size_t g, double from, double to) = 0;
    /**
     * When both ends of a session have an address on the network they are on (DHCP, moves),
     * now or by retrying every 50 ms until to: mark the session connected and act.
     * \param s session index
     * \param a the caller
     * \param cc the callee
     * \param to give up then (s)
     * \param action called with the caller's and the callee's addresses
     */
    void WhenAddressed(size_t s,
                       size_t a,
                       size_t cc,
                       double to,
                       std::function<void(Ipv4Address, Ipv4Address)> action);

    /// The voice phases' streams (both runs draw where each stream's clock ticks, as two
    /// phones' clocks do): apart from the topology's (counted from 0) and the wanders' (2^40 +
    /// wander). The baseline draws from this one, the presec run's applications from the
    /// ones after it.
    static constexpr int64_t VOICE_PHASE_STREAM = int64_t(1) << 41;

    const Scenario& m_sc;               //!< the scenario
    const ScenarioTopology& m_topology; //!< where the terminals are
    ScenarioSessionStats& m_stats;      //!< the session measurements
    bool m_restart{true};               //!< see SetRestartAtMoves
};

} // namespace ns3

#endif // PRESEC_SESSION_GENERATION_HELPER_H
