#include "l1emu/board/decision_log_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <limits>
#include <stdexcept>

#include "l1emu/stream/error.h"
#include "l1emu/stream/hdf5_storage_checks.h"

namespace l1emu::board {
namespace hdf5 = stream::hdf5;
namespace format = decision_log_format;
using stream::DataError;

namespace {

bool link_exists(hid_t location, const char* name) { return H5Lexists(location, name, H5P_DEFAULT) > 0; }

hdf5::Handle attribute(hid_t id, const std::string& ctx, const char* what) {
  return hdf5::checked(id, H5Aclose, ctx, what);
}

/// Integer types HDF5 converts to int64 without loss: signed up to 8 bytes, unsigned up to 4.
bool fits_int64(hid_t type) {
  if (H5Tget_class(type) != H5T_INTEGER) return false;
  const std::size_t size = H5Tget_size(type);
  return H5Tget_sign(type) == H5T_SGN_2 ? size <= 8 : size <= 4;
}

std::string class_name(hid_t type) {
  switch (H5Tget_class(type)) {
    case H5T_INTEGER: return fmt::format("{}integer of {} bytes", H5Tget_sign(type) == H5T_SGN_2 ? "" : "unsigned ", H5Tget_size(type));
    case H5T_FLOAT: return fmt::format("float of {} bytes", H5Tget_size(type));
    case H5T_STRING: return "string";
    default: return "a non-numeric type";
  }
}

std::string trim_padding(std::string s) {
  if (const auto nul = s.find('\0'); nul != std::string::npos) s.resize(nul);
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

/// Strings of a string attribute (scalar -> one string), variable or fixed length.
std::vector<std::string> read_strings(hid_t attr, const std::string& ctx) {
  auto type = hdf5::datatype(H5Aget_type(attr), ctx, "reading the type");
  if (H5Tget_class(type.get()) != H5T_STRING) throw DataError(fmt::format("{}: expected strings, found {}", ctx, class_name(type.get())));
  auto space = hdf5::dataspace(H5Aget_space(attr), ctx, "reading the shape");
  const hssize_t n = H5Sget_simple_extent_npoints(space.get());
  if (n < 0) throw DataError(fmt::format("{}: unreadable shape", ctx));
  const auto count = static_cast<std::size_t>(n);
  std::vector<std::string> out;
  if (count == 0) return out;
  if (H5Tis_variable_str(type.get()) > 0) {
    auto mem = hdf5::datatype(H5Tcopy(H5T_C_S1), ctx, "copying a string type");
    hdf5::check(H5Tset_size(mem.get(), H5T_VARIABLE), ctx, "setting the string size");
    hdf5::check(H5Tset_cset(mem.get(), H5Tget_cset(type.get())), ctx, "setting the character set");
    std::vector<char*> ptrs(count, nullptr);
    hdf5::check(H5Aread(attr, mem.get(), ptrs.data()), ctx, "reading");
    for (char* p : ptrs) out.emplace_back(p != nullptr ? p : "");
    hdf5::check(H5Dvlen_reclaim(mem.get(), space.get(), H5P_DEFAULT, ptrs.data()), ctx, "releasing strings");
  } else {
    const std::size_t width = H5Tget_size(type.get());
    // Width and count are the file's word: bound the buffer they size (a corrupt string type can
    // declare gigabytes; the names and notes a log's attributes hold are short).
    constexpr std::size_t kMaxBytes = std::size_t{16} << 20;
    if (width == 0 || width > kMaxBytes || count > kMaxBytes / width)
      throw DataError(fmt::format("{}: {} fixed-length strings of {} bytes (expected at most {} bytes in all)", ctx, count, width, kMaxBytes));
    auto mem = hdf5::datatype(H5Tcopy(H5T_C_S1), ctx, "copying a string type");
    hdf5::check(H5Tset_size(mem.get(), width), ctx, "setting the string size");
    hdf5::check(H5Tset_strpad(mem.get(), H5T_STR_NULLPAD), ctx, "setting the string padding");
    std::string buffer(width * count, '\0');
    hdf5::check(H5Aread(attr, mem.get(), buffer.data()), ctx, "reading");
    for (std::size_t i = 0; i < count; ++i) out.push_back(trim_padding(buffer.substr(i * width, width)));
  }
  return out;
}

std::vector<std::int64_t> read_integers(hid_t attr, const std::string& ctx) {
  auto type = hdf5::datatype(H5Aget_type(attr), ctx, "reading the type");
  if (!fits_int64(type.get()))
    throw DataError(fmt::format("{}: expected int64, found {}", ctx, class_name(type.get())));
  auto space = hdf5::dataspace(H5Aget_space(attr), ctx, "reading the shape");
  const hssize_t n = H5Sget_simple_extent_npoints(space.get());
  if (n < 0) throw DataError(fmt::format("{}: unreadable shape", ctx));
  std::vector<std::int64_t> out(static_cast<std::size_t>(n));
  if (!out.empty()) hdf5::check(H5Aread(attr, H5T_NATIVE_INT64, out.data()), ctx, "reading");
  return out;
}

}  // namespace

std::filesystem::path resolve_decision_log(const std::filesystem::path& path) {
  if (std::filesystem::is_directory(path)) return path / kDecisionLogFile;
  return path;
}

std::string DecisionLogReader::context(const char* object) const {
  return fmt::format("{}: /{}/{}", path_.string(), kDecisionGroup, object);
}

namespace {
// "LOG#NAME" -> (LOG, NAME); a path without '#' has no sample.
std::pair<std::filesystem::path, std::string> split_sample(const std::filesystem::path& spec) {
  const std::string text = spec.string();
  const auto hash = text.rfind('#');
  if (hash == std::string::npos) return {spec, {}};
  return {text.substr(0, hash), text.substr(hash + 1)};
}
}  // namespace

DecisionLogReader::DecisionLogReader(const std::filesystem::path& path, std::size_t chunk_events)
    : path_(resolve_decision_log(split_sample(path).first)), chunk_events_(chunk_events), sample_name_(split_sample(path).second) {
  hdf5::silence_errors();
  if (chunk_events_ == 0) throw std::invalid_argument("DecisionLogReader: chunk_events must be > 0");
  const std::string fctx = path_.string();
  if (!std::filesystem::exists(path_)) throw DataError(fmt::format("{}: no such decision log", fctx));
  if (H5Fis_hdf5(path_.c_str()) <= 0) {
    H5Eclear2(H5E_DEFAULT);
    throw DataError(fmt::format("{}: not an HDF5 file (a decision log is the decisions.h5 written by l1emu replay)", fctx));
  }
  file_ = hdf5::file(H5Fopen(path_.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), fctx, "opening the HDF5 file");
  if (!link_exists(file_.get(), kDecisionGroup)) {
    // A 40 MHz dataset given where a decision log is expected is a common slip: say what to do.
    const bool is_dataset = link_exists(file_.get(), "Particles");
    throw DataError(fmt::format("{}: no group /{}{}", fctx, kDecisionGroup,
                                is_dataset ? " (this is an event dataset: replay it first with 'l1emu replay' and "
                                             "pass the decisions.h5 it writes)"
                                           : " (not a decision log)"));
  }
  group_ = hdf5::checked(H5Gopen2(file_.get(), kDecisionGroup, H5P_DEFAULT), H5Gclose, fctx, "opening /decisions");

  const std::string sctx = context(format::kScoreCode);
  if (!link_exists(group_.get(), format::kScoreCode))
    throw DataError(fmt::format("{}: missing (a log without scores cannot give rates)", sctx));
  score_code_ = hdf5::dataset(H5Dopen2(group_.get(), format::kScoreCode, H5P_DEFAULT), sctx, "opening");
  const std::uintmax_t file_bytes = std::filesystem::file_size(path_);
  {
    auto type = hdf5::datatype(H5Dget_type(score_code_.get()), sctx, "reading the type");
    if (!fits_int64(type.get()))
      throw DataError(fmt::format("{}: element type is {} where int64 is expected", sctx, class_name(type.get())));
    auto space = hdf5::dataspace(H5Dget_space(score_code_.get()), sctx, "reading the shape");
    const int rank = H5Sget_simple_extent_ndims(space.get());
    if (rank != 1) throw DataError(fmt::format("{}: rank {} where a 1-D dataset [N] is expected", sctx, rank));
    hsize_t n = 0;
    hdf5::check(H5Sget_simple_extent_dims(space.get(), &n, nullptr), sctx, "reading the shape");
    size_ = n;
    hdf5::require_stored_extent(score_code_.get(), sctx, file_bytes);
  }
  if (size_ == 0) throw DataError(fmt::format("{}: empty log (0 events)", sctx));

  if (link_exists(group_.get(), format::kBits)) {
    const std::string bctx = context(format::kBits);
    bits_ = hdf5::dataset(H5Dopen2(group_.get(), format::kBits, H5P_DEFAULT), bctx, "opening");
    auto type = hdf5::datatype(H5Dget_type(bits_.get()), bctx, "reading the type");
    if (H5Tget_class(type.get()) != H5T_INTEGER || H5Tget_size(type.get()) != 1)
      throw DataError(fmt::format("{}: element type is {} where uint8 is expected", bctx, class_name(type.get())));
    auto space = hdf5::dataspace(H5Dget_space(bits_.get()), bctx, "reading the shape");
    const int rank = H5Sget_simple_extent_ndims(space.get());
    std::array<hsize_t, 2> dims{};
    if (rank == 2) hdf5::check(H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr), bctx, "reading the shape");
    if (rank != 2 || dims[0] != size_)
      throw DataError(fmt::format("{}: shape must be [{}, nbits] (one row per entry of score_code)", bctx, size_));
    if (dims[1] > 64) throw DataError(fmt::format("{}: {} bits; at most 64 algorithm bits are supported", bctx, dims[1]));
    bit_count_ = dims[1];
    hdf5::require_stored_extent(bits_.get(), bctx, file_bytes);
    if (bit_count_ == 0) bits_.reset();
  }
  if (bit_count_ > 0 && link_exists(group_.get(), format::kBitsAfterPrescale)) {
    const std::string actx = context(format::kBitsAfterPrescale);
    bits_after_ = hdf5::dataset(H5Dopen2(group_.get(), format::kBitsAfterPrescale, H5P_DEFAULT), actx, "opening");
    auto type = hdf5::datatype(H5Dget_type(bits_after_.get()), actx, "reading the type");
    if (H5Tget_class(type.get()) != H5T_INTEGER || H5Tget_size(type.get()) != 8 || H5Tget_sign(type.get()) != H5T_SGN_NONE)
      throw DataError(fmt::format("{}: element type is {} where uint64 is expected", actx, class_name(type.get())));
    auto space = hdf5::dataspace(H5Dget_space(bits_after_.get()), actx, "reading the shape");
    hsize_t n = 0;
    if (H5Sget_simple_extent_ndims(space.get()) != 1 || H5Sget_simple_extent_dims(space.get(), &n, nullptr) < 0 || n != size_)
      throw DataError(fmt::format("{}: shape must be [{}] (one entry per entry of score_code)", actx, size_));
    hdf5::require_stored_extent(bits_after_.get(), actx, file_bytes);
  }
  read_metadata();
  if (!sample_name_.empty()) select_sample();
}

void DecisionLogReader::select_sample() {
  const std::string ctx = context("@sample_names");
  if (H5Aexists(group_.get(), format::kSampleNames) <= 0 || !link_exists(group_.get(), format::kSample)) {
    throw DataError(fmt::format("{}: '#{}' selects a sample, but the log has no samples (sample_names, sample)", path_.string(), sample_name_));
  }
  auto a = attribute(H5Aopen(group_.get(), format::kSampleNames, H5P_DEFAULT), ctx, "opening");
  const auto names = read_strings(a.get(), ctx);
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == sample_name_) sample_index_ = static_cast<int>(i);
  }
  if (sample_index_ < 0) {
    throw DataError(fmt::format("{}: no sample '{}' in this log (samples: {})", path_.string(), sample_name_, fmt::join(names, ", ")));
  }
  sample_ = hdf5::dataset(H5Dopen2(group_.get(), format::kSample, H5P_DEFAULT), context(format::kSample), "opening");
  {
    auto space = hdf5::dataspace(H5Dget_space(sample_.get()), context(format::kSample), "reading the shape");
    hsize_t n = 0;
    if (H5Sget_simple_extent_ndims(space.get()) != 1 || H5Sget_simple_extent_dims(space.get(), &n, nullptr) < 0 || n != size_) {
      throw DataError(fmt::format("{}: shape must be [{}] (one entry per entry of score_code)", context(format::kSample), size_));
    }
  }
  hdf5::require_stored_extent(sample_.get(), context(format::kSample), std::filesystem::file_size(path_));
}

