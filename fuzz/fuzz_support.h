// Shared by the libFuzzer targets (one per parser, fuzz/*_fuzz.cpp): scratch files for the readers
// that take a path, and the rule every target applies. A parser may reject any input with one of the
// project's error types (a clean one-line error, what the commands print and exit 1 on); a crash,
// sanitizer report, leak, hang or any other exception escaping is a finding (libFuzzer stops and
// writes the input to the artifact prefix).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <unistd.h>

#include "l1emu/board/error.h"
#include "l1emu/emu/error.h"
#include "l1emu/stream/error.h"

namespace l1emu::fuzz {

/// A folder of this process's own under $TMPDIR (several targets may run at once).
inline const std::filesystem::path& scratch_dir() {
  static const std::filesystem::path dir = [] {
    const char* tmp = std::getenv("TMPDIR");
    std::filesystem::path d = std::filesystem::path(tmp != nullptr ? tmp : "/tmp") /
                              ("l1emu-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir;
}

/// Writes the bytes to scratch_dir()/name (replacing what was there) and returns the path.
inline std::filesystem::path write_scratch(const std::string& name, const std::uint8_t* data, std::size_t size) {
  const std::filesystem::path p = scratch_dir() / name;
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  out.close();
  if (!out) std::abort();  // the harness itself failed: not a finding in the library
  return p;
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Runs f; the project's error types are clean rejections, anything else propagates (a finding).
template <class F>
void expect_clean(F&& f) {
  try {
    f();
  } catch (const emu::TypeError&) {
  } catch (const emu::ModelError&) {
  } catch (const emu::InputError&) {
  } catch (const stream::DataError&) {
  } catch (const board::ConfigError&) {
  } catch (const board::BoardError&) {
  }
}

/// The HDF5 targets write their own seed: `L1EMU_FUZZ_WRITE_SEED=DIR target` writes a valid file to
/// DIR and exits (the seed corpora are generated at run time, nothing binary is checked in).
inline const char* seed_request() { return std::getenv("L1EMU_FUZZ_WRITE_SEED"); }

}  // namespace l1emu::fuzz
