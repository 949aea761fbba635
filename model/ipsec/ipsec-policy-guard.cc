/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ipsec-policy-guard.h"

#include "ipsec-layer.h"

#include "ns3/ipv4-interface.h"
#include "ns3/ipv6-interface.h"
#include "ns3/log.h"
#include "ns3/packet.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpsecPolicyGuard");

NS_OBJECT_ENSURE_REGISTERED(IpsecPolicyGuard);

TypeId
IpsecPolicyGuard::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IpsecPolicyGuard")
                            .SetParent<IpL4Protocol>()
                            .SetGroupName("Presec")
                            .AddConstructor<IpsecPolicyGuard>();
    return tid;
}

IpsecPolicyGuard::IpsecPolicyGuard() = default;

IpsecPolicyGuard::IpsecPolicyGuard(Ptr<IpsecLayer> layer, Ptr<IpL4Protocol> real)
    : m_layer(layer),
      m_real(real)
{
}

void
IpsecPolicyGuard::DoDispose()
{
    m_layer = nullptr;
    m_real = nullptr;
    IpL4Protocol::DoDispose();
}

Ptr<IpL4Protocol>
IpsecPolicyGuard::GetReal() const
{
    return m_real;
}

Ptr<IpsecLayer>
IpsecPolicyGuard::GetLayer() const
{
    return m_layer;
}

int
IpsecPolicyGuard::GetProtocolNumber() const
{
    return m_real ? m_real->GetProtocolNumber() : 0;
}

IpL4Protocol::RxStatus
IpsecPolicyGuard::Receive(Ptr<Packet> p,
                          const Ipv4Header& header,
                          Ptr<Ipv4Interface> incomingInterface)
{
    // Per packet: no NS_LOG_FUNCTION (see IpsecLayer::Send).
    if (!m_real || !m_layer)
    {
        return RX_ENDPOINT_UNREACH;
    }
    if (!m_layer->CheckInbound(p, header))
    {
        return RX_ENDPOINT_CLOSED;
    }
    return m_real->Receive(p, header, incomingInterface);
}

IpL4Protocol::RxStatus
IpsecPolicyGuard::Receive(Ptr<Packet> p,
                          const Ipv6Header& header,
                          Ptr<Ipv6Interface> incomingInterface)
{
    return m_real ? m_real->Receive(p, header, incomingInterface) : RX_ENDPOINT_UNREACH;
}

void
IpsecPolicyGuard::ReceiveIcmp(Ipv4Address icmpSource,
                              uint8_t icmpTtl,
                              uint8_t icmpType,
                              uint8_t icmpCode,
                              uint32_t icmpInfo,
                              Ipv4Address payloadSource,
                              Ipv4Address payloadDestination,
                              const uint8_t payload[8])
{
    if (m_real)
    {
        m_real->ReceiveIcmp(icmpSource,
                            icmpTtl,
                            icmpType,
                            icmpCode,
                            icmpInfo,
                            payloadSource,
                            payloadDestination,
                            payload);
    }
}

void
IpsecPolicyGuard::SetDownTarget(DownTargetCallback cb)
{
    m_real->SetDownTarget(cb);
}

void
IpsecPolicyGuard::SetDownTarget6(DownTargetCallback6 cb)
{
    m_real->SetDownTarget6(cb);
}

IpL4Protocol::DownTargetCallback
IpsecPolicyGuard::GetDownTarget() const
{
    return m_real->GetDownTarget();
}

IpL4Protocol::DownTargetCallback6
IpsecPolicyGuard::GetDownTarget6() const
{
    return m_real->GetDownTarget6();
}

} // namespace ns3
