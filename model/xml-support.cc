/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "xml-support.h"

#include <cctype>

namespace ns3
{
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

} // namespace xml_support
} // namespace ns3
