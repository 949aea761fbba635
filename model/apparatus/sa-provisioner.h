/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_SA_PROVISIONER_H
#define PRESEC_SA_PROVISIONER_H

#include "ns3/callback.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"
#include "ns3/security-policy.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ns3
{

class IkeAgent;
class IpsecLayer;

/**
 * \ingroup presec-apparatus
 * The SAs a session's registered policy needs (SA establishment before step 509 and after a
 * raise or a move): which of them the SAD lacks, and who asks the node's IkeAgent for them.
 * One SA negotiation per need: only the requester asks; the responder's agent is passive
 * towards the peer and its session waits (ResponderSaWait) for the SAs the requester's
 * negotiation installs. Sessions are named by their stable id (their peer address moves).
 */
class SaProvisioner
{
  public:
    /** Counters (QueueDisc style). */
    struct Stats
    {
        uint32_t negotiations{0}; //!< child SA negotiations started with the IKE agent
    };

    /**
     * The negotiations (or the responder's wait) of a session ended: the peer address it had
     * when they started (a session that moved since is not found under it), success.
     */
    typedef Callback<void, Ipv4Address, bool> DoneCallback;
    /** A line for the decision log. */
    typedef Callback<void, const std::string&> LogCallback;
    /** Our source address towards a peer. */
    typedef Callback<Ipv4Address, Ipv4Address> SourceCallback;

    /**
     * \param ike the node's IKE agent (null: SAs must be configured by hand)
     * \param ipsec the node's IPsec layer (null: no SAs are needed)
     * \param responderWait how long a responder waits for its requester's SAs
     * \param done called when a session's negotiations end
     * \param log where log lines go
     * \param source our address towards a peer
     */
    void Configure(Ptr<IkeAgent> ike,
                   Ptr<IpsecLayer> ipsec,
                   Time responderWait,
                   DoneCallback done,
                   LogCallback log,
                   SourceCallback source);

    /** Cancel every wait and drop the references (application disposal). */
    void Dispose();

    /** \return whether an IKE agent negotiates SAs */
    bool HasIke() const;

    /**
     * A session starts: a responder leaves the negotiation to its requester.
     * \param id the session
     * \param peer its peer
     * \param responder whether the peer started it
     */
    void Open(uint64_t id, Ipv4Address peer, bool responder);

    /**
     * Negotiate, with the IKE agent, the next SA that the registered policy requires and the
     * SAD lacks (a responder waits for its requester instead, before its first packet).
     * \param id the session
     * \param peer its peer
     * \param registered the policies registered for it (our view)
     * \param established whether its traffic runs already
     * \return true if a negotiation or a wait started (the DoneCallback follows)
     */
    bool Start(uint64_t id,
               Ipv4Address peer,
               const std::vector<SecurityPolicy>& registered,
               bool established);

    /**
     * \param id a session
     * \return whether the SAs it needs exist (or cannot be made)
     */
    bool IsReady(uint64_t id) const;

    /**
     * \param id a session
     * \param ready whether it may proceed without negotiating again
     */
    void SetReady(uint64_t id, bool ready);

    /**
     * One negotiation (or the wait) of a session ended: logged and counted down.
     * \param id the session
     * \param ok success
     * \return whether none is under way any more
     */
    bool Finish(uint64_t id, bool ok);

    /**
     * Our address moved: negotiations under way are void.
     * \param id the session
     */
    void Invalidate(uint64_t id);

    /**
     * The peer moved: negotiations under way are void, a responder is passive towards the
     * new address.
     * \param id the session
     * \param from its old address
     * \param to its new address
     */
    void Follow(uint64_t id, Ipv4Address from, Ipv4Address to);

    /**
     * The IKE agent installed a child SA pair with the peer.
     * \param id the session
     * \param peer its peer
     * \param registered the policies registered for it
     * \return true if a waiting responder has every SA now (the wait ended)
     */
    bool ChildInstalled(uint64_t id,
                        Ipv4Address peer,
                        const std::vector<SecurityPolicy>& registered);

    /**
     * \param peer a session's peer
     * \param registered the policies registered for it
     * \return the transport SAs its registered outbound policy requires and the SAD lacks
     */
    std::vector<IpsecRequest> Missing(Ipv4Address peer,
                                      const std::vector<SecurityPolicy>& registered) const;

    /**
     * Stop the responder's wait of a session (it ends, moves away or the application stops).
     * \param id the session
     */
    void CancelTimers(uint64_t id);

    /**
     * Forget a session that is dropped without a word to the peer.
     * \param id the session
     */
    void Forget(uint64_t id);

    /**
     * A session ended: the IKE agent deletes the child SAs with the peer.
     * \param id the session
     * \param peer its peer
     */
    void Release(uint64_t id, Ipv4Address peer);

    /** \return the counters */
    const Stats& GetStats() const;

  private:
    /** What one session has under way. */
    struct Tracking
    {
        bool responder{false}; //!< the requester negotiates
        bool ready{false};     //!< the SAs exist (or cannot be made)
        uint32_t pending{0};   //!< negotiations (or the wait) under way
        EventId wait;          //!< responder: end of the wait for the requester's SAs
    };

    Ptr<IkeAgent> m_ike;                     //!< the node's IKE agent (may be null)
    Ptr<IpsecLayer> m_ipsec;                 //!< the node's IPsec layer (may be null)
    Time m_responderWait;                    //!< ResponderSaWait
    DoneCallback m_done;                     //!< negotiations ended
    LogCallback m_log;                       //!< log lines
    SourceCallback m_source;                 //!< our address towards a peer
    std::map<uint64_t, Tracking> m_tracking; //!< by session id
    Stats m_stats;                           //!< counters
};

} // namespace ns3

#endif // PRESEC_SA_PROVISIONER_H
