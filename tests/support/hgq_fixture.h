#pragma once
// The HGQ quantizer fixture (tests/fixtures/hls4ml/hgq_quantizer) keeps its generated functions in
// quantizer_functions.txt: no nnet_utils file is kept in the repository (that folder is hls4ml's).
// Tests copy the fixture into a scratch folder and write there the nnet_code_gen.h the importer
// reads, in hls4ml's place: the functions in namespace nnet.
#include <filesystem>
#include <string>

#include "import_test_support.h"

namespace l1emu::testing {

/// Lines of nnet_code_gen.h before the functions: line k of quantizer_functions.txt is line
/// kHgqFirstLine - 1 + k of nnet_code_gen.h.
inline constexpr int kHgqFirstLine = 3;

inline void write_hgq_project(const std::filesystem::path& to) {
  copy_fixture("hls4ml/hgq_quantizer", to);
  write_text(to / "firmware" / "nnet_utils" / "nnet_code_gen.h",
             "// Written by l1emu's tests around quantizer_functions.txt, where hls4ml writes generated code.\n"
             "namespace nnet {\n" +
                 read_text(to / "quantizer_functions.txt") + "}  // namespace nnet\n");
}

}  // namespace l1emu::testing
