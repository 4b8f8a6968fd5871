#pragma once
// The lookup-table activations of nnet_activation.h: sigmoid, tanh, softplus, softsign, elu, selu.
// Each builds its table once from float32 C-library math (init_*_table), indexes it with the
// integer part of a scaled input, and converts the entry to res_T. The rules are
// shared/golden/hls4ml2/README.md, "Activations" and "Index computation".
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "l1emu/emu/nn/layer.h"

namespace l1emu::emu {

enum class TableFunction : std::uint8_t { Sigmoid, TanH, Softplus, Softsign, ELU, SELU };

/// trunc0(x*M/D) for x = code * 2^-frac, as hls4ml writes `int data_round = data * M / D`: the
/// product with the integer M is exact, the division by the int D is an integer division of the
/// code rounded toward zero, and the conversion to int drops the fraction toward zero again; the
/// two truncations compose into one. (frac < 0, an integer-only input, is not pinned by any data:
/// the same exact trunc0 is used.) The C++ int would wrap beyond 2^31; such inputs are far past
/// every table's clamp, so the exact value is returned (saturated to the long range).
[[nodiscard]] long table_index_part(const BigInt& code, int frac, long multiplier, long divisor);

/// The table index of the sigmoid-style rule: table_index_part + offset, clamped to [0, size-1].
[[nodiscard]] long clamped_table_index(const BigInt& code, int frac, long multiplier, long divisor, long offset, long size);

class TableActivation final : public Layer {
 public:
  struct Config {
    TableFunction function = TableFunction::Sigmoid;
    long table_size = 1024;  // N
    FixedType table_t;
    FixedType result_t;
    // ELU only: alpha -> param_t, and the C++ literal hls4ml wrote for it (kept for writing back).
    double alpha = 1.0;
    FixedType param_t;
    std::string param_literal;
  };
  TableActivation(std::string name, ArraySpec input, Config config);

  template <TableFunction F>
  static std::unique_ptr<Layer> parse(LayerBuildContext& context);
  [[nodiscard]] std::string_view class_name() const override;
  [[nodiscard]] OperationShape operation_shape() const override { return OperationShape::Table; }
  void write_params(LayerParamWriter& out) const override;
  [[nodiscard]] std::vector<BigInt> evaluate(std::span<const FixedArray* const> inputs) const override;

  [[nodiscard]] const Config& config() const { return config_; }
  /// The table's codes in table_t (N entries).
  [[nodiscard]] const std::vector<BigInt>& table() const { return table_; }

  /// The index rule: idx = clamp(trunc0(x*N/divisor) + offset, 0, N-1). For ELU and SELU it applies
  /// to x < 0 only (divisor -8, offset 0); x >= 0 takes the linear branch.
  [[nodiscard]] long index_divisor() const;
  [[nodiscard]] long index_offset() const;
  [[nodiscard]] bool has_linear_branch() const { return config_.function == TableFunction::ELU || config_.function == TableFunction::SELU; }
  /// Table index of an input code (for ELU/SELU meaningful for negative codes only).
  [[nodiscard]] long index(const BigInt& code) const;

  /// Result code for table entry k: table[k]->result_t, or for ELU (alpha*table[k])->result_t.
  [[nodiscard]] BigInt entry_result(long k) const;
  /// Result code of the linear branch (ELU, SELU, x >= 0) for an input code.
  [[nodiscard]] BigInt linear_result(const BigInt& code) const;

  /// The multiplier of the linear branch: alpha in param_t (ELU entries) or SELU's lambda in
  /// ap_ufixed<16,1> (x >= 0); code and type.
  [[nodiscard]] const BigInt& alpha_code() const { return alpha_code_; }
  [[nodiscard]] static FixedType selu_lambda_type();
  [[nodiscard]] static BigInt selu_lambda_code();

 private:
  Config config_;
  std::vector<BigInt> table_;
  BigInt alpha_code_;
};

}  // namespace l1emu::emu
