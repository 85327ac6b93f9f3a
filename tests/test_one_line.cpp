// on_one_line: every control character a file or a user can put in a message comes out escaped,
// valid UTF-8 text stays as it is, and escaping twice changes nothing more.
#include <gtest/gtest.h>

#include "scratchnet/text/one_line.hpp"

namespace scratchnet {
namespace {

TEST(OneLine, EscapesLineBreaksTabsAndEveryOtherC0Control) {
  EXPECT_EQ(on_one_line("a\nb\rc\td"), "a\\nb\\rc\\td");
  EXPECT_EQ(on_one_line(std::string("x\0y", 3)), "x\\x00y");
  EXPECT_EQ(on_one_line("\x1b[31mred\x1b[0m"), "\\x1b[31mred\\x1b[0m");
  EXPECT_EQ(on_one_line("\x07\x08\x0b\x0c\x1f\x7f"), "\\x07\\x08\\x0b\\x0c\\x1f\\x7f");
}

TEST(OneLine, EscapesC1ControlsAndBytesThatAreNotUtf8) {
  EXPECT_EQ(on_one_line("\xc2\x9b"
                        "31m"),
            "\\u009b31m");                                                       // CSI, U+009B
  EXPECT_EQ(on_one_line("\xc2\x80\xc2\x9f\xc2\xa0"), "\\u0080\\u009f\xc2\xa0");  // NBSP kept
  EXPECT_EQ(on_one_line("\x9b"
                        "a\xff"),
            "\\x9ba\\xff");                          // stray bytes
  EXPECT_EQ(on_one_line("\xe2\x82"), "\\xe2\\x82");  // cut short
  EXPECT_EQ(on_one_line("\xc0\xaf"), "\\xc0\\xaf");  // overlong '/'
}

TEST(OneLine, KeepsPrintableAsciiAndUtf8AsTheyAre) {
  const std::string text = "dög, 猫, 🐈 and a \\ backslash: 'quoted' \"too\"";
  EXPECT_EQ(on_one_line(text), text);
  EXPECT_EQ(on_one_line(""), "");
}

TEST(OneLine, EscapingTwiceChangesNothingMore) {
  const std::string once = on_one_line(std::string("\0\x1b\r\n\t\xc2\x9b\xff\x7f", 9));
  EXPECT_EQ(once, "\\x00\\x1b\\r\\n\\t\\u009b\\xff\\x7f");
  EXPECT_EQ(on_one_line(once), once);
}

// How messages show text: escaped first, then cut to the bytes allowed, never inside a character.
TEST(Shown, CutsLongTextAfterMaxBytesWithDots) {
  EXPECT_EQ(shown("abcdef", 6), "abcdef");
  EXPECT_EQ(shown("abcdefg", 6), "abcdef...");
  EXPECT_EQ(shown(std::string(1'000'000, 'x')), std::string(200, 'x') + "...");
  EXPECT_EQ(shown(""), "");
}

TEST(Shown, EscapesBeforeCutting) {
  EXPECT_EQ(shown("a\nb", 4), "a\\nb");      // 4 bytes once escaped: whole
  EXPECT_EQ(shown("a\nbc", 4), "a\\nb...");  // 5 bytes once escaped
  EXPECT_EQ(shown("\x1b\x1b", 5), "\\x1b...");
}

TEST(Shown, NeverCutsInsideACharacter) {
  EXPECT_EQ(shown("ab\xe2\x82\xac", 4), "ab...");  // € is 3 bytes: not 1 of them
  EXPECT_EQ(shown("ab\xe2\x82\xac", 5), "ab\xe2\x82\xac");
  EXPECT_EQ(shown("ab\xe2\x82\xac"
                  "c",
                  5),
            "ab\xe2\x82\xac...");
}

TEST(InQuotes, IsShownTextInSingleQuotes) {
  EXPECT_EQ(in_quotes("F17"), "'F17'");
  EXPECT_EQ(in_quotes("a\r\nb"), "'a\\r\\nb'");
  EXPECT_EQ(in_quotes("abcdefg", 3), "'abc...'");
}

}  // namespace
}  // namespace scratchnet
