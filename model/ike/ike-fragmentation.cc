/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// IkeProtocol's IKE message fragmentation (RFC 7383): announced in IKE_SA_INIT; a protected
// message larger than FragmentSize allows leaves in SKF fragments (IkeMessage::ToFragments,
// from IkeProtocol::Serialize), and fragments are verified, kept and put together here.

#include "ike-protocol.h"

#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IkeFragmentation");

void
IkeProtocol::AddFragmentationSupported(IkeMessage& m, const IkeMessage* request) const
{
    if (m_cfg.fragmentation &&
        (request == nullptr ||
         request->FindNotify(ike::N_IKEV2_FRAGMENTATION_SUPPORTED) != nullptr))
    {
        m.payloads.push_back(IkePayload::MakeNotify(ike::N_IKEV2_FRAGMENTATION_SUPPORTED));
    }
}

void
IkeProtocol::NoteFragmentationSupported(IkeSa& ike, const IkeMessage& msg) const
{
    ike.fragmentation =
        m_cfg.fragmentation && msg.FindNotify(ike::N_IKEV2_FRAGMENTATION_SUPPORTED) != nullptr;
}

bool
IkeProtocol::TakeFragment(IkeSa& ike,
                          IkeMessage& msg,
                          const std::vector<uint8_t>& raw,
                          Ptr<Packet> p,
                          Ipv4Address from,
                          const std::function<void()>& counted)
{
    const IkeHeader& h = msg.header;
    bool response = h.IsResponse();
    if (!ike.fragmentation)
    {
        DropPacket(p, from, UNEXPECTED_DROP, "fragment, fragmentation not negotiated");
        return false;
    }
    std::vector<uint8_t> piece;
    std::string err =
        msg.DecryptFragment(raw.data(), raw.size(), KeysOf(ike, h.IsFromInitiator()), piece);
    if (!err.empty())
    {
        DropPacket(p, from, err.rfind("integrity", 0) == 0 ? INTEGRITY_DROP : MALFORMED_DROP, err);
        return false;
    }
    ike.lastHeard = Simulator::Now(); // authenticated: the peer is alive (liveness)
    auto type = *h.GetExchangeType();
    if (response && !ike.Answers(h.messageId, type))
    {
        DropPacket(p, from, UNEXPECTED_DROP, "response fragment to no request");
        return false;
    }
    if (!response)
    {
        IkeSa::PeerRequest fit = ike.CheckPeerRequest(h.messageId);
        if (fit == IkeSa::PeerRequest::REPEAT)
        {
            // RFC 7383 §2.6.1: only fragment 1 of a repeated request resends the response.
            counted();
            IkeDatagrams cached = ike.CachedResponse();
            if (msg.fragmentNumber == 1 && !cached.empty())
            {
                ++m_stats.responsesResent;
                Transmit(cached, ike.peer, type, true);
            }
            return false;
        }
        if (fit != IkeSa::PeerRequest::NEW)
        {
            DropPacket(p, from, BAD_MESSAGE_ID_DROP, "fragment");
            return false;
        }
    }
    IkeReassembly& r = ike.reassembly[response ? 1 : 0];
    uint16_t before = r.GetTotal();
    switch (r.Add(h.messageId,
                  msg.fragmentNumber,
                  msg.totalFragments,
                  msg.payloads.back().nextPayload,
                  std::move(piece)))
    {
    case IkeReassembly::Outcome::SMALLER_TOTAL:
        DropPacket(p,
                   from,
                   FRAGMENT_DROP,
                   "Total Fragments " + std::to_string(msg.totalFragments) + " below " +
                       std::to_string(before));
        return false;
    case IkeReassembly::Outcome::KEPT:
    case IkeReassembly::Outcome::REPEATED:
        counted();
        return false;
    case IkeReassembly::Outcome::COMPLETE:
        break;
    }
    uint8_t first = 0;
    std::vector<uint8_t> all = r.Take(first);
    err = msg.Reassemble(all, first);
    if (!err.empty())
    {
        DropPacket(p, from, MALFORMED_DROP, "reassembled: " + err);
        return false;
    }
    NS_LOG_INFO("node " << GetNode()->GetId() << " reassembled " << all.size()
                        << " B of inner payloads from " << from);
    return true;
}

} // namespace ns3
