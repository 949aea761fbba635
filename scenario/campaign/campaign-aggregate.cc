/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "campaign-aggregate.h"

#include "campaign-process.h"

#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

namespace ns3
{
namespace campaign
{

namespace
{

using nlohmann::json;

/// Follow one path segment ("key", "key[*]", "key[N]") from every node of \p from.
std::vector<const json*>
Step(const std::vector<const json*>& from, const std::string& segment)
{
    auto open = segment.find('[');
    std::string key = segment.substr(0, open);
    std::string index =
        open == std::string::npos ? "" : segment.substr(open + 1, segment.size() - open - 2);
    std::vector<const json*> out;
    for (const json* node : from)
    {
        if (!node->is_object() || !node->contains(key))
        {
            throw CampaignError("no key '" + key + "'");
        }
        const json& child = (*node)[key];
        if (index.empty())
        {
            out.push_back(&child);
            continue;
        }
        if (!child.is_array())
        {
            throw CampaignError("'" + key + "' is not an array");
        }
        if (index == "*")
        {
            for (const auto& e : child)
            {
                out.push_back(&e);
            }
            continue;
        }
        size_t i = std::stoul(index);
        if (i >= child.size())
        {
            throw CampaignError("'" + key + "' has no element " + index);
        }
        out.push_back(&child[i]);
    }
    return out;
}

std::string
Tail(const std::string& text, unsigned lines)
{
    size_t pos = text.size();
    if (pos > 0 && text[pos - 1] == '\n')
    {
        --pos;
    }
    for (unsigned n = 0; n < lines && pos != std::string::npos && pos > 0; ++n)
    {
        pos = text.rfind('\n', pos - 1);
    }
    return pos == std::string::npos || pos == 0 ? text : text.substr(pos + 1);
}

std::string
ReadOr(const std::string& path, const std::string& fallback)
{
    try
    {
        return ReadFile(path);
    }
    catch (const CampaignError&)
    {
        return fallback;
    }
}

/// A JSON file of a run, or an error naming the run.
json
ReadJson(const RunSpec& run, const std::string& path)
{
    try
    {
        return json::parse(ReadFile(path));
    }
    catch (const json::exception& e)
    {
        throw CampaignError("run " + run.id + ": " + path + ": not valid JSON (" + e.what() + ")");
    }
    catch (const CampaignError& e)
    {
        throw CampaignError("run " + run.id + ": " + e.what());
    }
}

void
ReadDone(const Campaign& c, const std::string& dir, RunResult& r)
{
    const RunSpec& run = *r.run;
    std::string folder = RunDir(dir, run);
    json marker = ReadJson(run, folder + "/run.json");
    if (!marker.is_object() || marker.value("format", "") != kFormat ||
        marker.value("run_id", "") != run.id)
    {
        throw CampaignError("run " + run.id + ": " + folder +
                            "/run.json: written by another version of presec-sweep or for "
                            "another run (format " +
                            (marker.is_object() && marker.contains("format")
                                 ? marker["format"].dump()
                                 : std::string("none")) +
                            ", expected \"" + kFormat + "\"); use a fresh --out folder");
    }
    json summary = ReadJson(run, folder + "/summary.json");
    for (const auto& m : c.metrics)
    {
        try
        {
            r.metrics.push_back(ExtractMetric(summary, m));
        }
        catch (const CampaignError& e)
        {
            throw CampaignError("run " + run.id + ": " + folder + "/summary.json: metric '" +
                                m.name + "' (" + c.file + ":" + std::to_string(m.line) + ", path " +
                                m.path + "): " + e.what());
        }
    }
}

void
ReadFailed(const std::string& dir, RunResult& r)
{
    std::string folder = RunDir(dir, *r.run);
    try
    {
        r.exitStatus = ReadJson(*r.run, folder + "/failed.json").value("exit_status", -1);
    }
    catch (const json::exception&)
    {
        r.exitStatus = -1;
    }
    r.command = ReadOr(folder + "/command.txt", "");
    while (!r.command.empty() && r.command.back() == '\n')
    {
        r.command.pop_back();
    }
    r.stderrTail = Tail(ReadOr(folder + "/stderr.txt", ""), 10);
}

} // namespace

double
ExtractMetric(const nlohmann::json& summary, const Metric& metric)
{
    std::vector<const json*> nodes{&summary};
    std::istringstream in(metric.path);
    std::string segment;
    while (std::getline(in, segment, '.'))
    {
        nodes = Step(nodes, segment);
    }
    std::vector<double> numbers;
    for (const json* n : nodes)
    {
        if (!n->is_number())
        {
            throw CampaignError("a value is not a number: " + n->dump());
        }
        numbers.push_back(n->get<double>());
    }
    if (metric.reduce == Reduce::SUM)
    {
        double sum = 0;
        for (double v : numbers)
        {
            sum += v;
        }
        return sum;
    }
    if (numbers.empty())
    {
        throw CampaignError("the path selects no number");
    }
    if (metric.reduce == Reduce::SINGLE && numbers.size() != 1)
    {
        throw CampaignError("the path selects " + std::to_string(numbers.size()) +
                            " numbers; say reduce=\"sum|mean|max|min\"");
    }
    double out = numbers[0];
    for (double v : numbers)
    {
        out = metric.reduce == Reduce::MAX   ? std::max(out, v)
              : metric.reduce == Reduce::MIN ? std::min(out, v)
                                             : out;
    }
    if (metric.reduce == Reduce::MEAN)
    {
        double sum = 0;
        for (double v : numbers)
        {
            sum += v;
        }
        out = sum / numbers.size();
    }
    return out;
}

Aggregate
Collect(const Campaign& c, const std::vector<RunSpec>& runs, const std::string& dir)
{
    Aggregate a;
    for (const auto& run : runs)
    {
        RunResult r;
        r.run = &run;
        r.state = StateOf(dir, run);
        if (r.state == RunState::DONE)
        {
            ReadDone(c, dir, r);
            ++a.done;
        }
        else if (r.state == RunState::FAILED)
        {
            ReadFailed(dir, r);
            ++a.failed;
        }
        else
        {
            ++a.pending;
        }
        a.runs.push_back(std::move(r));
    }
    // Runs of a configuration are consecutive in the expansion.
    for (size_t i = 0; i < a.runs.size();)
    {
        ConfigResult cr;
        cr.config = a.runs[i].run->config;
        cr.values = a.runs[i].run->values;
        std::vector<std::vector<double>> samples(c.metrics.size());
        for (; i < a.runs.size() && a.runs[i].run->config == cr.config; ++i)
        {
            if (a.runs[i].state == RunState::FAILED)
            {
                ++cr.failed;
            }
            for (size_t m = 0; m < a.runs[i].metrics.size(); ++m)
            {
                samples[m].push_back(a.runs[i].metrics[m]);
            }
        }
        for (const auto& s : samples)
        {
            cr.metrics.push_back(Summarize(s));
        }
        a.configs.push_back(std::move(cr));
    }
    return a;
}

std::string
FormatNumber(double v)
{
    if (std::isnan(v))
    {
        return "";
    }
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
    return ec == std::errc() ? std::string(buf, end) : std::string();
}

} // namespace campaign
} // namespace ns3
