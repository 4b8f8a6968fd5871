#include "l1emu/board/decision_log_format.h"

#include <array>
#include <cstring>
#include <utility>

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

struct ColumnName {
  const char* name;
  hid_t file_type;
  hid_t mem_type;
};

// The record's members in file order, the one list that record_columns() and pack_rows() expand.
template <auto... Members>
struct MemberList {
  static constexpr std::size_t kCount = sizeof...(Members);
  static std::vector<Column> columns(const std::array<ColumnName, kCount>& names) {
    return columns(names, std::make_index_sequence<kCount>());
  }
  template <std::size_t... I>
  static std::vector<Column> columns(const std::array<ColumnName, kCount>& names, std::index_sequence<I...> /*unused*/) {
    return {column<Members>(names[I].name, names[I].file_type, names[I].mem_type)...};
  }
  // One pass over the records, each member copied in turn (left to right: a comma fold).
  static void pack(std::span<const DecisionRecord> records, unsigned char* out) {
    for (const DecisionRecord& r : records) {
      ((std::memcpy(out, &(r.*Members), sizeof(r.*Members)), out += sizeof(r.*Members)), ...);
    }
  }
};

using RecordMembers =
    MemberList<&DecisionRecord::event, &DecisionRecord::orbit, &DecisionRecord::bx, &DecisionRecord::event_id, &DecisionRecord::sample,
               &DecisionRecord::inputs_hash, &DecisionRecord::score_code, &DecisionRecord::bits_before_prescale,
               &DecisionRecord::bits_after_prescale, &DecisionRecord::outcome, &DecisionRecord::latency_cycles, &DecisionRecord::latency_ns>;

}  // namespace

const std::vector<Column>& record_columns() {
  // The outcome enum is stored as its u8 code ("accepted": 0 dead time, 1 processed, 2 lost on links).
  static const std::vector<Column> columns = RecordMembers::columns({{{"event", H5T_STD_U64LE, H5T_NATIVE_UINT64},
                                                                      {"orbit", H5T_STD_U32LE, H5T_NATIVE_UINT32},
                                                                      {"bx", H5T_STD_U16LE, H5T_NATIVE_UINT16},
                                                                      {"event_id", H5T_STD_I64LE, H5T_NATIVE_INT64},
                                                                      {kSample, H5T_STD_U8LE, H5T_NATIVE_UINT8},
                                                                      {kInputsHash, H5T_STD_U64LE, H5T_NATIVE_UINT64},
                                                                      {kScoreCode, H5T_STD_I64LE, H5T_NATIVE_INT64},
                                                                      {"bits_before_prescale", H5T_STD_U64LE, H5T_NATIVE_UINT64},
                                                                      {kBitsAfterPrescale, H5T_STD_U64LE, H5T_NATIVE_UINT64},
                                                                      {"accepted", H5T_STD_U8LE, H5T_NATIVE_UINT8},
                                                                      {"latency_cycles", H5T_STD_U32LE, H5T_NATIVE_UINT32},
                                                                      {"latency_ns", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE}}});
  return columns;
}

void pack_rows(std::span<const DecisionRecord> records, unsigned char* out) { RecordMembers::pack(records, out); }

}  // namespace l1emu::board::decision_log_format
