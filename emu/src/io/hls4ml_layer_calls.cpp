#include "hls4ml_layer_calls.h"

namespace l1emu::emu::detail {

const std::map<std::string, CatalogueCall>& catalogue_calls() {
  // Argument orders and config members as hls4ml's vivado nnet_utils declare them (nnet_conv2d.h,
  // nnet_conv1d.h, nnet_pooling.h, nnet_padding.h, nnet_image.h, nnet_activation.h, nnet_merge.h).
  static const std::map<std::string, CatalogueCall> calls = [] {
    std::map<std::string, CatalogueCall> m;
    const CatalogueCall conv2d{{0}, 1, "Conv2D", "", {}, {{"weight", 2}, {"bias", 3}}, {}, {}, {}};
    const CatalogueCall conv1d{{0}, 1, "Conv1D", "", {}, {{"weight", 2}, {"bias", 3}}, {}, {}, {}};
    m["conv_2d_cl"] = conv2d;
    m["pointwise_conv_2d_cl"] = conv2d;
    m["conv_1d_cl"] = conv1d;
    // hls4ml 0.2-0.4 called the kernel from the top function (legacy_nnet_calls.h), with
    // conv1d_config's earlier names for the widths and the stride, and no strategy.
    m["conv_1d_latency_cl"] = {{0}, 1, "Conv1D", "", {}, {{"weight", 2}, {"bias", 3}},
                               {{"in_width", "n_in"}, {"out_width", "n_out"}, {"stride_width", "stride"}}, {{"strategy", "latency"}}, {}};
    m["pointwise_conv_1d_cl"] = conv1d;
    // nnet_sepconv2d.h / nnet_sepconv1d.h (hls4ml >= 1.0): (data, res, weights, biases).
    m["depthwise_conv_2d_cl"] = {{0}, 1, "DepthwiseConv2D", "", {}, {{"weight", 2}, {"bias", 3}}, {}, {}, {}};
    m["depthwise_conv_1d_cl"] = {{0}, 1, "DepthwiseConv1D", "", {}, {{"weight", 2}, {"bias", 3}}, {}, {}, {}};
    // pooling1d_config calls the widths n_in and n_out.
    const std::map<std::string, std::string> width_1d{{"in_width", "n_in"}, {"out_width", "n_out"}};
    m["pooling2d_cl"] = {{0}, 1, "", "pool_op", {{"Max", "MaxPooling2D"}, {"Average", "AveragePooling2D"}}, {}, {}, {}, {}};
    m["pooling1d_cl"] = {{0}, 1, "", "pool_op", {{"Max", "MaxPooling1D"}, {"Average", "AveragePooling1D"}}, {}, width_1d, {}, {}};
    m["global_pooling2d_cl"] = {{0}, 1, "", "pool_op", {{"Max", "GlobalMaxPooling2D"}, {"Average", "GlobalAveragePooling2D"}}, {}, {}, {}, {}};
    m["global_pooling1d_cl"] = {{0}, 1, "", "pool_op", {{"Max", "GlobalMaxPooling1D"}, {"Average", "GlobalAveragePooling1D"}}, {}, width_1d, {}, {}};
    m["zeropad2d_cl"] = {{0}, 1, "ZeroPadding2D", "", {}, {}, {}, {}, {}};
    m["zeropad1d_cl"] = {{0}, 1, "ZeroPadding1D", "", {}, {}, {}, {}, {}};
    // resize_config: height, width, new_height, new_width.
    m["resize_nearest"] = {{0}, 1, "UpSampling2D", "", {}, {},
                           {{"in_height", "height"}, {"in_width", "width"}, {"out_height", "new_height"}, {"out_width", "new_width"}},
                           {{"algorithm", "nearest"}}, {}};
    for (const auto& [fn, cls] : std::map<std::string, std::string>{
             {"sigmoid", "Sigmoid"}, {"tanh", "TanH"}, {"softplus", "Softplus"}, {"softsign", "Softsign"}, {"selu", "SELU"}, {"softmax", "Softmax"}}) {
      m[fn] = {{0}, 1, cls, "", {}, {}, {}, {}, {}};
    }
    for (const auto& [fn, cls] : std::map<std::string, std::string>{
             {"add", "Add"}, {"multiply", "Multiply"}, {"average", "Average"}, {"maximum", "Maximum"}, {"minimum", "Minimum"}}) {
      m[fn] = {{0, 1}, 2, cls, "", {}, {}, {}, {}, {}};
    }
    m["concatenate1d"] = {{0, 1}, 2, "Concatenate", "", {}, {}, {}, {}, {{"rank", 1}, {"axis", -1}}};
    // concat_config's axis; the inputs' shapes come from n_elem1_* / n_elem2_* (hls4ml_network.cpp).
    m["concatenate2d"] = {{0, 1}, 2, "Concatenate", "", {}, {}, {}, {}, {{"rank", 2}}};
    m["concatenate3d"] = {{0, 1}, 2, "Concatenate", "", {}, {}, {}, {}, {{"rank", 3}}};
    m["embedding"] = {{0}, 1, "Embedding", "", {}, {{"embeddings", 2}}, {}, {}, {}};  // nnet_embed.h
    return m;
  }();
  return calls;
}

bool resource_transposed(const std::string& layer_class, const std::string& key) {
  return (layer_class == "Conv2D" || layer_class == "Conv1D") && key == "weight";
}

std::string catalogue_class(const CatalogueCall& call, const ConfigStruct& config, std::string& why) {
  if (!call.layer_class.empty()) return call.layer_class;
  if (!config.values.contains(call.class_key)) {
    why = "config struct '" + config.name + "' has no '" + call.class_key + "'";
    return "";
  }
  const std::string value = config.enumerator(call.class_key);
  const auto cls = call.class_by_value.find(value);
  if (cls == call.class_by_value.end()) {
    why = config.name + "::" + call.class_key + " = " + config.values.at(call.class_key).text() + " is not a value l1emu knows";
    return "";
  }
  return cls->second;
}

}  // namespace l1emu::emu::detail
