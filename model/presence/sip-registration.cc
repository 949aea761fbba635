/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "sip-registration.h"

#include "ns3/log.h"
#include "ns3/simulator.h"

#include <algorithm>
#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SipRegistration");

SipRegistration::SipRegistration(SipTransactionLayer* transactions,
                                 SipBuilder* builder,
                                 PresenceEndpoint* endpoint)
    : PresenceTransactionUser(transactions, builder, endpoint, m_stats.badMessages)
{
    NS_LOG_FUNCTION(this);
}

SipRegistration::~SipRegistration()
{
    m_refresh.Cancel();
}

void
SipRegistration::Configure(Ipv4Address registrar,
                           uint16_t port,
                           const std::string& aor,
                           uint32_t expires)
{
    m_registrar = registrar;
    m_port = port;
    m_aor = aor;
    m_expires = expires;
}

const SipRegistration::Stats&
SipRegistration::GetStats() const
{
    return m_stats;
}

bool
SipRegistration::IsRegistered() const
{
    return !m_registered.empty() && m_expiry > Simulator::Now();
}

std::string
SipRegistration::GetRegisteredContact() const
{
    return IsRegistered() ? m_registered : "";
}

void
SipRegistration::Start()
{
    NS_LOG_FUNCTION(this);
    m_running = true;
    if (m_registrar == Ipv4Address::GetAny())
    {
        return;
    }
    m_callId = m_builder->GetIdGenerator().NewCallId("");
    m_tag = m_builder->GetIdGenerator().NewTag();
    m_contact.clear();
    m_registered.clear();
    SendRegister(false);
}

void
SipRegistration::AddressChanged()
{
    if (!m_running || m_registrar == Ipv4Address::GetAny() || !m_endpoint->HasAddress())
    {
        return;
    }
    Ipv4Address local = m_endpoint->LocalAddressFor(m_registrar);
    if (local != Ipv4Address::GetAny() && m_endpoint->ContactUri(local) != m_contact)
    {
        NS_LOG_INFO("Contact moved to " << local << ": REGISTER again");
        SendRegister(false);
    }
}

void
SipRegistration::Stop(bool unregister)
{
    NS_LOG_FUNCTION(this << unregister);
    m_refresh.Cancel();
    if (unregister && m_running && m_registrar != Ipv4Address::GetAny() && !m_contact.empty())
    {
        SendRegister(true);
    }
    m_running = false;
    m_pending.clear();
    m_registered.clear();
    m_lookups.clear();
}

void
SipRegistration::SendRegister(bool remove)
{
    m_refresh.Cancel();
    Ipv4Address local = m_endpoint->LocalAddressFor(m_registrar);
    if (!m_endpoint->HasAddress() || local == Ipv4Address::GetAny())
    {
        NS_LOG_LOGIC("no address: REGISTER waits for one");
        return;
    }
    std::string contact = remove ? m_contact : m_endpoint->ContactUri(local);
    // The old Contact goes with the new one (expires 0): the registrar then never names it.
    std::string old = !remove && m_contact != contact ? m_contact : "";
    SipRequestParams p = m_endpoint->NewRequestParams(local);
    p.localUri = m_aor;
    p.remoteUri = m_aor;
    p.requestUri = PresenceEndpoint::HostUri(m_registrar, m_port);
    p.contactUri = contact;
    p.callId = m_callId;
    p.localTag = m_tag;
    p.cseq = ++m_cseq;
    if (!m_pending.empty())
    {
        m_transactions->Abandon(this, m_pending);
    }
    m_pending = "reg" + std::to_string(m_next++);
    m_contact = remove ? "" : contact;
    ++m_stats.registersSent;
    uint32_t expires = remove ? 0 : m_expires;
    NS_LOG_INFO("REGISTER " << m_aor << " -> " << contact << " expires " << expires
                            << (old.empty() ? "" : ", removing " + old));
    m_transactions->SendRequest(
        p,
        [this, expires, old](const SipRequestParams& q) {
            SipMessage m = m_builder->Register(q, expires);
            if (!old.empty())
            {
                SipNameAddr gone = SipNameAddr::FromUri(old);
                gone.params.Set("expires", "0");
                m.AddHeader("Contact", gone.ToString());
            }
            return m;
        },
        m_registrar,
        m_port,
        this,
        m_pending);
}

