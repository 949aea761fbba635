/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// IkeProtocol's IKE_SA_INIT and IKE_AUTH exchanges (RFC 7296 §1.2, §2.14-§2.16): the IKE SA
// suite and its keys, authentication (pre-shared key, modeled certificates and signatures),
// the first Child SA.

#include "ike-key-schedule.h"
#include "ike-protocol.h"
#include "ike-traffic-selectors.h"

#include "ns3/crypto-cost-model.h"
#include "ns3/crypto-profile.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IkeAuthExchanges");

namespace
{

std::vector<uint8_t>
Bytes(const std::string& s)
{
    return std::vector<uint8_t>(s.begin(), s.end());
}

/// The ID payload body that AUTH covers: type, 3 reserved bytes, data.
std::vector<uint8_t>
IdBody(const IkePayload& id)
{
    std::vector<uint8_t> v(4 + id.data.size(), 0);
    v[0] = id.subType;
    std::copy(id.data.begin(), id.data.end(), v.begin() + 4);
    return v;
}

} // namespace

KeyOperation
IkeProtocol::SignOperation() const
{
    return m_cfg.auth == AuthMethod::ECDSA_CERT ? KeyOperation::ECDSA_P256_SIGN
                                                : KeyOperation::RSA2048_SIGN;
}

KeyOperation
IkeProtocol::VerifyOperation() const
{
    return m_cfg.auth == AuthMethod::ECDSA_CERT ? KeyOperation::ECDSA_P256_VERIFY
                                                : KeyOperation::RSA2048_VERIFY;
}

uint8_t
IkeProtocol::AuthMethodNumber() const
{
    switch (m_cfg.auth)
    {
    case AuthMethod::PSK:
        return ike::AUTH_SHARED_KEY_MIC;
    case AuthMethod::RSA_CERT:
        return ike::AUTH_RSA_SIG;
    case AuthMethod::ECDSA_CERT:
        return ike::AUTH_ECDSA_SHA256_P256;
    }
    return 0;
}

uint32_t
IkeProtocol::CertificateSize() const
{
    if (m_cfg.certSize != 0)
    {
        return m_cfg.certSize;
    }
    return m_cfg.auth == AuthMethod::ECDSA_CERT ? 560 : 1000;
}

std::vector<uint8_t>
IkeProtocol::SharedSecret(const std::vector<uint8_t>& keI,
                          const std::vector<uint8_t>& keR,
                          uint16_t group)
{
    return ikev2::ModeledSharedSecret(keI, keR, IkeProposals::GroupSize(group));
}

void
IkeProtocol::DeriveIkeKeys(IkeSa& ike, const std::vector<uint8_t>& gir)
{
    ikev2::IkeSaKeys k =
        ikev2::DeriveIkeSaKeys(IkeProposals::PRF,
                               ikev2::Skeyseed(IkeProposals::PRF, ike.ni, ike.nr, gir),
                               ike.ni,
                               ike.nr,
                               ike.spiI,
                               ike.spiR,
                               IkeProposals::KEY_LENGTHS);
    ike.skD = std::move(k.skD);
    ike.keysI.integrity = std::move(k.skAi);
    ike.keysR.integrity = std::move(k.skAr);
    ike.keysI.encryption = std::move(k.skEi);
    ike.keysR.encryption = std::move(k.skEr);
    ike.skPi = std::move(k.skPi);
    ike.skPr = std::move(k.skPr);
}

IkePayload
IkeProtocol::IdPayload(Ipv4Address local, bool byInitiator)
{
    return IkePayload::MakeId(!byInitiator, ike::ID_IPV4_ADDR, ike::Be32(local.Get()));
}

