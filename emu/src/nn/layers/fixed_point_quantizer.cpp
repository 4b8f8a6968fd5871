#include "l1emu/emu/nn/layers/fixed_point_quantizer.h"

#include "l1emu/emu/error.h"
#include "l1emu/emu/fixed/conversion.h"
#include "l1emu/emu/nn/layer_catalogue.h"

namespace l1emu::emu {
namespace {

// The first element type, the one whose modes every other must share (nullptr: all pruned).
const FixedType* first_type(const FixedPointQuantizer::Config& c) {
  for (const auto& t : c.element_t) {
    if (t) return &*t;
  }
  return nullptr;
}

}  // namespace

FixedPointQuantizer::FixedPointQuantizer(std::string name, ArraySpec input, Config config)
    : Layer(std::move(name), {input}, config.result_t, input.size), config_(std::move(config)) {
  if (config_.element_t.size() != input.size) {
    throw ModelError("layer '" + this->name() + "': " + std::to_string(config_.element_t.size()) + " element types for " +
                     std::to_string(input.size) + " input values");
  }
  // generate_mask_fn writes the quantizer's one RND and SAT into every statement; model.json keeps
  // them once (write_params), so a layer that mixes modes could not be written back.
  const FixedType* first = first_type(config_);
  for (std::size_t i = 0; i < config_.element_t.size(); ++i) {
    const auto& t = config_.element_t[i];
    if (!t) continue;
    if (t->is_integer) throw ModelError("layer '" + this->name() + "': element " + std::to_string(i) + " has the integer type " + t->to_string());
    if (t->quantization != first->quantization || t->overflow != first->overflow || t->saturation_bits != first->saturation_bits) {
      throw ModelError("layer '" + this->name() + "': element " + std::to_string(i) + " has type " + t->to_string() + ", element types must share " +
                       "the rounding and overflow modes of " + first->to_string() + " (hls4ml writes one RND and one SAT per quantizer)");
    }
  }
}

std::unique_ptr<Layer> FixedPointQuantizer::parse(LayerBuildContext& c) {
  c.require_inputs(1);
  auto& f = c.params;
  const std::size_t n = c.inputs[0].size;
  // HGQ's (k, b, i) per element: keep_negative, bits, integer_bits; b == 0 prunes the element.
  const std::vector<long> k = f.integers("keep_negative", n);
  const std::vector<long> b = f.integers("bits", n);
  const std::vector<long> i = f.integers("integer_bits", n);
  const std::string rounding = f.string("rounding");
  const std::string overflow = f.string("overflow");
  const long saturation = f.integer_or("saturation_bits", 0);
  Config cfg;
  cfg.result_t = f.type("result_t");
  for (std::size_t e = 0; e < n; ++e) {
    if (k[e] != 0 && k[e] != 1) f.fail("keep_negative", "value " + std::to_string(e) + " must be 0 or 1, found " + std::to_string(k[e]));
    if (b[e] < 0) f.fail("bits", "value " + std::to_string(e) + " must be at least 0, found " + std::to_string(b[e]));
    if (b[e] == 0) {
      cfg.element_t.emplace_back();
      continue;
    }
    // The type as the statement spells it, so FixedType's own parser checks the modes and ranges.
    const std::string spelled = std::string(k[e] != 0 ? "ap_fixed<" : "ap_ufixed<") + std::to_string(b[e]) + "," + std::to_string(i[e]) + "," + rounding +
                                "," + overflow + "," + std::to_string(saturation) + ">";
    try {
      cfg.element_t.push_back(FixedType::parse(spelled));
    } catch (const TypeError& err) {
      f.fail("bits", "element " + std::to_string(e) + ": " + err.what());
    }
  }
  std::unique_ptr<Layer> layer;
  try {
    layer = std::make_unique<FixedPointQuantizer>(c.name, c.inputs[0], std::move(cfg));
  } catch (const ModelError& e) {
    f.fail("bits", e.what());
  }
  return layer;
}

void FixedPointQuantizer::write_params(LayerParamWriter& out) const {
  std::vector<long> k, b, i;
  for (const auto& t : config_.element_t) {
    k.push_back(t && t->is_signed ? 1 : 0);
    b.push_back(t ? t->width : 0);
    i.push_back(t ? t->integer_bits : 0);
  }
  out.integers("keep_negative", k);
  out.integers("bits", b);
  out.integers("integer_bits", i);
  const FixedType* first = first_type(config_);
  const FixedType modes = first != nullptr ? *first : FixedType{};
  out.string("rounding", std::string(to_string(modes.quantization)));
  out.string("overflow", std::string(to_string(modes.overflow)));
  if (modes.saturation_bits != 0) out.integer("saturation_bits", modes.saturation_bits);
}

std::vector<BigInt> FixedPointQuantizer::evaluate(std::span<const FixedArray* const> inputs) const {
  const FixedArray& x = *inputs[0];
  std::vector<BigInt> y(x.size());
  for (std::size_t e = 0; e < x.size(); ++e) {
    const auto& t = config_.element_t[e];
    if (!t) {
      y[e] = 0;  // out[e] = 0;  (the integer 0 assigned to output_t: code 0)
      continue;
    }
    // out[e] = ap_[u]fixed<b,i,Q,O>(inp[e]);  the constructor converts inp[e] into the element's
    // type (round with Q, then O), and the assignment converts that value into output_t.
    const BigInt element = convert_code(x.codes[e], x.type, *t);
    y[e] = convert_code(element, *t, result_type());
  }
  return y;
}

}  // namespace l1emu::emu
