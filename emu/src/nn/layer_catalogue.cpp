// Every layer class a model file may name. Adding a class: one source file under nn/layers/ and
// one line here (a header beside it only when other code needs the class's type: the compiled
// engine's kernels, the timing estimate).
#include "l1emu/emu/nn/layer_catalogue.h"

#include "l1emu/emu/nn/layers/activations.h"
#include "l1emu/emu/nn/layers/axol1tl_layers.h"
#include "l1emu/emu/nn/layers/batch_normalization.h"
#include "l1emu/emu/nn/layers/bit_shift.h"
#include "l1emu/emu/nn/layers/double_scale.h"
#include "l1emu/emu/nn/layers/embedding.h"
#include "l1emu/emu/nn/layers/convolution.h"
#include "l1emu/emu/nn/layers/custom_mse.h"
#include "l1emu/emu/nn/layers/dense.h"
#include "l1emu/emu/nn/layers/fixed_point_quantizer.h"
#include "l1emu/emu/nn/layers/kl_loss.h"
#include "l1emu/emu/nn/layers/merge.h"
#include "l1emu/emu/nn/layers/pack.h"
#include "l1emu/emu/nn/layers/pooling.h"
#include "l1emu/emu/nn/layers/reshape.h"
#include "l1emu/emu/nn/layers/resizing.h"
#include "l1emu/emu/nn/layers/parametric_activations.h"
#include "l1emu/emu/nn/layers/softmax.h"
#include "l1emu/emu/nn/layers/table_activations.h"
#include "l1emu/emu/nn/layers/transpose.h"

namespace l1emu::emu {

// The parse function of a class that lives in its source file alone (defined there, at namespace
// scope), declared where the catalogue takes its address; a captureless lambda converts to a
// LayerParser.
#define L1EMU_SOURCE_ONLY_LAYER(parse_function)                  \
  [](LayerBuildContext& context) -> std::unique_ptr<Layer> {     \
    std::unique_ptr<Layer> parse_function(LayerBuildContext&);   \
    return parse_function(context);                              \
  }

const std::map<std::string, LayerParser>& layer_catalogue() {
  static const std::map<std::string, LayerParser> catalogue{
      {"Dense", &Dense::parse},
      {"BatchNormalization", &BatchNormalization::parse},
      {"ReLU", &ReLU::parse},
      {"Linear", &Linear::parse},
      {"LeakyReLU", &LeakyReLU::parse},
      {"KLLoss", &KLLoss::parse},
      {"InputScale", &InputScale::parse},
      {"DoubleScale", &DoubleScale::parse},
      {"SumSquares", &SumSquares::parse},
      {"Add", &ElementwiseMerge::parse<MergeOp::Add>},
      {"Subtract", &ElementwiseMerge::parse<MergeOp::Subtract>},
      {"Multiply", &ElementwiseMerge::parse<MergeOp::Multiply>},
      {"Average", &ElementwiseMerge::parse<MergeOp::Average>},
      {"Maximum", &ElementwiseMerge::parse<MergeOp::Maximum>},
      {"Minimum", &ElementwiseMerge::parse<MergeOp::Minimum>},
      {"Dot", &Dot::parse},
      {"Concatenate", &Concatenate::parse},
      {"Conv2D", &Conv2D::parse},
      {"Conv1D", &Conv1D::parse},
      {"MaxPooling2D", &Pooling::parse<PoolingOp::Max, 2, false>},
      {"MaxPooling1D", &Pooling::parse<PoolingOp::Max, 1, false>},
      {"AveragePooling2D", &Pooling::parse<PoolingOp::Average, 2, false>},
      {"AveragePooling1D", &Pooling::parse<PoolingOp::Average, 1, false>},
      {"GlobalMaxPooling2D", &Pooling::parse<PoolingOp::Max, 2, true>},
      {"GlobalMaxPooling1D", &Pooling::parse<PoolingOp::Max, 1, true>},
      {"GlobalAveragePooling2D", &Pooling::parse<PoolingOp::Average, 2, true>},
      {"GlobalAveragePooling1D", &Pooling::parse<PoolingOp::Average, 1, true>},
      {"ZeroPadding2D", &ZeroPadding::parse<2>},
      {"ZeroPadding1D", &ZeroPadding::parse<1>},
      {"Cropping2D", &Cropping::parse<2>},
      {"Cropping1D", &Cropping::parse<1>},
      {"UpSampling2D", &UpSampling::parse<2>},
      {"UpSampling1D", &UpSampling::parse<1>},
      {"Flatten", &Reshape::parse<true>},
      {"Reshape", &Reshape::parse<false>},
      {"Transpose", &Transpose::parse},
      {"CustomMSE", &CustomMSE::parse},
      {"Embedding", &Embedding::parse},
      {"Sigmoid", &TableActivation::parse<TableFunction::Sigmoid>},
      {"TanH", &TableActivation::parse<TableFunction::TanH>},
      {"Softplus", &TableActivation::parse<TableFunction::Softplus>},
      {"Softsign", &TableActivation::parse<TableFunction::Softsign>},
      {"ELU", &TableActivation::parse<TableFunction::ELU>},
      {"SELU", &TableActivation::parse<TableFunction::SELU>},
      {"PReLU", &PReLU::parse},
      {"ThresholdedReLU", &ThresholdedReLU::parse},
      {"HardSigmoid", &HardActivation::parse_sigmoid},
      {"HardTanh", &HardActivation::parse_tanh},
      {"Softmax", &Softmax::parse},
      {"FixedPointQuantizer", &FixedPointQuantizer::parse},
      {"BitShift", &BitShift::parse},
      {"Pack", &Pack::parse},
      {"DepthwiseConv2D", L1EMU_SOURCE_ONLY_LAYER(parse_depthwise_conv2d)},
      {"DepthwiseConv1D", L1EMU_SOURCE_ONLY_LAYER(parse_depthwise_conv1d)},
  };
  return catalogue;
}

std::string known_layer_classes() {
  std::string out;
  for (const auto& [name, parser] : layer_catalogue()) out += (out.empty() ? "" : ", ") + name;
  return out;
}

void LayerBuildContext::require_inputs(std::size_t n) const {
  if (inputs.size() != n) {
    params.fail(n == 1 ? "input" : "inputs", "expected " + std::to_string(n) + " input array(s), found " + std::to_string(inputs.size()));
  }
}

void LayerBuildContext::require_equal_sizes() const {
  for (const auto& in : inputs) {
    if (in.size != inputs[0].size) {
      params.fail("inputs", "arrays must have equal sizes: '" + inputs[0].name + "' has " + std::to_string(inputs[0].size) + ", '" +
                                in.name + "' has " + std::to_string(in.size));
    }
  }
}

}  // namespace l1emu::emu
