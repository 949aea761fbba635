/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/pidf-codec.h"
#include "ns3/presence-document.h"
#include "ns3/security-policy-xml.h"

#include <cstring>
#include <gtest/gtest.h>
#include <iostream>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <random>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

// ---------------------------------------------------------------------------------------------
// Schema validation with libxml2's xmlSchema API, against the local RFC 3863 schema.

/// The compiled test/data/pidf.xsd, loaded once.
class PidfSchema
{
  public:
    static PidfSchema& Get()
    {
        static PidfSchema instance;
        return instance;
    }

    /** \return empty if \p xml is valid, else the first validation error */
    std::string Validate(const std::string& xml)
    {
        if (m_schema == nullptr)
        {
            return "schema not loaded: " + m_loadError;
        }
        xmlDoc* doc = xmlReadMemory(xml.data(), int(xml.size()), nullptr, nullptr, XML_PARSE_NONET);
        if (doc == nullptr)
        {
            return "not well-formed";
        }
        xmlSchemaValidCtxt* ctxt = xmlSchemaNewValidCtxt(m_schema);
        std::string error;
        xmlSchemaSetValidStructuredErrors(ctxt, &PidfSchema::OnError, &error);
        int rc = xmlSchemaValidateDoc(ctxt, doc);
        xmlSchemaFreeValidCtxt(ctxt);
        xmlFreeDoc(doc);
        if (rc != 0 && error.empty())
        {
            error = "invalid (code " + std::to_string(rc) + ")";
        }
        return error;
    }

    bool Loaded() const
    {
        return m_schema != nullptr;
    }

  private:
    PidfSchema()
    {
        std::string path = std::string(PRESEC_TEST_DATA) + "/pidf.xsd";
        xmlSchemaParserCtxt* pctxt = xmlSchemaNewParserCtxt(path.c_str());
        xmlSchemaSetParserStructuredErrors(pctxt, &PidfSchema::OnError, &m_loadError);
        m_schema = xmlSchemaParse(pctxt);
        xmlSchemaFreeParserCtxt(pctxt);
    }

    ~PidfSchema()
    {
        xmlSchemaFree(m_schema);
    }

#if LIBXML_VERSION >= 21200
    static void OnError(void* ctx, const xmlError* e)
#else
    static void OnError(void* ctx, xmlError* e)
#endif
    {
        auto out = static_cast<std::string*>(ctx);
        if (out->empty() && e != nullptr && e->message != nullptr)
        {
            *out = "line " + std::to_string(e->line) + ": " + e->message;
        }
    }

    xmlSchema* m_schema{nullptr};
    std::string m_loadError;
};

// ---------------------------------------------------------------------------------------------
// Documents.

/// FIG. 5 / FIG. 8 policy: 192.168.1.1[any] -> 192.168.1.2[any] udp, out, none.
SecurityPolicy
PatentPolicy()
{
    SecurityPolicy p;
    p.source = AddressRange::Host(Ipv4Address("192.168.1.1"));
    p.destination = AddressRange::Host(Ipv4Address("192.168.1.2"));
    p.upper = *UpperProtocol::FromName("udp");
    p.direction = PolicyDirection::OUT;
    p.action = PolicyAction::NONE;
    return p;
}

/// An ESP-protected variant with ports, a priority and two rules.
SecurityPolicy
IpsecPolicy()
{
    SecurityPolicy p = PatentPolicy();
    p.action = PolicyAction::IPSEC;
    p.destination.port = 5060;
    p.destination.portWritten = true;
    p.priority = -3;
    IpsecRequest esp;
    esp.protocol = IpsecProtocol::ESP;
    esp.mode = IpsecMode::TRANSPORT;
    esp.level = IpsecLevel::REQUIRE;
    esp.endpointFieldWritten = true;
    p.requests.push_back(esp);
    IpsecRequest ah;
    ah.protocol = IpsecProtocol::AH;
    ah.mode = IpsecMode::TUNNEL;
    ah.tunnelSource = Ipv4Address("10.0.0.1");
    ah.tunnelDestination = Ipv4Address("10.0.0.2");
    ah.endpointFieldWritten = true;
    ah.level = IpsecLevel::UNIQUE;
    ah.uniqueId = 7;
    p.requests.push_back(ah);
    return p;
}

const Rfc3339Time&
PatentBase()
{
    static const Rfc3339Time base = *ParseRfc3339("2002-09-28T10:49:29Z");
    return base;
}

/// The patent's FIG. 5 response of peer apparatus 11-1.
PresenceDocument
PatentDocument()
{
    PresenceDocument d;
    d.entity = "pres:peerA@example.com";
    d.tupleId = "t1";
    d.basic = BasicStatus::OPEN;
    d.contact = "sip:peerA@192.168.1.2";
    d.timestamp = MakeTimestamp(PatentBase(), Seconds(0));
    d.placeType = PlaceType::OFFICE;
    d.sphere = Sphere::WORK;
    d.addresses = {Ipv4Address("192.168.1.2")};
    d.user = "John";
    d.location = "office";
    d.policies = {PatentPolicy()};
    return d;
}

PresenceDocument
Minimal()
{
    PresenceDocument d;
    d.entity = "pres:min@example.com";
    return d;
}

