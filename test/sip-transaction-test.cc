/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/simulator.h"
#include "ns3/sip-builder.h"
#include "ns3/sip-parser.h"
#include "ns3/sip-transaction.h"

#include <functional>
#include <gtest/gtest.h>
#include <vector>

using namespace ns3;

namespace
{

SipRequestParams
PeerAToB()
{
    SipRequestParams p;
    p.localUri = "sip:peerA@192.168.1.1";
    p.remoteUri = "sip:peerB@192.168.1.2";
    p.sentByHost = "192.168.1.1";
    return p;
}

} // namespace

TEST(SipClientTransaction, RetransmitScheduleAndTimeout)
{
    SipClientTransaction tx;
    EXPECT_EQ(tx.GetState(), SipClientTransaction::State::IDLE);
    EXPECT_TRUE(tx.NextRetransmitDelay().IsZero());
    tx.Start(Seconds(0));
    EXPECT_EQ(tx.GetState(), SipClientTransaction::State::TRYING);
    EXPECT_EQ(tx.GetTimeoutTime(), Seconds(32));

    // Intervals 0.5, 1, 2, 4, 4, 4, …; sends at 0.5, 1.5, 3.5, 7.5, 11.5, …, 31.5.
    const std::vector<double> expectedDelays{0.5, 1, 2, 4, 4, 4, 4, 4, 4, 4};
    std::vector<double> delays;
    std::vector<double> sends;
    Time now = Seconds(0);
    while (true)
    {
        Time d = tx.NextRetransmitDelay();
        Time next = now + d;
        EXPECT_EQ(tx.GetNextRetransmitTime(), next);
        if (next >= tx.GetTimeoutTime())
        {
            EXPECT_FALSE(tx.OnTimerE(next)); // Timer F got there first
            break;
        }
        delays.push_back(d.GetSeconds());
        now = next;
        ASSERT_TRUE(tx.OnTimerE(now));
        sends.push_back(now.GetSeconds());
    }
    EXPECT_EQ(delays, expectedDelays);
    EXPECT_EQ(sends, (std::vector<double>{0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5}));
    EXPECT_EQ(tx.GetRetransmissions(), 10U);

    // Timer F: 64·T1 = 32 s exactly.
    EXPECT_FALSE(tx.IsTimedOut(Seconds(32) - NanoSeconds(1)));
    EXPECT_FALSE(tx.IsTerminated(Seconds(32) - NanoSeconds(1)));
    EXPECT_FALSE(tx.OnTimerF(Seconds(32) - NanoSeconds(1)));
    EXPECT_TRUE(tx.IsTimedOut(Seconds(32)));
    EXPECT_TRUE(tx.IsTerminated(Seconds(32)));
    EXPECT_TRUE(tx.OnTimerF(Seconds(32)));
    EXPECT_FALSE(tx.OnTimerF(Seconds(33))); // only once
    EXPECT_TRUE(tx.HasTimedOut());
    EXPECT_EQ(tx.GetState(), SipClientTransaction::State::TERMINATED);
    EXPECT_FALSE(tx.OnFinalResponse(Seconds(33))); // too late
    EXPECT_TRUE(tx.NextRetransmitDelay().IsZero());
}

TEST(SipClientTransaction, FinalResponseAndTimerK)
{
    SipClientTransaction tx;
    tx.Start(Seconds(10));
    ASSERT_TRUE(tx.OnTimerE(Seconds(10.5)));
    EXPECT_EQ(tx.NextRetransmitDelay(), Seconds(1));
    EXPECT_TRUE(tx.OnResponse(200, Seconds(10.7)));
    EXPECT_EQ(tx.GetState(), SipClientTransaction::State::COMPLETED);
    EXPECT_TRUE(tx.NextRetransmitDelay().IsZero());
    EXPECT_TRUE(tx.GetNextRetransmitTime().IsZero());
    EXPECT_FALSE(tx.OnTimerE(Seconds(11.5)));            // a stale Timer E does nothing
    EXPECT_FALSE(tx.OnFinalResponse(Seconds(11)));       // retransmitted 200 absorbed
    EXPECT_FALSE(tx.OnProvisionalResponse(Seconds(11))); // late 1xx ignored
    EXPECT_EQ(tx.GetTimerKDelay(), Seconds(5));          // T4 over UDP
    EXPECT_FALSE(tx.IsTerminated(Seconds(15.7) - NanoSeconds(1)));
    EXPECT_TRUE(tx.IsTerminated(Seconds(15.7)));
    EXPECT_FALSE(tx.IsTimedOut(Seconds(50)));
    EXPECT_FALSE(tx.OnTimerF(Seconds(42)));
    tx.OnTimerK(Seconds(15.7));
    EXPECT_EQ(tx.GetState(), SipClientTransaction::State::TERMINATED);
    EXPECT_FALSE(tx.HasTimedOut());
    EXPECT_EQ(tx.GetRetransmissions(), 1U);
}

