/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_XML_SUPPORT_H
#define PRESEC_XML_SUPPORT_H

// libxml2 plumbing shared by presec's XML codecs (policies, PIDF, decision rules). Not part of
// the public API: only model .cc files include it.

#include "parse-result.h"

#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <memory>
#include <string>

namespace ns3
{
namespace xml_support
{

// libxml2 2.12 made the structured error callback take a const error.
#if LIBXML_VERSION >= 21200
using XmlErrorArg = const xmlError*;
#else
using XmlErrorArg = xmlError*;
#endif

/**
 * \param s a C string
 * \return it as libxml2 text
 */
inline const xmlChar*
X(const char* s)
{
    return reinterpret_cast<const xmlChar*>(s);
}

/**
 * \param s libxml2 text
 * \return it as a C string
 */
inline const char*
C(const xmlChar* s)
{
    return reinterpret_cast<const char*>(s);
}

/**
 * Collects the first libxml2 error of a parse and keeps libxml2 quiet while it lives.
 * The handlers are thread-local globals in libxml2; the previous ones are restored.
 */
class ErrorCapture
{
  public:
    ErrorCapture();
    ~ErrorCapture();
    ErrorCapture(const ErrorCapture&) = delete;
    ErrorCapture& operator=(const ErrorCapture&) = delete;

    bool m_failed{false};  //!< an error (not a warning) was reported
    std::string m_message; //!< first error's message, trimmed
    unsigned m_line{0};    //!< first error's line

  private:
    /**
     * libxml2's structured error callback.
     * \param ctx this
     * \param error the error
     */
    static void OnError(void* ctx, XmlErrorArg error);

    /**
     * libxml2's generic error callback: generic messages only duplicate structured ones.
     * \param ctx unused
     * \param msg unused
     */
    static void OnGeneric(void* ctx, const char* msg, ...);

    xmlStructuredErrorFunc m_oldStructured; //!< handler to restore
    void* m_oldStructuredContext;           //!< its context
    xmlGenericErrorFunc m_oldGeneric;       //!< handler to restore
    void* m_oldGenericContext;              //!< its context
};

/** Frees a libxml2 document. */
struct DocDeleter
{
    /**
     * \param doc the document
     */
    void operator()(xmlDoc* doc) const
    {
        xmlFreeDoc(doc);
    }
};

/** An owned libxml2 document. */
using DocPtr = std::unique_ptr<xmlDoc, DocDeleter>;

/**
 * \param node a node
 * \return its source line; 0 for nodes built in memory
 */
unsigned LineOf(const xmlNode* node);

/// Outcome of reading one element of a document: true, or an error at the element's line.
using ElementStatus = ParseResult<bool>;

/** \return success of reading one element */
inline ElementStatus
ElementOk()
{
    return ElementStatus::Ok(true);
}

/**
 * \param node the element at fault
 * \param message what is wrong with it
 * \return the failure, located at the element's line
 */
ElementStatus ElementFail(const xmlNode* node, const std::string& message);

/**
 * \param node a node
 * \param uri a namespace URI
 * \return whether the node is in that namespace
 */
bool InNamespace(const xmlNode* node, const char* uri);

/**
 * Steps \p child to the next element of element-only content, skipping white space,
 * comments and processing instructions.
 * \param child the node to start from (the parent's first child, or the one after the last
 *        element read); left at the element, or null at the end
 * \param error set when other text or another kind of node stands in the way
 * \return false with \p error set; true at an element or the end
 */
bool NextElement(const xmlNode*& child, std::string& error);

/**
 * Depth of the deepest element below \p root, counting the root as 1; stops early past
 * \p limit, so a hostile document costs no more than the limit.
 * \param root an element
 * \param limit the depth past which counting stops
 * \return the depth, or a value over \p limit
 */
unsigned Depth(const xmlNode* root, unsigned limit);

/**
 * An element as text, without XML declaration and trailing newline (what a SIP body or a
 * policy file wants: UTF-8 is the default, and the declaration's bytes count on the wire).
 * \param doc its document
 * \param element the element
 * \return the serialized element
 */
std::string Dump(xmlDoc* doc, xmlNode* element);

/**
 * Read a document the safe way every presec codec needs: refused when empty or larger than
 * \p maxSize, refused before parsing when it has a DTD (no entity declarations, so no entity
 * expansion, no external subset), parsed without network access, entity substitution,
 * DTD loading or XInclude, and refused on any libxml2 error (namespace errors included).
 * \param xml the text
 * \param maxSize the largest accepted size in bytes
 * \param what what the document is, for the messages ("document", "rule document", ...)
 * \param extraOptions libxml2 options to add, e.g. XML_PARSE_NOBLANKS
 * \return the document (its root element exists), or an error naming the line
 */
ParseResult<std::shared_ptr<xmlDoc>> ReadDocument(const std::string& xml,
                                                  size_t maxSize,
                                                  const std::string& what = "document",
                                                  int extraOptions = 0);

} // namespace xml_support
} // namespace ns3

#endif // PRESEC_XML_SUPPORT_H
