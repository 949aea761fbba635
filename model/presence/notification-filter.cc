/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "notification-filter.h"

#include "pidf-codec.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/text-util.h"
#include "ns3/xml-support.h"

#include <cstring>
#include <functional>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <memory>
#include <unordered_set>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("NotificationFilter");

namespace
{

using namespace xml_support;

using NodeSet = std::unordered_set<const xmlNode*>;

struct ContextDeleter
{
    void operator()(xmlXPathContext* c) const
    {
        xmlXPathFreeContext(c);
    }
};

struct ObjectDeleter
{
    void operator()(xmlXPathObject* o) const
    {
        xmlXPathFreeObject(o);
    }
};

using ContextPtr = std::unique_ptr<xmlXPathContext, ContextDeleter>;
using ObjectPtr = std::unique_ptr<xmlXPathObject, ObjectDeleter>;

/// An XPath context on \p doc knowing the set's prefixes.
ContextPtr
MakeContext(xmlDoc* doc, const SimpleFilterSet& set)
{
    ContextPtr ctx(xmlXPathNewContext(doc));
    for (const auto& [prefix, urn] : set.nsBindings)
    {
        xmlXPathRegisterNs(ctx.get(), X(prefix.c_str()), X(urn.c_str()));
    }
    return ctx;
}

/**
 * Evaluate \p expression; the elements it selects (an attribute or text stands for its
 * element) go to \p out.
 * \return empty, or why the expression cannot be used
 */
std::string
SelectXPath(xmlXPathContext* ctx, const std::string& expression, std::vector<const xmlNode*>& out)
{
    ErrorCapture errors;
    ObjectPtr result(xmlXPathEvalExpression(X(expression.c_str()), ctx));
    if (!result || errors.m_failed)
    {
        return "XPath '" + expression + "' not usable" +
               (errors.m_message.empty() ? "" : ": " + errors.m_message);
    }
    if (result->type != XPATH_NODESET)
    {
        return "XPath '" + expression + "' does not select nodes";
    }
    const xmlNodeSet* nodes = result->nodesetval;
    for (int i = 0; nodes != nullptr && i < nodes->nodeNr; ++i)
    {
        const xmlNode* n = nodes->nodeTab[i];
        switch (n->type)
        {
        case XML_ELEMENT_NODE:
            out.push_back(n);
            break;
        case XML_ATTRIBUTE_NODE:
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
            if (n->parent != nullptr && n->parent->type == XML_ELEMENT_NODE)
            {
                out.push_back(n->parent);
            }
            break;
        default:
            break; // namespace nodes, comments, the document: nothing to keep
        }
    }
    return "";
}

/// Call \p f on \p node and every element below it.
void
ForSubtree(const xmlNode* node, const std::function<void(const xmlNode*)>& f)
{
    f(node);
    for (const xmlNode* c = node->children; c != nullptr; c = c->next)
    {
        if (c->type == XML_ELEMENT_NODE)
        {
            ForSubtree(c, f);
        }
    }
}

/// The elements \p sel selects in the document of \p ctx.
std::string
Select(xmlXPathContext* ctx,
       const xmlNode* root,
       const FilterSelector& sel,
       std::vector<const xmlNode*>& out)
{
    if (sel.type == FilterSelectorType::XPATH)
    {
        return SelectXPath(ctx, sel.value, out);
    }
    ForSubtree(root, [&sel, &out](const xmlNode* n) {
        if (n->ns != nullptr && n->ns->href != nullptr && sel.value == C(n->ns->href))
        {
            out.push_back(n);
        }
    });
    return "";
}

/// Case-insensitive equality of two URIs once angle brackets are gone.
bool
SameUri(const std::string& a, const std::string& b)
{
    return !a.empty() && text::IEquals(text::Trim(a, " <>"), text::Trim(b, " <>"));
}

/// The host part of a URI: after '@', up to a parameter, header or port.
std::string
DomainOf(const std::string& uri)
{
    size_t at = uri.find('@');
    std::string host = at == std::string::npos ? "" : uri.substr(at + 1);
    return text::Lower(host.substr(0, host.find_first_of(";?:>")));
}

/// Whether filter \p f is for the resource named \p entity or \p own.
bool
Applies(const SimpleFilter& f, const std::string& entity, const std::string& own)
{
    if (!f.enabled || f.remove)
    {
        return false;
    }
    if (!f.uri.empty())
    {
        return SameUri(f.uri, entity) || SameUri(f.uri, own);
    }
    if (!f.domain.empty())
    {
        std::string d = text::Lower(f.domain);
        return d == DomainOf(entity) || d == DomainOf(own);
    }
    return true;
}

/// Remove every element under \p node not in \p keep.
void
Prune(xmlNode* node, const NodeSet& keep)
{
    xmlNode* c = node->children;
    while (c != nullptr)
    {
        xmlNode* next = c->next;
        if (c->type == XML_ELEMENT_NODE)
        {
            if (keep.count(c) == 0)
            {
                xmlUnlinkNode(c);
                xmlFreeNode(c);
            }
            else
            {
                Prune(c, keep);
            }
        }
        c = next;
    }
}

/// Whether \p n is the PIDF element \p name.
bool
IsPidf(const xmlNode* n, const char* name)
{
    return n->type == XML_ELEMENT_NODE && n->ns != nullptr && n->ns->href != nullptr &&
           std::strcmp(C(n->ns->href), PidfCodec::PIDF_NAMESPACE) == 0 &&
           std::strcmp(C(n->name), name) == 0;
}

} // namespace

