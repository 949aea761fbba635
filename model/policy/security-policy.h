/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_SECURITY_POLICY_H
#define PRESEC_SECURITY_POLICY_H

#include "ns3/ipv4-address.h"

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-policy
 * Direction of traffic a policy applies to (patent FIG. 7 field 715).
 */
enum class PolicyDirection : uint8_t
{
    IN,  //!< received packets
    OUT, //!< packets to be transmitted
    FWD, //!< packets forwarded by this node (a security gateway), after decapsulation
};

/**
 * \ingroup presec-policy
 * What is done to a packet that matches a policy (patent FIG. 7 field 716; RFC 4301
 * DISCARD / BYPASS / PROTECT).
 */
enum class PolicyAction : uint8_t
{
    DISCARD, //!< drop the packet
    NONE,    //!< bypass: send or accept in clear
    IPSEC,   //!< protect with the listed IPsec requests
};

/**
 * \ingroup presec-policy
 * IPsec protocol of one request (FIG. 7 field 717).
 */
enum class IpsecProtocol : uint8_t
{
    AH,     //!< Authentication Header, RFC 4302
    ESP,    //!< Encapsulating Security Payload, RFC 4303
    IPCOMP, //!< IP Payload Compression, RFC 3173
};

/**
 * \ingroup presec-policy
 * IPsec mode of one request (FIG. 7 field 718).
 */
enum class IpsecMode : uint8_t
{
    TRANSPORT, //!< protect the payload, keep the IP header
    TUNNEL,    //!< encapsulate the whole packet towards a tunnel endpoint
};

/**
 * \ingroup presec-policy
 * KAME level of one request (FIG. 7 field 720).
 */
enum class IpsecLevel : uint8_t
{
    DEFAULT, //!< the system-wide default level (treated as `use`)
    USE,     //!< protect if an SA exists, else clear
    REQUIRE, //!< an SA is mandatory
    UNIQUE,  //!< as require, bound to one SA
};

/**
 * \ingroup presec-policy
 * An address range with an optional port, as written in a setkey `spdadd` line
 * (`addr`, `addr/plen`, `addr[port]`, `addr/plen[port]`, port `any`).
 *
 * The flags remember how the range was written so a parsed line prints back as it was.
 */
struct AddressRange
{
    Ipv4Address address{Ipv4Address::GetAny()}; //!< network address
    uint8_t prefixLength{32};                   //!< prefix length, 0..32
    bool prefixWritten{false};                  //!< `/plen` was written
    std::optional<uint16_t> port;               //!< port; empty means any
    bool portWritten{false};                    //!< `[...]` was written

    /**
     * \param addr an address
     * \return true if \p addr lies within the range's prefix
     */
    bool ContainsAddress(Ipv4Address addr) const;

    /**
     * \param port a transport port (0 when the protocol has none)
     * \return true if the range's port is any or equal to \p port
     */
    bool ContainsPort(uint16_t port) const;

    /** \return true if the range names exactly one host (prefix 32) */
    bool IsHost() const;

    /** \return the prefix as an ns-3 mask */
    Ipv4Mask GetMask() const;

    /**
     * Make a range covering one host, any port.
     * \param addr the host
     * \return the range
     */
    static AddressRange Host(Ipv4Address addr);

    /**
     * Make a range from a prefix.
     * \param addr the network
     * \param prefixLength prefix length 0..32
     * \return the range (prefix written)
     */
    static AddressRange Prefix(Ipv4Address addr, uint8_t prefixLength);

    /**
     * \param other another range
     * \return equality of everything including the written form
     */
    bool operator==(const AddressRange& other) const;
};

/**
 * \ingroup presec-policy
 * One IPsec request of an `ipsec` policy: `proto/mode/src-dst/level`.
 */
