#include "l1emu/emu/nn/layers/merge.h"

#include "l1emu/emu/error.h"
#include "l1emu/emu/fixed/conversion.h"
#include "l1emu/emu/nn/layer_catalogue.h"

namespace l1emu::emu {

ElementwiseMerge::ElementwiseMerge(std::string name, MergeOp op, std::vector<ArraySpec> inputs, FixedType result_t)
    : Layer(std::move(name), inputs, result_t, inputs.at(0).size), op_(op) {
  if (inputs.size() != 2 || inputs[1].size != inputs[0].size) {
    throw ModelError("layer '" + this->name() + "': " + std::string(class_name()) + " needs two arrays of equal size");
  }
}

std::string_view ElementwiseMerge::class_name() const {
  switch (op_) {
    case MergeOp::Add: return "Add";
    case MergeOp::Subtract: return "Subtract";
    case MergeOp::Multiply: return "Multiply";
    case MergeOp::Average: return "Average";
    case MergeOp::Maximum: return "Maximum";
    case MergeOp::Minimum: return "Minimum";
  }
  return "Merge";
}

template <MergeOp Op>
std::unique_ptr<Layer> ElementwiseMerge::parse(LayerBuildContext& c) {
  c.require_inputs(2);
  c.require_equal_sizes();
  return std::make_unique<ElementwiseMerge>(c.name, Op, c.inputs, c.params.type("result_t"));
}

template std::unique_ptr<Layer> ElementwiseMerge::parse<MergeOp::Add>(LayerBuildContext&);
template std::unique_ptr<Layer> ElementwiseMerge::parse<MergeOp::Subtract>(LayerBuildContext&);
template std::unique_ptr<Layer> ElementwiseMerge::parse<MergeOp::Multiply>(LayerBuildContext&);
template std::unique_ptr<Layer> ElementwiseMerge::parse<MergeOp::Average>(LayerBuildContext&);
template std::unique_ptr<Layer> ElementwiseMerge::parse<MergeOp::Maximum>(LayerBuildContext&);
template std::unique_ptr<Layer> ElementwiseMerge::parse<MergeOp::Minimum>(LayerBuildContext&);

void ElementwiseMerge::write_params(LayerParamWriter& /*out*/) const {}

std::vector<BigInt> ElementwiseMerge::evaluate(std::span<const FixedArray* const> inputs) const {
  const FixedArray& a = *inputs[0];
  const FixedArray& b = *inputs[1];
  const FixedType& res = result_type();
  std::vector<BigInt> y(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    const ExactValue va = a.value(i), vb = b.value(i);
    switch (op_) {
      case MergeOp::Add: y[i] = convert(add(va, vb), res); break;            // res[i] = data1[i] + data2[i]
      case MergeOp::Subtract: y[i] = convert(subtract(va, vb), res); break;  // res[i] = data1[i] - data2[i]
      case MergeOp::Multiply: y[i] = convert(multiply(va, vb), res); break;  // res[i] = data1[i] * data2[i]
      case MergeOp::Average: {
        // res[i] = (data1[i] + data2[i]) * (ap_ufixed<1,0>)0.5: exact halving, one conversion.
        ExactValue sum = add(va, vb);
        sum.fractional_bits += 1;
        y[i] = convert(sum, res);
        break;
      }
      // res[i] = (data1[i] > data2[i]) ? data1[i] : data2[i]; the chosen operand is assigned.
      case MergeOp::Maximum: y[i] = convert(compare(va, vb) > 0 ? va : vb, res); break;
      case MergeOp::Minimum: y[i] = convert(compare(va, vb) < 0 ? va : vb, res); break;
    }
  }
  return y;
}

Dot::Dot(std::string name, std::vector<ArraySpec> inputs, FixedType accum_t, FixedType result_t)
    : Layer(std::move(name), std::move(inputs), result_t, 1), accum_t_(accum_t) {}

std::unique_ptr<Layer> Dot::parse(LayerBuildContext& c) {
  c.require_inputs(2);
  c.require_equal_sizes();
  return std::make_unique<Dot>(c.name, c.inputs, c.params.type("accum_t"), c.params.type("result_t"));
}

void Dot::write_params(LayerParamWriter& out) const { out.type("accum_t", accum_t_); }

std::vector<BigInt> Dot::evaluate(std::span<const FixedArray* const> inputs) const {
  const FixedArray& a = *inputs[0];
  const FixedArray& b = *inputs[1];
  BigInt acc = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const BigInt mult = convert(multiply(a.value(i), b.value(i)), accum_t_);
    acc = convert(add(ExactValue::of(acc, accum_t_), ExactValue::of(mult, accum_t_)), accum_t_);
  }
  return {convert(ExactValue::of(acc, accum_t_), result_type())};
}

