/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_SIP_BUILDER_H
#define PRESEC_SIP_BUILDER_H

#include "sip-message.h"
#include "sip-parser.h"

#include "ns3/ptr.h"
#include "ns3/random-variable-stream.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-presence
 * Makes Via branches, tags and Call-IDs from a reproducible source of randomness.
 *
 * Given a seed, ids come from SplitMix64, which is fully specified, so the same seed gives the
 * same ids on every platform. Given a UniformRandomVariable, ids follow ns-3's RngSeed/RngRun
 * and the stream number the caller assigned to it.
 */
class SipIdGenerator
{
  public:
    /** \param seed the seed; equal seeds give equal id sequences */
    explicit SipIdGenerator(uint64_t seed);

    /** \param stream the ns-3 stream to draw from (two 32-bit draws per 64 bits) */
    explicit SipIdGenerator(Ptr<UniformRandomVariable> stream);

    /** \return 64 random bits */
    uint64_t Next();

    /** \return "z9hG4bK" and 16 hex digits (64 bits, RFC 3261 §8.1.1.7) */
    std::string NewBranch();

    /** \return 8 hex digits (32 bits, the minimum of RFC 3261 §19.3) */
    std::string NewTag();

    /**
     * \param host appended after "@"; empty for none
     * \return 16 hex digits, then "@host"
     */
    std::string NewCallId(const std::string& host);

  private:
    uint64_t m_state;                    //!< SplitMix64 state when no stream is given
    Ptr<UniformRandomVariable> m_stream; //!< ns-3 stream, or null
};

/**
 * \ingroup presec-presence
 * What a request built by SipBuilder says about its dialog. Empty ids are generated.
 */
struct SipRequestParams
{
    std::string localUri;         //!< our address of record (From), e.g. sip:peerA@192.168.1.1
    std::string remoteUri;        //!< the peer's address of record (To)
    std::string requestUri;       //!< remote target (Request-URI); empty means remoteUri
    std::string contactUri;       //!< our Contact; empty means localUri
    std::string sentByHost;       //!< Via sent-by host, e.g. 192.168.1.1
    uint16_t sentByPort{5060};    //!< Via sent-by port; 0 to omit it
    std::string transport{"UDP"}; //!< Via transport
    std::string branch;           //!< Via branch; generated when empty
    std::string callId;           //!< Call-ID; 16 random hex digits when empty
    std::string localTag;         //!< From tag; generated when empty
    std::string remoteTag;        //!< To tag; empty outside a dialog (initial SUBSCRIBE)
    uint32_t cseq{1};             //!< CSeq number
    uint8_t maxForwards{70};      //!< Max-Forwards
    std::string eventId;          //!< Event id parameter; empty for none
};

/**
 * \ingroup presec-presence
 * Builds the messages of the presence exchange (RFC 3856 / 6665): SUBSCRIBE, NOTIFY, and
 * responses to requests (RFC 3261 §8.2.6).
 */
class SipBuilder
{
  public:
    /** \param seed seed of the id generator */
    explicit SipBuilder(uint64_t seed);

    /** \param stream ns-3 stream of the id generator */
    explicit SipBuilder(Ptr<UniformRandomVariable> stream);

    /** \return the id generator, for ids the caller wants before building */
    SipIdGenerator& GetIdGenerator();

    /**
     * \param methods what 405 and 501 responses and Capabilities() list in Allow (default
     *        SUBSCRIBE, NOTIFY)
     */
    void SetAllowedMethods(const std::vector<std::string>& methods);

    /**
     * The answer to an OPTIONS request (RFC 3261 section 11.2): 200 with Allow listing the
     * allowed methods; the caller adds what else it supports (Accept, Allow-Events).
     * \param request the OPTIONS request
     * \return the response
     */
    SipMessage Capabilities(const SipMessage& request);

    /**
     * SUBSCRIBE with Event: presence, Accept: application/pidf+xml, Expires.
     * \param p dialog and transport parameters
     * \param expires subscription duration; 0 is a one-shot fetch (RFC 6665)
     * \param filter an RFC 4661 filter body (RFC 4660); empty: none
     * \return the request
     */
    SipMessage Subscribe(const SipRequestParams& p,
                         uint32_t expires,
                         const std::string& filter = "");

