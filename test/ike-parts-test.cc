/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// The parts IkeProtocol is built from, each on its own: an IKE SA's exchange state, the
// proposals, the traffic selectors, the Child SA manager over a real IPsec layer, and the
// key-management SAP of the IPsec layer.

#include "ipsec-test-fixture.h"

#include "ns3/core-module.h"
#include "ns3/crypto-profile.h"
#include "ns3/ike-child-sa-manager.h"
#include "ns3/ike-proposals.h"
#include "ns3/ike-sa.h"
#include "ns3/ike-traffic-selectors.h"
#include "ns3/key-management-sap.h"

#include <gtest/gtest.h>
#include <vector>

using namespace ns3;
using namespace presec_test;

namespace
{

Ptr<Packet>
Bytes(uint32_t n)
{
    return Create<Packet>(n);
}

} // namespace

TEST(IkeSaWindow, PeerRequestsInOrderRepeatsAnsweredFromCache)
{
    IkeSa sa;
    sa.AnsweredInit(); // IKE_SA_INIT (ID 0) answered
    EXPECT_EQ(sa.CheckPeerRequest(0), IkeSa::PeerRequest::REPEAT);
    EXPECT_EQ(sa.CheckPeerRequest(1), IkeSa::PeerRequest::NEW);
    EXPECT_EQ(sa.CheckPeerRequest(2), IkeSa::PeerRequest::OUT_OF_WINDOW);
    sa.AcceptPeerRequest(1);
    EXPECT_EQ(sa.ResponseId(), 1u);
    EXPECT_TRUE(sa.CachedResponse().empty()); // being computed
    EXPECT_EQ(sa.CheckPeerRequest(1), IkeSa::PeerRequest::REPEAT);
    EXPECT_EQ(sa.CheckPeerRequest(0), IkeSa::PeerRequest::OUT_OF_WINDOW);
    EXPECT_EQ(sa.CheckPeerRequest(2), IkeSa::PeerRequest::NEW);
    sa.CacheResponse(0, {Bytes(10)}); // a response to an older request is not cached
    EXPECT_TRUE(sa.CachedResponse().empty());
    sa.CacheResponse(1, {Bytes(20), Bytes(30)}); // in two fragments
    IkeDatagrams cached = sa.CachedResponse();
    ASSERT_EQ(cached.size(), 2u);
    EXPECT_EQ(cached[0]->GetSize(), 20u);
    EXPECT_EQ(cached[1]->GetSize(), 30u);
}

TEST(IkeSaWindow, OwnRequestRetransmittedWithBackOffUntilTheLimit)
{
    IkeSa sa;
    uint32_t id = sa.TakeMessageId();
    EXPECT_EQ(id, 0u);
    EXPECT_EQ(sa.TakeMessageId(), 1u);
    sa.StartRequest(id, IkeExchangeType::IKE_SA_INIT, {Bytes(100)}, Seconds(1));
    EXPECT_TRUE(sa.Answers(0, IkeExchangeType::IKE_SA_INIT));
    EXPECT_FALSE(sa.Answers(0, IkeExchangeType::IKE_AUTH));
    EXPECT_FALSE(sa.Answers(1, IkeExchangeType::IKE_SA_INIT));
    std::vector<double> sent;
    std::function<void()> again = [&]() {
        sent.push_back(Simulator::Now().GetSeconds());
        if (sa.BackOff(3))
        {
            sa.ArmRetransmission(again);
        }
    };
    sa.ArmRetransmission(again);
    Simulator::Run();
    Simulator::Destroy();
    EXPECT_EQ(sent, (std::vector<double>{1, 3, 7, 15}));
    EXPECT_EQ(sa.Retransmissions(), 3u);
    ASSERT_EQ(sa.OutstandingCopy().size(), 1u);
    EXPECT_EQ(sa.OutstandingCopy()[0]->GetSize(), 100u);
    sa.EndRequest();
    EXPECT_FALSE(sa.HasOutstanding());
    EXPECT_FALSE(sa.Answers(0, IkeExchangeType::IKE_SA_INIT));
}

