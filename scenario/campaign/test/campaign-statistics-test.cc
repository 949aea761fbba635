/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Mean, standard deviation and the 95% Student-t interval against known values, and the
// interval's coverage on a synthetic metric of known mean and variance.

#include "campaign-statistics.h"

#include <cmath>
#include <gtest/gtest.h>
#include <random>

using namespace ns3::campaign;

TEST(CampaignStatistics, StudentQuantiles)
{
    // Published two-sided 95% critical values (any statistics table).
    EXPECT_NEAR(StudentT975(1), 12.706, 1e-3);
    EXPECT_NEAR(StudentT975(4), 2.776, 1e-3);
    EXPECT_NEAR(StudentT975(9), 2.262, 1e-3);
    EXPECT_NEAR(StudentT975(30), 2.042, 1e-3);
    EXPECT_NEAR(StudentT975(100000), 1.960, 1e-3);
}

TEST(CampaignStatistics, KnownSample)
{
    // 2 4 4 4 5 5 7 9: mean 5, sum of squares 32, sd sqrt(32/7).
    SampleSummary s = Summarize({2, 4, 4, 4, 5, 5, 7, 9});
    EXPECT_EQ(s.n, 8U);
    EXPECT_DOUBLE_EQ(s.mean, 5);
    EXPECT_NEAR(s.sd, std::sqrt(32.0 / 7), 1e-12);
    double half = 2.364624251592785 * std::sqrt(32.0 / 7) / std::sqrt(8.0); // t(0.975, 7)
    EXPECT_NEAR(s.ciLow, 5 - half, 1e-9);
    EXPECT_NEAR(s.ciHigh, 5 + half, 1e-9);
}

TEST(CampaignStatistics, ConstantSample)
{
    SampleSummary s = Summarize({3, 3, 3});
    EXPECT_DOUBLE_EQ(s.sd, 0);
    EXPECT_DOUBLE_EQ(s.ciLow, 3);
    EXPECT_DOUBLE_EQ(s.ciHigh, 3);
}

TEST(CampaignStatistics, SingleRunHasNoInterval)
{
    SampleSummary s = Summarize({42});
    EXPECT_EQ(s.n, 1U);
    EXPECT_DOUBLE_EQ(s.mean, 42);
    EXPECT_TRUE(std::isnan(s.sd));
    EXPECT_TRUE(std::isnan(s.ciLow));
    EXPECT_TRUE(std::isnan(s.ciHigh));
    EXPECT_TRUE(std::isnan(Summarize({}).mean));
}

TEST(CampaignStatistics, LargeOffsetKeepsDigits)
{
    SampleSummary s = Summarize({1e9 + 1, 1e9 + 2, 1e9 + 3});
    EXPECT_DOUBLE_EQ(s.mean, 1e9 + 2);
    EXPECT_DOUBLE_EQ(s.sd, 1);
}

TEST(CampaignStatistics, CoverageOfKnownVariance)
{
    // 100 campaigns of 10 runs of a synthetic metric, normal with mean 50 and sd 8 (fixed
    // seeds): the 95% interval must cover 50 in at least 90 of them. The draws are made here
    // with Box-Muller from mt19937_64 so the numbers are the same with every standard library.
    const double mu = 50;
    const double sigma = 8;
    unsigned covered = 0;
    for (unsigned campaign = 0; campaign < 100; ++campaign)
    {
        std::mt19937_64 rng(1000 + campaign);
        auto uniform = [&rng]() {
            return (static_cast<double>(rng() >> 11) + 0.5) / 9007199254740992.0;
        };
        std::vector<double> sample;
        while (sample.size() < 10)
        {
            double r = std::sqrt(-2 * std::log(uniform()));
            double t = 2 * M_PI * uniform();
            sample.push_back(mu + sigma * r * std::cos(t));
            sample.push_back(mu + sigma * r * std::sin(t));
        }
        SampleSummary s = Summarize(sample);
        covered += s.ciLow <= mu && mu <= s.ciHigh ? 1 : 0;
    }
    std::cout << "95% CI coverage of the true mean: " << covered << " of 100 campaigns\n";
    RecordProperty("coverage", static_cast<int>(covered));
    EXPECT_GE(covered, 90U);
}
