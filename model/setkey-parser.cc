/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "setkey-parser.h"

#include "ns3/log.h"

#include <boost/spirit/home/x3.hpp>
#include <cstdint>
#include <exception>
#include <limits>
#include <sstream>
#include <type_traits>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SetkeyParser");

namespace
{

namespace x3 = boost::spirit::x3;

/// The grammar reads the caller's string in place; error positions are iterators into it.
using Iterator = std::string::const_iterator;

/// presec nodes have only an IPv4 stack: an IPv6 policy could never match, so refuse it.
const char* const kIpv6Unsupported = "IPv6 is not supported (presec models the IPv4 stack)";

/// Longest piece of offending text quoted in a message (a bad line may be a megabyte long).
constexpr std::size_t kMaxQuoted = 40;

/**
 * A semantic error with a complete message, thrown from inside the grammar.
 *
 * x3::expectation_failure only names what was expected; checks such as "no IPv6" or "no such
 * statement" need their own wording, and still the position of the offending character.
 */
struct SetkeyError
{
    Iterator where;      //!< the offending character
    std::string message; //!< the complete message
};

/**
 * What the semantic actions fill in.
 *
 * It travels in the parse context (x3::with) rather than in synthesized attributes, so that
 * small named rules (needed for readable "expected ..." messages) can set fields of the
 * enclosing request or policy.
 */
struct Builder
{
    SecurityPolicy policy; //!< the `spdadd` statement being parsed
    IpsecRequest request;  //!< the IPsec rule being parsed
    SetkeyScript script;   //!< the statements parsed so far (ParseScript only)
};

/// Context key under which the Builder is found.
struct BuilderTag;

/**
 * \param ctx a parse context
 * \return the Builder of the current parse
 */
template <typename Context>
Builder&
GetBuilder(const Context& ctx)
{
    return x3::get<BuilderTag>(ctx);
}

/**
 * A decimal number in [Min, Max], written canonically: no `+`, no leading zeros, no `-0`.
 *
 * Canonical form is required so that Print gives every accepted number back as it was
 * written; the digit count is bounded so that a run of any length fails instead of
 * overflowing. On failure nothing is consumed, so the error points at the number.
 */
template <typename T, int64_t Min, int64_t Max>
struct DecimalParser : x3::parser<DecimalParser<T, Min, Max>>
{
    using attribute_type = T;               //!< the parsed value
    static const bool has_attribute = true; //!< it has one

    /**
     * \param first where to start; advanced past the number on success
     * \param last end of input
     * \param ctx the context (for the skipper)
     * \param attr receives the value
     * \return true if a number in range was read
     */
    template <typename It, typename Context, typename RContext, typename Attribute>
    bool parse(It& first, const It& last, const Context& ctx, RContext&, Attribute& attr) const
    {
        x3::skip_over(first, last, ctx);
        It it = first;
        bool negative = false;
        if (Min < 0 && it != last && *it == '-')
        {
            negative = true;
            ++it;
        }
        const It digits = it;
        int64_t value = 0;
        int count = 0;
        while (it != last && *it >= '0' && *it <= '9')
        {
            if (++count > 11) // beyond any 32-bit value; stop before int64_t could overflow
            {
                return false;
            }
            value = value * 10 + (*it - '0');
            ++it;
        }
        if (count == 0 || (*digits == '0' && (count > 1 || negative)))
        {
            return false;
        }
        value = negative ? -value : value;
        if (value < Min || value > Max)
        {
            return false;
        }
        x3::traits::move_to(static_cast<T>(value), attr);
        first = it;
        return true;
    }
};

/**
 * Refuses an IPv6 address where an IPv4 one is expected, consuming nothing otherwise.
 *
 * Hex digits followed by `:` cannot start an IPv4 address but always start an IPv6 one
 * (`::1`, `fe80::1`, `2001:db8::/32`), so the user is told the real reason rather than
 * "expected address octet".
 */
struct Ipv6Guard : x3::parser<Ipv6Guard>
{
    using attribute_type = x3::unused_type;  //!< no value
    static const bool has_attribute = false; //!< no value

