/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_SCENARIO_H
#define PRESEC_SCENARIO_H

#include "ns3/crypto-profile.h"
#include "ns3/decision-model-factory.h"
#include "ns3/ipv4-address.h"
#include "ns3/parse-result.h"
#include "ns3/peer-traffic.h"

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-scenario
 * \file
 * Mobility scenario descriptions and their XML parser.
 *
 * Schema (every attribute not marked optional is mandatory; unknown elements and attributes
 * are errors; times are seconds, decimal):
 *
 * \code{.xml}
 * <scenario name="office-to-cafe" duration="60" seed="1">          seed optional (1)
 *   <network name="office" prefix="192.168.1.0/24"                  prefix: host bits zero,
 *            trusted="true" label="office"                           /8../30; label optional
 *                                                                    (= name); trusted true|false
 *            medium="wifi"                                           optional: csma|wifi (csma)
 *            position="0,0"                                          "x,y" in metres: optional
 *                                                                    for csma, mandatory for
 *                                                                    wifi (where the AP stands;
 *                                                                    APs >= 10 m apart)
 *            wiring="hub"                                            optional, csma: hub|switch
 *                        (hub: every frame reaches every station; switch: a learning
 *                        Ethernet switch, SwitchedEthernetChannel, with a port per station)
 *            access-rate="16Mbps/1Mbps"                              optional: the network
 *                        reaches the Internet core through an access link of this rate (RATE
 *                        or DOWN/UP; bps, kbps, Mbps, Gbps); without it the network hangs
 *                        directly off the core router (wifi: its AP is the access router)
 *            access-delay="15ms"                                     optional (0): its one-way
 *                        delay (s, ms, us)
 *            access-loss="0.001"                                     optional (0), [0,1): the
 *                        share of packets lost on it, each direction (ns-3 RateErrorModel)
 *            site="downtown"/>                                       optional: the <site> it
 *                        belongs to (its router stands between the network and the core;
 *                        a wifi network in a site needs access-rate)
 *   <site name="downtown" delay="5ms"                                 a group of networks: a
 *         rate="10Gbps" prefix="10.1.0.0/16"/>                        site router linked to the
 *                        core router by a link of that delay and rate (optional: 10Gbps);
 *                        prefix optional: every network of the site lies in it, and the
 *                        core holds one route for the site instead of one per network
 *   <terminal name="alice" network="office"                          network: where it starts
 *             entity="pres:alice@example.com" user="Alice"           optional
 *             decision="LocationAware"                               optional: LocationAware;
 *                        any registered UserDecisionModel by TypeId name
 *                        (ns3::MyDecisionModel) or a short alias of a built-in
 *                        (DecisionModelFactory: LocationAware, AcceptAsIs, AlwaysMaximum,
 *                        HumanUser, RuleTable, Callback)
 *             error-probability="0.05"                               optional, [0,1]: the
 *                        model's ErrorProbability attribute when it has one (HumanUser)
 *             cpu="x86-64-aesni"                                     optional: a builtin profile
 *                        or "file:PATH", a profile file (presec-calibrate's format; PATH
 *                        relative to the scenario file's folder; its faults are
 *                        "PATH:line:column: message")
 *             default-policy="none"                                  optional: none|esp|esp+ah
 *             request="both"                                         optional: what it asks
 *                        peers for (FIG. 4): both|presence|policy
 *             battery-wh="50">                                       optional (50, a laptop):
 *                        the battery the energy figures are a share of, (0, 10000] Wh
 *     <attribute name="AllowLowering" value="true"/>                 optional, any number: an
 *                        attribute of the decision model (name and value as for
 *                        Config::SetDefault; checked against the model's TypeId)
 *   </terminal>
 *   <move terminal="alice" at="30" network="cafe"/>                  0 < at < duration
 *   <move terminal="bob" at="5" network="cafe" speed="1.4"            optional, between wifi
 *         via="30,10;40,10"/>                                         networks: a walk at that
 *                        speed (m/s, (0, 100]) from the spot at the old AP, through the via
 *                        points (optional, x,y;x,y), to the spot at the new one; the AP
 *                        changes where coverage ends, and the terminal is on the new network
 *                        when it associates there (without speed: a jump)
 *   <wander terminal="bob" from="5" until="55"                       optional, one per
 *           area="0,-20;60,20" speed="1.4" pause="2"/>               terminal: random waypoint
 *                        within the rectangle (corners x,y;x,y, holding at least one Wi-Fi
 *                        AP) at speed (m/s, (0, 100]; optional 1.4) with a pause at each
 *                        waypoint (s, optional 0), from the terminal's spot on the Wi-Fi
 *                        network it is on at from (its <move>s come before), until it stops
 *                        where it is. The waypoints are drawn before the run from the RNG run;
 *                        the terminal changes network where it enters another AP's reach
 *                        and stays in it for 0.5 s (it associates by itself; see
 *                        RandomWaypointPlan)
 *   <session caller="alice" callee="bob" start="1"                   0 <= start < duration
 *            duration="50"                                           optional: until the end
 *            traffic="voip"                                          optional: voip|bulk|none
 *            bytes="1000000"                                         optional, bulk only
 *            codec="G.711" ptime="20"                                optional, voip only:
 *                        G.711|G.729|Opus (VoiceCodec), ptime in ms, a multiple of the
 *                        codec's 10 ms frame in [10, 120]
 *            jitter-buffer="40"                                      optional, voip only: a
 *                        fixed playout buffer (ms, [0, 1000]): each direction plays every
 *                        packet at its send time + the first packet's delay + this; later
 *                        packets are lost (late loss)
 *            relationship="colleague" purpose="business"/>           optional: unknown
 *   <eavesdropper network="cafe"                                     a sniffer on that segment
 *                 port="own"/>                                       (wifi: on its AP's air);
 *                        port optional, switched networks: own|mirror (own: a port of its
 *                        own, so it reads broadcasts and flooded frames only; mirror: the
 *                        switch's mirror port, every frame entering the switch). An untrusted
 *                        network without an <eavesdropper> is sniffed from a port of its own
 *   <registrar network="office"/>                                    optional, at most one,
 *                                                                    csma: a SipRegistrar at
 *                                                                    the network's last host
 *                                                                    address; every terminal
 *                                                                    REGISTERs its entity
 *   <tamperer network="cafe" probability="0.05"/>                    flips a bit in that share
 *                                                                    of ESP/AH and clear data
 *                                                                    frames (csma only)
 *   <background network="cafe" stations="4"                         other users of a network
 *               load="0.8" size="1000"/>                            with an access link: that
 *                        many stations on it (csma) receive and send UDP datagrams of size
 *                        bytes (optional: 1000; 64..1472) in Poisson streams from and to the
 *                        core router, offering load (0,1] of the access link's rate in each
 *                        direction together
 *   <background network="cafe-wifi" stations="4" rate="8Mbps"/>     on a wifi network: that
 *                        many stations 3 m from its AP (fixed addresses from the top of the
 *                        prefix, which DHCP then does not lease) exchange such streams with
 *                        the core router from 1 s on, offering rate (IP bit rate: payload,
 *                        UDP and IPv4 headers) in each direction together, in (0, 100Mbps]
 * </scenario>
 * \endcode
 *
 * The Internet core: networks with an access link, and sites, hang off a core router through
 * point-to-point links (ns-3 PointToPointNetDevice; link addresses from 100.64.0.0/10, which
 * network and site prefixes must then avoid). A packet between two networks crosses the
 * access link of each, and the site links of their sites when the sites differ. Without
 * access links and sites, one router joins the networks directly (a LAN).
 *
 * A csma network is one CSMA segment (the runner's attachment switch); a wifi network is an
 * access point with a DHCP server (WifiRoamingHelper): terminals on it are Wi-Fi stations that
 * move to the AP by mobility and get a lease. Both kinds may be mixed (WifiScenarioTopology):
 * a csma network is then a hub on its gateway (the Wi-Fi core's router, its site's router or
 * its access router) where terminals dock with a fixed address; switches, background on csma
 * networks and the registrar are for all-csma scenarios.
 *
 * Order of the child elements is free. Errors are "file:line: message" (the file part is
 * "<string>" for ParseString).
 *
 * Overrides (presec-run's `--set`) change an attribute of one element before the file is
 * checked, so every rule above applies to the new value: "scenario:key=value" for the root,
 * "network:NAME:key=value", "terminal:NAME:key=value", "tamperer:NETWORK:key=value",
 * "session:CALLER/CALLEE:key=value",
 * "site:NAME:key=value", "background:NETWORK:key=value", "wander:TERMINAL:key=value". An
 * element or name that the file does not have is an
 * error "--set=...: ..."; a bad key or value is the usual "file:line: message", followed by
 * "(after --set=...)".
 */

/** One network (one CSMA segment, or one Wi-Fi access point). */
struct ScenarioNetwork
{
    std::string medium{"csma"}; //!< csma or wifi
    bool hasPosition{false};    //!< a position was given
    double x{0};                //!< position (m)
    double y{0};                //!< position (m)
    bool switched{false};       //!< csma: a switch (a port per station), else a hub
    bool mirrored{false};       //!< switched: its eavesdropper is on a mirror port

    /** \return whether it is a Wi-Fi network */
    bool IsWifi() const
    {
        return medium == "wifi";
    }

    std::string name;         //!< unique name
    Ipv4Address prefix;       //!< network address
    uint8_t prefixLength{24}; //!< prefix length
    bool trusted{false};      //!< counts as a safe (private) network
    std::string label;        //!< location label announced by the presence agent
    bool hasAccess{false};    //!< it reaches the core through an access link
    uint64_t accessDown{0};   //!< access link rate towards the network (bit/s)
    uint64_t accessUp{0};     //!< access link rate from the network (bit/s)
    double accessDelay{0};    //!< access link one-way delay (s)
    double accessLoss{0};     //!< access link packet loss ratio, each direction
    std::string site;         //!< its site, or empty
    unsigned line{0};         //!< source line
    /** \return "a.b.c.d/len" */
    std::string PrefixText() const;
    /** \param a an address \return whether it lies in the prefix */
    bool Contains(Ipv4Address a) const;
};

/** A site: networks behind one site router, linked to the core router. */
struct ScenarioSite
{
    std::string name;           //!< unique name
    double delay{0};            //!< one-way delay of its link to the core (s)
    uint64_t rate{10000000000}; //!< rate of that link (bit/s)
    bool hasPrefix{false};      //!< a prefix was given (the core routes it as one)
    Ipv4Address prefix;         //!< the prefix holding every network of the site
    uint8_t prefixLength{0};    //!< its length
    unsigned line{0};           //!< source line
};

/** Other users of a network: load on its access link, or on its Wi-Fi air. */
struct ScenarioBackground
{
    std::string network;  //!< where (a csma network with an access link, or a wifi network)
    uint32_t stations{1}; //!< how many stations
    double load{0};       //!< csma: offered load, share of the access rate, each direction
    uint64_t rate{0};     //!< wifi: offered IP bit rate (bit/s), each direction
    uint32_t size{1000};  //!< UDP payload bytes per datagram
    unsigned line{0};     //!< source line
};

/** One terminal. */
struct ScenarioTerminal
{
    std::string name;                      //!< unique name
    std::string entity;                    //!< presentity (empty: pres:\<name\>\@presec.example)
    std::string user;                      //!< user name (empty: the name)
    std::string network;                   //!< start network
    std::string decision{"LocationAware"}; //!< decision model: alias or TypeId name
    DecisionModelFactory::Attributes decisionAttributes; //!< its attributes (checked)
    double errorProbability{0.05};   //!< the model's ErrorProbability, if it has one (HumanUser)
    std::string cpu{"x86-64-aesni"}; //!< crypto cost profile: a built-in name or "file:PATH"
    std::optional<CryptoProfile> cpuProfile; //!< the profile read from cpu="file:PATH"
    std::string defaultPolicy{"none"};       //!< none, esp or esp+ah
    std::string request{"both"};             //!< what step 501 asks peers for (FIG. 4)
    double batteryWh{50};                    //!< battery capacity (Wh), for battery percent
    unsigned line{0};                        //!< source line
};

/** A terminal changes network. */
struct ScenarioMove
{
    std::string terminal;                       //!< who
    double at{0};                               //!< when (s)
    std::string network;                        //!< where to
    double speed{0};                            //!< walking speed (m/s; 0: a jump)
    std::vector<std::pair<double, double>> via; //!< points the walk passes (x, y in metres)
    int wander{-1};   //!< a coverage change of Scenario::wanders[wander], or -1
    unsigned line{0}; //!< source line
};

/** One straight walk of a wander: from where the terminal stands to a waypoint. */
struct WanderLeg
{
    double depart{0}; //!< when it sets off (s)
    double x{0};      //!< where it walks to (m)
    double y{0};      //!< where it walks to (m)
};

/**
 * A terminal walks random waypoints within an area (ns-3's random waypoint model: a uniform
 * point of the area, a straight walk there at the speed, a pause, again). Its moves are the
 * coverage changes along that path (RandomWaypointPlan).
 */
struct ScenarioWander
{
    std::string terminal;        //!< who
    double from{0};              //!< when it sets off (s)
    double until{0};             //!< when it stops wherever it is (s)
    double x0{0};                //!< area: one corner (m)
    double y0{0};                //!< area: one corner (m)
    double x1{0};                //!< area: the opposite corner (m)
    double y1{0};                //!< area: the opposite corner (m)
    double speed{1.4};           //!< walking speed (m/s)
    double pause{0};             //!< pause at each waypoint (s)
    std::vector<WanderLeg> legs; //!< drawn before the run (RandomWaypointPlan::Expand)
    unsigned line{0};            //!< source line
};

/** A session (a call). */
struct ScenarioSession
{
    std::string caller;                  //!< requester
    std::string callee;                  //!< responder
    double start{0};                     //!< when Connect is called (s)
    double duration{0};                  //!< 0: until the end of the scenario
    std::string traffic{"voip"};         //!< voip, bulk or none
    uint64_t bulkBytes{1000000};         //!< bulk: bytes the caller sends over TCP
    std::string codec{"G.711"};          //!< voip: a VoiceCodec name
    double ptimeMs{20};                  //!< voip: packetization interval (ms)
    double jitterBufferMs{40};           //!< voip: playout delay beyond the first packet's (ms)
    std::string relationship{"unknown"}; //!< relationship
    std::string purpose{"unknown"};      //!< purpose
    unsigned line{0};                    //!< source line

    /** \return the codec's RTP packets: ptime, 12 + the codec's payload bytes, its payload
     *          type and clock */
    VoiceFormat GetVoiceFormat() const;
};

/** An active attacker on a network: changes frames (TamperErrorModel). */
struct ScenarioTamperer
{
    std::string network;      //!< where (a csma network)
    double probability{0.05}; //!< per ESP/AH or clear data frame
    unsigned line{0};         //!< source line
};

/** A whole scenario. */
struct Scenario
{
    std::string name;   //!< name
    double duration{0}; //!< simulated seconds
    uint32_t seed{1};   //!< default RNG run number (presec-run's --RngRun overrides it)
    std::vector<ScenarioNetwork> networks;       //!< networks, in file order
    std::vector<ScenarioTerminal> terminals;     //!< terminals, in file order
    std::vector<ScenarioMove> moves;             //!< moves, sorted by time (stable)
    std::vector<ScenarioWander> wanders;         //!< random waypoint walks, in file order
    std::vector<ScenarioSession> sessions;       //!< sessions, in file order
    std::vector<std::string> eavesdroppers;      //!< networks with a sniffer
    std::vector<ScenarioTamperer> tamperers;     //!< networks with an active attacker
    std::vector<ScenarioSite> sites;             //!< sites, in file order
    std::vector<ScenarioBackground> backgrounds; //!< background load, in file order
    std::string registrar;                       //!< network of the SIP registrar; empty: none
    unsigned registrarLine{0};                   //!< its source line
    std::string file;                            //!< where it was read from

    /** \param name a network name \return its index, -1 when unknown */
    int FindNetwork(const std::string& name) const;
    /** \param name a terminal name \return its index, -1 when unknown */
    int FindTerminal(const std::string& name) const;
    /** \return whether some network is a Wi-Fi network */
    bool HasWifi() const;
    /** \return whether some network is a CSMA network */
    bool HasCsma() const;
    /** \return whether the networks hang off an Internet core (access links or sites) */
    bool HasCore() const;
    /** \param name a site name \return its index, -1 when unknown */
    int FindSite(const std::string& name) const;
    /**
     * \return how far each access point reaches (m): half the smallest distance between two
     *         Wi-Fi APs, at most 50 m, so that coverage areas do not overlap and a terminal
     *         hears at most one AP
     */
    double GetWifiReach() const;

  private:
    mutable std::unordered_map<std::string, int> m_networkIndex;  //!< FindNetwork's cache
    mutable std::unordered_map<std::string, int> m_terminalIndex; //!< FindTerminal's cache
    mutable std::unordered_map<std::string, int> m_siteIndex;     //!< FindSite's cache
};

/** Parses scenario XML (see the schema above). Never aborts. */
class ScenarioParser
{
  public:
    /**
     * \param path a file
     * \param overrides attribute overrides applied before the checks (see above)
     * \return the scenario or the first error, "path:line: message"
     */
    static ParseResult<Scenario> ParseFile(const std::string& path,
                                           const std::vector<std::string>& overrides = {});
    /**
     * \param text XML text
     * \param fileName the name used in errors
     * \param overrides attribute overrides applied before the checks (see above)
     * \return the scenario or the first error, "fileName:line: message"
     */
    static ParseResult<Scenario> ParseString(const std::string& text,
                                             const std::string& fileName = "<string>",
                                             const std::vector<std::string>& overrides = {});
};

} // namespace ns3

#endif // PRESEC_SCENARIO_H
