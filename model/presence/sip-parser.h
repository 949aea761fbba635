/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_SIP_PARSER_H
#define PRESEC_SIP_PARSER_H

#include "sip-message.h"

#include "ns3/parse-result.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-presence
 * Why a SIP message was refused, as the status code a UAS answers with and a detail text.
 */
struct SipParseError
{
    uint16_t status{400}; //!< 400, 405, 415, 489, 501, 505 or 513
    std::string reason;   //!< detail, e.g. "Missing Call-ID"

    /** \return "status reason", the form SipParser puts in ParseResult's message */
    std::string ToString() const;
};

/**
 * \ingroup presec-presence
 * What SipParser accepts.
 */
struct SipParserOptions
{
    /** Largest datagram accepted; larger ones fail with 513 (RFC 3261 §21.5.7). */
    size_t maxMessageSize{65536};
    /** Methods this UA handles; other methods known to RFC 3261 and its extensions give 405. */
    std::vector<std::string> supportedMethods{"SUBSCRIBE", "NOTIFY"};
    /** Event packages accepted in SUBSCRIBE and NOTIFY; others give 489 (RFC 6665). */
    std::vector<std::string> supportedEvents{"presence"};
    /** Stream transports (TCP) need Content-Length; over UDP it may be missing (§18.3). */
    bool requireContentLength{false};
};

/**
 * \ingroup presec-presence
 * Parses a SIP datagram (RFC 3261 §7, §18.3) and validates it for the presence exchange.
 *
 * Errors carry the status code to answer with: the ParseResult message always starts with
 * the three-digit code and a space, e.g. "400 Missing Call-ID", "489 Unsupported event package
 * 'dialog'". GetStatusCode() and GetError() take it apart again. Header-level syntax errors
 * also set the 1-based line number.
 *
 * Decisions (RFC 3261 leaves room):
 * - Line folding (CRLF followed by SP or HT) is unfolded into one SP, as §7.3.1 requires of
 *   recipients; a continuation line before the first header is a 400.
 * - Lines may end in CRLF or a bare LF (liberal in what we accept); a bare CR in a line is a 400.
 * - CRLFs before the start line are skipped (§7.5, and keep-alives).
 * - Content-Length (§18.3, UDP): missing means the body runs to the end of the datagram; larger
 *   than what follows the headers is a 400; smaller truncates (extra bytes are discarded).
 *   More than one Content-Length is a 400. The header is consumed: SipMessage derives it.
 * - Mandatory request headers are checked before the method, so a 405 or 501 can always be
 *   answered (their responses copy Via, From, To, Call-ID and CSeq).
 * - A missing Event is a 400 (a missing mandatory header); an Event naming another package
 *   (compared case-sensitively, RFC 6665) is a 489.
 * - Responses are checked for Via, From, To, Call-ID and CSeq only; a malformed response is
 *   reported with 400 but must be dropped, never answered (as must a malformed ACK).
 */
class SipParser
{
  public:
    /**
     * Parses and validates with default options (SUBSCRIBE and NOTIFY, Event presence,
     * 64 KiB cap, UDP framing).
     * \param datagram one UDP payload
     * \return the message, or an error "NNN detail"
     */
    static ParseResult<SipMessage> Parse(const std::string& datagram);

    /**
     * Parses and validates.
     * \param datagram one UDP payload
     * \param options what to accept
     * \return the message, or an error "NNN detail"
     */
    static ParseResult<SipMessage> Parse(const std::string& datagram,
                                         const SipParserOptions& options);

    /**
     * Only the framing: size cap, start line, header lines, Content-Length. No check of which
     * headers are present.
     * \param datagram one UDP payload
     * \param options size cap and Content-Length rule
     * \return the message, or an error "NNN detail"
     */
    static ParseResult<SipMessage> ParseSyntax(const std::string& datagram,
                                               const SipParserOptions& options = {});

    /**
     * The checks Parse makes after ParseSyntax: mandatory headers, method, event package.
     * \param message a message
     * \param options supported methods and events
     * \return nullopt when acceptable, else the error to answer with
     */
    static std::optional<SipParseError> Validate(const SipMessage& message,
                                                 const SipParserOptions& options = {});

    /**
     * What can be recovered from a datagram that Parse refused, so an error response can
     * still copy Via, From, To, Call-ID and CSeq: header lines that do not parse are skipped,
     * the size cap and Content-Length errors are ignored. Check SipBuilder::CanAnswer before
     * answering.
     * \param datagram one UDP payload
     * \return the message, or nullopt when not even the start line parses
     */
    static std::optional<SipMessage> ParseBestEffort(const std::string& datagram);

    /**
     * The body check left to the caller (RFC 3261 §8.2.3): a non-empty body must have the
     * expected Content-Type and no Content-Encoding other than identity. An empty body passes.
     * \param message a parsed message (typically a NOTIFY)
     * \param mediaType the expected type
     * \return nullopt when acceptable, else 415 (or 400 when Content-Type is missing)
     */
    static std::optional<SipParseError> CheckBody(
        const SipMessage& message,
        const std::string& mediaType = "application/pidf+xml");

    /**
     * RFC 3261 §21.4.7 / RFC 3856: a SUBSCRIBE whose Accept excludes the type gets 406.
     * \param message a parsed SUBSCRIBE
     * \param mediaType the type the notifier sends
     * \return nullopt when acceptable, else 406
     */
    static std::optional<SipParseError> CheckAccept(
        const SipMessage& message,
        const std::string& mediaType = "application/pidf+xml");

    /**
     * \param error a message as in ParseResult::GetError, "NNN detail"
     * \return NNN, or 0 when the text does not start with a status code
     */
    static uint16_t GetStatusCode(const std::string& error);

    /**
     * \param result a parse result
     * \return 0 on success, else its status code (400 when the message carries none)
     */
    template <typename T>
    static uint16_t GetStatusCode(const ParseResult<T>& result)
    {
        if (result.IsOk())
        {
            return 0;
        }
        uint16_t code = GetStatusCode(result.GetError());
        return code == 0 ? 400 : code;
    }

    /**
     * \param result a failed parse result
     * \return status code and detail (status 0 and empty detail on success)
     */
    template <typename T>
    static SipParseError GetError(const ParseResult<T>& result)
    {
        SipParseError e;
        e.status = GetStatusCode(result);
        const std::string& text = result.GetError();
        bool prefixed = GetStatusCode(text) != 0;
        e.reason = prefixed ? text.substr(std::min<size_t>(4, text.size())) : text;
        return e;
    }

    /**
     * \param method a method name (case-sensitive)
     * \return true for the methods of RFC 3261, 3262, 3311, 3428, 3515, 3903, 6086, 6665
     */
    static bool IsKnownMethod(const std::string& method);
};

} // namespace ns3

#endif // PRESEC_SIP_PARSER_H
