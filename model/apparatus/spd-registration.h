/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_SPD_REGISTRATION_H
#define PRESEC_SPD_REGISTRATION_H

#include "ns3/ptr.h"
#include "ns3/security-policy-database.h"
#include "ns3/security-policy.h"

#include <vector>

namespace ns3
{

/**
 * \ingroup presec-apparatus
 * The SPD entries one session registered for its peer (step 508): a new registration
 * replaces them, the end of the session removes them. Other sessions' and hand-written
 * entries are never touched: only the handles this object got from the SPD are removed.
 */
class SpdRegistration
{
  public:
    /**
     * \param spd the node's SPD (null: nothing is installed, the policies are only remembered)
     */
    explicit SpdRegistration(Ptr<SecurityPolicyDatabase> spd);

    /** \return whether there is an SPD to install into */
    bool HasSpd() const;

    /**
     * Replace the registered policies.
     * \param policies our view
     */
    void Install(const std::vector<SecurityPolicy>& policies);

    /** Remove the entries from the SPD (the session ends or is dropped). */
    void Remove();

    /** \return the policies registered last (our view) */
    const std::vector<SecurityPolicy>& GetPolicies() const;

  private:
    Ptr<SecurityPolicyDatabase> m_spd;                  //!< the node's SPD (may be null)
    std::vector<SecurityPolicy> m_policies;             //!< what was registered
    std::vector<SecurityPolicyDatabase::EntryId> m_ids; //!< their SPD handles
};

} // namespace ns3

#endif // PRESEC_SPD_REGISTRATION_H
