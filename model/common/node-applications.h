/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_NODE_APPLICATIONS_H
#define PRESEC_NODE_APPLICATIONS_H

#include "ns3/application.h"
#include "ns3/node.h"
#include "ns3/ptr.h"

namespace ns3
{

/**
 * \ingroup presec-common
 * The first application of type \p T installed on a node: how presec's pieces find their
 * neighbours (the application its presence and IKE agents, a helper the agent it configures).
 * \tparam T an Application subclass
 * \param node the node
 * \return the application, or null when the node has none
 */
template <class T>
Ptr<T>
FindApplication(Ptr<Node> node)
{
    for (uint32_t i = 0; i < node->GetNApplications(); ++i)
    {
        if (Ptr<T> app = DynamicCast<T>(node->GetApplication(i)))
        {
            return app;
        }
    }
    return nullptr;
}

} // namespace ns3

#endif // PRESEC_NODE_APPLICATIONS_H
