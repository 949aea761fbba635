/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/security-policy-xml.h"

#include <chrono>
#include <cstring>
#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <limits>
#include <random>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

const std::string kNs = SecurityPolicyXml::NAMESPACE;

/// `<sp:policies>` wrapper around \p body.
std::string
Doc(const std::string& body)
{
    return "<sp:policies xmlns:sp=\"" + kNs + "\">" + body + "</sp:policies>";
}

/// A complete, valid `<sp:policy>` except for \p attrs and \p body substituted in.
std::string
Policy(const std::string& attrs, const std::string& body = "")
{
    return "<sp:policy " + attrs + (body.empty() ? "/>" : ">" + body + "</sp:policy>");
}

const std::string kOkAttrs = R"(dir="out" src="10.0.0.1" dst="10.0.0.2" proto="udp")";

AddressRange
Range(const char* addr,
      std::optional<uint8_t> prefix = std::nullopt,
      bool portWritten = false,
      std::optional<uint16_t> port = std::nullopt)
{
    AddressRange r;
    r.address = Ipv4Address(addr);
    if (prefix)
    {
        r.prefixLength = *prefix;
        r.prefixWritten = true;
    }
    r.portWritten = portWritten;
    r.port = port;
    return r;
}

IpsecRequest
Rule(IpsecProtocol proto,
     IpsecMode mode,
     std::optional<IpsecLevel> level,
     uint32_t uniqueId = 0,
     bool endpointField = true,
     const char* tunnelSrc = "0.0.0.0",
     const char* tunnelDst = "0.0.0.0")
{
    IpsecRequest r;
    r.protocol = proto;
    r.mode = mode;
    r.level = level;
    r.uniqueId = uniqueId;
    r.endpointFieldWritten = endpointField;
    r.tunnelSource = Ipv4Address(tunnelSrc);
    r.tunnelDestination = Ipv4Address(tunnelDst);
    return r;
}

SecurityPolicy
Base(PolicyAction action = PolicyAction::NONE)
{
    SecurityPolicy p;
    p.source = Range("192.168.1.1");
    p.destination = Range("192.168.1.2");
    p.upper = *UpperProtocol::FromName("udp");
    p.action = action;
    if (action == PolicyAction::IPSEC)
    {
        p.requests.push_back(Rule(IpsecProtocol::ESP, IpsecMode::TRANSPORT, IpsecLevel::REQUIRE));
    }
    return p;
}

/// The policy of the golden document.
SecurityPolicy
GoldenPolicy()
{
    SecurityPolicy p = Base();
    p.source = Range("192.168.1.1", 32);
    p.destination = Range("192.168.1.2", std::nullopt, true);
    p.action = PolicyAction::IPSEC;
    p.priority = 5;
    p.options = "-n";
    p.requests.push_back(Rule(IpsecProtocol::ESP,
                              IpsecMode::TUNNEL,
                              IpsecLevel::UNIQUE,
                              3,
                              true,
                              "10.0.0.1",
                              "10.0.0.2"));
    return p;
}

const std::string kGolden =
    R"(<sp:policies xmlns:sp="urn:presec:params:xml:ns:spd"><sp:policy dir="out" )"
    R"(src="192.168.1.1/32" dst="192.168.1.2[any]" proto="udp" action="ipsec" prio="5" )"
    R"(options="-n"><sp:rule proto="esp" mode="tunnel" endpoints="10.0.0.1-10.0.0.2" )"
    R"(level="unique:3"/></sp:policy></sp:policies>)";

