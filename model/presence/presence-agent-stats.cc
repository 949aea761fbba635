/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// PresenceAgent's counters: each piece counts what it does, the agent shows the sum.

#include "presence-agent.h"

#include <ostream>

namespace ns3
{

uint32_t
PresenceAgent::Stats::GetNBad(const std::string& reason) const
{
    auto it = badMessages.find(reason);
    return it == badMessages.end() ? 0 : it->second;
}

uint32_t
PresenceAgent::Stats::GetNBad() const
{
    uint32_t n = 0;
    for (const auto& [reason, count] : badMessages)
    {
        n += count;
    }
    return n;
}

void
PresenceAgent::Stats::Print(std::ostream& os) const
{
    os << "requests sent " << requestsSent << ", received " << requestsReceived
       << "; responses sent " << responsesSent << " (+" << responsesResent << " re-sent), received "
       << responsesReceived << "; NOTIFY sent " << notifiesSent << ", received " << notifiesReceived
       << " (" << notifiesAccepted << " accepted); retransmissions " << retransmissions
       << "; absorbed " << absorbedRequests << "; timeouts " << timeouts << "; transport errors "
       << transportErrors << "; TCP messages sent " << tcpMessagesSent << ", received "
       << tcpMessagesReceived << "; refused " << subscriptionsRefused << " (+"
       << subscriptionsOverCap << " over the watcher cap); NOTIFYs coalesced " << notifiesCoalesced
       << "; own changes " << ownPresenceChanges << "; target refreshes " << targetRefreshes
       << "; MESSAGE sent " << messagesSent << ", received " << messagesReceived
       << "; TCP connections opened " << tcpConnectionsOpened << "; idle TCP closed "
       << tcpIdleClosed << "; REGISTER sent " << registersSent << " (" << registered
       << " accepted); lookups " << resolutions << " (" << resolveFailures
       << " failed); filters sent " << filtersSent << ", honoured " << filteredSubscriptions;
    for (const auto& [reason, count] : badMessages)
    {
        os << "; " << reason << ": " << count;
    }
}

const PresenceAgent::Stats&
PresenceAgent::GetStats() const
{
    // The layers count what they see; the totals keep the names they always had.
    const SipTransport::Stats& transport = m_transport.GetStats();
    const SipTransactionLayer::Stats& tx = m_transactions.GetStats();
    const PresenceSubscriber::Stats& subscriber = m_subscriber.GetStats();
    const PresenceNotifier::Stats& notifier = m_notifier.GetStats();
    const SipPager::Stats& pager = m_pager.GetStats();
    Stats s = m_counts;
    s.requestsSent = tx.requestsSent;
    s.requestsReceived = tx.requestsReceived;
    s.responsesSent = tx.responsesSent;
    s.responsesResent = tx.responsesResent;
    s.responsesReceived = tx.responsesReceived;
    s.notifiesSent = tx.notifiesSent;
    s.notifiesAccepted = subscriber.notifiesAccepted;
    s.retransmissions = tx.retransmissions;
    s.absorbedRequests = tx.absorbedRequests;
    s.timeouts = tx.timeouts;
    s.transportErrors = tx.transportErrors;
    s.tcpMessagesSent = transport.tcpMessagesSent;
    s.tcpMessagesReceived = tx.tcpMessagesReceived;
    s.subscriptionsRefused = notifier.subscriptionsRefused;
    s.subscriptionsOverCap = notifier.subscriptionsOverCap;
    s.notifiesCoalesced = notifier.notifiesCoalesced;
    s.ownPresenceChanges = m_monitor.GetStats().ownPresenceChanges;
    s.targetRefreshes = subscriber.targetRefreshes;
    s.messagesSent = pager.messagesSent;
    s.messagesReceived = pager.messagesReceived;
    s.tcpIdleClosed = transport.tcpIdleClosed;
    s.tcpConnectionsOpened = transport.tcpConnectionsOpened;
    const SipRegistration::Stats& registration = m_registration.GetStats();
    s.registersSent = registration.registersSent;
    s.registered = registration.registered;
    s.resolutions = registration.resolutions;
    s.resolveFailures = registration.resolveFailures;
    s.filtersSent = subscriber.filtersSent;
    s.filteredSubscriptions = notifier.filteredSubscriptions;
    for (const auto* part : {&transport.badMessages,
                             &tx.badMessages,
                             &subscriber.badMessages,
                             &notifier.badMessages,
                             &pager.badMessages,
                             &registration.badMessages})
    {
        SipDropReason::Add(s.badMessages, *part);
    }
    m_stats = s;
    return m_stats;
}

} // namespace ns3
