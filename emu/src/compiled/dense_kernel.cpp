// Dense (nnet::dense_latency) compiled: acc = (accum_t)bias; acc = (accum_t)(acc + (accum_t)(x*w))
// for i in order; y = (result_t)acc. See emu/src/nn/layers/dense.cpp for the reference.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "dense_blocked.h"
#include "dense_pairs.h"
#include "dense_split16.h"
#include "kernel.h"
#include "l1emu/emu/compiled/compiled_model.h"
#include "l1emu/emu/nn/layers/dense.h"

namespace l1emu::emu::compiled {
namespace {

// 64-byte vectors of lane codes (GCC vector extension), for the register sums below; declared on
// concrete types, since GCC ignores vector_size on a template parameter.
template <class T>
struct Vector64;
template <>
struct Vector64<std::int32_t> {
  typedef std::uint32_t Unsigned __attribute__((vector_size(64)));
  typedef std::int32_t Signed __attribute__((vector_size(64)));
};
template <>
struct Vector64<std::int64_t> {
  typedef std::uint64_t Unsigned __attribute__((vector_size(64)));
  typedef std::int64_t Signed __attribute__((vector_size(64)));
};

template <class T>
class DenseKernel final : public Kernel<T>, public DenseArithmetic<T> {
 public:
  using DenseArithmetic<T>::product;
  using DenseArithmetic<T>::product_rounding;
  using DenseArithmetic<T>::accumulate;
  using DenseArithmetic<T>::result;
  using DenseArithmetic<T>::wrap_sum;
  using DenseArithmetic<T>::bias;
  struct Term {
    std::size_t input;
    T weight;
  };
  std::size_t n_out = 0, n_in = 0;
  std::vector<std::vector<Term>> columns;  // nonzero weights of output j, in input order
  std::size_t nonzero = 0, total = 0;
  // int32 wrap-sum: the product rounding, and for the blocked loop (products of any rounding that
  // the 16-bit kernels cannot take) the weights in blocks of 8 outputs ([block][i][8]).
  bool blocked = false;
  bool pairs = false;  // exact 16-bit products: dense_pairs (pmaddwd), then << -shift once
  PairsDense pair_dense;
  // pairs with sums as fine as accum_t (no shift before the bias add, AXOL1TL's layers): the bias is
  // each sum's start value in the kernel (PairsDense::start), so the epilogue neither adds it nor,
  // with sums_fit_accum, rewrites the rows it reads.
  bool bias_in_sums = false;
  // pairs whose input codes fit a byte (signed, or unsigned) and weights a signed byte: the same
  // sums as byte quads where the CPU has VNNI (dense_quads.h).
  bool quads = false;
  QuadsDense quad_dense;
  // pairs: every output's sum lies in accum_t for every input of its type (make_dense_kernel's
  // proof), so the wrap into accum_t is the identity and the epilogue skips it.
  bool sums_fit_accum = false;
  bool split16 = false;  // truncated products into a <= 16-bit accumulator: dense_split16
  Split16Dense split;
  std::string name;                   // the layer's, for describe()
  std::string absorbed_next;          // the sibling layer this one computes too (absorb)
  bool absorbed_by_previous = false;  // computed by the previous layer's kernel
  std::vector<std::vector<T, AlignedAllocator<T>>> block_weights;
  ProductRounding rounding;
  // The next layer's activation, applied in the pairs epilogue or, a LeakyReLU, in split16's
  // (absorb_activation).
  bool activation_fused = false;
  Split16Leaky split_leaky;
  EpilogueActivation activation;
  std::size_t activation_output = 0;
  std::string activation_name;

  void run_split16(LaneArrays<T>& arrays) const {
    const std::size_t batch = arrays.batch;
    T* y = arrays.row(this->output, 0);
    // Every lane of the batch is computed (lanes past n hold earlier valid codes).
    if (activation_fused) {
      // absorb_activation admitted it only where the conversions below change nothing.
      dense_split16(split, arrays.row(this->inputs[0], 0), batch, y, &split_leaky, arrays.row(activation_output, 0));
      return;
    }
    dense_split16(split, arrays.row(this->inputs[0], 0), batch, y);
    const std::size_t lanes_out = n_out * batch;
    // The kernel's sums are the accumulator codes modulo 2^16, sign-extended: right as they are
    // for a signed 16-bit accumulator; a narrower or unsigned one wraps from there.
    if (accumulate.width < 16 || !accumulate.is_signed) lanes::convert<T>(y, y, lanes_out, accumulate);
    if (result.shift != 0 || result.check_overflow) lanes::convert<T>(y, y, lanes_out, result);
  }

