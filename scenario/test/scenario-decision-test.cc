/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Decision models by name (DecisionModelFactory): a model defined only in this file is named
// in a scenario file by its TypeId, with an attribute that changes what it does; misspelt
// names and bad attributes are file:line errors listing what is available. Scenario
// overrides (presec-run's --set) and the run number (the scenario's seed by default,
// ScenarioRunOptions::seed over it).

#include "ns3/boolean.h"
#include "ns3/decision-model-factory.h"
#include "ns3/nstime.h"
#include "ns3/scenario-runner.h"
#include "ns3/scenario.h"
#include "ns3/text-util.h"

#include <cstdio>
#include <fstream>
#include <gtest/gtest.h>
#include <string>
#include <unistd.h>

namespace ns3
{

/// A model only this test knows: accepts every proposal, or raises it to ESP when the
/// attribute Protect is true.
class ScenarioTestDecisionModel : public UserDecisionModel
{
  public:
    /** \return the TypeId */
    static TypeId GetTypeId()
    {
        static TypeId tid =
            TypeId("ns3::ScenarioTestDecisionModel")
                .SetParent<UserDecisionModel>()
                .SetGroupName("Presec")
                .AddConstructor<ScenarioTestDecisionModel>()
                .AddAttribute("Protect",
                              "Raise every proposal to ESP.",
                              BooleanValue(false),
                              MakeBooleanAccessor(&ScenarioTestDecisionModel::m_protect),
                              MakeBooleanChecker())
                .AddAttribute("Patience",
                              "Unused: a Time attribute, to check how times are read.",
                              TimeValue(Seconds(1)),
                              MakeTimeAccessor(&ScenarioTestDecisionModel::m_patience),
                              MakeTimeChecker());
        return tid;
    }

  protected:
    Decision DoDecide(const DecisionContext& ctx) override
    {
        if (m_protect)
        {
            return Modify(PolicySet::RaiseTo(ctx.OurView(), {IpsecProtocol::ESP}), "test: esp");
        }
        return Accept(ctx, "test: as proposed");
    }

  private:
    bool m_protect{false}; //!< Protect attribute
    Time m_patience;       //!< Patience attribute
};

NS_OBJECT_ENSURE_REGISTERED(ScenarioTestDecisionModel);

} // namespace ns3

using namespace ns3;

namespace
{

/// A scenario file in the test's temporary folder; removed at the end of the test.
class ScenarioFile
{
  public:
    /// \param terminalB the <terminal> element(s) of b, from line 5
    explicit ScenarioFile(const std::string& terminalB, const std::string& seed = "1")
        : m_path(std::string(::testing::TempDir()) + "presec-decision-" +
                 std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".xml")
    {
        std::ofstream f(m_path);
        f << "<scenario name=\"by-name\" duration=\"20\" seed=\"" << seed << "\">\n" // line 1
          << "<network name=\"office\" prefix=\"192.168.1.0/24\" trusted=\"true\"/>\n"
          << "<network name=\"cafe\" prefix=\"133.134.10.0/24\" trusted=\"false\" "
             "label=\"external\"/>\n"
          << "<terminal name=\"a\" network=\"office\" decision=\"AcceptAsIs\"/>\n" // line 4
          << terminalB << "\n"                                                     // line 5..
          << "<session caller=\"a\" callee=\"b\" start=\"1\"/>\n"
          << "<move terminal=\"b\" at=\"10\" network=\"cafe\"/>\n"
          << "<eavesdropper network=\"cafe\"/>\n"
          << "</scenario>\n";
    }

    ~ScenarioFile()
    {
        std::remove(m_path.c_str());
    }

    const std::string& Path() const
    {
        return m_path;
    }

