/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_PRESENCE_DATABASE_H
#define PRESEC_PRESENCE_DATABASE_H

#include "presence-document.h"

#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-presence
 * One entry of the presence database (patent FIG. 6, entry 600): what is known about one
 * peer apparatus.
 *
 * `user` and `location` are the values in force: the user's relabelling when there is one,
 * else what the peer last reported (kept in `document`).
 */
struct PresenceEntry
{
    std::string entity;   //!< 620: the peer's identity, e.g. `pres:peerA@example.com`
    Ipv4Address address;  //!< 621: source address of the packet that carried the document
    std::string user;     //!< 622: current user name (relabelled or reported)
    std::string location; //!< 623: location label (relabelled or reported)
    std::optional<PlaceType> placeType; //!< RPID place type reported
    std::string timestamp;     //!< 624: production time of the presence information (RFC 3339)
    PresenceDocument document; //!< the last document accepted from the peer
    std::optional<std::string> userOverride;     //!< the user's relabelling of 622
    std::optional<std::string> locationOverride; //!< the user's relabelling of 623
    Time updated;                                //!< simulation time of the last change
};

/**
 * \ingroup presec-presence
 * The presence information database (patent: presence information data base 400) with the
 * registration, deletion, correction and reference of its processing unit 401.
 *
 * Entries are keyed by entity. Register adds or updates from a received document; per
 * RFC 3863 §6 a document whose timestamp is older than the stored one is ignored
 * (attribute IgnoreOutdated). Relabel records the user's own names for a peer's user and
 * location (patent FIG. 9 text); they survive later updates from the peer until
 * ClearRelabel. The apparatus' own presence is kept apart (SetOwn / GetOwn) and is not found
 * by the peer lookups.
 */
class PresenceDatabase : public Object
{
  public:
    /** Outcome of Register and Update. */
    enum class Outcome : uint8_t
    {
        ADDED,     //!< a new entry was made
        UPDATED,   //!< an existing entry was replaced
        OUTDATED,  //!< ignored: older than the stored document (RFC 3863 §6)
        NOT_FOUND, //!< Update only: no entry for the entity
        REJECTED,  //!< ignored: the document has no entity
    };

    /**
     * Signature of the EntryAdded / EntryUpdated / EntryRemoved trace sources.
     * \param entry the entry, after the change (before removal for EntryRemoved)
     */
    typedef void (*EntryTracedCallback)(const PresenceEntry& entry);

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /** Create an empty database with no own entry. */
    PresenceDatabase();
    /** Destructor. */
    ~PresenceDatabase() override;

    /**
     * Add or update the entry of a peer from a received document (FIG. 3 step 504).
     * \param doc the decoded document
     * \param source source address of the packet that carried it (becomes field 621)
     * \return ADDED, UPDATED, OUTDATED or REJECTED
     */
    Outcome Register(const PresenceDocument& doc, Ipv4Address source);

    /**
     * Update an existing entry only.
     * \param doc the decoded document
     * \param source source address of the packet that carried it
     * \return UPDATED, OUTDATED, NOT_FOUND or REJECTED
     */
    Outcome Update(const PresenceDocument& doc, Ipv4Address source);

    /**
     * \param entity a peer's entity
     * \return true if an entry was removed
     */
    bool Remove(const std::string& entity);

    /** Remove every peer entry (the own entry stays). */
    void Clear();

    /**
     * The user's relabelling of a peer (patent FIG. 9: "more familiar" expressions). An empty
     * argument leaves that field's relabelling as it is.
     * \param entity the peer
     * \param user the user's name for the peer's user, or empty
     * \param location the user's name for the peer's location, or empty
     * \return false if there is no entry for \p entity
     */
    bool Relabel(const std::string& entity, const std::string& user, const std::string& location);

    /**
     * Drop the relabelling of a peer; user and location go back to what the peer reported.
     * \param entity the peer
     * \return false if there is no entry for \p entity
     */
    bool ClearRelabel(const std::string& entity);

    /**
     * \param entity a peer's entity
     * \return its entry, or empty
     */
    std::optional<PresenceEntry> Lookup(const std::string& entity) const;

    /**
     * Find a peer by address: first by the packet source address (field 621), then by the
     * addresses the peer reports in its document. Among several matches the most recently
     * updated wins.
     * \param address an address
     * \return the entry, or empty
     */
    std::optional<PresenceEntry> LookupByAddress(Ipv4Address address) const;

    /** \return the number of peer entries */
    size_t GetN() const;

    /** \return the peer entities, sorted */
    std::vector<std::string> GetEntities() const;

    /**
     * Set the apparatus' own presence, e.g. after the location classifier judged a new
     * care-of address.
     * \param doc the own document (what would be sent to peers)
     * \param address the own address
     */
    void SetOwn(const PresenceDocument& doc, Ipv4Address address);

    /** \return the own entry, or empty if SetOwn was never called */
    std::optional<PresenceEntry> GetOwn() const;

  private:
    /**
     * Shared body of Register and Update.
     * \param doc the document
     * \param source packet source address
     * \param mayAdd whether a missing entry may be created
     * \return the outcome
     */
    Outcome Store(const PresenceDocument& doc, Ipv4Address source, bool mayAdd);

    /**
     * Recompute the fields of \p entry derived from its document and relabelling.
     * \param entry the entry
     */
    static void Refresh(PresenceEntry& entry);

    std::map<std::string, PresenceEntry> m_entries; //!< peer entries by entity
    std::optional<PresenceEntry> m_own;             //!< the apparatus' own entry
    bool m_ignoreOutdated;                          //!< RFC 3863 §6 check on/off

    TracedCallback<const PresenceEntry&> m_addedTrace;   //!< EntryAdded
    TracedCallback<const PresenceEntry&> m_updatedTrace; //!< EntryUpdated
    TracedCallback<const PresenceEntry&> m_removedTrace; //!< EntryRemoved
};

/**
 * \param o an outcome
 * \return its name, e.g. `ADDED`
 */
std::string ToString(PresenceDatabase::Outcome o);

} // namespace ns3

#endif // PRESEC_PRESENCE_DATABASE_H
