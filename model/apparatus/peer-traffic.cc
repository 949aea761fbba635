/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "peer-traffic.h"

#include "rtp-header.h"
#include "rtp-send-time-tag.h"

#include "ns3/hash.h"
#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/tcp-listener.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/udp-socket-factory.h"

#include <algorithm>
#include <string>
#include <vector>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("PeerTraffic");

void
PeerTraffic::Start(Ptr<Node> node, uint16_t port, bool bulk, PeerTrafficUser* user)
{
    m_node = node;
    m_user = user;
    if (bulk && !m_bulkListener)
    {
        m_bulkListener = Socket::CreateSocket(node, TcpSocketFactory::GetTypeId());
        m_bulkListener->Bind(InetSocketAddress(Ipv4Address::GetAny(), port));
        TcpListener::Listen(m_bulkListener);
        m_bulkListener->ShutdownSend();
        m_bulkListener->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                          MakeCallback(&PeerTraffic::BulkAccepted, this));
    }
    m_socket = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
    m_socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), port));
    // As ns-3's UdpClient (the scenarios' plain baseline): the voice goes to unicast peers
    // only, and without it ns-3 checks every datagram against the outgoing interface's
    // subnet broadcast addresses.
    m_socket->SetAllowBroadcast(true);
    m_socket->SetRecvCallback(MakeCallback(&PeerTraffic::HandleRead, this));
}

void
PeerTraffic::Stop()
{
    if (m_socket)
    {
        m_socket->Close();
        m_socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        m_socket = nullptr;
    }
}

void
PeerTraffic::Dispose()
{
    for (auto& s : m_bulkSenders)
    {
        s->Stop();
    }
    m_bulkSenders.clear();
    for (auto& s : m_bulkConnections)
    {
        s->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
    }
    m_bulkConnections.clear();
    m_bulkListener = nullptr;
    m_socket = nullptr;
    m_node = nullptr;
    m_user = nullptr;
}

uint32_t
PeerTraffic::MakeSsrc(Ipv4Address peer) const
{
    const uint32_t who[2] = {m_node->GetId(), peer.Get()};
    return Hash32(reinterpret_cast<const char*>(who), sizeof(who));
}

bool
PeerTraffic::SendVoice(Ipv4Address peer,
                       uint16_t port,
                       uint8_t tos,
                       uint32_t ssrc,
                       uint32_t seq,
                       const VoiceFormat& format)
{
    RtpHeader h;
    h.SetPayloadType(format.payloadType);
    h.SetSequenceNumber(uint16_t(seq));
    // The media clock advances by one interval per packet (8 kHz, 20 ms: 160 ticks).
    h.SetTimestamp(uint32_t(uint64_t(seq) * uint64_t(format.interval.GetMicroSeconds()) *
                            format.clockRate / 1000000));
    h.SetSsrc(ssrc);
    uint32_t bytes = format.bytes;
    Ptr<Packet> p =
        Create<Packet>(bytes > h.GetSerializedSize() ? bytes - h.GetSerializedSize() : 0);
    p->AddHeader(h);
    p->AddPacketTag(RtpSendTimeTag(Simulator::Now()));
    if (m_lastTo.address.IsInvalid() || m_lastTo.peer != peer || m_lastTo.port != port ||
        m_lastTo.tos != tos)
    {
        // ns-3's UdpSocketImpl::SendTo takes the TOS from the address, not from the socket.
        InetSocketAddress to(peer, port);
        to.SetTos(tos);
        m_lastTo = Destination{peer, port, tos, to};
    }
    if (m_socket->SendTo(p, 0, m_lastTo.address) < 0)
    {
        return false;
    }
    ++m_stats.voiceSent;
    return true;
}

const PeerTraffic::Stats&
PeerTraffic::GetStats() const
{
    return m_stats;
}

void
PeerTraffic::HandleRead(Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> p = socket->RecvFrom(from))
    {
        if (!InetSocketAddress::IsMatchingType(from))
        {
            continue;
        }
        Ipv4Address sender = InetSocketAddress::ConvertFrom(from).GetIpv4();
        RtpHeader h;
        std::string error;
        RtpSendTimeTag sent;
        if (h.ReadFrom(*p, error) == 0)
        {
            ++m_stats.malformedVoice;
            NS_LOG_WARN("voice packet from " << sender << " dropped: " << error);
            continue;
        }
        if (!p->PeekPacketTag(sent))
        {
            // RTP from a sender outside the experiment: no send time to measure a delay with.
            ++m_stats.malformedVoice;
            NS_LOG_WARN("voice packet from " << sender << " dropped: no send time");
            continue;
        }
        if (m_user != nullptr)
        {
            m_user->VoiceReceived(sender, h.GetSequenceNumber(), Simulator::Now() - sent.GetSent());
        }
    }
}

void
PeerTraffic::StartBulk(Ipv4Address peer, uint16_t port, uint64_t bytes)
{
    auto sender = Create<TcpBulkSender>();
    sender->Start(m_node, peer, port, bytes);
    m_bulkSenders.push_back(sender);
}

void
PeerTraffic::BulkAccepted(Ptr<Socket> socket, const Address& /* from */)
{
    TcpListener::Accepted(socket);
    socket->SetRecvCallback(MakeCallback(&PeerTraffic::BulkRead, this));
    m_bulkConnections.push_back(socket);
}

void
PeerTraffic::BulkRead(Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> p = socket->RecvFrom(from))
    {
        if (p->GetSize() == 0)
        {
            break; // end of file
        }
        m_stats.bulkReceived += p->GetSize();
        if (m_user != nullptr && InetSocketAddress::IsMatchingType(from))
        {
            m_user->BulkReceived(InetSocketAddress::ConvertFrom(from).GetIpv4(), p->GetSize());
        }
    }
}

} // namespace ns3
