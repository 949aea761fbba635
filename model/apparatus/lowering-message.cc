/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "lowering-message.h"

#include "ns3/log.h"
#include "ns3/security-policy-xml.h"
#include "ns3/xml-support.h"

#include <cstring>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("LoweringMessage");

using namespace xml_support;

namespace
{

using Result = ParseResult<LoweringMessage>;

Result
Fail(const xmlNode* node, const std::string& message)
{
    return Result::Fail(message, LineOf(node));
}

/// An attribute without namespace, if present.
std::optional<std::string>
XmlAttribute(const xmlNode* node, const char* name)
{
    xmlChar* v = xmlGetNoNsProp(node, X(name));
    if (v == nullptr)
    {
        return std::nullopt;
    }
    std::string s = C(v);
    xmlFree(v);
    return s;
}

/// A canonical decimal id: 1 to 2^64-1, digits only, no leading zero.
std::optional<uint64_t>
ParseId(const std::string& text)
{
    if (text.empty() || text.size() > 20 || text[0] == '0' ||
        text.find_first_not_of("0123456789") != std::string::npos)
    {
        return std::nullopt;
    }
    uint64_t v = 0;
    for (char c : text)
    {
        uint64_t digit = uint64_t(c - '0');
        if (v > (UINT64_MAX - digit) / 10)
        {
            return std::nullopt;
        }
        v = v * 10 + digit;
    }
    return v;
}

/// The text content of an element (no child elements allowed).
std::optional<std::string>
TextOf(const xmlNode* node)
{
    std::string text;
    for (const xmlNode* c = node->children; c != nullptr; c = c->next)
    {
        if (c->type == XML_ELEMENT_NODE)
        {
            return std::nullopt;
        }
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
            c->content != nullptr)
        {
            text += C(c->content);
        }
    }
    return text;
}

} // namespace

bool
LoweringRequest::operator==(const LoweringRequest& other) const
{
    return id == other.id && policies == other.policies;
}

bool
LoweringAnswer::operator==(const LoweringAnswer& other) const
{
    return id == other.id && accepted == other.accepted && reason == other.reason;
}

std::string
LoweringCodec::Encode(const LoweringMessage& message)
{
    DocPtr doc(xmlNewDoc(X("1.0")));
    bool request = std::holds_alternative<LoweringRequest>(message);
    xmlNode* root =
        xmlNewDocNode(doc.get(), nullptr, X(request ? "lowering" : "lowering-answer"), nullptr);
    xmlDocSetRootElement(doc.get(), root);
    xmlSetNs(root, xmlNewNs(root, X(NAMESPACE), nullptr));
    if (request)
    {
        const auto& r = std::get<LoweringRequest>(message);
        xmlSetProp(root, X("id"), X(std::to_string(r.id).c_str()));
        SecurityPolicyXml::AppendTo(root, r.policies);
    }
    else
    {
        const auto& a = std::get<LoweringAnswer>(message);
        xmlSetProp(root, X("id"), X(std::to_string(a.id).c_str()));
        xmlSetProp(root, X("verdict"), X(a.accepted ? "accept" : "refuse"));
        if (!a.reason.empty())
        {
            xmlNodeAddContent(root, X(a.reason.c_str()));
        }
    }
    return Dump(doc.get(), root);
}

ParseResult<LoweringMessage>
LoweringCodec::Decode(const std::string& xml)
{
    NS_LOG_FUNCTION(xml.size());
    auto doc = ReadDocument(xml, MAX_DOCUMENT_SIZE);
    if (!doc)
    {
        return Result::Fail(doc.GetError(), doc.GetLine());
    }
    const xmlNode* root = xmlDocGetRootElement(doc.GetValue().get());
    std::string name = C(root->name);
    if (root->ns == nullptr || root->ns->href == nullptr ||
        std::strcmp(C(root->ns->href), NAMESPACE) != 0)
    {
        return Fail(root, "<" + name + "> is not in namespace " + NAMESPACE);
    }
    if (name != "lowering" && name != "lowering-answer")
    {
        return Fail(root, "expected <lowering> or <lowering-answer>, found <" + name + ">");
    }
    auto idText = XmlAttribute(root, "id");
    if (!idText)
    {
        return Fail(root, "<" + name + "> without id");
    }
    auto id = ParseId(*idText);
    if (!id)
    {
        return Fail(root, "bad id '" + *idText + "' (a decimal from 1 to 2^64-1)");
    }
    if (name == "lowering")
    {
        const xmlNode* policies = nullptr;
        for (const xmlNode* c = root->children; c != nullptr; c = c->next)
        {
            if (c->type == XML_ELEMENT_NODE)
            {
                if (policies != nullptr)
                {
                    return Fail(c, "<lowering> holds more than one element");
                }
                policies = c;
            }
            else if (c->type == XML_TEXT_NODE && c->content != nullptr &&
                     std::string(C(c->content)).find_first_not_of(" \t\r\n") != std::string::npos)
            {
                return Fail(c, "text in <lowering>");
            }
        }
        if (policies == nullptr)
        {
            return Fail(root, "<lowering> without <policies>");
        }
        auto read = SecurityPolicyXml::ReadFrom(policies);
        if (!read)
        {
            return Result::Fail(read.GetError(), read.GetLine());
        }
        return Result::Ok(LoweringRequest{*id, read.TakeValue()});
    }
    auto verdict = XmlAttribute(root, "verdict");
    if (!verdict || (*verdict != "accept" && *verdict != "refuse"))
    {
        return Fail(root, "verdict must be accept or refuse");
    }
    auto reason = TextOf(root);
    if (!reason)
    {
        return Fail(root, "<lowering-answer> holds an element");
    }
    if (reason->size() > MAX_REASON || reason->find_first_of("\r\n") != std::string::npos)
    {
        return Fail(root,
                    "reason longer than " + std::to_string(MAX_REASON) +
                        " bytes or more than one line");
    }
    return Result::Ok(LoweringAnswer{*id, *verdict == "accept", *reason});
}

} // namespace ns3
