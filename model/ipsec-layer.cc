/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ipsec-layer.h"

#include "ah-transform.h"
#include "crypto-cost-model.h"
#include "esp-transform.h"
#include "ipcomp-transform.h"
#include "ipsec-inbound-protocol.h"
#include "ipsec-policy-guard.h"

#include "ns3/abort.h"
#include "ns3/enum.h"
#include "ns3/icmpv4-l4-protocol.h"
#include "ns3/ipv4-interface.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/string.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpsecLayer");

NS_OBJECT_ENSURE_REGISTERED(IpsecLayer);

namespace
{

constexpr uint8_t PROTO_ICMP = 1;
constexpr uint8_t PROTO_IPIP = 4;
constexpr uint8_t PROTO_TCP = 6;
constexpr uint8_t PROTO_UDP = 17;
constexpr uint8_t PROTO_ESP = 50;
constexpr uint8_t PROTO_AH = 51;
constexpr uint8_t PROTO_IPCOMP = 108;

bool
IsStrongLevel(const IpsecRequest& r)
{
    IpsecLevel l = r.GetLevel();
    return l == IpsecLevel::REQUIRE || l == IpsecLevel::UNIQUE;
}

IpsecProtocol
FromProtocolNumber(uint8_t n)
{
    return n == PROTO_ESP ? IpsecProtocol::ESP
                          : (n == PROTO_AH ? IpsecProtocol::AH : IpsecProtocol::IPCOMP);
}

} // namespace

TypeId
IpsecLayer::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::IpsecLayer")
            .SetParent<Object>()
            .SetGroupName("Presec")
            .AddConstructor<IpsecLayer>()
            .AddAttribute("CryptoMode",
                          "modeled: exact sizes, payload not encrypted, a cheap keyed tag as ICV; "
                          "real: OpenSSL ciphertext and ICVs (Wireshark can decrypt them).",
                          EnumValue(static_cast<int>(CryptoMode::MODELED)),
                          MakeEnumAccessor(&IpsecLayer::m_cryptoModeValue),
                          MakeEnumChecker(static_cast<int>(CryptoMode::MODELED),
                                          "modeled",
                                          static_cast<int>(CryptoMode::REAL),
                                          "real"))
            .AddAttribute("IpcompThreshold",
                          "Smallest payload IPComp tries to compress, in bytes (Linux: 90).",
                          UintegerValue(90),
                          MakeUintegerAccessor(&IpsecLayer::m_ipcompThreshold),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("BypassPorts",
                          "UDP/TCP ports whose packets bypass the SPD in both directions "
                          "(presence signalling and key exchange), comma separated.",
                          StringValue("500,4500,5060"),
                          MakeStringAccessor(&IpsecLayer::SetBypassPorts),
                          MakeStringChecker())
            .AddTraceSource("Drop",
                            "A packet was dropped by IPsec processing, with the reason.",
                            MakeTraceSourceAccessor(&IpsecLayer::m_dropTrace),
                            "ns3::IpsecLayer::DropTracedCallback")
            .AddTraceSource("ProtectedTx",
                            "A protected packet was sent (wire form).",
                            MakeTraceSourceAccessor(&IpsecLayer::m_protectedTxTrace),
                            "ns3::IpsecLayer::PacketTracedCallback")
            .AddTraceSource("ProtectedRx",
                            "A protected packet was verified and accepted (inner form).",
                            MakeTraceSourceAccessor(&IpsecLayer::m_protectedRxTrace),
                            "ns3::IpsecLayer::PacketTracedCallback")
            .AddTraceSource("PlainTx",
                            "A packet was sent in clear.",
                            MakeTraceSourceAccessor(&IpsecLayer::m_plainTxTrace),
                            "ns3::IpsecLayer::PacketTracedCallback")
            .AddTraceSource("PlainRx",
                            "A clear packet was accepted by the inbound policy.",
                            MakeTraceSourceAccessor(&IpsecLayer::m_plainRxTrace),
                            "ns3::IpsecLayer::PacketTracedCallback")
            .AddTraceSource("Acquire",
                            "An outbound packet needs an SA that does not exist.",
                            MakeTraceSourceAccessor(&IpsecLayer::m_acquireTrace),
                            "ns3::IpsecLayer::AcquireTracedCallback");
    return tid;
}

