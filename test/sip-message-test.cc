/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/random-variable-stream.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/sip-builder.h"
#include "ns3/sip-message.h"
#include "ns3/sip-parser.h"

#include <gtest/gtest.h>
#include <iostream>
#include <map>
#include <random>
#include <set>

using namespace ns3;

namespace
{

const char* const kPidf = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                          "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" "
                          "entity=\"pres:peerB@192.168.1.2\">\n"
                          "<tuple id=\"t1\"><status><basic>open</basic></status></tuple>\n"
                          "</presence>\n";

/// peerA (192.168.1.1) subscribing to peerB (192.168.1.2).
SipRequestParams
PeerAToB()
{
    SipRequestParams p;
    p.localUri = "sip:peerA@192.168.1.1";
    p.remoteUri = "sip:peerB@192.168.1.2";
    p.contactUri = "sip:peerA@192.168.1.1:5060";
    p.sentByHost = "192.168.1.1";
    p.sentByPort = 5060;
    return p;
}

/// A valid SUBSCRIBE, one header per line, CRLF line ends added by Join.
std::vector<std::string>
SubscribeLines()
{
    return {"SUBSCRIBE sip:peerB@192.168.1.2 SIP/2.0",
            "Via: SIP/2.0/UDP 192.168.1.1:5060;branch=z9hG4bK776asdhds",
            "Max-Forwards: 70",
            "From: <sip:peerA@192.168.1.1>;tag=1928301774",
            "To: <sip:peerB@192.168.1.2>",
            "Call-ID: a84b4c76e66710@192.168.1.1",
            "CSeq: 314159 SUBSCRIBE",
            "Contact: <sip:peerA@192.168.1.1:5060>",
            "Event: presence",
            "Accept: application/pidf+xml",
            "Expires: 3600",
            "Content-Length: 0"};
}

std::string
Join(const std::vector<std::string>& lines, const std::string& body = "")
{
    std::string out;
    for (const auto& l : lines)
    {
        out += l + "\r\n";
    }
    return out + "\r\n" + body;
}

/// The SUBSCRIBE with the line starting with `prefix` replaced (or removed when empty).
std::string
SubscribeWith(const std::string& prefix, const std::string& replacement)
{
    auto lines = SubscribeLines();
    for (auto it = lines.begin(); it != lines.end(); ++it)
    {
        if (it->rfind(prefix, 0) == 0)
        {
            if (replacement.empty())
            {
                lines.erase(it);
            }
            else
            {
                *it = replacement;
            }
            return Join(lines);
        }
    }
    ADD_FAILURE() << "no line starts with " << prefix;
    return "";
}

/// The SUBSCRIBE with an extra header line before Content-Length.
std::string
SubscribePlus(const std::string& line, const std::string& body = "")
{
    auto lines = SubscribeLines();
    lines.pop_back();
    lines.push_back(line);
    return Join(lines, body);
}

/// A valid NOTIFY (in-dialog) with the given Subscription-State line and body.
std::string
NotifyText(const std::string& stateLine, const std::string& body = "")
{
    std::vector<std::string> lines{"NOTIFY sip:peerA@192.168.1.1:5060 SIP/2.0",
                                   "Via: SIP/2.0/UDP 192.168.1.2:5060;branch=z9hG4bKnashds7",
                                   "Max-Forwards: 70",
                                   "From: <sip:peerB@192.168.1.2>;tag=8321234356",
                                   "To: <sip:peerA@192.168.1.1>;tag=1928301774",
                                   "Call-ID: a84b4c76e66710@192.168.1.1",
                                   "CSeq: 1 NOTIFY",
                                   "Contact: <sip:peerB@192.168.1.2:5060>",
                                   "Event: presence"};
    if (!stateLine.empty())
    {
        lines.push_back(stateLine);
    }
    if (!body.empty())
    {
        lines.push_back("Content-Type: application/pidf+xml");
    }
    return Join(lines, body);
}

/// Method line and CSeq replaced with `method`.
std::string
SubscribeAsMethod(const std::string& method)
{
    auto lines = SubscribeLines();
    lines[0] = method + " sip:peerB@192.168.1.2 SIP/2.0";
    lines[6] = "CSeq: 314159 " + method;
    return Join(lines);
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Building blocks

TEST(SipMessage, HeaderNamesCompactAndCaseInsensitive)
{
    EXPECT_EQ(SipMessage::CanonicalHeaderName("v"), "Via");
    EXPECT_EQ(SipMessage::CanonicalHeaderName("I"), "Call-ID");
    EXPECT_EQ(SipMessage::CanonicalHeaderName("call-id"), "Call-ID");
    EXPECT_EQ(SipMessage::CanonicalHeaderName("o"), "Event");
    EXPECT_EQ(SipMessage::CanonicalHeaderName("u"), "Allow-Events");
    EXPECT_EQ(SipMessage::CanonicalHeaderName("X-Custom"), "X-Custom");
    EXPECT_EQ(SipMessage::CompactHeaderName("Content-Type"), "c");
    EXPECT_EQ(SipMessage::CompactHeaderName("CSeq"), "");
    EXPECT_TRUE(SipMessage::HeaderNamesEqual("l", "CONTENT-LENGTH"));
    EXPECT_TRUE(SipMessage::HeaderNamesEqual("m", "contact"));
    EXPECT_FALSE(SipMessage::HeaderNamesEqual("m", "t"));
    EXPECT_FALSE(SipMessage::HeaderNamesEqual("Via", "Via2"));
}

TEST(SipMessage, ParamsAndTypedValues)
{
    auto via = SipVia::Parse("SIP / 2.0 / UDP 10.0.0.1 : 5070 ; branch=z9hG4bKabc ; rport");
    ASSERT_TRUE(via) << via.GetError();
    EXPECT_EQ(via.GetValue().host, "10.0.0.1");
    EXPECT_EQ(via.GetValue().port, 5070);
    EXPECT_EQ(via.GetValue().GetBranch(), "z9hG4bKabc");
    EXPECT_TRUE(via.GetValue().params.Has("RPORT"));
    EXPECT_EQ(via.GetValue().ToString(), "SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bKabc;rport");
    auto v6 = SipVia::Parse("SIP/2.0/TCP [2001:db8::1]:5060;branch=z9hG4bKx");
    ASSERT_TRUE(v6) << v6.GetError();
    EXPECT_EQ(v6.GetValue().GetSentBy(), "[2001:db8::1]:5060");

    auto from =
        SipNameAddr::Parse("\"Peer \\\"A\\\"\" <sip:peerA@192.168.1.1;transport=udp>;tag=x1");
    ASSERT_TRUE(from) << from.GetError();
    EXPECT_EQ(from.GetValue().displayName, "Peer \"A\"");
    EXPECT_EQ(from.GetValue().uri, "sip:peerA@192.168.1.1;transport=udp");
    EXPECT_EQ(from.GetValue().GetTag(), "x1");
    auto bare = SipNameAddr::Parse("sip:peerB@192.168.1.2;tag=77");
    ASSERT_TRUE(bare);
    EXPECT_EQ(bare.GetValue().uri, "sip:peerB@192.168.1.2"); // §20.10: tag is a header param
    EXPECT_EQ(bare.GetValue().GetTag(), "77");
    auto named = SipNameAddr::Parse("Peer B <sip:peerB@192.168.1.2>");
    ASSERT_TRUE(named);
    EXPECT_EQ(named.GetValue().displayName, "Peer B");

    auto cseq = SipCSeq::Parse("4294967295  NOTIFY");
    ASSERT_TRUE(cseq);
    EXPECT_EQ(cseq.GetValue().number, 4294967295U);
    EXPECT_EQ(cseq.GetValue().method, "NOTIFY");
    EXPECT_FALSE(SipCSeq::Parse("4294967296 NOTIFY"));

    auto st = SipSubscriptionState::Parse("terminated;reason=timeout");
    ASSERT_TRUE(st);
    EXPECT_EQ(st.GetValue().state, "terminated");
    EXPECT_EQ(st.GetValue().GetReason(), "timeout");
    EXPECT_FALSE(st.GetValue().GetExpires().has_value());
    EXPECT_EQ(SipSubscriptionState::Active(600).ToString(), "active;expires=600");
    EXPECT_EQ(SipSubscriptionState::Terminated("timeout").ToString(), "terminated;reason=timeout");

    auto ct = SipMediaType::Parse("Application/PIDF+XML ; charset=UTF-8");
    ASSERT_TRUE(ct);
    EXPECT_TRUE(ct.GetValue().Matches("application/pidf+xml"));
    EXPECT_EQ(ct.GetValue().params.Get("charset"), "UTF-8");

    auto ev = SipEvent::Parse("presence;id=42");
    ASSERT_TRUE(ev);
    EXPECT_EQ(ev.GetValue().type, "presence");
    EXPECT_EQ(ev.GetValue().GetId(), "42");

    SipParams p;
    p.Set("reason", "two words");
    EXPECT_EQ(p.ToString(), ";reason=\"two words\"");
    EXPECT_EQ(p.Get("REASON"), "two words");
    EXPECT_EQ(p.Remove("reason"), 1U);
    EXPECT_TRUE(p.IsEmpty());
}

TEST(SipMessage, ContentLengthFollowsBody)
{
    auto m = SipMessage::CreateRequest("NOTIFY", "sip:a@1.2.3.4");
    m.AddHeader("Content-Length", "999"); // ignored: derived from the body
    m.SetBody("hello");
    EXPECT_EQ(m.GetContentLength(), 5U);
    EXPECT_EQ(m.GetHeader("l"), "5");
    EXPECT_NE(m.Serialize().find("Content-Length: 5\r\n\r\nhello"), std::string::npos);
    EXPECT_EQ(m.GetHeaderList().size(), 0U);
}

TEST(SipMessage, SetHeaderReplacesInPlace)
{
    auto m = SipMessage::CreateRequest("NOTIFY", "sip:a@1.2.3.4");
    m.AddHeader("Expires", "1");
    m.AddHeader("Call-ID", "x");
    m.AddHeader("expires", "2");
    m.SetExpires(30);
    ASSERT_EQ(m.GetHeaderList().size(), 2U);
    EXPECT_EQ(m.GetHeaderList()[0].name, "Expires");
    EXPECT_EQ(m.GetHeaderList()[0].value, "30");
    EXPECT_EQ(m.RemoveHeader("i"), 1U);
    EXPECT_FALSE(m.GetCallId().has_value());
}

TEST(SipMessage, AcceptsMediaType)
{
    auto m = SipMessage::CreateRequest("SUBSCRIBE", "sip:a@1.2.3.4");
    EXPECT_TRUE(m.AcceptsMediaType("application/pidf+xml")); // absent: package default
    m.AddHeader("Accept", "text/plain, application/*");
    EXPECT_TRUE(m.AcceptsMediaType("application/pidf+xml"));
    m.SetHeader("Accept", "text/plain");
    EXPECT_FALSE(m.AcceptsMediaType("application/pidf+xml"));
    EXPECT_EQ(SipParser::CheckAccept(m)->status, 406);
}

// ---------------------------------------------------------------------------------------------
// Round trips

TEST(SipRoundTrip, Subscribe)
{
    SipBuilder b(1);
    auto sub = b.Subscribe(PeerAToB(), 3600);
    std::string text = sub.Serialize();
    auto r = SipParser::Parse(text);
    ASSERT_TRUE(r) << r.GetError() << "\n" << text;
    const auto& m = r.GetValue();
    EXPECT_TRUE(m.IsRequest());
    EXPECT_EQ(m.GetMethod(), "SUBSCRIBE");
    EXPECT_EQ(m.GetRequestUri(), "sip:peerB@192.168.1.2");
    EXPECT_EQ(m.GetTopVia()->GetSentBy(), "192.168.1.1:5060");
    EXPECT_EQ(m.GetTopVia()->GetBranch().rfind("z9hG4bK", 0), 0U);
    EXPECT_EQ(m.GetFrom()->uri, "sip:peerA@192.168.1.1");
    EXPECT_FALSE(m.GetFrom()->GetTag().empty());
    EXPECT_EQ(m.GetTo()->uri, "sip:peerB@192.168.1.2");
    EXPECT_TRUE(m.GetTo()->GetTag().empty());
    EXPECT_EQ(m.GetCallId()->size(), 16U);
    EXPECT_EQ(m.GetCSeq()->number, 1U);
    EXPECT_EQ(m.GetCSeq()->method, "SUBSCRIBE");
    EXPECT_EQ(*m.GetMaxForwards(), 70);
    EXPECT_EQ(m.GetContact()->uri, "sip:peerA@192.168.1.1:5060");
    EXPECT_EQ(m.GetEvent()->type, "presence");
    EXPECT_EQ(*m.GetExpires(), 3600U);
    EXPECT_EQ(m.GetHeader("Accept"), "application/pidf+xml");
    EXPECT_EQ(m.GetContentLength(), 0U);
    EXPECT_EQ(m.Serialize(), text); // a fixpoint
    EXPECT_EQ(text.substr(text.size() - 4), "\r\n\r\n");

    auto fetch = b.Subscribe(PeerAToB(), 0); // one-shot fetch
    EXPECT_EQ(*SipParser::Parse(fetch.Serialize()).GetValue().GetExpires(), 0U);
}

TEST(SipRoundTrip, NotifyWithPidf)
{
    SipBuilder b(2);
    auto sub = b.Subscribe(PeerAToB(), 3600);
    auto ok = b.Ok(sub, "sip:peerB@192.168.1.2:5060");
    // The notifier's view of the dialog.
    SipRequestParams p;
    p.localUri = "sip:peerB@192.168.1.2";
    p.remoteUri = "sip:peerA@192.168.1.1";
    p.requestUri = sub.GetContact()->uri;
    p.sentByHost = "192.168.1.2";
    p.callId = *sub.GetCallId();
    p.localTag = ok.GetTo()->GetTag();
    p.remoteTag = sub.GetFrom()->GetTag();
    auto notify = b.Notify(p, SipSubscriptionState::Active(3600), kPidf);
    std::string text = notify.Serialize();
    auto r = SipParser::Parse(text);
    ASSERT_TRUE(r) << r.GetError();
    const auto& m = r.GetValue();
    EXPECT_EQ(m.GetMethod(), "NOTIFY");
    EXPECT_EQ(m.GetRequestUri(), "sip:peerA@192.168.1.1:5060");
    EXPECT_EQ(m.GetSubscriptionState()->state, "active");
    EXPECT_EQ(*m.GetSubscriptionState()->GetExpires(), 3600U);
    EXPECT_TRUE(m.GetContentType()->Matches("application/pidf+xml"));
    EXPECT_EQ(m.GetBody(), kPidf);
    EXPECT_EQ(m.GetContentLength(), std::string(kPidf).size());
    EXPECT_EQ(m.GetTo()->GetTag(), sub.GetFrom()->GetTag());
    EXPECT_EQ(m.GetFrom()->GetTag(), ok.GetTo()->GetTag());
    EXPECT_EQ(*m.GetCallId(), *sub.GetCallId());
    EXPECT_FALSE(SipParser::CheckBody(m).has_value());
    EXPECT_EQ(m.Serialize(), text);

    auto term = b.Notify(p, SipSubscriptionState::Terminated("timeout"), "");
    auto rt = SipParser::Parse(term.Serialize());
    ASSERT_TRUE(rt) << rt.GetError();
    EXPECT_EQ(rt.GetValue().GetSubscriptionState()->GetReason(), "timeout");
    EXPECT_FALSE(rt.GetValue().HasHeader("Content-Type"));
    EXPECT_FALSE(SipParser::CheckBody(rt.GetValue()).has_value()); // empty body passes
}

TEST(SipRoundTrip, OkToSubscribe)
{
    SipBuilder b(3);
    auto sub = SipParser::Parse(b.Subscribe(PeerAToB(), 600).Serialize()).TakeValue();
    auto ok = b.Ok(sub, "sip:peerB@192.168.1.2:5060", "tagB");
    auto r = SipParser::Parse(ok.Serialize());
    ASSERT_TRUE(r) << r.GetError();
    const auto& m = r.GetValue();
    EXPECT_TRUE(m.IsResponse());
    EXPECT_EQ(m.GetStatusCode(), 200);
    EXPECT_EQ(m.GetReasonPhrase(), "OK");
    EXPECT_EQ(m.GetHeaders("Via"), sub.GetHeaders("Via"));
    EXPECT_EQ(m.GetHeader("From"), sub.GetHeader("From"));
    EXPECT_EQ(m.GetTo()->GetTag(), "tagB");
    EXPECT_EQ(m.GetTo()->uri, sub.GetTo()->uri);
    EXPECT_EQ(m.GetCallId(), sub.GetCallId());
    EXPECT_EQ(m.GetHeader("CSeq"), sub.GetHeader("CSeq"));
    EXPECT_EQ(*m.GetExpires(), 600U);
    EXPECT_EQ(m.GetContact()->uri, "sip:peerB@192.168.1.2:5060");
    // The transaction keys of request and response agree.
    EXPECT_EQ(m.GetTopVia()->GetBranch(), sub.GetTopVia()->GetBranch());

    // A To tag already present is kept.
    auto again = b.Ok(sub, "", "other");
    auto inDialog = sub;
    inDialog.SetTo(SipNameAddr::FromUri("sip:peerB@192.168.1.2", "tagB"));
    EXPECT_EQ(b.Ok(inDialog).GetTo()->GetTag(), "tagB");
    EXPECT_EQ(again.GetTo()->GetTag(), "other");
}

TEST(SipRoundTrip, ErrorResponses)
{
    SipBuilder b(4);
    auto sub = b.Subscribe(PeerAToB(), 3600);
    const std::map<uint16_t, std::string> phrases{{400, "Bad Request"},
                                                  {405, "Method Not Allowed"},
                                                  {415, "Unsupported Media Type"},
                                                  {481, "Call/Transaction Does Not Exist"},
                                                  {489, "Bad Event"},
                                                  {501, "Not Implemented"},
                                                  {513, "Message Too Large"}};
    for (const auto& [code, phrase] : phrases)
    {
        auto e = b.Error(sub, code);
        std::string text = e.Serialize();
        EXPECT_EQ(text.rfind("SIP/2.0 " + std::to_string(code) + " " + phrase + "\r\n", 0), 0U)
            << text;
        auto r = SipParser::Parse(text);
        ASSERT_TRUE(r) << code << ": " << r.GetError();
        EXPECT_EQ(r.GetValue().GetStatusCode(), code);
        EXPECT_EQ(r.GetValue().GetReasonPhrase(), phrase);
        EXPECT_FALSE(r.GetValue().GetTo()->GetTag().empty());
        EXPECT_EQ(r.GetValue().GetCSeq()->method, "SUBSCRIBE");
    }
    EXPECT_EQ(b.Error(sub, 405).GetHeader("Allow"), "SUBSCRIBE, NOTIFY");
    EXPECT_EQ(b.Error(sub, 415).GetHeader("Accept"), "application/pidf+xml");
    EXPECT_EQ(b.Error(sub, 489).GetHeader("Allow-Events"), "presence");
    EXPECT_EQ(b.Error(sub, 489).GetHeader("u"), "presence");
}

TEST(SipRoundTrip, ErrorFromParseFailure)
{
    // A SUBSCRIBE for another package: Parse refuses it with 489, and the best-effort parse
    // still has what the 489 response copies.
    std::string text = SubscribeWith("Event:", "Event: dialog");
    auto r = SipParser::Parse(text);
    ASSERT_FALSE(r);
    EXPECT_EQ(SipParser::GetStatusCode(r), 489);
    auto err = SipParser::GetError(r);
    EXPECT_EQ(err.status, 489);
    EXPECT_EQ(err.reason, "Unsupported event package 'dialog'");
    auto partial = SipParser::ParseBestEffort(text);
    ASSERT_TRUE(partial.has_value());
    ASSERT_TRUE(SipBuilder::CanAnswer(*partial));
    SipBuilder b(5);
    auto resp = b.Error(*partial, err);
    std::string out = resp.Serialize();
    EXPECT_EQ(out.rfind("SIP/2.0 489 Unsupported event package 'dialog'\r\n", 0), 0U) << out;
    EXPECT_EQ(resp.GetHeader("Allow-Events"), "presence");
    EXPECT_EQ(resp.GetCallId(), "a84b4c76e66710@192.168.1.1");

    // Missing Call-ID: cannot be answered.
    auto noCallId = SipParser::ParseBestEffort(SubscribeWith("Call-ID:", ""));
    ASSERT_TRUE(noCallId.has_value());
    EXPECT_FALSE(SipBuilder::CanAnswer(*noCallId));
    // Content-Length beyond the datagram: 400, but answerable (RFC 3261 §18.3).
    std::string longer = SubscribeWith("Content-Length:", "Content-Length: 50");
    EXPECT_EQ(SipParser::GetStatusCode(SipParser::Parse(longer)), 400);
    auto p2 = SipParser::ParseBestEffort(longer);
    ASSERT_TRUE(p2.has_value());
    EXPECT_TRUE(SipBuilder::CanAnswer(*p2));
    // ACK is never answered.
    EXPECT_FALSE(SipBuilder::CanAnswer(*SipParser::ParseBestEffort(SubscribeAsMethod("ACK"))));
    EXPECT_FALSE(SipParser::ParseBestEffort("\r\n").has_value());
}

TEST(SipParser, StatusCodeHelpers)
{
    EXPECT_EQ(SipParser::GetStatusCode("400 Missing Call-ID"), 400);
    EXPECT_EQ(SipParser::GetStatusCode("513"), 513);
    EXPECT_EQ(SipParser::GetStatusCode("4000 x"), 0);
    EXPECT_EQ(SipParser::GetStatusCode("oops"), 0);
    EXPECT_EQ(SipParser::GetStatusCode(ParseResult<int>::Ok(1)), 0);
    EXPECT_EQ(SipParser::GetStatusCode(ParseResult<int>::Fail("no code")), 400);
    EXPECT_EQ(SipParser::GetError(ParseResult<int>::Fail("501 Method FOO not implemented")).reason,
              "Method FOO not implemented");
    EXPECT_EQ((SipParseError{415, "x"}).ToString(), "415 x");
    EXPECT_TRUE(SipParser::IsKnownMethod("PUBLISH"));
    EXPECT_FALSE(SipParser::IsKnownMethod("publish"));
}

// ---------------------------------------------------------------------------------------------
// Header forms

TEST(SipParser, CompactForms)
{
    std::string text = "NOTIFY sip:peerA@192.168.1.1:5060 SIP/2.0\r\n"
                       "v: SIP/2.0/UDP 192.168.1.2:5060;branch=z9hG4bKnashds7\r\n"
                       "Max-Forwards: 70\r\n"
                       "f: <sip:peerB@192.168.1.2>;tag=8321234356\r\n"
                       "t: <sip:peerA@192.168.1.1>;tag=1928301774\r\n"
                       "i: a84b4c76e66710@192.168.1.1\r\n"
                       "CSeq: 1 NOTIFY\r\n"
                       "m: <sip:peerB@192.168.1.2:5060>\r\n"
                       "o: presence\r\n"
                       "u: presence\r\n"
                       "Subscription-State: active;expires=60\r\n"
                       "c: application/pidf+xml\r\n"
                       "l: 4\r\n"
                       "\r\n"
                       "body";
    auto r = SipParser::Parse(text);
    ASSERT_TRUE(r) << r.GetError();
    const auto& m = r.GetValue();
    EXPECT_EQ(m.GetTopVia()->GetBranch(), "z9hG4bKnashds7");
    EXPECT_EQ(m.GetFrom()->GetTag(), "8321234356");
    EXPECT_EQ(m.GetTo()->GetTag(), "1928301774");
    EXPECT_EQ(*m.GetCallId(), "a84b4c76e66710@192.168.1.1");
    EXPECT_EQ(m.GetContact()->uri, "sip:peerB@192.168.1.2:5060");
    EXPECT_EQ(m.GetEvent()->type, "presence");
    EXPECT_EQ(m.GetHeader("Allow-Events"), "presence");
    EXPECT_TRUE(m.GetContentType()->Matches("application/pidf+xml"));
    EXPECT_EQ(m.GetBody(), "body");
    // Names are kept as written; Content-Length is derived, and written in long form.
    std::string expected = text;
    expected.replace(expected.find("l: 4"), 4, "Content-Length: 4");
    EXPECT_EQ(m.Serialize(), expected);

    std::string longForm = m.Serialize(SipHeaderForm::LONG);
    EXPECT_NE(longForm.find("\r\nVia: "), std::string::npos);
    EXPECT_NE(longForm.find("\r\nCall-ID: "), std::string::npos);
    EXPECT_NE(longForm.find("\r\nContent-Length: 4\r\n"), std::string::npos);
    std::string compact = m.Serialize(SipHeaderForm::COMPACT);
    EXPECT_LT(compact.size(), longForm.size());
    EXPECT_NE(compact.find("\r\nl: 4\r\n"), std::string::npos);
    auto r2 = SipParser::Parse(compact);
    ASSERT_TRUE(r2) << r2.GetError();
    EXPECT_EQ(r2.GetValue().Serialize(SipHeaderForm::LONG), longForm);
    std::cout << "[ sizes    ] NOTIFY (4-byte body) long " << longForm.size() << " B, compact "
              << compact.size() << " B\n";
}

TEST(SipParser, CaseInsensitiveNames)
{
    auto lines = SubscribeLines();
    lines[1] = "VIA: SIP/2.0/udp 192.168.1.1:5060;BRANCH=z9hG4bK776asdhds";
    lines[2] = "max-forwards: 70";
    lines[3] = "fRoM: <sip:peerA@192.168.1.1>;TAG=1928301774";
    lines[5] = "call-id: a84b4c76e66710@192.168.1.1";
    lines[6] = "cseq: 314159 SUBSCRIBE";
    lines[8] = "EVENT: presence";
    lines[11] = "content-LENGTH: 0";
    auto r = SipParser::Parse(Join(lines));
    ASSERT_TRUE(r) << r.GetError();
    EXPECT_EQ(r.GetValue().GetTopVia()->GetBranch(), "z9hG4bK776asdhds");
    EXPECT_EQ(r.GetValue().GetFrom()->GetTag(), "1928301774");
    EXPECT_EQ(r.GetValue().GetHeader("Call-Id"), "a84b4c76e66710@192.168.1.1");
    EXPECT_EQ(r.GetValue().GetCSeq()->number, 314159U);
    // Methods are case-sensitive, header names not; the version literal is case-insensitive.
    lines[0] = "SUBSCRIBE sip:peerB@192.168.1.2 sip/2.0";
    EXPECT_TRUE(SipParser::Parse(Join(lines)));
}

TEST(SipParser, MultipleVias)
{
    auto lines = SubscribeLines();
    lines.insert(lines.begin() + 2,
                 "Via: SIP/2.0/UDP proxy1.example.com;branch=z9hG4bKp1, "
                 "SIP/2.0/TCP [2001:db8::7]:5070;branch=z9hG4bKp2;received=10.0.0.9");
    lines.insert(lines.begin() + 3, "v: SIP/2.0/UDP 10.1.1.1;branch=z9hG4bKp3");
    auto r = SipParser::Parse(Join(lines));
    ASSERT_TRUE(r) << r.GetError();
    auto vias = r.GetValue().GetVias();
    ASSERT_EQ(vias.size(), 4U);
    EXPECT_EQ(vias[0].GetSentBy(), "192.168.1.1:5060");
    EXPECT_EQ(vias[1].host, "proxy1.example.com");
    EXPECT_EQ(vias[1].port, 0);
    EXPECT_EQ(vias[2].transport, "TCP");
    EXPECT_EQ(vias[2].GetSentBy(), "[2001:db8::7]:5070");
    EXPECT_EQ(vias[2].params.Get("received"), "10.0.0.9");
    EXPECT_EQ(vias[3].GetBranch(), "z9hG4bKp3");
    EXPECT_EQ(r.GetValue().CountHeaders("Via"), 3U);

    SipBuilder b(6);
    auto ok = b.Ok(r.GetValue());
    auto okVias = SipParser::Parse(ok.Serialize()).GetValue().GetVias();
    ASSERT_EQ(okVias.size(), 4U);
    for (size_t i = 0; i < 4; ++i)
    {
        EXPECT_EQ(okVias[i].ToString(), vias[i].ToString());
    }
    // A new top Via goes above the others.
    auto m = r.GetValue();
    SipVia top;
    top.host = "192.168.9.9";
    top.SetBranch("z9hG4bKtop");
    m.PushVia(top);
    EXPECT_EQ(m.GetTopVia()->GetBranch(), "z9hG4bKtop");
    EXPECT_EQ(m.GetVias().size(), 5U);
}

TEST(SipParser, FoldingLineEndsAndFraming)
{
    // Folded header (RFC 3261 §7.3.1), unfolded into single spaces.
    auto lines = SubscribeLines();
    lines[3] = "From: <sip:peerA@192.168.1.1>\r\n   ;tag=1928301774";
    lines[9] = "Accept: application/pidf+xml,\r\n\tapplication/xpidf+xml";
    auto r = SipParser::Parse(Join(lines));
    ASSERT_TRUE(r) << r.GetError();
    EXPECT_EQ(r.GetValue().GetFrom()->GetTag(), "1928301774");
    EXPECT_EQ(r.GetValue().GetHeader("Accept"), "application/pidf+xml, application/xpidf+xml");
    EXPECT_EQ(r.GetValue().GetHeaderValues("Accept").size(), 2U);

    // Bare LF line ends and leading CRLFs are accepted.
    std::string lf = "\r\n\r\n";
    for (const auto& l : SubscribeLines())
    {
        lf += l + "\n";
    }
    lf += "\n";
    EXPECT_TRUE(SipParser::Parse(lf)) << SipParser::Parse(lf).GetError();

    // Content-Length missing: over UDP the body runs to the end of the datagram.
    std::string noCl = NotifyText("Subscription-State: active", "abc");
    auto a = SipParser::Parse(noCl);
    ASSERT_TRUE(a) << a.GetError();
    EXPECT_EQ(a.GetValue().GetBody(), "abc");
    SipParserOptions stream;
    stream.requireContentLength = true;
    auto s = SipParser::Parse(noCl, stream);
    EXPECT_EQ(SipParser::GetStatusCode(s), 400);
    EXPECT_NE(s.GetError().find("Missing Content-Length"), std::string::npos);

    // Content-Length smaller than what follows: the rest is discarded.
    std::string shorter = NotifyText("Subscription-State: active\r\nContent-Length: 2", "abcdef");
    auto t = SipParser::Parse(shorter);
    ASSERT_TRUE(t) << t.GetError();
    EXPECT_EQ(t.GetValue().GetBody(), "ab");

    // Exactly at the size cap is fine, one byte over is 513.
    SipParserOptions small;
    small.maxMessageSize = noCl.size();
    EXPECT_TRUE(SipParser::Parse(noCl, small));
    small.maxMessageSize = noCl.size() - 1;
    EXPECT_EQ(SipParser::GetStatusCode(SipParser::Parse(noCl, small)), 513);

    // Options: more methods and packages.
    SipParserOptions wide;
    wide.supportedMethods.push_back("OPTIONS");
    EXPECT_TRUE(SipParser::Parse(SubscribeAsMethod("OPTIONS"), wide));
    wide.supportedEvents.push_back("dialog");
    EXPECT_TRUE(SipParser::Parse(SubscribeWith("Event:", "Event: dialog;id=1"), wide));
}

TEST(SipParser, BodyChecks415)
{
    auto ok = SipParser::Parse(NotifyText("Subscription-State: active", kPidf));
    ASSERT_TRUE(ok);
    EXPECT_FALSE(SipParser::CheckBody(ok.GetValue()).has_value());

    auto m = ok.GetValue();
    m.SetHeader("Content-Type", "text/plain");
    auto e = SipParser::CheckBody(m);
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->status, 415);
    EXPECT_NE(e->reason.find("text/plain"), std::string::npos);

    m.SetHeader("c", "application/pidf+xml");
    m.AddHeader("Content-Encoding", "gzip");
    EXPECT_EQ(SipParser::CheckBody(m)->status, 415);
    m.SetHeader("e", "identity");
    EXPECT_FALSE(SipParser::CheckBody(m).has_value());
    EXPECT_EQ(SipParser::CheckBody(m, "application/xpidf+xml")->status, 415);
}

// ---------------------------------------------------------------------------------------------
// Malformed messages

namespace
{

/// One refused datagram.
struct BadCase
{
    std::string what;      //!< description
    std::string datagram;  //!< the input
    uint16_t status;       //!< expected status code
    std::string substring; //!< expected part of the error
};

std::vector<BadCase>
BadCases()
{
    auto lines = SubscribeLines();
    std::string hugeBody(70000, 'x');
    std::string notifyNoState = NotifyText("");
    std::string response = "SIP/2.0 200 OK\r\n"
                           "Via: SIP/2.0/UDP 192.168.1.1:5060;branch=z9hG4bK776asdhds\r\n"
                           "From: <sip:peerA@192.168.1.1>;tag=1928301774\r\n"
                           "To: <sip:peerB@192.168.1.2>;tag=x\r\n"
                           "CSeq: 314159 SUBSCRIBE\r\n"
                           "Content-Length: 0\r\n\r\n";
    std::string twoLines = "SUBSCRIBE sip:peerB@192.168.1.2 SIP/2.0\r\nMax-Forwards: 70\r\n";
    return {
        {"empty datagram", "", 400, "Empty message"},
        {"only CRLFs", "\r\n\r\n", 400, "Empty message"},
        {"single word, no line end", "GARBAGE", 400, "Malformed request line"},
        {"missing Via", SubscribeWith("Via:", ""), 400, "Missing Via"},
        {"Via without branch",
         SubscribeWith("Via:", "Via: SIP/2.0/UDP 192.168.1.1:5060;rport"),
         400,
         "Missing Via branch"},
        {"Via branch without magic cookie",
         SubscribeWith("Via:", "Via: SIP/2.0/UDP 192.168.1.1:5060;branch=776asdhds"),
         400,
         "magic cookie"},
        {"Via without sent-by", SubscribeWith("Via:", "Via: SIP/2.0/UDP"), 400, "Malformed Via"},
        {"Via SIP/3.0",
         SubscribeWith("Via:", "Via: SIP/3.0/UDP 192.168.1.1;branch=z9hG4bK1"),
         400,
         "Malformed Via"},
        {"Via port 70000",
         SubscribeWith("Via:", "Via: SIP/2.0/UDP 192.168.1.1:70000;branch=z9hG4bK1"),
         400,
         "Malformed Via"},
        {"Via empty parameter",
         SubscribeWith("Via:", "Via: SIP/2.0/UDP 192.168.1.1;;branch=z9hG4bK1"),
         400,
         "Malformed Via"},
        {"missing Max-Forwards", SubscribeWith("Max-Forwards:", ""), 400, "Missing Max-Forwards"},
        {"Max-Forwards not a number",
         SubscribeWith("Max-Forwards:", "Max-Forwards: seventy"),
         400,
         "Malformed Max-Forwards"},
        {"Max-Forwards 256",
         SubscribeWith("Max-Forwards:", "Max-Forwards: 256"),
         400,
         "Malformed Max-Forwards"},
        {"missing From", SubscribeWith("From:", ""), 400, "Missing From"},
        {"From without tag",
         SubscribeWith("From:", "From: <sip:peerA@192.168.1.1>"),
         400,
         "Missing From tag"},
        {"From without '>'",
         SubscribeWith("From:", "From: <sip:peerA@192.168.1.1;tag=1"),
         400,
         "Malformed From"},
        {"missing To", SubscribeWith("To:", ""), 400, "Missing To"},
        {"To without scheme", SubscribeWith("To:", "To: peerB"), 400, "Malformed To"},
        {"To with empty host", SubscribeWith("To:", "To: <sip:peerB@>"), 400, "Malformed To"},
        {"missing Call-ID", SubscribeWith("Call-ID:", ""), 400, "Missing Call-ID"},
        {"duplicate Call-ID (compact)",
         SubscribePlus("i: other@1.2.3.4"),
         400,
         "Duplicate Call-ID"},
        {"empty Call-ID", SubscribeWith("Call-ID:", "Call-ID:"), 400, "Malformed Call-ID"},
        {"missing CSeq", SubscribeWith("CSeq:", ""), 400, "Missing CSeq"},
        {"CSeq without number", SubscribeWith("CSeq:", "CSeq: SUBSCRIBE"), 400, "Malformed CSeq"},
        {"CSeq number overflow",
         SubscribeWith("CSeq:", "CSeq: 99999999999 SUBSCRIBE"),
         400,
         "Malformed CSeq"},
        {"CSeq method mismatch", SubscribeWith("CSeq:", "CSeq: 1 NOTIFY"), 400, "does not match"},
        {"request line with two parts",
         SubscribeWith("SUBSCRIBE", "SUBSCRIBE sip:peerB@192.168.1.2"),
         400,
         "Malformed request line"},
        {"request line with double space",
         SubscribeWith("SUBSCRIBE", "SUBSCRIBE  sip:peerB@192.168.1.2 SIP/2.0"),
         400,
         "Malformed request line"},
        {"SIP/3.0",
         SubscribeWith("SUBSCRIBE", "SUBSCRIBE sip:peerB@192.168.1.2 SIP/3.0"),
         505,
         "Unsupported SIP version"},
        {"HTTP version",
         SubscribeWith("SUBSCRIBE", "SUBSCRIBE sip:peerB@192.168.1.2 HTTP/1.1"),
         400,
         "Malformed SIP version"},
        {"Request-URI without scheme",
         SubscribeWith("SUBSCRIBE", "SUBSCRIBE peerB SIP/2.0"),
         400,
         "Malformed Request-URI"},
        {"method with '@'",
         SubscribeWith("SUBSCRIBE", "SUB@SCRIBE sip:peerB@192.168.1.2 SIP/2.0"),
         400,
         "Malformed method"},
        {"header line without colon", SubscribePlus("Garbage line here"), 400, "without a colon"},
        {"empty header name", SubscribePlus(": value"), 400, "Malformed header name"},
        {"header name with space", SubscribePlus("X Bad: value"), 400, "Malformed header name"},
        {"continuation before first header",
         "SUBSCRIBE sip:peerB@192.168.1.2 SIP/2.0\r\n folded\r\n\r\n",
         400,
         "Continuation line"},
        {"no empty line after headers", twoLines, 400, "not terminated"},
        {"NUL in a header",
         SubscribePlus(std::string("Subject: a\0b", 12)),
         400,
         "Illegal control character"},
        {"bare CR in a header", SubscribePlus("Subject: a\rb"), 400, "Illegal control character"},
        {"Content-Length beyond datagram",
         SubscribeWith("Content-Length:", "Content-Length: 10"),
         400,
         "exceeds"},
        {"Content-Length not a number",
         SubscribeWith("Content-Length:", "Content-Length: ten"),
         400,
         "Malformed Content-Length"},
        {"negative Content-Length",
         SubscribeWith("Content-Length:", "Content-Length: -1"),
         400,
         "Malformed Content-Length"},
        {"two Content-Lengths",
         SubscribePlus("l: 0\r\nContent-Length: 0"),
         400,
         "Duplicate Content-Length"},
        {"unknown method", SubscribeAsMethod("FOO"), 501, "not implemented"},
        {"lower-case method", SubscribeAsMethod("subscribe"), 501, "not implemented"},
        {"INVITE", SubscribeAsMethod("INVITE"), 405, "not allowed"},
        {"OPTIONS", SubscribeAsMethod("OPTIONS"), 405, "not allowed"},
        {"Event dialog", SubscribeWith("Event:", "Event: dialog"), 489, "'dialog'"},
        {"Event Presence (case)", SubscribeWith("Event:", "Event: Presence"), 489, "'Presence'"},
        {"Event presence.winfo",
         SubscribeWith("Event:", "Event: presence.winfo"),
         489,
         "Unsupported event package"},
        {"missing Event", SubscribeWith("Event:", ""), 400, "Missing Event"},
        {"two Events", SubscribePlus("o: presence"), 400, "Duplicate Event"},
        {"Event with bad parameter",
         SubscribeWith("Event:", "Event: presence;=1"),
         400,
         "Malformed Event"},
        {"missing Contact", SubscribeWith("Contact:", ""), 400, "Missing Contact"},
        {"Contact *", SubscribeWith("Contact:", "Contact: *"), 400, "Malformed Contact"},
        {"two Contacts",
         SubscribeWith("Contact:", "Contact: <sip:a@1.1.1.1>, <sip:b@1.1.1.2>"),
         400,
         "More than one Contact"},
        {"Expires not a number",
         SubscribeWith("Expires:", "Expires: soon"),
         400,
         "Malformed Expires"},
        {"body without Content-Type",
         SubscribeWith("Content-Length:", "Content-Length: 3") + "abc",
         400,
         "Missing Content-Type"},
        {"malformed Content-Type",
         SubscribePlus("Content-Type: pidf"),
         400,
         "Malformed Content-Type"},
        {"NOTIFY without Subscription-State", notifyNoState, 400, "Missing Subscription-State"},
        {"NOTIFY with bad expires",
         NotifyText("Subscription-State: active;expires=soon"),
         400,
         "Malformed Subscription-State"},
        {"too large", SubscribePlus("Content-Type: text/plain", hugeBody), 513, "too large"},
        {"status code with two digits", "SIP/2.0 99 Weird\r\n\r\n", 400, "Malformed status code"},
        {"status code 700", "SIP/2.0 700 Odd\r\n\r\n", 400, "out of range"},
        {"status line SIP/2.1", "SIP/2.1 200 OK\r\n\r\n", 505, "Unsupported SIP version"},
        {"response without Call-ID", response, 400, "Missing Call-ID"},
    };
}

} // namespace

TEST(SipParser, MalformedTable)
{
    auto cases = BadCases();
    ASSERT_GE(cases.size(), 30U);
    std::map<uint16_t, int> byCode;
    for (const auto& c : cases)
    {
        auto r = SipParser::Parse(c.datagram);
        if (r.IsOk())
        {
            ADD_FAILURE() << c.what << ": accepted";
            continue;
        }
        ++byCode[SipParser::GetStatusCode(r)];
        EXPECT_EQ(SipParser::GetStatusCode(r), c.status) << c.what << ": " << r.GetError();
        EXPECT_NE(r.GetError().find(c.substring), std::string::npos)
            << c.what << ": '" << r.GetError() << "' lacks '" << c.substring << "'";
    }
    std::cout << "[ malformed] " << cases.size() << " cases:";
    for (const auto& [code, n] : byCode)
    {
        std::cout << " " << code << "x" << n;
    }
    std::cout << "\n";
    EXPECT_EQ(byCode.size(), 6U); // 400, 405, 489, 501, 505, 513
}

TEST(SipParser, LineNumbersOfHeaderErrors)
{
    auto r = SipParser::Parse(SubscribePlus("Garbage line here"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.GetLine(), 12U);
    EXPECT_EQ(r.Describe(), "line 12: 400 Header line without a colon");
}

// ---------------------------------------------------------------------------------------------
// Robustness

TEST(SipParser, JunkMutationsDoNotCrash)
{
    SipBuilder b(7);
    auto sub = b.Subscribe(PeerAToB(), 3600);
    SipRequestParams np = PeerAToB();
    np.remoteTag = "abc";
    std::vector<std::string> seeds{
        sub.Serialize(),
        sub.Serialize(SipHeaderForm::COMPACT),
        b.Notify(np, SipSubscriptionState::Active(60), kPidf).Serialize(),
        b.Ok(sub, "sip:peerB@192.168.1.2").Serialize(),
        b.Error(sub, 405).Serialize(),
        Join(SubscribeLines()),
    };
    static const char kAlphabet[] = "\r\n\t :;,=<>\"\\@/.0123456789zZ\x00\x7f\xff";
    const std::string alphabet(kAlphabet, sizeof(kAlphabet) - 1); // keeps the NUL
    std::mt19937 rng(20240601);
    auto pick = [&](size_t n) {
        return n == 0 ? 0 : std::uniform_int_distribution<size_t>(0, n - 1)(rng);
    };
    std::map<uint16_t, int> codes;
    int accepted = 0;
    for (int i = 0; i < 20000; ++i)
    {
        std::string d = seeds[pick(seeds.size())];
        int mutations = 1 + static_cast<int>(pick(4));
        for (int k = 0; k < mutations && !d.empty(); ++k)
        {
            size_t at = pick(d.size());
            switch (pick(7))
            {
            case 0: // flip a byte
                d[at] = static_cast<char>(pick(256));
                break;
            case 1: // insert a syntax character
                d.insert(at, 1, alphabet[pick(alphabet.size())]);
                break;
            case 2: // delete a run
                d.erase(at, 1 + pick(16));
                break;
            case 3: // duplicate a run
                d.insert(at, d.substr(pick(d.size()), 1 + pick(40)));
                break;
            case 4: // truncate
                d.resize(at);
                break;
            case 5: // replace with a CRLF (splits a line, or ends the headers)
                d.replace(at, 1, "\r\n");
                break;
            default: // overwrite with a digit run
                d.replace(at, std::min<size_t>(d.size() - at, 3), std::to_string(pick(100000)));
                break;
            }
        }
        auto r = SipParser::Parse(d);
        if (r)
        {
            ++accepted;
            // Whatever is accepted serialises to text that parses to the same text again.
            std::string again = r.GetValue().Serialize();
            auto r2 = SipParser::Parse(again);
            ASSERT_TRUE(r2) << r2.GetError() << "\n--- from ---\n" << d;
            EXPECT_EQ(r2.GetValue().Serialize(), again);
        }
        else
        {
            uint16_t code = SipParser::GetStatusCode(r);
            ++codes[code];
            EXPECT_TRUE(code == 400 || code == 405 || code == 489 || code == 501 || code == 505 ||
                        code == 513)
                << r.GetError();
            auto partial = SipParser::ParseBestEffort(d);
            if (partial && SipBuilder::CanAnswer(*partial))
            {
                auto resp = b.Error(*partial, SipParser::GetError(r));
                EXPECT_FALSE(resp.Serialize().empty());
            }
        }
    }
    std::cout << "[ junk     ] 20000 mutations: " << accepted << " accepted;";
    for (const auto& [code, n] : codes)
    {
        std::cout << " " << code << "x" << n;
    }
    std::cout << "\n";
    EXPECT_GT(codes[400], 1000);
}

// ---------------------------------------------------------------------------------------------
// Ids and sizes

TEST(SipBuilder, DeterministicIds)
{
    SipBuilder a(42);
    SipBuilder b(42);
    SipBuilder c(43);
    std::string sa = a.Subscribe(PeerAToB(), 3600).Serialize();
    EXPECT_EQ(sa, b.Subscribe(PeerAToB(), 3600).Serialize());
    EXPECT_NE(sa, c.Subscribe(PeerAToB(), 3600).Serialize());

    SipIdGenerator g(42);
    std::set<std::string> branches;
    for (int i = 0; i < 1000; ++i)
    {
        std::string br = g.NewBranch();
        EXPECT_EQ(br.size(), 23U);
        EXPECT_EQ(br.rfind("z9hG4bK", 0), 0U);
        branches.insert(br);
    }
    EXPECT_EQ(branches.size(), 1000U);
    EXPECT_EQ(g.NewTag().size(), 8U);
    EXPECT_EQ(g.NewCallId("192.168.1.1").size(), 16U + 12U);
    EXPECT_EQ(g.NewCallId("").size(), 16U);

    // Given ids are used as given.
    auto p = PeerAToB();
    p.branch = "z9hG4bKfixed";
    p.localTag = "tagA";
    p.callId = "cid@h";
    p.cseq = 7;
    p.eventId = "e1";
    auto m = a.Subscribe(p, 10);
    EXPECT_EQ(m.GetTopVia()->GetBranch(), "z9hG4bKfixed");
    EXPECT_EQ(m.GetFrom()->GetTag(), "tagA");
    EXPECT_EQ(m.GetCallId(), "cid@h");
    EXPECT_EQ(m.GetCSeq()->number, 7U);
    EXPECT_EQ(m.GetEvent()->GetId(), "e1");
}

TEST(SipBuilder, IdsFromNs3Stream)
{
    // Global settings: restored below so other suites in the binary see the defaults.
    uint32_t oldSeed = RngSeedManager::GetSeed();
    uint64_t oldRun = RngSeedManager::GetRun();
    RngSeedManager::SetSeed(3);
    RngSeedManager::SetRun(1);
    auto u1 = CreateObject<UniformRandomVariable>();
    auto u2 = CreateObject<UniformRandomVariable>();
    u1->SetStream(11);
    u2->SetStream(11);
    SipIdGenerator g1(u1);
    SipIdGenerator g2(u2);
    for (int i = 0; i < 10; ++i)
    {
        EXPECT_EQ(g1.NewBranch(), g2.NewBranch());
    }
    auto u3 = CreateObject<UniformRandomVariable>();
    u3->SetStream(12);
    SipIdGenerator g3(u3);
    EXPECT_NE(g1.NewTag() + g1.NewTag(), g3.NewTag() + g3.NewTag());
    SipBuilder b(u3);
    EXPECT_TRUE(SipParser::Parse(b.Subscribe(PeerAToB(), 60).Serialize()));
    RngSeedManager::SetSeed(oldSeed);
    RngSeedManager::SetRun(oldRun);
}

TEST(SipBuilder, TypicalSizes)
{
    SipBuilder b(2024);
    auto sub = b.Subscribe(PeerAToB(), 3600);
    auto ok = b.Ok(sub, "sip:peerB@192.168.1.2:5060");
    auto notifyOk = b.Ok(b.Notify(PeerAToB(), SipSubscriptionState::Active(3600), kPidf));
    size_t subSize = sub.Serialize().size();
    size_t okSize = ok.Serialize().size();
    size_t notifyOkSize = notifyOk.Serialize().size();
    std::cout << "[ sizes    ] SUBSCRIBE " << subSize << " B (compact "
              << sub.Serialize(SipHeaderForm::COMPACT).size() << " B), 200 OK to SUBSCRIBE "
              << okSize << " B, 200 OK to NOTIFY " << notifyOkSize << " B, 400 "
              << b.Error(sub, 400).Serialize().size() << " B\n"
              << sub.Serialize() << "----\n"
              << ok.Serialize();
    EXPECT_GE(subSize, 300U);
    EXPECT_LE(subSize, 450U);
    EXPECT_GE(okSize, 180U);
    EXPECT_LE(okSize, 300U);
    EXPECT_GE(notifyOkSize, 180U);
    EXPECT_LE(notifyOkSize, 300U);
    EXPECT_LT(subSize, 1300U); // RFC 3261 §18.1.1: stays on UDP
}
