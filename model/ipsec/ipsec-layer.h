/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_IPSEC_LAYER_H
#define PRESEC_IPSEC_LAYER_H

#include "ipsec-crypto.h"
#include "ipsec-drop-reason.h"
#include "ipsec-tag.h"
#include "key-management-sap.h"
#include "security-association-database.h"

#include "ns3/ip-l4-protocol.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-route.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/object.h"
#include "ns3/security-policy-database.h"
#include "ns3/traced-callback.h"

#include <array>
#include <boost/container/small_vector.hpp>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <tuple>
#include <vector>

namespace ns3
{

class Node;
class Ipv4L3Protocol;
class CryptoCostModel;

/**
 * \ingroup presec-ipsec
 * What the IPsec level `default` means (attribute IpsecLayer::LevelSemantics).
 */
enum class LevelSemantics : uint8_t
{
    KAME,  //!< the system default, shipped as `use`: optional
    LINUX, //!< Linux af_key: only `use` is optional, `default` is mandatory
};

/**
 * \ingroup presec-ipsec
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
 * Presence (SIP, port 5060) and key exchange (IKE, ports 500/4500) bypass the SPD at their
 * local endpoints only (attribute BypassPorts), as Linux's per-socket bypass of the IKE
 * daemon: the apparatus must be able to talk before policies agree, but a packet that merely
 * comes from port 5060 is checked like any other.
 *
 * The inbound check binds every accepted packet to the SAs that verified it (RFC 4301 §5.2,
 * Linux __xfrm_policy_check): the SA's source must be the packet's, each mandatory request
 * of the policy must have been applied, in order, by an SA of its protocol, mode, reqid and
 * (tunnel) endpoints, and no unmatched tunnel may remain.
 *
 * Raw-socket traffic does not pass the outbound hook (V4Ping and Ipv4RawSocketImpl call
 * Ipv4::Send directly), so a raw socket's packets leave in clear whatever the SPD says; on
 * input, raw sockets see packets before LocalDeliver, so they also see clear ICMP that the
 * policy guard then drops for the ICMP protocol. Tunnel-mode and decrypted ICMP are
 * re-injected and reach raw sockets in their inner form.
 */
class alignas(64) IpsecLayer : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /**
     * Counters of one IPsec layer.
     */
    struct Stats
    {
        uint64_t protectedTxPackets{0}; //!< packets sent protected
        uint64_t protectedTxBytes{0};   //!< their inner (pre-protection) bytes
        uint64_t protectedRxPackets{0}; //!< protected packets verified and delivered
        uint64_t protectedRxBytes{0};   //!< their inner bytes
        uint64_t plainTxPackets{0};     //!< packets sent in clear (bypass, or `use` without SA)
        uint64_t plainTxBytes{0};       //!< their bytes
        uint64_t plainRxPackets{0};     //!< clear packets accepted by the inbound policy
        uint64_t plainRxBytes{0};       //!< their bytes
        uint64_t bypassTxPackets{0};    //!< of the plain sent, the signalling's (BypassPorts)
        uint64_t bypassTxBytes{0};      //!< their bytes
        uint64_t bypassRxPackets{0};    //!< of the plain accepted, the signalling's
        uint64_t bypassRxBytes{0};      //!< their bytes
        uint64_t overheadTxBytes{0};    //!< bytes added by ESP/AH/IPComp/tunnel headers on send
        uint64_t compressionSavedTxBytes{0};     //!< bytes IPComp saved on packets that shrank
        uint64_t ipcompUncompressedRxPackets{0}; //!< IPComp tunnel packets that came as plain IPIP
        uint64_t forwardedPackets{0};            //!< forwarded packets the fwd policies let through
        std::array<uint64_t, IPSEC_DROP_REASON_COUNT> drops{}; //!< drops per IpsecDropReason
    };

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
    const Stats& GetStats() const;

    /**
     * \return what a key-management daemon (IKE) calls down: SAs in and out, free SPIs, the
     *         policies (the layer owns it; valid while the layer lives)
     */
    KeyManagementSapProvider* GetKeyManagementSapProvider();

