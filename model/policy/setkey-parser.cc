/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "setkey-parser.h"

#include "ns3/log.h"

#include <boost/spirit/home/x3.hpp>
#include <cstdint>
#include <cstring>
#include <exception>
#include <iterator>
#include <limits>
#include <sstream>
#include <type_traits>
#include <vector>

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
    SecurityPolicy policy;      //!< the `spdadd` statement being parsed
    IpsecRequest request;       //!< the IPsec rule being parsed
    SecurityAssociation sa;     //!< the `add` statement being parsed
    SetkeySaForm form;          //!< how the `add` statement is written
    unsigned extensions{0};     //!< bits of the `add` extensions seen so far (each is allowed once)
    std::string encryptionName; //!< `-E` algorithm as written (for messages)
    std::string authenticationName; //!< `-A` algorithm as written (for messages)
    Iterator algorithmStart;        //!< where `-E` of the `add` statement is (for messages)
    SetkeyScript script;            //!< the statements parsed so far (ParseScript only)
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
 * written; the value is checked digit by digit, so a run of any length fails (early) instead
 * of overflowing. On failure nothing is consumed, so the error points at the number.
 */
template <typename T, int64_t Min, uint64_t Max>
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
        // The largest magnitude allowed: Max, or -Min (computed without overflow) if negative.
        const uint64_t limit = negative ? static_cast<uint64_t>(-(Min + 1)) + 1 : Max;
        const It digits = it;
        uint64_t value = 0;
        while (it != last && *it >= '0' && *it <= '9')
        {
            const auto d = static_cast<uint64_t>(*it - '0');
            if (it != digits && *digits == '0')
            {
                return false; // a leading zero
            }
            if (d > limit || value > (limit - d) / 10)
            {
                return false; // out of range
            }
            value = value * 10 + d;
            ++it;
        }
        if (it == digits || (negative && value == 0))
        {
            return false;
        }
        if (!negative && Min > 0 && value < static_cast<uint64_t>(Min))
        {
            return false;
        }
        const T result =
            negative ? static_cast<T>(-static_cast<int64_t>(value - 1) - 1) : static_cast<T>(value);
        x3::traits::move_to(result, attr);
        first = it;
        return true;
    }
};

/**
 * \param c a character
 * \return its value as a hex digit, or -1
 */
