/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "security-policy-xml.h"

#include "ns3/log.h"
#include "ns3/xml-support.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <limits>
#include <memory>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SecurityPolicyXml");

namespace
{

using namespace xml_support;

/// Prefix bound to NAMESPACE on the elements we write; short to keep SIP bodies small.
const char* const kPrefix = "sp";

/// What Parse and ReadFrom return.
using Result = ParseResult<std::vector<SecurityPolicy>>;

/// A failure located at \p node.
Result
Fail(const xmlNode* node, const std::string& message)
{
    NS_LOG_DEBUG("line " << LineOf(node) << ": " << message);
    return Result::Fail(message, LineOf(node));
}

bool
InNamespace(const xmlNode* node)
{
    return node->ns != nullptr && node->ns->href != nullptr &&
           std::strcmp(C(node->ns->href), SecurityPolicyXml::NAMESPACE) == 0;
}

/// `<name>` plus where it lives, for messages about misplaced elements.
std::string
Describe(const xmlNode* node)
{
    std::string s = std::string("<") + C(node->name) + ">";
    if (node->ns == nullptr || node->ns->href == nullptr)
    {
        return s + " without namespace";
    }
    return InNamespace(node) ? s : s + " in namespace " + C(node->ns->href);
}

/**
 * Parse a canonical decimal: digits only, no sign, no leading zero, at most \p max.
 * Canonical only, so the value prints back as the same text.
 */
bool
ParseDecimal(const std::string& s, uint64_t max, uint64_t& value)
{
    if (s.empty() || s.size() > 10 || (s.size() > 1 && s[0] == '0'))
    {
        return false;
    }
    value = 0;
    for (char c : s)
    {
        if (c < '0' || c > '9')
        {
            return false;
        }
        value = value * 10 + uint64_t(c - '0');
    }
    return value <= max;
}

/// Strict dotted quad; ns3::Ipv4Address(const char*) accepts garbage silently.
bool
ParseIpv4(const std::string& s, Ipv4Address& addr)
{
    uint32_t bits = 0;
    size_t pos = 0;
    for (int i = 0; i < 4; ++i)
    {
        size_t end = i < 3 ? s.find('.', pos) : s.size();
        uint64_t octet = 0;
        if (end == std::string::npos || !ParseDecimal(s.substr(pos, end - pos), 255, octet))
        {
            return false;
        }
        bits = (bits << 8) | uint32_t(octet);
        pos = end + 1;
    }
    addr = Ipv4Address(bits);
    return true;
}

/// `addr`, `addr/plen`, `addr[port]`, `addr/plen[port]`, port `any`; empty error on success.
std::string
ParseRange(const std::string& text, AddressRange& range)
{
    std::string rest = text;
    range = AddressRange();
    // Checked first so `2001:db8::/64` is reported as IPv6, not as a bad prefix length.
    if (rest.find(':') != std::string::npos)
    {
        return "IPv6 address '" + rest + "' not supported";
    }
    size_t bracket = rest.find('[');
    if (bracket != std::string::npos)
    {
        // back() is ']' and bracket is '[', so bracket < size - 1.
        if (rest.back() != ']')
        {
            return "bad port in '" + text + "'";
        }
        std::string port = rest.substr(bracket + 1, rest.size() - bracket - 2);
        uint64_t n = 0;
        if (port != "any" && !ParseDecimal(port, 65535, n))
        {
            return "bad port '" + port + "' (0..65535 or any)";
        }
        range.portWritten = true;
        if (port != "any")
        {
            range.port = uint16_t(n);
        }
        rest.erase(bracket);
    }
    size_t slash = rest.find('/');
    if (slash != std::string::npos)
    {
        std::string plen = rest.substr(slash + 1);
        uint64_t n = 0;
        if (!ParseDecimal(plen, 32, n))
        {
            return "bad prefix length '" + plen + "' (0..32)";
        }
        range.prefixLength = uint8_t(n);
        range.prefixWritten = true;
        rest.erase(slash);
    }
    if (!ParseIpv4(rest, range.address))
    {
        return "bad IPv4 address '" + rest + "'";
    }
    return "";
}

std::string
RangeToString(const AddressRange& r)
{
    std::ostringstream os;
    os << r.address;
    // A prefix or port not marked written still matters for matching: write it anyway.
    if (r.prefixWritten || r.prefixLength != 32)
    {
        os << '/' << unsigned(r.prefixLength);
    }
    if (r.portWritten || r.port.has_value())
    {
        os << '[' << (r.port ? std::to_string(*r.port) : std::string("any")) << ']';
    }
    return os.str();
}

std::string
LevelToString(const IpsecRequest& r)
{
    std::string s = ToString(*r.level);
    if (*r.level == IpsecLevel::UNIQUE && r.uniqueId != 0)
    {
        s += ":" + std::to_string(r.uniqueId);
    }
    return s;
}

bool
ParseLevel(const std::string& s, IpsecRequest& r)
{
    const std::pair<const char*, IpsecLevel> names[] = {{"default", IpsecLevel::DEFAULT},
                                                        {"use", IpsecLevel::USE},
                                                        {"require", IpsecLevel::REQUIRE},
                                                        {"unique", IpsecLevel::UNIQUE}};
    for (const auto& [name, level] : names)
    {
        if (s == name)
        {
            r.level = level;
            return true;
        }
    }
    uint64_t id = 0;
    // unique:0 would read back as plain `unique`, so ids start at 1.
    if (s.compare(0, 7, "unique:") == 0 &&
        ParseDecimal(s.substr(7), std::numeric_limits<uint32_t>::max(), id) && id != 0)
    {
        r.level = IpsecLevel::UNIQUE;
        r.uniqueId = uint32_t(id);
        return true;
    }
    return false;
}

/// Options as setkey prints them: `-x` tokens separated by single blanks.
bool
ValidOptions(const std::string& s)
{
    bool tokenStart = true;
    for (size_t i = 0; i < s.size(); ++i)
    {
        char c = s[i];
        if (tokenStart)
        {
            if (c != '-' || i + 1 >= s.size() || !std::isalnum(uint8_t(s[i + 1])))
            {
                return false;
            }
            tokenStart = false;
        }
        else if (c == ' ')
        {
            tokenStart = true;
        }
        else if (!std::isalnum(uint8_t(c)))
        {
            return false;
        }
    }
    return !s.empty() && !tokenStart;
}

/**
 * The unprefixed attributes of an element, checked against the allowed names.
 * \return an error message naming an unknown or namespaced attribute, or empty
 */
std::string
ReadAttributes(const xmlNode* node,
               const std::vector<const char*>& allowed,
               std::vector<std::optional<std::string>>& values)
{
    values.assign(allowed.size(), std::nullopt);
    for (const xmlAttr* a = node->properties; a != nullptr; a = a->next)
    {
        std::string name = C(a->name);
        size_t i = 0;
        while (i < allowed.size() && (a->ns != nullptr || name != allowed[i]))
        {
            ++i;
        }
        if (i == allowed.size())
        {
            return "unknown attribute '" + name + "' on <" + C(node->name) + ">";
        }
        xmlChar* v = xmlNodeListGetString(node->doc, a->children, 1);
        values[i] = v != nullptr ? C(v) : "";
        xmlFree(v);
    }
    return "";
}

ParseResult<IpsecRequest>
ReadRule(const xmlNode* node)
{
    static const std::vector<const char*> attrs{"proto", "mode", "endpoints", "level"};
    auto fail = [node](const std::string& m) {
        return ParseResult<IpsecRequest>::Fail(m, LineOf(node));
    };
    std::vector<std::optional<std::string>> v;
    std::string error = ReadAttributes(node, attrs, v);
    if (!error.empty())
    {
        return fail(error);
    }
    for (size_t i = 0; i < 2; ++i)
    {
        if (!v[i])
        {
            return fail(std::string("missing attribute '") + attrs[i] + "' on <rule>");
        }
    }
    IpsecRequest r;
    if (*v[0] == "ah" || *v[0] == "esp" || *v[0] == "ipcomp")
    {
        r.protocol = *v[0] == "ah"    ? IpsecProtocol::AH
                     : *v[0] == "esp" ? IpsecProtocol::ESP
                                      : IpsecProtocol::IPCOMP;
    }
    else
    {
        return fail("bad rule proto '" + *v[0] + "' (ah, esp or ipcomp)");
    }
    if (*v[1] != "transport" && *v[1] != "tunnel")
    {
        return fail("bad rule mode '" + *v[1] + "' (transport or tunnel)");
    }
    r.mode = *v[1] == "tunnel" ? IpsecMode::TUNNEL : IpsecMode::TRANSPORT;
    r.endpointFieldWritten = v[2].has_value();
    if (r.mode == IpsecMode::TUNNEL)
    {
        const std::string ep = v[2].value_or("");
        size_t dash = ep.find('-');
        if (ep.empty())
        {
            return fail("tunnel mode needs endpoints 'A-B'");
        }
        if (dash == std::string::npos || !ParseIpv4(ep.substr(0, dash), r.tunnelSource) ||
            !ParseIpv4(ep.substr(dash + 1), r.tunnelDestination))
        {
            return fail("bad tunnel endpoints '" + ep + "' (IPv4 'A-B')");
        }
    }
    else if (v[2] && !v[2]->empty())
    {
        return fail("transport mode takes no endpoints");
    }
    if (v[3] && !ParseLevel(*v[3], r))
    {
        return fail("bad level '" + *v[3] + "' (default, use, require, unique[:id])");
    }
    if (node->children != nullptr)
    {
        const xmlNode* child = node->children;
        if (!NextElement(child, error))
        {
            return fail(error);
        }
        if (child != nullptr)
        {
            return ParseResult<IpsecRequest>::Fail("unexpected element in <rule>", LineOf(child));
        }
    }
    return ParseResult<IpsecRequest>::Ok(r);
}

ParseResult<SecurityPolicy>
ReadPolicy(const xmlNode* node)
{
    static const std::vector<const char*>
        attrs{"dir", "src", "dst", "proto", "action", "prio", "options"};
    auto fail = [](const xmlNode* n, const std::string& m) {
        return ParseResult<SecurityPolicy>::Fail(m, LineOf(n));
    };
    std::vector<std::optional<std::string>> v;
    std::string error = ReadAttributes(node, attrs, v);
    if (!error.empty())
    {
        return fail(node, error);
    }
    for (size_t i = 0; i < 5; ++i)
    {
        if (!v[i])
        {
            return fail(node, std::string("missing attribute '") + attrs[i] + "' on <policy>");
        }
    }
    SecurityPolicy p;
    if (*v[0] != "in" && *v[0] != "out" && *v[0] != "fwd")
    {
        return fail(node, "bad dir '" + *v[0] + "' (in, out or fwd)");
    }
    p.direction = *v[0] == "in" ? PolicyDirection::IN
                                : (*v[0] == "fwd" ? PolicyDirection::FWD : PolicyDirection::OUT);
    if (!(error = ParseRange(*v[1], p.source)).empty())
    {
        return fail(node, "src: " + error);
    }
    if (!(error = ParseRange(*v[2], p.destination)).empty())
    {
        return fail(node, "dst: " + error);
    }
    uint64_t number = 0;
    if (auto named = UpperProtocol::FromName(*v[3]))
    {
        p.upper = *named;
    }
    else if (ParseDecimal(*v[3], 255, number))
    {
        p.upper.number = int(number);
        p.upper.numeric = true;
    }
    else
    {
        return fail(node, "bad proto '" + *v[3] + "' (name, 0..255 or any)");
    }
    if (*v[4] == "discard")
    {
        p.action = PolicyAction::DISCARD;
    }
    else if (*v[4] == "none")
    {
        p.action = PolicyAction::NONE;
    }
    else if (*v[4] == "ipsec")
    {
        p.action = PolicyAction::IPSEC;
    }
    else
    {
        return fail(node, "bad action '" + *v[4] + "' (discard, none or ipsec)");
    }
    if (v[5])
    {
        // setkey allows negative priorities; the sign is the only extra over ParseDecimal.
        bool negative = !v[5]->empty() && (*v[5])[0] == '-';
        const uint64_t limit = negative ? 2147483648u : 2147483647u;
        if (!ParseDecimal(v[5]->substr(negative ? 1 : 0), limit, number) ||
            (negative && number == 0))
        {
            return fail(node, "bad prio '" + *v[5] + "'");
        }
        p.priority = negative ? int32_t(-int64_t(number)) : int32_t(number);
    }
    if (v[6])
    {
        if (!ValidOptions(*v[6]))
        {
            return fail(node, "bad options '" + *v[6] + "'");
        }
        p.options = *v[6];
    }
    const xmlNode* child = node->children;
    while (NextElement(child, error) && child != nullptr)
    {
        if (!InNamespace(child) || std::strcmp(C(child->name), "rule") != 0)
        {
            return fail(child,
                        std::string("expected <rule> in namespace ") +
                            SecurityPolicyXml::NAMESPACE + ", found " + Describe(child));
        }
        if (p.action != PolicyAction::IPSEC)
        {
            return fail(child, "<rule> only allowed under action=\"ipsec\"");
        }
        auto rule = ReadRule(child);
        if (!rule)
        {
            return ParseResult<SecurityPolicy>::Fail(rule.GetError(), rule.GetLine());
        }
        p.requests.push_back(rule.GetValue());
        child = child->next;
    }
    if (!error.empty())
    {
        return fail(child, error);
    }
    if (p.action == PolicyAction::IPSEC && p.requests.empty())
    {
        return fail(node, "action=\"ipsec\" needs at least one <rule>");
    }
    return ParseResult<SecurityPolicy>::Ok(std::move(p));
}

void
FillPolicies(xmlNode* element, xmlNs* ns, const std::vector<SecurityPolicy>& policies)
{
    for (const auto& p : policies)
    {
        xmlNode* pn = xmlNewChild(element, ns, X("policy"), nullptr);
        xmlSetProp(pn, X("dir"), X(ToString(p.direction).c_str()));
        xmlSetProp(pn, X("src"), X(RangeToString(p.source).c_str()));
        xmlSetProp(pn, X("dst"), X(RangeToString(p.destination).c_str()));
        xmlSetProp(pn, X("proto"), X(p.upper.ToString().c_str()));
        xmlSetProp(pn, X("action"), X(ToString(p.action).c_str()));
        if (p.priority)
        {
            xmlSetProp(pn, X("prio"), X(std::to_string(*p.priority).c_str()));
        }
        if (!p.options.empty())
        {
            xmlSetProp(pn, X("options"), X(p.options.c_str()));
        }
        for (const auto& r : p.requests)
        {
            xmlNode* rn = xmlNewChild(pn, ns, X("rule"), nullptr);
            xmlSetProp(rn, X("proto"), X(ToString(r.protocol).c_str()));
            xmlSetProp(rn, X("mode"), X(ToString(r.mode).c_str()));
            if (r.endpointFieldWritten)
            {
                std::string ep;
                if (r.mode == IpsecMode::TUNNEL)
                {
                    std::ostringstream os;
                    os << r.tunnelSource << '-' << r.tunnelDestination;
                    ep = os.str();
                }
                xmlSetProp(rn, X("endpoints"), X(ep.c_str()));
            }
            if (r.level)
            {
                xmlSetProp(rn, X("level"), X(LevelToString(r).c_str()));
            }
        }
    }
}

} // namespace