std::vector<uint8_t>
IkeProtocol::ComputeAuth(const IkeSa& ike,
                         bool byInitiator,
                         const IkePayload& idPayload,
                         uint8_t method) const
{
    std::vector<uint8_t> octets = ikev2::SignedOctets(IkeProposals::PRF,
                                                      byInitiator ? ike.msg1 : ike.msg2,
                                                      byInitiator ? ike.nr : ike.ni,
                                                      byInitiator ? ike.skPi : ike.skPr,
                                                      IdBody(idPayload));
    if (method == ike::AUTH_SHARED_KEY_MIC)
    {
        return ikev2::AuthPsk(IkeProposals::PRF, Bytes(m_cfg.psk), octets);
    }
    // Modeled signature: bound to the signer's identity and the signed octets.
    uint32_t size = method == ike::AUTH_RSA_SIG ? 256 : 64;
    std::vector<uint8_t> key = Bytes("presec-modeled-signature");
    std::vector<uint8_t> body = IdBody(idPayload);
    key.insert(key.end(), body.begin(), body.end());
    return IkePrfPlus(key, IkePrf(Bytes("hash"), octets), size);
}

std::vector<uint8_t>
IkeProtocol::ModeledCertificate(const IkePayload& idPayload, uint32_t size)
{
    return IkePrfPlus(Bytes("presec-modeled-ca"), IdBody(idPayload), size);
}

std::string
IkeProtocol::VerifyPeerAuth(const IkeSa& ike, const IkeMessage& msg, bool peerIsInitiator) const
{
    const IkePayload* id = msg.Find(peerIsInitiator ? IkePayloadType::IDI : IkePayloadType::IDR);
    const IkePayload* auth = msg.Find(IkePayloadType::AUTH);
    if (id == nullptr || auth == nullptr)
    {
        return "missing ID or AUTH";
    }
    if (auth->subType != AuthMethodNumber())
    {
        return "authentication method " + std::to_string(auth->subType);
    }
    if (m_cfg.auth != AuthMethod::PSK)
    {
        const IkePayload* cert = msg.Find(IkePayloadType::CERT);
        if (cert == nullptr || cert->subType != ike::CERT_X509_SIGNATURE || cert->data.empty() ||
            cert->data.size() > 255 * 20 ||
            cert->data != ModeledCertificate(*id, cert->data.size()))
        {
            return "certificate";
        }
    }
    if (auth->data != ComputeAuth(ike, peerIsInitiator, *id, auth->subType))
    {
        return "AUTH data";
    }
    return "";
}

void
IkeProtocol::SendSaInit(IkeSa& ike)
{
    ike.ni = RandomBytes(m_cfg.nonceSize);
    ike.keLocal = RandomBytes(IkeProposals::GroupSize(ike.dhGroup));
    IkeMessage m;
    m.header.exchangeType = static_cast<uint8_t>(IkeExchangeType::IKE_SA_INIT);
    m.payloads.push_back(IkePayload::MakeSa({Proposals().IkeSa()}));
    m.payloads.push_back(IkePayload::MakeKe(ike.dhGroup, ike.keLocal));
    m.payloads.push_back(IkePayload::MakeNonce(ike.ni));
    m.payloads.push_back(
        IkePayload::MakeNotify(ike::N_NAT_DETECTION_SOURCE_IP, NatHash(ike.spiI, 0, ike.local)));
    m.payloads.push_back(IkePayload::MakeNotify(ike::N_NAT_DETECTION_DESTINATION_IP,
                                                NatHash(ike.spiI, 0, ike.peer)));
    AddFragmentationSupported(m, nullptr);
    // Key generation before the public value can be sent.
    Time delay = Charge({IkeProposals::DhOperation(ike.dhGroup)});
    SendRequest(ike, std::move(m), delay);
}

