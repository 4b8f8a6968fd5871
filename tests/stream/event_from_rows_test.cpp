// to_event (the 19 rows' codes together, branch-free: stream/src/event_from_rows.cpp) must give
// the events of to_event_per_object (each object's from_physical) bit for bit: on generated events
// and on rows made to sit on the edges of every rounding, clamp and special case of l1_objects.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <random>
#include <vector>

#include "l1emu/stream/dataset_layout.h"
#include "l1emu/stream/event_generator.h"
#include "l1emu/stream/l1_objects.h"

namespace l1emu::stream {
namespace {

TEST(EventFromRows, GeneratedEventsEqualThePerObjectConversion) {
  for (const Process p : {Process::background, Process::ato4l}) {
    EventGenerator generator({.process = p, .seed = 11});
    for (int i = 0; i < 20000; ++i) {
      const DatasetEvent d = generator.next();
      ASSERT_EQ(to_event(d), to_event_per_object(d)) << "process " << static_cast<int>(p) << ", event " << i;
    }
  }
}

// Values a row's pT, eta or phi may take that the conversions treat apart: zero and signs, NaN and
// infinities, the codes' half-LSB edges (and the doubles next to them), saturation, and phi at and
// beyond +-pi and +-2 pi (where phi_code wraps or calls fmod).
std::vector<double> edge_values() {
  const double inf = std::numeric_limits<double>::infinity();
  const double pi = std::numbers::pi;
  std::vector<double> v = {0.0, -0.0, 1e-300, -1e-300, std::nan(""), inf, -inf, 1e300, -1e300,
                           pi, -pi, 2 * pi, -2 * pi, 3 * pi, -7.5, 4000.0, 2047.75, 255.25, 4095.5};
  for (const double lsb : {scales::kPtLsbGeV, scales::kCaloEtaLsb, scales::kMuonEtaLsb, 2 * pi / scales::kCaloPhiBins,
                           2 * pi / scales::kMuonPhiBins}) {
    for (const double k : {0.0, 1.0, 7.0, 127.0, 128.0, 255.0, 256.0, 511.0, 575.0, 576.0, 2047.0, 4095.0}) {
      for (const double sign : {1.0, -1.0}) {
        const double edge = sign * (k + 0.5) * lsb;
        v.insert(v.end(), {edge, std::nextafter(edge, inf), std::nextafter(edge, -inf)});
      }
    }
  }
  for (const double x : {2 * pi, -2 * pi, pi, -pi}) v.insert(v.end(), {std::nextafter(x, 0.0), std::nextafter(x, 10 * x)});
  return v;
}

TEST(EventFromRows, EdgeValuesEqualThePerObjectConversion) {
  const std::vector<double> values = edge_values();
  std::mt19937_64 rng(5);
  std::uniform_int_distribution<std::size_t> pick(0, values.size() - 1);
  std::bernoulli_distribution usual(0.9);  // most events take the vector path, some the fallback
  std::uniform_real_distribution<double> phi(-std::numbers::pi, std::numbers::pi);
  for (int i = 0; i < 200000; ++i) {
    DatasetEvent d;
    d.event_id = i;
    for (auto& row : d.rows) {
      row.pt = values[pick(rng)];
      row.eta = values[pick(rng)];
      row.phi = usual(rng) ? phi(rng) : values[pick(rng)];
    }
    ASSERT_EQ(to_event(d), to_event_per_object(d)) << "event " << i;
  }
  // Each value in every row and column once, the other rows empty: no value hides behind another.
  for (const double x : values) {
    for (int r = 0; r < layout::kRows; ++r) {
      for (int column = 0; column < 3; ++column) {
        DatasetEvent d;
        d.rows[r] = {1.0, 0.1, 0.2, 0.0};
        (column == 0 ? d.rows[r].pt : column == 1 ? d.rows[r].eta : d.rows[r].phi) = x;
        ASSERT_EQ(to_event(d), to_event_per_object(d)) << "row " << r << ", column " << column << ", value " << x;
      }
    }
  }
}

}  // namespace
}  // namespace l1emu::stream
