// Broken models and inputs given to `l1emu predict`: each exits non-zero with one short line that
// names the file and the place, and never crashes (no abort, no uncaught exception, no signal).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "run_command.h"

namespace l1emu {
namespace {

namespace fs = std::filesystem;

// A small valid model: 3 inputs -> Dense 2 -> ReLU.
constexpr const char* kValidModel = R"({
  "project": "tiny", "flavor": "head", "io_type": "io_parallel", "strategy": "latency", "reuse_factor": 1,
  "inputs": [{"name": "x", "size": 3, "type": "ap_fixed<12,6>"}],
  "layers": [
    {"name": "dense", "class": "Dense", "input": "x", "n_out": 2,
     "weight": [[0.5, -0.25], [1.0, 0.125], [-0.75, 0.5]], "bias": [0.25, -0.5],
     "weight_t": "ap_fixed<6,3>", "bias_t": "ap_fixed<6,3>", "accum_t": "ap_fixed<16,8>", "result_t": "ap_fixed<16,8>"},
    {"name": "relu", "class": "ReLU", "input": "dense", "result_t": "ap_ufixed<8,4,AP_RND_CONV,AP_SAT>"}
  ],
  "outputs": ["relu"]
})";

class PredictErrors : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("l1emu_predict_errors_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    write("good.json", kValidModel);
    write("events.txt", "1.5 -2 0.25\n0 0 0\n");
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return dir_ / name;
  }

  // Writes the valid model with `from` replaced by `to`.
  fs::path broken_model(const std::string& name, const std::string& from, const std::string& to) {
    std::string text = kValidModel;
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << "fixture does not contain " << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return write(name, text);
  }

  // Runs predict and checks the failure contract; returns standard error.
  std::string expect_failure(const fs::path& model, const fs::path& input, const std::string& must_mention) {
    const auto r = testing::run_l1emu("predict --model " + model.string() + " --input " + input.string());
    EXPECT_FALSE(r.crashed) << r.stderr_text;
    EXPECT_EQ(r.exit_code, 1) << r.stderr_text;
    EXPECT_TRUE(r.stdout_text.empty()) << r.stdout_text;
    // One short line: the message and its newline.
    EXPECT_EQ(std::count(r.stderr_text.begin(), r.stderr_text.end(), '\n'), 1) << r.stderr_text;
    EXPECT_LT(r.stderr_text.size(), 400U) << r.stderr_text;
    EXPECT_NE(r.stderr_text.find(must_mention), std::string::npos)
        << "message should mention '" << must_mention << "': " << r.stderr_text;
    return r.stderr_text;
  }

  fs::path dir_;
};

TEST_F(PredictErrors, ValidModelRuns) {
  const auto r = testing::run_l1emu("predict --model " + (dir_ / "good.json").string() + " --input " + (dir_ / "events.txt").string());
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  // dense = [1.5*0.5 - 2*1 + 0.25*-0.75 + 0.25, 1.5*-0.25 - 2*0.125 + 0.25*0.5 - 0.5] = [-1.1875, -1.0]
  // -> ReLU gives 0 0; the second event gives relu(0.25)=0.25 -> code 4 (F=4), relu(-0.5)=0.
  EXPECT_EQ(r.stdout_text, "0 0\n4 0\n");
}

TEST_F(PredictErrors, EmptyModel) {
  const auto msg = expect_failure(write("empty.json", ""), dir_ / "events.txt", "empty.json");
  EXPECT_NE(msg.find("empty"), std::string::npos);
}

TEST_F(PredictErrors, NotJson) { expect_failure(write("bad.json", "{ this is not json"), dir_ / "events.txt", "not valid JSON"); }

// A number beyond double's range is valid JSON syntax, but the parser cannot hold it (nlohmann's
// out_of_range 406, not a parse_error): a fuzz target found it escaping as an uncaught exception.
TEST_F(PredictErrors, NumberBeyondDoubleRange) {
  const auto msg = expect_failure(broken_model("huge.json", "[0.5, -0.25]", "[-0.671e875, -0.25]"), dir_ / "events.txt", "huge.json");
  EXPECT_NE(msg.find("not valid JSON"), std::string::npos) << msg;
  EXPECT_NE(msg.find("-0.671e875"), std::string::npos) << msg;
}

TEST_F(PredictErrors, MissingWeightRow) {
  const auto msg = expect_failure(broken_model("m.json", "[[0.5, -0.25], [1.0, 0.125], [-0.75, 0.5]]", "[[0.5, -0.25], [1.0, 0.125]]"),
                                  dir_ / "events.txt", "'weight'");
  EXPECT_NE(msg.find("dense"), std::string::npos) << msg;
  EXPECT_NE(msg.find("3 rows"), std::string::npos) << msg;
}

TEST_F(PredictErrors, ExtraBias) {
  const auto msg = expect_failure(broken_model("m.json", "[0.25, -0.5]", "[0.25, -0.5, 0.75]"), dir_ / "events.txt", "'bias'");
  EXPECT_NE(msg.find("expected 2"), std::string::npos) << msg;
}

TEST_F(PredictErrors, ZeroWidthType) {
  expect_failure(broken_model("m.json", "\"weight_t\": \"ap_fixed<6,3>\"", "\"weight_t\": \"ap_fixed<0,0>\""), dir_ / "events.txt", "weight_t");
}

TEST_F(PredictErrors, TooWideType) {
  const auto msg = expect_failure(broken_model("m.json", "\"accum_t\": \"ap_fixed<16,8>\"", "\"accum_t\": \"ap_fixed<200,10>\""),
                                  dir_ / "events.txt", "accum_t");
  EXPECT_NE(msg.find("128"), std::string::npos) << msg;
}

