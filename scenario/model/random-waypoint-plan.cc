/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "random-waypoint-plan.h"

#include <algorithm>
#include <cmath>

namespace ns3
{

double
RandomWaypointPlan::Dwell()
{
    return 0.5;
}

namespace
{

/// Where a wanderer is, for times that only grow (constant work per call on average).
class Walker
{
  public:
    Walker(const ScenarioWander& wander, double x, double y)
        : m_wa(wander),
          m_x(x),
          m_y(y)
    {
    }

    std::pair<double, double> At(double t)
    {
        while (m_k < m_wa.legs.size())
        {
            const WanderLeg& leg = m_wa.legs[m_k];
            if (t <= leg.depart)
            {
                return {m_x, m_y}; // standing: before the leg, or pausing before it
            }
            double length = std::hypot(leg.x - m_x, leg.y - m_y);
            double walked = (t - leg.depart) * m_wa.speed;
            if (walked < length)
            {
                return {m_x + (leg.x - m_x) * walked / length,
                        m_y + (leg.y - m_y) * walked / length};
            }
            m_x = leg.x; // at the leg's end: on to the next one
            m_y = leg.y;
            ++m_k;
        }
        return {m_x, m_y};
    }

  private:
    const ScenarioWander& m_wa; //!< the wander
    size_t m_k{0};              //!< the first leg not walked to its end
    double m_x;                 //!< where that leg starts
    double m_y;                 //!< where that leg starts
};

} // namespace

std::pair<double, double>
RandomWaypointPlan::PositionAt(const Scenario& sc, size_t w, double x, double y, double t)
{
    return Walker(sc.wanders[w], x, y).At(t);
}

void
RandomWaypointPlan::Expand(Scenario& sc,
                           size_t w,
                           double x,
                           double y,
                           Ptr<UniformRandomVariable> uniform)
{
    ScenarioWander& wa = sc.wanders[w];
    wa.legs.clear();
    sc.moves.erase(std::remove_if(sc.moves.begin(),
                                  sc.moves.end(),
                                  [w](const auto& m) { return m.wander == int(w); }),
                   sc.moves.end());
    // The legs: as RandomWaypointMobilityModel, cut at until.
    double t = wa.from;
    double px = x;
    double py = y;
    while (t < wa.until && wa.legs.size() < 10000000) // the parser bounds it to ~1e6
    {
        double tx = wa.x0 + (wa.x1 - wa.x0) * uniform->GetValue();
        double ty = wa.y0 + (wa.y1 - wa.y0) * uniform->GetValue();
        double length = std::hypot(tx - px, ty - py);
        double arrive = t + length / wa.speed;
        if (arrive > wa.until)
        {
            double f = (wa.until - t) / (arrive - t);
            tx = px + (tx - px) * f;
            ty = py + (ty - py) * f;
            arrive = wa.until;
        }
        wa.legs.push_back({t, tx, ty});
        px = tx;
        py = ty;
        t = arrive + wa.pause;
    }

    // The coverage changes, sampled every 10 cm of the path (or 50 ms).
    const double reach = sc.GetWifiReach();
    const double step = std::min(0.05, 0.1 / wa.speed);
    auto apHeard = [&](double qx, double qy) {
        for (size_t j = 0; j < sc.networks.size(); ++j)
        {
            const auto& n = sc.networks[j];
            if (n.IsWifi() && std::hypot(qx - n.x, qy - n.y) <= reach)
            {
                return int(j); // the discs are disjoint: at most one
            }
        }
        return -1;
    };
    Walker walker(wa, x, y);
    int current = sc.FindNetwork(sc.terminals[size_t(sc.FindTerminal(wa.terminal))].network);
    for (const auto& m : sc.moves)
    {
        if (m.terminal == wa.terminal && m.wander < 0)
        {
            current = sc.FindNetwork(m.network);
        }
    }
    double left = wa.from; // when it last left its network's disc
    int candidate = -1;    // the other AP it is in the reach of now, since entered
    double entered = 0;
    bool inside = true;
    std::vector<ScenarioMove> moves;
    size_t samples = size_t(std::ceil((wa.until - wa.from) / step));
    for (size_t k = 0; k <= samples; ++k)
    {
        double now = std::min(wa.until, wa.from + double(k) * step);
        auto [qx, qy] = walker.At(now);
        int heard = apHeard(qx, qy);
        if (heard == current)
        {
            inside = true;
            candidate = -1;
            continue;
        }
        if (inside)
        {
            left = now;
            inside = false;
        }
        if (heard < 0)
        {
            candidate = -1;
            continue;
        }
        if (heard != candidate)
        {
            candidate = heard;
            entered = now;
        }
        if (now - entered >= Dwell() - 1e-9)
        {
            ScenarioMove m;
            m.terminal = wa.terminal;
            m.at = left;
            m.network = sc.networks[size_t(heard)].name;
            m.speed = wa.speed;
            m.wander = int(w);
            m.line = wa.line;
            moves.push_back(m);
            current = heard;
            candidate = -1;
            inside = true;
        }
    }
    sc.moves.insert(sc.moves.end(), moves.begin(), moves.end());
    std::stable_sort(sc.moves.begin(), sc.moves.end(), [](const auto& a, const auto& b) {
        return a.at < b.at;
    });
}

} // namespace ns3
