#include "l1emu/stream/data_policy.h"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

namespace l1emu::stream {

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