void
SipRegistration::Resolve(const std::string& aor, ResolveCallback cb)
{
    NS_LOG_FUNCTION(this << aor);
    ++m_stats.resolutions;
    std::string why;
    Ipv4Address local = m_endpoint->LocalAddressFor(m_registrar);
    if (m_registrar == Ipv4Address::GetAny())
    {
        why = "no registrar";
    }
    else if (!m_running)
    {
        why = "not running";
    }
    else if (!m_endpoint->HasAddress() || local == Ipv4Address::GetAny())
    {
        why = "no address";
    }
    else if (!SipNameAddr::Parse("<" + aor + ">"))
    {
        why = "not a URI";
    }
    if (!why.empty())
    {
        ++m_stats.resolveFailures;
        Simulator::ScheduleNow([cb, why]() {
            if (!cb.IsNull())
            {
                cb(false, Ipv4Address::GetAny(), why);
            }
        });
        return;
    }
    SipRequestParams p = m_endpoint->NewRequestParams(local);
    p.remoteUri = aor;
    p.requestUri = aor;
    std::string owner = "res" + std::to_string(m_next++);
    m_lookups[owner] = {aor, cb};
    m_transactions->SendRequest(
        p,
        [this](const SipRequestParams& q) { return m_builder->Options(q); },
        m_registrar,
        m_port,
        this,
        owner);
}

void
SipRegistration::ClientTransactionEnded(const std::string& owner,
                                        const SipMessage* response,
                                        const std::string& failure)
{
    uint16_t status = response ? response->GetStatusCode() : 0;
    std::string reason =
        response ? std::to_string(status) + " " + response->GetReasonPhrase() : failure;
    if (auto it = m_lookups.find(owner); it != m_lookups.end())
    {
        Lookup lookup = it->second;
        m_lookups.erase(it);
        if (status >= 200 && status < 400)
        {
            for (const std::string& value : response->GetHeaderValues("Contact"))
            {
                auto contact = SipNameAddr::Parse(value);
                Ipv4Address address;
                uint16_t port;
                if (contact &&
                    PresenceEndpoint::ParseSipTarget(contact.GetValue().uri, address, port))
                {
                    NS_LOG_INFO(lookup.aor << " is at " << address);
                    ++m_stats.resolved;
                    if (!lookup.cb.IsNull())
                    {
                        lookup.cb(true, address, "");
                    }
                    return;
                }
            }
            reason += " without a usable Contact";
        }
        NS_LOG_INFO(lookup.aor << " not resolved: " << reason);
        ++m_stats.resolveFailures;
        if (!lookup.cb.IsNull())
        {
            lookup.cb(false, Ipv4Address::GetAny(), reason);
        }
        return;
    }
    if (owner != m_pending)
    {
        return;
    }
    m_pending.clear();
    if (status >= 200 && status < 300)
    {
        ++m_stats.registered;
        if (m_contact.empty())
        {
            m_registered.clear(); // unregistered
            return;
        }
        uint32_t granted = response->GetExpires().value_or(m_expires);
        for (const std::string& value : response->GetHeaderValues("Contact"))
        {
            auto contact = SipNameAddr::Parse(value);
            if (contact && contact.GetValue().uri == m_contact)
            {
                if (auto e = contact.GetValue().params.Get("expires"))
                {
                    granted = static_cast<uint32_t>(std::strtoul(e->c_str(), nullptr, 10));
                }
            }
        }
        m_registered = m_contact;
        m_expiry = Simulator::Now() + Seconds(granted);
        NS_LOG_INFO("registered " << m_aor << " at " << m_registered << " for " << granted << " s");
        if (m_running && granted > 0)
        {
            m_refresh = Simulator::Schedule(Seconds(0.9 * granted),
                                            &SipRegistration::SendRegister,
                                            this,
                                            false);
        }
        return;
    }
    ++m_stats.registerFailures;
    NS_LOG_WARN("REGISTER " << m_aor << " failed: " << reason);
    if (m_running)
    {
        // The binding stays unconfirmed; try again later.
        m_contact.clear();
        m_refresh = Simulator::Schedule(Seconds(RETRY_SECONDS),
                                        &SipRegistration::SendRegister,
                                        this,
                                        false);
    }
}

} // namespace ns3
