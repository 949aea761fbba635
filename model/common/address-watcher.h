/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_ADDRESS_WATCHER_H
#define PRESEC_ADDRESS_WATCHER_H

#include "ns3/callback.h"
#include "ns3/ipv4-routing-decorator.h"

namespace ns3
{

/**
 * \ingroup presec
 * A routing protocol that routes nothing and only listens: put at the lowest priority into a
 * node's Ipv4ListRouting, it hears Ipv4L3Protocol's NotifyAddAddress / NotifyRemoveAddress /
 * NotifyInterfaceUp / NotifyInterfaceDown, which is how ns-3.37 tells anyone that an address
 * changed (it has no trace source for it). Each user (the presence monitor, the IKE agent)
 * installs its own with Install().
 */
class AddressWatcher : public Ipv4RoutingDecorator
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    AddressWatcher();
    ~AddressWatcher() override;

    /**
     * \param cb called (synchronously) after every address or interface state change of the
     *        node; a null callback disarms the watcher
     */
    void SetChangeCallback(Callback<void> cb);

    /**
     * Put a watcher into a node's Ipv4ListRouting at the lowest priority.
     * \param node the node
     * \param watcher the watcher
     * \return false if the node's routing is not an Ipv4ListRouting (nothing installed)
     */
    static bool Install(Ptr<Node> node, Ptr<AddressWatcher> watcher);

  protected:
    /** Release references (ns-3 Object disposal). */
    void DoDispose() override;
    /** Calls the change callback. */
    void AddressesChanged() override;

  private:
    Callback<void> m_changed; //!< what to call on a change
};

} // namespace ns3

#endif // PRESEC_ADDRESS_WATCHER_H
