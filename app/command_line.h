#pragma once
// The shared option handling of the subcommands: parse with Boost.program_options, turn its errors
// into UsageError (exit 2 with a pointer to --help), and print the usage text for --help.
#include <boost/program_options.hpp>

#include <iostream>
#include <string>
#include <vector>

#include "command.h"

namespace l1emu::app {

/// Parses `args` against `options` (which must define "help"). Returns false when --help was
/// given, after printing `usage` and the options to standard output: the command then returns 0.
/// `positional`, when given, names the options that bare arguments fill.
inline bool parse_command_line(const std::vector<std::string>& args, const boost::program_options::options_description& options,
                               const char* usage, boost::program_options::variables_map& vm,
                               const boost::program_options::positional_options_description* positional = nullptr) {
  namespace po = boost::program_options;
  try {
    po::command_line_parser parser(args);
    parser.options(options);
    if (positional != nullptr) parser.positional(*positional);
    po::store(parser.run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(e.what());
  }
  if (vm.count("help")) {
    std::cout << usage << options;
    return false;
  }
  return true;
}

}  // namespace l1emu::app
