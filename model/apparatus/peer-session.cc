/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "peer-session.h"

#include "lowering-negotiator.h"
#include "peer-traffic.h"
#include "rtp-header.h"
#include "sa-provisioner.h"
#include "spd-registration.h"

#include "ns3/log.h"
#include "ns3/policy-set.h"
#include "ns3/presence-agent.h"
#include "ns3/setkey-parser.h"
#include "ns3/simulator.h"
#include "ns3/sip-message.h"

#include <algorithm>
#include <functional>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("PeerSession");

namespace
{

/// Where a peer's presence says it is now: the host of its PIDF contact if that is one of its
/// addresses (its primary one, where it sends from: a laptop docked while its Wi-Fi still
/// holds a lease names the dock), else `current` while the peer still has it, else its first
/// address.
Ipv4Address
CurrentAddress(const PresenceDocument& doc, Ipv4Address current)
{
    const auto& a = doc.addresses;
    if (a.empty())
    {
        return current;
    }
    // "sip:user@192.0.2.1:5060;params" -> 192.0.2.1
    std::string host = doc.contact.substr(doc.contact.find(':') + 1);
    host = host.substr(host.find('@') + 1);
    host = host.substr(0, host.find_first_of(":;>?"));
    Ipv4Address contact;
    if (ParseIpv4Address(host, contact) && std::find(a.begin(), a.end(), contact) != a.end())
    {
        return contact;
    }
    return std::find(a.begin(), a.end(), current) != a.end() ? current : a.front();
}

/// A pending event scheduled again with what is left of its delay (its target moved).
void
Reschedule(EventId& e, const std::function<EventId(Time)>& schedule)
{
    if (e.IsRunning())
    {
        Time left = Simulator::GetDelayLeft(e);
        e.Cancel();
        e = schedule(left);
    }
}

} // namespace

PeerSession::PeerSession(uint64_t id,
                         Ipv4Address peer,
                         bool responder,
                         PeerSessionUser* user,
                         const Pieces& pieces)
    : m_traffic(pieces.traffic),
      m_peer(peer),
      m_id(id),
      m_responder(responder),
      m_user(user),
      m_judge(pieces.judge),
      m_registration(pieces.spd),
      m_sa(pieces.sa),
      m_lowering(pieces.lowering)
{
}

std::string
PeerSession::ToString(PeerSessionState s)
{
    switch (s)
    {
    case PeerSessionState::SUBSCRIBING:
        return "subscribing";
    case PeerSessionState::DECIDING:
        return "deciding";
    case PeerSessionState::NEGOTIATING:
        return "negotiating";
    case PeerSessionState::ESTABLISHED:
        return "established";
    case PeerSessionState::REFUSED:
        return "refused";
    case PeerSessionState::FAILED:
        return "failed";
    case PeerSessionState::ENDED:
        return "ended";
    }
    return "?";
}

uint64_t
PeerSession::GetId() const
{
    return m_id;
}

Ipv4Address
PeerSession::GetPeer() const
{
    return m_peer;
}

bool
PeerSession::IsResponder() const
{
    return m_responder;
}

PeerSessionState
PeerSession::GetState() const
{
    return m_state;
}

bool
PeerSession::HasPresence() const
{
    return m_everNotified;
}

const PresenceDocument&
PeerSession::GetDocument() const
{
    return m_doc;
}

const std::vector<SecurityPolicy>&
PeerSession::GetRegistered() const
{
    return m_registration.GetPolicies();
}

PeerSessionStats
PeerSession::GetStats() const
{
    PeerSessionStats st = m_stats;
    if (!m_firstRx)
    {
        uint64_t expected = uint64_t(m_maxSeq) + 1;
        st.lost = expected > st.received ? uint32_t(expected - st.received) : 0;
    }
    return st;
}

void
PeerSession::CancelTimers()
{
    for (EventId* e : {&m_decisionEvent, &m_reevalEvent, &m_sendEvent, &m_endEvent})
    {
        e->Cancel();
    }
}

void
PeerSession::RemoveRegistrations()
{
    m_registration.Remove();
}