    /**
     * \param first where the address starts
     * \param last end of input
     * \return true (throws SetkeyError on an IPv6 address)
     */
    template <typename It, typename Context, typename RContext, typename Attribute>
    bool parse(It& first, const It& last, const Context&, RContext&, Attribute&) const
    {
        It it = first;
        while (it != last && ((*it >= '0' && *it <= '9') || (*it >= 'a' && *it <= 'f') ||
                              (*it >= 'A' && *it <= 'F')))
        {
            ++it;
        }
        if (it != last && *it == ':')
        {
            throw SetkeyError{first, kIpv6Unsupported};
        }
        return true;
    }
};

/**
 * `token[p]`: skip blanks, then parse p with skipping off (one lexical token).
 *
 * Unlike x3::lexeme it skips on the caller's iterator, so a failing expectation reports the
 * first character of the offending token rather than the blank before it, and it reports the
 * name of its subject rule as what was expected.
 */
template <typename Subject>
struct TokenDirective : x3::unary_parser<Subject, TokenDirective<Subject>>
{
    using base_type = x3::unary_parser<Subject, TokenDirective<Subject>>; //!< base
    static const bool is_pass_through_unary = true;                       //!< keeps attribute
    static const bool handles_container = Subject::handles_container;     //!< as subject

    /// \param subject the token's parser
    constexpr TokenDirective(const Subject& subject)
        : base_type(subject)
    {
    }

    /**
     * \param first where to start; left after the blanks on failure
     * \param last end of input
     * \param ctx the context
     * \param rctx the rule context
     * \param attr the attribute
     * \return the subject's result
     */
    template <typename It, typename Context, typename RContext, typename Attribute>
    bool parse(It& first, const It& last, const Context& ctx, RContext& rctx, Attribute& attr) const
    {
        x3::skip_over(first, last, ctx);
        const auto& skipper = x3::get<x3::skipper_tag>(ctx);
        x3::unused_skipper<std::remove_reference_t<decltype(skipper)>> noSkip(skipper);
        return this->subject.parse(first,
                                   last,
                                   x3::make_context<x3::skipper_tag>(noSkip, ctx),
                                   rctx,
                                   attr);
    }
};

/**
 * `skipped[p]`: skip blanks, then parse p (which contains several tokens) with skipping on.
 *
 * For the same reason as TokenDirective: the blanks are consumed on the caller's iterator so
 * an expectation failure points at the offending token.
 */
template <typename Subject>
struct SkippedDirective : x3::unary_parser<Subject, SkippedDirective<Subject>>
{
    using base_type = x3::unary_parser<Subject, SkippedDirective<Subject>>; //!< base
    static const bool is_pass_through_unary = true;                         //!< keeps attribute
    static const bool handles_container = Subject::handles_container;       //!< as subject

    /// \param subject the parser to run after the blanks
    constexpr SkippedDirective(const Subject& subject)
        : base_type(subject)
    {
    }

    /**
     * \param first where to start; left after the blanks on failure
     * \param last end of input
     * \param ctx the context
     * \param rctx the rule context
     * \param attr the attribute
     * \return the subject's result
     */
    template <typename It, typename Context, typename RContext, typename Attribute>
    bool parse(It& first, const It& last, const Context& ctx, RContext& rctx, Attribute& attr) const
    {
        x3::skip_over(first, last, ctx);
        return this->subject.parse(first, last, ctx, rctx, attr);
    }
};

/// Generator of a directive `d[p]`.
template <template <typename> class Directive>
struct DirectiveGen
{
    /**
     * \param subject the parser to wrap
     * \return the directive
     */
    template <typename Subject>
    constexpr Directive<typename x3::extension::as_parser<Subject>::value_type> operator[](
        const Subject& subject) const
    {
        return {x3::as_parser(subject)};
    }
};

constexpr DirectiveGen<TokenDirective> token{};     //!< one lexical token
constexpr DirectiveGen<SkippedDirective> skipped{}; //!< several tokens, blanks skipped first

} // namespace
} // namespace ns3