IpsecLayer::IpsecLayer()
    : m_spd(CreateObject<SecurityPolicyDatabase>()),
      m_sad(CreateObject<SecurityAssociationDatabase>()),
      m_cryptoModeValue(static_cast<int>(CryptoMode::MODELED)),
      m_ipcompThreshold(90),
      m_defaultTtl(64)
{
    NS_LOG_FUNCTION(this);
}

IpsecLayer::~IpsecLayer()
{
    NS_LOG_FUNCTION(this);
}

void
IpsecLayer::DoDispose()
{
    m_node = nullptr;
    m_ipv4 = nullptr;
    m_cost = nullptr;
    m_spd = nullptr;
    m_sad = nullptr;
    Object::DoDispose();
}

void
IpsecLayer::SetBypassPorts(std::string text)
{
    std::set<uint16_t> ports;
    std::istringstream is(text);
    std::string item;
    while (std::getline(is, item, ','))
    {
        if (item.find_first_not_of(" ") == std::string::npos)
        {
            continue;
        }
        size_t used = 0;
        unsigned long v = 0;
        try
        {
            v = std::stoul(item, &used);
        }
        catch (const std::exception&)
        {
            used = 0;
        }
        NS_ABORT_MSG_IF(used == 0 || item.find_first_not_of(" ", used) != std::string::npos ||
                            v > 65535,
                        "IpsecLayer::BypassPorts: '" << item << "' is not a port number");
        ports.insert(static_cast<uint16_t>(v));
    }
    m_bypassPorts = ports;
}

void
IpsecLayer::Install(Ptr<Node> node)
{
    NS_LOG_FUNCTION(this << node);
    NS_ABORT_MSG_IF(m_node, "IpsecLayer installed twice");
    m_node = node;
    m_ipv4 = node->GetObject<Ipv4L3Protocol>();
    NS_ABORT_MSG_IF(!m_ipv4, "IpsecLayer needs the internet stack on node " << node->GetId());
    UintegerValue ttl;
    m_ipv4->GetAttribute("DefaultTtl", ttl);
    m_defaultTtl = static_cast<uint8_t>(ttl.Get());
    m_cost = node->GetObject<CryptoCostModel>();

    // Outbound: take the down target of each upper protocol. They only set their target
    // when it is still null, so the replacement stays.
    for (uint8_t proto : {PROTO_UDP, PROTO_TCP, PROTO_ICMP})
    {
        Ptr<IpL4Protocol> l4 = m_ipv4->GetProtocol(proto);
        if (!l4)
        {
            continue;
        }
        IpL4Protocol::DownTargetCallback original = l4->GetDownTarget();
        l4->SetDownTarget(IpL4Protocol::DownTargetCallback([this, original](Ptr<Packet> p,
                                                                            Ipv4Address src,
                                                                            Ipv4Address dst,
                                                                            uint8_t protocol,
                                                                            Ptr<Ipv4Route> route) {
            Send(original, p, src, dst, protocol, route);
        }));
    }

    // Inbound: guards in place of UDP and TCP; ICMP per interface, because
    // Ipv4L3Protocol::GetIcmp() needs the real object at the default entry.
    for (uint8_t proto : {PROTO_UDP, PROTO_TCP})
    {
        Ptr<IpL4Protocol> real = m_ipv4->GetProtocol(proto);
        if (real)
        {
            m_ipv4->Insert(CreateObject<IpsecPolicyGuard>(Ptr<IpsecLayer>(this), real));
        }
    }
    if (Ptr<IpL4Protocol> icmp = m_ipv4->GetProtocol(PROTO_ICMP))
    {
        auto guard = CreateObject<IpsecPolicyGuard>(Ptr<IpsecLayer>(this), icmp);
        for (uint32_t i = 0; i < m_ipv4->GetNInterfaces(); ++i)
        {
            m_ipv4->Insert(guard, i);
        }
    }
    for (uint8_t proto : {PROTO_ESP, PROTO_AH, PROTO_IPCOMP})
    {
        m_ipv4->Insert(CreateObject<IpsecInboundProtocol>(Ptr<IpsecLayer>(this), proto));
    }

    // Config paths reach the databases as /NodeList/N/$ns3::SecurityPolicyDatabase/...
    node->AggregateObject(m_spd);
    node->AggregateObject(m_sad);
}

