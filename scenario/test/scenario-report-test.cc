/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// ScenarioReport on hand-built results (no simulation): the files, HTML escaping, the plot
// data, the comparison figure only for several runs, a missing gnuplot, byte-identical output.

#include "ns3/scenario-report.h"
#include "ns3/scenario-runner.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

using namespace ns3;
namespace fs = std::filesystem;

namespace
{

/// A fresh, empty directory for one test.
std::string
FreshDir(const std::string& name)
{
    fs::path p =
        fs::path(::testing::TempDir()) / ("presec-report-" + name + "-" + std::to_string(getpid()));
    fs::remove_all(p);
    return p.string();
}

std::string
Slurp(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream o;
    o << in.rdbuf();
    return o.str();
}

ScenarioSample
Sample(double t, const std::string& net, bool trusted, int level, uint64_t exp, double cpu)
{
    ScenarioSample s;
    s.time = t;
    s.network = net;
    s.trusted = trusted;
    s.policyLevel = level;
    s.policy = level == 0 ? "none" : level == 1 ? "esp" : "esp+ah";
    s.exposureBytes = exp;
    s.cpuBusySeconds = cpu;
    return s;
}

/// A terminal that moves from the office to the cafe at t = 5 (samples every second).
ScenarioTerminalResult
Terminal(const std::string& name, const std::string& decision, uint64_t scale)
{
    ScenarioTerminalResult t;
    t.name = name;
    t.decision = decision;
    t.path = {"office", "cafe"};
    t.exposureBytes = 5 * scale;
    t.exposurePackets = 5;
    t.protectedTxPackets = 40;
    t.plainTxPackets = 60;
    t.protectedRxPackets = 41;
    t.plainRxPackets = 61;
    t.overheadBytes = 1111;
    t.signalingBytes = 2222;
    t.mismatchDrops = 3;
    t.drops = {{"protection-mismatch", 2}, {"plain-under-require", 1}};
    t.cpuBusySeconds = 0.0025;
    t.decisions = 4;
    t.protectedTxBytes = 3333;
    t.protectedRxBytes = 4444;
    t.exposureWindowS = 1.5;
    t.maxExposureWindowS = 1.25;
    for (int i = 0; i <= 10; ++i)
    {
        bool cafe = i >= 5;
        t.timeline.push_back(Sample(i,
                                    cafe ? "cafe" : "office",
                                    !cafe,
                                    cafe ? 2 : 0,
                                    cafe ? scale * static_cast<uint64_t>(i - 4) : 0,
                                    0.0005 * i));
    }
    return t;
}

ScenarioRunResult
MakeRun(const std::string& decision, uint64_t scale)
{
    ScenarioRunResult r;
    r.scenario = "campus <test>";
    r.decision = decision;
    r.seed = 7;
    r.duration = 10;
    r.terminals.push_back(Terminal("alice", decision, scale));
    r.terminals.push_back(Terminal("a<b&c", decision, scale));
    r.terminals.push_back(Terminal("bob", decision, scale));
    ScenarioSessionResult s;
    s.caller = "alice";
    s.callee = "bob";
    s.sent = 500;
    s.received = 498;
    s.meanDelayMs = 1.25;
    s.exposureBytes = 999;
    s.firstExposure = 5.5;
    s.lastExposure = 9.5;
    s.traffic = "voip";
    s.lost = 2;
    s.jitterMs = 0.5;
    s.setupLatencyMs = -1;
    r.sessions.push_back(s);
    ScenarioNetworkResult office;
    office.name = "office";
    office.trusted = true;
    ScenarioNetworkResult cafe;
    cafe.name = "cafe";
    cafe.sniffed = true;
    cafe.clearDataBytes = 6 * scale;
    cafe.clearDataPackets = 6;
    r.networks = {office, cafe};
    r.decisionLog = {"alice: <script>alert(1)</script> & accept", "bob: raise esp -> esp+ah"};
    return r;
}

ScenarioReportOptions
NoRender()
{
    ScenarioReportOptions o;
    o.render = false;
    return o;
}

bool
HaveGnuplot()
{
    for (const char* d : {"/usr/bin/gnuplot", "/usr/local/bin/gnuplot", "/bin/gnuplot"})
    {
        if (access(d, X_OK) == 0)
        {
            return true;
        }
    }
    return false;
}

} // namespace