std::vector<std::pair<std::string, PresenceDocument>>
RoundTripTable()
{
    std::vector<std::pair<std::string, PresenceDocument>> t;
    t.emplace_back("minimal", Minimal());
    auto d = Minimal();
    d.basic = BasicStatus::CLOSED;
    t.emplace_back("closed", d);
    t.emplace_back("patent FIG. 5", PatentDocument());

    d = PatentDocument();
    d.policies = {PatentPolicy(), IpsecPolicy()};
    t.emplace_back("two policies", d);

    d = Minimal();
    d.addresses = {Ipv4Address("192.168.1.2"),
                   Ipv4Address("133.134.10.10"),
                   Ipv4Address("0.0.0.0")};
    t.emplace_back("addresses only", d);

    d = Minimal();
    d.user = "John";
    t.emplace_back("user only", d);

    d = Minimal();
    d.location = "external";
    t.emplace_back("location only", d);

    d = Minimal();
    d.policies = {IpsecPolicy()};
    t.emplace_back("policy only", d);

    for (auto p : {PlaceType::OFFICE,
                   PlaceType::RESIDENCE,
                   PlaceType::PUBLIC,
                   PlaceType::CAFE,
                   PlaceType::HOTEL,
                   PlaceType::AIRPORT,
                   PlaceType::PUBLIC_TRANSPORT,
                   PlaceType::OTHER,
                   PlaceType::UNKNOWN})
    {
        d = Minimal();
        d.placeType = p;
        t.emplace_back("place-type " + ToString(p), d);
    }
    d = Minimal();
    d.placeType = PlaceType::OTHER;
    d.placeTypeText = "train-station"; // RFC 4589 token presec does not name
    t.emplace_back("place-type extension token", d);
    d.placeTypeText = "my garden"; // not a token: written as <rp:other>
    t.emplace_back("place-type free text", d);
    d.placeTypeText = "office"; // must not read back as OFFICE
    t.emplace_back("place-type other named like a token", d);

    for (auto s : {Sphere::HOME, Sphere::WORK, Sphere::UNKNOWN})
    {
        d = Minimal();
        d.sphere = s;
        t.emplace_back("sphere " + ToString(s), d);
    }
    d = Minimal();
    d.sphere = Sphere::UNKNOWN;
    d.sphereText = "bowling league";
    t.emplace_back("sphere free text", d);

    d = PatentDocument();
    d.user = "O'Brien & <Sons> \"quoted\"";
    d.location = u8"caf\u00e9 \u6771\u4eac \u2615";
    d.note = "line one\nline two\ttab\r\nCRLF";
    d.entity = "pres:a&b@example.com";
    d.contact = "tel:+09012345678";
    t.emplace_back("escaping and UTF-8", d);

    d = Minimal();
    d.user = "  padded  ";
    d.note = " ";
    t.emplace_back("significant white space", d);

    d = PatentDocument();
    d.timestamp = "2002-09-28T19:49:29.25+09:00";
    d.tupleId = "sg89ae";
    t.emplace_back("timestamp with offset and fraction", d);

    d = Minimal();
    d.note = "only a note";
    d.timestamp = "2004-02-29T23:59:59Z";
    t.emplace_back("note and leap day", d);
    return t;
}

// Pieces for hand-written documents.
const std::string kPidfNs = "urn:ietf:params:xml:ns:pidf";
const std::string kHead = R"(<presence xmlns="urn:ietf:params:xml:ns:pidf" )"
                          R"(entity="pres:a@example.com">)";
const std::string kStatus = "<status><basic>open</basic></status>";
const std::string kPsNs = R"(xmlns:ps="urn:presec:params:xml:ns:presence")";
const std::string kSpNs = R"(xmlns:sp="urn:presec:params:xml:ns:spd")";
const std::string kDmNs = R"(xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model" )"
                          R"(xmlns:rp="urn:ietf:params:xml:ns:pidf:rpid" )"
                          R"(xmlns:lt="urn:ietf:params:xml:ns:location-type")";
const std::string kOkPolicy =
    R"(<sp:policy dir="out" src="192.168.1.1" dst="192.168.1.2" proto="udp" action="none"/>)";

std::string
Doc(const std::string& inner)
{
    return kHead + inner + "</presence>";
}

std::string
Tuple(const std::string& inner, const std::string& after = "")
{
    return Doc("<tuple id=\"t1\">" + inner + "</tuple>" + after);
}

std::string
Presec(const std::string& inner)
{
    return Tuple(kStatus + "<ps:presec " + kPsNs + ">" + inner + "</ps:presec>");
}

std::string
Person(const std::string& inner)
{
    return Tuple(kStatus, "<dm:person " + kDmNs + " id=\"p1\">" + inner + "</dm:person>");
}

/// `levels` nested elements of an ignored extension inside the tuple.
std::string
Deep(unsigned levels)
{
    std::string open;
    std::string close;
    for (unsigned i = 0; i < levels; ++i)
    {
        open += "<x:e>";
        close = "</x:e>" + close;
    }
    return Tuple(kStatus + "<x:e xmlns:x=\"urn:example:deep\">" + open.substr(5) + close);
}

struct BadCase
{
    const char* name;     //!< what is wrong
    std::string xml;      //!< the document
    const char* expected; //!< substring of the error message
};

