/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// IkeProtocol's CREATE_CHILD_SA exchanges (RFC 7296 §1.3): further Child SAs, re-keys and
// their collisions (§2.8, §2.8.1).

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

NS_LOG_COMPONENT_DEFINE("IkeChildExchanges");

void
IkeProtocol::SendCreateChild(IkeSa& ike)
{
    ChildRequest& req = *ike.current;
    const IkeChildSa* old = nullptr;
    if (req.rekeyOf != 0)
    {
        old = m_childSas.Find(req.rekeyOf);
        if (old == nullptr || old->replaced)
        {
            ike.current.reset(); // nothing left to re-key
            Pump(ike);
            return;
        }
    }
    req.spiIn = NewChildSpi(ike.local, req.spec.proto);
    req.nonce = RandomBytes(m_cfg.nonceSize);
    IkeMessage m;
    m.header.exchangeType = static_cast<uint8_t>(IkeExchangeType::CREATE_CHILD_SA);
    m.encrypted = true;
    if (old != nullptr)
    {
        m.payloads.push_back(IkePayload::MakeNotify(
            ike::N_REKEY_SA,
            {},
            old->spec.proto == IpsecProtocol::AH ? ike::PROTO_AH : ike::PROTO_ESP,
            ike::Be32(old->spiIn)));
    }
    m.payloads.push_back(IkePayload::MakeSa({Proposals().Child(req.spec, req.spiIn, m_cfg.pfs)}));
    m.payloads.push_back(IkePayload::MakeNonce(req.nonce));
    Time delay(0);
    if (m_cfg.pfs)
    {
        req.kePublic = RandomBytes(IkeProposals::GroupSize(Proposals().Group()));
        m.payloads.push_back(IkePayload::MakeKe(Proposals().Group(), req.kePublic));
        delay = Charge({IkeProposals::DhOperation(Proposals().Group())});
    }
    m.payloads.push_back(ikev2::RequestTs(req.spec, ike.local, ike.peer, true));
    m.payloads.push_back(ikev2::RequestTs(req.spec, ike.local, ike.peer, false));
    if (req.spec.mode == IpsecMode::TRANSPORT)
    {
        m.payloads.push_back(IkePayload::MakeNotify(ike::N_USE_TRANSPORT_MODE));
    }
    SendRequest(ike, std::move(m), delay);
}

