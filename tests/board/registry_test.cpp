// The registry template every component kind registers with (l1emu/registry/registry.h), and the
// one error for an unknown name, as the board's registries raise it.
#include "l1emu/registry/registry.h"

#include <gtest/gtest.h>

#include <string>

#include "l1emu/board/device.h"
#include "l1emu/board/link_stage.h"

namespace l1emu {
namespace {

TEST(Registry, NamesAreSortedAReRegistrationReplacesInPlaceAndUnknownNamesListTheKnownOnes) {
  registry::Registry<int> r("widget");
  EXPECT_TRUE(r.add("b", 2));
  EXPECT_TRUE(r.add("a", 1));
  const int* b = r.find("b");
  ASSERT_NE(b, nullptr);
  r.add("b", 3);
  EXPECT_EQ(r.find("b"), b);  // same entry, new value
  EXPECT_EQ(*b, 3);
  EXPECT_EQ(r.names(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(r.find("c"), nullptr);
  try {
    (void)r.get("c");
    ADD_FAILURE() << "no error for an unknown name";
  } catch (const registry::UnknownNameError& e) {
    EXPECT_EQ(std::string(e.what()), "unknown widget 'c' (known: a, b)");
    EXPECT_EQ(e.kind(), "widget");
    EXPECT_EQ(e.known(), (std::vector<std::string>{"a", "b"}));
  }
}

TEST(Registry, BoardComponentsRaiseTheOneErrorType) {
  EXPECT_THROW((void)board::get_device("xcvu13p"), registry::UnknownNameError);
  board::LinkStageConfig c;
  c.protocol = "sfp99";
  EXPECT_THROW((void)board::make_link_stage(c), registry::UnknownNameError);
}

}  // namespace
}  // namespace l1emu
