#include "l1emu/stream/data_policy.h"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace l1emu::stream {
namespace {

// The clean-row test of DataPolicy::apply over an event's 19 x 4 values at once. Almost every
// event of a dataset is clean, and the row-by-row checks (four isfinite, the class, the sign, the
// acceptance, each a branch) were 4-5 % of a dataset replay's CPU (README "Benchmarks"). A value
// at position k = 4 row + column is clean when it lies in the open interval (lo[k], hi[k]) or
// equals one of two values (a class column: 0 or the row's class; elsewhere NaN, which equals
// nothing). NaN fails every comparison, so "finite" is the interval (-inf, inf); pT >= 0 (finite)
// is (-denorm_min, inf), whose only value below 0 is -0.0, as `pt < 0.0` is false for it; the MET
// row's eta == 0 is (-denorm_min, denorm_min) (+0.0 and -0.0); |eta| < limit is (-limit, limit).
constexpr int kValues = layout::kRows * layout::kColumns;
constexpr int kPadded = 80;  // whole vectors of 8 or 16; the padding is 0, clean as a class column

struct CleanBounds {
  std::array<double, kPadded> lo{}, hi{}, equal_a{}, equal_b{};
};

constexpr CleanBounds make_clean_bounds() {
  constexpr double inf = std::numeric_limits<double>::infinity();
  constexpr double tiny = std::numeric_limits<double>::denorm_min();
  constexpr double none = std::numeric_limits<double>::quiet_NaN();
  CleanBounds b;
  for (int k = 0; k < kPadded; ++k) {
    b.equal_a[k] = b.equal_b[k] = none;
    if (k >= kValues) {
      b.equal_a[k] = 0.0;  // the padding (0) passes; its interval (0, 0) is empty
      continue;
    }
    const ParticleClass c = layout::row_class(k / layout::kColumns);
    switch (k % layout::kColumns) {
      case 0: b.lo[k] = -tiny; b.hi[k] = inf; break;  // pT
      case 1:  // eta
        b.lo[k] = c == ParticleClass::met ? -tiny : -layout::eta_limit(c);
        b.hi[k] = c == ParticleClass::met ? tiny : layout::eta_limit(c);
        break;
      case 2: b.lo[k] = -inf; b.hi[k] = inf; break;  // phi
      default: b.equal_a[k] = 0.0; b.equal_b[k] = static_cast<double>(c); break;  // class; (0, 0) is empty
    }
  }
  return b;
}

constexpr CleanBounds kClean = make_clean_bounds();

// True when apply() would find nothing to count or change in any row. Compiled without trapping
// math (stream/CMakeLists.txt) so that it vectorises; only comparisons, whose results are the same.
bool all_rows_clean(const DatasetEvent& event) {
  static_assert(sizeof(event.rows) == kValues * sizeof(double));
  // The values read where they lie (a copy into a padded local array first was most of this
  // function's time: zeroing it, then reloading the copy's stores as vectors stalled on them).
  const auto* bytes = reinterpret_cast<const unsigned char*>(event.rows.data());
  int dirty = 0;
  for (int k = 0; k < kValues; ++k) {
    double x;
    std::memcpy(&x, bytes + static_cast<std::size_t>(k) * sizeof(double), sizeof(double));
    // & and |, not && and ||: no branch per value.
    const bool clean = ((x > kClean.lo[k]) & (x < kClean.hi[k])) | (x == kClean.equal_a[k]) | (x == kClean.equal_b[k]);
    dirty |= clean ? 0 : 1;
  }
  return dirty == 0;
}

}  // namespace

std::string_view to_string(DataAction a) {
  switch (a) {
    case DataAction::reject_event: return "reject";
    case DataAction::clamp: return "clamp";
    case DataAction::zero_object: return "zero";
    case DataAction::keep: return "keep";
  }
  return "?";
}