/// One policy per value of every field and written-form flag, plus some bundles.
std::vector<SecurityPolicy>
RoundTripTable()
{
    std::vector<SecurityPolicy> t;
    t.push_back(Base());
    t.push_back(GoldenPolicy());
    for (auto dir : {PolicyDirection::IN, PolicyDirection::OUT})
    {
        for (auto action : {PolicyAction::DISCARD, PolicyAction::NONE, PolicyAction::IPSEC})
        {
            auto p = Base(action);
            p.direction = dir;
            t.push_back(p);
        }
    }
    const std::vector<AddressRange> ranges{
        Range("192.168.1.1"),
        Range("192.168.1.1", 32),
        Range("10.1.2.0", 24),
        Range("10.1.2.3", 24), // host bits kept as written
        Range("0.0.0.0", 0),
        Range("255.255.255.255", 1),
        Range("192.168.1.1", std::nullopt, true),
        Range("192.168.1.1", std::nullopt, true, 5060),
        Range("0.0.0.0", 0, true, 500),
        Range("0.0.0.0", 0, true),
        Range("1.2.3.4", 16, true, 0),
        Range("1.2.3.4", 8, true, 65535),
    };
    for (const auto& r : ranges)
    {
        auto p = Base();
        p.source = r;
        t.push_back(p);
        p = Base();
        p.destination = r;
        t.push_back(p);
    }
    for (const char* name :
         {"any", "icmp", "tcp", "udp", "gre", "esp", "ah", "icmp6", "ipcomp", "sctp"})
    {
        auto p = Base();
        p.upper = *UpperProtocol::FromName(name);
        t.push_back(p);
    }
    for (int number : {0, 17, 99, 255})
    {
        auto p = Base();
        p.upper.number = number;
        p.upper.numeric = true;
        t.push_back(p);
    }
    for (int32_t prio :
         {0, -10, 100, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()})
    {
        auto p = Base();
        p.priority = prio;
        t.push_back(p);
    }
    for (const char* options : {"-n", "-4", "-4 -n", "-6"})
    {
        auto p = Base();
        p.options = options;
        t.push_back(p);
    }
    std::vector<IpsecRequest> rules;
    for (auto proto : {IpsecProtocol::AH, IpsecProtocol::ESP, IpsecProtocol::IPCOMP})
    {
        for (std::optional<IpsecLevel> level : {std::optional<IpsecLevel>(),
                                                std::optional<IpsecLevel>(IpsecLevel::DEFAULT),
                                                std::optional<IpsecLevel>(IpsecLevel::USE),
                                                std::optional<IpsecLevel>(IpsecLevel::REQUIRE),
                                                std::optional<IpsecLevel>(IpsecLevel::UNIQUE)})
        {
            rules.push_back(Rule(proto, IpsecMode::TRANSPORT, level, 0, false));
            rules.push_back(Rule(proto, IpsecMode::TRANSPORT, level, 0, true));
            rules.push_back(Rule(proto, IpsecMode::TUNNEL, level, 0, true, "10.0.0.1", "10.0.0.2"));
        }
        rules.push_back(Rule(proto, IpsecMode::TRANSPORT, IpsecLevel::UNIQUE, 1));
        rules.push_back(Rule(proto,
                             IpsecMode::TUNNEL,
                             IpsecLevel::UNIQUE,
                             std::numeric_limits<uint32_t>::max(),
                             true,
                             "0.0.0.0",
                             "255.255.255.255"));
    }
    for (const auto& r : rules)
    {
        auto p = Base(PolicyAction::IPSEC);
        p.requests = {r};
        t.push_back(p);
    }
    auto bundle = Base(PolicyAction::IPSEC);
    bundle.requests = rules;
    t.push_back(bundle);
    auto everything = GoldenPolicy();
    everything.direction = PolicyDirection::IN;
    everything.upper.number = 132;
    everything.upper.numeric = true;
    everything.priority = -2147483647;
    everything.options = "-4 -n";
    everything.requests.push_back(
        Rule(IpsecProtocol::AH, IpsecMode::TRANSPORT, IpsecLevel::REQUIRE));
    t.push_back(everything);
    return t;
}

/// Depth-first search for the `policies` element in NAMESPACE.
xmlNode*
FindPolicies(xmlNode* node)
{
    for (; node != nullptr; node = node->next)
    {
        if (node->type == XML_ELEMENT_NODE && node->ns != nullptr &&
            kNs == reinterpret_cast<const char*>(node->ns->href) &&
            std::strcmp(reinterpret_cast<const char*>(node->name), "policies") == 0)
        {
            return node;
        }
        if (xmlNode* found = FindPolicies(node->children))
        {
            return found;
        }
    }
    return nullptr;
}

} // namespace

