#pragma once
// Dense with truncated products into an accumulator of at most 16 bits (hls4ml's default shape:
// ap_fixed<16,..> data and accumulators, narrow weights, TRN/WRAP), on 16-bit lanes.
//
// With x = a*2^s + b (0 <= b < 2^s), floor(x*w / 2^s) = a*w + floor(b*w / 2^s), and modulo 2^16
// that is mullo16(a, w) + mulhi16(b << (15-s), 2w): exact, with no shift per product. The WRAP
// accumulator is order-free, so the sum runs modulo 2^16 in any order. The kernel keeps a block of
// outputs for a pass of events in registers and broadcasts each weight once per pass; the vector
// width (AVX-512, AVX2, SSE4 or portable) is chosen at run time (Highway dynamic dispatch).
#include <cstddef>
#include <cstdint>
#include <vector>

namespace l1emu::emu::compiled {

/// The VNNI form of the same sums (dense_split16_vnni.cpp), prepared when every weight fits a
/// signed byte and 1 <= s <= 8.
struct Split16Vnni {
  bool usable = false;
  int p = 0;                           // c << p, with p + q = 16 - s
  int lin_shift = 0;                   // 8 - s
  std::size_t quads = 0;               // ceil(n_in / 4)
  std::vector<std::int32_t> wq;        // [quad * n_out + j]: the four weight bytes of inputs 4*quad..
  std::vector<std::int16_t> wn;        // [i * n_out + j]: w << q
  std::vector<std::int32_t> lin_init;  // [j]: -128 * sum over i of w (undoes the +128 of the bytes)
};

/// The nonzero weights as column lists, used instead of the dense loops when at most a quarter of
/// the weights are nonzero (a WRAP sum is order-free and a zero product adds nothing).
struct Split16Sparse {
  bool usable = false;
  std::vector<std::uint32_t> begin;        // [j], n_out + 1 entries: column j is [begin[j], begin[j+1])
  std::vector<std::uint16_t> input;        // input row of each nonzero weight
  std::vector<std::int16_t> w, w2;         // the weight code and twice it
  std::vector<std::uint16_t> used_inputs;  // inputs with a nonzero weight (the only rows prepared)
};

/// The direct form, prepared when nearly every weight w satisfies -2^(s-1) <= w < 2^(s-1): then
/// w << (16-s) fits 16 bits and floor(x*w / 2^s) = mulhi16(x, w << (16-s)) exactly, one multiply
/// per product with no split of x (trained hls4ml weights are mostly this small: all 1,824 of
/// vae_paper's dense_1). The few larger weights are added from column lists with the split form.
struct Split16Direct {
  bool usable = false;
  // [i * n_out + j]: w << (16-s) in both 16-bit halves, or 0 for a larger weight. A 32-bit
  // broadcast of the pair fills every 16-bit lane with one load (x86's vpbroadcastd from memory
  // is a load alone; a 16-bit broadcast also takes a shuffle-port micro-op, which the multiplies
  // and adds of the block share).
  std::vector<std::uint32_t> ws;
  // [j]: the inputs with a nonzero small weight in column j lie in [first[j], last[j]) (a
  // convolution run as the Dense over its whole input has one window per output); a block of
  // outputs loops over the union of its columns' ranges only (zero products add nothing to a WRAP
  // sum).
  std::vector<std::uint16_t> first, last;
  Split16Sparse large;  // the larger weights (usable when there is one)
};

/// DenseSplit16 keeps its int16 rows (inputs split in two, sums) in stack scratch of
/// kSplit16MaxLanes codes each: n_in * batch and n_out * batch must not exceed it.
inline constexpr std::size_t kSplit16MaxLanes = 256 * 256;
/// Bound on n_in and n_out of the VNNI form, whose own scratch holds 256 rows of 256 lanes.
inline constexpr std::size_t kSplit16MaxRows = 256;

struct Split16Dense {
  std::size_t n_in = 0, n_out = 0;
  int shift = 1;                     // s: fraction bits the product loses, 1..15
  std::vector<std::int16_t> w;       // [i * n_out + j]: weight codes
  std::vector<std::int16_t> w2;      // [i * n_out + j]: 2 * weight codes
  std::vector<std::int16_t> bias;    // [j]: (accum_t)bias codes
  Split16Vnni vnni;
  Split16Sparse sparse;
  Split16Direct direct;

  /// Fills `sparse` when the weights are sparse (unless the direct form, over each block's input
  /// range, multiplies less), `direct` when nearly all are small and `vnni` when the weights and
  /// shift allow it; the kernel takes the first usable of these, in this order.
  void prepare();
};

/// nnet::leaky_relu of the sums, applied as they are sign-extended into the int32 rows (the
/// Dense kernel's epilogue, DenseKernel::absorb_activation): z = x > 0 ? x : wrap((x * alpha +
/// bias) >> shift), with x the sign-extended sum (the activation's x -> result_t changing nothing),
/// alpha a 16-bit code and wrap the signed WRAP into 32 - drop bits (drop 0: none). x * alpha is
/// one pmaddwd of x's 16-bit halves with (alpha, 0): exact in 32 bits.
struct Split16Leaky {
  std::int32_t alpha = 0;  // the alpha code in the low 16 bits, 0 in the high ones
  std::int32_t bias = 0;   // the rounding bias of the shift (0 for TRN)
  int shift = 0, drop = 0;
};

/// out[j * batch + e] = (bias[j] + sum over i of floor(x[i][e] * w[i][j] / 2^s)) modulo 2^16,
/// sign-extended to 32 bits, for every j < n_out and e < batch. `x` rows (int32 codes that fit
/// 16 bits) are `batch` apart; `batch` must be a multiple of 64 and at most 256, and n_in * batch
/// and n_out * batch at most kSplit16MaxLanes (std::length_error otherwise). With `leaky`, also
/// leaky_out[j * batch + e] = Split16Leaky's z of out[j * batch + e].
void dense_split16(const Split16Dense& dense, const std::int32_t* x, std::size_t batch, std::int32_t* out,
                   const Split16Leaky* leaky = nullptr, std::int32_t* leaky_out = nullptr);

/// The same with AVX-512 VNNI (dense.vnni.usable required; batch a multiple of 64, n_in <= 256).
void dense_split16_vnni(const Split16Dense& dense, const std::int32_t* x, std::size_t batch, std::int32_t* out);

}  // namespace l1emu::emu::compiled
