#include <gtest/gtest.h>

#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "hdf5_test_files.h"
#include "l1emu/stream/dataset_reader.h"
#include "l1emu/stream/dataset_source.h"
#include "l1emu/stream/dataset_writer.h"
#include "l1emu/stream/error.h"
#include "l1emu/stream/event_generator.h"
#include "expect_data_error.h"
#include "temp_dir.h"

namespace l1emu::stream {
namespace {

using testing::expect_data_error;
using testing::TempDir;

std::vector<DatasetEvent> generate(Process p, std::size_t n, std::uint64_t seed = 11) {
  EventGenerator g({.process = p, .seed = seed});
  std::vector<DatasetEvent> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(g.next());
  return out;
}

void write_all(const std::filesystem::path& path, const std::vector<DatasetEvent>& events, DatasetWriterOptions o = {}) {
  DatasetWriter w(path, o);
  for (const auto& e : events) w.write(e);
  w.close();
}

std::vector<DatasetEvent> read_all(const std::filesystem::path& path, DatasetReaderOptions o = {}) {
  DatasetReader r(path, o);
  std::vector<DatasetEvent> all, chunk;
  while (r.next_chunk(chunk)) all.insert(all.end(), chunk.begin(), chunk.end());
  EXPECT_EQ(all.size(), r.size());
  return all;
}

std::string slurp(const std::filesystem::path& p) {
  std::string bytes(std::filesystem::file_size(p), '\0');
  std::ifstream in(p, std::ios::binary);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return bytes;
}

TEST(DatasetIo, GenerateReadWriteReadGivesIdenticalEvents) {
  TempDir dir;
  const auto events = generate(Process::background, 2500);
  write_all(dir / "a.h5", events, {.buffer_events = 700});
  const auto first = read_all(dir / "a.h5", {.chunk_events = 1000});
  ASSERT_EQ(first.size(), events.size());
  // The generator rounds to float32, so a float32 file holds its values exactly.
  EXPECT_EQ(first, events);
  write_all(dir / "b.h5", first);
  const auto second = read_all(dir / "b.h5", {.chunk_events = 333});
  EXPECT_EQ(second, first);
  for (std::size_t i = 0; i < first.size(); ++i) ASSERT_EQ(to_event(first[i]), to_event(second[i])) << i;
}

TEST(DatasetIo, Float64FilesRoundTripAndReportTheirType) {
  TempDir dir;
  auto events = generate(Process::ato4l, 300);
  events[5].rows[3].pt = 12.345678901234567;  // not representable in float32
  write_all(dir / "d.h5", events, {.element_type = FloatType::float64});
  DatasetReader r(dir / "d.h5");
  EXPECT_EQ(r.element_type(), "float64");
  EXPECT_EQ(read_all(dir / "d.h5"), events);
  write_all(dir / "f.h5", events);
  EXPECT_EQ(DatasetReader(dir / "f.h5").element_type(), "float32");
}

TEST(DatasetIo, HardwareEventsRoundTripThroughTheFile) {
  TempDir dir;
  const auto events = generate(Process::lq_btau, 200);
  {
    DatasetWriter w(dir / "hw.h5");
    for (const auto& e : events) w.write(to_event(e));
    w.close();
  }
  // Hardware rounding can push an eta just past an acceptance edge (data_policy.h): keep those.
  DatasetSource source(dir / "hw.h5", {.eta_out_of_acceptance = DataAction::keep});
  Event e;
  std::size_t i = 0;
  while (source.next(e)) {
    ASSERT_LT(i, events.size());
    EXPECT_EQ(e, to_event(events[i])) << i;
    ++i;
  }
  EXPECT_EQ(i, events.size());
  EXPECT_EQ(source.counters().events_seen, events.size());
  EXPECT_EQ(source.counters().anomalies(), source.counters().eta_out_of_acceptance);
}

// Hardware codes whose bin straddles an acceptance edge (e/gamma code 69 holds 2.98..3.02 for
// |eta| < 3, jet code 92 holds 3.98..4.02 for |eta| < 4) survive writing and reading back with the
// default policy: the file holds a value of the same bin inside the acceptance, in float32 and
// float64 files alike, so decode -> encode zeroes nothing the hardware carried.
TEST(DatasetIo, HardwareCodesAtTheAcceptanceEdgesRoundTripUnderTheDefaultPolicy) {
  for (const FloatType type : {FloatType::float32, FloatType::float64}) {
    TempDir dir;
    std::vector<Event> events;
    for (const int sign : {1, -1}) {
      Event e;
      e.event_id = static_cast<std::int64_t>(events.size());
      e.egammas[0].hw_et = 40;
      e.egammas[0].hw_eta = static_cast<std::int16_t>(sign * 69);
      e.egammas[0].hw_phi = 17;
      e.jets[0].hw_et = 90;
      e.jets[0].hw_eta = static_cast<std::int16_t>(sign * 92);
      e.jets[0].hw_phi = 100;
      e.muons[0] = Muon::from_physical({10.0, sign * 2.0989, 0.5});
      ASSERT_EQ(e.muons[0].hw_eta, sign * 193);
      events.push_back(e);
    }
    {
      DatasetWriter w(dir / "edges.h5", {.element_type = type});
      for (const auto& e : events) w.write(e);
      w.close();
    }
    DatasetSource source(dir / "edges.h5");
    Event e;
    std::size_t i = 0;
    while (source.next(e)) {
      ASSERT_LT(i, events.size());
      EXPECT_EQ(e.egammas[0], events[i].egammas[0]) << i;
      EXPECT_EQ(e.jets[0], events[i].jets[0]) << i;
      EXPECT_EQ(e.muons[0].hw_eta, events[i].muons[0].hw_eta) << i;
      ++i;
    }
    EXPECT_EQ(i, events.size());
    EXPECT_EQ(source.counters().eta_out_of_acceptance, 0u);
    // Inside the acceptance in the file itself.
    for (const auto& d : read_all(dir / "edges.h5")) {
      EXPECT_LT(std::abs(d.rows[layout::kFirstElectronRow].eta), layout::kElectronEtaMax);
      EXPECT_LT(std::abs(d.rows[layout::kFirstJetRow].eta), layout::kJetEtaMax);
    }
  }
}

TEST(DatasetIo, WriterWritesTheFactsLayout) {
  TempDir dir;
  write_all(dir / "l.h5", generate(Process::htaunu, 10));
  std::array<hsize_t, 3> dims{};
  (void)testing::read_raw_particles(dir / "l.h5", dims);
  EXPECT_EQ(dims, (std::array<hsize_t, 3>{10, 19, 4}));
  EXPECT_EQ(testing::read_raw_strings(dir / "l.h5", "Particles_Names"),
            (std::vector<std::string>{"Pt", "Eta", "Phi", "Class"}));
  EXPECT_EQ(testing::read_raw_strings(dir / "l.h5", "Particles_Classes"),
            (std::vector<std::string>{"MET_class_1", "Four_Ele_class_2", "Four_Mu_class_3", "Ten_Jet_class_4"}));
  EXPECT_FALSE(std::filesystem::exists(dir / "l.h5.tmp"));
}

TEST(DatasetIo, RandomAccessAndSeek) {
  TempDir dir;
  const auto events = generate(Process::background, 100);
  write_all(dir / "r.h5", events);
  DatasetReader r(dir / "r.h5", {.chunk_events = 30});
  std::vector<DatasetEvent> out;
  r.read(40, 5, out);
  EXPECT_EQ(out, std::vector<DatasetEvent>(events.begin() + 40, events.begin() + 45));
  r.seek(90);
  ASSERT_TRUE(r.next_chunk(out));
  EXPECT_EQ(out.size(), 10u);
  EXPECT_EQ(out.front().event_id, 90);
  EXPECT_FALSE(r.next_chunk(out));
  EXPECT_THROW(r.read(95, 10, out), std::out_of_range);
}

TEST(DatasetIo, EventIdIsTheRecordIndexWithoutEvtId) {
  TempDir dir;
  auto events = generate(Process::background, 20);
  for (auto& e : events) e.event_id += 1000;
  write_all(dir / "noid.h5", events, {.write_event_ids = false});
  const auto back = read_all(dir / "noid.h5");
  EXPECT_EQ(back[7].event_id, 7);
  EXPECT_FALSE(DatasetReader(dir / "noid.h5").has_event_ids());
  write_all(dir / "id.h5", events);
  EXPECT_EQ(read_all(dir / "id.h5")[7].event_id, 1007);
}

TEST(DatasetIo, UnclosedWriterLeavesNoFile) {
  TempDir dir;
  {
    DatasetWriter w(dir / "x.h5");
    w.write(DatasetEvent{});
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "x.h5"));
  EXPECT_FALSE(std::filesystem::exists(dir / "x.h5.tmp"));
}

TEST(DatasetIo, SourceAppliesThePolicyAndCountsOddities) {
  TempDir dir;
  auto events = generate(Process::background, 10);
  events[2].rows[9].pt = -3.0;                                       // negative pT: zeroed
  events[4].rows[5].phi = std::numeric_limits<double>::quiet_NaN();  // NaN: event rejected
  events[6].rows[9].eta = 4.5;                                       // beyond jet acceptance: zeroed
  write_all(dir / "odd.h5", events, {.element_type = FloatType::float64});
  DatasetSource source(dir / "odd.h5");
  std::vector<std::int64_t> ids;
  DatasetEvent e;
  while (source.next(e)) {
    ids.push_back(e.event_id);
    if (e.event_id == 2 || e.event_id == 6) {
      EXPECT_EQ(e.rows[9], ParticleRow{});
    }
  }
  EXPECT_EQ(ids, (std::vector<std::int64_t>{0, 1, 2, 3, 5, 6, 7, 8, 9}));
  const DataPolicyCounters& c = source.counters();
  EXPECT_EQ(c.events_seen, 10u);
  EXPECT_EQ(c.events_rejected, 1u);
  EXPECT_EQ(c.non_finite, 1u);
  EXPECT_EQ(c.negative_pt, 1u);
  EXPECT_EQ(c.eta_out_of_acceptance, 1u);
  EXPECT_EQ(c.objects_zeroed, 2u);
}

// ---- malformed inputs -----------------------------------------------------------------------------

TEST(DatasetIoErrors, WrongDatasetName) {
  TempDir dir;
  const auto path = dir / "wrong_name.h5";
  testing::write_raw_dataset(path, "Particle", {5, 19, 4}, H5T_IEEE_F32LE, std::vector<double>(5 * 76, 0.0));
  expect_data_error([&] { DatasetReader r(path); }, {"wrong_name.h5", "no dataset 'Particles'"});
}

TEST(DatasetIoErrors, ShapeWithThreeColumns) {
  TempDir dir;
  const auto path = dir / "shape.h5";
  testing::write_raw_dataset(path, "Particles", {5, 19, 3}, H5T_IEEE_F32LE, std::vector<double>(5 * 57, 0.0));
  expect_data_error([&] { DatasetReader r(path); }, {"shape.h5", "'Particles'", "shape (5,19,3)", "(N,19,4)"});
  testing::write_raw_dataset(path, "Particles", {5, 76}, H5T_IEEE_F32LE, std::vector<double>(5 * 76, 0.0));
  expect_data_error([&] { DatasetReader r(path); }, {"shape (5,76)"});
}

TEST(DatasetIoErrors, IntegerElementType) {
  TempDir dir;
  const auto path = dir / "int.h5";
  testing::write_raw_dataset(path, "Particles", {5, 19, 4}, H5T_STD_I32LE, std::vector<double>(5 * 76, 1.0));
  expect_data_error([&] { DatasetReader r(path); }, {"int.h5", "'Particles'", "integer", "float32 or float64"});
}

TEST(DatasetIoErrors, TruncatedFile) {
  TempDir dir;
  write_all(dir / "full.h5", generate(Process::background, 3000), {.gzip_level = 0});
  const std::string bytes = slurp(dir / "full.h5");
  const auto path = dir / "truncated.h5";
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size() / 2));
  expect_data_error(
      [&] {
        DatasetReader r(path);
        std::vector<DatasetEvent> out;
        while (r.next_chunk(out)) {
        }
      },
      {"truncated.h5"});
}