namespace {

// Where each output element comes from (shared/golden/hls4ml2/README.md, "Concatenate"): the
// innermost axis interleaves rows (rank 2) or channel vectors (rank 3); axis -2/2 of rank 3
// interleaves per row h the W*C blocks; every other axis puts a before b.
std::vector<std::pair<int, std::size_t>> concat_sources(const std::vector<std::size_t>& da, const std::vector<std::size_t>& db,
                                                        int axis, int rank) {
  std::size_t na = 1, nb = 1;
  for (std::size_t d : da) na *= d;
  for (std::size_t d : db) nb *= d;
  std::vector<std::pair<int, std::size_t>> out;
  std::size_t blocks = 1, block_a = na, block_b = nb;
  if ((rank == 2 && (axis == -1 || axis == 2)) || (rank == 3 && (axis == -1 || axis == 3))) {
    blocks = na / da.back();  // rows (rank 2) or pixels (rank 3)
    block_a = da.back();
    block_b = db.back();
  } else if (rank == 3 && (axis == -2 || axis == 2)) {
    blocks = da[0];
    block_a = da[1] * da[2];
    block_b = db[1] * db[2];
  }
  for (std::size_t k = 0; k < blocks; ++k) {
    for (std::size_t i = 0; i < block_a; ++i) out.emplace_back(0, k * block_a + i);
    for (std::size_t i = 0; i < block_b; ++i) out.emplace_back(1, k * block_b + i);
  }
  return out;
}

}  // namespace

Concatenate::Concatenate(std::string name, std::vector<ArraySpec> inputs, int axis, int rank, FixedType result_t)
    : Layer(std::move(name), inputs, result_t, inputs.at(0).size + inputs.at(1).size), axis_(axis), rank_(rank) {
  const auto da = inputs[0].dims(), db = inputs[1].dims();
  if (rank < 1 || rank > 3 || da.size() != static_cast<std::size_t>(rank) || db.size() != static_cast<std::size_t>(rank)) {
    throw ModelError("layer '" + this->name() + "': Concatenate of rank " + std::to_string(rank) + " needs two inputs of that rank (shapes " +
                     std::to_string(da.size()) + "-D and " + std::to_string(db.size()) + "-D)");
  }
  // The other axes must agree where blocks interleave.
  for (int d = 0; d + 1 < rank; ++d) {
    const bool inner = (axis == -1 || axis == rank);
    const bool row_axis = rank == 3 && (axis == -2 || axis == 2);
    if ((inner || (row_axis && d == 0)) && da[static_cast<std::size_t>(d)] != db[static_cast<std::size_t>(d)]) {
      throw ModelError("layer '" + this->name() + "': Concatenate on axis " + std::to_string(axis) + " needs equal sizes on the other axes");
    }
  }
  sources_ = concat_sources(da, db, axis, rank);
  std::vector<std::size_t> shape = da;
  if (axis == -1 || axis == rank) {
    shape.back() += db.back();
  } else if (rank == 3 && (axis == -2 || axis == 2)) {
    shape = {da[0], (da[1] * da[2] + db[1] * db[2]) / da[2], da[2]};
    if ((da[1] * da[2] + db[1] * db[2]) % da[2] != 0) shape = {da[0], da[1] * da[2] + db[1] * db[2]};
  } else {
    shape = {output_size()};
  }
  set_shape(shape);
}

std::unique_ptr<Layer> Concatenate::parse(LayerBuildContext& c) {
  c.require_inputs(2);
  auto& f = c.params;
  const int rank = static_cast<int>(f.integer_or("rank", static_cast<long>(c.inputs[0].dims().size())));
  const int axis = static_cast<int>(f.integer_in("axis", -3, 3));
  const FixedType result_t = f.type("result_t");
  std::unique_ptr<Layer> layer;
  try {
    layer = std::make_unique<Concatenate>(c.name, c.inputs, axis, rank, result_t);
  } catch (const ModelError& e) {
    f.fail("axis", e.what());
  }
  return layer;
}

void Concatenate::write_params(LayerParamWriter& out) const {
  out.integer("axis", axis_);
  out.integer("rank", rank_);
}

std::vector<BigInt> Concatenate::evaluate(std::span<const FixedArray* const> inputs) const {
  std::vector<BigInt> y;
  y.reserve(sources_.size());
  // res[k] = data1[i] or data2[i]: each assignment converts to res_T.
  for (const auto& [which, i] : sources_) y.push_back(convert(inputs[static_cast<std::size_t>(which)]->value(i), result_type()));
  return y;
}

}  // namespace l1emu::emu
