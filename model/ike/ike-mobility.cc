/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// IkeProtocol's mobility: address changes of the node, MOBIKE (RFC 4555) address updates, the
// local deletion of IKE SAs whose address is gone, and the hand-over counters.

#include "ike-protocol.h"

#include "ns3/log.h"
#include "ns3/node-addresses.h"
#include "ns3/node.h"
#include "ns3/simulator.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IkeMobility");

namespace
{

/** \return whether \p v holds \p a */
bool
Contains(const std::vector<Ipv4Address>& v, Ipv4Address a)
{
    return std::find(v.begin(), v.end(), a) != v.end();
}

} // namespace

void
IkeProtocol::AddressesChanged(const std::vector<Ipv4Address>& now)
{
    if (!m_running)
    {
        return;
    }
    std::vector<Ipv4Address> added;
    for (Ipv4Address a : now)
    {
        if (!Contains(m_addresses, a))
        {
            added.push_back(a);
        }
    }
    for (Ipv4Address a : m_addresses)
    {
        if (!Contains(now, a))
        {
            m_addressLost = true;
        }
    }
    m_addresses = now;
    // IKE SAs whose local address went away: nothing may be sent into them any more.
    std::vector<uint64_t> drop;
    for (auto& [spi, ike] : m_ikeSas)
    {
        if (ike.localGone || ike.local == Ipv4Address::GetAny() || Contains(now, ike.local))
        {
            continue;
        }
        ike.HoldRetransmission();
        if (m_cfg.mobike && ike.mobike && ike.state == IkeState::ESTABLISHED &&
            !ike.HasOutstanding() && !ike.current)
        {
            OnLocalAddressGone(ike);
        }
        else
        {
            drop.push_back(spi);
        }
    }
    for (uint64_t spi : drop)
    {
        DropIkeSaLocally(spi, "local-address-gone");
    }
    if (!added.empty() && m_addressLost)
    {
        m_addressLost = false;
        OpenHandover(added.front(), true);
    }
    // MOBIKE initiators whose address went away update from the new one (RFC 4555 §3.5).
    for (auto& [spi, ike] : m_ikeSas)
    {
        if (!ike.localGone || !ike.initiator)
        {
            continue;
        }
        Ipv4Address local = LocalAddressFor(ike.peer);
        if (Contains(now, local))
        {
            StartAddressUpdate(ike, local, ike.peer, DoneCallback());
        }
    }
}

void
IkeProtocol::OnLocalAddressGone(IkeSa& ike)
{
    NS_LOG_INFO("node " << GetNode()->GetId() << ": address " << ike.local << " of the IKE SA with "
                        << ike.peer << " went away; "
                        << (ike.initiator ? "updating from the new address"
                                          : "waiting for the initiator's UPDATE_SA_ADDRESSES"));
    ike.localGone = true;
    uint64_t spi = ike.localSpi;
    ike.localGoneEvent.Cancel();
    ike.localGoneEvent = Simulator::Schedule(m_cfg.mobikeWait, [this, spi]() {
        DropIkeSaLocally(spi, "mobike-timeout");
    });
}

void
IkeProtocol::DropIkeSaLocally(uint64_t localSpi, const std::string& reason)
{
    auto it = m_ikeSas.find(localSpi);
    if (it == m_ikeSas.end())
    {
        return;
    }
    NS_LOG_INFO("node " << GetNode()->GetId() << " deletes its IKE SA with " << it->second.peer
                        << " locally: " << reason);
    it->second.HoldRetransmission();
    it->second.localGoneEvent.Cancel();
    ++m_stats.ikeSasDroppedOnMove;
    FailIkeSa(localSpi, reason); // closes the IKE SA and its children (RFC 7296 §1.4.1)
}

