#pragma once
// Events in hardware units from a 40 MHz dataset file: DatasetReader (bounded chunks) -> DataPolicy
// (NaN/Inf, negative pT, acceptance, class; counted) -> to_event (l1_objects.h rounding).
// Rejected events are skipped; the counters say how many and why.
#include <filesystem>
#include <vector>

#include "l1emu/stream/data_policy.h"
#include "l1emu/stream/dataset_reader.h"

namespace l1emu::stream {

class DatasetSource {
 public:
  explicit DatasetSource(std::filesystem::path file, DataPolicyConfig policy = {}, DatasetReaderOptions options = {});
  /// The next accepted event (orbit and BX 0: a filling scheme stamps them); false at the end.
  bool next(Event& event);
  /// Same, in the dataset's physical layout after the policy.
  bool next(DatasetEvent& event);
  [[nodiscard]] const DataPolicyCounters& counters() const { return policy_.counters(); }
  [[nodiscard]] const DatasetReader& reader() const { return reader_; }
  /// DatasetReader::share_work.
  void share_work(WorkPool* pool) { reader_.share_work(pool); }

 private:
  const DatasetEvent* next_accepted();

  DatasetReader reader_;
  DataPolicy policy_;
  std::vector<DatasetEvent> chunk_;
  std::size_t index_ = 0;
};

}  // namespace l1emu::stream
