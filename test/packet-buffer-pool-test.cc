/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * PacketBufferPool: after a large packet has been freed, packets smaller than it take no heap
 * memory for their buffers once the pool is primed, and do without it (ns-3.37's free list).
 * Each test runs in a process of its own (gtest_discover_tests), so the free list starts empty.
 */

#include "ns3/ipv4-header.h"
#include "ns3/packet-buffer-pool.h"
#include "ns3/packet.h"
#include "ns3/udp-header.h"

#include <gtest/gtest.h>

#include <malloc.h>
#include <vector>

using namespace ns3;

namespace
{

constexpr uint32_t kPackets = 200;
constexpr uint32_t kPayload = 1000;

/// Frees a packet of \p bytes, as a SIP NOTIFY or an IKE_AUTH is freed during a run.
void
FreeALargePacket(uint32_t bytes)
{
    std::vector<uint8_t> data(bytes, 0x5a);
    Ptr<Packet> p = Create<Packet>(data.data(), bytes);
}

/// Heap bytes in use per packet while kPackets voice-like packets (payload, UDP, IPv4) live.
double
HeapBytesPerLivePacket()
{
    std::vector<uint8_t> payload(kPayload, 0x33);
    std::vector<Ptr<Packet>> held;
    held.reserve(kPackets);
    size_t before = mallinfo2().uordblks;
    for (uint32_t i = 0; i < kPackets; ++i)
    {
        Ptr<Packet> p = Create<Packet>(payload.data(), kPayload);
        p->AddHeader(UdpHeader());
        p->AddHeader(Ipv4Header());
        held.push_back(p);
    }
    return double(mallinfo2().uordblks - before) / kPackets;
}

bool
UnderAddressSanitizer()
{
#if defined(__SANITIZE_ADDRESS__)
    return true; // ASan's allocator is not glibc's: mallinfo2 does not see it
#else
    return false;
#endif
}

TEST(PacketBufferPool, WithoutItSmallerPacketsTakeTheirBuffersFromTheHeap)
{
    if (UnderAddressSanitizer())
    {
        GTEST_SKIP() << "mallinfo2 does not count ASan's allocations";
    }
    FreeALargePacket(8000);
    // Each packet's buffer, at least its payload, is heap memory: ns-3 frees the buffers of
    // earlier packets smaller than 8,000 bytes instead of keeping them.
    EXPECT_GT(HeapBytesPerLivePacket(), double(kPayload));
}

TEST(PacketBufferPool, PrimedSmallerPacketsTakeTheirBuffersFromTheList)
{
    if (UnderAddressSanitizer())
    {
        GTEST_SKIP() << "mallinfo2 does not count ASan's allocations";
    }
    PacketBufferPool::Prime(kPackets + 10, 16384);
    FreeALargePacket(8000);
    // Only the Packet objects themselves: every buffer came from the free list.
    EXPECT_LT(HeapBytesPerLivePacket(), double(kPayload) / 2);
    // And they go back to it: a second round takes nothing from the heap either.
    EXPECT_LT(HeapBytesPerLivePacket(), double(kPayload) / 2);
}

TEST(PacketBufferPool, ALargerPacketThanThePoolsBuffersLeavesThingsAsWithoutIt)
{
    if (UnderAddressSanitizer())
    {
        GTEST_SKIP() << "mallinfo2 does not count ASan's allocations";
    }
    PacketBufferPool::Prime(kPackets + 10, 4096);
    FreeALargePacket(8000); // raises ns-3's size above the pool's: its buffers drain to the heap
    HeapBytesPerLivePacket();
    EXPECT_GT(HeapBytesPerLivePacket(), double(kPayload));
}

} // namespace