std::string
SecurityPolicyXml::Serialize(const std::vector<SecurityPolicy>& policies)
{
    NS_LOG_FUNCTION(policies.size());
    DocPtr doc(xmlNewDoc(X("1.0")));
    xmlNode* root = xmlNewDocNode(doc.get(), nullptr, X("policies"), nullptr);
    xmlDocSetRootElement(doc.get(), root);
    xmlNs* ns = xmlNewNs(root, X(NAMESPACE), X(kPrefix));
    xmlSetNs(root, ns);
    FillPolicies(root, ns, policies);

    return Dump(doc.get(), root);
}

ParseResult<std::vector<SecurityPolicy>>
SecurityPolicyXml::Parse(const std::string& xml)
{
    NS_LOG_FUNCTION(xml.size());
    auto doc = ReadDocument(xml, MAX_DOCUMENT_SIZE, "document", XML_PARSE_NOBLANKS);
    if (!doc)
    {
        return Result::Fail(doc.GetError(), doc.GetLine());
    }
    const xmlNode* root = xmlDocGetRootElement(doc.GetValue().get());
    return ReadFrom(root);
}

_xmlNode*
SecurityPolicyXml::AppendTo(_xmlNode* parent, const std::vector<SecurityPolicy>& policies)
{
    NS_LOG_FUNCTION(parent << policies.size());
    if (parent == nullptr)
    {
        return nullptr;
    }
    xmlNode* element = xmlNewChild(parent, nullptr, X("policies"), nullptr);
    // Declared here, so the element is correct whatever `sp` means in the host document.
    xmlNs* ns = xmlNewNs(element, X(NAMESPACE), X(kPrefix));
    xmlSetNs(element, ns);
    FillPolicies(element, ns, policies);
    return element;
}

