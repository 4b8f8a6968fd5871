#include "l1emu/emu/fixed/fixed_type.h"

#include <array>
#include <cctype>
#include <charconv>
#include <string>
#include <utility>
#include <vector>

#include "l1emu/emu/error.h"

namespace l1emu::emu {
namespace {

constexpr std::array<std::pair<std::string_view, Quantization>, 7> kQuantizationNames{{
    {"AP_TRN", Quantization::Trn},
    {"AP_RND", Quantization::Rnd},
    {"AP_RND_ZERO", Quantization::RndZero},
    {"AP_RND_MIN_INF", Quantization::RndMinInf},
    {"AP_RND_INF", Quantization::RndInf},
    {"AP_RND_CONV", Quantization::RndConv},
    {"AP_TRN_ZERO", Quantization::TrnZero},
}};

constexpr std::array<std::pair<std::string_view, Overflow>, 4> kOverflowNames{{
    {"AP_WRAP", Overflow::Wrap},
    {"AP_SAT", Overflow::Sat},
    {"AP_SAT_ZERO", Overflow::SatZero},
    {"AP_SAT_SYM", Overflow::SatSym},
}};

// The enumerators of Xilinx's ap_decl.h (enum ap_q_mode: AP_RND = 0 ... AP_TRN_ZERO = 6; enum
// ap_o_mode: AP_SAT = 0 ... AP_WRAP_SM = 4). An unscoped enumerator converts to int, so C++ accepts
// them wherever a template takes an int (the SC_ spellings are the same enumerators under SystemC).
constexpr std::array<std::pair<std::string_view, int>, 12> kEnumeratorValues{{
    {"RND", 0}, {"RND_ZERO", 1}, {"RND_MIN_INF", 2}, {"RND_INF", 3}, {"RND_CONV", 4}, {"TRN", 5}, {"TRN_ZERO", 6},
    {"SAT", 0}, {"SAT_ZERO", 1}, {"SAT_SYM", 2}, {"WRAP", 3}, {"WRAP_SM", 4},
}};

std::string trim(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (!std::isspace(static_cast<unsigned char>(c))) out.push_back(c);
  }
  return out;
}

[[noreturn]] void fail(std::string_view text, const std::string& why) {
  throw TypeError("fixed-point type '" + std::string(text) + "': " + why);
}

int parse_int(std::string_view text, std::string_view field, std::string_view whole) {
  for (const std::string_view prefix : {"AP_", "SC_"}) {
    if (field.substr(0, prefix.size()) != prefix) continue;
    for (const auto& [name, value] : kEnumeratorValues) {
      if (field.substr(prefix.size()) == name) return value;
    }
  }
  int value = 0;
  auto [ptr, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
  if (ec != std::errc() || ptr != field.data() + field.size() || field.empty()) {
    fail(whole, "expected an integer, found '" + std::string(field) + "'" +
                    (text.empty() ? "" : " for " + std::string(text)));
  }
  return value;
}

// Mode names are accepted with or without the AP_ prefix (hls4ml writes RND_CONV, Vivado AP_RND_CONV).
std::string with_prefix(std::string_view name) {
  std::string upper;
  for (char c : name) upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  if (upper.rfind("AP_", 0) != 0) upper = "AP_" + upper;
  return upper;
}

}  // namespace

std::string_view to_string(Quantization q) {
  for (const auto& [name, mode] : kQuantizationNames) {
    if (mode == q) return name;
  }
  return "AP_TRN";
}

std::string_view to_string(Overflow o) {
  for (const auto& [name, mode] : kOverflowNames) {
    if (mode == o) return name;
  }
  return "AP_WRAP";
}

BigInt FixedType::min_code() const {
  if (!is_signed) return 0;
  return -(BigInt(1) << (width - 1));
}

BigInt FixedType::max_code() const {
  if (!is_signed) return (BigInt(1) << width) - 1;
  return (BigInt(1) << (width - 1)) - 1;
}

bool FixedType::holds(const BigInt& code) const { return code >= min_code() && code <= max_code(); }

FixedType FixedType::integer(int width, bool is_signed) {
  FixedType t;
  t.width = width;
  t.integer_bits = width;
  t.is_signed = is_signed;
  t.quantization = Quantization::TrnZero;  // ap_fixed_base::to_ap_int_base: toward zero
  t.overflow = Overflow::Wrap;              // ap_int_base keeps the low W bits
  t.is_integer = true;
  t.validate();
  return t;
}

std::string FixedType::to_string() const {
  if (is_integer) return (is_signed ? "ap_int<" : "ap_uint<") + std::to_string(width) + ">";
  std::string out = is_signed ? "ap_fixed<" : "ap_ufixed<";
  out += std::to_string(width) + "," + std::to_string(integer_bits);
  const bool need_n = saturation_bits != 0;
  const bool need_o = need_n || overflow != Overflow::Wrap;
  const bool need_q = need_o || quantization != Quantization::Trn;
  // Appended piece by piece: g++ 12 reports a false -Wrestrict on `"," + std::string` at -O3.
  if (need_q) out.append(",").append(l1emu::emu::to_string(quantization));
  if (need_o) out.append(",").append(l1emu::emu::to_string(overflow));
  if (need_n) out.append(",").append(std::to_string(saturation_bits));
  out += ">";
  return out;
}

void FixedType::validate() const {
  const std::string name = to_string();
  if (width < 1) fail(name, "width must be at least 1 bit, found " + std::to_string(width));
  if (width > kMaxFixedWidth) {
    fail(name, "width " + std::to_string(width) + " exceeds the supported maximum of " +
                   std::to_string(kMaxFixedWidth) + " bits");
  }
  if (integer_bits > kMaxAbsIntegerBits || integer_bits < -kMaxAbsIntegerBits) {
    fail(name, "integer bits " + std::to_string(integer_bits) + " outside [-" +
                   std::to_string(kMaxAbsIntegerBits) + ", " + std::to_string(kMaxAbsIntegerBits) + "]");
  }
  if (saturation_bits < 0 || saturation_bits > width) {
    fail(name, "saturation bits N = " + std::to_string(saturation_bits) + " must be in [0, W]");
  }
  if (is_integer && (integer_bits != width || quantization != Quantization::TrnZero || overflow != Overflow::Wrap || saturation_bits != 0)) {
    fail(name, "an integer type has I = W, rounds toward zero (AP_TRN_ZERO) and wraps (AP_WRAP) with N = 0");
  }
  if (saturation_bits != 0 && overflow != Overflow::Wrap) {
    fail(name, "saturation bits N are only meaningful with AP_WRAP");
  }
}

FixedType FixedType::parse(std::string_view text) {
  const std::string s = trim(text);
  const auto open = s.find('<');
  if (open == std::string::npos || s.back() != '>') {
    fail(text, "expected ap_fixed<W,I[,Q[,O[,N]]]>, ap_ufixed<...>, fixed<...>, ufixed<...>, ap_int<W> or ap_uint<W>");
  }
  const std::string kind = s.substr(0, open);
  std::vector<std::string> args;
  {
    std::string current;
    for (char c : s.substr(open + 1, s.size() - open - 2)) {
      if (c == ',') {
        args.push_back(current);
        current.clear();
      } else {
        current.push_back(c);
      }
    }
    args.push_back(current);
  }

  FixedType t;
  if (kind == "ap_int" || kind == "ap_uint" || kind == "int" || kind == "uint") {
    if (args.size() != 1) fail(text, "an integer type takes exactly one argument (the width)");
    return integer(parse_int("width", args[0], text), kind == "ap_int" || kind == "int");
  }
  if (kind == "ap_fixed" || kind == "fixed") {
    t.is_signed = true;
  } else if (kind == "ap_ufixed" || kind == "ufixed") {
    t.is_signed = false;
  } else {
    fail(text, "unknown type name '" + kind + "' (expected ap_fixed, ap_ufixed, fixed, ufixed, ap_int or ap_uint)");
  }
  if (args.size() < 2 || args.size() > 5) {
    fail(text, "expected 2 to 5 template arguments <W,I[,Q[,O[,N]]]>, found " + std::to_string(args.size()));
  }
  t.width = parse_int("width", args[0], text);
  t.integer_bits = parse_int("integer bits", args[1], text);
  if (args.size() >= 3) {
    const std::string name = with_prefix(args[2]);
    bool found = false;
    for (const auto& [mode_name, mode] : kQuantizationNames) {
      if (mode_name == name) {
        t.quantization = mode;
        found = true;
      }
    }
    if (!found) {
      fail(text, "unknown quantization mode '" + args[2] +
                     "' (expected AP_TRN, AP_RND, AP_RND_ZERO, AP_RND_MIN_INF, AP_RND_INF, AP_RND_CONV or AP_TRN_ZERO)");
    }
  }
  if (args.size() >= 4) {
    const std::string name = with_prefix(args[3]);
    bool found = false;
    for (const auto& [mode_name, mode] : kOverflowNames) {
      if (mode_name == name) {
        t.overflow = mode;
        found = true;
      }
    }
    if (!found) {
      fail(text, "unknown overflow mode '" + args[3] + "' (expected AP_WRAP, AP_SAT, AP_SAT_ZERO or AP_SAT_SYM)");
    }
  }
  if (args.size() == 5) {
    t.saturation_bits = parse_int("saturation bits", args[4], text);
    // ap_fixed_base::overflow_adjust reads N only under AP_WRAP; with any other mode it has no effect,
    // so such a type is the same as with N = 0.
    if (t.overflow != Overflow::Wrap && t.saturation_bits >= 0 && t.saturation_bits <= t.width) t.saturation_bits = 0;
  }
  t.validate();
  return t;
}

}  // namespace l1emu::emu
