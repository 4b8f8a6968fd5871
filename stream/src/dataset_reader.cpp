#include "l1emu/stream/dataset_reader.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <type_traits>

#include "direct_chunk_reader.h"
#include "l1emu/stream/hdf5_storage_checks.h"

namespace l1emu::stream {
namespace {

std::string trim_padding(std::string s) {
  while (!s.empty() && (s.back() == '\0' || s.back() == ' ')) s.pop_back();
  if (const auto nul = s.find('\0'); nul != std::string::npos) s.resize(nul);
  return s;
}

bool link_exists(hid_t file, std::string_view name) {
  const std::string n(name);
  const htri_t exists = H5Lexists(file, n.c_str(), H5P_DEFAULT);
  return exists > 0;
}

}  // namespace

DatasetReader::~DatasetReader() = default;
DatasetReader::DatasetReader(DatasetReader&&) noexcept = default;
DatasetReader& DatasetReader::operator=(DatasetReader&&) noexcept = default;

std::string DatasetReader::context(std::string_view dataset) const {
  return fmt::format("{}: dataset '{}'", path_.string(), dataset);
}

DatasetReader::DatasetReader(std::filesystem::path file, DatasetReaderOptions options)
    : path_(std::move(file)), options_(options) {
  hdf5::silence_errors();
  if (options_.chunk_events == 0) throw std::invalid_argument("DatasetReader: chunk_events must be > 0");
  if (!std::filesystem::exists(path_)) throw DataError(fmt::format("{}: no such file", path_.string()));
  const std::string file_ctx = path_.string();
  if (H5Fis_hdf5(path_.c_str()) <= 0) {
    H5Eclear2(H5E_DEFAULT);
    throw DataError(fmt::format("{}: not an HDF5 file (no HDF5 signature found)", file_ctx));
  }
  file_ = hdf5::file(H5Fopen(path_.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), file_ctx, "opening the HDF5 file");

  const std::string pname(layout::kParticlesDataset);
  if (!link_exists(file_.get(), pname))
    throw DataError(fmt::format("{}: no dataset '{}' (expected the 40 MHz dataset layout: Particles, "
                                "Particles_Names, Particles_Classes, optional EvtId)",
                                file_ctx, pname));
  const std::string pctx = context(pname);
  auto dapl = hdf5::plist(H5Pcreate(H5P_DATASET_ACCESS), pctx, "creating an access property list");
  hdf5::check(H5Pset_chunk_cache(dapl.get(), 1009, options_.chunk_cache_bytes, 1.0), pctx, "setting the chunk cache");
  particles_ = hdf5::dataset(H5Dopen2(file_.get(), pname.c_str(), dapl.get()), pctx, "opening");

  auto space = hdf5::dataspace(H5Dget_space(particles_.get()), pctx, "reading the shape");
  const int rank = H5Sget_simple_extent_ndims(space.get());
  hdf5::check(rank, pctx, "reading the rank");
  std::array<hsize_t, 3> dims{};
  if (rank == 3) hdf5::check(H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr), pctx, "reading the shape");
  if (rank != 3 || dims[1] != layout::kRows || dims[2] != layout::kColumns) {
    std::vector<hsize_t> all(static_cast<std::size_t>(std::max(rank, 0)));
    if (rank > 0) H5Sget_simple_extent_dims(space.get(), all.data(), nullptr);
    throw DataError(fmt::format("{}: shape ({}) where (N,19,4) is expected", pctx, fmt::join(all, ",")));
  }
  size_ = dims[0];
  const std::uintmax_t file_bytes = std::filesystem::file_size(path_);
  hdf5::require_stored_extent(particles_.get(), pctx, file_bytes, hdf5::ChunkGaps::read_as_fill_value);

  auto type = hdf5::datatype(H5Dget_type(particles_.get()), pctx, "reading the element type");
  const H5T_class_t cls = H5Tget_class(type.get());
  if (cls != H5T_FLOAT) {
    const char* found = cls == H5T_INTEGER ? "integer" : cls == H5T_STRING ? "string" : "non-numeric";
    throw DataError(fmt::format("{}: element type is {} where float32 or float64 is expected", pctx, found));
  }
  element_type_ = fmt::format("float{}", 8 * H5Tget_size(type.get()));
  if (options_.direct_chunk_reads)
    particles_direct_ = detail::DirectChunkReader::open(particles_.get(), pctx, detail::DirectChunkReader::Target::f64);

