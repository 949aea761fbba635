/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "scenario.h"

#include "e-model.h"

#include "ns3/crypto-profile.h"
#include "ns3/decision-model-factory.h"
#include "ns3/rtp-header.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <map>
#include <set>
#include <sstream>
#include <tuple>
#include <unordered_map>

namespace ns3
{

std::string
ScenarioNetwork::PrefixText() const
{
    std::ostringstream o;
    prefix.Print(o);
    o << "/" << unsigned(prefixLength);
    return o.str();
}

bool
ScenarioNetwork::Contains(Ipv4Address a) const
{
    uint32_t mask = prefixLength == 0 ? 0 : ~uint32_t(0) << (32 - prefixLength);
    return (a.Get() & mask) == (prefix.Get() & mask);
}

VoiceFormat
ScenarioSession::GetVoiceFormat() const
{
    const VoiceCodec c = VoiceCodec::Find(codec).value_or(VoiceCodec::GetAll().front());
    VoiceFormat f;
    f.interval = MicroSeconds(int64_t(std::llround(ptimeMs * 1000)));
    f.bytes = RtpHeader().GetSerializedSize() + c.PayloadBytes(ptimeMs);
    f.payloadType = uint8_t(c.payloadType);
    f.clockRate = c.clockRate;
    return f;
}

namespace
{

/**
 * Index of the first element named n. A hit in the cache is checked against the vector as it
 * is now; a miss searches the vector and, when it finds n, rebuilds the cache (elements were
 * added or renamed since). A linear search per lookup made per-packet lookups on large
 * scenarios cost as much as the rest of the simulation (10,000 terminals).
 */
template <typename T>
int
FindByName(const std::vector<T>& items,
           std::unordered_map<std::string, int>& cache,
           const std::string& n)
{
    auto it = cache.find(n);
    if (it != cache.end() && size_t(it->second) < items.size() && items[it->second].name == n)
    {
        return it->second;
    }
    for (size_t i = 0; i < items.size(); ++i)
    {
        if (items[i].name == n)
        {
            cache.clear();
            for (size_t k = items.size(); k-- > 0;)
            {
                cache[items[k].name] = int(k); // the first of duplicate names wins
            }
            return int(i);
        }
    }
    return -1;
}

} // namespace

int
Scenario::FindNetwork(const std::string& n) const
{
    return FindByName(networks, m_networkIndex, n);
}

int
Scenario::FindTerminal(const std::string& n) const
{
    return FindByName(terminals, m_terminalIndex, n);
}

bool
Scenario::HasWifi() const
{
    return std::any_of(networks.begin(), networks.end(), [](const auto& n) { return n.IsWifi(); });
}

bool
Scenario::HasCsma() const
{
    return std::any_of(networks.begin(), networks.end(), [](const auto& n) { return !n.IsWifi(); });
}

bool
Scenario::HasCore() const
{
    return !sites.empty() ||
           std::any_of(networks.begin(), networks.end(), [](const auto& n) { return n.hasAccess; });
}

int
Scenario::FindSite(const std::string& n) const
{
    return FindByName(sites, m_siteIndex, n);
}

double
Scenario::GetWifiReach() const
{
    double reach = 50;
    for (size_t a = 0; a < networks.size(); ++a)
    {
        for (size_t b = a + 1; b < networks.size(); ++b)
        {
            const auto& x = networks[a];
            const auto& y = networks[b];
            if (x.IsWifi() && y.IsWifi())
            {
                reach = std::min(reach, std::hypot(x.x - y.x, x.y - y.y) / 2);
            }
        }
    }
    return reach;
}

namespace
{

/// Thrown inside the parser only; turned into a ParseResult.
struct ScenarioError
{
    unsigned line;
    std::string message;
};

[[noreturn]] void
Fail(unsigned line, const std::string& message)
{
    throw ScenarioError{line, message};
}

/// Attributes of one element, checked against the allowed set.
class Attrs
{
  public:
    Attrs(xmlNodePtr node, const std::set<std::string>& allowed)
        : m_line(unsigned(xmlGetLineNo(node))),
          m_element(reinterpret_cast<const char*>(node->name))
    {
        for (xmlAttrPtr a = node->properties; a; a = a->next)
        {
            std::string name = reinterpret_cast<const char*>(a->name);
            if (!allowed.count(name))
            {
                Fail(m_line, "unknown attribute '" + name + "' on <" + m_element + ">");
            }
            xmlChar* v = xmlNodeListGetString(node->doc, a->children, 1);
            m_values[name] = v ? reinterpret_cast<const char*>(v) : "";
            xmlFree(v);
        }
    }

    unsigned Line() const
    {
        return m_line;
    }

    bool Has(const std::string& name) const
    {
        return m_values.count(name) > 0;
    }

    std::string Get(const std::string& name, const std::string& def = "") const
    {
        auto it = m_values.find(name);
        return it == m_values.end() ? def : it->second;
    }

    std::string Need(const std::string& name) const
    {
        auto it = m_values.find(name);
        if (it == m_values.end())
        {
            Fail(m_line, "<" + m_element + "> needs attribute '" + name + "'");
        }
        if (it->second.empty())
        {
            Fail(m_line, "attribute '" + name + "' of <" + m_element + "> is empty");
        }
        return it->second;
    }

    double Number(const std::string& name, double def, bool mandatory) const
    {
        if (!Has(name))
        {
            if (mandatory)
            {
                Need(name);
            }
            return def;
        }
        std::string t = Get(name);
        const char* b = t.c_str();
        char* e = nullptr;
        errno = 0;
        double v = std::strtod(b, &e);
        if (t.empty() || e == b || *e != '\0' || errno != 0 || !std::isfinite(v) ||
            t.find_first_of("xXpP") != std::string::npos)
        {
            Fail(m_line, "bad number '" + t + "' for '" + name + "'");
        }
        return v;
    }

    std::string OneOf(const std::string& name,
                      const std::string& def,
                      const std::vector<std::string>& choices) const
    {
        std::string v = Has(name) ? Get(name) : def;
        if (std::find(choices.begin(), choices.end(), v) == choices.end())
        {
            std::string all;
            for (const auto& c : choices)
            {
                all += (all.empty() ? "" : "|") + c;
            }
            Fail(m_line, "bad value '" + v + "' for '" + name + "' (expected " + all + ")");
        }
        return v;
    }

