/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "tamper-error-model.h"

#include "ipsec-transform-result.h"

#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/pointer.h"
#include "ns3/uinteger.h"

#include <vector>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TamperErrorModel");
NS_OBJECT_ENSURE_REGISTERED(TamperErrorModel);

TypeId
TamperErrorModel::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::TamperErrorModel")
            .SetParent<ErrorModel>()
            .SetGroupName("Presec")
            .AddConstructor<TamperErrorModel>()
            .AddAttribute("Probability",
                          "Probability that an eligible (ESP/AH or clear data) frame is changed.",
                          DoubleValue(0.05),
                          MakeDoubleAccessor(&TamperErrorModel::m_probability),
                          MakeDoubleChecker<double>(0.0, 1.0))
            .AddAttribute("UdpPayloadKept",
                          "Leading UDP payload bytes never changed: the data traffic's "
                          "measurement header (the voice traffic's 12-byte RTP header, or "
                          "UdpClient's SeqTsHeader).",
                          UintegerValue(12),
                          MakeUintegerAccessor(&TamperErrorModel::m_udpKeep),
                          MakeUintegerChecker<uint32_t>(0, 1400))
            .AddTraceSource("Tampered",
                            "A frame was changed.",
                            MakeTraceSourceAccessor(&TamperErrorModel::m_tamperedTrace),
                            "ns3::TamperErrorModel::TamperedTracedCallback");
    return tid;
}

TamperErrorModel::TamperErrorModel()
    : m_probability(0.05),
      m_udpKeep(12),
      m_rng(CreateObject<UniformRandomVariable>())
{
}

int64_t
TamperErrorModel::AssignStreams(int64_t stream)
{
    m_rng->SetStream(stream);
    return 1;
}

uint64_t
TamperErrorModel::GetTamperedProtected() const
{
    return m_tamperedProtected;
}

uint64_t
TamperErrorModel::GetTamperedClear() const
{
    return m_tamperedClear;
}

bool
TamperErrorModel::DoCorrupt(Ptr<Packet> p)
{
    constexpr uint32_t eth = 14;
    uint32_t size = p->GetSize();
    if (size < eth + 20 + 8)
    {
        return false;
    }
    std::vector<uint8_t> b(size);
    p->CopyData(b.data(), size);
    if (b[12] != 0x08 || b[13] != 0x00 || (b[eth] >> 4) != 4)
    {
        return false;
    }
    uint32_t ihl = (b[eth] & 0x0f) * 4u;
    // The IP packet ends where its total length says: CSMA frames carry a 4-byte Ethernet
    // trailer (FCS) after it, and a bit flipped there would change nothing.
    uint32_t ipEnd = eth + ((uint32_t(b[eth + 2]) << 8) | b[eth + 3]);
    if (ipEnd > size || ihl < 20 || eth + ihl >= ipEnd)
    {
        return false;
    }
    size = ipEnd;
    uint32_t l4 = eth + ihl;
    uint8_t proto = b[eth + 9];
    uint32_t skip = 0; // bytes of the L4 header left alone
    bool isProtected = false;
    if (proto == 50 || proto == 51)
    {
        skip = proto == 50 ? 8 : 12; // SPI + sequence (+ AH's next header/length/reserved)
        isProtected = true;
    }
    else if (proto == 17 || proto == 6)
    {
        if (size < l4 + 4)
        {
            return false;
        }
        uint16_t sp = (b[l4] << 8) | b[l4 + 1];
        uint16_t dp = (b[l4 + 2] << 8) | b[l4 + 3];
        for (uint16_t port : {sp, dp})
        {
            if (port == 5060 || port == 500 || port == 4500)
            {
                return false;
            }
        }
        // UDP: the header and the measurement header the voice traffic puts first (its RTP
        // header) — sequence number and send time are what the receiver measures loss and
        // delay with; changing them would corrupt the statistics, not the user's data.
        skip = proto == 17 ? 8 + m_udpKeep : 4u * (size > l4 + 12 ? (b[l4 + 12] >> 4) : 5);
    }
    else
    {
        return false;
    }
    if (size <= l4 + skip || m_rng->GetValue() >= m_probability)
    {
        return false;
    }
    uint32_t at = l4 + skip + m_rng->GetInteger(0, size - l4 - skip - 1);
    b[at] ^= uint8_t(1u << m_rng->GetInteger(0, 7));
    // The attacker changes bytes, not the simulation's bookkeeping: packet tags stay.
    *p = *PacketWithTagsOf(p, b.data(), uint32_t(b.size()));
    ++(isProtected ? m_tamperedProtected : m_tamperedClear);
    NS_LOG_LOGIC("tampered " << (isProtected ? "protected" : "clear") << " byte " << at);
    m_tamperedTrace(p, isProtected);
    return false; // changed, not lost
}

void
TamperErrorModel::DoReset()
{
    m_tamperedProtected = 0;
    m_tamperedClear = 0;
}

} // namespace ns3
