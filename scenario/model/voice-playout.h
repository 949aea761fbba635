/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_VOICE_PLAYOUT_H
#define PRESEC_VOICE_PLAYOUT_H

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-scenario
 * The receiving end of one direction of a call: a fixed playout (jitter) buffer over the
 * packets' arrivals, and the loss pattern the listener hears.
 *
 * A stream's first packet fixes the playout delay: its one-way delay plus the buffer depth.
 * Every packet is played at its send time plus that delay, so one that arrives later is lost
 * to the listener (late loss) as one the network dropped is. After a gap of RESYNC_GAP or
 * more missing packets (an outage, a hand-over) the next packet fixes the delay again, as at
 * the start of a talkspurt; a path that only grows slower is not followed (a fixed buffer's
 * weakness, which late loss shows). A new stream (a new session) starts over. Packets beyond the
 * highest sequence number received were not yet due and are not counted.
 *
 * The loss pattern gives G.107's BurstR as for a two-state Markov loss process (G.107
 * Annex: BurstR = 1 / (p + q), p the probability that a packet is lost after one that was
 * played, q that one is played after one that was lost), estimated from the counts of all
 * streams together.
 */
class VoicePlayout
{
  public:
    /// Missing packets in a row after which the playout delay is set again.
    static constexpr uint32_t RESYNC_GAP = 10;

    /** \param bufferMs the buffer depth beyond the first packet's delay (ms) */
    explicit VoicePlayout(double bufferMs);

    /** A new stream starts: sequence numbers from 0, a new playout delay. */
    void NewStream();

    /**
     * A packet arrived.
     * \param seq its sequence number in the stream (extended, from 0)
     * \param delayMs its one-way delay (ms)
     */
    void Arrived(uint32_t seq, double delayMs);

    /** What the listener got, all streams so far (the current one included). */
    struct Summary
    {
        uint64_t expected{0};     //!< packets due: up to each stream's highest received
        uint64_t played{0};       //!< in time
        uint64_t late{0};         //!< arrived after their playout time
        double playoutDelayMs{0}; //!< mean playout delay of the played packets (ms)
        double burstRatio{1};     //!< G.107 BurstR, at least 1 (1: random loss, or none)
        /** \return the share of due packets not played (network and late), in percent */
        double LossPercent() const;
    };

    /** \return the summary */
    Summary Summarize() const;

  private:
    /// Add the current stream's pattern to the totals.
    void CloseStream();

    /// What became of a due packet.
    enum Fate : uint8_t
    {
        MISSING = 0, //!< not (yet) arrived
        PLAYED,      //!< arrived in time
        LATE,        //!< arrived after its playout time
    };

    double m_bufferMs;        //!< buffer depth
    bool m_anchored{false};   //!< the current stream's playout delay is set
    double m_playoutMs{0};    //!< the current stream's playout delay
    std::vector<Fate> m_fate; //!< the current stream, by sequence number
    uint32_t m_lastSeq{0};    //!< the current stream's highest sequence number arrived
    uint64_t m_expected{0};   //!< closed streams: packets due
    uint64_t m_played{0};     //!< closed streams: played
    uint64_t m_late{0};       //!< closed streams: late
    double m_playoutSum{0};   //!< all streams: playout delay × played packets
    uint64_t m_okToLoss{0};   //!< closed streams: played then lost
    uint64_t m_okNext{0};     //!< closed streams: played, followed by a due packet
    uint64_t m_lossToOk{0};   //!< closed streams: lost then played
    uint64_t m_lossNext{0};   //!< closed streams: lost, followed by a due packet
};

} // namespace ns3

#endif // PRESEC_VOICE_PLAYOUT_H
