/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "rule-table-decision-model.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/string.h"
#include "ns3/text-util.h"
#include "ns3/xml-support.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <memory>
#include <set>
#include <sstream>

namespace ns3
{

using text::Lower;
using text::Trim;

NS_LOG_COMPONENT_DEFINE("RuleTableDecisionModel");

NS_OBJECT_ENSURE_REGISTERED(RuleTableDecisionModel);

namespace
{

using namespace xml_support;

using Rules = std::vector<DecisionRule>;
using Result = ParseResult<Rules>;

const char* const kRoot = "decision-rules";
const char* const kRule = "rule";
const char* const kRuleAttributes[] = {"name",
                                       "peer-location",
                                       "peer-place-type",
                                       "peer-trusted",
                                       "own-location",
                                       "own-trusted",
                                       "relationship",
                                       "purpose",
                                       "action"};

/// A failure located at \p node (its line; attributes have none of their own).
template <typename T = Rules>
ParseResult<T>
Fail(const xmlNode* node, const std::string& message)
{
    NS_LOG_DEBUG("line " << LineOf(node) << ": " << message);
    return ParseResult<T>::Fail(message, LineOf(node));
}

bool
IsBlank(const char* s)
{
    for (; s != nullptr && *s != '\0'; ++s)
    {
        if (!std::isspace(static_cast<unsigned char>(*s)))
        {
            return false;
        }
    }
    return true;
}

/**
 * Split `a|b|c` into trimmed alternatives; `*` alone gives an empty list (any).
 * \return an error message, empty on success
 */
std::string
SplitAlternatives(const std::string& attr, const std::string& value, std::vector<std::string>& out)
{
    out.clear();
    if (Trim(value) == "*")
    {
        return "";
    }
    size_t pos = 0;
    while (true)
    {
        size_t bar = value.find('|', pos);
        std::string item = Trim(value.substr(pos, bar == std::string::npos ? bar : bar - pos));
        if (item.empty())
        {
            return "empty alternative in " + attr + "=\"" + value + "\"";
        }
        if (item == "*")
        {
            return attr + "=\"" + value + "\": '*' means any and cannot be an alternative";
        }
        out.push_back(item);
        if (bar == std::string::npos)
        {
            return "";
        }
        pos = bar + 1;
    }
}

/// `true`, `false` or `*`; \return an error message, empty on success
std::string
ParseTrusted(const std::string& attr, const std::string& value, std::optional<bool>& out)
{
    std::string v = Trim(value);
    if (v == "true")
    {
        out = true;
    }
    else if (v == "false")
    {
        out = false;
    }
    else if (v == "*")
    {
        out.reset();
    }
    else
    {
        return attr + "=\"" + value + "\": expected true, false or *";
    }
    return "";
}

/// Labels compare case-insensitively: "Office" written by one user is "office" to another.
bool
MatchesAny(const std::vector<std::string>& alternatives, const std::string& value)
{
    if (alternatives.empty())
    {
        return true;
    }
    std::string v = Lower(value);
    return std::any_of(alternatives.begin(), alternatives.end(), [&v](const std::string& a) {
        return Lower(a) == v;
    });
}

/**
 * The line each `<rule` start tag begins on, in document order. libxml2 gives an element the
 * line where its start tag *ends*, which for a rule written over several lines is below its
 * name; people look for the `<rule`. In a well-formed document every '<' opens a tag, a
 * comment, a processing instruction or a CDATA section (attribute values and text cannot hold
 * a raw '<'), so skipping the last three is enough to find the tags.
 */
std::vector<unsigned>
RuleTagLines(const std::string& xml)
{
    std::vector<unsigned> lines;
    unsigned line = 1;
    size_t counted = 0; // xml[0, counted) has been counted into line
    auto lineAt = [&](size_t pos) {
        line += unsigned(std::count(xml.begin() + counted, xml.begin() + pos, '\n'));
        counted = pos;
        return line;
    };
    auto skipTo = [&xml](size_t from, const char* end) {
        size_t e = xml.find(end, from);
        return e == std::string::npos ? xml.size() : e + std::strlen(end);
    };
    size_t pos = 0;
    while ((pos = xml.find('<', pos)) != std::string::npos)
    {
        if (xml.compare(pos, 4, "<!--") == 0)
        {
            pos = skipTo(pos + 4, "-->");
        }
        else if (xml.compare(pos, 9, "<![CDATA[") == 0)
        {
            pos = skipTo(pos + 9, "]]>");
        }
        else if (xml.compare(pos, 2, "<?") == 0)
        {
            pos = skipTo(pos + 2, "?>");
        }
        else
        {
            size_t after = pos + std::strlen(kRule) + 1;
            if (xml.compare(pos + 1, std::strlen(kRule), kRule) == 0 && after < xml.size() &&
                (std::isspace(static_cast<unsigned char>(xml[after])) || xml[after] == '/' ||
                 xml[after] == '>'))
            {
                lines.push_back(lineAt(pos));
            }
            ++pos;
        }
    }
    return lines;
}

/// Read one `<rule>` element whose start tag begins on \p startLine.
ParseResult<DecisionRule>
ReadRule(const xmlNode* element, unsigned startLine)
{
    DecisionRule rule;
    rule.line = startLine;
    // Errors in the attributes point at the `<rule`, not at the end of its start tag.
    auto fail = [startLine](const std::string& message) {
        NS_LOG_DEBUG("line " << startLine << ": " << message);
        return ParseResult<DecisionRule>::Fail(message, startLine);
    };
    bool haveAction = false;
    for (const xmlAttr* a = element->properties; a != nullptr; a = a->next)
    {
        std::string name = C(a->name);
        if (a->ns != nullptr)
        {
            return fail("attribute " + name + " must not have a namespace");
        }
        bool known = std::any_of(std::begin(kRuleAttributes),
                                 std::end(kRuleAttributes),
                                 [&name](const char* k) { return name == k; });
        if (!known)
        {
            std::string list;
            for (const char* k : kRuleAttributes)
            {
                list += (list.empty() ? "" : ", ") + std::string(k);
            }
            return fail("unknown attribute '" + name + "' on <rule> (known: " + list + ")");
        }
        xmlChar* raw = xmlNodeListGetString(element->doc, a->children, 1);
        std::string value = raw != nullptr ? C(raw) : "";
        xmlFree(raw);
        if (Trim(value).empty())
        {
            return fail("empty value of " + name + " (leave the attribute out, or *)");
        }

        std::string error;
        if (name == "name")
        {
            rule.name = Trim(value);
        }
        else if (name == "peer-location")
        {
            error = SplitAlternatives(name, value, rule.peerLocation);
        }
        else if (name == "own-location")
        {
            error = SplitAlternatives(name, value, rule.ownLocation);
        }
        else if (name == "relationship")
        {
            error = SplitAlternatives(name, value, rule.relationship);
        }
        else if (name == "purpose")
        {
            error = SplitAlternatives(name, value, rule.purpose);
        }
        else if (name == "peer-place-type")
        {
            std::vector<std::string> tokens;
            error = SplitAlternatives(name, value, tokens);
            for (const std::string& t : tokens)
            {
                std::optional<PlaceType> type = PlaceTypeFromToken(t);
                if (!type)
                {
                    error = "unknown place type '" + t +
                            "' (expected office, residence, public, cafe, hotel, airport, "
                            "public-transport, other or unknown)";
                    break;
                }
                rule.peerPlaceType.push_back(*type);
            }
        }
        else if (name == "peer-trusted")
        {
            error = ParseTrusted(name, value, rule.peerTrusted);
        }
        else if (name == "own-trusted")
        {
            error = ParseTrusted(name, value, rule.ownTrusted);
        }
        else if (name == "action")
        {
            ParseResult<RuleAction> action = RuleAction::Parse(Trim(value));
            if (!action)
            {
                error = action.GetError();
            }
            else
            {
                rule.action = action.GetValue();
                haveAction = true;
            }
        }
        if (!error.empty())
        {
            return fail(error);
        }
    }
    if (!haveAction)
    {
        return fail("<rule> without action (accept, raise:..., clear or refuse)");
    }
    for (const xmlNode* c = element->children; c != nullptr; c = c->next)
    {
        if (c->type == XML_COMMENT_NODE || (c->type == XML_TEXT_NODE && IsBlank(C(c->content))))
        {
            continue;
        }
        return Fail<DecisionRule>(c, "<rule> must be empty (conditions and action are attributes)");
    }
    return ParseResult<DecisionRule>::Ok(std::move(rule));
}

/// Read the `<decision-rules>` root of document \p xml.
Result
ReadRoot(const xmlNode* root, const std::string& xml)
{
    if (std::strcmp(C(root->name), kRoot) != 0)
    {
        return Fail(root,
                    std::string("expected <") + kRoot + "> as root, found <" + C(root->name) + ">");
    }
    if (root->ns != nullptr)
    {
        return Fail(root, std::string("<") + kRoot + "> must not have a namespace");
    }
    if (root->properties != nullptr)
    {
        return Fail(root,
                    std::string("unknown attribute '") + C(root->properties->name) + "' on <" +
                        kRoot + ">");
    }
    Rules rules;
    std::set<std::string> names;
    std::optional<size_t> catchAll; // index of the first rule without conditions
    std::vector<unsigned> tagLines; // where each `<rule` begins, computed on first need
    for (const xmlNode* c = root->children; c != nullptr; c = c->next)
    {
        if (c->type == XML_COMMENT_NODE || (c->type == XML_TEXT_NODE && IsBlank(C(c->content))))
        {
            continue;
        }
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
        {
            // libxml2 dates a text node by where it ends; point at its first visible line.
            std::string text = C(c->content);
            size_t first = std::min(text.find_first_not_of(" \t\r\n"), text.size());
            unsigned below = unsigned(std::count(text.begin() + first, text.end(), '\n'));
            unsigned line = LineOf(c) > below ? LineOf(c) - below : LineOf(c);
            return Result::Fail("text between rules: '" + Trim(text).substr(0, 20) + "'", line);
        }
        if (c->type != XML_ELEMENT_NODE)
        {
            return Fail(c, "unexpected content in <decision-rules> (only <rule> and comments)");
        }
        if (std::strcmp(C(c->name), kRule) != 0 || c->ns != nullptr)
        {
            return Fail(c, std::string("unexpected element <") + C(c->name) + ">, expected <rule>");
        }
        if (rules.size() == RuleTableDecisionModel::MAX_RULES)
        {
            return Fail(c,
                        "more than " + std::to_string(RuleTableDecisionModel::MAX_RULES) +
                            " rules");
        }
        if (tagLines.empty())
        {
            tagLines = RuleTagLines(xml);
        }
        // The k-th <rule> child is the k-th `<rule` tag: a nested one fails its parent first.
        unsigned startLine = rules.size() < tagLines.size() ? tagLines[rules.size()] : LineOf(c);
        ParseResult<DecisionRule> parsed = ReadRule(c, startLine);
        if (!parsed)
        {
            return Result::Fail(parsed.GetError(), parsed.GetLine());
        }
        DecisionRule rule = parsed.TakeValue();
        if (!rule.name.empty() && !names.insert(rule.name).second)
        {
            return Result::Fail("duplicate rule name '" + rule.name + "'", rule.line);
        }
        // First match wins, so anything after a rule without conditions is dead: almost
        // certainly a mistake in the order of the table.
        if (catchAll)
        {
            return Result::Fail(rule.Describe(rules.size()) +
                                    " can never match: " + rules[*catchAll].Describe(*catchAll) +
                                    " before it matches everything",
                                rule.line);
        }
        if (rule.MatchesEverything())
        {
            catchAll = rules.size();
        }
        rules.push_back(std::move(rule));
    }
    if (rules.empty())
    {
        return Fail(root, std::string("no <rule> in <") + kRoot + ">");
    }
    return Result::Ok(std::move(rules));
}

} // namespace

// ---- RuleAction ----

std::string
RuleAction::ToString() const
{
    switch (kind)
    {
    case Kind::ACCEPT:
        return "accept";
    case Kind::RAISE:
        return "raise:" + PolicySet::ServicesToString(services);
    case Kind::CLEAR:
        return "clear";
    case Kind::REFUSE:
        return "refuse";
    }
    return "?";
}

ParseResult<RuleAction>
RuleAction::Parse(const std::string& text)
{
    RuleAction a;
    if (text == "accept")
    {
        a.kind = Kind::ACCEPT;
    }
    else if (text == "clear")
    {
        a.kind = Kind::CLEAR;
    }
    else if (text == "refuse")
    {
        a.kind = Kind::REFUSE;
    }
    else if (text.rfind("raise:", 0) == 0)
    {
        std::optional<std::vector<IpsecProtocol>> services =
            PolicySet::ParseServices(text.substr(6));
        if (!services)
        {
            return ParseResult<RuleAction>::Fail("action '" + text +
                                                 "': raise to esp, ah or esp+ah");
        }
        a.kind = Kind::RAISE;
        a.services = *services;
    }
    else
    {
        return ParseResult<RuleAction>::Fail(
            "unknown action '" + text +
            "' (expected accept, raise:esp, raise:ah, raise:esp+ah, clear or refuse)");
    }
    return ParseResult<RuleAction>::Ok(a);
}

// ---- DecisionRule ----

bool
DecisionRule::Matches(const DecisionContext& ctx) const
{
    PlaceType peerPlace = ctx.peer.placeType.value_or(PlaceType::UNKNOWN);
    bool placeOk =
        peerPlaceType.empty() ||
        std::find(peerPlaceType.begin(), peerPlaceType.end(), peerPlace) != peerPlaceType.end();
    return placeOk && MatchesAny(peerLocation, ctx.peer.location) &&
           (!peerTrusted || *peerTrusted == ctx.peerTrusted) &&
           MatchesAny(ownLocation, ctx.ownLocation) &&
           (!ownTrusted || *ownTrusted == ctx.ownTrusted) &&
           MatchesAny(relationship, ctx.relationship) && MatchesAny(purpose, ctx.purpose);
}

bool
DecisionRule::MatchesEverything() const
{
    return peerLocation.empty() && peerPlaceType.empty() && !peerTrusted && ownLocation.empty() &&
           !ownTrusted && relationship.empty() && purpose.empty();
}

std::string
DecisionRule::Describe(size_t index) const
{
    std::string s = name.empty() ? "rule " + std::to_string(index + 1) : "rule '" + name + "'";
    return line > 0 ? s + " (line " + std::to_string(line) + ")" : s;
}

// ---- RuleTableDecisionModel ----

TypeId
RuleTableDecisionModel::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::RuleTableDecisionModel")
            .SetParent<UserDecisionModel>()
            .SetGroupName("Presec")
            .AddConstructor<RuleTableDecisionModel>()
            .AddAttribute("RulesFile",
                          "XML rule file to load (see the class description); a file that does "
                          "not parse is refused (SetAttribute aborts). Empty: no rules.",
                          StringValue(""),
                          MakeStringAccessor(&RuleTableDecisionModel::SetRulesFile,
                                             &RuleTableDecisionModel::GetRulesFile),
                          MakeStringChecker())
            .AddAttribute("DefaultAction",
                          "What to do when no rule matches: accept, raise:esp, raise:ah, "
                          "raise:esp+ah, clear or refuse.",
                          StringValue("accept"),
                          MakeStringAccessor(&RuleTableDecisionModel::SetDefaultAction,
                                             &RuleTableDecisionModel::GetDefaultAction),
                          MakeStringChecker());
    return tid;
}

