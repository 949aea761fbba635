/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "decision-model-factory.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/ns3-attribute-text.h"
#include "ns3/object-factory.h"
#include "ns3/pointer.h"
#include "ns3/string.h"
#include "ns3/text-util.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <set>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("DecisionModelFactory");

namespace
{

/// The attribute names of a TypeId and its parents, sorted, comma-separated.
std::string
AttributeNames(TypeId tid)
{
    std::vector<std::string> names;
    for (TypeId t = tid;; t = t.GetParent())
    {
        for (std::size_t i = 0; i < t.GetAttributeN(); ++i)
        {
            names.push_back(t.GetAttribute(i).name);
        }
        if (t == t.GetParent())
        {
            break;
        }
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    std::string all;
    for (const auto& n : names)
    {
        all += (all.empty() ? "" : ", ") + n;
    }
    return all.empty() ? "none" : all;
}

std::string CheckAttributeOf(TypeId tid, const std::string& name, const std::string& value);

/// The value types an attribute may have when given as text (ns3text::CheckValueText keeps
/// ns-3's readers of them from aborting; a pointer's text is ns3text::CheckObjectText's).
const std::set<std::string>&
TextTypes()
{
    static const std::set<std::string> types = {"StringValue",
                                                "BooleanValue",
                                                "EnumValue",
                                                "PointerValue",
                                                "DoubleValue",
                                                "IntegerValue",
                                                "UintegerValue",
                                                "TimeValue"};
    return types;
}

std::string
CheckAttributeOf(TypeId tid, const std::string& name, const std::string& value)
{
    TypeId::AttributeInformation info;
    if (!tid.LookupAttributeByName(name, &info))
    {
        return "unknown attribute '" + name + "' of " + tid.GetName() +
               " (attributes: " + AttributeNames(tid) + ")";
    }
    std::string bad = "bad value '" + value + "' for attribute '" + name + "' of " + tid.GetName() +
                      " (" + info.help + ")";
    if (!(info.flags & TypeId::ATTR_SET) && !(info.flags & TypeId::ATTR_CONSTRUCT))
    {
        return "attribute '" + name + "' of " + tid.GetName() + " cannot be set";
    }
    auto pointer = DynamicCast<const PointerChecker>(info.checker);
    if (pointer)
    {
        std::string e =
            ns3text::CheckObjectText(pointer->GetPointeeTypeId(), value, &CheckAttributeOf);
        if (!e.empty())
        {
            return bad + ": " + e;
        }
    }
    if (!TextTypes().count(ns3text::ValueTypeName(*info.checker)))
    {
        std::string all;
        for (const auto& known : TextTypes())
        {
            all += (all.empty() ? "" : ", ") + known;
        }
        return "attribute '" + name + "' of " + tid.GetName() + " is a " +
               info.checker->GetValueTypeName() + ", which cannot be given as text here (" + all +
               " can)";
    }
    // A pointer's text was checked above, with this function for its attributes.
    if (std::string e = pointer ? "" : ns3text::CheckValueText(*info.checker, value); !e.empty())
    {
        return bad + ": " + e;
    }
    if (!info.checker->CreateValidValue(StringValue(value)))
    {
        return bad;
    }
    // The setter may refuse a value its checker let through (e.g. a rule action).
    ObjectFactory f;
    f.SetTypeId(tid);
    Ptr<Object> o = f.Create();
    if (!o->SetAttributeFailSafe(name, StringValue(value)))
    {
        o->Dispose();
        return bad;
    }
    o->Dispose();
    return "";
}

/// Decision functions by name (Register).
std::map<std::string, CallbackDecisionModel::DecideFunction>&
Functions()
{
    static std::map<std::string, CallbackDecisionModel::DecideFunction> functions;
    return functions;
}

} // namespace

void
DecisionModelFactory::Register(const std::string& name,
                               CallbackDecisionModel::DecideFunction function)
{
    NS_LOG_FUNCTION(name);
    TypeId tid;
    NS_ABORT_MSG_IF(GetAliases().count(name) || TypeId::LookupByNameFailSafe(name, &tid),
                    "decision function name '" << name << "' is taken by a model");
    Functions()[name] = std::move(function);
}

const std::map<std::string, std::string>&
DecisionModelFactory::GetAliases()
{
    static const std::map<std::string, std::string> aliases = {
        {"AcceptAsIs", "ns3::AcceptAsIsDecisionModel"},
        {"AlwaysMaximum", "ns3::AlwaysMaximumDecisionModel"},
        {"Callback", "ns3::CallbackDecisionModel"},
        {"HumanUser", "ns3::HumanUserDecisionModel"},
        {"LocationAware", "ns3::LocationAwareDecisionModel"},
        {"RuleTable", "ns3::RuleTableDecisionModel"},
    };
    return aliases;
}

std::string
DecisionModelFactory::Resolve(const std::string& name)
{
    auto it = GetAliases().find(name);
    return it == GetAliases().end() ? name : it->second;
}

std::vector<std::string>
DecisionModelFactory::GetAvailable()
{
    TypeId base = UserDecisionModel::GetTypeId();
    std::vector<std::string> names;
    for (uint16_t i = 0; i < TypeId::GetRegisteredN(); ++i)
    {
        TypeId t = TypeId::GetRegistered(i);
        if (t != base && t.IsChildOf(base) && t.HasConstructor())
        {
            names.push_back(t.GetName());
        }
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::string
DecisionModelFactory::DescribeAvailable()
{
    std::string all;
    for (const auto& n : GetAvailable())
    {
        all += (all.empty() ? "" : ", ") + n;
        for (const auto& [alias, name] : GetAliases())
        {
            if (name == n)
            {
                all += " (" + alias + ")";
            }
        }
    }
    for (const auto& [name, function] : Functions())
    {
        all += (all.empty() ? "" : ", ") + name + " (function)";
    }
    return all;
}

ParseResult<TypeId>
DecisionModelFactory::Lookup(const std::string& name)
{
    if (Functions().count(name))
    {
        return ParseResult<TypeId>::Ok(CallbackDecisionModel::GetTypeId());
    }
    std::string full = Resolve(name);
    TypeId tid;
    if (!TypeId::LookupByNameFailSafe(full, &tid))
    {
        return ParseResult<TypeId>::Fail("unknown decision model '" + name +
                                         "' (available: " + DescribeAvailable() + ")");
    }
    if (tid == UserDecisionModel::GetTypeId() || !tid.IsChildOf(UserDecisionModel::GetTypeId()))
    {
        return ParseResult<TypeId>::Fail(
            "'" + name + "' is not a UserDecisionModel (available: " + DescribeAvailable() + ")");
    }
    if (!tid.HasConstructor())
    {
        return ParseResult<TypeId>::Fail("'" + name + "' cannot be created: no constructor");
    }
    return ParseResult<TypeId>::Ok(tid);
}

std::string
DecisionModelFactory::CheckAttribute(TypeId tid, const std::string& name, const std::string& value)
{
    NS_LOG_FUNCTION(tid.GetName() << name << value);
    return CheckAttributeOf(tid, name, value);
}

std::string
DecisionModelFactory::Check(const std::string& name, const Attributes& attributes)
{
    auto tid = Lookup(name);
    if (!tid)
    {
        return tid.GetError();
    }
    for (const auto& [n, v] : attributes)
    {
        std::string e = CheckAttribute(tid.GetValue(), n, v);
        if (!e.empty())
        {
            return e;
        }
    }
    return "";
}

Ptr<UserDecisionModel>
DecisionModelFactory::Create(const std::string& name, const Attributes& attributes)
{
    NS_LOG_FUNCTION(name);
    auto tid = Lookup(name);
    NS_ABORT_MSG_IF(!tid, tid.GetError());
    ObjectFactory f;
    f.SetTypeId(tid.GetValue());
    for (const auto& [n, v] : attributes)
    {
        f.Set(n, StringValue(v));
    }
    Ptr<UserDecisionModel> model = f.Create<UserDecisionModel>();
    auto function = Functions().find(name);
    if (function != Functions().end())
    {
        DynamicCast<CallbackDecisionModel>(model)->SetDecideFunction(function->second);
    }
    return model;
}

std::string
DecisionModelFactory::ParseAssignments(const std::string& text, Attributes& out)
{
    if (text::Trim(text).empty())
    {
        return "";
    }
    for (const auto& item : text::SplitOutsideBrackets(text, ','))
    {
        size_t eq = item.find('=');
        if (eq == std::string::npos || text::Trim(item.substr(0, eq)).empty())
        {
            return "'" + item + "' is not Name=Value";
        }
        out.emplace_back(text::Trim(item.substr(0, eq)), text::Trim(item.substr(eq + 1)));
    }
    return "";
}

} // namespace ns3
