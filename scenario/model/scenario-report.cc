/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// ScenarioReport: gnuplot scripts and data written through ns-3's Gnuplot classes, PNGs
// rendered by running gnuplot (fork/exec, no shell), and an index.html tying them together
// with the summary tables and the decision log.
//
// Everything written depends only on the runs and the options (and, for the PNGs and the
// page's rendering note, on whether gnuplot is there): numbers are formatted in the C
// locale with fixed precision, paths inside the files are relative, file names are
// generated from indices (never from scenario text).

#include "scenario-report.h"

#include "decision-screen-report.h"
#include "handover-chart.h"

#include "ns3/gnuplot.h"
#include "ns3/log.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <locale>
#include <map>
#include <set>
#include <sstream>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("ScenarioReport");

namespace
{

/// Line colours of the runs (Okabe-Ito, then black), cycled.
const char* const kRunColors[] =
    {"#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#f0e442"};

const char* const kPlotsDir = "plots";

std::string
RunColor(size_t k)
{
    return kRunColors[k % (sizeof(kRunColors) / sizeof(kRunColors[0]))];
}

/// printf-style formatting (the C locale's decimal point: ns-3 programs do not call setlocale).
std::string
Fixed(double v, int decimals)
{
    char b[64];
    std::snprintf(b, sizeof(b), "%.*f", decimals, v);
    return b;
}

/// A short engineering-style label of a value: 502.7k, 94.26m, 0, 12.
std::string
Eng(double v)
{
    static const char* const big[] = {"", "k", "M", "G", "T"};
    static const char* const small[] = {"", "m", "u", "n"};
    if (v == 0)
    {
        return "0";
    }
    double a = v < 0 ? -v : v;
    int i = 0;
    const char* suffix = "";
    if (a >= 1000)
    {
        while (a >= 1000 && i < 4)
        {
            a /= 1000;
            v /= 1000;
            ++i;
        }
        suffix = big[i];
    }
    else if (a < 1)
    {
        while (a < 1 && i < 3)
        {
            a *= 1000;
            v *= 1000;
            ++i;
        }
        suffix = small[i];
    }
    char b[64];
    std::snprintf(b, sizeof(b), "%.4g%s", v, suffix);
    return b;
}

std::string
U64(uint64_t v)
{
    return std::to_string(v);
}

/// A quoted gnuplot string of scenario text.
std::string
GpQuote(const std::string& s)
{
    return "\"" + ScenarioReport::GnuplotText(s) + "\"";
}

/// mkdir -p; \return empty or an error
std::string
MakeDirs(const std::string& dir)
{
    if (dir.empty())
    {
        return "report: empty directory name";
    }
    for (size_t i = 1; i <= dir.size(); ++i)
    {
        if (i == dir.size() || dir[i] == '/')
        {
            std::string p = dir.substr(0, i);
            if (mkdir(p.c_str(), 0755) != 0 && errno != EEXIST)
            {
                return "report: cannot create " + p + ": " + std::strerror(errno);
            }
        }
    }
    struct stat st;
    if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    {
        return "report: " + dir + " is not a directory";
    }
    return "";
}

std::string
WriteFile(const std::string& path, const std::string& text)
{
    std::ofstream o(path, std::ios::binary | std::ios::trunc);
    o << text;
    o.close();
    return o ? "" : "report: cannot write " + path;
}

bool
FileExists(const std::string& path)
{
    struct stat st;
    return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

/// Whether a file name is one the report writes into plots/ (timeline-<digits> or compare,
/// .plt, .dat or .png).
bool
IsReportPlotFile(const std::string& f)
{
    size_t dot = f.rfind('.');
    if (dot == std::string::npos)
    {
        return false;
    }
    std::string ext = f.substr(dot);
    std::string stem = f.substr(0, dot);
    if (ext != ".plt" && ext != ".dat" && ext != ".png")
    {
        return false;
    }
    if (stem == "compare")
    {
        return true;
    }
    const std::string prefix = "timeline-";
    if (stem.compare(0, prefix.size(), prefix) != 0 || stem.size() == prefix.size())
    {
        return false;
    }
    for (size_t i = prefix.size(); i < stem.size(); ++i)
    {
        if (!std::isdigit(static_cast<unsigned char>(stem[i])))
        {
            return false;
        }
    }
    return true;
}

/// Removes the report's own files left in plots/ by an earlier report (other files stay).
void
RemoveOldPlotFiles(const std::string& plots)
{
    DIR* d = opendir(plots.c_str());
    if (!d)
    {
        return;
    }
    std::vector<std::string> old;
    while (struct dirent* e = readdir(d))
    {
        if (IsReportPlotFile(e->d_name))
        {
            old.push_back(e->d_name);
        }
    }
    closedir(d);
    for (const auto& f : old)
    {
        unlink((plots + "/" + f).c_str());
    }
}

/// The program's path: itself when it has a '/', else the first executable match in PATH.
std::string
FindProgram(const std::string& program)
{
    if (program.empty())
    {
        return "";
    }
    if (program.find('/') != std::string::npos)
    {
        return access(program.c_str(), X_OK) == 0 ? program : "";
    }
    const char* env = std::getenv("PATH");
    std::string path = env ? env : "/usr/bin:/bin";
    size_t start = 0;
    while (start <= path.size())
    {
        size_t end = path.find(':', start);
        if (end == std::string::npos)
        {
            end = path.size();
        }
        std::string d = path.substr(start, end - start);
        std::string cand = (d.empty() ? std::string(".") : d) + "/" + program;
        struct stat st;
        if (stat(cand.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(cand.c_str(), X_OK) == 0)
        {
            return cand;
        }
        start = end + 1;
    }
    return "";
}

/**
 * Runs `program script` in directory cwd, stdin from /dev/null, stdout and stderr captured.
 * No shell is involved: the arguments go to execv as they are.
 * \return the exit status (0 success), -1 when it could not be started or was killed
 */
int
RunProgram(const std::string& program,
           const std::string& cwd,
           const std::string& script,
           std::string* output)
{
    int fds[2];
    if (pipe(fds) != 0)
    {
        *output = std::string("pipe: ") + std::strerror(errno);
        return -1;
    }
    // Everything the child needs is prepared before fork (only async-signal-safe calls after).
    std::vector<char> prog(program.begin(), program.end());
    prog.push_back('\0');
    std::vector<char> arg(script.begin(), script.end());
    arg.push_back('\0');
    char* const argv[] = {prog.data(), arg.data(), nullptr};
    const char* dir = cwd.c_str();
    pid_t pid = fork();
    if (pid < 0)
    {
        *output = std::string("fork: ") + std::strerror(errno);
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0)
    {
        close(fds[0]);
        int in = open("/dev/null", O_RDONLY);
        if (in >= 0)
        {
            dup2(in, 0);
            close(in);
        }
        dup2(fds[1], 1);
        dup2(fds[1], 2);
        close(fds[1]);
        if (chdir(dir) != 0)
        {
            _exit(126);
        }
        execv(argv[0], argv);
        _exit(127);
    }
    close(fds[1]);
    output->clear();
    char buf[4096];
    for (;;)
    {
        ssize_t n = read(fds[0], buf, sizeof(buf));
        if (n > 0)
        {
            if (output->size() < 65536)
            {
                output->append(buf, static_cast<size_t>(n));
            }
            continue;
        }
        if (n < 0 && errno == EINTR)
        {
            continue;
        }
        break;
    }
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
    {
        if (errno != EINTR)
        {
            return -1;
        }
    }
    if (WIFEXITED(status))
    {
        return WEXITSTATUS(status);
    }
    return -1;
}

/// Last lines of a program's output, for a message.
std::string
Tail(const std::string& text, size_t lines)
{
    size_t end = text.size();
    while (end > 0 && (text[end - 1] == '\n' || text[end - 1] == '\r'))
    {
        --end;
    }
    size_t pos = end;
    for (size_t n = 0; pos > 0; --pos)
    {
        if (text[pos - 1] == '\n' && ++n == lines)
        {
            break;
        }
    }
    return text.substr(pos, end - pos);
}

/// One run as the report sees it.
struct RunView
{
    const ScenarioRunResult* run;
    std::string label; //!< decision model (unique among the runs)
    std::string color;
};

/// Sums over a run's terminals.
struct RunTotals
{
    uint64_t exposure{0}; //!< ScenarioRunResult::TotalExposure (what the eavesdroppers read)
    double cpuSeconds{0};
    uint64_t overhead{0};
    uint64_t signaling{0};
    uint64_t mismatch{0};
    uint64_t protectedTxBytes{0};
    uint64_t decisions{0};
    double exposureWindow{0};
};

RunTotals
Totals(const ScenarioRunResult& r)
{
    RunTotals t;
    t.exposure = r.TotalExposure();
    for (const auto& x : r.terminals)
    {
        t.cpuSeconds += x.cpuBusySeconds;
        t.overhead += x.overheadBytes;
        t.signaling += x.signalingBytes;
        t.mismatch += x.mismatchDrops;
        t.protectedTxBytes += x.protectedTxBytes;
        t.decisions += x.decisions;
        t.exposureWindow += x.exposureWindowS;
    }
    return t;
}

/// Settings every panel starts from (a panel's settings persist into the next one).
std::string
PanelPrelude()
{
    return "unset label\n"
           "set offsets 0, 0, 0, 0\n"
           "set xrange [*:*]\n"
           "set yrange [*:*]\n"
           "unset xtics\n"
           "set xtics autofreq border nomirror out\n"
           "unset ytics\n"
           "set ytics autofreq border mirror out\n"
           "set format x \"% h\"\n"
           "set format y \"% h\"\n"
           "set grid xtics ytics\n"
           "set key outside right top vertical Left reverse noautotitle\n";
}

/// Style of a run's line: thicker for earlier runs so identical lines stay visible.
std::string
RunLineStyle(size_t k, size_t n)
{
    double lw = 1.5 + 1.5 * static_cast<double>(n - 1 - k);
    return "lw " + Fixed(lw, 1) + " lc rgb \"" + RunColor(k) + "\"";
}

/// A figure: its script and data, as ns-3's Gnuplot wrote them.
struct Figure
{
    std::string base;    //!< file base name in plots/ (e.g. timeline-001)
    std::string caption; //!< HTML caption (escaped)
    std::string anchor;  //!< HTML id
    std::string script;  //!< .plt text
    std::string data;    //!< .dat text
    bool rendered{false};
};

/**
 * The start of the first panel's extra: the multiplot layout must come after the terminal
 * and output lines the collection writes, i.e. in the first panel.
 * \param layout "rows,cols"
 * \param title the multiplot title (safe text)
 */
std::string
MultiplotHeader(const std::string& layout, const std::string& title)
{
    return "set multiplot layout " + layout + " title \"" + title + "\"\n";
}

/**
 * Script and data of a multiplot made of ns-3 Gnuplot panels (the first panel's extra starts
 * with MultiplotHeader).
 * \param fig the figure (base set; script and data filled in)
 * \param terminal the terminal line (without "set terminal")
 * \param panels the panels, in order; empty datasets must not be in them
 * \param datasetsPerPanel the number of datasets of each panel
 */
void
GenerateMultiplot(Figure& fig,
                  const std::string& terminal,
                  std::vector<Gnuplot>& panels,
                  const std::vector<unsigned>& datasetsPerPanel)
{
    GnuplotCollection c(fig.base + ".png");
    c.SetTerminal(terminal);
    unsigned index = 0;
    for (size_t i = 0; i < panels.size(); ++i)
    {
        // Datasets of all panels share one data file: each panel starts at its own index.
        panels[i].SetDataFileDatasetIndex(index);
        index += datasetsPerPanel[i];
        c.AddPlot(panels[i]);
    }
    std::ostringstream ctl;
    std::ostringstream dat;
    ctl.imbue(std::locale::classic());
    dat.imbue(std::locale::classic());
    dat.precision(15);
    ctl << "# presec ScenarioReport: " << fig.base << ".png from " << fig.base << ".dat\n"
        << "# render: cd plots && gnuplot " << fig.base << ".plt\n";
    c.GenerateOutput(ctl, dat, fig.base + ".dat");
    ctl << "unset multiplot\n";
    fig.script = ctl.str();
    fig.data = dat.str();
}

/// Index of a terminal by name in a run (-1: absent).
int
FindTerminal(const ScenarioRunResult& r, const std::string& name)
{
    for (size_t i = 0; i < r.terminals.size(); ++i)
    {
        if (r.terminals[i].name == name)
        {
            return static_cast<int>(i);
        }
    }
    return -1;
}

/**
 * The timeline figure of one terminal over every run.
 * \return false when no run has samples for it
 */
bool
TimelineFigure(Figure& fig,
               const std::vector<RunView>& runs,
               const std::string& name,
               const std::string& terminal)
{
    std::vector<const ScenarioTerminalResult*> per(runs.size(), nullptr);
    const ScenarioTerminalResult* first = nullptr;
    size_t firstRun = 0;
    for (size_t k = 0; k < runs.size(); ++k)
    {
        int i = FindTerminal(*runs[k].run, name);
        if (i >= 0 && !runs[k].run->terminals[i].timeline.empty())
        {
            per[k] = &runs[k].run->terminals[i];
            if (!first)
            {
                first = per[k];
                firstRun = k;
            }
        }
    }
    if (!first)
    {
        return false;
    }
    // Networks on the y axis: those the terminal visits, in the run's file order, then any
    // other in the order first seen.
    std::vector<std::string> nets;
    std::map<std::string, bool> trusted;
    std::set<std::string> visited;
    for (const auto* t : per)
    {
        if (t)
        {
            for (const auto& s : t->timeline)
            {
                visited.insert(s.network);
                trusted.emplace(s.network, s.trusted);
            }
        }
    }
    for (const auto& n : runs[firstRun].run->networks)
    {
        if (visited.count(n.name))
        {
            nets.push_back(n.name);
            visited.erase(n.name);
        }
    }
    for (const auto* t : per)
    {
        if (t)
        {
            for (const auto& s : t->timeline)
            {
                if (visited.count(s.network))
                {
                    nets.push_back(s.network);
                    visited.erase(s.network);
                }
            }
        }
    }
    auto netIndex = [&](const std::string& n) {
        for (size_t i = 0; i < nets.size(); ++i)
        {
            if (nets[i] == n)
            {
                return static_cast<double>(i);
            }
        }
        return -1.0;
    };
    double duration = runs[firstRun].run->duration;
    for (const auto* t : per)
    {
        if (t && !t->timeline.empty())
        {
            duration = std::max(duration, t->timeline.back().time);
        }
    }
    std::string xrange = "set xrange [0:" + Fixed(duration > 0 ? duration : 1, 6) + "]\n";
    // Fixed margins keep the four x axes aligned whatever the tic labels and keys.
    const std::string common = PanelPrelude() + "set lmargin 24\nset rmargin 28\n" + xrange;
    const std::string title = "terminal " + ScenarioReport::GnuplotText(name) + " - scenario " +
                              ScenarioReport::GnuplotText(runs[firstRun].run->scenario) +
                              ", seed " + std::to_string(runs[firstRun].run->seed);

    std::vector<Gnuplot> panels;
    std::vector<unsigned> counts;

    // Panel 1: network.
    {
        Gnuplot p;
        p.SetLegend("", "network");
        std::string ytics = "set ytics (";
        for (size_t i = 0; i < nets.size(); ++i)
        {
            ytics += (i ? ", " : "") +
                     GpQuote(nets[i] + (trusted[nets[i]] ? " (trusted)" : " (untrusted)")) + " " +
                     std::to_string(i);
        }
        ytics += ")\n";
        p.SetExtra(MultiplotHeader("4,1", title) + common +
                   "set yrange [-0.5:" + Fixed(nets.size() - 0.5, 1) + "]\n" + ytics);
        unsigned n = 0;
        std::vector<std::pair<double, double>> reference;
        for (size_t k = 0; k < runs.size(); ++k)
        {
            if (!per[k])
            {
                continue;
            }
            std::vector<std::pair<double, double>> trace;
            for (const auto& s : per[k]->timeline)
            {
                trace.emplace_back(s.time, netIndex(s.network));
            }
            if (k != firstRun && trace == reference)
            {
                continue; // the same moves: one line is enough
            }
            Gnuplot2dDataset d(
                k == firstRun ? "network"
                              : "network (" + ScenarioReport::GnuplotText(runs[k].label) + ")");
            d.SetStyle(Gnuplot2dDataset::STEPS);
            d.SetExtra(k == firstRun ? "lw 2 lc rgb \"#404040\"" : RunLineStyle(k, runs.size()));
            for (const auto& xy : trace)
            {
                d.Add(xy.first, xy.second);
            }
            p.AddDataset(d);
            ++n;
            if (k == firstRun)
            {
                reference = trace;
            }
        }
        Gnuplot2dDataset tr("trusted");
        Gnuplot2dDataset un("untrusted");
        bool anyTr = false;
        bool anyUn = false;
        for (const auto& s : first->timeline)
        {
            (s.trusted ? tr : un).Add(s.time, netIndex(s.network));
            (s.trusted ? anyTr : anyUn) = true;
        }
        for (auto* d : {&tr, &un})
        {
            d->SetStyle(Gnuplot2dDataset::POINTS);
        }
        tr.SetExtra("pt 7 ps 0.6 lc rgb \"#009e73\"");
        un.SetExtra("pt 7 ps 0.6 lc rgb \"#d55e00\"");
        if (anyTr)
        {
            p.AddDataset(tr);
            ++n;
        }
        if (anyUn)
        {
            p.AddDataset(un);
            ++n;
        }
        panels.push_back(p);
        counts.push_back(n);
    }
    // Panel 2: policy level; 3: cumulative exposure; 4: cumulative CPU.
    for (int panel = 2; panel <= 4; ++panel)
    {
        Gnuplot p;
        std::string extra = common;
        if (panel == 2)
        {
            p.SetLegend("", "policy level");
            extra += "set yrange [-0.25:2.25]\n"
                     "set ytics (\"none\" 0, \"AH or ESP\" 1, \"ESP+AH\" 2)\n";
        }
        else if (panel == 3)
        {
            p.SetLegend("", "exposure (B, cumulative)");
            extra += "set yrange [0:*]\nset format y \"%.1s%c\"\n";
        }
        else
        {
            p.SetLegend("time (s)", "CPU busy (ms, cumulative)");
            extra += "set yrange [0:*]\n";
        }
        p.SetExtra(extra);
        unsigned n = 0;
        for (size_t k = 0; k < runs.size(); ++k)
        {
            if (!per[k])
            {
                continue;
            }
            Gnuplot2dDataset d(ScenarioReport::GnuplotText(runs[k].label));
            d.SetStyle(panel == 2 ? Gnuplot2dDataset::STEPS : Gnuplot2dDataset::LINES);
            d.SetExtra(RunLineStyle(k, runs.size()));
            for (const auto& s : per[k]->timeline)
            {
                double y = panel == 2   ? static_cast<double>(s.policyLevel)
                           : panel == 3 ? static_cast<double>(s.exposureBytes)
                                        : s.cpuBusySeconds * 1e3;
                d.Add(s.time, y);
            }
            p.AddDataset(d);
            ++n;
        }
        panels.push_back(p);
        counts.push_back(n);
    }
    GenerateMultiplot(fig, terminal + " size 1000,900", panels, counts);
    return true;
}

/// The comparison figure of the runs.
void
CompareFigure(Figure& fig, const std::vector<RunView>& runs, const std::string& terminal)
{
    const size_t n = runs.size();
    std::vector<RunTotals> tot;
    for (const auto& r : runs)
    {
        tot.push_back(Totals(*r.run));
    }
    std::string xtics = "set xtics (";
    for (size_t k = 0; k < n; ++k)
    {
        xtics += (k ? ", " : "") + GpQuote(runs[k].label) + " " + std::to_string(k);
    }
    xtics += ") rotate by -20\n";
    std::string xrange = "set xrange [-0.6:" + Fixed(n - 0.4, 1) + "]\n";
    // Bars as thick impulses (ns-3's 2-D datasets have no box style): about half a slot.
    double barWidth = std::max(4.0, std::min(60.0, 180.0 / static_cast<double>(n)));
    std::string bar = "lw " + Fixed(barWidth, 1);
    std::string halfBar = "lw " + Fixed(barWidth / 2, 1);

    std::vector<Gnuplot> panels;
    std::vector<unsigned> counts;
    const ScenarioRunResult& r0 = *runs[0].run;
    const std::string title = "decision models - scenario " +
                              ScenarioReport::GnuplotText(r0.scenario) + ", seed " +
                              std::to_string(r0.seed) + ", " + Fixed(r0.duration, 1) + " s";
    // Each bar carries its value (generated numbers only).
    auto valueLabels = [&](const std::vector<double>& xs, const std::vector<double>& ys) {
        std::string l;
        for (size_t k = 0; k < xs.size(); ++k)
        {
            l += "set label " + std::to_string(k + 1) + " \"" + Eng(ys[k]) + "\" at " +
                 Fixed(xs[k], 2) + ", " + Fixed(ys[k], 6) + " center offset 0, 0.7 front\n";
        }
        return l;
    };
    auto barPanel = [&](const std::string& ylabel,
                        const std::string& format,
                        const std::vector<double>& values,
                        bool integral) {
        Gnuplot p;
        p.SetLegend("", ylabel);
        std::vector<double> xs;
        double max = 0;
        for (size_t k = 0; k < n; ++k)
        {
            xs.push_back(static_cast<double>(k));
            max = std::max(max, values[k]);
        }
        // Small counts: whole-number tics; otherwise headroom for the value labels.
        std::string yrange = integral && max < 5 ? std::string("set yrange [0:5]\nset ytics 1\n")
                             : max <= 0          ? std::string("set yrange [0:1]\n")
                                                 : "set yrange [0:" + Fixed(max * 1.12, 6) + "]\n";
        p.SetExtra((panels.empty() ? MultiplotHeader("2,3", title) : std::string()) +
                   PanelPrelude() + xrange + xtics + yrange + "set format y \"" + format +
                   "\"\nunset key\n" + valueLabels(xs, values));
        for (size_t k = 0; k < n; ++k)
        {
            Gnuplot2dDataset d(ScenarioReport::GnuplotText(runs[k].label));
            d.SetStyle(Gnuplot2dDataset::IMPULSES);
            d.SetExtra(bar + " lc rgb \"" + runs[k].color + "\"");
            d.Add(static_cast<double>(k), values[k]);
            p.AddDataset(d);
        }
        panels.push_back(p);
        counts.push_back(static_cast<unsigned>(n));
    };
    std::vector<double> exposure;
    std::vector<double> cpu;
    std::vector<double> drops;
    std::vector<double> bytes;
    for (const auto& t : tot)
    {
        exposure.push_back(static_cast<double>(t.exposure));
        cpu.push_back(t.cpuSeconds);
        drops.push_back(static_cast<double>(t.mismatch));
        bytes.push_back(static_cast<double>(t.overhead + t.signaling));
    }
    barPanel("exposure (B)", "%.1s%c", exposure, true);
    barPanel("CPU busy (s)", "%.1s%c", cpu, false);
    {
        Gnuplot p;
        p.SetLegend("", "bytes sent");
        double max = 0;
        std::vector<double> xs;
        std::vector<double> ys;
        for (size_t k = 0; k < n; ++k)
        {
            max = std::max(
                {max, static_cast<double>(tot[k].overhead), static_cast<double>(tot[k].signaling)});
            xs.push_back(static_cast<double>(k) - 0.15);
            ys.push_back(static_cast<double>(tot[k].overhead));
        }
        for (size_t k = 0; k < n; ++k)
        {
            xs.push_back(static_cast<double>(k) + 0.15);
            ys.push_back(static_cast<double>(tot[k].signaling));
        }
        p.SetExtra(PanelPrelude() + xrange + xtics +
                   (max < 5 ? std::string("set yrange [0:5]\n")
                            : "set yrange [0:" + Fixed(max * 1.3, 6) + "]\n") +
                   "set format y \"%.1s%c\"\n"
                   "set key inside left top vertical Left reverse samplen 1 spacing 1.3\n" +
                   valueLabels(xs, ys));
        Gnuplot2dDataset ov("IPsec overhead");
        Gnuplot2dDataset sig("signalling");
        for (auto* d : {&ov, &sig})
        {
            d->SetStyle(Gnuplot2dDataset::IMPULSES);
        }
        ov.SetExtra(halfBar + " lc rgb \"#0072b2\"");
        sig.SetExtra(halfBar + " lc rgb \"#e69f00\"");
        for (size_t k = 0; k < n; ++k)
        {
            ov.Add(static_cast<double>(k) - 0.15, static_cast<double>(tot[k].overhead));
            sig.Add(static_cast<double>(k) + 0.15, static_cast<double>(tot[k].signaling));
        }
        p.AddDataset(ov);
        p.AddDataset(sig);
        panels.push_back(p);
        counts.push_back(2);
    }
    barPanel("mismatch drops", "% h", drops, true);
    // Trade-offs: one point per run.
    auto scatter = [&](const std::string& xlabel, const std::vector<double>& xs) {
        Gnuplot p;
        p.SetLegend(xlabel, "exposure (B)");
        p.SetExtra(PanelPrelude() + "set xrange [0:*]\nset yrange [0:*]\n"
                                    "set offsets 0, graph 0.15, graph 0.15, 0\n"
                                    "set format x \"%.1s%c\"\nset format y \"%.1s%c\"\n"
                                    "set xtics rotate by -30\n"
                                    "set key inside right top vertical Right noreverse\n");
        for (size_t k = 0; k < n; ++k)
        {
            Gnuplot2dDataset d(ScenarioReport::GnuplotText(runs[k].label));
            d.SetStyle(Gnuplot2dDataset::POINTS);
            d.SetExtra("pt 7 ps 2 lc rgb \"" + runs[k].color + "\"");
            d.Add(xs[k], exposure[k]);
            p.AddDataset(d);
        }
        panels.push_back(p);
        counts.push_back(static_cast<unsigned>(n));
    };
    scatter("CPU busy (s)", cpu);
    scatter("IPsec overhead + signalling (B)", bytes);
    GenerateMultiplot(fig, terminal + " size 1200,800", panels, counts);
}

/// Percent-encodes a relative path for an href (keeps letters, digits, "-._~/").
std::string
HrefPath(const std::string& p)
{
    static const char* hex = "0123456789ABCDEF";
    std::string o;
    for (unsigned char c : p)
    {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/')
        {
            o += static_cast<char>(c);
        }
        else
        {
            o += '%';
            o += hex[c >> 4];
            o += hex[c & 15];
        }
    }
    return o;
}

/// An HTML table builder.
class Table
{
  public:
    /**
     * \param header the column names
     * \param align per column: 'r' right-aligned numbers, anything else text
     */
    Table(std::vector<std::string> header, std::string align)
        : m_header(std::move(header)),
          m_align(std::move(align))
    {
    }

    /// Cells are raw HTML (callers escape).
    void Row(const std::vector<std::string>& cells)
    {
        m_rows.push_back(cells);
    }

    std::string Html(const std::string& cls) const
    {
        std::ostringstream o;
        o << "<table class=\"" << cls << "\">\n<thead><tr>";
        for (const auto& h : m_header)
        {
            o << "<th>" << ScenarioReport::HtmlEscape(h) << "</th>";
        }
        o << "</tr></thead>\n<tbody>\n";
        for (const auto& r : m_rows)
        {
            o << "<tr>";
            for (size_t i = 0; i < r.size(); ++i)
            {
                bool num = i < m_align.size() && m_align[i] == 'r';
                o << (num ? "<td class=\"n\">" : "<td>") << r[i] << "</td>";
            }
            o << "</tr>\n";
        }
        o << "</tbody>\n</table>\n";
        return o.str();
    }

  private:
    std::vector<std::string> m_header;
    std::string m_align;
    std::vector<std::vector<std::string>> m_rows;
};

std::string
Esc(const std::string& s)
{
    return ScenarioReport::HtmlEscape(s);
}

/// A time in seconds, or "never" for the runner's -1.
std::string
TimeOrNever(double v, int decimals)
{
    return v < 0 ? std::string("never") : Fixed(v, decimals);
}

/// A figure that does not apply (no voice) is a dash.
std::string
OrDash(double v, int decimals)
{
    return v < 0 ? std::string("-") : Fixed(v, decimals);
}

const char* const kCss = R"(body { font-family: sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.25em; margin-top: 1.6em; } h3 { font-size: 1.05em; }
table { border-collapse: collapse; margin: 0.5em 0 1em 0; font-size: 0.85em; }
th, td { border: 1px solid #bbb; padding: 0.15em 0.45em; }
th { background: #eee; position: sticky; top: 0; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:nth-child(even) { background: #f7f7f7; }
figure { margin: 0.5em 0 1.5em 0; } img { max-width: 100%; border: 1px solid #ddd; }
figcaption { font-size: 0.85em; color: #555; }
.note { background: #fff4d6; border: 1px solid #e0b84c; padding: 0.5em 0.8em; }
pre { font-size: 0.8em; background: #f6f6f6; padding: 0.6em; overflow-x: auto; }
.swatch { display: inline-block; width: 0.9em; height: 0.9em; vertical-align: middle; }
)";

} // namespace

std::string
ScenarioReport::HtmlEscape(const std::string& s)
{
    std::string o;
    o.reserve(s.size());
    for (char c : s)
    {
        switch (c)
        {
        case '&':
            o += "&amp;";
            break;
        case '<':
            o += "&lt;";
            break;
        case '>':
            o += "&gt;";
            break;
        case '"':
            o += "&quot;";
            break;
        case '\'':
            o += "&#39;";
            break;
        case '\n':
        case '\t':
            o += c;
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            {
                o += "\xEF\xBF\xBD"; // U+FFFD
            }
            else
            {
                o += c;
            }
        }
    }
    return o;
}

std::string
ScenarioReport::GnuplotText(const std::string& s)
{
    static const std::string allowed = " _.,:+-/()=<>%[]!?*&'";
    std::string o;
    for (unsigned char c : s)
    {
        if (o.size() >= 60)
        {
            break;
        }
        if (std::isalnum(c) && c < 0x80)
        {
            o += static_cast<char>(c);
        }
        else if (allowed.find(static_cast<char>(c)) != std::string::npos)
        {
            o += static_cast<char>(c);
        }
        else
        {
            o += '?';
        }
    }
    return o;
}

std::string
ScenarioReport::Write(const std::vector<ScenarioRunResult>& runsIn,
                      const std::string& dir,
                      const ScenarioReportOptions& options,
                      ScenarioReportInfo* infoOut)
{
    NS_LOG_FUNCTION(runsIn.size() << dir);
    ScenarioReportInfo scratch;
    ScenarioReportInfo& info = infoOut ? *infoOut : scratch;
    info = ScenarioReportInfo();
    if (runsIn.empty())
    {
        return "report: no run to report";
    }
    if (options.terminal != "pngcairo" && options.terminal != "png")
    {
        return "report: unknown gnuplot terminal '" + options.terminal + "' (pngcairo or png)";
    }
    std::string e = MakeDirs(dir);
    if (e.empty())
    {
        e = MakeDirs(dir + "/" + kPlotsDir);
    }
    if (!e.empty())
    {
        return e;
    }
    const std::string plots = dir + "/" + kPlotsDir;
    // The directory then holds exactly this report's figures (no stale image or script).
    RemoveOldPlotFiles(plots);

    // Labels: the decision model, made unique.
    std::vector<RunView> runs;
    std::map<std::string, int> seen;
    for (size_t k = 0; k < runsIn.size(); ++k)
    {
        const auto& r = runsIn[k];
        std::string label = r.plain ? std::string("plain (no presec)") : r.decision;
        if (label.empty())
        {
            label = "run " + std::to_string(k + 1);
        }
        seen[label]++;
        runs.push_back(RunView{&r, label, RunColor(k)});
    }
    for (size_t k = 0; k < runs.size(); ++k)
    {
        if (seen[runs[k].label] > 1)
        {
            runs[k].label += " #" + std::to_string(k + 1);
        }
    }

    // Figures.
    const std::string term = options.terminal + " noenhanced font \"sans,9\" butt";
    std::vector<Figure> figures;
    const ScenarioRunResult& r0 = runsIn[0];
    uint32_t limit =
        std::min<uint32_t>(options.timelineTerminals, static_cast<uint32_t>(r0.terminals.size()));
    std::map<std::string, std::string> timelineAnchor; // terminal name -> anchor
    for (uint32_t i = 0; i < limit; ++i)
    {
        Figure f;
        char b[32];
        std::snprintf(b, sizeof(b), "timeline-%03u", i + 1);
        f.base = b;
        f.anchor = b;
        const std::string& name = r0.terminals[i].name;
        if (!TimelineFigure(f, runs, name, term))
        {
            continue;
        }
        f.caption = "Terminal <b>" + Esc(name) +
                    "</b>: network (trusted and untrusted samples marked), policy level, "
                    "cumulative exposure bytes and cumulative crypto CPU busy time" +
                    (runs.size() > 1 ? std::string(", one line per decision model") : "") + ".";
        timelineAnchor.emplace(name, f.anchor);
        figures.push_back(f);
    }
    bool haveCompare = runs.size() >= 2;
    if (haveCompare)
    {
        Figure f;
        f.base = "compare";
        f.anchor = "compare";
        f.caption = "Decision models compared: exposure (what the eavesdroppers read in "
                    "clear), crypto CPU busy time, IPsec overhead and signalling bytes, "
                    "policy-mismatch drops, and the trade-offs.";
        CompareFigure(f, runs, term);
        figures.push_back(f);
    }
    for (const auto& f : figures)
    {
        std::string rel = std::string(kPlotsDir) + "/" + f.base;
        e = WriteFile(plots + "/" + f.base + ".plt", f.script);
        if (e.empty())
        {
            e = WriteFile(plots + "/" + f.base + ".dat", f.data);
        }
        if (!e.empty())
        {
            return e;
        }
        info.files.push_back(rel + ".plt");
        info.files.push_back(rel + ".dat");
    }
    info.figures = static_cast<uint32_t>(figures.size());

    // Rendering.
    std::string note;
    if (figures.empty())
    {
        info.rendered = true; // nothing to render
    }
    else if (!options.render)
    {
        note = "PNG rendering was switched off; the gnuplot scripts are in " +
               std::string(kPlotsDir) + "/ (cd " + kPlotsDir + " && gnuplot NAME.plt).";
    }
    else
    {
        std::string program = FindProgram(options.gnuplot);
        if (program.empty())
        {
            note = "gnuplot ('" + options.gnuplot +
                   "') was not found, so there are no images; the scripts and their data are "
                   "in " +
                   kPlotsDir + "/ (install gnuplot-nox, then: cd " + kPlotsDir +
                   " && gnuplot NAME.plt).";
        }
        else
        {
            unsigned ok = 0;
            for (auto& f : figures)
            {
                std::string png = plots + "/" + f.base + ".png";
                std::string out;
                int rc = RunProgram(program, plots, f.base + ".plt", &out);
                if (rc == 0 && FileExists(png))
                {
                    f.rendered = true;
                    ++ok;
                    info.files.push_back(std::string(kPlotsDir) + "/" + f.base + ".png");
                    NS_LOG_INFO("rendered " << png);
                }
                else
                {
                    std::string why = rc == 127 ? "could not be started"
                                                : "failed (exit " + std::to_string(rc) + ")";
                    NS_LOG_WARN("gnuplot " << why << " on " << f.base << ".plt: " << Tail(out, 5));
                    if (note.empty())
                    {
                        note = "gnuplot ('" + options.gnuplot + "') " + why + " on " + f.base +
                               ".plt: " + Tail(out, 3);
                    }
                }
            }
            if (ok != figures.size())
            {
                note = std::to_string(figures.size() - ok) + " of " +
                       std::to_string(figures.size()) + " figures were not rendered: " + note;
            }
            info.rendered = ok == figures.size();
        }
    }
    if (!note.empty())
    {
        NS_LOG_WARN("report: " << note);
    }
    info.note = note;

    // The page.
    std::ostringstream h;
    h.imbue(std::locale::classic());
    std::string title = options.title.empty() ? "presec report: " + r0.scenario : options.title;
    h << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta name=\"generator\" content=\"presec ScenarioReport\">\n"
      << "<title>" << Esc(title) << "</title>\n<style>\n"
      << kCss << DecisionScreenReport::Css() << "</style>\n</head>\n<body>\n";
    h << "<h1>" << Esc(title) << "</h1>\n";
    h << "<p>Scenario <b>" << Esc(r0.scenario) << "</b>, seed " << r0.seed << ", "
      << Fixed(r0.duration, 3) << " s simulated; " << runs.size()
      << (runs.size() == 1 ? " run" : " runs") << ": ";
    for (size_t k = 0; k < runs.size(); ++k)
    {
        h << (k ? ", " : "") << "<a href=\"#run-" << (k + 1) << "\">" << Esc(runs[k].label)
          << "</a>";
    }
    h << ".</p>\n";
    if (!note.empty())
    {
        h << "<p class=\"note\">" << Esc(note) << "</p>\n";
    }

    // Overview: one row per run.
    h << "<h2 id=\"overview\">Overview</h2>\n";
    {
        Table t({"run",
                 "decision",
                 "scenario",
                 "seed",
                 "duration (s)",
                 "exposure (B)",
                 "exposure windows (s)",
                 "CPU busy (s)",
                 "IPsec overhead (B)",
                 "signalling (B)",
                 "protected tx (B)",
                 "mismatch drops",
                 "decisions"},
                "lllrrrrrrrrrr");
        for (size_t k = 0; k < runs.size(); ++k)
        {
            const auto& r = *runs[k].run;
            RunTotals x = Totals(r);
            t.Row({"<span class=\"swatch\" style=\"background:" + runs[k].color +
                       "\"></span> <a href=\"#run-" + std::to_string(k + 1) + "\">" +
                       Esc(runs[k].label) + "</a>",
                   Esc(r.decision) + (r.plain ? " (plain)" : ""),
                   Esc(r.scenario),
                   std::to_string(r.seed),
                   Fixed(r.duration, 3),
                   U64(x.exposure),
                   Fixed(x.exposureWindow, 3),
                   Fixed(x.cpuSeconds, 6),
                   U64(x.overhead),
                   U64(x.signaling),
                   U64(x.protectedTxBytes),
                   U64(x.mismatch),
                   U64(x.decisions)});
        }
        h << t.Html("overview");
        h << "<p>Exposure: clear data bytes the eavesdroppers on untrusted networks read. "
             "Exposure windows: summed over the terminals' stays on untrusted networks, from "
             "arrival to the last clear data.</p>\n";
    }

    auto figureHtml = [&](const Figure& f) {
        std::string rel = std::string(kPlotsDir) + "/" + f.base;
        std::ostringstream o;
        o << "<figure id=\"" << f.anchor << "\">\n";
        if (f.rendered)
        {
            o << "<img src=\"" << rel << ".png\" alt=\"" << f.base << "\">\n";
        }
        else
        {
            o << "<p class=\"note\">Not rendered: see the note at the top.</p>\n";
        }
        o << "<figcaption>" << f.caption << " Script: <a href=\"" << rel << ".plt\">" << rel
          << ".plt</a>, data: <a href=\"" << rel << ".dat\">" << rel << ".dat</a>."
          << "</figcaption>\n</figure>\n";
        return o.str();
    };
    if (haveCompare)
    {
        h << "<h2>Decision models compared</h2>\n" << figureHtml(figures.back());
    }
    h << "<h2 id=\"timelines\">Timelines</h2>\n";
    if (figures.size() == (haveCompare ? 1u : 0u))
    {
        h << "<p>No timeline: "
          << (limit == 0 ? "none asked for (timelineTerminals = 0) or no terminals."
                         : "the runs have no timeline samples (sampling was off).")
          << "</p>\n";
    }
    else
    {
        h << "<p>The first " << limit << " of " << r0.terminals.size()
          << " terminals (of the first run), sampled over time.</p>\n";
        for (const auto& f : figures)
        {
            if (f.base != "compare")
            {
                h << figureHtml(f);
            }
        }
    }

    // Per run: tables and the decision log.
    for (size_t k = 0; k < runs.size(); ++k)
    {
        const auto& r = *runs[k].run;
        h << "<h2 id=\"run-" << (k + 1) << "\">Run " << (k + 1) << ": " << Esc(runs[k].label)
          << "</h2>\n";
        h << "<p>Scenario <b>" << Esc(r.scenario) << "</b>, decision " << Esc(r.decision)
          << (r.plain ? " (plain baseline, no presec)" : "") << ", seed " << r.seed << ", "
          << Fixed(r.duration, 3) << " s.";
        if (k < options.outputLinks.size())
        {
            std::string d = options.outputLinks[k];
            std::string prefix = (d.empty() || d == ".") ? "" : d + "/";
            std::string links;
            for (const char* f :
                 {"summary.json", "terminals.csv", "sessions.csv", "timeline.csv", "decisions.log"})
            {
                if (FileExists(dir + "/" + prefix + f))
                {
                    links += std::string(links.empty() ? "" : ", ") + "<a href=\"" +
                             Esc(HrefPath(prefix + f)) + "\">" + Esc(prefix + f) + "</a>";
                }
            }
            if (!links.empty())
            {
                h << " Files: " << links << ".";
            }
        }
        h << "</p>\n";

        h << "<h3>Terminals</h3>\n";
        Table tt({"terminal",
                  "decision",
                  "path",
                  "exposure (B)",
                  "exposure pkts",
                  "protected tx pkts",
                  "plain tx pkts",
                  "protected rx pkts",
                  "plain rx pkts",
                  "protected tx (B)",
                  "protected rx (B)",
                  "IPsec overhead (B)",
                  "signalling (B)",
                  "mismatch drops",
                  "drops by reason",
                  "CPU busy (ms)",
                  "decisions",
                  "exposure window (s)",
                  "max exposure window (s)"},
                 "lllrrrrrrrrrrrlrrrr");
        const size_t termRows = options.tableRows == 0
                                    ? r.terminals.size()
                                    : std::min<size_t>(options.tableRows, r.terminals.size());
        for (size_t ti = 0; ti < termRows; ++ti)
        {
            const ScenarioTerminalResult& t = r.terminals[ti];
            std::string path;
            for (const auto& p : t.path)
            {
                path += (path.empty() ? "" : " &gt; ") + Esc(p);
            }
            std::string drops;
            for (const auto& d : t.drops)
            {
                drops += (drops.empty() ? "" : ", ") + Esc(d.first) + ": " + U64(d.second);
            }
            std::string nameCell = Esc(t.name);
            auto a = timelineAnchor.find(t.name);
            if (a != timelineAnchor.end())
            {
                nameCell = "<a href=\"#" + a->second + "\">" + nameCell + "</a>";
            }
            tt.Row({nameCell,
                    Esc(t.decision),
                    path,
                    U64(t.exposureBytes),
                    U64(t.exposurePackets),
                    U64(t.protectedTxPackets),
                    U64(t.plainTxPackets),
                    U64(t.protectedRxPackets),
                    U64(t.plainRxPackets),
                    U64(t.protectedTxBytes),
                    U64(t.protectedRxBytes),
                    U64(t.overheadBytes),
                    U64(t.signalingBytes),
                    U64(t.mismatchDrops),
                    drops,
                    Fixed(t.cpuBusySeconds * 1e3, 3),
                    std::to_string(t.decisions),
                    Fixed(t.exposureWindowS, 3),
                    Fixed(t.maxExposureWindowS, 3)});
        }
        h << tt.Html("terminals");
        if (termRows < r.terminals.size())
        {
            h << "<p>The first " << termRows << " of " << r.terminals.size()
              << " terminals; terminals.csv has them all.</p>\n";
        }

        h << "<h3>Sessions</h3>\n";
        if (r.sessions.empty())
        {
            h << "<p>No sessions.</p>\n";
        }
        else
        {
            Table st({"caller",
                      "callee",
                      "traffic",
                      "sent",
                      "received",
                      "lost",
                      "mean delay (ms)",
                      "jitter (ms)",
                      "setup latency (ms)",
                      "bulk received (B)",
                      "exposure (B)",
                      "first exposure (s)",
                      "last exposure (s)",
                      "codec",
                      "mouth-to-ear (ms)",
                      "R",
                      "MOS",
                      "wire (kb/s)",
                      "clear (kb/s)",
                      "protected (kb/s)"},
                     "lllrrrrrrrrrrlrrrrrr");
            const size_t sessRows = options.tableRows == 0
                                        ? r.sessions.size()
                                        : std::min<size_t>(options.tableRows, r.sessions.size());
            for (size_t si = 0; si < sessRows; ++si)
            {
                const ScenarioSessionResult& s = r.sessions[si];
                st.Row({Esc(s.caller),
                        Esc(s.callee),
                        Esc(s.traffic),
                        U64(s.sent),
                        U64(s.received),
                        U64(s.lost),
                        Fixed(s.meanDelayMs, 3),
                        Fixed(s.jitterMs, 3),
                        TimeOrNever(s.setupLatencyMs, 3),
                        U64(s.bulkBytes),
                        U64(s.exposureBytes),
                        TimeOrNever(s.firstExposure, 6),
                        TimeOrNever(s.lastExposure, 6),
                        Esc(s.codec),
                        OrDash(s.mouthToEarMs, 1),
                        OrDash(s.rFactor, 1),
                        OrDash(s.mos, 2),
                        OrDash(s.wireKbps, 1),
                        OrDash(s.wireKbpsClear, 1),
                        OrDash(s.wireKbpsProtected, 1)});
            }
            h << st.Html("sessions");
            if (sessRows < r.sessions.size())
            {
                h << "<p>The first " << sessRows << " of " << r.sessions.size()
                  << " sessions; sessions.csv has them all.</p>\n";
            }
        }
        h << HandoverChart::Html(r.handovers, options.tableRows);
        h << DecisionScreenReport::Html(r.decisions, k + 1, options.tableRows);

        h << "<h3>Networks</h3>\n";
        Table nt({"network",
                  "trusted",
                  "sniffed",
                  "clear data (B)",
                  "clear data pkts",
                  "signalling seen (B)",
                  "protected seen (B)",
                  "protected pkts",
                  "expected clear (B)"},
                 "lllrrrrrr");
        for (const auto& n : r.networks)
        {
            nt.Row({Esc(n.name),
                    n.trusted ? "yes" : "no",
                    n.sniffed ? "yes" : "no",
                    U64(n.clearDataBytes),
                    U64(n.clearDataPackets),
                    U64(n.signalingBytes),
                    U64(n.protectedBytes),
                    U64(n.protectedPackets),
                    U64(n.expectedClearBytes)});
        }
        h << nt.Html("networks");

        h << "<details>\n<summary>Decision log (" << r.decisionLog.size()
          << (r.decisionLog.size() == 1 ? " line" : " lines") << ")</summary>\n<pre>";
        for (const auto& l : r.decisionLog)
        {
            h << Esc(l) << "\n";
        }
        h << "</pre>\n</details>\n";
    }
    h << "</body>\n</html>\n";
    e = WriteFile(dir + "/index.html", h.str());
    if (!e.empty())
    {
        return e;
    }
    info.files.push_back("index.html");
    NS_LOG_INFO("report: " << dir << "/index.html, " << figures.size() << " figures"
                           << (info.rendered ? "" : " (not rendered)"));
    return "";
}

} // namespace ns3
