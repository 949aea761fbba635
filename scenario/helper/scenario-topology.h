/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_SCENARIO_TOPOLOGY_H
#define PRESEC_SCENARIO_TOPOLOGY_H

#include "ns3/exposure-monitor-helper.h"
#include "ns3/exposure-monitor.h"
#include "ns3/ipv4-address.h"
#include "ns3/node-container.h"
#include "ns3/scenario.h"
#include "ns3/sip-registrar.h"
#include "ns3/tamper-error-model.h"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

class WiredLan;

/**
 * \ingroup presec-scenario
 * The nodes of a scenario run and where its terminals are: the router, the terminals, every
 * terminal's path (network by time) and the network it is on now, and the moves along the
 * path. CsmaScenarioTopology and WifiScenarioTopology build it; the scenario runner and its
 * helpers only ask it where terminals are and what addresses they have.
 */
class ScenarioTopology
{
  public:
    /// (time in seconds, network index): one step of a terminal's path.
    using Step = std::pair<double, size_t>;

    /// What a terminal's link did: the hand-over's link and address steps.
    enum class LinkEvent
    {
        DOWN,    //!< it left its network (Wi-Fi: lost its AP; wired: detached)
        UP,      //!< it joined one (Wi-Fi: associated; wired: attached)
        ADDRESS, //!< it has its address there (Wi-Fi: a DHCP lease; wired: fixed, at once)
    };
    /// A terminal's link event (terminal index, event), at the current time.
    typedef Callback<void, size_t, LinkEvent> LinkCallback;

    /**
     * \param scenario the scenario (kept by reference: it must outlive this object)
     * \param monitor the exposure monitor, told of addresses and arrivals
     */
    ScenarioTopology(const Scenario& scenario, Ptr<ExposureMonitor> monitor);
    virtual ~ScenarioTopology() = default;

    /**
     * Create the nodes, devices, stacks and addresses, and put every terminal on its start
     * network. Fixed random streams from stream on.
     * \param stream the first stream number; advanced past the streams used
     */
    virtual void Build(int64_t& stream) = 0;
    /**
     * Put an eavesdropper's probe on a network.
     * \param exposure the probes' helper
     * \param net the network index
     */
    virtual void InstallProbe(ExposureMonitorHelper& exposure, size_t net) = 0;
    /**
     * Pcap of every network, on the router (or access point) side.
     * \param prefix file name prefix
     */
    virtual void EnablePcap(const std::string& prefix) = 0;
    /**
     * Let a tamperer change the frames arriving at every station of a network (by default:
     * abort, a tamperer needs a CSMA network).
     * \param net the network index
     * \param model the tamperer's error model
     */
    virtual void SetReceiveErrorModel(size_t net, Ptr<TamperErrorModel> model);
    /**
     * Only with HasFixedAddresses (by default: abort).
     * \param i terminal index
     * \param net a network the terminal visits
     * \return the terminal's address there, known before the run
     */
    virtual Ipv4Address AddrOf(size_t i, size_t net) const;
    /// \return whether AddrOf is available (false: addresses come from DHCP)
    virtual bool HasFixedAddresses() const = 0;
    /**
     * \param i terminal index
     * \return the energy its radio has used so far (J; 0 without a radio energy model, as
     *         on CSMA)
     */
    virtual double GetRadioEnergy(size_t i) const;
    /**
     * \param i terminal index
     * \return how often its station associated with an AP the run had not planned for it
     *         then (0 without Wi-Fi): a move the path, the timeline and the hand-over
     *         breakdown do not show
     */
    virtual uint32_t GetUnplannedAssociations(size_t i) const;
    /**
     * \param net network index
     * \return the frames its LAN dropped so far, by reason (a switch and its stations'
     *         devices; empty on hubs and Wi-Fi)
     */
    virtual std::map<std::string, uint64_t> GetLanDrops(size_t net) const;

    /// Schedule every terminal's moves along its path (call once, after Build).
    void ScheduleMoves();
    /**
     * \param cb told of every terminal's link events from now on
     */
    void SetLinkCallback(LinkCallback cb);

