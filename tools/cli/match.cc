// `matchguard match`: links two or more files of Bloom-filter encodings (privacy-preserving linkage).
//
//   matchguard match LEFT RIGHT [MORE...] -o OUT --threshold T [--top-k K] [--solve greedy|none]
//                    [--blocking none|lsh] [--result similarity_scores|groups|permutations]
#include "matchguard/match.h"

#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "command.h"

namespace {

struct Flags {
  matchguard::MatchOptions options;
  bool quiet = false;
};

matchguard::cli::Runner SetUp(CLI::App& app) {
  auto flags = std::make_shared<Flags>();
  auto& o = flags->options;
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
  app.add_option("--blocking", o.blocking, "none, or lsh (Hamming LSH on sampled bits)")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, matchguard::MatchBlocking>{{"none", matchguard::MatchBlocking::kNone},
                                                           {"lsh", matchguard::MatchBlocking::kLsh}},
          CLI::ignore_case))
      ->default_str("none");
  app.add_option("--result", o.result, "similarity_scores, groups or permutations (anonlink entity service)")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, matchguard::MatchResultShape>{
              {"similarity_scores", matchguard::MatchResultShape::kSimilarityScores},
              {"groups", matchguard::MatchResultShape::kGroups},
              {"permutations", matchguard::MatchResultShape::kPermutations}},
          CLI::ignore_case))
      ->default_str("similarity_scores");
  app.add_option("--threads", o.threads, "Worker threads (0: all cores)")->capture_default_str();
  app.add_option("--lsh-bands", o.lsh_bands, "LSH: number of bands (0: chosen from the threshold)");
  app.add_option("--lsh-bits", o.lsh_bits, "LSH: sampled bits per band (0: chosen from the threshold)");
  app.add_option("--truth", o.blocking_truth,
                 "With --blocking lsh: CSV of true links (left id, right id) to report pairs completeness");
  app.add_option("--seed", o.permutation_seed, "Seed of --result permutations (0: random)");
  app.add_flag("-q,--quiet", flags->quiet, "Print nothing on success");
  return [flags] {
    auto summary = matchguard::RunMatch(*matchguard::DefaultFileSystem(), flags->options);
    if (!summary) return matchguard::cli::ExitCodeFor(summary.error());
    if (!flags->quiet) {
      std::string sizes;
      for (size_t n : summary->records) sizes += (sizes.empty() ? "" : " x ") + std::to_string(n);
      std::printf(
          "matched %s %u-bit encodings: %llu comparisons, %llu candidates, %llu groups, %llu pairs "
          "written (%s, %d threads, %.3f s)\n",
          sizes.c_str(), summary->bits, static_cast<unsigned long long>(summary->comparisons),
          static_cast<unsigned long long>(summary->candidates), static_cast<unsigned long long>(summary->groups),
          static_cast<unsigned long long>(summary->links), summary->isa.c_str(), summary->threads, summary->seconds);
      if (flags->options.blocking == matchguard::MatchBlocking::kLsh) {
        std::printf("lsh blocking: %u bands of %u bits, %llu blocked pairs, reduction ratio %.6f", summary->lsh_bands,
                    summary->lsh_bits, static_cast<unsigned long long>(summary->blocked_pairs),
                    summary->reduction_ratio);
        if (summary->pairs_completeness >= 0) std::printf(", pairs completeness %.4f", summary->pairs_completeness);
        std::printf("\n");
      }
    }
    return matchguard::cli::kExitOk;
  };
}

const bool kRegistered =
    matchguard::cli::RegisterCommand({"match", "Link files of Bloom-filter encodings (PPRL)", SetUp});

}  // namespace
