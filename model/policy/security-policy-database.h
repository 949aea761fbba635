/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_SECURITY_POLICY_DATABASE_H
#define PRESEC_SECURITY_POLICY_DATABASE_H

#include "security-policy.h"

#include "ns3/callback.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <boost/container/small_vector.hpp>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-policy
 * The fields of a packet an SPD lookup selects on.
 */
struct PacketSelector
{
    Ipv4Address source;          //!< IP source address
    Ipv4Address destination;     //!< IP destination address
    uint8_t protocol{0};         //!< IP protocol number of the upper layer
    uint16_t sourcePort{0};      //!< transport source port (0 when none)
    uint16_t destinationPort{0}; //!< transport destination port (0 when none)

    /**
     * \param other another selector
     * \return every field equal
     */
    bool operator==(const PacketSelector& other) const
    {
        return source == other.source && destination == other.destination &&
               protocol == other.protocol && sourcePort == other.sourcePort &&
               destinationPort == other.destinationPort;
    }
};

/**
 * \ingroup presec-policy
 * The security policy database (patent: security policy data base 300).
 *
 * Two ordered lists, inbound and outbound, with RFC 4301 first-match semantics: entries are
 * ranked by priority (lower first) and, within a priority, by insertion order; the first
 * entry whose selectors match decides. After the entries comes the per-direction *default
 * policy* (the patent's default security policy applied to unspecified peers), and when
 * nothing matches at all the `NoMatchAction` attribute decides (bypass, as Linux does, or
 * discard, as RFC 4301 says).
 *
 * Lookup does not scan every entry: entries whose destination (or else source) range is a
 * single host are indexed by that address, so per-peer entries cost a hash lookup; only
 * entries with wider ranges on both sides are scanned, and first-match order stays exact
 * because each candidate list is kept in rank order and the lowest-ranked match wins.
 */
class SecurityPolicyDatabase : public Object
{
  public:
    /** Handle of an entry, to remove it later. */
    using EntryId = uint64_t;

    /**
     * Signature of the PolicyAdded / PolicyRemoved trace sources.
     * \param policy the entry
     * \param id its handle
     */
    typedef void (*PolicyTracedCallback)(const SecurityPolicy& policy, EntryId id);

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    SecurityPolicyDatabase();
    ~SecurityPolicyDatabase() override;

    /**
     * Add an entry; its direction field chooses the list.
     * \param policy the entry
     * \return its handle
     */
    EntryId Add(const SecurityPolicy& policy);

    /**
     * Remove an entry.
     * \param id the handle returned by Add
     * \return true if the entry existed
     */
    bool Remove(EntryId id);

    /** Remove every entry (the default policies stay). */
    void Clear();

    /**
     * Tells \p cb of every edit (Add, Remove, Clear, the default policies, the no-match
     * action), once it is made. Whoever keeps an answer derived from the SPD drops or redoes
     * it: IpsecLayer forgets its last flow's Lookup answer (as Linux keeps a socket's in its
     * route) and need not ask the SPD per packet; the presence notifier offers the changed
     * policy to its watchers. Part of the SPD's interface for the layers built on it, unlike
     * the PolicyAdded / PolicyRemoved trace sources, which are for observers.
     * \param cb the listener
     */
    void AddEditListener(Callback<void> cb);

    /**
     * \param cb a listener given to AddEditListener (the same function and object); it is
     *        told of no further edits
     */
    void RemoveEditListener(Callback<void> cb);

    /**
     * Set the policy applied when no entry matches (the patent's default security policy).
     * Only its action and requests are used; its selectors are ignored.
     * \param direction the list it follows
     * \param policy the default policy
     */
    void SetDefaultPolicy(PolicyDirection direction, const SecurityPolicy& policy);

    /**
     * Forget the default policy of one direction.
     * \param direction the direction
     */
    void ClearDefaultPolicy(PolicyDirection direction);

    /**
     * \param direction the direction
     * \return the default policy, if any
     */
    std::optional<SecurityPolicy> GetDefaultPolicy(PolicyDirection direction) const;

