// The dataset reader's direct chunk path (H5Dread_chunk + libdeflate inflate + unshuffle, see
// stream/src/direct_chunk_reader.h) against H5Dread (direct_chunk_reads off): every value bit for
// bit, for chunked + deflate, chunked + shuffle + deflate, contiguous and unfiltered files; float32
// and float64; 1-D, (N,1) and int32 event ids; a partial last chunk; reads that start and end
// inside chunks; layouts it leaves to H5Dread (chunks not spanning whole rows, unallocated chunks).
// And the errors: a corrupt chunk and one of the wrong size name the file, dataset and chunk.
#include <hdf5.h>

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "hdf5_test_files.h"
#include "l1emu/stream/chunk_codec.h"
#include "l1emu/stream/dataset_reader.h"
#include "l1emu/stream/dataset_writer.h"
#include "l1emu/stream/error.h"
#include "l1emu/stream/event_generator.h"
#include "l1emu/stream/work_pool.h"
#include "expect_data_error.h"
#include "temp_dir.h"

namespace l1emu::stream {
namespace {

using testing::expect_data_error;
using testing::TempDir;

struct Filters {
  bool chunked = true;
  hsize_t chunk_rows = 100;
  hsize_t chunk_columns = layout::kColumns;  // < 4: chunks not spanning whole rows
  bool shuffle = true;
  bool deflate = true;
};

// Values that exercise the conversion: signs, zeros, tiny and huge, infinities, a NaN.
std::vector<double> particle_values(std::size_t events, bool float32) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal(0.0, 50.0);
  std::vector<double> v(events * layout::kRows * layout::kColumns);
  for (double& x : v) x = float32 ? static_cast<double>(static_cast<float>(normal(rng))) : normal(rng);
  const double specials[] = {0.0, -0.0, 1e-40, -3.5e38, std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                             std::numeric_limits<double>::quiet_NaN(), 1.0};
  for (std::size_t i = 0; i < std::size(specials) && i * 97 < v.size(); ++i) v[i * 97] = specials[i];
  return v;
}

void set_filters(hid_t dcpl, const Filters& f, const std::vector<hsize_t>& chunk) {
  if (!f.chunked) return;
  H5Pset_chunk(dcpl, static_cast<int>(chunk.size()), chunk.data());
  if (f.shuffle) H5Pset_shuffle(dcpl);
  if (f.deflate) H5Pset_deflate(dcpl, 6);
}

// Particles (N,19,4) of `ptype` and, when `id_rank` > 0, EvtId of rank 1 or 2 and `id_type`,
// both with the filters `f`; rows [skip_from, skip_to) of Particles are never written (chunks
// there stay unallocated).
void write_file(const std::filesystem::path& path, std::size_t events, hid_t ptype, const Filters& f, int id_rank = 1,
                hid_t id_type = H5T_STD_I64LE, std::size_t skip_from = 0, std::size_t skip_to = 0) {
  testing::write_raw_dataset(path, "Unused", {1}, H5T_IEEE_F32LE, {0.0});  // the string datasets
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  const std::vector<hsize_t> dims{events, layout::kRows, layout::kColumns};
  // Extendible when chunked, like the writer's (and so a chunk may hold more rows than the file).
  const std::vector<hsize_t> maxdims{f.chunked ? H5S_UNLIMITED : events, layout::kRows, layout::kColumns};
  const hid_t space = H5Screate_simple(3, dims.data(), maxdims.data());
  const hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  set_filters(dcpl, f, {f.chunk_rows, layout::kRows, f.chunk_columns});
  const hid_t ds = H5Dcreate2(file, "Particles", ptype, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  const std::vector<double> values = particle_values(events, H5Tget_size(ptype) == 4);
  const std::size_t per_event = layout::kRows * layout::kColumns;
  auto write_rows = [&](std::size_t first, std::size_t count) {
    if (count == 0) return;
    const hid_t fspace = H5Dget_space(ds);
    const hsize_t start[3] = {first, 0, 0};
    const hsize_t extent[3] = {count, layout::kRows, layout::kColumns};
    H5Sselect_hyperslab(fspace, H5S_SELECT_SET, start, nullptr, extent, nullptr);
    const hid_t mspace = H5Screate_simple(3, extent, nullptr);
    H5Dwrite(ds, H5T_NATIVE_DOUBLE, mspace, fspace, H5P_DEFAULT, values.data() + first * per_event);
    H5Sclose(mspace);
    H5Sclose(fspace);
  };
  write_rows(0, skip_from);
  write_rows(skip_to, events - skip_to);
  H5Dclose(ds);
  H5Pclose(dcpl);
  H5Sclose(space);
  if (id_rank > 0) {
    const std::vector<hsize_t> idims{events, 1};
    const std::vector<hsize_t> imaxdims{f.chunked ? H5S_UNLIMITED : events, 1};
    const hid_t ispace = H5Screate_simple(id_rank, idims.data(), imaxdims.data());
    const hid_t icpl = H5Pcreate(H5P_DATASET_CREATE);
    set_filters(icpl, f, id_rank == 1 ? std::vector<hsize_t>{f.chunk_rows} : std::vector<hsize_t>{f.chunk_rows, 1});
    const hid_t ids = H5Dcreate2(file, "EvtId", id_type, ispace, H5P_DEFAULT, icpl, H5P_DEFAULT);
    std::vector<long long> id_values(events);
    for (std::size_t i = 0; i < events; ++i) id_values[i] = static_cast<long long>(i * 7919 % 100003) - 5000;
    H5Dwrite(ids, H5T_NATIVE_LLONG, H5S_ALL, H5S_ALL, H5P_DEFAULT, id_values.data());
    H5Dclose(ids);
    H5Pclose(icpl);
    H5Sclose(ispace);
  }
  H5Ldelete(file, "Unused", H5P_DEFAULT);
  H5Fclose(file);
}

bool same_bits(const DatasetEvent& a, const DatasetEvent& b) {
  return a.event_id == b.event_id && std::memcmp(a.rows.data(), b.rows.data(), sizeof(a.rows)) == 0;
}

// Reads the whole file both ways in reads of `step` events (and once at random offsets) and
// compares every value bit for bit; the direct reads also with the chunks ahead inflated on a work
// pool's threads (1 and 2 helpers, 1 and 3 chunks ahead).
void expect_same_both_ways(const std::filesystem::path& path) {
  WorkPool one(1), two(2);
  struct Way {
    WorkPool* pool;
    std::size_t ahead;
  };
  for (const Way way : {Way{nullptr, 0}, Way{&one, 1}, Way{&two, 3}}) {
    for (std::size_t step : {std::size_t{8192}, std::size_t{1000}, std::size_t{37}, std::size_t{1}}) {
      DatasetReader direct(path, {.chunk_events = step, .read_ahead_chunks = way.ahead});
      direct.share_work(way.pool);
      DatasetReader plain(path, {.chunk_events = step, .direct_chunk_reads = false});
      ASSERT_EQ(direct.size(), plain.size());
      std::vector<DatasetEvent> a, b;
      std::size_t row = 0;
      while (plain.next_chunk(b)) {
        ASSERT_TRUE(direct.next_chunk(a));
        ASSERT_EQ(a.size(), b.size());
        for (std::size_t i = 0; i < a.size(); ++i, ++row)
          ASSERT_TRUE(same_bits(a[i], b[i])) << path << " event " << row << " step " << step << " ahead " << way.ahead;
      }
      EXPECT_FALSE(direct.next_chunk(a));
      EXPECT_EQ(row, plain.size());
      direct.share_work(nullptr);
    }
    DatasetReader direct(path, {.read_ahead_chunks = way.ahead});
    direct.share_work(way.pool);
    DatasetReader plain(path, {.direct_chunk_reads = false});
    std::mt19937 rng(3);
    std::vector<DatasetEvent> a, b;
    for (int k = 0; k < 50; ++k) {
      const std::size_t first = rng() % plain.size();
      const std::size_t count = std::min<std::size_t>(1 + rng() % 300, plain.size() - first);
      direct.read(first, count, a);
      plain.read(first, count, b);
      for (std::size_t i = 0; i < count; ++i) ASSERT_TRUE(same_bits(a[i], b[i])) << path << " event " << first + i << " ahead " << way.ahead;
    }
    direct.share_work(nullptr);
  }
}

TEST(DatasetChunkReads, WriterFilesFloat32AndFloat64WithAPartialLastChunk) {
  TempDir dir;
  EventGenerator g({.process = Process::background, .seed = 5});
  for (auto type : {FloatType::float32, FloatType::float64}) {
    const auto path = dir / (type == FloatType::float32 ? "f32.h5" : "f64.h5");
    DatasetWriter w(path, {.element_type = type});
    for (std::size_t i = 0; i < 3 * 1024 + 517; ++i) w.write(g.next());
    w.close();
    expect_same_both_ways(path);
  }
}

TEST(DatasetChunkReads, ShuffleDeflateAndDeflateOnlyWith1DAnd2DEventIds) {
  TempDir dir;
  write_file(dir / "sd_f32.h5", 1050, H5T_IEEE_F32LE, {.shuffle = true}, 1, H5T_STD_I64LE);
  write_file(dir / "d_f32.h5", 1050, H5T_IEEE_F32LE, {.shuffle = false}, 2, H5T_STD_I64LE);
  write_file(dir / "sd_f64.h5", 999, H5T_IEEE_F64LE, {.chunk_rows = 64}, 2, H5T_STD_I32LE);
  write_file(dir / "d_f64.h5", 1000, H5T_IEEE_F64LE, {.chunk_rows = 1000, .shuffle = false}, 1, H5T_STD_I32LE);
  write_file(dir / "one_chunk_bigger_than_file.h5", 10, H5T_IEEE_F32LE, {.chunk_rows = 4096});
  for (const char* name : {"sd_f32.h5", "d_f32.h5", "sd_f64.h5", "d_f64.h5", "one_chunk_bigger_than_file.h5"}) expect_same_both_ways(dir / name);
}

TEST(DatasetChunkReads, LayoutsLeftToHdf5ReadTheSame) {
  TempDir dir;
  write_file(dir / "contiguous.h5", 500, H5T_IEEE_F32LE, {.chunked = false}, 1);
  write_file(dir / "chunked_unfiltered.h5", 500, H5T_IEEE_F32LE, {.shuffle = false, .deflate = false}, 2);
  write_file(dir / "shuffle_only.h5", 500, H5T_IEEE_F32LE, {.shuffle = true, .deflate = false}, 1);
  write_file(dir / "half_row_chunks.h5", 500, H5T_IEEE_F32LE, {.chunk_columns = 2}, 1);
  write_file(dir / "big_endian.h5", 500, H5T_IEEE_F32BE, {}, 1, H5T_STD_I64BE);
  write_file(dir / "unallocated.h5", 1000, H5T_IEEE_F32LE, {}, 1, H5T_STD_I64LE, 250, 560);  // chunks 3-4 never written
  for (const char* name : {"contiguous.h5", "chunked_unfiltered.h5", "shuffle_only.h5", "half_row_chunks.h5", "big_endian.h5", "unallocated.h5"})
    expect_same_both_ways(dir / name);
}

// Replaces chunk `index` of Particles by `bytes` (filter mask 0: still "shuffled and deflated").
void overwrite_chunk(const std::filesystem::path& path, hsize_t chunk_rows, hsize_t index, const std::vector<std::uint8_t>& bytes) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  const hid_t ds = H5Dopen2(file, "Particles", H5P_DEFAULT);
  const hsize_t offset[3] = {index * chunk_rows, 0, 0};
  ASSERT_GE(H5Dwrite_chunk(ds, H5P_DEFAULT, 0, offset, bytes.size(), bytes.data()), 0);
  H5Dclose(ds);
  H5Fclose(file);
}

TEST(DatasetChunkReads, CorruptAndWrongSizeChunksNameTheFileDatasetAndChunk) {
  TempDir dir;
  const auto corrupt = dir / "corrupt.h5";
  write_file(corrupt, 500, H5T_IEEE_F32LE, {});
  overwrite_chunk(corrupt, 100, 2, std::vector<std::uint8_t>(300, 0xAB));
  DatasetReader reader(corrupt);
  std::vector<DatasetEvent> out;
  reader.read(0, 200, out);  // chunks 0 and 1 are fine
  expect_data_error([&] { reader.read(150, 100, out); }, {corrupt.string(), "'Particles'", "chunk 2 (rows 200-299)", "corrupt"});

  const auto short_chunk = dir / "short.h5";
  write_file(short_chunk, 500, H5T_IEEE_F32LE, {});
  std::vector<std::uint8_t> half(50 * layout::kRows * layout::kColumns * 4, 0), stream;
  chunk_codec::Deflater(1).compress(half, stream);  // a valid stream of half a chunk
  overwrite_chunk(short_chunk, 100, 4, stream);
  DatasetReader short_reader(short_chunk);
  expect_data_error([&] { short_reader.read(420, 10, out); }, {short_chunk.string(), "'Particles'", "chunk 4 (rows 400-499)", "does not inflate"});
}

// Reading ahead on a pool inflates chunks before they are read: a bad chunk's error still comes
// when (and each time) that chunk is read, never while reading the chunks before it.
TEST(DatasetChunkReads, ReadingAheadReportsABadChunkWhenItIsRead) {
  TempDir dir;
  const auto corrupt = dir / "corrupt.h5";
  write_file(corrupt, 500, H5T_IEEE_F32LE, {});
  overwrite_chunk(corrupt, 100, 2, std::vector<std::uint8_t>(300, 0xAB));
  WorkPool pool(1);
  DatasetReader reader(corrupt, {.read_ahead_chunks = 3});
  reader.share_work(&pool);
  std::vector<DatasetEvent> out;
  reader.read(0, 150, out);  // chunks 0 and 1, with 2 to 4 inflated ahead
  reader.read(150, 50, out);
  for (int attempt = 0; attempt < 2; ++attempt)
    expect_data_error([&] { reader.read(150, 100, out); }, {corrupt.string(), "'Particles'", "chunk 2 (rows 200-299)", "corrupt"});
  reader.read(300, 200, out);  // the chunks after it are fine
  EXPECT_EQ(out.size(), 200U);
  reader.share_work(nullptr);
}

TEST(ChunkCodec, ShuffleRoundTripsAndMatchesHdf5sRules) {
  std::vector<std::uint8_t> raw(4 * 10 + 3);
  for (std::size_t i = 0; i < raw.size(); ++i) raw[i] = static_cast<std::uint8_t>(i);
  std::vector<std::uint8_t> shuffled, back(raw.size());
  chunk_codec::shuffle(raw, 4, shuffled);
  EXPECT_EQ(shuffled[0], 0);
  EXPECT_EQ(shuffled[1], 4);   // byte 0 of element 1
  EXPECT_EQ(shuffled[10], 1);  // byte 1 of element 0
  EXPECT_EQ(shuffled[40], 40);  // the remainder as is
  chunk_codec::unshuffle(shuffled, 4, back);
  EXPECT_EQ(back, raw);
  for (std::size_t size : {2, 3, 8, 16}) {  // every specialised size and the generic loop, against HDF5's definition
    std::vector<std::uint8_t> mine;
    chunk_codec::shuffle(raw, size, mine);
    const std::size_t n = raw.size() / size;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < size; ++j) ASSERT_EQ(mine[j * n + i], raw[i * size + j]) << size;
    for (std::size_t k = n * size; k < raw.size(); ++k) ASSERT_EQ(mine[k], raw[k]) << size;
    std::vector<std::uint8_t> round(raw.size());
    chunk_codec::unshuffle(mine, size, round);
    EXPECT_EQ(round, raw) << size;
  }
  chunk_codec::shuffle(std::span(raw).first(4), 4, shuffled);  // one element: unchanged
  EXPECT_EQ(shuffled, std::vector<std::uint8_t>(raw.begin(), raw.begin() + 4));
}

