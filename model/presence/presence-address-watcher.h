/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_PRESENCE_ADDRESS_WATCHER_H
#define PRESEC_PRESENCE_ADDRESS_WATCHER_H

#include "ns3/address-watcher.h"

namespace ns3
{

/**
 * \ingroup presec-presence
 * The AddressWatcher of the presence side: PresenceAgent's OwnPresenceMonitor installs one
 * per node (its own TypeId, so a node's routing list shows who listens).
 */
class PresenceAddressWatcher : public AddressWatcher
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
};

} // namespace ns3

#endif // PRESEC_PRESENCE_ADDRESS_WATCHER_H
