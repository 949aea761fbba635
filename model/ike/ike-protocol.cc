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

const IkeSkKeys&
IkeProtocol::KeysOf(const IkeSa& ike, bool sentByInitiator)
{
    return sentByInitiator ? ike.keysI : ike.keysR;
}

std::vector<uint8_t>
IkeProtocol::NatHash(uint64_t spiI, uint64_t spiR, Ipv4Address addr)
{
    return ikev2::NatDetectionHash(spiI, spiR, ike::Be32(addr.Get()), ike::PORT);
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
    if (ike.current->isLiveness)
    {
        SendLivenessCheck(ike);
    }
    else if (ike.current->isDelete)
    {
        SendDelete(ike);
    }
    else
    {
        SendCreateChild(ike);
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

// ---------------------------------------------------------------------------------------
// Sending

IkeDatagrams
IkeProtocol::Serialize(IkeSa& ike, IkeMessage& msg, bool response)
{
    msg.header.spiInitiator = ike.spiI;
    msg.header.spiResponder = ike.spiR;
    msg.header.flags =
        (response ? ike::FLAG_RESPONSE : 0) | (ike.initiator ? ike::FLAG_INITIATOR : 0);
    if (msg.encrypted && ike.fragmentation)
    {
        // RFC 7383: a message larger than a datagram of FragmentSize (IPv4 and UDP headers
        // included) goes in fragments.
        return msg.ToFragments(
            KeysOf(ike, ike.initiator),
            [this](uint8_t* iv) {
                std::vector<uint8_t> r = RandomBytes(16);
                std::copy(r.begin(), r.end(), iv);
            },
            m_cfg.fragmentSize - 28);
    }
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
    if (static_cast<IkeExchangeType>(msg.header.exchangeType) == IkeExchangeType::IKE_SA_INIT)
    {
        // AUTH signs the IKE_SA_INIT messages as sent (RFC 7296 §2.15).
        std::vector<uint8_t>& keep = response ? ike.msg2 : ike.msg1;
        keep.resize(p->GetSize());
        p->CopyData(keep.data(), keep.size());
    }
    return {p};
}

void
IkeProtocol::SendRequest(IkeSa& ike, IkeMessage msg, Time delay)
{
    msg.header.messageId = ike.TakeMessageId();
    auto type = static_cast<IkeExchangeType>(msg.header.exchangeType);
    IkeDatagrams p = Serialize(ike, msg, false);
    ike.StartRequest(msg.header.messageId, type, std::move(p), m_cfg.rto);
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
    msg.header.messageId = ike.ResponseId();
    auto type = static_cast<IkeExchangeType>(msg.header.exchangeType);
    IkeDatagrams p = Serialize(ike, msg, true);
    uint64_t spi = ike.localSpi;
    uint32_t id = ike.ResponseId();
    auto go = [this, spi, id, p, type, then]() {
        auto it = m_ikeSas.find(spi);
        if (it == m_ikeSas.end() || !m_running)
        {
            return;
        }
        it->second.CacheResponse(id, p);
        Transmit(it->second.CachedResponse(), it->second.peer, type, true);
        if (then)
        {
            then();
        }
    };
    Simulator::Schedule(delay, go);
}

void
IkeProtocol::Transmit(const IkeDatagrams& d, Ipv4Address peer, IkeExchangeType type, bool response)
{
    for (const auto& p : d)
    {
        Transmit(p, peer, type, response);
    }
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
        std::string reason = "timeout";
        if (ike.initErrorHint != 0)
        {
            reason = ike::NotifyReason(ike.initErrorHint);
        }
        else if (ike.current && ike.current->isLiveness)
        {
            reason = DEAD_PEER;
            ++m_stats.deadPeers;
        }
        FailIkeSa(localSpi, reason);
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
    bool isCounted = false;
    auto counted = [&]() {
        if (isCounted)
        {
            return;
        }
        isCounted = true;
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
                    ike.CachedResponse().empty())
                {
                    DropPacket(p, from, STALE_INIT_DROP, "");
                    return;
                }
                counted();
                ++m_stats.responsesResent;
                Transmit(ike.CachedResponse(), from, IkeExchangeType::IKE_SA_INIT, true);
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
            DropPacket(p, from, UNAUTHENTICATED_ERROR_DROP, ike::NotifyReason(n->notifyType));
            if (ike.initErrorHint == 0)
            {
                uint64_t spi = ike.localSpi;
                ike.halfOpenEvent = Simulator::Schedule(m_cfg.initErrorWait, [this, spi]() {
                    auto i = m_ikeSas.find(spi);
                    if (i != m_ikeSas.end() && i->second.state == IkeState::INIT_SENT &&
                        i->second.initErrorHint != 0)
                    {
                        FailIkeSa(spi, ike::NotifyReason(i->second.initErrorHint));
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
    if (msg.fragmentNumber != 0)
    {
        if (!TakeFragment(ike, msg, raw, p, from, counted))
        {
            return; // kept for later, answered from the cache, or dropped
        }
    }
    else
    {
        std::string err = msg.Decrypt(raw.data(), raw.size(), KeysOf(ike, h.IsFromInitiator()));
        if (!err.empty())
        {
            DropPacket(p,
                       from,
                       err.rfind("integrity", 0) == 0 ? INTEGRITY_DROP : MALFORMED_DROP,
                       err);
            return;
        }
        ike.lastHeard = Simulator::Now(); // authenticated: the peer is alive (liveness)
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
        IkeDatagrams cached = ike.CachedResponse();
        if (!cached.empty())
        {
            ++m_stats.responsesResent;
            Transmit(cached, ike.peer, *type, true);
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