  private:
    std::string m_path;
};

/// b runs ScenarioTestDecisionModel with Protect = \p protect.
ScenarioRunResult
RunTestModel(const char* protect)
{
    ScenarioFile f(std::string("<terminal name=\"b\" network=\"office\" "
                               "decision=\"ns3::ScenarioTestDecisionModel\">\n") + // line 5
                   "  <attribute name=\"Protect\" value=\"" +
                   protect + "\"/>\n" + // line 6
                   "</terminal>");
    auto p = ScenarioParser::ParseFile(f.Path());
    EXPECT_TRUE(p.IsOk()) << p.GetError();
    if (!p)
    {
        return {};
    }
    const ScenarioTerminal& b = p.GetValue().terminals[1];
    EXPECT_EQ(b.decision, "ns3::ScenarioTestDecisionModel");
    EXPECT_EQ(b.decisionAttributes,
              (DecisionModelFactory::Attributes{{"Protect", std::string(protect)}}));
    return ScenarioRunner::Run(p.GetValue(), ScenarioRunOptions{});
}

} // namespace

TEST(DecisionModelByName, ModelOfTheTestFileRunsAndItsAttributeTakesEffect)
{
    ScenarioRunResult open = RunTestModel("false");
    ScenarioRunResult safe = RunTestModel("true");
    ASSERT_EQ(open.terminals.size(), 2u);
    ASSERT_EQ(safe.terminals.size(), 2u);
    EXPECT_EQ(safe.terminals[1].decision, "ns3::ScenarioTestDecisionModel");
    EXPECT_GT(open.terminals[1].decisions, 0u); // the model was asked
    EXPECT_GT(safe.terminals[1].decisions, 0u);
    // Protect=false accepts a's clear proposal: the cafe reads the voice, nothing is protected.
    EXPECT_GT(open.networks[1].clearDataBytes, 0u);
    EXPECT_EQ(open.terminals[1].protectedTxPackets, 0u);
    // Protect=true raises to ESP: protected packets, (almost) no clear data in the cafe (a,
    // accepting as is, may send one clear packet before b's new policy reaches it).
    EXPECT_LT(safe.networks[1].clearDataBytes, open.networks[1].clearDataBytes / 10);
    EXPECT_GT(safe.terminals[1].protectedTxPackets, 0u);
    EXPECT_GT(safe.networks[1].protectedPackets, 0u);
}

TEST(DecisionModelByName, RegisteredFunctionRunsByName)
{
    // A model without a class: a function registered under a name, used in a scenario file.
    DecisionModelFactory::Register("ScenarioTestEspFunction", [](const DecisionContext& ctx) {
        return UserDecisionModel::Modify(PolicySet::RaiseTo(ctx.OurView(), {IpsecProtocol::ESP}),
                                         "function: esp");
    });
    ScenarioFile f("<terminal name=\"b\" network=\"office\" "
                   "decision=\"ScenarioTestEspFunction\"/>");
    auto p = ScenarioParser::ParseFile(f.Path());
    ASSERT_TRUE(p.IsOk()) << p.GetError();
    ScenarioRunResult r = ScenarioRunner::Run(p.GetValue(), ScenarioRunOptions{});
    ASSERT_EQ(r.terminals.size(), 2u);
    EXPECT_EQ(r.terminals[1].decision, "ScenarioTestEspFunction");
    EXPECT_GT(r.terminals[1].decisions, 0u);
    EXPECT_GT(r.terminals[1].protectedTxPackets, 0u); // the function's ESP took effect
    EXPECT_GT(r.networks[1].protectedPackets, 0u);
}

TEST(DecisionModelByName, MisspeltNameListsTheAvailableModels)
{
    ScenarioFile f("<terminal name=\"b\" network=\"office\" "
                   "decision=\"ns3::ScenarioTestDecisionModle\"/>");
    auto p = ScenarioParser::ParseFile(f.Path());
    ASSERT_FALSE(p.IsOk());
    const std::string& e = p.GetError();
    EXPECT_EQ(e.rfind(f.Path() + ":5: unknown decision model 'ns3::ScenarioTestDecisionModle' "
                                 "(available: ",
                      0),
              0u)
        << e;
    EXPECT_NE(e.find("ns3::LocationAwareDecisionModel (LocationAware)"), std::string::npos) << e;
    EXPECT_NE(e.find("ns3::RuleTableDecisionModel"), std::string::npos) << e;
    EXPECT_NE(e.find("ns3::ScenarioTestDecisionModel", e.find("(available: ")), std::string::npos)
        << e;                                                            // registered in this file
    EXPECT_EQ(e.find("ns3::UserDecisionModel"), std::string::npos) << e; // abstract
    // A TypeId that exists but is no decision model.
    ScenarioFile g("<terminal name=\"b\" network=\"office\" decision=\"ns3::Node\"/>");
    auto q = ScenarioParser::ParseFile(g.Path());
    ASSERT_FALSE(q.IsOk());
    EXPECT_NE(q.GetError().find(":5: 'ns3::Node' is not a UserDecisionModel"), std::string::npos)
        << q.GetError();
}

