#include "l1emu/stream/data_policy.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace l1emu::stream {
namespace {

DatasetEvent clean_event() {
  DatasetEvent e;
  e.rows[0] = {20.0, 0.0, 1.0, 1.0};
  e.rows[1] = {30.0, 1.0, 0.5, 2.0};
  e.rows[5] = {25.0, -1.5, -0.5, 3.0};
  e.rows[9] = {50.0, 3.5, 2.0, 4.0};
  return e;
}

TEST(DataPolicy, CleanEventsPassUntouched) {
  DataPolicy policy;
  DatasetEvent e = clean_event();
  EXPECT_TRUE(policy.apply(e));
  EXPECT_EQ(e, clean_event());
  EXPECT_EQ(policy.counters().events_seen, 1u);
  EXPECT_EQ(policy.counters().anomalies(), 0u);
}

TEST(DataPolicy, NonFiniteRejectsByDefaultOrZeroes) {
  DatasetEvent e = clean_event();
  e.rows[5].eta = std::numeric_limits<double>::quiet_NaN();
  DataPolicy reject;
  DatasetEvent copy = e;
  EXPECT_FALSE(reject.apply(copy));
  EXPECT_EQ(reject.counters().non_finite, 1u);
  EXPECT_EQ(reject.counters().events_rejected, 1u);

  DataPolicy zero({.non_finite = DataAction::zero_object});
  copy = e;
  EXPECT_TRUE(zero.apply(copy));
  EXPECT_EQ(copy.rows[5], ParticleRow{});
  EXPECT_EQ(zero.counters().objects_zeroed, 1u);
  EXPECT_THROW(DataPolicy({.non_finite = DataAction::clamp}), std::invalid_argument);
}

TEST(DataPolicy, NegativePtZeroesByDefaultAndCanReject) {
  DatasetEvent e = clean_event();
  e.rows[9].pt = -4.0;
  DataPolicy zero;
  DatasetEvent copy = e;
  EXPECT_TRUE(zero.apply(copy));
  EXPECT_EQ(copy.rows[9], ParticleRow{});
  EXPECT_EQ(zero.counters().negative_pt, 1u);
  DataPolicy reject({.negative_pt = DataAction::reject_event});
  copy = e;
  EXPECT_FALSE(reject.apply(copy));
  // MET keeps its class when its row is emptied.
  e = clean_event();
  e.rows[0].pt = -1.0;
  EXPECT_TRUE(zero.apply(e));
  EXPECT_EQ(e.rows[0], (ParticleRow{0, 0, 0, 1.0}));
}

TEST(DataPolicy, EtaBeyondAcceptanceFollowsTheConfiguredAction) {
  DatasetEvent e = clean_event();
  e.rows[5].eta = -2.3;  // muon limit 2.1
  e.rows[9].eta = 4.2;   // jet limit 4
  DataPolicy clamp({.eta_out_of_acceptance = DataAction::clamp});
  DatasetEvent copy = e;
  EXPECT_TRUE(clamp.apply(copy));
  EXPECT_LT(copy.rows[5].eta, -2.09);
  EXPECT_GT(copy.rows[5].eta, -2.1);
  EXPECT_LT(copy.rows[9].eta, 4.0);
  EXPECT_EQ(clamp.counters().eta_out_of_acceptance, 2u);
  EXPECT_EQ(clamp.counters().values_clamped, 2u);

  DataPolicy zero;
  copy = e;
  EXPECT_TRUE(zero.apply(copy));
  EXPECT_EQ(copy.rows[5], ParticleRow{});
  EXPECT_EQ(copy.rows[9], ParticleRow{});
  DataPolicy keep({.eta_out_of_acceptance = DataAction::keep});
  copy = e;
  EXPECT_TRUE(keep.apply(copy));
  EXPECT_EQ(copy, e);
  EXPECT_EQ(keep.counters().eta_out_of_acceptance, 2u);
  DataPolicy reject({.eta_out_of_acceptance = DataAction::reject_event});
  copy = e;
  EXPECT_FALSE(reject.apply(copy));
  // Counting continues past the reject decision.
  EXPECT_EQ(reject.counters().eta_out_of_acceptance, 2u);
}

TEST(DataPolicy, WrongClassAndMetEta) {
  DatasetEvent e = clean_event();
  e.rows[2] = {10.0, 0.1, 0.1, 4.0};  // a jet class in an electron row
  e.rows[0].eta = 0.3;
  DataPolicy policy;
  EXPECT_TRUE(policy.apply(e));
  EXPECT_EQ(e.rows[2], ParticleRow{});
  EXPECT_EQ(e.rows[0], (ParticleRow{0, 0, 0, 1.0}));
  EXPECT_EQ(policy.counters().wrong_class, 1u);
  EXPECT_EQ(policy.counters().eta_out_of_acceptance, 1u);
  EXPECT_NE(policy.counters().summary().find("wrong class 1"), std::string::npos);
}

TEST(DataPolicy, ActionNamesParse) {
  EXPECT_EQ(parse_data_action("reject"), DataAction::reject_event);
  EXPECT_EQ(parse_data_action("clamp"), DataAction::clamp);
  EXPECT_EQ(parse_data_action("zero"), DataAction::zero_object);
  EXPECT_EQ(parse_data_action("keep"), DataAction::keep);
  EXPECT_THROW((void)parse_data_action("drop"), std::invalid_argument);
  EXPECT_THROW(DataPolicy({.non_finite = DataAction::keep}), std::invalid_argument);
}

}  // namespace
}  // namespace l1emu::stream

