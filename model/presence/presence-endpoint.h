/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_PRESENCE_ENDPOINT_H
#define PRESEC_PRESENCE_ENDPOINT_H

#include "presence-document.h"
#include "sip-builder.h"
#include "sip-drop-reason.h"
#include "sip-transaction-layer.h"

#include "ns3/ipv4-address.h"
#include "ns3/ptr.h"
#include "ns3/security-policy-database.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-presence
 * What the presence transaction users (PresenceSubscriber, PresenceNotifier, SipPager) ask
 * of the agent that owns them (the provider half of their SAP; PresenceAgent implements it):
 * who and where this agent is, and its own presence. Also the URI helpers they share.
 */
class PresenceEndpoint
{
  public:
    virtual ~PresenceEndpoint() = default;

    /**
     * \param peer a peer
     * \return the source address routing picks towards it (any when there is none)
     */
    virtual Ipv4Address LocalAddressFor(Ipv4Address peer) const = 0;

    /**
     * \param local an own address
     * \return our Contact URI at it
     */
    virtual std::string ContactUri(Ipv4Address local) const = 0;

    /**
     * The parts of a request that name this agent: From (our AOR), Contact and Via at an
     * own address, and a new branch.
     * \param local the own address the request goes out from
     * \return the parameters; the caller adds the peer's and the dialog's
     */
    virtual SipRequestParams NewRequestParams(Ipv4Address local) = 0;

    /** \return the own presence with a fresh timestamp, without policies */
    virtual PresenceDocument GetStampedPresence() const = 0;

    /** \return our SIP port, which is also the peers' (one port for all, as in presec) */
    virtual uint16_t GetPort() const = 0;

    /** \return whether the node has an address at all (else nothing can be sent) */
    virtual bool HasAddress() const = 0;

    /** \return the SPD the offered policy is read from, possibly null */
    virtual Ptr<SecurityPolicyDatabase> GetSecurityPolicyDatabase() const = 0;

    /**
     * "sip:user@host:port;params" -> host and port (5060 when absent); host must be IPv4.
     * \param uri the URI
     * \param address set to its host
     * \param port set to its port
     * \return false when it names no IPv4 host and valid port
     */
    static bool ParseSipTarget(const std::string& uri, Ipv4Address& address, uint16_t& port);

    /**
     * \param address a host
     * \param port its SIP port (left out when 5060)
     * \param user a user part; empty for none
     * \return the SIP URI
     */
    static std::string HostUri(Ipv4Address address, uint16_t port, const std::string& user = "");

    /**
     * RFC 3261 section 8.2.2.1: whether a Request-URI names an agent: its AOR (sip:, sips:
     * or pres:, user and domain), or a SIP URI whose host is one of its addresses with no user
     * part or its own.
     * \param uri the Request-URI
     * \param aor the agent's SIP address of record
     * \param userPart the user part of the AOR
     * \param own the agent's addresses
     * \return true if it names the agent
     */
    static bool IsUriOf(const std::string& uri,
                        const std::string& aor,
                        const std::string& userPart,
                        const std::vector<Ipv4Address>& own);
};

/**
 * \ingroup presec-presence
 * What the transaction users of PresenceAgent (PresenceSubscriber, PresenceNotifier,
 * SipPager) share: the transaction layer below them, the message factory, the endpoint they
 * act for, and their drop function.
 */
class PresenceTransactionUser : public SipClientTransactionUser, public SipDropCounter
{
  public:
    /**
     * \param transactions the transaction layer below
     * \param builder builds requests and responses
     * \param endpoint the agent the user acts for
     * \param dropCounts the user's Stats::badMessages
     */
    PresenceTransactionUser(SipTransactionLayer* transactions,
                            SipBuilder* builder,
                            PresenceEndpoint* endpoint,
                            std::map<std::string, uint32_t>& dropCounts)
        : SipDropCounter(dropCounts),
          m_transactions(transactions),
          m_builder(builder),
          m_endpoint(endpoint)
    {
    }

    PresenceTransactionUser(const PresenceTransactionUser&) = delete;
    PresenceTransactionUser& operator=(const PresenceTransactionUser&) = delete;

  protected:
    SipTransactionLayer* m_transactions; //!< below
    SipBuilder* m_builder;               //!< message factory
    PresenceEndpoint* m_endpoint;        //!< who we are
};

} // namespace ns3

#endif // PRESEC_PRESENCE_ENDPOINT_H