TEST(ScenarioReport, WritesFilesAndEscapesHtml)
{
    std::string dir = FreshDir("files");
    ScenarioReportInfo info;
    std::string e = ScenarioReport::Write({MakeRun("LocationAware", 1000)}, dir, NoRender(), &info);
    ASSERT_EQ(e, "");
    EXPECT_EQ(info.figures, 3u);
    EXPECT_FALSE(info.rendered);
    EXPECT_NE(info.note.find("switched off"), std::string::npos) << info.note;
    for (const char* f : {"index.html",
                          "plots/timeline-001.plt",
                          "plots/timeline-001.dat",
                          "plots/timeline-002.plt",
                          "plots/timeline-003.dat"})
    {
        EXPECT_TRUE(fs::is_regular_file(dir + "/" + f)) << f;
    }
    EXPECT_EQ(info.files.back(), "index.html");
    std::string html = Slurp(dir + "/index.html");
    EXPECT_NE(html.find("alice"), std::string::npos);
    EXPECT_NE(html.find("bob"), std::string::npos);
    EXPECT_NE(html.find("a&lt;b&amp;c"), std::string::npos);
    EXPECT_EQ(html.find("a<b&c"), std::string::npos);
    EXPECT_NE(html.find("campus &lt;test&gt;"), std::string::npos);
    EXPECT_EQ(html.find("<test>"), std::string::npos);
    // The decision log, escaped, collapsible.
    EXPECT_NE(html.find("<details>"), std::string::npos);
    EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; accept"), std::string::npos);
    EXPECT_EQ(html.find("<script>"), std::string::npos);
    EXPECT_NE(html.find("bob: raise esp -&gt; esp+ah"), std::string::npos);
    // Scalar fields of terminals and sessions.
    EXPECT_NE(html.find("protection-mismatch: 2"), std::string::npos);
    EXPECT_NE(html.find(">3333<"), std::string::npos);  // protected tx bytes
    EXPECT_NE(html.find(">2.500<"), std::string::npos); // CPU busy ms
    EXPECT_NE(html.find(">498<"), std::string::npos);   // session received
    EXPECT_NE(html.find(">never<"), std::string::npos); // setup latency -1
    EXPECT_NE(html.find("office &gt; cafe"), std::string::npos);
    // Title with scenario, seed and duration.
    EXPECT_NE(html.find("<title>presec report: campus &lt;test&gt;</title>"), std::string::npos);
    EXPECT_NE(html.find("seed 7, 10.000 s"), std::string::npos);
    // Not rendered: no images referenced, the scripts linked.
    EXPECT_EQ(html.find("<img"), std::string::npos);
    EXPECT_NE(html.find("href=\"plots/timeline-001.plt\""), std::string::npos);
    fs::remove_all(dir);
}

TEST(ScenarioReport, PlotDataHoldTheSamples)
{
    std::string dir = FreshDir("data");
    ASSERT_EQ(ScenarioReport::Write({MakeRun("AcceptAsIs", 1234567)}, dir, NoRender()), "");
    std::string plt = Slurp(dir + "/plots/timeline-001.plt");
    std::string dat = Slurp(dir + "/plots/timeline-001.dat");
    // Script: written by ns-3's Gnuplot, reading the data file by index.
    EXPECT_NE(plt.find("set terminal pngcairo"), std::string::npos);
    EXPECT_NE(plt.find("set output \"timeline-001.png\""), std::string::npos);
    EXPECT_NE(plt.find("set multiplot layout 4,1"), std::string::npos);
    EXPECT_NE(plt.find("\"timeline-001.dat\" index 0"), std::string::npos);
    EXPECT_NE(plt.find("unset multiplot"), std::string::npos);
    EXPECT_NE(plt.find("\"office (trusted)\" 0"), std::string::npos);
    EXPECT_NE(plt.find("\"cafe (untrusted)\" 1"), std::string::npos);
    EXPECT_NE(plt.find("terminal alice"), std::string::npos);
    // Network index steps, policy level, cumulative exposure (exact), CPU in ms.
    EXPECT_NE(dat.find("\n4 0\n5 1\n"), std::string::npos) << dat;
    EXPECT_NE(dat.find("\n4 0\n5 2\n"), std::string::npos);
    EXPECT_NE(dat.find("\n10 7407402\n"), std::string::npos); // 6 * 1234567
    EXPECT_NE(dat.find("\n9 6172835\n"), std::string::npos);
    EXPECT_NE(dat.find("\n10 5\n"), std::string::npos); // 0.005 s
    EXPECT_NE(dat.find("\n3 1.5\n"), std::string::npos);
    // The second terminal's name reaches gnuplot only in its safe form.
    std::string plt2 = Slurp(dir + "/plots/timeline-002.plt");
    EXPECT_NE(plt2.find("terminal a<b&c"), std::string::npos);
    fs::remove_all(dir);
}

