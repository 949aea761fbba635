/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_IKE_TRAFFIC_SELECTORS_H
#define PRESEC_IKE_TRAFFIC_SELECTORS_H

#include "ike-child-sa.h"
#include "ike-header.h"

#include "ns3/ipv4-address.h"
#include "ns3/security-policy.h"

#include <optional>
#include <vector>

namespace ns3
{
namespace ikev2
{

/**
 * \ingroup presec-ike
 * \param range a policy's address range (and port)
 * \param upper its upper-layer protocol
 * \return the traffic selector covering them (RFC 7296 §3.13.1)
 */
IkeTrafficSelector PolicyTs(const AddressRange& range, const UpperProtocol& upper);

/**
 * \ingroup presec-ike
 * \param a a selector
 * \param b another
 * \return the selector covering what both cover, if anything
 */
std::optional<IkeTrafficSelector> IntersectTs(const IkeTrafficSelector& a,
                                              const IkeTrafficSelector& b);

/**
 * \ingroup presec-ike
 * The TS payload a request carries (this end is the exchange's initiator): a host selector
 * per end in transport mode, the child's selectors (or any) in tunnel mode.
 * \param spec the child
 * \param local our address
 * \param peer the peer's address
 * \param initiatorTs TSi instead of TSr
 * \return the TS payload
 */
IkePayload RequestTs(const IkeChildSpec& spec,
                     Ipv4Address local,
                     Ipv4Address peer,
                     bool initiatorTs);

/**
 * \ingroup presec-ike
 * Responder: narrow the proposed selectors to a tunnel policy of this end (in or fwd, tunnel
 * from the peer to us) and store them in \p spec (RFC 7296 §2.9). Without such a policy the
 * proposal stands as it is.
 * \param policies this end's in and fwd policies
 * \param local our address
 * \param peer the peer's address
 * \param spec the child (tsLocal/tsRemote set here)
 * \param tsi the TSi payload received
 * \param tsr the TSr payload received
 * \return false if policies exist for the peer and none intersects (TS_UNACCEPTABLE)
 */
bool NarrowTs(const std::vector<SecurityPolicy>& policies,
              Ipv4Address local,
              Ipv4Address peer,
              IkeChildSpec& spec,
              const IkePayload& tsi,
              const IkePayload& tsr);

/**
 * \ingroup presec-ike
 * \param inner a selector
 * \param outer another
 * \return true if \p outer covers all of \p inner
 */
bool IsWithin(const IkeTrafficSelector& inner, const IkeTrafficSelector& outer);

/**
 * \ingroup presec-ike
 * Initiator: take the (narrowed) selectors of a response into a tunnel-mode child. The
 * responder may only narrow (RFC 7296 §2.9): selectors outside what was proposed are refused.
 * \param spec the child (its selectors replaced only when the answer is acceptable)
 * \param msg the response
 * \return false if the response's selectors are not within the proposal
 */
bool TakeResponseTs(IkeChildSpec& spec, const IkeMessage& msg);

} // namespace ikev2
} // namespace ns3

#endif // PRESEC_IKE_TRAFFIC_SELECTORS_H