void
IkeProtocol::HandleCreateChildRequest(IkeSa& ike, const IkeMessage& msg)
{
    uint64_t spi = ike.localSpi;
    IkeMessage r;
    r.header.exchangeType = static_cast<uint8_t>(IkeExchangeType::CREATE_CHILD_SA);
    r.encrypted = true;
    auto refuse = [&](uint16_t notify, bool trace) {
        r.payloads.push_back(IkePayload::MakeNotify(notify));
        if (trace)
        {
            ++m_stats.failures;
            m_user->Failed(ike.peer, ike::NotifyReason(notify));
        }
        SendResponse(ike, std::move(r), Time(0));
    };
    const IkePayload* sa = msg.Find(IkePayloadType::SA);
    const IkePayload* nonce = msg.Find(IkePayloadType::NONCE);
    const IkePayload* tsi = msg.Find(IkePayloadType::TSI);
    const IkePayload* tsr = msg.Find(IkePayloadType::TSR);
    if (sa == nullptr || nonce == nullptr || tsi == nullptr || tsr == nullptr ||
        sa->proposals.empty() || nonce->data.size() < 16)
    {
        refuse(ike::N_INVALID_SYNTAX, true);
        return;
    }
    IkeChildSa* old = nullptr;
    if (const IkePayload* rk = msg.FindNotify(ike::N_REKEY_SA))
    {
        IpsecProtocol proto =
            rk->protocolId == ike::PROTO_AH ? IpsecProtocol::AH : IpsecProtocol::ESP;
        old = m_childSas.FindByOutboundSpi(ike.localSpi, rk->GetSpi32(), proto);
        if (old == nullptr)
        {
            refuse(ike::N_CHILD_SA_NOT_FOUND, false);
            return;
        }
        // A re-key of ours of the same child in flight is a collision: answer as usual;
        // FinishRekey sorts it out once both exchanges completed (RFC 7296 §2.8.1).
        uint64_t oldId = old->id;
        ike.queue.erase(
            std::remove_if(ike.queue.begin(),
                           ike.queue.end(),
                           [oldId](const ChildRequest& q) { return q.rekeyOf == oldId; }),
            ike.queue.end());
    }
    IkeChildSpec spec;
    spec.mode =
        msg.FindNotify(ike::N_USE_TRANSPORT_MODE) ? IpsecMode::TRANSPORT : IpsecMode::TUNNEL;
    uint16_t dh = 0;
    if (!AcceptChildProposal(sa->proposals[0], spec, dh) ||
        (old != nullptr && !old->spec.IsKind(spec.proto, spec.mode)))
    {
        refuse(ike::N_NO_PROPOSAL_CHOSEN, true);
        return;
    }
    if (!ikev2::NarrowTs(TunnelPolicies(), ike.local, ike.peer, spec, *tsi, *tsr))
    {
        refuse(ike::N_TS_UNACCEPTABLE, true);
        return;
    }
    const IkePayload* ke = msg.Find(IkePayloadType::KE);
    if (dh != 0 &&
        (ke == nullptr || ke->group != dh || ke->data.size() != IkeProposals::GroupSize(dh)))
    {
        refuse(ike::N_INVALID_KE_PAYLOAD, true);
        return;
    }
    if (old != nullptr)
    {
        spec.reqid = old->spec.reqid;
    }
    uint32_t spiOut = sa->proposals[0].GetSpi32();
    uint32_t spiIn = NewChildSpi(ike.local, spec.proto);
    std::vector<uint8_t> nr = RandomBytes(m_cfg.nonceSize);
    std::vector<uint8_t> gir;
    std::vector<uint8_t> keR;
    Time delay(0);
    if (dh != 0)
    {
        keR = RandomBytes(IkeProposals::GroupSize(dh));
        gir = SharedSecret(ke->data, keR, dh);
        delay = Charge({IkeProposals::DhOperation(dh), IkeProposals::DhOperation(dh)});
    }

    IkeProposal prop = Proposals().Child(spec, spiIn, false);
    if (dh != 0)
    {
        prop.transforms.insert(prop.transforms.end() - 1, {ike::TRANSFORM_DH, dh, std::nullopt});
    }
    r.payloads.push_back(IkePayload::MakeSa({prop}));
    r.payloads.push_back(IkePayload::MakeNonce(nr));
    if (dh != 0)
    {
        r.payloads.push_back(IkePayload::MakeKe(dh, keR));
    }
    r.payloads.push_back(IkePayload::MakeTs(false, {*spec.tsRemote}));
    r.payloads.push_back(IkePayload::MakeTs(true, {*spec.tsLocal}));
    if (spec.mode == IpsecMode::TRANSPORT)
    {
        r.payloads.push_back(IkePayload::MakeNotify(ike::N_USE_TRANSPORT_MODE));
    }
    uint64_t oldId = 0;
    uint32_t oldSpiIn = 0;
    if (old != nullptr)
    {
        old->replaced = true;
        old->rekeying = false;
        oldId = old->id;
        oldSpiIn = old->spiIn;
    }
    uint64_t childId = InstallChild(ike, spec, spiIn, spiOut, gir, nonce->data, nr, false);
    if (old != nullptr)
    {
        IkeChildSa& c = *m_childSas.Find(childId);
        c.rekeyOf = oldId;
        c.lowNonce = std::min(nonce->data, nr);
    }
    Time received = Simulator::Now();
    SendResponse(
        ike,
        std::move(r),
        delay,
        [this, spi, childId, spiIn, spiOut, oldId, oldSpiIn, received]() {
            auto it = m_ikeSas.find(spi);
            if (it == m_ikeSas.end())
            {
                return;
            }
            m_childSas.ArmDeferredOutbound(childId);
            if (oldId != 0)
            {
                ++m_stats.rekeys;
                m_user->Rekeyed(it->second.peer, oldSpiIn, spiIn, spiOut);
                FinishRekey(it->second, oldId);
            }
            else
            {
                ++m_stats.established;
                m_user->Established(it->second.peer, spiIn, spiOut, Simulator::Now() - received);
                NotifyChildUsable(it->second.peer);
            }
            Pump(it->second);
        });
}