TEST(ScenarioReport, GnuplotTextIsSafe)
{
    EXPECT_EQ(ScenarioReport::GnuplotText("alice_1 (cafe)"), "alice_1 (cafe)");
    EXPECT_EQ(ScenarioReport::GnuplotText("x\"; system(\"id\") #`@$\\"), "x?? system(?id?) ?????");
    EXPECT_EQ(ScenarioReport::GnuplotText(std::string(100, 'a')).size(), 60u);
    EXPECT_EQ(ScenarioReport::GnuplotText("caf\xc3\xa9"), "caf??");
    EXPECT_EQ(ScenarioReport::HtmlEscape("<a href='x'>&\"\x01"),
              "&lt;a href=&#39;x&#39;&gt;&amp;&quot;\xEF\xBF\xBD");

    // A name built to break out of a gnuplot string stays inside it.
    std::string dir = FreshDir("inject");
    ScenarioRunResult r = MakeRun("HumanUser", 10);
    r.terminals[0].name = "evil\" ; system(\"touch pwned\") ; \"";
    r.scenario = "`touch pwned`";
    ASSERT_EQ(ScenarioReport::Write({r}, dir, NoRender()), "");
    std::string plt = Slurp(dir + "/plots/timeline-001.plt");
    EXPECT_EQ(plt.find("system(\""), std::string::npos);
    EXPECT_EQ(plt.find('`'), std::string::npos);
    EXPECT_NE(plt.find("terminal evil? ? system(?touch pwned?) ? ?"), std::string::npos);
    fs::remove_all(dir);
}

TEST(ScenarioReport, ComparisonOnlyWithSeveralRuns)
{
    std::string one = FreshDir("one");
    ScenarioReportInfo info;
    ASSERT_EQ(ScenarioReport::Write({MakeRun("LocationAware", 10)}, one, NoRender(), &info), "");
    EXPECT_FALSE(fs::exists(one + "/plots/compare.plt"));
    EXPECT_EQ(Slurp(one + "/index.html").find("compare.plt"), std::string::npos);

    std::string two = FreshDir("two");
    std::vector<ScenarioRunResult> runs = {MakeRun("AcceptAsIs", 1000),
                                           MakeRun("AlwaysMaximum", 0)};
    runs[1].terminals[0].cpuBusySeconds = 0.75;
    ASSERT_EQ(ScenarioReport::Write(runs, two, NoRender(), &info), "");
    EXPECT_EQ(info.figures, 4u);
    ASSERT_TRUE(fs::exists(two + "/plots/compare.plt"));
    std::string plt = Slurp(two + "/plots/compare.plt");
    std::string dat = Slurp(two + "/plots/compare.dat");
    EXPECT_NE(plt.find("set multiplot layout 2,3"), std::string::npos);
    EXPECT_NE(plt.find("\"AcceptAsIs\" 0, \"AlwaysMaximum\" 1"), std::string::npos);
    EXPECT_NE(dat.find("0 6000\n"), std::string::npos);     // exposure of run 1 (TotalExposure)
    EXPECT_NE(dat.find("1 0.755\n"), std::string::npos);    // CPU s of run 2: 0.75 + 2 * 0.0025
    EXPECT_NE(dat.find("-0.15 3333\n"), std::string::npos); // overhead, 3 terminals
    EXPECT_NE(dat.find("1.15 6666\n"), std::string::npos);  // signalling
    EXPECT_NE(dat.find("0 9\n"), std::string::npos);        // mismatch drops
    // Both runs are lines of each timeline.
    std::string tl = Slurp(two + "/plots/timeline-001.plt");
    EXPECT_NE(tl.find("title \"AcceptAsIs\""), std::string::npos);
    EXPECT_NE(tl.find("title \"AlwaysMaximum\""), std::string::npos);
    std::string html = Slurp(two + "/index.html");
    EXPECT_NE(html.find("href=\"plots/compare.plt\""), std::string::npos);
    EXPECT_NE(html.find("id=\"run-2\""), std::string::npos);
    fs::remove_all(one);
    fs::remove_all(two);
}

