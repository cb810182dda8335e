// Probabilistic record linkage (Fellegi-Sunter): link two person files, deduplicate one, plan the blocking,
// train a model, explain a model.
//
// With no configuration, fields are detected from the headers, values normalised, blocking rules chosen
// from the data, u probabilities estimated from random pairs, m probabilities and the prior fitted by EM on
// the counts of distinct comparison patterns, and names scored with term-frequency adjustments. A TOML
// config (docs/config.md, "## Linkage config") overrides any of it.
//
// Governance hook: LinkOptions holds, as explicit lists, the fields used for matching and the input
// columns copied into the output. By default every detected field is used and NO input column is written:
// the output holds only record ids and scores.
//
// Thread-safety: each call is independent; the functions use TBB internally.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "matchguard/file_system.h"
#include "matchguard/status.h"
#include "matchguard/training_report.h"

namespace matchguard {

struct LinkOptions {
  std::string left_path;
  std::string right_path;   // LinkFiles and TrainLinkModel only
  std::string output_path;  // pairs (link) or clusters (dedupe)
  std::string config_path;  // optional TOML linkage config
  std::string model_path;   // optional: score with this model instead of training one
  std::string save_model_path;            // optional: write the model used
  std::optional<double> threshold;        // match probability; overrides the config; default 0.5
  std::optional<bool> one_to_one;         // overrides the config; default false
  bool explain = false;                   // add each comparison's level and partial weight
  std::string pairs_path;                 // dedupe only, optional: also write the pairs that joined records
  // Canonical field names ("first_name", "dob") used for matching; empty: every detected field (or the
  // config's enabled comparisons). A name the data lacks is an error.
  std::vector<std::string> match_fields;
  // Input columns (header names) copied into the pairs output as left_<col> and right_<col>; empty by
  // default. Only a caller entitled to disclose them (an agreement) should set this.
  std::vector<std::string> output_columns;
  uint64_t seed = 42;                     // random pairs for u
  uint64_t random_pairs_for_tests = 0;    // > 0: overrides the number of random pairs (tests only)
  FileSystem* fs = nullptr;               // nullptr: DefaultFileSystem()
};

struct StageTime {
  std::string stage;  // read, normalise, block, compare, train, score, write
  double seconds = 0.0;      // wall clock
  double cpu_seconds = 0.0;  // user + system time of all threads (wall * cores when nothing else runs)
};

struct LinkSummary {
  uint64_t left_records = 0;
  uint64_t right_records = 0;            // 0 for dedupe
  std::vector<std::string> fields;       // comparisons used, in model order
  std::vector<std::string> blocking_rules;
  std::vector<std::string> notes;        // rules dropped as too loose, model remarks, ...
  uint64_t candidate_pairs = 0;          // pairs compared (each once)
  uint64_t random_pairs = 0;             // pairs sampled for u
  uint64_t links = 0;                    // pairs at or above the threshold (after one-to-one)
  uint64_t clusters = 0;                 // dedupe: clusters including singletons
  // Dedupe: record pairs within clusters; the estimates (expected_false_links, estimated_false_match_rate)
  // then count false pairs among them, as pairwise evaluation of clusters does.
  uint64_t cluster_pairs = 0;
  double threshold = 0.5;
  bool one_to_one = false;
  bool model_loaded = false;             // scored with --model rather than trained
  bool em_converged = false;
  int em_iterations = 0;
  std::string em_note;
  double prior = 0.0;
  TrainingReport training;               // populations used or rejected, match counts, warnings
  // Estimates from the model's probabilities at the threshold (after one-to-one), no truth needed:
  double expected_false_links = 0.0;     // sum of (1 - probability) over the links
  double estimated_false_match_rate = 0.0;  // expected_false_links / links
  double expected_recall = 0.0;          // expected true links / expected matches among all pairs
  std::vector<StageTime> stages;
  double total_seconds = 0.0;
  double total_cpu_seconds = 0.0;
  uint64_t peak_rss_bytes = 0;
};

// Human-readable summary (several lines) and a JSON object with the same content.
std::string LinkSummaryText(const LinkSummary& summary);
std::string LinkSummaryJson(const LinkSummary& summary);
// Writes LinkSummaryJson atomically to `path`; does nothing when `path` is empty.
Status WriteLinkSummaryJson(const LinkSummary& summary, const std::string& path, FileSystem* fs = nullptr);

// Links left_path with right_path and writes left_id,right_id,match_probability,match_weight (plus, with
// explain, <field>_level,<field>_weight per comparison) for pairs at or above the threshold, atomically.
Result<LinkSummary> LinkFiles(const LinkOptions& options);
// Deduplicates left_path and writes record_id,cluster_id for every record; a cluster's id is the smallest
// record id in it (byte order), so it is stable across reruns.
Result<LinkSummary> DedupeFile(const LinkOptions& options);
// Trains on left_path and right_path (right_path empty: dedupe training) and saves the model to
// save_model_path without scoring.
Result<LinkSummary> TrainLinkModel(const LinkOptions& options);

// The blocking plan, before any comparison: the rules, the exact pairs of each and in total, the rules
// flagged as too loose. right_path empty: dedupe.
struct PlanRule {
  std::string rule;
  uint64_t pairs = 0;
  uint64_t largest_block = 0;
  bool too_loose = false;
};
struct PlanReport {
  uint64_t left_records = 0;
  uint64_t right_records = 0;
  std::vector<std::string> fields;  // comparisons a link would use
  std::vector<PlanRule> rules;
  uint64_t total_pairs_upper_bound = 0;  // sum over rules; pairs from several rules count once when compared
  uint64_t max_pairs = 0;
  std::vector<std::string> notes;
};
Result<PlanReport> PlanLinkage(const LinkOptions& options);
std::string PlanReportText(const PlanReport& report);

// The model's levels with m, u and weights, the prior and how EM converged.
Result<std::string> ExplainModelFile(const std::string& model_path, FileSystem* fs = nullptr);

}  // namespace matchguard
