/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_HUMAN_USER_DECISION_MODEL_H
#define PRESEC_HUMAN_USER_DECISION_MODEL_H

#include "user-decision-model.h"

#include "ns3/ptr.h"
#include "ns3/random-variable-stream.h"
#include "ns3/traced-callback.h"

#include <cstdint>

namespace ns3
{

/**
 * \ingroup presec-decision
 * A person in front of the patent's screens (FIG. 8, FIG. 9): decides as another model does
 * (attribute Model; the patent's LocationAwareDecisionModel when none is set), but takes
 * time to read the screens and sometimes gets it wrong.
 *
 * - Think time: a sample of ThinkTime (seconds, default uniform 2–8 s) is added to the wrapped
 *   model's think time for every decision DoDecide takes.
 * - Slips: when the wrapped model *raised* the protection (Raises(): some direction stronger
 *   than the peer proposed) the person, with probability ErrorProbability, does not carry the
 *   change through. What they do instead (ErrorKind):
 *     - `accept-as-is`: presses "register" on the peer's light proposal unchanged;
 *     - `clear`: unticks the protection and registers clear text both ways;
 *     - `either`: one of the two with equal chance.
 *   Accepting and refusing are not subject to slips: a slip is failing to make a change.
 *
 * Slips are counted (GetErrors, GetErrorOpportunities) and reported by the HumanError trace.
 * Call AssignStreams after setting ThinkTime, for reproducible runs.
 *
 * Invalid proposals are refused by the base class before DoDecide, without think time; set
 * RefuseInvalidProposal false on this model to let the wrapped model refuse after the person
 * has looked at the screens.
 */
class HumanUserDecisionModel : public UserDecisionModel
{
  public:
    /** What a slip makes the person do. */
    enum ErrorKind
    {
        ACCEPT_AS_IS, //!< register the peer's proposal unchanged
        CLEAR,        //!< register clear text both ways
        EITHER,       //!< one of the two, with equal probability
    };

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    HumanUserDecisionModel();
    ~HumanUserDecisionModel() override;

    /**
     * \param model the model whose decisions the person means to take
     */
    void SetModel(Ptr<UserDecisionModel> model);

    /** \return the wrapped model (created on first use when none was set) */
    Ptr<UserDecisionModel> GetModel() const;

    /** \return slips made so far */
    uint32_t GetErrors() const;

    /** \return decisions so far in which the wrapped model raised, i.e. a slip was possible */
    uint32_t GetErrorOpportunities() const;

    /**
     * Assign streams to ThinkTime, the slip variable, and then to the wrapped model.
     * \param stream first stream index
     * \return the number of streams assigned
     */
    int64_t AssignStreams(int64_t stream) override;

    /**
     * TracedCallback signature of the HumanError trace.
     * \param ctx the context
     * \param intended what the wrapped model decided
     * \param actual what the person registered instead
     */
    typedef void (*HumanErrorTracedCallback)(const DecisionContext& ctx,
                                             const Decision& intended,
                                             const Decision& actual);

  protected:
    /** Release references (ns-3 Object disposal). */
    void DoDispose() override;
    Decision DoDecide(const DecisionContext& ctx) override;

  private:
    mutable Ptr<UserDecisionModel> m_model; //!< the wrapped model (Model attribute)
    Ptr<RandomVariableStream> m_thinkTime;  //!< ThinkTime attribute, seconds
    double m_errorProbability;              //!< ErrorProbability attribute
    ErrorKind m_errorKind;                  //!< ErrorKind attribute
    Ptr<UniformRandomVariable> m_slip;      //!< decides whether (and which) slip happens
    uint32_t m_errors;                      //!< slips made
    uint32_t m_opportunities;               //!< decisions where a slip was possible

    /// A slip: context, what the wrapped model meant, what was registered.
    TracedCallback<const DecisionContext&, const Decision&, const Decision&> m_errorTrace;
};

} // namespace ns3

#endif // PRESEC_HUMAN_USER_DECISION_MODEL_H