  private:
    unsigned m_line;
    std::string m_element;
    std::map<std::string, std::string> m_values;
};

bool
ParseIpv4(const std::string& t, uint32_t& out)
{
    uint32_t v = 0;
    int parts = 0;
    size_t i = 0;
    while (parts < 4)
    {
        size_t j = i;
        while (j < t.size() && t[j] >= '0' && t[j] <= '9')
        {
            ++j;
        }
        if (j == i || j - i > 3)
        {
            return false;
        }
        unsigned octet = unsigned(std::stoul(t.substr(i, j - i)));
        if (octet > 255)
        {
            return false;
        }
        v = (v << 8) | octet;
        ++parts;
        if (parts < 4)
        {
            if (j >= t.size() || t[j] != '.')
            {
                return false;
            }
            ++j;
        }
        i = j;
    }
    out = v;
    return i == t.size();
}

void
ParsePrefix(const std::string& t, unsigned line, Ipv4Address& prefix, uint8_t& length)
{
    size_t slash = t.find('/');
    uint32_t addr = 0;
    if (slash == std::string::npos || !ParseIpv4(t.substr(0, slash), addr))
    {
        Fail(line, "bad prefix '" + t + "' (expected a.b.c.d/len)");
    }
    std::string lenText = t.substr(slash + 1);
    if (lenText.empty() || lenText.size() > 2 ||
        lenText.find_first_not_of("0123456789") != std::string::npos)
    {
        Fail(line, "bad prefix length in '" + t + "'");
    }
    unsigned len = unsigned(std::stoul(lenText));
    if (len < 8 || len > 30)
    {
        Fail(line, "prefix length of '" + t + "' must be 8..30");
    }
    uint32_t mask = ~uint32_t(0) << (32 - len);
    if (addr & ~mask)
    {
        Fail(line, "prefix '" + t + "' has host bits set");
    }
    prefix = Ipv4Address(addr);
    length = uint8_t(len);
}

/// A decimal number followed by one of the units (name, factor); 0 <= value * factor <= max.
double
ParseWithUnit(const std::string& t,
              unsigned line,
              const std::string& attribute,
              const std::vector<std::pair<std::string, double>>& units,
              double max)
{
    std::string all;
    for (const auto& [u, f] : units)
    {
        all += (all.empty() ? "" : "|") + u;
    }
    auto bad = [&]() {
        Fail(line,
             "bad value '" + t + "' for '" + attribute + "' (expected a number and " + all + ")");
    };
    size_t end = t.find_first_not_of("0123456789.");
    if (end == 0 || end == std::string::npos)
    {
        bad();
    }
    std::string number = t.substr(0, end);
    std::string unit = t.substr(end);
    auto u =
        std::find_if(units.begin(), units.end(), [&](const auto& x) { return x.first == unit; });
    if (u == units.end() || std::count(number.begin(), number.end(), '.') > 1 || number == ".")
    {
        bad();
    }
    double v = std::strtod(number.c_str(), nullptr) * u->second;
    if (!std::isfinite(v) || v > max)
    {
        Fail(line, "'" + attribute + "' of '" + t + "' is out of range");
    }
    return v;
}

/// A rate: "16Mbps" (bit/s, at least 1 kbps, at most 100 Gbps).
uint64_t
ParseRate(const std::string& t, unsigned line, const std::string& attribute)
{
    double v = ParseWithUnit(t,
                             line,
                             attribute,
                             {{"bps", 1}, {"kbps", 1e3}, {"Mbps", 1e6}, {"Gbps", 1e9}},
                             100e9);
    if (v < 1000)
    {
        Fail(line, "'" + attribute + "' of '" + t + "' is below 1kbps");
    }
    return uint64_t(std::llround(v));
}

/// A delay: "15ms" (s, ms, us; at most 10 s).
double
ParseDelay(const std::string& t, unsigned line, const std::string& attribute)
{
    return ParseWithUnit(t, line, attribute, {{"s", 1}, {"ms", 1e-3}, {"us", 1e-6}}, 10);
}

/// Whether two prefixes share addresses (one holds the other).
bool
Overlaps(Ipv4Address a, uint8_t aLength, Ipv4Address b, uint8_t bLength)
{
    uint8_t shorter = std::min(aLength, bLength);
    uint32_t mask = shorter == 0 ? 0 : ~uint32_t(0) << (32 - shorter);
    return (a.Get() & mask) == (b.Get() & mask);
}

/// The core's point-to-point links are numbered from 100.64.0.0/10 (RFC 6598).
bool
OverlapsCoreLinks(Ipv4Address prefix, uint8_t length)
{
    return Overlaps(prefix, length, Ipv4Address("100.64.0.0"), 10);
}

/// "x,y" in metres (decimal numbers, optional blanks around them); what names the point.
std::pair<double, double>
ParsePoint(const std::string& t, unsigned line, const std::string& what)
{
    auto bad = [&]() { Fail(line, "bad " + what + " '" + t + "' (expected x,y in metres)"); };
    size_t comma = t.find(',');
    if (comma == std::string::npos || t.find(',', comma + 1) != std::string::npos)
    {
        bad();
    }
    double v[2];
    std::string parts[2] = {t.substr(0, comma), t.substr(comma + 1)};
    for (int k = 0; k < 2; ++k)
    {
        std::string p = parts[k];
        size_t b = p.find_first_not_of(" \t");
        size_t e = p.find_last_not_of(" \t");
        if (b == std::string::npos)
        {
            bad();
        }
        p = p.substr(b, e - b + 1);
        const char* s = p.c_str();
        char* end = nullptr;
        errno = 0;
        v[k] = std::strtod(s, &end);
        if (end == s || *end != '\0' || errno != 0 || !std::isfinite(v[k]) ||
            p.find_first_of("xXpPnN") != std::string::npos || std::abs(v[k]) > 1e6)
        {
            bad();
        }
    }
    return {v[0], v[1]};
}

/// A network's position="x,y".
void
ParsePosition(const std::string& t, unsigned line, ScenarioNetwork& n)
{
    std::tie(n.x, n.y) = ParsePoint(t, line, "position");
    n.hasPosition = true;
}

/// A move's via="x,y;x,y;...": points the walk passes.
std::vector<std::pair<double, double>>
ParseVia(const std::string& t, unsigned line)
{
    std::vector<std::pair<double, double>> points;
    size_t from = 0;
    while (from <= t.size())
    {
        size_t semi = t.find(';', from);
        std::string one =
            t.substr(from, semi == std::string::npos ? std::string::npos : semi - from);
        points.push_back(ParsePoint(one, line, "via point"));
        if (semi == std::string::npos || points.size() > 100)
        {
            break;
        }
        from = semi + 1;
    }
    if (points.size() > 100)
    {
        Fail(line, "via has more than 100 points");
    }
    return points;
}

std::string
FormatTime(double v)
{
    std::ostringstream o;
    o << v;
    return o.str();
}

/**
 * Refuses a walk whose straight legs enter the reach of a third AP: its station, having lost
 * its own AP, would associate there on the way, a hand-over the runner does not plan (a
 * wander's coverage changes are planned, RandomWaypointPlan). The runner's terminals stand 2 m
 * from their AP (WifiRoamingHelper::SpotNear); the legs here start and end at the APs
 * themselves, so a leg must stay 2 m further off than the reach.
 * \param sc the scenario (its networks parsed)
 * \param from the Wi-Fi network the walk leaves
 * \param m the walk (speed > 0, to a Wi-Fi network)
 */
void
CheckWalkCoverage(const Scenario& sc, size_t from, const ScenarioMove& m)
{
    const size_t to = size_t(sc.FindNetwork(m.network));
    const double reach = sc.GetWifiReach();
    const double margin = reach + 2;
    std::vector<std::pair<double, double>> points{{sc.networks[from].x, sc.networks[from].y}};
    points.insert(points.end(), m.via.begin(), m.via.end());
    points.emplace_back(sc.networks[to].x, sc.networks[to].y);
    for (size_t k = 0; k + 1 < points.size(); ++k)
    {
        auto [ax, ay] = points[k];
        auto [bx, by] = points[k + 1];
        double dx = bx - ax;
        double dy = by - ay;
        double length2 = dx * dx + dy * dy;
        for (size_t j = 0; j < sc.networks.size(); ++j)
        {
            const ScenarioNetwork& n = sc.networks[j];
            if (!n.IsWifi() || j == from || j == to)
            {
                continue;
            }
            // The leg's point nearest the AP.
            double f = length2 > 0 ? ((n.x - ax) * dx + (n.y - ay) * dy) / length2 : 0;
            f = std::clamp(f, 0.0, 1.0);
            double d = std::hypot(ax + f * dx - n.x, ay + f * dy - n.y);
            if (d < margin)
            {
                Fail(m.line,
                     "the walk from '" + sc.networks[from].name + "' to '" + m.network +
                         "' passes " + FormatTime(std::round(d * 10) / 10) + " m from '" + n.name +
                         "''s AP (its reach: " + FormatTime(reach) +
                         " m, and 2 m of margin): the terminal would associate there on the "
                         "way; walk via points around it, or move to '" +
                         n.name + "' first");
            }
        }
    }
}

/**
 * The voice attributes of a session (codec, ptime, jitter-buffer), voip only.
 * \param a the session's attributes
 * \param s the session (its traffic is known)
 */
void
ParseVoice(const Attrs& a, ScenarioSession& s)
{
    std::vector<std::string> codecs;
    for (const auto& c : VoiceCodec::GetAll())
    {
        codecs.push_back(c.name);
    }
    for (const char* k : {"codec", "ptime", "jitter-buffer"})
    {
        if (a.Has(k) && s.traffic != "voip")
        {
            Fail(a.Line(), std::string(k) + " is only for traffic=\"voip\"");
        }
    }
    s.codec = a.OneOf("codec", "G.711", codecs);
    const VoiceCodec codec = *VoiceCodec::Find(s.codec);
    s.ptimeMs = a.Number("ptime", 20, false);
    double frames = s.ptimeMs / codec.frameMs;
    if (s.ptimeMs < 10 || s.ptimeMs > 120 || frames != std::floor(frames))
    {
        Fail(a.Line(),
             "ptime must be a multiple of " + s.codec + "'s " + FormatTime(codec.frameMs) +
                 " ms frame in [10, 120] ms");
    }
    s.jitterBufferMs = a.Number("jitter-buffer", 40, false);
    if (s.jitterBufferMs < 0 || s.jitterBufferMs > 1000)
    {
        Fail(a.Line(), "jitter-buffer must be in [0, 1000] ms");
    }
}

/// The <attribute name= value=/> children of a <terminal>: its decision model's attributes.
void
ReadDecisionAttributes(xmlNodePtr terminal, TypeId model, ScenarioTerminal& t)
{
    for (xmlNodePtr g = terminal->children; g; g = g->next)
    {
        if (g->type != XML_ELEMENT_NODE)
        {
            continue;
        }
        for (xmlNodePtr h = g->children; h; h = h->next)
        {
            if (h->type == XML_ELEMENT_NODE)
            {
                Fail(unsigned(xmlGetLineNo(h)), "unexpected element inside <attribute>");
            }
        }
        Attrs a(g, {"name", "value"});
        std::string name = a.Need("name");
        if (!a.Has("value"))
        {
            Fail(a.Line(), "<attribute> needs attribute 'value'");
        }
        std::string value = a.Get("value");
        for (const auto& [n, v] : t.decisionAttributes)
        {
            if (n == name)
            {
                Fail(a.Line(), "duplicate attribute '" + name + "'");
            }
        }
        std::string e = DecisionModelFactory::CheckAttribute(model, name, value);
        if (!e.empty())
        {
            Fail(a.Line(), e);
        }
        t.decisionAttributes.emplace_back(name, value);
    }
}

/**
 * cpu="file:PATH": a crypto profile file (presec-calibrate's format), PATH relative to the
 * scenario file's folder. A profile's own faults name its file and line.
 */
CryptoProfile
LoadCpuProfile(const std::string& value, const std::string& dir, unsigned line)
{
    std::string path = value.substr(5);
    if (path.empty())
    {
        Fail(line, "cpu=\"file:\" needs a path");
    }
    std::filesystem::path full(path);
    if (full.is_relative() && !dir.empty())
    {
        full = std::filesystem::path(dir) / full;
    }
    std::error_code ec;
    // Only a regular file of sane size: a device or a FIFO would never end.
    if (!std::filesystem::is_regular_file(full, ec))
    {
        Fail(line, "cpu: no profile file '" + full.string() + "'");
    }
    if (std::filesystem::file_size(full, ec) > (1u << 20))
    {
        Fail(line, "cpu: profile file '" + full.string() + "' is larger than 1 MiB");
    }
    auto profile = CryptoProfile::Load(full.string());
    if (!profile)
    {
        std::string where = full.string();
        if (profile.GetLine() > 0)
        {
            where += ":" + std::to_string(profile.GetLine());
            if (profile.GetColumn() > 0)
            {
                where += ":" + std::to_string(profile.GetColumn());
            }
        }
        Fail(line, "cpu: " + where + ": " + profile.GetError());
    }
    return profile.GetValue();
}

/// A network's access link: access-rate ("RATE" or "DOWN/UP"), access-delay, access-loss.
void
ParseAccess(const Attrs& a, ScenarioNetwork& n)
{
    if (!a.Has("access-rate"))
    {
        for (const char* k : {"access-delay", "access-loss"})
        {
            if (a.Has(k))
            {
                Fail(a.Line(), std::string(k) + " needs access-rate");
            }
        }
        return;
    }
    n.hasAccess = true;
    std::string rate = a.Get("access-rate");
    size_t slash = rate.find('/');
    n.accessDown = ParseRate(rate.substr(0, slash), a.Line(), "access-rate");
    n.accessUp = slash == std::string::npos
                     ? n.accessDown
                     : ParseRate(rate.substr(slash + 1), a.Line(), "access-rate");
    if (a.Has("access-delay"))
    {
        n.accessDelay = ParseDelay(a.Get("access-delay"), a.Line(), "access-delay");
    }
    n.accessLoss = a.Number("access-loss", 0, false);
    if (!(n.accessLoss >= 0 && n.accessLoss < 1))
    {
        Fail(a.Line(), "access-loss must be in [0, 1)");
    }
}

Scenario
Build(xmlDocPtr doc, const std::string& dir)
{
    Scenario sc;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!root)
    {
        Fail(1, "empty document");
    }
    if (std::string(reinterpret_cast<const char*>(root->name)) != "scenario")
    {
        Fail(unsigned(xmlGetLineNo(root)),
             "root element must be <scenario>, not <" +
                 std::string(reinterpret_cast<const char*>(root->name)) + ">");
    }
    Attrs ra(root, {"name", "duration", "seed"});
    sc.name = ra.Need("name");
    sc.duration = ra.Number("duration", 0, true);
    if (sc.duration <= 0 || sc.duration > 1e6)
    {
        Fail(ra.Line(), "duration must be in (0, 1e6] seconds");
    }
    double seed = ra.Number("seed", 1, false);
    if (seed < 1 || seed > 4294967295.0 || seed != std::floor(seed))
    {
        Fail(ra.Line(), "seed must be an integer >= 1");
    }
    sc.seed = uint32_t(seed);

