/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_PEER_TRAFFIC_H
#define PRESEC_PEER_TRAFFIC_H

#include "ns3/address.h"
#include "ns3/application.h"
#include "ns3/callback.h"
#include "ns3/ipv4-address.h"
#include "ns3/node.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "ns3/ptr.h"
#include "ns3/socket.h"

#include <cstdint>

namespace ns3
{

/**
 * \ingroup presec-apparatus
 * The data plane of a SecurePeerApplication's sessions (steps 510/511): one UDP socket for
 * the voice packets (SeqTsHeader, sent and received on DataPort) and, with Traffic bulk, ns-3's
 * PacketSink and BulkSendApplication for TCP transfers. It knows addresses, not sessions.
 */
class PeerTraffic
{
  public:
    /** A voice packet arrived: the sender, its sequence number, its one-way delay. */
    typedef Callback<void, Ipv4Address, uint32_t, Time> VoiceCallback;
    /** Traffic bulk: TCP bytes arrived from a sender. */
    typedef Callback<void, Ipv4Address, uint32_t> BulkCallback;

    /**
     * Open the voice socket (and, for bulk, the TCP receiver once).
     * \param node the node
     * \param port the data port
     * \param bulk whether sessions transfer TCP bulk data
     * \param voice called for each voice packet received
     * \param bulkRx called for the TCP bytes received
     */
    void Start(Ptr<Node> node, uint16_t port, bool bulk, VoiceCallback voice, BulkCallback bulkRx);

    /** Close the voice socket. */
    void Stop();

    /** Close and drop the references (application disposal). */
    void Dispose();

    /**
     * \param peer the destination
     * \param port its data port
     * \param tos the IP TOS byte
     * \param p the packet
     * \return whether the socket took it
     */
    bool SendVoice(Ipv4Address peer, uint16_t port, uint8_t tos, Ptr<Packet> p);

    /**
     * Traffic bulk: a TCP transfer to the peer (requester side only).
     * \param peer the destination
     * \param port its data port
     * \param bytes how many
     */
    void StartBulk(Ipv4Address peer, uint16_t port, uint64_t bytes);

  private:
    /**
     * Voice packets arrived.
     * \param socket the socket
     */
    void HandleRead(Ptr<Socket> socket);
    /**
     * Traffic bulk: bytes arrived at the TCP receiver.
     * \param p the data
     * \param from the sender
     */
    void BulkReceived(Ptr<const Packet> p, const Address& from);

    Ptr<Node> m_node;            //!< the node
    Ptr<Socket> m_socket;        //!< voice socket
    Ptr<Application> m_bulkSink; //!< Traffic bulk: the TCP receiver
    VoiceCallback m_voice;       //!< voice packets received
    BulkCallback m_bulk;         //!< TCP bytes received
};

} // namespace ns3

#endif // PRESEC_PEER_TRAFFIC_H
