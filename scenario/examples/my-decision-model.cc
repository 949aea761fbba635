/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Tutorial: write your own decision model.
//
// In presec, before two apparatus talk, each one fetches the other's presence (where it is,
// who uses it) and its proposed security policy, and a *user* decides: accept the proposal,
// change part of it, or refuse (patent FIG. 3 and FIG. 10). A UserDecisionModel plays that
// user. This file writes a new one in about 30 lines, tries it on four peers, then runs it in
// a whole scenario (scenarios/office-to-cafe.xml) against the patent's LocationAware user.
//
// Run:  ./presec run my-decision-model  [--trustFamily=false] [--scenario=FILE] [--duration=S]

#include "ns3/boolean.h"
#include "ns3/command-line.h"
#include "ns3/scenario-runner.h"
#include "ns3/scenario.h"
#include "ns3/setkey-parser.h"
#include "ns3/user-decision-model.h"

#include <cstdio>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

using namespace ns3;

// ---------------------------------------------------------------------------------------------
// Step 1: derive from UserDecisionModel and override one function, DoDecide().
//
// Our user:
//  - never talks to advertisers;
//  - trusts family wherever they are (attribute TrustFamily, to show how attributes work);
//  - wants encryption (esp) whenever the peer or we are on a network that is not trusted;
//  - otherwise registers what the peer proposed.
// ---------------------------------------------------------------------------------------------
class MyDecisionModel : public UserDecisionModel
{
  public:
    // Every ns-3 object has a TypeId: its name, its parent, and its attributes. With it the
    // model can be created by name (ObjectFactory, Config) and configured from the command line.
    static TypeId GetTypeId()
    {
        static TypeId tid = TypeId("ns3::MyDecisionModel")
                                .SetParent<UserDecisionModel>()
                                .SetGroupName("Presec")
                                .AddConstructor<MyDecisionModel>()
                                .AddAttribute("TrustFamily",
                                              "Accept family members' proposals wherever they are.",
                                              BooleanValue(true),
                                              MakeBooleanAccessor(&MyDecisionModel::m_trustFamily),
                                              MakeBooleanChecker());
        return tid;
    }

  protected:
    // The whole decision. The context holds what the user sees: ctx.peer (the presence
    // document), ctx.proposal (the peer's policy, from the peer's side), ctx.peerTrusted,
    // ctx.ownTrusted, and what only the user knows: ctx.relationship and ctx.purpose.
    // The base class has already refused proposals it could not read, so we need not check.
    Decision DoDecide(const DecisionContext& ctx) override
    {
        if (ctx.purpose == "advertising")
        {
            return Refuse("no advertising"); // nothing is registered, no session starts
        }
        if (m_trustFamily && ctx.relationship == "family")
        {
            return Accept(ctx, "family: proposal accepted as is");
        }
        if (!ctx.peerTrusted || !ctx.ownTrusted)
        {
            // OurView(ctx) is the proposal turned to our side (our `out` to the peer, our `in`
            // from it). PolicySet::RaiseTo() adds esp where a policy protects less, and keeps
            // the rest.
            return Modify(PolicySet::RaiseTo(OurView(ctx), {IpsecProtocol::ESP}),
                          "untrusted network: at least esp");
        }
        return Accept(ctx, "both on trusted networks");
    }

  private:
    bool m_trustFamily{true}; //!< TrustFamily attribute
};

// Step 2: register the TypeId, so "ns3::MyDecisionModel" can be created by name.
NS_OBJECT_ENSURE_REGISTERED(MyDecisionModel);

// ---------------------------------------------------------------------------------------------
// Step 3: try it. In a simulation the apparatus application builds the contexts from the
// presence it received; here we write four by hand.
// ---------------------------------------------------------------------------------------------

namespace
{

/// A peer at \p address proposing the patent's light policy: udp in clear text both ways.
/// The proposal is written from the peer's side, as it arrives in its presence document.
DecisionContext
Peer(const std::string& address, const std::string& location, bool trusted)
{
    DecisionContext ctx;
    ctx.ownAddress = Ipv4Address("192.168.1.1");
    ctx.ownLocation = "office";
    ctx.ownTrusted = true;
    ctx.peer.entity = "pres:peer@example.com";
    ctx.peer.addresses = {Ipv4Address(address.c_str())};
    ctx.peer.location = location;
    ctx.peerTrusted = trusted;
    std::string own = "192.168.1.1";
    ctx.proposal = {
        SetkeyParser::ParsePolicy("spdadd " + address + " " + own + " udp -P out none;").GetValue(),
        SetkeyParser::ParsePolicy("spdadd " + own + " " + address + " udp -P in none;").GetValue(),
    };
    return ctx;
}

} // namespace

