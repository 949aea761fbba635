/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// libFuzzer target: the whole inbound IPsec path of a node, fed random IP packets.
//
// Unlike fuzz-ipsec-inbound (the ESP/AH/IPComp decoders alone), every input here arrives at a
// node's CSMA device as an Ethernet frame from the wire and travels the real ns-3 stack:
// Ipv4L3Protocol::Receive, the IpsecInboundProtocol entries for 50/51/108, SA lookup, the
// replay window, the ICV, IPComp inflation, nested bundles (AH over ESP, ESP over IPComp),
// tunnel-mode re-injection through Ipv4L3Protocol::Receive (and forwarding), the
// IpsecPolicyGuard in front of UDP/TCP/ICMP, and delivery to bound UDP sockets. Replies the
// node sends (ICMP errors, echo replies, TCP resets) go out through its outbound IPsec
// processing to the peer, whose inbound processing must accept them.
//
// The world, built once (LLVMFuzzerInitialize), one CSMA segment 10.0.0.0/24:
//   A 10.0.0.1  peer of B, CryptoMode real        B 10.0.0.2  target, CryptoMode real
//   D 10.0.0.4  peer of C, CryptoMode modeled     C 10.0.0.3  target, CryptoMode modeled and a
//   M           attacker station, no IP stack                 slow-CPU cost model (delays)
// B and C load the same setkey file (kSas + kTargetPolicies, with their own addresses): ESP
// aes-cbc/hmac-sha1 (SPI 0x1001, 64-packet window), AH hmac-sha256 (0x1002, 32-packet window),
// IPComp deflate (CPI 0x1003), ESP null/hmac-sha256 with a hard byte lifetime (0x1004,
// 8-packet window), ESP aes-gcm tunnel (0x1005), and require / use / discard policies per UDP
// port (see kTargetPolicies); each has UDP sockets on ports 7000-7006 and 5060.
//
// Input: one or more records. A record is a selector byte, then the IP payload:
//   bits 0-2  IP protocol: 50, 51, 108, 17, 6, 1, 4, or 50 again
//   bit  3    target: B (real crypto) or C (modeled crypto)
//   bits 4-5  IPv4 source: the target's peer, the other peer, 10.0.0.9 (absent) or 192.0.2.7
//   bit  6    IPv4 destination: the target's address or the subnet broadcast 10.0.0.255
//   bit  7    more records follow: a 2-byte big-endian payload length comes first, else the
//             payload is the rest of the input
// Records leave M 1 ms apart (so a replay or a window edge fits in one input); then the
// simulator runs until its event list is empty. Before each input every SA is re-added fresh
// (sequence numbers, replay windows, lifetimes) and the ARP caches are flushed, so an input's
// outcome does not depend on the inputs before it.
//
// Invariants (std::abort on violation):
//  1. per node and drop reason, the IpsecLayer counters grew by exactly the Drop trace events;
//     protected/plain receive counters by exactly the ProtectedRx/PlainRx events;
//  2. each record ends in at most one verdict (drop with one reason, or accept) over all nodes;
//  3. a record the stack received once (no tunnel or re-injection) whose protocol has a
//     handler (50, 51, 108, 17, 6, 1) ends in exactly one verdict;
//  4. what a socket receives was accepted by its node's IpsecLayer; a UDP packet to the
//     target's own address is never accepted on the discard port, nor, coming from the peer,
//     on a port whose policy requires protection unless SAs of the required protocols and
//     modes verified packets meanwhile (the signalling ports bypass the SPD by design, and
//     the subnet broadcast address is outside these policies' selectors, as in Linux);
//  5. the peers never drop what the targets send themselves (their replies are protected as
//     the peers' policies require, with SAs that verify and sequence numbers in the window).
// Crashes, leaks and undefined behaviour are caught by ASan/UBSan. Packets on which ns-3's
// own TCP and ICMP parsers hang or abort are kept from them (Ns3ParserShield,
// model/common/ns3-parser-shield.h).
//
// Found so far: nested protections were unbounded (IPComp needs no key, and each layer cost a
// recursion and a packet copy: one 63 KB packet of 7000 layers overflowed the stack); fixed
// in IpsecLayer::ReceiveProtected (at most IpsecTag::MAX_APPLIED layers, as Linux's
// XFRM_MAX_DEPTH), regression test NestedProtectionsAreBoundedAsXfrmMaxDepth.
//
// PRESEC_IPSEC_PATH_SEEDS=DIR writes seed inputs made by the real transforms with the SAs
// installed here into DIR and exits; PRESEC_IPSEC_PATH_VERBOSE=1 prints each record's fate;
// PRESEC_IPSEC_PATH_HEAP_PROFILE=N prints the live heap at the N-th input (compare two N to
// see that the state stays bounded).

#include "ns3/ah-transform.h"
#include "ns3/core-module.h"
#include "ns3/crypto-cost-model.h"
#include "ns3/csma-module.h"
#include "ns3/esp-transform.h"
#include "ns3/internet-module.h"
#include "ns3/ipcomp-transform.h"
#include "ns3/ipsec-helper.h"
#include "ns3/network-module.h"
#include "ns3/ns3-parser-shield.h"
#include "ns3/setkey-parser.h"

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>
#include <zlib.h>

