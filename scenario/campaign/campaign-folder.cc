/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "campaign-folder.h"

#include "campaign-process.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sys/file.h>
#include <unistd.h>

namespace ns3
{
namespace campaign
{

const char* const kFormat = "presec-sweep/1";

std::string
RunDir(const std::string& dir, const RunSpec& run)
{
    return dir + "/runs/" + run.id;
}

RunState
StateOf(const std::string& dir, const RunSpec& run)
{
    std::error_code ec;
    if (std::filesystem::exists(RunDir(dir, run) + "/run.json", ec))
    {
        return RunState::DONE;
    }
    if (std::filesystem::exists(RunDir(dir, run) + "/failed.json", ec))
    {
        return RunState::FAILED;
    }
    return RunState::PENDING;
}

std::string
CampaignHash(const Campaign& c, const std::vector<RunSpec>& runs)
{
    std::string text;
    try
    {
        text = ReadFile(c.scenario);
    }
    catch (const CampaignError&)
    {
        throw CampaignError(c.file + ":1: the scenario " + c.scenario + " cannot be read");
    }
    text += '\0';
    for (const auto& r : runs)
    {
        text += r.id + '\0' + ShellQuote(r.command) + '\0';
    }
    for (const auto& m : c.metrics)
    {
        text += m.name + '\0' + m.path + '\0' + ReduceName(m.reduce) + '\0';
    }
    return Hex(StableHash(text), 16);
}

namespace
{

nlohmann::json
Manifest(const Campaign& c, const std::vector<RunSpec>& runs)
{
    nlohmann::json m;
    m["format"] = kFormat;
    m["campaign"] = c.name;
    m["campaign_hash"] = CampaignHash(c, runs);
    m["runs"] = runs.size();
    return m;
}

/// false when there is no manifest; throws when there is a different one.
bool
Matches(const nlohmann::json& want, const std::string& dir)
{
    std::string path = dir + "/campaign.json";
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
    {
        return false;
    }
    nlohmann::json have;
    try
    {
        have = nlohmann::json::parse(ReadFile(path));
    }
    catch (const nlohmann::json::exception& e)
    {
        throw CampaignError(path + ": not a campaign manifest (" + e.what() + ")");
    }
    if (!have.is_object() || !have.contains("format") || have["format"] != want["format"])
    {
        std::string format =
            have.is_object() && have.contains("format") ? have["format"].dump() : "none";
        throw CampaignError(path + ": results written by another version (format " + format +
                            ", this presec-sweep reads \"" + kFormat +
                            "\"); use a fresh --out folder");
    }
    if (have.value("campaign_hash", "") != want["campaign_hash"])
    {
        throw CampaignError(path + ": results of another campaign (or the campaign or its "
                                   "scenario changed since); use a fresh --out folder");
    }
    return true;
}

} // namespace

void
PrepareFolder(const Campaign& c, const std::vector<RunSpec>& runs, const std::string& dir)
{
    auto want = Manifest(c, runs);
    std::error_code ec;
    std::filesystem::create_directories(dir + "/runs/.tmp", ec);
    if (ec)
    {
        throw CampaignError(dir + ": cannot create the results folder (" + ec.message() + ")");
    }
    if (!Matches(want, dir))
    {
        WriteFileAtomically(dir + "/campaign.json", want.dump(2) + "\n");
    }
}

void
CheckFolder(const Campaign& c, const std::vector<RunSpec>& runs, const std::string& dir)
{
    if (!Matches(Manifest(c, runs), dir))
    {
        throw CampaignError(dir +
                            "/campaign.json: missing; no run of this campaign was started "
                            "in " +
                            dir);
    }
}

void
LockFolder(const std::string& dir)
{
    std::string path = dir + "/.lock";
    // Kept open (not inherited by the runs) until the process exits.
    int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
    {
        throw CampaignError(path + ": cannot open (" + std::strerror(errno) + ")");
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0)
    {
        close(fd);
        throw CampaignError(dir + ": another presec-sweep is running this campaign in it");
    }
}

} // namespace campaign
} // namespace ns3
