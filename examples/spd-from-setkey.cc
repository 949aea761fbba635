/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Load a setkey(8) policy file into a node's security policy database, print the
// database in first-match order, and show which entry decides a few example packets.
//
//   ./presec run spd-from-setkey --setkey=scenarios/policies/patent-fig7.setkey
//
// This is the default run until the mobility scenarios exist.

#include "ns3/command-line.h"
#include "ns3/core-module.h"
#include "ns3/ns3-attribute-text.h"
#include "ns3/protection-strength.h"
#include "ns3/security-policy-database.h"
#include "ns3/setkey-parser.h"

#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

using namespace ns3;

int
main(int argc, char* argv[])
{
    std::string setkeyFile = "scenarios/policies/patent-fig7.setkey";
    std::string noMatch = "bypass";
    CommandLine cmd(__FILE__);
    cmd.AddValue("setkey", "setkey(8) file with spdadd statements", setkeyFile);
    cmd.AddValue("noMatch", "result when nothing matches: bypass or discard", noMatch);
    if (!ns3text::ParseCommandLine(cmd, argc, argv))
    {
        return 1;
    }

    std::ifstream in(setkeyFile);
    if (!in)
    {
        std::cerr << setkeyFile << ": cannot open\n";
        return 1;
    }
    std::stringstream text;
    text << in.rdbuf();
    auto script = SetkeyParser::ParseScript(text.str());
    if (!script)
    {
        std::cerr << setkeyFile << ": " << script.Describe() << "\n";
        return 1;
    }

    auto spd = CreateObject<SecurityPolicyDatabase>();
    spd->SetAttribute("NoMatchAction", StringValue(noMatch));
    for (const auto& policy : script.GetValue().policies)
    {
        spd->Add(policy);
    }

    for (auto dir : {PolicyDirection::OUT, PolicyDirection::IN})
    {
        std::cout << "SPD " << ToString(dir) << " (first match wins):\n";
        for (const auto& p : spd->GetEntries(dir))
        {
            std::cout << "  " << std::left << std::setw(96) << SetkeyParser::Print(p)
                      << ProtectionStrength(p) << "\n";
        }
    }

    struct Probe
    {
        const char* what;
        PolicyDirection dir;
        PacketSelector sel;
    };

    const Probe probes[] = {
        {"voice to 11-1 (office)",
         PolicyDirection::OUT,
         {Ipv4Address("192.168.1.1"), Ipv4Address("192.168.1.2"), 17, 40000, 40000}},
        {"voice to 11-2 (external)",
         PolicyDirection::OUT,
         {Ipv4Address("192.168.1.1"), Ipv4Address("133.134.10.10"), 17, 40000, 40000}},
        {"SIP SUBSCRIBE to 11-2",
         PolicyDirection::OUT,
         {Ipv4Address("192.168.1.1"), Ipv4Address("133.134.10.10"), 17, 5060, 5060}},
        {"TCP to an unknown peer",
         PolicyDirection::OUT,
         {Ipv4Address("192.168.1.1"), Ipv4Address("10.9.9.9"), 6, 50000, 80}},
    };
    std::cout << "\nDecisions:\n";
    for (const auto& probe : probes)
    {
        const SecurityPolicy* p = spd->Lookup(probe.dir, probe.sel);
        std::cout << "  " << std::left << std::setw(26) << probe.what << " -> "
                  << (p != nullptr ? SetkeyParser::Print(*p) : "no match: " + noMatch) << "\n";
    }
    return 0;
}
