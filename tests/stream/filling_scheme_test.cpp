#include "l1emu/stream/filling_scheme.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <utility>

#include "l1emu/stream/error.h"
#include "temp_dir.h"

namespace l1emu::stream {
namespace {

using testing::TempDir;

TEST(FillingScheme, RegisteredByName) {
  const auto names = filling_scheme_names();
  EXPECT_NE(std::find(names.begin(), names.end(), "all"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "nominal-25ns"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "file"), names.end());
  EXPECT_THROW((void)make_filling_scheme({"no-such-scheme", {}}), std::invalid_argument);
}

TEST(FillingScheme, AllHasEverySlot) {
  const auto s = make_filling_scheme({"all", {}});
  EXPECT_EQ(s->colliding_count(), 3564u);
  EXPECT_TRUE(s->is_colliding(0));
  EXPECT_TRUE(s->is_colliding(3563));
  EXPECT_FALSE(s->is_colliding(3564));
}

TEST(FillingScheme, Nominal25nsHasTrainsGapsAndAbortGap) {
  const auto s = make_filling_scheme({"nominal-25ns", {}});
  // FACTS section 1: about 2340-2450 colliding at CMS.
  EXPECT_GE(s->colliding_count(), 2340u);
  EXPECT_LE(s->colliding_count(), 2460u);
  // Abort gap: at least the last 119 slots (about 3 us) are empty.
  for (int bx = 3564 - 119; bx < 3564; ++bx) EXPECT_FALSE(s->is_colliding(bx)) << bx;
  // Trains: 48 consecutive bunches, then a gap.
  for (int bx = 0; bx < 48; ++bx) EXPECT_TRUE(s->is_colliding(bx));
  EXPECT_FALSE(s->is_colliding(48));
  // More than one gap length (batch gaps and train gaps).
  std::set<int> gaps;
  int run = 0;
  for (int bx = 0; bx < 3564 - 119; ++bx) {
    if (!s->is_colliding(bx)) ++run;
    else if (run > 0) gaps.insert(std::exchange(run, 0));
  }
  EXPECT_GE(gaps.size(), 2u);
}

TEST(FillingScheme, FileSchemeReadsListsRangesAndComments) {
  TempDir dir;
  const auto path = dir / "scheme.txt";
  std::ofstream(path) << "# colliding BX\n0, 1 2\n\n100-103 # a train\n3563\n";
  const auto s = make_filling_scheme({"file", path});
  EXPECT_EQ(s->colliding_bx(), (std::vector<std::uint16_t>{0, 1, 2, 100, 101, 102, 103, 3563}));
}

TEST(FillingScheme, FileSchemeErrorsNameTheLine) {
  TempDir dir;
  const auto path = dir / "bad.txt";
  std::ofstream(path) << "1\n2\n3564\n";
  try {
    (void)make_filling_scheme({"file", path});
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("bad.txt:3"), std::string::npos) << e.what();
  }
  std::ofstream(path) << "1\nx\n";
  EXPECT_THROW((void)make_filling_scheme({"file", path}), DataError);
  std::ofstream(path) << "5\n5\n";
  EXPECT_THROW((void)make_filling_scheme({"file", path}), DataError);
  std::ofstream(path) << "# nothing\n";
  EXPECT_THROW((void)make_filling_scheme({"file", path}), DataError);
  EXPECT_THROW((void)make_filling_scheme({"file", dir / "missing.txt"}), DataError);
}

TEST(BxAssigner, AssignsCollidingSlotsInOrderAcrossOrbits) {
  BxMask mask;
  mask.set(10);
  mask.set(20);
  mask.set(3000);
  const MaskFillingScheme scheme("three", mask);
  BxAssigner assigner(scheme, {7, 15});
  Event e;
  EXPECT_EQ(assigner.assign(e), (BunchCrossing{7, 20}));
  EXPECT_EQ(e.orbit, 7u);
  EXPECT_EQ(e.bx, 20);
  EXPECT_EQ(assigner.assign(e), (BunchCrossing{7, 3000}));
  EXPECT_EQ(assigner.assign(e), (BunchCrossing{8, 10}));
  EXPECT_EQ(assigner.next_slot(), (BunchCrossing{8, 20}));
  EXPECT_THROW(BxAssigner(MaskFillingScheme("none", {})), std::invalid_argument);
}

TEST(BxAssigner, FillsOneOrbitOfTheNominalSchemeExactly) {
  const auto scheme = make_filling_scheme({"nominal-25ns", {}});
  BxAssigner assigner(*scheme);
  BunchCrossing last;
  for (std::size_t i = 0; i < scheme->colliding_count(); ++i) {
    last = assigner.next_slot();
    EXPECT_EQ(last.orbit, 0u);
    EXPECT_TRUE(scheme->is_colliding(last.bx));
  }
  EXPECT_EQ(assigner.next_slot(), (BunchCrossing{1, 0}));
}

}  // namespace
}  // namespace l1emu::stream
