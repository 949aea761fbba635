/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Two nodes on a CSMA segment protect their traffic with static SAs from setkey files:
// a UDP echo under ESP and a TCP bulk transfer under ESP inside AH. Prints each node's IPsec
// counters and, with --pcap, writes pcaps plus Wireshark's esp_sa table, so
//
//   ./presec run ipsec-two-nodes --crypto=real --pcap=results/two-nodes
//   XDG_CONFIG_HOME=results/two-nodes tshark -r results/two-nodes/ipsec-two-nodes-0-0.pcap
//       -o esp.enable_encryption_decode:TRUE -o esp.enable_authentication_check:TRUE
//
// shows the packets decrypted with good ICVs.

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/crypto-cost-model.h"
#include "ns3/csma-module.h"
#include "ns3/internet-module.h"
#include "ns3/ipsec-helper.h"
#include "ns3/network-module.h"
#include "ns3/ns3-attribute-text.h"

#include <iomanip>
#include <iostream>
#include <sys/stat.h>

using namespace ns3;

namespace
{

void
PrintCounters(const std::string& name, Ptr<Node> node)
{
    Ptr<IpsecLayer> layer = node->GetObject<IpsecLayer>();
    const IpsecLayer::Stats& c = layer->GetStats();
    std::cout << name << ": protected tx " << c.protectedTxPackets << " pkts / "
              << c.protectedTxBytes << " B (+" << c.overheadTxBytes << " B IPsec overhead), rx "
              << c.protectedRxPackets << " pkts; clear tx " << c.plainTxPackets << ", rx "
              << c.plainRxPackets << "; drops " << layer->GetTotalDrops();
    for (int r = 0; r < IPSEC_DROP_REASON_COUNT; ++r)
    {
        if (c.drops[r] != 0)
        {
            std::cout << " " << ToString(static_cast<IpsecDropReason>(r)) << "=" << c.drops[r];
        }
    }
    if (auto cpu = node->GetObject<CryptoCostModel>())
    {
        std::cout << "; crypto CPU busy " << cpu->GetBusyTime().GetMicroSeconds() << " us";
    }
    std::cout << "\n";
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string policyDir = "scenarios/policies";
    std::string crypto = "modeled";
    std::string cpu = "x86-64-aesni";
    std::string pcapDir;
    uint32_t bulkBytes = 500000;
    CommandLine cmd(__FILE__);
    cmd.AddValue("policies", "folder with two-nodes-a.setkey and two-nodes-b.setkey", policyDir);
    cmd.AddValue("crypto", "modeled or real", crypto);
    cmd.AddValue("cpu",
                 "crypto cost profile (x86-64-aesni, cortex-a53-ce, xscale-pxa250, free)",
                 cpu);
    cmd.AddValue("pcap", "folder for pcaps and esp_sa (empty: none)", pcapDir);
    cmd.AddValue("bulk", "bytes of the TCP transfer", bulkBytes);
    if (!ns3text::ParseCommandLine(cmd, argc, argv))
    {
        return 1;
    }
    if (std::string e = ns3text::CheckAttributeText("ns3::IpsecLayer::CryptoMode", crypto);
        !e.empty())
    {
        std::cerr << "--crypto=" << crypto << ": " << e << "\n";
        return 1;
    }

    NodeContainer nodes;
    nodes.Create(2);
    CsmaHelper csma;
    csma.SetChannelAttribute("DataRate", StringValue("100Mbps"));
    csma.SetChannelAttribute("Delay", TimeValue(MicroSeconds(50)));
    NetDeviceContainer devices = csma.Install(nodes);
    InternetStackHelper().Install(nodes);
    Ipv4InterfaceContainer ifs = Ipv4AddressHelper("192.168.1.0", "255.255.255.0").Assign(devices);

    IpsecHelper ipsec;
    ipsec.SetLayerAttribute("CryptoMode", StringValue(crypto));
    ipsec.SetCostModel(cpu);
    ipsec.Install(nodes);
    for (uint32_t i = 0; i < 2; ++i)
    {
        std::string file = policyDir + (i == 0 ? "/two-nodes-a.setkey" : "/two-nodes-b.setkey");
        std::string error = IpsecHelper::LoadSetkeyFile(nodes.Get(i), file);
        if (!error.empty())
        {
            std::cerr << error << "\n";
            return 1;
        }
    }

    // ESP adds up to ~60 bytes per segment; keep segments under the 1500-byte MTU.
    Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(1400));

    UdpEchoServerHelper server(9);
    server.Install(nodes.Get(1));
    UdpEchoClientHelper client(ifs.GetAddress(1), 9);
    client.SetAttribute("MaxPackets", UintegerValue(20));
    client.SetAttribute("Interval", TimeValue(MilliSeconds(50)));
    client.SetAttribute("PacketSize", UintegerValue(160));
    client.Install(nodes.Get(0)).Start(Seconds(1));

    PacketSinkHelper sink("ns3::TcpSocketFactory", InetSocketAddress(Ipv4Address::GetAny(), 5000));
    ApplicationContainer sinkApp = sink.Install(nodes.Get(1));
    BulkSendHelper bulk("ns3::TcpSocketFactory", InetSocketAddress(ifs.GetAddress(1), 5000));
    bulk.SetAttribute("MaxBytes", UintegerValue(bulkBytes));
    bulk.Install(nodes.Get(0)).Start(Seconds(2));

    if (!pcapDir.empty())
    {
        mkdir(pcapDir.c_str(), 0755);
        csma.EnablePcapAll(pcapDir + "/ipsec-two-nodes", false);
    }

    Simulator::Stop(Seconds(10));
    Simulator::Run();

    std::cout << "TCP bytes received: " << DynamicCast<PacketSink>(sinkApp.Get(0))->GetTotalRx()
              << " of " << bulkBytes << "\n";
    PrintCounters("node A 192.168.1.1", nodes.Get(0));
    PrintCounters("node B 192.168.1.2", nodes.Get(1));
    if (!pcapDir.empty())
    {
        std::string dir = pcapDir + "/wireshark";
        mkdir(dir.c_str(), 0755);
        uint32_t n = IpsecHelper::WriteWiresharkEspSa(dir + "/esp_sa", nodes);
        std::cout << "pcaps in " << pcapDir << "/, " << n << " ESP SAs in " << dir << "/esp_sa\n";
    }
    Simulator::Destroy();
    return 0;
}
