// Units of the rates analysis: score histograms (exact merge of shards), Clopper-Pearson intervals,
// rate curve, threshold finder at its boundary, base-rate parsing, ROC/AUC on known cases, bit overlaps.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <stdexcept>

#include "decision_log_files.h"
#include "l1emu/board/base_rate.h"
#include "l1emu/board/bit_overlap.h"
#include "l1emu/board/decision_log_reader.h"
#include "l1emu/board/rate_curve.h"
#include "l1emu/board/rates_analysis.h"
#include "l1emu/board/roc.h"
#include "l1emu/board/score_histogram.h"
#include "l1emu/board/threshold_finder.h"
#include "l1emu/stream/lhc_clock.h"
#include "rates_test_support.h"

namespace {

namespace board = l1emu::board;
using board::ScoreHistogram;

ScoreHistogram histogram_of(const std::vector<std::int64_t>& codes) {
  ScoreHistogram h;
  h.fill(codes);
  return h;
}

TEST(ScoreHistogram, ShardsAddUpToTheWhole) {
  const auto all = l1emu::testing::score_sample(7, 50000, 25.0, -30);
  const std::vector<std::int64_t> a(all.begin(), all.begin() + 17000), b(all.begin() + 17000, all.end());
  ScoreHistogram merged = histogram_of(a);
  merged += histogram_of(b);
  const ScoreHistogram whole = histogram_of(all);
  EXPECT_EQ(merged, whole);
  EXPECT_EQ(merged.total(), all.size());
  EXPECT_EQ(merged.min_code(), *std::min_element(all.begin(), all.end()));
  EXPECT_EQ(merged.max_code(), *std::max_element(all.begin(), all.end()));
  for (const std::int64_t t : {-1000L, -30L, 0L, 17L, 99L, 100000L}) {
    const auto expected = static_cast<std::uint64_t>(std::count_if(all.begin(), all.end(), [t](auto c) { return c >= t; }));
    EXPECT_EQ(merged.count_at_least(t), expected) << t;
  }
}

TEST(ScoreHistogram, DisjointRangesAndLargeCodesMerge) {
  ScoreHistogram a = histogram_of({1'000'000'000'000, 1'000'000'000'005});
  const ScoreHistogram b = histogram_of({999'999'999'990, 1'000'000'000'005});
  a += b;
  EXPECT_EQ(a.total(), 4U);
  EXPECT_EQ(a.count(1'000'000'000'005), 2U);
  EXPECT_EQ(a.min_code(), 999'999'999'990);
  EXPECT_EQ(a.nonzero_bins().size(), 3U);
  ScoreHistogram c;
  c += ScoreHistogram();  // empty + empty
  EXPECT_TRUE(c.empty());
}

TEST(ScoreHistogram, RefusesSpansItCannotHold) {
  ScoreHistogram h = histogram_of({0});
  EXPECT_THROW(h.fill(std::vector<std::int64_t>{std::int64_t{1} << 40}), std::length_error);
  EXPECT_EQ(h.total(), 1U);  // unchanged by the refused fill
}

TEST(ClopperPearson, KnownValues) {
  // k = 0: upper limit 1 - (alpha/2)^(1/n); k = n: lower limit (alpha/2)^(1/n).
  const double half_alpha = (1 - board::kConfidenceLevel) / 2;
  const auto zero = board::clopper_pearson(0, 10);
  EXPECT_EQ(zero.lo, 0.0);
  EXPECT_NEAR(zero.hi, 1 - std::pow(half_alpha, 0.1), 1e-12);
  const auto all = board::clopper_pearson(10, 10);
  EXPECT_EQ(all.hi, 1.0);
  EXPECT_NEAR(all.lo, std::pow(half_alpha, 0.1), 1e-12);
  const auto mid = board::clopper_pearson(50, 100);
  EXPECT_LT(mid.lo, 0.5);
  EXPECT_GT(mid.hi, 0.5);
  EXPECT_NEAR(mid.lo + mid.hi, 1.0, 1e-12);  // symmetric at k = n/2
  EXPECT_NEAR(mid.hi - mid.lo, 2 * 0.05, 0.01);  // about one sigma each side, sqrt(0.25/100) = 0.05
  EXPECT_THROW((void)board::clopper_pearson(3, 2), std::invalid_argument);
  EXPECT_THROW((void)board::clopper_pearson(0, 0), std::invalid_argument);
}

TEST(RateCurve, OnePointPerCodeAndPerExtraThreshold) {
  const ScoreHistogram h = histogram_of({1, 1, 2, 5, 5, 5, 9});
  const std::vector<std::int64_t> extra{3, 5, 100};
  const auto curve = board::rate_curve(h, 700.0, extra);
  std::vector<std::int64_t> thresholds;
  std::vector<std::uint64_t> passed;
  for (const auto& p : curve.points) {
    thresholds.push_back(p.threshold);
    passed.push_back(p.passed);
  }
  EXPECT_EQ(thresholds, (std::vector<std::int64_t>{1, 2, 3, 5, 9, 100}));
  EXPECT_EQ(passed, (std::vector<std::uint64_t>{7, 5, 4, 4, 1, 0}));
  EXPECT_EQ(curve.points[0].rate_hz, 700.0);
  EXPECT_EQ(curve.points[4].rate_hz, 100.0);
  EXPECT_EQ(curve.points[5].rate_lo_hz, 0.0);
  EXPECT_GT(curve.points[5].rate_hi_hz, 0.0);
}

TEST(ThresholdFinder, HitsTheBoundaryExactly) {
  // 10 events, base 1000 Hz: each event is 100 Hz. Codes 0..9 once each: rate(T) = 100 x (10 - T).
  std::vector<std::int64_t> codes(10);
  std::iota(codes.begin(), codes.end(), 0);
  const ScoreHistogram h = histogram_of(codes);
  EXPECT_EQ(board::find_threshold(h, 1000.0, 300.0).threshold, 7);   // rate(7) = 300 <= 300, rate(6) = 400
  EXPECT_EQ(board::find_threshold(h, 1000.0, 299.0).threshold, 8);   // one below the boundary
  EXPECT_EQ(board::find_threshold(h, 1000.0, 301.0).threshold, 7);
  EXPECT_EQ(board::find_threshold(h, 1000.0, 1e-3).threshold, 10);   // above every code
  EXPECT_EQ(board::find_threshold(h, 1000.0, 999.0).threshold, 1);
  const auto t = board::find_threshold(h, 1000.0, 300.0);
  EXPECT_EQ(t.at.passed, 3U);
  EXPECT_EQ(t.at.rate_hz, 300.0);
  // Gaps in the codes: the threshold is code + 1, not the next code present.
  const ScoreHistogram gaps = histogram_of({0, 10, 20, 30});
  EXPECT_EQ(board::find_threshold(gaps, 400.0, 150.0).threshold, 21);
}

TEST(ThresholdFinder, TargetNotBelowTheBaseRateIsAnError) {
  const ScoreHistogram h = histogram_of({1, 2, 3});
  try {
    (void)board::find_threshold(h, 1000.0, 2000.0);
    FAIL() << "expected an error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("not below the base rate"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)board::find_threshold(h, 1000.0, 1000.0), std::invalid_argument);
  EXPECT_THROW((void)board::find_threshold(h, 1000.0, 0.0), std::invalid_argument);
  EXPECT_THROW((void)board::find_threshold(ScoreHistogram(), 1000.0, 1.0), std::invalid_argument);
}

TEST(BaseRate, ParsesNumbersWithUnits) {
  EXPECT_EQ(board::parse_rate_hz("40MHz"), 40e6);
  EXPECT_EQ(board::parse_rate_hz("2.5kHz"), 2500.0);
  EXPECT_EQ(board::parse_rate_hz("1.2e3Hz"), 1200.0);
  EXPECT_EQ(board::parse_rate_hz("3 GHz"), 3e9);
  for (const char* bad : {"40", "40 mhz", "40mHz", "kHz", "-1kHz", "0Hz", "1e400Hz", "nanHz", "1kHzz", ""})
    EXPECT_THROW((void)board::parse_rate_hz(bad), std::invalid_argument) << bad;
  EXPECT_TRUE(board::parse_base_rate("zero-bias").zero_bias);
  EXPECT_EQ(board::parse_base_rate("2.5kHz").hz, 2500.0);
  EXPECT_THROW((void)board::parse_base_rate("zerobias"), std::invalid_argument);
}

TEST(BaseRate, ZeroBiasFromTheLog) {
  board::DecisionLogMetadata m;
  EXPECT_THROW((void)board::resolve_base_rate({true, 0}, m), std::invalid_argument);
  m.filling_scheme = "nominal-25ns";
  EXPECT_EQ(board::resolve_base_rate({true, 0}, m).hz, l1emu::stream::kOrbitHz * 2448.0);
  m.colliding_bunches = 2340;  // an explicit count wins
  EXPECT_EQ(board::resolve_base_rate({true, 0}, m).hz, l1emu::stream::kOrbitHz * 2340.0);
  EXPECT_EQ(board::resolve_base_rate({false, 123.0}, m).hz, 123.0);
  m.colliding_bunches = 5000;
  EXPECT_THROW((void)board::resolve_base_rate({true, 0}, m), std::invalid_argument);
  m.colliding_bunches.reset();
  m.filling_scheme = "no-such-scheme";
  EXPECT_THROW((void)board::resolve_base_rate({true, 0}, m), std::invalid_argument);
}

TEST(Roc, KnownCases) {
  const ScoreHistogram b = histogram_of({0, 1, 2, 3});
  EXPECT_EQ(board::mann_whitney_auc(histogram_of({10, 11}), b), 1.0);
  EXPECT_EQ(board::mann_whitney_auc(histogram_of({-1}), b), 0.0);
  EXPECT_EQ(board::mann_whitney_auc(b, b), 0.5);
  // s = 2 vs b = {0,1,2,3}: 2 below, 1 tie -> (2 + 0.5) / 4.
  EXPECT_EQ(board::mann_whitney_auc(histogram_of({2}), b), 0.625);
  const auto roc = board::compute_roc(histogram_of({2, 3}), b);
  EXPECT_EQ(roc.points.front().fpr, 0.0);
  EXPECT_EQ(roc.points.back().fpr, 1.0);
  EXPECT_EQ(roc.points.back().tpr, 1.0);
  // Trapezoids over the ROC points give the same AUC (ties = diagonal segments).
  double area = 0;
  for (std::size_t i = 1; i < roc.points.size(); ++i)
    area += (roc.points[i].fpr - roc.points[i - 1].fpr) * (roc.points[i].tpr + roc.points[i - 1].tpr) / 2;
  EXPECT_DOUBLE_EQ(area, roc.auc);
  // 4 background events: FPR <= 1e-5 only above every background code.
  EXPECT_TRUE(roc.limited);
  EXPECT_EQ(roc.working_point_threshold, 4);
  EXPECT_EQ(roc.tpr_at_working_point, 0.0);
}

TEST(Roc, WorkingPointWithEnoughBackground) {
  // 200000 background events, 2 above code 100: FPR(101) = 1e-5 exactly is allowed (<=).
  ScoreHistogram b;
  b.add(0, 199998);
  b.add(150, 2);
  ScoreHistogram s;
  s.add(120, 30);
  s.add(200, 70);
  const auto roc = board::compute_roc(s, b);
  EXPECT_FALSE(roc.limited);
  EXPECT_EQ(roc.working_point_threshold, 1);
  EXPECT_EQ(roc.fpr_at_working_point, 1e-5);
  EXPECT_EQ(roc.tpr_at_working_point, 1.0);
  b.add(150, 1);  // now 3 / 200001 > 1e-5 at T = 1: the threshold moves above 150
  const auto moved = board::compute_roc(s, b);
  EXPECT_EQ(moved.working_point_threshold, 151);
  EXPECT_EQ(moved.tpr_at_working_point, 0.7);
}

TEST(BitOverlap, UniqueAndOverlapCounts) {
  board::BitPatternCounts counts({"loose", "tight", "other"});
  board::DecisionChunk chunk;
  chunk.bit_count = 3;
  // events: {loose}, {loose, tight}, {loose, tight}, {other}, {}, {loose, other}
  chunk.bits = {1, 0, 0, 1, 1, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1};
  chunk.score_code.assign(6, 0);
  counts.fill(chunk);
  const auto o = board::bit_overlap(counts, 600.0);
  ASSERT_EQ(o.bits.size(), 3U);
  EXPECT_EQ(o.bits[0].passed.passed, 4U);
  EXPECT_EQ(o.bits[0].unique.passed, 1U);
  EXPECT_EQ(o.bits[1].unique.passed, 0U);
  EXPECT_EQ(o.bits[2].unique.passed, 1U);
  EXPECT_EQ(o.bits[0].overlap[1].passed, 2U);
  EXPECT_EQ(o.bits[0].overlap[2].passed, 1U);
  EXPECT_EQ(o.bits[1].overlap[2].passed, 0U);
  EXPECT_EQ(o.any.passed, 5U);
  EXPECT_EQ(o.bits[0].passed.rate_hz, 400.0);
  board::BitPatternCounts other({"a", "b", "c"});
  EXPECT_THROW(counts += other, std::invalid_argument);
}

TEST(DecisionLogReader, ReadsTheLayoutInChunks) {
  l1emu::testing::TempDir dir("rates_reader");
  l1emu::testing::TestDecisionLog log;
  log.score_code = l1emu::testing::score_sample(3, 1000, 10.0, 0);
  log.bit_names = {"AXO_VLoose", "AXO_Tight"};
  for (std::size_t i = 0; i < log.score_code.size(); ++i) {
    log.bits.push_back(log.score_code[i] >= 10 ? 1 : 0);
    log.bits.push_back(log.score_code[i] >= 20 ? 1 : 0);
  }
  log.filling_scheme = "nominal-25ns";
  // A replay output directory holding decisions.h5 is accepted as well as the file.
  l1emu::testing::write_decision_log(dir.path() / "decisions.h5", log);
  board::DecisionLogReader reader(dir.path(), 300);
  EXPECT_EQ(reader.size(), 1000U);
  EXPECT_EQ(reader.bit_count(), 2U);
  EXPECT_EQ(reader.metadata().bit_names, log.bit_names);
  EXPECT_EQ(reader.metadata().thresholds, (std::vector<std::int64_t>{10, 20}));
  EXPECT_EQ(reader.metadata().model, "test-model");
  EXPECT_EQ(reader.metadata().scenario, "test-scenario");
  EXPECT_EQ(reader.metadata().filling_scheme, "nominal-25ns");
  EXPECT_FALSE(reader.metadata().colliding_bunches.has_value());
  board::DecisionChunk chunk;
  std::vector<std::int64_t> codes;
  std::vector<std::uint8_t> bits;
  int chunks = 0;
  while (reader.read_next(chunk)) {
    ++chunks;
    codes.insert(codes.end(), chunk.score_code.begin(), chunk.score_code.end());
    bits.insert(bits.end(), chunk.bits.begin(), chunk.bits.end());
  }
  EXPECT_EQ(chunks, 4);
  EXPECT_EQ(codes, log.score_code);
  EXPECT_EQ(bits, log.bits);

  const board::Sample sample = board::load_sample("bg", {dir.path()}, 128);
  board::RatesConfig config;  // zero-bias from the filling scheme
  const auto result = board::compute_rates(sample, {}, config);
  EXPECT_EQ(result.base_rate.hz, l1emu::stream::kOrbitHz * 2448.0);
  ASSERT_EQ(result.bits.bits.size(), 2U);
  // The tight bit is a subset of the loose one: it never fires alone.
  EXPECT_EQ(result.bits.bits[1].unique.passed, 0U);
  EXPECT_EQ(result.bits.bits[0].passed.passed, sample.scores.count_at_least(10));
}

// The zero-bias base rate comes from the background log's attributes: when they are missing, the
// error names that log (a mutation campaign found it naming no file).
TEST(BaseRate, ZeroBiasErrorNamesTheBackgroundLog) {
  l1emu::testing::TempDir dir("rates_no_fill");
  l1emu::testing::TestDecisionLog log;
  log.score_code = {5, 6, 7};
  log.bit_names = {"AXO_VLoose"};
  log.thresholds = {10};
  log.bits = {1, 0, 1};
  const auto path = dir.path() / "decisions.h5";
  l1emu::testing::write_decision_log(path, log);
  const board::Sample sample = board::load_sample("bg", {path}, 128);
  ASSERT_FALSE(sample.metadata.filling_scheme.has_value());
  board::RatesConfig config;  // zero-bias
  try {
    (void)board::compute_rates(sample, {}, config);
    FAIL() << "no error without colliding_bunches or filling_scheme";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
  }
}

TEST(DecisionLogReader, FixedLengthStringAttributes) {
  l1emu::testing::TempDir dir("rates_reader");
  l1emu::testing::TestDecisionLog log;
  log.score_code = {5, 6, 7};
  log.bit_names = {"AXO_VLoose", "AXO_VTight"};
  log.bits = {1, 0, 1, 0, 1, 1};
  log.filling_scheme = "nominal-25ns";
  log.fixed_length_strings = true;
  l1emu::testing::write_decision_log(dir.path() / "fixed.h5", log);
  const board::DecisionLogReader reader(dir.path() / "fixed.h5");
  EXPECT_EQ(reader.metadata().bit_names, log.bit_names);
  EXPECT_EQ(reader.metadata().model, "test-model");
  EXPECT_EQ(reader.metadata().filling_scheme, "nominal-25ns");
}

}  // namespace