std::vector<BadCase>
MalformedTable()
{
    std::string tooBig = Tuple(kStatus + "<note>" + std::string(70 * 1024, 'x') + "</note>");
    std::string junk;
    std::mt19937 rng(42);
    for (int i = 0; i < 512; ++i)
    {
        junk += char(rng() & 0xff);
    }
    std::string truncated = Tuple(kStatus);
    truncated.resize(truncated.size() - 7);
    return {
        {"empty", "", "empty document"},
        {"oversize", tooBig, "too large"},
        {"plain text", "hello, presence", "malformed XML"},
        {"binary junk", junk, "malformed XML"},
        {"NUL bytes", std::string("<presence\0>", 11), "malformed XML"},
        {"truncated", truncated, "malformed XML"},
        {"entity expansion DTD",
         R"(<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>)" +
             Tuple(kStatus + "<note>&b;</note>"),
         "DTD"},
        {"external entity",
         R"(<!DOCTYPE p SYSTEM "http://example.com/evil.dtd">)" + Tuple(kStatus),
         "DTD"},
        {"undefined entity", Tuple(kStatus + "<note>&bogus;</note>"), "malformed XML"},
        {"invalid UTF-8", Tuple(kStatus + "<note>\xff\xfe</note>"), "malformed XML"},
        {"unbound prefix", Tuple(kStatus + "<ps:presec/>"), "malformed XML"},
        {"wrong root",
         R"(<pres xmlns="urn:ietf:params:xml:ns:pidf" entity="pres:a@b"/>)",
         "expected <presence>"},
        {"wrong namespace",
         R"(<presence xmlns="urn:ietf:params:xml:ns:cpim-pidf" entity="pres:a@b"/>)",
         "in namespace urn:ietf:params:xml:ns:cpim-pidf"},
        {"no namespace",
         R"(<presence entity="pres:a@b"><tuple id="t"/></presence>)",
         "without namespace"},
        {"missing entity",
         R"(<presence xmlns="urn:ietf:params:xml:ns:pidf"><tuple id="t1">)" + kStatus +
             "</tuple></presence>",
         "missing attribute 'entity'"},
        {"entity not a URI",
         R"(<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="peer A"><tuple id="t1">)" +
             kStatus + "</tuple></presence>",
         "bad entity 'peer A'"},
        {"unknown attribute on presence",
         R"(<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="pres:a@b" version="2">)"
         R"(<tuple id="t1"><status><basic>open</basic></status></tuple></presence>)",
         "unknown attribute 'version' on <presence>"},
        {"missing tuple", Doc(""), "missing <tuple>"},
        {"two tuples",
         Doc("<tuple id=\"t1\">" + kStatus + "</tuple><tuple id=\"t2\">" + kStatus + "</tuple>"),
         "more than one <tuple>"},
        {"tuple after note",
         Doc("<note>n</note><tuple id=\"t1\">" + kStatus + "</tuple>"),
         "misplaced <tuple>"},
        {"missing tuple id",
         Doc("<tuple>" + kStatus + "</tuple>"),
         "missing attribute 'id' on <tuple>"},
        {"tuple id not NCName",
         Doc("<tuple id=\"1st\">" + kStatus + "</tuple>"),
         "bad tuple id '1st'"},
        {"namespaced attribute on tuple",
         Doc("<tuple id=\"t1\" xml:lang=\"en\">" + kStatus + "</tuple>"),
         "unknown attribute 'xml:lang' on <tuple>"},
        {"empty tuple", Tuple(""), "missing <status>"},
        {"contact before status",
         Tuple("<contact>sip:a@b</contact>" + kStatus),
         "expected <status> first"},
        {"two statuses", Tuple(kStatus + kStatus), "duplicate <status>"},
        {"missing basic", Tuple("<status/>"), "missing <basic>"},
        {"basic value", Tuple("<status><basic>busy</basic></status>"), "bad <basic> value 'busy'"},
        {"basic with blanks",
         Tuple("<status><basic> open </basic></status>"),
         "bad <basic> value ' open '"},
        {"basic with child",
         Tuple("<status><basic><b>open</b></basic></status>"),
         "unexpected element <b> in <basic>"},
        {"two basics",
         Tuple("<status><basic>open</basic><basic>closed</basic></status>"),
         "duplicate <basic>"},
        {"basic after extension",
         Tuple(R"(<status><x:s xmlns:x="urn:x"/><basic>open</basic></status>)"),
         "misplaced <basic>"},
        {"unknown PIDF element in status",
         Tuple("<status><basic>open</basic><away/></status>"),
         "unexpected element <away> in <status>"},
        {"unknown PIDF element in tuple",
         Tuple(kStatus + "<priority>1</priority>"),
         "unexpected element <priority> in <tuple>"},
        {"unknown PIDF element in presence",
         Doc("<tuple id=\"t1\">" + kStatus + "</tuple><x/>"),
         "unexpected element <x> in <presence>"},
        {"element without namespace", Tuple(kStatus + "<x xmlns=\"\"/>"), "<x> without namespace"},
        {"text in tuple", Tuple(kStatus + "stray"), "unexpected text in <tuple>"},
        {"contact after note",
         Tuple(kStatus + "<note>n</note><contact>sip:a@b</contact>"),
         "misplaced <contact>"},
        {"two contacts",
         Tuple(kStatus + "<contact>sip:a@b</contact><contact>sip:c@d</contact>"),
         "duplicate <contact>"},
        {"contact not a URI", Tuple(kStatus + "<contact>call me</contact>"), "bad <contact>"},
        {"two timestamps",
         Tuple(kStatus + "<timestamp>2002-09-28T10:49:29Z</timestamp>"
                         "<timestamp>2002-09-28T10:49:30Z</timestamp>"),
         "duplicate <timestamp>"},
        {"note after timestamp",
         Tuple(kStatus + "<timestamp>2002-09-28T10:49:29Z</timestamp><note>n</note>"),
         "misplaced <note>"},
        {"timestamp with blank",
         Tuple(kStatus + "<timestamp>2002-09-28 10:49:29</timestamp>"),
         "bad <timestamp> '2002-09-28 10:49:29'"},
        {"timestamp month 13",
         Tuple(kStatus + "<timestamp>2002-13-28T10:49:29Z</timestamp>"),
         "bad <timestamp>"},
        {"timestamp Feb 29 2003",
         Tuple(kStatus + "<timestamp>2003-02-29T10:49:29Z</timestamp>"),
         "bad <timestamp>"},
        {"timestamp lower-case z",
         Tuple(kStatus + "<timestamp>2002-09-28T10:49:29z</timestamp>"),
         "bad <timestamp>"},
        {"timestamp without offset",
         Tuple(kStatus + "<timestamp>2002-09-28T10:49:29</timestamp>"),
         "bad <timestamp>"},
        {"extension after contact",
         Tuple(kStatus + "<contact>sip:a@b</contact><x:e xmlns:x=\"urn:x\"/>"),
         "misplaced extension <e>"},
        {"mustUnderstand in status",
         Tuple(
             R"(<status><basic>open</basic><x:e xmlns:x="urn:x" mustUnderstand="true"/></status>)"),
         "marked mustUnderstand"},
        {"pidf:mustUnderstand on presence extension",
         Tuple(kStatus,
               R"(<x:e xmlns:x="urn:x" xmlns:p="urn:ietf:params:xml:ns:pidf" )"
               R"(p:mustUnderstand="1"/>)"),
         "marked mustUnderstand"},
        {"mustUnderstand on tuple extension",
         Tuple(kStatus + R"(<x:e xmlns:x="urn:x" mustUnderstand="1"/>)"),
         "<e> in namespace urn:x is marked mustUnderstand"},
        {"bad mustUnderstand value",
         Tuple(kStatus + R"(<x:e xmlns:x="urn:x" mustUnderstand="maybe"/>)"),
         "bad mustUnderstand value 'maybe'"},
        {"bad address",
         Presec("<ps:address>192.168.1.256</ps:address>"),
         "bad address '192.168.1.256'"},
        {"address with leading zero",
         Presec("<ps:address>192.168.01.2</ps:address>"),
         "bad address"},
        {"IPv6 address", Presec("<ps:address>2001:db8::1</ps:address>"), "bad address"},
        {"empty address", Presec("<ps:address/>"), "bad address ''"},
        {"unknown presec element",
         Presec("<ps:colour>red</ps:colour>"),
         "unknown element <colour>"},
        {"two users", Presec("<ps:user>a</ps:user><ps:user>b</ps:user>"), "duplicate <user>"},
        {"user after location",
         Presec("<ps:location>x</ps:location><ps:user>a</ps:user>"),
         "misplaced <user>"},
        {"address after policies",
         Presec("<sp:policies " + kSpNs + "/><ps:address>10.0.0.1</ps:address>"),
         "misplaced <address>"},
        {"markup in user",
         Presec("<ps:user><b>John</b></ps:user>"),
         "unexpected element <b> in <user>"},
        {"attribute on presec",
         Tuple(kStatus + "<ps:presec " + kPsNs + " v=\"1\"/>"),
         "unknown attribute 'v' on <presec>"},
        {"two presec extensions",
         Tuple(kStatus + "<ps:presec " + kPsNs + "/><ps:presec " + kPsNs + "/>"),
         "duplicate <presec>"},
        {"presec at presence level",
         Tuple(kStatus, "<ps:presec " + kPsNs + "/>"),
         "misplaced element <presec>"},
        {"presec inside status",
         Tuple("<status><basic>open</basic><ps:presec " + kPsNs + "/></status>"),
         "misplaced element <presec>"},
        {"policy outside policies",
         Presec("<sp:policy " + kSpNs + "/>"),
         "unexpected element <policy>"},
        {"policy with bad action",
         Presec("<sp:policies " + kSpNs +
                R"(><sp:policy dir="out" src="1.2.3.4" dst="5.6.7.8" proto="udp" )"
                R"(action="maybe"/></sp:policies>)"),
         "in <policies>: bad action 'maybe'"},
        {"policy with bad source",
         Presec("<sp:policies " + kSpNs +
                R"(><sp:policy dir="in" src="1.2.3" dst="5.6.7.8" proto="udp" )"
                R"(action="none"/></sp:policies>)"),
         "in <policies>: src: bad IPv4 address"},
        {"ipsec policy without rule",
         Presec("<sp:policies " + kSpNs +
                R"(><sp:policy dir="in" src="1.2.3.4" dst="5.6.7.8" proto="udp" )"
                R"(action="ipsec"/></sp:policies>)"),
         "in <policies>: action=\"ipsec\" needs at least one <rule>"},
        {"empty place-type", Person("<rp:place-type/>"), "empty <place-type>"},
        {"text in place-type",
         Person("<rp:place-type>office</rp:place-type>"),
         "unexpected text in <place-type>"},
        {"two place-types",
         Person("<rp:place-type><lt:office/></rp:place-type><rp:place-type><lt:cafe/>"
                "</rp:place-type>"),
         "duplicate <place-type>"},
        {"sphere text and element",
         Person("<rp:sphere>at <rp:work/></rp:sphere>"),
         "mixes text and an element"},
        {"empty sphere", Person("<rp:sphere/>"), "empty <sphere>"},
        {"person without id",
         Tuple(kStatus, "<dm:person " + kDmNs + "><rp:sphere><rp:work/></rp:sphere></dm:person>"),
         "missing attribute 'id' on <person>"},
        {"two persons",
         Tuple(kStatus, "<dm:person " + kDmNs + " id=\"p1\"/><dm:person " + kDmNs + " id=\"p2\"/>"),
         "more than one <person>"},
        {"note after person",
         Tuple(kStatus, "<dm:person " + kDmNs + " id=\"p1\"/><note>n</note>"),
         "misplaced <note> in <presence>"},
        {"nesting too deep", Deep(40), "nested deeper than 32"},
        {"nesting far too deep", Deep(300), "malformed XML"},
    };
}

} // namespace

