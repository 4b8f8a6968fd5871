#include "l1emu/board/decision_record_reader.h"

#include <algorithm>

#include <fmt/format.h>

#include "l1emu/board/error.h"

namespace l1emu::board {
namespace hdf5 = stream::hdf5;
namespace format = decision_log_format;

DecisionRecordReader::DecisionRecordReader(const std::filesystem::path& h5_path, std::size_t chunk_records)
    : path_(h5_path), chunk_records_(std::max<std::size_t>(1, chunk_records)) {
  hdf5::silence_errors();
  const std::string ctx = path_.string();
  if (!std::filesystem::exists(path_)) throw BoardError(fmt::format("{}: no such decision log", ctx));
  file_ = hdf5::file(H5Fopen(ctx.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), ctx, "opening");
  const auto& columns = format::record_columns();
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const std::string name = fmt::format("/{}/{}", kDecisionGroup, columns[c].name);
    datasets_.push_back(hdf5::dataset(H5Dopen2(file_.get(), name.c_str(), H5P_DEFAULT), ctx, "opening " + name));
    auto space = hdf5::dataspace(H5Dget_space(datasets_.back().get()), ctx, "reading the shape of " + name);
    if (H5Sget_simple_extent_ndims(space.get()) != 1) throw BoardError(fmt::format("{}: {} is not 1-D", ctx, name));
    hsize_t n = 0;
    H5Sget_simple_extent_dims(space.get(), &n, nullptr);
    if (c == 0) size_ = n;
    if (n != size_) throw BoardError(fmt::format("{}: {} has {} entries, /{}/event has {}", ctx, name, n, kDecisionGroup, size_));
  }
}

bool DecisionRecordReader::read_next(std::vector<DecisionRecord>& out) {
  out.clear();
  if (next_ >= size_) return false;
  const hsize_t start = next_;
  const hsize_t count = std::min<hsize_t>(chunk_records_, size_ - next_);
  out.resize(count);
  const std::string ctx = path_.string();
  const auto& columns = format::record_columns();
  auto mspace = hdf5::dataspace(H5Screate_simple(1, &count, nullptr), ctx, "creating a memory space");
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const auto& col = columns[c];
    auto fspace = hdf5::dataspace(H5Dget_space(datasets_[c].get()), ctx, "reading a shape");
    hdf5::check(H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, &start, nullptr, &count, nullptr), ctx, "selecting");
    column_.resize(count * col.size);
    hdf5::check(H5Dread(datasets_[c].get(), col.mem_type, mspace.get(), fspace.get(), H5P_DEFAULT, column_.data()), ctx,
                fmt::format("reading /{}/{} entries {}-{}", kDecisionGroup, col.name, start, start + count - 1));
    for (std::size_t i = 0; i < count; ++i) col.set(out[i], column_.data() + i * col.size);
  }
  for (const auto& r : out) {
    if (static_cast<std::uint8_t>(r.outcome) > kLastOutcome) {
      throw BoardError(fmt::format("{}: /{}/accepted of event {} is {} (expected 0 dead time, 1 processed, 2 lost on the links)", ctx,
                                   kDecisionGroup, r.event, static_cast<int>(r.outcome)));
    }
  }
  next_ += count;
  return true;
}

}  // namespace l1emu::board
