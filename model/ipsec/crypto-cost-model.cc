/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "crypto-cost-model.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("CryptoCostModel");

NS_OBJECT_ENSURE_REGISTERED(CryptoCostModel);

namespace
{

/// Round a cycle count computed in floating point to the engine's integer cycles; clamped
/// because a profile may hold figures up to 1e12 and a packet up to 4 GiB.
uint64_t
ToCycles(double cycles)
{
    if (!(cycles > 0))
    {
        return 0;
    }
    if (cycles >= static_cast<double>(std::numeric_limits<uint64_t>::max()))
    {
        return std::numeric_limits<uint64_t>::max();
    }
    return static_cast<uint64_t>(std::llround(cycles));
}

} // namespace

TypeId
CryptoCostModel::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::CryptoCostModel")
            .SetParent<Object>()
            .SetGroupName("Presec")
            .AddConstructor<CryptoCostModel>()
            .AddAttribute("Profile",
                          "Name of a built-in crypto profile (x86-64-aesni, cortex-a53-ce, "
                          "xscale-pxa250, free).",
                          StringValue("x86-64-aesni"),
                          MakeStringAccessor(&CryptoCostModel::SetProfileName,
                                             &CryptoCostModel::GetProfileName),
                          MakeStringChecker())
            .AddAttribute("ProfileFile",
                          "Path of a profile file (e.g. from presec-calibrate). When set it "
                          "replaces the Profile attribute's profile; empty means none.",
                          StringValue(""),
                          MakeStringAccessor(&CryptoCostModel::SetProfileFile,
                                             &CryptoCostModel::GetProfileFile),
                          MakeStringChecker())
            .AddAttribute("Frequency",
                          "Clock of this node's CPU in Hz; cycles are divided by it. 0 uses "
                          "the clock the profile was measured at.",
                          DoubleValue(0),
                          MakeDoubleAccessor(&CryptoCostModel::m_frequency),
                          MakeDoubleChecker<double>(0))
            .AddAttribute("Enabled",
                          "When false every job takes zero time and nothing is recorded.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&CryptoCostModel::m_enabled),
                          MakeBooleanChecker())
            .AddAttribute("MaxHistory",
                          "Busy periods kept for GetUtilization (0 = unlimited); the oldest "
                          "are dropped first. Back-to-back jobs share one period.",
                          UintegerValue(1000000),
                          MakeUintegerAccessor(&CryptoCostModel::m_maxHistory),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("MaxBacklog",
                          "Jobs the engine holds at most: a protected packet arriving while "
                          "this many are not done is dropped (IpsecDropReason crypto-backlog; each "
                          "layer of a bundle is a job), "
                          "as Linux's netdev_max_backlog (1000) drops what an overloaded CPU "
                          "cannot take. 0: no bound (overload is only delay).",
                          UintegerValue(1000),
                          MakeUintegerAccessor(&CryptoCostModel::m_maxBacklog),
                          MakeUintegerChecker<uint32_t>())
            .AddTraceSource("BusyTime",
                            "Accumulated busy time of the crypto engine.",
                            MakeTraceSourceAccessor(&CryptoCostModel::m_busyTime),
                            "ns3::TracedValueCallback::Time")
            .AddTraceSource("Job",
                            "A job was booked: cycles, start time, duration.",
                            MakeTraceSourceAccessor(&CryptoCostModel::m_jobTrace),
                            "ns3::CryptoCostModel::JobTracedCallback");
    return tid;
}

CryptoCostModel::CryptoCostModel()
    : m_profile(*CryptoProfile::GetBuiltin("x86-64-aesni")),
      m_busyTime(Time(0))
{
    NS_LOG_FUNCTION(this);
}

CryptoCostModel::~CryptoCostModel()
{
    NS_LOG_FUNCTION(this);
}

void
CryptoCostModel::DoDispose()
{
    m_history.clear();
    m_pending.clear();
    Object::DoDispose();
}

void
CryptoCostModel::SetProfile(const CryptoProfile& profile)
{
    NS_LOG_FUNCTION(this << profile.name);
    // Cycles are divided by the clock; parsed and built-in profiles always have one.
    NS_ABORT_MSG_UNLESS(profile.frequencyHz > 0 && std::isfinite(profile.frequencyHz),
                        "CryptoCostModel: profile '" << profile.name << "' has no clock");
    m_profile = profile;
}

const CryptoProfile&
CryptoCostModel::GetProfile() const
{
    return m_profile;
}

void
CryptoCostModel::SetProfileName(const std::string& name)
{
    auto builtin = CryptoProfile::GetBuiltin(name);
    // A typo here would silently simulate the wrong CPU: stop instead.
    NS_ABORT_MSG_UNLESS(builtin, "CryptoCostModel: unknown built-in profile '" << name << "'");
    SetProfile(*builtin);
}

std::string
CryptoCostModel::GetProfileName() const
{
    return m_profile.name;
}

void
CryptoCostModel::SetProfileFile(const std::string& path)
{
    m_profileFile = path;
    if (path.empty())
    {
        return;
    }
    // Attribute setters cannot report failure during construction (ns-3 ignores it), so a
    // bad file aborts with the parser's message; LoadProfileFile is the non-fatal route.
    auto result = LoadProfileFile(path);
    NS_ABORT_MSG_UNLESS(result,
                        "CryptoCostModel: profile file '" << path << "': " << result.Describe());
}

std::string
CryptoCostModel::GetProfileFile() const
{
    return m_profileFile;
}

