/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_IPSEC_LAYER_H
#define PRESEC_IPSEC_LAYER_H

#include "ipsec-crypto.h"
#include "ipsec-drop-reason.h"
#include "ipsec-tag.h"
#include "security-association-database.h"
#include "security-policy-database.h"

#include "ns3/ip-l4-protocol.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-route.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <array>
#include <map>
#include <set>

namespace ns3
{

class Node;
class Ipv4L3Protocol;
class CryptoCostModel;

/**
 * \ingroup presec
 * Counters of one IPsec layer.
 */
struct IpsecCounters
{
    uint64_t protectedTxPackets{0};      //!< packets sent protected
    uint64_t protectedTxBytes{0};        //!< their inner (pre-protection) bytes
    uint64_t protectedRxPackets{0};      //!< protected packets verified and delivered
    uint64_t protectedRxBytes{0};        //!< their inner bytes
    uint64_t plainTxPackets{0};          //!< packets sent in clear (bypass, or `use` without SA)
    uint64_t plainTxBytes{0};            //!< their bytes
    uint64_t plainRxPackets{0};          //!< clear packets accepted by the inbound policy
    uint64_t plainRxBytes{0};            //!< their bytes
    uint64_t overheadTxBytes{0};         //!< bytes added by ESP/AH/IPComp/tunnel headers on send
    uint64_t compressionSavedTxBytes{0}; //!< bytes IPComp saved on packets that shrank
    std::array<uint64_t, IPSEC_DROP_REASON_COUNT> drops{}; //!< drops per IpsecDropReason
};

/**
 * \ingroup presec
 * The IPsec block of a node (patent: IPsec functional block 110): puts every outbound UDP,
 * TCP and ICMP packet through the outbound SPD (bypass, discard or protect with the SAs of the
 * SAD) and every inbound packet through the inbound SPD check, with ESP, AH and IPComp on the
 * wire in transport or tunnel mode.
 *
 * How it sits in the ns-3.37 IPv4 stack:
 *  - outbound, it takes the down target of the UDP, TCP and ICMP protocols; protected packets
 *    leave through Ipv4L3Protocol::SendWithHeader with an IPv4 header built here, because the
 *    AH ICV covers the header's identification;
 *  - inbound, IpsecInboundProtocol objects handle protocols 50, 51 and 108; decapsulated
 *    transport-mode UDP/TCP go straight to the upper protocol, tunnel-mode and ICMP packets
 *    are re-injected through Ipv4L3Protocol::Receive (so forwarding and raw sockets work);
 *  - IpsecPolicyGuard objects stand in for UDP and TCP (and, per interface, ICMP) and check
 *    the inbound policy, using the IpsecTag the decapsulation left on the packet.
 *
 * Presence (SIP, port 5060) and key exchange (IKE, ports 500/4500) always bypass the SPD
 * (attribute BypassPorts), as the apparatus must be able to talk before policies agree.
 * Raw-socket traffic (e.g. V4Ping requests) does not pass the outbound hook.
 */
class IpsecLayer : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    IpsecLayer();
    ~IpsecLayer() override;

    /**
     * Hook into the node's IPv4 stack. The node must have an Ipv4L3Protocol with UDP, TCP and
     * ICMP (InternetStackHelper) and should have its interfaces already.
     * \param node the node
     */
    void Install(Ptr<Node> node);

    /** \return the security policy database */
    Ptr<SecurityPolicyDatabase> GetSpd() const;

    /** \return the security association database */
    Ptr<SecurityAssociationDatabase> GetSad() const;

    /** \return the counters */
    const IpsecCounters& GetCounters() const;

    /**
     * \param reason a drop reason
     * \return how many packets were dropped for it
     */
    uint64_t GetDrops(IpsecDropReason reason) const;

    /** \return the total of all drops */
    uint64_t GetTotalDrops() const;

    /** \return the crypto mode in use */
    CryptoMode GetCryptoMode() const;

    /**
     * Process an arriving ESP, AH or IPComp packet (called by IpsecInboundProtocol).
     * \param protocol 50, 51 or 108
     * \param p the packet, starting with the IPsec header
     * \param header its IPv4 header
     * \param incomingInterface the interface it arrived on
     * \return the receive status for Ipv4L3Protocol
     */
    IpL4Protocol::RxStatus ReceiveProtected(uint8_t protocol,
                                            Ptr<Packet> p,
                                            const Ipv4Header& header,
                                            Ptr<Ipv4Interface> incomingInterface);

    /**
     * Inbound policy check of a packet about to reach UDP, TCP or ICMP (called by
     * IpsecPolicyGuard). Removes this node's IpsecTag from the packet.
     * \param p the packet, starting with the upper-layer header
     * \param header its IPv4 header
     * \return true if the packet may be delivered
     */
    bool CheckInbound(Ptr<Packet> p, const Ipv4Header& header);