  if (options_.check_names) {
    check_string_dataset(layout::kNamesDataset, layout::kColumnNames);
    check_string_dataset(layout::kClassesDataset, layout::kClassNames);
  }

  const std::string iname(layout::kEventIdDataset);
  if (link_exists(file_.get(), iname)) {
    const std::string ictx = context(iname);
    event_ids_ = hdf5::dataset(H5Dopen2(file_.get(), iname.c_str(), H5P_DEFAULT), ictx, "opening");
    auto ispace = hdf5::dataspace(H5Dget_space(event_ids_.get()), ictx, "reading the shape");
    const int irank = H5Sget_simple_extent_ndims(ispace.get());
    std::array<hsize_t, 2> idims{};
    if (irank == 1 || irank == 2) H5Sget_simple_extent_dims(ispace.get(), idims.data(), nullptr);
    if (!((irank == 1 || (irank == 2 && idims[1] == 1)) && idims[0] == size_))
      throw DataError(fmt::format("{}: shape must be ({}) or ({},1), matching Particles", ictx, size_, size_));
    auto itype = hdf5::datatype(H5Dget_type(event_ids_.get()), ictx, "reading the element type");
    if (H5Tget_class(itype.get()) != H5T_INTEGER)
      throw DataError(fmt::format("{}: element type must be an integer (int64)", ictx));
    hdf5::require_stored_extent(event_ids_.get(), ictx, file_bytes, hdf5::ChunkGaps::read_as_fill_value);
    if (options_.direct_chunk_reads)
      event_ids_direct_ = detail::DirectChunkReader::open(event_ids_.get(), ictx, detail::DirectChunkReader::Target::i64);
  }
}

void DatasetReader::check_string_dataset(std::string_view name, std::span<const std::string_view> expected) {
  const std::string n(name);
  const std::string ctx = context(name);
  if (!link_exists(file_.get(), n)) throw DataError(fmt::format("{}: missing", ctx));
  auto ds = hdf5::dataset(H5Dopen2(file_.get(), n.c_str(), H5P_DEFAULT), ctx, "opening");
  auto space = hdf5::dataspace(H5Dget_space(ds.get()), ctx, "reading the shape");
  const hssize_t count = H5Sget_simple_extent_npoints(space.get());
  auto type = hdf5::datatype(H5Dget_type(ds.get()), ctx, "reading the element type");
  if (H5Tget_class(type.get()) != H5T_STRING) throw DataError(fmt::format("{}: expected byte strings", ctx));
  if (H5Sget_simple_extent_ndims(space.get()) != 1 || count != static_cast<hssize_t>(expected.size()))
    throw DataError(fmt::format("{}: expected {} strings", ctx, expected.size()));

  std::vector<std::string> found;
  if (H5Tis_variable_str(type.get()) > 0) {
    auto mem = hdf5::datatype(H5Tcopy(H5T_C_S1), ctx, "copying a string type");
    hdf5::check(H5Tset_size(mem.get(), H5T_VARIABLE), ctx, "setting the string size");
    std::vector<char*> ptrs(expected.size(), nullptr);
    hdf5::check(H5Dread(ds.get(), mem.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()), ctx, "reading");
    for (char* p : ptrs) found.emplace_back(p != nullptr ? p : "");
    H5Dvlen_reclaim(mem.get(), space.get(), H5P_DEFAULT, ptrs.data());
  } else {
    const std::size_t width = H5Tget_size(type.get());
    // The width is the file's word: bound it before sizing a buffer by it (a corrupt type declared
    // 16 GB strings; the fuzz target dataset_h5 found the allocation). The expected names are
    // short, so a wider string cannot match one anyway.
    constexpr std::size_t kMaxWidth = 4096;
    if (width == 0 || width > kMaxWidth)
      throw DataError(fmt::format("{}: fixed-length strings of {} bytes (expected 1 to {} bytes)", ctx, width, kMaxWidth));
    auto mem = hdf5::datatype(H5Tcopy(H5T_C_S1), ctx, "copying a string type");
    hdf5::check(H5Tset_size(mem.get(), width), ctx, "setting the string size");
    hdf5::check(H5Tset_strpad(mem.get(), H5T_STR_NULLPAD), ctx, "setting the string padding");
    std::string buffer(width * expected.size(), '\0');
    hdf5::check(H5Dread(ds.get(), mem.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()), ctx, "reading");
    for (std::size_t i = 0; i < expected.size(); ++i) found.push_back(trim_padding(buffer.substr(i * width, width)));
  }
  for (std::size_t i = 0; i < expected.size(); ++i) {
    if (found[i] != expected[i])
      throw DataError(fmt::format("{}: entry {} is '{}' where '{}' is expected", ctx, i, found[i], expected[i]));
  }
}

