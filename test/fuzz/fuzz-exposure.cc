/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// libFuzzer target: the eavesdropper's reading of IPv4 packets (ExposureProbe::Classify): AH,
// ESP with and without encryption, IPComp (inflated), IPIP, nested or broken. The input is an
// IPv4 header and what follows; the first byte picks the ESP SA's view (encrypting or not, its
// ICV size). Every packet is counted at most once, in one class, and what is read as clear
// data is never more than the packet's payload, or what IPComp may inflate to.

#include "ns3/exposure-monitor.h"
#include "ns3/exposure-probe.h"
#include "ns3/ipcomp-transform.h"
#include "ns3/ipv4-header.h"
#include "ns3/packet.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 1)
    {
        return 0;
    }
    const uint8_t view = data[0];
    ++data;
    --size;
    size = std::min<size_t>(size, 65535);
    auto monitor = ns3::CreateObject<ns3::ExposureMonitor>();
    const uint32_t net = monitor->AddNetwork(false);
    monitor->SetTerminals(2);
    // Addresses the seeds use, so that clear data counts (it counts only for terminals).
    monitor->AddAddress(ns3::Ipv4Address("10.0.0.1"), 0);
    monitor->AddAddress(ns3::Ipv4Address("10.0.0.2"), 1);
    auto probe = ns3::CreateObject<ns3::ExposureProbe>(monitor, net);
    probe->SetEspSaLookup(ns3::ExposureProbe::EspSaLookup(
        [view](uint32_t, ns3::Ipv4Address, ns3::ExposureProbe::EspSaView& v) {
            v.encrypts = (view & 0x80) != 0;
            v.icvBytes = view & 0x3f;
            return (view & 0x40) == 0;
        }));
    auto packet = ns3::Create<ns3::Packet>(data, uint32_t(size));
    ns3::Ipv4Header ip;
    if (size < 20 || (data[0] >> 4) != 4 || (data[0] & 0x0f) * 4u > size ||
        packet->PeekHeader(ip) == 0)
    {
        return 0; // the probes get IPv4 packets only (EtherType 0x0800, LLC/SNAP 0x0800)
    }
    probe->Classify(packet);
    const auto& s = monitor->GetNetworkStats(net);
    const uint64_t counted = s.clearDataPackets + s.protectedPackets + (s.signalingBytes > 0);
    const uint64_t readable =
        std::max<uint64_t>(ip.GetPayloadSize(), ns3::IpcompTransform::MAX_INFLATED_BYTES);
    if (counted > 1 || s.clearDataBytes > readable ||
        (s.clearDataPackets == 0 && s.clearDataBytes != 0))
    {
        std::abort();
    }
    return 0;
}
