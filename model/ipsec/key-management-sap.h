/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_KEY_MANAGEMENT_SAP_H
#define PRESEC_KEY_MANAGEMENT_SAP_H

#include "ns3/ipv4-address.h"
#include "ns3/ptr.h"
#include "ns3/security-association.h"
#include "ns3/security-policy.h"

#include <vector>

namespace ns3
{

struct PacketSelector;

/**
 * \ingroup presec-ipsec
 * What a key-management daemon (IKE) asks of the node's IPsec layer: the calls down of a SAP
 * pair, after PF_KEY (RFC 2367): SADB_ADD, SADB_DELETE, SADB_UPDATE (a MOBIKE move) and
 * SADB_GETSPI's question whether an SPI is free, plus a read of the SPD for narrowing
 * traffic selectors. The IPsec layer provides it (IpsecLayer::GetKeyManagementSapProvider);
 * it knows nothing of IKE.
 */
class KeyManagementSapProvider
{
  public:
    virtual ~KeyManagementSapProvider() = default;

    /**
     * Install an SA (SADB_ADD).
     * \param sa the SA
     * \return false if an SA with its SPI, destination and protocol exists
     */
    virtual bool AddSa(Ptr<SecurityAssociation> sa) = 0;

    /**
     * Remove an SA (SADB_DELETE); SaRemoved follows.
     * \param spi its SPI
     * \param destination its destination
     * \param protocol its protocol
     * \return false if there is none
     */
    virtual bool RemoveSa(uint32_t spi, Ipv4Address destination, IpsecProtocol protocol) = 0;

    /**
     * Move an SA to new addresses, SPI kept (SADB_UPDATE; RFC 4555).
     * \param spi its SPI
     * \param destination its destination now
     * \param protocol its protocol
     * \param newSource the new source
     * \param newDestination the new destination
     * \return false if there is none
     */
    virtual bool ReaddressSa(uint32_t spi,
                             Ipv4Address destination,
                             IpsecProtocol protocol,
                             Ipv4Address newSource,
                             Ipv4Address newDestination) = 0;

    /**
     * \param spi an SPI
     * \param local our address
     * \param protocol the protocol
     * \return true if an inbound SA uses it
     */
    virtual bool IsInboundSpiInUse(uint32_t spi,
                                   Ipv4Address local,
                                   IpsecProtocol protocol) const = 0;

    /**
     * \param source our address
     * \param destination the peer's
     * \param protocol esp or ah
     * \param mode transport or tunnel
     * \param reqid the reqid (0: any)
     * \return true if an outbound SA for them is installed
     */
    virtual bool HasOutboundSa(Ipv4Address source,
                               Ipv4Address destination,
                               IpsecProtocol protocol,
                               IpsecMode mode,
                               uint32_t reqid) const = 0;

    /**
     * \param direction in, out or fwd
     * \return the SPD's entries of that direction, in order
     */
    virtual std::vector<SecurityPolicy> GetPolicies(PolicyDirection direction) const = 0;
};

/**
 * \ingroup presec-ipsec
 * What the IPsec layer tells its key-management daemon: the notifications up of the SAP pair
 * (PF_KEY's SADB_ACQUIRE and SADB_EXPIRE, and the first use of an inbound SA). One user per
 * node (IpsecLayer::SetKeyManagementSapUser); the layer's trace sources stay for observers.
 */
class KeyManagementSapUser
{
  public:
    virtual ~KeyManagementSapUser() = default;

    /**
     * An outbound packet needs an SA that does not exist (SADB_ACQUIRE).
     * \param policy the policy that asks for it
     * \param request the request without an SA
     * \param selector the packet
     */
    virtual void Acquire(const SecurityPolicy& policy,
                         const IpsecRequest& request,
                         const PacketSelector& selector) = 0;

    /**
     * An SA reached its soft lifetime: time to re-key (SADB_EXPIRE, soft).
     * \param sa the SA
     */
    virtual void SoftExpired(Ptr<const SecurityAssociation> sa) = 0;

    /**
     * An SA left the SAD, whatever the cause (hard lifetime, RemoveSa).
     * \param sa the SA
     */
    virtual void SaRemoved(Ptr<const SecurityAssociation> sa) = 0;

    /**
     * A packet protected by this node's inbound SAs was accepted (delivered or forwarded):
     * the peer uses its new outbound SA, so ours may go live.
     */
    virtual void ProtectedReceived() = 0;
};

/**
 * \ingroup presec-ipsec
 * A KeyManagementSapUser forwarding to an owner's DoAcquire, DoSoftExpired, DoSaRemoved and
 * DoProtectedReceived (as ns-3 LTE's MemberLteAsSapUser), so the owner implements the
 * interface without inheriting it. The owner befriends this class when those are private.
 * \tparam C the owner's class
 */
template <class C>
class MemberKeyManagementSapUser : public KeyManagementSapUser
{
  public:
    /** \param owner the object told; it outlives this one */
    explicit MemberKeyManagementSapUser(C* owner)
        : m_owner(owner)
    {
    }

    /**
     * Forwarded to C::DoAcquire.
     * \param policy the policy
     * \param request the request
     * \param selector the packet
     */
    void Acquire(const SecurityPolicy& policy,
                 const IpsecRequest& request,
                 const PacketSelector& selector) override
    {
        m_owner->DoAcquire(policy, request, selector);
    }

    /** Forwarded to C::DoSoftExpired. \param sa the SA */
    void SoftExpired(Ptr<const SecurityAssociation> sa) override
    {
        m_owner->DoSoftExpired(sa);
    }

    /** Forwarded to C::DoSaRemoved. \param sa the SA */
    void SaRemoved(Ptr<const SecurityAssociation> sa) override
    {
        m_owner->DoSaRemoved(sa);
    }

    /** Forwarded to C::DoProtectedReceived. */
    void ProtectedReceived() override
    {
        m_owner->DoProtectedReceived();
    }

  private:
    C* m_owner; //!< the object told
};

} // namespace ns3

#endif // PRESEC_KEY_MANAGEMENT_SAP_H
