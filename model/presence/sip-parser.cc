/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "sip-parser.h"

#include "ns3/assert.h"
#include "ns3/log.h"
#include "ns3/text-util.h"

#include <algorithm>
#include <array>
#include <boost/algorithm/string/predicate.hpp>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SipParser");

namespace
{

using Result = ParseResult<SipMessage>;

const char* const kVersion = "SIP/2.0";
const char* const kMagicCookie = "z9hG4bK"; // RFC 3261 §8.1.1.7

Result
Fail(uint16_t status, const std::string& detail, unsigned line = 0)
{
    NS_LOG_LOGIC("refused: " << status << " " << detail);
    return Result::Fail(std::to_string(status) + " " + detail, line);
}

std::optional<SipParseError>
Error(uint16_t status, const std::string& detail)
{
    NS_LOG_LOGIC("refused: " << status << " " << detail);
    return SipParseError{status, detail};
}

bool
IsWsp(char c)
{
    return c == ' ' || c == '\t';
}

bool
IsDigit(char c)
{
    return c >= '0' && c <= '9';
}

/// Control characters other than HT are not allowed in the start line or in header lines.
bool
HasIllegalControl(const std::string& line)
{
    return std::any_of(line.begin(), line.end(), [](char c) {
        auto u = static_cast<unsigned char>(c);
        return (u < 0x20 && c != '\t') || u == 0x7f;
    });
}

/// "SIP/<digits>.<digits>": a version we can name but may not support.
bool
LooksLikeVersion(const std::string& v)
{
    if (v.size() < 7 || !boost::istarts_with(v, "SIP/"))
    {
        return false;
    }
    size_t dot = v.find('.', 4);
    if (dot == std::string::npos || dot == 4 || dot + 1 == v.size())
    {
        return false;
    }
    return std::all_of(v.begin() + 4, v.begin() + dot, IsDigit) &&
           std::all_of(v.begin() + dot + 1, v.end(), IsDigit);
}

/// One header line before unfolding is applied to the stored value.
struct RawHeader
{
    unsigned line;    //!< 1-based line of the field's first line
    std::string text; //!< the field, continuation lines joined with one SP
};

/// Splits the datagram into lines; `bestEffort` skips what strict mode refuses.
Result
Frame(const std::string& d, const SipParserOptions& options, bool bestEffort)
{
    if (!bestEffort && d.size() > options.maxMessageSize)
    {
        return Fail(513,
                    "Message too large: " + std::to_string(d.size()) + " bytes exceed the " +
                        std::to_string(options.maxMessageSize) + "-byte limit");
    }
    size_t pos = 0;
    unsigned lineNo = 0;
    // RFC 3261 §7.5: CRLFs before the start line are ignored.
    while (pos < d.size() && (d[pos] == '\r' || d[pos] == '\n'))
    {
        if (d[pos] == '\n')
        {
            ++lineNo;
        }
        ++pos;
    }
    if (pos >= d.size())
    {
        return Fail(400, "Empty message");
    }
    // Returns the next line without its terminator; `terminated` is false at the datagram end.
    auto nextLine = [&](bool& terminated) {
        size_t lf = d.find('\n', pos);
        size_t end = lf == std::string::npos ? d.size() : lf;
        terminated = lf != std::string::npos;
        std::string line = d.substr(pos, end - pos);
        if (!line.empty() && line.back() == '\r')
        {
            line.pop_back();
        }
        pos = terminated ? lf + 1 : d.size();
        ++lineNo;
        return line;
    };

    bool terminated = false;
    std::string startLine = nextLine(terminated);
    unsigned startLineNo = lineNo;

    // Start line.
    SipMessage msg;
    if (HasIllegalControl(startLine))
    {
        return Fail(400, "Illegal control character in start line", startLineNo);
    }
    if (boost::istarts_with(startLine, "SIP/"))
    {
        // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase; an empty phrase is allowed.
        size_t sp = startLine.find(' ');
        std::string version = startLine.substr(0, sp);
        if (!boost::iequals(version, kVersion))
        {
            return LooksLikeVersion(version)
                       ? Fail(505, "Unsupported SIP version " + version, startLineNo)
                       : Fail(400, "Malformed status line", startLineNo);
        }
        std::string rest = sp == std::string::npos ? "" : startLine.substr(sp + 1);
        if (rest.size() < 3 || !std::all_of(rest.begin(), rest.begin() + 3, IsDigit) ||
            (rest.size() > 3 && rest[3] != ' '))
        {
            return Fail(400, "Malformed status code", startLineNo);
        }
        auto code = static_cast<uint16_t>(std::stoi(rest.substr(0, 3)));
        if (code < 100 || code > 699)
        {
            return Fail(400, "Status code " + std::to_string(code) + " out of range", startLineNo);
        }
        // An empty phrase is legal; SetStatusLine then supplies the default one.
        msg.SetStatusLine(code, rest.size() > 4 ? rest.substr(4) : "");
    }
    else
    {
        // Request-Line = Method SP Request-URI SP SIP-Version (single spaces).
        std::array<std::string, 3> part;
        size_t a = startLine.find(' ');
        size_t b = a == std::string::npos ? a : startLine.find(' ', a + 1);
        if (a == std::string::npos || b == std::string::npos ||
            startLine.find(' ', b + 1) != std::string::npos)
        {
            return Fail(400, "Malformed request line", startLineNo);
        }
        part[0] = startLine.substr(0, a);
        part[1] = startLine.substr(a + 1, b - a - 1);
        part[2] = startLine.substr(b + 1);
        if (!SipMessage::IsToken(part[0]))
        {
            return Fail(400, "Malformed method", startLineNo);
        }
        auto uri = SipNameAddr::Parse("<" + part[1] + ">");
        if (part[1].empty() || part[1].find_first_of("<>") != std::string::npos || !uri)
        {
            return Fail(400, "Malformed Request-URI", startLineNo);
        }
        if (!boost::iequals(part[2], kVersion))
        {
            return LooksLikeVersion(part[2])
                       ? Fail(505, "Unsupported SIP version " + part[2], startLineNo)
                       : Fail(400, "Malformed SIP version", startLineNo);
        }
        msg.SetRequestLine(part[0], part[1]);
    }

    std::vector<RawHeader> raw;
    bool sawEmptyLine = false;
    while (pos < d.size())
    {
        std::string line = nextLine(terminated);
        if (line.empty())
        {
            sawEmptyLine = true;
            break;
        }
        if (HasIllegalControl(line))
        {
            if (bestEffort)
            {
                continue;
            }
            return Fail(400, "Illegal control character in header", lineNo);
        }
        if (IsWsp(line.front()))
        {
            // Folding (RFC 3261 §7.3.1): the continuation joins the previous field with one SP.
            if (raw.empty())
            {
                if (bestEffort)
                {
                    continue;
                }
                return Fail(400, "Continuation line without a preceding header", lineNo);
            }
            std::string more = text::TrimWsp(line);
            if (!more.empty())
            {
                raw.back().text += " " + more;
            }
            continue;
        }
        raw.push_back({lineNo, line});
    }
    if (!sawEmptyLine && !bestEffort)
    {
        return Fail(400, "Header section not terminated by an empty line", lineNo);
    }

    // Header fields.
    std::vector<std::string> contentLengths;
    for (const auto& h : raw)
    {
        size_t colon = h.text.find(':');
        if (colon == std::string::npos)
        {
            if (bestEffort)
            {
                continue;
            }
            return Fail(400, "Header line without a colon", h.line);
        }
        // HCOLON = *( SP / HTAB ) ":" SWS
        std::string name = text::TrimWsp(h.text.substr(0, colon));
        if (!SipMessage::IsToken(name))
        {
            if (bestEffort)
            {
                continue;
            }
            return Fail(400, "Malformed header name '" + name + "'", h.line);
        }
        std::string value = text::TrimWsp(h.text.substr(colon + 1));
        if (SipMessage::HeaderNamesEqual(name, "Content-Length"))
        {
            contentLengths.push_back(value); // not stored: SipMessage derives it from the body
            continue;
        }
        msg.AddHeader(name, value);
    }

    // Body (RFC 3261 §18.3).
    size_t available = d.size() - pos;
    size_t length = available;
    if (contentLengths.size() > 1 && !bestEffort)
    {
        return Fail(400, "Duplicate Content-Length");
    }
    if (contentLengths.empty())
    {
        if (options.requireContentLength && !bestEffort)
        {
            return Fail(400, "Missing Content-Length");
        }
    }
    else
    {
        const std::string& cl = contentLengths.front();
        bool digits = !cl.empty() && cl.size() <= 10 && std::all_of(cl.begin(), cl.end(), IsDigit);
        if (!digits)
        {
            if (!bestEffort)
            {
                return Fail(400, "Malformed Content-Length");
            }
        }
        else
        {
            uint64_t n = std::stoull(cl);
            if (n > available)
            {
                if (!bestEffort)
                {
                    return Fail(400,
                                "Content-Length " + cl + " exceeds the " +
                                    std::to_string(available) + " body bytes received");
                }
            }
            else
            {
                if (n < available)
                {
                    NS_LOG_LOGIC("discarding " << available - n << " bytes after the body");
                }
                length = static_cast<size_t>(n);
            }
        }
    }
    msg.SetBody(d.substr(pos, length));
    return Result::Ok(std::move(msg));
}

/// Checks that a single-valued header occurs at most once and, if `required`, at least once.
std::optional<SipParseError>
CheckSingle(const SipMessage& m, const std::string& name, bool required)
{
    size_t n = m.CountHeaders(name);
    if (n == 0 && required)
    {
        return Error(400, "Missing " + name);
    }
    if (n > 1)
    {
        return Error(400, "Duplicate " + name);
    }
    return std::nullopt;
}

/// What CheckCommon parsed and the request checks look at again.
struct CommonHeaders
{
    SipVia topVia;    //!< the topmost Via
    SipNameAddr from; //!< From
    SipCSeq cseq;     //!< CSeq
};

/// Via, From, To, Call-ID and CSeq, present and well-formed (requests and responses); each
/// parsed once, the parts the request checks need kept in \p out.
std::optional<SipParseError>
CheckCommon(const SipMessage& m, CommonHeaders& out)
{
    auto vias = m.GetHeaderValues("Via");
    if (vias.empty())
    {
        return Error(400, "Missing Via");
    }
    for (size_t i = 0; i < vias.size(); ++i)
    {
        auto via = SipVia::Parse(vias[i]);
        if (!via)
        {
            return Error(400, "Malformed Via: " + via.GetError());
        }
        if (i == 0)
        {
            out.topVia = via.TakeValue();
        }
    }
    SipNameAddr to;
    for (auto [name, addr] : {std::pair{"From", &out.from}, std::pair{"To", &to}})
    {
        if (auto e = CheckSingle(m, name, true))
        {
            return e;
        }
        auto a = SipNameAddr::Parse(*m.GetHeader(name));
        if (!a)
        {
            return Error(400, std::string("Malformed ") + name + ": " + a.GetError());
        }
        *addr = a.TakeValue();
    }
    if (auto e = CheckSingle(m, "Call-ID", true))
    {
        return e;
    }
    std::string callId = *m.GetCallId();
    // callid = word [ "@" word ]: printable, no whitespace.
    if (callId.empty() || std::count(callId.begin(), callId.end(), '@') > 1 ||
        std::any_of(callId.begin(), callId.end(), [](char c) {
            auto u = static_cast<unsigned char>(c);
            return u <= 0x20 || u >= 0x7f;
        }))
    {
        return Error(400, "Malformed Call-ID");
    }
    if (auto e = CheckSingle(m, "CSeq", true))
    {
        return e;
    }
    auto cseq = SipCSeq::Parse(*m.GetHeader("CSeq"));
    if (!cseq)
    {
        return Error(400, "Malformed CSeq: " + cseq.GetError());
    }
    out.cseq = cseq.TakeValue();
    return std::nullopt;
}

bool
Contains(const std::vector<std::string>& list, const std::string& s)
{
    return std::find(list.begin(), list.end(), s) != list.end();
}

} // namespace

