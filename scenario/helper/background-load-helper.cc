/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "background-load-helper.h"

#include "ns3/inet-socket-address.h"
#include "ns3/packet-sink-helper.h"
#include "ns3/poisson-load-application.h"
#include "ns3/uinteger.h"

namespace ns3
{

BackgroundLoadHelper::BackgroundLoadHelper(uint32_t payload,
                                           double load,
                                           uint64_t down,
                                           uint64_t up,
                                           uint32_t linkHeader)
    : m_payload(payload),
      m_load(load),
      m_down(down),
      m_up(up),
      m_linkHeader(linkHeader)
{
}

Time
BackgroundLoadHelper::MeanInterval(uint64_t rate, uint32_t stations) const
{
    // Bytes on the link per datagram: payload, UDP (8), IPv4 (20), the link's header.
    double bits = 8.0 * (m_payload + 8 + 20 + m_linkHeader);
    return Seconds(bits * stations / (m_load * double(rate)));
}

void
BackgroundLoadHelper::InstallSink(const NodeContainer& nodes, Time stop)
{
    PacketSinkHelper("ns3::UdpSocketFactory", InetSocketAddress(Ipv4Address::GetAny(), kPort))
        .Install(nodes)
        .Stop(stop);
}

ApplicationContainer
BackgroundLoadHelper::Install(Ptr<Node> server,
                              Ipv4Address serverAddress,
                              const NodeContainer& stations,
                              const std::vector<Ipv4Address>& stationAddresses,
                              Time start,
                              Time stop,
                              int64_t& stream) const
{
    InstallSink(stations, stop);
    ApplicationContainer senders;
    uint32_t n = stations.GetN();
    for (uint32_t k = 0; k < n; ++k)
    {
        auto add = [&](Ptr<Node> from, Ipv4Address to, Time gap) {
            Ptr<PoissonLoadApplication> app = CreateObject<PoissonLoadApplication>();
            app->SetAttribute("Remote", AddressValue(InetSocketAddress(to, kPort)));
            app->SetAttribute("PacketSize", UintegerValue(m_payload));
            app->SetAttribute("MeanInterval", TimeValue(gap));
            stream += app->AssignStreams(stream);
            from->AddApplication(app);
            app->SetStartTime(start);
            app->SetStopTime(stop);
            senders.Add(app);
        };
        add(server, stationAddresses[k], MeanInterval(m_down, n));
        add(stations.Get(k), serverAddress, MeanInterval(m_up, n));
    }
    return senders;
}

} // namespace ns3