    /**
     * NOTIFY with Event: presence and Subscription-State; the body gets a Content-Type.
     * \param p dialog parameters: local is the notifier, remoteTag the subscriber's From tag
     * \param state e.g. SipSubscriptionState::Active(3600) or Terminated("timeout")
     * \param body the PIDF document; may be empty
     * \param contentType the body's type
     * \return the request
     */
    SipMessage Notify(const SipRequestParams& p,
                      const SipSubscriptionState& state,
                      const std::string& body,
                      const std::string& contentType = "application/pidf+xml");

    /**
     * A page-mode MESSAGE (RFC 3428) outside any dialog. It creates no dialog, so it carries no
     * Contact, and no Event.
     * \param p the request parameters (remoteTag empty)
     * \param contentType the body's media type
     * \param body the body
     * \return the request
     */
    SipMessage Message(const SipRequestParams& p,
                       const std::string& contentType,
                       const std::string& body);

    /**
     * REGISTER (RFC 3261 section 10.2): To and From are the address of record (p.remoteUri
     * and p.localUri), the Request-URI the registrar (p.requestUri); the Contact carries an
     * expires parameter and the request an Expires header, both with the same value. No Event.
     * \param p the request parameters (remoteTag empty)
     * \param expires the binding's requested lifetime; 0 removes it
     * \return the request
     */
    SipMessage Register(const SipRequestParams& p, uint32_t expires);

    /**
     * OPTIONS outside any dialog (RFC 3261 section 11), without Contact or Event; a redirect
     * server answers it for an AOR with 302 and the AOR's current Contact.
     * \param p the request parameters (remoteTag empty)
     * \return the request
     */
    SipMessage Options(const SipRequestParams& p);

    /**
     * A response that copies Via (all, in order), From, To, Call-ID and CSeq, adding a To tag
     * when the request has none (except to 100).
     * \param request the request answered
     * \param statusCode the code
     * \param reasonPhrase the phrase; empty for the default one
     * \param toTag the tag to add; generated when empty
     * \return the response
     */
    SipMessage Response(const SipMessage& request,
                        uint16_t statusCode,
                        const std::string& reasonPhrase = "",
                        const std::string& toTag = "");

    /**
     * 200 OK. To a SUBSCRIBE it repeats the request's Expires (3600 when absent, RFC 3856
     * §6.4; lower it with SetExpires) and should carry a Contact (RFC 6665).
     * \param request the request answered
     * \param contactUri our Contact; empty for none
     * \param toTag the tag to add; generated when empty
     * \return the response
     */
    SipMessage Ok(const SipMessage& request,
                  const std::string& contactUri = "",
                  const std::string& toTag = "");

    /**
     * An error response with the header its code requires: Allow for 405 (and 501),
     * Accept for 415 and 406, Allow-Events for 489.
     * \param request the request answered (possibly from SipParser::ParseBestEffort)
     * \param statusCode 400, 405, 406, 415, 481, 489, 501, 505, 513, …
     * \param reasonPhrase the phrase; empty for the default one
     * \return the response
     */
    SipMessage Error(const SipMessage& request,
                     uint16_t statusCode,
                     const std::string& reasonPhrase = "");

    /**
     * The error response to a parse failure; its status line reads "SIP/2.0 " followed by
     * the ParseResult message, e.g. "SIP/2.0 400 Missing Call-ID".
     * \param request the request answered (from SipParser::ParseBestEffort)
     * \param error from SipParser::GetError
     * \return the response
     */
    SipMessage Error(const SipMessage& request, const SipParseError& error);

    /**
     * RFC 3261 §8.2.6 / §17: a response needs a top Via, From, To, Call-ID and CSeq to be
     * routed and matched, and an ACK is never answered.
     * \param request a request, perhaps from SipParser::ParseBestEffort
     * \return true when a response to it can be built and sent
     */
    static bool CanAnswer(const SipMessage& request);

  private:
    /**
     * Via, Max-Forwards, From, To, Call-ID, CSeq and Contact of a request.
     * \param method the method
     * \param p the parameters
     * \return the request
     */
    SipMessage BaseRequest(const std::string& method, const SipRequestParams& p);

    /** \return the allowed methods, comma-separated */
    std::string AllowList() const;

    SipIdGenerator m_ids;                                    //!< branch, tag, Call-ID source
    std::vector<std::string> m_allow{"SUBSCRIBE", "NOTIFY"}; //!< Allow of 200 (OPTIONS), 405, 501
};

} // namespace ns3

#endif // PRESEC_SIP_BUILDER_H