void
IkeProtocol::HandleCreateChildResponse(IkeSa& ike, const IkeMessage& msg)
{
    if (!ike.current)
    {
        Pump(ike);
        return;
    }
    uint64_t spi = ike.localSpi;
    ChildRequest& req = *ike.current;
    if (const IkePayload* n = msg.FindErrorNotify())
    {
        if (n->notifyType == ike::N_TEMPORARY_FAILURE && req.rekeyOf != 0)
        {
            // RFC 7296 §2.25: the peer cannot re-key now; try again a little later (the
            // child stays marked as re-keying meanwhile).
            ChildRequest retry = std::move(req);
            ike.current.reset();
            Simulator::Schedule(m_cfg.rto, [this, spi, retry]() {
                IkeChildSa* c = m_childSas.Find(retry.rekeyOf);
                auto it = m_ikeSas.find(spi);
                if (c == nullptr || c->replaced)
                {
                    return;
                }
                if (it == m_ikeSas.end() || m_stopped)
                {
                    c->rekeying = false;
                    return;
                }
                it->second.queue.push_back(retry);
                Pump(it->second);
            });
            Pump(ike);
            return;
        }
        FinishCurrent(ike, false, ike::NotifyReason(n->notifyType));
        Pump(ike);
        return;
    }
    const IkePayload* sa = msg.Find(IkePayloadType::SA);
    const IkePayload* nonce = msg.Find(IkePayloadType::NONCE);
    const IkePayload* ke = msg.Find(IkePayloadType::KE);
    IkeChildSpec spec = req.spec;
    uint16_t dh = 0;
    bool ok = sa != nullptr && nonce != nullptr && sa->proposals.size() == 1 &&
              nonce->data.size() >= 16 && AcceptChildProposal(sa->proposals[0], spec, dh) &&
              spec.proto == req.spec.proto && (dh != 0) == m_cfg.pfs &&
              (dh == 0 || (ke != nullptr && ke->group == dh &&
                           ke->data.size() == IkeProposals::GroupSize(dh)));
    if (!ok)
    {
        FinishCurrent(ike, false, "invalid-response");
        Pump(ike);
        return;
    }
    uint32_t spiOut = sa->proposals[0].GetSpi32();
    std::vector<uint8_t> gir;
    Time delay(0);
    if (dh != 0)
    {
        gir = SharedSecret(req.kePublic, ke->data, dh);
        delay = Charge({IkeProposals::DhOperation(dh)});
    }
    bool tsOk = ikev2::TakeResponseTs(req.spec, msg);
    std::vector<uint8_t> lowNonce = std::min(req.nonce, nonce->data);
    Simulator::Schedule(
        delay,
        [this, spi, spiOut, tsOk, gir, ni = req.nonce, nr = nonce->data, lowNonce]() {
            auto it = m_ikeSas.find(spi);
            if (it == m_ikeSas.end() || !it->second.current)
            {
                return;
            }
            IkeSa& s = it->second;
            const ChildRequest& r = *s.current;
            uint64_t childId = InstallAnswered(s, spiOut, gir, ni, nr, tsOk);
            if (childId == 0)
            {
                return;
            }
            uint64_t oldId = r.rekeyOf;
            if (oldId != 0)
            {
                uint32_t oldSpiIn = 0;
                if (IkeChildSa* old = m_childSas.Find(oldId))
                {
                    old->replaced = true;
                    old->rekeying = false;
                    oldSpiIn = old->spiIn;
                    IkeChildSa& c = *m_childSas.Find(childId);
                    c.rekeyOf = oldId;
                    c.lowNonce = lowNonce;
                }
                ++m_stats.rekeys;
                m_user->Rekeyed(s.peer, oldSpiIn, r.spiIn, spiOut);
            }
            else
            {
                ++m_stats.established;
                m_user->Established(s.peer, r.spiIn, spiOut, Simulator::Now() - r.start);
                NotifyChildUsable(s.peer);
            }
            FinishCurrent(s, true, "");
            if (oldId != 0)
            {
                FinishRekey(s, oldId);
            }
            Pump(s);
        });
}

