/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * SwitchedEthernetChannel and SwitchedEthernetNetDevice on their own (issue 15): when a frame
 * arrives (store and forward over two full-duplex links), queueing at a station and at a
 * switch port, learning and flooding, drops with reasons, cables pulled and plugged back.
 */

#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/switched-ethernet-channel.h"
#include "ns3/switched-ethernet-net-device.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

constexpr uint16_t IPV4 = 0x0800;

/// A frame a station received: when, its payload's size.
struct Arrival
{
    Time at;       //!< when
    uint32_t size; //!< payload bytes (padding included)
};

/// A switch with N stations (100 Mb/s, 50 us links), each recording what it receives and
/// what its port shows (PromiscSniffer).
class SwitchedEthernetTest : public ::testing::Test
{
  protected:
    void Build(uint32_t n, uint32_t txQueue = 100, uint32_t portQueue = 100)
    {
        sw = CreateObjectWithAttributes<SwitchedEthernetChannel>("DataRate",
                                                                 DataRateValue(DataRate("100Mbps")),
                                                                 "Delay",
                                                                 TimeValue(MicroSeconds(50)),
                                                                 "MaxPortQueue",
                                                                 UintegerValue(portQueue));
        received.resize(n);
        sniffed.resize(n);
        for (uint32_t k = 0; k < n; ++k)
        {
            auto node = CreateObject<Node>();
            auto dev = CreateObject<SwitchedEthernetNetDevice>();
            dev->SetAddress(Mac48Address::Allocate());
            dev->SetAttribute("TxQueueSize", UintegerValue(txQueue));
            node->AddDevice(dev);
            dev->Attach(sw);
            dev->SetReceiveCallback(
                [this, k](Ptr<NetDevice>, Ptr<const Packet> p, uint16_t protocol, const Address&) {
                    EXPECT_EQ(protocol, IPV4);
                    received[k].push_back({Simulator::Now(), p->GetSize()});
                    return true;
                });
            dev->TraceConnectWithoutContext(
                "PromiscSniffer",
                Callback<void, Ptr<const Packet>>(
                    [this, k](Ptr<const Packet> p) { sniffed[k].push_back(p->GetSize()); }));
            devs.push_back(dev);
        }
    }

    void TearDown() override
    {
        Simulator::Destroy();
    }

    /// Station \p from sends \p bytes to station \p to at \p at.
    void SendAt(Time at, uint32_t from, uint32_t to, uint32_t bytes)
    {
        Simulator::Schedule(at, [this, from, to, bytes]() {
            sent.push_back(devs[from]->Send(Create<Packet>(bytes), devs[to]->GetAddress(), IPV4));
        });
    }

    /// A frame's time on a 100 Mb/s link: its payload, header (14) and FCS (4).
    static Time Tx(uint32_t payload)
    {
        return DataRate("100Mbps").CalculateBytesTxTime(std::max<uint32_t>(payload, 46) + 18);
    }

    Ptr<SwitchedEthernetChannel> sw;
    std::vector<Ptr<SwitchedEthernetNetDevice>> devs;
    std::vector<std::vector<Arrival>> received;
    std::vector<std::vector<uint32_t>> sniffed; //!< frame sizes each port showed
    std::vector<bool> sent;
};

} // namespace

TEST_F(SwitchedEthernetTest, AFrameArrivesAfterTwoLinksStoreAndForward)
{
    Build(2);
    SendAt(Seconds(1), 0, 1, 200);
    SendAt(Seconds(2), 0, 1, 10); // padded to 46
    Simulator::Run();
    ASSERT_EQ(received[1].size(), 2u);
    const Time link = MicroSeconds(50);
    EXPECT_EQ(received[1][0].at, Seconds(1) + 2 * (Tx(200) + link));
    EXPECT_EQ(received[1][0].size, 200u);
    EXPECT_EQ(received[1][1].at, Seconds(2) + 2 * (Tx(10) + link));
    EXPECT_EQ(received[1][1].size, 46u) << "the padding stays, as on CSMA";
    EXPECT_EQ(Tx(10), NanoSeconds(5120)) << "a minimum frame (64 bytes) at 100 Mb/s";
    EXPECT_TRUE(received[0].empty()) << "a sender does not hear itself";
}