// ---------------------------------------------------------------------------------------------

TEST(PidfCodec, SchemaLoads)
{
    ASSERT_TRUE(PidfSchema::Get().Loaded()) << PidfSchema::Get().Validate("");
    // The RFC's own example (section 4.3.1) validates, and a broken one does not.
    std::string rfc =
        R"(<presence xmlns="urn:ietf:params:xml:ns:pidf" )"
        R"(xmlns:im="urn:ietf:params:xml:ns:pidf:im" entity="pres:someone@example.com"><tuple id="bs35r9"><status><basic>open</basic>)"
        R"(<im:im>busy</im:im></status><contact priority="0.8">im:someone@mobilecarrier.net)"
        R"(</contact><note xml:lang="en">Don't Disturb Please!</note><timestamp>)"
        R"(2001-10-27T16:49:29Z</timestamp></tuple><note>I'll be in Tokyo next week</note>)"
        R"(</presence>)";
    EXPECT_EQ(PidfSchema::Get().Validate(rfc), "");
    EXPECT_NE(PidfSchema::Get().Validate(Tuple("<status><basic>busy</basic></status>")), "");
    EXPECT_NE(PidfSchema::Get().Validate(Tuple(kStatus + "<contact priority=\"09\">a:b</contact>")),
              "")
        << "erratum 1606 pattern";
}