TEST(SecurityPolicyXml, RoundTripEachPolicy)
{
    auto table = RoundTripTable();
    ASSERT_GT(table.size(), 100u);
    for (size_t i = 0; i < table.size(); ++i)
    {
        SCOPED_TRACE("policy #" + std::to_string(i));
        std::string xml = SecurityPolicyXml::Serialize({table[i]});
        auto parsed = SecurityPolicyXml::Parse(xml);
        ASSERT_TRUE(parsed.IsOk()) << parsed.Describe() << "\n" << xml;
        ASSERT_EQ(parsed.GetValue().size(), 1u);
        EXPECT_EQ(parsed.GetValue()[0], table[i]) << xml;
        EXPECT_EQ(SecurityPolicyXml::Serialize(parsed.GetValue()), xml);
    }
}

TEST(SecurityPolicyXml, RoundTripWholeTableInOrder)
{
    auto table = RoundTripTable();
    auto parsed = SecurityPolicyXml::Parse(SecurityPolicyXml::Serialize(table));
    ASSERT_TRUE(parsed.IsOk()) << parsed.Describe();
    EXPECT_EQ(parsed.GetValue(), table);
}

TEST(SecurityPolicyXml, EmptyList)
{
    std::string xml = SecurityPolicyXml::Serialize({});
    EXPECT_EQ(xml, "<sp:policies xmlns:sp=\"" + kNs + "\"/>");
    auto parsed = SecurityPolicyXml::Parse(xml);
    ASSERT_TRUE(parsed.IsOk()) << parsed.Describe();
    EXPECT_TRUE(parsed.GetValue().empty());
}

TEST(SecurityPolicyXml, GoldenDocument)
{
    EXPECT_EQ(SecurityPolicyXml::Serialize({GoldenPolicy()}), kGolden);
    auto parsed = SecurityPolicyXml::Parse(kGolden);
    ASSERT_TRUE(parsed.IsOk()) << parsed.Describe();
    ASSERT_EQ(parsed.GetValue().size(), 1u);
    EXPECT_EQ(parsed.GetValue()[0], GoldenPolicy());
}

TEST(SecurityPolicyXml, AcceptsOtherPrefixWhitespaceAndComments)
{
    // Hand-written or pretty-printed input is fine as long as it says the same thing.
    std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<!-- apparatus 10 -->\n"
                      "<p:policies xmlns:p=\"" +
                      kNs +
                      "\">\n"
                      "  <p:policy dir='out' src='192.168.1.1/32' dst='192.168.1.2[any]'\n"
                      "            proto='udp' action='ipsec' prio='5' options='-n'>\n"
                      "    <!-- tunnel to the gateway -->\n"
                      "    <p:rule proto='esp' mode='tunnel' endpoints='10.0.0.1-10.0.0.2'\n"
                      "            level='unique:3'>  </p:rule>\n"
                      "  </p:policy>\n"
                      "</p:policies>\n";
    auto parsed = SecurityPolicyXml::Parse(xml);
    ASSERT_TRUE(parsed.IsOk()) << parsed.Describe();
    ASSERT_EQ(parsed.GetValue().size(), 1u);
    EXPECT_EQ(parsed.GetValue()[0], GoldenPolicy());
    // A default namespace works too.
    auto plain = SecurityPolicyXml::Parse("<policies xmlns=\"" + kNs + "\">" + "<policy " +
                                          kOkAttrs + " action=\"none\"/>" + "</policies>");
    ASSERT_TRUE(plain.IsOk()) << plain.Describe();
    EXPECT_EQ(plain.GetValue()[0].upper.number, 17);
}

TEST(SecurityPolicyXml, OneRulePolicyIsSmall)
{
    std::string xml = SecurityPolicyXml::Serialize({GoldenPolicy()});
    std::cout << "[ INFO     ] 1-rule policies document: " << xml.size() << " bytes\n";
    EXPECT_LT(xml.size(), 300u);
    // The scenario's pair of require policies for a peer fits a SIP NOTIFY with room to spare.
    auto out = Base(PolicyAction::IPSEC);
    out.requests.push_back(Rule(IpsecProtocol::AH, IpsecMode::TRANSPORT, IpsecLevel::REQUIRE));
    auto in = out;
    in.direction = PolicyDirection::IN;
    std::swap(in.source, in.destination);
    std::string pair = SecurityPolicyXml::Serialize({out, in});
    std::cout << "[ INFO     ] in+out 2-rule pair: " << pair.size() << " bytes\n";
    EXPECT_LT(pair.size(), 650u);
}

