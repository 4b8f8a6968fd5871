// l1emu.read_decisions: a decision log (decisions.h5 of l1emu replay) into numpy arrays, through
// the same reader as l1emu rates (board/decision_log_reader.h), with its checks and messages.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstring>
#include <filesystem>
#include <optional>
#include <string>

#include "bindings.h"
#include "errors.h"
#include "l1emu/board/decision_log_reader.h"

namespace py = pybind11;

namespace l1emu::python {
namespace {

py::dict read_decisions(const py::object& path_arg, const std::optional<std::string>& sample) {
  std::string path = py::str(py::module_::import("os").attr("fspath")(path_arg));
  // "LOG#NAME" is the command line's spelling of a sample; sample= says the same.
  const std::string file = path.substr(0, path.rfind('#') == std::string::npos ? path.size() : path.rfind('#'));
  if (!std::filesystem::exists(file)) throw FileNotFound(file + ": no such decision log");
  if (sample) path = file + "#" + *sample;

  std::vector<std::int64_t> scores;
  std::vector<std::uint8_t> bits;
  std::optional<board::DecisionLogReader> reader;
  {
    py::gil_scoped_release release;
    reader.emplace(path);
    board::DecisionChunk chunk;
    while (reader->read_next(chunk)) {
      scores.insert(scores.end(), chunk.score_code.begin(), chunk.score_code.end());
      bits.insert(bits.end(), chunk.bits.begin(), chunk.bits.end());
    }
  }
  const auto n = static_cast<py::ssize_t>(scores.size());
  const auto nbits = static_cast<py::ssize_t>(reader->bit_count());
  py::array_t<std::int64_t> score_code(n);
  std::memcpy(score_code.mutable_data(), scores.data(), scores.size() * sizeof(std::int64_t));
  py::array_t<std::uint8_t> bit_array(std::vector<py::ssize_t>{n, nbits});
  if (!bits.empty()) std::memcpy(bit_array.mutable_data(), bits.data(), bits.size());

  const board::DecisionLogMetadata& meta = reader->metadata();
  py::dict out;
  out["score_code"] = score_code;
  out["bits"] = bit_array;
  out["bit_names"] = meta.bit_names;
  out["thresholds"] = py::array_t<std::int64_t>(static_cast<py::ssize_t>(meta.thresholds.size()), meta.thresholds.data());
  out["model"] = meta.model;
  out["scenario"] = meta.scenario;
  out["colliding_bunches"] = meta.colliding_bunches ? py::object(py::int_(*meta.colliding_bunches)) : py::object(py::none());
  out["filling_scheme"] = meta.filling_scheme ? py::object(py::str(*meta.filling_scheme)) : py::object(py::none());
  out["sample_names"] = meta.sample_names;
  out["sample"] = reader->sample().empty() ? py::object(py::none()) : py::object(py::str(reader->sample()));
  out["path"] = reader->path().string();
  return out;
}

}  // namespace

void bind_decisions(py::module_& m) {
  m.def("read_decisions", &read_decisions, py::arg("path"), py::arg("sample") = py::none(),
        "A decision log of l1emu replay (decisions.h5 or the replay's output folder; 'LOG#NAME' or sample=NAME selects a\n"
        "sample) as a dict: score_code int64 (N,), bits uint8 (N, nbits), bit_names, thresholds, model, scenario,\n"
        "colliding_bunches, filling_scheme, sample_names, sample, path. Read with l1emu rates' reader and its checks.");
}

}  // namespace l1emu::python
