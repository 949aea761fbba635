/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_SETKEY_PARSER_H
#define PRESEC_SETKEY_PARSER_H

#include "parse-result.h"
#include "security-policy.h"

#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec
 * The statements of a setkey(8) configuration file that presec understands.
 */
struct SetkeyScript
{
    std::vector<SecurityPolicy> policies; //!< `spdadd` statements, in file order
    bool flush{false};    //!< a `flush;` statement was present (clear the SAD)
    bool spdflush{false}; //!< a `spdflush;` statement was present (clear the SPD)
};

/**
 * \ingroup presec
 * Parser and printer for KAME / ipsec-tools setkey(8) policy statements:
 *
 *     spdadd [-4|-6|-n ...] src_range dst_range upperspec -P in|out [prio N]
 *            discard|none|ipsec rule... ;
 *
 * with ranges `addr`, `addr/plen`, `addr[port]`, `addr/plen[port]` (port `any`), upperspec a
 * protocol name, a number or `any`, and rules `proto/mode/src-dst/level`
 * (level `default|use|require|unique[:id]`; a missing level means default).
 *
 * Print(Parse(line)) gives the line back token for token (white space is normalised to single
 * blanks and `;` follows the last token).
 */
class SetkeyParser
{
  public:
    /**
     * Parse one `spdadd` statement; the trailing `;` is optional.
     * \param text the statement
     * \return the policy, or an error with the 1-based column and what was expected there
     */
    static ParseResult<SecurityPolicy> ParsePolicy(const std::string& text);

    /**
     * Parse a whole setkey file: statements end with `;` and may span lines, `#` starts a
     * comment. Understood: `spdadd`, `flush`, `spdflush`; anything else is an error.
     * \param text the file content
     * \return the statements, or the first error with its line and column
     */
    static ParseResult<SetkeyScript> ParseScript(const std::string& text);

    /**
     * Print a policy as a setkey statement, ending in `;`.
     * \param policy the policy
     * \return the statement text
     */
    static std::string Print(const SecurityPolicy& policy);
};

} // namespace ns3

#endif // PRESEC_SETKEY_PARSER_H