Ptr<SecurityPolicyDatabase>
IpsecLayer::GetSpd() const
{
    return m_spd;
}

Ptr<SecurityAssociationDatabase>
IpsecLayer::GetSad() const
{
    return m_sad;
}

const IpsecCounters&
IpsecLayer::GetCounters() const
{
    return m_counters;
}

uint64_t
IpsecLayer::GetDrops(IpsecDropReason reason) const
{
    return m_counters.drops[static_cast<int>(reason)];
}

uint64_t
IpsecLayer::GetTotalDrops() const
{
    uint64_t total = 0;
    for (uint64_t d : m_counters.drops)
    {
        total += d;
    }
    return total;
}

CryptoMode
IpsecLayer::GetCryptoMode() const
{
    return static_cast<CryptoMode>(m_cryptoModeValue);
}

PacketSelector
IpsecLayer::MakeSelector(Ptr<const Packet> p,
                         Ipv4Address source,
                         Ipv4Address destination,
                         uint8_t protocol)
{
    PacketSelector s{source, destination, protocol, 0, 0};
    if ((protocol == PROTO_UDP || protocol == PROTO_TCP) && p->GetSize() >= 4)
    {
        // UDP and TCP both start with source and destination port.
        uint8_t ports[4];
        p->CopyData(ports, 4);
        s.sourcePort = static_cast<uint16_t>((ports[0] << 8) | ports[1]);
        s.destinationPort = static_cast<uint16_t>((ports[2] << 8) | ports[3]);
    }
    return s;
}

bool
IpsecLayer::IsBypassed(const PacketSelector& s) const
{
    return (s.protocol == PROTO_UDP || s.protocol == PROTO_TCP) &&
           (m_bypassPorts.count(s.sourcePort) != 0 || m_bypassPorts.count(s.destinationPort) != 0);
}

void
IpsecLayer::Drop(Ptr<const Packet> p, const Ipv4Header& header, IpsecDropReason reason)
{
    NS_LOG_INFO("node " << (m_node ? m_node->GetId() : 0) << " drops " << header.GetSource()
                        << " > " << header.GetDestination() << ": " << ToString(reason));
    ++m_counters.drops[static_cast<int>(reason)];
    m_dropTrace(p, header, reason);
}

uint16_t
IpsecLayer::NextIdentification()
{
    return m_identification++;
}

