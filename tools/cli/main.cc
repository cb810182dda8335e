// Entry point of the matchguard command: builds the CLI11 app from the registered subcommands.
#include <cstdio>
#include <exception>
#include <memory>

#include "command.h"
#include "matchguard/limits.h"
#include "matchguard/safe_text.h"

namespace matchguard::cli {

std::vector<CommandSpec>& MutableCommands() {
  static std::vector<CommandSpec> commands;
  return commands;
}

bool RegisterCommand(CommandSpec spec) {
  MutableCommands().push_back(std::move(spec));
  return true;
}

const std::vector<CommandSpec>& RegisteredCommands() { return MutableCommands(); }

Runner AddSubcommands(CLI::App& app, std::span<const CommandSpec> specs) {
  app.require_subcommand(1);
  auto runners = std::make_shared<std::vector<std::pair<CLI::App*, Runner>>>();
  for (const CommandSpec& spec : specs) {
    CLI::App* sub = app.add_subcommand(spec.name, spec.description);
    runners->emplace_back(sub, spec.set_up(*sub));
  }
  return [runners] {
    for (auto& [sub, run] : *runners) {
      if (sub->parsed()) return run();
    }
    return kExitUsage;
  };
}

int ReportError(const Status& status) {
  // Messages may quote a header or a path from outside: escaped, so they cannot forge lines or drive the terminal.
  std::fprintf(stderr, "matchguard: error: %s\n", EscapeControlCharacters(status.message()).c_str());
  return status.IsUserError() ? kExitUsage : kExitInternal;
}

}  // namespace matchguard::cli

int main(int argc, char** argv) {
  using namespace matchguard::cli;
  CLI::App app{"matchguard: accurate, private and governed linkage of person records"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "matchguard 0.1.0");
  // Input limits hold for every command; given before or after the subcommand's name (fallthrough).
  matchguard::InputLimits limits = matchguard::CurrentInputLimits();
  uint64_t max_file_mb = limits.max_file_bytes >> 20, max_field_kb = limits.max_field_bytes >> 10;
  app.fallthrough();
  app.add_option("--max-file-mb", max_file_mb, "Largest input file read, in MiB")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--max-field-kb", max_field_kb, "Largest CSV field read, in KiB")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--max-columns", limits.max_columns, "Most columns in a CSV file")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  std::vector<std::pair<CLI::App*, Runner>> runners;
  auto commands = RegisteredCommands();
  std::sort(commands.begin(), commands.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  for (const CommandSpec& spec : commands) {
    CLI::App* sub = app.add_subcommand(spec.name, spec.description);
    runners.emplace_back(sub, spec.set_up(*sub));
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  limits.max_file_bytes = max_file_mb << 20;
  limits.max_field_bytes = max_field_kb << 10;
  matchguard::SetInputLimits(limits);
  try {
    for (auto& [sub, run] : runners) {
      if (sub->parsed()) return run();
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "matchguard: internal error: %s\n", e.what());
    return kExitInternal;
  }
  return kExitUsage;
}