TEST(IkeSaWindow, AnsweredRequestStopsTheRetransmission)
{
    IkeSa sa;
    sa.StartRequest(sa.TakeMessageId(), IkeExchangeType::INFORMATIONAL, {Bytes(76)}, Seconds(1));
    int fired = 0;
    sa.ArmRetransmission([&]() { ++fired; });
    Simulator::Schedule(MilliSeconds(500), [&]() { sa.EndRequest(); });
    Simulator::Run();
    Simulator::Destroy();
    EXPECT_EQ(fired, 0);
}

TEST(IkeSaWindow, QueueServedOneAtATimeOnceEstablished)
{
    IkeSa sa;
    IkeRequest a;
    a.rekeyOf = 7;
    IkeRequest b;
    b.isDelete = true;
    sa.queue.push_back(a);
    sa.queue.push_back(b);
    EXPECT_FALSE(sa.TakeNext()); // still negotiating
    sa.state = IkeSa::State::ESTABLISHED;
    EXPECT_TRUE(sa.IsRekeying(7));
    EXPECT_TRUE(sa.TakeNext());
    ASSERT_TRUE(sa.current);
    EXPECT_EQ(sa.current->rekeyOf, 7u);
    EXPECT_FALSE(sa.TakeNext()); // one in flight
    sa.localGone = true;
    sa.current.reset();
    EXPECT_FALSE(sa.TakeNext()); // our address is gone: nothing leaves
    sa.localGone = false;
    sa.current = a;
    std::vector<IkeRequest> all = sa.TakeAllRequests();
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].rekeyOf, 7u); // the current one first
    EXPECT_TRUE(all[1].isDelete);
    EXPECT_FALSE(sa.current);
    EXPECT_TRUE(sa.queue.empty());
}

TEST(IkeProposalsTest, IkeSaChoiceTakesAnySupportedGroup)
{
    IkeProposals x25519(EncryptionAlgorithm::AES_128_GCM_16,
                        AuthenticationAlgorithm::NONE,
                        ike::DH_CURVE25519);
    IkeProposals modp(EncryptionAlgorithm::AES_128_GCM_16,
                      AuthenticationAlgorithm::NONE,
                      ike::DH_MODP_2048);
    auto chosen = x25519.ChooseIkeSa({modp.IkeSa()});
    ASSERT_TRUE(chosen);
    EXPECT_EQ(chosen->Find(ike::TRANSFORM_DH)->id, ike::DH_MODP_2048);
    EXPECT_FALSE(x25519.IsOwnIkeSa(*chosen));
    EXPECT_TRUE(modp.IsOwnIkeSa(*chosen));
    IkeProposal odd = x25519.IkeSa();
    odd.transforms.back().id = 19; // ECP-256: not supported here
    EXPECT_FALSE(x25519.ChooseIkeSa({odd}));
    IkeProposal cipher = x25519.IkeSa();
    cipher.transforms.front().keyLength = 256;
    EXPECT_FALSE(x25519.ChooseIkeSa({cipher}));
    odd.number = 1;
    cipher.number = 2;
    IkeProposal good = x25519.IkeSa();
    good.number = 3;
    chosen = x25519.ChooseIkeSa({odd, cipher, good});
    ASSERT_TRUE(chosen);
    EXPECT_EQ(chosen->number, 3); // numbered as the offer it answers
}

