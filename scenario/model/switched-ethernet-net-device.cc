/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "switched-ethernet-net-device.h"

#include "switched-ethernet-channel.h"

#include "ns3/ethernet-header.h"
#include "ns3/ethernet-trailer.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SwitchedEthernetNetDevice");
NS_OBJECT_ENSURE_REGISTERED(SwitchedEthernetNetDevice);

namespace
{
/// An Ethernet payload's least size (IEEE 802.3): shorter ones are padded.
constexpr uint32_t MIN_PAYLOAD = 46;
/// The DIX header's size (EthernetHeader without preamble).
constexpr uint32_t HEADER = 14;
/// The FCS trailer's size.
constexpr uint32_t TRAILER = 4;
} // namespace

TypeId
SwitchedEthernetNetDevice::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::SwitchedEthernetNetDevice")
            .SetParent<NetDevice>()
            .SetGroupName("PresecScenario")
            .AddConstructor<SwitchedEthernetNetDevice>()
            .AddAttribute("Address",
                          "The MAC address.",
                          Mac48AddressValue(Mac48Address("ff:ff:ff:ff:ff:ff")),
                          MakeMac48AddressAccessor(&SwitchedEthernetNetDevice::m_address),
                          MakeMac48AddressChecker())
            .AddAttribute("Mtu",
                          "The MAC-level MTU.",
                          UintegerValue(1500),
                          MakeUintegerAccessor(&SwitchedEthernetNetDevice::SetMtu,
                                               &SwitchedEthernetNetDevice::GetMtu),
                          MakeUintegerChecker<uint16_t>(68))
            .AddAttribute("TxQueueSize",
                          "Frames the transmitter holds (the one on the wire included).",
                          UintegerValue(100),
                          MakeUintegerAccessor(&SwitchedEthernetNetDevice::m_txQueueSize),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("ReceiveErrorModel",
                          "Corrupts received frames.",
                          PointerValue(),
                          MakePointerAccessor(&SwitchedEthernetNetDevice::m_receiveErrorModel),
                          MakePointerChecker<ErrorModel>())
            .AddTraceSource("MacTx",
                            "A frame handed to the transmitter, whole.",
                            MakeTraceSourceAccessor(&SwitchedEthernetNetDevice::m_macTxTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("MacRx",
                            "A frame for this station (or a broadcast), whole.",
                            MakeTraceSourceAccessor(&SwitchedEthernetNetDevice::m_macRxTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("Sniffer",
                            "Frames sent and frames for this station, whole (pcap).",
                            MakeTraceSourceAccessor(&SwitchedEthernetNetDevice::m_snifferTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource(
                "PromiscSniffer",
                "Every frame sent or received, whole (what a sniffer on the port sees).",
                MakeTraceSourceAccessor(&SwitchedEthernetNetDevice::m_promiscSnifferTrace),
                "ns3::Packet::TracedCallback")
            .AddTraceSource("Drop",
                            "A frame not sent or not passed up, and why.",
                            MakeTraceSourceAccessor(&SwitchedEthernetNetDevice::m_dropTrace),
                            "ns3::QueueDisc::DropTracedCallback"); // same (packet, reason)
    return tid;
}

SwitchedEthernetNetDevice::SwitchedEthernetNetDevice()
{
    NS_LOG_FUNCTION(this);
}

void
SwitchedEthernetNetDevice::DoDispose()
{
    m_channel = nullptr;
    m_node = nullptr;
    m_receiveErrorModel = nullptr;
    m_rxCallback =
        MakeNullCallback<bool, Ptr<NetDevice>, Ptr<const Packet>, uint16_t, const Address&>();
    m_promiscCallback = MakeNullCallback<bool,
                                         Ptr<NetDevice>,
                                         Ptr<const Packet>,
                                         uint16_t,
                                         const Address&,
                                         const Address&,
                                         PacketType>();
    NetDevice::DoDispose();
}

void
SwitchedEthernetNetDevice::Attach(Ptr<SwitchedEthernetChannel> channel)
{
    NS_LOG_FUNCTION(this << channel);
    NS_ABORT_MSG_IF(m_channel, "SwitchedEthernetNetDevice: already attached");
    m_channel = channel;
    m_port = channel->AddPort(this);
    NotifyLinkChange();
}

uint32_t
SwitchedEthernetNetDevice::GetPort() const
{
    return m_port;
}

const SwitchedEthernetNetDevice::Stats&
SwitchedEthernetNetDevice::GetStats() const
{
    return m_stats;
}

void
SwitchedEthernetNetDevice::NotifyLinkChange()
{
    m_linkChanges();
}

void
SwitchedEthernetNetDevice::Drop(Ptr<const Packet> frame, const char* reason)
{
    NS_LOG_LOGIC("drop " << frame << ": " << reason);
    ++m_stats.drops[reason];
    m_dropTrace(frame, reason);
}

bool
SwitchedEthernetNetDevice::Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber)
{
    return SendFrom(packet, m_address, dest, protocolNumber);
}

bool
SwitchedEthernetNetDevice::SendFrom(Ptr<Packet> packet,
                                    const Address& source,
                                    const Address& dest,
                                    uint16_t protocolNumber)
{
    NS_LOG_FUNCTION(this << packet << source << dest << protocolNumber);
    if (!IsLinkUp())
    {
        Drop(packet, NO_CABLE);
        return false;
    }
    Mac48Address from = Mac48Address::ConvertFrom(source);
    Mac48Address to = Mac48Address::ConvertFrom(dest);
    // The frame as CsmaNetDevice builds it in DIX mode: real padding bytes (pcaps show them).
    if (packet->GetSize() < MIN_PAYLOAD)
    {
        uint8_t zeros[MIN_PAYLOAD] = {};
        packet->AddAtEnd(Create<Packet>(zeros, MIN_PAYLOAD - packet->GetSize()));
    }
    EthernetHeader header(false);
    header.SetSource(from);
    header.SetDestination(to);
    header.SetLengthType(protocolNumber);
    packet->AddHeader(header);
    EthernetTrailer trailer;
    if (Node::ChecksumEnabled())
    {
        trailer.EnableFcs(true);
    }
    trailer.CalcFcs(packet);
    packet->AddTrailer(trailer);

    const Time now = Simulator::Now();
    while (!m_txQueue.empty() && m_txQueue.front() <= now)
    {
        m_txQueue.pop_front();
    }
    if (m_txQueue.size() >= m_txQueueSize)
    {
        Drop(packet, TX_QUEUE_FULL);
        return false;
    }
    m_macTxTrace(packet);
    m_snifferTrace(packet);
    m_promiscSnifferTrace(packet);
    const Time start = std::max(now, m_txBusyUntil); // after the frames queued before it
    m_txBusyUntil = start + m_channel->GetDataRate().CalculateBytesTxTime(packet->GetSize());
    m_txQueue.push_back(m_txBusyUntil);
    ++m_stats.sentFrames;
    m_channel->Transmit(m_port,
                        packet,
                        from,
                        to,
                        protocolNumber,
                        start - now,
                        m_txBusyUntil + m_channel->GetDelay());
    return true;
}

void
SwitchedEthernetNetDevice::Receive(Ptr<Packet> frame,
                                   Mac48Address source,
                                   Mac48Address destination,
                                   uint16_t protocol)
{
    NS_LOG_FUNCTION(this << frame << source << destination << protocol);
    if (!IsLinkUp())
    {
        Drop(frame, NO_CABLE); // the cable was pulled while the frame was on its way
        return;
    }
    if (m_receiveErrorModel && m_receiveErrorModel->IsCorrupt(frame))
    {
        Drop(frame, RECEIVE_ERROR);
        return;
    }
    PacketType type = destination.IsBroadcast()  ? PACKET_BROADCAST
                      : destination.IsGroup()    ? PACKET_MULTICAST
                      : destination == m_address ? PACKET_HOST
                                                 : PACKET_OTHERHOST;
    m_promiscSnifferTrace(frame);
    if (type != PACKET_OTHERHOST)
    {
        m_snifferTrace(frame);
        m_macRxTrace(frame);
    }
    if (type == PACKET_OTHERHOST && m_promiscCallback.IsNull())
    {
        return; // flooded unicast for another station
    }
    // The traces had the whole frame; strip it in place (the channel gave this receiver a
    // frame of its own), skipping the header's deserialisation: the channel passed its fields.
    if (Node::ChecksumEnabled())
    {
        EthernetTrailer trailer;
        frame->RemoveTrailer(trailer);
        trailer.EnableFcs(true);
        if (!trailer.CheckFcs(frame))
        {
            Drop(frame, BAD_FCS);
            return;
        }
    }
    else
    {
        frame->RemoveAtEnd(TRAILER);
    }
    frame->RemoveAtStart(HEADER);
    if (!m_promiscCallback.IsNull())
    {
        m_promiscCallback(this, frame, protocol, source, destination, type);
    }
    if (type != PACKET_OTHERHOST)
    {
        ++m_stats.receivedFrames;
        if (!m_rxCallback.IsNull()) // a device on no node (Node::AddDevice sets it)
        {
            m_rxCallback(this, frame, protocol, source);
        }
    }
}

void
SwitchedEthernetNetDevice::SetIfIndex(const uint32_t index)
{
    m_ifIndex = index;
}

uint32_t
SwitchedEthernetNetDevice::GetIfIndex() const
{
    return m_ifIndex;
}

Ptr<Channel>
SwitchedEthernetNetDevice::GetChannel() const
{
    return m_channel;
}

void
SwitchedEthernetNetDevice::SetAddress(Address address)
{
    m_address = Mac48Address::ConvertFrom(address);
}

Address
SwitchedEthernetNetDevice::GetAddress() const
{
    return m_address;
}

bool
SwitchedEthernetNetDevice::SetMtu(const uint16_t mtu)
{
    m_mtu = mtu;
    return true;
}

uint16_t
SwitchedEthernetNetDevice::GetMtu() const
{
    return m_mtu;
}

bool
SwitchedEthernetNetDevice::IsLinkUp() const
{
    return m_channel && m_channel->IsPlugged(m_port);
}

void
SwitchedEthernetNetDevice::AddLinkChangeCallback(Callback<void> callback)
{
    m_linkChanges.ConnectWithoutContext(callback);
}

bool
SwitchedEthernetNetDevice::IsBroadcast() const
{
    return true;
}

Address
SwitchedEthernetNetDevice::GetBroadcast() const
{
    return Mac48Address::GetBroadcast();
}

bool
SwitchedEthernetNetDevice::IsMulticast() const
{
    return true;
}

Address
SwitchedEthernetNetDevice::GetMulticast(Ipv4Address multicastGroup) const
{
    return Mac48Address::GetMulticast(multicastGroup);
}

Address
SwitchedEthernetNetDevice::GetMulticast(Ipv6Address addr) const
{
    return Mac48Address::GetMulticast(addr);
}

bool
SwitchedEthernetNetDevice::IsBridge() const
{
    return false;
}

bool
SwitchedEthernetNetDevice::IsPointToPoint() const
{
    return false;
}

Ptr<Node>
SwitchedEthernetNetDevice::GetNode() const
{
    return m_node;
}

void
SwitchedEthernetNetDevice::SetNode(Ptr<Node> node)
{
    m_node = node;
}

bool
SwitchedEthernetNetDevice::NeedsArp() const
{
    return true;
}

void
SwitchedEthernetNetDevice::SetReceiveCallback(NetDevice::ReceiveCallback cb)
{
    m_rxCallback = cb;
}

void
SwitchedEthernetNetDevice::SetPromiscReceiveCallback(PromiscReceiveCallback cb)
{
    m_promiscCallback = cb;
}

bool
SwitchedEthernetNetDevice::SupportsSendFrom() const
{
    return true;
}

} // namespace ns3
