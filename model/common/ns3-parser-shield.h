/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_NS3_PARSER_SHIELD_H
#define PRESEC_NS3_PARSER_SHIELD_H

#include "ns3/ipsec-policy-guard.h"
#include "ns3/ipv4-l3-protocol.h"

#include <cstdint>
#include <vector>

namespace ns3
{

class IpsecLayer;

/**
 * \ingroup presec-common
 * \param b a TCP segment (its first 20 + 40 + 2 + 31 * 8 bytes suffice)
 * \return true if ns-3.37's TCP header parser (TcpHeader::Deserialize and the TcpOption
 *         classes) could hang, abort or read past the segment on it. Three ns-3 defects, all
 *         still in ns-3-dev:
 *          - an option of unknown kind with length 0: TcpOptionUnknown::Deserialize returns
 *            0, which equals its GetSerializedSize(), so the option loop advances by 0 bytes
 *            and allocates a TcpOptionUnknown per turn until memory runs out;
 *          - an MSS option whose length is not 4: NS_ABORT_IF(size != 4) stops the process;
 *          - a data offset or option length past the segment (SACK reads (length-2)/8 blocks
 *            whatever its room): the parser reads whatever bytes follow in the buffer.
 *         The check walks the options as TcpHeader::Deserialize's loop does.
 */
bool BreaksNs3Tcp(const std::vector<uint8_t>& b);

/**
 * \ingroup presec-common
 * \param b an ICMP message
 * \return true if ns-3.37's Icmpv4L4Protocol would crash or read past the message on it:
 *         an echo request shorter than 8 bytes makes Icmpv4Echo::Deserialize compute its data
 *         size as (remaining - 4), which wraps, and allocate and read ~4 GiB (NS_ASSERT only
 *         in debug builds; still in ns-3-dev); a message shorter than its 4-byte header, and
 *         a destination-unreachable or time-exceeded message shorter than the IPv4 header and
 *         8 bytes it quotes, are read past their end.
 */
bool BreaksNs3Icmp(const std::vector<uint8_t>& b);

/**
 * \ingroup presec-common
 * An IpsecPolicyGuard for the node's TCP or (per interface) ICMP that also keeps from them the
 * packets on which ns-3's own parsers hang, abort or read out of bounds (BreaksNs3Tcp,
 * BreaksNs3Icmp): those get the same inbound policy check, so their verdict is still counted, and
 * go no further. Everything else passes unchanged. These are ns-3 defects, not presec ones; without
 * the shield the fuzzer finds them within seconds, and a capture replayed into a node
 * (IpsecCaptureReplay) may hold such packets too.
 */
class Ns3ParserShield : public IpsecPolicyGuard
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /**
     * \param layer the layer that checks
     * \param real the protocol guarded (TCP or ICMP)
     */
    Ns3ParserShield(Ptr<IpsecLayer> layer, Ptr<IpL4Protocol> real);

    /**
     * Replace the IpsecPolicyGuard of a node's TCP and, on each of its interfaces, ICMP by a
     * shield. Call after IpsecHelper::Install and after the interfaces are added.
     * \param ipv4 the node's IPv4
     * \param layer its IPsec layer
     * \return the shields
     */
    static std::vector<Ptr<Ns3ParserShield>> Install(Ptr<Ipv4L3Protocol> ipv4,
                                                     Ptr<IpsecLayer> layer);

    /** \return the packets kept back so far */
    uint64_t GetShielded() const;

    /**
     * Keep back what ns-3's parser cannot take (after the inbound policy check), else do as
     * IpsecPolicyGuard does.
     * \param p the packet (transport payload)
     * \param header the IPv4 header it arrived with
     * \param incomingInterface the interface it arrived on
     * \return RX_ENDPOINT_CLOSED for a packet kept back, else the guard's status
     */
    RxStatus Receive(Ptr<Packet> p,
                     const Ipv4Header& header,
                     Ptr<Ipv4Interface> incomingInterface) override;
    using IpsecPolicyGuard::Receive;

  private:
    uint64_t m_shielded{0}; //!< packets kept back
};

} // namespace ns3

#endif // PRESEC_NS3_PARSER_SHIELD_H
