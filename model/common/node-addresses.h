/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_NODE_ADDRESSES_H
#define PRESEC_NODE_ADDRESSES_H

#include "ns3/ipv4-address.h"
#include "ns3/ptr.h"

#include <vector>

namespace ns3
{

class Node;

/**
 * \ingroup presec-common
 * Which of a node's IPv4 addresses it has and which one faces a peer: the one answer the
 * presence agent, the IKE agent and the apparatus share (a terminal that moves has to agree
 * with itself on its own address).
 */
class NodeAddresses
{
  public:
    /**
     * \param node a node (null: none)
     * \return the addresses of its up interfaces, loopback, any and broadcast left out, in
     *         interface order
     */
    static std::vector<Ipv4Address> Collect(Ptr<Node> node);

    /**
     * Collect() with the primary address first: the source of the node's default route, the
     * address a host sends from to anything beyond its links (the one a presence document
     * names and classifies). A laptop docked while its Wi-Fi still holds a lease elsewhere
     * routes by the dock (Linux prefers wired by the route's metric; a dock here replaces the
     * default route), so the dock's address comes first, not the radio's by interface order.
     * \param node a node (null: none)
     * \return the addresses, the primary one first, the others in interface order; without a
     *         default route, Collect()'s order
     */
    static std::vector<Ipv4Address> CollectPrimaryFirst(Ptr<Node> node);

    /**
     * The source address of the node's packets to a peer.
     * \param node a node (null: none)
     * \param peer the peer
     * \return the source the node's routing picks towards \p peer; without a route, the
     *         node's first address (Collect); without one, 0.0.0.0
     */
    static Ipv4Address SourceFor(Ptr<Node> node, Ipv4Address peer);
};

} // namespace ns3

#endif // PRESEC_NODE_ADDRESSES_H
