#pragma once
// A parameterised test run under one vector instruction set: the compiled kernels' run-time
// dispatch is restricted to GetParam() for the test's duration. Instantiate it over
// emu::available_vector_isas(), so that every set this machine has is compared with the reference.
#include <gtest/gtest.h>

#include <string>

#include "l1emu/emu/compiled/vector_isa.h"

namespace l1emu::testing {

class UnderVectorIsa : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    emu::restrict_vector_isa(GetParam());
    ASSERT_EQ(emu::active_vector_isa(), GetParam());
  }
  void TearDown() override { emu::restrict_vector_isa(""); }
};

}  // namespace l1emu::testing