RuleTableDecisionModel::RuleTableDecisionModel()
{
    NS_LOG_FUNCTION(this);
}

RuleTableDecisionModel::~RuleTableDecisionModel()
{
    NS_LOG_FUNCTION(this);
}

ParseResult<std::vector<DecisionRule>>
RuleTableDecisionModel::ParseRules(const std::string& xml)
{
    NS_LOG_FUNCTION(xml.size());
    auto doc = ReadDocument(xml, MAX_DOCUMENT_SIZE, "rule document");
    if (!doc)
    {
        return Result::Fail(doc.GetError(), doc.GetLine());
    }
    const xmlNode* root = xmlDocGetRootElement(doc.GetValue().get());
    return ReadRoot(root, xml);
}

ParseResult<std::vector<DecisionRule>>
RuleTableDecisionModel::ReadRulesFile(const std::string& path)
{
    NS_LOG_FUNCTION(path);
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        return Result::Fail("cannot open rule file '" + path + "'");
    }
    // Read one byte past the limit, so an oversized file is reported as such, not truncated.
    std::string text(MAX_DOCUMENT_SIZE + 1, '\0');
    in.read(&text[0], std::streamsize(text.size()));
    text.resize(size_t(in.gcount()));
    if (in.bad())
    {
        return Result::Fail("cannot read rule file '" + path + "'");
    }
    return ParseRules(text);
}

