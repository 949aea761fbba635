/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_SECURE_PEER_HELPER_H
#define PRESEC_SECURE_PEER_HELPER_H

#include "ns3/application-container.h"
#include "ns3/attribute.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"
#include "ns3/secure-peer-application.h"

#include <string>

namespace ns3
{

/**
 * \ingroup presec
 * Installs a SecurePeerApplication on nodes (each node must also get a PresenceAgent, e.g.
 * with PresenceAgentHelper, and usually an IpsecLayer with IpsecHelper).
 *
 * Each application gets its own decision model, made from the type chosen with
 * SetDecisionModel (a model keeps per-user state: a human user's random slips, rule tables,
 * what it was shown). The DecisionModel attribute cannot be set through SetAttribute, which
 * would give every application the same object.
 */
class SecurePeerHelper
{
  public:
    SecurePeerHelper();

    /**
     * \param name attribute name of SecurePeerApplication
     * \param value its value
     */
    void SetAttribute(const std::string& name, const AttributeValue& value);

    /**
     * Give every application installed from now on a model of its own of this type.
     * \tparam Ts attribute name and value pairs
     * \param type the model's TypeId name (e.g. "ns3::HumanUserDecisionModel")
     * \param args attributes of each model, as name, value pairs
     */
    template <typename... Ts>
    void SetDecisionModel(const std::string& type, Ts&&... args)
    {
        m_modelFactory = ObjectFactory(type);
        m_modelFactory.Set(std::forward<Ts>(args)...);
    }

    /**
     * \param nodes the nodes
     * \return the applications, one per node
     */
    ApplicationContainer Install(NodeContainer nodes) const;

    /**
     * \param node a node
     * \return its application
     */
    ApplicationContainer Install(Ptr<Node> node) const;

  private:
    ObjectFactory m_factory;      //!< makes the applications
    ObjectFactory m_modelFactory; //!< makes a decision model per application (if set)
};

} // namespace ns3

#endif // PRESEC_SECURE_PEER_HELPER_H
