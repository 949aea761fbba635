/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Shared by the IPsec layer tests: a CSMA segment of nodes with IPsec, setkey text for SA
// pairs and mirrored policies, and ordinary applications run over them.

#ifndef PRESEC_TEST_IPSEC_TEST_FIXTURE_H
#define PRESEC_TEST_IPSEC_TEST_FIXTURE_H

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/internet-module.h"
#include "ns3/ipsec-helper.h"
#include "ns3/network-module.h"

#include <gtest/gtest.h>
#include <map>
#include <string>
#include <vector>

namespace presec_test
{

using namespace ns3;

inline const char* const kAesKey = "0x00112233445566778899aabbccddeeff";
inline const char* const kAes256Key =
    "0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
inline const char* const kGcmKey = "0x00112233445566778899aabbccddeeff01020304";
inline const char* const kSha1Key = "0x0011223344556677889900112233445566778899";
inline const char* const kChachaKey =
    "0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff01020304";

/// A CSMA segment 192.168.1.0/24 with n nodes (.1, .2, ...), internet stack and IPsec.
struct Segment
{
    NodeContainer nodes;
    NetDeviceContainer devices;
    Ipv4InterfaceContainer interfaces;

    explicit Segment(uint32_t n, const std::string& cryptoMode = "modeled")
    {
        Wire(n);
        IpsecHelper ipsec;
        ipsec.SetLayerAttribute("CryptoMode", StringValue(cryptoMode));
        ipsec.Install(nodes);
    }

    /// As above, node i's IPsec installed by ipsec[i] (a crypto cost model on some, say).
    explicit Segment(const std::vector<IpsecHelper>& ipsec)
    {
        Wire(uint32_t(ipsec.size()));
        for (uint32_t i = 0; i < ipsec.size(); ++i)
        {
            ipsec[i].Install(nodes.Get(i));
        }
    }

    /// n nodes on the CSMA segment, with the internet stack and their addresses.
    void Wire(uint32_t n)
    {
        nodes.Create(n);
        CsmaHelper csma;
        csma.SetChannelAttribute("DataRate", StringValue("100Mbps"));
        csma.SetChannelAttribute("Delay", TimeValue(MicroSeconds(50)));
        devices = csma.Install(nodes);
        InternetStackHelper().Install(nodes);
        Ipv4AddressHelper addr("192.168.1.0", "255.255.255.0");
        interfaces = addr.Assign(devices);
        // Fixed streams for the CSMA backoff: otherwise they follow from how many random
        // variables earlier tests in the process made, and a timing test (a frame that defers
        // to another) passed alone and failed after others.
        csma.AssignStreams(devices, 0);
    }

    Ptr<IpsecLayer> Layer(uint32_t i) const
    {
        return nodes.Get(i)->GetObject<IpsecLayer>();
    }

    void Load(uint32_t i, const std::string& text) const
    {
        std::string error = IpsecHelper::LoadSetkey(nodes.Get(i), text);
        ASSERT_EQ(error, "") << text;
    }

