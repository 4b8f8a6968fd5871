// The record columns of the decision-log format (decision_log_format.h): pack_rows, the journal's
// one-pass row packing, lays each record out as the columns' get() in file order, and each
// column's gather() gives its get() for every record.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <vector>

#include "l1emu/board/decision_log_format.h"

namespace l1emu::board {
namespace {

std::vector<DecisionRecord> random_records(std::size_t n) {
  std::mt19937_64 rng(23);
  std::vector<DecisionRecord> out(n);
  for (auto& r : out) {
    r.event = rng();
    r.orbit = static_cast<std::uint32_t>(rng());
    r.bx = static_cast<std::uint16_t>(rng());
    r.event_id = static_cast<std::int64_t>(rng());
    r.sample = static_cast<std::uint8_t>(rng());
    r.inputs_hash = rng();
    r.score_code = static_cast<std::int64_t>(rng());
    r.bits_before_prescale = rng();
    r.bits_after_prescale = rng();
    r.outcome = static_cast<Outcome>(rng() % 3);
    r.latency_cycles = static_cast<std::uint32_t>(rng());
    r.latency_ns = static_cast<double>(rng() % 100000) / 7.0;
  }
  return out;
}

TEST(DecisionLogFormat, PackedRowsAreTheColumnsInFileOrder) {
  const auto& cols = decision_log_format::record_columns();
  std::size_t width = 0;
  for (const auto& c : cols) width += c.size;
  const std::vector<DecisionRecord> records = random_records(1000);
  std::vector<unsigned char> packed(records.size() * width + 1, 0xEE);
  decision_log_format::pack_rows(records, packed.data());
  EXPECT_EQ(packed.back(), 0xEE) << "pack_rows wrote past the rows";
  std::vector<unsigned char> expected(width);
  for (std::size_t i = 0; i < records.size(); ++i) {
    std::size_t offset = 0;
    for (const auto& c : cols) {
      c.get(records[i], expected.data() + offset);
      offset += c.size;
    }
    ASSERT_EQ(std::memcmp(packed.data() + i * width, expected.data(), width), 0) << "record " << i;
  }
}

TEST(DecisionLogFormat, GatherIsGetForEveryRecord) {
  const std::vector<DecisionRecord> records = random_records(300);
  for (const auto& c : decision_log_format::record_columns()) {
    std::vector<unsigned char> gathered(records.size() * c.size), one(c.size);
    c.gather(records, gathered.data(), c.size);
    for (std::size_t i = 0; i < records.size(); ++i) {
      c.get(records[i], one.data());
      ASSERT_EQ(std::memcmp(gathered.data() + i * c.size, one.data(), c.size), 0) << c.name << ", record " << i;
    }
  }
}

}  // namespace
}  // namespace l1emu::board
