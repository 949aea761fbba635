/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// libFuzzer target: the IkeAgent's whole receive path on a node with live IKE and child SAs.
//
// The world, built once and rebuilt now and then: two nodes 192.168.1.1 (A, the IKE initiator)
// and .2 (B, the responder) on CSMA with the internet stack, an IpsecLayer (CryptoMode real,
// esp/transport require both ways) and an IkeAgent each. A negotiates one IKE SA with B
// (IKE_SA_INIT + IKE_AUTH) and a second child (CREATE_CHILD_SA), so B expects message ID 3
// next and has the response to ID 2 cached. The agents' random streams are fixed
// (AssignStreams), so every build derives the same SPIs and keys.
//
// Input: a mode byte, then a datagram. The datagram is sent from a UDP socket of node A (an
// ephemeral port; the agent looks at the sender's address only) to B's port 500, so it takes
// the real path: UDP, IpsecLayer (port 500 bypasses the SPD), the agent's socket, Receive and
// the handlers. Anything B answers goes to A's agent. The simulator then runs 5 ms. The mode
// byte gets the datagram past the SPI lookup (else nearly every input ends as unknown-spi):
//   mode & 3 == 0  the datagram as is
//   mode & 3 == 1  the live IKE SA's SPIs written into the header
//   mode & 3 == 2  the SPIs, the initiator flag, and message ID 1 + (mode >> 2 & 3): the
//                  IKE_AUTH, the answered CREATE_CHILD_SA (from B's cache), the next request
//   mode & 3 == 3  as 2, and the header's length set to the datagram's size
//   mode & 0x10    (takes precedence) the datagram is the *inner* payload chain of a request
//                  (its first byte the type of the first payload): if it parses, the target
//                  wraps it in an SK payload under the live IKE SA's SK_ei / SK_ai, with the
//                  SPIs, the initiator flag, exchange type 35 + (mode >> 5 & 3) and message
//                  ID 1 + (mode >> 2 & 3), so it passes the integrity check and reaches the
//                  handlers. The keys come from the captured IKE_SA_INIT pair: the modeled DH
//                  secret is a PRF of both public values, so the wire tells them (checked at
//                  set-up by decrypting A's IKE_AUTH request).
//   mode & 0x90 == 0x90  as 0x10, but the request goes as RFC 7383 SKF fragments of at most
//                  96 bytes (31 bytes of inner payloads each; both agents have Fragmentation
//                  on), all of them in order, or (mode & 1) in reverse order, or (mode & 2)
//                  without the last one (a reassembly left open).
// Without that mode, SK payloads almost always fail the integrity check, which is counted. The
// seeds (test/fuzz/seeds/ike/, mode 0) are the datagrams of that negotiation and of a following
// INFORMATIONAL Delete, as this target writes them with PRESEC_IKE_SEEDS=dir; the
// INFORMATIONAL request passes the integrity check, so the Delete handler runs too.
//
// Invariants (std::abort on violation), for both agents after every input:
//  1. every datagram the agent received is processed or dropped under a named reason:
//     datagramsReceived == TotalReceived() + drops;
//  2. the drops per reason add up to the drops and every reason is one of the named ones;
//  3. B received exactly the datagrams of the input (one, or the fragments sent).
// PRESEC_IKE_VERBOSE=1 prints the responder's counters after each input.
// Crashes, leaks and undefined behaviour are caught by ASan/UBSan.
//
// State: every well-formed IKE_SA_INIT request makes B a half-open IKE SA (it lives for
// HalfOpenTimeout, 30 s, 6000 inputs), and an input that passes the integrity check changes
// the live SAs. So the world is rebuilt (Simulator::Destroy) every kRebuildEvery inputs and
// after any input that B processed past the integrity check, which keeps the state bounded
// and the runs reproducible from the last rebuild.

#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/ike-agent-helper.h"
#include "ns3/ike-agent.h"
#include "ns3/ike-header.h"
#include "ns3/ike-key-schedule.h"
#include "ns3/ike-proposals.h"
#include "ns3/internet-module.h"
#include "ns3/ipsec-helper.h"
#include "ns3/network-module.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

constexpr uint64_t kRebuildEvery = 2000;

/// One datagram sent by an agent during the set-up.
struct Captured
{
    uint32_t node;
    std::vector<uint8_t> bytes;
};