void
IkeProtocol::FinishRekey(IkeSa& ike, uint64_t oldId)
{
    if (ike.current && !ike.current->isDelete && ike.current->rekeyOf == oldId)
    {
        return; // our own re-key of it is still under way: decide when it completes
    }
    std::vector<uint64_t> successors = m_childSas.SuccessorsOf(oldId, ike.localSpi);
    if (successors.empty())
    {
        return;
    }
    uint64_t kept = successors.front();
    if (successors.size() > 1)
    {
        // RFC 7296 §2.8.1: both re-keys of the child completed. The pair created with the
        // lowest of the four nonces is redundant; the end that created it deletes it. The
        // end that created the other one deletes the old pair, as after any re-key.
        IkeChildSa& a = *m_childSas.Find(successors[0]);
        IkeChildSa& b = *m_childSas.Find(successors[1]);
        IkeChildSa& redundant = a.lowNonce < b.lowNonce ? a : b;
        kept = &redundant == &a ? b.id : a.id;
        redundant.rekeyOf = 0;
        ++m_stats.rekeyCollisions;
        NS_LOG_INFO("node " << GetNode()->GetId() << ": simultaneous re-key, pair in 0x" << std::hex
                            << redundant.spiIn << std::dec << " is redundant");
        if (redundant.initiatedHere)
        {
            ++m_stats.collisionsLost;
            QueueChildDelete(ike, {redundant.id});
        }
    }
    if (m_childSas.Find(kept)->initiatedHere && m_childSas.Find(oldId) != nullptr)
    {
        QueueChildDelete(ike, {oldId});
    }
}

uint64_t
IkeProtocol::InstallChild(const IkeSa& ike,
                          const IkeChildSpec& spec,
                          uint32_t spiIn,
                          uint32_t spiOut,
                          const std::vector<uint8_t>& gir,
                          const std::vector<uint8_t>& ni,
                          const std::vector<uint8_t>& nr,
                          bool weInitiated)
{
    // The responder holds its outbound SA back (ResponderOutboundDelay).
    return m_childSas.Install(ike.localSpi,
                              ike.local,
                              ike.peer,
                              spec,
                              spiIn,
                              spiOut,
                              ike.skD,
                              gir,
                              ni,
                              nr,
                              weInitiated,
                              !weInitiated);
}

uint64_t
IkeProtocol::InstallAnswered(IkeSa& ike,
                             uint32_t spiOut,
                             const std::vector<uint8_t>& gir,
                             const std::vector<uint8_t>& ni,
                             const std::vector<uint8_t>& nr,
                             bool tsOk)
{
    const ChildRequest& r = *ike.current;
    uint64_t childId = InstallChild(ike, r.spec, r.spiIn, spiOut, gir, ni, nr, true);
    if (!tsOk)
    {
        RefuseWidenedTs(ike, childId);
        return 0;
    }
    return childId;
}

void
IkeProtocol::RefuseWidenedTs(IkeSa& ike, uint64_t childId)
{
    // RFC 7296 §2.9: the responder may narrow, never widen. The pair exists at both ends by
    // now (the responder installed its side when it answered): delete it as any other.
    NS_LOG_WARN("node " << GetNode()->GetId() << ": " << ike.peer
                        << " answered with traffic selectors outside the proposal");
    QueueChildDelete(ike, {childId});
    FinishCurrent(ike, false, "ts-unacceptable");
    Pump(ike);
}

void
IkeProtocol::QueueChildDelete(IkeSa& ike, const std::vector<uint64_t>& children)
{
    auto pending = [&children](const ChildRequest& r) {
        for (uint64_t id : children)
        {
            if (r.isDelete && !r.deleteIke &&
                std::find(r.deleting.begin(), r.deleting.end(), id) != r.deleting.end())
            {
                return true;
            }
        }
        return false;
    };
    if ((ike.current && pending(*ike.current)) ||
        std::any_of(ike.queue.begin(), ike.queue.end(), pending))
    {
        return;
    }
    ChildRequest r;
    r.isDelete = true;
    r.deleting = children;
    r.start = Simulator::Now();
    ike.queue.push_back(std::move(r));
}

} // namespace ns3