TEST(SecurityPolicyXml, EmbeddedInForeignDocument)
{
    auto policies = RoundTripTable();
    policies.resize(20);
    xmlDoc* doc = xmlNewDoc(reinterpret_cast<const xmlChar*>("1.0"));
    xmlNode* presence = xmlNewDocNode(doc, nullptr, BAD_CAST "presence", nullptr);
    xmlDocSetRootElement(doc, presence);
    xmlSetNs(presence, xmlNewNs(presence, BAD_CAST "urn:ietf:params:xml:ns:pidf", nullptr));
    // `sp` already bound to something else in the host document: AppendTo must shadow it.
    xmlNewNs(presence, BAD_CAST "urn:example:other", BAD_CAST "sp");
    xmlNode* tuple = xmlNewChild(presence, presence->ns, BAD_CAST "tuple", nullptr);
    xmlSetProp(tuple, BAD_CAST "id", BAD_CAST "t1");
    xmlNewChild(tuple, presence->ns, BAD_CAST "status", nullptr);

    xmlNode* element = SecurityPolicyXml::AppendTo(tuple, policies);
    ASSERT_NE(element, nullptr);
    xmlNewChild(tuple, presence->ns, BAD_CAST "timestamp", BAD_CAST "2024-01-01T00:00:00Z");
    EXPECT_EQ(element->parent, tuple);

    // Straight from the tree, without a text round trip.
    auto direct = SecurityPolicyXml::ReadFrom(element);
    ASSERT_TRUE(direct.IsOk()) << direct.Describe();
    EXPECT_EQ(direct.GetValue(), policies);

    xmlChar* mem = nullptr;
    int size = 0;
    xmlDocDumpFormatMemory(doc, &mem, &size, 1); // indented: whitespace nodes on re-read
    std::string text(reinterpret_cast<const char*>(mem), size_t(size));
    xmlFree(mem);
    xmlFreeDoc(doc);
    EXPECT_NE(text.find("<sp:policies xmlns:sp=\"" + kNs + "\">"), std::string::npos) << text;

    xmlDoc* reread =
        xmlReadMemory(text.data(), int(text.size()), nullptr, nullptr, XML_PARSE_NONET);
    ASSERT_NE(reread, nullptr);
    xmlNode* found = FindPolicies(xmlDocGetRootElement(reread));
    ASSERT_NE(found, nullptr);
    auto parsed = SecurityPolicyXml::ReadFrom(found);
    EXPECT_TRUE(parsed.IsOk()) << parsed.Describe();
    if (parsed.IsOk())
    {
        EXPECT_EQ(parsed.GetValue(), policies);
    }
    // The host's own elements are not policies.
    auto wrong = SecurityPolicyXml::ReadFrom(xmlDocGetRootElement(reread));
    EXPECT_FALSE(wrong.IsOk());
    EXPECT_NE(wrong.GetError().find("expected <policies>"), std::string::npos);
    xmlFreeDoc(reread);

    EXPECT_EQ(SecurityPolicyXml::AppendTo(nullptr, policies), nullptr);
    EXPECT_FALSE(SecurityPolicyXml::ReadFrom(nullptr).IsOk());
}

TEST(SecurityPolicyXml, ErrorsNameTheLine)
{
    std::string xml = Doc("\n" + Policy(kOkAttrs + " action=\"none\"") + "\n" +
                          Policy(kOkAttrs + " action=\"maybe\"") + "\n");
    auto r = SecurityPolicyXml::Parse(xml);
    ASSERT_FALSE(r.IsOk());
    EXPECT_EQ(r.Describe(), "line 3: bad action 'maybe' (discard, none or ipsec)");
    auto wf = SecurityPolicyXml::Parse("<a>\n\n<b></a>");
    ASSERT_FALSE(wf.IsOk());
    EXPECT_EQ(wf.GetLine(), 3u);
    EXPECT_EQ(wf.Describe().rfind("line 3: ", 0), 0u) << wf.Describe();
}

namespace
{
int g_foreignErrors = 0;

void
#if LIBXML_VERSION >= 21200
ForeignHandler(void*, const xmlError*)
#else
ForeignHandler(void*, xmlError*)
#endif
{
    ++g_foreignErrors;
}
} // namespace

