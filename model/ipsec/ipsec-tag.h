/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_IPSEC_TAG_H
#define PRESEC_IPSEC_TAG_H

#include "ns3/security-policy.h"
#include "ns3/tag.h"

#include <boost/container/static_vector.hpp>
#include <cstdint>

namespace ns3
{

/**
 * \ingroup presec-ipsec
 * Marks a received packet with the IPsec processing this node verified and removed, so the
 * inbound policy check (after decapsulation) can tell what protected it.
 *
 * Packet tags travel with a packet across simulated links; the tag therefore carries the id
 * of the node that verified the packet, and a node trusts only its own tags.
 */
class IpsecTag : public Tag
{
  public:
    /**
     * One removed protection: the SA that verified it (RFC 4301 §5.2 matches the packet
     * against "the inbound selectors identified by the SAD entry", so the policy check needs
     * the SA itself, not only its protocol).
     */
    struct Applied
    {
        IpsecProtocol protocol{IpsecProtocol::ESP}; //!< ah, esp or ipcomp
        IpsecMode mode{IpsecMode::TRANSPORT}; //!< the mode that happened (tunnel: IPIP inside)
        uint32_t spi{0};                      //!< the SA's SPI (CPI for IPComp)
        uint32_t reqid{0};                    //!< the SA's reqid (`unique:N`)
        Ipv4Address saSource;                 //!< the SA's source
        Ipv4Address saDestination;            //!< the SA's destination
    };

    /** Most protections one packet can carry (a bundle with tunnel nesting). */
    static constexpr size_t MAX_APPLIED = 8;

    /// The removed protections, outermost first; inline storage, as a packet costs no
    /// allocation for it.
    using AppliedList = boost::container::static_vector<Applied, MAX_APPLIED>;

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    /** \return the TypeId of this instance */
    TypeId GetInstanceTypeId() const override;
    /** \return the size in bytes on the wire */
    uint32_t GetSerializedSize() const override;
    /** \param i where the tag is written */
    void Serialize(TagBuffer i) const override;
    /** \param i where the tag is read from */
    void Deserialize(TagBuffer i) override;
    /** \param os the stream printed to */
    void Print(std::ostream& os) const override;

    /**
     * \param nodeId the node that verified the packet
     */
    void SetNodeId(uint32_t nodeId);

    /** \return the node that verified the packet */
    uint32_t GetNodeId() const;

    /**
     * Record one more removed protection (ignored beyond MAX_APPLIED).
     * \param applied the protection
     */
    void Add(const Applied& applied);

    /** \return the removed protections, outermost first */
    const AppliedList& GetApplied() const;

  private:
    uint32_t m_nodeId{0};  //!< verifying node
    AppliedList m_applied; //!< removed protections
};

} // namespace ns3

#endif // PRESEC_IPSEC_TAG_H