TEST(SipClientTransaction, ProceedingRetransmitsEveryT2)
{
    SipClientTransaction tx;
    tx.Start(Seconds(0));
    ASSERT_TRUE(tx.OnTimerE(Seconds(0.5)));
    EXPECT_TRUE(tx.OnResponse(100, Seconds(0.6)));
    EXPECT_EQ(tx.GetState(), SipClientTransaction::State::PROCEEDING);
    EXPECT_EQ(tx.NextRetransmitDelay(), Seconds(1)); // the pending Timer E keeps its value
    ASSERT_TRUE(tx.OnTimerE(Seconds(1.5)));
    EXPECT_EQ(tx.NextRetransmitDelay(), Seconds(4)); // then T2
    ASSERT_TRUE(tx.OnTimerE(Seconds(5.5)));
    EXPECT_EQ(tx.NextRetransmitDelay(), Seconds(4));
    EXPECT_TRUE(tx.IsTimedOut(Seconds(32))); // Timer F still applies in Proceeding
    EXPECT_TRUE(tx.OnResponse(404, Seconds(6)));
    EXPECT_FALSE(tx.IsTimedOut(Seconds(32)));
}

TEST(SipClientTransaction, ReliableTransportAndCustomTimers)
{
    SipTimerValues reliable;
    reliable.reliable = true;
    SipClientTransaction tcp(reliable);
    tcp.Start(Seconds(1));
    EXPECT_TRUE(tcp.NextRetransmitDelay().IsZero());
    EXPECT_FALSE(tcp.OnTimerE(Seconds(1.5)));
    EXPECT_EQ(tcp.GetTimeoutTime(), Seconds(33));
    EXPECT_TRUE(tcp.OnFinalResponse(Seconds(2)));
    EXPECT_EQ(tcp.GetState(), SipClientTransaction::State::TERMINATED); // Timer K = 0
    EXPECT_TRUE(tcp.GetTimerKDelay().IsZero());

    SipTimerValues slow;
    slow.t1 = Seconds(1);
    slow.t2 = Seconds(8);
    SipClientTransaction tx(slow);
    tx.Start(Seconds(0));
    EXPECT_EQ(tx.GetTimeoutTime(), Seconds(64));
    std::vector<double> delays;
    Time now = Seconds(0);
    for (int i = 0; i < 6; ++i)
    {
        delays.push_back(tx.NextRetransmitDelay().GetSeconds());
        now += tx.NextRetransmitDelay();
        ASSERT_TRUE(tx.OnTimerE(now));
    }
    EXPECT_EQ(delays, (std::vector<double>{1, 2, 4, 8, 8, 8}));
}

TEST(SipClientTransaction, DrivenBySimulator)
{
    // How the PresenceAgent drives it: Timer E and F as simulator events, no answer at all.
    SipClientTransaction tx;
    std::vector<double> sends;
    EventId timerE;
    bool timedOut = false;
    std::function<void()> onE = [&]() {
        if (tx.OnTimerE(Simulator::Now()))
        {
            sends.push_back(Simulator::Now().GetSeconds());
            timerE = Simulator::Schedule(tx.NextRetransmitDelay(), onE);
        }
    };
    Simulator::Schedule(Seconds(1), [&]() {
        tx.Start(Simulator::Now());
        sends.push_back(Simulator::Now().GetSeconds());
        timerE = Simulator::Schedule(tx.NextRetransmitDelay(), onE);
        Simulator::Schedule(tx.GetTimeoutTime() - Simulator::Now(), [&]() {
            timedOut = tx.OnTimerF(Simulator::Now());
            timerE.Cancel();
        });
    });
    Simulator::Run();
    Simulator::Destroy();
    EXPECT_TRUE(timedOut);
    EXPECT_EQ(sends,
              (std::vector<double>{1, 1.5, 2.5, 4.5, 8.5, 12.5, 16.5, 20.5, 24.5, 28.5, 32.5}));
}