void
IkeProtocol::SendAuth(uint64_t localSpi)
{
    IkeSa& ike = m_ikeSas.at(localSpi);
    ChildRequest& req = *ike.current;
    req.spiIn = NewChildSpi(ike.local, req.spec.proto);
    uint8_t method = AuthMethodNumber();
    IkePayload idi = IdPayload(ike.local, true);
    IkeMessage m;
    m.header.exchangeType = static_cast<uint8_t>(IkeExchangeType::IKE_AUTH);
    m.encrypted = true;
    m.payloads.push_back(idi);
    if (m_cfg.auth != AuthMethod::PSK)
    {
        m.payloads.push_back(IkePayload::MakeCert(false,
                                                  ike::CERT_X509_SIGNATURE,
                                                  ModeledCertificate(idi, CertificateSize())));
        m.payloads.push_back(
            IkePayload::MakeCert(true,
                                 ike::CERT_X509_SIGNATURE,
                                 IkePrf(Bytes("presec-modeled-ca"), Bytes("key"))));
    }
    m.payloads.push_back(IdPayload(ike.peer, false));
    m.payloads.push_back(IkePayload::MakeAuth(method, ComputeAuth(ike, true, idi, method)));
    // RFC 7296 §2.4: it asserts this is the only IKE SA between us, so only then.
    bool alone = std::none_of(m_ikeSas.begin(), m_ikeSas.end(), [&ike](const auto& e) {
        return e.first != ike.localSpi && e.second.peer == ike.peer;
    });
    if (alone)
    {
        m.payloads.push_back(IkePayload::MakeNotify(ike::N_INITIAL_CONTACT));
    }
    m.payloads.push_back(IkePayload::MakeSa({Proposals().Child(req.spec, req.spiIn, false)}));
    m.payloads.push_back(ikev2::RequestTs(req.spec, ike.local, ike.peer, true));
    m.payloads.push_back(ikev2::RequestTs(req.spec, ike.local, ike.peer, false));
    if (req.spec.mode == IpsecMode::TRANSPORT)
    {
        m.payloads.push_back(IkePayload::MakeNotify(ike::N_USE_TRANSPORT_MODE));
    }
    m.payloads.push_back(IkePayload::MakeNotify(ike::N_ESP_TFC_PADDING_NOT_SUPPORTED));
    AddMobikeSupported(m);
    ike.state = IkeState::AUTH_SENT;
    // DH derivation (SKEYSEED) and, with certificates, our signature come first.
    Time delay = m_cfg.auth == AuthMethod::PSK
                     ? Charge({IkeProposals::DhOperation(ike.dhGroup)})
                     : Charge({IkeProposals::DhOperation(ike.dhGroup), SignOperation()});
    SendRequest(ike, std::move(m), delay);
}

void
IkeProtocol::HandleSaInitRequest(const IkeMessage& msg,
                                 const std::vector<uint8_t>& raw,
                                 Ipv4Address from,
                                 Ipv4Address local)
{
    // (Retransmissions of an answered request are handled by Receive.)
    auto refuse = [&](uint16_t notify, std::vector<uint8_t> data) {
        IkeMessage r;
        r.header.spiInitiator = msg.header.spiInitiator;
        r.header.exchangeType = static_cast<uint8_t>(IkeExchangeType::IKE_SA_INIT);
        r.header.flags = ike::FLAG_RESPONSE;
        r.payloads.push_back(IkePayload::MakeNotify(notify, std::move(data)));
        ++m_stats.failures;
        m_user->Failed(from, ike::NotifyReason(notify));
        Transmit(r.ToPacket(), from, IkeExchangeType::IKE_SA_INIT, true);
    };
    const IkePayload* sa = msg.Find(IkePayloadType::SA);
    const IkePayload* ke = msg.Find(IkePayloadType::KE);
    const IkePayload* nonce = msg.Find(IkePayloadType::NONCE);
    if (sa == nullptr || ke == nullptr || nonce == nullptr)
    {
        refuse(ike::N_INVALID_SYNTAX, {});
        return;
    }
    std::optional<IkeProposal> chosen = Proposals().ChooseIkeSa(sa->proposals);
    if (!chosen)
    {
        refuse(ike::N_NO_PROPOSAL_CHOSEN, {});
        return;
    }
    uint16_t group = chosen->Find(ike::TRANSFORM_DH)->id;
    if (ke->group != group || ke->data.size() != IkeProposals::GroupSize(group))
    {
        refuse(ike::N_INVALID_KE_PAYLOAD, {uint8_t(group >> 8), uint8_t(group & 0xff)});
        return;
    }
    if (nonce->data.size() < 16 || nonce->data.size() > 256)
    {
        refuse(ike::N_INVALID_SYNTAX, {});
        return;
    }

    IkeSa ike;
    ike.localSpi = NewIkeSpi();
    ike.spiI = msg.header.spiInitiator;
    ike.spiR = ike.localSpi;
    ike.initiator = false;
    ike.peer = from;
    ike.local = local;
    ike.state = IkeState::INIT_DONE;
    ike.dhGroup = group;
    ike.ni = nonce->data;
    ike.nr = RandomBytes(m_cfg.nonceSize);
    ike.keLocal = RandomBytes(IkeProposals::GroupSize(group));
    ike.msg1 = raw;
    ike.start = Simulator::Now();
    ike.AnsweredInit();
    DeriveIkeKeys(ike, SharedSecret(ke->data, ike.keLocal, group));

    IkeMessage r;
    r.header.exchangeType = static_cast<uint8_t>(IkeExchangeType::IKE_SA_INIT);
    r.payloads.push_back(IkePayload::MakeSa({*chosen}));
    r.payloads.push_back(IkePayload::MakeKe(group, ike.keLocal));
    r.payloads.push_back(IkePayload::MakeNonce(ike.nr));
    r.payloads.push_back(
        IkePayload::MakeNotify(ike::N_NAT_DETECTION_SOURCE_IP, NatHash(ike.spiI, ike.spiR, local)));
    r.payloads.push_back(IkePayload::MakeNotify(ike::N_NAT_DETECTION_DESTINATION_IP,
                                                NatHash(ike.spiI, ike.spiR, from)));
    AddFragmentationSupported(r, &msg);
    NoteFragmentationSupported(ike, msg);
    if (m_cfg.auth != AuthMethod::PSK)
    {
        r.payloads.push_back(
            IkePayload::MakeCert(true,
                                 ike::CERT_X509_SIGNATURE,
                                 IkePrf(Bytes("presec-modeled-ca"), Bytes("key"))));
    }
    uint64_t spi = ike.localSpi;
    auto [it, inserted] = m_ikeSas.emplace(spi, std::move(ike));
    NS_ASSERT(inserted);
    it->second.halfOpenEvent = Simulator::Schedule(m_cfg.halfOpenTimeout, [this, spi]() {
        auto i = m_ikeSas.find(spi);
        if (i != m_ikeSas.end() && i->second.state != IkeState::ESTABLISHED)
        {
            FailIkeSa(spi, "half-open-timeout");
        }
    });
    // Key generation and derivation before the answer.
    Time delay = Charge({IkeProposals::DhOperation(group), IkeProposals::DhOperation(group)});
    SendResponse(it->second, std::move(r), delay);
}

