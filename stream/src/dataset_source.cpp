#include "l1emu/stream/dataset_source.h"

namespace l1emu::stream {

DatasetSource::DatasetSource(std::filesystem::path file, DataPolicyConfig policy, DatasetReaderOptions options)
    : reader_(std::move(file), options), policy_(policy) {}

bool DatasetSource::next(DatasetEvent& event) {
  for (;;) {
    if (index_ == chunk_.size()) {
      index_ = 0;
      if (!reader_.next_chunk(chunk_)) return false;
    }
    event = chunk_[index_++];
    if (policy_.apply(event)) return true;
  }
}

bool DatasetSource::next(Event& event) {
  DatasetEvent d;
  if (!next(d)) return false;
  event = to_event(d);
  return true;
}

}  // namespace l1emu::stream
