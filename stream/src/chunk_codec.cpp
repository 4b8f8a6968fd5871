#include "l1emu/stream/chunk_codec.h"

#include <libdeflate.h>

#include <algorithm>
#include <new>
#include <stdexcept>
#include <string>

namespace l1emu::stream::chunk_codec {
namespace {

// The element size a compile-time constant: the compiler turns the byte gathers into vector
// shuffles (the generic unshuffle loop was 13 % of a dataset read, more than libdeflate's inflate).
template <std::size_t N>
void shuffle_fixed(const std::uint8_t* in, std::size_t n, std::uint8_t* out) {
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < N; ++j) out[j * n + i] = in[i * N + j];
}

template <std::size_t N>
void unshuffle_fixed(const std::uint8_t* in, std::size_t n, std::uint8_t* out) {
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < N; ++j) out[i * N + j] = in[j * n + i];
}

}  // namespace

void shuffle(std::span<const std::uint8_t> in, std::size_t element_size, std::vector<std::uint8_t>& out) {
  out.resize(in.size());
  if (!shuffles(in.size(), element_size)) {
    std::copy(in.begin(), in.end(), out.begin());
    return;
  }
  const std::size_t n = in.size() / element_size;
  switch (element_size) {
    case 2: shuffle_fixed<2>(in.data(), n, out.data()); break;
    case 4: shuffle_fixed<4>(in.data(), n, out.data()); break;
    case 8: shuffle_fixed<8>(in.data(), n, out.data()); break;
    default:
      for (std::size_t j = 0; j < element_size; ++j)
        for (std::size_t i = 0; i < n; ++i) out[j * n + i] = in[i * element_size + j];
  }
  for (std::size_t i = n * element_size; i < in.size(); ++i) out[i] = in[i];
}

void unshuffle(std::span<const std::uint8_t> in, std::size_t element_size, std::span<std::uint8_t> out) {
  if (!shuffles(in.size(), element_size)) {
    std::copy(in.begin(), in.end(), out.begin());
    return;
  }
  const std::size_t n = in.size() / element_size;
  switch (element_size) {
    case 2: unshuffle_fixed<2>(in.data(), n, out.data()); break;
    case 4: unshuffle_fixed<4>(in.data(), n, out.data()); break;
    case 8: unshuffle_fixed<8>(in.data(), n, out.data()); break;
    default:
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < element_size; ++j) out[i * element_size + j] = in[j * n + i];
  }
  for (std::size_t i = n * element_size; i < in.size(); ++i) out[i] = in[i];
}

Deflater::Deflater(int level) : level_(level), compressor_(nullptr) {
  if (level < 0 || level > 12) throw std::invalid_argument("chunk_codec::Deflater: level " + std::to_string(level) + " outside 0..12");
  compressor_ = libdeflate_alloc_compressor(level);
  if (compressor_ == nullptr) throw std::bad_alloc();
}

Deflater::~Deflater() { libdeflate_free_compressor(compressor_); }

void Deflater::compress(std::span<const std::uint8_t> in, std::vector<std::uint8_t>& out) {
  out.resize(libdeflate_zlib_compress_bound(compressor_, in.size()));
  const std::size_t size = libdeflate_zlib_compress(compressor_, in.data(), in.size(), out.data(), out.size());
  // 0 means "did not fit", which the bound rules out.
  if (size == 0) throw std::logic_error("chunk_codec::Deflater: output beyond libdeflate's own bound");
  out.resize(size);
}

Inflater::Inflater() : decompressor_(libdeflate_alloc_decompressor()) {
  if (decompressor_ == nullptr) throw std::bad_alloc();
}

Inflater::~Inflater() { libdeflate_free_decompressor(decompressor_); }

Inflater::Status Inflater::decompress(std::span<const std::uint8_t> in, std::span<std::uint8_t> out) {
  std::size_t actual = 0;
  const libdeflate_result r = libdeflate_zlib_decompress(decompressor_, in.data(), in.size(), out.data(), out.size(), &actual);
  if (r == LIBDEFLATE_SUCCESS) return actual == out.size() ? Status::ok : Status::wrong_size;
  if (r == LIBDEFLATE_INSUFFICIENT_SPACE) return Status::wrong_size;
  return Status::corrupt;
}

}  // namespace l1emu::stream::chunk_codec
