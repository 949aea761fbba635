/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "presence-address-watcher.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("PresenceAddressWatcher");

NS_OBJECT_ENSURE_REGISTERED(PresenceAddressWatcher);

TypeId
PresenceAddressWatcher::GetTypeId()
{
    static TypeId tid = TypeId("ns3::PresenceAddressWatcher")
                            .SetParent<Ipv4RoutingDecorator>()
                            .SetGroupName("Presec")
                            .AddConstructor<PresenceAddressWatcher>();
    return tid;
}

PresenceAddressWatcher::PresenceAddressWatcher()
{
    NS_LOG_FUNCTION(this);
}

PresenceAddressWatcher::~PresenceAddressWatcher()
{
    NS_LOG_FUNCTION(this);
}

void
PresenceAddressWatcher::SetChangeCallback(Callback<void> cb)
{
    m_changed = cb;
}

void
PresenceAddressWatcher::AddressesChanged()
{
    if (!m_changed.IsNull())
    {
        m_changed();
    }
}

void
PresenceAddressWatcher::DoDispose()
{
    m_changed = Callback<void>();
    Ipv4RoutingDecorator::DoDispose();
}

} // namespace ns3
