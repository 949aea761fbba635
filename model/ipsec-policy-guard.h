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
 * \ingroup presec
 * Stands in Ipv4L3Protocol's protocol table for UDP, TCP or (per interface) ICMP, asks the
 * IpsecLayer's inbound policy check about every packet and passes the accepted ones to the
 * real protocol. Everything else (ICMP errors, down targets) goes straight to the real one.
 *
 * A refused packet returns RX_ENDPOINT_CLOSED, so no ICMP error is sent, as Linux drops
 * policy mismatches silently (XfrmInTmplMismatch).
 */
class IpsecPolicyGuard : public IpL4Protocol
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

    int GetProtocolNumber() const override;
    RxStatus Receive(Ptr<Packet> p,
                     const Ipv4Header& header,
                     Ptr<Ipv4Interface> incomingInterface) override;
    RxStatus Receive(Ptr<Packet> p,
                     const Ipv6Header& header,
                     Ptr<Ipv6Interface> incomingInterface) override;
    void ReceiveIcmp(Ipv4Address icmpSource,
                     uint8_t icmpTtl,
                     uint8_t icmpType,
                     uint8_t icmpCode,
                     uint32_t icmpInfo,
                     Ipv4Address payloadSource,
                     Ipv4Address payloadDestination,
                     const uint8_t payload[8]) override;
    void SetDownTarget(DownTargetCallback cb) override;
    void SetDownTarget6(DownTargetCallback6 cb) override;
    DownTargetCallback GetDownTarget() const override;
    DownTargetCallback6 GetDownTarget6() const override;

  protected:
    void DoDispose() override;

  private:
    Ptr<IpsecLayer> m_layer;  //!< the checker
    Ptr<IpL4Protocol> m_real; //!< the guarded protocol
};

} // namespace ns3

#endif // PRESEC_IPSEC_POLICY_GUARD_H