void
IkeProtocol::HandleSaInitResponse(IkeSa& ike,
                                  const IkeMessage& msg,
                                  const std::vector<uint8_t>& raw)
{
    ike.EndRequest();
    ike.halfOpenEvent.Cancel();
    ike.initErrorHint = 0;
    uint64_t spi = ike.localSpi;
    if (const IkePayload* n = msg.FindErrorNotify())
    {
        FailIkeSa(spi, ike::NotifyReason(n->notifyType));
        return;
    }
    const IkePayload* sa = msg.Find(IkePayloadType::SA);
    const IkePayload* ke = msg.Find(IkePayloadType::KE);
    const IkePayload* nonce = msg.Find(IkePayloadType::NONCE);
    IkeProposal mine = Proposals().IkeSa();
    if (sa == nullptr || ke == nullptr || nonce == nullptr || sa->proposals.size() != 1 ||
        sa->proposals[0].transforms != mine.transforms || ke->group != ike.dhGroup ||
        ke->data.size() != IkeProposals::GroupSize(ike.dhGroup) || nonce->data.size() < 16 ||
        msg.header.spiResponder == 0)
    {
        FailIkeSa(spi, "invalid-response");
        return;
    }
    ike.spiR = msg.header.spiResponder;
    ike.nr = nonce->data;
    ike.msg2 = raw;
    NoteFragmentationSupported(ike, msg);
    DeriveIkeKeys(ike, SharedSecret(ike.keLocal, ke->data, ike.dhGroup));
    SendAuth(spi);
}

