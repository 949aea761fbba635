/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "text-util.h"

#include <algorithm>

namespace ns3
{
namespace text
{

namespace
{

/// Not std::tolower: that consults the global locale for every character.
char
LowerAscii(unsigned char c)
{
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
}

} // namespace

std::string
Trim(const std::string& s, const char* space)
{
    size_t b = s.find_first_not_of(space);
    if (b == std::string::npos)
    {
        return "";
    }
    return s.substr(b, s.find_last_not_of(space) - b + 1);
}

std::string
TrimWsp(const std::string& s)
{
    return Trim(s, WSP);
}

std::string
Lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return LowerAscii(c); });
    return s;
}

bool
IEquals(const std::string& a, const std::string& b)
{
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
               return LowerAscii(x) == LowerAscii(y);
           });
}

std::vector<std::string>
SplitOutsideBrackets(const std::string& s, char separator)
{
    std::vector<std::string> items;
    std::string item;
    int depth = 0;
    for (char c : s)
    {
        if (c == separator && depth == 0)
        {
            items.push_back(Trim(item));
            item.clear();
            continue;
        }
        depth += c == '[' ? 1 : (c == ']' && depth > 0 ? -1 : 0);
        item += c;
    }
    items.push_back(Trim(item));
    return items;
}

std::string
CsvField(const std::string& s)
{
    if (s.find_first_of(",\"\n\r") == std::string::npos)
    {
        return s;
    }
    std::string out = "\"";
    for (char ch : s)
    {
        out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    }
    return out + "\"";
}

} // namespace text
} // namespace ns3