    /**
     * Set the key-management daemon told of acquires, expiries, removals and the first use
     * of inbound SAs (one per node, as one IKE daemon holds PF_KEY).
     * \param user its SAP user (null: none); it must outlive its registration
     */
    void SetKeyManagementSapUser(KeyManagementSapUser* user);

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
     * Forward a packet (called by IpsecForwardRouting when the routing decides to forward):
     * the fwd-policy check with what this node decapsulated, then tunnel-mode protection if
     * an out policy asks for it, else plain forwarding through \p ucb.
     * \param ucb Ipv4L3Protocol's forwarding
     * \param route the route chosen
     * \param p the packet
     * \param header its IPv4 header
     */
    void Forward(Ipv4RoutingProtocol::UnicastForwardCallback ucb,
                 Ptr<Ipv4Route> route,
                 Ptr<const Packet> p,
                 const Ipv4Header& header);

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
    /** An SA bundle: the requests of a policy and their SAs, innermost first. */
    /// Inline storage for the usual bundles (up to IPComp + ESP + AH and a tunnel): no
    /// allocation per packet.
    typedef boost::container::small_vector<std::pair<const IpsecRequest*, Ptr<SecurityAssociation>>,
                                           4>
        Chain;

    /**
     * Find the SAs of a policy's requests.
     * \param policy the policy
     * \param source the packet's source
     * \param destination the packet's destination
     * \param chain filled with the requests that have an SA
     * \param missing filled with copies of the requests that have none
     * \return true if a mandatory request has no SA
     */
    bool ResolveChain(const SecurityPolicy& policy,
                      Ipv4Address source,
                      Ipv4Address destination,
                      Chain& chain,
                      std::vector<IpsecRequest>& missing) const;

    /**
     * The inbound or fwd policy check of a packet (Linux __xfrm_policy_check).
     * \param direction in or fwd
     * \param sel the packet's selector
     * \param applied what this node removed from it, outermost first
     * \return the reason to drop it, or empty to accept it
     */
    std::optional<IpsecDropReason> PolicyVerdict(PolicyDirection direction,
                                                 const PacketSelector& sel,
                                                 const IpsecTag::AppliedList& applied) const;

    /// Where an upper protocol's packets went before the layer took its down target: this
    /// stack's Ipv4::Send, called directly (one callback indirection less per packet), or
    /// whatever other target the protocol had.
    struct DownTarget
    {
        /// This stack's Ipv4 (m_ipv4, which holds the reference), or null.
        Ipv4* direct{nullptr};
        IpL4Protocol::DownTargetCallback another; //!< the original target when direct is null

        /**
         * Hand a packet on.
         * \param p the segment
         * \param source source address
         * \param destination destination address
         * \param protocol upper protocol number
         * \param route the route chosen by the socket
         */
        void operator()(Ptr<Packet> p,
                        Ipv4Address source,
                        Ipv4Address destination,
                        uint8_t protocol,
                        Ptr<Ipv4Route> route) const;
    };

    /**
     * Down target installed in UDP, TCP and ICMP.
     * \param next where a packet that leaves (clear or protected) goes on
     * \param p the segment
     * \param source source address
     * \param destination destination address
     * \param protocol upper protocol number
     * \param route the route chosen by the socket
     */
    void Send(const DownTarget& next,
              Ptr<Packet> p,
              Ipv4Address source,
              Ipv4Address destination,
              uint8_t protocol,
              Ptr<Ipv4Route> route);

    /**
     * Protect a packet with an SA bundle and send it.
     * \param chain the requests and their SAs, innermost first
     * \param p the segment
     * \param source source address
     * \param destination destination address
     * \param protocol upper protocol number
     * \param route the route chosen by the socket
     * \param forwarded \p p is a forwarded packet that starts with its IPv4 header (the
     *        bundle then starts with a tunnel, whose inner header it is)
     */
    void SendChain(const Chain& chain,
                   Ptr<Packet> p,
                   Ipv4Address source,
                   Ipv4Address destination,
                   uint8_t protocol,
                   Ptr<Ipv4Route> route,
                   bool forwarded = false);

    /**
     * Linux xfrm_state_mtu: the largest upper-layer segment that fits a link MTU once the
     * bundle has protected it.
     * \param chain the requests and their SAs, innermost first
     * \param mtu the link MTU
     * \return the largest segment (upper-layer header included), in bytes
     */
    static uint32_t GetMaxInnerSize(const Chain& chain, uint32_t mtu);

    /**
     * On an active open's first SYN, size the TCP socket's segments so that protected
     * segments do not fragment (see GetMaxInnerSize).
     * \param chain the bundle the SYN gets
     * \param p the segment
     * \param sel its selector
     * \param route the route chosen by the socket
     */
    void SizeTcpSegments(const Chain& chain,
                         Ptr<const Packet> p,
                         const PacketSelector& sel,
                         Ptr<Ipv4Route> route);

