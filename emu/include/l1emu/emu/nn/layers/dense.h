#pragma once
// Dense, hls4ml latency strategy (nnet::dense_latency), io_parallel.
#include <vector>

#include "l1emu/emu/nn/layer.h"

namespace l1emu::emu {

class Dense final : public Layer {
 public:
  struct Config {
    std::size_t n_out = 0;
    FixedType weight_t, bias_t, accum_t, result_t;
    std::vector<BigInt> weights;  // codes in weight_t, index i*n_out + j (Keras kernel layout)
    std::vector<BigInt> biases;   // codes in bias_t, n_out of them
  };
  Dense(std::string name, ArraySpec input, Config config);

  [[nodiscard]] std::string_view class_name() const override { return "Dense"; }
  [[nodiscard]] std::vector<BigInt> evaluate(std::span<const FixedArray* const> inputs) const override;
  [[nodiscard]] const Config& config() const { return config_; }

 private:
  Config config_;
};

}  // namespace l1emu::emu
