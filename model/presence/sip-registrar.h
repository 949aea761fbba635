/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_SIP_REGISTRAR_H
#define PRESEC_SIP_REGISTRAR_H

#include "sip-builder.h"
#include "sip-drop-reason.h"
#include "sip-message.h"
#include "sip-transaction-layer.h"
#include "sip-transport.h"

#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"
#include "ns3/random-variable-stream.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-presence
 * A SIP registrar (RFC 3261 section 10) with its location service, and a redirect server
 * (section 8.3) in front of that service, as an ns-3 Application on any node with an IPv4
 * stack. It listens on UDP (and TCP) Port with its own SipTransport and SipTransactionLayer.
 *
 * **REGISTER** (section 10.3). The To URI is the address of record: a SIP URI with a user
 * part (`sip:bob@example.com`; pres: counts as sip:) or a tel URI (`tel:+81-3-1234-5678`,
 * RFC 3966; kept without visual separators). Each Contact is a binding of the AOR to a SIP
 * URI with an IPv4 host; its lifetime is the Contact's expires parameter, else the Expires
 * header, else DefaultExpires, capped at MaxExpires; 0 removes the binding, and
 * `Contact: *` with `Expires: 0` removes them all. A REGISTER with the same Call-ID and a
 * CSeq not above the one that last touched a binding is stale and leaves it alone (step 7).
 * A REGISTER without Contact only asks. The 200 lists every current binding of the AOR with
 * its remaining expires. Bindings that run out are removed at their expiry (an event per
 * binding). A REGISTER the registrar cannot take (To is no AOR, a Contact that is no IPv4
 * SIP URI, a bad expires) is answered 400 and counted under SipDropReason::BAD_REGISTER.
 *
 * **Lookup** (redirect, sections 8.3 and 21.3.3). An OPTIONS or SUBSCRIBE whose
 * Request-URI is a registered AOR is answered `302 Moved Temporarily` listing the AOR's
 * bindings, the most recently registered first; an unknown AOR gets 404. A terminal
 * (SipRegistration::Resolve) sends OPTIONS to learn where a peer is now and then talks to
 * it directly. A redirect server rather than a proxy because the presence exchange and the
 * IPsec SAs that follow are between the two terminals' addresses: the caller needs the
 * callee's address itself (for its SPD and the SAs), which a proxy would hide, and the
 * registrar stays out of every later message. OPTIONS to the registrar itself (no user
 * part) is answered 200.
 *
 * Limits: no authentication (anyone may register any AOR), no q-values, the AOR is compared
 * by scheme, user and lower-case host (no port, no parameters).
 */
class SipRegistrar : public Application, private SipServerTransactionUser, private SipDropCounter
{
  public:
    /** One binding of an AOR (RFC 3261 section 10.3). */
    struct Binding
    {
        std::string contact; //!< the Contact URI
        Ipv4Address address; //!< its host
        uint16_t port{5060}; //!< its port
        Time expiry;         //!< absolute simulation time at which it ends
        Time updated;        //!< when it was last registered or refreshed
        std::string callId;  //!< Call-ID of the REGISTER that last touched it
        uint32_t cseq{0};    //!< its CSeq
    };

    /** Counters, in the manner of QueueDisc::Stats. */
    struct Stats
    {
        uint32_t registers{0};         //!< REGISTERs answered 200
        uint32_t bindingsAdded{0};     //!< new bindings
        uint32_t bindingsRefreshed{0}; //!< bindings registered again
        uint32_t bindingsRemoved{0};   //!< bindings removed by expires 0
        uint32_t bindingsExpired{0};   //!< bindings that ran out
        uint32_t lookups{0};           //!< OPTIONS / SUBSCRIBE for an AOR
        uint32_t redirects{0};         //!< of them, answered 302
        uint32_t notFound{0};          //!< of them, answered 404
        /// bad input by reason (SipDropReason)
        std::map<std::string, uint32_t> badMessages;
    };