  void run_pairs(LaneArrays<T>& arrays) const {
    const std::size_t batch = arrays.batch;
    T* y = arrays.row(this->output, 0);
    // Every lane of the batch is computed (lanes past n hold earlier valid codes).
    dense_pairs(pair_dense, arrays.row(this->inputs[0], 0), batch, y, quads ? &quad_dense : nullptr);
    if (bias_in_sums) {
      // The kernel's rows are sum + bias already; into accum_t only where that wrap can change them.
      if (!sums_fit_accum) lanes::convert<T>(y, y, n_out * batch, accumulate);
      if (result.shift != 0 || result.check_overflow) lanes::convert<T>(y, y, n_out * batch, result);
      return;
    }
    // The sum of exact products times 2^-shift (modulo 2^32, like the per-term shifts), plus bias,
    // then into accum_t, in one pass over the rows (the converter's shape picked once).
    const int up = -rounding.shift;
    // Rows of a constant kBatch lanes (with_batch): whole vectors, no remainder code per row.
    with_batch(batch, [&](auto lanes_per_row) {
      const auto rows = [&](auto into_accum) {
        for (std::size_t j = 0; j < n_out; ++j) {
          add_bias_row(y + j * lanes_per_row, lanes_per_row, up, static_cast<std::uint32_t>(bias[j]), into_accum);
        }
      };
      if (sums_fit_accum) {
        rows(lanes::make_fused<T, 0, 0>(accumulate));  // the wrap provably changes nothing
      } else {
        lanes::with_converter<T>(accumulate, rows);
      }
    });
    // accum_t -> result_t; nothing to do when they are the same type (AXOL1TL's Dense layers).
    if (result.shift != 0 || result.check_overflow) lanes::convert<T>(y, y, n_out * batch, result);
  }

  // run_pairs with the next layer's activation (absorb) in the same pass: each row's sums become
  // accum_t codes (written: traces and Workspace::code read this layer's array) and, from the same
  // registers, the activation's codes in its own array. One pass over the rows instead of two, and
  // the activation's reads come from registers, not from the cache. With the bias in the kernel's
  // sums and a wrap that changes nothing, the rows are accum_t codes already: read, not rewritten.
  void run_pairs_with_activation(LaneArrays<T>& arrays) const {
    const std::size_t batch = arrays.batch;
    T* y = arrays.row(this->output, 0);
    T* z = arrays.row(activation_output, 0);
    dense_pairs(pair_dense, arrays.row(this->inputs[0], 0), batch, y, quads ? &quad_dense : nullptr);
    const int up = -rounding.shift;
    // absorb() admitted only a plain wrap into accum_t (the wrap-sum's single wrap).
    const auto rows_of = [&](auto mode, auto into_accum, auto n) {
      lanes::with_converter<T>(activation.positive, [&](auto act) {
        for (std::size_t j = 0; j < n_out; ++j) {
          if (activation.relu) {
            epilogue_row<true, decltype(mode)::value>(y + j * n, z + j * n, n, up, static_cast<std::uint32_t>(bias[j]), into_accum, act);
          } else {
            epilogue_row<false, decltype(mode)::value>(y + j * n, z + j * n, n, up, static_cast<std::uint32_t>(bias[j]), into_accum, act);
          }
        }
      });
    };
    const auto rows = [&](auto into_accum, auto n) {
      if (bias_in_sums) {
        rows_of(std::integral_constant<int, kBiasDone>{}, into_accum, n);
      } else {
        rows_of(std::integral_constant<int, kAddBias>{}, into_accum, n);
      }
    };
    with_batch(batch, [&](auto lanes_per_row) {
      if (bias_in_sums && sums_fit_accum) {
        rows_of(std::integral_constant<int, kRowsAreCodes>{}, lanes::make_fused<T, 0, 0>(accumulate), lanes_per_row);
      } else if (sums_fit_accum) {
        rows(lanes::make_fused<T, 0, 0>(accumulate), lanes_per_row);  // the wrap provably changes nothing
      } else if (accumulate.is_signed) {
        rows(lanes::make_fused<T, 0, 1>(accumulate), lanes_per_row);
      } else {
        rows(lanes::make_fused<T, 0, 2>(accumulate), lanes_per_row);
      }
    });
  }

