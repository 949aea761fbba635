/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "sa-provisioner.h"

#include "ns3/ike-agent.h"
#include "ns3/ipsec-layer.h"
#include "ns3/log.h"
#include "ns3/simulator.h"

#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SaProvisioner");

void
SaProvisioner::Configure(Ptr<IkeAgent> ike,
                         Ptr<IpsecLayer> ipsec,
                         Time responderWait,
                         DoneCallback done,
                         LogCallback log,
                         SourceCallback source)
{
    m_ike = ike;
    m_ipsec = ipsec;
    m_responderWait = responderWait;
    m_done = done;
    m_log = log;
    m_source = source;
}

void
SaProvisioner::Dispose()
{
    for (auto& [id, t] : m_tracking)
    {
        t.wait.Cancel();
    }
    m_tracking.clear();
    m_ike = nullptr;
    m_ipsec = nullptr;
    m_done = DoneCallback();
    m_log = LogCallback();
    m_source = SourceCallback();
}

bool
SaProvisioner::HasIke() const
{
    return m_ike != nullptr;
}

void
SaProvisioner::Open(uint64_t id, Ipv4Address peer, bool responder)
{
    m_tracking[id].responder = responder;
    if (responder && m_ike)
    {
        m_ike->SetPassive(peer, true); // the requester asks for the SAs both need
    }
}

bool
SaProvisioner::Start(uint64_t id,
                     Ipv4Address peer,
                     const std::vector<SecurityPolicy>& registered,
                     bool established)
{
    Tracking& t = m_tracking[id];
    if (t.pending > 0)
    {
        return true;
    }
    t.ready = true;
    if (!m_ipsec)
    {
        return false;
    }
    std::vector<IpsecRequest> missing = Missing(peer, registered);
    if (missing.empty())
    {
        return false;
    }
    if (!m_ike)
    {
        m_log("no SA for the registered policy and no IKE agent: packets are dropped (no-sa) "
              "until SAs exist");
        return false;
    }
    if (t.responder)
    {
        // One ask per need: the requester negotiates, our agent answers and installs
        // (ChildInstalled). Before the first packet we wait for that; in mid-session
        // (a move) traffic goes on and what has no SA yet is dropped and counted.
        if (established)
        {
            m_log("SAs missing: the requester negotiates them");
            return false;
        }
        t.ready = false;
        ++t.pending;
        m_log("waiting for the SAs the requester negotiates");
        t.wait = Simulator::Schedule(m_responderWait, [this, peer]() {
            m_log("no SAs from the requester in time: traffic starts without");
            m_done(peer, false);
        });
        return true;
    }
    // One at a time: the first builds the IKE SA, the next ones use CREATE_CHILD_SA on it.
    const IpsecRequest& r = missing.front();
    t.ready = false;
    ++t.pending;
    ++m_stats.negotiations;
    std::ostringstream o;
    o << "SA negotiation (IKEv2) with " << peer << ": " << ns3::ToString(r.protocol) << "/"
      << ns3::ToString(r.mode);
    m_log(o.str());
    // The agent may answer after the application is gone: then nobody is told.
    m_ike->Initiate(peer,
                    r.protocol,
                    r.mode,
                    IkeAgent::DoneCallback([this, peer](bool ok, Ipv4Address) {
                        if (!m_done.IsNull())
                        {
                            m_done(peer, ok);
                        }
                    }));
    return true;
}

bool
SaProvisioner::IsReady(uint64_t id) const
{
    auto it = m_tracking.find(id);
    return it != m_tracking.end() && it->second.ready;
}

void
SaProvisioner::SetReady(uint64_t id, bool ready)
{
    m_tracking[id].ready = ready;
}

bool
SaProvisioner::Finish(uint64_t id, bool ok)
{
    Tracking& t = m_tracking[id];
    if (t.pending > 0)
    {
        --t.pending;
    }
    m_log(ok ? "SA negotiation done" : "SA negotiation failed: packets need an SA");
    return t.pending == 0;
}

void
SaProvisioner::Invalidate(uint64_t id)
{
    Tracking& t = m_tracking[id];
    t.pending = 0;
    t.ready = false;
    t.wait.Cancel();
}

void
SaProvisioner::Follow(uint64_t id, Ipv4Address from, Ipv4Address to)
{
    Invalidate(id);
    if (!m_ike)
    {
        return;
    }
    if (m_tracking[id].responder)
    {
        m_ike->SetPassive(from, false);
        m_ike->SetPassive(to, true);
    }
    // The IKE agent either moves the SAs with the peer (MOBIKE: one UPDATE_SA_ADDRESSES
    // exchange, SPIs kept, so the registration for the new address finds them) or deletes
    // them with the IKE SA of the old address, and the registration negotiates new ones.
    Tracking& t = m_tracking[id];
    bool moving =
        m_ike->FollowPeer(from, to, IkeAgent::DoneCallback([this, to](bool ok, Ipv4Address) {
                              if (!ok)
                              {
                                  m_log("MOBIKE address update failed: negotiating anew");
                              }
                              // Either way the SAs the registration needs are looked for again (a
                              // failed update left none: they are negotiated).
                              if (!m_done.IsNull())
                              {
                                  m_done(to, true);
                              }
                          }));
    if (moving)
    {
        t.ready = false;
        ++t.pending;
        m_log("SAs follow the peer (MOBIKE UPDATE_SA_ADDRESSES)");
    }
}

bool
SaProvisioner::ChildInstalled(uint64_t id,
                              Ipv4Address peer,
                              const std::vector<SecurityPolicy>& registered)
{
    auto it = m_tracking.find(id);
    if (it == m_tracking.end() || !it->second.responder || !it->second.wait.IsRunning() ||
        !Missing(peer, registered).empty())
    {
        return false; // not waiting, or the requester has more to negotiate
    }
    it->second.wait.Cancel();
    return true;
}

std::vector<IpsecRequest>
SaProvisioner::Missing(Ipv4Address peer, const std::vector<SecurityPolicy>& registered) const
{
    std::vector<IpsecRequest> missing;
    Ipv4Address own = m_source(peer);
    for (const auto& p : registered)
    {
        if (p.direction != PolicyDirection::OUT || p.action != PolicyAction::IPSEC)
        {
            continue;
        }
        for (const auto& r : p.requests)
        {
            bool strong = r.GetLevel() == IpsecLevel::REQUIRE || r.GetLevel() == IpsecLevel::UNIQUE;
            if (strong && r.protocol != IpsecProtocol::IPCOMP && r.mode == IpsecMode::TRANSPORT &&
                !m_ipsec->GetSad()->FindOutbound(own, peer, r.protocol, r.mode))
            {
                missing.push_back(r);
            }
        }
    }
    return missing;
}

void
SaProvisioner::CancelTimers(uint64_t id)
{
    if (auto it = m_tracking.find(id); it != m_tracking.end())
    {
        it->second.wait.Cancel();
    }
}

void
SaProvisioner::Forget(uint64_t id)
{
    CancelTimers(id);
    m_tracking.erase(id);
}

void
SaProvisioner::Release(uint64_t id, Ipv4Address peer)
{
    Forget(id);
    if (m_ike)
    {
        m_ike->SetPassive(peer, false);
        m_ike->DeleteChildSas(peer);
    }
}

const SaProvisioner::Stats&
SaProvisioner::GetStats() const
{
    return m_stats;
}

} // namespace ns3
