#include "l1emu/board/pipeline.h"

#include <gtest/gtest.h>

#include <cmath>
#include <deque>
#include <random>
#include <vector>

#include "l1emu/board/clock_domain.h"
#include "l1emu/board/error.h"

namespace l1emu::board {
namespace {

// One clock for BX, links and board, one frame per BX and no synchronizer: the event of BX k is
// complete in cycle k + 1, so arrivals come once per cycle and cycle numbers are easy to check.
PipelineConfig single_clock(std::vector<StageConfig> stages) {
  const Rational hz = Rational::make(40000000, 1);
  PipelineConfig c;
  c.bx_clock = ClockDomain("bx", hz);
  c.link_clock = ClockDomain("link", hz);
  c.board_clock = ClockDomain("board", hz);
  c.frames_per_bx = 1;
  c.cdc_cycles = 0;
  c.stages = std::move(stages);
  return c;
}

TEST(Pipeline, LatencyLIsNotReadyAtLMinusOneAndReadyAtL) {
  for (int latency : {0, 1, 5, 16}) {
    Pipeline p(single_clock({{"model", latency, 1, 4}}));
    const EventTiming t = p.push(10);
    ASSERT_TRUE(t.accepted);
    EXPECT_EQ(t.arrival_cycle, 11U);
    EXPECT_EQ(t.ready_cycle, 11U + static_cast<unsigned>(latency));
    EXPECT_EQ(t.latency_cycles, static_cast<unsigned>(latency));
    if (latency > 0) {
      EXPECT_FALSE(t.ready_at(t.arrival_cycle + static_cast<unsigned>(latency) - 1));
    }
    EXPECT_TRUE(t.ready_at(t.arrival_cycle + static_cast<unsigned>(latency)));
  }
}

TEST(Pipeline, StagesInSeriesAddTheirLatencies) {
  Pipeline p(single_clock({{"unpack", 2, 1, 0}, {"model", 16, 1, 0}, {"menu", 1, 1, 0}}));
  const EventTiming t = p.push(0);
  EXPECT_EQ(t.latency_cycles, 19U);
  EXPECT_EQ(p.nominal_latency_cycles(), 19U);
}

TEST(Pipeline, IntervalOneTakesAnEventEveryCycleWithoutWaiting) {
  Pipeline p(single_clock({{"model", 16, 1, 0}}));
  for (std::uint64_t bx = 0; bx < 1000; ++bx) {
    const EventTiming t = p.push(bx);
    ASSERT_TRUE(t.accepted) << bx;
    ASSERT_EQ(t.latency_cycles, 16U);
  }
  EXPECT_EQ(p.counters().dropped, 0U);
  EXPECT_EQ(p.counters().stages[0].max_fifo, 0U);
}

// II 2 with one arrival per cycle: event k starts in cycle 1 + 2k, so when event k arrives (cycle
// k + 1) the events j with 2j > k are still waiting: k - 1 - floor(k/2) of them. The FIFO of depth
// D is full for the first time at k = 2D + 1, which is dropped; k = 2D still fits.
TEST(Pipeline, FifoOverflowsExactlyWhenArrivalsOutpaceTheInterval) {
  for (int depth : {0, 1, 3, 8}) {
    Pipeline p(single_clock({{"model", 4, 2, depth}}));
    std::uint64_t first_drop = 0;
    bool dropped = false;
    for (std::uint64_t k = 0; k < 100 && !dropped; ++k) {
      const EventTiming t = p.push(k);
      if (!t.accepted) {
        dropped = true;
        first_drop = k;
        EXPECT_EQ(t.dropped_at_stage, 0);
      } else {
        EXPECT_EQ(t.ready_cycle, 1 + 2 * k + 4) << "depth " << depth << " event " << k;
      }
    }
    ASSERT_TRUE(dropped);
    EXPECT_EQ(first_drop, static_cast<std::uint64_t>(2 * depth + 1)) << "depth " << depth;
    EXPECT_EQ(p.counters().stages[0].max_fifo, static_cast<std::uint64_t>(depth));
  }
}

TEST(Pipeline, NoOverflowWhenArrivalsAreSparserThanTheInterval) {
  Pipeline p(single_clock({{"model", 4, 3, 0}}));
  for (std::uint64_t bx = 0; bx < 300; bx += 3) ASSERT_TRUE(p.push(bx).accepted);
  EXPECT_EQ(p.counters().dropped, 0U);
}

// Without a buffer, II 3 and an event every cycle, exactly every third event is taken: dead time
// is 2 of every 3 BX, counted event by event.
TEST(Pipeline, DeadTimeIsCountedExactly) {
  Pipeline p(single_clock({{"model", 5, 3, 0}}));
  std::uint64_t accepted = 0;
  for (std::uint64_t k = 0; k < 30; ++k) {
    const EventTiming t = p.push(k);
    EXPECT_EQ(t.accepted, k % 3 == 0) << k;
    accepted += t.accepted ? 1 : 0;
  }
  EXPECT_EQ(accepted, 10U);
  EXPECT_EQ(p.counters().dropped, 20U);
  EXPECT_EQ(p.counters().accepted, 10U);
  EXPECT_EQ(p.counters().stages[0].dropped, 20U);
}

TEST(Pipeline, DropInALaterStageIsAttributedToIt) {
  Pipeline p(single_clock({{"unpack", 1, 1, 0}, {"model", 4, 2, 0}}));
  EXPECT_TRUE(p.push(0).accepted);
  const EventTiming t = p.push(1);
  EXPECT_FALSE(t.accepted);
  EXPECT_EQ(t.dropped_at_stage, 1);
  EXPECT_EQ(p.counters().stages[1].dropped, 1U);
}

TEST(Pipeline, RejectsOutOfOrderEventsAndBadStages) {
  Pipeline p(single_clock({{"model", 1, 1, 0}}));
  (void)p.push(5);
  EXPECT_THROW((void)p.push(5), std::invalid_argument);
  EXPECT_THROW(Pipeline(single_clock({})), ConfigError);
  EXPECT_THROW(Pipeline(single_clock({{"m", 1, 0, 0}})), ConfigError);
  EXPECT_THROW(Pipeline(single_clock({{"m", -1, 1, 0}})), ConfigError);
}

// 200 MHz board clock against the 40.0789 MHz BX clock: the first board edge at or after BX k is
// ceil(k * 200 / 40.0789) = ceil(k * 2000000 / 400789). At k = 400789 the division is exact
// (2000000): a floating-point ratio risks 2000000.0000000002 -> 2000001.
TEST(ClockDomain, CrossingIsExactAtTheBoundary) {
  const ClockDomain bx = lhc_bx_clock();
  const ClockDomain board = ClockDomain::from_mhz("board", "200");
  EXPECT_EQ(board.first_tick_at_or_after(bx, 0), 0U);
  EXPECT_EQ(board.first_tick_at_or_after(bx, 1), 5U);  // 4.99 cycles -> 5
  EXPECT_EQ(board.first_tick_at_or_after(bx, 400789), 2000000U);
  EXPECT_EQ(board.first_tick_at_or_after(bx, 400790), 2000005U);  // 2000004.99
  // Far into a run (10^12 BX, about 7 hours) the arithmetic stays exact.
  const std::uint64_t k = 400789ULL * 2500000ULL;
  EXPECT_EQ(board.first_tick_at_or_after(bx, k), 2000000ULL * 2500000ULL);
  EXPECT_EQ(board.first_tick_at_or_after(bx, k + 1), 2000000ULL * 2500000ULL + 5);
  EXPECT_NEAR(board.ns_between(5, bx, 1), 25.0 - 1e9 / 40078900.0, 1e-9);
}

// ns_between takes a 64-bit division where the operands allow (a replay's latencies) and the
// 128-bit one elsewhere: the same double either way, against the exact formula evaluated in 128
// bits here, for latencies of a few cycles and for differences of hours between the two clocks.
TEST(ClockDomain, NsBetweenIsTheExactFormulaOnEitherWidth) {
  __extension__ using Wide = __int128;
  const ClockDomain bx = lhc_bx_clock();
  std::mt19937_64 rng(4);
  for (const char* mhz : {"200", "240.4734", "360", "0.001"}) {
    const ClockDomain board = ClockDomain::from_mhz("board", mhz);
    for (int i = 0; i < 20000; ++i) {
      const std::uint64_t b = i % 2 == 0 ? rng() % 100000000 : rng() % (1ULL << 40);
      const std::uint64_t ahead = i % 3 == 0 ? rng() % 20 : rng() % (1ULL << (rng() % 40));
      const std::uint64_t a = board.first_tick_at_or_after(bx, b) + ahead;
      const Wide den = static_cast<Wide>(board.hz().num) * bx.hz().num;
      const Wide diff = static_cast<Wide>(a) * board.hz().den * bx.hz().num - static_cast<Wide>(b) * bx.hz().den * board.hz().num;
      const Wide whole = diff * 1000000000 / den;
      const Wide rem = diff * 1000000000 - whole * den;
      const double expected = static_cast<double>(whole) + static_cast<double>(rem) / static_cast<double>(den);
      ASSERT_EQ(board.ns_between(a, bx, b), expected) << mhz << " MHz, a " << a << ", b " << b;
    }
  }
}

TEST(ClockDomain, ParsesDecimalFrequenciesExactly) {
  EXPECT_EQ(Rational::parse_decimal("40.0789"), Rational::make(400789, 10000));
  EXPECT_EQ(ClockDomain::from_mhz("x", "40.0789").hz(), Rational::make(40078900, 1));
  EXPECT_EQ(ClockDomain::from_mhz("x", "240.4734").hz(), Rational::make(240473400, 1));
  EXPECT_THROW((void)Rational::parse_decimal("-1"), ConfigError);
  EXPECT_THROW((void)Rational::parse_decimal("1e3"), ConfigError);
  EXPECT_THROW((void)Rational::parse_decimal("0"), ConfigError);
}

// The uGT chain: 6 frames at 240.4734 MHz (6 x BX, locked), 2 synchronizer cycles into 200 MHz.
TEST(Pipeline, LinkFramesAndSynchronizerDelayTheArrival) {
  PipelineConfig c;
  c.link_clock = ClockDomain::from_mhz("link", "240.4734");
  c.stages = {{"model", 16, 1, 0}};
  Pipeline p(c);
  // BX 0: last frame ends at link tick 6 = 24.95 ns -> first 200 MHz edge at or after: cycle 5;
  // plus 2 synchronizer cycles: 7. Ready 16 cycles later: 23 = 115 ns after the BX start.
  const EventTiming t = p.push(0);
  EXPECT_EQ(t.arrival_cycle, 7U);
  EXPECT_EQ(t.ready_cycle, 23U);
  EXPECT_DOUBLE_EQ(t.latency_ns, 115.0);
}

}  // namespace
}  // namespace l1emu::board