  // What epilogue_row does with the kernel's row: shift and add the bias, wrap, write back
  // (kAddBias); wrap and write back (kBiasDone, bias_in_sums); or read it as it is (kRowsAreCodes,
  // bias_in_sums with sums_fit_accum).
  static constexpr int kAddBias = 0, kBiasDone = 1, kRowsAreCodes = 2;

  template <bool kRelu, int kMode, class C, class A, class N>
  static void epilogue_row(T* __restrict row, T* __restrict out, N batch, int up, std::uint32_t b, C into_accum, A act) {
    for (std::size_t e = 0; e < batch; ++e) {
      T a;
      if constexpr (kMode == kAddBias) {
        a = into_accum(static_cast<T>((static_cast<std::uint32_t>(row[e]) << up) + b));
      } else if constexpr (kMode == kBiasDone) {
        a = into_accum(row[e]);
      } else {
        a = row[e];
      }
      if constexpr (kMode != kRowsAreCodes) row[e] = a;
      if constexpr (kRelu) {
        out[e] = a > 0 ? act(a) : T{0};
      } else {
        out[e] = act(a);
      }
    }
  }

  template <class C, class N>
  static void add_bias_row(T* __restrict row, N batch, int up, std::uint32_t b, C into_accum) {
    for (std::size_t e = 0; e < batch; ++e) row[e] = into_accum(static_cast<T>((static_cast<std::uint32_t>(row[e]) << up) + b));
  }

  void run_blocked(LaneArrays<T>& arrays) const {
    // All `batch` lanes are computed (lanes past n hold stale values of earlier batches; their
    // results are never read), so the input rows are used in place.
    const std::size_t batch = arrays.batch;
    alignas(64) T acc[8 * 256];
    const T* x = arrays.row(this->inputs[0], 0);
    for (std::size_t blk = 0; blk < block_weights.size(); ++blk) {
      for (std::size_t j = 0; j < 8; ++j) {
        const T b = blk * 8 + j < n_out ? bias[blk * 8 + j] : T{0};
        for (std::size_t e = 0; e < batch; ++e) acc[j * batch + e] = b;
      }
      dense_block_int32(x, block_weights[blk].data(), n_in, batch, rounding, acc);
      // The block's outputs are contiguous rows of the output array: wrap and convert them at once.
      const std::size_t rows = std::min<std::size_t>(8, n_out - blk * 8);
      lanes::convert<T>(acc, acc, rows * batch, accumulate);
      lanes::convert<T>(acc, arrays.row(this->output, blk * 8), rows * batch, result);
    }
  }

  // A ReLU or Linear layer reading this pmaddwd-pairs layer's output, applied in its epilogue
  // (run_pairs_with_activation): where accum_t is result_t (no third conversion) and the wrap
  // into accum_t is a plain one (always, for the wrap-sum the pairs need). A LeakyReLU reading a
  // split16 layer's output, applied as the sums are sign-extended (split16_takes).
  bool absorb_activation(Kernel<T>& next) {
    if constexpr (sizeof(T) != 4) {
      return false;
    } else {
      EpilogueActivation a;
      if (activation_fused || absorbed_by_previous || !absorbed_next.empty() || next.inputs.size() != 1 || next.inputs[0] != this->output ||
          !next.epilogue_activation(a)) {
        return false;
      }
      const lanes::ConverterShape into = lanes::converter_shape(accumulate);
      if (a.leaky) {
        if (!split16_takes(a)) return false;
      } else if (!pairs || result.shift != 0 || result.check_overflow || into.rounding != 0 || (into.overflow != 1 && into.overflow != 2)) {
        return false;
      }
      activation = a;
      activation_output = next.output;
      activation_name = next.describe();
      activation_fused = true;
      next.computed_by_previous();
      return true;
    }
  }

