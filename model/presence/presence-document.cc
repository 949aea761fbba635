/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "presence-document.h"

#include "ns3/abort.h"
#include "ns3/log.h"

#include <array>
#include <cstdio>
#include <utility>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("PresenceDocument");

namespace
{

const std::array<std::pair<PlaceType, const char*>, 9> kPlaceTokens{{
    {PlaceType::OFFICE, "office"},
    {PlaceType::RESIDENCE, "residence"},
    {PlaceType::PUBLIC, "public"},
    {PlaceType::CAFE, "cafe"},
    {PlaceType::HOTEL, "hotel"},
    {PlaceType::AIRPORT, "airport"},
    {PlaceType::PUBLIC_TRANSPORT, "public-transport"},
    {PlaceType::OTHER, "other"},
    {PlaceType::UNKNOWN, "unknown"},
}};

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t
DaysFromCivil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

/// Inverse of DaysFromCivil.
void
CivilFromDays(int64_t z, int64_t& y, unsigned& m, unsigned& d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y = static_cast<int64_t>(yoe) + era * 400 + (m <= 2);
}

unsigned
DaysInMonth(int64_t y, unsigned m)
{
    static const unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

/// Reads exactly \p n digits at \p pos; false if any is not a digit.
bool
Digits(const std::string& s, size_t pos, size_t n, unsigned& value)
{
    if (pos + n > s.size())
    {
        return false;
    }
    value = 0;
    for (size_t i = pos; i < pos + n; ++i)
    {
        if (s[i] < '0' || s[i] > '9')
        {
            return false;
        }
        value = value * 10 + unsigned(s[i] - '0');
    }
    return true;
}

const int32_t kMaxOffsetMinutes = 14 * 60; // xs:dateTime's limit; RFC 3339 allows more

} // namespace

bool
PresenceDocument::operator==(const PresenceDocument& o) const
{
    return entity == o.entity && tupleId == o.tupleId && basic == o.basic && contact == o.contact &&
           note == o.note && timestamp == o.timestamp && placeType == o.placeType &&
           placeTypeText == o.placeTypeText && sphere == o.sphere && sphereText == o.sphereText &&
           addresses == o.addresses && user == o.user && location == o.location &&
           policies == o.policies;
}

bool
PresenceDocument::operator!=(const PresenceDocument& o) const
{
    return !(*this == o);
}

std::ostream&
operator<<(std::ostream& os, const PresenceDocument& d)
{
    os << "entity=" << d.entity << " tuple=" << d.tupleId << " basic=" << ToString(d.basic);
    if (!d.contact.empty())
    {
        os << " contact=" << d.contact;
    }
    if (!d.timestamp.empty())
    {
        os << " timestamp=" << d.timestamp;
    }
    if (d.placeType)
    {
        os << " place-type=" << ToString(*d.placeType);
        if (!d.placeTypeText.empty())
        {
            os << "(" << d.placeTypeText << ")";
        }
    }
    if (d.sphere)
    {
        os << " sphere=" << ToString(*d.sphere);
        if (!d.sphereText.empty())
        {
            os << "(" << d.sphereText << ")";
        }
    }
    for (const auto& a : d.addresses)
    {
        os << " address=" << a;
    }
    if (!d.user.empty())
    {
        os << " user=" << d.user;
    }
    if (!d.location.empty())
    {
        os << " location=" << d.location;
    }
    os << " policies=" << d.policies.size();
    return os;
}

std::string
ToString(BasicStatus s)
{
    return s == BasicStatus::OPEN ? "open" : "closed";
}

std::string
ToString(PlaceType p)
{
    for (const auto& [type, token] : kPlaceTokens)
    {
        if (type == p)
        {
            return token;
        }
    }
    return "unknown";
}

std::string
ToString(Sphere s)
{
    switch (s)
    {
    case Sphere::HOME:
        return "home";
    case Sphere::WORK:
        return "work";
    case Sphere::UNKNOWN:
        break;
    }
    return "unknown";
}

std::optional<PlaceType>
PlaceTypeFromToken(const std::string& token)
{
    for (const auto& [type, name] : kPlaceTokens)
    {
        if (token == name)
        {
            return type;
        }
    }
    return std::nullopt;
}

bool
ParseIpv4Address(const std::string& text, Ipv4Address& address)
{
    uint32_t bits = 0;
    size_t pos = 0;
    for (int i = 0; i < 4; ++i)
    {
        size_t end = i < 3 ? text.find('.', pos) : text.size();
        if (end == std::string::npos || end == pos || end - pos > 3)
        {
            return false;
        }
        unsigned octet = 0;
        // No leading zeros: "010" reads as octal in inet_aton, so it is refused outright.
        if (!Digits(text, pos, end - pos, octet) || octet > 255 ||
            (end - pos > 1 && text[pos] == '0'))
        {
            return false;
        }
        bits = (bits << 8) | octet;
        pos = end + 1;
    }
    address = Ipv4Address(bits);
    return true;
}

bool
Rfc3339Time::operator<(const Rfc3339Time& other) const
{
    return utcSeconds != other.utcSeconds ? utcSeconds < other.utcSeconds
                                          : nanoseconds < other.nanoseconds;
}

std::optional<Rfc3339Time>
ParseRfc3339(const std::string& s)
{
    // YYYY-MM-DDThh:mm:ss
    unsigned year = 0;
    unsigned month = 0;
    unsigned day = 0;
    unsigned hour = 0;
    unsigned minute = 0;
    unsigned second = 0;
    if (s.size() < 20 || !Digits(s, 0, 4, year) || s[4] != '-' || !Digits(s, 5, 2, month) ||
        s[7] != '-' || !Digits(s, 8, 2, day) || s[10] != 'T' || !Digits(s, 11, 2, hour) ||
        s[13] != ':' || !Digits(s, 14, 2, minute) || s[16] != ':' || !Digits(s, 17, 2, second))
    {
        return std::nullopt;
    }
    if (year == 0 || month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) ||
        hour > 23 || minute > 59 || second > 59)
    {
        return std::nullopt;
    }
    Rfc3339Time t;
    size_t pos = 19;
    if (s[pos] == '.')
    {
        size_t start = ++pos;
        uint32_t scale = 100000000;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9')
        {
            t.nanoseconds += uint32_t(s[pos] - '0') * scale;
            scale /= 10;
            ++pos;
        }
        if (pos == start)
        {
            return std::nullopt;
        }
    }
    if (pos < s.size() && s[pos] == 'Z')
    {
        ++pos;
    }
    else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-'))
    {
        unsigned oh = 0;
        unsigned om = 0;
        if (!Digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
            !Digits(s, pos + 4, 2, om) || om > 59)
        {
            return std::nullopt;
        }
        int32_t offset = int32_t(oh * 60 + om);
        if (offset > kMaxOffsetMinutes)
        {
            return std::nullopt;
        }
        t.offsetMinutes = s[pos] == '-' ? -offset : offset;
        pos += 6;
    }
    else
    {
        return std::nullopt; // RFC 3339 requires an offset; lower-case z is refused (RFC 3863)
    }
    if (pos != s.size())
    {
        return std::nullopt;
    }
    int64_t local = DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
    t.utcSeconds = local - int64_t(t.offsetMinutes) * 60;
    return t;
}

