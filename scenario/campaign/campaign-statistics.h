/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_CAMPAIGN_STATISTICS_H
#define PRESEC_CAMPAIGN_STATISTICS_H

// Per configuration and metric: mean, standard deviation and the 95% Student-t confidence
// interval of the replications.

#include <vector>

namespace ns3
{
namespace campaign
{

/**
 * What the aggregate reports for one sample. With n = 1 the standard deviation and the
 * interval are undefined: they are NaN here, empty in the CSV and NULL in SQLite.
 */
struct SampleSummary
{
    unsigned n{0};    //!< sample size
    double mean{0};   //!< arithmetic mean
    double sd{0};     //!< sample standard deviation (n - 1 in the denominator)
    double ciLow{0};  //!< lower end of the 95% confidence interval of the mean
    double ciHigh{0}; //!< upper end
};

/**
 * \param degrees degrees of freedom (at least 1)
 * \return the 0.975 quantile of Student's t distribution (Boost.Math, not a table)
 */
double StudentT975(unsigned degrees);

/**
 * \param values the sample, at least one value
 * \return its summary; the interval is mean +- t(0.975, n-1) * sd / sqrt(n)
 */
SampleSummary Summarize(const std::vector<double>& values);

} // namespace campaign
} // namespace ns3

#endif // PRESEC_CAMPAIGN_STATISTICS_H
