/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ike-child-sa-manager.h"

#include "ike-proposals.h"

#include "ns3/ipsec-crypto.h"
#include "ns3/key-management-sap.h"
#include "ns3/log.h"
#include "ns3/random-variable-stream.h"
#include "ns3/simulator.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IkeChildSaManager");

void
IkeChildSaManager::SetSap(KeyManagementSapProvider* sap)
{
    m_sap = sap;
}

void
IkeChildSaManager::Configure(EncryptionAlgorithm enc,
                             AuthenticationAlgorithm integ,
                             const Lifetimes& life,
                             Ptr<UniformRandomVariable> rng)
{
    m_enc = enc;
    m_integ = integ;
    m_life = life;
    m_rng = rng;
}

void
IkeChildSaManager::SetOutboundLiveCallback(Callback<void, Ipv4Address> cb)
{
    m_outboundLive = cb;
}

uint64_t
IkeChildSaManager::Install(uint64_t ikeSpi,
                           Ipv4Address local,
                           Ipv4Address peer,
                           const IkeChildSpec& spec,
                           uint32_t spiIn,
                           uint32_t spiOut,
                           const std::vector<uint8_t>& skD,
                           const std::vector<uint8_t>& gir,
                           const std::vector<uint8_t>& ni,
                           const std::vector<uint8_t>& nr,
                           bool weInitiated,
                           bool deferOutbound)
{
    EncryptionAlgorithm enc =
        spec.proto == IpsecProtocol::ESP ? m_enc : EncryptionAlgorithm::NULL_ENC;
    AuthenticationAlgorithm auth = spec.proto == IpsecProtocol::AH || !IpsecCrypto::IsAead(m_enc)
                                       ? m_integ
                                       : AuthenticationAlgorithm::NONE;
    uint32_t encBytes = GetProperties(enc).keyBytes;
    uint32_t authBytes = GetProperties(auth).keyBytes;
    // RFC 7296 §2.17: initiator-to-responder keys first, encryption before integrity.
    std::vector<uint8_t> k =
        ikev2::ChildKeymat(IkeProposals::PRF, skD, gir, ni, nr, 2 * (encBytes + authBytes));
    auto part = [&k](size_t off, size_t n) {
        return std::vector<uint8_t>(k.begin() + off, k.begin() + off + n);
    };
    size_t iOff = 0;
    size_t rOff = encBytes + authBytes;
    size_t outOff = weInitiated ? iOff : rOff;
    size_t inOff = weInitiated ? rOff : iOff;

    SaLifetime life;
    life.hardTime = m_life.hard;
    Time soft = m_life.soft;
    if (soft.IsStrictlyPositive())
    {
        if (weInitiated)
        {
            if (m_life.rekeyMargin.IsStrictlyPositive())
            {
                soft = soft - Seconds(m_rng->GetValue(0, m_life.rekeyMargin.GetSeconds()));
            }
        }
        else if (m_life.hard > soft)
        {
            // The other end re-keys first; step in only if it does not.
            soft = soft + (m_life.hard - soft) / 2;
        }
        life.softTime = std::max(soft, MilliSeconds(1));
    }
    life.hardBytes = m_life.hardBytes;
    life.softBytes = m_life.softBytes;
    if (!weInitiated && m_life.softBytes != 0 && m_life.hardBytes > m_life.softBytes)
    {
        // As for time: the other end re-keys first; step in only if it does not.
        life.softBytes = m_life.softBytes + (m_life.hardBytes - m_life.softBytes) / 2;
    }

    auto make = [&](uint32_t spi, Ipv4Address src, Ipv4Address dst, size_t off) {
        Ptr<SecurityAssociation> sa = Create<SecurityAssociation>();
        sa->spi = spi;
        sa->source = src;
        sa->destination = dst;
        sa->protocol = spec.proto;
        sa->mode = spec.mode;
        sa->encryption = enc;
        sa->authentication = auth;
        sa->encryptionKey = part(off, encBytes);
        sa->authenticationKey = part(off + encBytes, authBytes);
        sa->reqid = spec.reqid;
        sa->replayWindow = m_life.replayWindow;
        sa->lifetime = life;
        return sa;
    };
    IkeChildSa c;
    c.id = m_nextId++;
    c.ikeSpi = ikeSpi;
    c.peer = peer;
    c.spec = spec;
    c.spiIn = spiIn;
    c.spiOut = spiOut;
    c.initiatedHere = weInitiated;
    c.inbound = make(spiIn, peer, local, inOff);
    c.outbound = make(spiOut, local, peer, outOff);
    if (m_sap != nullptr)
    {
        m_sap->AddSa(c.inbound);
    }
    bool now = !deferOutbound || !m_life.responderOutboundDelay.IsStrictlyPositive();
    if (now)
    {
        if (m_sap != nullptr)
        {
            m_sap->AddSa(c.outbound);
        }
        c.outboundInstalled = true;
    }
    else
    {
        m_heldBack.insert(c.id);
    }
    NS_LOG_INFO("child SA pair in 0x" << std::hex << spiIn << " out 0x" << spiOut << std::dec
                                      << " with " << peer << " installed"
                                      << (now ? "" : " (outbound held back)"));
    uint64_t id = c.id;
    m_children.emplace(id, std::move(c));
    return id;
}

