// `matchguard train LEFT.csv [RIGHT.csv] --save-model M.json`: fits a linkage model without scoring.
#include <cstdio>
#include <memory>

#include "command.h"
#include "matchguard/link.h"

namespace {

struct Options {
  matchguard::LinkOptions link;
  std::string json_summary;
};

matchguard::cli::Runner SetUp(CLI::App& app) {
  auto opts = std::make_shared<Options>();
  app.add_option("left", opts->link.left_path, "Left CSV file")->required();
  app.add_option("right", opts->link.right_path, "Right CSV file (omit to train for dedupe)");
  app.add_option("--save-model", opts->link.save_model_path, "Model JSON file to write")->required();
  app.add_option("--config", opts->link.config_path, "Linkage config (TOML, see docs/config.md)");
  app.add_option("--json-summary", opts->json_summary, "Also write the run summary as JSON to this file");
  return [opts] {
    auto summary = matchguard::TrainLinkModel(opts->link);
    if (!summary.has_value()) return matchguard::cli::ReportError(summary.error());
    std::fputs(matchguard::LinkSummaryText(*summary).c_str(), stderr);
    return matchguard::cli::ExitCodeFor(matchguard::WriteLinkSummaryJson(*summary, opts->json_summary));
  };
}

const bool kRegistered =
    matchguard::cli::RegisterCommand({"train", "Train a linkage model (EM, no labels) and save it", SetUp});

}  // namespace
