// `matchguard generate --people N --out DIR [--seed S] [--overlap F] [--claims] [--dedupe] [--profile P]`:
// writes synthetic person files with ground truth and prints what was generated.
#include "matchguard/generate.h"

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "command.h"

namespace {

struct Options {
  matchguard::GenerateOptions generate;
  bool quiet = false;
};

int Run(const Options& opts) {
  auto start = std::chrono::steady_clock::now();
  auto result = matchguard::Generate(*matchguard::DefaultFileSystem(), opts.generate);
  if (!result.has_value()) return matchguard::cli::ExitCodeFor(result.status());
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (opts.quiet) return matchguard::cli::kExitOk;
  std::string what = result->mode;
  if (result->profile != "agency") what += ", " + result->profile + " profile";
  std::printf("generated %lld people (%s) into %s in %.2f s (%.0f people/s)\n",
              static_cast<long long>(opts.generate.people), what.c_str(), opts.generate.out_dir.c_str(), seconds,
              static_cast<double>(opts.generate.people) / seconds);
  for (const auto& [name, rows] : result->files)
    std::printf("  %-12s %llu rows\n", name.c_str(), static_cast<unsigned long long>(rows));
  std::printf("errors:\n");
  for (const auto& [name, count] : result->errors) {
    std::printf("  %-36s %llu\n", name.c_str(), static_cast<unsigned long long>(count));
  }
  std::printf("hard negatives:\n");
  for (const auto& [name, count] : result->hard_negatives) {
    std::printf("  %-48s %llu\n", name.c_str(), static_cast<unsigned long long>(count));
  }
  std::printf("(also in %s/summary.json)\n", opts.generate.out_dir.c_str());
  return matchguard::cli::kExitOk;
}

matchguard::cli::Runner SetUp(CLI::App& app) {
  auto opts = std::make_shared<Options>();
  app.footer(
      "Writes left.csv, right.csv and truth.csv (left_id,right_id); with --claims left.csv has 1-6 claim rows\n"
      "per person; with --dedupe records.csv and truth.csv (record_id,cluster_id). Also summary.json with the\n"
      "count of every error and hard-negative kind. Same seed, same bytes. --profile registry gives people,\n"
      "errors and file layouts designed independently of the default agency profile (link and --dedupe only).\n"
      "See docs/synthetic-data.md.");
  app.add_option("--people", opts->generate.people, "People in the left (or dedupe) file")
      ->required()
      ->check(CLI::Range(int64_t{1}, int64_t{100'000'000}));
  app.add_option("--out", opts->generate.out_dir, "Folder to write into (created if missing)")->required();
  app.add_option("--seed", opts->generate.seed, "Random seed")->capture_default_str();
  app.add_option("--overlap", opts->generate.overlap, "Share of left people also in right.csv")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  auto* claims = app.add_flag("--claims", opts->generate.claims, "Several claim rows per person in left.csv");
  app.add_flag("--dedupe", opts->generate.dedupe, "One file with duplicates instead of two files")->excludes(claims);
  app.add_option("--profile", opts->generate.profile,
                 "Population, error model and file layouts: agency (default) or registry")
      ->capture_default_str();
  app.add_flag("-q,--quiet", opts->quiet, "Print nothing on success");
  return [opts] { return Run(*opts); };
}

const bool kRegistered =
    matchguard::cli::RegisterCommand({"generate", "Write synthetic person files with ground truth", SetUp});

}  // namespace