struct World
{
    NodeContainer nodes;
    Ptr<IkeAgent> agent[2];
    Ptr<Socket> sender; //!< on node A, ephemeral port
    Ipv4Address addrB;
    uint64_t spiI{0};
    uint64_t spiR{0};
    uint64_t inputs{0};
    uint64_t deepBaseline{0}; //!< B's processed IKE_AUTH, CREATE_CHILD_SA, INFORMATIONAL
    IkeSkKeys keysI;          //!< the IKE SA's SK_ei / SK_ai (encrypted mode)
    std::vector<Captured> captured;
};

std::unique_ptr<World> g_world;

[[noreturn]] void
Fail(const std::string& what)
{
    std::fprintf(stderr, "fuzz-ike: invariant violated: %s\n", what.c_str());
    std::fflush(stderr);
    std::abort();
}

uint64_t
Deep(const IkeAgent::Stats& s)
{
    return s.Received(IkeExchangeType::IKE_AUTH) + s.Received(IkeExchangeType::CREATE_CHILD_SA) +
           s.Received(IkeExchangeType::INFORMATIONAL);
}

uint64_t
ReadBe64(const uint8_t* b)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i)
    {
        v = (v << 8) | b[i];
    }
    return v;
}

void
WriteBe(uint8_t* b, uint64_t v, int n)
{
    for (int i = n - 1; i >= 0; --i)
    {
        b[i] = uint8_t(v);
        v >>= 8;
    }
}

/// Ipv4L3Protocol Tx sink: keep the IKE datagrams (UDP port 500 to 500) a node sends.
void
CaptureTx(World* w, uint32_t node, Ptr<const Packet> p, Ptr<Ipv4>, uint32_t)
{
    Ptr<Packet> c = p->Copy();
    Ipv4Header ip;
    c->RemoveHeader(ip);
    if (ip.GetProtocol() != UdpL4Protocol::PROT_NUMBER || ip.GetFragmentOffset() != 0 ||
        !ip.IsLastFragment())
    {
        return;
    }
    UdpHeader udp;
    c->RemoveHeader(udp);
    if (udp.GetSourcePort() != 500 || udp.GetDestinationPort() != 500)
    {
        return;
    }
    Captured cap{node, std::vector<uint8_t>(c->GetSize())};
    c->CopyData(cap.bytes.data(), cap.bytes.size());
    w->captured.push_back(std::move(cap));
}

/// The payload of a type in a captured clear message.
const IkePayload*
FindIn(const IkeMessage& m, IkePayloadType t)
{
    const IkePayload* p = m.Find(t);
    if (p == nullptr)
    {
        Fail("set-up: a captured IKE_SA_INIT lacks a payload");
    }
    return p;
}

/// SK_ei / SK_ai of the live IKE SA from the captured IKE_SA_INIT pair (RFC 7296 §2.14).
void
DeriveKeys(World& w)
{
    std::optional<IkeMessage> req;
    std::optional<IkeMessage> resp;
    std::vector<uint8_t> authReq;
    for (const Captured& c : w.captured)
    {
        if (c.bytes.size() < 28)
        {
            continue;
        }
        auto parsed = IkeMessage::Parse(c.bytes.data(), c.bytes.size());
        if (!parsed)
        {
            continue;
        }
        IkeMessage m = parsed.TakeValue();
        auto type = IkeExchangeType(m.header.exchangeType);
        if (type == IkeExchangeType::IKE_SA_INIT && c.node == 0 && !req)
        {
            req = m;
        }
        else if (type == IkeExchangeType::IKE_SA_INIT && c.node == 1 && !resp)
        {
            resp = m;
        }
        else if (type == IkeExchangeType::IKE_AUTH && c.node == 0 && authReq.empty())
        {
            authReq = c.bytes;
        }
    }
    if (!req || !resp || authReq.empty())
    {
        Fail("set-up: IKE_SA_INIT pair or IKE_AUTH request not captured");
    }
    const auto& ni = FindIn(*req, IkePayloadType::NONCE)->data;
    const auto& nr = FindIn(*resp, IkePayloadType::NONCE)->data;
    const IkePayload* keI = FindIn(*req, IkePayloadType::KE);
    const IkePayload* keR = FindIn(*resp, IkePayloadType::KE);
    std::vector<uint8_t> gir =
        ikev2::ModeledSharedSecret(keI->data, keR->data, IkeProposals::GroupSize(keI->group));
    ikev2::IkeSaKeys k = ikev2::DeriveIkeSaKeys(IkeProposals::PRF,
                                                ikev2::Skeyseed(IkeProposals::PRF, ni, nr, gir),
                                                ni,
                                                nr,
                                                w.spiI,
                                                w.spiR,
                                                IkeProposals::KEY_LENGTHS);
    w.keysI.encryption = k.skEi;
    w.keysI.integrity = k.skAi;
    auto check = IkeMessage::Parse(authReq.data(), authReq.size());
    IkeMessage m = check.TakeValue();
    std::string err = m.Decrypt(authReq.data(), authReq.size(), w.keysI);
    if (!err.empty())
    {
        Fail("set-up: the derived keys do not open A's IKE_AUTH request: " + err);
    }
}