void
PeerSession::OnPresence(const PresenceDocument& doc,
                        const std::vector<SecurityPolicy>& policies,
                        bool ok,
                        const std::string& error)
{
    Ipv4Address peer = m_peer;
    std::ostringstream o;
    if (!ok)
    {
        if (m_everNotified)
        {
            o << "subscription to " << peer << " ended: " << error << "; registered policies kept";
            m_user->Log(0, o.str());
            return;
        }
        m_user->Count(PeerSessionUser::NO_ANSWER);
        o << "no answer from " << peer << ": " << error;
        m_user->Log(0, o.str());
        if (m_user->GetSessionConfig(m_doc.entity).onNoAnswer == "default")
        {
            m_user->Log(0, "outcome: no answer, falling back to our own default policy");
            Register(m_judge->GetOfferedPolicies(peer), " (own default)");
            Proceed();
        }
        else
        {
            m_state = PeerSessionState::FAILED;
            m_user->Log(0, "outcome: no answer, refused (no communication)");
        }
        return;
    }
    if (m_everNotified && error.rfind(PresenceAgent::OUTDATED_NOTE, 0) == 0)
    {
        // RFC 3863 section 6: an older document than the one we acted on says nothing new.
        o << "ignored: an outdated presence document from " << peer
          << " (older than the one registered)";
        m_user->Log(0, o.str());
        m_user->Count(PeerSessionUser::OUTDATED_IGNORED);
        return;
    }
    m_doc = doc;
    m_proposal = policies;
    if (m_user->GetSessionConfig(m_doc.entity).request == RequestedInfo::PRESENCE)
    {
        // FIG. 4 without box 412: the peer's policy was not asked for, so the user starts
        // from our own default, stated as the peer would state it.
        m_proposal = PolicySet::Mirror(m_judge->GetOfferedPolicies(peer));
        if (!m_everNotified)
        {
            m_user->Log(0, "policy not requested: judged against our own default");
        }
    }
    bool first = !m_everNotified;
    m_everNotified = true;
    if (Ipv4Address now = CurrentAddress(doc, peer); !first && now != peer)
    {
        FollowPeer(now);
        peer = now;
    }
    CrossCheckLocation(); // against the address the document now names
    o << "registered presence of " << peer << " in the presence database (entity " << doc.entity
      << ", location " << doc.location << ")";
    if (!error.empty())
    {
        o << " [" << error << "]";
    }
    m_user->Log(504, o.str());
    switch (m_state)
    {
    case PeerSessionState::SUBSCRIBING:
        if (first)
        {
            DecideNow(false);
        }
        break;
    case PeerSessionState::DECIDING:
        m_reevalPending = true; // checked once the decision in progress is applied
        break;
    case PeerSessionState::NEGOTIATING:
        m_reevalPending = true; // a NOTIFY is no answer: looked at once the negotiation ends
        break;
    case PeerSessionState::ESTABLISHED:
        if (m_pendingDecision)
        {
            m_reevalPending = true;
        }
        else
        {
            HandleUpdate();
        }
        break;
    case PeerSessionState::REFUSED:
    case PeerSessionState::FAILED:
    case PeerSessionState::ENDED:
        m_user->Log(0, "ignored: no session in progress");
        break;
    }
}

void
PeerSession::CrossCheckLocation()
{
    std::string network = m_judge->ClassifyPeer(m_peer);
    if (m_doc.location.empty() || m_doc.location == network)
    {
        return;
    }
    m_user->Count(PeerSessionUser::LOCATION_MISMATCH);
    std::ostringstream o;
    o << "peer declares location '" << m_doc.location << "' from " << m_peer
      << ", which we classify as '" << network << "': its label is not believed";
    m_user->Log(0, o.str());
}