void DecisionLogReader::read_metadata() {
  const hid_t g = group_.get();
  auto has = [g](const char* name) { return H5Aexists(g, name) > 0; };
  if (has(format::kBitNames)) {
    const std::string ctx = context("@bit_names");
    auto a = attribute(H5Aopen(g, format::kBitNames, H5P_DEFAULT), ctx, "opening");
    metadata_.bit_names = read_strings(a.get(), ctx);
    if (metadata_.bit_names.size() != bit_count_)
      throw DataError(fmt::format("{}: {} names for {} columns of bits", ctx, metadata_.bit_names.size(), bit_count_));
  } else {
    // Unnamed bits still get rates; name them by column.
    for (std::size_t i = 0; i < bit_count_; ++i) metadata_.bit_names.push_back(fmt::format("bit{}", i));
  }
  if (link_exists(file_.get(), format::kMenuPrescale) && bit_count_ > 0) {
    const std::string ctx = fmt::format("{}: /menu/prescale", path_.string());
    auto ds = hdf5::dataset(H5Dopen2(file_.get(), format::kMenuPrescale, H5P_DEFAULT), ctx, "opening");
    auto type = hdf5::datatype(H5Dget_type(ds.get()), ctx, "reading the type");
    if (!fits_int64(type.get())) throw DataError(fmt::format("{}: element type is {} where uint32 is expected", ctx, class_name(type.get())));
    auto space = hdf5::dataspace(H5Dget_space(ds.get()), ctx, "reading the shape");
    hsize_t n = 0;
    if (H5Sget_simple_extent_ndims(space.get()) != 1 || H5Sget_simple_extent_dims(space.get(), &n, nullptr) < 0 || n != bit_count_)
      throw DataError(fmt::format("{}: shape must be [{}] (one prescale per column of /decisions/bits)", ctx, bit_count_));
    std::vector<std::int64_t> values(bit_count_);
    hdf5::check(H5Dread(ds.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), ctx, "reading");
    for (const std::int64_t v : values) {
      if (v < 0 || v > std::numeric_limits<std::uint32_t>::max()) throw DataError(fmt::format("{}: prescale {} is outside [0, 2^32)", ctx, v));
      metadata_.prescales.push_back(static_cast<std::uint32_t>(v));
    }
  }
  if (has(format::kThresholds)) {
    const std::string ctx = context("@thresholds");
    auto a = attribute(H5Aopen(g, format::kThresholds, H5P_DEFAULT), ctx, "opening");
    metadata_.thresholds = read_integers(a.get(), ctx);
  }
  for (auto [name, target] : {std::pair{format::kModel, &metadata_.model}, std::pair{format::kScenario, &metadata_.scenario}}) {
    if (!has(name)) continue;
    const std::string ctx = context(fmt::format("@{}", name).c_str());
    auto a = attribute(H5Aopen(g, name, H5P_DEFAULT), ctx, "opening");
    const auto values = read_strings(a.get(), ctx);
    if (values.size() != 1) throw DataError(fmt::format("{}: expected one string, found {}", ctx, values.size()));
    *target = values.front();
  }
  if (has(format::kCollidingBunches)) {
    const std::string ctx = context("@colliding_bunches");
    auto a = attribute(H5Aopen(g, format::kCollidingBunches, H5P_DEFAULT), ctx, "opening");
    const auto values = read_integers(a.get(), ctx);
    if (values.size() != 1) throw DataError(fmt::format("{}: expected one integer, found {}", ctx, values.size()));
    metadata_.colliding_bunches = values.front();
  }
  if (has(format::kSampleNames)) {
    const std::string ctx = context("@sample_names");
    auto a = attribute(H5Aopen(g, format::kSampleNames, H5P_DEFAULT), ctx, "opening");
    metadata_.sample_names = read_strings(a.get(), ctx);
  }
  if (has(format::kFillingScheme)) {
    const std::string ctx = context("@filling_scheme");
    auto a = attribute(H5Aopen(g, format::kFillingScheme, H5P_DEFAULT), ctx, "opening");
    const auto values = read_strings(a.get(), ctx);
    if (values.size() != 1) throw DataError(fmt::format("{}: expected one string, found {}", ctx, values.size()));
    metadata_.filling_scheme = values.front();
  }
}