TEST_F(SwitchedEthernetTest, FramesQueueAtTheStationAndAtTheSwitchPort)
{
    Build(3);
    // Station 0 sends two frames at once: the second leaves its transmitter one tx later.
    SendAt(Seconds(1), 0, 1, 1500);
    SendAt(Seconds(1), 0, 1, 1500);
    // Stations 0 and 2 each send one to 1 at once: the port to 1 sends them one after the other.
    SendAt(Seconds(2), 0, 1, 1500);
    SendAt(Seconds(2), 2, 1, 1500);
    Simulator::Run();
    ASSERT_EQ(received[1].size(), 4u);
    const Time first = 2 * (Tx(1500) + MicroSeconds(50));
    EXPECT_EQ(received[1][0].at, Seconds(1) + first);
    EXPECT_EQ(received[1][1].at, Seconds(1) + first + Tx(1500));
    EXPECT_EQ(received[1][2].at, Seconds(2) + first);
    EXPECT_EQ(received[1][3].at, Seconds(2) + first + Tx(1500));
}

TEST_F(SwitchedEthernetTest, UnknownDestinationsAreFloodedKnownOnesGoToTheirPortOnly)
{
    Build(3);
    SendAt(Seconds(1), 0, 1, 100); // 1 not learned yet: flooded, 2 sees it
    SendAt(Seconds(2), 1, 0, 100); // 0 learned: to 0's port only
    SendAt(Seconds(3), 0, 1, 100); // 1 learned now: 2 sees nothing
    Simulator::Schedule(Seconds(4), [this]() {
        devs[0]->Send(Create<Packet>(100), devs[0]->GetBroadcast(), IPV4);
    });
    Simulator::Run();
    EXPECT_EQ(received[1].size(), 3u) << "two unicasts and the broadcast";
    EXPECT_EQ(received[0].size(), 1u);
    EXPECT_EQ(received[2].size(), 1u) << "the broadcast only (the flooded frame is not for 2)";
    // Port 2 saw the flooded frame and the broadcast, nothing of the unicast after learning.
    EXPECT_EQ(sniffed[2].size(), 2u);
    EXPECT_EQ(sw->GetStats().ingressFrames, 4u);
    EXPECT_EQ(sw->GetStats().flooded, 2u);
    EXPECT_EQ(sw->GetStats().forwarded, 2u);
}

TEST_F(SwitchedEthernetTest, FullQueuesDropWithTheirReason)
{
    Build(4, /*txQueue=*/2, /*portQueue=*/2);
    for (int k = 0; k < 3; ++k)
    {
        SendAt(Seconds(1), 0, 1, 1000); // the third finds 0's transmitter full
    }
    SendAt(Seconds(1.5), 1, 0, 10); // the switch learns 1
    // 0, 2 and 3 send one each to 1 at once: the port to 1 holds two of them.
    SendAt(Seconds(2), 0, 1, 1000);
    SendAt(Seconds(2), 2, 1, 1000);
    SendAt(Seconds(2), 3, 1, 1000);
    Simulator::Run();
    EXPECT_EQ(sent, (std::vector<bool>{true, true, false, true, true, true, true}));
    EXPECT_EQ(devs[0]->GetStats().drops.at(SwitchedEthernetNetDevice::TX_QUEUE_FULL), 1u);
    EXPECT_EQ(sw->GetStats().drops.at(SwitchedEthernetChannel::PORT_QUEUE_FULL), 1u);
    EXPECT_EQ(received[1].size(), 2u + 2u);
}