DataAction parse_data_action(std::string_view text) {
  if (text == "reject") return DataAction::reject_event;
  if (text == "clamp") return DataAction::clamp;
  if (text == "zero") return DataAction::zero_object;
  if (text == "keep") return DataAction::keep;
  throw std::invalid_argument(fmt::format("data action '{}': expected reject, clamp, zero or keep", text));
}

void DataPolicyConfig::validate() const {
  if (non_finite == DataAction::clamp || non_finite == DataAction::keep)
    throw std::invalid_argument("data policy: NaN/Inf can only be rejected or zeroed");
  if (wrong_class == DataAction::clamp)
    throw std::invalid_argument("data policy: a wrong class cannot be clamped (use reject or zero)");
}

std::string DataPolicyCounters::summary() const {
  return fmt::format(
      "events seen {}, rejected {}; rows with NaN/Inf {}, negative pT {}, |eta| beyond acceptance {}, "
      "wrong class {}; objects zeroed {}, values clamped {}",
      events_seen, events_rejected, non_finite, negative_pt, eta_out_of_acceptance, wrong_class, objects_zeroed,
      values_clamped);
}

DataPolicyCounters& DataPolicyCounters::operator+=(const DataPolicyCounters& o) {
  events_seen += o.events_seen;
  events_rejected += o.events_rejected;
  non_finite += o.non_finite;
  negative_pt += o.negative_pt;
  eta_out_of_acceptance += o.eta_out_of_acceptance;
  wrong_class += o.wrong_class;
  objects_zeroed += o.objects_zeroed;
  values_clamped += o.values_clamped;
  return *this;
}

DataPolicy::DataPolicy(DataPolicyConfig config) : config_(config) { config_.validate(); }

bool DataPolicy::apply(DatasetEvent& event) {
  ++counters_.events_seen;
  if (all_rows_clean(event)) return true;
  bool reject = false;
  // Every row is inspected even after a reject decision so the counters describe the whole file.
  for (int r = 0; r < layout::kRows; ++r) {
    ParticleRow& row = event.rows[r];
    const ParticleClass expected = layout::row_class(r);
    const bool is_met = expected == ParticleClass::met;
    auto act = [&](DataAction action, auto clamp) {
      switch (action) {
        case DataAction::reject_event: reject = true; return false;
        case DataAction::zero_object:
          row = {};
          if (is_met) row.cls = static_cast<double>(ParticleClass::met);
          ++counters_.objects_zeroed;
          return false;  // row is now clean
        case DataAction::clamp:
          clamp();
          ++counters_.values_clamped;
          return true;
        case DataAction::keep: return true;
      }
      return true;
    };

    if (!std::isfinite(row.pt) || !std::isfinite(row.eta) || !std::isfinite(row.phi) || !std::isfinite(row.cls)) {
      ++counters_.non_finite;
      if (!act(config_.non_finite, [] {})) continue;
    }
    const double cls = row.cls;
    if (cls != 0.0 && cls != static_cast<double>(expected)) {
      ++counters_.wrong_class;
      if (!act(config_.wrong_class, [] {})) continue;
    }
    if (row.pt < 0.0) {
      ++counters_.negative_pt;
      if (!act(config_.negative_pt, [&] {
            row = {};
            if (is_met) row.cls = static_cast<double>(ParticleClass::met);
          }))
        continue;
    }
    if (is_met) {
      if (row.eta != 0.0) {
        ++counters_.eta_out_of_acceptance;
        if (!act(config_.eta_out_of_acceptance, [&] { row.eta = 0.0; })) continue;
      }
    } else {
      const double limit = layout::eta_limit(expected);
      if (std::abs(row.eta) >= limit) {
        ++counters_.eta_out_of_acceptance;
        // Clamp to the largest value strictly inside the acceptance (the limit is exclusive).
        if (!act(config_.eta_out_of_acceptance,
                 [&] { row.eta = std::copysign(std::nextafter(limit, 0.0), row.eta); }))
          continue;
      }
    }
  }
  if (reject) ++counters_.events_rejected;
  return !reject;
}

}  // namespace l1emu::stream
