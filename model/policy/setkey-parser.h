/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_SETKEY_PARSER_H
#define PRESEC_SETKEY_PARSER_H

#include "security-policy.h"

#include "ns3/parse-result.h"
#include "ns3/security-association.h"

#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-policy
 * How an `add` statement was written, as far as SecurityAssociation cannot hold it.
 *
 * SetkeyParser::PrintSa uses it to print `-m any`, `-R` and the options back.
 */
struct SetkeySaForm
{
    std::string options; //!< `-4`/`-n` options as written, space-joined (no meaning for presec)
    /**
     * The mode was `-m any` or left out (setkey's default is `any`). presec SAs have no
     * `any` mode: the SA holds TRANSPORT. Printed as `-m any` when the SA is in transport mode.
     */
    bool modeAny{false};
    bool rawCpi{false}; //!< IPComp `-C deflate -R`: the CPI is used on the wire as it is
};

/**
 * \ingroup presec-policy
 * The statements of a setkey(8) configuration file that presec understands.
 *
 * As in setkey, statements take effect in file order: a `flush;` drops the SAs added before
 * it and a `spdflush;` the policies added before it, so the vectors hold what remains.
 */
struct SetkeyScript
{
    std::vector<SecurityPolicy> policies;          //!< `spdadd` statements, in file order
    std::vector<SecurityAssociation> associations; //!< `add` statements, in file order
    std::vector<SetkeySaForm> associationForms;    //!< how associations[i] was written
    bool flush{false};    //!< a `flush;` statement was present (clear the SAD)
    bool spdflush{false}; //!< a `spdflush;` statement was present (clear the SPD)
};

/**
 * \ingroup presec-policy
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
 *
 * It also reads static SA statements:
 *
 *     add [-4|-n ...] src dst protocol spi [extensions] algorithm ;
 *
 * - src, dst: IPv4 addresses (no prefix, no port);
 * - protocol: `esp`, `ah` or `ipcomp` (`esp-old`, `ah-old`, `tcp`, ... are refused);
 * - spi: decimal, or `0x` and 1..8 hex digits; 256..4294967295 for esp and ah (0..255 are
 *   reserved, RFC 4303 §2.1), 1..65535 for the 16-bit IPComp CPI (RFC 3173 §3.3);
 * - extensions, in any order, each at most once: `-m transport|tunnel|any` (`any`, also the
 *   default, gives a transport SA); `-r size` (as the setkey(8) manuals say, size is in bytes
 *   of the replay bitmap: the window is 8 × size packets, size 0..536870911; without `-r`
 *   there is no replay check; Linux's PF_KEY reads the number as packets, at most 32; an
 *   IPComp SA never has a window, its `-r` is read and dropped);
 *   `-u reqid` (1..32767, the range of `unique:id`); `-lh`/`-ls` seconds and `-bh`/`-bs`
 *   bytes (hard/soft lifetimes, 0 = none). `-f`, `-ctx`, `-esp_frag` and `-natt` are refused
 *   as unsupported;
 * - algorithm: esp `-E ealgo key [-A aalgo key]`, ah `-A aalgo key`, ipcomp `-C deflate [-R]`.
 *   ealgo: aes-cbc (= rijndael-cbc, 16 or 32-byte key), aes-gcm-16 (20 or 36: key and 4-byte
 *   salt), 3des-cbc (24), chacha20-poly1305 (36), null (no key, or ""). aalgo: hmac-sha1 (20),
 *   hmac-sha256 (= hmac-sha2-256, 32), null (no key, or ""). An AEAD cipher takes no -A.
 *   ESP needs integrity: a cipher that is not AEAD needs `-A` with an algorithm other than
 *   null, and AH's `-A null` is refused too (SecurityAssociation::CheckIntegrity); the error
 *   points at the `-E` or at the `null`.
 *   A key is `0x` and an even number of hex digits, or a "quoted string" of printable ASCII on
 *   one line (its bytes are the key).
 *
 * `add` statements do not round-trip token for token: PrintSa writes a canonical form (hex SPI
 * and keys, every extension that is not at its default, `hmac-sha2-256`, `aes-cbc`), and
 * ParseSa(PrintSa(sa, form)) gives back an SA with the same parameters and the same form.
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
     * Parse one `add` statement; the trailing `;` is optional.
     * \param text the statement
     * \param form if not null, receives how the statement was written (on success)
     * \return the SA (no state: sequence numbers, window and lifetime counters are fresh), or
     *         an error with the 1-based column and what was wrong or expected there
     */
    static ParseResult<SecurityAssociation> ParseSa(const std::string& text,
                                                    SetkeySaForm* form = nullptr);

    /**
     * Parse a whole setkey file: statements end with `;` and may span lines, `#` starts a
     * comment (except inside a quoted key). Understood: `add`, `spdadd`, `flush`, `spdflush`;
     * anything else is an error.
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

    /**
     * Print an SA as a canonical `add` statement, ending in `;`:
     *
     *     add [options] SRC DST PROTO 0xSPI -m MODE [-r N] [-u N] [-lh N] [-ls N] [-bh N]
     *         [-bs N] -E ealgo 0xKEY [-A aalgo 0xKEY] | -A aalgo 0xKEY | -C deflate [-R];
     *
     * `-r` is the window / 8, rounded up (none for IPComp); `-lh`/`-ls` are whole seconds,
     * rounded up. An SA that ParseSa would refuse (SPI below 256, wrong key length, no
     * integrity) prints, but does not parse.
     *
     * \param sa the SA (only its parameters are printed)
     * \param form how it was written (`-m any`, `-R`, options)
     * \return the statement text
     */
    static std::string PrintSa(const SecurityAssociation& sa,
                               const SetkeySaForm& form = SetkeySaForm());
};

} // namespace ns3

#endif // PRESEC_SETKEY_PARSER_H
