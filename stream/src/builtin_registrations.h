#pragma once
// The protocols and pattern formats shipped with the library. Each implementation file registers
// itself in one line inside its function; the registries call these once, because self-registering
// statics in a static library are dropped by the linker when nothing else refers to their file.
namespace l1emu::stream::detail {

void register_ugt_mp7_protocol();
void register_emp64_protocol();
void register_emp_v1_format();
void register_emp_v2_format();
void register_apx_format();

}  // namespace l1emu::stream::detail
