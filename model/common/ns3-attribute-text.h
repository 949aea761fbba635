/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_NS3_ATTRIBUTE_TEXT_H
#define PRESEC_NS3_ATTRIBUTE_TEXT_H

#include "ns3/attribute.h"
#include "ns3/command-line.h"
#include "ns3/type-id.h"

#include <functional>
#include <string>

namespace ns3
{

/**
 * \ingroup presec-common
 * \brief Attribute values given as text, checked before ns-3 parses them.
 *
 * ns-3.37 turns an enum attribute's text into its value with EnumChecker::GetValue, which on a
 * name it does not list asserts (ns-3 built with asserts) or, without asserts as Debian builds
 * it, returns what lies past the end of its list: undefined behaviour that usually, not always,
 * ends as "invalid value" (still so in ns-3-dev, 2026-07). Every path that hands ns-3 such text
 * from outside (CommandLine's --ns3::Type::Attribute=value, NS_ATTRIBUTE_DEFAULT, a program's
 * own option passed on as a StringValue) checks it here first, and so numbers, times and data
 * rates too, whose ns-3.37 readers abort on text they do not read whole, and addresses and
 * vectors (the MAC and Address readers throw from std::stoul, the IPv4 reader takes any text,
 * the vector readers abort on text left over). (NS_GLOBAL_VALUE is
 * read before main, out of a program's reach: NS_GLOBAL_VALUE=RngRun=x aborts in ns-3.)
 */
namespace ns3text
{

/**
 * \param checker an attribute's checker
 * \return its value type's name without the namespace ("UintegerValue"; ns-3 names some value
 *         types with it, some without)
 */
std::string ValueTypeName(const AttributeChecker& checker);

/**
 * \param checker an attribute's checker
 * \param value the attribute's value as text
 * \return "" if \p checker is not an enum's or \p value is one of its names, otherwise
 *         "not one of a|b|c" (the names it lists)
 */
std::string CheckEnumName(const AttributeChecker& checker, const std::string& value);

/**
 * Whether ns-3's reader of the checker's value type takes \p value without aborting: an enum's
 * name (CheckEnumName), and a number, time or data rate that ns-3.37 reads whole (its readers of
 * these types abort when text is left over or the unit is unknown, instead of refusing); an
 * IPv4 address or mask, IPv6 address, MAC-48/16/64 address, Address, vector, box, rectangle or
 * queue size in its syntax; a pointer's or object factory's object (CheckObjectText). Other
 * value types, and range checks, are left to the checker (CreateValidValue).
 * \param checker an attribute's checker
 * \param value the attribute's value as text
 * \return "" or why not ("not one of a|b", "not an unsigned integer", ...)
 */
std::string CheckValueText(const AttributeChecker& checker, const std::string& value);

/// Checks one attribute of an object's type given as text: "" or why not.
using AttributeTextCheck =
    std::function<std::string(TypeId tid, const std::string& name, const std::string& value)>;

/**
 * An object given as text, as ns-3's ObjectFactory reads it for a PointerValue or an
 * ObjectFactoryValue: "ns3::Type" or "ns3::Type[Name=Value|...]". ns-3.37 looks the type up
 * with an assert only (an unknown or empty name, or a bracket without its pair, crashes when
 * the object is made), makes objects of types without a constructor the same way, and reads
 * each value with its type's reader (which may abort). Checked without creating anything.
 * \param base the type the object must be (TypeId() for any Object)
 * \param value the text
 * \param checkAttribute checks each Name=Value (default: the attribute exists, CheckValueText)
 * \return "" or why not
 */
std::string CheckObjectText(TypeId base,
                            const std::string& value,
                            const AttributeTextCheck& checkAttribute = nullptr);

/**
 * \param fullName an attribute as Config::SetDefault names it ("ns3::IpsecLayer::CryptoMode")
 * \param value its value as text
 * \return "" if ns-3 takes \p value for that attribute, otherwise a message naming the
 *         attribute and, for an enum, its names
 */
std::string CheckAttributeText(const std::string& fullName, const std::string& value);

/**
 * The values in a list of defaults as NS_ATTRIBUTE_DEFAULT holds them
 * ("ns3::Type::Attribute=value;..."), as far as CheckValueText knows their types. Unknown types
 * and attributes, and values out of range, are left to ns-3, which refuses them safely.
 * \param list the list
 * \return "" or a message naming the first bad item
 */
std::string CheckAttributeDefaults(const std::string& list);

/**
 * The attribute values a program's command line and environment will give ns-3, as far as
 * CheckValueText knows their types: every --Type::Attribute=value (or -Type::..., as
 * CommandLine reads it) and global value, and NS_ATTRIBUTE_DEFAULT. Call before
 * CommandLine::Parse; other arguments are left to it.
 * \param argc the argument count
 * \param argv the arguments (argv[0] the program)
 * \return "" or a message naming the first bad argument
 */
std::string CheckCommandLine(int argc, char** argv);

/**
 * CommandLine::Parse after CheckCommandLine: what presec's programs call instead of Parse.
 * \param cmd the program's command line
 * \param argc the argument count
 * \param argv the arguments
 * \return false, with "program: message" on standard error, if CheckCommandLine refused them
 */
bool ParseCommandLine(CommandLine& cmd, int argc, char** argv);

} // namespace ns3text
} // namespace ns3

#endif /* PRESEC_NS3_ATTRIBUTE_TEXT_H */
