#include "direct_chunk_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "l1emu/stream/error.h"
#include "l1emu/stream/hdf5_handle.h"

namespace l1emu::stream::detail {

std::unique_ptr<DirectChunkReader> DirectChunkReader::open(hid_t dataset, std::string context, Target target) {
  auto dcpl = hdf5::plist(H5Dget_create_plist(dataset), context, "reading the creation properties");
  if (H5Pget_layout(dcpl.get()) != H5D_CHUNKED) return nullptr;
  auto space = hdf5::dataspace(H5Dget_space(dataset), context, "reading the shape");
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 1 || rank > 8) return nullptr;
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank)), chunk(static_cast<std::size_t>(rank));
  hdf5::check(H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr), context, "reading the shape");
  if (H5Pget_chunk(dcpl.get(), rank, chunk.data()) != rank || chunk[0] == 0) return nullptr;
  std::size_t row_elements = 1;
  for (std::size_t k = 1; k < dims.size(); ++k) {
    if (chunk[k] != dims[k]) return nullptr;  // a chunk would not be a run of whole rows
    row_elements *= dims[k];
  }

  auto type = hdf5::datatype(H5Dget_type(dataset), context, "reading the element type");
  Source source{};
  if (target == Target::f64 && H5Tequal(type.get(), H5T_IEEE_F32LE) > 0) source = Source::f32;
  else if (target == Target::f64 && H5Tequal(type.get(), H5T_IEEE_F64LE) > 0) source = Source::f64;
  else if (target == Target::i64 && H5Tequal(type.get(), H5T_STD_I32LE) > 0) source = Source::i32;
  else if (target == Target::i64 && H5Tequal(type.get(), H5T_STD_I64LE) > 0) source = Source::i64;
  else return nullptr;
  const std::size_t element_size = H5Tget_size(type.get());

  // Exactly [deflate] or [shuffle, deflate].
  const int nfilters = H5Pget_nfilters(dcpl.get());
  std::size_t shuffle_size = 0;
  for (int i = 0; i < nfilters; ++i) {
    unsigned flags = 0;
    std::size_t count = 4;
    std::array<unsigned, 4> values{};
    const H5Z_filter_t id = H5Pget_filter2(dcpl.get(), static_cast<unsigned>(i), &flags, &count, values.data(), 0, nullptr, nullptr);
    if (id == H5Z_FILTER_SHUFFLE && i == 0 && nfilters == 2) {
      // HDF5 stores the element size it shuffles with as the filter's first value (set_local).
      shuffle_size = count >= 1 && values[0] > 0 ? values[0] : element_size;
    } else if (id != H5Z_FILTER_DEFLATE || i != nfilters - 1) {
      return nullptr;
    }
  }
  if (nfilters < 1) return nullptr;  // unfiltered: H5Dread copies without any inflate to save

  hsize_t file_bytes = 0;
  {
    auto file = hdf5::file(H5Iget_file_id(dataset), context, "finding the file");
    hdf5::check(H5Fget_filesize(file.get(), &file_bytes), context, "reading the file size");
  }

  std::unique_ptr<DirectChunkReader> r(new DirectChunkReader());
  r->dataset_ = dataset;
  r->context_ = std::move(context);
  r->target_ = target;
  r->source_ = source;
  r->rank_ = rank;
  r->dims_ = std::move(dims);
  r->rows_ = r->dims_[0];
  r->chunk_rows_ = chunk[0];
  r->chunks_ = (r->rows_ + r->chunk_rows_ - 1) / r->chunk_rows_;
  r->row_elements_ = row_elements;
  r->element_size_ = element_size;
  r->shuffle_size_ = shuffle_size;
  r->file_bytes_ = file_bytes;
  r->slots_.push_back(std::make_unique<Slot>());
  return r;
}

DirectChunkReader::~DirectChunkReader() {
  // A posted inflation writes into its slot: it must be done before the slots go.
  for (auto& slot : slots_) {
    if (slot->job.posted()) pool_->wait(slot->job);
  }
}

