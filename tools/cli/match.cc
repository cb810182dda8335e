// `matchguard match`: links two or more files of Bloom-filter encodings (privacy-preserving linkage).
//
//   matchguard match LEFT RIGHT [MORE...] -o OUT --threshold T [--top-k K] [--solve greedy|none]
//                    [--blocking none|lsh|psig [--blocks B1 B2 ...]]
//                    [--scoring dice|model --fields F1,F2+F3,... [--min-probability P] [--dice-bins B1,B2,...]
//                     [--model-out M.json]]
//                    [--result similarity_scores|groups|permutations]
#include "matchguard/match.h"

#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "command.h"

namespace {

struct Flags {
  matchguard::GovernedMatchOptions governed;  // governed.match holds the match options
  bool quiet = false;
};

void PrintSummary(const matchguard::MatchOptions& options, const matchguard::MatchSummary& summary) {
  std::string sizes;
  for (size_t n : summary.records) sizes += (sizes.empty() ? "" : " x ") + std::to_string(n);
  std::printf(
      "matched %s %u-bit encodings: %llu comparisons, %llu candidates, %llu groups, %llu pairs "
      "written (%s, %d threads, %.3f s)\n",
      sizes.c_str(), summary.bits, static_cast<unsigned long long>(summary.comparisons),
      static_cast<unsigned long long>(summary.candidates), static_cast<unsigned long long>(summary.groups),
      static_cast<unsigned long long>(summary.links), summary.isa.c_str(), summary.threads, summary.seconds);
  if (options.blocking == matchguard::MatchBlocking::kLsh) {
    std::printf("lsh blocking: %u bands of %u bits, %llu blocked pairs, reduction ratio %.6f", summary.lsh_bands,
                summary.lsh_bits, static_cast<unsigned long long>(summary.blocked_pairs), summary.reduction_ratio);
  }
  if (options.blocking == matchguard::MatchBlocking::kPsig) {
    std::printf("psig blocking: %llu shared blocks, %llu blocked pairs, reduction ratio %.6f",
                static_cast<unsigned long long>(summary.psig_blocks),
                static_cast<unsigned long long>(summary.blocked_pairs), summary.reduction_ratio);
  }
  if (options.blocking != matchguard::MatchBlocking::kNone) {
    if (summary.pairs_completeness >= 0) std::printf(", pairs completeness %.4f", summary.pairs_completeness);
    if (options.blocking == matchguard::MatchBlocking::kLsh) {
      std::printf(", estimated recall at the threshold %.4f", summary.lsh_threshold_recall);
    }
    std::printf("\n");
  }
  if (options.scoring == matchguard::MatchScoring::kFieldModel) {
    std::printf("field model: %llu candidates scored, prior %.6g, EM %s after %d iterations\n",
                static_cast<unsigned long long>(summary.model_scored), summary.model_prior,
                summary.em_converged ? "converged" : "did not converge", summary.em_iterations);
  }
}

// A run under a matching agreement: authorised fields only, released columns only, audited.
int RunGoverned(const Flags& flags) {
  auto summary = matchguard::GovernedMatch(*matchguard::DefaultFileSystem(), flags.governed);
  if (!summary) return matchguard::cli::ExitCodeFor(summary.error());
  if (flags.quiet) return matchguard::cli::kExitOk;
  PrintSummary(flags.governed.match, summary->match);
  std::string fields, columns;
  for (const auto& f : summary->match_fields) fields += (fields.empty() ? "" : ", ") + f;
  for (const auto& c : summary->released_columns) columns += (columns.empty() ? "" : ",") + c;
  std::printf(
      "governed by agreement %s for purpose '%s'\nmatched on: %s\nreleased columns: %s\n"
      "raw cases opened: %llu (every hit is unverified until independently verified)\n",
      summary->agreement_id.c_str(), summary->purpose.c_str(), fields.c_str(), columns.c_str(),
      static_cast<unsigned long long>(summary->cases_opened));
  return matchguard::cli::kExitOk;
}

matchguard::cli::Runner SetUp(CLI::App& app) {
  auto flags = std::make_shared<Flags>();
  auto& o = flags->governed.match;
  app.add_option("inputs", o.inputs,
                 "Encodings files (clkhash JSON, id,clk CSV or MGCLK001 binary), all of one bit length")
      ->required()
      ->expected(2, -1);
  app.add_option("-o,--output", o.output, "Output file (written atomically)")->required();
  app.add_option("--threshold", o.threshold, "Dice threshold in (0, 1]")->required();
  app.add_option("--top-k", o.top_k, "At most K candidates per record per pair of parties (0: all)")
      ->capture_default_str();
  app.add_option("--solve", o.solve, "greedy (anonlink's solver) or none (every candidate)")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, matchguard::MatchSolve>{{"greedy", matchguard::MatchSolve::kGreedy},
                                                        {"none", matchguard::MatchSolve::kNone}},
          CLI::ignore_case))
      ->default_str("greedy");
  app.add_option("--blocking", o.blocking,
                 "none, lsh (Hamming LSH on the encodings) or psig (P-Sig blocks from `matchguard block`)")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, matchguard::MatchBlocking>{{"none", matchguard::MatchBlocking::kNone},
                                                           {"lsh", matchguard::MatchBlocking::kLsh},
                                                           {"psig", matchguard::MatchBlocking::kPsig}},
          CLI::ignore_case))
      ->default_str("none");
  app.add_option("--blocks", o.block_files, "With --blocking psig: one blocks file per input, in input order");
  app.add_option("--scoring", o.scoring,
                 "dice (whole-record Dice) or model (Fellegi-Sunter over field-level filters, needs --fields)")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, matchguard::MatchScoring>{{"dice", matchguard::MatchScoring::kDice},
                                                          {"model", matchguard::MatchScoring::kFieldModel}},
          CLI::ignore_case))
      ->default_str("dice");
  app.add_option(
         "--fields", o.fields,
         "With --scoring model: feature identifiers whose filters are INPUT.<identifier> (encode --field-level); "
         "A+B+C compares several features as one (an address)")
      ->delimiter(',');
  app.add_option(
         "--dice-bins", o.field_bins,
         "With --scoring model: lower edges of the per-field Dice levels below identical (default 0.9,0.8,0.7,0.6)")
      ->delimiter(',');
  app.add_option("--min-probability", o.min_probability,
                 "With --scoring model: least match probability linked (default 0.5)");
  app.add_option("--model-out", o.model_output, "With --scoring model: write the fitted model (JSON) here");
  app.add_option("--result", o.result, "similarity_scores, groups or permutations (anonlink entity service)")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, matchguard::MatchResultShape>{
              {"similarity_scores", matchguard::MatchResultShape::kSimilarityScores},
              {"groups", matchguard::MatchResultShape::kGroups},
              {"permutations", matchguard::MatchResultShape::kPermutations}},
          CLI::ignore_case))
      ->default_str("similarity_scores");
  app.add_option("--max-candidates", o.max_candidates,
                 "Most candidate pairs kept per pair of files (about 32 bytes each); past it the run stops with exit 2")
      ->capture_default_str();
  app.add_option("--max-blocked-pairs", o.max_blocked_pairs,
                 "With --blocking lsh or psig: most pairs blocking may hand to scoring (8 bytes each); past it the run "
                 "stops with exit 2")
      ->capture_default_str();
  app.add_option("--threads", o.threads, "Worker threads (0: all cores)")->capture_default_str();
  app.add_option("--lsh-bands", o.lsh_bands,
                 "LSH: number of bands, at most 4096 chosen (0: chosen from the threshold and the data)");
  app.add_option("--lsh-bits", o.lsh_bits,
                 "LSH: sampled bits per band, 1..64 (0: chosen from the threshold and the data)");
  app.add_option("--truth", o.blocking_truth,
                 "With --blocking lsh or psig: CSV of true links (left id, right id) to report pairs completeness");
  app.add_option("--seed", o.permutation_seed, "Seed of --result permutations (0: random)");
  app.add_option("--agreement", flags->governed.agreement_path,
                 "Run under this matching agreement (TOML): enforced dates, fields, volumes; audited output");
  app.add_option("--purpose", flags->governed.purpose, "The agreement's purpose for this run (if it has several)");
  app.add_option("--case-store", flags->governed.case_store_path,
                 "Case store to open hits in (default: the agreement's)");
  app.add_option("--schema", flags->governed.schema_path,
                 "With --agreement: the clkhash linkage schema the encodings were made with (its fields are checked)");
  app.add_option("--psig-schema", flags->governed.psig_schema_path,
                 "With --agreement and --blocking psig: the P-Sig schema the blocks were made with");
  app.add_flag("-q,--quiet", flags->quiet, "Print nothing on success");
  return [flags] {
    if (!flags->governed.agreement_path.empty()) return RunGoverned(*flags);
    if (!flags->governed.schema_path.empty() || !flags->governed.psig_schema_path.empty()) {
      std::fprintf(stderr, "error: --schema and --psig-schema are only used with --agreement\n");
      return matchguard::cli::kExitUsage;
    }
    auto summary = matchguard::RunMatch(*matchguard::DefaultFileSystem(), flags->governed.match);
    if (!summary) return matchguard::cli::ExitCodeFor(summary.error());
    if (!flags->quiet) PrintSummary(flags->governed.match, *summary);
    return matchguard::cli::kExitOk;
  };
}

const bool kRegistered =
    matchguard::cli::RegisterCommand({"match", "Link files of Bloom-filter encodings (PPRL)", SetUp});

}  // namespace