TEST(DecisionModelByName, BadAttributeNamesFileAndLine)
{
    struct Case
    {
        std::string attribute; // line 6
        std::string message;
    };

    for (const Case& c : std::vector<Case>{
             {"<attribute name=\"Protekt\" value=\"true\"/>",
              ":6: unknown attribute 'Protekt' of ns3::ScenarioTestDecisionModel (attributes: "
              "Patience, Protect, RefuseInvalidProposal)"},
             {"<attribute name=\"Protect\" value=\"maybe\"/>",
              ":6: bad value 'maybe' for attribute 'Protect'"},
             {"<attribute name=\"Protect\"/>", ":6: <attribute> needs attribute 'value'"},
             {"<attribute value=\"true\"/>", ":6: <attribute> needs attribute 'name'"},
             {"<attribute name=\"Protect\" value=\"true\" kind=\"x\"/>",
              ":6: unknown attribute 'kind' on <attribute>"},
             {"<attribute name=\"Protect\" value=\"1\"/>\n<attribute name=\"Protect\" "
              "value=\"0\"/>",
              ":7: duplicate attribute 'Protect'"},
             {"<model/>", ":6: unexpected element <model> inside <terminal>"},
         })
    {
        ScenarioFile f("<terminal name=\"b\" network=\"office\" "
                       "decision=\"ns3::ScenarioTestDecisionModel\">\n" +
                       c.attribute + "\n</terminal>");
        auto p = ScenarioParser::ParseFile(f.Path());
        ASSERT_FALSE(p.IsOk()) << c.attribute;
        EXPECT_EQ(p.GetError().rfind(f.Path() + c.message, 0), 0u)
            << c.attribute << "\n  got: " << p.GetError();
    }
    // Attributes belong to the terminal's model: not inside other elements.
    ScenarioFile n("<terminal name=\"b\" network=\"office\"/>\n"
                   "<eavesdropper network=\"office\"><attribute name=\"A\" value=\"1\"/>"
                   "</eavesdropper>");
    auto p = ScenarioParser::ParseFile(n.Path());
    ASSERT_FALSE(p.IsOk());
    EXPECT_NE(p.GetError().find(":6: unexpected element <attribute> inside <eavesdropper>"),
              std::string::npos)
        << p.GetError();
}