    /**
     * Tell the local sender of a DF datagram the MTU left to it, as an ICMP "fragmentation
     * needed" received from the network would.
     * \param p the datagram (upper-layer header first)
     * \param source its source
     * \param destination its destination
     * \param protocol its upper protocol
     * \param mtu the MTU for it
     */
    void ReportFragmentationNeeded(Ptr<const Packet> p,
                                   Ipv4Address source,
                                   Ipv4Address destination,
                                   uint8_t protocol,
                                   uint32_t mtu);

    /**
     * Outbound policy of a packet; an ICMP error that no IPsec policy covers is protected as
     * the flow it quotes (Linux XFRM_LOOKUP_ICMP).
     * \param p the packet, starting with the upper-layer header
     * \param sel its selector
     * \param[out] action the policy's action, or the SPD's no-match action
     * \return the policy, or nullptr
     */
    const SecurityPolicy* LookupOutbound(Ptr<const Packet> p,
                                         const PacketSelector& sel,
                                         PolicyAction& action) const;

    /**
     * The SPD's answer for a selector; the last one of each direction is kept until the SPD
     * is edited.
     * \param direction the list
     * \param sel the selector
     * \param[out] action the policy's action, or the SPD's no-match action
     * \return the policy, or nullptr
     */
    const SecurityPolicy* LookupPolicy(PolicyDirection direction,
                                       const PacketSelector& sel,
                                       PolicyAction& action) const;

    /**
     * \param r a request
     * \return true if its level makes it mandatory (see LevelSemantics)
     */
    bool IsMandatory(const IpsecRequest& r) const;

    /**
     * Linux xfrm_state_ok: does a removed protection satisfy a request?
     * \param r the request (template)
     * \param a the protection
     * \return true if protocol, mode, reqid and tunnel endpoints match
     */
    static bool TemplateMatches(const IpsecRequest& r, const IpsecTag::Applied& a);

    /**
     * Linux xfrm_policy_ok: find the protection that satisfies a request.
     * \param r the request
     * \param applied the removed protections, outermost first
     * \param start the first protection not consumed by outer requests
     * \return the index after the matching protection, \p start when an optional request is
     *         not applied, or -1 when a mandatory one is not
     */
    int MatchTemplate(const IpsecRequest& r, const IpsecTag::AppliedList& applied, int start) const;

    /**
     * Emit a protected packet.
     * \param p the packet without IPv4 header
     * \param header the IPv4 header
     * \param route the route, or nullptr to look one up
     */
    void SendProtected(Ptr<Packet> p, Ipv4Header header, Ptr<Ipv4Route> route);

    /**
     * Receive a plain IPIP packet: accepted only as an IPComp tunnel's uncompressed packet.
     * \param p the packet, starting with the inner IPv4 header
     * \param header the outer IPv4 header
     * \param incomingInterface the arrival interface
     * \param tag what this node removed from the packet so far
     * \param noState the drop reason when no IPComp tunnel SA accepts it
     * \return the receive status for Ipv4L3Protocol
     */
    IpL4Protocol::RxStatus ReceiveIpip(Ptr<Packet> p,
                                       const Ipv4Header& header,
                                       Ptr<Ipv4Interface> incomingInterface,
                                       IpsecTag tag,
                                       IpsecDropReason noState);

    /**
     * Continue an inbound packet after IPsec processing (possibly after a CPU delay).
     * \param nextHeader the protocol inside
     * \param mode the mode of the SA just removed
     * \param inner the inner packet
     * \param header the IPv4 header to present to the upper protocol
     * \param incomingInterface the arrival interface
     * \param tag what this node removed from the packet so far, this layer included
     */
    void DeliverInner(uint8_t nextHeader,
                      IpsecMode mode,
                      Ptr<Packet> inner,
                      Ipv4Header header,
                      Ptr<Ipv4Interface> incomingInterface,
                      IpsecTag tag);

