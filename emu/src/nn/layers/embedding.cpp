#include "l1emu/emu/nn/layers/embedding.h"

#include "l1emu/emu/error.h"
#include "l1emu/emu/fixed/conversion.h"
#include "l1emu/emu/nn/layer_catalogue.h"

namespace l1emu::emu {

Embedding::Embedding(std::string name, ArraySpec input, Config config)
    : Layer(std::move(name), {input}, config.result_t, input.size * config.n_out), config_(std::move(config)) {
  if (!inputs()[0].type.is_integer) {
    throw ModelError("layer '" + this->name() + "': Embedding indexes its table by the input codes, which must be ap_int or ap_uint, not " +
                     inputs()[0].type.to_string());
  }
  if (config_.embeddings.size() != config_.vocab_size * config_.n_out) {
    throw ModelError("layer '" + this->name() + "': expected " + std::to_string(config_.vocab_size * config_.n_out) + " embeddings (vocab_size x n_out)");
  }
  set_shape({input.size, config_.n_out});
}

std::vector<BigInt> Embedding::evaluate(std::span<const FixedArray* const> inputs) const {
  const FixedArray& x = *inputs[0];
  std::vector<BigInt> y;
  y.reserve(output_size());
  for (std::size_t j = 0; j < x.size(); ++j) {
    if (x.codes[j].sign() < 0 || x.codes[j] >= BigInt(config_.vocab_size)) {
      throw ModelError("layer '" + name() + "': input value " + std::to_string(j) + " is " + x.codes[j].str() + ", outside the vocabulary [0, " +
                       std::to_string(config_.vocab_size - 1) + "] (hls4ml's embedding would read outside its table)");
    }
    const std::size_t row = x.codes[j].convert_to<std::size_t>();
    for (std::size_t i = 0; i < config_.n_out; ++i) y.push_back(convert_code(config_.embeddings[row * config_.n_out + i], config_.embeddings_t, result_type()));
  }
  return y;
}

std::unique_ptr<Layer> Embedding::parse(LayerBuildContext& c) {
  c.require_inputs(1);
  auto& f = c.params;
  Config cfg;
  cfg.n_out = f.count("n_out");
  cfg.vocab_size = f.count("vocab_size");
  if (f.has("n_in") && static_cast<std::size_t>(f.integer("n_in")) != c.inputs[0].size) {
    f.fail("n_in", "the input '" + c.inputs[0].name + "' has " + std::to_string(c.inputs[0].size) + " values");
  }
  cfg.embeddings_t = f.type("embeddings_t");
  cfg.result_t = f.type("result_t");
  cfg.embeddings = f.codes("embeddings", {cfg.vocab_size, cfg.n_out}, cfg.embeddings_t);
  std::unique_ptr<Layer> layer;
  try {
    layer = std::make_unique<Embedding>(c.name, c.inputs[0], std::move(cfg));
  } catch (const ModelError& e) {
    f.fail("embeddings", e.what());
  }
  return layer;
}

void Embedding::write_params(LayerParamWriter& out) const {
  out.integer("n_in", static_cast<long>(inputs()[0].size));
  out.integer("n_out", static_cast<long>(config_.n_out));
  out.integer("vocab_size", static_cast<long>(config_.vocab_size));
  out.type("embeddings_t", config_.embeddings_t);
  out.codes("embeddings", config_.embeddings, config_.embeddings_t, {config_.vocab_size, config_.n_out});
}

}  // namespace l1emu::emu
