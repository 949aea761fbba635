/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "sip-builder.h"

#include "simple-filter-codec.h"

#include "ns3/assert.h"
#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SipBuilder");

namespace
{

std::string
Hex(uint64_t v, unsigned digits)
{
    static const char* const kDigits = "0123456789abcdef";
    std::string out(digits, '0');
    for (unsigned i = 0; i < digits; ++i)
    {
        out[digits - 1 - i] = kDigits[v & 0xf];
        v >>= 4;
    }
    return out;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// SipIdGenerator

SipIdGenerator::SipIdGenerator(uint64_t seed)
    : m_state(seed)
{
}

SipIdGenerator::SipIdGenerator(Ptr<UniformRandomVariable> stream)
    : m_state(0),
      m_stream(stream)
{
    NS_ASSERT_MSG(stream, "SipIdGenerator needs a stream");
}

uint64_t
SipIdGenerator::Next()
{
    if (m_stream)
    {
        uint64_t hi = m_stream->GetInteger(0, 0xFFFFFFFFU);
        uint64_t lo = m_stream->GetInteger(0, 0xFFFFFFFFU);
        return (hi << 32) | lo;
    }
    // SplitMix64 (Steele, Lea, Flood 2014): tiny, fully specified, well mixed.
    uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

std::string
SipIdGenerator::NewBranch()
{
    return "z9hG4bK" + Hex(Next(), 16);
}

std::string
SipIdGenerator::NewTag()
{
    return Hex(Next(), 8);
}

std::string
SipIdGenerator::NewCallId(const std::string& host)
{
    std::string id = Hex(Next(), 16);
    return host.empty() ? id : id + "@" + host;
}

// ---------------------------------------------------------------------------------------------
// SipBuilder

SipBuilder::SipBuilder(uint64_t seed)
    : m_ids(seed)
{
}

SipBuilder::SipBuilder(Ptr<UniformRandomVariable> stream)
    : m_ids(stream)
{
}

SipIdGenerator&
SipBuilder::GetIdGenerator()
{
    return m_ids;
}

void
SipBuilder::SetAllowedMethods(const std::vector<std::string>& methods)
{
    m_allow = methods;
}

SipMessage
SipBuilder::BaseRequest(const std::string& method, const SipRequestParams& p)
{
    NS_ASSERT_MSG(!p.localUri.empty() && !p.remoteUri.empty(), "SIP request needs both URIs");
    NS_ASSERT_MSG(!p.sentByHost.empty(), "SIP request needs a Via sent-by host");
    auto m = SipMessage::CreateRequest(method, p.requestUri.empty() ? p.remoteUri : p.requestUri);
    SipVia via;
    via.transport = p.transport;
    via.host = p.sentByHost;
    via.port = p.sentByPort;
    via.SetBranch(p.branch.empty() ? m_ids.NewBranch() : p.branch);
    m.PushVia(via);
    m.SetMaxForwards(p.maxForwards);
    m.SetFrom(SipNameAddr::FromUri(p.localUri, p.localTag.empty() ? m_ids.NewTag() : p.localTag));
    m.SetTo(SipNameAddr::FromUri(p.remoteUri, p.remoteTag));
    // 64 random bits are unique enough; "@host" (RFC 3261 §8.1.1.4 MAY) would only add bytes.
    m.SetCallId(p.callId.empty() ? m_ids.NewCallId("") : p.callId);
    m.SetCSeq({p.cseq, method});
    m.SetContact(SipNameAddr::FromUri(p.contactUri.empty() ? p.localUri : p.contactUri));
    SipEvent event;
    event.type = "presence";
    if (!p.eventId.empty())
    {
        event.params.Set("id", p.eventId);
    }
    m.SetEvent(event);
    return m;
}

SipMessage
SipBuilder::Subscribe(const SipRequestParams& p, uint32_t expires, const std::string& filter)
{
    NS_LOG_FUNCTION(this << p.remoteUri << expires << filter.size());
    auto m = BaseRequest("SUBSCRIBE", p);
    m.AddHeader("Accept", "application/pidf+xml");
    m.SetExpires(expires);
    if (!filter.empty())
    {
        m.SetHeader("Content-Type", SimpleFilterCodec::CONTENT_TYPE);
        m.SetBody(filter);
    }
    return m;
}

SipMessage
SipBuilder::Notify(const SipRequestParams& p,
                   const SipSubscriptionState& state,
                   const std::string& body,
                   const std::string& contentType)
{
    NS_LOG_FUNCTION(this << p.remoteUri << state.ToString() << body.size());
    auto m = BaseRequest("NOTIFY", p);
    m.SetSubscriptionState(state);
    if (!body.empty())
    {
        m.SetHeader("Content-Type", contentType);
        m.SetBody(body);
    }
    return m;
}

SipMessage
SipBuilder::Message(const SipRequestParams& p,
                    const std::string& contentType,
                    const std::string& body)
{
    NS_LOG_FUNCTION(this << p.remoteUri << contentType << body.size());
    auto m = BaseRequest("MESSAGE", p);
    m.RemoveHeader("Contact");
    m.RemoveHeader("Event");
    m.SetHeader("Content-Type", contentType);
    m.SetBody(body);
    return m;
}

SipMessage
SipBuilder::Register(const SipRequestParams& p, uint32_t expires)
{
    NS_LOG_FUNCTION(this << p.remoteUri << expires);
    auto m = BaseRequest("REGISTER", p);
    m.RemoveHeader("Event");
    SipNameAddr contact = SipNameAddr::FromUri(p.contactUri.empty() ? p.localUri : p.contactUri);
    contact.params.Set("expires", std::to_string(expires));
    m.SetContact(contact);
    m.SetExpires(expires);
    return m;
}

SipMessage
SipBuilder::Options(const SipRequestParams& p)
{
    NS_LOG_FUNCTION(this << p.remoteUri);
    auto m = BaseRequest("OPTIONS", p);
    m.RemoveHeader("Contact");
    m.RemoveHeader("Event");
    return m;
}

SipMessage
SipBuilder::Response(const SipMessage& request,
                     uint16_t statusCode,
                     const std::string& reasonPhrase,
                     const std::string& toTag)
{
    NS_LOG_FUNCTION(this << statusCode);
    auto r = SipMessage::CreateResponse(statusCode, reasonPhrase);
    // RFC 3261 §8.2.6.2: the values are copied as received, Vias in order.
    for (const auto& via : request.GetHeaders("Via"))
    {
        r.AddHeader("Via", via);
    }
    if (auto from = request.GetHeader("From"))
    {
        r.AddHeader("From", *from);
    }
    if (auto to = request.GetHeader("To"))
    {
        auto parsed = request.GetTo();
        bool needsTag = statusCode != 100 && parsed && parsed->GetTag().empty();
        r.AddHeader("To",
                    needsTag ? *to + ";tag=" + (toTag.empty() ? m_ids.NewTag() : toTag) : *to);
    }
    if (auto callId = request.GetHeader("Call-ID"))
    {
        r.AddHeader("Call-ID", *callId);
    }
    if (auto cseq = request.GetHeader("CSeq"))
    {
        r.AddHeader("CSeq", *cseq);
    }
    return r;
}

SipMessage
SipBuilder::Ok(const SipMessage& request, const std::string& contactUri, const std::string& toTag)
{
    auto r = Response(request, 200, "", toTag);
    if (!contactUri.empty())
    {
        r.SetContact(SipNameAddr::FromUri(contactUri));
    }
    if (request.GetMethod() == "SUBSCRIBE")
    {
        // RFC 6665: a 2xx to SUBSCRIBE states the granted duration.
        r.SetExpires(request.GetExpires().value_or(3600));
    }
    return r;
}

std::string
SipBuilder::AllowList() const
{
    std::string allow;
    for (const auto& m : m_allow)
    {
        allow += (allow.empty() ? "" : ", ") + m;
    }
    return allow;
}

SipMessage
SipBuilder::Capabilities(const SipMessage& request)
{
    NS_LOG_FUNCTION(this);
    auto r = Response(request, 200);
    r.SetHeader("Allow", AllowList());
    return r;
}

SipMessage
SipBuilder::Error(const SipMessage& request, uint16_t statusCode, const std::string& reasonPhrase)
{
    NS_ASSERT_MSG(statusCode >= 300, "not an error code: " << statusCode);
    auto r = Response(request, statusCode, reasonPhrase);
    switch (statusCode)
    {
    case 405: // RFC 3261 §8.2.1: MUST list the supported methods
    case 501:
        r.AddHeader("Allow", AllowList());
        break;
    case 406:
    case 415: // RFC 3261 §21.4.13: list what is accepted
        r.AddHeader("Accept", "application/pidf+xml");
        break;
    case 489: // RFC 6665: MUST carry Allow-Events
        r.AddHeader("Allow-Events", "presence");
        break;
    default:
        break;
    }
    return r;
}

SipMessage
SipBuilder::Error(const SipMessage& request, const SipParseError& error)
{
    return Error(request, error.status, error.reason);
}

bool
SipBuilder::CanAnswer(const SipMessage& request)
{
    if (!request.IsRequest() || request.GetMethod().empty() || request.GetMethod() == "ACK")
    {
        return false;
    }
    return request.GetTopVia() && request.GetFrom() && request.GetTo() &&
           request.GetCallId().value_or("") != "" && request.GetCSeq();
}

} // namespace ns3
