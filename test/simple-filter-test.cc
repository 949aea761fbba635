/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// RFC 4661 filter documents (SimpleFilterCodec) and the notifier's application of them to a
// PIDF document (NotificationFilter): the patent's FIG. 4 choice on the wire.

#include "ns3/notification-filter.h"
#include "ns3/pidf-codec.h"
#include "ns3/security-policy-xml.h"
#include "ns3/simple-filter-codec.h"
#include "ns3/simple-filter.h"

#include <gtest/gtest.h>
#include <string>

using namespace ns3;

namespace
{

const std::string kOpen = "<filter-set xmlns=\"urn:ietf:params:xml:ns:simple-filter\">";

/// FIG. 5's document: presence, place, and a policy.
PresenceDocument
Fig5Document()
{
    PresenceDocument d;
    d.entity = "pres:peerA@example.com";
    d.contact = "sip:peerA@192.168.1.2";
    d.timestamp = "2002-09-28T10:49:29Z";
    d.addresses = {Ipv4Address("192.168.1.2")};
    d.user = "John";
    d.location = "office";
    d.placeType = PlaceType::OFFICE;
    d.sphere = Sphere::WORK;
    SecurityPolicy p;
    p.source = AddressRange::Host(Ipv4Address("192.168.1.2"));
    p.destination = AddressRange::Host(Ipv4Address("192.168.1.1"));
    p.upper = *UpperProtocol::FromName("udp");
    p.direction = PolicyDirection::OUT;
    p.action = PolicyAction::NONE;
    d.policies = {p};
    return d;
}

/// Apply \p set to FIG. 5's document and decode the result.
PresenceDocument
Filtered(const SimpleFilterSet& set, const std::string& own = "sip:peerA@example.com")
{
    auto xml = NotificationFilter::Apply(set, PidfCodec::Encode(Fig5Document()), own);
    EXPECT_TRUE(xml) << xml.GetError();
    auto doc = PidfCodec::Decode(xml ? xml.GetValue() : "");
    EXPECT_TRUE(doc) << doc.Describe();
    return doc ? doc.GetValue() : PresenceDocument();
}

} // namespace

TEST(SimpleFilterCodec, RequestFiltersRoundTrip)
{
    EXPECT_TRUE(MakeRequestFilter(RequestedInfo::BOTH).IsEmpty());
    for (RequestedInfo r : {RequestedInfo::PRESENCE, RequestedInfo::POLICY})
    {
        SimpleFilterSet set = MakeRequestFilter(r);
        ASSERT_EQ(set.filters.size(), 1U);
        std::string xml = SimpleFilterCodec::Encode(set);
        auto back = SimpleFilterCodec::Decode(xml);
        ASSERT_TRUE(back) << back.Describe() << "\n" << xml;
        EXPECT_EQ(back.GetValue(), set) << xml;
        EXPECT_EQ(RequestedInfoFromString(ToString(r)), r);
        EXPECT_EQ(NotificationFilter::CheckSupported(set), "");
    }
    EXPECT_FALSE(RequestedInfoFromString("everything").has_value());
}

TEST(SimpleFilterCodec, DecodesRfc4661Documents)
{
    std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + kOpen +
                      "\n <ns-bindings>\n  <ns-binding prefix=\"pidf\" "
                      "urn=\"urn:ietf:params:xml:ns:pidf\"/>\n </ns-bindings>\n"
                      " <filter id=\"123\" uri=\"sip:presentity@example.com\" enabled=\"0\">\n"
                      "  <what>\n   <include type=\"xpath\">/pidf:presence/pidf:tuple</include>\n"
                      "   <exclude type=\"namespace\">urn:ietf:params:xml:ns:pidf:rpid</exclude>\n"
                      "  </what>\n  <x:ext xmlns:x=\"urn:example\">ignored</x:ext>\n </filter>\n"
                      " <filter id=\"124\" domain=\"example.com\" remove=\"true\"/>\n"
                      "</filter-set>";
    auto r = SimpleFilterCodec::Decode(xml);
    ASSERT_TRUE(r) << r.Describe();
    const SimpleFilterSet& set = r.GetValue();
    ASSERT_EQ(set.nsBindings.size(), 1U);
    EXPECT_EQ(set.nsBindings[0].first, "pidf");
    ASSERT_EQ(set.filters.size(), 2U);
    EXPECT_EQ(set.filters[0].id, "123");
    EXPECT_EQ(set.filters[0].uri, "sip:presentity@example.com");
    EXPECT_FALSE(set.filters[0].enabled);
    ASSERT_EQ(set.filters[0].include.size(), 1U);
    EXPECT_EQ(set.filters[0].include[0].value, "/pidf:presence/pidf:tuple");
    ASSERT_EQ(set.filters[0].exclude.size(), 1U);
    EXPECT_EQ(set.filters[0].exclude[0].type, FilterSelectorType::NAMESPACE);
    EXPECT_EQ(set.filters[1].domain, "example.com");
    EXPECT_TRUE(set.filters[1].remove);
    // What it encodes to decodes to the same.
    auto again = SimpleFilterCodec::Decode(SimpleFilterCodec::Encode(set));
    ASSERT_TRUE(again) << again.Describe();
    EXPECT_EQ(again.GetValue(), set);
}