    /// \return the terminals, in scenario order
    const NodeContainer& GetTerminals() const;
    /// \return the scenario's registrar, or null
    Ptr<SipRegistrar> GetRegistrar() const;
    /// \return the registrar's address (when there is one)
    Ipv4Address GetRegistrarAddress() const;
    /**
     * \param i terminal index
     * \return its path: the start network at time 0, then one step per move
     */
    const std::vector<Step>& GetPath(size_t i) const;
    /**
     * \param i terminal index
     * \return the network it is on now
     */
    size_t GetNetwork(size_t i) const;
    /**
     * \param i terminal index
     * \return every address it has had (or will have, on CSMA)
     */
    const std::set<uint32_t>& GetAddressHistory(size_t i) const;
    /**
     * \param i terminal index
     * \return the networks on its path, ascending
     */
    std::set<size_t> GetVisited(size_t i) const;
    /**
     * \param i terminal index
     * \param t time in seconds
     * \return the network it is on at t
     */
    size_t NetAt(size_t i, double t) const;
    /**
     * \param a an address
     * \return the index of the network whose prefix holds it, or -1
     */
    int NetOf(Ipv4Address a) const;
    /**
     * \param i terminal index
     * \return its first address on an interface that is up (Any: none)
     */
    Ipv4Address CurrentAddr(size_t i) const;
    /**
     * \param i terminal index
     * \return its address on the network it is on now (Any while it has none there: a Wi-Fi
     *         terminal keeps its old lease until it notices that it lost its AP)
     */
    Ipv4Address AddrHere(size_t i) const;

  protected:
    /// Fill every terminal's path from the scenario's start networks and moves.
    void SetPaths();
    /**
     * \param i terminal index
     * \param k a step of its path (>= 1)
     * \return the move that makes that step
     */
    const ScenarioMove& MoveOf(size_t i, size_t k) const;
    /**
     * Tell the link callback, if any.
     * \param i terminal index
     * \param e what happened
     */
    void NotifyLink(size_t i, LinkEvent e) const;
    /**
     * The terminal is on a network now: bookkeeping and the monitor.
     * \param i terminal index
     * \param net network index
     */
    void Arrive(size_t i, size_t net);
    /**
     * Before the run, plan the k-th step of a terminal's path (nothing by default).
     * \param i terminal index
     * \param k step index (>= 1)
     */
    virtual void PlanMove(size_t i, size_t k);
    /**
     * Before the run, after the terminal's moves are planned: plan the rest of its mobility
     * (a wander's legs; nothing by default).
     * \param i terminal index
     */
    virtual void PlanRest(size_t i);
    /**
     * At the move's time: take the terminal from one network to another (nothing by default).
     * \param i terminal index
     * \param from network index
     * \param to network index
     * \return whether it is on the new network now (false: a walk; the topology calls Arrive
     *         when it gets there)
     */
    virtual bool DoMove(size_t i, size_t from, size_t to);
    /**
     * The registrar (Scenario::registrar): a node of its own on its network's wire at the
     * prefix's last host address, with a default route through the network's .1.
     * \param lan the registrar's network
     * \param stream the next stream number; advanced
     */
    void BuildRegistrar(WiredLan& lan, int64_t& stream);

    const Scenario& m_sc;                                  //!< the scenario
    Ptr<ExposureMonitor> m_monitor;                        //!< told of addresses and arrivals
    size_t m_n{0};                                         //!< networks
    size_t m_t{0};                                         //!< terminals
    Ptr<Node> m_router;                                    //!< the router between the networks
    NodeContainer m_terms;                                 //!< the terminals
    Ptr<SipRegistrar> m_registrar;                         //!< the scenario's registrar, or null
    Ipv4Address m_registrarAddr;                           //!< its address
    std::vector<std::vector<Step>> m_path;                 //!< per terminal
    std::vector<size_t> m_current;                         //!< per terminal: network now
    std::vector<std::set<uint32_t>> m_addrHistory;         //!< every address a terminal had
    std::vector<std::vector<const ScenarioMove*>> m_moves; //!< per terminal: its moves
    LinkCallback m_link;                                   //!< told of link events (may be null)

  private:
    /// A network's addresses, first to last.
    struct PrefixRange
    {
        uint32_t first; //!< the prefix
        uint32_t last;  //!< its last address
        int network;    //!< network index
    };

    /// The networks by prefix (they do not overlap): NetOf per packet in O(log networks).
    std::vector<PrefixRange> m_byPrefix;

    /**
     * The scheduled move.
     * \param i terminal index
     * \param from network index
     * \param to network index
     */
    void Move(size_t i, size_t from, size_t to);
};

} // namespace ns3

#endif // PRESEC_SCENARIO_TOPOLOGY_H