// Large buffers (where the release build shuffles whole 64-byte blocks with vpermb) against HDF5's
// definition, for every specialised size, with element counts that leave no remainder, a partial
// block and a trailing byte remainder.
TEST(ChunkCodec, ShuffleOfLargeBuffersIsHdf5sRuleForEverySize) {
  std::mt19937_64 rng(9);
  for (const std::size_t size : {std::size_t{2}, std::size_t{4}, std::size_t{8}}) {
    for (const std::size_t n : {std::size_t{32}, std::size_t{65536}, std::size_t{1029}, std::size_t{77}}) {
      std::vector<std::uint8_t> raw(n * size + (n % 3) % size);  // a remainder shorter than an element
      for (auto& b : raw) b = static_cast<std::uint8_t>(rng());
      std::vector<std::uint8_t> mine;
      chunk_codec::shuffle(raw, size, mine);
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < size; ++j) ASSERT_EQ(mine[j * n + i], raw[i * size + j]) << size << " n " << n << " i " << i;
      for (std::size_t k = n * size; k < raw.size(); ++k) ASSERT_EQ(mine[k], raw[k]) << size;
      std::vector<std::uint8_t> round(raw.size());
      chunk_codec::unshuffle(mine, size, round);
      ASSERT_EQ(round, raw) << size << " n " << n;
    }
  }
}

// A chunk index whose entry declares a 4 GiB chunk in a 9.6 kB file (data/chunk_index_beyond_file.h5:
// a dataset file written by DatasetWriter with bytes changed, found by fuzz/dataset_h5_fuzz.cpp). The
// declared size sized the read buffer before it was checked against the file.
TEST(DatasetChunkReads, AChunkIndexPointingBeyondTheFileIsADataError) {
  const std::filesystem::path file = std::filesystem::path(L1EMU_SOURCE_DIR) / "tests/stream/data/chunk_index_beyond_file.h5";
  expect_data_error(
      [&] {
        DatasetReader reader(file);
        std::vector<DatasetEvent> out;
        while (reader.next_chunk(out)) {
        }
      },
      {file.string(), "chunk index places 4294966766 bytes", "beyond the file's 9600 bytes"});
}

}  // namespace
}  // namespace l1emu::stream
