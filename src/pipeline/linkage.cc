// The linkage pipeline behind include/matchguard/link.h: read, normalise, block, compare, train, score,
// decide, write. Each stage hands a plain value to the next; the stages are timed for the summary.
#include <fmt/format.h>
#include <sys/resource.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <unordered_map>

#include "matchguard/link.h"
#include "src/block/blocking.h"
#include "src/compare/levels.h"
#include "src/decide/one_to_one.h"
#include "src/io/csv.h"
#include "src/model/fellegi_sunter.h"
#include "src/normalize/config.h"
#include "src/normalize/fields.h"
#include "src/normalize/person.h"
#include "src/pipeline/linkage_config.h"
#include "src/pipeline/scoring.h"
#include "src/pipeline/training.h"

namespace matchguard {
namespace {

using Clock = std::chrono::steady_clock;

uint64_t PeakRssBytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<uint64_t>(usage.ru_maxrss) * 1024;
}

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Wall and CPU time per stage: on a shared machine the wall time says little, the CPU time still does.
class StageTimer {
 public:
  explicit StageTimer(LinkSummary* summary)
      : summary_(summary),
        start_(Clock::now()),
        stage_start_(start_),
        cpu_start_(CpuSeconds()),
        stage_cpu_start_(cpu_start_) {}
  void Done(const char* stage) {
    Clock::time_point now = Clock::now();
    double cpu = CpuSeconds();
    summary_->stages.push_back(
        {stage, std::chrono::duration<double>(now - stage_start_).count(), cpu - stage_cpu_start_});
    stage_start_ = now;
    stage_cpu_start_ = cpu;
  }
  void Finish() {
    summary_->total_seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    summary_->total_cpu_seconds = CpuSeconds() - cpu_start_;
    summary_->peak_rss_bytes = PeakRssBytes();
  }

