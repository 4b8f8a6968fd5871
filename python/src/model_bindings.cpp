// l1emu.Model: a model loaded as --model loads it, its arrays, predict and trace from numpy arrays.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bindings.h"
#include "code_values.h"
#include "errors.h"
#include "l1emu/emu/io/model_loader.h"
#include "l1emu/emu/io/model_summary.h"
#include "model_runner.h"
#include "numpy_buffers.h"

namespace py = pybind11;

namespace l1emu::python {
namespace {

// A loaded model and its runner (which compiles it once). The Model lives on the heap: the
// compiled plan points into it.
struct LoadedModel {
  std::string path;
  std::vector<std::string> notes;
  std::unique_ptr<emu::Model> model;
  std::unique_ptr<ModelRunner> runner;
};

std::string fspath(const py::object& path) { return py::str(py::module_::import("os").attr("fspath")(path)); }

std::unique_ptr<LoadedModel> load(const py::object& path_arg, const std::optional<std::string>& flavour) {
  auto loaded = std::make_unique<LoadedModel>();
  loaded->path = fspath(path_arg);
  // The library says the same (ModelError); Python code expects FileNotFoundError for it.
  if (!std::filesystem::exists(loaded->path)) throw FileNotFound(loaded->path + ": no such file or directory");
  std::optional<emu::Flavor> flavor;
  if (flavour) {
    if (*flavour == "paper") {
      flavor = emu::Flavor::Paper;
    } else if (*flavour == "head") {
      flavor = emu::Flavor::Head;
    } else {
      throw py::value_error("flavour must be 'paper' or 'head', found '" + *flavour + "'");
    }
  }
  {
    py::gil_scoped_release release;  // an hls4ml project import reads many files
    loaded->model = std::make_unique<emu::Model>(emu::load_model(loaded->path, flavor, &loaded->notes));
    loaded->runner = std::make_unique<ModelRunner>(*loaded->model);
  }
  return loaded;
}

std::vector<emu::ArraySpec> layer_specs(const emu::Model& model) {
  std::vector<emu::ArraySpec> specs;
  for (const auto& layer : model.layers()) specs.push_back(layer->output_spec());
  return specs;
}

std::vector<emu::ArraySpec> output_specs(const emu::Model& model) {
  std::vector<emu::ArraySpec> specs;
  for (std::size_t index : model.output_indices()) specs.push_back(model.array_spec(index));
  return specs;
}

std::vector<std::string> names(const std::vector<emu::ArraySpec>& specs) {
  std::vector<std::string> out;
  for (const auto& s : specs) out.push_back(s.name);
  return out;
}

std::string shape_text(const py::array& a) {
  std::string text = "(";
  for (py::ssize_t d = 0; d < a.ndim(); ++d) text += (d ? ", " : "") + std::to_string(a.shape(d));
  return text + (a.ndim() == 1 ? ",)" : ")");
}

// The events argument as a strided matrix of the model's input width, or TypeError / ValueError
// naming what is wrong. `keep` holds the array (numpy's own or one made from a list) alive.
InputMatrix input_matrix(const char* what, const py::object& x, bool raw, const ModelRunner& runner, py::array& keep) {
  keep = py::array::ensure(x);
  if (!keep) throw py::type_error(std::string(what) + ": x must be a numpy array (N, " + std::to_string(runner.input_width()) + ")");
  const std::string width = std::to_string(runner.input_width());
  if (keep.ndim() != 2 || static_cast<std::size_t>(keep.shape(1)) != runner.input_width()) {
    throw py::value_error(std::string(what) + ": x has shape " + shape_text(keep) + ", expected (N, " + width +
                          "): one row per event, the model's inputs concatenated");
  }
  const py::dtype dt = keep.dtype();
  const char kind = dt.kind();
  const auto size = dt.itemsize();
  const std::string dtype_name = py::str(static_cast<const py::handle&>(dt));
  if (!dt.attr("isnative").cast<bool>()) throw py::type_error(std::string(what) + ": x has non-native byte order (" + dtype_name + ")");
  InputMatrix m;
  bool known = true;
  if (kind == 'f' && size == 4) {
    m.kind = InputKind::float32;
  } else if (kind == 'f' && size == 8) {
    m.kind = InputKind::float64;
  } else if (kind == 'i') {
    m.kind = size == 1 ? InputKind::int8 : size == 2 ? InputKind::int16 : size == 4 ? InputKind::int32 : InputKind::int64;
  } else if (kind == 'u' && size <= 4) {
    m.kind = size == 1 ? InputKind::uint8 : size == 2 ? InputKind::uint16 : InputKind::uint32;
  } else {
    known = false;
  }
  // Floats are values whatever `raw` says (raw=True then only asks for codes back); integers are
  // codes of the input types, which only raw=True states (an integer array of values would
  // otherwise be read as codes without a word).
  const bool floating = m.kind == InputKind::float32 || m.kind == InputKind::float64;
  if (!known || (!floating && !raw)) {
    throw py::type_error(std::string(what) + ": x has dtype " + dtype_name +
                         "; expected float32 (converted as hls4ml's test bench converts floats) or float64 values, or integer codes "
                         "of the input types (int8 to int64, uint8 to uint32) with raw=True");
  }
  m.data = static_cast<const char*>(keep.data());
  m.rows = static_cast<std::size_t>(keep.shape(0));
  m.cols = static_cast<std::size_t>(keep.shape(1));
  m.row_stride = keep.strides(0);
  m.col_stride = keep.strides(1);
  return m;
}

Engine engine_arg(const std::string& engine) {
  if (engine == "compiled") return Engine::compiled;
  if (engine == "reference") return Engine::reference;
  throw py::value_error("unknown engine '" + engine + "' (expected compiled or reference)");
}

// Runs the model and returns {name: (N, size) array} for the given arrays.
py::dict evaluate(const char* what, const LoadedModel& m, const py::object& x, bool raw_in, bool raw_out, int threads, const std::string& engine_name,
                  const std::vector<std::size_t>& indices) {
  const Engine engine = engine_arg(engine_name);
  if (threads < 0) throw py::value_error(std::string(what) + ": threads must be 0 (all cores) or more");
  py::array keep;
  const InputMatrix matrix = input_matrix(what, x, raw_in, *m.runner, keep);
  if (engine == Engine::compiled && !m.runner->compiled_available()) {
    // As l1emu predict says it: the reference gives the same codes, slower.
    const std::string note = std::string(what) + ": using the reference engine: " + m.runner->why_not_compiled();
    if (PyErr_WarnEx(PyExc_RuntimeWarning, note.c_str(), 1) != 0) throw py::error_already_set();
  }
  py::dict result;
  std::vector<Destination> destinations;
  const auto rows = static_cast<py::ssize_t>(matrix.rows);
  for (std::size_t index : indices) {
    const emu::ArraySpec spec = m.model->array_spec(index);
    const int f = spec.type.fractional_bits();
    Destination d{index, spec.name, spec.size, f, lsb_value(f), spec.type.width <= 53 && f >= -960 && f <= 960, nullptr, nullptr};
    const std::vector<py::ssize_t> shape{rows, static_cast<py::ssize_t>(spec.size)};
    if (raw_out) {
      auto a = result_array<std::int64_t>(shape);
      d.codes = a.mutable_data();
      result[py::str(spec.name)] = a;
    } else {
      auto a = result_array<double>(shape);
      d.values = a.mutable_data();
      result[py::str(spec.name)] = a;
    }
    destinations.push_back(std::move(d));
  }
  std::optional<Failure> failure;
  {
    py::gil_scoped_release release;
    failure = m.runner->run(matrix, engine, static_cast<unsigned>(threads), destinations);
  }
  if (failure) throw py::value_error(std::string(what) + ": " + failure->what);
  return result;
}

}  // namespace

void bind_model(py::module_& m) {
  py::class_<emu::ArraySpec>(m, "ArrayInfo", "An array of the model (an input, a layer's output): name, size, shape and fixed-point type.")
      .def_readonly("name", &emu::ArraySpec::name)
      .def_readonly("size", &emu::ArraySpec::size)
      .def_property_readonly("shape", [](const emu::ArraySpec& s) { return py::tuple(py::cast(s.dims())); }, "channels last")
      .def_readonly("type", &emu::ArraySpec::type)
      .def_property_readonly("width", [](const emu::ArraySpec& s) { return s.type.width; })
      .def_property_readonly("integer_bits", [](const emu::ArraySpec& s) { return s.type.integer_bits; })
      .def_property_readonly("fractional_bits", [](const emu::ArraySpec& s) { return s.type.fractional_bits(); })
      .def_property_readonly("signed", [](const emu::ArraySpec& s) { return s.type.is_signed; })
      .def_property_readonly("spelling", [](const emu::ArraySpec& s) { return s.type.to_string(); }, "the type's ap_fixed spelling")
      .def("__str__", [](const emu::ArraySpec& s) { return s.type.to_string(); })
      .def("__repr__", [](const emu::ArraySpec& s) {
        return "ArrayInfo(name='" + s.name + "', size=" + std::to_string(s.size) + ", type='" + s.type.to_string() + "')";
      });

  py::class_<LoadedModel>(m, "Model",
                          "A model as l1emu's --model takes it: a model.json, a directory holding one, an hls4ml project or an\n"
                          "AXOL1TL package. flavour ('paper' or 'head') forces the flavour of an imported project or package.")
      .def(py::init(&load), py::arg("path"), py::arg("flavour") = py::none())
      .def_readonly("path", &LoadedModel::path)
      .def_property_readonly("project", [](const LoadedModel& l) { return l.model->project(); })
      .def_property_readonly("flavour", [](const LoadedModel& l) { return std::string(emu::to_string(l.model->flavor())); })
      .def_property_readonly("input_names", [](const LoadedModel& l) { return names(l.model->inputs()); })
      .def_property_readonly("output_names", [](const LoadedModel& l) { return l.model->outputs(); })
      .def_property_readonly("layer_names", [](const LoadedModel& l) { return names(layer_specs(*l.model)); })
      .def_property_readonly("input_types", [](const LoadedModel& l) { return l.model->inputs(); }, "ArrayInfo per input, in order")
      .def_property_readonly("output_types", [](const LoadedModel& l) { return output_specs(*l.model); }, "ArrayInfo per output, in order")
      .def_property_readonly("layer_types", [](const LoadedModel& l) { return layer_specs(*l.model); }, "ArrayInfo per layer, in order")
      .def_property_readonly("input_width", [](const LoadedModel& l) { return l.runner->input_width(); },
                             "values per event (all inputs concatenated): the columns of x")
      .def_property_readonly("compiled_engine_available", [](const LoadedModel& l) { return l.runner->compiled_available(); })
      .def_property_readonly("notes", [](const LoadedModel& l) { return l.notes; }, "what an import decided, and from which file")
      .def("summary", [](const LoadedModel& l) { return emu::summarize_model(*l.model, l.notes); },
           "inputs, layers with classes, shapes and types, weight counts, outputs (what l1emu import prints)")
      .def(
          "predict",
          [](const LoadedModel& l, const py::object& x, bool raw, int threads, const std::string& engine) {
            return evaluate("predict", l, x, raw, raw, threads, engine, l.model->output_indices());
          },
          py::arg("x"), py::arg("raw") = false, py::arg("threads") = 0, py::arg("engine") = "compiled",
          "Bit-exact outputs for every event (row) of x: {output name: (N, size) array}.\n"
          "x: float32 values (converted as hls4ml's test bench converts floats), float64 values (ap_fixed's double\n"
          "constructor), or, with raw=True, integer codes of the input types. Returns float64 values code x 2^-F (exact: an\n"
          "error where a value needs more than 53 bits), or int64 codes with raw=True. threads 0: all cores; engine\n"
          "'compiled' or 'reference'.")
      .def(
          "trace",
          [](const LoadedModel& l, const py::object& x, bool raw, int threads, const std::string& engine) {
            std::vector<std::size_t> layers;
            for (std::size_t i = 0; i < l.model->layers().size(); ++i) layers.push_back(l.model->inputs().size() + i);
            return evaluate("trace", l, x, raw, true, threads, engine, layers);
          },
          py::arg("x"), py::arg("raw") = false, py::arg("threads") = 0, py::arg("engine") = "compiled",
          "Every layer's int64 codes for every event: {layer name: (N, size) array}, what l1emu predict --trace writes.\n"
          "x as for predict.")
      .def("__repr__", [](const LoadedModel& l) { return "Model('" + l.path + "')"; });

  m.def("release_memory", &ResultBlockPool::clear,
        "Frees the memory that released predict/trace results left for reuse (at most 1 GiB; see pooled_bytes).");
  m.def("pooled_bytes", &ResultBlockPool::pooled_bytes,
        "Bytes of released predict/trace results kept for the next results (first writes to fresh memory are slow).");
}

}  // namespace l1emu::python