    /**
     * Find the entry deciding a packet: the first match, else the default policy.
     * \param direction the direction of the packet
     * \param selector its fields
     * \return the deciding policy, or nullptr when nothing matches and there is no default
     */
    const SecurityPolicy* Lookup(PolicyDirection direction, const PacketSelector& selector) const;

    /**
     * The action for a packet, applying NoMatchAction when Lookup finds nothing.
     * \param direction the direction of the packet
     * \param selector its fields
     * \return discard, none (bypass) or ipsec
     */
    PolicyAction Decide(PolicyDirection direction, const PacketSelector& selector) const;

    /**
     * Find the entry for a packet by scanning every entry in rank order, without the index.
     * Slow; the reference the index is tested against.
     * \param direction the direction of the packet
     * \param selector its fields
     * \return as Lookup
     */
    const SecurityPolicy* LookupLinear(PolicyDirection direction,
                                       const PacketSelector& selector) const;

    /**
     * \param direction the direction
     * \return the entries of that list in rank (first-match) order
     */
    std::vector<SecurityPolicy> GetEntries(PolicyDirection direction) const;

    /** \return the number of entries in both lists */
    size_t GetN() const;

    /**
     * Set what happens when nothing matches and no default policy is set.
     * \param action NONE (bypass) or DISCARD
     */
    void SetNoMatchAction(PolicyAction action);

    /** \return the action used when nothing matches */
    PolicyAction GetNoMatchAction() const;

  private:
    /** After an edit: tell the edit listeners. */
    void Edited();

    /**
     * Attribute setter: EnumValue holds an int, PolicyAction is a scoped enum.
     * \param action the action as int
     */
    void SetNoMatchActionValue(int action);

    /** \return the no-match action as int, for the attribute */
    int GetNoMatchActionValue() const;

    /** One stored entry with its rank. */
    struct Entry
    {
        SecurityPolicy policy; //!< the entry
        int32_t priority;      //!< cached policy priority
        EntryId id;            //!< insertion sequence, also the handle
    };

    /**
     * What a lookup compares of an entry, packed (48 bytes) and stored in the index itself:
     * a lookup in a 10,000-entry database touches its bucket, not the entries, whose policies
     * are spread over megabytes.
     */
    struct Candidate
    {
        uint32_t sourceNet;       //!< source network, host order
        uint32_t sourceMask;      //!< source prefix mask (0 for any)
        uint32_t destinationNet;  //!< destination network, host order
        uint32_t destinationMask; //!< destination prefix mask
        uint16_t sourcePort;      //!< source port, if anySourcePort is false
        uint16_t destinationPort; //!< destination port, if anyDestinationPort is false
        int16_t protocol;         //!< upper protocol, or UpperProtocol::ANY
        bool anySourcePort;       //!< no source port selector
        bool anyDestinationPort;  //!< no destination port selector
        int32_t priority;         //!< the entry's priority
        EntryId id;               //!< the entry's id (ties: older first)
        const Entry* entry;       //!< the entry

        /**
         * \param e an entry
         * \return its candidate
         */
        static Candidate Of(const Entry& e);

        /**
         * \param s the packet
         * \param source its source address, host order
         * \param destination its destination address, host order
         * \return true if the entry selects the packet
         */
        bool Matches(const PacketSelector& s, uint32_t source, uint32_t destination) const
        {
            return (protocol == UpperProtocol::ANY || protocol == s.protocol) &&
                   ((source ^ sourceNet) & sourceMask) == 0 &&
                   ((destination ^ destinationNet) & destinationMask) == 0 &&
                   (anySourcePort || sourcePort == s.sourcePort) &&
                   (anyDestinationPort || destinationPort == s.destinationPort);
        }

        /**
         * \param o another candidate
         * \return true if this one is consulted first
         */
        bool RanksBefore(const Candidate& o) const
        {
            return priority != o.priority ? priority < o.priority : id < o.id;
        }
    };

    /// Candidates in rank order; most host buckets hold one, kept inline.
    using Bucket = boost::container::small_vector<Candidate, 1>;