 private:
  LinkSummary* summary_;
  Clock::time_point start_;
  Clock::time_point stage_start_;
  double cpu_start_;
  double stage_cpu_start_;
};

// Everything a run needs from the config file (input and linkage parts), with defaults when there is none.
struct RunConfig {
  InputConfig input;
  LinkageConfig linkage;
};

Result<RunConfig> LoadRunConfig(FileSystem& fs, const LinkOptions& options) {
  RunConfig config;
  if (options.config_path.empty()) return config;
  MG_ASSIGN_OR_RETURN(config.input, LoadInputConfig(fs, options.config_path));
  MG_ASSIGN_OR_RETURN(config.linkage, LoadLinkageConfig(fs, options.config_path));
  return config;
}

std::string JoinList(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

// Names the columns found and suggests a config when a file holds nothing to match on.
Status NoUsableFields(const Table& table, const std::string& why) {
  return Status::InvalidArgument(
      table.source_name() + ": " + why + "; columns found: " + JoinList(table.column_names()) +
      ". Name the columns that hold person fields in a config's [fields] table (first_name = \"<column>\") "
      "and pass it with --config");
}

Result<std::vector<FieldKind>> MatchFields(const LinkOptions& options) {
  std::vector<FieldKind> fields;
  for (const std::string& name : options.match_fields) {
    std::optional<FieldKind> f = ParseFieldKind(name);
    if (!f.has_value() || *f == FieldKind::kId) {
      return Error(Status::InvalidArgument("unknown field to match on: " + name));
    }
    fields.push_back(*f);
  }
  return fields;
}

ModelSpec ToModelSpec(const std::vector<LevelSpec>& specs) {
  ModelSpec spec;
  for (const LevelSpec& s : specs) spec.comparisons.push_back({s.name, s.levels, s.tf_level});
  return spec;
}

// The comparisons for these tables: defaults, restricted to the requested fields, with config overrides.
Result<std::vector<LevelSpec>> BuildSpecs(const PersonTable& left, const PersonTable* right, const LinkOptions& options,
                                          const LinkageConfig& config) {
  ComparisonOptions comparison_options;
  MG_ASSIGN_OR_RETURN(comparison_options.fields, MatchFields(options));
  for (FieldKind f : comparison_options.fields) {
    if (!left.has(f) || (right != nullptr && !right->has(f))) {
      return Error(Status::InvalidArgument("field to match on " + std::string(FieldKindName(f)) + " is not in " +
                                           (left.has(f) ? right->source_name() : left.source_name())));
    }
  }
  std::vector<LevelSpec> specs = DefaultLevelSpecs(left, right, comparison_options);
  MG_RETURN_IF_ERROR(ApplyComparisonOverrides(config, &specs));
  if (specs.empty()) {
    std::vector<std::string> l, r;
    for (FieldKind f : DefaultComparedFields()) {
      if (left.has(f)) l.push_back(std::string(FieldKindName(f)));
      if (right != nullptr && right->has(f)) r.push_back(std::string(FieldKindName(f)));
    }
    return Error(Status::InvalidArgument(
        "no field to compare: " + left.source_name() + " has " + (l.empty() ? "none" : JoinList(l)) +
        (right != nullptr ? "; " + right->source_name() + " has " + (r.empty() ? "none" : JoinList(r)) : "") +
        ". Map the columns with a config's [fields] table and pass it with --config"));
  }
  return specs;
}

// The automatic rule choice, restricted to the fields matching may use (a governed run's, or all).
Result<ChosenRules> ChooseRules(const PersonTable& left, const PersonTable* right, const LinkOptions& options,
                                uint64_t max_pairs) {
  RuleChoice choice;
  choice.max_pairs = max_pairs;
  MG_ASSIGN_OR_RETURN(choice.fields, MatchFields(options));
  return ChooseBlockingRules(left, right, choice);
}

Result<std::vector<BlockingRule>> BuildRules(const PersonTable& left, const PersonTable* right,
                                             const LinkOptions& options, const LinkageConfig& config,
                                             std::vector<std::string>* notes) {
  std::vector<BlockingRule> rules;
  if (!config.blocking_rules.empty()) {
    for (size_t i = 0; i < config.blocking_rules.size(); ++i) {
      std::string where = config.source_name + ":" + std::to_string(config.blocking_rule_lines[i]);
      MG_ASSIGN_OR_RETURN(BlockingRule rule, ParseBlockingRule(config.blocking_rules[i]));
      for (const KeyPart& part : rule.parts) {
        if (!left.has(part.field) || (right != nullptr && !right->has(part.field))) {
          return Error(Status::InvalidArgument(where + ": blocking rule " + config.blocking_rules[i] + " uses field " +
                                               std::string(FieldKindName(part.field)) + " which the data lacks"));
        }
      }
      rules.push_back(std::move(rule));
    }
    return rules;
  }
  MG_ASSIGN_OR_RETURN(ChosenRules chosen, ChooseRules(left, right, options, config.max_pairs));
  for (std::string& note : chosen.notes) notes->push_back(std::move(note));
  bool nothing_to_pair = left.size() == 0 || (right != nullptr ? right->size() == 0 : left.size() < 2);
  if (chosen.rules.empty() && !nothing_to_pair) {
    return Error(Status::InvalidArgument(
        "no blocking rule fits within " + std::to_string(config.max_pairs) +
        " pairs for these fields; set [blocking] rules (and max_pairs) in a config and pass it with --config"));
  }
  return chosen.rules;
}

// The state shared by link, dedupe and train once the files are read.
struct Run {
  FileSystem* fs = nullptr;
  RunConfig config;
  LinkSummary summary;
  Table left_raw, right_raw;
  std::optional<PersonTable> left, right;
  std::vector<LevelSpec> specs;
  std::vector<BlockingRule> rules;
  std::unique_ptr<PairComparer> comparer;
  Compared compared;
  Model model;
};

Status ReadAndPrepare(const LinkOptions& options, bool dedupe, Run* run, StageTimer* timer) {
  run->fs = options.fs != nullptr ? options.fs : DefaultFileSystem();
  MG_ASSIGN_OR_RETURN(run->config, LoadRunConfig(*run->fs, options));
  const InputConfig& input = run->config.input;
  MG_ASSIGN_OR_RETURN(run->left_raw, ReadCsvTable(*run->fs, options.left_path, input.csv));
  if (!dedupe) {
    MG_ASSIGN_OR_RETURN(run->right_raw, ReadCsvTable(*run->fs, options.right_path, input.csv));
  }
  timer->Done("read");
  auto normalise = [&](const Table& table) -> Result<PersonTable> {
    MG_ASSIGN_OR_RETURN(FieldMapping mapping, DetectFields(table, input.fields));
    bool any = false;
    for (FieldKind f : DefaultComparedFields()) any |= mapping.has(f);
    if (!any) return Error(NoUsableFields(table, "no column is recognised as a person field"));
    return NormalizePeople(table, mapping, input.normalize);
  };
  MG_ASSIGN_OR_RETURN(run->left, normalise(run->left_raw));
  if (!dedupe) {
    MG_ASSIGN_OR_RETURN(run->right, normalise(run->right_raw));
  }
  timer->Done("normalise");
  run->summary.left_records = run->left->size();
  run->summary.right_records = dedupe ? 0 : run->right->size();
  const PersonTable* right = dedupe ? nullptr : &*run->right;
  MG_ASSIGN_OR_RETURN(run->specs, BuildSpecs(*run->left, right, options, run->config.linkage));
  for (const LevelSpec& s : run->specs) run->summary.fields.push_back(s.name);
  return Status::Ok();
}

Status BlockAndCompare(const LinkOptions& options, bool dedupe, bool need_random, Run* run, StageTimer* timer) {
  const PersonTable* right = dedupe ? nullptr : &*run->right;
  const LinkageConfig& config = run->config.linkage;
  MG_ASSIGN_OR_RETURN(std::vector<BlockingRule> rules,
                      BuildRules(*run->left, right, options, config, &run->summary.notes));
  for (const BlockingRule& r : rules) run->summary.blocking_rules.push_back(BlockingRuleToString(r));
  run->rules = rules;
  MG_ASSIGN_OR_RETURN(run->compared.candidates, GenerateCandidates(*run->left, right, rules, config.max_pairs));
  run->summary.candidate_pairs = run->compared.candidates.size();
  timer->Done("block");

  MG_ASSIGN_OR_RETURN(run->comparer, PairComparer::Create(*run->left, right, run->specs));
  const CandidatePairs& c = run->compared.candidates;
  run->compared.patterns.resize(c.size());
  run->comparer->ComparePairs(c.left.data(), c.right.data(), c.size(), run->compared.patterns.data());
  if (need_random) {
    CandidatePairs sample = SampleRandomPairs(
        run->left->size(), dedupe ? 0 : run->right->size(),
        options.random_pairs_for_tests > 0 ? options.random_pairs_for_tests : config.random_pairs, options.seed);
    std::vector<LevelPattern> random(sample.size());
    run->comparer->ComparePairs(sample.left.data(), sample.right.data(), sample.size(), random.data(),
                                /*memoise=*/false);
    run->compared.random_counts = CountPatterns(random);
    run->compared.random_pairs = sample.size();
    run->summary.random_pairs = sample.size();
  }
  timer->Done("compare");
  return Status::Ok();
}

// A 64-bit hash of every row's key under `rule` (0: no key), so agreement on a rule is an integer test.
std::vector<uint64_t> RuleKeyHashes(const PersonTable& table, const BlockingRule& rule) {
  FieldColumns columns = ColumnsOf(table);
  std::vector<uint64_t> hashes(table.size());
  tbb::parallel_for(tbb::blocked_range<size_t>(0, table.size(), 4096), [&](const tbb::blocked_range<size_t>& range) {
    for (size_t row = range.begin(); row < range.end(); ++row) {
      std::string key = BlockingKey(columns, rule, row);
      hashes[row] = key.empty() ? 0 : (std::hash<std::string>{}(key) | 1);
    }
  });
  return hashes;
}

// Fields whose values change together: a move changes street, city, ZIP, state and phone at once, a
// marriage the surname, and a first name implies the sex. A rule keyed on one field of a family selects
// matches that kept the whole family (pairs agreeing on ZIP are people who did not move), so its
// population would understate m(else) for the family's other fields, and its non-matches agree on them
// far more than random pairs do. A rule's population therefore trains none of its key's family.
enum class Family : uint8_t { kName, kAddress, kOwn };
std::pair<Family, FieldKind> FieldFamily(FieldKind f) {
  switch (f) {
    case FieldKind::kFirstName:
    case FieldKind::kMiddleName:
    case FieldKind::kLastName:
    case FieldKind::kFullName:
    case FieldKind::kSex:
      return {Family::kName, FieldKind::kId};
    case FieldKind::kStreet:
    case FieldKind::kStreetNumber:
    case FieldKind::kCity:
    case FieldKind::kState:
    case FieldKind::kZip:
    case FieldKind::kPhone:
      return {Family::kAddress, FieldKind::kId};
    default:
      return {Family::kOwn, f};
  }
}

// For each blocking rule, the patterns of the candidates (a uniform sample of at most kTrainingSample) that
// agree on its key, with the comparisons of the rule's field families marked for masking.
constexpr size_t kTrainingSample = 2'000'000;

std::vector<RulePairs> RuleTrainingPairs(const Run& run) {
  const CandidatePairs& c = run.compared.candidates;
  const size_t stride = std::max<size_t>(1, (c.size() + kTrainingSample - 1) / kTrainingSample);
  std::vector<RulePairs> out;
  for (const BlockingRule& rule : run.rules) {
    RulePairs pairs;
    pairs.rule = BlockingRuleToString(rule);
    pairs.sampling = 1.0 / static_cast<double>(stride);
    for (size_t i = 0; i < run.specs.size(); ++i) {
      bool related = std::any_of(rule.parts.begin(), rule.parts.end(), [&](const KeyPart& part) {
        return FieldFamily(part.field) == FieldFamily(run.specs[i].field);
      });
      if (related) pairs.masked.push_back(i);
    }
    std::vector<uint64_t> left = RuleKeyHashes(*run.left, rule);
    std::vector<uint64_t> right = run.right.has_value() ? RuleKeyHashes(*run.right, rule) : std::vector<uint64_t>();
    const std::vector<uint64_t>& right_keys = run.right.has_value() ? right : left;
    std::unordered_map<LevelPattern, uint64_t> counts;
    for (size_t i = 0; i < c.size(); i += stride) {
      uint64_t key = left[c.left[i]];
      if (key != 0 && key == right_keys[c.right[i]]) ++counts[run.compared.patterns[i]];
    }
    pairs.patterns.assign(counts.begin(), counts.end());
    std::sort(pairs.patterns.begin(), pairs.patterns.end());
    out.push_back(std::move(pairs));
  }
  return out;
}

// Rows per distinct person as far as the compared fields tell: 1 for a file with one row per person, about
// 2.5 for a claims file that repeats the person on every claim row.
double RowsPerPerson(const PersonTable& table, const std::vector<LevelSpec>& specs) {
  if (table.size() == 0) return 1.0;
  std::vector<uint64_t> hashes(table.size());
  tbb::parallel_for(tbb::blocked_range<size_t>(0, table.size(), 8192), [&](const tbb::blocked_range<size_t>& range) {
    for (size_t row = range.begin(); row < range.end(); ++row) {
      uint64_t h = 0;
      for (const LevelSpec& s : specs)
        h = h * 0x9E3779B97F4A7C15ULL + std::hash<std::string_view>{}(table.value(s.field, row));
      hashes[row] = h;
    }
  });
  std::sort(hashes.begin(), hashes.end());
  const size_t distinct = static_cast<size_t>(std::unique(hashes.begin(), hashes.end()) - hashes.begin());
  return static_cast<double>(table.size()) / static_cast<double>(distinct);
}

// Pairs of the files: left x right for a link, n (n - 1) / 2 for dedupe.
double AllPairs(const Run& run) {
  const double n_left = static_cast<double>(run.left->size());
  return run.right.has_value() ? n_left * static_cast<double>(run.right->size()) : n_left * (n_left - 1) / 2;
}

// Slack on the plausibility cap, so a legitimate estimate near the bound (every record matched) is not
// taken for a degenerate one.
constexpr double kMaxMatchesSlack = 1.1;
// Dedupe: duplicate pairs allowed per record at duplicate_factor 1 (clusters of up to five records each).
constexpr double kDedupePairsPerRecord = 2.0;

// The most matches the files can hold: a person has at most rows-per-person records in each file.
double MaxMatches(const Run& run) {
  const double factor = run.config.linkage.duplicate_factor;
  const double n_left = static_cast<double>(run.left->size());
  if (!run.right.has_value()) return factor * kDedupePairsPerRecord * n_left;
  const double n_right = static_cast<double>(run.right->size());
  return kMaxMatchesSlack * factor *
         std::min(n_left * RowsPerPerson(*run.right, run.specs), n_right * RowsPerPerson(*run.left, run.specs));
}

// Identity comparisons and evidence anchors (ChooseAnchors), the address family, and the anchor's pairs
// among all pairs of the files (from key frequencies, so blocking cannot miss any).
void SetIdentityAndAnchor(const Run& run, TrainingOptions* training) {
  std::vector<std::optional<FieldKind>> fields;
  for (const LevelSpec& spec : run.specs) fields.push_back(spec.field);
  const std::vector<FieldKind> anchor = ChooseAnchors(fields, training);
  // Only the address family is scored jointly: its fields are near copies of one another (a ZIP fixes
  // the state and mostly the city), while a first and a last name are close to independent evidence,
  // and a joint name weight would drop their term-frequency adjustments.
  FamilyJoint address{"address", {}, 0, 0};
  for (size_t i = 0; i < run.specs.size(); ++i) {
    if (FieldFamily(run.specs[i].field).first == Family::kAddress) address.comparisons.push_back(i);
  }
  if (address.comparisons.size() >= 2) training->families.push_back(std::move(address));
  if (anchor.empty()) return;
  BlockingRule rule;
  for (FieldKind f : anchor) rule.parts.push_back({f, KeyTransform::kExact, 0});
  BlockingPlan plan = PlanBlocking(*run.left, run.right.has_value() ? &*run.right : nullptr, {rule}, UINT64_MAX);
  training->anchor_pairs = static_cast<double>(plan.rules.front().pairs);
}

Status TrainOrLoad(const LinkOptions& options, Run* run, StageTimer* timer) {
  ModelSpec spec = ToModelSpec(run->specs);
  if (!options.model_path.empty()) {
    MG_ASSIGN_OR_RETURN(run->model, LoadModel(*run->fs, options.model_path));
    Status match = CheckModelMatchesSpec(run->model, spec);
    if (!match.ok()) {
      return Status::InvalidArgument(options.model_path +
                                     ": refusing a model trained on other fields: " + match.message());
    }
    run->summary.model_loaded = true;
  } else {
    const LinkageConfig& config = run->config.linkage;
    TrainingOptions training;
    training.max_iterations = config.max_iterations;
    training.tolerance = config.tolerance;
    MG_RETURN_IF_ERROR(CheckFixedProbabilities(config, run->specs, &training.fixed_m, &training.fixed_u));
    training.max_matches = MaxMatches(*run);
    SetIdentityAndAnchor(*run, &training);
    MG_ASSIGN_OR_RETURN(run->model,
                        TrainOnBlockedPairs(spec, CountPatterns(run->compared.patterns), run->compared.random_counts,
                                            RuleTrainingPairs(*run), AllPairs(*run), training));
    run->model.random_pairs_sampled = run->compared.random_pairs;
  }
  run->summary.em_converged = run->model.em.converged;
  run->summary.em_iterations = run->model.em.iterations;
  run->summary.em_note = run->model.em.note;
  run->summary.prior = run->model.params.prior;
  run->summary.training = run->model.training;
  if (!options.save_model_path.empty()) MG_RETURN_IF_ERROR(SaveModel(*run->fs, options.save_model_path, run->model));
  timer->Done("train");
  return Status::Ok();
}

// Expected recall divides by the matches the anchor implies (else EM's count, else the prior's over all
// pairs): the sum of probabilities over all candidates would also count the non-matches the model is too
// sure of, which one-to-one removes.
void SetEstimates(const Run& run, const ScoredLinks& links, LinkSummary* summary) {
  const TrainingReport& t = run.model.training;
  const double expected_matches = t.anchor_matches > 0 ? t.anchor_matches
                                  : t.em_matches > 0   ? t.em_matches
                                                       : run.model.params.prior * AllPairs(run);
  double match_share = 0;
  if (run.right.has_value()) {
    const double smaller = static_cast<double>(std::min(run.left->size(), run.right->size()));
    // Rivals stand for look-alikes only when a person has one record per file; with repeated records (a
    // claims file, a cap raised above min(left, right)) they are matches too.
    const bool one_record_per_person = t.max_matches <= kMaxMatchesSlack * smaller * 1.05;
    if (smaller > 0 && one_record_per_person) match_share = std::min(1.0, expected_matches / smaller);
  }
  LinkEstimates e = EstimateLinkErrors(links, expected_matches, match_share, summary->one_to_one);
  summary->expected_false_links = e.expected_false_links;
  summary->estimated_false_match_rate = e.false_match_rate;
  summary->expected_recall = e.expected_recall;
}

}  // namespace

Result<LinkSummary> LinkFiles(const LinkOptions& options) {
  Run run;
  StageTimer timer(&run.summary);
  MG_RETURN_IF_ERROR(ReadAndPrepare(options, /*dedupe=*/false, &run, &timer));
  const LinkageConfig& config = run.config.linkage;
  run.summary.threshold = options.threshold.value_or(config.threshold);
  run.summary.one_to_one = options.one_to_one.value_or(config.one_to_one);
  std::vector<size_t> left_out, right_out;
  for (const std::string& name : options.output_columns) {
    std::optional<size_t> l = run.left_raw.FindColumn(name), r = run.right_raw.FindColumn(name);
    if (!l.has_value() || !r.has_value()) {
      return Error(Status::InvalidArgument("output column " + name + " is not in " +
                                           (l.has_value() ? options.right_path : options.left_path)));
    }
    left_out.push_back(*l);
    right_out.push_back(*r);
  }
  MG_RETURN_IF_ERROR(BlockAndCompare(options, false, options.model_path.empty(), &run, &timer));
  MG_RETURN_IF_ERROR(TrainOrLoad(options, &run, &timer));

  ScoredLinks links = ScoreCandidates(run.model, *run.comparer, run.compared.candidates, run.compared.patterns,
                                      run.summary.threshold, run.summary.one_to_one, /*count_rivals=*/true);
  run.summary.links = links.rows.size();
  SetEstimates(run, links, &run.summary);
  timer.Done("score");

  PairsOutput output;
  output.left = &*run.left;
  output.right = &*run.right;
  output.left_raw = &run.left_raw;
  output.right_raw = &run.right_raw;
  output.left_columns = left_out;
  output.right_columns = right_out;
  output.column_names = options.output_columns;
  output.explain = options.explain;
  output.comparer = run.comparer.get();
  MG_RETURN_IF_ERROR(WritePairs(*run.fs, options.output_path, run.model, run.compared, links, output));
  timer.Done("write");
  timer.Finish();
  return run.summary;
}

Result<LinkSummary> DedupeFile(const LinkOptions& options) {
  Run run;
  StageTimer timer(&run.summary);
  MG_RETURN_IF_ERROR(ReadAndPrepare(options, /*dedupe=*/true, &run, &timer));
  const LinkageConfig& config = run.config.linkage;
  run.summary.threshold = options.threshold.value_or(config.threshold);
  MG_RETURN_IF_ERROR(BlockAndCompare(options, true, options.model_path.empty(), &run, &timer));
  MG_RETURN_IF_ERROR(TrainOrLoad(options, &run, &timer));
  ScoredLinks links = ScoreCandidates(run.model, *run.comparer, run.compared.candidates, run.compared.patterns,
                                      run.summary.threshold, /*one_to_one=*/false);
  run.summary.links = links.rows.size();
  SetEstimates(run, links, &run.summary);
  const Clustering clusters =
      ClusterLinks(run.model, *run.comparer, run.left->size(), run.compared.candidates, links, run.summary.threshold);
  if (clusters.refused > 0) {
    run.summary.notes.push_back(fmt::format(
        "clustering refused {} links above the threshold: the records they would join to the cluster differ "
        "from it on average (look-alikes such as twins or namesakes)",
        clusters.refused));
  }
  run.summary.cluster_pairs = static_cast<uint64_t>(clusters.pairs);
  run.summary.expected_false_links = clusters.expected_false_pairs;
  run.summary.estimated_false_match_rate = clusters.pairs > 0 ? clusters.expected_false_pairs / clusters.pairs : 0;
  timer.Done("score");
  if (!options.pairs_path.empty()) {
    PairsOutput output;
    output.left = output.right = &*run.left;
    output.left_raw = output.right_raw = &run.left_raw;
    output.explain = options.explain;
    output.comparer = run.comparer.get();
    MG_RETURN_IF_ERROR(WritePairs(*run.fs, options.pairs_path, run.model, run.compared, links, output));
  }
  MG_ASSIGN_OR_RETURN(run.summary.clusters, WriteClusters(*run.fs, options.output_path, *run.left, clusters.labels));
  timer.Done("write");
  timer.Finish();
  return run.summary;
}

Result<LinkSummary> TrainLinkModel(const LinkOptions& options) {
  if (options.save_model_path.empty()) return Error(Status::InvalidArgument("train needs a path to save the model"));
  bool dedupe = options.right_path.empty();
  LinkOptions train = options;
  train.model_path.clear();
  Run run;
  StageTimer timer(&run.summary);
  MG_RETURN_IF_ERROR(ReadAndPrepare(train, dedupe, &run, &timer));
  MG_RETURN_IF_ERROR(BlockAndCompare(train, dedupe, true, &run, &timer));
  MG_RETURN_IF_ERROR(TrainOrLoad(train, &run, &timer));
  timer.Finish();
  return run.summary;
}

Result<PlanReport> PlanLinkage(const LinkOptions& options) {
  bool dedupe = options.right_path.empty();
  Run run;
  StageTimer timer(&run.summary);
  MG_RETURN_IF_ERROR(ReadAndPrepare(options, dedupe, &run, &timer));
  const PersonTable* right = dedupe ? nullptr : &*run.right;
  PlanReport report;
  report.left_records = run.left->size();
  report.right_records = dedupe ? 0 : run.right->size();
  report.fields = run.summary.fields;
  report.max_pairs = run.config.linkage.max_pairs;
  std::vector<std::string> notes;
  std::vector<BlockingRule> rules;
  if (!run.config.linkage.blocking_rules.empty()) {
    MG_ASSIGN_OR_RETURN(rules, BuildRules(*run.left, right, options, run.config.linkage, &notes));
  } else {
    MG_ASSIGN_OR_RETURN(ChosenRules chosen, ChooseRules(*run.left, right, options, run.config.linkage.max_pairs));
    rules = chosen.rules;
    notes = chosen.notes;
  }
  BlockingPlan plan = PlanBlocking(*run.left, right, rules, run.config.linkage.max_pairs / 4);
  for (const RuleCount& r : plan.rules) report.rules.push_back({r.rule, r.pairs, r.largest_block, r.too_loose});
  report.total_pairs_upper_bound = plan.total_pairs_upper_bound;
  report.notes = std::move(notes);
  return report;
}

std::string PlanReportText(const PlanReport& report) {
  std::string out;
  fmt::format_to(std::back_inserter(out), "records: {}{}\n", report.left_records,
                 report.right_records > 0 ? fmt::format(" x {}", report.right_records) : std::string(" (dedupe)"));
  fmt::format_to(std::back_inserter(out), "compared fields: {}\n", JoinList(report.fields));
  fmt::format_to(std::back_inserter(out), "blocking rules (pairs from key frequencies, before any comparison):\n");
  size_t width = 4;
  for (const PlanRule& r : report.rules) width = std::max(width, r.rule.size());
  for (const PlanRule& r : report.rules) {
    fmt::format_to(std::back_inserter(out), "  {:<{}}  {:>14} pairs  largest block {:>12} pairs{}\n", r.rule, width,
                   r.pairs, r.largest_block, r.too_loose ? "  TOO LOOSE" : "");
  }
  fmt::format_to(std::back_inserter(out),
                 "  {:<{}}  {:>14} pairs (at most; a pair found by several rules is compared once)\n", "total", width,
                 report.total_pairs_upper_bound);
  fmt::format_to(std::back_inserter(out), "pair cap (max_pairs): {}\n", report.max_pairs);
  for (const std::string& note : report.notes) fmt::format_to(std::back_inserter(out), "note: {}\n", note);
  return out;
}

Result<std::string> ExplainModelFile(const std::string& model_path, FileSystem* fs) {
  MG_ASSIGN_OR_RETURN(Model model, LoadModel(fs != nullptr ? *fs : *DefaultFileSystem(), model_path));
  return ExplainModel(model);
}

std::string LinkSummaryText(const LinkSummary& s) {
  std::string out;
  auto add = [&](const std::string& line) { out += line + "\n"; };
  add(s.right_records > 0 || s.clusters == 0 ? fmt::format("records: {} x {}", s.left_records, s.right_records)
                                             : fmt::format("records: {}", s.left_records));
  add("fields: " + JoinList(s.fields));
  add("blocking: " + JoinList(s.blocking_rules));
  add(fmt::format("pairs compared: {}  random pairs for u: {}", s.candidate_pairs, s.random_pairs));
  add(s.model_loaded ? std::string("model: loaded") : "model: EM " + s.em_note);
  add(fmt::format("prior (match rate among all pairs of the files): {:.6g}", s.prior));
  if (!s.model_loaded) out += ExplainTraining(s.training);
  add(fmt::format("links >= {:.4g}: {}{}", s.threshold, s.links, s.one_to_one ? " (one-to-one)" : ""));
  if (s.clusters > 0) {
    add(
        fmt::format("estimated from the model: {:.1f} false pairs among the {} record pairs the clusters make "
                    "(false-match rate {:.4f}), expected recall {:.4f}",
                    s.expected_false_links, s.cluster_pairs, s.estimated_false_match_rate, s.expected_recall));
  } else {
    add(fmt::format("estimated from the model: {:.1f} false links (false-match rate {:.4f}), expected recall {:.4f}",
                    s.expected_false_links, s.estimated_false_match_rate, s.expected_recall));
  }
  if (s.clusters > 0) add(fmt::format("clusters: {}", s.clusters));
  std::string stages;
  std::string cpu;
  for (const StageTime& t : s.stages) {
    stages += fmt::format(" {} {:.2f}s", t.stage, t.seconds);
    cpu += fmt::format(" {} {:.2f}s", t.stage, t.cpu_seconds);
  }
  add("time:" + stages + fmt::format("; total {:.2f}s", s.total_seconds));
  add("cpu time:" + cpu + fmt::format("; total {:.2f}s", s.total_cpu_seconds));
  add(fmt::format("peak memory: {:.1f} MiB", static_cast<double>(s.peak_rss_bytes) / (1024.0 * 1024.0)));
  for (const std::string& note : s.notes) add("note: " + note);
  return out;
}

std::string LinkSummaryJson(const LinkSummary& s) {
  nlohmann::ordered_json j;
  j["left_records"] = s.left_records;
  j["right_records"] = s.right_records;
  j["fields"] = s.fields;
  j["blocking_rules"] = s.blocking_rules;
  j["candidate_pairs"] = s.candidate_pairs;
  j["random_pairs"] = s.random_pairs;
  j["links"] = s.links;
  j["clusters"] = s.clusters;
  j["threshold"] = s.threshold;
  j["one_to_one"] = s.one_to_one;
  j["model_loaded"] = s.model_loaded;
  j["em"] = {{"converged", s.em_converged}, {"iterations", s.em_iterations}, {"note", s.em_note}};
  j["prior"] = s.prior;
  j["training"] = TrainingReportToJson(s.training);
  j["warnings"] = s.training.warnings;
  j["estimates"] = {{"expected_false_links", s.expected_false_links},
                    {"cluster_pairs", s.cluster_pairs},
                    {"false_match_rate", s.estimated_false_match_rate},
                    {"expected_recall", s.expected_recall}};
  nlohmann::ordered_json stages = nlohmann::ordered_json::object();
  nlohmann::ordered_json cpu = nlohmann::ordered_json::object();
  for (const StageTime& t : s.stages) {
    stages[t.stage] = t.seconds;
    cpu[t.stage] = t.cpu_seconds;
  }
  j["stage_seconds"] = stages;
  j["stage_cpu_seconds"] = cpu;
  j["total_seconds"] = s.total_seconds;
  j["total_cpu_seconds"] = s.total_cpu_seconds;
  j["peak_rss_bytes"] = s.peak_rss_bytes;
  j["notes"] = s.notes;
  return j.dump(2) + "\n";
}

Status WriteLinkSummaryJson(const LinkSummary& summary, const std::string& path, FileSystem* fs) {
  if (path.empty()) return Status::Ok();
  return (fs != nullptr ? fs : DefaultFileSystem())->WriteFileAtomically(path, LinkSummaryJson(summary));
}

}  // namespace matchguard
