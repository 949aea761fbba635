# SPDX-License-Identifier: GPL-2.0-only
"""Statistics shared by the benchmark scripts (bench/campus-growth.sh, campus-timeshare.py)."""
import math


def median_interval(xs, alpha=0.05):
    """A distribution-free confidence interval for the median of xs: [x_(j+1), x_(k-j)] covers
    it with probability 1 - 2 P(Bin(k, 1/2) <= j); the narrowest such interval whose coverage is
    at least 1 - alpha, or the widest one. Returns (low, high, coverage)."""
    xs = sorted(xs)
    k = len(xs)
    cdf = lambda j: sum(math.comb(k, i) for i in range(j + 1)) / 2**k
    j = 0
    while j + 1 < (k + 1) // 2 and cdf(j + 1) <= alpha / 2:
        j += 1
    return xs[j], xs[k - 1 - j], 1 - 2 * cdf(j)