TEST(IkeProposalsTest, ChildAcceptedOnlyAsConfigured)
{
    IkeProposals gcm(EncryptionAlgorithm::AES_128_GCM_16,
                     AuthenticationAlgorithm::HMAC_SHA1_96,
                     ike::DH_CURVE25519);
    IkeProposals cbc(EncryptionAlgorithm::AES_128_CBC,
                     AuthenticationAlgorithm::HMAC_SHA1_96,
                     ike::DH_CURVE25519);
    IkeChildSpec esp;
    IkeChildSpec out;
    uint16_t dh = 99;
    EXPECT_EQ(gcm.AcceptChild(gcm.Child(esp, 0x1234, false), out, dh), "");
    EXPECT_EQ(dh, 0);
    EXPECT_EQ(out.proto, IpsecProtocol::ESP);
    // AEAD: no integrity transform in ESP, one in AH.
    EXPECT_EQ(gcm.Child(esp, 0x1234, false).Find(ike::TRANSFORM_INTEG), nullptr);
    IkeChildSpec ah;
    ah.proto = IpsecProtocol::AH;
    EXPECT_NE(gcm.Child(ah, 0x1234, false).Find(ike::TRANSFORM_INTEG), nullptr);
    EXPECT_EQ(gcm.AcceptChild(gcm.Child(esp, 0x1234, true), out, dh), "");
    EXPECT_EQ(dh, ike::DH_CURVE25519);
    EXPECT_NE(gcm.AcceptChild(cbc.Child(esp, 0x1234, false), out, dh), "");
    EXPECT_NE(gcm.AcceptChild(gcm.Child(esp, 0xff, false), out, dh), ""); // reserved SPI
    IkeProposals noInteg(EncryptionAlgorithm::AES_128_CBC,
                         AuthenticationAlgorithm::NONE,
                         ike::DH_CURVE25519);
    // Our own configuration cannot give ESP-CBC an ICV: refused whatever is offered.
    EXPECT_NE(noInteg.AcceptChild(noInteg.Child(esp, 0x1234, false), out, dh), "");
}

TEST(IkeTrafficSelectorsTest, TunnelSelectorsNarrowedToTheGatewayPolicy)
{
    Ipv4Address gw("10.0.0.1");
    Ipv4Address terminal("172.16.0.5");
    auto policies = [&](const std::string& net) {
        SecurityPolicy p;
        p.action = PolicyAction::IPSEC;
        p.source = AddressRange::Prefix(Ipv4Address("172.16.0.0"), 16);
        p.destination = AddressRange::Prefix(Ipv4Address(net.c_str()), 24);
        IpsecRequest q;
        q.protocol = IpsecProtocol::ESP;
        q.mode = IpsecMode::TUNNEL;
        q.tunnelSource = terminal;
        q.tunnelDestination = gw;
        p.requests.push_back(q);
        return std::vector<SecurityPolicy>{p};
    };
    IkeChildSpec asked;
    asked.mode = IpsecMode::TUNNEL;
    IkePayload tsi = ikev2::RequestTs(asked, terminal, gw, true);  // any
    IkePayload tsr = ikev2::RequestTs(asked, terminal, gw, false); // any
    IkeChildSpec spec = asked;
    ASSERT_TRUE(ikev2::NarrowTs(policies("10.1.2.0"), gw, terminal, spec, tsi, tsr));
    EXPECT_EQ(spec.tsLocal->startAddress, Ipv4Address("10.1.2.0"));
    EXPECT_EQ(spec.tsLocal->endAddress, Ipv4Address("10.1.2.255"));
    EXPECT_EQ(spec.tsRemote->startAddress, Ipv4Address("172.16.0.0"));
    EXPECT_EQ(spec.tsRemote->endAddress, Ipv4Address("172.16.255.255"));
    // A request for another subnet than the policy's: TS_UNACCEPTABLE.
    IkeChildSpec other = asked;
    other.tsLocal = IkeTrafficSelector::Host(terminal);
    other.tsRemote =
        ikev2::PolicyTs(AddressRange::Prefix(Ipv4Address("10.9.0.0"), 16), UpperProtocol{});
    IkeChildSpec narrowed = other;
    EXPECT_FALSE(ikev2::NarrowTs(policies("10.1.2.0"),
                                 gw,
                                 terminal,
                                 narrowed,
                                 ikev2::RequestTs(other, terminal, gw, true),
                                 ikev2::RequestTs(other, terminal, gw, false)));
    // No tunnel policy for this peer: the proposal stands.
    narrowed = other;
    EXPECT_TRUE(ikev2::NarrowTs({},
                                gw,
                                terminal,
                                narrowed,
                                ikev2::RequestTs(other, terminal, gw, true),
                                ikev2::RequestTs(other, terminal, gw, false)));
    EXPECT_EQ(narrowed.tsLocal->startAddress, Ipv4Address("10.9.0.0"));
    // Transport mode: host selectors of both ends.
    IkeChildSpec transport;
    IkePayload host = ikev2::RequestTs(transport, terminal, gw, true);
    ASSERT_EQ(host.selectors.size(), 1u);
    EXPECT_EQ(host.selectors[0].startAddress, terminal);
    EXPECT_EQ(host.selectors[0].endAddress, terminal);
}

