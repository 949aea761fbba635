/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_SIP_TRANSPORT_H
#define PRESEC_SIP_TRANSPORT_H

#include "sip-builder.h"
#include "sip-drop-reason.h"
#include "sip-message.h"

#include "ns3/address.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/node.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"
#include "ns3/socket.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-presence
 * What SipTransport hands up (the user half of the transport SAP; SipTransactionLayer
 * implements it).
 */
class SipTransportUser
{
  public:
    virtual ~SipTransportUser() = default;

    /**
     * A well-formed request arrived.
     * \param request the request
     * \param origin where it came from
     * \param size its size on the wire
     */
    virtual void ReceiveRequest(const SipMessage& request,
                                const SipOrigin& origin,
                                uint32_t size) = 0;

    /**
     * A well-formed response arrived.
     * \param response the response
     * \param origin where it came from
     * \param size its size on the wire
     */
    virtual void ReceiveResponse(const SipMessage& response,
                                 const SipOrigin& origin,
                                 uint32_t size) = 0;

    /**
     * A request the transport refused (malformed, too large) can still be answered: send
     * this error response as the answer to it.
     * \param request the request as far as it could be read
     * \param response the error response
     * \param origin where it came from
     */
    virtual void RespondToRefused(const SipMessage& request,
                                  const SipMessage& response,
                                  const SipOrigin& origin) = 0;

    /**
     * A TCP connection broke: the transactions waiting on it fail.
     * \param socket the connection (already forgotten by the transport)
     * \param reason why
     */
    virtual void ConnectionFailed(Ptr<Socket> socket, const std::string& reason) = 0;
};

/**
 * \ingroup presec-presence
 * The SIP transport layer (RFC 3261 section 18) of PresenceAgent: one UDP socket and a TCP
 * listener on the SIP port, outgoing TCP connections, Content-Length framing of the TCP
 * byte stream, the idle timeout of accepted connections, and parsing. Input that is no
 * usable SIP message is counted and dropped here (answered, through the user, where a
 * response can be routed); well-formed messages go up to the SipTransportUser.
 */
class SipTransport : public SipDropCounter
{
  public:
    /** Counters, in the manner of QueueDisc::Stats. */
    struct Stats
    {
        uint32_t tcpMessagesSent{0};      //!< messages written to TCP
        uint32_t tcpConnectionsOpened{0}; //!< outbound TCP connections opened
        uint32_t tcpIdleClosed{0};        //!< TCP connections closed for idleness
        /// bad input by reason (SipDropReason)
        std::map<std::string, uint32_t> badMessages;
    };

    /**
     * \param user who gets what arrives
     * \param builder builds the error responses to refused requests
     */
    SipTransport(SipTransportUser* user, SipBuilder* builder);
    ~SipTransport() override;

    SipTransport(const SipTransport&) = delete;
    SipTransport& operator=(const SipTransport&) = delete;

    /**
     * Bind the UDP socket and the TCP listener; aborts when the port is taken.
     * \param node the node
     * \param port the SIP port
     */
    void Start(Ptr<Node> node, uint16_t port);

    /** Close every socket; what arrives later is ignored. */
    void Stop();

    /**
     * \param maxMessageSize largest message accepted, in bytes (larger ones: 513)
     * \param idleTimeout idle time after which an accepted connection is closed; 0: never
     */
    void Configure(uint32_t maxMessageSize, Time idleTimeout);

    /** \param supported whether MESSAGE is parsed as a supported method */
    void SetMessageSupported(bool supported);

    /**
     * Parse these methods as supported too (a registrar: REGISTER, OPTIONS).
     * \param methods the methods, beside SUBSCRIBE and NOTIFY (and MESSAGE when set)
     */
    void SetExtraMethods(const std::vector<std::string>& methods);

    /**
     * Send a datagram.
     * \param wire the bytes
     * \param peer destination
     * \param port destination port
     */
    void SendDatagram(const std::string& wire, Ipv4Address peer, uint16_t port);

    /**
     * A TCP connection to a destination: the one this transport opened to it before, while it
     * is open (RFC 3261 section 18.1.1: requests reuse it), else a new one; bytes sent before
     * it is up wait for it. An outbound connection nothing was sent or received on for half
     * the idle timeout is closed, before the peer's end would close it for idleness.
     * \param peer destination
     * \param port destination port
     * \return the connection
     */
    Ptr<Socket> Connect(Ipv4Address peer, uint16_t port);

    /**
     * \param socket a connection
     * \param peer its remote address
     * \return whether its local address is the source a new connection to the peer would take
     *         now (not so after the node moved)
     */
    bool IsCurrentPath(Ptr<Socket> socket, Ipv4Address peer) const;

    /**
     * Send bytes on a connection the transport knows.
     * \param socket the connection
     * \param wire the bytes
     * \return false when the connection is gone
     */
    bool SendOnConnection(Ptr<Socket> socket, const std::string& wire);

