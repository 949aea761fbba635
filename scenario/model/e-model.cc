/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "e-model.h"

#include <algorithm>
#include <cmath>

namespace ns3
{

unsigned
VoiceCodec::PayloadBytes(double ptimeMs) const
{
    return unsigned(std::lround(bitRate * ptimeMs / 1000 / 8));
}

const std::vector<VoiceCodec>&
VoiceCodec::GetAll()
{
    // Ie and Bpl: ITU-T G.113 (11/2009) Appendix I, Tables I.1 and I.3 (G.711 with packet
    // loss concealment, G.729A with VAD). The Opus-like entry is an ESTIMATE (Opus is not in
    // G.113): a 24 kb/s narrowband mode given G.729A's impairment and a loss robustness like
    // G.711's with concealment. Payload types: RFC 3551 (PCMU 0, G729 18), dynamic for Opus.
    static const std::vector<VoiceCodec> all = {
        {"G.711", 64000, 0, 25.1, 0, 0, 10, 8000},
        {"G.729", 8000, 11, 19.0, 5, 18, 10, 8000},
        {"Opus", 24000, 11, 25.1, 6.5, 111, 10, 48000},
    };
    return all;
}

std::optional<VoiceCodec>
VoiceCodec::Find(const std::string& name)
{
    for (const auto& c : GetAll())
    {
        if (c.name == name)
        {
            return c;
        }
    }
    return std::nullopt;
}

namespace
{

// G.107 Table 3 defaults.
constexpr double kSlr = 8;            // send loudness rating (dB)
constexpr double kRlr = 2;            // receive loudness rating (dB)
constexpr double kStmr = 15;          // sidetone masking rating (dB)
constexpr double kDs = 3;             // D-value of the telephone, send side
constexpr double kTelr = 65;          // talker echo loudness rating (dB)
constexpr double kWepl = 110;         // weighted echo path loss (dB)
constexpr double kPs = 35;            // room noise, send side (dB(A))
constexpr double kPr = 35;            // room noise, receive side (dB(A))
constexpr double kNc = -70;           // circuit noise (dBm0p)
constexpr double kNfor = -64;         // noise floor at the receive side (dBmp)
constexpr double kQdu = 1;            // quantizing distortion units
constexpr double kA = 0;              // advantage factor
constexpr double kMt = 100;           // minimum perceivable delay for Idd (ms)
constexpr double kSt = 1;             // sensitivity of Idd to delay
constexpr double kLstr = kStmr + kDs; // listener sidetone rating (dB), Dr = Ds

double
OLR()
{
    return kSlr + kRlr;
}

/// Basic signal-to-noise ratio Ro, and the noise sum No it uses.
double
Ro(double& no)
{
    double nos = kPs - kSlr - kDs - 100 + 0.004 * std::pow(kPs - OLR() - kDs - 14, 2);
    double pre = kPr + 10 * std::log10(1 + std::pow(10, (10 - kLstr) / 10));
    double nor = kRlr - 121 + pre + 0.008 * std::pow(pre - 35, 2);
    double nfo = kNfor + kRlr;
    no = 10 * std::log10(std::pow(10, kNc / 10) + std::pow(10, nos / 10) + std::pow(10, nor / 10) +
                         std::pow(10, nfo / 10));
    return 15 - 1.5 * (kSlr + no);
}

/// Simultaneous impairment Is (sidetone, loudness, quantizing) at echo path delay t (ms).
double
Is(double ro, double no, double t)
{
    double stmro =
        -10 * std::log10(std::pow(10, -kStmr / 10) + std::exp(-t / 4) * std::pow(10, -kTelr / 10));
    double ist = 12 * std::pow(1 + std::pow((stmro - 13) / 6, 8), 1.0 / 8) -
                 28 * std::pow(1 + std::pow((stmro + 1) / 19.4, 35), 1.0 / 35) -
                 13 * std::pow(1 + std::pow((stmro - 3) / 33, 13), 1.0 / 13) + 29;
    double q = 37 - 15 * std::log10(kQdu);
    double g = 1.07 + 0.258 * q + 0.0602 * q * q;
    double z = 46.0 / 30 - g / 40;
    double y = (ro - 100) / 15 + 46.0 / 8.4 - g / 9;
    double iq = 15 * std::log10(1 + std::pow(10, y) + std::pow(10, z));
    double xolr = OLR() + 0.2 * (64 + no - kRlr);
    double iolr = 20 * (std::pow(1 + std::pow(xolr / 8, 8), 1.0 / 8) - xolr / 8);
    return iolr + ist + iq;
}

} // namespace

double
EModel::DelayImpairment(double ta)
{
    double no = 0;
    double ro = Ro(no);
    double t = ta;
    double tr = 2 * ta;
    // Talker echo (Idte), through TELR at the echo path delay T.
    double terv =
        kTelr - 40 * std::log10((1 + t / 10) / (1 + t / 150)) + 6 * std::exp(-0.3 * t * t);
    double roe = -1.5 * (no - kRlr);
    double re = 80 + 2.5 * (terv - 14);
    double idte =
        ((roe - re) / 2 + std::sqrt(std::pow(roe - re, 2) / 4 + 100) - 1) * (1 - std::exp(-t));
    // Listener echo (Idle), through WEPL at the round trip Tr.
    double rle = 10.5 * (kWepl + 7) * std::pow(tr + 1, -0.25);
    double idle = (ro - rle) / 2 + std::sqrt(std::pow(ro - rle, 2) / 4 + 169);
    // Too-long absolute delay (Idd).
    double idd = 0;
    if (ta > kMt)
    {
        double x = std::log10(ta / kMt) / std::log10(2);
        idd = 25 * (std::pow(1 + std::pow(x, 6 * kSt), 1 / (6 * kSt)) -
                    3 * std::pow(1 + std::pow(x / 3, 6 * kSt), 1 / (6 * kSt)) + 2);
    }
    return idte + idle + idd;
}

double
EModel::Rating(const VoiceCodec& codec, double mouthToEarMs, double lossPercent, double burstRatio)
{
    double no = 0;
    double ro = Ro(no);
    double ppl = std::clamp(lossPercent, 0.0, 100.0);
    double burst = std::max(burstRatio, 1.0);
    double ieEff = codec.ie + (95 - codec.ie) * ppl / (ppl / burst + codec.bpl);
    double ta = std::max(mouthToEarMs, 0.0);
    double r = ro - Is(ro, no, ta) - DelayImpairment(ta) - ieEff + kA;
    return std::clamp(r, 0.0, 100.0);
}

double
EModel::Mos(double r)
{
    if (r <= 0)
    {
        return 1;
    }
    if (r >= 100)
    {
        return 4.5;
    }
    return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
}

} // namespace ns3
