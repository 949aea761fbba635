/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_IPSEC_POLICY_GUARD_H
#define PRESEC_IPSEC_POLICY_GUARD_H

#include "ns3/ip-l4-protocol.h"

namespace ns3
{

class IpsecLayer;

/**
 * \ingroup presec-ipsec
 * Stands in Ipv4L3Protocol's protocol table for UDP, TCP or (per interface) ICMP, asks the
 * IpsecLayer's inbound policy check about every packet and passes the accepted ones to the
 * real protocol. Everything else (ICMP errors, down targets) goes straight to the real one.
 *
 * A refused packet returns RX_ENDPOINT_CLOSED, so no ICMP error is sent, as Linux drops
 * policy mismatches silently (XfrmInTmplMismatch).
 *
 * Every received UDP or TCP packet reads the guard: it is aligned to a cache line, so that it
 * is one line rather than, at 48 bytes, sometimes two.
 */
class alignas(64) IpsecPolicyGuard : public IpL4Protocol
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    IpsecPolicyGuard();

    /**
     * \param layer the layer that checks
     * \param real the protocol guarded
     */
    IpsecPolicyGuard(Ptr<IpsecLayer> layer, Ptr<IpL4Protocol> real);

    /** \return the guarded protocol */
    Ptr<IpL4Protocol> GetReal() const;

    /** \return the guarded protocol's number (0 without one) */
    int GetProtocolNumber() const override;
    /**
     * Apply the inbound SPD check, then hand the packet to the guarded protocol.
     * \param p the packet (transport payload)
     * \param header the IPv4 header it arrived with
     * \param incomingInterface the interface it arrived on
     * \return the guarded protocol's status, or RX_ENDPOINT_CLOSED when the check drops it
     */
    RxStatus Receive(Ptr<Packet> p,
                     const Ipv4Header& header,
                     Ptr<Ipv4Interface> incomingInterface) override;
    /**
     * IPv6 is passed to the guarded protocol unchecked.
     * \param p the packet
     * \param header the IPv6 header
     * \param incomingInterface the interface it arrived on
     * \return the guarded protocol's status
     */
    RxStatus Receive(Ptr<Packet> p,
                     const Ipv6Header& header,
                     Ptr<Ipv6Interface> incomingInterface) override;
    /**
     * Forward an ICMP error to the guarded protocol.
     * \param icmpSource the ICMP sender
     * \param icmpTtl its TTL
     * \param icmpType its type
     * \param icmpCode its code
     * \param icmpInfo its info field
     * \param payloadSource source of the packet in error
     * \param payloadDestination destination of the packet in error
     * \param payload the first 8 bytes of its transport header
     */
    void ReceiveIcmp(Ipv4Address icmpSource,
                     uint8_t icmpTtl,
                     uint8_t icmpType,
                     uint8_t icmpCode,
                     uint32_t icmpInfo,
                     Ipv4Address payloadSource,
                     Ipv4Address payloadDestination,
                     const uint8_t payload[8]) override;
    /** \param cb the IPv4 down target, set on the guarded protocol */
    void SetDownTarget(DownTargetCallback cb) override;
    /** \param cb the IPv6 down target, set on the guarded protocol */
    void SetDownTarget6(DownTargetCallback6 cb) override;
    /** \return the guarded protocol's IPv4 down target */
    DownTargetCallback GetDownTarget() const override;
    /** \return the guarded protocol's IPv6 down target */
    DownTargetCallback6 GetDownTarget6() const override;

  protected:
    /** Release references (ns-3 Object disposal). */
    void DoDispose() override;

    /** \return the checking layer (null after disposal) */
    Ptr<IpsecLayer> GetLayer() const;

  private:
    Ptr<IpsecLayer> m_layer;  //!< the checker
    Ptr<IpL4Protocol> m_real; //!< the guarded protocol
};

} // namespace ns3

#endif // PRESEC_IPSEC_POLICY_GUARD_H
