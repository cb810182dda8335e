// Blocking: which record pairs get compared at all.
//
// A BlockingRule is a conjunction of key parts ("soundex(last_name)+year(dob)"): two records are a
// candidate pair under a rule when every part's key is non-empty and equal on both sides. A set of rules
// is used as a union: a pair is compared once however many rules produce it.
//
// Keys are hashed to 64 bits, rows are grouped by hash, and pairs are emitted per block; a hash collision
// never creates a false pair, because the key values are re-checked before a pair is emitted. Pairs from
// rule k are dropped when an earlier rule also produces them (checked by comparing that rule's keys), so
// the union needs no global sort or hash set of pairs. The environment variable
// MATCHGUARD_BLOCK_HASH_ZERO=1 forces every key hash to one value to exercise collision handling.
//
// Pair counts (PlanBlocking) come from key frequencies alone, before any pair is generated, so a rule
// that would produce too many pairs is caught in milliseconds.
//
// Thread-safety: pure functions over immutable tables; safe to call concurrently. GenerateCandidates uses
// TBB internally.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "matchguard/status.h"
#include "src/io/table.h"
#include "src/normalize/fields.h"
#include "src/normalize/person.h"

namespace matchguard {

enum class KeyTransform : uint8_t {
  kExact,      // the normalised value: "ssn"
  kFirstChar,  // first character (code point): "first(first_name)"
  kSoundex,    // "soundex(last_name)"
  kNysiis,     // "nysiis(last_name)"
  kYear,       // first four characters of a YYYY-MM-DD date: "year(dob)"
  kFirstN,     // first n characters: "first3(last_name)"
  kLastN,      // last n characters: "last4(ssn)"
};

struct KeyPart {
  FieldKind field;
  KeyTransform transform = KeyTransform::kExact;
  int n = 0;  // characters, for kFirstN and kLastN only
};

// Records agree on all parts; a missing (empty) value or transformed key in any part means the record
// has no key under this rule and is in no block.
struct BlockingRule {
  std::string name;  // canonical text (BlockingRuleToString) unless the caller sets another
  std::vector<KeyPart> parts;
};

// Parses the text form: parts joined by '+', each a field name (FieldKindName) or transform(field) with
// transform one of first, firstN (N in 1..64), lastN, soundex, nysiis, year. Examples: "ssn", "dob",
// "soundex(last_name)+year(dob)", "first(first_name)+first(last_name)+zip", "last4(ssn)+year(dob)".
// Spaces around tokens are ignored, names are case-insensitive. Errors quote the rule and name the part.
Result<BlockingRule> ParseBlockingRule(std::string_view text);
// Canonical text: parses back to the same rule. first1(x) prints as first(x).
std::string BlockingRuleToString(const BlockingRule& rule);

struct RuleCount {
  std::string rule;
  uint64_t pairs = 0;
  uint64_t new_pairs = 0;  // not produced by earlier rules, when known
  uint64_t largest_block = 0;  // pairs in the largest block
  bool too_loose = false;      // pairs > too_loose_pairs
};

struct BlockingPlan {
  std::vector<RuleCount> rules;
  uint64_t total_pairs_upper_bound = 0;  // sum over rules (pairs produced by several rules count several times)
};

// Exact pair counts per rule from key frequencies (sum over keys of n_left*n_right, or n*(n-1)/2 for
// dedupe), computed BEFORE any comparison. right == nullptr means dedupe. new_pairs is filled for the
// first rule only (equal to pairs); the others are unknown without generating pairs and stay 0.
BlockingPlan PlanBlocking(const PersonTable& left, const PersonTable* right, const std::vector<BlockingRule>& rules,
                          uint64_t too_loose_pairs);

// Chooses a union of rules from the fields present on both sides and their exact pair counts. Candidates,
// in order: ssn, mbi, dob, soundex(last_name)+year(dob), first(first_name)+first(last_name)+zip,
// soundex(first_name)+soundex(last_name), email, phone and address rules. A rule over the per-rule budget
// is dropped as too loose, and then a narrower fallback of it is tried (at a million records "dob" alone
// gives tens of millions of pairs, so "dob+first(first_name)" and "dob+first(last_name)" take its place);
// a rule that would take the total past max_pairs is dropped. Every drop is explained in `notes`.
struct ChosenRules {
  std::vector<BlockingRule> rules;
  std::vector<std::string> notes;
};
struct RuleChoice {
  uint64_t max_pairs = 0;
  uint64_t max_pairs_per_rule = 0;  // 0: 8 pairs per record, at least a million
  std::vector<FieldKind> fields;    // fields a rule may use (a governed run's matching fields); empty: any
};
ChosenRules ChooseBlockingRules(const PersonTable& left, const PersonTable* right, const RuleChoice& choice);

// Row indices; pair i is (left[i], right[i]).
struct CandidatePairs {
  std::vector<uint32_t> left;
  std::vector<uint32_t> right;
  size_t size() const { return left.size(); }
};

// Generates the union of the rules' pairs, each pair once however many rules produce it (for dedupe:
// left < right, both rows of `left`). Fails with a clear error naming the rule when the total exceeds
// `max_pairs`, when a rule reads a field a table lacks, or when a table has 2^32-1 rows or more.
// Deterministic order: sorted by left, then right, whatever the thread count. When `counts` is not null it
// receives the exact per-rule figures, new_pairs included (too_loose is left false).
Result<CandidatePairs> GenerateCandidates(const PersonTable& left, const PersonTable* right,
                                          const std::vector<BlockingRule>& rules, uint64_t max_pairs,
                                          BlockingPlan* counts = nullptr);

// Uniformly random distinct pairs (for u estimation), deterministic for a seed. For dedupe
// (n_right_or_zero_for_dedupe == 0) pairs have left < right. Returns fewer than `count` pairs only when
// fewer distinct pairs exist (then it returns all of them). Sorted by left, then right.
CandidatePairs SampleRandomPairs(size_t n_left, size_t n_right_or_zero_for_dedupe, size_t count, uint64_t seed);

// ---- Lower-level entry points on plain columns (what the PersonTable functions call) ----

// The fields a rule may read: one Column per FieldKind, nullptr where the field is absent. Every present
// column has `rows` values. Borrowed: the columns must outlive the view.
struct FieldColumns {
  size_t rows = 0;
  std::string source_name;  // for error messages ("left.csv")
  std::array<const Column*, kFieldKindCount> columns{};
  const Column* column(FieldKind kind) const { return columns[static_cast<size_t>(kind)]; }
};
FieldColumns ColumnsOf(const PersonTable& table);

BlockingPlan PlanBlocking(const FieldColumns& left, const FieldColumns* right, const std::vector<BlockingRule>& rules,
                          uint64_t too_loose_pairs);
Result<CandidatePairs> GenerateCandidates(const FieldColumns& left, const FieldColumns* right,
                                          const std::vector<BlockingRule>& rules, uint64_t max_pairs,
                                          BlockingPlan* counts = nullptr);
ChosenRules ChooseBlockingRules(const FieldColumns& left, const FieldColumns* right, const RuleChoice& choice);

// The blocking key of `row` under `rule` (the parts' transformed values joined by '\x1f'), or "" when the
// row has no key. Exposed for tests and diagnostics; never log it (it holds identifiers).
std::string BlockingKey(const FieldColumns& table, const BlockingRule& rule, size_t row);

}  // namespace matchguard