    /**
     * The same SAs on .1 and .2 and mirrored policies between them (none when sas is empty).
     * \param sas SA lines (SaPair)
     * \param out the action of .1's outbound policy (and .2's inbound one)
     * \param in the action of .1's inbound policy (and .2's outbound one)
     */
    void LoadPair(const std::string& sas, const std::string& out, const std::string& in) const
    {
        if (sas.empty())
        {
            return;
        }
        Load(0,
             sas + "spdadd 192.168.1.1 192.168.1.2 any -P out " + out +
                 ";\nspdadd 192.168.1.2 192.168.1.1 any -P in " + in + ";\n");
        Load(1,
             sas + "spdadd 192.168.1.2 192.168.1.1 any -P out " + in +
                 ";\nspdadd 192.168.1.1 192.168.1.2 any -P in " + out + ";\n");
    }
};

/// SA lines for both directions between .1 and .2 (both nodes load the same lines), with a
/// 64-packet anti-replay window (`-r 8`: setkey gives the window in bytes; none means none).
inline std::string
SaPair(const std::string& proto,
       const std::string& algorithms,
       const std::string& mode = "transport")
{
    std::string ext = " -m " + mode + (proto == "ipcomp" ? " " : " -r 8 ");
    return "add 192.168.1.1 192.168.1.2 " + proto + " 0x1001" + ext + algorithms +
           ";\nadd 192.168.1.2 192.168.1.1 " + proto + " 0x2001" + ext + algorithms + ";\n";
}

/// Outbound and inbound policies of node `self` towards `peer` with the given action text.
inline std::string
PolicyPair(const std::string& self, const std::string& peer, const std::string& action)
{
    return "spdadd " + self + " " + peer + " any -P out " + action + ";\nspdadd " + peer + " " +
           self + " any -P in " + action + ";\n";
}

/// Both nodes get mirrored policies.
inline void
Protect(const Segment& s, const std::string& action, const std::string& sas)
{
    s.Load(0, sas + PolicyPair("192.168.1.1", "192.168.1.2", action));
    s.Load(1, sas + PolicyPair("192.168.1.2", "192.168.1.1", action));
}

/// UDP echo from node 0 to node 1's port (the discard port by default): returns the number
/// of replies.
inline uint32_t
RunEcho(const Segment& s,
        uint32_t count,
        uint32_t payload,
        Time stop = Seconds(3),
        uint16_t port = 9)
{
    UdpEchoServerHelper server(port);
    server.Install(s.nodes.Get(1)).Start(Seconds(0));
    UdpEchoClientHelper client(s.interfaces.GetAddress(1), port);
    client.SetAttribute("MaxPackets", UintegerValue(count));
    client.SetAttribute("Interval", TimeValue(MilliSeconds(20)));
    client.SetAttribute("PacketSize", UintegerValue(payload));
    ApplicationContainer app = client.Install(s.nodes.Get(0));
    app.Start(Seconds(0.5));
    uint32_t replies = 0;
    app.Get(0)->TraceConnectWithoutContext(
        "Rx",
        Callback<void, Ptr<const Packet>>([&replies](Ptr<const Packet>) { ++replies; }));
    Simulator::Stop(stop);
    Simulator::Run();
    return replies;
}

/// TCP bulk transfer node 0 → node 1: returns the bytes received.
inline uint64_t
RunBulk(const Segment& s, uint32_t bytes, Time stop = Seconds(10))
{
    PacketSinkHelper sink("ns3::TcpSocketFactory", InetSocketAddress(Ipv4Address::GetAny(), 5000));
    ApplicationContainer sinkApp = sink.Install(s.nodes.Get(1));
    BulkSendHelper bulk("ns3::TcpSocketFactory",
                        InetSocketAddress(s.interfaces.GetAddress(1), 5000));
    bulk.SetAttribute("MaxBytes", UintegerValue(bytes));
    bulk.Install(s.nodes.Get(0)).Start(Seconds(0.5));
    Simulator::Stop(stop);
    Simulator::Run();
    return DynamicCast<PacketSink>(sinkApp.Get(0))->GetTotalRx();
}

/// IP protocol numbers of the packets a node sent, counted (ARP is not IP).
inline std::map<uint8_t, uint32_t>*
CountTxProtocols(Ptr<Node> node, std::vector<uint32_t>* sizes = nullptr)
{
    auto* counts = new std::map<uint8_t, uint32_t>();
    node->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
        "Tx",
        Callback<void, Ptr<const Packet>, Ptr<Ipv4>, uint32_t>(
            [counts, sizes](Ptr<const Packet> p, Ptr<Ipv4>, uint32_t) {
                Ipv4Header h;
                p->PeekHeader(h);
                ++(*counts)[h.GetProtocol()];
                if (sizes)
                {
                    sizes->push_back(p->GetSize());
                }
            }));
    return counts;
}

class IpsecLayerTest : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
    }

    void TearDown() override
    {
        Simulator::Destroy();
    }
};

} // namespace presec_test

#endif // PRESEC_TEST_IPSEC_TEST_FIXTURE_H