void
IkeChildSaManager::ArmDeferredOutbound(uint64_t id)
{
    auto it = m_children.find(id);
    if (it == m_children.end() || it->second.outboundInstalled ||
        !m_life.responderOutboundDelay.IsStrictlyPositive())
    {
        return;
    }
    it->second.outboundTimer.Cancel();
    it->second.outboundTimer = Simulator::Schedule(m_life.responderOutboundDelay,
                                                   &IkeChildSaManager::InstallOutbound,
                                                   this,
                                                   id);
}

void
IkeChildSaManager::InstallOutbound(uint64_t id)
{
    auto it = m_children.find(id);
    if (it == m_children.end() || it->second.outboundInstalled || !it->second.outbound ||
        m_sap == nullptr)
    {
        return;
    }
    IkeChildSa& c = it->second;
    c.outboundTimer.Cancel();
    c.outboundInstalled = true;
    m_heldBack.erase(id);
    NS_LOG_INFO("outbound SA 0x" << std::hex << c.spiOut << std::dec << " to " << c.peer
                                 << " goes live");
    m_sap->AddSa(c.outbound);
    if (!m_outboundLive.IsNull())
    {
        m_outboundLive(c.peer);
    }
}

void
IkeChildSaManager::ProtectedReceived()
{
    std::vector<uint64_t> ready;
    for (uint64_t id : m_heldBack)
    {
        auto it = m_children.find(id);
        if (it != m_children.end() && it->second.inbound && it->second.inbound->GetPackets() > 0)
        {
            ready.push_back(id);
        }
    }
    for (uint64_t id : ready)
    {
        InstallOutbound(id);
    }
}

void
IkeChildSaManager::StopSending(uint64_t id)
{
    auto it = m_children.find(id);
    if (it == m_children.end() || !it->second.outbound)
    {
        return;
    }
    IkeChildSa& c = it->second;
    if (c.outboundInstalled)
    {
        if (m_sap != nullptr)
        {
            m_sap->RemoveSa(c.spiOut, c.outbound->destination, c.spec.proto);
        }
        return;
    }
    c.outboundTimer.Cancel();
    m_heldBack.erase(id);
    c.outbound = nullptr;
}

void
IkeChildSaManager::Remove(uint64_t id)
{
    auto it = m_children.find(id);
    if (it == m_children.end())
    {
        return;
    }
    IkeChildSa c = it->second;
    m_children.erase(it);
    m_heldBack.erase(id);
    c.outboundTimer.Cancel();
    if (m_sap == nullptr)
    {
        return;
    }
    if (c.inbound)
    {
        m_sap->RemoveSa(c.spiIn, c.inbound->destination, c.spec.proto);
    }
    if (c.outbound && c.outboundInstalled)
    {
        m_sap->RemoveSa(c.spiOut, c.outbound->destination, c.spec.proto);
    }
}

void
IkeChildSaManager::RemoveChildrenOf(uint64_t ikeSpi)
{
    std::vector<uint64_t> children;
    for (const auto& [id, c] : m_children)
    {
        if (c.ikeSpi == ikeSpi)
        {
            children.push_back(id);
        }
    }
    for (uint64_t id : children)
    {
        Remove(id);
    }
}

