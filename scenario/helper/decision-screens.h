/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_DECISION_SCREENS_H
#define PRESEC_DECISION_SCREENS_H

#include "ns3/scenario-results.h"
#include "ns3/secure-peer-application.h"
#include "ns3/security-policy.h"
#include "ns3/user-decision-model.h"

#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-scenario
 * Keeps what every decision model was shown and what it decided (SecurePeerApplication's
 * Decided trace) as the patent's screens, for the report: the presence screen (FIG. 9), the
 * proposed policy (FIG. 8, from our side) and the registered one (FIG. 13). The first
 * ScenarioRunResult::MAX_DECISION_SCREENS decisions of a run are kept.
 */
class DecisionScreens
{
  public:
    /**
     * \param names the terminals' names, by index
     * \param results where the records go (ScenarioRunResult::decisions)
     */
    DecisionScreens(std::vector<std::string> names, ScenarioRunResult& results);

    /**
     * Follow an application's decisions.
     * \param i terminal index
     * \param app one of its SecurePeerApplications
     */
    void Watch(size_t i, Ptr<SecurePeerApplication> app);

    /**
     * \param p a policy
     * \return its fields as the policy form shows them
     */
    static ScenarioPolicyForm Form(const SecurityPolicy& p);

  private:
    /**
     * A decision.
     * \param i terminal index
     * \param ctx what the model was shown
     * \param d what it decided
     */
    void Decided(size_t i, const DecisionContext& ctx, const Decision& d);

    std::vector<std::string> m_names; //!< terminals
    ScenarioRunResult& m_res;         //!< the results
};

} // namespace ns3

#endif // PRESEC_DECISION_SCREENS_H