std::string
FormatRfc3339(const Rfc3339Time& t)
{
    NS_ABORT_MSG_IF(t.offsetMinutes > kMaxOffsetMinutes || t.offsetMinutes < -kMaxOffsetMinutes,
                    "RFC 3339 offset out of range: " << t.offsetMinutes << " min");
    NS_ABORT_MSG_IF(t.nanoseconds >= 1000000000, "nanoseconds out of range");
    int64_t local = t.utcSeconds + int64_t(t.offsetMinutes) * 60;
    // Floor division so instants before 1970 land on the right day.
    int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
    int64_t secs = local - days * 86400;
    int64_t year = 0;
    unsigned month = 0;
    unsigned day = 0;
    CivilFromDays(days, year, month, day);
    NS_ABORT_MSG_IF(year < 1 || year > 9999, "year " << year << " outside 0001-9999");

    char buf[64];
    int n = std::snprintf(buf,
                          sizeof(buf),
                          "%04d-%02u-%02uT%02d:%02d:%02d",
                          int(year),
                          month,
                          day,
                          int(secs / 3600),
                          int(secs / 60 % 60),
                          int(secs % 60));
    std::string out(buf, size_t(n));
    if (t.nanoseconds != 0)
    {
        std::snprintf(buf, sizeof(buf), "%09u", t.nanoseconds);
        std::string frac(buf);
        frac.erase(frac.find_last_not_of('0') + 1);
        out += "." + frac;
    }
    if (t.offsetMinutes == 0)
    {
        out += "Z";
    }
    else
    {
        int32_t a = t.offsetMinutes < 0 ? -t.offsetMinutes : t.offsetMinutes;
        std::snprintf(buf,
                      sizeof(buf),
                      "%c%02d:%02d",
                      t.offsetMinutes < 0 ? '-' : '+',
                      a / 60,
                      a % 60);
        out += buf;
    }
    return out;
}

std::string
MakeTimestamp(const Rfc3339Time& base, Time now, int32_t offsetMinutes)
{
    NS_LOG_FUNCTION(base.utcSeconds << now << offsetMinutes);
    // Whole milliseconds, rounded towards minus infinity, added to the base instant.
    int64_t ms = now.GetMilliSeconds();
    if (now.GetNanoSeconds() < ms * 1000000)
    {
        --ms;
    }
    int64_t totalMs = base.utcSeconds * 1000 + int64_t(base.nanoseconds / 1000000) + ms;
    int64_t secs = totalMs >= 0 ? totalMs / 1000 : -((-totalMs + 999) / 1000);
    Rfc3339Time t;
    t.utcSeconds = secs;
    t.nanoseconds = uint32_t(totalMs - secs * 1000) * 1000000;
    t.offsetMinutes = offsetMinutes;
    return FormatRfc3339(t);
}

} // namespace ns3