TEST(PidfCodec, RoundTripTableValidatesAndDecodes)
{
    auto table = RoundTripTable();
    ASSERT_GE(table.size(), 20u);
    for (const auto& [name, doc] : table)
    {
        SCOPED_TRACE(name);
        std::string xml = PidfCodec::Encode(doc);
        EXPECT_EQ(PidfSchema::Get().Validate(xml), "") << xml;
        auto decoded = PidfCodec::Decode(xml);
        ASSERT_TRUE(decoded) << decoded.Describe() << "\n" << xml;
        EXPECT_EQ(decoded.GetValue(), doc) << "got:  " << decoded.GetValue() << "\nwant: " << doc;
        // Encoding is a function of the document alone.
        EXPECT_EQ(PidfCodec::Encode(decoded.GetValue()), xml);
    }
}

TEST(PidfCodec, PatentFigure5Encoding)
{
    std::string xml = PidfCodec::Encode(PatentDocument());
    const std::string expected =
        R"(<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="pres:peerA@example.com">)"
        R"(<tuple id="t1"><status><basic>open</basic></status>)"
        R"(<ps:presec xmlns:ps="urn:presec:params:xml:ns:presence">)"
        R"(<ps:address>192.168.1.2</ps:address><ps:user>John</ps:user>)"
        R"(<ps:location>office</ps:location>)"
        R"(<sp:policies xmlns:sp="urn:presec:params:xml:ns:spd"><sp:policy dir="out" )"
        R"(src="192.168.1.1" dst="192.168.1.2" proto="udp" action="none"/></sp:policies>)"
        R"(</ps:presec><contact>sip:peerA@192.168.1.2</contact>)"
        R"(<timestamp>2002-09-28T10:49:29Z</timestamp></tuple>)"
        R"(<dm:person xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model" )"
        R"(xmlns:rp="urn:ietf:params:xml:ns:pidf:rpid" )"
        R"(xmlns:lt="urn:ietf:params:xml:ns:location-type" id="pt1">)"
        R"(<rp:place-type><lt:office/></rp:place-type><rp:sphere><rp:work/></rp:sphere>)"
        R"(</dm:person></presence>)";
    EXPECT_EQ(xml, expected);
    auto decoded = PidfCodec::Decode(xml);
    ASSERT_TRUE(decoded) << decoded.Describe();
    const auto& d = decoded.GetValue();
    EXPECT_EQ(d.entity, "pres:peerA@example.com");  // line 530
    EXPECT_EQ(d.user, "John");                      // line 527
    EXPECT_EQ(d.location, "office");                // line 528
    EXPECT_EQ(d.timestamp, "2002-09-28T10:49:29Z"); // line 529
    ASSERT_EQ(d.policies.size(), 1u);               // lines 520-526
    EXPECT_EQ(d.policies[0], PatentPolicy());
    EXPECT_EQ(d.policies[0].source.address, Ipv4Address("192.168.1.1"));
    EXPECT_FALSE(d.policies[0].source.port.has_value()); // port "any"
    EXPECT_EQ(d.policies[0].destination.address, Ipv4Address("192.168.1.2"));
    EXPECT_EQ(d.policies[0].upper.ToString(), "udp");
    EXPECT_EQ(d.policies[0].direction, PolicyDirection::OUT);
    EXPECT_EQ(d.policies[0].action, PolicyAction::NONE);
    EXPECT_EQ(d.placeType, PlaceType::OFFICE);
}

