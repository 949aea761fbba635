/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_SECURITY_ASSOCIATION_DATABASE_H
#define PRESEC_SECURITY_ASSOCIATION_DATABASE_H

#include "key-management-sap.h"
#include "security-association.h"

#include "ns3/event-id.h"
#include "ns3/object.h"
#include "ns3/ptr.h"
#include "ns3/traced-callback.h"

#include <map>
#include <tuple>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-ipsec
 * The security association database (RFC 4301 §4.4.2) of one node.
 *
 * Inbound SAs are found by (SPI, destination, protocol), as a receiver does with the SPI of
 * an arriving packet; outbound SAs by (source, destination, protocol, mode, reqid), as the
 * SPD's requests ask for them. Lifetimes: time limits are simulator events, byte and
 * sequence-number limits are reached while packets are processed (SecurityAssociation::
 * CountBytes, NextSequenceNumber). Whatever the cause, the SoftExpired trace invites a
 * re-key and HardExpired is followed by the SA's removal (SaRemoved). Limits reached during
 * packet processing are reported in an event at the same simulation time, so that a re-key
 * or a removal never runs inside the packet's processing.
 *
 * Add refuses SAs without integrity (SecurityAssociation::CheckIntegrity) and clears the
 * anti-replay window of IPComp SAs, which have no ICV to protect one (RFC 4303 §1).
 */
class SecurityAssociationDatabase : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    SecurityAssociationDatabase();
    ~SecurityAssociationDatabase() override;

    /**
     * Add an SA (replacing one with the same SPI, destination and protocol). Its creation
     * time is now; its time lifetimes start now. An IPComp SA's replayWindow is set to 0.
     * \param sa the SA
     * \return false (and the SA is not added, the old one stays) if the SA has no integrity
     *         check (SecurityAssociation::CheckIntegrity): every caller that takes SAs from
     *         input checks first and reports the statement; this is the last line of defence
     */
    bool Add(Ptr<SecurityAssociation> sa);

    /**
     * Remove an SA.
     * \param spi its SPI
     * \param destination its destination
     * \param protocol its protocol
     * \return true if it existed
     */
    bool Remove(uint32_t spi, Ipv4Address destination, IpsecProtocol protocol);

    /** Remove every SA. */
    void Clear();

    /**
     * Set the key-management daemon told of soft expiries and removals (one per node; the
     * IpsecLayer sets it, IpsecLayer::SetKeyManagementSapUser). The traces fire as well.
     * \param user the daemon's SAP user (null: none); it must outlive its registration
     */
    void SetKeyManagementSapUser(KeyManagementSapUser* user);

    /**
     * Move an SA to new addresses (MOBIKE, RFC 4555): SPI, keys, counters, replay state and
     * remaining lifetimes are kept, its order among the outbound SAs too; no trace fires.
     * \param spi its SPI
     * \param destination its destination now
     * \param protocol its protocol
     * \param newSource the new source
     * \param newDestination the new destination
     * \return true if it existed
     */
    bool Readdress(uint32_t spi,
                   Ipv4Address destination,
                   IpsecProtocol protocol,
                   Ipv4Address newSource,
                   Ipv4Address newDestination);

    /**
     * Find the SA for an arriving packet.
     * \param spi the SPI in the packet (CPI for IPComp)
     * \param destination the packet's destination
     * \param protocol ah, esp or ipcomp
     * \return the SA, or nullptr
     */
    Ptr<SecurityAssociation> FindInbound(uint32_t spi,
                                         Ipv4Address destination,
                                         IpsecProtocol protocol) const;

    /**
     * Find a usable (not hard-expired) SA for an outgoing packet; the newest wins, so a
     * re-keyed SA takes over from the one it replaces.
     * \param source the packet's (or tunnel's) source
     * \param destination the packet's (or tunnel's) destination
     * \param protocol ah, esp or ipcomp
     * \param mode transport or tunnel
     * \param reqid 0 for any, else the `unique:id` the SA must carry
     * \return the SA, or nullptr
     */
    Ptr<SecurityAssociation> FindOutbound(Ipv4Address source,
                                          Ipv4Address destination,
                                          IpsecProtocol protocol,
                                          IpsecMode mode,
                                          uint32_t reqid = 0) const;

    /** \return all SAs, in (SPI, destination, protocol) order */
    std::vector<Ptr<SecurityAssociation>> GetAll() const;

    /** \return the number of SAs */
    size_t GetN() const;

    /**
     * Signature of the SA trace sources.
     * \param sa the SA
     */
    typedef void (*SaTracedCallback)(Ptr<const SecurityAssociation> sa);

  protected:
    /** Release references (ns-3 Object disposal). */
    void DoDispose() override;

  private:
    /** Key of an SA: SPI, destination, protocol. */
    using Key = std::tuple<uint32_t, uint32_t, IpsecProtocol>;

    /** An SA with its lifetime events. */
    struct Slot
    {
        Ptr<SecurityAssociation> sa; //!< the SA
        uint64_t order;              //!< insertion sequence: newer SAs win outbound
        EventId softEvent;           //!< soft time expiry
        EventId hardEvent;           //!< hard time expiry
    };

    /**
     * Time lifetime event: update the SA's state, which reports the expiry at once.
     * \param key the SA
     */
    void Expire(Key key);

    /**
     * The SA's state advanced (its expiry notifier).
     * \param key the slot the notifier was set for
     * \param sa the SA that advanced
     */
    void OnExpiry(Key key, const SecurityAssociation& sa);

    /**
     * Fire SoftExpired, or HardExpired and remove the SA, if \p sa is still in its slot.
     * \param key the slot
     * \param sa the SA
     * \param hard true for the hard expiry
     */
    void Report(Key key, Ptr<SecurityAssociation> sa, bool hard);

    std::map<Key, Slot> m_sas; //!< all SAs
    uint64_t m_nextOrder{0};   //!< insertion counter
    bool m_inTimeEvent{false}; //!< Expire is running: report at once, not in a new event

    /** Outbound selector of an SA: source, destination, protocol, mode. */
    using OutboundKey = std::tuple<uint32_t, uint32_t, IpsecProtocol, IpsecMode>;

    /**
     * \param sa an SA
     * \return its outbound selector
     */
    static OutboundKey OutboundKeyOf(const SecurityAssociation& sa);

    /**
     * Outbound index: the slots of each outbound selector in insertion order (oldest first),
     * so FindOutbound looks at the few SAs of one flow instead of scanning the SAD. Slot
     * pointers stay valid: std::map does not move its elements. An ordered map: with the few
     * selectors a node has, a comparison or two beats hashing the key.
     */
    std::map<OutboundKey, std::vector<const Slot*>> m_outbound;

    /**
     * Take an SA out of both indexes (the outbound index first, while the slot is alive).
     * \param it its entry in m_sas
     */
    void Unindex(std::map<Key, Slot>::iterator it);

    KeyManagementSapUser* m_kmUser{nullptr}; //!< told of soft expiries and removals

    TracedCallback<Ptr<const SecurityAssociation>> m_addedTrace;       //!< SA added
    TracedCallback<Ptr<const SecurityAssociation>> m_removedTrace;     //!< SA removed
    TracedCallback<Ptr<const SecurityAssociation>> m_softExpiredTrace; //!< re-key due
    TracedCallback<Ptr<const SecurityAssociation>> m_hardExpiredTrace; //!< SA unusable
};

} // namespace ns3

#endif // PRESEC_SECURITY_ASSOCIATION_DATABASE_H
