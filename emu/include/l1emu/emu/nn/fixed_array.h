#pragma once
// FixedArray: an array of raw codes that all share one FixedType (a layer's output, a model input).
#include <cstddef>
#include <string>
#include <vector>

#include "l1emu/emu/fixed/big_int.h"
#include "l1emu/emu/fixed/exact_value.h"
#include "l1emu/emu/fixed/fixed_type.h"

namespace l1emu::emu {

struct FixedArray {
  FixedType type;
  std::vector<BigInt> codes;

  [[nodiscard]] std::size_t size() const { return codes.size(); }
  [[nodiscard]] ExactValue value(std::size_t i) const { return ExactValue::of(codes[i], type); }
};

/// How a model input's text values become codes (`predict`, model.json input key "c_type").
enum class InputReading {
  /// hls4ml's test bench: each value stored as a float32, then converted to the input type.
  Float32,
  /// A scalar C `int` port of the top function (type ap_int<32>): the value converted to int as C
  /// converts a double (toward zero), as the ATLAS L1Topo AD projects' test bench does
  /// (`std::vector<int> in; in.push_back(atof(s));`); a value beyond int's range is an error (C
  /// leaves it undefined).
  CInt,
};

/// The name, size, type and shape of an array flowing through a model (an input or a layer output).
/// The shape is channels last, as hls4ml io_parallel lays arrays out: (height, width, channels)
/// stored at (h*W + w)*C + c; empty means one-dimensional, {size}.
struct ArraySpec {
  ArraySpec() = default;
  ArraySpec(std::string name_, std::size_t size_, FixedType type_, std::vector<std::size_t> shape_ = {})
      : name(std::move(name_)), size(size_), type(type_), shape(std::move(shape_)) {}

  std::string name;
  std::size_t size = 0;
  FixedType type;
  std::vector<std::size_t> shape;
  /// Model inputs only: how predict reads its values.
  InputReading reading = InputReading::Float32;

  /// The shape, {size} when none was given.
  [[nodiscard]] std::vector<std::size_t> dims() const { return shape.empty() ? std::vector<std::size_t>{size} : shape; }
};

}  // namespace l1emu::emu
