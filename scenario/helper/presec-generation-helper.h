/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_PRESEC_GENERATION_HELPER_H
#define PRESEC_PRESEC_GENERATION_HELPER_H

#include "scenario-runner.h"
#include "scenario-security-helper.h"
#include "session-generation-helper.h"

#include "ns3/secure-peer-application.h"

#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-scenario
 * The generations with presec: at the start of each, every member of the component gets a
 * fresh SecurePeerApplication (its own decision model object and random stream; the SPD back
 * to the terminal's default policy), and every active session is Connected from the caller
 * to the callee's address; the sessions' stats are collected just before the generation
 * stops. Without restarts at moves, the Connect waits for both ends' addresses (DHCP).
 */
class PresecGenerationHelper : public SessionGenerationHelper
{
  public:
    /**
     * \param scenario the scenario
     * \param options the run's options (decision model overrides)
     * \param topology the built topology (it must outlive the run)
     * \param security the installed security (default policies, trusted locations)
     * \param stats the session measurements (it must outlive the run)
     * \param results the run's results: each terminal's decision model name
     */
    PresecGenerationHelper(const Scenario& scenario,
                           const ScenarioRunOptions& options,
                           const ScenarioTopology& topology,
                           const ScenarioSecurityHelper& security,
                           ScenarioSessionStats& stats,
                           ScenarioRunResult& results);
    /// After the run: every application's decisions and their log, in order.
    void CollectDecisions();
    /// Told of every application installed: the terminal index and the application.
    typedef Callback<void, size_t, Ptr<SecurePeerApplication>> AppCallback;
    /** \param cb told of every application installed from now on (a probe) */
    void SetAppCallback(AppCallback cb);

  private:
    void InstallGeneration(const Component& c, size_t g, double from, double to) override;
    /**
     * Install and start one member's application for a generation.
     * \param c the component
     * \param i the member
     * \param g generation number
     * \param start start time (s)
     * \param to stop time (s)
     * \return the application
     */
    Ptr<SecurePeerApplication> InstallApp(const Component& c,
                                          size_t i,
                                          size_t g,
                                          double start,
                                          double to);

    const ScenarioRunOptions& m_opt;          //!< the run's options
    const ScenarioSecurityHelper& m_security; //!< default SPDs
    ScenarioRunResult& m_res;                 //!< the results
    /// Next model stream (10 each): apart from the topology's (from 10,000 up, which 1,000
    /// applications counted from 1,000 reached) and the voice phases'.
    int64_t m_modelStream{int64_t(1) << 42};
    int64_t m_phaseStream{VOICE_PHASE_STREAM + 1};               //!< next voice phase stream
    std::vector<std::vector<Ptr<SecurePeerApplication>>> m_apps; //!< per terminal, in order
    std::vector<std::vector<std::string>> m_appLabel;            //!< "gen g" per app
    AppCallback m_appCallback;                                   //!< told of new applications
};

} // namespace ns3

#endif // PRESEC_PRESEC_GENERATION_HELPER_H