TEST(IkeTrafficSelectorsTest, InitiatorRefusesAnAnswerWiderThanItsProposal)
{
    IkeChildSpec spec;
    spec.mode = IpsecMode::TUNNEL;
    spec.tsLocal = IkeTrafficSelector::Host(Ipv4Address("172.16.0.5"));
    spec.tsRemote =
        ikev2::PolicyTs(AddressRange::Prefix(Ipv4Address("10.1.0.0"), 16), UpperProtocol{});
    auto answer = [](IkeTrafficSelector i, IkeTrafficSelector r) {
        IkeMessage m;
        m.payloads.push_back(IkePayload::MakeTs(false, {i}));
        m.payloads.push_back(IkePayload::MakeTs(true, {r}));
        return m;
    };
    IkeTrafficSelector narrower =
        ikev2::PolicyTs(AddressRange::Prefix(Ipv4Address("10.1.2.0"), 24), UpperProtocol{});
    IkeTrafficSelector wider =
        ikev2::PolicyTs(AddressRange::Prefix(Ipv4Address("10.0.0.0"), 8), UpperProtocol{});
    IkeChildSpec narrowed = spec;
    EXPECT_TRUE(ikev2::TakeResponseTs(narrowed, answer(*spec.tsLocal, narrower)));
    EXPECT_EQ(narrowed.tsRemote->startAddress, Ipv4Address("10.1.2.0"));
    IkeChildSpec widened = spec;
    EXPECT_FALSE(ikev2::TakeResponseTs(widened, answer(*spec.tsLocal, wider)));
    EXPECT_EQ(widened.tsRemote->startAddress, Ipv4Address("10.1.0.0")) << "kept as proposed";
    EXPECT_FALSE(ikev2::TakeResponseTs(widened, answer(IkeTrafficSelector::Any(), narrower)));
    EXPECT_TRUE(ikev2::IsWithin(narrower, wider));
    EXPECT_FALSE(ikev2::IsWithin(wider, narrower));
}

class IkeChildSaManagerTest : public ::testing::Test
{
  protected:
    void TearDown() override
    {
        Simulator::Destroy();
    }
};

