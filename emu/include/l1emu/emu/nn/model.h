#pragma once
// Model: named input arrays, layers in evaluation order, and the names of the output arrays.
// Built once (from model.json or an imported project); the graph is resolved to integer indices
// so evaluators never look names up per event.
#include <memory>
#include <string>
#include <vector>

#include "l1emu/emu/nn/fixed_array.h"
#include "l1emu/emu/nn/flavor.h"
#include "l1emu/emu/nn/layer.h"

namespace l1emu::emu {

class Model {
 public:
  Model(std::string project, Flavor flavor, std::vector<ArraySpec> inputs);

  /// Appends a layer; its inputs must name model inputs or earlier layers (checked by the loader).
  void add_layer(std::unique_ptr<Layer> layer);
  /// Declares the output arrays, in order; each must name a layer or an input.
  void set_outputs(std::vector<std::string> outputs);

  [[nodiscard]] const std::string& project() const { return project_; }
  [[nodiscard]] Flavor flavor() const { return flavor_; }
  [[nodiscard]] const std::vector<ArraySpec>& inputs() const { return inputs_; }
  [[nodiscard]] const std::vector<std::unique_ptr<Layer>>& layers() const { return layers_; }
  [[nodiscard]] const std::vector<std::string>& outputs() const { return outputs_; }

  /// Arrays are numbered: model inputs first (0..inputs-1), then layer outputs in order.
  [[nodiscard]] std::size_t array_count() const { return inputs_.size() + layers_.size(); }
  /// Index of the array called `name`, or -1.
  [[nodiscard]] int find_array(const std::string& name) const;
  [[nodiscard]] ArraySpec array_spec(std::size_t index) const;
  /// For each layer, the indices of the arrays it reads.
  [[nodiscard]] const std::vector<std::vector<std::size_t>>& layer_input_indices() const { return layer_inputs_; }
  /// The indices of the output arrays, in output order.
  [[nodiscard]] const std::vector<std::size_t>& output_indices() const { return output_indices_; }
  /// Total number of output values (all output arrays concatenated).
  [[nodiscard]] std::size_t output_width() const;

 private:
  std::string project_;
  Flavor flavor_;
  std::vector<ArraySpec> inputs_;
  std::vector<std::unique_ptr<Layer>> layers_;
  std::vector<std::vector<std::size_t>> layer_inputs_;
  std::vector<std::string> outputs_;
  std::vector<std::size_t> output_indices_;
};

}  // namespace l1emu::emu