ParseResult<CryptoProfile>
CryptoCostModel::LoadProfileFile(const std::string& path)
{
    NS_LOG_FUNCTION(this << path);
    auto result = CryptoProfile::Load(path);
    if (result)
    {
        SetProfile(result.GetValue());
    }
    else
    {
        NS_LOG_WARN("profile file " << path << ": " << result.Describe());
    }
    return result;
}

double
CryptoCostModel::GetEffectiveFrequency() const
{
    return m_frequency > 0 ? m_frequency : m_profile.frequencyHz;
}

Time
CryptoCostModel::CyclesToTime(uint64_t cycles) const
{
    // Seconds(double) rounds to the time resolution; long double keeps the exact cycle
    // count for large jobs before the division.
    return Seconds(static_cast<double>(static_cast<long double>(cycles) / GetEffectiveFrequency()));
}

Time
CryptoCostModel::Reserve(uint64_t cycles)
{
    if (!m_enabled)
    {
        return Time(0);
    }
    Time now = Simulator::Now();
    Time start = std::max(now, m_busyUntil);
    Time duration = CyclesToTime(cycles);
    m_busyUntil = start + duration;
    if (m_maxBacklog > 0 && m_busyUntil > now)
    {
        ForgetDoneJobs(now); // also on nodes that only send, which never ask IsBacklogFull
        m_pending.push_back(m_busyUntil);
    }
    ++m_jobs;
    m_cycles += cycles;
    m_busyTime = m_busyTime.Get() + duration;

    if (duration.IsStrictlyPositive())
    {
        // Back-to-back work is one busy period, which keeps the history short under load.
        if (!m_history.empty() && m_history.back().end == start)
        {
            m_history.back().end = m_busyUntil;
        }
        else
        {
            m_history.push_back(BusyPeriod{start, m_busyUntil});
            if (m_maxHistory > 0 && m_history.size() > m_maxHistory)
            {
                m_history.pop_front();
            }
        }
    }
    NS_LOG_LOGIC("job of " << cycles << " cycles: start " << start.As(Time::US) << ", runs "
                           << duration.As(Time::US) << ", delay "
                           << (m_busyUntil - now).As(Time::US));
    m_jobTrace(cycles, start, duration);
    return m_busyUntil - now;
}

bool
CryptoCostModel::IsBacklogFull()
{
    if (m_maxBacklog == 0)
    {
        return false;
    }
    ForgetDoneJobs(Simulator::Now());
    return m_pending.size() - m_pendingHead >= m_maxBacklog;
}

void
CryptoCostModel::ForgetDoneJobs(Time now)
{
    // The engine serves jobs in booking order, so their end times only grow.
    while (m_pendingHead < m_pending.size() && m_pending[m_pendingHead] <= now)
    {
        ++m_pendingHead;
    }
    if (m_pendingHead == m_pending.size())
    {
        m_pending.clear();
        m_pendingHead = 0;
    }
    else if (m_pendingHead >= 64 && 2 * m_pendingHead >= m_pending.size())
    {
        m_pending.erase(m_pending.begin(), m_pending.begin() + m_pendingHead);
        m_pendingHead = 0;
    }
}

Time
CryptoCostModel::ProcessPacket(IpsecProtocol proto,
                               EncryptionAlgorithm enc,
                               AuthenticationAlgorithm auth,
                               bool outbound,
                               uint32_t bytes)
{
    NS_LOG_FUNCTION(this << static_cast<int>(proto) << ToString(enc) << ToString(auth) << outbound
                         << bytes);
    if (!m_enabled)
    {
        return Time(0);
    }
    m_bytes += bytes;
    return Reserve(ToCycles(m_profile.PacketCycles(proto, enc, auth, outbound, bytes)));
}

Time
CryptoCostModel::ProcessKeyOperation(KeyOperation op)
{
    NS_LOG_FUNCTION(this << ToString(op));
    return Reserve(ToCycles(m_profile.KeyCycles(op)));
}

Time
CryptoCostModel::GetBusyTime() const
{
    return m_busyTime.Get();
}

uint64_t
CryptoCostModel::GetBytesProcessed() const
{
    return m_bytes;
}

uint64_t
CryptoCostModel::GetJobs() const
{
    return m_jobs;
}

uint64_t
CryptoCostModel::GetCycles() const
{
    return m_cycles;
}

Time
CryptoCostModel::GetBusyUntil() const
{
    return m_busyUntil;
}

double
CryptoCostModel::GetUtilization(Time start, Time end) const
{
    if (end <= start)
    {
        return 0;
    }
    if (!m_history.empty() && m_maxHistory > 0 && m_history.size() >= m_maxHistory &&
        start < m_history.front().start)
    {
        NS_LOG_WARN("utilisation from " << start.As(Time::S)
                                        << " reaches before the oldest kept busy period");
    }
    // Periods are in time order and disjoint: skip those ending before the interval.
    auto it = std::upper_bound(m_history.begin(),
                               m_history.end(),
                               start,
                               [](const Time& t, const BusyPeriod& p) { return t < p.end; });
    Time busy(0);
    for (; it != m_history.end() && it->start < end; ++it)
    {
        busy += std::min(end, it->end) - std::max(start, it->start);
    }
    return busy.GetDouble() / (end - start).GetDouble();
}

void
CryptoCostModel::ResetStatistics()
{
    NS_LOG_FUNCTION(this);
    m_bytes = 0;
    m_jobs = 0;
    m_cycles = 0;
    m_busyTime = Time(0);
    m_history.clear();
}

} // namespace ns3
