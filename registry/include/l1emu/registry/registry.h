#pragma once
// Components that vary are an interface plus implementations registered by name in one line; a
// scenario or a command line picks them by name (shared/STYLE.md, after Ramulator 2's factory).
// Registry<Entry> holds the entries of one kind (a factory function, or a value such as a device);
// an unknown name is an UnknownNameError that lists the known ones.
// Entries register from static initializers of other translation units: each registry is a
// function-local static of its component's file (constructed on first use), guarded by a mutex.
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace l1emu::registry {

/// A name no entry of a registry has: "unknown <kind> '<name>' (known: a, b, c)".
class UnknownNameError : public std::invalid_argument {
 public:
  UnknownNameError(std::string kind, std::string name, std::vector<std::string> known)
      : std::invalid_argument(fmt::format("unknown {} '{}' (known: {})", kind, name, fmt::join(known, ", "))),
        kind_(std::move(kind)),
        name_(std::move(name)),
        known_(std::move(known)) {}
  [[nodiscard]] const std::string& kind() const { return kind_; }
  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] const std::vector<std::string>& known() const { return known_; }

 private:
  std::string kind_;
  std::string name_;
  std::vector<std::string> known_;
};

template <class Entry>
class Registry {
 public:
  /// `kind`: what the entries are, as an error names them ("link protocol", "device").
  explicit Registry(std::string kind) : kind_(std::move(kind)) {}
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  /// Adds `entry` under `name`, replacing an entry of that name (in place: references to it stay
  /// valid). Returns true, so that `const bool registered = r.add(...)` registers at load time.
  bool add(std::string name, Entry entry) {
    std::lock_guard lock(mutex_);
    entries_.insert_or_assign(std::move(name), std::move(entry));
    return true;
  }
  /// The entry, or null. Entries never move: the pointer stays valid.
  [[nodiscard]] const Entry* find(std::string_view name) const {
    std::lock_guard lock(mutex_);
    const auto it = entries_.find(name);
    return it == entries_.end() ? nullptr : &it->second;
  }
  /// The entry; throws UnknownNameError listing the known names.
  [[nodiscard]] const Entry& get(std::string_view name) const {
    if (const Entry* e = find(name)) return *e;
    throw UnknownNameError(kind_, std::string(name), names());
  }
  /// The names in ascending order.
  [[nodiscard]] std::vector<std::string> names() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& [name, entry] : entries_) out.push_back(name);
    return out;
  }
  /// Every entry in name order (copies, taken under the lock).
  [[nodiscard]] std::vector<std::pair<std::string, Entry>> entries() const {
    std::lock_guard lock(mutex_);
    return {entries_.begin(), entries_.end()};
  }

 private:
  std::string kind_;
  mutable std::mutex mutex_;
  std::map<std::string, Entry, std::less<>> entries_;  // a map: entries never move, names sorted
};

}  // namespace l1emu::registry
