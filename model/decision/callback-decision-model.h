/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_CALLBACK_DECISION_MODEL_H
#define PRESEC_CALLBACK_DECISION_MODEL_H

#include "user-decision-model.h"

#include "ns3/callback.h"

#include <functional>

namespace ns3
{

/**
 * \ingroup presec-decision
 * A decision model written as a function in a simulation script, for a quick experiment
 * without a new class:
 *
 *     auto model = CreateObject<CallbackDecisionModel>([](const DecisionContext& ctx) {
 *         return ctx.purpose == "advertising" ? UserDecisionModel::Refuse("no ads")
 *                                             : UserDecisionModel::Accept(ctx, "fine");
 *     });
 *
 * The function gets the same service from the base class as any model (invalid proposals
 * refused first, verdict fixed up, Decided trace). Without a function every peer is refused,
 * with a reason saying so, rather than aborting the simulation.
 */
class CallbackDecisionModel : public UserDecisionModel
{
  public:
    /** The function that decides. */
    using DecideFunction = std::function<Decision(const DecisionContext&)>;

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    CallbackDecisionModel();

    /**
     * \param function the function that decides
     */
    explicit CallbackDecisionModel(DecideFunction function);

    ~CallbackDecisionModel() override;

    /**
     * \param function the function that decides (replaces any earlier one)
     */
    void SetDecideFunction(DecideFunction function);

    /**
     * \param callback an ns-3 callback that decides (replaces any earlier function)
     */
    void SetDecideCallback(Callback<Decision, const DecisionContext&> callback);

    /** \return true if a function is set */
    bool HasDecideFunction() const;

  protected:
    /** Release references (ns-3 Object disposal). */
    void DoDispose() override;
    Decision DoDecide(const DecisionContext& ctx) override;

  private:
    DecideFunction m_function; //!< the function that decides
};

} // namespace ns3

#endif // PRESEC_CALLBACK_DECISION_MODEL_H
