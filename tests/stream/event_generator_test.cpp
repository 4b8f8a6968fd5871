// The generator's files are checked against shared/FACTS.md section 3 by a checker written from
// that text alone: it reads the file with the raw HDF5 API, not with the library's reader.
#include "l1emu/stream/event_generator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <numbers>
#include <string>
#include <vector>

#include "hdf5_test_files.h"
#include "l1emu/stream/dataset_writer.h"
#include "temp_dir.h"

namespace l1emu::stream {
namespace {

using testing::TempDir;

void generate_file(const std::filesystem::path& path, Process p, int n, std::uint64_t seed,
                   FloatType type = FloatType::float32) {
  EventGenerator g({.process = p, .seed = seed});
  DatasetWriter w(path, {.element_type = type});
  for (int i = 0; i < n; ++i) w.write(g.next());
  w.close();
}

std::string slurp(const std::filesystem::path& p) {
  std::string bytes(std::filesystem::file_size(p), '\0');
  std::ifstream in(p, std::ios::binary);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return bytes;
}

/// FACTS section 3, rule by rule. Returns the first violation, or "" when the file conforms.
std::string check_facts_section3(const std::filesystem::path& path, std::size_t expected_events) {
  // Datasets and their names.
  if (testing::read_raw_strings(path, "Particles_Names") != std::vector<std::string>{"Pt", "Eta", "Phi", "Class"})
    return "Particles_Names is not [Pt, Eta, Phi, Class]";
  if (testing::read_raw_strings(path, "Particles_Classes") !=
      std::vector<std::string>{"MET_class_1", "Four_Ele_class_2", "Four_Mu_class_3", "Ten_Jet_class_4"})
    return "Particles_Classes is wrong";
  std::array<hsize_t, 3> dims{};
  const std::vector<double> v = testing::read_raw_particles(path, dims);
  if (dims[0] != expected_events || dims[1] != 19 || dims[2] != 4) return "Particles is not (N,19,4)";

  const double kPhiMax = std::numbers::pi + 1e-6;  // float32 rounding of pi
  for (std::size_t e = 0; e < dims[0]; ++e) {
    const double* ev = v.data() + e * 76;
    auto at = [&](int row, int col) { return ev[row * 4 + col]; };
    auto where = [&](int row) { return "event " + std::to_string(e) + " row " + std::to_string(row) + ": "; };
    for (int i = 0; i < 76; ++i)
      if (!std::isfinite(ev[i])) return where(i / 4) + "not finite";
    // Row 0 = MET, class 1, eta = 0.
    if (at(0, 3) != 1.0) return where(0) + "MET class is not 1";
    if (at(0, 1) != 0.0) return where(0) + "MET eta is not 0";
    if (at(0, 0) < 0.0 || std::abs(at(0, 2)) > kPhiMax) return where(0) + "MET pT/phi out of range";
    // Rows 1-4 electrons (class 2, |eta| < 3), 5-8 muons (3, 2.1), 9-18 jets (4, 4).
    struct Block {
      int first, count, cls;
      double eta_max;
      bool holes_allowed;  // jets beyond |eta| 4 are zeroed without re-sorting
    };
    for (const Block b : {Block{1, 4, 2, 3.0, false}, Block{5, 4, 3, 2.1, false}, Block{9, 10, 4, 4.0, true}}) {
      double previous_pt = 1e300;
      bool seen_empty = false;
      for (int r = b.first; r < b.first + b.count; ++r) {
        const bool empty = at(r, 0) == 0.0;
        if (empty) {
          // Empty slots all zero with class 0.
          if (at(r, 1) != 0.0 || at(r, 2) != 0.0 || at(r, 3) != 0.0) return where(r) + "empty slot not all zero";
          seen_empty = true;
          continue;
        }
        if (seen_empty && !b.holes_allowed) return where(r) + "object after an empty slot";
        if (at(r, 3) != b.cls) return where(r) + "wrong class";
        if (at(r, 0) < 0.0) return where(r) + "negative pT";
        if (!(std::abs(at(r, 1)) < b.eta_max)) return where(r) + "outside the acceptance";
        if (std::abs(at(r, 2)) > kPhiMax) return where(r) + "phi outside [-pi, pi]";
        if (at(r, 0) > previous_pt) return where(r) + "not pT-ordered within its class";
        previous_pt = at(r, 0);
      }
    }
    // Kept if the leading electron or leading muon has pT > 23 GeV.
    if (!(at(1, 0) > 23.0 || at(5, 0) > 23.0)) return where(1) + "fails the single-lepton pT > 23 GeV filter";
  }
  return "";
}

struct Multiplicity {
  double electrons = 0, muons = 0, jets = 0, met = 0;
};

Multiplicity multiplicity(Process p, int n, std::uint64_t seed = 3) {
  EventGenerator g({.process = p, .seed = seed});
  Multiplicity m;
  for (int i = 0; i < n; ++i) {
    const DatasetEvent e = g.next();
    for (const auto& row : e.rows) {
      m.electrons += row.cls == 2.0;
      m.muons += row.cls == 3.0;
      m.jets += row.cls == 4.0;
    }
    m.met += e.rows[0].pt;
  }
  m.electrons /= n;
  m.muons /= n;
  m.jets /= n;
  m.met /= n;
  return m;
}

class GeneratedFile : public ::testing::TestWithParam<Process> {};

TEST_P(GeneratedFile, PassesTheFactsSection3Check) {
  TempDir dir;
  const auto path = dir / "g.h5";
  generate_file(path, GetParam(), 1500, 5);
  EXPECT_EQ(check_facts_section3(path, 1500), "");
  const auto path64 = dir / "g64.h5";
  generate_file(path64, GetParam(), 300, 6, FloatType::float64);
  EXPECT_EQ(check_facts_section3(path64, 300), "");
}

TEST_P(GeneratedFile, SameSeedSameFileOtherSeedOtherFile) {
  TempDir dir;
  generate_file(dir / "a.h5", GetParam(), 400, 42);
  generate_file(dir / "b.h5", GetParam(), 400, 42);
  generate_file(dir / "c.h5", GetParam(), 400, 43);
  EXPECT_EQ(slurp(dir / "a.h5"), slurp(dir / "b.h5"));
  EXPECT_NE(slurp(dir / "a.h5"), slurp(dir / "c.h5"));
}

INSTANTIATE_TEST_SUITE_P(EveryProcess, GeneratedFile,
                         ::testing::Values(Process::background, Process::ato4l, Process::lq_btau, Process::htautau,
                                           Process::htaunu),
                         [](const auto& param_info) { return std::string(to_string(param_info.param)); });

TEST(EventGenerator, ChecksRejectABrokenFile) {
  // The checker itself must catch violations, or the test above proves nothing.
  TempDir dir;
  EventGenerator g({.process = Process::background, .seed = 1});
  auto write_one = [&](const std::string& name, auto mutate) {
    DatasetEvent e = g.next();
    mutate(e);
    DatasetWriter w(dir / name);
    w.write(e);
    w.close();
    return check_facts_section3(dir / name, 1);
  };
  EXPECT_NE(write_one("eta.h5", [](DatasetEvent& e) { e.rows[0].eta = 0.5; }), "");
  EXPECT_NE(write_one("order.h5", [](DatasetEvent& e) { e.rows[9] = {10, 0, 0, 4}, e.rows[10] = {20, 0, 0, 4}; }), "");
  EXPECT_NE(write_one("filter.h5", [](DatasetEvent& e) { e.rows[1].pt = std::min(e.rows[1].pt, 20.0), e.rows[5] = {}; }), "");
  EXPECT_NE(write_one("acc.h5", [](DatasetEvent& e) { e.rows[5] = {30, 2.2, 0, 3}; }), "");
  EXPECT_NE(write_one("class.h5", [](DatasetEvent& e) { e.rows[18] = {0, 0, 0, 4}; }), "");
}

TEST(EventGenerator, EventIdsAreConsecutive) {
  EventGenerator g({.process = Process::htautau, .seed = 9, .first_event_id = 100});
  for (int i = 0; i < 50; ++i) EXPECT_EQ(g.next().event_id, 100 + i);
}

// Blocks: a generator started anywhere (inside a block, on a boundary, in a later block) gives the
// sequential generator's events from there on, ids included; that is what parallel replay relies on.
TEST(EventGenerator, StartingAnywhereGivesTheSequentialEvents) {
  constexpr std::uint64_t kBlock = EventGenerator::kBlockEvents;
  const GeneratorConfig base{.process = Process::lq_btau, .seed = 77, .first_event_id = 5000};
  std::vector<DatasetEvent> sequential;
  EventGenerator all(base);
  for (std::uint64_t i = 0; i < 2 * kBlock + 300; ++i) sequential.push_back(all.next());
  for (const std::uint64_t start : {std::uint64_t{0}, std::uint64_t{1}, kBlock - 1, kBlock, kBlock + 517, 2 * kBlock, 2 * kBlock + 299}) {
    GeneratorConfig c = base;
    c.first_index = start;
    EventGenerator g(c);
    EXPECT_EQ(g.position(), start);
    for (std::uint64_t i = start; i < std::min<std::uint64_t>(start + 400, sequential.size()); ++i) {
      const DatasetEvent e = g.next();
      ASSERT_EQ(e, sequential[i]) << "start " << start << ", event " << i;
    }
  }
  // The blocks are different streams: a block does not repeat the previous one, nor another seed's.
  EXPECT_NE(sequential[kBlock].rows, sequential[0].rows);
  GeneratorConfig other = base;
  other.seed = base.seed + 1;
  EXPECT_NE(EventGenerator(other).next().rows, sequential[0].rows);
}

// Every value is rounded to float32 before selection (so float32 and float64 files hold the same
// events). This also guards against g++ 12's SLP vectoriser, which at -O2 fuses neighbouring
// (double)(float) round trips and drops the rounding.
TEST(EventGenerator, EveryValueIsAFloat32) {
  for (std::size_t p = 0; p < kProcessNames.size(); ++p) {
    EventGenerator g({.process = static_cast<Process>(p), .seed = 31 + p});
    for (int i = 0; i < 3000; ++i) {
      const DatasetEvent e = g.next();
      for (std::size_t r = 0; r < e.rows.size(); ++r) {
        for (const double v : {e.rows[r].pt, e.rows[r].eta, e.rows[r].phi}) {
          const volatile float f = static_cast<float>(v);  // volatile: no round trip for the compiler to drop here
          ASSERT_EQ(v, static_cast<double>(f)) << kProcessNames[p] << " event " << i << " row " << r;
        }
      }
    }
  }
}

TEST(EventGenerator, AToFourLeptonsHasClearlyMoreLeptonsThanBackground) {
  const Multiplicity bkg = multiplicity(Process::background, 3000);
  const Multiplicity a = multiplicity(Process::ato4l, 3000);
  EXPECT_GT(a.electrons + a.muons, 2.0 * (bkg.electrons + bkg.muons))
      << "A->4l " << a.electrons + a.muons << " leptons/event, background " << bkg.electrons + bkg.muons;
  EXPECT_GT(a.electrons + a.muons, 2.5);
  EXPECT_LT(bkg.electrons + bkg.muons, 1.5);
}

TEST(EventGenerator, SignalsHaveTheirSignatures) {
  const Multiplicity bkg = multiplicity(Process::background, 2000);
  // h+ -> tau nu: three neutrinos (two from the leptonic tau) give real MET, far above the
  // resolution-only MET of a balanced event (about 5 GeV from noise and jet smearing).
  EXPECT_GT(multiplicity(Process::htaunu, 2000).met, 15.0);
  // LQ -> b tau: a b jet on top of the recoil and pileup jets.
  EXPECT_GT(multiplicity(Process::lq_btau, 2000).jets, bkg.jets);
}

TEST(EventGenerator, BackgroundMixMatchesThePublishedSample) {
  EventGenerator g({.process = Process::background, .seed = 21});
  const int n = 20000;
  for (int i = 0; i < n; ++i) (void)g.next();
  const auto& s = g.stats().accepted_by_subprocess;
  EXPECT_NEAR(static_cast<double>(s[0]) / n, 0.592, 0.015);  // W -> l nu
  EXPECT_NEAR(static_cast<double>(s[1]) / n, 0.338, 0.015);  // QCD
  EXPECT_NEAR(static_cast<double>(s[2]) / n, 0.067, 0.006);  // Z -> ll
  EXPECT_NEAR(static_cast<double>(s[3]) / n, 0.003, 0.0015); // ttbar
}

TEST(EventGenerator, ProcessNamesParse) {
  for (const auto name : kProcessNames) EXPECT_EQ(to_string(parse_process(name)), name);
  EXPECT_THROW((void)parse_process("zprime"), std::invalid_argument);
}

}  // namespace
}  // namespace l1emu::stream
