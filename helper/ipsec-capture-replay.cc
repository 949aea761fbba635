/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ipsec-capture-replay.h"

#include "ipsec-helper.h"

#include "ns3/abort.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipsec-layer.h"
#include "ns3/log.h"
#include "ns3/ns3-parser-shield.h"
#include "ns3/pcap-capture-reader.h"
#include "ns3/simple-net-device-helper.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/tag.h"

#include <cstdio>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpsecCaptureReplay");

namespace
{

/** Marks a fed packet with its row, so its verdict finds it through the stack. */
class ReplayFrameTag : public Tag
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId()
    {
        static TypeId tid = TypeId("ns3::PresecReplayFrameTag")
                                .SetParent<Tag>()
                                .SetGroupName("Presec")
                                .AddConstructor<ReplayFrameTag>();
        return tid;
    }

    TypeId GetInstanceTypeId() const override
    {
        return GetTypeId();
    }

    uint32_t GetSerializedSize() const override
    {
        return 16;
    }

    void Serialize(TagBuffer i) const override
    {
        i.WriteU64(replay);
        i.WriteU64(row);
    }

    void Deserialize(TagBuffer i) override
    {
        replay = i.ReadU64();
        row = i.ReadU64();
    }

    void Print(std::ostream& os) const override
    {
        os << "replay=" << replay << " row=" << row;
    }

    uint64_t replay{0}; //!< which Replay call fed the packet
    uint64_t row{0};    //!< index in that call's verdicts
};

uint32_t
ReadU32(const uint8_t* p)
{
    return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3];
}

/** \return true if the IPv4 packet is a fragment other than the first */
bool
IsLaterFragment(const std::vector<uint8_t>& ip)
{
    return ((ip[6] & 0x1f) | ip[7]) != 0;
}

/**
 * SPI and sequence number of the outermost ESP or AH header of an IPv4 packet (RFC 4303
 * §2, RFC 4302 §2), for the report only: the IpsecLayer reads them itself.
 */
void
ReadOuterSpi(const std::vector<uint8_t>& ip, ReplayVerdict& v)
{
    if (IsLaterFragment(ip))
    {
        return;
    }
    const uint32_t headerLength = (ip[0] & 0x0f) * 4u;
    const uint8_t protocol = ip[9];
    const uint32_t offset = headerLength + (protocol == 51 ? 4 : 0);
    if ((protocol != 50 && protocol != 51) || ip.size() < offset + 8)
    {
        return;
    }
    v.spi = ReadU32(ip.data() + offset);
    v.sequence = ReadU32(ip.data() + offset + 4);
}

std::string
Ipv4DropName(Ipv4L3Protocol::DropReason reason)
{
    switch (reason)
    {
    case Ipv4L3Protocol::DROP_TTL_EXPIRED:
        return "ipv4-ttl-expired";
    case Ipv4L3Protocol::DROP_NO_ROUTE:
        return "ipv4-no-route";
    case Ipv4L3Protocol::DROP_BAD_CHECKSUM:
        return "ipv4-bad-checksum";
    case Ipv4L3Protocol::DROP_INTERFACE_DOWN:
        return "ipv4-interface-down";
    case Ipv4L3Protocol::DROP_ROUTE_ERROR:
        return "ipv4-route-error";
    case Ipv4L3Protocol::DROP_FRAGMENT_TIMEOUT:
        return "ipv4-fragment-timeout";
    case Ipv4L3Protocol::DROP_DUPLICATE:
        return "ipv4-duplicate";
    }
    return "ipv4-drop-" + std::to_string(static_cast<int>(reason));
}

} // namespace

IpsecCaptureReplay::IpsecCaptureReplay()
{
    NS_LOG_FUNCTION(this);
}

IpsecCaptureReplay::~IpsecCaptureReplay()
{
    NS_LOG_FUNCTION(this);
}

