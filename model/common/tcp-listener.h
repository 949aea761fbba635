/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_TCP_LISTENER_H
#define PRESEC_TCP_LISTENER_H

#include "ns3/ptr.h"

namespace ns3
{

class Socket;

/**
 * \ingroup presec-common
 * Listening TCP sockets that a stray segment cannot crash.
 *
 * ns-3.37's TcpSocketBase arms its zero-window persist timer whenever a segment arrives while
 * its peer's window is 0, whatever the socket's state, and TcpSocketBase::PersistTimeout then
 * sends the byte that TcpTxBuffer::CopyFromSequence returns without checking it (null when
 * nothing waits to be sent). A listening socket's peer window is 0 until its first SYN, and a
 * reset carries no window update: a stray RST to a port nobody has connected to yet (a peer
 * resetting a connection to an address that DHCP has since given to another terminal) stops the
 * simulation with SIGSEGV when the timer fires, 6 s later. Still so in ns-3-dev. A listener
 * never sends data, so its probe interval is set beyond any run, and each connection it accepts
 * gets the configured interval back (a fork copies the listener's). Where ns-3 itself is built
 * with NS_ASSERT (an ns-3 tree's debug or default profile), the next SYN after such a reset
 * still stops the run: TcpSocketBase asserts m_connected when a segment opens the window while
 * the (pushed-out) timer is armed, which its builds without asserts just cancel.
 */
class TcpListener
{
  public:
    /**
     * Socket::Listen, with the listener's zero-window probe pushed out of reach.
     * \param socket a bound TCP socket
     * \return Socket::Listen's result
     */
    static int Listen(Ptr<Socket> socket);

    /**
     * Gives a connection accepted on a socket of Listen the zero-window probe interval that
     * ns3::TcpSocket::PersistTimeout configures; call it from the accept callback.
     * \param accepted the new connection
     */
    static void Accepted(Ptr<Socket> accepted);
};

} // namespace ns3

#endif // PRESEC_TCP_LISTENER_H
