#include "l1emu/board/rtl/verilator_build.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include <fmt/format.h>

#include "l1emu/board/error.h"
#include "file_text.h"
#include "shell_quote.h"
#include "l1emu/board/rtl/verilog_ports.h"

namespace l1emu::board {
namespace {

namespace fs = std::filesystem;
using detail::shell_quote;

// FNV-1a: a stable name for the build folder (std::hash may differ between library versions).
std::uint64_t fnv1a(std::uint64_t h, const std::string& text) {
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
  return h;
}

// The flags HLS Verilog needs: `#0`/`#1` delays in initial blocks are ignored (--no-timing), and
// Vivado's width/latch/multidriven style warnings are not errors (its RTL is correct by construction
// but lint-unclean). The simulation speed matters more than the build time: -O3 and the host's
// instruction set (Hector-Plata model_1: 105k events/s with -O2, 170k with -O3 -march=native).
const char* kFlags = "--cc --exe --build --no-timing -Wno-fatal -Wno-lint -Wno-style -Wno-WIDTH -Wno-LATCH -Wno-MULTIDRIVEN -Wno-STMTDLY "
                     "-Wno-INITIALDLY -Wno-COMBDLY -O3 -MAKEFLAGS OPT_FAST=-O3 -MAKEFLAGS OPT_GLOBAL=-O2 -CFLAGS -march=native";

fs::path default_cache() {
  if (const char* c = std::getenv("L1EMU_RTL_CACHE"); c != nullptr && *c != 0) return c;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x != nullptr && *x != 0) return fs::path(x) / "l1emu" / "rtl";
  if (const char* h = std::getenv("HOME"); h != nullptr && *h != 0) return fs::path(h) / ".cache" / "l1emu" / "rtl";
  return fs::temp_directory_path() / "l1emu-rtl";
}

std::string tail(const fs::path& log, std::size_t lines) {
  std::ifstream in(log);
  std::vector<std::string> all;
  for (std::string l; std::getline(in, l);) all.push_back(l);
  std::string out;
  for (std::size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i) out += "  " + all[i] + "\n";
  return out;
}

}  // namespace

fs::path find_verilator() {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "");
  for (std::string d; std::getline(dirs, d, ':');) {
    const fs::path v = fs::path(d.empty() ? "." : d) / "verilator";
    if (fs::is_regular_file(v)) return v;
  }
  throw BoardError("verilator not found on PATH: verify rtl simulates the RTL with Verilator (Debian: apt-get install verilator; "
                   "scripts/setup.sh installs it)");
}

void check_memory_files(const fs::path& rtl_dir) {
  static const std::regex readmem(R"(\$readmem[hb]\s*\(\s*"([^"]+)\")");
  for (const auto& file : verilog_files(rtl_dir)) {
    std::ifstream in(file);
    std::size_t line_no = 0;
    for (std::string line; std::getline(in, line);) {
      ++line_no;
      std::smatch m;
      if (!std::regex_search(line, m, readmem)) continue;
      const fs::path data = fs::path(m[1].str()).is_absolute() ? fs::path(m[1].str()) : rtl_dir / m[1].str();
      if (!fs::is_regular_file(data)) {
        throw BoardError(fmt::format("{}:{}: memory file {} not found in {} (the ROM contents HLS wrote beside the Verilog)", file.string(),
                                     line_no, m[1].str(), rtl_dir.string()));
      }
    }
  }
}

VerilatorBuild build_with_verilator(const VerilatorBuildOptions& o, const std::string& driver_source) {
  const fs::path verilator = find_verilator();
  const auto files = verilog_files(o.rtl_dir);
  std::uint64_t h = fnv1a(14695981039346656037ull, driver_source);
  h = fnv1a(h, kFlags);
  h = fnv1a(h, o.top);
  // -march=native: a build folder in a shared home serves only the CPU model it was made for.
  if (std::ifstream cpu("/proc/cpuinfo"); cpu) {
    for (std::string line; std::getline(cpu, line);) {
      if (line.rfind("model name", 0) == 0) {
        h = fnv1a(h, line);
        break;
      }
    }
  }
  for (const auto& f : files) h = fnv1a(fnv1a(h, f.filename().string()), detail::read_file_text(f));
  VerilatorBuild b;
  b.folder = (o.cache_dir.empty() ? default_cache() : o.cache_dir) / fmt::format("{}-{:016x}", o.top, h);
  b.executable = b.folder / "obj" / "rtl_driver";
  if (fs::is_regular_file(b.folder / "complete") && fs::is_regular_file(b.executable)) {
    b.reused = true;
    return b;
  }
  // Built in a folder of this process, then renamed into place: two runs (ctest -j) building the
  // same design never share a half-built folder; the loser of the rename uses the winner's build.
  const fs::path work = b.folder.string() + fmt::format(".build-{}", ::getpid());
  fs::remove_all(work);
  fs::create_directories(work);
  {
    std::ofstream d(work / "rtl_driver.cpp");
    d << driver_source;
    if (!d) throw BoardError((work / "rtl_driver.cpp").string() + ": cannot write");
  }
  std::string command = fmt::format("{} {} -j {} --top-module {} --Mdir {} -o rtl_driver", shell_quote(verilator.string()), kFlags, o.jobs,
                                    shell_quote(o.top), shell_quote((work / "obj").string()));
  for (const auto& f : files) command += " " + shell_quote(fs::absolute(f).string());
  command += " " + shell_quote((work / "rtl_driver.cpp").string());
  const fs::path log = work / "verilator.log";
  command += " > " + shell_quote(log.string()) + " 2>&1";
  const auto t0 = std::chrono::steady_clock::now();
  const int status = std::system(command.c_str());
  b.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (status != 0 || !fs::is_regular_file(work / "obj" / "rtl_driver")) {
    throw BoardError(fmt::format("verilator failed on {} (module {}); the end of {}:\n{}", o.rtl_dir.string(), o.top, log.string(), tail(log, 25)));
  }
  std::ofstream(work / "complete") << command << '\n';
  std::error_code ec;
  if (fs::exists(b.folder) && !fs::is_regular_file(b.folder / "complete")) fs::remove_all(b.folder, ec);  // an interrupted older layout
  fs::rename(work, b.folder, ec);
  if (ec) {
    if (!fs::is_regular_file(b.folder / "complete")) throw BoardError(fmt::format("{}: cannot move the build there: {}", b.folder.string(), ec.message()));
    fs::remove_all(work);
  }
  return b;
}

}  // namespace l1emu::board
