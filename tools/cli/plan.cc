// `matchguard plan LEFT.csv [RIGHT.csv]`: the blocking rules and their exact pair counts, before comparing.
#include <cstdio>
#include <memory>

#include "command.h"
#include "matchguard/link.h"

namespace {

matchguard::cli::Runner SetUp(CLI::App& app) {
  auto opts = std::make_shared<matchguard::LinkOptions>();
  app.add_option("left", opts->left_path, "Left CSV file (or the file to deduplicate)")->required();
  app.add_option("right", opts->right_path, "Right CSV file (omit for dedupe)");
  app.add_option("--config", opts->config_path, "Linkage config (TOML, see docs/config.md)");
  return [opts] {
    auto report = matchguard::PlanLinkage(*opts);
    if (!report.has_value()) return matchguard::cli::ReportError(report.error());
    std::fputs(matchguard::PlanReportText(*report).c_str(), stdout);
    return matchguard::cli::kExitOk;
  };
}

const bool kRegistered = matchguard::cli::RegisterCommand(
    {"plan", "Show the blocking rules and how many pairs each would compare", SetUp});

}  // namespace
