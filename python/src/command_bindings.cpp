// l1emu.replay and l1emu.rates: the commands of the same names, from Python. replay calls what
// `l1emu replay` calls (board::load_scenario, board::run_replay), which returns the output folder
// and summary; rates runs the rates command itself (app/commands/rates_command.cpp, linked in) with
// the arguments the keywords spell, so options, checks and messages are the command line's.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "bindings.h"
#include "command.h"  // app/: the registered commands
#include "errors.h"
#include "l1emu/board/replay.h"
#include "l1emu/board/scenario.h"

namespace py = pybind11;

namespace l1emu::python {
namespace {

std::string fspath(const py::handle& path) { return py::str(py::module_::import("os").attr("fspath")(path)); }

py::object json_loads(const std::string& text) { return py::module_::import("json").attr("loads")(text); }

// A path or a list of paths.
std::vector<std::string> path_list(const py::object& arg) {
  if (py::isinstance<py::str>(arg) || py::hasattr(arg, "__fspath__")) return {fspath(arg)};
  std::vector<std::string> out;
  for (const auto& item : arg) out.push_back(fspath(item));
  return out;
}

// Scenario overrides as --set takes them: a dict {key.path: value} or a list of "key.path=value".
std::vector<std::string> override_list(const py::object& arg) {
  std::vector<std::string> out;
  if (arg.is_none()) return out;
  if (py::isinstance<py::dict>(arg)) {
    for (const auto& [key, value] : arg.cast<py::dict>()) {
      // YAML spells booleans in lower case; str(True) is "True", which YAML also reads, but be plain.
      const std::string text = py::isinstance<py::bool_>(value) ? (value.cast<bool>() ? "true" : "false") : std::string(py::str(value));
      out.push_back(std::string(py::str(key)) + "=" + text);
    }
    return out;
  }
  for (const auto& item : arg) out.push_back(py::str(item));
  return out;
}

// Ctrl-C during a replay: Python's own handler cannot run while the replay holds the main thread
// without the GIL, so, as `l1emu replay` does, SIGINT only sets a flag that the replay reads after
// each batch; it then commits the outputs of the events done and returns, and KeyboardInterrupt
// is raised with where it stopped (resume=True continues). Python's handler is restored after.
std::atomic<bool> g_interrupted{false};

extern "C" void l1emu_python_on_sigint(int /*signal*/) { g_interrupted.store(true); }

class SigintGuard {
 public:
  explicit SigintGuard(bool install) : installed_(install) {
    g_interrupted.store(false);
    if (installed_) previous_ = std::signal(SIGINT, l1emu_python_on_sigint);
  }
  ~SigintGuard() {
    if (installed_) std::signal(SIGINT, previous_);
  }
  SigintGuard(const SigintGuard&) = delete;
  SigintGuard& operator=(const SigintGuard&) = delete;

