#pragma once
// Reads rows of a chunked, deflate-filtered HDF5 dataset without HDF5's filter pipeline (internal
// header): whole chunks come from H5Dread_chunk, libdeflate inflates them (chunk_codec.h), we undo
// the shuffle and convert the elements to the memory type. Callgrind put HDF5's own inflate
// (H5Z_pipeline, zlib) at the top of dataset replays; libdeflate's is about twice as fast.
//
// Only what is undone here exactly takes this path: a pipeline of deflate alone or shuffle then
// deflate; chunks spanning every dimension but the first (a chunk is a run of whole rows);
// little-endian float32/float64 read as double, int32/int64 read as long long (the conversions
// HDF5 makes are exact for these, so the values are bit for bit those of H5Dread). A chunk that is
// not allocated, or stored with a filter skipped (nonzero filter mask), is read with H5Dread.
#include <hdf5.h>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "l1emu/stream/chunk_codec.h"
#include "l1emu/stream/work_pool.h"

namespace l1emu::stream::detail {

class DirectChunkReader {
 public:
  /// What the caller reads into: double (H5T_NATIVE_DOUBLE) or long long (H5T_NATIVE_LLONG).
  enum class Target { f64, i64 };

  /// A reader of `dataset` (kept open by the caller for the reader's lifetime), or nullptr when
  /// its layout, filters or type are not ones this class undoes exactly. `context` names the file
  /// and the dataset in errors.
  static std::unique_ptr<DirectChunkReader> open(hid_t dataset, std::string context, Target target);
  /// Waits for the chunks still being inflated on a work pool.
  ~DirectChunkReader();
  DirectChunkReader(const DirectChunkReader&) = delete;
  DirectChunkReader& operator=(const DirectChunkReader&) = delete;

  /// Rows [first, first + count) into `out` (count x row_elements() values of the target type).
  /// Throws DataError naming the file, dataset and chunk when a chunk cannot be read or inflated.
  void read(std::size_t first, std::size_t count, void* out) { read(first, count, out, row_elements_ * 8); }
  /// The same with row r at `out + r * out_row_bytes` (>= row_elements() x 8): the rows go straight
  /// into records that hold more than the row (DatasetEvent), without a staging copy.
  void read(std::size_t first, std::size_t count, void* out, std::size_t out_row_bytes);
  [[nodiscard]] std::size_t row_elements() const { return row_elements_; }

  /// Reading ahead: with a pool, each read of chunk c also reads the stored bytes of chunks c+1 ..
  /// c+ahead (on the calling thread: HDF5 calls stay on one thread) and posts their inflation to
  /// the pool, whose idle threads inflate them while the caller goes on. A chunk's failure is
  /// thrown only when that chunk is read, so reading ahead past what is read changes nothing.
  /// nullptr: each chunk inflated when it is read. Waits for the chunks in flight first; the pool
  /// must outlive its use here (share nullptr before destroying it).
  void share_work(WorkPool* pool, std::size_t ahead);

 private:
  enum class Source { f32, f64, i32, i64 };
  // One chunk on its way from the file to plain bytes. Its inflation may run on another thread of
  // the pool: it touches the slot and this reader's constant members only.
  struct Slot {
    std::size_t index = SIZE_MAX;  // the chunk held (or being inflated)
    bool through_hdf5 = false;     // not allocated, or stored with a filter skipped: H5Dread reads it
    std::exception_ptr error;      // reading or inflating the chunk failed; thrown when it is read
    std::vector<std::uint8_t> stored, inflated, plain;
    chunk_codec::Inflater inflater;
    WorkJob job;
  };

  DirectChunkReader() = default;
  /// The slot holding chunk `index` ready to read (requested now if it is not on its way), after
  /// requesting the chunks ahead of it; throws the chunk's failure.
  Slot& chunk(std::size_t index);
  /// Reads chunk `index`'s stored bytes into `slot` and inflates them (posted to the pool, or now).
  void request(Slot& slot, std::size_t index);
  /// Locates and reads the stored chunk (HDF5 calls: the calling thread); false when it must be
  /// read through H5Dread.
  bool fetch(Slot& slot, std::size_t index);
  /// Inflates and unshuffles the stored bytes into slot.plain (any thread); failures into slot.error.
  void inflate(Slot& slot) const;
  /// Waits until the slot's inflation, if posted, is done.
  void settle(Slot& slot);
  [[nodiscard]] std::string where(std::size_t index) const;
  void convert(const std::uint8_t* src, std::size_t elements, void* out) const;
  void read_through_hdf5(std::size_t first, std::size_t count, void* out) const;

  hid_t dataset_ = -1;
  std::string context_;
  Target target_ = Target::f64;
  Source source_ = Source::f64;
  int rank_ = 0;
  std::vector<hsize_t> dims_;
  std::size_t rows_ = 0;
  std::size_t chunk_rows_ = 0;
  std::size_t chunks_ = 0;
  std::size_t row_elements_ = 0;
  std::size_t element_size_ = 0;
  std::size_t shuffle_size_ = 0;  // 0: no shuffle filter
  hsize_t file_bytes_ = 0;        // a stored chunk must lie inside the file

  // Chunk c lives in slots_[c % slots_.size()]: the chunk being read and the ones read ahead.
  // Pointers, so a slot stays where a posted job found it.
  std::vector<std::unique_ptr<Slot>> slots_;
  WorkPool* pool_ = nullptr;
  std::size_t ahead_ = 0;
  std::vector<std::uint8_t> staged_;  // rows read through HDF5 for a strided read
};

}  // namespace l1emu::stream::detail