void DirectChunkReader::share_work(WorkPool* pool, std::size_t ahead) {
  for (auto& slot : slots_) settle(*slot);
  pool_ = pool;
  ahead_ = pool != nullptr ? ahead : 0;
  // The slots hold no chunk now (a chunk's slot depends on their count), and their buffers are
  // kept for the chunks to come.
  slots_.resize(ahead_ + 1);
  for (auto& slot : slots_) {
    if (!slot) slot = std::make_unique<Slot>();
    slot->index = SIZE_MAX;
  }
}

std::string DirectChunkReader::where(std::size_t index) const {
  const std::size_t first_row = index * chunk_rows_;
  return fmt::format("{}, chunk {} (rows {}-{})", context_, index, first_row, std::min(first_row + chunk_rows_, rows_) - 1);
}

bool DirectChunkReader::fetch(Slot& slot, std::size_t index) {
  std::vector<hsize_t> offset(static_cast<std::size_t>(rank_), 0);
  offset[0] = index * chunk_rows_;
  // The chunk's size by a B-tree lookup (H5Dget_chunk_storage_size). HDF5 1.10's
  // H5Dget_chunk_info_by_coord, which also gives the address, walks the chunk index from its start
  // on every call: reading a file chunk by chunk was quadratic in its chunks.
  // A chunk that is not allocated (fill values) has no size to give (the call fails): H5Dread
  // knows what to do with it, and reports any other failure of the chunk index itself.
  hsize_t size = 0;
  if (H5Dget_chunk_storage_size(dataset_, offset.data(), &size) < 0) {
    H5Eclear2(H5E_DEFAULT);
    return false;
  }
  if (size == 0) return false;
  // The size comes from the file's chunk index: a corrupt index must not size the buffer (4 GiB).
  // A chunk placed beyond the file's end with a plausible size fails in H5Dread_chunk below.
  if (size > file_bytes_)
    throw DataError(fmt::format("{}: the chunk index places {} bytes in the file, beyond the file's {} bytes", where(index), size, file_bytes_));
  slot.stored.resize(size);
  std::uint32_t mask = 0;
  hdf5::check(H5Dread_chunk(dataset_, H5P_DEFAULT, offset.data(), &mask, slot.stored.data()), where(index), "reading the stored chunk");
  // Stored with a filter skipped: HDF5 knows what to do.
  return mask == 0;
}

void DirectChunkReader::inflate(Slot& slot) const {
  try {
    const std::size_t bytes = chunk_rows_ * row_elements_ * element_size_;
    std::vector<std::uint8_t>& target = shuffle_size_ > 0 ? slot.inflated : slot.plain;
    target.resize(bytes);
    switch (slot.inflater.decompress(slot.stored, target)) {
      case chunk_codec::Inflater::Status::ok:
        break;
      case chunk_codec::Inflater::Status::wrong_size:
        throw DataError(fmt::format("{}: the {}-byte deflate stream does not inflate to the chunk's {} bytes", where(slot.index),
                                    slot.stored.size(), bytes));
      case chunk_codec::Inflater::Status::corrupt:
        throw DataError(fmt::format("{}: the {}-byte deflate stream is corrupt", where(slot.index), slot.stored.size()));
    }
    if (shuffle_size_ > 0) {
      slot.plain.resize(bytes);
      chunk_codec::unshuffle(slot.inflated, shuffle_size_, slot.plain);
    }
  } catch (...) {
    slot.error = std::current_exception();
  }
}

void DirectChunkReader::request(Slot& slot, std::size_t index) {
  slot.index = index;
  slot.error = nullptr;
  slot.through_hdf5 = false;
  try {
    slot.through_hdf5 = !fetch(slot, index);
  } catch (...) {
    slot.error = std::current_exception();
    return;
  }
  if (slot.through_hdf5) return;
  if (pool_ == nullptr) {
    inflate(slot);
    return;
  }
  slot.job.reset(1, [this, &slot](unsigned, std::size_t) { inflate(slot); });
  pool_->post(slot.job);
}

void DirectChunkReader::settle(Slot& slot) {
  if (slot.job.posted()) pool_->wait(slot.job);
}

