#pragma once
// RAII ownership of HDF5 identifiers and checked calls (the HighFive way, shared/STYLE.md): every
// HDF5 call goes through check(), which turns a negative return into a DataError naming the file and
// the object. HDF5's own error printing is silenced once (H5Eset_auto2), so the library never writes
// to stderr behind the caller's back.
#include <hdf5.h>

#include <string>
#include <string_view>
#include <utility>

#include "l1emu/stream/error.h"

namespace l1emu::stream::hdf5 {

/// Turns off HDF5's automatic error stack printing (idempotent, thread-unsafe like HDF5 itself).
void silence_errors();

/// The innermost message of the current HDF5 error stack, or "" when empty.
[[nodiscard]] std::string last_error_message();

/// Owns one hid_t and closes it with the matching H5*close function.
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() = default;
  Handle(hid_t id, Closer closer) : id_(id), closer_(closer) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& o) noexcept : id_(std::exchange(o.id_, H5I_INVALID_HID)), closer_(o.closer_) {}
  Handle& operator=(Handle&& o) noexcept {
    if (this != &o) {
      reset();
      id_ = std::exchange(o.id_, H5I_INVALID_HID);
      closer_ = o.closer_;
    }
    return *this;
  }
  ~Handle() { reset(); }

  [[nodiscard]] hid_t get() const { return id_; }
  [[nodiscard]] bool valid() const { return id_ >= 0; }
  void reset() {
    if (id_ >= 0 && closer_ != nullptr) closer_(id_);
    id_ = H5I_INVALID_HID;
  }
  /// Closes now and reports a failure (closing a file flushes it, so errors matter there).
  void close(std::string_view context);

 private:
  hid_t id_ = H5I_INVALID_HID;
  Closer closer_ = nullptr;
};

/// Throws DataError("<context>: <what> failed (<hdf5 message>)") when status < 0.
void check(herr_t status, std::string_view context, std::string_view what);
/// Wraps a returned identifier, throwing as above when it is negative.
[[nodiscard]] Handle checked(hid_t id, Handle::Closer closer, std::string_view context, std::string_view what);

inline Handle file(hid_t id, std::string_view ctx, std::string_view what) { return checked(id, H5Fclose, ctx, what); }
inline Handle dataset(hid_t id, std::string_view ctx, std::string_view what) { return checked(id, H5Dclose, ctx, what); }
inline Handle dataspace(hid_t id, std::string_view ctx, std::string_view what) { return checked(id, H5Sclose, ctx, what); }
inline Handle datatype(hid_t id, std::string_view ctx, std::string_view what) { return checked(id, H5Tclose, ctx, what); }
inline Handle plist(hid_t id, std::string_view ctx, std::string_view what) { return checked(id, H5Pclose, ctx, what); }

}  // namespace l1emu::stream::hdf5
