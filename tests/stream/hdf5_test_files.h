#pragma once
// Raw HDF5 helpers for tests: build deliberately broken dataset files and read files back without
// going through the library under test.
#include <hdf5.h>

#include <array>
#include <filesystem>
#include <string>
#include <vector>

namespace l1emu::stream::testing {

/// Writes one dataset `name` of `dims` with element type `file_type` holding `values` (converted
/// from double), plus, when `with_names`, the two string datasets of the layout.
inline void write_raw_dataset(const std::filesystem::path& path, const std::string& name, const std::vector<hsize_t>& dims,
                              hid_t file_type, const std::vector<double>& values, bool with_names = true,
                              const std::array<const char*, 4>& column_names = {"Pt", "Eta", "Phi", "Class"}) {
  const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  const hid_t space = H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr);
  const hid_t ds = H5Dcreate2(file, name.c_str(), file_type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  if (!values.empty()) H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
  H5Dclose(ds);
  H5Sclose(space);
  if (with_names) {
    auto strings = [&](const char* dname, std::vector<std::string> v, std::size_t width) {
      std::string data(width * v.size(), '\0');
      for (std::size_t i = 0; i < v.size(); ++i) data.replace(i * width, v[i].size(), v[i]);
      const hid_t t = H5Tcopy(H5T_C_S1);
      H5Tset_size(t, width);
      const hsize_t n = v.size();
      const hid_t s = H5Screate_simple(1, &n, nullptr);
      const hid_t d = H5Dcreate2(file, dname, t, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
      H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data());
      H5Dclose(d);
      H5Sclose(s);
      H5Tclose(t);
    };
    strings("Particles_Names", {column_names[0], column_names[1], column_names[2], column_names[3]}, 5);
    strings("Particles_Classes", {"MET_class_1", "Four_Ele_class_2", "Four_Mu_class_3", "Ten_Jet_class_4"}, 16);
  }
  H5Fclose(file);
}

/// All of `Particles` as doubles, shape checked by the caller via `dims`.
inline std::vector<double> read_raw_particles(const std::filesystem::path& path, std::array<hsize_t, 3>& dims) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  const hid_t ds = H5Dopen2(file, "Particles", H5P_DEFAULT);
  const hid_t space = H5Dget_space(ds);
  dims = {0, 0, 0};
  std::vector<double> values;
  if (H5Sget_simple_extent_ndims(space) == 3) {
    H5Sget_simple_extent_dims(space, dims.data(), nullptr);
    values.resize(dims[0] * dims[1] * dims[2]);
    H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
  }
  H5Sclose(space);
  H5Dclose(ds);
  H5Fclose(file);
  return values;
}

/// Fixed-length strings of a 1-D dataset, padding removed; empty when absent.
inline std::vector<std::string> read_raw_strings(const std::filesystem::path& path, const char* name) {
  std::vector<std::string> out;
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (H5Lexists(file, name, H5P_DEFAULT) > 0) {
    const hid_t ds = H5Dopen2(file, name, H5P_DEFAULT);
    const hid_t type = H5Dget_type(ds);
    const hid_t space = H5Dget_space(ds);
    const std::size_t width = H5Tget_size(type);
    const auto n = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space));
    std::string data(width * n, '\0');
    H5Dread(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data());
    for (std::size_t i = 0; i < n; ++i) {
      std::string s = data.substr(i * width, width);
      s.resize(s.find('\0') == std::string::npos ? s.size() : s.find('\0'));
      out.push_back(s);
    }
    H5Sclose(space);
    H5Tclose(type);
    H5Dclose(ds);
  }
  H5Fclose(file);
  return out;
}

}  // namespace l1emu::stream::testing
