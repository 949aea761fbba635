/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "address-watcher.h"

#include "ns3/log.h"
#include "ns3/node.h"

#include <limits>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("AddressWatcher");

NS_OBJECT_ENSURE_REGISTERED(AddressWatcher);

TypeId
AddressWatcher::GetTypeId()
{
    static TypeId tid = TypeId("ns3::AddressWatcher")
                            .SetParent<Ipv4RoutingDecorator>()
                            .SetGroupName("Presec")
                            .AddConstructor<AddressWatcher>();
    return tid;
}

AddressWatcher::AddressWatcher()
{
    NS_LOG_FUNCTION(this);
}

AddressWatcher::~AddressWatcher()
{
    NS_LOG_FUNCTION(this);
}

void
AddressWatcher::SetChangeCallback(Callback<void> cb)
{
    m_changed = cb;
}

bool
AddressWatcher::Install(Ptr<Node> node, Ptr<AddressWatcher> watcher)
{
    return AddToListRouting(node, watcher, std::numeric_limits<int16_t>::min());
}

void
AddressWatcher::AddressesChanged()
{
    if (!m_changed.IsNull())
    {
        m_changed();
    }
}

void
AddressWatcher::DoDispose()
{
    m_changed = Callback<void>();
    Ipv4RoutingDecorator::DoDispose();
}

} // namespace ns3