ParseResult<std::vector<DecisionRule>>
RuleTableDecisionModel::LoadRules(const std::string& xml)
{
    NS_LOG_FUNCTION(this);
    Result r = ParseRules(xml);
    if (r)
    {
        m_rules = r.GetValue();
    }
    return r;
}

ParseResult<std::vector<DecisionRule>>
RuleTableDecisionModel::LoadRulesFile(const std::string& path)
{
    NS_LOG_FUNCTION(this << path);
    Result r = ReadRulesFile(path);
    if (r)
    {
        m_rules = r.GetValue();
        m_rulesFile = path;
    }
    return r;
}

void
RuleTableDecisionModel::SetRules(std::vector<DecisionRule> rules)
{
    NS_LOG_FUNCTION(this << rules.size());
    m_rules = std::move(rules);
}

const std::vector<DecisionRule>&
RuleTableDecisionModel::GetRules() const
{
    return m_rules;
}

bool
RuleTableDecisionModel::SetRulesFile(std::string path)
{
    NS_LOG_FUNCTION(this << path);
    if (path.empty())
    {
        m_rules.clear();
        m_rulesFile.clear();
        return true;
    }
    Result r = LoadRulesFile(path);
    // A scenario configured with a broken table would silently decide by DefaultAction:
    // refusing the value makes SetAttribute stop (and lets a scenario parser report it).
    if (!r)
    {
        NS_LOG_ERROR("RulesFile '" << path << "': " << r.Describe());
        return false;
    }
    return true;
}

