/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_SIP_MESSAGE_H
#define PRESEC_SIP_MESSAGE_H

#include "ns3/parse-result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-presence
 * How SipMessage::Serialize writes header names.
 */
enum class SipHeaderForm : uint8_t
{
    AS_SET,  //!< as added or parsed (a parsed "v:" stays "v:")
    LONG,    //!< canonical long names, e.g. "Via", "Call-ID"
    COMPACT, //!< RFC 3261 §7.3.3 compact letters where one exists, long names otherwise
};

/**
 * \ingroup presec-presence
 * An ordered list of ";name=value" parameters (generic-param of RFC 3261 §25.1).
 *
 * Names compare case-insensitively. A parameter without "=value" (e.g. ";lr") is a flag and
 * holds an empty value. Values are stored as written, so a quoted-string keeps its quotes;
 * Get() returns it unquoted.
 */
class SipParams
{
  public:
    /** One parameter: name and raw value (empty for a flag). */
    using Param = std::pair<std::string, std::string>;

    /**
     * \param name parameter name (case-insensitive)
     * \return the value, unquoted ("" for a flag), or nullopt when absent
     */
    std::optional<std::string> Get(const std::string& name) const;

    /**
     * \param name parameter name (case-insensitive)
     * \return true when present
     */
    bool Has(const std::string& name) const;

    /**
     * Replaces the first parameter of that name, or appends one. A value that is not a valid
     * token/host is written as a quoted-string.
     * \param name parameter name
     * \param value its value; empty for a flag
     */
    void Set(const std::string& name, const std::string& value = "");

    /**
     * \param name parameter name (case-insensitive)
     * \return how many were removed
     */
    size_t Remove(const std::string& name);

    /** \return all parameters in order */
    const std::vector<Param>& GetAll() const;

    /** \return true when there are none */
    bool IsEmpty() const;

    /** \return ";a=b;c" (empty when there are none) */
    std::string ToString() const;

    /**
     * Parses the text after the first ';' of a header value, e.g. "branch=z9hG4bK1;rport".
     * \param text parameters without the leading ';'
     * \return the parameters, or what was malformed
     */
    static ParseResult<SipParams> Parse(const std::string& text);

    /**
     * \param other parameters to compare
     * \return true when the raw lists are equal
     */
    bool operator==(const SipParams& other) const;

  private:
    std::vector<Param> m_params; //!< in order of appearance
};

/**
 * \ingroup presec-presence
 * One Via value: "SIP/2.0/UDP host[:port];branch=z9hG4bK…".
 */
struct SipVia
{
    std::string transport{"UDP"}; //!< transport token, upper case as written ("UDP", "TCP")
    std::string host;             //!< sent-by host: name, IPv4 or bracketed IPv6
    uint16_t port{0};             //!< sent-by port; 0 when absent (5060 implied)
    SipParams params;             //!< via-params, branch among them

    /** \return the branch parameter, "" when absent */
    std::string GetBranch() const;

    /** \param branch the branch parameter to set */
    void SetBranch(const std::string& branch);

    /** \return "host" or "host:port" as written on the wire */
    std::string GetSentBy() const;

    /** \return "SIP/2.0/UDP host:port;params" */
    std::string ToString() const;

    /**
     * \param value one Via value (no commas)
     * \return the Via, or what was malformed
     */
    static ParseResult<SipVia> Parse(const std::string& value);
};

/**
 * \ingroup presec-presence
 * A name-addr or addr-spec with header parameters, as in From, To and Contact:
 * `"Alice" <sip:alice@192.168.1.1>;tag=1a2b`.
 */
struct SipNameAddr
{
    std::string displayName; //!< without quotes; empty when absent
    std::string uri;         //!< the URI between the angle brackets
    SipParams params;        //!< header parameters after the address (tag, expires, …)

    /** \return the tag parameter, "" when absent */
    std::string GetTag() const;

    /** \param tag the tag parameter to set */
    void SetTag(const std::string& tag);

