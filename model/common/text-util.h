/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_TEXT_UTIL_H
#define PRESEC_TEXT_UTIL_H

#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-common
 * The few string helpers presec's parsers share (one copy each).
 */
namespace text
{

/** White space in configuration and document text: SP, HT, CR, LF, FF, VT. */
constexpr const char* SPACE = " \t\r\n\f\v";

/** SIP's linear white space within a line (RFC 3261 section 25.1 WSP): SP and HT. */
constexpr const char* WSP = " \t";

/**
 * \param s a string
 * \param space the characters to strip
 * \return \p s without leading and trailing characters of \p space
 */
std::string Trim(const std::string& s, const char* space = SPACE);

/**
 * SIP's trim: only its linear white space (SP, HT), so that a CR or LF left in a header value
 * is still there for the parser to refuse.
 * \param s a string
 * \return \p s without leading and trailing SP and HT
 */
std::string TrimWsp(const std::string& s);

/**
 * \param s a string
 * \return \p s with ASCII letters in lower case (other bytes unchanged, whatever the locale)
 */
std::string Lower(std::string s);

/**
 * \param a a string
 * \param b a string
 * \return true if they are equal but for the case of ASCII letters (tokens, names, schemes)
 */
bool IEquals(const std::string& a, const std::string& b);

/**
 * Splits a list at \p separator, except inside square brackets (ns-3's ObjectFactory strings,
 * "ns3::Type[A=1|B=2]", stay whole); each item is trimmed.
 * \param s a list, e.g. "A=1,B=ns3::X[C=2,D=3]"
 * \param separator the separator
 * \return the items (one empty item for an empty \p s)
 */
std::vector<std::string> SplitOutsideBrackets(const std::string& s, char separator);

/**
 * \param s a field's text
 * \return \p s as one CSV field (RFC 4180): quoted, with its quotes doubled, when it holds a
 *         comma, a quote or a line break; else as it is
 */
std::string CsvField(const std::string& s);

} // namespace text
} // namespace ns3

#endif // PRESEC_TEXT_UTIL_H
