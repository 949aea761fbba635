/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "xml-support.h"

#include "ns3/log.h"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("XmlSupport");

namespace xml_support
{

ErrorCapture::ErrorCapture()
    : m_oldStructured(xmlStructuredError),
      m_oldStructuredContext(xmlStructuredErrorContext),
      m_oldGeneric(xmlGenericError),
      m_oldGenericContext(xmlGenericErrorContext)
{
    xmlSetStructuredErrorFunc(this, &ErrorCapture::OnError);
    xmlSetGenericErrorFunc(this, &ErrorCapture::OnGeneric);
}

ErrorCapture::~ErrorCapture()
{
    xmlSetStructuredErrorFunc(m_oldStructuredContext, m_oldStructured);
    xmlSetGenericErrorFunc(m_oldGenericContext, m_oldGeneric);
}

void
ErrorCapture::OnError(void* ctx, XmlErrorArg error)
{
    auto self = static_cast<ErrorCapture*>(ctx);
    if (error == nullptr || error->level < XML_ERR_ERROR || self->m_failed)
    {
        return;
    }
    self->m_failed = true;
    self->m_line = error->line > 0 ? static_cast<unsigned>(error->line) : 0;
    self->m_message = error->message != nullptr ? error->message : "XML error";
    while (!self->m_message.empty() && std::isspace(uint8_t(self->m_message.back())))
    {
        self->m_message.pop_back();
    }
}

void
ErrorCapture::OnGeneric(void*, const char*, ...)
{
}

unsigned
LineOf(const xmlNode* node)
{
    if (node == nullptr)
    {
        return 0;
    }
    long line = xmlGetLineNo(const_cast<xmlNode*>(node));
    return line > 0 ? static_cast<unsigned>(line) : 0;
}

ParseResult<std::shared_ptr<xmlDoc>>
ReadDocument(const std::string& xml, size_t maxSize, const std::string& what, int extraOptions)
{
    using Result = ParseResult<std::shared_ptr<xmlDoc>>;
    if (xml.find_first_not_of(" \t\r\n") == std::string::npos)
    {
        return Result::Fail("empty " + what);
    }
    if (xml.size() > maxSize)
    {
        return Result::Fail(what + " too large (" + std::to_string(xml.size()) + " bytes, limit " +
                            std::to_string(maxSize) + ")");
    }
    size_t doctype = xml.find("<!DOCTYPE");
    if (doctype != std::string::npos)
    {
        unsigned line = 1 + unsigned(std::count(xml.begin(), xml.begin() + doctype, '\n'));
        return Result::Fail("DTD (<!DOCTYPE>) not allowed", line);
    }
    std::shared_ptr<xmlDoc> doc;
    {
        ErrorCapture errors;
        // Deliberately without XML_PARSE_NOENT, XML_PARSE_DTDLOAD, XML_PARSE_XINCLUDE and
        // XML_PARSE_HUGE; XML_PARSE_NONET forbids any fetch.
        doc.reset(xmlReadMemory(xml.data(),
                                int(xml.size()),
                                nullptr,
                                nullptr,
                                XML_PARSE_NONET | extraOptions),
                  DocDeleter());
        if (errors.m_failed)
        {
            return Result::Fail("malformed XML: " + errors.m_message, errors.m_line);
        }
    }
    if (!doc)
    {
        return Result::Fail("malformed XML");
    }
    if (doc->intSubset != nullptr || doc->extSubset != nullptr)
    {
        return Result::Fail("DTD not allowed");
    }
    if (xmlDocGetRootElement(doc.get()) == nullptr)
    {
        return Result::Fail("no root element");
    }
    return Result::Ok(doc);
}

unsigned
Depth(const xmlNode* root, unsigned limit)
{
    unsigned deepest = 0;
    unsigned depth = 1;
    const xmlNode* n = root;
    while (n != nullptr)
    {
        deepest = depth > deepest ? depth : deepest;
        if (deepest > limit)
        {
            return deepest;
        }
        const xmlNode* child = n->children;
        while (child != nullptr && child->type != XML_ELEMENT_NODE)
        {
            child = child->next;
        }
        if (child != nullptr)
        {
            n = child;
            ++depth;
            continue;
        }
        // Climb until a following element sibling exists.
        while (n != nullptr && n != root)
        {
            const xmlNode* sib = n->next;
            while (sib != nullptr && sib->type != XML_ELEMENT_NODE)
            {
                sib = sib->next;
            }
            if (sib != nullptr)
            {
                n = sib;
                break;
            }
            n = n->parent;
            --depth;
        }
        if (n == root)
        {
            break;
        }
    }
    return deepest;
}

std::string
Dump(xmlDoc* doc, xmlNode* element)
{
    xmlBuffer* buf = xmlBufferCreate();
    std::string out;
    if (xmlNodeDump(buf, doc, element, 0, 0) >= 0)
    {
        out.assign(C(xmlBufferContent(buf)), size_t(xmlBufferLength(buf)));
    }
    xmlBufferFree(buf);
    return out;
}

ElementStatus
ElementFail(const xmlNode* node, const std::string& message)
{
    NS_LOG_DEBUG("line " << LineOf(node) << ": " << message);
    return ElementStatus::Fail(message, LineOf(node));
}

bool
InNamespace(const xmlNode* node, const char* uri)
{
    return node->ns != nullptr && node->ns->href != nullptr &&
           std::strcmp(C(node->ns->href), uri) == 0;
}

bool
NextElement(const xmlNode*& child, std::string& error)
{
    for (; child != nullptr; child = child->next)
    {
        switch (child->type)
        {
        case XML_ELEMENT_NODE:
            return true;
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
            for (const xmlChar* p = child->content; p != nullptr && *p != 0; ++p)
            {
                // XML's white space (production S): SP, HT, CR, LF.
                if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
                {
                    error = std::string("unexpected text in <") + C(child->parent->name) + ">";
                    return false;
                }
            }
            break;
        case XML_COMMENT_NODE:
        case XML_PI_NODE:
            break;
        default:
            error = std::string("unexpected node in <") + C(child->parent->name) + ">";
            return false;
        }
    }
    return true;
}

} // namespace xml_support
} // namespace ns3
