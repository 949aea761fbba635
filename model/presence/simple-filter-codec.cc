/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "simple-filter-codec.h"

#include "ns3/log.h"
#include "ns3/text-util.h"
#include "ns3/xml-support.h"

#include <cstring>
#include <libxml/tree.h>
#include <set>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SimpleFilterCodec");

namespace
{

using namespace xml_support;

using Result = ParseResult<SimpleFilterSet>;
/// Outcome of reading one element.
using Status = ElementStatus;
constexpr auto Ok = ElementOk;
constexpr auto Fail = ElementFail;

/// Whether \p node is an element of the filter namespace.
bool
Ours(const xmlNode* node)
{
    return InNamespace(node, SimpleFilterCodec::NAMESPACE);
}

/// `<name>` for messages.
std::string
Describe(const xmlNode* node)
{
    return "<" + std::string(C(node->name)) + ">";
}

/**
 * Walk the children of \p node: elements of the filter namespace go to \p element, other
 * elements are skipped (extension points), text must be white space.
 */
template <class F>
Status
ForEachChild(const xmlNode* node, F element)
{
    for (const xmlNode* c = node->children; c != nullptr; c = c->next)
    {
        if (c->type == XML_ELEMENT_NODE)
        {
            if (!Ours(c))
            {
                NS_LOG_LOGIC("ignoring " << Describe(c) << " of another namespace");
                continue;
            }
            if (Status s = element(c); !s)
            {
                return s;
            }
        }
        else if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
        {
            if (!text::Trim(C(c->content)).empty())
            {
                return Fail(node, "unexpected text in " + Describe(node));
            }
        }
    }
    return Ok();
}

/**
 * Read the attributes of \p node: unqualified ones must be in \p allowed (their values go to
 * \p values), qualified ones of other namespaces are ignored.
 */
Status
ReadAttributes(const xmlNode* node,
               std::initializer_list<const char*> allowed,
               std::vector<std::pair<std::string, std::string>>& values)
{
    for (const xmlAttr* a = node->properties; a != nullptr; a = a->next)
    {
        if (a->ns != nullptr && !(a->ns->href != nullptr &&
                                  std::strcmp(C(a->ns->href), SimpleFilterCodec::NAMESPACE) == 0))
        {
            continue;
        }
        std::string name = C(a->name);
        bool known = false;
        for (const char* n : allowed)
        {
            known = known || name == n;
        }
        if (!known)
        {
            return Fail(node, "unknown attribute '" + name + "' on " + Describe(node));
        }
        xmlChar* v = xmlNodeListGetString(node->doc, a->children, 1);
        values.emplace_back(name, v != nullptr ? C(v) : "");
        xmlFree(v);
    }
    return Ok();
}

/// An xs:boolean.
bool
ReadBoolean(const std::string& text, bool& value)
{
    std::string t = text::Trim(text);
    if (t == "true" || t == "1")
    {
        value = true;
        return true;
    }
    if (t == "false" || t == "0")
    {
        value = false;
        return true;
    }
    return false;
}

/// The text content of a leaf element, trimmed; child elements are an error.
Status
LeafText(const xmlNode* node, std::string& out)
{
    out.clear();
    for (const xmlNode* c = node->children; c != nullptr; c = c->next)
    {
        if (c->type == XML_ELEMENT_NODE)
        {
            return Fail(c, "unexpected element " + Describe(c) + " in " + Describe(node));
        }
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
        {
            out += C(c->content);
        }
    }
    out = text::Trim(out);
    return Ok();
}

Status
ReadSelector(const xmlNode* node, std::vector<FilterSelector>& into)
{
    std::vector<std::pair<std::string, std::string>> attrs;
    if (Status s = ReadAttributes(node, {"type"}, attrs); !s)
    {
        return s;
    }
    FilterSelector sel;
    for (const auto& [name, value] : attrs)
    {
        if (value == "xpath")
        {
            sel.type = FilterSelectorType::XPATH;
        }
        else if (value == "namespace")
        {
            sel.type = FilterSelectorType::NAMESPACE;
        }
        else
        {
            return Fail(node,
                        "bad type '" + value + "' on " + Describe(node) + " (xpath or namespace)");
        }
    }
    if (Status s = LeafText(node, sel.value); !s)
    {
        return s;
    }
    if (sel.value.empty())
    {
        return Fail(node, "empty " + Describe(node));
    }
    if (sel.value.size() > SimpleFilterCodec::MAX_SELECTOR_LENGTH)
    {
        return Fail(node,
                    Describe(node) + " longer than " +
                        std::to_string(SimpleFilterCodec::MAX_SELECTOR_LENGTH) + " characters");
    }
    into.push_back(std::move(sel));
    return Ok();
}

Status
ReadWhat(const xmlNode* node, SimpleFilter& f)
{
    std::vector<std::pair<std::string, std::string>> attrs;
    if (Status s = ReadAttributes(node, {}, attrs); !s)
    {
        return s;
    }
    return ForEachChild(node, [&f](const xmlNode* c) -> Status {
        std::string name = C(c->name);
        if (name != "include" && name != "exclude")
        {
            return Fail(c, "unknown element " + Describe(c) + " in <what>");
        }
        if (f.include.size() + f.exclude.size() >= SimpleFilterCodec::MAX_SELECTORS)
        {
            return Fail(c,
                        "more than " + std::to_string(SimpleFilterCodec::MAX_SELECTORS) +
                            " selectors in one filter");
        }
        return ReadSelector(c, name == "include" ? f.include : f.exclude);
    });
}

Status
ReadFilter(const xmlNode* node, SimpleFilter& f)
{
    std::vector<std::pair<std::string, std::string>> attrs;
    if (Status s = ReadAttributes(node, {"id", "uri", "domain", "remove", "enabled"}, attrs); !s)
    {
        return s;
    }
    bool hasId = false;
    for (const auto& [name, value] : attrs)
    {
        if (name == "id")
        {
            f.id = text::Trim(value);
            hasId = true;
        }
        else if (name == "uri")
        {
            f.uri = text::Trim(value);
        }
        else if (name == "domain")
        {
            f.domain = text::Trim(value);
        }
        else if (!ReadBoolean(value, name == "remove" ? f.remove : f.enabled))
        {
            return Fail(node, "bad " + name + " '" + value + "' on <filter> (true or false)");
        }
    }
    if (!hasId || f.id.empty())
    {
        return Fail(node, "<filter> without id");
    }
    if (!f.uri.empty() && !f.domain.empty())
    {
        return Fail(node, "<filter> with both uri and domain");
    }
    bool what = false;
    return ForEachChild(node, [&f, &what](const xmlNode* c) -> Status {
        std::string name = C(c->name);
        if (name == "what")
        {
            if (what || f.triggers > 0)
            {
                return Fail(c, what ? "duplicate <what>" : "<what> after <trigger>");
            }
            what = true;
            return ReadWhat(c, f);
        }
        if (name == "trigger")
        {
            ++f.triggers;
            return Ok();
        }
        return Fail(c, "unknown element " + Describe(c) + " in <filter>");
    });
}

Status
ReadBindings(const xmlNode* node, SimpleFilterSet& set)
{
    return ForEachChild(node, [&set](const xmlNode* c) -> Status {
        if (std::strcmp(C(c->name), "ns-binding") != 0)
        {
            return Fail(c, "unknown element " + Describe(c) + " in <ns-bindings>");
        }
        std::vector<std::pair<std::string, std::string>> attrs;
        if (Status s = ReadAttributes(c, {"prefix", "urn"}, attrs); !s)
        {
            return s;
        }
        std::string prefix;
        std::string urn;
        for (const auto& [name, value] : attrs)
        {
            (name == "prefix" ? prefix : urn) = text::Trim(value);
        }
        if (prefix.empty() || urn.empty())
        {
            return Fail(c, "<ns-binding> needs a prefix and a urn");
        }
        for (const auto& b : set.nsBindings)
        {
            if (b.first == prefix)
            {
                return Fail(c, "prefix '" + prefix + "' bound twice");
            }
        }
        set.nsBindings.emplace_back(prefix, urn);
        return Ok();
    });
}

Status
ReadFilterSet(const xmlNode* root, SimpleFilterSet& set)
{
    if (!Ours(root) || std::strcmp(C(root->name), "filter-set") != 0)
    {
        return Fail(root,
                    "expected <filter-set> in namespace " +
                        std::string(SimpleFilterCodec::NAMESPACE) + ", found " + Describe(root));
    }
    std::vector<std::pair<std::string, std::string>> attrs;
    if (Status s = ReadAttributes(root, {"package"}, attrs); !s)
    {
        return s;
    }
    for (const auto& a : attrs)
    {
        set.package = text::Trim(a.second);
    }
    bool bindings = false;
    std::set<std::string> ids;
    return ForEachChild(root, [&](const xmlNode* c) -> Status {
        std::string name = C(c->name);
        if (name == "ns-bindings")
        {
            if (bindings || !set.filters.empty())
            {
                return Fail(c,
                            bindings ? "duplicate <ns-bindings>" : "<ns-bindings> after <filter>");
            }
            bindings = true;
            return ReadBindings(c, set);
        }
        if (name != "filter")
        {
            return Fail(c, "unknown element " + Describe(c) + " in <filter-set>");
        }
        if (set.filters.size() >= SimpleFilterCodec::MAX_FILTERS)
        {
            return Fail(c,
                        "more than " + std::to_string(SimpleFilterCodec::MAX_FILTERS) + " filters");
        }
        SimpleFilter f;
        if (Status s = ReadFilter(c, f); !s)
        {
            return s;
        }
        if (!ids.insert(f.id).second)
        {
            return Fail(c, "duplicate filter id '" + f.id + "'");
        }
        set.filters.push_back(std::move(f));
        return Ok();
    });
}

void
AddSelectors(xmlNode* what,
             xmlNs* ns,
             const char* name,
             const std::vector<FilterSelector>& selectors)
{
    for (const auto& sel : selectors)
    {
        xmlNode* e = xmlNewTextChild(what, ns, X(name), X(sel.value.c_str()));
        xmlSetProp(e,
                   X("type"),
                   X(sel.type == FilterSelectorType::NAMESPACE ? "namespace" : "xpath"));
    }
}

} // namespace