TEST_F(IkeChildSaManagerTest, PairsInstalledWithMatchingKeysAndRemovedWithTheirIkeSa)
{
    Segment s(2);
    Ipv4Address a = s.interfaces.GetAddress(0);
    Ipv4Address b = s.interfaces.GetAddress(1);
    IkeChildSaManager::Lifetimes life;
    life.responderOutboundDelay = Seconds(1);
    IkeChildSaManager initiator;
    IkeChildSaManager responder;
    initiator.SetSap(s.Layer(0)->GetKeyManagementSapProvider());
    responder.SetSap(s.Layer(1)->GetKeyManagementSapProvider());
    Ptr<UniformRandomVariable> rng = CreateObject<UniformRandomVariable>();
    initiator.Configure(EncryptionAlgorithm::AES_128_CBC,
                        AuthenticationAlgorithm::HMAC_SHA1_96,
                        life,
                        rng);
    responder.Configure(EncryptionAlgorithm::AES_128_CBC,
                        AuthenticationAlgorithm::HMAC_SHA1_96,
                        life,
                        rng);
    std::vector<Ipv4Address> live;
    responder.SetOutboundLiveCallback(
        Callback<void, Ipv4Address>([&live](Ipv4Address p) { live.push_back(p); }));
    std::vector<uint8_t> skD(20, 0x5a);
    std::vector<uint8_t> ni(32, 1);
    std::vector<uint8_t> nr(32, 2);
    IkeChildSpec spec;
    uint64_t i = initiator.Install(11, a, b, spec, 0x1001, 0x2002, skD, {}, ni, nr, true, false);
    uint64_t r = responder.Install(22, b, a, spec, 0x2002, 0x1001, skD, {}, ni, nr, false, true);
    Ptr<SecurityAssociationDatabase> sadA = s.Layer(0)->GetSad();
    Ptr<SecurityAssociationDatabase> sadB = s.Layer(1)->GetSad();
    Ptr<SecurityAssociation> outA =
        sadA->FindOutbound(a, b, IpsecProtocol::ESP, IpsecMode::TRANSPORT, 0);
    Ptr<SecurityAssociation> inB = sadB->FindInbound(0x2002, b, IpsecProtocol::ESP);
    ASSERT_NE(outA, nullptr);
    ASSERT_NE(inB, nullptr);
    // KEYMAT: the initiator's outbound keys are the responder's inbound keys, and the two
    // directions differ (RFC 7296 §2.17).
    EXPECT_EQ(outA->encryptionKey, inB->encryptionKey);
    EXPECT_EQ(outA->authenticationKey, inB->authenticationKey);
    EXPECT_EQ(outA->encryptionKey.size(), 16u);
    EXPECT_EQ(outA->authenticationKey.size(), 20u);
    EXPECT_NE(sadA->FindInbound(0x1001, a, IpsecProtocol::ESP)->encryptionKey, outA->encryptionKey);
    // The responder holds its outbound SA back until the delay.
    EXPECT_EQ(sadB->FindOutbound(b, a, IpsecProtocol::ESP, IpsecMode::TRANSPORT, 0), nullptr);
    responder.ArmDeferredOutbound(r);
    Simulator::Stop(Seconds(2));
    Simulator::Run();
    EXPECT_NE(sadB->FindOutbound(b, a, IpsecProtocol::ESP, IpsecMode::TRANSPORT, 0), nullptr);
    EXPECT_EQ(live, std::vector<Ipv4Address>{a});
    EXPECT_EQ(initiator.FindByOutboundSpi(11, 0x2002, IpsecProtocol::ESP)->id, i);
    EXPECT_EQ(initiator.FindByOutboundSpi(11, 0x2002, IpsecProtocol::AH), nullptr);
    EXPECT_TRUE(initiator.HasCurrentPair(b, IpsecProtocol::ESP, IpsecMode::TRANSPORT));
    EXPECT_FALSE(initiator.HasCurrentPair(b, IpsecProtocol::AH, IpsecMode::TRANSPORT));
    // Closing IKE SA 11 removes its pair from the SAD; a pair of another IKE SA stays.
    uint64_t other =
        initiator.Install(12, a, b, spec, 0x1003, 0x2004, skD, {}, ni, nr, true, false);
    initiator.RemoveChildrenOf(11);
    EXPECT_EQ(initiator.Find(i), nullptr);
    EXPECT_NE(initiator.Find(other), nullptr);
    EXPECT_EQ(sadA->FindInbound(0x1001, a, IpsecProtocol::ESP), nullptr);
    EXPECT_NE(sadA->FindInbound(0x1003, a, IpsecProtocol::ESP), nullptr);
    EXPECT_EQ(initiator.GetN(), 1u);
    // An SA removed by the SAD itself (hard lifetime) is forgotten through SaRemoved.
    Ptr<SecurityAssociation> otherIn = sadA->FindInbound(0x1003, a, IpsecProtocol::ESP);
    Ptr<SecurityAssociation> otherOut = initiator.Find(other)->outbound;
    initiator.SaRemoved(outA); // not this pair's: nothing happens
    EXPECT_NE(initiator.Find(other), nullptr);
    sadA->Remove(0x1003, a, IpsecProtocol::ESP);
    initiator.SaRemoved(otherIn);
    EXPECT_NE(initiator.Find(other), nullptr); // its outbound SA is still there
    sadA->Remove(0x2004, b, IpsecProtocol::ESP);
    initiator.SaRemoved(otherOut);
    EXPECT_EQ(initiator.Find(other), nullptr);
    EXPECT_EQ(initiator.GetN(), 0u);
}