  // A LeakyReLU in dense_split16's epilogue (Split16Leaky): where run_split16's sums are the
  // layer's codes as they are (a signed 16-bit accum_t that is result_t), x -> result_t changes
  // nothing (the activation's own one-pass condition), alpha*x -> result_t is a TRN-like shift
  // (no rounding, or floor((p + bias) / 2^s)) and a signed WRAP or nothing, and alpha fits 16 bits
  // (hls4ml's ap_fixed<16,6> LeakyReLU of vae_paper).
  bool split16_takes(const EpilogueActivation& a) {
    const LaneConverter& neg = a.negative;
    const lanes::ConverterShape shape = lanes::converter_shape(neg);
    if (!split16 || accumulate.width != 16 || !accumulate.is_signed || result.shift != 0 || result.check_overflow ||
        a.positive.shift != 0 || a.positive.check_overflow || shape.rounding > 1 || shape.overflow > 1 || neg.shift < 0 || neg.shift > 31 ||
        (shape.overflow == 1 && (neg.width < 1 || neg.width > 32)) || a.alpha < -32768 || a.alpha > 32767) {
      return false;
    }
    split_leaky.alpha = static_cast<std::int32_t>(static_cast<std::uint16_t>(a.alpha));
    split_leaky.bias = shape.rounding == 1 ? static_cast<std::int32_t>(neg.bias) : 0;
    split_leaky.shift = shape.rounding == 1 ? neg.shift : 0;
    split_leaky.drop = shape.overflow == 1 ? 32 - neg.width : 0;
    return true;
  }

  // Sibling layers (hls4ml's z_mean and z_log_var): two split16 Dense layers reading the same
  // array, with the same types, whose outputs are adjacent arrays (so adjacent rows of the lanes),
  // run as one layer of n1 + n2 outputs: one preparation of the inputs and fuller register blocks.
  bool absorb(Kernel<T>& next_kernel) override {
    if (absorb_activation(next_kernel)) return true;
    auto* next = dynamic_cast<DenseKernel*>(&next_kernel);
    if (next == nullptr || !split16 || !next->split16 || absorbed_by_previous || next->inputs != this->inputs ||
        next->output != this->output + 1 || next->split.shift != split.shift || next->n_in != n_in ||
        (n_out + next->n_out) * CompiledModel::kBatch > kSplit16MaxLanes ||
        !(next->accumulate == accumulate) || !(next->result == result)) {
      return false;
    }
    const std::size_t n1 = n_out, n2 = next->n_out, both = n1 + n2;
    Split16Dense merged;
    merged.n_in = n_in;
    merged.n_out = both;
    merged.shift = split.shift;
    for (std::size_t i = 0; i < n_in; ++i) {
      for (std::size_t j = 0; j < both; ++j) {
        const Split16Dense& from = j < n1 ? split : next->split;
        const std::size_t jj = j < n1 ? j : j - n1, width = j < n1 ? n1 : n2;
        merged.w.push_back(from.w[i * width + jj]);
        merged.w2.push_back(from.w2[i * width + jj]);
      }
    }
    merged.bias = split.bias;
    merged.bias.insert(merged.bias.end(), next->split.bias.begin(), next->split.bias.end());
    merged.prepare();
    split = std::move(merged);
    n_out = both;
    absorbed_next = next->name;
    next->absorbed_by_previous = true;
    return true;
  }

