/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// IkeProtocol's INFORMATIONAL exchanges (RFC 7296 §1.4): Delete payloads for Child SAs and
// for the IKE SA. (MOBIKE's address updates are INFORMATIONAL too: ike-mobility.cc; the
// liveness checks' empty ones: ike-liveness.cc.)

#include "ike-key-schedule.h"
#include "ike-protocol.h"
#include "ike-traffic-selectors.h"

#include "ns3/crypto-cost-model.h"
#include "ns3/crypto-profile.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IkeInformationalExchanges");

void
IkeProtocol::DeleteChildSas(Ipv4Address peer, DoneCallback done)
{
    NS_LOG_FUNCTION(this << peer);
    QueueDelete(peer, false, done);
}

void
IkeProtocol::DeleteIkeSa(Ipv4Address peer, DoneCallback done)
{
    NS_LOG_FUNCTION(this << peer);
    QueueDelete(peer, true, done);
}

void
IkeProtocol::QueueDelete(Ipv4Address peer, bool deleteIke, DoneCallback done)
{
    IkeSa* ike = m_running ? FindIkeSa(peer, false) : nullptr;
    if (ike == nullptr)
    {
        if (!done.IsNull())
        {
            Simulator::ScheduleNow([done, peer]() { done(false, peer); });
        }
        return;
    }
    ChildRequest r;
    r.isDelete = true;
    r.deleteIke = deleteIke;
    r.done = done;
    r.start = Simulator::Now();
    ike->queue.push_back(std::move(r));
    Pump(*ike);
}

void
IkeProtocol::SendDelete(IkeSa& ike)
{
    ChildRequest& req = *ike.current;
    IkeMessage m;
    m.header.exchangeType = static_cast<uint8_t>(IkeExchangeType::INFORMATIONAL);
    m.encrypted = true;
    if (req.deleteIke)
    {
        // The child SAs go with the IKE SA once the peer answers (RFC 7296 §1.4.1).
        m.payloads.push_back(IkePayload::MakeDelete(ike::PROTO_IKE, {}));
        SendRequest(ike, std::move(m), Time(0));
        return;
    }
    std::vector<uint64_t> named;
    named.swap(req.deleting);
    std::map<uint8_t, std::vector<uint32_t>> spis;
    for (uint64_t id : m_childSas.OfIkeSa(ike.localSpi))
    {
        if (!named.empty() && std::find(named.begin(), named.end(), id) == named.end())
        {
            continue;
        }
        const IkeChildSa& c = *m_childSas.Find(id);
        req.deleting.push_back(id);
        spis[c.spec.proto == IpsecProtocol::AH ? ike::PROTO_AH : ike::PROTO_ESP].push_back(c.spiIn);
    }
    // Nothing more leaves on these SAs (RFC 7296 §1.4.1); their inbound SAs stay until the
    // answer, for the packets the peer sent before it saw the Delete.
    for (uint64_t id : req.deleting)
    {
        m_childSas.StopSending(id);
    }
    if (!named.empty() && req.deleting.empty())
    {
        // Gone meanwhile (hard lifetime, the peer's Delete): nothing to send.
        FinishCurrent(ike, true, "");
        Pump(ike);
        return;
    }
    for (const auto& [proto, list] : spis)
    {
        m.payloads.push_back(IkePayload::MakeDelete(proto, list));
    }
    SendRequest(ike, std::move(m), Time(0));
}

void
IkeProtocol::HandleInformationalRequest(IkeSa& ike, const IkeMessage& msg)
{
    IkeMessage r;
    r.header.exchangeType = static_cast<uint8_t>(IkeExchangeType::INFORMATIONAL);
    r.encrypted = true;
    bool deleteIke = false;
    for (const auto& p : msg.payloads)
    {
        if (p.type != IkePayloadType::DELETE)
        {
            continue;
        }
        if (p.protocolId == ike::PROTO_IKE)
        {
            deleteIke = true;
            continue;
        }
        if (p.spiSize != 4)
        {
            continue;
        }
        IpsecProtocol proto =
            p.protocolId == ike::PROTO_AH ? IpsecProtocol::AH : IpsecProtocol::ESP;
        std::vector<uint32_t> ours;
        for (size_t k = 0; k + 4 <= p.deleteSpis.size(); k += 4)
        {
            uint32_t s = (uint32_t(p.deleteSpis[k]) << 24) | (uint32_t(p.deleteSpis[k + 1]) << 16) |
                         (uint32_t(p.deleteSpis[k + 2]) << 8) | p.deleteSpis[k + 3];
            if (const IkeChildSa* victim = m_childSas.FindByOutboundSpi(ike.localSpi, s, proto))
            {
                uint64_t id = victim->id;
                ours.push_back(victim->spiIn);
                // The peer re-keyed this pair and deletes the old one (RFC 7296 §2.8): it
                // has the new pair installed, so our new outbound SA goes live now.
                for (uint64_t sid : m_childSas.HeldBackSuccessorsOf(id))
                {
                    m_childSas.InstallOutbound(sid);
                }
                m_childSas.Remove(id);
            }
        }
        if (!ours.empty())
        {
            r.payloads.push_back(IkePayload::MakeDelete(p.protocolId, ours));
        }
    }
    uint64_t spi = ike.localSpi;
    if (deleteIke)
    {
        // RFC 7296 §1.4.1: the IKE SA and the child SAs negotiated under it go now; the
        // (empty) answer still leaves under the IKE SA's keys.
        m_childSas.RemoveChildrenOf(spi);
        r.payloads.clear();
    }
    SendResponse(ike, std::move(r), Time(0), [this, spi, deleteIke]() {
        if (deleteIke)
        {
            CloseIkeSa(spi);
        }
    });
}

void
IkeProtocol::HandleInformationalResponse(IkeSa& ike, const IkeMessage&)
{
    if (ike.current && ike.current->isUpdate)
    {
        FinishAddressUpdate(ike);
    }
    if (ike.current && ike.current->isLiveness)
    {
        FinishCurrent(ike, true, "");
        ArmLiveness(ike);
    }
    if (ike.current && ike.current->isDelete)
    {
        for (uint64_t id : ike.current->deleting)
        {
            m_childSas.Remove(id);
        }
        if (ike.current->deleteIke)
        {
            ChildRequest req = std::move(*ike.current);
            ike.current.reset();
            Ipv4Address peer = ike.peer;
            CloseIkeSa(ike.localSpi); // ike is gone after this
            if (!req.done.IsNull())
            {
                req.done(true, peer);
            }
            return;
        }
        FinishCurrent(ike, true, "");
    }
    Pump(ike);
}

} // namespace ns3
