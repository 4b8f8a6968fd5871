#include "l1emu/board/timing_estimate.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include <fmt/format.h>

#include "l1emu/board/error.h"
#include "l1emu/emu/nn/layers/convolution.h"
#include "l1emu/emu/nn/layers/dense.h"
#include "l1emu/emu/nn/layers/kl_loss.h"
#include "l1emu/emu/nn/layers/pooling.h"
#include "l1emu/emu/nn/layers/softmax.h"
#include "l1emu/emu/nn/layers/table_activations.h"

namespace l1emu::board {
namespace {

// How the estimate is built (the "why" of every constant):
//
// - Vivado HLS schedules operations into clock periods minus the clock uncertainty, 12.5 % of the
//   period by default (Vivado HLS user guide UG902, "clock uncertainty"). Operations chain inside a
//   period while their delays fit; a layer of hls4ml io_parallel is a separate pipelined function
//   whose outputs are registered, so each layer costs at least one cycle.
// - Dense, latency strategy (nnet::dense_latency): all products in parallel, then a balanced adder
//   tree per output over the nonzero terms plus the bias (HLS rebalances the unrolled sum). Products
//   by constant 8-bit-class weights become LUT shift-and-add networks; a product costs one LUT
//   multiplier delay; a zero weight costs nothing. With ReuseFactor R each multiplier is time-shared
//   R times: II = R cycles and the latency grows by R - 1.
// - BatchNormalization: one constant product and one addition, chained in one period when they fit.
// - ReLU, Linear, LeakyReLU: a comparison and a multiplexer (LeakyReLU adds a constant product);
//   one registered cycle.
// - KLLoss (paper branch): square of the mean and exp-table address in one stage, one cycle for the
//   ROM read (registered LUTROM or BRAM output), then the sum over latents and the -1/2 scale.
// - InputScale/Subtract: one subtraction and a constant shift; SumSquares and Dot: products then an
//   adder tree.
// - The top function registers its inputs (ap_none ports into the first pipeline stage): one cycle.
// Calibration: with the device delays of device.cpp, the seed paper's DNN VAE (BN, Dense 57->32,
// LeakyReLU, Dense 32->16, LeakyReLU, Dense 16->3 twice, KL) gives 16 cycles = 80 ns at 200 MHz on
// the VU9P and II 1 cycle = 5 ns, as Table 3 reports. Other models and devices are extrapolations
// of the same delays; a csynth.xml report replaces them.
constexpr double kClockUncertainty = 0.125;
constexpr int kIoRegisterCycles = 1;

// Resource rules (rough; Table 3 gives only percentages):
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

int cycles_for(long delay_ps, long usable_ps) {
  if (delay_ps <= 0) return 0;
  return static_cast<int>((delay_ps + usable_ps - 1) / usable_ps);
}

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

struct Timing {
  long usable_ps;
  const Device& device;
  int reuse;
};

LayerEstimate estimate_dense(const emu::Dense& d, const Timing& t) {
  const auto& c = d.config();
  const std::size_t n_in = d.inputs()[0].size;
  const int data_bits = d.inputs()[0].type.width;
  LayerEstimate e;
  long max_terms = 0;
  bool any_product = false;
  long luts = 0;
  long dsps = 0;
  for (std::size_t j = 0; j < c.n_out; ++j) {
    long terms = 1;  // the bias
    for (std::size_t i = 0; i < n_in; ++i) {
      const auto& w = c.weights[i * c.n_out + j];
      if (w == 0) continue;
      ++terms;
      const int digits = csd_digits(w);
      if (data_bits >= kDspMinOperandBits && c.weight_t.width >= kDspMinOperandBits) {
        ++dsps;
        any_product = true;
      } else if (digits > 1) {
        luts += static_cast<long>(digits - 1) * data_bits;
        any_product = true;
      }
      luts += c.accum_t.width;  // its adder in the tree
    }
    max_terms = std::max(max_terms, terms);
  }
  const int mult_cycles = any_product ? std::max(1, cycles_for(t.device.lut_multiplier_ps, t.usable_ps)) : 0;
  const int tree_cycles = std::max(1, cycles_for(static_cast<long>(ceil_log2(static_cast<std::size_t>(max_terms))) * t.device.adder_level_ps, t.usable_ps));
  e.latency_cycles = mult_cycles + tree_cycles + (t.reuse - 1);
  e.ii_cycles = t.reuse;
  e.resources.dsp = (dsps + t.reuse - 1) / t.reuse;
  e.resources.lut = static_cast<long>(std::lround(static_cast<double>(luts) * kLutCalibration / t.reuse));
  e.resources.ff = static_cast<long>(c.n_out) * c.result_t.width * e.latency_cycles;
  return e;
}

LayerEstimate estimate_simple(const emu::Layer& layer, long delay_ps, int extra_cycles, const Timing& t) {
  LayerEstimate e;
  e.latency_cycles = std::max(1, cycles_for(delay_ps, t.usable_ps)) + extra_cycles;
  e.resources.ff = static_cast<long>(layer.output_size()) * layer.result_type().width * e.latency_cycles;
  return e;
}

long elements(const emu::Layer& layer) { return static_cast<long>(layer.output_size()); }
long in_size(const emu::Layer& layer) { return static_cast<long>(layer.inputs()[0].size); }
long result_bits(const emu::Layer& layer) { return layer.result_type().width; }
// A ROM of `entries` words of `bits`, one copy per `reads` parallel reads (two ports per BRAM18).
double rom_bram36(long entries, long bits, long reads) {
  const long bram18_per_copy = std::max<long>(1, (entries * bits + 18431) / 18432);
  return 0.5 * static_cast<double>(bram18_per_copy * ((reads + 1) / 2));
}

LayerEstimate rule_dense(const emu::Layer& layer, const Timing& t) { return estimate_dense(dynamic_cast<const emu::Dense&>(layer), t); }

LayerEstimate rule_batch_norm(const emu::Layer& layer, const Timing& t) {
  LayerEstimate e = estimate_simple(layer, t.device.lut_multiplier_ps + t.device.adder_level_ps, 0, t);
  e.resources.lut = static_cast<long>(std::lround(static_cast<double>(in_size(layer) * 2 * result_bits(layer)) * kLutCalibration));
  return e;
}

// ReLU, Linear and the other comparisons with a multiplexer (ThresholdedReLU, Maximum, Minimum).
LayerEstimate rule_select(const emu::Layer& layer, const Timing& t) {
  LayerEstimate e = estimate_simple(layer, t.device.adder_level_ps, 0, t);
  e.resources.lut = elements(layer) * result_bits(layer) / 2;
  return e;
}

// A constant product per element (LeakyReLU, PReLU, HardSigmoid/HardTanh's slope, SELU's positive side).
LayerEstimate rule_scale(const emu::Layer& layer, const Timing& t) {
  LayerEstimate e = estimate_simple(layer, t.device.lut_multiplier_ps, 0, t);
  e.resources.lut = elements(layer) * result_bits(layer);
  return e;
}

LayerEstimate rule_kl_loss(const emu::Layer& layer, const Timing& t) {
  const auto& kl = dynamic_cast<const emu::KLLoss&>(layer);
  const long add = t.device.adder_level_ps;
  const long n = in_size(layer);
  // square + address | ROM read | sum over n latents, exp - 1 - logvar terms and the 1/2 scale.
  const long stage1 = t.device.lut_multiplier_ps + add;
  const long stage3 = static_cast<long>(ceil_log2(static_cast<std::size_t>(n)) + 2) * add;
  LayerEstimate e;
  e.latency_cycles = std::max(1, cycles_for(stage1, t.usable_ps)) + 1 + std::max(1, cycles_for(stage3, t.usable_ps));
  e.resources.bram36 = rom_bram36(kl.config().table_size, kl.config().exp_table_t.width, n);
  e.resources.dsp = n;  // the squares: 16-bit x 16-bit
  e.resources.lut = n * 4 * kl.config().accum_t.width;
  e.resources.ff = n * kl.config().accum_t.width * e.latency_cycles;
  return e;
}

// Products of two data arrays then an adder tree (SumSquares, Dot).
LayerEstimate rule_products_tree(const emu::Layer& layer, const Timing& t) {
  const long n = in_size(layer);
  LayerEstimate e;
  const long tree = static_cast<long>(ceil_log2(static_cast<std::size_t>(n))) * t.device.adder_level_ps;
  e.latency_cycles = std::max(1, cycles_for(t.device.lut_multiplier_ps, t.usable_ps)) + std::max(1, cycles_for(tree, t.usable_ps));
  const int w = layer.inputs()[0].type.width;
  if (w >= kDspMinOperandBits) {
    e.resources.dsp = n;
  } else {
    e.resources.lut = n * w * w / 2;
  }
  e.resources.lut += n * result_bits(layer);
  e.resources.ff = n * result_bits(layer) * e.latency_cycles;
  return e;
}

// An addition or subtraction and a constant shift per element (InputScale, Add, Subtract, Average).
LayerEstimate rule_add(const emu::Layer& layer, const Timing& t) {
  LayerEstimate e = estimate_simple(layer, 2 * t.device.adder_level_ps, 0, t);
  e.resources.lut = elements(layer) * layer.inputs()[0].type.width;
  return e;
}

// A data-by-data product per element (Multiply).
LayerEstimate rule_multiply(const emu::Layer& layer, const Timing& t) {
  LayerEstimate e = estimate_simple(layer, t.device.lut_multiplier_ps, 0, t);
  const int w = layer.inputs()[0].type.width;
  if (w >= kDspMinOperandBits) {
    e.resources.dsp = elements(layer);
  } else {
    e.resources.lut = elements(layer) * w * w / 2;
  }
  return e;
}

// Wiring only: io_parallel Flatten/Reshape are references to the input array, padding, cropping,
// upsampling and concatenation copy codes (no cycle of their own; hls4ml inlines them).
LayerEstimate rule_wiring(const emu::Layer& /*layer*/, const Timing& /*t*/) { return {}; }

// Convolution, io_parallel Latency: every output pixel is a Dense over its window, all in
// parallel (conv_2d_latency_cl unrolls both loops): products, then an adder tree over the window.
LayerEstimate rule_convolution(const emu::Layer& layer, const Timing& t) {
  const long window = static_cast<long>(dynamic_cast<const emu::Convolution&>(layer).window_size());
  const long products = elements(layer) * window;
  LayerEstimate e;
  const long tree = static_cast<long>(ceil_log2(static_cast<std::size_t>(window + 1))) * t.device.adder_level_ps;
  e.latency_cycles = std::max(1, cycles_for(t.device.lut_multiplier_ps, t.usable_ps)) + std::max(1, cycles_for(tree, t.usable_ps)) + (t.reuse - 1);
  e.ii_cycles = t.reuse;
  const int w = layer.inputs()[0].type.width;
  if (w >= kDspMinOperandBits) {
    e.resources.dsp = (products + t.reuse - 1) / t.reuse;
  } else {
    e.resources.lut = static_cast<long>(std::lround(static_cast<double>(products * w) * kLutCalibration / t.reuse));
  }
  e.resources.ff = elements(layer) * result_bits(layer) * e.latency_cycles;
  return e;
}

// Pooling: a comparison or addition tree over each window (global pooling: over all positions),
// then for averages a constant division.
LayerEstimate rule_pooling(const emu::Layer& layer, const Timing& t) {
  const auto& pool = dynamic_cast<const emu::Pooling&>(layer).config();
  // Global pooling's window is every position of a channel.
  const long window = static_cast<long>(pool.geometry.window_height * pool.geometry.window_width);
  const bool average = pool.op == emu::PoolingOp::Average;
  const long tree = static_cast<long>(ceil_log2(static_cast<std::size_t>(window))) * t.device.adder_level_ps;
  LayerEstimate e = estimate_simple(layer, tree + (average ? t.device.lut_multiplier_ps : 0), 0, t);
  e.resources.lut = elements(layer) * window * layer.inputs()[0].type.width;
  return e;
}

// Entries of a table activation's ROM.
long table_size(const emu::Layer& layer) { return dynamic_cast<const emu::TableActivation&>(layer).config().table_size; }

// A table activation: index arithmetic, one registered ROM read, the result conversion.
LayerEstimate rule_table(const emu::Layer& layer, const Timing& t) {
  LayerEstimate e = estimate_simple(layer, t.device.lut_multiplier_ps, 1, t);
  const long entries = table_size(layer);
  e.resources.bram36 = rom_bram36(entries, 18, elements(layer));
  e.resources.lut = elements(layer) * layer.inputs()[0].type.width;
  return e;
}

// Softmax (stable/latency/legacy): exp table reads, the sum tree, the inverse table read and the
// products (nnet::softmax_stable's stages); argmax: a comparison tree.
LayerEstimate rule_softmax(const emu::Layer& layer, const Timing& t) {
  const long n = elements(layer);
  const long add = t.device.adder_level_ps;
  LayerEstimate e;
  const long tree = static_cast<long>(ceil_log2(static_cast<std::size_t>(n))) * add;
  e.latency_cycles = std::max(1, cycles_for(tree + add, t.usable_ps)) + 1 + std::max(1, cycles_for(tree, t.usable_ps)) + 1 +
                     std::max(1, cycles_for(t.device.lut_multiplier_ps, t.usable_ps));
  const auto& softmax = dynamic_cast<const emu::Softmax&>(layer).config();
  e.resources.bram36 = rom_bram36(softmax.exp_table_size, 18, n) + rom_bram36(softmax.inv_table_size, 18, 1);
  e.resources.dsp = n;
  e.resources.lut = n * 4 * result_bits(layer);
  e.resources.ff = n * result_bits(layer) * e.latency_cycles;
  return e;
}

// The rule for each form of hardware. A switch over every OperationShape with no default: a new
// form without a rule does not compile (-Wswitch), and every layer class declares its form.
LayerEstimate estimate_layer(const emu::Layer& layer, const Timing& t) {
  LayerEstimate e;
  switch (layer.operation_shape()) {
    case emu::OperationShape::Wiring: e = rule_wiring(layer, t); break;
    case emu::OperationShape::Select: e = rule_select(layer, t); break;
    case emu::OperationShape::ConstantProduct: e = rule_scale(layer, t); break;
    case emu::OperationShape::AddShift: e = rule_add(layer, t); break;
    case emu::OperationShape::DataProduct: e = rule_multiply(layer, t); break;
    case emu::OperationShape::ProductTree: e = rule_products_tree(layer, t); break;
    case emu::OperationShape::Normalize: e = rule_batch_norm(layer, t); break;
    case emu::OperationShape::Dense: e = rule_dense(layer, t); break;
    case emu::OperationShape::Convolution: e = rule_convolution(layer, t); break;
    case emu::OperationShape::Pooling: e = rule_pooling(layer, t); break;
    case emu::OperationShape::Table: e = rule_table(layer, t); break;
    case emu::OperationShape::Softmax: e = rule_softmax(layer, t); break;
    case emu::OperationShape::ExpTableScore: e = rule_kl_loss(layer, t); break;
  }
  e.name = layer.name();
  e.class_name = std::string(layer.class_name());
  return e;
}

}  // namespace

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
  // Integer picoseconds: the period and the uncertainty are exact enough at 1 ps for any clock here.
  const long period_ps = std::lround(1e6 / options.clock_mhz);
  const Timing t{std::lround(static_cast<double>(period_ps) * (1.0 - kClockUncertainty)), device, options.reuse_factor};

  ModelEstimate m;
  m.model = model.project();
  m.device = device.name;
  m.clock_mhz = options.clock_mhz;
  // Critical path through the layer graph: a layer starts when all of its inputs are ready, so
  // parallel branches (z_mean, z_log_var) overlap.
  std::vector<int> ready(model.array_count(), 0);
  const auto& inputs_of = model.layer_input_indices();
  for (std::size_t l = 0; l < model.layers().size(); ++l) {
    LayerEstimate e = estimate_layer(*model.layers()[l], t);
    int start = 0;
    for (std::size_t a : inputs_of[l]) start = std::max(start, ready[a]);
    ready[model.inputs().size() + l] = start + e.latency_cycles;
    m.ii_cycles = std::max(m.ii_cycles, e.ii_cycles);
    m.resources += e.resources;
    m.layers.push_back(std::move(e));
  }
  int end = 0;
  for (std::size_t a : model.output_indices()) end = std::max(end, ready[a]);
  m.latency_cycles = end + kIoRegisterCycles;
  return m;
}

}  // namespace l1emu::board
