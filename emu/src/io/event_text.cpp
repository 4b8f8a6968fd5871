#include "l1emu/emu/io/event_text.h"

#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdlib>

#include "l1emu/emu/error.h"
#include "l1emu/emu/fixed/conversion.h"
#include "l1emu/text/excerpt.h"

namespace l1emu::emu {

EventTextReader::EventTextReader(const std::filesystem::path& path, std::size_t values_per_event)
    : path_(path), in_(path), values_per_event_(values_per_event) {
  if (!in_) throw InputError(path.string() + ": cannot open the input file");
}

std::string EventTextReader::where(std::size_t value) const {
  return path_.string() + ":" + std::to_string(line_) + ": value " + std::to_string(value + 1);
}

bool EventTextReader::read_line(std::vector<double>& values) {
  values.clear();
  tokens_.clear();
  while (std::getline(in_, text_)) {
    ++line_;
    if (text_.find_first_not_of(" \t\r,") == std::string::npos) continue;  // blank line
    const char* p = text_.c_str();
    const char* end = p + text_.size();
    while (p < end) {
      while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == ',')) ++p;
      if (p >= end) break;
      const char* token_end = p;
      while (token_end < end && *token_end != ' ' && *token_end != '\t' && *token_end != '\r' && *token_end != ',') ++token_end;
      const std::string token(p, token_end);
      char* parsed_end = nullptr;
      errno = 0;
      const double d = std::strtod(token.c_str(), &parsed_end);  // atof semantics, with error detection
      // The whole token must be the number: a NUL byte inside would otherwise end it silently.
      if (parsed_end != token.c_str() + token.size() || token.empty()) throw InputError(where(values.size()) + ": " + text::quoted_excerpt(token) + " is not a number");
      if (!std::isfinite(d)) throw InputError(where(values.size()) + ": " + text::quoted_excerpt(token) + " is not a finite number");
      values.push_back(d);
      tokens_.push_back(token);
      p = token_end;
    }
    if (values.size() != values_per_event_) {
      throw InputError(path_.string() + ":" + std::to_string(line_) + ": expected " + std::to_string(values_per_event_) +
                       " values per event, found " + std::to_string(values.size()));
    }
    return true;
  }
  if (in_.bad()) throw InputError(path_.string() + ": read error after line " + std::to_string(line_));
  return false;
}

bool EventTextReader::next(std::vector<float>& values) {
  std::vector<double> exact;
  values.clear();
  if (!read_line(exact)) return false;
  for (std::size_t i = 0; i < exact.size(); ++i) {
    const auto stored = static_cast<float>(exact[i]);  // stored as float32 (round to nearest even)
    if (!std::isfinite(stored)) {
      throw InputError(where(i) + ": " + text::quoted_excerpt(tokens_[i]) +
                       " is beyond float32's range (the test bench stores each value as a float)");
    }
    values.push_back(stored);
  }
  return true;
}

bool EventTextReader::next(std::vector<double>& values, const std::vector<InputReading>& readings) {
  if (!read_line(values)) return false;
  if (readings.size() != values.size()) throw std::invalid_argument("EventTextReader::next: one reading per value is needed");
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (readings[i] == InputReading::CInt) {
      // The test bench's `std::vector<int> in; in.push_back(atof(s))`: C converts toward zero, and
      // a value whose truncation is outside int is undefined behaviour, so it is refused.
      const double t = std::trunc(values[i]);
      if (t < static_cast<double>(INT_MIN) || t > static_cast<double>(INT_MAX)) {
        throw InputError(where(i) + ": " + text::quoted_excerpt(tokens_[i]) + " is outside the range of the C int port it feeds ([" + std::to_string(INT_MIN) + ", " +
                         std::to_string(INT_MAX) + "])");
      }
      values[i] = t;
      continue;
    }
    const auto stored = static_cast<float>(values[i]);  // stored as float32 (round to nearest even)
    if (!std::isfinite(stored)) {
      throw InputError(where(i) + ": " + text::quoted_excerpt(tokens_[i]) + " is beyond float32's range (the test bench stores each value as a float)");
    }
    values[i] = static_cast<double>(stored);
  }
  return true;
}

std::size_t input_width(const Model& model) {
  std::size_t n = 0;
  for (const auto& in : model.inputs()) n += in.size;
  return n;
}

std::vector<InputReading> input_readings(const Model& model) {
  std::vector<InputReading> out;
  for (const auto& in : model.inputs()) out.insert(out.end(), in.size, in.reading);
  return out;
}

std::vector<std::vector<BigInt>> input_codes(const Model& model, const std::vector<float>& values) {
  std::vector<std::vector<BigInt>> codes;
  std::size_t k = 0;
  for (const auto& in : model.inputs()) {
    if (in.reading != InputReading::Float32) {
      throw InputError("model input '" + in.name + "' is a C int port, whose values this command does not read (l1emu predict does)");
    }
    std::vector<BigInt> array;
    array.reserve(in.size);
    for (std::size_t i = 0; i < in.size; ++i) array.push_back(from_float(values[k++], in.type));  // float -> input_t
    codes.push_back(std::move(array));
  }
  return codes;
}

std::vector<std::vector<BigInt>> input_codes(const Model& model, const std::vector<double>& values) {
  std::vector<std::vector<BigInt>> codes;
  std::size_t k = 0;
  for (const auto& in : model.inputs()) {
    std::vector<BigInt> array;
    array.reserve(in.size);
    for (std::size_t i = 0; i < in.size; ++i, ++k) {
      if (in.reading == InputReading::CInt) {
        // An int in int's range (next() checked it): the code of ap_int<32> is the value.
        array.push_back(convert(ExactValue{BigInt(static_cast<long long>(values[k])), 0}, in.type));
      } else {
        array.push_back(from_float(static_cast<float>(values[k]), in.type));  // float -> input_t (exact: a float32 value)
      }
    }
    codes.push_back(std::move(array));
  }
  return codes;
}

}  // namespace l1emu::emu
