// The compiled kernels of the table activations, PReLU, ThresholdedReLU, HardSigmoid/HardTanh and
// Softmax are bit-identical to the reference layers: random models (random input, table and result
// types in every quantization and overflow mode, random table sizes, inputs over the whole code
// range, so beyond every table's range) compared array by array under every vector ISA.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <random>
#include <string>

#include "l1emu/emu/compiled/compiled_model.h"
#include "l1emu/emu/compiled/vector_isa.h"
#include "l1emu/emu/fixed/conversion.h"
#include "l1emu/emu/nn/layers/parametric_activations.h"
#include "l1emu/emu/nn/layers/softmax.h"
#include "l1emu/emu/nn/layers/table_activations.h"
#include "l1emu/emu/nn/reference_evaluator.h"
#include "compiled_compare.h"
#include "random_model.h"

namespace l1emu::emu {
namespace {

// Mismatching values between the compiled plan and the reference over every array of every event.
std::size_t mismatches(const Model& model, const std::vector<std::vector<std::int64_t>>& events, const std::string& label) {
  return testing::compiled_mismatches(model, events, label);
}

class TableModels {
 public:
  explicit TableModels(std::uint64_t seed, int max_width = 20) : f_(seed, max_width), max_width_(max_width), rng_(seed) {}

  // Input types whose values reach beyond +-16 and below the LSBs the index rules divide by.
  FixedType input_type() {
    FixedType x = f_.type(3);
    x.width = f_.uniform(3, max_width_ + 2);
    x.integer_bits = f_.uniform(-2, std::min(x.width + 2, 9));
    return x;
  }
  // Result and table types: every mode, narrow and wide.
  FixedType any_type() {
    FixedType r = f_.type(2);
    r.integer_bits = f_.uniform(-1, std::min(r.width, 8));
    return r;
  }
  long table_size() {
    const int k = f_.uniform(0, 9);
    if (k == 0) return f_.uniform(2, 1500);  // not a power of two: the same formulas
    return 1L << f_.uniform(1, 12);
  }

  std::unique_ptr<Layer> layer(int kind, const std::string& name, const ArraySpec& in) {
    switch (kind) {
      case 0: {
        TableActivation::Config c;
        c.function = static_cast<TableFunction>(f_.uniform(0, 5));
        c.table_size = table_size();
        c.table_t = any_type();
        c.result_t = any_type();
        c.alpha = std::uniform_real_distribution<double>(-2.0, 2.0)(rng_);
        c.param_t = any_type();
        return std::make_unique<TableActivation>(name, in, c);
      }
      case 1: {
        PReLU::Config c;
        c.param_t = any_type();
        c.result_t = any_type();
        c.alpha = f_.codes(c.param_t, in.size);
        return std::make_unique<PReLU>(name, in, std::move(c));
      }
      case 2: {
        ThresholdedReLU::Config c;
        c.theta = std::uniform_real_distribution<double>(-3.0, 3.0)(rng_);
        c.param_t = any_type();
        c.result_t = any_type();
        return std::make_unique<ThresholdedReLU>(name, in, c);
      }
      case 3: {
        HardActivation::Config c;
        c.kind = f_.uniform(0, 1) != 0 ? HardActivation::Kind::Tanh : HardActivation::Kind::Sigmoid;
        c.slope = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
        c.shift = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
        c.slope_t = FixedType{f_.uniform(2, 16), 0, false, Quantization::Trn, Overflow::Wrap, 0};
        c.shift_t = FixedType{f_.uniform(2, 8), 0, false, Quantization::Trn, Overflow::Wrap, 0};
        c.result_t = any_type();
        return std::make_unique<HardActivation>(name, in, c);
      }
      default: {
        Softmax::Config c;
        c.implementation = static_cast<SoftmaxImplementation>(f_.uniform(0, 3));
        c.n_in = c.n_slice = static_cast<long>(in.size);
        c.exp_scale = f_.uniform(0, 2) == 0 ? 0.5 + f_.uniform(0, 8) * 0.25 : 1.0;
        c.exp_table_t = any_type();
        c.inv_table_t = any_type();
        c.accum_t = any_type();
        c.inv_inp_t = any_type();
        c.inp_norm_t = any_type();
        c.inp_norm_t.is_signed = f_.uniform(0, 3) == 0;
        c.table_t = any_type();
        c.has_table_t = true;
        c.result_t = any_type();
        // Power-of-two tables addressed by at most the addressing type's bits.
        const FixedType& index_t = c.implementation == SoftmaxImplementation::Stable ? c.inp_norm_t : in.type;
        c.exp_table_size = 1L << f_.uniform(1, std::min(index_t.width, 11));
        c.inv_table_size = 1L << f_.uniform(1, std::min(c.inv_inp_t.width, 11));
        if (c.implementation == SoftmaxImplementation::Legacy) {
          c.exp_table_size = table_size();
          c.inv_table_size = table_size();
        }
        if ((c.implementation == SoftmaxImplementation::Stable || c.implementation == SoftmaxImplementation::Latency) && f_.uniform(0, 1) == 1) {
          // hls4ml before 1.2: one table size; tables addressed by the input and exp_table_t types.
          c.tables = SoftmaxTables::Shared;
          c.exp_scale = 1.0;
          c.accum_t = c.inv_inp_t = c.inp_norm_t = c.exp_table_t;
          c.exp_table_size = c.inv_table_size = 1L << f_.uniform(1, std::min({in.type.width, c.exp_table_t.width, 11}));
        }
        return std::make_unique<Softmax>(name, in, c);
      }
    }
  }

