// Well-formed UTF-8 as RFC 3629 defines it, case by case: the boundaries of each sequence
// length, and each kind of malformed sequence the standard names.

#include "scratchnet/text/utf8.hpp"

#include <gtest/gtest.h>

#include <string>

namespace scratchnet {
namespace {

TEST(Utf8, SequenceLengthsAtTheBoundariesOfEachForm) {
  EXPECT_EQ(utf8_sequence_length("a"), 1u);
  EXPECT_EQ(utf8_sequence_length(std::string(1, '\0')), 1u);
  EXPECT_EQ(utf8_sequence_length("\x7f"), 1u);
  EXPECT_EQ(utf8_sequence_length("\xc2\x80"), 2u);          // U+0080
  EXPECT_EQ(utf8_sequence_length("\xdf\xbf"), 2u);          // U+07FF
  EXPECT_EQ(utf8_sequence_length("\xe0\xa0\x80"), 3u);      // U+0800
  EXPECT_EQ(utf8_sequence_length("\xed\x9f\xbf"), 3u);      // U+D7FF, before the surrogates
  EXPECT_EQ(utf8_sequence_length("\xef\xbf\xbf"), 3u);      // U+FFFF
  EXPECT_EQ(utf8_sequence_length("\xf0\x90\x80\x80"), 4u);  // U+10000
  EXPECT_EQ(utf8_sequence_length("\xf4\x8f\xbf\xbf"), 4u);  // U+10FFFF
  EXPECT_EQ(utf8_sequence_length("\xc3\xa9tc"), 2u);        // only the first sequence counts
}

TEST(Utf8, MalformedSequencesHaveNoLength) {
  EXPECT_EQ(utf8_sequence_length(""), 0u);
  EXPECT_EQ(utf8_sequence_length("\x80"), 0u);              // a continuation byte alone
  EXPECT_EQ(utf8_sequence_length("\xc0\xaf"), 0u);          // overlong '/'
  EXPECT_EQ(utf8_sequence_length("\xc1\xbf"), 0u);          // overlong U+007F
  EXPECT_EQ(utf8_sequence_length("\xe0\x9f\xbf"), 0u);      // overlong U+07FF
  EXPECT_EQ(utf8_sequence_length("\xf0\x8f\xbf\xbf"), 0u);  // overlong U+FFFF
  EXPECT_EQ(utf8_sequence_length("\xed\xa0\x80"), 0u);      // U+D800, a surrogate
  EXPECT_EQ(utf8_sequence_length("\xed\xbf\xbf"), 0u);      // U+DFFF, a surrogate
  EXPECT_EQ(utf8_sequence_length("\xf4\x90\x80\x80"), 0u);  // U+110000
  EXPECT_EQ(utf8_sequence_length("\xf5\x80\x80\x80"), 0u);  // no such lead byte
  EXPECT_EQ(utf8_sequence_length("\xff"), 0u);
  EXPECT_EQ(utf8_sequence_length("\xe2\x82"), 0u);      // cut short
  EXPECT_EQ(utf8_sequence_length("\xe2\x28\xa1"), 0u);  // a bad continuation
}

TEST(Utf8, FindsTheFirstMalformedByte) {
  EXPECT_EQ(first_invalid_utf8(""), std::nullopt);
  EXPECT_EQ(first_invalid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), std::nullopt);
  EXPECT_EQ(first_invalid_utf8("ab\xffz"), 2u);
  EXPECT_EQ(first_invalid_utf8("\xc3\xa9\xed\xa0\x80"), 2u);  // after a good é, a surrogate
  EXPECT_EQ(first_invalid_utf8("abc\xe2\x82"), 3u);           // cut short at the end
}

}  // namespace
}  // namespace scratchnet
