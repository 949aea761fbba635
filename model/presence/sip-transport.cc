/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "sip-transport.h"

#include "sip-parser.h"

#include "ns3/abort.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-route.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/tcp-listener.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/text-util.h"
#include "ns3/udp-socket-factory.h"

#include <algorithm>
#include <vector>

namespace ns3
{

using text::Lower;
using text::Trim;

NS_LOG_COMPONENT_DEFINE("SipTransport");

namespace
{

/// Finds the Content-Length of a header block (long or compact name, possibly folded over
/// several lines, RFC 3261 section 7.3.1); -1 when absent, -2 when malformed.
int64_t
FindContentLength(const std::string& headers)
{
    // Unfold first: a line starting with SP or HT continues the one before.
    std::vector<std::string> lines;
    size_t pos = 0;
    while (pos <= headers.size())
    {
        size_t eol = headers.find('\n', pos);
        std::string line =
            headers.substr(pos, eol == std::string::npos ? std::string::npos : eol - pos);
        pos = eol == std::string::npos ? headers.size() + 1 : eol + 1;
        if (!line.empty() && line.back() == '\r')
        {
            line.pop_back();
        }
        if (!lines.empty() && !line.empty() && (line[0] == ' ' || line[0] == '\t'))
        {
            lines.back() += " " + Trim(line);
        }
        else
        {
            lines.push_back(line);
        }
    }
    int64_t found = -1;
    for (const std::string& line : lines)
    {
        size_t colon = line.find(':');
        if (colon == std::string::npos)
        {
            continue;
        }
        std::string name = Lower(Trim(line.substr(0, colon)));
        if (name != "content-length" && name != "l")
        {
            continue;
        }
        std::string value = Trim(line.substr(colon + 1));
        if (value.empty() || value.size() > 9 ||
            !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
        {
            return -2;
        }
        if (found >= 0)
        {
            return -2; // two of them: the framing cannot be trusted
        }
        found = std::stoll(value);
    }
    return found;
}

/// The bytes of a string as a packet.
Ptr<Packet>
ToPacket(const std::string& bytes, size_t n)
{
    return Create<Packet>(reinterpret_cast<const uint8_t*>(bytes.data()), n);
}

/// The bytes of a packet as a string.
std::string
FromPacket(Ptr<Packet> p)
{
    std::string text(p->GetSize(), '\0');
    p->CopyData(reinterpret_cast<uint8_t*>(&text[0]), p->GetSize());
    return text;
}

/// Stop a socket calling back into the transport.
void
Silence(Ptr<Socket> socket)
{
    socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
    socket->SetCloseCallbacks(MakeNullCallback<void, Ptr<Socket>>(),
                              MakeNullCallback<void, Ptr<Socket>>());
    socket->SetConnectCallback(MakeNullCallback<void, Ptr<Socket>>(),
                               MakeNullCallback<void, Ptr<Socket>>());
}

} // namespace

SipTransport::SipTransport(SipTransportUser* user, SipBuilder* builder)
    : SipDropCounter(m_stats.badMessages),
      m_user(user),
      m_builder(builder)
{
    NS_LOG_FUNCTION(this);
}

SipTransport::~SipTransport()
{
    NS_LOG_FUNCTION(this);
}

void
SipTransport::Configure(uint32_t maxMessageSize, Time idleTimeout)
{
    m_maxMessageSize = maxMessageSize;
    m_idleTimeout = idleTimeout;
}

void
SipTransport::SetMessageSupported(bool supported)
{
    m_messageSupported = supported;
}

void
SipTransport::SetExtraMethods(const std::vector<std::string>& methods)
{
    m_extraMethods = methods;
}

const SipTransport::Stats&
SipTransport::GetStats() const
{
    return m_stats;
}

void
SipTransport::Start(Ptr<Node> node, uint16_t port)
{
    NS_LOG_FUNCTION(this << node << port);
    m_node = node;
    m_udp = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
    NS_ABORT_MSG_IF(m_udp->Bind(InetSocketAddress(Ipv4Address::GetAny(), port)) != 0,
                    "PresenceAgent: cannot bind UDP port " << port);
    m_udp->SetRecvCallback(MakeCallback(&SipTransport::HandleUdpRead, this));

    m_tcpListen = Socket::CreateSocket(node, TcpSocketFactory::GetTypeId());
    NS_ABORT_MSG_IF(m_tcpListen->Bind(InetSocketAddress(Ipv4Address::GetAny(), port)) != 0,
                    "PresenceAgent: cannot bind TCP port " << port);
    TcpListener::Listen(m_tcpListen);
    m_tcpListen->SetAcceptCallback(MakeCallback(&SipTransport::AcceptTcp, this),
                                   MakeCallback(&SipTransport::NewTcp, this));
    m_running = true;
}

void
SipTransport::Stop()
{
    NS_LOG_FUNCTION(this);
    m_running = false;
    auto tcp = m_tcp;
    m_tcp.clear();
    for (auto& [socket, conn] : tcp)
    {
        Silence(socket);
        socket->Close();
    }
    if (m_udp)
    {
        m_udp->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        m_udp->Close();
        m_udp = nullptr;
    }
    if (m_tcpListen)
    {
        m_tcpListen->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                       MakeNullCallback<void, Ptr<Socket>, const Address&>());
        m_tcpListen->Close();
        m_tcpListen = nullptr;
    }
    m_node = nullptr;
}

void
SipTransport::SendDatagram(const std::string& wire, Ipv4Address peer, uint16_t port)
{
    m_udp->SendTo(ToPacket(wire, wire.size()), 0, InetSocketAddress(peer, port));
}

void
SipTransport::SendBack(const std::string& wire, const SipOrigin& origin)
{
    if (origin.tcp)
    {
        SendOnConnection(origin.tcp, wire);
        return;
    }
    if (m_udp)
    {
        SendDatagram(wire, origin.address, origin.port);
    }
}

// ---------------------------------------------------------------------------------------------
// Receiving

void
SipTransport::HandleUdpRead(Ptr<Socket> socket)
{
    Address from;
    Ptr<Packet> p;
    while ((p = socket->RecvFrom(from)))
    {
        if (!m_running)
        {
            return;
        }
        if (p->GetSize() == 0 || !InetSocketAddress::IsMatchingType(from))
        {
            continue;
        }
        InetSocketAddress inet = InetSocketAddress::ConvertFrom(from);
        SipOrigin origin{inet.GetIpv4(), inet.GetPort(), nullptr};
        HandleMessage(FromPacket(p), origin);
    }
}

void
SipTransport::HandleMessage(const std::string& text, const SipOrigin& origin)
{
    NS_LOG_FUNCTION(this << origin.address << origin.port << text.size());
    // A keep-alive (RFC 5626: CRLF) is not a message.
    if (text.find_first_not_of("\r\n") == std::string::npos)
    {
        return;
    }
    SipParserOptions options;
    options.maxMessageSize = m_maxMessageSize;
    options.requireContentLength = origin.tcp != nullptr;
    if (m_messageSupported)
    {
        options.supportedMethods.push_back("MESSAGE");
    }
    options.supportedMethods.insert(options.supportedMethods.end(),
                                    m_extraMethods.begin(),
                                    m_extraMethods.end());
    auto parsed = SipParser::Parse(text, options);
    if (!parsed)
    {
        auto e = SipParser::GetError(parsed);
        HandleParseFailure(text, origin, e.status, e.reason);
        return;
    }
    const SipMessage& m = parsed.GetValue();
    if (m.IsResponse())
    {
        m_user->ReceiveResponse(m, origin, text.size());
    }
    else
    {
        m_user->ReceiveRequest(m, origin, text.size());
    }
}

void
SipTransport::HandleParseFailure(const std::string& text,
                                 const SipOrigin& origin,
                                 uint16_t status,
                                 const std::string& detail)
{
    std::string full = std::to_string(status) + " " + detail;
    auto best = SipParser::ParseBestEffort(text);
    if (!best)
    {
        Drop(text,
             origin,
             status == 505 ? SipDropReason::UNSUPPORTED_VERSION
                           : (status == 513 ? SipDropReason::TOO_LARGE : SipDropReason::NOT_SIP),
             full,
             0);
        return;
    }
    if (best->IsResponse())
    {
        Drop(text, origin, SipDropReason::MALFORMED_RESPONSE, full, 0); // never answered
        return;
    }
    if (!SipBuilder::CanAnswer(*best))
    {
        Drop(text, origin, SipDropReason::UNANSWERABLE, full, 0);
        return;
    }
    SipParseError error{status, detail};
    SipMessage response = m_builder->Error(*best, error);
    Drop(text, origin, SipDropReason::ForStatus(status), full, status);
    m_user->RespondToRefused(*best, response, origin);
}

// ---------------------------------------------------------------------------------------------
// TCP (RFC 3261 section 18: stream framing by Content-Length)

void
SipTransport::Listen(Ptr<Socket> socket)
{
    socket->SetRecvCallback(MakeCallback(&SipTransport::HandleTcpRead, this));
    socket->SetCloseCallbacks(MakeCallback(&SipTransport::TcpNormalClose, this),
                              MakeCallback(&SipTransport::TcpErrorClose, this));
    socket->SetSendCallback(MakeCallback(&SipTransport::TcpSendReady, this));
}

Ptr<Socket>
SipTransport::Connect(Ipv4Address peer, uint16_t port)
{
    NS_LOG_FUNCTION(this << peer << port);
    while (true)
    {
        Ptr<Socket> open;
        for (const auto& [socket, c] : m_tcp)
        {
            if (c.outbound && c.peer == peer && c.port == port)
            {
                open = socket;
                break;
            }
        }
        if (!open)
        {
            break;
        }
        if (IsCurrentPath(open, peer))
        {
            return open;
        }
        // The node moved: its source address is not the one it would use now, so what waits on
        // it fails, as a real stack's connection would (a handler may send again, and so open
        // the next connection: look again); the request goes on a new one.
        TcpFailure(open, "TCP connection no longer on the path to the peer");
        Silence(open);
        Simulator::ScheduleNow([open]() { open->Close(); });
    }
    ++m_stats.tcpConnectionsOpened;
    Ptr<Socket> s = Socket::CreateSocket(m_node, TcpSocketFactory::GetTypeId());
    s->Bind();
    s->SetConnectCallback(MakeCallback(&SipTransport::TcpConnected, this),
                          MakeCallback(&SipTransport::TcpConnectFailed, this));
    Listen(s);
    Connection c;
    c.peer = peer;
    c.port = port;
    c.outbound = true;
    m_tcp[s] = c;
    s->Connect(InetSocketAddress(peer, port));
    ArmIdle(s);
    return s;
}

bool
SipTransport::IsCurrentPath(Ptr<Socket> socket, Ipv4Address peer) const
{
    Address local;
    if (socket->GetSockName(local) != 0 || !InetSocketAddress::IsMatchingType(local))
    {
        return false;
    }
    Ipv4Address ip = InetSocketAddress::ConvertFrom(local).GetIpv4();
    if (ip == Ipv4Address::GetAny())
    {
        return true; // not bound to one yet
    }
    // The source address a new connection to the peer would take now.
    Ptr<Ipv4> ipv4 = m_node->GetObject<Ipv4>();
    Ipv4Header header;
    header.SetDestination(peer);
    Socket::SocketErrno error;
    Ptr<Ipv4Route> route = ipv4->GetRoutingProtocol()->RouteOutput(nullptr, header, nullptr, error);
    return route && route->GetSource() == ip;
}

bool
SipTransport::SendOnConnection(Ptr<Socket> socket, const std::string& wire)
{
    auto it = m_tcp.find(socket);
    if (it == m_tcp.end())
    {
        return false;
    }
    ++m_stats.tcpMessagesSent;
    it->second.tx += wire;
    Flush(socket);
    ArmIdle(socket);
    return true;
}

void
SipTransport::Flush(Ptr<Socket> socket)
{
    auto it = m_tcp.find(socket);
    if (it == m_tcp.end() || !it->second.connected)
    {
        return;
    }
    std::string& tx = it->second.tx;
    while (!tx.empty())
    {
        uint32_t n = std::min<uint32_t>(tx.size(), socket->GetTxAvailable());
        if (n == 0)
        {
            break; // TcpSendReady continues
        }
        int sent = socket->Send(ToPacket(tx, n), 0);
        if (sent <= 0)
        {
            break;
        }
        tx.erase(0, sent);
    }
}

void
SipTransport::Close(Ptr<Socket> socket)
{
    auto it = m_tcp.find(socket);
    if (it == m_tcp.end())
    {
        return;
    }
    it->second.idle.Cancel();
    m_tcp.erase(it);
    Silence(socket);
    socket->SetSendCallback(MakeNullCallback<void, Ptr<Socket>, uint32_t>());
    // Not from inside the socket's own callback chain.
    Simulator::ScheduleNow([socket]() { socket->Close(); });
}

bool
SipTransport::AcceptTcp(Ptr<Socket> /* socket */, const Address& /* from */)
{
    return m_running;
}

void
SipTransport::ArmIdle(Ptr<Socket> socket)
{
    auto it = m_tcp.find(socket);
    if (it == m_tcp.end() || m_idleTimeout.IsZero())
    {
        return;
    }
    it->second.idle.Cancel();
    // Our own connections close first, so a request is not sent into one the peer is closing.
    Time idle = it->second.outbound ? m_idleTimeout / 2 : m_idleTimeout;
    it->second.idle = Simulator::Schedule(idle, [this, socket]() {
        auto at = m_tcp.find(socket);
        if (at == m_tcp.end())
        {
            return;
        }
        NS_LOG_INFO("TCP connection from " << at->second.peer << " idle for "
                                           << m_idleTimeout.As(Time::S) << ", closed");
        ++m_stats.tcpIdleClosed;
        Close(socket);
    });
}

void
SipTransport::NewTcp(Ptr<Socket> socket, const Address& from)
{
    NS_LOG_FUNCTION(this << socket << from);
    Connection c;
    c.connected = true;
    if (InetSocketAddress::IsMatchingType(from))
    {
        c.peer = InetSocketAddress::ConvertFrom(from).GetIpv4();
        c.port = InetSocketAddress::ConvertFrom(from).GetPort();
    }
    m_tcp[socket] = c;
    TcpListener::Accepted(socket);
    Listen(socket);
    ArmIdle(socket);
}

void
SipTransport::TcpConnected(Ptr<Socket> socket)
{
    NS_LOG_FUNCTION(this << socket);
    auto it = m_tcp.find(socket);
    if (it == m_tcp.end())
    {
        return;
    }
    it->second.connected = true;
    Flush(socket);
}

void
SipTransport::TcpConnectFailed(Ptr<Socket> socket)
{
    TcpFailure(socket, "TCP connection failed");
}

void
SipTransport::TcpSendReady(Ptr<Socket> socket, uint32_t /* available */)
{
    Flush(socket);
}

void
SipTransport::TcpNormalClose(Ptr<Socket> socket)
{
    NS_LOG_FUNCTION(this << socket);
    if (m_tcp.count(socket) != 0)
    {
        TcpFailure(socket, "TCP connection closed by the peer");
        socket->Close();
    }
}

void
SipTransport::TcpErrorClose(Ptr<Socket> socket)
{
    TcpFailure(socket, "TCP connection reset");
}

void
SipTransport::TcpFailure(Ptr<Socket> socket, const std::string& reason)
{
    NS_LOG_FUNCTION(this << socket << reason);
    m_tcp.erase(socket);
    m_user->ConnectionFailed(socket, reason);
}

void
SipTransport::HandleTcpRead(Ptr<Socket> socket)
{
    auto it = m_tcp.find(socket);
    Ptr<Packet> p;
    while ((p = socket->Recv()))
    {
        if (it == m_tcp.end() || p->GetSize() == 0)
        {
            continue;
        }
        it->second.rx += FromPacket(p);
    }
    if (it != m_tcp.end())
    {
        ArmIdle(socket);
        Frame(socket);
    }
}

void
SipTransport::FramingFailure(Ptr<Socket> socket,
                             const std::string& text,
                             const SipOrigin& origin,
                             uint16_t status,
                             const std::string& phrase,
                             const std::string& reason,
                             const std::string& detail)
{
    auto best = SipParser::ParseBestEffort(text);
    uint16_t answered = 0;
    if (best && best->IsRequest() && SipBuilder::CanAnswer(*best))
    {
        answered = status;
        m_user->RespondToRefused(*best, m_builder->Error(*best, status, phrase), origin);
    }
    Drop(text, origin, reason, detail, answered);
    Close(socket);
}

void
SipTransport::Frame(Ptr<Socket> socket)
{
    while (true)
    {
        auto it = m_tcp.find(socket);
        if (it == m_tcp.end() || !m_running)
        {
            return;
        }
        std::string& rx = it->second.rx;
        SipOrigin origin{it->second.peer, it->second.port, socket};
        size_t start = rx.find_first_not_of("\r\n");
        if (start == std::string::npos)
        {
            rx.clear();
            return;
        }
        rx.erase(0, start);
        size_t crlf = rx.find("\r\n\r\n");
        size_t lf = rx.find("\n\n");
        size_t end = std::min(crlf, lf);
        size_t sepLen = end == crlf ? 4 : 2;
        if (end == std::string::npos)
        {
            if (rx.size() > m_maxMessageSize)
            {
                Drop(rx.substr(0, 256),
                     origin,
                     SipDropReason::TOO_LARGE,
                     "header section too long",
                     0);
                Close(socket);
            }
            return;
        }
        int64_t length = FindContentLength(rx.substr(0, end));
        if (length == -2)
        {
            // Framing lost: answer if possible and drop the connection.
            FramingFailure(socket,
                           rx.substr(0, end + sepLen),
                           origin,
                           400,
                           "Malformed or Duplicate Content-Length",
                           SipDropReason::TCP_FRAMING,
                           "malformed Content-Length on TCP");
            return;
        }
        size_t total = end + sepLen + static_cast<size_t>(std::max<int64_t>(length, 0));
        if (total > m_maxMessageSize)
        {
            FramingFailure(socket,
                           rx.substr(0, end + sepLen),
                           origin,
                           513,
                           "",
                           SipDropReason::TOO_LARGE,
                           std::to_string(total) + " bytes announced on TCP");
            return;
        }
        if (rx.size() < total)
        {
            return; // wait for the rest
        }
        std::string message = rx.substr(0, total);
        rx.erase(0, total);
        HandleMessage(message, origin);
    }
}

} // namespace ns3