void
PeerSession::DecideNow(bool reevaluation)
{
    DecisionContext ctx = m_judge->MakeContext(*this, m_proposal);

    std::ostringstream o;
    o << "shown: entity " << m_doc.entity << " ip " << m_peer << " user " << m_doc.user
      << " location " << m_doc.location
      << (ctx.peerNetwork != m_doc.location ? " (network " + ctx.peerNetwork + ")" : "")
      << (ctx.peerTrusted ? " (trusted)" : " (untrusted)") << " time " << m_doc.timestamp
      << "; own location " << ctx.ownLocation << (ctx.ownTrusted ? " (trusted)" : " (untrusted)")
      << "; policy: " << PolicySet::ToText(m_proposal);
    if (!ctx.userLabel.empty() || !ctx.locationLabel.empty())
    {
        o << "; our names: user " << (ctx.userLabel.empty() ? m_doc.user : ctx.userLabel)
          << ", location " << (ctx.locationLabel.empty() ? m_doc.location : ctx.locationLabel);
    }
    m_user->Log(505, o.str());

    Decision d = m_judge->Decide(ctx);
    if (reevaluation)
    {
        m_user->Count(PeerSessionUser::REEVALUATION);
    }
    m_decidedLocation = ctx.peerNetwork;
    m_decidedTrusted = ctx.peerTrusted;
    m_decidedOwnLocation = ctx.ownLocation;
    m_decidedProposal = m_proposal;
    m_lastDecision = Simulator::Now();
    m_pendingDecision = true;
    std::ostringstream l;
    l << "decided: " << ns3::ToString(d.verdict) << " -- " << d.reason;
    if (d.needsNegotiation)
    {
        l << " (lowers the peer's requirement: needs negotiation)";
    }
    if (d.thinkTime > Seconds(0))
    {
        l << " (think time " << d.thinkTime.GetSeconds() << " s)";
    }
    m_user->Log(506, l.str());
    if (m_state == PeerSessionState::SUBSCRIBING)
    {
        m_state = PeerSessionState::DECIDING;
    }
    m_decision = d;
    m_decisionEvent = Simulator::Schedule(d.thinkTime, &PeerSession::ApplyDecision, this, d);
}

void
PeerSession::ApplyDecision(Decision d)
{
    if (!m_user->IsRunning())
    {
        return;
    }
    m_pendingDecision = false;
    bool answering = m_answeringLowering;
    m_answeringLowering = false;
    bool first = m_state == PeerSessionState::DECIDING;

    if (d.verdict == DecisionVerdict::REFUSE)
    {
        m_user->Count(PeerSessionUser::REFUSED_BY_US);
        if (first)
        {
            m_user->Log(507, "refused: nothing registered, no communication with this peer");
            m_state = PeerSessionState::REFUSED;
            return;
        }
        m_user->Log(507, "refused the peer's change: registered policies kept");
        if (answering)
        {
            m_user->PolicyChanged();
        }
    }
    else
    {
        std::vector<SecurityPolicy> mirrored = PolicySet::Mirror(m_proposal);
        bool keptStronger = answering && !PolicySet::SameStrength(d.policies, mirrored) &&
                            PolicySet::AtLeast(d.policies, mirrored, PolicyDirection::OUT) &&
                            PolicySet::AtLeast(d.policies, mirrored, PolicyDirection::IN);
        // The peer may have raised its requirement while the user was thinking: what we
        // register must then be negotiated as well.
        bool needs = d.needsNegotiation || PolicySet::Lowers(d.policies, m_proposal);
        if (needs && d.skipsNegotiation)
        {
            m_user->Count(PeerSessionUser::SKIPPED_NEGOTIATION);
            m_user->Log(
                0,
                "negotiation skipped by the user: sending under a policy the peer may discard");
            needs = false;
        }
        if (needs && !(m_state == PeerSessionState::ESTABLISHED && keptStronger))
        {
            // Nothing lower is registered before the peer agrees: until then a session in
            // progress keeps sending under what is registered, a new one waits.
            m_user->Log(507, "registration held: the policy lowers the peer's requirement");
            if (m_state != PeerSessionState::ESTABLISHED)
            {
                m_state = PeerSessionState::NEGOTIATING;
            }
            m_lowering->Ask(m_id,
                            m_peer,
                            d.policies,
                            m_user->GetSessionConfig(m_doc.entity).negotiationTimeout);
            return;
        }
        m_user->Log(507, "registration instructed");
        if (!first && PolicySet::SameStrength(d.policies, m_registration.GetPolicies()))
        {
            m_user->Log(508, "unchanged: registered policies kept");
        }
        else
        {
            Register(d.policies, "");
        }
        if (keptStronger)
        {
            m_user->Log(0, "negotiation: refused the peer's lowering, keeping stronger");
            m_user->PolicyChanged();
        }
        if (m_state != PeerSessionState::ESTABLISHED)
        {
            Proceed();
        }
    }
    if (m_reevalPending && m_state == PeerSessionState::ESTABLISHED)
    {
        m_reevalPending = false;
        HandleUpdate();
    }
}

