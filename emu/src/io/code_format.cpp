#include "l1emu/emu/io/code_format.h"

#include <stdexcept>

#include "l1emu/emu/fixed/conversion.h"

namespace l1emu::emu {

void append_code(std::string& line, const BigInt& code, const FixedType& type, CodeFormat format) {
  line += format == CodeFormat::Raw ? code.str() : to_decimal(code, type);
}

CodeFormat parse_code_format(const std::string& text) {
  if (text == "raw") return CodeFormat::Raw;
  if (text == "decimal") return CodeFormat::Decimal;
  throw std::invalid_argument("unknown format '" + text + "' (expected raw or decimal)");
}

}  // namespace l1emu::emu
