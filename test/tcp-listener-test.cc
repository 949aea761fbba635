/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// TcpListener: a stray reset to a listening port nobody has connected to yet (ns-3.37 arms the
// zero-window persist timer on it and crashes when the timer fires) leaves the listener serving.

#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/presence-agent-helper.h"
#include "ns3/tcp-listener.h"

#include <gtest/gtest.h>

using namespace ns3;

namespace
{

const uint16_t kPort = 5060;

/// Sends, from \p node, a bare TCP RST (no ACK: what a peer's TcpSocketBase::SendRST sends) to
/// \p to:kPort through a raw IPv4 socket, as if a connection the listener never had were reset.
void
SendStrayReset(Ptr<Node> node, Ipv4Address to)
{
    Ptr<Socket> raw = Socket::CreateSocket(node, Ipv4RawSocketFactory::GetTypeId());
    raw->SetAttribute("Protocol", UintegerValue(6));
    TcpHeader h;
    h.SetSourcePort(40000);
    h.SetDestinationPort(kPort);
    h.SetSequenceNumber(SequenceNumber32(1000));
    h.SetFlags(TcpHeader::RST);
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    raw->SendTo(p, 0, InetSocketAddress(to, 0));
    raw->Close();
}

/// Two nodes on a CSMA LAN, 192.168.7.1 and .2.
struct TwoNodes
{
    NodeContainer nodes;
    Ipv4InterfaceContainer ifaces;

    TwoNodes()
    {
        nodes.Create(2);
        NetDeviceContainer devices = CsmaHelper().Install(nodes);
        InternetStackHelper().Install(nodes);
        Ipv4AddressHelper ip("192.168.7.0", "255.255.255.0");
        ifaces = ip.Assign(devices);
    }
};

/// Why the stray-reset tests do not run where ns-3 itself was built with NS_ASSERT.
const char* const kNs3AssertsOnTheNextSyn =
    "ns-3 built with NS_ASSERT: after the stray reset the listener's persist timer (pushed out "
    "of reach by TcpListener) is still armed when the next SYN opens the window, and "
    "TcpSocketBase asserts m_connected (tcp-socket-base.cc:1482 in ns-3.37); without asserts it "
    "cancels the timer, which is what these tests check";

} // namespace

TEST(TcpListener, AStrayResetToAFreshListenerLeavesItServing)
{
    if (PRESEC_NS3_ASSERTS)
    {
        GTEST_SKIP() << kNs3AssertsOnTheNextSyn;
    }
    TwoNodes net;
    NodeContainer& nodes = net.nodes;
    Ipv4InterfaceContainer& ifaces = net.ifaces;

    Ptr<Socket> listener = Socket::CreateSocket(nodes.Get(1), TcpSocketFactory::GetTypeId());
    ASSERT_EQ(listener->Bind(InetSocketAddress(Ipv4Address::GetAny(), kPort)), 0);
    ASSERT_EQ(TcpListener::Listen(listener), 0);
    std::vector<Ptr<Socket>> accepted;
    std::string received;
    listener->SetAcceptCallback(
        MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
        Callback<void, Ptr<Socket>, const Address&>([&](Ptr<Socket> s, const Address&) {
            TcpListener::Accepted(s);
            accepted.push_back(s);
            s->SetRecvCallback(Callback<void, Ptr<Socket>>([&received](Ptr<Socket> r) {
                while (Ptr<Packet> p = r->Recv())
                {
                    received += std::to_string(p->GetSize());
                }
            }));
        }));

    // The reset at 1 s; ns-3's persist timer (6 s) would fire at 7 s on the unguarded listener.
    Simulator::Schedule(Seconds(1), &SendStrayReset, nodes.Get(0), ifaces.GetAddress(1));
    Ptr<Socket> client = Socket::CreateSocket(nodes.Get(0), TcpSocketFactory::GetTypeId());
    Simulator::Schedule(Seconds(10), [&]() {
        client->Connect(InetSocketAddress(ifaces.GetAddress(1), kPort));
        client->Send(Create<Packet>(100));
    });
    Simulator::Stop(Seconds(20));
    Simulator::Run();

    ASSERT_EQ(accepted.size(), 1u);
    EXPECT_EQ(received, "100");
    // The connection probes a zero window at the configured interval, not the listener's.
    TimeValue persist;
    accepted[0]->GetAttribute("PersistTimeout", persist);
    EXPECT_EQ(persist.Get(), Seconds(6));
    listener->GetAttribute("PersistTimeout", persist);
    EXPECT_GT(persist.Get(), Years(50));
    Simulator::Destroy();
}

// The presence agent's SIP listener (RFC 3261 section 18: port 5060 over TCP) is such a
// listener: after the reset it still answers a request sent over TCP.
TEST(TcpListener, ThePresenceAgentsSipPortSurvivesAStrayReset)
{
    if (PRESEC_NS3_ASSERTS)
    {
        GTEST_SKIP() << kNs3AssertsOnTheNextSyn;
    }
    TwoNodes net;
    NodeContainer& nodes = net.nodes;
    Ipv4InterfaceContainer& ifaces = net.ifaces;
    ApplicationContainer agents = PresenceAgentHelper().Install(nodes.Get(1));
    agents.Start(Seconds(0));

    Simulator::Schedule(Seconds(1), &SendStrayReset, nodes.Get(0), ifaces.GetAddress(1));
    Ptr<Socket> client = Socket::CreateSocket(nodes.Get(0), TcpSocketFactory::GetTypeId());
    std::string received;
    client->SetRecvCallback(Callback<void, Ptr<Socket>>([&received](Ptr<Socket> s) {
        while (Ptr<Packet> p = s->Recv())
        {
            std::string chunk(p->GetSize(), '\0');
            p->CopyData(reinterpret_cast<uint8_t*>(&chunk[0]), chunk.size());
            received += chunk;
        }
    }));
    const std::string options = "OPTIONS sip:node1@192.168.7.2 SIP/2.0\r\n"
                                "Via: SIP/2.0/TCP 192.168.7.1:40001;branch=z9hG4bKstray\r\n"
                                "Max-Forwards: 70\r\n"
                                "From: <sip:client@192.168.7.1>;tag=1\r\n"
                                "To: <sip:node1@192.168.7.2>\r\n"
                                "Call-ID: stray@192.168.7.1\r\n"
                                "CSeq: 1 OPTIONS\r\n"
                                "Content-Length: 0\r\n\r\n";
    Simulator::Schedule(Seconds(10), [&]() {
        client->Connect(InetSocketAddress(ifaces.GetAddress(1), kPort));
        client->Send(
            Create<Packet>(reinterpret_cast<const uint8_t*>(options.data()), options.size()));
    });
    Simulator::Stop(Seconds(20));
    Simulator::Run();

    // The agent answers with its capabilities on the connection.
    EXPECT_EQ(received.rfind("SIP/2.0 200 ", 0), 0u) << received;
    EXPECT_NE(received.find("Call-ID: stray@192.168.7.1"), std::string::npos) << received;
    Simulator::Destroy();
}