std::string
SipParseError::ToString() const
{
    return std::to_string(status) + " " + reason;
}

ParseResult<SipMessage>
SipParser::Parse(const std::string& datagram)
{
    static const SipParserOptions kDefaults;
    return Parse(datagram, kDefaults);
}

ParseResult<SipMessage>
SipParser::Parse(const std::string& datagram, const SipParserOptions& options)
{
    NS_LOG_FUNCTION(datagram.size());
    auto r = Frame(datagram, options, false);
    if (!r)
    {
        return r;
    }
    if (auto e = Validate(r.GetValue(), options))
    {
        return Result::Fail(e->ToString());
    }
    return r;
}

ParseResult<SipMessage>
SipParser::ParseSyntax(const std::string& datagram, const SipParserOptions& options)
{
    return Frame(datagram, options, false);
}

std::optional<SipMessage>
SipParser::ParseBestEffort(const std::string& datagram)
{
    static const SipParserOptions kDefaults;
    auto r = Frame(datagram, kDefaults, true);
    return r ? std::optional<SipMessage>(r.TakeValue()) : std::nullopt;
}

std::optional<SipParseError>
SipParser::Validate(const SipMessage& m, const SipParserOptions& options)
{
    CommonHeaders common;
    if (auto e = CheckCommon(m, common))
    {
        return e;
    }
    if (m.IsResponse())
    {
        return std::nullopt;
    }
    // RFC 3261 §8.1.1.7: the branch identifies the transaction and starts with the cookie.
    const SipVia& top = common.topVia;
    if (!top.params.Has("branch") || top.GetBranch().empty())
    {
        return Error(400, "Missing Via branch");
    }
    if (!boost::starts_with(top.GetBranch(), kMagicCookie))
    {
        return Error(400, "Via branch lacks the z9hG4bK magic cookie");
    }
    if (auto e = CheckSingle(m, "Max-Forwards", true))
    {
        return e;
    }
    if (!m.GetMaxForwards())
    {
        return Error(400, "Malformed Max-Forwards");
    }
    if (common.from.GetTag().empty())
    {
        return Error(400, "Missing From tag");
    }
    const SipCSeq& cseq = common.cseq;
    if (cseq.method != m.GetMethod())
    {
        return Error(400,
                     "CSeq method " + cseq.method + " does not match request method " +
                         m.GetMethod());
    }
    if (!Contains(options.supportedMethods, m.GetMethod()))
    {
        return IsKnownMethod(m.GetMethod())
                   ? Error(405, "Method " + m.GetMethod() + " not allowed")
                   : Error(501, "Method " + m.GetMethod() + " not implemented");
    }
    if (auto e = CheckSingle(m, "Expires", false))
    {
        return e;
    }
    if (m.HasHeader("Expires") && !m.GetExpires())
    {
        return Error(400, "Malformed Expires");
    }
    if (auto e = CheckSingle(m, "Content-Type", false))
    {
        return e;
    }
    if (m.HasHeader("Content-Type") && !m.GetContentType())
    {
        return Error(400, "Malformed Content-Type");
    }
    if (!m.GetBody().empty() && !m.HasHeader("Content-Type"))
    {
        return Error(400, "Missing Content-Type for a non-empty body"); // RFC 3261 §20.15
    }
    bool subscribe = m.GetMethod() == "SUBSCRIBE";
    bool notify = m.GetMethod() == "NOTIFY";
    if (subscribe || notify)
    {
        // RFC 6665: exactly one Event; the package is compared byte by byte.
        if (auto e = CheckSingle(m, "Event", true))
        {
            return e;
        }
        auto event = m.GetEvent();
        if (!event)
        {
            return Error(400, "Malformed Event");
        }
        if (!Contains(options.supportedEvents, event->type))
        {
            return Error(489, "Unsupported event package '" + event->type + "'");
        }
        // Both create or refresh a dialog's remote target, so both carry one Contact.
        auto contacts = m.GetHeaderValues("Contact");
        if (contacts.empty())
        {
            return Error(400, "Missing Contact");
        }
        if (contacts.size() > 1)
        {
            return Error(400, "More than one Contact");
        }
        if (contacts.front() == "*" || !SipNameAddr::Parse(contacts.front()))
        {
            return Error(400, "Malformed Contact");
        }
    }
    if (notify)
    {
        if (auto e = CheckSingle(m, "Subscription-State", true))
        {
            return e;
        }
        auto state = m.GetHeader("Subscription-State");
        auto parsed = SipSubscriptionState::Parse(*state);
        if (!parsed)
        {
            return Error(400, "Malformed Subscription-State: " + parsed.GetError());
        }
    }
    return std::nullopt;
}

