#include "l1emu/stream/dataset_source.h"

namespace l1emu::stream {

DatasetSource::DatasetSource(std::filesystem::path file, DataPolicyConfig policy, DatasetReaderOptions options)
    : reader_(std::move(file), options), policy_(policy) {}

// The policy edits the chunk's own row (each row is read once), so an accepted event is converted
// from where it lies, without a copy of its 616 bytes.
const DatasetEvent* DatasetSource::next_accepted() {
  for (;;) {
    if (index_ == chunk_.size()) {
      index_ = 0;
      if (!reader_.next_chunk(chunk_)) return nullptr;
    }
    DatasetEvent& row = chunk_[index_++];
    // The next record's ten cache lines are asked for while this one is checked and converted.
    if (index_ < chunk_.size()) {
      const auto* next = reinterpret_cast<const char*>(&chunk_[index_]);
      for (std::size_t b = 0; b < sizeof(DatasetEvent); b += 64) __builtin_prefetch(next + b);
    }
    if (policy_.apply(row)) return &row;
  }
}

bool DatasetSource::next(DatasetEvent& event) {
  const DatasetEvent* row = next_accepted();
  if (row == nullptr) return false;
  event = *row;
  return true;
}

bool DatasetSource::next(Event& event) {
  const DatasetEvent* row = next_accepted();
  if (row == nullptr) return false;
  to_event(*row, event);
  return true;
}

}  // namespace l1emu::stream
