/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "decision-context-builder.h"

#include "ns3/policy-set.h"

namespace ns3
{

DecisionContextBuilder::DecisionContextBuilder()
{
    m_ctx.peer.entity = "pres:peer@example.com";
    Own("192.168.1.1", "office", true);
    Peer("192.168.1.2", "office", true);
}

DecisionContextBuilder&
DecisionContextBuilder::Peer(const std::string& address, const std::string& network, bool trusted)
{
    m_ctx.peer.addresses = {Ipv4Address(address.c_str())};
    m_ctx.peer.location = network;
    m_ctx.peerNetwork = network;
    m_ctx.peerTrusted = trusted;
    return *this;
}

DecisionContextBuilder&
DecisionContextBuilder::Own(const std::string& address, const std::string& location, bool trusted)
{
    m_ctx.ownAddress = Ipv4Address(address.c_str());
    m_ctx.ownLocation = location;
    m_ctx.ownTrusted = trusted;
    return *this;
}

DecisionContextBuilder&
DecisionContextBuilder::Proposes(const std::vector<IpsecProtocol>& protocols)
{
    m_protocols = protocols;
    return *this;
}

DecisionContextBuilder&
DecisionContextBuilder::Relationship(const std::string& relationship)
{
    m_ctx.relationship = relationship;
    return *this;
}

DecisionContextBuilder&
DecisionContextBuilder::Purpose(const std::string& purpose)
{
    m_ctx.purpose = purpose;
    return *this;
}

DecisionContextBuilder&
DecisionContextBuilder::Unreadable(const std::string& error)
{
    m_ctx.proposalValid = false;
    m_ctx.proposalError = error;
    return *this;
}

DecisionContext
DecisionContextBuilder::Build() const
{
    DecisionContext ctx = m_ctx;
    if (ctx.proposalValid)
    {
        // The peer's side: its `out` towards us and its `in` from us.
        Ipv4Address peer = ctx.GetPeerAddress();
        ctx.peerProposal = m_protocols.empty()
                               ? PolicySet::MakeClear(ctx.ownAddress, peer)
                               : PolicySet::MakeProtected(ctx.ownAddress, peer, m_protocols);
    }
    return ctx;
}

} // namespace ns3