 private:
  bool installed_;
  void (*previous_)(int) = SIG_DFL;
};

py::dict replay(const py::object& scenario_arg, const py::object& overrides_arg, const py::object& output, std::uint64_t events, int threads,
                const std::string& engine, bool resume, bool progress) {
  const std::string scenario_path = fspath(scenario_arg);
  if (!std::filesystem::exists(scenario_path)) throw FileNotFound(scenario_path + ": no such scenario file");
  if (engine != "compiled" && engine != "reference") throw app::UsageError("unknown engine '" + engine + "' (compiled or reference)");
  if (threads < 0) throw app::UsageError("threads must be 0 (the scenario's, else all cores) or more");
  std::vector<std::string> overrides = override_list(overrides_arg);
  if (!output.is_none()) overrides.push_back("output.dir=" + fspath(output));

  board::ReplayResult r;
  // Signal handlers belong to the main thread (Python delivers SIGINT there only).
  const bool main_thread = py::module_::import("threading").attr("current_thread")().is(py::module_::import("threading").attr("main_thread")());
  {
    const SigintGuard sigint(main_thread);
    py::gil_scoped_release release;
    const board::Scenario scenario = board::load_scenario(scenario_path, overrides);
    board::ReplayOptions opt;
    opt.max_events = events;
    opt.threads = threads;
    opt.engine = engine;
    opt.resume = resume;
    opt.stop = &g_interrupted;
    if (progress) opt.progress = [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); };
    r = board::run_replay(scenario, opt);
  }
  if (!r.complete && g_interrupted.load()) {
    const std::string message = "replay interrupted: the outputs of the " + std::to_string(r.events) + " events done are in " +
                                r.output_dir.string() + "; replay(..., resume=True) with the same scenario and output continues";
    PyErr_SetString(PyExc_KeyboardInterrupt, message.c_str());
    throw py::error_already_set();
  }
  py::dict out;
  out["complete"] = r.complete;
  out["events"] = r.events;
  out["seconds"] = r.seconds;
  out["output_dir"] = r.output_dir.string();
  const py::object summary = json_loads(r.summary_json);
  out["summary"] = summary;
  // The files written: the summary's own list of outputs, and summary.json itself.
  py::dict files;
  if (summary.contains("outputs")) {
    for (const auto& [key, value] : summary["outputs"].cast<py::dict>()) {
      if (!std::string(py::str(value)).empty()) files[key] = value;
    }
  }
  files["summary_json"] = (r.output_dir / "summary.json").string();
  out["files"] = files;
  return out;
}

py::dict rates(const py::object& background, const py::object& signals, const std::vector<std::string>& target_rates,
               const std::vector<long long>& thresholds, const std::string& base_rate, const py::object& output,
               const py::object& efficiency_of) {
  std::vector<std::string> args;
  for (const auto& log : path_list(background)) args.insert(args.end(), {"--background", log});
  if (!signals.is_none()) {
    for (const auto& [name, logs] : signals.cast<py::dict>()) {
      for (const auto& log : path_list(py::reinterpret_borrow<py::object>(logs))) args.insert(args.end(), {"--signal", std::string(py::str(name)) + "=" + log});
    }
  }
  for (const auto& t : target_rates) args.insert(args.end(), {"--target-rate", t});
  for (const long long t : thresholds) args.push_back("--threshold=" + std::to_string(t));
  args.insert(args.end(), {"--base-rate", base_rate});
  if (!efficiency_of.is_none()) {
    for (const auto& name : efficiency_of) args.insert(args.end(), {"--efficiency-of", std::string(py::str(name))});
  }
  // rates.json is the summary: without an output folder the command writes into a temporary one.
  py::object temporary = py::none();
  std::string dir;
  if (output.is_none()) {
    temporary = py::module_::import("tempfile").attr("TemporaryDirectory")(py::arg("prefix") = "l1emu-rates-");
    dir = py::str(temporary.attr("name"));
  } else {
    dir = fspath(output);
  }
  args.insert(args.end(), {"--output", dir});

  const app::Command* command = &app::get_command("rates");
  int status = 0;
  try {
    py::gil_scoped_release release;
    status = command->run(args);
  } catch (...) {
    if (!temporary.is_none()) temporary.attr("cleanup")();
    throw;
  }
  if (status != 0) throw std::runtime_error("rates: the command returned status " + std::to_string(status));

  py::dict out;
  std::string text;
  {
    std::FILE* f = std::fopen((std::filesystem::path(dir) / "rates.json").c_str(), "rb");
    if (f == nullptr) throw std::runtime_error(dir + "/rates.json: not written");
    char buffer[65536];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) text.append(buffer, n);
    std::fclose(f);
  }
  out["summary"] = json_loads(text);
  py::list files;
  if (temporary.is_none()) {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (entry.is_regular_file()) names.push_back(entry.path().string());
    }
    std::sort(names.begin(), names.end());
    for (const auto& n : names) files.append(n);
    out["output_dir"] = dir;
  } else {
    temporary.attr("cleanup")();
    out["output_dir"] = py::none();
  }
  out["files"] = files;
  return out;
}

}  // namespace

void bind_commands(py::module_& m) {
  m.def("replay", &replay, py::arg("scenario"), py::arg("overrides") = py::none(), py::arg("output") = py::none(), py::arg("events") = 0,
        py::arg("threads") = 0, py::arg("engine") = "compiled", py::arg("resume") = false, py::arg("progress") = false,
        "l1emu replay SCENARIO: overrides as --set ({'board.clock_mhz': 240} or ['board.clock_mhz=240']), output as --output,\n"
        "events as --events (0: the scenario's), threads (0: the scenario's, else all cores), engine, resume; progress=True\n"
        "prints the progress lines to standard error. Ctrl-C stops after the current batch, commits the outputs of the events\n"
        "done and raises KeyboardInterrupt saying where; resume=True continues. Returns {complete, events, seconds, output_dir, summary (summary.json\n"
        "parsed), files {decisions_h5, decisions_csv, scenario, summary_json}}.");
  m.def("rates", &rates, py::arg("background"), py::arg("signals") = py::none(), py::arg("target_rates") = std::vector<std::string>{},
        py::arg("thresholds") = std::vector<long long>{}, py::arg("base_rate") = "zero-bias", py::arg("output") = py::none(),
        py::arg("efficiency_of") = py::none(),
        "l1emu rates: background a log (or list of logs, merged), signals {name: log or list of logs}, target_rates such as\n"
        "['1kHz', '10kHz'], thresholds (score codes), base_rate 'zero-bias' or a rate ('40MHz'), output a folder (default: a\n"
        "temporary one, removed), efficiency_of signal names. Returns {summary (rates.json parsed), output_dir, files}. The\n"
        "table goes to standard output, as the command prints it.");
}

}  // namespace l1emu::python