int
HexValue(char c)
{
    if (c >= '0' && c <= '9')
    {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f')
    {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F')
    {
        return c - 'A' + 10;
    }
    return -1;
}

/**
 * An SPI or CPI in [Min, Max]: a canonical decimal number, or `0x` and 1..8 hex digits (either
 * case; leading zeros allowed, as in zero-padded `0x00001000`). On failure nothing is consumed.
 */
template <uint32_t Min, uint32_t Max>
struct SpiParser : x3::parser<SpiParser<Min, Max>>
{
    using attribute_type = uint32_t;        //!< the parsed value
    static const bool has_attribute = true; //!< it has one

    /**
     * \param first where to start; advanced past the number on success
     * \param last end of input
     * \param ctx the context (for the skipper)
     * \param rctx the rule context
     * \param attr receives the value
     * \return true if a number in range was read
     */
    template <typename It, typename Context, typename RContext, typename Attribute>
    bool parse(It& first, const It& last, const Context& ctx, RContext& rctx, Attribute& attr) const
    {
        x3::skip_over(first, last, ctx);
        It it = first;
        if (it == last || *it != '0' || ++it == last || *it != 'x')
        {
            return DecimalParser<uint32_t, Min, Max>{}.parse(first, last, ctx, rctx, attr);
        }
        ++it;
        uint64_t value = 0;
        int count = 0;
        while (it != last && HexValue(*it) >= 0)
        {
            if (++count > 8)
            {
                return false;
            }
            value = value * 16 + static_cast<uint64_t>(HexValue(*it));
            ++it;
        }
        if (count == 0 || value < Min || value > Max)
        {
            return false;
        }
        x3::traits::move_to(static_cast<uint32_t>(value), attr);
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
    using attribute_type = x3::unused_type;                   //!< no value
    [[maybe_unused]] static const bool has_attribute = false; //!< no value

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

/**
 * \param range a piece of the input
 * \return it as a string, shortened for quoting in a message
 */
template <typename Range>
std::string
Quote(const Range& range)
{
    std::string word(range.begin(), range.end());
    if (word.size() > kMaxQuoted)
    {
        word = word.substr(0, kMaxQuoted) + "...";
    }
    return word;
}

const auto startPolicy = [](auto& ctx) { GetBuilder(ctx).policy = SecurityPolicy(); };

/**
 * Options are kept as written (space-joined); `-6` is refused at its `6`.
 * \param select gives the string of the Builder that receives them
 * \return the semantic action
 */
template <typename Select>
auto
AddOption(Select select)
{
    return [select](auto& ctx) {
        const auto& range = x3::_attr(ctx);
        for (auto it = range.begin(); it != range.end(); ++it)
        {
            if (*it == '6')
            {
                throw SetkeyError{it, kIpv6Unsupported};
            }
        }
        std::string& options = select(GetBuilder(ctx));
        options += (options.empty() ? "" : " ") + std::string(range.begin(), range.end());
    };
}

const auto addOption = AddOption([](Builder& b) -> std::string& { return b.policy.options; });
const auto addSaOption = AddOption([](Builder& b) -> std::string& { return b.form.options; });
const auto setSource = [](auto& ctx) { GetBuilder(ctx).policy.source = x3::_attr(ctx); };
const auto setDestination = [](auto& ctx) { GetBuilder(ctx).policy.destination = x3::_attr(ctx); };
const auto setUpper = [](auto& ctx) { GetBuilder(ctx).policy.upper = x3::_attr(ctx); };
const auto setIn = [](auto& ctx) { GetBuilder(ctx).policy.direction = PolicyDirection::IN; };
const auto setOut = [](auto& ctx) { GetBuilder(ctx).policy.direction = PolicyDirection::OUT; };
const auto setFwd = [](auto& ctx) { GetBuilder(ctx).policy.direction = PolicyDirection::FWD; };
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
const auto pushSa = [](auto& ctx) {
    Builder& b = GetBuilder(ctx);
    b.script.associations.push_back(b.sa);
    b.script.associationForms.push_back(b.form);
};
/// As in setkey, a flush takes effect where it stands: earlier statements are dropped.
const auto setFlush = [](auto& ctx) {
    SetkeyScript& script = GetBuilder(ctx).script;
    script.flush = true;
    script.associations.clear();
    script.associationForms.clear();
};
const auto setSpdflush = [](auto& ctx) {
    SetkeyScript& script = GetBuilder(ctx).script;
    script.spdflush = true;
    script.policies.clear();
};
/// Statements other than add/spdadd/flush/spdflush (get, delete, spddelete, ...) are named back.
const auto unsupportedStatement = [](auto& ctx) {
    const auto& range = x3::_attr(ctx);
    throw SetkeyError{range.begin(), "unsupported statement '" + Quote(range) + "'"};
};

// --- `add` statements ---

/// No `-r`: setkey(8) does no replay check; the `any` mode is setkey's default.
const auto startSa = [](auto& ctx) {
    Builder& b = GetBuilder(ctx);
    b.sa = SecurityAssociation();
    b.sa.replayWindow = 0;
    b.form = SetkeySaForm();
    b.form.modeAny = true;
    b.extensions = 0;
    b.encryptionName.clear();
    b.authenticationName.clear();
};
const auto setSaSource = [](auto& ctx) { GetBuilder(ctx).sa.source = Ipv4Address(x3::_attr(ctx)); };
const auto setSaDestination = [](auto& ctx) {
    GetBuilder(ctx).sa.destination = Ipv4Address(x3::_attr(ctx));
};
const auto setSaEsp = [](auto& ctx) { GetBuilder(ctx).sa.protocol = IpsecProtocol::ESP; };
const auto setSaAh = [](auto& ctx) { GetBuilder(ctx).sa.protocol = IpsecProtocol::AH; };
const auto setSaIpcomp = [](auto& ctx) { GetBuilder(ctx).sa.protocol = IpsecProtocol::IPCOMP; };
const auto unsupportedSaProtocol = [](auto& ctx) {
    throw SetkeyError{x3::_attr(ctx).begin(),
                      "unsupported SA protocol '" + Quote(x3::_attr(ctx)) +
                          "' (presec supports esp, ah and ipcomp)"};
};
const auto setSpi = [](auto& ctx) { GetBuilder(ctx).sa.spi = x3::_attr(ctx); };

/// Bits of Builder::extensions.
enum ExtensionBit : unsigned
{
    EXT_MODE = 1,
    EXT_REPLAY = 2,
    EXT_REQID = 4,
    EXT_HARD_TIME = 8,
    EXT_SOFT_TIME = 16,
    EXT_HARD_BYTES = 32,
    EXT_SOFT_BYTES = 64,
};

/**
 * \param bit the extension's bit
 * \return an action on the extension's flag that refuses a second one
 */
auto
Once(ExtensionBit bit)
{
    return [bit](auto& ctx) {
        Builder& b = GetBuilder(ctx);
        const auto& range = x3::_attr(ctx);
        if (b.extensions & bit)
        {
            throw SetkeyError{range.begin(),
                              "duplicate extension " + Quote(range) +
                                  " (each extension may be given once)"};
        }
        b.extensions |= bit;
    };
}

const auto setSaTransport = [](auto& ctx) {
    Builder& b = GetBuilder(ctx);
    b.sa.mode = IpsecMode::TRANSPORT;
    b.form.modeAny = false;
};
const auto setSaTunnel = [](auto& ctx) {
    Builder& b = GetBuilder(ctx);
    b.sa.mode = IpsecMode::TUNNEL;
    b.form.modeAny = false;
};
const auto setSaAny = [](auto& ctx) {
    Builder& b = GetBuilder(ctx);
    b.sa.mode = IpsecMode::TRANSPORT;
    b.form.modeAny = true;
};
/// setkey's `-r` counts bytes of the replay bitmap: 8 packets each.
const auto setReplay = [](auto& ctx) { GetBuilder(ctx).sa.replayWindow = 8 * x3::_attr(ctx); };
const auto setReqid = [](auto& ctx) { GetBuilder(ctx).sa.reqid = x3::_attr(ctx); };
const auto setHardTime = [](auto& ctx) {
    GetBuilder(ctx).sa.lifetime.hardTime = Time::FromInteger(x3::_attr(ctx), Time::S);
};
const auto setSoftTime = [](auto& ctx) {
    GetBuilder(ctx).sa.lifetime.softTime = Time::FromInteger(x3::_attr(ctx), Time::S);
};
const auto setHardBytes = [](auto& ctx) { GetBuilder(ctx).sa.lifetime.hardBytes = x3::_attr(ctx); };
const auto setSoftBytes = [](auto& ctx) { GetBuilder(ctx).sa.lifetime.softBytes = x3::_attr(ctx); };
/// setkey extensions presec does not model are named, with the reason.
const auto unsupportedExtension = [](auto& ctx) {
    const auto& range = x3::_attr(ctx);
    const std::string flag(range.begin(), range.end());
    const char* why = flag == "-f"     ? "ESP padding and sequence-number options are not modelled"
                      : flag == "-ctx" ? "security labels are not modelled"
                                       : "NAT traversal is not modelled";
    throw SetkeyError{range.begin(), "unsupported extension " + flag + " (" + why + ")"};
};
/// setkey reads the extensions before the algorithm only; say so rather than "expected ';'".
const auto misplacedExtension = [](auto& ctx) {
    const auto& range = x3::_attr(ctx);
    throw SetkeyError{range.begin(),
                      "extension " + Quote(range) + " must come before the algorithm"};
};

/**
 * \param sizes key lengths in bytes
 * \return "must be empty" or "must be 16 or 32 bytes"
 */
std::string
DescribeKeySizes(const std::vector<unsigned>& sizes)
{
    if (sizes.size() == 1 && sizes[0] == 0)
    {
        return "must be empty";
    }
    std::string text = "must be ";
    for (std::size_t i = 0; i < sizes.size(); ++i)
    {
        text += (i == 0 ? "" : (i + 1 == sizes.size() ? " or " : ", ")) + std::to_string(sizes[i]);
    }
    return text + " bytes";
}

/**
 * \param name a setkey encryption name presec knows
 * \return the key lengths it accepts (AES: one per key size)
 */
std::vector<unsigned>
EncryptionKeySizes(const std::string& name)
{
    const char* canonical = GetProperties(*EncryptionFromSetkeyName(name, 0)).setkeyName;
    std::vector<unsigned> sizes;
    for (int a = 0; a <= static_cast<int>(EncryptionAlgorithm::CHACHA20_POLY1305); ++a)
    {
        const auto& p = GetProperties(static_cast<EncryptionAlgorithm>(a));
        if (std::strcmp(p.setkeyName, canonical) == 0)
        {
            sizes.push_back(p.keyBytes);
        }
    }
    return sizes;
}

/**
 * \param range a key as written: `0x` and hex digits, or a quoted string
 * \return its bytes (throws SetkeyError on an odd number of hex digits)
 */
template <typename Range>
std::vector<uint8_t>
KeyBytes(const Range& range)
{
    auto it = range.begin();
    std::vector<uint8_t> bytes;
    if (*it == '"')
    {
        bytes.assign(std::next(it), std::prev(range.end()));
        return bytes;
    }
    std::advance(it, 2);
    const auto digits = static_cast<std::size_t>(std::distance(it, range.end()));
    if (digits % 2 != 0)
    {
        throw SetkeyError{range.begin(),
                          "a hex key needs an even number of digits, got " +
                              std::to_string(digits)};
    }
    bytes.reserve(digits / 2);
    while (it != range.end())
    {
        const int high = HexValue(*it++);
        const int low = HexValue(*it++);
        bytes.push_back(static_cast<uint8_t>(high * 16 + low));
    }
    return bytes;
}

/**
 * \param where the key (or where it is missing)
 * \param name the algorithm as written
 * \param sizes the key lengths it accepts
 * \param got the key length given
 */
void
CheckKeySize(Iterator where,
             const std::string& name,
             const std::vector<unsigned>& sizes,
             std::size_t got)
{
    for (unsigned size : sizes)
    {
        if (size == got)
        {
            return;
        }
    }
    // "must be 16 or 32 bytes, got 10"; "must be empty, got 1 byte"
    const bool empty = sizes.size() == 1 && sizes[0] == 0;
    throw SetkeyError{where,
                      "key for " + name + " " + DescribeKeySizes(sizes) + ", got " +
                          std::to_string(got) + (empty ? (got == 1 ? " byte" : " bytes") : "")};
}

const auto setEncryptionName = [](auto& ctx) {
    const auto& range = x3::_attr(ctx);
    const std::string name(range.begin(), range.end());
    if (!EncryptionFromSetkeyName(name, 0))
    {
        throw SetkeyError{range.begin(),
                          "unsupported encryption algorithm '" + Quote(range) +
                              "' (presec supports aes-cbc, aes-gcm-16, 3des-cbc, "
                              "chacha20-poly1305 and null)"};
    }
    GetBuilder(ctx).encryptionName = name;
};
/// The key length picks AES-128 or AES-256 and must be one the algorithm takes.
const auto setEncryptionKey = [](auto& ctx) {
    Builder& b = GetBuilder(ctx);
    const auto& range = x3::_attr(ctx);
    auto key = KeyBytes(range);
    CheckKeySize(range.begin(), b.encryptionName, EncryptionKeySizes(b.encryptionName), key.size());
    b.sa.encryption = *EncryptionFromSetkeyName(b.encryptionName, key.size());
    b.sa.encryptionKey = std::move(key);
};
/// No key: only for an algorithm that takes none (null); else the key is expected here.
const auto noEncryptionKey = [](auto& ctx) {
    Builder& b = GetBuilder(ctx);
    const auto sizes = EncryptionKeySizes(b.encryptionName);
    x3::_pass(ctx) = sizes.size() == 1 && sizes[0] == 0;
    b.sa.encryption = *EncryptionFromSetkeyName(b.encryptionName, 0);
    b.sa.encryptionKey.clear();
};
/// An AEAD cipher brings its own integrity check (RFC 4106 §8, RFC 7634 §2).
const auto checkNotAead = [](auto& ctx) {
    const Builder& b = GetBuilder(ctx);
    if (GetProperties(b.sa.encryption).aeadIcvBytes != 0)
    {
        throw SetkeyError{x3::_attr(ctx).begin(),
                          b.encryptionName +
                              " is an AEAD cipher with its own integrity check; it takes no -A"};
    }
};
/// setkey's FreeBSD spelling hmac-sha2-256 (also read by ipsec-tools) is an alias.
const auto setAuthenticationName = [](auto& ctx) {
    const auto& range = x3::_attr(ctx);
    const std::string name(range.begin(), range.end());
    const auto algorithm =
        AuthenticationFromSetkeyName(name == "hmac-sha2-256" ? "hmac-sha256" : name);
    if (!algorithm)
    {
        throw SetkeyError{range.begin(),
                          "unsupported authentication algorithm '" + Quote(range) +
                              "' (presec supports hmac-sha1, hmac-sha256 and null)"};
    }
    Builder& b = GetBuilder(ctx);
    b.authenticationName = name;
    b.sa.authentication = *algorithm;
    const std::string refused =
        SecurityAssociation::CheckIntegrity(b.sa.protocol, b.sa.encryption, *algorithm);
    if (!refused.empty())
    {
        throw SetkeyError{range.begin(), refused};
    }
};
const auto rememberEncryption = [](auto& ctx) {
    GetBuilder(ctx).algorithmStart = x3::_attr(ctx).begin();
};
/// ESP with neither an AEAD cipher nor -A is refused at its `-E`.
const auto checkEspIntegrity = [](auto& ctx) {
    const Builder& b = GetBuilder(ctx);
    const std::string refused =
        SecurityAssociation::CheckIntegrity(b.sa.protocol, b.sa.encryption, b.sa.authentication);
    if (!refused.empty())
    {
        throw SetkeyError{b.algorithmStart, refused};
    }
};
const auto setAuthenticationKey = [](auto& ctx) {
    Builder& b = GetBuilder(ctx);
    const auto& range = x3::_attr(ctx);
    auto key = KeyBytes(range);
    CheckKeySize(range.begin(),
                 b.authenticationName,
                 {GetProperties(b.sa.authentication).keyBytes},
                 key.size());
    b.sa.authenticationKey = std::move(key);
};
const auto noAuthenticationKey = [](auto& ctx) {
    Builder& b = GetBuilder(ctx);
    x3::_pass(ctx) = GetProperties(b.sa.authentication).keyBytes == 0;
    b.sa.authenticationKey.clear();
};
const auto unsupportedCompression = [](auto& ctx) {
    throw SetkeyError{x3::_attr(ctx).begin(),
                      "unsupported compression algorithm '" + Quote(x3::_attr(ctx)) +
                          "' (presec supports deflate)"};
};
const auto setRawCpi = [](auto& ctx) { GetBuilder(ctx).form.rawCpi = true; };
/// IPComp has no ICV and no sequence number, so no anti-replay window (RFC 4303 §1): a `-r`
/// is accepted, as setkey does, and means nothing.
const auto clearIpcompWindow = [](auto& ctx) { GetBuilder(ctx).sa.replayWindow = 0; };

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
    (Ipv6Guard{} >> &digit)
    > octet[startAddress] > dot > octet[shiftInOctet] > dot > octet[shiftInOctet] > dot
    > octet[shiftInOctet] > addressEnd;

// src_range, dst_range:  address | address/prefixlen | address[port] | address/prefixlen[port]
const auto prefixLength = x3::rule<class PrefixLengthId, uint32_t>{"prefix length 0..32"} =
    DecimalParser<uint32_t, 0, 32>{};
const auto port = x3::rule<class PortId, int32_t>{"port 0..65535 or any"} =
    Kw("any")[anyPort] | DecimalParser<int32_t, 0, 65535>{}[copyValue];
const auto closeBracket = x3::rule<class CloseBracketId>{"']'"} = x3::lit(']');
const auto rangeBody = (ipv4[rangeAddress]
                        >> -(x3::lit('/') > prefixLength[rangePrefix])
                        >> -(x3::lit('[') > port[rangePort] > closeBracket))
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
const auto direction = x3::rule<class DirectionId>{"direction in, out or fwd"} =
    Kw("in")[setIn] | Kw("out")[setOut] | Kw("fwd")[setFwd];
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
    (x3::eps[startRequest] >> ipsecProtocol) > slash > mode > endOfToken;

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

// add [-46n] src dst protocol spi [extensions] algorithm
const auto saOption = x3::rule<class SaOptionId>{"option -4, -6 or -n"} =
    x3::raw[x3::lit('-') > optionLetters][addSaOption];
const auto saAddressEnd =
    x3::rule<class SaAddressEndId>{"end of the address (an SA takes no prefix length or port)"} =
        endOfToken;
const auto saSource = x3::rule<class SaSourceId, uint32_t>{"source address"} =
    ipv4 > saAddressEnd;
const auto saDestination = x3::rule<class SaDestinationId, uint32_t>{"destination address"} =
    ipv4 > saAddressEnd;
const auto spi = x3::rule<class SpiId, uint32_t>{
    "SPI 256..4294967295 (decimal or 0x hex; 0..255 are reserved)"} =
    SpiParser<256, 0xffffffffu>{} > endOfToken;
const auto cpi = x3::rule<class CpiId, uint32_t>{"CPI 1..65535 (decimal or 0x hex)"} =
    SpiParser<1, 65535>{} > endOfToken;

// extensions
const auto saMode = x3::rule<class SaModeId>{"mode transport, tunnel or any"} =
    Kw("transport")[setSaTransport] | Kw("tunnel")[setSaTunnel] | Kw("any")[setSaAny];
const auto replaySize = x3::rule<class ReplaySizeId, uint32_t>{
    "replay window size in bytes 0..536870911 (8 packets per byte)"} =
    DecimalParser<uint32_t, 0, 536870911>{} > endOfToken;
const auto reqid = x3::rule<class ReqidId, uint32_t>{"reqid 1..32767"} =
    DecimalParser<uint32_t, 1, 32767>{} > endOfToken;
const auto lifeSeconds = x3::rule<class LifeSecondsId, uint32_t>{
    "lifetime in seconds 0..4294967295"} =
    DecimalParser<uint32_t, 0, std::numeric_limits<uint32_t>::max()>{} > endOfToken;
const auto lifeBytes = x3::rule<class LifeBytesId, uint64_t>{
    "lifetime in bytes 0..18446744073709551615"} =
    DecimalParser<uint64_t, 0, std::numeric_limits<uint64_t>::max()>{} > endOfToken;
const auto unsupportedFlag =
    Kw("-f") | Kw("-ctx") | Kw("-esp_frag") | Kw("-natt_mtu") | Kw("-natt");
const auto extension = x3::rule<class ExtensionId>{"extension"} =
    (token[x3::raw[Kw("-m")]][Once(EXT_MODE)] > token[saMode])
    | (token[x3::raw[Kw("-r")]][Once(EXT_REPLAY)] > token[replaySize[setReplay]])
    | (token[x3::raw[Kw("-u")]][Once(EXT_REQID)] > token[reqid[setReqid]])
    | (token[x3::raw[Kw("-lh")]][Once(EXT_HARD_TIME)] > token[lifeSeconds[setHardTime]])
    | (token[x3::raw[Kw("-ls")]][Once(EXT_SOFT_TIME)] > token[lifeSeconds[setSoftTime]])
    | (token[x3::raw[Kw("-bh")]][Once(EXT_HARD_BYTES)] > token[lifeBytes[setHardBytes]])
    | (token[x3::raw[Kw("-bs")]][Once(EXT_SOFT_BYTES)] > token[lifeBytes[setSoftBytes]])
    | token[x3::raw[unsupportedFlag]][unsupportedExtension];
const auto lateExtension = x3::raw[Kw("-m") | Kw("-r") | Kw("-u") | Kw("-lh") | Kw("-ls")
                                   | Kw("-bh") | Kw("-bs") | unsupportedFlag][misplacedExtension];

// keys:  0x and hex digits, or "printable ASCII"
const auto hexDigit = x3::char_('0', '9') | x3::char_('a', 'f') | x3::char_('A', 'F');
const auto closingQuote = x3::rule<class ClosingQuoteId>{
    "'\"' closing the key (a quoted key is printable ASCII on one line)"} = x3::lit('"');
const auto keyText = x3::raw[(x3::lit("0x") >> +hexDigit)
    | (x3::lit('"') > *(x3::char_(' ', '~') - x3::lit('"')) > closingQuote)];
const auto algorithmName = (letter | digit) >> *wordChar;

// -E ealgo key [-A aalgo key] | -A aalgo key | -C deflate [-R]
const auto encryptionName = x3::rule<class EncryptionNameId>{
    "encryption algorithm aes-cbc, aes-gcm-16, 3des-cbc, chacha20-poly1305 or null"} =
    x3::raw[algorithmName][setEncryptionName] > endOfToken;
const auto encryptionKey = x3::rule<class EncryptionKeyId>{
    "key (0x and hex digits, or a \"quoted string\")"} =
    (keyText[setEncryptionKey] > endOfToken) | x3::eps[noEncryptionKey];
const auto authenticationName = x3::rule<class AuthenticationNameId>{
    "authentication algorithm hmac-sha1, hmac-sha256 or null"} =
    x3::raw[algorithmName][setAuthenticationName] > endOfToken;
const auto authenticationKey = x3::rule<class AuthenticationKeyId>{
    "key (0x and hex digits, or a \"quoted string\")"} =
    (keyText[setAuthenticationKey] > endOfToken) | x3::eps[noAuthenticationKey];
const auto compressionName = x3::rule<class CompressionNameId>{"compression algorithm deflate"} =
    (Kw("deflate") | x3::raw[algorithmName][unsupportedCompression]) > endOfToken;
const auto espAlgorithm = x3::rule<class EspAlgorithmId>{
    "extension or algorithm -E ealgo key [-A aalgo key]"} =
    token[x3::raw[Kw("-E")]][rememberEncryption] > token[encryptionName] > token[encryptionKey]
    > -(token[x3::raw[Kw("-A")]][checkNotAead] > token[authenticationName]
        > token[authenticationKey])
    > x3::eps[checkEspIntegrity];
const auto ahAlgorithm = x3::rule<class AhAlgorithmId>{"extension or algorithm -A aalgo key"} =
    token[Kw("-A")] > token[authenticationName] > token[authenticationKey];
const auto ipcompAlgorithm =
    x3::rule<class IpcompAlgorithmId>{"extension or algorithm -C deflate [-R]"} =
        token[Kw("-C")] > token[compressionName] > -token[Kw("-R")][setRawCpi]
        > x3::eps[clearIpcompWindow];

const auto saBody = x3::rule<class SaBodyId>{"SA protocol esp, ah or ipcomp"} =
    (token[Kw("esp")][setSaEsp] > token[spi[setSpi]] > *skipped[extension] > skipped[espAlgorithm])
    | (token[Kw("ah")][setSaAh] > token[spi[setSpi]] > *skipped[extension] > skipped[ahAlgorithm])
    | (token[Kw("ipcomp")][setSaIpcomp] > token[cpi[setSpi]] > *skipped[extension]
        > skipped[ipcompAlgorithm])
    | token[x3::raw[letter >> *wordChar][unsupportedSaProtocol]];
const auto saAdd = x3::rule<class SaAddId>{"add statement"} =
    token[Kw("add")][startSa]
    > *token[saOption]
    > token[saSource[setSaSource]]
    > token[saDestination[setSaDestination]]
    > skipped[saBody]
    > -token[lateExtension];

// A lone statement (ParsePolicy, ParseSa): the `;` may be left out, but nothing may follow it.
const auto semicolon = x3::rule<class SemicolonId>{"';'"} = x3::lit(';');
const auto endOfInput = x3::rule<class EndOfInputId>{"end of input"} = x3::eoi;
const auto policyEnd = x3::rule<class PolicyEndId>{"';' or end of input"} =
    (token[semicolon] > token[endOfInput]) | token[endOfInput];

// A file (ParseScript): statements each ended by `;`.
const auto unsupported = x3::rule<class UnsupportedId>{"statement"} =
    x3::raw[letter >> *wordChar][unsupportedStatement];
const auto statement =
    x3::rule<class StatementId>{"statement add, spdadd, flush or spdflush"} =
    spdadd[pushPolicy]
    | saAdd[pushSa]
    | token[Kw("spdflush")][setSpdflush]
    | token[Kw("flush")][setFlush]
    | token[unsupported];
const auto scriptEnd =
    x3::rule<class ScriptEndId>{"statement add, spdadd, flush or spdflush, or end of input"} =
        x3::eoi;

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

/**
 * \param key a key
 * \return `0x` and two lowercase hex digits per byte, or `""` for an empty key
 */
std::string
PrintKey(const std::vector<uint8_t>& key)
{
    if (key.empty())
    {
        return "\"\"";
    }
    static const char* const kHex = "0123456789abcdef";
    std::string out = "0x";
    for (uint8_t byte : key)
    {
        out += kHex[byte >> 4];
        out += kHex[byte & 0xf];
    }
    return out;
}

/**
 * \param a an authentication algorithm
 * \return its setkey name; SHA-256 as `hmac-sha2-256`, which both FreeBSD's and ipsec-tools'
 *         setkey read (`hmac-sha256` is ipsec-tools only)
 */
std::string
PrintAuthenticationName(AuthenticationAlgorithm a)
{
    return a == AuthenticationAlgorithm::HMAC_SHA256_128 ? "hmac-sha2-256"
                                                         : GetProperties(a).setkeyName;
}

/**
 * \param t a lifetime
 * \return it in whole seconds, rounded up (0 for none)
 */
int64_t
WholeSeconds(Time t)
{
    if (!t.IsStrictlyPositive())
    {
        return 0;
    }
    int64_t seconds = t.ToInteger(Time::S);
    if (Time::FromInteger(static_cast<uint64_t>(seconds), Time::S) < t)
    {
        ++seconds;
    }
    return seconds;
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

ParseResult<SecurityAssociation>
SetkeyParser::ParseSa(const std::string& text, SetkeySaForm* form)
{
    NS_LOG_FUNCTION(text.size());
    Builder builder;
    const auto grammar =
        x3::with<BuilderTag>(builder)[x3::eps > skipped[saAdd] > skipped[policyEnd]];
    auto result = Run<SecurityAssociation>(text, grammar, [&builder]() { return builder.sa; });
    if (result.IsOk() && form != nullptr)
    {
        *form = builder.form;
    }
    return result;
}

ParseResult<SetkeyScript>
SetkeyParser::ParseScript(const std::string& text)
{
    NS_LOG_FUNCTION(text.size());
    // Comments become blanks of the same length: the grammar needs no comment rule and every
    // line and column stays where it was in the caller's text. A `#` inside a quoted key is
    // part of the key (quoted keys end on their line).
    std::string blanked = text;
    bool inComment = false;
    bool inQuote = false;
    for (char& c : blanked)
    {
        if (c == '\n')
        {
            inComment = false;
            inQuote = false;
        }
        else if (inComment || (c == '#' && !inQuote))
        {
            inComment = true;
            c = ' ';
        }
        else if (c == '"')
        {
            inQuote = !inQuote;
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

std::string
SetkeyParser::PrintSa(const SecurityAssociation& sa, const SetkeySaForm& form)
{
    std::ostringstream os;
    os << "add ";
    if (!form.options.empty())
    {
        os << form.options << ' ';
    }
    os << sa.source << ' ' << sa.destination << ' ' << ToString(sa.protocol) << " 0x" << std::hex
       << sa.spi << std::dec << " -m ";
    if (sa.mode == IpsecMode::TUNNEL)
    {
        os << "tunnel";
    }
    else
    {
        os << (form.modeAny ? "any" : "transport");
    }
    if (sa.replayWindow != 0 && sa.protocol != IpsecProtocol::IPCOMP) // IPComp has none
    {
        os << " -r " << (sa.replayWindow / 8 + (sa.replayWindow % 8 != 0 ? 1 : 0));
    }
    if (sa.reqid != 0)
    {
        os << " -u " << sa.reqid;
    }
    if (WholeSeconds(sa.lifetime.hardTime) != 0)
    {
        os << " -lh " << WholeSeconds(sa.lifetime.hardTime);
    }
    if (WholeSeconds(sa.lifetime.softTime) != 0)
    {
        os << " -ls " << WholeSeconds(sa.lifetime.softTime);
    }
    if (sa.lifetime.hardBytes != 0)
    {
        os << " -bh " << sa.lifetime.hardBytes;
    }
    if (sa.lifetime.softBytes != 0)
    {
        os << " -bs " << sa.lifetime.softBytes;
    }
    switch (sa.protocol)
    {
    case IpsecProtocol::ESP:
        os << " -E " << GetProperties(sa.encryption).setkeyName;
        if (sa.encryption != EncryptionAlgorithm::NULL_ENC || !sa.encryptionKey.empty())
        {
            os << ' ' << PrintKey(sa.encryptionKey);
        }
        if (sa.authentication != AuthenticationAlgorithm::NONE)
        {
            os << " -A " << PrintAuthenticationName(sa.authentication) << ' '
               << PrintKey(sa.authenticationKey);
        }
        break;
    case IpsecProtocol::AH:
        os << " -A " << PrintAuthenticationName(sa.authentication);
        if (sa.authentication != AuthenticationAlgorithm::NONE || !sa.authenticationKey.empty())
        {
            os << ' ' << PrintKey(sa.authenticationKey);
        }
        break;
    case IpsecProtocol::IPCOMP:
        os << " -C deflate" << (form.rawCpi ? " -R" : "");
        break;
    }
    os << ';';
    return os.str();
}

} // namespace ns3
