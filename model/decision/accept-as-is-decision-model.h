/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_ACCEPT_AS_IS_DECISION_MODEL_H
#define PRESEC_ACCEPT_AS_IS_DECISION_MODEL_H

#include "user-decision-model.h"

namespace ns3
{

/**
 * \ingroup presec-decision
 * The conventional apparatus: whatever the peer proposes is registered unchanged, wherever the
 * peer is. This is the baseline the patent improves on (a peer that moved to a public network
 * keeps its light office policy), and what a user does who always presses "register".
 */
class AcceptAsIsDecisionModel : public UserDecisionModel
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    AcceptAsIsDecisionModel();
    ~AcceptAsIsDecisionModel() override;

  protected:
    Decision DoDecide(const DecisionContext& ctx) override;
};

} // namespace ns3

#endif // PRESEC_ACCEPT_AS_IS_DECISION_MODEL_H
