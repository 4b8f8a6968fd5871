// l1emu.FixedType and l1emu.quantize: ap_fixed's conversion of doubles, exactly as the emulator's
// FixedType does it (emu/fixed/conversion.h), on whole numpy arrays.
#include <pybind11/numpy.h>
#include <pybind11/operators.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <limits>
#include <optional>
#include <string>

#include "bindings.h"
#include "code_values.h"
#include "fixed_type_arg.h"
#include "input_conversion.h"
#include "l1emu/emu/fixed/conversion.h"

namespace py = pybind11;

namespace l1emu::python {
namespace {

std::string index_text(const py::array& a, py::ssize_t flat) {
  // The multi-index of a flat (C-order) position, as numpy prints it: [i, j].
  std::string text;
  for (py::ssize_t d = a.ndim() - 1; d >= 0; --d) {
    const py::ssize_t n = a.shape(d);
    text = std::to_string(n > 0 ? flat % n : 0) + (text.empty() ? "" : ", ") + text;
    if (n > 0) flat /= n;
  }
  return "[" + text + "]";
}

py::array quantize(const py::object& values, const py::object& type_arg, bool raw) {
  const emu::FixedType type = fixed_type_arg(type_arg);
  // float32 widens to float64 exactly; integers and lists go through numpy's float64 conversion.
  const auto x = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(values);
  if (!x) throw py::type_error("quantize: values must be a number or an array of numbers");
  const auto n = static_cast<std::size_t>(x.size());
  const double* in = x.data();
  std::vector<py::ssize_t> shape(x.shape(), x.shape() + x.ndim());
  py::array_t<std::int64_t> codes(shape);
  py::array_t<double> doubles;
  if (!raw) doubles = py::array_t<double>(shape);
  std::int64_t* code_out = codes.mutable_data();
  double* value_out = raw ? nullptr : doubles.mutable_data();
  // A failure: the flat position of the value (or none) and what is wrong with it.
  std::optional<std::size_t> bad_index;
  std::string error;
  {
    py::gil_scoped_release release;
    const bool fast = type.width <= kMaxFastWidth;
    std::optional<FloatCodeConverter<double>> convert;
    if (fast) convert.emplace(type);
    constexpr auto lo = std::numeric_limits<std::int64_t>::min(), hi = std::numeric_limits<std::int64_t>::max();
    for (std::size_t i = 0; i < n; ++i) {
      const double v = in[i];
      if (std::isnan(v)) {
        bad_index = i;
        error = "is NaN (ap_fixed has no code for it)";
        break;
      }
      std::int64_t code = 0;
      if (fast) {
        code = (*convert)(v);
      } else {
        const emu::BigInt big = emu::from_double(v, type);
        if (big < lo || big > hi) {
          bad_index = i;
          error = "= " + std::to_string(v) + ": its code in " + type.to_string() + " does not fit 64 bits";
          break;
        }
        code = big.convert_to<std::int64_t>();
      }
      code_out[i] = code;
      if (!raw) {
        const auto value = exact_value(code, type.fractional_bits());
        if (!value) {
          bad_index = i;
          error = "gives code " + std::to_string(code) + " of " + type.to_string() +
                  ", whose value needs more than 53 bits as a double; use raw=True for the integer codes";
          break;
        }
        value_out[i] = *value;
      }
    }
  }
  if (bad_index) throw py::value_error("quantize: values" + index_text(x, static_cast<py::ssize_t>(*bad_index)) + " " + error);
  return raw ? py::array(codes) : py::array(doubles);
}

}  // namespace

void bind_fixed_types(py::module_& m) {
  py::class_<emu::FixedType>(m, "FixedType",
                             "A Xilinx ap_fixed / ap_ufixed / ap_int / ap_uint type: a code c means c x 2^-fractional_bits.")
      .def(py::init([](const std::string& spelling) { return emu::FixedType::parse(spelling); }), py::arg("spelling"),
           "Parses ap_fixed<W,I[,Q[,O[,N]]]>, ap_ufixed<...>, fixed<...>, ap_int<W>, ap_uint<W>.")
      .def_readonly("width", &emu::FixedType::width)
      .def_readonly("integer_bits", &emu::FixedType::integer_bits)
      .def_property_readonly("fractional_bits", &emu::FixedType::fractional_bits)
      .def_readonly("signed", &emu::FixedType::is_signed)
      .def_readonly("is_integer", &emu::FixedType::is_integer, "ap_int / ap_uint")
      .def_property_readonly("quantization", [](const emu::FixedType& t) { return std::string(emu::to_string(t.quantization)); })
      .def_property_readonly("overflow", [](const emu::FixedType& t) { return std::string(emu::to_string(t.overflow)); })
      .def_readonly("saturation_bits", &emu::FixedType::saturation_bits)
      .def_property_readonly("min_code", [](const emu::FixedType& t) { return py::int_(py::str(t.min_code().str())); })
      .def_property_readonly("max_code", [](const emu::FixedType& t) { return py::int_(py::str(t.max_code().str())); })
      .def_property_readonly("spelling", &emu::FixedType::to_string, "the canonical ap_fixed spelling")
      .def("__str__", &emu::FixedType::to_string)
      .def("__repr__", [](const emu::FixedType& t) { return "FixedType('" + t.to_string() + "')"; })
      .def(py::self == py::self)  // NOLINT: pybind11 operator binding
      .def("__hash__", [](const emu::FixedType& t) { return py::hash(py::str(t.to_string())); });

  m.def("quantize", &quantize, py::arg("values"), py::arg("type"), py::arg("raw") = false,
        "ap_fixed's conversion of every value (as doubles) into `type` (a spelling or a FixedType): float64 values\n"
        "code x 2^-F (exact; an error where a value needs more than 53 bits), or int64 codes with raw=True.\n"
        "The array keeps its shape. NaN is an error (ap_fixed gives garbage); infinities convert as ap_fixed does.");
}

}  // namespace l1emu::python
