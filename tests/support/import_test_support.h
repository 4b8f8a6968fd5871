#pragma once
// Helpers for the importer tests: scratch copies of fixture folders, small text edits, and the
// comparison of an imported model with its hand-written model.json twin.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <unistd.h>

#include "l1emu/emu/io/model_json_writer.h"
#include "l1emu/emu/nn/model.h"
#include "l1emu/emu/nn/reference_evaluator.h"

namespace l1emu::testing {

/// A fresh directory under the system temp folder, removed at destruction.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& label) {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("l1emu_" + label + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline std::filesystem::path fixture_dir(const std::string& relative) { return std::filesystem::path(L1EMU_SOURCE_DIR) / "tests" / "fixtures" / relative; }

/// Copies a fixture folder into `to` (which must exist).
inline void copy_fixture(const std::string& relative, const std::filesystem::path& to) {
  std::filesystem::copy(fixture_dir(relative), to, std::filesystem::copy_options::recursive | std::filesystem::copy_options::overwrite_existing);
}

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline void write_text(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

/// Replaces the first occurrence of `from` (which must exist) in a file.
inline void edit_file(const std::filesystem::path& path, const std::string& from, const std::string& to) {
  std::string text = read_text(path);
  const auto at = text.find(from);
  ASSERT_NE(at, std::string::npos) << "'" << from << "' not in " << path;
  text.replace(at, from.size(), to);
  write_text(path, text);
}

/// Random codes anywhere in each input type's range.
inline std::vector<std::vector<emu::BigInt>> random_input_codes(const emu::Model& model, std::mt19937_64& rng) {
  std::vector<std::vector<emu::BigInt>> inputs;
  for (const auto& spec : model.inputs()) {
    const emu::BigInt span = spec.type.max_code() - spec.type.min_code() + 1;
    std::vector<emu::BigInt> codes;
    for (std::size_t i = 0; i < spec.size; ++i) codes.push_back(spec.type.min_code() + ((emu::BigInt(rng()) << 64) + emu::BigInt(rng())) % span);
    inputs.push_back(std::move(codes));
  }
  return inputs;
}

/// The imported model equals its twin: same model.json text (names, types, every parameter code)
/// and the same codes in every array for `events` random events.
inline void expect_same_model(const emu::Model& imported, const emu::Model& twin, int events = 300) {
  EXPECT_EQ(emu::write_model_json(imported), emu::write_model_json(twin));
  const emu::ReferenceEvaluator a(imported), b(twin);
  std::mt19937_64 rng(2024);
  for (int e = 0; e < events; ++e) {
    const auto inputs = random_input_codes(twin, rng);
    const auto x = a.evaluate(inputs);
    const auto y = b.evaluate(inputs);
    ASSERT_EQ(x.size(), y.size());
    for (std::size_t k = 0; k < x.size(); ++k) ASSERT_EQ(x[k].codes, y[k].codes) << "array " << k << ", event " << e;
  }
}

}  // namespace l1emu::testing
