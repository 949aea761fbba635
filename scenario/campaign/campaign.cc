/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "campaign.h"

#include "campaign-process.h"

#include <cctype>
#include <charconv>
#include <filesystem>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <map>
#include <memory>
#include <set>
#include <sstream>

namespace ns3
{
namespace campaign
{

namespace
{

// Bounds that keep a hostile or mistyped file from expanding into billions of runs.
constexpr size_t kMaxFileSize = 1 << 20;
constexpr unsigned long long kMaxRuns = 1000000;
constexpr unsigned kMaxReplications = 100000;

const char*
C(const xmlChar* s)
{
    return reinterpret_cast<const char*>(s);
}

/// The located error of one campaign file.
class Where
{
  public:
    explicit Where(std::string file)
        : m_file(std::move(file))
    {
    }

    [[noreturn]] void Fail(unsigned line, const std::string& message) const
    {
        throw CampaignError(m_file + ":" + std::to_string(line) + ": " + message);
    }

    [[noreturn]] void Fail(const xmlNode* node, const std::string& message) const
    {
        Fail(node ? static_cast<unsigned>(xmlGetLineNo(node)) : 0, message);
    }

  private:
    std::string m_file;
};

struct DocFree
{
    void operator()(xmlDoc* d) const
    {
        xmlFreeDoc(d);
    }
};

struct CtxtFree
{
    void operator()(xmlParserCtxt* c) const
    {
        xmlFreeParserCtxt(c);
    }
};

/// Attributes of an element, refusing any not in \p allowed (a typo must not be ignored).
std::map<std::string, std::string>
Attributes(const Where& where, const xmlNode* node, const std::set<std::string>& allowed)
{
    std::map<std::string, std::string> out;
    for (const xmlAttr* a = node->properties; a; a = a->next)
    {
        std::string name = C(a->name);
        if (a->ns || allowed.count(name) == 0)
        {
            where.Fail(node,
                       "<" + std::string(C(node->name)) + "> has no attribute '" + name + "'");
        }
        xmlChar* v = xmlNodeListGetString(node->doc, a->children, 1);
        out[name] = v ? C(v) : "";
        xmlFree(v);
    }
    return out;
}

std::string
Required(const Where& where,
         const xmlNode* node,
         const std::map<std::string, std::string>& attrs,
         const std::string& name)
{
    auto it = attrs.find(name);
    if (it == attrs.end() || it->second.empty())
    {
        where.Fail(node, "<" + std::string(C(node->name)) + "> needs a " + name + "=\"...\"");
    }
    return it->second;
}

unsigned
Count(const Where& where,
      const xmlNode* node,
      const std::string& attr,
      const std::string& text,
      unsigned low,
      unsigned high)
{
    unsigned v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || v < low || v > high)
    {
        where.Fail(node,
                   attr + "=\"" + text + "\" is not a whole number from " + std::to_string(low) +
                       " to " + std::to_string(high));
    }
    return v;
}

bool
IsNameChar(char ch)
{
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-' || ch == '.';
}

bool
IsWord(const std::string& s)
{
    if (s.empty())
    {
        return false;
    }
    for (char ch : s)
    {
        if (!IsNameChar(ch))
        {
            return false;
        }
    }
    return true;
}

/// Whitespace-separated tokens; a value must be printable, since it lands in a command line.
std::vector<std::string>
Values(const Where& where, const xmlNode* node, const std::string& text)
{
    std::vector<std::string> out;
    std::istringstream in(text);
    std::string v;
    std::set<std::string> seen;
    while (in >> v)
    {
        for (char ch : v)
        {
            if (!std::isprint(static_cast<unsigned char>(ch)))
            {
                where.Fail(node, "value '" + v + "' has a control or non-ASCII character");
            }
        }
        if (!seen.insert(v).second)
        {
            where.Fail(node, "value '" + v + "' is listed twice");
        }
        out.push_back(v);
    }
    if (out.empty())
    {
        where.Fail(node, "<parameter> needs at least one value in values=\"...\"");
    }
    return out;
}

/// A parameter name says how the value reaches presec-run.
void
CheckParameterName(const Where& where, const xmlNode* node, const std::string& name)
{
    if (name == "decision")
    {
        return;
    }
    const std::string attrPrefix = "decision-attr:";
    if (name.rfind(attrPrefix, 0) == 0 && IsWord(name.substr(attrPrefix.size())))
    {
        return;
    }
    // element:name:key or scenario:key, words between the colons (presec-run --set).
    std::istringstream in(name);
    std::string part;
    unsigned parts = 0;
    bool ok = name.back() != ':';
    while (std::getline(in, part, ':'))
    {
        ok = ok && IsWord(part);
        ++parts;
    }
    if (!ok || parts < 2 || parts > 3)
    {
        where.Fail(node,
                   "parameter '" + name +
                       "' is none of: decision, decision-attr:KEY, element:name:key, "
                       "scenario:key");
    }
}

/// Path syntax: segments "key", "key[*]" or "key[N]" separated by dots.
void
CheckPath(const Where& where, const xmlNode* node, const std::string& path)
{
    std::istringstream in(path);
    std::string seg;
    bool any = false;
    bool ok = !path.empty() && path.back() != '.';
    while (ok && std::getline(in, seg, '.'))
    {
        any = true;
        auto open = seg.find('[');
        std::string key = seg.substr(0, open);
        ok = IsWord(key);
        if (ok && open != std::string::npos)
        {
            std::string idx = seg.substr(open + 1);
            ok = idx.size() >= 2 && idx.back() == ']';
            idx = idx.substr(0, idx.size() - (ok ? 1 : 0));
            ok = ok && (idx == "*" || (!idx.empty() && idx.size() <= 9 &&
                                       idx.find_first_not_of("0123456789") == std::string::npos));
        }
    }
    if (!ok || !any)
    {
        where.Fail(node,
                   "path '" + path +
                       "' is not key(.key)* where a key may end in [*] or [N], e.g. "
                       "terminals[*].exposure_bytes");
    }
}

Reduce
ParseReduce(const Where& where, const xmlNode* node, const std::string& text)
{
    for (Reduce r : {Reduce::SUM, Reduce::MEAN, Reduce::MAX, Reduce::MIN, Reduce::SINGLE})
    {
        if (ReduceName(r) == text)
        {
            return r;
        }
    }
    where.Fail(node, "reduce=\"" + text + "\" is none of sum, mean, max, min, single");
}

std::string
Sanitize(const std::string& s)
{
    std::string out;
    for (char ch : s)
    {
        out += IsNameChar(ch) ? ch : '-';
    }
    return out;
}

} // namespace

std::string
ReduceName(Reduce reduce)
{
    switch (reduce)
    {
    case Reduce::SUM:
        return "sum";
    case Reduce::MEAN:
        return "mean";
    case Reduce::MAX:
        return "max";
    case Reduce::MIN:
        return "min";
    case Reduce::SINGLE:
        break;
    }
    return "single";
}

unsigned long long
StableHash(const std::string& text)
{
    unsigned long long h = 14695981039346656037ULL;
    for (unsigned char ch : text)
    {
        h ^= ch;
        h *= 1099511628211ULL;
    }
    return h;
}

std::string
Hex(unsigned long long value, unsigned digits)
{
    static const char kDigits[] = "0123456789abcdef";
    std::string out(digits, '0');
    for (unsigned i = 0; i < digits; ++i)
    {
        out[digits - 1 - i] = kDigits[(value >> (4 * i)) & 0xf];
    }
    return out;
}

Campaign
ParseCampaignString(const std::string& xml, const std::string& file, const std::string& baseDir)
{
    Where where(file);
    if (xml.empty())
    {
        where.Fail(1, "the campaign file is empty");
    }
    if (xml.size() > kMaxFileSize)
    {
        where.Fail(1, "the campaign file is larger than 1 MiB");
    }
    std::unique_ptr<xmlParserCtxt, CtxtFree> ctxt(xmlNewParserCtxt());
    if (!ctxt)
    {
        throw CampaignError(file + ": out of memory");
    }
    // No network, no entity substitution, no DTD loading: the file is data, not a program.
    std::unique_ptr<xmlDoc, DocFree> doc(
        xmlCtxtReadMemory(ctxt.get(),
                          xml.data(),
                          static_cast<int>(xml.size()),
                          file.c_str(),
                          nullptr,
                          XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
    const xmlError* err = xmlCtxtGetLastError(ctxt.get());
    if (!doc || (err && err->level >= XML_ERR_ERROR))
    {
        std::string msg = err && err->message ? err->message : "not well-formed XML";
        while (!msg.empty() && std::isspace(static_cast<unsigned char>(msg.back())))
        {
            msg.pop_back();
        }
        where.Fail(err ? static_cast<unsigned>(err->line) : 1, msg);
    }
    if (doc->intSubset || doc->extSubset)
    {
        where.Fail(1, "a campaign file may not have a DTD");
    }
    const xmlNode* root = xmlDocGetRootElement(doc.get());
    if (!root || std::string(C(root->name)) != "campaign" || root->ns)
    {
        where.Fail(root, "the root element must be <campaign>");
    }
    auto attrs = Attributes(where, root, {"name", "scenario", "replications", "first-run"});
    Campaign c;
    c.file = file;
    c.name = Required(where, root, attrs, "name");
    if (!IsWord(c.name))
    {
        where.Fail(root, "name=\"" + c.name + "\" may hold only letters, digits, '.', '_', '-'");
    }
    std::filesystem::path scenario(Required(where, root, attrs, "scenario"));
    if (scenario.is_relative())
    {
        scenario = std::filesystem::path(baseDir) / scenario;
    }
    c.scenario = scenario.lexically_normal().string();
    if (attrs.count("replications"))
    {
        c.replications =
            Count(where, root, "replications", attrs["replications"], 1, kMaxReplications);
    }
    if (attrs.count("first-run"))
    {
        c.firstRun = Count(where, root, "first-run", attrs["first-run"], 1, 1000000000);
    }
    std::set<std::string> names;
    std::set<std::string> metricNames;
    unsigned long long runs = c.replications;
    for (const xmlNode* n = root->children; n; n = n->next)
    {
        if (n->type != XML_ELEMENT_NODE)
        {
            continue;
        }
        std::string tag = C(n->name);
        if (n->ns)
        {
            where.Fail(n, "<" + tag + "> is in a namespace; campaign elements have none");
        }
        if (n->children && n->children->type == XML_ELEMENT_NODE)
        {
            where.Fail(n, "<" + tag + "> has no child elements");
        }
        if (tag == "parameter")
        {
            auto a = Attributes(where, n, {"name", "values"});
            Parameter p;
            p.line = static_cast<unsigned>(xmlGetLineNo(n));
            p.name = Required(where, n, a, "name");
            CheckParameterName(where, n, p.name);
            if (!names.insert(p.name).second)
            {
                where.Fail(n, "parameter '" + p.name + "' is declared twice");
            }
            p.values = Values(where, n, a["values"]);
            runs *= p.values.size();
            if (runs > kMaxRuns)
            {
                where.Fail(n, "the campaign expands into more than 1000000 runs");
            }
            c.parameters.push_back(std::move(p));
        }
        else if (tag == "metric")
        {
            auto a = Attributes(where, n, {"name", "path", "reduce"});
            Metric m;
            m.line = static_cast<unsigned>(xmlGetLineNo(n));
            m.name = Required(where, n, a, "name");
            if (!IsWord(m.name))
            {
                where.Fail(n, "metric name '" + m.name + "' may hold only letters, digits, .-_");
            }
            if (!metricNames.insert(m.name).second)
            {
                where.Fail(n, "metric '" + m.name + "' is declared twice");
            }
            m.path = Required(where, n, a, "path");
            CheckPath(where, n, m.path);
            if (a.count("reduce"))
            {
                m.reduce = ParseReduce(where, n, a["reduce"]);
            }
            c.metrics.push_back(std::move(m));
        }
        else if (tag == "arg")
        {
            auto a = Attributes(where, n, {"value"});
            std::string v = Required(where, n, a, "value");
            if (v.rfind("--", 0) != 0 || v.rfind("--out", 0) == 0 || v.rfind("--RngRun", 0) == 0)
            {
                where.Fail(n,
                           "<arg value=\"" + v +
                               "\"> must be a presec-run --option other than --out and "
                               "--RngRun (the sweep sets those)");
            }
            c.args.push_back(v);
        }
        else
        {
            where.Fail(n, "unknown element <" + tag + "> (parameter, metric or arg expected)");
        }
    }
    if (c.metrics.empty())
    {
        where.Fail(root, "a campaign needs at least one <metric>");
    }
    return c;
}

Campaign
ParseCampaignFile(const std::string& path)
{
    std::string text;
    try
    {
        text = ReadFile(path);
    }
    catch (const CampaignError&)
    {
        throw CampaignError(path + ": cannot read the campaign file");
    }
    auto dir = std::filesystem::absolute(std::filesystem::path(path)).parent_path();
    return ParseCampaignString(text, path, dir.string());
}

std::string
ConfigLabel(const Campaign& c, const std::vector<std::string>& values)
{
    std::string out;
    for (size_t i = 0; i < c.parameters.size() && i < values.size(); ++i)
    {
        out += (i ? " " : "") + c.parameters[i].name + "=" + values[i];
    }
    return out.empty() ? "all" : out;
}

std::vector<RunSpec>
Expand(const Campaign& c)
{
    size_t configs = 1;
    for (const auto& p : c.parameters)
    {
        configs *= p.values.size();
    }
    std::vector<RunSpec> runs;
    runs.reserve(configs * c.replications);
    for (size_t k = 0; k < configs; ++k)
    {
        // Mixed-radix digits of k, the last parameter varying fastest.
        std::vector<std::string> values(c.parameters.size());
        size_t rest = k;
        for (size_t i = c.parameters.size(); i-- > 0;)
        {
            values[i] = c.parameters[i].values[rest % c.parameters[i].values.size()];
            rest /= c.parameters[i].values.size();
        }
        for (unsigned r = 0; r < c.replications; ++r)
        {
            RunSpec run;
            run.index = static_cast<unsigned>(runs.size());
            run.config = static_cast<unsigned>(k);
            run.values = values;
            run.rngRun = c.firstRun + r;
            std::string readable;
            std::string canonical;
            run.command.push_back(c.scenario);
            run.command.push_back("--RngRun=" + std::to_string(run.rngRun));
            run.command.insert(run.command.end(), c.args.begin(), c.args.end());
            for (size_t i = 0; i < values.size(); ++i)
            {
                const auto& name = c.parameters[i].name;
                canonical += name + '\0' + values[i] + '\0';
                // Single-valued parameters are in the hash but would only lengthen the name.
                if (c.parameters[i].values.size() > 1)
                {
                    readable += Sanitize(name) + "=" + Sanitize(values[i]) + "_";
                }
                if (name == "decision")
                {
                    run.command.push_back("--decision=" + values[i]);
                }
                else if (name.rfind("decision-attr:", 0) == 0)
                {
                    run.command.push_back("--decision-attr=" + name.substr(14) + "=" + values[i]);
                }
                else
                {
                    run.command.push_back("--set=" + name + "=" + values[i]);
                }
            }
            canonical += std::to_string(run.rngRun);
            run.id = readable + "run=" + std::to_string(run.rngRun) + "_" +
                     Hex(StableHash(canonical), 8);
            runs.push_back(std::move(run));
        }
    }
    return runs;
}

} // namespace campaign
} // namespace ns3
