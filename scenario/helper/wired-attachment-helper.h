/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_WIRED_ATTACHMENT_HELPER_H
#define PRESEC_WIRED_ATTACHMENT_HELPER_H

#include "wired-lan.h"

#include "ns3/ipv4-address.h"
#include "ns3/ipv4-interface-address.h"
#include "ns3/net-device.h"

namespace ns3
{

/**
 * \ingroup presec-scenario
 * The abstract attachment switch of the wired networks: a terminal has one device on every
 * wired network it ever visits and is attached to one at a time. Leaving a network takes
 * the interface down, removes its addresses (a down interface that kept its address would
 * still be picked as source by a route lookup) and pulls the cable (WiredLan::Detach: the
 * network delivers nothing to a terminal that is elsewhere); arriving plugs it back in, adds
 * the address, brings the interface up and re-points the default route at the network's
 * router. The node needs an IPv4 stack with static routing.
 */
class WiredAttachmentHelper
{
  public:
    /**
     * \param device the terminal's device on the network it leaves
     * \param lan that network
     * \param placeholder leave 0.0.0.0/0 on the interface (see the class)
     */
    static void Detach(Ptr<NetDevice> device, WiredLan& lan, bool placeholder = false);
    /**
     * \param device the terminal's device on the network it joins
     * \param lan that network
     * \param address its address there
     * \param gateway the segment's router: the new default route
     */
    static void Attach(Ptr<NetDevice> device,
                       WiredLan& lan,
                       const Ipv4InterfaceAddress& address,
                       Ipv4Address gateway);
};

} // namespace ns3

#endif // PRESEC_WIRED_ATTACHMENT_HELPER_H
