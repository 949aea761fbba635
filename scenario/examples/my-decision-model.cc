/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Tutorial: write your own decision model.
//
// In presec, before two apparatus talk, each one fetches the other's presence (where it is,
// who uses it) and its proposed security policy, and a *user* decides: accept the proposal,
// change part of it, or refuse (patent FIG. 3 and FIG. 10). A UserDecisionModel plays that
// user. This file writes a new one in about 30 lines (and one as a plain function), tries it
// on made-up peers, then runs both in a whole scenario (scenarios/office-to-cafe.xml) against
// the patent's LocationAware user. No other file needs editing.
//
// Run:  ./presec run my-decision-model  [--trustFamily=false] [--scenario=FILE] [--duration=S]

#include "ns3/boolean.h"
#include "ns3/command-line.h"
#include "ns3/decision-context-builder.h"
#include "ns3/decision-model-factory.h"
#include "ns3/ns3-attribute-text.h"
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
    // document), ctx.peerProposal (the peer's policy, from the peer's side; ctx.OurView() is
    // the same turned to our side, what Accept registers), ctx.peerTrusted,
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
            // ctx.OurView() is the proposal turned to our side (our `out` to the peer, our `in`
            // from it). PolicySet::RaiseTo() adds esp where a policy protects less, and keeps
            // the rest.
            return Modify(PolicySet::RaiseTo(ctx.OurView(), {IpsecProtocol::ESP}),
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
// Step 3 (optional): no class at all. A plain function, registered under a name, is a model
// too: scenario files and --decision accept "Cautious" like any TypeId.
// ---------------------------------------------------------------------------------------------
Decision
Cautious(const DecisionContext& ctx)
{
    if (ctx.peerTrusted && ctx.ownTrusted)
    {
        return UserDecisionModel::Accept(ctx, "both trusted");
    }
    return UserDecisionModel::Modify(
        PolicySet::SetTo(ctx.OurView(), {IpsecProtocol::ESP, IpsecProtocol::AH}),
        "someone untrusted: esp+ah");
}

int
main(int argc, char* argv[])
{
    bool trustFamily = true;
    std::string scenario = "scenarios/office-to-cafe.xml";
    double duration = 0;
    CommandLine cmd(__FILE__);
    cmd.AddValue("trustFamily", "Accept family members' proposals anywhere", trustFamily);
    cmd.AddValue("scenario", "scenario file for step 5", scenario);
    cmd.AddValue("duration", "step 5: simulated seconds (0: the scenario's)", duration);
    if (!ns3text::ParseCommandLine(cmd, argc, argv))
    {
        return 1;
    }

    DecisionModelFactory::Register("Cautious", &Cautious);

    // -----------------------------------------------------------------------------------------
    // Step 4: try it on made-up peers. In a simulation the apparatus builds the contexts from
    // the presence it received; DecisionContextBuilder makes them by hand (we are in a trusted
    // office; the peer proposes clear text unless Proposes() says otherwise).
    // -----------------------------------------------------------------------------------------
    Ptr<MyDecisionModel> model = CreateObject<MyDecisionModel>();
    model->SetAttribute("TrustFamily", BooleanValue(trustFamily));

    struct Case
    {
        const char* who;
        DecisionContext ctx;
    };

    std::vector<Case> cases = {
        {"colleague in the office",
         DecisionContextBuilder().Relationship("colleague").Purpose("business").Build()},
        {"friend on a public network",
         DecisionContextBuilder()
             .Peer("203.0.113.7", "external", false)
             .Relationship("friend")
             .Build()},
        {"family on a public network",
         DecisionContextBuilder()
             .Peer("198.51.100.20", "external", false)
             .Relationship("family")
             .Build()},
        {"advertiser", DecisionContextBuilder().Purpose("advertising").Build()},
        {"friend proposing esp",
         DecisionContextBuilder()
             .Peer("203.0.113.7", "external", false)
             .Proposes({IpsecProtocol::ESP})
             .Build()},
    };

    for (const Case& c : cases)
    {
        Decision d = model->Decide(c.ctx);
        std::cout << c.who << " (" << c.ctx.peerNetwork << "): " << ToString(d.verdict) << " -- "
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
    // Step 5: run it in a scenario. Registered (step 2), the model is known by its TypeId name
    // everywhere a decision model is named. In a scenario file of your own:
    //
    //   <terminal name="bob" network="office" decision="ns3::MyDecisionModel">
    //     <attribute name="TrustFamily" value="false"/>
    //   </terminal>
    //
    // Here we take office-to-cafe.xml as it is and make every terminal use the model, as
    // presec-run --decision=... does: ours, the registered function, and the patent's
    // LocationAware user.
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
        {"Cautious", {}},
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
