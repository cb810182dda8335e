// `matchguard link LEFT.csv RIGHT.csv -o PAIRS.csv`: probabilistic linkage of two person files.
#include <cstdio>
#include <memory>

#include "command.h"
#include "scoring_flags.h"
#include "matchguard/governed_link.h"
#include "matchguard/link.h"

namespace {

struct Options {
  matchguard::LinkOptions link;
  double threshold = -1;
  bool one_to_one = false;
  std::string json_summary;
  std::string agreement;
  std::string purpose;
  std::string case_store;
};

// A run under a matching agreement: authorised fields only, released columns only, audited.
int RunGoverned(Options& opts) {
  matchguard::GovernedLinkOptions governed{opts.link, opts.agreement, opts.purpose, opts.case_store};
  auto summary = matchguard::GovernedLinkFiles(governed);
  if (!summary.has_value()) return matchguard::cli::ReportError(summary.error());
  std::fputs(matchguard::GovernedLinkSummaryText(*summary).c_str(), stderr);
  return matchguard::cli::ExitCodeFor(matchguard::WriteLinkSummaryJson(summary->link, opts.json_summary));
}

matchguard::cli::Runner SetUp(CLI::App& app) {
  auto opts = std::make_shared<Options>();
  app.add_option("left", opts->link.left_path, "Left CSV file")->required();
  app.add_option("right", opts->link.right_path, "Right CSV file")->required();
  app.add_option("-o,--output", opts->link.output_path,
                 "Pairs to write: left_id,right_id,match_probability,match_weight")->required();
  matchguard::cli::AddScoringFlags(app, opts->link);
  app.add_option("--threshold", opts->threshold, "Smallest match probability written (default 0.5)")
      ->check(CLI::Range(0.0, 1.0));
  app.add_flag("--one-to-one", opts->one_to_one, "Keep at most one partner per record (maximum total weight)");
  app.add_flag("--explain", opts->link.explain, "Add each field's comparison level and partial weight");
  app.add_option("--json-summary", opts->json_summary, "Also write the run summary as JSON to this file");
  app.add_option("--agreement", opts->agreement,
                 "Run under this matching agreement (TOML): enforced dates, fields, volumes; audited output");
  app.add_option("--purpose", opts->purpose, "The agreement's purpose for this run (if it has several)");
  app.add_option("--case-store", opts->case_store, "Case store to open hits in (default: the agreement's)");
  return [opts] {
    if (opts->threshold >= 0) opts->link.threshold = opts->threshold;
    if (opts->one_to_one) opts->link.one_to_one = true;
    if (!opts->agreement.empty()) return RunGoverned(*opts);
    auto summary = matchguard::LinkFiles(opts->link);
    if (!summary.has_value()) return matchguard::cli::ReportError(summary.error());
    std::fputs(matchguard::LinkSummaryText(*summary).c_str(), stderr);
    return matchguard::cli::ExitCodeFor(matchguard::WriteLinkSummaryJson(*summary, opts->json_summary));
  };
}

const bool kRegistered = matchguard::cli::RegisterCommand(
    {"link", "Link two person files (Fellegi-Sunter, no configuration needed)", SetUp});

}  // namespace