std::string
IpsecCaptureReplay::Setup(Ipv4Address address,
                          Ipv4Mask mask,
                          const std::string& setkeyPath,
                          const std::string& cryptoMode,
                          const std::string& costProfile)
{
    NS_LOG_FUNCTION(this << address << mask << setkeyPath << cryptoMode << costProfile);
    m_address = address;
    m_mask = mask;
    m_node = CreateObject<Node>();
    SimpleNetDeviceHelper simple;
    m_device = simple.Install(m_node).Get(0);
    InternetStackHelper().Install(m_node);
    m_ipv4 = m_node->GetObject<Ipv4L3Protocol>();
    int32_t interface = m_ipv4->AddInterface(m_device);
    m_ipv4->AddAddress(interface, Ipv4InterfaceAddress(address, mask));
    m_ipv4->SetUp(interface);

    IpsecHelper ipsec;
    ipsec.SetLayerAttribute("CryptoMode", StringValue(cryptoMode));
    ipsec.SetCostModel(costProfile);
    m_layer = ipsec.Install(m_node);
    // A capture may hold TCP or ICMP packets on which ns-3's own parsers hang or abort: they
    // get the layer's verdict and go no further.
    Ns3ParserShield::Install(m_ipv4, m_layer);
    std::string error = LoadSetkeyFile(setkeyPath);
    if (!error.empty())
    {
        return error;
    }
    m_layer->TraceConnectWithoutContext("Drop",
                                        MakeCallback(&IpsecCaptureReplay::OnIpsecDrop, this));
    m_layer->TraceConnectWithoutContext("ProtectedRx",
                                        MakeCallback(&IpsecCaptureReplay::OnIpsecAccept, this));
    m_layer->TraceConnectWithoutContext("PlainRx",
                                        MakeCallback(&IpsecCaptureReplay::OnIpsecAccept, this));
    m_ipv4->TraceConnectWithoutContext("Drop", MakeCallback(&IpsecCaptureReplay::OnIpv4Drop, this));
    return "";
}

std::string
IpsecCaptureReplay::LoadSetkeyFile(const std::string& setkeyPath)
{
    NS_LOG_FUNCTION(this << setkeyPath);
    NS_ABORT_MSG_IF(!m_layer, "IpsecCaptureReplay::LoadSetkeyFile before Setup");
    return IpsecHelper::LoadSetkeyFile(m_node, setkeyPath);
}

bool
IpsecCaptureReplay::IsForHost(Ipv4Address destination) const
{
    return destination == m_address || destination.IsBroadcast() || destination.IsMulticast() ||
           destination == m_address.GetSubnetDirectedBroadcast(m_mask);
}

std::string
IpsecCaptureReplay::Replay(const std::string& pcapPath)
{
    NS_LOG_FUNCTION(this << pcapPath);
    NS_ABORT_MSG_IF(!m_layer, "IpsecCaptureReplay::Replay before Setup");
    m_verdicts.clear();
    ++m_replays; // packets still in the stack from an earlier call no longer count
    PcapCaptureReader reader;
    std::string error = reader.Open(pcapPath);
    if (!error.empty())
    {
        return error;
    }

    // Read the whole file first: a damaged file is an error before anything is fed.
    struct Fed
    {
        Ptr<Packet> packet;
        NetDevice::PacketType type;
        Time at;
    };

    std::vector<Fed> fed;
    std::vector<ReplayVerdict> verdicts;
    std::optional<Time> first;
    Time at(0);
    CapturedFrame frame;
    while (reader.Next(frame, error))
    {
        if (!first)
        {
            first = frame.timestamp;
        }
        // Capture time relative to the first frame; never backwards, so order is kept.
        at = std::max(at, frame.timestamp - *first);
        if (frame.content == CapturedFrame::Content::OTHER || frame.ipv4.size() < 20)
        {
            continue;
        }
        Ipv4Address destination(ReadU32(frame.ipv4.data() + 16));
        if (!IsForHost(destination))
        {
            continue;
        }
        ReplayVerdict v;
        v.frame = frame.number;
        if (frame.content != CapturedFrame::Content::IPV4)
        {
            v.outcome = ReplayVerdict::Outcome::NOT_FED;
            v.reason = frame.content == CapturedFrame::Content::TRUNCATED ? "truncated-capture"
                                                                          : "malformed-ipv4";
            verdicts.push_back(v);
            continue;
        }
        ReadOuterSpi(frame.ipv4, v);
        if (IsLaterFragment(frame.ipv4))
        {
            // ns-3 reassembles under the first fragment's tags: the packet's verdict is on the
            // first fragment's row, this one says so unless it gets its own (a timeout).
            v.reason = "fragment";
        }
        Ptr<Packet> packet =
            Create<Packet>(frame.ipv4.data(), static_cast<uint32_t>(frame.ipv4.size()));
        ReplayFrameTag tag;
        tag.replay = m_replays;
        tag.row = verdicts.size();
        packet->AddPacketTag(tag);
        NetDevice::PacketType type = destination == m_address    ? NetDevice::PACKET_HOST
                                     : destination.IsMulticast() ? NetDevice::PACKET_MULTICAST
                                                                 : NetDevice::PACKET_BROADCAST;
        fed.push_back({packet, type, at});
        verdicts.push_back(v);
    }
    if (!error.empty())
    {
        return error;
    }
    m_verdicts = std::move(verdicts);
    // Delays from now: capture times relative to the first frame.
    for (const Fed& f : fed)
    {
        Simulator::Schedule(f.at, &IpsecCaptureReplay::Inject, this, f.packet, f.type);
    }
    fed.clear();
    // Verdicts may wait for a CPU delay or, for fragments, the reassembly timeout (30 s).
    Simulator::Stop(at + Seconds(60));
    Simulator::Run();
    return "";
}