    /** \return the value, always in name-addr form (angle brackets) */
    std::string ToString() const;

    /**
     * \param value one From/To/Contact value (no top-level commas)
     * \return the address, or what was malformed
     */
    static ParseResult<SipNameAddr> Parse(const std::string& value);

    /**
     * \param uri a uri
     * \param tag a tag, empty for none
     * \return the address
     */
    static SipNameAddr FromUri(const std::string& uri, const std::string& tag = "");
};

/**
 * \ingroup presec-presence
 * The CSeq value: sequence number and method.
 */
struct SipCSeq
{
    uint32_t number{0}; //!< sequence number
    std::string method; //!< the request method it counts

    /** \return "number METHOD" */
    std::string ToString() const;

    /**
     * \param value the CSeq value
     * \return the CSeq, or what was malformed
     */
    static ParseResult<SipCSeq> Parse(const std::string& value);
};

/**
 * \ingroup presec-presence
 * The Event value of RFC 6665: "presence;id=7".
 */
struct SipEvent
{
    std::string type; //!< event-type: package with optional ".template"; case-sensitive
    SipParams params; //!< event-params (id)

    /** \return the id parameter, "" when absent */
    std::string GetId() const;

    /** \return "type;params" */
    std::string ToString() const;

    /**
     * \param value the Event value
     * \return the event, or what was malformed
     */
    static ParseResult<SipEvent> Parse(const std::string& value);
};

/**
 * \ingroup presec-presence
 * The Subscription-State value of RFC 6665: "active;expires=3600", "terminated;reason=timeout".
 */
struct SipSubscriptionState
{
    std::string state; //!< "active", "pending", "terminated" or an extension token
    SipParams params;  //!< expires, reason, retry-after, …

    /** \return the expires parameter, nullopt when absent */
    std::optional<uint32_t> GetExpires() const;

    /** \return the reason parameter, "" when absent */
    std::string GetReason() const;

    /** \return "state;params" */
    std::string ToString() const;

    /**
     * \param expires seconds left
     * \return "active;expires=N"
     */
    static SipSubscriptionState Active(uint32_t expires);

    /**
     * \param reason e.g. "timeout", "noresource", "deactivated"
     * \return "terminated;reason=…"
     */
    static SipSubscriptionState Terminated(const std::string& reason);

    /**
     * \param value the Subscription-State value
     * \return the state, or what was malformed
     */
    static ParseResult<SipSubscriptionState> Parse(const std::string& value);
};

/**
 * \ingroup presec-presence
 * A media type as in Content-Type and Accept: "application/pidf+xml;charset=UTF-8".
 */
struct SipMediaType
{
    std::string type;    //!< e.g. "application"
    std::string subtype; //!< e.g. "pidf+xml"
    SipParams params;    //!< media parameters

    /**
     * \param typeSlashSubtype e.g. "application/pidf+xml"; "*" wildcards match on this side
     * \return true when type and subtype are equal, ignoring case and parameters
     */
    bool Matches(const std::string& typeSlashSubtype) const;

    /** \return "type/subtype;params" */
    std::string ToString() const;

    /**
     * \param value the value
     * \return the media type, or what was malformed
     */
    static ParseResult<SipMediaType> Parse(const std::string& value);
};

/**
 * \ingroup presec-presence
 * A SIP request or response (RFC 3261 §7): start line, ordered header fields and a body.
 *
 * Header names compare case-insensitively and a compact form ("v", "i", "o", …) names the
 * same header as its long form. The Content-Length header is not stored: it is always
 * derived from the body, so a message can never carry a stale length. Typed accessors return
 * nullopt when the header is absent or does not parse; SipParser::Parse validates the
 * mandatory ones, so on a parsed request they are present.
 */
class SipMessage
{
  public:
    /** One header field as stored: name as given, value with folding already undone. */
    struct Header
    {
        std::string name;  //!< as given ("Via", "v", "CALL-ID", …)
        std::string value; //!< trimmed value
    };

