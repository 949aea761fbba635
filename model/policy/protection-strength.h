/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_PROTECTION_STRENGTH_H
#define PRESEC_PROTECTION_STRENGTH_H

#include "security-policy.h"

#include <array>
#include <ostream>
#include <string>

namespace ns3
{

/**
 * \ingroup presec-policy
 * The protection a policy gives, reduced to a key with a total order, so two policies can be
 * compared: is a change a raise (no negotiation needed) or a lowering (the peer may discard
 * what we send, so negotiate first)?
 *
 * The key compares, most significant first:
 *  1. the action: none (bypass) < ipsec < discard (nothing leaves at all);
 *  2. the services *guaranteed* (requests at level require/unique): nothing < compression
 *     only < integrity (ah) < confidentiality with integrity (esp) < esp and ah;
 *  3. the services *offered* at level use/default (used only when an SA exists, so they
 *     can fall back to clear text and rank below anything guaranteed);
 *  4. unique SA binding (unique > require);
 *  5. tunnel mode (hides inner addresses) > transport mode.
 *
 * Selectors (addresses, ports, direction) are not part of strength.
 */
class ProtectionStrength
{
  public:
    /**
     * Compute the strength of a policy.
     * \param policy the policy
     */
    explicit ProtectionStrength(const SecurityPolicy& policy);

    /**
     * Three-way comparison.
     * \param other another strength
     * \return negative if weaker, 0 if equal, positive if stronger than \p other
     */
    int Compare(const ProtectionStrength& other) const;

    /** \return a short description, e.g. "ipsec require:esp+ah use:- unique tunnel" */
    std::string ToString() const;

    /**
     * \param a a policy
     * \param b a policy
     * \return negative if \p a protects less than \p b, 0 if equally, positive if more
     */
    static int Compare(const SecurityPolicy& a, const SecurityPolicy& b);

  private:
    /**
     * Rank of a set of services.
     * \param ah an AH request is present
     * \param esp an ESP request is present
     * \param ipcomp an IPComp request is present
     * \return 0 nothing, 1 ipcomp only, 2 ah, 3 esp, 4 esp+ah
     */
    static int ServiceRank(bool ah, bool esp, bool ipcomp);

    std::array<int, 5> m_key; //!< the comparison key, most significant first
};

/** \return true if \p a is weaker than \p b */
bool operator<(const ProtectionStrength& a, const ProtectionStrength& b);
/** \return true if \p a is stronger than \p b */
bool operator>(const ProtectionStrength& a, const ProtectionStrength& b);
/** \return true if equally strong */
bool operator==(const ProtectionStrength& a, const ProtectionStrength& b);
/** \return true if not equally strong */
bool operator!=(const ProtectionStrength& a, const ProtectionStrength& b);
/** \return true if \p a is weaker than or as strong as \p b */
bool operator<=(const ProtectionStrength& a, const ProtectionStrength& b);
/** \return true if \p a is stronger than or as strong as \p b */
bool operator>=(const ProtectionStrength& a, const ProtectionStrength& b);

/**
 * \param os a stream
 * \param s a strength
 * \return the stream
 */
std::ostream& operator<<(std::ostream& os, const ProtectionStrength& s);

} // namespace ns3

#endif // PRESEC_PROTECTION_STRENGTH_H
