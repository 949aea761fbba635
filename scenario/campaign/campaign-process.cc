/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "campaign-process.h"

#include "campaign.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace ns3
{
namespace campaign
{

namespace
{

/// In the child: point descriptor \p fd at \p file, or leave it.
void
Redirect(int fd, const std::string& file)
{
    if (file.empty())
    {
        return;
    }
    int f = open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (f < 0 || dup2(f, fd) < 0)
    {
        _exit(127);
    }
    close(f);
}

} // namespace

int
Spawn(const std::vector<std::string>& argv,
      const std::string& cwd,
      const std::string& stdoutFile,
      const std::string& stderrFile)
{
    std::vector<char*> args;
    for (const auto& a : argv)
    {
        args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);
    pid_t pid = fork();
    if (pid < 0)
    {
        return 127;
    }
    if (pid == 0)
    {
        if (!cwd.empty() && chdir(cwd.c_str()) != 0)
        {
            _exit(127);
        }
        Redirect(STDOUT_FILENO, stdoutFile);
        Redirect(STDERR_FILENO, stderrFile);
        execvp(args[0], args.data());
        std::string msg = "presec-sweep: cannot execute " + argv[0] + ": " + strerror(errno) + "\n";
        (void)!write(STDERR_FILENO, msg.data(), msg.size());
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
    {
        if (errno != EINTR)
        {
            return 127;
        }
    }
    if (WIFEXITED(status))
    {
        return WEXITSTATUS(status);
    }
    return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

std::string
FindOnPath(const std::string& name)
{
    const char* path = std::getenv("PATH");
    std::istringstream in(path ? path : "/usr/bin:/bin");
    std::string dir;
    while (std::getline(in, dir, ':'))
    {
        std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
        if (access(candidate.c_str(), X_OK) == 0)
        {
            return candidate;
        }
    }
    return "";
}

std::string
SelfPath()
{
    std::error_code ec;
    auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::string() : p.string();
}

std::string
SelfDir()
{
    return std::filesystem::path(SelfPath()).parent_path().string();
}

std::string
ReadFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        throw CampaignError(path + ": cannot read");
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void
WriteFileAtomically(const std::string& path, const std::string& text)
{
    std::string tmp = path + ".tmp" + std::to_string(getpid());
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << text;
        if (!out.flush())
        {
            throw CampaignError(path + ": cannot write");
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec)
    {
        throw CampaignError(path + ": cannot write (" + ec.message() + ")");
    }
}

std::string
ShellQuote(const std::vector<std::string>& argv)
{
    std::string out;
    for (const auto& a : argv)
    {
        bool plain = !a.empty() &&
                     a.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN"
                                         "OPQRSTUVWXYZ0123456789_-.,/:=+@%") == std::string::npos;
        if (!out.empty())
        {
            out += ' ';
        }
        if (plain)
        {
            out += a;
            continue;
        }
        out += '\'';
        for (char ch : a)
        {
            out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
        }
        out += '\'';
    }
    return out;
}

} // namespace campaign
} // namespace ns3
