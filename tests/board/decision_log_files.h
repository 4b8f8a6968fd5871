#pragma once
// Test helper: writes small decision logs in the layout that board/decision_log_reader.h reads (issue 6
// layout: /decisions with orbit, bx, event_id, score_code, score, bits, latency_ns and the attributes
// bit_names, thresholds, model, scenario, colliding_bunches / filling_scheme), with the HDF5 C API
// directly so the reader is checked against an independent writer.
#include <hdf5.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace l1emu::testing {

struct TestDecisionLog {
  std::vector<std::int64_t> score_code;
  std::vector<std::uint8_t> bits;  // row-major [N, bit_names.size()]
  std::vector<std::string> bit_names;
  std::vector<std::int64_t> thresholds{10, 20};
  std::string model = "test-model";
  std::string scenario = "test-scenario";
  std::optional<std::int64_t> colliding_bunches;
  std::optional<std::string> filling_scheme;
  bool with_score_code = true;
  bool score_code_as_float = false;  // a wrong dtype
  bool fixed_length_strings = false;  // numpy 'S' arrays as h5py writes them, instead of variable length
};

namespace detail {

inline void ok(herr_t status, const char* what) {
  if (status < 0) throw std::runtime_error(std::string("test log writer: ") + what);
}

inline void write_dataset(hid_t group, const char* name, hid_t file_type, hid_t mem_type, std::vector<hsize_t> dims,
                          const void* data) {
  const hid_t space = H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr);
  const hid_t ds = H5Dcreate2(group, name, file_type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  if (ds < 0) throw std::runtime_error(std::string("test log writer: creating ") + name);
  bool empty = false;
  for (const hsize_t d : dims) empty = empty || d == 0;
  if (!empty) ok(H5Dwrite(ds, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), name);
  H5Dclose(ds);
  H5Sclose(space);
}

inline void write_string_attribute(hid_t group, const char* name, const std::vector<std::string>& values, bool scalar,
                                   bool fixed_length) {
  const hid_t type = H5Tcopy(H5T_C_S1);
  if (fixed_length) {
    std::size_t width = 1;
    for (const auto& v : values) width = std::max(width, v.size());
    H5Tset_size(type, width);
    H5Tset_strpad(type, H5T_STR_NULLPAD);
    std::string buffer(width * values.size(), '\0');
    for (std::size_t i = 0; i < values.size(); ++i) buffer.replace(i * width, values[i].size(), values[i]);
    const hsize_t n = values.size();
    const hid_t space = scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &n, nullptr);
    const hid_t attr = H5Acreate2(group, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
    if (!values.empty()) ok(H5Awrite(attr, type, buffer.data()), name);
    H5Aclose(attr);
    H5Sclose(space);
    H5Tclose(type);
    return;
  }
  H5Tset_size(type, H5T_VARIABLE);
  H5Tset_cset(type, H5T_CSET_UTF8);
  const hsize_t n = values.size();
  const hid_t space = scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &n, nullptr);
  const hid_t attr = H5Acreate2(group, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  std::vector<const char*> ptrs;
  for (const auto& v : values) ptrs.push_back(v.c_str());
  if (!ptrs.empty()) ok(H5Awrite(attr, type, ptrs.data()), name);
  H5Aclose(attr);
  H5Sclose(space);
  H5Tclose(type);
}

inline void write_int_attribute(hid_t group, const char* name, const std::vector<std::int64_t>& values, bool scalar) {
  const hsize_t n = values.size();
  const hid_t space = scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &n, nullptr);
  const hid_t attr = H5Acreate2(group, name, H5T_STD_I64LE, space, H5P_DEFAULT, H5P_DEFAULT);
  if (!values.empty()) ok(H5Awrite(attr, H5T_NATIVE_INT64, values.data()), name);
  H5Aclose(attr);
  H5Sclose(space);
}

}  // namespace detail

inline void write_decision_log(const std::filesystem::path& path, const TestDecisionLog& log) {
  const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (file < 0) throw std::runtime_error("test log writer: creating " + path.string());
  const hid_t group = H5Gcreate2(file, "decisions", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  const std::size_t n = log.score_code.size();
  std::vector<std::uint32_t> orbit(n);
  std::vector<std::uint16_t> bx(n);
  std::vector<std::int64_t> event_id(n);
  std::vector<double> score(n), latency(n, 80.0);
  for (std::size_t i = 0; i < n; ++i) {
    orbit[i] = static_cast<std::uint32_t>(i / 3564);
    bx[i] = static_cast<std::uint16_t>(i % 3564);
    event_id[i] = static_cast<std::int64_t>(i);
    score[i] = static_cast<double>(log.score_code[i]) / 256.0;
  }
  using detail::write_dataset;
  write_dataset(group, "orbit", H5T_STD_U32LE, H5T_NATIVE_UINT32, {n}, orbit.data());
  write_dataset(group, "bx", H5T_STD_U16LE, H5T_NATIVE_UINT16, {n}, bx.data());
  write_dataset(group, "event_id", H5T_STD_I64LE, H5T_NATIVE_INT64, {n}, event_id.data());
  if (log.with_score_code) {
    if (log.score_code_as_float)
      write_dataset(group, "score_code", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {n}, score.data());
    else
      write_dataset(group, "score_code", H5T_STD_I64LE, H5T_NATIVE_INT64, {n}, log.score_code.data());
  }
  write_dataset(group, "score", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {n}, score.data());
  write_dataset(group, "bits", H5T_STD_U8LE, H5T_NATIVE_UINT8, {n, log.bit_names.size()}, log.bits.data());
  write_dataset(group, "latency_ns", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {n}, latency.data());
  detail::write_string_attribute(group, "bit_names", log.bit_names, false, log.fixed_length_strings);
  detail::write_int_attribute(group, "thresholds", log.thresholds, false);
  detail::write_string_attribute(group, "model", {log.model}, true, log.fixed_length_strings);
  detail::write_string_attribute(group, "scenario", {log.scenario}, true, log.fixed_length_strings);
  if (log.colliding_bunches) detail::write_int_attribute(group, "colliding_bunches", {*log.colliding_bunches}, true);
  if (log.filling_scheme) detail::write_string_attribute(group, "filling_scheme", {*log.filling_scheme}, true, log.fixed_length_strings);
  H5Gclose(group);
  detail::ok(H5Fclose(file), "closing");
}

/// The score codes one per line, for the numpy check when h5py is missing.
inline void write_codes_text(const std::filesystem::path& path, const std::vector<std::int64_t>& codes) {
  std::ofstream out(path);
  for (const auto c : codes) out << c << '\n';
}

}  // namespace l1emu::testing