TEST(DatasetIoErrors, WrongColumnNamesAndMissingMetadata) {
  TempDir dir;
  const auto path = dir / "names.h5";
  testing::write_raw_dataset(path, "Particles", {2, 19, 4}, H5T_IEEE_F32LE, std::vector<double>(2 * 76, 0.0), true,
                             {"Pt", "Phi", "Eta", "Class"});
  expect_data_error([&] { DatasetReader r(path); }, {"'Particles_Names'", "entry 1 is 'Phi' where 'Eta' is expected"});
  testing::write_raw_dataset(path, "Particles", {2, 19, 4}, H5T_IEEE_F32LE, std::vector<double>(2 * 76, 0.0), false);
  expect_data_error([&] { DatasetReader r(path); }, {"'Particles_Names'", "missing"});
  DatasetReader lenient(path, {.check_names = false});
  EXPECT_EQ(lenient.size(), 2u);
}

// The string width of the names dataset is the file's word: a corrupt type declaring 4 GB strings
// is an error naming the dataset, not an allocation of that size (found by the dataset_h5 fuzz target:
// libFuzzer's out-of-memory on malloc(16575889429)).
TEST(DatasetIoErrors, AbsurdStringWidthIsRefusedBeforeAllocating) {
  TempDir dir;
  const auto path = dir / "wide_names.h5";
  testing::write_raw_dataset(path, "Particles", {2, 19, 4}, H5T_IEEE_F32LE, std::vector<double>(2 * 76, 0.0), false);
  {
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    ASSERT_GE(file, 0);
    const hid_t t = H5Tcopy(H5T_C_S1);
    ASSERT_GE(H5Tset_size(t, std::size_t{4000000000}), 0);  // the file stores a type size in 32 bits
    const hsize_t n = 4;
    const hid_t s = H5Screate_simple(1, &n, nullptr);
    const hid_t d = H5Dcreate2(file, "Particles_Names", t, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);  // never written
    ASSERT_GE(d, 0);
    H5Dclose(d);
    H5Sclose(s);
    H5Tclose(t);
    H5Fclose(file);
  }
  expect_data_error([&] { DatasetReader r(path); }, {"'Particles_Names'", "fixed-length strings of 4000000000 bytes"});
}

TEST(DatasetIoErrors, NotAnHdf5FileAndMissingFile) {
  TempDir dir;
  std::ofstream(dir / "text.h5") << "not hdf5\n";
  expect_data_error([&] { DatasetReader r(dir / "text.h5"); }, {"text.h5", "not an HDF5 file"});
  expect_data_error([&] { DatasetReader r(dir / "none.h5"); }, {"none.h5", "no such file"});
}

}  // namespace
}  // namespace l1emu::stream
