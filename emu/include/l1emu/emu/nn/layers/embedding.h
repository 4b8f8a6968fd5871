#pragma once
// Embedding (Keras Embedding; hls4ml nnet_embed.h `embedding`): each input value is an index into a
// table of vocab_size rows of n_out values, res[j*n_out + i] = embeddings[data[j]*n_out + i]
// (embeddings_t codes, assigned to result_t). The inputs must be integer codes (ap_[u]int); an
// index outside [0, vocab_size) reads outside hls4ml's table (undefined in C), so it is an error
// naming the event value rather than a guess.
#include <memory>
#include <vector>

#include "l1emu/emu/nn/layer.h"

namespace l1emu::emu {

class Embedding final : public Layer {
 public:
  struct Config {
    std::size_t n_out = 1, vocab_size = 1;
    FixedType embeddings_t, result_t;
    std::vector<BigInt> embeddings;  // [vocab_size][n_out], embeddings_t codes
  };
  Embedding(std::string name, ArraySpec input, Config config);
  [[nodiscard]] std::string_view class_name() const override { return "Embedding"; }
  [[nodiscard]] OperationShape operation_shape() const override { return OperationShape::Table; }
  static std::unique_ptr<Layer> parse(LayerBuildContext& context);
  void write_params(LayerParamWriter& out) const override;
  [[nodiscard]] std::vector<BigInt> evaluate(std::span<const FixedArray* const> inputs) const override;
  [[nodiscard]] const Config& config() const { return config_; }

 private:
  Config config_;
};

}  // namespace l1emu::emu
