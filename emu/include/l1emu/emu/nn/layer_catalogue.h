#pragma once
// The layer classes a model file may name, each with the function that builds it from its keys.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "l1emu/emu/nn/fixed_array.h"
#include "l1emu/emu/nn/flavor.h"
#include "l1emu/emu/nn/layer.h"
#include "l1emu/emu/nn/layer_params.h"

namespace l1emu::emu {

/// What a layer's parse function gets: its keys, its name, its resolved input arrays (with their
/// types and shapes) and the model's flavour.
struct LayerBuildContext {
  LayerParamReader& params;
  std::string name;
  std::vector<ArraySpec> inputs;
  Flavor flavor = Flavor::Head;

  /// Fails unless the layer has exactly `n` input arrays.
  void require_inputs(std::size_t n) const;
  /// Fails unless every input array has the size of the first.
  void require_equal_sizes() const;
};

using LayerParser = std::unique_ptr<Layer> (*)(LayerBuildContext&);

/// Class name -> parse function, for every layer class (layer_catalogue.cpp: one line each).
[[nodiscard]] const std::map<std::string, LayerParser>& layer_catalogue();

/// "BatchNormalization, Conv2D, Dense, ...": the known class names, for error messages.
[[nodiscard]] std::string known_layer_classes();

}  // namespace l1emu::emu
