/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_DECISION_CONTEXT_BUILDER_H
#define PRESEC_DECISION_CONTEXT_BUILDER_H

#include "user-decision-model.h"

#include "ns3/security-policy.h"

#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-decision
 * Builds a DecisionContext by hand, to try a decision model on made-up peers (in a test or a
 * tutorial) without writing presence documents or setkey text:
 *
 *     DecisionContext ctx = DecisionContextBuilder()
 *                               .Peer("203.0.113.7", "external", false)
 *                               .Proposes({IpsecProtocol::ESP})
 *                               .Relationship("friend")
 *                               .Build();
 *     Decision d = model->Decide(ctx);
 *
 * Unless told otherwise: we are 192.168.1.1 in a trusted "office"; the peer is
 * pres:peer@example.com at 192.168.1.2 in a trusted "office"; it proposes clear text both ways
 * (the patent's light policy); relationship and purpose are "unknown".
 */
class DecisionContextBuilder
{
  public:
    DecisionContextBuilder();

    /**
     * Where the peer is.
     * \param address its address, dotted quad
     * \param network our classification of that address, e.g. "external" (also the location
     *        its presence document declares)
     * \param trusted whether that network counts as safe
     * \return this builder
     */
    DecisionContextBuilder& Peer(const std::string& address,
                                 const std::string& network,
                                 bool trusted);

    /**
     * Where we are.
     * \param address our address towards the peer, dotted quad
     * \param location our location label, e.g. "cafe"
     * \param trusted whether our network counts as safe
     * \return this builder
     */
    DecisionContextBuilder& Own(const std::string& address,
                                const std::string& location,
                                bool trusted);

    /**
     * What the peer proposes for all traffic between us, both ways, at level require: e.g.
     * {IpsecProtocol::ESP}; empty: clear text.
     * \param protocols the protections, bundled in this order
     * \return this builder
     */
    DecisionContextBuilder& Proposes(const std::vector<IpsecProtocol>& protocols);

    /**
     * \param relationship family, friend, acquaintance, colleague or unknown
     * \return this builder
     */
    DecisionContextBuilder& Relationship(const std::string& relationship);

    /**
     * \param purpose business, private, advertising or unknown
     * \return this builder
     */
    DecisionContextBuilder& Purpose(const std::string& purpose);

    /**
     * A proposal the peer sent but we could not parse (the base class refuses it by default).
     * \param error why it could not be parsed
     * \return this builder
     */
    DecisionContextBuilder& Unreadable(const std::string& error);

    /** \return the context; the proposal is written from the peer's side, as it arrives */
    DecisionContext Build() const;

  private:
    DecisionContext m_ctx;                  //!< everything but the proposal
    std::vector<IpsecProtocol> m_protocols; //!< what the peer proposes
};

} // namespace ns3

#endif // PRESEC_DECISION_CONTEXT_BUILDER_H