using namespace ns3;

namespace
{

/** Marks every packet of one input record, so its fate can be followed through the stack. */
class RecordTag : public Tag
{
  public:
    static TypeId GetTypeId()
    {
        static TypeId tid = TypeId("ns3::PresecFuzzRecordTag")
                                .SetParent<Tag>()
                                .SetGroupName("Presec")
                                .AddConstructor<RecordTag>();
        return tid;
    }

    TypeId GetInstanceTypeId() const override
    {
        return GetTypeId();
    }

    uint32_t GetSerializedSize() const override
    {
        return 4;
    }

    void Serialize(TagBuffer i) const override
    {
        i.WriteU32(id);
    }

    void Deserialize(TagBuffer i) override
    {
        id = i.ReadU32();
    }

    void Print(std::ostream& os) const override
    {
        os << "record=" << id;
    }

    uint32_t id{0}; //!< record number, from 1
};

constexpr uint16_t kIdentification = 0x1234; //!< IPv4 identification of every record
constexpr size_t kMaxRecords = 16;
constexpr uint32_t kMaxPayload = 65000;
const uint8_t kProtocols[8] = {50, 51, 108, 17, 6, 1, 4, 50};
const uint16_t kBypassPorts[3] = {500, 4500, 5060};

// SAs of peer P -> target T and back (both load them); @P@ and @T@ are replaced.
const char* const kSas =
    "flush;\n"
    "add @P@ @T@ esp 0x1001 -m transport -r 8\n"
    "    -E aes-cbc 0x00112233445566778899aabbccddeeff\n"
    "    -A hmac-sha1 0x0011223344556677889900112233445566778899;\n"
    "add @P@ @T@ ah 0x1002 -m transport -r 4\n"
    "    -A hmac-sha256 0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f;\n"
    "add @P@ @T@ ipcomp 0x1003 -m transport -C deflate;\n"
    "add @P@ @T@ esp 0x1004 -m transport -r 1 -bh 6000\n"
    "    -E null -A hmac-sha256 "
    "0x1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100;\n"
    "add @P@ @T@ esp 0x1005 -m tunnel -r 8\n"
    "    -E aes-gcm-16 0x00112233445566778899aabbccddeeff01020304;\n"
    "add @T@ @P@ esp 0x2001 -m transport -r 8\n"
    "    -E aes-cbc 0xffeeddccbbaa99887766554433221100\n"
    "    -A hmac-sha1 0x9988776655443322110099887766554433221100;\n"
    "add @T@ @P@ ah 0x2002 -m transport -r 8\n"
    "    -A hmac-sha256 0x1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100;\n";

const char* const kTargetPolicies =
    "spdflush;\n"
    "spdadd @P@ @T@[7000] udp -P in ipsec esp/transport//require;\n"
    "spdadd @P@ @T@[7001] udp -P in ipsec ah/transport//require;\n"
    "spdadd @P@ @T@[7002] udp -P in ipsec esp/transport//require ah/transport//require;\n"
    "spdadd @P@ @T@[7003] udp -P in ipsec ipcomp/transport//use esp/transport//require;\n"
    "spdadd @P@ @T@[7004] udp -P in ipsec esp/transport//use;\n"
    "spdadd 0.0.0.0/0 @T@[7005] udp -P in discard;\n"
    "spdadd @P@ @T@[7006] udp -P in ipsec esp/tunnel/@P@-@T@/require;\n"
    "spdadd @P@ @T@ icmp -P in ipsec esp/transport//use;\n"
    "spdadd @T@ @P@ icmp -P out ipsec esp/transport//use;\n"
    "spdadd @P@ @T@ tcp -P in ipsec ah/transport//use;\n"
    "spdadd @T@ @P@ tcp -P out ipsec ah/transport//require;\n";

const char* const kPeerPolicies = "spdflush;\n"
                                  "spdadd @T@ @P@ icmp -P in ipsec esp/transport//require;\n"
                                  "spdadd @T@ @P@ tcp -P in ipsec ah/transport//require;\n";

/** What a policy port demands (for invariant 4). */
struct Requirement
{
    uint16_t port;
    bool esp;
    bool ah;
    IpsecMode espMode;
};

const Requirement kRequirements[] = {
    {7000, true, false, IpsecMode::TRANSPORT},
    {7001, false, true, IpsecMode::TRANSPORT},
    {7002, true, true, IpsecMode::TRANSPORT},
    {7003, true, false, IpsecMode::TRANSPORT},
    {7006, true, false, IpsecMode::TUNNEL},
};
constexpr uint16_t kDiscardPort = 7005;
const uint16_t kSocketPorts[] = {7000, 7001, 7002, 7003, 7004, 7005, 7006, 5060};

std::string
Substitute(std::string text, const std::string& p, const std::string& t)
{
    const std::vector<std::pair<std::string, std::string>> subs{{"@P@", p}, {"@T@", t}};
    for (const auto& [key, value] : subs)
    {
        for (size_t at = text.find(key); at != std::string::npos; at = text.find(key, at))
        {
            text.replace(at, key.size(), value);
        }
    }
    return text;
}

std::string
AddressText(Ipv4Address a)
{
    std::ostringstream os;
    os << a;
    return os.str();
}

/** One IP node of the world, with what is counted per input. */
struct Host
{
    const char* name{""};
    Ptr<Node> node;
    Ptr<IpsecLayer> layer;
    Ipv4Address address;
    bool target{false};
    int peer{-1};                         //!< index of the peer (targets) or target (peers)
    std::vector<SecurityAssociation> sas; //!< pristine SAs, re-added before each input
    // per input
    IpsecLayer::Stats before;
    std::array<uint64_t, IPSEC_DROP_REASON_COUNT> dropEvents{};
    uint64_t protectedEvents{0};
    uint64_t plainEvents{0};
};

/** Per record of the current input. */
struct Record
{
    int target{0};
    uint8_t protocol{0};
    uint32_t size{0};
    int verdicts{0};    //!< drops and accepts over all nodes
    int receptions{0};  //!< Ipv4L3Protocol Rx events over all nodes
    int acceptedAt{-1}; //!< node that accepted it
    bool acceptedProtected{false};
    std::string fate;                                         //!< for the verbose print
    std::map<const SecurityAssociation*, uint64_t> saPackets; //!< target SA counts at send
};

struct World
{
    std::vector<Host> hosts; //!< A, B, C, D
    Ptr<CsmaNetDevice> attacker;
    std::vector<Ptr<CsmaNetDevice>> devices; //!< per host
    std::vector<Record> records;             //!< index = RecordTag id - 1
    std::vector<Ptr<Socket>> sockets;
    std::vector<Ptr<Ns3ParserShield>> shields; //!< in front of TCP and ICMP, all hosts
    bool verbose{false};
};

World* g_world = nullptr;

[[noreturn]] void
Fail(const std::string& what)
{
    std::fprintf(stderr, "fuzz-ipsec-path: invariant violated: %s\n", what.c_str());
    std::fflush(stderr);
    std::abort();
}

Record*
RecordOf(Ptr<const Packet> p)
{
    RecordTag tag;
    if (!p->PeekPacketTag(tag) || tag.id == 0 || tag.id > g_world->records.size())
    {
        return nullptr;
    }
    return &g_world->records[tag.id - 1];
}

bool
IsBypassPort(uint16_t port)
{
    for (uint16_t b : kBypassPorts)
    {
        if (port == b)
        {
            return true;
        }
    }
    return false;
}

/** Invariant 4, at the moment the policy check accepts a record at a target. */
void
CheckAcceptance(int h, Ptr<const Packet> p, const Ipv4Header& header, Record* r, bool isProtected)
{
    const Host& host = g_world->hosts[h];
    if (!host.target || header.GetProtocol() != 17 || p->GetSize() < 4 ||
        header.GetDestination() != host.address)
    {
        return;
    }
    uint8_t ports[4];
    p->CopyData(ports, 4);
    uint16_t sport = static_cast<uint16_t>((ports[0] << 8) | ports[1]);
    uint16_t dport = static_cast<uint16_t>((ports[2] << 8) | ports[3]);
    if (IsBypassPort(sport) || IsBypassPort(dport))
    {
        return; // signalling bypasses the SPD by design (BypassPorts)
    }
    if (dport == kDiscardPort)
    {
        Fail(std::string(host.name) + " accepted a packet for the discard port");
    }
    if (header.GetSource() != g_world->hosts[host.peer].address)
    {
        return;
    }
    for (const Requirement& q : kRequirements)
    {
        if (q.port != dport)
        {
            continue;
        }
        if (!isProtected)
        {
            Fail(std::string(host.name) + " accepted a clear packet for port " +
                 std::to_string(dport) + " whose policy requires protection");
        }
        // Which SAs verified packets since the record was sent (a superset of its own).
        bool esp = false;
        bool ah = false;
        for (const auto& sa : host.layer->GetSad()->GetAll())
        {
            uint64_t then = 0;
            if (r)
            {
                auto it = r->saPackets.find(PeekPointer(sa));
                then = it == r->saPackets.end() ? 0 : it->second;
            }
            if (sa->GetPackets() == then || sa->destination != host.address)
            {
                continue;
            }
            esp = esp || (sa->protocol == IpsecProtocol::ESP && sa->mode == q.espMode);
            ah = ah || (sa->protocol == IpsecProtocol::AH && sa->mode == IpsecMode::TRANSPORT);
        }
        if ((q.esp && !esp) || (q.ah && !ah))
        {
            Fail(std::string(host.name) + " accepted a packet for port " + std::to_string(dport) +
                 " without the protection its policy requires");
        }
    }
}

void
OnVerdict(int h, Ptr<const Packet> p, const std::string& what)
{
    Record* r = RecordOf(p);
    if (!r)
    {
        return;
    }
    ++r->verdicts;
    r->fate += std::string(r->fate.empty() ? "" : ", ") + g_world->hosts[h].name + ":" + what;
    if (r->verdicts > 1)
    {
        Fail("record with two verdicts: " + r->fate);
    }
}

void
OnDrop(int h, Ptr<const Packet> p, const Ipv4Header&, IpsecDropReason reason)
{
    Host& host = g_world->hosts[h];
    ++host.dropEvents[static_cast<int>(reason)];
    OnVerdict(h, p, "drop " + ToString(reason));
    if (!host.target && !RecordOf(p))
    {
        // Invariant 5: a peer receives nothing else than what the targets send themselves.
        Fail(std::string(host.name) + " dropped a packet its target sent: " + ToString(reason));
    }
}

void
OnAccept(int h, bool isProtected, Ptr<const Packet> p, const Ipv4Header& header)
{
    Host& host = g_world->hosts[h];
    ++(isProtected ? host.protectedEvents : host.plainEvents);
    Record* r = RecordOf(p);
    OnVerdict(h, p, isProtected ? "accept protected" : "accept clear");
    if (r)
    {
        r->acceptedAt = h;
        r->acceptedProtected = isProtected;
    }
    CheckAcceptance(h, p, header, r, isProtected);
}

void
OnIpRx(Ptr<const Packet> p, Ptr<Ipv4>, uint32_t)
{
    if (Record* r = RecordOf(p))
    {
        ++r->receptions;
    }
}

void
OnSocketRead(int h, uint16_t port, Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> p = socket->RecvFrom(from))
    {
        Record* r = RecordOf(p);
        if (!r)
        {
            continue; // not from an input (nothing else sends UDP here)
        }
        if (r->acceptedAt != h)
        {
            Fail(std::string(g_world->hosts[h].name) + " socket " + std::to_string(port) +
                 " received a record its IPsec layer did not accept");
        }
        r->fate += " -> socket " + std::to_string(port);
    }
}

