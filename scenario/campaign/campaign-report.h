/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_CAMPAIGN_REPORT_H
#define PRESEC_CAMPAIGN_REPORT_H

// The campaign report: DIR/report/index.html with gnuplot SVG plots of each metric's mean and
// 95% confidence interval (error bars) per configuration and per swept parameter, the summary
// table and the failed runs.

#include "campaign-aggregate.h"
#include "campaign.h"

#include <string>

namespace ns3
{
namespace campaign
{

/**
 * Write the report (plots only when gnuplot is on PATH; the page says so otherwise).
 * \param c the campaign
 * \param a its aggregate
 * \param dir the results folder
 * \return the path of index.html
 * \throws CampaignError when a file cannot be written
 */
std::string WriteReport(const Campaign& c, const Aggregate& a, const std::string& dir);

} // namespace campaign
} // namespace ns3

#endif // PRESEC_CAMPAIGN_REPORT_H
