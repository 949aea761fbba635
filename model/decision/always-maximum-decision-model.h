/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_ALWAYS_MAXIMUM_DECISION_MODEL_H
#define PRESEC_ALWAYS_MAXIMUM_DECISION_MODEL_H

#include "user-decision-model.h"

namespace ns3
{

/**
 * \ingroup presec-decision
 * The cautious user: every peer, trusted network or not, gets at least esp and ah at level
 * require in both directions (what the patent's user chose for the external peer, FIG. 13).
 * A proposal that is already stronger (unique, tunnel, discard) is kept.
 *
 * The other baseline next to AcceptAsIsDecisionModel: safe everywhere, but paying the crypto
 * cost even between two office machines, which the patent sets out to avoid.
 *
 * Attribute Unique asks for level unique (one SA per policy) instead of require.
 */
class AlwaysMaximumDecisionModel : public UserDecisionModel
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    AlwaysMaximumDecisionModel();
    ~AlwaysMaximumDecisionModel() override;

  protected:
    Decision DoDecide(const DecisionContext& ctx) override;

  private:
    bool m_unique; //!< Unique attribute
};

} // namespace ns3

#endif // PRESEC_ALWAYS_MAXIMUM_DECISION_MODEL_H