bool
IkeProtocol::FollowPeer(Ipv4Address from, Ipv4Address to, DoneCallback done)
{
    NS_LOG_FUNCTION(this << from << to);
    if (!m_running || from == to)
    {
        return false;
    }
    OpenHandover(to, false);
    std::vector<uint64_t> drop;
    for (auto& [spi, ike] : m_ikeSas)
    {
        if (ike.peer != from)
        {
            continue;
        }
        bool mobike = m_cfg.mobike && ike.mobike && ike.state == IkeState::ESTABLISHED;
        if (mobike && ike.initiator && !ike.HasOutstanding() && !ike.current)
        {
            StartAddressUpdate(ike, LocalAddressFor(to), to, done);
            return true;
        }
        if (mobike && !ike.initiator)
        {
            // Only the original initiator updates (RFC 4555 §3.5): wait for it.
            ike.HoldRetransmission();
            OnLocalAddressGone(ike);
            continue;
        }
        drop.push_back(spi);
    }
    for (uint64_t spi : drop)
    {
        DropIkeSaLocally(spi, "peer-moved");
    }
    return false;
}

bool
IkeProtocol::IsMobike(Ipv4Address peer) const
{
    for (const auto& [spi, ike] : m_ikeSas)
    {
        if (ike.peer == peer && ike.state == IkeState::ESTABLISHED && ike.mobike)
        {
            return true;
        }
    }
    return false;
}

void
IkeProtocol::StartAddressUpdate(IkeSa& ike, Ipv4Address local, Ipv4Address peer, DoneCallback done)
{
    NS_LOG_INFO("node " << GetNode()->GetId() << " moves its IKE SA " << ike.local << " <-> "
                        << ike.peer << " to " << local << " <-> " << peer
                        << " (UPDATE_SA_ADDRESSES)");
    ChildRequest r;
    r.isUpdate = true;
    r.done = done;
    r.start = Simulator::Now();
    r.oldLocal = ike.local;
    r.oldPeer = ike.peer;
    // The initiator takes the new addresses into use at once (RFC 4555 §3.5): the request
    // and its retransmissions go there.
    ike.local = local;
    ike.peer = peer;
    ike.localGone = false;
    ike.localGoneEvent.Cancel();
    ike.current = std::move(r);
    SendAddressUpdate(ike);
}

void
IkeProtocol::SendAddressUpdate(IkeSa& ike)
{
    IkeMessage m;
    m.header.exchangeType = static_cast<uint8_t>(IkeExchangeType::INFORMATIONAL);
    m.encrypted = true;
    m.payloads.push_back(IkePayload::MakeNotify(ike::N_UPDATE_SA_ADDRESSES));
    // RFC 7296 §2.23 from the new addresses: no NAT here, but the peer may check.
    m.payloads.push_back(IkePayload::MakeNotify(ike::N_NAT_DETECTION_SOURCE_IP,
                                                NatHash(ike.spiI, ike.spiR, ike.local)));
    m.payloads.push_back(IkePayload::MakeNotify(ike::N_NAT_DETECTION_DESTINATION_IP,
                                                NatHash(ike.spiI, ike.spiR, ike.peer)));
    SendRequest(ike, std::move(m), Time(0));
}

bool
IkeProtocol::IsAddressUpdate(const IkeMessage& msg)
{
    return msg.FindNotify(ike::N_UPDATE_SA_ADDRESSES) != nullptr;
}

