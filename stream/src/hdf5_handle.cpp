#include "l1emu/stream/hdf5_handle.h"

#include <fmt/format.h>

#include <algorithm>

namespace l1emu::stream::hdf5 {
namespace {

// HDF5 closes every identifier still open from an atexit handler (H5_term_library). After a close
// that failed (a write refused by a full disk while flushing), HDF5 1.10 keeps a half-released
// identifier, and that handler crashes on it (SIGSEGV after the error was already reported). Every
// identifier l1emu opens is owned by a Handle and closed before exit, so the handler has nothing to
// do here: it is turned off before the library initialises (H5dont_atexit must precede any other
// HDF5 call, hence a static initializer of the file every HDF5 user links).
const bool kNoExitCleanup = [] {
  (void)H5dont_atexit();
  return true;
}();

}  // namespace

void silence_errors() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

std::string last_error_message() {
  // Walked upward: entry 0 is where HDF5 detected the problem (the useful "why"), the last entry is
  // the API call that failed. Report the first, and the last when it differs.
  struct Collected {
    std::string first;
    std::string last;
  } collected;
  auto walk = [](unsigned n, const H5E_error2_t* err, void* data) -> herr_t {
    auto* c = static_cast<Collected*>(data);
    std::string desc = err->desc != nullptr ? err->desc : "";
    // One line per error: HDF5's system-error texts carry their own line breaks.
    std::replace(desc.begin(), desc.end(), '\n', ' ');
    if (n == 0) c->first = desc;
    c->last = desc;
    return 0;
  };
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, walk, &collected);
  H5Eclear2(H5E_DEFAULT);
  if (collected.last.empty() || collected.last == collected.first) return collected.first;
  return collected.first.empty() ? collected.last : collected.first + "; " + collected.last;
}

void check(herr_t status, std::string_view context, std::string_view what) {
  if (status >= 0) return;
  const std::string detail = last_error_message();
  throw DataError(detail.empty() ? fmt::format("{}: {} failed", context, what)
                                 : fmt::format("{}: {} failed ({})", context, what, detail));
}

Handle checked(hid_t id, Handle::Closer closer, std::string_view context, std::string_view what) {
  if (id < 0) check(-1, context, what);
  return Handle(id, closer);
}

void Handle::close(std::string_view context) {
  if (id_ < 0) return;
  const herr_t status = closer_(id_);
  id_ = H5I_INVALID_HID;
  check(status, context, "close");
}

}  // namespace l1emu::stream::hdf5