std::string
RuleTableDecisionModel::GetRulesFile() const
{
    return m_rulesFile;
}

bool
RuleTableDecisionModel::SetDefaultAction(std::string action)
{
    NS_LOG_FUNCTION(this << action);
    ParseResult<RuleAction> a = RuleAction::Parse(action);
    if (!a)
    {
        NS_LOG_ERROR("DefaultAction: " << a.GetError());
        return false;
    }
    m_defaultAction = a.GetValue();
    return true;
}

std::string
RuleTableDecisionModel::GetDefaultAction() const
{
    return m_defaultAction.ToString();
}

Decision
RuleTableDecisionModel::Apply(const DecisionContext& ctx,
                              const RuleAction& action,
                              const std::string& why)
{
    std::string reason = why + ": " + action.ToString();
    switch (action.kind)
    {
    case RuleAction::Kind::ACCEPT:
        return Accept(ctx, reason);
    case RuleAction::Kind::RAISE:
        return Modify(PolicySet::RaiseTo(ctx.OurView(), action.services), reason);
    case RuleAction::Kind::CLEAR:
        return Modify(PolicySet::SetTo(ctx.OurView(), {}), reason);
    case RuleAction::Kind::REFUSE:
        return Refuse(reason);
    }
    return Refuse(reason);
}

Decision
RuleTableDecisionModel::DoDecide(const DecisionContext& ctx)
{
    NS_LOG_FUNCTION(this << ctx.peer.entity);
    for (size_t i = 0; i < m_rules.size(); ++i)
    {
        if (m_rules[i].Matches(ctx))
        {
            return Apply(ctx, m_rules[i].action, m_rules[i].Describe(i));
        }
    }
    return Apply(ctx, m_defaultAction, "no rule matched, default");
}

} // namespace ns3
