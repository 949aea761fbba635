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
 * A DecisionModel attribute set here is shared by all the applications installed; use
 * Install per node (or set the attribute on each application) for a model per node.
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
    ObjectFactory m_factory; //!< makes the applications
};

} // namespace ns3

#endif // PRESEC_SECURE_PEER_HELPER_H
