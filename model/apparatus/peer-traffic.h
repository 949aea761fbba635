/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_PEER_TRAFFIC_H
#define PRESEC_PEER_TRAFFIC_H

#include "tcp-bulk-sender.h"

#include "ns3/address.h"
#include "ns3/ipv4-address.h"
#include "ns3/node.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "ns3/ptr.h"
#include "ns3/socket.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-apparatus
 * How a session's voice goes on the wire: one RTP packet (RFC 3550) per interval.
 */
struct VoiceFormat
{
    Time interval{MilliSeconds(20)}; //!< packetization interval (ptime)
    uint32_t bytes{160};             //!< UDP payload per packet, the 12-byte RTP header included
    uint8_t payloadType{0};          //!< RTP payload type (RFC 3551: 0 PCMU, 18 G729; dynamic)
    uint32_t clockRate{8000};        //!< RTP media clock (Hz): 8000, or 48000 for Opus (RFC 7587)
};

/**
 * \ingroup presec-apparatus
 * What PeerTraffic tells its owner (the user side of the pair, as PeerSessionUser): the data
 * that arrived, by sender address.
 */
class PeerTrafficUser
{
  public:
    virtual ~PeerTrafficUser() = default;
    /**
     * A voice packet arrived.
     * \param peer the sender
     * \param seq its RTP sequence number
     * \param delay its one-way delay
     */
    virtual void VoiceReceived(Ipv4Address peer, uint16_t seq, Time delay) = 0;
    /**
     * Traffic bulk: TCP bytes arrived.
     * \param peer the sender
     * \param bytes how many
     */
    virtual void BulkReceived(Ipv4Address peer, uint32_t bytes) = 0;
};

/**
 * \ingroup presec-apparatus
 * The data plane of a SecurePeerApplication's sessions (steps 510/511): one UDP socket for
 * the voice packets (RTP, RFC 3550, in each session's VoiceFormat, the send time in an
 * RtpSendTimeTag; sent and received on DataPort) and, with Traffic bulk, a TCP listener and
 * TcpBulkSender transfers. It knows addresses, not sessions.
 */
class PeerTraffic
{
  public:
    /**
     * Open the voice socket (and, for bulk, the TCP receiver once).
     * \param node the node
     * \param port the data port
     * \param bulk whether sessions transfer TCP bulk data
     * \param user told of what arrives (may be null: a sender only)
     */
    void Start(Ptr<Node> node, uint16_t port, bool bulk, PeerTrafficUser* user);

    /** Close the voice socket. */
    void Stop();

    /** Close and drop the references (application disposal). */
    void Dispose();

    /** Counters. */
    struct Stats
    {
        uint32_t voiceSent{0};      //!< RTP packets the socket took
        uint32_t malformedVoice{0}; //!< datagrams on DataPort that are no RTP, or carry no
                                    //!< send time (not from a PeerTraffic): dropped
        uint64_t bulkReceived{0};   //!< TCP bytes received
    };

    /**
     * The synchronisation source of our stream to a peer (RFC 3550 SSRC): a hash of the node
     * and the peer, not a random draw, so that no random stream shifts. A session asks once
     * and keeps it when the peer moves, as a phone keeps its SSRC through a re-INVITE.
     * \param peer the peer the stream starts towards
     * \return the SSRC
     */
    uint32_t MakeSsrc(Ipv4Address peer) const;

    /**
     * Send one voice packet: RTP sequence number seq (mod 2^16), the format's payload type, the
     * media timestamp of its clock advancing by its interval per packet, the send time in an
     * RtpSendTimeTag.
     * \param peer the destination
     * \param port its data port
     * \param tos the IP TOS byte
     * \param ssrc the stream's synchronisation source (MakeSsrc)
     * \param seq the packet's number in the stream (from 0)
     * \param format interval, size (at least the RTP header), payload type and clock
     * \return whether the socket took it
     */
    bool SendVoice(Ipv4Address peer,
                   uint16_t port,
                   uint8_t tos,
                   uint32_t ssrc,
                   uint32_t seq,
                   const VoiceFormat& format);

    /** \return the counters */
    const Stats& GetStats() const;

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
     * Traffic bulk: a sender's connection was accepted.
     * \param socket the connection
     * \param from the sender
     */
    void BulkAccepted(Ptr<Socket> socket, const Address& from);
    /**
     * Traffic bulk: bytes arrived on an accepted connection.
     * \param socket the connection
     */
    void BulkRead(Ptr<Socket> socket);

    Ptr<Node> m_node;                              //!< the node
    Ptr<Socket> m_bulkListener;                    //!< Traffic bulk: the TCP listener
    std::vector<Ptr<Socket>> m_bulkConnections;    //!< Traffic bulk: accepted connections
    std::vector<Ptr<TcpBulkSender>> m_bulkSenders; //!< Traffic bulk: our transfers

    // What a voice packet reads, together and last, next to what SecurePeerApplication reads
    // for it (sending: the socket, the kept destination, the counters; receiving: the user).
    // With a thousand terminals each object is out of the CPU's caches when the next packet
    // comes: every further cache line a packet touches costs a miss.
    Ptr<Socket> m_socket;             //!< voice socket
    PeerTrafficUser* m_user{nullptr}; //!< told of what arrives

    /// SendVoice's last destination, as (peer, port, TOS) and as the socket address built
    /// from them: a call sends 50 packets a second to the same one.
    struct Destination
    {
        Ipv4Address peer; //!< the peer
        uint16_t port{0}; //!< its data port
        uint8_t tos{0};   //!< the TOS (ns-3 takes it from the address)
        Address address;  //!< InetSocketAddress(peer, port) with the TOS
    } m_lastTo;           //!< see Destination

    Stats m_stats; //!< counters
};

} // namespace ns3

#endif // PRESEC_PEER_TRAFFIC_H