void
PeerSession::OnLoweringEnded(bool accepted, const std::vector<SecurityPolicy>& lowered)
{
    if (accepted)
    {
        Register(lowered, " (lowering accepted by the peer)");
    }
    else
    {
        Register(PolicySet::Mirror(m_proposal), " (peer's requirement)");
    }
    if (m_state != PeerSessionState::ESTABLISHED)
    {
        Proceed();
    }
    if (m_reevalPending && m_state == PeerSessionState::ESTABLISHED && !m_pendingDecision)
    {
        m_reevalPending = false;
        HandleUpdate();
    }
}

void
PeerSession::OnPeerLoweringAccepted(const std::vector<SecurityPolicy>& request,
                                    const std::vector<SecurityPolicy>& registered)
{
    m_proposal = request;
    m_decidedProposal = request;
    Register(registered, " (peer's lowering accepted)");
}

void
PeerSession::HandleUpdate()
{
    std::string network = m_judge->ClassifyPeer(m_peer);
    bool trusted = m_judge->IsTrusted(network);
    if (network != m_decidedLocation || trusted != m_decidedTrusted)
    {
        m_user->Log(0, "peer moved: " + m_decidedLocation + " -> " + network + ", judging again");
        Reevaluate(m_decidedTrusted && !trusted);
        return;
    }
    std::vector<SecurityPolicy> mirrored = PolicySet::Mirror(m_proposal);
    if (PolicySet::SameStrength(mirrored, m_registration.GetPolicies()))
    {
        m_user->Log(0, "peer policy as strong as ours: no change");
        return;
    }
    if (PolicySet::SameStrength(mirrored, PolicySet::Mirror(m_decidedProposal)))
    {
        // What we registered differs from the peer's policy by our own (or our user's)
        // choice; the peer has not changed anything since.
        m_user->Log(0, "peer policy unchanged since our decision: no change");
        return;
    }
    if (PolicySet::AtLeast(mirrored, m_registration.GetPolicies(), PolicyDirection::OUT) &&
        PolicySet::AtLeast(mirrored, m_registration.GetPolicies(), PolicyDirection::IN))
    {
        Register(mirrored, " (peer raised)");
        return;
    }
    m_user->Log(0, "peer lowers its policy: judging again");
    m_answeringLowering = true;
    Reevaluate();
}

void
PeerSession::Reevaluate(bool lessTrusted)
{
    if (!m_user->IsRunning())
    {
        return;
    }
    if (m_pendingDecision)
    {
        m_reevalPending = true;
        return;
    }
    Time earliest = m_lastDecision + m_user->GetSessionConfig(m_doc.entity).reevalMinInterval;
    if (Simulator::Now() < earliest && !lessTrusted)
    {
        if (!m_reevalEvent.IsRunning())
        {
            m_reevalEvent = Simulator::Schedule(earliest - Simulator::Now(),
                                                &PeerSession::Reevaluate,
                                                this,
                                                false);
        }
        return;
    }
    m_reevalEvent.Cancel();
    DecideNow(true);
}

void
PeerSession::Register(const std::vector<SecurityPolicy>& policies, const std::string& why)
{
    if (!m_registration.HasSpd())
    {
        m_user->Log(0, "no SPD on this node: nothing registered");
        m_registration.Install(policies);
        return;
    }
    m_registration.Install(policies);
    m_user->Count(PeerSessionUser::REGISTRATION);
    for (const auto& p : policies)
    {
        m_user->Log(508, "registered" + why + ": " + SetkeyParser::Print(p));
    }
    if (Ipv4Address own = m_judge->OwnAddressFor(m_peer); own != Ipv4Address::GetAny())
    {
        m_ownAddress = own;
    }
    if (m_state == PeerSessionState::ESTABLISHED && m_sa->HasIke())
    {
        StartSaSetup(); // a raise or a move in mid-session may need new SAs
    }
}

