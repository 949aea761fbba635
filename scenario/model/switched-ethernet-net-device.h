/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_SWITCHED_ETHERNET_NET_DEVICE_H
#define PRESEC_SWITCHED_ETHERNET_NET_DEVICE_H

#include "ns3/error-model.h"
#include "ns3/mac48-address.h"
#include "ns3/net-device.h"
#include "ns3/nstime.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <deque>
#include <map>
#include <string>

namespace ns3
{

class SwitchedEthernetChannel;

/**
 * \ingroup presec-scenario
 * A station's full-duplex Ethernet interface on a SwitchedEthernetChannel (the switch and
 * its links). Frames as CsmaNetDevice writes them (DIX: Ethernet header, payload padded to 46
 * bytes, FCS trailer), so pcaps and the wire arithmetic are the same on a hub and a switch;
 * its traces carry the same names (MacTx, MacRx, Sniffer, PromiscSniffer with whole frames).
 *
 * The transmitter is a FIFO of TxQueueSize frames kept as "busy until" times: no event is
 * spent on sending (see SwitchedEthernetChannel). Not flow-controlled (no
 * NetDeviceQueueInterface): a traffic-control queue disc above passes every packet through.
 */
class SwitchedEthernetNetDevice : public NetDevice
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    SwitchedEthernetNetDevice();

    /** Drop reasons: the transmit queue holds TxQueueSize frames. */
    static constexpr const char* TX_QUEUE_FULL = "Transmit queue full";
    /** Drop reasons: sent or received without a cable (Detach). */
    static constexpr const char* NO_CABLE = "No cable";
    /** Drop reasons: the ReceiveErrorModel corrupted it. */
    static constexpr const char* RECEIVE_ERROR = "Receive error";
    /** Drop reasons: the FCS does not match (checksums enabled). */
    static constexpr const char* BAD_FCS = "Bad FCS";

    /** Counters, in the manner of QueueDisc::Stats. */
    struct Stats
    {
        uint64_t sentFrames{0};     //!< frames handed to the switch
        uint64_t receivedFrames{0}; //!< frames for this station passed up
        /// frames not sent or not passed up, by reason
        std::map<std::string, uint64_t> drops;
    };

    /**
     * Cable the device to a port of the switch.
     * \param channel the switch
     */
    void Attach(Ptr<SwitchedEthernetChannel> channel);

    /**
     * A frame from the switch (scheduled by the channel at its last bit's arrival).
     * \param frame the whole frame
     * \param source its source address
     * \param destination its destination address
     * \param protocol its EtherType
     */
    void Receive(Ptr<Packet> frame,
                 Mac48Address source,
                 Mac48Address destination,
                 uint16_t protocol);

    /** \return the switch's port this device is cabled to */
    uint32_t GetPort() const;
    /** \return the counters */
    const Stats& GetStats() const;

    /** \param index the interface index */
    void SetIfIndex(const uint32_t index) override;
    /** \return the interface index */
    uint32_t GetIfIndex() const override;
    /** \return the switch */
    Ptr<Channel> GetChannel() const override;
    /** \param address the MAC address (a Mac48Address) */
    void SetAddress(Address address) override;
    /** \return the MAC address */
    Address GetAddress() const override;
    /** \param mtu the MTU \return true */
    bool SetMtu(const uint16_t mtu) override;
    /** \return the MTU */
    uint16_t GetMtu() const override;
    /** \return attached, and the cable is in */
    bool IsLinkUp() const override;
    /** \param callback told when the cable is plugged or pulled */
    void AddLinkChangeCallback(Callback<void> callback) override;
    /** \return true */
    bool IsBroadcast() const override;
    /** \return ff:ff:ff:ff:ff:ff */
    Address GetBroadcast() const override;
    /** \return true */
    bool IsMulticast() const override;
    /** \param multicastGroup an IPv4 group \return its MAC address */
    Address GetMulticast(Ipv4Address multicastGroup) const override;
    /** \param addr an IPv6 group \return its MAC address */
    Address GetMulticast(Ipv6Address addr) const override;
    /** \return false */
    bool IsBridge() const override;
    /** \return false */
    bool IsPointToPoint() const override;
    /**
     * \param packet the payload
     * \param dest the destination's MAC address
     * \param protocolNumber the EtherType
     * \return queued (false: no cable, or the transmit queue is full)
     */
    bool Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber) override;
    /**
     * \param packet the payload
     * \param source the source MAC address
     * \param dest the destination's MAC address
     * \param protocolNumber the EtherType
     * \return queued (false: no cable, or the transmit queue is full)
     */
    bool SendFrom(Ptr<Packet> packet,
                  const Address& source,
                  const Address& dest,
                  uint16_t protocolNumber) override;
    /** \return the node */
    Ptr<Node> GetNode() const override;
    /** \param node the node */
    void SetNode(Ptr<Node> node) override;
    /** \return true */
    bool NeedsArp() const override;
    /** \param cb up the stack */
    void SetReceiveCallback(NetDevice::ReceiveCallback cb) override;
    /** \param cb every frame, up */
    void SetPromiscReceiveCallback(PromiscReceiveCallback cb) override;
    /** \return true */
    bool SupportsSendFrom() const override;

  protected:
    /** Release references (ns-3 Object disposal). */
    void DoDispose() override;

  private:
    friend class SwitchedEthernetChannel;

    /** The channel pulled or plugged the cable: tell the link-change callbacks. */
    void NotifyLinkChange();

    /**
     * The one drop function: counted and traced.
     * \param frame the frame or packet
     * \param reason why
     */
    void Drop(Ptr<const Packet> frame, const char* reason);

    Ptr<SwitchedEthernetChannel> m_channel;                  //!< the switch
    uint32_t m_port{0};                                      //!< its port there
    Ptr<Node> m_node;                                        //!< the node
    uint32_t m_ifIndex{0};                                   //!< the interface's index
    Mac48Address m_address;                                  //!< the MAC address
    uint16_t m_mtu{1500};                                    //!< the MTU
    uint32_t m_txQueueSize{100};                             //!< frames the transmitter holds
    Time m_txBusyUntil;                                      //!< the transmitter's last frame ends
    std::deque<Time> m_txQueue;                              //!< when each queued frame ends
    Ptr<ErrorModel> m_receiveErrorModel;                     //!< corrupts received frames
    Stats m_stats;                                           //!< counters
    NetDevice::ReceiveCallback m_rxCallback;                 //!< up the stack
    NetDevice::PromiscReceiveCallback m_promiscCallback;     //!< every frame, up
    TracedCallback<> m_linkChanges;                          //!< link-change callbacks
    TracedCallback<Ptr<const Packet>> m_macTxTrace;          //!< frames sent, whole
    TracedCallback<Ptr<const Packet>> m_macRxTrace;          //!< frames for us, whole
    TracedCallback<Ptr<const Packet>> m_snifferTrace;        //!< sent and for us, whole
    TracedCallback<Ptr<const Packet>> m_promiscSnifferTrace; //!< everything, whole
    TracedCallback<Ptr<const Packet>, const char*> m_dropTrace; //!< drops, why
};

} // namespace ns3

#endif // PRESEC_SWITCHED_ETHERNET_NET_DEVICE_H
