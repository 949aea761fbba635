/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "sip-message.h"

#include "ns3/assert.h"
#include "ns3/log.h"
#include "ns3/text-util.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <limits>

namespace ns3
{

using text::IEquals;

NS_LOG_COMPONENT_DEFINE("SipMessage");

namespace
{

/// A header's long name and its compact letter (empty when it has none).
struct HeaderNameEntry
{
    const char* longName; //!< canonical spelling
    const char* compact;  //!< RFC 3261 §7.3.3 (and later RFCs) compact form, or ""
};

/// Canonical spellings; compact forms from RFC 3261, 3265/6665, 3515, 3841, 3892, 4028, 4474.
const std::array<HeaderNameEntry, 49> kHeaderNames{{
    {"Via", "v"},
    {"From", "f"},
    {"To", "t"},
    {"Call-ID", "i"},
    {"CSeq", ""},
    {"Max-Forwards", ""},
    {"Contact", "m"},
    {"Content-Length", "l"},
    {"Content-Type", "c"},
    {"Content-Encoding", "e"},
    {"Event", "o"},
    {"Allow-Events", "u"},
    {"Supported", "k"},
    {"Subject", "s"},
    {"Refer-To", "r"},
    {"Referred-By", "b"},
    {"Accept-Contact", "a"},
    {"Reject-Contact", "j"},
    {"Request-Disposition", "d"},
    {"Session-Expires", "x"},
    {"Identity", "y"},
    {"Identity-Info", "n"},
    {"Expires", ""},
    {"Subscription-State", ""},
    {"Accept", ""},
    {"Accept-Encoding", ""},
    {"Accept-Language", ""},
    {"Allow", ""},
    {"Require", ""},
    {"Proxy-Require", ""},
    {"Unsupported", ""},
    {"Route", ""},
    {"Record-Route", ""},
    {"User-Agent", ""},
    {"Server", ""},
    {"Warning", ""},
    {"Date", ""},
    {"Timestamp", ""},
    {"Min-Expires", ""},
    {"Retry-After", ""},
    {"Authorization", ""},
    {"WWW-Authenticate", ""},
    {"Proxy-Authenticate", ""},
    {"Proxy-Authorization", ""},
    {"Content-Disposition", ""},
    {"Content-Language", ""},
    {"MIME-Version", ""},
    {"SIP-ETag", ""},
    {"SIP-If-Match", ""},
}};

const HeaderNameEntry*
FindHeaderName(const std::string& name)
{
    for (const auto& e : kHeaderNames)
    {
        if (IEquals(name, e.longName) || (name.size() == 1 && IEquals(name, e.compact)))
        {
            return &e;
        }
    }
    return nullptr;
}

bool
IsWsp(char c)
{
    return c == ' ' || c == '\t';
}

bool
IsAlnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool
IsDigit(char c)
{
    return c >= '0' && c <= '9';
}

/// RFC 3261 §25.1 token characters.
bool
IsTokenChar(char c)
{
    switch (c)
    {
    case '-':
    case '.':
    case '!':
    case '%':
    case '*':
    case '_':
    case '+':
    case '`':
    case '\'':
    case '~':
        return true;
    default:
        return IsAlnum(c);
    }
}

/// A gen-value that is not quoted: token, host (IPv6 reference included).
bool
IsParamValueChar(char c)
{
    return IsTokenChar(c) || c == ':' || c == '[' || c == ']';
}

bool
HasWhitespaceOrControl(const std::string& s)
{
    return std::any_of(s.begin(), s.end(), [](char c) {
        auto u = static_cast<unsigned char>(c);
        return u <= 0x20 || u == 0x7f;
    });
}

/// Index one past the closing quote of the quoted-string starting at `start`, or npos.
size_t
QuotedStringEnd(const std::string& s, size_t start)
{
    for (size_t i = start + 1; i < s.size(); ++i)
    {
        if (s[i] == '\\')
        {
            ++i; // quoted-pair: skip the escaped character
        }
        else if (s[i] == '"')
        {
            return i + 1;
        }
    }
    return std::string::npos;
}

std::string
Unquote(const std::string& s)
{
    if (s.size() < 2 || s.front() != '"' || s.back() != '"')
    {
        return s;
    }
    std::string out;
    for (size_t i = 1; i + 1 < s.size(); ++i)
    {
        if (s[i] == '\\' && i + 2 < s.size())
        {
            ++i;
        }
        out += s[i];
    }
    return out;
}

std::string
Quote(const std::string& s)
{
    std::string out = "\"";
    for (char c : s)
    {
        if (c == '"' || c == '\\')
        {
            out += '\\';
        }
        out += c;
    }
    return out + "\"";
}

/// Splits at `sep` outside quoted-strings and (optionally) outside <…>; parts untrimmed.
std::vector<std::string>
SplitTopLevel(const std::string& s, char sep, bool respectAngles)
{
    // Each part is a substring of `s` (quotes and quoted-pairs kept as written): only the
    // boundaries are found here, the characters are copied once per part.
    std::vector<std::string> parts;
    size_t start = 0;
    bool inQuote = false;
    bool inAngle = false;
    for (size_t i = 0; i < s.size(); ++i)
    {
        const char c = s[i];
        if (inQuote)
        {
            if (c == '\\')
            {
                ++i; // quoted-pair: the escaped character cannot end the string
            }
            else if (c == '"')
            {
                inQuote = false;
            }
        }
        else if (c == '"')
        {
            inQuote = true;
        }
        else if (respectAngles && c == '<')
        {
            inAngle = true;
        }
        else if (respectAngles && c == '>')
        {
            inAngle = false;
        }
        else if (c == sep && !inAngle)
        {
            parts.emplace_back(s, start, i - start);
            start = i + 1;
        }
    }
    parts.emplace_back(s, start);
    return parts;
}

/// Parses 1*DIGIT; values above `max` fail unless `clamp`, which saturates instead.
bool
ParseNumber(const std::string& s, uint64_t max, bool clamp, uint64_t& out)
{
    if (s.empty())
    {
        return false;
    }
    uint64_t v = 0;
    for (char c : s)
    {
        if (!IsDigit(c))
        {
            return false;
        }
        if (v <= max)
        {
            v = v * 10 + static_cast<uint64_t>(c - '0'); // max < 2^60, so this cannot wrap
        }
    }
    if (v > max)
    {
        if (!clamp)
        {
            return false;
        }
        v = max;
    }
    out = v;
    return true;
}

bool
IsHostName(const std::string& h)
{
    if (h.empty())
    {
        return false;
    }
    if (h.front() == '[')
    {
        // IPv6 reference: hex digits, ':' and '.' (embedded IPv4) inside the brackets.
        if (h.size() < 3 || h.back() != ']')
        {
            return false;
        }
        return std::all_of(h.begin() + 1, h.end() - 1, [](char c) {
            return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
        });
    }
    return std::all_of(h.begin(), h.end(), [](char c) {
        return IsAlnum(c) || c == '-' || c == '.';
    });
}

/// Splits "host[:port]"; false when malformed.
bool
ParseHostPort(const std::string& s, std::string& host, uint16_t& port)
{
    size_t colon;
    if (!s.empty() && s.front() == '[')
    {
        size_t close = s.find(']');
        if (close == std::string::npos)
        {
            return false;
        }
        host = s.substr(0, close + 1);
        colon = close + 1 < s.size() ? close + 1 : std::string::npos;
        if (colon != std::string::npos && s[colon] != ':')
        {
            return false;
        }
    }
    else
    {
        colon = s.find(':');
        host = s.substr(0, colon);
    }
    port = 0;
    if (colon != std::string::npos)
    {
        uint64_t p = 0;
        if (!ParseNumber(s.substr(colon + 1), 65535, false, p) || p == 0)
        {
            return false;
        }
        port = static_cast<uint16_t>(p);
    }
    return IsHostName(host);
}

/// RFC 3261 §19.1 and §25.1, loosely: scheme ":" something; for sip/sips a host is required.
bool
IsValidUri(const std::string& uri, std::string& why)
{
    size_t colon = uri.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == uri.size())
    {
        why = "URI '" + uri + "' has no scheme";
        return false;
    }
    if (!std::isalpha(static_cast<unsigned char>(uri[0])) ||
        !std::all_of(uri.begin(), uri.begin() + colon, [](char c) {
            return IsAlnum(c) || c == '+' || c == '-' || c == '.';
        }))
    {
        why = "URI '" + uri + "' has a malformed scheme";
        return false;
    }
    if (HasWhitespaceOrControl(uri) || uri.find_first_of("<>\"") != std::string::npos)
    {
        why = "URI contains whitespace or a reserved character";
        return false;
    }
    std::string scheme = uri.substr(0, colon);
    if (IEquals(scheme, "sip") || IEquals(scheme, "sips"))
    {
        std::string rest = uri.substr(colon + 1);
        rest = rest.substr(0, rest.find_first_of(";?"));
        size_t at = rest.rfind('@');
        std::string hostport = at == std::string::npos ? rest : rest.substr(at + 1);
        if (at == 0)
        {
            why = "SIP URI '" + uri + "' has an empty user part";
            return false;
        }
        std::string host;
        uint16_t port = 0;
        if (!ParseHostPort(hostport, host, port))
        {
            why = "SIP URI '" + uri + "' has a malformed host";
            return false;
        }
    }
    return true;
}

/// Parses "prefix;params" where prefix is returned trimmed; false with `why` on bad params.
bool
SplitValueAndParams(const std::string& value,
                    std::string& prefix,
                    SipParams& params,
                    std::string& why)
{
    auto parts = SplitTopLevel(value, ';', false);
    prefix = text::TrimWsp(parts.front());
    size_t semi = parts.front().size();
    if (semi < value.size())
    {
        auto p = SipParams::Parse(value.substr(semi + 1));
        if (!p)
        {
            why = p.GetError();
            return false;
        }
        params = p.TakeValue();
    }
    return true;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// SipParams

std::optional<std::string>
SipParams::Get(const std::string& name) const
{
    for (const auto& p : m_params)
    {
        if (IEquals(p.first, name))
        {
            return Unquote(p.second);
        }
    }
    return std::nullopt;
}

bool
SipParams::Has(const std::string& name) const
{
    return Get(name).has_value();
}

void
SipParams::Set(const std::string& name, const std::string& value)
{
    bool plain = std::all_of(value.begin(), value.end(), IsParamValueChar);
    std::string raw = plain ? value : Quote(value);
    for (auto& p : m_params)
    {
        if (IEquals(p.first, name))
        {
            p.second = raw;
            return;
        }
    }
    m_params.emplace_back(name, raw);
}

size_t
SipParams::Remove(const std::string& name)
{
    size_t before = m_params.size();
    m_params.erase(std::remove_if(m_params.begin(),
                                  m_params.end(),
                                  [&](const Param& p) { return IEquals(p.first, name); }),
                   m_params.end());
    return before - m_params.size();
}

const std::vector<SipParams::Param>&
SipParams::GetAll() const
{
    return m_params;
}

bool
SipParams::IsEmpty() const
{
    return m_params.empty();
}

std::string
SipParams::ToString() const
{
    std::string out;
    for (const auto& p : m_params)
    {
        out += ";" + p.first;
        if (!p.second.empty())
        {
            out += "=" + p.second;
        }
    }
    return out;
}

ParseResult<SipParams>
SipParams::Parse(const std::string& text)
{
    SipParams out;
    for (const auto& rawPart : SplitTopLevel(text, ';', false))
    {
        std::string part = text::TrimWsp(rawPart);
        if (part.empty())
        {
            return ParseResult<SipParams>::Fail("empty parameter");
        }
        size_t eq = part.find('=');
        std::string name = text::TrimWsp(part.substr(0, eq));
        if (!SipMessage::IsToken(name))
        {
            return ParseResult<SipParams>::Fail("malformed parameter name '" + name + "'");
        }
        std::string value;
        if (eq != std::string::npos)
        {
            value = text::TrimWsp(part.substr(eq + 1));
            if (value.empty())
            {
                return ParseResult<SipParams>::Fail("parameter '" + name + "' has no value");
            }
            if (value.front() == '"')
            {
                if (QuotedStringEnd(value, 0) != value.size())
                {
                    return ParseResult<SipParams>::Fail("unterminated quoted value of '" + name +
                                                        "'");
                }
            }
            else if (!std::all_of(value.begin(), value.end(), IsParamValueChar))
            {
                return ParseResult<SipParams>::Fail("malformed value of parameter '" + name + "'");
            }
        }
        out.m_params.emplace_back(name, value);
    }
    return ParseResult<SipParams>::Ok(std::move(out));
}

bool
SipParams::operator==(const SipParams& other) const
{
    return m_params == other.m_params;
}

// ---------------------------------------------------------------------------------------------
// SipVia

std::string
SipVia::GetBranch() const
{
    return params.Get("branch").value_or("");
}

void
SipVia::SetBranch(const std::string& branch)
{
    params.Set("branch", branch);
}

std::string
SipVia::GetSentBy() const
{
    return port == 0 ? host : host + ":" + std::to_string(port);
}

std::string
SipVia::ToString() const
{
    return "SIP/2.0/" + transport + " " + GetSentBy() + params.ToString();
}

ParseResult<SipVia>
SipVia::Parse(const std::string& value)
{
    using R = ParseResult<SipVia>;
    const std::string& s = value;
    size_t i = 0;
    auto skipWs = [&]() {
        while (i < s.size() && IsWsp(s[i]))
        {
            ++i;
        }
    };
    auto readToken = [&]() {
        size_t b = i;
        while (i < s.size() && IsTokenChar(s[i]))
        {
            ++i;
        }
        return s.substr(b, i - b);
    };
    // sent-protocol = protocol-name SLASH protocol-version SLASH transport; SLASH allows SWS.
    std::array<std::string, 3> proto;
    for (size_t k = 0; k < proto.size(); ++k)
    {
        skipWs();
        proto[k] = readToken();
        if (proto[k].empty())
        {
            return R::Fail("malformed sent-protocol");
        }
        skipWs();
        if (k < 2)
        {
            if (i >= s.size() || s[i] != '/')
            {
                return R::Fail("malformed sent-protocol");
            }
            ++i;
        }
    }
    if (!IEquals(proto[0], "SIP") || proto[1] != "2.0")
    {
        return R::Fail("sent-protocol is not SIP/2.0");
    }
    SipVia via;
    via.transport = proto[2];
    skipWs();
    size_t hostStart = i;
    if (i < s.size() && s[i] == '[')
    {
        i = s.find(']', i);
        if (i == std::string::npos)
        {
            return R::Fail("unterminated IPv6 reference in sent-by");
        }
        ++i;
    }
    else
    {
        while (i < s.size() && (IsAlnum(s[i]) || s[i] == '-' || s[i] == '.'))
        {
            ++i;
        }
    }
    via.host = s.substr(hostStart, i - hostStart);
    if (!IsHostName(via.host))
    {
        return R::Fail("malformed sent-by host");
    }
    skipWs();
    if (i < s.size() && s[i] == ':')
    {
        ++i;
        skipWs();
        size_t b = i;
        while (i < s.size() && IsDigit(s[i]))
        {
            ++i;
        }
        uint64_t port = 0;
        if (!ParseNumber(s.substr(b, i - b), 65535, false, port) || port == 0)
        {
            return R::Fail("malformed sent-by port");
        }
        via.port = static_cast<uint16_t>(port);
        skipWs();
    }
    if (i < s.size())
    {
        if (s[i] != ';')
        {
            return R::Fail("unexpected text after sent-by");
        }
        auto p = SipParams::Parse(s.substr(i + 1));
        if (!p)
        {
            return R::Fail(p.GetError());
        }
        via.params = p.TakeValue();
    }
    return R::Ok(std::move(via));
}

// ---------------------------------------------------------------------------------------------
// SipNameAddr

std::string
SipNameAddr::GetTag() const
{
    return params.Get("tag").value_or("");
}

void
SipNameAddr::SetTag(const std::string& tag)
{
    params.Set("tag", tag);
}

std::string
SipNameAddr::ToString() const
{
    std::string out = displayName.empty() ? "" : Quote(displayName) + " ";
    return out + "<" + uri + ">" + params.ToString();
}

SipNameAddr
SipNameAddr::FromUri(const std::string& uri, const std::string& tag)
{
    SipNameAddr a;
    a.uri = uri;
    if (!tag.empty())
    {
        a.SetTag(tag);
    }
    return a;
}

ParseResult<SipNameAddr>
SipNameAddr::Parse(const std::string& value)
{
    using R = ParseResult<SipNameAddr>;
    std::string v = text::TrimWsp(value);
    if (v.empty())
    {
        return R::Fail("empty address");
    }
    SipNameAddr out;
    size_t lt = std::string::npos;
    if (v.front() == '"')
    {
        size_t end = QuotedStringEnd(v, 0);
        if (end == std::string::npos)
        {
            return R::Fail("unterminated display name");
        }
        out.displayName = Unquote(v.substr(0, end));
        size_t k = end;
        while (k < v.size() && IsWsp(v[k]))
        {
            ++k;
        }
        if (k >= v.size() || v[k] != '<')
        {
            return R::Fail("quoted display name not followed by <URI>");
        }
        lt = k;
    }
    else
    {
        lt = v.find('<');
        if (lt != std::string::npos)
        {
            // display-name = *(token LWS): words of token characters.
            std::string name = text::TrimWsp(v.substr(0, lt));
            if (!std::all_of(name.begin(), name.end(), [](char c) {
                    return IsTokenChar(c) || IsWsp(c);
                }))
            {
                return R::Fail("malformed display name");
            }
            out.displayName = name;
        }
    }
    std::string rest;
    if (lt != std::string::npos)
    {
        size_t gt = v.find('>', lt);
        if (gt == std::string::npos)
        {
            return R::Fail("missing '>'");
        }
        out.uri = v.substr(lt + 1, gt - lt - 1);
        rest = text::TrimWsp(v.substr(gt + 1));
        if (!rest.empty() && rest.front() != ';')
        {
            return R::Fail("unexpected text after '>'");
        }
    }
    else
    {
        // addr-spec without brackets: its parameters belong to the header (RFC 3261 §20.10).
        size_t semi = v.find(';');
        out.uri = text::TrimWsp(v.substr(0, semi));
        rest = semi == std::string::npos ? "" : v.substr(semi);
    }
    std::string why;
    if (!IsValidUri(out.uri, why))
    {
        return R::Fail(why);
    }
    if (!rest.empty())
    {
        auto p = SipParams::Parse(rest.substr(1));
        if (!p)
        {
            return R::Fail(p.GetError());
        }
        out.params = p.TakeValue();
    }
    return R::Ok(std::move(out));
}

// ---------------------------------------------------------------------------------------------
// SipCSeq

std::string
SipCSeq::ToString() const
{
    return std::to_string(number) + " " + method;
}

ParseResult<SipCSeq>
SipCSeq::Parse(const std::string& value)
{
    using R = ParseResult<SipCSeq>;
    std::string v = text::TrimWsp(value);
    size_t b = 0;
    while (b < v.size() && IsDigit(v[b]))
    {
        ++b;
    }
    size_t m = b;
    while (m < v.size() && IsWsp(v[m]))
    {
        ++m;
    }
    uint64_t n = 0;
    if (b == 0 || !ParseNumber(v.substr(0, b), std::numeric_limits<uint32_t>::max(), false, n))
    {
        return R::Fail("malformed CSeq number");
    }
    if (m == b || !SipMessage::IsToken(v.substr(m)))
    {
        return R::Fail("malformed CSeq method");
    }
    SipCSeq out;
    out.number = static_cast<uint32_t>(n);
    out.method = v.substr(m);
    return R::Ok(std::move(out));
}

// ---------------------------------------------------------------------------------------------
// SipEvent

std::string
SipEvent::GetId() const
{
    return params.Get("id").value_or("");
}

std::string
SipEvent::ToString() const
{
    return type + params.ToString();
}

ParseResult<SipEvent>
SipEvent::Parse(const std::string& value)
{
    SipEvent out;
    std::string why;
    if (!SplitValueAndParams(value, out.type, out.params, why))
    {
        return ParseResult<SipEvent>::Fail(why);
    }
    if (!SipMessage::IsToken(out.type))
    {
        return ParseResult<SipEvent>::Fail("malformed event type");
    }
    return ParseResult<SipEvent>::Ok(std::move(out));
}

// ---------------------------------------------------------------------------------------------
// SipSubscriptionState

std::optional<uint32_t>
SipSubscriptionState::GetExpires() const
{
    auto e = params.Get("expires");
    uint64_t v = 0;
    if (!e || !ParseNumber(*e, std::numeric_limits<uint32_t>::max(), true, v))
    {
        return std::nullopt;
    }
    return static_cast<uint32_t>(v);
}

std::string
SipSubscriptionState::GetReason() const
{
    return params.Get("reason").value_or("");
}

std::string
SipSubscriptionState::ToString() const
{
    return state + params.ToString();
}

SipSubscriptionState
SipSubscriptionState::Active(uint32_t expires)
{
    SipSubscriptionState s;
    s.state = "active";
    s.params.Set("expires", std::to_string(expires));
    return s;
}

SipSubscriptionState
SipSubscriptionState::Terminated(const std::string& reason)
{
    SipSubscriptionState s;
    s.state = "terminated";
    if (!reason.empty())
    {
        s.params.Set("reason", reason);
    }
    return s;
}

ParseResult<SipSubscriptionState>
SipSubscriptionState::Parse(const std::string& value)
{
    using R = ParseResult<SipSubscriptionState>;
    SipSubscriptionState out;
    std::string why;
    if (!SplitValueAndParams(value, out.state, out.params, why))
    {
        return R::Fail(why);
    }
    if (!SipMessage::IsToken(out.state))
    {
        return R::Fail("malformed substate value");
    }
    uint64_t v = 0;
    auto expires = out.params.Get("expires");
    if (expires && !ParseNumber(*expires, std::numeric_limits<uint32_t>::max(), true, v))
    {
        return R::Fail("malformed expires parameter");
    }
    auto reason = out.params.Get("reason");
    if (reason && !SipMessage::IsToken(*reason))
    {
        return R::Fail("malformed reason parameter");
    }
    return R::Ok(std::move(out));
}

// ---------------------------------------------------------------------------------------------
// SipMediaType

bool
SipMediaType::Matches(const std::string& typeSlashSubtype) const
{
    size_t slash = typeSlashSubtype.find('/');
    std::string t = typeSlashSubtype.substr(0, slash);
    std::string st = slash == std::string::npos ? "" : typeSlashSubtype.substr(slash + 1);
    return (type == "*" || IEquals(type, t)) && (subtype == "*" || IEquals(subtype, st));
}

std::string
SipMediaType::ToString() const
{
    return type + "/" + subtype + params.ToString();
}

ParseResult<SipMediaType>
SipMediaType::Parse(const std::string& value)
{
    using R = ParseResult<SipMediaType>;
    SipMediaType out;
    std::string prefix;
    std::string why;
    if (!SplitValueAndParams(value, prefix, out.params, why))
    {
        return R::Fail(why);
    }
    size_t slash = prefix.find('/');
    if (slash == std::string::npos)
    {
        return R::Fail("media type has no '/'");
    }
    out.type = text::TrimWsp(prefix.substr(0, slash));
    out.subtype = text::TrimWsp(prefix.substr(slash + 1));
    if (!SipMessage::IsToken(out.type) || !SipMessage::IsToken(out.subtype))
    {
        return R::Fail("malformed media type");
    }
    return R::Ok(std::move(out));
}

// ---------------------------------------------------------------------------------------------
// SipMessage

SipMessage
SipMessage::CreateRequest(const std::string& method, const std::string& requestUri)
{
    SipMessage m;
    m.SetRequestLine(method, requestUri);
    return m;
}

SipMessage
SipMessage::CreateResponse(uint16_t statusCode, const std::string& reasonPhrase)
{
    SipMessage m;
    m.SetStatusLine(statusCode, reasonPhrase);
    return m;
}

bool
SipMessage::IsRequest() const
{
    return m_statusCode == 0;
}

bool
SipMessage::IsResponse() const
{
    return m_statusCode != 0;
}

const std::string&
SipMessage::GetMethod() const
{
    return m_method;
}

const std::string&
SipMessage::GetRequestUri() const
{
    return m_requestUri;
}

uint16_t
SipMessage::GetStatusCode() const
{
    return m_statusCode;
}

const std::string&
SipMessage::GetReasonPhrase() const
{
    return m_reasonPhrase;
}

void
SipMessage::SetRequestLine(const std::string& method, const std::string& requestUri)
{
    m_method = method;
    m_requestUri = requestUri;
    m_statusCode = 0;
    m_reasonPhrase.clear();
}

void
SipMessage::SetStatusLine(uint16_t statusCode, const std::string& reasonPhrase)
{
    NS_ASSERT_MSG(statusCode >= 100 && statusCode <= 699, "bad SIP status code " << statusCode);
    m_method.clear();
    m_requestUri.clear();
    m_statusCode = statusCode;
    m_reasonPhrase = reasonPhrase.empty() ? GetDefaultReasonPhrase(statusCode) : reasonPhrase;
}

void
SipMessage::AddHeader(const std::string& name, const std::string& value)
{
    if (HeaderNamesEqual(name, "Content-Length"))
    {
        NS_LOG_LOGIC("Content-Length ignored; it is derived from the body");
        return;
    }
    m_headers.push_back({name, value});
}

void
SipMessage::PrependHeader(const std::string& name, const std::string& value)
{
    if (HeaderNamesEqual(name, "Content-Length"))
    {
        NS_LOG_LOGIC("Content-Length ignored; it is derived from the body");
        return;
    }
    m_headers.insert(m_headers.begin(), Header{name, value});
}

void
SipMessage::SetHeader(const std::string& name, const std::string& value)
{
    if (HeaderNamesEqual(name, "Content-Length"))
    {
        NS_LOG_LOGIC("Content-Length ignored; it is derived from the body");
        return;
    }
    auto it = std::find_if(m_headers.begin(), m_headers.end(), [&](const Header& h) {
        return HeaderNamesEqual(h.name, name);
    });
    if (it == m_headers.end())
    {
        m_headers.push_back({name, value});
        return;
    }
    // Keep the field's position so the header order of a message stays stable.
    *it = Header{name, value};
    m_headers.erase(std::remove_if(std::next(it),
                                   m_headers.end(),
                                   [&](const Header& h) { return HeaderNamesEqual(h.name, name); }),
                    m_headers.end());
}

size_t
SipMessage::RemoveHeader(const std::string& name)
{
    size_t before = m_headers.size();
    m_headers.erase(std::remove_if(m_headers.begin(),
                                   m_headers.end(),
                                   [&](const Header& h) { return HeaderNamesEqual(h.name, name); }),
                    m_headers.end());
    return before - m_headers.size();
}

bool
SipMessage::HasHeader(const std::string& name) const
{
    return HeaderNamesEqual(name, "Content-Length") ||
           std::any_of(m_headers.begin(), m_headers.end(), [&](const Header& h) {
               return HeaderNamesEqual(h.name, name);
           });
}

size_t
SipMessage::CountHeaders(const std::string& name) const
{
    if (HeaderNamesEqual(name, "Content-Length"))
    {
        return 1;
    }
    return size_t(std::count_if(m_headers.begin(), m_headers.end(), [&](const Header& h) {
        return HeaderNamesEqual(h.name, name);
    }));
}

std::optional<std::string>
SipMessage::GetHeader(const std::string& name) const
{
    if (HeaderNamesEqual(name, "Content-Length"))
    {
        return std::to_string(m_body.size());
    }
    // The first field only: no copy of the others (the agents ask for a dozen per message).
    for (const auto& h : m_headers)
    {
        if (HeaderNamesEqual(h.name, name))
        {
            return h.value;
        }
    }
    return std::nullopt;
}

std::vector<std::string>
SipMessage::GetHeaders(const std::string& name) const
{
    if (HeaderNamesEqual(name, "Content-Length"))
    {
        return {std::to_string(m_body.size())};
    }
    std::vector<std::string> out;
    for (const auto& h : m_headers)
    {
        if (HeaderNamesEqual(h.name, name))
        {
            out.push_back(h.value);
        }
    }
    return out;
}

std::vector<std::string>
SipMessage::GetHeaderValues(const std::string& name) const
{
    std::vector<std::string> out;
    for (const auto& v : GetHeaders(name))
    {
        for (auto& part : SplitList(v))
        {
            out.push_back(std::move(part));
        }
    }
    return out;
}

const std::vector<SipMessage::Header>&
SipMessage::GetHeaderList() const
{
    return m_headers;
}

std::vector<SipVia>
SipMessage::GetVias() const
{
    std::vector<SipVia> out;
    for (const auto& v : GetHeaderValues("Via"))
    {
        auto via = SipVia::Parse(v);
        if (via)
        {
            out.push_back(via.TakeValue());
        }
    }
    return out;
}

std::optional<SipVia>
SipMessage::GetTopVia() const
{
    auto values = GetHeaderValues("Via");
    if (values.empty())
    {
        return std::nullopt;
    }
    auto via = SipVia::Parse(values.front());
    return via ? std::optional<SipVia>(via.TakeValue()) : std::nullopt;
}

void
SipMessage::PushVia(const SipVia& via)
{
    PrependHeader("Via", via.ToString());
}

namespace
{

template <typename T>
std::optional<T>
ParseOptional(const std::optional<std::string>& value)
{
    if (!value)
    {
        return std::nullopt;
    }
    auto r = T::Parse(*value);
    return r ? std::optional<T>(r.TakeValue()) : std::nullopt;
}

} // namespace

std::optional<SipNameAddr>
SipMessage::GetFrom() const
{
    return ParseOptional<SipNameAddr>(GetHeader("From"));
}

void
SipMessage::SetFrom(const SipNameAddr& from)
{
    SetHeader("From", from.ToString());
}

std::optional<SipNameAddr>
SipMessage::GetTo() const
{
    return ParseOptional<SipNameAddr>(GetHeader("To"));
}

void
SipMessage::SetTo(const SipNameAddr& to)
{
    SetHeader("To", to.ToString());
}

std::optional<std::string>
SipMessage::GetCallId() const
{
    return GetHeader("Call-ID");
}

void
SipMessage::SetCallId(const std::string& callId)
{
    SetHeader("Call-ID", callId);
}

std::optional<SipCSeq>
SipMessage::GetCSeq() const
{
    return ParseOptional<SipCSeq>(GetHeader("CSeq"));
}

void
SipMessage::SetCSeq(const SipCSeq& cseq)
{
    SetHeader("CSeq", cseq.ToString());
}

std::optional<uint8_t>
SipMessage::GetMaxForwards() const
{
    auto v = GetHeader("Max-Forwards");
    uint64_t n = 0;
    if (!v || !ParseNumber(*v, 255, false, n))
    {
        return std::nullopt;
    }
    return static_cast<uint8_t>(n);
}

void
SipMessage::SetMaxForwards(uint8_t hops)
{
    SetHeader("Max-Forwards", std::to_string(hops));
}

std::optional<SipNameAddr>
SipMessage::GetContact() const
{
    auto values = GetHeaderValues("Contact");
    if (values.empty() || values.front() == "*")
    {
        return std::nullopt;
    }
    return ParseOptional<SipNameAddr>(values.front());
}

void
SipMessage::SetContact(const SipNameAddr& contact)
{
    SetHeader("Contact", contact.ToString());
}

std::optional<SipEvent>
SipMessage::GetEvent() const
{
    return ParseOptional<SipEvent>(GetHeader("Event"));
}

void
SipMessage::SetEvent(const SipEvent& event)
{
    SetHeader("Event", event.ToString());
}

std::optional<uint32_t>
SipMessage::GetExpires() const
{
    auto v = GetHeader("Expires");
    uint64_t n = 0;
    // RFC 3261 §20.19: values above 2^32-1 are taken as 2^32-1.
    if (!v || !ParseNumber(*v, std::numeric_limits<uint32_t>::max(), true, n))
    {
        return std::nullopt;
    }
    return static_cast<uint32_t>(n);
}

void
SipMessage::SetExpires(uint32_t seconds)
{
    SetHeader("Expires", std::to_string(seconds));
}

std::optional<SipSubscriptionState>
SipMessage::GetSubscriptionState() const
{
    return ParseOptional<SipSubscriptionState>(GetHeader("Subscription-State"));
}

void
SipMessage::SetSubscriptionState(const SipSubscriptionState& state)
{
    SetHeader("Subscription-State", state.ToString());
}

std::optional<SipMediaType>
SipMessage::GetContentType() const
{
    return ParseOptional<SipMediaType>(GetHeader("Content-Type"));
}

void
SipMessage::SetContentType(const SipMediaType& type)
{
    SetHeader("Content-Type", type.ToString());
}

size_t
SipMessage::GetContentLength() const
{
    return m_body.size();
}

const std::string&
SipMessage::GetBody() const
{
    return m_body;
}

void
SipMessage::SetBody(std::string body)
{
    m_body = std::move(body);
}

bool
SipMessage::AcceptsMediaType(const std::string& typeSlashSubtype) const
{
    if (!HasHeader("Accept"))
    {
        return true;
    }
    // An empty Accept means no format is acceptable (RFC 3261 §20.1).
    for (const auto& v : GetHeaderValues("Accept"))
    {
        if (v.empty())
        {
            continue;
        }
        auto t = SipMediaType::Parse(v);
        if (t && t.GetValue().Matches(typeSlashSubtype) && t.GetValue().params.Get("q") != "0")
        {
            return true;
        }
    }
    return false;
}

std::string
SipMessage::Serialize(SipHeaderForm form) const
{
    auto nameOf = [form](const std::string& name) {
        switch (form)
        {
        case SipHeaderForm::LONG:
            return CanonicalHeaderName(name);
        case SipHeaderForm::COMPACT: {
            std::string c = CompactHeaderName(name);
            return c.empty() ? CanonicalHeaderName(name) : c;
        }
        case SipHeaderForm::AS_SET:
        default:
            return name;
        }
    };
    std::string out;
    out.reserve(64 * (m_headers.size() + 2) + m_body.size());
    if (IsRequest())
    {
        out += m_method + " " + m_requestUri + " SIP/2.0\r\n";
    }
    else
    {
        out += "SIP/2.0 " + std::to_string(m_statusCode) + " " + m_reasonPhrase + "\r\n";
    }
    for (const auto& h : m_headers)
    {
        out += nameOf(h.name) + ": " + h.value + "\r\n";
    }
    out += nameOf("Content-Length") + ": " + std::to_string(m_body.size()) + "\r\n\r\n";
    out += m_body;
    return out;
}

std::string
SipMessage::CanonicalHeaderName(const std::string& name)
{
    const auto* e = FindHeaderName(name);
    return e ? e->longName : name;
}

std::string
SipMessage::CompactHeaderName(const std::string& name)
{
    const auto* e = FindHeaderName(name);
    return e ? e->compact : "";
}

bool
SipMessage::HeaderNamesEqual(const std::string& a, const std::string& b)
{
    if (IEquals(a, b))
    {
        return true;
    }
    // Only a compact letter can match a differently spelt name.
    if (a.size() != 1 && b.size() != 1)
    {
        return false;
    }
    return IEquals(CanonicalHeaderName(a), CanonicalHeaderName(b));
}

std::string
SipMessage::GetDefaultReasonPhrase(uint16_t statusCode)
{
    switch (statusCode)
    {
    case 100:
        return "Trying";
    case 180:
        return "Ringing";
    case 181:
        return "Call Is Being Forwarded";
    case 182:
        return "Queued";
    case 183:
        return "Session Progress";
    case 200:
        return "OK";
    case 202:
        return "Accepted";
    case 204:
        return "No Notification";
    case 300:
        return "Multiple Choices";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Moved Temporarily";
    case 305:
        return "Use Proxy";
    case 380:
        return "Alternative Service";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 402:
        return "Payment Required";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 406:
        return "Not Acceptable";
    case 407:
        return "Proxy Authentication Required";
    case 408:
        return "Request Timeout";
    case 410:
        return "Gone";
    case 413:
        return "Request Entity Too Large";
    case 414:
        return "Request-URI Too Long";
    case 415:
        return "Unsupported Media Type";
    case 416:
        return "Unsupported URI Scheme";
    case 420:
        return "Bad Extension";
    case 421:
        return "Extension Required";
    case 423:
        return "Interval Too Brief";
    case 480:
        return "Temporarily Unavailable";
    case 481:
        return "Call/Transaction Does Not Exist";
    case 482:
        return "Loop Detected";
    case 483:
        return "Too Many Hops";
    case 484:
        return "Address Incomplete";
    case 485:
        return "Ambiguous";
    case 486:
        return "Busy Here";
    case 487:
        return "Request Terminated";
    case 488:
        return "Not Acceptable Here";
    case 489:
        return "Bad Event";
    case 491:
        return "Request Pending";
    case 493:
        return "Undecipherable";
    case 500:
        return "Server Internal Error";
    case 501:
        return "Not Implemented";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Server Time-out";
    case 505:
        return "Version Not Supported";
    case 513:
        return "Message Too Large";
    case 600:
        return "Busy Everywhere";
    case 603:
        return "Decline";
    case 604:
        return "Does Not Exist Anywhere";
    case 606:
        return "Not Acceptable";
    default:
        break;
    }
    // RFC 3261 §8.1.3.2: an unknown code is treated as x00 of its class.
    switch (statusCode / 100)
    {
    case 1:
        return "Provisional";
    case 2:
        return "Success";
    case 3:
        return "Redirection";
    case 4:
        return "Client Error";
    case 5:
        return "Server Error";
    default:
        return "Global Failure";
    }
}

bool
SipMessage::IsToken(const std::string& text)
{
    return !text.empty() && std::all_of(text.begin(), text.end(), IsTokenChar);
}

std::vector<std::string>
SipMessage::SplitList(const std::string& value)
{
    auto parts = SplitTopLevel(value, ',', true);
    for (auto& p : parts)
    {
        p = text::TrimWsp(p);
    }
    return parts;
}

} // namespace ns3
