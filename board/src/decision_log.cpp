#include "l1emu/board/decision_log.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <optional>
#include <span>

#include <fmt/format.h>

#include "l1emu/board/decision_record_reader.h"
#include "l1emu/board/error.h"
#include "l1emu/stream/hdf5_handle.h"
#include "chunk_filter.h"
#include "l1emu/stream/work_pool.h"

namespace l1emu::board {
namespace fs = std::filesystem;
namespace hdf5 = stream::hdf5;

namespace {

namespace format = decision_log_format;
using format::Column;

// Records per chunk of every /decisions dataset (decision_log_format.h).
constexpr hsize_t kChunk = format::kChunkRecords;

fs::path partial(const fs::path& p) { return fs::path(p.string() + ".partial"); }

// Strings as one fixed-length, null-padded HDF5 string type of the longest one's width (h5py reads
// them as bytes), and the packed buffer to write: for datasets and attributes alike.
struct PackedStrings {
  hdf5::Handle type;
  std::vector<char> data;
};
PackedStrings pack_strings(const std::vector<std::string>& values, const std::string& ctx) {
  std::size_t width = 1;
  for (const auto& v : values) width = std::max(width, v.size());
  PackedStrings p{hdf5::datatype(H5Tcopy(H5T_C_S1), ctx, "copying a string type"),
                  std::vector<char>(std::max<std::size_t>(1, values.size()) * width, '\0')};
  for (std::size_t i = 0; i < values.size(); ++i) std::memcpy(p.data.data() + i * width, values[i].data(), values[i].size());
  hdf5::check(H5Tset_size(p.type.get(), width), ctx, "setting the string size");
  hdf5::check(H5Tset_strpad(p.type.get(), H5T_STR_NULLPAD), ctx, "setting the string padding");
  return p;
}

void write_strings(hid_t parent, const std::string& name, const std::vector<std::string>& values, const std::string& ctx) {
  const PackedStrings packed = pack_strings(values, ctx);
  const hid_t type_id = packed.type.get();
  const std::vector<char>& data = packed.data;
  const hsize_t n = values.size();
  auto space = hdf5::dataspace(H5Screate_simple(1, &n, nullptr), ctx, "creating a shape");
  auto dcpl = hdf5::plist(H5Pcreate(H5P_DATASET_CREATE), ctx, "creating a property list");
  hdf5::check(H5Pset_obj_track_times(dcpl.get(), false), ctx, "disabling timestamps");
  auto ds = hdf5::dataset(H5Dcreate2(parent, name.c_str(), type_id, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT), ctx,
                          "creating " + name);
  if (n > 0) hdf5::check(H5Dwrite(ds.get(), type_id, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()), ctx, "writing " + name);
}

template <class T>
void write_array(hid_t parent, const std::string& name, hid_t ftype, hid_t mtype, const std::vector<T>& values, const std::string& ctx) {
  const hsize_t n = values.size();
  auto space = hdf5::dataspace(H5Screate_simple(1, &n, nullptr), ctx, "creating a shape");
  auto dcpl = hdf5::plist(H5Pcreate(H5P_DATASET_CREATE), ctx, "creating a property list");
  hdf5::check(H5Pset_obj_track_times(dcpl.get(), false), ctx, "disabling timestamps");
  auto ds = hdf5::dataset(H5Dcreate2(parent, name.c_str(), ftype, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT), ctx, "creating " + name);
  if (n > 0) hdf5::check(H5Dwrite(ds.get(), mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), ctx, "writing " + name);
}

void write_string_attribute(hid_t obj, const char* name, const std::string& value, const std::string& ctx) {
  auto type = hdf5::datatype(H5Tcopy(H5T_C_S1), ctx, "copying a string type");
  hdf5::check(H5Tset_size(type.get(), std::max<std::size_t>(1, value.size())), ctx, "setting the string size");
  auto space = hdf5::dataspace(H5Screate(H5S_SCALAR), ctx, "creating a scalar space");
  hdf5::Handle attr = hdf5::checked(H5Acreate2(obj, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose, ctx,
                                    std::string("creating attribute ") + name);
  std::string padded = value;
  if (padded.empty()) padded.push_back('\0');
  hdf5::check(H5Awrite(attr.get(), type.get(), padded.data()), ctx, std::string("writing attribute ") + name);
}

void write_int_attribute(hid_t obj, const char* name, std::int64_t value, const std::string& ctx) {
  auto space = hdf5::dataspace(H5Screate(H5S_SCALAR), ctx, "creating a scalar space");
  hdf5::Handle attr = hdf5::checked(H5Acreate2(obj, name, H5T_STD_I64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose, ctx,
                                    std::string("creating attribute ") + name);
  hdf5::check(H5Awrite(attr.get(), H5T_NATIVE_INT64, &value), ctx, std::string("writing attribute ") + name);
}

std::int64_t read_int_attribute(hid_t obj, const char* name, const std::string& ctx) {
  hdf5::Handle attr = hdf5::checked(H5Aopen(obj, name, H5P_DEFAULT), H5Aclose, ctx, std::string("opening attribute ") + name);
  std::int64_t value = 0;
  hdf5::check(H5Aread(attr.get(), H5T_NATIVE_INT64, &value), ctx, std::string("reading attribute ") + name);
  return value;
}

void write_int_array_attribute(hid_t obj, const char* name, const std::vector<std::int64_t>& values, const std::string& ctx) {
  const hsize_t n = values.size();
  auto space = hdf5::dataspace(n > 0 ? H5Screate_simple(1, &n, nullptr) : H5Screate(H5S_NULL), ctx, "creating a shape");
  hdf5::Handle attr = hdf5::checked(H5Acreate2(obj, name, H5T_STD_I64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose, ctx,
                                    std::string("creating attribute ") + name);
  if (n > 0) hdf5::check(H5Awrite(attr.get(), H5T_NATIVE_INT64, values.data()), ctx, std::string("writing attribute ") + name);
}

void write_strings_attribute(hid_t obj, const char* name, const std::vector<std::string>& values, const std::string& ctx) {
  const PackedStrings packed = pack_strings(values, ctx);
  const hid_t type_id = packed.type.get();
  const std::vector<char>& data = packed.data;
  const hsize_t n = values.size();
  auto space = hdf5::dataspace(n > 0 ? H5Screate_simple(1, &n, nullptr) : H5Screate(H5S_NULL), ctx, "creating a shape");
  hdf5::Handle attr = hdf5::checked(H5Acreate2(obj, name, type_id, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose, ctx,
                                    std::string("creating attribute ") + name);
  if (n > 0) hdf5::check(H5Awrite(attr.get(), type_id, data.data()), ctx, std::string("writing attribute ") + name);
}

// An extendible, chunked, compressed dataset of `rank` 1 or 2 (second dimension `width`).
hdf5::Handle create_extendible(hid_t parent, const char* name, hid_t file_type, int rank, hsize_t width, const std::string& ctx) {
  const hsize_t dims[2] = {0, width};
  const hsize_t maxdims[2] = {H5S_UNLIMITED, width};
  const hsize_t chunk[2] = {kChunk, std::max<hsize_t>(1, width)};
  auto space = hdf5::dataspace(H5Screate_simple(rank, dims, maxdims), ctx, "creating a shape");
  auto dcpl = hdf5::plist(H5Pcreate(H5P_DATASET_CREATE), ctx, "creating a property list");
  hdf5::check(H5Pset_chunk(dcpl.get(), rank, chunk), ctx, "setting the chunk shape");
  hdf5::check(H5Pset_obj_track_times(dcpl.get(), false), ctx, "disabling timestamps");
  if (H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0) {
    hdf5::check(H5Pset_shuffle(dcpl.get()), ctx, "enabling shuffle");
    hdf5::check(H5Pset_deflate(dcpl.get(), 1), ctx, "enabling gzip");
  }
  return hdf5::dataset(H5Dcreate2(parent, name, file_type, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT), ctx,
                       std::string("creating /decisions/") + name);
}

// Appends `count` rows at `start` to a rank-1 or rank-2 extendible dataset.
void append_rows(hid_t ds, hid_t mem_type, hsize_t start, hsize_t count, hsize_t width, int rank, const void* data, const std::string& ctx,
                 const char* name) {
  const hsize_t total[2] = {start + count, width};
  hdf5::check(H5Dset_extent(ds, total), ctx, std::string("extending ") + name);
  auto fspace = hdf5::dataspace(H5Dget_space(ds), ctx, "reading a shape");
  const hsize_t offset[2] = {start, 0};
  const hsize_t rows[2] = {count, width};
  hdf5::check(H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, offset, nullptr, rows, nullptr), ctx, "selecting");
  auto mspace = hdf5::dataspace(H5Screate_simple(rank, rows, nullptr), ctx, "creating a memory space");
  hdf5::check(H5Dwrite(ds, mem_type, mspace.get(), fspace.get(), H5P_DEFAULT, data), ctx, std::string("writing ") + name);
}

// What the direct path needs to know of one /decisions dataset: the filters to apply to a chunk.
// Empty when the dataset is not laid out as this version writes it (chunks of kChunk rows and the
// full width; no filters, or shuffle then deflate): those logs are appended through H5Dwrite only.
std::optional<detail::ChunkFilter> direct_filter(hid_t ds, hsize_t width, const std::string& ctx) {
  auto dcpl = hdf5::plist(H5Dget_create_plist(ds), ctx, "reading a dataset's creation properties");
  if (H5Pget_layout(dcpl.get()) != H5D_CHUNKED) return std::nullopt;
  hsize_t chunk[2] = {0, 0};
  const int rank = H5Pget_chunk(dcpl.get(), 2, chunk);
  if (rank < 1 || chunk[0] != kChunk || (rank == 2 && chunk[1] != width)) return std::nullopt;
  auto type = hdf5::datatype(H5Dget_type(ds), ctx, "reading a dataset's type");
  detail::ChunkFilter filter;
  const int n = H5Pget_nfilters(dcpl.get());
  for (int i = 0; i < n; ++i) {
    unsigned flags = 0;
    std::size_t count = 8;
    std::array<unsigned, 8> values{};
    const H5Z_filter_t id = H5Pget_filter2(dcpl.get(), static_cast<unsigned>(i), &flags, &count, values.data(), 0, nullptr, nullptr);
    if (id == H5Z_FILTER_SHUFFLE && i == 0) {
      filter.shuffle_element_size = H5Tget_size(type.get());
    } else if (id == H5Z_FILTER_DEFLATE && i == n - 1 && count >= 1) {
      filter.deflate = true;
    } else {
      return std::nullopt;
    }
  }
  return filter;
}

// Where the CSV stopped and why (the system's reason when the stream kept errno, as on a full disk).
BoardError csv_write_error(const fs::path& file, std::span<const DecisionRecord> records) {
  const int error = errno;
  const std::string range = records.empty() ? std::string() : fmt::format(" at events {}-{}", records.front().event, records.back().event);
  return BoardError(fmt::format("{}: write failed{}{}", file.string(), range, error != 0 ? fmt::format(" ({})", std::strerror(error)) : std::string()));
}

// One CSV line per record, as the file's header names the columns.
void append_csv(std::string& text, std::span<const DecisionRecord> records, int score_frac) {
  const format::ScoreValue score_value(score_frac);
  for (const auto& r : records) {
    const double score = score_value(r.score_code);
    fmt::format_to(std::back_inserter(text), "{},{},{},{},{},{:016x},{},{},{},{},{},{},{:.3f}\n", r.event, r.orbit, r.bx, r.event_id,
                   int{r.sample}, r.inputs_hash, r.score_code, score, r.bits_before_prescale, r.bits_after_prescale, static_cast<int>(r.outcome),
                   r.latency_cycles, r.latency_ns);
  }
}

}  // namespace

struct DecisionLog::Impl {
  int score_frac = 0;
  std::size_t nbits = 0;
  hdf5::Handle score_values;  // /decisions/score f64
  hdf5::Handle bits;          // /decisions/bits u8 [N, nbits]
  fs::path h5_path;
  fs::path csv_path;
  hdf5::Handle file;
  const std::vector<Column>& cols = format::record_columns();
  std::vector<hdf5::Handle> datasets;
  std::ofstream csv;
  bool committed = false;
  std::string ctx;

  // --- the direct path: one full chunk in flight, filtered off the caller's thread ---
  bool direct = false;
  // Filters of every dataset a chunk covers, in the order of `chunk`: the columns, score, bits.
  std::vector<detail::ChunkFilter> filters;
  struct Chunk {
    hsize_t first = 0;  // first record (a multiple of kChunk)
    std::vector<DecisionRecord> records;
    std::vector<std::vector<std::uint8_t>> filtered;  // one per dataset, ready for H5Dwrite_chunk
    bool in_flight = false;
  } chunk;
  std::vector<std::uint8_t> raw, scratch;  // the filtering task's buffers, kept across chunks
  detail::ChunkDeflaters deflaters;  // used by one filtering task at a time
  // Declared last: destroyed first, it waits for a task that still uses the members above.
  std::unique_ptr<stream::WorkPool> compressor;

  void set_up_direct(const DecisionLogOptions& options);
  void filter_chunk();
  void store_chunk();
  void write_records(std::span<const DecisionRecord> records, hsize_t start);
  /// The datasets in the order of `filters` (bits only when the menu has bits).
  [[nodiscard]] std::vector<hid_t> chunk_datasets() const {
    std::vector<hid_t> out;
    for (const auto& d : datasets) out.push_back(d.get());
    out.push_back(score_values.get());
    if (nbits > 0) out.push_back(bits.get());
    return out;
  }
};

void DecisionLog::Impl::set_up_direct(const DecisionLogOptions& options) {
  compressor = std::make_unique<stream::WorkPool>(options.background_compression ? 1U : 0U);
  // Chunks are stored as bytes of the file types, which are little-endian.
  direct = options.direct_chunk_writes && std::endian::native == std::endian::little;
  filters.clear();
  const auto ds = chunk_datasets();
  for (std::size_t d = 0; direct && d < ds.size(); ++d) {
    auto f = direct_filter(ds[d], d == cols.size() + 1 ? nbits : 1, ctx);
    // The inputs hash is uniform bytes: stored blocks (chunk_filter.h, kStoredLevel).
    if (f && d < cols.size() && std::strcmp(cols[d].name, format::kInputsHash) == 0) f->store = true;
    if (f) filters.push_back(*f);
    direct = direct && f.has_value();
  }
}

// Runs on the compressor's thread while the caller fills the next chunk: nothing here calls HDF5.
// A partial chunk (the log's last) is padded with zero rows to the full chunk, which is what HDF5
// stores for the rows past the extent too (the datasets' fill value is 0).
void DecisionLog::Impl::filter_chunk() {
  const std::size_t n = chunk.records.size();
  chunk.filtered.resize(filters.size());
  std::size_t d = 0;
  // `raw` keeps the size of the widest column: a column's bytes are a prefix of it, every byte of
  // which is written (gathered, or zero padding), so nothing is zeroed twice.
  raw.resize(kChunk * sizeof(std::uint64_t));
  for (const Column& col : cols) {
    col.gather(chunk.records, raw.data(), col.size);
    std::fill(raw.begin() + static_cast<std::ptrdiff_t>(n * col.size), raw.begin() + static_cast<std::ptrdiff_t>(kChunk * col.size), 0);
    const std::span<const std::uint8_t> column(raw.data(), kChunk * col.size);
    // A partial chunk's zero padding does compress: stored blocks only for full chunks.
    detail::ChunkFilter filter = filters[d];
    filter.store = filter.store && n == kChunk;
    detail::apply_chunk_filter(filter, column, deflaters, scratch, chunk.filtered[d]);
    ++d;
  }
  // The score column likewise: written for the records, zero padding after them.
  raw.resize(kChunk * sizeof(double));
  const format::ScoreValue score_value(score_frac);
  for (std::size_t i = 0; i < n; ++i) {
    const double v = score_value(chunk.records[i].score_code);
    std::memcpy(raw.data() + i * sizeof(double), &v, sizeof(double));
  }
  std::fill(raw.begin() + static_cast<std::ptrdiff_t>(n * sizeof(double)), raw.end(), 0);
  detail::apply_chunk_filter(filters[d++], raw, deflaters, scratch, chunk.filtered[cols.size()]);
  if (nbits > 0) {
    raw.resize(kChunk * nbits);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t b = 0; b < nbits; ++b) raw[i * nbits + b] = static_cast<std::uint8_t>((chunk.records[i].bits_before_prescale >> b) & 1U);
    std::fill(raw.begin() + static_cast<std::ptrdiff_t>(n * nbits), raw.end(), 0);
    detail::apply_chunk_filter(filters[d], raw, deflaters, scratch, chunk.filtered[d]);
  }
  // The CSV lines too: the caller touches the CSV file only while no chunk is in flight.
  if (csv.is_open()) {
    std::string text;
    append_csv(text, chunk.records, score_frac);
    errno = 0;
    csv << text;
    if (!csv) throw csv_write_error(partial(csv_path), chunk.records);
  }
}

// Caller's thread: waits for the chunk in flight and stores its filtered bytes (filter mask 0:
// every filter of the pipeline applied).
void DecisionLog::Impl::store_chunk() {
  if (!chunk.in_flight) return;
  chunk.in_flight = false;
  compressor->wait_background();
  const auto ds = chunk_datasets();
  const hsize_t offset[2] = {chunk.first, 0};
  for (std::size_t d = 0; d < ds.size(); ++d) {
    const char* name = d < cols.size() ? cols[d].name : d == cols.size() ? format::kScore : format::kBits;
    const hsize_t total[2] = {chunk.first + chunk.records.size(), d == cols.size() + 1 ? nbits : 0};
    hdf5::check(H5Dset_extent(ds[d], total), ctx, std::string("extending ") + name);
    const auto& bytes = chunk.filtered[d];
    hdf5::check(H5Dwrite_chunk(ds[d], H5P_DEFAULT, 0, offset, bytes.size(), bytes.data()), ctx, std::string("writing a chunk of ") + name);
  }
}

// The plain path: records at `start` through H5Dwrite (HDF5 filters them), CSV lines appended.
void DecisionLog::Impl::write_records(std::span<const DecisionRecord> records, hsize_t start) {
  const hsize_t count = records.size();
  const hsize_t total = start + count;
  std::vector<unsigned char> column;
  for (std::size_t c = 0; c < cols.size(); ++c) {
    const Column& col = cols[c];
    column.resize(count * col.size);
    col.gather(records, column.data(), col.size);
    const hid_t ds = datasets[c].get();
    hdf5::check(H5Dset_extent(ds, &total), ctx, std::string("extending ") + col.name);
    auto fspace = hdf5::dataspace(H5Dget_space(ds), ctx, "reading a shape");
    hdf5::check(H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, &start, nullptr, &count, nullptr), ctx, "selecting");
    auto mspace = hdf5::dataspace(H5Screate_simple(1, &count, nullptr), ctx, "creating a memory space");
    hdf5::check(H5Dwrite(ds, col.mem_type, mspace.get(), fspace.get(), H5P_DEFAULT, column.data()), ctx, std::string("writing ") + col.name);
  }
  // score = score_code x 2^-F; bits[i][b] = bit b of the menu before prescale.
  std::vector<double> values(count);
  std::vector<std::uint8_t> bit_rows(count * std::max<std::size_t>(1, nbits), 0);
  const format::ScoreValue score_value(score_frac);
  for (std::size_t i = 0; i < count; ++i) {
    values[i] = score_value(records[i].score_code);
    for (std::size_t b = 0; b < nbits; ++b) bit_rows[i * nbits + b] = static_cast<std::uint8_t>((records[i].bits_before_prescale >> b) & 1U);
  }
  append_rows(score_values.get(), H5T_NATIVE_DOUBLE, start, count, 0, 1, values.data(), ctx, format::kScore);
  if (nbits > 0) append_rows(bits.get(), H5T_NATIVE_UINT8, start, count, nbits, 2, bit_rows.data(), ctx, format::kBits);
  if (csv.is_open()) {
    std::string text;
    append_csv(text, records, score_frac);
    errno = 0;
    csv << text;
    if (!csv) throw csv_write_error(partial(csv_path), records);
  }
}

DecisionLog::DecisionLog() : impl_(std::make_unique<Impl>()) {}

DecisionLog::~DecisionLog() {
  if (impl_ && !impl_->committed) {
    impl_->compressor.reset();  // waits for a chunk in flight (its error goes with the run it belonged to)
    impl_->datasets.clear();
    impl_->score_values.reset();
    impl_->bits.reset();
    impl_->file.reset();
    impl_->csv.close();
    std::error_code ec;
    fs::remove(partial(impl_->h5_path), ec);
    if (!impl_->csv_path.empty()) fs::remove(partial(impl_->csv_path), ec);
  }
}

namespace {
constexpr const char* kCsvHeader = format::kCsvHeader;
}

std::unique_ptr<DecisionLog> DecisionLog::create(const fs::path& h5_path, const fs::path& csv_path, const Header& header,
                                                 const DecisionLogOptions& options) {
  hdf5::silence_errors();
  std::unique_ptr<DecisionLog> log(new DecisionLog());
  Impl& m = *log->impl_;
  m.h5_path = h5_path;
  m.csv_path = csv_path;
  m.ctx = partial(h5_path).string();
  m.file = hdf5::file(H5Fcreate(m.ctx.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), m.ctx, "creating the file");
  write_string_attribute(m.file.get(), format::kFormatAttribute, kDecisionLogFormat, m.ctx);
  write_string_attribute(m.file.get(), format::kScenario, header.scenario_yaml, m.ctx);
  {
    auto group = hdf5::checked(H5Gcreate2(m.file.get(), format::kMenuGroup, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose, m.ctx, "creating /menu");
    std::vector<std::int32_t> bits;
    std::vector<std::int64_t> thresholds;
    std::vector<std::uint32_t> prescales;
    std::vector<std::string> names;
    for (const auto& b : header.menu.bits) {
      bits.push_back(b.bit);
      thresholds.push_back(b.threshold);
      prescales.push_back(b.prescale);
      names.push_back(b.name);
    }
    write_array(group.get(), "bit", H5T_STD_I32LE, H5T_NATIVE_INT32, bits, m.ctx);
    write_array(group.get(), "threshold", H5T_STD_I64LE, H5T_NATIVE_INT64, thresholds, m.ctx);
    write_array(group.get(), "prescale", H5T_STD_U32LE, H5T_NATIVE_UINT32, prescales, m.ctx);
    write_strings(group.get(), "name", names, m.ctx);
    auto samples = hdf5::checked(H5Gcreate2(m.file.get(), format::kSamplesGroup, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose, m.ctx, "creating /samples");
    write_strings(samples.get(), "name", header.samples, m.ctx);
  }
  auto group = hdf5::checked(H5Gcreate2(m.file.get(), kDecisionGroup, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose, m.ctx, "creating /decisions");
  for (const Column& c : m.cols) {
    const hsize_t dims = 0;
    const hsize_t maxdims = H5S_UNLIMITED;
    auto space = hdf5::dataspace(H5Screate_simple(1, &dims, &maxdims), m.ctx, "creating a shape");
    auto dcpl = hdf5::plist(H5Pcreate(H5P_DATASET_CREATE), m.ctx, "creating a property list");
    hdf5::check(H5Pset_chunk(dcpl.get(), 1, &kChunk), m.ctx, "setting the chunk shape");
    hdf5::check(H5Pset_obj_track_times(dcpl.get(), false), m.ctx, "disabling timestamps");
    if (H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0) {
      hdf5::check(H5Pset_shuffle(dcpl.get()), m.ctx, "enabling shuffle");
      hdf5::check(H5Pset_deflate(dcpl.get(), 1), m.ctx, "enabling gzip");
    }
    m.datasets.push_back(hdf5::dataset(H5Dcreate2(group.get(), c.name, c.file_type, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT), m.ctx,
                                       std::string("creating /decisions/") + c.name));
  }
  m.score_frac = header.score_fractional_bits;
  m.nbits = header.menu.bits.size();
  m.score_values = create_extendible(group.get(), format::kScore, H5T_IEEE_F64LE, 1, 0, m.ctx);
  m.bits = create_extendible(group.get(), format::kBits, H5T_STD_U8LE, 2, m.nbits, m.ctx);
  {
    std::vector<std::string> names;
    std::vector<std::int64_t> thresholds;
    for (const auto& b : header.menu.bits) {
      names.push_back(b.name);
      thresholds.push_back(b.threshold);
    }
    write_strings_attribute(group.get(), format::kBitNames, names, m.ctx);
    write_strings_attribute(group.get(), format::kSampleNames, header.samples, m.ctx);
    write_int_array_attribute(group.get(), format::kThresholds, thresholds, m.ctx);
    write_string_attribute(group.get(), format::kModel, header.model, m.ctx);
    write_string_attribute(group.get(), format::kScenario, header.scenario_yaml, m.ctx);
    write_int_attribute(group.get(), format::kScoreFractionalBits, header.score_fractional_bits, m.ctx);
    write_string_attribute(group.get(), format::kFillingScheme, header.filling_scheme, m.ctx);
    write_int_attribute(group.get(), format::kCollidingBunches, header.colliding_bunches, m.ctx);
  }
  if (!csv_path.empty()) {
    m.csv.open(partial(csv_path), std::ios::binary | std::ios::trunc);
    if (!m.csv) throw BoardError(fmt::format("{}: cannot create", partial(csv_path).string()));
    m.csv << kCsvHeader;
  }
  m.set_up_direct(options);
  return log;
}

std::unique_ptr<DecisionLog> DecisionLog::open_for_append(const fs::path& h5_path, const fs::path& csv_path, const DecisionLogOptions& options) {
  hdf5::silence_errors();
  if (!fs::exists(h5_path)) throw BoardError(fmt::format("{}: no decision log to resume", h5_path.string()));
  std::unique_ptr<DecisionLog> log(new DecisionLog());
  Impl& m = *log->impl_;
  m.h5_path = h5_path;
  m.csv_path = csv_path;
  m.ctx = partial(h5_path).string();
  fs::copy_file(h5_path, partial(h5_path), fs::copy_options::overwrite_existing);
  m.file = hdf5::file(H5Fopen(m.ctx.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), m.ctx, "opening for append");
  hsize_t size = 0;
  for (std::size_t i = 0; i < m.cols.size(); ++i) {
    const std::string name = fmt::format("/{}/{}", kDecisionGroup, m.cols[i].name);
    m.datasets.push_back(hdf5::dataset(H5Dopen2(m.file.get(), name.c_str(), H5P_DEFAULT), m.ctx, "opening " + name));
    auto space = hdf5::dataspace(H5Dget_space(m.datasets.back().get()), m.ctx, "reading the shape of " + name);
    hsize_t n = 0;
    if (H5Sget_simple_extent_ndims(space.get()) != 1) throw BoardError(fmt::format("{}: {} is not 1-D", h5_path.string(), name));
    H5Sget_simple_extent_dims(space.get(), &n, nullptr);
    if (i == 0) size = n;
    if (n != size) throw BoardError(fmt::format("{}: {} has {} entries, /decisions/event has {}", h5_path.string(), name, n, size));
  }
  log->written_ = size;
  {
    auto group = hdf5::checked(H5Gopen2(m.file.get(), kDecisionGroup, H5P_DEFAULT), H5Gclose, m.ctx, "opening /decisions");
    m.score_frac = static_cast<int>(read_int_attribute(group.get(), format::kScoreFractionalBits, m.ctx));
    m.score_values = hdf5::dataset(H5Dopen2(group.get(), format::kScore, H5P_DEFAULT), m.ctx, "opening /decisions/score");
    m.bits = hdf5::dataset(H5Dopen2(group.get(), format::kBits, H5P_DEFAULT), m.ctx, "opening /decisions/bits");
    auto space = hdf5::dataspace(H5Dget_space(m.bits.get()), m.ctx, "reading the shape of /decisions/bits");
    hsize_t dims[2] = {0, 0};
    if (H5Sget_simple_extent_ndims(space.get()) != 2) throw BoardError(fmt::format("{}: /decisions/bits is not 2-D", h5_path.string()));
    H5Sget_simple_extent_dims(space.get(), dims, nullptr);
    if (dims[0] != size) throw BoardError(fmt::format("{}: /decisions/bits has {} rows, expected {}", h5_path.string(), dims[0], size));
    m.nbits = dims[1];
  }
  if (!csv_path.empty()) {
    // The CSV holds nothing the HDF5 log does not (every column, the score from score_code), so it
    // is written again from the log instead of trusted: a CSV removed, cut or edited since the
    // interruption cannot leave a "complete" run with rows missing.
    m.csv.open(partial(csv_path), std::ios::binary | std::ios::trunc);
    if (!m.csv) throw BoardError(fmt::format("{}: cannot create", partial(csv_path).string()));
    m.csv << kCsvHeader;
    // A chunk at a time: memory bounded whatever the log size.
    DecisionRecordReader reader(h5_path);
    if (reader.size() != size) {
      throw BoardError(fmt::format("{}: {} records read where /decisions holds {}", h5_path.string(), reader.size(), size));
    }
    std::vector<DecisionRecord> records;
    std::string text;
    while (reader.read_next(records)) {
      text.clear();
      append_csv(text, records, m.score_frac);
      m.csv << text;
    }
    if (!m.csv) throw BoardError(fmt::format("{}: write failed while rewriting its {} records from {}", partial(csv_path).string(), size, h5_path.string()));
  }
  m.set_up_direct(options);
  return log;
}

void DecisionLog::append(const DecisionRecord& r) {
  buffer_.push_back(r);
  if ((written_ + buffer_.size()) % kChunk == 0) end_of_chunk();
}

void DecisionLog::end_of_chunk() {
  Impl& m = *impl_;
  if (!m.direct || buffer_.size() != kChunk) {
    // The rest of a chunk begun by an earlier run (or a layout we do not filter ourselves).
    flush();
    return;
  }
  m.store_chunk();  // the previous chunk, filtered while this one filled
  m.chunk.records.swap(buffer_);
  buffer_.clear();
  m.chunk.first = written_;
  m.chunk.in_flight = true;
  written_ += kChunk;
  m.compressor->start_background([&m] { m.filter_chunk(); });
}

void DecisionLog::flush() {
  Impl& m = *impl_;
  m.store_chunk();
  if (buffer_.empty()) return;
  if (m.direct && written_ % kChunk == 0) {
    // A chunk of its own (the log's last, usually): filtered here, on the caller's thread, like the
    // full ones, so every chunk a run begins is libdeflate's. Records that later continue it
    // (open_for_append) go through H5Dwrite, which inflates it and stores HDF5's own stream.
    m.chunk.records.swap(buffer_);
    buffer_.clear();
    m.chunk.first = written_;
    written_ += m.chunk.records.size();
    m.filter_chunk();
    m.chunk.in_flight = true;
    m.store_chunk();  // nothing runs in the background: stores at once
    return;
  }
  m.write_records(buffer_, written_);
  written_ += buffer_.size();
  buffer_.clear();
}

void DecisionLog::commit() {
  flush();
  Impl& m = *impl_;
  m.datasets.clear();
  m.score_values.reset();
  m.bits.reset();
  m.file.close(m.ctx);
  fs::rename(partial(m.h5_path), m.h5_path);
  if (m.csv.is_open()) {
    m.csv.close();
    if (m.csv.fail()) throw BoardError(fmt::format("{}: close failed", partial(m.csv_path).string()));
    fs::rename(partial(m.csv_path), m.csv_path);
  }
  m.committed = true;
}

std::vector<DecisionRecord> DecisionLog::read_all(const fs::path& h5_path) {
  DecisionRecordReader reader(h5_path);
  std::vector<DecisionRecord> out, chunk;
  out.reserve(reader.size());
  while (reader.read_next(chunk)) out.insert(out.end(), chunk.begin(), chunk.end());
  return out;
}

}  // namespace l1emu::board