TEST_F(SwitchedEthernetTest, APulledCableStopsBothWaysAndForgetsTheAddress)
{
    Build(3);
    std::vector<std::string> drops;
    devs[1]->TraceConnectWithoutContext(
        "Drop",
        Callback<void, Ptr<const Packet>, const char*>(
            [&drops](Ptr<const Packet>, const char* why) { drops.emplace_back(why); }));
    SendAt(Seconds(1), 1, 0, 100); // the switch learns 1
    SendAt(Seconds(2), 0, 1, 100); // on its way when the cable is pulled
    Simulator::Schedule(Seconds(2) + MicroSeconds(10), [this]() {
        sw->Detach(devs[1]);
        EXPECT_FALSE(devs[1]->IsLinkUp());
    });
    SendAt(Seconds(3), 1, 0, 100); // no cable: not sent
    SendAt(Seconds(4), 0, 1, 100); // 1 forgotten: flooded, 2 sees it, 1 does not
    Simulator::Schedule(Seconds(5), [this]() { sw->Reattach(devs[1]); });
    SendAt(Seconds(6), 0, 1, 100);
    Simulator::Run();
    EXPECT_EQ(sent, (std::vector<bool>{true, true, false, true, true}));
    ASSERT_EQ(received[1].size(), 1u);
    EXPECT_EQ(received[1][0].at, Seconds(6) + 2 * (Tx(100) + MicroSeconds(50)));
    EXPECT_EQ(drops,
              (std::vector<std::string>{SwitchedEthernetNetDevice::NO_CABLE,
                                        SwitchedEthernetNetDevice::NO_CABLE}));
    // Flooded: 1 to the still unknown 0, then 0 to 1 after the switch forgot 1 (twice: 1 has
    // sent nothing since its cable is back).
    EXPECT_EQ(sniffed[2].size(), 3u);
    EXPECT_EQ(sw->GetStats().flooded, 3u);
}

// A station with a backlog does not hold up another station's frame at a port they share: the
// switch sees each frame when it leaves its station, not when it was handed to the station's
// transmitter: a voice frame behind a neighbour's bulk transfer waits for at most the frame the
// port is sending and one that left its station before the voice frame but reaches the switch
// after it (the model's order is the order of departure).
TEST_F(SwitchedEthernetTest, ABackloggedStationDoesNotHoldUpAnotherAtASharedPort)
{
    Build(3);
    for (int k = 0; k < 20; ++k)
    {
        SendAt(Seconds(1), 0, 1, 1500); // 20 frames: about 2.4 ms at 0's transmitter
    }
    const Time voice = Seconds(1) + MilliSeconds(1);
    SendAt(voice, 2, 1, 200);
    Simulator::Run();
    ASSERT_EQ(received[1].size(), 21u);
    auto small = std::find_if(received[1].begin(), received[1].end(), [](const Arrival& a) {
        return a.size == 200;
    });
    ASSERT_NE(small, received[1].end());
    const Time alone = voice + 2 * (Tx(200) + MicroSeconds(50));
    EXPECT_GE(small->at, alone);
    EXPECT_LE(small->at, alone + 2 * Tx(1500)) << "waited behind 0's backlog";
    EXPECT_LT(small - received[1].begin(), 11) << "the frames 0 had not yet sent came after it";
    // 0's own frames still leave back to back, in order.
    EXPECT_EQ(received[1].back().at, Seconds(1) + 21 * Tx(1500) + 2 * MicroSeconds(50) + Tx(200));
}

// Frames still waiting at a station when its cable is pulled never reach the switch.
TEST_F(SwitchedEthernetTest, FramesWaitingAtAStationWhoseCableIsPulledAreDropped)
{
    Build(2);
    for (int k = 0; k < 10; ++k)
    {
        SendAt(Seconds(1), 0, 1, 1500);
    }
    // Pulled while the third frame is on the cable: it and the two before it get through.
    Simulator::Schedule(Seconds(1) + 2 * Tx(1500) + MicroSeconds(1),
                        [this]() { sw->Detach(devs[0]); });
    Simulator::Run();
    EXPECT_EQ(received[1].size(), 3u);
    EXPECT_EQ(sw->GetStats().drops.at(SwitchedEthernetChannel::INGRESS_DOWN), 7u);
}