void
IpsecLayer::Send(IpL4Protocol::DownTargetCallback original,
                 Ptr<Packet> p,
                 Ipv4Address source,
                 Ipv4Address destination,
                 uint8_t protocol,
                 Ptr<Ipv4Route> route)
{
    NS_LOG_FUNCTION(this << p << source << destination << +protocol);
    // The header is only for traces and drops; most packets never need it.
    auto makeHeader = [&]() {
        Ipv4Header h;
        h.SetSource(source);
        h.SetDestination(destination);
        h.SetProtocol(protocol);
        h.SetPayloadSize(p->GetSize());
        return h;
    };
    auto sendPlain = [&]() {
        ++m_counters.plainTxPackets;
        m_counters.plainTxBytes += p->GetSize();
        if (!m_plainTxTrace.IsEmpty())
        {
            m_plainTxTrace(p, makeHeader());
        }
        original(p, source, destination, protocol, route);
    };

    // Broadcasts and multicasts (DHCP, routing protocols) have no IPsec peer.
    if (destination.IsBroadcast() || destination.IsMulticast() || source.IsAny())
    {
        sendPlain();
        return;
    }
    PacketSelector sel = MakeSelector(p, source, destination, protocol);
    if (IsBypassed(sel))
    {
        sendPlain();
        return;
    }
    const SecurityPolicy* policy = m_spd->Lookup(PolicyDirection::OUT, sel);
    PolicyAction action = policy != nullptr ? policy->action : m_spd->GetNoMatchAction();
    if (action == PolicyAction::NONE)
    {
        sendPlain();
        return;
    }
    if (action == PolicyAction::DISCARD)
    {
        Drop(p, makeHeader(), IpsecDropReason::POLICY_DISCARD);
        return;
    }

    // Find an SA for each request; a missing SA is fatal at level require/unique and skips
    // the request at use/default (KAME semantics).
    std::vector<std::pair<const IpsecRequest*, Ptr<SecurityAssociation>>> chain;
    Ipv4Address cs = source;
    Ipv4Address cd = destination;
    for (const IpsecRequest& r : policy->requests)
    {
        bool tunnel = r.mode == IpsecMode::TUNNEL;
        Ipv4Address es = tunnel ? r.tunnelSource : cs;
        Ipv4Address ed = tunnel ? r.tunnelDestination : cd;
        Ptr<SecurityAssociation> sa = m_sad->FindOutbound(es, ed, r.protocol, r.mode, r.uniqueId);
        if (!sa)
        {
            m_acquireTrace(*policy, r, sel);
            if (IsStrongLevel(r))
            {
                Drop(p, makeHeader(), IpsecDropReason::NO_SA);
                return;
            }
            continue;
        }
        chain.emplace_back(&r, sa);
        cs = es;
        cd = ed;
    }
    if (chain.empty())
    {
        sendPlain();
        return;
    }

    // Apply the bundle in setkey order: `esp/... ah/...` gives IP|AH|ESP|payload.
    uint8_t ttl = m_defaultTtl;
    SocketIpTtlTag ttlTag;
    if (p->RemovePacketTag(ttlTag))
    {
        ttl = ttlTag.GetTtl(); // must not leak into the outer header's TTL
    }
    uint32_t innerSize = p->GetSize();
    Ptr<Packet> cur = p;
    uint8_t next = protocol;
    cs = source;
    cd = destination;
    uint16_t id = NextIdentification();
    bool tunnelled = false;
    Time delay(0);
    for (const auto& [r, sa] : chain)
    {
        if (r->mode == IpsecMode::TUNNEL)
        {
            Ipv4Header inner;
            inner.SetSource(cs);
            inner.SetDestination(cd);
            inner.SetProtocol(next);
            inner.SetTtl(ttl);
            inner.SetIdentification(id);
            inner.SetPayloadSize(cur->GetSize());
            if (Node::ChecksumEnabled())
            {
                inner.EnableChecksum();
            }
            cur = cur->Copy();
            cur->AddHeader(inner);
            next = PROTO_IPIP;
            cs = r->tunnelSource;
            cd = r->tunnelDestination;
            id = NextIdentification();
            tunnelled = true;
        }
        uint32_t bytes = cur->GetSize();
        TransformResult res;
        switch (sa->protocol)
        {
        case IpsecProtocol::ESP:
            res = EspTransform::Protect(cur, next, *sa, GetCryptoMode());
            break;
        case IpsecProtocol::AH:
            res = AhTransform::Protect(cur, next, cs, cd, id, *sa, GetCryptoMode());
            break;
        case IpsecProtocol::IPCOMP:
            res = IpcompTransform::Protect(cur, next, *sa, m_ipcompThreshold);
            break;
        }
        if (res.drop)
        {
            Ipv4Header h = makeHeader();
            h.SetSource(cs);
            h.SetDestination(cd);
            Drop(cur, h, *res.drop);
            return;
        }
        cur = res.packet;
        next = res.nextHeader;
        if (m_cost)
        {
            delay = Max(delay,
                        m_cost->ProcessPacket(sa->protocol,
                                              sa->encryption,
                                              sa->authentication,
                                              true,
                                              bytes));
        }
    }

    Ipv4Header header;
    header.SetSource(cs);
    header.SetDestination(cd);
    header.SetProtocol(next);
    header.SetTtl(ttl);
    header.SetIdentification(id);
    header.SetPayloadSize(cur->GetSize());
    ++m_counters.protectedTxPackets;
    m_counters.protectedTxBytes += innerSize;
    // IPComp can make the protected packet smaller than the inner one: count that apart
    // instead of wrapping the unsigned difference.
    if (cur->GetSize() >= innerSize)
    {
        m_counters.overheadTxBytes += cur->GetSize() - innerSize;
    }
    else
    {
        m_counters.compressionSavedTxBytes += innerSize - cur->GetSize();
    }
    Ptr<Ipv4Route> outRoute = tunnelled ? nullptr : route;
    if (delay.IsStrictlyPositive())
    {
        Simulator::Schedule(delay, &IpsecLayer::SendProtected, this, cur, header, outRoute);
    }
    else
    {
        SendProtected(cur, header, outRoute);
    }
}

