/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3-parser-shield.h"

#include "ns3/abort.h"
#include "ns3/ipsec-layer.h"
#include "ns3/ipv4-interface.h"
#include "ns3/log.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("Ns3ParserShield");
NS_OBJECT_ENSURE_REGISTERED(Ns3ParserShield);

bool
BreaksNs3Tcp(const std::vector<uint8_t>& b)
{
    if (b.size() < 20)
    {
        return false; // too short for any option; the fixed fields are read past the end, but
                      // that cannot loop or abort
    }
    uint32_t optionLen = static_cast<uint32_t>((b[12] >> 4) - 5) * 4;
    if (optionLen > 40)
    {
        return false; // ns-3 discards the options
    }
    if (20 + optionLen > b.size())
    {
        return true;
    }
    size_t pos = 20;
    while (optionLen)
    {
        uint8_t kind = b[pos];
        uint32_t optionSize = 1;
        if (kind > 1)
        {
            if (pos + 1 >= b.size())
            {
                return true;
            }
            uint8_t size = b[pos + 1];
            switch (kind)
            {
            case 2: // MSS
                if (size != 4)
                {
                    return true;
                }
                optionSize = 4;
                break;
            case 3: // window scale
                if (size != 3)
                {
                    return false;
                }
                optionSize = 3;
                break;
            case 4: // SACK permitted
                if (size != 2)
                {
                    return false;
                }
                optionSize = 2;
                break;
            case 5: // SACK
                optionSize = 2 + 8 * static_cast<uint32_t>(std::max(0, (int(size) - 2) / 8));
                break;
            case 8: // timestamps
                if (size != 10)
                {
                    return false;
                }
                optionSize = 10;
                break;
            default:
                if (size == 0)
                {
                    return true;
                }
                if (size < 2 || size > 40)
                {
                    return false;
                }
                optionSize = size;
                break;
            }
        }
        if (pos + optionSize > b.size())
        {
            return true; // the option's Deserialize reads past the segment
        }
        if (optionLen < optionSize)
        {
            return false;
        }
        optionLen -= optionSize;
        pos += optionSize;
        if (kind == 0)
        {
            return false; // END: the rest is padding
        }
    }
    return false;
}

bool
BreaksNs3Icmp(const std::vector<uint8_t>& b)
{
    if (b.size() < 4)
    {
        return true;
    }
    switch (b[0])
    {
    case 8: // echo request
        return b.size() < 8;
    case 3:  // destination unreachable
    case 11: // time exceeded
    {
        if (b.size() < 9)
        {
            return true;
        }
        if ((b[8] >> 4) != 4)
        {
            return b.size() < 16; // the header is not read, then 8 bytes are
        }
        uint32_t ihl = (b[8] & 0x0f) * 4u;
        return b.size() < 8 + std::max(20u, ihl) || b.size() < 8 + ihl + 8;
    }
    default:
        return false;
    }
}

TypeId
Ns3ParserShield::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::Ns3ParserShield").SetParent<IpsecPolicyGuard>().SetGroupName("Presec");
    return tid;
}

Ns3ParserShield::Ns3ParserShield(Ptr<IpsecLayer> layer, Ptr<IpL4Protocol> real)
    : IpsecPolicyGuard(layer, real)
{
    NS_LOG_FUNCTION(this << layer << real);
}

std::vector<Ptr<Ns3ParserShield>>
Ns3ParserShield::Install(Ptr<Ipv4L3Protocol> ipv4, Ptr<IpsecLayer> layer)
{
    NS_LOG_FUNCTION(ipv4 << layer);
    std::vector<Ptr<Ns3ParserShield>> shields;
    auto guarded = [&](Ptr<IpL4Protocol> protocol) {
        Ptr<IpsecPolicyGuard> guard = DynamicCast<IpsecPolicyGuard>(protocol);
        NS_ABORT_MSG_IF(!guard, "Ns3ParserShield::Install: no IpsecPolicyGuard (IpsecHelper)");
        shields.push_back(CreateObject<Ns3ParserShield>(layer, guard->GetReal()));
        return shields.back();
    };
    ipv4->Insert(guarded(ipv4->GetProtocol(6)));
    for (uint32_t k = 0; k < ipv4->GetNInterfaces(); ++k)
    {
        ipv4->Insert(guarded(ipv4->GetProtocol(1, k)), k);
    }
    return shields;
}

uint64_t
Ns3ParserShield::GetShielded() const
{
    return m_shielded;
}

IpL4Protocol::RxStatus
Ns3ParserShield::Receive(Ptr<Packet> p,
                         const Ipv4Header& header,
                         Ptr<Ipv4Interface> incomingInterface)
{
    NS_LOG_FUNCTION(this << p << header);
    const bool tcp = GetProtocolNumber() == 6;
    std::vector<uint8_t> b(std::min<uint32_t>(p->GetSize(), 20 + 40 + 2 + 31 * 8));
    p->CopyData(b.data(), b.size());
    Ptr<IpsecLayer> layer = GetLayer();
    if (layer && (tcp ? BreaksNs3Tcp(b) : BreaksNs3Icmp(b)))
    {
        ++m_shielded;
        layer->CheckInbound(p, header);
        return RX_ENDPOINT_CLOSED;
    }
    return IpsecPolicyGuard::Receive(p, header, incomingInterface);
}

} // namespace ns3
