/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_IPSEC_CAPTURE_REPLAY_H
#define PRESEC_IPSEC_CAPTURE_REPLAY_H

#include "ns3/ipsec-drop-reason.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/net-device.h"
#include "ns3/node.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace ns3
{

class IpsecLayer;

/**
 * \ingroup presec
 * What happened to one captured frame fed to the replay node.
 */
struct ReplayVerdict
{
    /** The outcome. */
    enum class Outcome : uint8_t
    {
        DELIVERED, //!< the IpsecLayer accepted it (ProtectedRx or PlainRx trace)
        DROPPED,   //!< the IpsecLayer (Drop trace) or IPv4 (its Drop trace) dropped it
        NONE,      //!< fed, but no verdict: a later fragment (reason `fragment`: the
                   //!< reassembled packet is reported on its first fragment), a protocol
                   //!< without handler, or a tunnelled packet forwarded elsewhere
        NOT_FED,   //!< addressed to the host, but truncated or malformed in the capture
    };

    uint64_t frame{0};                       //!< 1-based frame number in the capture
    std::optional<uint32_t> spi;             //!< SPI of the outermost ESP or AH header
    std::optional<uint32_t> sequence;        //!< its sequence number
    Outcome outcome{Outcome::NONE};          //!< what happened
    std::string reason;                      //!< drop reason (ToString(IpsecDropReason)), or why
    std::optional<uint8_t> innerProtocol;    //!< protocol after decapsulation, when known
    std::optional<uint16_t> innerSourcePort; //!< UDP/TCP source port, when known
    std::optional<uint16_t> innerDestinationPort; //!< UDP/TCP destination port, when known
};

/**
 * \ingroup presec
 * Replays a packet capture into one IPsec host, to check what the simulated IPsec inbound
 * path makes of real (or simulated) traffic: which packets it delivers and which it drops,
 * and why (replayed, bad-icv, unknown-spi, ...).
 *
 * The world is one node with the internet stack and an IpsecLayer (CryptoMode real by
 * default) on a SimpleNetDevice holding the host's address, its SPD and SAD loaded from a
 * setkey file. Every IPv4 packet of the capture addressed to the host (its address, the
 * limited or subnet-directed broadcast, multicast) is handed to Ipv4L3Protocol::Receive, as a
 * device hands up a frame, at its capture time relative to the first frame (in capture order
 * when timestamps go backwards). So the packets take exactly the simulation's inbound path:
 * SA lookup, lifetimes, replay window, ICV, decapsulation, tunnel re-injection, inbound policy.
 *
 * Verdicts come from the IpsecLayer's traces: ProtectedRx and PlainRx are "delivered", Drop is
 * "dropped" with its reason (and IPv4's own Drop trace, e.g. a fragment reassembly timeout,
 * "dropped" with reason `ipv4-...`). A packet is followed through the stack by a packet tag,
 * so a verdict delayed by a CryptoCostModel still finds its frame. No sockets are bound: the
 * IpsecLayer's verdict is taken before UDP/TCP look for one, so an accepted packet counts as
 * delivered whether or not an application would have read it (the node may answer it with
 * ICMP port unreachable or a TCP reset, as a real host would; those replies are not reported).
 * TCP and ICMP packets on which ns-3's own parsers would hang or abort (Ns3ParserShield) get
 * the layer's verdict and go no further.
 *
 * Use: Setup, then Replay, then read GetVerdicts (or WriteCsv); the caller runs
 * Simulator::Destroy afterwards.
 */
class IpsecCaptureReplay
{
  public:
    IpsecCaptureReplay();
    ~IpsecCaptureReplay();

    IpsecCaptureReplay(const IpsecCaptureReplay&) = delete;
    IpsecCaptureReplay& operator=(const IpsecCaptureReplay&) = delete;

    /**
     * Build the host.
     * \param address the host's address (the capture's packets to it are fed)
     * \param mask its network mask (for the subnet-directed broadcast)
     * \param setkeyPath the host's setkey file
     * \param cryptoMode IpsecLayer CryptoMode: `real` checks ICVs and decrypts
     * \param costProfile a CryptoCostModel profile, or empty for none (no CPU delays)
     * \return empty on success, else the error ("setkeyPath: line L, column C: message")
     */
    std::string Setup(Ipv4Address address,
                      Ipv4Mask mask,
                      const std::string& setkeyPath,
                      const std::string& cryptoMode = "real",
                      const std::string& costProfile = "");

    /**
     * Load (again) a setkey file into the host, as Setup does; a file that starts with
     * `flush; spdflush;` puts the host back to fresh SAs (sequence numbers, replay windows,
     * lifetimes) between Replay calls.
     * \param setkeyPath the setkey file
     * \return empty on success, else the error ("setkeyPath: line L, column C: message")
     */
    std::string LoadSetkeyFile(const std::string& setkeyPath);

    /**
     * \param destination an IPv4 destination
     * \return true if a packet to it is addressed to the host
     */
    bool IsForHost(Ipv4Address destination) const;

    /**
     * Read the capture, feed its packets to the host (from the current simulation time on)
     * and run the simulation until the last packet is 60 s old. May be called again: each
     * call has its own verdicts; the host keeps its state (SAs, reassembly buffers).
     * \param pcapPath the capture (pcap or pcapng; Ethernet or raw IPv4)
     * \return empty on success, else the error naming the file (no frame is fed then)
     */
    std::string Replay(const std::string& pcapPath);

    /** \return one verdict per frame addressed to the host, in frame order (last Replay) */
    const std::vector<ReplayVerdict>& GetVerdicts() const;

    /** \return the host's IPsec layer (after Setup) */
    Ptr<IpsecLayer> GetLayer() const;

    /**
     * Write verdicts as CSV: a header line
     * `frame,spi,seq,verdict,reason,inner_protocol,inner_sport,inner_dport`, then one line each.
     * \param os the stream
     * \param verdicts the verdicts
     */
    static void WriteCsv(std::ostream& os, const std::vector<ReplayVerdict>& verdicts);

    /**
     * \param outcome an outcome
     * \return its CSV name: `delivered`, `dropped`, `none` or `not-fed`
     */
    static std::string ToString(ReplayVerdict::Outcome outcome);

  private:
    /**
     * Hand one packet to IPv4, as the device would.
     * \param packet the IPv4 packet, tagged with its frame
     * \param type how the link layer addressed it
     */
    void Inject(Ptr<Packet> packet, NetDevice::PacketType type);

    /**
     * \param p a packet seen by a trace
     * \return the verdict of its frame, or nullptr if it carries no frame tag or already has
     *         a verdict
     */
    ReplayVerdict* Undecided(Ptr<const Packet> p);

    /**
     * Record a verdict from a trace.
     * \param p the packet
     * \param header its IPv4 header
     * \param outcome delivered or dropped
     * \param reason the drop reason, empty if delivered
     */
    void Decide(Ptr<const Packet> p,
                const Ipv4Header& header,
                ReplayVerdict::Outcome outcome,
                const std::string& reason);

    /**
     * IpsecLayer Drop trace sink.
     * \param p the packet
     * \param header its IPv4 header
     * \param reason why
     */
    void OnIpsecDrop(Ptr<const Packet> p, const Ipv4Header& header, IpsecDropReason reason);

    /**
     * IpsecLayer ProtectedRx and PlainRx trace sink.
     * \param p the packet
     * \param header its IPv4 header
     */
    void OnIpsecAccept(Ptr<const Packet> p, const Ipv4Header& header);

    /**
     * Ipv4L3Protocol Drop trace sink.
     * \param header the IPv4 header
     * \param p the packet
     * \param reason why
     * \param ipv4 the IPv4 object
     * \param interface the interface
     */
    void OnIpv4Drop(const Ipv4Header& header,
                    Ptr<const Packet> p,
                    Ipv4L3Protocol::DropReason reason,
                    Ptr<Ipv4> ipv4,
                    uint32_t interface);

    Ptr<Node> m_node;                      //!< the host
    Ptr<NetDevice> m_device;               //!< its device
    Ptr<Ipv4L3Protocol> m_ipv4;            //!< its IPv4
    Ptr<IpsecLayer> m_layer;               //!< its IPsec layer
    Ipv4Address m_address;                 //!< its address
    Ipv4Mask m_mask;                       //!< its mask
    uint64_t m_replays{0};                 //!< Replay calls so far
    std::vector<ReplayVerdict> m_verdicts; //!< one per frame fed or not fed; a packet's tag
                                           //!< holds its index here
};

} // namespace ns3

#endif // PRESEC_IPSEC_CAPTURE_REPLAY_H
