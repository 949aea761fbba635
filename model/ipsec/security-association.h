/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_SECURITY_ASSOCIATION_H
#define PRESEC_SECURITY_ASSOCIATION_H

#include "ipsec-algorithms.h"

#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/security-policy.h"
#include "ns3/simple-ref-count.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{

class IpsecCryptoContext;
enum class CryptoMode : uint8_t;

/**
 * \ingroup presec-ipsec
 * Soft and hard SA lifetimes (RFC 4301 §4.4.2.1); 0 means unlimited.
 */
struct SaLifetime
{
    uint64_t softBytes{0}; //!< bytes after which a re-key should start
    uint64_t hardBytes{0}; //!< bytes after which the SA is unusable
    Time softTime{0};      //!< age after which a re-key should start
    Time hardTime{0};      //!< age after which the SA is unusable
};

/**
 * \ingroup presec-ipsec
 * Lifetime state of an SA. The states only advance, in this order.
 */
enum class SaState : uint8_t
{
    MATURE,       //!< usable
    SOFT_EXPIRED, //!< usable, re-key due
    HARD_EXPIRED, //!< unusable
};

/**
 * \ingroup presec-ipsec
 * Result of the anti-replay check of an inbound sequence number.
 */
enum class ReplayCheck : uint8_t
{
    OK,       //!< new and inside or ahead of the window
    REPLAYED, //!< already received
    TOO_OLD,  //!< left of the window
};

/**
 * \ingroup presec-ipsec
 * One security association (RFC 4301 §4.4.2): the parameters of one direction of protected
 * traffic with one protocol, plus its sequence, anti-replay and lifetime state.
 *
 * The parameters are public fields (set them, then add the SA to a database; the selectors
 * source, destination, protocol, mode and SPI must not change once it is added); the state
 * changes only through the methods, which enforce the RFC 4303 rules: outbound sequence
 * numbers start at 1 and never wrap; the inbound window advances only for packets whose ICV
 * verified (call CheckReplay before, AcceptSequence after verification).
 *
 * Lifetimes: the state goes MATURE -> SOFT_EXPIRED -> HARD_EXPIRED when a time, byte or
 * sequence-number limit is reached, whichever comes first; each step is reported once to the
 * expiry notifier (the database the SA is in sets it).
 */
class SecurityAssociation : public SimpleRefCount<SecurityAssociation>
{
  public:
    /**
     * Outbound sequence number from which the SA is soft-expired (2^32 - 2^24): a re-key then
     * has 2^24 (16,777,216) packets left before the counter would cycle (RFC 4303 §3.3.3).
     * Linux XFRM has no such limit for 32-bit sequence numbers; strongSwan's packet
     * lifetimes play the same role.
     */
    static constexpr uint32_t SOFT_SEQUENCE_LIMIT = 0xff000000u;

    /**
     * Why an SA with these algorithms must not be created: ESP needs an AEAD cipher or an
     * authentication algorithm, AH an authentication algorithm other than null, as integrity
     * is what anti-replay and every accepted packet's binding to its SA rest on (RFC 4303
     * §3.2, §3.4.3). IPComp has no ICV and no anti-replay window (RFC 3173).
     * \param protocol ah, esp or ipcomp
     * \param encryption the ESP cipher (ignored for ah and ipcomp)
     * \param authentication the integrity algorithm (ignored for ipcomp)
     * \return empty if fine, else the reason, to be shown with the statement that asked
     */
    static std::string CheckIntegrity(IpsecProtocol protocol,
                                      EncryptionAlgorithm encryption,
                                      AuthenticationAlgorithm authentication);

    /**
     * Called once when the SA becomes soft-expired and once when it becomes hard-expired,
     * with the SA; the database uses it to fire its traces whatever the cause.
     */
    using ExpiryNotifier = std::function<void(const SecurityAssociation&)>;

    // --- parameters ---
    uint32_t spi{0};                            //!< SPI (CPI for IPComp)
    Ipv4Address source;                         //!< sender of the protected packets
    Ipv4Address destination;                    //!< receiver of the protected packets
    IpsecProtocol protocol{IpsecProtocol::ESP}; //!< ah, esp or ipcomp
    IpsecMode mode{IpsecMode::TRANSPORT};       //!< transport or tunnel
    EncryptionAlgorithm encryption{EncryptionAlgorithm::NULL_ENC};         //!< ESP cipher
    AuthenticationAlgorithm authentication{AuthenticationAlgorithm::NONE}; //!< ESP/AH integrity
    std::vector<uint8_t> encryptionKey;     //!< cipher key (with salt for AEAD)
    std::vector<uint8_t> authenticationKey; //!< integrity key
    uint32_t reqid{0};                      //!< binds the SA to `unique:id` policies (0: any)
    /// Anti-replay window in packets; 0 disables. A database forces 0 for IPComp (no ICV).
    uint32_t replayWindow{64};
    SaLifetime lifetime; //!< soft and hard limits