/// Encrypted mode: the input as the inner payloads of a protected request (one datagram, or
/// its fragments as the mode says), or nothing if they do not parse.
std::optional<std::vector<std::vector<uint8_t>>>
Protect(const World& w, uint8_t mode, const std::vector<uint8_t>& bytes)
{
    if (bytes.empty())
    {
        return std::nullopt;
    }
    auto inner = IkeMessage::ParseChain(bytes.data() + 1, bytes.size() - 1, bytes[0]);
    if (!inner)
    {
        return std::nullopt;
    }
    IkeMessage m;
    m.header.spiInitiator = w.spiI;
    m.header.spiResponder = w.spiR;
    m.header.flags = ike::FLAG_INITIATOR;
    m.header.exchangeType = uint8_t(35 + ((mode >> 5) & 3));
    m.header.messageId = 1 + ((mode >> 2) & 3);
    m.encrypted = true;
    m.payloads = inner.TakeValue();
    uint8_t iv[16] = {};
    if ((mode & 0x80) == 0)
    {
        return std::vector<std::vector<uint8_t>>{m.ToBytes(&w.keysI, iv)};
    }
    std::vector<std::vector<uint8_t>> out;
    for (const auto& f : m.ToFragments(
             w.keysI,
             [](uint8_t* v) { std::fill(v, v + 16, 0); },
             96))
    {
        out.emplace_back(f->GetSize());
        f->CopyData(out.back().data(), out.back().size());
    }
    if ((mode & 1) != 0)
    {
        std::reverse(out.begin(), out.end());
    }
    if ((mode & 2) != 0 && out.size() > 1)
    {
        out.pop_back();
    }
    return out;
}