std::vector<uint8_t>
UdpBytes(uint16_t sport, uint16_t dport, const std::string& payload)
{
    std::vector<uint8_t> b(8 + payload.size());
    uint16_t len = static_cast<uint16_t>(b.size());
    b[0] = sport >> 8;
    b[1] = sport & 0xff;
    b[2] = dport >> 8;
    b[3] = dport & 0xff;
    b[4] = len >> 8;
    b[5] = len & 0xff;
    std::copy(payload.begin(), payload.end(), b.begin() + 8);
    return b; // checksum 0: not computed (ns-3's default)
}

Ptr<SecurityAssociation>
FindSa(const Host& h, uint32_t spi, Ipv4Address destination)
{
    for (const auto& sa : h.sas)
    {
        if (sa.spi == spi && sa.destination == destination)
        {
            return Create<SecurityAssociation>(sa);
        }
    }
    Fail("no SA " + std::to_string(spi));
}

void
BuildWorld()
{
    auto* w = new World();
    g_world = w;
    w->verbose = std::getenv("PRESEC_IPSEC_PATH_VERBOSE") != nullptr;

    NodeContainer nodes;
    nodes.Create(5); // A, B, C, D, M
    CsmaHelper csma;
    csma.SetChannelAttribute("DataRate", StringValue("100Mbps"));
    csma.SetChannelAttribute("Delay", TimeValue(MicroSeconds(5)));
    NetDeviceContainer devices = csma.Install(nodes);
    NodeContainer ipNodes;
    for (uint32_t i = 0; i < 4; ++i)
    {
        ipNodes.Add(nodes.Get(i));
    }
    InternetStackHelper().Install(ipNodes);
    NetDeviceContainer ipDevices;
    for (uint32_t i = 0; i < 4; ++i)
    {
        ipDevices.Add(devices.Get(i));
    }
    Ipv4AddressHelper("10.0.0.0", "255.255.255.0").Assign(ipDevices);
    w->attacker = DynamicCast<CsmaNetDevice>(devices.Get(4));

    IpsecHelper real;
    real.SetLayerAttribute("CryptoMode", StringValue("real"));
    IpsecHelper modeled;
    modeled.SetLayerAttribute("CryptoMode", StringValue("modeled"));
    IpsecHelper modeledSlow = modeled;
    modeledSlow.SetCostModel("xscale-pxa250");
    const char* names[4] = {"A", "B", "C", "D"};
    const int peers[4] = {1, 0, 3, 2};
    for (int i = 0; i < 4; ++i)
    {
        Host h;
        h.name = names[i];
        h.node = nodes.Get(i);
        h.layer = (i < 2 ? real : (i == 2 ? modeledSlow : modeled)).Install(h.node);
        if (Ptr<CryptoCostModel> cost = h.node->GetObject<CryptoCostModel>())
        {
            cost->SetAttribute("MaxHistory", UintegerValue(64)); // bounded over millions of inputs
        }
        h.address = h.node->GetObject<Ipv4>()->GetAddress(1, 0).GetLocal();
        h.target = i == 1 || i == 2;
        h.peer = peers[i];
        w->hosts.push_back(h);
        w->devices.push_back(DynamicCast<CsmaNetDevice>(devices.Get(i)));
    }
    for (int i = 0; i < 4; ++i)
    {
        Host& h = w->hosts[i];
        const Host& t = h.target ? h : w->hosts[h.peer];
        const Host& p = h.target ? w->hosts[h.peer] : h;
        std::string sas = Substitute(kSas, AddressText(p.address), AddressText(t.address));
        std::string policies = Substitute(h.target ? kTargetPolicies : kPeerPolicies,
                                          AddressText(p.address),
                                          AddressText(t.address));
        std::string error = IpsecHelper::LoadSetkey(h.node, sas + policies);
        if (!error.empty())
        {
            Fail("setkey: " + error);
        }
        h.sas = SetkeyParser::ParseScript(sas).GetValue().associations;

        h.layer->TraceConnectWithoutContext(
            "Drop",
            Callback<void, Ptr<const Packet>, const Ipv4Header&, IpsecDropReason>(
                [i](Ptr<const Packet> pk, const Ipv4Header& hd, IpsecDropReason reason) {
                    OnDrop(i, pk, hd, reason);
                }));
        h.layer->TraceConnectWithoutContext(
            "ProtectedRx",
            Callback<void, Ptr<const Packet>, const Ipv4Header&>(
                [i](Ptr<const Packet> pk, const Ipv4Header& hd) { OnAccept(i, true, pk, hd); }));
        h.layer->TraceConnectWithoutContext(
            "PlainRx",
            Callback<void, Ptr<const Packet>, const Ipv4Header&>(
                [i](Ptr<const Packet> pk, const Ipv4Header& hd) { OnAccept(i, false, pk, hd); }));
        Ptr<Ipv4L3Protocol> ipv4 = h.node->GetObject<Ipv4L3Protocol>();
        ipv4->TraceConnectWithoutContext("Rx", MakeCallback(&OnIpRx));
        for (const auto& shield : Ns3ParserShield::Install(ipv4, h.layer))
        {
            w->shields.push_back(shield);
        }
        if (h.target)
        {
            for (uint16_t port : kSocketPorts)
            {
                Ptr<Socket> s = Socket::CreateSocket(h.node, UdpSocketFactory::GetTypeId());
                if (s->Bind(InetSocketAddress(Ipv4Address::GetAny(), port)) != 0)
                {
                    Fail("bind");
                }
                s->SetRecvCallback(Callback<void, Ptr<Socket>>(
                    [i, port](Ptr<Socket> sk) { OnSocketRead(i, port, sk); }));
                w->sockets.push_back(s);
            }
        }
    }
    Simulator::Run(); // interface set-up, if anything
}

