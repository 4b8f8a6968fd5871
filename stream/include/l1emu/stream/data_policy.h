#pragma once
// What the reader does with data oddities inside a well-formed dataset (shared/DESIGN.md,
// reliability policy: counted and reported, never silent). Each kind of oddity has one action:
//  - reject_event: drop the whole event (it is not delivered);
//  - clamp: repair the value (negative pT -> 0, which empties the object; |eta| beyond acceptance ->
//    the acceptance edge with its sign); not allowed for NaN/Inf, which have no nearest value;
//  - zero_object: set the row to all zeros with class 0 (what the dataset itself does to jets with
//    |eta| > 4, FACTS section 3);
//  - keep: count only and leave the value (hardware conversion then saturates it: negative pT gives
//    no object, eta saturates to the field's range); not allowed for NaN/Inf.
// Hardware rounding can itself move an object's bin centre just past an acceptance edge (e/gamma
// eta 2.99 is code 69 = 3.0015); the dataset writer writes such a bin as a value of the same bin
// inside the acceptance, so files written from hardware events read back whole under the default.
// The MET row is never zeroed for eta (its eta is 0 by definition); a non-zero MET eta is counted
// as out of acceptance and handled by the same action, clamp/zero_object setting it to 0.
#include <cstdint>
#include <string>
#include <string_view>

#include "l1emu/stream/dataset_layout.h"

namespace l1emu::stream {

enum class DataAction : std::uint8_t { reject_event, clamp, zero_object, keep };

[[nodiscard]] std::string_view to_string(DataAction a);
/// "reject", "clamp", "zero" or "keep"; throws std::invalid_argument otherwise.
[[nodiscard]] DataAction parse_data_action(std::string_view text);

struct DataPolicyConfig {
  DataAction non_finite = DataAction::reject_event;     // NaN or Inf in pT, eta or phi
  DataAction negative_pt = DataAction::zero_object;
  DataAction eta_out_of_acceptance = DataAction::zero_object;
  DataAction wrong_class = DataAction::zero_object;     // class neither 0 nor the row's class
  /// Validates: throws std::invalid_argument for clamp or keep on non_finite, clamp on wrong_class.
  void validate() const;
};

struct DataPolicyCounters {
  std::uint64_t events_seen = 0;
  std::uint64_t events_rejected = 0;
  std::uint64_t non_finite = 0;             // rows with NaN/Inf
  std::uint64_t negative_pt = 0;            // rows with pT < 0
  std::uint64_t eta_out_of_acceptance = 0;  // rows with |eta| >= the class limit
  std::uint64_t wrong_class = 0;            // rows whose class does not match the row
  std::uint64_t objects_zeroed = 0;
  std::uint64_t values_clamped = 0;

  [[nodiscard]] std::uint64_t anomalies() const { return non_finite + negative_pt + eta_out_of_acceptance + wrong_class; }
  /// One line for logs and command summaries.
  [[nodiscard]] std::string summary() const;
  DataPolicyCounters& operator+=(const DataPolicyCounters& o);
  friend bool operator==(const DataPolicyCounters&, const DataPolicyCounters&) = default;
};

class DataPolicy {
 public:
  explicit DataPolicy(DataPolicyConfig config = {});
  /// Applies the policy to one event in place, counting; returns false when the event is rejected.
  bool apply(DatasetEvent& event);
  [[nodiscard]] const DataPolicyCounters& counters() const { return counters_; }
  [[nodiscard]] const DataPolicyConfig& config() const { return config_; }

 private:
  DataPolicyConfig config_;
  DataPolicyCounters counters_;
};

}  // namespace l1emu::stream
