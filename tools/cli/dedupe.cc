// `matchguard dedupe INPUT.csv -o CLUSTERS.csv`: finds the records of one file that are the same person.
#include <cstdio>
#include <memory>

#include "command.h"
#include "matchguard/link.h"
#include "scoring_flags.h"

namespace {

struct Options {
  matchguard::LinkOptions link;
  double threshold = -1;
  std::string json_summary;
};

matchguard::cli::Runner SetUp(CLI::App& app) {
  auto opts = std::make_shared<Options>();
  app.add_option("input", opts->link.left_path, "CSV file to deduplicate")->required();
  app.add_option("-o,--output", opts->link.output_path, "Clusters to write: record_id,cluster_id for every record")
      ->required();
  matchguard::cli::AddScoringFlags(app, opts->link);
  app.add_option("--threshold", opts->threshold, "Smallest match probability that joins two records (default 0.5)")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--pairs", opts->link.pairs_path,
                 "Also write the pairs that joined records: left_id,right_id,match_probability,match_weight");
  app.add_flag("--explain", opts->link.explain, "With --pairs: add each field's comparison level and partial weight");
  app.add_option("--json-summary", opts->json_summary, "Also write the run summary as JSON to this file");
  return [opts] {
    if (opts->threshold >= 0) opts->link.threshold = opts->threshold;
    auto summary = matchguard::DedupeFile(opts->link);
    if (!summary.has_value()) return matchguard::cli::ReportError(summary.error());
    std::fputs(matchguard::LinkSummaryText(*summary).c_str(), stderr);
    return matchguard::cli::ExitCodeFor(matchguard::WriteLinkSummaryJson(*summary, opts->json_summary));
  };
}

const bool kRegistered =
    matchguard::cli::RegisterCommand({"dedupe", "Cluster the records of one file that are the same person", SetUp});

}  // namespace