namespace l1emu::board {
namespace {

// A slow reference: ticks the board clock cycle by cycle with an explicit FIFO. Phase 1 of a cycle
// starts the FIFO head when the II allows; phase 2 handles the cycle's arrival (start at once if
// the FIFO is empty and the II allows, else queue if there is room, else drop).
struct ReferenceStage {
  int latency;
  int ii;
  int depth;
  std::deque<std::size_t> fifo;
  std::int64_t next_free = 0;
};

TEST(Pipeline, MatchesACycleByCycleReferenceOnRealClocks) {
  for (int ii : {1, 4, 5, 6, 9}) {
    for (int depth : {0, 1, 3}) {
      PipelineConfig c;
      c.link_clock = ClockDomain::from_mhz("link", "240.4734");
      c.stages = {{"model", 7, ii, depth}};
      Pipeline p(c);
      constexpr std::size_t kEvents = 3000;
      std::vector<std::uint64_t> arrival(kEvents);
      std::vector<EventTiming> fast(kEvents);
      for (std::size_t k = 0; k < kEvents; ++k) {
        arrival[k] = p.arrival_cycle(k);
        fast[k] = p.push(k);
      }
      ReferenceStage ref{7, ii, depth, {}, 0};
      std::vector<std::int64_t> ready(kEvents, -1);
      std::size_t next = 0;
      for (std::int64_t cycle = 0; next < kEvents || !ref.fifo.empty(); ++cycle) {
        if (!ref.fifo.empty() && cycle >= ref.next_free) {
          ready[ref.fifo.front()] = cycle + ref.latency;
          ref.fifo.pop_front();
          ref.next_free = cycle + ref.ii;
        }
        while (next < kEvents && static_cast<std::int64_t>(arrival[next]) == cycle) {
          if (ref.fifo.empty() && cycle >= ref.next_free) {
            ready[next] = cycle + ref.latency;
            ref.next_free = cycle + ref.ii;
          } else if (ref.fifo.size() < static_cast<std::size_t>(ref.depth)) {
            ref.fifo.push_back(next);
          }
          ++next;
        }
      }
      std::size_t dropped = 0;
      for (std::size_t k = 0; k < kEvents; ++k) {
        ASSERT_EQ(fast[k].accepted, ready[k] >= 0) << "II " << ii << " depth " << depth << " event " << k;
        if (ready[k] >= 0) {
          ASSERT_EQ(static_cast<std::int64_t>(fast[k].ready_cycle), ready[k]) << "II " << ii << " event " << k;
        }
        dropped += ready[k] < 0 ? 1 : 0;
      }
      EXPECT_EQ(p.counters().dropped, dropped);
      // At 200 MHz a BX is 4.99 cycles: II up to 4 never loses an event; 6 and above must.
      if (ii <= 4) {
        EXPECT_EQ(dropped, 0U) << ii;
      }
      if (ii >= 6) {
        EXPECT_GT(dropped, 0U) << ii;
      }
    }
  }
}

}  // namespace
}  // namespace l1emu::board