    struct Pending
    {
        std::string kind;
        xmlNodePtr node;
    };

    std::vector<xmlNodePtr> children;
    for (xmlNodePtr c = root->children; c; c = c->next)
    {
        if (c->type == XML_TEXT_NODE)
        {
            for (const xmlChar* p = c->content; p && *p; ++p)
            {
                if (!std::isspace(*p))
                {
                    Fail(unsigned(xmlGetLineNo(c)), "unexpected text in <scenario>");
                }
            }
            continue;
        }
        if (c->type == XML_COMMENT_NODE)
        {
            continue;
        }
        if (c->type != XML_ELEMENT_NODE)
        {
            Fail(unsigned(xmlGetLineNo(c)), "unexpected content in <scenario>");
        }
        if (c->children)
        {
            bool terminal = std::string(reinterpret_cast<const char*>(c->name)) == "terminal";
            for (xmlNodePtr g = c->children; g; g = g->next)
            {
                if (g->type == XML_ELEMENT_NODE &&
                    !(terminal &&
                      std::string(reinterpret_cast<const char*>(g->name)) == "attribute"))
                {
                    Fail(unsigned(xmlGetLineNo(g)),
                         "unexpected element <" +
                             std::string(reinterpret_cast<const char*>(g->name)) + "> inside <" +
                             std::string(reinterpret_cast<const char*>(c->name)) + ">");
                }
            }
        }
        children.push_back(c);
    }
    // Pass 0: sites (networks name them).
    for (xmlNodePtr c : children)
    {
        if (std::string(reinterpret_cast<const char*>(c->name)) != "site")
        {
            continue;
        }
        Attrs a(c, {"name", "delay", "rate", "prefix"});
        ScenarioSite site;
        site.line = a.Line();
        site.name = a.Need("name");
        if (sc.FindSite(site.name) >= 0)
        {
            Fail(a.Line(), "duplicate site '" + site.name + "'");
        }
        site.delay = ParseDelay(a.Need("delay"), a.Line(), "delay");
        if (a.Has("rate"))
        {
            site.rate = ParseRate(a.Get("rate"), a.Line(), "rate");
        }
        if (a.Has("prefix"))
        {
            ParsePrefix(a.Get("prefix"), a.Line(), site.prefix, site.prefixLength);
            site.hasPrefix = true;
            if (OverlapsCoreLinks(site.prefix, site.prefixLength))
            {
                Fail(a.Line(), "site prefix overlaps the core's link addresses 100.64.0.0/10");
            }
            for (const auto& o : sc.sites)
            {
                if (o.hasPrefix &&
                    Overlaps(o.prefix, o.prefixLength, site.prefix, site.prefixLength))
                {
                    Fail(a.Line(), "site prefix overlaps site '" + o.name + "'");
                }
            }
        }
        sc.sites.push_back(site);
    }
    // Pass 1: networks (so references may come in any order).
    for (xmlNodePtr c : children)
    {
        std::string kind = reinterpret_cast<const char*>(c->name);
        if (kind != "network")
        {
            if (kind != "terminal" && kind != "move" && kind != "session" &&
                kind != "eavesdropper" && kind != "tamperer" && kind != "registrar" &&
                kind != "site" && kind != "background" && kind != "wander")
            {
                Fail(unsigned(xmlGetLineNo(c)), "unknown element <" + kind + ">");
            }
            continue;
        }
        Attrs a(c,
                {"name",
                 "prefix",
                 "trusted",
                 "label",
                 "medium",
                 "position",
                 "wiring",
                 "access-rate",
                 "access-delay",
                 "access-loss",
                 "site"});
        ScenarioNetwork n;
        n.line = a.Line();
        n.name = a.Need("name");
        ParsePrefix(a.Need("prefix"), a.Line(), n.prefix, n.prefixLength);
        a.Need("trusted");
        n.trusted = a.OneOf("trusted", "", {"true", "false"}) == "true";
        n.label = a.Get("label", n.name);
        if (n.label.empty() || n.label.find_first_of(";=, \t") != std::string::npos)
        {
            Fail(a.Line(), "bad label '" + n.label + "'");
        }
        n.medium = a.OneOf("medium", "csma", {"csma", "wifi"});
        n.switched = a.OneOf("wiring", "hub", {"hub", "switch"}) == "switch";
        if (n.switched && n.IsWifi())
        {
            Fail(a.Line(), "wiring=\"switch\" needs a csma network ('" + n.name + "' is wifi)");
        }
        ParseAccess(a, n);
        if (a.Has("site"))
        {
            n.site = a.Get("site");
            int k = sc.FindSite(n.site);
            if (k < 0)
            {
                Fail(a.Line(), "unknown site '" + n.site + "'");
            }
            const auto& site = sc.sites[size_t(k)];
            // A site without a prefix has length 0 (a shift by 32 would be undefined).
            uint32_t mask = site.prefixLength == 0 ? 0 : ~uint32_t(0) << (32 - site.prefixLength);
            if (site.hasPrefix && (n.prefixLength < site.prefixLength ||
                                   (n.prefix.Get() & mask) != site.prefix.Get()))
            {
                Fail(a.Line(),
                     "network '" + n.name + "' (" + n.PrefixText() + ") is not inside site '" +
                         site.name + "'s prefix");
            }
        }
        if (n.IsWifi() && !n.site.empty() && !n.hasAccess)
        {
            // A wifi network's gateway is its AP: it reaches a site's router by a link.
            Fail(a.Line(),
                 "wifi network '" + n.name + "' in site '" + n.site +
                     "' needs access-rate (its AP links to the site's router)");
        }
        if (a.Has("position"))
        {
            ParsePosition(a.Get("position"), a.Line(), n);
        }
        else if (n.IsWifi())
        {
            Fail(a.Line(), "wifi network '" + n.name + "' needs attribute 'position'");
        }
        if (sc.FindNetwork(n.name) >= 0)
        {
            Fail(a.Line(), "duplicate network '" + n.name + "'");
        }
        if (n.IsWifi() && n.name.size() > 32)
        {
            Fail(a.Line(), "wifi network name '" + n.name + "' is longer than 32 (its SSID)");
        }
        // Each AP must be out of the others' reach at its spot (the runner cuts the reach at
        // half the smallest distance between APs).
        for (const auto& o : sc.networks)
        {
            if (n.IsWifi() && o.IsWifi() && std::hypot(n.x - o.x, n.y - o.y) < 10)
            {
                Fail(a.Line(),
                     "access point of '" + n.name + "' is less than 10 m from that of '" + o.name +
                         "'");
            }
        }
        for (const auto& o : sc.networks)
        {
            if (Overlaps(o.prefix, o.prefixLength, n.prefix, n.prefixLength))
            {
                Fail(a.Line(), "prefix " + n.PrefixText() + " overlaps network '" + o.name + "'");
            }
        }
        // Peers learn trust from the location label, so one label cannot mean both.
        for (const auto& o : sc.networks)
        {
            if (o.label == n.label && o.trusted != n.trusted)
            {
                Fail(a.Line(),
                     "label '" + n.label + "' is used by " + (o.trusted ? "trusted" : "untrusted") +
                         " network '" + o.name + "' already");
            }
        }
        sc.networks.push_back(n);
    }
    if (sc.networks.empty())
    {
        Fail(ra.Line(), "a scenario needs at least one <network>");
    }
    if (sc.HasCore())
    {
        for (const auto& n : sc.networks)
        {
            if (OverlapsCoreLinks(n.prefix, n.prefixLength))
            {
                Fail(n.line,
                     "prefix " + n.PrefixText() +
                         " overlaps the core's link addresses 100.64.0.0/10");
            }
        }
    }
    // Pass 2: terminals.
    auto builtin = CryptoProfile::GetBuiltinNames();
    for (xmlNodePtr c : children)
    {
        if (std::string(reinterpret_cast<const char*>(c->name)) != "terminal")
        {
            continue;
        }
        Attrs a(c,
                {"name",
                 "entity",
                 "user",
                 "network",
                 "decision",
                 "error-probability",
                 "cpu",
                 "default-policy",
                 "request",
                 "battery-wh"});
        ScenarioTerminal t;
        t.line = a.Line();
        t.name = a.Need("name");
        t.entity = a.Get("entity");
        t.user = a.Get("user", t.name);
        t.network = a.Need("network");
        t.decision = a.Has("decision") ? a.Need("decision") : t.decision;
        auto model = DecisionModelFactory::Lookup(t.decision);
        if (!model)
        {
            Fail(a.Line(), model.GetError());
        }
        ReadDecisionAttributes(c, model.GetValue(), t);
        t.errorProbability = a.Number("error-probability", 0.05, false);
        if (t.errorProbability < 0 || t.errorProbability > 1)
        {
            Fail(a.Line(), "error-probability must be in [0, 1]");
        }
        if (a.Get("cpu").rfind("file:", 0) == 0)
        {
            t.cpu = a.Get("cpu");
            t.cpuProfile = LoadCpuProfile(t.cpu, dir, a.Line());
        }
        else
        {
            auto choices = builtin;
            choices.push_back("file:PATH");
            // "file:PATH" is listed for the error message; a value starting "file:" is above.
            t.cpu = a.OneOf("cpu", "x86-64-aesni", choices);
        }
        t.defaultPolicy = a.OneOf("default-policy", "none", {"none", "esp", "esp+ah"});
        t.request = a.OneOf("request", "both", {"both", "presence", "policy"});
        t.batteryWh = a.Number("battery-wh", 50, false);
        if (!(t.batteryWh > 0 && t.batteryWh <= 10000))
        {
            Fail(a.Line(), "battery-wh must be in (0, 10000] watt-hours");
        }
        if (sc.FindTerminal(t.name) >= 0)
        {
            Fail(a.Line(), "duplicate terminal '" + t.name + "'");
        }
        if (sc.FindNetwork(t.network) < 0)
        {
            Fail(a.Line(), "unknown network '" + t.network + "'");
        }
        sc.terminals.push_back(t);
    }
    if (sc.terminals.empty())
    {
        Fail(ra.Line(), "a scenario needs at least one <terminal>");
    }
    // Pass 3: the rest.
    for (xmlNodePtr c : children)
    {
        std::string kind = reinterpret_cast<const char*>(c->name);
        if (kind == "move")
        {
            Attrs a(c, {"terminal", "at", "network", "speed", "via"});
            ScenarioMove m;
            m.line = a.Line();
            m.terminal = a.Need("terminal");
            m.at = a.Number("at", 0, true);
            m.network = a.Need("network");
            m.speed = a.Number("speed", 0, false);
            if (a.Has("speed") && (m.speed <= 0 || m.speed > 100))
            {
                Fail(a.Line(), "speed must be in (0, 100] m/s");
            }
            if (a.Has("via"))
            {
                if (!a.Has("speed"))
                {
                    Fail(a.Line(), "via needs a speed (a walk)");
                }
                m.via = ParseVia(a.Get("via"), a.Line());
            }
            if (sc.FindTerminal(m.terminal) < 0)
            {
                Fail(a.Line(), "unknown terminal '" + m.terminal + "'");
            }
            if (sc.FindNetwork(m.network) < 0)
            {
                Fail(a.Line(), "unknown network '" + m.network + "'");
            }
            if (m.at <= 0 || m.at >= sc.duration)
            {
                Fail(a.Line(),
                     "move time " + FormatTime(m.at) + " out of range (0, " +
                         FormatTime(sc.duration) + ")");
            }
            sc.moves.push_back(m);
        }
        else if (kind == "wander")
        {
            Attrs a(c, {"terminal", "from", "until", "area", "speed", "pause"});
            ScenarioWander w;
            w.line = a.Line();
            w.terminal = a.Need("terminal");
            w.from = a.Number("from", 0, true);
            w.until = a.Number("until", 0, true);
            std::vector<std::pair<double, double>> corners = ParseVia(a.Need("area"), a.Line());
            if (corners.size() != 2)
            {
                Fail(a.Line(), "area needs two corners (x,y;x,y)");
            }
            w.x0 = std::min(corners[0].first, corners[1].first);
            w.x1 = std::max(corners[0].first, corners[1].first);
            w.y0 = std::min(corners[0].second, corners[1].second);
            w.y1 = std::max(corners[0].second, corners[1].second);
            w.speed = a.Number("speed", 1.4, false);
            if (w.speed <= 0 || w.speed > 100)
            {
                Fail(a.Line(), "speed must be in (0, 100] m/s");
            }
            w.pause = a.Number("pause", 0, false);
            if (w.pause < 0 || w.pause > sc.duration)
            {
                Fail(a.Line(), "pause must be in [0, the scenario's duration] s");
            }
            if (sc.FindTerminal(w.terminal) < 0)
            {
                Fail(a.Line(), "unknown terminal '" + w.terminal + "'");
            }
            if (w.from <= 0 || w.from >= w.until || w.until > sc.duration)
            {
                Fail(a.Line(),
                     "a wander needs 0 < from < until <= duration (" + FormatTime(sc.duration) +
                         ")");
            }
            if (w.x1 - w.x0 < 1 || w.y1 - w.y0 < 1)
            {
                Fail(a.Line(), "the area must be at least 1 m by 1 m");
            }
            // A leg is on average at least a third of the shorter side long: bound the legs
            // the run would draw and walk.
            double leg = std::min(w.x1 - w.x0, w.y1 - w.y0) / 3 / w.speed + w.pause;
            if ((w.until - w.from) / leg > 1e6)
            {
                Fail(a.Line(),
                     "the wander would walk more than 1,000,000 legs (a larger area, a lower "
                     "speed or a pause)");
            }
            bool holdsAp = false;
            for (const auto& n : sc.networks)
            {
                holdsAp = holdsAp ||
                          (n.IsWifi() && n.x >= w.x0 && n.x <= w.x1 && n.y >= w.y0 && n.y <= w.y1);
            }
            if (!holdsAp)
            {
                Fail(a.Line(), "the area holds no Wi-Fi network's access point");
            }
            for (const auto& o : sc.wanders)
            {
                if (o.terminal == w.terminal)
                {
                    Fail(a.Line(), "terminal '" + w.terminal + "' already wanders");
                }
            }
            sc.wanders.push_back(w);
        }
        else if (kind == "session")
        {
            Attrs a(c,
                    {"caller",
                     "callee",
                     "start",
                     "duration",
                     "traffic",
                     "bytes",
                     "codec",
                     "ptime",
                     "jitter-buffer",
                     "relationship",
                     "purpose"});
            ScenarioSession s;
            s.line = a.Line();
            s.caller = a.Need("caller");
            s.callee = a.Need("callee");
            s.start = a.Number("start", 0, true);
            s.duration = a.Number("duration", 0, false);
            s.traffic = a.OneOf("traffic", "voip", {"voip", "bulk", "none"});
            double bytes = a.Number("bytes", 1e6, false);
            if (a.Has("bytes") && s.traffic != "bulk")
            {
                Fail(a.Line(), "bytes is only for traffic=\"bulk\"");
            }
            if (bytes < 1 || bytes > 1e12 || bytes != std::floor(bytes))
            {
                Fail(a.Line(), "bytes must be a whole number in [1, 1e12]");
            }
            s.bulkBytes = uint64_t(bytes);
            ParseVoice(a, s);
            s.relationship = a.Get("relationship", "unknown");
            s.purpose = a.Get("purpose", "unknown");
            for (const std::string* who : {&s.caller, &s.callee})
            {
                if (sc.FindTerminal(*who) < 0)
                {
                    Fail(a.Line(), "unknown terminal '" + *who + "'");
                }
            }
            if (s.caller == s.callee)
            {
                Fail(a.Line(), "a session needs two different terminals");
            }
            if (s.start < 0 || s.start >= sc.duration)
            {
                Fail(a.Line(),
                     "session start " + FormatTime(s.start) + " out of range [0, " +
                         FormatTime(sc.duration) + ")");
            }
            if (s.duration < 0 || (a.Has("duration") && s.duration == 0) ||
                s.start + s.duration > sc.duration + 1e-9)
            {
                Fail(a.Line(),
                     "session duration " + FormatTime(s.duration) +
                         " out of range (must be > 0 and end by " + FormatTime(sc.duration) + ")");
            }
            for (const auto& o : sc.sessions)
            {
                if ((o.caller == s.caller && o.callee == s.callee) ||
                    (o.caller == s.callee && o.callee == s.caller))
                {
                    Fail(a.Line(),
                         "duplicate session between '" + s.caller + "' and '" + s.callee + "'");
                }
            }
            sc.sessions.push_back(s);
        }
        else if (kind == "eavesdropper")
        {
            Attrs a(c, {"network", "port"});
            std::string n = a.Need("network");
            int j = sc.FindNetwork(n);
            if (j < 0)
            {
                Fail(a.Line(), "unknown network '" + n + "'");
            }
            if (std::find(sc.eavesdroppers.begin(), sc.eavesdroppers.end(), n) !=
                sc.eavesdroppers.end())
            {
                Fail(a.Line(), "duplicate eavesdropper on '" + n + "'");
            }
            if (a.OneOf("port", "own", {"own", "mirror"}) == "mirror")
            {
                if (!sc.networks[j].switched)
                {
                    Fail(a.Line(),
                         "port=\"mirror\" needs a switched network ('" + n +
                             "' has no wiring=\"switch\")");
                }
                sc.networks[j].mirrored = true;
            }
            sc.eavesdroppers.push_back(n);
        }
        else if (kind == "registrar")
        {
            Attrs a(c, {"network"});
            std::string n = a.Need("network");
            int j = sc.FindNetwork(n);
            if (j < 0)
            {
                Fail(a.Line(), "unknown network '" + n + "'");
            }
            if (sc.networks[j].medium != "csma")
            {
                Fail(a.Line(), "a registrar needs a csma network ('" + n + "' is wifi)");
            }
            if (!sc.registrar.empty())
            {
                Fail(a.Line(), "more than one registrar");
            }
            sc.registrar = n;
            sc.registrarLine = a.Line();
        }
        else if (kind == "tamperer")
        {
            Attrs a(c, {"network", "probability"});
            ScenarioTamperer t;
            t.line = a.Line();
            t.network = a.Need("network");
            t.probability = a.Number("probability", 0.05, false);
            int n = sc.FindNetwork(t.network);
            if (n < 0)
            {
                Fail(a.Line(), "unknown network '" + t.network + "'");
            }
            if (sc.networks[n].medium != "csma")
            {
                Fail(a.Line(), "a tamperer needs a csma network ('" + t.network + "' is wifi)");
            }
            if (t.probability < 0 || t.probability > 1)
            {
                Fail(a.Line(), "tamperer probability must be in [0, 1]");
            }
            for (const auto& o : sc.tamperers)
            {
                if (o.network == t.network)
                {
                    Fail(a.Line(), "duplicate tamperer on '" + t.network + "'");
                }
            }
            sc.tamperers.push_back(t);
        }
        else if (kind == "background")
        {
            Attrs a(c, {"network", "stations", "load", "rate", "size"});
            ScenarioBackground b;
            b.line = a.Line();
            b.network = a.Need("network");
            int n = sc.FindNetwork(b.network);
            if (n < 0)
            {
                Fail(a.Line(), "unknown network '" + b.network + "'");
            }
            bool wifi = sc.networks[size_t(n)].IsWifi();
            if (!wifi && !sc.networks[size_t(n)].hasAccess)
            {
                Fail(a.Line(),
                     "background load needs a network with an access link ('" + b.network +
                         "' has no access-rate) or a wifi network");
            }
            double stations = a.Number("stations", 1, true);
            if (stations < 1 || stations > 1000 || stations != std::floor(stations))
            {
                Fail(a.Line(), "stations must be an integer in 1..1000");
            }
            b.stations = uint32_t(stations);
            if (wifi)
            {
                // No access link to be a share of: the offered bit rate itself.
                if (a.Has("load"))
                {
                    Fail(a.Line(),
                         "background on a wifi network takes rate= (its offered bit rate), not "
                         "load=");
                }
                b.rate = ParseRate(a.Need("rate"), a.Line(), "rate");
                if (b.rate == 0 || b.rate > 100000000)
                {
                    Fail(a.Line(), "rate must be in (0, 100Mbps]");
                }
            }
            else if (a.Has("rate"))
            {
                Fail(a.Line(),
                     "rate= is for wifi networks; on '" + b.network +
                         "' the background's load= is a share of its access link");
            }
            b.load = wifi ? 0 : a.Number("load", 0, true);
            if (!wifi && !(b.load > 0 && b.load <= 1))
            {
                Fail(a.Line(),
                     "load must be in (0, 1] (a share of the access link's rate; " + a.Get("load") +
                         " is " + (b.load > 1 ? "above 100%" : "not above 0") + ")");
            }
            double size = a.Number("size", 1000, false);
            if (size < 64 || size > 1472 || size != std::floor(size))
            {
                Fail(a.Line(), "size must be an integer in 64..1472 (UDP payload bytes)");
            }
            b.size = uint32_t(size);
            for (const auto& o : sc.backgrounds)
            {
                if (o.network == b.network)
                {
                    Fail(a.Line(), "duplicate background on '" + b.network + "'");
                }
            }
            sc.backgrounds.push_back(b);
        }
    }
    std::stable_sort(sc.moves.begin(), sc.moves.end(), [](const auto& x, const auto& y) {
        return x.at < y.at;
    });
    // Each move must change the network; no two moves of one terminal at one time.
    std::map<std::string, std::pair<std::string, double>> where;
    for (const auto& t : sc.terminals)
    {
        where[t.name] = {t.network, -1};
    }
    for (const auto& m : sc.moves)
    {
        auto& w = where[m.terminal];
        if (w.second == m.at)
        {
            Fail(m.line, "terminal '" + m.terminal + "' already moves at " + FormatTime(m.at));
        }
        if (w.first == m.network)
        {
            Fail(m.line, "terminal '" + m.terminal + "' is already on '" + m.network + "'");
        }
        if (m.speed > 0 && !(sc.networks[size_t(sc.FindNetwork(w.first))].IsWifi() &&
                             sc.networks[size_t(sc.FindNetwork(m.network))].IsWifi()))
        {
            Fail(m.line,
                 "a walk (speed) goes from one wifi network to another ('" + w.first + "' to '" +
                     m.network + "')");
        }
        if (m.speed > 0)
        {
            CheckWalkCoverage(sc, size_t(sc.FindNetwork(w.first)), m);
        }
        w = {m.network, m.at};
    }
    // A wander starts on a Wi-Fi network and the terminal's moves come before it.
    for (const auto& wa : sc.wanders)
    {
        std::string at = sc.terminals[size_t(sc.FindTerminal(wa.terminal))].network;
        for (const auto& m : sc.moves)
        {
            if (m.terminal != wa.terminal)
            {
                continue;
            }
            if (m.at >= wa.from)
            {
                Fail(m.line,
                     "terminal '" + m.terminal + "' wanders from " + FormatTime(wa.from) +
                         " (line " + std::to_string(wa.line) + "): its moves must come before");
            }
            at = m.network;
        }
        if (!sc.networks[size_t(sc.FindNetwork(at))].IsWifi())
        {
            Fail(wa.line,
                 "a wander starts on a wifi network (terminal '" + wa.terminal + "' is on '" + at +
                     "' at " + FormatTime(wa.from) + ")");
        }
    }
    // Every terminal that ever visits a network needs a host address in its prefix (the
    // runner numbers them .2 upwards; .1 is the router, the last one is broadcast).
    std::map<std::string, std::set<std::string>> visitors;
    for (const auto& t : sc.terminals)
    {
        visitors[t.network].insert(t.name);
    }
    for (const auto& m : sc.moves)
    {
        visitors[m.network].insert(m.terminal);
    }
    for (const auto& wa : sc.wanders)
    {
        double reach = sc.GetWifiReach();
        for (const auto& n : sc.networks)
        {
            if (n.IsWifi() && n.x >= wa.x0 - reach && n.x <= wa.x1 + reach &&
                n.y >= wa.y0 - reach && n.y <= wa.y1 + reach)
            {
                visitors[n.name].insert(wa.terminal);
            }
        }
    }
    std::map<std::string, uint32_t> others;
    for (const auto& b : sc.backgrounds)
    {
        others[b.network] = b.stations;
    }
    for (const auto& n : sc.networks)
    {
        uint64_t room = (uint64_t(1) << (32 - n.prefixLength)) - 3;
        uint32_t background = others[n.name];
        if (background > 0 && (background > room || visitors[n.name].size() > room - background))
        {
            Fail(n.line,
                 "network '" + n.name + "' (" + n.PrefixText() + ") has room for " +
                     std::to_string(room) + " terminals and background stations, " +
                     std::to_string(visitors[n.name].size()) + " + " + std::to_string(background) +
                     " use it");
        }
        if (n.IsWifi() && background > 0 && room - background < 2)
        {
            Fail(n.line,
                 "network '" + n.name + "' (" + n.PrefixText() + ") has room for " +
                     std::to_string(room) + " addresses: its DHCP server needs 2 beside the " +
                     std::to_string(background) + " background stations");
        }
        if (visitors[n.name].size() > room)
        {
            Fail(n.line,
                 "network '" + n.name + "' (" + n.PrefixText() + ") has room for " +
                     std::to_string(room) + " terminals, " +
                     std::to_string(visitors[n.name].size()) + " visit it");
        }
    }
    if (!sc.registrar.empty())
    {
        // The registrar takes the prefix's last host address, after the terminals and guests.
        const auto& n = sc.networks[size_t(sc.FindNetwork(sc.registrar))];
        uint64_t room = (uint64_t(1) << (32 - n.prefixLength)) - 3;
        if (visitors[n.name].size() + others[n.name] + 1 > room)
        {
            Fail(sc.registrarLine,
                 "network '" + n.name + "' (" + n.PrefixText() +
                     ") has no address left for the "
                     "registrar: " +
                     std::to_string(visitors[n.name].size()) + " terminals and " +
                     std::to_string(others[n.name]) + " background stations use its " +
                     std::to_string(room) + " addresses");
        }
    }
    return sc;
}

void
SilentErrors(void*, const char*, ...)
{
}

/// Thrown by ApplyOverride: a --set that names nothing in the file.
struct OverrideError
{
    std::string message;
};

/// The attribute naming each element kind that overrides can address ("" : the root).
const std::map<std::string, std::string>&
OverrideKeys()
{
    static const std::map<std::string, std::string> keys = {
        {"scenario", ""},
        {"network", "name"},
        {"terminal", "name"},
        {"tamperer", "network"},
        {"session", "caller/callee"},
        {"site", "name"},
        {"background", "network"},
        {"wander", "terminal"},
    };
    return keys;
}

std::string
Prop(xmlNodePtr node, const char* name)
{
    xmlChar* v = xmlGetProp(node, reinterpret_cast<const xmlChar*>(name));
    std::string s = v ? reinterpret_cast<const char*>(v) : "";
    xmlFree(v);
    return s;
}

/// Applies one "element:name:key=value" ("scenario:key=value") to the document; returns
/// the line of the changed element.
unsigned
ApplyOverride(xmlDocPtr doc, const std::string& spec)
{
    auto fail = [&](const std::string& m) { throw OverrideError{"--set=" + spec + ": " + m}; };
    size_t eq = spec.find('=');
    if (eq == std::string::npos)
    {
        fail("expected element:name:key=value (scenario:key=value)");
    }
    std::string path = spec.substr(0, eq);
    std::string value = spec.substr(eq + 1);
    std::string element = path.substr(0, path.find(':'));
    auto kind = OverrideKeys().find(element);
    if (kind == OverrideKeys().end())
    {
        std::string all;
        for (const auto& [k, v] : OverrideKeys())
        {
            all += (all.empty() ? "" : ", ") + k;
        }
        fail("unknown element '" + element + "' (expected one of " + all + ")");
    }
    size_t c1 = path.find(':');
    size_t c2 = c1 == std::string::npos ? c1 : path.find(':', c1 + 1);
    bool root = kind->second.empty();
    if (c1 == std::string::npos || (root != (c2 == std::string::npos)) ||
        (c2 != std::string::npos && path.find(':', c2 + 1) != std::string::npos))
    {
        fail(root ? "expected scenario:key=value" : "expected " + element + ":name:key=value");
    }
    std::string name = root ? "" : path.substr(c1 + 1, c2 - c1 - 1);
    std::string key = path.substr((root ? c1 : c2) + 1);
    if (key.empty() || key.find_first_of("<>&\"' \t") != std::string::npos)
    {
        fail("bad key '" + key + "'");
    }
    xmlNodePtr target = nullptr;
    xmlNodePtr top = xmlDocGetRootElement(doc);
    if (root)
    {
        target = top;
    }
    for (xmlNodePtr c = top ? top->children : nullptr; c && !root; c = c->next)
    {
        if (c->type != XML_ELEMENT_NODE || element != reinterpret_cast<const char*>(c->name))
        {
            continue;
        }
        std::string id = kind->second == "caller/callee"
                             ? Prop(c, "caller") + "/" + Prop(c, "callee")
                             : Prop(c, kind->second.c_str());
        if (id == name)
        {
            target = c;
            break;
        }
    }
    if (!target)
    {
        fail("no <" + element + "> with " + kind->second + " '" + name + "'");
    }
    xmlSetProp(target,
               reinterpret_cast<const xmlChar*>(key.c_str()),
               reinterpret_cast<const xmlChar*>(value.c_str()));
    return unsigned(xmlGetLineNo(target));
}

} // namespace

