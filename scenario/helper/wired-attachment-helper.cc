/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "wired-attachment-helper.h"

#include "ns3/ipv4-routing-table-entry.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4.h"
#include "ns3/node.h"

namespace ns3
{

void
WiredAttachmentHelper::Detach(Ptr<NetDevice> device, WiredLan& lan, bool placeholder)
{
    Ptr<Ipv4> ipv4 = device->GetNode()->GetObject<Ipv4>();
    int32_t ifc = ipv4->GetInterfaceForDevice(device);
    ipv4->SetDown(ifc);
    while (ipv4->GetNAddresses(ifc) > 0)
    {
        ipv4->RemoveAddress(ifc, 0);
    }
    if (placeholder)
    {
        ipv4->AddAddress(ifc, Ipv4InterfaceAddress(Ipv4Address::GetAny(), Ipv4Mask::GetZero()));
    }
    lan.Detach(device);
}

void
WiredAttachmentHelper::Attach(Ptr<NetDevice> device,
                              WiredLan& lan,
                              const Ipv4InterfaceAddress& address,
                              Ipv4Address gateway)
{
    Ptr<Ipv4> ipv4 = device->GetNode()->GetObject<Ipv4>();
    int32_t ifc = ipv4->GetInterfaceForDevice(device);
    lan.Reattach(device);
    while (ipv4->GetNAddresses(ifc) > 0)
    {
        ipv4->RemoveAddress(ifc, 0); // a placeholder
    }
    ipv4->AddAddress(ifc, address);
    ipv4->SetUp(ifc);
    Ptr<Ipv4StaticRouting> rt = Ipv4StaticRoutingHelper().GetStaticRouting(ipv4);
    for (uint32_t r = rt->GetNRoutes(); r-- > 0;)
    {
        if (rt->GetRoute(r).IsDefault())
        {
            rt->RemoveRoute(r);
        }
    }
    rt->SetDefaultRoute(gateway, ifc);
}

} // namespace ns3
