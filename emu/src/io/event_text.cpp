#include "l1emu/emu/io/event_text.h"

#include <cerrno>
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

bool EventTextReader::next(std::vector<float>& values) {
  values.clear();
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
      const std::string where = path_.string() + ":" + std::to_string(line_) + ": value " + std::to_string(values.size() + 1);
      // The whole token must be the number: a NUL byte inside would otherwise end it silently.
      if (parsed_end != token.c_str() + token.size() || token.empty()) throw InputError(where + ": " + text::quoted_excerpt(token) + " is not a number");
      if (!std::isfinite(d)) throw InputError(where + ": " + text::quoted_excerpt(token) + " is not a finite number");
      const auto stored = static_cast<float>(d);  // stored as float32 (round to nearest even)
      if (!std::isfinite(stored)) {
        throw InputError(where + ": " + text::quoted_excerpt(token) + " is beyond float32's range (the test bench stores each value as a float)");
      }
      values.push_back(stored);
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

std::size_t input_width(const Model& model) {
  std::size_t n = 0;
  for (const auto& in : model.inputs()) n += in.size;
  return n;
}

std::vector<std::vector<BigInt>> input_codes(const Model& model, const std::vector<float>& values) {
  std::vector<std::vector<BigInt>> codes;
  std::size_t k = 0;
  for (const auto& in : model.inputs()) {
    std::vector<BigInt> array;
    array.reserve(in.size);
    for (std::size_t i = 0; i < in.size; ++i) array.push_back(from_float(values[k++], in.type));  // float -> input_t
    codes.push_back(std::move(array));
  }
  return codes;
}

}  // namespace l1emu::emu