ParseResult<Scenario>
ScenarioParser::ParseString(const std::string& text,
                            const std::string& fileName,
                            const std::vector<std::string>& overrides)
{
    if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    {
        return ParseResult<Scenario>::Fail(fileName + ":1: XML: empty document", 1);
    }
    xmlSetGenericErrorFunc(nullptr, &SilentErrors);
    xmlResetLastError();
    xmlDocPtr doc = xmlReadMemory(text.data(),
                                  int(text.size()),
                                  fileName.c_str(),
                                  nullptr,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc)
    {
        const xmlError* e = xmlGetLastError();
        unsigned line = e ? unsigned(std::max(e->line, 0)) : 0;
        std::string msg = e && e->message ? e->message : "not well-formed XML";
        while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' '))
        {
            msg.pop_back();
        }
        xmlResetLastError();
        return ParseResult<Scenario>::Fail(fileName + ":" + std::to_string(line) + ": XML: " + msg,
                                           line);
    }
    std::map<unsigned, std::string> changed; // line → the last --set that changed it
    try
    {
        for (const auto& o : overrides)
        {
            changed[ApplyOverride(doc, o)] = o;
        }
    }
    catch (const OverrideError& e)
    {
        xmlFreeDoc(doc);
        return ParseResult<Scenario>::Fail(e.message + " (in " + fileName + ")", 0);
    }
    try
    {
        // Files a scenario names (cpu="file:...") are relative to its own folder.
        std::string dir;
        if (fileName != "<string>")
        {
            dir = std::filesystem::path(fileName).parent_path().string();
        }
        Scenario sc = Build(doc, dir);
        xmlFreeDoc(doc);
        sc.file = fileName;
        return ParseResult<Scenario>::Ok(std::move(sc));
    }
    catch (const ScenarioError& e)
    {
        xmlFreeDoc(doc);
        auto o = changed.find(e.line);
        return ParseResult<Scenario>::Fail(
            fileName + ":" + std::to_string(e.line) + ": " + e.message +
                (o == changed.end() ? std::string() : " (after --set=" + o->second + ")"),
            e.line);
    }
    catch (const std::exception& e)
    {
        xmlFreeDoc(doc);
        return ParseResult<Scenario>::Fail(fileName + ":0: " + e.what(), 0);
    }
}

ParseResult<Scenario>
ScenarioParser::ParseFile(const std::string& path, const std::vector<std::string>& overrides)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        return ParseResult<Scenario>::Fail(path + ":0: cannot open file");
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    if (text.size() > (16u << 20))
    {
        return ParseResult<Scenario>::Fail(path + ":0: file too large");
    }
    return ParseString(text, path, overrides);
}

} // namespace ns3
