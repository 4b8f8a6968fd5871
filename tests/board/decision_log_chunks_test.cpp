// The decision log's direct path (chunks filtered by us with libdeflate, stored with
// H5Dwrite_chunk, on a helper thread or not) against the plain path (every record through H5Dwrite
// and HDF5's own zlib filter): the same records read back, the same chunk contents once inflated
// (the compressed bytes differ: libdeflate's and zlib's streams), across several chunks, a partial
// last chunk and an append after reopening in the middle of a chunk; and the same stored bytes
// whichever thread compressed them.
#include <hdf5.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "l1emu/board/decision_log.h"
#include "l1emu/board/decision_log_reader.h"
#include "l1emu/stream/chunk_codec.h"

namespace l1emu::board {
namespace {
namespace fs = std::filesystem;

constexpr std::size_t kChunk = decision_log_format::kChunkRecords;
constexpr std::size_t kRecords = 3 * kChunk + kChunk / 2 + 345;  // three full chunks and a partial one

std::vector<DecisionRecord> make_records() {
  std::vector<DecisionRecord> records;
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (std::uint64_t i = 0; i < kRecords; ++i) {
    hash = (hash ^ i) * 0x100000001b3ULL;  // incompressible, like real input hashes
    const std::uint64_t bits = (i % 7 == 0 ? 1U : 0U) | (i % 11 == 0 ? 2U : 0U) | (i % 13 == 0 ? 4U : 0U);
    records.push_back({i, static_cast<std::uint32_t>(i / 3564), static_cast<std::uint16_t>(i % 3564), static_cast<std::int64_t>(i) * 3 - 5,
                       static_cast<std::uint8_t>(i % 5), hash, static_cast<std::int64_t>(hash % 4000) - 2000, bits, bits & 5,
                       i % 97 == 0 ? Outcome::lost_to_dead_time : Outcome::processed, 19 + static_cast<std::uint32_t>(i % 3), 115.0 + 2.5 * static_cast<double>(i % 3)});
  }
  return records;
}

DecisionLog::Header make_header() {
  DecisionLog::Header header;
  header.menu.bits = {{0, "Loose", 100, 1, std::nullopt}, {1, "Nominal", 500, 1, std::nullopt}, {2, "Tight", 1500, 2, std::nullopt}};
  header.samples = {"a", "b", "c", "d", "e"};
  header.scenario_yaml = "name: chunks\n";
  header.model = "test";
  header.score_fractional_bits = 6;
  header.filling_scheme = "nominal-25ns";
  header.colliding_bunches = 2340;
  return header;
}

// Records [0, split) in a first run, the rest after open_for_append, each committed.
void write_log(const fs::path& h5, const fs::path& csv, const std::vector<DecisionRecord>& records, std::size_t split,
               const DecisionLogOptions& options) {
  {
    auto log = DecisionLog::create(h5, csv, make_header(), options);
    for (std::size_t i = 0; i < split; ++i) log->append(records[i]);
    log->commit();
  }
  if (split == records.size()) return;
  auto log = DecisionLog::open_for_append(h5, csv, options);
  for (std::size_t i = split; i < records.size(); ++i) log->append(records[i]);
  EXPECT_EQ(log->size(), records.size());
  log->commit();
}

struct StoredChunk {
  std::vector<hsize_t> offset;
  std::uint32_t filter_mask = 0;
  std::vector<std::uint8_t> bytes;     // as stored
  std::vector<std::uint8_t> inflated;  // the shuffled chunk (every dataset here is shuffle + deflate)
  friend bool operator==(const StoredChunk&, const StoredChunk&) = default;
};

// Every chunk of every /decisions dataset as stored in the file (H5Dread_chunk: no filter undone).
std::vector<StoredChunk> stored_chunks(const fs::path& h5) {
  std::vector<StoredChunk> out;
  const hid_t file = H5Fopen(h5.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  EXPECT_GE(file, 0);
  for (const char* name : {"event", "orbit", "bx", "event_id", "sample", "inputs_hash", "score_code", "bits_before_prescale",
                           "bits_after_prescale", "accepted", "latency_cycles", "latency_ns", "score", "bits"}) {
    const hid_t ds = H5Dopen2(file, (std::string("/decisions/") + name).c_str(), H5P_DEFAULT);
    EXPECT_GE(ds, 0) << name;
    const hid_t space = H5Dget_space(ds);
    hsize_t n = 0;
    H5Dget_num_chunks(ds, space, &n);
    const int rank = H5Sget_simple_extent_ndims(space);
    const hid_t dcpl = H5Dget_create_plist(ds);
    const hid_t type = H5Dget_type(ds);
    hsize_t chunk_dims[2] = {1, 1};
    H5Pget_chunk(dcpl, 2, chunk_dims);
    const std::size_t chunk_bytes = chunk_dims[0] * (rank == 2 ? chunk_dims[1] : 1) * H5Tget_size(type);
    H5Tclose(type);
    H5Pclose(dcpl);
    stream::chunk_codec::Inflater inflater;
    for (hsize_t i = 0; i < n; ++i) {
      StoredChunk c;
      c.offset.resize(static_cast<std::size_t>(rank));
      unsigned mask = 0;
      haddr_t addr = 0;
      hsize_t size = 0;
      H5Dget_chunk_info(ds, space, i, c.offset.data(), &mask, &addr, &size);
      c.bytes.resize(size);
      EXPECT_GE(H5Dread_chunk(ds, H5P_DEFAULT, c.offset.data(), &c.filter_mask, c.bytes.data()), 0) << name;
      c.inflated.resize(chunk_bytes);
      EXPECT_EQ(inflater.decompress(c.bytes, c.inflated), stream::chunk_codec::Inflater::Status::ok) << name << " chunk " << i;
      out.push_back(std::move(c));
    }
    H5Sclose(space);
    H5Dclose(ds);
  }
  H5Fclose(file);
  return out;
}

std::string text_of(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class DecisionLogChunks : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("l1emu_log_chunks_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    write_log(dir_ / "plain.h5", dir_ / "plain.csv", records_, records_.size(), {.background_compression = false, .direct_chunk_writes = false});
  }
  void TearDown() override { fs::remove_all(dir_); }

  void expect_same_as_plain(const std::string& name) {
    const fs::path h5 = dir_ / (name + ".h5");
    EXPECT_EQ(DecisionLog::read_all(h5), records_);
    EXPECT_EQ(text_of(dir_ / (name + ".csv")), text_of(dir_ / "plain.csv"));
    const auto plain = stored_chunks(dir_ / "plain.h5");
    const auto chunks = stored_chunks(h5);
    EXPECT_EQ(plain.size(), 4U * 13U + 4U);  // 4 chunks of 14 datasets
    ASSERT_EQ(chunks.size(), plain.size());
    for (std::size_t i = 0; i < chunks.size(); ++i) {
      EXPECT_EQ(chunks[i].offset, plain[i].offset) << "stored chunk " << i;
      EXPECT_EQ(chunks[i].filter_mask, 0U) << "stored chunk " << i;
      EXPECT_TRUE(chunks[i].inflated == plain[i].inflated) << "stored chunk " << i << " differs once inflated";
    }
    // The rates reader (an independent HDF5 read path) sees the same score codes and bits.
    DecisionLogReader reader(h5);
    DecisionChunk chunk;
    std::size_t row = 0;
    while (reader.read_next(chunk)) {
      for (std::size_t i = 0; i < chunk.size(); ++i, ++row) {
        ASSERT_EQ(chunk.score_code[i], records_[row].score_code);
        for (std::size_t b = 0; b < chunk.bit_count; ++b)
          ASSERT_EQ(chunk.bits[i * chunk.bit_count + b], (records_[row].bits_before_prescale >> b) & 1U);
      }
    }
    EXPECT_EQ(row, records_.size());
  }

  fs::path dir_;
  std::vector<DecisionRecord> records_ = make_records();
};

TEST_F(DecisionLogChunks, DirectChunksOnTheCallerStoreWhatHdf5Stores) {
  write_log(dir_ / "direct.h5", dir_ / "direct.csv", records_, records_.size(), {.background_compression = false});
  expect_same_as_plain("direct");
}

TEST_F(DecisionLogChunks, DirectChunksOnAHelperThreadStoreWhatHdf5Stores) {
  write_log(dir_ / "helper.h5", dir_ / "helper.csv", records_, records_.size(), {.background_compression = true});
  expect_same_as_plain("helper");
}

TEST_F(DecisionLogChunks, TheCompressingThreadChangesNoStoredByte) {
  write_log(dir_ / "caller.h5", dir_ / "caller.csv", records_, records_.size(), {.background_compression = false});
  write_log(dir_ / "helper.h5", dir_ / "helper.csv", records_, records_.size(), {.background_compression = true});
  const auto caller = stored_chunks(dir_ / "caller.h5");
  const auto helper = stored_chunks(dir_ / "helper.h5");
  ASSERT_EQ(caller.size(), helper.size());
  for (std::size_t i = 0; i < caller.size(); ++i) EXPECT_TRUE(caller[i] == helper[i]) << "stored chunk " << i << " differs";
  EXPECT_EQ(text_of(dir_ / "caller.h5"), text_of(dir_ / "helper.h5"));
}

TEST_F(DecisionLogChunks, AppendAfterReopeningInTheMiddleOfAChunk) {
  // One full chunk and 4464 records of the second; the append fills that chunk through H5Dwrite,
  // then goes on with direct chunks.
  write_log(dir_ / "resumed.h5", dir_ / "resumed.csv", records_, kChunk + 4464, {.background_compression = true});
  expect_same_as_plain("resumed");
}

TEST_F(DecisionLogChunks, AppendAfterReopeningOnAChunkBoundary) {
  write_log(dir_ / "boundary.h5", dir_ / "boundary.csv", records_, 2 * kChunk, {.background_compression = true});
  expect_same_as_plain("boundary");
}

TEST_F(DecisionLogChunks, AnUncommittedLogWithAChunkInFlightLeavesNothing) {
  {
    auto log = DecisionLog::create(dir_ / "gone.h5", dir_ / "gone.csv", make_header(), {.background_compression = true});
    for (std::size_t i = 0; i < kChunk + 10; ++i) log->append(records_[i]);
  }
  EXPECT_FALSE(fs::exists(dir_ / "gone.h5.partial"));
  EXPECT_FALSE(fs::exists(dir_ / "gone.csv.partial"));
  EXPECT_FALSE(fs::exists(dir_ / "gone.h5"));
}

}  // namespace
}  // namespace l1emu::board
