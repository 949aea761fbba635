/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pidf-codec.h"

#include "ns3/log.h"
#include "ns3/security-policy-xml.h"
#include "ns3/text-util.h"
#include "ns3/xml-support.h"

#include <cctype>
#include <cstring>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <memory>
#include <sstream>

namespace ns3
{

using text::Trim;

NS_LOG_COMPONENT_DEFINE("PidfCodec");

namespace
{

using namespace xml_support;

using Result = ParseResult<PresenceDocument>;

/// Outcome of reading one element into the document being built.
using Status = ElementStatus;
constexpr auto Ok = ElementOk;
constexpr auto Fail = ElementFail;
constexpr auto InNs = InNamespace;

const char*
NsOf(const xmlNode* node)
{
    return node->ns != nullptr && node->ns->href != nullptr ? C(node->ns->href) : nullptr;
}

bool
Is(const xmlNode* node, const char* uri, const char* name)
{
    return InNs(node, uri) && std::strcmp(C(node->name), name) == 0;
}

/// `<name>` and, outside the PIDF namespace, which namespace, for messages.
std::string
Describe(const xmlNode* node)
{
    std::string s = std::string("<") + C(node->name) + ">";
    const char* ns = NsOf(node);
    if (ns == nullptr)
    {
        return s + " without namespace";
    }
    return std::strcmp(ns, PidfCodec::PIDF_NAMESPACE) == 0 ? s : s + " in namespace " + ns;
}

bool
IsNcName(const std::string& s)
{
    // ASCII subset of XML's NCName: stricter than XML, enough for ids we write ourselves.
    if (s.empty() || !(std::isalpha(uint8_t(s[0])) || s[0] == '_'))
    {
        return false;
    }
    for (char c : s)
    {
        if (!(std::isalnum(uint8_t(c)) || c == '_' || c == '-' || c == '.'))
        {
            return false;
        }
    }
    return true;
}

/// A URI with a scheme (`pres:`, `sip:`, `tel:`, ...) and no blanks or control characters.
bool
IsUri(const std::string& s)
{
    size_t colon = s.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == s.size() ||
        !std::isalpha(uint8_t(s[0])))
    {
        return false;
    }
    for (size_t i = 0; i < colon; ++i)
    {
        char c = s[i];
        if (!(std::isalnum(uint8_t(c)) || c == '+' || c == '-' || c == '.'))
        {
            return false;
        }
    }
    for (char c : s)
    {
        if (uint8_t(c) <= 0x20 || c == 0x7f)
        {
            return false;
        }
    }
    return true;
}

/**
 * Make text safe for XML 1.0: invalid UTF-8 and characters XML cannot carry (C0 controls
 * other than tab, LF, CR; U+FFFE, U+FFFF; surrogates) become U+FFFD.
 */
std::string
Clean(const std::string& s)
{
    static const char* kReplacement = "\xEF\xBF\xBD";
    std::string out;
    out.reserve(s.size());
    size_t i = 0;
    while (i < s.size())
    {
        uint8_t c = uint8_t(s[i]);
        if (c < 0x80)
        {
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            {
                out += kReplacement;
            }
            else
            {
                out += char(c);
            }
            ++i;
            continue;
        }
        size_t len = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 0;
        uint32_t cp = len == 4 ? c & 0x07u : len == 3 ? c & 0x0Fu : c & 0x1Fu;
        bool ok = len != 0 && i + len <= s.size();
        for (size_t k = 1; ok && k < len; ++k)
        {
            uint8_t cc = uint8_t(s[i + k]);
            ok = (cc & 0xC0) == 0x80;
            cp = (cp << 6) | (cc & 0x3Fu);
        }
        // Reject overlong forms, surrogates, values past U+10FFFF and the two non-characters.
        ok = ok && !(len == 3 && cp < 0x800) && !(len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) &&
             !(cp >= 0xD800 && cp <= 0xDFFF) && cp != 0xFFFE && cp != 0xFFFF;
        if (ok)
        {
            out.append(s, i, len);
            i += len;
        }
        else
        {
            out += kReplacement;
            ++i;
        }
    }
    return out;
}

void
AddText(xmlNode* parent, xmlNs* ns, const char* name, const std::string& text)
{
    // xmlNewTextChild escapes; xmlNewChild would read '&' as the start of an entity.
    xmlNewTextChild(parent, ns, X(name), X(Clean(text).c_str()));
}

std::string
AddressText(Ipv4Address a)
{
    std::ostringstream os;
    os << a;
    return os.str();
}

/**
 * The character content of a simple-content element: text and CDATA only.
 * \return false with \p error set if the element has child elements or entity references
 */
bool
ReadText(const xmlNode* node, std::string& text, std::string& error)
{
    text.clear();
    for (const xmlNode* c = node->children; c != nullptr; c = c->next)
    {
        switch (c->type)
        {
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
            if (c->content != nullptr)
            {
                text += C(c->content);
            }
            break;
        case XML_COMMENT_NODE:
        case XML_PI_NODE:
            break;
        case XML_ELEMENT_NODE:
            error = "unexpected element " + Describe(c) + " in <" + C(node->name) + ">";
            return false;
        default:
            error = std::string("unexpected node in <") + C(node->name) + ">";
            return false;
        }
    }
    return true;
}

/// What CheckAttributes lets through besides the unqualified names it is given.
enum AttributeFlags : unsigned
{
    NO_EXTRA = 0,        //!< only the unqualified names given
    XML_LANG = 1,        //!< `xml:lang` (on notes)
    MUST_UNDERSTAND = 2, //!< `mustUnderstand`, bare or in the PIDF namespace (on extensions)
};

/**
 * Check the attributes of an element against the unqualified names it may carry.
 * \return an error message, or empty
 */
std::string
CheckAttributes(const xmlNode* node,
                std::initializer_list<const char*> allowed,
                unsigned flags = NO_EXTRA)
{
    for (const xmlAttr* a = node->properties; a != nullptr; a = a->next)
    {
        const char* name = C(a->name);
        const char* ns = a->ns != nullptr && a->ns->href != nullptr ? C(a->ns->href) : nullptr;
        bool ok = false;
        if (ns == nullptr)
        {
            for (const char* n : allowed)
            {
                ok = ok || std::strcmp(n, name) == 0;
            }
        }
        else if (std::strcmp(ns, "http://www.w3.org/XML/1998/namespace") == 0)
        {
            ok = (flags & XML_LANG) && std::strcmp(name, "lang") == 0;
        }
        if ((flags & MUST_UNDERSTAND) && std::strcmp(name, "mustUnderstand") == 0 &&
            (ns == nullptr || std::strcmp(ns, PidfCodec::PIDF_NAMESPACE) == 0))
        {
            ok = true;
        }
        if (!ok)
        {
            std::string shown = a->ns != nullptr && a->ns->prefix != nullptr
                                    ? std::string(C(a->ns->prefix)) + ":" + name
                                    : std::string(name);
            return "unknown attribute '" + shown + "' on <" + C(node->name) + ">";
        }
    }
    return "";
}

/// Value of an unqualified attribute, or empty optional.
std::optional<std::string>
Attribute(const xmlNode* node, const char* name)
{
    xmlAttr* a = xmlHasNsProp(const_cast<xmlNode*>(node), X(name), nullptr);
    if (a == nullptr)
    {
        return std::nullopt;
    }
    xmlChar* v = xmlNodeListGetString(node->doc, a->children, 1);
    std::string s = v != nullptr ? C(v) : "";
    xmlFree(v);
    return s;
}

/**
 * An element presec does not know is ignored (RFC 3863 §4.2.3) unless it says it must be
 * understood, or it belongs to presec's own namespaces (then it is misplaced).
 * \return an error message, or empty when the element may be ignored
 */
std::string
CheckIgnorable(const xmlNode* node)
{
    if (node->ns == nullptr)
    {
        return "unexpected element " + Describe(node);
    }
    if (InNs(node, PidfCodec::PRESEC_NAMESPACE) || InNs(node, SecurityPolicyXml::NAMESPACE))
    {
        return "misplaced element " + Describe(node);
    }
    // RFC 3863's schema declares mustUnderstand in the PIDF namespace; its prose writes it
    // bare. Either form counts.
    for (const xmlChar* ns : {X(PidfCodec::PIDF_NAMESPACE), static_cast<const xmlChar*>(nullptr)})
    {
        xmlAttr* a = xmlHasNsProp(const_cast<xmlNode*>(node), X("mustUnderstand"), ns);
        if (a == nullptr)
        {
            continue;
        }
        xmlChar* v = xmlNodeListGetString(node->doc, a->children, 1);
        std::string value = Trim(v != nullptr ? C(v) : "");
        xmlFree(v);
        if (value == "true" || value == "1")
        {
            return "element " + Describe(node) + " is marked mustUnderstand but not understood";
        }
        if (value != "false" && value != "0")
        {
            return "bad mustUnderstand value '" + value + "' (true, false, 1 or 0)";
        }
    }
    NS_LOG_LOGIC("ignoring " << Describe(node));
    return "";
}

/// Reads `<ps:presec>` into \p doc.
Status
ReadPresec(const xmlNode* node, PresenceDocument& doc)
{
    // A peer may mark presec's extension mustUnderstand; presec does understand it.
    std::string error = CheckAttributes(node, {}, MUST_UNDERSTAND);
    if (!error.empty())
    {
        return Fail(node, error);
    }

    // Schema order: address*, user?, location?, policies?; foreign elements anywhere.
    enum Phase
    {
        ADDRESS,
        USER,
        LOCATION,
        POLICIES,
    };

    int phase = ADDRESS;
    bool seen[4] = {false, false, false, false};
    const xmlNode* child = node->children;
    while (NextElement(child, error) && child != nullptr)
    {
        int kind = -1;
        if (InNs(child, PidfCodec::PRESEC_NAMESPACE))
        {
            const char* name = C(child->name);
            kind = std::strcmp(name, "address") == 0    ? ADDRESS
                   : std::strcmp(name, "user") == 0     ? USER
                   : std::strcmp(name, "location") == 0 ? LOCATION
                                                        : -1;
            if (kind < 0)
            {
                return Fail(child, "unknown element " + Describe(child) + " in <presec>");
            }
        }
        else if (Is(child, SecurityPolicyXml::NAMESPACE, "policies"))
        {
            kind = POLICIES;
        }
        else if (InNs(child, SecurityPolicyXml::NAMESPACE))
        {
            return Fail(child, "unexpected element " + Describe(child) + " in <presec>");
        }
        else
        {
            std::string e = CheckIgnorable(child);
            if (!e.empty())
            {
                return Fail(child, e);
            }
            child = child->next;
            continue;
        }
        if (seen[kind] && kind != ADDRESS)
        {
            return Fail(child, "duplicate " + Describe(child) + " in <presec>");
        }
        if (kind < phase)
        {
            return Fail(child, "misplaced " + Describe(child) + " in <presec>");
        }
        seen[kind] = true;
        phase = kind;
        if (kind == POLICIES)
        {
            auto policies = SecurityPolicyXml::ReadFrom(child);
            if (!policies)
            {
                // Keep the policy reader's line; it points into the policy that failed.
                unsigned line = policies.GetLine() > 0 ? policies.GetLine() : LineOf(child);
                NS_LOG_DEBUG("line " << line << ": " << policies.GetError());
                return Status::Fail("in <policies>: " + policies.GetError(), line);
            }
            doc.policies = policies.TakeValue();
        }
        else
        {
            error = CheckAttributes(child, {});
            std::string text;
            if (!error.empty() || !ReadText(child, text, error))
            {
                return Fail(child, error);
            }
            if (kind == ADDRESS)
            {
                Ipv4Address a;
                if (!ParseIpv4Address(Trim(text), a))
                {
                    return Fail(child, "bad address '" + text + "' (dotted-quad IPv4)");
                }
                doc.addresses.push_back(a);
            }
            else
            {
                (kind == USER ? doc.user : doc.location) = text;
            }
        }
        child = child->next;
    }
    if (!error.empty())
    {
        return Fail(child, error);
    }
    return Ok();
}

/// Reads `<rp:place-type>`.
Status
ReadPlaceType(const xmlNode* node, PresenceDocument& doc)
{
    std::string error;
    const xmlNode* child = node->children;
    bool found = false;
    while (NextElement(child, error) && child != nullptr)
    {
        if (child->ns == nullptr)
        {
            return Fail(child, "unexpected element " + Describe(child) + " in <place-type>");
        }
        if (Is(child, PidfCodec::RPID_NAMESPACE, "note"))
        {
            child = child->next;
            continue;
        }
        if (found)
        {
            // RPID allows several place types; presec keeps the first.
            NS_LOG_LOGIC("ignoring further place type " << Describe(child));
            child = child->next;
            continue;
        }
        found = true;
        if (Is(child, PidfCodec::RPID_NAMESPACE, "other"))
        {
            std::string text;
            if (!ReadText(child, text, error))
            {
                return Fail(child, error);
            }
            doc.placeType = PlaceType::OTHER;
            doc.placeTypeText = text;
        }
        else if (InNs(child, PidfCodec::RPID_NAMESPACE))
        {
            return Fail(child, "unexpected element " + Describe(child) + " in <place-type>");
        }
        else
        {
            // An RFC 4589 token presec names, or an extension token kept as text.
            std::string token = C(child->name);
            auto known = InNs(child, PidfCodec::LOCATION_TYPE_NAMESPACE) ? PlaceTypeFromToken(token)
                                                                         : std::nullopt;
            doc.placeType = known.value_or(PlaceType::OTHER);
            doc.placeTypeText = known ? "" : token;
        }
        child = child->next;
    }
    if (!error.empty())
    {
        return Fail(child, error);
    }
    if (!found)
    {
        return Fail(node, "empty <place-type> (expected a location type such as <lt:office/>)");
    }
    return Ok();
}

/// Reads `<rp:sphere>`: one of `<rp:home/>`, `<rp:work/>`, `<rp:unknown/>`, or free text.
Status
ReadSphere(const xmlNode* node, PresenceDocument& doc)
{
    std::string text;
    const xmlNode* element = nullptr;
    for (const xmlNode* c = node->children; c != nullptr; c = c->next)
    {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
        {
            text += c->content != nullptr ? C(c->content) : "";
        }
        else if (c->type == XML_ELEMENT_NODE)
        {
            if (element != nullptr)
            {
                return Fail(c, "more than one value in <sphere>");
            }
            element = c;
        }
        else if (c->type != XML_COMMENT_NODE && c->type != XML_PI_NODE)
        {
            return Fail(c, "unexpected node in <sphere>");
        }
    }
    text = Trim(text);
    if (element != nullptr && !text.empty())
    {
        return Fail(node, "<sphere> mixes text and an element");
    }
    if (element == nullptr)
    {
        if (text.empty())
        {
            return Fail(node, "empty <sphere>");
        }
        doc.sphere = Sphere::UNKNOWN;
        doc.sphereText = text;
        return Ok();
    }
    if (Is(element, PidfCodec::RPID_NAMESPACE, "home"))
    {
        doc.sphere = Sphere::HOME;
    }
    else if (Is(element, PidfCodec::RPID_NAMESPACE, "work"))
    {
        doc.sphere = Sphere::WORK;
    }
    else if (Is(element, PidfCodec::RPID_NAMESPACE, "unknown") || element->ns != nullptr)
    {
        doc.sphere = Sphere::UNKNOWN;
    }
    else
    {
        return Fail(element, "unexpected element " + Describe(element) + " in <sphere>");
    }
    return Ok();
}

/// Reads `<dm:person>`: the RPID place type and sphere; the rest is ignored.
Status
ReadPerson(const xmlNode* node, PresenceDocument& doc)
{
    auto id = Attribute(node, "id");
    if (!id)
    {
        return Fail(node, "missing attribute 'id' on <person>");
    }
    if (!IsNcName(*id))
    {
        return Fail(node, "bad person id '" + *id + "' (an XML NCName)");
    }
    std::string error;
    bool havePlace = false;
    bool haveSphere = false;
    const xmlNode* child = node->children;
    while (NextElement(child, error) && child != nullptr)
    {
        Status r = Ok();
        if (Is(child, PidfCodec::RPID_NAMESPACE, "place-type"))
        {
            if (havePlace)
            {
                return Fail(child, "duplicate <place-type> in <person>");
            }
            havePlace = true;
            r = ReadPlaceType(child, doc);
        }
        else if (Is(child, PidfCodec::RPID_NAMESPACE, "sphere"))
        {
            if (haveSphere)
            {
                return Fail(child, "duplicate <sphere> in <person>");
            }
            haveSphere = true;
            r = ReadSphere(child, doc);
        }
        else
        {
            std::string e = CheckIgnorable(child);
            if (!e.empty())
            {
                return Fail(child, e);
            }
        }
        if (!r)
        {
            return r;
        }
        child = child->next;
    }
    if (!error.empty())
    {
        return Fail(child, error);
    }
    return Ok();
}

/// Reads `<status>`: the `<basic>` value; extensions are ignored.
Status
ReadStatus(const xmlNode* node, PresenceDocument& doc)
{
    std::string error = CheckAttributes(node, {});
    if (!error.empty())
    {
        return Fail(node, error);
    }
    bool haveBasic = false;
    bool afterExtension = false;
    const xmlNode* child = node->children;
    while (NextElement(child, error) && child != nullptr)
    {
        if (Is(child, PidfCodec::PIDF_NAMESPACE, "basic"))
        {
            if (haveBasic)
            {
                return Fail(child, "duplicate <basic>");
            }
            if (afterExtension)
            {
                return Fail(child, "misplaced <basic> (must come first in <status>)");
            }
            haveBasic = true;
            std::string text;
            if (!(error = CheckAttributes(child, {})).empty() || !ReadText(child, text, error))
            {
                return Fail(child, error);
            }
            // xs:string enumeration: no white space allowed around the value.
            if (text != "open" && text != "closed")
            {
                return Fail(child, "bad <basic> value '" + text + "' (open or closed)");
            }
            doc.basic = text == "open" ? BasicStatus::OPEN : BasicStatus::CLOSED;
        }
        else if (InNs(child, PidfCodec::PIDF_NAMESPACE))
        {
            return Fail(child, "unexpected element " + Describe(child) + " in <status>");
        }
        else
        {
            std::string e = CheckIgnorable(child);
            if (!e.empty())
            {
                return Fail(child, e);
            }
            afterExtension = true;
        }
        child = child->next;
    }
    if (!error.empty())
    {
        return Fail(child, error);
    }
    if (!haveBasic)
    {
        return Fail(node, "missing <basic> in <status>");
    }
    return Ok();
}

/// Reads `<tuple>`: status, extensions, contact, notes, timestamp, in that order.
Status
ReadTuple(const xmlNode* node, PresenceDocument& doc)
{
    std::string error = CheckAttributes(node, {"id"});
    if (!error.empty())
    {
        return Fail(node, error);
    }
    auto id = Attribute(node, "id");
    if (!id)
    {
        return Fail(node, "missing attribute 'id' on <tuple>");
    }
    if (!IsNcName(*id))
    {
        return Fail(node, "bad tuple id '" + *id + "' (an XML NCName)");
    }
    doc.tupleId = *id;

    enum Phase
    {
        START,
        EXTENSIONS,
        CONTACT,
        NOTE,
        TIMESTAMP,
    };

    Phase phase = START;
    bool havePresec = false;
    bool haveNote = false;
    const xmlNode* child = node->children;
    while (NextElement(child, error) && child != nullptr)
    {
        const std::string name = C(child->name);
        const bool pidf = InNs(child, PidfCodec::PIDF_NAMESPACE);
        if (phase == START)
        {
            if (!pidf || name != "status")
            {
                return Fail(child, "expected <status> first in <tuple>, found " + Describe(child));
            }
            Status r = ReadStatus(child, doc);
            if (!r)
            {
                return r;
            }
            phase = EXTENSIONS;
        }
        else if (pidf && (name == "contact" || name == "timestamp"))
        {
            Phase target = name == "contact" ? CONTACT : TIMESTAMP;
            if (phase >= target)
            {
                return Fail(child,
                            (phase == target ? "duplicate <" : "misplaced <") + name +
                                "> in <tuple>");
            }
            phase = target;
            std::string text;
            // contact's priority is allowed and ignored: presec uses a single contact.
            error = target == CONTACT ? CheckAttributes(child, {"priority"})
                                      : CheckAttributes(child, {});
            if (!error.empty() || !ReadText(child, text, error))
            {
                return Fail(child, error);
            }
            text = Trim(text);
            if (target == CONTACT)
            {
                if (!IsUri(text))
                {
                    return Fail(child, "bad <contact> '" + text + "' (a URI)");
                }
                doc.contact = text;
            }
            else
            {
                if (!ParseRfc3339(text))
                {
                    return Fail(child,
                                "bad <timestamp> '" + text +
                                    "' (RFC 3339, e.g. 2002-09-28T10:49:29Z)");
                }
                doc.timestamp = text;
            }
        }
        else if (pidf && name == "note")
        {
            if (phase > NOTE)
            {
                return Fail(child, "misplaced <note> in <tuple>");
            }
            phase = NOTE;
            std::string text;
            if (!(error = CheckAttributes(child, {}, XML_LANG)).empty() ||
                !ReadText(child, text, error))
            {
                return Fail(child, error);
            }
            // Several notes may differ by xml:lang; presec keeps the first.
            if (!haveNote)
            {
                doc.note = text;
                haveNote = true;
            }
        }
        else if (pidf)
        {
            return Fail(child,
                        name == "status" ? "duplicate <status> in <tuple>"
                                         : "unexpected element " + Describe(child) + " in <tuple>");
        }
        else
        {
            if (phase > EXTENSIONS && child->ns != nullptr)
            {
                return Fail(child,
                            "misplaced extension " + Describe(child) +
                                " (extensions come before <contact>)");
            }
            if (Is(child, PidfCodec::PRESEC_NAMESPACE, "presec"))
            {
                if (havePresec)
                {
                    return Fail(child, "duplicate <presec> in <tuple>");
                }
                havePresec = true;
                Status r = ReadPresec(child, doc);
                if (!r)
                {
                    return r;
                }
            }
            else
            {
                std::string e = CheckIgnorable(child);
                if (!e.empty())
                {
                    return Fail(child, e);
                }
            }
        }
        child = child->next;
    }
    if (!error.empty())
    {
        return Fail(child, error);
    }
    if (phase == START)
    {
        return Fail(node, "missing <status> in <tuple>");
    }
    return Ok();
}

/// Reads the `<presence>` root.
Status
ReadPresence(const xmlNode* root, PresenceDocument& doc)
{
    if (!Is(root, PidfCodec::PIDF_NAMESPACE, "presence"))
    {
        return Fail(root,
                    std::string("expected <presence> in namespace ") + PidfCodec::PIDF_NAMESPACE +
                        " as root, found " + Describe(root));
    }
    std::string error = CheckAttributes(root, {"entity"});
    if (!error.empty())
    {
        return Fail(root, error);
    }
    auto entity = Attribute(root, "entity");
    if (!entity)
    {
        return Fail(root, "missing attribute 'entity' on <presence>");
    }
    doc.entity = Trim(*entity);
    if (!IsUri(doc.entity))
    {
        return Fail(root, "bad entity '" + *entity + "' (a URI such as pres:user@host)");
    }

    enum Phase
    {
        TUPLES,
        NOTES,
        EXTENSIONS,
    };

    Phase phase = TUPLES;
    unsigned tuples = 0;
    bool havePerson = false;
    const xmlNode* child = root->children;
    while (NextElement(child, error) && child != nullptr)
    {
        if (Is(child, PidfCodec::PIDF_NAMESPACE, "tuple"))
        {
            if (phase != TUPLES)
            {
                return Fail(child, "misplaced <tuple> (tuples come first in <presence>)");
            }
            if (++tuples > 1)
            {
                return Fail(child, "more than one <tuple> (presec documents have one)");
            }
            Status r = ReadTuple(child, doc);
            if (!r)
            {
                return r;
            }
        }
        else if (Is(child, PidfCodec::PIDF_NAMESPACE, "note"))
        {
            if (phase == EXTENSIONS)
            {
                return Fail(child, "misplaced <note> in <presence>");
            }
            phase = NOTES;
            std::string text;
            if (!(error = CheckAttributes(child, {}, XML_LANG)).empty() ||
                !ReadText(child, text, error))
            {
                return Fail(child, error);
            }
            NS_LOG_LOGIC("presentity note ignored: " << text);
        }
        else if (InNs(child, PidfCodec::PIDF_NAMESPACE))
        {
            return Fail(child, "unexpected element " + Describe(child) + " in <presence>");
        }
        else if (Is(child, PidfCodec::DATA_MODEL_NAMESPACE, "person"))
        {
            phase = EXTENSIONS;
            if (havePerson)
            {
                return Fail(child, "more than one <person>");
            }
            havePerson = true;
            Status r = ReadPerson(child, doc);
            if (!r)
            {
                return r;
            }
        }
        else
        {
            phase = EXTENSIONS;
            std::string e = CheckIgnorable(child);
            if (!e.empty())
            {
                return Fail(child, e);
            }
        }
        child = child->next;
    }
    if (!error.empty())
    {
        return Fail(child, error);
    }
    if (tuples == 0)
    {
        return Fail(root, "missing <tuple> in <presence>");
    }
    return Ok();
}

} // namespace

