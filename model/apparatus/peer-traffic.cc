/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "peer-traffic.h"

#include "ns3/bulk-send-application.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/node-addresses.h"
#include "ns3/packet-sink.h"
#include "ns3/seq-ts-header.h"
#include "ns3/simulator.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("PeerTraffic");

void
PeerTraffic::Start(Ptr<Node> node,
                   uint16_t port,
                   bool bulk,
                   VoiceCallback voice,
                   BulkCallback bulkRx)
{
    m_node = node;
    m_voice = voice;
    m_bulk = bulkRx;
    if (bulk && !m_bulkSink)
    {
        // ns-3's own receiver; it is added at run time, so Node schedules its start.
        auto sink = CreateObject<PacketSink>();
        sink->SetAttribute("Protocol", TypeIdValue(TcpSocketFactory::GetTypeId()));
        sink->SetAttribute("Local", AddressValue(InetSocketAddress(Ipv4Address::GetAny(), port)));
        sink->TraceConnectWithoutContext("Rx", MakeCallback(&PeerTraffic::BulkReceived, this));
        node->AddApplication(sink);
        m_bulkSink = sink;
    }
    m_socket = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
    m_socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), port));
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
    m_socket = nullptr;
    m_node = nullptr;
    m_voice = VoiceCallback();
    m_bulk = BulkCallback();
}

bool
PeerTraffic::SendVoice(Ipv4Address peer, uint16_t port, uint8_t tos, Ptr<Packet> p)
{
    // ns-3's UdpSocketImpl::SendTo takes the TOS from the address, not from the socket.
    InetSocketAddress to(peer, port);
    to.SetTos(tos);
    return m_socket->SendTo(p, 0, to) >= 0;
}

void
PeerTraffic::StartBulk(Ipv4Address peer, uint16_t port, uint64_t bytes)
{
    auto bulk = CreateObject<BulkSendApplication>();
    bulk->SetAttribute("Protocol", TypeIdValue(TcpSocketFactory::GetTypeId()));
    bulk->SetAttribute("Remote", AddressValue(InetSocketAddress(peer, port)));
    bulk->SetAttribute("MaxBytes", UintegerValue(bytes));
    bulk->SetStartTime(Seconds(0));
    m_node->AddApplication(bulk);
}

void
PeerTraffic::HandleRead(Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> p = socket->RecvFrom(from))
    {
        if (!InetSocketAddress::IsMatchingType(from) ||
            p->GetSize() < SeqTsHeader().GetSerializedSize())
        {
            continue;
        }
        SeqTsHeader h;
        p->RemoveHeader(h);
        if (!m_voice.IsNull())
        {
            m_voice(InetSocketAddress::ConvertFrom(from).GetIpv4(),
                    h.GetSeq(),
                    Simulator::Now() - h.GetTs());
        }
    }
}

void
PeerTraffic::BulkReceived(Ptr<const Packet> p, const Address& from)
{
    if (!m_bulk.IsNull())
    {
        m_bulk(InetSocketAddress::ConvertFrom(from).GetIpv4(), p->GetSize());
    }
}

} // namespace ns3
