#pragma once
// Shared pieces of the rates tests: a temporary directory, seeded score samples, finding a python3
// with numpy for the independent reference (tests/board/scripts/rates_reference.py).
#include <unistd.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace l1emu::testing {

class TempDir {
 public:
  explicit TempDir(const std::string& tag) {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("l1emu_" + tag + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// Integer score codes with many ties: a rounded exponential tail (background-like, shift 0) or a
/// shifted, wider one (signal-like). Only the seed's engine is used, with explicit arithmetic, so the
/// sample does not depend on the standard library's distribution implementations.
inline std::vector<std::int64_t> score_sample(std::uint64_t seed, std::size_t n, double scale, std::int64_t shift) {
  std::mt19937_64 engine(seed);
  std::vector<std::int64_t> out(n);
  for (auto& c : out) {
    const double u = (static_cast<double>(engine() >> 11) + 0.5) * 0x1.0p-53;  // (0, 1)
    c = shift + static_cast<std::int64_t>(-scale * std::log(u)) - 5;
  }
  return out;
}

/// Runs a shell command and returns its stdout, or nullopt when it exits non-zero.
inline std::optional<std::string> capture(const std::string& command) {
  std::FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return std::nullopt;
  std::string out;
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  if (status != 0) return std::nullopt;
  return out;
}

/// A python3 that imports numpy: $L1EMU_PYTHON, /usr/bin/python3 (Debian's python3-numpy), python3.
inline std::optional<std::string> python_with_numpy() {
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("L1EMU_PYTHON"); env != nullptr && *env != '\0') candidates.emplace_back(env);
  candidates.emplace_back("/usr/bin/python3");
  candidates.emplace_back("python3");
  for (const auto& p : candidates)
    if (capture(p + " -c 'import numpy' 2>/dev/null")) return p;
  return std::nullopt;
}

}  // namespace l1emu::testing