    /**
     * Remove one ESP, AH or IPComp layer (ReceiveProtected, and again for a nested layer).
     * \param protocol 50, 51 or 108
     * \param p the packet, starting with the IPsec header
     * \param header its IPv4 header
     * \param incomingInterface the interface it arrived on
     * \param tag what this node removed from the packet so far
     *
eturn the receive status for Ipv4L3Protocol
     */
    IpL4Protocol::RxStatus ReceiveLayer(uint8_t protocol,
                                        Ptr<Packet> p,
                                        const Ipv4Header& header,
                                        Ptr<Ipv4Interface> incomingInterface,
                                        IpsecTag tag);

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
     * Outbound signalling bypass: from a local signalling port, or to a peer's (then the
     * connection is remembered, so its replies bypass too).
     * \param s a selector
     * \return true if the packet bypasses the SPD
     */
    bool IsBypassedOut(const PacketSelector& s);

    /**
     * Inbound signalling bypass: to a local signalling port, or a reply on a connection this
     * node opened to a peer's signalling port.
     * \param s a selector
     * \return true if the packet bypasses the SPD
     */
    bool IsBypassedIn(const PacketSelector& s) const;

    /**
     * IsBypassedOut or IsBypassedIn, answered from the direction's LastLookup when it holds
     * the answer: a clear packet then does not scan the signalling ports.
     * \param direction IN or OUT
     * \param s a selector
     * \return true if the packet bypasses the SPD
     */
    bool IsBypassed(PolicyDirection direction, const PacketSelector& s);

    /** Forget every direction's LastLookup: the SPD was edited (an edit listener) or the
     *  signalling ports changed, so the kept answers no longer hold. */
    void ForgetLookups();

    /**
     * Remove this node's verification record from a packet received anew (see
     * m_tagsInFlight).
     * \param p the packet
     * \param tag set to the record
     * \return true if the packet carried one of this node's records
     */
    bool TakeOwnTag(Ptr<Packet> p, IpsecTag& tag);

    /**
     * \param port a UDP or TCP port
     * \return true if it is a signalling port (BypassPorts)
     */
    bool IsBypassPort(uint16_t port) const;

    /**
     * \param s a selector
     * \return true for UDP or TCP from or to a signalling port (BypassPorts)
     */
    bool IsSignalling(const PacketSelector& s) const;

    /** A connection: protocol, local port, peer address and port. */
    struct BypassFlow
    {
        uint8_t protocol;   //!< UDP or TCP
        uint16_t localPort; //!< our port
        uint32_t peer;      //!< the peer's address
        uint16_t peerPort;  //!< its signalling port

        /**
         * \param o another flow
         * \return strict weak order
         */
        bool operator<(const BypassFlow& o) const
        {
            return std::tie(protocol, localPort, peer, peerPort) <
                   std::tie(o.protocol, o.localPort, o.peer, o.peerPort);
        }
    };

    /**
     * Count and trace a drop.
     * \param p the packet
     * \param header its IPv4 header
     * \param reason why
     */
    void Drop(Ptr<const Packet> p, const Ipv4Header& header, IpsecDropReason reason);

    /** \return the next IPv4 identification for a header built here */
    uint16_t NextIdentification();

    /// The last answers about one selector in one direction: the SPD's and whether it
    /// bypasses the SPD as signalling. The selector's fields are kept as numbers (an
    /// Ipv4Address carries a flag besides its four bytes), so that the answers, a PlainRx or
    /// PlainTx trace and that direction's counters share one cache line.
    struct LastLookup
    {
        static constexpr uint8_t POLICY = 1;       //!< flags: action and policy answer
        static constexpr uint8_t BYPASS_KNOWN = 2; //!< flags: the bypass question answered
        static constexpr uint8_t BYPASSED = 4;     //!< flags: ... with yes

        uint32_t source{0};                      //!< the question: source address
        uint32_t destination{0};                 //!< destination address
        uint16_t sourcePort{0};                  //!< source port
        uint16_t destinationPort{0};             //!< destination port
        uint8_t protocol{0};                     //!< upper protocol
        PolicyAction action{PolicyAction::NONE}; //!< the answer's action, or the no-match action
        uint8_t flags{0};                        //!< which answers hold (0: none, forgotten)
        const SecurityPolicy* policy{nullptr};   //!< the answer

        /**
         * \param s a selector
         * \return whether this holds answers about it
         */
        bool Matches(const PacketSelector& s) const
        {
            return flags != 0 && source == s.source.Get() && destination == s.destination.Get() &&
                   sourcePort == s.sourcePort && destinationPort == s.destinationPort &&
                   protocol == s.protocol;
        }

        /**
         * Start over with a new selector (no answers yet).
         * \param s the selector
         */
        void Ask(const PacketSelector& s)
        {
            *this = LastLookup{s.source.Get(),
                               s.destination.Get(),
                               s.sourcePort,
                               s.destinationPort,
                               s.protocol,
                               PolicyAction::NONE,
                               0,
                               nullptr};
        }
    };

    /**
     * \param direction a direction
     * \return its last SPD answer
     */
    LastLookup& Last(PolicyDirection direction) const;

    /// Most BypassPorts the layer holds (scanned when a selector's kept answer is refreshed).
    static constexpr size_t MAX_BYPASS_PORTS = 8;

    // What every clear packet reads and writes of the layer comes first, in cache lines of
    // its own (the class is aligned to a line): line 0 (after Object's members) both
    // directions, line 1 what a received packet needs, line 2 what a sent one does. With a
    // thousand terminals each layer is out of the CPU's caches when the next packet comes, and
    // every further line a packet touches is a miss (doc: "Processor time in turns").

    /// Signalling ports, sorted (m_nBypassPorts of them): a handful, scanned only when a
    /// direction's LastLookup does not already answer for the packet's selector.
    std::array<uint16_t, MAX_BYPASS_PORTS> m_bypassPorts{};
    uint8_t m_nBypassPorts{0}; //!< how many of m_bypassPorts are used
    /// Tunnelled packets received anew with this node's IpsecTag and not yet checked: while
    /// there are none, CheckInbound does not search the tags of every clear packet for one
    /// (an application's own tags make that search a walk). One lost on the way (dropped
    /// by the IPv4 stack) only keeps the search on.
    uint32_t m_tagsInFlight{0};
    /// The packet DeliverInner is handing to its guard right now and the record of what this
    /// node removed from it (m_deliveringTag): the transport-mode path passes the record
    /// directly instead of through a packet tag (a tag costs an allocation and a
    /// serialisation per packet).
    const Packet* m_delivering{nullptr};

    /// The last SPD answer per direction (see Last()): a voice flow asks the same question 50
    /// times a second, and with a thousand nodes the SPD's buckets are seldom still in the
    /// CPU's cache (Linux keeps a socket's policy lookup in its cached route). Dropped by the
    /// SPD's edit callback, so that a kept answer touches nothing outside the layer.
    alignas(64) mutable LastLookup m_lastIn;
    TracedCallback<Ptr<const Packet>, const Ipv4Header&> m_plainRxTrace; //!< accepted clear
    uint64_t m_plainRxPackets{0};             //!< Stats::plainRxPackets (copied in by GetStats)
    uint64_t m_plainRxBytes{0};               //!< Stats::plainRxBytes
    alignas(64) mutable LastLookup m_lastOut; //!< see m_lastIn
    TracedCallback<Ptr<const Packet>, const Ipv4Header&> m_plainTxTrace; //!< sent in clear
    uint64_t m_plainTxPackets{0}; //!< Stats::plainTxPackets (copied in by GetStats)
    uint64_t m_plainTxBytes{0};   //!< Stats::plainTxBytes
    mutable Stats m_stats;        //!< counters (the clear packets' are copied in by GetStats)
    mutable LastLookup m_lastFwd; //!< see m_lastIn

    Ptr<Node> m_node;                        //!< the node
    Ptr<Ipv4L3Protocol> m_ipv4;              //!< its IPv4
    Ptr<SecurityPolicyDatabase> m_spd;       //!< policies
    Ptr<SecurityAssociationDatabase> m_sad;  //!< associations
    Ptr<CryptoCostModel> m_cost;             //!< CPU model, may be null
    int m_cryptoModeValue;                   //!< CryptoMode as int (EnumValue holds int)
    uint32_t m_ipcompThreshold;              //!< smallest payload IPComp tries
    bool m_protectForwarded{false};          //!< ProtectForwarded
    int m_levelSemantics;                    //!< LevelSemantics as int
    std::set<BypassFlow> m_bypassFlows;      //!< connections to peers' signalling ports
    std::set<BypassFlow> m_sizedConnections; //!< TCP active opens whose first SYN passed
    IpsecTag m_deliveringTag;                //!< the record of m_delivering
    uint8_t m_defaultTtl;                    //!< TTL of headers built here
    uint16_t m_identification{0};            //!< identification counter
    std::unique_ptr<KeyManagementSapProvider> m_kmProvider; //!< the daemon's calls down
    KeyManagementSapUser* m_kmUser{nullptr};                //!< the daemon told (may be null)

    TracedCallback<Ptr<const Packet>, const Ipv4Header&, IpsecDropReason> m_dropTrace;
    TracedCallback<Ptr<const Packet>, const Ipv4Header&> m_protectedTxTrace; //!< sent protected
    TracedCallback<Ptr<const Packet>, const Ipv4Header&> m_protectedRxTrace; //!< verified
    /// verified, decapsulated and let through the fwd policies
    TracedCallback<Ptr<const Packet>, const Ipv4Header&> m_protectedForwardedTrace;
    /// sent under IPsec that does not encrypt (AH, ESP-NULL, IPComp): readable on the wire
    TracedCallback<Ptr<const Packet>, const Ipv4Header&> m_readableTxTrace;
    TracedCallback<const SecurityPolicy&, const IpsecRequest&, const PacketSelector&>
        m_acquireTrace; //!< SA needed
};

} // namespace ns3

#endif // PRESEC_IPSEC_LAYER_H
