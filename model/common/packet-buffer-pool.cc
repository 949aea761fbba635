/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "packet-buffer-pool.h"

#include "ns3/packet.h"

#include <vector>

namespace ns3
{

void
PacketBufferPool::Prime(uint32_t buffers, uint32_t bytes)
{
    // A packet made from bytes (not a zero-filled size, which ns-3 keeps virtual) owns a
    // buffer of that size; all of them alive at once, then freed together into the list.
    std::vector<uint8_t> zeros(bytes);
    std::vector<Ptr<Packet>> held;
    held.reserve(buffers);
    for (uint32_t i = 0; i < buffers; ++i)
    {
        held.push_back(Create<Packet>(zeros.data(), bytes));
    }
}

} // namespace ns3