void
IkeProtocol::HandleAddressUpdate(IkeSa& ike,
                                 const IkeMessage& msg,
                                 Ipv4Address from,
                                 Ipv4Address local)
{
    IkeMessage r;
    r.header.exchangeType = static_cast<uint8_t>(IkeExchangeType::INFORMATIONAL);
    r.encrypted = true;
    const IkePayload* natSrc = msg.FindNotify(ike::N_NAT_DETECTION_SOURCE_IP);
    const IkePayload* natDst = msg.FindNotify(ike::N_NAT_DETECTION_DESTINATION_IP);
    bool natOk = natSrc && natDst && natSrc->data == NatHash(ike.spiI, ike.spiR, from) &&
                 natDst->data == NatHash(ike.spiI, ike.spiR, local);
    if (!natOk)
    {
        NS_LOG_INFO("node " << GetNode()->GetId() << ": UPDATE_SA_ADDRESSES from " << from
                            << " with NAT detection showing a NAT (or none): addresses taken "
                               "from the IP header all the same");
    }
    if (ike.mobike && !ike.initiator)
    {
        Ipv4Address oldLocal = ike.local;
        Ipv4Address oldPeer = ike.peer;
        ike.local = local;
        ike.peer = from;
        ike.localGone = false;
        ike.localGoneEvent.Cancel();
        m_childSas.Readdress(ike.localSpi, ike.local, ike.peer);
        NS_LOG_INFO("node " << GetNode()->GetId() << ": child SAs " << oldLocal << " <-> "
                            << oldPeer << " now " << ike.local << " <-> " << ike.peer
                            << " (SPIs kept)");
        ++m_stats.addressUpdates;
        if (m_openHandover)
        {
            m_stats.handovers[*m_openHandover].mobike = true;
        }
        NS_LOG_INFO("node " << GetNode()->GetId() << " moved its IKE SA to " << local << " <-> "
                            << from);
    }
    r.payloads.push_back(IkePayload::MakeNotify(ike::N_NAT_DETECTION_SOURCE_IP,
                                                NatHash(ike.spiI, ike.spiR, ike.local)));
    r.payloads.push_back(IkePayload::MakeNotify(ike::N_NAT_DETECTION_DESTINATION_IP,
                                                NatHash(ike.spiI, ike.spiR, ike.peer)));
    SendResponse(ike, std::move(r), Time(0));
    Pump(ike); // requests held while our address was gone
}

void
IkeProtocol::FinishAddressUpdate(IkeSa& ike)
{
    const ChildRequest& req = *ike.current;
    m_childSas.Readdress(ike.localSpi, ike.local, ike.peer);
    NS_LOG_INFO("node " << GetNode()->GetId() << ": child SAs " << req.oldLocal << " <-> "
                        << req.oldPeer << " now " << ike.local << " <-> " << ike.peer
                        << " (SPIs kept)");
    // New children asked for while the IKE SA was moving (the application registering for
    // the new address): those whose SAs came along are done without a negotiation.
    std::deque<ChildRequest> keep;
    for (auto& r : ike.queue)
    {
        if (!r.isDelete && !r.isUpdate && r.rekeyOf == 0 &&
            m_km->HasOutboundSa(ike.local, ike.peer, r.spec.proto, r.spec.mode, r.spec.reqid))
        {
            NS_LOG_INFO("node " << GetNode()->GetId() << ": the " << ns3::ToString(r.spec.proto)
                                << " SAs asked for came with the move");
            if (!r.done.IsNull())
            {
                Simulator::ScheduleNow([done = r.done, peer = ike.peer]() { done(true, peer); });
            }
            continue;
        }
        keep.push_back(std::move(r));
    }
    ike.queue = std::move(keep);
    ++m_stats.addressUpdates;
    if (m_openHandover)
    {
        m_stats.handovers[*m_openHandover].mobike = true;
    }
    FinishCurrent(ike, true, "");
}

void
IkeProtocol::AddMobikeSupported(IkeMessage& m) const
{
    if (m_cfg.mobike)
    {
        m.payloads.push_back(IkePayload::MakeNotify(ike::N_MOBIKE_SUPPORTED));
    }
}

void
IkeProtocol::NoteMobikeSupported(IkeSa& ike, const IkeMessage& msg) const
{
    ike.mobike = m_cfg.mobike && msg.FindNotify(ike::N_MOBIKE_SUPPORTED) != nullptr;
}

void
IkeProtocol::OpenHandover(Ipv4Address address, bool own)
{
    Stats::Handover h;
    h.start = Simulator::Now();
    h.address = address;
    h.ownAddress = own;
    m_stats.handovers.push_back(h);
    m_openHandover = m_stats.handovers.size() - 1;
}

void
IkeProtocol::CloseHandover(Ipv4Address ours, Ipv4Address theirs)
{
    if (!m_openHandover)
    {
        return;
    }
    Stats::Handover& h = m_stats.handovers[*m_openHandover];
    if ((h.ownAddress && ours == h.address) || (!h.ownAddress && theirs == h.address))
    {
        h.toProtection = Simulator::Now() - h.start;
        m_openHandover.reset();
    }
}

} // namespace ns3
