/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "sip-registrar.h"

#include "presence-endpoint.h"

#include "ns3/abort.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"
#include "ns3/text-util.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SipRegistrar");

NS_OBJECT_ENSURE_REGISTERED(SipRegistrar);

namespace
{

/// Remaining whole seconds until an absolute time (rounded up, at least 0).
uint32_t
Remaining(Time expiry)
{
    Time left = expiry - Simulator::Now();
    return left.IsStrictlyPositive() ? static_cast<uint32_t>(std::ceil(left.GetSeconds())) : 0;
}

/// A delta-seconds value (RFC 3261 section 25.1), capped at 2^32-1.
std::optional<uint32_t>
ParseDeltaSeconds(const std::string& text)
{
    if (text.empty() || text.size() > 10 ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    {
        return std::nullopt;
    }
    return static_cast<uint32_t>(std::min<uint64_t>(std::stoull(text), 0xFFFFFFFFu));
}

} // namespace

TypeId
SipRegistrar::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::SipRegistrar")
            .SetParent<Application>()
            .SetGroupName("Presec")
            .AddConstructor<SipRegistrar>()
            .AddAttribute("Port",
                          "UDP and TCP port of the registrar.",
                          UintegerValue(5060),
                          MakeUintegerAccessor(&SipRegistrar::m_port),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("DefaultExpires",
                          "Seconds a binding lasts when the REGISTER names no expiry "
                          "(RFC 3261 section 10.2.1.1 suggests 3600).",
                          UintegerValue(3600),
                          MakeUintegerAccessor(&SipRegistrar::m_defaultExpires),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("MaxExpires",
                          "Longest binding lifetime granted, in seconds.",
                          UintegerValue(86400),
                          MakeUintegerAccessor(&SipRegistrar::m_maxExpires),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("T1",
                          "SIP timer T1 (how long answered requests are absorbed: 64*T1).",
                          TimeValue(MilliSeconds(500)),
                          MakeTimeAccessor(&SipRegistrar::m_t1),
                          MakeTimeChecker(MilliSeconds(1)))
            .AddTraceSource("BindingChanged",
                            "A binding was added, refreshed, removed or ran out.",
                            MakeTraceSourceAccessor(&SipRegistrar::m_bindingTrace),
                            "ns3::SipRegistrar::BindingTracedCallback");
    return tid;
}

SipRegistrar::SipRegistrar()
    : SipDropCounter(m_stats.badMessages),
      m_rng(CreateObject<UniformRandomVariable>()),
      m_builder(m_rng),
      m_transport(&m_transactions, &m_builder),
      m_transactions(this, &m_transport, &m_builder)
{
    NS_LOG_FUNCTION(this);
    m_builder.SetAllowedMethods({"REGISTER", "OPTIONS", "SUBSCRIBE"});
    m_transport.SetExtraMethods({"REGISTER", "OPTIONS"});
    // Bad input is logged; the layers and the registrar count it (GetStats).
    SipDropCallback drop([](const std::string&,
                            const SipOrigin& origin,
                            const std::string& reason,
                            const std::string& detail,
                            uint16_t status) {
        NS_LOG_WARN("registrar: bad message from " << origin.address << ":" << origin.port << ": "
                                                   << reason << " (" << detail << "), answered "
                                                   << status);
    });
    m_transport.SetDropCallback(drop);
    m_transactions.SetDropCallback(drop);
    SetDropCallback(drop);
}

SipRegistrar::~SipRegistrar()
{
    NS_LOG_FUNCTION(this);
}

void
SipRegistrar::DoDispose()
{
    for (auto& [aor, contacts] : m_bindings)
    {
        for (auto& [contact, entry] : contacts)
        {
            entry.expire.Cancel();
        }
    }
    m_bindings.clear();
    m_rng = nullptr;
    Application::DoDispose();
}

int64_t
SipRegistrar::AssignStreams(int64_t stream)
{
    m_rng->SetStream(stream);
    return 1;
}

void
SipRegistrar::StartApplication()
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_IF(!GetNode()->GetObject<Ipv4>(),
                    "SipRegistrar needs an IPv4 stack on node " << GetNode()->GetId());
    SipTimerValues timers;
    timers.t1 = m_t1;
    m_transactions.Start(timers, 1300);
    m_transport.Start(GetNode(), m_port);
}

void
SipRegistrar::StopApplication()
{
    NS_LOG_FUNCTION(this);
    m_transactions.Stop();
    m_transport.Stop();
}

const SipRegistrar::Stats&
SipRegistrar::GetStats() const
{
    m_total = m_stats;
    SipDropReason::Add(m_total.badMessages, m_transport.GetStats().badMessages);
    SipDropReason::Add(m_total.badMessages, m_transactions.GetStats().badMessages);
    return m_total;
}

std::string
SipRegistrar::CanonicalAor(const std::string& text)
{
    std::string uri = text::Trim(text);
    if (uri.size() >= 2 && uri.front() == '<' && uri.back() == '>')
    {
        uri = uri.substr(1, uri.size() - 2);
    }
    size_t colon = uri.find(':');
    if (colon == std::string::npos)
    {
        return "";
    }
    std::string scheme = text::Lower(uri.substr(0, colon));
    std::string rest = uri.substr(colon + 1);
    if (scheme == "tel")
    {
        std::string number;
        for (char c : rest.substr(0, rest.find(';')))
        {
            if (c == '-' || c == '.' || c == '(' || c == ')')
            {
                continue; // visual separators (RFC 3966 section 5.1.1)
            }
            if (!(c >= '0' && c <= '9') && c != '+' && !(c >= 'A' && c <= 'F') &&
                !(c >= 'a' && c <= 'f') && c != '*' && c != '#')
            {
                return "";
            }
            number += c;
        }
        if (number.empty() || number == "+" || number.find('+', 1) != std::string::npos)
        {
            return "";
        }
        return "tel:" + number;
    }
    if (scheme != "sip" && scheme != "sips" && scheme != "pres")
    {
        return "";
    }
    rest = rest.substr(0, rest.find_first_of(";?"));
    size_t at = rest.rfind('@');
    if (at == std::string::npos || at == 0 || at + 1 == rest.size())
    {
        return "";
    }
    std::string host = rest.substr(at + 1);
    host = host.substr(0, host.find(':'));
    if (host.empty())
    {
        return "";
    }
    return "sip:" + rest.substr(0, at) + "@" + text::Lower(host);
}

std::vector<SipRegistrar::Binding>
SipRegistrar::GetBindings(const std::string& aor) const
{
    std::vector<Binding> out;
    auto it = m_bindings.find(CanonicalAor(aor));
    if (it == m_bindings.end())
    {
        return out;
    }
    for (const auto& [contact, entry] : it->second)
    {
        out.push_back(entry.binding);
    }
    std::stable_sort(out.begin(), out.end(), [](const Binding& a, const Binding& b) {
        return a.updated > b.updated;
    });
    return out;
}

std::optional<Ipv4Address>
SipRegistrar::Lookup(const std::string& aor) const
{
    auto bindings = GetBindings(aor);
    if (bindings.empty())
    {
        return std::nullopt;
    }
    return bindings.front().address;
}

size_t
SipRegistrar::GetNBindings() const
{
    size_t n = 0;
    for (const auto& [aor, contacts] : m_bindings)
    {
        n += contacts.size();
    }
    return n;
}

void
SipRegistrar::ReceiveRequest(const SipMessage& request, const SipOrigin& origin, uint32_t size)
{
    NS_LOG_FUNCTION(this << request.GetMethod() << origin.address << size);
    if (request.GetMethod() == "REGISTER")
    {
        HandleRegister(request, origin);
    }
    else if (request.GetMethod() == "OPTIONS" || request.GetMethod() == "SUBSCRIBE")
    {
        HandleLookup(request, origin);
    }
    else
    {
        // NOTIFY (and MESSAGE) pass the parser; a registrar serves neither.
        Drop(request.Serialize(),
             origin,
             SipDropReason::METHOD_NOT_ALLOWED,
             request.GetMethod(),
             405);
        m_transactions.SendResponse(request, m_builder.Error(request, 405), origin);
    }
}

void
SipRegistrar::RefuseRegister(const SipMessage& request,
                             const SipOrigin& origin,
                             const std::string& detail)
{
    Drop(request.Serialize(), origin, SipDropReason::BAD_REGISTER, detail, 400);
    m_transactions.SendResponse(request, m_builder.Error(request, 400, detail), origin);
}

void
SipRegistrar::HandleRegister(const SipMessage& request, const SipOrigin& origin)
{
    std::string aor = CanonicalAor(request.GetTo()->uri);
    if (aor.empty())
    {
        RefuseRegister(request, origin, "To is no address of record");
        return;
    }
    std::optional<uint32_t> headerExpires = request.GetExpires();
    std::vector<std::string> contacts = request.GetHeaderValues("Contact");
    std::string callId = request.GetCallId().value_or("");
    uint32_t cseq = request.GetCSeq()->number;

    // Step 6: Contact: * removes every binding, only with Expires: 0 and alone.
    if (contacts.size() == 1 && text::Trim(contacts.front()) == "*")
    {
        if (!headerExpires || *headerExpires != 0)
        {
            RefuseRegister(request, origin, "Contact * without Expires: 0");
            return;
        }
        auto it = m_bindings.find(aor);
        if (it != m_bindings.end())
        {
            for (auto& [contact, entry] : it->second)
            {
                entry.expire.Cancel();
                ++m_stats.bindingsRemoved;
                m_bindingTrace(aor, contact, 0);
            }
            m_bindings.erase(it);
        }
        ++m_stats.registers;
        m_transactions.SendResponse(request, m_builder.Response(request, 200), origin);
        return;
    }

    // Read every Contact first: a bad one refuses the whole request (section 10.3 step 6).
    struct Update
    {
        std::string uri;
        Ipv4Address address;
        uint16_t port{5060};
        uint32_t expires{0};
    };

    std::vector<Update> updates;
    for (const std::string& value : contacts)
    {
        if (text::Trim(value) == "*")
        {
            RefuseRegister(request, origin, "Contact * among other Contacts");
            return;
        }
        auto contact = SipNameAddr::Parse(value);
        if (!contact)
        {
            RefuseRegister(request, origin, "malformed Contact");
            return;
        }
        Update u;
        u.uri = contact.GetValue().uri;
        if (!PresenceEndpoint::ParseSipTarget(u.uri, u.address, u.port))
        {
            RefuseRegister(request, origin, "Contact " + u.uri + " names no IPv4 SIP host");
            return;
        }
        if (auto e = contact.GetValue().params.Get("expires"))
        {
            auto parsed = ParseDeltaSeconds(*e);
            if (!parsed)
            {
                RefuseRegister(request, origin, "malformed Contact expires '" + *e + "'");
                return;
            }
            u.expires = *parsed;
        }
        else
        {
            u.expires = headerExpires.value_or(m_defaultExpires);
        }
        u.expires = std::min(u.expires, m_maxExpires);
        updates.push_back(u);
    }

    auto& bindings = m_bindings[aor];
    for (const Update& u : updates)
    {
        auto it = bindings.find(u.uri);
        if (it != bindings.end() && it->second.binding.callId == callId &&
            it->second.binding.cseq >= cseq)
        {
            NS_LOG_LOGIC("stale REGISTER for " << aor << " " << u.uri << " ignored");
            continue; // step 7: an older request of the same client
        }
        if (u.expires == 0)
        {
            if (it != bindings.end())
            {
                it->second.expire.Cancel();
                bindings.erase(it);
                ++m_stats.bindingsRemoved;
                m_bindingTrace(aor, u.uri, 0);
            }
            continue;
        }
        bool added = it == bindings.end();
        Entry& entry = bindings[u.uri];
        entry.expire.Cancel();
        entry.binding.contact = u.uri;
        entry.binding.address = u.address;
        entry.binding.port = u.port;
        entry.binding.updated = Simulator::Now();
        entry.binding.expiry = Simulator::Now() + Seconds(u.expires);
        entry.binding.callId = callId;
        entry.binding.cseq = cseq;
        entry.expire =
            Simulator::Schedule(Seconds(u.expires), &SipRegistrar::Expire, this, aor, u.uri);
        ++(added ? m_stats.bindingsAdded : m_stats.bindingsRefreshed);
        NS_LOG_INFO("registrar: " << aor << " -> " << u.uri << " for " << u.expires << " s");
        m_bindingTrace(aor, u.uri, u.expires);
    }
    if (bindings.empty())
    {
        m_bindings.erase(aor);
    }
    ++m_stats.registers;
    SipMessage response = m_builder.Response(request, 200);
    AddContacts(aor, response);
    m_transactions.SendResponse(request, response, origin);
}

void
SipRegistrar::AddContacts(const std::string& aor, SipMessage& response) const
{
    for (const Binding& b : GetBindings(aor))
    {
        SipNameAddr contact = SipNameAddr::FromUri(b.contact);
        contact.params.Set("expires", std::to_string(Remaining(b.expiry)));
        response.AddHeader("Contact", contact.ToString());
    }
}

void
SipRegistrar::HandleLookup(const SipMessage& request, const SipOrigin& origin)
{
    std::string aor = CanonicalAor(request.GetRequestUri());
    if (aor.empty())
    {
        // Addressed to the registrar itself (no user part): capabilities only.
        m_transactions.SendResponse(request, m_builder.Capabilities(request), origin);
        return;
    }
    ++m_stats.lookups;
    if (!m_bindings.count(aor))
    {
        ++m_stats.notFound;
        NS_LOG_INFO("registrar: lookup of " << aor << " from " << origin.address << ": 404");
        m_transactions.SendResponse(request, m_builder.Response(request, 404), origin);
        return;
    }
    ++m_stats.redirects;
    SipMessage response = m_builder.Response(request, 302);
    AddContacts(aor, response);
    NS_LOG_INFO("registrar: lookup of " << aor << " from " << origin.address << ": 302 "
                                        << Lookup(aor).value_or(Ipv4Address()));
    m_transactions.SendResponse(request, response, origin);
}

void
SipRegistrar::Expire(std::string aor, std::string contact)
{
    auto it = m_bindings.find(aor);
    if (it == m_bindings.end() || !it->second.erase(contact))
    {
        return;
    }
    NS_LOG_INFO("registrar: " << aor << " -> " << contact << " expired");
    ++m_stats.bindingsExpired;
    m_bindingTrace(aor, contact, 0);
    if (it->second.empty())
    {
        m_bindings.erase(it);
    }
}

} // namespace ns3
