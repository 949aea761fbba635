/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_CRYPTO_COST_MODEL_H
#define PRESEC_CRYPTO_COST_MODEL_H

#include "crypto-profile.h"

#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"
#include "ns3/traced-value.h"

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-ipsec
 * The CPU time a node spends on IPsec crypto, as a single-server queue.
 *
 * Aggregate one to each node. The node has one crypto engine (one core doing IPsec, as a
 * Linux softirq does per flow): a job that arrives while the engine is busy waits for it.
 * Reserve(cycles) books the engine from max(now, busy-until) for cycles / frequency and
 * returns the delay from now until the job completes; the caller delays the packet (or IKE
 * message) by that much.
 *
 * Costs come from a CryptoProfile (attribute Profile, a built-in name, or ProfileFile, a file
 * written by hand or by presec-calibrate). Frequency scales the profile's cycles to this
 * node's clock. Statistics: busy time (also a TracedValue), bytes, jobs, cycles, and the
 * utilisation over any interval (from a history of busy periods). The Job trace reports each
 * job so a scenario can plot CPU load over time.
 *
 * Time resolution: each job's duration is rounded to the simulator's time resolution
 * (1 ns by default), so jobs of a few cycles may take zero time.
 */
class CryptoCostModel : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    CryptoCostModel();
    ~CryptoCostModel() override;

    /**
     * Use a profile (overrides the Profile / ProfileFile attributes).
     * \param profile the profile
     */
    void SetProfile(const CryptoProfile& profile);

    /** \return the profile in use */
    const CryptoProfile& GetProfile() const;

    /**
     * Load a profile file without aborting (the ProfileFile attribute aborts on a bad file).
     * \param path the file
     * \return the parsed profile (now in use) or the error (the profile in use is unchanged)
     */
    ParseResult<CryptoProfile> LoadProfileFile(const std::string& path);

    /** \return the clock in use, Hz: the Frequency attribute, or the profile's when 0 */
    double GetEffectiveFrequency() const;

    /**
     * \param cycles a number of cycles
     * \return the time they take at the effective frequency
     */
    Time CyclesToTime(uint64_t cycles) const;

    /**
     * Book the crypto engine for a job arriving now.
     * \param cycles the job's cost
     * \return the delay from now until the job completes (0 when disabled)
     */
    Time Reserve(uint64_t cycles);

    /**
     * Book the engine for protecting or unprotecting one packet
     * (see CryptoProfile::PacketCycles for what is charged).
     * \param proto ah, esp or ipcomp
     * \param enc ESP encryption algorithm
     * \param auth integrity algorithm
     * \param outbound true when protecting, false when checking
     * \param bytes bytes the algorithms run over
     * \return the delay until the packet is processed
     */
    Time ProcessPacket(IpsecProtocol proto,
                       EncryptionAlgorithm enc,
                       AuthenticationAlgorithm auth,
                       bool outbound,
                       uint32_t bytes);

    /**
     * Book the engine for one public-key operation.
     * \param op the operation
     * \return the delay until it completes
     */
    Time ProcessKeyOperation(KeyOperation op);

    /** \return busy time booked so far (including work still to run after now) */
    Time GetBusyTime() const;
    /** \return bytes passed to ProcessPacket */
    uint64_t GetBytesProcessed() const;
    /** \return jobs booked */
    uint64_t GetJobs() const;
    /** \return cycles booked */
    uint64_t GetCycles() const;
    /** \return the time the engine becomes idle (<= now when idle) */
    Time GetBusyUntil() const;

    /**
     * Whether the engine holds MaxBacklog jobs not yet done: an arriving protected packet is
     * then dropped before any work, as Linux drops what its full backlog cannot take
     * (netdev_max_backlog, the NIC's ring) when a CPU cannot keep up.
     * \return true when full (never when MaxBacklog is 0)
     */
    bool IsBacklogFull();

    /**
     * Fraction of [start, end] during which the engine is (or was) busy, booked work that
     * lies in the future included.
     * \param start interval start
     * \param end interval end (> start)
     * \return utilisation in [0, 1]; 0 for an empty interval
     */
    double GetUtilization(Time start, Time end) const;

    /** Zero the statistics and the history (a job in progress keeps the engine busy). */
    void ResetStatistics();

    /**
     * TracedCallback signature of the Job trace.
     * \param cycles the job's cost
     * \param start when the engine starts it (>= the time it was booked)
     * \param duration how long it runs
     */
    typedef void (*JobTracedCallback)(uint64_t cycles, Time start, Time duration);

  protected:
    /** Release references (ns-3 Object disposal). */
    void DoDispose() override;

  private:
    /**
     * Attribute setter: a built-in profile by name (aborts on an unknown name).
     * \param name the name
     */
    void SetProfileName(const std::string& name);
    /** \return the name of the profile in use */
    std::string GetProfileName() const;
    /**
     * Drop the jobs done by now from the pending list.
     * \param now the current time
     */
    void ForgetDoneJobs(Time now);
    /**
     * Attribute setter: load a profile file (aborts on a bad file; empty = no file).
     * \param path the file
     */
    void SetProfileFile(const std::string& path);
    /** \return the last file set through the attribute */
    std::string GetProfileFile() const;

    /** One busy period of the engine, [start, end). */
    struct BusyPeriod
    {
        Time start; //!< when the engine started working
        Time end;   //!< when it became idle again
    };

    CryptoProfile m_profile;   //!< the profile in use
    std::string m_profileFile; //!< the ProfileFile attribute
    double m_frequency{0};     //!< the Frequency attribute (0 = the profile's)
    bool m_enabled{true};      //!< the Enabled attribute
    uint32_t m_maxHistory{0};  //!< the MaxHistory attribute
    uint32_t m_maxBacklog{0};  //!< the MaxBacklog attribute (0: no bound)
    /// End times of the jobs booked and perhaps not done, oldest first from m_pendingHead (a
    /// vector, not a deque: nothing is allocated on a node that never queues).
    std::vector<Time> m_pending;
    size_t m_pendingHead{0};          //!< first entry of m_pending still counted
    Time m_busyUntil{0};              //!< end of the last booked job
    uint64_t m_bytes{0};              //!< bytes passed to ProcessPacket
    uint64_t m_jobs{0};               //!< jobs booked
    uint64_t m_cycles{0};             //!< cycles booked
    std::deque<BusyPeriod> m_history; //!< busy periods, merged when back to back

    TracedValue<Time> m_busyTime; //!< accumulated busy time
    /// Trace of every job: cycles, start, duration.
    TracedCallback<uint64_t, Time, Time> m_jobTrace;
};

} // namespace ns3

#endif // PRESEC_CRYPTO_COST_MODEL_H
