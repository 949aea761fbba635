/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * The ITU-T G.107 E-model (issue 15, voice quality): the Recommendation's default rating,
 * the codecs' published maxima, the loss and delay impairments, the MOS mapping.
 */

#include "ns3/e-model.h"

#include <gtest/gtest.h>

using namespace ns3;

TEST(EModel, DefaultsGiveThePublishedMaxima)
{
    auto g711 = VoiceCodec::Find("G.711");
    auto g729 = VoiceCodec::Find("G.729");
    ASSERT_TRUE(g711 && g729);
    // G.107: with every parameter at its default, R = 93.2 (MOS 4.41); G.729A's Ie 11 takes
    // it to 82.2 (MOS 4.09).
    EXPECT_NEAR(EModel::Rating(*g711, 0, 0), 93.2, 0.05);
    EXPECT_NEAR(EModel::Mos(EModel::Rating(*g711, 0, 0)), 4.41, 0.01);
    EXPECT_NEAR(EModel::Rating(*g729, 0, 0), 82.2, 0.05);
    EXPECT_NEAR(EModel::Mos(EModel::Rating(*g729, 0, 0)), 4.09, 0.02);
    EXPECT_FALSE(VoiceCodec::Find("G.722"));
}

TEST(EModel, LossAndDelayImpair)
{
    auto g711 = *VoiceCodec::Find("G.711");
    double r0 = EModel::Rating(g711, 0, 0);
    // Ie,eff = Ie + (95 - Ie) Ppl / (Ppl / BurstR + Bpl): 1% random loss costs 95/26.1.
    EXPECT_NEAR(r0 - EModel::Rating(g711, 0, 1), 95 / 26.1, 1e-9);
    // Bursts hurt more than random loss.
    EXPECT_LT(EModel::Rating(g711, 0, 2, 3), EModel::Rating(g711, 0, 2, 1));
    // Delay: a little below 100 ms (echo terms only), much more beyond (Idd).
    double r50 = EModel::Rating(g711, 50, 0);
    double r300 = EModel::Rating(g711, 300, 0);
    EXPECT_LT(r50, r0);
    EXPECT_GT(r50, r0 - 2.5);
    EXPECT_LT(r300, r0 - 15);
    EXPECT_EQ(EModel::DelayImpairment(400) > EModel::DelayImpairment(300), true);
}

TEST(EModel, MosMappingAndPayloads)
{
    EXPECT_EQ(EModel::Mos(0), 1);
    EXPECT_EQ(EModel::Mos(100), 4.5);
    EXPECT_NEAR(EModel::Mos(50), 1 + 1.75 + 50 * -10 * 50 * 7e-6, 1e-12);
    // Payload bytes per 20 ms packet: G.711 160, G.729 20, the Opus-like 60.
    EXPECT_EQ(VoiceCodec::Find("G.711")->PayloadBytes(20), 160u);
    EXPECT_EQ(VoiceCodec::Find("G.729")->PayloadBytes(20), 20u);
    EXPECT_EQ(VoiceCodec::Find("Opus")->PayloadBytes(20), 60u);
    EXPECT_EQ(VoiceCodec::Find("G.729")->PayloadBytes(30), 30u);
}
