/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_SIP_REGISTRAR_HELPER_H
#define PRESEC_SIP_REGISTRAR_HELPER_H

#include "ns3/application-container.h"
#include "ns3/attribute.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"
#include "ns3/sip-registrar.h"

#include <string>

namespace ns3
{

/**
 * \ingroup presec
 * Installs a SipRegistrar on a node that has the internet stack; terminals then name its
 * address in their PresenceAgent's Registrar attribute.
 *
 * \code
 *   SipRegistrarHelper registrar;
 *   ApplicationContainer r = registrar.Install(registrarNode);
 *   PresenceAgentHelper presence;
 *   presence.SetAttribute("Registrar", Ipv4AddressValue("10.0.0.1"));
 * \endcode
 */
class SipRegistrarHelper
{
  public:
    SipRegistrarHelper();

    /**
     * Set an attribute of the registrars to be created.
     * \param name attribute name
     * \param value its value
     */
    void SetAttribute(const std::string& name, const AttributeValue& value);

    /**
     * Install one registrar on each node.
     * \param nodes the nodes
     * \return the registrars
     */
    ApplicationContainer Install(NodeContainer nodes) const;

    /**
     * Install one registrar.
     * \param node the node
     * \return the registrar
     */
    ApplicationContainer Install(Ptr<Node> node) const;

  private:
    ObjectFactory m_factory; //!< makes the registrars
};

} // namespace ns3

#endif // PRESEC_SIP_REGISTRAR_HELPER_H