  std::vector<std::vector<std::int64_t>> events(const ArraySpec& in, int count) {
    std::vector<std::vector<std::int64_t>> out;
    for (int e = 0; e < count; ++e) {
      std::vector<std::int64_t> codes;
      for (std::size_t i = 0; i < in.size; ++i) codes.push_back(f_.random_code(in.type).convert_to<std::int64_t>());
      out.push_back(std::move(codes));
    }
    return out;
  }

  testing::RandomModelFactory& factory() { return f_; }

 private:
  testing::RandomModelFactory f_;
  int max_width_;
  std::mt19937_64 rng_;
};

class CompiledTablesUnderIsa : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { restrict_vector_isa(GetParam()); }
  void TearDown() override { restrict_vector_isa(""); }
};

TEST_P(CompiledTablesUnderIsa, RandomLayersMatchTheReference) {
  const char* kinds[] = {"table", "prelu", "thresholded", "hard", "softmax"};
  std::map<std::string, int> compiled, fallback;
  int narrow = 0;
  for (int m = 0; m < 250; ++m) {
    TableModels gen(0x7AB1E + static_cast<std::uint64_t>(m), m % 3 == 0 ? 44 : 20);  // a third with types beyond 32 bits
    const ArraySpec in{"x", static_cast<std::size_t>(gen.factory().uniform(1, 12)), gen.input_type(), {}};
    Model model("tables", Flavor::Head, {in});
    const int kind = m % 5;
    std::unique_ptr<Layer> layer;
    try {
      layer = gen.layer(kind, "y", in);
    } catch (const std::exception&) {
      continue;  // a configuration the layer refuses (none expected here, but not the point)
    }
    model.add_layer(std::move(layer));
    model.set_outputs({"y"});
    if (!CompiledModel::supports(model)) continue;
    ASSERT_EQ(mismatches(model, gen.events(in, 90), std::string(kinds[kind]) + " model " + std::to_string(m) + " under " + GetParam()), 0U)
        << CompiledModel(model).describe().back();
    const std::string line = CompiledModel(model).describe().back();
    (line.find("reference") != std::string::npos ? fallback : compiled)[kinds[kind]]++;
    if (line.find("int32") != std::string::npos) ++narrow;
  }
  std::printf("  %d layers on int32 lanes, the others on int64\n", narrow);
  EXPECT_GT(narrow, 50);
  EXPECT_LT(narrow, 225);
  for (const char* k : kinds) {
    std::printf("  %s: %d compiled, %d on the reference fallback\n", k, compiled[k], fallback[k]);
    EXPECT_GT(compiled[k], 25) << k;
  }
}

// Every code of narrow input types, so that every table entry the input can reach is read (a wrong
// entry or a wrong index at any boundary shows), tables of every function and of random sizes.
TEST(CompiledTables, EveryInputCodeOfNarrowInputs) {
  int entries_seen = 0;
  for (int m = 0; m < 36; ++m) {
    TableModels gen(0xE7E4 + static_cast<std::uint64_t>(m));
    FixedType x_t = gen.input_type();
    x_t.width = gen.factory().uniform(4, 13);
    x_t.integer_bits = gen.factory().uniform(-1, std::min(x_t.width + 2, 7));
    const ArraySpec in{"x", 1, x_t, {}};
    Model model("sweep", Flavor::Head, {in});
    std::unique_ptr<Layer> layer = gen.layer(0, "y", in);
    const auto& table = dynamic_cast<const TableActivation&>(*layer);
    std::vector<bool> seen(table.table().size());
    std::vector<std::vector<std::int64_t>> events;
    for (BigInt c = x_t.min_code(); c <= x_t.max_code(); ++c) {
      events.push_back({c.convert_to<std::int64_t>()});
      if (!table.has_linear_branch() || c < 0) seen[static_cast<std::size_t>(table.index(c))] = true;
    }
    entries_seen += static_cast<int>(std::count(seen.begin(), seen.end(), true));
    model.add_layer(std::move(layer));
    model.set_outputs({"y"});
    ASSERT_EQ(mismatches(model, events, "sweep model " + std::to_string(m)), 0U) << CompiledModel(model).describe().back();
  }
  std::printf("  %d table entries read by the sweeps\n", entries_seen);
  EXPECT_GT(entries_seen, 3000);
}

INSTANTIATE_TEST_SUITE_P(Isa, CompiledTablesUnderIsa, ::testing::ValuesIn(available_vector_isas()),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace l1emu::emu
