/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "presence-endpoint.h"

#include "ns3/text-util.h"

#include <algorithm>
#include <sstream>

namespace ns3
{

using text::Lower;

bool
PresenceEndpoint::ParseSipTarget(const std::string& uri, Ipv4Address& address, uint16_t& port)
{
    size_t colon = uri.find(':');
    if (colon == std::string::npos)
    {
        return false;
    }
    std::string scheme = Lower(uri.substr(0, colon));
    if (scheme != "sip" && scheme != "sips")
    {
        return false;
    }
    std::string rest = uri.substr(colon + 1);
    rest = rest.substr(0, rest.find_first_of(";?>"));
    size_t at = rest.rfind('@');
    std::string hostPort = at == std::string::npos ? rest : rest.substr(at + 1);
    size_t pc = hostPort.find(':');
    std::string host = hostPort.substr(0, pc);
    port = 5060;
    if (pc != std::string::npos)
    {
        std::string p = hostPort.substr(pc + 1);
        if (p.empty() || p.size() > 5 ||
            !std::all_of(p.begin(), p.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
            std::stoul(p) > 65535 || std::stoul(p) == 0)
        {
            return false;
        }
        port = static_cast<uint16_t>(std::stoul(p));
    }
    return ParseIpv4Address(host, address);
}

std::string
PresenceEndpoint::HostUri(Ipv4Address address, uint16_t port, const std::string& user)
{
    std::ostringstream os;
    os << "sip:";
    if (!user.empty())
    {
        os << user << "@";
    }
    os << address;
    if (port != 5060)
    {
        os << ":" << port;
    }
    return os.str();
}

bool
PresenceEndpoint::IsUriOf(const std::string& uri,
                          const std::string& aor,
                          const std::string& userPart,
                          const std::vector<Ipv4Address>& own)
{
    size_t colon = uri.find(':');
    std::string scheme = Lower(uri.substr(0, colon));
    if (colon == std::string::npos || (scheme != "sip" && scheme != "sips" && scheme != "pres"))
    {
        return false;
    }
    std::string rest = uri.substr(colon + 1);
    rest = rest.substr(0, rest.find_first_of(";?"));
    size_t at = rest.rfind('@');
    std::string user = at == std::string::npos ? "" : rest.substr(0, at);
    std::string host = at == std::string::npos ? rest : rest.substr(at + 1);
    host = host.substr(0, host.find(':'));
    Ipv4Address address;
    if (ParseIpv4Address(host, address))
    {
        return (user.empty() || user == userPart) &&
               std::find(own.begin(), own.end(), address) != own.end();
    }
    std::string aorRest = aor.substr(aor.find(':') + 1);
    size_t aorAt = aorRest.rfind('@');
    std::string domain = aorAt == std::string::npos ? aorRest : aorRest.substr(aorAt + 1);
    return user == userPart && Lower(host) == Lower(domain);
}

} // namespace ns3
