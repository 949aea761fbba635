/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "sip-pager.h"

#include "ns3/log.h"
#include "ns3/text-util.h"

#include <vector>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SipPager");

SipPager::SipPager(SipTransactionLayer* transactions,
                   SipBuilder* builder,
                   PresenceEndpoint* endpoint)
    : PresenceTransactionUser(transactions, builder, endpoint, m_stats.badMessages)
{
    NS_LOG_FUNCTION(this);
    UpdateAllowedMethods();
}

const SipPager::Stats&
SipPager::GetStats() const
{
    return m_stats;
}

bool
SipPager::HasHandlers() const
{
    return !m_handlers.empty();
}

void
SipPager::Stop()
{
    m_results.clear();
}

void
SipPager::Dispose()
{
    m_handlers.clear();
    m_results.clear();
}

void
SipPager::SetMessageHandler(const std::string& contentType, MessageHandler handler)
{
    NS_LOG_FUNCTION(this << contentType);
    std::string type = text::Lower(text::Trim(contentType.substr(0, contentType.find(';'))));
    if (handler.IsNull())
    {
        m_handlers.erase(type);
    }
    else
    {
        m_handlers[type] = handler;
    }
    UpdateAllowedMethods();
}

void
SipPager::UpdateAllowedMethods()
{
    // What the agent serves (OPTIONS: RFC 3261 section 11.2); MESSAGE while a handler takes it.
    std::vector<std::string> allowed{"SUBSCRIBE", "NOTIFY", "OPTIONS"};
    if (!m_handlers.empty())
    {
        allowed.emplace_back("MESSAGE");
    }
    m_builder->SetAllowedMethods(allowed);
}

void
SipPager::Send(Ipv4Address peer,
               const std::string& contentType,
               const std::string& body,
               MessageResultCallback cb)
{
    NS_LOG_FUNCTION(this << peer << contentType << body.size());
    // The MESSAGE carries no Contact (SipBuilder::Message removes it).
    SipRequestParams p = m_endpoint->NewRequestParams(m_endpoint->LocalAddressFor(peer));
    p.remoteUri = PresenceEndpoint::HostUri(peer, m_endpoint->GetPort());
    std::string owner = std::to_string(m_next++);
    m_results[owner] = cb;
    ++m_stats.messagesSent;
    m_transactions->SendRequest(
        p,
        [this, contentType, body](const SipRequestParams& q) {
            return m_builder->Message(q, contentType, body);
        },
        peer,
        m_endpoint->GetPort(),
        this,
        owner);
}

void
SipPager::ReceiveMessage(const SipMessage& request, const SipOrigin& origin)
{
    NS_LOG_FUNCTION(this << origin.address);
    auto type = request.GetContentType();
    std::string name = type ? text::Lower(type->type + "/" + type->subtype) : "";
    auto handler = m_handlers.find(name);
    if (handler == m_handlers.end())
    {
        // An unsupported body type is refused with 415 listing the handled ones (RFC 3261
        // section 21.4.13).
        std::string accept;
        for (const auto& [t, h] : m_handlers)
        {
            accept += (accept.empty() ? "" : ", ") + t;
        }
        SipMessage response = m_builder->Error(request, 415);
        response.SetHeader("Accept", accept);
        Drop(request.Serialize(),
             origin,
             SipDropReason::UNSUPPORTED_MEDIA,
             "MESSAGE body " + (name.empty() ? std::string("without type") : name),
             415);
        m_transactions->SendResponse(request, response, origin);
        return;
    }
    ++m_stats.messagesReceived;
    uint16_t status = handler->second(origin.address, request.GetBody());
    if (status < 200 || status > 699)
    {
        status = 500; // a handler bug must still end the transaction
    }
    if (status >= 300)
    {
        Drop(request.Serialize(), origin, SipDropReason::BAD_BODY, "MESSAGE body " + name, status);
        m_transactions->SendResponse(request, m_builder->Error(request, status), origin);
        return;
    }
    m_transactions->SendResponse(request, m_builder->Response(request, status), origin);
}

void
SipPager::ClientTransactionEnded(const std::string& owner,
                                 const SipMessage* response,
                                 const std::string& failure)
{
    auto it = m_results.find(owner);
    if (it == m_results.end())
    {
        return;
    }
    MessageResultCallback cb = it->second;
    m_results.erase(it);
    // RFC 3261 section 8.1.3.1: a timeout counts as 408, a transport error as 503.
    uint16_t status = response ? response->GetStatusCode() : failure == "timeout" ? 408 : 503;
    NS_LOG_LOGIC("MESSAGE " << owner << " ended " << status << " " << failure);
    if (!cb.IsNull())
    {
        cb(status);
    }
}

} // namespace ns3