namespace l1emu::stream {
namespace {

// DataPolicy::apply first tests all 76 values against intervals at once (data_policy.cpp): one
// value at a time is put on each edge of the rules, in every row and column, and the counters
// must say what the rules of data_policy.h say of that value, worked out here independently.
TEST(DataPolicy, OneValueOnAnEdgeIsCountedByItsRule) {
  const double inf = std::numeric_limits<double>::infinity();
  const double tiny = std::numeric_limits<double>::denorm_min();
  std::vector<double> values = {0.0, -0.0, tiny, -tiny, 1.0, -1.0, 2.0, 3.0, 4.0, 5.0, 0.5, std::nan(""), inf, -inf, 1e300};
  for (const double limit : {layout::kElectronEtaMax, layout::kMuonEtaMax, layout::kJetEtaMax}) {
    for (const double s : {1.0, -1.0}) {
      values.insert(values.end(), {s * limit, s * std::nextafter(limit, 0.0), s * std::nextafter(limit, inf)});
    }
  }
  for (int r = 0; r < layout::kRows; ++r) {
    const ParticleClass c = layout::row_class(r);
    for (int column = 0; column < layout::kColumns; ++column) {
      for (const double x : values) {
        DatasetEvent e;  // all zero: clean in every row
        double& slot = column == 0 ? e.rows[r].pt : column == 1 ? e.rows[r].eta : column == 2 ? e.rows[r].phi : e.rows[r].cls;
        slot = x;
        DataPolicyCounters expected;
        expected.events_seen = 1;
        if (!std::isfinite(x)) {
          expected.non_finite = 1;
        } else if (column == 0) {
          expected.negative_pt = x < 0.0 ? 1 : 0;
        } else if (column == 1) {
          const bool outside = c == ParticleClass::met ? x != 0.0 : std::abs(x) >= layout::eta_limit(c);
          expected.eta_out_of_acceptance = outside ? 1 : 0;
        } else if (column == 3) {
          expected.wrong_class = x != 0.0 && x != static_cast<double>(c) ? 1 : 0;
        }
        DataPolicy policy;
        policy.apply(e);
        const DataPolicyCounters& got = policy.counters();
        const std::string where = "row " + std::to_string(r) + ", column " + std::to_string(column) + ", value " + std::to_string(x);
        EXPECT_EQ(got.events_seen, expected.events_seen) << where;
        EXPECT_EQ(got.non_finite, expected.non_finite) << where;
        EXPECT_EQ(got.negative_pt, expected.negative_pt) << where;
        EXPECT_EQ(got.eta_out_of_acceptance, expected.eta_out_of_acceptance) << where;
        EXPECT_EQ(got.wrong_class, expected.wrong_class) << where;
      }
    }
  }
}

}  // namespace
}  // namespace l1emu::stream