void
ResetForInput()
{
    World& w = *g_world;
    for (Host& h : w.hosts)
    {
        for (const SecurityAssociation& sa : h.sas)
        {
            h.layer->GetSad()->Add(Create<SecurityAssociation>(sa)); // replaces the used one
        }
        Ptr<Ipv4L3Protocol> ipv4 = h.node->GetObject<Ipv4L3Protocol>();
        for (uint32_t i = 0; i < ipv4->GetNInterfaces(); ++i)
        {
            if (Ptr<ArpCache> arp = ipv4->GetInterface(i)->GetArpCache())
            {
                arp->Flush();
            }
        }
        h.before = h.layer->GetStats();
        h.dropEvents.fill(0);
        h.protectedEvents = 0;
        h.plainEvents = 0;
    }
    w.records.clear();
}

/** Just before record `id` leaves M: note how many packets each target SA verified so far. */
void
NoteSaCounts(uint32_t id)
{
    World& w = *g_world;
    Record& r = w.records[id - 1];
    const Host& t = w.hosts[r.target];
    for (const auto& sa : t.layer->GetSad()->GetAll())
    {
        r.saPackets[PeekPointer(sa)] = sa->GetPackets();
    }
}

/** Parse the input into records and schedule them; returns false if there is none. */
bool
ScheduleRecords(const uint8_t* data, size_t size)
{
    World& w = *g_world;
    size_t at = 0;
    Time when = Simulator::Now();
    while (at < size && w.records.size() < kMaxRecords)
    {
        uint8_t s = data[at++];
        size_t length = size - at;
        if (s & 0x80)
        {
            if (size - at < 2)
            {
                break;
            }
            length = std::min<size_t>((size_t(data[at]) << 8) | data[at + 1], size - at - 2);
            at += 2;
        }
        length = std::min<size_t>(length, kMaxPayload);
        Record r;
        r.protocol = kProtocols[s & 7];
        r.target = (s & 8) ? 2 : 1;
        r.size = static_cast<uint32_t>(length);
        const Host& target = w.hosts[r.target];
        Ipv4Address source;
        switch ((s >> 4) & 3)
        {
        case 0:
            source = w.hosts[target.peer].address;
            break;
        case 1:
            source = w.hosts[target.peer == 0 ? 3 : 0].address;
            break;
        case 2:
            source = Ipv4Address("10.0.0.9");
            break;
        default:
            source = Ipv4Address("192.0.2.7");
            break;
        }
        Ipv4Address destination = (s & 0x40) ? Ipv4Address("10.0.0.255") : target.address;

        Ptr<Packet> packet = Create<Packet>(data + at, static_cast<uint32_t>(length));
        at += length;
        w.records.push_back(r);
        RecordTag tag;
        tag.id = static_cast<uint32_t>(w.records.size());
        packet->AddPacketTag(tag);
        Ipv4Header ip;
        ip.SetSource(source);
        ip.SetDestination(destination);
        ip.SetProtocol(r.protocol);
        ip.SetPayloadSize(packet->GetSize());
        ip.SetTtl(64);
        ip.SetIdentification(kIdentification);
        if (Node::ChecksumEnabled())
        {
            ip.EnableChecksum();
        }
        packet->AddHeader(ip);
        Ptr<CsmaNetDevice> attacker = w.attacker;
        Address mac = w.devices[r.target]->GetAddress();
        uint32_t id = tag.id;
        Simulator::ScheduleWithContext(attacker->GetNode()->GetId(),
                                       when - Simulator::Now(),
                                       [attacker, packet, mac, id]() {
                                           NoteSaCounts(id);
                                           attacker->Send(packet, mac, 0x0800);
                                       });
        when += MilliSeconds(1);
    }
    return !w.records.empty();
}