void
IkeProtocol::HandleAuthRequest(IkeSa& ike, const IkeMessage& msg)
{
    ike.halfOpenEvent.Cancel();
    uint64_t spi = ike.localSpi;
    bool cert = m_cfg.auth != AuthMethod::PSK;
    IkeMessage r;
    r.header.exchangeType = static_cast<uint8_t>(IkeExchangeType::IKE_AUTH);
    r.encrypted = true;

    std::string err = VerifyPeerAuth(ike, msg, true);
    if (!err.empty())
    {
        NS_LOG_INFO("IKE_AUTH from " << ike.peer << " rejected: " << err);
        r.payloads.push_back(IkePayload::MakeNotify(ike::N_AUTHENTICATION_FAILED));
        Time delay = cert ? Charge({VerifyOperation(), VerifyOperation()}) : Time(0);
        SendResponse(ike, std::move(r), delay, [this, spi]() {
            FailIkeSa(spi, "authentication-failed");
        });
        return;
    }
    ike.state = IkeState::ESTABLISHED;
    ike.established = Simulator::Now();
    ike.lastHeard = ike.established;
    ArmLiveness(ike);
    const IkePayload* idi = msg.Find(IkePayloadType::IDI);
    ike.peerId.assign(1, idi->subType);
    ike.peerId.insert(ike.peerId.end(), idi->data.begin(), idi->data.end());
    if (msg.FindNotify(ike::N_INITIAL_CONTACT))
    {
        // RFC 7296 §2.4: the peer keeps no other IKE SA with us (it restarted): close ours
        // with the same identity, established before this one began, and their child SAs.
        std::vector<uint64_t> stale;
        for (const auto& [s, other] : m_ikeSas)
        {
            if (s != spi && other.state == IkeState::ESTABLISHED && other.peerId == ike.peerId &&
                other.established < ike.start)
            {
                stale.push_back(s);
            }
        }
        for (uint64_t s : stale)
        {
            NS_LOG_INFO("node " << GetNode()->GetId() << ": INITIAL_CONTACT from " << ike.peer
                                << " closes a stale IKE SA");
            ++m_stats.staleIkeSas;
            CloseIkeSa(s);
        }
    }
    NoteMobikeSupported(ike, msg);
    IkePayload idr = IdPayload(ike.local, false);
    uint8_t method = AuthMethodNumber();
    r.payloads.push_back(idr);
    if (cert)
    {
        r.payloads.push_back(IkePayload::MakeCert(false,
                                                  ike::CERT_X509_SIGNATURE,
                                                  ModeledCertificate(idr, CertificateSize())));
    }
    r.payloads.push_back(IkePayload::MakeAuth(method, ComputeAuth(ike, false, idr, method)));
    // Verify the peer's certificate and AUTH, then sign ours.
    Time delay = cert ? Charge({VerifyOperation(), VerifyOperation(), SignOperation()}) : Time(0);

    const IkePayload* sa = msg.Find(IkePayloadType::SA);
    const IkePayload* tsi = msg.Find(IkePayloadType::TSI);
    const IkePayload* tsr = msg.Find(IkePayloadType::TSR);
    IkeChildSpec spec;
    spec.mode =
        msg.FindNotify(ike::N_USE_TRANSPORT_MODE) ? IpsecMode::TRANSPORT : IpsecMode::TUNNEL;
    uint16_t dh = 0;
    uint16_t refusal = 0;
    if (sa == nullptr || tsi == nullptr || tsr == nullptr || sa->proposals.empty() ||
        !AcceptChildProposal(sa->proposals[0], spec, dh) || dh != 0)
    {
        refusal = ike::N_NO_PROPOSAL_CHOSEN;
    }
    else if (!ikev2::NarrowTs(TunnelPolicies(), ike.local, ike.peer, spec, *tsi, *tsr))
    {
        refusal = ike::N_TS_UNACCEPTABLE;
    }
    if (refusal != 0)
    {
        // The IKE SA stands; the child is refused (RFC 7296 §1.2).
        r.payloads.push_back(IkePayload::MakeNotify(refusal));
        Ipv4Address peer = ike.peer;
        SendResponse(ike, std::move(r), delay, [this, spi, peer, refusal]() {
            ++m_stats.failures;
            m_user->Failed(peer, ike::NotifyReason(refusal));
            auto it = m_ikeSas.find(spi);
            if (it != m_ikeSas.end())
            {
                Pump(it->second);
            }
        });
        return;
    }
    uint32_t spiOut = sa->proposals[0].GetSpi32();
    uint32_t spiIn = NewChildSpi(ike.local, spec.proto);
    r.payloads.push_back(IkePayload::MakeSa({Proposals().Child(spec, spiIn, false)}));
    r.payloads.push_back(IkePayload::MakeTs(false, {*spec.tsRemote}));
    r.payloads.push_back(IkePayload::MakeTs(true, {*spec.tsLocal}));
    if (spec.mode == IpsecMode::TRANSPORT)
    {
        r.payloads.push_back(IkePayload::MakeNotify(ike::N_USE_TRANSPORT_MODE));
    }
    r.payloads.push_back(IkePayload::MakeNotify(ike::N_ESP_TFC_PADDING_NOT_SUPPORTED));
    if (ike.mobike)
    {
        AddMobikeSupported(r);
    }
    // Reserve the SPI now: install the inbound SA at once (the peer cannot use it before our
    // answer), the outbound one with the answer or later.
    uint64_t childId = InstallChild(ike, spec, spiIn, spiOut, {}, ike.ni, ike.nr, false);
    SendResponse(ike, std::move(r), delay, [this, spi, childId, spiIn, spiOut]() {
        auto it = m_ikeSas.find(spi);
        if (it == m_ikeSas.end())
        {
            return;
        }
        m_childSas.ArmDeferredOutbound(childId);
        ++m_stats.established;
        m_user->Established(it->second.peer, spiIn, spiOut, Simulator::Now() - it->second.start);
        NotifyChildUsable(it->second.peer);
        Pump(it->second);
    });
}

