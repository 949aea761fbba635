/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ipsec-inbound-protocol.h"

#include "ipsec-layer.h"

#include "ns3/ipv4-interface.h"
#include "ns3/log.h"
#include "ns3/packet.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpsecInboundProtocol");

NS_OBJECT_ENSURE_REGISTERED(IpsecInboundProtocol);

TypeId
IpsecInboundProtocol::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IpsecInboundProtocol")
                            .SetParent<IpL4Protocol>()
                            .SetGroupName("Presec")
                            .AddConstructor<IpsecInboundProtocol>();
    return tid;
}

IpsecInboundProtocol::IpsecInboundProtocol() = default;

IpsecInboundProtocol::IpsecInboundProtocol(Ptr<IpsecLayer> layer, uint8_t protocolNumber)
    : m_layer(layer),
      m_protocolNumber(protocolNumber)
{
}

void
IpsecInboundProtocol::DoDispose()
{
    m_layer = nullptr;
    IpL4Protocol::DoDispose();
}

int
IpsecInboundProtocol::GetProtocolNumber() const
{
    return m_protocolNumber;
}

IpL4Protocol::RxStatus
IpsecInboundProtocol::Receive(Ptr<Packet> p,
                              const Ipv4Header& header,
                              Ptr<Ipv4Interface> incomingInterface)
{
    NS_LOG_FUNCTION(this << p << header);
    if (!m_layer)
    {
        return RX_ENDPOINT_UNREACH;
    }
    return m_layer->ReceiveProtected(m_protocolNumber, p, header, incomingInterface);
}

IpL4Protocol::RxStatus
IpsecInboundProtocol::Receive(Ptr<Packet>, const Ipv6Header&, Ptr<Ipv6Interface>)
{
    return RX_ENDPOINT_UNREACH; // presec models IPv4 only
}

void
IpsecInboundProtocol::SetDownTarget(DownTargetCallback cb)
{
    m_down = cb;
}

void
IpsecInboundProtocol::SetDownTarget6(DownTargetCallback6 cb)
{
    m_down6 = cb;
}

IpL4Protocol::DownTargetCallback
IpsecInboundProtocol::GetDownTarget() const
{
    return m_down;
}

IpL4Protocol::DownTargetCallback6
IpsecInboundProtocol::GetDownTarget6() const
{
    return m_down6;
}

} // namespace ns3
