#pragma once
// Fixtures of functions that hls4ml generates into a project's nnet_utils/nnet_code_gen.h (da4ml's
// dense_da_N, HGQ's quantizers). No nnet_utils file is kept in the repository (that folder is
// hls4ml's): each fixture keeps its functions in a text file, and the tests copy the fixture into a
// scratch folder and write there the nnet_code_gen.h the importer reads, in hls4ml's place.
#include <filesystem>
#include <optional>
#include <string>

#include "import_test_support.h"
#include "l1emu/emu/error.h"
#include "l1emu/emu/io/hls4ml_project.h"

namespace l1emu::testing {

/// Copies `fixture` into `to` and writes nnet_code_gen.h: `opening`, the functions, `closing`.
inline void write_code_gen_fixture(const std::string& fixture, const std::string& functions_file, const std::string& opening,
                                   const std::string& closing, const std::filesystem::path& to) {
  copy_fixture(fixture, to);
  write_text(to / "firmware" / "nnet_utils" / "nnet_code_gen.h", opening + read_text(to / functions_file) + closing);
}

/// Lines of the da4ml nnet_code_gen.h before the first function: a statement on line k of
/// dense_da_functions.txt is on line kDa4mlFirstLine - 1 + k of nnet_code_gen.h.
inline constexpr int kDa4mlFirstLine = 4;

/// tests/fixtures/hls4ml/da4ml_mlp: the functions in namespace myproject with nnet::bit_shift in scope.
inline void write_da4ml_project(const std::filesystem::path& to) {
  write_code_gen_fixture("hls4ml/da4ml_mlp", "dense_da_functions.txt",
                         "// Written by l1emu's tests around dense_da_functions.txt, where hls4ml writes da4ml code.\n"
                         "namespace myproject {\n"
                         "using nnet::bit_shift;\n",
                         "}  // namespace myproject\n", to);
}

/// Line k of the HGQ fixture's quantizer_functions.txt is line kHgqFirstLine - 1 + k of nnet_code_gen.h.
inline constexpr int kHgqFirstLine = 3;

/// tests/fixtures/hls4ml/hgq_quantizer: the functions in namespace nnet (hls4ml's default Namespace).
inline void write_hgq_project(const std::filesystem::path& to) {
  write_code_gen_fixture("hls4ml/hgq_quantizer", "quantizer_functions.txt",
                         "// Written by l1emu's tests around quantizer_functions.txt, where hls4ml writes generated code.\n"
                         "namespace nnet {\n",
                         "}  // namespace nnet\n", to);
}

/// The import error of the project `write_project` writes, after replacing the first `from` in its
/// nnet_code_gen.h by `to` ("" when it imports).
template <class WriteProject>
std::string import_error_after_code_gen_edit(WriteProject write_project, const std::string& from, const std::string& to) {
  ScratchDir scratch("code_gen");
  write_project(scratch.path());
  edit_file(scratch.path() / "firmware/nnet_utils/nnet_code_gen.h", from, to);
  try {
    (void)emu::import_hls4ml_project(scratch.path(), std::nullopt, nullptr);
  } catch (const emu::ModelError& e) {
    return e.what();
  }
  return "";
}

}  // namespace l1emu::testing