void
IkeProtocol::HandleAuthResponse(IkeSa& ike, const IkeMessage& msg)
{
    uint64_t spi = ike.localSpi;
    if (msg.Find(IkePayloadType::AUTH) == nullptr)
    {
        const IkePayload* n = msg.FindErrorNotify();
        FailIkeSa(spi, n != nullptr ? ike::NotifyReason(n->notifyType) : "invalid-response");
        return;
    }
    std::string err = VerifyPeerAuth(ike, msg, false);
    if (!err.empty())
    {
        NS_LOG_INFO("IKE_AUTH response from " << ike.peer << " rejected: " << err);
        FailIkeSa(spi, "authentication-failed");
        return;
    }
    ike.state = IkeState::ESTABLISHED;
    ike.established = Simulator::Now();
    ike.lastHeard = ike.established;
    ArmLiveness(ike);
    const IkePayload* idr = msg.Find(IkePayloadType::IDR);
    ike.peerId.assign(1, idr->subType);
    ike.peerId.insert(ike.peerId.end(), idr->data.begin(), idr->data.end());
    NoteMobikeSupported(ike, msg);
    Time delay =
        m_cfg.auth != AuthMethod::PSK ? Charge({VerifyOperation(), VerifyOperation()}) : Time(0);
    if (const IkePayload* n = msg.FindErrorNotify())
    {
        FinishCurrent(ike, false, ike::NotifyReason(n->notifyType));
        Pump(ike);
        return;
    }
    ChildRequest& req = *ike.current;
    const IkePayload* sa = msg.Find(IkePayloadType::SA);
    IkeChildSpec spec = req.spec;
    uint16_t dh = 0;
    if (sa == nullptr || sa->proposals.size() != 1 ||
        !AcceptChildProposal(sa->proposals[0], spec, dh) || dh != 0 || spec.proto != req.spec.proto)
    {
        FinishCurrent(ike, false, "invalid-response");
        Pump(ike);
        return;
    }
    uint32_t spiOut = sa->proposals[0].GetSpi32();
    bool tsOk = ikev2::TakeResponseTs(req.spec, msg);
    Simulator::Schedule(delay, [this, spi, spiOut, tsOk, ni = ike.ni, nr = ike.nr]() {
        auto it = m_ikeSas.find(spi);
        if (it == m_ikeSas.end() || !it->second.current)
        {
            return;
        }
        IkeSa& s = it->second;
        const ChildRequest& r = *s.current;
        if (InstallAnswered(s, spiOut, {}, ni, nr, tsOk) == 0)
        {
            return;
        }
        ++m_stats.established;
        m_user->Established(s.peer, r.spiIn, spiOut, Simulator::Now() - r.start);
        NotifyChildUsable(s.peer);
        FinishCurrent(s, true, "");
        Pump(s);
    });
}

} // namespace ns3
