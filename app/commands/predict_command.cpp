// l1emu predict: runs a model bit-exactly over events in the hls4ml test-bench text format.
#include <boost/program_options.hpp>

#include <algorithm>
#include <chrono>
#include <exception>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "command.h"
#include "command_line.h"
#include "l1emu/emu/compiled/compiled_model.h"
#include "l1emu/emu/compiled/input_codes.h"
#include "l1emu/emu/io/atomic_file.h"
#include "l1emu/emu/io/code_format.h"
#include "l1emu/emu/io/event_text.h"
#include "l1emu/emu/io/model_loader.h"
#include "l1emu/emu/nn/reference_evaluator.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace l1emu::app {
namespace {

constexpr const char* kUsage =
    "usage: l1emu predict --model PATH --input FILE [--output FILE] [--format raw|decimal] [--trace DIR] [--threads N]\n"
    "                     [--engine compiled|reference]\n\n"
    "Evaluates the model bit for bit as the hls4ml firmware computes it. FILE has one event per line,\n"
    "values separated by spaces (the hls4ml test-bench convention): each value is read as a C double,\n"
    "stored as a float and converted to the input type (a scalar C int port: converted to int, toward\n"
    "zero, as C does). One output line per event: all model outputs\n"
    "concatenated in the model's output order, as raw integer codes (value x 2^F) or exact decimals.\n"
    "--trace DIR writes DIR/<layer>.txt with every layer's raw codes per event. A throughput line goes\n"
    "to standard error. Exit status 0 on success, 1 with a one-line message on bad input.\n"
    "Engines: compiled (default; an integer plan, bit-identical to the reference) and reference (the\n"
    "specification: exact integers, slow). Models with types wider than 62 bits use the reference.\n\n";

struct EventResult {
  std::string output_line;
  std::vector<std::string> trace_lines;  // one per layer, when tracing
};

// Evaluates one event and formats its lines (runs on worker threads; no shared mutable state).
EventResult run_event(const emu::ReferenceEvaluator& evaluator, const std::vector<double>& values, emu::CodeFormat format,
                      bool trace) {
  const emu::Model& model = evaluator.model();
  const emu::EventArrays arrays = evaluator.evaluate(emu::input_codes(model, values));
  EventResult result;
  for (std::size_t index : model.output_indices()) {
    for (const auto& code : arrays[index].codes) {
      if (!result.output_line.empty()) result.output_line += ' ';
      emu::append_code(result.output_line, code, arrays[index].type, format);
    }
  }
  if (trace) {
    const std::size_t first_layer = model.inputs().size();
    for (std::size_t l = 0; l < model.layers().size(); ++l) {
      std::string line;
      for (const auto& code : arrays[first_layer + l].codes) {
        if (!line.empty()) line += ' ';
        line += code.str();
      }
      result.trace_lines.push_back(std::move(line));
    }
  }
  return result;
}

// Evaluates events [first, first+count) of the batch with the compiled plan (count <= kBatch).
void run_compiled(const emu::CompiledModel& compiled, emu::CompiledModel::Workspace& ws, const std::vector<std::vector<double>>& batch,
                  std::size_t first, std::size_t count, emu::CodeFormat format, bool trace, std::vector<EventResult>& results) {
  const emu::Model& model = compiled.model();
  std::vector<std::int64_t> inputs;
  inputs.reserve(count * compiled.input_width());
  for (std::size_t e = 0; e < count; ++e) {
    std::size_t k = 0;
    for (const auto& in : model.inputs()) {
      for (std::size_t i = 0; i < in.size; ++i) {
        const double v = batch[first + e][k++];
        // A C int port's value is an int already (EventTextReader::next): the code of ap_int<32>.
        inputs.push_back(in.reading == emu::InputReading::CInt ? static_cast<std::int64_t>(v) : emu::input_code(static_cast<float>(v), in.type));
      }
    }
  }
  std::vector<std::int64_t> outputs(count * compiled.output_width());
  compiled.evaluate(ws, inputs.data(), count, outputs.data());
  for (std::size_t e = 0; e < count; ++e) {
    EventResult& r = results[first + e];
    std::size_t m = 0;
    for (std::size_t index : model.output_indices()) {
      const emu::ArraySpec spec = model.array_spec(index);
      for (std::size_t i = 0; i < spec.size; ++i, ++m) {
        if (!r.output_line.empty()) r.output_line += ' ';
        const std::int64_t code = outputs[e * compiled.output_width() + m];
        if (format == emu::CodeFormat::Raw) {
          r.output_line += std::to_string(code);
        } else {
          emu::append_code(r.output_line, emu::BigInt(code), spec.type, format);
        }
      }
    }
    if (trace) {
      const std::size_t first_layer = model.inputs().size();
      for (std::size_t l = 0; l < model.layers().size(); ++l) {
        std::string line;
        for (std::size_t i = 0; i < model.layers()[l]->output_size(); ++i) {
          if (!line.empty()) line += ' ';
          line += std::to_string(ws.code(first_layer + l, i, e));
        }
        r.trace_lines.push_back(std::move(line));
      }
    }
  }
}

int run(const std::vector<std::string>& args) {
  std::string model_path, input_path, output_path, format_name = "raw", trace_dir, engine = "compiled";
  unsigned threads = std::max(1U, std::thread::hardware_concurrency());
  po::options_description options("options");
  options.add_options()("help,h", "print this help")("model", po::value(&model_path), "model.json or a directory holding one")(
      "input", po::value(&input_path), "events, one per line")("output", po::value(&output_path), "output file (default: standard output)")(
      "format", po::value(&format_name), "raw (integer codes, default) or decimal (exact values)")(
      "trace", po::value(&trace_dir), "directory for per-layer raw codes")("threads", po::value(&threads),
                                                                            "worker threads (default: all cores)")(
      "engine", po::value(&engine), "compiled (default) or reference");
  po::variables_map vm;
  if (!l1emu::app::parse_command_line(args, options, kUsage, vm)) return 0;
  if (model_path.empty()) throw UsageError("--model is required");
  if (input_path.empty()) throw UsageError("--input is required");
  if (threads == 0) throw UsageError("--threads must be at least 1");
  if (engine != "compiled" && engine != "reference") throw UsageError("unknown engine '" + engine + "' (expected compiled or reference)");
  emu::CodeFormat format{};
  try {
    format = emu::parse_code_format(format_name);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }

  const emu::Model model = emu::load_model(model_path);
  const emu::ReferenceEvaluator evaluator(model);
  std::string why;
  if (engine == "compiled" && !emu::CompiledModel::supports(model, &why)) {
    std::fprintf(stderr, "predict: using the reference engine: %s\n", why.c_str());
    engine = "reference";
  }
  std::unique_ptr<emu::CompiledModel> compiled;
  if (engine == "compiled") compiled = std::make_unique<emu::CompiledModel>(model);
  emu::EventTextReader reader(input_path, emu::input_width(model));

  std::unique_ptr<emu::AtomicFile> output_file;
  if (!output_path.empty()) output_file = std::make_unique<emu::AtomicFile>(output_path);
  std::ostream& out = output_file ? output_file->stream() : std::cout;
  std::vector<std::unique_ptr<emu::AtomicFile>> trace_files;
  const bool trace = !trace_dir.empty();
  if (trace) {
    fs::create_directories(trace_dir);
    for (const auto& layer : model.layers()) trace_files.push_back(std::make_unique<emu::AtomicFile>(fs::path(trace_dir) / (layer->name() + ".txt")));
  }

  // Events go in batches; each batch is split over the threads and written in input order, so the
  // output does not depend on the thread count.
  constexpr std::size_t kBatch = 4096;
  std::vector<std::vector<double>> batch;
  const std::vector<emu::InputReading> readings = emu::input_readings(model);
  std::vector<EventResult> results;
  std::size_t events = 0;
  const auto start = std::chrono::steady_clock::now();
  bool more = true;
  while (more) {
    batch.clear();
    std::vector<double> values;
    while (batch.size() < kBatch && (more = reader.next(values, readings))) batch.push_back(values);
    if (batch.empty()) break;
    results.assign(batch.size(), {});
    const std::size_t workers = std::min<std::size_t>(threads, batch.size());
    std::vector<std::exception_ptr> errors(workers);  // a layer's error (an embedding index outside its table) ends the run
    {
      std::vector<std::jthread> pool;
      for (std::size_t w = 0; w < workers; ++w) {
        pool.emplace_back([&, w] {
          try {
          if (compiled) {
            // Chunks of one compiled batch, dealt round-robin; each result lands in its own slot.
            auto ws = compiled->make_workspace();
            constexpr std::size_t chunk = emu::CompiledModel::kBatch;
            for (std::size_t first = w * chunk; first < batch.size(); first += workers * chunk) {
              run_compiled(*compiled, ws, batch, first, std::min(chunk, batch.size() - first), format, trace, results);
            }
          } else {
            for (std::size_t e = w; e < batch.size(); e += workers) results[e] = run_event(evaluator, batch[e], format, trace);
          }
          } catch (...) {
            errors[w] = std::current_exception();
          }
        });
      }
    }
    for (const auto& error : errors) {
      if (error) std::rethrow_exception(error);
    }
    for (const auto& r : results) {
      out << r.output_line << '\n';
      for (std::size_t l = 0; l < r.trace_lines.size(); ++l) trace_files[l]->stream() << r.trace_lines[l] << '\n';
    }
    events += batch.size();
  }
  out.flush();
  if (output_file) output_file->commit();
  for (auto& f : trace_files) f->commit();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr, "predict: %zu events in %.3f s (%.0f events/s), engine %s, %zu thread(s)\n", events, seconds,
               seconds > 0 ? static_cast<double>(events) / seconds : 0.0, engine.c_str(), static_cast<std::size_t>(threads));
  return 0;
}

const CommandRegistrar registrar{{"predict", "evaluate a model bit-exactly on events (hls4ml test-bench text)", &run}};

}  // namespace
}  // namespace l1emu::app
