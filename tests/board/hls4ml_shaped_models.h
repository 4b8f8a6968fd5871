#pragma once
// model.json files of our own with the shapes of the public hls4ml designs the timing estimate is
// calibrated on (README, "l1emu estimate"): a Dense/ReLU stack ending in a stable softmax, io_parallel,
// latency strategy. Only what the estimate looks at is copied from those designs: layer sizes, types,
// and per output how many weights are zero, how many are +-2^k (a shift) and how many need a product.
// The weight values themselves are made up (small odd codes for products).
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace l1emu::testing {

struct ShapedDense {
  int n_out = 0;
  std::string weight_t;      // also the bias type
  int weight_frac_bits = 0;  // F of weight_t: a code c is the value c / 2^F
  int products = 0;          // per output: weights that need a multiplier (odd codes 3, 5, 7, ...)
  int shifts = 0;            // per output: weights of +-2^k (codes +-1, +-2, ...)
  std::string relu_t;        // ReLU after the Dense ("" for none: the last layer)
};

struct ShapedSoftmax {
  std::string exp_table_t;  // its overflow mode decides whether the sum saturates
  std::string inv_table_t;
};

// Writes DIR/model.json: input of `n_in` values of `input_t`, the Dense layers in order, then the
// softmax; returns the file. Biases are nonzero. Weight (i, j) of a layer is nonzero for the first
// products + shifts inputs i of output j, counted from a per-output offset so that every input feeds
// some output.
inline std::filesystem::path write_shaped_model(const std::filesystem::path& dir, int n_in, const std::string& input_t,
                                                const std::vector<ShapedDense>& layers, const ShapedSoftmax& softmax) {
  nlohmann::json model = {{"project", "shaped"}, {"flavor", "paper"}, {"io_type", "io_parallel"}, {"strategy", "latency"}, {"reuse_factor", 1}};
  model["inputs"] = nlohmann::json::array({{{"name", "x"}, {"size", n_in}, {"type", input_t}}});
  nlohmann::json out_layers = nlohmann::json::array();
  std::string previous = "x";
  int width = n_in;
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const ShapedDense& d = layers[l];
    const double scale = 1.0 / static_cast<double>(1 << d.weight_frac_bits);
    nlohmann::json weight = nlohmann::json::array();
    for (int i = 0; i < width; ++i) {
      nlohmann::json row = nlohmann::json::array();
      for (int j = 0; j < d.n_out; ++j) {
        const int k = (i - j % width + width) % width;  // position of input i among output j's inputs
        int code = 0;
        if (k < d.products) code = (k % 2 == 0 ? 1 : -1) * (3 + 2 * (k % 3));  // 3, -5, 7, -3, ...
        else if (k < d.products + d.shifts) code = (k % 2 == 0 ? 1 : -1) * (1 << (k % 2));  // 1, -2, ...
        row.push_back(code * scale);
      }
      weight.push_back(row);
    }
    nlohmann::json bias = nlohmann::json::array();
    for (int j = 0; j < d.n_out; ++j) bias.push_back((j % 2 == 0 ? 3 : -5) * scale);
    const std::string name = "fc" + std::to_string(l + 1);
    out_layers.push_back({{"name", name}, {"class", "Dense"}, {"input", previous}, {"n_out", d.n_out}, {"weight", weight}, {"bias", bias},
                          {"weight_t", d.weight_t}, {"bias_t", d.weight_t}, {"accum_t", "ap_fixed<16,6>"}, {"result_t", "ap_fixed<16,6>"}});
    previous = name;
    if (!d.relu_t.empty()) {
      out_layers.push_back({{"name", "relu" + std::to_string(l + 1)}, {"class", "ReLU"}, {"input", previous}, {"result_t", d.relu_t}});
      previous = "relu" + std::to_string(l + 1);
    }
    width = d.n_out;
  }
  out_layers.push_back({{"name", "softmax"}, {"class", "Softmax"}, {"input", previous}, {"implementation", "stable"}, {"n_in", width},
                        {"n_slice", width}, {"n_outer", 1}, {"n_inner", 1}, {"table_size", 1024}, {"exp_table_t", softmax.exp_table_t},
                        {"inv_table_t", softmax.inv_table_t}, {"result_t", "ap_fixed<16,6>"}});
  model["layers"] = out_layers;
  model["outputs"] = nlohmann::json::array({"softmax"});
  std::filesystem::create_directories(dir);
  const std::filesystem::path file = dir / "model.json";
  std::ofstream(file) << model.dump(1);
  return file;
}

// Hector-Plata/hls4ml-tutorial model_1's shape (jet tagger 16-64-32-32-5, ap_fixed<16,6> everywhere,
// dense weights; softmax tables ap_fixed<18,8,AP_RND,AP_SAT>).
inline std::filesystem::path write_dense_jet_tagger(const std::filesystem::path& dir) {
  const std::string t = "ap_fixed<16,6>";
  return write_shaped_model(dir, 16, t,
                            {{64, t, 10, 16, 0, t}, {32, t, 10, 64, 0, t}, {32, t, 10, 32, 0, t}, {5, t, 10, 32, 0, ""}},
                            {"ap_fixed<18,8,AP_RND,AP_SAT>", "ap_fixed<18,8,AP_RND,AP_SAT>"});
}

// model_3's shape: the same network pruned and quantized (ap_fixed<6,1> weights, ReLU into
// ap_ufixed<6,0,AP_RND_CONV,AP_SAT>, wrapping softmax tables). Per output, the largest counts of its
// layers: 6 products + 3 shifts of 16 inputs, 17 + 11 of 64, 12 + 3 of 32, 5 + 6 of 32.
inline std::filesystem::path write_pruned_jet_tagger(const std::filesystem::path& dir) {
  const std::string w = "ap_fixed<6,1>";
  const std::string r = "ap_ufixed<6,0,AP_RND_CONV,AP_SAT>";
  return write_shaped_model(dir, 16, "ap_fixed<16,6>",
                            {{64, w, 5, 6, 3, r}, {32, w, 5, 17, 11, r}, {32, w, 5, 12, 3, r}, {5, w, 5, 5, 6, ""}},
                            {"ap_fixed<18,8>", "ap_fixed<18,4>"});
}

}  // namespace l1emu::testing