namespace
{

/// Records what the IPsec layer tells its key-management daemon.
class RecordingKmUser : public KeyManagementSapUser
{
  public:
    void Acquire(const SecurityPolicy&, const IpsecRequest& r, const PacketSelector&) override
    {
        acquired.push_back(r.protocol);
    }

    void SoftExpired(Ptr<const SecurityAssociation> sa) override
    {
        soft.push_back(sa->spi);
    }

    void SaRemoved(Ptr<const SecurityAssociation> sa) override
    {
        removed.push_back(sa->spi);
    }

    void ProtectedReceived() override
    {
        ++received;
    }

    std::vector<IpsecProtocol> acquired; //!< Acquire calls
    std::vector<uint32_t> soft;          //!< SoftExpired calls
    std::vector<uint32_t> removed;       //!< SaRemoved calls
    int received{0};                     //!< ProtectedReceived calls
};

} // namespace

TEST(KeyManagementSap, LayerTellsItsDaemonOfAcquiresExpiriesRemovalsAndUse)
{
    Segment s(2);
    Ipv4Address a = s.interfaces.GetAddress(0);
    Ipv4Address b = s.interfaces.GetAddress(1);
    RecordingKmUser kmA;
    RecordingKmUser kmB;
    s.Layer(0)->SetKeyManagementSapUser(&kmA);
    s.Layer(1)->SetKeyManagementSapUser(&kmB);
    // No SA yet: a require policy asks the daemon for one.
    s.Load(0, "spdadd 192.168.1.1 192.168.1.2 any -P out ipsec esp/transport//require;");
    UdpEchoClientHelper client(b, 9);
    client.SetAttribute("MaxPackets", UintegerValue(1));
    client.Install(s.nodes.Get(0)).Start(Seconds(0.1));
    Simulator::Stop(Seconds(0.5));
    Simulator::Run();
    ASSERT_EQ(kmA.acquired.size(), 1u);
    EXPECT_EQ(kmA.acquired[0], IpsecProtocol::ESP);
    // Installed through the provider; used by a packet; soft expiry; removal.
    KeyManagementSapProvider* km = s.Layer(0)->GetKeyManagementSapProvider();
    Ptr<SecurityAssociation> sa = Create<SecurityAssociation>();
    sa->spi = 0x4242;
    sa->source = b;
    sa->destination = a;
    sa->protocol = IpsecProtocol::ESP;
    sa->encryption = EncryptionAlgorithm::AES_128_GCM_16;
    sa->encryptionKey = std::vector<uint8_t>(20, 1);
    sa->lifetime.softTime = Seconds(1);
    ASSERT_TRUE(km->AddSa(sa));
    EXPECT_TRUE(km->IsInboundSpiInUse(0x4242, a, IpsecProtocol::ESP));
    EXPECT_FALSE(km->IsInboundSpiInUse(0x4243, a, IpsecProtocol::ESP));
    Simulator::Stop(Seconds(2));
    Simulator::Run();
    EXPECT_EQ(kmA.soft, std::vector<uint32_t>{0x4242});
    EXPECT_TRUE(km->RemoveSa(0x4242, a, IpsecProtocol::ESP));
    EXPECT_EQ(kmA.removed, std::vector<uint32_t>{0x4242});
    // Unregistered: told nothing more.
    s.Layer(0)->SetKeyManagementSapUser(nullptr);
    ASSERT_TRUE(km->AddSa(sa));
    EXPECT_TRUE(km->RemoveSa(0x4242, a, IpsecProtocol::ESP));
    EXPECT_EQ(kmA.removed.size(), 1u);
    EXPECT_TRUE(kmB.acquired.empty());
    EXPECT_EQ(kmB.received, 0);
    s.Layer(1)->SetKeyManagementSapUser(nullptr);
    Simulator::Destroy();
}