void
PeerSession::FollowPeer(Ipv4Address to)
{
    Ipv4Address from = m_peer;
    m_user->Count(PeerSessionUser::HANDOVER);
    std::ostringstream o;
    o << "peer moved to a new address: " << from << " -> " << to << ", the session follows";
    m_user->Log(0, o.str());
    m_user->MoveSession(from, to);
    m_peer = to;
    Readdress(from, to);
    // Scheduled again as when events named the address: simultaneous events keep their order.
    Reschedule(m_sendEvent, [this](Time left) {
        return Simulator::Schedule(left, &PeerSession::SendData, this);
    });
    Reschedule(m_endEvent, [this](Time left) {
        return Simulator::Schedule(left, &PeerSessionUser::SessionDurationPassed, m_user, m_peer);
    });
    Reschedule(m_reevalEvent, [this](Time left) {
        return Simulator::Schedule(left, &PeerSession::Reevaluate, this, false);
    });
    Reschedule(m_decisionEvent, [this](Time left) {
        return Simulator::Schedule(left, &PeerSession::ApplyDecision, this, m_decision);
    });
    // SAs under negotiation are for the old address; the registration below asks for new ones.
    m_sa->Follow(m_id, from, to);
    if (!m_registration.GetPolicies().empty())
    {
        Register(PolicySet::Readdress(m_registration.GetPolicies(), from, to), " (peer moved)");
    }
}

void
PeerSession::Readdress(Ipv4Address from, Ipv4Address to)
{
    m_proposal = PolicySet::Readdress(m_proposal, from, to);
    m_decidedProposal = PolicySet::Readdress(m_decidedProposal, from, to);
    m_decision.policies = PolicySet::Readdress(m_decision.policies, from, to);
}

void
PeerSession::FollowOwnAddress(Ipv4Address own)
{
    Ipv4Address from = m_ownAddress;
    m_user->Count(PeerSessionUser::OWN_ADDRESS_CHANGE);
    std::ostringstream o;
    o << "our address moved: " << from << " -> " << own << ", registrations follow";
    m_user->Log(0, o.str());
    Readdress(from, own);
    m_sa->Invalidate(m_id); // negotiations from the old address are void
    Register(PolicySet::Readdress(m_registration.GetPolicies(), from, own), " (own address moved)");
}

void
PeerSession::OnOwnPresenceChanged(const PresenceDocument& doc)
{
    Ipv4Address own = m_judge->OwnAddressFor(m_peer);
    if (own == Ipv4Address::GetAny())
    {
        return; // no address (yet): nothing can follow
    }
    if (!m_registration.GetPolicies().empty() && m_ownAddress != Ipv4Address::GetAny() &&
        own != m_ownAddress)
    {
        FollowOwnAddress(own);
    }
    if (m_state == PeerSessionState::ESTABLISHED && doc.location != m_decidedOwnLocation)
    {
        m_user->Log(0,
                    "we moved: " + m_decidedOwnLocation + " -> " + doc.location +
                        ", judging again");
        Reevaluate(m_judge->IsTrusted(m_decidedOwnLocation) && !m_judge->IsTrusted(doc.location));
    }
}

bool
PeerSession::StartSaSetup()
{
    return m_sa->Start(m_id,
                       m_peer,
                       m_registration.GetPolicies(),
                       m_state == PeerSessionState::ESTABLISHED);
}

void
PeerSession::OnChildInstalled()
{
    if (m_sa->ChildInstalled(m_id, m_peer, m_registration.GetPolicies()))
    {
        OnSaDone(true);
    }
}

void
PeerSession::OnSaDone(bool ok)
{
    if (!m_sa->Finish(m_id, ok))
    {
        return;
    }
    if (m_state == PeerSessionState::ESTABLISHED)
    {
        if (ok)
        {
            StartSaSetup(); // the next missing one, if any
        }
        return;
    }
    // After a success, Proceed looks for the next missing SA; after a failure it goes on
    // without (the IPsec layer then drops, and counts, what has no SA).
    m_sa->SetReady(m_id, !ok);
    Proceed();
}