    /**
     * Signature of the Drop trace.
     * \param packet the dropped packet (as it was when dropped)
     * \param header the IPv4 header it had (inbound) or would have had (outbound)
     * \param reason why
     */
    typedef void (*DropTracedCallback)(Ptr<const Packet> packet,
                                       const Ipv4Header& header,
                                       IpsecDropReason reason);

    /**
     * Signature of the ProtectedTx / ProtectedRx / PlainTx / PlainRx traces.
     * \param packet the packet (protected traces: the wire form)
     * \param header its IPv4 header
     */
    typedef void (*PacketTracedCallback)(Ptr<const Packet> packet, const Ipv4Header& header);

    /**
     * Signature of the Acquire trace: an outbound packet needs an SA that does not exist.
     * \param policy the policy that asked for protection
     * \param request the request without an SA
     * \param selector the packet
     */
    typedef void (*AcquireTracedCallback)(const SecurityPolicy& policy,
                                          const IpsecRequest& request,
                                          const PacketSelector& selector);

  protected:
    /** Release references (ns-3 Object disposal). */
    void DoDispose() override;

  private:
    /**
     * Down target installed in UDP, TCP and ICMP.
     * \param original the protocol's original down target
     * \param p the segment
     * \param source source address
     * \param destination destination address
     * \param protocol upper protocol number
     * \param route the route chosen by the socket
     */
    void Send(IpL4Protocol::DownTargetCallback original,
              Ptr<Packet> p,
              Ipv4Address source,
              Ipv4Address destination,
              uint8_t protocol,
              Ptr<Ipv4Route> route);

    /**
     * Emit a protected packet.
     * \param p the packet without IPv4 header
     * \param header the IPv4 header
     * \param route the route, or nullptr to look one up
     */
    void SendProtected(Ptr<Packet> p, Ipv4Header header, Ptr<Ipv4Route> route);

    /**
     * Continue an inbound packet after IPsec processing (possibly after a CPU delay).
     * \param nextHeader the protocol inside
     * \param inner the inner packet
     * \param header the IPv4 header to present to the upper protocol
     * \param incomingInterface the arrival interface
     */
    void DeliverInner(uint8_t nextHeader,
                      Ptr<Packet> inner,
                      Ipv4Header header,
                      Ptr<Ipv4Interface> incomingInterface);

    /**
     * Build the selector of a packet.
     * \param p the packet, starting with the upper-layer header
     * \param source source address
     * \param destination destination address
     * \param protocol upper protocol
     * \return the selector
     */
    static PacketSelector MakeSelector(Ptr<const Packet> p,
                                       Ipv4Address source,
                                       Ipv4Address destination,
                                       uint8_t protocol);

    /**
     * Attribute setter of BypassPorts.
     * \param text comma-separated port numbers
     */
    void SetBypassPorts(std::string text);

    /**
     * \param s a selector
     * \return true if it belongs to presence or key-exchange signalling
     */
    bool IsBypassed(const PacketSelector& s) const;

    /**
     * Count and trace a drop.
     * \param p the packet
     * \param header its IPv4 header
     * \param reason why
     */
    void Drop(Ptr<const Packet> p, const Ipv4Header& header, IpsecDropReason reason);

    /** \return the next IPv4 identification for a header built here */
    uint16_t NextIdentification();

    Ptr<Node> m_node;                       //!< the node
    Ptr<Ipv4L3Protocol> m_ipv4;             //!< its IPv4
    Ptr<SecurityPolicyDatabase> m_spd;      //!< policies
    Ptr<SecurityAssociationDatabase> m_sad; //!< associations
    Ptr<CryptoCostModel> m_cost;            //!< CPU model, may be null
    int m_cryptoModeValue;                  //!< CryptoMode as int (EnumValue holds int)
    uint32_t m_ipcompThreshold;             //!< smallest payload IPComp tries
    std::set<uint16_t> m_bypassPorts;       //!< signalling ports
    uint8_t m_defaultTtl;                   //!< TTL of headers built here
    uint16_t m_identification{0};           //!< identification counter
    IpsecCounters m_counters;               //!< counters

    TracedCallback<Ptr<const Packet>, const Ipv4Header&, IpsecDropReason> m_dropTrace;
    TracedCallback<Ptr<const Packet>, const Ipv4Header&> m_protectedTxTrace; //!< sent protected
    TracedCallback<Ptr<const Packet>, const Ipv4Header&> m_protectedRxTrace; //!< verified
    TracedCallback<Ptr<const Packet>, const Ipv4Header&> m_plainTxTrace;     //!< sent in clear
    TracedCallback<Ptr<const Packet>, const Ipv4Header&> m_plainRxTrace;     //!< accepted clear
    TracedCallback<const SecurityPolicy&, const IpsecRequest&, const PacketSelector&>
        m_acquireTrace; //!< SA needed
};

} // namespace ns3

#endif // PRESEC_IPSEC_LAYER_H
