// A dataset whose declared shape claims more than the file stores is refused before anything is
// read: extents far beyond the written chunks, contiguous storage never written, chunks too large
// to decode. Files are built with the HDF5 C API, independently of the library's writer.
#include <gtest/gtest.h>
#include <hdf5.h>

#include <filesystem>
#include <string>
#include <vector>

#include "expect_data_error.h"
#include "l1emu/stream/dataset_reader.h"
#include "l1emu/stream/hdf5_storage_checks.h"
#include "temp_dir.h"

namespace l1emu::stream {
namespace {

using testing::expect_data_error;
using testing::TempDir;

struct DeclaredDataset {
  std::vector<hsize_t> dims;   // the declared extent
  std::vector<hsize_t> chunk;  // empty: contiguous
  hsize_t rows_written = 0;    // rows of zeros actually written from row 0
  hid_t file_type = H5T_IEEE_F32LE;
};

// Writes `name` (float32) with the declared extent and chunks, with rows_written rows of data; the
// rest of the extent is never written.
void write_declared(const std::filesystem::path& path, const std::string& name, std::vector<hsize_t> dims, std::vector<hsize_t> chunk,
                    hsize_t rows_written, bool write_last_row = false) {
  const DeclaredDataset d{std::move(dims), std::move(chunk), rows_written};
  const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  std::vector<hsize_t> max = d.dims;
  if (!d.chunk.empty()) max[0] = H5S_UNLIMITED;
  const hid_t space = H5Screate_simple(static_cast<int>(d.dims.size()), d.dims.data(), max.data());
  const hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  if (!d.chunk.empty()) H5Pset_chunk(dcpl, static_cast<int>(d.chunk.size()), d.chunk.data());
  const hid_t ds = H5Dcreate2(file, name.c_str(), d.file_type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  ASSERT_GE(ds, 0);
  if (d.rows_written > 0) {
    std::vector<hsize_t> extent = d.dims;
    extent[0] = d.rows_written;
    std::size_t n = 1;
    for (const hsize_t e : extent) n *= e;
    const std::vector<double> zeros(n, 0.0);
    const std::vector<hsize_t> start(d.dims.size(), 0);
    H5Sselect_hyperslab(space, H5S_SELECT_SET, start.data(), nullptr, extent.data(), nullptr);
    const hid_t mem = H5Screate_simple(static_cast<int>(extent.size()), extent.data(), nullptr);
    ASSERT_GE(H5Dwrite(ds, H5T_NATIVE_DOUBLE, mem, space, H5P_DEFAULT, zeros.data()), 0);
    H5Sclose(mem);
  }
  if (write_last_row) {
    std::vector<hsize_t> start(d.dims.size(), 0), extent = d.dims;
    start[0] = d.dims[0] - 1;
    extent[0] = 1;
    std::size_t n = 1;
    for (const hsize_t e : extent) n *= e;
    const std::vector<double> ones(n, 1.0);
    H5Sselect_hyperslab(space, H5S_SELECT_SET, start.data(), nullptr, extent.data(), nullptr);
    const hid_t mem = H5Screate_simple(static_cast<int>(extent.size()), extent.data(), nullptr);
    ASSERT_GE(H5Dwrite(ds, H5T_NATIVE_DOUBLE, mem, space, H5P_DEFAULT, ones.data()), 0);
    H5Sclose(mem);
  }
  H5Dclose(ds);
  H5Pclose(dcpl);
  H5Sclose(space);
  H5Fclose(file);
}

// Opens `name` and runs the check on it.
void check(const std::filesystem::path& path, const std::string& name, hdf5::ChunkGaps gaps = hdf5::ChunkGaps::refused) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  const hid_t ds = H5Dopen2(file, name.c_str(), H5P_DEFAULT);
  try {
    hdf5::require_stored_extent(ds, path.string() + ": " + name, std::filesystem::file_size(path), gaps);
  } catch (...) {
    H5Dclose(ds);
    H5Fclose(file);
    throw;
  }
  H5Dclose(ds);
  H5Fclose(file);
}

TEST(Hdf5StorageChecks, FullyWrittenDatasetsPass) {
  TempDir dir;
  write_declared(dir / "chunked.h5", "x", {2500, 4}, {1024, 4}, 2500);
  EXPECT_NO_THROW(check(dir / "chunked.h5", "x"));
  write_declared(dir / "contiguous.h5", "x", {300, 4}, {}, 300);
  EXPECT_NO_THROW(check(dir / "contiguous.h5", "x"));
  write_declared(dir / "empty.h5", "x", {0, 4}, {16, 4}, 0);
  EXPECT_NO_THROW(check(dir / "empty.h5", "x"));
}

TEST(Hdf5StorageChecks, AnExtentBeyondTheWrittenChunksIsRefused) {
  TempDir dir;
  write_declared(dir / "forged.h5", "x", {hsize_t{1} << 40, 4}, {1024, 4}, 1024);
  expect_data_error([&] { check(dir / "forged.h5", "x"); }, {"forged.h5: x", "(1099511627776,4)", "1073741824 chunks", "stores 1"});
  // One chunk short is as wrong as a billion.
  write_declared(dir / "short.h5", "x", {2049, 4}, {1024, 4}, 2048);
  expect_data_error([&] { check(dir / "short.h5", "x"); }, {"needs 3 chunks", "stores 2"});
}

// Gaps of unwritten chunks inside the extent read as the fill value when asked (h5py's partial
// writes), but the extent must still end in stored data.
TEST(Hdf5StorageChecks, GapsInsideTheExtentCanBeReadAsFillValues) {
  TempDir dir;
  write_declared(dir / "gap.h5", "x", {3000, 4}, {1024, 4}, 1024, /*write_last_row=*/true);  // chunk 1 never written
  EXPECT_NO_THROW(check(dir / "gap.h5", "x", hdf5::ChunkGaps::read_as_fill_value));
  expect_data_error([&] { check(dir / "gap.h5", "x", hdf5::ChunkGaps::refused); }, {"needs 3 chunks", "stores 2"});
  write_declared(dir / "end.h5", "x", {3000, 4}, {1024, 4}, 1024);
  expect_data_error([&] { check(dir / "end.h5", "x", hdf5::ChunkGaps::read_as_fill_value); },
                    {"end.h5: x", "ends in a chunk at (2048,0) that the file does not store"});
}

TEST(Hdf5StorageChecks, ContiguousStorageNeverWrittenIsRefused) {
  TempDir dir;
  write_declared(dir / "unwritten.h5", "x", {1000000, 4}, {}, 0);
  expect_data_error([&] { check(dir / "unwritten.h5", "x"); }, {"unwritten.h5: x", "(1000000,4)", "16000000 bytes"});
}

TEST(Hdf5StorageChecks, ChunksTooLargeToDecodeAreRefused) {
  TempDir dir;
  write_declared(dir / "huge_chunk.h5", "x", {10, 19, 4}, {10000000, 19, 4}, 0);
  expect_data_error([&] { check(dir / "huge_chunk.h5", "x"); }, {"huge_chunk.h5: x", "chunks of (10000000,19,4)", "2899 MiB", "at most 256 MiB"});
}

TEST(Hdf5StorageChecks, TheDatasetReaderChecksBeforeReading) {
  TempDir dir;
  write_declared(dir / "forged.h5", "Particles", {hsize_t{1} << 40, 19, 4}, {64, 19, 4}, 64);
  expect_data_error([&] { DatasetReader r(dir / "forged.h5", {.check_names = false}); },
                    {"forged.h5", "'Particles'", "ends in a chunk at (1099511627712,0,0) that the file does not store"});
  write_declared(dir / "huge_chunk.h5", "Particles", {10, 19, 4}, {10000000, 19, 4}, 0);
  expect_data_error([&] { DatasetReader r(dir / "huge_chunk.h5", {.check_names = false}); }, {"huge_chunk.h5", "at most 256 MiB"});
}

}  // namespace
}  // namespace l1emu::stream
