/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "tcp-bulk-sender.h"

#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/tcp-socket-factory.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TcpBulkSender");

void
TcpBulkSender::Start(Ptr<Node> node, Ipv4Address peer, uint16_t port, uint64_t bytes)
{
    NS_LOG_FUNCTION(this << peer << port << bytes);
    m_bytes = bytes;
    Simulator::ScheduleWithContext(node->GetId(),
                                   Seconds(0),
                                   &TcpBulkSender::Open,
                                   Ptr<TcpBulkSender>(this),
                                   node,
                                   peer,
                                   port);
}

void
TcpBulkSender::Open(Ptr<Node> node, Ipv4Address peer, uint16_t port)
{
    m_socket = Socket::CreateSocket(node, TcpSocketFactory::GetTypeId());
    m_socket->Bind();
    m_socket->Connect(InetSocketAddress(peer, port));
    m_socket->ShutdownRecv();
    m_socket->SetConnectCallback(MakeCallback(&TcpBulkSender::Connected, this),
                                 MakeCallback(&TcpBulkSender::Failed, this));
    m_socket->SetSendCallback(MakeCallback(&TcpBulkSender::Room, this));
}

void
TcpBulkSender::Connected(Ptr<Socket> socket)
{
    m_connected = true;
    Send(socket);
}

void
TcpBulkSender::Failed(Ptr<Socket> /* socket */)
{
    NS_LOG_WARN("bulk transfer: the connection failed after " << m_sent << " bytes");
}

void
TcpBulkSender::Room(Ptr<Socket> socket, uint32_t /* available */)
{
    if (m_connected)
    {
        Send(socket);
    }
}

void
TcpBulkSender::Send(Ptr<Socket> socket)
{
    while (m_sent < m_bytes)
    {
        uint32_t size = uint32_t(std::min<uint64_t>(SEND_SIZE, m_bytes - m_sent));
        int taken = socket->Send(Create<Packet>(size));
        if (taken <= 0)
        {
            return; // the buffer is full: Room is called when it drains
        }
        m_sent += uint32_t(taken);
    }
    if (m_connected)
    {
        socket->Close();
        m_connected = false;
    }
}

void
TcpBulkSender::Stop()
{
    if (m_socket)
    {
        m_socket->SetConnectCallback(MakeNullCallback<void, Ptr<Socket>>(),
                                     MakeNullCallback<void, Ptr<Socket>>());
        m_socket->SetSendCallback(MakeNullCallback<void, Ptr<Socket>, uint32_t>());
        m_socket->Close();
        m_socket = nullptr;
    }
}

uint64_t
TcpBulkSender::GetSent() const
{
    return m_sent;
}

} // namespace ns3