    /**
     * Host address to bucket: open addressing with linear probing in a power-of-two table
     * kept at most half full, Fibonacci hashing, buckets in one array. A lookup is one probe
     * of an 8-byte slot and one bucket, where std::unordered_map costs a division and a
     * pointer chase to a node per address (measured: 10,000 peers made it 1.5-1.8x slower
     * than 10).
     */
    class HostIndex
    {
      public:
        /**
         * \param key an address, host order
         * \return its bucket, or nullptr
         */
        const Bucket* Find(uint32_t key) const;

        /**
         * \param key an address, host order
         * \return its bucket, created empty if absent (valid until the next Get or Erase)
         */
        Bucket& Get(uint32_t key);

        /**
         * Remove an address and its bucket.
         * \param key the address
         */
        void Erase(uint32_t key);

        /** Remove everything. */
        void Clear();

      private:
        /** One table slot. */
        struct Slot
        {
            uint32_t key{0};    //!< the address
            uint32_t bucket{0}; //!< 1 + index into m_buckets; 0: empty slot
        };

        /**
         * \param key an address
         * \return its home slot
         */
        size_t Home(uint32_t key) const
        {
            return static_cast<uint32_t>(key * 0x9e3779b1u) >> m_shift;
        }

        /**
         * \param key an address
         * \return its slot index, or the empty slot where it would go
         */
        size_t Probe(uint32_t key) const;

        /** Double the table (or make the first one) and re-insert every slot. */
        void Grow();

        std::vector<Slot> m_slots;     //!< the table
        uint32_t m_shift{32};          //!< 32 - log2(table size)
        size_t m_used{0};              //!< occupied slots
        std::vector<Bucket> m_buckets; //!< the buckets
        std::vector<uint32_t> m_free;  //!< indices of m_buckets free for reuse
    };

    /** Entries of one direction with their index. */
    struct List
    {
        std::unordered_map<EntryId, Entry> entries; //!< all entries by id
        HostIndex byDestination; //!< entries whose destination is one host, by that address
        HostIndex bySource;      //!< entries whose source (only) is one host, by that address
        Bucket wildcard;         //!< the rest
        std::optional<SecurityPolicy> defaultPolicy; //!< applied after the entries
    };

    /**
     * \param a an entry
     * \param b an entry
     * \return true if \p a is consulted before \p b
     */
    static bool RanksBefore(const Entry* a, const Entry* b);

    /**
     * The first matching entry of a rank-ordered bucket.
     * \param candidates the bucket
     * \param selector the packet
     * \param source its source address, host order
     * \param destination its destination address, host order
     * \return the candidate or nullptr
     */
    static const Candidate* FirstMatch(const Bucket& candidates,
                                       const PacketSelector& selector,
                                       uint32_t source,
                                       uint32_t destination);

    /**
     * \param list a list
     * \return its entries in rank (first-match) order
     */
    static std::vector<const Entry*> InRankOrder(const List& list);

    /**
     * \param direction the direction
     * \return the list of that direction
     */
    List& GetList(PolicyDirection direction);

    /**
     * \param direction the direction
     * \return the list of that direction
     */
    const List& GetList(PolicyDirection direction) const;

    /**
     * \param list the list
     * \param entry the entry
     * \return the bucket \p entry belongs in
     */
    static Bucket& BucketOf(List& list, const Entry& entry);

    List m_in;                                   //!< inbound entries
    List m_out;                                  //!< outbound entries
    List m_fwd;                                  //!< forwarding entries (security gateway)
    EntryId m_nextId{1};                         //!< next handle
    PolicyAction m_noMatch;                      //!< result when nothing matches
    std::vector<Callback<void>> m_editListeners; //!< told of every edit

    /// Fired when an entry is added (the entry, its handle).
    TracedCallback<const SecurityPolicy&, EntryId> m_addedTrace;
    /// Fired when an entry is removed.
    TracedCallback<const SecurityPolicy&, EntryId> m_removedTrace;
};

} // namespace ns3

#endif // PRESEC_SECURITY_POLICY_DATABASE_H
