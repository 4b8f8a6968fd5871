// CppSource and CppDeclarations: the C++ reading the importers rely on.
#include <gtest/gtest.h>

#include "l1emu/emu/error.h"
#include "l1emu/emu/io/cpp_declarations.h"
#include "l1emu/emu/io/cpp_source.h"

namespace l1emu::emu {
namespace {

std::string texts(const CppSource& s) {
  std::string out;
  for (const auto& t : s.tokens()) out += (out.empty() ? "" : " ") + t.text;
  return out;
}

TEST(CppSourceTest, StripsCommentsPragmasAndNeverCompiledBlocks) {
  const CppSource s = CppSource::parse(
      "int a; // tail comment\n"
      "/* block\n comment */ int b;\n"
      "#pragma HLS PIPELINE\n"
      "#if 0\nint never;\n#else\nint c;\n#endif\n"
      "#ifdef MAYBE\nint d;\n#endif\n"
      "#define N_IN 5 // five\n"
      "#define MAX(a, b) ((a) > (b) ? (a) : (b))\n"
      "x = 1.5e-3 + 0x1F + .5f + 3.;\n",
      "t.h");
  EXPECT_EQ(texts(s), "int a ; int b ; int c ; int d ; x = 1.5e-3 + 0x1F + .5f + 3. ;");
  EXPECT_EQ(s.trailing_comment(1), "tail comment");
  EXPECT_EQ(s.tokens()[3].line, 3U);  // b, after a two-line comment
  ASSERT_TRUE(s.defines().contains("N_IN"));
  EXPECT_EQ(s.defines().at("N_IN").at(0).text, "5");
  EXPECT_FALSE(s.defines().contains("MAX"));  // function-like macros are not values
}

TEST(CppSourceTest, LineContinuationsKeepLineNumbers) {
  const CppSource s = CppSource::parse("#define LONG \\\n  42\nint z;\n", "t.h");
  EXPECT_EQ(s.defines().at("LONG").at(0).text, "42");
  ASSERT_EQ(s.tokens().size(), 3U);
  EXPECT_EQ(s.tokens()[0].line, 3U);
  EXPECT_EQ(s.location(3), "t.h:3");
}

TEST(CppSourceTest, UnterminatedConstructsAreErrors) {
  EXPECT_THROW((void)CppSource::parse("/* open", "t.h"), ModelError);
  EXPECT_THROW((void)CppSource::parse("#ifdef X\nint a;\n", "t.h"), ModelError);
  EXPECT_THROW((void)CppSource::parse("#endif\n", "t.h"), ModelError);
  EXPECT_THROW((void)CppSource::parse("const char* s = \"open;\n", "t.h"), ModelError);
  try {
    (void)CppSource::parse("int a;\n#if FOO\nint b;\n", "defs.h");
  } catch (const ModelError& e) {
    EXPECT_STREQ(e.what(), "defs.h:2: #if/#ifdef/#ifndef without #endif");
  }
}

// Brackets pair up as a compiler pairs them; a stray one is refused where it stands.
TEST(CppSourceTest, UnbalancedBracketsAreErrors) {
  const auto error = [](const std::string& text) {
    try {
      (void)CppSource::parse(text, "p.cpp");
    } catch (const ModelError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(error("void f(int a) {\n  g(a);\n}\n}\n"), "p.cpp:4: '}' closes nothing (a stray bracket; this would not compile)");
  EXPECT_EQ(error("void f(\n  int a[4]},\n  int b[2]\n) {}\n"),
            "p.cpp:2: '}' where the '(' opened at line 1 must be closed first (this would not compile)");
  EXPECT_EQ(error("void f() {\n  g(a[1);\n}\n"), "p.cpp:2: ')' where the '[' opened at line 2 must be closed first (this would not compile)");
  EXPECT_EQ(error("void f() {\n  g();\n"), "p.cpp:1: '{' is never closed");
  // Balanced in each #if branch, as hls4ml writes its weight headers: accepted.
  EXPECT_EQ(error("#ifndef __SYNTHESIS__\nint w[2];\n#else\nint w[2] = {1, 2};\n#endif\n"), "");
}

TEST(CppDeclarationsTest, TypesConstantsStructsArraysAndFunctions) {
  const CppSource s = CppSource::parse(
      "namespace ns {\n"
      "static const int N_A = 4;\n"
      "constexpr unsigned N_B = (N_A * 3) / 2 - 1;\n"
      "typedef ap_fixed< 16 , N_A, AP_RND_CONV , AP_SAT > t1;\n"
      "using t2 = ns::t1;\n"
      "typedef ap_uint<3> idx_t;\n"
      "struct cfg : nnet::dense_config { static const unsigned n_in = N_A, n_out = 2; typedef t2 weight_t;\n"
      "  template<class x_T, class y_T> using product = nnet::product::mult<x_T, y_T>; };\n"
      "const t1 w[N_A][2] = {{1, -2.5e0}, {3, 4}, {5, 6}, {7, 8,},};\n"
      "extern t1 v[N_B];\n"
      "void top(t1 in[N_A], t2 out[2]) { nnet::relu<t1, t2, cfg>(in, out); }\n"
      "}\n",
      "d.h");
  CppDeclarations d;
  d.add(s);
  EXPECT_EQ(d.evaluate_integer({SourceToken{SourceToken::Kind::Identifier, "N_B", 1}}, "x"), 5);
  EXPECT_EQ(d.resolve_type(d.type_aliases().at("t2")).to_string(), "ap_fixed<16,4,AP_RND_CONV,AP_SAT>");
  EXPECT_EQ(d.resolve_type(d.type_aliases().at("idx_t")).to_string(), "ap_uint<3>");
  const ConfigStruct& cfg = d.structs().at("cfg");
  EXPECT_EQ(d.evaluate_integer(cfg.values.at("n_in")), 4);
  EXPECT_EQ(d.evaluate_integer(cfg.values.at("n_out")), 2);
  EXPECT_EQ(cfg.types.at("weight_t").text(), "t2");
  EXPECT_FALSE(cfg.types.contains("product"));
  const ArrayDeclaration& w = d.arrays().at("w");
  EXPECT_EQ(w.type.text(), "t1");
  EXPECT_EQ(w.dimensions.size(), 2U);
  ASSERT_TRUE(w.initializer.has_value());
  EXPECT_FALSE(d.arrays().at("v").initializer.has_value());
  ASSERT_EQ(d.functions().size(), 1U);
  EXPECT_EQ(d.functions()[0].name, "top");
  EXPECT_EQ(d.functions()[0].line, 11U);
}

TEST(CppDeclarationsTest, ErrorsNameTheirPlace) {
  const CppSource s = CppSource::parse("typedef ap_fixed<8,3> a_t;\ntypedef float f_t;\ntypedef ap_fixed<8,3> a_t;\n", "d.h");
  CppDeclarations d;
  d.add(s);  // the same definition twice is fine
  try {
    (void)d.resolve_type({SourceToken{SourceToken::Kind::Identifier, "nope_t", 4}}, "top.cpp:4");
    FAIL();
  } catch (const ModelError& e) {
    EXPECT_STREQ(e.what(), "top.cpp:4: unknown type 'nope_t' (no typedef or using declares it)");
  }
  try {
    (void)d.resolve_type(d.type_aliases().at("f_t"));
    FAIL();
  } catch (const ModelError& e) {
    EXPECT_NE(std::string(e.what()).find("d.h:2: unsupported type 'float'"), std::string::npos) << e.what();
  }
  const CppSource conflicting = CppSource::parse("typedef ap_fixed<9,3> a_t;\n", "e.h");
  try {
    d.add(conflicting);
    FAIL();
  } catch (const ModelError& e) {
    EXPECT_NE(std::string(e.what()).find("e.h:1: conflicting definitions of type 'a_t'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("d.h:1"), std::string::npos) << e.what();
  }
}

// hls4ml defines each convolution's `pixels` out of its class: one array per config, not a conflict.
TEST(CppDeclarationsTest, OutOfClassStaticMembersKeepTheirClass) {
  const CppSource s = CppSource::parse(
      "const ap_uint<9> config2::pixels[] = {1, 3, 7};\n"
      "const ap_uint<9> config5::pixels[] = {0, 2};\n",
      "p.h");
  CppDeclarations d;
  d.add(s);
  ASSERT_TRUE(d.arrays().contains("config2::pixels"));
  ASSERT_TRUE(d.arrays().contains("config5::pixels"));
  EXPECT_FALSE(d.arrays().contains("pixels"));
}

// Each token knows the innermost #ifdef / #ifndef it sits in, and which branch.
TEST(CppSourceTest, TokensCarryTheirIfdefGuard) {
  const CppSource s = CppSource::parse(
      "int a;\n"
      "#ifdef LOAD_WEIGHTS_FROM_TXT\n"
      "int b;\n"
      "#else\n"
      "int c;\n"
      "#endif\n"
      "#ifndef __SYNTHESIS__\n"
      "int d;\n"
      "#if X > 1\n"
      "int e;\n"
      "#endif\n"
      "#endif\n",
      "g.h");
  const auto guard_of = [&](const std::string& name) -> std::string {
    for (const auto& t : s.tokens()) {
      if (t.text != name) continue;
      const SourceGuard* g = s.guard(t);
      return g == nullptr ? "none" : std::string(g->when_defined ? "defined " : "undefined ") + g->macro;
    }
    return "missing";
  };
  EXPECT_EQ(guard_of("a"), "none");
  EXPECT_EQ(guard_of("b"), "defined LOAD_WEIGHTS_FROM_TXT");
  EXPECT_EQ(guard_of("c"), "undefined LOAD_WEIGHTS_FROM_TXT");
  EXPECT_EQ(guard_of("d"), "undefined __SYNTHESIS__");
  EXPECT_EQ(guard_of("e"), "none");  // an #if expression is not a simple guard
}

}  // namespace
}  // namespace l1emu::emu
