/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ipsec-layer.h"

#include "ah-transform.h"
#include "crypto-cost-model.h"
#include "ecn-tunnel.h"
#include "esp-transform.h"
#include "ipcomp-transform.h"
#include "ipsec-forward-routing.h"
#include "ipsec-inbound-protocol.h"
#include "ipsec-policy-guard.h"
#include "ipsec-transform-result.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/enum.h"
#include "ns3/icmpv4-l4-protocol.h"
#include "ns3/ipv4-interface.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/object-vector.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/string.h"
#include "ns3/tcp-l4-protocol.h"
#include "ns3/tcp-socket-base.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

#include <algorithm>
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

/// Largest IPv4 datagram (the total length field has 16 bits).
constexpr uint32_t MAX_DATAGRAM = 65535;
constexpr uint32_t IPV4_HEADER = 20;

/// Whether a next header is another IPsec layer (a bundle's inner one).
bool
IsIpsecHeader(uint8_t nextHeader)
{
    return nextHeader == PROTO_ESP || nextHeader == PROTO_AH || nextHeader == PROTO_IPCOMP;
}

/// ICMP error types that quote the offending datagram (RFC 792).
bool
IsIcmpError(uint8_t type)
{
    return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

/// What a clear packet carries: one list shared by every layer, so that checking a clear
/// packet reads no line of the layer's own for it.
const IpsecTag::AppliedList&
NothingApplied()
{
    static const IpsecTag::AppliedList none;
    return none;
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
                          "Local UDP/TCP ports of the signalling services (key exchange, "
                          "presence) whose packets bypass the SPD, comma separated. As Linux's "
                          "per-socket bypass of the IKE daemon: a packet bypasses only if it "
                          "leaves from or arrives at such a local port, or belongs to a "
                          "connection this node opened to such a port of a peer; a packet that "
                          "merely comes from a peer's port 500/4500/5060 to another local port "
                          "goes through the SPD. At most 8 ports.",
                          StringValue("500,4500,5060"),
                          MakeStringAccessor(&IpsecLayer::SetBypassPorts),
                          MakeStringChecker())
            .AddAttribute("ProtectForwarded",
                          "Act as a security gateway: forwarded packets go through the fwd "
                          "policies and, where an out policy asks for it, are protected in "
                          "tunnel mode (IpsecForwardRouting wraps the routing protocol at "
                          "Install, so set routes up before).",
                          BooleanValue(false),
                          MakeBooleanAccessor(&IpsecLayer::m_protectForwarded),
                          MakeBooleanChecker())
            .AddAttribute("LevelSemantics",
                          "What the level `default` means. kame: the system default, which "
                          "KAME ships as `use` (protect if an SA exists); linux: Linux af_key, "
                          "where only `use` is optional and `default` is mandatory like "
                          "`require`.",
                          EnumValue(static_cast<int>(LevelSemantics::KAME)),
                          MakeEnumAccessor(&IpsecLayer::m_levelSemantics),
                          MakeEnumChecker(static_cast<int>(LevelSemantics::KAME),
                                          "kame",
                                          static_cast<int>(LevelSemantics::LINUX),
                                          "linux"))
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
            .AddTraceSource("ProtectedForwarded",
                            "A protected packet was verified and is forwarded (inner form).",
                            MakeTraceSourceAccessor(&IpsecLayer::m_protectedForwardedTrace),
                            "ns3::IpsecLayer::PacketTracedCallback")
            .AddTraceSource("PlainTx",
                            "A packet was sent in clear.",
                            MakeTraceSourceAccessor(&IpsecLayer::m_plainTxTrace),
                            "ns3::IpsecLayer::PacketTracedCallback")
            .AddTraceSource("ReadableTx",
                            "A packet was sent under IPsec that leaves it readable on the wire: "
                            "no ESP SA of its bundle encrypts (AH, ESP with NULL encryption, "
                            "IPComp, or a mix of them) (inner form).",
                            MakeTraceSourceAccessor(&IpsecLayer::m_readableTxTrace),
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

namespace
{

/// The IPsec layer's side of the key-management SAP: the SAD and the SPD behind it.
class LayerKeyManagementProvider : public KeyManagementSapProvider
{
  public:
    /** \param layer the layer (owns this object) */
    explicit LayerKeyManagementProvider(IpsecLayer* layer)
        : m_layer(layer)
    {
    }

    bool AddSa(Ptr<SecurityAssociation> sa) override
    {
        return m_layer->GetSad()->Add(sa);
    }

    bool RemoveSa(uint32_t spi, Ipv4Address destination, IpsecProtocol protocol) override
    {
        return m_layer->GetSad()->Remove(spi, destination, protocol);
    }

    bool ReaddressSa(uint32_t spi,
                     Ipv4Address destination,
                     IpsecProtocol protocol,
                     Ipv4Address newSource,
                     Ipv4Address newDestination) override
    {
        return m_layer->GetSad()->Readdress(spi, destination, protocol, newSource, newDestination);
    }

    bool IsInboundSpiInUse(uint32_t spi, Ipv4Address local, IpsecProtocol protocol) const override
    {
        return m_layer->GetSad()->FindInbound(spi, local, protocol) != nullptr;
    }

    bool HasOutboundSa(Ipv4Address source,
                       Ipv4Address destination,
                       IpsecProtocol protocol,
                       IpsecMode mode,
                       uint32_t reqid) const override
    {
        return m_layer->GetSad()->FindOutbound(source, destination, protocol, mode, reqid) !=
               nullptr;
    }

    std::vector<SecurityPolicy> GetPolicies(PolicyDirection direction) const override
    {
        return m_layer->GetSpd()->GetEntries(direction);
    }

  private:
    IpsecLayer* m_layer; //!< the layer
};

} // namespace

IpsecLayer::IpsecLayer()
    : m_spd(CreateObject<SecurityPolicyDatabase>()),
      m_sad(CreateObject<SecurityAssociationDatabase>()),
      m_cryptoModeValue(static_cast<int>(CryptoMode::MODELED)),
      m_ipcompThreshold(90),
      m_levelSemantics(static_cast<int>(LevelSemantics::KAME)),
      m_defaultTtl(64),
      m_kmProvider(std::make_unique<LayerKeyManagementProvider>(this))
{
    NS_LOG_FUNCTION(this);
    m_spd->AddEditListener(MakeCallback(&IpsecLayer::ForgetLookups, this));
}

IpsecLayer::~IpsecLayer()
{
    NS_LOG_FUNCTION(this);
}

void
IpsecLayer::DoDispose()
{
    SetKeyManagementSapUser(nullptr);
    m_node = nullptr;
    m_ipv4 = nullptr;
    m_cost = nullptr;
    m_spd->RemoveEditListener(MakeCallback(&IpsecLayer::ForgetLookups, this));
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
    NS_ABORT_MSG_IF(ports.size() > MAX_BYPASS_PORTS,
                    "IpsecLayer::BypassPorts: " << ports.size() << " ports in '" << text
                                                << "', at most " << MAX_BYPASS_PORTS);
    m_bypassPorts.fill(0);
    std::copy(ports.begin(), ports.end(), m_bypassPorts.begin());
    m_nBypassPorts = static_cast<uint8_t>(ports.size());
    ForgetLookups();
}

bool
IpsecLayer::IsBypassPort(uint16_t port) const
{
    const auto end = m_bypassPorts.begin() + m_nBypassPorts;
    return std::find(m_bypassPorts.begin(), end, port) != end;
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
        // When the original target is this stack's own Ipv4::Send (as UDP, TCP and ICMP set
        // it), DownTarget calls that directly, and the callback holds only two pointers: so
        // little that std::function keeps it in itself instead of on the heap (a cache line
        // less per packet sent). m_ipv4 holds the reference the original callback held.
        IpL4Protocol::DownTargetCallback original = l4->GetDownTarget();
        if (original.IsEqual(MakeCallback(&Ipv4::Send, Ptr<Ipv4>(m_ipv4))))
        {
            Ipv4* direct = PeekPointer(m_ipv4);
            l4->SetDownTarget(
                IpL4Protocol::DownTargetCallback([this, direct](Ptr<Packet> p,
                                                                Ipv4Address src,
                                                                Ipv4Address dst,
                                                                uint8_t protocol,
                                                                Ptr<Ipv4Route> route) {
                    Send(DownTarget{direct, {}}, p, src, dst, protocol, route);
                }));
            continue;
        }
        DownTarget next{nullptr, original};
        l4->SetDownTarget(IpL4Protocol::DownTargetCallback(
            [this, next](Ptr<Packet> p,
                         Ipv4Address src,
                         Ipv4Address dst,
                         uint8_t protocol,
                         Ptr<Ipv4Route> route) { Send(next, p, src, dst, protocol, route); }));
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
    // IPIP too: an IPComp tunnel sends what it cannot compress as plain IPIP (Linux's
    // IPIP state for IPComp), which only an IPComp tunnel SA from that source may accept.
    for (uint8_t proto : {PROTO_ESP, PROTO_AH, PROTO_IPCOMP, PROTO_IPIP})
    {
        m_ipv4->Insert(CreateObject<IpsecInboundProtocol>(Ptr<IpsecLayer>(this), proto));
    }

    if (m_protectForwarded)
    {
        m_ipv4->SetRoutingProtocol(
            CreateObject<IpsecForwardRouting>(Ptr<IpsecLayer>(this), m_ipv4->GetRoutingProtocol()));
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

KeyManagementSapProvider*
IpsecLayer::GetKeyManagementSapProvider()
{
    return m_kmProvider.get();
}

void
IpsecLayer::SetKeyManagementSapUser(KeyManagementSapUser* user)
{
    m_kmUser = user;
    if (m_sad)
    {
        m_sad->SetKeyManagementSapUser(user);
    }
}

Ptr<SecurityAssociationDatabase>
IpsecLayer::GetSad() const
{
    return m_sad;
}

const IpsecLayer::Stats&
IpsecLayer::GetStats() const
{
    m_stats.plainTxPackets = m_plainTxPackets;
    m_stats.plainTxBytes = m_plainTxBytes;
    m_stats.plainRxPackets = m_plainRxPackets;
    m_stats.plainRxBytes = m_plainRxBytes;
    return m_stats;
}

uint64_t
IpsecLayer::GetDrops(IpsecDropReason reason) const
{
    return m_stats.drops[static_cast<int>(reason)];
}

uint64_t
IpsecLayer::GetTotalDrops() const
{
    uint64_t total = 0;
    for (uint64_t d : m_stats.drops)
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
IpsecLayer::IsMandatory(const IpsecRequest& r) const
{
    switch (r.GetLevel())
    {
    case IpsecLevel::USE:
        return false;
    case IpsecLevel::DEFAULT:
        return static_cast<LevelSemantics>(m_levelSemantics) == LevelSemantics::LINUX;
    case IpsecLevel::REQUIRE:
    case IpsecLevel::UNIQUE:
        return true;
    }
    return true;
}

bool
IpsecLayer::IsSignalling(const PacketSelector& s) const
{
    return (s.protocol == PROTO_UDP || s.protocol == PROTO_TCP) &&
           (IsBypassPort(s.sourcePort) || IsBypassPort(s.destinationPort));
}

bool
IpsecLayer::IsBypassedOut(const PacketSelector& s)
{
    if (!IsSignalling(s))
    {
        return false;
    }
    if (!IsBypassPort(s.sourcePort))
    {
        // A local client of a peer's signalling service (a presence connection from an
        // ephemeral port): its replies bypass too, as they would reach its socket in Linux.
        if (m_bypassFlows
                .insert(
                    BypassFlow{s.protocol, s.sourcePort, s.destination.Get(), s.destinationPort})
                .second)
        {
            m_lastIn.flags = 0; // its replies bypass from now on
        }
    }
    return true;
}

bool
IpsecLayer::IsBypassedIn(const PacketSelector& s) const
{
    if (s.protocol != PROTO_UDP && s.protocol != PROTO_TCP)
    {
        return false;
    }
    if (IsBypassPort(s.destinationPort))
    {
        return true; // to the local signalling service
    }
    return IsBypassPort(s.sourcePort) &&
           m_bypassFlows.count(
               BypassFlow{s.protocol, s.destinationPort, s.source.Get(), s.sourcePort}) != 0;
}

bool
IpsecLayer::IsBypassed(PolicyDirection direction, const PacketSelector& s)
{
    LastLookup& last = Last(direction);
    if (last.Matches(s) && (last.flags & LastLookup::BYPASS_KNOWN) != 0)
    {
        return (last.flags & LastLookup::BYPASSED) != 0;
    }
    // Computed before touching `last`: IsBypassedOut may forget m_lastIn.
    const bool bypassed = direction == PolicyDirection::OUT ? IsBypassedOut(s) : IsBypassedIn(s);
    if (!last.Matches(s))
    {
        last.Ask(s);
    }
    last.flags |= LastLookup::BYPASS_KNOWN | (bypassed ? LastLookup::BYPASSED : 0);
    return bypassed;
}

void
IpsecLayer::Drop(Ptr<const Packet> p, const Ipv4Header& header, IpsecDropReason reason)
{
    NS_LOG_INFO("node " << (m_node ? m_node->GetId() : 0) << " drops " << header.GetSource()
                        << " > " << header.GetDestination() << ": " << ToString(reason));
    ++m_stats.drops[static_cast<int>(reason)];
    m_dropTrace(p, header, reason);
}

uint16_t
IpsecLayer::NextIdentification()
{
    return m_identification++;
}

const SecurityPolicy*
IpsecLayer::LookupPolicy(PolicyDirection direction,
                         const PacketSelector& sel,
                         PolicyAction& action) const
{
    LastLookup& last = Last(direction);
    if (!last.Matches(sel))
    {
        last.Ask(sel);
    }
    if ((last.flags & LastLookup::POLICY) == 0)
    {
        const SecurityPolicy* policy = m_spd->Lookup(direction, sel);
        last.action = policy != nullptr ? policy->action : m_spd->GetNoMatchAction();
        last.policy = policy;
        last.flags |= LastLookup::POLICY;
    }
    action = last.action;
    return last.policy;
}

IpsecLayer::LastLookup&
IpsecLayer::Last(PolicyDirection direction) const
{
    switch (direction)
    {
    case PolicyDirection::IN:
        return m_lastIn;
    case PolicyDirection::OUT:
        return m_lastOut;
    case PolicyDirection::FWD:
        break;
    }
    return m_lastFwd;
}

void
IpsecLayer::ForgetLookups()
{
    m_lastIn.flags = 0;
    m_lastOut.flags = 0;
    m_lastFwd.flags = 0;
}

const SecurityPolicy*
IpsecLayer::LookupOutbound(Ptr<const Packet> p,
                           const PacketSelector& sel,
                           PolicyAction& action) const
{
    const SecurityPolicy* policy = LookupPolicy(PolicyDirection::OUT, sel, action);
    if (sel.protocol != PROTO_ICMP || action == PolicyAction::IPSEC)
    {
        return policy;
    }
    // An ICMP error about a datagram is protected as that datagram's flow would be (Linux
    // icmp_route_lookup with XFRM_LOOKUP_ICMP): a port unreachable quoting a decrypted UDP
    // header must not leave in clear under a `udp`-only policy.
    uint8_t buf[8 + 60 + 4];
    uint32_t n = p->CopyData(buf, sizeof(buf));
    if (n < 8 + IPV4_HEADER || !IsIcmpError(buf[0]))
    {
        return policy;
    }
    const uint8_t* q = buf + 8;
    uint32_t ihl = (q[0] & 0x0f) * 4u;
    if ((q[0] >> 4) != 4 || ihl < IPV4_HEADER)
    {
        return policy;
    }
    PacketSelector flow{sel.source, sel.destination, q[9], 0, 0};
    // The quoted datagram came from our peer to us: the reply flow swaps its ports.
    if ((flow.protocol == PROTO_UDP || flow.protocol == PROTO_TCP) && n >= 8 + ihl + 4)
    {
        flow.sourcePort = static_cast<uint16_t>((q[ihl + 2] << 8) | q[ihl + 3]);
        flow.destinationPort = static_cast<uint16_t>((q[ihl] << 8) | q[ihl + 1]);
    }
    const SecurityPolicy* flowPolicy = m_spd->Lookup(PolicyDirection::OUT, flow);
    if (flowPolicy != nullptr && flowPolicy->action == PolicyAction::IPSEC)
    {
        action = PolicyAction::IPSEC;
        return flowPolicy;
    }
    return policy;
}

void
IpsecLayer::DownTarget::operator()(Ptr<Packet> p,
                                   Ipv4Address source,
                                   Ipv4Address destination,
                                   uint8_t protocol,
                                   Ptr<Ipv4Route> route) const
{
    if (direct)
    {
        direct->Send(p, source, destination, protocol, route);
    }
    else
    {
        another(p, source, destination, protocol, route);
    }
}

void
IpsecLayer::Send(const DownTarget& next,
                 Ptr<Packet> p,
                 Ipv4Address source,
                 Ipv4Address destination,
                 uint8_t protocol,
                 Ptr<Ipv4Route> route)
{
    // No NS_LOG_FUNCTION here, in CheckInbound or in the guard's Receive: run for every
    // packet, the log component's check alone costs a cache miss (drops are still logged).
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
        ++m_plainTxPackets;
        m_plainTxBytes += p->GetSize();
        if (!m_plainTxTrace.IsEmpty())
        {
            m_plainTxTrace(p, makeHeader());
        }
        next(p, source, destination, protocol, route);
    };

    auto countBypass = [&]() {
        ++m_stats.bypassTxPackets;
        m_stats.bypassTxBytes += p->GetSize();
    };
    // Broadcasts and multicasts (DHCP, routing protocols) have no IPsec peer to send to; on
    // input they go through the inbound SPD like any packet.
    if (destination.IsBroadcast() || destination.IsMulticast() || source.IsAny())
    {
        // Counted as signalling all the same when from or to a signalling port.
        if (IsSignalling(MakeSelector(p, source, destination, protocol)))
        {
            countBypass();
        }
        sendPlain();
        return;
    }
    PacketSelector sel = MakeSelector(p, source, destination, protocol);
    if (IsBypassed(PolicyDirection::OUT, sel))
    {
        countBypass();
        sendPlain();
        return;
    }
    PolicyAction action;
    const SecurityPolicy* policy = LookupOutbound(p, sel, action);
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

    // Acquire is fired only after the packet is done with the SPD's entries, with copies: a
    // handler may edit the SPD (negotiate, install, flush).
    Chain chain;
    std::vector<IpsecRequest> missing;
    bool fatal = ResolveChain(*policy, source, destination, chain, missing);
    if (!missing.empty())
    {
        SecurityPolicy copy = *policy;
        auto fire = [this, copy, missing, sel]() {
            for (const IpsecRequest& r : missing)
            {
                m_acquireTrace(copy, r, sel);
                if (m_kmUser != nullptr)
                {
                    m_kmUser->Acquire(copy, r, sel);
                }
            }
        };
        if (fatal)
        {
            Drop(p, makeHeader(), IpsecDropReason::NO_SA);
            fire();
            return;
        }
        if (chain.empty())
        {
            sendPlain();
            fire();
            return;
        }
        SizeTcpSegments(chain, p, sel, route);
        SendChain(chain, p, source, destination, protocol, route);
        fire();
        return;
    }
    if (chain.empty())
    {
        sendPlain();
        return;
    }
    SizeTcpSegments(chain, p, sel, route);
    SendChain(chain, p, source, destination, protocol, route);
}

bool
IpsecLayer::ResolveChain(const SecurityPolicy& policy,
                         Ipv4Address source,
                         Ipv4Address destination,
                         Chain& chain,
                         std::vector<IpsecRequest>& missing) const
{
    // An SA for each request; a missing SA is fatal at a mandatory level and skips the
    // request at an optional one.
    bool fatal = false;
    Ipv4Address cs = source;
    Ipv4Address cd = destination;
    for (const IpsecRequest& r : policy.requests)
    {
        bool tunnel = r.mode == IpsecMode::TUNNEL;
        Ipv4Address es = tunnel ? r.tunnelSource : cs;
        Ipv4Address ed = tunnel ? r.tunnelDestination : cd;
        Ptr<SecurityAssociation> sa = m_sad->FindOutbound(es, ed, r.protocol, r.mode, r.uniqueId);
        if (!sa)
        {
            missing.push_back(r);
            fatal = fatal || IsMandatory(r);
            continue;
        }
        chain.emplace_back(&r, sa);
        cs = es;
        cd = ed;
    }
    return fatal;
}

void
IpsecLayer::Forward(Ipv4RoutingProtocol::UnicastForwardCallback ucb,
                    Ptr<Ipv4Route> route,
                    Ptr<const Packet> p,
                    const Ipv4Header& header)
{
    NS_LOG_FUNCTION(this << p << header);
    if (!m_ipv4)
    {
        return;
    }
    // A forwarded packet does not keep this node's verification record: it is used for the
    // fwd policy here, then removed.
    Ptr<Packet> packet = p->Copy();
    IpsecTag tag;
    bool verified = TakeOwnTag(packet, tag);
    PacketSelector sel =
        MakeSelector(packet, header.GetSource(), header.GetDestination(), header.GetProtocol());
    if (auto reason = PolicyVerdict(PolicyDirection::FWD,
                                    sel,
                                    verified ? tag.GetApplied() : NothingApplied()))
    {
        Drop(packet, header, *reason);
        return;
    }
    ++m_stats.forwardedPackets;
    if (verified)
    {
        m_protectedForwardedTrace(packet, header);
        if (m_kmUser != nullptr)
        {
            m_kmUser->ProtectedReceived();
        }
    }
    // Protection on the way out: the out policies, as Linux looks up the forward path's flow.
    // A packet whose TTL ends here goes on to Ipv4L3Protocol for its ICMP time exceeded.
    PolicyAction action = PolicyAction::NONE;
    const SecurityPolicy* policy =
        header.GetTtl() > 1 ? LookupPolicy(PolicyDirection::OUT, sel, action) : nullptr;
    if (policy == nullptr || action == PolicyAction::NONE)
    {
        ucb(route, packet, header);
        return;
    }
    if (action == PolicyAction::DISCARD)
    {
        Drop(packet, header, IpsecDropReason::POLICY_DISCARD);
        return;
    }
    Chain chain;
    std::vector<IpsecRequest> missing;
    bool fatal = ResolveChain(*policy, header.GetSource(), header.GetDestination(), chain, missing);
    SecurityPolicy copy = *policy;
    if (fatal)
    {
        Drop(packet, header, IpsecDropReason::NO_SA);
    }
    else if (chain.empty())
    {
        ucb(route, packet, header);
    }
    else if (chain.front().first->mode != IpsecMode::TUNNEL)
    {
        // A gateway protects what it forwards in tunnel mode (RFC 4301 §4.1): a transport SA
        // would carry another node's packet with this node's addresses.
        Drop(packet, header, IpsecDropReason::MODE_MISMATCH);
    }
    else
    {
        Ipv4Header inner = header;
        inner.SetTtl(header.GetTtl() - 1);
        if (Node::ChecksumEnabled())
        {
            inner.EnableChecksum();
        }
        packet->AddHeader(inner);
        SendChain(chain,
                  packet,
                  header.GetSource(),
                  header.GetDestination(),
                  header.GetProtocol(),
                  nullptr,
                  true);
    }
    for (const IpsecRequest& r : missing)
    {
        m_acquireTrace(copy, r, sel);
        if (m_kmUser != nullptr)
        {
            m_kmUser->Acquire(copy, r, sel);
        }
    }
}

uint32_t
IpsecLayer::GetMaxInnerSize(const Chain& chain, uint32_t mtu)
{
    // Linux xfrm_state_mtu, from the outermost SA inwards: what is left of the MTU once each
    // SA's header, IV, padding, trailer, ICV (and, in tunnel mode, the inner IPv4 header)
    // are in. IPComp never grows a packet (it is skipped when it would not shrink it).
    uint32_t avail = mtu > IPV4_HEADER ? mtu - IPV4_HEADER : 0;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it)
    {
        const SecurityAssociation& sa = *it->second;
        switch (sa.protocol)
        {
        case IpsecProtocol::ESP: {
            uint32_t s = avail;
            // The overhead grows by at most one cipher block as the size shrinks.
            while (s > 0 && s + EspTransform::Overhead(sa, s) > avail)
            {
                --s;
            }
            avail = s;
            break;
        }
        case IpsecProtocol::AH: {
            uint32_t o = AhTransform::Overhead(sa);
            avail = avail > o ? avail - o : 0;
            break;
        }
        case IpsecProtocol::IPCOMP:
            break;
        }
        if (it->first->mode == IpsecMode::TUNNEL)
        {
            avail = avail > IPV4_HEADER ? avail - IPV4_HEADER : 0;
        }
    }
    return avail;
}

void
IpsecLayer::SizeTcpSegments(const Chain& chain,
                            Ptr<const Packet> p,
                            const PacketSelector& sel,
                            Ptr<Ipv4Route> route)
{
    // Linux's tcp_connect takes the MSS from the MTU of the route, which for protected
    // traffic is the xfrm bundle's (xfrm_state_mtu); ns-3.37's TCP has no MSS option and no
    // path-MTU discovery, so without this every full-size segment under IPsec leaves as two
    // fragments. The socket is sized when its first SYN passes, the one moment after
    // Connect at which ns-3 lets a segment size change (the socket is still CLOSED).
    if (sel.protocol != PROTO_TCP || p->GetSize() < 20 || !route || !route->GetOutputDevice())
    {
        return;
    }
    uint8_t tcp[14];
    p->CopyData(tcp, sizeof(tcp));
    if ((tcp[13] & 0x12) != 0x02) // SYN without ACK: an active open
    {
        return;
    }
    auto flow = BypassFlow{PROTO_TCP, sel.sourcePort, sel.destination.Get(), sel.destinationPort};
    if (!m_sizedConnections.insert(flow).second)
    {
        return; // a retransmitted SYN: the socket is in SYN_SENT and can no longer change
    }
    Ptr<TcpL4Protocol> tcpL4 = m_node->GetObject<TcpL4Protocol>();
    if (!tcpL4)
    {
        return;
    }
    ObjectVectorValue sockets;
    tcpL4->GetAttribute("SocketList", sockets);
    for (auto it = sockets.Begin(); it != sockets.End(); ++it)
    {
        Ptr<TcpSocketBase> socket = DynamicCast<TcpSocketBase>(it->second);
        Address local;
        Address peer;
        if (!socket || socket->GetSockName(local) != 0 || socket->GetPeerName(peer) != 0 ||
            !InetSocketAddress::IsMatchingType(local) || !InetSocketAddress::IsMatchingType(peer))
        {
            continue;
        }
        InetSocketAddress l = InetSocketAddress::ConvertFrom(local);
        InetSocketAddress r = InetSocketAddress::ConvertFrom(peer);
        if (l.GetPort() != sel.sourcePort || r.GetIpv4() != sel.destination ||
            r.GetPort() != sel.destinationPort)
        {
            continue;
        }
        BooleanValue timestamps;
        socket->GetAttribute("Timestamp", timestamps);
        uint32_t header = 20 + (timestamps.Get() ? 12 : 0); // options of every data segment
        uint32_t inner = GetMaxInnerSize(chain, route->GetOutputDevice()->GetMtu());
        UintegerValue segmentSize;
        socket->GetAttribute("SegmentSize", segmentSize);
        if (inner > header && segmentSize.Get() > inner - header)
        {
            NS_LOG_INFO("node " << m_node->GetId() << " sizes TCP segments to " << sel.destination
                                << ":" << sel.destinationPort << " at " << inner - header);
            socket->SetAttribute("SegmentSize", UintegerValue(inner - header));
        }
        return;
    }
}

void
IpsecLayer::SendChain(const Chain& chain,
                      Ptr<Packet> p,
                      Ipv4Address source,
                      Ipv4Address destination,
                      uint8_t protocol,
                      Ptr<Ipv4Route> route,
                      bool forwarded)
{
    // Apply the bundle in setkey order: `esp/... ah/...` gives IP|AH|ESP|payload.
    // The socket's TTL and TOS tags are consumed here: they describe the header built here
    // (in tunnel mode the inner one), and must not reach the receiver with the packet.
    uint8_t ttl = m_defaultTtl;
    uint8_t tos = 0;
    bool dontFragment = false;
    if (HasPacketTags(p))
    {
        SocketIpTtlTag ttlTag;
        if (p->RemovePacketTag(ttlTag))
        {
            ttl = ttlTag.GetTtl();
        }
        SocketIpTosTag tosTag;
        if (p->RemovePacketTag(tosTag))
        {
            tos = tosTag.GetTos();
        }
        SocketSetDontFragmentTag dfTag;
        dontFragment = p->RemovePacketTag(dfTag) && dfTag.IsEnabled();
    }
    // A forwarded packet comes with its own IPv4 header, the inner header of its tunnel.
    bool haveInnerHeader = forwarded;
    if (forwarded)
    {
        uint8_t first[2];
        p->CopyData(first, sizeof(first));
        tos = first[1];
    }
    auto dropHeader = [&](Ipv4Address s, Ipv4Address d) {
        Ipv4Header h;
        h.SetSource(s);
        h.SetDestination(d);
        h.SetProtocol(protocol);
        h.SetPayloadSize(static_cast<uint16_t>(std::min<uint32_t>(p->GetSize(), 0xffff)));
        return h;
    };
    uint32_t innerSize = p->GetSize();
    Ptr<Packet> cur = p;
    uint8_t next = forwarded ? PROTO_IPIP : protocol;
    Ipv4Address cs = source;
    Ipv4Address cd = destination;
    uint16_t id = NextIdentification();
    bool tunnelled = false;
    Time delay(0);
    for (const auto& [r, sa] : chain)
    {
        if (r->mode == IpsecMode::TUNNEL && haveInnerHeader)
        {
            haveInnerHeader = false;
        }
        else if (r->mode == IpsecMode::TUNNEL)
        {
            if (cur->GetSize() + IPV4_HEADER > MAX_DATAGRAM)
            {
                Drop(cur, dropHeader(cs, cd), IpsecDropReason::MESSAGE_TOO_LONG);
                return;
            }
            Ipv4Header inner;
            inner.SetSource(cs);
            inner.SetDestination(cd);
            inner.SetProtocol(next);
            inner.SetTtl(ttl);
            inner.SetTos(tos);
            inner.SetIdentification(id);
            inner.SetPayloadSize(cur->GetSize());
            if (Node::ChecksumEnabled())
            {
                inner.EnableChecksum();
            }
            cur = cur->Copy();
            cur->AddHeader(inner);
            next = PROTO_IPIP;
        }
        if (r->mode == IpsecMode::TUNNEL)
        {
            cs = r->tunnelSource;
            cd = r->tunnelDestination;
            id = NextIdentification();
            // RFC 4301 §5.1.2.1 / RFC 6040: the outer header copies DSCP, ECN in normal
            // mode, and has the node's own TTL (the inner one is the sender's).
            tos = static_cast<uint8_t>((tos & 0xfc) |
                                       EncapsulateEcn(static_cast<Ipv4Header::EcnType>(tos & 3)));
            ttl = m_defaultTtl;
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
            Drop(cur, dropHeader(cs, cd), *res.drop);
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
    if (cur->GetSize() + IPV4_HEADER > MAX_DATAGRAM)
    {
        // EMSGSIZE, as Linux: the length field would wrap.
        Drop(cur, dropHeader(cs, cd), IpsecDropReason::MESSAGE_TOO_LONG);
        return;
    }
    if (dontFragment && route && route->GetOutputDevice() &&
        cur->GetSize() + IPV4_HEADER > route->GetOutputDevice()->GetMtu())
    {
        // A DF datagram that fits the link but not once protected: dropped, and the local
        // sender learns the MTU left for it (Linux: ip_local_error with the bundle's MTU).
        uint32_t mtu = GetMaxInnerSize(chain, route->GetOutputDevice()->GetMtu()) + IPV4_HEADER;
        Drop(p, dropHeader(source, destination), IpsecDropReason::FRAGMENTATION_NEEDED);
        ReportFragmentationNeeded(p, source, destination, protocol, mtu);
        return;
    }

    Ipv4Header header;
    header.SetSource(cs);
    header.SetDestination(cd);
    header.SetProtocol(next);
    header.SetTtl(ttl);
    header.SetTos(tos);
    header.SetIdentification(id);
    header.SetPayloadSize(cur->GetSize());
    ++m_stats.protectedTxPackets;
    m_stats.protectedTxBytes += innerSize;
    // IPComp can make the protected packet smaller than the inner one: count that apart
    // instead of wrapping the unsigned difference.
    if (cur->GetSize() >= innerSize)
    {
        m_stats.overheadTxBytes += cur->GetSize() - innerSize;
    }
    else
    {
        m_stats.compressionSavedTxBytes += innerSize - cur->GetSize();
    }
    // Only encryption hides: anyone inflates IPComp and reads past AH and ESP-NULL.
    if (!forwarded && !m_readableTxTrace.IsEmpty() &&
        std::none_of(chain.begin(), chain.end(), [](const auto& link) {
            return link.second->protocol == IpsecProtocol::ESP &&
                   link.second->encryption != EncryptionAlgorithm::NULL_ENC;
        }))
    {
        m_readableTxTrace(p, dropHeader(source, destination)); // the inner header
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
IpsecLayer::ReportFragmentationNeeded(Ptr<const Packet> p,
                                      Ipv4Address source,
                                      Ipv4Address destination,
                                      uint8_t protocol,
                                      uint32_t mtu)
{
    // Delivered to the upper protocol as a received ICMP "fragmentation needed" would be
    // (Icmpv4L4Protocol::Forward), so the socket's ICMP callback sees it; nothing goes on the
    // wire, as with Linux's local error.
    Ptr<IpL4Protocol> l4 = m_ipv4->GetProtocol(protocol);
    if (!l4)
    {
        return;
    }
    uint8_t payload[8] = {};
    p->CopyData(payload, sizeof(payload));
    l4->ReceiveIcmp(source,
                    m_defaultTtl,
                    Icmpv4Header::ICMPV4_DEST_UNREACH,
                    Icmpv4DestinationUnreachable::ICMPV4_FRAG_NEEDED,
                    mtu,
                    source,
                    destination,
                    payload);
}

void
IpsecLayer::SendProtected(Ptr<Packet> p, Ipv4Header header, Ptr<Ipv4Route> route)
{
    NS_LOG_FUNCTION(this << p << header);
    if (!m_ipv4)
    {
        return; // disposed while the CPU was busy
    }
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
    if (m_cost && m_cost->IsBacklogFull())
    {
        // The CPU cannot take more (before any work on it, as a full backlog drops).
        Drop(p, header, IpsecDropReason::CRYPTO_BACKLOG);
        return IpL4Protocol::RX_ENDPOINT_CLOSED;
    }

    // What this node already removed from the packet: outer layers of a tunnelled bundle,
    // received anew after decapsulation.
    IpsecTag tag;
    if (!TakeOwnTag(p, tag))
    {
        tag = IpsecTag();
        tag.SetNodeId(m_node->GetId());
    }
    return ReceiveLayer(protocol, p, header, incomingInterface, tag);
}

IpL4Protocol::RxStatus
IpsecLayer::ReceiveLayer(uint8_t protocol,
                         Ptr<Packet> p,
                         const Ipv4Header& header,
                         Ptr<Ipv4Interface> incomingInterface,
                         IpsecTag tag)
{
    if (tag.GetApplied().size() >= IpsecTag::MAX_APPLIED)
    {
        // No more layers than the tag can record (Linux: XFRM_MAX_DEPTH). Unbounded, nested
        // IPComp (no ICV to forge) recursed once per layer: 7000 layers in one 63 KB packet
        // overflowed the stack.
        Drop(p, header, IpsecDropReason::MALFORMED);
        return IpL4Protocol::RX_ENDPOINT_CLOSED;
    }

    if (protocol == PROTO_IPIP)
    {
        return ReceiveIpip(p, header, incomingInterface, tag, IpsecDropReason::NO_IPIP_STATE);
    }

    IpsecProtocol ipsecProtocol =
        protocol == PROTO_ESP ? IpsecProtocol::ESP
                              : (protocol == PROTO_AH ? IpsecProtocol::AH : IpsecProtocol::IPCOMP);
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
    // RFC 4301 §5.2: the packet must match the selectors of the SA that verified it. An SA is
    // looked up by SPI and destination only, so without this a peer C could use its own SA to
    // send with peer B's source address (Linux: XfrmInStateMismatch).
    if (sa->source != header.GetSource())
    {
        Drop(p, header, IpsecDropReason::SA_SELECTOR_MISMATCH);
        return IpL4Protocol::RX_ENDPOINT_CLOSED;
    }
    tag.Add(IpsecTag::Applied{ipsecProtocol,
                              sa->mode,
                              sa->spi,
                              sa->reqid,
                              sa->source,
                              sa->destination});
    Ptr<Packet> inner = res.packet;

    Ipv4Header innerHeader = header;
    innerHeader.SetProtocol(res.nextHeader);
    innerHeader.SetPayloadSize(inner->GetSize());
    Time delay(0);
    if (m_cost)
    {
        delay =
            m_cost->ProcessPacket(sa->protocol, sa->encryption, sa->authentication, false, bytes);
    }
    // The next layer of a bundle is taken at once, as Linux's xfrm_input loops over a packet's
    // nested headers: the engine's queue already holds this layer's time, so the inner layer
    // completes after it and the packet waits for one event, not one per layer.
    if (delay.IsStrictlyPositive() && !IsIpsecHeader(res.nextHeader))
    {
        Simulator::Schedule(delay,
                            &IpsecLayer::DeliverInner,
                            this,
                            res.nextHeader,
                            sa->mode,
                            inner,
                            innerHeader,
                            incomingInterface,
                            tag);
    }
    else
    {
        DeliverInner(res.nextHeader, sa->mode, inner, innerHeader, incomingInterface, tag);
    }
    return IpL4Protocol::RX_OK;
}

IpL4Protocol::RxStatus
IpsecLayer::ReceiveIpip(Ptr<Packet> p,
                        const Ipv4Header& header,
                        Ptr<Ipv4Interface> incomingInterface,
                        IpsecTag tag,
                        IpsecDropReason noState)
{
    NS_LOG_FUNCTION(this << p << header);
    // Only an IPComp tunnel's uncompressed packet (Linux's IPIP state for IPComp) may arrive
    // as plain IPIP. Its SA is found by its addresses, the same way as for sending.
    Ptr<SecurityAssociation> sa = m_sad->FindOutbound(header.GetSource(),
                                                      header.GetDestination(),
                                                      IpsecProtocol::IPCOMP,
                                                      IpsecMode::TUNNEL);
    if (!sa)
    {
        Drop(p, header, noState);
        return IpL4Protocol::RX_ENDPOINT_CLOSED;
    }
    tag.Add(IpsecTag::Applied{IpsecProtocol::IPCOMP,
                              IpsecMode::TUNNEL,
                              sa->spi,
                              sa->reqid,
                              sa->source,
                              sa->destination});
    ++m_stats.ipcompUncompressedRxPackets;
    DeliverInner(PROTO_IPIP, IpsecMode::TUNNEL, p, header, incomingInterface, tag);
    return IpL4Protocol::RX_OK;
}

void
IpsecLayer::DeliverInner(uint8_t nextHeader,
                         IpsecMode mode,
                         Ptr<Packet> inner,
                         Ipv4Header header,
                         Ptr<Ipv4Interface> incomingInterface,
                         IpsecTag tag)
{
    NS_LOG_FUNCTION(this << +nextHeader << inner);
    if (!m_ipv4)
    {
        return; // disposed while the CPU was busy
    }
    bool nested = IsIpsecHeader(nextHeader);
    // The mode that happened must be the SA's (RFC 4301 §5.2; Linux xfrm_input). A tunnel SA
    // that carries no IPv4 packet is not a tunnel. IPIP inside a transport SA never counts as
    // tunnel protection: it is an IPComp tunnel's uncompressed packet under ESP/AH transport
    // (strongSwan's IPComp bundles), recorded as that, or it is dropped.
    if (!nested && mode == IpsecMode::TUNNEL && nextHeader != PROTO_IPIP)
    {
        Drop(inner, header, IpsecDropReason::MODE_MISMATCH);
        return;
    }
    if (mode == IpsecMode::TRANSPORT && nextHeader == PROTO_IPIP)
    {
        ReceiveIpip(inner, header, incomingInterface, tag, IpsecDropReason::MODE_MISMATCH);
        return;
    }
    Ptr<NetDevice> device = incomingInterface->GetDevice();
    int32_t iif = m_ipv4->GetInterfaceForDevice(device);
    if (nested)
    {
        ReceiveLayer(nextHeader, inner, header, incomingInterface, tag);
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
        // The port unreachable quotes only the first 8 bytes (RFC 792): keep those rather
        // than a copy of the packet that is almost never needed.
        uint8_t quote[8];
        uint32_t quoted = inner->CopyData(quote, sizeof(quote));
        // The record of what this node removed goes to CheckInbound directly (see
        // m_delivering); the guard is called synchronously.
        m_delivering = PeekPointer(inner);
        m_deliveringTag = tag;
        IpL4Protocol::RxStatus status = l4->Receive(inner, header, incomingInterface);
        m_delivering = nullptr;
        if (status == IpL4Protocol::RX_ENDPOINT_UNREACH && !header.GetDestination().IsBroadcast() &&
            !header.GetDestination().IsMulticast())
        {
            if (auto icmp = m_node->GetObject<Icmpv4L4Protocol>())
            {
                icmp->SendDestUnreachPort(header, Create<Packet>(quote, quoted));
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
        packet->AddPacketTag(tag); // for CheckInbound after the second pass
        ++m_tagsInFlight;
    }
    else
    {
        if (packet->GetSize() < IPV4_HEADER)
        {
            Drop(packet, header, IpsecDropReason::MALFORMED);
            return;
        }
        uint8_t first[IPV4_HEADER];
        packet->CopyData(first, IPV4_HEADER);
        auto innerEcn = static_cast<Ipv4Header::EcnType>(first[1] & 3);
        std::optional<Ipv4Header::EcnType> ecn = DecapsulateEcn(innerEcn, header.GetEcn());
        if (!ecn)
        {
            Drop(packet, header, IpsecDropReason::ECN_CE_NOT_ECT);
            return;
        }
        Ipv4Address innerDestination = Ipv4Address::Deserialize(first + 16);
        if (*ecn != innerEcn)
        {
            packet = packet->Copy();
            Ipv4Header ih;
            if (Node::ChecksumEnabled())
            {
                ih.EnableChecksum();
            }
            packet->RemoveHeader(ih);
            ih.SetEcn(*ecn);
            packet->AddHeader(ih);
        }
        // The verification record rides on the packet through the second pass. A forwarded
        // packet does not keep it; without the forwarding hook (which removes it) nothing
        // would take it off one.
        bool local = m_protectForwarded || m_ipv4->IsDestinationAddress(innerDestination, iif) ||
                     innerDestination.IsBroadcast() || innerDestination.IsMulticast();
        if (local)
        {
            packet->AddPacketTag(tag);
            ++m_tagsInFlight;
        }
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
IpsecLayer::TemplateMatches(const IpsecRequest& r, const IpsecTag::Applied& a)
{
    // Linux xfrm_state_ok: protocol, mode, reqid, and in tunnel mode the endpoints.
    if (a.protocol != r.protocol || a.mode != r.mode || (r.uniqueId != 0 && a.reqid != r.uniqueId))
    {
        return false;
    }
    if (r.mode == IpsecMode::TUNNEL)
    {
        return (r.tunnelSource.IsAny() || a.saSource == r.tunnelSource) &&
               (r.tunnelDestination.IsAny() || a.saDestination == r.tunnelDestination);
    }
    return true;
}

int
IpsecLayer::MatchTemplate(const IpsecRequest& r,
                          const IpsecTag::AppliedList& applied,
                          int start) const
{
    // Linux xfrm_policy_ok: an optional transport template never fails; otherwise search the
    // removed protections in order from `start`, and stop at the first tunnel that does not
    // match (a template may not be satisfied from inside an unmatched tunnel).
    bool optional = !IsMandatory(r) || r.protocol == IpsecProtocol::IPCOMP;
    int result = start;
    if (optional)
    {
        if (r.mode == IpsecMode::TRANSPORT)
        {
            return start;
        }
    }
    else
    {
        result = -1;
    }
    for (size_t idx = start; idx < applied.size(); ++idx)
    {
        if (TemplateMatches(r, applied[idx]))
        {
            return static_cast<int>(idx) + 1;
        }
        if (applied[idx].mode != IpsecMode::TRANSPORT)
        {
            break;
        }
    }
    return result;
}

std::optional<IpsecDropReason>
IpsecLayer::PolicyVerdict(PolicyDirection direction,
                          const PacketSelector& sel,
                          const IpsecTag::AppliedList& applied) const
{
    // Protections beyond what the templates consumed may be transport mode only (Linux
    // secpath_has_nontransport): an extra tunnel would smuggle a packet in.
    auto onlyTransportFrom = [&](size_t k) {
        for (; k < applied.size(); ++k)
        {
            if (applied[k].mode != IpsecMode::TRANSPORT)
            {
                return false;
            }
        }
        return true;
    };
    PolicyAction action;
    const SecurityPolicy* policy = LookupPolicy(direction, sel, action);
    switch (action)
    {
    case PolicyAction::DISCARD:
        return IpsecDropReason::POLICY_DISCARD;
    case PolicyAction::NONE:
        // As Linux: a bypass policy accepts transport-mode protection but not a tunnel.
        if (!onlyTransportFrom(0))
        {
            return IpsecDropReason::PROTECTION_MISMATCH;
        }
        return std::nullopt;
    case PolicyAction::IPSEC:
        break;
    }
    // Templates from the outermost (last in setkey order) inwards, against the removed
    // protections from the outermost inwards: order matters (Linux __xfrm_policy_check).
    int k = 0;
    for (auto r = policy->requests.rbegin(); r != policy->requests.rend(); ++r)
    {
        k = MatchTemplate(*r, applied, k);
        if (k < 0)
        {
            return applied.empty() ? IpsecDropReason::PLAIN_UNDER_REQUIRE
                                   : IpsecDropReason::PROTECTION_MISMATCH;
        }
    }
    if (!onlyTransportFrom(static_cast<size_t>(k)))
    {
        return IpsecDropReason::PROTECTION_MISMATCH;
    }
    return std::nullopt;
}

bool
IpsecLayer::TakeOwnTag(Ptr<Packet> p, IpsecTag& tag)
{
    if (m_tagsInFlight == 0 || !HasPacketTags(p) || !p->RemovePacketTag(tag))
    {
        return false;
    }
    if (tag.GetNodeId() != m_node->GetId())
    {
        return false; // another node's record: not a verification here
    }
    --m_tagsInFlight;
    return true;
}

bool
IpsecLayer::CheckInbound(Ptr<Packet> p, const Ipv4Header& header)
{
    IpsecTag tag;
    bool verified = false;
    if (m_delivering == PeekPointer(p))
    {
        tag = m_deliveringTag; // from DeliverInner, transport mode
        m_delivering = nullptr;
        verified = true;
    }
    else
    {
        verified = TakeOwnTag(p, tag);
    }
    PacketSelector sel =
        MakeSelector(p, header.GetSource(), header.GetDestination(), header.GetProtocol());
    const bool bypassed = IsBypassed(PolicyDirection::IN, sel);
    if (!bypassed)
    {
        if (auto reason = PolicyVerdict(PolicyDirection::IN,
                                        sel,
                                        verified ? tag.GetApplied() : NothingApplied()))
        {
            Drop(p, header, *reason);
            return false;
        }
    }
    if (verified)
    {
        ++m_stats.protectedRxPackets;
        m_stats.protectedRxBytes += p->GetSize();
        m_protectedRxTrace(p, header);
        if (m_kmUser != nullptr)
        {
            m_kmUser->ProtectedReceived();
        }
    }
    else
    {
        ++m_plainRxPackets;
        m_plainRxBytes += p->GetSize();
        if (bypassed)
        {
            ++m_stats.bypassRxPackets;
            m_stats.bypassRxBytes += p->GetSize();
        }
        m_plainRxTrace(p, header);
    }
    return true;
}

} // namespace ns3
