/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_TCP_BULK_SENDER_H
#define PRESEC_TCP_BULK_SENDER_H

#include "ns3/ipv4-address.h"
#include "ns3/node.h"
#include "ns3/ptr.h"
#include "ns3/simple-ref-count.h"
#include "ns3/socket.h"

#include <cstdint>

namespace ns3
{

/**
 * \ingroup presec-apparatus
 * One TCP transfer of a fixed number of bytes to a peer (a session's Traffic bulk): connect,
 * write in SendSize pieces while the socket's buffer takes them, close when all are written —
 * what ns-3's BulkSendApplication does, on a plain socket so that the apparatus does not need
 * the applications module (and, through it, stats).
 */
class TcpBulkSender : public SimpleRefCount<TcpBulkSender>
{
  public:
    /** The size of each write: BulkSendApplication's default SendSize. */
    static constexpr uint32_t SEND_SIZE = 512;

    /**
     * Start the transfer: the socket is opened in the node's context, as an application
     * added at run time would start.
     * \param node the sending node
     * \param peer the receiver
     * \param port its port
     * \param bytes how many bytes
     */
    void Start(Ptr<Node> node, Ipv4Address peer, uint16_t port, uint64_t bytes);

    /** Close the socket (the transfer ends where it is). */
    void Stop();

    /** \return the bytes the socket has taken so far */
    uint64_t GetSent() const;

  private:
    /**
     * Open and connect.
     * \param node the node
     * \param peer the receiver
     * \param port its port
     */
    void Open(Ptr<Node> node, Ipv4Address peer, uint16_t port);
    /**
     * Write while the socket takes data.
     * \param socket the socket
     */
    void Send(Ptr<Socket> socket);
    /**
     * The handshake completed: start writing.
     * \param socket the socket
     */
    void Connected(Ptr<Socket> socket);
    /**
     * The handshake failed (logged; the transfer ends).
     * \param socket the socket
     */
    void Failed(Ptr<Socket> socket);
    /**
     * The socket has room again.
     * \param socket the socket
     * \param available bytes free
     */
    void Room(Ptr<Socket> socket, uint32_t available);

    Ptr<Socket> m_socket;    //!< the connection
    uint64_t m_bytes{0};     //!< bytes to send
    uint64_t m_sent{0};      //!< bytes taken by the socket
    bool m_connected{false}; //!< the handshake completed
};

} // namespace ns3

#endif // PRESEC_TCP_BULK_SENDER_H
