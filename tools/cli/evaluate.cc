// `matchguard evaluate PAIRS.csv TRUTH.csv | --febrl LEFT.csv [RIGHT.csv] [--json]`: scores a linkage or
// deduplication result against ground truth and prints JSON.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "command.h"
#include "matchguard/evaluate.h"

namespace {

struct Options {
  std::string pairs;
  std::string truth;
  std::vector<std::string> febrl;
  bool json = false;
};

int Run(const Options& opts) {
  matchguard::EvaluateOptions options;
  options.pairs_path = opts.pairs;
  options.truth_path = opts.truth;
  if (!opts.febrl.empty()) options.febrl_left = opts.febrl[0];
  if (opts.febrl.size() > 1) options.febrl_right = opts.febrl[1];
  auto result = matchguard::EvaluateFiles(*matchguard::DefaultFileSystem(), options);
  if (!result.has_value()) return matchguard::cli::ExitCodeFor(result.status());
  std::printf("%s\n", matchguard::EvaluationToJson(*result, /*pretty=*/!opts.json).c_str());
  return matchguard::cli::kExitOk;
}

matchguard::cli::Runner SetUp(CLI::App& app) {
  auto opts = std::make_shared<Options>();
  app.footer(
      "PAIRS and TRUTH both hold pairs (left_id,right_id; more PAIRS columns are ignored) or both hold clusters\n"
      "(record_id,cluster_id; scored pairwise). With --febrl the truth comes from FEBRL rec_ids: pairs across\n"
      "LEFT and RIGHT, or within LEFT when RIGHT is not given. Prints precision, recall, f1, tp, fp, fn as JSON.");
  app.add_option("pairs", opts->pairs, "PAIRS.csv: the result to score")->required();
  app.add_option("truth", opts->truth, "TRUTH.csv: the ground truth, in the same shape as PAIRS");
  app.add_option("--febrl", opts->febrl, "LEFT.csv [RIGHT.csv]: derive the truth from FEBRL rec_ids")
      ->expected(1, 2);
  app.add_flag("--json", opts->json, "Print the JSON on one line (for scripts)");
  return [opts] { return Run(*opts); };
}

const bool kRegistered =
    matchguard::cli::RegisterCommand({"evaluate", "Score pairs or clusters against ground truth", SetUp});

}  // namespace