TEST(KeyManagementSap, ProtectedPacketsAcceptedAreReported)
{
    Segment s(2);
    RecordingKmUser kmB;
    s.Layer(1)->SetKeyManagementSapUser(&kmB);
    Protect(s,
            "ipsec esp/transport//require",
            SaPair("esp", std::string("-E aes-gcm-16 ") + kGcmKey));
    EXPECT_EQ(RunEcho(s, 3, 100), 3u);
    EXPECT_EQ(kmB.received, 3); // the three requests B accepted
    EXPECT_TRUE(kmB.acquired.empty());
    s.Layer(1)->SetKeyManagementSapUser(nullptr);
    Simulator::Destroy();
}

TEST(IkeReassembly, PiecesInAnyOrderMakeTheMessageOnce)
{
    using O = IkeReassembly::Outcome;
    IkeReassembly r;
    EXPECT_EQ(r.GetTotal(), 0);
    EXPECT_EQ(r.Add(5, 3, 3, 0, {7, 8}), O::KEPT);
    EXPECT_EQ(r.Add(5, 1, 3, 33, {1, 2, 3}), O::KEPT);
    EXPECT_EQ(r.Add(5, 3, 3, 0, {9, 9}), O::REPEATED) << "a retransmitted fragment";
    EXPECT_EQ(r.GetTotal(), 3);
    EXPECT_EQ(r.Add(5, 2, 3, 0, {4, 5, 6}), O::COMPLETE);
    uint8_t first = 0;
    EXPECT_EQ(r.Take(first), (std::vector<uint8_t>{1, 2, 3, 4, 5, 6, 7, 8}));
    EXPECT_EQ(first, 33) << "fragment 1 names the first inner payload";
    EXPECT_EQ(r.GetTotal(), 0);
}

TEST(IkeReassembly, AnotherMessageOrMoreFragmentsStartOverFewerAreRefused)
{
    using O = IkeReassembly::Outcome;
    IkeReassembly r;
    EXPECT_EQ(r.Add(1, 1, 2, 35, {1}), O::KEPT);
    // The next message: the peer gave up on the first.
    EXPECT_EQ(r.Add(2, 2, 2, 0, {2}), O::KEPT);
    EXPECT_EQ(r.Add(2, 1, 2, 36, {3}), O::COMPLETE);
    uint8_t first = 0;
    EXPECT_EQ(r.Take(first), (std::vector<uint8_t>{3, 2}));
    EXPECT_EQ(first, 36);
    // RFC 7383 §2.6: the sender fragmented the message again, into more pieces: keep those.
    EXPECT_EQ(r.Add(3, 1, 2, 37, {1, 1}), O::KEPT);
    EXPECT_EQ(r.Add(3, 1, 3, 37, {1}), O::KEPT);
    EXPECT_EQ(r.GetTotal(), 3);
    EXPECT_EQ(r.Add(3, 2, 2, 0, {1}), O::SMALLER_TOTAL);
    EXPECT_EQ(r.Add(3, 2, 3, 0, {2}), O::KEPT);
    EXPECT_EQ(r.Add(3, 3, 3, 0, {3}), O::COMPLETE);
    EXPECT_EQ(r.Take(first), (std::vector<uint8_t>{1, 2, 3}));
}
