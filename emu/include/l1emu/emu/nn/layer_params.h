#pragma once
// The parameters of a layer as a model file states them, read and written through one interface so
// that each layer class reads and writes its own keys in its own file (the format, model.json, is
// the io library's business; the key names and their meaning are the layer's).
//
// Reading: every accessor throws ModelError naming the file, the layer and the key. Writing: the
// writer prints codes as exact decimals of their type, so a written model reads back code for code.
#include <cstddef>
#include <initializer_list>
#include <string>
#include <vector>

#include "l1emu/emu/fixed/big_int.h"
#include "l1emu/emu/fixed/fixed_type.h"
#include "l1emu/emu/nn/flavor.h"

namespace l1emu::emu {

class LayerParamReader {
 public:
  virtual ~LayerParamReader() = default;
  [[nodiscard]] virtual bool has(const std::string& key) const = 0;
  [[nodiscard]] virtual std::string string(const std::string& key) = 0;
  [[nodiscard]] virtual std::string string_or(const std::string& key, const std::string& fallback) = 0;
  [[nodiscard]] virtual long integer(const std::string& key) = 0;
  [[nodiscard]] virtual long integer_or(const std::string& key, long fallback) = 0;
  [[nodiscard]] virtual bool boolean_or(const std::string& key, bool fallback) = 0;
  [[nodiscard]] virtual double number(const std::string& key) = 0;
  /// A type key; absent keys take the model's default_precision where it has one.
  [[nodiscard]] virtual FixedType type(const std::string& key) = 0;
  /// Nested lists of finite numbers with exactly these dimensions, flattened row-major
  /// (dims {n}: a flat list of n numbers).
  [[nodiscard]] virtual std::vector<double> tensor(const std::string& key, const std::vector<std::size_t>& dims) = 0;
  /// A flat list of integers; `count` 0 accepts any non-empty length.
  [[nodiscard]] virtual std::vector<long> integers(const std::string& key, std::size_t count = 0) = 0;
  /// Keys accepted and without effect for this layer.
  virtual void ignore(std::initializer_list<const char*> keys) = 0;
  [[noreturn]] virtual void fail(const std::string& key, const std::string& what) const = 0;

  /// integer(key) checked to lie in [lo, hi].
  [[nodiscard]] long integer_in(const std::string& key, long lo, long hi) {
    const long v = integer(key);
    if (v < lo || v > hi) fail(key, "must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], found " + std::to_string(v));
    return v;
  }
  /// integer(key) >= 1, as a size.
  [[nodiscard]] std::size_t count(const std::string& key) { return static_cast<std::size_t>(integer_in(key, 1, 1L << 24)); }
  /// tensor(key, dims) converted to `type` as hls4ml loads parameters (text -> double -> type).
  /// Readers that hold codes already (an hls4ml project's weight arrays) give them directly.
  [[nodiscard]] virtual std::vector<BigInt> codes(const std::string& key, const std::vector<std::size_t>& dims, const FixedType& type);
};

class LayerParamWriter {
 public:
  virtual ~LayerParamWriter() = default;
  /// The model's flavour: a key whose value it implies may be left out (BatchNormalization's rounding).
  Flavor model_flavor = Flavor::Head;
  virtual void string(const std::string& key, const std::string& value) = 0;
  virtual void integer(const std::string& key, long value) = 0;
  virtual void boolean(const std::string& key, bool value) = 0;
  /// A double written so that it reads back as the same double.
  virtual void number(const std::string& key, double value) = 0;
  virtual void type(const std::string& key, const FixedType& type) = 0;
  /// Codes of `type` as exact decimals, nested with these dimensions (row-major).
  virtual void codes(const std::string& key, const std::vector<BigInt>& codes, const FixedType& type,
                     const std::vector<std::size_t>& dims) = 0;
  virtual void integers(const std::string& key, const std::vector<long>& values) = 0;
};

}  // namespace l1emu::emu