void
CheckInput()
{
    World& w = *g_world;
    for (size_t k = 0; k < w.records.size(); ++k)
    {
        const Record& r = w.records[k];
        if (w.verbose)
        {
            std::fprintf(stderr,
                         "record %zu: %s proto %u, %u bytes, %d receptions: %s\n",
                         k + 1,
                         w.hosts[r.target].name,
                         r.protocol,
                         r.size,
                         r.receptions,
                         r.fate.empty() ? "(no verdict)" : r.fate.c_str());
        }
        bool handled = r.protocol == 50 || r.protocol == 51 || r.protocol == 108 ||
                       r.protocol == 17 || r.protocol == 6 || r.protocol == 1;
        if (r.receptions == 1 && handled && r.verdicts != 1)
        {
            Fail("record " + std::to_string(k + 1) + " (protocol " + std::to_string(r.protocol) +
                 ") received once but ended in " + std::to_string(r.verdicts) + " verdicts");
        }
        if (r.receptions == 0)
        {
            Fail("record " + std::to_string(k + 1) + " never reached the IPv4 stack");
        }
    }
    uint64_t shielded = 0;
    for (const auto& shield : w.shields)
    {
        shielded += shield->GetShielded();
    }
    if (w.verbose && shielded != 0)
    {
        std::fprintf(stderr,
                     "packets kept from ns-3's TCP/ICMP parsers: %llu\n",
                     (unsigned long long)shielded);
    }
    for (const Host& h : w.hosts)
    {
        const IpsecLayer::Stats& c = h.layer->GetStats();
        for (int d = 0; d < IPSEC_DROP_REASON_COUNT; ++d)
        {
            if (c.drops[d] - h.before.drops[d] != h.dropEvents[d])
            {
                Fail(std::string(h.name) + " counter " + ToString(IpsecDropReason(d)) +
                     " disagrees with its Drop trace");
            }
        }
        if (w.verbose)
        {
            std::fprintf(stderr,
                         "%s: rx protected %llu clear %llu, tx protected %llu clear %llu, "
                         "drops %llu\n",
                         h.name,
                         (unsigned long long)(c.protectedRxPackets - h.before.protectedRxPackets),
                         (unsigned long long)(c.plainRxPackets - h.before.plainRxPackets),
                         (unsigned long long)(c.protectedTxPackets - h.before.protectedTxPackets),
                         (unsigned long long)(c.plainTxPackets - h.before.plainTxPackets),
                         (unsigned long long)(h.layer->GetTotalDrops() - [&h]() {
                             uint64_t t = 0;
                             for (uint64_t d : h.before.drops)
                             {
                                 t += d;
                             }
                             return t;
                         }()));
        }
        if (c.protectedRxPackets - h.before.protectedRxPackets != h.protectedEvents ||
            c.plainRxPackets - h.before.plainRxPackets != h.plainEvents)
        {
            Fail(std::string(h.name) + " receive counters disagree with the Rx traces");
        }
    }
}

