/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// presec-replay: what the simulated IPsec inbound path makes of a packet capture.
//
//   presec-replay --setkey=b.setkey --address=192.168.1.2 --pcap=capture.pcap > verdicts.csv
//
// Feeds every IPv4 packet of the capture addressed to the host (unicast to --address, the
// broadcast addresses, multicast) into a one-node ns-3 world with that address, the internet
// stack and an IpsecLayer loaded from the host's setkey file, at the packets' capture times,
// and writes one CSV line per such frame:
//   frame,spi,seq,verdict,reason,inner_protocol,inner_sport,inner_dport
// (see IpsecCaptureReplay and doc/presec.rst). A file that cannot be read, a capture of
// another link type, or a setkey error is a message on standard error and exit status 1.

#include "ns3/core-module.h"
#include "ns3/crypto-profile.h"
#include "ns3/ipsec-capture-replay.h"
#include "ns3/ns3-attribute-text.h"

#include <arpa/inet.h>
#include <iostream>

using namespace ns3;

int
main(int argc, char* argv[])
{
    std::string setkey;
    std::string address;
    std::string pcap;
    uint32_t prefix = 24;
    std::string crypto = "real";
    std::string cpu;
    CommandLine cmd(__FILE__);
    cmd.Usage("Replays the IPv4 packets of a capture addressed to one host into that host's "
              "simulated IPsec stack and writes one CSV line per packet: frame, outer SPI and "
              "sequence number, verdict (delivered/dropped), drop reason, inner protocol and "
              "ports.");
    cmd.AddValue("setkey", "the host's setkey file (SAs and policies)", setkey);
    cmd.AddValue("address", "the host's IPv4 address, A.B.C.D", address);
    cmd.AddValue("prefix", "its network prefix length (for the subnet broadcast)", prefix);
    cmd.AddValue("pcap", "the capture (pcap or pcapng; Ethernet or raw IPv4)", pcap);
    cmd.AddValue("crypto", "IpsecLayer CryptoMode: real (check ICVs, decrypt) or modeled", crypto);
    cmd.AddValue("cpu", "crypto cost profile for CPU delays (empty: none)", cpu);
    if (!ns3text::ParseCommandLine(cmd, argc, argv))
    {
        return 1;
    }

    auto fail = [](const std::string& message) {
        std::cerr << "presec-replay: " << message << "\n";
        return 1;
    };
    if (setkey.empty() || address.empty() || pcap.empty())
    {
        return fail("--setkey, --address and --pcap are required (--help for more)");
    }
    in_addr parsed{};
    if (inet_pton(AF_INET, address.c_str(), &parsed) != 1)
    {
        return fail("--address=" + address + ": not an IPv4 address A.B.C.D");
    }
    const Ipv4Address host(ntohl(parsed.s_addr));
    if (host.IsAny() || host.IsBroadcast() || host.IsMulticast())
    {
        return fail("--address=" + address + ": not a unicast address a host could have");
    }
    if (prefix > 32)
    {
        return fail("--prefix=" + std::to_string(prefix) + ": not a prefix length (0-32)");
    }
    if (std::string e = ns3text::CheckAttributeText("ns3::IpsecLayer::CryptoMode", crypto);
        !e.empty())
    {
        return fail("--crypto=" + crypto + ": " + e);
    }
    if (!cpu.empty() && !CryptoProfile::GetBuiltin(cpu))
    {
        std::string names;
        for (const auto& n : CryptoProfile::GetBuiltinNames())
        {
            names += " " + n;
        }
        return fail("--cpu=" + cpu + ": no such profile; built in:" + names);
    }

    IpsecCaptureReplay replay;
    std::string error =
        replay.Setup(host, Ipv4Mask(prefix == 0 ? 0u : ~0u << (32 - prefix)), setkey, crypto, cpu);
    if (error.empty())
    {
        error = replay.Replay(pcap);
    }
    if (!error.empty())
    {
        return fail(error);
    }
    IpsecCaptureReplay::WriteCsv(std::cout, replay.GetVerdicts());
    Simulator::Destroy();
    return std::cout ? 0 : 1;
}
