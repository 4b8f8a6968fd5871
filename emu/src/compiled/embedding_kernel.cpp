// Embedding compiled: a lane gather from the table, converted to result_t once per table entry at
// plan time (emu/src/nn/layers/embedding.cpp is the reference).
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "kernel.h"
#include "l1emu/emu/error.h"
#include "l1emu/emu/fixed/conversion.h"
#include "l1emu/emu/nn/layers/embedding.h"

namespace l1emu::emu::compiled {
namespace {

template <class T>
class EmbeddingKernel final : public Kernel<T> {
 public:
  std::size_t n_in = 0, n_out = 0, vocab = 0;
  std::string name;
  std::vector<T> table;  // [vocab][n_out], already in result_t

  void run(LaneArrays<T>& arrays, std::size_t n) const override {
    for (std::size_t j = 0; j < n_in; ++j) {
      const T* x = arrays.row(this->inputs[0], j);
      for (std::size_t e = 0; e < n; ++e) {
        if (x[e] < 0 || static_cast<std::size_t>(x[e]) >= vocab) {
          throw ModelError("layer '" + name + "': input value " + std::to_string(j) + " is " + std::to_string(x[e]) + ", outside the vocabulary [0, " +
                           std::to_string(vocab - 1) + "] (hls4ml's embedding would read outside its table)");
        }
      }
      for (std::size_t i = 0; i < n_out; ++i) {
        T* y = arrays.row(this->output, j * n_out + i);
        for (std::size_t e = 0; e < n; ++e) y[e] = table[static_cast<std::size_t>(x[e]) * n_out + i];
      }
    }
  }
  std::string describe() const override { return "table gather of " + std::to_string(vocab) + " rows"; }
};

}  // namespace

template <class T>
KernelPtr<T> make_embedding_kernel(const Layer& layer) {
  const auto* emb = dynamic_cast<const Embedding*>(&layer);
  if (emb == nullptr) return nullptr;
  const auto& c = emb->config();
  auto k = std::make_unique<EmbeddingKernel<T>>();
  k->n_in = emb->inputs()[0].size;
  k->n_out = c.n_out;
  k->vocab = c.vocab_size;
  k->name = emb->name();
  for (const auto& code : c.embeddings) {
    const BigInt y = convert_code(code, c.embeddings_t, c.result_t);
    if (y > BigInt(std::numeric_limits<T>::max()) || y < BigInt(std::numeric_limits<T>::min())) return nullptr;
    k->table.push_back(y.convert_to<T>());
  }
  return k;
}

template KernelPtr<std::int32_t> make_embedding_kernel<std::int32_t>(const Layer&);
template KernelPtr<std::int64_t> make_embedding_kernel<std::int64_t>(const Layer&);

}  // namespace l1emu::emu::compiled