TEST(SecurityPolicyXml, RestoresLibxmlErrorHandler)
{
    xmlSetStructuredErrorFunc(&g_foreignErrors, &ForeignHandler);
    EXPECT_FALSE(SecurityPolicyXml::Parse("<unclosed").IsOk());
    EXPECT_EQ(g_foreignErrors, 0);
    EXPECT_EQ(xmlStructuredError, &ForeignHandler);
    EXPECT_EQ(xmlStructuredErrorContext, &g_foreignErrors);
    xmlDoc* d = xmlReadMemory("<x", 2, nullptr, nullptr, 0);
    EXPECT_EQ(d, nullptr);
    EXPECT_GT(g_foreignErrors, 0);
    xmlSetStructuredErrorFunc(nullptr, nullptr);
}

TEST(SecurityPolicyXml, BillionLaughsIsRejectedFast)
{
    std::string lol = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n";
    std::string prev = "lol";
    for (int i = 1; i <= 9; ++i)
    {
        std::string name = "lol" + std::to_string(i);
        lol += "<!ENTITY " + name + " \"";
        for (int j = 0; j < 10; ++j)
        {
            lol += "&" + prev + ";";
        }
        lol += "\">\n";
        prev = name;
    }
    lol += "]>\n" + Doc(Policy(kOkAttrs + " action=\"none\" options=\"&" + prev + ";\""));
    auto start = std::chrono::steady_clock::now();
    auto r = SecurityPolicyXml::Parse(lol);
    auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_FALSE(r.IsOk());
    EXPECT_NE(r.Describe().find("DTD"), std::string::npos) << r.Describe();
    EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count(), 500);
}

TEST(SecurityPolicyXml, MutatedDocumentsNeverCrash)
{
    // Deterministic byte-level fuzzing of a rich document: every outcome must be a clean
    // success (which then round-trips) or a described failure.
    std::string seed =
        SecurityPolicyXml::Serialize({GoldenPolicy(), Base(), Base(PolicyAction::IPSEC)});
    const std::string alphabet = "<>/=\"' :-[]&;.0123456789axyz\n\x01\xff";
    std::mt19937 rng(4711);
    int ok = 0;
    for (int i = 0; i < 3000; ++i)
    {
        std::string s = seed;
        int edits = 1 + int(rng() % 3);
        for (int e = 0; e < edits && !s.empty(); ++e)
        {
            size_t pos = rng() % s.size();
            switch (rng() % 3)
            {
            case 0:
                s[pos] = alphabet[rng() % alphabet.size()];
                break;
            case 1:
                s.erase(pos, 1 + rng() % 4);
                break;
            default:
                s.insert(pos, 1, alphabet[rng() % alphabet.size()]);
            }
        }
        auto r = SecurityPolicyXml::Parse(s);
        if (r.IsOk())
        {
            ++ok;
            auto again = SecurityPolicyXml::Parse(SecurityPolicyXml::Serialize(r.GetValue()));
            ASSERT_TRUE(again.IsOk()) << s;
            EXPECT_EQ(again.GetValue(), r.GetValue()) << s;
        }
        else
        {
            EXPECT_FALSE(r.GetError().empty()) << s;
        }
    }
    EXPECT_GT(ok, 0);
}

/// A document that must be refused, and a piece of the message that must say why.
struct Malformed
{
    const char* name;   //!< test name
    std::string xml;    //!< the document
    std::string reason; //!< substring of Describe()
};

/// Name the case in gtest's failure output instead of dumping bytes.
void
PrintTo(const Malformed& m, std::ostream* os)
{
    *os << m.name;
}

class SecurityPolicyXmlMalformed : public testing::TestWithParam<Malformed>
{
};

TEST_P(SecurityPolicyXmlMalformed, IsRejected)
{
    const auto& m = GetParam();
    auto r = SecurityPolicyXml::Parse(m.xml);
    ASSERT_FALSE(r.IsOk()) << m.xml;
    EXPECT_NE(r.Describe().find(m.reason), std::string::npos)
        << "message: " << r.Describe() << "\nexpected to contain: " << m.reason;
}

