#pragma once
// The two HDF5 filters l1emu undoes and applies itself on whole chunks (H5Dread_chunk and
// H5Dwrite_chunk), with libdeflate and ISA-L's igzip instead of HDF5's zlib calls:
// - shuffle (H5Z_FILTER_SHUFFLE, H5Zshuffle.c): byte j of element i moves to position j x n + i,
//   a trailing remainder copied as is; skipped for 1-byte elements and for at most one element;
// - deflate (H5Z_FILTER_DEFLATE, H5Zdeflate.c): one zlib-format stream (RFC 1950) per chunk.
// A libdeflate or igzip stream is a valid zlib stream, so every HDF5 reader inflates what the
// deflaters write, and the Inflater inflates what zlib wrote. The bytes differ from zlib's; the
// decision log's determinism is that of the values it stores, which every stream restores exactly.
// Plain classes with no shared state: one per thread.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

struct libdeflate_compressor;
struct libdeflate_decompressor;
struct isal_zstream;

namespace l1emu::stream::chunk_codec {

/// HDF5's shuffle of `in` with elements of `element_size` bytes into `out` (resized to in.size()).
void shuffle(std::span<const std::uint8_t> in, std::size_t element_size, std::vector<std::uint8_t>& out);
/// Its inverse, into `out` (out.size() == in.size()).
void unshuffle(std::span<const std::uint8_t> in, std::size_t element_size, std::span<std::uint8_t> out);
/// Whether HDF5 shuffles (and so unshuffles) a buffer of `bytes` bytes with this element size.
[[nodiscard]] constexpr bool shuffles(std::size_t bytes, std::size_t element_size) {
  return element_size > 1 && bytes / element_size > 1;
}

class Deflater {
 public:
  /// libdeflate level, 1 (fastest) to 12, or 0: a valid zlib stream of stored (uncompressed)
  /// blocks only, for data deflate cannot shrink (libdeflate.h). Throws std::invalid_argument
  /// outside 0..12.
  explicit Deflater(int level);
  ~Deflater();
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;
  [[nodiscard]] int level() const { return level_; }
  /// One zlib stream of `in` into `out` (replaced; its storage is reused). Never fails: `out` is
  /// sized to libdeflate's bound for incompressible input.
  void compress(std::span<const std::uint8_t> in, std::vector<std::uint8_t>& out);

 private:
  int level_;
  libdeflate_compressor* compressor_;
};

/// ISA-L's igzip at its level 1 (isa-l/igzip_lib.h, stateless, zlib wrapper): the decision log's
/// deflate. On the shuffled chunks of a 1 M-event replay log (72 MB raw, the inputs hash aside) it
/// took 0.028 s to 2.93 MB where libdeflate's fastest level took 0.19 s to 2.55 MB (Intel Xeon VM,
/// AVX-512), and that deflate was 15 % of a dataset replay's CPU. An input igzip cannot fit in its
/// bound (data that does not compress) goes out as stored blocks, so compress() never fails.
class IgzipDeflater {
 public:
  IgzipDeflater();
  ~IgzipDeflater();
  IgzipDeflater(const IgzipDeflater&) = delete;
  IgzipDeflater& operator=(const IgzipDeflater&) = delete;
  /// One zlib stream of `in` into `out` (replaced; its storage is reused).
  void compress(std::span<const std::uint8_t> in, std::vector<std::uint8_t>& out);

 private:
  std::unique_ptr<isal_zstream> stream_;
  std::vector<std::uint8_t> level_buffer_;  // igzip level 1's hash tables, kept across calls
  std::vector<std::uint8_t> buffer_;        // the stream as it is written, kept across calls
  Deflater stored_{0};
};

class Inflater {
 public:
  Inflater();
  ~Inflater();
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;
  enum class Status { ok, corrupt, wrong_size };
  /// Inflates the zlib stream `in` into exactly out.size() bytes: wrong_size when the stream holds
  /// fewer or more, corrupt when it is no valid zlib stream (checksum included).
  [[nodiscard]] Status decompress(std::span<const std::uint8_t> in, std::span<std::uint8_t> out);

 private:
  libdeflate_decompressor* decompressor_;
};

}  // namespace l1emu::stream::chunk_codec
