// How a subcommand plugs into the matchguard CLI.
//
// Each subcommand lives in its own file and registers itself at static-initialisation time:
//
//   namespace {
//   matchguard::cli::Runner SetUp(CLI::App& app) {
//     auto opts = std::make_shared<Options>();
//     app.add_option("input", opts->input, "CSV file to read")->required();
//     return [opts] { return Run(*opts); };
//   }
//   const bool kRegistered = matchguard::cli::RegisterCommand({"inspect", "Describe a file", SetUp});
//   }
//
// A Runner returns the process exit code: 0 success, 2 bad input or usage, 1 internal failure. Commands
// with their own subcommands (`audit keygen`) add them to `app` in SetUp and dispatch in the Runner.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "matchguard/status.h"

namespace matchguard::cli {

constexpr int kExitOk = 0;
constexpr int kExitInternal = 1;
constexpr int kExitUsage = 2;

using Runner = std::function<int()>;

struct CommandSpec {
  std::string name;
  std::string description;
  std::function<Runner(CLI::App&)> set_up;
};

bool RegisterCommand(CommandSpec spec);

// For a command with subcommands of its own (`audit keygen`, `bench dice`): adds each spec as a
// subcommand of `app`, requires one, and returns a Runner that runs the one given.
Runner AddSubcommands(CLI::App& app, std::span<const CommandSpec> specs);
const std::vector<CommandSpec>& RegisteredCommands();

// Prints "matchguard: error: <message>" to stderr and returns the exit code for `status`.
int ReportError(const Status& status);

// Returns the exit code for `status`, printing it first when it is an error.
inline int ExitCodeFor(const Status& status) { return status.ok() ? kExitOk : ReportError(status); }

}  // namespace matchguard::cli