TEST_F(PredictErrors, UnknownModeName) {
  expect_failure(broken_model("m.json", "AP_RND_CONV", "AP_ROUND_HALF"), dir_ / "events.txt", "AP_ROUND_HALF");
}

TEST_F(PredictErrors, UnknownLayerClass) {
  const auto msg = expect_failure(broken_model("m.json", "\"class\": \"ReLU\"", "\"class\": \"Softmax\""), dir_ / "events.txt", "Softmax");
  EXPECT_NE(msg.find("relu"), std::string::npos) << msg;
}

TEST_F(PredictErrors, DanglingInput) {
  expect_failure(broken_model("m.json", "\"input\": \"dense\"", "\"input\": \"dense_9\""), dir_ / "events.txt", "dense_9");
}

TEST_F(PredictErrors, MissingOutputs) {
  expect_failure(broken_model("m.json", ",\n  \"outputs\": [\"relu\"]", ""), dir_ / "events.txt", "outputs");
}

TEST_F(PredictErrors, OutputNamesNoLayer) {
  expect_failure(broken_model("m.json", "\"outputs\": [\"relu\"]", "\"outputs\": [\"score\"]"), dir_ / "events.txt", "score");
}

TEST_F(PredictErrors, UnknownKey) {
  expect_failure(broken_model("m.json", "\"n_out\": 2,", "\"n_out\": 2, \"n_outs\": 2,"), dir_ / "events.txt", "n_outs");
}

TEST_F(PredictErrors, MissingModelFile) { expect_failure(dir_ / "nowhere.json", dir_ / "events.txt", "nowhere.json"); }

TEST_F(PredictErrors, TooFewValues) {
  const auto msg = expect_failure(dir_ / "good.json", write("short.txt", "1 2 3\n1 2\n"), "short.txt:2");
  EXPECT_NE(msg.find("expected 3 values"), std::string::npos) << msg;
}

TEST_F(PredictErrors, MalformedNumber) {
  const auto msg = expect_failure(dir_ / "good.json", write("bad.txt", "1 2 3\n1 2.5x 3\n"), "bad.txt:2");
  EXPECT_NE(msg.find("2.5x"), std::string::npos) << msg;
}

TEST_F(PredictErrors, NotFiniteNumber) { expect_failure(dir_ / "good.json", write("nan.txt", "1 nan 3\n"), "nan.txt:1"); }

// A value finite as a double but infinite once stored as float32, as the test bench stores it.
TEST_F(PredictErrors, ValueBeyondFloat32) {
  const auto msg = expect_failure(dir_ / "good.json", write("big.txt", "1 2 3\n1 1e39 3\n"), "big.txt:2: value 2");
  EXPECT_NE(msg.find("'1e39' is beyond float32's range"), std::string::npos) << msg;
  expect_failure(dir_ / "good.json", write("small.txt", "-3.5e38 2 3\n"), "small.txt:1: value 1");
}

// A NUL byte inside a value ends the C string, not the value: refused, and echoed as an escape.
TEST_F(PredictErrors, ValueCutByANulByte) {
  const auto msg = expect_failure(dir_ / "good.json", write("nul.txt", std::string("1 2 3\n1 2") + '\0' + "999 3\n"), "nul.txt:2: value 2");
  EXPECT_NE(msg.find("'2\\0999' is not a number"), std::string::npos) << msg;
}

// A huge token is echoed as a short excerpt, and the message stays one line.
TEST_F(PredictErrors, LongGarbageIsEchoedAsAnExcerpt) {
  const auto msg = expect_failure(dir_ / "good.json", write("long.txt", "1 " + std::string(100000, 'x') + " 3\n"), "long.txt:1: value 2");
  EXPECT_NE(msg.find("... (100000 bytes)"), std::string::npos) << msg;
}

TEST_F(PredictErrors, BadCommandLineIsAUsageError) {
  const auto r = testing::run_l1emu("predict --model " + (dir_ / "good.json").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.stderr_text.find("--input"), std::string::npos) << r.stderr_text;
  const auto f = testing::run_l1emu("predict --model " + (dir_ / "good.json").string() + " --input " +
                                    (dir_ / "events.txt").string() + " --format hex");
  EXPECT_EQ(f.exit_code, 2);
  EXPECT_NE(f.stderr_text.find("hex"), std::string::npos) << f.stderr_text;
}

// Whatever a message echoes (here a path holding a newline and a tab), the executable prints one
// line: control bytes are escaped at the top (app/main.cpp). A mutation campaign found messages of
// two lines where a YAML scalar, a path or a C++ token echoed a newline.
TEST_F(PredictErrors, MessagesStayOneLineWhateverTheyEcho) {
  // Single quotes: the test runs the command through sh, which keeps the newline inside them.
  const std::string odd = "'" + (dir_ / "no\nsuch\tmodel.json").string() + "'";
  const auto msg = expect_failure(odd, dir_ / "events.txt", "no\\nsuch\\tmodel.json");
  EXPECT_EQ(msg.find('\t'), std::string::npos) << msg;
}

TEST_F(PredictErrors, FailedRunLeavesNoPartialOutput) {
  const auto out = dir_ / "out.txt";
  const auto r = testing::run_l1emu("predict --model " + (dir_ / "good.json").string() + " --input " +
                                    write("late.txt", "1 2 3\n1 2 3\n1 2\n").string() + " --output " + out.string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_FALSE(fs::exists(out));
  EXPECT_FALSE(fs::exists(out.string() + ".partial"));
}

}  // namespace
}  // namespace l1emu