bool DecisionLogReader::read_next(DecisionChunk& chunk) {
  if (sample_index_ < 0) return read_range(chunk);
  // Keep the entries of the selected sample; chunks of other samples only are skipped.
  while (read_range(chunk)) {
    std::vector<std::uint8_t> sample(chunk.size());
    const std::string ctx = context(format::kSample);
    auto fspace = hdf5::dataspace(H5Dget_space(sample_.get()), ctx, "reading the shape");
    const hsize_t start = next_ - chunk.size(), extent = chunk.size();
    hdf5::check(H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, &start, nullptr, &extent, nullptr), ctx, "selecting");
    auto mspace = hdf5::dataspace(H5Screate_simple(1, &extent, nullptr), ctx, "creating a memory space");
    hdf5::check(H5Dread(sample_.get(), H5T_NATIVE_UINT8, mspace.get(), fspace.get(), H5P_DEFAULT, sample.data()), ctx, "reading");
    std::size_t kept = 0;
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      if (sample[i] != sample_index_) continue;
      chunk.score_code[kept] = chunk.score_code[i];
      for (std::size_t b = 0; b < bit_count_; ++b) chunk.bits[kept * bit_count_ + b] = chunk.bits[i * bit_count_ + b];
      if (!chunk.bits_after_prescale.empty()) chunk.bits_after_prescale[kept] = chunk.bits_after_prescale[i];
      ++kept;
    }
    chunk.score_code.resize(kept);
    chunk.bits.resize(kept * bit_count_);
    if (!chunk.bits_after_prescale.empty()) chunk.bits_after_prescale.resize(kept);
    if (kept > 0) return true;
  }
  return false;
}

