#pragma once
// How predict and the trace print codes: raw integer codes, or exact decimals of their values.
#include <span>
#include <string>

#include "l1emu/emu/fixed/big_int.h"
#include "l1emu/emu/fixed/fixed_type.h"

namespace l1emu::emu {

enum class CodeFormat { Raw, Decimal };

/// Appends `code` to `line` in the given format (no separator).
void append_code(std::string& line, const BigInt& code, const FixedType& type, CodeFormat format);

/// Parses "raw" or "decimal"; throws std::invalid_argument otherwise.
[[nodiscard]] CodeFormat parse_code_format(const std::string& text);

}  // namespace l1emu::emu