DirectChunkReader::Slot& DirectChunkReader::chunk(std::size_t index) {
  const std::size_t n = slots_.size();
  Slot& slot = *slots_[index % n];
  if (slot.index != index) {
    settle(slot);
    request(slot, index);
  }
  // The chunks ahead are requested after this one, so that its inflation is the first in line.
  for (std::size_t k = index + 1; k <= index + ahead_ && k < chunks_; ++k) {
    Slot& next = *slots_[k % n];
    if (next.index == k) continue;
    settle(next);
    request(next, k);
  }
  settle(slot);
  if (slot.error) {
    // Read again if asked again (the failure may be the file's or a passing one of the system).
    slot.index = SIZE_MAX;
    std::rethrow_exception(slot.error);
  }
  return slot;
}

void DirectChunkReader::convert(const std::uint8_t* src, std::size_t elements, void* out) const {
  // Element by element through memcpy (no alignment assumed); the casts are exact, as HDF5's are.
  auto each = [&](auto source_value, auto* dst) {
    using S = decltype(source_value);
    using D = std::remove_pointer_t<decltype(dst)>;
    for (std::size_t i = 0; i < elements; ++i) {
      S v;
      std::memcpy(&v, src + i * sizeof(S), sizeof(S));
      dst[i] = static_cast<D>(v);
    }
  };
  switch (source_) {
    case Source::f32: each(float{}, static_cast<double*>(out)); break;
    case Source::f64: std::memcpy(out, src, elements * sizeof(double)); break;
    case Source::i32: each(std::int32_t{}, static_cast<long long*>(out)); break;
    case Source::i64: std::memcpy(out, src, elements * sizeof(long long)); break;
  }
}

void DirectChunkReader::read_through_hdf5(std::size_t first, std::size_t count, void* out) const {
  const std::string where = fmt::format("{}, records {}-{}", context_, first, first + count - 1);
  auto fspace = hdf5::dataspace(H5Dget_space(dataset_), where, "reading the shape");
  std::vector<hsize_t> start(static_cast<std::size_t>(rank_), 0), extent = dims_;
  start[0] = first;
  extent[0] = count;
  hdf5::check(H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, start.data(), nullptr, extent.data(), nullptr), where, "selecting");
  auto mspace = hdf5::dataspace(H5Screate_simple(rank_, extent.data(), nullptr), where, "creating a memory space");
  const hid_t mem_type = target_ == Target::f64 ? H5T_NATIVE_DOUBLE : H5T_NATIVE_LLONG;
  hdf5::check(H5Dread(dataset_, mem_type, mspace.get(), fspace.get(), H5P_DEFAULT, out), where, "reading");
}

void DirectChunkReader::read(std::size_t first, std::size_t count, void* out, std::size_t out_row_bytes) {
  auto* dst = static_cast<std::uint8_t*>(out);
  const std::size_t row_bytes = row_elements_ * 8;  // both targets are 8 bytes wide
  const bool packed = out_row_bytes == row_bytes;
  const std::size_t end = first + count;
  for (std::size_t row = first; row < end;) {
    const std::size_t index = row / chunk_rows_;
    const std::size_t chunk_end = std::min((index + 1) * chunk_rows_, end);
    const std::size_t n = chunk_end - row;
    const Slot& slot = chunk(index);
    if (!slot.through_hdf5) {
      const std::size_t skip = (row - index * chunk_rows_) * row_elements_;
      const std::uint8_t* src = slot.plain.data() + skip * element_size_;
      if (packed) {
        convert(src, n * row_elements_, dst);
      } else {
        for (std::size_t r = 0; r < n; ++r) convert(src + r * row_elements_ * element_size_, row_elements_, dst + r * out_row_bytes);
      }
    } else if (packed) {
      read_through_hdf5(row, n, dst);
    } else {
      staged_.resize(n * row_bytes);
      read_through_hdf5(row, n, staged_.data());
      for (std::size_t r = 0; r < n; ++r) std::memcpy(dst + r * out_row_bytes, staged_.data() + r * row_bytes, row_bytes);
    }
    dst += n * out_row_bytes;
    row = chunk_end;
  }
}

}  // namespace l1emu::stream::detail
