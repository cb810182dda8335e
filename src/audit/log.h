// The audit log: an append-only file of JSON lines, each entry a leaf of an RFC 9162 Merkle tree, with
// Ed25519-signed checkpoints (tree size, root, timestamp) so that any later change is evident.
//
// File format (docs/governance.md has the full description):
//   - every line is one canonical JSON object (sorted keys, no spaces, ASCII), ending in "\n";
//   - an entry line has a string member "kind" ("run", "disclosure", "case", "destruction", ...); its leaf
//     hash is SHA-256(0x00 || the line's bytes without the newline);
//   - a checkpoint line is {"checkpoint":{"key_id":..,"root":..,"sequence":..,"signature":..,"timestamp":..,
//     "tree_size":..}} signed over
//     "matchguard-audit-checkpoint/v1\n<sequence>\n<tree_size>\n<root hex>\n<timestamp>\n".
// Every append writes its entries followed by one checkpoint over the whole tree, so a valid log always ends
// with a checkpoint, and each checkpoint's tree is a prefix of the next (checked with consistency proofs).
// Appending first verifies the existing log with the signer's public key: nothing is added to a log that
// has been tampered with.
//
// A log cut back to an earlier checkpoint is a valid shorter log; VerifyOptions::trusted_* lets a verifier
// who has seen a later checkpoint (for example from the oversight report) detect that.
//
// Thread-safety: functions over values and files. AppendToLog holds the log's exclusive lock
// (FileSystem::LockExclusive, `<log>.lock`) from its read to its commit, so concurrent writers, in this
// process or others, queue rather than lose each other's entries.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "matchguard/file_system.h"
#include "matchguard/status.h"
#include "src/audit/crypto.h"
#include "src/audit/merkle.h"

namespace matchguard {

struct Checkpoint {
  uint64_t sequence = 0;  // 0 for the log's first checkpoint, then 1, 2, ...: a removed one is noticed
  uint64_t tree_size = 0;
  Hash root{};
  int64_t timestamp = 0;
  std::string key_id;
  std::string signature;  // 64 raw bytes
};

// The bytes a checkpoint's signature covers.
std::string CheckpointMessage(const Checkpoint& checkpoint);
// The canonical one-line JSON form of an entry or checkpoint (no trailing newline).
std::string CanonicalJson(const nlohmann::json& value);
nlohmann::json CheckpointToJson(const Checkpoint& checkpoint);
// `where` prefixes errors ("audit.log line 7").
Result<Checkpoint> CheckpointFromJson(const nlohmann::json& value, const std::string& where);

// The string member `key` of a log entry, or "" when it is missing or not a string: entries are read from a
// file someone could have edited, so a member of the wrong type reads as empty.
std::string StringMember(const nlohmann::json& entry, const char* key);

// A log split into its entries and checkpoints, without checking hashes or signatures.
struct ParsedLog {
  std::vector<std::string> entries;        // the entry lines, without newline
  std::vector<nlohmann::json> entry_json;  // the same, parsed
  std::vector<uint64_t> entry_lines;       // 1-based line of each entry
  std::vector<Checkpoint> checkpoints;
  std::vector<uint64_t> checkpoint_lines;
};
Result<ParsedLog> ParseLog(std::string_view text, const std::string& path);

struct VerifyOptions {
  // A checkpoint the verifier already trusts: the log must contain a tree of at least this size whose root
  // at that size is `trusted_root`. Detects a log cut back to an earlier checkpoint.
  std::optional<uint64_t> trusted_size;
  std::optional<Hash> trusted_root;
};

struct LogSummary {
  uint64_t entries = 0;
  uint64_t checkpoints = 0;
  Hash root{};
  int64_t last_timestamp = 0;
};

// Checks every line: entries well formed, each checkpoint signed by `public_pem`, sized to the entries
// before it, with the recomputed root, a timestamp not before the previous one, and consistent with the
// previous checkpoint; the log ends with a checkpoint. The first failure is returned as FailedPrecondition
// naming the file and line.
Result<LogSummary> VerifyLog(std::string_view text, const std::string& path, const std::string& public_pem,
                             const VerifyOptions& options = {});

// Appends `entries` (objects with a string "kind") and a signed checkpoint to the log at `path`, creating
// it when absent. The existing log must verify against the signer's key, and the clock must not be behind
// its last checkpoint. Returns the new tree size.
Result<uint64_t> AppendToLog(FileSystem& fs, const std::string& path, const std::string& private_pem,
                             const std::vector<nlohmann::json>& entries);

// A self-contained inclusion proof for entry `index` against the log's last checkpoint (JSON text).
Result<std::string> ProveInclusion(std::string_view text, const std::string& path, uint64_t index);

struct ProofSummary {
  uint64_t index = 0;
  uint64_t tree_size = 0;
  std::string entry;
};
// Checks a proof from ProveInclusion on its own: the entry's leaf hash, its audit path to the checkpoint's
// root, and the checkpoint's signature under `public_pem`.
Result<ProofSummary> VerifyInclusionProof(std::string_view proof_json, const std::string& source,
                                          const std::string& public_pem);

}  // namespace matchguard