TEST(SimpleFilterCodec, BadDocumentsNameTheLine)
{
    struct Case
    {
        std::string body;
        std::string error;
        unsigned line;
    };

    const std::string f = "<filter id=\"1\">";
    std::vector<Case> cases = {
        {"", "empty filter", 0},
        {"<filter-set xmlns=\"urn:other\"/>", "expected <filter-set>", 1},
        {kOpen + "\n<filter/></filter-set>", "<filter> without id", 2},
        {kOpen + "\n<filter id=\"a\"/>\n<filter id=\"a\"/></filter-set>", "duplicate filter id", 3},
        {kOpen + f + "\n<what><include type=\"regex\">x</include></what></filter></filter-set>",
         "bad type 'regex'",
         2},
        {kOpen + f + "<what>\n<include> </include></what></filter></filter-set>",
         "empty <include>",
         2},
        {kOpen + f + "<what><include>" + std::string(1100, 'a') +
             "</include></what></filter></filter-set>",
         "longer than",
         1},
        {kOpen + "\n\n<bogus/></filter-set>", "unknown element <bogus>", 3},
        {kOpen + "<filter id=\"1\" enabled=\"maybe\"/></filter-set>", "bad enabled", 1},
        {kOpen + "<filter id=\"1\" color=\"red\"/></filter-set>", "unknown attribute 'color'", 1},
        {kOpen + "<filter id=\"1\" uri=\"sip:a@b\" domain=\"b\"/></filter-set>",
         "both uri and domain",
         1},
        {kOpen + "<filter id=\"1\"/><ns-bindings/></filter-set>",
         "<ns-bindings> after <filter>",
         1},
        {kOpen + "<ns-bindings><ns-binding prefix=\"p\" urn=\"u\"/><ns-binding prefix=\"p\" "
                 "urn=\"v\"/></ns-bindings></filter-set>",
         "bound twice",
         1},
        {kOpen + "<ns-bindings><ns-binding prefix=\"p\"/></ns-bindings></filter-set>",
         "needs a prefix and a urn",
         1},
        {kOpen + "stray</filter-set>", "unexpected text", 1},
        {kOpen + f + "<what/><what/></filter></filter-set>", "duplicate <what>", 1},
        {"<!DOCTYPE x>" + kOpen + "</filter-set>", "DTD", 1},
        {kOpen + "<filter id=\"1\">", "malformed XML", 1},
    };
    std::string many = kOpen;
    for (int i = 0; i < 17; ++i)
    {
        many += "<filter id=\"f" + std::to_string(i) + "\"/>";
    }
    cases.push_back({many + "</filter-set>", "more than 16 filters", 1});
    for (const auto& c : cases)
    {
        auto r = SimpleFilterCodec::Decode(c.body);
        ASSERT_FALSE(r) << c.body;
        EXPECT_NE(r.GetError().find(c.error), std::string::npos)
            << r.GetError() << " for " << c.body.substr(0, 120);
        EXPECT_EQ(r.GetLine(), c.line) << r.Describe();
    }
}