  void run(LaneArrays<T>& arrays, std::size_t n) const override {
    if (absorbed_by_previous) return;  // computed with the previous layer
    if constexpr (sizeof(T) == 4) {
      if (split16) {
        run_split16(arrays);
        return;
      }
      if (pairs) {
        if (activation_fused) {
          run_pairs_with_activation(arrays);
        } else {
          run_pairs(arrays);
        }
        return;
      }
      if (blocked) {
        run_blocked(arrays);
        return;
      }
    }
    alignas(64) T acc[256];
    alignas(64) T term[256];
    const lanes::ConverterShape product_shape = lanes::converter_shape(product_rounding);
    if (wrap_sum && product_rounding.shift >= 0 && product_shape.rounding <= 1 && product_shape.overflow == 0) {
      // Products kept whole or rounded by a shift (TRN, RND: (p + bias) >> s), as in CICADA's and
      // the paper CNN's convolutions: each block of 16 lanes sums its column in one register,
      // wrapping mod 2^lane.
      const bool result_is_copy = result.shift == 0 && !result.check_overflow;
      for (std::size_t j = 0; j < n_out; ++j) {
        T* y = arrays.row(this->output, j);
        if (product_rounding.shift == 0) {
          sum_column_in_registers<false>(columns[j], arrays, n, bias[j], result_is_copy ? y : acc);
        } else {
          sum_column_in_registers<true>(columns[j], arrays, n, bias[j], result_is_copy ? y : acc);
        }
        if (!result_is_copy) lanes::convert<T>(acc, y, n, result);
      }
      return;
    }
    if (wrap_sum) {
      // Modular sum: the low bits of a WRAP accumulator do not depend on when it wraps, so each
      // rounded product is added modulo 2^lane and the sum wraps once.
      lanes::with_converter<T>(product_rounding, [&](auto round) {
        for (std::size_t j = 0; j < n_out; ++j) {
          for (std::size_t e = 0; e < n; ++e) acc[e] = bias[j];
          for (const Term& t : columns[j]) add_rounded(acc, arrays.row(this->inputs[0], t.input), t.weight, n, round);
          lanes::convert<T>(acc, acc, n, accumulate);
          lanes::convert<T>(acc, arrays.row(this->output, j), n, result);
        }
      });
      return;
    }
    for (std::size_t j = 0; j < n_out; ++j) {
      for (std::size_t e = 0; e < n; ++e) acc[e] = bias[j];
      for (const Term& t : columns[j]) {
        const T* x = arrays.row(this->inputs[0], t.input);
        for (std::size_t e = 0; e < n; ++e) term[e] = static_cast<T>(x[e] * t.weight);
        lanes::convert<T>(term, term, n, product);
        for (std::size_t e = 0; e < n; ++e) acc[e] = static_cast<T>(acc[e] + term[e]);
        lanes::convert<T>(acc, acc, n, accumulate);  // same LSB: overflow only, after every term
      }
      lanes::convert<T>(acc, arrays.row(this->output, j), n, result);
    }
  }

