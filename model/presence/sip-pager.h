/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_SIP_PAGER_H
#define PRESEC_SIP_PAGER_H

#include "presence-endpoint.h"
#include "sip-builder.h"
#include "sip-transaction-layer.h"

#include "ns3/callback.h"
#include "ns3/ipv4-address.h"

#include <cstdint>
#include <map>
#include <string>

namespace ns3
{

/**
 * \ingroup presec-presence
 * Page-mode MESSAGE (RFC 3428) for PresenceAgent: sends MESSAGEs outside any dialog and
 * hands the bodies of those received to the handler of their content type.
 */
class SipPager : public PresenceTransactionUser
{
  public:
    /** See PresenceAgent::MessageHandler. */
    typedef Callback<uint16_t, Ipv4Address, const std::string&> MessageHandler;
    /** See PresenceAgent::MessageResultCallback. */
    typedef Callback<void, uint16_t> MessageResultCallback;

    /** Counters, in the manner of QueueDisc::Stats. */
    struct Stats
    {
        uint32_t messagesSent{0};     //!< MESSAGEs sent
        uint32_t messagesReceived{0}; //!< MESSAGEs handed to a handler
        /// bad input by reason (SipDropReason)
        std::map<std::string, uint32_t> badMessages;
    };

    /**
     * \param transactions the transaction layer below
     * \param builder builds requests and responses (its Allow list follows the handlers)
     * \param endpoint the agent's identity and addresses
     */
    SipPager(SipTransactionLayer* transactions, SipBuilder* builder, PresenceEndpoint* endpoint);
    ~SipPager() override = default;

    /**
     * See PresenceAgent::SetMessageHandler.
     * \param contentType the media type (case-insensitive, parameters ignored)
     * \param handler the handler; a null callback removes it
     */
    void SetMessageHandler(const std::string& contentType, MessageHandler handler);

    /** \return whether any handler is set (MESSAGE is then a supported method) */
    bool HasHandlers() const;

    /**
     * Send a MESSAGE to a peer's SIP port.
     * \param peer the peer's address
     * \param contentType the body's media type
     * \param body the body
     * \param cb told the outcome (may be null)
     */
    void Send(Ipv4Address peer,
              const std::string& contentType,
              const std::string& body,
              MessageResultCallback cb);

    /**
     * Answer a MESSAGE: hand its body to the handler of its type.
     * \param request the MESSAGE
     * \param origin where it came from
     */
    void ReceiveMessage(const SipMessage& request, const SipOrigin& origin);

    /** Forget the MESSAGEs in progress without telling their callbacks. */
    void Stop();

    /** Drop the handlers (ns-3 disposal). */
    void Dispose();

    /** \return the counters */
    const Stats& GetStats() const;

    /**
     * A MESSAGE transaction ended.
     * \param owner the MESSAGE
     * \param response the final response, or null
     * \param failure why there is none
     */
    void ClientTransactionEnded(const std::string& owner,
                                const SipMessage* response,
                                const std::string& failure) override;

  private:
    /** Give the builder what Allow lists: MESSAGE only while a handler takes one. */
    void UpdateAllowedMethods();

    uint64_t m_next{0};                                     //!< next MESSAGE's owner key
    std::map<std::string, MessageHandler> m_handlers;       //!< by lower-case media type
    std::map<std::string, MessageResultCallback> m_results; //!< by owner key
    Stats m_stats;                                          //!< counters
};

} // namespace ns3

#endif // PRESEC_SIP_PAGER_H