TEST(DecisionModelByName, AliasesWithAttributesAndPointerValues)
{
    // An alias names the built-in; its attributes are checked against it.
    ScenarioFile f("<terminal name=\"b\" network=\"office\" decision=\"HumanUser\">\n"
                   "<attribute name=\"Model\" value=\"ns3::AlwaysMaximumDecisionModel"
                   "[Unique=true]\"/>\n"
                   "<attribute name=\"ErrorProbability\" value=\"0\"/>\n"
                   "</terminal>");
    auto p = ScenarioParser::ParseFile(f.Path());
    ASSERT_TRUE(p.IsOk()) << p.GetError();
    Ptr<UserDecisionModel> m =
        DecisionModelFactory::Create(p.GetValue().terminals[1].decision,
                                     p.GetValue().terminals[1].decisionAttributes);
    EXPECT_EQ(m->GetInstanceTypeId().GetName(), "ns3::HumanUserDecisionModel");
    // Pointer values are ObjectFactory strings, checked before ns-3 would abort on them.
    for (const char* bad : {"ns3::NoSuchModel",
                            "ns3::Node",
                            "ns3::AlwaysMaximumDecisionModel[Unique=perhaps]",
                            "ns3::AlwaysMaximumDecisionModel[Uniq=true]",
                            "ns3::AlwaysMaximumDecisionModel[Unique=true",
                            "ns3::AlwaysMaximumDecisionModel[Unique=true]x",
                            "ns3::AlwaysMaximumDecisionModel [Unique=true]",
                            "ns3::HumanUserDecisionModel[Model=ns3::AlwaysMaximumDecisionModel["
                            "Unique=true]]",
                            "ns3::HumanUserDecisionModel[Model=ns3::Bogus]",
                            ""})
    {
        std::string e = DecisionModelFactory::Check("HumanUser", {{"Model", bad}});
        EXPECT_NE(e.find("bad value '" + std::string(bad) + "' for attribute 'Model'"),
                  std::string::npos)
            << bad << ": " << e;
    }
    // Text ns-3's readers would abort on (trailing characters, unknown time units) is a bad
    // value, at any depth.
    for (const char* bad : {"0.5x", "0.5 ", "", "1e999999"})
    {
        EXPECT_NE(DecisionModelFactory::Check("HumanUser", {{"ErrorProbability", bad}}), "") << bad;
    }
    EXPECT_NE(
        DecisionModelFactory::Check("HumanUser",
                                    {{"ThinkTime", "ns3::ConstantRandomVariable[Constant=?]"}}),
        "");
    EXPECT_EQ(DecisionModelFactory::Check("HumanUser",
                                          {{"ThinkTime", "ns3::ConstantRandomVariable[Constant=3]"},
                                           {"ErrorProbability", "0.25"},
                                           {"ErrorKind", "clear"}}),
              "");
    // An enum's unknown name (ns-3.37 asserts on it, or reads past its name list): a bad value
    // naming the names, at any depth; a name's prefix or a name between bars is no name.
    for (const char* bad : {"sometimes", "clea", "clear|either", ""})
    {
        std::string e = DecisionModelFactory::Check("HumanUser", {{"ErrorKind", bad}});
        EXPECT_NE(e.find("bad value '" + std::string(bad) +
                         "' for attribute 'ErrorKind' of ns3::HumanUserDecisionModel"),
                  std::string::npos)
            << bad << ": " << e;
        EXPECT_NE(e.find("not one of accept-as-is|clear|either"), std::string::npos) << e;
    }
    EXPECT_NE(
        DecisionModelFactory::Check("HumanUser",
                                    {{"Model", "ns3::HumanUserDecisionModel[ErrorKind=sometimes]"}})
            .find("not one of"),
        std::string::npos);
    // Times: a number and a known unit (ns-3 aborts on others).
    for (const char* bad : {"1parsec", "e", "1s ", " 1s", "", "1e999999s"})
    {
        EXPECT_NE(DecisionModelFactory::CheckAttribute(ScenarioTestDecisionModel::GetTypeId(),
                                                       "Patience",
                                                       bad),
                  "")
            << bad;
    }
    for (const char* good : {"1s", "250ms", "2", "1.5e2us", "-3min"})
    {
        EXPECT_EQ(DecisionModelFactory::CheckAttribute(ScenarioTestDecisionModel::GetTypeId(),
                                                       "Patience",
                                                       good),
                  "")
            << good;
    }
    // Nesting without an attribute list works (ns-3 reads it).
    EXPECT_EQ(DecisionModelFactory::Check(
                  "HumanUser",
                  {{"Model", "ns3::HumanUserDecisionModel[Model=ns3::AcceptAsIsDecisionModel]"}}),
              "");
    // The setter may refuse what the checker let through (a StringValue rule action, a rule
    // file that is not there).
    EXPECT_NE(DecisionModelFactory::Check("RuleTable", {{"DefaultAction", "explode"}}), "");
    EXPECT_NE(DecisionModelFactory::Check("RuleTable", {{"RulesFile", "/no/such/rules.xml"}}), "");
    EXPECT_EQ(DecisionModelFactory::Check("RuleTable", {{"DefaultAction", "raise:esp"}}), "");
    // Command-line lists.
    DecisionModelFactory::Attributes a;
    EXPECT_EQ(DecisionModelFactory::ParseAssignments(
                  "RaiseTo=esp, Model=ns3::X[A=1|B=2],AllowLowering=true",
                  a),
              "");
    EXPECT_EQ(a,
              (DecisionModelFactory::Attributes{{"RaiseTo", "esp"},
                                                {"Model", "ns3::X[A=1|B=2]"},
                                                {"AllowLowering", "true"}}));
    EXPECT_NE(DecisionModelFactory::ParseAssignments("RaiseTo", a), "");
    EXPECT_NE(DecisionModelFactory::ParseAssignments("=esp", a), "");
}