void
PeerSession::Proceed()
{
    if (m_state == PeerSessionState::ESTABLISHED)
    {
        return;
    }
    if (!m_sa->IsReady(m_id) && StartSaSetup())
    {
        return; // OnSaDone proceeds
    }
    bool wasNegotiating = m_state == PeerSessionState::NEGOTIATING;
    m_state = PeerSessionState::ESTABLISHED;
    // Read once per establishment: SendData runs per voice packet.
    m_config = m_user->GetSessionConfig(m_doc.entity);
    const PeerSessionConfig& c = m_config;
    if (wasNegotiating && m_seq > 0)
    {
        m_user->Log(0, "traffic resumed");
    }
    else
    {
        m_user->Count(PeerSessionUser::ESTABLISHED);
        std::ostringstream o;
        o << "session established with " << m_peer;
        m_user->Log(509, o.str());
        m_user->SessionEstablished(m_peer);
        std::ostringstream t;
        if (c.traffic == "bulk" && m_responder)
        {
            m_user->Log(510,
                        "peer-to-peer communication started: receiving the peer's TCP transfer");
        }
        else if (c.traffic == "bulk")
        {
            t << "peer-to-peer communication started: TCP transfer of " << c.bulkBytes << " B to "
              << m_peer << ":" << c.dataPort;
            m_user->Log(510, t.str());
            m_traffic->StartBulk(m_peer, c.dataPort, c.bulkBytes);
        }
        else if (c.traffic == "voip")
        {
            t << "peer-to-peer communication started: voip to " << m_peer << ":" << c.dataPort
              << " every " << c.voice.interval.GetMilliSeconds() << " ms, " << c.voice.bytes
              << " B";
            m_user->Log(510, t.str());
        }
        else
        {
            m_user->Log(510, "peer-to-peer communication started (no traffic generated)");
        }
        if (c.sessionDuration > Seconds(0))
        {
            m_endEvent = Simulator::Schedule(c.sessionDuration,
                                             &PeerSessionUser::SessionDurationPassed,
                                             m_user,
                                             m_peer);
        }
    }
    // The stream runs while the application does: its Stop cancels m_sendEvent, so SendData
    // (once per voice packet) need not ask again.
    if (c.traffic == "voip" && !m_sendEvent.IsRunning() && m_user->IsRunning())
    {
        if (m_seq == 0)
        {
            m_ssrc = m_traffic->MakeSsrc(m_peer); // kept when the peer moves
        }
        // The first packet at the first tick of the stream's clock; SendData keeps to its
        // ticks (an established session never stops its stream, a hand-over reschedules it).
        m_sendEvent = Simulator::Schedule(m_user->DrawVoicePhase(c.voice.interval),
                                          &PeerSession::SendData,
                                          this);
    }
}

void
PeerSession::SendData()
{
    if (m_state != PeerSessionState::ESTABLISHED)
    {
        return;
    }
    const PeerSessionConfig& c = m_config;
    if (m_traffic->SendVoice(m_peer, c.dataPort, c.voiceTos, m_ssrc, m_seq++, c.voice))
    {
        ++m_stats.sent;
    }
    m_sendEvent = Simulator::Schedule(c.voice.interval, &PeerSession::SendData, this);
}

void
PeerSession::OnVoiceReceived(uint16_t rtpSeq, Time delay)
{
    uint32_t seq = m_firstRx ? rtpSeq : RtpHeader::ExtendSequence(rtpSeq, m_maxSeq);
    if (m_firstRx)
    {
        m_firstRx = false;
        m_maxSeq = seq;
        std::ostringstream o;
        o << "first voice packet from " << m_peer << " (delay " << delay.GetMicroSeconds()
          << " us)";
        m_user->Log(511, o.str());
    }
    m_maxSeq = std::max(m_maxSeq, seq);
    ++m_stats.received;
    m_stats.delaySum += delay;
}

void
PeerSession::OnBulkReceived(uint32_t bytes)
{
    m_stats.bulkBytesReceived += bytes;
}

} // namespace ns3