namespace boost
{
namespace spirit
{
namespace x3
{

/// An expectation on `token[rule]` names the rule, not the directive's C++ type.
template <typename Subject>
struct get_info<ns3::TokenDirective<Subject>>
{
    using result_type = std::string; //!< the description

    /// \param p the directive \return what its subject expects
    std::string operator()(const ns3::TokenDirective<Subject>& p) const
    {
        return what(p.subject);
    }
};

/// An expectation on `skipped[rule]` names the rule, not the directive's C++ type.
template <typename Subject>
struct get_info<ns3::SkippedDirective<Subject>>
{
    using result_type = std::string; //!< the description

    /// \param p the directive \return what its subject expects
    std::string operator()(const ns3::SkippedDirective<Subject>& p) const
    {
        return what(p.subject);
    }
};

/**
 * An expectation on `rule[action]` names the rule: the semantic action is an implementation
 * detail, and without this the message would carry the action's C++ type name.
 */
template <typename ID, typename RHS, typename Attribute, bool Force, typename Action>
struct get_info<action<rule_definition<ID, RHS, Attribute, Force>, Action>>
{
    using result_type = std::string; //!< the description

    /// \param p the action \return the name of its rule
    std::string operator()(
        const action<rule_definition<ID, RHS, Attribute, Force>, Action>& p) const
    {
        return p.subject.name;
    }
};

} // namespace x3
} // namespace spirit
} // namespace boost

