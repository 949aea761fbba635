/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "scenario-results.h"

#include "ns3/text-util.h"

#include <cmath>
#include <fstream>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <sstream>
#include <sys/stat.h>

namespace ns3
{

namespace
{

using json = nlohmann::json;

std::string
Num(double v)
{
    std::ostringstream o;
    o << std::fixed << std::setprecision(6) << v;
    return o.str();
}

/// A time or rate as summary.json carries it: rounded to six decimals, as the file had them
/// before, so the last bits of a double never show.
double
Fixed(double v)
{
    return std::round(v * 1e6) / 1e6 + 0.0; // + 0.0: no "-0.0"
}

/// Policy forms as one CSV field: "direction source > destination upper action
/// protocols/mode/level", joined by " | ".
std::string
FormsText(const std::vector<ScenarioPolicyForm>& forms)
{
    std::string t;
    for (const auto& f : forms)
    {
        t += (t.empty() ? "" : " | ") + f.direction + " " + f.source + " > " + f.destination + " " +
             f.upper + " " + f.action + " " + f.protocols + "/" + f.mode + "/" + f.level;
    }
    return t;
}

json
FormsJson(const std::vector<ScenarioPolicyForm>& forms)
{
    json a = json::array();
    for (const auto& f : forms)
    {
        a.push_back({{"direction", f.direction},
                     {"source", f.source},
                     {"destination", f.destination},
                     {"upper", f.upper},
                     {"action", f.action},
                     {"protocols", f.protocols},
                     {"mode", f.mode},
                     {"level", f.level}});
    }
    return a;
}

} // namespace

uint64_t
ScenarioRunResult::TotalExposure() const
{
    uint64_t t = 0;
    for (const auto& n : networks)
    {
        if (n.sniffed)
        {
            t += n.clearDataBytes;
        }
    }
    return t;
}

std::string
ScenarioRunResult::ToJson() const
{
    // nlohmann::json keeps object keys sorted (std::map): the layout is deterministic.
    json ts = json::array();
    for (const auto& t : terminals)
    {
        ts.push_back({{"name", t.name},
                      {"decision", t.decision},
                      {"path", t.path},
                      {"exposure_bytes", t.exposureBytes},
                      {"exposure_packets", t.exposurePackets},
                      {"protected_tx_packets", t.protectedTxPackets},
                      {"plain_tx_packets", t.plainTxPackets},
                      {"protected_rx_packets", t.protectedRxPackets},
                      {"plain_rx_packets", t.plainRxPackets},
                      {"ipsec_overhead_bytes", t.overheadBytes},
                      {"signaling_bytes", t.signalingBytes},
                      {"mismatch_drops", t.mismatchDrops},
                      {"drops", t.drops},
                      {"cpu_busy_s", Fixed(t.cpuBusySeconds)},
                      {"cpu_energy_j", Fixed(t.cpuEnergyJ)},
                      {"radio_energy_j", Fixed(t.radioEnergyJ)},
                      {"battery_percent", Fixed(t.batteryPercent)},
                      {"decisions", t.decisions},
                      {"protected_tx_bytes", t.protectedTxBytes},
                      {"protected_rx_bytes", t.protectedRxBytes},
                      {"exposure_window_s", Fixed(t.exposureWindowS)},
                      {"max_exposure_window_s", Fixed(t.maxExposureWindowS)},
                      {"ike_handovers", t.ikeHandovers},
                      {"ike_address_updates", t.ikeAddressUpdates},
                      {"ike_handover_messages", t.ikeHandoverMessages},
                      {"ike_handover_bytes", t.ikeHandoverBytes},
                      {"ike_time_to_protection_s", Fixed(t.ikeTimeToProtectionS)},
                      {"unplanned_associations", t.unplannedAssociations}});
    }
    json ss = json::array();
    for (const auto& s : sessions)
    {
        ss.push_back({{"caller", s.caller},
                      {"callee", s.callee},
                      {"voip_sent", s.sent},
                      {"voip_received", s.received},
                      {"voip_mean_delay_ms", Fixed(s.meanDelayMs)},
                      {"exposure_bytes", s.exposureBytes},
                      {"first_exposure_s", Fixed(s.firstExposure)},
                      {"last_exposure_s", Fixed(s.lastExposure)},
                      {"traffic", s.traffic},
                      {"voip_lost", s.lost},
                      {"voip_jitter_ms", Fixed(s.jitterMs)},
                      {"setup_latency_ms", Fixed(s.setupLatencyMs)},
                      {"bulk_bytes", s.bulkBytes},
                      {"voice_codec", s.codec},
                      {"voice_mouth_to_ear_ms", Fixed(s.mouthToEarMs)},
                      {"voice_loss_percent", Fixed(s.voiceLossPercent)},
                      {"voice_late_lost", s.lateLost},
                      {"voice_burst_ratio", Fixed(s.burstRatio)},
                      {"voice_r", Fixed(s.rFactor)},
                      {"voice_mos", Fixed(s.mos)},
                      {"voice_wire_kbps", Fixed(s.wireKbps)},
                      {"voice_wire_kbps_clear", Fixed(s.wireKbpsClear)},
                      {"voice_wire_kbps_protected", Fixed(s.wireKbpsProtected)}});
    }
    json ns = json::array();
    for (const auto& n : networks)
    {
        ns.push_back({{"name", n.name},
                      {"trusted", n.trusted},
                      {"sniffed", n.sniffed},
                      {"clear_data_bytes", n.clearDataBytes},
                      {"clear_data_packets", n.clearDataPackets},
                      {"signaling_bytes", n.signalingBytes},
                      {"protected_bytes", n.protectedBytes},
                      {"protected_packets", n.protectedPackets},
                      {"expected_clear_bytes", n.expectedClearBytes},
                      {"tampered", n.tampered},
                      {"tampered_protected_packets", n.tamperedProtected},
                      {"tampered_clear_packets", n.tamperedClear},
                      {"lan_drops", n.lanDrops}});
    }
    json hs = json::array();
    for (const auto& h : handovers)
    {
        hs.push_back({{"terminal", h.terminal},
                      {"at_s", Fixed(h.at)},
                      {"from", h.from},
                      {"to", h.to},
                      {"link_down_s", Fixed(h.linkDownS)},
                      {"link_up_s", Fixed(h.linkUpS)},
                      {"interruption_ms", Fixed(h.interruptionMs)},
                      {"detect_ms", Fixed(h.detectMs)},
                      {"link_ms", Fixed(h.linkMs)},
                      {"address_ms", Fixed(h.addressMs)},
                      {"presence_ms", Fixed(h.presenceMs)},
                      {"decision_ms", Fixed(h.decisionMs)},
                      {"sa_ms", Fixed(h.saMs)},
                      {"resume_ms", Fixed(h.resumeMs)},
                      {"lost_packets", h.lostPackets},
                      {"signalling_bytes", h.signallingBytes}});
    }
    json ds = json::array();
    for (const auto& d : decisions)
    {
        ds.push_back({{"terminal", d.terminal},
                      {"time_s", Fixed(d.timeS)},
                      {"entity", d.entity},
                      {"address", d.address},
                      {"user", d.user},
                      {"location", d.location},
                      {"network", d.network},
                      {"trusted", d.trusted},
                      {"timestamp", d.timestamp},
                      {"proposed", FormsJson(d.proposal)},
                      {"verdict", d.verdict},
                      {"reason", d.reason},
                      {"think_ms", Fixed(d.thinkMs)},
                      {"registered", FormsJson(d.registered)}});
    }
    json root = {{"scenario", scenario},
                 {"decision", decision},
                 {"seed", seed},
                 {"plain", plain},
                 {"duration_s", Fixed(duration)},
                 {"total_exposure_bytes", TotalExposure()},
                 {"tampered_protected_detected", tamperDetected},
                 {"tampered_protected_accepted", TamperedAccepted()},
                 {"terminals", ts},
                 {"sessions", ss},
                 {"networks", ns},
                 {"handovers", hs},
                 {"decisions", ds}};
    // Scenario texts are UTF-8 from libxml2; anything else is replaced, not an exception.
    return root.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

uint64_t
ScenarioRunResult::TamperedAccepted() const
{
    uint64_t tampered = 0;
    for (const auto& n : networks)
    {
        tampered += n.tamperedProtected;
    }
    return tampered > tamperDetected ? tampered - tamperDetected : 0;
}

std::string
ScenarioRunResult::ToCsv() const
{
    std::ostringstream o;
    o << "terminal,decision,path,exposure_bytes,exposure_packets,protected_tx,plain_tx,"
         "protected_rx,plain_rx,overhead_bytes,signaling_bytes,mismatch_drops,cpu_busy_ms,"
         "decisions,protected_tx_bytes,exposure_window_s,max_exposure_window_s,ike_handovers,"
         "ike_address_updates,ike_handover_messages,ike_handover_bytes,ike_time_to_protection_s,"
         "cpu_energy_j,radio_energy_j,battery_percent,unplanned_associations\n";
    for (const auto& t : terminals)
    {
        std::string path;
        for (const auto& p : t.path)
        {
            path += (path.empty() ? "" : ">") + p;
        }
        o << t.name << "," << t.decision << "," << path << "," << t.exposureBytes << ","
          << t.exposurePackets << "," << t.protectedTxPackets << "," << t.plainTxPackets << ","
          << t.protectedRxPackets << "," << t.plainRxPackets << "," << t.overheadBytes << ","
          << t.signalingBytes << "," << t.mismatchDrops << "," << Num(t.cpuBusySeconds * 1e3) << ","
          << t.decisions << "," << t.protectedTxBytes << "," << Num(t.exposureWindowS) << ","
          << Num(t.maxExposureWindowS) << "," << t.ikeHandovers << "," << t.ikeAddressUpdates << ","
          << t.ikeHandoverMessages << "," << t.ikeHandoverBytes << ","
          << Num(t.ikeTimeToProtectionS) << "," << Num(t.cpuEnergyJ) << "," << Num(t.radioEnergyJ)
          << "," << Num(t.batteryPercent) << "," << t.unplannedAssociations << "\n";
    }
    return o.str();
}

std::string
ScenarioRunResult::SessionsCsv() const
{
    std::ostringstream o;
    o << "caller,callee,traffic,voip_sent,voip_received,voip_lost,mean_delay_ms,jitter_ms,"
         "setup_latency_ms,bulk_bytes,exposure_bytes,first_exposure_s,last_exposure_s,codec,"
         "mouth_to_ear_ms,voice_loss_percent,late_lost,burst_ratio,r,mos,wire_kbps,wire_kbps_clear,"
         "wire_kbps_protected\n";
    for (const auto& s : sessions)
    {
        o << s.caller << "," << s.callee << "," << s.traffic << "," << s.sent << "," << s.received
          << "," << s.lost << "," << Num(s.meanDelayMs) << "," << Num(s.jitterMs) << ","
          << Num(s.setupLatencyMs) << "," << s.bulkBytes << "," << s.exposureBytes << ","
          << Num(s.firstExposure) << "," << Num(s.lastExposure) << "," << s.codec << ","
          << Num(s.mouthToEarMs) << "," << Num(s.voiceLossPercent) << "," << s.lateLost << ","
          << Num(s.burstRatio) << "," << Num(s.rFactor) << "," << Num(s.mos) << ","
          << Num(s.wireKbps) << "," << Num(s.wireKbpsClear) << "," << Num(s.wireKbpsProtected)
          << "\n";
    }
    return o.str();
}

std::string
ScenarioRunResult::HandoversCsv() const
{
    std::ostringstream o;
    o << "terminal,at_s,from,to,link_down_s,link_up_s,interruption_ms,detect_ms,link_ms,address_ms,"
         "presence_ms,"
         "decision_ms,sa_ms,resume_ms,lost_packets,signalling_bytes\n";
    for (const auto& h : handovers)
    {
        o << h.terminal << "," << Num(h.at) << "," << h.from << "," << h.to << ","
          << Num(h.linkDownS) << "," << Num(h.linkUpS) << "," << Num(h.interruptionMs) << ","
          << Num(h.detectMs) << "," << Num(h.linkMs) << "," << Num(h.addressMs) << ","
          << Num(h.presenceMs) << "," << Num(h.decisionMs) << "," << Num(h.saMs) << ","
          << Num(h.resumeMs) << "," << h.lostPackets << "," << h.signallingBytes << "\n";
    }
    return o.str();
}

std::string
ScenarioRunResult::TimelineCsv() const
{
    std::ostringstream o;
    o << "terminal,time_s,network,trusted,policy_level,policy,exposure_bytes,cpu_busy_ms\n";
    for (const auto& t : terminals)
    {
        for (const auto& x : t.timeline)
        {
            o << t.name << "," << Num(x.time) << "," << x.network << "," << (x.trusted ? 1 : 0)
              << "," << x.policyLevel << "," << x.policy << "," << x.exposureBytes << ","
              << Num(x.cpuBusySeconds * 1e3) << "\n";
        }
    }
    return o.str();
}

std::string
ScenarioRunResult::DecisionsCsv() const
{
    std::ostringstream o;
    o << "terminal,time_s,entity,address,user,location,network,trusted,timestamp,proposed,"
         "verdict,reason,think_ms,registered\n";
    for (const auto& d : decisions)
    {
        o << text::CsvField(d.terminal) << "," << Num(d.timeS) << "," << text::CsvField(d.entity)
          << "," << text::CsvField(d.address) << "," << text::CsvField(d.user) << ","
          << text::CsvField(d.location) << "," << text::CsvField(d.network) << ","
          << (d.trusted ? 1 : 0) << "," << text::CsvField(d.timestamp) << ","
          << text::CsvField(FormsText(d.proposal)) << "," << text::CsvField(d.verdict) << ","
          << text::CsvField(d.reason) << "," << Num(d.thinkMs) << ","
          << text::CsvField(FormsText(d.registered)) << "\n";
    }
    return o.str();
}

std::string
ScenarioResultsWriter::Write(const ScenarioRunResult& r, const std::string& dir)
{
    std::string path;
    for (size_t i = 0; i <= dir.size(); ++i)
    {
        if (i == dir.size() || dir[i] == '/')
        {
            path = dir.substr(0, i);
            if (!path.empty())
            {
                mkdir(path.c_str(), 0755);
            }
        }
    }
    auto write = [&](const std::string& name, const std::string& text) -> std::string {
        std::ofstream o(dir + "/" + name, std::ios::binary);
        o << text;
        return o ? "" : "cannot write " + dir + "/" + name;
    };
    std::string log;
    for (const auto& l : r.decisionLog)
    {
        log += l + "\n";
    }
    std::string e = write("summary.json", r.ToJson());
    if (e.empty())
    {
        e = write("terminals.csv", r.ToCsv());
    }
    if (e.empty())
    {
        e = write("sessions.csv", r.SessionsCsv());
    }
    if (e.empty())
    {
        e = write("timeline.csv", r.TimelineCsv());
    }
    if (e.empty())
    {
        e = write("handovers.csv", r.HandoversCsv());
    }
    if (e.empty())
    {
        e = write("decisions.csv", r.DecisionsCsv());
    }
    if (e.empty())
    {
        e = write("decisions.log", log);
    }
    return e;
}

} // namespace ns3
