// The Verilog port reader and the port map of verify rtl (board/rtl/verilog_ports.h,
// rtl_port_map.h) on module headers written here in the Vivado/Vitis HLS styles.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "l1emu/board/error.h"
#include "l1emu/board/rtl/rtl_driver_generator.h"
#include "l1emu/board/rtl/rtl_port_map.h"
#include "l1emu/board/rtl/stale_constants.h"
#include "l1emu/board/rtl/verilog_ports.h"

namespace l1emu::board {
namespace {

namespace fs = std::filesystem;

class RtlPorts : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("l1emu_rtl_ports_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return dir_ / name;
  }
  // A message of the BoardError `f` throws.
  template <class F>
  static std::string error_of(F f) {
    try {
      f();
    } catch (const BoardError& e) {
      return e.what();
    }
    return "no error";
  }
  fs::path dir_;
};

const std::vector<RtlParameter> kIn{{"x", 4, 8, "ap_fixed<8,4>"}};
const std::vector<RtlParameter> kOut{{"y", 2, 16, "ap_fixed<16,8>"}};

TEST_F(RtlPorts, NonAnsiHeaderWithAttributesCommentsAndParameterisedSubmodules) {
  write("sub.v", "module sub #(parameter W = 8) (a, b);\ninput [W-1:0] a;\noutput [W-1:0] b;\nassign b = a;\nendmodule\n");
  write("top.v",
        "// comment (* not an attribute\n`timescale 1 ns / 1 ps\n(* CORE_GENERATION_INFO=\"top\" *)\nmodule myproject (\n ap_clk, /* c */ x_V,\n"
        " y_0_V, y_0_V_ap_vld);\ninput ap_clk;\ninput  [31:0] x_V;\noutput [15:0] y_0_V;\noutput y_0_V_ap_vld;\n"
        "sub #(.W(16)) u0 (.a(x_V[15:0]), .b(y_0_V));\nalways @ (*) begin end\nassign y_0_V_ap_vld = 1'b1;\nendmodule");
  const VerilogModule top = find_top_module(dir_, "");  // the one nobody instantiates
  EXPECT_EQ(top.name, "myproject");
  ASSERT_EQ(top.ports.size(), 4U);
  EXPECT_EQ(top.ports[1].name, "x_V");
  EXPECT_EQ(top.ports[1].width, 32U);
  EXPECT_EQ(top.ports[1].line, 8U);
  EXPECT_EQ(top.ports[2].direction, PortDirection::output);
  const auto sub = read_verilog_modules(dir_ / "sub.v");
  ASSERT_EQ(sub.size(), 1U);
  EXPECT_EQ(sub[0].ports[0].width, 0U);  // [W-1:0]: not numbers, refused only if a top uses it
  EXPECT_EQ(sub[0].ports[0].range, "[W-1:0]");
}

TEST_F(RtlPorts, AnsiHeaderAndTwoCandidateTopsAskForTop) {
  write("a.v", "module first (input wire ap_clk, input wire [7:0] x, output reg [15:0] y);\nendmodule\n");
  write("b.v", "module second (input ap_clk);\nendmodule\n");
  EXPECT_NE(error_of([&] { (void)find_top_module(dir_, ""); }).find("2 modules could be the top (first, second): choose one with --top"),
            std::string::npos);
  const VerilogModule m = find_top_module(dir_, "first");
  ASSERT_EQ(m.ports.size(), 3U);
  EXPECT_EQ(m.ports[2].name, "y");
  EXPECT_EQ(m.ports[2].width, 16U);
  EXPECT_NE(error_of([&] { (void)find_top_module(dir_, "third"); }).find("no module third (modules: first, second)"), std::string::npos);
}

TEST_F(RtlPorts, PackedInputsPartitionedOutputsAndHandshakes) {
  write("t.v",
        "module myproject (input ap_clk, input ap_rst_n, input ap_start, output ap_done, output ap_ready, output ap_idle,\n"
        " input [31:0] x_V, input x_V_ap_vld, output [15:0] y_0_V, output y_0_V_ap_vld, output [15:0] y_1_V, output y_1_V_ap_vld,\n"
        " output [15:0] const_size_out_1, output const_size_out_1_ap_vld);\nendmodule\n");
  const RtlPortMap m = map_rtl_ports(find_top_module(dir_, "myproject"), kIn, kOut);
  EXPECT_TRUE(m.handshake);
  EXPECT_EQ(m.reset, "ap_rst_n");
  EXPECT_TRUE(m.reset_active_low);
  ASSERT_EQ(m.input_ports.size(), 1U);
  EXPECT_EQ(m.input_ports[0].protocol, RtlProtocol::wire_valid);
  EXPECT_EQ(m.input_ports[0].per_beat, 4U);
  ASSERT_EQ(m.output_ports.size(), 2U);
  EXPECT_EQ(m.output_ports[1].offset, 1U);
  EXPECT_EQ(m.output_ports[1].stride, 2U);
  EXPECT_EQ(m.output_ports[1].valid, "y_1_V_ap_vld");
  ASSERT_EQ(m.notes.size(), 2U);  // hls4ml's const_size ports are named, not compared
  const std::string driver = generate_rtl_driver(m);
  EXPECT_NE(driver.find("put(t->x_V, 24, 8, ev[0 + static_cast<std::size_t>(beat) * 4 + 3]);"), std::string::npos) << driver;
  EXPECT_NE(driver.find("t->ap_rst_n = !on;"), std::string::npos);
}

TEST_F(RtlPorts, StreamsOfArraysAndReturnedValues) {
  write("t.v",
        "module myproject (input ap_clk, input [7:0] x_V_data_0_V_dout, input x_V_data_0_V_empty_n, output x_V_data_0_V_read,\n"
        " input [7:0] x_V_data_1_V_dout, input x_V_data_1_V_empty_n, output x_V_data_1_V_read,\n"
        " output [15:0] ap_return_0, output [15:0] ap_return_1);\nendmodule\n");
  const RtlPortMap m = map_rtl_ports(find_top_module(dir_, "myproject"), kIn, kOut);
  EXPECT_FALSE(m.handshake);
  ASSERT_EQ(m.input_ports.size(), 2U);
  EXPECT_EQ(m.input_ports[1].protocol, RtlProtocol::fifo);
  EXPECT_EQ(m.input_ports[1].beats, 2U);  // 4 values, 2 per beat across the two FIFOs
  EXPECT_EQ(m.input_ports[1].stride, 2U);
  EXPECT_EQ(m.input_ports[1].ready, "x_V_data_1_V_read");
  ASSERT_EQ(m.output_ports.size(), 2U);
  EXPECT_EQ(m.output_ports[0].port, "ap_return_0");
}

TEST_F(RtlPorts, ChainAndDataflowControlsAreHeldAndStatusOutputsNoted) {
  write("t.v",
        "module myproject (input ap_clk, input ap_rst, input ap_start, output ap_done, output ap_ready, input ap_continue,\n"
        " input start_full_n, output start_out, output start_write, input [31:0] x_V_data_V_dout, input x_V_data_V_empty_n,\n"
        " output x_V_data_V_read, output x_V_data_V_blk_n, output [31:0] y_V_data_V_din, input y_V_data_V_full_n, output y_V_data_V_write);\nendmodule\n");
  const RtlPortMap m = map_rtl_ports(find_top_module(dir_, "myproject"), kIn, kOut);
  EXPECT_EQ(m.held_high, (std::vector<std::string>{"ap_continue", "start_full_n"}));
  ASSERT_EQ(m.input_ports.size(), 1U);
  EXPECT_EQ(m.input_ports[0].port, "x_V_data_V_dout");
  EXPECT_EQ(m.input_ports[0].beats, 1U);
  EXPECT_EQ(m.notes.size(), 3U);  // start_out, start_write, x_V_data_V_blk_n
  EXPECT_NE(generate_rtl_driver(m).find("t->ap_continue = 1; t->start_full_n = 1;"), std::string::npos);
  // A _blk_n of no port is not a status output: refused like any unknown port.
  write("t.v", "module myproject (input ap_clk, input [31:0] x_V, output [31:0] y, output z_blk_n);\nendmodule\n");
  EXPECT_NE(error_of([&] { (void)map_rtl_ports(find_top_module(dir_, "myproject"), kIn, kOut); }).find("port z_blk_n: neither"),
            std::string::npos);
}

TEST_F(RtlPorts, RefusalsNameThePort) {
  write("t.v", "module myproject (input ap_clk, input [30:0] x_V, output [31:0] y);\nendmodule\n");
  EXPECT_NE(error_of([&] { (void)map_rtl_ports(find_top_module(dir_, "myproject"), kIn, kOut); })
                .find("port x_V: 31 bits is not a whole number of 8-bit values of input x (ap_fixed<8,4>): expected N x 8 bits"),
            std::string::npos);
  write("t.v", "module myproject (input ap_clk, input [15:0] x_V, output [31:0] y);\nendmodule\n");
  EXPECT_NE(error_of([&] { (void)map_rtl_ports(find_top_module(dir_, "myproject"), kIn, kOut); })
                .find("port x_V: carries 2 values of 8 bits; input x has 4 values (expected all of them)"),
            std::string::npos);
  write("t.v", "module myproject (input ap_clk, input [31:0] x_V, input [31:0] x, output [31:0] y);\nendmodule\n");
  EXPECT_NE(error_of([&] { (void)map_rtl_ports(find_top_module(dir_, "myproject"), kIn, kOut); }).find("more than one port spelling"),
            std::string::npos);
  write("t.v", "module myproject (input ap_clk, input [31:0] x, output [31:0] y_TDATA, output y_TVALID);\nendmodule\n");
  EXPECT_NE(error_of([&] { (void)map_rtl_ports(find_top_module(dir_, "myproject"), kIn, kOut); }).find("no port y_TREADY"),
            std::string::npos);
  write("t.v", "module myproject (input [31:0] x, output [31:0] y);\nendmodule\n");
  EXPECT_NE(error_of([&] { (void)map_rtl_ports(find_top_module(dir_, "myproject"), kIn, kOut); }).find("no port ap_clk"), std::string::npos);
}

TEST_F(RtlPorts, StaleConstantsCountDifferingValuesByArrayName) {
  fs::create_directories(dir_ / "prj" / "firmware" / "weights");
  std::ofstream(dir_ / "prj" / "firmware" / "weights" / "w2.h") << "#ifndef W2_H_\nweight2_t w2[4] = {0.5, 0.25, -1.0, 2};\n#endif\n";
  std::ofstream(dir_ / "prj" / "firmware" / "weights" / "b2.txt") << "0.125, 0.0\n";
  fs::create_directories(dir_ / "sol" / ".autopilot" / "db");
  fs::create_directories(dir_ / "sol" / "impl" / "verilog");
  std::ofstream(dir_ / "sol" / ".autopilot" / "db" / "myproject.pp.0.cpp")
      << "int f(int a[2]) { return a[0]; }\nweight2_t w2[4] = {0.5000, 0.75, -1.0, 2.0};\nbias2_t b2[2] = {0.125, 0};\nother_t z9[1] = {3};\n";
  const auto pp = find_preprocessed_source(dir_ / "sol" / "impl" / "verilog", "myproject");
  ASSERT_TRUE(pp.has_value());
  const StaleConstantsCheck c = compare_synthesized_constants(*pp, dir_ / "prj");
  EXPECT_EQ(c.arrays_compared, 2U);  // z9 has no weight file of its name
  ASSERT_EQ(c.differences.size(), 1U);
  EXPECT_EQ(c.differences[0].name, "w2");
  EXPECT_EQ(c.differences[0].differing, 1U);
  EXPECT_EQ(c.differences[0].total, 4U);
}

}  // namespace
}  // namespace l1emu::board
