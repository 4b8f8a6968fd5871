#pragma once
// Shared by the stream tests of bad input: the error must be a DataError naming what went wrong.
#include <gtest/gtest.h>

#include <initializer_list>
#include <string>

#include "l1emu/stream/error.h"

namespace l1emu::stream::testing {

/// Runs f, expects a DataError whose message holds every fragment.
template <typename F>
void expect_data_error(F f, std::initializer_list<std::string> fragments) {
  try {
    f();
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    for (const auto& frag : fragments) EXPECT_NE(std::string(e.what()).find(frag), std::string::npos) << e.what();
  }
}

}  // namespace l1emu::stream::testing
