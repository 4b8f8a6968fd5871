#pragma once
// io_stream: what changes when an hls4ml project passes hls::stream FIFOs of nnet::array packs
// between its layers instead of arrays (hls4ml's vivado nnet_utils, the *_stream.h files).
//
// Most stream functions compute each output value with the same statements as their io_parallel
// twin (they read the packs into an array, or work pack element by element), so the same layer
// classes reproduce them. Where a stream function computes differently (average pooling converts
// each cell to accum_t and sums in a tree; global pooling keeps running sums; softmax over several
// packs), l1emu imports it only when the two provably agree, and otherwise stops with a message
// that names the function and the statement, never a silently different model.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "l1emu/emu/io/cpp_declarations.h"
#include "l1emu/emu/nn/layer.h"

namespace l1emu::emu::detail {

/// A top-function parameter `hls::stream<T> &name`: its name and T.
struct StreamParameter {
  std::string name;
  std::vector<SourceToken> type;
};

/// The parameter if `tokens` (one parameter of the top function) declares a stream, else nullopt.
[[nodiscard]] std::optional<StreamParameter> stream_parameter(const std::vector<SourceToken>& tokens);

/// How many values the call `function` with config `config` reads from its (first) input: what
/// sizes a stream input of the top function, which declares no array size. Throws ModelError when
/// the config does not say.
[[nodiscard]] std::size_t stream_input_size(const CppDeclarations& declarations, const std::string& function, const ConfigStruct& config,
                                            const std::string& where);

/// Calls that copy packs from one stream to others, element by element (nnet_stream.h):
/// clone_stream (one producer, several consumers) and repack_stream (Flatten and Reshape).
[[nodiscard]] bool is_stream_copy(const std::string& function);

/// Checks that the io_stream version of `function` computes what the layer class imported from
/// it computes (the io_parallel statements), for this config and these inputs. Throws ModelError,
/// naming `where` and the stream statement that differs, when l1emu cannot prove it.
void check_stream_equivalent(const CppDeclarations& declarations, const std::string& function, const ConfigStruct& config,
                             const std::vector<ArraySpec>& inputs, const std::vector<PackedType>& input_packs, const PackedType& result_pack,
                             const std::string& where);

}  // namespace l1emu::emu::detail
