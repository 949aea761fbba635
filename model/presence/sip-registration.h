/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_SIP_REGISTRATION_H
#define PRESEC_SIP_REGISTRATION_H

#include "presence-endpoint.h"
#include "sip-builder.h"
#include "sip-transaction-layer.h"

#include "ns3/callback.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"

#include <cstdint>
#include <map>
#include <string>

namespace ns3
{

/**
 * \ingroup presec-presence
 * The registrar's client in PresenceAgent (RFC 3261 section 10.2): keeps the agent's AOR
 * bound to its current Contact at a SipRegistrar, and asks the registrar where another AOR
 * is (OPTIONS, answered 302 by the registrar as a redirect server).
 *
 * REGISTER goes out at start, again at 0.9 of the lifetime the registrar granted, and at
 * once whenever the Contact changes (the agent calls AddressChanged() when the own address
 * moved); that REGISTER also removes the old Contact (a second Contact with expires=0), so a
 * peer that moved is never found at its old address. While the node has no address nothing
 * is sent; the REGISTER follows when an address is back. A REGISTER that fails is tried
 * again after RetryInterval. Stop() unregisters (expires 0). All REGISTERs of one agent
 * share a Call-ID with a rising CSeq (section 10.2.4).
 */
class SipRegistration : public PresenceTransactionUser
{
  public:
    /**
     * The outcome of Resolve: (success, the AOR's current address, the reason of a failure:
     * "404 Not Found", "timeout", "no registrar", …).
     */
    typedef Callback<void, bool, Ipv4Address, const std::string&> ResolveCallback;

    /** Counters, in the manner of QueueDisc::Stats. */
    struct Stats
    {
        uint32_t registersSent{0};    //!< REGISTERs sent (refreshes and removals included)
        uint32_t registered{0};       //!< REGISTERs answered 2xx
        uint32_t registerFailures{0}; //!< REGISTERs refused or unanswered
        uint32_t resolutions{0};      //!< Resolve calls
        uint32_t resolved{0};         //!< of them, answered with an address
        uint32_t resolveFailures{0};  //!< of them, failed
        /// bad input by reason (SipDropReason)
        std::map<std::string, uint32_t> badMessages;
    };

    /** A REGISTER that failed is tried again after this long. */
    static constexpr double RETRY_SECONDS = 30;

    /**
     * \param transactions the transaction layer below
     * \param builder builds the requests
     * \param endpoint the agent's identity and addresses
     */
    SipRegistration(SipTransactionLayer* transactions,
                    SipBuilder* builder,
                    PresenceEndpoint* endpoint);
    ~SipRegistration() override;

    /**
     * \param registrar the registrar's address; 0.0.0.0: none (nothing is registered and
     *        Resolve fails)
     * \param port the registrar's SIP port
     * \param aor the AOR to register (sip: or tel: URI)
     * \param expires the lifetime asked for, in seconds
     */
    void Configure(Ipv4Address registrar, uint16_t port, const std::string& aor, uint32_t expires);

    /** Register (when a registrar is configured). */
    void Start();

    /** The own address may have changed: re-REGISTER when the Contact did. */
    void AddressChanged();

    /**
     * Cancel the refresh and forget lookups in progress.
     * \param unregister whether to send REGISTER expires 0 for the Contact first (not while
     *        the simulation is being destroyed)
     */
    void Stop(bool unregister = true);

    /**
     * Ask the registrar where an AOR is now (OPTIONS to the registrar, RFC 3261 section 11;
     * a 3xx or 2xx with a Contact gives the address). The callback fires once.
     * \param aor the AOR (sip:, sips:, pres: or tel: URI)
     * \param cb the callback
     */
    void Resolve(const std::string& aor, ResolveCallback cb);

    /** \return whether the registrar confirmed the current Contact and it has not expired */
    bool IsRegistered() const;

    /** \return the Contact the registrar last confirmed (empty when none) */
    std::string GetRegisteredContact() const;

    /** \return the counters */
    const Stats& GetStats() const;

    /**
     * A REGISTER or OPTIONS transaction ended.
     * \param owner "reg<n>" or "res<n>"
     * \param response the final response, or null
     * \param failure why there is none
     */
    void ClientTransactionEnded(const std::string& owner,
                                const SipMessage* response,
                                const std::string& failure) override;

  private:
    /**
     * Send a REGISTER binding the current Contact (expires as configured) or removing it.
     * \param remove true: expires 0 for the registered Contact
     */
    void SendRegister(bool remove);

    /** One lookup in progress. */
    struct Lookup
    {
        std::string aor;    //!< what is looked up
        ResolveCallback cb; //!< told the outcome
    };

    Ipv4Address m_registrar{Ipv4Address::GetAny()}; //!< the registrar; any for none
    uint16_t m_port{5060};                          //!< its port
    std::string m_aor;                              //!< our AOR
    uint32_t m_expires{3600};                       //!< lifetime asked for
    bool m_running{false};                          //!< between Start and Stop
    std::string m_callId;                           //!< Call-ID of our REGISTERs
    std::string m_tag;                              //!< From tag of our REGISTERs
    uint32_t m_cseq{0};                             //!< last CSeq used
    std::string m_contact;                          //!< Contact of the REGISTER last sent (binding)
    std::string m_registered;                       //!< Contact the registrar confirmed
    Time m_expiry;                                  //!< when the confirmed binding ends
    std::string m_pending;                   //!< owner of the REGISTER in flight; empty for none
    EventId m_refresh;                       //!< refresh or retry
    uint64_t m_next{0};                      //!< next owner number
    std::map<std::string, Lookup> m_lookups; //!< by owner
    Stats m_stats;                           //!< counters
};

} // namespace ns3

#endif // PRESEC_SIP_REGISTRATION_H
