/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// IkeProtocol's liveness checks (RFC 7296 §2.4, "dead peer detection"): an IKE SA that has
// heard nothing from its peer for DpdDelay sends an empty INFORMATIONAL request; when its
// retransmissions are exhausted the IKE SA and its child SAs are closed (DEAD_PEER).

#include "ike-protocol.h"

#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IkeLiveness");

void
IkeProtocol::ArmLiveness(IkeSa& ike)
{
    if (!m_cfg.dpdDelay.IsStrictlyPositive() || !m_running)
    {
        return;
    }
    ike.livenessEvent.Cancel();
    Time at = std::max(ike.lastHeard + m_cfg.dpdDelay, Simulator::Now());
    uint64_t spi = ike.localSpi;
    ike.livenessEvent =
        Simulator::Schedule(at - Simulator::Now(), [this, spi]() { CheckLiveness(spi); });
}

void
IkeProtocol::CheckLiveness(uint64_t localSpi)
{
    auto it = m_ikeSas.find(localSpi);
    if (it == m_ikeSas.end() || !m_running || it->second.state != IkeState::ESTABLISHED)
    {
        return;
    }
    IkeSa& ike = it->second;
    // The IPsec layer does not say when an inbound SA was last used (Linux's use time, which
    // strongSwan reads); a packet count that moved since the last check counts as heard now.
    uint64_t packets = 0;
    for (uint64_t id : m_childSas.OfIkeSa(localSpi))
    {
        packets += m_childSas.Find(id)->inbound->GetPackets();
    }
    if (packets != ike.inboundPackets)
    {
        ike.inboundPackets = packets;
        ike.lastHeard = Simulator::Now();
    }
    bool quiet = Simulator::Now() - ike.lastHeard >= m_cfg.dpdDelay;
    // A request of ours under way tests the peer as well: its retransmissions fail the IKE SA.
    if (quiet && !ike.current && ike.queue.empty() && !ike.HasOutstanding())
    {
        IkeRequest r;
        r.isLiveness = true;
        r.start = Simulator::Now();
        ike.queue.push_back(std::move(r));
        Pump(ike);
        if (m_ikeSas.count(localSpi) == 0)
        {
            return;
        }
    }
    if (quiet)
    {
        ike.livenessEvent =
            Simulator::Schedule(m_cfg.dpdDelay, [this, localSpi]() { CheckLiveness(localSpi); });
        return;
    }
    ArmLiveness(ike);
}

void
IkeProtocol::SendLivenessCheck(IkeSa& ike)
{
    NS_LOG_INFO("node " << GetNode()->GetId() << " checks that " << ike.peer << " is alive");
    ++m_stats.livenessChecks;
    IkeMessage m;
    m.header.exchangeType = static_cast<uint8_t>(IkeExchangeType::INFORMATIONAL);
    m.encrypted = true;
    SendRequest(ike, std::move(m), Time(0));
}

} // namespace ns3
