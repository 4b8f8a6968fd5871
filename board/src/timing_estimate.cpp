#include "l1emu/board/timing_estimate.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <compare>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <limits>
#include <optional>
#include <queue>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "l1emu/board/error.h"
#include "l1emu/board/state_packer.h"
#include "l1emu/emu/nn/layers/convolution.h"
#include "l1emu/emu/nn/layers/dense.h"
#include "l1emu/emu/nn/layers/fixed_point_quantizer.h"
#include "l1emu/emu/nn/layers/kl_loss.h"
#include "l1emu/emu/nn/layers/pooling.h"
#include "l1emu/emu/nn/layers/softmax.h"
#include "l1emu/emu/nn/layers/table_activations.h"

namespace l1emu::board {
namespace {

// How the latency is estimated (the "why" of every rule; the evidence is the RTL that `verify rtl`
// co-simulates and the Vivado HLS 2019.2 schedules, `.autopilot/db/*.verbose.sched.rpt`, committed
// beside it in Hector-Plata/hls4ml-tutorial at 4ac4f07: model_1 `hls4ml_prj` (16-bit weights, RTL 13
// cycles) and `hls4ml_prj_2` (the same with ReuseFactor 2, RTL 12, II 2), model_3 (6-bit pruned
// weights, RTL 9), all on UltraScale+ at 5 ns):
// - Vivado HLS chains operations into a state while their delays fit in the period minus the clock
//   uncertainty (12.5 % by default in Vivado HLS, UG902; 27 % in Vitis HLS): 4.375 ns of 5 ns. The
//   delays per operation are the device's (device.cpp, read from those schedules).
// - Every io_parallel layer is a sub-function. One of latency L occupies L + 1 states of the top
//   pipeline; its first state is chained onto the previous layer's last state when both fit, and the
//   next layer may chain onto its last state (model_1: relu2 shares fc2's last state, 2.02 + 0.96 ns;
//   model_3: relu3 and the output Dense share one, 1.22 + 2.83 ns). The model's latency is the
//   number of states of the top pipeline minus one (model_1: 14 states, latency 13, as csynth and
//   the RTL say); the top-level ports add no state of their own (the ap_vld read is in state 1).
// - A layer's own states: its critical path packed with the same rule (StatePacker). Its latency is
//   then what csynth reports per instance (model_1: Dense 1, ReLU 0, Softmax 4; model_3: Dense 0,
//   Softmax 3).
// - Dense, latency strategy (nnet::dense_latency): every product in parallel, then per output an
//   adder tree that Vivado HLS balances by arrival time (the terms that need no multiplier are summed
//   while the products are computed). A weight of +-2^k is a shift (no multiplier, no delay); a zero
//   weight is no term; every other weight a product (`mul`): 1.94 ns with a 16-bit operand, 1.23 ns
//   for 6 x 6 (model_3's layers after the first, whose inputs are ap_ufixed<6,0>). The bias joins
//   the tree with the products (hls4ml starts each sum from it; model_1's Dense of 32 products and a
//   bias end in a state of two adder levels, 1.35 ns, so it was not added early). Model_3's Dense
//   delays from this rule are 3.80/4.33/3.71/3.09 ns where its schedules say 3.29/3.92/3.59/2.83:
//   the same states.
// - The HLS tool (HlsTool: --hls-tool, else model.json's hls_synthesis, which `l1emu import` reads
//   from the project's csynth.xml and hls.app/vivado_hls.app, else Vivado HLS 2019.2 with a note).
//   Vitis HLS differs where MinhNguy3n/hls4ml-tutorial model_3.1's schedules show it (Vitis HLS
//   2024.2, xc7z020 -1, 5 ns, 27 %): from 2024.2 each call of latency L >= 1 takes L + 2 states of
//   the top pipeline (Lrozzy model_3.1, Vitis HLS 2024.1: L + 1); and on 7-series, where they were
//   seen, its adders take the delay of the sum's width (1.81 ns at 14 bits, two per state; 2.07-2.19
//   at 16-20, one: vitis_seven_series_sum_add_ps), its compare-selects 2.61 ns, its Dense sums are
//   trees shaped by their term count, not by arrival (count_balanced_tree), split into chained runs
//   at every weight of code -1 (chained_runs), and a two-digit weight or a negative power of two
//   costs an adder before the sum, a three-digit one a pipelined multiplier core, of two states on a
//   DSP48E1 (data of 11 bits or more), of five in LUTs (vitis_term_ps).
// - HGQ's FixedPointQuantizer that truncates and wraps is wiring (quantizer_is_wiring), whatever the
//   tool: a ReLU and its quantizer are one compare-select.
// - 7-series softmax (hls4ml_prj_pynq, Vivado HLS 2019.2): the final product is a DSP48E1 pipeline
//   of three stages and a state that writes it (rule_softmax).
// - Not modelled: where Vitis HLS adds a late product into a sum (MinhNguy3n's h_dense_1 chains the
//   terms after it, 5 adders; h_dense_3 adds it 3 adders from the end where its tree is 4 or 5 deep),
//   the extra adder Vitis HLS puts between some runs and the chain, the reads of the pynq softmax's
//   exp table that issue four per state (hidden there by the sum), fc2's adder tail of
//   hls4ml_prj_pynq (one state too many), and DATAFLOW tops (pointwise Conv1D in io_parallel).
//   README, "l1emu estimate", lists the effect of each.
// - ReuseFactor R (latency strategy): see rule_dense: it bounds the multipliers (hls4ml's
//   multiplier_limit) and sets the II to min(R, the layer's states). Where the limit does not bind
//   the states do not change (model_1 `hls4ml_prj_2`: R 2, the same Dense schedules of two states as
//   R 1 and about the same DSP count, 1444 against 1450; latency 12 against 13 for R 1, the
//   difference being where HLS put fc1's adder levels).
// - ReLU and the other comparisons: a compare and a multiplexer (0.96 ns), chained.
// - Softmax (stable): the max tree (a compare-select per level) and the subtraction; the exp table
//   read (a ROM: its address in one state, its registered data in the next); the sum tree, with a
//   compare-select per level when the sum's type saturates (model_1's AP_SAT sum spans two states,
//   model_3's wrapping sum one); the inverse table read; the product. Model_1: 5 states, model_3: 4.
// Rules for the layers none of those designs has (convolution, pooling, tables, KL score, ...) are
// the same operations composed the same way; they are extrapolations.
// The products of 1.94 ns have an operand of 16 bits, those of 1.23 ns two of 6: the boundary is
// put where the resource rule below puts DSPs (11 bits), the widest width seen at 1.23 ns being 6.
constexpr int kWideOperandBits = 11;

// Resource rules (rough; Table 3 of the seed paper gives only percentages):
// - Vivado maps a product to a DSP48 when both operands are wider than 10 bits (narrower products
//   are cheaper in LUTs); otherwise a constant product is a shift-and-add network with one adder of
//   the data width per extra nonzero canonical-signed-digit (CSD) digit of the weight.
// - Every adder of the tree costs one LUT per accumulator bit (carry chains).
// - Registers: each layer registers its output array once per cycle of latency.
// - ROM tables (KL exp table) go to BRAM18 halves: one BRAM18 (18 kbit) per two read ports.
// kLutCalibration scales LUT totals to the synthesized ratio: Vivado's logic optimization shares
// and trims much of the naive shift-and-add count; fitted on Table 3 (DNN VAE: about 3 % of the
// VU9P LUTs). It is the least certain number here.
constexpr int kDspMinOperandBits = 11;
constexpr double kLutCalibration = 0.45;

int ceil_log2(std::size_t n) {
  int levels = 0;
  while ((std::size_t{1} << levels) < n) ++levels;
  return levels;
}

// Nonzero digits of the canonical signed-digit form of |code| (popcount of (x ^ 3x) >> 1).
int csd_digits(const emu::BigInt& code) {
  emu::BigInt a = code < 0 ? emu::BigInt(-code) : code;
  if (a > emu::BigInt(std::numeric_limits<std::int64_t>::max() / 4)) return 32;
  const auto x = static_cast<std::uint64_t>(static_cast<std::int64_t>(a));
  return std::popcount((x ^ (3 * x)) >> 1);
}

// A weight of +-2^k multiplies by a shift: wiring, no multiplier (Vivado HLS strength reduction).
bool is_shift(const emu::BigInt& code) {
  emu::BigInt a = code < 0 ? emu::BigInt(-code) : code;
  if (a > emu::BigInt(std::numeric_limits<std::int64_t>::max())) return false;
  return std::has_single_bit(static_cast<std::uint64_t>(static_cast<std::int64_t>(a)));
}

struct Timing {
  long usable_ps;
  OperationDelays delay;
  HlsTool tool;
  bool seven_series = false;
  int reuse;
  bool reuse_overrides = false;
  // Some Dense carries its own ReuseFactor (an import): every Dense then takes its own, 1 when absent.
  bool layers_carry_reuse = false;
  std::vector<std::string>* notes = nullptr;
};

long multiply_ps(int a_bits, int b_bits, const Timing& t) {
  return std::max(a_bits, b_bits) >= kWideOperandBits ? t.delay.wide_multiply_ps : t.delay.narrow_multiply_ps;
}

// The critical path of an adder tree balanced by arrival time: the two earliest partial sums are
// added first (what Vivado HLS's expression balancing does with terms that arrive at different
// times). Returns the path as the delay of its leaf operation and the adders after it.
struct TreePath {
  long arrival_ps = 0;
  long leaf_ps = 0;
  int adders = 0;
  bool operator>(const TreePath& o) const { return arrival_ps > o.arrival_ps; }
};

TreePath balanced_tree(const std::vector<long>& leaf_ps, long add_ps) {
  std::priority_queue<TreePath, std::vector<TreePath>, std::greater<>> sums;
  for (long d : leaf_ps) sums.push({d, d, 0});
  if (sums.empty()) return {};
  while (sums.size() > 1) {
    const TreePath a = sums.top();
    sums.pop();
    const TreePath b = sums.top();
    sums.pop();
    const TreePath& late = a.arrival_ps >= b.arrival_ps ? a : b;
    sums.push({late.arrival_ps + add_ps, late.leaf_ps, late.adders + 1});
  }
  return sums.top();
}

// Vitis HLS does not rebalance a Dense's sum by arrival time: the tree's shape is set by the terms'
// count, so a late term (a multiplier's product) still passes every level above it. MinhNguy3n
// model_3.1's h_dense_1 (Vitis HLS 2024.2): the product of a 5-stage multiplier, ready after state 5,
// goes through 5 more adders (states 6-10) where an arrival-balanced tree adds it last. The path is
// then the latest leaf plus the tree's depth, ceil(log2 n).
TreePath count_balanced_tree(const std::vector<long>& leaf_ps, long add_ps) {
  if (leaf_ps.empty()) return {};
  const long latest = *std::max_element(leaf_ps.begin(), leaf_ps.end());
  const int depth = ceil_log2(leaf_ps.size());
  return {latest + depth * add_ps, latest, depth};
}

// One output's sum in Vitis HLS: a term whose weight code is -1 (the input itself, subtracted) is
// folded into the accumulation as `sub acc, x`, which the tool does not move: the terms between two
// such subtractions are summed in a tree (count_balanced_tree) and the runs chained, two adders per
// subtraction (the subtraction, then the next run's tree). MinhNguy3n model_3.1's h_dense (Vitis
// HLS 2024.2, xc7z020): an output of 16 terms, three of code -1, ends after 12 adder states where a
// tree of 16 terms needs 5; `runs` are the leaves of each run in hls4ml's accumulation order (input
// index ascending, nnet_dense_latency.h's `acc[jj] += mult[ii * n_out + jj]`), one run more than
// subtractions.
TreePath chained_runs(const std::vector<std::vector<long>>& runs, long add_ps) {
  TreePath acc = count_balanced_tree(runs.front(), add_ps);
  for (std::size_t r = 1; r < runs.size(); ++r) {
    acc = {acc.arrival_ps + add_ps, acc.leaf_ps, acc.adders + 1};  // acc - x
    if (runs[r].empty()) continue;
    const TreePath run = count_balanced_tree(runs[r], add_ps);
    const TreePath& late = run.arrival_ps > acc.arrival_ps ? run : acc;
    acc = {late.arrival_ps + add_ps, late.leaf_ps, late.adders + 1};
  }
  return acc;
}

// A layer's own schedule: its states (what csynth reports as the instance's latency + 1) and the
// estimate row.
struct LayerSchedule {
  LayerEstimate estimate;
  std::vector<long> states;
};

LayerSchedule finish(LayerEstimate e, const StatePacker& p) {
  e.latency_cycles = std::max(0, p.state_count() - 1);
  return {std::move(e), p.states()};
}

// Operations chained in one path (no register inside unless the path is longer than a state).
LayerSchedule chain(const emu::Layer& layer, std::initializer_list<long> delays, const Timing& t) {
  StatePacker p(t.usable_ps);
  for (long d : delays) p.add(d);
  LayerEstimate e;
  e.resources.ff = static_cast<long>(layer.output_size()) * layer.result_type().width * std::max(1, p.state_count() - 1);
  return finish(std::move(e), p);
}

void add_tree(StatePacker& p, const TreePath& path, long add_ps) {
  p.add(path.leaf_ps);
  for (int i = 0; i < path.adders; ++i) p.add(add_ps);
}

// The products that keep a multiplier (`mul`) in Vivado HLS's schedule: a constant product whose
// weight has three or more nonzero canonical-signed-digit (CSD) digits; one of two digits or fewer
// becomes shifts and one adder, and identical products (the same input times the same weight code)
// are computed once. Evidence: the `mul` operations of the `.verbose.sched.rpt` of every Dense of
// Hector-Plata/hls4ml-tutorial model_1 (476, 561, 311, 110), model_3 and model_3 `hls4ml_prj_pynq`
// (26, 45, 52, 2) are exactly this count.
long multiplier_products(const emu::Dense::Config& c, std::size_t n_in) {
  long count = 0;
  std::vector<emu::BigInt> seen;
  for (std::size_t i = 0; i < n_in; ++i) {
    seen.clear();
    for (std::size_t j = 0; j < c.n_out; ++j) {
      const auto& w = c.weights[i * c.n_out + j];
      if (w == 0 || csd_digits(w) < 3 || std::find(seen.begin(), seen.end(), w) != seen.end()) continue;
      seen.push_back(w);
      ++count;
    }
  }
  return count;
}

// hls4ml's multiplier_limit for a Dense of reuse factor R (every project's parameters.h:
// DIV_ROUNDUP(n_in * n_out, reuse_factor) - n_zeros / reuse_factor), the bound of
// nnet_dense_latency.h's `#pragma HLS ALLOCATION operation instances=mul limit=...`.
long multiplier_limit(std::size_t n_in, std::size_t n_out, long zeros, long reuse) {
  const long n = static_cast<long>(n_in * n_out);
  return std::max(1L, (n + reuse - 1) / reuse - zeros / reuse);
}

// When a term of a Vitis HLS Dense sum is ready (MinhNguy3n model_3.1's schedules, Vitis HLS 2024.2):
// a weight of +2^k is wiring; one of -2^k a negation (`sub 0, x`: one adder); one of two
// canonical-signed-digit digits a shift-and-add (`sub (x << 4), (x << 1)`: one adder); one of three or
// more a `mul`, on 7-series a pipelined multiplier core whose stages depend on where it is bound:
// - a DSP48E1 (data of kDspMinOperandBits or more): two states. h_dense (input ap_fixed<12,5>) binds
//   its two products to `mul_11s_7s_18_2_0` and `mul_12s_8s_19_2_0` (csynth.rpt: 1 DSP each;
//   `Multiplier` core, latency 1, 3.34 ns, states 1-2 and 6-7);
// - LUTs (narrower data): five states. h_dense_1 (input ap_ufixed<10,6>) and h_dense_3 (ap_ufixed<9,7>)
//   bind `mul_8ns_7s_15_5_0`, `mul_7ns_6ns_12_5_0`, `mul_9ns_6ns_14_5_0` (0 DSP, 64-102 LUT; latency
//   4, 5.41-6.02 ns, states 1-5).
// The two groups differ in both the data width (12 against 9-10 bits) and its signedness; the width is
// taken as the cause, the boundary being the one the resource rule puts DSPs at. No schedule here has
// narrow signed or wide unsigned data to tell them apart.
long vitis_term_ps(const emu::BigInt& w, int data_bits, const Timing& t) {
  if (is_shift(w)) return w > 0 ? 0 : t.delay.add_ps;
  if (csd_digits(w) == 2) return t.delay.add_ps;
  const long stages = data_bits >= kDspMinOperandBits ? 2 : 5;
  return stages * t.usable_ps;  // whole states (StatePacker::add spans them)
}

// The delay Vitis HLS gives an adder of a Dense sum on 7-series, by the sum's width (the accumulator
// type's): MinhNguy3n model_3.1's Dense schedules (Vitis HLS 2024.2, xc7z020 -1) give `add`/`sub`
// i12-i13 1.54-1.67 ns, i14 1.67-1.81, i15 1.81-1.94, i16 1.94-2.07, i17 2.07-2.10, i18 2.10-2.13,
// i19 2.13-2.16, i20 2.16-2.19 (narrower ones, i7-i11, 1.63-1.91, are the terms' shift-and-adds). The
// widest of each width is taken. So two adders chain in a state of 3.65 ns up to 14 bits (h_dense_3,
// ap_fixed<14,6> sum: `add i14` 1.81 + 1.81 ns in one state, its product of state 5 summed by
// state 7), one from 15 bits (h_dense, h_dense_1, h_dense_2: sums of 20, 18, 16 bits).
long vitis_seven_series_sum_add_ps(int bits) {
  if (bits <= 13) return 1670;
  if (bits == 14) return 1810;
  if (bits == 15) return 1940;
  if (bits == 16) return 2070;
  if (bits == 17) return 2100;
  if (bits == 18) return 2130;
  if (bits == 19) return 2160;
  return 2190;
}

LayerSchedule rule_dense(const emu::Layer& layer, const Timing& t) {
  const auto& d = dynamic_cast<const emu::Dense&>(layer);
  const auto& c = d.config();
  const std::size_t n_in = d.inputs()[0].size;
  // The layer's own ReuseFactor (the project's parameters.h, carried by model.json) unless the
  // command line replaces it; a model.json whose Dense layers carry none takes the model's.
  const int reuse = t.reuse_overrides || !t.layers_carry_reuse ? t.reuse : static_cast<int>(std::min<std::size_t>(c.reuse_factor, kMaxReuseFactor));
  const int data_bits = d.inputs()[0].type.width;
  const long mul = multiply_ps(data_bits, c.weight_t.width, t);
  LayerEstimate e;
  TreePath worst;
  long luts = 0;
  long dsps = 0;
  std::vector<long> leaves;
  // Vitis HLS's sums (chained_runs, vitis_term_ps) where they were seen: on 7-series (MinhNguy3n
  // model_3.1, xc7z020). On UltraScale+ Lrozzy model_3.1's (Vitis HLS 2024.1, xcu250) Dense schedules of
  // two states fit the arrival-balanced tree of Vivado HLS (the estimate 8 against its RTL 8; before the
  // truncating quantizer was wiring 9, and 10 with the 7-series rules), and so do max-cohen54's Topo2A designs (csynth 0 and 1, estimate 1 and 1).
  const bool vitis_sums = t.tool.vitis() && t.seven_series;
  std::vector<std::vector<long>> runs;  // Vitis HLS: the runs between code -1 subtractions
  const long sum_add_ps = vitis_sums ? vitis_seven_series_sum_add_ps(c.accum_t.width) : t.delay.add_ps;
  for (std::size_t j = 0; j < c.n_out; ++j) {
    leaves.clear();
    runs.assign(1, {});
    bool has_product = false;
    for (std::size_t i = 0; i < n_in; ++i) {
      const auto& w = c.weights[i * c.n_out + j];
      if (w == 0) continue;
      has_product = has_product || !is_shift(w);
      leaves.push_back(is_shift(w) ? 0 : mul);
      if (vitis_sums) {
        if (w == -1) {
          runs.emplace_back();
        } else {
          runs.back().push_back(vitis_term_ps(w, data_bits, t));
        }
      }
      const int digits = csd_digits(w);
      if (data_bits >= kDspMinOperandBits && c.weight_t.width >= kDspMinOperandBits) {
        ++dsps;
      } else if (digits > 1) {
        luts += static_cast<long>(digits - 1) * data_bits;
      }
      luts += c.accum_t.width;  // its adder in the tree
    }
    if (c.biases[j] != 0) leaves.push_back(has_product ? mul : 0);
    if (c.biases[j] != 0) runs.front().push_back(0);  // a constant (MinhNguy3n h_dense: `add x, 2176` in the first run)
    const TreePath path = vitis_sums ? chained_runs(runs, sum_add_ps) : balanced_tree(leaves, t.delay.add_ps);
    if (path.arrival_ps > worst.arrival_ps) worst = path;
  }
  StatePacker p(t.usable_ps);
  // ReuseFactor R above 1: the ALLOCATION pragma bounds the multipliers at multiplier_limit, so
  // the M products that keep one are issued over ceil(M / limit) states, one product per
  // multiplier and state, the adder tree after the last ones. Model_3 `hls4ml_prj_pynq` (R 64,
  // xc7z020, 5 ns): fc1 26 products on 4 multipliers (7 states, then 2: 9), fc2 45 on 7 (7 + 2),
  // fc3 52 on 4 (13 + 2: 15), output 2 on 2 (1 + 2), as its Dense schedules show. With R 1 the
  // limit is the nonzero weight count and never binds (model_1 `hls4ml_prj_2`, R 2: nor there).
  // n_zeros as the project states it (model.json's, from parameters.h), else the zero codes.
  const long zeros = c.n_zeros >= 0 ? c.n_zeros : static_cast<long>(std::count(c.weights.begin(), c.weights.end(), emu::BigInt(0)));
  const long products = multiplier_products(c, n_in);
  const long limit = multiplier_limit(n_in, c.n_out, zeros, reuse);
  if (products > limit) {
    const long issue_states = (products + limit - 1) / limit;
    for (long k = 1; k < issue_states; ++k) {
      p.add(mul);
      p.register_output();
    }
    if (t.notes != nullptr) {
      t.notes->push_back(fmt::format("{}: ReuseFactor {} limits the multipliers to {} (hls4ml's multiplier_limit = ceil({} * {} / {}) - "
                                     "{} zero weights / {}); its {} products with a multiplier (weights of 3 or more signed digits) take {} states",
                                     layer.name(), reuse, limit, n_in, c.n_out, reuse, zeros, reuse, products, issue_states));
    }
  }
  add_tree(p, worst, sum_add_ps);
  e.resources.dsp = (dsps + reuse - 1) / reuse;
  e.resources.lut = static_cast<long>(std::lround(static_cast<double>(luts) * kLutCalibration / reuse));
  LayerSchedule s = finish(std::move(e), p);
  // A pipeline of D states cannot start more slowly than every D cycles once R exceeds D: II =
  // min(R, D) (pynq: R 64, fc3's schedule "II = 15, D = 15"; model_1 `hls4ml_prj_2`: R 2, II 2, D 2).
  s.estimate.ii_cycles = std::max(1, std::min(reuse, p.state_count()));
  s.estimate.resources.ff = static_cast<long>(c.n_out) * c.result_t.width * std::max(1, s.estimate.latency_cycles);
  return s;
}

long elements(const emu::Layer& layer) { return static_cast<long>(layer.output_size()); }
long in_size(const emu::Layer& layer) { return static_cast<long>(layer.inputs()[0].size); }
long result_bits(const emu::Layer& layer) { return layer.result_type().width; }
int input_bits(const emu::Layer& layer) { return layer.inputs()[0].type.width; }
// A ROM of `entries` words of `bits`, one copy per `reads` parallel reads (two ports per BRAM18).
double rom_bram36(long entries, long bits, long reads) {
  const long bram18_per_copy = std::max<long>(1, (entries * bits + 18431) / 18432);
  return 0.5 * static_cast<double>(bram18_per_copy * ((reads + 1) / 2));
}

// A table read: the address in one state, the registered data in the next (the softmax schedules
// of model_1 and model_3 show the `load` in both states).
void rom_read(StatePacker& p, const Timing& t) {
  p.add(t.delay.rom_read_ps);
  p.register_output();
  p.add(t.delay.rom_read_ps);
}

// BatchNormalization: one constant product and one addition.
LayerSchedule rule_batch_norm(const emu::Layer& layer, const Timing& t) {
  LayerSchedule s = chain(layer, {multiply_ps(input_bits(layer), static_cast<int>(result_bits(layer)), t), t.delay.add_ps}, t);
  s.estimate.resources.lut = static_cast<long>(std::lround(static_cast<double>(in_size(layer) * 2 * result_bits(layer)) * kLutCalibration));
  return s;
}

// ReLU, Linear and the other comparisons with a multiplexer (ThresholdedReLU, Maximum, Minimum):
// model_1's ReLU is `icmp` + `select`, 0.96 ns, latency 0.
LayerSchedule rule_select(const emu::Layer& layer, const Timing& t) {
  LayerSchedule s = chain(layer, {t.delay.compare_select_ps}, t);
  s.estimate.resources.lut = elements(layer) * result_bits(layer) / 2;
  return s;
}

// A constant product per element with a comparison (LeakyReLU, PReLU, HardSigmoid/HardTanh's
// slope, SELU's positive side).
LayerSchedule rule_scale(const emu::Layer& layer, const Timing& t) {
  LayerSchedule s = chain(layer, {multiply_ps(input_bits(layer), static_cast<int>(result_bits(layer)), t), t.delay.compare_select_ps}, t);
  s.estimate.resources.lut = elements(layer) * result_bits(layer);
  return s;
}

LayerSchedule rule_kl_loss(const emu::Layer& layer, const Timing& t) {
  const auto& kl = dynamic_cast<const emu::KLLoss&>(layer);
  const long add = t.delay.add_ps;
  const long n = in_size(layer);
  // Square of the mean and the exp table's address, the table read, the exp - 1 - logvar + mean^2
  // terms, the sum over the latents (the -1/2 scale is a shift).
  StatePacker p(t.usable_ps);
  p.add(multiply_ps(input_bits(layer), input_bits(layer), t));
  p.add(add);
  rom_read(p, t);
  for (int i = 0; i < 2 + ceil_log2(static_cast<std::size_t>(n)); ++i) p.add(add);
  LayerEstimate e;
  e.resources.bram36 = rom_bram36(kl.config().table_size, kl.config().exp_table_t.width, n);
  e.resources.dsp = n;  // the squares: 16-bit x 16-bit
  e.resources.lut = n * 4 * kl.config().accum_t.width;
  LayerSchedule s = finish(std::move(e), p);
  s.estimate.resources.ff = n * kl.config().accum_t.width * std::max(1, s.estimate.latency_cycles);
  return s;
}

// Products of two data arrays then an adder tree (SumSquares, Dot).
LayerSchedule rule_products_tree(const emu::Layer& layer, const Timing& t) {
  const long n = in_size(layer);
  const int w = input_bits(layer);
  StatePacker p(t.usable_ps);
  p.add(multiply_ps(w, w, t));
  for (int i = 0; i < ceil_log2(static_cast<std::size_t>(n)); ++i) p.add(t.delay.add_ps);
  LayerEstimate e;
  if (w >= kDspMinOperandBits) {
    e.resources.dsp = n;
  } else {
    e.resources.lut = n * w * w / 2;
  }
  e.resources.lut += n * result_bits(layer);
  LayerSchedule s = finish(std::move(e), p);
  s.estimate.resources.ff = n * result_bits(layer) * std::max(1, s.estimate.latency_cycles);
  return s;
}

// An addition or subtraction and a constant shift per element (InputScale, Add, Subtract, Average,
// FixedPointQuantizer's rounding).
LayerSchedule rule_add(const emu::Layer& layer, const Timing& t) {
  LayerSchedule s = chain(layer, {t.delay.add_ps}, t);
  s.estimate.resources.lut = elements(layer) * layer.inputs()[0].type.width;
  return s;
}

// A FixedPointQuantizer whose element types and result type all truncate (AP_TRN, the floor) and wrap
// without saturation bits keeps a slice of each input's bits: wiring, no adder (the layer's own
// header says so). MinhNguy3n model_3.1's ReLU quantizers (AP_TRN, AP_WRAP, after each ReLU) have no
// operation in its Vitis HLS schedules: the relu call is `icmp` + `select` of the truncated input
// (`trunc_ln46`), 2.23-2.61 ns in one state; its input quantizer (AP_RND) has one `add` per element
// (state 1 of the top schedule, 1.54-1.91 ns).
bool quantizer_is_wiring(const emu::Layer& layer) {
  const auto* q = dynamic_cast<const emu::FixedPointQuantizer*>(&layer);
  if (q == nullptr) return false;
  const auto slices = [](const emu::FixedType& f) {
    return f.quantization == emu::Quantization::Trn && f.overflow == emu::Overflow::Wrap && f.saturation_bits == 0;
  };
  if (!slices(q->config().result_t)) return false;
  return std::all_of(q->config().element_t.begin(), q->config().element_t.end(),
                     [&](const std::optional<emu::FixedType>& f) { return !f || slices(*f); });
}

// A data-by-data product per element (Multiply).
LayerSchedule rule_multiply(const emu::Layer& layer, const Timing& t) {
  const int w = input_bits(layer);
  LayerSchedule s = chain(layer, {multiply_ps(w, w, t)}, t);
  if (w >= kDspMinOperandBits) {
    s.estimate.resources.dsp = elements(layer);
  } else {
    s.estimate.resources.lut = elements(layer) * w * w / 2;
  }
  return s;
}

// Wiring only: io_parallel Flatten/Reshape are references to the input array, padding, cropping,
// upsampling and concatenation copy codes (no state of their own; hls4ml inlines them).
LayerSchedule rule_wiring(const emu::Layer& /*layer*/, const Timing& /*t*/) { return {}; }

// Convolution, io_parallel Latency: every output pixel is a Dense over its window, all in
// parallel (conv_2d_latency_cl unrolls both loops): products, then an adder tree over the window's
// terms and the bias (every nonzero weight counted as a product, whatever its digits).
LayerSchedule rule_convolution(const emu::Layer& layer, const Timing& t) {
  const auto& conv = dynamic_cast<const emu::Convolution&>(layer);
  // The terms of each filter's sum are its window's nonzero weights (a product by the constant 0 is
  // no hardware, and a DepthwiseConv's filter reads one channel: its kernel is a diagonal); the
  // adder tree is as deep as the longest filter's sum.
  const auto& cfg = conv.config();
  long window = 1, nonzero = 0;
  for (std::size_t f = 0; f < cfg.n_filt; ++f) {
    long terms = 0;
    for (std::size_t k = 0; k < conv.window_size(); ++k) terms += cfg.weights[k * cfg.n_filt + f] != 0 ? 1 : 0;
    window = std::max(window, terms);
    nonzero += terms;
  }
  const long pixels = static_cast<long>(cfg.geometry.out_height * cfg.geometry.out_width);
  const long products = pixels * nonzero;
  const int w = input_bits(layer);
  StatePacker p(t.usable_ps);
  p.add(multiply_ps(w, conv.config().weight_t.width, t));
  for (int i = 0; i < ceil_log2(static_cast<std::size_t>(window + 1)); ++i) p.add(t.delay.add_ps);
  LayerEstimate e;
  e.ii_cycles = t.reuse;
  if (w >= kDspMinOperandBits) {
    e.resources.dsp = (products + t.reuse - 1) / t.reuse;
  } else {
    e.resources.lut = static_cast<long>(std::lround(static_cast<double>(products * w) * kLutCalibration / t.reuse));
  }
  LayerSchedule s = finish(std::move(e), p);
  s.estimate.resources.ff = elements(layer) * result_bits(layer) * std::max(1, s.estimate.latency_cycles);
  return s;
}

// Pooling: a compare-select tree (max) or an adder tree (average, then a constant product) over
// each window (global pooling: over all positions).
LayerSchedule rule_pooling(const emu::Layer& layer, const Timing& t) {
  const auto& pool = dynamic_cast<const emu::Pooling&>(layer).config();
  const long window = static_cast<long>(pool.geometry.window_height * pool.geometry.window_width);
  const bool average = pool.op == emu::PoolingOp::Average;
  StatePacker p(t.usable_ps);
  for (int i = 0; i < ceil_log2(static_cast<std::size_t>(window)); ++i) p.add(average ? t.delay.add_ps : t.delay.compare_select_ps);
  if (average) p.add(multiply_ps(input_bits(layer), static_cast<int>(result_bits(layer)), t));
  LayerEstimate e;
  e.resources.lut = elements(layer) * window * layer.inputs()[0].type.width;
  LayerSchedule s = finish(std::move(e), p);
  s.estimate.resources.ff = elements(layer) * result_bits(layer) * std::max(1, s.estimate.latency_cycles);
  return s;
}

// Entries of a table activation's ROM.
long table_size(const emu::Layer& layer) { return dynamic_cast<const emu::TableActivation&>(layer).config().table_size; }

// A table activation: the index (a scaling addition and the clamp to the table), the ROM read.
LayerSchedule rule_table(const emu::Layer& layer, const Timing& t) {
  StatePacker p(t.usable_ps);
  p.add(t.delay.add_ps);
  p.add(t.delay.compare_select_ps);
  rom_read(p, t);
  LayerEstimate e;
  e.resources.bram36 = rom_bram36(table_size(layer), 18, elements(layer));
  e.resources.lut = elements(layer) * layer.inputs()[0].type.width;
  LayerSchedule s = finish(std::move(e), p);
  s.estimate.resources.ff = elements(layer) * result_bits(layer) * std::max(1, s.estimate.latency_cycles);
  return s;
}

// Softmax (stable/latency/legacy; nnet::softmax_stable's stages, see the header comment);
// argmax: the compare-select tree.
LayerSchedule rule_softmax(const emu::Layer& layer, const Timing& t) {
  const long n = elements(layer);
  const auto& softmax = dynamic_cast<const emu::Softmax&>(layer).config();
  const int levels = ceil_log2(static_cast<std::size_t>(n));
  StatePacker p(t.usable_ps);
  for (int i = 0; i < levels; ++i) p.add(t.delay.compare_select_ps);
  LayerEstimate e;
  if (softmax.implementation != emu::SoftmaxImplementation::Argmax) {
    p.add(t.delay.add_ps);
    // hls4ml_prj_pynq's softmax (Vivado HLS 2019.2, xc7z020) reads four exp values from state 5 and the
    // fifth from state 6, but sums the first four while the fifth is read (state 7), so the sum ends
    // where one read of all five would put it: not modelled as a state of its own.
    rom_read(p, t);
    const bool saturating = softmax.accum_t.overflow != emu::Overflow::Wrap;
    for (int i = 0; i < levels; ++i) p.add(t.delay.add_ps + (saturating ? t.delay.compare_select_ps : 0));
    rom_read(p, t);
    if (t.seven_series) {
      // 7-series: the product of the inverse and each exp value is a DSP48E1 pipeline of three
      // stages ("root node of the DSP", [3/3] to [1/3] in states 11-13 of hls4ml_prj_pynq's softmax)
      // whose result is written in a state of its own (state 14, 0 ns): four states where model_1's
      // UltraScale+ product chains after the read.
      p.register_output();
      p.add(3 * t.usable_ps);
      p.register_output();
      p.add(0);
    } else {
      p.add(multiply_ps(softmax.inv_table_t.width, softmax.exp_table_t.width, t));
    }
    e.resources.bram36 = rom_bram36(softmax.exp_table_size, 18, n) + rom_bram36(softmax.inv_table_size, 18, 1);
    e.resources.dsp = n;
    e.resources.lut = n * 4 * result_bits(layer);
  }
  LayerSchedule s = finish(std::move(e), p);
  s.estimate.resources.ff = n * result_bits(layer) * std::max(1, s.estimate.latency_cycles);
  return s;
}

// The rule for each form of hardware. A switch over every OperationShape with no default: a new
// form without a rule does not compile (-Wswitch), and every layer class declares its form.
LayerSchedule schedule_layer(const emu::Layer& layer, const Timing& t) {
  LayerSchedule s;
  switch (layer.operation_shape()) {
    case emu::OperationShape::Wiring: s = rule_wiring(layer, t); break;
    case emu::OperationShape::Select: s = rule_select(layer, t); break;
    case emu::OperationShape::ConstantProduct: s = rule_scale(layer, t); break;
    case emu::OperationShape::AddShift: s = quantizer_is_wiring(layer) ? rule_wiring(layer, t) : rule_add(layer, t); break;
    case emu::OperationShape::DataProduct: s = rule_multiply(layer, t); break;
    case emu::OperationShape::ProductTree: s = rule_products_tree(layer, t); break;
    case emu::OperationShape::Normalize: s = rule_batch_norm(layer, t); break;
    case emu::OperationShape::Dense: s = rule_dense(layer, t); break;
    case emu::OperationShape::Convolution: s = rule_convolution(layer, t); break;
    case emu::OperationShape::Pooling: s = rule_pooling(layer, t); break;
    case emu::OperationShape::Table: s = rule_table(layer, t); break;
    case emu::OperationShape::Softmax: s = rule_softmax(layer, t); break;
    case emu::OperationShape::ExpTableScore: s = rule_kl_loss(layer, t); break;
  }
  s.estimate.name = layer.name();
  s.estimate.class_name = std::string(layer.class_name());
  return s;
}

// Where an array is ready in the top pipeline: in state `state` (from 0), `offset_ps` into it.
struct ReadyAt {
  int state = 0;
  long offset_ps = 0;
  auto operator<=>(const ReadyAt&) const = default;
};

// A layer's states placed after its inputs (StatePacker::add_block's rule, on a graph).
ReadyAt place(ReadyAt start, const std::vector<long>& states, long usable_ps) {
  if (states.empty()) return start;
  ReadyAt first = start;
  if (start.offset_ps + states.front() <= usable_ps) {
    first.offset_ps += states.front();
  } else {
    first = {start.state + 1, states.front()};
  }
  if (states.size() == 1) return first;
  return {first.state + static_cast<int>(states.size()) - 1, states.back()};
}

}  // namespace

std::string HlsTool::name() const {
  return fmt::format("{}-{}.{}", family == Family::VitisHls ? "vitis" : "vivado", year, release);
}

HlsTool parse_hls_tool(std::string_view text) {
  const auto fail = [&] {
    return ConfigError(fmt::format("HLS tool '{}' is not one of vivado[-YEAR[.N]] or vitis[-YEAR[.N]] (e.g. vivado-2019.2, vitis-2024.2)", text));
  };
  HlsTool tool;
  std::string_view rest;
  if (text.starts_with("vivado")) {
    tool = {HlsTool::Family::VivadoHls, 2019, 2};
    rest = text.substr(6);
  } else if (text.starts_with("vitis")) {
    tool = {HlsTool::Family::VitisHls, 2024, 1};
    rest = text.substr(5);
  } else {
    throw fail();
  }
  if (rest.empty()) return tool;
  if (rest.front() != '-' && rest.front() != '_') throw fail();
  rest.remove_prefix(1);
  const std::size_t dot = rest.find('.');
  const std::string year(rest.substr(0, dot));
  const std::string release = dot == std::string_view::npos ? "1" : std::string(rest.substr(dot + 1));
  const auto digits = [](const std::string& x) { return !x.empty() && x.size() <= 4 && std::all_of(x.begin(), x.end(), [](char ch) { return ch >= '0' && ch <= '9'; }); };
  if (year.size() != 4 || !digits(year) || !digits(release)) throw fail();
  tool.year = std::stoi(year);
  tool.release = std::stoi(release);
  return tool;
}

HlsTool hls_tool_of(const emu::HlsSynthesis& synthesis, std::string* note) {
  const std::string family = synthesis.tool == "vitis_hls" ? "vitis" : "vivado";
  if (synthesis.tool != "vitis_hls" && synthesis.tool != "vivado_hls") {
    throw ConfigError(fmt::format("model.json hls_synthesis tool '{}' is neither vivado_hls nor vitis_hls", synthesis.tool));
  }
  if (synthesis.version.empty()) {
    const HlsTool tool = parse_hls_tool(family);
    if (note != nullptr) {
      *note = fmt::format("the model names {} without a version (from {}): assumed {}; choose with --hls-tool", synthesis.tool,
                          synthesis.source.empty() ? "model.json" : synthesis.source, tool.name());
    }
    return tool;
  }
  return parse_hls_tool(family + "-" + synthesis.version);
}

double percent(long used, long available) {
  return available > 0 ? 100.0 * static_cast<double>(used) / static_cast<double>(available) : 0.0;
}

ModelEstimate estimate_model(const emu::Model& model, const Device& device, const EstimateOptions& options) {
  if (!(options.clock_mhz > 0.0) || options.clock_mhz > device.max_clock_mhz) {
    throw ConfigError(fmt::format("clock {} MHz is outside (0, {}] MHz for device {}", options.clock_mhz,
                                  device.max_clock_mhz, device.name));
  }
  if (options.reuse_factor < 1 || options.reuse_factor > kMaxReuseFactor) {
    throw ConfigError(fmt::format("reuse factor {} is outside [1, {}]", options.reuse_factor, kMaxReuseFactor));
  }
  if (!(options.clock_uncertainty >= 0.0) || !(options.clock_uncertainty < 1.0)) {
    throw ConfigError(fmt::format("clock uncertainty {} is outside [0, 1) of the period", options.clock_uncertainty));
  }
  // Integer picoseconds: the period and the uncertainty are exact enough at 1 ps for any clock here.
  const long period_ps = std::lround(1e6 / options.clock_mhz);
  ModelEstimate m;
  bool layers_carry_reuse = false;
  for (const auto& layer : model.layers()) {
    if (const auto* dense = dynamic_cast<const emu::Dense*>(layer.get()); dense != nullptr && dense->config().reuse_factor > 1) layers_carry_reuse = true;
  }
  // The HLS tool: the caller's (the command line's, else model.json's hls_synthesis), else Vivado HLS
  // 2019.2, the calibration of most rules, said in a note.
  HlsTool tool;
  if (options.hls_tool) {
    tool = *options.hls_tool;
    m.hls_tool_source = options.hls_tool_source;
  } else {
    m.hls_tool_source = "assumed";
    m.notes.push_back("the model states no HLS tool (model.json \"hls_synthesis\", written by `l1emu import` from the project's csynth.xml, "
                      "hls.app/vivado_hls.app or hls4ml_config.yml Backend): assumed " + tool.name() +
                      "; choose with --hls-tool vivado-2019.2|vitis-2024.1|vitis-2024.2|...");
  }
  m.hls_tool = tool.name();
  const bool seven_series = device.family == "virtex7" || device.family == "zynq7";
  OperationDelays delays = device.delays;
  // Vitis HLS on 7-series: the adders of a Dense sum take 1.94-2.19 ns at their 16-19 bits (MinhNguy3n
  // model_3.1's schedules, Vitis HLS 2024.2, xc7z020 -1), so one per state of 3.65 ns; Vivado HLS
  // 2019.2's 1.82 ns on the same part (hls4ml_prj_pynq) would chain two.
  if (tool.vitis() && seven_series) delays.add_ps = 2130;
  // Vitis HLS on 7-series: a ReLU's compare and select take 2.23-2.61 ns (MinhNguy3n model_3.1's relu
  // schedules, `icmp` 1.54 + `select` 0.68 ns at 12 bits; its three relu calls 2.234, 2.514, 2.607 ns),
  // not Vivado HLS 2019.2's 3.22 (hls4ml_prj_pynq): the widest seen is taken.
  if (tool.vitis() && seven_series) delays.compare_select_ps = 2610;
  const Timing t{std::max(1L, std::lround(static_cast<double>(period_ps) * (1.0 - options.clock_uncertainty))), delays, tool, seven_series,
                 options.reuse_factor, options.reuse_factor_overrides_layers, layers_carry_reuse, &m.notes};

  m.model = model.project();
  m.device = device.name;
  m.clock_mhz = options.clock_mhz;
  // The top pipeline: a layer starts when all of its inputs are ready, so parallel branches
  // (z_mean, z_log_var) overlap; its states are placed as the top-level schedule chains calls.
  std::vector<ReadyAt> ready(model.array_count());
  const auto& inputs_of = model.layer_input_indices();
  for (std::size_t l = 0; l < model.layers().size(); ++l) {
    LayerSchedule s = schedule_layer(*model.layers()[l], t);
    // Vitis HLS 2024.2 spends one state more on each call of a pipelined sub-function than its
    // latency + 1 (MinhNguy3n model_3.1's top schedule: Dense instances of latency 11, 9, 4, 6 occupy
    // 13, 11, 6 and 8 states; its ReLUs of latency 0 one). Vitis HLS 2024.1 does not (Lrozzy
    // model_3.1: latency 1, two states), nor Vivado HLS 2019.2. The extra state is inside the call: its
    // first and last states still chain with the neighbours' when the delays fit.
    if (tool.vitis() && tool.at_least(2024, 2) && s.states.size() >= 2) s.states.insert(s.states.end() - 1, t.usable_ps);
    ReadyAt start;
    for (std::size_t a : inputs_of[l]) start = std::max(start, ready[a]);
    ready[model.inputs().size() + l] = place(start, s.states, t.usable_ps);
    m.ii_cycles = std::max(m.ii_cycles, s.estimate.ii_cycles);
    m.resources += s.estimate.resources;
    m.layers.push_back(std::move(s.estimate));
  }
  // The outputs are written in the last state: latency = states - 1 = the last state's index.
  ReadyAt end;
  for (std::size_t a : model.output_indices()) end = std::max(end, ready[a]);
  m.latency_cycles = end.state;
  return m;
}

}  // namespace l1emu::board
