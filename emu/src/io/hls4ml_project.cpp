#include "l1emu/emu/io/hls4ml_project.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <memory>

#include "cpp_file_set.h"
#include "l1emu/emu/error.h"
#include "l1emu/emu/io/hls4ml_network.h"
#include "l1emu/text/excerpt.h"
#include "l1emu/text/utf8.h"

namespace l1emu::emu {
namespace {

namespace fs = std::filesystem;

fs::path firmware_dir(const fs::path& dir) {
  if (fs::is_regular_file(dir / "firmware" / "parameters.h")) return dir / "firmware";
  return dir;
}

struct ProjectConfig {
  std::string project;
  std::optional<Hls4mlNetwork::Options::Version> version;
};

// hls4ml_config.yml: ProjectName, IOType (io_parallel or io_stream), HLSConfig.Model.Strategy (Latency or Resource), and the hls4ml version when the
// writer recorded it (a hint for the semantics of normalize and leaky_relu; Hls4mlNetwork).
ProjectConfig read_config(const fs::path& path) {
  ProjectConfig out;
  if (!fs::is_regular_file(path)) return out;
  YAML::Node root;
  try {
    root = YAML::LoadFile(path.string());
  } catch (const YAML::Exception& e) {
    throw ModelError(path.string() + ":" + std::to_string(e.mark.line + 1) + ": not valid YAML: " + e.msg);
  }
  if (!root.IsMap()) return out;
  try {
    // The project name becomes model.json's name and a C++ function name: text, not arbitrary bytes
    // (YAML does not check a plain scalar's encoding, and JSON cannot hold invalid UTF-8).
    if (root["ProjectName"]) {
      out.project = root["ProjectName"].as<std::string>();
      if (!text::is_valid_utf8(out.project)) {
        throw ModelError(path.string() + ":" + std::to_string(root["ProjectName"].Mark().line + 1) + ": ProjectName " +
                         text::quoted_excerpt(out.project) + " is not UTF-8 text");
      }
    }
    // io_stream: each layer's config struct carries its own io_type, and the import checks each
    // stream function against its io_parallel twin (hls4ml_stream_calls.h).
    if (root["IOType"] && root["IOType"].as<std::string>() != "io_parallel" && root["IOType"].as<std::string>() != "io_stream") {
      throw ModelError(path.string() + ":" + std::to_string(root["IOType"].Mark().line + 1) + ": IOType " + text::quoted_excerpt(root["IOType"].as<std::string>()) +
                       " is not supported (l1emu reproduces io_parallel and io_stream)");
    }
    const YAML::Node strategy = root["HLSConfig"] && root["HLSConfig"]["Model"] ? root["HLSConfig"]["Model"]["Strategy"] : YAML::Node();
    if (strategy && strategy.IsScalar()) {
      std::string s = strategy.as<std::string>();
      std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      // Resource: each layer's config struct carries its own strategy, and the layer decides
      // whether it reproduces it (Dense and Conv1D/Conv2D do, with reuse factors dividing their
      // inputs); other values are refused here.
      // distributed_arithmetic: hls4ml >= 1.1 writes da4ml's dense_da_N functions, imported one by one.
      if (s != "latency" && s != "resource" && s != "distributed_arithmetic") {
        throw ModelError(path.string() + ":" + std::to_string(strategy.Mark().line + 1) + ": Strategy " + text::quoted_excerpt(strategy.as<std::string>()) +
                         " is not supported (l1emu reproduces the latency, resource and distributed_arithmetic strategies)");
      }
    }
    for (const char* key : {"Version", "hls4ml_version", "HLS4MLVersion"}) {
      if (!root[key] || !root[key].IsScalar()) continue;
      const std::string v = root[key].as<std::string>();
      int major = 0, minor = 0;
      if (std::sscanf(v.c_str(), "%d.%d", &major, &minor) == 2) {
        out.version = Hls4mlNetwork::Options::Version{major, minor, path.string() + ":" + std::to_string(root[key].Mark().line + 1) + ": " + key + " " + v};
      }
    }
  } catch (const YAML::Exception& e) {
    throw ModelError(path.string() + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  return out;
}

}  // namespace

bool is_hls4ml_project(const fs::path& dir) {
  return fs::is_regular_file(dir / "firmware" / "parameters.h") || fs::is_regular_file(dir / "parameters.h");
}

namespace {

// Reads the project's C++ into a network and hands it to `use` (the network refers to the file set,
// which lives only during the call).
template <class Use>
auto with_network(const fs::path& dir, std::optional<Flavor> flavor, Use use) {
  if (!fs::is_directory(dir)) throw ModelError(dir.string() + ": not a directory");
  if (!is_hls4ml_project(dir)) throw ModelError(dir.string() + ": not an hls4ml project (no firmware/parameters.h)");
  const fs::path fw = firmware_dir(dir);
  ProjectConfig config = read_config(dir / "hls4ml_config.yml");
  if (fw != dir && !fs::is_regular_file(dir / "hls4ml_config.yml")) config = read_config(fw / "hls4ml_config.yml");

  // The files the compiler reads of the project: each .cpp that makes nnet:: calls, its header of
  // the same name and the files hls4ml always writes (defines.h, parameters.h), with all they
  // include (renamed projects include headers that no longer exist, so the names count too).
  // Unrelated code beside the project (other algorithms, a copy of ap_types) is never parsed.
  // Without such a .cpp, every file of the folder.
  detail::CppFileSet files;
  std::vector<fs::path> entries;
  for (const auto& [file, text] : detail::cpp_files_with_text(fw)) {
    if (text.find("nnet::") == std::string::npos) continue;
    entries.push_back(file);
    if (fs::path h = fs::path(file).replace_extension(".h"); fs::is_regular_file(h)) entries.push_back(h);
  }
  if (!entries.empty()) {
    for (const char* name : {"defines.h", "parameters.h"}) {
      if (fs::is_regular_file(fw / name)) entries.push_back(fw / name);
    }
    std::sort(entries.begin(), entries.end());
    files.add_reachable(entries, fw);
  } else {
    files.add_directory(fw);
  }
  files.add_directory(fw / "weights");
  // The one nnet_utils file hls4ml writes per project (da4ml's dense_da_N functions; im2col fill
  // buffers); the rest of nnet_utils is the library, read only for its semantics.
  if (const fs::path code_gen = fw / "nnet_utils" / "nnet_code_gen.h"; fs::is_regular_file(code_gen)) files.add_file(code_gen);

  Hls4mlNetwork::Options options;
  options.weights_dir = fw / "weights";
  options.nnet_utils_dir = fw / "nnet_utils";
  // hls4ml before 0.2 kept one nnet_utils beside the project folders, which build_prj.tcl adds
  // with -I; the folder next to firmware/ is the one its compiler reads then.
  if (!fs::is_directory(options.nnet_utils_dir) && fs::is_directory(fw.parent_path() / "nnet_utils")) options.nnet_utils_dir = fw.parent_path() / "nnet_utils";
  options.requested_flavor = flavor;
  options.config_version = config.version;
  options.preferred_top = config.project;
  const Hls4mlNetwork network(files.declarations(), options);
  return use(network, config.project);
}

}  // namespace

Model import_hls4ml_project(const fs::path& dir, std::optional<Flavor> flavor, std::vector<std::string>* notes) {
  return with_network(dir, flavor, [&](const Hls4mlNetwork& network, const std::string& project) {
    Model model(project.empty() ? network.top_name() : project, network.flavor(), network.inputs());
    const auto outputs = network.add_layers(model, {});
    model.set_outputs(outputs);
    if (notes != nullptr) notes->insert(notes->end(), network.notes().begin(), network.notes().end());
    return model;
  });
}

Hls4mlTopInterface read_hls4ml_top_interface(const fs::path& dir) {
  return with_network(dir, std::nullopt, [](const Hls4mlNetwork& network, const std::string&) {
    Hls4mlTopInterface out{network.top_name(), {}, network.output_parameters()};
    for (const auto& in : network.inputs()) out.inputs.push_back(in.name);
    return out;
  });
}

}  // namespace l1emu::emu
