#pragma once
// Test helper: two HDF5 files hold the same objects, and every dataset and attribute has the same
// type, shape and bytes (values and row order). Generic over the files' contents (H5Ovisit), so a
// dataset the writer adds later is compared too. Fixed-length types only (what the decision log
// writes); a variable-length one is reported as a failure rather than compared by pointer.
#include <gtest/gtest.h>
#include <hdf5.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace l1emu::testing {

namespace h5_compare_detail {

struct Blob {
  std::string kind;  // "group", "dataset", "attribute"
  std::vector<hsize_t> dims;
  std::vector<unsigned char> bytes;
  std::string type;  // H5LTdtype_to_text is in the high-level library: size and class instead
};

inline std::string type_text(hid_t type) {
  return std::to_string(static_cast<int>(H5Tget_class(type))) + "/" + std::to_string(H5Tget_size(type)) +
         (H5Tis_variable_str(type) > 0 ? "/vlen" : "");
}

inline std::vector<hsize_t> dims_of(hid_t space) {
  const int rank = H5Sget_simple_extent_ndims(space);
  std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 0)));
  if (rank > 0) H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  return dims;
}

inline std::size_t elements(const std::vector<hsize_t>& dims) {
  std::size_t n = 1;
  for (const hsize_t d : dims) n *= d;
  return n;
}

using Contents = std::map<std::string, Blob>;

inline herr_t add_attribute(hid_t obj, const char* name, const H5A_info_t*, void* data) {
  auto& out = *static_cast<std::pair<Contents*, std::string>*>(data);
  const hid_t attr = H5Aopen(obj, name, H5P_DEFAULT);
  const hid_t type = H5Aget_type(attr);
  const hid_t space = H5Aget_space(attr);
  Blob b{"attribute", dims_of(space), {}, type_text(type)};
  if (H5Sget_simple_extent_type(space) != H5S_NULL && H5Tis_variable_str(type) <= 0) {
    b.bytes.resize(elements(b.dims) * H5Tget_size(type));
    H5Aread(attr, type, b.bytes.data());
  }
  (*out.first)[out.second + "@" + name] = std::move(b);
  H5Sclose(space);
  H5Tclose(type);
  H5Aclose(attr);
  return 0;
}

inline herr_t add_object(hid_t root, const char* name, const H5O_info_t* info, void* data) {
  auto& contents = *static_cast<Contents*>(data);
  const hid_t obj = H5Oopen(root, name, H5P_DEFAULT);
  if (info->type == H5O_TYPE_DATASET) {
    const hid_t type = H5Dget_type(obj);
    const hid_t space = H5Dget_space(obj);
    Blob b{"dataset", dims_of(space), {}, type_text(type)};
    if (H5Tis_variable_str(type) <= 0) {
      b.bytes.resize(elements(b.dims) * H5Tget_size(type));
      if (!b.bytes.empty()) H5Dread(obj, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, b.bytes.data());
    }
    contents[name] = std::move(b);
    H5Sclose(space);
    H5Tclose(type);
  } else {
    contents[name] = Blob{"group", {}, {}, {}};
  }
  std::pair<Contents*, std::string> attr_out{&contents, name};
  hsize_t index = 0;
  H5Aiterate2(obj, H5_INDEX_NAME, H5_ITER_INC, &index, &add_attribute, &attr_out);
  H5Oclose(obj);
  return 0;
}

inline Contents read_contents(const std::filesystem::path& file) {
  Contents contents;
  const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) {
    ADD_FAILURE() << file << ": cannot open as HDF5";
    return contents;
  }
  H5Ovisit2(f, H5_INDEX_NAME, H5_ITER_INC, &add_object, &contents, H5O_INFO_BASIC);
  H5Fclose(f);
  return contents;
}

}  // namespace h5_compare_detail

/// Every object of `a` is in `b` and the other way round, with equal type, shape and bytes; but the
/// objects named in `ignore` ("group/dataset" or "object@attribute", "." the root).
inline void expect_same_h5(const std::filesystem::path& a, const std::filesystem::path& b, const std::set<std::string>& ignore = {}) {
  const auto ca = h5_compare_detail::read_contents(a);
  const auto cb = h5_compare_detail::read_contents(b);
  EXPECT_GT(ca.size(), 1U) << a;
  for (const auto& [name, blob] : ca) {
    if (ignore.contains(name)) continue;
    const auto it = cb.find(name);
    if (it == cb.end()) {
      ADD_FAILURE() << name << " of " << a << " is missing in " << b;
      continue;
    }
    EXPECT_EQ(blob.kind, it->second.kind) << name;
    EXPECT_EQ(blob.type, it->second.type) << name;
    EXPECT_EQ(blob.type.find("vlen"), std::string::npos) << name << ": a variable-length type is not compared";
    EXPECT_EQ(blob.dims, it->second.dims) << name;
    EXPECT_TRUE(blob.bytes == it->second.bytes) << name << " differs between " << a << " and " << b;
  }
  for (const auto& [name, blob] : cb) {
    if (!ca.contains(name)) ADD_FAILURE() << name << " of " << b << " is missing in " << a;
  }
}

}  // namespace l1emu::testing