void
IkeChildSaManager::Readdress(uint64_t ikeSpi, Ipv4Address local, Ipv4Address peer)
{
    for (auto& [id, c] : m_children)
    {
        if (c.ikeSpi != ikeSpi)
        {
            continue;
        }
        c.peer = peer;
        if (c.inbound && m_sap != nullptr)
        {
            m_sap->ReaddressSa(c.spiIn, c.inbound->destination, c.spec.proto, peer, local);
        }
        if (c.outbound && c.outboundInstalled && m_sap != nullptr)
        {
            m_sap->ReaddressSa(c.spiOut, c.outbound->destination, c.spec.proto, local, peer);
        }
        else if (c.outbound)
        {
            c.outbound->source = local;
            c.outbound->destination = peer;
        }
    }
}

void
IkeChildSaManager::SaRemoved(Ptr<const SecurityAssociation> sa)
{
    std::vector<uint64_t> gone;
    for (auto& [id, c] : m_children)
    {
        if (PeekPointer(c.inbound) == PeekPointer(sa))
        {
            c.inbound = nullptr;
        }
        if (c.outboundInstalled && PeekPointer(c.outbound) == PeekPointer(sa))
        {
            c.outbound = nullptr;
        }
        if (!c.inbound && (!c.outbound || !c.outboundInstalled))
        {
            c.outboundTimer.Cancel();
            gone.push_back(id);
        }
    }
    for (uint64_t id : gone)
    {
        m_children.erase(id);
        m_heldBack.erase(id);
    }
}

IkeChildSa*
IkeChildSaManager::Find(uint64_t id)
{
    auto it = m_children.find(id);
    return it == m_children.end() ? nullptr : &it->second;
}

IkeChildSa*
IkeChildSaManager::FindByOutboundSpi(uint64_t ikeSpi, uint32_t spiOut, IpsecProtocol proto)
{
    IkeChildSa* found = nullptr;
    for (auto& [id, c] : m_children)
    {
        if (c.ikeSpi == ikeSpi && c.spiOut == spiOut && c.spec.proto == proto)
        {
            found = &c;
        }
    }
    return found;
}

IkeChildSa*
IkeChildSaManager::FindBySa(const SecurityAssociation* sa)
{
    for (auto& [id, c] : m_children)
    {
        if (PeekPointer(c.inbound) == sa || PeekPointer(c.outbound) == sa)
        {
            return &c;
        }
    }
    return nullptr;
}

std::vector<uint64_t>
IkeChildSaManager::SuccessorsOf(uint64_t oldId, uint64_t ikeSpi) const
{
    std::vector<uint64_t> v;
    for (const auto& [id, c] : m_children)
    {
        if (c.rekeyOf == oldId && c.ikeSpi == ikeSpi)
        {
            v.push_back(id);
        }
    }
    return v;
}

std::vector<uint64_t>
IkeChildSaManager::HeldBackSuccessorsOf(uint64_t oldId) const
{
    std::vector<uint64_t> v;
    for (const auto& [id, c] : m_children)
    {
        if (c.rekeyOf == oldId && !c.outboundInstalled)
        {
            v.push_back(id);
        }
    }
    return v;
}

std::vector<uint64_t>
IkeChildSaManager::OfIkeSa(uint64_t ikeSpi) const
{
    std::vector<uint64_t> v;
    for (const auto& [id, c] : m_children)
    {
        if (c.ikeSpi == ikeSpi && c.inbound)
        {
            v.push_back(id);
        }
    }
    return v;
}

bool
IkeChildSaManager::HasCurrentPair(Ipv4Address peer, IpsecProtocol proto, IpsecMode mode) const
{
    return std::any_of(m_children.begin(), m_children.end(), [&](const auto& e) {
        const IkeChildSa& c = e.second;
        return c.peer == peer && !c.replaced && c.spec.IsKind(proto, mode);
    });
}

bool
IkeChildSaManager::IsInboundSpi(uint32_t spi) const
{
    return std::any_of(m_children.begin(), m_children.end(), [spi](const auto& e) {
        return e.second.spiIn == spi;
    });
}

uint32_t
IkeChildSaManager::GetN() const
{
    return m_children.size();
}

void
IkeChildSaManager::CancelTimers()
{
    for (auto& [id, c] : m_children)
    {
        c.outboundTimer.Cancel();
    }
}

void
IkeChildSaManager::Clear()
{
    CancelTimers();
    m_children.clear();
    m_heldBack.clear();
    m_sap = nullptr;
    m_rng = nullptr;
}

} // namespace ns3
