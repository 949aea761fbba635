/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_RANDOM_WAYPOINT_PLAN_H
#define PRESEC_RANDOM_WAYPOINT_PLAN_H

#include "ns3/ptr.h"
#include "ns3/random-variable-stream.h"
#include "ns3/scenario.h"

#include <cstddef>

namespace ns3
{

/**
 * \ingroup presec-scenario
 * Turns a \<wander\> into what the runner executes: the random waypoint legs (ns-3's
 * RandomWaypointMobilityModel's process: a uniform point of the area, a straight walk at the
 * speed, the pause, again) drawn before the run, and the moves they make: one per coverage
 * change.
 *
 * The waypoints are drawn before the run, not by a RandomWaypointMobilityModel during it,
 * because the runner must know a terminal's networks in advance (the SPD's prefixes, the
 * results' path, the hand-over breakdown per move); they come from their own RNG stream, so
 * the RNG run (--RngRun) changes them and nothing else in the scenario moves.
 *
 * Coverage: each Wi-Fi AP reaches Scenario::GetWifiReach() metres (disjoint discs). The
 * terminal changes network when it has been inside another AP's disc for Dwell() seconds
 * (enough to lose the old AP after 3 missed beacons, probe and associate); the move's time is
 * when it last left its old network's disc, and it is on the new network when it associates
 * there, as for a walk. A shorter stay in another disc, or a return to the old one, is no move.
 */
class RandomWaypointPlan
{
  public:
    /// \return how long the terminal stays in a new AP's reach for the move to count (s)
    static double Dwell();

    /**
     * Draw the legs of sc.wanders[w] and put its moves in sc.moves instead of those of an
     * earlier Expand (sc.moves stays sorted by time).
     * \param sc the scenario (parsed: the wander's terminal is on a Wi-Fi network at its start)
     * \param w the wander's index
     * \param x where the terminal stands when it sets off (m)
     * \param y where the terminal stands when it sets off (m)
     * \param uniform a uniform [0, 1) stream (its own stream number)
     */
    static void Expand(Scenario& sc,
                       size_t w,
                       double x,
                       double y,
                       Ptr<UniformRandomVariable> uniform);

    /**
     * \param sc the scenario
     * \param w a wander whose legs are drawn
     * \param x where the terminal stands when it sets off (m)
     * \param y where the terminal stands when it sets off (m)
     * \param t a time (s)
     * \return where the terminal is at t (x, y in metres)
     */
    static std::pair<double, double> PositionAt(const Scenario& sc,
                                                size_t w,
                                                double x,
                                                double y,
                                                double t);
};

} // namespace ns3

#endif // PRESEC_RANDOM_WAYPOINT_PLAN_H
