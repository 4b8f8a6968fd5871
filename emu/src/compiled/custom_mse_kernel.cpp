// CustomMSE compiled: the reference rule (emu/src/nn/layers/custom_mse.cpp) on 64-bit lanes, one
// event at a time, every conversion a LaneConverter planned from the types' code ranges. 32-bit
// plans run it widened; types whose products or aligned differences do not fit 62 bits stay on the
// reference kernel.
#include <cstdint>
#include <string>
#include <vector>

#include "kernel.h"
#include "l1emu/emu/nn/layers/custom_mse.h"
#include "l1emu/emu/nn/reduce.h"

namespace l1emu::emu::compiled {
namespace {

class CustomMseKernel final : public Kernel<std::int64_t> {
 public:
  using T = std::int64_t;
  std::size_t n = 0;
  int pred_width = 0, index_bits = 0;
  std::vector<T> tanh_table, factors;
  T pi = 0, inverse_n = 0;
  int true_shift = 0, table_shift = 0;  // aligning true and table_t codes to the finer LSB
  LaneConverter pt, product, error, square, sum, mean, result;

  // reduce<Op_add<squared_error_t>>: (left + right)->squared_error_t, left of size 2^floor(log2(n-1)).
  T reduce(const T* x, std::size_t count) const {
    if (count == 1) return x[0];
    if (count == 2) return lanes::convert_code<T>(x[0] + x[1], sum);
    const std::size_t left = reduce_left_size(count);
    return lanes::convert_code<T>(reduce(x, left) + reduce(x + left, count - left), sum);
  }

  void run(LaneArrays<T>& arrays, std::size_t lanes) const override {
    T squares[CustomMSE::kObjects * 3];
    const std::uint64_t mask = (std::uint64_t{1} << pred_width) - 1;
    for (std::size_t e = 0; e < lanes; ++e) {
      for (std::size_t i = 0; i < n; ++i) {
        const T p = arrays.row(this->inputs[2], i)[e];
        T predicted;
        if (i % 3 == 0) {
          predicted = lanes::convert_code(p, pt);
        } else {
          const std::size_t index = static_cast<std::size_t>((static_cast<std::uint64_t>(p) & mask) >> (pred_width - index_bits));
          predicted = lanes::convert_code<T>(tanh_table[index] * (i % 3 == 1 ? factors[i / 3] : pi), product);
        }
        const bool masked = arrays.row(this->inputs[0], i)[e] == 0;
        const T a = masked ? 0 : arrays.row(this->inputs[1], i)[e];
        const T t = masked ? 0 : predicted;
        const T err = lanes::convert_code<T>(a * (T{1} << true_shift) - t * (T{1} << table_shift), error);
        squares[i] = lanes::convert_code<T>(err * err, square);
      }
      const T total = reduce(squares, n);
      arrays.row(this->output, 0)[e] = lanes::convert_code(lanes::convert_code<T>(total * inverse_n, mean), result);
    }
  }
  std::string describe() const override { return "int64 per event: tanh table, masked squared errors, reduce tree"; }
};

}  // namespace

template <class T>
KernelPtr<T> make_custom_mse_kernel(const Layer& layer) {
  if constexpr (!std::is_same_v<T, std::int64_t>) {
    return nullptr;  // the 32-bit plan widens the 64-bit kernel
  } else {
    const auto* mse = dynamic_cast<const CustomMSE*>(&layer);
    if (mse == nullptr) return nullptr;
    const auto& c = mse->config();
    const FixedType& truth = mse->inputs()[1].type;
    const FixedType& pred = mse->inputs()[2].type;
    if (pred.width > 62) return nullptr;
    auto k = std::make_unique<CustomMseKernel>();
    k->n = mse->inputs()[0].size;
    k->pred_width = pred.width;
    k->index_bits = mse->index_bits();
    for (const auto& v : mse->tanh_table()) k->tanh_table.push_back(v.convert_to<T>());
    for (const auto& v : mse->factors()) k->factors.push_back(v.convert_to<T>());
    k->pi = mse->pi().convert_to<T>();
    k->inverse_n = mse->inverse_n().convert_to<T>();
    const CodeRange table = code_range(c.table_t);
    const int ft = c.table_t.fractional_bits(), f1 = truth.fractional_bits();
    const int fe = c.error_t.fractional_bits(), fs = c.squared_error_t.fractional_bits();
    const int f = std::max(ft, f1);
    k->true_shift = f - f1;
    k->table_shift = f - ft;
    const CodeRange a = shifted(unite(code_range(truth), {0, 0}), k->true_shift), t = shifted(table, k->table_shift);
    const CodeRange difference{a.lo - t.hi, a.hi - t.lo};
    const CodeRange squares = product_range(code_range(c.error_t), code_range(c.error_t));
    const CodeRange sq = code_range(c.squared_error_t);
    if (k->true_shift > 40 || k->table_shift > 40 || !fits_signed(difference, 62) || !fits_signed(squares, 62)) return nullptr;
    const bool ok = make_converter<T>(pred.fractional_bits(), code_range(pred), c.table_t, k->pt) &&
                    make_converter<T>(2 * ft, product_range(table, table), c.table_t, k->product) &&
                    make_converter<T>(f, difference, c.error_t, k->error) && make_converter<T>(2 * fe, squares, c.squared_error_t, k->square) &&
                    make_converter<T>(fs, {2 * sq.lo, 2 * sq.hi}, c.squared_error_t, k->sum) &&
                    make_converter<T>(2 * fs, product_range(sq, {k->inverse_n, k->inverse_n}), c.accum_t, k->mean) &&
                    make_converter<T>(c.accum_t.fractional_bits(), code_range(c.accum_t), c.result_t, k->result);
    if (!ok || !fits_signed(product_range(table, table), 62) || !fits_signed(product_range(sq, {k->inverse_n, k->inverse_n}), 62)) return nullptr;
    return k;
  }
}

template KernelPtr<std::int32_t> make_custom_mse_kernel<std::int32_t>(const Layer&);
template KernelPtr<std::int64_t> make_custom_mse_kernel<std::int64_t>(const Layer&);

}  // namespace l1emu::emu::compiled