/// Build the world; with withDelete, A also deletes the children at 0.3 s (seed capture).
std::unique_ptr<World>
Build(bool withDelete)
{
    Simulator::Destroy();
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);
    auto w = std::make_unique<World>();
    w->nodes.Create(2);
    CsmaHelper csma;
    csma.SetChannelAttribute("DataRate", StringValue("100Mbps"));
    csma.SetChannelAttribute("Delay", TimeValue(MicroSeconds(50)));
    NetDeviceContainer devices = csma.Install(w->nodes);
    InternetStackHelper().Install(w->nodes);
    for (uint32_t i = 0; i < 2; ++i)
    {
        w->nodes.Get(i)->GetObject<ArpL3Protocol>()->SetAttribute(
            "RequestJitter",
            StringValue("ns3::ConstantRandomVariable[Constant=0.0]"));
    }
    Ipv4InterfaceContainer ifs = Ipv4AddressHelper("192.168.1.0", "255.255.255.0").Assign(devices);
    IpsecHelper ipsec;
    ipsec.SetLayerAttribute("CryptoMode", StringValue("real"));
    ipsec.Install(w->nodes);
    for (uint32_t i = 0; i < 2; ++i)
    {
        std::string self = i == 0 ? "192.168.1.1" : "192.168.1.2";
        std::string peer = i == 0 ? "192.168.1.2" : "192.168.1.1";
        std::string text = "spdadd " + self + " " + peer +
                           " any -P out ipsec esp/transport//require;\nspdadd " + peer + " " +
                           self + " any -P in ipsec esp/transport//require;\n";
        std::string err = IpsecHelper::LoadSetkey(w->nodes.Get(i), text);
        if (!err.empty())
        {
            Fail("set-up: " + err);
        }
    }
    IkeAgentHelper helper;
    helper.SetAttribute("Fragmentation", BooleanValue(true));
    ApplicationContainer apps = helper.Install(w->nodes);
    IkeAgentHelper::AssignStreams(w->nodes, 10);
    apps.Start(Seconds(0));
    for (uint32_t i = 0; i < 2; ++i)
    {
        w->agent[i] = IkeAgentHelper::GetAgent(w->nodes.Get(i));
        World* raw = w.get();
        w->nodes.Get(i)->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
            "Tx",
            Callback<void, Ptr<const Packet>, Ptr<Ipv4>, uint32_t>(
                [raw, i](Ptr<const Packet> p, Ptr<Ipv4> ipv4, uint32_t itf) {
                    CaptureTx(raw, i, p, ipv4, itf);
                }));
    }
    w->addrB = ifs.GetAddress(1);
    Ptr<IkeAgent> a = w->agent[0];
    Ipv4Address b = w->addrB;
    Simulator::Schedule(Seconds(0.1),
                        [a, b]() { a->Initiate(b, IpsecProtocol::ESP, IpsecMode::TRANSPORT); });
    Simulator::Schedule(Seconds(0.2),
                        [a, b]() { a->Initiate(b, IpsecProtocol::ESP, IpsecMode::TRANSPORT); });
    if (withDelete)
    {
        Simulator::Schedule(Seconds(0.3), [a, b]() { a->DeleteChildSas(b); });
    }
    Simulator::Stop(Seconds(0.5));
    Simulator::Run();

    const IkeAgent::Stats& sb = w->agent[1]->GetStats();
    if (!w->agent[0]->HasIkeSa(b) || !w->agent[1]->HasIkeSa(ifs.GetAddress(0)) ||
        sb.established != 2 || sb.drops != 0)
    {
        Fail("set-up: the IKE SA and its two children were not established");
    }
    for (const Captured& c : w->captured)
    {
        if (c.node == 0 && c.bytes.size() >= 28 &&
            c.bytes[18] == uint8_t(IkeExchangeType::IKE_AUTH))
        {
            w->spiI = ReadBe64(c.bytes.data());
            w->spiR = ReadBe64(c.bytes.data() + 8);
        }
    }
    if (w->spiI == 0 || w->spiR == 0)
    {
        Fail("set-up: no IKE_AUTH request captured");
    }
    DeriveKeys(*w);
    w->deepBaseline = Deep(sb);
    w->sender = Socket::CreateSocket(w->nodes.Get(0), UdpSocketFactory::GetTypeId());
    w->sender->Bind();
    return w;
}

/// Invariants 1 and 2 for one agent.
void
CheckAgent(const IkeAgent::Stats& s, const char* who)
{
    static const std::set<std::string> kReasons = {
        IkeAgent::MALFORMED_DROP,
        IkeAgent::UNKNOWN_EXCHANGE_DROP,
        IkeAgent::UNKNOWN_SPI_DROP,
        IkeAgent::UNEXPECTED_DROP,
        IkeAgent::INTEGRITY_DROP,
        IkeAgent::BAD_MESSAGE_ID_DROP,
        IkeAgent::STALE_INIT_DROP,
        IkeAgent::FRAGMENT_DROP,
    };
    if (s.datagramsReceived != s.TotalReceived() + s.drops)
    {
        Fail(std::string(who) + ": " + std::to_string(s.datagramsReceived) +
             " datagrams received, " + std::to_string(s.TotalReceived()) + " processed, " +
             std::to_string(s.drops) + " dropped");
    }
    uint64_t sum = 0;
    for (const auto& [reason, n] : s.dropsByReason)
    {
        if (kReasons.count(reason) == 0)
        {
            Fail(std::string(who) + ": unnamed drop reason '" + reason + "'");
        }
        sum += n;
    }
    if (sum != s.drops)
    {
        Fail(std::string(who) + ": drops by reason do not add up");
    }
}