    /** An empty request with no method; use CreateRequest or CreateResponse. */
    SipMessage() = default;

    /**
     * \param method the method, e.g. "SUBSCRIBE" (case-sensitive)
     * \param requestUri the Request-URI
     * \return the request, without headers
     */
    static SipMessage CreateRequest(const std::string& method, const std::string& requestUri);

    /**
     * \param statusCode 100–699
     * \param reasonPhrase the phrase; empty for the RFC 3261 default of the code
     * \return the response, without headers
     */
    static SipMessage CreateResponse(uint16_t statusCode, const std::string& reasonPhrase = "");

    /** \return true for a request */
    bool IsRequest() const;

    /** \return true for a response */
    bool IsResponse() const;

    /** \return the request method; "" for a response */
    const std::string& GetMethod() const;

    /** \return the Request-URI; "" for a response */
    const std::string& GetRequestUri() const;

    /** \return the status code; 0 for a request */
    uint16_t GetStatusCode() const;

    /** \return the reason phrase; "" for a request */
    const std::string& GetReasonPhrase() const;

    /**
     * Makes this a request, keeping headers and body.
     * \param method the method
     * \param requestUri the Request-URI
     */
    void SetRequestLine(const std::string& method, const std::string& requestUri);

    /**
     * Makes this a response, keeping headers and body.
     * \param statusCode 100–699
     * \param reasonPhrase the phrase; empty for the default of the code
     */
    void SetStatusLine(uint16_t statusCode, const std::string& reasonPhrase = "");

    /**
     * Appends a header field. Content-Length is ignored (it follows the body).
     * \param name header name
     * \param value header value
     */
    void AddHeader(const std::string& name, const std::string& value);

    /**
     * Inserts a header field before all others (where a Via goes).
     * \param name header name
     * \param value header value
     */
    void PrependHeader(const std::string& name, const std::string& value);

    /**
     * Replaces the first field of that name in place and removes the others, or appends.
     * \param name header name (long or compact, any case)
     * \param value header value
     */
    void SetHeader(const std::string& name, const std::string& value);

    /**
     * \param name header name (long or compact, any case)
     * \return how many fields were removed
     */
    size_t RemoveHeader(const std::string& name);

    /**
     * \param name header name (long or compact, any case)
     * \return true when at least one field of that name is present
     */
    bool HasHeader(const std::string& name) const;

    /**
     * \param name header name (long or compact, any case)
     * \return the number of fields of that name (a comma list counts once)
     */
    size_t CountHeaders(const std::string& name) const;

    /**
     * \param name header name (long or compact, any case); Content-Length gives the body size
     * \return the value of the first field, or nullopt
     */
    std::optional<std::string> GetHeader(const std::string& name) const;

    /**
     * \param name header name (long or compact, any case)
     * \return the values of all fields of that name, in order
     */
    std::vector<std::string> GetHeaders(const std::string& name) const;

    /**
     * For list headers (Via, Contact, Allow, Accept, …): all values of all fields, with
     * comma-separated values split at top-level commas (not inside quotes or <>).
     * \param name header name (long or compact, any case)
     * \return the values in order
     */
    std::vector<std::string> GetHeaderValues(const std::string& name) const;

    /** \return all header fields in order (Content-Length excluded) */
    const std::vector<Header>& GetHeaderList() const;

    /** \return all Via values, topmost first; values that do not parse are skipped */
    std::vector<SipVia> GetVias() const;

    /** \return the topmost Via, or nullopt */
    std::optional<SipVia> GetTopVia() const;

    /**
     * Adds a Via above the existing ones.
     * \param via the Via
     */
    void PushVia(const SipVia& via);

    /** \return the From address, or nullopt */
    std::optional<SipNameAddr> GetFrom() const;

    /** \param from the From address */
    void SetFrom(const SipNameAddr& from);

    /** \return the To address, or nullopt */
    std::optional<SipNameAddr> GetTo() const;

    /** \param to the To address */
    void SetTo(const SipNameAddr& to);

