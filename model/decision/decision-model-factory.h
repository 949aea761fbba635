/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_DECISION_MODEL_FACTORY_H
#define PRESEC_DECISION_MODEL_FACTORY_H

#include "ns3/callback-decision-model.h"
#include "ns3/parse-result.h"
#include "ns3/ptr.h"
#include "ns3/type-id.h"
#include "ns3/user-decision-model.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-decision
 * Any registered UserDecisionModel by name, with attributes, through ns-3's ObjectFactory.
 *
 * A name is a TypeId name (`ns3::LocationAwareDecisionModel`, or a model of your own, such as
 * `ns3::MyDecisionModel` registered with NS_OBJECT_ENSURE_REGISTERED) or one of the short
 * aliases of the built-ins (GetAliases: `LocationAware`, `AcceptAsIs`, `AlwaysMaximum`,
 * `HumanUser`, `RuleTable`, `Callback`). Attributes are (name, value) pairs of text, as in
 * `Config::SetDefault` or on a command line.
 *
 * A model written as a plain function needs no TypeId either: Register() gives it a name that
 * scenario files and `--decision` accept like any other (a CallbackDecisionModel running it).
 *
 * Check() and CheckAttribute() never abort: they return an error message for an unknown name
 * (listing the available models), a TypeId that is no UserDecisionModel or cannot be created,
 * an unknown attribute (listing the model's attributes) or a value the attribute refuses.
 * Create() expects names and attributes that passed them.
 */
class DecisionModelFactory
{
  public:
    /** Attribute (name, value) pairs, applied in order. */
    using Attributes = std::vector<std::pair<std::string, std::string>>;

    /**
     * Names a decision function, so scenario files and `--decision` can use it:
     *
     *     DecisionModelFactory::Register("Careful", [](const DecisionContext& ctx) {
     *         return ctx.peerTrusted ? UserDecisionModel::Accept(ctx, "trusted")
     *                                : UserDecisionModel::Refuse("untrusted");
     *     });
     *
     * Create("Careful", ...) then makes a CallbackDecisionModel running it (attributes are
     * CallbackDecisionModel's). A later Register with the same name replaces the function.
     * \param name the name; not a TypeId name or an alias
     * \param function the function that decides
     */
    static void Register(const std::string& name, CallbackDecisionModel::DecideFunction function);

    /** \return the short aliases, alias → TypeId name */
    static const std::map<std::string, std::string>& GetAliases();

    /**
     * \param name an alias or a TypeId name
     * \return the TypeId name for an alias, otherwise name unchanged
     */
    static std::string Resolve(const std::string& name);

    /**
     * \return the TypeId names of every registered UserDecisionModel that can be created (not
     *         abstract, with a constructor), sorted
     */
    static std::vector<std::string> GetAvailable();

    /**
     * \return GetAvailable() as one line, each built-in followed by its alias in
     *         parentheses: "ns3::AcceptAsIsDecisionModel (AcceptAsIs), ...", then the
     *         registered function names
     */
    static std::string DescribeAvailable();

    /**
     * \param name an alias, a TypeId name or a registered function's name
     * \return the model's TypeId (CallbackDecisionModel for a function), or an error ("unknown
     * decision model 'X' (available: ...)",
     *         "'X' is not a UserDecisionModel", "'X' cannot be created: no constructor")
     */
    static ParseResult<TypeId> Lookup(const std::string& name);

    /**
     * Checks one attribute against a model: the name exists (in the model or its parents),
     * can be set, its checker accepts the value, and a fresh model's setter accepts it
     * (SetAttributeFailSafe). Pointer attributes given as an ObjectFactory string
     * ("ns3::Type[Name=Value|...]") are checked the same way, recursively.
     * \param tid a model TypeId (from Lookup)
     * \param name the attribute name
     * \param value the value as text
     * \return empty, or the error ("unknown attribute 'X' of ns3::Y (attributes: ...)",
     *         "bad value 'v' for attribute 'X' of ns3::Y")
     */
    static std::string CheckAttribute(TypeId tid,
                                      const std::string& name,
                                      const std::string& value);

    /**
     * Lookup() and CheckAttribute() for every attribute.
     * \param name an alias or a TypeId name
     * \param attributes the attributes
     * \return empty, or the first error
     */
    static std::string Check(const std::string& name, const Attributes& attributes);

    /**
     * Creates the model through an ObjectFactory. Aborts on names or attributes that Check()
     * refuses: check outside input first.
     * \param name an alias or a TypeId name
     * \param attributes the attributes, in order
     * \return the model
     */
    static Ptr<UserDecisionModel> Create(const std::string& name, const Attributes& attributes);

    /**
     * Splits "Name=Value" items, separated by commas, into attributes (for command lines).
     * A value cannot contain a comma outside brackets ("ns3::X[A=1|B=2]" may).
     * \param text e.g. "TrustFamily=false,RaiseTo=esp"
     * \param out the attributes, appended
     * \return empty, or an error naming the item
     */
    static std::string ParseAssignments(const std::string& text, Attributes& out);
};

} // namespace ns3

#endif // PRESEC_DECISION_MODEL_FACTORY_H