struct IpsecRequest
{
    IpsecProtocol protocol{IpsecProtocol::ESP};           //!< ah, esp or ipcomp
    IpsecMode mode{IpsecMode::TRANSPORT};                 //!< transport or tunnel
    Ipv4Address tunnelSource{Ipv4Address::GetAny()};      //!< tunnel mode: outer source
    Ipv4Address tunnelDestination{Ipv4Address::GetAny()}; //!< tunnel mode: outer destination
    std::optional<IpsecLevel> level;                      //!< empty: not written (means default)
    uint32_t uniqueId{0};                                 //!< `unique:id`; 0 = none written
    bool endpointFieldWritten{false}; //!< the third `/` field was written (possibly empty)

    /** \return the level in force (default when not written) */
    IpsecLevel GetLevel() const;

    /**
     * \param other another request
     * \return equality of everything including the written form
     */
    bool operator==(const IpsecRequest& other) const;
};

/**
 * \ingroup presec-policy
 * Upper-layer protocol selector: a protocol number or any.
 */
struct UpperProtocol
{
    static constexpr int ANY = -1; //!< matches every protocol
    int number{ANY};               //!< IP protocol number, or ANY
    bool numeric{false};           //!< written as a number rather than a name

    /**
     * \param protocol an IP protocol number
     * \return true if this selector matches \p protocol
     */
    bool Matches(uint8_t protocol) const;

    /** \return the name (`udp`, `any`, ...) or the number as text */
    std::string ToString() const;

    /**
     * Look up a protocol name.
     * \param name `any`, `icmp`, `tcp`, `udp`, `gre`, `esp`, `ah`, `ipcomp`, `icmp6`, ...
     * \return the selector, or empty for an unknown name
     */
    static std::optional<UpperProtocol> FromName(const std::string& name);

    /**
     * \param other another selector
     * \return equality including the written form
     */
    bool operator==(const UpperProtocol& other) const;
};

/**
 * \ingroup presec-policy
 * One entry of a security policy database: the selectors and the action of patent
 * FIG. 7 (fields 710–720), in KAME setkey terms.
 */
struct SecurityPolicy
{
    AddressRange source;                             //!< fields 710, 711
    AddressRange destination;                        //!< fields 712, 713
    UpperProtocol upper;                             //!< field 714
    PolicyDirection direction{PolicyDirection::OUT}; //!< field 715
    PolicyAction action{PolicyAction::NONE};         //!< field 716
    std::vector<IpsecRequest> requests;              //!< fields 717–720, in bundle order
    std::optional<int32_t> priority;                 //!< `prio N`; lower is consulted first
    std::string options;                             //!< `-4`, `-n`, ... flags, as written

    /** \return the priority in force (0 when not written) */
    int32_t GetPriority() const;

    /**
     * \return true if the selectors match the given packet fields
     * \param src source address
     * \param dst destination address
     * \param protocol IP protocol number
     * \param srcPort source port (0 when none)
     * \param dstPort destination port (0 when none)
     */
    bool Matches(Ipv4Address src,
                 Ipv4Address dst,
                 uint8_t protocol,
                 uint16_t srcPort,
                 uint16_t dstPort) const;

    /**
     * \param other another policy
     * \return equality of all fields including the written form
     */
    bool operator==(const SecurityPolicy& other) const;

    /**
     * \param other another policy
     * \return negation of operator==
     */
    bool operator!=(const SecurityPolicy& other) const;
};

/** \return `in` or `out` */
std::string ToString(PolicyDirection d);
/** \return `discard`, `none` or `ipsec` */
std::string ToString(PolicyAction a);
/** \return `ah`, `esp` or `ipcomp` */
std::string ToString(IpsecProtocol p);
/** \return `transport` or `tunnel` */
std::string ToString(IpsecMode m);
/** \return `default`, `use`, `require` or `unique` */
std::string ToString(IpsecLevel l);

/**
 * Print a policy in setkey `spdadd` form (see SetkeyParser).
 * \param os the stream
 * \param policy the policy
 * \return the stream
 */
std::ostream& operator<<(std::ostream& os, const SecurityPolicy& policy);

} // namespace ns3

#endif // PRESEC_SECURITY_POLICY_H
