/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/text-util.h"

#include <gtest/gtest.h>
#include <string>
#include <vector>

using namespace ns3;

TEST(TextUtilTest, TrimLowerAndIEqualsAreAsciiOnly)
{
    EXPECT_EQ(text::Trim(" \t\r\n a b \f\v"), "a b");
    EXPECT_EQ(text::Trim(" \r\n "), "");
    // SIP's linear white space: a CR is kept, so the parser can refuse it.
    EXPECT_EQ(text::TrimWsp(" a\r\t"), "a\r");
    EXPECT_EQ(text::TrimWsp("\n\ta b "), "\n\ta b");
    EXPECT_EQ(text::Lower("SIP:Bob@Example.COM \xC3\x89"), "sip:bob@example.com \xC3\x89");
    EXPECT_TRUE(text::IEquals("Content-Length", "content-LENGTH"));
    EXPECT_FALSE(text::IEquals("@", "`")); // 0x40 and 0x60 differ only in the case bit
    EXPECT_FALSE(text::IEquals("Via", "Vias"));
}

TEST(TextUtilTest, SplitOutsideBracketsKeepsObjectFactoryStringsWhole)
{
    using V = std::vector<std::string>;
    EXPECT_EQ(text::SplitOutsideBrackets("A=1, B=ns3::X[C=2,D=3] ,E=", ','),
              (V{"A=1", "B=ns3::X[C=2,D=3]", "E="}));
    EXPECT_EQ(text::SplitOutsideBrackets("ns3::X[A=1|B=2]|C=3", '|'),
              (V{"ns3::X[A=1|B=2]", "C=3"}));
    EXPECT_EQ(text::SplitOutsideBrackets("", ','), (V{""}));
    EXPECT_EQ(text::SplitOutsideBrackets("a,,b", ','), (V{"a", "", "b"}));
    // An unbalanced ']' does not make the depth negative.
    EXPECT_EQ(text::SplitOutsideBrackets("a],b", ','), (V{"a]", "b"}));
}

TEST(TextUtilTest, CsvFieldQuotesOnlyWhatWouldSplitTheRow)
{
    EXPECT_EQ(text::CsvField("alice"), "alice");
    EXPECT_EQ(text::CsvField(""), "");
    EXPECT_EQ(text::CsvField("a,b"), "\"a,b\"");
    EXPECT_EQ(text::CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(text::CsvField("two\nlines"), "\"two\nlines\"");
    EXPECT_EQ(text::CsvField("cr\r"), "\"cr\r\"");
}
