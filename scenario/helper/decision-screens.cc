/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "decision-screens.h"

#include "ns3/simulator.h"

#include <sstream>

namespace ns3
{

namespace
{

/// "address[/prefix][[port]]" as setkey writes a selector.
std::string
Range(const AddressRange& r)
{
    std::ostringstream o;
    r.address.Print(o);
    if (r.prefixLength != 32 || r.prefixWritten)
    {
        o << "/" << unsigned(r.prefixLength);
    }
    o << "[" << (r.port ? std::to_string(*r.port) : std::string("any")) << "]";
    return o.str();
}

std::vector<ScenarioPolicyForm>
Forms(const std::vector<SecurityPolicy>& policies)
{
    std::vector<ScenarioPolicyForm> out;
    for (const auto& p : policies)
    {
        out.push_back(DecisionScreens::Form(p));
    }
    return out;
}

} // namespace

DecisionScreens::DecisionScreens(std::vector<std::string> names, ScenarioRunResult& results)
    : m_names(std::move(names)),
      m_res(results)
{
}

ScenarioPolicyForm
DecisionScreens::Form(const SecurityPolicy& p)
{
    ScenarioPolicyForm f;
    f.direction = ToString(p.direction);
    f.source = Range(p.source);
    f.destination = Range(p.destination);
    f.upper = p.upper.ToString();
    f.action = ToString(p.action);
    f.protocols = f.mode = f.level = "-";
    for (size_t k = 0; k < p.requests.size(); ++k)
    {
        const IpsecRequest& q = p.requests[k];
        f.protocols = (k ? f.protocols + "+" : "") + ToString(q.protocol);
        f.mode = (k ? f.mode + "+" : "") + ToString(q.mode);
        f.level = (k ? f.level + "+" : "") + ToString(q.GetLevel());
    }
    return f;
}

void
DecisionScreens::Watch(size_t i, Ptr<SecurePeerApplication> app)
{
    app->TraceConnectWithoutContext(
        "Decided",
        Callback<void, const DecisionContext&, const Decision&>(
            [this, i](const DecisionContext& ctx, const Decision& d) { Decided(i, ctx, d); }));
}

void
DecisionScreens::Decided(size_t i, const DecisionContext& ctx, const Decision& d)
{
    if (m_res.decisions.size() >= ScenarioRunResult::MAX_DECISION_SCREENS)
    {
        return;
    }
    ScenarioDecisionRecord r;
    r.terminal = m_names.at(i);
    r.timeS = Simulator::Now().GetSeconds();
    r.entity = ctx.peer.entity;
    std::ostringstream a;
    ctx.GetPeerAddress().Print(a);
    r.address = a.str();
    r.user = ctx.peer.user;
    r.location = ctx.peer.location;
    r.network = ctx.peerNetwork;
    r.trusted = ctx.peerTrusted;
    r.timestamp = ctx.peer.timestamp;
    r.proposal = Forms(ctx.OurView());
    r.verdict = ToString(d.verdict);
    r.reason = d.reason;
    r.thinkMs = d.thinkTime.GetSeconds() * 1e3;
    r.registered = Forms(d.policies);
    m_res.decisions.push_back(std::move(r));
}

} // namespace ns3