void
IpsecCaptureReplay::Inject(Ptr<Packet> packet, NetDevice::PacketType type)
{
    NS_LOG_FUNCTION(this << packet << type);
    // As a device's receive callback would: the frame's sender is of no concern to IPv4.
    m_ipv4->Receive(m_device,
                    packet,
                    Ipv4L3Protocol::PROT_NUMBER,
                    Mac48Address("02:00:00:00:00:01"),
                    m_device->GetAddress(),
                    type);
}

ReplayVerdict*
IpsecCaptureReplay::Undecided(Ptr<const Packet> p)
{
    ReplayFrameTag tag;
    if (!p->PeekPacketTag(tag) || tag.replay != m_replays || tag.row >= m_verdicts.size())
    {
        return nullptr; // not fed by this Replay: the host's own replies, or an earlier call's
    }
    ReplayVerdict& v = m_verdicts[tag.row];
    return v.outcome == ReplayVerdict::Outcome::NONE ? &v : nullptr;
}

void
IpsecCaptureReplay::Decide(Ptr<const Packet> p,
                           const Ipv4Header& header,
                           ReplayVerdict::Outcome outcome,
                           const std::string& reason)
{
    NS_LOG_FUNCTION(this << p << header << reason);
    ReplayVerdict* v = Undecided(p);
    if (!v)
    {
        return;
    }
    v->outcome = outcome;
    v->reason = reason;
    const uint8_t protocol = header.GetProtocol();
    if (protocol == 50 || protocol == 51 || protocol == 108)
    {
        return; // still protected: what is inside is unknown
    }
    v->innerProtocol = protocol;
    if ((protocol == 6 || protocol == 17) && p->GetSize() >= 4)
    {
        uint8_t ports[4];
        p->CopyData(ports, 4);
        v->innerSourcePort = static_cast<uint16_t>((ports[0] << 8) | ports[1]);
        v->innerDestinationPort = static_cast<uint16_t>((ports[2] << 8) | ports[3]);
    }
}

void
IpsecCaptureReplay::OnIpsecDrop(Ptr<const Packet> p,
                                const Ipv4Header& header,
                                IpsecDropReason reason)
{
    Decide(p, header, ReplayVerdict::Outcome::DROPPED, ns3::ToString(reason));
}

void
IpsecCaptureReplay::OnIpsecAccept(Ptr<const Packet> p, const Ipv4Header& header)
{
    Decide(p, header, ReplayVerdict::Outcome::DELIVERED, "");
}

void
IpsecCaptureReplay::OnIpv4Drop(const Ipv4Header& header,
                               Ptr<const Packet> p,
                               Ipv4L3Protocol::DropReason reason,
                               Ptr<Ipv4>,
                               uint32_t)
{
    Decide(p, header, ReplayVerdict::Outcome::DROPPED, Ipv4DropName(reason));
}

const std::vector<ReplayVerdict>&
IpsecCaptureReplay::GetVerdicts() const
{
    return m_verdicts;
}

Ptr<IpsecLayer>
IpsecCaptureReplay::GetLayer() const
{
    return m_layer;
}

std::string
IpsecCaptureReplay::ToString(ReplayVerdict::Outcome outcome)
{
    switch (outcome)
    {
    case ReplayVerdict::Outcome::DELIVERED:
        return "delivered";
    case ReplayVerdict::Outcome::DROPPED:
        return "dropped";
    case ReplayVerdict::Outcome::NONE:
        return "none";
    case ReplayVerdict::Outcome::NOT_FED:
        return "not-fed";
    }
    return "none";
}

void
IpsecCaptureReplay::WriteCsv(std::ostream& os, const std::vector<ReplayVerdict>& verdicts)
{
    os << "frame,spi,seq,verdict,reason,inner_protocol,inner_sport,inner_dport\n";
    for (const ReplayVerdict& v : verdicts)
    {
        char spi[16] = "";
        if (v.spi)
        {
            std::snprintf(spi, sizeof(spi), "0x%08x", *v.spi);
        }
        auto field = [](const auto& value) {
            return value ? std::to_string(+*value) : std::string();
        };
        os << v.frame << ',' << spi << ',' << field(v.sequence) << ',' << ToString(v.outcome) << ','
           << v.reason << ',' << field(v.innerProtocol) << ',' << field(v.innerSourcePort) << ','
           << field(v.innerDestinationPort) << '\n';
    }
}

} // namespace ns3