TEST(SipClientTransaction, MatchKey)
{
    SipBuilder b(9);
    auto sub = b.Subscribe(PeerAToB(), 60);
    auto ok = b.Ok(sub);
    EXPECT_FALSE(SipClientTransaction::MatchKey(sub).empty());
    EXPECT_EQ(SipClientTransaction::MatchKey(sub), SipClientTransaction::MatchKey(ok));
    EXPECT_EQ(SipClientTransaction::MatchKey(sub).substr(23), "|SUBSCRIBE");
    auto other = b.Subscribe(PeerAToB(), 60);
    EXPECT_NE(SipClientTransaction::MatchKey(sub), SipClientTransaction::MatchKey(other));
    EXPECT_EQ(SipClientTransaction::MatchKey(SipMessage::CreateResponse(200)), "");
}

TEST(SipServerTransactionTable, AbsorbsRetransmissions)
{
    SipBuilder b(10);
    SipServerTransactionTable table;
    auto sub = SipParser::Parse(b.Subscribe(PeerAToB(), 60).Serialize()).TakeValue();

    auto v1 = table.OnRequest(sub, Seconds(0));
    EXPECT_FALSE(v1.retransmission);
    auto v2 = table.OnRequest(sub, Seconds(0.5)); // before the TU answered: silent
    EXPECT_TRUE(v2.retransmission);
    EXPECT_TRUE(v2.response.empty());

    auto ok = b.Ok(sub, "sip:peerB@192.168.1.2");
    table.OnResponse(sub, ok, Seconds(0.6));
    auto v3 = table.OnRequest(sub, Seconds(1.5));
    EXPECT_TRUE(v3.retransmission);
    EXPECT_EQ(v3.response, ok.Serialize()); // the same To tag again

    // Same branch from another sent-by, or another method: a different transaction.
    auto spoof = sub;
    spoof.RemoveHeader("Via");
    SipVia via;
    via.host = "192.168.1.3";
    via.port = 5060;
    via.SetBranch(sub.GetTopVia()->GetBranch());
    spoof.PushVia(via);
    EXPECT_FALSE(table.OnRequest(spoof, Seconds(2)).retransmission);
    EXPECT_NE(SipServerTransactionTable::MatchKey(spoof), SipServerTransactionTable::MatchKey(sub));
    EXPECT_EQ(table.GetSize(), 2U);

    // Timer J: 64·T1 after the final response.
    EXPECT_EQ(table.Purge(Seconds(32.6) - NanoSeconds(1)), 0U);
    EXPECT_TRUE(table.OnRequest(sub, Seconds(32.6) - NanoSeconds(1)).retransmission);
    EXPECT_EQ(table.Purge(Seconds(32.6)), 1U);
    EXPECT_FALSE(table.OnRequest(sub, Seconds(33)).retransmission); // a new transaction now
}

TEST(SipServerTransactionTable, KeysAndReliableTransport)
{
    auto invite = SipMessage::CreateRequest("INVITE", "sip:b@1.1.1.1");
    SipVia via;
    via.host = "1.1.1.2";
    via.SetBranch("z9hG4bKi1");
    invite.PushVia(via);
    auto ack = invite;
    ack.SetRequestLine("ACK", "sip:b@1.1.1.1");
    EXPECT_EQ(SipServerTransactionTable::MatchKey(invite), "z9hG4bKi1|1.1.1.2|INVITE");
    EXPECT_EQ(SipServerTransactionTable::MatchKey(ack),
              SipServerTransactionTable::MatchKey(invite));
    EXPECT_EQ(SipServerTransactionTable::MatchKey(SipMessage::CreateRequest("NOTIFY", "sip:x@y")),
              "");

    SipTimerValues tcp;
    tcp.reliable = true;
    SipServerTransactionTable table(tcp);
    SipBuilder b(11);
    auto sub = b.Subscribe(PeerAToB(), 60);
    EXPECT_FALSE(table.OnRequest(sub, Seconds(1)).retransmission);
    table.OnResponse(sub, b.Ok(sub), Seconds(1));
    EXPECT_EQ(table.Purge(Seconds(1)), 1U); // Timer J = 0
    // A request without a key is never recorded.
    EXPECT_FALSE(
        table.OnRequest(SipMessage::CreateRequest("NOTIFY", "sip:x@y"), Seconds(2)).retransmission);
    EXPECT_EQ(table.GetSize(), 0U);
}
