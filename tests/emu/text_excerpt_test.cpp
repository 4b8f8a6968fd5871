// The text helpers every reader uses to echo untrusted input in an error (text/excerpt.h): one line,
// escapes for control bytes, a bounded length.
#include <gtest/gtest.h>

#include <string>

#include "l1emu/text/excerpt.h"

namespace l1emu::text {
namespace {

TEST(TextExcerpt, QuotedExcerptEscapesAndCuts) {
  EXPECT_EQ(quoted_excerpt("a\nb\t'c'\\"), "'a\\nb\\t\\'c\\'\\\\'");
  EXPECT_EQ(quoted_excerpt(std::string("x\0y\xae", 4)), "'x\\0y\\xae'");
  EXPECT_EQ(quoted_excerpt(std::string(50, 'z'), 4), "'zzzz'... (50 bytes)");
}

TEST(TextExcerpt, SingleLineEscapesControlBytesOnly) {
  EXPECT_EQ(single_line("plain message"), "plain message");
  EXPECT_EQ(single_line("two\nlines\r\tand\x01"), "two\\nlines\\r\\tand\\x01");
  EXPECT_EQ(single_line(std::string("nul\0", 4)), "nul\\0");
  // UTF-8 (a path like /data/\xc3\xa9t\xc3\xa9) is kept as it is.
  EXPECT_EQ(single_line("/data/\xc3\xa9t\xc3\xa9.h5: bad"), "/data/\xc3\xa9t\xc3\xa9.h5: bad");
  const std::string cut = single_line(std::string(3000, 'm'), 100);
  EXPECT_EQ(cut, std::string(100, 'm') + "... (3000 bytes)");
  EXPECT_EQ(single_line(std::string(3000, 'm')).find('\n'), std::string::npos);
}

}  // namespace
}  // namespace l1emu::text