namespace ns3
{
namespace
{

// ---------------------------------------------------------------------------------------------
// Semantic actions. They write into the Builder (policy, request) or into the enclosing rule's
// value (_val); a failed range check sets _pass to false so the error names the rule.
// ---------------------------------------------------------------------------------------------

const auto startAddress = [](auto& ctx) { x3::_val(ctx) = x3::_attr(ctx); };
const auto shiftInOctet = [](auto& ctx) { x3::_val(ctx) = (x3::_val(ctx) << 8) | x3::_attr(ctx); };
const auto copyValue = [](auto& ctx) { x3::_val(ctx) = x3::_attr(ctx); };
const auto anyPort = [](auto& ctx) { x3::_val(ctx) = -1; };

const auto rangeAddress = [](auto& ctx) { x3::_val(ctx).address = Ipv4Address(x3::_attr(ctx)); };
const auto rangePrefix = [](auto& ctx) {
    x3::_val(ctx).prefixLength = static_cast<uint8_t>(x3::_attr(ctx));
    x3::_val(ctx).prefixWritten = true;
};
const auto rangePort = [](auto& ctx) {
    x3::_val(ctx).portWritten = true;
    if (x3::_attr(ctx) >= 0)
    {
        x3::_val(ctx).port = static_cast<uint16_t>(x3::_attr(ctx));
    }
};

const auto upperNumber = [](auto& ctx) {
    x3::_val(ctx).number = x3::_attr(ctx);
    x3::_val(ctx).numeric = true;
};
/// A name is looked up in UpperProtocol's table; an unknown one fails the upperspec rule.
const auto upperName = [](auto& ctx) {
    const auto& range = x3::_attr(ctx);
    auto upper = UpperProtocol::FromName(std::string(range.begin(), range.end()));
    x3::_pass(ctx) = upper.has_value();
    if (upper)
    {
        x3::_val(ctx) = *upper;
    }
};

const auto startPolicy = [](auto& ctx) { GetBuilder(ctx).policy = SecurityPolicy(); };
/// Options are kept as written (space-joined); `-6` is refused at its `6`.
const auto addOption = [](auto& ctx) {
    const auto& range = x3::_attr(ctx);
    for (auto it = range.begin(); it != range.end(); ++it)
    {
        if (*it == '6')
        {
            throw SetkeyError{it, kIpv6Unsupported};
        }
    }
    std::string& options = GetBuilder(ctx).policy.options;
    options += (options.empty() ? "" : " ") + std::string(range.begin(), range.end());
};
const auto setSource = [](auto& ctx) { GetBuilder(ctx).policy.source = x3::_attr(ctx); };
const auto setDestination = [](auto& ctx) { GetBuilder(ctx).policy.destination = x3::_attr(ctx); };
const auto setUpper = [](auto& ctx) { GetBuilder(ctx).policy.upper = x3::_attr(ctx); };
const auto setIn = [](auto& ctx) { GetBuilder(ctx).policy.direction = PolicyDirection::IN; };
const auto setOut = [](auto& ctx) { GetBuilder(ctx).policy.direction = PolicyDirection::OUT; };
const auto setPriority = [](auto& ctx) { GetBuilder(ctx).policy.priority = x3::_attr(ctx); };
const auto setDiscard = [](auto& ctx) { GetBuilder(ctx).policy.action = PolicyAction::DISCARD; };
const auto setNone = [](auto& ctx) { GetBuilder(ctx).policy.action = PolicyAction::NONE; };
const auto setIpsec = [](auto& ctx) { GetBuilder(ctx).policy.action = PolicyAction::IPSEC; };

const auto startRequest = [](auto& ctx) { GetBuilder(ctx).request = IpsecRequest(); };
const auto pushRequest = [](auto& ctx) {
    Builder& b = GetBuilder(ctx);
    b.policy.requests.push_back(b.request);
};
const auto setAh = [](auto& ctx) { GetBuilder(ctx).request.protocol = IpsecProtocol::AH; };
const auto setEsp = [](auto& ctx) { GetBuilder(ctx).request.protocol = IpsecProtocol::ESP; };
const auto setIpcomp = [](auto& ctx) { GetBuilder(ctx).request.protocol = IpsecProtocol::IPCOMP; };
const auto setTransport = [](auto& ctx) { GetBuilder(ctx).request.mode = IpsecMode::TRANSPORT; };
const auto setTunnel = [](auto& ctx) { GetBuilder(ctx).request.mode = IpsecMode::TUNNEL; };
const auto markEndpointField = [](auto& ctx) {
    GetBuilder(ctx).request.endpointFieldWritten = true;
};
const auto setTunnelSource = [](auto& ctx) {
    GetBuilder(ctx).request.tunnelSource = Ipv4Address(x3::_attr(ctx));
};
const auto setTunnelDestination = [](auto& ctx) {
    GetBuilder(ctx).request.tunnelDestination = Ipv4Address(x3::_attr(ctx));
};
const auto setDefault = [](auto& ctx) { GetBuilder(ctx).request.level = IpsecLevel::DEFAULT; };
const auto setUse = [](auto& ctx) { GetBuilder(ctx).request.level = IpsecLevel::USE; };
const auto setRequire = [](auto& ctx) { GetBuilder(ctx).request.level = IpsecLevel::REQUIRE; };
const auto setUnique = [](auto& ctx) { GetBuilder(ctx).request.level = IpsecLevel::UNIQUE; };
const auto setUniqueId = [](auto& ctx) { GetBuilder(ctx).request.uniqueId = x3::_attr(ctx); };

const auto pushPolicy = [](auto& ctx) {
    Builder& b = GetBuilder(ctx);
    b.script.policies.push_back(b.policy);
};
const auto setFlush = [](auto& ctx) { GetBuilder(ctx).script.flush = true; };
const auto setSpdflush = [](auto& ctx) { GetBuilder(ctx).script.spdflush = true; };
/// Statements other than spdadd/flush/spdflush (add, get, spddelete, ...) are named back.
const auto unsupportedStatement = [](auto& ctx) {
    const auto& range = x3::_attr(ctx);
    std::string word(range.begin(), range.end());
    if (word.size() > kMaxQuoted)
    {
        word = word.substr(0, kMaxQuoted) + "...";
    }
    throw SetkeyError{range.begin(), "unsupported statement '" + word + "'"};
};

// ---------------------------------------------------------------------------------------------
// The grammar (setkey(8) "Configuration syntax"). Every rule that can be expected carries the
// description used in "expected <description>, found '...'". Rules below token[] see no
// blanks; the statement rules skip blanks between tokens.
// ---------------------------------------------------------------------------------------------

// clang-format off
// ASCII classes spelled out: x3's ctype-based classes assert on bytes above 0x7f.
const auto digit = x3::char_('0', '9');
const auto letter = x3::char_('a', 'z') | x3::char_('A', 'Z');
const auto wordChar = letter | digit | x3::char_('_') | x3::char_('-') | x3::char_('.');
const auto blank = x3::char_(' ') | x3::char_('\t') | x3::char_('\n') | x3::char_('\r') |
                   x3::char_('\f') | x3::char_('\v');

/**
 * \param word a keyword
 * \return a parser of exactly \p word (case-sensitive), not as the prefix of a longer word
 */
auto
Kw(const char* word)
{
    return x3::lit(word) >> !wordChar;
}

const auto endOfToken = x3::rule<class EndOfTokenId>{"blank or ';'"} =
    &(blank | x3::lit(';') | x3::eoi);
const auto slash = x3::rule<class SlashId>{"'/'"} = x3::lit('/');

// address:  d.d.d.d, each octet 0..255
const auto octet = x3::rule<class OctetId, uint32_t>{"address octet 0..255"} =
    DecimalParser<uint32_t, 0, 255>{};
const auto dot = x3::rule<class DotId>{"'.' (an IPv4 address has 4 octets)"} = x3::lit('.');
const auto addressEnd = x3::rule<class AddressEndId>{"end of the IPv4 address (4 octets)"} =
    !x3::lit('.');
const auto ipv4 = x3::rule<class Ipv4Id, uint32_t>{"IPv4 address"} =
    Ipv6Guard{} >> &digit
    > octet[startAddress] > dot > octet[shiftInOctet] > dot > octet[shiftInOctet] > dot
    > octet[shiftInOctet] > addressEnd;

// src_range, dst_range:  address | address/prefixlen | address[port] | address/prefixlen[port]
const auto prefixLength = x3::rule<class PrefixLengthId, uint32_t>{"prefix length 0..32"} =
    DecimalParser<uint32_t, 0, 32>{};
const auto port = x3::rule<class PortId, int32_t>{"port 0..65535 or any"} =
    Kw("any")[anyPort] | DecimalParser<int32_t, 0, 65535>{}[copyValue];
const auto closeBracket = x3::rule<class CloseBracketId>{"']'"} = x3::lit(']');
const auto rangeBody = ipv4[rangeAddress]
    >> -(x3::lit('/') > prefixLength[rangePrefix])
    >> -(x3::lit('[') > port[rangePort] > closeBracket)
    > endOfToken;
const auto sourceRange = x3::rule<class SourceRangeId, AddressRange>{"source address range"} =
    rangeBody;
const auto destinationRange =
    x3::rule<class DestinationRangeId, AddressRange>{"destination address range"} = rangeBody;

// upperspec:  any | protocol name | protocol number
const auto upperSpec = x3::rule<class UpperSpecId, UpperProtocol>{
    "upper-layer protocol (a protocol name, a number 0..255 or any)"} =
    (DecimalParser<int, 0, 255>{}[upperNumber] | x3::raw[letter >> *wordChar][upperName])
    > endOfToken;

// [-46n ...] before src_range
const auto optionLetters = x3::rule<class OptionLettersId>{"option letters 4, 6 or n"} =
    +(x3::lit('4') | x3::lit('6') | x3::lit('n')) >> endOfToken;
const auto option = x3::rule<class OptionId>{"option -4, -6 or -n"} =
    x3::raw[x3::lit('-') > optionLetters][addOption];

// -P direction [prio N]
const auto dashP = x3::rule<class DashPId>{"-P"} = Kw("-P");
const auto direction = x3::rule<class DirectionId>{"direction in or out"} =
    Kw("in")[setIn] | Kw("out")[setOut];
const auto priority = x3::rule<class PriorityId>{"priority (a signed 32-bit integer)"} =
    DecimalParser<int32_t,
                  std::numeric_limits<int32_t>::min(),
                  std::numeric_limits<int32_t>::max()>{}[setPriority]
    > endOfToken;

// rule:  protocol/mode/src-dst/level
const auto ipsecProtocol = x3::rule<class IpsecProtocolId>{"IPsec protocol ah, esp or ipcomp"} =
    Kw("esp")[setEsp] | Kw("ah")[setAh] | Kw("ipcomp")[setIpcomp];
const auto uniqueId = x3::rule<class UniqueIdId>{"policy identifier 1..32767"} =
    DecimalParser<uint32_t, 1, 32767>{}[setUniqueId];
const auto level = x3::rule<class LevelId>{"level default, use, require or unique[:id]"} =
    Kw("default")[setDefault] | Kw("use")[setUse] | Kw("require")[setRequire]
    | (Kw("unique")[setUnique] >> -(x3::lit(':') > uniqueId));
const auto hyphen = x3::rule<class HyphenId>{"'-' between the tunnel endpoints"} = x3::lit('-');
const auto tunnelEndpoints = x3::rule<class TunnelEndpointsId>{"tunnel endpoints src-dst"} =
    ipv4[setTunnelSource] > hyphen > ipv4[setTunnelDestination];
const auto noEndpoints =
    x3::rule<class NoEndpointsId>{"'/' before the level (transport mode takes no endpoints)"} =
        &(x3::lit('/') | endOfToken);
const auto mode = x3::rule<class ModeId>{"mode transport or tunnel"} =
    (Kw("transport")[setTransport]
        >> -(x3::lit('/')[markEndpointField] > noEndpoints > -(x3::lit('/') > level)))
    | (Kw("tunnel")[setTunnel]
        > slash[markEndpointField] > tunnelEndpoints > -(x3::lit('/') > level));
const auto ipsecRule = x3::rule<class IpsecRuleId>{"IPsec rule protocol/mode/src-dst/level"} =
    x3::eps[startRequest] >> ipsecProtocol > slash > mode > endOfToken;

// discard | none | ipsec rule...
const auto ipsecRules = x3::rule<class IpsecRulesId>{"IPsec rule protocol/mode/src-dst/level"} =
    +token[ipsecRule[pushRequest]];
const auto noRules =
    x3::rule<class NoRulesId>{"end of the policy (discard and none take no IPsec rules)"} =
        !(+letter >> x3::lit('/'));
const auto action = x3::rule<class ActionId>{"action discard, none or ipsec"} =
    (token[Kw("discard")][setDiscard] > token[noRules])
    | (token[Kw("none")][setNone] > token[noRules])
    | (token[Kw("ipsec")][setIpsec] > skipped[ipsecRules]);

// spdadd [-46n] src_range dst_range upperspec -P direction [prio N] policy
const auto spdadd = x3::rule<class SpdaddId>{"spdadd statement"} =
    token[Kw("spdadd")][startPolicy]
    > *token[option]
    > token[sourceRange[setSource]]
    > token[destinationRange[setDestination]]
    > token[upperSpec[setUpper]]
    > token[dashP]
    > token[direction]
    > -(token[Kw("prio")] > token[priority])
    > skipped[action];

// A lone statement (ParsePolicy): the `;` may be left out, but nothing may follow it.
const auto semicolon = x3::rule<class SemicolonId>{"';'"} = x3::lit(';');
const auto endOfInput = x3::rule<class EndOfInputId>{"end of input"} = x3::eoi;
const auto policyEnd = x3::rule<class PolicyEndId>{"';' or end of input"} =
    (token[semicolon] > token[endOfInput]) | token[endOfInput];

// A file (ParseScript): statements each ended by `;`.
const auto unsupported = x3::rule<class UnsupportedId>{"statement"} =
    x3::raw[letter >> *wordChar][unsupportedStatement];
const auto statement = x3::rule<class StatementId>{"statement spdadd, flush or spdflush"} =
    spdadd[pushPolicy]
    | token[Kw("spdflush")][setSpdflush]
    | token[Kw("flush")][setFlush]
    | token[unsupported];
const auto scriptEnd =
    x3::rule<class ScriptEndId>{"statement spdadd, flush or spdflush, or end of input"} = x3::eoi;

// clang-format on

// ---------------------------------------------------------------------------------------------
// Error reporting
// ---------------------------------------------------------------------------------------------

/**
 * \param c a character
 * \return true if \p c is quoted as part of an offending token (so `found 'fwd'`, not `'f'`)
 */
bool
IsTokenChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.' || c == ':';
}

/**
 * Describe the text at an error position for "found ...": the offending token, one
 * punctuation character, a byte in hex, or the end of the input.
 * \param where the error position
 * \param end end of input
 * \return the description
 */
std::string
DescribeFound(Iterator where, Iterator end)
{
    if (where == end)
    {
        return "end of input";
    }
    const auto c = static_cast<unsigned char>(*where);
    if (IsTokenChar(*where))
    {
        Iterator it = where;
        std::string word;
        while (it != end && IsTokenChar(*it) && word.size() < kMaxQuoted)
        {
            word += *it++;
        }
        return "'" + word + (it != end && IsTokenChar(*it) ? "...'" : "'");
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
    {
        return "white space";
    }
    if (c > 0x20 && c < 0x7f)
    {
        return std::string("'") + static_cast<char>(c) + "'";
    }
    static const char* const kHex = "0123456789abcdef";
    return std::string("byte 0x") + kHex[c >> 4] + kHex[c & 0xf];
}

/**
 * \param begin start of the text
 * \param where the error position
 * \param message the message
 * \return a failure with the 1-based line and column of \p where
 */
template <typename T>
ParseResult<T>
FailAt(Iterator begin, Iterator where, const std::string& message)
{
    unsigned line = 1;
    unsigned column = 1;
    for (Iterator it = begin; it != where; ++it)
    {
        if (*it == '\n')
        {
            ++line;
            column = 1;
        }
        else
        {
            ++column;
        }
    }
    NS_LOG_DEBUG("line " << line << ", column " << column << ": " << message);
    return ParseResult<T>::Fail(message, line, column);
}

/**
 * Run a grammar over a text and turn every way it can fail into a ParseResult.
 *
 * The API promises not to throw for any input, so everything is caught here: expectation
 * failures and semantic errors with their position, anything else (bad_alloc) without.
 * \param text the text
 * \param grammar the grammar (already bound to \p builder)
 * \param take picks the result out of the builder
 * \return the result
 */
template <typename T, typename Grammar, typename Take>
ParseResult<T>
Run(const std::string& text, const Grammar& grammar, Take take)
{
    const Iterator begin = text.begin();
    const Iterator end = text.end();
    Iterator first = begin;
    try
    {
        if (!x3::phrase_parse(first, end, grammar, blank))
        {
            // Every grammar starts with an expectation, so this is not reached; be safe anyway.
            return FailAt<T>(begin, first, "unexpected " + DescribeFound(first, end));
        }
        return ParseResult<T>::Ok(take());
    }
    catch (const x3::expectation_failure<Iterator>& e)
    {
        return FailAt<T>(begin,
                         e.where(),
                         "expected " + e.which() + ", found " + DescribeFound(e.where(), end));
    }
    catch (const SetkeyError& e)
    {
        return FailAt<T>(begin, e.where, e.message);
    }
    catch (const std::exception& e)
    {
        return ParseResult<T>::Fail(std::string("setkey parser: ") + e.what());
    }
    catch (...)
    {
        return ParseResult<T>::Fail("setkey parser: unknown error");
    }
}

/**
 * \param range an address range
 * \return `addr[/plen][[port]]` as setkey writes it
 */
std::string
PrintRange(const AddressRange& range)
{
    std::ostringstream os;
    range.address.Print(os);
    // A prefix that was not written is still printed if it is not /32, so no meaning is lost.
    if (range.prefixWritten || range.prefixLength != 32)
    {
        os << '/' << static_cast<unsigned>(range.prefixLength);
    }
    if (range.port.has_value())
    {
        os << '[' << *range.port << ']';
    }
    else if (range.portWritten)
    {
        os << "[any]";
    }
    return os.str();
}

/**
 * \param request an IPsec request
 * \return `proto/mode[/src-dst[/level]]` as it was written
 */
std::string
PrintRequest(const IpsecRequest& request)
{
    std::ostringstream os;
    os << ToString(request.protocol) << '/' << ToString(request.mode);
    const bool tunnel = request.mode == IpsecMode::TUNNEL;
    // The endpoint field is needed whenever a field after it is printed, or for a tunnel.
    if (request.endpointFieldWritten || tunnel || request.level.has_value())
    {
        os << '/';
        if (tunnel)
        {
            request.tunnelSource.Print(os);
            os << '-';
            request.tunnelDestination.Print(os);
        }
    }
    if (request.level.has_value())
    {
        os << '/' << ToString(*request.level);
        if (*request.level == IpsecLevel::UNIQUE && request.uniqueId != 0)
        {
            os << ':' << request.uniqueId;
        }
    }
    return os.str();
}

} // namespace

ParseResult<SecurityPolicy>
SetkeyParser::ParsePolicy(const std::string& text)
{
    NS_LOG_FUNCTION(text.size());
    Builder builder;
    const auto grammar =
        x3::with<BuilderTag>(builder)[x3::eps > skipped[spdadd] > skipped[policyEnd]];
    return Run<SecurityPolicy>(text, grammar, [&builder]() { return builder.policy; });
}

ParseResult<SetkeyScript>
SetkeyParser::ParseScript(const std::string& text)
{
    NS_LOG_FUNCTION(text.size());
    // Comments become blanks of the same length: the grammar needs no comment rule and every
    // line and column stays where it was in the caller's text.
    std::string blanked = text;
    bool inComment = false;
    for (char& c : blanked)
    {
        if (c == '\n')
        {
            inComment = false;
        }
        else if (c == '#' || inComment)
        {
            inComment = true;
            c = ' ';
        }
    }
    Builder builder;
    const auto grammar =
        x3::with<BuilderTag>(builder)[*(skipped[statement] > token[semicolon]) > token[scriptEnd]];
    return Run<SetkeyScript>(blanked, grammar, [&builder]() { return builder.script; });
}

std::string
SetkeyParser::Print(const SecurityPolicy& policy)
{
    std::string out = "spdadd ";
    if (!policy.options.empty())
    {
        out += policy.options + " ";
    }
    out += PrintRange(policy.source) + " " + PrintRange(policy.destination) + " " +
           policy.upper.ToString() + " -P " + ToString(policy.direction);
    if (policy.priority.has_value())
    {
        out += " prio " + std::to_string(*policy.priority);
    }
    out += " " + ToString(policy.action);
    for (const auto& request : policy.requests)
    {
        out += " " + PrintRequest(request);
    }
    return out + ";";
}

} // namespace ns3
