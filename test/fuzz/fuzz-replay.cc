/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// libFuzzer target: presec-replay's capture reading and feeding (PcapCaptureReader,
// IpsecCaptureReplay), as the tool runs them.
//
// Input: the bytes of a capture file (pcap or pcapng). They are written to a memfd and opened
// by its /proc path, as the tool opens a file, and replayed into the host: node B of
// examples/ipsec-two-nodes.cc (192.168.1.2/24, scenarios/policies/two-nodes-b.setkey, CryptoMode
// real), so the seeds' ESP and AH packets pass the ICV and reach the upper layers. The host is
// built once (a fresh one costs ~0.7 ms, more than most inputs) and the setkey file's SAs
// are added afresh before each input (replacing the used ones: sequence numbers, replay
// windows, lifetimes), as fuzz-ipsec-path does. It is rebuilt (Simulator::Destroy) once simulated
// time passes 30 years, as each input moves it on by its capture's span (up to 136 years) and int64
// nanoseconds end at 292.
//
// Invariants (std::abort on violation):
//  1. a file is either an error naming it (and no verdicts) or verdicts in increasing frame
//     order, each for a frame addressed to the host;
//  2. a delivered row has no reason, a dropped row has one; SPI and sequence number come
//     together;
//  3. the IpsecLayer's counters cover the rows: delivered rows at most its protected and
//     clear receptions during the input, rows dropped by IPsec at most its drops.
// Crashes, leaks and undefined behaviour are caught by ASan/UBSan.

#include "ns3/core-module.h"
#include "ns3/ipsec-capture-replay.h"
#include "ns3/ipsec-layer.h"
#include "ns3/setkey-parser.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

using namespace ns3;

namespace
{

int g_fd = -1;
std::string g_path;
IpsecCaptureReplay* g_replay = nullptr;
std::vector<SecurityAssociation> g_sas; //!< the setkey file's SAs, fresh

[[noreturn]] void
Fail(const std::string& what)
{
    std::fprintf(stderr, "fuzz-replay: invariant violated: %s\n", what.c_str());
    std::fflush(stderr);
    std::abort();
}

void
Check(const IpsecCaptureReplay& replay,
      const std::string& error,
      const IpsecLayer::Stats& before,
      uint64_t dropsBefore)
{
    const auto& verdicts = replay.GetVerdicts();
    if (!error.empty())
    {
        if (error.compare(0, g_path.size(), g_path) != 0)
        {
            Fail("error does not name the file: " + error);
        }
        if (!verdicts.empty())
        {
            Fail("verdicts from a file that is an error");
        }
        return;
    }
    uint64_t previous = 0;
    uint64_t delivered = 0;
    uint64_t ipsecDropped = 0;
    for (const ReplayVerdict& v : verdicts)
    {
        if (v.frame <= previous)
        {
            Fail("frames out of order");
        }
        previous = v.frame;
        if (v.spi.has_value() != v.sequence.has_value())
        {
            Fail("SPI without sequence number or back");
        }
        switch (v.outcome)
        {
        case ReplayVerdict::Outcome::DELIVERED:
            ++delivered;
            if (!v.reason.empty())
            {
                Fail("delivered with a reason: " + v.reason);
            }
            break;
        case ReplayVerdict::Outcome::DROPPED:
        case ReplayVerdict::Outcome::NOT_FED:
            if (v.reason.empty())
            {
                Fail("dropped without a reason");
            }
            ipsecDropped += v.outcome == ReplayVerdict::Outcome::DROPPED &&
                            v.reason.compare(0, 5, "ipv4-") != 0;
            break;
        case ReplayVerdict::Outcome::NONE:
            break;
        }
    }
    const IpsecLayer::Stats& c = replay.GetLayer()->GetStats();
    if (delivered >
        c.protectedRxPackets - before.protectedRxPackets + c.plainRxPackets - before.plainRxPackets)
    {
        Fail("more delivered rows than IpsecLayer receptions");
    }
    if (ipsecDropped > replay.GetLayer()->GetTotalDrops() - dropsBefore)
    {
        Fail("more dropped rows than IpsecLayer drops");
    }
}

} // namespace

extern "C" int
LLVMFuzzerInitialize(int*, char***)
{
    g_fd = memfd_create("fuzz-replay", 0);
    if (g_fd < 0)
    {
        Fail("memfd_create");
    }
    g_path = "/proc/self/fd/" + std::to_string(g_fd);
    std::ifstream in(PRESEC_REPLAY_SETKEY);
    std::stringstream text;
    text << in.rdbuf();
    auto script = SetkeyParser::ParseScript(text.str());
    if (!script)
    {
        Fail(std::string(PRESEC_REPLAY_SETKEY) + ": " + script.Describe());
    }
    g_sas = script.GetValue().associations;
    return 0;
}

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (ftruncate(g_fd, 0) != 0 ||
        (size > 0 && pwrite(g_fd, data, size, 0) != static_cast<ssize_t>(size)))
    {
        Fail("cannot write the memfd");
    }
    if (g_replay && Simulator::Now() > Years(30))
    {
        delete g_replay;
        g_replay = nullptr;
        Simulator::Destroy();
    }
    std::string error;
    if (!g_replay)
    {
        g_replay = new IpsecCaptureReplay();
        error = g_replay->Setup(Ipv4Address("192.168.1.2"),
                                Ipv4Mask("255.255.255.0"),
                                PRESEC_REPLAY_SETKEY);
    }
    if (!error.empty())
    {
        Fail("setup: " + error);
    }
    for (const SecurityAssociation& sa : g_sas)
    {
        g_replay->GetLayer()->GetSad()->Add(Create<SecurityAssociation>(sa)); // replaces the used
    }
    const IpsecLayer::Stats before = g_replay->GetLayer()->GetStats();
    const uint64_t dropsBefore = g_replay->GetLayer()->GetTotalDrops();
    error = g_replay->Replay(g_path);
    Check(*g_replay, error, before, dropsBefore);
    return 0;
}
