/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_LOCATION_AWARE_DECISION_MODEL_H
#define PRESEC_LOCATION_AWARE_DECISION_MODEL_H

#include "user-decision-model.h"

#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-decision
 * The patent's user (FIG. 9 – FIG. 13): looks where the peer is and where they are.
 *
 *  - Both on trusted (private, e.g. office) networks: the proposal is accepted as it is, even a
 *    light one without encryption (first embodiment: "changing the policy is unnecessary").
 *  - The peer on an untrusted network (location "external", a cafe, ...) or we ourselves on
 *    one: every policy is raised to at least RaiseTo at level require (second embodiment:
 *    ah and esp, require).
 *
 * "Trusted" is DecisionContext::peerTrusted / ownTrusted, the application's judgement of the
 * network (e.g. LocationClassifier), not the label the peer writes about itself.
 *
 * The model never lowers the peer's proposal (lowering makes the peer discard our packets
 * until negotiated), unless AllowLowering is true: then untrusted sessions get exactly RaiseTo
 * and trusted ones clear text, saving the CPU the patent's last paragraph mentions.
 */
class LocationAwareDecisionModel : public UserDecisionModel
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    LocationAwareDecisionModel();
    ~LocationAwareDecisionModel() override;

  protected:
    Decision DoDecide(const DecisionContext& ctx) override;

  private:
    /**
     * RaiseTo attribute setter.
     * \param services `esp`, `ah` or `esp+ah`
     * \return false (value refused) for anything else
     */
    bool SetRaiseTo(std::string services);
    /** \return the RaiseTo attribute */
    std::string GetRaiseTo() const;

    std::vector<IpsecProtocol> m_raiseTo; //!< services for untrusted sessions
    bool m_allowLowering;                 //!< AllowLowering attribute
};

} // namespace ns3

#endif // PRESEC_LOCATION_AWARE_DECISION_MODEL_H
