// The hls4ml importer's C++ reading (emu/io/cpp_source, cpp_declarations): tokenizer, preprocessor
// lines, declarations, and the type and integer evaluation the importer asks of every alias and
// config constant.
#include "fuzz_support.h"
#include "l1emu/emu/io/cpp_declarations.h"
#include "l1emu/emu/io/cpp_source.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace l1emu::emu;
  l1emu::fuzz::expect_clean([&] {
    const CppSource source = CppSource::parse(l1emu::fuzz::as_text(data, size), "fuzz/parameters.h");
    CppDeclarations declarations;
    declarations.add(source);
    for (const auto& alias : declarations.type_aliases()) {
      const TokenSpan& span = alias.second;
      l1emu::fuzz::expect_clean([&] { (void)declarations.resolve_packed_type(span.tokens, span.where()); });
    }
    for (const auto& config : declarations.structs()) {
      for (const auto& value : config.second.values) {
        const TokenSpan& span = value.second;
        l1emu::fuzz::expect_clean([&] { (void)declarations.evaluate_integer(span); });
      }
    }
  });
  return 0;
}