    /** \return the Call-ID, or nullopt */
    std::optional<std::string> GetCallId() const;

    /** \param callId the Call-ID */
    void SetCallId(const std::string& callId);

    /** \return the CSeq, or nullopt */
    std::optional<SipCSeq> GetCSeq() const;

    /** \param cseq the CSeq */
    void SetCSeq(const SipCSeq& cseq);

    /** \return Max-Forwards (0–255), or nullopt */
    std::optional<uint8_t> GetMaxForwards() const;

    /** \param hops Max-Forwards */
    void SetMaxForwards(uint8_t hops);

    /** \return the first Contact address, or nullopt (also for "Contact: *") */
    std::optional<SipNameAddr> GetContact() const;

    /** \param contact the (only) Contact address */
    void SetContact(const SipNameAddr& contact);

    /** \return the Event, or nullopt */
    std::optional<SipEvent> GetEvent() const;

    /** \param event the Event */
    void SetEvent(const SipEvent& event);

    /** \return Expires in seconds (clamped to 2^32-1), or nullopt */
    std::optional<uint32_t> GetExpires() const;

    /** \param seconds Expires */
    void SetExpires(uint32_t seconds);

    /** \return the Subscription-State, or nullopt */
    std::optional<SipSubscriptionState> GetSubscriptionState() const;

    /** \param state the Subscription-State */
    void SetSubscriptionState(const SipSubscriptionState& state);

    /** \return the Content-Type, or nullopt */
    std::optional<SipMediaType> GetContentType() const;

    /** \param type the Content-Type */
    void SetContentType(const SipMediaType& type);

    /** \return the Content-Length this message serialises with: the body size */
    size_t GetContentLength() const;

    /** \return the body */
    const std::string& GetBody() const;

    /** \param body the body (Content-Length follows it) */
    void SetBody(std::string body);

    /**
     * RFC 3261 §20.1 / RFC 3856: a request without Accept accepts the package default
     * (application/pidf+xml for presence).
     * \param typeSlashSubtype e.g. "application/pidf+xml"
     * \return true when Accept is absent or one of its entries (with wildcards) matches
     */
    bool AcceptsMediaType(const std::string& typeSlashSubtype) const;

    /**
     * \param form how to write header names
     * \return the message as text: start line, headers, Content-Length, CRLF, body
     */
    std::string Serialize(SipHeaderForm form = SipHeaderForm::AS_SET) const;

    /**
     * \param name a header name, any case, long or compact
     * \return the canonical long name ("Call-ID" for "i" or "call-id"); unknown names unchanged
     */
    static std::string CanonicalHeaderName(const std::string& name);

    /**
     * \param name a header name, any case, long or compact
     * \return its compact letter, or "" when it has none
     */
    static std::string CompactHeaderName(const std::string& name);

    /**
     * \param a a header name
     * \param b another header name
     * \return true when both name the same header (case and compact form ignored)
     */
    static bool HeaderNamesEqual(const std::string& a, const std::string& b);

    /**
     * \param statusCode a status code
     * \return its RFC 3261/6665 reason phrase, or a class phrase ("Client Error") when unknown
     */
    static std::string GetDefaultReasonPhrase(uint16_t statusCode);

    /**
     * \param text text
     * \return true when non-empty and made of RFC 3261 token characters only
     */
    static bool IsToken(const std::string& text);

    /**
     * Splits at commas that are not inside a quoted-string or angle brackets; parts are trimmed.
     * \param value a header value
     * \return the parts (one empty part for an empty value)
     */
    static std::vector<std::string> SplitList(const std::string& value);

  private:
    std::string m_method;          //!< request method; empty for a response
    std::string m_requestUri;      //!< Request-URI
    uint16_t m_statusCode{0};      //!< status code; 0 for a request
    std::string m_reasonPhrase;    //!< reason phrase
    std::vector<Header> m_headers; //!< header fields in order, Content-Length excluded
    std::string m_body;            //!< the body
};

} // namespace ns3

#endif // PRESEC_SIP_MESSAGE_H