std::string
PidfCodec::Encode(const PresenceDocument& d)
{
    NS_LOG_FUNCTION(d.entity);
    DocPtr doc(xmlNewDoc(X("1.0")));
    xmlNode* root = xmlNewDocNode(doc.get(), nullptr, X("presence"), nullptr);
    xmlDocSetRootElement(doc.get(), root);
    // Default namespace: PIDF elements go unprefixed, the shortest form.
    xmlNs* pidf = xmlNewNs(root, X(PIDF_NAMESPACE), nullptr);
    xmlSetNs(root, pidf);
    xmlSetProp(root, X("entity"), X(Clean(d.entity).c_str()));

    xmlNode* tuple = xmlNewChild(root, pidf, X("tuple"), nullptr);
    xmlSetProp(tuple, X("id"), X(Clean(d.tupleId).c_str()));
    xmlNode* status = xmlNewChild(tuple, pidf, X("status"), nullptr);
    AddText(status, pidf, "basic", ToString(d.basic));

    if (!d.addresses.empty() || !d.user.empty() || !d.location.empty() || !d.policies.empty())
    {
        // Namespaces are declared where used, so a document without them does not pay.
        xmlNode* ext = xmlNewChild(tuple, nullptr, X("presec"), nullptr);
        xmlNs* ps = xmlNewNs(ext, X(PRESEC_NAMESPACE), X("ps"));
        xmlSetNs(ext, ps);
        for (const auto& a : d.addresses)
        {
            AddText(ext, ps, "address", AddressText(a));
        }
        if (!d.user.empty())
        {
            AddText(ext, ps, "user", d.user);
        }
        if (!d.location.empty())
        {
            AddText(ext, ps, "location", d.location);
        }
        if (!d.policies.empty())
        {
            SecurityPolicyXml::AppendTo(ext, d.policies);
        }
    }
    if (!d.contact.empty())
    {
        AddText(tuple, pidf, "contact", d.contact);
    }
    if (!d.note.empty())
    {
        AddText(tuple, pidf, "note", d.note);
    }
    if (!d.timestamp.empty())
    {
        AddText(tuple, pidf, "timestamp", d.timestamp);
    }

    if (d.placeType || d.sphere)
    {
        xmlNode* person = xmlNewChild(root, nullptr, X("person"), nullptr);
        xmlNs* dm = xmlNewNs(person, X(DATA_MODEL_NAMESPACE), X("dm"));
        xmlSetNs(person, dm);
        xmlNs* rp = xmlNewNs(person, X(RPID_NAMESPACE), X("rp"));
        // Derived from the tuple id so the two xs:ID values never collide.
        xmlSetProp(person, X("id"), X(Clean("p" + d.tupleId).c_str()));
        if (d.placeType)
        {
            xmlNode* pt = xmlNewChild(person, rp, X("place-type"), nullptr);
            std::string token = ToString(*d.placeType);
            bool freeText = false;
            if (*d.placeType == PlaceType::OTHER && !d.placeTypeText.empty())
            {
                // An extension token stays a token unless it would read back as a known one.
                token = d.placeTypeText;
                freeText = !IsNcName(token) || PlaceTypeFromToken(token).has_value();
            }
            if (freeText)
            {
                AddText(pt, rp, "other", d.placeTypeText);
            }
            else
            {
                xmlNs* lt = xmlNewNs(person, X(LOCATION_TYPE_NAMESPACE), X("lt"));
                xmlNewChild(pt, lt, X(token.c_str()), nullptr);
            }
        }
        if (d.sphere)
        {
            if (*d.sphere == Sphere::UNKNOWN && !Trim(d.sphereText).empty())
            {
                AddText(person, rp, "sphere", d.sphereText);
            }
            else
            {
                xmlNode* sp = xmlNewChild(person, rp, X("sphere"), nullptr);
                xmlNewChild(sp, rp, X(ToString(*d.sphere).c_str()), nullptr);
            }
        }
    }

    // No XML declaration: it is optional, the body is UTF-8 (RFC 3863 §7, the default for
    // application/pidf+xml per RFC 7303), and its 38 bytes matter in a 1300-byte NOTIFY.
    std::string out = Dump(doc.get(), root);
    NS_LOG_LOGIC("encoded " << out.size() << " bytes");
    return out;
}

ParseResult<PresenceDocument>
PidfCodec::Decode(const std::string& xml)
{
    NS_LOG_FUNCTION(xml.size());
    auto doc = ReadDocument(xml, MAX_DOCUMENT_SIZE);
    if (!doc)
    {
        return Result::Fail(doc.GetError(), doc.GetLine());
    }
    const xmlNode* root = xmlDocGetRootElement(doc.GetValue().get());
    if (Depth(root, MAX_DEPTH) > MAX_DEPTH)
    {
        return Result::Fail("elements nested deeper than " + std::to_string(MAX_DEPTH) + " levels");
    }
    PresenceDocument out;
    Status status = ReadPresence(root, out);
    if (!status)
    {
        return Result::Fail(status.GetError(), status.GetLine());
    }
    return Result::Ok(std::move(out));
}

} // namespace ns3
