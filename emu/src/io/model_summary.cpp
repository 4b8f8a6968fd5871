#include "l1emu/emu/io/model_summary.h"

#include "l1emu/emu/nn/layers/batch_normalization.h"
#include "l1emu/emu/nn/layers/dense.h"

namespace l1emu::emu {

std::size_t zero_weight_count(const Model& model) {
  std::size_t zeros = 0;
  for (const auto& layer : model.layers()) {
    if (const auto* dense = dynamic_cast<const Dense*>(layer.get())) {
      for (const auto& w : dense->config().weights) zeros += w == 0 ? 1 : 0;
    }
  }
  return zeros;
}

std::string summarize_model(const Model& model, const std::vector<std::string>& notes) {
  std::string out = "model " + model.project() + " (flavour " + std::string(to_string(model.flavor())) + "), " +
                    std::to_string(model.layers().size()) + " layers\n";
  for (const auto& in : model.inputs()) out += "  input  " + in.name + " [" + std::to_string(in.size) + "] " + in.type.to_string() + "\n";
  std::size_t weights = 0;
  for (const auto& layer : model.layers()) {
    std::string line = "  layer  " + layer->name() + " " + std::string(layer->class_name()) + " ";
    for (std::size_t i = 0; i < layer->inputs().size(); ++i) {
      line += (i > 0 ? "," : "") + layer->inputs()[i].name + "[" + std::to_string(layer->inputs()[i].size) + "]";
    }
    line += " -> [" + std::to_string(layer->output_size()) + "] " + layer->result_type().to_string();
    if (const auto* dense = dynamic_cast<const Dense*>(layer.get())) {
      const auto& c = dense->config();
      std::size_t zeros = 0;
      for (const auto& w : c.weights) zeros += w == 0 ? 1 : 0;
      weights += c.weights.size();
      line += "; weight " + c.weight_t.to_string() + " (" + std::to_string(c.weights.size()) + ", " + std::to_string(zeros) +
              " zero), bias " + c.bias_t.to_string() + ", accum " + c.accum_t.to_string();
    } else if (const auto* bn = dynamic_cast<const BatchNormalization*>(layer.get())) {
      line += "; scale " + bn->config().scale_t.to_string() + ", bias " + bn->config().bias_t.to_string() + "; rounds " +
              std::string(to_string(bn->config().rounding));
    }
    out += line + "\n";
  }
  std::string outputs;
  for (const auto& o : model.outputs()) outputs += (outputs.empty() ? "" : ", ") + o;
  out += "  outputs " + outputs + " (" + std::to_string(model.output_width()) + " values)\n";
  out += "  weights " + std::to_string(weights) + ", of which " + std::to_string(zero_weight_count(model)) + " zero\n";
  for (const auto& n : notes) out += "  note: " + n + "\n";
  return out;
}

}  // namespace l1emu::emu
