#pragma once
// A fixture for tests that launch `mpirun -n N l1emu ...` (app/mpi_ranks.h): skipped when l1emu is
// built without MPI or mpirun is missing; a scratch folder of its own.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "scratch_dir.h"

namespace l1emu::testing {

class MpiLaunchTest : public ScratchDirTest {
 protected:
  void SetUp() override {
#ifndef L1EMU_WITH_MPI
    GTEST_SKIP() << "l1emu is built without MPI (libboost-mpi-dev, libopenmpi-dev)";
#endif
    if (std::system("command -v mpirun >/dev/null 2>&1") != 0) GTEST_SKIP() << "no mpirun (openmpi-bin)";
    ScratchDirTest::SetUp();
  }
  // --oversubscribe: more ranks than cores; --allow-run-as-root: CI containers run as root.
  static std::string mpirun(int ranks) {
    return "mpirun --oversubscribe --allow-run-as-root -n " + std::to_string(ranks) + " " + std::string(L1EMU_BINARY) + " ";
  }
};

}  // namespace l1emu::testing
