/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_IPSEC_INBOUND_PROTOCOL_H
#define PRESEC_IPSEC_INBOUND_PROTOCOL_H

#include "ns3/ip-l4-protocol.h"

namespace ns3
{

class IpsecLayer;

/**
 * \ingroup presec-ipsec
 * The receiving end of ESP (50), AH (51) or IPComp (108): an upper protocol of
 * Ipv4L3Protocol that hands every arriving packet of its number to the node's IpsecLayer.
 */
class IpsecInboundProtocol : public IpL4Protocol
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    IpsecInboundProtocol();

    /**
     * \param layer the IPsec layer that processes the packets
     * \param protocolNumber 50, 51 or 108
     */
    IpsecInboundProtocol(Ptr<IpsecLayer> layer, uint8_t protocolNumber);

    /** \return the protocol number handled: 50, 51 or 108 */
    int GetProtocolNumber() const override;
    /**
     * Verify and strip the ESP, AH or IPComp header and pass the inner packet on.
     * \param p the packet (starting with the IPsec header)
     * \param header the outer IPv4 header
     * \param incomingInterface the interface it arrived on
     * \return the status of the inner delivery, or of the drop
     */
    RxStatus Receive(Ptr<Packet> p,
                     const Ipv4Header& header,
                     Ptr<Ipv4Interface> incomingInterface) override;
    /**
     * IPv6 is not modeled: always RX_ENDPOINT_UNREACH.
     * \param p the packet
     * \param header the IPv6 header
     * \param incomingInterface the interface it arrived on
     * \return RX_ENDPOINT_UNREACH
     */
    RxStatus Receive(Ptr<Packet> p,
                     const Ipv6Header& header,
                     Ptr<Ipv6Interface> incomingInterface) override;
    /** \param cb the IPv4 down target */
    void SetDownTarget(DownTargetCallback cb) override;
    /** \param cb the IPv6 down target (kept, not used: IPv4 only) */
    void SetDownTarget6(DownTargetCallback6 cb) override;
    /** \return the IPv4 down target */
    DownTargetCallback GetDownTarget() const override;
    /** \return the IPv6 down target */
    DownTargetCallback6 GetDownTarget6() const override;

  protected:
    /** Release references (ns-3 Object disposal). */
    void DoDispose() override;

  private:
    Ptr<IpsecLayer> m_layer;     //!< where packets go
    uint8_t m_protocolNumber{0}; //!< 50, 51 or 108
    DownTargetCallback m_down;   //!< unused: IPsec headers are sent by the layer
    DownTargetCallback6 m_down6; //!< unused: IPv6 is not modelled
};

} // namespace ns3

#endif // PRESEC_IPSEC_INBOUND_PROTOCOL_H