int
main(int argc, char* argv[])
{
    bool trustFamily = true;
    std::string scenario = "scenarios/office-to-cafe.xml";
    double duration = 0;
    CommandLine cmd(__FILE__);
    cmd.AddValue("trustFamily", "Accept family members' proposals anywhere", trustFamily);
    cmd.AddValue("scenario", "scenario file for step 4", scenario);
    cmd.AddValue("duration", "step 4: simulated seconds (0: the scenario's)", duration);
    cmd.Parse(argc, argv);

    Ptr<MyDecisionModel> model = CreateObject<MyDecisionModel>();
    model->SetAttribute("TrustFamily", BooleanValue(trustFamily));

    struct Case
    {
        const char* who;
        DecisionContext ctx;
    };

    Case colleague{"colleague in the office", Peer("192.168.1.2", "office", true)};
    colleague.ctx.relationship = "colleague";
    colleague.ctx.purpose = "business";

    Case friendOut{"friend on a public network", Peer("203.0.113.7", "external", false)};
    friendOut.ctx.relationship = "friend";
    friendOut.ctx.purpose = "private";

    Case familyOut{"family on a public network", Peer("198.51.100.20", "external", false)};
    familyOut.ctx.relationship = "family";
    familyOut.ctx.purpose = "private";

    Case advertiser{"advertiser", Peer("192.168.1.99", "office", true)};
    advertiser.ctx.purpose = "advertising";

    for (const Case& c : {colleague, friendOut, familyOut, advertiser})
    {
        Decision d = model->Decide(c.ctx);
        std::cout << c.who << " (" << c.ctx.peer.location << "): " << ToString(d.verdict) << " -- "
                  << d.reason << "\n";
        for (const SecurityPolicy& p : d.policies) // our side, ready for the SPD
        {
            std::cout << "    " << SetkeyParser::Print(p) << "\n";
        }
    }
    std::cout << "\n";
    model->GetStats().Print(std::cout);
    std::cout << "\n\n";

    // -----------------------------------------------------------------------------------------
    // Step 4: run it in a scenario. Registered (step 2), the model is known by its TypeId name
    // everywhere a decision model is named. In a scenario file of your own:
    //
    //   <terminal name="bob" network="office" decision="ns3::MyDecisionModel">
    //     <attribute name="TrustFamily" value="false"/>
    //   </terminal>
    //
    // Here we take office-to-cafe.xml as it is and make every terminal use the model, as
    // presec-run --decision=... does: once ours, once the patent's LocationAware user.
    // -----------------------------------------------------------------------------------------
    auto parsed = ScenarioParser::ParseFile(scenario);
    if (!parsed)
    {
        std::cerr << parsed.GetError() << " (--scenario=FILE)\n";
        return 1;
    }
    std::printf("%-22s %12s %10s %11s %10s %10s %9s\n",
                "decision",
                "exposure_B",
                "cpu_ms",
                "overhead_B",
                "protected",
                "plain",
                "decisions");
    // (model by TypeId name or alias, its attributes as text)
    std::vector<std::pair<std::string, DecisionModelFactory::Attributes>> contenders = {
        {"ns3::MyDecisionModel", {{"TrustFamily", trustFamily ? "true" : "false"}}},
        {"LocationAware", {}},
    };
    for (const auto& [name, attributes] : contenders)
    {
        ScenarioRunOptions options;
        options.decision = name;
        options.decisionAttributes = attributes;
        options.duration = duration;
        options.sampleInterval = 0;
        ScenarioRunResult r = ScenarioRunner::Run(parsed.GetValue(), options);
        double cpuMs = 0;
        uint64_t overhead = 0;
        uint64_t protectedTx = 0;
        uint64_t plainTx = 0;
        uint32_t decisions = 0;
        for (const auto& t : r.terminals)
        {
            cpuMs += t.cpuBusySeconds * 1e3;
            overhead += t.overheadBytes;
            protectedTx += t.protectedTxPackets;
            plainTx += t.plainTxPackets;
            decisions += t.decisions;
        }
        std::printf("%-22s %12llu %10.3f %11llu %10llu %10llu %9u\n",
                    name.c_str(),
                    (unsigned long long)r.TotalExposure(),
                    cpuMs,
                    (unsigned long long)overhead,
                    (unsigned long long)protectedTx,
                    (unsigned long long)plainTx,
                    decisions);
    }
    return 0;
}