namespace
{

std::string
OnePolicy(const std::string& attrs, const std::string& body = "")
{
    return Doc(Policy(attrs, body));
}

std::string
IpsecRule(const std::string& ruleAttrs)
{
    return OnePolicy(kOkAttrs + " action=\"ipsec\"", "<sp:rule " + ruleAttrs + "/>");
}

std::string
Junk()
{
    std::string j;
    std::mt19937 rng(1);
    for (int i = 0; i < 512; ++i)
    {
        j.push_back(char(rng() & 0xff));
    }
    j[0] = '\0';
    return j;
}

std::string
Oversized()
{
    std::string body = Policy(kOkAttrs + " action=\"none\"");
    std::string xml;
    while (xml.size() <= SecurityPolicyXml::MAX_DOCUMENT_SIZE)
    {
        xml += body;
    }
    return Doc(xml);
}

const std::string kNone = kOkAttrs + " action=\"none\"";

const Malformed kMalformed[] = {
    {"Empty", "", "empty document"},
    {"OnlyWhitespace", "   \n", "empty document"},
    {"NotXml",
     "spdadd 1.2.3.4 5.6.7.8 any -P out none;",
     "line 1: malformed XML: Start tag expected"},
    {"Unclosed", "<sp:policies xmlns:sp=\"" + kNs + "\">", "line 1: "},
    {"TagMismatch", Doc("<sp:policy></sp:rule>"), "mismatch"},
    {"TwoRoots", Doc("") + Doc(""), "Extra content"},
    {"DuplicateAttribute", OnePolicy(kNone + " dir=\"in\""), "Attribute dir redefined"},
    {"BinaryJunk", Junk(), "line 1: "},
    {"Oversized", Oversized(), "too large"},
    {"WrongRoot", "<sp:policy xmlns:sp=\"" + kNs + "\"/>", "expected <policies>"},
    {"WrongNamespace",
     "<sp:policies xmlns:sp=\"urn:example:spd\"/>",
     "expected <policies> in namespace " + kNs + ", found <policies> in namespace urn:example:spd"},
    {"NoNamespace", "<policies/>", kNs},
    {"UndeclaredPrefix", "<sp:policies/>", "Namespace prefix sp"},
    {"ChildWrongNamespace", Doc("<policy " + kNone + "/>"), "found <policy> without namespace"},
    {"ChildWrongName", Doc("<sp:entry " + kNone + "/>"), "found <entry>"},
    {"RuleUnderPolicies", Doc("<sp:rule proto=\"esp\" mode=\"transport\"/>"), "expected <policy>"},
    {"AttributeOnPolicies",
     "<sp:policies xmlns:sp=\"" + kNs + "\" version=\"2\"/>",
     "unknown attribute 'version'"},
    {"MissingDir",
     OnePolicy(R"(src="1.1.1.1" dst="2.2.2.2" proto="any" action="none")"),
     "missing attribute 'dir'"},
    {"MissingSrc",
     OnePolicy(R"(dir="in" dst="2.2.2.2" proto="any" action="none")"),
     "missing attribute 'src'"},
    {"MissingDst",
     OnePolicy(R"(dir="in" src="2.2.2.2" proto="any" action="none")"),
     "missing attribute 'dst'"},
    {"MissingProto",
     OnePolicy(R"(dir="in" src="1.1.1.1" dst="2.2.2.2" action="none")"),
     "missing attribute 'proto'"},
    {"MissingAction", OnePolicy(kOkAttrs), "missing attribute 'action'"},
    {"UnknownAttribute", OnePolicy(kNone + " color=\"red\""), "unknown attribute 'color'"},
    {"NamespacedAttribute", OnePolicy(kNone + " xml:lang=\"en\""), "unknown attribute 'lang'"},
    {"BadDir",
     OnePolicy(R"(dir="sideways" src="1.1.1.1" dst="2.2.2.2" proto="any" action="none")"),
     "bad dir 'sideways'"},
    {"BadAddressOctet",
     OnePolicy(R"(dir="in" src="192.168.1.256" dst="2.2.2.2" proto="any" action="none")"),
     "src: bad IPv4 address '192.168.1.256'"},
    {"BadAddressShort",
     OnePolicy(R"(dir="in" src="1.1.1" dst="2.2.2.2" proto="any" action="none")"),
     "bad IPv4 address"},
    {"BadAddressName",
     OnePolicy(R"(dir="in" src="example.com" dst="2.2.2.2" proto="any" action="none")"),
     "bad IPv4 address"},
    {"BadAddressSpace",
     OnePolicy(R"(dir="in" src=" 1.1.1.1" dst="2.2.2.2" proto="any" action="none")"),
     "bad IPv4 address"},
    {"EmptyAddress",
     OnePolicy(R"(dir="in" src="" dst="2.2.2.2" proto="any" action="none")"),
     "bad IPv4 address"},
    {"Prefix33",
     OnePolicy(R"(dir="in" src="1.1.1.1/33" dst="2.2.2.2" proto="any" action="none")"),
     "bad prefix length '33'"},
    {"PrefixEmpty",
     OnePolicy(R"(dir="in" src="1.1.1.1/" dst="2.2.2.2" proto="any" action="none")"),
     "bad prefix length"},
    {"Port70000",
     OnePolicy(R"(dir="in" src="1.1.1.1" dst="2.2.2.2[70000]" proto="any" action="none")"),
     "bad port '70000'"},
    {"PortEmpty",
     OnePolicy(R"(dir="in" src="1.1.1.1[]" dst="2.2.2.2" proto="any" action="none")"),
     "bad port"},
    {"PortUnclosed",
     OnePolicy(R"(dir="in" src="1.1.1.1[80" dst="2.2.2.2" proto="any" action="none")"),
     "bad port"},
    {"PortNegative",
     OnePolicy(R"(dir="in" src="1.1.1.1[-1]" dst="2.2.2.2" proto="any" action="none")"),
     "bad port"},
    {"PortBeforePrefix",
     OnePolicy(R"(dir="in" src="1.1.1.1[80]/24" dst="2.2.2.2" proto="any" action="none")"),
     "bad port"},
    {"Ipv6",
     OnePolicy(R"(dir="in" src="2001:db8::1" dst="2.2.2.2" proto="any" action="none")"),
     "IPv6"},
    {"Ipv6Prefix",
     OnePolicy(R"(dir="in" src="::/0[any]" dst="2.2.2.2" proto="any" action="none")"),
     "IPv6"},
    {"Ipv6Prefix64",
     OnePolicy(R"(dir="in" src="1.1.1.1" dst="2001:db8::/64" proto="any" action="none")"),
     "dst: IPv6 address '2001:db8::/64' not supported"},
    {"BadProtoName",
     OnePolicy(R"(dir="in" src="1.1.1.1" dst="2.2.2.2" proto="smtp" action="none")"),
     "bad proto 'smtp'"},
    {"ProtoNumber256",
     OnePolicy(R"(dir="in" src="1.1.1.1" dst="2.2.2.2" proto="256" action="none")"),
     "bad proto '256'"},
    {"ProtoTrailingJunk",
     OnePolicy(R"(dir="in" src="1.1.1.1" dst="2.2.2.2" proto="17x" action="none")"),
     "bad proto"},
    {"BadAction", OnePolicy(kOkAttrs + " action=\"entrust\""), "bad action 'entrust'"},
    {"PrioTrailingJunk", OnePolicy(kNone + " prio=\"5x\""), "bad prio '5x'"},
    {"PrioEmpty", OnePolicy(kNone + " prio=\"\""), "bad prio"},
    {"PrioOverflow", OnePolicy(kNone + " prio=\"2147483648\""), "bad prio"},
    {"PrioPlus", OnePolicy(kNone + " prio=\"+5\""), "bad prio"},
    {"BadOptions", OnePolicy(kNone + " options=\"; reboot\""), "bad options"},
    {"RulesUnderNone",
     OnePolicy(kNone, "<sp:rule proto=\"esp\" mode=\"transport\"/>"),
     "only allowed under action=\"ipsec\""},
    {"RulesUnderDiscard",
     OnePolicy(kOkAttrs + " action=\"discard\"", "<sp:rule proto=\"esp\" mode=\"transport\"/>"),
     "only allowed under"},
    {"IpsecWithoutRules", OnePolicy(kOkAttrs + " action=\"ipsec\""), "at least one <rule>"},
    {"RuleWrongName",
     OnePolicy(kOkAttrs + " action=\"ipsec\"", "<sp:request/>"),
     "expected <rule>"},
    {"RuleMissingProto", IpsecRule("mode=\"transport\""), "missing attribute 'proto'"},
    {"RuleMissingMode", IpsecRule("proto=\"esp\""), "missing attribute 'mode'"},
    {"RuleBadProto", IpsecRule("proto=\"gre\" mode=\"transport\""), "bad rule proto 'gre'"},
    {"RuleBadMode", IpsecRule("proto=\"esp\" mode=\"beet\""), "bad rule mode 'beet'"},
    {"RuleUnknownAttribute",
     IpsecRule("proto=\"esp\" mode=\"transport\" spi=\"1\""),
     "unknown attribute 'spi'"},
    {"TunnelWithoutEndpoints", IpsecRule("proto=\"esp\" mode=\"tunnel\""), "needs endpoints"},
    {"TunnelEmptyEndpoints",
     IpsecRule("proto=\"esp\" mode=\"tunnel\" endpoints=\"\""),
     "needs endpoints"},
    {"TunnelOneEndpoint",
     IpsecRule("proto=\"esp\" mode=\"tunnel\" endpoints=\"10.0.0.1\""),
     "bad tunnel endpoints"},
    {"TunnelIpv6Endpoints",
     IpsecRule("proto=\"esp\" mode=\"tunnel\" endpoints=\"fe80::1-fe80::2\""),
     "bad tunnel endpoints"},
    {"TransportWithEndpoints",
     IpsecRule("proto=\"esp\" mode=\"transport\" endpoints=\"10.0.0.1-10.0.0.2\""),
     "transport mode takes no endpoints"},
    {"BadLevel",
     IpsecRule("proto=\"esp\" mode=\"transport\" level=\"always\""),
     "bad level 'always'"},
    {"UniqueZero", IpsecRule("proto=\"esp\" mode=\"transport\" level=\"unique:0\""), "bad level"},
    {"UniqueNotNumber",
     IpsecRule("proto=\"esp\" mode=\"transport\" level=\"unique:x\""),
     "bad level"},
    {"UniqueOverflow",
     IpsecRule("proto=\"esp\" mode=\"transport\" level=\"unique:4294967296\""),
     "bad level"},
    {"RequireWithId",
     IpsecRule("proto=\"esp\" mode=\"transport\" level=\"require:3\""),
     "bad level"},
    {"RuleWithChild",
     OnePolicy(kOkAttrs + " action=\"ipsec\"",
               "<sp:rule proto=\"esp\" mode=\"transport\"><sp:rule/></sp:rule>"),
     "unexpected element in <rule>"},
    {"TextBetweenPolicies", Doc("hello" + Policy(kNone)), "unexpected text in <policies>"},
    {"TextInPolicy",
     OnePolicy(kOkAttrs + " action=\"ipsec\"",
               "<sp:rule proto=\"esp\" mode=\"transport\"/>trailing"),
     "unexpected text in <policy>"},
    {"TextInRule",
     OnePolicy(kOkAttrs + " action=\"ipsec\"",
               "<sp:rule proto=\"esp\" mode=\"transport\">x</sp:rule>"),
     "unexpected text in <rule>"},
    {"CdataText", Doc("<![CDATA[data]]>"), "unexpected text"},
    {"CharacterReferenceText", Doc("&#65;"), "unexpected text"},
    {"UndefinedEntity", OnePolicy(kNone + " options=\"&foo;\""), "Entity 'foo' not defined"},
    {"ExternalEntity",
     "<!DOCTYPE sp:policies [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>" +
         OnePolicy(kNone + " options=\"&e;\""),
     "DTD"},
    {"InternalSubsetLater",
     "<?xml version=\"1.0\"?>\n\n<!DOCTYPE x SYSTEM \"http://example.com/x.dtd\">" + Doc(""),
     "line 3: DTD"},
};

} // namespace

INSTANTIATE_TEST_SUITE_P(Table,
                         SecurityPolicyXmlMalformed,
                         testing::ValuesIn(kMalformed),
                         [](const testing::TestParamInfo<Malformed>& info) {
                             return std::string(info.param.name);
                         });
