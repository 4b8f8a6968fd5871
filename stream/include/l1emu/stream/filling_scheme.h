#pragma once
// Filling schemes: which of the 3564 BX slots of an orbit hold colliding bunches (FACTS section 1).
// An interface plus implementations registered by name (shared/STYLE.md), picked by name:
//   "all"          every slot collides (a test pattern; the 40 MHz upper bound);
//   "nominal-25ns" a nominal 25 ns scheme: trains of 3 batches of 48 bunches, 7 empty slots
//                  between batches (SPS injection kicker), 38 between trains (LHC injection kicker),
//                  the last 119 slots empty (abort gap, ~3 us); 17 trains = 2448 colliding bunches;
//   "file"         colliding BX listed in a text file (config.file): integers 0-3563 separated by
//                  whitespace or commas, '#' starts a comment; a range "a-b" is inclusive.
// BxAssigner stamps events onto the colliding slots in order, orbit after orbit.
#include <bitset>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "l1emu/stream/event.h"
#include "l1emu/stream/lhc_clock.h"

namespace l1emu::stream {

using BxMask = std::bitset<kBxPerOrbit>;

class FillingScheme {
 public:
  virtual ~FillingScheme() = default;
  [[nodiscard]] virtual std::string_view name() const = 0;
  [[nodiscard]] virtual const BxMask& colliding() const = 0;

  [[nodiscard]] bool is_colliding(int bx) const { return bx >= 0 && bx < kBxPerOrbit && colliding().test(bx); }
  [[nodiscard]] std::size_t colliding_count() const { return colliding().count(); }
  [[nodiscard]] std::vector<std::uint16_t> colliding_bx() const;
};

struct FillingSchemeConfig {
  std::string name = "nominal-25ns";
  std::filesystem::path file;  // for "file"
};

using FillingSchemeFactory = std::function<std::unique_ptr<FillingScheme>(const FillingSchemeConfig&)>;

/// Registers an implementation; returns true so it can initialise a static in one line.
bool register_filling_scheme(std::string name, FillingSchemeFactory factory);
/// Names of the registered implementations, sorted.
[[nodiscard]] std::vector<std::string> filling_scheme_names();
/// Builds the scheme config.name; throws registry::UnknownNameError (a std::invalid_argument) for an unknown
/// name and DataError for
/// a bad file.
[[nodiscard]] std::unique_ptr<FillingScheme> make_filling_scheme(const FillingSchemeConfig& config);

/// A scheme from an explicit mask (tests, pattern-derived schemes).
class MaskFillingScheme final : public FillingScheme {
 public:
  MaskFillingScheme(std::string name, BxMask mask) : name_(std::move(name)), mask_(mask) {}
  [[nodiscard]] std::string_view name() const override { return name_; }
  [[nodiscard]] const BxMask& colliding() const override { return mask_; }

 private:
  std::string name_;
  BxMask mask_;
};

/// Parses the "file" format; errors name the file and line.
[[nodiscard]] BxMask read_colliding_bx_file(const std::filesystem::path& file);

/// Assigns consecutive events to consecutive colliding slots, starting at `start` (inclusive).
class BxAssigner {
 public:
  /// Throws std::invalid_argument when the scheme has no colliding slot.
  explicit BxAssigner(const FillingScheme& scheme, BunchCrossing start = {});
  /// The next colliding slot; the event gets its orbit and bx.
  BunchCrossing assign(Event& event);
  [[nodiscard]] BunchCrossing next_slot();

 private:
  std::vector<std::uint16_t> colliding_;
  std::size_t index_ = 0;
  std::uint64_t orbit_ = 0;
};

}  // namespace l1emu::stream
