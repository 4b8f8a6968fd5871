#pragma once
// The anomaly-detection algorithms of a uGT menu folder as cms-l1-globaltrigger/cms-l1-menu keeps it
// (`<year>/<menu>/vhdl/module_N/src/gtl_module_instances.vhd`, what the VHDL producer wrote for the
// firmware): each condition instance names its entity and generics, e.g.
//   cond_axol1tl_trigger_i438_i: entity work.axol1tl_v4_wrapper generic map(false, 389) port map(..., axol1tl_trigger_i438);
//   cond_cicada_trigger_i432_i: entity work.cicada_condition generic map(cscore => X"7100") port map(..., cicada_trigger_i432);
// and each algorithm is a commented block
//   -- 440 L1_AXO_Loose : AXO[AXO-MODEL_v4,AXO-SCORE_Loose]
//   l1_axo_loose <= axol1tl_trigger_i438;
//   algo(0) <= l1_axo_loose;
// whose comment gives the global bit (test-vector column 59). An algorithm that is one AXOL1TL
// condition fires when the score code >= threshold (the wrappers' generic `threshold`; adt_wrapper is
// the model v1 of 2024); one CICADA condition when the 16-bit CICADA score from link 11 >= cscore
// (mp7_ugt_legacy cicada_condition.vhd). Algorithms that combine such a condition with anything else
// are listed as not comparable, never guessed.
#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace l1emu::board {

enum class AdAlgorithmKind { Axol1tl, Cicada };

struct AdAlgorithm {
  int bit = 0;
  std::string name;  // L1_AXO_Loose
  AdAlgorithmKind kind = AdAlgorithmKind::Axol1tl;
  std::int64_t threshold = 0;  // AXOL1TL: score code; CICADA: the 16-bit score
  std::string model;           // AXOL1TL: "v1" ... from the wrapper entity; CICADA: ""
  std::string where;           // file:line of the algorithm's comment
};

struct UgtMenuFolder {
  std::string name;                    // the folder's name
  std::vector<AdAlgorithm> algorithms;  // by bit
  std::vector<std::string> not_comparable;  // "bit NAME (file:line): why"
};

/// Reads every vhdl/module_*/src/gtl_module_instances.vhd under `dir`; throws ConfigError naming
/// the file and line when the folder has none, or an AD condition or algorithm cannot be read.
[[nodiscard]] UgtMenuFolder read_ugt_menu_folder(const std::filesystem::path& dir);

/// The CICADA score a uGT receives on link 11 (mp7_ugt_legacy gtl_pkg.vhd: bits 31:28 of frames 0-3
/// are the integer MSB and LSB nibbles, then the decimal MSB and LSB nibbles).
[[nodiscard]] std::uint16_t cicada_score(const std::array<std::uint32_t, 6>& link11);

}  // namespace l1emu::board