std::string
SimpleFilterCodec::Encode(const SimpleFilterSet& set)
{
    NS_LOG_FUNCTION(set.filters.size());
    DocPtr doc(xmlNewDoc(X("1.0")));
    xmlNode* root = xmlNewDocNode(doc.get(), nullptr, X("filter-set"), nullptr);
    xmlDocSetRootElement(doc.get(), root);
    xmlNs* ns = xmlNewNs(root, X(NAMESPACE), nullptr);
    xmlSetNs(root, ns);
    if (!set.package.empty())
    {
        xmlSetProp(root, X("package"), X(set.package.c_str()));
    }
    if (!set.nsBindings.empty())
    {
        xmlNode* bindings = xmlNewChild(root, ns, X("ns-bindings"), nullptr);
        for (const auto& [prefix, urn] : set.nsBindings)
        {
            xmlNode* b = xmlNewChild(bindings, ns, X("ns-binding"), nullptr);
            xmlSetProp(b, X("prefix"), X(prefix.c_str()));
            xmlSetProp(b, X("urn"), X(urn.c_str()));
        }
    }
    for (const auto& f : set.filters)
    {
        xmlNode* filter = xmlNewChild(root, ns, X("filter"), nullptr);
        xmlSetProp(filter, X("id"), X(f.id.c_str()));
        if (!f.uri.empty())
        {
            xmlSetProp(filter, X("uri"), X(f.uri.c_str()));
        }
        if (!f.domain.empty())
        {
            xmlSetProp(filter, X("domain"), X(f.domain.c_str()));
        }
        if (f.remove)
        {
            xmlSetProp(filter, X("remove"), X("true"));
        }
        if (!f.enabled)
        {
            xmlSetProp(filter, X("enabled"), X("false"));
        }
        if (!f.include.empty() || !f.exclude.empty())
        {
            xmlNode* what = xmlNewChild(filter, ns, X("what"), nullptr);
            AddSelectors(what, ns, "include", f.include);
            AddSelectors(what, ns, "exclude", f.exclude);
        }
        // Trigger conditions are not kept (the notifier refuses them), only their number.
        for (uint32_t i = 0; i < f.triggers; ++i)
        {
            xmlNewChild(filter, ns, X("trigger"), nullptr);
        }
    }
    return Dump(doc.get(), root);
}

ParseResult<SimpleFilterSet>
SimpleFilterCodec::Decode(const std::string& xml)
{
    NS_LOG_FUNCTION(xml.size());
    auto doc = ReadDocument(xml, MAX_DOCUMENT_SIZE, "filter");
    if (!doc)
    {
        return Result::Fail(doc.GetError(), doc.GetLine());
    }
    const xmlNode* root = xmlDocGetRootElement(doc.GetValue().get());
    if (Depth(root, MAX_DEPTH) > MAX_DEPTH)
    {
        return Result::Fail("elements nested deeper than " + std::to_string(MAX_DEPTH) + " levels");
    }
    SimpleFilterSet set;
    if (Status s = ReadFilterSet(root, set); !s)
    {
        return Result::Fail(s.GetError(), s.GetLine());
    }
    return Result::Ok(std::move(set));
}

} // namespace ns3
