/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_PRESENCE_DOCUMENT_H
#define PRESEC_PRESENCE_DOCUMENT_H

#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/security-policy.h"

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-presence
 * The PIDF `<basic>` status of a tuple (RFC 3863 §4.1.4).
 */
enum class BasicStatus : uint8_t
{
    OPEN,   //!< `open`: reachable
    CLOSED, //!< `closed`: not reachable
};

/**
 * \ingroup presec-presence
 * The kind of place a person is at: RPID `<place-type>` (RFC 4480 §3.11) with the RFC 4589
 * location-type tokens presec uses. Other registry or private tokens decode as OTHER with the
 * token kept in PresenceDocument::placeTypeText.
 */
enum class PlaceType : uint8_t
{
    OFFICE,           //!< `office`
    RESIDENCE,        //!< `residence`
    PUBLIC,           //!< `public`
    CAFE,             //!< `cafe`
    HOTEL,            //!< `hotel`
    AIRPORT,          //!< `airport`
    PUBLIC_TRANSPORT, //!< `public-transport`
    OTHER,            //!< `other`, or a token presec does not name
    UNKNOWN,          //!< `unknown`: the place type is not known
};

/**
 * \ingroup presec-presence
 * RPID `<sphere>` (RFC 4480 §3.13): the sphere of life the person is in.
 */
enum class Sphere : uint8_t
{
    HOME,    //!< `home`
    WORK,    //!< `work`
    UNKNOWN, //!< `unknown`, or free text kept in PresenceDocument::sphereText
};

/**
 * \ingroup presec-presence
 * A presence document as exchanged by presec peers (patent FIG. 5): one PIDF tuple for the
 * apparatus, RPID place type and sphere of its user, and presec's extension with the
 * apparatus' addresses, user name, location label and security policies.
 *
 * Empty strings and vectors mean "not present" and are left out of the encoded document.
 */
struct PresenceDocument
{
    std::string entity;        //!< presentity URI, e.g. `pres:peerA@example.com` (FIG. 5 line 530)
    std::string tupleId{"t1"}; //!< `<tuple id>`; must be an XML NCName
    BasicStatus basic{BasicStatus::OPEN}; //!< `<basic>`
    std::string contact;                  //!< `<contact>` URI, e.g. `sip:peerA@192.168.1.2`
    std::string note;                     //!< first `<note>` of the tuple
    std::string timestamp;                //!< `<timestamp>`, RFC 3339 (FIG. 5 line 529)

    std::optional<PlaceType> placeType; //!< RPID place type; empty: not given
    std::string placeTypeText;          //!< with OTHER: the token or free text (empty for `other`)
    std::optional<Sphere> sphere;       //!< RPID sphere; empty: not given
    std::string sphereText;             //!< with UNKNOWN: free text of a non-standard sphere

    std::vector<Ipv4Address> addresses; //!< presec: the apparatus' IPv4 addresses
    std::string user;                   //!< presec: current user name (FIG. 5 line 527)
    std::string location; //!< presec: location label, "office", "external", ... (line 528)
    std::vector<SecurityPolicy> policies; //!< presec: policies offered (lines 520–526)

    /**
     * \param other another document
     * \return true if every field is equal
     */
    bool operator==(const PresenceDocument& other) const;

    /**
     * \param other another document
     * \return negation of operator==
     */
    bool operator!=(const PresenceDocument& other) const;
};

/**
 * Print the fields of a document on one line, for logs and test failures.
 * \param os the stream
 * \param doc the document
 * \return the stream
 */
std::ostream& operator<<(std::ostream& os, const PresenceDocument& doc);

/** \return `open` or `closed` */
std::string ToString(BasicStatus s);
/** \return the RFC 4589 token, e.g. `public-transport` */
std::string ToString(PlaceType p);
/** \return `home`, `work` or `unknown` */
std::string ToString(Sphere s);

/**
 * \param token an RFC 4589 token
 * \return the place type presec names it by, or empty for any other token
 */
std::optional<PlaceType> PlaceTypeFromToken(const std::string& token);

/**
 * Parse a strict dotted quad: four decimal octets 0..255, no leading zeros, no blanks.
 * (ns3::Ipv4Address(const char*) accepts anything and silently yields some address.)
 * \param text the text
 * \param address set on success
 * \return true on success
 */
bool ParseIpv4Address(const std::string& text, Ipv4Address& address);

/**
 * \ingroup presec-presence
 * An instant written as an RFC 3339 date-time.
 */
struct Rfc3339Time
{
    int64_t utcSeconds{0};    //!< seconds since 1970-01-01T00:00:00Z
    uint32_t nanoseconds{0};  //!< fraction of the second (digits past the 9th are dropped)
    int32_t offsetMinutes{0}; //!< the written offset from UTC (0 for `Z`)

    /**
     * \param other another instant
     * \return true if this instant is earlier than \p other (offsets do not matter)
     */
    bool operator<(const Rfc3339Time& other) const;
};

/**
 * Parse an RFC 3339 date-time as PIDF requires it (RFC 3863 §4.1.7): upper-case `T` and `Z`,
 * `YYYY-MM-DDThh:mm:ss[.frac](Z|±hh:mm)`. Kept to what XML Schema's xs:dateTime also accepts:
 * years 0001–9999, no leap second 60, offsets within ±14:00.
 * \param text the text
 * \return the instant, or empty when \p text is not such a date-time
 */
std::optional<Rfc3339Time> ParseRfc3339(const std::string& text);

/**
 * Write an instant as RFC 3339: `Z` for offset 0, else `±hh:mm` with the local time; a
 * fraction only when non-zero, without trailing zeros.
 * \param time the instant; offsetMinutes within ±840 and year 0001–9999, else aborts
 * \return the text
 */
std::string FormatRfc3339(const Rfc3339Time& time);

/**
 * A PIDF timestamp for a moment of a simulation: the wall-clock base the simulation starts at
 * plus the simulation time, to the millisecond (so two documents a few milliseconds apart do
 * not carry the same timestamp, RFC 3863 §4.1.7).
 * \param base the wall-clock time at simulation time 0, e.g. ParseRfc3339("2002-09-28T10:49:29Z")
 * \param now simulation time, e.g. Simulator::Now(); negative values count back
 * \param offsetMinutes offset to write the result in (0 writes `Z`)
 * \return the RFC 3339 text
 */
std::string MakeTimestamp(const Rfc3339Time& base, Time now, int32_t offsetMinutes = 0);

} // namespace ns3

#endif // PRESEC_PRESENCE_DOCUMENT_H
