/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_E_MODEL_H
#define PRESEC_E_MODEL_H

#include <optional>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-scenario
 * A voice codec as the E-model and the wire see it.
 */
struct VoiceCodec
{
    std::string name;         //!< e.g. G.711
    double bitRate{0};        //!< codec bit rate (bit/s)
    double ie{0};             //!< equipment impairment factor Ie (ITU-T G.113 Appendix I)
    double bpl{1};            //!< packet-loss robustness factor Bpl (G.113 Appendix I)
    double lookaheadMs{0};    //!< algorithmic delay beyond the frame (ms)
    unsigned payloadType{0};  //!< RTP payload type (RFC 3551; dynamic for Opus)
    double frameMs{10};       //!< the packetization interval is a multiple of this (ms)
    unsigned clockRate{8000}; //!< RTP clock rate (Hz; RFC 7587: 48000 for Opus)

    /**
     * \param ptimeMs packetization interval (ms)
     * \return RTP payload bytes per packet (the codec's frames, no RTP header)
     */
    unsigned PayloadBytes(double ptimeMs) const;

    /** \return G.711, G.729 and an Opus-like codec */
    static const std::vector<VoiceCodec>& GetAll();
    /**
     * \param name a codec name
     * \return the codec, or nothing
     */
    static std::optional<VoiceCodec> Find(const std::string& name);
};

/**
 * \ingroup presec-scenario
 * ITU-T G.107 (06/2015) E-model: the transmission rating R of a call and its MOS, with every
 * parameter at the Recommendation's default (Table 3) except the delays, the codec and the
 * loss. The echo path delay T is taken equal to the mouth-to-ear delay Ta, and the listener
 * echo round trip Tr to 2 Ta, as for a call without echo-cancelling equipment beyond the
 * defaults' TELR 65 dB.
 */
class EModel
{
  public:
    /**
     * \param codec the codec (its Ie and Bpl)
     * \param mouthToEarMs one-way mouth-to-ear delay Ta (ms): network, queueing, jitter buffer
     *        and the codec's own delay
     * \param lossPercent packet loss Ppl (%), network and late packets together
     * \param burstRatio BurstR (1: random loss)
     * \return R
     */
    static double Rating(const VoiceCodec& codec,
                         double mouthToEarMs,
                         double lossPercent,
                         double burstRatio = 1);
    /**
     * \param r a rating
     * \return its estimated mean opinion score (G.107 Annex B), 1 … 4.5
     */
    static double Mos(double r);
    /**
     * \param ta mouth-to-ear delay (ms)
     * \return the delay impairment Id (Idte + Idle + Idd)
     */
    static double DelayImpairment(double ta);
};

} // namespace ns3

#endif // PRESEC_E_MODEL_H
