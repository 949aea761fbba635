/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_PACKET_BUFFER_POOL_H
#define PRESEC_PACKET_BUFFER_POOL_H

#include <cstdint>

namespace ns3
{

/**
 * \ingroup presec-common
 * Fills ns-3's free list of packet buffers with buffers large enough for a run's packets.
 *
 * ns-3.37's Buffer keeps freed packet buffers for reuse (up to 1,001 of them), but only those
 * of the largest size it has freed so far: a smaller one goes back to the heap. When a run's
 * packets all have one size, that is every buffer. Once a larger packet has been freed (a SIP
 * NOTIFY with its PIDF document, an IKE_AUTH), every smaller one afterwards, every voice
 * packet, costs an allocation and a free for each buffer it passes through: 1.16 million
 * buffer allocations against 17 thousand for the same 133 thousand voice packets on a
 * 100-terminal campus, a fifth of what presec added to the run's instructions.
 *
 * Prime() allocates \p buffers buffers of \p bytes at once and frees them together: the free
 * list then holds them and the largest size it knows is \p bytes, so every later buffer up to
 * that size is taken from the list and given back to it. A larger buffer freed later raises
 * the size again and the list drains as it would have without Prime(). Packets, events and
 * results are the same either way; only where the bytes live changes.
 */
class PacketBufferPool
{
  public:
    /// ns-3.37 keeps at most this many buffers in its free list.
    static constexpr uint32_t kFreeListLimit = 1001;
    /// Above every buffer campus-1000 frees with presec (2,048 is not: its pool drains).
    static constexpr uint32_t kDefaultBytes = 4096;

    /**
     * Leaves \p buffers buffers of \p bytes each in ns-3's packet buffer free list.
     * \param buffers how many (more than kFreeListLimit are freed to the heap by ns-3)
     * \param bytes the size of each
     */
    static void Prime(uint32_t buffers = kFreeListLimit, uint32_t bytes = kDefaultBytes);
};

} // namespace ns3

#endif // PRESEC_PACKET_BUFFER_POOL_H