    // --- state ---

    /**
     * Take the next outbound sequence number. RFC 4303 §3.3.3: the counter must not cycle,
     * so the SA is exhausted after 2^32 - 1 packets. Reaching SOFT_SEQUENCE_LIMIT makes the
     * SA soft-expired; asking for a number after the last one makes it hard-expired.
     * \return the number, or empty when the SA is exhausted
     */
    std::optional<uint32_t> NextSequenceNumber();

    /** \return the last sequence number sent (0 before the first) */
    uint32_t GetLastSequenceNumber() const;

    /**
     * Check an inbound sequence number against the window without changing it.
     * \param seq the received number
     * \return OK, REPLAYED or TOO_OLD (always OK when the window is 0)
     */
    ReplayCheck CheckReplay(uint32_t seq) const;

    /**
     * Record an inbound sequence number whose packet verified, advancing the window.
     * \param seq the number
     */
    void AcceptSequence(uint32_t seq);

    /**
     * Count processed bytes and update the lifetime state: soft-expired once the total
     * reaches lifetime.softBytes, hard-expired once it reaches lifetime.hardBytes (the packet
     * that crosses a limit is still processed, as in Linux's xfrm_state_check_expire).
     * \param bytes bytes processed (the payload protected or verified)
     */
    void CountBytes(uint64_t bytes);

    /**
     * Update the time-based lifetime state.
     * \param now the current simulation time
     */
    void UpdateState(Time now);

    /** \return the lifetime state */
    SaState GetState() const;

    /**
     * \param now the time the SA is taken into use (starts time lifetimes)
     */
    void SetCreationTime(Time now);

    /** \return the time the SA was added */
    Time GetCreationTime() const;

    /** \return bytes processed */
    uint64_t GetBytes() const;

    /** \return packets processed (CountBytes calls) */
    uint64_t GetPackets() const;

    /** \return a one-line description, setkey-like */
    std::string ToString() const;

    /**
     * \param notifier called at each lifetime state change (null to stop)
     */
    void SetExpiryNotifier(ExpiryNotifier notifier);

    /**
     * The SA's OpenSSL contexts, created on first use and kept for its life, so a packet
     * does not re-key. It re-keys by itself if the algorithm or key fields change. A copy of
     * the SA starts without one.
     * \return the context
     */
    IpsecCryptoContext& GetCryptoContext() const;

    /**
     * An integrity check value, as AH and ESP compute it: the HMAC of the SA's integrity
     * algorithm in real mode, the modeled tag otherwise.
     * \param mode crypto mode
     * \param key the key (ESP's modeled AEAD tag is keyed with the cipher key)
     * \param domain separates the modeled uses of one key
     * \param data the covered bytes
     * \param size their length
     * \param icv where to write \p icvSize bytes
     * \param icvSize the ICV length; nothing is written when 0
     */
    void ComputeIcv(CryptoMode mode,
                    const std::vector<uint8_t>& key,
                    uint8_t domain,
                    const uint8_t* data,
                    uint32_t size,
                    uint8_t* icv,
                    uint32_t icvSize) const;

    /**
     * Abort on a key that OpenSSL would read out of bounds and that no peer could match.
     * \param protocol "AH" or "ESP", for the message
     * \param algorithm the algorithm's name
     * \param needed the length it needs
     * \param key the key configured
     */
    void CheckKeySize(const char* protocol,
                      const std::string& algorithm,
                      uint32_t needed,
                      const std::vector<uint8_t>& key) const;

  private:
    /**
     * Advance the lifetime state (never back) and tell the notifier.
     * \param state the new state
     */
    void Advance(SaState state);

    /** Owner of the crypto context that copies as empty (contexts are not shareable). */
    struct CryptoContextOwner
    {
        CryptoContextOwner();
        ~CryptoContextOwner();
        /** Copy: empty. */
        CryptoContextOwner(const CryptoContextOwner&);
        /**
         * Assignment: empty.
         * \return this
         */
        CryptoContextOwner& operator=(const CryptoContextOwner&);

        std::unique_ptr<IpsecCryptoContext> context; //!< created on first use
    };

    uint32_t m_lastSeqOut{0};            //!< last outbound sequence number
    bool m_exhausted{false};             //!< 2^32 - 1 was sent
    uint32_t m_highestIn{0};             //!< highest verified inbound sequence number
    std::vector<uint64_t> m_window;      //!< bit i set: m_highestIn - i was received
    uint64_t m_bytes{0};                 //!< bytes processed
    uint64_t m_packets{0};               //!< packets processed
    Time m_created{0};                   //!< creation time
    SaState m_state{SaState::MATURE};    //!< lifetime state
    ExpiryNotifier m_notifier;           //!< told of state changes
    mutable CryptoContextOwner m_crypto; //!< OpenSSL contexts (a cache: logically const)
};

} // namespace ns3

#endif // PRESEC_SECURITY_ASSOCIATION_H