TEST(ScenarioReport, MissingGnuplotKeepsScripts)
{
    std::string dir = FreshDir("nognuplot");
    ScenarioReportOptions o;
    o.gnuplot = "/nonexistent/gnuplot";
    ScenarioReportInfo info;
    std::string e = ScenarioReport::Write({MakeRun("AcceptAsIs", 1), MakeRun("LocationAware", 1)},
                                          dir,
                                          o,
                                          &info);
    EXPECT_EQ(e, "");
    EXPECT_FALSE(info.rendered);
    EXPECT_NE(info.note.find("not found"), std::string::npos) << info.note;
    EXPECT_TRUE(fs::exists(dir + "/index.html"));
    EXPECT_TRUE(fs::exists(dir + "/plots/compare.plt"));
    EXPECT_TRUE(fs::exists(dir + "/plots/timeline-001.plt"));
    EXPECT_FALSE(fs::exists(dir + "/plots/timeline-001.png"));
    std::string html = Slurp(dir + "/index.html");
    EXPECT_NE(html.find("/nonexistent/gnuplot"), std::string::npos);
    EXPECT_NE(html.find("not found"), std::string::npos);
    EXPECT_EQ(html.find("<img"), std::string::npos);
    // Not in PATH either.
    o.gnuplot = "presec-no-such-gnuplot";
    EXPECT_EQ(ScenarioReport::Write({MakeRun("AcceptAsIs", 1)}, dir, o, &info), "");
    EXPECT_FALSE(info.rendered);
    EXPECT_NE(info.note.find("not found"), std::string::npos);
    fs::remove_all(dir);
}

TEST(ScenarioReport, FailingGnuplotIsANoteNotAnError)
{
    std::string dir = FreshDir("falsegnuplot");
    ScenarioReportOptions o;
    o.gnuplot = "false"; // found in PATH, exits 1
    if (access("/bin/false", X_OK) != 0 && access("/usr/bin/false", X_OK) != 0)
    {
        GTEST_SKIP() << "no false(1)";
    }
    ScenarioReportInfo info;
    EXPECT_EQ(ScenarioReport::Write({MakeRun("AcceptAsIs", 1)}, dir, o, &info), "");
    EXPECT_FALSE(info.rendered);
    EXPECT_NE(info.note.find("failed (exit 1)"), std::string::npos) << info.note;
    EXPECT_NE(Slurp(dir + "/index.html").find("failed (exit 1)"), std::string::npos);
    fs::remove_all(dir);
}

TEST(ScenarioReport, RendersPngs)
{
    if (!HaveGnuplot())
    {
        GTEST_SKIP() << "gnuplot is not installed";
    }
    std::string dir = FreshDir("render");
    ScenarioReportInfo info;
    ASSERT_EQ(ScenarioReport::Write({MakeRun("AcceptAsIs", 1000), MakeRun("LocationAware", 10)},
                                    dir,
                                    ScenarioReportOptions(),
                                    &info),
              "");
    EXPECT_TRUE(info.rendered) << info.note;
    EXPECT_EQ(info.note, "");
    for (const char* f : {"plots/timeline-001.png", "plots/compare.png"})
    {
        std::string png = Slurp(dir + "/" + f);
        ASSERT_GT(png.size(), 1000u) << f;
        EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8)) << f;
    }
    std::string html = Slurp(dir + "/index.html");
    EXPECT_NE(html.find("<img src=\"plots/timeline-001.png\""), std::string::npos);
    EXPECT_NE(html.find("<img src=\"plots/compare.png\""), std::string::npos);
    // The libgd terminal works too.
    ScenarioReportOptions gd;
    gd.terminal = "png";
    gd.timelineTerminals = 1;
    ASSERT_EQ(ScenarioReport::Write({MakeRun("AcceptAsIs", 1000)}, dir, gd, &info), "");
    EXPECT_TRUE(info.rendered) << info.note;
    EXPECT_NE(Slurp(dir + "/plots/timeline-001.plt").find("set terminal png noenhanced"),
              std::string::npos);
    fs::remove_all(dir);
}