TEST(PidfCodec, DocumentSizeFitsSipNotify)
{
    // A SIP NOTIFY must stay under 1300 bytes (RFC 3261 §18.1.1); its headers take about 400.
    const size_t budget = 1300 - 400;
    PresenceDocument d = PatentDocument();
    const size_t one = PidfCodec::Encode(d).size();

    PresenceDocument bare = d;
    bare.contact.clear();
    bare.sphere.reset();
    const size_t patentOnly = PidfCodec::Encode(bare).size();
    bare.policies.clear();
    const size_t noPolicy = PidfCodec::Encode(bare).size();

    SecurityPolicy esp = PatentPolicy();
    esp.action = PolicyAction::IPSEC;
    esp.requests = {IpsecPolicy().requests[0]};
    d.policies = {esp};
    const size_t oneEsp = PidfCodec::Encode(d).size();
    d.policies = {IpsecPolicy()};
    const size_t twoRules = PidfCodec::Encode(d).size();

    size_t fit = 0;
    for (size_t n = 1; n < 50; ++n)
    {
        d.policies.assign(n, PatentPolicy());
        if (PidfCodec::Encode(d).size() >= budget)
        {
            break;
        }
        fit = n;
    }
    std::cout << "[ size     ] FIG. 5 document (contact, place type, sphere), one policy: " << one
              << " bytes\n"
              << "[ size     ] FIG. 5 fields only (entity, address, user, location, timestamp, "
                 "place type), one policy: "
              << patentOnly << " bytes; without the policy: " << noPolicy << " bytes\n"
              << "[ size     ] FIG. 5 document, one esp/transport/require policy: " << oneEsp
              << " bytes\n"
              << "[ size     ] FIG. 5 document, one policy with esp + ah tunnel rules: " << twoRules
              << " bytes\n"
              << "[ size     ] FIG. 5-style policies that fit under " << budget << " bytes: " << fit
              << std::endl;
    EXPECT_LT(one, 900u);
    EXPECT_LT(patentOnly, one);
    EXPECT_LT(oneEsp, budget);
    EXPECT_GE(fit, 1u);
}

TEST(PidfCodec, MalformedDocumentsAreRefused)
{
    auto table = MalformedTable();
    EXPECT_GE(table.size(), 30u);
    for (const auto& c : table)
    {
        SCOPED_TRACE(c.name);
        auto r = PidfCodec::Decode(c.xml);
        ASSERT_FALSE(r) << "accepted: " << c.xml.substr(0, 300);
        EXPECT_NE(r.GetError().find(c.expected), std::string::npos)
            << "error was: " << r.Describe() << "\nexpected to contain: " << c.expected;
    }
}

TEST(PidfCodec, ErrorsCarryLines)
{
    std::string xml = "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\"\n"
                      "    entity=\"pres:a@example.com\">\n"
                      "  <tuple id=\"t1\">\n"
                      "    <status><basic>maybe</basic></status>\n"
                      "  </tuple>\n"
                      "</presence>\n";
    auto r = PidfCodec::Decode(xml);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.GetLine(), 4u);
    EXPECT_EQ(r.Describe(), "line 4: bad <basic> value 'maybe' (open or closed)");

    std::string policy = "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"pres:a@b\">\n"
                         "<tuple id=\"t1\"><status><basic>open</basic></status>\n"
                         "<ps:presec " +
                         kPsNs + ">\n<sp:policies " + kSpNs +
                         ">\n"
                         "<sp:policy dir=\"up\" src=\"1.2.3.4\" dst=\"1.2.3.5\" proto=\"any\" "
                         "action=\"none\"/>\n"
                         "</sp:policies></ps:presec></tuple></presence>";
    r = PidfCodec::Decode(policy);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.GetLine(), 5u);
    EXPECT_NE(r.GetError().find("in <policies>: bad dir 'up'"), std::string::npos) << r.Describe();
}

