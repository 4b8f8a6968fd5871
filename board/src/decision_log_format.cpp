#include "l1emu/board/decision_log_format.h"

#include <cstring>

namespace l1emu::board::decision_log_format {
namespace {

template <auto Member>
void get_member(const DecisionRecord& r, void* out) {
  std::memcpy(out, &(r.*Member), sizeof(r.*Member));
}
template <auto Member>
void set_member(DecisionRecord& r, const void* in) {
  std::memcpy(&(r.*Member), in, sizeof(r.*Member));
}

template <auto Member>
void gather_member(std::span<const DecisionRecord> records, unsigned char* out, std::size_t out_stride) {
  for (std::size_t i = 0; i < records.size(); ++i) std::memcpy(out + i * out_stride, &(records[i].*Member), sizeof(records[i].*Member));
}

template <auto Member>
Column column(const char* name, hid_t file_type, hid_t mem_type) {
  return {name, file_type, mem_type, sizeof(DecisionRecord{}.*Member), &get_member<Member>, &set_member<Member>, &gather_member<Member>};
}

}  // namespace

const std::vector<Column>& record_columns() {
  // The outcome enum is stored as its u8 code ("accepted": 0 dead time, 1 processed, 2 lost on links).
  static const std::vector<Column> columns = {
      column<&DecisionRecord::event>("event", H5T_STD_U64LE, H5T_NATIVE_UINT64),
      column<&DecisionRecord::orbit>("orbit", H5T_STD_U32LE, H5T_NATIVE_UINT32),
      column<&DecisionRecord::bx>("bx", H5T_STD_U16LE, H5T_NATIVE_UINT16),
      column<&DecisionRecord::event_id>("event_id", H5T_STD_I64LE, H5T_NATIVE_INT64),
      column<&DecisionRecord::sample>(kSample, H5T_STD_U8LE, H5T_NATIVE_UINT8),
      column<&DecisionRecord::inputs_hash>(kInputsHash, H5T_STD_U64LE, H5T_NATIVE_UINT64),
      column<&DecisionRecord::score_code>(kScoreCode, H5T_STD_I64LE, H5T_NATIVE_INT64),
      column<&DecisionRecord::bits_before_prescale>("bits_before_prescale", H5T_STD_U64LE, H5T_NATIVE_UINT64),
      column<&DecisionRecord::bits_after_prescale>(kBitsAfterPrescale, H5T_STD_U64LE, H5T_NATIVE_UINT64),
      column<&DecisionRecord::outcome>("accepted", H5T_STD_U8LE, H5T_NATIVE_UINT8),
      column<&DecisionRecord::latency_cycles>("latency_cycles", H5T_STD_U32LE, H5T_NATIVE_UINT32),
      column<&DecisionRecord::latency_ns>("latency_ns", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE)};
  return columns;
}

}  // namespace l1emu::board::decision_log_format