ParseResult<std::vector<SecurityPolicy>>
SecurityPolicyXml::ReadFrom(const _xmlNode* element)
{
    NS_LOG_FUNCTION(element);
    if (element == nullptr || element->type != XML_ELEMENT_NODE)
    {
        return Result::Fail("no element");
    }
    if (std::strcmp(C(element->name), "policies") != 0)
    {
        return Fail(element, std::string("expected <policies>, found <") + C(element->name) + ">");
    }
    if (!InNamespace(element))
    {
        return Fail(element,
                    std::string("expected <policies> in namespace ") + NAMESPACE + ", found " +
                        Describe(element));
    }
    std::vector<std::optional<std::string>> none;
    std::string error = ReadAttributes(element, {}, none);
    if (!error.empty())
    {
        return Fail(element, error);
    }
    std::vector<SecurityPolicy> policies;
    const xmlNode* child = element->children;
    while (NextElement(child, error) && child != nullptr)
    {
        if (!InNamespace(child) || std::strcmp(C(child->name), "policy") != 0)
        {
            return Fail(child,
                        std::string("expected <policy> in namespace ") + NAMESPACE + ", found " +
                            Describe(child));
        }
        auto policy = ReadPolicy(child);
        if (!policy)
        {
            NS_LOG_DEBUG("line " << policy.GetLine() << ": " << policy.GetError());
            return Result::Fail(policy.GetError(), policy.GetLine());
        }
        policies.push_back(policy.TakeValue());
        child = child->next;
    }
    if (!error.empty())
    {
        return Fail(child, error);
    }
    return Result::Ok(std::move(policies));
}

} // namespace ns3
