/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_HANDOVER_CHART_H
#define PRESEC_HANDOVER_CHART_H

#include "ns3/scenario-results.h"

#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-scenario
 * The report's hand-over chart: one stacked bar per move, its interruption split into detect,
 * link, address, presence, decision, SA setup and resume (HandoverProbe), to a common scale,
 * with the packets lost and the signalling bytes beside it. Plain HTML and CSS (no script), so
 * the report stays one file that any browser shows.
 */
class HandoverChart
{
  public:
    /**
     * \param handovers a run's hand-overs
     * \param maxRows at most this many (0: all)
     * \return an HTML fragment (empty without hand-overs)
     */
    static std::string Html(const std::vector<ScenarioHandoverResult>& handovers, size_t maxRows);
};

} // namespace ns3

#endif // PRESEC_HANDOVER_CHART_H