std::optional<SipParseError>
SipParser::CheckBody(const SipMessage& m, const std::string& mediaType)
{
    if (m.GetBody().empty())
    {
        return std::nullopt;
    }
    for (const auto& enc : m.GetHeaderValues("Content-Encoding"))
    {
        if (!boost::iequals(enc, "identity"))
        {
            return Error(415, "Unsupported Content-Encoding '" + enc + "'");
        }
    }
    auto type = m.GetContentType();
    if (!m.HasHeader("Content-Type"))
    {
        return Error(400, "Missing Content-Type for a non-empty body");
    }
    if (!type || !type->Matches(mediaType) || type->type == "*" || type->subtype == "*")
    {
        return Error(415,
                     "Unsupported Content-Type '" + m.GetHeader("Content-Type").value_or("") +
                         "', expected " + mediaType);
    }
    return std::nullopt;
}

std::optional<SipParseError>
SipParser::CheckAccept(const SipMessage& m, const std::string& mediaType)
{
    if (m.AcceptsMediaType(mediaType))
    {
        return std::nullopt;
    }
    return Error(406, "Accept does not include " + mediaType);
}

uint16_t
SipParser::GetStatusCode(const std::string& error)
{
    if (error.size() < 3 || !std::all_of(error.begin(), error.begin() + 3, IsDigit) ||
        (error.size() > 3 && error[3] != ' '))
    {
        return 0;
    }
    return static_cast<uint16_t>((error[0] - '0') * 100 + (error[1] - '0') * 10 + (error[2] - '0'));
}

bool
SipParser::IsKnownMethod(const std::string& method)
{
    static const std::array<const char*, 14> kKnown{"INVITE",
                                                    "ACK",
                                                    "BYE",
                                                    "CANCEL",
                                                    "REGISTER",
                                                    "OPTIONS",
                                                    "PRACK",
                                                    "UPDATE",
                                                    "MESSAGE",
                                                    "REFER",
                                                    "PUBLISH",
                                                    "INFO",
                                                    "SUBSCRIBE",
                                                    "NOTIFY"};
    return std::any_of(kKnown.begin(), kKnown.end(), [&](const char* k) { return method == k; });
}

} // namespace ns3
