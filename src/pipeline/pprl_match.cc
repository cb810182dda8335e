// RunMatch (include/matchguard/match.h): reads encodings, generates candidates with the Dice kernel for
// every pair of parties, solves them with anonlink's greedy rule and writes the chosen result shape.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <numeric>
#include <random>
#include <string>
#include <unordered_map>

#include "matchguard/match.h"
#include "src/block/lsh.h"
#include "src/block/psig.h"
#include "src/decide/pprl.h"
#include "src/encode/clk_file.h"
#include "src/eval/metrics.h"
#include "src/io/csv.h"
#include "src/pipeline/pprl_field_model.h"
#include "src/similarity/candidates.h"

namespace matchguard {

namespace {

using pprl::Group;
using pprl::RecordRef;
using pprl::ScoredPairs;

// Options that mean something only with another are refused, naming the one they need: a run that
// silently ignored --fields or --truth would look like it had used them.
Status CheckDependentOptions(const MatchOptions& o) {
  if (o.scoring != MatchScoring::kFieldModel) {
    const std::pair<bool, const char*> model_only[] = {{!o.fields.empty(), "--fields"},
                                                       {o.min_probability.has_value(), "--min-probability"},
                                                       {!o.field_bins.empty(), "--dice-bins"},
                                                       {!o.model_output.empty(), "--model-out"}};
    for (const auto& [given, name] : model_only) {
      if (given)
        return Status::InvalidArgument(fmt::format("{} needs --scoring model (Dice scoring does not use it)", name));
    }
  }
  if (o.blocking != MatchBlocking::kLsh && (o.lsh_bands != 0 || o.lsh_bits != 0)) {
    return Status::InvalidArgument("--lsh-bands and --lsh-bits need --blocking lsh");
  }
  if (o.blocking == MatchBlocking::kNone && o.max_blocked_pairs != kDefaultMaxBlockedPairs) {
    return Status::InvalidArgument(
        "--max-blocked-pairs needs --blocking lsh or psig (without blocking, --max-candidates caps the pairs)");
  }
  if (o.blocking == MatchBlocking::kNone && !o.blocking_truth.empty()) {
    return Status::InvalidArgument(
        "--truth needs --blocking lsh or psig (it measures the pairs completeness of blocking)");
  }
  return Status::Ok();
}

Status ValidateOptions(const MatchOptions& o) {
  if (o.inputs.size() < 2) return Status::InvalidArgument("match needs at least two encodings files");
  if (o.output.empty()) return Status::InvalidArgument("no output file given (-o)");
  if (!(o.threshold > 0.0 && o.threshold <= 1.0)) {
    return Status::InvalidArgument(fmt::format("--threshold {} is outside (0, 1]", o.threshold));
  }
  if (o.solve == MatchSolve::kNone && o.result != MatchResultShape::kSimilarityScores) {
    return Status::InvalidArgument("--result groups and --result permutations need --solve greedy");
  }
  if (o.result == MatchResultShape::kPermutations && o.inputs.size() != 2) {
    return Status::InvalidArgument("--result permutations is defined for exactly two parties");
  }
  if (o.blocking == MatchBlocking::kPsig && o.block_files.size() != o.inputs.size()) {
    return Status::InvalidArgument(
        fmt::format("--blocking psig needs one blocks file per input (--blocks): {} given for {} inputs",
                    o.block_files.size(), o.inputs.size()));
  }
  if (o.blocking != MatchBlocking::kPsig && !o.block_files.empty()) {
    return Status::InvalidArgument("--blocks is only used with --blocking psig");
  }
  if (o.scoring == MatchScoring::kFieldModel) {
    if (o.fields.empty()) return Status::InvalidArgument("--scoring model needs the field-level features (--fields)");
    const double p = o.min_probability.value_or(kDefaultMinProbability);
    if (!(p > 0.0 && p < 1.0)) return Status::InvalidArgument(fmt::format("--min-probability {} is outside (0, 1)", p));
  }
  return CheckDependentOptions(o);
}

Result<std::vector<ClkSet>> ReadAll(FileSystem& fs, const std::vector<std::string>& paths) {
  std::vector<ClkSet> sets;
  for (const std::string& path : paths) {
    MG_ASSIGN_OR_RETURN(ClkSet set, ReadClkFile(fs, path));
    if (!sets.empty() && set.bits != sets.front().bits) {
      return Error(Status::InvalidArgument(
          fmt::format("{}: encodings have {} bits but {} has {}-bit encodings; every input must have the same "
                      "length",
                      path, set.bits, paths.front(), sets.front().bits)));
    }
    sets.push_back(std::move(set));
  }
  return sets;
}

similarity::BitMatrixView ViewOf(const ClkSet& set) { return {set.data.data(), set.count, set.stride_bytes, set.bits}; }

std::string IdOf(const std::vector<ClkSet>& sets, RecordRef r) {
  const ClkSet& set = sets[r.party];
  return set.ids.empty() ? std::to_string(r.row) : set.ids[r.row];
}

// Shortest text that reads back as the same double (so similarities round-trip exactly).
std::string Num(double v) { return fmt::format("{}", v); }

// Pairs whose two records ended in the same group, in anonlink order (which `pairs` already has).
ScoredPairs PairsWithinGroups(const ScoredPairs& pairs, const std::vector<Group>& groups) {
  std::unordered_map<uint64_t, size_t> group_of;
  for (size_t g = 0; g < groups.size(); ++g) {
    for (RecordRef r : groups[g]) group_of[(uint64_t{r.party} << 32) | r.row] = g;
  }
  ScoredPairs out;
  for (size_t k = 0; k < pairs.size(); ++k) {
    auto a = group_of.find((uint64_t{pairs.first[k].party} << 32) | pairs.first[k].row);
    auto b = group_of.find((uint64_t{pairs.second[k].party} << 32) | pairs.second[k].row);
    if (a != group_of.end() && b != group_of.end() && a->second == b->second) {
      out.Add(pairs.similarity[k], pairs.first[k], pairs.second[k]);
    }
  }
  return out;
}

// `score` names the last column: similarity (Dice) or match_probability (the field-level model).
std::string ScoresCsv(const ScoredPairs& pairs, const std::vector<ClkSet>& sets, std::string_view score) {
  const bool two = sets.size() == 2;
  std::string out = fmt::format("{}{}\n", two ? "left_id,right_id," : "party_a,id_a,party_b,id_b,", score);
  for (size_t k = 0; k < pairs.size(); ++k) {
    if (!two) out += std::to_string(pairs.first[k].party) + ",";
    AppendCsvField(&out, IdOf(sets, pairs.first[k]));
    out += ',';
    if (!two) out += std::to_string(pairs.second[k].party) + ",";
    AppendCsvField(&out, IdOf(sets, pairs.second[k]));
    out += ',' + Num(pairs.similarity[k]) + '\n';
  }
  return out;
}

std::string Ref(RecordRef r) { return fmt::format("[{}, {}]", r.party, r.row); }

std::string ScoresJson(const ScoredPairs& pairs) {
  std::string out = "{\"similarity_scores\": [";
  for (size_t k = 0; k < pairs.size(); ++k) {
    out +=
        (k ? ", [" : "[") + Ref(pairs.first[k]) + ", " + Ref(pairs.second[k]) + ", " + Num(pairs.similarity[k]) + "]";
  }
  return out + "]}\n";
}

std::string GroupsJson(const std::vector<Group>& groups) {
  std::string out = "{\"groups\": [";
  for (size_t g = 0; g < groups.size(); ++g) {
    out += g ? ", [" : "[";
    for (size_t m = 0; m < groups[g].size(); ++m) out += (m ? ", " : "") + Ref(groups[g][m]);
    out += "]";
  }
  return out + "]}\n";
}

// Linked pairs share a position; unlinked records fill the rest; positions are shuffled so the order
// reveals nothing (as the entity service does).
std::string PermutationsJson(const std::vector<Group>& groups, size_t n0, size_t n1, uint64_t seed) {
  const size_t rows = std::max(n0, n1);
  std::vector<size_t> positions(rows);
  std::iota(positions.begin(), positions.end(), size_t{0});
  std::mt19937_64 rng(seed != 0 ? seed : (uint64_t{std::random_device{}()} << 32) ^ std::random_device{}());
  std::shuffle(positions.begin(), positions.end(), rng);
  std::vector<size_t> perm0(n0, SIZE_MAX), perm1(n1, SIZE_MAX);
  std::vector<int> mask(rows, 0);
  size_t next = 0;
  for (const Group& g : groups) {
    for (RecordRef r : g) (r.party == 0 ? perm0 : perm1)[r.row] = positions[next];
    mask[positions[next++]] = 1;
  }
  size_t next0 = next, next1 = next;
  for (auto& p : perm0) {
    if (p == SIZE_MAX) p = positions[next0++];
  }
  for (auto& p : perm1) {
    if (p == SIZE_MAX) p = positions[next1++];
  }
  auto list = [](const auto& v) {
    std::string s = "[";
    for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
    return s + "]";
  };
  return fmt::format(
      "{{\"permutations\": [{{\"permutation\": {}, \"rows\": {}}}, {{\"permutation\": {}, "
      "\"rows\": {}}}], \"mask\": {}}}\n",
      list(perm0), rows, list(perm1), rows, list(mask));
}

// Row numbers of the true links in a truth CSV (left id, right id per line, after a header).
Result<std::pair<std::vector<uint32_t>, std::vector<uint32_t>>> ReadTruth(FileSystem& fs, const std::string& path,
                                                                          const std::vector<ClkSet>& sets) {
  MG_ASSIGN_OR_RETURN(Table table, ReadCsvTable(fs, path));
  if (table.num_columns() < 2) {
    return Error(Status::InvalidArgument(path + ": expected two columns (left id, right id)"));
  }
  std::vector<std::unordered_map<std::string, uint32_t>> row_of(2);
  for (int p = 0; p < 2; ++p) {
    for (uint32_t r = 0; r < sets[p].count; ++r) row_of[p][IdOf(sets, RecordRef{static_cast<uint32_t>(p), r})] = r;
  }
  std::pair<std::vector<uint32_t>, std::vector<uint32_t>> out;
  for (size_t r = 0; r < table.num_rows(); ++r) {
    auto a = row_of[0].find(std::string(table.Get(0, r))), b = row_of[1].find(std::string(table.Get(1, r)));
    if (a == row_of[0].end() || b == row_of[1].end()) continue;  // a link to a record not in these files
    out.first.push_back(a->second);
    out.second.push_back(b->second);
  }
  if (out.first.empty() && table.num_rows() > 0) {
    return Error(Status::InvalidArgument(path + ": none of its links names a record of the encodings (binary and "
                                                "clkhash-json encodings carry no ids: give row numbers)"));
  }
  return out;
}

struct BlockedRows {
  std::vector<uint32_t> left;
  std::vector<uint32_t> right;
};

// The pairs of rows of parties p and q that blocking keeps (sorted by left row, then right row).
Result<BlockedRows> BlockRows(FileSystem& fs, const MatchOptions& options, const std::vector<ClkSet>& sets, uint32_t p,
                              uint32_t q, MatchSummary& summary) {
  const ClkSet &a = sets[p], &b = sets[q];
  if (options.blocking == MatchBlocking::kPsig) {
    MG_ASSIGN_OR_RETURN(
        PsigPairs blocked,
        PsigCandidatePairs(fs, options.block_files[p], options.block_files[q], PsigEncodings{a.count, &a.ids},
                           PsigEncodings{b.count, &b.ids}, PsigJoinLimits{.max_pairs = options.max_blocked_pairs}));
    summary.psig_blocks += blocked.shared_blocks;
    return BlockedRows{std::move(blocked.left), std::move(blocked.right)};
  }
  LshOptions lsh{options.lsh_bands, options.lsh_bits, options.lsh_seed, options.max_blocked_pairs};
  MG_ASSIGN_OR_RETURN(LshPairs blocked,
                      LshCandidatePairs({a.data.data(), a.count, a.stride_bytes, a.bits},
                                        {b.data.data(), b.count, b.stride_bytes, b.bits}, options.threshold, lsh));
  summary.lsh_bands = blocked.parameters.bands;
  summary.lsh_bits = blocked.parameters.bits_per_band;
  summary.lsh_threshold_recall = blocked.parameters.pair_at_threshold_recall;
  return BlockedRows{std::move(blocked.left), std::move(blocked.right)};
}

// Candidates of one pair of parties: all pairs through the kernel, or LSH-blocked pairs scored exactly.
Result<similarity::CandidatePairs> PartyPairCandidates(FileSystem& fs, const MatchOptions& options,
                                                       const std::vector<ClkSet>& sets, uint32_t p, uint32_t q,
                                                       MatchSummary& summary) {
  similarity::CandidateOptions copts{options.threshold, options.top_k, std::nullopt, options.threads,
                                     options.max_candidates};
  similarity::CandidateStats stats;
  similarity::CandidatePairs found;
  const std::string over_cap = fmt::format(
      "{} x {}: raise --threshold, keep the best with --top-k K, block with --blocking lsh or psig, or raise "
      "--max-candidates (now {})",
      options.inputs[p], options.inputs[q], options.max_candidates);
  if (options.blocking == MatchBlocking::kNone) {
    Result<similarity::CandidatePairs> all =
        similarity::FindCandidates(ViewOf(sets[p]), ViewOf(sets[q]), copts, &stats);
    if (!all) return Error(Status(all.error().code(), all.error().message() + "; " + over_cap));
    found = std::move(all).value();
  } else {
    const ClkSet &a = sets[p], &b = sets[q];
    MG_ASSIGN_OR_RETURN(BlockedRows blocked, BlockRows(fs, options, sets, p, q, summary));
    summary.blocked_pairs += blocked.left.size();
    summary.reduction_ratio = ReductionRatio(summary.blocked_pairs, a.count, b.count);
    if (!options.blocking_truth.empty() && sets.size() == 2) {
      MG_ASSIGN_OR_RETURN(auto truth, ReadTruth(fs, options.blocking_truth, sets));
      summary.pairs_completeness =
          PairsCompleteness(PairView{blocked.left, blocked.right}, PairView{truth.first, truth.second});
    }
    Result<similarity::CandidatePairs> scored =
        similarity::ScorePairs(ViewOf(a), ViewOf(b), blocked.left, blocked.right, copts, &stats);
    if (!scored) return Error(Status(scored.error().code(), scored.error().message() + "; " + over_cap));
    found = std::move(scored).value();
  }
  summary.isa = std::string(similarity::IsaName(stats.isa));
  summary.threads = stats.threads;
  summary.comparisons += stats.pairs_total;
  return found;
}

// Replaces Dice by the field-level model's match probability and drops pairs below --min-probability.
Result<similarity::CandidatePairs> ScoreByFieldModel(FileSystem& fs, const MatchOptions& options,
                                                     const std::vector<ClkSet>& sets, uint32_t p, uint32_t q,
                                                     const similarity::CandidatePairs& candidates,
                                                     MatchSummary& summary, std::string& model_json) {
  FieldModelOptions fopts{options.fields, options.min_probability.value_or(kDefaultMinProbability), options.threads,
                          options.field_bins};
  MG_ASSIGN_OR_RETURN(FieldModelResult scored, ScoreWithFieldModel(fs, options.inputs[p], options.inputs[q], sets[p],
                                                                   sets[q], candidates, fopts));
  summary.model_scored += candidates.size();
  summary.em_iterations = scored.em_iterations;
  summary.em_converged = scored.em_converged;
  summary.model_prior = scored.prior;
  model_json = std::move(scored.model_json);
  return std::move(scored.pairs);
}

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

Result<MatchSummary> RunMatch(FileSystem& fs, const MatchOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  MG_RETURN_IF_ERROR(ValidateOptions(options));
  MG_ASSIGN_OR_RETURN(std::vector<ClkSet> sets, ReadAll(fs, options.inputs));
  MatchSummary summary;
  summary.bits = sets.front().bits;
  for (const ClkSet& s : sets) summary.records.push_back(s.count);

  ScoredPairs pairs;
  std::string model_json;
  for (uint32_t p = 0; p < sets.size(); ++p) {
    for (uint32_t q = p + 1; q < sets.size(); ++q) {
      MG_ASSIGN_OR_RETURN(similarity::CandidatePairs found, PartyPairCandidates(fs, options, sets, p, q, summary));
      if (options.scoring == MatchScoring::kFieldModel) {
        MG_ASSIGN_OR_RETURN(found, ScoreByFieldModel(fs, options, sets, p, q, found, summary, model_json));
      }
      for (size_t k = 0; k < found.size(); ++k) {
        pairs.Add(found.similarity[k], RecordRef{p, found.left[k]}, RecordRef{q, found.right[k]});
      }
    }
  }
  pprl::SortAnonlinkOrder(pairs);
  if (options.top_k > 0) pairs = pprl::EnforceTopK(pairs, options.top_k);
  summary.candidates = pairs.size();

  std::vector<Group> groups;
  if (options.solve == MatchSolve::kGreedy) {
    groups = pprl::GreedySolve(pairs);
    summary.groups = groups.size();
  }
  std::string text;
  switch (options.result) {
    case MatchResultShape::kSimilarityScores: {
      const ScoredPairs written = options.solve == MatchSolve::kGreedy ? PairsWithinGroups(pairs, groups) : pairs;
      summary.links = written.size();
      const char* score = options.scoring == MatchScoring::kFieldModel ? "match_probability" : "similarity";
      text = EndsWith(options.output, ".json") ? ScoresJson(written) : ScoresCsv(written, sets, score);
      break;
    }
    case MatchResultShape::kGroups:
      text = GroupsJson(groups);
      break;
    case MatchResultShape::kPermutations:
      summary.links = groups.size();
      text = PermutationsJson(groups, sets[0].count, sets[1].count, options.permutation_seed);
      break;
  }
  // The pairs and the model are one result: a failure writing the second withdraws the first.
  MG_RETURN_IF_ERROR(fs.WriteFileAtomically(options.output, text));
  if (!options.model_output.empty() && !model_json.empty()) {
    if (Status written = fs.WriteFileAtomically(options.model_output, model_json); !written.ok()) {
      (void)fs.Remove(options.output);
      return Error(written);
    }
  }
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace matchguard
