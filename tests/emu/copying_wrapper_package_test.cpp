// A CMSSW emulator package whose wrapper only copies inputs and outputs (the TOoLLiP packages):
// `--model DIR` on the package folder is the network of DIR/NN. The package is written by the test
// (an hls4ml fixture as NN/ and a wrapper of our own wording).
#include <gtest/gtest.h>

#include "import_test_support.h"
#include "l1emu/emu/io/copying_wrapper_package.h"
#include "l1emu/emu/io/hls4ml_project.h"
#include "l1emu/emu/io/model_json_writer.h"
#include "l1emu/emu/io/model_loader.h"

namespace l1emu::emu {
namespace {

TEST(CopyingWrapperPackage, IsTheNetworkOfItsNNFolder) {
  testing::ScratchDir dir("copying_wrapper");
  std::filesystem::create_directories(dir.path() / "NN");
  std::filesystem::copy(testing::fixture_dir("hls4ml/dense_relu_txt/firmware"), dir.path() / "NN", std::filesystem::copy_options::recursive);
  testing::write_text(dir.path() / "pkg_emulator.cpp",
                      "#include \"NN/myproject.h\"\n"
                      "class pkg_emulator : public hls4mlEmulator::Model {\n"
                      "  input_t _input[4];\n"
                      "  void prepare_input(std::any input) { input_t* p = std::any_cast<input_t*>(input); for (int i = 0; i < 4; ++i) _input[i] = p[i]; }\n"
                      "};\n"
                      "extern \"C\" hls4mlEmulator::Model* create_model() { return new pkg_emulator; }\n");
  ASSERT_TRUE(is_copying_wrapper_package(dir.path()));
  std::vector<std::string> notes;
  const Model package = load_model(dir.path(), std::nullopt, &notes);
  const Model network = import_hls4ml_project(testing::fixture_dir("hls4ml/dense_relu_txt"), std::nullopt, nullptr);
  EXPECT_EQ(write_model_json(package), write_model_json(network));
  EXPECT_NE(notes.back().find("copies the inputs and outputs"), std::string::npos) << notes.back();
  // A wrapper that scales its inputs is not a copying one.
  testing::write_text(dir.path() / "pkg_emulator.cpp", "void _scaleNNInputs(int x[4], input_t y[4]) {}\nvoid* create_model();\n");
  EXPECT_FALSE(is_copying_wrapper_package(dir.path()));
}

}  // namespace
}  // namespace l1emu::emu
