#include "l1emu/emu/nn/model.h"

#include "l1emu/emu/error.h"

namespace l1emu::emu {

Model::Model(std::string project, Flavor flavor, std::vector<ArraySpec> inputs)
    : project_(std::move(project)), flavor_(flavor), inputs_(std::move(inputs)) {}

int Model::find_array(const std::string& name) const {
  for (std::size_t i = 0; i < inputs_.size(); ++i) {
    if (inputs_[i].name == name) return static_cast<int>(i);
  }
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    if (layers_[i]->name() == name) return static_cast<int>(inputs_.size() + i);
  }
  return -1;
}

ArraySpec Model::array_spec(std::size_t index) const {
  if (index < inputs_.size()) return inputs_[index];
  return layers_.at(index - inputs_.size())->output_spec();
}

void Model::add_layer(std::unique_ptr<Layer> layer) {
  std::vector<std::size_t> indices;
  for (const auto& input : layer->inputs()) {
    const int index = find_array(input.name);
    if (index < 0) {
      throw ModelError("layer '" + layer->name() + "': input '" + input.name + "' is neither a model input nor an earlier layer");
    }
    indices.push_back(static_cast<std::size_t>(index));
  }
  if (find_array(layer->name()) >= 0) throw ModelError("layer '" + layer->name() + "': the name is used twice");
  layer_inputs_.push_back(std::move(indices));
  layers_.push_back(std::move(layer));
}

void Model::set_outputs(std::vector<std::string> outputs) {
  output_indices_.clear();
  for (const auto& name : outputs) {
    const int index = find_array(name);
    if (index < 0) throw ModelError("output '" + name + "' names no layer or input of the model");
    output_indices_.push_back(static_cast<std::size_t>(index));
  }
  outputs_ = std::move(outputs);
}

std::size_t Model::output_width() const {
  std::size_t width = 0;
  for (std::size_t index : output_indices_) width += array_spec(index).size;
  return width;
}

}  // namespace l1emu::emu