TEST(NotificationFilter, RefusesWhatItCannotApply)
{
    auto decode = [](const std::string& inner) {
        auto r = SimpleFilterCodec::Decode(kOpen + inner + "</filter-set>");
        EXPECT_TRUE(r) << r.Describe();
        return r ? r.GetValue() : SimpleFilterSet();
    };
    EXPECT_NE(NotificationFilter::CheckSupported(
                  decode("<filter id=\"t\"><trigger><changed>x</changed></trigger></filter>"))
                  .find("<trigger>"),
              std::string::npos);
    EXPECT_NE(NotificationFilter::CheckSupported(
                  decode("<filter id=\"p\"><what><include>/q:presence</include></what></filter>"))
                  .find("not usable"),
              std::string::npos);
    EXPECT_NE(NotificationFilter::CheckSupported(
                  decode("<filter id=\"s\"><what><include>//[[</include></what></filter>"))
                  .find("not usable"),
              std::string::npos);
    EXPECT_NE(NotificationFilter::CheckSupported(
                  decode("<filter id=\"n\"><what><include>count(/*)</include></what></filter>"))
                  .find("does not select nodes"),
              std::string::npos);
    EXPECT_EQ(NotificationFilter::CheckSupported(
                  decode("<filter id=\"ok\"><what><include>//*[local-name()='user']</include>"
                         "</what></filter>")),
              "");
}

TEST(NotificationFilter, PresenceOnlyLeavesThePolicyOut)
{
    PresenceDocument d = Filtered(MakeRequestFilter(RequestedInfo::PRESENCE));
    PresenceDocument expected = Fig5Document();
    expected.policies.clear();
    EXPECT_EQ(d, expected);
}

TEST(NotificationFilter, PolicyOnlyLeavesThePresenceOut)
{
    PresenceDocument d = Filtered(MakeRequestFilter(RequestedInfo::POLICY));
    PresenceDocument full = Fig5Document();
    EXPECT_EQ(d.entity, full.entity);
    EXPECT_EQ(d.policies, full.policies);
    EXPECT_EQ(d.addresses, full.addresses);
    EXPECT_EQ(d.timestamp, full.timestamp);
    EXPECT_EQ(d.basic, BasicStatus::OPEN); // PIDF's mandatory status stays
    EXPECT_TRUE(d.user.empty());
    EXPECT_TRUE(d.location.empty());
    EXPECT_TRUE(d.contact.empty());
    EXPECT_FALSE(d.placeType.has_value());
    EXPECT_FALSE(d.sphere.has_value());
}

TEST(NotificationFilter, OnlyFiltersForThisResourceApply)
{
    SimpleFilterSet set = MakeRequestFilter(RequestedInfo::PRESENCE);
    // For another resource, disabled, or a removal: the whole document.
    for (auto change : std::vector<std::function<void(SimpleFilter&)>>{
             [](SimpleFilter& f) { f.uri = "sip:someone-else@example.com"; },
             [](SimpleFilter& f) { f.domain = "example.org"; },
             [](SimpleFilter& f) { f.enabled = false; },
             [](SimpleFilter& f) { f.remove = true; }})
    {
        SimpleFilterSet s = set;
        change(s.filters[0]);
        EXPECT_EQ(Filtered(s), Fig5Document());
    }
    // Naming the entity, our own URI or the domain: applied.
    for (auto change : std::vector<std::function<void(SimpleFilter&)>>{
             [](SimpleFilter& f) { f.uri = "<PRES:peerA@example.com>"; },
             [](SimpleFilter& f) { f.uri = "sip:peerA@example.com"; },
             [](SimpleFilter& f) { f.domain = "EXAMPLE.com"; }})
    {
        SimpleFilterSet s = set;
        change(s.filters[0]);
        EXPECT_TRUE(Filtered(s).policies.empty());
    }
}

TEST(NotificationFilter, FiltersUniteAndStatusIsKept)
{
    SimpleFilterSet set;
    set.nsBindings = {{"pidf", PidfCodec::PIDF_NAMESPACE}, {"ps", PidfCodec::PRESEC_NAMESPACE}};
    SimpleFilter user;
    user.id = "user";
    user.include = {{FilterSelectorType::XPATH, "//ps:user"}};
    SimpleFilter note;
    note.id = "place";
    note.include = {{FilterSelectorType::NAMESPACE, "urn:ietf:params:xml:ns:pidf:data-model"}};
    // Leaving out the status: PIDF needs it, so it stays.
    note.exclude = {{FilterSelectorType::XPATH, "/pidf:presence/pidf:tuple/pidf:status"}};
    set.filters = {user, note};
    ASSERT_EQ(NotificationFilter::CheckSupported(set), "");
    PresenceDocument d = Filtered(set);
    EXPECT_EQ(d.user, "John");
    EXPECT_EQ(d.placeType, PlaceType::OFFICE);
    EXPECT_EQ(d.sphere, Sphere::WORK);
    EXPECT_EQ(d.basic, BasicStatus::OPEN);
    EXPECT_TRUE(d.location.empty());
    EXPECT_TRUE(d.policies.empty());
    EXPECT_TRUE(d.timestamp.empty());
}
