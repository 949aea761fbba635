/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "switched-ethernet-channel.h"

#include "switched-ethernet-net-device.h"

#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <utility>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SwitchedEthernetChannel");
NS_OBJECT_ENSURE_REGISTERED(SwitchedEthernetChannel);

TypeId
SwitchedEthernetChannel::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::SwitchedEthernetChannel")
            .SetParent<Channel>()
            .SetGroupName("PresecScenario")
            .AddConstructor<SwitchedEthernetChannel>()
            .AddAttribute("DataRate",
                          "Each station's link rate, both ways.",
                          DataRateValue(DataRate("100Mbps")),
                          MakeDataRateAccessor(&SwitchedEthernetChannel::m_rate),
                          MakeDataRateChecker())
            .AddAttribute("Delay",
                          "Each link's propagation delay.",
                          TimeValue(Seconds(0)),
                          MakeTimeAccessor(&SwitchedEthernetChannel::m_delay),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("AgeingTime",
                          "How long a learned address stays without a frame from it "
                          "(IEEE 802.1D's default: 300 s).",
                          TimeValue(Seconds(300)),
                          MakeTimeAccessor(&SwitchedEthernetChannel::m_ageing),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("MaxPortQueue",
                          "Frames a port's output holds (the one on the wire included).",
                          UintegerValue(100),
                          MakeUintegerAccessor(&SwitchedEthernetChannel::m_portQueue),
                          MakeUintegerChecker<uint32_t>(1))
            .AddTraceSource("Ingress",
                            "Every frame entering the switch, whole (a mirror port).",
                            MakeTraceSourceAccessor(&SwitchedEthernetChannel::m_ingressTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("Drop",
                            "A frame the switch did not deliver, and why.",
                            MakeTraceSourceAccessor(&SwitchedEthernetChannel::m_dropTrace),
                            "ns3::QueueDisc::DropTracedCallback"); // same (packet, reason)
    return tid;
}

SwitchedEthernetChannel::SwitchedEthernetChannel()
{
    NS_LOG_FUNCTION(this);
}

void
SwitchedEthernetChannel::DoDispose()
{
    m_ports.clear();
    m_table.clear();
    Channel::DoDispose();
}

uint32_t
SwitchedEthernetChannel::AddPort(Ptr<SwitchedEthernetNetDevice> device)
{
    NS_LOG_FUNCTION(this << device);
    Port port;
    port.device = device;
    m_ports.push_back(port);
    return uint32_t(m_ports.size() - 1);
}

uint32_t
SwitchedEthernetChannel::PortOf(Ptr<SwitchedEthernetNetDevice> device) const
{
    uint32_t port = device->GetPort();
    NS_ABORT_MSG_IF(port >= m_ports.size() || m_ports[port].device != device,
                    "SwitchedEthernetChannel: the device is not on this switch");
    return port;
}

void
SwitchedEthernetChannel::Detach(Ptr<SwitchedEthernetNetDevice> device)
{
    NS_LOG_FUNCTION(this << device);
    uint32_t port = PortOf(device);
    m_ports[port].plugged = false;
    // A switch flushes the addresses of a port whose link goes down.
    for (auto it = m_table.begin(); it != m_table.end();)
    {
        it = it->second.port == port ? m_table.erase(it) : std::next(it);
    }
    device->NotifyLinkChange();
}

void
SwitchedEthernetChannel::Reattach(Ptr<SwitchedEthernetNetDevice> device)
{
    NS_LOG_FUNCTION(this << device);
    m_ports[PortOf(device)].plugged = true;
    device->NotifyLinkChange();
}

bool
SwitchedEthernetChannel::IsPlugged(uint32_t port) const
{
    return port < m_ports.size() && m_ports[port].plugged;
}

uint64_t
SwitchedEthernetChannel::Key(Mac48Address a)
{
    uint8_t b[6];
    a.CopyTo(b);
    uint64_t k = 0;
    for (uint8_t x : b)
    {
        k = (k << 8) | x;
    }
    return k;
}

void
SwitchedEthernetChannel::Transmit(uint32_t port,
                                  Ptr<Packet> frame,
                                  Mac48Address source,
                                  Mac48Address destination,
                                  uint16_t protocol,
                                  Time wait,
                                  Time arrival)
{
    if (wait.IsStrictlyPositive())
    {
        Simulator::Schedule(wait,
                            &SwitchedEthernetChannel::Depart,
                            this,
                            port,
                            frame,
                            source,
                            destination,
                            protocol,
                            arrival);
        return;
    }
    Forward(port, std::move(frame), source, destination, protocol, arrival);
}

void
SwitchedEthernetChannel::Depart(uint32_t port,
                                Ptr<Packet> frame,
                                Mac48Address source,
                                Mac48Address destination,
                                uint16_t protocol,
                                Time arrival)
{
    if (!m_ports[port].plugged)
    {
        Drop(frame, INGRESS_DOWN);
        return;
    }
    Forward(port, frame, source, destination, protocol, arrival);
}

void
SwitchedEthernetChannel::Forward(uint32_t port,
                                 Ptr<Packet> frame,
                                 Mac48Address source,
                                 Mac48Address destination,
                                 uint16_t protocol,
                                 Time arrival)
{
    NS_LOG_FUNCTION(this << port << frame << source << destination << arrival);
    ++m_stats.ingressFrames;
    m_ingressTrace(frame);
    m_table[Key(source)] = Entry{port, arrival};
    if (!destination.IsGroup())
    {
        auto it = m_table.find(Key(destination));
        if (it != m_table.end() && arrival - it->second.seen > m_ageing)
        {
            m_table.erase(it);
            it = m_table.end();
        }
        if (it != m_table.end())
        {
            if (it->second.port == port)
            {
                Drop(frame, SAME_PORT);
                return;
            }
            ++m_stats.forwarded;
            Output(m_ports[it->second.port], frame, source, destination, protocol, arrival);
            return;
        }
    }
    ++m_stats.flooded;
    for (uint32_t k = 0; k < m_ports.size(); ++k)
    {
        if (k != port && m_ports[k].plugged)
        {
            Output(m_ports[k], frame->Copy(), source, destination, protocol, arrival);
        }
    }
}

void
SwitchedEthernetChannel::Output(Port& out,
                                Ptr<Packet> frame,
                                Mac48Address source,
                                Mac48Address destination,
                                uint16_t protocol,
                                Time arrival)
{
    if (!out.plugged)
    {
        Drop(frame, PORT_DOWN);
        return;
    }
    // The frames still queued when this one arrives; arrivals at a port come in (nearly)
    // the order they are handed over, so the front is the oldest.
    while (!out.queue.empty() && out.queue.front() <= arrival)
    {
        out.queue.pop_front();
    }
    if (out.queue.size() >= m_portQueue)
    {
        Drop(frame, PORT_QUEUE_FULL);
        return;
    }
    out.busyUntil =
        std::max(arrival, out.busyUntil) + m_rate.CalculateBytesTxTime(frame->GetSize());
    out.queue.push_back(out.busyUntil);
    Ptr<SwitchedEthernetNetDevice> dev = out.device;
    Simulator::ScheduleWithContext(dev->GetNode()->GetId(),
                                   out.busyUntil + m_delay - Simulator::Now(),
                                   &SwitchedEthernetNetDevice::Receive,
                                   dev,
                                   frame,
                                   source,
                                   destination,
                                   protocol);
}

void
SwitchedEthernetChannel::Drop(Ptr<const Packet> frame, const char* reason)
{
    NS_LOG_LOGIC("drop " << frame << ": " << reason);
    ++m_stats.drops[reason];
    m_dropTrace(frame, reason);
}

DataRate
SwitchedEthernetChannel::GetDataRate() const
{
    return m_rate;
}

Time
SwitchedEthernetChannel::GetDelay() const
{
    return m_delay;
}

const SwitchedEthernetChannel::Stats&
SwitchedEthernetChannel::GetStats() const
{
    return m_stats;
}

std::size_t
SwitchedEthernetChannel::GetNDevices() const
{
    return m_ports.size();
}

Ptr<NetDevice>
SwitchedEthernetChannel::GetDevice(std::size_t i) const
{
    return m_ports.at(i).device;
}

} // namespace ns3
