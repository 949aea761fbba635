/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_PRESENCE_AGENT_HELPER_H
#define PRESEC_PRESENCE_AGENT_HELPER_H

#include "ns3/application-container.h"
#include "ns3/attribute.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"
#include "ns3/presence-agent.h"

#include <string>

namespace ns3
{

/**
 * \ingroup presec
 * Installs a PresenceAgent on nodes that have the internet stack.
 *
 * \code
 *   PresenceAgentHelper presence;
 *   presence.SetAttribute("LocationPrefixes", StringValue("192.168.1.0/24=office"));
 *   presence.SetEntityPattern("pres:node%n@example.com");   // %n node id, %i index
 *   ApplicationContainer apps = presence.Install(nodes);
 *   apps.Get(1)->SetAttribute("UserName", StringValue("John"));
 * \endcode
 *
 * Install the agent after InternetStackHelper (it hooks the node's Ipv4ListRouting when
 * it starts) and after any DhcpClient whose leases it should follow.
 */
class PresenceAgentHelper
{
  public:
    PresenceAgentHelper();

    /**
     * Set an attribute of the agents to be created.
     * \param name attribute name
     * \param value its value
     */
    void SetAttribute(const std::string& name, const AttributeValue& value);

    /**
     * Give each agent an Entity made from a pattern: "%n" becomes the node id, "%i" the
     * node's index in the container installed on, "%%" a percent sign. An empty pattern
     * keeps the Entity attribute as set (empty: derived from the node id by the agent).
     * \param pattern e.g. "pres:peer%n@example.com"
     */
    void SetEntityPattern(const std::string& pattern);

    /**
     * \param pattern the pattern (see SetEntityPattern)
     * \param nodeId the node id
     * \param index the index in the container
     * \return the entity
     */
    static std::string ExpandPattern(const std::string& pattern, uint32_t nodeId, uint32_t index);

    /**
     * Install one agent on each node.
     * \param nodes the nodes
     * \return the agents
     */
    ApplicationContainer Install(NodeContainer nodes) const;

    /**
     * Install one agent.
     * \param node the node
     * \return the agent
     */
    ApplicationContainer Install(Ptr<Node> node) const;

    /**
     * Fix the random streams of the agents installed on the nodes.
     * \param nodes the nodes
     * \param stream first stream index
     * \return the number of streams used
     */
    int64_t AssignStreams(NodeContainer nodes, int64_t stream) const;

  private:
    /**
     * \param node the node
     * \param index its index in the container
     * \return the agent
     */
    Ptr<PresenceAgent> InstallPriv(Ptr<Node> node, uint32_t index) const;

    ObjectFactory m_factory; //!< makes the agents
    std::string m_pattern;   //!< entity pattern; empty for none
};

} // namespace ns3

#endif // PRESEC_PRESENCE_AGENT_HELPER_H
