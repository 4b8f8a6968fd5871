#include "l1emu/stream/dataset_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <system_error>

namespace l1emu::stream {

DatasetWriter::DatasetWriter(std::filesystem::path file, DatasetWriterOptions options)
    : path_(std::move(file)), options_(options) {
  hdf5::silence_errors();
  if (options_.chunk_events == 0 || options_.buffer_events == 0)
    throw std::invalid_argument("DatasetWriter: chunk_events and buffer_events must be > 0");
  if (options_.gzip_level < 0 || options_.gzip_level > 9)
    throw std::invalid_argument("DatasetWriter: gzip_level must be 0..9");
  temp_path_ = path_;
  temp_path_ += ".tmp";
  const std::string ctx = path_.string();
  file_ = hdf5::file(H5Fcreate(temp_path_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), ctx,
                     fmt::format("creating {}", temp_path_.string()));

  const std::string pname(layout::kParticlesDataset);
  const std::string pctx = fmt::format("{}: dataset '{}'", ctx, pname);
  const std::array<hsize_t, 3> dims{0, layout::kRows, layout::kColumns};
  const std::array<hsize_t, 3> maxdims{H5S_UNLIMITED, layout::kRows, layout::kColumns};
  const std::array<hsize_t, 3> chunk{options_.chunk_events, layout::kRows, layout::kColumns};
  auto space = hdf5::dataspace(H5Screate_simple(3, dims.data(), maxdims.data()), pctx, "creating the shape");
  auto dcpl = hdf5::plist(H5Pcreate(H5P_DATASET_CREATE), pctx, "creating a property list");
  hdf5::check(H5Pset_chunk(dcpl.get(), 3, chunk.data()), pctx, "setting the chunk shape");
  // No object timestamps: the same events give a byte-identical file (deterministic outputs).
  hdf5::check(H5Pset_obj_track_times(dcpl.get(), false), pctx, "disabling timestamps");
  if (options_.gzip_level > 0) {
    if (H5Zfilter_avail(H5Z_FILTER_DEFLATE) <= 0) throw DataError(fmt::format("{}: gzip filter not available", pctx));
    hdf5::check(H5Pset_shuffle(dcpl.get()), pctx, "enabling shuffle");
    hdf5::check(H5Pset_deflate(dcpl.get(), static_cast<unsigned>(options_.gzip_level)), pctx, "enabling gzip");
  }
  const hid_t ftype = options_.element_type == FloatType::float32 ? H5T_IEEE_F32LE : H5T_IEEE_F64LE;
  particles_ = hdf5::dataset(H5Dcreate2(file_.get(), pname.c_str(), ftype, space.get(), H5P_DEFAULT, dcpl.get(),
                                        H5P_DEFAULT),
                             pctx, "creating");

  write_strings(layout::kNamesDataset, layout::kColumnNames);
  write_strings(layout::kClassesDataset, layout::kClassNames);

  if (options_.write_event_ids) {
    const std::string iname(layout::kEventIdDataset);
    const std::string ictx = fmt::format("{}: dataset '{}'", ctx, iname);
    const hsize_t idims = 0;
    const hsize_t imax = H5S_UNLIMITED;
    const hsize_t ichunk = options_.chunk_events;
    auto ispace = hdf5::dataspace(H5Screate_simple(1, &idims, &imax), ictx, "creating the shape");
    auto icpl = hdf5::plist(H5Pcreate(H5P_DATASET_CREATE), ictx, "creating a property list");
    hdf5::check(H5Pset_chunk(icpl.get(), 1, &ichunk), ictx, "setting the chunk shape");
    hdf5::check(H5Pset_obj_track_times(icpl.get(), false), ictx, "disabling timestamps");
    if (options_.gzip_level > 0)
      hdf5::check(H5Pset_deflate(icpl.get(), static_cast<unsigned>(options_.gzip_level)), ictx, "enabling gzip");
    event_ids_ = hdf5::dataset(
        H5Dcreate2(file_.get(), iname.c_str(), H5T_STD_I64LE, ispace.get(), H5P_DEFAULT, icpl.get(), H5P_DEFAULT), ictx,
        "creating");
  }
  buffer_.reserve(options_.buffer_events * kValuesPerEvent);
}

void DatasetWriter::write_strings(std::string_view name, std::span<const std::string_view> values) {
  const std::string n(name);
  const std::string ctx = fmt::format("{}: dataset '{}'", path_.string(), n);
  std::size_t width = 1;
  for (auto v : values) width = std::max(width, v.size());
  std::string data(width * values.size(), '\0');
  for (std::size_t i = 0; i < values.size(); ++i) std::copy(values[i].begin(), values[i].end(), data.begin() + i * width);
  auto type = hdf5::datatype(H5Tcopy(H5T_C_S1), ctx, "copying a string type");
  hdf5::check(H5Tset_size(type.get(), width), ctx, "setting the string size");
  hdf5::check(H5Tset_strpad(type.get(), H5T_STR_NULLPAD), ctx, "setting the string padding");
  const hsize_t count = values.size();
  auto space = hdf5::dataspace(H5Screate_simple(1, &count, nullptr), ctx, "creating the shape");
  auto dcpl = hdf5::plist(H5Pcreate(H5P_DATASET_CREATE), ctx, "creating a property list");
  hdf5::check(H5Pset_obj_track_times(dcpl.get(), false), ctx, "disabling timestamps");
  auto ds = hdf5::dataset(
      H5Dcreate2(file_.get(), n.c_str(), type.get(), space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT), ctx,
      "creating");
  hdf5::check(H5Dwrite(ds.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()), ctx, "writing");
}

void DatasetWriter::write(const DatasetEvent& event) {
  if (closed_) throw std::logic_error(fmt::format("{}: write after close", path_.string()));
  for (const auto& row : event.rows) {
    buffer_.push_back(row.pt);
    buffer_.push_back(row.eta);
    buffer_.push_back(row.phi);
    buffer_.push_back(row.cls);
  }
  id_buffer_.push_back(event.event_id);
  if (id_buffer_.size() >= options_.buffer_events) flush();
}

void DatasetWriter::flush() {
  const std::size_t count = id_buffer_.size();
  if (count == 0) return;
  const std::string pctx = fmt::format("{}: dataset '{}', records {}-{}", path_.string(), layout::kParticlesDataset,
                                       written_, written_ + count - 1);
  {
    const std::array<hsize_t, 3> total{written_ + count, layout::kRows, layout::kColumns};
    hdf5::check(H5Dset_extent(particles_.get(), total.data()), pctx, "extending");
    auto fspace = hdf5::dataspace(H5Dget_space(particles_.get()), pctx, "reading the shape");
    const std::array<hsize_t, 3> start{written_, 0, 0};
    const std::array<hsize_t, 3> extent{count, layout::kRows, layout::kColumns};
    hdf5::check(H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, start.data(), nullptr, extent.data(), nullptr), pctx,
                "selecting");
    auto mspace = hdf5::dataspace(H5Screate_simple(3, extent.data(), nullptr), pctx, "creating a memory space");
    hdf5::check(H5Dwrite(particles_.get(), H5T_NATIVE_DOUBLE, mspace.get(), fspace.get(), H5P_DEFAULT, buffer_.data()),
                pctx, "writing");
  }
  if (event_ids_.valid()) {
    const std::string ictx = fmt::format("{}: dataset '{}', records {}-{}", path_.string(), layout::kEventIdDataset,
                                         written_, written_ + count - 1);
    const hsize_t total = written_ + count;
    hdf5::check(H5Dset_extent(event_ids_.get(), &total), ictx, "extending");
    auto fspace = hdf5::dataspace(H5Dget_space(event_ids_.get()), ictx, "reading the shape");
    const hsize_t start = written_;
    const hsize_t extent = count;
    hdf5::check(H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, &start, nullptr, &extent, nullptr), ictx, "selecting");
    auto mspace = hdf5::dataspace(H5Screate_simple(1, &extent, nullptr), ictx, "creating a memory space");
    hdf5::check(H5Dwrite(event_ids_.get(), H5T_NATIVE_LLONG, mspace.get(), fspace.get(), H5P_DEFAULT, id_buffer_.data()),
                ictx, "writing");
  }
  written_ += count;
  buffer_.clear();
  id_buffer_.clear();
}

void DatasetWriter::close() {
  if (closed_) return;
  flush();
  const std::string ctx = path_.string();
  event_ids_.close(ctx);
  particles_.close(ctx);
  file_.close(ctx);
  closed_ = true;
  std::error_code ec;
  std::filesystem::rename(temp_path_, path_, ec);
  if (ec) throw DataError(fmt::format("{}: renaming {} failed ({})", ctx, temp_path_.string(), ec.message()));
}

DatasetWriter::~DatasetWriter() {
  if (closed_) return;
  event_ids_.reset();
  particles_.reset();
  file_.reset();
  std::error_code ec;
  std::filesystem::remove(temp_path_, ec);
}

}  // namespace l1emu::stream
