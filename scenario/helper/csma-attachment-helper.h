/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_CSMA_ATTACHMENT_HELPER_H
#define PRESEC_CSMA_ATTACHMENT_HELPER_H

#include "ns3/csma-channel.h"
#include "ns3/csma-net-device.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv4-interface-address.h"

namespace ns3
{

/**
 * \ingroup presec-scenario
 * The abstract attachment switch of the all-CSMA scenarios: a terminal has one CSMA device
 * on every segment it ever visits and is attached to one at a time. Leaving a segment takes
 * the interface down, removes its addresses (a down interface that kept its address would
 * still be picked as source by a route lookup) and detaches the device from the channel (so
 * the segment does not deliver frames to a terminal that is elsewhere); arriving reattaches
 * the device, adds the address, brings the interface up and re-points the default route at
 * the segment's router. The node needs an IPv4 stack with static routing.
 */
class CsmaAttachmentHelper
{
  public:
    /**
     * \param device the terminal's device on the segment it leaves (its own channel: a hub's
     *        segment or its link to a switch)
     * \param placeholder leave 0.0.0.0/0 on the interface (see the class)
     */
    static void Detach(Ptr<CsmaNetDevice> device, bool placeholder = false);
    /**
     * \param device the terminal's device on the segment it joins (its own channel)
     * \param address its address there
     * \param gateway the segment's router: the new default route
     */
    static void Attach(Ptr<CsmaNetDevice> device,
                       const Ipv4InterfaceAddress& address,
                       Ipv4Address gateway);
};

} // namespace ns3

#endif // PRESEC_CSMA_ATTACHMENT_HELPER_H
