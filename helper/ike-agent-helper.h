/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_IKE_AGENT_HELPER_H
#define PRESEC_IKE_AGENT_HELPER_H

#include "ns3/application-container.h"
#include "ns3/attribute.h"
#include "ns3/ike-agent.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"

#include <string>

namespace ns3
{

/**
 * \ingroup presec
 * Installs one IkeAgent (UDP port 500) on each node. The nodes need the internet stack and
 * an IpsecLayer (IpsecHelper) first; a CryptoCostModel, if aggregated, makes the key
 * operations take time.
 *
 * \code
 *   IkeAgentHelper ike;
 *   ike.SetAttribute("Authentication", StringValue("rsa-cert"));
 *   ike.SetAttribute("AutoInitiate", BooleanValue(true));
 *   ApplicationContainer agents = ike.Install(nodes);
 *   ike.AssignStreams(nodes, 100);
 * \endcode
 */
class IkeAgentHelper
{
  public:
    IkeAgentHelper();

    /**
     * Set an attribute of the agents to be created.
     * \param name attribute name
     * \param value its value
     */
    void SetAttribute(const std::string& name, const AttributeValue& value);

    /**
     * Install an agent on each node.
     * \param nodes the nodes
     * \return the agents
     */
    ApplicationContainer Install(NodeContainer nodes) const;

    /**
     * Install an agent on one node.
     * \param node the node
     * \return the agent
     */
    ApplicationContainer Install(Ptr<Node> node) const;

    /**
     * Fix the random streams of the IkeAgents on the nodes.
     * \param nodes the nodes
     * \param stream first stream index
     * \return the number of streams used
     */
    static int64_t AssignStreams(NodeContainer nodes, int64_t stream);

    /**
     * \param node a node
     * \return its (first) IkeAgent, or nullptr
     */
    static Ptr<IkeAgent> GetAgent(Ptr<Node> node);

  private:
    ObjectFactory m_factory; //!< makes IkeAgent objects
};

} // namespace ns3

#endif // PRESEC_IKE_AGENT_HELPER_H
