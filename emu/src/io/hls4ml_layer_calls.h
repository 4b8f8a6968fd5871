#pragma once
// The nnet:: calls of an hls4ml project that map onto a layer class of the catalogue through its
// config struct: the class reads its keys from the struct's members (hls4ml's config field names
// are the model.json key names, shared/golden/hls4ml2/README.md, except where `renames` says),
// its result type from the call's template arguments and its parameter arrays from the call's
// arguments.
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "l1emu/emu/io/cpp_declarations.h"

namespace l1emu::emu::detail {

struct CatalogueCall {
  std::vector<std::size_t> inputs;  // argument indices of the input arrays
  std::size_t output = 0;           // argument index of the output array
  /// The layer class; for calls whose class depends on the config (pooling: pool_op), the
  /// classes by the last identifier of `class_key`'s value.
  std::string layer_class;
  std::string class_key;
  std::map<std::string, std::string> class_by_value;
  std::map<std::string, std::size_t> arrays;           // model.json key -> argument index
  std::map<std::string, std::string> renames;          // model.json key -> config member
  std::map<std::string, std::string> fixed_strings;    // keys the call itself decides (resize_nearest: nearest)
  std::map<std::string, long> fixed_integers;          // keys the call itself decides (concatenate1d: rank 1)
};

/// Resource strategy: the keys whose array hls4ml's vivado writer stores with the filter axis first
/// (backends/vivado/passes/resource_strategy.py: Conv1D (W,C,F) -> (F,W,C), Conv2D (H,W,C,F) ->
/// (F,H,W,C)); the import transposes them back to the Keras layout the layer reads.
[[nodiscard]] bool resource_transposed(const std::string& layer_class, const std::string& key);

/// io_parallel calls by function name.
[[nodiscard]] const std::map<std::string, CatalogueCall>& catalogue_calls();

/// The class a call makes with this config struct, or "" with `why` set.
[[nodiscard]] std::string catalogue_class(const CatalogueCall& call, const ConfigStruct& config, std::string& why);

}  // namespace l1emu::emu::detail