  // acc[e] = (accum_t)(b + sum of round(x_t[e] * w_t) modulo 2^lane), for e < n, round being
  // (p + bias) >> shift when kRound: whole blocks of 16 lanes in a vector register (GCC vector
  // extension: a zmm with AVX-512, two ymm or four xmm otherwise), wrapped to accum_t there when
  // that is a plain wrap.
  template <bool kRound>
  void sum_column_in_registers(const std::vector<Term>& terms, const LaneArrays<T>& arrays, std::size_t n, T b, T* acc) const {
    using U = std::make_unsigned_t<T>;
    const int s = product_rounding.shift;
    const T rb = static_cast<T>(product_rounding.bias);
    constexpr std::size_t kBlock = 64 / sizeof(T);
    using V = typename Vector64<T>::Unsigned;
    using SV = typename Vector64<T>::Signed;
    static_assert(sizeof(V) == 64 && sizeof(V) == kBlock * sizeof(T));
    const lanes::ConverterShape shape = lanes::converter_shape(accumulate);
    const bool in_register = accumulate.shift == 0 && (shape.overflow == 0 || shape.overflow == 1 || shape.overflow == 2);
    const int drop = static_cast<int>(sizeof(T) * 8) - accumulate.width;
    const U mask = static_cast<U>(static_cast<U>(-1) >> (drop > 0 ? drop : 0));
    // (By reference and through memcpy: vectors passed or returned by value change the ABI on
    // targets without 64-byte registers.)
    const auto store = [&](V& a, std::size_t at) {
      if (in_register && shape.overflow == 1 && drop > 0) {
        a <<= drop;
        SV wrapped;
        std::memcpy(&wrapped, &a, sizeof(V));
        wrapped >>= drop;  // sign-extend from accum_t's width
        std::memcpy(acc + at, &wrapped, sizeof(V));
        return;
      }
      if (in_register && shape.overflow == 2) a &= mask;
      std::memcpy(acc + at, &a, sizeof(V));
    };
    std::size_t e = 0;
    // Four blocks at a time: four independent multiply-add chains hide the multiply's latency.
    for (; e + 4 * kBlock <= n; e += 4 * kBlock) {
      V a[4];
      for (V& v : a) v = V{} + static_cast<U>(b);
      for (const Term& t : terms) {
        const T* row = arrays.row(this->inputs[0], t.input) + e;
        for (std::size_t k = 0; k < 4; ++k) {
          if constexpr (kRound) {
            SV x;
            std::memcpy(&x, row + k * kBlock, sizeof(V));
            x = (x * t.weight + rb) >> s;
            V q;
            std::memcpy(&q, &x, sizeof(V));
            a[k] += q;
          } else {
            V x;
            std::memcpy(&x, row + k * kBlock, sizeof(V));
            a[k] += x * static_cast<U>(t.weight);
          }
        }
      }
      for (std::size_t k = 0; k < 4; ++k) store(a[k], e + k * kBlock);
    }
    for (; e + kBlock <= n; e += kBlock) {
      V a = V{} + static_cast<U>(b);
      for (const Term& t : terms) {
        if constexpr (kRound) {
          SV x;
          std::memcpy(&x, arrays.row(this->inputs[0], t.input) + e, sizeof(V));
          x = (x * t.weight + rb) >> s;
          V q;
          std::memcpy(&q, &x, sizeof(V));
          a += q;
        } else {
          V x;
          std::memcpy(&x, arrays.row(this->inputs[0], t.input) + e, sizeof(V));
          a += x * static_cast<U>(t.weight);
        }
      }
      store(a, e);
    }
    for (; e < n; ++e) {
      U a = static_cast<U>(b);
      for (const Term& t : terms) {
        const T x = arrays.row(this->inputs[0], t.input)[e];
        if constexpr (kRound) {
          a += static_cast<U>(static_cast<T>(static_cast<T>(x * t.weight) + rb) >> s);
        } else {
          a += static_cast<U>(x) * static_cast<U>(t.weight);
        }
      }
      acc[e] = lanes::convert_code(static_cast<T>(a), accumulate);
    }
    if (!in_register) lanes::convert<T>(acc, acc, n - n % kBlock, accumulate);  // the vector blocks
  }

  template <class C>
  static void add_rounded(T* __restrict acc, const T* __restrict x, T w, std::size_t n, C round) {
    using U = std::make_unsigned_t<T>;
    for (std::size_t e = 0; e < n; ++e) acc[e] = static_cast<T>(static_cast<U>(acc[e]) + static_cast<U>(round(static_cast<T>(x[e] * w))));
  }