/// Write the set-up's datagrams as seeds (mode byte 0) into dir.
void
WriteSeeds(const std::string& dir)
{
    std::unique_ptr<World> w = Build(true);
    int n = 0;
    for (const Captured& c : w->captured)
    {
        if (c.bytes.size() < 28)
        {
            continue;
        }
        auto type = IkeExchangeType(c.bytes[18]);
        bool response = (c.bytes[19] & ike::FLAG_RESPONSE) != 0;
        char name[128];
        std::snprintf(name,
                      sizeof name,
                      "%s/%02d-%s-%s",
                      dir.c_str(),
                      n++,
                      ToString(type).c_str(),
                      response ? "response" : "request");
        std::ofstream out(name, std::ios::binary);
        out.put(0);
        out.write(reinterpret_cast<const char*>(c.bytes.data()), c.bytes.size());
        // A's protected requests again as inner payloads, for the encrypted mode.
        auto parsed = IkeMessage::Parse(c.bytes.data(), c.bytes.size());
        if (c.node != 0 || response || !parsed || type == IkeExchangeType::IKE_SA_INIT)
        {
            continue;
        }
        IkeMessage m = parsed.TakeValue();
        if (!m.Decrypt(c.bytes.data(), c.bytes.size(), w->keysI).empty() || m.payloads.empty())
        {
            continue;
        }
        uint8_t first = uint8_t(m.payloads.front().type);
        std::vector<uint8_t> chain = IkeMessage::SerializeChain(m.payloads);
        std::snprintf(name,
                      sizeof name,
                      "%s/%02d-%s-inner",
                      dir.c_str(),
                      n++,
                      ToString(type).c_str());
        std::ofstream inner(name, std::ios::binary);
        uint32_t id = std::min<uint32_t>(m.header.messageId, 4);
        inner.put(char(0x10 | ((uint8_t(type) - 35) << 5) | ((id - 1) << 2)));
        inner.put(char(first));
        inner.write(reinterpret_cast<const char*>(chain.data()), chain.size());
    }
    std::fprintf(stderr, "fuzz-ike: %d seeds written to %s\n", n, dir.c_str());
    Simulator::Destroy();
}

} // namespace

extern "C" int
LLVMFuzzerInitialize(int*, char***)
{
    if (const char* dir = std::getenv("PRESEC_IKE_SEEDS"))
    {
        WriteSeeds(dir);
        std::exit(0);
    }
    g_world = Build(false);
    return 0;
}

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size > 8192)
    {
        return 0;
    }
    World* w = g_world.get();
    uint8_t mode = size > 0 ? data[0] : 0;
    std::vector<uint8_t> bytes(size > 0 ? data + 1 : data, data + size);
    std::vector<std::vector<uint8_t>> more; // further fragments of a protected request
    if ((mode & 0x10) != 0)
    {
        if (auto datagrams = Protect(*w, mode, bytes))
        {
            bytes = std::move(datagrams->front());
            more.assign(datagrams->begin() + 1, datagrams->end());
            mode = 0;
        }
    }
    if ((mode & 3) != 0 && bytes.size() >= 28)
    {
        WriteBe(bytes.data(), w->spiI, 8);
        WriteBe(bytes.data() + 8, w->spiR, 8);
        if ((mode & 3) >= 2)
        {
            bytes[19] |= ike::FLAG_INITIATOR;
            WriteBe(bytes.data() + 20, 1 + ((mode >> 2) & 3), 4);
        }
        if ((mode & 3) == 3)
        {
            WriteBe(bytes.data() + 24, bytes.size(), 4);
        }
    }
    uint64_t before = w->agent[1]->GetStats().datagramsReceived;
    Ptr<Socket> s = w->sender;
    InetSocketAddress to(w->addrB, 500);
    more.insert(more.begin(), std::move(bytes));
    for (const auto& d : more)
    {
        Ptr<Packet> p = Create<Packet>(d.data(), d.size());
        Simulator::ScheduleNow([s, p, to]() { s->SendTo(p, 0, to); });
    }
    Simulator::Stop(MilliSeconds(5));
    Simulator::Run();

    const IkeAgent::Stats& sb = w->agent[1]->GetStats();
    CheckAgent(sb, "responder");
    CheckAgent(w->agent[0]->GetStats(), "initiator");
    if (sb.datagramsReceived != before + more.size())
    {
        Fail("the responder received " + std::to_string(sb.datagramsReceived - before) +
             " datagrams for " + std::to_string(more.size()));
    }
    if (std::getenv("PRESEC_IKE_VERBOSE") != nullptr)
    {
        std::fprintf(stderr,
                     "fuzz-ike: responder processed %llu (deep %llu), drops:",
                     (unsigned long long)sb.TotalReceived(),
                     (unsigned long long)Deep(sb));
        for (const auto& [reason, n] : sb.dropsByReason)
        {
            std::fprintf(stderr, " %s %llu", reason.c_str(), (unsigned long long)n);
        }
        std::fprintf(stderr,
                     "; initiator drops %llu\n",
                     (unsigned long long)w->agent[0]->GetStats().drops);
    }
    if (++w->inputs >= kRebuildEvery || Deep(sb) != w->deepBaseline)
    {
        g_world.reset();
        g_world = Build(false);
    }
    return 0;
}
