/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_DECISION_SCREEN_REPORT_H
#define PRESEC_DECISION_SCREEN_REPORT_H

#include "ns3/scenario-results.h"

#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-scenario
 * The report's view of the decisions: a timeline of every decision (time, terminal, peer,
 * where the peer really is, verdict, think time), each linked to the screens its user saw, as
 * the patent draws them: the presence screen (FIG. 9: entity, address, user, location, time),
 * the proposed policy (FIG. 8: per direction the selector fields, action, protocols, mode,
 * level) and the registered policy (FIG. 13), its fields that differ from the proposal
 * highlighted. Plain HTML (details elements, no script).
 */
class DecisionScreenReport
{
  public:
    /**
     * \param decisions a run's decisions
     * \param run the run's number in the report (anchors are decision-RUN-K)
     * \param maxRows at most this many (0: all)
     * \return an HTML fragment (empty without decisions)
     */
    static std::string Html(const std::vector<ScenarioDecisionRecord>& decisions,
                            size_t run,
                            size_t maxRows);
    /** \return the CSS the fragment uses */
    static const char* Css();
};

} // namespace ns3

#endif // PRESEC_DECISION_SCREEN_REPORT_H
