/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "presence-address-watcher.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(PresenceAddressWatcher);

TypeId
PresenceAddressWatcher::GetTypeId()
{
    static TypeId tid = TypeId("ns3::PresenceAddressWatcher")
                            .SetParent<AddressWatcher>()
                            .SetGroupName("Presec")
                            .AddConstructor<PresenceAddressWatcher>();
    return tid;
}

} // namespace ns3
