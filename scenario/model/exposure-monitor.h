/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_EXPOSURE_MONITOR_H
#define PRESEC_EXPOSURE_MONITOR_H

#include "ns3/ipv4-address.h"
#include "ns3/object.h"

#include <cstdint>
#include <map>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-scenario
 * What an eavesdropper learns, per network, terminal and session, in the manner of ns-3's
 * FlowMonitor: ExposureProbe objects (one per eavesdropped network, attached to its device
 * traces) classify what crosses the network and report it here; ExposureMonitorHelper
 * installs them. The scenario runner tells the monitor who owns which address, which pairs
 * of terminals hold a session and where each terminal stays (Arrive), and reads the
 * statistics at the end.
 *
 * Exposure windows: on an untrusted network, from a terminal's arrival to the last clear data
 * to or from it seen there; time to protection: from its arrival to the first encrypted packet
 * to or from it seen there.
 */
class ExposureMonitor : public Object
{
  public:
    /** What the probes of one network saw (IP payload bytes). */
    struct NetworkStats
    {
        uint64_t clearDataBytes{0};   //!< readable UDP/TCP segments (or IPComp), not signalling
        uint64_t clearDataPackets{0}; //!< their packets
        uint64_t signalingBytes{0};   //!< SIP/IKE payload
        uint64_t protectedBytes{0};   //!< encrypted ESP's IP payload (AH around it included)
        uint64_t protectedPackets{0}; //!< their packets
    };

    /** What the probes saw of one terminal. */
    struct TerminalStats
    {
        uint64_t exposureBytes{0};       //!< clear data bytes to or from it
        uint64_t exposurePackets{0};     //!< their packets
        double exposureWindowS{0};       //!< summed over its ended stays on untrusted networks
        double maxExposureWindowS{0};    //!< the longest of those windows
        double maxTimeToProtectionS{-1}; //!< longest time to protection of a stay (-1: none)
    };

    /** What the probes saw of one session (both directions). */
    struct SessionStats
    {
        uint64_t exposureBytes{0}; //!< clear data bytes between the pair
        double firstExposure{-1};  //!< first time such bytes were seen (s; -1: never)
        double lastExposure{-1};   //!< last time (s; -1: never)
    };

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /**
     * \param trusted whether the network is trusted (no exposure windows there)
     * \return the network's index (0, 1, ... in the order of the calls)
     */
    uint32_t AddNetwork(bool trusted);
    /**
     * \param n the number of terminals (indices 0 .. n-1); their stats start at zero
     */
    void SetTerminals(uint32_t n);
    /**
     * \param address an address of a terminal (a terminal may have several over time)
     * \param terminal its index
     */
    void AddAddress(Ipv4Address address, uint32_t terminal);
    /**
     * \param address an address
     * \return the terminal owning it, or -1
     */
    int GetOwner(Ipv4Address address) const;
    /**
     * Clear data between the two terminals counts for the session (both directions).
     * \param a a terminal
     * \param b the other one
     * \param session the session's index (0, 1, ... without gaps)
     */
    void AddSession(uint32_t a, uint32_t b, uint32_t session);
    /**
     * The terminal starts a stay on a network now; its previous stay, if any, ends.
     * \param terminal the terminal
     * \param network where it is now
     */
    void Arrive(uint32_t terminal, uint32_t network);
    /** Ends every terminal's current stay (at the end of the run). */
    void EndStays();

    /**
     * A probe saw a packet it cannot read: ESP with an encrypting SA (perhaps inside AH).
     * \param network where
     * \param src its source
     * \param dst its destination
     * \param payload its IP payload bytes
     */
    void ReportProtected(uint32_t network, Ipv4Address src, Ipv4Address dst, uint32_t payload);
    /**
     * A probe saw a SIP or IKE packet.
     * \param network where
     * \param payload its IP payload bytes
     */
    void ReportSignaling(uint32_t network, uint32_t payload);
    /**
     * A probe saw readable data. Counted only when a terminal sends or receives it: traffic
     * between other hosts (background load) is nobody's exposure here.
     * \param network where
     * \param src its source
     * \param dst its destination
     * \param payload its IP payload bytes
     */
    void ReportClearData(uint32_t network, Ipv4Address src, Ipv4Address dst, uint32_t payload);

    /**
     * \param network a network's index
     * \return what its probes saw
     */
    const NetworkStats& GetNetworkStats(uint32_t network) const;
    /**
     * \param terminal a terminal's index
     * \return what the probes saw of it
     */
    const TerminalStats& GetTerminalStats(uint32_t terminal) const;
    /**
     * \param session a session's index
     * \return what the probes saw of it (zero for a session never added)
     */
    SessionStats GetSessionStats(uint32_t session) const;

  private:
    /// Where a terminal stays and what was seen of it there.
    struct Stay
    {
        int network{-1};           //!< network now (-1: not yet placed)
        double start{0};           //!< arrival (s)
        double lastClear{-1};      //!< last clear data to or from it seen there (-1: none)
        bool protectedSeen{false}; //!< encrypted ESP to or from it seen there
    };

    /** \param terminal ends its stay: its exposure window */
    void EndStay(uint32_t terminal);
    /**
     * \param terminal a terminal
     * \param network a network
     * \return the terminal stays on the network and the network is untrusted
     */
    bool StaysUntrusted(int terminal, uint32_t network) const;

    std::vector<bool> m_trusted;                         //!< per network
    std::vector<NetworkStats> m_networks;                //!< per network
    std::vector<TerminalStats> m_terminals;              //!< per terminal
    std::vector<Stay> m_stays;                           //!< per terminal
    std::vector<SessionStats> m_sessions;                //!< per session
    std::unordered_map<uint32_t, int> m_owner;           //!< address → terminal
    std::map<std::pair<int, int>, uint32_t> m_sessionOf; //!< (a, b) → session
};

} // namespace ns3

#endif // PRESEC_EXPOSURE_MONITOR_H