std::string
NotificationFilter::CheckSupported(const SimpleFilterSet& set)
{
    // Expressions are tried on an empty presence document: syntax errors, unbound prefixes
    // and non-node-set results show there as they would on any document.
    auto doc = ReadDocument("<presence xmlns=\"" + std::string(PidfCodec::PIDF_NAMESPACE) +
                                "\" entity=\"pres:x@example.com\"/>",
                            PidfCodec::MAX_DOCUMENT_SIZE);
    NS_ABORT_MSG_UNLESS(doc, "NotificationFilter: probe document: " << doc.GetError());
    ContextPtr ctx = MakeContext(doc.GetValue().get(), set);
    for (const auto& f : set.filters)
    {
        if (f.triggers > 0)
        {
            return "filter '" + f.id + "' has a <trigger>: notifications go on every change";
        }
        for (const auto* list : {&f.include, &f.exclude})
        {
            for (const auto& sel : *list)
            {
                if (sel.type != FilterSelectorType::XPATH)
                {
                    continue;
                }
                std::vector<const xmlNode*> ignored;
                std::string e = SelectXPath(ctx.get(), sel.value, ignored);
                if (!e.empty())
                {
                    return "filter '" + f.id + "': " + e;
                }
            }
        }
    }
    return "";
}

ParseResult<std::string>
NotificationFilter::Apply(const SimpleFilterSet& set,
                          const std::string& document,
                          const std::string& resourceUri)
{
    NS_LOG_FUNCTION(set.filters.size() << document.size());
    using Result = ParseResult<std::string>;
    auto parsed = ReadDocument(document, PidfCodec::MAX_DOCUMENT_SIZE, "presence document");
    if (!parsed)
    {
        return Result::Fail(parsed.GetError(), parsed.GetLine());
    }
    xmlDoc* doc = parsed.GetValue().get();
    xmlNode* root = xmlDocGetRootElement(doc);
    std::string entity;
    if (xmlChar* e = xmlGetProp(root, X("entity")))
    {
        entity = C(e);
        xmlFree(e);
    }
    ContextPtr ctx = MakeContext(doc, set);
    NodeSet keep;
    bool applied = false;
    for (const auto& f : set.filters)
    {
        if (!Applies(f, entity, resourceUri))
        {
            continue;
        }
        applied = true;
        NodeSet mine;
        auto add = [&mine](const xmlNode* n) { mine.insert(n); };
        if (f.include.empty())
        {
            ForSubtree(root, add);
        }
        for (const auto& sel : f.include)
        {
            std::vector<const xmlNode*> nodes;
            if (std::string e = Select(ctx.get(), root, sel, nodes); !e.empty())
            {
                return Result::Fail(e);
            }
            for (const xmlNode* n : nodes)
            {
                ForSubtree(n, add);
                for (const xmlNode* a = n->parent; a != nullptr && a->type == XML_ELEMENT_NODE;
                     a = a->parent)
                {
                    mine.insert(a);
                }
            }
        }
        for (const auto& sel : f.exclude)
        {
            std::vector<const xmlNode*> nodes;
            if (std::string e = Select(ctx.get(), root, sel, nodes); !e.empty())
            {
                return Result::Fail(e);
            }
            for (const xmlNode* n : nodes)
            {
                ForSubtree(n, [&mine](const xmlNode* d) { mine.erase(d); });
            }
        }
        keep.insert(mine.begin(), mine.end());
    }
    if (!applied)
    {
        return Result::Ok(document);
    }
    keep.insert(root);
    for (const xmlNode* t = root->children; t != nullptr; t = t->next)
    {
        if (IsPidf(t, "tuple") && keep.count(t) > 0)
        {
            for (const xmlNode* s = t->children; s != nullptr; s = s->next)
            {
                if (IsPidf(s, "status"))
                {
                    ForSubtree(s, [&keep](const xmlNode* d) { keep.insert(d); });
                }
            }
        }
    }
    Prune(root, keep);
    return Result::Ok(Dump(doc, root));
}

} // namespace ns3