void DatasetReader::read(std::size_t first, std::size_t count, std::vector<DatasetEvent>& out) {
  if (first > size_ || count > size_ - first)
    throw std::out_of_range(fmt::format("{}: records {}..{} beyond the {} records of the file", path_.string(), first,
                                        first + count, size_));
  out.resize(count);
  if (count == 0) return;
  const std::string pctx =
      fmt::format("{}, records {}-{}", context(layout::kParticlesDataset), first, first + count - 1);
  // The direct path converts the stored rows straight into the records (their 19 x 4 doubles are
  // contiguous: static_asserts below); HDF5's own read fills a staging array that is copied in.
  const bool direct = particles_direct_ != nullptr;
  if (direct) {
    static_assert(sizeof(ParticleRow) == layout::kColumns * sizeof(double) && std::is_standard_layout_v<DatasetEvent> &&
                  sizeof(DatasetEvent::rows) == layout::kRows * sizeof(ParticleRow));
    auto* rows = reinterpret_cast<std::uint8_t*>(out.data()) + offsetof(DatasetEvent, rows);
    particles_direct_->read(first, count, rows, sizeof(DatasetEvent));
  } else {
    values_.resize(count * layout::kRows * layout::kColumns);
    auto fspace = hdf5::dataspace(H5Dget_space(particles_.get()), pctx, "reading the shape");
    const std::array<hsize_t, 3> start{first, 0, 0};
    const std::array<hsize_t, 3> extent{count, layout::kRows, layout::kColumns};
    hdf5::check(H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, start.data(), nullptr, extent.data(), nullptr), pctx,
                "selecting");
    auto mspace = hdf5::dataspace(H5Screate_simple(3, extent.data(), nullptr), pctx, "creating a memory space");
    hdf5::check(H5Dread(particles_.get(), H5T_NATIVE_DOUBLE, mspace.get(), fspace.get(), H5P_DEFAULT, values_.data()),
                pctx, "reading");
  }
  if (event_ids_.valid()) {
    const std::string ictx =
        fmt::format("{}, records {}-{}", context(layout::kEventIdDataset), first, first + count - 1);
    ids_.resize(count);
    if (event_ids_direct_) {
      event_ids_direct_->read(first, count, ids_.data());
    } else {
      auto fspace = hdf5::dataspace(H5Dget_space(event_ids_.get()), ictx, "reading the shape");
      const int rank = H5Sget_simple_extent_ndims(fspace.get());
      const std::array<hsize_t, 2> start{first, 0};
      const std::array<hsize_t, 2> extent{count, 1};
      hdf5::check(H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, start.data(), nullptr, extent.data(), nullptr), ictx,
                  "selecting");
      auto mspace = hdf5::dataspace(H5Screate_simple(rank, extent.data(), nullptr), ictx, "creating a memory space");
      hdf5::check(H5Dread(event_ids_.get(), H5T_NATIVE_LLONG, mspace.get(), fspace.get(), H5P_DEFAULT, ids_.data()), ictx,
                  "reading");
    }
  }
  const double* v = values_.data();
  for (std::size_t i = 0; i < count; ++i) {
    DatasetEvent& e = out[i];
    e.event_id = event_ids_.valid() ? static_cast<std::int64_t>(ids_[i]) : static_cast<std::int64_t>(first + i);
    if (direct) continue;
    for (auto& row : e.rows) {
      row = {v[0], v[1], v[2], v[3]};
      v += layout::kColumns;
    }
  }
}

bool DatasetReader::next_chunk(std::vector<DatasetEvent>& out) {
  const std::size_t count = std::min(options_.chunk_events, size_ - position_);
  read(position_, count, out);
  position_ += count;
  return count > 0;
}

void DatasetReader::share_work(WorkPool* pool) {
  if (particles_direct_) particles_direct_->share_work(pool, options_.read_ahead_chunks);
  if (event_ids_direct_) event_ids_direct_->share_work(pool, options_.read_ahead_chunks);
}

void DatasetReader::seek(std::size_t index) {
  if (index > size_) throw std::out_of_range(fmt::format("{}: seek to record {} beyond {}", path_.string(), index, size_));
  position_ = index;
}

}  // namespace l1emu::stream
