/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/security-association-database.h"
#include "ns3/simulator.h"

#include <gtest/gtest.h>
#include <map>
#include <random>

using namespace ns3;

namespace
{

Ptr<SecurityAssociation>
MakeSa(uint32_t spi,
       const char* src,
       const char* dst,
       IpsecProtocol protocol = IpsecProtocol::ESP,
       IpsecMode mode = IpsecMode::TRANSPORT,
       uint32_t reqid = 0)
{
    Ptr<SecurityAssociation> sa = Create<SecurityAssociation>();
    sa->spi = spi;
    sa->source = Ipv4Address(src);
    sa->destination = Ipv4Address(dst);
    sa->protocol = protocol;
    sa->mode = mode;
    sa->reqid = reqid;
    // Algorithms with integrity, which the SAD requires of ESP and AH.
    sa->encryption = EncryptionAlgorithm::AES_128_GCM_16;
    sa->authentication = AuthenticationAlgorithm::HMAC_SHA1_96;
    return sa;
}

TEST(SecurityAssociationDatabaseTest, OutboundNewestUsableWins)
{
    auto sad = CreateObject<SecurityAssociationDatabase>();
    Ipv4Address a("10.0.0.1");
    Ipv4Address b("10.0.0.2");
    auto older = MakeSa(0x100, "10.0.0.1", "10.0.0.2");
    auto newer = MakeSa(0x200, "10.0.0.1", "10.0.0.2");
    // A lower SPI added later is still the newer SA: insertion order decides, not the key.
    auto newest =
        MakeSa(0x050, "10.0.0.1", "10.0.0.2", IpsecProtocol::ESP, IpsecMode::TRANSPORT, 7);
    sad->Add(older);
    sad->Add(newer);
    EXPECT_EQ(sad->FindOutbound(a, b, IpsecProtocol::ESP, IpsecMode::TRANSPORT), newer);
    sad->Add(newest);
    EXPECT_EQ(sad->FindOutbound(a, b, IpsecProtocol::ESP, IpsecMode::TRANSPORT), newest);
    // reqid filter: only `newest` carries 7; 8 matches nothing.
    EXPECT_EQ(sad->FindOutbound(a, b, IpsecProtocol::ESP, IpsecMode::TRANSPORT, 7), newest);
    EXPECT_EQ(sad->FindOutbound(a, b, IpsecProtocol::ESP, IpsecMode::TRANSPORT, 8), nullptr);
    // Other selectors do not match.
    EXPECT_EQ(sad->FindOutbound(b, a, IpsecProtocol::ESP, IpsecMode::TRANSPORT), nullptr);
    EXPECT_EQ(sad->FindOutbound(a, b, IpsecProtocol::AH, IpsecMode::TRANSPORT), nullptr);
    EXPECT_EQ(sad->FindOutbound(a, b, IpsecProtocol::ESP, IpsecMode::TUNNEL), nullptr);

    // A hard-expired SA (byte lifetime) is skipped while it is still in the SAD.
    newest->lifetime.hardBytes = 10;
    newest->CountBytes(10);
    ASSERT_EQ(newest->GetState(), SaState::HARD_EXPIRED);
    EXPECT_EQ(sad->FindOutbound(a, b, IpsecProtocol::ESP, IpsecMode::TRANSPORT), newer);
    EXPECT_EQ(sad->FindOutbound(a, b, IpsecProtocol::ESP, IpsecMode::TRANSPORT, 7), nullptr);

    // Removing the newest usable one falls back to the next newest.
    EXPECT_TRUE(sad->Remove(0x200, b, IpsecProtocol::ESP));
    EXPECT_EQ(sad->FindOutbound(a, b, IpsecProtocol::ESP, IpsecMode::TRANSPORT), older);
    // Re-adding an SA under an existing key makes it the newest.
    auto again = MakeSa(0x100, "10.0.0.1", "10.0.0.2");
    sad->Add(MakeSa(0x300, "10.0.0.1", "10.0.0.2"));
    sad->Add(again);
    EXPECT_EQ(sad->FindOutbound(a, b, IpsecProtocol::ESP, IpsecMode::TRANSPORT), again);
    EXPECT_EQ(sad->GetN(), 3u);
    sad->Clear();
    EXPECT_EQ(sad->GetN(), 0u);
    EXPECT_EQ(sad->FindOutbound(a, b, IpsecProtocol::ESP, IpsecMode::TRANSPORT), nullptr);
    sad->Dispose();
    Simulator::Destroy(); // expiry reports scheduled by the byte lifetime
}

TEST(SecurityAssociationDatabaseTest, HardTimeExpiryLeavesTheOutboundIndex)
{
    auto sad = CreateObject<SecurityAssociationDatabase>();
    auto shortLived = MakeSa(0x10, "10.0.0.1", "10.0.0.2");
    shortLived->lifetime.hardTime = Seconds(1);
    auto longLived = MakeSa(0x20, "10.0.0.1", "10.0.0.2");
    sad->Add(longLived);
    sad->Add(shortLived);
    Ptr<SecurityAssociation> before;
    Ptr<SecurityAssociation> after;
    auto find = [&]() {
        return sad->FindOutbound(Ipv4Address("10.0.0.1"),
                                 Ipv4Address("10.0.0.2"),
                                 IpsecProtocol::ESP,
                                 IpsecMode::TRANSPORT);
    };
    Simulator::Schedule(MilliSeconds(500), [&]() { before = find(); });
    Simulator::Schedule(MilliSeconds(1500), [&]() { after = find(); });
    Simulator::Run();
    Simulator::Destroy();
    EXPECT_EQ(before, shortLived);
    EXPECT_EQ(after, longLived);
    sad->Dispose();
}

TEST(SecurityAssociationDatabaseTest, OutboundIndexAgreesWithAScanOfEverySa)
{
    // Random adds, replacements, removals and expiries against the rule stated in the header:
    // among SAs with these selectors and reqid that are not hard-expired, the newest wins.
    auto sad = CreateObject<SecurityAssociationDatabase>();
    std::mt19937 rng(11);
    const char* const hosts[] = {"10.0.0.1", "10.0.0.2", "10.0.0.3"};
    std::map<uint32_t, uint64_t> addedAt; // SPI -> insertion counter (SPIs unique per test)
    uint64_t counter = 0;
    for (int step = 0; step < 3000; ++step)
    {
        uint32_t spi = 1 + rng() % 40;
        int op = rng() % 10;
        if (op < 6)
        {
            auto sa = MakeSa(spi,
                             hosts[rng() % 2],
                             hosts[1 + rng() % 2],
                             rng() % 2 ? IpsecProtocol::ESP : IpsecProtocol::AH,
                             rng() % 2 ? IpsecMode::TRANSPORT : IpsecMode::TUNNEL,
                             rng() % 3);
            // Same SPI under another destination or protocol would be another key: keep one
            // SA per SPI so the reference below can key by SPI.
            for (const auto& old : sad->GetAll())
            {
                if (old->spi == spi)
                {
                    sad->Remove(old->spi, old->destination, old->protocol);
                }
            }
            sad->Add(sa);
            addedAt[spi] = counter++;
        }
        else if (op < 8)
        {
            for (const auto& old : sad->GetAll())
            {
                if (old->spi == spi)
                {
                    sad->Remove(old->spi, old->destination, old->protocol);
                }
            }
        }
        else
        {
            for (const auto& sa : sad->GetAll())
            {
                if (sa->spi == spi)
                {
                    sa->lifetime.hardBytes = 1;
                    sa->CountBytes(1);
                }
            }
        }
        for (const char* s : hosts)
        {
            for (const char* d : hosts)
            {
                for (IpsecProtocol p : {IpsecProtocol::ESP, IpsecProtocol::AH})
                {
                    for (IpsecMode m : {IpsecMode::TRANSPORT, IpsecMode::TUNNEL})
                    {
                        for (uint32_t reqid : {0u, 1u, 2u})
                        {
                            Ptr<SecurityAssociation> expected;
                            for (const auto& sa : sad->GetAll())
                            {
                                if (sa->source == Ipv4Address(s) &&
                                    sa->destination == Ipv4Address(d) && sa->protocol == p &&
                                    sa->mode == m && (reqid == 0 || sa->reqid == reqid) &&
                                    sa->GetState() != SaState::HARD_EXPIRED &&
                                    (!expected || addedAt[sa->spi] > addedAt[expected->spi]))
                                {
                                    expected = sa;
                                }
                            }
                            ASSERT_EQ(
                                sad->FindOutbound(Ipv4Address(s), Ipv4Address(d), p, m, reqid),
                                expected)
                                << "step " << step;
                        }
                    }
                }
            }
        }
    }
    sad->Dispose();
    Simulator::Destroy();
}

} // namespace
