/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_SWITCHED_ETHERNET_CHANNEL_H
#define PRESEC_SWITCHED_ETHERNET_CHANNEL_H

#include "ns3/channel.h"
#include "ns3/data-rate.h"
#include "ns3/mac48-address.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace ns3
{

class SwitchedEthernetNetDevice;

/**
 * \ingroup presec-scenario
 * A learning Ethernet switch and the full-duplex links of its stations, as one channel: each
 * attached SwitchedEthernetNetDevice sits on a link of its own (DataRate, Delay) to a port of
 * the switch.
 *
 * Why not CSMA links to a BridgeNetDevice: that costs about eight events per frame and LAN hop
 * (transmit start and end, propagation, the port's receive, the bridge, the next link's three)
 * and a half-duplex link with back-off where real office wiring is full duplex. Here the
 * station's transmitter and each switch port's output are "busy until" times, so a frame
 * costs one event per receiver: its arrival, at
 *   station's transmitter free + tx + Delay (store and forward at the switch)
 *   → output port free + tx + Delay,
 * where tx is the frame's bytes at DataRate (as CsmaChannel counts them: no preamble or
 * inter-frame gap). A station's queue is FIFO. The switch takes a frame when it starts down
 * its station's cable: at once when the transmitter is idle, by an event when the frame waits
 * behind the station's earlier ones (else a backlogged station's frames would hold up other
 * stations' frames at a shared port for the whole backlog); so a port serves frames in the
 * order they left their stations, which differs from the order they arrive by less than one
 * frame's transmission time (a frame waits for at most the one in service and one that left
 * before it and arrives after it). MaxPortQueue frames wait at a port (the station's side:
 * SwitchedEthernetNetDevice's TxQueueSize); a frame beyond is dropped with a named reason, as is a
 * frame still waiting at its station when the station's cable is pulled.
 *
 * Forwarding as IEEE 802.1D: the switch learns each frame's source address on its ingress
 * port (entries age out after AgeingTime, and go when their port's cable is pulled); a
 * unicast frame to a known address goes to its port only (dropped if that is the port it came
 * from); broadcasts, multicasts and unknown destinations go to every other port with a cable.
 *
 * The Ingress trace is the switch's mirror (SPAN) port of all ingress traffic: every frame
 * once, whole, at the time it starts down its station's cable (earlier than a real mirror
 * port by its tx and Delay).
 */
class SwitchedEthernetChannel : public Channel
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    SwitchedEthernetChannel();

    /** Drop reasons, in the manner of QueueDisc's. */
    static constexpr const char* PORT_QUEUE_FULL = "Port queue full";
    /** Drop reasons: the destination's port is where the frame came from. */
    static constexpr const char* SAME_PORT = "Destination on the ingress port";
    /** Drop reasons: a known destination whose cable was pulled meanwhile. */
    static constexpr const char* PORT_DOWN = "Output port without cable";
    /** Drop reasons: the frame was waiting at its station when the station's cable was pulled. */
    static constexpr const char* INGRESS_DOWN = "Ingress port without cable";

    /** Counters, in the manner of QueueDisc::Stats. */
    struct Stats
    {
        uint64_t ingressFrames{0}; //!< frames entering the switch
        uint64_t forwarded{0};     //!< frames sent to their destination's port only
        uint64_t flooded{0};       //!< frames sent to every other port
        /// frames not delivered, by reason
        std::map<std::string, uint64_t> drops;
    };

    /**
     * A new port with the device's link on it (the device calls it from its Attach).
     * \param device the station's device
     * \return the port's index
     */
    uint32_t AddPort(Ptr<SwitchedEthernetNetDevice> device);

    /**
     * Pull the device's cable: its port sends nothing more, the addresses learned on it go.
     * \param device an attached device
     */
    void Detach(Ptr<SwitchedEthernetNetDevice> device);

    /**
     * Plug the device's cable back in.
     * \param device an attached device
     */
    void Reattach(Ptr<SwitchedEthernetNetDevice> device);

    /**
     * \param port a port's index
     * \return its cable is in
     */
    bool IsPlugged(uint32_t port) const;

    /**
     * A station's frame for the switch (called by the sending device when its transmitter
     * takes the frame).
     * \param port the ingress port
     * \param frame the whole Ethernet frame
     * \param source its source address
     * \param destination its destination address
     * \param protocol its EtherType
     * \param wait how long until its first bit goes down the cable (zero, or longer when the
     *        station's transmitter is busy with earlier frames)
     * \param arrival when its last bit reaches the switch (then, its tx and Delay)
     */
    void Transmit(uint32_t port,
                  Ptr<Packet> frame,
                  Mac48Address source,
                  Mac48Address destination,
                  uint16_t protocol,
                  Time wait,
                  Time arrival);

    /** \return each link's rate */
    DataRate GetDataRate() const;
    /** \return each link's propagation delay */
    Time GetDelay() const;
    /** \return the counters */
    const Stats& GetStats() const;

    /** \return the number of ports */
    std::size_t GetNDevices() const override;
    /** \param i a port \return its station's device */
    Ptr<NetDevice> GetDevice(std::size_t i) const override;

  protected:
    /** Release references (ns-3 Object disposal). */
    void DoDispose() override;

  private:
    /** One port: its station's device, its cable, its output queue. */
    struct Port
    {
        Ptr<SwitchedEthernetNetDevice> device; //!< the station on its link
        bool plugged{true};                    //!< the cable is in
        Time busyUntil;                        //!< its output's last frame ends
        std::deque<Time> queue;                //!< when each frame queued there ends
    };

    /**
     * A frame leaving its station: learn its source, forward or flood it.
     * \param port the ingress port
     * \param frame the whole Ethernet frame
     * \param source its source address
     * \param destination its destination address
     * \param protocol its EtherType
     * \param arrival when its last bit reaches the switch
     */
    void Forward(uint32_t port,
                 Ptr<Packet> frame,
                 Mac48Address source,
                 Mac48Address destination,
                 uint16_t protocol,
                 Time arrival);

    /**
     * A frame that waited at its station leaves it now, unless its cable was pulled meanwhile.
     * \param port the ingress port
     * \param frame the whole Ethernet frame
     * \param source its source address
     * \param destination its destination address
     * \param protocol its EtherType
     * \param arrival when its last bit reaches the switch
     */
    void Depart(uint32_t port,
                Ptr<Packet> frame,
                Mac48Address source,
                Mac48Address destination,
                uint16_t protocol,
                Time arrival);

    /**
     * Queue a frame at a port's output and schedule its arrival at the station.
     * \param out the port
     * \param frame the frame (the receiver's own copy)
     * \param source its source address
     * \param destination its destination address
     * \param protocol its EtherType
     * \param arrival when it is wholly in the switch
     */
    void Output(Port& out,
                Ptr<Packet> frame,
                Mac48Address source,
                Mac48Address destination,
                uint16_t protocol,
                Time arrival);

    /**
     * The one drop function: counted and traced.
     * \param frame the frame
     * \param reason why
     */
    void Drop(Ptr<const Packet> frame, const char* reason);

    /**
     * \param device an attached device
     * \return its port's index
     */
    uint32_t PortOf(Ptr<SwitchedEthernetNetDevice> device) const;

    /** \param a an address \return it as a table key */
    static uint64_t Key(Mac48Address a);

    /** A learned address: its port, when it was last seen. */
    struct Entry
    {
        uint32_t port; //!< its port
        Time seen;     //!< last frame from it
    };

    std::vector<Port> m_ports;                                  //!< the switch's ports
    std::unordered_map<uint64_t, Entry> m_table;                //!< learned addresses
    DataRate m_rate;                                            //!< each link's rate
    Time m_delay;                                               //!< each link's propagation delay
    Time m_ageing;                                              //!< a learned address's life
    uint32_t m_portQueue;                                       //!< frames a port's output holds
    Stats m_stats;                                              //!< counters
    TracedCallback<Ptr<const Packet>> m_ingressTrace;           //!< every frame entering
    TracedCallback<Ptr<const Packet>, const char*> m_dropTrace; //!< frames dropped, why
};

} // namespace ns3

#endif // PRESEC_SWITCHED_ETHERNET_CHANNEL_H
