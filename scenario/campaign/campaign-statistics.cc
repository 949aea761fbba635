/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "campaign-statistics.h"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>

namespace ns3
{
namespace campaign
{

double
StudentT975(unsigned degrees)
{
    boost::math::students_t dist(static_cast<double>(degrees));
    return boost::math::quantile(dist, 0.975);
}

SampleSummary
Summarize(const std::vector<double>& values)
{
    SampleSummary s;
    s.n = static_cast<unsigned>(values.size());
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (values.empty())
    {
        s.mean = s.sd = s.ciLow = s.ciHigh = nan;
        return s;
    }
    // Two passes: the textbook one-pass formula loses digits when the mean is large.
    double sum = 0;
    for (double v : values)
    {
        sum += v;
    }
    s.mean = sum / s.n;
    if (s.n < 2)
    {
        s.sd = s.ciLow = s.ciHigh = nan;
        return s;
    }
    double squares = 0;
    for (double v : values)
    {
        squares += (v - s.mean) * (v - s.mean);
    }
    s.sd = std::sqrt(squares / (s.n - 1));
    double half = StudentT975(s.n - 1) * s.sd / std::sqrt(static_cast<double>(s.n));
    s.ciLow = s.mean - half;
    s.ciHigh = s.mean + half;
    return s;
}

} // namespace campaign
} // namespace ns3