TEST(PidfCodec, ForeignDocumentsAccepted)
{
    // RFC 3863 §4.2.4: pretty-printed, a status extension, no presec data.
    std::string rfc424 = R"(<?xml version="1.0" encoding="UTF-8"?>
   <presence xmlns="urn:ietf:params:xml:ns:pidf"
       xmlns:local="urn:example-com:pidf-status-type"
       entity="pres:someone@example.com">
     <tuple id="ub93s3">
       <status>
         <basic>open</basic>
         <local:location>home</local:location>
       </status>
       <contact>im:someone@example.com</contact>
     </tuple>
   </presence>)";
    auto r = PidfCodec::Decode(rfc424);
    ASSERT_TRUE(r) << r.Describe();
    EXPECT_EQ(r.GetValue().entity, "pres:someone@example.com");
    EXPECT_EQ(r.GetValue().tupleId, "ub93s3");
    EXPECT_EQ(r.GetValue().contact, "im:someone@example.com");
    EXPECT_TRUE(r.GetValue().location.empty());

    // RFC 3863 §4.3.3: mustUnderstand nested in an ignored extension is itself ignored;
    // prefixed PIDF elements; presence-level extension; contact priority.
    std::string rfc433 = R"(<?xml version="1.0" encoding="UTF-8"?>
   <impp:presence xmlns:impp="urn:ietf:params:xml:ns:pidf"
        xmlns:myex="http://id.mycompany.com/presence/"
        entity="pres:someone@example.com">
     <impp:tuple id="tj25ds">
       <impp:status>
         <impp:basic>open</impp:basic>
       </impp:status>
       <myex:complexExtension>
         <myex:ex1 impp:mustUnderstand="1">val1</myex:ex1>
         <myex:ex2>val2</myex:ex2>
       </myex:complexExtension>
       <impp:contact priority="0.725">tel:+09012345678</impp:contact>
     </impp:tuple>
     <myex:mytag>My extended presentity information</myex:mytag>
   </impp:presence>)";
    r = PidfCodec::Decode(rfc433);
    ASSERT_TRUE(r) << r.Describe();
    EXPECT_EQ(r.GetValue().contact, "tel:+09012345678");
    EXPECT_EQ(PidfSchema::Get().Validate(rfc433), "");

    // RPID with several place types (the first is kept), rpid:other, extension tokens and
    // elements presec ignores; RFC 3863 §4.2.2's contact with surrounding white space.
    std::string rpid = Tuple(kStatus + "<contact>\n  im:someone@mobilecarrier.net</contact>",
                             "<dm:person " + kDmNs +
                                 " id=\"p1\"><rp:activities><rp:busy/></rp:activities>"
                                 "<rp:place-type><rp:note>n</rp:note><lt:airport/><lt:cafe/>"
                                 "</rp:place-type><rp:sphere>bowling league</rp:sphere>"
                                 "<dm:timestamp>2005-02-22T20:07:07Z</dm:timestamp>"
                                 "</dm:person><dm:device " +
                                 kDmNs + " id=\"d1\"/>");
    r = PidfCodec::Decode(rpid);
    ASSERT_TRUE(r) << r.Describe();
    EXPECT_EQ(r.GetValue().placeType, PlaceType::AIRPORT);
    EXPECT_EQ(r.GetValue().sphere, Sphere::UNKNOWN);
    EXPECT_EQ(r.GetValue().sphereText, "bowling league");
    EXPECT_EQ(r.GetValue().contact, "im:someone@mobilecarrier.net");
    EXPECT_EQ(PidfSchema::Get().Validate(rpid), "");

    // Unknown tokens: kept as OTHER with the text (RFC 4589 registry token, foreign token).
    r = PidfCodec::Decode(Person("<rp:place-type><lt:train-station/></rp:place-type>"));
    ASSERT_TRUE(r) << r.Describe();
    EXPECT_EQ(r.GetValue().placeType, PlaceType::OTHER);
    EXPECT_EQ(r.GetValue().placeTypeText, "train-station");
    r = PidfCodec::Decode(
        Person("<rp:place-type><x:spaceship xmlns:x=\"urn:x\"/></rp:place-type>"));
    ASSERT_TRUE(r) << r.Describe();
    EXPECT_EQ(r.GetValue().placeType, PlaceType::OTHER);
    EXPECT_EQ(r.GetValue().placeTypeText, "spaceship");
    r = PidfCodec::Decode(Person("<rp:place-type><lt:other/></rp:place-type>"));
    ASSERT_TRUE(r) << r.Describe();
    EXPECT_EQ(r.GetValue().placeType, PlaceType::OTHER);
    EXPECT_EQ(r.GetValue().placeTypeText, "");

    // mustUnderstand="false" is no obstacle; presec's own extension may be marked.
    r = PidfCodec::Decode(Tuple(kStatus + R"(<x:e xmlns:x="urn:x" mustUnderstand="false"/>)"));
    EXPECT_TRUE(r) << r.Describe();
    r = PidfCodec::Decode(Tuple(kStatus + "<ps:presec " + kPsNs + " xmlns:p=\"" + kPidfNs +
                                "\" p:mustUnderstand=\"true\">"
                                "<ps:user>Ann</ps:user></ps:presec>"));
    ASSERT_TRUE(r) << r.Describe();
    EXPECT_EQ(r.GetValue().user, "Ann");

    // Foreign elements inside presec's extension are ignored; ISO-8859-1 is converted.
    r = PidfCodec::Decode(Presec("<ps:address>10.0.0.1</ps:address><x:hint xmlns:x=\"urn:x\"/>"
                                 "<ps:user>Ann</ps:user>"));
    ASSERT_TRUE(r) << r.Describe();
    EXPECT_EQ(r.GetValue().addresses, std::vector<Ipv4Address>{Ipv4Address("10.0.0.1")});
    r = PidfCodec::Decode("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>" +
                          Presec("<ps:location>caf\xe9</ps:location>"));
    ASSERT_TRUE(r) << r.Describe();
    EXPECT_EQ(r.GetValue().location, u8"caf\u00e9");
}

TEST(PidfCodec, EncodeCleansText)
{
    PresenceDocument d = Minimal();
    d.user = "bell\x07 and \xff byte";
    std::string xml = PidfCodec::Encode(d);
    EXPECT_EQ(PidfSchema::Get().Validate(xml), "") << xml;
    auto r = PidfCodec::Decode(xml);
    ASSERT_TRUE(r) << r.Describe();
    EXPECT_EQ(r.GetValue().user, u8"bell\ufffd and \ufffd byte");
}