TEST(ScenarioReport, ByteIdenticalForIdenticalInput)
{
    std::vector<ScenarioRunResult> runs = {MakeRun("AcceptAsIs", 1000),
                                           MakeRun("LocationAware", 10)};
    ScenarioReportOptions o; // renders when gnuplot is there: the PNGs are compared too
    std::string a = FreshDir("same-a");
    std::string b = FreshDir("same-b");
    ScenarioReportInfo ia;
    ScenarioReportInfo ib;
    ASSERT_EQ(ScenarioReport::Write(runs, a, o, &ia), "");
    ASSERT_EQ(ScenarioReport::Write(runs, b, o, &ib), "");
    ASSERT_EQ(ia.files, ib.files);
    ASSERT_GE(ia.files.size(), 9u);
    for (const auto& f : ia.files)
    {
        EXPECT_EQ(Slurp(a + "/" + f), Slurp(b + "/" + f)) << f;
    }
    // Writing again into the same directory gives the same files, and a smaller report
    // leaves none of the earlier figures behind (other files stay).
    std::string before = Slurp(a + "/index.html");
    ASSERT_EQ(ScenarioReport::Write(runs, a, o, &ia), "");
    EXPECT_EQ(Slurp(a + "/index.html"), before);
    std::ofstream(a + "/plots/mine.txt") << "keep";
    ScenarioReportOptions small = NoRender();
    small.timelineTerminals = 1;
    ASSERT_EQ(ScenarioReport::Write({runs[0]}, a, small, &ia), "");
    std::vector<std::string> left;
    for (const auto& e : fs::directory_iterator(a + "/plots"))
    {
        left.push_back(e.path().filename().string());
    }
    std::sort(left.begin(), left.end());
    EXPECT_EQ(left, (std::vector<std::string>{"mine.txt", "timeline-001.dat", "timeline-001.plt"}));
    fs::remove_all(a);
    fs::remove_all(b);
}

TEST(ScenarioReport, LimitsAndNoSamples)
{
    std::string dir = FreshDir("limit");
    ScenarioReportOptions o = NoRender();
    o.timelineTerminals = 1;
    ScenarioReportInfo info;
    ASSERT_EQ(ScenarioReport::Write({MakeRun("AcceptAsIs", 1)}, dir, o, &info), "");
    EXPECT_EQ(info.figures, 1u);
    EXPECT_TRUE(fs::exists(dir + "/plots/timeline-001.plt"));
    EXPECT_FALSE(fs::exists(dir + "/plots/timeline-002.plt"));

    std::string none = FreshDir("nosamples");
    ScenarioRunResult r = MakeRun("AcceptAsIs", 1);
    for (auto& t : r.terminals)
    {
        t.timeline.clear();
    }
    ASSERT_EQ(ScenarioReport::Write({r}, none, ScenarioReportOptions(), &info), "");
    EXPECT_EQ(info.figures, 0u);
    EXPECT_TRUE(info.rendered); // nothing to render
    EXPECT_NE(Slurp(none + "/index.html").find("no timeline samples"), std::string::npos);

    // Table rows limited: the first terminal only.
    o.tableRows = 1;
    ASSERT_EQ(ScenarioReport::Write({MakeRun("AcceptAsIs", 1)}, dir, o, &info), "");
    std::string html = Slurp(dir + "/index.html");
    EXPECT_NE(html.find(">alice</a></td>"), std::string::npos);
    EXPECT_EQ(html.find("a&lt;b&amp;c"), std::string::npos);
    EXPECT_NE(html.find("The first 1 of 3 terminals"), std::string::npos);
    fs::remove_all(dir);
    fs::remove_all(none);
}

TEST(ScenarioReport, Errors)
{
    EXPECT_NE(ScenarioReport::Write({}, FreshDir("empty")), "");
    ScenarioReportOptions o;
    o.terminal = "x11";
    EXPECT_NE(ScenarioReport::Write({MakeRun("AcceptAsIs", 1)}, FreshDir("badterm"), o), "");
    // A file where the directory should be.
    std::string f = FreshDir("file");
    std::ofstream(f) << "x";
    EXPECT_NE(ScenarioReport::Write({MakeRun("AcceptAsIs", 1)}, f, NoRender()), "");
    fs::remove_all(f);
}

TEST(ScenarioReport, LinksRunOutputs)
{
    std::string dir = FreshDir("links");
    ScenarioRunResult r = MakeRun("AcceptAsIs", 1);
    ASSERT_EQ(ScenarioRunner::WriteOutputs(r, dir + "/AcceptAsIs"), "");
    ScenarioReportOptions o = NoRender();
    o.outputLinks = {"AcceptAsIs"};
    ASSERT_EQ(ScenarioReport::Write({r}, dir, o), "");
    std::string html = Slurp(dir + "/index.html");
    EXPECT_NE(html.find("href=\"AcceptAsIs/summary.json\""), std::string::npos);
    EXPECT_NE(html.find("href=\"AcceptAsIs/decisions.log\""), std::string::npos);
    fs::remove_all(dir);
}
