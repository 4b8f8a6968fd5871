#pragma once
// Where the tests find ../shared (golden cases, test vectors): $L1EMU_SHARED_DIR, or ../shared next
// to the repository. Tests that need it call L1EMU_REQUIRE_SHARED() and skip with a message when it
// is absent, so a user's clone without ../shared still passes the project's own tests.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace l1emu::testing {

inline std::filesystem::path shared_dir() {
  if (const char* env = std::getenv("L1EMU_SHARED_DIR"); env != nullptr && *env != '\0') return env;
  return std::filesystem::path(L1EMU_SOURCE_DIR) / ".." / "shared";
}

inline std::filesystem::path golden_dir() { return shared_dir() / "golden"; }

inline std::filesystem::path source_dir() { return L1EMU_SOURCE_DIR; }

/// The interpreter that sees Debian's python3-* packages (h5py, numpy): /usr/bin/python3 when
/// present, since a python3 earlier on PATH (pyenv, a venv) may not have them.
inline std::string debian_python() {
  return std::filesystem::exists("/usr/bin/python3") ? std::string("/usr/bin/python3") : std::string("python3");
}

}  // namespace l1emu::testing

#define L1EMU_REQUIRE_SHARED()                                                                   \
  do {                                                                                           \
    if (!std::filesystem::is_directory(::l1emu::testing::golden_dir())) {                        \
      GTEST_SKIP() << "shared data not found at " << ::l1emu::testing::golden_dir()              \
                   << " (set L1EMU_SHARED_DIR to the folder that holds golden/)";                \
    }                                                                                            \
  } while (0)
