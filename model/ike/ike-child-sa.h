/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_IKE_CHILD_SA_H
#define PRESEC_IKE_CHILD_SA_H

#include "ike-header.h"

#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/ptr.h"
#include "ns3/security-association.h"

#include <optional>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-ike
 * What a Child SA protects (RFC 7296 §1.3): protocol, mode, the reqid binding it to a
 * `unique` policy, and the traffic selectors of a tunnel-mode child.
 */
struct IkeChildSpec
{
    IpsecProtocol proto{IpsecProtocol::ESP}; //!< esp or ah
    IpsecMode mode{IpsecMode::TRANSPORT};    //!< transport or tunnel
    uint32_t reqid{0};                       //!< reqid of the SAs (unique:id policies)
    /// Traffic selectors of a tunnel-mode child (RFC 7296 §2.9), as seen from this end:
    /// our side (TSi when we initiate) and the far side (a subnet behind a gateway).
    /// Empty: every address (TSi = TSr = any; host-to-host tunnels by Initiate).
    std::optional<IkeTrafficSelector> tsLocal;
    std::optional<IkeTrafficSelector> tsRemote; //!< the far side's selector

    /**
     * \param p a protocol
     * \param m a mode
     * \return true if this child is of that protocol and mode
     */
    bool IsKind(IpsecProtocol p, IpsecMode m) const
    {
        return proto == p && mode == m;
    }
};

/**
 * \ingroup presec-ike
 * A Child SA pair as IkeChildSaManager keeps it: its two SAs, the IKE SA it was negotiated
 * under, and its place in a re-key (RFC 7296 §2.8).
 */
struct IkeChildSa
{
    uint64_t id{0};                    //!< agent-wide identifier
    uint64_t ikeSpi{0};                //!< local SPI of its IKE SA
    Ipv4Address peer;                  //!< the other end
    IkeChildSpec spec;                 //!< what it protects
    uint32_t spiIn{0};                 //!< inbound SPI
    uint32_t spiOut{0};                //!< outbound SPI
    bool initiatedHere{false};         //!< this agent negotiated it
    bool replaced{false};              //!< a re-key installed a successor
    bool rekeying{false};              //!< a re-key is queued or in flight
    uint64_t rekeyOf{0};               //!< the child this one re-keyed (0: none)
    std::vector<uint8_t> lowNonce;     //!< lower nonce of the exchange that created it
    Ptr<SecurityAssociation> inbound;  //!< installed inbound SA (null once removed)
    Ptr<SecurityAssociation> outbound; //!< outbound SA (installed or pending)
    bool outboundInstalled{false};     //!< the outbound SA is in the SAD
    EventId outboundTimer;             //!< deferred installation of the outbound SA
};

} // namespace ns3

#endif // PRESEC_IKE_CHILD_SA_H
