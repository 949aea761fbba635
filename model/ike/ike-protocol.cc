/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ike-protocol.h"

#include "ike-key-schedule.h"
#include "ike-traffic-selectors.h"

#include "ns3/abort.h"
#include "ns3/address-watcher.h"
#include "ns3/boolean.h"
#include "ns3/crypto-cost-model.h"
#include "ns3/crypto-profile.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipsec-crypto.h"
#include "ns3/ipsec-layer.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-packet-info-tag.h"
#include "ns3/ipv4-route.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/node-addresses.h"
#include "ns3/node.h"
#include "ns3/random-variable-stream.h"
#include "ns3/security-association-database.h"
#include "ns3/security-policy-database.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/string.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IkeProtocol");

namespace
{

std::vector<uint8_t>
Bytes(const std::string& s)
{
    return std::vector<uint8_t>(s.begin(), s.end());
}

std::vector<uint8_t>
U32(uint32_t x)
{
    return {uint8_t(x >> 24), uint8_t(x >> 16), uint8_t(x >> 8), uint8_t(x)};
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

std::string
NotifyReason(uint16_t n)
{
    switch (n)
    {
    case ike::N_INVALID_SYNTAX:
        return "invalid-syntax";
    case ike::N_NO_PROPOSAL_CHOSEN:
        return "no-proposal-chosen";
    case ike::N_INVALID_KE_PAYLOAD:
        return "invalid-ke-payload";
    case ike::N_AUTHENTICATION_FAILED:
        return "authentication-failed";
    case ike::N_TS_UNACCEPTABLE:
        return "ts-unacceptable";
    case ike::N_TEMPORARY_FAILURE:
        return "temporary-failure";
    case ike::N_CHILD_SA_NOT_FOUND:
        return "child-sa-not-found";
    default:
        return "notify-" + std::to_string(n);
    }
}

} // namespace

std::string
ToString(IkeProtocol::AuthMethod m)
{
    switch (m)
    {
    case IkeProtocol::AuthMethod::PSK:
        return "psk";
    case IkeProtocol::AuthMethod::RSA_CERT:
        return "rsa-cert";
    case IkeProtocol::AuthMethod::ECDSA_CERT:
        return "ecdsa-cert";
    }
    return "?";
}

uint64_t
IkeProtocol::Stats::TotalSent() const
{
    uint64_t n = 0;
    for (auto x : messagesSent)
    {
        n += x;
    }
    return n;
}

uint64_t
IkeProtocol::Stats::TotalReceived() const
{
    uint64_t n = 0;
    for (auto x : messagesReceived)
    {
        n += x;
    }
    return n;
}

uint64_t
IkeProtocol::Stats::Drops(const std::string& reason) const
{
    auto it = dropsByReason.find(reason);
    return it == dropsByReason.end() ? 0 : it->second;
}

const IkeProtocol::Stats&
IkeProtocol::GetStats() const
{
    return m_stats;
}

bool
IkeProtocol::HasIkeSa(Ipv4Address peer) const
{
    for (const auto& [spi, ike] : m_ikeSas)
    {
        if (ike.peer == peer && ike.state == IkeState::ESTABLISHED)
        {
            return true;
        }
    }
    return false;
}

uint32_t
IkeProtocol::GetNChildSas() const
{
    return m_childSas.GetN();
}

// ---------------------------------------------------------------------------------------
// Start, stop

KeyManagementSapUser*
IkeProtocol::Start(Ptr<Node> node,
                   KeyManagementSapProvider* km,
                   Ptr<CryptoCostModel> cost,
                   Ptr<UniformRandomVariable> rng,
                   const Config& config)
{
    m_node = node;
    m_km = km;
    m_cost = cost;
    m_rng = rng;
    m_cfg = config;
    m_proposals.emplace(m_cfg.enc, m_cfg.integ, m_cfg.dhGroup);
    m_childSas.SetSap(m_km);
    m_childSas.Configure(m_cfg.enc, m_cfg.integ, m_cfg.life, m_rng);
    m_childSas.SetOutboundLiveCallback(MakeCallback(&IkeProtocol::NotifyChildUsable, this));
    m_addresses = NodeAddresses::Collect(node);
    m_running = true;
    return &m_kmUser;
}

void
IkeProtocol::Stop()
{
    m_running = false;
    m_stopped = true;
    for (auto& [spi, ike] : m_ikeSas)
    {
        ike.CancelTimers();
    }
    m_childSas.CancelTimers();
}

void
IkeProtocol::Dispose()
{
    Stop();
    m_ikeSas.clear();
    m_childSas.Clear();
    m_km = nullptr;
    m_node = nullptr;
    m_cost = nullptr;
    m_rng = nullptr;
}

void
IkeProtocol::SetUser(IkeProtocolUser* user)
{
    m_user = user;
}

Ptr<Node>
IkeProtocol::GetNode() const
{
    return m_node;
}

void
IkeProtocol::NotifyChildUsable(Ipv4Address peer)
{
    m_user->ChildUsable(peer);
}

// ---------------------------------------------------------------------------------------
// Small pieces

std::vector<uint8_t>
IkeProtocol::RandomBytes(uint32_t n)
{
    std::vector<uint8_t> v;
    v.reserve(n + 3);
    while (v.size() < n)
    {
        uint32_t x = m_rng->GetInteger(0, 0xffffffffu);
        for (int i = 0; i < 4; ++i)
        {
            v.push_back((x >> (8 * i)) & 0xff);
        }
    }
    v.resize(n);
    return v;
}

uint64_t
IkeProtocol::NewIkeSpi()
{
    while (true)
    {
        uint64_t v =
            (uint64_t(m_rng->GetInteger(0, 0xffffffffu)) << 32) | m_rng->GetInteger(0, 0xffffffffu);
        if (v != 0 && m_ikeSas.count(v) == 0)
        {
            return v;
        }
    }
}

uint32_t
IkeProtocol::NewChildSpi(Ipv4Address local, IpsecProtocol proto)
{
    while (true)
    {
        uint32_t spi = m_rng->GetInteger(0x100, 0xfffffffeu);
        bool used = m_km->IsInboundSpiInUse(spi, local, proto) || m_childSas.IsInboundSpi(spi);
        for (const auto& [s, ike] : m_ikeSas)
        {
            used = used || (ike.current && ike.current->spiIn == spi);
        }
        if (!used)
        {
            return spi;
        }
    }
}

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

const IkeProposals&
IkeProtocol::Proposals() const
{
    NS_ASSERT_MSG(m_proposals, "IkeProtocol: proposals used before Start");
    return *m_proposals;
}

bool
IkeProtocol::AcceptChildProposal(const IkeProposal& p, IkeChildSpec& spec, uint16_t& dh) const
{
    std::string refused = Proposals().AcceptChild(p, spec, dh);
    if (!refused.empty())
    {
        NS_LOG_INFO("IkeAgent on node " << GetNode()->GetId() << " refuses a child: " << refused);
    }
    return refused.empty();
}

std::vector<SecurityPolicy>
IkeProtocol::TunnelPolicies() const
{
    std::vector<SecurityPolicy> v;
    if (m_km != nullptr)
    {
        v = m_km->GetPolicies(PolicyDirection::FWD);
        std::vector<SecurityPolicy> in = m_km->GetPolicies(PolicyDirection::IN);
        v.insert(v.end(), in.begin(), in.end());
    }
    return v;
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

Time
IkeProtocol::Charge(std::initializer_list<KeyOperation> ops)
{
    Time delay(0);
    if (!m_cost)
    {
        return delay;
    }
    for (KeyOperation op : ops)
    {
        delay = std::max(delay, m_cost->ProcessKeyOperation(op));
    }
    return delay;
}

Ipv4Address
IkeProtocol::LocalAddressFor(Ipv4Address peer) const
{
    return NodeAddresses::SourceFor(GetNode(), peer);
}

IkeSa*
IkeProtocol::FindIkeSa(Ipv4Address peer, bool anyState)
{
    IkeSa* found = nullptr;
    for (auto& [spi, ike] : m_ikeSas)
    {
        if (ike.peer != peer)
        {
            continue;
        }
        if (ike.state == IkeState::ESTABLISHED)
        {
            return &ike;
        }
        if (anyState && found == nullptr)
        {
            found = &ike;
        }
    }
    return found;
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

const IkeSkKeys&
IkeProtocol::KeysOf(const IkeSa& ike, bool sentByInitiator)
{
    return sentByInitiator ? ike.keysI : ike.keysR;
}

std::vector<uint8_t>
IkeProtocol::NatHash(uint64_t spiI, uint64_t spiR, Ipv4Address addr)
{
    return ikev2::NatDetectionHash(spiI, spiR, U32(addr.Get()), ike::PORT);
}

IkePayload
IkeProtocol::IdPayload(Ipv4Address local, bool byInitiator)
{
    return IkePayload::MakeId(!byInitiator, ike::ID_IPV4_ADDR, U32(local.Get()));
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

// ---------------------------------------------------------------------------------------
// Starting negotiations

void
IkeProtocol::Initiate(Ipv4Address peer, IpsecProtocol proto, IpsecMode mode, DoneCallback done)
{
    NS_LOG_FUNCTION(this << peer << ToString(proto) << ToString(mode));
    ChildRequest r;
    r.spec.proto = proto;
    r.spec.mode = mode;
    r.done = done;
    r.start = Simulator::Now();
    Request(peer, std::move(r));
}

void
IkeProtocol::Request(Ipv4Address peer, ChildRequest req)
{
    auto reject = [this, peer, &req](const std::string& reason) {
        NS_LOG_WARN("IkeAgent: cannot negotiate with " << peer << ": " << reason);
        ++m_stats.failures;
        m_user->Failed(peer, reason);
        if (!req.done.IsNull())
        {
            DoneCallback done = req.done;
            Simulator::ScheduleNow([done, peer]() { done(false, peer); });
        }
    };
    if (!m_running)
    {
        reject("not-running");
        return;
    }
    if (req.spec.proto != IpsecProtocol::ESP && req.spec.proto != IpsecProtocol::AH)
    {
        reject("invalid-proposal");
        return;
    }
    std::string refused =
        SecurityAssociation::CheckIntegrity(req.spec.proto, m_cfg.enc, m_cfg.integ);
    if (!refused.empty())
    {
        NS_LOG_WARN("IkeAgent on node " << GetNode()->GetId() << ": " << refused);
        reject("no-integrity");
        return;
    }
    if (IkeSa* ike = FindIkeSa(peer, true))
    {
        ike->queue.push_back(std::move(req));
        Pump(*ike);
        return;
    }
    Ipv4Address local = LocalAddressFor(peer);
    if (local == Ipv4Address::GetAny())
    {
        reject("no-route");
        return;
    }
    IkeSa ike;
    ike.localSpi = NewIkeSpi();
    ike.spiI = ike.localSpi;
    ike.initiator = true;
    ike.peer = peer;
    ike.local = local;
    ike.state = IkeState::INIT_SENT;
    ike.dhGroup = Proposals().Group();
    ike.start = req.start;
    ike.current = std::move(req);
    auto [it, inserted] = m_ikeSas.emplace(ike.localSpi, std::move(ike));
    NS_ASSERT(inserted);
    SendSaInit(it->second);
}

void
IkeProtocol::Pump(IkeSa& ike)
{
    if (!ike.TakeNext())
    {
        return;
    }
    if (ike.current->isDelete)
    {
        SendDelete(ike);
    }
    else
    {
        SendCreateChild(ike);
    }
}

void
IkeProtocol::DeleteChildSas(Ipv4Address peer, DoneCallback done)
{
    NS_LOG_FUNCTION(this << peer);
    QueueDelete(peer, false, done);
}

void
IkeProtocol::DeleteIkeSa(Ipv4Address peer, DoneCallback done)
{
    NS_LOG_FUNCTION(this << peer);
    QueueDelete(peer, true, done);
}

void
IkeProtocol::QueueDelete(Ipv4Address peer, bool deleteIke, DoneCallback done)
{
    IkeSa* ike = m_running ? FindIkeSa(peer, false) : nullptr;
    if (ike == nullptr)
    {
        if (!done.IsNull())
        {
            Simulator::ScheduleNow([done, peer]() { done(false, peer); });
        }
        return;
    }
    ChildRequest r;
    r.isDelete = true;
    r.deleteIke = deleteIke;
    r.done = done;
    r.start = Simulator::Now();
    ike->queue.push_back(std::move(r));
    Pump(*ike);
}

void
IkeProtocol::SendDelete(IkeSa& ike)
{
    ChildRequest& req = *ike.current;
    IkeMessage m;
    m.header.exchangeType = static_cast<uint8_t>(IkeExchangeType::INFORMATIONAL);
    m.encrypted = true;
    if (req.deleteIke)
    {
        // The child SAs go with the IKE SA once the peer answers (RFC 7296 §1.4.1).
        m.payloads.push_back(IkePayload::MakeDelete(ike::PROTO_IKE, {}));
        SendRequest(ike, std::move(m), Time(0));
        return;
    }
    std::vector<uint64_t> named;
    named.swap(req.deleting);
    std::map<uint8_t, std::vector<uint32_t>> spis;
    for (uint64_t id : m_childSas.OfPeer(ike.peer))
    {
        if (!named.empty() && std::find(named.begin(), named.end(), id) == named.end())
        {
            continue;
        }
        const IkeChildSa& c = *m_childSas.Find(id);
        req.deleting.push_back(id);
        spis[c.spec.proto == IpsecProtocol::AH ? ike::PROTO_AH : ike::PROTO_ESP].push_back(c.spiIn);
    }
    // Nothing more leaves on these SAs (RFC 7296 §1.4.1); their inbound SAs stay until the
    // answer, for the packets the peer sent before it saw the Delete.
    for (uint64_t id : req.deleting)
    {
        m_childSas.StopSending(id);
    }
    if (!named.empty() && req.deleting.empty())
    {
        // Gone meanwhile (hard lifetime, the peer's Delete): nothing to send.
        FinishCurrent(ike, true, "");
        Pump(ike);
        return;
    }
    for (const auto& [proto, list] : spis)
    {
        m.payloads.push_back(IkePayload::MakeDelete(proto, list));
    }
    SendRequest(ike, std::move(m), Time(0));
}

void
IkeProtocol::QueueChildDelete(IkeSa& ike, const std::vector<uint64_t>& children)
{
    auto pending = [&children](const ChildRequest& r) {
        for (uint64_t id : children)
        {
            if (r.isDelete && !r.deleteIke &&
                std::find(r.deleting.begin(), r.deleting.end(), id) != r.deleting.end())
            {
                return true;
            }
        }
        return false;
    };
    if ((ike.current && pending(*ike.current)) ||
        std::any_of(ike.queue.begin(), ike.queue.end(), pending))
    {
        return;
    }
    ChildRequest r;
    r.isDelete = true;
    r.deleting = children;
    r.start = Simulator::Now();
    ike.queue.push_back(std::move(r));
}

void
IkeProtocol::FinishRekey(IkeSa& ike, uint64_t oldId)
{
    if (ike.current && !ike.current->isDelete && ike.current->rekeyOf == oldId)
    {
        return; // our own re-key of it is still under way: decide when it completes
    }
    std::vector<uint64_t> successors = m_childSas.SuccessorsOf(oldId, ike.localSpi);
    if (successors.empty())
    {
        return;
    }
    uint64_t kept = successors.front();
    if (successors.size() > 1)
    {
        // RFC 7296 §2.8.1: both re-keys of the child completed. The pair created with the
        // lowest of the four nonces is redundant; the end that created it deletes it. The
        // end that created the other one deletes the old pair, as after any re-key.
        IkeChildSa& a = *m_childSas.Find(successors[0]);
        IkeChildSa& b = *m_childSas.Find(successors[1]);
        IkeChildSa& redundant = a.lowNonce < b.lowNonce ? a : b;
        kept = &redundant == &a ? b.id : a.id;
        redundant.rekeyOf = 0;
        ++m_stats.rekeyCollisions;
        NS_LOG_INFO("node " << GetNode()->GetId() << ": simultaneous re-key, pair in 0x" << std::hex
                            << redundant.spiIn << std::dec << " is redundant");
        if (redundant.initiatedHere)
        {
            ++m_stats.collisionsLost;
            QueueChildDelete(ike, {redundant.id});
        }
    }
    if (m_childSas.Find(kept)->initiatedHere && m_childSas.Find(oldId) != nullptr)
    {
        QueueChildDelete(ike, {oldId});
    }
}

void
IkeProtocol::CloseIkeSa(uint64_t localSpi)
{
    auto it = m_ikeSas.find(localSpi);
    if (it == m_ikeSas.end())
    {
        return;
    }
    IkeSa ike = std::move(it->second);
    m_ikeSas.erase(it);
    ike.CancelTimers();
    // RFC 7296 §1.4.1: closing an IKE SA closes the child SAs negotiated under it.
    m_childSas.RemoveChildrenOf(localSpi);
    for (auto& r : ike.TakeAllRequests())
    {
        if (IkeChildSa* c = r.rekeyOf != 0 ? m_childSas.Find(r.rekeyOf) : nullptr)
        {
            c->rekeying = false;
        }
        if (!r.done.IsNull())
        {
            r.done(false, ike.peer);
        }
    }
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
    m.payloads.push_back(IkePayload::MakeNotify(ike::N_INITIAL_CONTACT));
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
IkeProtocol::SendCreateChild(IkeSa& ike)
{
    ChildRequest& req = *ike.current;
    const IkeChildSa* old = nullptr;
    if (req.rekeyOf != 0)
    {
        old = m_childSas.Find(req.rekeyOf);
        if (old == nullptr || old->replaced)
        {
            ike.current.reset(); // nothing left to re-key
            Pump(ike);
            return;
        }
    }
    req.spiIn = NewChildSpi(ike.local, req.spec.proto);
    req.nonce = RandomBytes(m_cfg.nonceSize);
    IkeMessage m;
    m.header.exchangeType = static_cast<uint8_t>(IkeExchangeType::CREATE_CHILD_SA);
    m.encrypted = true;
    if (old != nullptr)
    {
        m.payloads.push_back(IkePayload::MakeNotify(
            ike::N_REKEY_SA,
            {},
            old->spec.proto == IpsecProtocol::AH ? ike::PROTO_AH : ike::PROTO_ESP,
            U32(old->spiIn)));
    }
    m.payloads.push_back(IkePayload::MakeSa({Proposals().Child(req.spec, req.spiIn, m_cfg.pfs)}));
    m.payloads.push_back(IkePayload::MakeNonce(req.nonce));
    Time delay(0);
    if (m_cfg.pfs)
    {
        req.kePublic = RandomBytes(IkeProposals::GroupSize(Proposals().Group()));
        m.payloads.push_back(IkePayload::MakeKe(Proposals().Group(), req.kePublic));
        delay = Charge({IkeProposals::DhOperation(Proposals().Group())});
    }
    m.payloads.push_back(ikev2::RequestTs(req.spec, ike.local, ike.peer, true));
    m.payloads.push_back(ikev2::RequestTs(req.spec, ike.local, ike.peer, false));
    if (req.spec.mode == IpsecMode::TRANSPORT)
    {
        m.payloads.push_back(IkePayload::MakeNotify(ike::N_USE_TRANSPORT_MODE));
    }
    SendRequest(ike, std::move(m), delay);
}

// ---------------------------------------------------------------------------------------
// Sending

void
IkeProtocol::SendRequest(IkeSa& ike, IkeMessage msg, Time delay)
{
    msg.header.spiInitiator = ike.spiI;
    msg.header.spiResponder = ike.spiR;
    msg.header.flags = ike.initiator ? ike::FLAG_INITIATOR : 0;
    msg.header.messageId = ike.TakeMessageId();
    auto type = static_cast<IkeExchangeType>(msg.header.exchangeType);
    Ptr<Packet> p;
    if (msg.encrypted)
    {
        std::vector<uint8_t> iv = RandomBytes(16);
        p = msg.ToPacket(&KeysOf(ike, ike.initiator), iv.data());
    }
    else
    {
        p = msg.ToPacket();
    }
    if (type == IkeExchangeType::IKE_SA_INIT)
    {
        ike.msg1.resize(p->GetSize());
        p->CopyData(ike.msg1.data(), ike.msg1.size());
    }
    ike.StartRequest(msg.header.messageId, type, p, m_cfg.rto);
    uint64_t spi = ike.localSpi;
    uint32_t id = msg.header.messageId;
    auto go = [this, spi, id]() {
        auto it = m_ikeSas.find(spi);
        if (it == m_ikeSas.end() || !it->second.IsOutstanding(id) || !m_running)
        {
            return;
        }
        IkeSa& s = it->second;
        Transmit(s.OutstandingCopy(), s.peer, s.OutstandingType(), false);
        s.ArmRetransmission([this, spi]() { Retransmit(spi); });
    };
    Simulator::Schedule(delay, go);
}

void
IkeProtocol::SendResponse(IkeSa& ike, IkeMessage msg, Time delay, std::function<void()> then)
{
    msg.header.spiInitiator = ike.spiI;
    msg.header.spiResponder = ike.spiR;
    msg.header.flags = ike::FLAG_RESPONSE | (ike.initiator ? ike::FLAG_INITIATOR : 0);
    msg.header.messageId = ike.ResponseId();
    auto type = static_cast<IkeExchangeType>(msg.header.exchangeType);
    Ptr<Packet> p;
    if (msg.encrypted)
    {
        std::vector<uint8_t> iv = RandomBytes(16);
        p = msg.ToPacket(&KeysOf(ike, ike.initiator), iv.data());
    }
    else
    {
        p = msg.ToPacket();
    }
    if (type == IkeExchangeType::IKE_SA_INIT)
    {
        ike.msg2.resize(p->GetSize());
        p->CopyData(ike.msg2.data(), ike.msg2.size());
    }
    uint64_t spi = ike.localSpi;
    uint32_t id = ike.ResponseId();
    auto go = [this, spi, id, p, type, then]() {
        auto it = m_ikeSas.find(spi);
        if (it == m_ikeSas.end() || !m_running)
        {
            return;
        }
        it->second.CacheResponse(id, p);
        Transmit(p->Copy(), it->second.peer, type, true);
        if (then)
        {
            then();
        }
    };
    Simulator::Schedule(delay, go);
}

void
IkeProtocol::Transmit(Ptr<Packet> p, Ipv4Address peer, IkeExchangeType type, bool response)
{
    NS_LOG_INFO("node " << GetNode()->GetId() << " sends " << ToString(type)
                        << (response ? " response" : " request") << " (" << p->GetSize()
                        << " B) to " << peer);
    CountMessage(true, type, p->GetSize(), peer, response);
    m_user->Send(p, peer);
}

void
IkeProtocol::CountMessage(bool sent,
                          IkeExchangeType type,
                          uint32_t size,
                          Ipv4Address peer,
                          bool response)
{
    int i = ExchangeIndex(type);
    ++(sent ? m_stats.messagesSent : m_stats.messagesReceived)[i];
    (sent ? m_stats.bytesSent : m_stats.bytesReceived)[i] += size;
    if (m_openHandover)
    {
        Stats::Handover& h = m_stats.handovers[*m_openHandover];
        ++h.messages;
        h.bytes += size;
    }
    m_user->MessageSeen(sent, type, size, peer, response);
}

void
IkeProtocol::Retransmit(uint64_t localSpi)
{
    auto it = m_ikeSas.find(localSpi);
    if (it == m_ikeSas.end() || !it->second.HasOutstanding() || !m_running)
    {
        return;
    }
    IkeSa& ike = it->second;
    if (!ike.BackOff(m_cfg.maxRetransmits))
    {
        // An error notify seen meanwhile (never confirmed by a genuine response) says why.
        FailIkeSa(localSpi, ike.initErrorHint != 0 ? NotifyReason(ike.initErrorHint) : "timeout");
        return;
    }
    ++m_stats.retransmissions;
    NS_LOG_INFO("retransmission " << ike.Retransmissions() << " to " << ike.peer);
    Transmit(ike.OutstandingCopy(), ike.peer, ike.OutstandingType(), false);
    ike.ArmRetransmission([this, localSpi]() { Retransmit(localSpi); });
}

void
IkeProtocol::FailIkeSa(uint64_t localSpi, const std::string& reason)
{
    auto it = m_ikeSas.find(localSpi);
    if (it == m_ikeSas.end())
    {
        return;
    }
    Ipv4Address peer = it->second.peer;
    NS_LOG_INFO("IKE SA with " << peer << " failed: " << reason);
    ++m_stats.failures;
    m_user->Failed(peer, reason);
    CloseIkeSa(localSpi);
}

void
IkeProtocol::FinishCurrent(IkeSa& ike, bool ok, const std::string& reason)
{
    if (!ike.current)
    {
        return;
    }
    ChildRequest req = std::move(*ike.current);
    ike.current.reset();
    if (IkeChildSa* c = req.rekeyOf != 0 && !ok ? m_childSas.Find(req.rekeyOf) : nullptr)
    {
        c->rekeying = false;
    }
    if (!ok)
    {
        ++m_stats.failures;
        m_user->Failed(ike.peer, reason);
    }
    if (!req.done.IsNull())
    {
        req.done(ok, ike.peer);
    }
}

void
IkeProtocol::DropPacket(Ptr<const Packet> p,
                        Ipv4Address from,
                        const std::string& reason,
                        const std::string& detail)
{
    NS_LOG_INFO("node " << GetNode()->GetId() << " drops IKE datagram from " << from << ": "
                        << reason << (detail.empty() ? "" : " (" + detail + ")"));
    ++m_stats.drops;
    ++m_stats.dropsByReason[reason];
    m_user->Dropped(p, from, reason);
}

// ---------------------------------------------------------------------------------------
// Receiving

void
IkeProtocol::Receive(Ptr<Packet> p, Ipv4Address from, Ipv4Address local)
{
    ++m_stats.datagramsReceived;
    std::vector<uint8_t> raw(p->GetSize());
    p->CopyData(raw.data(), raw.size());
    auto parsed = IkeMessage::Parse(raw.data(), raw.size());
    if (!parsed)
    {
        DropPacket(p, from, MALFORMED_DROP, parsed.GetError());
        return;
    }
    IkeMessage msg = parsed.TakeValue();
    const IkeHeader& h = msg.header;
    auto type = h.GetExchangeType();
    if (!type)
    {
        DropPacket(p, from, UNKNOWN_EXCHANGE_DROP, std::to_string(h.exchangeType));
        return;
    }
    bool response = h.IsResponse();
    auto counted = [&]() {
        CountMessage(false, *type, raw.size(), from, response);
        NS_LOG_INFO("node " << GetNode()->GetId() << " received " << ToString(*type)
                            << (response ? " response" : " request") << " (" << raw.size()
                            << " B) from " << from);
    };

    if (*type == IkeExchangeType::IKE_SA_INIT && !response)
    {
        if (!h.IsFromInitiator() || h.spiResponder != 0 || h.spiInitiator == 0 ||
            h.messageId != 0 || msg.encrypted)
        {
            DropPacket(p, from, MALFORMED_DROP, "IKE_SA_INIT request with bad header fields");
            return;
        }
        // A retransmission of a request already answered?
        for (auto& [spi, ike] : m_ikeSas)
        {
            if (!ike.initiator && ike.peer == from && ike.spiI == h.spiInitiator)
            {
                if (ike.state != IkeState::INIT_DONE || ike.ResponseId() != 0 ||
                    !ike.CachedResponse())
                {
                    DropPacket(p, from, STALE_INIT_DROP, "");
                    return;
                }
                counted();
                ++m_stats.responsesResent;
                Transmit(ike.CachedResponse()->Copy(), from, IkeExchangeType::IKE_SA_INIT, true);
                return;
            }
        }
        counted();
        HandleSaInitRequest(msg, raw, from, local);
        return;
    }

    uint64_t localSpi = h.IsFromInitiator() ? h.spiResponder : h.spiInitiator;
    auto it = m_ikeSas.find(localSpi);
    // A MOBIKE IKE SA may be reached from a new address (RFC 4555 §3.5); the SK payload's
    // integrity check decides.
    if (it == m_ikeSas.end() || (it->second.peer != from && !it->second.mobike) ||
        it->second.initiator == h.IsFromInitiator() ||
        (it->second.initiator ? h.spiInitiator : h.spiResponder) != localSpi ||
        (it->second.spiR != 0 && h.spiResponder != it->second.spiR))
    {
        DropPacket(p, from, UNKNOWN_SPI_DROP, "");
        return;
    }
    IkeSa& ike = it->second;

    if (*type == IkeExchangeType::IKE_SA_INIT)
    {
        if (!ike.initiator || ike.state != IkeState::INIT_SENT ||
            !ike.Answers(h.messageId, IkeExchangeType::IKE_SA_INIT))
        {
            DropPacket(p, from, UNEXPECTED_DROP, "IKE_SA_INIT response");
            return;
        }
        const IkePayload* n = msg.FindErrorNotify();
        if (n != nullptr && n->notifyType != ike::N_INVALID_KE_PAYLOAD)
        {
            // RFC 7296 §2.21.1: nothing authenticates this answer; anyone on the path may
            // have sent it. Keep the request's retransmissions going and give up with the
            // error only if no genuine response comes within InitErrorWait.
            DropPacket(p, from, UNAUTHENTICATED_ERROR_DROP, NotifyReason(n->notifyType));
            if (ike.initErrorHint == 0)
            {
                uint64_t spi = ike.localSpi;
                ike.halfOpenEvent = Simulator::Schedule(m_cfg.initErrorWait, [this, spi]() {
                    auto i = m_ikeSas.find(spi);
                    if (i != m_ikeSas.end() && i->second.state == IkeState::INIT_SENT &&
                        i->second.initErrorHint != 0)
                    {
                        FailIkeSa(spi, NotifyReason(i->second.initErrorHint));
                    }
                });
            }
            ike.initErrorHint = n->notifyType;
            return;
        }
        counted();
        HandleSaInitResponse(ike, msg, raw);
        return;
    }

    if (!msg.encrypted || ike.keysI.encryption.empty())
    {
        DropPacket(p, from, UNEXPECTED_DROP, "no SK payload or no keys yet");
        return;
    }
    std::string err = msg.Decrypt(raw.data(), raw.size(), KeysOf(ike, h.IsFromInitiator()));
    if (!err.empty())
    {
        DropPacket(p, from, err.rfind("integrity", 0) == 0 ? INTEGRITY_DROP : MALFORMED_DROP, err);
        return;
    }

    if (response)
    {
        if (!ike.Answers(h.messageId, *type))
        {
            DropPacket(p, from, UNEXPECTED_DROP, "response to no request");
            return;
        }
        counted();
        ike.EndRequest();
        switch (*type)
        {
        case IkeExchangeType::IKE_AUTH:
            HandleAuthResponse(ike, msg);
            break;
        case IkeExchangeType::CREATE_CHILD_SA:
            HandleCreateChildResponse(ike, msg);
            break;
        default:
            HandleInformationalResponse(ike, msg);
            break;
        }
        return;
    }

    // A request.
    IkeSa::PeerRequest fit = ike.CheckPeerRequest(h.messageId);
    if (fit == IkeSa::PeerRequest::REPEAT)
    {
        counted();
        if (Ptr<Packet> cached = ike.CachedResponse())
        {
            ++m_stats.responsesResent;
            Transmit(cached->Copy(), ike.peer, *type, true);
        }
        return;
    }
    bool stateOk = *type == IkeExchangeType::IKE_AUTH
                       ? (!ike.initiator && ike.state == IkeState::INIT_DONE)
                       : ike.state == IkeState::ESTABLISHED;
    if (fit != IkeSa::PeerRequest::NEW || !stateOk)
    {
        DropPacket(p, from, stateOk ? BAD_MESSAGE_ID_DROP : UNEXPECTED_DROP, "");
        return;
    }
    counted();
    ike.AcceptPeerRequest(h.messageId);
    switch (*type)
    {
    case IkeExchangeType::IKE_AUTH:
        HandleAuthRequest(ike, msg);
        break;
    case IkeExchangeType::CREATE_CHILD_SA:
        HandleCreateChildRequest(ike, msg);
        break;
    case IkeExchangeType::INFORMATIONAL:
        if (IsAddressUpdate(msg))
        {
            HandleAddressUpdate(ike, msg, from, local);
            break;
        }
        HandleInformationalRequest(ike, msg);
        break;
    default:
        break;
    }
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
        m_user->Failed(from, NotifyReason(notify));
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
    std::optional<IkeProposal> chosen;
    for (const auto& p : sa->proposals)
    {
        const IkeTransform* dh = p.Find(ike::TRANSFORM_DH);
        if (p.protocolId != ike::PROTO_IKE || dh == nullptr || IkeProposals::GroupSize(dh->id) == 0)
        {
            continue;
        }
        IkeProposal mine = Proposals().IkeSa();
        mine.transforms.back().id = dh->id;
        bool ok = true;
        for (const auto& t : mine.transforms)
        {
            const IkeTransform* o = p.Find(t.type);
            ok = ok && o != nullptr && *o == t;
        }
        if (ok)
        {
            mine.number = p.number;
            chosen = mine;
            break;
        }
    }
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
        FailIkeSa(spi, NotifyReason(n->notifyType));
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
            m_user->Failed(peer, NotifyReason(refusal));
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
    uint64_t childId = m_childSas.Install(ike.localSpi,
                                          ike.local,
                                          ike.peer,
                                          spec,
                                          spiIn,
                                          spiOut,
                                          ike.skD,
                                          {},
                                          ike.ni,
                                          ike.nr,
                                          false,
                                          true);
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
        FailIkeSa(spi, n != nullptr ? NotifyReason(n->notifyType) : "invalid-response");
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
    const IkePayload* idr = msg.Find(IkePayloadType::IDR);
    ike.peerId.assign(1, idr->subType);
    ike.peerId.insert(ike.peerId.end(), idr->data.begin(), idr->data.end());
    NoteMobikeSupported(ike, msg);
    Time delay =
        m_cfg.auth != AuthMethod::PSK ? Charge({VerifyOperation(), VerifyOperation()}) : Time(0);
    if (const IkePayload* n = msg.FindErrorNotify())
    {
        FinishCurrent(ike, false, NotifyReason(n->notifyType));
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
    ikev2::TakeResponseTs(req.spec, msg);
    Simulator::Schedule(delay, [this, spi, spiOut, ni = ike.ni, nr = ike.nr]() {
        auto it = m_ikeSas.find(spi);
        if (it == m_ikeSas.end() || !it->second.current)
        {
            return;
        }
        IkeSa& s = it->second;
        const ChildRequest& r = *s.current;
        m_childSas.Install(s.localSpi,
                           s.local,
                           s.peer,
                           r.spec,
                           r.spiIn,
                           spiOut,
                           s.skD,
                           {},
                           ni,
                           nr,
                           true,
                           false);
        ++m_stats.established;
        m_user->Established(s.peer, r.spiIn, spiOut, Simulator::Now() - r.start);
        NotifyChildUsable(s.peer);
        FinishCurrent(s, true, "");
        Pump(s);
    });
}

void
IkeProtocol::HandleCreateChildRequest(IkeSa& ike, const IkeMessage& msg)
{
    uint64_t spi = ike.localSpi;
    IkeMessage r;
    r.header.exchangeType = static_cast<uint8_t>(IkeExchangeType::CREATE_CHILD_SA);
    r.encrypted = true;
    auto refuse = [&](uint16_t notify, bool trace) {
        r.payloads.push_back(IkePayload::MakeNotify(notify));
        if (trace)
        {
            ++m_stats.failures;
            m_user->Failed(ike.peer, NotifyReason(notify));
        }
        SendResponse(ike, std::move(r), Time(0));
    };
    const IkePayload* sa = msg.Find(IkePayloadType::SA);
    const IkePayload* nonce = msg.Find(IkePayloadType::NONCE);
    const IkePayload* tsi = msg.Find(IkePayloadType::TSI);
    const IkePayload* tsr = msg.Find(IkePayloadType::TSR);
    if (sa == nullptr || nonce == nullptr || tsi == nullptr || tsr == nullptr ||
        sa->proposals.empty() || nonce->data.size() < 16)
    {
        refuse(ike::N_INVALID_SYNTAX, true);
        return;
    }
    IkeChildSa* old = nullptr;
    if (const IkePayload* rk = msg.FindNotify(ike::N_REKEY_SA))
    {
        IpsecProtocol proto =
            rk->protocolId == ike::PROTO_AH ? IpsecProtocol::AH : IpsecProtocol::ESP;
        old = m_childSas.FindByOutboundSpi(ike.peer, rk->GetSpi32(), proto);
        if (old == nullptr)
        {
            refuse(ike::N_CHILD_SA_NOT_FOUND, false);
            return;
        }
        // A re-key of ours of the same child in flight is a collision: answer as usual;
        // FinishRekey sorts it out once both exchanges completed (RFC 7296 §2.8.1).
        uint64_t oldId = old->id;
        ike.queue.erase(
            std::remove_if(ike.queue.begin(),
                           ike.queue.end(),
                           [oldId](const ChildRequest& q) { return q.rekeyOf == oldId; }),
            ike.queue.end());
    }
    IkeChildSpec spec;
    spec.mode =
        msg.FindNotify(ike::N_USE_TRANSPORT_MODE) ? IpsecMode::TRANSPORT : IpsecMode::TUNNEL;
    uint16_t dh = 0;
    if (!AcceptChildProposal(sa->proposals[0], spec, dh) ||
        (old != nullptr && !old->spec.IsKind(spec.proto, spec.mode)))
    {
        refuse(ike::N_NO_PROPOSAL_CHOSEN, true);
        return;
    }
    if (!ikev2::NarrowTs(TunnelPolicies(), ike.local, ike.peer, spec, *tsi, *tsr))
    {
        refuse(ike::N_TS_UNACCEPTABLE, true);
        return;
    }
    const IkePayload* ke = msg.Find(IkePayloadType::KE);
    if (dh != 0 &&
        (ke == nullptr || ke->group != dh || ke->data.size() != IkeProposals::GroupSize(dh)))
    {
        refuse(ike::N_INVALID_KE_PAYLOAD, true);
        return;
    }
    if (old != nullptr)
    {
        spec.reqid = old->spec.reqid;
    }
    uint32_t spiOut = sa->proposals[0].GetSpi32();
    uint32_t spiIn = NewChildSpi(ike.local, spec.proto);
    std::vector<uint8_t> nr = RandomBytes(m_cfg.nonceSize);
    std::vector<uint8_t> gir;
    std::vector<uint8_t> keR;
    Time delay(0);
    if (dh != 0)
    {
        keR = RandomBytes(IkeProposals::GroupSize(dh));
        gir = SharedSecret(ke->data, keR, dh);
        delay = Charge({IkeProposals::DhOperation(dh), IkeProposals::DhOperation(dh)});
    }

    IkeProposal prop = Proposals().Child(spec, spiIn, false);
    if (dh != 0)
    {
        prop.transforms.insert(prop.transforms.end() - 1, {ike::TRANSFORM_DH, dh, std::nullopt});
    }
    r.payloads.push_back(IkePayload::MakeSa({prop}));
    r.payloads.push_back(IkePayload::MakeNonce(nr));
    if (dh != 0)
    {
        r.payloads.push_back(IkePayload::MakeKe(dh, keR));
    }
    r.payloads.push_back(IkePayload::MakeTs(false, {*spec.tsRemote}));
    r.payloads.push_back(IkePayload::MakeTs(true, {*spec.tsLocal}));
    if (spec.mode == IpsecMode::TRANSPORT)
    {
        r.payloads.push_back(IkePayload::MakeNotify(ike::N_USE_TRANSPORT_MODE));
    }
    uint64_t oldId = 0;
    uint32_t oldSpiIn = 0;
    if (old != nullptr)
    {
        old->replaced = true;
        old->rekeying = false;
        oldId = old->id;
        oldSpiIn = old->spiIn;
    }
    uint64_t childId = m_childSas.Install(ike.localSpi,
                                          ike.local,
                                          ike.peer,
                                          spec,
                                          spiIn,
                                          spiOut,
                                          ike.skD,
                                          gir,
                                          nonce->data,
                                          nr,
                                          false,
                                          true);
    if (old != nullptr)
    {
        IkeChildSa& c = *m_childSas.Find(childId);
        c.rekeyOf = oldId;
        c.lowNonce = std::min(nonce->data, nr);
    }
    Time received = Simulator::Now();
    SendResponse(
        ike,
        std::move(r),
        delay,
        [this, spi, childId, spiIn, spiOut, oldId, oldSpiIn, received]() {
            auto it = m_ikeSas.find(spi);
            if (it == m_ikeSas.end())
            {
                return;
            }
            m_childSas.ArmDeferredOutbound(childId);
            if (oldId != 0)
            {
                ++m_stats.rekeys;
                m_user->Rekeyed(it->second.peer, oldSpiIn, spiIn, spiOut);
                FinishRekey(it->second, oldId);
            }
            else
            {
                ++m_stats.established;
                m_user->Established(it->second.peer, spiIn, spiOut, Simulator::Now() - received);
                NotifyChildUsable(it->second.peer);
            }
            Pump(it->second);
        });
}

void
IkeProtocol::HandleCreateChildResponse(IkeSa& ike, const IkeMessage& msg)
{
    if (!ike.current)
    {
        Pump(ike);
        return;
    }
    uint64_t spi = ike.localSpi;
    ChildRequest& req = *ike.current;
    if (const IkePayload* n = msg.FindErrorNotify())
    {
        if (n->notifyType == ike::N_TEMPORARY_FAILURE && req.rekeyOf != 0)
        {
            // RFC 7296 §2.25: the peer cannot re-key now; try again a little later (the
            // child stays marked as re-keying meanwhile).
            ChildRequest retry = std::move(req);
            ike.current.reset();
            Simulator::Schedule(m_cfg.rto, [this, spi, retry]() {
                IkeChildSa* c = m_childSas.Find(retry.rekeyOf);
                auto it = m_ikeSas.find(spi);
                if (c == nullptr || c->replaced)
                {
                    return;
                }
                if (it == m_ikeSas.end() || m_stopped)
                {
                    c->rekeying = false;
                    return;
                }
                it->second.queue.push_back(retry);
                Pump(it->second);
            });
            Pump(ike);
            return;
        }
        FinishCurrent(ike, false, NotifyReason(n->notifyType));
        Pump(ike);
        return;
    }
    const IkePayload* sa = msg.Find(IkePayloadType::SA);
    const IkePayload* nonce = msg.Find(IkePayloadType::NONCE);
    const IkePayload* ke = msg.Find(IkePayloadType::KE);
    IkeChildSpec spec = req.spec;
    uint16_t dh = 0;
    bool ok = sa != nullptr && nonce != nullptr && sa->proposals.size() == 1 &&
              nonce->data.size() >= 16 && AcceptChildProposal(sa->proposals[0], spec, dh) &&
              spec.proto == req.spec.proto && (dh != 0) == m_cfg.pfs &&
              (dh == 0 || (ke != nullptr && ke->group == dh &&
                           ke->data.size() == IkeProposals::GroupSize(dh)));
    if (!ok)
    {
        FinishCurrent(ike, false, "invalid-response");
        Pump(ike);
        return;
    }
    uint32_t spiOut = sa->proposals[0].GetSpi32();
    std::vector<uint8_t> gir;
    Time delay(0);
    if (dh != 0)
    {
        gir = SharedSecret(req.kePublic, ke->data, dh);
        delay = Charge({IkeProposals::DhOperation(dh)});
    }
    ikev2::TakeResponseTs(req.spec, msg);
    std::vector<uint8_t> lowNonce = std::min(req.nonce, nonce->data);
    Simulator::Schedule(
        delay,
        [this, spi, spiOut, gir, ni = req.nonce, nr = nonce->data, lowNonce]() {
            auto it = m_ikeSas.find(spi);
            if (it == m_ikeSas.end() || !it->second.current)
            {
                return;
            }
            IkeSa& s = it->second;
            const ChildRequest& r = *s.current;
            uint64_t childId = m_childSas.Install(s.localSpi,
                                                  s.local,
                                                  s.peer,
                                                  r.spec,
                                                  r.spiIn,
                                                  spiOut,
                                                  s.skD,
                                                  gir,
                                                  ni,
                                                  nr,
                                                  true,
                                                  false);
            uint64_t oldId = r.rekeyOf;
            if (oldId != 0)
            {
                uint32_t oldSpiIn = 0;
                if (IkeChildSa* old = m_childSas.Find(oldId))
                {
                    old->replaced = true;
                    old->rekeying = false;
                    oldSpiIn = old->spiIn;
                    IkeChildSa& c = *m_childSas.Find(childId);
                    c.rekeyOf = oldId;
                    c.lowNonce = lowNonce;
                }
                ++m_stats.rekeys;
                m_user->Rekeyed(s.peer, oldSpiIn, r.spiIn, spiOut);
            }
            else
            {
                ++m_stats.established;
                m_user->Established(s.peer, r.spiIn, spiOut, Simulator::Now() - r.start);
                NotifyChildUsable(s.peer);
            }
            FinishCurrent(s, true, "");
            if (oldId != 0)
            {
                FinishRekey(s, oldId);
            }
            Pump(s);
        });
}

void
IkeProtocol::HandleInformationalRequest(IkeSa& ike, const IkeMessage& msg)
{
    IkeMessage r;
    r.header.exchangeType = static_cast<uint8_t>(IkeExchangeType::INFORMATIONAL);
    r.encrypted = true;
    bool deleteIke = false;
    for (const auto& p : msg.payloads)
    {
        if (p.type != IkePayloadType::DELETE)
        {
            continue;
        }
        if (p.protocolId == ike::PROTO_IKE)
        {
            deleteIke = true;
            continue;
        }
        if (p.spiSize != 4)
        {
            continue;
        }
        IpsecProtocol proto =
            p.protocolId == ike::PROTO_AH ? IpsecProtocol::AH : IpsecProtocol::ESP;
        std::vector<uint32_t> ours;
        for (size_t k = 0; k + 4 <= p.deleteSpis.size(); k += 4)
        {
            uint32_t s = (uint32_t(p.deleteSpis[k]) << 24) | (uint32_t(p.deleteSpis[k + 1]) << 16) |
                         (uint32_t(p.deleteSpis[k + 2]) << 8) | p.deleteSpis[k + 3];
            if (const IkeChildSa* victim = m_childSas.FindByOutboundSpi(ike.peer, s, proto))
            {
                uint64_t id = victim->id;
                ours.push_back(victim->spiIn);
                // The peer re-keyed this pair and deletes the old one (RFC 7296 §2.8): it
                // has the new pair installed, so our new outbound SA goes live now.
                for (uint64_t sid : m_childSas.HeldBackSuccessorsOf(id))
                {
                    m_childSas.InstallOutbound(sid);
                }
                m_childSas.Remove(id);
            }
        }
        if (!ours.empty())
        {
            r.payloads.push_back(IkePayload::MakeDelete(p.protocolId, ours));
        }
    }
    uint64_t spi = ike.localSpi;
    if (deleteIke)
    {
        // RFC 7296 §1.4.1: the IKE SA and the child SAs negotiated under it go now; the
        // (empty) answer still leaves under the IKE SA's keys.
        m_childSas.RemoveChildrenOf(spi);
        r.payloads.clear();
    }
    SendResponse(ike, std::move(r), Time(0), [this, spi, deleteIke]() {
        if (deleteIke)
        {
            CloseIkeSa(spi);
        }
    });
}

void
IkeProtocol::HandleInformationalResponse(IkeSa& ike, const IkeMessage&)
{
    if (ike.current && ike.current->isUpdate)
    {
        FinishAddressUpdate(ike);
    }
    if (ike.current && ike.current->isDelete)
    {
        for (uint64_t id : ike.current->deleting)
        {
            m_childSas.Remove(id);
        }
        if (ike.current->deleteIke)
        {
            ChildRequest req = std::move(*ike.current);
            ike.current.reset();
            Ipv4Address peer = ike.peer;
            CloseIkeSa(ike.localSpi); // ike is gone after this
            if (!req.done.IsNull())
            {
                req.done(true, peer);
            }
            return;
        }
        FinishCurrent(ike, true, "");
    }
    Pump(ike);
}

// ---------------------------------------------------------------------------------------
// The IPsec layer's notifications

void
IkeProtocol::DoProtectedReceived()
{
    m_childSas.ProtectedReceived();
}

void
IkeProtocol::DoSoftExpired(Ptr<const SecurityAssociation> sa)
{
    IkeChildSa* c = m_childSas.FindBySa(PeekPointer(sa));
    if (c == nullptr || c->replaced || c->rekeying || m_stopped)
    {
        return;
    }
    NS_LOG_INFO("node " << GetNode()->GetId() << ": child 0x" << std::hex << c->spiIn << std::dec
                        << " reached its soft lifetime, re-keying");
    c->rekeying = true;
    ChildRequest r;
    r.spec = c->spec;
    r.start = Simulator::Now();
    auto ikeIt = m_ikeSas.find(c->ikeSpi);
    if (ikeIt == m_ikeSas.end() || ikeIt->second.state != IkeState::ESTABLISHED)
    {
        // The IKE SA is gone: negotiate a fresh one; the old pair simply expires.
        c->replaced = true;
        Request(c->peer, std::move(r));
        return;
    }
    r.rekeyOf = c->id;
    ikeIt->second.queue.push_back(std::move(r));
    Pump(ikeIt->second);
}

void
IkeProtocol::DoSaRemoved(Ptr<const SecurityAssociation> sa)
{
    m_childSas.SaRemoved(sa);
}

void
IkeProtocol::SetPassive(Ipv4Address peer, bool passive)
{
    if (passive)
    {
        m_passive.insert(peer);
    }
    else
    {
        m_passive.erase(peer);
    }
}

bool
IkeProtocol::IsPassive(Ipv4Address peer) const
{
    return m_passive.count(peer) != 0;
}

void
IkeProtocol::DoAcquire(const SecurityPolicy& policy,
                       const IpsecRequest& request,
                       const PacketSelector& sel)
{
    if (!m_cfg.autoInitiate || m_stopped || request.protocol == IpsecProtocol::IPCOMP)
    {
        return;
    }
    Ipv4Address peer =
        request.mode == IpsecMode::TUNNEL ? request.tunnelDestination : sel.destination;
    if (IsPassive(peer))
    {
        return; // the peer asks for what both need
    }
    if (IkeSa* ike = FindIkeSa(peer, true))
    {
        if (ike->state != IkeState::ESTABLISHED)
        {
            return; // a negotiation with the peer is under way
        }
        auto same = [&](const IkeChildSpec& s) { return s.IsKind(request.protocol, request.mode); };
        if (ike->current && same(ike->current->spec))
        {
            return;
        }
        for (const auto& q : ike->queue)
        {
            if (same(q.spec))
            {
                return;
            }
        }
    }
    if (m_childSas.HasCurrentPair(peer, request.protocol, request.mode))
    {
        return; // exists (its outbound SA may still be pending)
    }
    NS_LOG_INFO("node " << GetNode()->GetId() << ": acquire for " << peer);
    ChildRequest r;
    r.spec.proto = request.protocol;
    r.spec.mode = request.mode;
    r.spec.reqid = request.uniqueId;
    if (request.mode == IpsecMode::TUNNEL)
    {
        // RFC 7296 §2.9: the policy's selectors, e.g. TSi = this terminal, TSr = the subnet
        // behind the gateway; the responder narrows them to its own policy.
        r.spec.tsLocal = ikev2::PolicyTs(policy.source, policy.upper);
        r.spec.tsRemote = ikev2::PolicyTs(policy.destination, policy.upper);
    }
    r.start = Simulator::Now();
    Request(peer, std::move(r));
}

} // namespace ns3