void
IpsecLayer::SendProtected(Ptr<Packet> p, Ipv4Header header, Ptr<Ipv4Route> route)
{
    NS_LOG_FUNCTION(this << p << header);
    if (!route || route->GetDestination() != header.GetDestination())
    {
        Socket::SocketErrno err;
        Ptr<Ipv4RoutingProtocol> routing = m_ipv4->GetRoutingProtocol();
        route = routing ? routing->RouteOutput(p, header, nullptr, err) : nullptr;
    }
    m_protectedTxTrace(p, header);
    // SendWithHeader drops (and traces) a packet without route.
    m_ipv4->SendWithHeader(p, header, route);
}

IpL4Protocol::RxStatus
IpsecLayer::ReceiveProtected(uint8_t protocol,
                             Ptr<Packet> p,
                             const Ipv4Header& header,
                             Ptr<Ipv4Interface> incomingInterface)
{
    NS_LOG_FUNCTION(this << +protocol << p << header);
    IpsecProtocol ipsecProtocol = FromProtocolNumber(protocol);

    // What this node already removed from the packet (outer layers of a bundle).
    IpsecTag tag;
    if (!p->RemovePacketTag(tag) || tag.GetNodeId() != m_node->GetId())
    {
        tag = IpsecTag();
        tag.SetNodeId(m_node->GetId());
    }
    if (tag.GetApplied().size() >= IpsecTag::MAX_APPLIED)
    {
        // No more layers than the tag can record (Linux: XFRM_MAX_DEPTH). Unbounded, nested
        // IPComp (no ICV to forge) recursed once per layer: 7000 layers in one 63 KB packet
        // overflowed the stack.
        Drop(p, header, IpsecDropReason::MALFORMED);
        return IpL4Protocol::RX_ENDPOINT_CLOSED;
    }

    // The SPI: ESP at offset 0 (4 bytes), AH at offset 4 (4 bytes), IPComp CPI at 2 (2 bytes).
    uint8_t head[8];
    uint32_t need = ipsecProtocol == IpsecProtocol::AH ? 8 : 4;
    if (p->GetSize() < need)
    {
        Drop(p, header, IpsecDropReason::MALFORMED);
        return IpL4Protocol::RX_ENDPOINT_CLOSED;
    }
    p->CopyData(head, need);
    uint32_t spi = 0;
    switch (ipsecProtocol)
    {
    case IpsecProtocol::ESP:
        spi = (uint32_t(head[0]) << 24) | (uint32_t(head[1]) << 16) | (uint32_t(head[2]) << 8) |
              head[3];
        break;
    case IpsecProtocol::AH:
        spi = (uint32_t(head[4]) << 24) | (uint32_t(head[5]) << 16) | (uint32_t(head[6]) << 8) |
              head[7];
        break;
    case IpsecProtocol::IPCOMP:
        spi = (uint32_t(head[2]) << 8) | head[3];
        break;
    }
    Ptr<SecurityAssociation> sa = m_sad->FindInbound(spi, header.GetDestination(), ipsecProtocol);
    if (!sa)
    {
        Drop(p, header, IpsecDropReason::UNKNOWN_SPI);
        return IpL4Protocol::RX_ENDPOINT_CLOSED;
    }
    sa->UpdateState(Simulator::Now());
    if (sa->GetState() == SaState::HARD_EXPIRED)
    {
        Drop(p, header, IpsecDropReason::SA_EXPIRED);
        return IpL4Protocol::RX_ENDPOINT_CLOSED;
    }

    uint32_t bytes = p->GetSize();
    TransformResult res;
    switch (ipsecProtocol)
    {
    case IpsecProtocol::ESP:
        res = EspTransform::Unprotect(p, *sa, GetCryptoMode());
        break;
    case IpsecProtocol::AH:
        res = AhTransform::Unprotect(p,
                                     header.GetSource(),
                                     header.GetDestination(),
                                     header.GetIdentification(),
                                     *sa,
                                     GetCryptoMode());
        break;
    case IpsecProtocol::IPCOMP:
        res = IpcompTransform::Unprotect(p, *sa);
        break;
    }
    if (res.drop)
    {
        Drop(p, header, *res.drop);
        return IpL4Protocol::RX_ENDPOINT_CLOSED;
    }
    tag.Add(IpsecTag::Applied{ipsecProtocol, sa->mode, sa->spi});
    Ptr<Packet> inner = res.packet;
    inner->AddPacketTag(tag);

    Ipv4Header innerHeader = header;
    innerHeader.SetProtocol(res.nextHeader);
    innerHeader.SetPayloadSize(inner->GetSize());
    Time delay(0);
    if (m_cost)
    {
        delay =
            m_cost->ProcessPacket(sa->protocol, sa->encryption, sa->authentication, false, bytes);
    }
    if (delay.IsStrictlyPositive())
    {
        Simulator::Schedule(delay,
                            &IpsecLayer::DeliverInner,
                            this,
                            res.nextHeader,
                            inner,
                            innerHeader,
                            incomingInterface);
    }
    else
    {
        DeliverInner(res.nextHeader, inner, innerHeader, incomingInterface);
    }
    return IpL4Protocol::RX_OK;
}