    /**
     * Signature of BindingChanged.
     * \param aor the address of record (canonical form)
     * \param contact the Contact URI
     * \param expires the remaining lifetime in seconds; 0 when removed or expired
     */
    typedef void (*BindingTracedCallback)(const std::string& aor,
                                          const std::string& contact,
                                          uint32_t expires);

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    SipRegistrar();
    ~SipRegistrar() override;

    /**
     * The canonical form AORs are stored and compared in: `sip:user@host` (scheme sip, sips
     * and pres all become sip; host lower case; port, parameters and headers dropped) or
     * `tel:+number` (visual separators - . ( ) removed, parameters dropped).
     * \param uri a URI, with or without angle brackets
     * \return the canonical AOR, or empty when the URI names no AOR (no user part, other
     *         schemes, an empty number)
     */
    static std::string CanonicalAor(const std::string& uri);

    /**
     * \param aor an address of record, in any form CanonicalAor takes
     * \return its current bindings, the most recently registered first
     */
    std::vector<Binding> GetBindings(const std::string& aor) const;

    /**
     * \param aor an address of record
     * \return the host of its most recently registered binding, if there is one
     */
    std::optional<Ipv4Address> Lookup(const std::string& aor) const;

    /** \return the number of bindings over all AORs */
    size_t GetNBindings() const;

    /** \return the counters */
    const Stats& GetStats() const;

    /**
     * \param stream first stream index to use
     * \return the number of streams used (1)
     */
    int64_t AssignStreams(int64_t stream);

  protected:
    /** Release references (ns-3 Object disposal). */
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;
    void ReceiveRequest(const SipMessage& request, const SipOrigin& origin, uint32_t size) override;

    /**
     * Answer a REGISTER (RFC 3261 section 10.3).
     * \param request the REGISTER
     * \param origin where it came from
     */
    void HandleRegister(const SipMessage& request, const SipOrigin& origin);

    /**
     * Answer a lookup: 302 with the bindings, 404, or 200 for the registrar itself.
     * \param request the OPTIONS or SUBSCRIBE
     * \param origin where it came from
     */
    void HandleLookup(const SipMessage& request, const SipOrigin& origin);

    /**
     * Refuse a REGISTER with 400 and count it.
     * \param request the REGISTER
     * \param origin where it came from
     * \param detail what was wrong
     */
    void RefuseRegister(const SipMessage& request,
                        const SipOrigin& origin,
                        const std::string& detail);

    /**
     * A binding ran out.
     * \param aor its AOR
     * \param contact its Contact URI
     */
    void Expire(std::string aor, std::string contact);

    /**
     * \param aor the AOR
     * \param response the response to add a Contact with expires to for each binding
     */
    void AddContacts(const std::string& aor, SipMessage& response) const;

    /** A binding and its expiry event. */
    struct Entry
    {
        Binding binding; //!< the binding
        EventId expire;  //!< removes it at its expiry
    };

    // Attributes.
    uint16_t m_port{5060};           //!< SIP port
    uint32_t m_defaultExpires{3600}; //!< lifetime when the REGISTER names none
    uint32_t m_maxExpires{86400};    //!< longest lifetime granted
    Time m_t1{MilliSeconds(500)};    //!< T1
    // State.
    Ptr<UniformRandomVariable> m_rng;   //!< id source
    SipBuilder m_builder;               //!< responses
    SipTransport m_transport;           //!< sockets, parsing
    SipTransactionLayer m_transactions; //!< retransmission absorption
    /// AOR -> contact URI -> binding
    std::map<std::string, std::map<std::string, Entry>> m_bindings;
    Stats m_stats;         //!< counters
    mutable Stats m_total; //!< counters with the layers' drops, as last asked for
    TracedCallback<const std::string&, const std::string&, uint32_t>
        m_bindingTrace; //!< BindingChanged
};

} // namespace ns3

#endif // PRESEC_SIP_REGISTRAR_H
