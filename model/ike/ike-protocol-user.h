/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_IKE_PROTOCOL_USER_H
#define PRESEC_IKE_PROTOCOL_USER_H

#include "ike-header.h"

#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"

#include <string>

namespace ns3
{

/**
 * \ingroup presec-ike
 * What the IKE protocol engine (IkeProtocol) needs from the application that hosts it
 * (IkeAgent): a socket to send from, and someone to tell what happened (the agent turns these
 * into its trace sources and its user's callback). The engine itself has neither socket nor
 * trace sources.
 */
class IkeProtocolUser
{
  public:
    virtual ~IkeProtocolUser() = default;

    /**
     * Send an IKE message (UDP port 500).
     * \param p the message
     * \param peer where to
     */
    virtual void Send(Ptr<Packet> p, Ipv4Address peer) = 0;

    /**
     * A message left or was processed.
     * \param sent true when sent, false when received
     * \param type its exchange
     * \param size IKE bytes
     * \param peer the other end
     * \param response true for a response
     */
    virtual void MessageSeen(bool sent,
                             IkeExchangeType type,
                             uint32_t size,
                             Ipv4Address peer,
                             bool response) = 0;

    /**
     * A Child SA pair was negotiated and installed.
     * \param peer the other end
     * \param spiIn our inbound SPI
     * \param spiOut our outbound SPI
     * \param setupTime from the request to installation
     */
    virtual void Established(Ipv4Address peer, uint32_t spiIn, uint32_t spiOut, Time setupTime) = 0;

    /**
     * A Child SA pair was re-keyed.
     * \param peer the other end
     * \param oldSpiIn inbound SPI of the replaced pair
     * \param newSpiIn inbound SPI of the new pair
     * \param newSpiOut outbound SPI of the new pair
     */
    virtual void Rekeyed(Ipv4Address peer,
                         uint32_t oldSpiIn,
                         uint32_t newSpiIn,
                         uint32_t newSpiOut) = 0;

    /**
     * A negotiation failed.
     * \param peer the other end
     * \param reason why
     */
    virtual void Failed(Ipv4Address peer, const std::string& reason) = 0;

    /**
     * A received datagram was dropped.
     * \param p the datagram
     * \param from its sender
     * \param reason the named reason
     */
    virtual void Dropped(Ptr<const Packet> p, Ipv4Address from, const std::string& reason) = 0;

    /**
     * A pair with a peer became usable for sending (installed, or a held-back outbound SA
     * went live).
     * \param peer the peer
     */
    virtual void ChildUsable(Ipv4Address peer) = 0;
};

/**
 * \ingroup presec-ike
 * An IkeProtocolUser forwarding to an owner's DoSend, DoMessageSeen, DoEstablished, DoRekeyed,
 * DoFailed, DoDropped and DoChildUsable (as ns-3 LTE's member SAP adapters).
 * \tparam C the owner's class (befriends this class when those methods are private)
 */
template <class C>
class MemberIkeProtocolUser : public IkeProtocolUser
{
  public:
    /** \param owner the object told; it outlives this one */
    explicit MemberIkeProtocolUser(C* owner)
        : m_owner(owner)
    {
    }

    /** \param p the message \param peer where to */
    void Send(Ptr<Packet> p, Ipv4Address peer) override
    {
        m_owner->DoSend(p, peer);
    }

    /**
     * \param sent sent or received
     * \param type exchange
     * \param size bytes
     * \param peer other end
     * \param response response or request
     */
    void MessageSeen(bool sent,
                     IkeExchangeType type,
                     uint32_t size,
                     Ipv4Address peer,
                     bool response) override
    {
        m_owner->DoMessageSeen(sent, type, size, peer, response);
    }

    /**
     * \param peer other end
     * \param spiIn inbound SPI
     * \param spiOut outbound SPI
     * \param setupTime setup time
     */
    void Established(Ipv4Address peer, uint32_t spiIn, uint32_t spiOut, Time setupTime) override
    {
        m_owner->DoEstablished(peer, spiIn, spiOut, setupTime);
    }

    /**
     * \param peer other end
     * \param oldSpiIn old inbound SPI
     * \param newSpiIn new inbound SPI
     * \param newSpiOut new outbound SPI
     */
    void Rekeyed(Ipv4Address peer,
                 uint32_t oldSpiIn,
                 uint32_t newSpiIn,
                 uint32_t newSpiOut) override
    {
        m_owner->DoRekeyed(peer, oldSpiIn, newSpiIn, newSpiOut);
    }

    /** \param peer other end \param reason why */
    void Failed(Ipv4Address peer, const std::string& reason) override
    {
        m_owner->DoFailed(peer, reason);
    }

    /** \param p datagram \param from sender \param reason why */
    void Dropped(Ptr<const Packet> p, Ipv4Address from, const std::string& reason) override
    {
        m_owner->DoDropped(p, from, reason);
    }

    /** \param peer the peer */
    void ChildUsable(Ipv4Address peer) override
    {
        m_owner->DoChildUsable(peer);
    }

  private:
    C* m_owner; //!< the object told
};

} // namespace ns3

#endif // PRESEC_IKE_PROTOCOL_USER_H
