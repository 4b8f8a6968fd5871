#pragma once
// The da4ml fixture (tests/fixtures/hls4ml/da4ml_mlp) keeps its dense_da_N functions in
// dense_da_functions.txt: no nnet_utils file is kept in the repository (that folder is hls4ml's).
// Tests copy the fixture into a scratch folder and write there the nnet_code_gen.h the importer
// reads, in hls4ml's place: the functions in namespace myproject with nnet::bit_shift in scope.
#include <filesystem>
#include <string>

#include "import_test_support.h"

namespace l1emu::testing {

/// Lines of nnet_code_gen.h before the first function: a statement on line k of
/// dense_da_functions.txt is on line kDa4mlFirstLine - 1 + k of nnet_code_gen.h.
inline constexpr int kDa4mlFirstLine = 4;

inline void write_da4ml_project(const std::filesystem::path& to) {
  copy_fixture("hls4ml/da4ml_mlp", to);
  write_text(to / "firmware" / "nnet_utils" / "nnet_code_gen.h",
             "// Written by l1emu's tests around dense_da_functions.txt, where hls4ml writes da4ml code.\n"
             "namespace myproject {\n"
             "using nnet::bit_shift;\n" +
                 read_text(to / "dense_da_functions.txt") + "}  // namespace myproject\n");
}

}  // namespace l1emu::testing