TEST(PidfCodec, MutatedDocumentsNeverCrash)
{
    // Byte flips, insertions and truncations of a valid document: each must decode or fail
    // cleanly (run under ASan/UBSan to make this mean something).
    const std::string base = PidfCodec::Encode(PatentDocument());
    std::mt19937 rng(20021928);
    const char alphabet[] = "<>/=\"' &;:xpsa\x00\xff\x80";
    unsigned accepted = 0;
    for (int i = 0; i < 3000; ++i)
    {
        std::string s = base;
        int edits = 1 + int(rng() % 4);
        for (int e = 0; e < edits && !s.empty(); ++e)
        {
            size_t pos = rng() % s.size();
            switch (rng() % 4)
            {
            case 0:
                s[pos] = alphabet[rng() % (sizeof(alphabet) - 1)];
                break;
            case 1:
                s.insert(pos, 1, alphabet[rng() % (sizeof(alphabet) - 1)]);
                break;
            case 2:
                s.erase(pos, 1 + rng() % 8);
                break;
            default:
                s.resize(pos);
                break;
            }
        }
        auto r = PidfCodec::Decode(s);
        if (r)
        {
            ++accepted;
            // Whatever is accepted must encode to a schema-valid document again.
            EXPECT_EQ(PidfSchema::Get().Validate(PidfCodec::Encode(r.GetValue())), "") << s;
        }
        else
        {
            EXPECT_FALSE(r.GetError().empty());
        }
    }
    std::cout << "[ fuzz     ] " << accepted << " of 3000 mutants accepted" << std::endl;
}

TEST(PidfCodec, Rfc3339Timestamps)
{
    auto t = ParseRfc3339("2002-09-28T10:49:29Z");
    ASSERT_TRUE(t);
    EXPECT_EQ(t->utcSeconds, 1033210169);
    EXPECT_EQ(t->offsetMinutes, 0);
    EXPECT_EQ(FormatRfc3339(*t), "2002-09-28T10:49:29Z");

    // The same instant with the patent's (Japanese) local time.
    auto local = ParseRfc3339("2002-09-28T19:49:29+09:00");
    ASSERT_TRUE(local);
    EXPECT_EQ(local->utcSeconds, t->utcSeconds);
    EXPECT_EQ(local->offsetMinutes, 540);
    EXPECT_EQ(FormatRfc3339(*local), "2002-09-28T19:49:29+09:00");
    EXPECT_EQ(MakeTimestamp(PatentBase(), Seconds(0), 540), "2002-09-28T19:49:29+09:00");
    EXPECT_EQ(MakeTimestamp(*ParseRfc3339("2002-09-28T01:49:29Z"), Seconds(0), 540),
              "2002-09-28T10:49:29+09:00");

    // Base plus simulation time, to the millisecond.
    EXPECT_EQ(MakeTimestamp(PatentBase(), Seconds(0)), "2002-09-28T10:49:29Z");
    EXPECT_EQ(MakeTimestamp(PatentBase(), Seconds(3661.25)), "2002-09-28T11:50:30.25Z");
    EXPECT_EQ(MakeTimestamp(PatentBase(), MilliSeconds(1)), "2002-09-28T10:49:29.001Z");
    EXPECT_EQ(MakeTimestamp(PatentBase(), MicroSeconds(999)), "2002-09-28T10:49:29Z");
    EXPECT_EQ(MakeTimestamp(PatentBase(), Seconds(-0.5)), "2002-09-28T10:49:28.5Z");
    EXPECT_EQ(MakeTimestamp(PatentBase(), Seconds(13.5 * 3600), -300), "2002-09-28T19:19:29-05:00");
    EXPECT_EQ(MakeTimestamp(*ParseRfc3339("2004-02-28T23:59:59Z"), Seconds(1)),
              "2004-02-29T00:00:00Z");
    EXPECT_EQ(MakeTimestamp(*ParseRfc3339("1969-12-31T23:59:59Z"), Seconds(2)),
              "1970-01-01T00:00:01Z");

    auto frac = ParseRfc3339("2002-09-28T10:49:29.123456789123Z");
    ASSERT_TRUE(frac);
    EXPECT_EQ(frac->nanoseconds, 123456789u);
    EXPECT_TRUE(*t < *frac);
    EXPECT_FALSE(*frac < *t);

    for (const char* bad : {"",
                            "2002-09-28",
                            "2002-09-28T10:49:29",
                            "2002-09-28t10:49:29Z",
                            "2002-09-28T10:49:29z",
                            "2002-09-28 10:49:29Z",
                            "2002-9-28T10:49:29Z",
                            "0000-09-28T10:49:29Z",
                            "2002-00-28T10:49:29Z",
                            "2002-09-31T10:49:29Z",
                            "2002-09-28T24:00:00Z",
                            "2002-09-28T10:60:29Z",
                            "2002-09-28T23:59:60Z",
                            "2002-09-28T10:49:29.Z",
                            "2002-09-28T10:49:29+9:00",
                            "2002-09-28T10:49:29+15:00",
                            "2002-09-28T10:49:29+09:60",
                            "2002-09-28T10:49:29Z ",
                            "+2002-09-28T10:49:29Z"})
    {
        EXPECT_FALSE(ParseRfc3339(bad)) << bad;
    }
}

TEST(PidfCodec, StrictIpv4Parsing)
{
    Ipv4Address a;
    EXPECT_TRUE(ParseIpv4Address("192.168.1.2", a));
    EXPECT_EQ(a, Ipv4Address("192.168.1.2"));
    EXPECT_TRUE(ParseIpv4Address("0.0.0.0", a));
    EXPECT_TRUE(ParseIpv4Address("255.255.255.255", a));
    for (const char* bad : {"",
                            "1.2.3",
                            "1.2.3.4.5",
                            "256.1.1.1",
                            "01.2.3.4",
                            "1..2.3",
                            "1.2.3.",
                            " 1.2.3.4",
                            "1.2.3.4 ",
                            "a.b.c.d",
                            "1.2.3.-4",
                            "1.2.3.0004",
                            "::1"})
    {
        EXPECT_FALSE(ParseIpv4Address(bad, a)) << bad;
    }
}
