/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "scenario-results.h"

#include <cstdio>
#include <iomanip>
#include <sstream>

namespace ns3
{

namespace
{

std::string
Num(double v)
{
    std::ostringstream o;
    o << std::fixed << std::setprecision(6) << v;
    return o.str();
}

std::string
Quote(const std::string& s)
{
    std::string o = "\"";
    for (char c : s)
    {
        if (c == '"' || c == '\\')
        {
            o += '\\';
            o += c;
        }
        else if (static_cast<unsigned char>(c) < 0x20)
        {
            char b[8];
            std::snprintf(b, sizeof(b), "\\u%04x", unsigned(c));
            o += b;
        }
        else
        {
            o += c;
        }
    }
    return o + "\"";
}

/// Minimal JSON object with sorted keys.
class JObj
{
  public:
    JObj& Set(const std::string& k, const std::string& rawValue)
    {
        m_v[k] = rawValue;
        return *this;
    }

    JObj& Str(const std::string& k, const std::string& v)
    {
        return Set(k, Quote(v));
    }

    JObj& U(const std::string& k, uint64_t v)
    {
        return Set(k, std::to_string(v));
    }

    JObj& D(const std::string& k, double v)
    {
        return Set(k, Num(v));
    }

    JObj& B(const std::string& k, bool v)
    {
        return Set(k, v ? "true" : "false");
    }

    std::string Text(int indent) const
    {
        std::string pad(indent + 2, ' ');
        std::string o = "{";
        bool first = true;
        for (const auto& [k, v] : m_v)
        {
            o += (first ? "\n" : ",\n") + pad + Quote(k) + ": " + v;
            first = false;
        }
        return o + (m_v.empty() ? "}" : "\n" + std::string(indent, ' ') + "}");
    }

  private:
    std::map<std::string, std::string> m_v;
};

std::string
JArr(const std::vector<std::string>& items, int indent)
{
    if (items.empty())
    {
        return "[]";
    }
    std::string pad(indent + 2, ' ');
    std::string o = "[";
    for (size_t i = 0; i < items.size(); ++i)
    {
        o += (i ? ",\n" : "\n") + pad + items[i];
    }
    return o + "\n" + std::string(indent, ' ') + "]";
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
    std::vector<std::string> ts;
    for (const auto& t : terminals)
    {
        JObj d;
        for (const auto& [k, v] : t.drops)
        {
            d.U(k, v);
        }
        std::vector<std::string> path;
        for (const auto& p : t.path)
        {
            path.push_back(Quote(p));
        }
        JObj o;
        o.Str("name", t.name)
            .Str("decision", t.decision)
            .Set("path", JArr(path, 6))
            .U("exposure_bytes", t.exposureBytes)
            .U("exposure_packets", t.exposurePackets)
            .U("protected_tx_packets", t.protectedTxPackets)
            .U("plain_tx_packets", t.plainTxPackets)
            .U("protected_rx_packets", t.protectedRxPackets)
            .U("plain_rx_packets", t.plainRxPackets)
            .U("ipsec_overhead_bytes", t.overheadBytes)
            .U("signaling_bytes", t.signalingBytes)
            .U("mismatch_drops", t.mismatchDrops)
            .Set("drops", d.Text(6))
            .D("cpu_busy_s", t.cpuBusySeconds)
            .U("decisions", t.decisions)
            .U("protected_tx_bytes", t.protectedTxBytes)
            .U("protected_rx_bytes", t.protectedRxBytes)
            .D("exposure_window_s", t.exposureWindowS)
            .D("max_exposure_window_s", t.maxExposureWindowS)
            .U("ike_handovers", t.ikeHandovers)
            .U("ike_address_updates", t.ikeAddressUpdates)
            .U("ike_handover_messages", t.ikeHandoverMessages)
            .U("ike_handover_bytes", t.ikeHandoverBytes)
            .D("ike_time_to_protection_s", t.ikeTimeToProtectionS);
        ts.push_back(o.Text(4));
    }
    std::vector<std::string> ss;
    for (const auto& s : sessions)
    {
        JObj o;
        o.Str("caller", s.caller)
            .Str("callee", s.callee)
            .U("voip_sent", s.sent)
            .U("voip_received", s.received)
            .D("voip_mean_delay_ms", s.meanDelayMs)
            .U("exposure_bytes", s.exposureBytes)
            .D("first_exposure_s", s.firstExposure)
            .D("last_exposure_s", s.lastExposure)
            .Str("traffic", s.traffic)
            .U("voip_lost", s.lost)
            .D("voip_jitter_ms", s.jitterMs)
            .D("setup_latency_ms", s.setupLatencyMs)
            .U("bulk_bytes", s.bulkBytes);
        ss.push_back(o.Text(4));
    }
    std::vector<std::string> ns;
    for (const auto& n : networks)
    {
        JObj o;
        o.Str("name", n.name)
            .B("trusted", n.trusted)
            .B("sniffed", n.sniffed)
            .U("clear_data_bytes", n.clearDataBytes)
            .U("clear_data_packets", n.clearDataPackets)
            .U("signaling_bytes", n.signalingBytes)
            .U("protected_bytes", n.protectedBytes)
            .U("protected_packets", n.protectedPackets)
            .U("expected_clear_bytes", n.expectedClearBytes)
            .B("tampered", n.tampered)
            .U("tampered_protected_packets", n.tamperedProtected)
            .U("tampered_clear_packets", n.tamperedClear);
        ns.push_back(o.Text(4));
    }
    JObj root;
    root.Str("scenario", scenario)
        .Str("decision", decision)
        .U("seed", seed)
        .B("plain", plain)
        .D("duration_s", duration)
        .U("total_exposure_bytes", TotalExposure())
        .U("tampered_protected_detected", tamperDetected)
        .U("tampered_protected_accepted", TamperedAccepted())
        .Set("terminals", JArr(ts, 2))
        .Set("sessions", JArr(ss, 2))
        .Set("networks", JArr(ns, 2));
    return root.Text(0) + "\n";
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
         "ike_address_updates,ike_handover_messages,ike_handover_bytes,ike_time_to_protection_s\n";
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
          << Num(t.ikeTimeToProtectionS) << "\n";
    }
    return o.str();
}

std::string
ScenarioRunResult::SessionsCsv() const
{
    std::ostringstream o;
    o << "caller,callee,traffic,voip_sent,voip_received,voip_lost,mean_delay_ms,jitter_ms,"
         "setup_latency_ms,bulk_bytes,exposure_bytes,first_exposure_s,last_exposure_s\n";
    for (const auto& s : sessions)
    {
        o << s.caller << "," << s.callee << "," << s.traffic << "," << s.sent << "," << s.received
          << "," << s.lost << "," << Num(s.meanDelayMs) << "," << Num(s.jitterMs) << ","
          << Num(s.setupLatencyMs) << "," << s.bulkBytes << "," << s.exposureBytes << ","
          << Num(s.firstExposure) << "," << Num(s.lastExposure) << "\n";
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

} // namespace ns3
