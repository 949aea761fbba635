/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_RULE_TABLE_DECISION_MODEL_H
#define PRESEC_RULE_TABLE_DECISION_MODEL_H

#include "user-decision-model.h"

#include "ns3/parse-result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-decision
 * What a decision rule does with the peer's proposal.
 */
struct RuleAction
{
    /** The kinds of action. */
    enum class Kind : uint8_t
    {
        ACCEPT, //!< `accept`: register the proposal as it is
        RAISE,  //!< `raise:esp|ah|esp+ah`: at least these services, level require
        CLEAR,  //!< `clear`: clear text both ways (may lower: the peer must be told)
        REFUSE, //!< `refuse`: no session
    };

    Kind kind{Kind::ACCEPT};             //!< the action
    std::vector<IpsecProtocol> services; //!< with RAISE: the services to guarantee

    /** \return the action as written in a rule file, e.g. `raise:esp+ah` */
    std::string ToString() const;

    /**
     * \param text `accept`, `raise:esp`, `raise:ah`, `raise:esp+ah`, `clear` or `refuse`
     * \return the action, or an error saying what is accepted
     */
    static ParseResult<RuleAction> Parse(const std::string& text);
};

/**
 * \ingroup presec-decision
 * One row of a RuleTableDecisionModel: conditions (each empty or "*" = any) and an action.
 * A list holds alternatives: the condition holds if any alternative matches.
 */
struct DecisionRule
{
    std::string name;                      //!< optional name, for the decision log
    unsigned line{0};                      //!< line in the rule file (0 when built in code)
    std::vector<std::string> peerLocation; //!< peer's location label (ASCII case-insensitive)
    std::vector<PlaceType> peerPlaceType;  //!< peer's RPID place type (none given = unknown)
    std::optional<bool> peerTrusted;       //!< DecisionContext::peerTrusted
    std::vector<std::string> ownLocation;  //!< our location label (case-insensitive)
    std::optional<bool> ownTrusted;        //!< DecisionContext::ownTrusted
    std::vector<std::string> relationship; //!< family, friend, ... (case-insensitive)
    std::vector<std::string> purpose;      //!< business, private, advertising (case-insensitive)
    RuleAction action;                     //!< what to do when all conditions hold

    /**
     * \param ctx a decision context
     * \return true if every condition holds for \p ctx
     */
    bool Matches(const DecisionContext& ctx) const;

    /** \return true if the rule has no condition at all (matches every context) */
    bool MatchesEverything() const;

    /**
     * \param index the rule's 0-based position in its table (named as index + 1 when
     *        the rule has no name)
     * \return `rule 'name' (line 7)`, `rule 3`, ... for the decision log
     */
    std::string Describe(size_t index) const;
};

/**
 * \ingroup presec-decision
 * A user whose judgement is written down as a table of rules; the first rule whose
 * conditions all hold decides. The table is an XML file, e.g.
 * `scenarios/decision-rules/example-rules.xml`:
 *
 *     <decision-rules>
 *       <rule name="no-ads" purpose="advertising" action="refuse"/>
 *       <rule name="office" peer-trusted="true" own-trusted="true" action="accept"/>
 *       <rule peer-place-type="cafe|hotel|airport" action="raise:esp+ah"/>
 *       <rule relationship="family" action="raise:esp"/>
 *       <rule action="raise:esp+ah"/>
 *     </decision-rules>
 *
 * Attributes of `<rule>` (all optional except action; a missing condition or `*` means any;
 * `a|b` means a or b; labels, relationship and purpose compare ASCII case-insensitively):
 *  - `name`: shown in the decision log; unique within the file;
 *  - `peer-location`, `own-location`: location labels ("office", "external", ...);
 *  - `peer-place-type`: RFC 4589 tokens presec knows (office, residence, public, cafe, hotel,
 *    airport, public-transport, other, unknown); a peer giving none counts as unknown;
 *  - `peer-trusted`, `own-trusted`: `true`, `false` or `*`;
 *  - `relationship`, `purpose`: free words, e.g. family|friend, business;
 *  - `action`: `accept`, `raise:esp`, `raise:ah`, `raise:esp+ah`, `clear` or `refuse`.
 *
 * Parsing is strict, so a typo cannot silently turn into a rule that never matches: unknown
 * elements and attributes, empty values, unknown place types and actions, duplicate names,
 * text between rules, an empty table and rules placed after a catch-all rule (unreachable)
 * are errors, each with its line. A DTD is refused. Parsing never aborts.
 *
 * When no rule matches, DefaultAction applies.
 */
class RuleTableDecisionModel : public UserDecisionModel
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    RuleTableDecisionModel();
    ~RuleTableDecisionModel() override;

    /** Largest rule document accepted, in bytes. */
    static constexpr size_t MAX_DOCUMENT_SIZE = 256 * 1024;

    /** Most rules a table may hold. */
    static constexpr size_t MAX_RULES = 10000;

    /**
     * Parse a rule document.
     * \param xml the document text
     * \return the rules in order, or the first error with its line
     */
    static ParseResult<std::vector<DecisionRule>> ParseRules(const std::string& xml);

    /**
     * Read and parse a rule file.
     * \param path the file
     * \return the rules, or an error (unreadable file, or the first error with its line)
     */
    static ParseResult<std::vector<DecisionRule>> ReadRulesFile(const std::string& path);

    /**
     * Replace the table with the rules of a document; on error the table is unchanged.
     * \param xml the document text
     * \return the rules now in use, or the error
     */
    ParseResult<std::vector<DecisionRule>> LoadRules(const std::string& xml);

    /**
     * Replace the table with the rules of a file; on error the table is unchanged.
     * \param path the file
     * \return the rules now in use, or the error
     */
    ParseResult<std::vector<DecisionRule>> LoadRulesFile(const std::string& path);

    /**
     * Replace the table with rules built in code.
     * \param rules the rules, first match wins
     */
    void SetRules(std::vector<DecisionRule> rules);

    /** \return the rules in use */
    const std::vector<DecisionRule>& GetRules() const;

  protected:
    Decision DoDecide(const DecisionContext& ctx) override;

  private:
    /**
     * RulesFile attribute setter: loads the file. A bad file is refused (false, the reason in
     * the log): SetAttribute aborts on it, SetAttributeFailSafe returns false, and a scenario
     * file naming it is an error; LoadRulesFile returns the reason. Empty: no rules.
     * \param path the file
     * \return whether the file was loaded
     */
    bool SetRulesFile(std::string path);
    /** \return the RulesFile attribute */
    std::string GetRulesFile() const;
    /**
     * DefaultAction attribute setter.
     * \param action an action as written in a rule
     * \return false (value refused) if it does not parse
     */
    bool SetDefaultAction(std::string action);
    /** \return the DefaultAction attribute */
    std::string GetDefaultAction() const;

    /**
     * Carry out an action.
     * \param ctx the context
     * \param action the action
     * \param why which rule chose it, for the reason line
     * \return the decision
     */
    static Decision Apply(const DecisionContext& ctx,
                          const RuleAction& action,
                          const std::string& why);

    std::vector<DecisionRule> m_rules; //!< the table, first match wins
    std::string m_rulesFile;           //!< RulesFile attribute
    RuleAction m_defaultAction;        //!< DefaultAction attribute
};

} // namespace ns3

#endif // PRESEC_RULE_TABLE_DECISION_MODEL_H