TEST(ScenarioOverrides, SetChangesAttributesBeforeTheChecks)
{
    ScenarioFile f("<terminal name=\"b\" network=\"office\"/>");
    auto p = ScenarioParser::ParseFile(f.Path(),
                                       {"terminal:b:cpu=xscale-pxa250",
                                        "terminal:a:decision=ns3::ScenarioTestDecisionModel",
                                        "scenario:seed=7",
                                        "network:cafe:trusted=true",
                                        "network:cafe:label=cafe",
                                        "session:a/b:traffic=bulk"});
    ASSERT_TRUE(p.IsOk()) << p.GetError();
    const Scenario& s = p.GetValue();
    EXPECT_EQ(s.terminals[1].cpu, "xscale-pxa250");
    EXPECT_EQ(s.terminals[0].cpu, "x86-64-aesni");
    EXPECT_EQ(s.terminals[0].decision, "ns3::ScenarioTestDecisionModel");
    EXPECT_EQ(s.seed, 7u);
    EXPECT_TRUE(s.networks[1].trusted);
    EXPECT_EQ(s.sessions[0].traffic, "bulk");

    struct Case
    {
        std::string set;
        std::string message;
    };

    for (const Case& c : std::vector<Case>{
             {"router:r1:cpu=x", "--set=router:r1:cpu=x: unknown element 'router'"},
             {"terminal:zed:cpu=free",
              "--set=terminal:zed:cpu=free: no <terminal> with name 'zed'"},
             {"terminal:b=free", "--set=terminal:b=free: expected terminal:name:key=value"},
             {"scenario:x:seed=2", "--set=scenario:x:seed=2: expected scenario:key=value"},
             {"terminal:b:cpu", "--set=terminal:b:cpu: expected element:name:key=value"},
             {"terminal:b:cpux=free",
              f.Path() + ":5: unknown attribute 'cpux' on <terminal> (after "
                         "--set=terminal:b:cpux=free)"},
             {"terminal:b:cpu=z80",
              f.Path() + ":5: bad value 'z80' for 'cpu' (expected x86-64-aesni|cortex-a53-ce|"
                         "xscale-pxa250|free|file:PATH) (after --set=terminal:b:cpu=z80)"},
             {"terminal:b:decision=Paranoid", f.Path() + ":5: unknown decision model 'Paranoid'"},
         })
    {
        auto q = ScenarioParser::ParseFile(f.Path(), {c.set});
        ASSERT_FALSE(q.IsOk()) << c.set;
        EXPECT_EQ(q.GetError().rfind(c.message, 0), 0u) << c.set << "\n  got: " << q.GetError();
    }
}

TEST(ScenarioRunNumber, ScenarioSeedIsTheDefaultAndTheOptionOverridesIt)
{
    auto run = [](const std::string& seed, std::optional<uint64_t> option) {
        ScenarioFile f("<terminal name=\"b\" network=\"office\" decision=\"HumanUser\" "
                       "error-probability=\"0.5\"/>",
                       seed);
        auto p = ScenarioParser::ParseFile(f.Path());
        EXPECT_TRUE(p.IsOk()) << p.GetError();
        ScenarioRunOptions o;
        o.seed = option;
        ScenarioRunResult r = ScenarioRunner::Run(p.GetValue(), o);
        r.seed = 0; // compare everything but the recorded run number
        return r.ToJson() + r.ToCsv() + r.SessionsCsv();
    };
    std::string s3 = run("3", std::nullopt);
    std::string s4 = run("4", std::nullopt);
    EXPECT_NE(s3, s4);                     // the scenario's seed is used
    EXPECT_EQ(s3, run("3", std::nullopt)); // and reproduces
    EXPECT_EQ(run("4", 3), s3);            // the option beats the scenario's seed
    EXPECT_EQ(run("3", 4), s4);
    EXPECT_NE(run("3", 0), s3); // run 0 is a run number like any other
}