// --- seeds --------------------------------------------------------------------------------

struct SeedWriter
{
    std::string dir;
    std::vector<uint8_t> bytes;

    void Record(uint8_t selector, Ptr<const Packet> payload, bool more)
    {
        std::vector<uint8_t> b(payload->GetSize());
        payload->CopyData(b.data(), b.size());
        RecordBytes(selector, b, more);
    }

    void RecordBytes(uint8_t selector, const std::vector<uint8_t>& b, bool more)
    {
        bytes.push_back(static_cast<uint8_t>(selector | (more ? 0x80 : 0)));
        if (more)
        {
            bytes.push_back(static_cast<uint8_t>(b.size() >> 8));
            bytes.push_back(static_cast<uint8_t>(b.size()));
        }
        bytes.insert(bytes.end(), b.begin(), b.end());
    }

    void Write(const std::string& name)
    {
        std::ofstream out(dir + "/" + name, std::ios::binary);
        out.write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
        if (!out)
        {
            Fail("cannot write seed " + name);
        }
        bytes.clear();
    }
};

/** Raw deflate of a packet, at any size (the seeds' nested IPComp need not shrink). */
Ptr<Packet>
IpcompAround(Ptr<const Packet> inner, uint8_t next, uint16_t cpi)
{
    std::vector<uint8_t> in(inner->GetSize());
    inner->CopyData(in.data(), in.size());
    std::vector<uint8_t> out(4 + compressBound(in.size()) + 64);
    z_stream z{};
    if (deflateInit2(&z, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    {
        Fail("deflateInit2");
    }
    z.next_in = in.data();
    z.avail_in = static_cast<uInt>(in.size());
    z.next_out = out.data() + 4;
    z.avail_out = static_cast<uInt>(out.size() - 4);
    if (deflate(&z, Z_FINISH) != Z_STREAM_END)
    {
        Fail("deflate");
    }
    out.resize(4 + z.total_out);
    deflateEnd(&z);
    out[0] = next;
    out[1] = 0;
    out[2] = static_cast<uint8_t>(cpi >> 8);
    out[3] = static_cast<uint8_t>(cpi);
    return Create<Packet>(out.data(), out.size());
}

Ptr<Packet>
MustProtect(const TransformResult& r)
{
    if (r.drop || !r.packet)
    {
        Fail("seed transform failed");
    }
    return r.packet;
}

void
WriteSeeds(const std::string& dir)
{
    World& w = *g_world;
    SeedWriter sw{dir, {}};
    const std::string text(240, 'p');
    for (int ti : {1, 2})
    {
        const Host& t = w.hosts[ti];
        const Host& p = w.hosts[t.peer];
        const CryptoMode mode = ti == 1 ? CryptoMode::REAL : CryptoMode::MODELED;
        const uint8_t node = ti == 1 ? 0 : 8;
        const std::string n = ti == 1 ? "b-real-" : "c-modeled-";
        auto udp = [](uint16_t dport, const std::string& payload = "presec fuzz seed") {
            std::vector<uint8_t> b = UdpBytes(40000, dport, payload);
            return Create<Packet>(b.data(), b.size());
        };
        auto esp = [&](uint32_t spi, Ptr<Packet> inner, uint8_t next, Ptr<SecurityAssociation> sa) {
            if (!sa)
            {
                sa = FindSa(p, spi, t.address);
            }
            return MustProtect(EspTransform::Protect(inner, next, *sa, mode));
        };
        auto ah = [&](Ptr<Packet> inner, uint8_t next, Ptr<SecurityAssociation> sa) {
            if (!sa)
            {
                sa = FindSa(p, 0x1002, t.address);
            }
            return MustProtect(AhTransform::Protect(inner,
                                                    next,
                                                    p.address,
                                                    t.address,
                                                    kIdentification,
                                                    *sa,
                                                    mode));
        };
        auto ipcomp = [&](Ptr<Packet> inner, uint8_t next) {
            auto sa = FindSa(p, 0x1003, t.address);
            TransformResult r = IpcompTransform::Protect(inner, next, *sa, 90);
            if (r.nextHeader != 108)
            {
                Fail("seed payload did not compress");
            }
            return MustProtect(r);
        };

        // One packet per protection, to the port whose policy asks for it.
        sw.Record(node | 0, esp(0x1001, udp(7000), 17, nullptr), false);
        sw.Write(n + "esp-7000");
        sw.Record(node | 1, ah(udp(7001), 17, nullptr), false);
        sw.Write(n + "ah-7001");
        sw.Record(node | 1, ah(esp(0x1001, udp(7002), 17, nullptr), 50, nullptr), false);
        sw.Write(n + "esp-ah-7002");
        sw.Record(node | 0, esp(0x1001, ipcomp(udp(7003, text), 17), 108, nullptr), false);
        sw.Write(n + "ipcomp-esp-7003");
        sw.Record(node | 2, ipcomp(udp(7004, text), 17), false);
        sw.Write(n + "ipcomp-7004");
        sw.Record(node | 2, IpcompAround(ipcomp(udp(7004, text + text), 17), 108, 0x1003), false);
        sw.Write(n + "ipcomp-ipcomp-7004");
        sw.Record(node | 0, esp(0x1004, udp(7004), 17, nullptr), false);
        sw.Write(n + "esp-null-7004");
        {
            // IpsecTag::MAX_APPLIED nested IPComp layers are accepted, one more is dropped.
            Ptr<Packet> nested = udp(7004);
            uint8_t next = 17;
            for (size_t k = 0; k < IpsecTag::MAX_APPLIED; ++k)
            {
                nested = IpcompAround(nested, next, 0x1003);
                next = 108;
            }
            sw.Record(node | 2, nested, true);
            sw.Record(node | 2, IpcompAround(nested, 108, 0x1003), false);
            sw.Write(n + "ipcomp-nested-depth");
        }
        {
            // Tunnel mode: ESP around an IPv4 packet peer -> target.
            std::vector<uint8_t> u = UdpBytes(40000, 7006, "tunnelled");
            Ptr<Packet> inner = Create<Packet>(u.data(), u.size());
            Ipv4Header ih;
            ih.SetSource(p.address);
            ih.SetDestination(t.address);
            ih.SetProtocol(17);
            ih.SetTtl(64);
            ih.SetPayloadSize(inner->GetSize());
            ih.EnableChecksum();
            inner->AddHeader(ih);
            sw.Record(node | 0, esp(0x1005, inner, 4, nullptr), false);
            sw.Write(n + "esp-tunnel-7006");
        }
        // ESP around ICMP echo (re-injected, answered under the peer's require policy).
        {
            Icmpv4Echo echo;
            echo.SetIdentifier(1);
            echo.SetSequenceNumber(1);
            uint8_t data[16] = {};
            echo.SetData(Create<Packet>(data, sizeof(data)));
            Ptr<Packet> icmp = Create<Packet>();
            icmp->AddHeader(echo);
            Icmpv4Header ih;
            ih.SetType(Icmpv4Header::ICMPV4_ECHO);
            ih.SetCode(0);
            icmp->AddHeader(ih);
            sw.Record(node | 0, esp(0x1001, icmp->Copy(), 1, nullptr), false);
            sw.Write(n + "esp-icmp-echo");
            sw.Record(node | 5, icmp, false);
            sw.Write(n + "icmp-echo");
        }
        // Replay: the same ESP packet twice; then a window edge for AH (32 packets).
        {
            auto sa = FindSa(p, 0x1001, t.address);
            Ptr<Packet> first = esp(0x1001, udp(7000), 17, sa);
            Ptr<Packet> second = esp(0x1001, udp(7000, "second"), 17, sa);
            sw.Record(node | 0, first, true);
            sw.Record(node | 0, second, true);
            sw.Record(node | 0, first, false);
            sw.Write(n + "esp-replay");
            auto asa = FindSa(p, 0x1002, t.address);
            std::vector<Ptr<Packet>> pkts;
            for (int k = 0; k < 40; ++k)
            {
                pkts.push_back(ah(udp(7001), 17, asa));
            }
            sw.Record(node | 1, pkts[39], true);
            sw.Record(node | 1, pkts[5], true);
            sw.Record(node | 1, pkts[20], false);
            sw.Write(n + "ah-window");
        }
        // Hard byte lifetime of SA 0x1004 (6000 bytes): the fourth 2008-byte packet is late.
        {
            auto sa = FindSa(p, 0x1004, t.address);
            sa->lifetime.hardBytes = 0; // a sender that ignores it
            const std::string big(2000, 'b');
            for (int k = 0; k < 4; ++k)
            {
                sw.Record(node | 0, esp(0x1004, udp(7004, big), 17, sa), k < 3);
            }
            sw.Write(n + "esp-lifetime");
        }
    }
    // Clear traffic: accepted, refused under require, discarded, bypassed, unreachable port,
    // TCP, from absent and off-link sources, to the broadcast address.
    auto plain = [&](uint8_t selector, uint16_t sport, uint16_t dport, const std::string& name) {
        sw.RecordBytes(selector, UdpBytes(sport, dport, "clear"), false);
        sw.Write(name);
    };
    plain(3, 40000, 7004, "udp-use-7004");
    plain(3, 40000, 7000, "udp-require-7000");
    plain(3, 40000, 7005, "udp-discard-7005");
    plain(3, 5060, 7000, "udp-bypass-5060");
    plain(3, 40000, 9999, "udp-closed-port");
    plain(3 | 0x20, 40000, 7000, "udp-absent-source");
    plain(3 | 0x30, 40000, 7000, "udp-offlink-source");
    plain(3 | 0x40, 40000, 7000, "udp-broadcast");
    plain(3 | 0x08 | 0x10, 40000, 7000, "udp-other-peer");
    {
        std::vector<uint8_t> syn(20, 0);
        syn[0] = 0x9c; // 40000
        syn[1] = 0x40;
        syn[2] = 0x1b; // 7000
        syn[3] = 0x58;
        syn[7] = 1;       // sequence number
        syn[12] = 5 << 4; // data offset
        syn[13] = 0x02;   // SYN
        syn[14] = 0xff;   // window
        sw.RecordBytes(4, syn, false);
        sw.Write("tcp-syn");
        syn[12] = 6 << 4; // one option word: kind 0x99, length 0 (would hang ns-3, shielded)
        syn.insert(syn.end(), {0x99, 0, 0, 0});
        sw.RecordBytes(4, syn, false);
        sw.Write("tcp-option-length-0");
    }
}

} // namespace

extern "C" int
LLVMFuzzerInitialize(int*, char***)
{
    BuildWorld();
    if (const char* dir = std::getenv("PRESEC_IPSEC_PATH_SEEDS"))
    {
        WriteSeeds(dir);
        std::exit(0);
    }
    return 0;
}

extern "C" void __sanitizer_print_memory_profile(size_t, size_t) __attribute__((weak));

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static uint64_t inputs = 0;
    static const char* profileAt = std::getenv("PRESEC_IPSEC_PATH_HEAP_PROFILE");
    if (profileAt && ++inputs == std::strtoull(profileAt, nullptr, 10) &&
        __sanitizer_print_memory_profile)
    {
        __sanitizer_print_memory_profile(90, 20);
    }
    ResetForInput();
    if (!ScheduleRecords(data, size))
    {
        return 0;
    }
    Simulator::Run();
    CheckInput();
    return 0;
}
