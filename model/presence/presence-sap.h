/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_PRESENCE_SAP_H
#define PRESEC_PRESENCE_SAP_H

#include "presence-document.h"

#include "ns3/ipv4-address.h"

#include <string>

namespace ns3
{

/**
 * \ingroup presec-presence
 * What the presence agent tells its user, the apparatus (the "user" half of a SAP pair, as
 * ns-3 LTE's LteAsSapUser): notifications up, so the apparatus needs neither the agent's
 * trace sources nor its SIP. The calls down are PresenceAgent's public methods (Subscribe,
 * Unsubscribe, SendMessage, GetOwnPresence, GetOfferedPolicies, SetPolicyChanged).
 *
 * An agent has at most one user (PresenceAgent::SetPresenceSapUser); trace sources such as
 * PresenceChanged stay for observers.
 */
class PresenceSapUser
{
  public:
    virtual ~PresenceSapUser() = default;

    /**
     * Our own presence changed: the address or the location (also the first publication).
     * \param doc our presence document as it is now
     */
    virtual void OwnPresenceChanged(const PresenceDocument& doc) = 0;

    /**
     * A new subscription was accepted (authorised, Expires above 0; not a fetch, not a
     * refresh): the patent's responder starts a session on it (step 501 on the peer's side).
     * \param subscriber the subscriber's address
     * \param uri its From URI
     */
    virtual void SubscriberArrived(Ipv4Address subscriber, const std::string& uri) = 0;

    /**
     * A subscription announced by SubscriberArrived ended (unsubscribed, expired, or its
     * NOTIFY failed).
     * \param subscriber the subscriber's address
     * \param reason why it ended
     */
    virtual void WatcherEnded(Ipv4Address subscriber, const std::string& reason) = 0;
};

/**
 * \ingroup presec-presence
 * A PresenceSapUser forwarding to an owner's DoOwnPresenceChanged, DoSubscriberArrived and
 * DoWatcherEnded (as MemberLteAsSapUser), so the owner implements the interface without
 * inheriting it. The owner befriends this class when those methods are private.
 * \tparam C the owner's class
 */
template <class C>
class MemberPresenceSapUser : public PresenceSapUser
{
  public:
    /** \param owner the object told; it outlives this one */
    explicit MemberPresenceSapUser(C* owner)
        : m_owner(owner)
    {
    }

    /** Forwarded to C::DoOwnPresenceChanged. \param doc our presence */
    void OwnPresenceChanged(const PresenceDocument& doc) override
    {
        m_owner->DoOwnPresenceChanged(doc);
    }

    /**
     * Forwarded to C::DoSubscriberArrived.
     * \param subscriber its address
     * \param uri its From URI
     */
    void SubscriberArrived(Ipv4Address subscriber, const std::string& uri) override
    {
        m_owner->DoSubscriberArrived(subscriber, uri);
    }

    /**
     * Forwarded to C::DoWatcherEnded.
     * \param subscriber its address
     * \param reason why it ended
     */
    void WatcherEnded(Ipv4Address subscriber, const std::string& reason) override
    {
        m_owner->DoWatcherEnded(subscriber, reason);
    }

  private:
    C* m_owner; //!< the object told
};

} // namespace ns3

#endif // PRESEC_PRESENCE_SAP_H