    /**
     * Send bytes back the way a message came (its TCP connection, else UDP to its source).
     * \param wire the bytes
     * \param origin where the message came from
     */
    void SendBack(const std::string& wire, const SipOrigin& origin);

    /**
     * Close and forget a connection.
     * \param socket the connection
     */
    void Close(Ptr<Socket> socket);

    /** \return the counters */
    const Stats& GetStats() const;

  private:
    /** One TCP connection. */
    struct Connection
    {
        std::string rx;        //!< bytes received, not yet framed
        std::string tx;        //!< bytes waiting for the socket
        bool connected{false}; //!< established
        Ipv4Address peer;      //!< remote address
        uint16_t port{0};      //!< remote port
        bool outbound{false};  //!< opened here (Connect), so requests reuse it
        EventId idle;          //!< closes it after the idle timeout
    };

    /**
     * Read all pending datagrams.
     * \param socket the UDP socket
     */
    void HandleUdpRead(Ptr<Socket> socket);
    /**
     * Parse one message and hand it up.
     * \param text the message
     * \param origin where it came from
     */
    void HandleMessage(const std::string& text, const SipOrigin& origin);
    /**
     * Answer (if possible) and count a message the parser refused.
     * \param text the message
     * \param origin where it came from
     * \param status the status the parser names
     * \param detail what was wrong
     */
    void HandleParseFailure(const std::string& text,
                            const SipOrigin& origin,
                            uint16_t status,
                            const std::string& detail);
    /**
     * Give a connection its socket callbacks.
     * \param socket the connection
     */
    void Listen(Ptr<Socket> socket);
    /**
     * Write queued bytes.
     * \param socket the connection
     */
    void Flush(Ptr<Socket> socket);
    /**
     * \param socket the listener
     * \param from the peer
     * \return whether to accept
     */
    bool AcceptTcp(Ptr<Socket> socket, const Address& from);
    /**
     * (Re)start the idle timer of an accepted connection.
     * \param socket the connection
     */
    void ArmIdle(Ptr<Socket> socket);
    /**
     * An incoming connection was accepted.
     * \param socket the connection
     * \param from the peer
     */
    void NewTcp(Ptr<Socket> socket, const Address& from);
    /**
     * An outgoing connection is up.
     * \param socket the connection
     */
    void TcpConnected(Ptr<Socket> socket);
    /**
     * An outgoing connection failed.
     * \param socket the connection
     */
    void TcpConnectFailed(Ptr<Socket> socket);
    /**
     * Buffer space freed.
     * \param socket the connection
     * \param available bytes free
     */
    void TcpSendReady(Ptr<Socket> socket, uint32_t available);
    /**
     * Bytes arrived.
     * \param socket the connection
     */
    void HandleTcpRead(Ptr<Socket> socket);
    /**
     * The peer closed.
     * \param socket the connection
     */
    void TcpNormalClose(Ptr<Socket> socket);
    /**
     * The connection broke.
     * \param socket the connection
     */
    void TcpErrorClose(Ptr<Socket> socket);
    /**
     * Forget a connection and tell the user.
     * \param socket the connection
     * \param reason why
     */
    void TcpFailure(Ptr<Socket> socket, const std::string& reason);
    /**
     * Cut complete messages out of a connection's bytes (Content-Length framing).
     * \param socket the connection
     */
    void Frame(Ptr<Socket> socket);
    /**
     * Answer a request whose framing failed, if it can be read, and drop the connection.
     * \param socket the connection
     * \param text the header section
     * \param origin where it came from
     * \param status the error status
     * \param phrase its reason phrase; empty for the default
     * \param reason counter name
     * \param detail what was wrong
     */
    void FramingFailure(Ptr<Socket> socket,
                        const std::string& text,
                        const SipOrigin& origin,
                        uint16_t status,
                        const std::string& phrase,
                        const std::string& reason,
                        const std::string& detail);

    SipTransportUser* m_user;                //!< who gets what arrives
    SipBuilder* m_builder;                   //!< error responses
    Ptr<Node> m_node;                        //!< the node
    uint32_t m_maxMessageSize{16384};        //!< larger messages get 513
    Time m_idleTimeout{Seconds(32)};         //!< idle timeout of accepted connections
    bool m_messageSupported{false};          //!< MESSAGE is a supported method
    std::vector<std::string> m_extraMethods; //!< further supported methods
    bool m_running{false};                   //!< between Start and Stop
    Ptr<Socket> m_udp;                       //!< UDP socket
    Ptr<Socket> m_tcpListen;                 //!< TCP listening socket
    std::map<Ptr<Socket>, Connection> m_tcp; //!< open TCP connections
    Stats m_stats;                           //!< counters
};

} // namespace ns3

#endif // PRESEC_SIP_TRANSPORT_H