bool DecisionLogReader::read_range(DecisionChunk& chunk) {
  chunk.bit_count = bit_count_;
  const std::uint64_t count = std::min<std::uint64_t>(chunk_events_, size_ - next_);
  chunk.score_code.resize(count);
  chunk.bits.resize(count * bit_count_);
  chunk.bits_after_prescale.resize(bits_after_.valid() ? count : 0);
  if (count == 0) return false;
  const std::string range = fmt::format(", entries {}-{}", next_, next_ + count - 1);
  {
    const std::string ctx = context(format::kScoreCode) + range;
    auto fspace = hdf5::dataspace(H5Dget_space(score_code_.get()), ctx, "reading the shape");
    const hsize_t start = next_, extent = count;
    hdf5::check(H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, &start, nullptr, &extent, nullptr), ctx, "selecting");
    auto mspace = hdf5::dataspace(H5Screate_simple(1, &extent, nullptr), ctx, "creating a memory space");
    hdf5::check(H5Dread(score_code_.get(), H5T_NATIVE_INT64, mspace.get(), fspace.get(), H5P_DEFAULT,
                        chunk.score_code.data()),
                ctx, "reading");
  }
  if (bit_count_ > 0) {
    const std::string ctx = context(format::kBits) + range;
    auto fspace = hdf5::dataspace(H5Dget_space(bits_.get()), ctx, "reading the shape");
    const std::array<hsize_t, 2> start{next_, 0}, extent{count, bit_count_};
    hdf5::check(H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, start.data(), nullptr, extent.data(), nullptr), ctx,
                "selecting");
    auto mspace = hdf5::dataspace(H5Screate_simple(2, extent.data(), nullptr), ctx, "creating a memory space");
    hdf5::check(H5Dread(bits_.get(), H5T_NATIVE_UINT8, mspace.get(), fspace.get(), H5P_DEFAULT, chunk.bits.data()), ctx,
                "reading");
  }
  if (bits_after_.valid()) {
    const std::string ctx = context(format::kBitsAfterPrescale) + range;
    auto fspace = hdf5::dataspace(H5Dget_space(bits_after_.get()), ctx, "reading the shape");
    const hsize_t start = next_, extent = count;
    hdf5::check(H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, &start, nullptr, &extent, nullptr), ctx, "selecting");
    auto mspace = hdf5::dataspace(H5Screate_simple(1, &extent, nullptr), ctx, "creating a memory space");
    hdf5::check(H5Dread(bits_after_.get(), H5T_NATIVE_UINT64, mspace.get(), fspace.get(), H5P_DEFAULT, chunk.bits_after_prescale.data()), ctx,
                "reading");
  }
  next_ += count;
  return true;
}

}  // namespace l1emu::board