void
IpsecLayer::DeliverInner(uint8_t nextHeader,
                         Ptr<Packet> inner,
                         Ipv4Header header,
                         Ptr<Ipv4Interface> incomingInterface)
{
    NS_LOG_FUNCTION(this << +nextHeader << inner);
    if (!m_ipv4)
    {
        return; // disposed while the CPU was busy
    }
    Ptr<NetDevice> device = incomingInterface->GetDevice();
    int32_t iif = m_ipv4->GetInterfaceForDevice(device);
    if (nextHeader == PROTO_ESP || nextHeader == PROTO_AH || nextHeader == PROTO_IPCOMP)
    {
        ReceiveProtected(nextHeader, inner, header, incomingInterface);
        return;
    }
    if (nextHeader == PROTO_UDP || nextHeader == PROTO_TCP)
    {
        // Transport mode: straight to the upper protocol (through its guard), as
        // LocalDeliver would have done for a clear packet.
        Ptr<IpL4Protocol> l4 = m_ipv4->GetProtocol(nextHeader, iif);
        if (!l4)
        {
            return;
        }
        Ptr<Packet> copy = inner->Copy();
        if (l4->Receive(inner, header, incomingInterface) == IpL4Protocol::RX_ENDPOINT_UNREACH &&
            !header.GetDestination().IsBroadcast() && !header.GetDestination().IsMulticast())
        {
            if (auto icmp = m_node->GetObject<Icmpv4L4Protocol>())
            {
                copy->RemoveAllPacketTags();
                icmp->SendDestUnreachPort(header, copy);
            }
        }
        return;
    }
    Ptr<Packet> packet = inner;
    if (nextHeader != PROTO_IPIP)
    {
        // ICMP and others: re-inject with a rebuilt header, so raw sockets see the packet.
        if (Node::ChecksumEnabled())
        {
            header.EnableChecksum();
        }
        packet = inner->Copy();
        packet->AddHeader(header);
    }
    else if (packet->GetSize() < 20)
    {
        Drop(packet, header, IpsecDropReason::MALFORMED);
        return;
    }
    // Tunnel mode: the inner IPv4 packet is received anew, so it is forwarded or delivered
    // by the normal rules (and the Rx trace sees it a second time, in clear).
    m_ipv4->Receive(device,
                    packet,
                    Ipv4L3Protocol::PROT_NUMBER,
                    device->GetAddress(),
                    device->GetAddress(),
                    NetDevice::PACKET_HOST);
}