  std::string describe() const override {
    if (absorbed_by_previous) return "computed with the previous layer (sibling Dense, one pass)";
    return std::string(sizeof(T) == 4 ? "int32" : "int64") + (wrap_sum ? " wrap-sum" : " ordered-sum") +
           (split16 ? (split.sparse.usable ? " split16 (sparse column lists)"
                                  : split.direct.usable ? (split.direct.large.usable ? " split16 direct (one multiply per product; larger weights from column lists)"
                                                                                     : " split16 direct (one multiply per product)")
                                  : split.vnni.usable   ? " split16 (VNNI bytes where the CPU has them)"
                                                        : " split16")
                    : (pairs ? std::string(quads ? " pmaddwd pairs (vpdpbusd byte quads where the CPU has VNNI)" : " pmaddwd pairs (vpdpwssd where the CPU has VNNI)") + (bias_in_sums ? " (the bias as the sums' start)" : "") + (sums_fit_accum ? " (sums inside accum_t: no wrap)" : "") : (blocked ? " blocked 8x8" : " column lists"))) +
           ", " + std::to_string(nonzero) + "/" + std::to_string(total) + " nonzero weights" +
           (absorbed_next.empty() ? "" : "; also computes '" + absorbed_next + "' (sibling, same input)") +
           (activation_fused ? "; applies the next layer in its epilogue (" + activation_name + ")" : "");
  }
};

}  // namespace

template <class T>
KernelPtr<T> make_dense_kernel(const Layer& layer) {
  const auto* dense = dynamic_cast<const Dense*>(&layer);
  if (dense == nullptr) return nullptr;
  const auto& cfg = dense->config();
  const ArraySpec& in = layer.inputs()[0];
  auto k = std::make_unique<DenseKernel<T>>();
  k->name = layer.name();
  k->n_out = cfg.n_out;
  k->n_in = in.size;
  k->total = cfg.weights.size();

  if (!k->plan(in.type, cfg.weights, cfg.weight_t, cfg.biases, cfg.bias_t, cfg.accum_t, cfg.result_t)) return nullptr;
  // The kernels add in input order; the Resource order gives the same sums only where the
  // accumulation is modular (WRAP), where any order is exact. Otherwise: the reference.
  if (cfg.strategy != DenseStrategy::Latency && !k->wrap_sum) return nullptr;
  const CodeRange x_range = code_range(in.type);
  const Int128 w_abs = max_abs(cfg.weights);

  const std::size_t n_in = in.size;
  k->columns.resize(cfg.n_out);
  for (std::size_t j = 0; j < cfg.n_out; ++j) {
    for (std::size_t i = 0; i < n_in; ++i) {
      const BigInt& w = cfg.weights[i * cfg.n_out + j];
      if (w == 0) continue;  // a zero product adds nothing: acc + 0 is already an accum_t value
      k->columns[j].push_back({i, w.convert_to<T>()});
      ++k->nonzero;
    }
  }
  if constexpr (sizeof(T) == 4) {
    if (k->wrap_sum && n_in <= 256) {
      k->blocked = true;
      k->rounding = {k->product.shift, static_cast<std::int32_t>(k->product.bias), static_cast<std::int32_t>(k->product.neg_bias),
                     k->product.parity};
      // Truncated (TRN) products into a WRAP accumulator of <= 16 bits: the int16 split kernel,
      // when x fits 16 bits and 2w fits 16 bits.
      const CodeRange w2_range{-2 * w_abs, 2 * w_abs};
      if (k->product.shift >= 1 && k->product.shift <= 15 && k->rounding.bias == 0 && k->rounding.neg_bias == 0 &&
          !k->rounding.parity && cfg.accum_t.width <= 16 && fits_signed(x_range, 16) && fits_signed(w2_range, 16) &&
          n_in * CompiledModel::kBatch <= kSplit16MaxLanes && cfg.n_out * CompiledModel::kBatch <= kSplit16MaxLanes) {
        k->split16 = true;
        Split16Dense& sp = k->split;
        sp.n_in = n_in;
        sp.n_out = cfg.n_out;
        sp.shift = k->product.shift;
        for (std::size_t i = 0; i < n_in; ++i) {
          for (std::size_t j = 0; j < cfg.n_out; ++j) {
            const T w = cfg.weights[i * cfg.n_out + j].template convert_to<T>();
            sp.w.push_back(static_cast<std::int16_t>(w));
            sp.w2.push_back(static_cast<std::int16_t>(2 * w));
          }
        }
        for (const T b : k->bias) sp.bias.push_back(static_cast<std::int16_t>(b));
        sp.prepare();
      }
      // Mostly zero weights (a convolution run as the Dense over its whole input): the column
      // lists, one pass per nonzero weight, beat the dense pairs and blocks that multiply every
      // weight. (split16 has sparse column lists of its own.)
      const bool sparse = k->nonzero * 4 <= k->total;
      if (sparse && !k->split16) k->blocked = false;
      // Exact products of 16-bit codes go through pmaddwd pairs.
      const CodeRange w_range{-w_abs, w_abs};
      k->pairs = !k->split16 && !sparse && k->product.shift <= 0 && fits_signed(x_range, 16) && fits_signed(w_range, 16) && n_in <= 256;
      if (k->pairs) {
        // The range of each output's accum_t code, (sum of x*w) * 2^-shift + bias, from the
        // weights' codes and the input type's range: inside accum_t, the wrap is the identity.
        const CodeRange acc = code_range(cfg.accum_t);
        k->sums_fit_accum = true;
        for (std::size_t j = 0; j < cfg.n_out && k->sums_fit_accum; ++j) {
          Int128 lo = 0, hi = 0;
          for (std::size_t i = 0; i < n_in; ++i) {
            const auto w = static_cast<Int128>(cfg.weights[i * cfg.n_out + j].template convert_to<long long>());
            lo += std::min(w * x_range.lo, w * x_range.hi);
            hi += std::max(w * x_range.lo, w * x_range.hi);
          }
          const Int128 scale = static_cast<Int128>(1) << -k->product.shift, b = k->bias[j];
          k->sums_fit_accum = lo * scale + b >= acc.lo && hi * scale + b <= acc.hi;
        }
        PairsDense& pd = k->pair_dense;
        pd.n_in = n_in;
        pd.n_out = cfg.n_out;
        pd.n_pairs = (n_in + 1) / 2;
        // (sum << 0) + b = the sum started at b, modulo 2^32 like the epilogue's add.
        k->bias_in_sums = k->product.shift == 0;
        pd.start.assign(cfg.n_out, 0);
        if (k->bias_in_sums) {
          for (std::size_t j = 0; j < cfg.n_out; ++j) pd.start[j] = static_cast<std::int32_t>(k->bias[j]);
        }
        // The weight codes, once for both layouts.
        std::vector<std::int32_t> codes;
        codes.reserve(cfg.weights.size());
        for (const BigInt& w : cfg.weights) codes.push_back(static_cast<std::int32_t>(w.template convert_to<T>()));
        pd.w.assign(pd.n_pairs * cfg.n_out, 0);
        for (std::size_t i = 0; i < n_in; ++i) {
          for (std::size_t j = 0; j < cfg.n_out; ++j) {
            const auto code = static_cast<std::uint32_t>(static_cast<std::uint16_t>(codes[i * cfg.n_out + j]));
            auto& pair = pd.w[(i / 2) * cfg.n_out + j];
            pair = static_cast<std::int32_t>(static_cast<std::uint32_t>(pair) | (code << (16 * (i % 2))));
          }
        }
        // Byte quads: weights in [-128, 127] (vpdpbusd's signed operand) and inputs either signed
        // bytes (stored as x + 128) or unsigned ones (stored as they are), proven from the types.
        const bool signed_bytes = fits_signed(x_range, 8), unsigned_bytes = x_range.lo >= 0 && x_range.hi <= 255;
        const bool weight_bytes = std::all_of(codes.begin(), codes.end(), [](std::int32_t c) { return c >= -128 && c <= 127; });
        if (weight_bytes && (signed_bytes || unsigned_bytes)) {
          k->quad_dense.prepare(codes, n_in, cfg.n_out, !unsigned_bytes, pd.start);
          k->quads = true;
        }
      }
      if (!k->split16 && !k->pairs && k->blocked) {
        for (std::size_t blk = 0; blk * 8 < cfg.n_out; ++blk) {
          // Per input 8 lane vectors, one per output of the block, each weight repeated over the 8
          // lanes so that the multiply reads it from memory.
          std::vector<T, AlignedAllocator<T>> weights;
          for (std::size_t r = 0; r < n_in; ++r) {
            for (std::size_t j = 0; j < 8; ++j) {
              const std::size_t out = blk * 8 + j;
              const T value = out < cfg.n_out ? cfg.weights[r * cfg.n_out + out].template convert_to<T>() : T{0};
              weights.insert(weights.end(), 8, value);
            }
          }
          k->block_weights.push_back(std::move(weights));
        }
      }
    }
  }
  return k;
}

template KernelPtr<std::int32_t> make_dense_kernel<std::int32_t>(const Layer&);
template KernelPtr<std::int64_t> make_dense_kernel<std::int64_t>(const Layer&);

}  // namespace l1emu::emu::compiled
