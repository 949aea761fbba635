/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "poisson-load-application.h"

#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("PoissonLoadApplication");
NS_OBJECT_ENSURE_REGISTERED(PoissonLoadApplication);

TypeId
PoissonLoadApplication::GetTypeId()
{
    static TypeId tid = TypeId("ns3::PoissonLoadApplication")
                            .SetParent<Application>()
                            .SetGroupName("PresecScenario")
                            .AddConstructor<PoissonLoadApplication>()
                            .AddAttribute("Remote",
                                          "Where the datagrams go (an InetSocketAddress).",
                                          AddressValue(),
                                          MakeAddressAccessor(&PoissonLoadApplication::m_remote),
                                          MakeAddressChecker())
                            .AddAttribute("PacketSize",
                                          "UDP payload bytes per datagram.",
                                          UintegerValue(1000),
                                          MakeUintegerAccessor(&PoissonLoadApplication::m_size),
                                          MakeUintegerChecker<uint32_t>(1, 65507))
                            .AddAttribute("MeanInterval",
                                          "Mean gap between datagrams (exponentially distributed).",
                                          TimeValue(MilliSeconds(10)),
                                          MakeTimeAccessor(&PoissonLoadApplication::m_meanInterval),
                                          MakeTimeChecker(NanoSeconds(1)));
    return tid;
}

PoissonLoadApplication::PoissonLoadApplication()
    : m_gap(CreateObject<ExponentialRandomVariable>())
{
}

PoissonLoadApplication::~PoissonLoadApplication() = default;

int64_t
PoissonLoadApplication::AssignStreams(int64_t stream)
{
    m_gap->SetStream(stream);
    return 1;
}

uint64_t
PoissonLoadApplication::GetSent() const
{
    return m_sent;
}

void
PoissonLoadApplication::DoDispose()
{
    m_socket = nullptr;
    Application::DoDispose();
}

void
PoissonLoadApplication::StartApplication()
{
    m_socket = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    m_socket->Bind();
    m_socket->Connect(m_remote);
    m_gap->SetAttribute("Mean", DoubleValue(m_meanInterval.GetSeconds()));
    m_next = Simulator::Schedule(Seconds(m_gap->GetValue()), &PoissonLoadApplication::Send, this);
}

void
PoissonLoadApplication::StopApplication()
{
    m_next.Cancel();
    if (m_socket)
    {
        m_socket->Close();
    }
}

void
PoissonLoadApplication::Send()
{
    m_socket->Send(Create<Packet>(m_size));
    ++m_sent;
    m_next = Simulator::Schedule(Seconds(m_gap->GetValue()), &PoissonLoadApplication::Send, this);
}

} // namespace ns3