bool
IpsecLayer::CheckInbound(Ptr<Packet> p, const Ipv4Header& header)
{
    NS_LOG_FUNCTION(this << p << header);
    IpsecTag tag;
    bool verified = p->RemovePacketTag(tag) && tag.GetNodeId() == m_node->GetId();
    PacketSelector sel =
        MakeSelector(p, header.GetSource(), header.GetDestination(), header.GetProtocol());
    auto accept = [&]() {
        if (verified)
        {
            ++m_counters.protectedRxPackets;
            m_counters.protectedRxBytes += p->GetSize();
            m_protectedRxTrace(p, header);
        }
        else
        {
            ++m_counters.plainRxPackets;
            m_counters.plainRxBytes += p->GetSize();
            m_plainRxTrace(p, header);
        }
        return true;
    };
    if (IsBypassed(sel) || header.GetDestination().IsBroadcast() ||
        header.GetDestination().IsMulticast())
    {
        return accept();
    }
    const SecurityPolicy* policy = m_spd->Lookup(PolicyDirection::IN, sel);
    PolicyAction action = policy != nullptr ? policy->action : m_spd->GetNoMatchAction();
    switch (action)
    {
    case PolicyAction::DISCARD:
        Drop(p, header, IpsecDropReason::POLICY_DISCARD);
        return false;
    case PolicyAction::NONE:
        // As Linux: a bypass policy accepts transport-mode protection but not a tunnel.
        if (verified)
        {
            for (const auto& a : tag.GetApplied())
            {
                if (a.mode == IpsecMode::TUNNEL)
                {
                    Drop(p, header, IpsecDropReason::PROTECTION_MISMATCH);
                    return false;
                }
            }
        }
        return accept();
    case PolicyAction::IPSEC:
        break;
    }
    for (const IpsecRequest& r : policy->requests)
    {
        // IPComp is optional on input: the sender skips it when it would not shrink the packet.
        if (!IsStrongLevel(r) || r.protocol == IpsecProtocol::IPCOMP)
        {
            continue;
        }
        if (!verified)
        {
            Drop(p, header, IpsecDropReason::PLAIN_UNDER_REQUIRE);
            return false;
        }
        bool satisfied = false;
        for (const auto& a : tag.GetApplied())
        {
            satisfied = satisfied || (a.protocol == r.protocol && a.mode == r.mode);
        }
        if (!satisfied)
        {
            Drop(p, header, IpsecDropReason::PROTECTION_MISMATCH);
            return false;
        }
    }
    return accept();
}

} // namespace ns3
